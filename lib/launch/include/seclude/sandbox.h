/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SANDBOX_H
#define SECLUDE_SANDBOX_H

/*
 * Starting a confined process the way runc and crun do for Docker.
 *
 * The parent clones the child into its namespaces, writes the uid/gid
 * maps, joins it to its cgroups and calls child_created while the child
 * is still blocked; then it releases the child, which sets up in this
 * order: mounts and pivot_root, masked and read-only paths, hostname,
 * loopback, cgroup namespace, rlimits, a new session, closing every fd
 * but 0, 1, 2, working directory (resolved inside the root), bounding
 * set, uid/gid, capabilities, no_new_privs, seccomp (the profile's
 * program behind the terminal injection guard, guard.h), execve.
 *
 * Seccomp is loaded last: after it the child makes no system call but
 * execve (the capability sets Docker gives are reached through the
 * execve transition, so no capset has to pass the filter).  With a
 * listener, the child hands the fd number over through shared memory
 * and spins until the parent has taken it with pidfd_getfd, so a filter
 * that notifies on execve cannot deadlock.
 *
 * The child dies with the parent (PR_SET_PDEATHSIG, and with a pid
 * namespace everything in it dies with its pid 1), unless it is started
 * to outlive it (outlive_parent, for an OCI create).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/exit.h"
#include "seclude/spec.h"

/*
 * Extension points for learn (ptrace/eBPF recorders), denials (seccomp
 * user notification) and cgroup (limits, named sandboxes).  Every hook
 * is optional; one that returns a negative errno aborts the start (the
 * child is killed and reaped, nothing runs).
 */
struct sc_sandbox_hooks {
	void *data;
	/*
	 * Parent side.  The child exists, its maps are written and it is in
	 * its cgroups, but it is blocked before any of its own setup: attach
	 * a tracer (PTRACE_SEIZE; with init the child forks the command, so
	 * follow forks), open /proc/PID/ns/... or look up its cgroup here.
	 */
	int (*child_created)(void *data, pid_t pid, struct sc_error *err);
	/*
	 * Parent side, only when want_listener: the seccomp user-notification
	 * fd of the loaded filter, owned by the hook from now on.  Called
	 * before the command's execve can complete.
	 */
	int (*listener)(void *data, int fd, struct sc_error *err);
	/*
	 * Replaces the default wait (which forwards signals and copies the
	 * terminal): must return once pid has ended, with its wait status.
	 * ptrace recorders drive their stops here.
	 */
	int (*wait)(void *data, pid_t pid, int *wstatus, struct sc_error *err);
	/*
	 * Child side: released from the hold point (or at once without one),
	 * in all of its namespaces and its root, before --init's fork, the
	 * user, the capabilities and the filter: OCI's startContainer hooks.
	 * A negative errno ends the child with err (status 125); the command
	 * never runs.
	 */
	int (*before_exec)(void *data, struct sc_error *err);
};

/* Docker's /etc/hostname, /etc/hosts and /etc/resolv.conf, as text. */
struct sc_etc_text {
	char *hostname, *hosts, *resolv_conf;
};

struct sc_sandbox_config {
	char *const *argv;            /* NULL-terminated; argv[0] looked up in PATH of env */
	char *const *env;             /* NULL-terminated, complete; NULL: PATH and HOSTNAME as Docker sets them */

	const struct sc_bpf *bpf;     /* NULL: unconfined (Seccomp: 0) */
	unsigned seccomp_flags;       /* SECCOMP_FILTER_FLAG_* to load with (SPEC_ALLOW is Docker's) */
	bool want_listener;           /* add SECCOMP_FILTER_FLAG_NEW_LISTENER, hand the fd to hooks.listener */

	uint64_t caps;                /* bit N = capability N: the bounding set; also eff/perm for uid 0 */
	bool oci_caps;                /* an OCI process: its other four sets as well (sc_caps_oci) */
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_ambient;
	bool no_new_privs;

	unsigned namespaces;          /* enum sc_ns bits; SC_NET_* must agree with SC_NS_NET */
	enum sc_net_mode net;
	const char *hostname;         /* with SC_NS_UTS; NULL: leave the inherited name */
	const char *domainname;       /* with SC_NS_UTS; NULL: leave the inherited NIS domain name */
	const struct sc_idmap *uid_map;  /* with SC_NS_USER */
	size_t n_uid_map;
	const struct sc_idmap *gid_map;
	size_t n_gid_map;

