/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_NOTIFY_H
#define SECLUDE_NOTIFY_H

/*
 * Denials you can see.
 *
 * The compiled program P is rewritten into P' (sc_bpf_rewrite_notify):
 * every RET whose action the monitor can reproduce exactly (ERRNO; in
 * complain mode every refusal) becomes RET USER_NOTIF, every other RET is
 * left as it was, so allowed calls run through the same instructions and
 * never leave the kernel.  The monitor receives a seccomp_notif, whose
 * data is the seccomp_data P' ran on, runs the original P on it in the
 * simulator to learn the exact verdict, reports it and answers with the
 * verdict's errno (or lets the call through in complain mode).
 *
 * What a monitor cannot reproduce -- a kill or a SIGSYS trap, whose
 * siginfo only the kernel can forge -- stays in the kernel and is read
 * back from the kernel's audit records (type 1326, from the audit
 * multicast group, else /dev/kmsg), matched to the sandbox's processes
 * through the proc connector's fork events.
 */

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/profile.h"
#include "seclude/rewrite.h"
#include "seclude/sandbox.h"
#include "seclude/update.h"

/* ---- one denial --------------------------------------------------------- */

enum sc_denial_source {
	SC_SOURCE_NOTIFY,     /* the monitor saw the call and answered it */
	SC_SOURCE_AUDIT,      /* the kernel's audit record of a kill or trap */
	SC_SOURCE_EXIT,       /* a process ended by SIGSYS with no record to name the call */
};

struct sc_denial {
	struct timespec when;         /* CLOCK_REALTIME */
	enum sc_denial_source source;
	pid_t pid, tid;               /* as the sandbox sees them (0: unknown) */
	pid_t host_pid, host_tid;
	char comm[17];
	uint32_t arch;                /* AUDIT_ARCH_* */
	int nr;                       /* -1: unknown (SC_SOURCE_EXIT) */
	char syscall[48];             /* "fchmodat", or "syscall 1234" */
	uint64_t args[6];
	bool has_args;
	char args_text[1024];         /* "AT_FDCWD, \"/\", 0777" */
	uint32_t ret;                 /* the original verdict: SECCOMP_RET_* | data */
	bool complain;                /* the call was let through */
	char rule[64];                /* "syscalls[7]", "defaultAction", ... */
	char where[256];              /* "profile.json:12:5", or "" */
	char note[128];               /* why something is unknown */
};

/* "x86_64", "x32" (an x86-64 number with bit 30), "i386", "aarch64", ... */
const char *sc_denial_arch_name(uint32_t arch, int nr);

/* "errno 1 (EPERM)", "kill process (SIGSYS)", "trap (SIGSYS)", ... */
void sc_denial_result(uint32_t ret, char *buf, size_t len);

/* One line for a terminal (no newline); JSON object text (one line). */
void sc_denial_format_text(const struct sc_denial *d, char *buf, size_t len);
char *sc_denial_format_json(const struct sc_denial *d);

/*
 * Which part of the profile decided ret for data, as explain tells it
 * (a rule, the default action, the ENOSYS stub, the architecture check).
 * Without the arguments (an audit record), the rule for the name whose
 * action is ret.
 */
void sc_denial_attribute(const struct sc_policy *pol, const struct sc_bpf *prog,
			 const struct seccomp_data *data, bool has_args, uint32_t ret,
			 char *rule, size_t rule_len, char *where, size_t where_len);

/* ---- argument decoding (lib/denials/decode.c) --------------------------- */

/*
 * Read what a process passes by pointer: reads len bytes at addr from
 * /proc/TID/mem.  Returns bytes read or a negative errno.
 */
ssize_t sc_read_tracee(pid_t tid, uint64_t addr, void *buf, size_t len);

/*
 * Decode the arguments of a call into text: paths (read through
 * read_path, which may be NULL to leave them as addresses), open flags,
 * modes, socket families and types, clone and unshare flags, ioctl
 * requests, fcntl commands, socket options, ...; other arguments in hex.
 */
typedef int (*sc_read_path_fn)(void *ud, uint64_t addr, char *buf, size_t len);
void sc_decode_args(uint32_t arch, const char *syscall, const uint64_t args[6],
		    sc_read_path_fn read_path, void *ud, char *buf, size_t len);

/*
 * The names of what ioctl, fcntl, setsockopt and getsockopt multiplex on,
 * for an AUDIT_ARCH (lib/sandbox/decode_requests.c); NULL when unknown
 * there.  A socket option's name depends on its level.
 */
