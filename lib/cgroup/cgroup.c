/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A sandbox's cgroup: finding the hierarchy, placing the cgroup, moving
 * processes in, signalling and removing it.  What differs between v1 and
 * v2 (file names, enabling controllers, the accounting files) lives in
 * cgroup_v1.c and cgroup_v2.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup_fs.h"
#include "seclude/util.h"

static const char *const ctrl_names[SC_CG_NCTRL] = {
	[SC_CG_CPU] = "cpu",
	[SC_CG_CPUACCT] = "cpuacct",
	[SC_CG_CPUSET] = "cpuset",
	[SC_CG_MEMORY] = "memory",
	[SC_CG_PIDS] = "pids",
	[SC_CG_BLKIO] = "blkio",
	[SC_CG_FREEZER] = "freezer",
	[SC_CG_DEVICES] = "devices",
};

const char *sc_cgroup_ctrl_name(enum sc_cgroup_ctrl c)
{
	return (unsigned)c < SC_CG_NCTRL ? ctrl_names[c] : NULL;
}

/* ------------------------------------------------------------------ */
/* Finding the hierarchy */

static int read_self_cgroups(struct sc_cgroup_root *r)
{
	_cleanup_free_ char *s = NULL;
	if (sc_read_file("/proc/self/cgroup", 1 << 16, &s, NULL, NULL) < 0)
		return 0;  /* no /proc: only absolute parents will do */
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		const char *ctrls = c1 + 1, *path = c2 + 1;
		if (!*ctrls && strcmp(line, "0") == 0) {
			free(r->self_v2);
			if (!(r->self_v2 = strdup(path)))
				return -ENOMEM;
			continue;
		}
		_cleanup_free_ char *list = strdup(ctrls);
		if (!list)
			return -ENOMEM;
		char *save2 = NULL;
		for (char *c = strtok_r(list, ",", &save2); c; c = strtok_r(NULL, ",", &save2))
			for (int i = 0; i < SC_CG_NCTRL; i++)
				if (strcmp(c, ctrl_names[i]) == 0) {
					free(r->self_v1[i]);
					if (!(r->self_v1[i] = strdup(path)))
						return -ENOMEM;
				}
	}
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int sc_cgroup_root_detect(const char *path, struct sc_cgroup_root *out, struct sc_error *err)
{
	if (!path)
		path = "/sys/fs/cgroup";
	*out = (struct sc_cgroup_root){0};
	if (!is_dir(path))
		return sc_error_set(err, -ENOENT, "%s: no cgroup hierarchy there", path);

	if (sc_cgfs_exists(path, "cgroup.controllers")) {
		out->version = SC_CGROUP_V2;
		out->path = strdup(path);
	} else {
		bool any = false;
		for (int c = 0; c < SC_CG_NCTRL; c++) {
			_cleanup_free_ char *p = sc_cgfs_join(path, ctrl_names[c], NULL);
			if (!p)
				goto oom;
			if (!is_dir(p))
				continue;
			/* "cpu" and "cpuacct" are often links to one "cpu,cpuacct" mount. */
			struct stat st;
			char real[PATH_MAX];
			if (lstat(p, &st) < 0)
				continue;
			if (S_ISLNK(st.st_mode)) {
				if (!realpath(p, real))
					continue;
				out->v1_mount[c] = strdup(real);
			} else {
				out->v1_mount[c] = strdup(p);
			}
			if (!out->v1_mount[c])
				goto oom;
			any = true;
		}
		if (any) {
			out->version = SC_CGROUP_V1;
			out->path = strdup(path);
		} else {
			_cleanup_free_ char *u = sc_cgfs_join(path, "unified", NULL);
			if (!u)
				goto oom;
			if (!sc_cgfs_exists(u, "cgroup.controllers")) {
				sc_cgroup_root_free(out);
				return sc_error_set(err, -ENOENT, "%s: no cgroup hierarchy there", path);
			}
			out->version = SC_CGROUP_V2;
			out->path = TAKE_PTR(u);
		}
	}
	if (!out->path || read_self_cgroups(out) < 0)
		goto oom;
	return 0;
oom:
	sc_cgroup_root_free(out);
	return sc_error_set(err, -ENOMEM, "out of memory");
}

