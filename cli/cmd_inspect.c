/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude inspect: a sandbox's record and live confinement, as JSON. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sandboxes.h"
#include "seclude/caps.h"
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

static const char *const ns_files[] = { "pid", "mnt", "uts", "ipc", "net", "cgroup", "user" };

static json_t *namespaces_json(const struct sc_state *s, bool live)
{
	json_t *o = json_object();
	for (size_t i = 0; i < SC_ARRAY_SIZE(ns_files); i++) {
		bool own = s->namespaces & (1u << i);  /* enum sc_ns order */
		json_t *v;
		char path[64], link[128];
		ssize_t n = -1;
		if (live) {
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)s->pid, ns_files[i]);
			n = readlink(path, link, sizeof(link) - 1);
		}
		if (n > 0) {
			link[n] = '\0';
			v = json_pack("{s:b, s:s}", "private", own, "id", link);
		} else {
			v = json_pack("{s:b}", "private", own);
		}
		json_object_set_new(o, ns_files[i], v);
	}
	return o;
}

static json_t *caps_json(uint64_t caps)
{
	json_t *a = json_array();
	for (int c = 0; c < 64; c++)
		if ((caps & SC_CAP_SET(c)) && sc_cap_name(c))
			json_array_append_new(a, json_string(sc_cap_name(c)));
	return a;
}

/* What the kernel says now: "Seccomp:" of /proc/PID/status. */
static int live_seccomp_mode(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	_cleanup_free_ char *s = NULL;
	if (sc_read_file(path, 1 << 16, &s, NULL, NULL) < 0)
		return -1;
	const char *p = strstr(s, "\nSeccomp:");
	return p ? atoi(p + 9) : -1;
}

static json_t *throttle_json(const struct sc_throttle *t, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I}", "Path", t[i].path ? t[i].path : "",
						   "Rate", (json_int_t)t[i].bps));
	return a;
}

/* Docker's HostConfig names; 0 means not set, as in docker inspect. */
static json_t *limits_json(const struct sc_cgroup_limits *l)
{
	unsigned s = l->set;
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:o, s:o}",
			 "Memory", (json_int_t)(s & SC_LIMIT_MEMORY ? l->memory : 0),
			 "MemorySwap", (json_int_t)(s & SC_LIMIT_MEMORY_SWAP ? l->memory_swap : 0),
			 "MemoryReservation", (json_int_t)(s & SC_LIMIT_MEMORY_RESERVATION ? l->memory_reservation : 0),
			 "NanoCpus", (json_int_t)(s & SC_LIMIT_CPUS ? l->nano_cpus : 0),
			 "CpuShares", (json_int_t)(s & SC_LIMIT_CPU_SHARES ? l->cpu_shares : 0),
			 "CpuPeriod", (json_int_t)(s & SC_LIMIT_CPU_PERIOD ? l->cpu_period : 0),
			 "CpuQuota", (json_int_t)(s & SC_LIMIT_CPU_QUOTA ? l->cpu_quota : 0),
			 "CpusetCpus", s & SC_LIMIT_CPUSET_CPUS && l->cpuset_cpus ? l->cpuset_cpus : "",
			 "PidsLimit", (json_int_t)(s & SC_LIMIT_PIDS ? l->pids_limit : 0),
			 "BlkioWeight", (json_int_t)(s & SC_LIMIT_BLKIO_WEIGHT ? l->blkio_weight : 0),
			 "BlkioDeviceReadBps", throttle_json(l->read_bps, l->n_read_bps),
			 "BlkioDeviceWriteBps", throttle_json(l->write_bps, l->n_write_bps));
}

static json_t *cgroup_json(const struct sc_cgroup *cg)
{
	if (!cg)
		return json_null();
	json_t *o = json_pack("{s:i}", "Version", (int)cg->version);
	if (cg->version == SC_CGROUP_V2) {
		json_object_set_new(o, "Path", json_string(cg->dir));
	} else {
		json_t *p = json_object();
		for (int c = 0; c < SC_CG_NCTRL; c++)
			if (cg->v1[c])
				json_object_set_new(p, sc_cgroup_ctrl_name(c), json_string(cg->v1[c]));
		json_object_set_new(o, "Paths", p);
	}
	return o;
}

static json_t *inspect_one(const struct sc_state *s)
{
	char created[64], started[64], finished[64];
	sc_format_time(s->created, created, sizeof(created));
	sc_format_time(s->started, started, sizeof(started));
	sc_format_time(s->finished, finished, sizeof(finished));
	bool running = s->status == SC_STATUS_RUNNING && s->pid > 0;
	json_t *args = json_array();
	for (size_t i = 1; s->argv && s->argv[0] && s->argv[i]; i++)
		json_array_append_new(args, json_string(s->argv[i]));
	int mode = running ? live_seccomp_mode(s->pid) : -1;
	return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:{s:s, s:b, s:i, s:i, s:i, s:b, s:s, s:s, s:s}, "
			 "s:o, s:{s:o, s:b, s:{s:i, s:s?}}, s:s?, s:o, s:o}",
			 "Id", s->id, "Name", s->name, "Created", created,
			 "Path", s->argv ? s->argv[0] : NULL, "Args", args,
			 "State",
			 "Status", sc_status_name(s->status), "Running", running,
			 "Pid", running ? (int)s->pid : 0,
			 "SupervisorPid", running ? (int)s->supervisor : 0, "ExitCode", s->exit_code < 0 ? 0 : s->exit_code,
			 "OOMKilled", s->oom_killed, "Error", s->error ? s->error : "",
			 "StartedAt", started, "FinishedAt", finished,
			 "Namespaces", namespaces_json(s, running),
			 "Security",
			 "Capabilities", caps_json(s->caps), "NoNewPrivileges", s->no_new_privs,
			 "Seccomp", "Mode", mode >= 0 ? mode : s->seccomp_mode, "Profile", s->seccomp_profile,
			 "Hostname", s->hostname,
			 "Cgroup", cgroup_json(s->cgroup),
			 "HostConfig", limits_json(&s->limits));
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
		json_t *o = inspect_one(&s);
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
