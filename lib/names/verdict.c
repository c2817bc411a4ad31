/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A filter's verdict (SECCOMP_RET_*) in words, from one table: upper case
 * as explain, diff and disasm print it ("ERRNO 1 (EPERM)"), a phrase as a
 * denial report prints it ("errno 1 (EPERM)"), and one word for JSON.
 * The kernel treats an action it does not know as KILL_PROCESS, and caps
 * an errno at MAX_ERRNO; the words do the same.
 */
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "seclude/names.h"
#include "seclude/util.h"

#define MAX_ERRNO 4095

static const struct verdict {
	uint32_t action;
	const char *upper, *text, *word;
} verdicts[] = {
	/* first: what an unknown action means */
	{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS", "kill process (SIGSYS)", "kill_process" },
	{ SECCOMP_RET_KILL_THREAD, "KILL_THREAD", "kill thread (SIGSYS)", "kill_thread" },
	{ SECCOMP_RET_TRAP, "TRAP", "trap (SIGSYS)", "trap" },
	{ SECCOMP_RET_ERRNO, "ERRNO", "errno", "errno" },
	{ SECCOMP_RET_USER_NOTIF, "NOTIFY", "notify", "notify" },
	{ SECCOMP_RET_TRACE, "TRACE", "trace", "trace" },
	{ SECCOMP_RET_LOG, "LOG", "log", "log" },
	{ SECCOMP_RET_ALLOW, "ALLOW", "allow", "allow" },
};

static const struct verdict *verdict_of(uint32_t ret)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(verdicts); i++)
		if (verdicts[i].action == (ret & SECCOMP_RET_ACTION_FULL))
			return &verdicts[i];
	return &verdicts[0];
}

const char *sc_errno_name(int e)
{
	return e > 0 ? strerrorname_np(e) : NULL;
}

const char *sc_verdict_word(uint32_t ret)
{
	return verdict_of(ret)->word;
}

void sc_verdict_describe(uint32_t ret, enum sc_verdict_style style, char *buf, size_t len)
{
	const struct verdict *v = verdict_of(ret);
	const char *w = style == SC_VERDICT_UPPER ? v->upper : v->text;
	uint32_t data = ret & SECCOMP_RET_DATA;
	switch (v->action) {
	case SECCOMP_RET_ERRNO: {
		if (data > MAX_ERRNO)
			data = MAX_ERRNO;
		const char *name = sc_errno_name((int)data);
		if (name)
			snprintf(buf, len, "%s %u (%s)", w, data, name);
		else
			snprintf(buf, len, "%s %u", w, data);
		return;
	}
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "%s %u", w, data);
		return;
	default:
		snprintf(buf, len, "%s", w);
	}
}