	const char *rootfs;           /* NULL: the host's tree, read-only, with private /tmp and /run */
	/*
	 * A directory holding hostname, hosts and resolv.conf (see
	 * sc_etc_files_write), bound over the sandbox's /etc files as Docker
	 * does; read-only with read_only.  A volume on one of them wins.
	 * NULL: the files the tree has.
	 */
	const char *etc_dir;
	/*
	 * Or the files' text (sc_etc_files_make): the child makes them in a
	 * small tmpfs of the sandbox's own, as the sandbox's root, and binds
	 * them the same way; nothing of them is on the host's disk.  Wins
	 * over etc_dir.
	 */
	const struct sc_etc_text *etc_text;
	const struct sc_mount *mounts;
	size_t n_mounts;
	/*
	 * Indexed like mounts (NULL: none): for an SC_MOUNT_OCI bind, a
	 * detached tree (open_tree(OPEN_TREE_CLONE), an id-mapped mount made
	 * by the caller) that the child moves onto the target in place of
	 * the source; -1: the source is bound.  The child closes its copies
	 * once the mounts are made; the caller's are its own.
	 */
	const int *mount_trees;
	bool read_only;               /* --read-only: the rootfs mounted read-only */
	/*
	 * OCI's rootfsPropagation (MS_SHARED, MS_SLAVE|MS_REC ...), as runc
	 * applies it: to the whole mount namespace first (instead of
	 * MS_PRIVATE|MS_REC), the rootfs's parent mount made private (or
	 * slave), and, when shared or unbindable, to the new / after
	 * pivot_root.  0: private.
	 */
	unsigned long root_propagation;
	/*
	 * Device nodes made after the mounts, as runc makes linux.devices:
	 * mknod with the mode and owner given (an existing file is kept); in
	 * a user namespace, or where mknod is refused, the host's node at the
	 * same path is bound on an empty file.  None with privileged (the
	 * host's /dev).  The cgroup decides whether they may be opened.
	 */
	const struct sc_device *devices;
	size_t n_devices;
	bool privileged;              /* host devices, no masked/read-only paths, /sys read-write */

	const char *user;             /* "UID[:GID]" or "NAME[:GROUP]" from the sandbox's /etc/passwd; NULL: root */
	const char *workdir;          /* NULL: / */
	/*
	 * workdir is the caller's directory, kept where the sandbox can
	 * enter it (bubblewrap's rule), else the command starts in /; an
	 * explicit workdir is made when missing (Docker's rule).
	 */
	bool workdir_optional;
	const struct sc_rlimit *rlimits;
	size_t n_rlimits;

	bool init;                    /* pid 1 is seclude's small init, the command its child */
	bool tty;                     /* a new pseudo-terminal for stdin/stdout/stderr */
	bool stdin_open;              /* -i: keep stdin (otherwise /dev/null, as Docker without -i) */

	/*
	 * Directories (cgroup v1 controllers, or one v2 group) whose
	 * cgroup.procs the parent writes the child's pid into before the
	 * child runs anything; prepared by the cgroup module.
	 */
	const char *const *cgroup_dirs;
	size_t n_cgroup_dirs;
	/*
	 * That cgroup lets only Docker's devices be opened (the devices
	 * controller or a device program), so the rootfs and /dev need not
	 * be nodev: a node made with mknod then fails with EPERM as in
	 * Docker.  Without it every writable mount is nodev (EACCES).
	 */
	bool devices_cgroup;

