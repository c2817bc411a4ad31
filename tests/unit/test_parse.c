/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/jsonloc.h"
#include "seclude/profile.h"
#include "seclude/util.h"

static struct sc_profile *parse_ok(const char *text, struct sc_diags *diags)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	int r = sc_profile_parse(text, strlen(text), "t.json", NULL, &p, diags, &err);
	if (r != 0)
		fail_msg("unexpected error: %s\nfor: %s", err.msg, text);
	assert_non_null(p);
	return p;
}

static void parse_err(const char *text, const char *want)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	struct sc_diags d = {0};
	int r = sc_profile_parse(text, strlen(text), "t.json", NULL, &p, &d, &err);
	if (r >= 0)
		fail_msg("accepted: %s", text);
	assert_null(p);
	if (!strstr(err.msg, want))
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, want);
	/* One line, located first. */
	assert_null(strchr(err.msg, '\n'));
	assert_int_equal(strncmp(err.msg, "t.json:", 7), 0);
	/* No warnings leak out of a profile that failed. */
	assert_int_equal(d.n, 0);
	sc_diags_free(&d);
}

static const struct sc_diag *find_diag(const struct sc_diags *d, const char *code)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].code, code) == 0)
			return &d->v[i];
	return NULL;
}

static void test_default_profile(void **state)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	struct sc_diags d = {0};
	assert_int_equal(sc_profile_load("default", NULL, &p, &d, &err), 0);
	assert_string_equal(p->origin, "default");
	assert_int_equal(d.n, 0);
	assert_int_equal(p->default_action, SC_ACT_ERRNO);
	assert_true(p->has_default_errno);
	assert_int_equal(p->default_errno, 1);
	assert_int_equal(p->n_arch_map, 9);
	assert_string_equal(p->arch_map[0].arch, "SCMP_ARCH_X86_64");
	assert_int_equal(p->arch_map[0].n_sub, 2);
	assert_int_equal(p->arch_map[7].n_sub, 0); /* "subArchitectures": null */
	assert_int_equal(p->n_rules, 33);
	assert_int_equal(p->rules[0].n_names, 361);
	assert_false(p->has_flags);
	assert_false(p->oci);
	size_t total = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	assert_int_equal(total, 442);
	/* ptrace & co.: includes minKernel 4.8 */
	assert_true(p->rules[1].has_includes);
	assert_true(p->rules[1].includes.has_min_kernel);
	assert_int_equal(p->rules[1].includes.min_major, 4);
	assert_int_equal(p->rules[1].includes.min_minor, 8);
	/* clone: MASKED_EQ on arg0, excludes CAP_SYS_ADMIN and s390 */
	const struct sc_rule *clone = &p->rules[18];
	assert_string_equal(clone->names[0], "clone");
	assert_int_equal(clone->n_args, 1);
	assert_int_equal(clone->args[0].op, SC_OP_MASKED_EQ);
	assert_int_equal(clone->args[0].value, 2114060288);
	assert_int_equal(clone->args[0].value_two, 0);
	assert_int_equal(clone->excludes.n_caps, 1);
	assert_string_equal(clone->excludes.caps[0], "CAP_SYS_ADMIN");
	assert_int_equal(clone->excludes.n_arches, 2);
	/* clone3: ENOSYS without CAP_SYS_ADMIN */
	assert_string_equal(p->rules[20].names[0], "clone3");
	assert_int_equal(p->rules[20].action, SC_ACT_ERRNO);
	assert_int_equal(p->rules[20].errno_ret, 38);
	/* Locations point at the text: the first rule's "{" and first name. */
	size_t len;
	const char *text = sc_default_profile_text(&len);
	assert_int_equal(len, strlen(text));
	unsigned line = 1;
	const char *at = strstr(text, "\"accept\"");
	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	assert_int_equal(p->rules[0].name_locs[0].line, line);
	assert_true(p->rules[0].loc.line < line);
	sc_profile_free(p);
	sc_diags_free(&d);
}

