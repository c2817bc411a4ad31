/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pieces of a denial report: decoding, audit records, attribution, the text, --update. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "seclude/notify.h"
#include "seclude/profile.h"

/* ---- decoding ---- */

/* Reads strings out of this process, as the monitor reads the caller's. */
static int read_self(void *ud, uint64_t addr, char *buf, size_t len)
{
	(void)ud;
	ssize_t n = sc_read_tracee(getpid(), addr, buf, len - 1);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return strlen(buf) == (size_t)n ? 1 : 0;
}

static void decode(const char *call, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		   char *out, size_t len)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	sc_decode_args(AUDIT_ARCH_X86_64, call, args, read_self, NULL, out, len);
}

static void test_decode(void **state)
{
	(void)state;
	char out[1024];
	static const char root[] = "/";
	static const char odd[] = "a\"b\n\x01";
	/* AT_FDCWD arrives sign-extended or not: only the low half counts */
	decode("fchmodat", (uint32_t)AT_FDCWD, (uintptr_t)root, 0777, 0, out, sizeof(out));
	assert_string_equal(out, "AT_FDCWD, \"/\", 0777");
	decode("fchmodat", (uint64_t)(int64_t)AT_FDCWD, (uintptr_t)root, 04755, 0, out, sizeof(out));
	assert_string_equal(out, "AT_FDCWD, \"/\", 04755");
	decode("chmod", (uintptr_t)odd, 0644, 0, 0, out, sizeof(out));
	assert_string_equal(out, "\"a\\\"b\\n\\x01\", 0644");
	decode("openat", 3, (uintptr_t)root, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600, out, sizeof(out));
	assert_string_equal(out, "3, \"/\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600");
	decode("openat", (uint32_t)AT_FDCWD, (uintptr_t)root, O_RDONLY | O_DIRECTORY, 0, out, sizeof(out));
	assert_string_equal(out, "AT_FDCWD, \"/\", O_RDONLY|O_DIRECTORY, 0");
	decode("socket", AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 768, 0, out, sizeof(out));
	assert_string_equal(out, "AF_PACKET, SOCK_RAW|SOCK_CLOEXEC, 768");
	decode("socket", AF_INET6, SOCK_DGRAM, 0, 0, out, sizeof(out));
	assert_string_equal(out, "AF_INET6, SOCK_DGRAM, 0");
	decode("socket", 99, 1, 0, 0, out, sizeof(out));
	assert_string_equal(out, "99, SOCK_STREAM, 0");
	decode("unshare", CLONE_NEWUSER | CLONE_NEWNS, 0, 0, 0, out, sizeof(out));
	assert_string_equal(out, "CLONE_NEWNS|CLONE_NEWUSER");
	decode("clone", CLONE_NEWPID | SIGCHLD, 0, 0, 0, out, sizeof(out));
	assert_string_equal(out, "CLONE_NEWPID|SIGCHLD, 0, 0, 0, 0");
	decode("mknodat", (uint32_t)AT_FDCWD, (uintptr_t)root, S_IFBLK | 0600, 0x801, out, sizeof(out));
	assert_string_equal(out, "AT_FDCWD, \"/\", S_IFBLK|0600, 0x801");
	decode("unlinkat", 5, (uintptr_t)root, AT_REMOVEDIR, 0, out, sizeof(out));
	assert_string_equal(out, "5, \"/\", AT_REMOVEDIR");
	decode("kill", 1, SIGTERM, 0, 0, out, sizeof(out));
	assert_string_equal(out, "1, SIGTERM");
	/* a pointer that is not mapped stays an address; NULL says so */
	decode("chmod", 0x10, 0755, 0, 0, out, sizeof(out));
	assert_string_equal(out, "0x10, 0755");
	decode("chdir", 0, 0, 0, 0, out, sizeof(out));
	assert_string_equal(out, "NULL");
	/* a call without a known shape: the six registers */
	decode("fanotify_init", 1, 2, 3, 4, out, sizeof(out));
	assert_string_equal(out, "0x1, 0x2, 0x3, 0x4, 0, 0");
	/* a call without arguments shows none */
	decode("getpid", 1, 2, 3, 4, out, sizeof(out));
	assert_string_equal(out, "");
	decode("rt_sigaction", SIGINT, 0x1000, 0, 8, out, sizeof(out));
	assert_string_equal(out, "SIGINT, 0x1000, 0, 8");
	/* without a reader, paths stay addresses */
	uint64_t args[6] = { (uintptr_t)root, 0700 };
	sc_decode_args(AUDIT_ARCH_X86_64, "mkdir", args, NULL, NULL, out, sizeof(out));
	char want[64];
	snprintf(want, sizeof(want), "%#lx, 0700", (unsigned long)(uintptr_t)root);
	assert_string_equal(out, want);
	/* the buffer bounds the text */
	char small[8];
	decode("chmod", (uintptr_t)root, 0777, 0, 0, small, sizeof(small));
	assert_int_equal(strlen(small), 7);
}

