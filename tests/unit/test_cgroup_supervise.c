/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Supervised sandboxes on this host: a cgroup of their own with the
 * limits, a record that follows them, nothing left behind; a crashed
 * supervisor's sandbox settled by the next command.  Needs root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>

#include "seclude/caps.h"
#include "seclude/container.h"
#include "seclude/state.h"
#include "seclude/supervise.h"
#include "seclude/util.h"

static char self_exe[4096];
static char state_root[64];

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* Running, not a zombie waiting for a reaper. */
static bool alive(pid_t pid)
{
	char path[64], *text = NULL;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (sc_read_file(path, 4096, &text, NULL, NULL) < 0)
		return false;
	const char *paren = strrchr(text, ')');
	bool live = paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
	free(text);
	return live;
}

static void assert_cgroup_gone(const struct sc_cgroup *cg)
{
	assert_non_null(cg);
	for (int i = 0; i < SC_CG_NCTRL; i++)
		if (cg->v1[i])
			assert_false(exists(cg->v1[i]));
	if (cg->dir)
		assert_false(exists(cg->dir));
}

static int setup(void **state)
{
	snprintf(state_root, sizeof(state_root), "/tmp/seclude-sup-XXXXXX");
	if (!mkdtemp(state_root))
		return -1;
	setenv("SECLUDE_STATE_DIR", state_root, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct sc_mount self_dir;

static struct sc_sandbox_config config(char **argv)
{
	self_dir = sc_test_self_dir_mount();
	return (struct sc_sandbox_config){
		.argv = argv,
		.mounts = &self_dir,
		.n_mounts = 1,
		.namespaces = SC_NS_DOCKER,
		.caps = sc_caps_docker_default(),
		.no_new_privs = true,
	};
}

static void limit(struct sc_cgroup_limits *l, const char *name, const char *value)
{
	struct sc_error err = {0};
	if (sc_limits_set(l, name, value, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_foreground_named(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { "/bin/sh", "-c", "grep -q ':/$' /proc/self/cgroup && exit 3; exit 4", NULL };
	struct sc_sandbox_config c = config(argv);
	struct sc_cgroup_limits l = {0};
	limit(&l, "pids-limit", "20");
	limit(&l, "cpu-shares", "512");
	struct sc_spec spec = { .limits = l };
	struct sc_supervise_opts o = { .name = "fg", .spec = &spec };
	struct sc_error err = {0};
	struct sc_diags d = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, &d, &err) < 0)
		fail_msg("%s", err.msg);
	/* In its own cgroup namespace the sandbox sees its cgroup as the root. */
	assert_int_equal(code, 3);

	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, "fg", &s, &err), 0);
	assert_string_equal(s.id, id);
	assert_int_equal(s.status, SC_STATUS_EXITED);
	assert_int_equal(s.exit_code, 3);
	assert_false(s.oom_killed);
	assert_true(s.pid > 0);
	assert_true(s.finished >= s.started && s.started >= s.created);
	assert_int_equal(s.spec.limits.cpu_shares, 512);
	assert_cgroup_gone(s.cgroup);
	sc_state_free(&s);

	/* The name stays taken until rm, as Docker's. */
	assert_int_equal(sc_supervise_run(&c, &o, &code, id, &d, &err), -EEXIST);
	assert_int_equal(code, 125);
	sc_diags_free(&d);
	sc_limits_free(&l);
}

static void test_anonymous_leaves_nothing(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { "/bin/true", NULL };
	struct sc_sandbox_config c = config(argv);
	struct sc_supervise_opts o = {0};
	struct sc_error err = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 0);
	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, id, &s, &err), -ENOENT);

	/* A command that is not found: 127, and still no record. */
	char *nf[] = { "no-such-command-anywhere", NULL };
	c.argv = nf;
	assert_true(sc_supervise_run(&c, &o, &code, id, NULL, &err) < 0);
	assert_int_equal(code, 127);
	assert_int_equal(sc_state_load(state_root, id, &s, &err), -ENOENT);
}

static void test_oom_killed(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { self_exe, "eat-memory", NULL };
	struct sc_sandbox_config c = config(argv);
	struct sc_cgroup_limits l = {0};
	limit(&l, "memory", "32m");
	struct sc_spec spec = { .limits = l };
	struct sc_supervise_opts o = { .name = "oom", .spec = &spec };
	struct sc_error err = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 137);
	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, "oom", &s, &err), 0);
	assert_true(s.oom_killed);
	assert_int_equal(s.exit_code, 137);
	assert_cgroup_gone(s.cgroup);
	sc_state_free(&s);
	sc_limits_free(&l);
}

