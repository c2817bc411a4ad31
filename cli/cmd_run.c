/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude run: Docker's `docker run` options, parsed into a request that lib/spec turns into a spec. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "run.h"
#include "run_denials.h"
#include "run_resources.h"
#include "seclude/caps.h"
#include "seclude/docker.h"
#include "seclude/filter.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

static void usage(void)
{
	fputs("Usage: seclude run [OPTIONS] [--] COMMAND [ARG...]\n"
	      "\n"
	      "Run COMMAND confined as Docker would confine it: Docker's default seccomp\n"
	      "profile, its 14 capabilities, new pid, mount, uts, ipc, network and cgroup\n"
	      "namespaces.  Without --rootfs the command sees the host's tree read-only,\n"
	      "with a private /tmp and /run, a fresh /proc and a minimal /dev, and starts\n"
	      "in the current directory (shown even under /tmp; -v .:. makes it writable).\n"
	      "\n"
	      "Options:\n"
	      "      --security-opt seccomp=PROFILE|unconfined\n"
	      "                         the seccomp profile (default: Docker's, built in)\n"
	      "      --security-opt no-new-privileges[=true|false]\n"
	      "                         forbid gaining privileges through execve (setuid, file caps)\n"
	      "      --security-opt apparmor=unconfined, --security-opt label=disable\n"
	      "                         accepted as Docker accepts them; no AppArmor profile or\n"
	      "                         SELinux label is applied, so any other value is an error\n"
	      CLI_CAP_HELP
	      "      --rootfs DIR       pivot_root into DIR (/proc, /dev, /sys mounted as Docker does)\n"
	      "  -v, --volume HOST:PATH[:ro|rw]\n"
	      "                         bind mount a host file or directory; a path starting\n"
	      "                         with . is from the current directory (PATH too, without\n"
	      "                         --rootfs): -v .:. the current directory, writable\n"
	      "      --tmpfs PATH[:OPTIONS]\n"
	      "                         mount a tmpfs (nosuid,nodev,noexec)\n"
	      "      --read-only        mount the root filesystem read-only\n"
	      "  -h, --hostname NAME    the host name inside (default: 12 random hex digits)\n"
	      "      --network none|host\n"
	      "                         none (default): a network namespace with loopback up\n"
	      "      --pid host, --ipc host, --uts host, --cgroupns host|private\n"
	      "                         share that namespace with the host\n"
	      "      --userns[=INSIDE:OUTSIDE:COUNT]\n"
	      "                         a user namespace: root inside, unprivileged outside\n"
	      "                         (default map 0:100000:65536); --userns=host: none\n"
	      "  -u, --user USER[:GROUP] run as USER (name or uid, from the sandbox's /etc/passwd)\n"
	      "  -w, --workdir DIR      the working directory (created when missing); default:\n"
	      "                         the current one without --rootfs, / with it\n"
	      "  -e, --env KEY[=VALUE]  set a variable (KEY alone: the value seclude sees)\n"
	      "      --env-file FILE    read KEY=VALUE lines\n"
	      "      --ulimit NAME=SOFT[:HARD]\n"
	      "                         a resource limit (nofile, nproc, core, stack, ...)\n"
	      "  -i, --interactive      pass stdin through (otherwise /dev/null)\n"
	      "  -t, --tty              run on a new pseudo-terminal\n"
	      "      --init             run seclude's init as pid 1: reaps zombies, forwards signals\n"
	      "      --help             show this help\n"
	      "\n"
	      "Resources and named sandboxes (each sandbox has a cgroup of its own; see ps,\n"
	      "stop, exec):\n", stdout);
	cli_run_resources_help(stdout);
	fputs("\nDenials (what the profile refuses, named as it happens):\n" CLI_RUN_DENIALS_HELP, stdout);
	fputs(""
	      "\n"
	      "Exit status: the command's; 128+N when signal N ended it (159: killed by\n"
	      "seccomp); 125 when seclude failed; 126 when the command cannot be executed;\n"
	      "127 when it is not found.\n", stdout);
}

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

struct run_opts {
	struct cli_caps caps;
	struct sc_docker_run d;
	struct cli_run_resources res;
	struct cli_run_denials denials;
	bool resources_given;         /* limits, --name, -d or --cgroup-parent */
};

