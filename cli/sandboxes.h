/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the commands on named sandboxes share: lookups, signals, waiting, times. */
#ifndef SECLUDE_CLI_SANDBOXES_H
#define SECLUDE_CLI_SANDBOXES_H

#include <stdbool.h>
#include <stdio.h>

#include "seclude/cgroup.h"
#include "seclude/state.h"

/*
 * Docker's resource options, shared by run and update.  The option value
 * of row i of sc_limit_options is CLI_OPT_RESOURCE + i.
 */
#define CLI_OPT_RESOURCE 0x1800
#define CLI_RESOURCE_LONGOPTS \
	{ "memory", required_argument, NULL, CLI_OPT_RESOURCE + 0 }, \
	{ "memory-swap", required_argument, NULL, CLI_OPT_RESOURCE + 1 }, \
	{ "memory-reservation", required_argument, NULL, CLI_OPT_RESOURCE + 2 }, \
	{ "cpus", required_argument, NULL, CLI_OPT_RESOURCE + 3 }, \
	{ "cpu-shares", required_argument, NULL, CLI_OPT_RESOURCE + 4 }, \
	{ "cpu-period", required_argument, NULL, CLI_OPT_RESOURCE + 5 }, \
	{ "cpu-quota", required_argument, NULL, CLI_OPT_RESOURCE + 6 }, \
	{ "cpuset-cpus", required_argument, NULL, CLI_OPT_RESOURCE + 7 }, \
	{ "pids-limit", required_argument, NULL, CLI_OPT_RESOURCE + 8 }, \
	{ "blkio-weight", required_argument, NULL, CLI_OPT_RESOURCE + 9 }, \
	{ "device-read-bps", required_argument, NULL, CLI_OPT_RESOURCE + 10 }, \
	{ "device-write-bps", required_argument, NULL, CLI_OPT_RESOURCE + 11 }, \
	{ "cpuset-mems", required_argument, NULL, CLI_OPT_RESOURCE + 12 }, \
	{ "memory-swappiness", required_argument, NULL, CLI_OPT_RESOURCE + 13 }, \
	{ "oom-kill-disable", optional_argument, NULL, CLI_OPT_RESOURCE + 14 }, \
	{ "cpu-rt-period", required_argument, NULL, CLI_OPT_RESOURCE + 15 }, \
	{ "cpu-rt-runtime", required_argument, NULL, CLI_OPT_RESOURCE + 16 }

/*
 * Handle a getopt result: false when opt is not a resource option;
 * otherwise true, with *status 0, or SC_EXIT_SECLUDE after printing the error.
 */
bool cli_resource_option(const char *cmd, struct sc_cgroup_limits *l, int opt, const char *arg,
			 int *status);
/* The option lines for --help. */
void cli_resource_help(FILE *out);

/* Settle crashed sandboxes (printing what was done), then load REF. */
int cli_sandbox_load(const char *ref, struct sc_state *s);
/* gc only, for commands that list. */
void cli_sandbox_gc(void);
/* Print d's warnings as "seclude: warning: ..." (notes are left out), and free d. */
void cli_print_warnings(struct sc_diags *d);

/* "KILL", "SIGKILL", "kill", "9" -> 9; -1 when unknown. */
int cli_parse_signal(const char *s);

/*
 * Wait until NAME's record says exited (its supervisor wrote the exit)
 * or its supervisor is gone; false on timeout.
 */
bool cli_wait_exited(const char *name, int timeout_ms);

/* "5 seconds", "About a minute", "2 hours", as docker ps prints durations. */
void cli_human_duration(int64_t ns, char *buf, size_t len);

#endif
