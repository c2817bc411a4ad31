/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUN_H
#define SECLUDE_CLI_RUN_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/sandbox.h"

/* The filter run loads: compiled (or cached) BPF and the flags to load it with. */
struct run_filter {
	struct sc_bpf bpf;
	unsigned flags;       /* SECCOMP_FILTER_FLAG_* */
};

/*
 * Read PROFILE ("default": the built-in one), compile it for caps on this
 * host through the cache, and check that the command can start under it:
 * execve (and with --init, what the init calls) must be allowed, unless the
 * profile only reports (complain mode), where nothing it says is refused.
 */
int run_filter_load(const char *profile, uint64_t caps, bool init, bool complain,
		    struct run_filter *f, struct sc_error *err);
void run_filter_free(struct run_filter *f);

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
	struct sc_sandbox_hooks hooks;
};

int cli_run_with(int argc, char **argv, const struct cli_run_override *ov);

#endif
