/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_STATE_H
#define SECLUDE_STATE_H

/*
 * Named sandboxes: what ps, inspect, stop, kill, rm, logs, exec, stats
 * and update find again.  One directory per sandbox under the state root
 * ($SECLUDE_STATE_DIR, else /run/seclude; a user's own when not root):
 *
 *   NAME/state.json   the record below (replaced atomically)
 *   NAME/lock         held (flock) by the supervising seclude while it lives;
 *                     record changes lock it too (fcntl, sc_state_lock_record)
 *   NAME/log          stdout and stderr of a detached sandbox
 *   NAME/seccomp.bpf  the loaded filter, for exec, from an older seclude
 *                     (the record holds it now: struct sc_state's bpf)
 *
 * A record says "running" but its lock is free: the supervisor died
 * (crashed, killed).  sc_state_gc kills what is left in its cgroup,
 * removes the cgroup and marks the record exited; every command that
 * reads the state runs it first.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"
#include "seclude/spec.h"

enum sc_status {
	SC_STATUS_CREATED,
	SC_STATUS_RUNNING,
	SC_STATUS_EXITED,
};
const char *sc_status_name(enum sc_status s);

struct sc_state {
	char *name;
	char *id;                  /* 64 hex digits, unique */
	enum sc_status status;
	pid_t pid;                 /* the sandbox's first process, host pid; 0 when none */
	uint64_t pid_start;        /* its start time (/proc/PID/stat starttime); 0 unknown */
	pid_t supervisor;          /* the seclude that waits for it */
	int exit_code;             /* -1 while running */
	bool oom_killed;
	char *error;               /* why it ended abnormally, or NULL */
	int64_t created, started, finished;   /* unix time in ns; 0 = not yet */
	bool detached;
	bool auto_remove;          /* --rm, or an unnamed run: gone when it ends */

	/*
	 * What it runs and what confines it, as the run was given it: exec,
	 * inspect, stats and update read it back from here.  Its seccomp part
	 * says what was loaded (confined, the kernel flags); the program exec
	 * loads is seccomp.bpf beside the record.  spec.limits are the limits
	 * in force (as checked at the start, then as updated).
	 */
	struct sc_spec spec;
	/*
	 * A record written before the spec was kept: its spec reads empty, so
	 * nothing may confine from it (exec, update refuse it); ps and inspect
	 * still show it, and saving it writes no spec.
	 */
	bool no_spec;
	/*
	 * The seccomp program exec loads (struct sock_filter, bpf_len bytes),
	 * kept in the record; NULL when the record has none: an older one's
	 * is seccomp.bpf beside it.
	 */
	void *bpf;
	size_t bpf_len;

	struct sc_cgroup *cgroup;  /* NULL without one */
};

void sc_state_free(struct sc_state *s);

/*
 * $SECLUDE_STATE_DIR, else /run/seclude for root, else the user's own
 * (places.h: $XDG_RUNTIME_DIR/seclude, /run/user/UID/seclude or
 * /tmp/seclude-UID); for a user who is not root it must be a private
 * directory of theirs, or every command on it is refused.
 */
const char *sc_state_root(void);

/*
 * A sandbox name as Docker allows it: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
 * Ids are 64 lowercase hex digits; names never look like one.
 */
bool sc_state_name_valid(const char *name);
void sc_state_new_id(char id[65]);

/*
 * Claim NAME: create its directory and take its lock, which the caller
 * keeps (*lock_fd, close-on-exec) for as long as it supervises.  -EEXIST
 * when the name is taken.
 */
int sc_state_claim(const char *root, const char *name, int *lock_fd, struct sc_error *err);

/* Write the record (state.json, through a temporary file and rename). */
int sc_state_save(const char *root, const struct sc_state *s, struct sc_error *err);

/*
 * Find a sandbox by name, by full id or by a unique id prefix (as
 * Docker does).  -ENOENT: "no such sandbox".
 */
int sc_state_load(const char *root, const char *ref, struct sc_state *out, struct sc_error *err);

/*
 * A pidfd on S's first process once it is sure to be the sandbox's: its
 * start time is the recorded one and it is in the sandbox's cgroup (as far
 * as the record says; a record that says neither is not trusted).  -ESRCH
 * ("is not running") when it has ended; -EPERM when the pid is another
 * process's (a stale or altered record): nothing may signal it.
 */
int sc_state_pidfd(const struct sc_state *s, struct sc_error *err);

/* sig to S's first process, through sc_state_pidfd. */
int sc_state_signal(const struct sc_state *s, int sig, struct sc_error *err);

/* /proc/PID/stat's starttime; 0 when unknown. */
uint64_t sc_pid_start_time(pid_t pid);

/*
 * 0 when S keeps its spec; else -EPERM with one line saying the record is
 * too old to VERB from ("exec into", "update"): whatever confines a process
 * from a record must never run it less confined than the sandbox.
 */
int sc_state_check_spec(const struct sc_state *s, const char *verb, struct sc_error *err);

/* Every record, sorted by creation time, newest first. */
int sc_state_list(const char *root, struct sc_state **out, size_t *n, struct sc_error *err);
void sc_state_list_free(struct sc_state *v, size_t n);

/*
 * Serialise a load-change-save of NAME's record between the supervisor
 * and commands such as update: an fd whose close releases it.
 */
int sc_state_lock_record(const char *root, const char *name, struct sc_error *err);

/* The supervisor still holds the lock. */
bool sc_state_supervised(const char *root, const char *name);

/* Remove NAME's directory and everything in it. */
int sc_state_remove(const char *root, const char *name, struct sc_error *err);

/* A file in NAME's directory: "log", "seccomp.bpf".  Caller frees. */
char *sc_state_path(const char *root, const char *name, const char *file);

/*
 * Open a file of NAME's record for reading ("state.json", "log",
 * "seccomp.bpf"): what they say is acted on (a pid signalled, a cgroup
 * killed, a filter loaded), so only a regular file, not a symlink, that
 * this user owns and no one else may write.  The fd, or a negative errno
 * (-ENOENT when there is none).
 */
int sc_state_open(const char *root, const char *name, const char *file, struct sc_error *err);

/*
 * Settle sandboxes whose supervisor is gone: kill and remove their
 * cgroups, mark them exited (or drop them when auto_remove).  Notes what
 * it did in diags.
 */
int sc_state_gc(const char *root, struct sc_diags *diags, struct sc_error *err);

/* Unix time in ns; RFC 3339 with ns, UTC, as Docker prints it. */
int64_t sc_now_ns(void);
void sc_format_time(int64_t ns, char *buf, size_t len);

#endif
