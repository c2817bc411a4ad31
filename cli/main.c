/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "seclude/sandbox.h"
#include "config.h"

static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();
	printf("seclude %s (libseccomp %u.%u.%u, API level %u)\n", SECLUDE_VERSION,
	       v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0, seccomp_api_get());
}

static void print_help(FILE *out)
{
	fputs("Usage: seclude COMMAND [OPTIONS] [ARG...]\n"
	      "\n"
	      "Confine Linux processes the way Docker does, and write the seccomp\n"
	      "profiles that do it.\n"
	      "\n"
	      "Commands:\n", out);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help     show this help\n"
	      "  -V, --version  show the version and the libseccomp it runs on\n"
	      "\n"
	      "Run 'seclude COMMAND --help' for a command's options.  PROFILE is a\n"
	      "Docker or OCI seccomp JSON file, or 'default' for Docker's default\n"
	      "profile, which is built in.\n"
	      "\n"
	      "Exit status: 125 for seclude's own errors; for run, the command's own\n"
	      "status, 126 when it cannot be executed, 127 when it is not found,\n"
	      "128+N when signal N ended it.\n", out);
}

int main(int argc, char **argv)
{
	/* installed as seclude-runc: the OCI runtime's command line (runc's) */
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argv[0];
	if (base && strcmp(base, "seclude-runc") == 0)
		return cli_runc_main(argc, argv);
	if (argc < 2) {
		print_help(stderr);
		return SC_EXIT_SECLUDE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			for (const struct cli_command *c = cli_commands; c->name; c++)
				if (!strcmp(c->name, argv[2])) {
					char *hv[] = { argv[2], (char *)"--help", NULL };
					return c->run(2, hv);
				}
			return cli_failf("unknown command \"%s\" (see 'seclude --help')", argv[2]);
		}
		print_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		print_version();
		return 0;
	}
	/* what starts processes inside a sandbox runs from a sealed copy (CVE-2019-5736) */
	static const char *const enter[] = { "run", "exec", "learn" };
	for (size_t i = 0; i < sizeof(enter) / sizeof(enter[0]); i++) {
		struct sc_error err = {0};
		if (!strcmp(cmd, enter[i]) && sc_run_from_sealed_copy(argv, &err) < 0)
			return cli_fail(&err);
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, cmd))
			return c->run(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_failf("unknown option \"%s\" (see 'seclude --help')", cmd);
	return cli_failf("unknown command \"%s\" (see 'seclude --help')", cmd);
}
