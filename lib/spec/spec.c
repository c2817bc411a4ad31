/* SPDX-License-Identifier: GPL-2.0-or-later */
/* struct sc_spec: building one up, letting it go, and Docker's defaults every front-end shares. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "seclude/spec.h"
#include "seclude/util.h"

const char *const sc_docker_masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware", NULL,
};

const char *const sc_docker_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

const struct sc_host_private sc_host_tree_private_dirs[] = {
	{ "/tmp", "mode=1777" }, { "/run", "mode=755" }, { NULL, NULL },
};

unsigned sc_ns_index(enum sc_ns ns)
{
	return (unsigned)__builtin_ctz((unsigned)ns);
}

static int oom(struct sc_error *err)
{
	return sc_error_set(err, -ENOMEM, "out of memory");
}

static void mount_free(struct sc_mount *m)
{
	free((char *)m->source);
	free((char *)m->target);
	free((char *)m->options);
	free((char *)m->fstype);
}

void sc_spec_free(struct sc_spec *s)
{
	if (!s)
		return;
	sc_strv_free(s->process.args, s->process.n_args);
	sc_strv_free(s->process.env, s->process.n_env);
	free(s->process.cwd);
	free(s->process.user);
	free(s->process.rlimits);
	free(s->root.path);
	for (size_t i = 0; i < s->n_mounts; i++)
		mount_free(&s->mounts[i]);
	free(s->mounts);
	for (size_t i = 0; i < s->n_devices; i++)
		free(s->devices[i].path);
	free(s->devices);
	for (size_t i = 0; i < SC_NS_COUNT; i++)
		free(s->ns_path[i]);
	free(s->uid_map);
	free(s->gid_map);
	free(s->hostname);
	sc_limits_free(&s->limits);
	free(s->cgroup_parent);
	free(s->seccomp.profile);
	sc_filter_free(&s->seccomp.filter);
	memset(s, 0, sizeof(*s));
}

int sc_spec_set_args(struct sc_spec *s, char *const *argv, struct sc_error *err)
{
	size_t n = 0;
	while (argv && argv[n])
		n++;
	char **v = sc_strv_copy(argv, n);
	if (!v)
		return oom(err);
	sc_strv_free(s->process.args, s->process.n_args);
	s->process.args = v;
	s->process.n_args = n;
	return 0;
}

int sc_spec_env_set(struct sc_spec *s, const char *kv, struct sc_error *err)
{
	size_t klen = strcspn(kv, "=");
	char *copy = strdup(kv);
	if (!copy)
		return oom(err);
	char **env = s->process.env;
	for (size_t i = 0; i < s->process.n_env; i++)
		if (strncmp(env[i], kv, klen) == 0 && env[i][klen] == '=') {
			free(env[i]);
			env[i] = copy;
			return 0;
		}
	char **nv = realloc(env, (s->process.n_env + 2) * sizeof(*nv));
	if (!nv) {
		free(copy);
		return oom(err);
	}
	nv[s->process.n_env++] = copy;
	nv[s->process.n_env] = NULL;
	s->process.env = nv;
	return 0;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*failed = true;
	return d;
}

int sc_spec_insert_mount(struct sc_spec *s, size_t at, const struct sc_mount *m, struct sc_error *err)
{
	bool failed = false;
	struct sc_mount c = {
		.kind = m->kind,
		.source = dup_or_null(m->source, &failed),
		.target = dup_or_null(m->target, &failed),
		.readonly = m->readonly,
		.options = dup_or_null(m->options, &failed),
		.fstype = dup_or_null(m->fstype, &failed),
		.flags = m->flags,
		.cleared = m->cleared,
		.attr_set = m->attr_set,
		.attr_clr = m->attr_clr,
	};
	memcpy(c.propagation, m->propagation, sizeof(c.propagation));
	struct sc_mount *nv = failed ? NULL : realloc(s->mounts, (s->n_mounts + 1) * sizeof(*nv));
	if (!nv) {
		mount_free(&c);
		return oom(err);
	}
	if (at > s->n_mounts)
		at = s->n_mounts;
	memmove(nv + at + 1, nv + at, (s->n_mounts - at) * sizeof(*nv));
	nv[at] = c;
	s->mounts = nv;
	s->n_mounts++;
	return 0;
}

int sc_spec_add_mount(struct sc_spec *s, const struct sc_mount *m, struct sc_error *err)
{
	return sc_spec_insert_mount(s, s->n_mounts, m, err);
}

int sc_spec_add_rlimit(struct sc_spec *s, const struct sc_rlimit *rl, struct sc_error *err)
{
	struct sc_rlimit *nv = realloc(s->process.rlimits, (s->process.n_rlimits + 1) * sizeof(*nv));
	if (!nv)
		return oom(err);
	nv[s->process.n_rlimits++] = *rl;
	s->process.rlimits = nv;
	return 0;
}

static int copy_map(struct sc_idmap **dst, size_t *n_dst, const struct sc_idmap *src, size_t n)
{
	struct sc_idmap *v = n ? malloc(n * sizeof(*v)) : NULL;
	if (n && !v)
		return -ENOMEM;
	if (n)
		memcpy(v, src, n * sizeof(*v));
	free(*dst);
	*dst = v;
	*n_dst = n;
	return 0;
}

int sc_spec_set_idmaps(struct sc_spec *s, const struct sc_idmap *uid, size_t n_uid,
		       const struct sc_idmap *gid, size_t n_gid, struct sc_error *err)
{
	if (copy_map(&s->uid_map, &s->n_uid_map, uid, n_uid) < 0 ||
	    copy_map(&s->gid_map, &s->n_gid_map, gid, n_gid) < 0)
		return oom(err);
	return 0;
}

int sc_spec_add_docker_masks(struct sc_spec *s, struct sc_error *err)
{
	for (const char *const *p = sc_docker_masked_paths; *p; p++) {
		int r = sc_spec_add_mount(s, &(struct sc_mount){ .kind = SC_MOUNT_MASK, .target = *p }, err);
		if (r < 0)
			return r;
	}
	for (const char *const *p = sc_docker_readonly_paths; *p; p++) {
		int r = sc_spec_add_mount(s, &(struct sc_mount){ .kind = SC_MOUNT_READONLY, .target = *p,
								  .readonly = true }, err);
		if (r < 0)
			return r;
	}
	return 0;
}

void sc_random_hostname(char buf[13])
{
	unsigned char b[6] = {0};
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
		memcpy(b, &x, sizeof(b));
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
}

const char *sc_host_tree_private(const char *path)
{
	for (const struct sc_host_private *p = sc_host_tree_private_dirs; p->path; p++) {
		size_t n = strlen(p->path);
		if (strncmp(path, p->path, n) == 0 && (path[n] == '/' || path[n] == '\0'))
			return p->path;
	}
	return NULL;
}

int sc_spec_add_device(struct sc_spec *s, const struct sc_device *d, struct sc_error *err)
{
	struct sc_device *n = realloc(s->devices, (s->n_devices + 1) * sizeof(*n));
	if (!n)
		return sc_error_set(err, -ENOMEM, "out of memory");
	s->devices = n;
	n[s->n_devices] = *d;
	if (!(n[s->n_devices].path = strdup(d->path)))
		return sc_error_set(err, -ENOMEM, "out of memory");
	s->n_devices++;
	return 0;
}
