/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct sc_spec <-> JSON, for the named-sandbox record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/spec_json.h"
#include "seclude/util.h"

static json_t *str_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

static json_t *strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; v && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *throttles_json(const struct sc_throttle *t, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:I}", "path", t[i].path ? t[i].path : "",
						   "major", (json_int_t)t[i].major, "minor", (json_int_t)t[i].minor,
						   "bps", (json_int_t)t[i].bps));
	return a;
}

json_t *sc_limits_to_json(const struct sc_cgroup_limits *l)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "set", (json_int_t)l->set, "memory", (json_int_t)l->memory,
			      "memory_swap", (json_int_t)l->memory_swap,
			      "memory_reservation", (json_int_t)l->memory_reservation,
			      "nano_cpus", (json_int_t)l->nano_cpus, "cpu_shares", (json_int_t)l->cpu_shares,
			      "cpu_period", (json_int_t)l->cpu_period, "cpu_quota", (json_int_t)l->cpu_quota,
			      "pids_limit", (json_int_t)l->pids_limit, "blkio_weight", (json_int_t)l->blkio_weight);
	if (l->cpuset_cpus)
		json_object_set_new(o, "cpuset_cpus", json_string(l->cpuset_cpus));
	if (l->cpuset_mems)
		json_object_set_new(o, "cpuset_mems", json_string(l->cpuset_mems));
	if (l->set & SC_LIMIT_MEMORY_SWAPPINESS)
		json_object_set_new(o, "memory_swappiness", json_integer((json_int_t)l->memory_swappiness));
	if (l->set & SC_LIMIT_CPU_RT_PERIOD)
		json_object_set_new(o, "cpu_rt_period", json_integer((json_int_t)l->cpu_rt_period));
	if (l->set & SC_LIMIT_CPU_RT_RUNTIME)
		json_object_set_new(o, "cpu_rt_runtime", json_integer((json_int_t)l->cpu_rt_runtime));
	json_object_set_new(o, "read_bps", throttles_json(l->read_bps, l->n_read_bps));
	json_object_set_new(o, "write_bps", throttles_json(l->write_bps, l->n_write_bps));
	return o;
}

static json_t *idmaps_json(const struct sc_idmap *m, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I}", "containerID", (json_int_t)m[i].inside,
						   "hostID", (json_int_t)m[i].outside, "size", (json_int_t)m[i].count));
	return a;
}

static const char *const mount_kinds[] = { "bind", "tmpfs", "mask", "readonly", "oci" };

static json_t *process_json(const struct sc_spec_process *p)
{
	json_t *rl = json_array();
	for (size_t i = 0; i < p->n_rlimits; i++)
		json_array_append_new(rl, json_pack("{s:i, s:I, s:I}", "type", p->rlimits[i].resource,
						    "soft", (json_int_t)p->rlimits[i].soft,
						    "hard", (json_int_t)p->rlimits[i].hard));
	json_t *o = json_object();
	json_object_set_new(o, "args", strv_json(p->args, p->n_args));
	json_object_set_new(o, "env", strv_json(p->env, p->n_env));
	json_object_set_new(o, "cwd", str_or_null(p->cwd));
	json_object_set_new(o, "cwdOptional", json_boolean(p->cwd_optional));
	json_object_set_new(o, "user", str_or_null(p->user));
	json_object_set_new(o, "caps", json_integer((json_int_t)p->caps));
	json_object_set_new(o, "noNewPrivileges", json_boolean(p->no_new_privs));
	json_object_set_new(o, "rlimits", rl);
	json_object_set_new(o, "terminal", json_boolean(p->terminal));
	json_object_set_new(o, "stdinOpen", json_boolean(p->stdin_open));
	json_object_set_new(o, "init", json_boolean(p->init));
	return o;
}

