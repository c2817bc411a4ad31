/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker's hostname, hosts and resolv.conf for a sandbox. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/sandbox.h"
#include "seclude/util.h"

static void check_filter(const char *in, const char *want)
{
	char *out = sc_resolv_conf_filter(in);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_resolv_filter(void **state)
{
	(void)state;
	/* a reachable server stays, with the search and options lines */
	check_filter("search example.org\nnameserver 10.0.0.2\noptions ndots:2\n",
		     "search example.org\nnameserver 10.0.0.2\noptions ndots:2\n");
	/* servers on the host's loopback are out of a network namespace's reach */
	check_filter("nameserver 127.0.0.53\nnameserver 10.0.0.2\n", "nameserver 10.0.0.2\n");
	check_filter("nameserver ::1\n nameserver 127.0.0.1\nsearch lan\n",
		     "search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	/* no file, an empty one, a last line without newline */
	check_filter(NULL, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	check_filter("", "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	check_filter("nameserver 1.1.1.1", "nameserver 1.1.1.1\n");
	/* a comment naming a server is not one */
	check_filter("# nameserver 1.2.3.4\n", "# nameserver 1.2.3.4\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
}

static char *slurp(const char *dir, const char *name)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	char *text = NULL;
	assert_int_equal(sc_read_file(p, 1 << 20, &text, NULL, NULL), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	return text;
}

static void test_files_written(void **state)
{
	(void)state;
	char dir[] = "/tmp/seclude-test-etc.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct sc_error err = {0};
	mode_t old = umask(077);
	int r = sc_etc_files_write(dir, "box1", SC_NET_NONE, &err);
	umask(old);
	assert_int_equal(r, 0);
	char *h = slurp(dir, "hostname");
	assert_string_equal(h, "box1\n");
	free(h);
	h = slurp(dir, "hosts");
	/* Docker's, without a line for the sandbox: --network none names nothing */
	assert_string_equal(h, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
			       "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
			       "ff02::2\tip6-allrouters\n");
	free(h);
	char *host = NULL;
	h = slurp(dir, "resolv.conf");
	if (sc_read_file("/etc/resolv.conf", 1 << 20, &host, NULL, NULL) == 0) {
		char *want = sc_resolv_conf_filter(host);
		assert_string_equal(h, want);
		free(want);
	}
	free(h);
	/* the host's network: the host's files as they are */
	assert_int_equal(sc_etc_files_write(dir, "vm", SC_NET_HOST, &err), 0);
	char *hosts = NULL;
	if (sc_read_file("/etc/hosts", 1 << 20, &hosts, NULL, NULL) == 0) {
		h = slurp(dir, "hosts");
		assert_string_equal(h, hosts);
		free(h);
	}
	if (host) {
		h = slurp(dir, "resolv.conf");
		assert_string_equal(h, host);
		free(h);
	}
	free(hosts);
	free(host);
	const char *names[] = { "hostname", "hosts", "resolv.conf" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(names); i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* The text for the sandbox's own tmpfs is what the files say. */
static void test_text_made(void **state)
{
	(void)state;
	struct sc_error err = {0};
	struct sc_etc_text t;
	assert_int_equal(sc_etc_files_make("box2", SC_NET_NONE, &t, &err), 0);
	assert_string_equal(t.hostname, "box2\n");
	assert_non_null(strstr(t.hosts, "127.0.0.1\tlocalhost\n"));
	char *host = NULL;
	sc_read_file("/etc/resolv.conf", 1 << 20, &host, NULL, NULL);
	char *want = sc_resolv_conf_filter(host);
	assert_string_equal(t.resolv_conf, want);
	free(want);
	sc_etc_text_free(&t);
	assert_null(t.hostname);
	assert_int_equal(sc_etc_files_make("vm", SC_NET_HOST, &t, &err), 0);
	if (host)
		assert_string_equal(t.resolv_conf, host);
	sc_etc_text_free(&t);
	free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolv_filter),
		cmocka_unit_test(test_files_written),
		cmocka_unit_test(test_text_made),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
