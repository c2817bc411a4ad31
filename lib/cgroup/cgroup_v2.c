/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v2: one directory, controllers enabled from the top, runc's v1-to-v2 conversions. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup_fs.h"
#include "seclude/util.h"

static const char *const wanted_ctrls[] = { "cpu", "cpuset", "memory", "pids", "io" };

static bool word_in(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '\n'))
			return true;
	return false;
}

/*
 * In a subtree delegated to a user who is not root, each controller on its
 * own, those the kernel refuses (cpuset asks for more than ownership) left
 * off: a limit on one of them then says its file is missing.
 */
static void enable_each(const char *dir, const char *avail, const char *enabled)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(wanted_ctrls); i++) {
		char one[32];
		snprintf(one, sizeof(one), "+%s", wanted_ctrls[i]);
		if (word_in(avail, wanted_ctrls[i]) && !word_in(enabled, wanted_ctrls[i]))
			(void)sc_cgfs_write(dir, "cgroup.subtree_control", one, NULL);
	}
}

/* Let the children of dir use every wanted controller dir itself has. */
static int enable_controllers(const char *dir, bool delegated, struct sc_error *err)
{
	_cleanup_free_ char *avail = NULL, *enabled = NULL;
	if (sc_cgfs_read(dir, "cgroup.controllers", &avail, NULL) < 0)
		return 0;
	if (sc_cgfs_read(dir, "cgroup.subtree_control", &enabled, NULL) < 0)
		return 0;
	char buf[128] = "";
	size_t n = 0;
	for (size_t i = 0; i < SC_ARRAY_SIZE(wanted_ctrls); i++)
		if (word_in(avail, wanted_ctrls[i]) && !word_in(enabled, wanted_ctrls[i]))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s+%s", n ? " " : "", wanted_ctrls[i]);
	if (n == 0)
		return 0;
	if (delegated) {
		enable_each(dir, avail, enabled);
		return 0;
	}
	int r = sc_cgfs_write(dir, "cgroup.subtree_control", buf, err);
	if (r == -EBUSY)
		return sc_error_set(err, r, "cannot enable controllers below %s: it holds processes, and "
				    "cgroup v2 puts controllers only below cgroups without any; "
				    "choose another cgroup parent", dir);
	return r;
}

static int sc_cgroup_v2_create(const struct sc_cgroup_root *root, struct sc_cgroup *cg, struct sc_error *err)
{
	_cleanup_free_ char *parent = strdup(cg->dir);
	if (!parent)
		return sc_error_set(err, -ENOMEM, "out of memory");
	*strrchr(parent, '/') = '\0';
	int r = sc_mkdir_p(parent, 0755, 0755, err);
	if (r < 0)
		return r;
	/* Every level from the top (or the delegated subtree) down to the parent hands the controllers on. */
	size_t rootlen = strlen(root->path);
	if (strncmp(parent, root->path, rootlen) != 0)
		return sc_error_set(err, -EINVAL, "%s is not below %s", parent, root->path);
	if (root->delegated && strcmp(root->delegated, "/")) {
		size_t dl = strlen(root->delegated);
		if (strncmp(parent + rootlen, root->delegated, dl) != 0 ||
		    (parent[rootlen + dl] != '/' && parent[rootlen + dl] != '\0'))
			return sc_error_set(err, -EACCES, "%s is not below your delegated cgroup %s%s", parent,
					    root->path, root->delegated);
		rootlen += dl;
	}
	for (char *s = parent + rootlen;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		r = enable_controllers(*parent ? parent : "/", root->delegated != NULL, err);
		*s = saved;
		if (r < 0)
			return r;
		if (saved == '\0')
			break;
	}
	if (mkdir(cg->dir, 0755) < 0)
		return errno == EEXIST ? sc_error_set(err, -EEXIST, "cgroup %s already exists", cg->dir)
				       : sc_error_errno(err, -errno, "cannot create cgroup %s", cg->dir);
	return 0;
}

enum missing { MISSING_WARNS, MISSING_FAILS };

