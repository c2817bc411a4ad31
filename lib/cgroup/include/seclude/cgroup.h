/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CGROUP_H
#define SECLUDE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/error.h"

/*
 * Resource limits, named and valued as Docker's run/update options are.
 * Only the fields whose bit is in `set` mean anything: update writes just
 * those, so "not given" and "unlimited" stay different things.
 */
enum sc_limit {
	SC_LIMIT_MEMORY = 1u << 0,              /* --memory */
	SC_LIMIT_MEMORY_SWAP = 1u << 1,         /* --memory-swap */
	SC_LIMIT_MEMORY_RESERVATION = 1u << 2,  /* --memory-reservation */
	SC_LIMIT_CPUS = 1u << 3,                /* --cpus */
	SC_LIMIT_CPU_SHARES = 1u << 4,          /* --cpu-shares */
	SC_LIMIT_CPU_PERIOD = 1u << 5,          /* --cpu-period */
	SC_LIMIT_CPU_QUOTA = 1u << 6,           /* --cpu-quota */
	SC_LIMIT_CPUSET_CPUS = 1u << 7,         /* --cpuset-cpus */
	SC_LIMIT_PIDS = 1u << 8,                /* --pids-limit */
	SC_LIMIT_BLKIO_WEIGHT = 1u << 9,        /* --blkio-weight */
	SC_LIMIT_DEVICE_READ_BPS = 1u << 10,    /* --device-read-bps */
	SC_LIMIT_DEVICE_WRITE_BPS = 1u << 11,   /* --device-write-bps */
	SC_LIMIT_CPUSET_MEMS = 1u << 12,        /* --cpuset-mems */
	/* config.json's linux.resources only (no option row): written on v1, refused on v2 */
	SC_LIMIT_MEMORY_SWAPPINESS = 1u << 13,  /* memory.swappiness */
	SC_LIMIT_OOM_KILL_DISABLE = 1u << 14,   /* disableOOMKiller: true */
	SC_LIMIT_CPU_RT_PERIOD = 1u << 15,      /* cpu.realtimePeriod */
	SC_LIMIT_CPU_RT_RUNTIME = 1u << 16,     /* cpu.realtimeRuntime */
};

/* The smallest --memory Docker accepts: below it a container cannot start. */
#define SC_MEMORY_MIN (6 * 1024 * 1024)
/* Docker's --cpus period, in microseconds. */
#define SC_CPU_PERIOD_DEFAULT 100000

struct sc_throttle {
	char *path;         /* as given, e.g. "/dev/sda" */
	unsigned major, minor;
	uint64_t bps;
};

struct sc_cgroup_limits {
	unsigned set;                 /* enum sc_limit bits */
	int64_t memory;               /* bytes */
	int64_t memory_swap;          /* memory + swap in bytes, -1 = unlimited swap */
	int64_t memory_reservation;   /* bytes (soft limit) */
	int64_t nano_cpus;            /* --cpus times 1e9 */
	uint64_t cpu_shares;          /* relative weight, 1024 = the default */
	uint64_t cpu_period;          /* microseconds */
	int64_t cpu_quota;            /* microseconds per period, -1 = unlimited */
	char *cpuset_cpus;            /* "0-2,4" */
	char *cpuset_mems;            /* memory nodes, "0-1" */
	uint64_t memory_swappiness;   /* 0..100 */
	uint64_t cpu_rt_period;       /* microseconds */
	int64_t cpu_rt_runtime;       /* microseconds per period, -1 = unlimited */
	int64_t pids_limit;           /* -1 = unlimited */
	uint16_t blkio_weight;        /* 10..1000 */
	struct sc_throttle *read_bps;
	size_t n_read_bps;
	struct sc_throttle *write_bps;
	size_t n_write_bps;
};

/* One row of the option table: "memory", "cpus", ...  (without "--"). */
struct sc_limit_option {
	const char *name;
	enum sc_limit bit;
	const char *help;  /* "SIZE  memory limit (512m, 1g)" */
};
/* Terminated by a row with name NULL, in the order --help lists them. */
extern const struct sc_limit_option sc_limit_options[];

/*
 * Docker's value spellings.  Sizes: "512m", "1g", "1.5GiB", "100" (bytes),
 * binary multiples (k = 1024) as Docker's RAMInBytes.  CPUs: "1.5" with at
 * most 9 decimals.  Throttles: "/dev/sda:1mb" (the device must exist and
 * be a block device).
 */
int sc_parse_size(const char *s, int64_t *out, struct sc_error *err);
int sc_parse_cpus(const char *s, int64_t *nano, struct sc_error *err);
int sc_parse_throttle(const char *s, struct sc_throttle *out, struct sc_error *err);

/*
 * Parse VALUE for the option NAME (a row of sc_limit_options) into l and
 * mark it set.  Repeated throttle options accumulate; others replace.
 */
int sc_limits_set(struct sc_cgroup_limits *l, const char *name, const char *value,
		  struct sc_error *err);

