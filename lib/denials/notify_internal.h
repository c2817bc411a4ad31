/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pieces of the monitor shared between its files. */
#ifndef SECLUDE_NOTIFY_INTERNAL_H
#define SECLUDE_NOTIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/error.h"
#include "seclude/notify.h"

/* The kernel caps an ERRNO verdict's data at MAX_ERRNO. */
#define SC_MAX_ERRNO 4095

/* /dev/kmsg, opened non-blocking at its end: a negative errno or the fd. */
int sc_kmsg_open(struct sc_error *err);
/* The next seccomp record: 1, or 0 when none is pending, or negative. */
int sc_kmsg_read(int fd, struct sc_audit_seccomp *out, bool *lost);
/* The audit netlink multicast group, non-blocking: the fd or a negative errno. */
int sc_audit_open(struct sc_error *err);
int sc_audit_read(int fd, struct sc_audit_seccomp *out, bool *lost);

/*
 * The sandbox's processes, followed through the proc connector's fork
 * and exit events: which host tgids belong to it, what pid each has
 * inside, and which ended by a signal.
 */
struct sc_proc {
	pid_t tgid;           /* host */
	pid_t nspid;          /* inside the sandbox's pid namespace; 0 unknown */
	int exit_signal;      /* the signal that ended it; 0 while alive or after exit() */
	bool exited;
	bool explained;       /* a record named the call that killed it */
	char comm[17];
};

struct sc_proctrack {
	int nl;               /* the connector socket, -1 when not available */
	bool lost;            /* the socket overflowed: membership may be incomplete */
	struct sc_proc *v;
	size_t n, cap;
	unsigned long pidns;  /* inode of the sandbox's pid namespace, for the fallback */
};

int sc_proctrack_open(struct sc_proctrack *t, pid_t root, struct sc_error *err);
/* Read every pending event. */
void sc_proctrack_drain(struct sc_proctrack *t);
/* The entry for a host tgid, if it belongs to the sandbox. */
struct sc_proc *sc_proctrack_find(struct sc_proctrack *t, pid_t tgid);
/* Membership when the connector is not there: the pid namespace. */
bool sc_proctrack_member(struct sc_proctrack *t, pid_t tgid);
void sc_proctrack_close(struct sc_proctrack *t);

/* Host tid -> tgid, and both as the sandbox sees them, from /proc/TID/status. */
int sc_proc_ids(pid_t tid, pid_t *tgid, pid_t *ns_tid, pid_t *ns_tgid);

#endif
