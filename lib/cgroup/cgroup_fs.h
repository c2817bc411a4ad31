/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by cgroup.c, cgroup_v1.c and cgroup_v2.c; not a public header.
 * The sc_cgfs_* helpers are cgroup_fs.c; the backends' tables are
 * cgroup_v1.c and cgroup_v2.c, which cgroup.c dispatches to.
 */
#ifndef SECLUDE_CGROUP_FS_H
#define SECLUDE_CGROUP_FS_H

#include <stdbool.h>
#include <stdint.h>

#include "seclude/cgroup.h"

/* Write value into dir/file (one write, as the kernel wants it). */
int sc_cgfs_write(const char *dir, const char *file, const char *value, struct sc_error *err);
int sc_cgfs_write_u64(const char *dir, const char *file, uint64_t v, struct sc_error *err);
/* Read dir/file; the trailing newline is removed. */
int sc_cgfs_read(const char *dir, const char *file, char **out, struct sc_error *err);
/* A number, or "max" as SC_UNLIMITED. */
int sc_cgfs_read_u64(const char *dir, const char *file, uint64_t *out, struct sc_error *err);
/* The value of "key N" in a flat keyed file (memory.stat, cpu.stat, memory.events). */
int sc_cgfs_read_key(const char *dir, const char *file, const char *key, uint64_t *out);
bool sc_cgfs_exists(const char *dir, const char *file);
char *sc_cgfs_join(const char *a, const char *b, const char *c);
/* Read the pids of dir/cgroup.procs. */
int sc_cgfs_procs(const char *dir, pid_t **pids, size_t *n, struct sc_error *err);
/* Sleep ms milliseconds, through signals. */
void sc_cgfs_sleep_ms(long ms);
/* rmdir, retrying while the last tasks are still leaving. */
int sc_cgfs_rmdir(const char *dir, struct sc_error *err);

/*
 * Whether some block device of this host is scheduled by BFQ, the only
 * scheduler left that honours a weight.  Without one a weight is written
 * but does nothing, which deserves a warning.
 */
bool sc_cgfs_host_has_bfq(void);
void sc_cgfs_warn_weight_unused(struct sc_diags *w);
/*
 * v2's io.weight is honoured by the io.cost controller, when the root's
 * io.cost.qos enables it for a device, or by BFQ; with neither it is
 * written but does nothing.  DIR is a cgroup of the hierarchy.
 */
bool sc_cgfs_iocost_enabled(const char *dir);
void sc_cgfs_warn_io_weight_unused(const char *dir, struct sc_diags *w);

/*
 * What differs between cgroup v1 and v2, one table each (cgroup_v1.c,
 * cgroup_v2.c); cgroup.c picks the table by the cgroup's version and never
 * asks again.  A third backend (a delegated or systemd-managed tree) is one
 * more table.
 */
struct sc_cgroup_ops {
	/* Make the directories and enable what the limits need. */
	int (*create)(const struct sc_cgroup_root *root, struct sc_cgroup *cg, struct sc_error *err);
	int (*apply)(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		     struct sc_diags *warnings, struct sc_error *err);
	int (*stats)(const struct sc_cgroup *cg, struct sc_cgroup_stats *out, struct sc_error *err);
	/* SIGKILL to the whole tree at once; -EOPNOTSUPP when this host cannot. */
	int (*kill)(const struct sc_cgroup *cg, struct sc_error *err);
	/* Move the process (its pid as text) in. */
	int (*attach)(const struct sc_cgroup *cg, const char *pid, struct sc_error *err);
	/* The directory whose cgroup.procs speaks for the whole tree. */
	const char *(*procs_dir)(const struct sc_cgroup *cg);
	/* 1 when some process is in it, 0 when none, negative when only the pid list can tell. */
	int (*populated)(const struct sc_cgroup *cg);
	/* Remove the (empty) directories. */
	int (*remove)(const struct sc_cgroup *cg, struct sc_error *err);
};

extern const struct sc_cgroup_ops sc_cgroup_v1_ops;
extern const struct sc_cgroup_ops sc_cgroup_v2_ops;

#endif
