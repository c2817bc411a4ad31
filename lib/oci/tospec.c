/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json -> struct sc_spec: the second front-end of the one model
 * (docker run's options are the first, lib/spec/docker.c), so that the
 * launch path of an engine's container is `seclude run`'s.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmount.h"
#include "seclude/oci.h"
#include "seclude/util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static bool has_opt(const struct sc_oci_mount *m, const char *opt)
{
	for (size_t i = 0; i < m->n_options; i++)
		if (strcmp(m->options[i], opt) == 0)
			return true;
	return false;
}

bool sc_oci_mount_idmapped(const struct sc_oci_mount *m)
{
	return m->uid_map || m->gid_map || has_opt(m, "idmap") || has_opt(m, "ridmap");
}

/* Where the launcher makes Docker's own file systems, the config's are the same ones (never id-mapped). */
bool sc_oci_launcher_makes(const struct sc_oci_mount *m)
{
	if (sc_oci_mount_idmapped(m))
		return false;
	static const struct { const char *dest, *type; } own[] = {
		{ "/proc", "proc" }, { "/dev", "tmpfs" }, { "/dev/pts", "devpts" }, { "/sys", "sysfs" },
		{ "/sys/fs/cgroup", "cgroup" }, { "/sys/fs/cgroup", "cgroup2" }, { "/dev/mqueue", "mqueue" },
	};   /* /dev/shm is the config's: its size is --shm-size's (the launcher then makes none) */
	for (size_t i = 0; i < SC_ARRAY_SIZE(own); i++)
		if (m->type && strcmp(m->destination, own[i].dest) == 0 && strcmp(m->type, own[i].type) == 0)
			return true;
	/* rootless specs bind the host's /sys */
	return strcmp(m->destination, "/sys") == 0 && (has_opt(m, "rbind") || has_opt(m, "bind"));
}

static int loc_error(const struct sc_oci_config *cfg, struct sc_loc loc, const char *path, const char *what,
		     struct sc_error *err)
{
	return sc_error_set(err, -EINVAL, "%s:%u:%u: %s: %s", cfg->origin, loc.line, loc.col, path, what);
}

/* runc's mount options (libcontainer/specconv): flags set or cleared, propagation, recursive attributes. */
static const struct { const char *name; bool clear; unsigned long flag; } mount_flags[] = {
	{ "async", true, MS_SYNCHRONOUS }, { "atime", true, MS_NOATIME }, { "bind", false, MS_BIND },
	{ "defaults", false, 0 }, { "dev", true, MS_NODEV }, { "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC }, { "exec", true, MS_NOEXEC }, { "iversion", false, MS_I_VERSION },
	{ "lazytime", false, MS_LAZYTIME }, { "loud", true, MS_SILENT }, { "mand", false, MS_MANDLOCK },
	{ "noatime", false, MS_NOATIME }, { "nodev", false, MS_NODEV }, { "nodiratime", false, MS_NODIRATIME },
	{ "noexec", false, MS_NOEXEC }, { "noiversion", true, MS_I_VERSION }, { "nolazytime", true, MS_LAZYTIME },
	{ "nomand", true, MS_MANDLOCK }, { "norelatime", true, MS_RELATIME },
	{ "nostrictatime", true, MS_STRICTATIME }, { "nosuid", false, MS_NOSUID },
	{ "nosymfollow", false, MS_NOSYMFOLLOW }, { "rbind", false, MS_BIND | MS_REC },
	{ "relatime", false, MS_RELATIME }, { "remount", false, MS_REMOUNT }, { "ro", false, MS_RDONLY },
	{ "rw", true, MS_RDONLY }, { "silent", false, MS_SILENT }, { "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID }, { "sync", false, MS_SYNCHRONOUS }, { "symfollow", true, MS_NOSYMFOLLOW },
};
static const struct { const char *name; unsigned long flag; } propagations[] = {
	{ "rprivate", MS_PRIVATE | MS_REC }, { "private", MS_PRIVATE }, { "rslave", MS_SLAVE | MS_REC },
	{ "slave", MS_SLAVE }, { "rshared", MS_SHARED | MS_REC }, { "shared", MS_SHARED },
	{ "runbindable", MS_UNBINDABLE | MS_REC }, { "unbindable", MS_UNBINDABLE },
};
static const struct { const char *name; bool clear; uint64_t attr; } rec_attrs[] = {
	{ "rro", false, MOUNT_ATTR_RDONLY }, { "rrw", true, MOUNT_ATTR_RDONLY },
	{ "rnosuid", false, MOUNT_ATTR_NOSUID }, { "rsuid", true, MOUNT_ATTR_NOSUID },
	{ "rnodev", false, MOUNT_ATTR_NODEV }, { "rdev", true, MOUNT_ATTR_NODEV },
	{ "rnoexec", false, MOUNT_ATTR_NOEXEC }, { "rexec", true, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", false, MOUNT_ATTR_NODIRATIME }, { "rdiratime", true, MOUNT_ATTR_NODIRATIME },
	{ "rrelatime", false, MOUNT_ATTR_RELATIME }, { "rnorelatime", true, MOUNT_ATTR_RELATIME },
	{ "rnoatime", false, MOUNT_ATTR_NOATIME }, { "ratime", true, MOUNT_ATTR_NOATIME },
	{ "rstrictatime", false, MOUNT_ATTR_STRICTATIME }, { "rnostrictatime", true, MOUNT_ATTR_STRICTATIME },
	{ "rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW }, { "rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW },
};

/* Whether the kernel knows the file system type (/proc/filesystems; a module may still load it). */
static bool known_fstype(const char *type)
{
	_cleanup_free_ char *text = NULL;
	if (sc_read_file("/proc/filesystems", 1 << 16, &text, NULL, NULL) < 0)
		return true;   /* cannot tell: the mount will say */
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *name = strchr(l, '\t');
		if (strcmp(name ? name + 1 : l, type) == 0)
			return true;
	}
	return false;
}

/*
 * One of config.json's mounts as runc reads it (parseMountOptions): each
 * option a flag set or cleared, a propagation change, a recursive
 * attribute, or fs data (joined with commas); "bind"/"rbind" (or type
 * bind) make it a bind, whatever the type.
 */
static int add_mount(const struct sc_oci_config *cfg, size_t i, const char *bundle, struct sc_spec *s,
		     struct sc_error *err)
{
	const struct sc_oci_mount *m = &cfg->mounts[i];
	char where[32];
	snprintf(where, sizeof(where), "mounts[%zu]", i);
	if (sc_oci_launcher_makes(m))
		return 0;
	struct sc_mount v = { .kind = SC_MOUNT_OCI, .target = m->destination, .source = m->source };
	size_t len = 1, n_prop = 0;
	for (size_t k = 0; k < m->n_options; k++)
		len += strlen(m->options[k]) + 1;
	_cleanup_free_ char *abs = NULL, *data = calloc(len, 1);
	if (!data)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t k = 0; k < m->n_options; k++) {
		const char *o = m->options[k];
		bool done = false;
		for (size_t j = 0; !done && j < SC_ARRAY_SIZE(mount_flags); j++)
			if (strcmp(o, mount_flags[j].name) == 0) {
				done = true;
				if (mount_flags[j].clear) {
					v.flags &= ~mount_flags[j].flag;
					v.cleared |= mount_flags[j].flag;
				} else {
					v.flags |= mount_flags[j].flag;
					v.cleared &= ~mount_flags[j].flag;
				}
			}
		for (size_t j = 0; !done && j < SC_ARRAY_SIZE(propagations); j++)
			if (strcmp(o, propagations[j].name) == 0) {
				done = true;
				if (n_prop == SC_MOUNT_MAX_PROPAGATION) {
					char what[64];
					snprintf(what, sizeof(what), "more than %d propagation options",
						 SC_MOUNT_MAX_PROPAGATION);
					return loc_error(cfg, m->loc, where, what, err);
				}
				v.propagation[n_prop++] = propagations[j].flag;
			}
		for (size_t j = 0; !done && j < SC_ARRAY_SIZE(rec_attrs); j++)
			if (strcmp(o, rec_attrs[j].name) == 0) {
				done = true;
				if (rec_attrs[j].clear) {
					v.attr_clr |= rec_attrs[j].attr;
					v.attr_set &= ~rec_attrs[j].attr;
				} else {
					v.attr_set |= rec_attrs[j].attr;
					v.attr_clr &= ~rec_attrs[j].attr;
				}
				/* mount_setattr: an access-time setting also clears the others */
				if ((rec_attrs[j].attr & MOUNT_ATTR__ATIME) == rec_attrs[j].attr)
					v.attr_clr |= MOUNT_ATTR__ATIME;
			}
		/* made before anything starts (idmount.c): not the file system's data */
		done |= strcmp(o, "idmap") == 0 || strcmp(o, "ridmap") == 0;
		if (!done && (strncmp(o, "idmap=", 6) == 0 || strncmp(o, "ridmap=", 7) == 0)) {
			char what[400];
			snprintf(what, sizeof(what), "option %.200s: crun's mapping syntax is not read here "
				 "(give the mount uidMappings and gidMappings)", o);
			return loc_error(cfg, m->loc, where, what, err);
		}
		if (!done && strcmp(o, "tmpcopyup") != 0) {
			if (data[0])
				strcat(data, ",");
			strcat(data, o);
		}
	}
	v.options = data[0] ? data : NULL;
	v.readonly = (v.flags & MS_RDONLY) || (v.attr_set & MOUNT_ATTR_RDONLY);
	bool bind = (v.flags & MS_BIND) || (m->type && strcmp(m->type, "bind") == 0);
	if (bind) {
		/* type bind without the option: recursive, as Docker's volumes are */
		if (!(v.flags & MS_BIND))
			v.flags |= MS_BIND | MS_REC;
		if (!m->source)
			return loc_error(cfg, m->loc, where, "a bind mount needs a source", err);
		if (m->source[0] != '/') {
			if (asprintf(&abs, "%s/%s", bundle, m->source) < 0)
				return sc_error_set(err, -ENOMEM, "out of memory");
			v.source = abs;
		}
		v.options = NULL;
		/* idmap or ridmap alone: the container's own maps, as runc takes them */
		if (sc_oci_mount_idmapped(m) && !m->uid_map && !(cfg->namespaces & SC_NS_USER))
			return loc_error(cfg, m->loc, where, "option idmap or ridmap without uidMappings and gidMappings "
					 "needs the container's user namespace to take them from (it has none)", err);
	} else {
		if (sc_oci_mount_idmapped(m)) {
			char path[64];
			snprintf(path, sizeof(path), "%s%s", where, m->uid_map ? ".uidMappings" : "");
			return loc_error(cfg, m->uid_map ? m->uid_map_loc : m->loc, path,
					 "id-mapped mounts are only supported for bind mounts", err);
		}
		if (!m->type || !m->type[0])
			return loc_error(cfg, m->loc, where, "a mount needs a type, or the bind option", err);
		if (!known_fstype(m->type)) {
			char what[300];
			snprintf(what, sizeof(what), "unknown filesystem type \"%s\" for %s", m->type,
				 m->destination);
			return loc_error(cfg, m->loc, where, what, err);
		}
		v.fstype = m->type;
	}
	return sc_spec_add_mount(s, &v, err);
}

/* Lines "inside outside count" of a uid_map or gid_map. */
static size_t parse_map(char *text, struct sc_idmap *out, size_t max)
{
	size_t n = 0;
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n"))
		if (sscanf(line, "%u %u %u", &out[n].inside, &out[n].outside, &out[n].count) == 3)
			n++;
	return n;
}

/*
 * The maps of the user namespace at path, as runc caches them: a child
 * joins it and reads its own uid_map and gid_map (relative to the
 * namespace's parent).
 */
static int ns_maps(const char *path, struct sc_idmap *uid, size_t *n_uid, struct sc_idmap *gid,
		   size_t *n_gid, size_t max)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return e;
	}
	if (pid == 0) {
		close(p[0]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWUSER) < 0)
			_exit(1);
		char *u = NULL, *g = NULL;
		size_t lu = 0, lg = 0;
		if (sc_read_file("/proc/self/uid_map", 1 << 16, &u, &lu, NULL) < 0 ||
		    sc_read_file("/proc/self/gid_map", 1 << 16, &g, &lg, NULL) < 0)
			_exit(1);
		sc_write_all(p[1], u, lu);
		sc_write_all(p[1], "-\n", 2);
		sc_write_all(p[1], g, lg);
		_exit(0);
	}
	close(p[1]);
	char buf[1 << 15];
	size_t off = 0;
	ssize_t k;
	while (off < sizeof(buf) - 1 && (k = read(p[0], buf + off, sizeof(buf) - 1 - off)) > 0)
		off += (size_t)k;
	close(p[0]);
	buf[off] = '\0';
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char *sep = strstr(buf, "-\n");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !sep)
		return -EPERM;
	*sep = '\0';
	*n_uid = parse_map(buf, uid, max);
	*n_gid = parse_map(sep + 2, gid, max);
	return 0;
}

