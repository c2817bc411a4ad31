/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude exec: a new process inside a running sandbox, as docker exec. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/supervise.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude exec SANDBOX COMMAND [ARG...]\n"
	      "\n"
	      "Run COMMAND inside a running sandbox: in its cgroup and all its\n"
	      "namespaces, with its capabilities, no_new_privs and the same seccomp\n"
	      "filter, as root in its / with Docker's PATH, in a session of its own.\n"
	      "stdin, stdout and stderr are this command's, and no other descriptor.\n"
	      "The exit status is the command's.\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help   show this help\n", out);
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("exec", "bad option");
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("exec", "requires a sandbox and a command");
	struct sc_state s;
	if (cli_sandbox_load(argv[optind], &s) != 0)
		return SC_EXIT_SECLUDE;
	struct sc_error err = {0};
	int code = SC_EXIT_SECLUDE;
	if (sc_sandbox_exec(sc_state_root(), &s, argv + optind + 1, &code, &err) < 0)
		cli_fail(&err);
	sc_state_free(&s);
	return code;
}
