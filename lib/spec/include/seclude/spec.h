/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SPEC_H
#define SECLUDE_SPEC_H

/*
 * What to run: the one model between the front-ends and the launcher.
 *
 * Every front-end translates its input into a struct sc_spec once:
 * docker-run-style options (docker.h, sc_spec_from_docker), a bundle's
 * config.json next.  The launcher (sandbox.h, sc_sandbox_config_from_spec)
 * executes a spec and translates nothing again; the named-sandbox record
 * stores it.  The fields follow the OCI runtime spec's sections (process,
 * root, mounts, linux.namespaces, linux.uidMappings, hostname,
 * linux.resources, linux.seccomp) so that a config.json fills them
 * without a second shape in between; where Docker's options say more
 * than OCI can (net none vs host, --init, privileged), the field says so.
 *
 * Ownership: a spec owns every pointer in it (strings, arrays, the
 * compiled filter); sc_spec_free releases them.  A zeroed spec is empty
 * and valid to free.  The helpers below copy what they are given.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <jansson.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"
#include "seclude/filter.h"

/* Namespaces, one bit each; the order is that of SC_NS_COUNT's paths. */
enum sc_ns {
	SC_NS_PID = 1u << 0,
	SC_NS_MOUNT = 1u << 1,
	SC_NS_UTS = 1u << 2,
	SC_NS_IPC = 1u << 3,
	SC_NS_NET = 1u << 4,
	SC_NS_CGROUP = 1u << 5,
	SC_NS_USER = 1u << 6,
};
#define SC_NS_COUNT 7
/* What Docker unshares by default (it adds no user namespace). */
#define SC_NS_DOCKER (SC_NS_PID | SC_NS_MOUNT | SC_NS_UTS | SC_NS_IPC | SC_NS_NET | SC_NS_CGROUP)
/* The bit's index in sc_spec.ns_path (0 for SC_NS_PID ... 6 for SC_NS_USER). */
unsigned sc_ns_index(enum sc_ns ns);

/*
 * One mount operation.  The launcher sets up the tree the layout needs
 * (/proc, /dev, /sys, or the host's tree), then executes the list in
 * order: binds and tmpfs first, in the order given; masks and read-only
 * paths after every mount, as runc applies maskedPaths and readonlyPaths
 * last, so that no later mount uncovers them.
 */
enum sc_mount_kind {
	SC_MOUNT_BIND,      /* -v HOST:CONTAINER[:ro]: source bound on target */
	SC_MOUNT_TMPFS,     /* --tmpfs PATH[:OPTIONS] */
	SC_MOUNT_MASK,      /* hide target: an empty read-only tmpfs on a directory, /dev/null on a file */
	SC_MOUNT_READONLY,  /* target bound on itself, read-only */
	/*
	 * A config.json mount as runc makes it: fstype (NULL: a bind of
	 * source, recursive with MS_REC) mounted with flags and the data in
	 * options; a bind with more flags than MS_BIND|MS_REC is remounted
	 * with them; then each propagation change in order; then the
	 * recursive attributes (rro ...) with mount_setattr.
	 */
	SC_MOUNT_OCI,
};

#define SC_MOUNT_MAX_PROPAGATION 4

struct sc_mount {
	enum sc_mount_kind kind;
	const char *source;   /* host path (BIND); NULL otherwise */
	const char *target;   /* absolute path inside the sandbox */
	bool readonly;
	const char *options;  /* tmpfs data ("size=64m,mode=1777"); NULL: Docker's default */
	/* SC_MOUNT_OCI only */
	const char *fstype;
	unsigned long flags, cleared;   /* MS_*: set, and cleared by the options (rw, dev, ...) */
	unsigned long propagation[SC_MOUNT_MAX_PROPAGATION];   /* MS_PRIVATE|MS_REC ..., in order; 0 ends */
	uint64_t attr_set, attr_clr;    /* MOUNT_ATTR_*, recursive */
};

/* A device node in the sandbox (OCI's linux.devices). */
struct sc_device {
	char *path;           /* absolute inside the sandbox */
	char type;            /* 'c' (also OCI's 'u'), 'b' or 'p' */
	unsigned major, minor;
	mode_t mode;          /* permission bits */
	uid_t uid;
	gid_t gid;
};

