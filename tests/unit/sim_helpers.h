/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the unit tests: run programs in the simulator and in the kernel. */
#ifndef SECLUDE_TEST_SIM_HELPERS_H
#define SECLUDE_TEST_SIM_HELPERS_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/explain.h"
#include "seclude/util.h"

static inline uint32_t test_audit_arch(uint32_t scmp_arch)
{
	return scmp_arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : scmp_arch;
}

/* The verdict for syscall number nr on arch (SCMP_ARCH_*), or 0xdeadbeef on error. */
static inline uint32_t sim_nr(const struct sc_bpf *b, uint32_t arch, int nr, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = nr, .arch = test_audit_arch(arch) };
	if (args)
		memcpy(d.args, args, sizeof(d.args));
	struct sc_sim_result res = {0};
	struct sc_error err = {0};
	if (sc_bpf_run(b, &d, &res, &err) < 0) {
		print_error("simulator: %s\n", err.msg);
		return 0xdeadbeef;
	}
	return res.ret;
}

static inline uint32_t sim_name(const struct sc_bpf *b, uint32_t arch, const char *name,
				const uint64_t args[6])
{
	int nr = sc_syscall_nr(arch, name);
	if (nr < 0) {
		print_error("%s does not exist on arch 0x%x\n", name, arch);
		return 0xdeadbeef;
	}
	return sim_nr(b, arch, nr, args);
}

/* What the kernel did with one syscall made under a filter. */
struct kernel_result {
	bool loaded;          /* seccomp(2) accepted the program */
	int load_errno;
	bool killed;          /* the child died of a signal */
	int sig;
	long ret;             /* the syscall's return and errno otherwise */
	int err;
};

/*
 * Load prog in a forked child (after no_new_privs) and make syscall nr
 * with args there.  write, exit and exit_group are let through ahead of
 * prog so the child can report back whatever prog says about them.
 */
static inline struct kernel_result kernel_run(const struct sc_bpf *prog, long nr, const uint64_t a[6])
{
	struct kernel_result kr = {0};
	size_t pre = 6, n = prog->len + pre;
	struct sock_filter *f = calloc(n, sizeof(*f));
	f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 3, 0);
	f[2] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 2, 0);
	f[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 1, 0);
	f[4] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 1);
	f[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	memcpy(f + pre, prog->insns, prog->len * sizeof(*f));
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = f };

	int p[2];
	if (pipe(p) < 0) {
		free(f);
		return kr;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		/* the test runner catches SIGSYS; here it must do what it does in a real process */
		signal(SIGSYS, SIG_DFL);
		long msg[3] = { 0, 0, 0 };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0) {
			msg[0] = 1;
			msg[1] = errno;
			(void)!write(p[1], msg, sizeof(msg));
			_exit(0);
		}
		errno = 0;
		msg[1] = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		msg[2] = errno;
		/* raw calls only: a sanitizer's exit path makes calls prog may refuse */
		syscall(__NR_write, p[1], msg, sizeof(msg));
		for (;;)
			syscall(__NR_exit_group, 0);
	}
	close(p[1]);
	free(f);
	long msg[3];
	ssize_t got = read(p[0], msg, sizeof(msg));
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st)) {
		kr.loaded = true;
		kr.killed = true;
		kr.sig = WTERMSIG(st);
	} else if (got == (ssize_t)sizeof(msg)) {
		if (msg[0] == 1) {
			kr.load_errno = (int)msg[1];
		} else {
			kr.loaded = true;
			kr.ret = msg[1];
			kr.err = (int)msg[2];
		}
	}
	return kr;
}

/*
 * Does what the kernel did agree with a simulated verdict?  For ALLOW and
 * LOG the call must have run (not failed with the filter's kind of
 * result); the caller picks calls that succeed when run.
 */
static inline bool kernel_agrees(const struct kernel_result *kr, uint32_t verdict)
{
	uint32_t data = verdict & SECCOMP_RET_DATA;
	if (!kr->loaded)
		return false;
	switch (verdict & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
		return kr->killed && kr->sig == SIGSYS;
	case SECCOMP_RET_ERRNO:
		if (data > 4095)
			data = 4095;
		if (data == 0)
			return !kr->killed && kr->ret == 0;
		return !kr->killed && kr->ret == -1 && kr->err == (int)data;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		/* no tracer, no listener: the kernel says ENOSYS */
		return !kr->killed && kr->ret == -1 && kr->err == ENOSYS;
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return !kr->killed && kr->ret >= 0;
	}
	return kr->killed && kr->sig == SIGSYS;
}

#endif
