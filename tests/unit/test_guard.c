/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The terminal injection guard: what it refuses, read from the program in
 * the simulator, and the same calls made under it in the running kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "seclude/bpf.h"
#include "seclude/guard.h"

struct guard_case {
	const char *what;
	uint32_t arch;
	int nr;
	uint64_t request;
	bool refused;
};

static const struct guard_case cases[] = {
	{ "TIOCSTI", AUDIT_ARCH_X86_64, 16, TIOCSTI, true },
	{ "TIOCLINUX", AUDIT_ARCH_X86_64, 16, TIOCLINUX, true },
	{ "TIOCSTI, high bits set (CVE-2019-10063)", AUDIT_ARCH_X86_64, 16, 0xffffffff00000000ull | TIOCSTI, true },
	{ "TIOCSTI from i386", AUDIT_ARCH_I386, 54, TIOCSTI, true },
	{ "TIOCSTI from x32", AUDIT_ARCH_X86_64, 0x40000000 | 514, TIOCSTI, true },
	{ "another request", AUDIT_ARCH_X86_64, 16, TIOCGWINSZ, false },
	{ "TIOCSTI + 1", AUDIT_ARCH_X86_64, 16, TIOCSTI + 1, false },
	{ "not ioctl (i386 54 on x86_64 is setsockopt)", AUDIT_ARCH_X86_64, 54, TIOCSTI, false },
	{ "ioctl's x86_64 number on i386 (lchown)", AUDIT_ARCH_I386, 16, TIOCSTI, false },
	{ "another arch", AUDIT_ARCH_AARCH64, 29, TIOCSTI, false },
};

static void test_table(void **state)
{
	(void)state;
#if !defined(__x86_64__)
	skip();
#endif
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t ret = 0;
		bool r = sc_guard_refuses(cases[i].arch, cases[i].nr, cases[i].request, &ret);
		if (r != cases[i].refused)
			fail_msg("%s: refused %d, want %d", cases[i].what, r, cases[i].refused);
		if (r)
			assert_int_equal(ret, SECCOMP_RET_ERRNO | EPERM);
	}
}

static void test_program_is_valid(void **state)
{
	(void)state;
	struct sock_filter insns[SC_GUARD_MAX];
	struct sc_bpf prog = { .insns = insns, .len = sc_guard_build(insns) };
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_validate(&prog, &err), 0);
}

/* The guard in front of a profile: its refusals first, the profile's verdicts for the rest. */
static void test_prepend(void **state)
{
	(void)state;
	static const uint32_t profile_rets[] = { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | 5, SECCOMP_RET_TRACE };
	for (size_t i = 0; i < sizeof(profile_rets) / sizeof(profile_rets[0]); i++) {
		struct sock_filter one[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 16, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, profile_rets[i]),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		};
		struct sc_bpf in = { .insns = one, .len = 4 }, out = {0};
		struct sc_error err = {0};
		assert_int_equal(sc_guard_prepend(&in, &out, &err), 0);
		assert_int_equal(sc_bpf_validate(&out, &err), 0);
		struct sc_sim_result res;
		struct seccomp_data d = { .nr = 16, .arch = AUDIT_ARCH_X86_64, .args = { 1, TIOCSTI } };
		assert_int_equal(sc_bpf_run(&out, &d, &res, &err), 0);
#if defined(__x86_64__)
		assert_int_equal(res.ret, SECCOMP_RET_ERRNO | EPERM);
#endif
		d.args[1] = TIOCGWINSZ;
		assert_int_equal(sc_bpf_run(&out, &d, &res, &err), 0);
		assert_int_equal(res.ret, profile_rets[i]);
		d.nr = 0;
		assert_int_equal(sc_bpf_run(&out, &d, &res, &err), 0);
		assert_int_equal(res.ret, SECCOMP_RET_KILL_PROCESS);
		sc_bpf_free(&out);
	}
	/* the kernel's limit holds for the whole */
	struct sc_bpf big = { .insns = calloc(4096, sizeof(struct sock_filter)), .len = 4096 }, out = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_guard_prepend(&big, &out, &err), -E2BIG);
	free(big.insns);
}

/* errno of ioctl(fd, request) in a child under the guard; 0 when it worked */
static int under_guard(unsigned long request)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_filter insns[SC_GUARD_MAX];
		struct sock_fprog prog = { .len = (unsigned short)sc_guard_build(insns), .filter = insns };
		int fd = open("/dev/null", O_RDWR);
		char c = 'x';
		if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(255);
		_exit(syscall(SYS_ioctl, fd, request, &c) < 0 ? errno : 0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 254;
}

static void test_kernel(void **state)
{
	(void)state;
	/* /dev/null is no terminal: ENOTTY when the call reaches the driver */
	assert_int_equal(under_guard(TIOCSTI), EPERM);
	assert_int_equal(under_guard(TIOCLINUX), EPERM);
	assert_int_equal(under_guard(0x100000000ul | TIOCSTI), EPERM);
	assert_int_equal(under_guard(TIOCGWINSZ), ENOTTY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_program_is_valid),
		cmocka_unit_test(test_prepend),
		cmocka_unit_test(test_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
