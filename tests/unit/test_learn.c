/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recorded set, the profile writer and the strace log reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/learn.h"
#include "seclude/util.h"

static int nr_of(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);
	assert_true(nr >= 0);
	return nr;
}

static void test_record_counts(void **state)
{
	struct sc_record *r = sc_record_new();
	assert_non_null(r);
	sc_record_add(r, SCMP_ARCH_X86_64, 0, 3);
	sc_record_add(r, SCMP_ARCH_X86_64, 0, 2);
	sc_record_add(r, SCMP_ARCH_X86, 3, 1);
	/* x32 calls come with x86-64's audit arch and the x32 bit in the number */
	sc_record_add(r, SCMP_ARCH_X86_64, SC_X32_SYSCALL_BIT | 1, 4);
	sc_record_add(r, SCMP_ARCH_X86_64, 5000, 1);
	assert_int_equal(sc_record_count(r, SCMP_ARCH_X86_64, 0), 5);
	assert_int_equal(sc_record_count(r, SCMP_ARCH_X86, 3), 1);
	assert_int_equal(sc_record_count(r, SCMP_ARCH_X32, 1), 4);
	assert_int_equal(sc_record_count(r, SCMP_ARCH_X86_64, 1), 0);
	assert_int_equal(sc_record_distinct(r), 3);
	assert_int_equal(r->total, 11);
	assert_int_equal(r->dropped, 1);

	struct sc_record *m = sc_record_new();
	sc_record_add(m, SCMP_ARCH_X86_64, 0, 1);
	assert_int_equal(sc_record_add_arg(m, SCMP_ARCH_X86_64, 41, 0, 1, 2), 0);
	assert_int_equal(sc_record_add_arg(r, SCMP_ARCH_X86_64, 41, 0, 1, 1), 0);
	assert_int_equal(sc_record_merge(m, r), 0);
	assert_int_equal(sc_record_count(m, SCMP_ARCH_X86_64, 0), 6);
	assert_int_equal(sc_record_count(m, SCMP_ARCH_X32, 1), 4);
	assert_int_equal(m->n_argvals, 1);
	assert_int_equal(m->argvals[0].count, 3);
	sc_record_free(m);
	sc_record_free(r);
}

static void test_record_names(void **state)
{
	struct sc_record *r = sc_record_new();
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "write"), 2);
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "read"), 1);
	/* read on i386 is another number, the same name: one entry, both arches */
	sc_record_add(r, SCMP_ARCH_X86, (uint64_t)nr_of(SCMP_ARCH_X86, "read"), 7);
	sc_record_add(r, SCMP_ARCH_X86, (uint64_t)nr_of(SCMP_ARCH_X86, "socketcall"), 1);
	sc_record_add(r, SCMP_ARCH_X86_64, 1000, 1);   /* no such syscall */
	struct sc_learned_name *v;
	size_t n;
	struct sc_diags d = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_record_names(r, &v, &n, &d, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "read");
	assert_int_equal(v[0].count, 8);
	assert_int_equal(v[0].arch_mask, 3);
	assert_string_equal(v[1].name, "socketcall");
	assert_string_equal(v[2].name, "write");
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "syscall 1000"));
	sc_learned_names_free(v, n);
	sc_diags_free(&d);
	sc_record_free(r);
}

static void test_arg_specs(void **state)
{
	struct sc_arg_specs s = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_arg_specs_parse(&s, "socket,ioctl,fcntl:1", &err), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.v[1].index, 1);
	assert_int_equal(s.v[2].index, 1);
	assert_int_equal(sc_arg_specs_index(&s, SCMP_ARCH_X86_64, nr_of(SCMP_ARCH_X86_64, "socket")), 0);
	assert_int_equal(sc_arg_specs_index(&s, SCMP_ARCH_X86_64, nr_of(SCMP_ARCH_X86_64, "read")), -1);
	assert_int_equal(sc_arg_specs_index(&s, SCMP_ARCH_X86, nr_of(SCMP_ARCH_X86, "ioctl")), 1);
	assert_true(sc_arg_specs_parse(&s, "fcntl", &err) < 0);
	assert_non_null(strstr(err.msg, "NAME:INDEX"));
	assert_true(sc_arg_specs_parse(&s, "nosuchcall:1", &err) < 0);
	assert_non_null(strstr(err.msg, "unknown syscall"));
	assert_true(sc_arg_specs_parse(&s, "socket:6", &err) < 0);
	sc_arg_specs_free(&s);
}