static int available(const char *dir, const char *file, enum missing m, const char *opt,
		     const char *what, struct sc_diags *w, struct sc_error *err)
{
	if (sc_cgfs_exists(dir, file))
		return 1;
	if (m == MISSING_FAILS)
		return sc_error_set(err, -EOPNOTSUPP, "--%s: this host has no %s in %s (controller not enabled): "
				    "cannot set %s", opt, file, dir, what);
	sc_diags_add(w, SC_DIAG_WARNING, opt, NULL, NULL,
		     "this host has no %s (controller not enabled): %s discarded", file, what);
	return 0;
}

static int write_limit(const char *dir, const char *file, int64_t v, struct sc_error *err)
{
	char buf[32] = "max";
	if (v >= 0)
		snprintf(buf, sizeof(buf), "%" PRId64, v);
	return sc_cgfs_write(dir, file, buf, err);
}

static int apply_memory(const char *d, const struct sc_cgroup_limits *l, struct sc_diags *w,
			struct sc_error *err)
{
	int r;
	bool mem = l->set & SC_LIMIT_MEMORY;
	if (mem) {
		r = available(d, "memory.max", MISSING_WARNS, "memory", "memory limit", w, err);
		if (r < 0)
			return r;
		if (r == 0)
			return 0;
		if ((r = write_limit(d, "memory.max", l->memory, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_MEMORY_SWAP) {
		/* v2 limits swap alone: memory+swap minus memory, as runc converts it. */
		int64_t memory = l->memory;
		if (!mem) {
			uint64_t cur = SC_UNLIMITED;
			sc_cgfs_read_u64(d, "memory.max", &cur, NULL);
			memory = cur == SC_UNLIMITED ? -1 : (int64_t)cur;
		}
		int64_t swap = -1;
		if (l->memory_swap >= 0) {
			if (memory <= 0)
				return sc_error_set(err, -EINVAL, "--memory-swap: cannot limit swap without a memory limit");
			if (l->memory_swap < memory)
				return sc_error_set(err, -EINVAL, "--memory-swap: memory+swap limit %" PRId64
						    " is below the memory limit %" PRId64, l->memory_swap, memory);
			swap = l->memory_swap - memory;
		}
		r = available(d, "memory.swap.max", MISSING_WARNS, "memory-swap",
			      "swap limit (memory limited without swap)", w, err);
		if (r < 0 || (r > 0 && (r = write_limit(d, "memory.swap.max", swap, err)) < 0))
			return r;
	}
	if (l->set & SC_LIMIT_MEMORY_RESERVATION) {
		r = available(d, "memory.low", MISSING_WARNS, "memory-reservation", "memory reservation", w, err);
		if (r < 0 || (r > 0 && (r = write_limit(d, "memory.low", l->memory_reservation, err)) < 0))
			return r;
	}
	return 0;
}

static int apply_cpu(const char *d, const struct sc_cgroup_limits *l, struct sc_diags *w,
		     struct sc_error *err)
{
	int r;
	if (l->set & SC_LIMIT_CPU_SHARES) {
		r = available(d, "cpu.weight", MISSING_WARNS, "cpu-shares", "CPU shares", w, err);
		if (r < 0 || (r > 0 && (r = sc_cgfs_write_u64(d, "cpu.weight",
							      sc_cpu_shares_to_weight(l->cpu_shares), err)) < 0))
			return r;
	}
	char buf[64];
	if (l->set & SC_LIMIT_CPUS) {
		r = available(d, "cpu.max", MISSING_FAILS, "cpus", "a CPU count", w, err);
		if (r < 0)
			return r;
		if (l->nano_cpus)
			snprintf(buf, sizeof(buf), "%" PRId64 " %d",
				 l->nano_cpus * SC_CPU_PERIOD_DEFAULT / 1000000000, SC_CPU_PERIOD_DEFAULT);
		else
			snprintf(buf, sizeof(buf), "max %d", SC_CPU_PERIOD_DEFAULT);
		return sc_cgfs_write(d, "cpu.max", buf, err);
	}
	bool period = (l->set & SC_LIMIT_CPU_PERIOD) && l->cpu_period;
	bool quota = l->set & SC_LIMIT_CPU_QUOTA;
	if (!period && !quota)
		return 0;
	r = available(d, "cpu.max", MISSING_WARNS, quota ? "cpu-quota" : "cpu-period",
		      "CPU CFS period and quota", w, err);
	if (r <= 0)
		return r;
	char q[32] = "max";
	if (quota && l->cpu_quota > 0)
		snprintf(q, sizeof(q), "%" PRId64, l->cpu_quota);
	if (!quota) {
		/* cpu.max takes the quota first: keep the one in place. */
		_cleanup_free_ char *cur = NULL;
		if (sc_cgfs_read(d, "cpu.max", &cur, NULL) == 0 && cur[0])
			snprintf(q, sizeof(q), "%.*s", (int)strcspn(cur, " "), cur);
	}
	if (period)
		snprintf(buf, sizeof(buf), "%s %" PRIu64, q, l->cpu_period);
	else
		snprintf(buf, sizeof(buf), "%s", q);
	return sc_cgfs_write(d, "cpu.max", buf, err);
}

static int apply_throttles(const char *d, const char *key, const char *opt,
			   const struct sc_throttle *t, size_t n, struct sc_diags *w, struct sc_error *err)
{
	if (n == 0)
		return 0;
	int r = available(d, "io.max", MISSING_WARNS, opt, "block I/O rate limit", w, err);
	if (r <= 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		char buf[96];
		snprintf(buf, sizeof(buf), "%u:%u %s=%" PRIu64, t[i].major, t[i].minor, key, t[i].bps);
		if ((r = sc_cgfs_write(d, "io.max", buf, err)) < 0)
			return r;
	}
	return 0;
}

static int sc_cgroup_v2_apply(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		       struct sc_diags *w, struct sc_error *err)
{
	const char *d = cg->dir;
	/* cgroup v2 has no file for these */
	static const struct { unsigned bit; const char *what; } v1_only[] = {
		{ SC_LIMIT_MEMORY_SWAPPINESS, "memory swappiness" },
		{ SC_LIMIT_OOM_KILL_DISABLE, "disabling the OOM killer" },
		{ SC_LIMIT_CPU_RT_PERIOD, "a real-time CPU period" },
		{ SC_LIMIT_CPU_RT_RUNTIME, "a real-time CPU runtime" },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(v1_only); i++)
		if (l->set & v1_only[i].bit)
			return sc_error_set(err, -EOPNOTSUPP, "%s is not supported on cgroup v2", v1_only[i].what);
	int r = apply_memory(d, l, w, err);
	if (r < 0 || (r = apply_cpu(d, l, w, err)) < 0)
		return r;
	if (l->set & SC_LIMIT_CPUSET_CPUS) {
		r = available(d, "cpuset.cpus", MISSING_FAILS, "cpuset-cpus", "CPU set", w, err);
		if (r < 0 || (r = sc_cgfs_write(d, "cpuset.cpus", l->cpuset_cpus, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_CPUSET_MEMS) {
		r = available(d, "cpuset.mems", MISSING_FAILS, "cpuset-mems", "memory node set", w, err);
		if (r < 0 || (r = sc_cgfs_write(d, "cpuset.mems", l->cpuset_mems, err)) < 0)
			return r;
	}
	if (l->set & SC_LIMIT_PIDS) {
		r = available(d, "pids.max", MISSING_WARNS, "pids-limit", "PIDs limit", w, err);
		if (r < 0 || (r > 0 && (r = write_limit(d, "pids.max", l->pids_limit, err)) < 0))
			return r;
	}
	if (l->set & SC_LIMIT_BLKIO_WEIGHT) {
		/* BFQ takes the v1 value as it is; io.weight has its own range. */
		if (sc_cgfs_exists(d, "io.bfq.weight")) {
			r = sc_cgfs_write_u64(d, "io.bfq.weight", l->blkio_weight, err);
			if (r == 0)
				sc_cgfs_warn_weight_unused(w);
		} else {
			r = available(d, "io.weight", MISSING_WARNS, "blkio-weight", "block I/O weight", w, err);
			if (r > 0) {
				char buf[32];
				snprintf(buf, sizeof(buf), "default %" PRIu64,
					 sc_blkio_weight_to_io_weight(l->blkio_weight));
				r = sc_cgfs_write(d, "io.weight", buf, err);
				if (r == 0)
					sc_cgfs_warn_io_weight_unused(d, w);
			}
		}
		if (r < 0)
			return r;
	}
	if ((l->set & SC_LIMIT_DEVICE_READ_BPS) &&
	    (r = apply_throttles(d, "rbps", "device-read-bps", l->read_bps, l->n_read_bps, w, err)) < 0)
		return r;
	if ((l->set & SC_LIMIT_DEVICE_WRITE_BPS) &&
	    (r = apply_throttles(d, "wbps", "device-write-bps", l->write_bps, l->n_write_bps, w, err)) < 0)
		return r;
	return 0;
}

static void sum_io(const char *dir, uint64_t *rd, uint64_t *wr)
{
	_cleanup_free_ char *s = NULL;
	if (sc_cgfs_read(dir, "io.stat", &s, NULL) < 0)
		return;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *save2 = NULL;
		for (char *tok = strtok_r(line, " ", &save2); tok; tok = strtok_r(NULL, " ", &save2)) {
			unsigned long long v;
			if (sscanf(tok, "rbytes=%llu", &v) == 1)
				*rd += v;
			else if (sscanf(tok, "wbytes=%llu", &v) == 1)
				*wr += v;
		}
	}
}

static int sc_cgroup_v2_stats(const struct sc_cgroup *cg, struct sc_cgroup_stats *out, struct sc_error *err)
{
	const char *d = cg->dir;
	struct stat st;
	if (stat(d, &st) < 0)
		return sc_error_set(err, -ENOENT, "cgroup %s is gone", d);
	uint64_t usec = 0;
	if (sc_cgfs_read_key(d, "cpu.stat", "usage_usec", &usec) == 0)
		out->cpu_usage_ns = usec * 1000;
	sc_cgfs_read_u64(d, "memory.current", &out->memory_usage, NULL);
	sc_cgfs_read_u64(d, "memory.max", &out->memory_limit, NULL);
	sc_cgfs_read_u64(d, "memory.peak", &out->memory_max_usage, NULL);
	sc_cgfs_read_key(d, "memory.stat", "inactive_file", &out->memory_inactive_file);
	sc_cgfs_read_key(d, "memory.events", "oom_kill", &out->oom_kills);
	sc_cgfs_read_u64(d, "pids.current", &out->pids_current, NULL);
	sc_cgfs_read_u64(d, "pids.max", &out->pids_limit, NULL);
	sum_io(d, &out->blkio_read, &out->blkio_write);
	return 0;
}

static int sc_cgroup_v2_kill(const struct sc_cgroup *cg, struct sc_error *err)
{
	/* cgroup.kill (Linux 5.14) kills the whole subtree at once, forks included. */
	if (!sc_cgfs_exists(cg->dir, "cgroup.kill"))
		return -EOPNOTSUPP;
	return sc_cgfs_write(cg->dir, "cgroup.kill", "1", err);
}

static int attach(const struct sc_cgroup *cg, const char *pid, struct sc_error *err)
{
	return sc_cgfs_write(cg->dir, "cgroup.procs", pid, err);
}

static const char *procs_dir(const struct sc_cgroup *cg)
{
	return cg->dir;
}

static int populated(const struct sc_cgroup *cg)
{
	uint64_t v;
	if (sc_cgfs_read_key(cg->dir, "cgroup.events", "populated", &v) < 0)
		return -ENOENT;
	return v != 0;
}

static int remove_dir(const struct sc_cgroup *cg, struct sc_error *err)
{
	return cg->dir ? sc_cgfs_rmdir(cg->dir, err) : 0;
}

const struct sc_cgroup_ops sc_cgroup_v2_ops = {
	.create = sc_cgroup_v2_create,
	.apply = sc_cgroup_v2_apply,
	.stats = sc_cgroup_v2_stats,
	.kill = sc_cgroup_v2_kill,
	.attach = attach,
	.procs_dir = procs_dir,
	.populated = populated,
	.remove = remove_dir,
};
