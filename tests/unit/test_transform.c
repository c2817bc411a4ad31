/* SPDX-License-Identifier: GPL-2.0-or-later */
/* P -> P': which returns become USER_NOTIF, and that P' behaves so in the kernel. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "seclude/notify.h"

/* A program from libseccomp, exported through a memfd (2.5.4 has no export to memory). */
static void compile(scmp_filter_ctx ctx, struct sc_bpf *out)
{
	int fd = memfd_create("bpf", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	off_t len = lseek(fd, 0, SEEK_END);
	assert_true(len > 0 && len % (off_t)sizeof(struct sock_filter) == 0);
	out->len = (size_t)len / sizeof(struct sock_filter);
	out->insns = malloc((size_t)len);
	assert_int_equal(pread(fd, out->insns, (size_t)len, 0), len);
	close(fd);
	seccomp_release(ctx);
}

/* default ALLOW; one rule of each action */
static void mixed_program(struct sc_bpf *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	assert_non_null(ctx);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(chmod), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1234), SCMP_SYS(fchmodat), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(reboot), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(acct), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(swapon), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(vhangup), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
					  SCMP_A0(SCMP_CMP_EQ, 17)), 0);
	compile(ctx, out);
}

static size_t count_ret(const struct sc_bpf *b, uint32_t action)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		if (BPF_CLASS(b->insns[i].code) == BPF_RET &&
		    (b->insns[i].k & SECCOMP_RET_ACTION_FULL) == action)
			n++;
	return n;
}

static void check_rewrite(const struct sc_bpf *p, const struct sc_bpf *q, enum sc_denial_mode mode)
{
	assert_int_equal(p->len, q->len);
	for (size_t i = 0; i < p->len; i++) {
		const struct sock_filter *a = &p->insns[i], *b = &q->insns[i];
		assert_int_equal(a->code, b->code);
		assert_int_equal(a->jt, b->jt);
		assert_int_equal(a->jf, b->jf);
		if (BPF_CLASS(a->code) != BPF_RET) {
			assert_int_equal(a->k, b->k);
			continue;
		}
		uint32_t act = a->k & SECCOMP_RET_ACTION_FULL;
		bool notified = act == SECCOMP_RET_ERRNO ||
				(mode == SC_DENIAL_COMPLAIN && act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_LOG);
		assert_int_equal(b->k, notified ? SECCOMP_RET_USER_NOTIF : a->k);
	}
}

static void test_enforce(void **state)
{
	(void)state;
	struct sc_bpf p, q;
	mixed_program(&p);
	/* the fixture holds what the test is about */
	assert_int_equal(count_ret(&p, SECCOMP_RET_ERRNO), 3);
	assert_true(count_ret(&p, SECCOMP_RET_KILL_PROCESS) >= 1);

	struct sc_rewrite_info info;
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_rewrite_notify(&p, SC_DENIAL_ENFORCE, &q, &info, &err), 0);
	check_rewrite(&p, &q, SC_DENIAL_ENFORCE);
	assert_int_equal(info.n_notify, 3);
	assert_true(info.can_trap);
	assert_true(info.can_kill);
	assert_int_equal(count_ret(&q, SECCOMP_RET_ERRNO), 0);
	assert_int_equal(count_ret(&q, SECCOMP_RET_TRAP), count_ret(&p, SECCOMP_RET_TRAP));
	assert_int_equal(count_ret(&q, SECCOMP_RET_TRACE), 1);
	assert_int_equal(count_ret(&q, SECCOMP_RET_LOG), 1);
	free(q.insns);
	free(p.insns);
}

