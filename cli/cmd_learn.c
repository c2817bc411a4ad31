/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude learn: run a command as `seclude run` would, with the profile
 * replaced by a recorder, and write the smallest profile that lets it do
 * what it did.  Or read the same out of strace logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "run.h"
#include "seclude/learn.h"
#include "seclude/learn_for.h"
#include "seclude/learn_session.h"
#include "seclude/names.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

static void usage(void)
{
	fputs("Usage: seclude learn [OPTIONS] [RUN OPTIONS] [-o PROFILE.json] [--] COMMAND [ARG...]\n"
	      "       seclude learn --from-strace LOG [--from-strace LOG...] [OPTIONS] [-o PROFILE.json]\n"
	      "       seclude learn --merge PROFILE.json --for RUNTIME [-o PROFILE.json]\n"
	      "\n"
	      "Run COMMAND confined as 'seclude run' would confine it (same namespaces,\n"
	      "capabilities, root filesystem and options), with the seccomp profile\n"
	      "replaced by a recorder, and write a Docker seccomp profile that allows\n"
	      "exactly the system calls its whole process tree made: every thread, fork\n"
	      "and exec, per architecture.  Recording starts where run loads the profile,\n"
	      "right before the command's execve.  exit, exit_group, rt_sigreturn and\n"
	      "restart_syscall are added even when not seen: every process needs them\n"
	      "to end (with --minimal, exit and exit_group only).\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output FILE      write the profile to FILE (default: standard output)\n"
	      "      --recorder auto|ebpf|ptrace|notify\n"
	      "                         ebpf: counts in the kernel, near full speed (needs BTF);\n"
	      "                         ptrace: one stop per call; auto (default): ebpf when\n"
	      "                         it can load, else ptrace (always for a user who is\n"
	      "                         not root: ebpf needs root's privileges); notify:\n"
	      "                         a seccomp listener in seclude answers every call\n"
	      "      --merge FILE       add what was seen to the profile in FILE, keeping its\n"
	      "                         other rules; a call it gives another action keeps it\n"
	      "      --counts           how often each call was made: a table on standard\n"
	      "                         error and a line in the profile's comment\n"
	      "      --args SYSCALL[,SYSCALL...]\n"
	      "                         record argument values and allow only those: socket\n"
	      "                         (family), personality, clone (flags), prctl (option),\n"
	      "                         ioctl (request), or NAME:INDEX for any other\n"
	      "      --default-errno ERRNO\n"
	      "                         what a call outside the profile returns: EPERM\n"
	      "                         (default), ENOSYS (lets libc fall back), or a number\n"
	      "      --from-strace LOG  read an 'strace -f' or 'strace -ff -o LOG' log (or\n"
	      "                         an 'strace -c' table) instead of running anything\n"
	      "      --for RUNTIME      where the profile will be used: docker (default),\n"
	      "                         runc, crun, podman, containerd, seclude or none.  A\n"
	      "                         runtime loads the filter before it is done and makes\n"
	      "                         calls of its own under it before the command's\n"
	      "                         execve; those calls (measured on the runtime, see\n"
	      "                         'seclude check --for') are added, each with why.\n"
	      "                         With --merge and no command: the profile made for\n"
	      "                         RUNTIME, nothing run\n"
	      "      --for-nnp yes|no|any\n"
	      "                         the container runs with no-new-privileges or not\n"
	      "                         (default any: both work)\n"
	      "      --for-user root|other|any\n"
	      "                         the container runs as root or another user (any)\n"
	      "      --for-init         the container also runs with an init (docker --init)\n"
	      "      --minimal          leave out the calls any program can make at any\n"
	      "                         moment that a short run can miss (a contended futex,\n"
	      "                         sched_yield, nanosleep, clock_nanosleep, madvise,\n"
	      "                         rt_sigreturn, restart_syscall), added by default\n"
	      "      --help             show this help\n"
	      "\n"
	      "RUN OPTIONS: every option of 'seclude run' (see 'seclude run --help'),\n"
	      "except --security-opt seccomp (the recorder is the profile), the\n"
	      "resource limits and --name, -d.\n"
	      "\n"
	      "While it runs on a terminal, learn shows the calls seen so far.  Stop a\n"
	      "server the way it stops (SIGINT, SIGTERM and SIGHUP are passed on); the\n"
	      "profile is written when the last process of the tree has ended.\n"
	      "\n"
	      "Exit status: the command's, as for run (the profile is written whatever\n"
	      "it is); 125 when seclude failed, 126 or 127 when the command could not be\n"
	      "executed or was not found (no profile is written then).\n", stdout);
}

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

