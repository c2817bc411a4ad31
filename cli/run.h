/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUN_H
#define SECLUDE_CLI_RUN_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/sandbox.h"

/* run's options, for commands that take them too (learn). */
extern const struct option cli_run_longopts[];
#define CLI_RUN_SHORTOPTS "+:v:h:u:w:e:itdm:"

/*
 * What learn changes in a run: its filter instead of the profile, and its
 * hooks.  With an override, a command that never ran (setup failed, not
 * found, cannot execute) comes back as the negative exit code, its error
 * printed.
 */
struct cli_run_override {
	const char *command;          /* "learn", for messages */
	const struct sc_bpf *bpf;
	unsigned seccomp_flags;
	bool want_listener;
	struct sc_sandbox_hooks hooks;
};

int cli_run_with(int argc, char **argv, const struct cli_run_override *ov);

#endif
