/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notify recorder: its filter's verdicts in the simulator, and a real
 * process tree recorded by a holder of the listener that is not its tracer
 * (a thread of the parent here; a detached learner in an OCI create).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "seclude/bpf.h"
#include "seclude/learn.h"

static uint32_t verdict(const struct sc_bpf *f, uint32_t arch, int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	struct sc_sim_result res = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_run(f, &d, &res, &err), 0);
	return res.ret;
}

static void test_filter_verdicts(void **state)
{
	(void)state;
	struct sc_bpf f = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_notify_filter(&f, &err), 0);
	uint32_t native = seccomp_arch_native();
	/* a process holding its own listener, its holder gone, can still end */
	assert_int_equal(verdict(&f, native, SYS_exit_group), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&f, native, SYS_exit), SECCOMP_RET_ALLOW);
	/* everything else goes to the recorder, on every arch */
	assert_int_equal(verdict(&f, native, SYS_mkdir), SECCOMP_RET_USER_NOTIF);
	assert_int_equal(verdict(&f, native, SYS_execve), SECCOMP_RET_USER_NOTIF);
	assert_int_equal(verdict(&f, SCMP_ARCH_X86, 252), SECCOMP_RET_USER_NOTIF);   /* i386's exit_group */
	free(f.insns);
}

struct shared {
	int listener;   /* fd number + 1 once loaded */
	int taken;
};

struct recording {
	int fd;
	struct sc_record *rec;
	int r;
};

static void *record(void *arg)
{
	struct recording *x = arg;
	struct sc_error err = {0};
	x->r = sc_learn_notify_record(x->fd, x->rec, NULL, NULL, &err);
	return NULL;
}

static void test_records_a_tree(void **state)
{
	(void)state;
	struct sc_bpf f = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_notify_filter(&f, &err), 0);
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_fprog prog = { .len = (unsigned short)f.len, .filter = f.insns };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(98);
		long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
		if (fd < 0)
			_exit(97);
		/* no system call until the listener is taken */
		__atomic_store_n(&sh->listener, (int)fd + 1, __ATOMIC_RELEASE);
		while (!__atomic_load_n(&sh->taken, __ATOMIC_ACQUIRE))
			;
		syscall(SYS_getppid);
		pid_t c = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
		if (c == 0) {
			struct utsname u;
			syscall(SYS_uname, &u);
			syscall(SYS_exit_group, 0);
		}
		syscall(SYS_wait4, c, NULL, 0, NULL);
		syscall(SYS_exit_group, 3);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	assert_true(pidfd >= 0);
	int num;
	while (!(num = __atomic_load_n(&sh->listener, __ATOMIC_ACQUIRE)))
		;
	struct recording x = { .fd = (int)syscall(SYS_pidfd_getfd, pidfd, num - 1, 0), .rec = sc_record_new() };
	assert_true(x.fd >= 0);
	__atomic_store_n(&sh->taken, 1, __ATOMIC_RELEASE);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, record, &x), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* the listener hangs up once the tree is gone: the recorder returns by itself */
	pthread_join(t, NULL);
	assert_int_equal(x.r, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	uint32_t native = seccomp_arch_native();
	assert_int_equal(sc_record_count(x.rec, native, SYS_getppid), 1);
	assert_int_equal(sc_record_count(x.rec, native, SYS_clone), 1);
	assert_int_equal(sc_record_count(x.rec, native, SYS_uname), 1);   /* the grandchild's */
	assert_int_equal(sc_record_count(x.rec, native, SYS_wait4), 1);
	assert_int_equal(sc_record_count(x.rec, native, SYS_mkdir), 0);
	assert_int_equal(sc_record_count(x.rec, native, SYS_exit_group), 0);   /* let through, not seen */
	sc_record_free(x.rec);
	close(x.fd);
	close(pidfd);
	munmap(sh, sizeof(*sh));
	free(f.insns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_verdicts),
		cmocka_unit_test(test_records_a_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