static void test_detached_and_crashed_supervisor(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { "/bin/sh", "-c", "echo hello from the log; exec sleep 60", NULL };
	struct sc_sandbox_config c = config(argv);
	struct sc_supervise_opts o = { .name = "bg", .detach = true };
	struct sc_error err = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 0);

	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, "bg", &s, &err), 0);
	assert_int_equal(s.status, SC_STATUS_RUNNING);
	assert_true(s.detached);
	assert_true(sc_state_supervised(state_root, "bg"));
	assert_true(alive(s.pid));
	assert_true(sc_cgroup_is_populated(s.cgroup));
	pid_t *pids;
	size_t n;
	assert_int_equal(sc_cgroup_pids(s.cgroup, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], s.pid);
	free(pids);

	/* The output reaches the log while it runs. */
	char *log = sc_state_path(state_root, "bg", "log");
	char *text = NULL;
	for (int i = 0; i < 500; i++) {
		free(text);
		text = NULL;
		assert_int_equal(sc_read_file(log, 4096, &text, NULL, &err), 0);
		if (*text)
			break;
		usleep(10000);
	}
	assert_string_equal(text, "hello from the log\n");
	free(text);
	free(log);

	/* The supervisor dies without a word: the next look settles it. */
	assert_int_equal(kill(s.supervisor, SIGKILL), 0);
	for (int i = 0; i < 200 && sc_state_supervised(state_root, "bg"); i++)
		usleep(10000);
	assert_false(sc_state_supervised(state_root, "bg"));
	struct sc_diags d = {0};
	assert_int_equal(sc_state_gc(state_root, &d, &err), 0);
	sc_diags_free(&d);
	struct sc_state after;
	assert_int_equal(sc_state_load(state_root, "bg", &after, &err), 0);
	assert_int_equal(after.status, SC_STATUS_EXITED);
	assert_non_null(after.error);
	assert_cgroup_gone(s.cgroup);
	assert_false(alive(s.pid));
	sc_state_free(&after);
	sc_state_free(&s);
}

/* Run sc_sandbox_exec with its stdout in buf. */
static int exec_capture(struct sc_state *s, char **argv, char *buf, size_t len, int *code,
			struct sc_error *err)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	int saved = dup(1);
	dup2(p[1], 1);
	close(p[1]);
	int r = sc_sandbox_exec(state_root, s, argv, code, err);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	ssize_t n = read(p[0], buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return r;
}

static void test_exec_joins_everything(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { "/bin/sleep", "60", NULL };
	struct sc_sandbox_config c = config(argv);
	c.hostname = "inside";
	char *env[] = { "PATH=/usr/bin:/bin", "GREETING=hello", NULL };
	c.env = env;
	c.caps = SC_CAP_SET(CAP_CHOWN) | SC_CAP_SET(CAP_KILL);
	/* what the record keeps and exec reads back */
	struct sc_spec spec = {
		.process = { .args = argv, .n_args = 2, .env = env, .n_env = 2, .caps = c.caps,
			     .no_new_privs = c.no_new_privs },
		.namespaces = c.namespaces,
		.hostname = "inside",
	};
	struct sc_supervise_opts o = { .name = "ex", .detach = true, .spec = &spec };
	struct sc_error err = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, "ex", &s, &err), 0);

	char out[4096];
	char *show[] = { "/bin/sh", "-c",
		"for n in pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$n; done;"
		"hostname; grep -E '^(CapBnd|NoNewPrivs)' /proc/self/status; cat /proc/self/cgroup | grep -c ':/$'",
		NULL };
	if (exec_capture(&s, show, out, sizeof(out), &code, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 0);
	/* The same namespaces as the sandbox's first process, as the host sees them. */
	char want[4096] = "";
	const char *ns[] = { "pid", "mnt", "uts", "ipc", "net", "cgroup" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(ns); i++) {
		char path[64], link[128];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)s.pid, ns[i]);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		assert_true(n > 0);
		link[n] = '\0';
		strcat(want, link);
		strcat(want, "\n");
		char host[128];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i]);
		n = readlink(path, host, sizeof(host) - 1);
		host[n > 0 ? n : 0] = '\0';
		assert_string_not_equal(link, host);
	}
	strcat(want, "inside\nCapBnd:\t0000000000000021\nNoNewPrivs:\t1\n");
	assert_int_equal(strncmp(out, want, strlen(want)), 0);
	/* every line of /proc/self/cgroup ends at the namespace's root */
	assert_true(atoi(out + strlen(want)) >= 1);

	/* exec starts from the sandbox's environment */
	char *greet[] = { "/bin/sh", "-c", "echo $GREETING $PATH", NULL };
	assert_int_equal(exec_capture(&s, greet, out, sizeof(out), &code, &err), 0);
	assert_string_equal(out, "hello /usr/bin:/bin\n");

	char *fails[] = { "/bin/sh", "-c", "exit 5", NULL };
	assert_int_equal(exec_capture(&s, fails, out, sizeof(out), &code, &err), 0);
	assert_int_equal(code, 5);
	char *missing[] = { "no-such-program", NULL };
	assert_true(exec_capture(&s, missing, out, sizeof(out), &code, &err) < 0);
	assert_int_equal(code, 127);

	assert_int_equal(sc_cgroup_signal(s.cgroup, SIGKILL, &err), 0);
	for (int i = 0; i < 500 && sc_state_supervised(state_root, "ex"); i++)
		usleep(10000);
	struct sc_state after;
	assert_int_equal(sc_state_load(state_root, "ex", &after, &err), 0);
	assert_int_equal(after.status, SC_STATUS_EXITED);
	assert_int_equal(after.exit_code, 137);
	assert_cgroup_gone(s.cgroup);
	assert_true(sc_sandbox_exec(state_root, &after, fails, &code, &err) < 0);
	assert_int_equal(code, 125);
	sc_state_free(&after);
	sc_state_free(&s);
}

