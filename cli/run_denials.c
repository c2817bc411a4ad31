/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude run --log-denials / --complain / --update: the monitor around the start. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run_denials.h"
#include "seclude/denials.h"
#include "seclude/util.h"

bool cli_run_denials_option(struct cli_run_denials *d, int opt, const char *arg, int *status)
{
	*status = 0;
	switch (opt) {
	case CLI_OPT_LOG_DENIALS:
		d->log = true;
		if (arg && !*arg)
			*status = cli_usage_error("run", "--log-denials=FILE needs a file name");
		d->log_file = arg;
		return true;
	case CLI_OPT_COMPLAIN:
		d->complain = true;
		return true;
	case CLI_OPT_UPDATE:
		d->update = arg;
		return true;
	default:
		return false;
	}
}

static void report(void *ud, const struct sc_denial *den)
{
	struct cli_run_denials *d = ud;
	sc_denial_print(d->out, den, d->log_file != NULL);
}

int cli_run_denials_prepare(struct cli_run_denials *d, struct sc_sandbox_config *c,
			    const struct sc_policy *policy, bool detach, char *const *argv)
{
	if (d->update && !d->complain)
		return cli_usage_error("run", "--update needs --complain: an enforcing run stops at the first refusal");
	if (!d->log && !d->complain)
		return 0;
	d->log = true;
	if (detach)
		return cli_usage_error("run", "--log-denials and --complain cannot be used with -d: "
				       "the report lasts as long as the run");
	if (!c->bpf) {
		if (d->update)
			return cli_failf("--update: the sandbox has no seccomp profile to update (seccomp=unconfined)");
		cli_warnf("no seccomp profile: there is nothing to report");
		return 0;
	}
	if (c->hooks.child_created || c->hooks.listener || c->hooks.wait)
		return cli_failf("--log-denials cannot be combined with another supervisor of the start");

	if (d->log_file) {
		struct sc_error e = {0};
		if (!(d->out = sc_denial_sink_open(d->log_file, false, &e)))
			return cli_failf("--log-denials: %s", e.msg);
	} else {
		d->out = stderr;
	}
	struct sc_error err = {0};
	const struct sc_denials_opts o = {
		.mode = d->complain ? SC_DENIAL_COMPLAIN : SC_DENIAL_ENFORCE,
		.policy = policy, .report = report, .ud = d,
	};
	if (sc_denials_begin(&o, c, &d->session, &err) < 0)
		return cli_fail(&err);
	d->command = sc_strv_join(argv, " ");
	d->active = true;
	return 0;
}

int cli_run_denials_finish(struct cli_run_denials *d, int code, bool failed)
{
	if (!d->active)
		return code;
	struct sc_error err = {0};
	sc_denials_end(d->session, code, &err);
	code = sc_denials_exit_code(d->session, code);
	if (!sc_denials_total(d->session) && failed)
		return code;   /* after "seclude: error: ...", a report of a run that never was */
	sc_denials_summary_print(stderr, d->session, d->complain);
	char why[128];
	if (sc_denials_unnamed(d->session, why, sizeof(why)))
		cli_warnf("kills and traps cannot be named: %s", why);
	size_t added = 0;
	if (d->update && sc_denials_update_profile(d->session, d->update, d->command, &added, &err) < 0) {
		cli_fail(&err);
		if (code == 0)
			code = SC_EXIT_SECLUDE;
	} else if (d->update) {
		sc_denials_added_print(stderr, d->session, d->update, added);
	}
	return code;
}

void cli_run_denials_free(struct cli_run_denials *d)
{
	sc_denials_free(d->session);
	if (d->out && d->out != stderr)
		fclose(d->out);
	free(d->command);
	*d = (struct cli_run_denials){0};
}