static bool same_map(const struct sc_idmap *a, size_t na, const struct sc_idmap *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].inside != b[i].inside || a[i].outside != b[i].outside || a[i].count != b[i].count)
			return false;
	return true;
}

/*
 * linux.namespaces as runc checks them: a user namespace needs a path or
 * mappings, and with both they must be the namespace's own; the maps
 * of a joined one are read from it (what the spec then says).
 */
static int set_namespaces(const struct sc_oci_config *cfg, struct sc_spec *s, struct sc_error *err)
{
	s->namespaces = cfg->namespaces;
	const struct sc_oci_ns_path *user = NULL;
	unsigned joins = 0;
	for (size_t i = 0; i < cfg->n_ns_paths; i++) {
		if (cfg->ns_paths[i].type == SC_NS_USER)
			user = &cfg->ns_paths[i];
		if (!cfg->ns_paths[i].type)
			continue;   /* time: not made */
		struct stat st;
		if (stat(cfg->ns_paths[i].path, &st) < 0) {
			char what[600];
			snprintf(what, sizeof(what), "cannot open the namespace %s: %s", cfg->ns_paths[i].path,
				 strerror(errno));
			return loc_error(cfg, cfg->ns_paths[i].loc, "linux.namespaces", what, err);
		}
		if (!(s->ns_path[sc_ns_index(cfg->ns_paths[i].type)] = strdup(cfg->ns_paths[i].path)))
			return sc_error_set(err, -ENOMEM, "out of memory");
		joins |= cfg->ns_paths[i].type;
	}
	/* the clone makes a new pid namespace: the host's user namespace owns it, and /proc cannot be mounted */
	if (user && !(joins & (SC_NS_PID | SC_NS_MOUNT)) && (cfg->namespaces & SC_NS_PID))
		return loc_error(cfg, cfg->ns_loc[sc_ns_index(SC_NS_PID)], "linux.namespaces",
				 "a new pid namespace with a joined user namespace is not supported here "
				 "(join its pid or mount namespace too)", err);
	if (!(cfg->namespaces & SC_NS_USER))
		return sc_spec_set_idmaps(s, cfg->uid_map, cfg->n_uid_map, cfg->gid_map, cfg->n_gid_map, err);
	if (!user) {
		if (!cfg->n_uid_map || !cfg->n_gid_map)
			return loc_error(cfg, cfg->ns_loc[sc_ns_index(SC_NS_USER)], "linux.namespaces",
					 "user namespaces enabled, but no namespace path to join nor mappings "
					 "to apply specified", err);
		return sc_spec_set_idmaps(s, cfg->uid_map, cfg->n_uid_map, cfg->gid_map, cfg->n_gid_map, err);
	}
	struct sc_idmap um[340], gm[340];
	size_t nu = 0, ng = 0;
	int r = ns_maps(user->path, um, &nu, gm, &ng, SC_ARRAY_SIZE(um));
	if (r < 0) {
		char what[600];
		snprintf(what, sizeof(what), "failed to cache mappings for userns %s: %s", user->path, strerror(-r));
		return loc_error(cfg, user->loc, "linux.namespaces", what, err);
	}
	if ((cfg->n_uid_map || cfg->n_gid_map) &&
	    (!same_map(um, nu, cfg->uid_map, cfg->n_uid_map) || !same_map(gm, ng, cfg->gid_map, cfg->n_gid_map)))
		return loc_error(cfg, user->loc, "linux.namespaces", "user namespaces enabled, but both namespace "
				 "path and non-matching mapping specified -- you may only provide one", err);
	return sc_spec_set_idmaps(s, um, nu, gm, ng, err);
}

