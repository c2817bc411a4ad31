/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Id-mapped mounts (idmount.h), made in the runtime before anything
 * starts: the child moves each detached tree onto its destination
 * (resolved inside the rootfs) in place of binding the source.  Made by
 * root in the host's user namespace, so that a container in a user
 * namespace of its own gets them as well (mount_setattr wants
 * CAP_SYS_ADMIN over the source's file system, move_mount only over the
 * container's mount namespace).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_read.h"
#include "idmount.h"
#include "seclude/util.h"

/* A user namespace made for a mapping, kept for the next mount with the same maps. */
struct userns {
	const struct sc_idmap *u, *g;
	size_t nu, ng;
	int fd;
};

static bool same_maps(const struct sc_idmap *a, size_t na, const struct sc_idmap *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

static int write_map(long pid, const char *file, const struct sc_idmap *m, size_t n)
{
	char path[64], text[SC_IDMAP_MAX * 36];
	size_t len = 0;
	for (size_t i = 0; i < n && i < SC_IDMAP_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u %u %u\n", m[i].inside, m[i].outside,
					m[i].count);
	snprintf(path, sizeof(path), "/proc/%ld/%s", pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, text, len);
	return w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
}

/*
 * A user namespace whose uid_map and gid_map are the maps: a child born
 * in a new one waits while they are written and its namespace is
 * opened, then ends (the namespace lives on in the fd).
 */
static int map_userns(const struct sc_idmap *u, size_t nu, const struct sc_idmap *g, size_t ng, int *out)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1);   /* until the parent closes its end */
		_exit(0);
	}
	int e = pid < 0 ? -errno : 0;
	close(p[0]);
	if (e == 0 && (e = write_map(pid, "uid_map", u, nu)) == 0 && (e = write_map(pid, "gid_map", g, ng)) == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%ld/ns/user", pid);
		if ((*out = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			e = -errno;
	}
	close(p[1]);
	while (pid > 0 && waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
		;
	return e;
}

/* The type of the file system path lies on ("ext4"), from mountinfo; "" when unknown. */
static void fs_type(const char *path, char *out, size_t len)
{
	out[0] = '\0';
	struct statx stx;
	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long id;
		char *sep = strstr(line, " - ");
		if (sscanf(line, "%llu", &id) != 1 || id != stx.stx_mnt_id || !sep)
			continue;
		size_t k = strcspn(sep + 3, " \n");
		snprintf(out, len, "%.*s", (int)k, sep + 3);
		break;
	}
	if (f)
		fclose(f);
}

static int at(const struct sc_oci_config *cfg, struct sc_loc loc, const char *where, struct sc_error *err,
	      int code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int at(const struct sc_oci_config *cfg, struct sc_loc loc, const char *where, struct sc_error *err,
	      int code, const char *fmt, ...)
{
	char what[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sc_error_set(err, code, "%s:%u:%u: %s: %s", cfg->origin, loc.line, loc.col, where, what);
}

/* The user namespace for these maps: one made before, or a new one. */
static int userns_for(struct userns *ns, size_t *n_ns, const struct sc_idmap *u, size_t nu,
		      const struct sc_idmap *g, size_t ng, int *fd)
{
	for (size_t k = 0; k < *n_ns; k++)
		if (same_maps(ns[k].u, ns[k].nu, u, nu) && same_maps(ns[k].g, ns[k].ng, g, ng)) {
			*fd = ns[k].fd;
			return 0;
		}
	int r = map_userns(u, nu, g, ng, fd);
	if (r == 0)
		ns[(*n_ns)++] = (struct userns){ u, g, nu, ng, *fd };
	return r;
}

static int make_tree(const struct sc_oci_config *cfg, size_t i, const struct sc_mount *sm, int nsfd, int *tree,
		     struct sc_error *err)
{
	const struct sc_oci_mount *m = &cfg->mounts[i];
	char where[32];
	snprintf(where, sizeof(where), "mounts[%zu]", i);
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((sm->flags & MS_REC) ? AT_RECURSIVE : 0);
	if ((*tree = open_tree(AT_FDCWD, sm->source, flags)) < 0)
		return at(cfg, m->loc, where, err, -errno, "mount source %s: %s", sm->source, strerror(errno));
	/*
	 * The clone was made in the host's mount namespace, before the
	 * container's / is made a slave: a shared source's peer group comes
	 * with it, and a mount the container made under it would appear on
	 * the host.  Private first, the whole tree; the mount's own
	 * propagation is applied once it is in place.
	 */
	struct mount_attr priv = { .propagation = MS_PRIVATE };
	if (mount_setattr(*tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &priv, sizeof(priv)) < 0)
		return at(cfg, m->loc, where, err, -errno, "cannot make %s private: %s", sm->source, strerror(errno));
	bool rec = false;
	for (size_t k = 0; k < m->n_options; k++)
		rec |= strcmp(m->options[k], "ridmap") == 0;
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)nsfd };
	if (mount_setattr(*tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &attr, sizeof(attr)) == 0)
		return 0;
	int e = errno;
	if (e != EINVAL)
		return at(cfg, m->loc, where, err, -e, "cannot id-map %s: %s", sm->source, strerror(e));
	char type[64];
	fs_type(sm->source, type, sizeof(type));
	return at(cfg, m->loc, where, err, -e, "cannot id-map %s: its file system%s%s%s%s does not support "
		  "id-mapped mounts (mount_setattr: EINVAL)", sm->source, type[0] ? " (" : "", type,
		  type[0] ? ")" : "", rec ? ", or one mounted under it," : "");
}

int sc_oci_mount_trees(const struct sc_oci_config *cfg, const struct sc_spec *s, int **trees,
		       struct sc_error *err)
{
	*trees = NULL;
	struct userns *ns = NULL;
	size_t n_ns = 0, j = 0;
	int r = 0;
	for (size_t i = 0; i < cfg->n_mounts && r == 0; i++) {
		const struct sc_oci_mount *m = &cfg->mounts[i];
		if (sc_oci_launcher_makes(m))
			continue;
		size_t k = j++;
		if (!sc_oci_mount_idmapped(m))
			continue;
		char where[48];
		snprintf(where, sizeof(where), "mounts[%zu]", i);
		if (geteuid() != 0) {
			r = at(cfg, m->loc, where, err, -EPERM, "id-mapped mounts are not supported for rootless "
			       "containers (mount_setattr needs CAP_SYS_ADMIN over the source's file system)");
			break;
		}
		if (!*trees) {
			if (!(*trees = malloc(s->n_mounts * sizeof(**trees))) ||
			    !(ns = calloc(cfg->n_mounts, sizeof(*ns)))) {
				r = sc_error_set(err, -ENOMEM, "out of memory");
				break;
			}
			for (size_t t = 0; t < s->n_mounts; t++)
				(*trees)[t] = -1;
		}
		/* without maps of its own: the container's, as its user namespace has them */
		const struct sc_idmap *u = m->uid_map ? m->uid_map : s->uid_map;
		const struct sc_idmap *g = m->uid_map ? m->gid_map : s->gid_map;
		size_t nu = m->uid_map ? m->n_uid_map : s->n_uid_map, ng = m->uid_map ? m->n_gid_map : s->n_gid_map;
		int nsfd = -1;
		if ((r = userns_for(ns, &n_ns, u, nu, g, ng, &nsfd)) < 0) {
			snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s", m->uid_map ? ".uidMappings" : "");
			r = at(cfg, m->uid_map ? m->uid_map_loc : m->loc, where, err, r,
			       "cannot make a user namespace with these mappings: %s", strerror(-r));
			break;
		}
		r = make_tree(cfg, i, &s->mounts[k], nsfd, &(*trees)[k], err);
	}
	for (size_t k = 0; k < n_ns; k++)
		close(ns[k].fd);
	free(ns);
	if (r < 0) {
		sc_oci_mount_trees_close(*trees, s->n_mounts);
		*trees = NULL;
	}
	return r;
}

void sc_oci_mount_trees_close(int *trees, size_t n)
{
	for (size_t i = 0; trees && i < n; i++)
		if (trees[i] >= 0)
			close(trees[i]);
	free(trees);
}
