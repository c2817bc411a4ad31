/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_H
#define SECLUDE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "seclude/caps.h"
#include "seclude/error.h"
#include "seclude/exit.h"
#include "seclude/profile.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
	const char *summary;
};

extern const struct cli_command cli_commands[];

/* "seclude: error: ..." on stderr; returns SC_EXIT_SECLUDE. */
int cli_fail(const struct sc_error *err);

int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print warnings (and errors) collected by the library. */
void cli_print_diags(const struct sc_diags *d);

/* Error for a bad option, with a pointer to --help; returns SC_EXIT_SECLUDE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Capability options shared by run, compile, explain, diff: --cap-add,
 * --cap-drop (repeatable, comma lists allowed) and --privileged.
 */
enum {
	CLI_OPT_CAP_ADD = 0x1000,
	CLI_OPT_CAP_DROP,
	CLI_OPT_PRIVILEGED,
	CLI_OPT_JSON,
	CLI_OPT_KERNEL,
	CLI_OPT_STRICT,
	CLI_OPT_FIRST_FREE = 0x1100,
};
#define CLI_CAP_LONGOPTS \
	{ "cap-add", required_argument, NULL, CLI_OPT_CAP_ADD }, \
	{ "cap-drop", required_argument, NULL, CLI_OPT_CAP_DROP }, \
	{ "privileged", no_argument, NULL, CLI_OPT_PRIVILEGED }
#define CLI_CAP_HELP \
	"      --cap-add CAP      add a capability (CAP_ prefix and case optional; ALL)\n" \
	"      --cap-drop CAP     drop a capability (ALL drops every one)\n" \
	"      --privileged       every capability the host has\n"

struct cli_caps {
	struct sc_cap_opts opts;
};

/* Handle a getopt result; returns true when opt was a capability option. */
bool cli_caps_option(struct cli_caps *c, int opt, const char *arg);
/* Docker's default set adjusted by the options, checked against the host. */
int cli_caps_resolve(const struct cli_caps *c, uint64_t *out, struct sc_error *err);
void cli_caps_free(struct cli_caps *c);

/*
 * What compile, explain, check and diff share: a profile read for a
 * target.  Run's capability options, --kernel X.Y (minKernel settled for
 * another kernel) and --strict (unknown syscall names are errors).
 */
struct cli_profile_opts {
	struct cli_caps caps;
	const char *kernel;
	bool strict;
};
#define CLI_PROFILE_LONGOPTS \
	CLI_CAP_LONGOPTS, \
	{ "kernel", required_argument, NULL, CLI_OPT_KERNEL }, \
	{ "strict", no_argument, NULL, CLI_OPT_STRICT }
#define CLI_PROFILE_HELP \
	CLI_CAP_HELP \
	"      --kernel X.Y       settle minKernel for another kernel version\n" \
	"      --strict           syscall names libseccomp does not know are errors\n" \
	"                         (by default they are skipped with a warning)\n"

/* Handle a getopt result; returns true when opt was one of these options. */
bool cli_profile_option(struct cli_profile_opts *o, int opt, const char *arg);
void cli_profile_opts_free(struct cli_profile_opts *o);

/*
 * The target a profile is resolved for: this host with Docker's default
 * capabilities adjusted by the options, and arch (a user's name: x86_64,
 * aarch64...) replacing the host's when non-NULL.  cmd prefixes the errors.
 */
int cli_target(const char *cmd, const struct cli_profile_opts *o, const char *arch,
	       struct sc_target *t, struct sc_error *err);

/*
 * Print what reading a profile warned about.  For the built-in profile
 * the names this libseccomp predates are left out: a fact about the
 * machine, not something the user can fix in a profile.
 */
void cli_print_profile_warnings(const char *path, const struct sc_diags *d);

/* The usage error for getopt's answer '?' or ':' about argv[optind - 1]. */
int cli_bad_option(const char *cmd, char **argv);

/* seclude-runc: the OCI runtime's runc-syntax command line (runc.c). */
int cli_runc_main(int argc, char **argv);

#endif
