/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names a profile is written in: actions, operators and flags.  The
 * architecture names are lib/names/arch.c.
 */
#include <errno.h>
#include <seccomp.h>
#include <string.h>

#include "seclude/profile.h"
#include "seclude/util.h"


static const struct {
	const char *name;
	enum sc_action action;
} action_names[] = {
	{ "SCMP_ACT_KILL", SC_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SC_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SC_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SC_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SC_ACT_ERRNO },
	{ "SCMP_ACT_TRACE", SC_ACT_TRACE },
	{ "SCMP_ACT_LOG", SC_ACT_LOG },
	{ "SCMP_ACT_ALLOW", SC_ACT_ALLOW },
	{ "SCMP_ACT_NOTIFY", SC_ACT_NOTIFY },
};

const char *sc_action_name(enum sc_action a)
{
	switch (a) {
	case SC_ACT_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
	case SC_ACT_KILL_PROCESS: return "SCMP_ACT_KILL_PROCESS";
	case SC_ACT_TRAP: return "SCMP_ACT_TRAP";
	case SC_ACT_ERRNO: return "SCMP_ACT_ERRNO";
	case SC_ACT_TRACE: return "SCMP_ACT_TRACE";
	case SC_ACT_LOG: return "SCMP_ACT_LOG";
	case SC_ACT_ALLOW: return "SCMP_ACT_ALLOW";
	case SC_ACT_NOTIFY: return "SCMP_ACT_NOTIFY";
	}
	return "SCMP_ACT_?";
}

int sc_action_from_name(const char *s, enum sc_action *out)
{
	/* Exact spelling, as runc and crun compare them. */
	for (size_t i = 0; s && i < SC_ARRAY_SIZE(action_names); i++)
		if (strcmp(s, action_names[i].name) == 0) {
			*out = action_names[i].action;
			return 0;
		}
	return -EINVAL;
}

static const char *const op_names[] = {
	[SC_OP_NE] = "SCMP_CMP_NE",
	[SC_OP_LT] = "SCMP_CMP_LT",
	[SC_OP_LE] = "SCMP_CMP_LE",
	[SC_OP_EQ] = "SCMP_CMP_EQ",
	[SC_OP_GE] = "SCMP_CMP_GE",
	[SC_OP_GT] = "SCMP_CMP_GT",
	[SC_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *sc_op_name(enum sc_op op)
{
	if ((unsigned)op < SC_ARRAY_SIZE(op_names) && op_names[op])
		return op_names[op];
	return "SCMP_CMP_?";
}

int sc_op_from_name(const char *s, enum sc_op *out)
{
	for (unsigned i = SC_OP_NE; s && i <= SC_OP_MASKED_EQ; i++)
		if (strcmp(s, op_names[i]) == 0) {
			*out = (enum sc_op)i;
			return 0;
		}
	return -EINVAL;
}

static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SC_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SC_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SC_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SC_FLAG_WAIT_KILLABLE_RECV },
};

int sc_flag_from_name(const char *s, unsigned *out)
{
	for (size_t i = 0; s && i < SC_ARRAY_SIZE(flag_names); i++)
		if (strcmp(s, flag_names[i].name) == 0) {
			*out = flag_names[i].flag;
			return 0;
		}
	return -EINVAL;
}

const char *sc_flag_name(unsigned flag)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(flag_names); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}
