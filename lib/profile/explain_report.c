/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An explanation (explain.h) as text for people and as JSON for tools: what seclude explain prints. */
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "seclude/bpf.h"
#include "seclude/explain.h"
#include "seclude/guard.h"
#include "seclude/names.h"
#include "seclude/profile.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u

const char *sc_explain_arch_label(uint32_t arch)
{
	if (arch == SCMP_ARCH_X86)
		return "i386";
	const char *n = sc_arch_user_name(arch);
	return n ? n : "?";
}

static const char *op_symbol(enum sc_op op)
{
	switch (op) {
	case SC_OP_NE: return "!=";
	case SC_OP_LT: return "<";
	case SC_OP_LE: return "<=";
	case SC_OP_EQ: return "==";
	case SC_OP_GE: return ">=";
	case SC_OP_GT: return ">";
	case SC_OP_MASKED_EQ: return "&";
	}
	return "?";
}

static size_t name_index(const struct sc_rule *r, const char *name)
{
	for (size_t j = 0; j < r->n_names; j++)
		if (r->names[j] == name || strcmp(r->names[j], name) == 0)
			return j;
	return 0;
}

static void print_condition(FILE *out, const struct sc_arg *a, uint64_t v)
{
	if (a->op == SC_OP_MASKED_EQ)
		fprintf(out, "          args[%u] & 0x%llx == 0x%llx (%s): 0x%llx & 0x%llx = 0x%llx\n", a->index,
		       (unsigned long long)a->value, (unsigned long long)a->value_two, sc_op_name(a->op),
		       (unsigned long long)v, (unsigned long long)a->value,
		       (unsigned long long)(v & a->value));
	else
		fprintf(out, "          args[%u] %s %llu (%s): the call has %llu\n", a->index, op_symbol(a->op),
		       (unsigned long long)a->value, sc_op_name(a->op), (unsigned long long)v);
}

static void print_list(FILE *out, const char *what, char **v, size_t n)
{
	if (!n)
		return;
	fprintf(out, " %s", what);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : " ", v[i]);
}

static void print_cond(FILE *out, const char *kind, const struct sc_cond *c, const char *caps_note)
{
	fprintf(out, "%-9s", kind);
	print_list(out, "caps", c->caps, c->n_caps);
	if (c->n_caps)
		fprintf(out, " (%s)", caps_note);
	print_list(out, "arches", c->arches, c->n_arches);
	if (c->has_min_kernel)
		fprintf(out, " minKernel %u.%u", c->min_major, c->min_minor);
	fprintf(out, "\n");
}

/* The rules for this call whose conditions did not hold. */
static void print_unmatched(FILE *out, const struct sc_policy *pol, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		if (!x->name[0] || strcmp(pr->name, x->name) != 0)
			continue;
		fprintf(out, "unmatched syscalls[%zu] at %s: %s", pr->rule->index, sc_profile_where(p, pr->rule->loc),
		       sc_action_name(pr->action));
		if (pr->action == SC_ACT_ERRNO || pr->action == SC_ACT_TRACE)
			fprintf(out, " %u", pr->errno_ret);
		fprintf(out, "\n");
		for (size_t k = 0; k < pr->n_args; k++)
			print_condition(out, &pr->args[k], x->args[pr->args[k].index]);
	}
}

/*
 * The guard (guard.h) is a filter of every sandbox, not of the profile:
 * where it refuses the call its verdict is what the call gets, and the
 * profile's own answer follows, named as such.
 */
static bool guarded(const struct sc_explain *x, uint32_t *ret)
{
	uint32_t arch = x->arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : x->arch;
	return sc_guard_refuses(arch, x->nr, x->args[1], ret);
}