json_t *sc_spec_to_json(const struct sc_spec *s)
{
	json_t *mounts = json_array();
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct sc_mount *m = &s->mounts[i];
		json_array_append_new(mounts, json_pack("{s:s, s:o, s:o, s:b, s:o}", "kind", mount_kinds[m->kind],
							"source", str_or_null(m->source),
							"destination", str_or_null(m->target), "readonly", m->readonly,
							"options", str_or_null(m->options)));
		if (m->kind == SC_MOUNT_OCI) {
			json_t *j = json_array_get(mounts, json_array_size(mounts) - 1);
			json_t *prop = json_array();
			for (size_t k = 0; k < SC_MOUNT_MAX_PROPAGATION && m->propagation[k]; k++)
				json_array_append_new(prop, json_integer((json_int_t)m->propagation[k]));
			json_object_set_new(j, "fstype", str_or_null(m->fstype));
			json_object_set_new(j, "flags", json_integer((json_int_t)m->flags));
			json_object_set_new(j, "cleared", json_integer((json_int_t)m->cleared));
			json_object_set_new(j, "propagation", prop);
			json_object_set_new(j, "attrSet", json_integer((json_int_t)m->attr_set));
			json_object_set_new(j, "attrClr", json_integer((json_int_t)m->attr_clr));
		}
	}
	json_t *ns_paths = json_array();
	for (size_t i = 0; i < SC_NS_COUNT; i++)
		json_array_append_new(ns_paths, str_or_null(s->ns_path[i]));
	json_t *o = json_object();
	json_object_set_new(o, "process", process_json(&s->process));
	json_object_set_new(o, "root", json_pack("{s:o, s:b}", "path", str_or_null(s->root.path),
						 "readonly", s->root.readonly));
	json_object_set_new(o, "mounts", mounts);
	json_object_set_new(o, "privileged", json_boolean(s->privileged));
	json_object_set_new(o, "namespaces", json_integer(s->namespaces));
	json_object_set_new(o, "namespacePaths", ns_paths);
	json_object_set_new(o, "networkHost", json_boolean(s->net == SC_NET_HOST));
	json_object_set_new(o, "uidMappings", idmaps_json(s->uid_map, s->n_uid_map));
	json_object_set_new(o, "gidMappings", idmaps_json(s->gid_map, s->n_gid_map));
	json_object_set_new(o, "hostname", str_or_null(s->hostname));
	json_object_set_new(o, "limits", sc_limits_to_json(&s->limits));
	json_object_set_new(o, "cgroupParent", str_or_null(s->cgroup_parent));
	json_object_set_new(o, "seccomp", json_pack("{s:b, s:o, s:I, s:b}", "confined", s->seccomp.confined,
						    "profile", str_or_null(s->seccomp.profile),
						    "flags", (json_int_t)s->seccomp.filter.flags,
						    "notify", s->seccomp.notify));
	return o;
}

static char *dup_str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? strdup(v) : NULL;
}

static int64_t get_int(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

static bool get_bool(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static int throttles_from_json(json_t *a, struct sc_throttle **v, size_t *n)
{
	size_t cnt = json_array_size(a);
	if (cnt == 0)
		return 0;
	*v = calloc(cnt, sizeof(**v));
	if (!*v)
		return -ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		json_t *t = json_array_get(a, i);
		(*v)[i] = (struct sc_throttle){
			.path = dup_str(t, "path"),
			.major = (unsigned)get_int(t, "major"),
			.minor = (unsigned)get_int(t, "minor"),
			.bps = (uint64_t)get_int(t, "bps"),
		};
	}
	*n = cnt;
	return 0;
}

int sc_limits_from_json(json_t *l, struct sc_cgroup_limits *lim)
{
	lim->set = (unsigned)get_int(l, "set");
	lim->memory = get_int(l, "memory");
	lim->memory_swap = get_int(l, "memory_swap");
	lim->memory_reservation = get_int(l, "memory_reservation");
	lim->nano_cpus = get_int(l, "nano_cpus");
	lim->cpu_shares = (uint64_t)get_int(l, "cpu_shares");
	lim->cpu_period = (uint64_t)get_int(l, "cpu_period");
	lim->cpu_quota = get_int(l, "cpu_quota");
	lim->pids_limit = get_int(l, "pids_limit");
	lim->blkio_weight = (uint16_t)get_int(l, "blkio_weight");
	lim->cpuset_cpus = dup_str(l, "cpuset_cpus");
	lim->cpuset_mems = dup_str(l, "cpuset_mems");
	lim->memory_swappiness = (uint64_t)get_int(l, "memory_swappiness");
	lim->cpu_rt_period = (uint64_t)get_int(l, "cpu_rt_period");
	lim->cpu_rt_runtime = get_int(l, "cpu_rt_runtime");
	if (throttles_from_json(json_object_get(l, "read_bps"), &lim->read_bps, &lim->n_read_bps) < 0 ||
	    throttles_from_json(json_object_get(l, "write_bps"), &lim->write_bps, &lim->n_write_bps) < 0)
		return -ENOMEM;
	return 0;
}

static int strv_from_json(json_t *a, char ***out, size_t *n)
{
	size_t cnt = json_array_size(a);
	char **v = calloc(cnt + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*out = v;
	for (size_t i = 0; i < cnt; i++, (*n)++)
		if (!(v[i] = strdup(json_string_value(json_array_get(a, i)) ?: "")))
			return -ENOMEM;
	return 0;
}

static int idmaps_from_json(json_t *a, struct sc_idmap **out, size_t *n)
{
	size_t cnt = json_array_size(a);
	if (cnt == 0)
		return 0;
	if (!(*out = calloc(cnt, sizeof(**out))))
		return -ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		json_t *m = json_array_get(a, i);
		(*out)[i] = (struct sc_idmap){ (uint32_t)get_int(m, "containerID"), (uint32_t)get_int(m, "hostID"),
					       (uint32_t)get_int(m, "size") };
	}
	*n = cnt;
	return 0;
}

static int process_from_json(json_t *o, struct sc_spec_process *p)
{
	if (strv_from_json(json_object_get(o, "args"), &p->args, &p->n_args) < 0 ||
	    strv_from_json(json_object_get(o, "env"), &p->env, &p->n_env) < 0)
		return -ENOMEM;
	p->cwd = dup_str(o, "cwd");
	p->cwd_optional = get_bool(o, "cwdOptional");
	p->user = dup_str(o, "user");
	p->caps = (uint64_t)get_int(o, "caps");
	p->no_new_privs = get_bool(o, "noNewPrivileges");
	json_t *rl = json_object_get(o, "rlimits");
	if (json_array_size(rl) && !(p->rlimits = calloc(json_array_size(rl), sizeof(*p->rlimits))))
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(rl); i++, p->n_rlimits++) {
		json_t *r = json_array_get(rl, i);
		p->rlimits[i] = (struct sc_rlimit){ (int)get_int(r, "type"), (rlim_t)get_int(r, "soft"),
						    (rlim_t)get_int(r, "hard") };
	}
	p->terminal = get_bool(o, "terminal");
	p->stdin_open = get_bool(o, "stdinOpen");
	p->init = get_bool(o, "init");
	return 0;
}