/*
 * Docker's checks and defaults, for a new sandbox (updating = false) or
 * for an update of a running one: memory at least 6 MiB, swap at least
 * memory, reservation at most memory, --cpus against --cpu-period/quota
 * and the host's CPU count, weight ranges.  A new sandbox with --memory
 * and no --memory-swap gets twice the memory as memory+swap, as Docker
 * does.  Clamped values are warnings, as they are for Docker.
 */
int sc_limits_check(struct sc_cgroup_limits *l, bool updating, unsigned host_cpus,
		    struct sc_diags *warnings, struct sc_error *err);

/* Deep copy / merge src's set fields into dst (what update does to the record). */
int sc_limits_merge(struct sc_cgroup_limits *dst, const struct sc_cgroup_limits *src);
void sc_limits_free(struct sc_cgroup_limits *l);

/* ------------------------------------------------------------------ */
/* Hierarchies */

enum sc_cgroup_version { SC_CGROUP_V1 = 1, SC_CGROUP_V2 = 2 };

/*
 * The v1 controllers seclude uses.  freezer is there so that a sandbox
 * can be stopped in one piece (no fork between the listing and the kill);
 * devices holds Docker's device allow-list.
 */
enum sc_cgroup_ctrl {
	SC_CG_CPU,
	SC_CG_CPUACCT,
	SC_CG_CPUSET,
	SC_CG_MEMORY,
	SC_CG_PIDS,
	SC_CG_BLKIO,
	SC_CG_FREEZER,
	SC_CG_DEVICES,
	SC_CG_NCTRL,
};
const char *sc_cgroup_ctrl_name(enum sc_cgroup_ctrl c);

struct sc_cgroup_root {
	enum sc_cgroup_version version;
	char *path;                   /* v2: the cgroup2 mount; v1: the directory of the v1 mounts */
	char *v1_mount[SC_CG_NCTRL];  /* v1: each controller's mount point, NULL when missing */
	/* The caller's own cgroup (from /proc/self/cgroup), for relative parents. */
	char *self_v2;
	char *self_v1[SC_CG_NCTRL];
	/*
	 * v2, for a user who is not root: the subtree delegated to them (see
	 * sc_cgroup_delegated), from the hierarchy's root.  Set, controllers
	 * are enabled from there down only (the levels above are not theirs)
	 * and the default parent is its "seclude".  NULL: root's whole tree.
	 */
	char *delegated;
};

/*
 * Find the hierarchy under path (NULL: /sys/fs/cgroup).  A cgroup2 mount
 * at path is v2; a directory holding v1 controller mounts (or directories
 * shaped like them, for tests) is v1.  A hybrid host, whose cgroup2 mount
 * under "unified" has no controllers, is v1.
 */
int sc_cgroup_root_detect(const char *path, struct sc_cgroup_root *out, struct sc_error *err);
void sc_cgroup_root_free(struct sc_cgroup_root *r);

/*
 * A user who is not root has a cgroup of their own only where cgroup v2
 * delegates a subtree to them, as systemd does for user@UID.service: the
 * highest ancestor of the caller's cgroup whose directory, cgroup.procs
 * and cgroup.subtree_control belong to uid, with at least one controller
 * in its cgroup.controllers.  Its path from the hierarchy's root in *out
 * (malloc'd).  -ENOENT when there is none (cgroup v1 gives users nothing,
 * nor does v2 without delegation), err saying which.
 */
int sc_cgroup_delegated(const struct sc_cgroup_root *r, uid_t uid, char **out, struct sc_error *err);

/*
 * The default parent: "seclude", relative to the caller's cgroup on v1
 * (as runc reads a relative path), "/seclude" at the top of a v2
 * hierarchy, because v2 forbids controllers below a cgroup that holds
 * processes, which the caller's usually does.  With a delegated subtree,
 * its "seclude".
 */
const char *sc_cgroup_default_parent(const struct sc_cgroup_root *r);

/* One sandbox's cgroup: a directory per v1 controller, or one on v2. */
struct sc_cgroup {
	enum sc_cgroup_version version;
	char *dir;                /* v2 */
	char *v1[SC_CG_NCTRL];    /* v1, NULL for a controller the host lacks */
};

/*
 * Where PARENT/NAME lives (PARENT absolute from the hierarchy root, or
 * relative to the caller's cgroup).  Nothing is created.
 */
int sc_cgroup_locate(const struct sc_cgroup_root *root, const char *parent, const char *name,
		     struct sc_cgroup **out, struct sc_error *err);

/*
 * Create PARENT/NAME (parents as needed; on v2 the controllers are
 * enabled down to it; on v1 cpuset's cpus and mems are copied down, as a
 * cpuset cgroup without them cannot take a task).  NAME must not exist.
 * Missing controllers are warnings.
 */
int sc_cgroup_create(const struct sc_cgroup_root *root, const char *parent, const char *name,
		     struct sc_cgroup **out, struct sc_diags *warnings, struct sc_error *err);

/* Write the set limits; on a missing file an error, or a warning where Docker warns. */
int sc_cgroup_apply(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		    struct sc_diags *warnings, struct sc_error *err);

