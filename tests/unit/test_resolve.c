/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "seclude/caps.h"
#include "seclude/profile.h"

static struct sc_target amd64(unsigned major, unsigned minor, uint64_t caps)
{
	return (struct sc_target){ .caps = caps, .arch = SCMP_ARCH_X86_64,
				   .kernel_major = major, .kernel_minor = minor };
}

static struct sc_profile *parse(const char *text, bool strict)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	struct sc_parse_opts o = { .unknown_syscall_is_error = strict };
	if (sc_profile_parse(text, strlen(text), "t.json", &o, &p, NULL, &err) != 0)
		fail_msg("%s", err.msg);
	return p;
}

static struct sc_policy *resolve(const struct sc_profile *p, struct sc_target t, struct sc_diags *d)
{
	struct sc_policy *pol = NULL;
	struct sc_error err = {0};
	if (sc_profile_resolve(p, &t, &pol, d, &err) != 0)
		fail_msg("%s", err.msg);
	return pol;
}

/* How many policy rules name this syscall. */
static size_t count(const struct sc_policy *pol, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < pol->n_rules; i++)
		n += strcmp(pol->rules[i].name, name) == 0;
	return n;
}

static const struct sc_policy_rule *find(const struct sc_policy *pol, const char *name, size_t nth)
{
	for (size_t i = 0; i < pol->n_rules; i++)
		if (strcmp(pol->rules[i].name, name) == 0 && nth-- == 0)
			return &pol->rules[i];
	return NULL;
}

static void test_host_target(void **state)
{
	struct sc_target t;
	struct sc_error err = {0};
	assert_int_equal(sc_target_host(&t, &err), 0);
	assert_int_equal(t.arch, seccomp_arch_native());
	assert_int_equal(t.caps, sc_caps_docker_default());
	struct utsname u;
	uname(&u);
	char want[32];
	snprintf(want, sizeof(want), "%u.%u.", t.kernel_major, t.kernel_minor);
	assert_int_equal(strncmp(u.release, want, strlen(want)), 0);
}

