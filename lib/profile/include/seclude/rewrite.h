/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filter rewrite behind "denials you can see" (notify.h): the
 * compiled program P becomes P', in which the refusals a monitor can
 * reproduce return USER_NOTIF instead.  Pure BPF arithmetic
 * (lib/profile/transform.c); the monitor that answers is in notify.h.
 */
#ifndef SECLUDE_REWRITE_H
#define SECLUDE_REWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"

enum sc_denial_mode {
	SC_DENIAL_ENFORCE,    /* the program sees every verdict of the profile */
	SC_DENIAL_COMPLAIN,   /* every call runs; what the profile refuses is reported */
};

struct sc_rewrite_info {
	size_t n_notify;      /* RET instructions turned into RET USER_NOTIF */
	bool can_trap;        /* a RET TRAP stays in the kernel */
	bool can_kill;        /* a RET KILL_THREAD / KILL_PROCESS stays in the kernel */
};

/*
 * P -> P'.  ENFORCE: RET ERRNO -> RET USER_NOTIF.  COMPLAIN: every RET
 * other than ALLOW and LOG -> RET USER_NOTIF.  Jumps are relative and no
 * instruction is added, so P' has P's shape.  A program that returns its
 * accumulator (RET A) cannot be rewritten without changing what it costs
 * and is refused with -ENOTSUP; so is one that already notifies, whose
 * listener belongs to someone else.
 */
int sc_bpf_rewrite_notify(const struct sc_bpf *in, enum sc_denial_mode mode,
			  struct sc_bpf *out, struct sc_rewrite_info *info,
			  struct sc_error *err);

/*
 * The same, and in ENFORCE mode RET KILL_PROCESS, KILL_THREAD and TRAP
 * become RET USER_NOTIF too: for a monitor that cannot read the kernel's
 * audit records (a user who is not root) and ends the process itself,
 * having named the call (notify.h).
 */
int sc_bpf_rewrite_notify_kills(const struct sc_bpf *in, enum sc_denial_mode mode,
				struct sc_bpf *out, struct sc_rewrite_info *info,
				struct sc_error *err);

/* Whether the supervisor answers ret itself (after the rewrite) in mode. */
bool sc_ret_notified(uint32_t ret, enum sc_denial_mode mode);

#endif