static void test_data_profiles(void **state)
{
	static const struct {
		const char *file;
		size_t rules;
		enum sc_action def;
		bool oci;
	} t[] = {
		{ "labs/default.json", 308, SC_ACT_ERRNO, false },
		{ "labs/default-no-chmod.json", 305, SC_ACT_ERRNO, false },
		{ "labs/deny.json", 0, SC_ACT_ERRNO, true },
		{ "labs/allow.json", 0, SC_ACT_ALLOW, true },
		{ "moby-fixtures/moby-example.json", 4, SC_ACT_ERRNO, false },
		{ "moby-fixtures/moby-conditional_include.json", 3, SC_ACT_ERRNO, false },
		{ "moby-fixtures/moby-default-old-format.json", 311, SC_ACT_ERRNO, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/tests/data/profiles/%s", SRCDIR, t[i].file);
		struct sc_profile *p = NULL;
		struct sc_error err = {0};
		struct sc_diags d = {0};
		if (sc_profile_load(path, NULL, &p, &d, &err) != 0)
			fail_msg("%s: %s", t[i].file, err.msg);
		assert_int_equal(p->n_rules, t[i].rules);
		assert_int_equal(p->default_action, t[i].def);
		assert_int_equal(p->oci, t[i].oci);
		if (sc_diags_count(&d, SC_DIAG_WARNING))
			fail_msg("%s: warning %s", t[i].file, d.v[0].msg);
		sc_profile_free(p);
		sc_diags_free(&d);
	}
}

static void test_moby_example(void **state)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/data/profiles/moby-fixtures/moby-example.json", SRCDIR);
	assert_int_equal(sc_profile_load(path, NULL, &p, NULL, &err), 0);
	/* old "name" becomes a one-element names */
	assert_int_equal(p->rules[0].n_names, 1);
	assert_string_equal(p->rules[0].names[0], "clone");
	assert_int_equal(p->rules[0].name_locs[0].line, 6);
	assert_int_equal(p->rules[3].errno_ret, 12345);
	assert_true(p->rules[3].has_errno_ret);
	assert_false(p->rules[0].has_errno_ret);
	sc_profile_free(p);
}

