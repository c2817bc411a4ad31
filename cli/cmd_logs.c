/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude logs: what a detached sandbox wrote to stdout and stderr. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/util.h"

static void usage(FILE *out)
{
	fputs("Usage: seclude logs [OPTIONS] SANDBOX\n"
	      "\n"
	      "Print the output of a detached sandbox (stdout and stderr, interleaved\n"
	      "as written).\n"
	      "\n"
	      "Options:\n"
	      "  -f, --follow   keep printing until the sandbox ends\n"
	      "  -h, --help     show this help\n", out);
}

static int copy_out(int fd)
{
	char buf[65536];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : 0;
		if (sc_write_all(STDOUT_FILENO, buf, (size_t)r) < 0)
			return -EPIPE;
	}
}

int cmd_logs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool follow = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': follow = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_error("logs", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("logs", "requires exactly one sandbox");
	struct sc_state s;
	if (cli_sandbox_load(argv[optind], &s) != 0)
		return SC_EXIT_SECLUDE;
	struct sc_error err = {0};
	_cleanup_close_ int fd = sc_state_open(sc_state_root(), s.name, "log", &err);
	if (fd < 0) {
		int r = s.detached ? cli_failf("sandbox %s has no log: %s", s.name, err.msg)
				   : cli_failf("sandbox %s was not detached: its output went to the terminal", s.name);
		sc_state_free(&s);
		return r;
	}
	int r = copy_out(fd);
	while (r == 0 && follow) {
		/* One last read after the end, for what was written just before it. */
		bool ended = cli_wait_exited(s.name, 0);
		r = copy_out(fd);
		if (ended)
			break;
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
	}
	sc_state_free(&s);
	return r < 0 && r != -EPIPE ? cli_failf("cannot read the log: %s", strerror(-r)) : 0;
}