static int mounts_from_json(json_t *a, struct sc_spec *s)
{
	size_t cnt = json_array_size(a);
	if (cnt && !(s->mounts = calloc(cnt, sizeof(*s->mounts))))
		return -ENOMEM;
	for (size_t i = 0; i < cnt; i++, s->n_mounts++) {
		json_t *m = json_array_get(a, i);
		const char *kind = json_string_value(json_object_get(m, "kind"));
		struct sc_mount *d = &s->mounts[i];
		for (size_t k = 0; kind && k < SC_ARRAY_SIZE(mount_kinds); k++)
			if (!strcmp(kind, mount_kinds[k]))
				d->kind = (enum sc_mount_kind)k;
		d->source = dup_str(m, "source");
		d->target = dup_str(m, "destination");
		d->readonly = get_bool(m, "readonly");
		d->options = dup_str(m, "options");
		d->fstype = dup_str(m, "fstype");
		d->flags = (unsigned long)get_int(m, "flags");
		d->cleared = (unsigned long)get_int(m, "cleared");
		d->attr_set = (uint64_t)get_int(m, "attrSet");
		d->attr_clr = (uint64_t)get_int(m, "attrClr");
		json_t *prop = json_object_get(m, "propagation");
		for (size_t k = 0; k < SC_MOUNT_MAX_PROPAGATION && k < json_array_size(prop); k++)
			d->propagation[k] = (unsigned long)json_integer_value(json_array_get(prop, k));
	}
	return 0;
}

static int fill(json_t *o, struct sc_spec *s)
{
	if (process_from_json(json_object_get(o, "process"), &s->process) < 0)
		return -ENOMEM;
	json_t *root = json_object_get(o, "root");
	s->root.path = dup_str(root, "path");
	s->root.readonly = get_bool(root, "readonly");
	if (mounts_from_json(json_object_get(o, "mounts"), s) < 0)
		return -ENOMEM;
	s->privileged = get_bool(o, "privileged");
	s->namespaces = (unsigned)get_int(o, "namespaces");
	json_t *paths = json_object_get(o, "namespacePaths");
	for (size_t i = 0; i < SC_NS_COUNT; i++) {
		const char *p = json_string_value(json_array_get(paths, i));
		if (p && !(s->ns_path[i] = strdup(p)))
			return -ENOMEM;
	}
	s->net = get_bool(o, "networkHost") ? SC_NET_HOST : SC_NET_NONE;
	if (idmaps_from_json(json_object_get(o, "uidMappings"), &s->uid_map, &s->n_uid_map) < 0 ||
	    idmaps_from_json(json_object_get(o, "gidMappings"), &s->gid_map, &s->n_gid_map) < 0)
		return -ENOMEM;
	s->hostname = dup_str(o, "hostname");
	if (sc_limits_from_json(json_object_get(o, "limits"), &s->limits) < 0)
		return -ENOMEM;
	s->cgroup_parent = dup_str(o, "cgroupParent");
	json_t *sec = json_object_get(o, "seccomp");
	s->seccomp.confined = get_bool(sec, "confined");
	s->seccomp.profile = dup_str(sec, "profile");
	s->seccomp.filter.flags = (unsigned)get_int(sec, "flags");
	s->seccomp.notify = get_bool(sec, "notify");
	return 0;
}

int sc_spec_from_json(json_t *o, struct sc_spec *out, struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(o))
		return sc_error_set(err, -EINVAL, "the record has no spec");
	if (fill(o, out) < 0) {
		sc_spec_free(out);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}
