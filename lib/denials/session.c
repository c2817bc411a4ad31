/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run that reports its denials: the rewrite, the monitor and its hooks around the start. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seclude/denials.h"
#include "seclude/update.h"
#include "seclude/util.h"

struct sc_denials {
	struct sc_bpf rewritten;
	struct sc_rewrite_info info;
	struct sc_monitor *mon;
};

void sc_denials_free(struct sc_denials *d)
{
	if (!d)
		return;
	sc_monitor_free(d->mon);
	free(d->rewritten.insns);
	free(d);
}

int sc_denials_begin(const struct sc_denials_opts *o, struct sc_sandbox_config *c,
		     struct sc_denials **out, struct sc_error *err)
{
	if (!c->bpf)
		return sc_error_set(err, -EINVAL, "no seccomp filter: there is nothing to report");
	if (!o->policy)
		return sc_error_set(err, -EINVAL, "the filter's policy was not kept: denials cannot be attributed");
	if (c->hooks.child_created || c->hooks.listener || c->hooks.wait)
		return sc_error_set(err, -EBUSY, "the start has hooks already");
	struct sc_denials *d = calloc(1, sizeof(*d));
	if (!d)
		return sc_error_set(err, -ENOMEM, "out of memory");

	/*
	 * A user who is not root can read no audit record: the monitor is told
	 * of kills and traps as well, and ends the process itself.
	 */
	bool kills = geteuid() != 0;
	int r = (kills ? sc_bpf_rewrite_notify_kills : sc_bpf_rewrite_notify)(c->bpf, o->mode, &d->rewritten,
									     &d->info, err);
	struct sc_monitor_opts mo = {
		.prog = c->bpf, .policy = o->policy, .mode = o->mode, .decode_args = true,
		.report = o->report, .ud = o->ud, .kills = kills,
	};
	if (r == 0)
		r = sc_monitor_new(&mo, &d->mon, err);
	if (r < 0) {
		sc_denials_free(d);
		return r;
	}

	c->bpf = &d->rewritten;
	c->want_listener = d->info.n_notify > 0;
	/* a trap is audited only under the LOG flag: ask for it only when a trap can happen */
	if (d->info.can_trap)
		c->seccomp_flags |= SECCOMP_FILTER_FLAG_LOG;
	sc_monitor_hooks(d->mon, &c->hooks);
	*out = d;
	return 0;
}

int sc_denials_end(struct sc_denials *d, int exit_code, struct sc_error *err)
{
	return sc_monitor_finish(d->mon, exit_code, err);
}

int sc_denials_exit_code(const struct sc_denials *d, int exit_code)
{
	return sc_monitor_exit_code(d->mon, exit_code);
}

const struct sc_denial_count *sc_denials_counts(const struct sc_denials *d, size_t *n)
{
	return sc_monitor_counts(d->mon, n);
}

bool sc_denials_unnamed(const struct sc_denials *d, char *why, size_t len)
{
	return (d->info.can_kill || d->info.can_trap) && !sc_monitor_audit_readable(d->mon, why, len);
}

int sc_denials_update_profile(const struct sc_denials *d, const char *path, const char *command,
			      size_t *added, struct sc_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = sc_read_user_file(path, 16 << 20, &text, &len, err);
	if (r < 0)
		return r;
	size_t n;
	const struct sc_denial_count *counts = sc_denials_counts(d, &n);
	_cleanup_free_ char *out = NULL;
	struct sc_update_opts uo = { .command = command, .when = time(NULL) };
	r = sc_profile_update(text, len, path, counts, n, &uo, &out, added, err);
	if (r < 0 || !*added)
		return r;
	/* the profile keeps its mode; synced, as it replaces a user's file */
	r = sc_write_atomic(path, out, strlen(out), 0600, SC_WRITE_KEEP_MODE | SC_WRITE_SYNC, NULL);
	if (r < 0)
		return sc_error_errno(err, r, "cannot write %s", path);
	return 0;
}
