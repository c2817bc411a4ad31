/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiled filters by content hash.  An entry is the raw program, nothing
 * else, so it can be handed to anything that reads raw BPF.  Writes go to
 * a temporary file renamed into place, so a reader sees a whole entry or
 * none; reads re-check everything, so a damaged or planted entry (or one
 * a crash left empty: there is no fsync) is only a miss.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "config.h"
#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/sha256.h"
#include "seclude/util.h"

#define SC_BPF_MAXINSNS 4096
#define CACHE_FORMAT "seclude-bpf-cache-1"

static void hash_u64(struct sc_sha256 *s, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	sc_sha256_update(s, b, sizeof(b));
}

static void hash_str(struct sc_sha256 *s, const char *str)
{
	size_t n = strlen(str);
	hash_u64(s, n);
	sc_sha256_update(s, str, n);
}

void sc_cache_key_compute(const char *profile_text, size_t len,
			  const struct sc_target *t, const struct sc_compile_opts *opts,
			  struct sc_cache_key *key)
{
	struct sc_sha256 s;
	sc_sha256_init(&s);
	hash_str(&s, CACHE_FORMAT);
	hash_str(&s, SECLUDE_VERSION);
	const struct scmp_version *v = seccomp_version();
	hash_u64(&s, v ? v->major : 0);
	hash_u64(&s, v ? v->minor : 0);
	hash_u64(&s, v ? v->micro : 0);
	/* the host's arch decides what libseccomp calls "native" */
	hash_u64(&s, seccomp_arch_native());
	hash_u64(&s, t->caps);
	hash_u64(&s, t->arch);
	hash_u64(&s, t->kernel_major);
	hash_u64(&s, t->kernel_minor);
	hash_u64(&s, opts && opts->no_enosys_stub);
	/* a strict compile is only stored when no name was unknown */
	hash_u64(&s, opts && opts->unknown_syscall_is_error);
	hash_u64(&s, len);
	sc_sha256_update(&s, profile_text, len);
	sc_sha256_final(&s, key->digest);
}

int sc_cache_default_dir(char *buf, size_t len, struct sc_error *err)
{
	const char *env = getenv("SECLUDE_CACHE_DIR");
	int n;
	if (env)
		n = snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/cache/seclude");
	else if ((env = getenv("XDG_CACHE_HOME")) && env[0] == '/')
		n = snprintf(buf, len, "%s/seclude", env);
	else if ((env = getenv("HOME")) && env[0] == '/')
		n = snprintf(buf, len, "%s/.cache/seclude", env);
	else
		return sc_error_set(err, -ENOENT, "no cache directory: neither XDG_CACHE_HOME nor HOME is set");
	if (n < 0 || (size_t)n >= len)
		return sc_error_set(err, -ENAMETOOLONG, "cache directory name too long");
	return 0;
}

static int entry_path(const char *dir, const struct sc_cache_key *key, char *buf, size_t len,
		      struct sc_error *err)
{
	char base[PATH_MAX];
	if (!dir) {
		int r = sc_cache_default_dir(base, sizeof(base), err);
		if (r < 0)
			return r;
		dir = base;
	}
	if (!dir[0])
		return sc_error_set(err, -ENOENT, "the cache is off");
	char hex[65];
	sc_hex(key->digest, sizeof(key->digest), hex);
	int n = snprintf(buf, len, "%s/%s.bpf", dir, hex);
	if (n < 0 || (size_t)n >= len)
		return sc_error_set(err, -ENAMETOOLONG, "cache path too long");
	return 0;
}

int sc_cache_get(const char *dir, const struct sc_cache_key *key, struct sc_bpf *out,
		 struct sc_error *err)
{
	char path[PATH_MAX];
	*out = (struct sc_bpf){0};
	int r = entry_path(dir, key, path, sizeof(path), err);
	if (r < 0)
		return r;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
			return sc_error_set(err, -ENOENT, "%s: not in the cache", path);
		return sc_error_errno(err, -errno, "%s: cannot open", path);
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sc_error_errno(err, -errno, "%s: cannot stat", path);
	/* someone else's program must never be loaded as ours */
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return sc_error_set(err, -ENOENT, "%s: not a private regular file; ignored", path);
	size_t size = (size_t)st.st_size;
	if (size == 0 || size % sizeof(struct sock_filter) || size > SC_BPF_MAXINSNS * sizeof(struct sock_filter))
		return sc_error_set(err, -ENOENT, "%s: %zu bytes is not a program; ignored", path, size);
	_cleanup_free_ struct sock_filter *insns = malloc(size);
	if (!insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, (char *)insns + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sc_error_set(err, -ENOENT, "%s: short read; ignored", path);
		got += (size_t)n;
	}
	struct sc_bpf b = { insns, size / sizeof(struct sock_filter) };
	struct sc_error verr = {0};
	if (sc_bpf_validate(&b, &verr) < 0)
		return sc_error_set(err, -ENOENT, "%s: %s; ignored", path, verr.msg);
	out->insns = TAKE_PTR(insns);
	out->len = b.len;
	return 0;
}

int sc_cache_put(const char *dir, const struct sc_cache_key *key, const struct sc_bpf *b,
		 struct sc_error *err)
{
	char base[PATH_MAX], path[PATH_MAX];
	if (!dir) {
		int r = sc_cache_default_dir(base, sizeof(base), err);
		if (r < 0)
			return r;
		dir = base;
	}
	int r = entry_path(dir, key, path, sizeof(path), err);
	if (r < 0)
		return r;
	r = sc_bpf_validate(b, err);
	if (r < 0)
		return r;
	r = sc_mkdir_p(dir, 0700, 0700, err);
	if (r < 0)
		return r;
	return sc_write_atomic(path, b->insns, b->len * sizeof(*b->insns), 0600, 0, err);
}
