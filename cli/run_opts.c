/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run's (and learn's) options: the table, and each one handed to lib/spec/docker.c or to its room. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "run_opts.h"

enum {
	OPT_SECURITY = CLI_OPT_FIRST_FREE,
	OPT_ROOTFS, OPT_TMPFS, OPT_READ_ONLY, OPT_NETWORK, OPT_PID, OPT_IPC, OPT_UTS,
	OPT_CGROUPNS, OPT_USERNS, OPT_ENV_FILE, OPT_ULIMIT, OPT_INIT, OPT_HELP,
};

const struct option cli_run_longopts[] = {
	CLI_CAP_LONGOPTS,
	{ "security-opt", required_argument, NULL, OPT_SECURITY },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "volume", required_argument, NULL, 'v' },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "hostname", required_argument, NULL, 'h' },
	{ "network", required_argument, NULL, OPT_NETWORK },
	{ "net", required_argument, NULL, OPT_NETWORK },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "ipc", required_argument, NULL, OPT_IPC },
	{ "uts", required_argument, NULL, OPT_UTS },
	{ "cgroupns", required_argument, NULL, OPT_CGROUPNS },
	{ "userns", optional_argument, NULL, OPT_USERNS },
	{ "user", required_argument, NULL, 'u' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "env", required_argument, NULL, 'e' },
	{ "env-file", required_argument, NULL, OPT_ENV_FILE },
	{ "ulimit", required_argument, NULL, OPT_ULIMIT },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "init", no_argument, NULL, OPT_INIT },
	CLI_RUN_RESOURCES_LONGOPTS,
	CLI_RUN_DENIALS_LONGOPTS,
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};


void run_opts_free(struct run_opts *o)
{
	cli_caps_free(&o->caps);
	cli_run_resources_free(&o->res);
	cli_run_denials_free(&o->denials);
	sc_docker_run_free(&o->d);
}

/* What the library said about an option: a usage error when the value is wrong. */
int cli_run_spec_error(const struct sc_docker_run *d, const struct sc_error *err)
{
	return d->usage ? cli_usage_error("run", "%s", err->msg) : cli_fail(err);
}

static int docker_option(struct run_opts *o, int opt, const char *arg, struct sc_error *err)
{
	struct sc_docker_run *d = &o->d;
	switch (opt) {
	case OPT_SECURITY: return sc_docker_security_opt(d, arg, err);
	case OPT_ROOTFS: d->rootfs = arg; return 0;
	case 'v': return sc_docker_volume(d, arg, err);
	case OPT_TMPFS: return sc_docker_tmpfs(d, arg, err);
	case OPT_READ_ONLY: d->read_only = true; return 0;
	case 'h': return sc_docker_hostname(d, arg, err);
	case OPT_NETWORK: return sc_docker_host_or(d, "network", arg, "none", &d->net_host, err);
	case OPT_PID: return sc_docker_host_or(d, "pid", arg, NULL, &d->pid_host, err);
	case OPT_IPC: return sc_docker_host_or(d, "ipc", arg, "private", &d->ipc_host, err);
	case OPT_UTS: return sc_docker_host_or(d, "uts", arg, NULL, &d->uts_host, err);
	case OPT_CGROUPNS: return sc_docker_host_or(d, "cgroupns", arg, "private", &d->cgroupns_host, err);
	case OPT_USERNS: return sc_docker_userns(d, arg, err);
	case 'u': d->user = arg; return 0;
	case 'w': return sc_docker_workdir(d, arg, err);
	case 'e': return sc_docker_env(d, arg, err);
	case OPT_ENV_FILE: return sc_docker_env_file(d, arg, err);
	case OPT_ULIMIT: return sc_docker_ulimit(d, arg, err);
	case 'i': d->interactive = true; return 0;
	case 't': d->tty = true; return 0;
	case OPT_INIT: d->init = true; return 0;
	default: return 1;
	}
}

int cli_run_parse(int argc, char **argv, struct run_opts *o, int *cmd_index)
{
	int opt, r;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_RUN_SHORTOPTS, cli_run_longopts, NULL)) != -1) {
		if (cli_caps_option(&o->caps, opt, optarg))
			continue;
		if (cli_run_resources_option(&o->res, opt, optarg, &r)) {
			if (r)
				return r;
			o->resources_given |= opt != CLI_OPT_RUN_RM;
			continue;
		}
		if (cli_run_denials_option(&o->denials, opt, optarg, &r)) {
			if (r)
				return r;
			continue;
		}
		if (opt == OPT_HELP)
			return -1;
		if (opt == ':')
			return cli_usage_error("run", "option \"%s\" needs a value", argv[optind - 1]);
		struct sc_error err = {0};
		r = docker_option(o, opt, optarg, &err);
		if (r > 0)
			return cli_usage_error("run", "unknown option \"%s\"", argv[optind - 1]);
		if (r < 0)
			return cli_run_spec_error(&o->d, &err);
	}
	if (optind >= argc)
		return cli_usage_error("run", "no command given");
	*cmd_index = optind;
	return 0;
}

