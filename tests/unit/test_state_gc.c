/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc_state_gc beside stop, rm and update on the same records, each in its
 * own process: gc settles a record under the record lock as they change
 * it, so nothing is half removed, a new sandbox of the same name is
 * neither overwritten nor killed, and only the dead supervisor's sandbox
 * is signalled.  Outcomes only: each round checks what is left once both
 * sides are done.  Needs root (cgroups).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/container.h"
#include "seclude/state.h"
#include "seclude/util.h"

#define ROUNDS 15
#define GC_PASSES 20

static char state_root[64];
static struct sc_cgroup_root cg_root;
static char cg_parent[64];

static int setup(void **state)
{
	(void)state;
	snprintf(state_root, sizeof(state_root), "/tmp/seclude-gc-XXXXXX");
	if (!mkdtemp(state_root))
		return -1;
	snprintf(cg_parent, sizeof(cg_parent), "/seclude-test-gc-%d", (int)getpid());
	if (geteuid() == 0 && sc_cgroup_root_detect(NULL, &cg_root, NULL) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_root);
	struct sc_cgroup *top = NULL;
	if (cg_root.path && sc_cgroup_locate(&cg_root, "/", cg_parent + 1, &top, NULL) == 0)
		sc_cgroup_destroy(top, NULL);
	sc_cgroup_free(top);
	sc_cgroup_root_free(&cg_root);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * A sandbox NAME as its supervisor leaves it: a process of the test's that
 * only waits, in a cgroup named after the new id, and the record; *lock is
 * the supervisor's (closed: it died).
 */
static pid_t start_sandbox(const char *name, char id[65], struct sc_cgroup **cg, int *lock)
{
	struct sc_error err = {0};
	sc_state_new_id(id);
	if (sc_cgroup_create(&cg_root, cg_parent, id, cg, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* a failed test leaves nothing running */
		for (;;)
			pause();
	}
	if (sc_cgroup_attach(*cg, pid, &err) < 0)
		fail_msg("%s", err.msg);
	if (sc_state_claim(state_root, name, lock, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_state s = {
		.name = (char *)name, .id = id, .status = SC_STATUS_RUNNING, .pid = pid,
		.pid_start = sc_pid_start_time(pid), .supervisor = getpid(), .exit_code = -1,
		.created = sc_now_ns(), .started = sc_now_ns(), .cgroup = *cg,
	};
	if (sc_state_save(state_root, &s, &err) < 0)
		fail_msg("%s", err.msg);
	return pid;
}

/* Still running: not ended, not even a zombie. */
static bool running(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static pid_t start_gc(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < GC_PASSES; i++)
			if (sc_state_gc(state_root, NULL, NULL) < 0)
				_exit(1);
		_exit(0);
	}
	return pid;
}

static void assert_gc_ended(pid_t gc)
{
	int st;
	assert_int_equal(waitpid(gc, &st, 0), gc);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void reap_killed(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static bool exists(const char *name, const char *file)
{
	char *p = sc_state_path(state_root, name, file);
	struct stat st;
	bool r = p && stat(p, &st) == 0;
	free(p);
	return r;
}

/*
 * rm -f of a sandbox whose supervisor died, and a new sandbox of the same
 * name at once, while gc runs: the new one is whole and untouched.
 */
static void test_gc_beside_rm_and_a_new_sandbox(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct sc_error err = {0};
	for (int round = 0; round < ROUNDS; round++) {
		struct sc_cgroup *cg1 = NULL, *cg2 = NULL;
		char id1[65], id2[65];
		int lock1, lock2;
		pid_t old = start_sandbox("a", id1, &cg1, &lock1);
		close(lock1);          /* the supervisor dies */

		pid_t gc = start_gc();
		struct sc_state s1;
		if (sc_state_load(state_root, "a", &s1, &err) < 0)
			fail_msg("%s", err.msg);
		int r = sc_container_remove(state_root, &s1, true, NULL, &err);
		/* gc may have settled it first; rm then finds it ended and removes it, or it is gone */
		if (r < 0)
			assert_int_equal(r, -ENOENT);
		sc_state_free(&s1);
		pid_t new = start_sandbox("a", id2, &cg2, &lock2);   /* supervised: lock2 held */
		assert_gc_ended(gc);

		struct sc_state now;
		assert_int_equal(sc_state_load(state_root, "a", &now, &err), 0);
		assert_string_equal(now.id, id2);
		assert_int_equal(now.status, SC_STATUS_RUNNING);
		assert_int_equal(now.pid, new);
		sc_state_free(&now);
		assert_true(running(new));
		assert_true(sc_cgroup_is_populated(cg2));
		reap_killed(old);

		kill(new, SIGKILL);
		reap_killed(new);
		assert_int_equal(sc_cgroup_destroy(cg2, &err), 0);
		assert_int_equal(sc_cgroup_destroy(cg1, &err), 0);
		sc_cgroup_free(cg1);
		sc_cgroup_free(cg2);
		assert_int_equal(sc_state_remove(state_root, "a", &err), 0);
		close(lock2);
	}
}

/*
 * update then stop of a sandbox whose supervisor died, while gc runs: one
 * record, whole, ended; its own process killed, a neighbour's not.
 */
static void test_gc_beside_update_and_stop(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct sc_error err = {0};
	for (int round = 0; round < ROUNDS; round++) {
		struct sc_cgroup *cg = NULL, *ncg = NULL;
		char id[65], nid[65];
		int lock, nlock;
		pid_t victim = start_sandbox("b", id, &cg, &lock);
		close(lock);
		pid_t neighbour = start_sandbox("c", nid, &ncg, &nlock);

		pid_t gc = start_gc();
		struct sc_state s;
		assert_int_equal(sc_state_load(state_root, "b", &s, &err), 0);
		struct sc_cgroup_limits l = {0};
		int r = sc_container_update(state_root, &s, &l, NULL, &err);
		if (r < 0)
			assert_int_equal(r, -ESRCH);    /* gc ended it first */
		r = sc_container_stop(state_root, &s, SIGTERM, 1000, NULL, &err);
		assert_int_equal(r, 0);
		sc_state_free(&s);
		assert_gc_ended(gc);

		struct sc_state now;
		assert_int_equal(sc_state_load(state_root, "b", &now, &err), 0);
		assert_string_equal(now.id, id);
		assert_int_equal(now.status, SC_STATUS_EXITED);
		assert_true(now.exit_code >= 0);
		sc_state_free(&now);
		assert_true(exists("b", "state.json"));
		assert_false(running(victim));    /* reaped here: killed by gc or stop */
		assert_false(sc_cgroup_is_populated(cg));

		struct sc_state c;
		assert_int_equal(sc_state_load(state_root, "c", &c, &err), 0);
		assert_string_equal(c.id, nid);
		assert_int_equal(c.status, SC_STATUS_RUNNING);
		sc_state_free(&c);
		assert_true(running(neighbour));

		kill(neighbour, SIGKILL);
		reap_killed(neighbour);
		assert_int_equal(sc_cgroup_destroy(ncg, &err), 0);
		assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
		sc_cgroup_free(cg);
		sc_cgroup_free(ncg);
		assert_int_equal(sc_state_remove(state_root, "b", &err), 0);
		assert_int_equal(sc_state_remove(state_root, "c", &err), 0);
		close(nlock);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gc_beside_rm_and_a_new_sandbox),
		cmocka_unit_test(test_gc_beside_update_and_stop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
