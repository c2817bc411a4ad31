/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude-runc's verbs: their words read, one library call, its output printed. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runc.h"
#include "seclude/caps.h"
#include "seclude/cgroup.h"
#include "seclude/names.h"
#include "seclude/oci.h"
#include "seclude/oci_verbs.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

#define ONE_ID "exactly 1 argument(s): the container id"

static int parse_create(int argc, char **argv, struct sc_oci_create_opts *o, bool *detach)
{
	const struct runc_opt opts[] = {
		{ "--bundle", "-b", RUNC_STR, &o->bundle },
		{ "--pid-file", NULL, RUNC_STR, &o->pid_file },
		{ "--console-socket", NULL, RUNC_STR, &o->console_socket },
		{ "--pidfd-socket", NULL, RUNC_STR, &o->pidfd_socket },
		{ "--preserve-fds", NULL, RUNC_FDS, &o->preserve_fds },
		{ "--no-pivot", NULL, RUNC_BOOL, &o->no_pivot },
		{ "--no-new-keyring", NULL, RUNC_BOOL, &o->no_new_keyring },
		{ "--detach", "-d", RUNC_BOOL, detach },
		{ "--keep", NULL, RUNC_SKIP_BOOL, NULL },
		{ "--no-subreaper", NULL, RUNC_SKIP_BOOL, NULL },
		{ NULL, NULL, 0, NULL },
	};
	if (runc_parse(argv[0], argc, argv, opts, &o->id, 1, 1, ONE_ID, false, NULL) < 0)
		return -1;
	o->root = runc_g.root;
	if (sc_oci_rootless(runc_g.rootless, &o->rootless) < 0)
		return runc_fail("invalid --rootless value: %s (true, false or auto)", runc_g.rootless), -1;
	o->systemd_cgroup = runc_g.systemd_cgroup;
	o->log_denials = runc_g.log_denials;
	o->complain = runc_g.complain;
	o->learn_dir = runc_g.learn;
	o->learn_for = runc_g.learn_for;
	o->preserve_fds = sc_oci_listen_fds(o->preserve_fds);
	return 0;
}

