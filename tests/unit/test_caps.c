/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <linux/capability.h>

#include "seclude/caps.h"
#include "seclude/util.h"

static void test_names(void **state)
{
	assert_int_equal(sc_cap_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
	assert_int_equal(sc_cap_from_name("sys_admin"), CAP_SYS_ADMIN);
	assert_int_equal(sc_cap_from_name("Cap_Net_Raw"), CAP_NET_RAW);
	assert_int_equal(sc_cap_from_name("CAP_NOPE"), -EINVAL);
	assert_int_equal(sc_cap_from_name(""), -EINVAL);
	assert_string_equal(sc_cap_name(CAP_CHOWN), "CAP_CHOWN");
	assert_null(sc_cap_name(64));
}

static void test_default_set(void **state)
{
	uint64_t d = sc_caps_docker_default();
	assert_int_equal(__builtin_popcountll(d), 14);
	assert_true(d & SC_CAP_SET(CAP_NET_RAW));
	assert_false(d & SC_CAP_SET(CAP_SYS_ADMIN));
	char buf[512];
	sc_caps_format(SC_CAP_SET(CAP_CHOWN) | SC_CAP_SET(CAP_KILL), buf, sizeof(buf));
	assert_string_equal(buf, "CAP_CHOWN,CAP_KILL");
}

static void test_compute(void **state)
{
	uint64_t host = (UINT64_C(1) << 41) - 1;
	host &= ~SC_CAP_SET(CAP_SYS_RESOURCE);
	uint64_t base = sc_caps_docker_default(), out = 0;
	struct sc_error err = {0};

	char *add_admin[] = { "sys_admin" }, *drop_raw[] = { "CAP_NET_RAW" }, *all[] = { "ALL" };
	struct sc_cap_opts o = { .add = add_admin, .n_add = 1, .drop = drop_raw, .n_drop = 1 };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), 0);
	assert_int_equal(out, (base & ~SC_CAP_SET(CAP_NET_RAW)) | SC_CAP_SET(CAP_SYS_ADMIN));

	/* --cap-drop ALL --cap-add SYS_ADMIN: only SYS_ADMIN */
	o = (struct sc_cap_opts){ .add = add_admin, .n_add = 1, .drop = all, .n_drop = 1 };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), 0);
	assert_int_equal(out, SC_CAP_SET(CAP_SYS_ADMIN));

	/* --cap-add ALL --cap-drop NET_RAW: the host's set minus NET_RAW */
	o = (struct sc_cap_opts){ .add = all, .n_add = 1, .drop = drop_raw, .n_drop = 1 };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), 0);
	assert_int_equal(out, host & ~SC_CAP_SET(CAP_NET_RAW));

	/* privileged: exactly the host's set */
	o = (struct sc_cap_opts){ .privileged = true };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), 0);
	assert_int_equal(out, host);

	/* a capability the host lacks is an error, named */
	char *add_res[] = { "SYS_RESOURCE" };
	o = (struct sc_cap_opts){ .add = add_res, .n_add = 1 };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), -EPERM);
	assert_non_null(strstr(err.msg, "CAP_SYS_RESOURCE"));

	char *bad[] = { "CAP_FLY" };
	o = (struct sc_cap_opts){ .add = bad, .n_add = 1 };
	assert_int_equal(sc_caps_compute(base, &o, host, &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown capability \"CAP_FLY\""));
}

/* The bounding set read at once from /proc/self/status is the one PR_CAPBSET_READ gives cap by cap. */
static void test_host_bounding(void **state)
{
	uint64_t got = 0, want = 0;
	struct sc_error err = {0};
	assert_int_equal(sc_caps_host_bounding(&got, &err), 0);
	for (int c = 0; c <= sc_cap_last(); c++)
		if (prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) == 1)
			want |= SC_CAP_SET(c);
	assert_true(got == want);
}

/* The highest capability found with PR_CAPBSET_READ is the kernel's cap_last_cap. */
static void test_cap_last(void **state)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	assert_non_null(f);
	int want = -1;
	assert_int_equal(fscanf(f, "%d", &want), 1);
	fclose(f);
	assert_int_equal(sc_cap_last(), want);
}

static void test_status_masks(void **state)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	assert_int_equal(sigaction(SIGUSR2, &ign, &old), 0);
	static const char *const keys[] = { "SigIgn", "CapBnd" };
	uint64_t m[2] = {0};
	assert_int_equal(sc_proc_status_masks(keys, m, 2), 0);
	assert_true(m[0] & (UINT64_C(1) << (SIGUSR2 - 1)));
	sigaction(SIGUSR2, &old, NULL);
	assert_int_equal(sc_proc_status_masks(keys, m, 2), 0);
	assert_false(m[0] & (UINT64_C(1) << (SIGUSR2 - 1)));
	static const char *const none[] = { "NoSuchMask" };
	assert_int_equal(sc_proc_status_masks(none, m, 1), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_default_set),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_host_bounding),
		cmocka_unit_test(test_cap_last),
		cmocka_unit_test(test_status_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
