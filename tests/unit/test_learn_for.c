/* SPDX-License-Identifier: GPL-2.0-or-later */
/* learn --for: the measured runtime sets, the cases, the header, check --for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/learn.h"
#include "seclude/learn_for.h"
#include "seclude/lint.h"
#include "seclude/profile.h"
#include "seclude/util.h"

static bool has(const struct sc_learn_extras *x, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i].name, name))
			return true;
	return false;
}

static void test_data_is_embedded(void **state)
{
	(void)state;
	for (const char *const *r = sc_learn_for_runtimes; *r; r++) {
		size_t len = 0;
		const char *d = sc_learn_for_data(*r, &len);
		assert_non_null(d);
		json_error_t jerr;
		json_t *doc = json_loadb(d, len, 0, &jerr);
		assert_non_null(doc);
		assert_string_equal(json_string_value(json_object_get(doc, "runtime")), *r);
		assert_non_null(json_string_value(json_object_get(doc, "version")));
		assert_true(json_is_array(json_object_get(doc, "cases")));
		json_decref(doc);
	}
	size_t len;
	assert_null(sc_learn_for_data("nosuch", &len));
	assert_true(sc_learn_for_known("none"));
	assert_false(sc_learn_for_known("lxc"));
}

static void test_runc_cases(void **state)
{
	(void)state;
	struct sc_error err = {0};
	const char *version;
	struct sc_learn_extras all, nnp, plain;
	struct sc_learn_for f = { .runtime = "runc" };
	assert_int_equal(sc_learn_for_calls(&f, &all, &version, &err), 0);
	assert_non_null(strstr(version, "1.1.5"));
	/* the first observation: runc's calls beyond nginx's own */
	const char *seen[] = { "capget", "capset", "chdir", "fstat", "fstatfs", "getcwd", "faccessat2", "execve" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(seen); i++)
		assert_true(has(&all, seen[i]));
	/* each with its reason, runtime and version first */
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(strncmp(all.v[i].why, "runc 1.1.5", 10), 0);
	/* sorted */
	for (size_t i = 1; i < all.n; i++)
		assert_true(strcmp(all.v[i - 1].name, all.v[i].name) < 0);

	/* with no-new-privileges runc loads the filter later: fewer calls */
	f.nnp = SC_FOR_YES;
	assert_int_equal(sc_learn_for_calls(&f, &nnp, &version, &err), 0);
	assert_true(nnp.n < all.n);
	assert_false(has(&nnp, "capset"));
	assert_true(has(&nnp, "fstatfs"));
	f.nnp = SC_FOR_NO;
	f.user = SC_FOR_USER_ROOT;
	assert_int_equal(sc_learn_for_calls(&f, &plain, &version, &err), 0);
	assert_true(has(&plain, "capset"));
	assert_false(has(&plain, "fchown"));   /* only for another user */

	/* a case never measured: an error that says how to measure it */
	struct sc_learn_extras none;
	f.init = true;
	assert_true(sc_learn_for_calls(&f, &none, &version, &err) < 0);
	assert_non_null(strstr(err.msg, "measure-runtime runc"));
	sc_learn_extras_free(&all);
	sc_learn_extras_free(&nnp);
	sc_learn_extras_free(&plain);
}

static void test_none_and_unknown(void **state)
{
	(void)state;
	struct sc_error err = {0};
	const char *version;
	struct sc_learn_extras x;
	struct sc_learn_for f = { .runtime = "none" };
	assert_int_equal(sc_learn_for_calls(&f, &x, &version, &err), 0);
	assert_int_equal(x.n, 0);
	f.runtime = "lxc";
	assert_true(sc_learn_for_calls(&f, &x, &version, &err) < 0);
}

static void test_parse_options(void **state)
{
	(void)state;
	enum sc_for_tri t;
	enum sc_for_user u;
	assert_int_equal(sc_learn_for_parse_nnp("yes", &t), 0);
	assert_int_equal(t, SC_FOR_YES);
	assert_int_equal(sc_learn_for_parse_nnp("any", &t), 0);
	assert_int_equal(t, SC_FOR_ANY);
	assert_true(sc_learn_for_parse_nnp("maybe", &t) < 0);
	assert_int_equal(sc_learn_for_parse_user("root", &u), 0);
	assert_int_equal(u, SC_FOR_USER_ROOT);
	assert_int_equal(sc_learn_for_parse_user("0:0", &u), 0);
	assert_int_equal(u, SC_FOR_USER_ROOT);
	assert_int_equal(sc_learn_for_parse_user("1000:1000", &u), 0);
	assert_int_equal(u, SC_FOR_USER_OTHER);
	assert_true(sc_learn_for_parse_user("", &u) < 0);
}

