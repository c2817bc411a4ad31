/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/diff.h"
#include "seclude/profile.h"

#define LABS SRCDIR "/tests/data/profiles/labs/"
#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_RET (SECCOMP_RET_ERRNO | 1)
#define ENOSYS_RET (SECCOMP_RET_ERRNO | 38)

static struct sc_profile *load(const char *path)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	if (sc_profile_load(path, NULL, &p, NULL, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	return p;
}

static struct sc_profile *parse(const char *text)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	if (sc_profile_parse(text, strlen(text), "test.json", NULL, &p, NULL, &err) < 0)
		fail_msg("parse: %s", err.msg);
	return p;
}

static struct sc_target host(void)
{
	struct sc_target t;
	struct sc_error err = {0};
	assert_int_equal(sc_target_host(&t, &err), 0);
	return t;
}

static void diff_of(struct sc_profile *a, struct sc_profile *b, const uint32_t *only, size_t n_only,
		    struct sc_diff *d)
{
	struct sc_target t = host();
	struct sc_error err = {0};
	if (sc_diff_profiles(a, b, &t, only, n_only, d, NULL, &err) < 0)
		fail_msg("diff: %s", err.msg);
}

static const struct sc_diff_entry *find(const struct sc_diff *d, uint32_t arch, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].arch == arch && d->v[i].name && !strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

/* The anchor: the labs profile against its copy without the chmod family. */
static void test_labs_no_chmod(void **state)
{
	struct sc_profile *a = load(LABS "default.json"), *b = load(LABS "default-no-chmod.json");
	struct sc_diff d = {0};
	diff_of(a, b, NULL, 0, &d);

	assert_int_equal(d.n_arches, 3);
	/* sorted by name */
	assert_int_equal(d.arches[0], SCMP_ARCH_X32);
	assert_int_equal(d.arches[1], SCMP_ARCH_X86);
	assert_int_equal(d.arches[2], SCMP_ARCH_X86_64);

	static const char *const family[] = { "chmod", "fchmod", "fchmodat" };
	assert_int_equal(d.n, 9);
	for (size_t i = 0; i < d.n; i++) {
		const struct sc_diff_entry *x = &d.v[i];
		assert_int_equal(x->arch, d.arches[i / 3]);
		assert_non_null(x->name);
		assert_string_equal(x->name, family[i % 3]);
		assert_int_equal(x->n_cases, 1);
		assert_null(x->cases[0].cond);
		assert_int_equal(x->cases[0].ret_a, ALLOW);
		assert_int_equal(x->cases[0].ret_b, EPERM_RET);
		int nr = seccomp_syscall_resolve_name_arch(x->arch, x->name);
		assert_int_equal(x->nr_first, (uint32_t)nr);
	}

	/*
	 * fchmodat2 (Linux 6.6) is newer than both profiles: when libseccomp
	 * knows it, both filters answer ENOSYS there, so it is no difference.
	 */
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "fchmodat2");
	if (nr >= 0) {
		struct sc_target t = host();
		struct sc_policy *pol = NULL;
		struct sc_bpf prog = {0};
		struct sc_error err = {0};
		assert_int_equal(sc_profile_resolve(b, &t, &pol, NULL, &err), 0);
		assert_int_equal(sc_policy_compile(pol, NULL, &prog, &err), 0);
		struct seccomp_data sd = { .nr = nr, .arch = AUDIT_ARCH_X86_64 };
		struct sc_sim_result res;
		assert_int_equal(sc_bpf_run(&prog, &sd, &res, &err), 0);
		assert_int_equal(res.ret, ENOSYS_RET);
		assert_null(find(&d, SCMP_ARCH_X86_64, "fchmodat2"));
		sc_bpf_free(&prog);
		sc_policy_free(pol);
	}

	sc_diff_free(&d);
	/* the other way round swaps the verdicts */
	diff_of(b, a, NULL, 0, &d);
	assert_int_equal(d.n, 9);
	assert_int_equal(d.v[0].cases[0].ret_a, EPERM_RET);
	assert_int_equal(d.v[0].cases[0].ret_b, ALLOW);
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