void sc_explain_write_text(FILE *out, const struct sc_policy *pol, const struct sc_bpf *b, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	char verdict[64];
	uint32_t gret;
	bool guard = guarded(x, &gret);
	sc_ret_describe(guard ? gret : x->ret, verdict, sizeof(verdict));
	fprintf(out, "%s\n", verdict);
	fprintf(out, "call      %s(", x->name[0] ? x->name : "(unnamed)");
	for (int i = 0; i < 6; i++)
		fprintf(out, "%s0x%llx", i ? ", " : "", (unsigned long long)x->args[i]);
	fprintf(out, ") = syscall %d", x->nr);
	if ((uint32_t)x->nr & X32_SYSCALL_BIT)
		fprintf(out, " (0x%x)", (unsigned)x->nr);
	fprintf(out, " on %s\n", sc_explain_arch_label(x->arch));
	if (guard) {
		sc_ret_describe(x->ret, verdict, sizeof(verdict));
		fprintf(out, "guard     %s: ioctl TIOCSTI and TIOCLINUX fail with EPERM in every\n"
		       "          sandbox seclude starts, whatever the profile says\n"
		       "profile   on its own the profile gives %s:\n", SC_GUARD_NAME, verdict);
	}

	switch (x->source) {
	case SC_EXPLAIN_RULE:
	case SC_EXPLAIN_REWRITE: {
		const struct sc_rule *r = x->rule->rule;
		size_t j = name_index(r, x->rule->name);
		fprintf(out, "rule      syscalls[%zu] at %s: %s", r->index, sc_profile_where(p, r->loc),
		       sc_action_name(r->action));
		if (r->action == SC_ACT_ERRNO || r->action == SC_ACT_TRACE)
			fprintf(out, " %u", x->rule->errno_ret);
		fprintf(out, "\n");
		fprintf(out, "name      names[%zu] \"%s\" at %s", j, x->rule->name, sc_profile_where(p, r->name_locs[j]));
		if (r->n_names > 1)
			fprintf(out, " (one of %zu names)", r->n_names);
		fprintf(out, "\n");
		if (r->comment && r->comment[0])
			fprintf(out, "comment   %s\n", r->comment);
		if (x->source == SC_EXPLAIN_REWRITE) {
			fprintf(out, "note      libseccomp also puts a %s rule on %s here, the multiplexer %s\n"
			       "          goes through on %s, without the rule's argument conditions\n"
			       "          (they sit behind a pointer there); Docker's filters do the same\n",
			       x->rule->name, x->name, x->rule->name, sc_explain_arch_label(x->arch));
		} else if (x->rule->n_args) {
			fprintf(out, "when      %s\n", x->rule->n_args > 1 ? "all of these hold" : "this holds");
			for (size_t i = 0; i < x->rule->n_args; i++)
				print_condition(out, &x->rule->args[i], x->args[x->rule->args[i].index]);
		}
		if (r->has_includes)
			print_cond(out, "includes", &r->includes, "all held by the target");
		if (r->has_excludes)
			print_cond(out, "excludes", &r->excludes, "none held by the target");
		break;
	}
	case SC_EXPLAIN_DEFAULT:
		fprintf(out, "default   no rule matches: defaultAction %s", sc_action_name(pol->default_action));
		if (pol->default_action == SC_ACT_ERRNO || pol->default_action == SC_ACT_TRACE)
			fprintf(out, ", errno %u", pol->default_errno);
		fprintf(out, " at %s\n", sc_profile_where(p, p->default_action_loc));
		print_unmatched(out, pol, x);
		break;
	case SC_EXPLAIN_ENOSYS: {
		char *top = seccomp_syscall_resolve_num_arch(x->arch, x->max_nr);
		fprintf(out, "prologue  syscall %d is above %d (%s), the highest this profile names on %s:\n"
		       "          it is taken as newer than the profile and gets ENOSYS, so libc\n"
		       "          falls back to an older call (as runc does)\n",
		       x->nr, x->max_nr, top ? top : "?", sc_explain_arch_label(x->arch));
		free(top);
		break;
	}
	case SC_EXPLAIN_BAD_ARCH:
		fprintf(out, "arch      the filter has no %s section: libseccomp's bad-architecture action\n",
		       sc_explain_arch_label(x->arch));
		break;
	case SC_EXPLAIN_UNKNOWN:
		fprintf(out, "unknown   no rule of the profile gives this verdict\n");
		break;
	}
	fprintf(out, "filter    %zu instructions, %zu executed for this call\n", b->len, x->executed);
}

