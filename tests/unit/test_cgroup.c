/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Docker's resource options: parsing, checks, and which file each one
 * writes on v1 and v2, driven against directory trees shaped like
 * cgroupfs (the kernel's own trees are in test_cgroup_live.c).
 */
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
#include <sys/sysmacros.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/util.h"

/* ------------------------------------------------------------------ */
/* helpers */

static void put(const char *dir, const char *file, const char *content)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

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
	buf[n] = '\0';
	return buf;
}

static void mkdirs(const char *path)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static void rm_rf(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* A block device of this machine, for the throttle options; NULL when there is none. */
static const char *some_block_device(unsigned *maj, unsigned *min)
{
	static char path[300];
	DIR *d = opendir("/dev");
	if (!d)
		return NULL;
	struct dirent *e;
	const char *found = NULL;
	while ((e = readdir(d))) {
		struct stat st;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		if (stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
			*maj = major(st.st_rdev);
			*min = minor(st.st_rdev);
			found = path;
			break;
		}
	}
	closedir(d);
	return found;
}

/* Whether the kernel schedules some block device with BFQ (the shell's view, not the library's). */
static bool host_has_bfq(void)
{
	return system("grep -qs '\\[bfq\\]' /sys/block/*/queue/scheduler") == 0;
}

static void set_ok(struct sc_cgroup_limits *l, const char *name, const char *value)
{
	struct sc_error err = {0};
	int r = sc_limits_set(l, name, value, &err);
	if (r < 0)
		fail_msg("--%s %s: %s", name, value, err.msg);
}

/* ------------------------------------------------------------------ */
/* parsing */

static void test_sizes(void **state)
{
	struct sc_error err = {0};
	int64_t v;
	struct { const char *in; int64_t out; } ok[] = {
		{ "512m", 512LL << 20 }, { "1g", 1LL << 30 }, { "1G", 1LL << 30 },
		{ "1.5g", 3LL << 29 }, { "100", 100 }, { "1GiB", 1LL << 30 },
		{ "1 mb", 1LL << 20 }, { "10k", 10240 }, { "1kb", 1024 }, { "32M", 32LL << 20 },
		{ "0", 0 }, { "2t", 2LL << 40 },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(ok); i++) {
		assert_int_equal(sc_parse_size(ok[i].in, &v, &err), 0);
		assert_int_equal(v, ok[i].out);
	}
	const char *bad[] = { "", "abc", "-1", "1x", "1.5.5g", "m", "1gg", ".5g", "99999999999999999999" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(bad); i++)
		assert_true(sc_parse_size(bad[i], &v, &err) < 0);
	assert_non_null(strstr(err.msg, "99999999999999999999"));
}

static void test_cpus(void **state)
{
	struct sc_error err = {0};
	int64_t n;
	assert_int_equal(sc_parse_cpus("1.5", &n, &err), 0);
	assert_int_equal(n, 1500000000);
	assert_int_equal(sc_parse_cpus("2", &n, &err), 0);
	assert_int_equal(n, 2000000000);
	assert_int_equal(sc_parse_cpus("0.01", &n, &err), 0);
	assert_int_equal(n, 10000000);
	assert_int_equal(sc_parse_cpus(".5", &n, &err), 0);
	assert_int_equal(n, 500000000);
	assert_true(sc_parse_cpus("1.0000000001", &n, &err) < 0);
	assert_non_null(strstr(err.msg, "too precise"));
	assert_true(sc_parse_cpus("one", &n, &err) < 0);
	assert_true(sc_parse_cpus("-1", &n, &err) < 0);
	assert_true(sc_parse_cpus("1.5x", &n, &err) < 0);
}

static void test_throttle(void **state)
{
	struct sc_error err = {0};
	struct sc_throttle t;
	assert_true(sc_parse_throttle("/dev/null:1mb", &t, &err) < 0);
	assert_non_null(strstr(err.msg, "not a block device"));
	assert_true(sc_parse_throttle("/dev/nope-nothing:1mb", &t, &err) < 0);
	assert_true(sc_parse_throttle("sda", &t, &err) < 0);
	assert_true(sc_parse_throttle("/dev/sda:", &t, &err) < 0);
	assert_true(sc_parse_throttle("dev/sda:1m", &t, &err) < 0);

	unsigned maj, min;
	const char *dev = some_block_device(&maj, &min);
	if (!dev)
		skip();
	char arg[400];
	snprintf(arg, sizeof(arg), "%s:1mb", dev);
	assert_int_equal(sc_parse_throttle(arg, &t, &err), 0);
	assert_string_equal(t.path, dev);
	assert_int_equal(t.major, maj);
	assert_int_equal(t.minor, min);
	assert_int_equal(t.bps, 1 << 20);
	free(t.path);
}

static void test_set_options(void **state)
{
	struct sc_cgroup_limits l = {0};
	struct sc_error err = {0};
	set_ok(&l, "memory-swap", "-1");
	assert_int_equal(l.memory_swap, -1);
	set_ok(&l, "pids-limit", "0");
	assert_int_equal(l.pids_limit, -1);
	set_ok(&l, "pids-limit", "20");
	assert_int_equal(l.pids_limit, 20);
	set_ok(&l, "cpu-quota", "-1");
	assert_int_equal(l.cpu_quota, -1);
	set_ok(&l, "cpuset-cpus", "0-1,3");
	assert_string_equal(l.cpuset_cpus, "0-1,3");
	set_ok(&l, "cpuset-mems", "0");
	assert_string_equal(l.cpuset_mems, "0");
	assert_int_equal(l.set, SC_LIMIT_MEMORY_SWAP | SC_LIMIT_PIDS | SC_LIMIT_CPU_QUOTA |
			 SC_LIMIT_CPUSET_CPUS | SC_LIMIT_CPUSET_MEMS);

	assert_true(sc_limits_set(&l, "cpuset-cpus", "0;rm", &err) < 0);
	assert_true(sc_limits_set(&l, "cpuset-mems", "a", &err) < 0);
	assert_non_null(strstr(err.msg, "--cpuset-mems: invalid list 'a'"));
	assert_string_equal(l.cpuset_mems, "0");
	assert_true(sc_limits_set(&l, "memory", "lots", &err) < 0);
	assert_non_null(strstr(err.msg, "--memory"));
	assert_true(sc_limits_set(&l, "cpu-shares", "-5", &err) < 0);
	assert_true(sc_limits_set(&l, "nope", "1", &err) < 0);
	assert_false(l.set & SC_LIMIT_MEMORY);
	sc_limits_free(&l);

	/* Every option in the table is accepted by the parser. */
	for (const struct sc_limit_option *o = sc_limit_options; o->name; o++)
		assert_non_null(o->help);
}

static void test_checks(void **state)
{
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup_limits l = {0};

	set_ok(&l, "memory", "4m");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "6MB"));
	sc_limits_free(&l);

	/* --memory alone: Docker's memory+swap of twice the memory */
	set_ok(&l, "memory", "32m");
	assert_int_equal(sc_limits_check(&l, false, 2, &d, &err), 0);
	assert_true(l.set & SC_LIMIT_MEMORY_SWAP);
	assert_int_equal(l.memory_swap, 64LL << 20);
	sc_limits_free(&l);

	/* ... but not on update, which leaves the swap limit alone */
	set_ok(&l, "memory", "32m");
	assert_int_equal(sc_limits_check(&l, true, 2, &d, &err), 0);
	assert_false(l.set & SC_LIMIT_MEMORY_SWAP);
	sc_limits_free(&l);

	set_ok(&l, "memory-swap", "64m");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "--memory"));
	sc_limits_free(&l);

	set_ok(&l, "memory", "64m");
	set_ok(&l, "memory-swap", "32m");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	sc_limits_free(&l);

	set_ok(&l, "memory", "64m");
	set_ok(&l, "memory-reservation", "128m");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "reservation"));
	sc_limits_free(&l);

	set_ok(&l, "cpus", "1");
	set_ok(&l, "cpu-period", "50000");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "conflicting"));
	sc_limits_free(&l);

	set_ok(&l, "cpus", "3");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "only 2 CPUs"));
	sc_limits_free(&l);

	set_ok(&l, "cpu-period", "500");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	sc_limits_free(&l);

	set_ok(&l, "cpu-quota", "999");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	sc_limits_free(&l);

	set_ok(&l, "blkio-weight", "5");
	assert_true(sc_limits_check(&l, false, 2, &d, &err) < 0);
	sc_limits_free(&l);

	/* Out-of-range shares are clamped with a warning, as Docker does. */
	set_ok(&l, "cpu-shares", "1");
	assert_int_equal(sc_limits_check(&l, false, 2, &d, &err), 0);
	assert_int_equal(l.cpu_shares, 2);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
	set_ok(&l, "cpu-shares", "300000");
	assert_int_equal(sc_limits_check(&l, false, 2, &d, &err), 0);
	assert_int_equal(l.cpu_shares, 262144);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 2);
	sc_limits_free(&l);
	sc_diags_free(&d);
}