static void test_read_tracee_page_end(void **state)
{
	(void)state;
	/* a string that ends right before an unmapped page is still read */
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(munmap(m + pg, (size_t)pg), 0);
	char *s = m + pg - 4;
	memcpy(s, "/tm", 4);
	char buf[256];
	ssize_t n = sc_read_tracee(getpid(), (uintptr_t)s, buf, sizeof(buf));
	assert_int_equal(n, 4);
	assert_string_equal(buf, "/tm");
	munmap(m, (size_t)pg);
}

static void test_syscall_name(void **state)
{
	(void)state;
	char b[48];
	sc_syscall_name(AUDIT_ARCH_X86_64, SYS_fchmodat, b, sizeof(b));
	assert_string_equal(b, "fchmodat");
	sc_syscall_name(AUDIT_ARCH_I386, 15, b, sizeof(b));
	assert_string_equal(b, "chmod");
	sc_syscall_name(AUDIT_ARCH_X86_64, 0x40000000 | SYS_fchmodat, b, sizeof(b));
	assert_string_equal(b, "fchmodat");
	sc_syscall_name(AUDIT_ARCH_X86_64, 4000, b, sizeof(b));
	assert_string_equal(b, "syscall 4000");
}

/* ---- audit records ---- */

static void test_kmsg_parse(void **state)
{
	(void)state;
	struct sc_audit_seccomp a;
	const char *kill = "5,1234,722105297,-;audit: type=1326 audit(1795401824.191:11): auid=4294967295 "
			   "uid=0 gid=0 ses=4294967295 pid=18900 comm=\"k\" exe=\"/tmp/k\" sig=31 "
			   "arch=c000003e syscall=110 compat=0 ip=0x7f47c095c829 code=0x80000000\n";
	assert_int_equal(sc_kmsg_parse_seccomp(kill, strlen(kill), &a), 1);
	assert_int_equal(a.usec, 722105297);
	assert_int_equal(a.pid, 18900);
	assert_int_equal(a.uid, 0);
	assert_string_equal(a.comm, "k");
	assert_string_equal(a.exe, "/tmp/k");
	assert_int_equal(a.sig, 31);
	assert_int_equal(a.arch, AUDIT_ARCH_X86_64);
	assert_int_equal(a.nr, 110);
	assert_false(a.compat);
	assert_int_equal(a.ip, 0x7f47c095c829ULL);
	assert_int_equal(a.code, SECCOMP_RET_KILL_PROCESS);

	/* a comm with a space is hex; a trap; dictionary lines after the text */
	const char *trap = "6,7,100,-;audit: type=1326 audit(1.2:3): auid=1000 uid=1000 gid=1000 ses=2 "
			   "subj=unconfined pid=42 comm=6D7920617070 exe=\"/usr/bin/my app\" sig=31 "
			   "arch=40000003 syscall=15 compat=1 ip=0xf7f1 code=0x30000\n SUBSYSTEM=x\n";
	assert_int_equal(sc_kmsg_parse_seccomp(trap, strlen(trap), &a), 1);
	assert_int_equal(a.pid, 42);
	assert_int_equal(a.uid, 1000);
	assert_string_equal(a.comm, "my app");
	assert_string_equal(a.exe, "/usr/bin/my app");
	assert_int_equal(a.arch, AUDIT_ARCH_I386);
	assert_true(a.compat);
	assert_int_equal(a.code, SECCOMP_RET_TRAP);

	const char *other = "6,8,101,-;audit: type=1400 audit(1.2:4): apparmor=\"DENIED\" pid=3\n";
	assert_int_equal(sc_kmsg_parse_seccomp(other, strlen(other), &a), 0);
	const char *plain = "6,9,102,-;eth0: link up\n";
	assert_int_equal(sc_kmsg_parse_seccomp(plain, strlen(plain), &a), 0);
	const char *broken = "5,10,103,-;audit: type=1326 audit(1.2:5): pid=1 comm=\"x\" sig=31\n";
	assert_true(sc_kmsg_parse_seccomp(broken, strlen(broken), &a) < 0);
	/* the same text as the audit multicast group carries it */
	const char *nl = "audit(1795402963.627:58): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4213 "
			 "comm=\"live\" exe=\"/x/live\" sig=0 arch=c000003e syscall=90 compat=0 "
			 "ip=0x7f21201b8d57 code=0x7fc00000";
	assert_int_equal(sc_audit_parse_seccomp(nl, strlen(nl), &a), 1);
	assert_int_equal(a.usec, 0);
	assert_int_equal(a.pid, 4213);
	assert_int_equal(a.nr, 90);
	assert_string_equal(a.comm, "live");
	assert_int_equal(a.code, SECCOMP_RET_USER_NOTIF);
	/* the key must be whole: auid is not uid */
	const char *auid = "5,11,104,-;audit: type=1326 audit(1.2:6): auid=7 pid=9 arch=c000003e "
			   "syscall=1 code=0x0\n";
	assert_int_equal(sc_kmsg_parse_seccomp(auid, strlen(auid), &a), 1);
	assert_int_equal(a.uid, 0);
	assert_int_equal(a.code, SECCOMP_RET_KILL_THREAD);
}

