/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "seclude/util.h"

/* Read what is left of fd (at most max_bytes) into a NUL-terminated buffer. */
int sc_read_fd(int fd, const char *name, size_t max_bytes, char **out, size_t *len,
	       struct sc_error *err)
{
	size_t cap = 65536, n = 0;
	_cleanup_free_ char *buf = malloc(cap + 1);
	if (!buf)
		return sc_error_set(err, -ENOMEM, "%s: out of memory", name);
	for (;;) {
		if (n == cap) {
			if (cap >= max_bytes)
				return sc_error_set(err, -EFBIG, "%s: larger than %zu bytes", name, max_bytes);
			cap = cap * 2 > max_bytes ? max_bytes : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				return sc_error_set(err, -ENOMEM, "%s: out of memory", name);
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return sc_error_errno(err, -errno, "%s: cannot read", name);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = TAKE_PTR(buf);
	if (len)
		*len = n;
	return 0;
}

int sc_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
		 struct sc_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sc_error_errno(err, -errno, "%s: cannot stat", path);
	if (S_ISDIR(st.st_mode))
		return sc_error_set(err, -EISDIR, "%s: is a directory, not a file", path);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return sc_error_set(err, -EINVAL, "%s: not a regular file", path);
	return sc_read_fd(fd, path, max_bytes, out, len, err);
}

int sc_open_regular(const char *path, int flags, struct sc_error *err)
{
	/* a FIFO without a writer would block open(2) itself, forever */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | flags);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sc_error_errno(err, -errno, "%s: cannot stat", path);
	if (S_ISDIR(st.st_mode))
		return sc_error_set(err, -EISDIR, "%s: is a directory, not a file", path);
	if (!S_ISREG(st.st_mode))
		return sc_error_set(err, -EINVAL, "%s: not a regular file", path);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", path);
	return TAKE_FD(fd);
}

int sc_read_user_file(const char *path, size_t max_bytes, char **out, size_t *len,
		      struct sc_error *err)
{
	_cleanup_close_ int fd = sc_open_regular(path, 0, err);
	if (fd < 0)
		return fd;
	return sc_read_fd(fd, path, max_bytes, out, len, err);
}

int sc_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int sc_parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -EINVAL;
	uint64_t v = 0;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return -ERANGE;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return 0;
}

char **sc_strv_copy(char *const *v, size_t n)
{
	char **r = calloc(n + 1, sizeof(*r));
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		r[i] = strdup(v[i]);
		if (!r[i]) {
			sc_strv_free(r, i);
			return NULL;
		}
	}
	return r;
}

void sc_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int sc_strv_push_split(char ***v, size_t *n, const char *list, const char *sep)
{
	_cleanup_free_ char *copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	char *save = NULL;
	for (char *tok = strtok_r(copy, sep, &save); tok; tok = strtok_r(NULL, sep, &save)) {
		char **nv = realloc(*v, (*n + 2) * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		if (!(nv[*n] = strdup(tok)))
			return -ENOMEM;
		nv[++*n] = NULL;
	}
	return 0;
}

char *sc_strv_join(char *const *v, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	for (size_t i = 0; v[i]; i++)
		len += strlen(v[i]) + seplen;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; v[i]; i++) {
		if (i)
			p = stpcpy(p, sep);
		p = stpcpy(p, v[i]);
	}
	return s;
}

char *sc_strv_shell_quote(char *const *argv)
{
	size_t cap = 1;
	for (size_t i = 0; argv[i]; i++)
		cap += strlen(argv[i]) * 4 + 3;
	char *s = malloc(cap), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];
		bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == strlen(a);
		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++) {
			if (*a == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *a;
		}
		*p++ = '\'';
		*p = '\0';
	}
	return s;
}

int sc_grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : first;
	void *nv = realloc(*v, nc * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

bool sc_parse_id(const char *s, uint32_t *out)
{
	uint64_t v;
	if (sc_parse_u64(s, &v) < 0 || v > UINT32_MAX - 1)
		return false;
	*out = (uint32_t)v;
	return true;
}

size_t sc_split_colons(char *line, char **f, size_t n)
{
	size_t k = 0;
	f[k++] = line;
	for (char *p = line; *p && k < n; p++)
		if (*p == ':') {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}
