/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one atomic file write and the one mkdir -p.  Neither allocates, so
 * both work in a child between clone and execve.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "seclude/util.h"

int sc_mkdir_p(const char *path, mode_t parents, mode_t leaf, struct sc_error *err)
{
	char p[PATH_MAX];
	int n = snprintf(p, sizeof(p), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(p))
		return sc_error_set(err, -ENAMETOOLONG, "%s: path too long", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, parents) < 0 && errno != EEXIST)
			return sc_error_errno(err, -errno, "%s: cannot create", p);
		*s = '/';
	}
	if (mkdir(p, leaf) < 0 && errno != EEXIST)
		return sc_error_errno(err, -errno, "%s: cannot create", p);
	return 0;
}

static int final_mode(const char *path, mode_t mode, unsigned flags, mode_t *out)
{
	struct stat st;
	if ((flags & SC_WRITE_KEEP_MODE) && stat(path, &st) == 0) {
		*out = st.st_mode & 07777;
		return 0;
	}
	if (flags & SC_WRITE_UMASK) {
		mode_t mask = umask(0);
		umask(mask);
		mode &= ~mask;
	}
	*out = mode;
	return 0;
}

int sc_write_atomic(const char *path, const void *data, size_t len, mode_t mode, unsigned flags,
		    struct sc_error *err)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return sc_error_set(err, -ENAMETOOLONG, "%s: path too long", path);
	_cleanup_close_ int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot create", path);
	mode_t m;
	final_mode(path, mode, flags, &m);
	int r = fchmod(fd, m) < 0 ? -errno : 0;
	if (r == 0)
		r = sc_write_all(fd, data, len);
	if (r == 0 && (flags & SC_WRITE_SYNC) && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return sc_error_errno(err, r, "%s: cannot write", path);
	}
	return 0;
}

void sc_close_fds_except(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == self)
			continue;
		bool kept = false;
		for (size_t i = 0; i < n; i++)
			kept |= keep[i] == fd;
		if (!kept)
			close(fd);
	}
	closedir(d);
}

int sc_write_output(const char *path, const char *text, struct sc_error *err)
{
	size_t len = strlen(text);
	if (!path || !strcmp(path, "-")) {
		if (sc_write_all(STDOUT_FILENO, text, len) < 0 || sc_write_all(STDOUT_FILENO, "\n", 1) < 0)
			return sc_error_set(err, -errno, "cannot write the profile: %s", strerror(errno));
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		_cleanup_close_ int out = open(path, O_WRONLY | O_CLOEXEC);
		if (out < 0 || sc_write_all(out, text, len) < 0 || sc_write_all(out, "\n", 1) < 0)
			return sc_error_set(err, -errno, "%s: cannot write: %s", path, strerror(errno));
		return 0;
	}
	_cleanup_free_ char *line = NULL;
	if (asprintf(&line, "%s\n", text) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	return sc_write_atomic(path, line, len + 1, 0644, SC_WRITE_UMASK | SC_WRITE_SYNC, err);
}

int sc_remove_flat_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int sc_proc_status_masks(const char *const *keys, uint64_t *out, size_t n)
{
	char buf[8192];
	size_t len = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t k = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int r = -errno;
			close(fd);
			return r;
		}
		if (k == 0 || (len += (size_t)k) == sizeof(buf) - 1)
			break;
	}
	close(fd);
	buf[len] = '\0';
	size_t found = 0;
	for (size_t i = 0; i < n; i++) {
		size_t kl = strlen(keys[i]);
		for (const char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
			if (strncmp(line, keys[i], kl) || line[kl] != ':')
				continue;
			const char *v = line + kl + 1;
			v += strspn(v, " \t");
			uint64_t m = 0;
			size_t d = 0;
			for (; d < 16 && isxdigit((unsigned char)v[d]); d++)
				m = m << 4 | (uint64_t)(isdigit((unsigned char)v[d]) ? v[d] - '0' : (v[d] | 0x20) - 'a' + 10);
			if (d == 0 || isxdigit((unsigned char)v[d]))
				return -EINVAL;
			out[i] = m;
			found++;
			break;
		}
	}
	return found == n ? 0 : -ENOENT;
}
