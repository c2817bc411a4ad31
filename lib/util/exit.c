/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/wait.h>

#include "seclude/exit.h"

int sc_exit_code_from_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return SC_EXIT_SIGNAL_BASE + WTERMSIG(wstatus);
	return SC_EXIT_SECLUDE;
}
