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
#include "run_opts.h"
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
	      "                         (default map 0:100000:65536); --userns=host: none;\n"
	      "                         --userns=subuid (not root): your /etc/subuid range\n"
	      "                         inside too, for a command that changes user itself\n"
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
	d->keep_policy = cli_run_denials_wanted(&o->denials);
	d->own_filter = ov != NULL;   /* the caller's filter replaces the profile */
	struct sc_diags diags = {0};
	int r = sc_spec_from_docker(d, spec, &diags, &err);
	cli_print_diags(&diags);
	sc_diags_free(&diags);
	if (r < 0)
		return cli_run_spec_error(d, &err);
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
	int r = cli_run_parse(argc, argv, &o, &cmd_index);
	if (r < 0)
		usage();
	if (r == 0)
		r = make_spec(&o, argv + cmd_index, ov, &spec);
	struct sc_error err = {0};
	struct sc_sandbox_config c = {0};
	if (r == 0 && sc_sandbox_config_from_spec(&spec, &c, &err) < 0)
		r = cli_fail(&err);
	if (r == 0 && ov && cli_run_denials_wanted(&o.denials))
		r = cli_failf("--log-denials cannot be combined with another supervisor of the start");
	if (r == 0)
		r = cli_run_denials_prepare(&o.denials, &c, spec.seccomp.filter.policy, o.res.detach,
					    argv + cmd_index);
	if (r != 0) {
		sc_spec_free(&spec);
		run_opts_free(&o);
		return r < 0 ? 0 : r;
	}
	int code;
	bool failed = false;
	if (ov) {
		code = ov->run(ov->ud, &c);
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
