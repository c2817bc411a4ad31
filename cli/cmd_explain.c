/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude explain PROFILE SYSCALL [ARG...]: what the compiled filter does
 * with that call, from the simulator, and which part of the JSON made it so.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/explain.h"
#include "seclude/guard.h"
#include "seclude/profile.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u

enum {
	OPT_ARCH = CLI_OPT_FIRST_FREE,
};

static void usage(FILE *out)
{
	fputs("Usage: seclude explain [OPTIONS] PROFILE SYSCALL [ARG...]\n"
	      "\n"
	      "Say what a profile does with one system call: the profile is compiled as\n"
	      "Docker would load it and the program is run on the call in seclude's BPF\n"
	      "simulator, so the answer is the filter's own.  Then the rule of the JSON\n"
	      "that decided it is named (syscalls[N], the name, file:line:col), or the\n"
	      "default action, or the ENOSYS prologue for syscalls newer than the profile.\n"
	      "ioctl TIOCSTI and TIOCLINUX are refused in every sandbox by seclude's\n"
	      "terminal injection guard, whatever the profile: the verdict is then the\n"
	      "guard's, and what the profile alone gives follows it.\n"
	      "\n"
	      "The first line of output is the verdict alone: ALLOW, ERRNO 1 (EPERM),\n"
	      "KILL_PROCESS, KILL_THREAD, TRAP, TRACE N, LOG or NOTIFY.\n"
	      "\n"
	      "PROFILE is a file, '-' for standard input, or 'default' (built in).\n"
	      "SYSCALL is a name (chmod) or a number; ARG are up to six argument values,\n"
	      "decimal, 0x hex or negative (-1); missing ones are 0.\n"
	      "\n"
	      "Options:\n"
	      "      --arch ARCH        the ABI making the call: x86_64, i386 or x32 on an\n"
	      "                         x86_64 machine (default: the native one); an x32\n"
	      "                         number without bit 30 gets it\n"
	      CLI_PROFILE_HELP
	      "      --json             print the answer as JSON on stdout\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "The compiled program comes from the compile cache when it is there (see\n"
	      "'seclude compile --help'); SECLUDE_CACHE_DIR= (empty) turns it off.\n", out);
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	bool json = false;
	const char *arch_name = NULL;
	int opt;

	optind = 1;
	opterr = 0;
	/* no '+': options may follow the arguments; "--" ends them before a negative ARG */
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			cli_profile_opts_free(&po);
			return 0;
		case CLI_OPT_JSON: json = true; break;
		case OPT_ARCH: arch_name = optarg; break;
		default:
			cli_profile_opts_free(&po);
			return cli_bad_option("explain", argv);
		}
	}
	if (argc - optind < 2) {
		cli_profile_opts_free(&po);
		return cli_usage_error("explain", argc - optind < 1 ? "no profile given" : "no syscall given");
	}
	if (argc - optind > 8) {
		cli_profile_opts_free(&po);
		return cli_usage_error("explain", "a syscall has at most 6 arguments");
	}
	const char *path = argv[optind], *sys = argv[optind + 1];

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_diags diags = {0};
	struct sc_compiled_profile cp = {0};
	uint64_t args[6] = {0};
	int ret = SC_EXIT_SECLUDE;

	for (int i = optind + 2; i < argc; i++)
		if (sc_explain_parse_arg(argv[i], &args[i - optind - 2]) < 0) {
			sc_error_set(&err, -EINVAL, "explain: argument %d \"%s\" is not a number (decimal, 0x hex, or -N)",
				     i - optind - 2, argv[i]);
			goto out;
		}
	if (cli_target("explain", &po, NULL, &t, &err) < 0)
		goto out;
	uint32_t arch = t.arch;
	if (arch_name && !(arch = sc_arch_from_user_name(arch_name))) {
		sc_error_set(&err, -EINVAL, "explain: unknown architecture \"%s\" (x86_64, i386, x32, ...)", arch_name);
		goto out;
	}

	int nr;
	if (sc_explain_syscall(arch, sys, &nr, &err) < 0)
		goto out;

	/* the verdict is the cached program's; the policy beside it names the rule */
	if (sc_compiled_profile_load(path, po.strict, false, &t, &cp, &diags, &err) < 0)
		goto out;
	cli_print_profile_warnings(path, &diags);
	sc_diags_free(&diags);

	struct sc_explain x;
	if (sc_explain_call(cp.policy, &cp.bpf, arch, nr, args, &x, &err) < 0)
		goto out;
	if (json) {
		json_t *o = sc_explain_to_json(cp.policy, &cp.bpf, &x);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		sc_explain_write_text(stdout, cp.policy, &cp.bpf, &x);
	}
	ret = fflush(stdout) == 0 ? 0 : SC_EXIT_SECLUDE;
out:
	if (ret != 0) {
		cli_print_profile_warnings(path, &diags);
		cli_fail(&err);
	}
	sc_compiled_profile_free(&cp);
	sc_diags_free(&diags);
	cli_profile_opts_free(&po);
	return ret;
}
