/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <zlib.h>

#include "seclude/caps.h"
#include "seclude/sysinfo.h"
#include "seclude/util.h"

static const char status_text[] =
	"Name:\tsleeper\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Pid:\t4242\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t00000000a80425fb\n"
	"CapEff:\t00000000a80425fb\n"
	"CapBnd:\t000001fffeffffff\n"
	"CapAmb:\t0000000000000400\n"
	"NoNewPrivs:\t1\n"
	"Seccomp:\t2\n"
	"Seccomp_filters:\t3\n"
	"Speculation_Store_Bypass:\tthread vulnerable\n";

static void test_status_parse(void **state)
{
	struct sc_proc_status st = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_proc_status_parse(status_text, &st, &err), 0);
	assert_string_equal(st.name, "sleeper");
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.seccomp_filters, 3);
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.cap_inh, 0);
	/* Docker's default set as the kernel prints it */
	assert_int_equal(st.cap_eff, sc_caps_docker_default());
	assert_int_equal(st.cap_bnd, UINT64_C(0x1fffeffffff));
	assert_true(st.has_cap_amb);
	assert_int_equal(st.cap_amb, SC_CAP_SET(10));
	assert_string_equal(sc_seccomp_mode_name(st.seccomp), "filter");
}

static void test_status_old_kernel(void **state)
{
	/* Before 5.9 there is no Seccomp_filters, before 4.10 no NoNewPrivs, before 4.3 no CapAmb. */
	const char *old = "Name:\tx\nCapInh:\t0\nCapPrm:\t1\nCapEff:\t1\nCapBnd:\tff\nSeccomp:\t0\n";
	struct sc_proc_status st = {0};
	assert_int_equal(sc_proc_status_parse(old, &st, NULL), 0);
	assert_int_equal(st.seccomp, 0);
	assert_int_equal(st.seccomp_filters, -1);
	assert_int_equal(st.no_new_privs, -1);
	assert_false(st.has_cap_amb);
	assert_int_equal(st.cap_bnd, 0xff);
	assert_string_equal(sc_seccomp_mode_name(-1), "unknown");
}

static void test_status_malformed(void **state)
{
	struct sc_proc_status st = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_proc_status_parse("Name:\tx\nSeccomp:\t0\n", &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "capability"));
	assert_int_equal(sc_proc_status_parse("CapInh:\t0\nCapPrm:\tzz\nCapEff:\t0\nCapBnd:\t0\n",
					      &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "CapPrm"));
	assert_int_equal(sc_proc_status_parse("CapInh:\t0\nCapPrm:\t11111111111111111\n"
					      "CapEff:\t0\nCapBnd:\t0\n", &st, &err), -EINVAL);
	assert_int_equal(sc_proc_status_parse("CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n"
					      "Seccomp:\t-1\n", &st, &err), -EINVAL);
}

static void test_status_self(void **state)
{
	struct sc_proc_status st = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_proc_status_read(0, &st, &err), 0);
	assert_int_equal(st.pid, getpid());
	assert_string_equal(st.name, "test_sysinfo");
	assert_int_equal(st.seccomp, prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	assert_int_equal(st.no_new_privs, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	uint64_t bnd;
	assert_int_equal(sc_caps_host_bounding(&bnd, &err), 0);
	assert_int_equal(st.cap_bnd, bnd);

	assert_int_equal(sc_proc_status_read(-3, &st, &err), -EINVAL);
}

static void test_status_gone(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	struct sc_proc_status st = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_proc_status_read(pid, &st, &err), -ESRCH);
	assert_non_null(strstr(err.msg, "no process"));
}

