/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's record as docker inspect shows one, with what the kernel says of it now. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seclude/caps.h"
#include "seclude/container.h"
#include "seclude/util.h"

static const char *const ns_files[] = { "pid", "mnt", "uts", "ipc", "net", "cgroup", "user" };

static json_t *namespaces_json(const struct sc_state *s, bool live)
{
	json_t *o = json_object();
	for (size_t i = 0; i < SC_ARRAY_SIZE(ns_files); i++) {
		bool own = s->spec.namespaces & (1u << i);  /* enum sc_ns order */
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
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:o, s:o}",
			 "Memory", (json_int_t)(s & SC_LIMIT_MEMORY ? l->memory : 0),
			 "MemorySwap", (json_int_t)(s & SC_LIMIT_MEMORY_SWAP ? l->memory_swap : 0),
			 "MemoryReservation", (json_int_t)(s & SC_LIMIT_MEMORY_RESERVATION ? l->memory_reservation : 0),
			 "NanoCpus", (json_int_t)(s & SC_LIMIT_CPUS ? l->nano_cpus : 0),
			 "CpuShares", (json_int_t)(s & SC_LIMIT_CPU_SHARES ? l->cpu_shares : 0),
			 "CpuPeriod", (json_int_t)(s & SC_LIMIT_CPU_PERIOD ? l->cpu_period : 0),
			 "CpuQuota", (json_int_t)(s & SC_LIMIT_CPU_QUOTA ? l->cpu_quota : 0),
			 "CpusetCpus", s & SC_LIMIT_CPUSET_CPUS && l->cpuset_cpus ? l->cpuset_cpus : "",
			 "CpusetMems", s & SC_LIMIT_CPUSET_MEMS && l->cpuset_mems ? l->cpuset_mems : "",
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

json_t *sc_container_inspect(const struct sc_state *s)
{
	char created[64], started[64], finished[64];
	sc_format_time(s->created, created, sizeof(created));
	sc_format_time(s->started, started, sizeof(started));
	sc_format_time(s->finished, finished, sizeof(finished));
	bool running = s->status == SC_STATUS_RUNNING && s->pid > 0;
	json_t *args = json_array();
	char *const *argv = s->spec.process.args;
	for (size_t i = 1; argv && argv[0] && argv[i]; i++)
		json_array_append_new(args, json_string(argv[i]));
	int mode = running ? live_seccomp_mode(s->pid) : -1;
	return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:{s:s, s:b, s:i, s:i, s:i, s:b, s:s, s:s, s:s}, "
			 "s:o, s:{s:o, s:b, s:{s:i, s:s?}}, s:s?, s:o, s:o}",
			 "Id", s->id, "Name", s->name, "Created", created,
			 "Path", argv ? argv[0] : NULL, "Args", args,
			 "State",
			 "Status", sc_status_name(s->status), "Running", running,
			 "Pid", running ? (int)s->pid : 0,
			 "SupervisorPid", running ? (int)s->supervisor : 0, "ExitCode", s->exit_code < 0 ? 0 : s->exit_code,
			 "OOMKilled", s->oom_killed, "Error", s->error ? s->error : "",
			 "StartedAt", started, "FinishedAt", finished,
			 "Namespaces", namespaces_json(s, running),
			 "Security",
			 "Capabilities", caps_json(s->spec.process.caps), "NoNewPrivileges", s->spec.process.no_new_privs,
			 "Seccomp", "Mode", mode >= 0 ? mode : (s->spec.seccomp.confined ? 2 : 0), "Profile", s->spec.seccomp.profile,
			 "Hostname", s->spec.hostname,
			 "Cgroup", cgroup_json(s->cgroup),
			 "HostConfig", limits_json(&s->spec.limits));
}

