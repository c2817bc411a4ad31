/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude's pid 1 for --init, what Docker's --init (tini) does: every
 * signal it receives goes to the command, every orphan that ends in the
 * sandbox is reaped, and it exits with the command's status once the
 * command ends (the pid namespace then takes everything else down).
 * It runs under the same filter as the command, so it makes only a few
 * system calls: capset (once, to drop to its final capabilities), then
 * rt_sigtimedwait, wait4, kill and exit_group.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/exit.h"

int sc_init_loop(pid_t child)
{
	sigset_t all;
	sigfillset(&all);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		int st;
		pid_t p;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			if (p == child)
				return sc_exit_code_from_status(st);
		if (p < 0 && errno == ECHILD)
			return SC_EXIT_SECLUDE;
	}
}
