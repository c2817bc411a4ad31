/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_OCI_CONSOLE_H
#define SECLUDE_OCI_CONSOLE_H

/*
 * The terminal of an attached exec with a terminal and no console socket
 * (CRI-O's `kubectl exec -it` through conmon): the process has a pty of
 * the container's devpts, whose master comes back to the caller over a
 * socket pair and is relayed to and from the caller's stdin and stdout.
 */

#include <sys/types.h>

#include "seclude/error.h"

/* One fd received in SCM_RIGHTS on sock. */
int sc_oci_recv_fd(int sock, struct sc_error *err);

/*
 * Relay stdin to master and master to stdout until the process pid (this
 * process's child) ends; the caller's terminal raw meanwhile when stdin is
 * one, its size passed on (first, and at SIGWINCH; rows/cols when stdin
 * has none); SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 passed to
 * the process.  *wstatus as waitpid gives it.
 */
int sc_oci_relay_pty(int master, pid_t pid, unsigned rows, unsigned cols, int *wstatus, struct sc_error *err);

#endif