static void test_every_field(void **state)
{
	struct sc_diags d = {0};
	struct sc_profile *p = parse_ok(
		"{\n"
		"  \"defaultAction\": \"SCMP_ACT_TRACE\", \"defaultErrnoRet\": 7,\n"
		"  \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X86_64\"],\n"
		"  \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_TSYNC\"],\n"
		"  \"listenerPath\": \"/run/l.sock\", \"listenerMetadata\": \"m\",\n"
		"  \"syscalls\": [\n"
		"    {\"names\": [\"kill\", \"tkill\"], \"action\": \"SCMP_ACT_KILL\",\n"
		"     \"args\": [{\"index\": 5, \"value\": 18446744073709551615, \"valueTwo\": 3, \"op\": \"SCMP_CMP_MASKED_EQ\"},\n"
		"              {\"index\": 0, \"value\": 9223372036854775808, \"op\": \"SCMP_CMP_GE\"}]},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_KILL_THREAD\"},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_TRAP\"},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4294967295},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_LOG\"},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"c\"},\n"
		"    {\"names\": [\"a\"], \"action\": \"SCMP_ACT_NOTIFY\",\n"
		"     \"args\": [{\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_NE\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_LT\"},\n"
		"              {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_LE\"}, {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},\n"
		"              {\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_GT\"}]},\n"
		"    {\"names\": [\"b\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 0,\n"
		"     \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"amd64\", \"x32\"], \"minKernel\": \"5.10\"},\n"
		"     \"excludes\": {\"minKernel\": \"255.0\"}}\n"
		"  ]\n"
		"}\n", &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(p->default_action, SC_ACT_TRACE);
	assert_int_equal(p->default_errno, 7);
	assert_int_equal(p->n_architectures, 2);
	assert_true(p->has_flags);
	assert_int_equal(p->flags, SC_FLAG_LOG | SC_FLAG_TSYNC);
	assert_string_equal(p->listener_path, "/run/l.sock");
	assert_string_equal(p->listener_metadata, "m");
	assert_true(p->oci == false); /* comment and includes are Docker's */
	assert_int_equal(p->n_rules, 9);
	const struct sc_rule *r = &p->rules[0];
	assert_int_equal(r->action, SC_ACT_KILL_THREAD);
	assert_int_equal(r->n_names, 2);
	assert_int_equal(r->n_args, 2);
	assert_int_equal(r->args[0].index, 5);
	assert_true(r->args[0].value == UINT64_MAX);
	assert_int_equal(r->args[0].value_two, 3);
	assert_int_equal(r->args[0].op, SC_OP_MASKED_EQ);
	assert_int_equal(r->args[0].loc.line, 8);
	assert_int_equal(r->args[0].loc.col, 15);
	assert_true(r->args[1].value == (UINT64_C(1) << 63));
	assert_int_equal(r->args[1].op, SC_OP_GE);
	static const enum sc_action acts[] = { SC_ACT_KILL_THREAD, SC_ACT_KILL_THREAD, SC_ACT_KILL_PROCESS,
		SC_ACT_TRAP, SC_ACT_ERRNO, SC_ACT_LOG, SC_ACT_ALLOW, SC_ACT_NOTIFY, SC_ACT_TRACE };
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(p->rules[i].action, acts[i]);
	assert_int_equal(p->rules[4].errno_ret, UINT32_MAX);
	assert_string_equal(p->rules[6].comment, "c");
	static const enum sc_op ops[] = { SC_OP_NE, SC_OP_LT, SC_OP_LE, SC_OP_EQ, SC_OP_GT };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(p->rules[7].args[i].op, ops[i]);
	r = &p->rules[8];
	assert_true(r->has_errno_ret);
	assert_int_equal(r->errno_ret, 0);
	assert_true(r->has_includes && r->has_excludes);
	assert_int_equal(r->includes.n_caps, 1);
	assert_int_equal(r->includes.n_arches, 2);
	assert_int_equal(r->includes.min_major, 5);
	assert_int_equal(r->includes.min_minor, 10);
	assert_int_equal(r->excludes.min_major, 255);
	sc_profile_free(p);
	sc_diags_free(&d);
}

static void test_name_with_empty_names(void **state)
{
	struct sc_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [], \"name\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"}]}", NULL);
	assert_int_equal(p->rules[0].n_names, 1);
	assert_string_equal(p->rules[0].names[0], "read");
	sc_profile_free(p);
}

static void test_oci(void **state)
{
	struct sc_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		" \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": []}]}", NULL);
	assert_true(p->oci);
	assert_int_equal(p->rules[0].n_args, 0);
	sc_profile_free(p);
}