/* Names of rule i as one comma-separated string. */
static char *rule_names(json_t *root, size_t i)
{
	json_t *names = json_object_get(json_array_get(json_object_get(root, "syscalls"), i), "names");
	static char buf[8192];
	buf[0] = '\0';
	size_t k;
	json_t *n;
	json_array_foreach(names, k, n) {
		if (k)
			strcat(buf, ",");
		strcat(buf, json_string_value(n));
	}
	return buf;
}

static json_t *write_and_load(const struct sc_record *r, struct sc_learn_write_opts *o,
			      struct sc_learn_summary *sum, struct sc_diags *d)
{
	char *text = NULL;
	struct sc_error err = {0};
	int rc = sc_learn_write(r, o, &text, sum, d, &err);
	if (rc < 0)
		fail_msg("write: %s", err.msg);
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr);
	assert_non_null(root);
	free(text);
	return root;
}

static void test_write_fresh(void **state)
{
	struct sc_record *r = sc_record_new();
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "write"), 2);
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "execve"), 1);
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "exit_group"), 1);
	struct sc_learn_write_opts o = {
		.command = "true --flag", .when = 0, .default_errno = EPERM,
		.native_arch = SCMP_ARCH_X86_64,
	};
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	json_t *root = write_and_load(r, &o, &sum, &d);
	assert_string_equal(json_string_value(json_object_get(root, "defaultAction")), "SCMP_ACT_ERRNO");
	assert_int_equal(json_integer_value(json_object_get(root, "defaultErrnoRet")), EPERM);
	json_t *am = json_array_get(json_object_get(root, "archMap"), 0);
	assert_string_equal(json_string_value(json_object_get(am, "architecture")), "SCMP_ARCH_X86_64");
	assert_int_equal(json_array_size(json_object_get(am, "subArchitectures")), 0);
	assert_null(json_object_get(root, "architectures"));
	assert_int_equal(json_array_size(json_object_get(root, "syscalls")), 1);
	assert_string_equal(rule_names(root, 0), "execve,exit,exit_group,restart_syscall,rt_sigreturn,write");
	json_t *rule = json_array_get(json_object_get(root, "syscalls"), 0);
	assert_string_equal(json_string_value(json_object_get(rule, "action")), "SCMP_ACT_ALLOW");
	assert_string_equal(json_string_value(json_object_get(rule, "comment")),
			    "learned by seclude learn, 1970-01-01T00:00:00Z: true --flag\n"
			    "always needed, added without being seen: exit, restart_syscall, rt_sigreturn");
	assert_int_equal(sum.n_added, 3);
	assert_int_equal(sum.n_names, 6);
	sc_learn_summary_free(&sum);
	json_decref(root);

	/* ENOSYS, counts, and an i386 call: the secondary arch joins archMap, sigreturn is added */
	sc_record_add(r, SCMP_ARCH_X86, (uint64_t)nr_of(SCMP_ARCH_X86, "write"), 3);
	o.default_errno = ENOSYS;
	o.counts = true;
	root = write_and_load(r, &o, &sum, &d);
	assert_int_equal(json_integer_value(json_object_get(root, "defaultErrnoRet")), ENOSYS);
	am = json_array_get(json_object_get(root, "archMap"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(am, "subArchitectures"), 0)),
			    "SCMP_ARCH_X86");
	assert_string_equal(rule_names(root, 0),
			    "execve,exit,exit_group,restart_syscall,rt_sigreturn,sigreturn,write");
	rule = json_array_get(json_object_get(root, "syscalls"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(rule, "comment")),
			       "\ncounts: execve=1 exit_group=1 write=5"));
	sc_learn_summary_free(&sum);
	json_decref(root);
	assert_int_equal(d.n, 0);
	sc_record_free(r);
}

static void test_write_args(void **state)
{
	struct sc_record *r = sc_record_new();
	int sock = nr_of(SCMP_ARCH_X86_64, "socket"), ioctl_nr = nr_of(SCMP_ARCH_X86_64, "ioctl");
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)sock, 3);
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)ioctl_nr, 1);
	sc_record_add_arg(r, SCMP_ARCH_X86_64, sock, 0, 1, 2);
	sc_record_add_arg(r, SCMP_ARCH_X86_64, sock, 0, 10, 1);
	struct sc_arg_specs specs = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_arg_specs_parse(&specs, "socket,ioctl", &err), 0);
	struct sc_learn_write_opts o = { .command = "x", .default_errno = EPERM, .args = &specs };
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	json_t *root = write_and_load(r, &o, &sum, &d);
	/* socket only through its argument rules; ioctl had no values: plain, with a warning */
	assert_string_equal(rule_names(root, 0), "exit,exit_group,ioctl,restart_syscall,rt_sigreturn");
	json_t *rules = json_object_get(root, "syscalls");
	assert_int_equal(json_array_size(rules), 3);
	assert_int_equal(sum.n_arg_rules, 2);
	uint64_t seen_values = 0;
	for (size_t i = 1; i < 3; i++) {
		json_t *rule = json_array_get(rules, i);
		assert_string_equal(rule_names(root, i), "socket");
		json_t *a = json_array_get(json_object_get(rule, "args"), 0);
		assert_int_equal(json_integer_value(json_object_get(a, "index")), 0);
		assert_string_equal(json_string_value(json_object_get(a, "op")), "SCMP_CMP_EQ");
		seen_values |= UINT64_C(1) << json_integer_value(json_object_get(a, "value"));
	}
	assert_int_equal(seen_values, (1u << 1) | (1u << 10));
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].code, "no-arg-values");
	json_decref(root);
	sc_learn_summary_free(&sum);
	sc_diags_free(&d);
	sc_arg_specs_free(&specs);
	sc_record_free(r);
}