static const char *source_name(enum sc_explain_source s)
{
	switch (s) {
	case SC_EXPLAIN_RULE: return "rule";
	case SC_EXPLAIN_REWRITE: return "rewrite";
	case SC_EXPLAIN_DEFAULT: return "default";
	case SC_EXPLAIN_ENOSYS: return "enosys";
	case SC_EXPLAIN_BAD_ARCH: return "bad-arch";
	case SC_EXPLAIN_UNKNOWN: break;
	}
	return "unknown";
}

static json_t *where_json(const struct sc_profile *p, struct sc_loc loc)
{
	return json_pack("{s:s, s:i, s:i}", "file", p->origin ? p->origin : "", "line", (json_int_t)loc.line,
			 "column", (json_int_t)loc.col);
}

json_t *sc_explain_to_json(const struct sc_policy *pol, const struct sc_bpf *b, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	char verdict[64];
	uint32_t gret;
	bool guard = guarded(x, &gret);
	uint32_t ret = guard ? gret : x->ret;
	sc_ret_describe(ret, verdict, sizeof(verdict));
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(verdict));
	json_object_set_new(o, "ret", json_integer(ret));
	json_object_set_new(o, "guard", guard ? json_string(SC_GUARD_NAME) : json_null());
	sc_ret_describe(x->ret, verdict, sizeof(verdict));
	json_object_set_new(o, "profile_verdict", json_string(verdict));
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	if (action == SECCOMP_RET_ERRNO)
		json_object_set_new(o, "errno", json_integer(data > 4095 ? 4095 : data));
	else
		json_object_set_new(o, "errno", json_null());
	json_object_set_new(o, "profile", json_string(p->origin ? p->origin : ""));
	json_object_set_new(o, "arch", json_string(sc_explain_arch_label(x->arch)));
	json_object_set_new(o, "syscall", x->name[0] ? json_string(x->name) : json_null());
	json_object_set_new(o, "nr", json_integer(x->nr));
	json_t *args = json_array();
	for (int i = 0; i < 6; i++)
		json_array_append_new(args, json_integer((json_int_t)x->args[i]));
	json_object_set_new(o, "args", args);
	json_object_set_new(o, "source", json_string(source_name(x->source)));
	if (x->rule) {
		const struct sc_rule *r = x->rule->rule;
		size_t j = name_index(r, x->rule->name);
		json_t *rule = json_object();
		json_object_set_new(rule, "index", json_integer((json_int_t)r->index));
		json_object_set_new(rule, "path", json_sprintf("syscalls[%zu]", r->index));
		json_object_set_new(rule, "name", json_string(x->rule->name));
		json_object_set_new(rule, "name_index", json_integer((json_int_t)j));
		json_t *names = json_array();
		for (size_t k = 0; k < r->n_names; k++)
			json_array_append_new(names, json_string(r->names[k]));
		json_object_set_new(rule, "names", names);
		json_object_set_new(rule, "action", json_string(sc_action_name(r->action)));
		json_object_set_new(rule, "location", where_json(p, r->loc));
		json_object_set_new(rule, "name_location", where_json(p, r->name_locs[j]));
		json_t *conds = json_array();
		for (size_t k = 0; k < x->rule->n_args; k++) {
			const struct sc_arg *a = &x->rule->args[k];
			json_array_append_new(conds, json_pack("{s:i, s:s, s:I, s:I}", "index", (json_int_t)a->index,
							       "op", sc_op_name(a->op), "value", (json_int_t)a->value,
							       "valueTwo", (json_int_t)a->value_two));
		}
		json_object_set_new(rule, "args", conds);
		json_object_set_new(o, "rule", rule);
	}
	if (x->source == SC_EXPLAIN_DEFAULT)
		json_object_set_new(o, "default_location", where_json(p, p->default_action_loc));
	if (x->source == SC_EXPLAIN_ENOSYS)
		json_object_set_new(o, "max_nr", json_integer(x->max_nr));
	json_object_set_new(o, "instructions", json_integer((json_int_t)b->len));
	json_object_set_new(o, "executed", json_integer((json_int_t)x->executed));
	return o;
}

