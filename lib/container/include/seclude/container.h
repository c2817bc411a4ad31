/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lifecycle verbs on a named sandbox (a container), as Docker's
 * kill, stop, rm and update do them, over the records of state.h.  Each
 * takes a record loaded by the caller (sc_state_load) and the state root
 * it came from.  Whatever ends the processes goes through the cgroup when
 * there is one: a SIGKILL then takes the whole tree at once, forks
 * included; without one, the first process.  Each reads the record again
 * under its record lock (what another command did meanwhile is seen; one
 * removed meanwhile is -ENOENT, "no such sandbox"), never holding it while
 * waiting for the end, and signals the first process only through
 * sc_state_pidfd, once sure it is still the sandbox's.  Nothing here prints: the
 * notes (a signal that could not be sent, crashed sandboxes settled while
 * waiting) go into warnings.
 */
#ifndef SECLUDE_CONTAINER_H
#define SECLUDE_CONTAINER_H

#include <jansson.h>
#include <stdbool.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"
#include "seclude/state.h"

/*
 * Wait until NAME's record says exited (its supervisor wrote the exit),
 * is gone (an --rm sandbox that ended), or its supervisor is gone (then
 * the record is settled by sc_state_gc).  false on timeout.
 */
bool sc_container_wait_exited(const char *root, const char *name, int timeout_ms,
			      struct sc_diags *warnings);

/*
 * docker kill: sig to the first process; SIGKILL to all of it through the
 * cgroup.  -ESRCH ("it is not running") for a container that ended.
 */
int sc_container_kill(const char *root, const struct sc_state *s, int sig, struct sc_error *err);

/*
 * docker stop: sig to the first process, then, when it has not ended
 * after timeout_ms, SIGKILL to all of it, and wait (10 s) for the end.
 * Stopping one that already ended is no error.  -ETIMEDOUT ("did not
 * stop") when it outlives the kill.
 */
int sc_container_stop(const char *root, const struct sc_state *s, int sig, int timeout_ms,
		      struct sc_diags *warnings, struct sc_error *err);

/*
 * docker rm: remove an ended container's record and what is left of its
 * cgroup.  A running one is refused (-EBUSY), unless force: then it is
 * killed first.
 */
int sc_container_remove(const char *root, const struct sc_state *s, bool force,
			struct sc_diags *warnings, struct sc_error *err);

/*
 * docker update: write the (checked) limits into the cgroup of a running
 * container, and merge them into its record under the record lock, so
 * that inspect shows what is in force.
 */
int sc_container_update(const char *root, const struct sc_state *s, const struct sc_cgroup_limits *l,
			struct sc_diags *warnings, struct sc_error *err);

/*
 * docker inspect's object for one container: its record (state, what
 * confines it as its spec says, cgroup, limits under Docker's HostConfig
 * names) and, while it runs, its namespaces and seccomp mode as the
 * kernel shows them.  A new reference; NULL when out of memory.
 */
json_t *sc_container_inspect(const struct sc_state *s);

#endif
