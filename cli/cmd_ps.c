/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude ps: the named sandboxes, as docker ps lists containers. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/util.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude ps [OPTIONS]\n"
	      "\n"
	      "List sandboxes: the running ones, or all with -a.\n"
	      "\n"
	      "Options:\n"
	      "  -a, --all        show every sandbox, also the ones that ended\n"
	      "  -q, --quiet      only the ids\n"
	      "      --no-trunc   full ids and commands\n"
	      "  -h, --help       show this help\n", out);
}

static void command_line(char **argv, bool trunc, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i] && n + 1 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "", argv[i]);
	if (trunc && strlen(buf) > 20)
		strcpy(buf + 19, "…");
}

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-trunc", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, quiet = false, trunc = true;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+aqh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'q': quiet = true; break;
		case 'T': trunc = false; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("ps", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("ps", "unexpected argument \"%s\"", argv[optind]);

	cli_sandbox_gc();
	struct sc_state *v;
	size_t n;
	struct sc_error err = {0};
	if (sc_state_list(sc_state_root(), &v, &n, &err) < 0)
		return cli_fail(&err);
	if (!quiet)
		printf("%-14s %-24s %-16s %-28s %s\n", "SANDBOX ID", "COMMAND", "CREATED", "STATUS", "NAMES");
	int64_t now = sc_now_ns();
	for (size_t i = 0; i < n; i++) {
		const struct sc_state *s = &v[i];
		if (!all && s->status == SC_STATUS_EXITED)
			continue;
		char id[65];
		snprintf(id, sizeof(id), "%.*s", trunc ? 12 : 64, s->id);
		if (quiet) {
			printf("%s\n", id);
			continue;
		}
		char cmd[512], quoted[520], created[80], ago[64], status[128];
		command_line(s->spec.process.args, trunc, cmd, sizeof(cmd));
		snprintf(quoted, sizeof(quoted), "\"%s\"", cmd);
		cli_human_duration(now - s->created, ago, sizeof(ago));
		snprintf(created, sizeof(created), "%s ago", ago);
		if (s->status == SC_STATUS_RUNNING) {
			cli_human_duration(now - s->started, ago, sizeof(ago));
			snprintf(status, sizeof(status), "Up %s", ago);
		} else if (s->status == SC_STATUS_EXITED) {
			cli_human_duration(now - s->finished, ago, sizeof(ago));
			snprintf(status, sizeof(status), "Exited (%d) %s ago", s->exit_code, ago);
		} else {
			snprintf(status, sizeof(status), "Created");
		}
		printf("%-14s %-24s %-16s %-28s %s\n", id, quoted, created, status, s->name);
	}
	sc_state_list_free(v, n);
	return 0;
}