static const char existing[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"  \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}],\n"
	"  \"syscalls\": [\n"
	"    {\"names\": [\"read\", \"close\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {}, \"excludes\": {}},\n"
	"    {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
	"    {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}\n"
	"  ]\n"
	"}\n";

static void test_write_merge(void **state)
{
	struct sc_record *r = sc_record_new();
	const char *seen[] = { "read", "write", "ptrace", "personality", "exit_group" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(seen); i++)
		sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, seen[i]), 1);
	struct sc_learn_write_opts o = {
		.command = "run one", .when = 86400, .default_errno = EPERM, .counts = true,
		.merge_text = existing, .merge_len = strlen(existing), .merge_origin = "old.json",
	};
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	char *text = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_learn_write(r, &o, &text, &sum, &d, &err), 0);
	json_t *root = json_loads(text, 0, NULL);
	assert_non_null(root);
	/* the first plain ALLOW rule takes the union; personality was seen with no args recorded */
	assert_string_equal(rule_names(root, 0),
			    "close,exit,exit_group,personality,read,restart_syscall,rt_sigreturn,write");
	json_t *rules = json_object_get(root, "syscalls");
	assert_int_equal(json_array_size(rules), 4);
	assert_string_equal(rule_names(root, 1), "personality");
	assert_non_null(json_object_get(json_array_get(rules, 1), "args"));
	assert_string_equal(rule_names(root, 2), "ptrace");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 2), "action")),
			    "SCMP_ACT_ERRNO");
	assert_non_null(json_object_get(json_object_get(json_array_get(rules, 3), "includes"), "caps"));
	assert_int_equal(sum.n_kept_denied, 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].code, "kept-denied");
	/* its secondary arch stays; no "architectures" appears beside archMap */
	json_t *am = json_array_get(json_object_get(root, "archMap"), 0);
	assert_int_equal(json_array_size(json_object_get(am, "subArchitectures")), 1);
	assert_null(json_object_get(root, "architectures"));
	json_decref(root);
	sc_learn_summary_free(&sum);
	sc_diags_free(&d);

	/* A second run merged into the first: runs listed, counts added up, always-needed said once */
	o.merge_text = text;
	o.merge_len = strlen(text);
	o.command = "run two";
	char *text2 = NULL;
	assert_int_equal(sc_learn_write(r, &o, &text2, &sum, &d, &err), 0);
	root = json_loads(text2, 0, NULL);
	const char *c = json_string_value(json_object_get(json_array_get(json_object_get(root, "syscalls"), 0), "comment"));
	assert_non_null(c);
	assert_non_null(strstr(c, "1970-01-02T00:00:00Z: run one\nlearned by seclude learn, 1970-01-02T00:00:00Z: run two\n"));
	assert_non_null(strstr(c, "counts: exit_group=2 personality=2 ptrace=2 read=2 write=2"));
	/* exit_group was seen; the others were added by run one and are still unseen */
	assert_non_null(strstr(c, "\nalways needed, added without being seen: exit, restart_syscall, rt_sigreturn\n"));
	assert_null(strstr(strstr(c, "always needed") + 1, "always needed"));
	json_decref(root);
	free(text);
	free(text2);
	sc_learn_summary_free(&sum);
	sc_diags_free(&d);

	/* old-style "architectures": extended, and no archMap added (Docker refuses both) */
	static const char old_style[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"syscalls\":[]}";
	sc_record_add(r, SCMP_ARCH_X86, 3, 1);
	o.merge_text = old_style;
	o.merge_len = strlen(old_style);
	assert_int_equal(sc_learn_write(r, &o, &text, &sum, &d, &err), 0);
	root = json_loads(text, 0, NULL);
	assert_null(json_object_get(root, "archMap"));
	assert_int_equal(json_array_size(json_object_get(root, "architectures")), 2);
	json_decref(root);
	free(text);
	sc_learn_summary_free(&sum);

	/* not JSON: the place is named */
	o.merge_text = "{\n  \"syscalls\": [,]\n}";
	o.merge_len = strlen(o.merge_text);
	assert_true(sc_learn_write(r, &o, &text, &sum, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "old.json:2:"));
	o.merge_text = "[1]";
	o.merge_len = 3;
	assert_true(sc_learn_write(r, &o, &text, &sum, &d, &err) < 0);
	assert_non_null(strstr(err.msg, "not a seccomp profile"));
	sc_diags_free(&d);
	sc_record_free(r);
}

