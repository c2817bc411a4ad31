/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seclude/caps.h"
#include "seclude/profile.h"
#include "seclude/sha256.h"
#include "seclude/util.h"
#include "sim_helpers.h"

static char dir[256];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/seclude-test-cache.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct sc_target host_target(void)
{
	return (struct sc_target){ .caps = sc_caps_docker_default(), .arch = SCMP_ARCH_X86_64,
				   .kernel_major = 6, .kernel_minor = 1 };
}

static void key_hex(const struct sc_cache_key *k, char out[65])
{
	sc_hex(k->digest, sizeof(k->digest), out);
}

/* The built-in profile's key, from the digest made at build time, is the key of the same text anywhere else. */
static void test_builtin_key_is_its_text_key(void **state)
{
	size_t len = 0;
	const char *text = sc_default_profile_text(&len);
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, text, len + 1);
	struct sc_target t = host_target();
	struct sc_cache_key a, b;
	char ha[65], hb[65];
	sc_cache_key_compute(text, len, &t, NULL, &a);
	sc_cache_key_compute(copy, len, &t, NULL, &b);
	key_hex(&a, ha);
	key_hex(&b, hb);
	assert_string_equal(ha, hb);
	copy[len / 2] ^= 1;
	sc_cache_key_compute(copy, len, &t, NULL, &b);
	key_hex(&b, hb);
	assert_string_not_equal(ha, hb);
	free(copy);
}

static void test_key_covers_every_input(void **state)
{
	const char *text = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";
	struct sc_target t = host_target();
	struct sc_compile_opts o = {0};
	struct sc_cache_key base, k;
	char hb[65], hk[65];
	sc_cache_key_compute(text, strlen(text), &t, &o, &base);
	key_hex(&base, hb);
	sc_cache_key_compute(text, strlen(text), &t, &o, &k);
	key_hex(&k, hk);
	assert_string_equal(hb, hk);

	struct sc_target v[4] = { t, t, t, t };
	v[0].caps |= SC_CAP_SET(21);   /* CAP_SYS_ADMIN, not in the default set */
	v[1].arch = SCMP_ARCH_AARCH64;
	v[2].kernel_major = 5;
	v[3].kernel_minor = 2;
	for (int i = 0; i < 4; i++) {
		sc_cache_key_compute(text, strlen(text), &v[i], &o, &k);
		key_hex(&k, hk);
		assert_string_not_equal(hb, hk);
	}
	struct sc_compile_opts nostub = { .no_enosys_stub = true };
	sc_cache_key_compute(text, strlen(text), &t, &nostub, &k);
	key_hex(&k, hk);
	assert_string_not_equal(hb, hk);
	/* a lenient compile's entry must not answer a strict one */
	struct sc_compile_opts strict = { .unknown_syscall_is_error = true };
	sc_cache_key_compute(text, strlen(text), &t, &strict, &k);
	key_hex(&k, hk);
	assert_string_not_equal(hb, hk);
	/* one byte of the profile, even whitespace */
	sc_cache_key_compute(text, strlen(text) - 1, &t, &o, &k);
	key_hex(&k, hk);
	assert_string_not_equal(hb, hk);
}

static void entry_path(const struct sc_cache_key *k, char *buf, size_t len)
{
	char hex[65];
	key_hex(k, hex);
	snprintf(buf, len, "%s/%s.bpf", dir, hex);
}

static void test_put_get_and_bad_entries(void **state)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sc_bpf b = { f, SC_ARRAY_SIZE(f) }, got;
	struct sc_cache_key k;
	struct sc_error err = {0};
	struct sc_target t = host_target();
	sc_cache_key_compute("x", 1, &t, NULL, &k);

	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), 0);
	assert_int_equal(got.len, b.len);
	assert_memory_equal(got.insns, f, sizeof(f));
	sc_bpf_free(&got);

	char path[512];
	entry_path(&k, path, sizeof(path));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	/* nothing but the entry: the temporary file was renamed, not left */
	DIR *d = opendir(dir);
	int files = 0;
	for (struct dirent *e; (e = readdir(d));)
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);

	/* a torn entry (not whole instructions) is a miss */
	assert_int_equal(truncate(path, 13), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	/* whole instructions that the kernel would refuse: a miss */
	struct sock_filter bad[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_K, 0) };
	int fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(sc_write_all(fd, bad, sizeof(bad)), 0);
	close(fd);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "ignored"));
	/* an empty one */
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	/* a good program others may write: not trusted */
	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	/* a symlink in place of the entry is not followed */
	char other[600];
	snprintf(other, sizeof(other), "%s/elsewhere", dir);
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(chmod(other, 0600), 0);
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	/* too long: more than 4096 instructions */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (int i = 0; i < 4097; i++)
		assert_int_equal(sc_write_all(fd, &ret, sizeof(ret)), 0);
	close(fd);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
}

