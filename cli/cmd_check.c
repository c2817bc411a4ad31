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

static const char *level_name(enum sc_diag_level l)
{
	return l == SC_DIAG_ERROR ? "error" : l == SC_DIAG_WARNING ? "warning" : "note";
}

/* "file:line:col" -> its parts; file names may contain ':'. */
static void split_where(const char *where, json_t *o)
{
	const char *c2 = where ? strrchr(where, ':') : NULL;
	const char *c1 = NULL;
	if (c2)
		for (const char *s = c2 - 1; s >= where; s--)
			if (*s == ':') {
				c1 = s;
				break;
			}
	if (!c1) {
		if (where)
			json_object_set_new(o, "file", json_string(where));
		return;
	}
	json_object_set_new(o, "file", json_stringn(where, (size_t)(c1 - where)));
	json_object_set_new(o, "line", json_integer(strtol(c1 + 1, NULL, 10)));
	json_object_set_new(o, "column", json_integer(strtol(c2 + 1, NULL, 10)));
}

static int print_json(const char *profile, const struct sc_error *err, const struct sc_diags *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "profile", json_string(profile));
	json_object_set_new(o, "valid", json_boolean(!err));
	if (err)
		json_object_set_new(o, "error", json_string(err->msg));
	json_t *list = json_array();
	for (size_t i = 0; d && i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		json_t *f = json_object();
		json_object_set_new(f, "level", json_string(level_name(g->level)));
		json_object_set_new(f, "code", json_string(g->code ? g->code : ""));
		split_where(g->where, f);
		if (g->path)
			json_object_set_new(f, "path", json_string(g->path));
		json_object_set_new(f, "message", json_string(g->msg));
		json_array_append_new(list, f);
	}
	json_object_set_new(o, "findings", list);
	json_object_set_new(o, "warnings", json_integer((json_int_t)sc_diags_count(d, SC_DIAG_WARNING)));
	json_object_set_new(o, "notes", json_integer((json_int_t)sc_diags_count(d, SC_DIAG_NOTE)));
	int r = json_dumpf(o, stdout, JSON_INDENT(2)) == 0 ? 0 : -1;
	fputc('\n', stdout);
	json_decref(o);
	return r;
}

static void print_text(const char *profile, const struct sc_diags *d, const char *target, int missing)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		printf("%s: %s: ", g->where ? g->where : profile, level_name(g->level));
		if (g->path)
			printf("%s: ", g->path);
		printf("%s [%s]\n", g->msg, g->code ? g->code : "");
	}
	size_t w = sc_diags_count(d, SC_DIAG_WARNING), n = sc_diags_count(d, SC_DIAG_NOTE);
	printf("%s: valid; %zu warning%s, %zu note%s\n", profile, w, w == 1 ? "" : "s", n,
	       n == 1 ? "" : "s");
	if (target && missing > 0)
		printf("%s: a container will not start under %s: %d call%s missing\n", profile, target,
		       missing, missing == 1 ? "" : "s");
	else if (target)
		printf("%s: ready for %s\n", profile, target);
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
		print_text(p->origin, &diags, target.runtime, missing);
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