	/*
	 * NULL: the child goes on to its filter and execve as soon as it is
	 * set up.  A FIFO's path (sc_hold_create): the child does all of its
	 * setup, then waits there, just before the filter and execve, until
	 * a process calls sc_sandbox_release on the path; sc_sandbox_start
	 * returns once it waits (what OCI create and start need).  Nothing of
	 * the command runs before the release.  Not with want_listener.
	 */
	const char *hold;
	/*
	 * false: the child dies with the process that started it (the
	 * parent-death signal, and it gives up when that process is gone
	 * before its execve).  true: it outlives it, as an OCI create needs
	 * (the creating process exits, a later start releases the hold);
	 * let go of the handle with sc_sandbox_forget.  Under --init the
	 * command still dies with init.
	 */
	bool outlive_parent;
	/*
	 * Indexed by sc_ns_index (spec.h): a namespace to join by path
	 * instead of creating it (its bit is in namespaces too); NULL: none.
	 * As Kubernetes pods join their pause container's.  The pid
	 * namespace is entered by the parent for the clone (it takes effect
	 * for children); the child enters the others first thing, in runc's
	 * order (all it can but user, then user, becoming its root, then the
	 * rest).  A joined mount namespace is taken as it is: nothing is
	 * mounted in it (rootfs, mounts, masks and /etc files are the
	 * namespace's); a joined cgroup namespace is not unshared again.
	 */
	const char *const *ns_join;
	/* fds 3 .. 2+preserve_fds reach the command open (OCI --preserve-fds, LISTEN_FDS) */
	unsigned preserve_fds;
	/* supplementary groups beyond the user's own (OCI process.user.additionalGids) */
	const gid_t *extra_groups;
	size_t n_extra_groups;

	struct sc_sandbox_hooks hooks;
};

/*
 * The launcher's one reading of a spec (spec.h): the "what to run"
 * fields of c are set to point into spec, which must outlive c; the
 * launch-time fields (etc_dir, cgroup_dirs, devices_cgroup, hold, hooks)
 * are left as the caller set them.  The mount list carries the masks and
 * read-only paths: a config built by hand without them has none.
 */
int sc_sandbox_config_from_spec(const struct sc_spec *spec, struct sc_sandbox_config *c,
				struct sc_error *err);

/* A started sandbox. */
struct sc_sandbox;

/*
 * Clone the child, run the parent's part of the setup and the hooks,
 * release it.  Returns once the child is on its way to execve (its own
 * setup errors come back from sc_sandbox_wait).
 */
int sc_sandbox_start(const struct sc_sandbox_config *c, struct sc_sandbox **out,
		     struct sc_error *err);

pid_t sc_sandbox_pid(const struct sc_sandbox *s);
/*
 * Wait until the command is executed (0) or failed before it ran: then
 * as sc_sandbox_wait says the failure, exit code 125, 126 or 127 (the
 * child is left to sc_sandbox_wait).  A held sandbox waits for its
 * release first.  What docker run -d waits for before it answers.
 */
int sc_sandbox_wait_exec(struct sc_sandbox *s, int *exit_code, struct sc_error *err);
/* With a hold: whether the child waits there (false: its setup failed, sc_sandbox_wait says why). */
bool sc_sandbox_held(const struct sc_sandbox *s);
/* A pidfd for the child (owned by s). */
int sc_sandbox_pidfd(const struct sc_sandbox *s);
/* Send a signal to the child (pid 1 of the sandbox). */
int sc_sandbox_kill(struct sc_sandbox *s, int sig, struct sc_error *err);

/*
 * Wait for the child to end, forwarding SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1, SIGUSR2 and SIGWINCH and copying the terminal when tty.  The
 * child is a session of its own (the caller's terminal cannot signal it):
 * SIGINT and SIGQUIT go to its whole process group as the terminal's ^C
 * and ^\ went (init, in it, passes them on to the command too); SIGTSTP
 * stops the sandbox, then seclude; SIGCONT continues it.
 * Returns 0 with *exit_code the command's status (128+N for signal N);
 * or a negative errno when the command never ran, with err saying why
 * and *exit_code 125 (setup failed), 126 (cannot execute) or 127 (not
 * found).
 */
int sc_sandbox_wait(struct sc_sandbox *s, int *exit_code, struct sc_error *err);

/*
 * docker exec: run argv as a new process of the running sandbox whose
 * first process pidfd refers to: in cg (NULL: none), then in
 * spec->namespaces (setns; a fork for the pid namespace), confined by
 * run's steps: the bounding set spec->process.caps, no_new_privs, the
 * filter bpf (NULL: none) with spec->seccomp.filter.flags, behind the
 * terminal injection guard; as root in its /, with the spec's
 * environment (Docker's PATH, HOSTNAME and HOME=/root when missing).
 * Returns 0 with *exit_code the command's status (128+N for a signal),
 * or a negative errno with err and *exit_code 125/126/127.
 */