/* Overwrite size bytes at offset of path, keeping owner and mode. */
static void patch(const char *path, off_t offset, const void *bytes, size_t size)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, size, offset), (ssize_t)size);
	close(fd);
}

/*
 * A program that passes every shape check but is not the one stored under
 * its key: a miss (the compile that follows replaces it).  The RET ERRNO
 * made RET ALLOW is issue 9's example.
 */
static void test_entry_bound_to_key(void **state)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sc_bpf b = { f, SC_ARRAY_SIZE(f) }, got;
	struct sc_cache_key k, other;
	struct sc_error err = {0};
	struct sc_target t = host_target();
	sc_cache_key_compute("x", 1, &t, NULL, &k);
	sc_cache_key_compute("y", 1, &t, NULL, &other);
	char path[512], opath[512];
	entry_path(&k, path, sizeof(path));
	entry_path(&other, opath, sizeof(opath));
	struct stat st;

	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	off_t prog = st.st_size - (off_t)sizeof(f);
	/* RET ERRNO(13) -> RET ALLOW: still valid BPF, no longer the entry */
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	patch(path, prog + 2 * (off_t)sizeof(allow), &allow, sizeof(allow));
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "not the program compiled for its key"));

	/* another key's whole entry copied over it */
	assert_int_equal(sc_cache_put(dir, &other, &b, &err), 0);
	assert_int_equal(sc_cache_get(dir, &other, &got, &err), 0);
	sc_bpf_free(&got);
	assert_int_equal(rename(opath, path), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);

	/* the digest itself changed; the magic changed */
	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	patch(path, 8, "\xff", 1);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);
	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	patch(path, 0, "X", 1);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), -ENOENT);

	/* put again: a hit, the program as stored */
	assert_int_equal(sc_cache_put(dir, &k, &b, &err), 0);
	assert_int_equal(sc_cache_get(dir, &k, &got, &err), 0);
	assert_int_equal(got.len, b.len);
	assert_memory_equal(got.insns, f, sizeof(f));
	sc_bpf_free(&got);
}

static void test_default_dir(void **state)
{
	char buf[512];
	struct sc_error err = {0};
	setenv("SECLUDE_CACHE_DIR", "/somewhere/else", 1);
	assert_int_equal(sc_cache_default_dir(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/somewhere/else");
	unsetenv("SECLUDE_CACHE_DIR");
	assert_int_equal(sc_cache_default_dir(buf, sizeof(buf), &err), 0);
	if (geteuid() == 0) {
		assert_string_equal(buf, "/var/cache/seclude");
	} else {
		setenv("XDG_CACHE_HOME", "/xdg", 1);
		assert_int_equal(sc_cache_default_dir(buf, sizeof(buf), &err), 0);
		assert_string_equal(buf, "/xdg/seclude");
	}
}

static void test_compile_text_through_cache(void **state)
{
	size_t len;
	const char *text = sc_default_profile_text(&len);
	struct sc_target t = host_target();
	struct sc_bpf first, second, uncached;
	bool hit = true;
	struct sc_error err = {0};
	char sub[300];
	/* a directory that does not exist yet is made */
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	assert_int_equal(sc_compile_text(text, len, "default", &t, NULL, sub, &first, &hit, NULL, &err), 0);
	assert_false(hit);
	assert_int_equal(sc_compile_text(text, len, "default", &t, NULL, sub, &second, &hit, NULL, &err), 0);
	assert_true(hit);
	assert_int_equal(first.len, second.len);
	assert_memory_equal(first.insns, second.insns, first.len * sizeof(*first.insns));
	/* "" turns the cache off */
	assert_int_equal(sc_compile_text(text, len, "default", &t, NULL, "", &uncached, &hit, NULL, &err), 0);
	assert_false(hit);
	assert_memory_equal(first.insns, uncached.insns, first.len * sizeof(*first.insns));
	/* the cached program behaves: socket(AF_ALG) is refused */
	uint64_t alg[6] = { 38 };
	assert_int_equal(sim_name(&second, SCMP_ARCH_X86_64, "socket", alg), SECCOMP_RET_ERRNO | EPERM);
	sc_bpf_free(&first);
	sc_bpf_free(&second);
	sc_bpf_free(&uncached);

	/* a hit still reports the profile's warnings when asked */
	const char *odd = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			  "{\"names\":[\"read\",\"no_such_call\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	for (int round = 0; round < 2; round++) {
		struct sc_diags d = {0};
		struct sc_bpf b;
		assert_int_equal(sc_compile_text(odd, strlen(odd), "odd.json", &t, NULL, sub, &b, &hit, &d, &err), 0);
		assert_int_equal(hit, round == 1);
		assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
		assert_non_null(strstr(d.v[0].msg, "no_such_call"));
		sc_diags_free(&d);
		sc_bpf_free(&b);
	}

	/* a profile error is reported, and nothing is cached */
	const char *bad = "{\"defaultAction\":\"SCMP_ACT_NOPE\"}";
	struct sc_bpf none;
	assert_true(sc_compile_text(bad, strlen(bad), "bad.json", &t, NULL, sub, &none, &hit, NULL, &err) < 0);
	assert_non_null(strstr(err.msg, "bad.json:1:"));
	assert_null(none.insns);
}

/* Unknown names: skipped with a warning, or under unknown_syscall_is_error refused, cache or not. */
static void test_strict_through_cache(void **state)
{
	const char *odd = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			  "{\"names\":[\"read\",\"no_such_call\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	struct sc_target t = host_target();
	struct sc_compile_opts strict = { .unknown_syscall_is_error = true };
	struct sc_error err = {0};
	struct sc_bpf b;
	bool hit;
	/* the lenient program is cached first: the strict compile must not take it */
	assert_int_equal(sc_compile_text(odd, strlen(odd), "odd.json", &t, NULL, dir, &b, &hit, NULL, &err), 0);
	sc_bpf_free(&b);
	for (int round = 0; round < 2; round++) {
		assert_true(sc_compile_text(odd, strlen(odd), "odd.json", &t, &strict, dir, &b, &hit, NULL,
					    &err) < 0);
		assert_non_null(strstr(err.msg, "odd.json:1:"));
		assert_non_null(strstr(err.msg, "no_such_call"));
		assert_null(b.insns);
	}
	/* a profile whose names are all known compiles strictly, and is cached so */
	const char *fine = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			   "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	for (int round = 0; round < 2; round++) {
		assert_int_equal(sc_compile_text(fine, strlen(fine), "fine.json", &t, &strict, dir, &b, &hit,
						 NULL, &err), 0);
		assert_int_equal(hit, round == 1);
		sc_bpf_free(&b);
	}
}

