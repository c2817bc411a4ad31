/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run that reports its denials: a session that plugs into a sandbox's
 * start.  begin rewrites the profile's program so that the monitor
 * answers what it can reproduce (notify.h), and installs the monitor's
 * hooks into the configuration; the run then starts as any other; end,
 * once it has ended, reads what the kernel still holds and leaves the
 * counts for a summary, and for complain --update.  Any front-end can
 * turn it on; the reports go to the caller's function, one denial at a
 * time.
 */
#ifndef SECLUDE_DENIALS_H
#define SECLUDE_DENIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "seclude/error.h"
#include "seclude/notify.h"
#include "seclude/sandbox.h"

struct sc_denials_opts {
	enum sc_denial_mode mode;
	/*
	 * The policy c->bpf was compiled from (struct sc_filter's, kept with
	 * keep_policy): each denial names the rule that decided it.  The
	 * profile is not read again.  Must outlive the session.
	 */
	const struct sc_policy *policy;
	/* Called from the monitor's thread, in order, one denial at a time. */
	void (*report)(void *ud, const struct sc_denial *d);
	void *ud;
};

struct sc_denials;

/*
 * c->bpf (the profile's program, which must outlive the session) is
 * replaced by its rewrite, c asks for a listener (and for the LOG flag
 * when a trap can happen: the kernel audits a trap only then), and the
 * monitor's hooks go into c->hooks, which must be empty (-EBUSY).
 */
int sc_denials_begin(const struct sc_denials_opts *o, struct sc_sandbox_config *c,
		     struct sc_denials **out, struct sc_error *err);

/* The run ended with exit_code (128+N for signal N): the last reports, the monitor stops. */
int sc_denials_end(struct sc_denials *d, int exit_code, struct sc_error *err);

/* The run's exit code as without reporting (see sc_monitor_exit_code). */
int sc_denials_exit_code(const struct sc_denials *d, int exit_code);

/* Distinct (arch, syscall, result) with their counts, first seen first. */
const struct sc_denial_count *sc_denials_counts(const struct sc_denials *d, size_t *n);

/* Whether kills and traps the profile can give went unnamed (no audit records), and why. */
bool sc_denials_unnamed(const struct sc_denials *d, char *why, size_t len);

/*
 * complain --update: let the profile file at path allow every call the
 * run was refused (sc_profile_update), replacing the file atomically and
 * keeping its mode.  *added counts the names added; 0 leaves the file
 * as it was.  command is what ran, for the comment.
 */
int sc_denials_update_profile(const struct sc_denials *d, const char *path, const char *command,
			      size_t *added, struct sc_error *err);

/* One denial as it happens: a "seclude: " line, or a JSON line. */
void sc_denial_print(FILE *out, const struct sc_denial *den, bool json);
/* Every call counted. */
uint64_t sc_denials_total(const struct sc_denials *d);
/* The table at the end: the total, then a line per (syscall, arch, result) with its count. */
void sc_denials_summary_print(FILE *out, const struct sc_denials *d, bool complain);
/* After --update: "PATH: now allows N more syscalls: a b c", or "PATH: nothing to add". */
void sc_denials_added_print(FILE *out, const struct sc_denials *d, const char *path, size_t added);

void sc_denials_free(struct sc_denials *d);

/*
 * Where reports are written: the word "journal" is the system's journal
 * (journald's native socket, else /dev/log; each line one message, tagged
 * seclude), anything else a file, appended to or truncated.  NULL with
 * err set when neither is possible: a caller checks before it starts.
 */
#define SC_DENIAL_SINK_JOURNAL "journal"
bool sc_denial_sink_is_journal(const char *where);
FILE *sc_denial_sink_open(const char *where, bool append, struct sc_error *err);

#endif
