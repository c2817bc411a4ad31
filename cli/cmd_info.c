/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "info_user.h"
#include "seclude/caps.h"
#include "seclude/profile.h"
#include "seclude/sysinfo.h"
#include "seclude/util.h"

static void print_help(void)
{
	fputs("Usage: seclude info [--pid PID] [--json]\n"
	      "\n"
	      "Show what this machine offers for confinement: whether the kernel\n"
	      "supports seccomp filters and which actions and filter flags, the\n"
	      "kernel configuration when readable, the libseccomp version, the native\n"
	      "architecture, the cgroup layout and user namespaces; then the seccomp,\n"
	      "no_new_privs and capability state of a process, with the capability\n"
	      "masks decoded to names; and what the calling user can do here: a user\n"
	      "who is not root runs in a user namespace of their own, with limits only\n"
	      "where cgroup v2 delegates a subtree, and learns with ptrace.\n"
	      "\n"
	      "Options:\n"
	      "  -p, --pid PID   show this process instead of seclude itself\n"
	      "      --json      print one JSON object\n"
	      "  -h, --help      show this help\n", stdout);
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	pid_t pid = 0;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': {
			uint64_t v;
			if (sc_parse_u64(optarg, &v) < 0 || v == 0 || v > INT32_MAX)
				return cli_usage_error("info", "--pid: invalid pid \"%s\"", optarg);
			pid = (pid_t)v;
			break;
		}
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			print_help();
			return 0;
		case ':':
			return cli_usage_error("info", "%s needs an argument", argv[optind - 1]);
		default:
			return cli_usage_error("info", "unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("info", "unexpected argument \"%s\"", argv[optind]);

	struct sc_error err = {0};
	struct sc_proc_status st = {0};
	if (sc_proc_status_read(pid, &st, &err) < 0)
		return cli_fail(&err);
	struct sc_sysinfo si;
	if (sc_sysinfo_collect(&si, &err) < 0)
		return cli_fail(&err);

	if (json) {
		json_t *root = sc_sysinfo_to_json(&si, &st);
		if (root)
			json_object_set_new(root, "user", cli_info_user_json());
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
			json_decref(root);
			sc_sysinfo_free(&si);
			return cli_failf("cannot write JSON");
		}
		fputc('\n', stdout);
		json_decref(root);
	} else {
		sc_sysinfo_write_text(stdout, &si, &st, sc_cap_last());
		cli_info_user_print();
	}
	sc_sysinfo_free(&si);
	return 0;
}