const char *sc_ioctl_name(uint32_t arch, uint32_t request);
/* The name, else the _IOC fields (as strace shows them), else the number. */
void sc_ioctl_text(uint32_t arch, uint32_t request, char *buf, size_t len);
const char *sc_fcntl_name(uint32_t arch, uint32_t cmd);
const char *sc_sockopt_level_name(uint32_t arch, uint32_t level);
const char *sc_sockopt_name(uint32_t arch, uint32_t level, uint32_t opt);

/* The name of a syscall on an AUDIT_ARCH ("syscall N" when unknown). */
void sc_syscall_name(uint32_t arch, int nr, char *buf, size_t len);

/* ---- the kernel's audit records (lib/denials/kmsg.c) -------------------- */

/* A type=1326 (AUDIT_SECCOMP) record. */
struct sc_audit_seccomp {
	uint64_t usec;                /* kmsg timestamp: microseconds since boot (0 from netlink) */
	pid_t pid;                    /* host tgid */
	uid_t uid;
	char comm[17];
	char exe[256];
	int sig;
	uint32_t arch;
	int nr;
	bool compat;
	uint64_t ip;
	uint32_t code;                /* the action: SECCOMP_RET_* | data */
};

/*
 * Parse one /dev/kmsg record ("6,1234,5678,-;audit: type=1326 ...").
 * 1 when it is a seccomp record, 0 when it is something else, negative on
 * a malformed seccomp record.
 */
int sc_kmsg_parse_seccomp(const char *rec, size_t len, struct sc_audit_seccomp *out);
/* The text of an AUDIT_SECCOMP netlink message ("audit(T:S): auid=..."). */
int sc_audit_parse_seccomp(const char *text, size_t len, struct sc_audit_seccomp *out);

/* ---- the monitor (lib/denials/monitor.c) ------------------------------- */

struct sc_monitor_opts {
	const struct sc_bpf *prog;        /* the original P */
	const struct sc_policy *policy;   /* for attribution; NULL: none */
	enum sc_denial_mode mode;
	bool decode_args;                 /* read paths from the process's memory */
	/*
	 * P' notifies kills and traps too (sc_bpf_rewrite_notify_kills): the
	 * monitor names the call, then ends the process as the kernel would
	 * have, with SIGSYS (SIGKILL when the process catches, ignores or
	 * blocks SIGSYS, which a kill disregards, or is the first of its pid
	 * namespace); a trap the process catches gets ENOSYS and a SIGSYS
	 * whose siginfo is a user's (si_code SI_TKILL), the kernel's alone
	 * being able to say SYS_SECCOMP.  A thread kill in a process of more
	 * than one thread holds that thread instead (no signal ends one
	 * thread alone): it never runs again, and goes with its process.
	 */
	bool kills;
	/* Called from the monitor's thread, in order, one denial at a time. */
	void (*report)(void *ud, const struct sc_denial *d);
	void *ud;
};

struct sc_monitor;

int sc_monitor_new(const struct sc_monitor_opts *o, struct sc_monitor **out,
		      struct sc_error *err);

/*
 * The sandbox hooks: child_created starts following the tree (proc
 * connector, /dev/kmsg) before the child runs anything; listener starts
 * the thread that answers.  Both are installed into h, other hooks kept.
 */
void sc_monitor_hooks(struct sc_monitor *s, struct sc_sandbox_hooks *h);

/* The same, for callers that start processes themselves. */
int sc_monitor_follow(struct sc_monitor *s, pid_t pid, struct sc_error *err);
int sc_monitor_listen(struct sc_monitor *s, int listener_fd, struct sc_error *err);

/*
 * The sandbox ended with exit_code (128+N for signal N): read what the
 * kernel still holds, stop the thread.  A SIGSYS death nothing explains
 * is reported as such.
 */
int sc_monitor_finish(struct sc_monitor *s, int exit_code, struct sc_error *err);

/*
 * The run's status as the kernel would have made it: the sandbox's first
 * process, which only SIGKILL ends from outside, ended by SIGKILL in place
 * of a kill's SIGSYS (opts.kills) is 128+SIGSYS.
 */
int sc_monitor_exit_code(const struct sc_monitor *s, int exit_code);

/* Whether audit records could be read (kills and traps named). */
bool sc_monitor_audit_readable(const struct sc_monitor *s, char *why, size_t len);

/* Distinct (arch, syscall, result) with their counts, first seen first. */
const struct sc_denial_count *sc_monitor_counts(const struct sc_monitor *s, size_t *n);

void sc_monitor_free(struct sc_monitor *s);

#endif