/* The lifecycle verbs as a front-end calls them: update, kill, rm over a detached container's record. */
static void test_lifecycle_from_c(void **state)
{
	if (geteuid() != 0)
		skip();
	char *argv[] = { "/bin/sleep", "60", NULL };
	struct sc_sandbox_config c = config(argv);
	struct sc_spec spec = { .process = { .args = argv, .n_args = 2 }, .namespaces = c.namespaces };
	struct sc_supervise_opts o = { .name = "lc", .detach = true, .spec = &spec };
	struct sc_error err = {0};
	struct sc_diags d = {0};
	char id[65];
	int code = -1;
	if (sc_supervise_run(&c, &o, &code, id, &d, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_state s;
	assert_int_equal(sc_state_load(state_root, "lc", &s, &err), 0);
	assert_int_equal(s.status, SC_STATUS_RUNNING);
	assert_string_equal(s.spec.process.args[0], "/bin/sleep");

	/* update: into the cgroup and into the record's spec */
	struct sc_cgroup_limits l = {0};
	limit(&l, "pids-limit", "33");
	assert_int_equal(sc_container_update(state_root, &s, &l, &d, &err), 0);
	struct sc_state fresh;
	assert_int_equal(sc_state_load(state_root, "lc", &fresh, &err), 0);
	assert_int_equal(fresh.spec.limits.pids_limit, 33);
	sc_state_free(&fresh);

	/* rm of a running one is refused; kill ends it; rm then removes the record */
	assert_int_equal(sc_container_remove(state_root, &s, false, &d, &err), -EBUSY);
	assert_int_equal(sc_container_kill(state_root, &s, SIGKILL, &err), 0);
	assert_true(sc_container_wait_exited(state_root, "lc", 10000, &d));
	struct sc_state after;
	assert_int_equal(sc_state_load(state_root, "lc", &after, &err), 0);
	assert_int_equal(after.status, SC_STATUS_EXITED);
	assert_int_equal(after.exit_code, 137);
	assert_int_equal(sc_container_kill(state_root, &after, SIGKILL, &err), -ESRCH);
	assert_int_equal(sc_container_remove(state_root, &after, false, &d, &err), 0);
	assert_int_equal(sc_state_load(state_root, "lc", &fresh, &err), -ENOENT);
	sc_state_free(&after);
	sc_state_free(&s);
	sc_limits_free(&l);
	sc_diags_free(&d);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "eat-memory") == 0) {
		size_t len = 256u << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		for (size_t i = 0; i < len; i += 4096)
			p[i] = 1;
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	self_exe[n > 0 ? n : 0] = '\0';
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreground_named),
		cmocka_unit_test(test_anonymous_leaves_nothing),
		cmocka_unit_test(test_oom_killed),
		cmocka_unit_test(test_detached_and_crashed_supervisor),
		cmocka_unit_test(test_exec_joins_everything),
		cmocka_unit_test(test_lifecycle_from_c),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
