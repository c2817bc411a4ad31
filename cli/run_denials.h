/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `seclude run` takes from denials: --log-denials[=FILE],
 * --complain and --update PROFILE.json, and the monitor around the
 * start.
 */
#ifndef SECLUDE_CLI_RUN_DENIALS_H
#define SECLUDE_CLI_RUN_DENIALS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "seclude/denials.h"
#include "seclude/sandbox.h"

struct cli_run_denials {
	bool log;                 /* --log-denials or --complain */
	const char *log_file;     /* --log-denials=FILE: JSON lines there */
	bool complain;
	const char *update;       /* --update PROFILE.json */

	/* from prepare to finish */
	bool active;
	FILE *out;
	struct sc_denials *session;
	char *command;
};

enum {
	CLI_OPT_LOG_DENIALS = 0x1a00,
	CLI_OPT_COMPLAIN,
	CLI_OPT_UPDATE,
};

#define CLI_RUN_DENIALS_LONGOPTS \
	{ "log-denials", optional_argument, NULL, CLI_OPT_LOG_DENIALS }, \
	{ "complain", no_argument, NULL, CLI_OPT_COMPLAIN }, \
	{ "update", required_argument, NULL, CLI_OPT_UPDATE }

#define CLI_RUN_DENIALS_HELP \
	"      --log-denials[=FILE]\n" \
	"                         report every call the profile refuses as it happens:\n" \
	"                         on stderr, or as JSON lines in FILE (FILE journal: the\n" \
	"                         system's journal); a summary at exit\n" \
	"      --complain         run as if every call were allowed; report what the\n" \
	"                         profile would refuse\n" \
	"      --update PROFILE.json\n" \
	"                         with --complain: add what was refused to PROFILE.json\n" \
	"                         (also the profile run when no seccomp= is given)\n"

/* false: not one of these options.  true: handled, *status 0 or SC_EXIT_SECLUDE (error printed). */
bool cli_run_denials_option(struct cli_run_denials *d, int opt, const char *arg, int *status);

/*
 * With reporting asked for: check the options against the rest of the
 * command line, rewrite c->bpf (the compiled profile) for the monitor
 * and install its hooks.  policy is the one c->bpf was compiled from
 * (the spec's filter keeps it when cli_run_denials_wanted).  Returns 0 or
 * SC_EXIT_SECLUDE with the error printed.
 */
static inline bool cli_run_denials_wanted(const struct cli_run_denials *d)
{
	return d->log || d->complain;
}
int cli_run_denials_prepare(struct cli_run_denials *d, struct sc_sandbox_config *c,
			    const struct sc_policy *policy, bool detach, char *const *argv);

/*
 * The sandbox ended with code: the last reports, the summary, --update.
 * failed: it never started (the error is printed): no summary then unless
 * something was refused on the way, which is the reason.  Returns the
 * exit status.
 */
int cli_run_denials_finish(struct cli_run_denials *d, int code, bool failed);

void cli_run_denials_free(struct cli_run_denials *d);

#endif
