/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live recorders on real process trees: threads, a fork/exec chain,
 * argument values, a program that never execs, one killed mid-run, a
 * command that does not exist.  Each set is checked against what the
 * workload is known to do, against strace -f on the same workload, and the
 * two recorders against each other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/learn.h"
#include "seclude/util.h"

static char workload[4096];

enum recorder { PTRACE, EBPF };

struct run {
	struct sc_record *rec;
	int status;
	pid_t pid;
	char *cgroup_path;       /* eBPF: the leaf, removed by the time run() returns */
};

/* A child that waits for "go", loads the recorder's filter, then execs (or not). */
static pid_t spawn_blocked(char *const argv[], const struct sc_bpf *filter, int *go_fd,
			   int *out_fd)
{
	int go[2], out[2];
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(go[1]);
		dup2(out[1], 1);
		if (read(go[0], &c, 1) != 1)
			_exit(99);
		struct sock_fprog prog = { .len = (unsigned short)filter->len, .filter = filter->insns };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(98);
		if (!argv) {
			/* never execs: two calls and out */
			syscall(SYS_getppid);
			syscall(SYS_exit_group, 3);
		}
		execv(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(go[0]);
	close(out[1]);
	*go_fd = go[1];
	*out_fd = out[0];
	return pid;
}

struct killer {
	int out_fd;
	pid_t pid;
};

/* Kill the workload once it says "ready". */
static void *kill_when_ready(void *arg)
{
	struct killer *k = arg;
	char buf[16];
	if (read(k->out_fd, buf, sizeof(buf)) > 0)
		kill(k->pid, SIGKILL);
	return NULL;
}

static void need_ebpf(void)
{
	char why[256];
	if (!sc_learn_ebpf_available(why, sizeof(why))) {
		print_message("# skipping the eBPF recorder: %s\n", why);
		skip();
	}
}

static void run(enum recorder which, char *const argv[], const struct sc_arg_specs *args,
		bool kill_on_ready, struct run *out)
{
	struct sc_error err = {0};
	struct sc_bpf filter = {0};
	*out = (struct run){0};
	if (which == EBPF)
		need_ebpf();
	if (which == PTRACE)
		assert_int_equal(sc_learn_ptrace_filter(&filter, &err), 0);
	else
		assert_int_equal(sc_learn_allow_filter(&filter, &err), 0);
	int go, outfd;
	pid_t pid = spawn_blocked(argv, &filter, &go, &outfd);
	out->pid = pid;
	out->rec = sc_record_new();
	pthread_t th;
	struct killer k = { .out_fd = outfd, .pid = pid };
	if (kill_on_ready)
		assert_int_equal(pthread_create(&th, NULL, kill_when_ready, &k), 0);

	if (which == PTRACE) {
		if (sc_learn_ptrace_seize(pid, &err) < 0)
			fail_msg("%s", err.msg);
		assert_int_equal(write(go, "g", 1), 1);
		close(go);
		if (sc_learn_ptrace_run(pid, out->rec, args, NULL, &out->status, &err) < 0)
			fail_msg("%s", err.msg);
	} else {
		struct sc_cgroup *cg = NULL;
		uint64_t cgid = 0;
		struct sc_learn_ebpf *e = NULL;
		if (sc_learn_ebpf_open(SC_LEARN_ARM_AT_SECCOMP, args, &e, &err) < 0)
			fail_msg("%s", err.msg);
		if (sc_cgroup_v2_leaf(pid, "seclude-learn", &cg, &cgid, &err) < 0)
			fail_msg("%s", err.msg);
		if (sc_learn_ebpf_set_target(e, cgid, &err) < 0)
			fail_msg("%s", err.msg);
		assert_false(sc_learn_ebpf_armed(e));
		assert_int_equal(write(go, "g", 1), 1);
		close(go);
		assert_int_equal(waitpid(pid, &out->status, 0), pid);
		if (sc_cgroup_wait_empty(cg, 10000, &err) < 0)
			fail_msg("%s", err.msg);
		assert_true(sc_learn_ebpf_armed(e));
		if (sc_learn_ebpf_collect(e, out->rec, &err) < 0)
			fail_msg("%s", err.msg);
		sc_learn_ebpf_close(e);
		out->cgroup_path = strdup(cg->dir);
		if (sc_cgroup_destroy(cg, &err) < 0)
			fail_msg("%s", err.msg);
		sc_cgroup_free(cg);
	}
	if (kill_on_ready)
		pthread_join(th, NULL);
	close(outfd);
	free(filter.insns);
}

static void run_free(struct run *r)
{
	sc_record_free(r->rec);
	free(r->cgroup_path);
}

/* The names recorded, as one sorted comma list. */
static char *names_of(const struct sc_record *rec)
{
	struct sc_learned_name *v;
	size_t n;
	struct sc_error err = {0};
	assert_int_equal(sc_record_names(rec, &v, &n, NULL, &err), 0);
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i].name) + 1;
	char *s = calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, v[i].name);
	}
	sc_learned_names_free(v, n);
	return s;
}

