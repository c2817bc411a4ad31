/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude learn's options: learn's own taken, run's copied into the argv handed to run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "learn_args.h"
#include "run.h"
#include "seclude/learn_for.h"
#include "seclude/util.h"

enum {
	OPT_RECORDER = CLI_OPT_FIRST_FREE + 0x80,
	OPT_MERGE, OPT_COUNTS, OPT_ARGS, OPT_DEFAULT_ERRNO, OPT_FROM_STRACE, OPT_HELP,
	OPT_FOR, OPT_FOR_NNP, OPT_FOR_USER, OPT_FOR_INIT, OPT_MINIMAL,
};

static const struct option learn_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "recorder", required_argument, NULL, OPT_RECORDER },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "counts", no_argument, NULL, OPT_COUNTS },
	{ "args", required_argument, NULL, OPT_ARGS },
	{ "default-errno", required_argument, NULL, OPT_DEFAULT_ERRNO },
	{ "from-strace", required_argument, NULL, OPT_FROM_STRACE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "for", required_argument, NULL, OPT_FOR },
	{ "for-nnp", required_argument, NULL, OPT_FOR_NNP },
	{ "for-user", required_argument, NULL, OPT_FOR_USER },
	{ "for-init", no_argument, NULL, OPT_FOR_INIT },
	{ "minimal", no_argument, NULL, OPT_MINIMAL },
};

/*
 * One pass with learn's options and run's together: learn's are taken,
 * run's are copied (with their values) into the argv handed to run.
 */
int learn_parse_args(int argc, char **argv, struct learn_opts *o)
{
	size_t n_run = 0, n_learn = SC_ARRAY_SIZE(learn_longopts), n_all = n_learn;
	while (cli_run_longopts[n_run].name)
		n_run++;
	_cleanup_free_ struct option *all = calloc(n_run + n_learn + 1, sizeof(*all));
	o->run_argv = calloc((size_t)argc + 2, sizeof(char *));
	if (!all || !o->run_argv)
		return cli_failf("out of memory");
	/* learn's first: its --help wins over run's */
	memcpy(all, learn_longopts, n_learn * sizeof(*all));
	for (size_t i = 0; i < n_run; i++) {
		bool dup = false;
		for (size_t j = 0; j < n_learn; j++)
			dup |= !strcmp(cli_run_longopts[i].name, learn_longopts[j].name);
		if (!dup)
			all[n_all++] = cli_run_longopts[i];
	}
	char shortopts[64];
	snprintf(shortopts, sizeof(shortopts), "%so:", CLI_RUN_SHORTOPTS);

	o->run_argv[o->run_argc++] = argv[0];
	optind = 1;
	opterr = 0;
	int opt, r;
	bool for_given = false;
	struct sc_error err = {0};
	for (;;) {
		int before = optind;
		opt = getopt_long(argc, argv, shortopts, all, NULL);
		if (opt == -1)
			break;
		switch (opt) {
		case 'o': o->q.output = optarg; continue;
		case OPT_HELP: learn_usage(); return -1;
		case OPT_RECORDER:
			if (sc_learn_recorder_parse(optarg, &o->q.recorder) < 0)
				return cli_usage_error("learn", "--recorder \"%s\": expected auto, ebpf, ptrace or notify", optarg);
			continue;
		case OPT_MERGE: o->q.merge = optarg; continue;
		case OPT_FOR:
			if (!sc_learn_for_known(optarg))
				return cli_usage_error("learn", "--for \"%s\": expected docker, runc, crun, podman, containerd, seclude or none", optarg);
			o->q.target.runtime = optarg;
			for_given = true;
			continue;
		case OPT_FOR_NNP:
			if (sc_learn_for_parse_nnp(optarg, &o->q.target.nnp) < 0)
				return cli_usage_error("learn", "--for-nnp \"%s\": expected yes, no or any", optarg);
			continue;
		case OPT_FOR_USER:
			if (sc_learn_for_parse_user(optarg, &o->q.target.user) < 0)
				return cli_usage_error("learn", "--for-user \"%s\": expected root, other or any", optarg);
			continue;
		case OPT_FOR_INIT: o->q.target.init = true; continue;
		case OPT_MINIMAL: o->q.minimal = true; continue;
		case OPT_COUNTS: o->q.counts = true; continue;
		case OPT_ARGS:
			r = sc_arg_specs_parse(&o->q.args, optarg, &err);
			if (r < 0)
				return cli_fail(&err);
			continue;
		case OPT_DEFAULT_ERRNO:
			if (sc_learn_errno_parse(optarg, &o->q.default_errno) < 0)
				return cli_usage_error("learn", "--default-errno \"%s\": expected EPERM, ENOSYS or a number 1..4095", optarg);
			o->q.has_errno = true;
			continue;
		case OPT_FROM_STRACE: {
			char **nv = realloc(o->logs, (o->n_logs + 1) * sizeof(*nv));
			if (!nv)
				return cli_failf("out of memory");
			o->logs = nv;
			o->logs[o->n_logs++] = optarg;
			continue;
		}
		case ':':
			return cli_usage_error("learn", "option \"%s\" needs a value", argv[optind - 1]);
		case '?':
			return cli_usage_error("learn", "unknown option \"%s\"", argv[optind - 1]);
		}
		/* one of run's: hand it over as it was written */
		if (!strncmp(argv[before], "--security-opt", 14) && optarg && !strncmp(optarg, "seccomp", 7))
			return cli_usage_error("learn", "--security-opt %s: the recorder takes the profile's place", optarg);
		for (int i = before; i < optind; i++)
			o->run_argv[o->run_argc++] = argv[i];
	}
	o->run_argv[o->run_argc++] = (char *)"--";
	o->cmd_index = o->run_argc;
	for (int i = optind; i < argc; i++)
		o->run_argv[o->run_argc++] = argv[i];
	o->run_argv[o->run_argc] = NULL;
	if (sc_learn_request_ready(&o->q, &err) < 0)
		return cli_fail(&err);
	if (o->n_logs && optind < argc)
		return cli_usage_error("learn", "--from-strace reads logs: give no command");
	/* --merge PROFILE --for RUNTIME alone: the same profile made for another runtime */
	o->retarget = o->q.merge && for_given && !o->n_logs && optind >= argc;
	if (!o->n_logs && optind >= argc && !o->retarget)
		return cli_usage_error("learn", "no command given");
	return 0;
}