/* A runtime bundle's config.json: its linux.seccomp, read as runc reads it. */
static void test_oci_bundle(void **state)
{
	struct sc_diags d = {0};
	struct sc_profile *p = parse_ok(
		"{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"]},\n"
		" \"linux\": {\"namespaces\": [], \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"  \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}], \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],\n"
		"  \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"                \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}}}", &d);
	assert_true(p->oci);
	assert_int_equal(p->default_action, SC_ACT_ERRNO);
	assert_int_equal(p->default_action_loc.line, 2);
	assert_int_equal(p->flags, SC_FLAG_LOG);
	/* Docker's own fields are not the spec's: dropped, with a warning each */
	assert_int_equal(p->n_arch_map, 0);
	assert_int_equal(p->n_rules, 1);
	assert_false(p->rules[0].has_includes);
	size_t n = 0;
	for (size_t i = 0; i < d.n; i++)
		if (strcmp(d.v[i].code, "unknown-field") == 0) {
			n++;
			assert_true(strncmp(d.v[i].path, "linux.seccomp.", 14) == 0);
		}
	assert_int_equal(n, 2);
	sc_diags_free(&d);
	sc_profile_free(p);

	/* errors name the place under linux.seccomp */
	parse_err("{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\","
		  " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOPE\"}]}}}",
		  "t.json:1:125: linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_NOPE\"");
	parse_err("{\"ociVersion\": \"1.0.2\", \"linux\": {\"namespaces\": []}}",
		  "t.json:1:34: an OCI runtime config without linux.seccomp");
	parse_err("{\"ociVersion\": \"1.0.2\"}", "t.json:1:1: an OCI runtime config without linux.seccomp");
	/* a profile that happens to carry ociVersion is still a profile */
	p = parse_ok("{\"ociVersion\": \"1\", \"defaultAction\": \"SCMP_ACT_ALLOW\"}", NULL);
	assert_int_equal(p->default_action, SC_ACT_ALLOW);
	sc_profile_free(p);
}

/* Go's encoding/json: exact key first, else case-insensitive; null keeps
 * scalars and clears lists; the last of a repeated key counts. */
static void test_go_decoding(void **state)
{
	struct sc_diags d = {0};
	struct sc_profile *p = parse_ok(
		"{\"DEFAULTACTION\": \"SCMP_ACT_ALLOW\", \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		" \"syscalls\": [{\"NAMES\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"action\": null,\n"
		"   \"errnoRet\": null, \"args\": null},\n"
		"  {\"names\": [\"a\"], \"names\": [\"b\", \"c\"], \"action\": \"SCMP_ACT_LOG\",\n"
		"   \"includes\": {\"caps\": [\"CAP_KILL\"]}, \"includes\": {\"arches\": [\"amd64\"]}},\n"
		"  {\"name\": \"x\", \"names\": null, \"action\": \"SCMP_ACT_LOG\", \"\xc5\xbf\x79\x73\x63\x61\x6c\x6c\": 1}],\n"
		" \"Syscalls\": null}", &d);
	assert_int_equal(p->default_action, SC_ACT_ERRNO);
	/* "Syscalls": null came last and cleared the list */
	assert_int_equal(p->n_rules, 0);
	const struct sc_diag *g = find_diag(&d, "key-case");
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "DEFAULTACTION"));
	assert_non_null(find_diag(&d, "duplicate-key"));
	sc_profile_free(p);
	sc_diags_free(&d);

	d = (struct sc_diags){0};
	p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		" \"syscalls\": [{\"NAMES\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"action\": null},\n"
		"  {\"names\": [\"a\"], \"names\": [\"b\", \"c\"], \"action\": \"SCMP_ACT_LOG\",\n"
		"   \"includes\": {\"caps\": [\"CAP_KILL\"]}, \"includes\": {\"arches\": [\"amd64\"]}},\n"
		"  {\"\xc5\xbf" "yscalls\": 1, \"name\": \"x\", \"names\": null, \"action\": \"SCMP_ACT_LOG\"}]}", &d);
	assert_int_equal(p->n_rules, 3);
	assert_string_equal(p->rules[0].names[0], "read");
	assert_int_equal(p->rules[0].action, SC_ACT_ALLOW); /* null kept the string */
	assert_int_equal(p->rules[1].n_names, 2);
	assert_string_equal(p->rules[1].names[0], "b");
	/* the two includes objects merge */
	assert_int_equal(p->rules[1].includes.n_caps, 1);
	assert_int_equal(p->rules[1].includes.n_arches, 1);
	assert_string_equal(p->rules[2].names[0], "x");
	assert_int_equal(p->rules[2].n_names, 1);
	/* U+017F folds to 's' for Go, but no rule field is called "syscalls" */
	g = find_diag(&d, "unknown-field");
	assert_non_null(g);
	assert_string_equal(g->path, "syscalls[2].\xc5\xbfyscalls");
	sc_profile_free(p);
	sc_diags_free(&d);
}