static void test_default_profile(void **state)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_load("default", NULL, &p, NULL, &err), 0);
	uint64_t caps = sc_caps_docker_default();

	struct sc_diags d = {0};
	struct sc_policy *pol = resolve(p, amd64(6, 1, caps), &d);
	assert_int_equal(pol->default_action, SC_ACT_ERRNO);
	assert_int_equal(pol->default_errno, 1);
	assert_int_equal(pol->flags, SC_FLAG_SPEC_ALLOW);
	assert_int_equal(pol->n_arches, 3);
	assert_int_equal(pol->arches[0], SCMP_ARCH_X86_64);
	assert_int_equal(pol->arches[1], SCMP_ARCH_X86);
	assert_int_equal(pol->arches[2], SCMP_ARCH_X32);
	assert_int_equal(count(pol, "read"), 1);
	assert_int_equal(count(pol, "ptrace"), 1);
	assert_int_equal(count(pol, "arch_prctl"), 1);
	assert_int_equal(count(pol, "s390_runtime_instr"), 0);
	/* socket: three one-condition rules, ORed */
	assert_int_equal(count(pol, "socket"), 3);
	assert_int_equal(find(pol, "socket", 0)->args[0].op, SC_OP_LT);
	assert_int_equal(find(pol, "socket", 2)->args[0].value, 40);
	/* clone: only the MASKED_EQ rule; clone3 ENOSYS; no mount */
	assert_int_equal(count(pol, "clone"), 1);
	assert_int_equal(find(pol, "clone", 0)->n_args, 1);
	assert_int_equal(find(pol, "clone", 0)->args[0].op, SC_OP_MASKED_EQ);
	assert_int_equal(count(pol, "clone3"), 1);
	assert_int_equal(find(pol, "clone3", 0)->action, SC_ACT_ERRNO);
	assert_int_equal(find(pol, "clone3", 0)->errno_ret, 38);
	assert_int_equal(count(pol, "mount"), 0);
	assert_int_equal(count(pol, "chroot"), 1); /* CAP_SYS_CHROOT is a default cap */
	assert_int_equal(count(pol, "reboot"), 0);
	/* Names this libseccomp lacks are skipped with one warning for the rule. */
	assert_int_equal(count(pol, "mseal"), 0);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
	assert_string_equal(d.v[0].code, "unknown-syscall");
	assert_string_equal(d.v[0].path, "syscalls[0].names");
	assert_non_null(strstr(d.v[0].msg, "mseal"));
	assert_int_equal(strncmp(d.v[0].where, "default:", 8), 0);
	sc_diags_free(&d);
	sc_policy_free(pol);

	/* CAP_SYS_ADMIN: clone unconditional, clone3 allowed, mount allowed */
	pol = resolve(p, amd64(6, 1, caps | SC_CAP_SET(CAP_SYS_ADMIN)), NULL);
	assert_int_equal(count(pol, "clone"), 1);
	assert_int_equal(find(pol, "clone", 0)->n_args, 0);
	assert_int_equal(find(pol, "clone3", 0)->action, SC_ACT_ALLOW);
	assert_int_equal(count(pol, "clone3"), 1);
	assert_int_equal(count(pol, "mount"), 1);
	sc_policy_free(pol);

	/* Kernel 4.7: no ptrace (includes minKernel 4.8); 4.8 exactly: yes */
	pol = resolve(p, amd64(4, 7, caps), NULL);
	assert_int_equal(count(pol, "ptrace"), 0);
	assert_int_equal(count(pol, "process_vm_readv"), 0);
	sc_policy_free(pol);
	pol = resolve(p, amd64(4, 8, caps), NULL);
	assert_int_equal(count(pol, "ptrace"), 1);
	sc_policy_free(pol);

	/* arm64: the AARCH64 archMap entry, arm-only names, no arch_prctl */
	struct sc_target t = amd64(6, 1, caps);
	t.arch = SCMP_ARCH_AARCH64;
	pol = resolve(p, t, NULL);
	assert_int_equal(pol->n_arches, 2);
	assert_int_equal(pol->arches[0], SCMP_ARCH_AARCH64);
	assert_int_equal(pol->arches[1], SCMP_ARCH_ARM);
	assert_int_equal(count(pol, "arch_prctl"), 0);
	assert_int_equal(count(pol, "modify_ldt"), 0);
	assert_int_equal(count(pol, "arm_fadvise64_64"), 1);
	sc_policy_free(pol);

	/* s390x: clone flags are arg1 */
	t.arch = SCMP_ARCH_S390X;
	pol = resolve(p, t, NULL);
	assert_int_equal(find(pol, "clone", 0)->args[0].index, 1);
	assert_int_equal(count(pol, "s390_runtime_instr"), 1);
	sc_policy_free(pol);

	/* ppc64le: Docker's map has no entry; the native arch alone */
	t.arch = SCMP_ARCH_PPC64LE;
	pol = resolve(p, t, NULL);
	assert_int_equal(pol->n_arches, 1);
	assert_int_equal(pol->arches[0], SCMP_ARCH_PPC64LE);
	assert_int_equal(count(pol, "sync_file_range2"), 1);
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_architectures_verbatim(void **state)
{
	struct sc_profile *p = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
				     " \"architectures\": [\"SCMP_ARCH_X32\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}", false);
	struct sc_policy *pol = resolve(p, amd64(6, 1, 0), NULL);
	assert_int_equal(pol->n_arches, 3);
	assert_int_equal(pol->arches[0], SCMP_ARCH_X86_64);
	assert_int_equal(pol->arches[1], SCMP_ARCH_X32);
	assert_int_equal(pol->arches[2], SCMP_ARCH_X86);
	assert_int_equal(pol->n_rules, 0);
	sc_policy_free(pol);
	sc_profile_free(p);

	p = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_AARCH64\","
		  " \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}]}", false);
	pol = resolve(p, amd64(6, 1, 0), NULL);
	assert_int_equal(pol->n_arches, 1);
	assert_int_equal(pol->arches[0], SCMP_ARCH_X86_64);
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_conditions(void **state)
{
	struct sc_profile *p = parse(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		" {\"names\": [\"r0\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"]}},\n"
		" {\"names\": [\"r1\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"]}},\n"
		" {\"names\": [\"r2\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"x86\", \"amd64\"]}},\n"
		" {\"names\": [\"r3\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd64\"]}},\n"
		" {\"names\": [\"r4\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.10\"}},\n"
		" {\"names\": [\"r5\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"5.10\"}},\n"
		" {\"names\": [\"r6\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"sys_admin\"]}},\n"
		" {\"names\": [\"r7\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"sys_admin\"]}},\n"
		" {\"names\": [\"r8\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"\"}},\n"
		" {\"names\": [\"r9\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_KILL\"]},"
		"  \"excludes\": {\"arches\": [\"x86\"]}},\n"
		" {\"names\": [\"r10\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {}, \"excludes\": {\"caps\": []}}\n"
		"]}", false);
	static const struct {
		uint64_t caps;
		uint32_t arch;
		unsigned maj, min;
		bool applies[11];
	} t[] = {
		{ 0, SCMP_ARCH_X86_64, 5, 10, { 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1 } },
		{ SC_CAP_SET(CAP_KILL), SCMP_ARCH_X86_64, 5, 9, { 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1 } },
		{ SC_CAP_SET(CAP_KILL) | SC_CAP_SET(CAP_SYS_ADMIN), SCMP_ARCH_X86, 6, 0,
		  { 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1 } },
		{ SC_CAP_SET(CAP_SYS_ADMIN), SCMP_ARCH_AARCH64, 4, 19, { 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1 } },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sc_target tg = { .caps = t[i].caps, .arch = t[i].arch,
					.kernel_major = t[i].maj, .kernel_minor = t[i].min };
		for (size_t k = 0; k < 11; k++) {
			if (sc_rule_applies(&p->rules[k], &tg) != t[i].applies[k])
				fail_msg("case %zu rule r%zu: applies=%d", i, k, !t[i].applies[k]);
		}
	}
	sc_profile_free(p);
}

