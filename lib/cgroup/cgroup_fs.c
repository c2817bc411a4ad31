/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The small file helpers the cgroup code shares: joining paths, reading
 * and writing the one-value control files, listing a cgroup's pids and
 * removing it.  Below cgroup.c and both backends; it calls neither.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup_fs.h"
#include "seclude/util.h"


char *sc_cgfs_join(const char *a, const char *b, const char *c)
{
	const char *parts[] = { a, b, c };
	size_t len = 1;
	for (size_t i = 0; i < 3; i++)
		len += parts[i] ? strlen(parts[i]) + 1 : 0;
	char *out = malloc(len);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < 3; i++) {
		const char *p = parts[i];
		if (!p || !*p)
			continue;
		if (n > 0 && out[n - 1] != '/')
			out[n++] = '/';
		for (; *p; p++)
			if (!(*p == '/' && n > 0 && out[n - 1] == '/'))
				out[n++] = *p;
	}
	/* No trailing slash, unless the whole path is "/". */
	while (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
	return out;
}

int sc_cgfs_write(const char *dir, const char *file, const char *value, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_cgfs_join(dir, file, NULL);
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", path);
	size_t len = strlen(value);
	ssize_t w = write(fd, value, len);
	if (w < 0)
		return sc_error_errno(err, -errno, "cannot write '%s' to %s", value, path);
	if ((size_t)w != len)
		return sc_error_set(err, -EIO, "short write of '%s' to %s", value, path);
	return 0;
}

int sc_cgfs_write_u64(const char *dir, const char *file, uint64_t v, struct sc_error *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return sc_cgfs_write(dir, file, buf, err);
}

int sc_cgfs_read(const char *dir, const char *file, char **out, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_cgfs_join(dir, file, NULL);
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t len = 0;
	int r = sc_read_file(path, 1 << 20, out, &len, err);
	if (r < 0)
		return r;
	while (len > 0 && (*out)[len - 1] == '\n')
		(*out)[--len] = '\0';
	return 0;
}

int sc_cgfs_read_u64(const char *dir, const char *file, uint64_t *out, struct sc_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_cgfs_read(dir, file, &s, err);
	if (r < 0)
		return r;
	if (strcmp(s, "max") == 0) {
		*out = SC_UNLIMITED;
		return 0;
	}
	/* v1 writes "-1" back as a huge number, but some files keep "-1". */
	if (strcmp(s, "-1") == 0) {
		*out = SC_UNLIMITED;
		return 0;
	}
	if (sc_parse_u64(s, out) < 0)
		return sc_error_set(err, -EINVAL, "%s/%s: not a number: '%s'", dir, file, s);
	return 0;
}

int sc_cgfs_read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_cgfs_read(dir, file, &s, NULL);
	if (r < 0)
		return r;
	size_t klen = strlen(key);
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			uint64_t v;
			if (sc_parse_u64(line + klen + 1, &v) < 0)
				return -EINVAL;
			*out = v;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

bool sc_cgfs_exists(const char *dir, const char *file)
{
	_cleanup_free_ char *path = sc_cgfs_join(dir, file, NULL);
	return path && access(path, F_OK) == 0;
}

int sc_cgfs_procs(const char *dir, pid_t **pids, size_t *n, struct sc_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_cgfs_read(dir, "cgroup.procs", &s, err);
	if (r < 0)
		return r;
	size_t cap = 16, cnt = 0;
	_cleanup_free_ pid_t *v = malloc(cap * sizeof(*v));
	if (!v)
		return sc_error_set(err, -ENOMEM, "out of memory");
	char *save = NULL;
	for (char *tok = strtok_r(s, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
		uint64_t p;
		if (sc_parse_u64(tok, &p) < 0 || p == 0 || p > INT_MAX)
			continue;
		if (cnt == cap) {
			pid_t *nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv)
				return sc_error_set(err, -ENOMEM, "out of memory");
			v = nv;
		}
		v[cnt++] = (pid_t)p;
	}
	*pids = TAKE_PTR(v);
	*n = cnt;
	return 0;
}

void sc_cgfs_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The cgroups a sandbox made below its own (delegation lets it), deepest first. */
static void rmdir_children(const char *dir, int depth)
{
	DIR *d = depth < 32 ? opendir(dir) : NULL;
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >= (int)sizeof(sub))
			continue;
		rmdir_children(sub, depth + 1);
		rmdir(sub);
	}
	closedir(d);
}

int sc_cgfs_rmdir(const char *dir, struct sc_error *err)
{
	/* A killed task leaves its cgroup a little after it is reaped. */
	for (int i = 0; i < 200; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		rmdir_children(dir, 0);
		sc_cgfs_sleep_ms(10);
	}
	return sc_error_errno(err, -errno, "cannot remove %s", dir);
}

bool sc_cgfs_host_has_bfq(void)
{
	DIR *d = opendir("/sys/block");
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[300];
		snprintf(path, sizeof(path), "/sys/block/%s/queue", e->d_name);
		_cleanup_free_ char *s = NULL;
		if (sc_cgfs_read(path, "scheduler", &s, NULL) == 0)
			found = strstr(s, "[bfq]") != NULL;
	}
	closedir(d);
	return found;
}

bool sc_cgfs_iocost_enabled(const char *dir)
{
	/* io.cost.qos lives in the hierarchy's root cgroup alone. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		_cleanup_free_ char *s = NULL;
		if (sc_cgfs_read(path, "io.cost.qos", &s, NULL) == 0)
			return strstr(s, "enable=1") != NULL;
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			return false;
		*slash = '\0';
	}
}

void sc_cgfs_warn_io_weight_unused(const char *dir, struct sc_diags *w)
{
	if (!sc_cgfs_iocost_enabled(dir) && !sc_cgfs_host_has_bfq())
		sc_diags_add(w, SC_DIAG_WARNING, "blkio-weight", NULL, NULL,
			     "no block device of this host has the io.cost controller enabled or uses "
			     "the BFQ scheduler: the block I/O weight is set but has no effect");
}

void sc_cgfs_warn_weight_unused(struct sc_diags *w)
{
	if (!sc_cgfs_host_has_bfq())
		sc_diags_add(w, SC_DIAG_WARNING, "blkio-weight", NULL, NULL,
			     "no block device of this host uses the BFQ scheduler: the block I/O weight "
			     "is set but has no effect");
}
