/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own cgroup trees: the host's default hierarchy (v1 on a
 * hybrid host), and a v2 hierarchy where one is mounted.  Skipped when
 * not root.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/util.h"

static char *get(const char *dir, const char *file)
{
	static char buf[4096];
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	FILE *f = fopen(p, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return buf;
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static void set_ok(struct sc_cgroup_limits *l, const char *name, const char *value)
{
	struct sc_error err = {0};
	if (sc_limits_set(l, name, value, &err) < 0)
		fail_msg("--%s %s: %s", name, value, err.msg);
}

/* A child stopped on a pipe until the test lets it go, then running fn. */
struct child {
	pid_t pid;
	int go;
};

static struct child spawn(void (*fn)(void))
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		char c;
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		fn();
		_exit(0);
	}
	close(p[0]);
	return (struct child){ pid, p[1] };
}

static void release(struct child *c)
{
	assert_int_equal(write(c->go, "x", 1), 1);
	close(c->go);
}

static void sleep_forever(void)
{
	for (;;)
		pause();
}

static void eat_memory(void)
{
	/* Touch 128 MiB, page by page, so the charge is real. */
	size_t len = 128u << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	_exit(0);
}

static void fork_a_few(void)
{
	for (int i = 0; i < 3; i++)
		if (fork() == 0)
			break;
	sleep_forever();
}

static void fork_bomb(void)
{
	for (;;)
		if (fork() < 0)
			pause();
}

static int setup(void **state)
{
	if (geteuid() != 0)
		return 0;
	struct sc_cgroup_root *r = calloc(1, sizeof(*r));
	struct sc_error err = {0};
	if (sc_cgroup_root_detect(NULL, r, &err) < 0) {
		free(r);
		return 0;
	}
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	if (*state) {
		sc_cgroup_root_free(*state);
		free(*state);
	}
	return 0;
}

static void test_limits_reach_the_kernel(void **state)
{
	struct sc_cgroup_root *r = *state;
	if (!r)
		skip();
	char name[64];
	snprintf(name, sizeof(name), "unit-%d", (int)getpid());
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup *cg = NULL;
	if (sc_cgroup_create(r, NULL, name, &cg, &d, &err) < 0)
		fail_msg("%s", err.msg);

	struct sc_cgroup_limits l = {0};
	set_ok(&l, "memory", "64m");
	set_ok(&l, "cpu-shares", "512");
	set_ok(&l, "cpus", "0.5");
	set_ok(&l, "cpuset-cpus", "0");
	set_ok(&l, "pids-limit", "20");
	set_ok(&l, "blkio-weight", "500");
	assert_int_equal(sc_limits_check(&l, false, (unsigned)sysconf(_SC_NPROCESSORS_ONLN), &d, &err), 0);
	if (sc_cgroup_apply(cg, &l, &d, &err) < 0)
		fail_msg("%s", err.msg);

	if (r->version == SC_CGROUP_V1) {
		assert_string_equal(get(cg->v1[SC_CG_MEMORY], "memory.limit_in_bytes"), "67108864");
		assert_string_equal(get(cg->v1[SC_CG_CPU], "cpu.shares"), "512");
		assert_string_equal(get(cg->v1[SC_CG_CPU], "cpu.cfs_quota_us"), "50000");
		assert_string_equal(get(cg->v1[SC_CG_CPU], "cpu.cfs_period_us"), "100000");
		assert_string_equal(get(cg->v1[SC_CG_CPUSET], "cpuset.cpus"), "0");
		assert_string_equal(get(cg->v1[SC_CG_PIDS], "pids.max"), "20");
		bool weight = exists(cg->v1[SC_CG_BLKIO]) &&
			      (get(cg->v1[SC_CG_BLKIO], "blkio.weight") || get(cg->v1[SC_CG_BLKIO], "blkio.bfq.weight"));
		/* No weight file, or no device scheduled by BFQ (this host): a warning. */
		bool bfq = system("grep -qs '\\[bfq\\]' /sys/block/*/queue/scheduler") == 0;
		assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), weight && bfq ? 0 : 1);
	} else {
		assert_string_equal(get(cg->dir, "memory.max"), "67108864");
		assert_string_equal(get(cg->dir, "cpu.weight"), "20");
		assert_string_equal(get(cg->dir, "cpu.max"), "50000 100000");
		assert_string_equal(get(cg->dir, "pids.max"), "20");
	}

	/* update: the new value is in the file at once */
	sc_limits_free(&l);
	set_ok(&l, "cpu-shares", "1024");
	set_ok(&l, "memory", "128m");
	set_ok(&l, "memory-swap", "256m");
	assert_int_equal(sc_limits_check(&l, true, 2, &d, &err), 0);
	if (sc_cgroup_apply(cg, &l, &d, &err) < 0)
		fail_msg("%s", err.msg);
	if (r->version == SC_CGROUP_V1) {
		assert_string_equal(get(cg->v1[SC_CG_CPU], "cpu.shares"), "1024");
		assert_string_equal(get(cg->v1[SC_CG_MEMORY], "memory.limit_in_bytes"), "134217728");
		if (get(cg->v1[SC_CG_MEMORY], "memory.memsw.limit_in_bytes"))
			assert_string_equal(get(cg->v1[SC_CG_MEMORY], "memory.memsw.limit_in_bytes"), "268435456");
	}
	sc_limits_free(&l);

	/* A process joins, shows up in the list and in its /proc cgroup file. */
	struct child c = spawn(sleep_forever);
	assert_int_equal(sc_cgroup_attach(cg, c.pid, &err), 0);
	pid_t *pids = NULL;
	size_t n = 0;
	assert_int_equal(sc_cgroup_pids(cg, &pids, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], c.pid);
	free(pids);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/%d", (int)c.pid);
	const char *own = get(proc, "cgroup");
	assert_non_null(own);
	assert_non_null(strstr(own, name));
	assert_true(sc_cgroup_is_populated(cg));
	struct sc_cgroup_stats s;
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	assert_int_equal(s.memory_limit, 128u << 20);
	assert_int_equal(s.pids_limit, 20);
	assert_int_equal(s.pids_current, 1);

	/* destroy kills what is inside and leaves no directory behind */
	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	int st;
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(c.go);
	for (int i = 0; i < SC_CG_NCTRL; i++)
		if (cg->v1[i])
			assert_false(exists(cg->v1[i]));
	if (cg->dir)
		assert_false(exists(cg->dir));
	sc_diags_free(&d);
	sc_cgroup_free(cg);
}

