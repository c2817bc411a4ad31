/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "seclude/caps.h"
#include "seclude/lint.h"
#include "seclude/profile.h"

/* The findings for p, resolved for an x86_64 host on 6.1 with Docker's capabilities. */
static struct sc_diags lint_profile(struct sc_profile *p)
{
	struct sc_policy *pol = NULL;
	struct sc_error err = {0};
	struct sc_diags d = {0};
	struct sc_target t = { .caps = sc_caps_docker_default(), .arch = SCMP_ARCH_X86_64,
			       .kernel_major = 6, .kernel_minor = 1 };
	if (sc_profile_resolve(p, &t, &pol, NULL, &err) < 0 || sc_profile_lint(p, pol, &d, &err) < 0)
		fail_msg("%s", err.msg);
	sc_policy_free(pol);
	sc_profile_free(p);
	return d;
}

static struct sc_diags lint_text(const char *text)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	if (sc_profile_parse(text, strlen(text), "t.json", NULL, &p, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	return lint_profile(p);
}

static size_t count_code(const struct sc_diags *d, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += strcmp(d->v[i].code, code) == 0;
	return n;
}

static const struct sc_diag *first(const struct sc_diags *d, const char *code)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].code, code) == 0)
			return &d->v[i];
	return NULL;
}

#define ALLOWLIST_BASE "{\"names\": [\"execve\", \"exit\", \"exit_group\", \"rt_sigreturn\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}"
#define ERRNO_LIST(rules) "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [" ALLOWLIST_BASE rules "]}"
#define DENY_LIST(rules) "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", " \
	"\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], \"syscalls\": [" rules "]}"