static void run_opts_free(struct run_opts *o)
{
	cli_caps_free(&o->caps);
	cli_run_resources_free(&o->res);
	cli_run_denials_free(&o->denials);
	sc_docker_run_free(&o->d);
}

/* What the library said about an option: a usage error when the value is wrong. */
static int spec_error(const struct sc_docker_run *d, const struct sc_error *err)
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

static int parse_args(int argc, char **argv, struct run_opts *o, int *cmd_index)
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
		if (opt == OPT_HELP) {
			usage();
			return -1;
		}
		if (opt == ':')
			return cli_usage_error("run", "option \"%s\" needs a value", argv[optind - 1]);
		struct sc_error err = {0};
		r = docker_option(o, opt, optarg, &err);
		if (r > 0)
			return cli_usage_error("run", "unknown option \"%s\"", argv[optind - 1]);
		if (r < 0)
			return spec_error(&o->d, &err);
	}
	if (optind >= argc)
		return cli_usage_error("run", "no command given");
	*cmd_index = optind;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	return cli_run_with(argc, argv, NULL);
}

/* The spec this run's options ask for, its profile compiled once; 0 or the exit status. */
static int make_spec(struct run_opts *o, char **argv, const struct cli_run_override *ov,
		     struct sc_spec *spec)
{
	struct sc_docker_run *d = &o->d;
	/* --complain --update P: P is also what runs, unless seccomp= names another */
	if (!d->seccomp && o->denials.update && o->denials.complain)
		d->seccomp = o->denials.update;
	struct sc_error err = {0};
	if (cli_caps_resolve(&o->caps, &d->caps, &err) < 0)
		return cli_fail(&err);
	if (ov && o->resources_given)
		return cli_usage_error(ov->command, "resource limits, --name, -d and --cgroup-parent are run's only");
	d->argv = argv;
	d->privileged = o->caps.opts.privileged;
	d->complain = o->denials.complain;
	d->own_filter = ov != NULL;   /* the caller's filter replaces the profile */
	struct sc_diags diags = {0};
	int r = sc_spec_from_docker(d, spec, &diags, &err);
	cli_print_diags(&diags);
	sc_diags_free(&diags);
	if (r < 0)
		return spec_error(d, &err);
	/* the limits as parsed: checked when the sandbox's cgroup is made */
	spec->limits = o->res.limits;
	memset(&o->res.limits, 0, sizeof(o->res.limits));
	if (o->res.cgroup_parent && !(spec->cgroup_parent = strdup(o->res.cgroup_parent)))
		return cli_failf("out of memory");
	return 0;
}

int cli_run_with(int argc, char **argv, const struct cli_run_override *ov)
{
	struct run_opts o = {0};
	struct sc_spec spec = {0};
	int cmd_index = 0;
	int r = parse_args(argc, argv, &o, &cmd_index);
	if (r == 0)
		r = make_spec(&o, argv + cmd_index, ov, &spec);
	struct sc_error err = {0};
	struct sc_sandbox_config c = {0};
	if (r == 0 && sc_sandbox_config_from_spec(&spec, &c, &err) < 0)
		r = cli_fail(&err);
	if (r == 0 && ov) {
		c.bpf = ov->bpf;
		c.seccomp_flags = ov->seccomp_flags;
		c.hooks = ov->hooks;
	}
	if (r == 0)
		r = cli_run_denials_prepare(&o.denials, &c, o.d.seccomp ? o.d.seccomp : "default",
					    spec.process.caps, o.res.detach, argv + cmd_index);
	if (r != 0) {
		sc_spec_free(&spec);
		run_opts_free(&o);
		return r < 0 ? 0 : r;
	}
	int code;
	bool failed = false;
	if (ov) {
		/* the recorder brings its own cgroup and drives the child itself */
		if (sc_sandbox_run(&c, &code, &err) < 0) {
			cli_fail(&err);
			code = -code;   /* the command never ran */
			failed = true;
		}
	} else {
		/* every sandbox has a cgroup of its own, as every Docker container does */
		/* a process exec'd later has no monitor: it gets the profile's own program */
		o.res.exec_bpf = spec.seccomp.confined ? &spec.seccomp.filter.bpf : NULL;
		code = cli_run_resources_run(&o.res, &spec, &c, &failed);
	}
	code = cli_run_denials_finish(&o.denials, code, failed);
	sc_spec_free(&spec);
	run_opts_free(&o);
	return code;
}