struct sc_rlimit {
	int resource;         /* RLIMIT_* */
	rlim_t soft, hard;
};

/* One line of /proc/PID/uid_map or gid_map. */
struct sc_idmap {
	uint32_t inside, outside, count;
};

enum sc_net_mode {
	SC_NET_NONE,          /* a new network namespace with only loopback, up */
	SC_NET_HOST,          /* the host's network namespace */
};

/* OCI's "process": what runs, as whom, with what. */
struct sc_spec_process {
	char **args;                  /* NULL-terminated; args[0] looked up in env's PATH */
	size_t n_args;
	char **env;                   /* NULL-terminated, complete and in order (Docker's first) */
	size_t n_env;
	char *cwd;                    /* absolute; NULL: / */
	/*
	 * cwd is the caller's directory, kept where the sandbox can enter it
	 * (bubblewrap's rule), else the command starts in /; an explicit cwd
	 * is made when missing (Docker's rule).
	 */
	bool cwd_optional;
	char *user;                   /* "UID[:GID]" or "NAME[:GROUP]" from the sandbox's /etc/passwd; NULL: root */
	uint64_t caps;                /* bit N = capability N: the bounding set; also eff/perm for uid 0 */
	bool no_new_privs;
	struct sc_rlimit *rlimits;
	size_t n_rlimits;
	bool terminal;                /* a new pseudo-terminal for stdin/stdout/stderr */
	bool stdin_open;              /* keep stdin (otherwise /dev/null, as Docker without -i) */
	bool init;                    /* pid 1 is seclude's small init, the command its child */
};

/* OCI's "linux.seccomp", already compiled: the profile is read once, here. */
struct sc_spec_seccomp {
	bool confined;                /* false: no filter (Seccomp: 0) */
	char *profile;                /* what it was compiled from: "default" or a path; NULL unconfined */
	struct sc_filter filter;      /* the program and the kernel flags to load it with */
	/*
	 * Load with SECCOMP_FILTER_FLAG_NEW_LISTENER and hand the fd to the
	 * run's listener hook (a denial session sets this with its rewrite).
	 */
	bool notify;
};

struct sc_spec {
	struct sc_spec_process process;

	/* OCI's "root": NULL path: the host's tree, read-only, with private /tmp and /run. */
	struct {
		char *path;
		bool readonly;
		unsigned long propagation;   /* OCI's rootfsPropagation as MS_* flags; 0: private */
	} root;

	/* In order; see enum sc_mount_kind.  Strings owned. */
	struct sc_mount *mounts;
	size_t n_mounts;

	/* Device nodes made in the sandbox after its mounts (bound from the host's in a user namespace). */
	struct sc_device *devices;
	size_t n_devices;

	/* Host devices, /sys and cgroupfs read-write (Docker's --privileged; it also leaves out the masks). */
	bool privileged;

	unsigned namespaces;          /* enum sc_ns bits: the namespaces the sandbox has apart from the host */
	/*
	 * Indexed by sc_ns_index: a namespace to join by path
	 * (/proc/PID/ns/net, a bind-mounted nsfs file) instead of creating
	 * one; its bit is set in namespaces too.  NULL: create it.
	 */
	char *ns_path[SC_NS_COUNT];
	enum sc_net_mode net;         /* must agree with SC_NS_NET */
	struct sc_idmap *uid_map;     /* with SC_NS_USER */
	size_t n_uid_map;
	struct sc_idmap *gid_map;
	size_t n_gid_map;
	char *hostname;               /* with SC_NS_UTS; NULL: leave the inherited name */

	/* OCI's "linux.resources" and "linux.cgroupsPath" (a parent here). */
	struct sc_cgroup_limits limits;
	char *cgroup_parent;          /* NULL: sc_cgroup_default_parent */

	struct sc_spec_seccomp seccomp;
};

void sc_spec_free(struct sc_spec *s);

/*
 * Builders, each copying its arguments; -ENOMEM is the only failure.
 * sc_spec_env_set replaces an earlier value of the same key in place (a
 * later -e KEY=... wins, as in Docker) and appends a new key.
 */