static void test_merge(void **state)
{
	struct sc_cgroup_limits a = {0}, b = {0};
	set_ok(&a, "cpus", "1");
	set_ok(&a, "memory", "64m");
	set_ok(&b, "cpu-quota", "20000");
	set_ok(&b, "cpuset-cpus", "1");
	set_ok(&b, "cpuset-mems", "0");
	assert_int_equal(sc_limits_merge(&a, &b), 0);
	assert_string_equal(a.cpuset_mems, "0");
	assert_true(a.set & SC_LIMIT_CPUSET_MEMS);
	assert_false(a.set & SC_LIMIT_CPUS);
	assert_true(a.set & SC_LIMIT_CPU_QUOTA);
	assert_true(a.set & SC_LIMIT_MEMORY);
	assert_int_equal(a.cpu_quota, 20000);
	assert_string_equal(a.cpuset_cpus, "1");
	sc_limits_free(&a);
	sc_limits_free(&b);
}

static void test_weights(void **state)
{
	assert_int_equal(sc_cpu_shares_to_weight(2), 1);
	assert_int_equal(sc_cpu_shares_to_weight(262144), 10000);
	assert_int_equal(sc_cpu_shares_to_weight(1024), 39);
	assert_int_equal(sc_cpu_shares_to_weight(512), 20);
	assert_int_equal(sc_blkio_weight_to_io_weight(10), 1);
	assert_int_equal(sc_blkio_weight_to_io_weight(1000), 10000);
	assert_int_equal(sc_blkio_weight_to_io_weight(500), 4950);
}