/* Keys as Docker (Go) reads them: any case; the merge edits them where they are, under their spelling. */
static void test_write_merge_folds_keys(void **state)
{
	static const char shouty[] =
		"{\"DefaultAction\":\"SCMP_ACT_ERRNO\",\"ARCHMAP\":[{\"Architecture\":\"SCMP_ARCH_X86_64\","
		"\"SubArchitectures\":[]}],\"SysCalls\":[{\"Names\":[\"read\"],\"Action\":\"SCMP_ACT_ALLOW\"}]}";
	struct sc_record *r = sc_record_new();
	sc_record_add(r, SCMP_ARCH_X86_64, (uint64_t)nr_of(SCMP_ARCH_X86_64, "write"), 1);
	struct sc_learn_write_opts o = {
		.command = "x", .default_errno = EPERM,
		.merge_text = shouty, .merge_len = strlen(shouty), .merge_origin = "old.json",
	};
	struct sc_learn_summary sum;
	struct sc_diags d = {0};
	char *text = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_learn_write(r, &o, &text, &sum, &d, &err), 0);
	json_t *root = json_loads(text, 0, NULL);
	assert_non_null(root);
	/* no second spelling of any key was added */
	assert_null(json_object_get(root, "syscalls"));
	assert_null(json_object_get(root, "archMap"));
	assert_null(json_object_get(root, "defaultAction"));
	json_t *rule = json_array_get(json_object_get(root, "SysCalls"), 0);
	assert_null(json_object_get(rule, "names"));
	json_t *names = json_object_get(rule, "Names");
	bool read = false, write = false;
	for (size_t i = 0; i < json_array_size(names); i++) {
		read |= !strcmp(json_string_value(json_array_get(names, i)), "read");
		write |= !strcmp(json_string_value(json_array_get(names, i)), "write");
	}
	assert_true(read && write);
	json_decref(root);
	free(text);
	sc_learn_summary_free(&sum);
	sc_diags_free(&d);
	sc_record_free(r);
}

#define X64(n) sc_record_count(r, SCMP_ARCH_X86_64, nr_of(SCMP_ARCH_X86_64, n))
#define I386(n) sc_record_count(r, SCMP_ARCH_X86, nr_of(SCMP_ARCH_X86, n))

static void test_strace_f(void **state)
{
	static const char log[] =
		"execve(\"./a\", [\"./a\"], 0x7ffd /* 20 vars */) = 0\n"
		"brk(NULL)                               = 0x55d\n"
		"clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>\n"
		"[pid   201] set_robust_list(0x7f, 24 <unfinished ...>\n"
		"[pid   200] <... clone resumed>, child_tidptr=0x7f) = 201\n"
		"[pid   201] <... set_robust_list resumed>) = 0\n"
		"[pid   201] [ Process PID=201 runs in 32 bit mode. ]\n"
		"[pid   201] read(0, \"\", 1)               = 0\n"
		"[pid   201] syscall_0xe(0x1) = -1 ENOSYS (Function not implemented)\n"
		"[pid   201] restart_syscall(<... resuming interrupted read ...>) = 0\n"
		"[pid   201] +++ exited with 0 +++\n"
		"--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=201} ---\n"
		"wait4(-1, NULL, 0, NULL)                = 201\n"
		"frobnicate(1, 2)                        = 0\n"
		"exit_group(0)                           = ?\n"
		"+++ exited with 0 +++\n";
	struct sc_record *r = sc_record_new();
	struct sc_diags d = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_strace_text(log, strlen(log), "t.log", 0, r, &d, &err), 0);
	assert_int_equal(X64("execve"), 1);
	assert_int_equal(X64("brk"), 1);
	assert_int_equal(X64("clone"), 1);            /* unfinished + resumed: once */
	assert_int_equal(X64("set_robust_list"), 1);  /* before the 32-bit notice */
	assert_int_equal(X64("wait4"), 1);
	assert_int_equal(X64("exit_group"), 1);
	assert_int_equal(X64("read"), 0);
	assert_int_equal(I386("read"), 1);
	assert_int_equal(sc_record_count(r, SCMP_ARCH_X86, 0xe), 1);
	assert_int_equal(I386("restart_syscall"), 1);
	assert_int_equal(sc_record_distinct(r), 9);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "t.log:14: \"frobnicate\""));
	sc_diags_free(&d);
	sc_record_free(r);
}

