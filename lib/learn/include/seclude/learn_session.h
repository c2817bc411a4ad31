/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run that records: a session that plugs into a sandbox's start, as
 * the denial session does.  begin chooses the recorder (eBPF when it
 * loads, else ptrace, or the one asked for) and gives what the run takes
 * from it: the recorder's filter in place of the profile, and the hooks.
 * The hooks then follow the tree from its first instruction: ptrace
 * seizes the child and drives it (signals meant for the command are
 * forwarded to it); eBPF counts the calls of a cgroup v2 leaf the child
 * is moved into.  end, once the run has ended, waits for the last
 * process of the tree (eBPF), collects the counts into the record and
 * removes the leaf.  The notify recorder (asked for, never chosen by
 * auto) sends every call to a seccomp listener the run hands to the
 * listener hook; a thread counts the calls until the tree has ended.
 */
#ifndef SECLUDE_LEARN_SESSION_H
#define SECLUDE_LEARN_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "seclude/error.h"
#include "seclude/learn.h"
#include "seclude/sandbox.h"

enum sc_learn_recorder { SC_LEARN_AUTO, SC_LEARN_EBPF, SC_LEARN_PTRACE, SC_LEARN_NOTIFY };

struct sc_learn_session_opts {
	enum sc_learn_recorder recorder;
	const struct sc_arg_specs *args;        /* the arguments to record, as the recorders take them */
	struct sc_record *rec;                  /* where the calls are counted */
	/* NULL: none.  eBPF's new pairs come from a thread that polls every 200 ms. */
	const struct sc_learn_progress *progress;
	/* With SC_LEARN_AUTO: the eBPF recorder could not load, why; ptrace records instead. */
	void (*fallback)(void *ud, const char *why);
	void *ud;
};

/* What a run takes from the session, in place of its profile's filter. */
struct sc_learn_plug {
	const struct sc_bpf *bpf;         /* owned by the session */
	unsigned seccomp_flags;
	bool want_listener;               /* the notify recorder: the run must hand over its listener */
	struct sc_sandbox_hooks hooks;
};

struct sc_learn_session;

int sc_learn_begin(const struct sc_learn_session_opts *o, struct sc_learn_session **out,
		   struct sc_learn_plug *plug, struct sc_error *err);

/* SC_LEARN_EBPF, SC_LEARN_PTRACE or SC_LEARN_NOTIFY, once begun. */
enum sc_learn_recorder sc_learn_session_recorder(const struct sc_learn_session *s);

/*
 * The run ended; ran tells whether the command started at all (a failed
 * setup leaves nothing to wait for).  The record is complete on success.
 */
int sc_learn_end(struct sc_learn_session *s, bool ran, struct sc_error *err);

void sc_learn_session_free(struct sc_learn_session *s);

/*
 * What a front-end asks learn for, its options as values: how to record,
 * and what the profile becomes.
 */
struct sc_learn_request {
	const char *output;                 /* NULL or "-": the caller's stream */
	enum sc_learn_recorder recorder;
	const char *merge;                  /* a profile to merge into */
	bool counts;
	struct sc_arg_specs args;
	bool has_errno;
	uint32_t default_errno;             /* EPERM unless given */
	struct sc_learn_for target;         /* the runtime (NULL: the default) and its case */
	bool minimal;
	/* filled by sc_learn_request_ready */
	struct sc_learn_extras runtime_calls, any_moment;
	const char *for_version;
};

/* The options given: defaults set, the runtime's set read (a case never measured fails before anything runs). */
int sc_learn_request_ready(struct sc_learn_request *q, struct sc_error *err);
void sc_learn_request_free(struct sc_learn_request *q);

/*
 * Record one run of the sandbox c: begin a session, plug its filter and
 * hooks into c, run, wait for the tree, end.  out takes learn's lines
 * (the fallback to ptrace, the progress when it is a terminal, what was
 * recorded).  0: the command ran, *exit_code its status, rec complete.
 * Negative: err says why; *exit_code is what to exit with (126 or 127
 * when the command could not start, else 125).
 */
int sc_learn_record_run(struct sc_sandbox_config *c, const struct sc_learn_request *q,
			struct sc_record *rec, FILE *out, int *exit_code, struct sc_error *err);

/*
 * The profile of rec: merged into q->merge when given; command names
 * what was run in its comment.  Warnings in diags.  Then save writes it
 * to q->output (or *json is the caller's to print) and puts the summary,
 * the counts and the "wrote" line on out.
 */
int sc_learn_profile_make(const struct sc_learn_request *q, const struct sc_record *rec,
			  const char *command, char **json, struct sc_learn_summary *sum,
			  struct sc_diags *diags, struct sc_error *err);
int sc_learn_profile_save(const struct sc_learn_request *q, const struct sc_record *rec,
			  const char *json, const struct sc_learn_summary *sum, FILE *out,
			  struct sc_error *err);

/*
 * learn's words, rendered here for any front-end (report.c).  The
 * option values: a recorder ("auto", "ebpf", "ptrace", "notify"), the errno a call
 * outside the profile returns (EPERM, ENOSYS, ... or 1..4095); -EINVAL
 * for anything else.
 */
int sc_learn_recorder_parse(const char *s, enum sc_learn_recorder *out);
int sc_learn_errno_parse(const char *s, uint32_t *out);

/* The progress line on a terminal while a session records (set session once begun). */
struct sc_learn_tty {
	FILE *out;
	struct sc_learn_session *session;
	char last_new[64];
};
struct sc_learn_progress sc_learn_tty_progress(struct sc_learn_tty *t);
/* a fallback for sc_learn_session_opts: the line saying ptrace records instead */
void sc_learn_tty_fallback(void *ud, const char *why);
/* The line after the run: how many calls, by which recorder (progress: clear its line first). */
void sc_learn_tty_recorded(struct sc_learn_tty *t, const struct sc_record *rec, bool progress);
/* What the profile got beyond what was seen, one line each. */
void sc_learn_summary_print(FILE *out, const struct sc_learn_summary *sum, const char *runtime,
			    const char *version);
/* "wrote PATH: N syscalls allowed[, M argument rules]" */
void sc_learn_wrote_print(FILE *out, const char *path, const struct sc_learn_summary *sum);

/* Read strace logs into rec; *command names them, for the profile's comment. */
int sc_learn_strace_logs(char *const *logs, size_t n, struct sc_record *rec, char **command,
			 struct sc_diags *diags, struct sc_error *err);

#endif