int sc_spec_set_args(struct sc_spec *s, char *const *argv, struct sc_error *err);
int sc_spec_env_set(struct sc_spec *s, const char *key_value, struct sc_error *err);
int sc_spec_add_mount(struct sc_spec *s, const struct sc_mount *m, struct sc_error *err);
/* Insert at index at (0: first), the later ones moved up. */
int sc_spec_insert_mount(struct sc_spec *s, size_t at, const struct sc_mount *m, struct sc_error *err);
int sc_spec_add_rlimit(struct sc_spec *s, const struct sc_rlimit *rl, struct sc_error *err);
int sc_spec_add_device(struct sc_spec *s, const struct sc_device *d, struct sc_error *err);
int sc_spec_set_idmaps(struct sc_spec *s, const struct sc_idmap *uid, size_t n_uid,
		       const struct sc_idmap *gid, size_t n_gid, struct sc_error *err);

/*
 * The maps of the user namespace of a caller who is not root, as Podman
 * makes them: the caller's uid and gid are root inside; when ranges (the
 * caller found newuidmap and newgidmap) and subuid and subgid (normally
 * /etc/subuid and /etc/subgid) both give the user (by name, or by number)
 * a range, that range follows as ids 1.. inside, so that --user 1000
 * works.  The launcher writes a single mapping of the caller's own ids
 * itself (with setgroups denied, as the kernel requires of an
 * unprivileged writer) and any other map through newuidmap/newgidmap.
 */
int sc_rootless_idmaps(const char *name, uid_t uid, gid_t gid, const char *subuid, const char *subgid,
		       bool ranges, struct sc_idmap uidm[2], size_t *n_uid,
		       struct sc_idmap gidm[2], size_t *n_gid);
/*
 * Whether a run as --user USER (NULL: root) needs ids beyond the caller's
 * own inside: a user or group other than root (0), by name or number.
 * Without it the caller's own uid and gid are all the namespace maps (as
 * bubblewrap and `unshare -r` map them), written by seclude itself: the
 * range costs two setuid programs (newuidmap, newgidmap) on every start.
 * A command that changes user on its own (a daemon dropping to its
 * worker user, su) needs --userns=subuid.
 */
bool sc_rootless_wants_range(const char *user);
/* The setuid helper (newuidmap, newgidmap) in the PATH or /usr/bin; false when missing. */
bool sc_idmap_helper(const char *name, char *path, size_t len);

/*
 * What the calling user can do here (user_view.c; root: everything):
 * seclude info's last part.
 */
struct sc_user_view {
	uid_t uid;
	char name[64];
	int userns;                   /* 0, or the negative errno of unshare(CLONE_NEWUSER) */
	struct sc_idmap uidm[2], gidm[2];
	size_t n_uidm, n_gidm;
	bool helpers;                 /* newuidmap and newgidmap */
	char *delegated;              /* the delegated cgroup v2 subtree, or NULL */
	char *controllers;            /* its cgroup.controllers */
	char no_cgroup[1100];         /* why there is none */
	char state[4096];
};
void sc_user_view_collect(struct sc_user_view *v);
void sc_user_view_free(struct sc_user_view *v);
json_t *sc_user_view_json(const struct sc_user_view *v);

/* Docker's masked and read-only paths (moby oci/defaults.go), NULL-terminated. */
extern const char *const sc_docker_masked_paths[];
extern const char *const sc_docker_readonly_paths[];
/* Append them to s as SC_MOUNT_MASK and SC_MOUNT_READONLY operations. */
int sc_spec_add_docker_masks(struct sc_spec *s, struct sc_error *err);

/* Docker's PATH for containers. */
#define SC_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* 12 random hex digits, as Docker names a container's host after its id. */
void sc_random_hostname(char buf[13]);

/*
 * Without a root path the sandbox has its own /tmp and /run over the
 * host's: the one that hides path (path itself or a directory above
 * it), or NULL.
 */
const char *sc_host_tree_private(const char *path);
/* Those directories and the tmpfs data each gets; ends with a NULL path. */
struct sc_host_private {
	const char *path, *data;
};
extern const struct sc_host_private sc_host_tree_private_dirs[];

#endif