/* A profile learned for runc: the header round-trips, check finds nothing missing. */
static void test_write_and_check(void **state)
{
	(void)state;
	struct sc_error err = {0};
	struct sc_record *rec = sc_record_new();
	sc_record_add(rec, SCMP_ARCH_X86_64, (uint64_t)seccomp_syscall_resolve_name("read"), 1);
	sc_record_add(rec, SCMP_ARCH_X86_64, (uint64_t)seccomp_syscall_resolve_name("exit_group"), 1);
	struct sc_learn_for f = { .runtime = "runc", .nnp = SC_FOR_ANY };
	struct sc_learn_extras rt, any;
	const char *version;
	assert_int_equal(sc_learn_for_calls(&f, &rt, &version, &err), 0);
	assert_int_equal(sc_learn_any_moment_calls(&any, &err), 0);
	struct sc_learn_write_opts wo = {
		.command = "t", .default_errno = 1, .runtime_calls = &rt, .any_moment = &any,
		.learned_for = &f, .for_version = version,
	};
	char *json = NULL;
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	assert_int_equal(sc_learn_write(rec, &wo, &json, &sum, &d, &err), 0);
	assert_true(sum.n_for_added > 5);
	assert_true(sum.n_any_added >= 3);
	assert_non_null(strstr(json, "learned for: runtime=runc 1.1.5"));
	assert_non_null(strstr(json, "fstatfs"));
	assert_non_null(strstr(json, "can happen at any moment"));

	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	struct sc_target t;
	assert_int_equal(sc_target_host(&t, &err), 0);
	assert_int_equal(sc_profile_parse(json, strlen(json), "t.json", NULL, &p, &d, &err), 0);
	assert_int_equal(sc_profile_resolve(p, &t, &pol, &d, &err), 0);
	struct sc_learn_for back;
	char *rt_name = NULL;
	assert_int_equal(sc_learn_for_from_profile(p, &back, &rt_name, &err), 0);
	assert_string_equal(rt_name, "runc");
	assert_int_equal(back.nnp, SC_FOR_ANY);
	free(rt_name);

	struct sc_diags c = {0};
	assert_int_equal(sc_learn_for_check(p, pol, &f, &c, &err), 0);
	assert_int_equal(sc_diags_count(&c, SC_DIAG_ERROR), 0);
	assert_string_equal(c.v[c.n - 1].code, "runtime-ok");
	sc_diags_free(&c);

	/* checked for crun: learned for another runtime, and crun's setresuid is missing */
	struct sc_learn_for cf = { .runtime = "crun" };
	int missing = sc_learn_for_check(p, pol, &cf, &c, &err);
	assert_true(missing > 0);
	bool other = false, setres = false;
	for (size_t i = 0; i < c.n; i++) {
		other |= !strcmp(c.v[i].code, "learned-for-other");
		setres |= !strcmp(c.v[i].code, "runtime-missing") && strstr(c.v[i].msg, "setresuid");
	}
	assert_true(other);
	assert_true(setres);
	sc_diags_free(&c);

	sc_policy_free(pol);
	sc_profile_free(p);
	sc_diags_free(&d);
	sc_learn_summary_free(&sum);
	free(json);
	sc_learn_extras_free(&rt);
	sc_learn_extras_free(&any);
	sc_record_free(rec);
}

/* --minimal: only exit and exit_group are added without being seen. */
static void test_minimal(void **state)
{
	(void)state;
	struct sc_error err = {0};
	struct sc_record *rec = sc_record_new();
	sc_record_add(rec, SCMP_ARCH_X86_64, (uint64_t)seccomp_syscall_resolve_name("read"), 1);
	struct sc_learn_for f = { .runtime = "none" };
	struct sc_learn_write_opts wo = { .command = "t", .default_errno = 1, .learned_for = &f, .minimal = true };
	char *json = NULL;
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	assert_int_equal(sc_learn_write(rec, &wo, &json, &sum, &d, &err), 0);
	assert_null(strstr(json, "rt_sigreturn"));
	assert_null(strstr(json, "futex"));
	assert_non_null(strstr(json, "exit_group"));
	assert_int_equal(sum.n_names, 3);
	sc_learn_summary_free(&sum);
	free(json);
	sc_diags_free(&d);
	sc_record_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_is_embedded),
		cmocka_unit_test(test_runc_cases),
		cmocka_unit_test(test_none_and_unknown),
		cmocka_unit_test(test_parse_options),
		cmocka_unit_test(test_write_and_check),
		cmocka_unit_test(test_minimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
