/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUN_H
#define SECLUDE_CLI_RUN_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/sandbox.h"

/* run's options, for commands that take them too (learn). */
extern const struct option cli_run_longopts[];
#define CLI_RUN_SHORTOPTS "+:v:h:u:w:e:itdm:"

/*
 * Another way to run the sandbox run's options describe (learn's: its
 * recorder plugged in).  run returns the command's exit code, or the
 * negative status to exit with when it never ran (its error printed).
 */
struct cli_run_override {
	const char *command;          /* "learn", for messages */
	int (*run)(void *ud, struct sc_sandbox_config *c);
	void *ud;
};

int cli_run_with(int argc, char **argv, const struct cli_run_override *ov);

#endif