void sc_cgroup_root_free(struct sc_cgroup_root *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->self_v2);
	free(r->delegated);
	for (int c = 0; c < SC_CG_NCTRL; c++) {
		free(r->v1_mount[c]);
		free(r->self_v1[c]);
	}
	*r = (struct sc_cgroup_root){0};
}

const char *sc_cgroup_default_parent(const struct sc_cgroup_root *r)
{
	if (r->version == SC_CGROUP_V2 && r->delegated) {
		static char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/seclude", strcmp(r->delegated, "/") ? r->delegated : "");
		return p;
	}
	return r->version == SC_CGROUP_V2 ? "/seclude" : "seclude";
}

static bool owned_by(const char *dir, const char *file, uid_t uid)
{
	char p[PATH_MAX * 2 + 64];
	struct stat st;
	int n = snprintf(p, sizeof(p), "%s%s%s", dir, file ? "/" : "", file ? file : "");
	return n > 0 && (size_t)n < sizeof(p) && lstat(p, &st) == 0 && st.st_uid == uid;
}

int sc_cgroup_delegated(const struct sc_cgroup_root *r, uid_t uid, char **out, struct sc_error *err)
{
	*out = NULL;
	if (r->version != SC_CGROUP_V2)
		return sc_error_set(err, -ENOENT, "cgroup v1 delegates no cgroup to a user who is not root");
	if (!r->self_v2)
		return sc_error_set(err, -ENOENT, "this process is in no cgroup v2 group");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", r->self_v2);
	const char *best = NULL;
	char found[PATH_MAX];
	/* from the caller's own cgroup upwards, while the user owns the level */
	for (;;) {
		char dir[PATH_MAX * 2];
		snprintf(dir, sizeof(dir), "%s%s", r->path, strcmp(path, "/") ? path : "");
		if (!owned_by(dir, NULL, uid) || !owned_by(dir, "cgroup.procs", uid) ||
		    !owned_by(dir, "cgroup.subtree_control", uid))
			break;
		_cleanup_free_ char *ctrls = NULL;
		if (sc_cgfs_read(dir, "cgroup.controllers", &ctrls, NULL) == 0 && ctrls[strspn(ctrls, " \n")]) {
			snprintf(found, sizeof(found), "%s", path);
			best = found;
		}
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
	if (!best)
		return sc_error_set(err, -ENOENT, "cgroup v2 delegates no subtree with controllers to uid %lu here",
				    (unsigned long)uid);
	if (!(*out = strdup(best)))
		return sc_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

/* ------------------------------------------------------------------ */
/* One sandbox's cgroup */

void sc_cgroup_free(struct sc_cgroup *cg)
{
	if (!cg)
		return;
	free(cg->dir);
	for (int c = 0; c < SC_CG_NCTRL; c++)
		free(cg->v1[c]);
	free(cg);
}

static bool path_is_clean(const char *p)
{
	/* No "." or ".." component: the cgroup must stay below its parent. */
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += len;
		while (*s == '/')
			s++;
	}
	return true;
}

int sc_cgroup_locate(const struct sc_cgroup_root *root, const char *parent, const char *name,
		     struct sc_cgroup **out, struct sc_error *err)
{
	if (!parent)
		parent = sc_cgroup_default_parent(root);
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return sc_error_set(err, -EINVAL, "invalid cgroup name '%s'", name ? name : "");
	if (!path_is_clean(parent))
		return sc_error_set(err, -EINVAL, "invalid cgroup parent '%s': no '.' or '..' allowed", parent);

	struct sc_cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg)
		return sc_error_set(err, -ENOMEM, "out of memory");
	cg->version = root->version;
	if (root->version == SC_CGROUP_V2) {
		_cleanup_free_ char *base = parent[0] == '/' ? strdup(parent)
				: sc_cgfs_join(root->self_v2 ? root->self_v2 : "/", parent, NULL);
		if (!base || !(cg->dir = sc_cgfs_join(root->path, base, name)))
			goto oom;
	} else {
		for (int c = 0; c < SC_CG_NCTRL; c++) {
			if (!root->v1_mount[c])
				continue;
			_cleanup_free_ char *base = parent[0] == '/' ? strdup(parent)
					: sc_cgfs_join(root->self_v1[c] ? root->self_v1[c] : "/", parent, NULL);
			if (!base || !(cg->v1[c] = sc_cgfs_join(root->v1_mount[c], base, name)))
				goto oom;
		}
	}
	*out = cg;
	return 0;
oom:
	sc_cgroup_free(cg);
	return sc_error_set(err, -ENOMEM, "out of memory");
}

