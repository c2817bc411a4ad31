/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_LEARN_H
#define SECLUDE_LEARN_H

/*
 * Learning a profile by watching a process tree.
 *
 *   recorder (ebpf | ptrace | strace log) --> struct sc_record
 *            (arch, nr) -> count, plus argument values where asked
 *   struct sc_record --sc_learn_write--> Docker JSON profile (optionally
 *            merged into an existing one)
 *
 * Both live recorders start recording at the same point: right after the
 * process loads its seccomp filter, which the sandbox does as its last step
 * before execve.  The ptrace recorder's filter returns SECCOMP_RET_TRACE for
 * every call; the eBPF recorder's filter allows everything and its program
 * arms itself on the seccomp() call that installs it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/learn_for.h"

/* Syscall numbers at or above this are counted in `dropped`, not named. */
#define SC_RECORD_MAX_NR 1024
#define SC_RECORD_MAX_ARCHES 4
/* The bit x32 sets in its syscall numbers (the kernel's __X32_SYSCALL_BIT). */
#define SC_X32_SYSCALL_BIT 0x40000000u

struct sc_record_arch {
	uint32_t arch;                     /* SCMP_ARCH_* token */
	uint64_t count[SC_RECORD_MAX_NR];  /* nr without the x32 bit */
};

struct sc_record_argval {
	uint32_t arch;
	int nr;
	unsigned index;                    /* argument 0..5 */
	uint64_t value;
	uint64_t count;
};

struct sc_record {
	struct sc_record_arch arches[SC_RECORD_MAX_ARCHES];
	size_t n_arches;
	struct sc_record_argval *argvals;
	size_t n_argvals, cap_argvals;
	uint64_t total;                    /* every call counted */
	uint64_t dropped;                  /* numbers out of range or arches beyond the table */
};

struct sc_record *sc_record_new(void);
void sc_record_free(struct sc_record *r);

/*
 * Count n calls of nr on arch.  arch is an AUDIT_ARCH / SCMP_ARCH token as
 * seccomp_data and PTRACE_GET_SYSCALL_INFO report it; an x86-64 call whose
 * number has the x32 bit is counted as an x32 call.
 */
void sc_record_add(struct sc_record *r, uint32_t arch, uint64_t nr, uint64_t n);
/* Remember that argument `index` of nr had `value` (n times). */
int sc_record_add_arg(struct sc_record *r, uint32_t arch, int nr, unsigned index,
		      uint64_t value, uint64_t n);
/* Fold src into dst (counts add up). */
int sc_record_merge(struct sc_record *dst, const struct sc_record *src);

uint64_t sc_record_count(const struct sc_record *r, uint32_t arch, int nr);
/* Number of distinct (arch, nr) pairs seen. */
size_t sc_record_distinct(const struct sc_record *r);

/* A syscall name seen on one or more arches, with the total count. */
struct sc_learned_name {
	char *name;
	uint64_t count;
	unsigned arch_mask;                /* bit i = record->arches[i] */
};

/*
 * The names of everything recorded, sorted, one entry per name (a call
 * seen on two arches under the same name is one entry).  Numbers that the
 * linked libseccomp cannot name go into diags and are left out.
 */
int sc_record_names(const struct sc_record *r, struct sc_learned_name **out, size_t *n,
		    struct sc_diags *diags, struct sc_error *err);
void sc_learned_names_free(struct sc_learned_name *v, size_t n);
/* learn --counts: "  calls  syscall" lines, most called first, an arch named when not the native one, the total. */
void sc_record_write_counts(FILE *out, const struct sc_record *rec);

/*
 * Argument recording (--args).  A spec names a syscall and which argument
 * to record: the known ones by name alone (socket family, personality,
 * clone flags, prctl option, ioctl request), any other as NAME:INDEX.
 */
struct sc_arg_spec {
	char *name;
	unsigned index;
};

struct sc_arg_specs {
	struct sc_arg_spec *v;
	size_t n;
};

/* Parse "socket,ioctl,fcntl:1" and append to specs. */
int sc_arg_specs_parse(struct sc_arg_specs *specs, const char *list, struct sc_error *err);
void sc_arg_specs_free(struct sc_arg_specs *specs);
/* Index of argument to record for nr on arch, or -1. */
int sc_arg_specs_index(const struct sc_arg_specs *specs, uint32_t arch, int nr);

/* Progress: called by the recorders as calls come in. */
struct sc_learn_progress {
	/* A pair never seen before (ptrace: at once; eBPF: when polled). */
	void (*new_syscall)(void *ud, uint32_t arch, int nr, const struct sc_record *r);
	/* Called now and then (about every 200 ms) with the running totals. */
	void (*tick)(void *ud, const struct sc_record *r);
	void *ud;
};

/*
 * The ptrace recorder.
 *
 * sc_learn_ptrace_filter gives the seccomp program to load in the child as
 * its last step before execve: SECCOMP_RET_TRACE for every call on every
 * arch.  The parent must have seized the child (sc_learn_ptrace_seize)
 * before the child loads it: a RET_TRACE with no tracer fails the call with
 * ENOSYS.  sc_learn_ptrace_run then drives the whole tree (threads, forks,
 * vforks, clones, execs) until every traced task has ended; *status is the
 * wait status of the first pid.  If the tracer dies, PTRACE_O_EXITKILL
 * kills the tree: nothing runs on untraced.
 */
