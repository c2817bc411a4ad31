/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command table: one line a command, in the order --help lists them. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "run", cmd_run, "run a command confined as Docker would confine it" },
	{ "check", cmd_check, "validate a profile and lint it for holes and breakage" },
	{ NULL, NULL, NULL },
};
