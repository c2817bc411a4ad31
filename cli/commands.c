/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command table: one line a command, in the order --help lists them. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "compile", cmd_compile, "compile a profile to seccomp BPF (raw, or a listing)" },
	{ "explain", cmd_explain, "say what a profile does with one syscall, and which rule decides" },
	{ "check", cmd_check, "validate a profile and lint it for holes and breakage" },
	{ NULL, NULL, NULL },
};