/* A policy the caller resolved gets the program sc_compile_text stores for the same text. */
static void test_policy_compile_cached(void **state)
{
	size_t len;
	const char *text = sc_default_profile_text(&len);
	struct sc_target t = host_target();
	struct sc_error err = {0};
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	assert_int_equal(sc_profile_parse(text, len, "default", NULL, &p, NULL, &err), 0);
	assert_int_equal(sc_profile_resolve(p, &t, &pol, NULL, &err), 0);
	struct sc_bpf direct, miss, hit_prog, via_text;
	bool hit = true;
	assert_int_equal(sc_policy_compile(pol, NULL, &direct, &err), 0);
	assert_int_equal(sc_policy_compile_cached(pol, text, len, NULL, dir, &miss, &hit, &err), 0);
	assert_false(hit);
	assert_int_equal(sc_policy_compile_cached(pol, text, len, NULL, dir, &hit_prog, &hit, &err), 0);
	assert_true(hit);
	/* the entry is the one sc_compile_text finds: one key for both ways in */
	assert_int_equal(sc_compile_text(text, len, "default", &t, NULL, dir, &via_text, &hit, NULL, &err), 0);
	assert_true(hit);
	const struct sc_bpf *v[] = { &miss, &hit_prog, &via_text };
	for (size_t i = 0; i < SC_ARRAY_SIZE(v); i++) {
		assert_int_equal(v[i]->len, direct.len);
		assert_memory_equal(v[i]->insns, direct.insns, direct.len * sizeof(*direct.insns));
	}
	/* "" is no cache: compiled every time */
	struct sc_bpf off;
	assert_int_equal(sc_policy_compile_cached(pol, text, len, NULL, "", &off, &hit, &err), 0);
	assert_false(hit);
	assert_memory_equal(off.insns, direct.insns, direct.len * sizeof(*direct.insns));
	sc_bpf_free(&off);
	for (size_t i = 0; i < SC_ARRAY_SIZE(v); i++)
		sc_bpf_free((struct sc_bpf *)v[i]);
	sc_bpf_free(&direct);
	sc_policy_free(pol);
	sc_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_covers_every_input),
		cmocka_unit_test(test_builtin_key_is_its_text_key),
		cmocka_unit_test_setup_teardown(test_put_get_and_bad_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_bound_to_key, setup, teardown),
		cmocka_unit_test(test_default_dir),
		cmocka_unit_test_setup_teardown(test_compile_text_through_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_through_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_compile_cached, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