/* Move pid (and, on v1, in every controller) into the cgroup. */
int sc_cgroup_attach(const struct sc_cgroup *cg, pid_t pid, struct sc_error *err);

/*
 * One rule of a device allow-list, as the OCI spec and the v1 devices
 * controller write them: "c 1:3 rwm", "b *:* m".
 */
struct sc_device_rule {
	char type;              /* 'a' (every device), 'b' (block), 'c' (character); 0 ends a list */
	int64_t major, minor;   /* -1: any */
	const char *access;     /* some of "rwm": read, write, mknod */
};
/*
 * Docker's default for an unprivileged container: mknod of any node, and
 * null, zero, full, random, urandom, tty, console, ptmx, the pty slaves
 * and tun usable.  Opening any other device fails with EPERM.
 */
extern const struct sc_device_rule sc_docker_device_rules[];

/* "c 1:3 rwm", "b *:* m" or "a", as snprintf. */
int sc_device_rule_format(const struct sc_device_rule *r, char *buf, size_t len);

/*
 * Let the cgroup's processes use only the devices the list (ended by a
 * rule of type 0) allows: on v1 devices.deny "a", then one devices.allow
 * per rule; on v2 a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the
 * cgroup, which lives as long as the cgroup.  Before any process joins.
 */
int sc_cgroup_restrict_devices(const struct sc_cgroup *cg, const struct sc_device_rule *rules,
			       struct sc_error *err);

/* The v2 program for n rules (without the terminator), for tests: *out is malloc'd. */
struct bpf_insn;
int sc_device_program(const struct sc_device_rule *rules, size_t n, struct bpf_insn **out,
		      size_t *len, struct sc_error *err);

/* An O_PATH directory fd for clone3(CLONE_INTO_CGROUP); v2 only (-EOPNOTSUPP on v1). */
int sc_cgroup_open_dirfd(const struct sc_cgroup *cg, struct sc_error *err);

/* The processes in the cgroup (memory or pids controller on v1). */
int sc_cgroup_pids(const struct sc_cgroup *cg, pid_t **pids, size_t *n, struct sc_error *err);
bool sc_cgroup_is_populated(const struct sc_cgroup *cg);

/*
 * Signal every process in the cgroup.  SIGKILL is delivered with the
 * group frozen (v1 freezer) or through cgroup.kill (v2), so a fork bomb
 * cannot outrun it.
 */
int sc_cgroup_signal(const struct sc_cgroup *cg, int sig, struct sc_error *err);

/* Kill what is left, wait for it to go, and remove the directories. */
int sc_cgroup_destroy(const struct sc_cgroup *cg, struct sc_error *err);

/* Wait (up to timeout_ms, -1 forever) until no process is left in the cgroup. */
int sc_cgroup_wait_empty(const struct sc_cgroup *cg, int timeout_ms, struct sc_error *err);

/*
 * A cgroup v2 leaf for one process tree (cgroup_leaf.c): PREFIX.PID.N
 * below the v2 cgroup pid is in now (so limits set there still apply; on
 * a hybrid host, in the unified mount, without controllers), pid moved
 * in, *id its cgroup id.  Leaves of PREFIX whose owner has died are
 * removed on the way.  sc_cgroup_destroy and sc_cgroup_free end it.
 */
int sc_cgroup_v2_leaf(pid_t pid, const char *prefix, struct sc_cgroup **out, uint64_t *id,
		      struct sc_error *err);
/* How deep the v2 cgroup with this id is below the hierarchy's root (the root is 0). */
int sc_cgroup_v2_level(uint64_t id, unsigned *level, struct sc_error *err);

void sc_cgroup_free(struct sc_cgroup *cg);
static inline void sc_cgroup_freep(struct sc_cgroup **cg) { sc_cgroup_free(*cg); }
#define _cleanup_cgroup_ __attribute__((cleanup(sc_cgroup_freep)))

/* ------------------------------------------------------------------ */
/* Accounting, the raw figures docker stats starts from */

#define SC_UNLIMITED UINT64_MAX

struct sc_cgroup_stats {
	uint64_t cpu_usage_ns;       /* cpuacct.usage, or cpu.stat usage_usec */
	uint64_t memory_usage;       /* memory.usage_in_bytes / memory.current */
	uint64_t memory_inactive_file; /* the cache docker stats leaves out */
	uint64_t memory_limit;       /* SC_UNLIMITED when none */
	uint64_t memory_max_usage;   /* v1 only; 0 on v2 */
	uint64_t pids_current;
	uint64_t pids_limit;         /* SC_UNLIMITED when none */
	uint64_t blkio_read;         /* bytes */
	uint64_t blkio_write;
	uint64_t oom_kills;          /* processes the kernel's OOM killer took */
};

int sc_cgroup_read_stats(const struct sc_cgroup *cg, struct sc_cgroup_stats *out,
			 struct sc_error *err);

/* The v2 weights Docker (through runc) writes for v1 values. */
uint64_t sc_cpu_shares_to_weight(uint64_t shares);
uint64_t sc_blkio_weight_to_io_weight(uint64_t weight);

#endif
