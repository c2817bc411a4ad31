/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strace logs -> a record.  Understood:
 *   - strace -f (lines "[pid N] name(" on a terminal, "N name(" with -o),
 *     strace -ff -o LOG (one file a pid, LOG.PID; pass LOG or one file);
 *   - -t/-tt/-ttt/-r timestamps, -i instruction pointers, -n numbers;
 *   - "name(... <unfinished ...>" counted once, "<... name resumed>" not again;
 *   - "[ Process PID=N runs in 32 bit mode. ]" (and 64 bit, x32): the arch
 *     of that pid from then on; a child takes its parent's arch (from the
 *     clone/fork return value) or, like strace itself, the last one seen;
 *   - syscall_0xNNN / syscall_NNN for numbers strace has no name for;
 *   - strace -c tables (one per personality).
 * Signal (---), exit (+++) and strace's own lines are skipped.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seclude/learn.h"
#include "seclude/names.h"
#include "seclude/util.h"

#define LOG_MAX_BYTES (1u << 30)

struct pid_arch {
	int pid;
	uint32_t arch;
};

struct parse_state {
	struct pid_arch *v;
	size_t n, cap;
	uint32_t last_arch;     /* the personality strace switched to last */
	uint32_t native;
	uint32_t table_arch;    /* strace -c: the table being read, 0 outside one */
	bool in_table;
};

static uint32_t *pid_arch(struct parse_state *st, int pid, bool create)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].pid == pid)
			return &st->v[i].arch;
	if (!create)
		return NULL;
	if (SC_GROW(st->v, st->cap, st->n, 32) < 0)
		return NULL;
	st->v[st->n] = (struct pid_arch){ .pid = pid, .arch = st->last_arch };
	return &st->v[st->n++].arch;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "[pid  12] ", "12 " (with -o), then timestamps, "[ip]", "[ nr]". */
static const char *skip_leader(const char *p, int *pid)
{
	if (!strncmp(p, "[pid", 4)) {
		char *end;
		long v = strtol(p + 4, &end, 10);
		if (*end == ']') {
			*pid = (int)v;
			p = end + 1;
		}
	} else if (isdigit((unsigned char)*p)) {
		const char *q = p;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q == ' ') {
			*pid = atoi(p);
			p = q;
		}
	}
	for (;;) {
		p = skip_spaces(p);
		const char *q = p;
		while (isdigit((unsigned char)*q) || *q == ':' || *q == '.')
			q++;
		if (q > p && *q == ' ' && (memchr(p, '.', (size_t)(q - p)) || memchr(p, ':', (size_t)(q - p)))) {
			p = q;
			continue;
		}
		if (*p == '[') {
			q = skip_spaces(p + 1);
			const char *h = q;
			while (isxdigit((unsigned char)*q))
				q++;
			if (q > h && *q == ']') {
				p = q + 1;
				continue;
			}
		}
		return p;
	}
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int name_to_nr(uint32_t arch, const char *name, size_t len, int *nr)
{
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (!strncmp(buf, "syscall_", 8)) {
		uint64_t v;
		if (sc_parse_u64(buf + 8, &v) < 0 || v > INT32_MAX)
			return -EINVAL;
		*nr = (int)v;
		return 0;
	}
	int r = seccomp_syscall_resolve_name_arch(arch, buf);
	if (r == __NR_SCMP_ERROR || r < 0)
		return -ENOENT;
	*nr = r;
	return 0;
}

static bool is_fork_name(const char *name, size_t len)
{
	static const char *const forks[] = { "clone", "clone3", "fork", "vfork" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(forks); i++)
		if (strlen(forks[i]) == len && !strncmp(forks[i], name, len))
			return true;
	return false;
}

/* A fork-like call returned a pid: the child runs in the parent's mode. */
static void note_child(struct parse_state *st, const char *line, uint32_t arch)
{
	const char *eq = strrchr(line, '=');
	if (!eq)
		return;
	char *end;
	long child = strtol(eq + 1, &end, 10);
	if (child <= 0 || (*end && !isspace((unsigned char)*end)))
		return;
	if (!pid_arch(st, (int)child, false)) {
		uint32_t *a = pid_arch(st, (int)child, true);
		if (a)
			*a = arch;
	}
}

