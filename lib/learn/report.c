/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What learn tells the person who runs it, rendered here for any
 * front-end: the progress line while it records, the recorder that
 * counted, what the profile got beyond what was seen; and the option
 * values learn takes (a recorder, an errno).
 */
#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seclude/learn_session.h"
#include "seclude/names.h"
#include "seclude/util.h"

int sc_learn_recorder_parse(const char *s, enum sc_learn_recorder *out)
{
	static const char *const names[] = { [SC_LEARN_AUTO] = "auto", [SC_LEARN_EBPF] = "ebpf",
					      [SC_LEARN_PTRACE] = "ptrace", [SC_LEARN_NOTIFY] = "notify" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum sc_learn_recorder)i;
			return 0;
		}
	return -EINVAL;
}

int sc_learn_errno_parse(const char *s, uint32_t *out)
{
	static const struct { const char *name; int value; } names[] = {
		{ "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES },
		{ "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP }, { "EOPNOTSUPP", EOPNOTSUPP },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(names); i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = (uint32_t)names[i].value;
			return 0;
		}
	uint64_t v;
	if (sc_parse_u64(s, &v) < 0 || v == 0 || v > 4095)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static void progress_line(struct sc_learn_tty *t, const struct sc_record *r, bool with_total)
{
	if (with_total)
		fprintf(t->out, "\rseclude learn: %" PRIu64 " calls, %zu syscalls, last new: %s\033[K",
			r->total, sc_record_distinct(r), t->last_new);
	else
		fprintf(t->out, "\rseclude learn: %zu syscalls, last new: %s\033[K",
			sc_record_distinct(r), t->last_new);
	fflush(t->out);
}

static void on_new_syscall(void *ud, uint32_t arch, int nr, const struct sc_record *r)
{
	struct sc_learn_tty *t = ud;
	int scmp_nr = arch == SCMP_ARCH_X32 ? nr | (int)SC_X32_SYSCALL_BIT : nr;
	_cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(arch, scmp_nr);
	if (arch == seccomp_arch_native())
		snprintf(t->last_new, sizeof(t->last_new), "%s", name ? name : "?");
	else
		snprintf(t->last_new, sizeof(t->last_new), "%s (%s)", name ? name : "?",
			 sc_arch_audit_name(arch));
	progress_line(t, r, sc_learn_session_recorder(t->session) == SC_LEARN_PTRACE);
}

static void on_tick(void *ud, const struct sc_record *r)
{
	progress_line(ud, r, true);
}

struct sc_learn_progress sc_learn_tty_progress(struct sc_learn_tty *t)
{
	return (struct sc_learn_progress){ .new_syscall = on_new_syscall, .tick = on_tick, .ud = t };
}

void sc_learn_tty_fallback(void *ud, const char *why)
{
	(void)ud;
	fprintf(stderr, "seclude learn: the eBPF recorder is not available (%s); using ptrace\n", why);
}

void sc_learn_tty_recorded(struct sc_learn_tty *t, const struct sc_record *rec, bool progress)
{
	if (progress)
		fputs("\r\033[K", t->out);
	fprintf(t->out, "seclude learn: %" PRIu64 " calls, %zu syscalls seen by the %s recorder\n",
		rec->total, sc_record_distinct(rec),
		sc_learn_session_recorder(t->session) == SC_LEARN_EBPF ? "ebpf"
		: sc_learn_session_recorder(t->session) == SC_LEARN_NOTIFY ? "notify" : "ptrace");
}

__attribute__((format(printf, 4, 5)))
static void print_names(FILE *out, char **v, size_t n, const char *fmt, ...)
{
	if (!n)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("seclude learn: ", out);
	vfprintf(out, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s %s", i ? "," : "", v[i]);
	fputc('\n', out);
}

void sc_learn_summary_print(FILE *out, const struct sc_learn_summary *sum, const char *runtime,
			    const char *version)
{
	print_names(out, sum->added, sum->n_added, "added because every process needs them to end:");
	print_names(out, sum->for_added, sum->n_for_added,
		    "added for %s %s (calls it makes under the filter before execve):", runtime, version);
	print_names(out, sum->any_added, sum->n_any_added,
		    "added because they can happen at any moment (--minimal leaves them out):");
}

void sc_learn_wrote_print(FILE *out, const char *path, const struct sc_learn_summary *sum)
{
	fprintf(out, "seclude learn: wrote %s: %zu syscalls allowed", path, sum->n_names);
	if (sum->n_arg_rules)
		fprintf(out, ", %zu argument rules", sum->n_arg_rules);
	fputc('\n', out);
}

int sc_learn_strace_logs(char *const *logs, size_t n, struct sc_record *rec, char **command,
			 struct sc_diags *diags, struct sc_error *err)
{
	*command = NULL;
	size_t len = 16;
	for (size_t i = 0; i < n; i++) {
		int r = sc_learn_strace_log(logs[i], rec, diags, err);
		if (r < 0)
			return r;
		len += strlen(logs[i]) + 1;
	}
	char *c = calloc(1, len);
	if (!c)
		return sc_error_set(err, -ENOMEM, "out of memory");
	strcpy(c, "strace log");
	for (size_t i = 0; i < n; i++)
		strcat(strcat(c, " "), logs[i]);
	*command = c;
	return 0;
}