static void test_default_skip(void **state)
{
	struct sc_profile *p;
	struct sc_policy *pol;

	p = parse(
		"{\"defaultAction\": \"SCMP_ACT_KILL_THREAD\", \"syscalls\": [\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\"},\n"
		" {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},\n"
		" {\"names\": [\"close\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 1},\n"
		" {\"names\": [\"dup\"], \"action\": \"SCMP_ACT_ERRNO\"}\n"
		"]}", false);
	pol = resolve(p, amd64(6, 1, 0), NULL);
	assert_int_equal(pol->n_rules, 3);
	assert_int_equal(count(pol, "read"), 0);
	assert_int_equal(find(pol, "write", 0)->errno_ret, 38);
	assert_int_equal(find(pol, "close", 0)->action, SC_ACT_TRACE);
	assert_int_equal(find(pol, "close", 0)->errno_ret, 1);
	assert_int_equal(find(pol, "dup", 0)->errno_ret, EPERM);
	assert_int_equal(pol->default_errno, 0);
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_default_errno_skip(void **state)
{
	/* EPERM unset equals defaultErrnoRet 1: read and write are dropped */
	struct sc_profile *p = parse(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"syscalls\": [\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\"},\n"
		" {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
		" {\"names\": [\"close\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},\n"
		" {\"names\": [\"dup\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 1}\n"
		"]}", false);
	struct sc_policy *pol = resolve(p, amd64(6, 1, 0), NULL);
	assert_int_equal(pol->n_rules, 2);
	assert_int_equal(count(pol, "close"), 1);
	assert_int_equal(count(pol, "dup"), 1);
	assert_int_equal(find(pol, "close", 0)->nr, seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "close"));
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_repeated_index(void **state)
{
	struct sc_profile *p = parse(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		" {\"names\": [\"socket\", \"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
		"   {\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},\n"
		"   {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"},\n"
		"   {\"index\": 1, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]},\n"
		" {\"names\": [\"tkill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
		"   {\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},\n"
		"   {\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]}\n"
		"]}", false);
	struct sc_policy *pol = resolve(p, amd64(6, 1, 0), NULL);
	/* every condition of a rule with a repeated index is its own rule (runc) */
	assert_int_equal(count(pol, "socket"), 3);
	assert_int_equal(count(pol, "kill"), 3);
	for (size_t k = 0; k < 3; k++) {
		const struct sc_policy_rule *r = find(pol, "kill", k);
		assert_int_equal(r->n_args, 1);
		assert_ptr_equal(r->args, &p->rules[0].args[k]);
	}
	/* distinct indices stay one ANDed rule */
	assert_int_equal(count(pol, "tkill"), 1);
	assert_int_equal(find(pol, "tkill", 0)->n_args, 2);
	assert_ptr_equal(find(pol, "tkill", 0)->rule, &p->rules[1]);
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_unknown_and_pseudo(void **state)
{
	const char *text =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [], \"syscalls\": [\n"
		" {\"names\": [\"read\", \"no_such_call\", \"socketcall\", \"nor_this\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"gone\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390\"]}}\n"
		"]}";
	struct sc_profile *p = parse(text, false);
	struct sc_diags d = {0};
	struct sc_policy *pol = resolve(p, amd64(6, 1, 0), &d);
	assert_int_equal(pol->flags, 0); /* "flags": [] given: nothing, not SPEC_ALLOW */
	assert_int_equal(pol->n_rules, 2);
	/* socketcall does not exist on x86_64: a pseudo number, kept */
	assert_true(find(pol, "socketcall", 0)->nr < 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].where, "t.json:2:21");
	assert_non_null(strstr(d.v[0].msg, "skipped 2 names"));
	assert_non_null(strstr(d.v[0].msg, "no_such_call, nor_this"));
	sc_diags_free(&d);
	sc_policy_free(pol);
	sc_profile_free(p);

	/* strict: an error at the name, but only for rules that apply */
	p = parse(text, true);
	struct sc_error err = {0};
	struct sc_target t = amd64(6, 1, 0);
	pol = NULL;
	assert_int_equal(sc_profile_resolve(p, &t, &pol, NULL, &err), -EINVAL);
	assert_null(pol);
	assert_non_null(strstr(err.msg, "t.json:2:21: syscalls[0].names[1]: unknown syscall \"no_such_call\""));
	sc_profile_free(p);
	p = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"gone\"], "
		  "\"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390\"]}}]}", true);
	pol = resolve(p, t, NULL);
	assert_int_equal(pol->n_rules, 0);
	sc_policy_free(pol);
	sc_profile_free(p);
}

static void test_labs(void **state)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/data/profiles/labs/default-no-chmod.json", SRCDIR);
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_load(path, NULL, &p, NULL, &err), 0);
	struct sc_policy *pol = resolve(p, amd64(6, 1, sc_caps_docker_default()), NULL);
	assert_int_equal(count(pol, "chmod"), 0);
	assert_int_equal(count(pol, "fchown"), 1);
	assert_int_equal(pol->n_arches, 3);
	sc_policy_free(pol);
	sc_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_target),
		cmocka_unit_test(test_default_profile),
		cmocka_unit_test(test_architectures_verbatim),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_default_skip),
		cmocka_unit_test(test_default_errno_skip),
		cmocka_unit_test(test_repeated_index),
		cmocka_unit_test(test_unknown_and_pseudo),
		cmocka_unit_test(test_labs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
