/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kill, stop, rm and update on a named sandbox.  The supervisor of a
 * container records its end; these verbs only signal, wait for that
 * record, and remove what is left.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seclude/container.h"
#include "seclude/util.h"

bool sc_container_wait_exited(const char *root, const char *name, int timeout_ms,
			      struct sc_diags *warnings)
{
	for (int waited = 0;; waited += 20) {
		struct sc_state s;
		if (sc_state_load(root, name, &s, NULL) < 0)
			return true;  /* removed: an --rm sandbox that ended */
		bool done = s.status == SC_STATUS_EXITED;
		sc_state_free(&s);
		if (done)
			return true;
		if (!sc_state_supervised(root, name)) {
			struct sc_error err = {0};
			if (sc_state_gc(root, warnings, &err) < 0)
				sc_diags_add(warnings, SC_DIAG_WARNING, "gc", NULL, NULL, "%s", err.msg);
			return true;
		}
		if (waited >= timeout_ms)
			return false;
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static bool running(const struct sc_state *s)
{
	return s->status == SC_STATUS_RUNNING && s->pid > 0;
}

/* SIGKILL to the whole tree: through the cgroup, else to the first process. */
static int kill_all(const struct sc_state *s, struct sc_error *err)
{
	if (s->cgroup)
		return sc_cgroup_signal(s->cgroup, SIGKILL, err);
	if (s->pid > 0 && kill(s->pid, SIGKILL) < 0 && errno != ESRCH)
		return sc_error_errno(err, -errno, "cannot kill sandbox %s", s->name);
	return 0;
}

int sc_container_kill(const char *root, const struct sc_state *s, int sig, struct sc_error *err)
{
	if (!running(s))
		return sc_error_set(err, -ESRCH, "cannot kill sandbox %s: it is not running", s->name);
	if (sig == SIGKILL && s->cgroup)
		return sc_cgroup_signal(s->cgroup, SIGKILL, err);
	if (kill(s->pid, sig) < 0)
		return sc_error_errno(err, -errno, "cannot kill sandbox %s", s->name);
	return 0;
}

int sc_container_stop(const char *root, const struct sc_state *s, int sig, int timeout_ms,
		      struct sc_diags *warnings, struct sc_error *err)
{
	/* Stopping one that already ended is no error, as with docker stop. */
	if (!running(s))
		return 0;
	if (kill(s->pid, sig) < 0 && errno != ESRCH)
		sc_diags_add(warnings, SC_DIAG_WARNING, "signal", NULL, NULL, "sandbox %s: %s", s->name,
			     strerror(errno));
	if (sc_container_wait_exited(root, s->name, timeout_ms, warnings))
		return 0;
	struct sc_error kerr = {0};
	if (kill_all(s, &kerr) < 0)
		sc_diags_add(warnings, SC_DIAG_WARNING, "signal", NULL, NULL, "sandbox %s: %s", s->name,
			     kerr.msg);
	if (!sc_container_wait_exited(root, s->name, 10000, warnings))
		return sc_error_set(err, -ETIMEDOUT, "sandbox %s did not stop", s->name);
	return 0;
}

int sc_container_remove(const char *root, const struct sc_state *s, bool force,
			struct sc_diags *warnings, struct sc_error *err)
{
	if (s->status != SC_STATUS_EXITED) {
		if (!force)
			return sc_error_set(err, -EBUSY,
					    "cannot remove running sandbox %s: stop it first, or use rm -f",
					    s->name);
		kill_all(s, NULL);
		if (!sc_container_wait_exited(root, s->name, 10000, warnings))
			return sc_error_set(err, -ETIMEDOUT, "sandbox %s did not stop", s->name);
	}
	/* The supervisor removes the cgroup; this covers one that could not. */
	if (s->cgroup) {
		int r = sc_cgroup_destroy(s->cgroup, err);
		if (r < 0)
			return r;
	}
	return sc_state_remove(root, s->name, err);
}

int sc_container_update(const char *root, const struct sc_state *s, const struct sc_cgroup_limits *l,
			struct sc_diags *warnings, struct sc_error *err)
{
	int r = sc_state_check_spec(s, "update", err);
	if (r < 0)
		return r;
	if (s->status != SC_STATUS_RUNNING || !s->cgroup)
		return sc_error_set(err, -ESRCH, "cannot update sandbox %s: it is not running", s->name);
	r = sc_cgroup_apply(s->cgroup, l, warnings, err);
	if (r < 0)
		return r;
	/* The record follows, so that inspect shows what is in force. */
	_cleanup_close_ int lk = sc_state_lock_record(root, s->name, err);
	if (lk < 0)
		return lk;
	struct sc_state fresh;
	r = sc_state_load(root, s->name, &fresh, err);
	if (r < 0)
		return r;
	r = sc_limits_merge(&fresh.spec.limits, l);
	if (r < 0)
		r = sc_error_errno(err, r, "sandbox %s", s->name);
	else
		r = sc_state_save(root, &fresh, err);
	sc_state_free(&fresh);
	return r;
}
