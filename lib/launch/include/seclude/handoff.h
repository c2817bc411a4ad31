/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_HANDOFF_H
#define SECLUDE_HANDOFF_H

/*
 * The one child -> parent failure channel of every process seclude starts
 * into a sandbox (run's child, --init's command, exec's helper): memory
 * shared (MAP_SHARED | MAP_ANONYMOUS) before the clone or fork.  The child
 * reports why it failed without a system call, so it can still report
 * after its seccomp filter forbids write(2); the parent reads it once the
 * child has ended (or while it waits for it: exit_code is stored last).
 * Error type and exit codes as everywhere: a negative errno, one
 * sentence, 125 (setup failed), 126 (cannot execute), 127 (not found).
 */

#include "seclude/error.h"

struct sc_handoff {
	int exit_code;    /* 0, or what the failure exits with; stored last */
	int code;         /* negative errno */
	char msg[sizeof(((struct sc_error *)0)->msg)];
};

/* The child: record the failure (no system call). */
void sc_handoff_fail(struct sc_handoff *h, int exit_code, const struct sc_error *err);
/* The parent: 0 when nothing failed, else the exit code, with err filled (suffix appended). */
int sc_handoff_failed(const struct sc_handoff *h, const char *suffix, struct sc_error *err);

/* A shared mapping of size bytes (at least sizeof(struct sc_handoff)) for one start, zeroed. */
void *sc_handoff_map(size_t size, struct sc_error *err);
void sc_handoff_unmap(void *p, size_t size);

#endif
