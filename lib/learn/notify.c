/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notify recorder: the tree runs under a filter that sends every call
 * to a seccomp listener; whoever holds it records the call's arch and
 * number (and the arguments asked for) from the notification and lets it
 * go on (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  It needs no tracer and no
 * eBPF: any process that holds the listener records, a parent or not (an
 * OCI runtime's detached monitor).  The tree has ended when the listener
 * hangs up.  If the holder dies, every call fails with ENOSYS: nothing
 * runs unrecorded.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "seclude/learn.h"
#include "seclude/util.h"

/* Debian 12's headers predate 6.6 */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

int sc_learn_notify_filter(struct sc_bpf *out, struct sc_error *err)
{
	/*
	 * Every call on every arch is notified (a 32-bit call is recorded like
	 * any other), but the native exit and exit_group: a process that
	 * holds its own listener, its holder gone, must still be able to end
	 * (the launcher's way out when the learner died before taking it).
	 * Every learned profile allows both anyway.
	 */
	const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	out->insns = malloc(sizeof(prog));
	if (!out->insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	memcpy(out->insns, prog, sizeof(prog));
	out->len = SC_ARRAY_SIZE(prog);
	return 0;
}

static int record_one(const struct seccomp_notif *req, struct sc_record *rec, const struct sc_arg_specs *args,
		      const struct sc_learn_progress *progress)
{
	uint32_t arch = req->data.arch;
	uint64_t nr = (uint32_t)req->data.nr;
	bool fresh = sc_record_count(rec, arch, (int)nr) == 0;
	sc_record_add(rec, arch, nr, 1);
	if (args && args->n) {
		uint32_t a = arch;
		int inr = (int)nr;
		if (a == SCMP_ARCH_X86_64 && (nr & SC_X32_SYSCALL_BIT)) {
			a = SCMP_ARCH_X32;
			inr = (int)(nr & ~(uint64_t)SC_X32_SYSCALL_BIT);
		}
		int idx = sc_arg_specs_index(args, a, inr);
		if (idx >= 0) {
			int r = sc_record_add_arg(rec, arch, (int)nr, (unsigned)idx, req->data.args[idx], 1);
			if (r < 0)
				return r;
		}
	}
	if (fresh && progress && progress->new_syscall && sc_record_count(rec, arch, (int)nr))
		progress->new_syscall(progress->ud, arch, (int)nr, rec);
	return 0;
}

int sc_learn_notify_record(int listener, struct sc_record *rec, const struct sc_arg_specs *args,
			   const struct sc_learn_progress *progress, struct sc_error *err)
{
	/* a blocked caller is woken on the recorder's CPU (6.6+; older kernels refuse, harmlessly) */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return sc_error_errno(err, -errno, "cannot wait for the recorded calls");
		}
		if (p.revents & POLLIN) {
			struct seccomp_notif req;
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
				if (errno == ENOENT || errno == EINTR)
					continue;   /* the caller is gone already */
				return sc_error_errno(err, -errno, "cannot receive a recorded call");
			}
			int r = record_one(&req, rec, args, progress);
			struct seccomp_notif_resp resp = { .id = req.id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			if (r < 0)
				return sc_error_errno(err, r, "cannot record a call");
			continue;
		}
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			return 0;   /* every process under the filter has ended */
	}
}