static void test_strace_o_and_timestamps(void **state)
{
	/* strace -f -tt -o: bare pid first; -ttt and -r stamps; -i and -n brackets */
	static const char log[] =
		"300   10:11:12.123456 execve(\"/bin/true\", [\"true\"], 0x7ffe) = 0\n"
		"300   10:11:12.123999 [00007f0000001234] openat(AT_FDCWD, \"x\", O_RDONLY) = 3\n"
		"301   1700000000.000001 [ 39] getpid() = 301\n"
		"     0.000100 close(3) = 0\n"
		"strace: Process 302 attached\n"
		"302   exit(0) = ?\n";
	struct sc_record *r = sc_record_new();
	struct sc_diags d = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_strace_text(log, strlen(log), "o.log", 0, r, &d, &err), 0);
	assert_int_equal(X64("execve"), 1);
	assert_int_equal(X64("openat"), 1);
	assert_int_equal(X64("getpid"), 1);
	assert_int_equal(X64("close"), 1);
	assert_int_equal(X64("exit"), 1);
	assert_int_equal(sc_record_distinct(r), 5);
	assert_int_equal(d.n, 0);
	sc_record_free(r);
}

static void test_strace_c_table(void **state)
{
	static const char log[] =
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 40.00    0.000040           5         8           mmap\n"
		" 10.00    0.000010           3         3         1 openat\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000100                    11         1 total\n"
		"System call usage summary for 32 bit mode:\n"
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000001           1         2           mmap2\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000001                     2           total\n";
	struct sc_record *r = sc_record_new();
	struct sc_diags d = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_strace_text(log, strlen(log), "c.log", 0, r, &d, &err), 0);
	assert_int_equal(X64("mmap"), 8);
	assert_int_equal(X64("openat"), 3);
	assert_int_equal(I386("mmap2"), 2);
	assert_int_equal(sc_record_distinct(r), 3);
	assert_int_equal(d.n, 0);
	sc_record_free(r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_strace_ff(void **state)
{
	char dir[] = "/tmp/test_learn.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[256];
	/* the parent turns 32-bit, then forks; the child's file has no notice of its own */
	snprintf(p, sizeof(p), "%s/trace.100", dir);
	write_file(p, "execve(\"./a\", [], 0x0) = 0\n"
		      "[ Process PID=100 runs in 32 bit mode. ]\n"
		      "fork() = 101\n"
		      "exit_group(0) = ?\n");
	snprintf(p, sizeof(p), "%s/trace.101", dir);
	write_file(p, "getpid() = 101\n"
		      "exit_group(0) = ?\n");
	snprintf(p, sizeof(p), "%s/trace", dir);
	struct sc_record *r = sc_record_new();
	struct sc_diags d = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_learn_strace_log(p, r, &d, &err), 0);
	assert_int_equal(X64("execve"), 1);
	assert_int_equal(I386("fork"), 1);
	assert_int_equal(I386("getpid"), 1);
	assert_int_equal(I386("exit_group"), 2);
	assert_int_equal(X64("getpid"), 0);

	/* one file of the set, given by name: the pid comes from the suffix */
	sc_record_free(r);
	r = sc_record_new();
	snprintf(p, sizeof(p), "%s/trace.101", dir);
	assert_int_equal(sc_learn_strace_log(p, r, &d, &err), 0);
	assert_int_equal(X64("getpid"), 1);

	snprintf(p, sizeof(p), "%s/nothing", dir);
	assert_int_equal(sc_learn_strace_log(p, r, &d, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "strace -ff"));
	sc_record_free(r);
	sc_diags_free(&d);

	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_counts),
		cmocka_unit_test(test_record_names),
		cmocka_unit_test(test_arg_specs),
		cmocka_unit_test(test_write_fresh),
		cmocka_unit_test(test_write_args),
		cmocka_unit_test(test_write_merge),
		cmocka_unit_test(test_strace_f),
		cmocka_unit_test(test_strace_o_and_timestamps),
		cmocka_unit_test(test_strace_c_table),
		cmocka_unit_test(test_strace_ff),
		cmocka_unit_test(test_write_merge_folds_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