static void test_unknown_field_warning(void **state)
{
	struct sc_diags d = {0};
	struct sc_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"  \"syscall\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}],\n"
		"  \"x-vendor\": {\"deep\": [1, 2, {\"a\": null}]}}", &d);
	assert_int_equal(p->n_rules, 0);
	assert_int_equal(sc_diags_count(&d, SC_DIAG_WARNING), 2);
	assert_string_equal(d.v[0].code, "unknown-field");
	assert_string_equal(d.v[0].where, "t.json:2:3");
	assert_string_equal(d.v[0].path, "syscall");
	assert_non_null(strstr(d.v[0].msg, "did you mean \"syscalls\""));
	assert_null(strstr(d.v[1].msg, "did you mean"));
	sc_profile_free(p);
	sc_diags_free(&d);
}

static void test_cond_warnings(void **state)
{
	struct sc_diags d = {0};
	struct sc_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"  \"includes\": {\"caps\": [\"sys_admin\", \"CAP_FROB\"], \"arches\": [\"x86_64\", \"vax\"], \"minKernel\": \"\"}}]}",
		&d);
	const struct sc_diag *g = find_diag(&d, "cap-spelling");
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "CAP_SYS_ADMIN"));
	assert_non_null(find_diag(&d, "unknown-cap"));
	g = find_diag(&d, "unknown-arch");
	assert_non_null(g);
	assert_non_null(strstr(g->msg, "did you mean \"amd64\""));
	assert_string_equal(g->path, "syscalls[0].includes.arches[0]");
	/* minKernel "" is set, to 0.0, as in moby */
	assert_true(p->rules[0].includes.has_min_kernel);
	assert_int_equal(p->rules[0].includes.min_major, 0);
	sc_profile_free(p);
	sc_diags_free(&d);
}

static void test_min_kernel(void **state)
{
	static const char *const good[] = { "4.8", "0.5", "50.0", "255.255", "04.08" };
	static const char *const bad[] = { "3", ".3", "3.", "4.15abc", "3.12.1", "0.0", "256.1", "-1.2",
					   "+1.2", "1. 2", "a.b" };
	char text[512];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			 "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"%s\"}}]}",
			 good[i]);
		sc_profile_free(parse_ok(text, NULL));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			 "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"%s\"}}]}",
			 bad[i]);
		char want[128];
		snprintf(want, sizeof(want), "syscalls[0].includes.minKernel: invalid kernel version: \"%s\", "
			 "expected \"<kernel>.<major>\"", bad[i]);
		parse_err(text, want);
	}
	parse_err("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
		  "\"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": 4.8}}]}",
		  "invalid kernel version: 4.8, expected");
	parse_err("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
		  "\"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"0.0\"}}]}",
		  "version cannot be 0.0");
}

#define RULE(x) "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], " x "}]}"
#define ALLOW "\"action\": \"SCMP_ACT_ALLOW\""