int sc_sandbox_enter(const struct sc_spec *spec, int pidfd, const struct sc_cgroup *cg,
		     const struct sc_bpf *bpf, char *const *argv, int *exit_code, struct sc_error *err);

/* Kills and reaps the child if it still runs. */
void sc_sandbox_free(struct sc_sandbox *s);
/* Lets go of the handle and leaves the child running (outlive_parent). */
void sc_sandbox_forget(struct sc_sandbox *s);

/*
 * sc_sandbox_forget that hands over the pseudo-terminal's master (the
 * caller's from now on; an OCI create sends it to the console socket)
 * with tty, else returns -1.
 */
int sc_sandbox_detach(struct sc_sandbox *s);

/*
 * A held sandbox (hold, outlive_parent) with want_listener and no listener hook:
 * wait until, released, it has loaded its filter, and take the listener
 * fd (the child spins, making no system call, until then).  From the
 * process that started it or a fork of it (the shared memory and the
 * pidfd are inherited): an OCI create hands the listener to a monitor it
 * forks, as the create itself exits.  -ESRCH when it ended first.
 */
int sc_sandbox_take_listener(struct sc_sandbox *s, int *fd, struct sc_error *err);

/*
 * Called first by the process that will call sc_sandbox_take_listener,
 * before the sandbox is released: if it dies before it has taken the
 * listener, the kernel marks its robust futex word in the shared memory
 * and the child, which spins there without a system call, ends with
 * SC_EXIT_SECLUDE instead of spinning for ever (the filter is already
 * loaded: it never runs unconfined).  Replaces the calling process's
 * robust list (glibc's robust mutexes no longer recover in it).
 */
int sc_sandbox_claim_listener(struct sc_sandbox *s, struct sc_error *err);

/* Make a hold point at path (a FIFO, 0600); the caller removes it. */
int sc_hold_create(const char *path, struct sc_error *err);
/*
 * Let the sandbox held at path go on to its filter and execve; from any
 * process that may open path.  -ESRCH when no sandbox waits there.
 */
int sc_sandbox_release(const char *hold, struct sc_error *err);

/* start + wait + free. */
int sc_sandbox_run(const struct sc_sandbox_config *c, int *exit_code, struct sc_error *err);

/*
 * --user as Docker reads it, against the sandbox's passwd and group
 * files (either may be missing): "UID", "NAME", "UID:GID", "NAME:GROUP".
 * The supplementary groups are the primary group plus, when no group
 * was named, every group listing the user as a member.
 */
#define SC_USER_MAX_GROUPS 64
struct sc_user {
	uid_t uid;
	gid_t gid;
	gid_t groups[SC_USER_MAX_GROUPS];
	size_t n_groups;
	char home[256];   /* "/" when the user has no passwd entry */
};

int sc_user_resolve(const char *spec, const char *passwd_path, const char *group_path,
		    struct sc_user *out, struct sc_error *err);

/*
 * Docker's three files for a container into dir: hostname (the name and
 * a newline); hosts (the host's with net SC_NET_HOST, else Docker's
 * localhost lines); resolv.conf (the host's with SC_NET_HOST, else the
 * host's without local servers, which a network namespace cannot reach,
 * and Docker's public ones when none is left).
 */
int sc_etc_files_write(const char *dir, const char *hostname, enum sc_net_mode net,
		       struct sc_error *err);
/* The same three files' text, for etc_text: nothing written anywhere.  Free with sc_etc_text_free. */
int sc_etc_files_make(const char *hostname, enum sc_net_mode net, struct sc_etc_text *out,
		      struct sc_error *err);
void sc_etc_text_free(struct sc_etc_text *t);
/* The resolv.conf filter above; host may be NULL (no file).  malloc'd, NULL when out of memory. */
char *sc_resolv_conf_filter(const char *host);

/*
 * Re-execute this program from a sealed in-memory copy of its binary
 * (sealed.c); returns 0 at once when it is that copy, else only on
 * failure.  For the commands that start processes inside a sandbox.
 */
int sc_run_from_sealed_copy(char **argv, struct sc_error *err);

#endif
