/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json's "linux": namespaces, id maps, resources, devices, paths, sysctl, seccomp's listener.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "seclude/util.h"

static const struct { const char *name; unsigned bit; } ns_names[] = {
	{ "pid", SC_NS_PID }, { "network", SC_NS_NET }, { "mount", SC_NS_MOUNT }, { "ipc", SC_NS_IPC },
	{ "uts", SC_NS_UTS }, { "user", SC_NS_USER }, { "cgroup", SC_NS_CGROUP }, { "time", 0 },
};

static int read_namespace(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	struct sc_oci_config *cfg = ctx;
	_cleanup_free_ char *type = NULL, *path = NULL;
	int r;
	if ((r = cfg_read_string(c, o, "type", &type)) < 0 || (r = cfg_read_string(c, o, "path", &path)) < 0)
		return r;
	int k = -1;
	for (size_t j = 0; type && j < SC_ARRAY_SIZE(ns_names); j++)
		if (strcmp(type, ns_names[j].name) == 0)
			k = (int)j;
	if (k < 0)
		return cfg_fail(c, o, "namespace type \"%s\" is not supported", type ? type : "");
	unsigned bit = ns_names[k].bit;
	if (cfg->namespaces & bit)
		return cfg_fail(c, o, "malformed spec file: duplicated ns \"%s\"", type);
	if (!bit) {
		cfg->time_namespace = true;
	} else {
		cfg->namespaces |= bit;
		cfg->ns_loc[sc_ns_index(bit)] = o->loc;
	}
	if (!path || !path[0])
		return 0;   /* one to create: no slot */
	if (path[0] != '/')
		return cfg_fail(c, cfg_get(o, "path"), "namespace path %s is not absolute", path);
	*(struct sc_oci_ns_path *)slot = (struct sc_oci_ns_path){ bit, TAKE_PTR(path), o->loc };
	return 1;
}

static int parse_namespaces(struct cfg_ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg)
{
	return cfg_each_object(c, lx, "namespaces", &cfg->ns_paths, sizeof(*cfg->ns_paths), &cfg->n_ns_paths,
			       read_namespace, cfg);
}

static int read_device_rule(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	struct sc_oci_config *cfg = ctx;
	struct sc_device_rule *rule = slot;
	bool allow = false, has_maj = false, has_min = false;
	_cleanup_free_ char *type = NULL, *access = NULL;
	int64_t maj = -1, min = -1;
	int r;
	if ((r = cfg_read_bool(c, o, "allow", &allow)) < 0 || (r = cfg_read_string(c, o, "type", &type)) < 0 ||
	    (r = cfg_read_string(c, o, "access", &access)) < 0 ||
	    (r = cfg_read_int(c, o, "major", -1, INT32_MAX, &maj, &has_maj)) < 0 ||
	    (r = cfg_read_int(c, o, "minor", -1, INT32_MAX, &min, &has_min)) < 0)
		return r;
	char t = type && type[0] ? type[0] : 'a';
	if (t != 'a' && t != 'b' && t != 'c')
		return cfg_fail(c, o, "invalid device type \"%s\"", type);
	if (access && strspn(access, "rwm") != strlen(access))
		return cfg_fail(c, o, "invalid device access \"%s\"", access);
	if (!allow)
		return 0;   /* deny rules: what is not allowed is denied */
	if (t == 'a') {
		cfg->devices_allow_all = true;
		return 0;
	}
	char *acc = cfg->device_access[rule - cfg->device_rules];
	snprintf(acc, 4, "%s", access && access[0] ? access : "rwm");
	*rule = (struct sc_device_rule){ t, has_maj ? maj : -1, has_min ? min : -1, acc };
	return 1;
}

static int parse_device_rules(struct cfg_ctx *c, const struct sc_json *res, struct sc_oci_config *cfg)
{
	/* the access strings the rules point to, as many */
	const struct sc_json *a = cfg_get(res, "devices");
	if (a && a->type == SC_JSON_ARRAY && !(cfg->device_access = calloc(a->n_items + 1, sizeof(*cfg->device_access))))
		return cfg_nomem(c);
	size_t n = 0;
	return cfg_each_object(c, res, "devices", &cfg->device_rules, sizeof(*cfg->device_rules), &n,
			       read_device_rule, cfg);
}