/* strace -c: "% time     seconds  usecs/call     calls    errors syscall" then rows. */
static bool parse_table_line(struct parse_state *st, const char *p, struct sc_record *rec,
			     const char *origin, size_t lineno, struct sc_diags *diags)
{
	if (!strncmp(p, "System call usage summary for ", 30)) {
		p += 30;
		st->table_arch = !strncmp(p, "32 bit", 6) ? SCMP_ARCH_X86 :
				 !strncmp(p, "x32", 3) ? SCMP_ARCH_X32 : st->native;
		return true;
	}
	if (!strncmp(p, "% time", 6)) {
		st->in_table = true;
		if (!st->table_arch)
			st->table_arch = st->native;
		return true;
	}
	if (!st->in_table)
		return false;
	if (!strncmp(p, "------", 6))
		return true;
	/* Columns: % time, seconds, usecs/call, calls, [errors,] name. */
	char *tok[8];
	size_t n = 0;
	_cleanup_free_ char *copy = strdup(p);
	if (!copy)
		return true;
	char *save = NULL;
	for (char *t = strtok_r(copy, " \t\n", &save); t && n < SC_ARRAY_SIZE(tok); t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	if (n < 5) {
		st->in_table = false;
		st->table_arch = 0;
		return n == 0;
	}
	const char *name = tok[n - 1];
	if (!strcmp(name, "total")) {
		st->in_table = false;
		st->table_arch = 0;
		return true;
	}
	uint64_t calls;
	int nr;
	if (sc_parse_u64(tok[3], &calls) < 0) {
		st->in_table = false;
		return false;
	}
	if (name_to_nr(st->table_arch, name, strlen(name), &nr) < 0) {
		sc_diags_add(diags, SC_DIAG_WARNING, "unknown-syscall", NULL, NULL,
			     "%s:%zu: \"%s\" is not a %s syscall libseccomp knows: left out",
			     origin, lineno, name, sc_arch_audit_name(st->table_arch));
		return true;
	}
	sc_record_add(rec, st->table_arch, (uint64_t)nr, calls);
	return true;
}

static int parse_text(struct parse_state *st, const char *text, size_t len, const char *origin,
		      int ff_pid, struct sc_record *rec, struct sc_diags *diags, struct sc_error *err)
{
	size_t lineno = 0;
	const char *end = text + len;
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t ll = nl ? (size_t)(nl - line) : (size_t)(end - line);
		_cleanup_free_ char *buf = strndup(line, ll);
		if (!buf)
			return sc_error_set(err, -ENOMEM, "out of memory");
		line = nl ? nl + 1 : end;
		lineno++;

		if (parse_table_line(st, buf, rec, origin, lineno, diags))
			continue;
		int pid = ff_pid;
		const char *p = skip_leader(buf, &pid);
		if (!*p || !strncmp(p, "---", 3) || !strncmp(p, "+++", 3) || !strncmp(p, "strace:", 7))
			continue;

		int npid;
		char mode[16];
		if (sscanf(p, "[ Process PID=%d runs in %15s", &npid, mode) == 2) {
			uint32_t arch = !strcmp(mode, "32") ? SCMP_ARCH_X86 :
					!strcmp(mode, "x32") ? SCMP_ARCH_X32 : st->native;
			uint32_t *a = pid_arch(st, npid, true);
			if (!a)
				return sc_error_set(err, -ENOMEM, "out of memory");
			*a = arch;
			st->last_arch = arch;
			continue;
		}
		uint32_t *ap = pid_arch(st, pid, true);
		if (!ap)
			return sc_error_set(err, -ENOMEM, "out of memory");

		if (!strncmp(p, "<...", 4)) {
			/* Counted when it started; a fork's result shows up here, though. */
			const char *q = skip_spaces(p + 4), *s = q;
			while (ident_char(*q))
				q++;
			if (is_fork_name(s, (size_t)(q - s)))
				note_child(st, p, *ap);
			continue;
		}
		const char *q = p;
		while (ident_char(*q))
			q++;
		if (q == p || *q != '(') {
			if (*p == '?' || (q > p && *q == '('))
				sc_diags_add(diags, SC_DIAG_WARNING, "unparsed-line", NULL, NULL,
					     "%s:%zu: no syscall name in \"%.40s\"", origin, lineno, p);
			continue;
		}
		int nr;
		if (name_to_nr(*ap, p, (size_t)(q - p), &nr) < 0) {
			sc_diags_add(diags, SC_DIAG_WARNING, "unknown-syscall", NULL, NULL,
				     "%s:%zu: \"%.*s\" is not a %s syscall libseccomp knows: left out",
				     origin, lineno, (int)(q - p), p, sc_arch_audit_name(*ap));
			continue;
		}
		/* libseccomp's x32 numbers carry the x32 bit already. */
		sc_record_add(rec, *ap, (uint64_t)(unsigned)nr, 1);
		if (is_fork_name(p, (size_t)(q - p)))
			note_child(st, p, *ap);
	}
	return 0;
}

