/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A denial in words: the verdict, one line for a terminal, one JSON
 * object for a log, and the part of the profile that decided it.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify_internal.h"
#include "seclude/compile.h"
#include "seclude/denials.h"
#include "seclude/explain.h"
#include "seclude/names.h"
#include "seclude/notify.h"

/* ---- verdicts as words ------------------------------------------------- */

void sc_denial_result(uint32_t ret, char *buf, size_t len)
{
	sc_verdict_describe(ret, SC_VERDICT_TEXT, buf, len);
}

const char *sc_denial_arch_name(uint32_t arch, int nr)
{
	/* x32 shares x86-64's AUDIT_ARCH and sets bit 30 of the number. */
	if (arch == AUDIT_ARCH_X86_64 && nr >= 0 && (nr & 0x40000000))
		return "x32";
	return sc_arch_audit_name(arch);
}

static void iso_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&ts->tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts->tv_nsec / 1000000);
}

void sc_denial_format_text(const struct sc_denial *d, char *buf, size_t len)
{
	char res[64], pid[64], rule[400];
	sc_denial_result(d->ret, res, sizeof(res));
	if (d->pid && d->tid && d->tid != d->pid)
		snprintf(pid, sizeof(pid), "pid %d tid %d", (int)d->pid, (int)d->tid);
	else if (d->pid)
		snprintf(pid, sizeof(pid), "pid %d", (int)d->pid);
	else
		snprintf(pid, sizeof(pid), "host pid %d", (int)d->host_pid);
	if (d->rule[0] && d->where[0])
		snprintf(rule, sizeof(rule), " by %s (%s)", d->rule, d->where);
	else if (d->rule[0])
		snprintf(rule, sizeof(rule), " by %s", d->rule);
	else
		rule[0] = '\0';
	const char *how = d->complain ? "would be" : "->";
	if (d->source == SC_SOURCE_EXIT)
		snprintf(buf, len, "%s %s (%s): killed by SIGSYS (syscall unknown: %s)", d->complain ? "complain" : "denied",
			 pid, d->comm, d->note);
	else if (d->has_args)
		snprintf(buf, len, "%s %s (%s) %s %s(%s) %s %s%s", d->complain ? "complain" : "denied", pid,
			 d->comm, sc_denial_arch_name(d->arch, d->nr), d->syscall, d->args_text, how, res, rule);
	else
		snprintf(buf, len, "%s %s (%s) %s %s %s %s%s%s%s", d->complain ? "complain" : "denied", pid,
			 d->comm, sc_denial_arch_name(d->arch, d->nr), d->syscall, how, res, rule,
			 d->note[0] ? "; " : "", d->note);
}

char *sc_denial_format_json(const struct sc_denial *d)
{
	char t[48], res[64];
	iso_time(&d->when, t, sizeof(t));
	sc_denial_result(d->ret, res, sizeof(res));
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "time", json_string(t));
	json_object_set_new(o, "pid", json_integer(d->pid));
	json_object_set_new(o, "tid", json_integer(d->tid ? d->tid : d->pid));
	json_object_set_new(o, "host_pid", json_integer(d->host_pid));
	json_object_set_new(o, "comm", json_string(d->comm));
	if (d->source != SC_SOURCE_EXIT) {
		json_object_set_new(o, "arch", json_string(sc_denial_arch_name(d->arch, d->nr)));
		json_object_set_new(o, "syscall", json_string(d->syscall));
		json_object_set_new(o, "nr", json_integer(d->nr));
	} else {
		json_object_set_new(o, "syscall", json_null());
	}
	if (d->has_args) {
		json_t *a = json_array();
		for (int i = 0; i < 6; i++)
			json_array_append_new(a, json_integer((json_int_t)d->args[i]));
		json_object_set_new(o, "args", a);
		json_object_set_new(o, "decoded", json_string(d->args_text));
	}
	uint32_t act = d->ret & SECCOMP_RET_ACTION_FULL;
	json_object_set_new(o, "action", json_string(d->source == SC_SOURCE_EXIT ? "kill" : sc_verdict_word(d->ret)));
	if (act == SECCOMP_RET_ERRNO && d->source != SC_SOURCE_EXIT) {
		uint32_t e = d->ret & SECCOMP_RET_DATA;
		if (e > SC_MAX_ERRNO)
			e = SC_MAX_ERRNO;
		json_object_set_new(o, "errno", json_integer(e));
		const char *n = sc_errno_name((int)e);
		json_object_set_new(o, "errno_name", n ? json_string(n) : json_null());
	}
	json_object_set_new(o, "result", json_string(d->source == SC_SOURCE_EXIT ? "killed by SIGSYS" : res));
	json_object_set_new(o, "complain", json_boolean(d->complain));
	json_object_set_new(o, "rule", d->rule[0] ? json_string(d->rule) : json_null());
	json_object_set_new(o, "where", d->where[0] ? json_string(d->where) : json_null());
	json_object_set_new(o, "source", json_string(d->source == SC_SOURCE_NOTIFY ? "notify"
						      : d->source == SC_SOURCE_AUDIT ? "audit" : "exit"));
	if (d->note[0])
		json_object_set_new(o, "note", json_string(d->note));
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

/* ---- which part of the profile decided ---------------------------------- */

/* seccomp_data speaks AUDIT_ARCH; libseccomp calls x32 an arch of its own. */
static uint32_t scmp_arch_of(uint32_t audit_arch, int nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64 && nr >= 0 && ((uint32_t)nr & 0x40000000u))
		return SCMP_ARCH_X32;
	return audit_arch;
}