static int read_throttle(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	(void)ctx;
	struct sc_throttle *t = slot;
	int64_t maj = 0, min = 0, rate = 0;
	int r;
	if ((r = cfg_read_int(c, o, "major", 0, INT32_MAX, &maj, NULL)) < 0 ||
	    (r = cfg_read_int(c, o, "minor", 0, INT32_MAX, &min, NULL)) < 0 ||
	    (r = cfg_read_int(c, o, "rate", 0, UINT64_MAX, &rate, NULL)) < 0)
		return r;
	if (asprintf(&t->path, "%u:%u", (unsigned)maj, (unsigned)min) < 0) {
		t->path = NULL;
		return cfg_nomem(c);
	}
	t->major = (unsigned)maj;
	t->minor = (unsigned)min;
	t->bps = (uint64_t)rate;
	return 1;
}

/*
 * The members of a resources object this runtime has no cgroup writer for:
 * absent, null, 0, false, "", [] and {} are "not set" (Docker sends some of
 * them so); anything else is refused where it stands, never dropped.
 */
struct unsupported {
	const char *key, *what;
};

static bool json_is_set(const struct sc_json *v)
{
	switch (v->type) {
	case SC_JSON_TRUE: return true;
	case SC_JSON_NUMBER:
		for (size_t i = 0; i < v->lit_len; i++)
			if (v->lit[i] >= '1' && v->lit[i] <= '9')
				return true;
		return false;
	case SC_JSON_STRING: return v->str && v->str[0];
	case SC_JSON_ARRAY: return v->n_items > 0;
	case SC_JSON_OBJECT: return v->n_members > 0;
	default: return false;
	}
}

static int refuse_unsupported(struct cfg_ctx *c, const struct sc_json *o, const struct unsupported *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_json *v = cfg_get(o, u[i].key);
		if (v && json_is_set(v)) {
			cfg_push(c, ".%s", u[i].key);
			return cfg_fail(c, v, "cannot set %s: not supported by this runtime", u[i].what);
		}
	}
	return 0;
}

static const struct unsupported res_unsupported[] = {
	{ "hugepageLimits", "hugetlb limit" },
	{ "rdma", "rdma limit" },
};
static const struct unsupported memory_unsupported[] = {
	{ "kernel", "kernel memory limit" },
	{ "kernelTCP", "kernel TCP memory limit" },
	{ "useHierarchy", "memory use_hierarchy" },
	{ "checkBeforeUpdate", "memory checkBeforeUpdate" },
};
static const struct unsupported cpu_unsupported[] = {
	{ "burst", "CPU burst" },
	{ "idle", "CPU idle" },
};
static const struct unsupported blkio_unsupported[] = {
	{ "leafWeight", "blkio leaf weight" },
	{ "weightDevice", "blkio weight per device" },
	{ "throttleReadIOPSDevice", "blkio read IOPS limit" },
	{ "throttleWriteIOPSDevice", "blkio write IOPS limit" },
};
static const struct unsupported network_unsupported[] = {
	{ "classID", "net_cls classid" },
	{ "priorities", "net_prio ifpriomap" },
};