/* ---- results, text and JSON ---- */

static void test_result(void **state)
{
	(void)state;
	char b[64];
	sc_denial_result(SECCOMP_RET_ERRNO | EPERM, b, sizeof(b));
	assert_string_equal(b, "errno 1 (EPERM)");
	sc_denial_result(SECCOMP_RET_ERRNO | 0, b, sizeof(b));
	assert_string_equal(b, "errno 0");
	/* the kernel caps the errno at 4095 */
	sc_denial_result(SECCOMP_RET_ERRNO | 5000, b, sizeof(b));
	assert_string_equal(b, "errno 4095");
	sc_denial_result(SECCOMP_RET_KILL_PROCESS, b, sizeof(b));
	assert_string_equal(b, "kill process (SIGSYS)");
	sc_denial_result(SECCOMP_RET_KILL_THREAD, b, sizeof(b));
	assert_string_equal(b, "kill thread (SIGSYS)");
	sc_denial_result(SECCOMP_RET_TRAP | 2, b, sizeof(b));
	assert_string_equal(b, "trap (SIGSYS)");
}

static void test_format(void **state)
{
	(void)state;
	struct sc_denial d = {
		.when = { 1795401824, 191000000 }, .source = SC_SOURCE_NOTIFY, .pid = 7, .tid = 9,
		.host_pid = 18900, .host_tid = 18902, .comm = "chmod", .arch = AUDIT_ARCH_X86_64,
		.nr = SYS_fchmodat, .syscall = "fchmodat", .args = { (uint32_t)AT_FDCWD, 0x1000, 0777 },
		.has_args = true, .args_text = "AT_FDCWD, \"/\", 0777", .ret = SECCOMP_RET_ERRNO | EPERM,
		.rule = "defaultAction", .where = "p.json:2:19",
	};
	char line[2048];
	sc_denial_format_text(&d, line, sizeof(line));
	assert_string_equal(line, "denied pid 7 tid 9 (chmod) x86_64 fchmodat(AT_FDCWD, \"/\", 0777) -> "
				  "errno 1 (EPERM) by defaultAction (p.json:2:19)");
	char *js = sc_denial_format_json(&d);
	assert_non_null(js);
	assert_null(strchr(js, '\n'));
	json_error_t jerr;
	json_t *o = json_loads(js, 0, &jerr);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "time")), "2026-11-23T02:43:44.191Z");
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "tid")), 9);
	assert_int_equal(json_integer_value(json_object_get(o, "host_pid")), 18900);
	assert_string_equal(json_string_value(json_object_get(o, "syscall")), "fchmodat");
	assert_string_equal(json_string_value(json_object_get(o, "arch")), "x86_64");
	assert_string_equal(json_string_value(json_object_get(o, "action")), "errno");
	assert_int_equal(json_integer_value(json_object_get(o, "errno")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "errno_name")), "EPERM");
	assert_string_equal(json_string_value(json_object_get(o, "decoded")), "AT_FDCWD, \"/\", 0777");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(o, "args"), 2)), 0777);
	assert_string_equal(json_string_value(json_object_get(o, "rule")), "defaultAction");
	assert_false(json_boolean_value(json_object_get(o, "complain")));
	json_decref(o);
	free(js);

	d.complain = true;
	d.tid = 7;
	sc_denial_format_text(&d, line, sizeof(line));
	assert_string_equal(line, "complain pid 7 (chmod) x86_64 fchmodat(AT_FDCWD, \"/\", 0777) would be "
				  "errno 1 (EPERM) by defaultAction (p.json:2:19)");

	struct sc_denial k = { .source = SC_SOURCE_AUDIT, .pid = 1, .host_pid = 500, .comm = "sh",
			       .arch = AUDIT_ARCH_X86_64, .nr = SYS_chmod, .syscall = "chmod",
			       .ret = SECCOMP_RET_KILL_THREAD, .rule = "syscalls[0]",
			       .note = "arguments not known: from the kernel's audit record" };
	sc_denial_format_text(&k, line, sizeof(line));
	assert_string_equal(line, "denied pid 1 (sh) x86_64 chmod -> kill thread (SIGSYS) by syscalls[0]; "
				  "arguments not known: from the kernel's audit record");
	struct sc_denial x = { .source = SC_SOURCE_EXIT, .pid = 3, .host_pid = 501, .comm = "a",
			       .nr = -1, .syscall = "?", .ret = SECCOMP_RET_KILL_PROCESS,
			       .note = "kernel audit records not readable" };
	sc_denial_format_text(&x, line, sizeof(line));
	assert_string_equal(line, "denied pid 3 (a): killed by SIGSYS (syscall unknown: kernel audit records not readable)");
	js = sc_denial_format_json(&x);
	o = json_loads(js, 0, &jerr);
	assert_true(json_is_null(json_object_get(o, "syscall")));
	assert_string_equal(json_string_value(json_object_get(o, "action")), "kill");
	json_decref(o);
	free(js);
}

