/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SUPERVISE_H
#define SECLUDE_SUPERVISE_H

/*
 * A sandbox with a record, its own cgroup and a supervisor: what
 * `seclude run` does around sc_sandbox_start / sc_sandbox_wait.
 *
 *   claim the name (state.h) -> create the cgroup, write the limits ->
 *   record "created" (so a crash from here on is found again) ->
 *   start the sandbox into the cgroup (the parent writes cgroup.procs
 *   before the child can fork; the child then unshares its cgroup
 *   namespace) -> record pid, "running" -> wait -> record the exit code
 *   and OOMKilled -> remove the cgroup (and the record of an anonymous
 *   or --rm sandbox).
 *
 * Detached, a supervisor process (its own session, output into the
 * record's log) does all of it; the caller returns once the sandbox runs.
 */

#include <stdbool.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"
#include "seclude/sandbox.h"

struct sc_supervise_opts {
	const char *name;                 /* NULL: anonymous (named after its id, removed at the end) */
	bool detach;                      /* -d */
	bool auto_remove;                 /* --rm */
	/*
	 * What the run was given, kept in the record (exec, inspect, stats,
	 * update read it back); its limits are checked here.  c is the
	 * launcher's reading of it (with a denial session's rewrite).  NULL:
	 * an empty spec, no limits.
	 */
	const struct sc_spec *spec;
	const char *cgroup_root;          /* NULL: /sys/fs/cgroup */
	const char *cgroup_parent;        /* NULL: sc_cgroup_default_parent */
	const struct sc_bpf *exec_bpf;    /* the filter exec loads; NULL: c->bpf (--log-denials runs a rewrite) */
};

/*
 * Run c supervised.  Returns 0 with *exit_code the command's status (0
 * when detached), or a negative errno with err and *exit_code 125/126/127
 * as sc_sandbox_wait gives them.  id (65 bytes) receives the sandbox's id.
 * Warnings (limits Docker would discard, stale sandboxes settled) go
 * into warnings.
 */
int sc_supervise_run(const struct sc_sandbox_config *c, const struct sc_supervise_opts *o,
		     int *exit_code, char id[65], struct sc_diags *warnings, struct sc_error *err);

struct sc_state;

/*
 * docker exec: run argv as a new process of the running sandbox s (whose
 * record lives under root): in its cgroup, then in all its namespaces
 * (setns through a pidfd; a fork for the pid namespace), with its
 * bounding set, no_new_privs and the very seccomp filter it was started
 * with (the record's seccomp.bpf), as root in its / with Docker's PATH.
 * Returns 0 with *exit_code the command's status (128+N for a signal),
 * or a negative errno with err and *exit_code 125/126/127.
 */
int sc_sandbox_exec(const char *root, const struct sc_state *s, char *const *argv,
		    int *exit_code, struct sc_error *err);

#endif