static const struct sc_cgroup_ops *ops(const struct sc_cgroup *cg)
{
	return cg->version == SC_CGROUP_V2 ? &sc_cgroup_v2_ops : &sc_cgroup_v1_ops;
}

int sc_cgroup_create(const struct sc_cgroup_root *root, const char *parent, const char *name,
		     struct sc_cgroup **out, struct sc_diags *warnings, struct sc_error *err)
{
	_cleanup_cgroup_ struct sc_cgroup *cg = NULL;
	int r = sc_cgroup_locate(root, parent, name, &cg, err);
	if (r < 0)
		return r;
	r = ops(cg)->create(root, cg, err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(cg);
	return 0;
}

int sc_cgroup_apply(const struct sc_cgroup *cg, const struct sc_cgroup_limits *l,
		    struct sc_diags *warnings, struct sc_error *err)
{
	return ops(cg)->apply(cg, l, warnings, err);
}

int sc_cgroup_attach(const struct sc_cgroup *cg, pid_t pid, struct sc_error *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return ops(cg)->attach(cg, buf, err);
}

int sc_cgroup_open_dirfd(const struct sc_cgroup *cg, struct sc_error *err)
{
	if (cg->version != SC_CGROUP_V2)
		return sc_error_set(err, -EOPNOTSUPP, "a cgroup directory fd needs cgroup v2");
	int fd = open(cg->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", cg->dir);
	return fd;
}

int sc_cgroup_pids(const struct sc_cgroup *cg, pid_t **pids, size_t *n, struct sc_error *err)
{
	const char *d = ops(cg)->procs_dir(cg);
	if (!d)
		return sc_error_set(err, -ENOENT, "the cgroup has no directory");
	return sc_cgfs_procs(d, pids, n, err);
}

bool sc_cgroup_is_populated(const struct sc_cgroup *cg)
{
	int pop = ops(cg)->populated(cg);
	if (pop >= 0)
		return pop;
	_cleanup_free_ pid_t *p = NULL;
	size_t n = 0;
	if (sc_cgroup_pids(cg, &p, &n, NULL) < 0)
		return false;
	return n > 0;
}

static int signal_listed(const struct sc_cgroup *cg, int sig, struct sc_error *err)
{
	_cleanup_free_ pid_t *p = NULL;
	size_t n = 0;
	int r = sc_cgroup_pids(cg, &p, &n, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (size_t i = 0; i < n; i++)
		if (kill(p[i], sig) < 0 && errno != ESRCH)
			return sc_error_errno(err, -errno, "cannot signal process %d", (int)p[i]);
	return 0;
}

int sc_cgroup_signal(const struct sc_cgroup *cg, int sig, struct sc_error *err)
{
	if (sig == SIGKILL) {
		int r = ops(cg)->kill(cg, err);
		if (r != -EOPNOTSUPP)
			return r;
	}
	return signal_listed(cg, sig, err);
}

int sc_cgroup_destroy(const struct sc_cgroup *cg, struct sc_error *err)
{
	/* Kill until nothing is left; each round covers what forked meanwhile. */
	for (int round = 0; round < 500 && sc_cgroup_is_populated(cg); round++) {
		if (round % 50 == 0) {
			int r = sc_cgroup_signal(cg, SIGKILL, err);
			if (r < 0)
				return r;
		}
		sc_cgfs_sleep_ms(10);
	}
	return ops(cg)->remove(cg, err);
}

int sc_cgroup_read_stats(const struct sc_cgroup *cg, struct sc_cgroup_stats *out,
			 struct sc_error *err)
{
	*out = (struct sc_cgroup_stats){ .memory_limit = SC_UNLIMITED, .pids_limit = SC_UNLIMITED };
	return ops(cg)->stats(cg, out, err);
}