int cfg_parse_resources(struct cfg_ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg)
{
	const struct sc_json *res;
	int r = cfg_object_of(c, lx, "resources", &res);
	if (r < 0 || !res)
		return r;
	size_t old = cfg_push(c, ".resources");
	struct sc_cgroup_limits *l = &cfg->limits;
	const struct sc_json *u;
	if ((r = cfg_object_of(c, res, "unified", &u)) < 0)
		return r;
	if (u) {
		cfg->unified_loc = u->loc;
		if ((r = cfg_parse_kv(c, res, "unified", &cfg->unified, &cfg->n_unified)) < 0)
			return r;
		for (size_t i = 0; i < cfg->n_unified; i++)
			if (strchr(cfg->unified[i].key, '/')) {
				cfg_push(c, ".unified");
				return cfg_fail(c, u, "unified resource \"%s\" must be a file name (no slashes)",
						cfg->unified[i].key);
			}
	}
	if ((r = parse_device_rules(c, res, cfg)) < 0 ||
	    (r = refuse_unsupported(c, res, res_unsupported, SC_ARRAY_SIZE(res_unsupported))) < 0)
		return r;
	const struct sc_json *o;
	bool has;
	int64_t x;
	/* each value given sets its limit; 0 means "not set", as runc reads Docker's zero values */
#define LIMIT(obj, key, min, max, bit, field) do {                                   \
		has = false;                                                           \
		if ((r = cfg_read_int(c, obj, key, min, max, &x, &has)) < 0)               \
			return r;                                                      \
		if (has && x != 0) {                                                   \
			l->field = x;                                                  \
			l->set |= bit;                                                 \
		}                                                                      \
	} while (0)
	if ((r = cfg_object_of(c, res, "memory", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = cfg_push(c, ".memory");
		LIMIT(o, "limit", -1, INT64_MAX, SC_LIMIT_MEMORY, memory);
		LIMIT(o, "swap", -1, INT64_MAX, SC_LIMIT_MEMORY_SWAP, memory_swap);
		LIMIT(o, "reservation", -1, INT64_MAX, SC_LIMIT_MEMORY_RESERVATION, memory_reservation);
		/* -1 is no limit; as runc: no memory limit and no swap given is no swap limit either */
		if ((l->set & SC_LIMIT_MEMORY) && l->memory < 0 && !(l->set & SC_LIMIT_MEMORY_SWAP)) {
			l->memory_swap = -1;
			l->set |= SC_LIMIT_MEMORY_SWAP;
		}
		/* as runc: swappiness 0 is written, -1 (or its uint64 spelling) is not set */
		has = false;
		if ((r = cfg_read_int(c, o, "swappiness", -1, UINT64_MAX, &x, &has)) < 0)
			return r;
		if (has && x != -1) {
			if (x < 0 || x > 100) {
				cfg_push(c, ".swappiness");
				return cfg_fail(c, cfg_get(o, "swappiness"),
						"invalid memory swappiness value: %" PRIu64 " (valid range is 0-100)",
						(uint64_t)x);
			}
			l->memory_swappiness = (uint64_t)x;
			l->set |= SC_LIMIT_MEMORY_SWAPPINESS;
		}
		bool oom_off = false;
		if ((r = cfg_read_bool(c, o, "disableOOMKiller", &oom_off)) < 0)
			return r;
		if (oom_off)
			l->set |= SC_LIMIT_OOM_KILL_DISABLE;
		if ((r = refuse_unsupported(c, o, memory_unsupported, SC_ARRAY_SIZE(memory_unsupported))) < 0)
			return r;
		cfg_pop(c, o2);
	}
	if ((r = cfg_object_of(c, res, "cpu", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = cfg_push(c, ".cpu");
		int64_t shares = 0, period = 0;
		LIMIT(o, "shares", 0, UINT64_MAX, SC_LIMIT_CPU_SHARES, cpu_shares);
		LIMIT(o, "period", 0, UINT64_MAX, SC_LIMIT_CPU_PERIOD, cpu_period);
		LIMIT(o, "quota", -1, INT64_MAX, SC_LIMIT_CPU_QUOTA, cpu_quota);
		(void)shares;
		(void)period;
		if ((r = cfg_read_string(c, o, "cpus", &l->cpuset_cpus)) < 0)
			return r;
		if (l->cpuset_cpus && l->cpuset_cpus[0])
			l->set |= SC_LIMIT_CPUSET_CPUS;
		if ((r = cfg_read_string(c, o, "mems", &l->cpuset_mems)) < 0)
			return r;
		if (l->cpuset_mems && l->cpuset_mems[0])
			l->set |= SC_LIMIT_CPUSET_MEMS;
		LIMIT(o, "realtimePeriod", 0, UINT64_MAX, SC_LIMIT_CPU_RT_PERIOD, cpu_rt_period);
		LIMIT(o, "realtimeRuntime", INT64_MIN, INT64_MAX, SC_LIMIT_CPU_RT_RUNTIME, cpu_rt_runtime);
		if ((r = refuse_unsupported(c, o, cpu_unsupported, SC_ARRAY_SIZE(cpu_unsupported))) < 0)
			return r;
		cfg_pop(c, o2);
	}
	if ((r = cfg_object_of(c, res, "pids", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = cfg_push(c, ".pids");
		LIMIT(o, "limit", INT64_MIN, INT64_MAX, SC_LIMIT_PIDS, pids_limit);
		if ((l->set & SC_LIMIT_PIDS) && l->pids_limit < 0)
			l->pids_limit = -1;
		cfg_pop(c, o2);
	}
	if ((r = cfg_object_of(c, res, "blockIO", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = cfg_push(c, ".blockIO");
		LIMIT(o, "weight", 0, 1000, SC_LIMIT_BLKIO_WEIGHT, blkio_weight);
		if ((r = cfg_each_object(c, o, "throttleReadBpsDevice", &l->read_bps, sizeof(*l->read_bps),
					 &l->n_read_bps, read_throttle, NULL)) < 0 ||
		    (r = cfg_each_object(c, o, "throttleWriteBpsDevice", &l->write_bps, sizeof(*l->write_bps),
					 &l->n_write_bps, read_throttle, NULL)) < 0)
			return r;
		if (l->n_read_bps)
			l->set |= SC_LIMIT_DEVICE_READ_BPS;
		if (l->n_write_bps)
			l->set |= SC_LIMIT_DEVICE_WRITE_BPS;
		if ((r = refuse_unsupported(c, o, blkio_unsupported, SC_ARRAY_SIZE(blkio_unsupported))) < 0)
			return r;
		cfg_pop(c, o2);
	}
	if ((r = cfg_object_of(c, res, "network", &o)) < 0)
		return r;
	if (o) {
		size_t o2 = cfg_push(c, ".network");
		if ((r = refuse_unsupported(c, o, network_unsupported, SC_ARRAY_SIZE(network_unsupported))) < 0)
			return r;
		cfg_pop(c, o2);
	}
#undef LIMIT
	cfg_pop(c, old);
	return 0;
}

/*
 * linux.devices as runc reads them: a path, a type (c, u, b or p), the
 * numbers (but for a FIFO), fileMode (0666 when absent; its file-type
 * bits dropped), uid and gid (0).
 */
static int read_device(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	(void)ctx;
	struct sc_device *d = slot;
	_cleanup_free_ char *type = NULL;
	int64_t maj = 0, min = 0, mode = 0666, uid = 0, gid = 0;
	bool has_maj = false, has_min = false;
	int r;
	if ((r = cfg_read_string(c, o, "path", &d->path)) < 0 || (r = cfg_read_string(c, o, "type", &type)) < 0 ||
	    (r = cfg_read_int(c, o, "major", 0, INT32_MAX, &maj, &has_maj)) < 0 ||
	    (r = cfg_read_int(c, o, "minor", 0, INT32_MAX, &min, &has_min)) < 0 ||
	    (r = cfg_read_int(c, o, "fileMode", 0, UINT32_MAX, &mode, NULL)) < 0 ||
	    (r = cfg_read_int(c, o, "uid", 0, UINT32_MAX, &uid, NULL)) < 0 ||
	    (r = cfg_read_int(c, o, "gid", 0, UINT32_MAX, &gid, NULL)) < 0)
		return r;
	if (!d->path || d->path[0] != '/')
		return cfg_fail(c, o, "a device needs an absolute path");
	if (!type || (strcmp(type, "c") && strcmp(type, "u") && strcmp(type, "b") && strcmp(type, "p")))
		return cfg_fail(c, o, "invalid device type \"%s\"", type ? type : "");
	d->type = type[0] == 'u' ? 'c' : type[0];
	if (d->type != 'p' && (!has_maj || !has_min))
		return cfg_fail(c, o, "device %s needs its major and minor numbers", d->path);
	d->major = (unsigned)maj;
	d->minor = (unsigned)min;
	d->mode = (mode_t)mode & 07777;
	d->uid = (uid_t)uid;
	d->gid = (gid_t)gid;
	return 1;
}

static int parse_devices(struct cfg_ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg)
{
	return cfg_each_object(c, lx, "devices", &cfg->devices, sizeof(*cfg->devices), &cfg->n_devices, read_device,
			       NULL);
}

int cfg_parse_linux(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *lx;
	int r = cfg_object_of(c, root, "linux", &lx);
	if (r < 0 || !lx)
		return r;
	size_t old = cfg_push(c, "linux");
	if ((r = parse_namespaces(c, lx, cfg)) < 0 ||
	    (r = cfg_read_idmaps(c, lx, "uidMappings", &cfg->uid_map, &cfg->n_uid_map)) < 0 ||
	    (r = cfg_read_idmaps(c, lx, "gidMappings", &cfg->gid_map, &cfg->n_gid_map)) < 0 ||
	    (r = cfg_parse_resources(c, lx, cfg)) < 0 ||
	    (r = cfg_read_string(c, lx, "cgroupsPath", &cfg->cgroups_path)) < 0 ||
	    (r = cfg_read_strv(c, lx, "maskedPaths", &cfg->masked_paths, &cfg->n_masked_paths)) < 0 ||
	    (r = cfg_read_strv(c, lx, "readonlyPaths", &cfg->readonly_paths, &cfg->n_readonly_paths)) < 0 ||
	    (r = cfg_parse_kv(c, lx, "sysctl", &cfg->sysctl, &cfg->n_sysctl)) < 0 ||
	    (r = cfg_read_string(c, lx, "rootfsPropagation", &cfg->rootfs_propagation)) < 0 ||
	    (r = cfg_read_string(c, lx, "mountLabel", &cfg->mount_label)) < 0)
		return r;
	if ((r = parse_devices(c, lx, cfg)) < 0)
		return r;
	if (sc_oci_cgroup_is_systemd(cfg->cgroups_path)) {
		/* systemd's slice:prefix:name, checked here to be located (the id stands in for an empty name) */
		char dir[4096], why[512];
		if (sc_oci_cgroup_systemd(cfg->cgroups_path, "id", false, dir, sizeof(dir), why, sizeof(why)) < 0) {
			size_t at = cfg_push(c, ".cgroupsPath");
			r = cfg_fail(c, cfg_get(lx, "cgroupsPath"), "%s", why);
			cfg_pop(c, at);
			return r;
		}
	}
	const struct sc_json *sec = cfg_get(lx, "seccomp");
	if (sec) {
		cfg_push(c, ".seccomp");
		if ((r = cfg_want_object(c, sec)) < 0 ||
		    (r = cfg_read_string(c, sec, "listenerPath", &cfg->listener_path)) < 0 ||
		    (r = cfg_read_string(c, sec, "listenerMetadata", &cfg->listener_metadata)) < 0)
			return r;
		if (cfg->listener_metadata && !cfg->listener_path)
			return cfg_fail(c, sec, "listenerMetadata is set without listenerPath");
		cfg_pop(c, old + strlen("linux"));
		cfg->has_seccomp = true;
	}
	if (cfg->rootfs_propagation) {
		static const char *const ok[] = { "", "shared", "slave", "private", "unbindable",
						  "rshared", "rslave", "rprivate", "runbindable" };
		bool good = false;
		for (size_t i = 0; i < SC_ARRAY_SIZE(ok); i++)
			good |= strcmp(cfg->rootfs_propagation, ok[i]) == 0;
		if (!good) {
			cfg_push(c, ".rootfsPropagation");
			return cfg_fail(c, cfg_get(lx, "rootfsPropagation"), "invalid rootfs propagation \"%s\"",
				    cfg->rootfs_propagation);
		}
	}
	if ((cfg->n_uid_map || cfg->n_gid_map) && !(cfg->namespaces & SC_NS_USER))
		return cfg_fail(c, lx, "user namespaces aren't enabled in the config, but uid or gid mappings are given");
	cfg_pop(c, old);
	return 0;
}
