/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude kill: a signal to a sandbox's first process (SIGKILL: to all of it). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/container.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude kill [OPTIONS] SANDBOX...\n"
	      "\n"
	      "Send a signal to running sandboxes (by name, id or id prefix).  KILL\n"
	      "takes every process of the sandbox at once, through its cgroup.\n"
	      "\n"
	      "Options:\n"
	      "  -s, --signal SIG  the signal, by name or number (default KILL)\n"
	      "  -h, --help        show this help\n", out);
}

int cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int sig = SIGKILL, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((sig = cli_parse_signal(optarg)) < 0)
				return cli_usage_error("kill", "invalid signal \"%s\"", optarg);
			break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("kill", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("kill", "requires at least one sandbox");
	int status = 0;
	for (int i = optind; i < argc; i++) {
		struct sc_state s;
		if (cli_sandbox_load(argv[i], &s) != 0) {
			status = SC_EXIT_SECLUDE;
			continue;
		}
		struct sc_error err = {0};
		if (sc_container_kill(sc_state_root(), &s, sig, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
		sc_state_free(&s);
	}
	return status;
}
