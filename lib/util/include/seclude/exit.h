/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exit codes, as Docker and a shell use them: seclude's own failure is
 * 125, a command that was found but cannot be executed 126, one that was
 * not found 127, and a command killed by signal N ends as 128+N (so a
 * seccomp kill, SIGSYS, is 159).  The launcher, --init and the CLI all
 * speak these; nothing else spells the numbers.
 */
#ifndef SECLUDE_EXIT_H
#define SECLUDE_EXIT_H

#define SC_EXIT_SECLUDE 125      /* seclude's own error, or a failed setup */
#define SC_EXIT_CANNOT_EXEC 126  /* the command was found but cannot be executed */
#define SC_EXIT_NOT_FOUND 127    /* the command was not found */
#define SC_EXIT_SIGNAL_BASE 128  /* killed by signal N: 128 + N */

/* A wait status as a shell reports it: the exit code, or 128+signal. */
int sc_exit_code_from_status(int wstatus);

#endif
