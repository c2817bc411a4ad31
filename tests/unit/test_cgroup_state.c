/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sandbox records (state.c) and docker stats' arithmetic (stats.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/state.h"
#include "seclude/stats.h"
#include "seclude/util.h"

static void put(const char *dir, const char *file, const char *content)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void rm_rf(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static void fill(struct sc_state *s, const char *name, int64_t created)
{
	char id[65];
	sc_state_new_id(id);
	*s = (struct sc_state){
		.name = strdup(name),
		.id = strdup(id),
		.status = SC_STATUS_RUNNING,
		.pid = 4242,
		.exit_code = -1,
		.created = created,
		.spec = {
			.process.caps = 0xa80425fb,
			.seccomp.confined = true,
			.seccomp.profile = strdup("default"),
			.namespaces = 0x3f,
		},
	};
	char *argv[] = { "sleep", "100", NULL };
	s->spec.process.args = sc_strv_copy(argv, 2);
	s->spec.process.n_args = 2;
}

static void test_names_and_ids(void **state)
{
	assert_true(sc_state_name_valid("web"));
	assert_true(sc_state_name_valid("a.b-c_1"));
	assert_false(sc_state_name_valid(""));
	assert_false(sc_state_name_valid("-x"));
	assert_false(sc_state_name_valid("a/b"));
	assert_false(sc_state_name_valid(".."));
	char a[65], b[65];
	sc_state_new_id(a);
	sc_state_new_id(b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
	char t[64];
	sc_format_time(1700000000123456789LL, t, sizeof(t));
	assert_string_equal(t, "2023-11-14T22:13:20.123456789Z");
}

static void test_round_trip(void **state)
{
	char root[] = "/tmp/seclude-state-XXXXXX";
	assert_non_null(mkdtemp(root));
	struct sc_error err = {0};
	int lock = -1;
	assert_int_equal(sc_state_claim(root, "web", &lock, &err), 0);
	assert_true(lock >= 0);
	assert_true(sc_state_supervised(root, "web"));

	struct sc_state s;
	fill(&s, "web", 100);
	s.cgroup = calloc(1, sizeof(*s.cgroup));
	s.cgroup->version = SC_CGROUP_V1;
	char mem[128], pids[128];
	snprintf(mem, sizeof(mem), "/sys/fs/cgroup/memory/seclude/%s", s.id);
	snprintf(pids, sizeof(pids), "/sys/fs/cgroup/pids/seclude/%s", s.id);
	s.cgroup->v1[SC_CG_MEMORY] = strdup(mem);
	s.cgroup->v1[SC_CG_PIDS] = strdup(pids);
	struct sc_error e2 = {0};
	assert_int_equal(sc_limits_set(&s.spec.limits, "memory", "32m", &e2), 0);
	assert_int_equal(sc_limits_set(&s.spec.limits, "cpuset-cpus", "0", &e2), 0);
	assert_int_equal(sc_limits_set(&s.spec.limits, "pids-limit", "20", &e2), 0);
	assert_int_equal(sc_state_save(root, &s, &err), 0);

	struct sc_state got;
	assert_int_equal(sc_state_load(root, "web", &got, &err), 0);
	assert_string_equal(got.id, s.id);
	assert_string_equal(got.spec.process.args[0], "sleep");
	assert_string_equal(got.spec.process.args[1], "100");
	assert_null(got.spec.process.args[2]);
	assert_int_equal(got.status, SC_STATUS_RUNNING);
	assert_int_equal(got.pid, 4242);
	assert_int_equal(got.spec.process.caps, 0xa80425fb);
	assert_int_equal(got.exit_code, -1);
	assert_string_equal(got.spec.seccomp.profile, "default");
	assert_int_equal(got.cgroup->version, SC_CGROUP_V1);
	assert_string_equal(got.cgroup->v1[SC_CG_PIDS], pids);
	assert_null(got.cgroup->v1[SC_CG_CPU]);
	assert_int_equal(got.spec.limits.set, SC_LIMIT_MEMORY | SC_LIMIT_CPUSET_CPUS | SC_LIMIT_PIDS);
	assert_int_equal(got.spec.limits.memory, 32 << 20);
	assert_string_equal(got.spec.limits.cpuset_cpus, "0");
	sc_state_free(&got);

	/* by id, by a prefix of it; a name taken */
	char prefix[8];
	snprintf(prefix, sizeof(prefix), "%.7s", s.id);
	assert_int_equal(sc_state_load(root, s.id, &got, &err), 0);
	sc_state_free(&got);
	assert_int_equal(sc_state_load(root, prefix, &got, &err), 0);
	assert_string_equal(got.name, "web");
	sc_state_free(&got);
	assert_int_equal(sc_state_load(root, "nothing", &got, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no such sandbox"));
	int lock2 = -1;
	assert_int_equal(sc_state_claim(root, "web", &lock2, &err), -EEXIST);
	assert_int_equal(sc_state_claim(root, "../x", &lock2, &err), -EINVAL);

	/* list: newest first */
	int lock3 = -1;
	assert_int_equal(sc_state_claim(root, "db", &lock3, &err), 0);
	struct sc_state d;
	fill(&d, "db", 200);
	assert_int_equal(sc_state_save(root, &d, &err), 0);
	struct sc_state *v;
	size_t n;
	assert_int_equal(sc_state_list(root, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "db");
	assert_string_equal(v[1].name, "web");
	sc_state_list_free(v, n);

	/* The supervisor's lock goes with its fd. */
	close(lock);
	assert_false(sc_state_supervised(root, "web"));
	assert_int_equal(sc_state_remove(root, "web", &err), 0);
	char p[128];
	snprintf(p, sizeof(p), "%s/web", root);
	assert_false(exists(p));
	close(lock3);
	sc_state_free(&s);
	sc_state_free(&d);
	rm_rf(root);
}

static void test_abandoned_claim(void **state)
{
	char root[] = "/tmp/seclude-state-XXXXXX";
	assert_non_null(mkdtemp(root));
	struct sc_error err = {0};
	int lock = -1;
	/* A claim whose owner died before writing a record can be taken over... */
	assert_int_equal(sc_state_claim(root, "x", &lock, &err), 0);
	int other = -1;
	assert_int_equal(sc_state_claim(root, "x", &other, &err), -EEXIST);
	close(lock);
	assert_int_equal(sc_state_claim(root, "x", &other, &err), 0);
	/* ... and the gc removes one nobody holds */
	struct sc_diags d = {0};
	char p[128];
	snprintf(p, sizeof(p), "%s/x", root);
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	assert_true(exists(p));
	close(other);
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	assert_false(exists(p));
	rm_rf(root);
}

static void test_gc(void **state)
{
	char root[] = "/tmp/seclude-state-XXXXXX";
	assert_non_null(mkdtemp(root));
	struct sc_state s;
	fill(&s, "crashed", 1);
	/* seclude names a sandbox's cgroup after its id */
	char cgparent[128], cgdir[256];
	snprintf(cgparent, sizeof(cgparent), "%s-cg", root);
	snprintf(cgdir, sizeof(cgdir), "%s/%s", cgparent, s.id);
	assert_int_equal(mkdir(cgparent, 0755), 0);
	assert_int_equal(mkdir(cgdir, 0755), 0);
	put(cgdir, "cgroup.procs", "");

	struct sc_error err = {0};
	int lock = -1, lock2 = -1, lock3 = -1;
	/* crashed: running, lock free, its cgroup still there */
	assert_int_equal(sc_state_claim(root, "crashed", &lock, &err), 0);
	s.cgroup = calloc(1, sizeof(*s.cgroup));
	s.cgroup->version = SC_CGROUP_V2;
	s.cgroup->dir = strdup(cgdir);
	assert_int_equal(sc_state_save(root, &s, &err), 0);
	close(lock);
	/* anonymous and crashed: the record goes too */
	assert_int_equal(sc_state_claim(root, "anon", &lock2, &err), 0);
	struct sc_state a;
	fill(&a, "anon", 2);
	a.auto_remove = true;
	assert_int_equal(sc_state_save(root, &a, &err), 0);
	close(lock2);
	/* alive: supervised, left alone */
	assert_int_equal(sc_state_claim(root, "alive", &lock3, &err), 0);
	struct sc_state l;
	fill(&l, "alive", 3);
	assert_int_equal(sc_state_save(root, &l, &err), 0);

	struct sc_diags d = {0};
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	/* The fake cgroup's interface file keeps rmdir from working; the attempt is reported. */
	assert_int_equal(d.n, 1);
	sc_diags_free(&d);
	unlink(strcat(strcpy((char[160]){0}, cgdir), "/cgroup.procs"));
	struct sc_state got;
	assert_int_equal(sc_state_load(root, "crashed", &got, &err), 0);
	assert_int_equal(got.status, SC_STATUS_RUNNING);  /* not settled while its cgroup stays */
	sc_state_free(&got);

	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	assert_false(exists(cgdir));
	assert_int_equal(sc_state_load(root, "crashed", &got, &err), 0);
	assert_int_equal(got.status, SC_STATUS_EXITED);
	assert_non_null(got.error);
	assert_true(got.finished > 0);
	sc_state_free(&got);
	assert_int_equal(sc_state_load(root, "anon", &got, &err), -ENOENT);
	assert_int_equal(sc_state_load(root, "alive", &got, &err), 0);
	assert_int_equal(got.status, SC_STATUS_RUNNING);
	sc_state_free(&got);
	sc_diags_free(&d);
	close(lock3);
	sc_state_free(&s);
	sc_state_free(&a);
	sc_state_free(&l);
	rm_rf(root);
	rm_rf(cgparent);
}

/* Save s as NAME's record with the lock free: what gc would settle. */
static void put_record(const char *root, const char *name, struct sc_state *s)
{
	struct sc_error err = {0};
	int lock = -1;
	assert_int_equal(sc_state_claim(root, name, &lock, &err), 0);
	assert_int_equal(sc_state_save(root, s, &err), 0);
	close(lock);
}

/*
 * A record seclude did not write is not acted on: gc would kill and
 * remove the cgroup it names, kill and exec use its pid.  Not one that
 * others may write or that is a symlink, not one whose name is not its
 * directory's, not one whose cgroup is not named after its id.
 */
static void test_forged_records(void **state)
{
	char root[] = "/tmp/seclude-state-XXXXXX";
	assert_non_null(mkdtemp(root));
	char victim[128];
	snprintf(victim, sizeof(victim), "%s-victim", root);
	assert_int_equal(mkdir(victim, 0755), 0);
	struct sc_error err = {0};
	struct sc_state s, got;
	char p[256], q[256];

	/* a cgroup not named after the record's id (say, the host's system.slice) */
	fill(&s, "cg", 1);
	s.cgroup = calloc(1, sizeof(*s.cgroup));
	s.cgroup->version = SC_CGROUP_V2;
	s.cgroup->dir = strdup(victim);
	put_record(root, "cg", &s);
	assert_int_equal(sc_state_load(root, "cg", &got, &err), -ENOENT);
	snprintf(p, sizeof(p), "%s/%s/..", victim, s.id);
	free(s.cgroup->dir);
	s.cgroup->dir = strdup(p);
	free(s.name);
	s.name = strdup("cg2");
	put_record(root, "cg2", &s);
	assert_int_equal(sc_state_load(root, "cg2", &got, &err), -ENOENT);
	sc_state_free(&s);

	/* one whose record names another sandbox */
	fill(&s, "other", 2);
	put_record(root, "other", &s);
	snprintf(p, sizeof(p), "%s/other", root);
	snprintf(q, sizeof(q), "%s/renamed", root);
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(sc_state_load(root, "renamed", &got, &err), -ENOENT);
	assert_int_equal(sc_state_load(root, "other", &got, &err), -ENOENT);
	sc_state_free(&s);

	/* writable by others; a symlink to a good one; a FIFO (never waited on) */
	fill(&s, "loose", 3);
	put_record(root, "loose", &s);
	assert_int_equal(sc_state_load(root, "loose", &got, &err), 0);
	sc_state_free(&got);
	snprintf(p, sizeof(p), "%s/loose/state.json", root);
	assert_int_equal(chmod(p, 0622), 0);
	assert_int_equal(sc_state_load(root, "loose", &got, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no such sandbox"));
	assert_int_equal(chmod(p, 0600), 0);
	snprintf(q, sizeof(q), "%s/loose/real.json", root);
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink("real.json", p), 0);
	assert_int_equal(sc_state_load(root, "loose", &got, &err), -ENOENT);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(sc_state_load(root, "loose", &got, &err), -ENOENT);
	sc_state_free(&s);

	/* none of them made gc touch the cgroup they name */
	struct sc_diags d = {0};
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	sc_diags_free(&d);
	assert_true(exists(victim));
	rm_rf(root);
	rm_rf(victim);
}

static size_t hidden_entries(const char *root)
{
	DIR *d = opendir(root);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/*
 * A claim is built under a hidden name and renamed into place with its
 * lock held; a removal renames it away first.  Neither leaves anything
 * behind, and what a dead seclude left half done is swept by gc.
 */
static void test_claim_is_atomic(void **state)
{
	char root[] = "/tmp/seclude-state-XXXXXX";
	assert_non_null(mkdtemp(root));
	struct sc_error err = {0};
	int lock = -1, other = -1;
	assert_int_equal(sc_state_claim(root, "a", &lock, &err), 0);
	/* visible only with its lock held: gc leaves it though it has no record yet */
	struct sc_diags d = {0};
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	char p[256];
	snprintf(p, sizeof(p), "%s/a/lock", root);
	assert_true(exists(p));
	assert_true(sc_state_supervised(root, "a"));
	assert_int_equal(sc_state_claim(root, "a", &other, &err), -EEXIST);
	assert_int_equal(hidden_entries(root), 0);
	assert_int_equal(sc_state_remove(root, "a", &err), 0);
	close(lock);
	snprintf(p, sizeof(p), "%s/a", root);
	assert_false(exists(p));
	assert_int_equal(hidden_entries(root), 0);
	/* a name directory without a lock is no claim of this seclude's: not taken over */
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "x", "");
	assert_int_equal(sc_state_claim(root, "a", &other, &err), -EEXIST);
	rm_rf(p);
	/* half-done work of a seclude that died (no such pid) is swept; a live one's is not */
	snprintf(p, sizeof(p), "%s/.claim.999999999.abcdef", root);
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "lock", "");
	snprintf(p, sizeof(p), "%s/.gone.999999999.abcdef", root);
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "state.json", "{}");
	snprintf(p, sizeof(p), "%s/.claim.%d.abcdef", root, (int)getpid());
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(sc_state_gc(root, &d, &err), 0);
	assert_int_equal(hidden_entries(root), 1);
	assert_true(exists(p));
	sc_diags_free(&d);
	rm_rf(root);
}

static void test_stats_files(void **state)
{
	char dir[] = "/tmp/seclude-stats-XXXXXX";
	assert_non_null(mkdtemp(dir));
	put(dir, "stat", "cpu  100 20 30 1000 5 1 2 7 0 0\ncpu0 50 10 15 500 2 0 1 3 0 0\n");
	put(dir, "net_dev",
	    "Inter-|   Receive                                                |  Transmit\n"
	    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	    "    lo:    5000      10    0    0    0     0          0         0     5000      10    0    0    0     0       0          0\n"
	    "  eth0:    1200       3    0    0    0     0          0         0      800       2    0    0    0     0       0          0\n"
	    "  eth1:      34       1    0    0    0     0          0         0       66       1    0    0    0     0       0          0\n");
	put(dir, "meminfo", "MemTotal:        4028836 kB\nMemFree:  1 kB\n");
	char p[128];
	struct sc_error err = {0};
	uint64_t ns, rx, tx, mem;
	snprintf(p, sizeof(p), "%s/stat", dir);
	assert_int_equal(sc_stats_read_system_ns(p, &ns, &err), 0);
	/* steal (7) is not counted, as docker does not count it */
	assert_int_equal(ns, 1158ULL * (1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK)));
	snprintf(p, sizeof(p), "%s/net_dev", dir);
	assert_int_equal(sc_stats_read_net_dev(p, &rx, &tx, &err), 0);
	assert_int_equal(rx, 1234);
	assert_int_equal(tx, 866);
	snprintf(p, sizeof(p), "%s/meminfo", dir);
	assert_int_equal(sc_stats_read_memtotal(p, &mem, &err), 0);
	assert_int_equal(mem, 4028836ULL * 1024);
	snprintf(p, sizeof(p), "%s/nothing", dir);
	assert_true(sc_stats_read_system_ns(p, &ns, &err) < 0);
	rm_rf(dir);
}

static void test_stats_arithmetic(void **state)
{
	struct sc_stats_sample a = { .system_ns = 1000000000, .online_cpus = 2 };
	struct sc_stats_sample b = a;
	a.cg.cpu_usage_ns = 100000000;
	b.cg.cpu_usage_ns = 350000000;
	b.system_ns = 2000000000;
	/* 0.25 s of CPU in 1 s of host time over 2 CPUs' worth of ticks: 50 % */
	assert_float_equal(sc_stats_cpu_percent(&a, &b), 50.0, 1e-9);
	assert_float_equal(sc_stats_cpu_percent(NULL, &b), 0.0, 1e-9);
	assert_float_equal(sc_stats_cpu_percent(&b, &b), 0.0, 1e-9);

	struct sc_stats_sample m = { .host_memory = 4ULL << 30 };
	m.cg.memory_usage = 30 << 20;
	m.cg.memory_inactive_file = 10 << 20;
	m.cg.memory_limit = 40 << 20;
	assert_int_equal(sc_stats_mem_used(&m), 20 << 20);
	assert_int_equal(sc_stats_mem_limit(&m), 40 << 20);
	assert_float_equal(sc_stats_mem_percent(&m), 50.0, 1e-9);
	m.cg.memory_limit = SC_UNLIMITED;
	assert_int_equal(sc_stats_mem_limit(&m), 4ULL << 30);

	char buf[32];
	sc_stats_format_binary(2048000, buf, sizeof(buf));
	assert_string_equal(buf, "1.953MiB");
	sc_stats_format_binary(512, buf, sizeof(buf));
	assert_string_equal(buf, "512B");
	sc_stats_format_binary(32ULL << 20, buf, sizeof(buf));
	assert_string_equal(buf, "32MiB");
	sc_stats_format_decimal(1234, buf, sizeof(buf));
	assert_string_equal(buf, "1.23kB");
	sc_stats_format_decimal(0, buf, sizeof(buf));
	assert_string_equal(buf, "0B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_ids),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_abandoned_claim),
		cmocka_unit_test(test_gc),
		cmocka_unit_test(test_forged_records),
		cmocka_unit_test(test_claim_is_atomic),
		cmocka_unit_test(test_stats_files),
		cmocka_unit_test(test_stats_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