/* An absolute path cleaned in place as Go's path.Clean does it: no "//", ".", "..", trailing "/". */
static void clean_path(char *p)
{
	char *w = p + 1;   /* p[0] is '/' */
	const char *r = p + 1;
	while (*r) {
		size_t n = strcspn(r, "/");
		if (n == 0 || (n == 1 && r[0] == '.')) {
			/* nothing */
		} else if (n == 2 && r[0] == '.' && r[1] == '.') {
			if (w > p + 1) {
				w--;   /* the '/' after the last element */
				while (w > p + 1 && w[-1] != '/')
					w--;
			}
		} else {
			memmove(w, r, n);
			w += n;
			*w++ = '/';
		}
		r += n;
		if (*r == '/')
			r++;
	}
	if (w > p + 1)
		w--;
	*w = '\0';
}

int sc_oci_to_spec(const struct sc_oci_config *cfg, const char *bundle, bool complain, bool keep_policy,
		   struct sc_spec *s, struct sc_error *err)
{
	int r;
	memset(s, 0, sizeof(*s));
	struct sc_spec_process *p = &s->process;
	if ((r = sc_spec_set_args(s, cfg->args, err)) < 0)
		goto fail;
	for (size_t i = 0; i < cfg->n_env; i++)
		if ((r = sc_spec_env_set(s, cfg->env[i], err)) < 0)
			goto fail;
	if (!p->env && !(p->env = calloc(1, sizeof(char *)))) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if (!(p->cwd = strdup(cfg->cwd ? cfg->cwd : "/")) ||
	    asprintf(&p->user, "%u:%u", cfg->uid, cfg->gid) < 0) {
		p->user = NULL;
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	p->caps = cfg->caps[SC_CAPS_BOUNDING];
	p->no_new_privs = cfg->no_new_privileges;
	for (size_t i = 0; i < cfg->n_rlimits; i++)
		if ((r = sc_spec_add_rlimit(s, &cfg->rlimits[i], err)) < 0)
			goto fail;
	p->terminal = cfg->terminal;
	p->stdin_open = true;   /* the caller's stdin passes through untouched */

	/* as runc: an absolute path as written, a relative one joined to the bundle and cleaned (Go's filepath.Join) */
	if (cfg->root_path[0] == '/')
		s->root.path = strdup(cfg->root_path);
	else if (asprintf(&s->root.path, "%s/%s", bundle, cfg->root_path) < 0)
		s->root.path = NULL;
	else
		clean_path(s->root.path);
	if (!s->root.path) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	struct stat st;
	if (stat(s->root.path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		r = sc_error_errno(err, stat(s->root.path, &st) < 0 ? -errno : -ENOTDIR, "%s: root.path: %s",
				   cfg->origin, s->root.path);
		goto fail;
	}
	s->root.readonly = cfg->root_readonly;
	/* rootfsPropagation; absent, the host's mounts reach the container and not back (runc's rslave) */
	s->root.propagation = MS_SLAVE | MS_REC;
	for (size_t i = 0; cfg->rootfs_propagation && cfg->rootfs_propagation[0] && i < SC_ARRAY_SIZE(propagations); i++)
		if (strcmp(cfg->rootfs_propagation, propagations[i].name) == 0)
			s->root.propagation = propagations[i].flag;

	for (size_t i = 0; i < cfg->n_mounts; i++)
		if ((r = add_mount(cfg, i, bundle, s, err)) < 0)
			goto fail;
	/* maskedPaths and readonlyPaths as the config lists them, after every mount as runc applies them */
	for (size_t i = 0; i < cfg->n_masked_paths; i++)
		if ((r = sc_spec_add_mount(s, &(struct sc_mount){ .kind = SC_MOUNT_MASK,
								  .target = cfg->masked_paths[i] }, err)) < 0)
			goto fail;
	for (size_t i = 0; i < cfg->n_readonly_paths; i++)
		if ((r = sc_spec_add_mount(s, &(struct sc_mount){ .kind = SC_MOUNT_READONLY, .readonly = true,
								  .target = cfg->readonly_paths[i] }, err)) < 0)
			goto fail;
	for (size_t i = 0; i < cfg->n_devices; i++)
		if ((r = sc_spec_add_device(s, &cfg->devices[i], err)) < 0)
			goto fail;
	/* Docker's --privileged: every device, no masks */
	s->privileged = cfg->devices_allow_all && !cfg->n_masked_paths && !cfg->n_readonly_paths;

	if ((r = set_namespaces(cfg, s, err)) < 0)
		goto fail;
	s->net = (cfg->namespaces & SC_NS_NET) ? SC_NET_NONE : SC_NET_HOST;
	if ((cfg->namespaces & SC_NS_UTS) && cfg->hostname && !(s->hostname = strdup(cfg->hostname))) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	/* as runc: unified needs the cgroup v2 hierarchy alone (a hybrid host is v1) */
	struct statfs sf;
	if (cfg->n_unified && (statfs("/sys/fs/cgroup", &sf) < 0 || (unsigned long)sf.f_type != CGROUP2_SUPER_MAGIC)) {
		r = loc_error(cfg, cfg->unified_loc, "linux.resources.unified",
			      "invalid configuration: cannot use unified on cgroup v1", err);
		goto fail;
	}
	if ((r = sc_limits_merge(&s->limits, &cfg->limits)) < 0) {
		r = sc_error_set(err, r, "out of memory");
		goto fail;
	}

	if (cfg->has_seccomp) {
		/* the profile module reads a bundle's config.json as its linux.seccomp: one compile, cached */
		struct sc_filter_opts fo = { .caps = p->caps, .complain = complain, .keep_policy = keep_policy };
		if ((r = sc_filter_for(cfg->origin, &fo, &s->seccomp.filter, NULL, err)) < 0)
			goto fail;
		s->seccomp.confined = true;
		if (!(s->seccomp.profile = strdup(cfg->origin))) {
			r = sc_error_set(err, -ENOMEM, "out of memory");
			goto fail;
		}
	}
	return 0;
fail:
	sc_spec_free(s);
	return r;
}