/* ---- attribution ---- */

static const char attr_profile[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"  \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	"  \"syscalls\": [\n"
	"    { \"names\": [\"getpid\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\" },\n"
	"    { \"names\": [\"chmod\", \"fchmodat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13 },\n"
	"    { \"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
	"    { \"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 97,\n"
	"      \"args\": [ { \"index\": 0, \"value\": 17, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
	"    { \"names\": [\"reboot\"], \"action\": \"SCMP_ACT_KILL_PROCESS\" }\n"
	"  ]\n"
	"}\n";

static struct sc_policy *attr_policy(struct sc_profile **prof, struct sc_bpf *prog)
{
	struct sc_error err = {0};
	struct sc_target t;
	assert_int_equal(sc_target_host(&t, &err), 0);
	t.arch = SCMP_ARCH_X86_64;
	if (sc_profile_parse(attr_profile, strlen(attr_profile), "p.json", NULL, prof, NULL, &err))
		fail_msg("%s", err.msg);
	struct sc_policy *pol = NULL;
	if (sc_profile_resolve(*prof, &t, &pol, NULL, &err))
		fail_msg("%s", err.msg);
	if (sc_policy_compile(pol, NULL, prog, &err))
		fail_msg("%s", err.msg);
	return pol;
}

static struct sc_bpf attr_prog;

static void attribute(const struct sc_policy *pol, uint32_t arch, int nr, uint64_t a0, bool has_args,
		      uint32_t ret, const char *want_rule, const char *want_where)
{
	struct seccomp_data d = { .nr = nr, .arch = arch, .args = { a0 } };
	char rule[128], where[128];
	sc_denial_attribute(pol, &attr_prog, &d, has_args, ret, rule, sizeof(rule), where, sizeof(where));
	assert_string_equal(rule, want_rule);
	assert_string_equal(where, want_where);
}

static void test_attribute(void **state)
{
	(void)state;
	struct sc_profile *prof;
	struct sc_policy *pol = attr_policy(&prof, &attr_prog);
	attribute(pol, AUDIT_ARCH_X86_64, SYS_fchmodat, 0, true, SECCOMP_RET_ERRNO | 13, "syscalls[1]", "p.json:6:5");
	attribute(pol, AUDIT_ARCH_X86_64, SYS_mkdir, 0, true, SECCOMP_RET_ERRNO | EPERM, "defaultAction", "p.json:2:20");
	attribute(pol, AUDIT_ARCH_X86_64, SYS_socket, 17, true, SECCOMP_RET_ERRNO | 97, "syscalls[3]", "p.json:9:5");
	/* socket(AF_INET) is refused by the default, not by the AF_PACKET rule */
	attribute(pol, AUDIT_ARCH_X86_64, SYS_socket, 2, true, SECCOMP_RET_ERRNO | EPERM, "defaultAction", "p.json:2:20");
	attribute(pol, AUDIT_ARCH_X86_64, SYS_reboot, 0, false, SECCOMP_RET_KILL_PROCESS, "syscalls[4]", "p.json:11:5");
	attribute(pol, AUDIT_ARCH_X86_64, 1000, 0, true, SECCOMP_RET_ERRNO | ENOSYS,
		  "the ENOSYS stub (newer than any syscall the profile names)", "");
	attribute(pol, AUDIT_ARCH_I386, 15, 0, true, SECCOMP_RET_KILL_THREAD,
		  "architectures (i386 is not in the profile)", "");
	/* an audit record's verdict for a conditional rule: the zeros would not reach it */
	attribute(pol, AUDIT_ARCH_X86_64, SYS_socket, 0, false, SECCOMP_RET_ERRNO | 97,
		  "syscalls[3] (conditions not checked)", "p.json:9:5");
	sc_bpf_free(&attr_prog);
	sc_policy_free(pol);
	sc_profile_free(prof);
}

/* ---- --update ---- */

static const char update_profile[] =
	"{\n"
	"\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"\t\"syscalls\": [\n"
	"\t\t{\n"
	"\t\t\t\"names\": [\"read\", \"write\"],\n"
	"\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"names\": [\"chmod\", \"fchmodat\", \"mkdir\"],\n"
	"\t\t\t\"action\": \"SCMP_ACT_ERRNO\",\n"
	"\t\t\t\"errnoRet\": 13\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"name\": \"reboot\",\n"
	"\t\t\t\"action\": \"SCMP_ACT_KILL\"\n"
	"\t\t}\n"
	"\t]\n"
	"}\n";

static void test_update(void **state)
{
	(void)state;
	struct sc_denial_count c[] = {
		{ .arch = AUDIT_ARCH_X86_64, .syscall = "fchmodat", .ret = SECCOMP_RET_ERRNO | 13, .complain = true, .count = 2 },
		{ .arch = AUDIT_ARCH_X86_64, .syscall = "reboot", .ret = SECCOMP_RET_KILL_THREAD, .complain = true, .count = 1 },
		{ .arch = AUDIT_ARCH_X86_64, .syscall = "getpid", .ret = SECCOMP_RET_ERRNO | 1, .complain = true, .count = 5 },
		{ .arch = AUDIT_ARCH_I386, .syscall = "getpid", .ret = SECCOMP_RET_ERRNO | 1, .complain = true, .count = 1 },
		{ .arch = AUDIT_ARCH_X86_64, .syscall = "syscall 999", .ret = SECCOMP_RET_ERRNO | 38, .complain = true, .count = 1 },
	};
	struct sc_update_opts o = { .command = "sh -c x", .when = 1795401824 };
	char *out = NULL;
	size_t added = 0;
	struct sc_error err = {0};
	assert_int_equal(sc_profile_update(update_profile, strlen(update_profile), "p.json", c, 5, &o, &out,
					   &added, &err), 0);
	assert_int_equal(added, 3);
	/* the file's tabs are kept */
	assert_non_null(strstr(out, "\n\t\"defaultAction\""));
	assert_null(strstr(out, "\n "));

	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr);
	assert_non_null(root);
	json_t *sys = json_object_get(root, "syscalls");
	/* the reboot rule emptied and went; chmod and mkdir stay refused */
	assert_int_equal(json_array_size(sys), 3);
	json_t *deny = json_object_get(json_array_get(sys, 1), "names");
	assert_int_equal(json_array_size(deny), 2);
	assert_string_equal(json_string_value(json_array_get(deny, 0)), "chmod");
	assert_string_equal(json_string_value(json_array_get(deny, 1)), "mkdir");
	json_t *added_rule = json_array_get(sys, 2);
	assert_string_equal(json_string_value(json_object_get(added_rule, "action")), "SCMP_ACT_ALLOW");
	json_t *names = json_object_get(added_rule, "names");
	assert_int_equal(json_array_size(names), 3);
	assert_string_equal(json_string_value(json_array_get(names, 0)), "fchmodat");
	assert_string_equal(json_string_value(json_array_get(names, 1)), "reboot");
	assert_string_equal(json_string_value(json_array_get(names, 2)), "getpid");
	const char *comment = json_string_value(json_object_get(added_rule, "comment"));
	assert_non_null(strstr(comment, "2026-11-23T02:43:44Z"));
	assert_non_null(strstr(comment, "\"sh -c x\""));
	assert_non_null(strstr(comment, "fchmodat (refused with errno 13 (EACCES), 2 calls, taken out of syscalls[1])"));
	assert_non_null(strstr(comment, "reboot (refused with kill thread (SIGSYS), 1 call, taken out of syscalls[2])"));
	assert_non_null(strstr(comment, "getpid (refused with errno 1 (EPERM), 6 calls)"));
	json_decref(root);

	/* the result is a profile the reader accepts, and it allows what was refused */
	struct sc_profile *p = NULL;
	assert_int_equal(sc_profile_parse(out, strlen(out), "p.json", NULL, &p, NULL, &err), 0);
	struct sc_target t;
	assert_int_equal(sc_target_host(&t, &err), 0);
	struct sc_policy *pol = NULL;
	assert_int_equal(sc_profile_resolve(p, &t, &pol, NULL, &err), 0);
	for (size_t i = 0; i < pol->n_rules; i++)
		if (!strcmp(pol->rules[i].name, "fchmodat") || !strcmp(pol->rules[i].name, "reboot") ||
		    !strcmp(pol->rules[i].name, "getpid"))
			assert_int_equal(pol->rules[i].action, SC_ACT_ALLOW);
	sc_policy_free(pol);
	sc_profile_free(p);

	/* nothing refused: the same profile */
	char *same = NULL;
	assert_int_equal(sc_profile_update(out, strlen(out), "p.json", NULL, 0, &o, &same, &added, &err), 0);
	assert_int_equal(added, 0);
	assert_string_equal(same, out);
	free(same);
	free(out);

	assert_int_equal(sc_profile_update("{", 1, "bad.json", c, 1, &o, &out, &added, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bad.json:1:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_read_tracee_page_end),
		cmocka_unit_test(test_syscall_name),
		cmocka_unit_test(test_kmsg_parse),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_attribute),
		cmocka_unit_test(test_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
