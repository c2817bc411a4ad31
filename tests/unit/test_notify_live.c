/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monitor against real sandboxes: the program sees what it would
 * see without reporting, and every refusal is reported once, with the
 * right pid, syscall, arguments, result and rule.  The sandboxed program
 * is this test binary, run again with a scenario as its argument.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testlib.h"

#include "seclude/caps.h"
#include "seclude/notify.h"
#include "seclude/profile.h"
#include "seclude/sandbox.h"

static char self[4096];

/* ---- inside the sandbox ---- */

static void *thread_chmod(void *arg)
{
	long i = (long)arg;
	int r = chmod("/tmp", (mode_t)(0700 + i));
	return (void *)(long)(r < 0 ? errno : 0);
}

static int scenario(int argc, char **argv)
{
	const char *what = argv[1];
	if (!strcmp(what, "chmod"))
		return chmod("/tmp", 0777) < 0 ? errno : 0;
	if (!strcmp(what, "mkdir"))
		return mkdir("/tmp/d", 0750) < 0 ? errno : 0;
	if (!strcmp(what, "rmdir"))
		return rmdir("/nonexistent") < 0 ? errno : 0;   /* ERRNO 0: "succeeds" */
	if (!strcmp(what, "kill-process"))
		return (int)syscall(SYS_uselib, NULL) < 0 ? errno : 0;
	if (!strcmp(what, "kill-thread"))
		return (int)syscall(SYS_swapoff, "/nonexistent") < 0 ? errno : 0;
	if (!strcmp(what, "trap"))
		return (int)syscall(SYS_sysfs, 3) < 0 ? errno : 0;
	if (!strcmp(what, "threads")) {
		pthread_t t[4];
		for (long i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, thread_chmod, (void *)i);
		int bad = 0;
		for (int i = 0; i < 4; i++) {
			void *r;
			pthread_join(t[i], &r);
			bad += (long)r != EPERM;
		}
		return bad;
	}
	if (!strcmp(what, "fork")) {
		int bad = 0;
		for (int i = 0; i < 3; i++) {
			pid_t p = fork();
			if (p == 0) {
				printf("%d\n", (int)getpid());
				fflush(stdout);
				_exit(chmod("/tmp", 0700) < 0 ? errno : 0);
			}
			int st;
			waitpid(p, &st, 0);
			bad += !WIFEXITED(st) || WEXITSTATUS(st) != EPERM;
		}
		return bad;
	}
	(void)argc;
	return 100;
}

/* ---- the profile ---- */

