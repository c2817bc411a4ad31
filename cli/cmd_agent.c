/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude agent: a seccomp agent for the listenerPath protocol, so that
 * containers started by unmodified runc or crun get seclude's denial
 * reports; and the profile such a runtime loads for it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "seclude/agent.h"
#include "seclude/denials.h"
#include "seclude/util.h"

static void usage(void)
{
	fputs("Usage: seclude agent --socket PATH [--profile PROFILE] [--log-denials FILE] [--complain]\n"
	      "       seclude agent --socket PATH --print-profile PROFILE\n"
	      "\n"
	      "A seccomp agent for runc, crun or any runtime that speaks the OCI\n"
	      "listenerPath protocol: it listens on PATH, takes each container's seccomp\n"
	      "listener, answers every call the profile refuses with the errno the\n"
	      "profile gives, and writes one JSON line per refused call (the format of\n"
	      "seclude run --log-denials, with the container's id).\n"
	      "\n"
	      "The runtime must load a profile whose refusals are SCMP_ACT_NOTIFY and\n"
	      "whose listenerPath is PATH: --print-profile writes it, as the\n"
	      "linux.seccomp object of a config.json, from PROFILE (a Docker or OCI\n"
	      "profile, or 'default').  Its listenerMetadata names PROFILE, which the\n"
	      "agent reads back to answer each call exactly.  runc refuses to notify\n"
	      "write and the default action: write keeps its errno unreported, and\n"
	      "every call no rule names gets a notify rule of its own; a call some rule\n"
	      "names with arguments keeps the default action for other arguments,\n"
	      "unreported.  If the agent is not running, notified calls fail with\n"
	      "ENOSYS, and runc refuses to start the container.\n"
	      "\n"
	      "Options:\n"
	      "      --socket PATH          the socket the runtime connects to\n"
	      "      --profile PROFILE      for containers whose listenerMetadata names no\n"
	      "                             profile\n"
	      "      --log-denials FILE     append the reports to FILE (default: standard\n"
	      "                             output; journal: the system's journal)\n"
	      "      --complain             let refused calls through, and report them\n"
	      "      --print-profile PROFILE\n"
	      "                             print the profile the runtime loads, and exit\n"
	      "  -h, --help                 show this help\n"
	      "\n"
	      "The agent runs until SIGINT or SIGTERM.  Exit status: 0, or 125 on error.\n",
	      stdout);
}

enum { OPT_SOCKET = CLI_OPT_FIRST_FREE, OPT_PROFILE, OPT_LOG, OPT_COMPLAIN, OPT_PRINT };

static const struct option longopts[] = {
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "log-denials", required_argument, NULL, OPT_LOG },
	{ "complain", no_argument, NULL, OPT_COMPLAIN },
	{ "print-profile", required_argument, NULL, OPT_PRINT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void report(void *ud, const char *container, const struct sc_denial *d)
{
	FILE *out = ud;
	_cleanup_free_ char *js = sc_denial_format_json(d);
	if (!js)
		return;
	/* the container's id first: {"container":"ID",...} */
	if (js[0] == '{' && js[1] != '}')
		fprintf(out, "{\"container\":\"%s\",%s\n", container, js + 1);
	else
		fprintf(out, "%s\n", js);
	fflush(out);
}

static void event(void *ud, const char *container, const char *what)
{
	(void)ud;
	if (container)
		fprintf(stderr, "seclude agent: container %s: %s\n", container, what);
	else
		fprintf(stderr, "seclude: error: %s\n", what);
}

static void ready(void *ud)
{
	(void)ud;
	fprintf(stderr, "seclude agent: listening\n");
}

int cmd_agent(int argc, char **argv)
{
	const char *socket_path = NULL, *profile = NULL, *log = NULL, *print = NULL;
	bool complain = false;
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SOCKET: socket_path = optarg; break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_LOG: log = optarg; break;
		case OPT_COMPLAIN: complain = true; break;
		case OPT_PRINT: print = optarg; break;
		case 'h': usage(); return 0;
		case ':': return cli_usage_error("agent", "option \"%s\" needs a value", argv[optind - 1]);
		default: return cli_usage_error("agent", "unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("agent", "unexpected argument \"%s\"", argv[optind]);
	if (!socket_path)
		return cli_usage_error("agent", "--socket PATH is required");
	struct sc_error err = {0};
	if (print) {
		_cleanup_free_ char *json = NULL;
		struct sc_diags diags = {0};
		int r = sc_agent_notify_profile(print, socket_path, &json, &diags, &err);
		cli_print_diags(&diags);
		sc_diags_free(&diags);
		if (r < 0)
			return cli_fail(&err);
		printf("%s\n", json);
		return 0;
	}
	FILE *out = stdout;
	if (log && !(out = sc_denial_sink_open(log, true, &err)))
		return cli_failf("--log-denials: %s", err.msg);
	const struct sc_agent_opts o = {
		.socket = socket_path, .profile = profile,
		.mode = complain ? SC_DENIAL_COMPLAIN : SC_DENIAL_ENFORCE,
		.report = report, .event = event, .ready = ready, .ud = out,
	};
	int r = sc_agent_serve(&o, &err);
	if (out != stdout)
		fclose(out);
	return r < 0 ? cli_fail(&err) : 0;
}
