/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude learn: run a command as `seclude run` would, with the profile
 * replaced by a recorder, and write the smallest profile that lets it do
 * what it did.  Or read the same out of strace logs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "learn_args.h"
#include "run.h"
#include "seclude/learn_session.h"
#include "seclude/util.h"

void learn_usage(void)
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

/* run's sandbox, recorded */
static int record(void *ud, struct sc_sandbox_config *c)
{
	struct learn_opts *o = ud;
	struct sc_error err = {0};
	int code;
	o->ran = true;
	if (sc_learn_record_run(c, &o->q, o->rec, stderr, &code, &err) < 0) {
		cli_fail(&err);
		return -code;    /* no profile then */
	}
	return code;
}

static int write_profile(const struct learn_opts *o, const char *command)
{
	struct sc_error err = {0};
	_cleanup_free_ char *json = NULL;
	struct sc_learn_summary sum = {0};
	struct sc_diags diags = {0};
	int r = sc_learn_profile_make(&o->q, o->rec, command, &json, &sum, &diags, &err);
	cli_print_diags(&diags);
	sc_diags_free(&diags);
	if (r >= 0)
		r = sc_learn_profile_save(&o->q, o->rec, json, &sum, stderr, &err);
	sc_learn_summary_free(&sum);
	return r < 0 ? cli_fail(&err) : 0;
}

int cmd_learn(int argc, char **argv)
{
	struct learn_opts o = {0};
	int r = learn_parse_args(argc, argv, &o);
	if (r == 0 && !(o.rec = sc_record_new()))
		r = cli_failf("out of memory");
	int code = 0;
	_cleanup_free_ char *command = NULL;
	struct sc_error err = {0};
	if (r != 0) {
		learn_opts_free(&o);
		return r < 0 ? 0 : r;
	}
	if (o.retarget) {
		if (asprintf(&command, "(nothing run: --merge %s --for %s)", o.q.merge, o.q.target.runtime) < 0)
			command = NULL;
	} else if (o.n_logs) {
		struct sc_diags diags = {0};
		r = sc_learn_strace_logs(o.logs, o.n_logs, o.rec, &command, &diags, &err);
		cli_print_diags(&diags);
		sc_diags_free(&diags);
		if (r < 0)
			r = cli_fail(&err);
	} else {
		const struct cli_run_override ov = { .command = "learn", .run = record, .ud = &o };
		code = cli_run_with(o.run_argc, o.run_argv, &ov);
		if (code < 0)
			r = -code;       /* never ran: its error is printed, no profile */
		else if (!o.ran) {
			learn_opts_free(&o);
			return code;     /* run's options refused (or its --help): nothing recorded, no profile */
		}
		command = sc_strv_shell_quote(o.run_argv + o.cmd_index);
	}
	if (!r && !command)
		r = cli_failf("out of memory");
	if (!r)
		r = write_profile(&o, command);
	learn_opts_free(&o);
	return r ? r : code;
}
