/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json -> struct sc_oci_config.  Keys match as Go's encoding/json
 * (which runc uses) matches them: case-insensitively, the last of
 * duplicates winning; null is the same as absent; unknown keys are
 * ignored.  Every refusal names the place: "origin:line:col: path: what".
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "seclude/jsonloc.h"
#include "seclude/names.h"
#include "seclude/oci.h"
#include "seclude/util.h"

const char *const sc_oci_hook_names[SC_HOOK_NKINDS] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

struct ctx {
	const char *origin;
	struct sc_error *err;
	char path[512];
};

static int fail(struct ctx *c, const struct sc_json *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct ctx *c, const struct sc_json *v, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sc_error_set(c->err, -EINVAL, "%s:%u:%u: %s: %s", c->origin, v->loc.line, v->loc.col,
			    c->path, msg);
}

static int nomem(struct ctx *c)
{
	return sc_error_set(c->err, -ENOMEM, "out of memory");
}

/* Path bookkeeping: push ".key" or "[i]", pop back to a saved length. */
static size_t push(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push(struct ctx *c, const char *fmt, ...)
{
	size_t old = strlen(c->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->path + old, sizeof(c->path) - old, fmt, ap);
	va_end(ap);
	return old;
}

static void pop(struct ctx *c, size_t old)
{
	c->path[old] = '\0';
}

static const char *kind(const struct sc_json *v)
{
	switch (v->type) {
	case SC_JSON_NULL: return "null";
	case SC_JSON_FALSE:
	case SC_JSON_TRUE: return "a boolean";
	case SC_JSON_NUMBER: return "a number";
	case SC_JSON_STRING: return "a string";
	case SC_JSON_ARRAY: return "an array";
	default: return "an object";
	}
}

static int type_error(struct ctx *c, const struct sc_json *v, const char *want)
{
	return fail(c, v, "expected %s, got %s", want, kind(v));
}

/* The member named key (case-insensitive, last wins), or NULL; null counts as absent. */
static const struct sc_json *get(const struct sc_json *obj, const char *key)
{
	const struct sc_json *found = NULL;
	for (size_t i = 0; obj && obj->type == SC_JSON_OBJECT && i < obj->n_members; i++)
		if (strcasecmp(obj->members[i].key, key) == 0)
			found = &obj->members[i].value;
	return found && found->type != SC_JSON_NULL ? found : NULL;
}

/*
 * Each reader below takes the parent object and a key, does nothing when
 * the key is absent, and keeps the path right in its messages.
 */
static int want_object(struct ctx *c, const struct sc_json *v)
{
	return v->type == SC_JSON_OBJECT ? 0 : type_error(c, v, "an object");
}

static int read_string(struct ctx *c, const struct sc_json *obj, const char *key, char **out)
{
	const struct sc_json *v = get(obj, key);
	if (!v)
		return 0;
	size_t old = push(c, ".%s", key);
	if (v->type != SC_JSON_STRING)
		return type_error(c, v, "a string");
	pop(c, old);
	free(*out);
	if (!(*out = strdup(v->str)))
		return nomem(c);
	return 0;
}

static int read_bool(struct ctx *c, const struct sc_json *obj, const char *key, bool *out)
{
	const struct sc_json *v = get(obj, key);
	if (!v)
		return 0;
	size_t old = push(c, ".%s", key);
	if (v->type != SC_JSON_TRUE && v->type != SC_JSON_FALSE)
		return type_error(c, v, "a boolean");
	pop(c, old);
	*out = v->type == SC_JSON_TRUE;
	return 0;
}

/* An integer in [min, max]; *has (may be NULL) says it was there. */
static int read_int_v(struct ctx *c, const struct sc_json *v, int64_t min, uint64_t max, int64_t *out)
{
	if (v->type != SC_JSON_NUMBER)
		return type_error(c, v, "an integer");
	bool neg = v->lit_len > 0 && v->lit[0] == '-';
	char buf[64];
	if (v->lit_len >= sizeof(buf) || memchr(v->lit, '.', v->lit_len) || memchr(v->lit, 'e', v->lit_len) ||
	    memchr(v->lit, 'E', v->lit_len))
		return fail(c, v, "expected an integer, got %.*s", (int)(v->lit_len < 40 ? v->lit_len : 40), v->lit);
	memcpy(buf, v->lit, v->lit_len);
	buf[v->lit_len] = '\0';
	errno = 0;
	if (neg) {
		long long x = strtoll(buf, NULL, 10);
		if (errno || x < min)
			return fail(c, v, "%s is out of range", buf);
		*out = x;
	} else {
		unsigned long long x = strtoull(buf, NULL, 10);
		if (errno || x > max)
			return fail(c, v, "%s is out of range", buf);
		*out = (int64_t)x;
	}
	return 0;
}

static int read_int(struct ctx *c, const struct sc_json *obj, const char *key, int64_t min, uint64_t max,
		    int64_t *out, bool *has)
{
	const struct sc_json *v = get(obj, key);
	if (!v)
		return 0;
	size_t old = push(c, ".%s", key);
	int r = read_int_v(c, v, min, max, out);
	if (r < 0)
		return r;
	pop(c, old);
	if (has)
		*has = true;
	return 0;
}

static int read_u32(struct ctx *c, const struct sc_json *obj, const char *key, uint32_t *out)
{
	int64_t x = *out;
	int r = read_int(c, obj, key, 0, UINT32_MAX, &x, NULL);
	*out = (uint32_t)x;
	return r;
}

static int read_strv(struct ctx *c, const struct sc_json *obj, const char *key, char ***out, size_t *n)
{
	const struct sc_json *v = get(obj, key);
	if (!v)
		return 0;
	size_t old = push(c, ".%s", key);
	if (v->type != SC_JSON_ARRAY)
		return type_error(c, v, "an array of strings");
	char **s = calloc(v->n_items + 1, sizeof(*s));
	if (!s)
		return nomem(c);
	for (size_t i = 0; i < v->n_items; i++) {
		if (v->items[i].type != SC_JSON_STRING) {
			sc_strv_free(s, i);
			size_t o2 = push(c, "[%zu]", i);
			(void)o2;
			return type_error(c, &v->items[i], "a string");
		}
		if (!(s[i] = strdup(v->items[i].str))) {
			sc_strv_free(s, i);
			return nomem(c);
		}
	}
	pop(c, old);
	sc_strv_free(*out, *n);
	*out = s;
	*n = v->n_items;
	return 0;
}

/* An array member: NULL when absent, else checked to be an array. */
static int array_of(struct ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out)
{
	*out = get(obj, key);
	if (*out && (*out)->type != SC_JSON_ARRAY) {
		push(c, ".%s", key);
		return type_error(c, *out, "an array");
	}
	return 0;
}

static int object_of(struct ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out)
{
	*out = get(obj, key);
	if (*out && (*out)->type != SC_JSON_OBJECT) {
		push(c, ".%s", key);
		return type_error(c, *out, "an object");
	}
	return 0;
}

/* ---- process ---------------------------------------------------------- */

static const struct { const char *name; int res; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimits(struct ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	const struct sc_json *a;
	int r = array_of(c, proc, "rlimits", &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, ".rlimits");
	if (!(cfg->rlimits = calloc(a->n_items + 1, sizeof(*cfg->rlimits))))
		return nomem(c);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		char *type = NULL;
		int64_t hard = 0, soft = 0;
		if ((r = read_string(c, o, "type", &type)) < 0 ||
		    (r = read_int(c, o, "hard", 0, UINT64_MAX, &hard, NULL)) < 0 ||
		    (r = read_int(c, o, "soft", 0, UINT64_MAX, &soft, NULL)) < 0) {
			free(type);
			return r;
		}
		int res = -1;
		for (size_t k = 0; type && k < SC_ARRAY_SIZE(rlimit_names); k++)
			if (strcmp(type, rlimit_names[k].name) == 0)
				res = rlimit_names[k].res;
		if (res < 0) {
			r = fail(c, o, "unknown rlimit type \"%s\"", type ? type : "");
			free(type);
			return r;
		}
		free(type);
		cfg->rlimits[cfg->n_rlimits++] = (struct sc_rlimit){ res, (rlim_t)(uint64_t)soft,
								     (rlim_t)(uint64_t)hard };
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_caps(struct ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	static const char *const sets[SC_CAPS_NSETS] = { "bounding", "effective", "inheritable",
							 "permitted", "ambient" };
	const struct sc_json *o;
	int r = object_of(c, proc, "capabilities", &o);
	if (r < 0 || !o)
		return r;
	size_t old = push(c, ".capabilities");
	for (int s = 0; s < SC_CAPS_NSETS; s++) {
		char **names = NULL;
		size_t n = 0;
		if ((r = read_strv(c, o, sets[s], &names, &n)) < 0)
			return r;
		/* a name this build does not know is skipped, as runc warns and skips it */
		for (size_t i = 0; i < n; i++) {
			int cap = sc_cap_from_name(names[i]);
			if (cap >= 0 && cap < 64)
				cfg->caps[s] |= SC_CAP_SET(cap);
		}
		sc_strv_free(names, n);
	}
	pop(c, old);
	return 0;
}

static int parse_user(struct ctx *c, const struct sc_json *proc, struct sc_oci_config *cfg)
{
	const struct sc_json *u;
	int r = object_of(c, proc, "user", &u);
	if (r < 0 || !u)
		return r;
	size_t old = push(c, ".user");
	if ((r = read_u32(c, u, "uid", &cfg->uid)) < 0 || (r = read_u32(c, u, "gid", &cfg->gid)) < 0)
		return r;
	int64_t um = 0;
	if ((r = read_int(c, u, "umask", 0, 07777, &um, &cfg->has_umask)) < 0)
		return r;
	cfg->umask = (mode_t)um;
	const struct sc_json *a;
	if ((r = array_of(c, u, "additionalGids", &a)) < 0)
		return r;
	if (a) {
		size_t o2 = push(c, ".additionalGids");
		if (!(cfg->additional_gids = calloc(a->n_items + 1, sizeof(gid_t))))
			return nomem(c);
		for (size_t i = 0; i < a->n_items; i++) {
			int64_t g;
			size_t o3 = push(c, "[%zu]", i);
			if ((r = read_int_v(c, &a->items[i], 0, UINT32_MAX, &g)) < 0)
				return r;
			pop(c, o3);
			cfg->additional_gids[cfg->n_additional_gids++] = (gid_t)g;
		}
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_process(struct ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *p;
	int r = object_of(c, root, "process", &p);
	if (r < 0 || !p)
		return r;
	cfg->has_process = true;
	size_t old = push(c, "process");
	if ((r = read_strv(c, p, "args", &cfg->args, &cfg->n_args)) < 0 ||
	    (r = read_strv(c, p, "env", &cfg->env, &cfg->n_env)) < 0 ||
	    (r = read_string(c, p, "cwd", &cfg->cwd)) < 0 ||
	    (r = read_bool(c, p, "terminal", &cfg->terminal)) < 0 ||
	    (r = read_bool(c, p, "noNewPrivileges", &cfg->no_new_privileges)) < 0 ||
	    (r = read_string(c, p, "apparmorProfile", &cfg->apparmor_profile)) < 0 ||
	    (r = read_string(c, p, "selinuxLabel", &cfg->selinux_label)) < 0)
		return r;
	int64_t oom = 0;
	if ((r = read_int(c, p, "oomScoreAdj", -1000, 1000, &oom, &cfg->has_oom_score_adj)) < 0)
		return r;
	cfg->oom_score_adj = (int)oom;
	const struct sc_json *cs;
	if ((r = object_of(c, p, "consoleSize", &cs)) < 0)
		return r;
	if (cs) {
		size_t o2 = push(c, ".consoleSize");
		uint32_t h = 0, w = 0;
		if ((r = read_u32(c, cs, "height", &h)) < 0 || (r = read_u32(c, cs, "width", &w)) < 0)
			return r;
		cfg->console_height = h;
		cfg->console_width = w;
		pop(c, o2);
	}
	if ((r = parse_user(c, p, cfg)) < 0 || (r = parse_caps(c, p, cfg)) < 0 ||
	    (r = parse_rlimits(c, p, cfg)) < 0)
		return r;
	/* runc: "args must not be empty" */
	if (cfg->n_args == 0) {
		push(c, ".args");
		return fail(c, p, "args must not be empty");
	}
	if (cfg->cwd && cfg->cwd[0] != '/') {
		push(c, ".cwd");
		return fail(c, get(p, "cwd"), "cwd \"%s\" is not an absolute path", cfg->cwd);
	}
	pop(c, old);
	return 0;
}

/* ---- mounts, hooks, annotations --------------------------------------- */

static int parse_mounts(struct ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *a;
	int r = array_of(c, root, "mounts", &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, "mounts");
	if (!(cfg->mounts = calloc(a->n_items + 1, sizeof(*cfg->mounts))))
		return nomem(c);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		struct sc_oci_mount *m = &cfg->mounts[cfg->n_mounts++];
		m->loc = o->loc;
		if ((r = read_string(c, o, "destination", &m->destination)) < 0 ||
		    (r = read_string(c, o, "type", &m->type)) < 0 ||
		    (r = read_string(c, o, "source", &m->source)) < 0 ||
		    (r = read_strv(c, o, "options", &m->options, &m->n_options)) < 0)
			return r;
		if (!m->destination || !m->destination[0])
			return fail(c, o, "a mount needs a destination");
		if (m->destination[0] != '/')
			return fail(c, get(o, "destination"), "mount destination %s is not an absolute path",
				    m->destination);
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_hooks(struct ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *h;
	int r = object_of(c, root, "hooks", &h);
	if (r < 0 || !h)
		return r;
	size_t old = push(c, "hooks");
	for (int k = 0; k < SC_HOOK_NKINDS; k++) {
		const struct sc_json *a;
		size_t o2 = strlen(c->path);
		if ((r = array_of(c, h, sc_oci_hook_names[k], &a)) < 0)
			return r;
		if (!a)
			continue;
		push(c, ".%s", sc_oci_hook_names[k]);
		if (!(cfg->hooks[k] = calloc(a->n_items + 1, sizeof(struct sc_oci_hook))))
			return nomem(c);
		for (size_t i = 0; i < a->n_items; i++) {
			const struct sc_json *o = &a->items[i];
			size_t o3 = push(c, "[%zu]", i);
			if ((r = want_object(c, o)) < 0)
				return r;
			struct sc_oci_hook *hk = &cfg->hooks[k][cfg->n_hooks[k]++];
			int64_t t = 0;
			bool has_t = false;
			if ((r = read_string(c, o, "path", &hk->path)) < 0 ||
			    (r = read_strv(c, o, "args", &hk->args, &hk->n_args)) < 0 ||
			    (r = read_strv(c, o, "env", &hk->env, &hk->n_env)) < 0 ||
			    (r = read_int(c, o, "timeout", 1, INT_MAX, &t, &has_t)) < 0)
				return r;
			hk->timeout = (int)t;
			if (!hk->path || hk->path[0] != '/')
				return fail(c, o, "a hook needs an absolute path");
			pop(c, o3);
		}
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_kv(struct ctx *c, const struct sc_json *obj, const char *key, struct sc_oci_kv **out,
		    size_t *n)
{
	const struct sc_json *o;
	int r = object_of(c, obj, key, &o);
	if (r < 0 || !o)
		return r;
	size_t old = push(c, "%s%s", c->path[0] ? "." : "", key);
	if (!(*out = calloc(o->n_members + 1, sizeof(**out))))
		return nomem(c);
	for (size_t i = 0; i < o->n_members; i++) {
		const struct sc_json *v = &o->members[i].value;
		if (v->type != SC_JSON_STRING) {
			push(c, ".%s", o->members[i].key);
			return type_error(c, v, "a string");
		}
		struct sc_oci_kv *kv = &(*out)[(*n)++];
		if (!(kv->key = strdup(o->members[i].key)) || !(kv->value = strdup(v->str)))
			return nomem(c);
	}
	pop(c, old);
	return 0;
}

/* ---- linux ------------------------------------------------------------ */

static const struct { const char *name; unsigned bit; } ns_names[] = {
	{ "pid", SC_NS_PID }, { "network", SC_NS_NET }, { "mount", SC_NS_MOUNT }, { "ipc", SC_NS_IPC },
	{ "uts", SC_NS_UTS }, { "user", SC_NS_USER }, { "cgroup", SC_NS_CGROUP }, { "time", 0 },
};

static int parse_namespaces(struct ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg)
{
	const struct sc_json *a;
	int r = array_of(c, lx, "namespaces", &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, ".namespaces");
	if (!(cfg->ns_paths = calloc(a->n_items + 1, sizeof(*cfg->ns_paths))))
		return nomem(c);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		_cleanup_free_ char *type = NULL, *path = NULL;
		if ((r = read_string(c, o, "type", &type)) < 0 || (r = read_string(c, o, "path", &path)) < 0)
			return r;
		int k = -1;
		for (size_t j = 0; type && j < SC_ARRAY_SIZE(ns_names); j++)
			if (strcmp(type, ns_names[j].name) == 0)
				k = (int)j;
		if (k < 0)
			return fail(c, o, "namespace type \"%s\" is not supported", type ? type : "");
		unsigned bit = ns_names[k].bit;
		if (cfg->namespaces & bit)
			return fail(c, o, "malformed spec file: duplicated ns \"%s\"", type);
		if (!bit) {
			cfg->time_namespace = true;
		} else {
			cfg->namespaces |= bit;
		}
		if (path && path[0]) {
			if (path[0] != '/')
				return fail(c, get(o, "path"), "namespace path %s is not absolute", path);
			struct sc_oci_ns_path *np = &cfg->ns_paths[cfg->n_ns_paths++];
			np->type = bit;
			np->path = TAKE_PTR(path);
			np->loc = o->loc;
		}
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_idmap(struct ctx *c, const struct sc_json *lx, const char *key, struct sc_idmap **out,
		       size_t *n)
{
	const struct sc_json *a;
	int r = array_of(c, lx, key, &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, ".%s", key);
	if (!(*out = calloc(a->n_items + 1, sizeof(**out))))
		return nomem(c);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		struct sc_idmap *m = &(*out)[(*n)++];
		if ((r = read_u32(c, o, "containerID", &m->inside)) < 0 ||
		    (r = read_u32(c, o, "hostID", &m->outside)) < 0 || (r = read_u32(c, o, "size", &m->count)) < 0)
			return r;
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_device_rules(struct ctx *c, const struct sc_json *res, struct sc_oci_config *cfg)
{
	const struct sc_json *a;
	int r = array_of(c, res, "devices", &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, ".devices");
	cfg->device_rules = calloc(a->n_items + 1, sizeof(*cfg->device_rules));
	cfg->device_access = calloc(a->n_items + 1, sizeof(*cfg->device_access));
	if (!cfg->device_rules || !cfg->device_access)
		return nomem(c);
	size_t n = 0;
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		bool allow = false, has_maj = false, has_min = false;
		_cleanup_free_ char *type = NULL, *access = NULL;
		int64_t maj = -1, min = -1;
		if ((r = read_bool(c, o, "allow", &allow)) < 0 || (r = read_string(c, o, "type", &type)) < 0 ||
		    (r = read_string(c, o, "access", &access)) < 0 ||
		    (r = read_int(c, o, "major", -1, INT32_MAX, &maj, &has_maj)) < 0 ||
		    (r = read_int(c, o, "minor", -1, INT32_MAX, &min, &has_min)) < 0)
			return r;
		char t = type && type[0] ? type[0] : 'a';
		if (t != 'a' && t != 'b' && t != 'c')
			return fail(c, o, "invalid device type \"%s\"", type);
		if (access && strspn(access, "rwm") != strlen(access))
			return fail(c, o, "invalid device access \"%s\"", access);
		pop(c, o2);
		if (!allow)
			continue;   /* deny rules: what is not allowed is denied */
		if (t == 'a') {
			cfg->devices_allow_all = true;
			continue;
		}
		snprintf(cfg->device_access[n], 4, "%s", access && access[0] ? access : "rwm");
		cfg->device_rules[n] = (struct sc_device_rule){ t, has_maj ? maj : -1, has_min ? min : -1,
								cfg->device_access[n] };
		n++;
	}
	pop(c, old);
	return 0;
}

static int parse_throttle(struct ctx *c, const struct sc_json *bio, const char *key,
			  struct sc_throttle **out, size_t *n, bool *any)
{
	const struct sc_json *a;
	int r = array_of(c, bio, key, &a);
	if (r < 0 || !a)
		return r;
	size_t old = push(c, ".%s", key);
	if (!(*out = calloc(a->n_items + 1, sizeof(**out))))
		return nomem(c);
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = push(c, "[%zu]", i);
		if ((r = want_object(c, o)) < 0)
			return r;
		int64_t maj = 0, min = 0, rate = 0;
		if ((r = read_int(c, o, "major", 0, INT32_MAX, &maj, NULL)) < 0 ||
		    (r = read_int(c, o, "minor", 0, INT32_MAX, &min, NULL)) < 0 ||
		    (r = read_int(c, o, "rate", 0, UINT64_MAX, &rate, NULL)) < 0)
			return r;
		struct sc_throttle *t = &(*out)[(*n)++];
		if (asprintf(&t->path, "%u:%u", (unsigned)maj, (unsigned)min) < 0) {
			t->path = NULL;
			return nomem(c);
		}
		t->major = (unsigned)maj;
		t->minor = (unsigned)min;
		t->bps = (uint64_t)rate;
		*any = true;
		pop(c, o2);
	}
	pop(c, old);
	return 0;
}

static int parse_resources(struct ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg)
{
	const struct sc_json *res;
	int r = object_of(c, lx, "resources", &res);
	if (r < 0 || !res)
		return r;
	size_t old = push(c, ".resources");
	struct sc_cgroup_limits *l = &cfg->limits;
	if ((r = parse_device_rules(c, res, cfg)) < 0)
		return r;
	const struct sc_json *o;
	bool has;
	int64_t x;
	/* each value given sets its limit; 0 means "not set", as runc reads Docker's zero values */
#define LIMIT(obj, key, min, max, bit, field) do {                                   \
		has = false;                                                           \
		if ((r = read_int(c, obj, key, min, max, &x, &has)) < 0)               \
			return r;                                                      \
		if (has && x != 0) {                                                   \
			l->field = x;                                                  \
			l->set |= bit;                                                 \
		}                                                                      \
	} while (0)
	if ((r = object_of(c, res, "memory", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = push(c, ".memory");
		LIMIT(o, "limit", -1, INT64_MAX, SC_LIMIT_MEMORY, memory);
		LIMIT(o, "swap", -1, INT64_MAX, SC_LIMIT_MEMORY_SWAP, memory_swap);
		LIMIT(o, "reservation", -1, INT64_MAX, SC_LIMIT_MEMORY_RESERVATION, memory_reservation);
		if ((l->set & SC_LIMIT_MEMORY) && l->memory < 0)
			l->set &= ~(unsigned)SC_LIMIT_MEMORY;
		if ((l->set & SC_LIMIT_MEMORY_RESERVATION) && l->memory_reservation < 0)
			l->set &= ~(unsigned)SC_LIMIT_MEMORY_RESERVATION;
		pop(c, o2);
	}
	if ((r = object_of(c, res, "cpu", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = push(c, ".cpu");
		int64_t shares = 0, period = 0;
		LIMIT(o, "shares", 0, UINT64_MAX, SC_LIMIT_CPU_SHARES, cpu_shares);
		LIMIT(o, "period", 0, UINT64_MAX, SC_LIMIT_CPU_PERIOD, cpu_period);
		LIMIT(o, "quota", -1, INT64_MAX, SC_LIMIT_CPU_QUOTA, cpu_quota);
		(void)shares;
		(void)period;
		if ((r = read_string(c, o, "cpus", &l->cpuset_cpus)) < 0)
			return r;
		if (l->cpuset_cpus && l->cpuset_cpus[0])
			l->set |= SC_LIMIT_CPUSET_CPUS;
		pop(c, o2);
	}
	if ((r = object_of(c, res, "pids", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = push(c, ".pids");
		LIMIT(o, "limit", INT64_MIN, INT64_MAX, SC_LIMIT_PIDS, pids_limit);
		if ((l->set & SC_LIMIT_PIDS) && l->pids_limit < 0)
			l->pids_limit = -1;
		pop(c, o2);
	}
	if ((r = object_of(c, res, "blockIO", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = push(c, ".blockIO");
		LIMIT(o, "weight", 0, 1000, SC_LIMIT_BLKIO_WEIGHT, blkio_weight);
		bool any = false;
		if ((r = parse_throttle(c, o, "throttleReadBpsDevice", &l->read_bps, &l->n_read_bps, &any)) < 0)
			return r;
		if (any)
			l->set |= SC_LIMIT_DEVICE_READ_BPS;
		any = false;
		if ((r = parse_throttle(c, o, "throttleWriteBpsDevice", &l->write_bps, &l->n_write_bps, &any)) < 0)
			return r;
		if (any)
			l->set |= SC_LIMIT_DEVICE_WRITE_BPS;
		pop(c, o2);
	}
#undef LIMIT
	pop(c, old);
	return 0;
}

static int parse_linux(struct ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *lx;
	int r = object_of(c, root, "linux", &lx);
	if (r < 0 || !lx)
		return r;
	size_t old = push(c, "linux");
	if ((r = parse_namespaces(c, lx, cfg)) < 0 ||
	    (r = parse_idmap(c, lx, "uidMappings", &cfg->uid_map, &cfg->n_uid_map)) < 0 ||
	    (r = parse_idmap(c, lx, "gidMappings", &cfg->gid_map, &cfg->n_gid_map)) < 0 ||
	    (r = parse_resources(c, lx, cfg)) < 0 ||
	    (r = read_string(c, lx, "cgroupsPath", &cfg->cgroups_path)) < 0 ||
	    (r = read_strv(c, lx, "maskedPaths", &cfg->masked_paths, &cfg->n_masked_paths)) < 0 ||
	    (r = read_strv(c, lx, "readonlyPaths", &cfg->readonly_paths, &cfg->n_readonly_paths)) < 0 ||
	    (r = parse_kv(c, lx, "sysctl", &cfg->sysctl, &cfg->n_sysctl)) < 0 ||
	    (r = read_string(c, lx, "rootfsPropagation", &cfg->rootfs_propagation)) < 0 ||
	    (r = read_string(c, lx, "mountLabel", &cfg->mount_label)) < 0)
		return r;
	const struct sc_json *d;
	if ((r = array_of(c, lx, "devices", &d)) < 0)
		return r;
	if (d) {
		cfg->n_devices = d->n_items;
		cfg->devices_loc = d->loc;
	}
	const struct sc_json *sec = get(lx, "seccomp");
	if (sec) {
		push(c, ".seccomp");
		if ((r = want_object(c, sec)) < 0 ||
		    (r = read_string(c, sec, "listenerPath", &cfg->listener_path)) < 0 ||
		    (r = read_string(c, sec, "listenerMetadata", &cfg->listener_metadata)) < 0)
			return r;
		if (cfg->listener_metadata && !cfg->listener_path)
			return fail(c, sec, "listenerMetadata is set without listenerPath");
		pop(c, old + strlen("linux"));
		cfg->has_seccomp = true;
	}
	if (cfg->rootfs_propagation) {
		static const char *const ok[] = { "", "shared", "slave", "private", "unbindable",
						  "rshared", "rslave", "rprivate", "runbindable" };
		bool good = false;
		for (size_t i = 0; i < SC_ARRAY_SIZE(ok); i++)
			good |= strcmp(cfg->rootfs_propagation, ok[i]) == 0;
		if (!good) {
			push(c, ".rootfsPropagation");
			return fail(c, get(lx, "rootfsPropagation"), "invalid rootfs propagation \"%s\"",
				    cfg->rootfs_propagation);
		}
	}
	if ((cfg->n_uid_map || cfg->n_gid_map) && !(cfg->namespaces & SC_NS_USER))
		return fail(c, lx, "user namespaces aren't enabled in the config, but uid or gid mappings are given");
	pop(c, old);
	return 0;
}

/* ---- the document ----------------------------------------------------- */

static int parse_root(struct ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	int r;
	if ((r = read_string(c, root, "ociVersion", &cfg->oci_version)) < 0 ||
	    (r = read_string(c, root, "hostname", &cfg->hostname)) < 0 ||
	    (r = read_string(c, root, "domainname", &cfg->domainname)) < 0)
		return r;
	const struct sc_json *rt;
	if ((r = object_of(c, root, "root", &rt)) < 0)
		return r;
	if (rt) {
		size_t old = push(c, "root");
		if ((r = read_string(c, rt, "path", &cfg->root_path)) < 0 ||
		    (r = read_bool(c, rt, "readonly", &cfg->root_readonly)) < 0)
			return r;
		pop(c, old);
	}
	if (!cfg->root_path || !cfg->root_path[0]) {
		snprintf(c->path, sizeof(c->path), "root.path");
		return fail(c, rt ? rt : root, "the root filesystem is not given");
	}
	if ((r = parse_process(c, root, cfg)) < 0 || (r = parse_mounts(c, root, cfg)) < 0 ||
	    (r = parse_hooks(c, root, cfg)) < 0 ||
	    (r = parse_kv(c, root, "annotations", &cfg->annotations, &cfg->n_annotations)) < 0 ||
	    (r = parse_linux(c, root, cfg)) < 0)
		return r;
	if (!cfg->has_process) {
		snprintf(c->path, sizeof(c->path), "process");
		return fail(c, root, "the config has no process to run");
	}
	return 0;
}

int sc_oci_config_parse(const char *text, size_t len, const char *origin,
			struct sc_oci_config **out, struct sc_error *err)
{
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config *cfg = calloc(1, sizeof(*cfg));
	struct ctx c = { .origin = origin, .err = err };
	if (!cfg || !(cfg->origin = strdup(origin)) || !(cfg->text = malloc(len + 1))) {
		sc_oci_config_free(cfg);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	memcpy(cfg->text, text, len);
	cfg->text[len] = '\0';
	cfg->len = len;
	if (root->type != SC_JSON_OBJECT) {
		snprintf(c.path, sizeof(c.path), "(top)");
		r = type_error(&c, root, "an object");
	} else {
		r = parse_root(&c, root, cfg);
	}
	sc_json_free(root);
	if (r < 0) {
		sc_oci_config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

int sc_oci_config_load(const char *bundle, struct sc_oci_config **out, struct sc_error *err)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	size_t len = 0;
	if (asprintf(&path, "%s/config.json", bundle) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	int r = sc_read_file(path, 64 << 20, &text, &len, err);
	if (r < 0)
		return r;
	return sc_oci_config_parse(text, len, path, out, err);
}

static void kv_free(struct sc_oci_kv *kv, size_t n)
{
	for (size_t i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void sc_oci_config_free(struct sc_oci_config *c)
{
	if (!c)
		return;
	free(c->origin);
	free(c->text);
	free(c->oci_version);
	sc_strv_free(c->args, c->n_args);
	sc_strv_free(c->env, c->n_env);
	free(c->cwd);
	free(c->additional_gids);
	free(c->rlimits);
	free(c->apparmor_profile);
	free(c->selinux_label);
	free(c->root_path);
	free(c->hostname);
	free(c->domainname);
	for (size_t i = 0; c->mounts && i < c->n_mounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		sc_strv_free(c->mounts[i].options, c->mounts[i].n_options);
	}
	free(c->mounts);
	for (int k = 0; k < SC_HOOK_NKINDS; k++) {
		for (size_t i = 0; c->hooks[k] && i < c->n_hooks[k]; i++) {
			free(c->hooks[k][i].path);
			sc_strv_free(c->hooks[k][i].args, c->hooks[k][i].n_args);
			sc_strv_free(c->hooks[k][i].env, c->hooks[k][i].n_env);
		}
		free(c->hooks[k]);
	}
	kv_free(c->annotations, c->n_annotations);
	for (size_t i = 0; c->ns_paths && i < c->n_ns_paths; i++)
		free(c->ns_paths[i].path);
	free(c->ns_paths);
	free(c->uid_map);
	free(c->gid_map);
	sc_limits_free(&c->limits);
	free(c->device_rules);
	free(c->device_access);
	free(c->cgroups_path);
	sc_strv_free(c->masked_paths, c->n_masked_paths);
	sc_strv_free(c->readonly_paths, c->n_readonly_paths);
	kv_free(c->sysctl, c->n_sysctl);
	free(c->rootfs_propagation);
	free(c->mount_label);
	free(c->listener_path);
	free(c->listener_metadata);
	free(c);
}

const char *sc_oci_annotation(const struct sc_oci_config *c, const char *key)
{
	for (size_t i = 0; i < c->n_annotations; i++)
		if (strcmp(c->annotations[i].key, key) == 0)
			return c->annotations[i].value;
	return NULL;
}

int sc_oci_signal_from_name(const char *s)
{
	uint64_t n;
	if (sc_parse_u64(s, &n) == 0)
		return n > 0 && n < (uint64_t)NSIG ? (int)n : -EINVAL;
	const char *bare = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(abbrev, bare) == 0)
			return i;
	}
	if (strncasecmp(bare, "RTMIN+", 6) == 0 && sc_parse_u64(bare + 6, &n) == 0 &&
	    SIGRTMIN + (int)n <= SIGRTMAX)
		return SIGRTMIN + (int)n;
	return -EINVAL;
}

int sc_oci_process_parse(const char *text, size_t len, const char *origin, struct sc_oci_config **out,
			 struct sc_error *err)
{
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config *cfg = calloc(1, sizeof(*cfg));
	struct ctx c = { .origin = origin, .err = err };
	if (!cfg || !(cfg->origin = strdup(origin))) {
		sc_oci_config_free(cfg);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	/* the file is a config's "process" object: read it as one */
	struct sc_json_member m = { .key = (char *)"process", .key_loc = root->loc, .value = *root };
	struct sc_json wrap = { .type = SC_JSON_OBJECT, .loc = root->loc, .members = &m, .n_members = 1 };
	r = root->type == SC_JSON_OBJECT ? parse_process(&c, &wrap, cfg) : type_error(&c, root, "an object");
	sc_json_free(root);
	if (r < 0) {
		sc_oci_config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

int sc_oci_resources_parse(const char *text, size_t len, const char *origin, struct sc_cgroup_limits *out,
			   struct sc_error *err)
{
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config cfg = {0};
	struct ctx c = { .origin = origin, .err = err, .path = "linux" };
	/* the file is a config's linux.resources object: read it as one */
	struct sc_json_member m = { .key = (char *)"resources", .key_loc = root->loc, .value = *root };
	struct sc_json wrap = { .type = SC_JSON_OBJECT, .loc = root->loc, .members = &m, .n_members = 1 };
	r = root->type == SC_JSON_OBJECT ? parse_resources(&c, &wrap, &cfg) : type_error(&c, root, "an object");
	sc_json_free(root);
	free(cfg.device_rules);
	free(cfg.device_access);
	if (r < 0) {
		sc_limits_free(&cfg.limits);
		return r;
	}
	*out = cfg.limits;
	return 0;
}