static const char profile_text[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
	"  \"syscalls\": [\n"
	"    { \"names\": [\"chmod\", \"fchmodat\"], \"action\": \"SCMP_ACT_ERRNO\" },\n"
	"    { \"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 77 },\n"
	"    { \"names\": [\"rmdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0 },\n"
	"    { \"names\": [\"uselib\"], \"action\": \"SCMP_ACT_KILL_PROCESS\" },\n"
	"    { \"names\": [\"swapoff\"], \"action\": \"SCMP_ACT_KILL\" },\n"
	"    { \"names\": [\"sysfs\"], \"action\": \"SCMP_ACT_TRAP\" }\n"
	"  ]\n"
	"}\n";

static struct sc_profile *prof;
static struct sc_policy *pol;
static struct sc_bpf prog;

static int setup(void **state)
{
	(void)state;
	struct sc_error err = {0};
	struct sc_target t;
	if (sc_target_host(&t, &err) ||
	    sc_profile_parse(profile_text, strlen(profile_text), "p.json", NULL, &prof, NULL, &err) ||
	    sc_profile_resolve(prof, &t, &pol, NULL, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (sc_policy_compile(pol, NULL, &prog, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sc_bpf_free(&prog);
	sc_policy_free(pol);
	sc_profile_free(prof);
	return 0;
}

/* ---- running ---- */

struct reports {
	struct sc_denial v[32];
	size_t n;
};

static void collect(void *ud, const struct sc_denial *d)
{
	struct reports *r = ud;
	if (r->n < 32)
		r->v[r->n++] = *d;
}

struct outcome {
	int code;
	char out[4096];
	struct reports rep;
	struct sc_monitor *sup;
};

static void run(const char *what, bool report, enum sc_denial_mode mode, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	char *argv[] = { self, (char *)what, NULL };
	struct sc_mount self_dir = sc_test_self_dir_mount();
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .caps = sc_caps_docker_default(),
		.mounts = &self_dir, .n_mounts = 1,
		.bpf = &prog, .seccomp_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	};
	struct sc_error err = {0};
	struct sc_bpf rewritten = {0};
	if (report) {
		struct sc_rewrite_info info;
		assert_int_equal(sc_bpf_rewrite_notify(&prog, mode, &rewritten, &info, &err), 0);
		c.bpf = &rewritten;
		c.want_listener = info.n_notify > 0;
		if (info.can_trap)
			c.seccomp_flags |= SECCOMP_FILTER_FLAG_LOG;
		struct sc_monitor_opts so = { .prog = &prog, .policy = pol, .mode = mode,
						 .decode_args = true, .report = collect, .ud = &o->rep };
		assert_int_equal(sc_monitor_new(&so, &o->sup, &err), 0);
		sc_monitor_hooks(o->sup, &c.hooks);
	}
	int p[2];
	assert_int_equal(pipe(p), 0);
	int saved = dup(1);
	dup2(p[1], 1);
	close(p[1]);
	int r = sc_sandbox_run(&c, &o->code, &err);
	dup2(saved, 1);
	close(saved);
	ssize_t n = read(p[0], o->out, sizeof(o->out) - 1);
	o->out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (r < 0)
		fail_msg("%s: %s", what, err.msg);
	if (report)
		assert_int_equal(sc_monitor_finish(o->sup, o->code, &err), 0);
	free(rewritten.insns);
}

static void done(struct outcome *o)
{
	sc_monitor_free(o->sup);
}

static const struct sc_denial *only(const struct outcome *o, const char *syscall)
{
	const struct sc_denial *found = NULL;
	for (size_t i = 0; i < o->rep.n; i++)
		if (!strcmp(o->rep.v[i].syscall, syscall)) {
			assert_null(found);
			found = &o->rep.v[i];
		}
	if (!found)
		fail_msg("no report of %s (%zu reports)", syscall, o->rep.n);
	return found;
}

/* The exit code without reporting, then with: the same; returns it. */
static int same_code(const char *what, struct outcome *o)
{
	run(what, false, SC_DENIAL_ENFORCE, o);
	int plain = o->code;
	run(what, true, SC_DENIAL_ENFORCE, o);
	assert_int_equal(o->code, plain);
	return plain;
}

static void test_chmod_eperm(void **state)
{
	(void)state;
	struct outcome o;
	assert_int_equal(same_code("chmod", &o), EPERM);
	assert_int_equal(o.rep.n, 1);
	const struct sc_denial *d = only(&o, "chmod");
	assert_int_equal(d->source, SC_SOURCE_NOTIFY);
	assert_string_equal(d->args_text, "\"/tmp\", 0777");
	assert_int_equal(d->ret, SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(d->pid, 1);           /* pid 1 of its pid namespace */
	assert_int_equal(d->tid, 1);
	assert_true(d->host_pid > 1);
	assert_string_equal(d->rule, "syscalls[0]");
	assert_string_equal(d->where, "p.json:4:5");
	assert_false(d->complain);
	size_t n;
	const struct sc_denial_count *c = sc_monitor_counts(o.sup, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].count, 1);
	done(&o);
}

static void test_custom_errno(void **state)
{
	(void)state;
	struct outcome o;
	assert_int_equal(same_code("mkdir", &o), 77);
	const struct sc_denial *d = only(&o, "mkdir");
	assert_string_equal(d->args_text, "\"/tmp/d\", 0750");
	assert_int_equal(d->ret, SECCOMP_RET_ERRNO | 77);
	assert_string_equal(d->rule, "syscalls[1]");
	done(&o);

	/* ERRNO 0: the call "succeeds" with 0, as the kernel answers it */
	assert_int_equal(same_code("rmdir", &o), 0);
	d = only(&o, "rmdir");
	assert_int_equal(d->ret, SECCOMP_RET_ERRNO | 0);
	done(&o);
}

static void check_kill(const char *what, const char *syscall, uint32_t ret)
{
	struct outcome o;
	assert_int_equal(same_code(what, &o), 128 + SIGSYS);
	const struct sc_denial *d = only(&o, syscall);
	assert_int_equal(d->source, SC_SOURCE_AUDIT);
	assert_int_equal(d->ret, ret);
	assert_int_equal(d->pid, 1);
	assert_int_equal(d->arch, AUDIT_ARCH_X86_64);
	assert_non_null(strstr(d->rule, "syscalls["));
	/* the record explains the death: no second, unexplained report */
	assert_int_equal(o.rep.n, 1);
	done(&o);
}

static void test_kills_and_trap(void **state)
{
	(void)state;
	check_kill("kill-process", "uselib", SECCOMP_RET_KILL_PROCESS);
	check_kill("kill-thread", "swapoff", SECCOMP_RET_KILL_THREAD);
	check_kill("trap", "sysfs", SECCOMP_RET_TRAP);
}

static void test_threads(void **state)
{
	(void)state;
	struct outcome o;
	assert_int_equal(same_code("threads", &o), 0);
	assert_int_equal(o.rep.n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(o.rep.v[i].syscall, "chmod");
		assert_int_equal(o.rep.v[i].pid, 1);
		assert_true(o.rep.v[i].tid > 1);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(o.rep.v[i].tid, o.rep.v[j].tid);
	}
	done(&o);
}

static void test_fork(void **state)
{
	(void)state;
	struct outcome o;
	assert_int_equal(same_code("fork", &o), 0);
	assert_int_equal(o.rep.n, 3);
	/* each child printed its pid before its chmod: the reports name the same pids */
	char *save = NULL;
	size_t k = 0;
	for (char *t = strtok_r(o.out, "\n", &save); t; t = strtok_r(NULL, "\n", &save), k++) {
		assert_true(k < 3);
		assert_int_equal(o.rep.v[k].pid, atoi(t));
		assert_int_not_equal(o.rep.v[k].pid, 1);
	}
	assert_int_equal(k, 3);
	size_t n;
	const struct sc_denial_count *c = sc_monitor_counts(o.sup, &n);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].count, 3);
	done(&o);
}

static void test_complain(void **state)
{
	(void)state;
	struct outcome o;
	run("chmod", true, SC_DENIAL_COMPLAIN, &o);
	assert_int_equal(o.code, 0);
	const struct sc_denial *d = only(&o, "chmod");
	assert_true(d->complain);
	assert_int_equal(d->ret, SECCOMP_RET_ERRNO | EPERM);
	done(&o);

	/* a kill let through: uselib(NULL) then fails as it does unconfined */
	run("kill-process", true, SC_DENIAL_COMPLAIN, &o);
	assert_int_equal(o.code, ENOSYS);
	d = only(&o, "uselib");
	assert_true(d->complain);
	assert_int_equal(d->source, SC_SOURCE_NOTIFY);
	assert_int_equal(d->ret, SECCOMP_RET_KILL_PROCESS);
	done(&o);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return scenario(argc, argv);
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chmod_eperm),
		cmocka_unit_test(test_custom_errno),
		cmocka_unit_test(test_kills_and_trap),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_complain),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
