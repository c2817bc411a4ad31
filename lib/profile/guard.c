/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The terminal injection guard; see guard.h. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "seclude/bpf.h"
#include "seclude/guard.h"
#include "seclude/util.h"

/* ioctl's number on each architecture a process of this host can call with. */
struct arch_ioctl {
	uint32_t arch;
	uint32_t nr;
};

static const struct arch_ioctl guarded[] = {
#if defined(__x86_64__)
	{ AUDIT_ARCH_X86_64, 16 },
	{ AUDIT_ARCH_X86_64, 0x40000000u | 514 },   /* x32 */
	{ AUDIT_ARCH_I386, 54 },
#elif defined(__aarch64__)
	{ AUDIT_ARCH_AARCH64, 29 },
	{ AUDIT_ARCH_ARM, 54 },
#else
	{ 0, __NR_ioctl },   /* 0: the native arch, filled in below */
#endif
};

#if !defined(__x86_64__) && !defined(__aarch64__)
#include <seccomp.h>
#endif

static uint32_t arch_of(const struct arch_ioctl *a)
{
#if !defined(__x86_64__) && !defined(__aarch64__)
	if (!a->arch)
		return seccomp_arch_native();   /* SCMP_ARCH_* are the AUDIT_ARCH_* values */
#endif
	return a->arch;
}

/* The request's low 32 bits: the kernel's ioctl takes an unsigned int. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define REQUEST_LOW (offsetof(struct seccomp_data, args[1]) + 4)
#else
#define REQUEST_LOW offsetof(struct seccomp_data, args[1])
#endif

size_t sc_guard_build(struct sock_filter p[SC_GUARD_MAX])
{
	/*
	 * for each (arch, nr): LD arch; JEQ arch ? next : skip; LD nr; JEQ nr ? check : skip
	 * then ALLOW; check: LD request; JEQ TIOCSTI/TIOCLINUX ? deny : ALLOW; deny: ERRNO(EPERM)
	 */
	size_t n = 0, k = SC_ARRAY_SIZE(guarded);
	size_t check = 4 * k + 1;   /* where the request is read */
	for (size_t i = 0; i < k; i++) {
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
		p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch_of(&guarded[i]), 0, 2);
		p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		p[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, guarded[i].nr,
						    (uint8_t)(check - n - 1), 0);
		n++;
	}
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, REQUEST_LOW);
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0);
	p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	_Static_assert(4 * SC_ARRAY_SIZE(guarded) + 6 <= SC_GUARD_MAX, "the guard fits");
	return n;
}

bool sc_guard_refuses(uint32_t arch, int nr, uint64_t request, uint32_t *ret)
{
	struct sock_filter insns[SC_GUARD_MAX];
	struct sc_bpf prog = { .insns = insns, .len = sc_guard_build(insns) };
	struct seccomp_data d = { .nr = nr, .arch = arch, .args = { 0, request } };
	struct sc_sim_result res;
	struct sc_error err = {0};
	if (sc_bpf_run(&prog, &d, &res, &err) < 0 || res.ret == SECCOMP_RET_ALLOW)
		return false;
	if (ret)
		*ret = res.ret;
	return true;
}

int sc_guard_prepend(const struct sc_bpf *in, struct sc_bpf *out, struct sc_error *err)
{
	struct sock_filter g[SC_GUARD_MAX];
	size_t n = sc_guard_build(g);
	if (in->len > BPF_MAXINSNS - n)
		return sc_error_set(err, -E2BIG,
				    "the seccomp filter has %zu instructions: with seclude's terminal injection "
				    "guard (%zu) it passes the kernel's %d", in->len, n, BPF_MAXINSNS);
	struct sock_filter *p = malloc((n + in->len) * sizeof(*p));
	if (!p)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		p[i] = g[i];
		if (g[i].code == (BPF_RET | BPF_K) && g[i].k == SECCOMP_RET_ALLOW)
			p[i] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(n - i - 1));
	}
	memcpy(p + n, in->insns, in->len * sizeof(*p));
	*out = (struct sc_bpf){ .insns = p, .len = n + in->len };
	return 0;
}