static int verb_create(int argc, char **argv)
{
	struct sc_oci_create_opts o = {0};
	bool detach = false;
	struct sc_error err = {0};
	if (parse_create(argc, argv, &o, &detach) < 0)
		return 1;
	return sc_oci_create(&o, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_run(int argc, char **argv)
{
	struct sc_oci_create_opts o = {0};
	bool detach = false;
	struct sc_error err = {0};
	int code;
	if (parse_create(argc, argv, &o, &detach) < 0)
		return 1;
	return sc_oci_run(&o, detach, &code, &err) < 0 ? runc_fail_err(&err) : code;
}

/* A verb of one id and no options. */
static int one_id(int argc, char **argv, const char **id)
{
	return runc_parse(argv[0], argc, argv, NULL, id, 1, 1, ONE_ID, false, NULL);
}

static int verb_start(int argc, char **argv)
{
	const char *id;
	struct sc_error err = {0};
	if (one_id(argc, argv, &id) < 0)
		return 1;
	return sc_oci_start(runc_g.root, id, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_pause(int argc, char **argv)
{
	const char *id;
	struct sc_error err = {0};
	if (one_id(argc, argv, &id) < 0)
		return 1;
	return sc_oci_pause(runc_g.root, id, !strcmp(argv[0], "pause"), &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_state(int argc, char **argv)
{
	const char *id;
	struct sc_error err = {0};
	char *json = NULL;
	if (one_id(argc, argv, &id) < 0)
		return 1;
	if (sc_oci_state(runc_g.root, id, &json, &err) < 0)
		return runc_fail_err(&err);
	printf("%s\n", json);
	free(json);
	return 0;
}

static int verb_kill(int argc, char **argv)
{
	bool all = false;
	const struct runc_opt opts[] = { { "--all", "-a", RUNC_BOOL, &all }, { NULL, NULL, 0, NULL } };
	const char *pos[2] = { NULL, NULL };
	struct sc_error err = {0};
	if (runc_parse("kill", argc, argv, opts, pos, 1, 2, "1 or 2 argument(s): the container id and a signal",
		       false, NULL) < 0)
		return 1;
	int sig = SIGTERM;
	if (pos[1] && (sig = sc_oci_signal_from_name(pos[1])) < 0)
		return runc_fail("unknown signal \"%s\"", pos[1]);
	return sc_oci_kill(runc_g.root, pos[0], sig, all, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_delete(int argc, char **argv)
{
	bool force = false;
	const struct runc_opt opts[] = { { "--force", "-f", RUNC_BOOL, &force }, { NULL, NULL, 0, NULL } };
	const char *id;
	struct sc_error err = {0};
	if (runc_parse("delete", argc, argv, opts, &id, 1, 1, ONE_ID, false, NULL) < 0)
		return 1;
	return sc_oci_delete(runc_g.root, id, force, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_list(int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	const struct runc_opt opts[] = {
		{ "--format", "-f", RUNC_STR, &format }, { "--quiet", "-q", RUNC_BOOL, &quiet }, { NULL, NULL, 0, NULL },
	};
	struct sc_error err = {0};
	if (runc_parse("list", argc, argv, opts, NULL, 0, 0, "no arguments", false, NULL) < 0)
		return 1;
	enum sc_oci_list_format f = !strcmp(format, "json") ? SC_OCI_LIST_JSON
				    : quiet		   ? SC_OCI_LIST_QUIET
							   : SC_OCI_LIST_TABLE;
	return sc_oci_print_list(stdout, runc_g.root, f, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_ps(int argc, char **argv)
{
	const char *format = "table";
	const struct runc_opt opts[] = { { "--format", "-f", RUNC_STR, &format }, { NULL, NULL, 0, NULL } };
	struct sc_error err = {0};
	int id = argc;
	/* ps(1) options after the id: the table is ours */
	if (runc_parse("ps", argc, argv, opts, NULL, 1, 1, "at least 1 argument(s): the container id", true,
		       &id) < 0)
		return 1;
	bool json = strcmp(format, "json") == 0;
	return sc_oci_print_ps(stdout, runc_g.root, argv[id], json, &err) < 0 ? runc_fail_err(&err) : 0;
}

/* A number as Go's strconv reads it (base 0 for ParseInt, 10 for Atoi): -EINVAL, -ERANGE. */
static int go_int(const char *s, int base, long long *out)
{
	char *end;
	errno = 0;
	if (!s[0] || isspace((unsigned char)s[0]))
		return -EINVAL;
	long long v = strtoll(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

static const char *go_int_error(int r)
{
	return r == -ERANGE ? "value out of range" : "invalid syntax";
}

/* --user UID[:GID], as runc reads it; its errors exit 255. */
static int exec_user(const char *user, struct sc_oci_exec_opts *o)
{
	char uid[64] = "";
	const char *colon = strchr(user, ':');
	snprintf(uid, sizeof(uid), "%.*s", colon ? (int)(colon - user) : (int)strlen(user), user);
	long long v;
	int r;
	if (colon) {
		if ((r = go_int(colon + 1, 10, &v)) < 0)
			return runc_fail("exec failed: parsing %s as int for gid failed: strconv.Atoi: parsing \"%s\": %s",
					 colon + 1, colon + 1, go_int_error(r)), -1;
		o->gid = (uint32_t)v;
		o->has_gid = true;
	}
	if ((r = go_int(uid, 10, &v)) < 0)
		return runc_fail("exec failed: parsing %s as int for uid failed: strconv.Atoi: parsing \"%s\": %s", uid,
				 uid, go_int_error(r)), -1;
	o->uid = (uint32_t)v;
	o->has_uid = true;
	return 0;
}

/* --cap NAME...: the names runc knows (CAP_ and upper case); the others skipped with runc's warning. */
static uint64_t exec_caps(const struct runc_list *l)
{
	uint64_t caps = 0;
	char skipped[1024] = "";
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		int cap = sc_cap_from_name(l->v[i]);
		if (cap >= 0 && cap <= sc_cap_last() && cap < 64 && !strcmp(sc_cap_name(cap), l->v[i])) {
			caps |= SC_CAP_SET(cap);
			continue;
		}
		if (k < sizeof(skipped))
			k += (size_t)snprintf(skipped + k, sizeof(skipped) - k, "%s%s", k ? " " : "", l->v[i]);
	}
	if (skipped[0])
		runc_warn("ignoring unknown or unavailable capabilities: [%s]", skipped);
	return caps;
}

/*
 * --cgroup [CONTROLLER[,CONTROLLER...]:]PATH, as runc reads it: each
 * controller with its path ("" for all, given alone); runc's words.
 */
static int exec_cgroups(const struct runc_list *l, char **ctrls, char **paths, size_t *n, char *buf, size_t len,
			size_t *used)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *a = l->v[i], *c1 = strchr(a, ':');
		if (c1 && strchr(c1 + 1, ':'))
			return runc_fail("exec failed: invalid --cgroup argument: %s", a), -1;
		if (!c1) {
			if (l->n != 1)
				return runc_fail("exec failed: invalid --cgroup argument: %s (missing <controller>: prefix)",
						 a), -1;
			ctrls[*n] = (char *)"";
			paths[(*n)++] = (char *)a;
			continue;
		}
		/* the controllers, split at commas, each a string of buf */
		size_t clen = (size_t)(c1 - a);
		if (*used + clen + 1 > len)
			return runc_fail("exec failed: --cgroup: too many"), -1;
		char *copy = buf + *used;
		memcpy(copy, a, clen);
		copy[clen] = '\0';
		*used += clen + 1;
		for (char *save = NULL, *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
			if (*n >= SC_ARRAY_SIZE(l->v))
				return runc_fail("exec failed: --cgroup: too many"), -1;
			ctrls[*n] = c;
			paths[(*n)++] = (char *)c1 + 1;
		}
	}
	return 0;
}

static int verb_exec(int argc, char **argv)
{
	struct sc_oci_exec_opts o = { .root = runc_g.root, .no_new_privs = -1 };
	struct runc_list env = { .n = 0 }, caps = { .n = 0 }, gids = { .n = 0 }, cgroups = { .n = 0 };
	const char *user = NULL;
	const struct runc_opt opts[] = {
		{ "--process", "-p", RUNC_STR, &o.process },
		{ "--pid-file", NULL, RUNC_STR, &o.pid_file },
		{ "--console-socket", NULL, RUNC_STR, &o.console_socket },
		{ "--cwd", NULL, RUNC_STR, &o.cwd },
		{ "--user", "-u", RUNC_STR, &user },
		{ "--env", "-e", RUNC_LIST, &env },
		{ "--preserve-fds", NULL, RUNC_FDS, &o.preserve_fds },
		{ "--detach", "-d", RUNC_BOOL, &o.detach },
		{ "--tty", "-t", RUNC_BOOL, &o.tty },
		{ "--cap", "-c", RUNC_LIST, &caps },
		{ "--additional-gids", "-g", RUNC_LIST, &gids },
		{ "--no-new-privs", NULL, RUNC_OPTBOOL, &o.no_new_privs },
		{ "--apparmor", NULL, RUNC_STR, &o.apparmor },
		{ "--process-label", NULL, RUNC_STR, &o.process_label },
		{ "--ignore-paused", NULL, RUNC_BOOL, &o.ignore_paused },
		{ "--cgroup", NULL, RUNC_LIST, &cgroups },
		/* accepted; not honoured (runc 1.1 has no such exec option) */
		{ "--pidfd-socket", NULL, RUNC_SKIP, NULL },
		{ NULL, NULL, 0, NULL },
	};
	struct sc_error err = {0};
	int i = argc, code;
	if (runc_parse("exec", argc, argv, opts, NULL, 1, 1, "at least 1 argument(s): the container id", true,
		       &i) < 0)
		return 1;
	uint32_t gidv[SC_ARRAY_SIZE(gids.v)];
	for (size_t k = 0; k < gids.n; k++) {
		long long v;
		int r = go_int(gids.v[k], 0, &v);
		if (r < 0)
			return runc_fail("invalid value \"%s\" for flag -additional-gids: strconv.ParseInt: parsing "
					 "\"%s\": %s", gids.v[k], gids.v[k], go_int_error(r));
		if (v < 0)
			return runc_fail("exec failed: additional-gids must be a positive number %lld", v), 255;
		gidv[k] = (uint32_t)v;
	}
	/* errors from here on are runc's "exec failed: ...", status 255 */
	char *cg_ctrls[SC_ARRAY_SIZE(cgroups.v)], *cg_paths[SC_ARRAY_SIZE(cgroups.v)];
	char cg_buf[8192];
	size_t ncg = 0, used = 0;
	if (exec_cgroups(&cgroups, cg_ctrls, cg_paths, &ncg, cg_buf, sizeof(cg_buf), &used) < 0)
		return 255;
	o.cgroup_ctrls = cg_ctrls;
	o.cgroup_paths = cg_paths;
	o.n_cgroup = ncg;
	if (user && user[0] && exec_user(user, &o) < 0)
		return 255;
	o.id = argv[i];
	o.env = env.v;
	o.n_env = env.n;
	o.additional_gids = gidv;
	o.n_additional_gids = gids.n;
	o.caps = exec_caps(&caps);
	if (!o.process)
		o.args = argv + i + 1;
	if (sc_oci_exec(&o, &code, &err) < 0)
		return runc_fail("exec failed: %s", err.msg[0] ? err.msg : strerror(err.code ? -err.code : EINVAL)), 255;
	return code;
}

/* runc's update flags, as the LinuxResources object they stand for (0 and "" leave a value as it is). */
struct update_flags {
	const char *memory, *memory_swap, *memory_reservation, *kernel_memory, *kernel_memory_tcp;
	const char *cpu_period, *cpu_quota, *cpu_share, *cpu_rt_period, *cpu_rt_runtime;
	const char *cpuset_cpus, *cpuset_mems, *blkio_weight, *pids_limit, *l3_cache_schema, *mem_bw_schema;
};

/* A size flag as runc reads it: -1, or Docker's RAMInBytes. */
static int update_size(const char *name, const char *v, long long *out)
{
	int64_t n;
	if (!v || !v[0]) {
		*out = 0;
		return 0;
	}
	if (!strcmp(v, "-1")) {
		*out = -1;
		return 0;
	}
	struct sc_error e = {0};
	if (sc_parse_size(v, &n, &e) < 0)
		return runc_fail("invalid value for %s: invalid size: '%s'", name, v), -1;
	*out = n;
	return 0;
}

static int update_number(const char *name, const char *v, bool is_signed, bool usage, long long *out)
{
	*out = 0;
	if (!v || !v[0])
		return 0;
	int r = go_int(v, 10, out);
	if (r == 0 && !is_signed && (*out < 0 || v[0] == '-' || v[0] == '+'))
		r = -EINVAL;
	if (r == 0)
		return 0;
	if (usage)
		return runc_fail("invalid value \"%s\" for flag -%s: parse error", v, name), -1;
	return runc_fail("invalid value for %s: strconv.Parse%s: parsing \"%s\": %s", name, is_signed ? "Int" : "Uint",
			 v, go_int_error(r)), -1;
}

/* The flags as JSON for sc_oci_resources_parse (-1: no limit); NULL after runc_fail. */
static char *update_json(const struct update_flags *f)
{
	long long mem, swap, resv, kmem, ktcp, period, quota, shares, rtp, rtr, weight, pids;
	if (update_size("memory", f->memory, &mem) < 0 || update_size("memory-swap", f->memory_swap, &swap) < 0 ||
	    update_size("kernel-memory", f->kernel_memory, &kmem) < 0 ||
	    update_size("kernel-memory-tcp", f->kernel_memory_tcp, &ktcp) < 0 ||
	    update_size("memory-reservation", f->memory_reservation, &resv) < 0 ||
	    update_number("cpu-period", f->cpu_period, false, false, &period) < 0 ||
	    update_number("cpu-rt-period", f->cpu_rt_period, false, false, &rtp) < 0 ||
	    update_number("cpu-share", f->cpu_share, false, false, &shares) < 0 ||
	    update_number("cpu-quota", f->cpu_quota, true, false, &quota) < 0 ||
	    update_number("cpu-rt-runtime", f->cpu_rt_runtime, true, false, &rtr) < 0 ||
	    update_number("blkio-weight", f->blkio_weight, true, true, &weight) < 0 ||
	    update_number("pids-limit", f->pids_limit, true, true, &pids) < 0)
		return NULL;
	if (kmem || ktcp)
		runc_warn("Kernel memory settings are ignored and will be removed");
	if (f->l3_cache_schema && f->l3_cache_schema[0])
		return runc_fail("Intel RDT/CAT: l3 cache schema is not enabled"), NULL;
	if (f->mem_bw_schema && f->mem_bw_schema[0])
		return runc_fail("Intel RDT/MBA: memory bandwidth schema is not enabled"), NULL;
	char *json = NULL;
	/* JSON strings of the cpu and node lists: their characters need no escaping, others are refused */
	const char *cpus = f->cpuset_cpus ? f->cpuset_cpus : "";
	const char *mems = f->cpuset_mems ? f->cpuset_mems : "";
	if (strspn(cpus, "0123456789,-") != strlen(cpus))
		return runc_fail("invalid value for cpuset-cpus: %s", cpus), NULL;
	if (strspn(mems, "0123456789,-") != strlen(mems))
		return runc_fail("invalid value for cpuset-mems: %s", mems), NULL;
	if (asprintf(&json,
		     "{\"memory\": {\"limit\": %lld, \"swap\": %lld, \"reservation\": %lld}, "
		     "\"cpu\": {\"shares\": %lld, \"quota\": %lld, \"period\": %lld, \"cpus\": \"%s\", "
		     "\"mems\": \"%s\", \"realtimePeriod\": %lld, \"realtimeRuntime\": %lld}, "
		     "\"pids\": {\"limit\": %lld}, \"blockIO\": {\"weight\": %lld}}",
		     mem, swap, resv, shares, quota, period, cpus, mems, rtp, rtr, pids, weight) < 0)
		return runc_fail("out of memory"), NULL;
	return json;
}

static int verb_update(int argc, char **argv)
{
	const char *file = NULL, *id;
	struct update_flags f = {0};
	const struct runc_opt opts[] = {
		{ "--resources", "-r", RUNC_STR, &file },
		{ "--memory", NULL, RUNC_STR, &f.memory },
		{ "--memory-swap", NULL, RUNC_STR, &f.memory_swap },
		{ "--memory-reservation", NULL, RUNC_STR, &f.memory_reservation },
		{ "--kernel-memory", NULL, RUNC_STR, &f.kernel_memory },
		{ "--kernel-memory-tcp", NULL, RUNC_STR, &f.kernel_memory_tcp },
		{ "--cpu-period", NULL, RUNC_STR, &f.cpu_period },
		{ "--cpu-quota", NULL, RUNC_STR, &f.cpu_quota },
		{ "--cpu-share", NULL, RUNC_STR, &f.cpu_share },
		{ "--cpu-rt-period", NULL, RUNC_STR, &f.cpu_rt_period },
		{ "--cpu-rt-runtime", NULL, RUNC_STR, &f.cpu_rt_runtime },
		{ "--cpuset-cpus", NULL, RUNC_STR, &f.cpuset_cpus },
		{ "--cpuset-mems", NULL, RUNC_STR, &f.cpuset_mems },
		{ "--blkio-weight", NULL, RUNC_STR, &f.blkio_weight },
		{ "--pids-limit", NULL, RUNC_STR, &f.pids_limit },
		{ "--l3-cache-schema", NULL, RUNC_STR, &f.l3_cache_schema },
		{ "--mem-bw-schema", NULL, RUNC_STR, &f.mem_bw_schema },
		{ NULL, NULL, 0, NULL },
	};
	struct sc_error err = {0};
	if (runc_parse("update", argc, argv, opts, &id, 1, 1, ONE_ID, false, NULL) < 0)
		return 1;
	/* as runc: with --resources, the other flags are ignored */
	if (file && file[0])
		return sc_oci_update_from(runc_g.root, id, file, &err) < 0 ? runc_fail_err(&err) : 0;
	char *json = update_json(&f);
	if (!json)
		return 1;
	struct sc_oci_config *res = NULL;
	int r = sc_oci_resources_parse(json, strlen(json), "<update flags>", &res, &err);
	free(json);
	if (r == 0)
		r = sc_oci_update(runc_g.root, id, res, &err);
	sc_oci_config_free(res);
	return r < 0 ? runc_fail_err(&err) : 0;
}

static int verb_spec(int argc, char **argv)
{
	const char *bundle = ".";
	bool rootless = false;
	const struct runc_opt opts[] = {
		{ "--bundle", "-b", RUNC_STR, &bundle }, { "--rootless", NULL, RUNC_BOOL, &rootless },
		{ NULL, NULL, 0, NULL },
	};
	struct sc_error err = {0};
	if (runc_parse("spec", argc, argv, opts, NULL, 0, 0, "no arguments", false, NULL) < 0)
		return 1;
	return sc_oci_spec_write(bundle, rootless, &err) < 0 ? runc_fail_err(&err) : 0;
}

static int verb_features(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sc_oci_print_features(stdout);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} verbs[] = {
	{ "create", verb_create }, { "start", verb_start }, { "run", verb_run }, { "state", verb_state },
	{ "kill", verb_kill }, { "delete", verb_delete }, { "list", verb_list }, { "ps", verb_ps },
	{ "pause", verb_pause }, { "resume", verb_pause }, { "spec", verb_spec },
	{ "features", verb_features }, { "exec", verb_exec }, { "update", verb_update },
};

int runc_verb(const char *verb, int argc, char **argv)
{
	for (size_t k = 0; k < SC_ARRAY_SIZE(verbs); k++)
		if (!strcmp(verbs[k].name, verb))
			return verbs[k].fn(argc, argv);
	return -2;
}
