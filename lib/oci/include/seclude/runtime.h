/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_OCI_RUNTIME_H
#define SECLUDE_OCI_RUNTIME_H

/*
 * The OCI runtime's lifecycle, as runc keeps it for the engines that call
 * it (Docker's and containerd's shim, conmon):
 *
 *   create  a record ROOT/ID/ (state.json, exec.fifo), the cgroup, the
 *           container process set up and HELD at the launcher's hold point
 *           (the FIFO exec.fifo) before its filter and execve; the pid file;
 *           then create exits 0 and the process outlives it: the caller's
 *           subreaper reaps it.  Nothing of seclude keeps running.
 *   start   releases the hold, removes exec.fifo, runs poststart hooks.
 *   state   created while exec.fifo exists, paused while frozen, stopped
 *           once the pid is gone or is another process (its start time in
 *           /proc/PID/stat differs: pid reuse), running otherwise.
 *   kill    signals the process through a pidfd checked against the start
 *           time; --all signals the cgroup.
 *   delete  kills what is left, removes the cgroup, runs poststop hooks,
 *           removes the record.
 *
 * Errors use runc's words where engines match on them: "container does
 * not exist", "container not running".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/error.h"

/* The statuses of runtime-spec's state. */
enum sc_oci_status { SC_OCI_CREATING, SC_OCI_CREATED, SC_OCI_RUNNING, SC_OCI_PAUSED, SC_OCI_STOPPED };
const char *sc_oci_status_name(enum sc_oci_status s);

struct sc_oci_create_opts {
	const char *root;            /* the state root (--root) */
	const char *id;
	const char *bundle;          /* NULL: the working directory */
	const char *pid_file;        /* NULL: none */
	const char *console_socket;  /* with process.terminal: where the pty master goes */
	const char *pidfd_socket;    /* where a pidfd of the process goes */
	unsigned preserve_fds;
	bool no_pivot, no_new_keyring;
	bool systemd_cgroup;         /* cgroupsPath is "slice:prefix:name" */
	/*
	 * runc's rootless cgroup manager (--rootless, sc_oci_rootless): a
	 * cgroup the caller may not make is no error, the container staying
	 * in the caller's, unless the config asks for limits or a cgroupsPath.
	 */
	bool rootless;
	/* seclude's own: report every refused call with its errno to this file */
	const char *log_denials;
	bool complain;
	/* seclude's own: learn a profile, written to DIR/ID.json, made for learn_for (NULL: docker) */
	const char *learn_dir;
	const char *learn_for;
};

/*
 * fds 3 .. 2+preserve_fds are the caller's and go to the container as
 * they are (runc's --preserve-fds; LISTEN_FDS through sc_oci_listen_fds).
 * create opens files of its own (the denial report, the monitor's
 * eventfd, the record's lock, mount trees): a number of that range the
 * caller left free would be taken by one of them and handed to the
 * container, and closed in the monitor with the caller's.  So create
 * (and run, through it) and exec begin by sc_oci_reserve_fds: nothing of
 * seclude's ever has such a number.  A caller that opens files of its
 * own before calling them calls sc_oci_reserve_fds first.
 */
int sc_oci_create(const struct sc_oci_create_opts *o, struct sc_error *err);
/*
 * Every fd in [0, 3+n) open: the caller's stay as they are, each free one
 * gets /dev/null (O_RDWR, no FD_CLOEXEC), so that the lowest free number
 * any later open() takes is outside the range.  Numbers at or above
 * RLIMIT_NOFILE's soft limit are left free: no open() takes them.
 */
int sc_oci_reserve_fds(unsigned n, struct sc_error *err);
int sc_oci_start(const char *root, const char *id, struct sc_error *err);
/* The state JSON (runtime-spec "state"), malloc'd, one line. */
int sc_oci_state(const char *root, const char *id, char **json, struct sc_error *err);
int sc_oci_kill(const char *root, const char *id, int sig, bool all, struct sc_error *err);
int sc_oci_delete(const char *root, const char *id, bool force, struct sc_error *err);
int sc_oci_pause(const char *root, const char *id, bool pause, struct sc_error *err);
/*
 * update: the set limits of res written to the container's cgroup, then
 * its unified files (cgroup v2; refused on v1 in runc's words before
 * anything is written).
 */
struct sc_oci_config;
int sc_oci_update(const char *root, const char *id, const struct sc_oci_config *res, struct sc_error *err);
/* The pids in the container's cgroup (malloc'd). */
int sc_oci_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct sc_error *err);
/* The ids under root (malloc'd vector of malloc'd strings). */
int sc_oci_list(const char *root, char ***ids, size_t *n, struct sc_error *err);

struct sc_oci_exec_opts {
	const char *root;
	const char *id;
	const char *process;         /* process.json; NULL: args below */
	char **args;                 /* without --process: the command */
	const char *cwd;             /* --cwd */
	char **env;                  /* --env, added */
	size_t n_env;
	bool has_uid, has_gid;       /* --user UID[:GID]: without GID, the process's gid is kept */
	uint32_t uid, gid;
	const uint32_t *additional_gids;  /* --additional-gids, added to the process's */
	size_t n_additional_gids;
	uint64_t caps;               /* --cap: added to the bounding, effective, permitted and ambient sets */
	int no_new_privs;            /* --no-new-privs[=BOOL]: 0 or 1; -1: the process's */
	const char *apparmor;        /* --apparmor: the profile to change to on execve */
	const char *process_label;   /* --process-label: refused, as runc refuses it without SELinux */
	bool ignore_paused;          /* --ignore-paused: exec in a paused container (it stays frozen) */
	/*
	 * --cgroup [CONTROLLER[,...]:]PATH: a sub-cgroup of the container's
	 * (existing) to join; the controller "" means every one (alone then).
	 * cgroup v2 takes the one without controllers.
	 */
	char *const *cgroup_ctrls, *const *cgroup_paths;
	size_t n_cgroup;
	bool tty;                    /* --tty */
	bool detach;
	const char *pid_file;
	const char *console_socket;
	unsigned preserve_fds;
};

/*
 * A new process in a created or running container (a paused one with
 * ignore_paused), as runc's exec makes it: in its cgroup and namespaces,
 * with the container's seccomp filter (its config.json's, compiled for
 * the process's bounding set), the process's capabilities, user and
 * no_new_privs, the options above applied over the process (from
 * --process or the config's).  Detached, returns once it has exec'd (its
 * parent is then the caller's subreaper); attached, waits and *exit_code
 * is its status (128+N for a signal).  Errors in runc's words; one from
 * the process's own setup starts "unable to start container process: ".
 */
int sc_oci_exec(const struct sc_oci_exec_opts *o, int *exit_code, struct sc_error *err);

/* A container id as runc accepts it: [A-Za-z0-9_+.-]+, not "." or "..". */
bool sc_oci_id_valid(const char *id);

#endif