int sc_learn_strace_text(const char *text, size_t len, const char *origin, int ff_pid,
			 struct sc_record *rec, struct sc_diags *diags, struct sc_error *err)
{
	uint32_t native = seccomp_arch_native();
	struct parse_state st = { .last_arch = native, .native = native };
	int r = parse_text(&st, text, len, origin, ff_pid, rec, diags, err);
	free(st.v);
	return r;
}

/* The pid in an -ff file name "LOG.PID", or 0. */
static int suffix_pid(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || !dot[1] || strchr(dot, '/'))
		return 0;
	for (const char *p = dot + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	long v = strtol(dot + 1, NULL, 10);
	return v > 0 && v <= INT32_MAX ? (int)v : 0;
}

struct ff_file {
	char *path;
	int pid;
};

static int cmp_ff(const void *a, const void *b)
{
	const struct ff_file *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* strace -ff -o LOG wrote LOG.PID files: find them, in pid order. */
static int list_ff_files(const char *prefix, struct ff_file **out, size_t *n_out,
			 struct sc_error *err)
{
	_cleanup_free_ char *dir = NULL;
	const char *base;
	const char *slash = strrchr(prefix, '/');
	if (slash) {
		dir = strndup(prefix, (size_t)(slash - prefix) + 1);
		base = slash + 1;
	} else {
		dir = strdup("./");
		base = prefix;
	}
	if (!dir)
		return sc_error_set(err, -ENOMEM, "out of memory");
	DIR *d = opendir(dir);
	if (!d)
		return sc_error_errno(err, -errno, "%s: cannot open", prefix);
	struct ff_file *v = NULL;
	size_t n = 0;
	struct dirent *de;
	size_t bl = strlen(base);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, bl) || de->d_name[bl] != '.')
			continue;
		int pid = suffix_pid(de->d_name);
		if (!pid)
			continue;
		struct ff_file *nv = realloc(v, (n + 1) * sizeof(*nv));
		if (nv)
			v = nv;
		char *path = NULL;
		if (!nv || asprintf(&path, "%s%s", slash ? dir : "", de->d_name) < 0) {
			for (size_t i = 0; i < n; i++)
				free(v[i].path);
			free(v);
			closedir(d);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
		v[n++] = (struct ff_file){ .path = path, .pid = pid };
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_ff);
	*out = v;
	*n_out = n;
	return 0;
}

int sc_learn_strace_log(const char *path, struct sc_record *rec, struct sc_diags *diags,
			struct sc_error *err)
{
	uint32_t native = seccomp_arch_native();
	struct parse_state st = { .last_arch = native, .native = native };
	struct stat sb;
	int r;
	if (stat(path, &sb) == 0) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		r = sc_read_user_file(path, LOG_MAX_BYTES, &text, &len, err);
		if (r >= 0)
			r = parse_text(&st, text, len, path, suffix_pid(path), rec, diags, err);
		free(st.v);
		return r;
	}
	if (errno != ENOENT)
		return sc_error_errno(err, -errno, "%s: cannot open", path);

	struct ff_file *files = NULL;
	size_t n = 0;
	r = list_ff_files(path, &files, &n, err);
	if (r < 0)
		return r;
	if (n == 0)
		r = sc_error_set(err, -ENOENT, "%s: no such file, and no %s.PID files from strace -ff",
				 path, path);
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		r = sc_read_user_file(files[i].path, LOG_MAX_BYTES, &text, &len, err);
		if (r >= 0)
			r = parse_text(&st, text, len, files[i].path, files[i].pid, rec, diags, err);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
	free(st.v);
	return r;
}