/* ------------------------------------------------------------------ */
/* v2, on a tree shaped like cgroupfs */

struct fake {
	char root[64];
	struct sc_cgroup_root cr;
};

static void fake_v2(struct fake *f)
{
	snprintf(f->root, sizeof(f->root), "/tmp/seclude-cgv2-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	put(f->root, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put(f->root, "cgroup.subtree_control", "\n");
	put(f->root, "cgroup.procs", "1\n");
	/* io.weight is honoured: the io.cost controller is on for a disk */
	put(f->root, "io.cost.qos", "8:0 enable=1 ctrl=auto rpct=0.00 rlat=250000 wpct=0.00 wlat=250000 min=1.00 max=10000.00\n");
	struct sc_error err = {0};
	assert_int_equal(sc_cgroup_root_detect(f->root, &f->cr, &err), 0);
	assert_int_equal(f->cr.version, SC_CGROUP_V2);
}

/* The files the kernel puts into a new v2 cgroup (the ones seclude touches). */
static char *fake_v2_cgroup(struct fake *f, const char *rel, bool with_io_weight)
{
	static char dir[256];
	snprintf(dir, sizeof(dir), "%s/%s", f->root, rel);
	mkdirs(dir);
	put(dir, "cgroup.controllers", "cpuset cpu io memory pids\n");
	put(dir, "cgroup.procs", "");
	put(dir, "memory.max", "max\n");
	put(dir, "memory.swap.max", "max\n");
	put(dir, "memory.low", "0\n");
	put(dir, "cpu.max", "max 100000\n");
	put(dir, "cpu.weight", "100\n");
	put(dir, "cpuset.cpus", "\n");
	put(dir, "cpuset.mems", "\n");
	put(dir, "pids.max", "max\n");
	put(dir, "io.max", "");
	if (with_io_weight)
		put(dir, "io.weight", "default 100\n");
	return dir;
}

static void test_v2_mapping(void **state)
{
	struct fake f;
	fake_v2(&f);
	const char *dir = fake_v2_cgroup(&f, "seclude/box", true);
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_locate(&f.cr, "/seclude", "box", &cg, &err), 0);
	assert_string_equal(cg->dir, dir);

	struct sc_cgroup_limits l = {0};
	set_ok(&l, "memory", "512m");
	set_ok(&l, "memory-reservation", "256m");
	set_ok(&l, "cpus", "1.5");
	set_ok(&l, "cpu-shares", "512");
	set_ok(&l, "cpuset-cpus", "0");
	set_ok(&l, "cpuset-mems", "0");
	set_ok(&l, "pids-limit", "20");
	set_ok(&l, "blkio-weight", "500");
	assert_int_equal(sc_limits_check(&l, false, 2, &d, &err), 0);
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_int_equal(d.n, 0);

	assert_string_equal(get(dir, "memory.max"), "536870912");
	/* memory+swap 1g (twice the memory) minus memory */
	assert_string_equal(get(dir, "memory.swap.max"), "536870912");
	assert_string_equal(get(dir, "memory.low"), "268435456");
	assert_string_equal(get(dir, "cpu.max"), "150000 100000");
	assert_string_equal(get(dir, "cpu.weight"), "20");
	assert_string_equal(get(dir, "cpuset.cpus"), "0");
	assert_string_equal(get(dir, "cpuset.mems"), "0");
	assert_string_equal(get(dir, "pids.max"), "20");
	/* v2 has no file for a v1-only field: refused, not dropped */
	struct sc_cgroup_limits sw = { .set = SC_LIMIT_MEMORY_SWAPPINESS, .memory_swappiness = 10 };
	assert_true(sc_cgroup_apply(cg, &sw, &d, &err) < 0);
	assert_string_equal(err.msg, "memory swappiness is not supported on cgroup v2");
	sc_error_clear(&err);
	assert_string_equal(get(dir, "io.weight"), "default 4950");
	sc_limits_free(&l);

	/* With io.cost off everywhere (and no BFQ) nothing honours io.weight:
	 * it is written, and a warning says it does nothing. */
	put(f.root, "io.cost.qos", "8:0 enable=0 ctrl=auto rpct=0.00 rlat=250000 wpct=0.00 wlat=250000 min=1.00 max=10000.00\n");
	set_ok(&l, "blkio-weight", "10");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(dir, "io.weight"), "default 1");
	assert_int_equal(d.n, host_has_bfq() ? 0 : 1);
	if (d.n) {
		assert_string_equal(d.v[0].code, "blkio-weight");
		assert_non_null(strstr(d.v[0].msg, "io.cost"));
	}
	sc_diags_free(&d);
	sc_limits_free(&l);
	put(f.root, "io.cost.qos", "8:0 enable=1 ctrl=auto\n");

	/* Updates: unlimited swap, period and quota, a period alone keeps the quota. */
	set_ok(&l, "memory-swap", "-1");
	set_ok(&l, "pids-limit", "-1");
	set_ok(&l, "cpu-period", "50000");
	set_ok(&l, "cpu-quota", "25000");
	assert_int_equal(sc_limits_check(&l, true, 2, &d, &err), 0);
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(dir, "memory.swap.max"), "max");
	assert_string_equal(get(dir, "pids.max"), "max");
	assert_string_equal(get(dir, "cpu.max"), "25000 50000");
	sc_limits_free(&l);

	set_ok(&l, "cpu-period", "20000");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(dir, "cpu.max"), "25000 20000");
	sc_limits_free(&l);

	/* swap on update is computed against the memory limit in place */
	set_ok(&l, "memory-swap", "768m");
	assert_int_equal(sc_limits_check(&l, true, 2, &d, &err), 0);
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(dir, "memory.swap.max"), "268435456");
	sc_limits_free(&l);
	set_ok(&l, "memory-swap", "100m");
	assert_true(sc_cgroup_apply(cg, &l, &d, &err) < 0);
	sc_limits_free(&l);

	/* BFQ's weight file wins and takes the v1 value as it is. */
	put(dir, "io.bfq.weight", "default 100\n");
	set_ok(&l, "blkio-weight", "300");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(dir, "io.bfq.weight"), "300");
	/* ... and is of no use unless a block device is scheduled by BFQ */
	assert_int_equal(d.n, host_has_bfq() ? 0 : 1);
	sc_diags_free(&d);
	sc_limits_free(&l);

	unsigned maj, min;
	if (some_block_device(&maj, &min)) {
		char arg[400], want[64];
		snprintf(arg, sizeof(arg), "%s:1mb", some_block_device(&maj, &min));
		set_ok(&l, "device-write-bps", arg);
		assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
		snprintf(want, sizeof(want), "%u:%u wbps=1048576", maj, min);
		assert_string_equal(get(dir, "io.max"), want);
		sc_limits_free(&l);
	}
	assert_int_equal(d.n, 0);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_v2_missing_files(void **state)
{
	struct fake f;
	fake_v2(&f);
	const char *dir = fake_v2_cgroup(&f, "seclude/box", false);
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_locate(&f.cr, "/seclude", "box", &cg, &err), 0);

	/* No io weight file: Docker warns and discards the weight. */
	struct sc_cgroup_limits l = {0};
	set_ok(&l, "blkio-weight", "500");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
	assert_string_equal(d.v[0].code, "blkio-weight");
	assert_non_null(strstr(d.v[0].msg, "io.weight"));
	sc_limits_free(&l);

	/* No cpu.max: --cpus is refused, as Docker refuses it without CFS. */
	char p[300];
	snprintf(p, sizeof(p), "%s/cpu.max", dir);
	unlink(p);
	set_ok(&l, "cpus", "1");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "cpu.max"));
	sc_limits_free(&l);

	/* No pids.max: a warning, the rest still applies. */
	snprintf(p, sizeof(p), "%s/pids.max", dir);
	unlink(p);
	set_ok(&l, "pids-limit", "10");
	set_ok(&l, "cpu-shares", "2048");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 2);
	assert_string_equal(get(dir, "cpu.weight"), "79");
	sc_limits_free(&l);

	sc_diags_free(&d);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_v2_create_enables_controllers(void **state)
{
	struct fake f;
	fake_v2(&f);
	char parent[200];
	snprintf(parent, sizeof(parent), "%s/seclude", f.root);
	mkdirs(parent);
	put(parent, "cgroup.controllers", "cpu io memory pids\n");
	put(parent, "cgroup.subtree_control", "memory\n");
	struct sc_error err = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_create(&f.cr, "/seclude", "new", &cg, NULL, &err), 0);
	struct stat st;
	assert_int_equal(stat(cg->dir, &st), 0);
	/* Only what each level has and has not enabled yet, hugetlb never. */
	assert_string_equal(get(f.root, "cgroup.subtree_control"), "+cpu +cpuset +memory +pids +io");
	assert_string_equal(get(parent, "cgroup.subtree_control"), "+cpu +pids +io");

	/* The name is taken: a second sandbox must not share it. */
	struct sc_cgroup *again = NULL;
	assert_int_equal(sc_cgroup_create(&f.cr, "/seclude", "new", &again, NULL, &err), -EEXIST);
	assert_true(sc_cgroup_locate(&f.cr, "/seclude/../..", "x", &again, &err) < 0);
	assert_true(sc_cgroup_locate(&f.cr, "/seclude", "a/b", &again, &err) < 0);
	assert_true(sc_cgroup_locate(&f.cr, "/seclude", "..", &again, &err) < 0);

	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	assert_int_equal(stat(cg->dir, &st), -1);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}


