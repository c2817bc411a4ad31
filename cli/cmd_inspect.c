/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude inspect: a sandbox's record and live confinement, as JSON. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/container.h"
#include "seclude/util.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude inspect SANDBOX...\n"
	      "\n"
	      "Print a JSON array with one object per sandbox: its state (pid, status,\n"
	      "exit code, OOMKilled), what confines it (namespaces, capabilities,\n"
	      "seccomp mode and profile, no_new_privs), its cgroup and its limits.\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help   show this help\n", out);
}

int cmd_inspect(int argc, char **argv)
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
		default: return cli_usage_error("inspect", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("inspect", "requires at least one sandbox");
	json_t *all = json_array();
	int status = 0;
	for (int i = optind; i < argc; i++) {
		struct sc_state s;
		if (cli_sandbox_load(argv[i], &s) != 0) {
			status = SC_EXIT_SECLUDE;
			continue;
		}
		json_t *o = sc_container_inspect(&s);
		if (o)
			json_array_append_new(all, o);
		else
			status = cli_failf("sandbox %s: cannot describe it", s.name);
		sc_state_free(&s);
	}
	if (json_array_size(all) > 0 || status == 0) {
		json_dumpf(all, stdout, JSON_INDENT(4));
		fputc('\n', stdout);
	}
	json_decref(all);
	return status;
}
