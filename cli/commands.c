/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command table: one line a command, in the order --help lists them. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "check", cmd_check, "validate a profile and lint it for holes and breakage" },
	{ "info", cmd_info, "show seccomp, cgroup and namespace support and a process's confinement" },
	{ NULL, NULL, NULL },
};