struct learn_opts {
	const char *output;
	enum sc_learn_recorder recorder;
	const char *merge;
	bool counts;
	struct sc_arg_specs args;
	bool has_errno;
	uint32_t default_errno;
	char **logs;
	size_t n_logs;
	struct sc_learn_for target;   /* --for and its case */
	bool minimal;
	bool retarget;               /* --merge and --for, nothing run or read */
	struct sc_learn_extras runtime_calls, any_moment;
	const char *for_version;
	char **run_argv;     /* "learn", run's options, "--", the command */
	int run_argc;
	int cmd_index;       /* where the command starts in run_argv */
};

static void learn_opts_free(struct learn_opts *o)
{
	sc_arg_specs_free(&o->args);
	sc_learn_extras_free(&o->runtime_calls);
	sc_learn_extras_free(&o->any_moment);
	free(o->logs);
	free(o->run_argv);
}

/*
 * One pass with learn's options and run's together: learn's are taken,
 * run's are copied (with their values) into the argv handed to run.
 */
static int parse_args(int argc, char **argv, struct learn_opts *o)
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
		case 'o': o->output = optarg; continue;
		case OPT_HELP: usage(); return -1;
		case OPT_RECORDER:
			if (sc_learn_recorder_parse(optarg, &o->recorder) < 0)
				return cli_usage_error("learn", "--recorder \"%s\": expected auto, ebpf, ptrace or notify", optarg);
			continue;
		case OPT_MERGE: o->merge = optarg; continue;
		case OPT_FOR:
			if (!sc_learn_for_known(optarg))
				return cli_usage_error("learn", "--for \"%s\": expected docker, runc, crun, podman, containerd, seclude or none", optarg);
			o->target.runtime = optarg;
			for_given = true;
			continue;
		case OPT_FOR_NNP:
			if (sc_learn_for_parse_nnp(optarg, &o->target.nnp) < 0)
				return cli_usage_error("learn", "--for-nnp \"%s\": expected yes, no or any", optarg);
			continue;
		case OPT_FOR_USER:
			if (sc_learn_for_parse_user(optarg, &o->target.user) < 0)
				return cli_usage_error("learn", "--for-user \"%s\": expected root, other or any", optarg);
			continue;
		case OPT_FOR_INIT: o->target.init = true; continue;
		case OPT_MINIMAL: o->minimal = true; continue;
		case OPT_COUNTS: o->counts = true; continue;
		case OPT_ARGS:
			r = sc_arg_specs_parse(&o->args, optarg, &err);
			if (r < 0)
				return cli_fail(&err);
			continue;
		case OPT_DEFAULT_ERRNO:
			if (sc_learn_errno_parse(optarg, &o->default_errno) < 0)
				return cli_usage_error("learn", "--default-errno \"%s\": expected EPERM, ENOSYS or a number 1..4095", optarg);
			o->has_errno = true;
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
	if (!o->has_errno)
		o->default_errno = EPERM;
	if (!o->target.runtime)
		o->target.runtime = SC_LEARN_FOR_DEFAULT;
	/* the runtime's set is read now: a case never measured fails before anything runs */
	if (sc_learn_for_calls(&o->target, &o->runtime_calls, &o->for_version, &err) < 0)
		return cli_fail(&err);
	if (!o->minimal && sc_learn_any_moment_calls(&o->any_moment, &err) < 0)
		return cli_fail(&err);
	if (o->n_logs && optind < argc)
		return cli_usage_error("learn", "--from-strace reads logs: give no command");
	/* --merge PROFILE --for RUNTIME alone: the same profile made for another runtime */
	o->retarget = o->merge && for_given && !o->n_logs && optind >= argc;
	if (!o->n_logs && optind >= argc && !o->retarget)
		return cli_usage_error("learn", "no command given");
	return 0;
}

/* --- recording ----------------------------------------------------------- */

