/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one atomic file write and the one mkdir -p.  Neither allocates, so
 * both work in a child between clone and execve.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
