/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Signal names: one table, for what users type (kill -s, stop --signal) and what reports print. */
#include <ctype.h>
#include <signal.h>
#include <strings.h>

#include "seclude/names.h"
#include "seclude/util.h"

/* The first row of a number is its name (glibc's sigabbrev_np); later rows are spellings also read. */
static const struct { const char *name; int sig; } signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "POLL", SIGPOLL }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
	{ "IO", SIGIO }, { "IOT", SIGIOT },
};

const char *sc_signal_name(int sig)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

int sc_signal_parse(const char *s)
{
	if (!s || !*s)
		return -1;
	if (isdigit((unsigned char)*s)) {
		uint64_t v;
		if (sc_parse_u64(s, &v) < 0 || v == 0 || v > (uint64_t)SIGRTMAX)
			return -1;
		return (int)v;
	}
	const char *bare = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (size_t i = 0; i < SC_ARRAY_SIZE(signals); i++)
		if (strcasecmp(bare, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}