/* A child that sets no_new_privs and stacks two allow-all filters shows them. */
static void test_status_confined_child(void **state)
{
	int ready[2], hold[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { .len = 1, .filter = &insn };
		char c = 'x';
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
			c = 'e';
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		if (read(hold[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'x');

	struct sc_proc_status st = {0};
	struct sc_error err = {0};
	int r = sc_proc_status_read(pid, &st, &err);
	close(hold[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(r, 0);
	assert_int_equal(st.pid, pid);
	assert_int_equal(st.seccomp, SECCOMP_MODE_FILTER);
	assert_int_equal(st.no_new_privs, 1);
	if (st.seccomp_filters >= 0)
		assert_int_equal(st.seccomp_filters, 2);
	close(ready[0]);
}

static void test_kconfig_lookup(void **state)
{
	const char *text =
		"#\n# Automatically generated file; DO NOT EDIT.\n#\n"
		"CONFIG_SECCOMP_FILTER=y\n"
		"CONFIG_SECCOMP=m\n"
		"# CONFIG_USER_NS is not set\n"
		"# CONFIG_USER_NS_X is not set\n"
		"CONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"
		"CONFIG_NR_CPUS=64";
	char v[64];
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_SECCOMP", v, sizeof(v)), 0);
	assert_string_equal(v, "m");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_SECCOMP_FILTER", v, sizeof(v)), 0);
	assert_string_equal(v, "y");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_USER_NS", v, sizeof(v)), 0);
	assert_string_equal(v, "n");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_DEFAULT_HOSTNAME", v, sizeof(v)), 0);
	assert_string_equal(v, "\"(none)\"");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_NR_CPUS", v, sizeof(v)), 0);
	assert_string_equal(v, "64");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_SECCOM", v, sizeof(v)), -ENOENT);
	assert_string_equal(v, "");
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_PID_NS", v, sizeof(v)), -ENOENT);
	/* a value longer than the buffer is cut, not overrun */
	char small[3];
	assert_int_equal(sc_kconfig_lookup(text, "CONFIG_DEFAULT_HOSTNAME", small, sizeof(small)), 0);
	assert_string_equal(small, "\"(");
}

static void test_gzip(void **state)
{
	char dir[] = "/tmp/seclude-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], bad[128];
	snprintf(path, sizeof(path), "%s/config.gz", dir);
	snprintf(bad, sizeof(bad), "%s/bad.gz", dir);

	/* big enough to need several buffer growths */
	size_t n = 300000;
	char *plain = malloc(n + 1);
	assert_non_null(plain);
	for (size_t i = 0; i < n; i++)
		plain[i] = (char)('a' + (i * 7 + i / 13) % 26);
	plain[n] = '\0';
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, plain, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);

	char *out = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	assert_int_equal(sc_read_gzip_file(path, 1u << 20, &out, &len, &err), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, plain, n);
	free(out);

	assert_int_equal(sc_read_gzip_file(path, 100000, &out, &len, &err), -EFBIG);

	/* a gzip header followed by garbage */
	FILE *f = fopen(bad, "wb");
	assert_non_null(f);
	const unsigned char hdr[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0x13 };
	assert_int_equal(fwrite(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	fclose(f);
	assert_int_equal(sc_read_gzip_file(bad, 1u << 20, &out, &len, &err), -EIO);
	assert_non_null(strstr(err.msg, "cannot inflate"));

	unlink(path);
	unlink(bad);
	rmdir(dir);
	free(plain);
}

static const char mi_hybrid[] =
	"22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n"
	"30 22 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"32 30 0:28 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"33 30 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char mi_v1[] =
	"30 22 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
	"31 30 0:27 / /sys/fs/cgroup/systemd rw,nosuid shared:10 - cgroup cgroup rw,xattr,name=systemd\n"
	"32 30 0:28 / /sys/fs/cgroup/pids rw shared:11 master:3 - cgroup cgroup rw,pids\n";
static const char mi_v2[] =
	"22 1 0:21 / / rw - ext4 /dev/vda rw\n"
	"35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n";
/* A v2 hierarchy mounted at a path with a space, as mountinfo escapes it. */
static const char mi_v2_elsewhere[] =
	"40 22 0:35 / /run/my\\040cg rw - cgroup2 none rw\n";

static void test_cgroup_mode(void **state)
{
	char p[256];
	assert_int_equal(sc_cgroup_mode_from_mountinfo(mi_hybrid, p, sizeof(p)), SC_CGROUP_HYBRID);
	assert_string_equal(p, "/sys/fs/cgroup/unified");
	assert_int_equal(sc_cgroup_mode_from_mountinfo(mi_v1, p, sizeof(p)), SC_CGROUP_V1);
	assert_string_equal(p, "");
	assert_int_equal(sc_cgroup_mode_from_mountinfo(mi_v2, p, sizeof(p)), SC_CGROUP_V2);
	assert_string_equal(p, "/sys/fs/cgroup");
	assert_int_equal(sc_cgroup_mode_from_mountinfo(mi_v2_elsewhere, p, sizeof(p)), SC_CGROUP_V2);
	assert_string_equal(p, "/run/my cg");
	assert_int_equal(sc_cgroup_mode_from_mountinfo("", p, sizeof(p)), SC_CGROUP_NONE);
	assert_int_equal(sc_cgroup_mode_from_mountinfo("garbage line\n\n - \n", NULL, 0), SC_CGROUP_NONE);
	assert_string_equal(sc_cgroup_mode_name(SC_CGROUP_HYBRID), "hybrid");
}

/* Cross-check with statfs, a different way of asking the same question. */
static void test_collect_cgroup(void **state)
{
	struct sc_sysinfo si;
	struct sc_error err = {0};
	assert_int_equal(sc_sysinfo_collect(&si, &err), 0);
	struct statfs fs;
	if (statfs("/sys/fs/cgroup", &fs) < 0) {
		sc_sysinfo_free(&si);
		skip();
	}
	if (fs.f_type == CGROUP2_SUPER_MAGIC) {
		assert_int_equal(si.cgroup, SC_CGROUP_V2);
	} else if (fs.f_type == TMPFS_MAGIC) {
		struct statfs u;
		bool unified = statfs("/sys/fs/cgroup/unified", &u) == 0 && u.f_type == CGROUP2_SUPER_MAGIC;
		assert_int_equal(si.cgroup, unified ? SC_CGROUP_HYBRID : SC_CGROUP_V1);
		if (unified)
			assert_string_equal(si.cgroup_v2_path, "/sys/fs/cgroup/unified");
	}
	sc_sysinfo_free(&si);
}

static void test_collect_seccomp(void **state)
{
	struct sc_sysinfo si;
	struct sc_error err = {0};
	assert_int_equal(sc_sysinfo_collect(&si, &err), 0);
	assert_int_equal(si.native_arch, seccomp_arch_native());
	const struct scmp_version *v = seccomp_version();
	assert_int_equal(si.libseccomp_major, v->major);
	assert_int_equal(si.libseccomp_api, seccomp_api_get());
	assert_int_equal(si.seccomp_mode, prctl(PR_GET_SECCOMP, 0, 0, 0, 0));

	/* The two kernel interfaces must agree on every action they both know. */
	_cleanup_free_ char *avail = NULL;
	if (sc_read_file("/proc/sys/kernel/seccomp/actions_avail", 4096, &avail, NULL, NULL) == 0) {
		avail[strcspn(avail, "\n")] = '\0';
		assert_non_null(si.actions_avail);
		assert_string_equal(si.actions_avail, avail);
		assert_true(si.seccomp_filter);
		for (size_t i = 0; i < SC_SYSINFO_N_ACTIONS; i++) {
			const struct sc_seccomp_action *a = &si.actions[i];
			assert_true(a->listed >= 0);
			if (a->avail >= 0)
				assert_int_equal(a->avail, a->listed);
		}
		/* allow is never logged; the file lists only what can be */
		assert_int_equal(si.actions[SC_SYSINFO_N_ACTIONS - 1].logged, 0);
		assert_int_equal(si.flags[0].avail, 1);   /* tsync: Linux 3.17 */
	}

	/* max_user_namespaces as the file says */
	_cleanup_free_ char *mun = NULL;
	if (sc_read_file("/proc/sys/user/max_user_namespaces", 64, &mun, NULL, NULL) == 0)
		assert_int_equal(si.max_user_namespaces, strtoll(mun, NULL, 10));
	else
		assert_int_equal(si.max_user_namespaces, -1);
	if (access("/proc/sys/kernel/unprivileged_userns_clone", F_OK) != 0)
		assert_int_equal(si.unprivileged_userns_clone, -1);

	if (si.kconfig_source) {
		assert_int_equal(si.n_kconfig > 0, 1);
		assert_string_equal(si.kconfig[0].name, "CONFIG_SECCOMP");
		if (si.seccomp_mode >= 0)
			assert_string_equal(si.kconfig[0].value, "y");
	}
	sc_sysinfo_free(&si);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_parse),
		cmocka_unit_test(test_status_old_kernel),
		cmocka_unit_test(test_status_malformed),
		cmocka_unit_test(test_status_self),
		cmocka_unit_test(test_status_gone),
		cmocka_unit_test(test_status_confined_child),
		cmocka_unit_test(test_kconfig_lookup),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_cgroup_mode),
		cmocka_unit_test(test_collect_cgroup),
		cmocka_unit_test(test_collect_seccomp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
