/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUN_OPTS_H
#define SECLUDE_CLI_RUN_OPTS_H

#include <stdbool.h>

#include "cli.h"
#include "run_denials.h"
#include "run_resources.h"
#include "seclude/docker.h"

/* run's options as parsed: the docker-run request, and what the cgroup and denial rooms take. */
struct run_opts {
	struct cli_caps caps;
	struct sc_docker_run d;
	struct cli_run_resources res;
	struct cli_run_denials denials;
	bool resources_given;         /* limits, --name, -d or --cgroup-parent */
};

void run_opts_free(struct run_opts *o);
/*
 * Parse run's options up to the command (argv[*cmd_index]).  0, -1 for
 * --help (nothing printed), or SC_EXIT_SECLUDE with the error printed.
 */
int cli_run_parse(int argc, char **argv, struct run_opts *o, int *cmd_index);
/* What the library said about an option: a usage error when the value is wrong. */
int cli_run_spec_error(const struct sc_docker_run *d, const struct sc_error *err);

#endif
