/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/explain.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u
/* above every table libseccomp has, on every architecture */
#define NR_SCAN_LIMIT 1100

int sc_syscall_nr(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);
	if (nr >= 0 || nr == __NR_SCMP_ERROR)
		return nr;
	/* libseccomp answers the multiplexer's pseudo number; look for a direct one */
	int base = arch == SCMP_ARCH_X32 ? (int)X32_SYSCALL_BIT : 0;
	for (int i = 0; i < NR_SCAN_LIMIT; i++) {
		char *n = seccomp_syscall_resolve_num_arch(arch, base + i);
		bool same = n && strcmp(n, name) == 0;
		free(n);
		if (same)
			return base + i;
	}
	return nr;
}

int sc_explain_syscall(uint32_t arch, const char *sys, int *nr, struct sc_error *err)
{
	uint64_t num;
	if (sc_parse_u64(sys, &num) == 0) {
		if (num > INT32_MAX)
			return sc_error_set(err, -ERANGE, "explain: syscall number %s is out of range", sys);
		*nr = (int)num;
		if (arch == SCMP_ARCH_X32)
			*nr |= (int)X32_SYSCALL_BIT;
		return 0;
	}
	*nr = sc_syscall_nr(arch, sys);
	if (*nr == __NR_SCMP_ERROR)
		return sc_error_set(err, -EINVAL, "explain: unknown syscall \"%s\"", sys);
	if (*nr < 0)
		return sc_error_set(err, -EINVAL, "explain: %s has no syscall \"%s\"", sc_explain_arch_label(arch), sys);
	return 0;
}

int sc_explain_parse_arg(const char *s, uint64_t *out)
{
	if (s[0] == '-') {
		uint64_t v;
		int r = sc_parse_u64(s + 1, &v);
		if (r < 0)
			return r;
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = (uint64_t)0 - v;
		return 0;
	}
	return sc_parse_u64(s, out);
}

static bool is_32bit(uint32_t arch)
{
	/* libseccomp treats x32 like the 32-bit ABIs: it compares low words */
	switch (arch) {
	case SCMP_ARCH_X86:
	case SCMP_ARCH_X32:
	case SCMP_ARCH_ARM:
	case SCMP_ARCH_MIPS:
	case SCMP_ARCH_MIPSEL:
	case SCMP_ARCH_MIPS64N32:
	case SCMP_ARCH_MIPSEL64N32:
	case SCMP_ARCH_PPC:
	case SCMP_ARCH_S390:
	case SCMP_ARCH_PARISC:
		return true;
	}
	return false;
}

bool sc_arg_matches(const struct sc_arg *a, uint64_t v, uint32_t arch)
{
	uint64_t k = a->value, k2 = a->value_two;
	if (is_32bit(arch)) {
		v &= 0xffffffffu;
		k &= 0xffffffffu;
		k2 &= 0xffffffffu;
	}
	switch (a->op) {
	case SC_OP_NE: return v != k;
	case SC_OP_LT: return v < k;
	case SC_OP_LE: return v <= k;
	case SC_OP_EQ: return v == k;
	case SC_OP_GE: return v >= k;
	case SC_OP_GT: return v > k;
	case SC_OP_MASKED_EQ: return (v & k) == k2;
	}
	return false;
}

static bool rule_matches(const struct sc_policy_rule *r, const uint64_t args[6], uint32_t arch)
{
	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].index > 5 || !sc_arg_matches(&r->args[i], args[r->args[i].index], arch))
			return false;
	return true;
}

static uint32_t audit_arch_of(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arch;
}

static bool policy_has_arch(const struct sc_policy *pol, uint32_t arch)
{
	if (pol->n_arches == 0)
		return arch == seccomp_arch_native();
	for (size_t i = 0; i < pol->n_arches; i++)
		if (pol->arches[i] == arch)
			return true;
	return false;
}

/* socket(), accept()... on i386 also reach the filter as socketcall(SYS_*, ...) */
static bool rewrites_to(uint32_t arch, const char *name, int nr)
{
	return seccomp_syscall_resolve_name_rewrite(arch, name) == nr &&
	       seccomp_syscall_resolve_name_arch(arch, name) < 0;
}

int sc_explain_call(const struct sc_policy *pol, const struct sc_bpf *prog, uint32_t arch, int nr,
		    const uint64_t args[6], struct sc_explain *out, struct sc_error *err)
{
	*out = (struct sc_explain){ .arch = arch, .nr = nr, .max_nr = -1 };
	for (int i = 0; i < 6; i++)
		out->args[i] = args ? args[i] : 0;
	/* a 32-bit process cannot pass more than 32 bits; the kernel zero-extends */
	if (arch == SCMP_ARCH_X86)
		for (int i = 0; i < 6; i++)
			out->args[i] &= 0xffffffffu;
	char *name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (name) {
		snprintf(out->name, sizeof(out->name), "%s", name);
		free(name);
	}

	struct seccomp_data d = { .nr = nr, .arch = audit_arch_of(arch) };
	memcpy(d.args, out->args, sizeof(d.args));
	struct sc_sim_result res;
	int r = sc_bpf_run(prog, &d, &res, err);
	if (r < 0)
		return r;
	out->ret = res.ret;
	out->executed = res.executed;

	if (!policy_has_arch(pol, arch)) {
		out->source = SC_EXPLAIN_BAD_ARCH;
		return 0;
	}
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		/* libseccomp's names are unique per syscall: comparing them is enough */
		if (!out->name[0] || strcmp(pr->name, out->name) != 0)
			continue;
		if (sc_action_ret(pr->action, pr->errno_ret) == res.ret && rule_matches(pr, out->args, arch)) {
			out->source = SC_EXPLAIN_RULE;
			out->rule = pr;
			return 0;
		}
	}
	/* libseccomp moved rules onto the multiplexer without their conditions */
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		if (sc_action_ret(pr->action, pr->errno_ret) == res.ret && rewrites_to(arch, pr->name, nr)) {
			out->source = SC_EXPLAIN_REWRITE;
			out->rule = pr;
			return 0;
		}
	}
	if (res.ret == (SECCOMP_RET_ERRNO | ENOSYS) && sc_policy_wants_enosys(pol)) {
		int max = sc_policy_max_nr(pol, arch);
		if (max >= 0 && (uint32_t)nr > (uint32_t)max) {
			out->source = SC_EXPLAIN_ENOSYS;
			out->max_nr = max;
			return 0;
		}
	}
	if (res.ret == sc_action_ret(pol->default_action, pol->default_errno)) {
		out->source = SC_EXPLAIN_DEFAULT;
		return 0;
	}
	out->source = SC_EXPLAIN_UNKNOWN;
	return 0;
}