static void test_table(void **state)
{
	static const struct {
		const char *text, *code;
		size_t n;
	} t[] = {
		/* 32-bit entry points of a deny-list */
		{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		  " \"syscalls\": [{\"names\": [\"chown\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", "compat-arch-missing", 1 },
		{ DENY_LIST("{\"names\": [\"chown\"], \"action\": \"SCMP_ACT_ERRNO\"}"), "compat-arch-missing", 0 },
		{ DENY_LIST("{\"names\": [\"chown\", \"clock_settime\"], \"action\": \"SCMP_ACT_ERRNO\"}"), "compat-name-alias", 2 },
		{ DENY_LIST("{\"names\": [\"chown\", \"chown32\"], \"action\": \"SCMP_ACT_ERRNO\"}"), "compat-name-alias", 0 },
		{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"chown\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
		  "compat-name-alias", 0 }, /* no i386 in the filter: chown32 cannot be called */
		{ ERRNO_LIST(""), "compat-arch-missing", 0 },
		/* pointers */
		{ ERRNO_LIST(", {\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 1, \"value\": 4096, \"op\": \"SCMP_CMP_EQ\"}]}"), "pointer-arg", 1 },
		{ ERRNO_LIST(", {\"names\": [\"connect\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_NE\"}]}"), "pointer-arg", 0 },
		{ ERRNO_LIST(", {\"names\": [\"connect\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_GT\"}]}"), "pointer-arg", 1 },
		/* 32-bit arguments */
		{ DENY_LIST("{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
			    "[{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]}"), "arg-truncation", 1 },
		{ ERRNO_LIST(", {\"names\": [\"setuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 1000, \"op\": \"SCMP_CMP_EQ\"}]}"), "arg-width", 1 },
		{ ERRNO_LIST(", {\"names\": [\"setuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 1000, \"op\": \"SCMP_CMP_GE\"}]}"), "arg-truncation", 1 },
		{ ERRNO_LIST(", {\"names\": [\"setuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 4294967295, \"valueTwo\": 1000, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}"),
		  "arg-width", 0 },
		{ ERRNO_LIST(", {\"names\": [\"unshare\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_GT\"}]}"), "arg-truncation", 0 },
		/* ptrace beside TRACE */
		{ DENY_LIST("{\"names\": [\"open\"], \"action\": \"SCMP_ACT_TRACE\"}"), "ptrace-with-trace", 1 },
		{ DENY_LIST("{\"names\": [\"open\"], \"action\": \"SCMP_ACT_TRACE\"}, "
			    "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"}"), "ptrace-with-trace", 0 },
		{ ERRNO_LIST(", {\"names\": [\"open\"], \"action\": \"SCMP_ACT_TRACE\"}"), "ptrace-with-trace", 0 },
		{ ERRNO_LIST(", {\"names\": [\"open\"], \"action\": \"SCMP_ACT_TRACE\"}, "
			     "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}"), "ptrace-with-trace", 1 },
		/* allow-list basics */
		{ "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": [{\"names\": [\"read\", \"exit\"], "
		  "\"action\": \"SCMP_ACT_ALLOW\"}]}", "allowlist-missing", 3 },
		{ ERRNO_LIST(""), "allowlist-missing", 0 },
		/* clone3 */
		{ ERRNO_LIST(", {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}"),
		  "clone3-eperm", 0 }, /* equal to the default: dropped, see default-equal */
		{ ERRNO_LIST(", {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}"), "clone3-eperm", 1 },
		{ ERRNO_LIST(", {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}"), "clone3-eperm", 0 },
		{ ERRNO_LIST(", {\"names\": [\"futex_waitv\"], \"action\": \"SCMP_ACT_ALLOW\"}"), "clone3-eperm", 1 },
		{ ERRNO_LIST(""), "clone3-eperm", 0 },
		/* conflicts */
		{ ERRNO_LIST(", {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
			     "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}"), "conflict", 1 },
		{ ERRNO_LIST(", {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}, "
			     "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}"), "conflict", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}, "
			     "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5, \"args\": "
			     "[{\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}"), "conflict", 0 },
		{ ERRNO_LIST(", {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}"), "conflict", 0 },
		/* ORed arguments */
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_NE\"}, {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_NE\"}]}"),
		  "ored-args", 1 },
		/* never matches */
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 2, \"value\": 0, \"op\": \"SCMP_CMP_LT\"}]}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 2, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_GT\"}]}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 2, \"value\": 240, \"valueTwo\": 15, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 2, \"value\": 240, \"valueTwo\": 16, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}"), "never-matches", 0 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"\"}}"),
		  "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]},"
			     " \"excludes\": {\"arches\": [\"amd64\"]}}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"x86_64\"]}}"),
		  "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_KILL\"]},"
			     " \"excludes\": {\"caps\": [\"CAP_KILL\"]}}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.0\"},"
			     " \"excludes\": {\"minKernel\": \"4.0\"}}"), "never-matches", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"4.0\"},"
			     " \"excludes\": {\"minKernel\": \"5.0\"}}"), "never-matches", 0 },
		/* smaller notes */
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\"}"), "default-equal", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 12345}"), "errno-range", 1 },
		/* libseccomp refuses MAX_ERRNO itself, and takes the one below */
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4095}"), "errno-range", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4094}"), "errno-range", 0 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
			     "[{\"index\": 2, \"value\": 1, \"valueTwo\": 1, \"op\": \"SCMP_CMP_EQ\"}]}"), "value-two-ignored", 1 },
		{ ERRNO_LIST(", {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_NOTIFY\"}"), "notify-no-listener", 1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sc_diags d = lint_text(t[i].text);
		size_t n = count_code(&d, t[i].code);
		if (n != t[i].n) {
			for (size_t k = 0; k < d.n; k++)
				print_message("  %s %s: %s\n", d.v[k].code, d.v[k].where, d.v[k].msg);
			fail_msg("case %zu: %zu \"%s\" findings, expected %zu", i, n, t[i].code, t[i].n);
		}
		sc_diags_free(&d);
	}
}

static void test_default_profile(void **state)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_load("default", NULL, &p, NULL, &err), 0);
	struct sc_diags d = lint_profile(p);
	/* The one hole: socket(arg0 > 40) lets AF_ALG | 1 << 32 through. */
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 1);
	const struct sc_diag *g = first(&d, "arg-truncation");
	assert_non_null(g);
	assert_string_equal(g->path, "syscalls[4].args[0]");
	assert_int_equal(strncmp(g->where, "default:", 8), 0);
	/* socket < 38, == 39 and the five personality values fail closed */
	assert_int_equal(count_code(&d, "arg-width"), 7);
	assert_int_equal(d.n, 8);
	sc_diags_free(&d);
}

static void test_locations(void **state)
{
	struct sc_diags d = lint_text(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		ALLOWLIST_BASE ",\n"
		"  {\"names\": [\"connect\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"   \"args\": [{\"index\": 1, \"value\": 77, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	const struct sc_diag *g = first(&d, "pointer-arg");
	assert_non_null(g);
	assert_string_equal(g->where, "t.json:4:13");
	assert_string_equal(g->path, "syscalls[1].args[0]");
	assert_non_null(strstr(g->msg, "connect"));
	sc_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_default_profile),
		cmocka_unit_test(test_locations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