int sc_learn_ptrace_filter(struct sc_bpf *out, struct sc_error *err);
int sc_learn_ptrace_seize(pid_t pid, struct sc_error *err);
int sc_learn_ptrace_run(pid_t pid, struct sc_record *rec, const struct sc_arg_specs *args,
			const struct sc_learn_progress *progress, int *status,
			struct sc_error *err);

/*
 * The notify recorder (notify.c): sc_learn_notify_filter sends every call
 * on every arch to a seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER);
 * sc_learn_notify_record, given that listener, counts each call and lets
 * it go on, until every process under the filter has ended.  Its holder
 * need not be the tree's parent nor its tracer.  While nobody holds the
 * listener, the tree's calls fail with ENOSYS.
 */
int sc_learn_notify_filter(struct sc_bpf *out, struct sc_error *err);
int sc_learn_notify_record(int listener, struct sc_record *rec, const struct sc_arg_specs *args,
			   const struct sc_learn_progress *progress, struct sc_error *err);

/*
 * The eBPF recorder: a program on the raw sys_enter tracepoint (through
 * BTF, no tracefs needed) that counts calls of one cgroup v2 subtree in a
 * per-CPU array, per arch, with no event per call.
 */
struct sc_learn_ebpf;

/* true when this build has the recorder and the kernel can run it; else why not. */
bool sc_learn_ebpf_available(char *why, size_t len);

enum sc_learn_arm {
	SC_LEARN_ARM_AT_SECCOMP,   /* start after the target's first seccomp() call */
	SC_LEARN_ARM_NOW,          /* count everything from the start */
};

/*
 * Load and attach; nothing is counted until a target is set.  Attached
 * means every syscall on the host pays a few instructions: close as soon
 * as the recording ends.
 */
int sc_learn_ebpf_open(enum sc_learn_arm arm, const struct sc_arg_specs *args,
		       struct sc_learn_ebpf **out, struct sc_error *err);
/* Count the tasks in the cgroup v2 whose id is cgid, and below it. */
int sc_learn_ebpf_set_target(struct sc_learn_ebpf *e, uint64_t cgid, struct sc_error *err);
/* Has the program seen the arming call yet? */
bool sc_learn_ebpf_armed(const struct sc_learn_ebpf *e);
/* Add what was counted so far to rec (new pairs reported to progress). */
int sc_learn_ebpf_collect(struct sc_learn_ebpf *e, struct sc_record *rec, struct sc_error *err);
/* Pairs seen so far without reading the counters: cheap, for progress. */
int sc_learn_ebpf_poll(struct sc_learn_ebpf *e, const struct sc_learn_progress *progress,
		       struct sc_record *seen);
void sc_learn_ebpf_close(struct sc_learn_ebpf *e);

/* The filter the eBPF recorder's target loads: allow everything (the arming marker). */
int sc_learn_allow_filter(struct sc_bpf *out, struct sc_error *err);

/* Read an strace -f / -ff log (see strace_log.c for what is understood). */
int sc_learn_strace_log(const char *path, struct sc_record *rec, struct sc_diags *diags,
			struct sc_error *err);
int sc_learn_strace_text(const char *text, size_t len, const char *origin,
			 int ff_pid, struct sc_record *rec, struct sc_diags *diags,
			 struct sc_error *err);

/* Writing the profile. */
struct sc_learn_write_opts {
	const char *command;       /* what was run, for the comment */
	time_t when;
	bool has_errno;            /* errno given by the user */
	uint32_t default_errno;    /* EPERM unless given */
	bool counts;               /* keep counts in the comment */
	const struct sc_arg_specs *args;   /* emit argument rules for these */
	const char *merge_text;    /* an existing profile to merge into, or NULL */
	size_t merge_len;
	const char *merge_origin;
	uint32_t native_arch;      /* 0: the host's */
	/*
	 * learn --for: the runtime's own calls, then the any-moment set (NULL
	 * with --minimal); each call not allowed yet gets a rule of its own
	 * with its reason as the comment.
	 */
	const struct sc_learn_extras *runtime_calls;
	const struct sc_learn_extras *any_moment;
	/* what it was learned for: a "learned for:" line in the main rule's comment */
	const struct sc_learn_for *learned_for;
	const char *for_version;
	bool minimal;              /* add only exit and exit_group without seeing them */
};

/* What the writer added or kept, for the CLI to report. */
struct sc_learn_summary {
	char **added;              /* always-needed names not seen, added anyway */
	size_t n_added;
	size_t n_names;            /* names allowed unconditionally (main rule and added ones) */
	size_t n_arg_rules;
	size_t n_kept_denied;      /* seen, but the merged profile denies them */
	char **for_added;          /* runtime calls added (learn --for) */
	size_t n_for_added;
	char **any_added;          /* any-moment calls added */
	size_t n_any_added;
	char *for_line;            /* the "learned for:" line written */
};

int sc_learn_write(const struct sc_record *rec, const struct sc_learn_write_opts *opts,
		   char **json_out, struct sc_learn_summary *summary, struct sc_diags *diags,
		   struct sc_error *err);
void sc_learn_summary_free(struct sc_learn_summary *s);

/* The names every process needs to end, added to each learned profile. */
extern const char *const sc_learn_always_needed[];

#endif
