/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `seclude run` takes from the cgroup and named-sandbox side: the
 * resource options, --name, -d, --rm, --cgroup-parent, and the supervised
 * start that replaces a bare sc_sandbox_run.
 */
#ifndef SECLUDE_CLI_RUN_RESOURCES_H
#define SECLUDE_CLI_RUN_RESOURCES_H

#include <stdbool.h>
#include <stdio.h>

#include "sandboxes.h"
#include "seclude/cgroup.h"
#include "seclude/sandbox.h"

struct cli_run_resources {
	struct sc_cgroup_limits limits;   /* as parsed; moved into the spec */
	const char *name;
	const char *cgroup_parent;
	bool detach;
	bool rm;
	const struct sc_bpf *exec_bpf;   /* what exec loads when it differs from the run's filter */
};

enum {
	CLI_OPT_RUN_NAME = CLI_OPT_RESOURCE + 0x40,
	CLI_OPT_RUN_RM,
	CLI_OPT_RUN_CGROUP_PARENT,
};

/* For run's option table; short options -d (detach) and -m (memory) go into its optstring as "dm:". */
#define CLI_RUN_RESOURCES_LONGOPTS \
	CLI_RESOURCE_LONGOPTS, \
	{ "name", required_argument, NULL, CLI_OPT_RUN_NAME }, \
	{ "detach", no_argument, NULL, 'd' }, \
	{ "rm", no_argument, NULL, CLI_OPT_RUN_RM }, \
	{ "cgroup-parent", required_argument, NULL, CLI_OPT_RUN_CGROUP_PARENT }

/* false: not one of these options.  true: handled, *status 0 or SC_EXIT_SECLUDE (error printed). */
bool cli_run_resources_option(struct cli_run_resources *r, int opt, const char *arg, int *status);
void cli_run_resources_help(FILE *out);

/*
 * Start c (read from spec) supervised (its own cgroup with spec's
 * limits, a record when named or detached) and wait for it, or, with -d,
 * print its id and return once it runs.  Returns the exit status seclude
 * run exits with; *failed says the sandbox never started (the error is
 * printed).
 */
int cli_run_resources_run(struct cli_run_resources *r, const struct sc_spec *spec,
			  const struct sc_sandbox_config *c, bool *failed);

void cli_run_resources_free(struct cli_run_resources *r);

#endif