static void test_self_is_equal(void **state)
{
	struct sc_profile *a = load("default"), *b = load("default");
	struct sc_diff d = {0};
	diff_of(a, b, NULL, 0, &d);
	assert_int_equal(d.n, 0);
	assert_true(d.n_arches >= 1);
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

static void test_only_arch(void **state)
{
	struct sc_profile *a = load(LABS "default.json"), *b = load(LABS "default-no-chmod.json");
	struct sc_diff d = {0};
	const uint32_t only[] = { SCMP_ARCH_X86 };
	diff_of(a, b, only, 1, &d);
	assert_int_equal(d.n_arches, 1);
	assert_int_equal(d.n, 3);
	for (size_t i = 0; i < d.n; i++)
		assert_int_equal(d.v[i].arch, SCMP_ARCH_X86);
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

/* Docker's socket rules against an unconditional allow: only the two families differ. */
static void test_socket_families(void **state)
{
	struct sc_profile *a = load("default");
	struct sc_profile *b = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	struct sc_diff d = {0};
	const uint32_t only[] = { SCMP_ARCH_X86_64 };
	diff_of(a, b, only, 1, &d);
	const struct sc_diff_entry *x = find(&d, SCMP_ARCH_X86_64, "socket");
	assert_non_null(x);
	assert_int_equal(x->n_cases, 1);
	assert_string_equal(x->cases[0].cond, "arg0 == 38 (AF_ALG) or arg0 == 40 (AF_VSOCK)");
	assert_int_equal(x->cases[0].ret_a, EPERM_RET);
	assert_int_equal(x->cases[0].ret_b, ALLOW);
	/* the same pair the other way: the condition is on the allowed side now */
	sc_diff_free(&d);
	sc_profile_free(b);

	b = load(LABS "deny.json");
	diff_of(a, b, only, 1, &d);
	x = find(&d, SCMP_ARCH_X86_64, "socket");
	assert_non_null(x);
	assert_string_equal(x->cases[0].cond, "arg0 <= 37 or arg0 == 39 (AF_NFC) or arg0 >= 41");
	assert_int_equal(x->cases[0].ret_a, ALLOW);
	x = find(&d, SCMP_ARCH_X86_64, "clone");
	assert_non_null(x);
	assert_int_equal(x->n_cases, 1);
	assert_string_equal(x->cases[0].cond, "arg0 & 0x7e020000 == 0");
	/* clone3 is ENOSYS in Docker's profile, EPERM in deny.json whatever the arguments */
	x = find(&d, SCMP_ARCH_X86_64, "clone3");
	assert_non_null(x);
	assert_null(x->cases[0].cond);
	assert_int_equal(x->cases[0].ret_a, ENOSYS_RET);
	assert_int_equal(x->cases[0].ret_b, EPERM_RET);
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

/* Two argument indices ANDed, and two verdict pairs for one syscall. */
static void test_conditions(void **state)
{
	struct sc_profile *a = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":["
		"{\"names\":[\"fcntl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":2,\"value\":5,\"op\":\"SCMP_CMP_LE\"}]},"
		"{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5,\"args\":["
		"{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":1,\"value\":15,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	struct sc_profile *b = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":[{\"names\":[\"fcntl\",\"kill\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	struct sc_diff d = {0};
	diff_of(a, b, NULL, 0, &d);
	assert_int_equal(d.n_arches, 1);

	const struct sc_diff_entry *x = find(&d, SCMP_ARCH_X86_64, "fcntl");
	assert_non_null(x);
	assert_int_equal(x->n_cases, 1);
	assert_string_equal(x->cases[0].cond, "not (arg1 == 1 and arg2 <= 5)");
	assert_int_equal(x->cases[0].ret_a, EPERM_RET);

	x = find(&d, SCMP_ARCH_X86_64, "kill");
	assert_non_null(x);
	assert_int_equal(x->n_cases, 2);
	assert_string_equal(x->cases[0].cond, "arg1 <= 8 or arg1 in 10..14 or arg1 >= 16");
	assert_int_equal(x->cases[0].ret_a, EPERM_RET);
	assert_string_equal(x->cases[1].cond, "arg1 == 9");
	assert_int_equal(x->cases[1].ret_a, SECCOMP_RET_ERRNO | 5);
	assert_int_equal(x->cases[1].ret_b, ALLOW);

	/* nothing else differs: the stub covers the same numbers in both */
	for (size_t i = 0; i < d.n; i++)
		assert_true(d.v[i].name && (!strcmp(d.v[i].name, "fcntl") || !strcmp(d.v[i].name, "kill")));
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

/* 32-bit x86 arguments are 32-bit: no condition above 0xffffffff is reported there. */
static void test_32bit_args(void **state)
{
	struct sc_profile *a = load("default"), *b = load(LABS "allow.json");
	struct sc_diff d = {0};
	diff_of(a, b, NULL, 0, &d);
	const struct sc_diff_entry *x86 = find(&d, SCMP_ARCH_X86, "personality");
	const struct sc_diff_entry *x64 = find(&d, SCMP_ARCH_X86_64, "personality");
	assert_non_null(x86);
	assert_non_null(x64);
	assert_null(strstr(x86->cases[0].cond, "0x100000000"));
	assert_non_null(strstr(x64->cases[0].cond, "arg0 >= 0x100000000"));
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

/* Numbers without a name collapse into runs; the stub region is one of them. */
static void test_unnamed_runs(void **state)
{
	struct sc_profile *a = load(LABS "default.json"), *b = load(LABS "deny.json");
	struct sc_diff d = {0};
	const uint32_t only[] = { SCMP_ARCH_X86_64 };
	diff_of(a, b, only, 1, &d);
	const struct sc_diff_entry *last = &d.v[d.n - 1];
	assert_null(last->name);
	assert_int_equal(last->nr_last, SC_DIFF_SCAN_LAST);
	assert_int_equal(last->cases[0].ret_a, ENOSYS_RET);
	assert_int_equal(last->cases[0].ret_b, EPERM_RET);
	/* the run starts right after the highest number libseccomp names */
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)last->nr_first - 1);
	assert_non_null(name);
	free(name);
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, (int)last->nr_first);
	assert_null(name);
	/* sorted: named entries by name, then the runs by number */
	for (size_t i = 1; i < d.n; i++) {
		const struct sc_diff_entry *p = &d.v[i - 1], *q = &d.v[i];
		if (p->name && q->name)
			assert_true(strcmp(p->name, q->name) < 0);
		else if (!p->name)
			assert_true(!q->name && p->nr_last < q->nr_first);
	}
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

/* An architecture only one side has: the other side's filter refuses it outright. */
static void test_arch_missing_on_one_side(void **state)
{
	struct sc_profile *a = load(LABS "default.json");
	struct sc_profile *b = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	struct sc_diff d = {0};
	diff_of(a, b, NULL, 0, &d);
	assert_int_equal(d.n_arches, 3);
	const struct sc_diff_entry *x = find(&d, SCMP_ARCH_X86, "read");
	assert_non_null(x);
	assert_int_equal(x->cases[0].ret_a, ALLOW);
	uint32_t act = x->cases[0].ret_b & SECCOMP_RET_ACTION_FULL;
	assert_true(act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD);
	sc_diff_free(&d);
	sc_profile_free(a);
	sc_profile_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labs_no_chmod),
		cmocka_unit_test(test_self_is_equal),
		cmocka_unit_test(test_only_arch),
		cmocka_unit_test(test_socket_families),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_32bit_args),
		cmocka_unit_test(test_unnamed_runs),
		cmocka_unit_test(test_arch_missing_on_one_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
