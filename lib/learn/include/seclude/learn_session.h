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
 * removes the leaf.
 */
#ifndef SECLUDE_LEARN_SESSION_H
#define SECLUDE_LEARN_SESSION_H

#include <stdbool.h>

#include "seclude/error.h"
#include "seclude/learn.h"
#include "seclude/sandbox.h"

enum sc_learn_recorder { SC_LEARN_AUTO, SC_LEARN_EBPF, SC_LEARN_PTRACE };

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
	struct sc_sandbox_hooks hooks;
};

struct sc_learn_session;

int sc_learn_begin(const struct sc_learn_session_opts *o, struct sc_learn_session **out,
		   struct sc_learn_plug *plug, struct sc_error *err);

/* SC_LEARN_EBPF or SC_LEARN_PTRACE, once begun. */
enum sc_learn_recorder sc_learn_session_recorder(const struct sc_learn_session *s);

/*
 * The run ended; ran tells whether the command started at all (a failed
 * setup leaves nothing to wait for).  The record is complete on success.
 */
int sc_learn_end(struct sc_learn_session *s, bool ran, struct sc_error *err);

void sc_learn_session_free(struct sc_learn_session *s);

#endif