static void test_oom_is_counted(void **state)
{
	struct sc_cgroup_root *r = *state;
	if (!r)
		skip();
	char name[64];
	snprintf(name, sizeof(name), "unit-oom-%d", (int)getpid());
	struct sc_error err = {0};
	struct sc_cgroup *cg = NULL;
	if (sc_cgroup_create(r, NULL, name, &cg, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_cgroup_limits l = {0};
	set_ok(&l, "memory", "32m");
	assert_int_equal(sc_limits_check(&l, false, 2, NULL, &err), 0);
	if (sc_cgroup_apply(cg, &l, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_cgroup_stats s;
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	if (s.memory_limit != 32u << 20)
		skip();  /* no memory controller: nothing to count */
	assert_int_equal(s.oom_kills, 0);

	struct child c = spawn(eat_memory);
	assert_int_equal(sc_cgroup_attach(cg, c.pid, &err), 0);
	release(&c);
	int st;
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	assert_true(s.oom_kills >= 1);
	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	sc_limits_free(&l);
	sc_cgroup_free(cg);
}

static void test_fork_bomb_is_contained(void **state)
{
	struct sc_cgroup_root *r = *state;
	if (!r)
		skip();
	char name[64];
	snprintf(name, sizeof(name), "unit-bomb-%d", (int)getpid());
	struct sc_error err = {0};
	struct sc_cgroup *cg = NULL;
	if (sc_cgroup_create(r, NULL, name, &cg, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	struct sc_cgroup_limits l = {0};
	set_ok(&l, "pids-limit", "20");
	assert_int_equal(sc_cgroup_apply(cg, &l, NULL, &err), 0);
	struct sc_cgroup_stats s;
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	if (s.pids_limit != 20)
		skip();

	struct child c = spawn(fork_bomb);
	assert_int_equal(sc_cgroup_attach(cg, c.pid, &err), 0);
	release(&c);
	/* The bomb fills its 20 slots and no more. */
	for (int i = 0; i < 200; i++) {
		assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
		if (s.pids_current >= 20)
			break;
		usleep(10000);
	}
	assert_int_equal(s.pids_current, 20);
	usleep(100000);
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	assert_int_equal(s.pids_current, 20);

	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	int st;
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFSIGNALED(st));
	for (int i = 0; i < SC_CG_NCTRL; i++)
		if (cg->v1[i])
			assert_false(exists(cg->v1[i]));
	if (cg->dir)
		assert_false(exists(cg->dir));
	sc_limits_free(&l);
	sc_cgroup_free(cg);
}

/* The v2 code on the kernel's v2 tree (on a hybrid host: its controller-less unified mount). */
static void test_real_v2(void **state)
{
	if (geteuid() != 0)
		skip();
	const char *candidates[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	const char *mnt = NULL;
	for (size_t i = 0; i < SC_ARRAY_SIZE(candidates) && !mnt; i++) {
		char p[128];
		snprintf(p, sizeof(p), "%s/cgroup.controllers", candidates[i]);
		if (exists(p))
			mnt = candidates[i];
	}
	if (!mnt)
		skip();
	struct sc_cgroup_root r;
	struct sc_error err = {0};
	assert_int_equal(sc_cgroup_root_detect(mnt, &r, &err), 0);
	assert_int_equal(r.version, SC_CGROUP_V2);
	char parent[64];
	snprintf(parent, sizeof(parent), "/seclude-unit-%d", (int)getpid());
	struct sc_cgroup *cg = NULL;
	if (sc_cgroup_create(&r, parent, "box", &cg, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(exists(cg->dir));
	assert_false(sc_cgroup_is_populated(cg));

	struct child c = spawn(fork_a_few);
	assert_int_equal(sc_cgroup_attach(cg, c.pid, &err), 0);
	release(&c);
	usleep(50000);
	assert_true(sc_cgroup_is_populated(cg));
	int fd = sc_cgroup_open_dirfd(cg, &err);
	assert_true(fd >= 0);
	close(fd);
	/* cgroup.kill takes the parent and its children at once. */
	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	int st;
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_true(WIFSIGNALED(st));
	assert_false(exists(cg->dir));
	char top[128];
	snprintf(top, sizeof(top), "%s%s", mnt, parent);
	assert_int_equal(rmdir(top), 0);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_reach_the_kernel),
		cmocka_unit_test(test_oom_is_counted),
		cmocka_unit_test(test_fork_bomb_is_contained),
		cmocka_unit_test(test_real_v2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
