/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * P -> P': the returns the supervisor answers become RET USER_NOTIF.
 *
 * Only the K of RET K instructions changes.  Jumps are relative offsets,
 * so nothing moves, and a call P allows walks exactly the instructions it
 * walked before: reporting costs an allowed call nothing.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/rewrite.h"

bool sc_ret_notified(uint32_t ret, enum sc_denial_mode mode)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return false;
	case SECCOMP_RET_ERRNO:
		return true;
	default:
		/*
		 * Kills and traps end in a SIGSYS only the kernel can raise
		 * (si_code SYS_SECCOMP); TRACE belongs to a tracer, if one is
		 * attached.  Complain mode lets them all through instead.
		 */
		return mode == SC_DENIAL_COMPLAIN;
	}
}

int sc_bpf_rewrite_notify(const struct sc_bpf *in, enum sc_denial_mode mode,
			  struct sc_bpf *out, struct sc_rewrite_info *info,
			  struct sc_error *err)
{
	struct sc_rewrite_info inf = {0};
	if (!in || !in->insns || in->len == 0)
		return sc_error_set(err, -EINVAL, "no seccomp program to rewrite");

	for (size_t i = 0; i < in->len; i++) {
		const struct sock_filter *f = &in->insns[i];
		if (BPF_CLASS(f->code) != BPF_RET)
			continue;
		if (BPF_RVAL(f->code) != BPF_K)
			return sc_error_set(err, -ENOTSUP,
					    "instruction %zu returns the accumulator: the program cannot be "
					    "rewritten for reporting", i);
		uint32_t act = f->k & SECCOMP_RET_ACTION_FULL;
		if (act == SECCOMP_RET_USER_NOTIF)
			return sc_error_set(err, -ENOTSUP,
					    "the profile sends calls to a notification listener (SCMP_ACT_NOTIFY): "
					    "denials cannot be reported through the same listener");
		if (act == SECCOMP_RET_TRAP)
			inf.can_trap = true;
		if (act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD)
			inf.can_kill = true;
	}

	struct sock_filter *v = malloc(in->len * sizeof(*v));
	if (!v)
		return sc_error_set(err, -ENOMEM, "out of memory");
	memcpy(v, in->insns, in->len * sizeof(*v));
	for (size_t i = 0; i < in->len; i++) {
		if (BPF_CLASS(v[i].code) == BPF_RET && sc_ret_notified(v[i].k, mode)) {
			v[i].k = SECCOMP_RET_USER_NOTIF;
			inf.n_notify++;
		}
	}
	if (mode == SC_DENIAL_COMPLAIN) {
		/* nothing stays in the kernel that could stop the program */
		inf.can_trap = inf.can_kill = false;
	}
	out->insns = v;
	out->len = in->len;
	if (info)
		*info = inf;
	return 0;
}

int sc_bpf_rewrite_notify_kills(const struct sc_bpf *in, enum sc_denial_mode mode,
				struct sc_bpf *out, struct sc_rewrite_info *info,
				struct sc_error *err)
{
	struct sc_rewrite_info inf = {0};
	int r = sc_bpf_rewrite_notify(in, mode, out, &inf, err);
	if (r < 0 || mode != SC_DENIAL_ENFORCE)
		goto done;
	inf.can_trap = inf.can_kill = false;
	for (size_t i = 0; i < out->len; i++) {
		struct sock_filter *f = &out->insns[i];
		if (BPF_CLASS(f->code) != BPF_RET)
			continue;
		uint32_t act = f->k & SECCOMP_RET_ACTION_FULL;
		if (act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD || act == SECCOMP_RET_TRAP) {
			f->k = SECCOMP_RET_USER_NOTIF;
			inf.n_notify++;
		}
	}
done:
	if (r == 0 && info)
		*info = inf;
	return r;
}