static void name_rule(const struct sc_policy *pol, const struct sc_policy_rule *r, const char *how,
		      char *rule, size_t rule_len, char *where, size_t where_len)
{
	snprintf(rule, rule_len, "syscalls[%zu]%s", r->rule->index, how);
	if (r->rule->loc.line)
		snprintf(where, where_len, "%s", sc_profile_where(pol->profile, r->rule->loc));
}

void sc_denial_attribute(const struct sc_policy *pol, const struct sc_bpf *prog,
			 const struct seccomp_data *data, bool has_args, uint32_t ret,
			 char *rule, size_t rule_len, char *where, size_t where_len)
{
	rule[0] = where[0] = '\0';
	if (!pol || !prog)
		return;
	uint32_t arch = scmp_arch_of(data->arch, data->nr);
	struct sc_explain ex;
	struct sc_error err = {0};
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = data->args[i];
	/*
	 * An audit record has no arguments: with zeros the simulator may walk
	 * another way than the kernel did, so its answer only counts when it
	 * reaches the same verdict.
	 */
	if (sc_explain_call(pol, prog, arch, data->nr, has_args ? args : NULL, &ex, &err) == 0 &&
	    ex.ret == ret) {
		switch (ex.source) {
		case SC_EXPLAIN_RULE:
			name_rule(pol, ex.rule, "", rule, rule_len, where, where_len);
			return;
		case SC_EXPLAIN_REWRITE:
			name_rule(pol, ex.rule, " (through the multiplexer)", rule, rule_len, where, where_len);
			return;
		case SC_EXPLAIN_DEFAULT:
			snprintf(rule, rule_len, "defaultAction");
			if (pol->profile && pol->profile->default_action_loc.line)
				snprintf(where, where_len, "%s",
					 sc_profile_where(pol->profile, pol->profile->default_action_loc));
			return;
		case SC_EXPLAIN_ENOSYS:
			snprintf(rule, rule_len, "the ENOSYS stub (newer than any syscall the profile names)");
			return;
		case SC_EXPLAIN_BAD_ARCH:
			snprintf(rule, rule_len, "architectures (%s is not in the profile)",
				 sc_denial_arch_name(data->arch, data->nr));
			return;
		case SC_EXPLAIN_UNKNOWN:
			return;
		}
	}
	/* the verdict is the kernel's: find a rule for the name with that action */
	char name[64];
	sc_syscall_name(data->arch, data->nr, name, sizeof(name));
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *r = &pol->rules[i];
		if (!strcmp(r->name, name) && sc_action_ret(r->action, r->errno_ret) == ret) {
			name_rule(pol, r, r->n_args ? " (conditions not checked)" : "", rule, rule_len,
				  where, where_len);
			return;
		}
	}
	if (sc_action_ret(pol->default_action, pol->default_errno) == ret) {
		snprintf(rule, rule_len, "defaultAction");
		if (pol->profile && pol->profile->default_action_loc.line)
			snprintf(where, where_len, "%s", sc_profile_where(pol->profile, pol->profile->default_action_loc));
	}
}

/* ---- a run's denials in words ------------------------------------------ */

void sc_denial_print(FILE *out, const struct sc_denial *den, bool json)
{
	if (json) {
		char *js = sc_denial_format_json(den);
		if (js)
			fprintf(out, "%s\n", js);
		free(js);
	} else {
		char line[2048];
		sc_denial_format_text(den, line, sizeof(line));
		fprintf(out, "seclude: %s\n", line);
	}
	fflush(out);
}

uint64_t sc_denials_total(const struct sc_denials *d)
{
	size_t n;
	const struct sc_denial_count *counts = sc_denials_counts(d, &n);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += counts[i].count;
	return total;
}

void sc_denials_summary_print(FILE *out, const struct sc_denials *d, bool complain)
{
	size_t n;
	const struct sc_denial_count *counts = sc_denials_counts(d, &n);
	uint64_t total = sc_denials_total(d);
	if (!total)
		fprintf(out, "seclude: %s\n", complain ? "no call the profile would refuse"
						    : "no call refused by the profile");
	else
		fprintf(out, "seclude: %" PRIu64 " call%s %s:\n", total, total == 1 ? "" : "s",
			complain ? "the profile would refuse (complain mode)" : "refused by the profile");
	for (size_t i = 0; i < n; i++) {
		char res[64];
		sc_denial_result(counts[i].ret, res, sizeof(res));
		fprintf(out, "seclude:   %-20s %-8s %-24s %" PRIu64 "\n", counts[i].syscall[0] ? counts[i].syscall : "?",
			counts[i].nr < 0 ? "?" : sc_denial_arch_name(counts[i].arch, counts[i].nr), res, counts[i].count);
	}
}

void sc_denials_added_print(FILE *out, const struct sc_denials *d, const char *path, size_t added)
{
	if (!added) {
		fprintf(out, "seclude: %s: nothing to add\n", path);
		return;
	}
	size_t n;
	const struct sc_denial_count *counts = sc_denials_counts(d, &n);
	fprintf(out, "seclude: %s: now allows %zu more syscall%s:", path, added, added == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(counts[j].syscall, counts[i].syscall);
		if (!dup && strncmp(counts[i].syscall, "syscall ", 8) && strcmp(counts[i].syscall, "?"))
			fprintf(out, " %s", counts[i].syscall);
	}
	fputc('\n', out);
}
