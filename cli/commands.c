/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command table: one line a command, in the order --help lists them. */
#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
	{ "run", cmd_run, "run a command confined as Docker would confine it" },
	{ "learn", cmd_learn, "write the smallest profile a command needs, by watching it run" },
	{ "compile", cmd_compile, "compile a profile to seccomp BPF (raw, or a listing)" },
	{ "explain", cmd_explain, "say what a profile does with one syscall, and which rule decides" },
	{ "check", cmd_check, "validate a profile and lint it for holes and breakage" },
	{ "ps", cmd_ps, "list sandboxes" },
	{ "inspect", cmd_inspect, "a sandbox's state and confinement, as JSON" },
	{ "stop", cmd_stop, "stop a sandbox: SIGTERM, then SIGKILL" },
	{ "kill", cmd_kill, "send a signal to a sandbox" },
	{ "rm", cmd_rm, "remove sandboxes that ended" },
	{ "logs", cmd_logs, "the output of a detached sandbox" },
	{ "stats", cmd_stats, "resource use of sandboxes, as docker stats" },
	{ "update", cmd_update, "change a running sandbox's limits" },
	{ "exec", cmd_exec, "run a command inside a running sandbox" },
	{ "diff", cmd_diff, "list the syscalls whose verdict differs between two profiles" },
	{ "agent", cmd_agent, "a seccomp agent: runc's and crun's refused calls named with their errno" },
	{ "info", cmd_info, "show seccomp, cgroup and namespace support and a process's confinement" },
	{ NULL, NULL, NULL },
};
