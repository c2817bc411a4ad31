/* SPDX-License-Identifier: GPL-2.0-or-later */
/* learn's options, and run's that it hands on. */
#ifndef SECLUDE_CLI_LEARN_ARGS_H
#define SECLUDE_CLI_LEARN_ARGS_H

#include <stdbool.h>
#include <stdlib.h>

#include "seclude/learn_session.h"

struct learn_opts {
	struct sc_learn_request q;
	char **logs;         /* --from-strace */
	size_t n_logs;
	bool retarget;       /* --merge and --for, nothing run or read */
	char **run_argv;     /* "learn", run's options, "--", the command */
	int run_argc;
	int cmd_index;       /* where the command starts in run_argv */
	struct sc_record *rec;
	bool ran;            /* the recorded run started */
};

static inline void learn_opts_free(struct learn_opts *o)
{
	sc_learn_request_free(&o->q);
	free(o->logs);
	free(o->run_argv);
	sc_record_free(o->rec);
}

/* 0, -1 for --help (usage shown), or SC_EXIT_SECLUDE with the error printed. */
int learn_parse_args(int argc, char **argv, struct learn_opts *o);
void learn_usage(void);

#endif