static void test_errors(void **state)
{
	static const struct { const char *text, *want; } t[] = {
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\",}", "t.json:1:36: malformed JSON: " },
		{ "{\"defaultAction\": ", "malformed JSON: " },
		{ "[1]", "t.json:1:1: a seccomp profile is a JSON object, not an array" },
		{ "{}", "t.json:1:1: defaultAction: defaultAction is missing" },
		{ "{\"defaultAction\": \"\"}", "defaultAction is missing" },
		{ "{\"defaultAction\": 1}", "t.json:1:19: defaultAction: expected a string, got a number" },
		{ "{\"defaultAction\": \"SCMP_ACT_DENY\"}", "defaultAction: unknown action \"SCMP_ACT_DENY\"" },
		{ "{\"defaultAction\": \"scmp_act_allow\"}", "unknown action \"scmp_act_allow\"" },
		{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
		  "defaultErrnoRet: an errno only goes with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}",
		  "defaultErrnoRet: -1 is negative" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4294967296}",
		  "defaultErrnoRet: 4294967296 is out of range for an errno (at most 4294967295)" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}", "1.5 is not an integer" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1e2}", "1e2 is not an integer" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": \"1\"}", "expected a number, got a string" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"x86_64\"]}",
		  "architectures[0]: unknown architecture \"x86_64\"; did you mean \"SCMP_ARCH_X86_64\"?" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": \"SCMP_ARCH_X86\"}",
		  "architectures: expected an array of strings, got a string" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"],\n"
		  " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
		  "t.json:2:2: archMap: both 'architectures' and 'archMap' are specified in the seccomp profile, "
		  "use either 'architectures' or 'archMap'" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_VAX\"}]}",
		  "archMap[0].architecture: unknown architecture \"SCMP_ARCH_VAX\"" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
		  " \"subArchitectures\": [\"SCMP_ARCH_X86\", \"i386\"]}]}",
		  "archMap[0].subArchitectures[1]: unknown architecture \"i386\"" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [\"SCMP_ARCH_X86\"]}",
		  "archMap[0]: expected an object with architecture" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
		  "flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerMetadata\": \"x\"}",
		  "listenerMetadata: listenerMetadata needs a listenerPath" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", "syscalls: expected an array of rules, got an object" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [null]}", "syscalls[0]: expected an object (a rule), got null" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"read\", \"names\": [\"write\"], " ALLOW "}]}",
		  "t.json:1:51: syscalls[0].name: both 'name' and 'names' are specified in the seccomp profile, "
		  "use either 'name' or 'names'" },
		{ RULE("\"action\": \"SCMP_ACT_FOO\""), "syscalls[0].action: unknown action \"SCMP_ACT_FOO\"" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"]}]}",
		  "t.json:1:50: syscalls[0].action: the action is missing" },
		{ RULE(ALLOW ", \"errnoRet\": 1"), "syscalls[0].errnoRet: an errno only goes with SCMP_ACT_ERRNO or "
		  "SCMP_ACT_TRACE, not SCMP_ACT_ALLOW" },
		{ RULE("\"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 1"), "not SCMP_ACT_KILL_THREAD" },
		{ RULE("\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": -5"), "syscalls[0].errnoRet: -5 is negative" },
		{ RULE("\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 99999999999"), "out of range" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "syscalls[0].args[0].index: index 6 is out of range: a syscall has at most 6 arguments (0..5)" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 18446744073709551616, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].index: 18446744073709551616 is out of range" },
		{ RULE(ALLOW ", \"args\": [{\"index\": -1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].index: -1 is negative" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].value: -1 is negative" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].value: 18446744073709551616 is out of range for value (at most 18446744073709551615)" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": 1.0, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].valueTwo: 1.0 is not an integer" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_IN\"}]"),
		  "args[0].op: unknown operator \"SCMP_CMP_IN\"" },
		{ RULE(ALLOW ", \"args\": [{\"index\": 0, \"value\": 1}]"), "args[0].op: the operator is missing" },
		{ RULE(ALLOW ", \"args\": [{\"index\": \"0\", \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]"),
		  "args[0].index: expected a number, got a string" },
		{ RULE(ALLOW ", \"args\": {}"), "syscalls[0].args: expected an array of conditions" },
		{ RULE(ALLOW ", \"args\": [7]"), "syscalls[0].args[0]: expected an object with index" },
		{ RULE(ALLOW ", \"includes\": []"), "syscalls[0].includes: expected an object" },
		{ RULE(ALLOW ", \"excludes\": {\"caps\": \"CAP_KILL\"}"), "syscalls[0].excludes.caps: expected an array" },
		{ RULE(ALLOW ", \"comment\": 5"), "syscalls[0].comment: expected a string, got a number" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", 5], " ALLOW "}]}",
		  "syscalls[0].names[1]: expected a string, got a number" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"\"], " ALLOW "}]}",
		  "syscalls[0].names[0]: empty string is not a valid syscall" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": \"read\", " ALLOW "}]}",
		  "syscalls[0].names: expected an array of strings, got a string" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"x\": \"\xff\"}", "malformed JSON" },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1e400}", "malformed JSON" },
		{ "   \n\t ", "t.json:1:1: empty file" },
		{ "", "empty file" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		parse_err(t[i].text, t[i].want);
}