static bool has_name(const char *list, const char *name)
{
	size_t l = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += l)
		if ((p == list || p[-1] == ',') && (p[l] == ',' || p[l] == '\0'))
			return true;
	return false;
}

/* The same workload under strace -f, read back with the log reader. */
static char *strace_names(char *const argv[])
{
	char dir[] = "/tmp/test_learn_rec.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char log[256], cmd[8192];
	snprintf(log, sizeof(log), "%s/log", dir);
	int n = snprintf(cmd, sizeof(cmd), "strace -f -qq -o %s", log);
	for (size_t i = 0; argv[i]; i++)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " '%s'", argv[i]);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, " >/dev/null");
	assert_int_equal(system(cmd), 0);
	struct sc_record *rec = sc_record_new();
	struct sc_error err = {0};
	struct sc_diags d = {0};
	if (sc_learn_strace_log(log, rec, &d, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(d.n, 0);
	char *names = names_of(rec);
	sc_record_free(rec);
	unlink(log);
	rmdir(dir);
	return names;
}

static void check_threads(enum recorder which)
{
	char *argv[] = { workload, "threads", "8", NULL };
	struct run r;
	run(which, argv, NULL, false, &r);
	assert_true(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	char *names = names_of(r.rec);
	/* one distinctive call per thread, and the thread machinery */
	static const char *const want[] = {
		"getcwd", "sysinfo", "times", "getrusage", "sched_yield", "uname", "getppid",
		"sched_getaffinity", "futex", "execve", "exit", "exit_group", "mmap", "set_robust_list",
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(want); i++)
		if (!has_name(names, want[i]))
			fail_msg("%s missing from %s", want[i], names);
	assert_true(has_name(names, "clone3") || has_name(names, "clone"));
	/* nothing from before the filter: the test's own setup calls */
	assert_false(has_name(names, "pipe2"));
	assert_false(has_name(names, "prctl"));
	char *ref = strace_names(argv);
	assert_string_equal(names, ref);
	free(ref);
	free(names);
	run_free(&r);
}

static void check_chain(enum recorder which)
{
	char *argv[] = { workload, "chain", NULL };
	struct run r;
	run(which, argv, NULL, false, &r);
	assert_true(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	char *names = names_of(r.rec);
	/* the shell's child execs the grandchild: its calls are there */
	static const char *const want[] = {
		"execve", "wait4", "vfork", "getpgrp", "getsid", "sysinfo", "exit_group",
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(want); i++)
		if (!has_name(names, want[i]))
			fail_msg("%s missing from %s", want[i], names);
	assert_int_equal(sc_record_count(r.rec, SCMP_ARCH_X86_64, __NR_execve), 3);
	char *ref = strace_names(argv);
	assert_string_equal(names, ref);
	free(ref);
	free(names);
	run_free(&r);
}

static void test_ptrace_threads(void **state) { check_threads(PTRACE); }
static void test_ptrace_chain(void **state) { check_chain(PTRACE); }
static void test_ebpf_threads(void **state) { check_threads(EBPF); }
static void test_ebpf_chain(void **state) { check_chain(EBPF); }

/* Both recorders, same workload: the same set, the same counts where they are deterministic. */
static void test_recorders_agree(void **state)
{
	char *argv[] = { workload, "loop", "100", NULL };
	struct run a, b;
	run(PTRACE, argv, NULL, false, &a);
	run(EBPF, argv, NULL, false, &b);
	char *na = names_of(a.rec), *nb = names_of(b.rec);
	assert_string_equal(na, nb);
	assert_int_equal(sc_record_count(a.rec, SCMP_ARCH_X86_64, __NR_getppid), 100);
	assert_int_equal(sc_record_count(b.rec, SCMP_ARCH_X86_64, __NR_getppid), 100);
	assert_int_equal(a.rec->total, b.rec->total);
	free(na);
	free(nb);
	run_free(&a);
	run_free(&b);
}

static void check_args(enum recorder which, struct run *r)
{
	char *argv[] = { workload, "args", NULL };
	struct sc_arg_specs specs = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_arg_specs_parse(&specs, "socket,prctl,ioctl", &err), 0);
	run(which, argv, &specs, false, r);
	sc_arg_specs_free(&specs);
	assert_true(WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0);
	uint64_t fam = 0;
	bool dumpable = false, fionread = false;
	for (size_t i = 0; i < r->rec->n_argvals; i++) {
		const struct sc_record_argval *v = &r->rec->argvals[i];
		if (v->nr == __NR_socket && v->index == 0 && v->value < 64)
			fam |= UINT64_C(1) << v->value;
		if (v->nr == __NR_socket && v->value == AF_UNIX)
			assert_int_equal(v->count, 2);
		if (v->nr == __NR_prctl && v->value == PR_GET_DUMPABLE)
			dumpable = true;
		if (v->nr == __NR_ioctl && v->index == 1 && v->value == 0x541b /* FIONREAD */)
			fionread = true;
	}
	assert_int_equal(fam, (1u << AF_UNIX) | (1u << AF_INET));
	assert_true(dumpable);
	assert_true(fionread);
}

static void test_ptrace_args(void **state)
{
	struct run r;
	check_args(PTRACE, &r);
	run_free(&r);
}

static void test_ebpf_args(void **state)
{
	struct run r;
	check_args(EBPF, &r);
	run_free(&r);
}

static void check_never_execs(enum recorder which)
{
	struct run r;
	run(which, NULL, NULL, false, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 3);
	char *names = names_of(r.rec);
	assert_string_equal(names, "exit_group,getppid");
	free(names);
	run_free(&r);
}

static void test_ptrace_never_execs(void **state) { check_never_execs(PTRACE); }
static void test_ebpf_never_execs(void **state) { check_never_execs(EBPF); }

static void check_killed(enum recorder which)
{
	char *argv[] = { workload, "linger", NULL };
	struct run r;
	run(which, argv, NULL, true, &r);
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGKILL);
	char *names = names_of(r.rec);
	assert_true(has_name(names, "getppid"));
	assert_true(has_name(names, "write"));
	assert_false(has_name(names, "exit_group"));
	/* nothing left behind: the process is gone, so is the recording cgroup */
	assert_int_equal(kill(r.pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	if (r.cgroup_path) {
		struct stat st;
		assert_int_equal(stat(r.cgroup_path, &st), -1);
	}
	free(names);
	run_free(&r);
}

static void test_ptrace_killed(void **state) { check_killed(PTRACE); }
static void test_ebpf_killed(void **state) { check_killed(EBPF); }

static void check_not_found(enum recorder which)
{
	char *argv[] = { "/nonexistent/command", NULL };
	struct run r;
	run(which, argv, NULL, false, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 127);
	/* the failed execve is recorded like any call */
	assert_int_equal(sc_record_count(r.rec, SCMP_ARCH_X86_64, __NR_execve), 1);
	run_free(&r);
}

static void test_ptrace_not_found(void **state) { check_not_found(PTRACE); }
static void test_ebpf_not_found(void **state) { check_not_found(EBPF); }

/* A RET_TRACE filter with no tracer fails calls instead of letting them through. */
static void test_ptrace_filter_without_tracer(void **state)
{
	struct sc_bpf filter = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_ptrace_filter(&filter, &err), 0);
	char *argv[] = { workload, "leaf", NULL };
	int go, outfd, st;
	pid_t pid = spawn_blocked(argv, &filter, &go, &outfd);
	assert_int_equal(write(go, "g", 1), 1);
	close(go);
	/*
	 * execve returns ENOSYS, so the exec never happens; exit_group fails
	 * too, so how the child ends is up to its libc: look, then kill it.
	 */
	usleep(300 * 1000);
	char link[64], exe[4096];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(link, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		assert_null(strstr(exe, "seclude-learn-workload"));
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_false(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(outfd);
	free(filter.insns);
}

int main(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';
	/* the workload's shell calls getcwd when $PWD is not its directory (meson
	 * test runs in the build directory with the caller's PWD), while the
	 * reference below runs through system(), whose shell sets PWD: the same
	 * environment for both */
	char cwd[4096];
	if (getcwd(cwd, sizeof(cwd)))
		setenv("PWD", cwd, 1);
	snprintf(workload, sizeof(workload), "%s/../../bench/learn/seclude-learn-workload", dirname(self));

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptrace_threads),
		cmocka_unit_test(test_ptrace_chain),
		cmocka_unit_test(test_ptrace_args),
		cmocka_unit_test(test_ptrace_never_execs),
		cmocka_unit_test(test_ptrace_killed),
		cmocka_unit_test(test_ptrace_not_found),
		cmocka_unit_test(test_ptrace_filter_without_tracer),
		cmocka_unit_test(test_ebpf_threads),
		cmocka_unit_test(test_ebpf_chain),
		cmocka_unit_test(test_ebpf_args),
		cmocka_unit_test(test_ebpf_never_execs),
		cmocka_unit_test(test_ebpf_killed),
		cmocka_unit_test(test_ebpf_not_found),
		cmocka_unit_test(test_recorders_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
