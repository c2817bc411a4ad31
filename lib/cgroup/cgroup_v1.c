/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v1: one directory per controller, Docker's v1 file mapping. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup_fs.h"
#include "seclude/util.h"

/* The kernel's "no limit" on v1 is PAGE_COUNTER_MAX pages, close to INT64_MAX. */
#define V1_UNLIMITED_FLOOR (UINT64_C(1) << 62)

static bool shares_dir_with_earlier(const struct sc_cgroup *cg, int c)
{
	for (int i = 0; i < c; i++)
		if (cg->v1[i] && strcmp(cg->v1[i], cg->v1[c]) == 0)
			return true;
	return false;
}

/* A new cpuset cgroup starts with empty cpus and mems and takes no task until both are set. */
static int fill_cpuset(const char *mount, const char *leaf, struct sc_error *err)
{
	size_t mlen = strlen(mount);
	_cleanup_free_ char *path = strdup(leaf);
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (char *s = path + mlen + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		_cleanup_free_ char *parent = strdup(path);
		if (!parent)
			return sc_error_set(err, -ENOMEM, "out of memory");
		*strrchr(parent, '/') = '\0';
		static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
		for (size_t i = 0; i < SC_ARRAY_SIZE(files); i++) {
			_cleanup_free_ char *cur = NULL, *up = NULL;
			if (!sc_cgfs_exists(path, files[i]))
				continue;
			int r = sc_cgfs_read(path, files[i], &cur, err);
			if (r < 0)
				return r;
			if (*cur)
				continue;
			r = sc_cgfs_read(parent, files[i], &up, err);
			if (r < 0)
				return r;
			r = sc_cgfs_write(path, files[i], up, err);
			if (r < 0)
				return r;
		}
		*s = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

static int sc_cgroup_v1_create(const struct sc_cgroup_root *root, struct sc_cgroup *cg, struct sc_error *err)
{
	bool made[SC_CG_NCTRL] = { false };
	int r = 0;
	for (int c = 0; c < SC_CG_NCTRL; c++) {
		if (!cg->v1[c] || shares_dir_with_earlier(cg, c))
			continue;
		_cleanup_free_ char *parent = strdup(cg->v1[c]);
		if (!parent) {
			r = sc_error_set(err, -ENOMEM, "out of memory");
			goto undo;
		}
		*strrchr(parent, '/') = '\0';
		r = sc_mkdir_p(parent, 0755, 0755, err);
		if (r < 0)
			goto undo;
		if (mkdir(cg->v1[c], 0755) < 0) {
			r = errno == EEXIST ? sc_error_set(err, -EEXIST, "cgroup %s already exists", cg->v1[c])
					    : sc_error_errno(err, -errno, "cannot create cgroup %s", cg->v1[c]);
			goto undo;
		}
		made[c] = true;
		if (c == SC_CG_CPUSET && (r = fill_cpuset(root->v1_mount[c], cg->v1[c], err)) < 0)
			goto undo;
	}
	return 0;
undo:
	for (int c = 0; c < SC_CG_NCTRL; c++)
		if (made[c])
			rmdir(cg->v1[c]);
	return r;
}

enum missing { MISSING_WARNS, MISSING_FAILS };

/*
 * Whether dir/file can be written.  A controller or file the host lacks
 * is an error where Docker refuses, a warning where Docker warns and
 * carries on without the limit.
 */
static int available(const char *dir, const char *file, enum missing m, const char *opt,
		     const char *what, struct sc_diags *w, struct sc_error *err)
{
	if (dir && sc_cgfs_exists(dir, file))
		return 1;
	if (m == MISSING_FAILS)
		return sc_error_set(err, -EOPNOTSUPP, "--%s: this host has no %s (%s): cannot set %s",
				    opt, file, dir ? "file missing" : "controller not mounted", what);
	sc_diags_add(w, SC_DIAG_WARNING, opt, NULL, NULL,
		     "this host has no %s (%s): %s discarded", file,
		     dir ? "file missing" : "controller not mounted", what);
	return 0;
}

static int write_i64(const char *dir, const char *file, int64_t v, struct sc_error *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return sc_cgfs_write(dir, file, buf, err);
}

/* Memory and memory+swap: the kernel wants memory <= memsw at every moment. */
static int apply_memory(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
			struct sc_diags *w, struct sc_error *err)
{
	const char *d = cg->v1[SC_CG_MEMORY];
	bool mem = l->set & SC_LIMIT_MEMORY, swap = l->set & SC_LIMIT_MEMORY_SWAP;
	int r;
	if (mem && (r = available(d, "memory.limit_in_bytes", MISSING_WARNS, "memory",
				  "memory limit", w, err)) <= 0) {
		if (r < 0)
			return r;
		mem = swap = false;
	}
	if (swap && (r = available(d, "memory.memsw.limit_in_bytes", MISSING_WARNS, "memory-swap",
				   "swap limit (memory limited without swap)", w, err)) <= 0) {
		if (r < 0)
			return r;
		swap = false;
	}
	bool swap_first = false;
	if (swap) {
		uint64_t cur = SC_UNLIMITED;
		sc_cgfs_read_u64(d, "memory.memsw.limit_in_bytes", &cur, NULL);
		swap_first = l->memory_swap < 0 || (uint64_t)l->memory_swap >= cur;
	}
	if (swap && swap_first && (r = write_i64(d, "memory.memsw.limit_in_bytes", l->memory_swap, err)) < 0)
		return r;
	if (mem && (r = write_i64(d, "memory.limit_in_bytes", l->memory, err)) < 0) {
		if (r == -EINVAL && !swap)
			return sc_error_set(err, r, "--memory: memory limit should be smaller than the "
					    "memory+swap limit already set; update --memory-swap at the same time");
		return r;
	}
	if (swap && !swap_first && (r = write_i64(d, "memory.memsw.limit_in_bytes", l->memory_swap, err)) < 0)
		return r;
	if (l->set & SC_LIMIT_MEMORY_RESERVATION) {
		r = available(d, "memory.soft_limit_in_bytes", MISSING_WARNS, "memory-reservation",
			      "memory reservation", w, err);
		if (r < 0)
			return r;
		if (r > 0 && (r = write_i64(d, "memory.soft_limit_in_bytes", l->memory_reservation, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_MEMORY_SWAPPINESS) {
		r = available(d, "memory.swappiness", MISSING_FAILS, "memory-swappiness", "memory swappiness", w, err);
		if (r < 0 || (r = sc_cgfs_write_u64(d, "memory.swappiness", l->memory_swappiness, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_OOM_KILL_DISABLE) {
		r = available(d, "memory.oom_control", MISSING_FAILS, "oom-kill-disable", "the OOM killer off", w, err);
		if (r < 0 || (r = sc_cgfs_write(d, "memory.oom_control", "1", err)) < 0)
			return r;
	}
	return 0;
}

static int apply_cpu(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		     struct sc_diags *w, struct sc_error *err)
{
	const char *d = cg->v1[SC_CG_CPU];
	int r;
	if (l->set & SC_LIMIT_CPU_SHARES) {
		r = available(d, "cpu.shares", MISSING_WARNS, "cpu-shares", "CPU shares", w, err);
		if (r < 0 || (r > 0 && (r = sc_cgfs_write_u64(d, "cpu.shares", l->cpu_shares, err)) < 0))
			return r;
	}

	bool has_period = false, has_quota = false;
	uint64_t period = 0;
	int64_t quota = 0;
	if (l->set & SC_LIMIT_CPUS) {
		r = available(d, "cpu.cfs_quota_us", MISSING_FAILS, "cpus", "a CPU count", w, err);
		if (r < 0)
			return r;
		has_period = has_quota = true;
		period = SC_CPU_PERIOD_DEFAULT;
		quota = l->nano_cpus ? l->nano_cpus * SC_CPU_PERIOD_DEFAULT / 1000000000 : -1;
	} else {
		if ((l->set & SC_LIMIT_CPU_PERIOD) && l->cpu_period)
			has_period = true, period = l->cpu_period;
		if (l->set & SC_LIMIT_CPU_QUOTA)
			has_quota = true, quota = l->cpu_quota ? l->cpu_quota : -1;
		if ((has_period || has_quota) &&
		    (r = available(d, "cpu.cfs_quota_us", MISSING_WARNS, has_quota ? "cpu-quota" : "cpu-period",
				   "CPU CFS period and quota", w, err)) <= 0)
			return r;
	}
	/* A new period can be refused against the old quota and back: try both orders. */
	if (has_period && has_quota) {
		struct sc_error e1 = {0};
		if (sc_cgfs_write_u64(d, "cpu.cfs_period_us", period, &e1) == 0)
			return write_i64(d, "cpu.cfs_quota_us", quota, err);
		if ((r = write_i64(d, "cpu.cfs_quota_us", quota, err)) < 0)
			return r;
		return sc_cgfs_write_u64(d, "cpu.cfs_period_us", period, err);
	}
	if (has_period)
		return sc_cgfs_write_u64(d, "cpu.cfs_period_us", period, err);
	if (has_quota)
		return write_i64(d, "cpu.cfs_quota_us", quota, err);
	return 0;
}

static int apply_throttles(const char *d, const char *file, const char *opt,
			   const struct sc_throttle *t, size_t n, struct sc_diags *w, struct sc_error *err)
{
	if (n == 0)
		return 0;
	int r = available(d, file, MISSING_WARNS, opt, "block I/O rate limit", w, err);
	if (r <= 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%u:%u %" PRIu64, t[i].major, t[i].minor, t[i].bps);
		if ((r = sc_cgfs_write(d, file, buf, err)) < 0)
			return r;
	}
	return 0;
}

/*
 * The real-time period and runtime, in runc's order: a period the kernel
 * refuses (EINVAL) while a runtime comes too is tried again after it.
 */
static int apply_rt(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l, struct sc_diags *w,
		    struct sc_error *err)
{
	const char *d = cg->v1[SC_CG_CPU];
	bool period = l->set & SC_LIMIT_CPU_RT_PERIOD, runtime = l->set & SC_LIMIT_CPU_RT_RUNTIME;
	bool period_later = false;
	int r;
	if (!period && !runtime)
		return 0;
	if ((r = available(d, period ? "cpu.rt_period_us" : "cpu.rt_runtime_us", MISSING_FAILS,
			   period ? "cpu-rt-period" : "cpu-rt-runtime", "real-time CPU time", w, err)) < 0)
		return r;
	if (period && (r = sc_cgfs_write_u64(d, "cpu.rt_period_us", l->cpu_rt_period, err)) < 0) {
		if (r != -EINVAL || !runtime)
			return r;
		period_later = true;
		sc_error_clear(err);
	}
	if (runtime && (r = write_i64(d, "cpu.rt_runtime_us", l->cpu_rt_runtime, err)) < 0)
		return r;
	if (period_later && (r = sc_cgfs_write_u64(d, "cpu.rt_period_us", l->cpu_rt_period, err)) < 0)
		return r;
	return 0;
}

static int sc_cgroup_v1_apply(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		       struct sc_diags *w, struct sc_error *err)
{
	int r = apply_memory(cg, l, w, err);
	if (r < 0)
		return r;
	if ((r = apply_cpu(cg, l, w, err)) < 0 || (r = apply_rt(cg, l, w, err)) < 0)
		return r;
	if (l->set & SC_LIMIT_CPUSET_CPUS) {
		const char *d = cg->v1[SC_CG_CPUSET];
		r = available(d, "cpuset.cpus", MISSING_FAILS, "cpuset-cpus", "CPU set", w, err);
		if (r < 0 || (r = sc_cgfs_write(d, "cpuset.cpus", l->cpuset_cpus, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_CPUSET_MEMS) {
		const char *d = cg->v1[SC_CG_CPUSET];
		r = available(d, "cpuset.mems", MISSING_FAILS, "cpuset-mems", "memory node set", w, err);
		if (r < 0 || (r = sc_cgfs_write(d, "cpuset.mems", l->cpuset_mems, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_PIDS) {
		const char *d = cg->v1[SC_CG_PIDS];
		r = available(d, "pids.max", MISSING_WARNS, "pids-limit", "PIDs limit", w, err);
		if (r < 0)
			return r;
		if (r > 0) {
			char buf[32] = "max";
			if (l->pids_limit > 0)
				snprintf(buf, sizeof(buf), "%" PRId64, l->pids_limit);
			if ((r = sc_cgfs_write(d, "pids.max", buf, err)) < 0)
				return r;
		}
	}
	const char *b = cg->v1[SC_CG_BLKIO];
	if (l->set & SC_LIMIT_BLKIO_WEIGHT) {
		/* CFQ's file, or BFQ's under its own name; neither when the scheduler has no weights. */
		const char *file = b && sc_cgfs_exists(b, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
		int has = available(b, file, MISSING_WARNS, "blkio-weight", "block I/O weight", w, err);
		if (has < 0 || (has > 0 && (r = sc_cgfs_write_u64(b, file, l->blkio_weight, err)) < 0))
			return has < 0 ? has : r;
		if (has > 0 && strcmp(file, "blkio.bfq.weight") == 0)
			sc_cgfs_warn_weight_unused(w);
	}
	if ((l->set & SC_LIMIT_DEVICE_READ_BPS) &&
	    (r = apply_throttles(b, "blkio.throttle.read_bps_device", "device-read-bps",
				 l->read_bps, l->n_read_bps, w, err)) < 0)
		return r;
	if ((l->set & SC_LIMIT_DEVICE_WRITE_BPS) &&
	    (r = apply_throttles(b, "blkio.throttle.write_bps_device", "device-write-bps",
				 l->write_bps, l->n_write_bps, w, err)) < 0)
		return r;
	return 0;
}

static void sum_blkio(const char *dir, uint64_t *rd, uint64_t *wr)
{
	_cleanup_free_ char *s = NULL;
	if (!dir || sc_cgfs_read(dir, "blkio.throttle.io_service_bytes_recursive", &s, NULL) < 0)
		return;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dev[32], op[16];
		unsigned long long v;
		if (sscanf(line, "%31s %15s %llu", dev, op, &v) != 3)
			continue;
		if (strcmp(op, "Read") == 0)
			*rd += v;
		else if (strcmp(op, "Write") == 0)
			*wr += v;
	}
}

static int sc_cgroup_v1_stats(const struct sc_cgroup *cg, struct sc_cgroup_stats *out, struct sc_error *err)
{
	const char *m = cg->v1[SC_CG_MEMORY], *p = cg->v1[SC_CG_PIDS];
	const char *any = m ? m : p ? p : cg->v1[SC_CG_CPUACCT];
	struct stat st;
	if (!any || stat(any, &st) < 0)
		return sc_error_set(err, -ENOENT, "cgroup %s is gone", any ? any : "(none)");

	if (cg->v1[SC_CG_CPUACCT])
		sc_cgfs_read_u64(cg->v1[SC_CG_CPUACCT], "cpuacct.usage", &out->cpu_usage_ns, NULL);
	if (m) {
		sc_cgfs_read_u64(m, "memory.usage_in_bytes", &out->memory_usage, NULL);
		sc_cgfs_read_u64(m, "memory.max_usage_in_bytes", &out->memory_max_usage, NULL);
		uint64_t lim = SC_UNLIMITED;
		if (sc_cgfs_read_u64(m, "memory.limit_in_bytes", &lim, NULL) == 0 && lim < V1_UNLIMITED_FLOOR)
			out->memory_limit = lim;
		sc_cgfs_read_key(m, "memory.stat", "total_inactive_file", &out->memory_inactive_file);
		sc_cgfs_read_key(m, "memory.oom_control", "oom_kill", &out->oom_kills);
	}
	if (p) {
		sc_cgfs_read_u64(p, "pids.current", &out->pids_current, NULL);
		sc_cgfs_read_u64(p, "pids.max", &out->pids_limit, NULL);
	}
	sum_blkio(cg->v1[SC_CG_BLKIO], &out->blkio_read, &out->blkio_write);
	return 0;
}

static int sc_cgroup_v1_kill(const struct sc_cgroup *cg, struct sc_error *err)
{
	const char *f = cg->v1[SC_CG_FREEZER];
	if (!f || !sc_cgfs_exists(f, "freezer.state"))
		return -EOPNOTSUPP;
	/* Frozen, nothing can fork between reading the list and the kill. */
	int r = sc_cgfs_write(f, "freezer.state", "FROZEN", err);
	if (r < 0)
		return r;
	for (int i = 0; i < 100; i++) {
		_cleanup_free_ char *st = NULL;
		if (sc_cgfs_read(f, "freezer.state", &st, NULL) == 0 && strcmp(st, "FROZEN") == 0)
			break;
		sc_cgfs_sleep_ms(5);
	}
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	r = sc_cgfs_procs(f, &pids, &n, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		kill(pids[i], SIGKILL);
	int t = sc_cgfs_write(f, "freezer.state", "THAWED", r < 0 ? NULL : err);
	return r < 0 ? r : t;
}

/* v1 controllers that share one mount share one directory: visit it once. */
static bool seen_before(const struct sc_cgroup *cg, int c)
{
	for (int i = 0; i < c; i++)
		if (cg->v1[i] && strcmp(cg->v1[i], cg->v1[c]) == 0)
			return true;
	return false;
}

static int attach(const struct sc_cgroup *cg, const char *pid, struct sc_error *err)
{
	for (int c = 0; c < SC_CG_NCTRL; c++) {
		if (!cg->v1[c] || seen_before(cg, c))
			continue;
		int r = sc_cgfs_write(cg->v1[c], "cgroup.procs", pid, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *procs_dir(const struct sc_cgroup *cg)
{
	static const enum sc_cgroup_ctrl order[] = {
		SC_CG_PIDS, SC_CG_MEMORY, SC_CG_FREEZER, SC_CG_CPU, SC_CG_CPUACCT, SC_CG_CPUSET, SC_CG_BLKIO,
		SC_CG_DEVICES,
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(order); i++)
		if (cg->v1[order[i]])
			return cg->v1[order[i]];
	return NULL;
}

/* v1 has no populated flag that covers a whole tree: the pid list tells. */
static int populated(const struct sc_cgroup *cg)
{
	return -EOPNOTSUPP;
}

static int remove_dirs(const struct sc_cgroup *cg, struct sc_error *err)
{
	int ret = 0;
	for (int c = 0; c < SC_CG_NCTRL; c++) {
		if (!cg->v1[c] || seen_before(cg, c))
			continue;
		int r = sc_cgfs_rmdir(cg->v1[c], err);
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}

const struct sc_cgroup_ops sc_cgroup_v1_ops = {
	.create = sc_cgroup_v1_create,
	.apply = sc_cgroup_v1_apply,
	.stats = sc_cgroup_v1_stats,
	.kill = sc_cgroup_v1_kill,
	.attach = attach,
	.procs_dir = procs_dir,
	.populated = populated,
	.remove = remove_dirs,
};
