/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude stats: docker stats for sandboxes. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/stats.h"
#include "seclude/util.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude stats [OPTIONS] [SANDBOX...]\n"
	      "\n"
	      "Resource use of running sandboxes (all of them when none is named),\n"
	      "computed as docker stats does: CPU % over the host's CPU time times the\n"
	      "online CPUs, memory without the inactive page cache against the limit,\n"
	      "network I/O of the sandbox's interfaces, block I/O and pids from its\n"
	      "cgroup.  Refreshed every second; in place on a terminal.\n"
	      "\n"
	      "Options:\n"
	      "      --no-stream  print one table and exit\n"
	      "      --json       one JSON object per sandbox and line, raw numbers\n"
	      "  -h, --help       show this help\n", out);
}

struct row {
	struct sc_state st;
	struct sc_stats_sample prev, cur;
	bool have_prev, ok;
};

static void sample(struct row *r)
{
	r->prev = r->cur;
	r->have_prev = r->ok;
	r->ok = r->st.cgroup && sc_stats_sample(r->st.cgroup, r->st.pid, &r->cur, NULL) == 0;
}

static void print_table(struct row *rows, size_t n, bool tty)
{
	if (tty)
		fputs("\033[2J\033[H", stdout);
	sc_stats_write_header(stdout);
	for (size_t i = 0; i < n; i++) {
		struct row *r = &rows[i];
		sc_stats_write_row(stdout, r->st.id, r->st.name, r->have_prev ? &r->prev : NULL,
				   r->ok ? &r->cur : NULL);
	}
	fflush(stdout);
}

static void print_json(struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct row *r = &rows[i];
		if (!r->ok)
			continue;
		json_t *o = sc_stats_to_json(r->st.id, r->st.name, r->have_prev ? &r->prev : NULL, &r->cur);
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	}
	fflush(stdout);
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-stream", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool stream = true, json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': stream = false; break;
		case CLI_OPT_JSON: json = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("stats", "bad option");
		}
	}
	struct row *rows = NULL;
	size_t n = 0;
	int status = 0;
	if (optind < argc) {
		rows = calloc((size_t)(argc - optind), sizeof(*rows));
		for (int i = optind; rows && i < argc; i++) {
			if (cli_sandbox_load(argv[i], &rows[n].st) != 0) {
				status = SC_EXIT_SECLUDE;
				continue;
			}
			if (rows[n].st.status != SC_STATUS_RUNNING) {
				status = cli_failf("sandbox %s is not running", rows[n].st.name);
				sc_state_free(&rows[n].st);
				continue;
			}
			n++;
		}
	} else {
		cli_sandbox_gc();
		struct sc_state *v;
		size_t cnt;
		struct sc_error err = {0};
		if (sc_state_list(sc_state_root(), &v, &cnt, &err) < 0)
			return cli_fail(&err);
		rows = calloc(cnt ? cnt : 1, sizeof(*rows));
		for (size_t i = 0; rows && i < cnt; i++)
			if (v[i].status == SC_STATUS_RUNNING) {
				rows[n++].st = v[i];
				v[i] = (struct sc_state){0};
			}
		sc_state_list_free(v, cnt);
	}
	if (!rows)
		return cli_failf("out of memory");
	if (status == 0 || n > 0) {
		bool tty = isatty(STDOUT_FILENO) && !json;
		/* The first CPU figure needs a second sample, a second later, as docker's. */
		for (size_t i = 0; i < n; i++)
			sample(&rows[i]);
		for (;;) {
			struct timespec ts = { 1, 0 };
			nanosleep(&ts, NULL);
			for (size_t i = 0; i < n; i++)
				sample(&rows[i]);
			if (json)
				print_json(rows, n);
			else
				print_table(rows, n, tty);
			if (!stream)
				break;
		}
	}
	for (size_t i = 0; i < n; i++)
		sc_state_free(&rows[i].st);
	free(rows);
	return status;
}