static int record_command(struct learn_opts *o, struct sc_record *rec, int *exit_code)
{
	struct sc_learn_tty x = { .out = stderr };
	bool show_progress = isatty(STDERR_FILENO);
	const struct sc_learn_progress progress = sc_learn_tty_progress(&x);
	const struct sc_learn_session_opts so = {
		.recorder = o->recorder, .args = &o->args, .rec = rec,
		.progress = show_progress ? &progress : NULL, .fallback = sc_learn_tty_fallback,
	};
	struct sc_learn_plug plug;
	struct sc_error err = {0};
	if (sc_learn_begin(&so, &x.session, &plug, &err) < 0)
		return cli_fail(&err);
	struct cli_run_override ov = {
		.command = "learn", .bpf = plug.bpf, .seccomp_flags = plug.seccomp_flags,
		.want_listener = plug.want_listener, .hooks = plug.hooks,
	};
	*exit_code = cli_run_with(o->run_argc, o->run_argv, &ov);
	int r = sc_learn_end(x.session, *exit_code >= 0, &err) < 0 ? cli_fail(&err) : 0;
	if (!r)
		sc_learn_tty_recorded(&x, rec, show_progress);
	else if (show_progress)
		fputs("\r\033[K", stderr);
	sc_learn_session_free(x.session);
	return r;
}

/* --- output -------------------------------------------------------------- */

static int write_profile(const struct learn_opts *o, const struct sc_record *rec, const char *command)
{
	struct sc_error err = {0};
	_cleanup_free_ char *merge_text = NULL;
	size_t merge_len = 0;
	if (o->merge && sc_read_user_file(o->merge, 16u << 20, &merge_text, &merge_len, &err) < 0)
		return cli_fail(&err);
	struct sc_learn_write_opts wo = {
		.command = command,
		.when = time(NULL),
		.has_errno = o->has_errno,
		.default_errno = o->default_errno,
		.counts = o->counts,
		.args = &o->args,
		.merge_text = merge_text,
		.merge_len = merge_len,
		.merge_origin = o->merge,
		.runtime_calls = &o->runtime_calls,
		.any_moment = o->minimal ? NULL : &o->any_moment,
		.learned_for = &o->target,
		.for_version = o->for_version,
		.minimal = o->minimal,
	};
	_cleanup_free_ char *json = NULL;
	struct sc_learn_summary sum = {0};
	struct sc_diags diags = {0};
	int r = sc_learn_write(rec, &wo, &json, &sum, &diags, &err);
	cli_print_diags(&diags);
	sc_diags_free(&diags);
	if (r < 0)
		return cli_fail(&err);
	sc_learn_summary_print(stderr, &sum, o->target.runtime, o->for_version);
	if (o->counts)
		sc_record_write_counts(stderr, rec);
	r = sc_write_output(o->output, json, &err) < 0 ? cli_fail(&err) : 0;
	if (!r && o->output && strcmp(o->output, "-"))
		sc_learn_wrote_print(stderr, o->output, &sum);
	sc_learn_summary_free(&sum);
	return r;
}

int cmd_learn(int argc, char **argv)
{
	struct learn_opts o = {0};
	int r = parse_args(argc, argv, &o);
	if (r != 0) {
		learn_opts_free(&o);
		return r < 0 ? 0 : r;
	}
	struct sc_record *rec = sc_record_new();
	if (!rec) {
		learn_opts_free(&o);
		return cli_failf("out of memory");
	}
	int code = 0;
	_cleanup_free_ char *command = NULL;
	if (o.retarget) {
		if (asprintf(&command, "(nothing run: --merge %s --for %s)", o.merge, o.target.runtime) < 0)
			command = NULL;
	} else if (o.n_logs) {
		struct sc_error err = {0};
		struct sc_diags diags = {0};
		r = sc_learn_strace_logs(o.logs, o.n_logs, rec, &command, &diags, &err);
		cli_print_diags(&diags);
		sc_diags_free(&diags);
		if (r < 0)
			r = cli_fail(&err);
	} else {
		r = record_command(&o, rec, &code);
		if (!r && code < 0)
			r = -code;       /* never ran: its error is printed, no profile */
		command = sc_strv_shell_quote(o.run_argv + o.cmd_index);
	}
	if (!r && !command)
		r = cli_failf("out of memory");
	if (!r)
		r = write_profile(&o, rec, command);
	sc_record_free(rec);
	learn_opts_free(&o);
	return r ? r : code;
}