/* For a monitor that ends processes itself: kills and traps notify too, nothing else changes. */
static void test_enforce_kills(void **state)
{
	(void)state;
	struct sc_bpf p, q;
	mixed_program(&p);
	size_t kills = count_ret(&p, SECCOMP_RET_KILL_PROCESS) + count_ret(&p, SECCOMP_RET_KILL_THREAD) +
		       count_ret(&p, SECCOMP_RET_TRAP);
	assert_true(count_ret(&p, SECCOMP_RET_TRAP) >= 1);
	struct sc_rewrite_info info;
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_rewrite_notify_kills(&p, SC_DENIAL_ENFORCE, &q, &info, &err), 0);
	assert_int_equal(info.n_notify, 3 + kills);
	assert_false(info.can_trap);
	assert_false(info.can_kill);
	assert_int_equal(q.len, p.len);
	assert_int_equal(count_ret(&q, SECCOMP_RET_ERRNO) + count_ret(&q, SECCOMP_RET_TRAP) +
			 count_ret(&q, SECCOMP_RET_KILL_PROCESS) + count_ret(&q, SECCOMP_RET_KILL_THREAD), 0);
	assert_int_equal(count_ret(&q, SECCOMP_RET_TRACE), 1);
	assert_int_equal(count_ret(&q, SECCOMP_RET_LOG), 1);
	for (size_t i = 0; i < p.len; i++)
		if (BPF_CLASS(p.insns[i].code) != BPF_RET)
			assert_memory_equal(&p.insns[i], &q.insns[i], sizeof(p.insns[i]));
	free(q.insns);
	/* complain mode is the plain rewrite */
	struct sc_bpf c1, c2;
	assert_int_equal(sc_bpf_rewrite_notify_kills(&p, SC_DENIAL_COMPLAIN, &c1, NULL, &err), 0);
	assert_int_equal(sc_bpf_rewrite_notify(&p, SC_DENIAL_COMPLAIN, &c2, NULL, &err), 0);
	assert_memory_equal(c1.insns, c2.insns, p.len * sizeof(*p.insns));
	free(c1.insns);
	free(c2.insns);
	free(p.insns);
}

static void test_complain(void **state)
{
	(void)state;
	struct sc_bpf p, q;
	mixed_program(&p);
	struct sc_rewrite_info info;
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_rewrite_notify(&p, SC_DENIAL_COMPLAIN, &q, &info, &err), 0);
	check_rewrite(&p, &q, SC_DENIAL_COMPLAIN);
	assert_false(info.can_trap);
	assert_false(info.can_kill);
	size_t refusing = 0;
	for (size_t i = 0; i < p.len; i++)
		if (BPF_CLASS(p.insns[i].code) == BPF_RET) {
			uint32_t act = p.insns[i].k & SECCOMP_RET_ACTION_FULL;
			refusing += act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_LOG;
		}
	assert_int_equal(info.n_notify, refusing);
	/* what stays: ALLOW and LOG only */
	for (size_t i = 0; i < q.len; i++)
		if (BPF_CLASS(q.insns[i].code) == BPF_RET) {
			uint32_t act = q.insns[i].k & SECCOMP_RET_ACTION_FULL;
			assert_true(act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG ||
				    act == SECCOMP_RET_USER_NOTIF);
		}
	free(q.insns);
	free(p.insns);
}

static void test_refused(void **state)
{
	(void)state;
	struct sc_error err = {0};
	struct sc_bpf q;
	/* A = nr; RET A: what the call gets depends on data the rewrite cannot see */
	struct sock_filter ret_a[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sc_bpf p = { ret_a, 2 };
	assert_int_equal(sc_bpf_rewrite_notify(&p, SC_DENIAL_ENFORCE, &q, NULL, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "instruction 1"));

	struct sock_filter notif[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF) };
	struct sc_bpf n = { notif, 1 };
	assert_int_equal(sc_bpf_rewrite_notify(&n, SC_DENIAL_COMPLAIN, &q, NULL, &err), -ENOTSUP);
	assert_non_null(strstr(err.msg, "SCMP_ACT_NOTIFY"));

	struct sc_bpf empty = { NULL, 0 };
	assert_int_equal(sc_bpf_rewrite_notify(&empty, SC_DENIAL_ENFORCE, &q, NULL, &err), -EINVAL);
}

