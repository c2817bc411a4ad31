/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ENOSYS prologue.  A profile lists the syscalls its author knew; a
 * newer one (clone3, faccessat2...) would get the default action, usually
 * EPERM, and libc only falls back to the older call on ENOSYS.  So, as
 * runc does, a syscall numbered above everything the profile names on
 * that architecture gets ENOSYS before the filter proper is consulted.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/profile/bpf_asm.h"
#include "seclude/compile.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u

#define NR_SCAN_LIMIT 1100   /* above every table libseccomp has */

struct maxer {
	uint32_t arch;
	int max;
	const char **multiplexed;   /* names libseccomp gave a pseudo number here */
	size_t n_multiplexed, cap;
};

static void raise_max(struct maxer *m, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(m->arch, name);
	if (nr > m->max)
		m->max = nr;
	if (nr >= 0 || nr == __NR_SCMP_ERROR)
		return;
	if (SC_GROW(m->multiplexed, m->cap, m->n_multiplexed, 16) < 0)
		return;
	m->multiplexed[m->n_multiplexed++] = name;
}

/*
 * libseccomp answers socket() on i386 with socketcall's pseudo number, yet
 * socket() has its own number there (359) and the filter gets a rule for
 * it; runc misses those and would answer ENOSYS before its own rule.  Look
 * for the direct numbers above the maximum so far.
 */
static void raise_max_direct(struct maxer *m)
{
	if (!m->n_multiplexed)
		return;
	int base = m->arch == SCMP_ARCH_X32 ? (int)X32_SYSCALL_BIT : 0;
	for (int nr = base + NR_SCAN_LIMIT - 1; nr >= base && nr > m->max; nr--) {
		char *name = seccomp_syscall_resolve_num_arch(m->arch, nr);
		bool named = false;
		for (size_t i = 0; name && i < m->n_multiplexed && !named; i++)
			named = strcmp(name, m->multiplexed[i]) == 0;
		free(name);
		if (named) {
			m->max = nr;
			return;
		}
	}
}

int sc_policy_max_nr(const struct sc_policy *pol, uint32_t arch)
{
	struct maxer m = { .arch = arch, .max = -1 };
	for (size_t i = 0; i < pol->n_rules; i++)
		raise_max(&m, pol->rules[i].name);
	/*
	 * runc counts every rule that applies, also those dropped for
	 * repeating the default action: naming a new syscall with the default
	 * action is how a profile says "EPERM here, not ENOSYS".
	 */
	const struct sc_profile *p = pol->profile;
	for (size_t i = 0; p && i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		if (!sc_rule_applies(r, &pol->target))
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			raise_max(&m, r->names[j]);
	}
	raise_max_direct(&m);
	free(m.multiplexed);
	return m.max;
}

bool sc_policy_wants_enosys(const struct sc_policy *pol)
{
	switch (pol->default_action) {
	case SC_ACT_ALLOW:
	case SC_ACT_LOG:
	case SC_ACT_TRACE:
		return false;
	default:
		return true;
	}
}

/* The value seccomp_data.arch holds for calls of this libseccomp arch. */
static uint32_t audit_arch_of(uint32_t scmp_arch)
{
	/* x32 calls come in as x86_64 with bit 30 set in the number */
	if (scmp_arch == SCMP_ARCH_X32)
		return AUDIT_ARCH_X86_64;
	return scmp_arch;
}

struct section {
	uint32_t audit;
	int max, max_x32;     /* -1: this ABI is not in the filter or names nothing */
	bool has_native, has_x32;
	int label;
};

int sc_enosys_prologue(const struct sc_policy *pol, struct sc_bpf *out, struct sc_error *err)
{
	*out = (struct sc_bpf){0};
	if (!sc_policy_wants_enosys(pol))
		return 0;

	uint32_t native = seccomp_arch_native();
	const uint32_t *arches = pol->arches;
	size_t n_arches = pol->n_arches;
	if (n_arches == 0) {
		arches = &native;
		n_arches = 1;
	}

	_cleanup_free_ struct section *sec = calloc(n_arches, sizeof(*sec));
	if (!sec)
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t n_sec = 0;
	for (size_t i = 0; i < n_arches; i++) {
		uint32_t audit = audit_arch_of(arches[i]);
		struct section *s = NULL;
		for (size_t j = 0; j < n_sec; j++)
			if (sec[j].audit == audit)
				s = &sec[j];
		if (!s) {
			s = &sec[n_sec++];
			*s = (struct section){ .audit = audit, .max = -1, .max_x32 = -1 };
		}
		int max = sc_policy_max_nr(pol, arches[i]);
		if (arches[i] == SCMP_ARCH_X32) {
			s->has_x32 = true;
			s->max_x32 = max;
		} else {
			s->has_native = true;
			s->max = max;
		}
	}

	struct sc_asm a = {0};
	int filter = sc_asm_label_new(&a), enosys = sc_asm_label_new(&a);
	sc_asm_stmt(&a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	size_t used = 0;
	for (size_t i = 0; i < n_sec; i++) {
		/* an architecture that names nothing has no "newer" syscalls */
		if (sec[i].max < 0 && sec[i].max_x32 < 0)
			continue;
		sec[i].label = sc_asm_label_new(&a);
		sc_asm_jump(&a, BPF_JMP | BPF_JEQ | BPF_K, sec[i].audit, sec[i].label, SC_ASM_NEXT);
		used++;
	}
	/* an architecture not listed: the filter's bad-arch action decides */
	sc_asm_ja(&a, filter);
	for (size_t i = 0; i < n_sec; i++) {
		const struct section *s = &sec[i];
		if (s->max < 0 && s->max_x32 < 0)
			continue;
		sc_asm_label_here(&a, s->label);
		sc_asm_stmt(&a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		/* s390 multiplexes old calls through syscall 0 */
		if (s->audit == AUDIT_ARCH_S390 || s->audit == AUDIT_ARCH_S390X)
			sc_asm_jump(&a, BPF_JMP | BPF_JEQ | BPF_K, 0, enosys, SC_ASM_NEXT);
		if (s->audit == AUDIT_ARCH_X86_64) {
			int x32 = sc_asm_label_new(&a);
			sc_asm_jump(&a, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, x32, SC_ASM_NEXT);
			if (s->max >= 0)
				sc_asm_jump(&a, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)s->max, enosys, filter);
			else
				sc_asm_ja(&a, filter);
			sc_asm_label_here(&a, x32);
			if (s->max_x32 >= 0)
				sc_asm_jump(&a, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)s->max_x32, enosys, filter);
			else
				sc_asm_ja(&a, filter);
		} else {
			sc_asm_jump(&a, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)s->max, enosys, filter);
		}
	}
	sc_asm_label_here(&a, enosys);
	sc_asm_stmt(&a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	sc_asm_label_here(&a, filter);

	int r = 0;
	if (used > 0)
		r = sc_asm_finish(&a, out, err);
	sc_asm_free(&a);
	return r;
}
