/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The steps every process seclude starts into a sandbox shares, run's
 * child, --init's and exec's alike: the namespace flags, the capability
 * sets before execve, the filter load.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/caps.h"

unsigned long sc_ns_clone_flags(unsigned ns)
{
	static const struct { unsigned ns; unsigned long flag; } map[] = {
		{ SC_NS_USER, CLONE_NEWUSER }, { SC_NS_PID, CLONE_NEWPID }, { SC_NS_MOUNT, CLONE_NEWNS },
		{ SC_NS_UTS, CLONE_NEWUTS }, { SC_NS_IPC, CLONE_NEWIPC }, { SC_NS_NET, CLONE_NEWNET },
		{ SC_NS_CGROUP, CLONE_NEWCGROUP },
	};
	unsigned long f = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ns & map[i].ns)
			f |= map[i].flag;
	return f;
}

int sc_caps_for_execve(struct sc_error *err)
{
	uint64_t perm;
	int r = sc_caps_get(NULL, &perm, NULL, err);
	if (r == 0)
		r = sc_caps_set(perm, perm, 0, err);
	if (r == 0)
		r = sc_caps_clear_ambient(err);
	return r;
}

int sc_seccomp_load(const struct sc_bpf *b, unsigned flags, struct sc_error *err)
{
	struct sock_fprog prog = { .len = (unsigned short)b->len, .filter = b->insns };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	/* a kernel before 4.17 has no SPEC_ALLOW: Docker's default flag, dropped there */
	if (r < 0 && errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW))
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags & ~SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog);
	if (r < 0)
		return sc_error_errno(err, -errno, "cannot load the seccomp filter");
	return (int)r;
}