static void test_errno_zero_and_big(void **state)
{
	(void)state;
	assert_true(sc_ret_notified(SECCOMP_RET_ERRNO | 0, SC_DENIAL_ENFORCE));
	assert_true(sc_ret_notified(SECCOMP_RET_ERRNO | 0xffff, SC_DENIAL_ENFORCE));
	assert_false(sc_ret_notified(SECCOMP_RET_KILL_PROCESS, SC_DENIAL_ENFORCE));
	assert_false(sc_ret_notified(SECCOMP_RET_KILL_THREAD, SC_DENIAL_ENFORCE));
	assert_false(sc_ret_notified(SECCOMP_RET_TRAP | 3, SC_DENIAL_ENFORCE));
	assert_false(sc_ret_notified(SECCOMP_RET_ALLOW, SC_DENIAL_COMPLAIN));
	assert_false(sc_ret_notified(SECCOMP_RET_LOG, SC_DENIAL_COMPLAIN));
	assert_true(sc_ret_notified(SECCOMP_RET_KILL_THREAD, SC_DENIAL_COMPLAIN));
	/* an action the kernel does not know is a kill to it */
	assert_true(sc_ret_notified(0x12340000u, SC_DENIAL_COMPLAIN));
	assert_false(sc_ret_notified(0x12340000u, SC_DENIAL_ENFORCE));
}

/*
 * P' in the kernel: a child loads it with a listener and forks; the
 * grandchild makes allowed calls (which must not reach the listener) and
 * denied ones (which must).  The child answers each notification with the
 * number of the call, so the grandchild can tell which ones went out.
 */
static void test_kernel(void **state)
{
	(void)state;
	struct sc_bpf p, q;
	mixed_program(&p);
	struct sc_error err = {0};
	assert_int_equal(sc_bpf_rewrite_notify(&p, SC_DENIAL_ENFORCE, &q, NULL, &err), 0);

	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(shared != MAP_FAILED);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct sock_fprog prog = { (unsigned short)q.len, q.insns };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(10);
		int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
		if (fd < 0)
			_exit(11);
		pid_t g = fork();
		if (g == 0) {
			/* allowed: answered by the kernel */
			shared[0] = getpid() > 0;
			shared[1] = (int)syscall(SYS_getppid) > 0;           /* LOG stays in the kernel */
			/* ERRNO rules: go to the listener, which answers -nr */
			errno = 0;
			shared[2] = (int)syscall(SYS_chmod, "/nonexistent", 0777) == -1 ? errno : 0;
			errno = 0;
			shared[3] = (int)syscall(SYS_socket, 17, 3, 0) == -1 ? errno : 0;
			errno = 0;
			shared[4] = (int)syscall(SYS_socket, 1, 1, 0) >= 0;  /* condition false: allowed */
			_exit(0);
		}
		int answered = 0;
		for (;;) {
			struct pollfd pf = { fd, POLLIN, 0 };
			if (poll(&pf, 1, 2000) <= 0 || !(pf.revents & POLLIN))
				break;
			struct seccomp_notif req;
			memset(&req, 0, sizeof(req));
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
				break;
			struct seccomp_notif_resp resp = { .id = req.id, .error = -(req.data.nr % 4096) };
			ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			shared[10 + answered++] = req.data.nr;
		}
		shared[9] = answered;
		int st;
		waitpid(g, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 20);
	}
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(shared[0], 1);
	assert_int_equal(shared[1], 1);
	assert_int_equal(shared[2], SYS_chmod);
	assert_int_equal(shared[3], SYS_socket);
	assert_int_equal(shared[4], 1);
	assert_int_equal(shared[9], 2);
	assert_int_equal(shared[10], SYS_chmod);
	assert_int_equal(shared[11], SYS_socket);
	munmap(shared, 4096);
	free(q.insns);
	free(p.insns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enforce),
		cmocka_unit_test(test_enforce_kills),
		cmocka_unit_test(test_complain),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_errno_zero_and_big),
		cmocka_unit_test(test_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
