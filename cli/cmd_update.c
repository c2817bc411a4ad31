/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude update: change a running sandbox's limits, live. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/container.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude update [OPTIONS] SANDBOX...\n"
	      "\n"
	      "Change the resource limits of running sandboxes.  The new values are in\n"
	      "the cgroup files when the command returns.\n"
	      "\n"
	      "Options:\n", out);
	cli_resource_help(out);
	fputs("  -h, --help               show this help\n", out);
}

int cmd_update(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_RESOURCE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sc_cgroup_limits l = {0};
	int c, st;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+m:h", opts, NULL)) != -1) {
		if (c == 'm')
			c = CLI_OPT_RESOURCE;  /* -m is --memory, as for docker */
		if (cli_resource_option("update", &l, c, optarg, &st)) {
			if (st) {
				sc_limits_free(&l);
				return st;
			}
			continue;
		}
		sc_limits_free(&l);
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		return cli_usage_error("update", "bad option");
	}
	if (optind >= argc) {
		sc_limits_free(&l);
		return cli_usage_error("update", "requires at least one sandbox");
	}
	if (!l.set) {
		sc_limits_free(&l);
		return cli_usage_error("update", "no limit to change");
	}
	struct sc_error err = {0};
	struct sc_diags warn = {0};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (sc_limits_check(&l, true, cpus > 0 ? (unsigned)cpus : 0, &warn, &err) < 0) {
		sc_limits_free(&l);
		return cli_fail(&err);
	}
	cli_print_diags(&warn);
	sc_diags_free(&warn);

	int status = 0;
	const char *root = sc_state_root();
	for (int i = optind; i < argc; i++) {
		struct sc_state s;
		if (cli_sandbox_load(argv[i], &s) != 0) {
			status = SC_EXIT_SECLUDE;
			continue;
		}
		int r = sc_container_update(root, &s, &l, &warn, &err);
		cli_print_diags(&warn);
		sc_diags_free(&warn);
		if (r < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
		sc_state_free(&s);
	}
	sc_limits_free(&l);
	return status;
}