static void test_nul_in_text(void **state)
{
	static const char text[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}\0garbage";
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_parse(text, sizeof(text) - 1, "t.json", NULL, &p, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "malformed JSON"));
}

static void test_deep_nesting(void **state)
{
	size_t n = 100000;
	char *text = malloc(2 * n + 64);
	size_t k = (size_t)sprintf(text, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"x\": ");
	memset(text + k, '[', n);
	memset(text + k + n, ']', n);
	strcpy(text + k + 2 * n, "}");
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_true(sc_profile_parse(text, strlen(text), "t.json", NULL, &p, NULL, &err) < 0);
	assert_non_null(strstr(err.msg, "malformed JSON"));
	free(text);
}

static void test_jsonloc(void **state)
{
	const char *text = "{\n\t\"k\u00e9y\": [1, -2.5e3, \"a\\u00e9\\n\"],\n  \"z\": {\"y\": true, \"y\": null}\n}";
	struct sc_json *j = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_json_parse(text, strlen(text), "t", &j, &err), 0);
	assert_int_equal(j->type, SC_JSON_OBJECT);
	assert_int_equal(j->n_members, 2);
	assert_string_equal(j->members[0].key, "k\u00e9y");
	assert_int_equal(j->members[0].key_loc.line, 2);
	assert_int_equal(j->members[0].key_loc.col, 2);
	const struct sc_json *a = &j->members[0].value;
	/* columns count characters: "kéy" is 5 characters with its quotes */
	assert_int_equal(a->loc.col, 9);
	assert_int_equal(a->n_items, 3);
	assert_int_equal(a->items[1].lit_len, 6);
	assert_memory_equal(a->items[1].lit, "-2.5e3", 6);
	assert_string_equal(a->items[2].str, "a\u00e9\n");
	uint64_t u;
	assert_int_equal(sc_json_uint(&a->items[0], 10, &u), 0);
	assert_int_equal(u, 1);
	assert_int_equal(sc_json_uint(&a->items[0], 0, &u), -ERANGE);
	assert_int_equal(sc_json_uint(&a->items[1], UINT64_MAX, &u), -EINVAL);
	const struct sc_json *z = &j->members[1].value;
	assert_int_equal(z->n_members, 2); /* duplicates kept, in order */
	assert_int_equal(z->members[1].value.type, SC_JSON_NULL);
	assert_int_equal(z->members[1].value.loc.line, 3);
	sc_json_free(j);
}

static void test_load_errors(void **state)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_load("/nonexistent/x.json", NULL, &p, NULL, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.json: cannot open"));
	assert_int_equal(sc_profile_load(SRCDIR, NULL, &p, NULL, &err), -EISDIR);
	assert_int_equal(sc_profile_load("", NULL, &p, NULL, &err), -EINVAL);
	assert_null(p);
}

