/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where denial reports go: a file, or the journal.  The journal's sockets
 * are the real paths (/run/systemd/journal/socket, /dev/log), made by the
 * test in a private mount namespace over tmpfs, so the host's are never
 * touched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "seclude/denials.h"
#include "seclude/util.h"

#define NATIVE "/run/systemd/journal/socket"
#define SYSLOG "/dev/log"

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0)
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	/* empty /run and /dev in this namespace only: no socket but the test's */
	if (mount("t", "/run", "tmpfs", 0, "mode=0755") < 0 || mount("t", "/dev", "tmpfs", 0, "mode=0755") < 0)
		return -1;
	if (mkdir("/run/systemd", 0755) < 0 || mkdir("/run/systemd/journal", 0755) < 0)
		return -1;
	return 0;
}

static int listen_at(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* the next message, or "" when none waits */
static char *next(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_native(void **state)
{
	(void)state;
	int l = listen_at(NATIVE);
	struct sc_error err = {0};
	FILE *f = sc_denial_sink_open("journal", true, &err);
	assert_non_null(f);
	/* a line written in pieces is one message; nothing is sent before its end */
	fputs("{\"syscall\":", f);
	fflush(f);
	char buf[1024];
	assert_string_equal(next(l, buf, sizeof(buf)), "");
	fputs("\"mount\"}\n{\"syscall\":\"chmod\"}\n", f);
	fflush(f);
	assert_string_equal(next(l, buf, sizeof(buf)),
			    "MESSAGE={\"syscall\":\"mount\"}\nSYSLOG_IDENTIFIER=seclude\nPRIORITY=4\n");
	assert_string_equal(next(l, buf, sizeof(buf)),
			    "MESSAGE={\"syscall\":\"chmod\"}\nSYSLOG_IDENTIFIER=seclude\nPRIORITY=4\n");
	/* a last line without its newline goes at close */
	fputs("last", f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(next(l, buf, sizeof(buf)), "MESSAGE=last\nSYSLOG_IDENTIFIER=seclude\nPRIORITY=4\n");
	assert_string_equal(next(l, buf, sizeof(buf)), "");
	close(l);
	unlink(NATIVE);
}

static void test_syslog(void **state)
{
	(void)state;
	int l = listen_at(SYSLOG);
	struct sc_error err = {0};
	FILE *f = sc_denial_sink_open("journal", false, &err);
	assert_non_null(f);
	fputs("denied pid 1 (chmod)\n", f);
	fflush(f);
	char buf[1024], want[128];
	snprintf(want, sizeof(want), "<12>seclude[%d]: denied pid 1 (chmod)", (int)getpid());
	assert_string_equal(next(l, buf, sizeof(buf)), want);
	/* a journal that stops reading loses reports, never blocks the writer */
	close(l);
	fputs("after\n", f);
	assert_int_equal(fflush(f), 0);
	assert_int_equal(fclose(f), 0);
	unlink(SYSLOG);
}

static void test_none(void **state)
{
	(void)state;
	struct sc_error err = {0};
	assert_null(sc_denial_sink_open("journal", true, &err));
	assert_non_null(strstr(err.msg, "no journal here"));
	assert_true(err.code < 0);
	/* a socket path that takes nothing is no journal either */
	close(listen_at(NATIVE));
	err = (struct sc_error){0};
	assert_null(sc_denial_sink_open("journal", true, &err));
	assert_non_null(strstr(err.msg, NATIVE));
	unlink(NATIVE);
}

static void test_file(void **state)
{
	(void)state;
	struct sc_error err = {0};
	FILE *f = sc_denial_sink_open("/run/report.json", false, &err);
	assert_non_null(f);
	fputs("one\n", f);
	fclose(f);
	/* appending keeps what is there */
	f = sc_denial_sink_open("/run/report.json", true, &err);
	assert_non_null(f);
	fputs("two\n", f);
	fclose(f);
	char *text = NULL;
	assert_int_equal(sc_read_file("/run/report.json", 1024, &text, NULL, NULL), 0);
	assert_string_equal(text, "one\ntwo\n");
	free(text);
	/* truncating does not */
	f = sc_denial_sink_open("/run/report.json", false, &err);
	assert_non_null(f);
	fclose(f);
	struct stat st;
	assert_int_equal(stat("/run/report.json", &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_null(sc_denial_sink_open("/run/no/such/dir/report.json", true, &err));
	assert_non_null(strstr(err.msg, "cannot open /run/no/such/dir/report.json"));
	/* the word journal is the journal; a file of that name is written as ./journal */
	assert_true(sc_denial_sink_is_journal("journal"));
	assert_false(sc_denial_sink_is_journal("./journal"));
	assert_false(sc_denial_sink_is_journal(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
