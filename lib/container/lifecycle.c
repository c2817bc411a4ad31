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

/*
 * The record lock on S, and S as it is now under it: what another
 * command did meanwhile (stopped, removed, the same name taken again by
 * another sandbox) is seen here.  -ENOENT ("no such sandbox") when it
 * is gone.  The lock is never held while waiting for the end, since the
 * supervisor takes it to record that end.
 */
static int lock_fresh(const char *root, const struct sc_state *s, struct sc_state *fresh,
		      struct sc_error *err)
{
	struct sc_error lerr = {0};
	int lk = sc_state_lock_record(root, s->name, &lerr);
	if (lk < 0) {
		if (lk == -ENOENT)
			return sc_error_set(err, -ENOENT, "no such sandbox: %s", s->name);
		*err = lerr;
		return lk;
	}
	int r = sc_state_load(root, s->name, fresh, err);
	if (r == 0 && strcmp(fresh->id, s->id) != 0) {
		sc_state_free(fresh);
		r = sc_error_set(err, -ENOENT, "no such sandbox: %s", s->name);
	}
	if (r < 0) {
		close(lk);
		return r;
	}
	return lk;
}

/* SIGKILL to the whole tree: through the cgroup, else to the first process. */
static int kill_all(const struct sc_state *s, struct sc_error *err)
{
	if (s->cgroup) {
		/*
		 * A cgroup that is gone held nothing any more: its supervisor
		 * removes it once all in it ended, before the record says exited
		 * (two stops at once: the second finds it so).
		 */
		int r = sc_cgroup_signal(s->cgroup, SIGKILL, err);
		return r == -ENOENT ? 0 : r;
	}
	if (s->pid <= 0)
		return 0;
	int r = sc_state_signal(s, SIGKILL, err);
	return r == -ESRCH ? 0 : r;
}

int sc_container_kill(const char *root, const struct sc_state *s, int sig, struct sc_error *err)
{
	struct sc_state f;
	_cleanup_close_ int lk = lock_fresh(root, s, &f, err);
	if (lk < 0)
		return lk;
	int r;
	if (!running(&f))
		r = sc_error_set(err, -ESRCH, "cannot kill sandbox %s: it is not running", f.name);
	else if (sig == SIGKILL && f.cgroup)
		r = sc_cgroup_signal(f.cgroup, SIGKILL, err);
	else if ((r = sc_state_signal(&f, sig, err)) == -ESRCH)
		r = sc_error_set(err, -ESRCH, "cannot kill sandbox %s: it is not running", f.name);
	sc_state_free(&f);
	return r;
}

int sc_container_stop(const char *root, const struct sc_state *s, int sig, int timeout_ms,
		      struct sc_diags *warnings, struct sc_error *err)
{
	struct sc_state f;
	int lk = lock_fresh(root, s, &f, err);
	if (lk < 0)
		return lk;
	/* Stopping one that already ended is no error, as with docker stop. */
	int r = running(&f) ? sc_state_signal(&f, sig, err) : -ESRCH;
	sc_state_free(&f);
	close(lk);
	if (r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	if (sc_container_wait_exited(root, s->name, timeout_ms, warnings))
		return 0;

	struct sc_error e = {0};
	lk = lock_fresh(root, s, &f, &e);
	if (lk < 0)
		return 0;   /* removed meanwhile: it has stopped */
	if (f.status != SC_STATUS_EXITED && kill_all(&f, &e) < 0)
		sc_diags_add(warnings, SC_DIAG_WARNING, "signal", NULL, NULL, "sandbox %s: %s", f.name, e.msg);
	sc_state_free(&f);
	close(lk);
	if (!sc_container_wait_exited(root, s->name, 10000, warnings))
		return sc_error_set(err, -ETIMEDOUT, "sandbox %s did not stop", s->name);
	return 0;
}

int sc_container_remove(const char *root, const struct sc_state *s, bool force,
			struct sc_diags *warnings, struct sc_error *err)
{
	struct sc_state f;
	int lk = lock_fresh(root, s, &f, err);
	if (lk < 0)
		return lk;
	if (f.status != SC_STATUS_EXITED) {
		int r = 0;
		if (!force) {
			r = sc_error_set(err, -EBUSY,
					 "cannot remove running sandbox %s: stop it first, or use rm -f", f.name);
		} else {
			struct sc_error e = {0};
			if (kill_all(&f, &e) == -EPERM)
				r = sc_error_set(err, -EPERM, "%s", e.msg);
		}
		sc_state_free(&f);
		close(lk);
		if (r < 0)
			return r;
		if (!sc_container_wait_exited(root, s->name, 10000, warnings))
			return sc_error_set(err, -ETIMEDOUT, "sandbox %s did not stop", s->name);
		struct sc_error e = {0};
		if ((lk = lock_fresh(root, s, &f, &e)) < 0) {
			if (lk == -ENOENT)
				return 0;   /* an --rm sandbox removes itself, or another rm did */
			*err = e;
			return lk;
		}
	}
	/* The supervisor removes the cgroup; this covers one that could not. */
	int r = f.cgroup ? sc_cgroup_destroy(f.cgroup, err) : 0;
	if (r == 0)
		r = sc_state_remove(root, f.name, err);
	sc_state_free(&f);
	close(lk);
	return r;
}

int sc_container_update(const char *root, const struct sc_state *s, const struct sc_cgroup_limits *l,
			struct sc_diags *warnings, struct sc_error *err)
{
	int r = sc_state_check_spec(s, "update", err);
	if (r < 0)
		return r;
	/* Under the record lock: the record follows, so that inspect shows what is in force. */
	struct sc_state f;
	_cleanup_close_ int lk = lock_fresh(root, s, &f, err);
	if (lk < 0)
		return lk;
	r = sc_state_check_spec(&f, "update", err);
	if (r == 0 && f.status != SC_STATUS_RUNNING)
		r = sc_error_set(err, -ESRCH, "cannot update sandbox %s: it is not running", f.name);
	if (r == 0 && !f.cgroup)
		r = sc_error_set(err, -EOPNOTSUPP, "cannot update sandbox %s: it has no cgroup (%s)", f.name,
				 geteuid() != 0 ? "a user who is not root has none without a delegated cgroup v2 subtree"
						: "none could be made when it started");
	if (r == 0)
		r = sc_cgroup_apply(f.cgroup, l, warnings, err);
	if (r == 0 && (r = sc_limits_merge(&f.spec.limits, l)) < 0)
		r = sc_error_errno(err, r, "sandbox %s", f.name);
	if (r == 0)
		r = sc_state_save(root, &f, err);
	sc_state_free(&f);
	return r;
}
