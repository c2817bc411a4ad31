/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude check PROFILE: validate a profile and lint it for one target. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "seclude/compile.h"
#include "seclude/learn_for.h"
#include "seclude/lint.h"
#include "seclude/profile.h"
#include "seclude/util.h"

enum {
	OPT_ARCH = CLI_OPT_FIRST_FREE,
	OPT_FOR, OPT_FOR_NNP, OPT_FOR_USER, OPT_FOR_INIT,
};

static void usage(FILE *out)
{
	fputs("Usage: seclude check [OPTIONS] PROFILE\n"
	      "\n"
	      "Validate a Docker or OCI seccomp profile and look for what it gets wrong:\n"
	      "32-bit entry points a deny-list misses, conditions on pointers, 32-bit\n"
	      "arguments compared as 64-bit, ptrace beside TRACE, an allow-list without\n"
	      "execve/exit/rt_sigreturn, clone3 denied with EPERM, conflicting rules and\n"
	      "rules that never match.  The profile is compiled too: what libseccomp\n"
	      "would refuse (an errno above 4094, say) makes it invalid, as it would\n"
	      "keep a container from starting.  Includes and excludes are settled for the\n"
	      "capability set, architecture and kernel given (default: Docker's default\n"
	      "capabilities on this machine).\n"
	      "\n"
	      "PROFILE is a file, '-' for standard input, or 'default' (built in).\n"
	      "\n"
	      "Options:\n"
	      CLI_PROFILE_HELP
	      "      --arch ARCH        check for another architecture (x86_64, aarch64, ...)\n"
	      "      --json             print the findings as JSON on stdout\n"
	      "      --for RUNTIME      can a container start under RUNTIME (docker, runc,\n"
	      "                         crun, podman, containerd, seclude) with this profile?\n"
	      "                         The calls the runtime makes under the filter before\n"
	      "                         the command's execve (measured, see 'seclude learn\n"
	      "                         --for') must be allowed: each one that is not is an\n"
	      "                         error [runtime-missing]; a profile learned for another\n"
	      "                         runtime or case is a warning [learned-for-other]\n"
	      "      --for-nnp yes|no|any, --for-user root|other|any, --for-init\n"
	      "                         the case to check (default any, any, no init)\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Each finding is printed as FILE:LINE:COL: LEVEL: PATH: MESSAGE [CODE].\n"
	      "Exit status: 0 when the profile is valid (warnings or not), 125 when it is\n"
	      "not, when a container cannot start under the --for runtime with it, or\n"
	      "the options are wrong.\n", out);
}

static void print_json(const char *profile, const struct sc_error *err, const struct sc_diags *d)
{
	json_t *o = sc_check_to_json(profile, err, d);
	json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "for", required_argument, NULL, OPT_FOR },
		{ "for-nnp", required_argument, NULL, OPT_FOR_NNP },
		{ "for-user", required_argument, NULL, OPT_FOR_USER },
		{ "for-init", no_argument, NULL, OPT_FOR_INIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	bool json = false;
	const char *arch = NULL;
	struct sc_learn_for target = {0};
	int opt, ret = SC_EXIT_SECLUDE;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			cli_profile_opts_free(&po);
			return 0;
		case CLI_OPT_JSON:
			json = true;
			break;
		case OPT_ARCH:
			arch = optarg;
			break;
		case OPT_FOR:
			if (!sc_learn_for_known(optarg) || !strcmp(optarg, "none")) {
				cli_profile_opts_free(&po);
				return cli_usage_error("check", "--for \"%s\": expected docker, runc, crun, podman, containerd or seclude", optarg);
			}
			target.runtime = optarg;
			break;
		case OPT_FOR_NNP:
			if (sc_learn_for_parse_nnp(optarg, &target.nnp) < 0) {
				cli_profile_opts_free(&po);
				return cli_usage_error("check", "--for-nnp \"%s\": expected yes, no or any", optarg);
			}
			break;
		case OPT_FOR_USER:
			if (sc_learn_for_parse_user(optarg, &target.user) < 0) {
				cli_profile_opts_free(&po);
				return cli_usage_error("check", "--for-user \"%s\": expected root, other or any", optarg);
			}
			break;
		case OPT_FOR_INIT:
			target.init = true;
			break;
		default:
			cli_profile_opts_free(&po);
			return cli_bad_option("check", argv);
		}
	}
	if (!target.runtime && (target.nnp || target.user || target.init)) {
		cli_profile_opts_free(&po);
		return cli_usage_error("check", "--for-nnp, --for-user and --for-init go with --for RUNTIME");
	}
	if (optind != argc - 1) {
		cli_profile_opts_free(&po);
		return cli_usage_error("check", optind >= argc ? "no profile given" : "one profile at a time");
	}
	const char *path = argv[optind];

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_diags diags = {0};
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	struct sc_bpf bpf = {0};
	bool options_bad = true;

	struct sc_parse_opts popts = { .unknown_syscall_is_error = po.strict };
	if (cli_target("check", &po, arch, &t, &err) < 0)
		goto out;
	options_bad = false;

	/* valid means loadable: what libseccomp would refuse is an error here too */
	if (sc_profile_load(path, &popts, &p, &diags, &err) < 0 ||
	    sc_profile_resolve(p, &t, &pol, &diags, &err) < 0 ||
	    sc_profile_lint(p, pol, &diags, &err) < 0 ||
	    sc_policy_compile(pol, NULL, &bpf, &err) < 0)
		goto out;
	int missing = 0;
	if (target.runtime && (missing = sc_learn_for_check(p, pol, &target, &diags, &err)) < 0)
		goto out;

	if (json)
		print_json(p->origin, NULL, &diags);
	else
		sc_check_write_text(stdout, p->origin, &diags);
	if (!json && target.runtime && missing > 0)
		printf("%s: a container will not start under %s: %d call%s missing\n", p->origin,
		       target.runtime, missing, missing == 1 ? "" : "s");
	else if (!json && target.runtime)
		printf("%s: ready for %s\n", p->origin, target.runtime);
	ret = missing > 0 ? SC_EXIT_SECLUDE : 0;
	if (missing > 0) {
		fflush(stdout);
		fprintf(stderr, "seclude: error: %s: a container will not start under %s with it: %d call%s "
			"the runtime makes before execve %s not allowed\n", p->origin, target.runtime, missing,
			missing == 1 ? "" : "s", missing == 1 ? "is" : "are");
		goto done;
	}
out:
	if (ret != 0) {
		if (json && !options_bad)
			print_json(path, &err, NULL);
		cli_fail(&err);
	}
done:
	fflush(stdout);
	sc_bpf_free(&bpf);
	sc_policy_free(pol);
	sc_profile_free(p);
	sc_diags_free(&diags);
	cli_profile_opts_free(&po);
	return ret;
}
