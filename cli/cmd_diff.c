/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "seclude/bpf.h"
#include "seclude/diff.h"
#include "seclude/names.h"
#include "seclude/profile.h"
#include "seclude/util.h"

static void print_help(void)
{
	fputs("Usage: seclude diff [OPTIONS] PROFILE_A PROFILE_B\n"
	      "\n"
	      "List, per architecture, each syscall whose verdict differs between two\n"
	      "profiles, with both verdicts.  Both profiles are compiled and their\n"
	      "programs run in seclude's simulator, so the comparison is of what the\n"
	      "filters do, ENOSYS stub included.  Where a verdict depends on the\n"
	      "arguments, the argument values tried come from both profiles' conditions\n"
	      "on that syscall, and the condition under which they differ is shown.\n"
	      "Numbers libseccomp has no name for are shown as ranges [FIRST..LAST].\n"
	      "PROFILE may be 'default' (Docker's default profile).\n"
	      "\n"
	      "Options:\n"
	      "      --arch ARCH        compare only this architecture (x86_64, x86, x32,\n"
	      "                         ...; repeatable; default: every one either profile\n"
	      "                         lists)\n"
	      "      --json             print one JSON object\n"
	      CLI_PROFILE_HELP
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: 0 when the filters agree, 1 when they differ, 125 on error.\n",
	      stdout);
}

enum { OPT_ARCH = CLI_OPT_FIRST_FREE };

/* B's warnings, but not those A has said already (a close copy of A repeats them). */
static void print_unique_diags(const struct sc_diags *a, const struct sc_diags *b, const char *path_b)
{
	struct sc_diags u = {0};
	sc_diags_add_unseen(&u, b, a);
	cli_print_profile_warnings(path_b, &u);
	sc_diags_free(&u);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		CLI_PROFILE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	_cleanup_free_ uint32_t *arches = NULL;
	size_t n_arches = 0;
	bool json = false;
	int c, rc = SC_EXIT_SECLUDE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, c, optarg))
			continue;
		switch (c) {
		case OPT_ARCH: {
			char bad[64];
			int r = sc_arch_list_parse(optarg, &arches, &n_arches, bad, sizeof(bad));
			if (r == -ENOMEM)
				abort();
			if (r < 0) {
				cli_usage_error("diff", "--arch: unknown architecture \"%s\"", bad);
				goto out;
			}
			break;
		}
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			print_help();
			rc = 0;
			goto out;
		default:
			cli_bad_option("diff", argv);
			goto out;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("diff", argc - optind < 2 ? "two profiles are needed"
							 : "unexpected argument \"%s\"",
				argv[argc - 1]);
		goto out;
	}
	const char *path_a = argv[optind], *path_b = argv[optind + 1];

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_parse_opts popts = { .unknown_syscall_is_error = po.strict };
	if (cli_target("diff", &po, NULL, &t, &err) < 0) {
		cli_fail(&err);
		goto out;
	}

	struct sc_diags da = {0}, db = {0};
	struct sc_diff d = {0};
	int r = sc_diff_files(path_a, path_b, &popts, &t, arches, n_arches, &d, &da, &db, &err);
	cli_print_profile_warnings(path_a, &da);
	/* the same file twice, or a close copy, would say everything twice */
	if (strcmp(path_a, path_b) != 0)
		print_unique_diags(&da, &db, path_b);
	sc_diags_free(&da);
	sc_diags_free(&db);
	if (r < 0) {
		cli_fail(&err);
	} else if (json) {
		json_t *o = sc_diff_to_json(&d, path_a, path_b);
		if (!o || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
			rc = cli_failf("cannot write JSON");
		} else {
			fputc('\n', stdout);
			rc = d.n ? 1 : 0;
		}
		json_decref(o);
	} else {
		sc_diff_write_text(stdout, &d);
		rc = d.n ? 1 : 0;
	}
	sc_diff_free(&d);
out:
	cli_profile_opts_free(&po);
	return rc;
}
