/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude rm: forget ended sandboxes (-f: kill running ones first). */
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/container.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude rm [OPTIONS] SANDBOX...\n"
	      "\n"
	      "Remove sandboxes that ended: their record, log and cgroup.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --force   kill a running sandbox (SIGKILL) and remove it\n"
	      "  -h, --help    show this help\n", out);
}

int cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': force = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("rm", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("rm", "requires at least one sandbox");
	int status = 0;
	const char *root = sc_state_root();
	for (int i = optind; i < argc; i++) {
		struct sc_state s;
		if (cli_sandbox_load(argv[i], &s) != 0) {
			status = SC_EXIT_SECLUDE;
			continue;
		}
		struct sc_error err = {0};
		struct sc_diags warn = {0};
		int r = sc_container_remove(root, &s, force, &warn, &err);
		cli_print_warnings(&warn);
		if (r < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
		sc_state_free(&s);
	}
	return status;
}