/* The bytes behind a profile name: what the cache key is computed over. */
static void test_read(void **state)
{
	struct sc_error err = {0};
	char *text = NULL;
	size_t len = 0, dlen = 0;
	const char *origin = NULL;
	const char *builtin = sc_default_profile_text(&dlen);
	assert_int_equal(sc_profile_read("default", &text, &len, &origin, &err), 0);
	assert_string_equal(origin, "default");
	assert_int_equal(len, dlen);
	assert_memory_equal(text, builtin, dlen);
	assert_int_equal(text[len], '\0');
	free(text);

	const char *path = SRCDIR "/tests/data/profiles/labs/deny.json";
	char *want = NULL;
	size_t want_len = 0;
	assert_int_equal(sc_read_file(path, 1 << 20, &want, &want_len, &err), 0);
	assert_int_equal(sc_profile_read(path, &text, &len, &origin, &err), 0);
	assert_ptr_equal(origin, path);
	assert_int_equal(len, want_len);
	assert_memory_equal(text, want, len);
	free(text);
	free(want);

	/* standard input is named <stdin> in messages, also when it cannot be read */
	int saved = dup(0);
	close(0);
	assert_true(sc_profile_read("-", &text, &len, &origin, &err) < 0);
	assert_string_equal(origin, "<stdin>");
	assert_true(strncmp(err.msg, "<stdin>: ", 9) == 0);
	assert_null(text);
	dup2(saved, 0);
	close(saved);
	assert_int_equal(sc_profile_read("", &text, &len, &origin, &err), -EINVAL);
}

static void test_names(void **state)
{
	enum sc_action a;
	assert_int_equal(sc_action_from_name("SCMP_ACT_KILL", &a), 0);
	assert_int_equal(a, SC_ACT_KILL_THREAD);
	assert_string_equal(sc_action_name(SC_ACT_KILL_PROCESS), "SCMP_ACT_KILL_PROCESS");
	assert_int_equal(sc_action_from_name("SCMP_ACT_Allow", &a), -EINVAL);
	enum sc_op op;
	assert_int_equal(sc_op_from_name("SCMP_CMP_MASKED_EQ", &op), 0);
	assert_int_equal(op, SC_OP_MASKED_EQ);
	assert_string_equal(sc_op_name(SC_OP_LE), "SCMP_CMP_LE");
	assert_int_equal(sc_arch_from_go_name("amd64"), sc_arch_from_scmp_name("SCMP_ARCH_X86_64"));
	assert_string_equal(sc_arch_go_name(sc_arch_from_scmp_name("SCMP_ARCH_AARCH64")), "arm64");
	assert_int_equal(sc_arch_from_user_name("i386"), sc_arch_from_scmp_name("SCMP_ARCH_X86"));
	assert_int_equal(sc_arch_from_user_name("x86"), sc_arch_from_scmp_name("SCMP_ARCH_X86"));
	assert_int_equal(sc_arch_from_user_name("x32"), sc_arch_from_go_name("x32"));
	assert_int_equal(sc_arch_from_user_name("aarch64"), sc_arch_from_go_name("arm64"));
	assert_int_equal(sc_arch_from_user_name("x86_64"), sc_arch_from_go_name("amd64"));
	assert_int_equal(sc_arch_from_user_name("vax"), 0);
	assert_int_equal(sc_arch_from_go_name("x86_64"), 0);
	assert_string_equal(sc_arch_user_name(sc_arch_from_go_name("x86")), "x86");
	assert_non_null(sc_arch_scmp_name(sc_arch_from_scmp_name("SCMP_ARCH_LOONGARCH64")));
	unsigned f;
	assert_int_equal(sc_flag_from_name("SECCOMP_FILTER_FLAG_SPEC_ALLOW", &f), 0);
	assert_int_equal(f, SC_FLAG_SPEC_ALLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_profile),
		cmocka_unit_test(test_data_profiles),
		cmocka_unit_test(test_moby_example),
		cmocka_unit_test(test_every_field),
		cmocka_unit_test(test_oci),
		cmocka_unit_test(test_oci_bundle),
		cmocka_unit_test(test_name_with_empty_names),
		cmocka_unit_test(test_go_decoding),
		cmocka_unit_test(test_unknown_field_warning),
		cmocka_unit_test(test_cond_warnings),
		cmocka_unit_test(test_min_kernel),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_in_text),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_jsonloc),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
