/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude stop: SIGTERM, and SIGKILL to all of it when the grace period is over. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/container.h"
#include "seclude/util.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude stop [OPTIONS] SANDBOX...\n"
	      "\n"
	      "Stop running sandboxes: SIGTERM to the first process, then, after the\n"
	      "timeout, SIGKILL to every process in the sandbox's cgroup.\n"
	      "\n"
	      "Options:\n"
	      "  -s, --signal SIG   the first signal (default TERM)\n"
	      "  -t, --time SECS    seconds to wait before killing (default 10)\n"
	      "  -h, --help         show this help\n", out);
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int sig = SIGTERM, c;
	uint64_t secs = 10;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((sig = cli_parse_signal(optarg)) < 0)
				return cli_usage_error("stop", "invalid signal \"%s\"", optarg);
			break;
		case 't':
			if (sc_parse_u64(optarg, &secs) < 0 || secs > 86400)
				return cli_usage_error("stop", "invalid timeout \"%s\"", optarg);
			break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("stop", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("stop", "requires at least one sandbox");
	int status = 0;
	for (int i = optind; i < argc; i++) {
		struct sc_state s;
		if (cli_sandbox_load(argv[i], &s) != 0) {
			status = SC_EXIT_SECLUDE;
			continue;
		}
		struct sc_error err = {0};
		struct sc_diags warn = {0};
		int r = sc_container_stop(sc_state_root(), &s, sig, (int)secs * 1000, &warn, &err);
		cli_print_warnings(&warn);
		if (r < 0)
			status = cli_fail(&err);
		else
			printf("%s\n", argv[i]);
		sc_state_free(&s);
	}
	return status;
}
