/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json's "process": args, env, cwd, terminal, user, capabilities, rlimits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config_read.h"
#include "seclude/names.h"
#include "seclude/util.h"

static const struct { const char *name; int res; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int read_rlimit(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	(void)ctx;
	_cleanup_free_ char *type = NULL;
	int64_t hard = 0, soft = 0;
	int r;
	if ((r = cfg_read_string(c, o, "type", &type)) < 0 ||
	    (r = cfg_read_int(c, o, "hard", 0, UINT64_MAX, &hard, NULL)) < 0 ||
	    (r = cfg_read_int(c, o, "soft", 0, UINT64_MAX, &soft, NULL)) < 0)
		return r;
	int res = -1;
	for (size_t k = 0; type && k < SC_ARRAY_SIZE(rlimit_names); k++)
		if (strcmp(type, rlimit_names[k].name) == 0)
			res = rlimit_names[k].res;
	if (res < 0)
		return cfg_fail(c, o, "unknown rlimit type \"%s\"", type ? type : "");
	*(struct sc_rlimit *)slot = (struct sc_rlimit){ res, (rlim_t)(uint64_t)soft, (rlim_t)(uint64_t)hard };
	return 1;
}

static int parse_rlimits(struct cfg_ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	return cfg_each_object(c, proc, "rlimits", &cfg->rlimits, sizeof(*cfg->rlimits), &cfg->n_rlimits,
			       read_rlimit, NULL);
}

static int parse_caps(struct cfg_ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	static const char *const sets[SC_CAPS_NSETS] = { "bounding", "effective", "inheritable",
							 "permitted", "ambient" };
	const struct sc_json *o;
	int r = cfg_object_of(c, proc, "capabilities", &o);
	if (r < 0 || !o)
		return r;
	size_t old = cfg_push(c, ".capabilities");
	for (int s = 0; s < SC_CAPS_NSETS; s++) {
		char **names = NULL;
		size_t n = 0;
		if ((r = cfg_read_strv(c, o, sets[s], &names, &n)) < 0)
			return r;
		/* a name this build does not know is skipped, as runc warns and skips it */
		for (size_t i = 0; i < n; i++) {
			int cap = sc_cap_from_name(names[i]);
			if (cap >= 0 && cap < 64)
				cfg->caps[s] |= SC_CAP_SET(cap);
		}
		sc_strv_free(names, n);
	}
	cfg_pop(c, old);
	return 0;
}

static int parse_user(struct cfg_ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	const struct sc_json *u;
	int r = cfg_object_of(c, proc, "user", &u);
	if (r < 0 || !u)
		return r;
	size_t old = cfg_push(c, ".user");
	if ((r = cfg_read_u32(c, u, "uid", &cfg->uid)) < 0 || (r = cfg_read_u32(c, u, "gid", &cfg->gid)) < 0)
		return r;
	int64_t um = 0;
	if ((r = cfg_read_int(c, u, "umask", 0, 07777, &um, &cfg->has_umask)) < 0)
		return r;
	cfg->umask = (mode_t)um;
	const struct sc_json *a;
	if ((r = cfg_array_of(c, u, "additionalGids", &a)) < 0)
		return r;
	if (a) {
		size_t o2 = cfg_push(c, ".additionalGids");
		if (!(cfg->additional_gids = calloc(a->n_items + 1, sizeof(gid_t))))
			return cfg_nomem(c);
		for (size_t i = 0; i < a->n_items; i++) {
			int64_t g;
			size_t o3 = cfg_push(c, "[%zu]", i);
			if ((r = cfg_read_int_v(c, &a->items[i], 0, UINT32_MAX, &g)) < 0)
				return r;
			cfg_pop(c, o3);
			cfg->additional_gids[cfg->n_additional_gids++] = (gid_t)g;
		}
		cfg_pop(c, o2);
	}
	cfg_pop(c, old);
	return 0;
}

int cfg_parse_process(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *p;
	int r = cfg_object_of(c, root, "process", &p);
	if (r < 0 || !p)
		return r;
	cfg->has_process = true;
	size_t old = cfg_push(c, "process");
	if ((r = cfg_read_strv(c, p, "args", &cfg->args, &cfg->n_args)) < 0 ||
	    (r = cfg_read_strv(c, p, "env", &cfg->env, &cfg->n_env)) < 0 ||
	    (r = cfg_read_string(c, p, "cwd", &cfg->cwd)) < 0 ||
	    (r = cfg_read_bool(c, p, "terminal", &cfg->terminal)) < 0 ||
	    (r = cfg_read_bool(c, p, "noNewPrivileges", &cfg->no_new_privileges)) < 0 ||
	    (r = cfg_read_string(c, p, "apparmorProfile", &cfg->apparmor_profile)) < 0 ||
	    (r = cfg_read_string(c, p, "selinuxLabel", &cfg->selinux_label)) < 0)
		return r;
	int64_t oom = 0;
	if ((r = cfg_read_int(c, p, "oomScoreAdj", -1000, 1000, &oom, &cfg->has_oom_score_adj)) < 0)
		return r;
	cfg->oom_score_adj = (int)oom;
	const struct sc_json *cs;
	if ((r = cfg_object_of(c, p, "consoleSize", &cs)) < 0)
		return r;
	if (cs) {
		size_t o2 = cfg_push(c, ".consoleSize");
		uint32_t h = 0, w = 0;
		if ((r = cfg_read_u32(c, cs, "height", &h)) < 0 || (r = cfg_read_u32(c, cs, "width", &w)) < 0)
			return r;
		cfg->console_height = h;
		cfg->console_width = w;
		cfg_pop(c, o2);
	}
	if ((r = parse_user(c, p, cfg)) < 0 || (r = parse_caps(c, p, cfg)) < 0 ||
	    (r = parse_rlimits(c, p, cfg)) < 0)
		return r;
	/* runc: "args must not be empty" */
	if (cfg->n_args == 0) {
		cfg_push(c, ".args");
		return cfg_fail(c, p, "args must not be empty");
	}
	if (cfg->cwd && cfg->cwd[0] != '/') {
		cfg_push(c, ".cwd");
		return cfg_fail(c, cfg_get(p, "cwd"), "cwd \"%s\" is not an absolute path", cfg->cwd);
	}
	cfg_pop(c, old);
	return 0;
}
