/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A user's own places: the state directory and its fallbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/places.h"
#include "seclude/util.h"

static char base[64];

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/sc-places-XXXXXX");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void sub(char *out, size_t len, const char *name, mode_t mode)
{
	snprintf(out, len, "%s/%s", base, name);
	assert_int_equal(mkdir(out, mode), 0);
	assert_int_equal(chmod(out, mode), 0);
}

static void test_state_dir_order(void **state)
{
	(void)state;
	uid_t me = geteuid();
	char xdg[128], run[128], mine[160], tmp[128], buf[256];
	struct sc_error err = {0};
	sub(xdg, sizeof(xdg), "xdg", 0700);
	sub(run, sizeof(run), "run", 0755);
	sub(tmp, sizeof(tmp), "tmp", 01777);
	/* XDG_RUNTIME_DIR when it is ours and private */
	assert_int_equal(sc_user_state_dir_for(me, xdg, run, tmp, buf, sizeof(buf), &err), 0);
	snprintf(mine, sizeof(mine), "%s/seclude", xdg);
	assert_string_equal(buf, mine);
	/* one anyone may write is not: /run/user/UID next */
	assert_int_equal(chmod(xdg, 0777), 0);
	snprintf(mine, sizeof(mine), "%s/%lu", run, (unsigned long)me);
	assert_int_equal(mkdir(mine, 0700), 0);
	assert_int_equal(sc_user_state_dir_for(me, xdg, run, tmp, buf, sizeof(buf), &err), 0);
	strcat(mine, "/seclude");
	assert_string_equal(buf, mine);
	/* another uid's: neither, so a private directory in tmp, made 0700 */
	assert_int_equal(sc_user_state_dir_for(me + 4242, NULL, run, tmp, buf, sizeof(buf), &err), -EPERM);
	assert_non_null(strstr(err.msg, "not a private directory of yours"));
	snprintf(mine, sizeof(mine), "%s/seclude-%lu", tmp, (unsigned long)me + 1);
	assert_int_equal(sc_user_state_dir_for(me + 1, NULL, run, tmp, buf, sizeof(buf), &err), -EPERM);
	/* made as me (the caller's euid), it is mine, not uid me+1's */
	struct stat st;
	assert_int_equal(lstat(mine, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(mine, sizeof(mine), "%s/seclude-%lu", tmp, (unsigned long)me);
	assert_int_equal(sc_user_state_dir_for(me, NULL, base, tmp, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, mine);
	/* a symlink or a shared directory under that name is refused */
	assert_int_equal(rmdir(mine), 0);
	assert_int_equal(symlink(xdg, mine), 0);
	assert_int_equal(sc_user_state_dir_for(me, NULL, base, tmp, buf, sizeof(buf), &err), -EPERM);
	assert_int_equal(unlink(mine), 0);
	assert_int_equal(mkdir(mine, 0777), 0);
	assert_int_equal(chmod(mine, 0777), 0);
	assert_int_equal(sc_user_state_dir_for(me, NULL, base, tmp, buf, sizeof(buf), &err), -EPERM);
}

static void test_private_to(void **state)
{
	(void)state;
	char d[128];
	sub(d, sizeof(d), "p", 0700);
	assert_true(sc_dir_private_to(d, geteuid()));
	assert_false(sc_dir_private_to(d, geteuid() + 1));
	assert_int_equal(chmod(d, 0720), 0);
	assert_false(sc_dir_private_to(d, geteuid()));
	assert_false(sc_dir_private_to("relative", geteuid()));
	assert_false(sc_dir_private_to(NULL, geteuid()));
}

static void test_home(void **state)
{
	(void)state;
	char buf[256], d[128];
	struct sc_error err = {0};
	sub(d, sizeof(d), "home", 0700);
	setenv("HOME", d, 1);
	assert_int_equal(sc_user_home(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, d);
	/* a HOME that is not the user's (runuser keeps root's) gives way to the passwd entry */
	if (geteuid() == 0) {
		assert_int_equal(chown(d, 4242, 4242), 0);
		assert_int_equal(sc_user_home(buf, sizeof(buf), &err), 0);
		assert_string_not_equal(buf, d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_dir_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_to, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