/* A user's delegated subtree: the highest ancestor of its cgroup that it owns, controllers from there down. */
static void chown_level(const char *dir, uid_t uid)
{
	static const char *const files[] = { "", "/cgroup.procs", "/cgroup.subtree_control" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(files); i++) {
		char p[400];
		snprintf(p, sizeof(p), "%s%s", dir, files[i]);
		assert_int_equal(chown(p, uid, uid), 0);
	}
}

static void test_v2_delegated(void **state)
{
	if (geteuid() != 0)
		skip();
	struct fake f;
	fake_v2(&f);
	const uid_t u = 4242;
	char svc[200], app[250];
	snprintf(svc, sizeof(svc), "%s/user.slice/user@4242.service", f.root);
	snprintf(app, sizeof(app), "%s/app.slice", svc);
	mkdirs(app);
	put(svc, "cgroup.controllers", "memory pids\n");
	put(svc, "cgroup.subtree_control", "memory pids\n");
	put(svc, "cgroup.procs", "");
	put(app, "cgroup.controllers", "memory pids\n");
	put(app, "cgroup.subtree_control", "\n");
	put(app, "cgroup.procs", "77\n");
	char parent[200];
	snprintf(parent, sizeof(parent), "%s/user.slice", f.root);
	put(parent, "cgroup.procs", "");
	put(parent, "cgroup.subtree_control", "");
	free(f.cr.self_v2);
	f.cr.self_v2 = strdup("/user.slice/user@4242.service/app.slice");
	struct sc_error err = {0};
	char *d = NULL;
	/* nothing is the user's yet */
	assert_int_equal(sc_cgroup_delegated(&f.cr, u, &d, &err), -ENOENT);
	assert_null(d);
	chown_level(app, u);
	chown_level(svc, u);
	assert_int_equal(sc_cgroup_delegated(&f.cr, u, &d, &err), 0);
	assert_string_equal(d, "/user.slice/user@4242.service");
	/* a level the user does not own ends the walk: user.slice is root's */
	f.cr.delegated = d;
	assert_string_equal(sc_cgroup_default_parent(&f.cr), "/user.slice/user@4242.service/seclude");
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_create(&f.cr, NULL, "box", &cg, NULL, &err), 0);
	/* controllers enabled from the delegated level down, never above it */
	assert_string_equal(get(f.root, "cgroup.subtree_control"), "\n");
	assert_string_equal(get(parent, "cgroup.subtree_control"), "");
	/* a parent outside the delegation is refused */
	struct sc_cgroup *out = NULL;
	assert_int_equal(sc_cgroup_create(&f.cr, "/elsewhere", "box", &out, NULL, &err), -EACCES);
	assert_non_null(strstr(err.msg, "not below your delegated cgroup"));
	sc_cgroup_free(cg);
	sc_cgroup_free(out);
	/* v1 delegates nothing */
	struct sc_cgroup_root v1 = { .version = SC_CGROUP_V1 };
	char *none = NULL;
	assert_int_equal(sc_cgroup_delegated(&v1, u, &none, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cgroup v1"));
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_v2_stats(void **state)
{
	struct fake f;
	fake_v2(&f);
	const char *dir = fake_v2_cgroup(&f, "seclude/box", true);
	put(dir, "cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
	put(dir, "memory.current", "10485760\n");
	put(dir, "memory.max", "33554432\n");
	put(dir, "memory.stat", "anon 4096\nfile 8192\ninactive_anon 0\ninactive_file 4096\n");
	put(dir, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
	put(dir, "pids.current", "7\n");
	put(dir, "io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2\n254:0 rbytes=1 wbytes=2\n");
	struct sc_error err = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_locate(&f.cr, "/seclude", "box", &cg, &err), 0);
	struct sc_cgroup_stats s;
	assert_int_equal(sc_cgroup_read_stats(cg, &s, &err), 0);
	assert_int_equal(s.cpu_usage_ns, 2500000);
	assert_int_equal(s.memory_usage, 10485760);
	assert_int_equal(s.memory_limit, 33554432);
	assert_int_equal(s.memory_inactive_file, 4096);
	assert_int_equal(s.oom_kills, 1);
	assert_int_equal(s.pids_current, 7);
	assert_true(s.pids_limit == SC_UNLIMITED);
	assert_int_equal(s.blkio_read, 101);
	assert_int_equal(s.blkio_write, 202);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

/* ------------------------------------------------------------------ */
/* v1, on a tree shaped like a hybrid host's /sys/fs/cgroup */

static void fake_v1(struct fake *f)
{
	snprintf(f->root, sizeof(f->root), "/tmp/seclude-cgv1-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	char p[300];
	const char *dirs[] = { "cpu,cpuacct", "cpuset", "memory", "pids", "blkio", "freezer", "unified" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(dirs); i++) {
		snprintf(p, sizeof(p), "%s/%s", f->root, dirs[i]);
		mkdir(p, 0755);
	}
	put(f->root, "unified/cgroup.controllers", "");
	snprintf(p, sizeof(p), "%s/cpu", f->root);
	assert_int_equal(symlink("cpu,cpuacct", p), 0);
	snprintf(p, sizeof(p), "%s/cpuacct", f->root);
	assert_int_equal(symlink("cpu,cpuacct", p), 0);
	snprintf(p, sizeof(p), "%s/cpuset", f->root);
	put(p, "cpuset.cpus", "0-1\n");
	put(p, "cpuset.mems", "0\n");
	struct sc_error err = {0};
	assert_int_equal(sc_cgroup_root_detect(f->root, &f->cr, &err), 0);
	assert_int_equal(f->cr.version, SC_CGROUP_V1);
	assert_string_equal(f->cr.v1_mount[SC_CG_CPU], f->cr.v1_mount[SC_CG_CPUACCT]);
}

static void fake_v1_files(struct fake *f, const char *rel, bool weight)
{
	char d[300];
	const char *ctrl[] = { "cpu,cpuacct", "memory", "pids", "blkio", "cpuset", "freezer" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(ctrl); i++) {
		snprintf(d, sizeof(d), "%s/%s/%s", f->root, ctrl[i], rel);
		mkdirs(d);
		put(d, "cgroup.procs", "");
		switch (i) {
		case 0:
			put(d, "cpu.shares", "1024\n");
			put(d, "cpu.cfs_period_us", "100000\n");
			put(d, "cpu.cfs_quota_us", "-1\n");
			put(d, "cpu.rt_period_us", "1000000\n");
			put(d, "cpu.rt_runtime_us", "0\n");
			break;
		case 1:
			put(d, "memory.limit_in_bytes", "9223372036854771712\n");
			put(d, "memory.memsw.limit_in_bytes", "9223372036854771712\n");
			put(d, "memory.soft_limit_in_bytes", "9223372036854771712\n");
			put(d, "memory.swappiness", "60\n");
			put(d, "memory.oom_control", "oom_kill_disable 0\n");
			break;
		case 2:
			put(d, "pids.max", "max\n");
			break;
		case 3:
			put(d, "blkio.throttle.read_bps_device", "");
			if (weight)
				put(d, "blkio.bfq.weight", "100\n");
			break;
		case 4:
			put(d, "cpuset.cpus", "");
			put(d, "cpuset.mems", "");
			break;
		}
	}
}

static void test_v1_mapping(void **state)
{
	struct fake f;
	fake_v1(&f);
	fake_v1_files(&f, "seclude/box", false);
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_locate(&f.cr, "/seclude", "box", &cg, &err), 0);
	assert_non_null(strstr(cg->v1[SC_CG_MEMORY], "/memory/seclude/box"));
	assert_string_equal(cg->v1[SC_CG_CPU], cg->v1[SC_CG_CPUACCT]);

	struct sc_cgroup_limits l = {0};
	set_ok(&l, "memory", "512m");
	set_ok(&l, "memory-reservation", "256m");
	set_ok(&l, "cpus", "1.5");
	set_ok(&l, "cpu-shares", "512");
	set_ok(&l, "cpuset-cpus", "1");
	set_ok(&l, "cpuset-mems", "0");
	set_ok(&l, "pids-limit", "20");
	set_ok(&l, "blkio-weight", "500");
	assert_int_equal(sc_limits_check(&l, false, 2, &d, &err), 0);
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	const char *cpu = cg->v1[SC_CG_CPU], *mem = cg->v1[SC_CG_MEMORY];
	assert_string_equal(get(mem, "memory.limit_in_bytes"), "536870912");
	assert_string_equal(get(mem, "memory.memsw.limit_in_bytes"), "1073741824");
	assert_string_equal(get(mem, "memory.soft_limit_in_bytes"), "268435456");
	assert_string_equal(get(cpu, "cpu.cfs_period_us"), "100000");
	assert_string_equal(get(cpu, "cpu.cfs_quota_us"), "150000");
	assert_string_equal(get(cpu, "cpu.shares"), "512");
	assert_string_equal(get(cg->v1[SC_CG_CPUSET], "cpuset.cpus"), "1");
	assert_string_equal(get(cg->v1[SC_CG_CPUSET], "cpuset.mems"), "0");
	assert_string_equal(get(cg->v1[SC_CG_PIDS], "pids.max"), "20");
	/* config.json's v1-only fields, as runc writes them */
	struct sc_cgroup_limits rt = { .set = SC_LIMIT_MEMORY_SWAPPINESS | SC_LIMIT_OOM_KILL_DISABLE |
					      SC_LIMIT_CPU_RT_PERIOD | SC_LIMIT_CPU_RT_RUNTIME,
				       .memory_swappiness = 0, .cpu_rt_period = 500000, .cpu_rt_runtime = 10000 };
	assert_int_equal(sc_cgroup_apply(cg, &rt, &d, &err), 0);
	assert_string_equal(get(mem, "memory.swappiness"), "0");
	assert_string_equal(get(mem, "memory.oom_control"), "1");
	assert_string_equal(get(cpu, "cpu.rt_period_us"), "500000");
	assert_string_equal(get(cpu, "cpu.rt_runtime_us"), "10000");
	/* This shape of host has no blkio weight file: a warning, nothing written. */
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
	assert_string_equal(d.v[0].code, "blkio-weight");
	sc_diags_free(&d);
	sc_limits_free(&l);

	set_ok(&l, "memory-swap", "-1");
	set_ok(&l, "pids-limit", "-1");
	set_ok(&l, "cpu-quota", "-1");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(mem, "memory.memsw.limit_in_bytes"), "-1");
	assert_string_equal(get(cg->v1[SC_CG_PIDS], "pids.max"), "max");
	assert_string_equal(get(cpu, "cpu.cfs_quota_us"), "-1");
	sc_limits_free(&l);

	unsigned maj, min;
	if (some_block_device(&maj, &min)) {
		char arg[400], want[64];
		snprintf(arg, sizeof(arg), "%s:2mb", some_block_device(&maj, &min));
		set_ok(&l, "device-read-bps", arg);
		assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
		snprintf(want, sizeof(want), "%u:%u 2097152", maj, min);
		assert_string_equal(get(cg->v1[SC_CG_BLKIO], "blkio.throttle.read_bps_device"), want);
		sc_limits_free(&l);
	}
	/* Write bps has no file in this tree: warned, not fatal. */
	sc_diags_free(&d);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_v1_bfq_weight(void **state)
{
	struct fake f;
	fake_v1(&f);
	fake_v1_files(&f, "x/box", true);
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_locate(&f.cr, "/x", "box", &cg, &err), 0);
	struct sc_cgroup_limits l = {0};
	set_ok(&l, "blkio-weight", "700");
	assert_int_equal(sc_cgroup_apply(cg, &l, &d, &err), 0);
	assert_string_equal(get(cg->v1[SC_CG_BLKIO], "blkio.bfq.weight"), "700");
	assert_int_equal(d.n, host_has_bfq() ? 0 : 1);
	sc_diags_free(&d);
	sc_limits_free(&l);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_v1_create_fills_cpuset(void **state)
{
	struct fake f;
	fake_v1(&f);
	struct sc_error err = {0};
	struct sc_cgroup *cg = NULL;
	assert_int_equal(sc_cgroup_create(&f.cr, "/a/b", "box", &cg, NULL, &err), 0);
	struct stat st;
	for (int c = 0; c < SC_CG_NCTRL; c++)
		if (cg->v1[c])
			assert_int_equal(stat(cg->v1[c], &st), 0);
	/* A fake tree gets no files from mkdir: the copy shows where there were some. */
	char lvl[300];
	snprintf(lvl, sizeof(lvl), "%s/cpuset/a", f.root);
	put(lvl, "cpuset.cpus", "");
	put(lvl, "cpuset.mems", "");
	put(cg->v1[SC_CG_CPUSET], "cpuset.cpus", "");
	struct sc_cgroup *other = NULL;
	snprintf(lvl, sizeof(lvl), "%s/cpuset/a/b", f.root);
	put(lvl, "cpuset.cpus", "");
	assert_int_equal(sc_cgroup_create(&f.cr, "/a/b", "box2", &other, NULL, &err), 0);
	sc_cgroup_free(other);
	other = NULL;
	snprintf(lvl, sizeof(lvl), "%s/cpuset/a", f.root);
	assert_string_equal(get(lvl, "cpuset.cpus"), "0-1");
	assert_string_equal(get(lvl, "cpuset.mems"), "0");
	snprintf(lvl, sizeof(lvl), "%s/cpuset/a/b", f.root);
	assert_string_equal(get(lvl, "cpuset.cpus"), "0-1");

	assert_int_equal(sc_cgroup_create(&f.cr, "/a/b", "box", &other, NULL, &err), -EEXIST);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&f.cr);
	rm_rf(f.root);
}

static void test_detect_errors(void **state)
{
	struct sc_cgroup_root r;
	struct sc_error err = {0};
	assert_int_equal(sc_cgroup_root_detect("/nonexistent-seclude", &r, &err), -ENOENT);
	char d[] = "/tmp/seclude-cgnone-XXXXXX";
	assert_non_null(mkdtemp(d));
	assert_int_equal(sc_cgroup_root_detect(d, &r, &err), -ENOENT);
	/* A hybrid host with nothing bound to v1 falls back to its unified mount. */
	char u[300];
	snprintf(u, sizeof(u), "%s/unified", d);
	mkdir(u, 0755);
	put(u, "cgroup.controllers", "hugetlb\n");
	assert_int_equal(sc_cgroup_root_detect(d, &r, &err), 0);
	assert_int_equal(r.version, SC_CGROUP_V2);
	assert_string_equal(r.path, u);
	assert_string_equal(sc_cgroup_default_parent(&r), "/seclude");
	sc_cgroup_root_free(&r);
	rm_rf(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_set_options),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_v2_mapping),
		cmocka_unit_test(test_v2_missing_files),
		cmocka_unit_test(test_v2_create_enables_controllers),
		cmocka_unit_test(test_v2_delegated),
		cmocka_unit_test(test_v2_stats),
		cmocka_unit_test(test_v1_mapping),
		cmocka_unit_test(test_v1_bfq_weight),
		cmocka_unit_test(test_v1_create_fills_cpuset),
		cmocka_unit_test(test_detect_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
