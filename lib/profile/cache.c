/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiled filters by content hash.  An entry is a header (a magic and a
 * SHA-256 over the key and the program) followed by the raw program: a
 * program that checks out as BPF but is not the one compiled for this key
 * (edited in place, another entry copied over it, a torn write) is a miss
 * and gets recompiled, where the shape checks alone would have loaded it.
 * Writes go to a temporary file renamed into place, so a reader sees a
 * whole entry or none; reads re-check everything, so a damaged or planted
 * entry (or one a crash left empty: there is no fsync) is only a miss.
 * The digest is no signature: whoever may write the cache as its owner
 * may also compute it; owner and mode checks keep everyone else out.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "config.h"
#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/places.h"
#include "seclude/sha256.h"
#include "seclude/util.h"

#define SC_BPF_MAXINSNS 4096
#define CACHE_FORMAT "seclude-bpf-cache-2"

extern const char sc_default_profile_json[];
extern const size_t sc_default_profile_json_len;
extern const unsigned char sc_default_profile_json_sha256[32];

static const char entry_magic[8] = { 's', 'c', 'b', 'p', 'f', 0, 0, 2 };

struct entry_header {
	char magic[8];
	uint8_t digest[32];    /* SHA-256 of CACHE_FORMAT, the key, the program */
};

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
	/* the text by its own digest: the built-in profile's is made at build time, not at every start */
	uint8_t text_digest[32];
	if (profile_text == sc_default_profile_json && len == sc_default_profile_json_len) {
		memcpy(text_digest, sc_default_profile_json_sha256, sizeof(text_digest));
	} else {
		struct sc_sha256 th;
		sc_sha256_init(&th);
		sc_sha256_update(&th, profile_text, len);
		sc_sha256_final(&th, text_digest);
	}
	sc_sha256_update(&s, text_digest, sizeof(text_digest));
	sc_sha256_final(&s, key->digest);
}

/* What binds a program to the key it was stored under. */
static void entry_digest(const struct sc_cache_key *key, const struct sock_filter *insns, size_t len,
			 uint8_t out[32])
{
	struct sc_sha256 s;
	sc_sha256_init(&s);
	hash_str(&s, CACHE_FORMAT);
	sc_sha256_update(&s, key->digest, sizeof(key->digest));
	hash_u64(&s, len);
	sc_sha256_update(&s, insns, len * sizeof(*insns));
	sc_sha256_final(&s, out);
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
	else {
		char home[PATH_MAX];
		int r = sc_user_home(home, sizeof(home), err);
		if (r < 0)
			return r;
		n = snprintf(buf, len, "%s/.cache/seclude", home);
	}
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

static int read_exactly(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		got += (size_t)n;
	}
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
	struct entry_header h;
	size_t whole = (size_t)st.st_size, size = whole - sizeof(h);
	if (whole <= sizeof(h) || size % sizeof(struct sock_filter) ||
	    size > SC_BPF_MAXINSNS * sizeof(struct sock_filter))
		return sc_error_set(err, -ENOENT, "%s: %zu bytes is not an entry; ignored", path, whole);
	_cleanup_free_ struct sock_filter *insns = malloc(size);
	if (!insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (read_exactly(fd, &h, sizeof(h)) < 0 || read_exactly(fd, insns, size) < 0)
		return sc_error_set(err, -ENOENT, "%s: short read; ignored", path);
	struct sc_bpf b = { insns, size / sizeof(struct sock_filter) };
	uint8_t want[32];
	entry_digest(key, b.insns, b.len, want);
	if (memcmp(h.magic, entry_magic, sizeof(h.magic)) != 0 || memcmp(h.digest, want, sizeof(want)) != 0)
		return sc_error_set(err, -ENOENT, "%s: not the program compiled for its key; ignored", path);
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
	/* the header binds the entry to its key: another valid program is a miss */
	size_t size = b->len * sizeof(*b->insns);
	_cleanup_free_ unsigned char *entry = malloc(sizeof(struct entry_header) + size);
	if (!entry)
		return sc_error_set(err, -ENOMEM, "out of memory");
	struct entry_header h;
	memcpy(h.magic, entry_magic, sizeof(h.magic));
	entry_digest(key, b->insns, b->len, h.digest);
	memcpy(entry, &h, sizeof(h));
	memcpy(entry + sizeof(h), b->insns, size);
	return sc_write_atomic(path, entry, sizeof(h) + size, 0600, 0, err);
}

int sc_compiled_profile_load(const char *path, bool strict, bool name, const struct sc_target *t,
			     struct sc_compiled_profile *c, struct sc_diags *diags, struct sc_error *err)
{
	*c = (struct sc_compiled_profile){0};
	const struct sc_parse_opts popts = { .unknown_syscall_is_error = strict };
	const struct sc_compile_opts copts = { .unknown_syscall_is_error = strict };
	int r = sc_profile_read(path, &c->text, &c->len, &c->origin, err);
	if (r == 0)
		r = sc_profile_parse(c->text, c->len, c->origin, &popts, &c->profile, diags, err);
	if (r == 0)
		r = sc_profile_resolve(c->profile, t, &c->policy, diags, err);
	if (r == 0 && (r = sc_policy_compile_cached(c->policy, c->text, c->len, &copts, NULL, &c->bpf, NULL, err)) < 0 &&
	    name && strncmp(err->msg, c->origin, strlen(c->origin)) != 0)
		sc_error_prefix(err, "%s", c->origin);
	return r;
}

void sc_compiled_profile_free(struct sc_compiled_profile *c)
{
	sc_bpf_free(&c->bpf);
	sc_policy_free(c->policy);
	sc_profile_free(c->profile);
	free(c->text);
	*c = (struct sc_compiled_profile){0};
}
