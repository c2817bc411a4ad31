/* SPDX-License-Identifier: GPL-2.0-or-later */
/* docker run's options -> struct sc_spec: one row per case, the spec's fields checked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seclude/docker.h"
#include "seclude/names.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

/* One option as the CLI hands it to the library. */
static int apply(struct sc_docker_run *d, const char *opt, const char *val, struct sc_error *err)
{
	if (!strcmp(opt, "-e")) return sc_docker_env(d, val, err);
	if (!strcmp(opt, "-v")) return sc_docker_volume(d, val, err);
	if (!strcmp(opt, "--tmpfs")) return sc_docker_tmpfs(d, val, err);
	if (!strcmp(opt, "--ulimit")) return sc_docker_ulimit(d, val, err);
	if (!strcmp(opt, "--security-opt")) return sc_docker_security_opt(d, val, err);
	if (!strcmp(opt, "--userns")) return sc_docker_userns(d, val, err);
	if (!strcmp(opt, "-h")) return sc_docker_hostname(d, val, err);
	if (!strcmp(opt, "-w")) return sc_docker_workdir(d, val, err);
	if (!strcmp(opt, "--network")) return sc_docker_host_or(d, "network", val, "none", &d->net_host, err);
	if (!strcmp(opt, "--pid")) return sc_docker_host_or(d, "pid", val, NULL, &d->pid_host, err);
	if (!strcmp(opt, "--ipc")) return sc_docker_host_or(d, "ipc", val, "private", &d->ipc_host, err);
	if (!strcmp(opt, "--uts")) return sc_docker_host_or(d, "uts", val, NULL, &d->uts_host, err);
	if (!strcmp(opt, "--cgroupns")) return sc_docker_host_or(d, "cgroupns", val, "private", &d->cgroupns_host, err);
	if (!strcmp(opt, "-u")) { d->user = val; return 0; }
	if (!strcmp(opt, "--rootfs")) { d->rootfs = val; return 0; }
	if (!strcmp(opt, "--read-only")) { d->read_only = true; return 0; }
	if (!strcmp(opt, "--privileged")) { d->privileged = true; return 0; }
	if (!strcmp(opt, "--init")) { d->init = true; return 0; }
	if (!strcmp(opt, "-t")) { d->tty = true; return 0; }
	if (!strcmp(opt, "-i")) { d->interactive = true; return 0; }
	if (!strcmp(opt, "--filter")) { d->own_filter = false; return 0; }
	fail_msg("unknown option %s in a row", opt);
	return -EINVAL;
}

/* The spec's mounts as "B:src>dst:ro T:dst(opts) M:dst R:dst", the masks counted apart. */
static void mounts_line(const struct sc_spec *s, char *buf, size_t len, size_t *masks)
{
	buf[0] = '\0';
	*masks = 0;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct sc_mount *m = &s->mounts[i];
		size_t n = strlen(buf);
		if (m->kind == SC_MOUNT_MASK || m->kind == SC_MOUNT_READONLY) {
			(*masks)++;
			continue;
		}
		if (m->kind == SC_MOUNT_BIND)
			snprintf(buf + n, len - n, "%sB:%s>%s%s", n ? " " : "", m->source, m->target,
				 m->readonly ? ":ro" : "");
		else
			snprintf(buf + n, len - n, "%sT:%s(%s)", n ? " " : "", m->target,
				 m->options ? m->options : "");
	}
}

static void env_line(const struct sc_spec *s, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < s->process.n_env; i++) {
		size_t n = strlen(buf);
		/* HOSTNAME's random value: only its shape */
		if (!strncmp(s->process.env[i], "HOSTNAME=", 9) && strlen(s->process.env[i]) == 21 &&
		    strspn(s->process.env[i] + 9, "0123456789abcdef") == 12)
			snprintf(buf + n, len - n, "%sHOSTNAME=*", n ? " " : "");
		else
			snprintf(buf + n, len - n, "%s%s", n ? " " : "", s->process.env[i]);
	}
}

#define P "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define DOCKER_MASKS 15   /* moby's 10 masked and 5 read-only paths */

struct row {
	const char *name;
	const char *opts[12];          /* option, value pairs; a flag's value is NULL */
	/* expected, on success */
	unsigned ns;
	enum sc_net_mode net;
	const char *hostname;          /* "*": 12 random hex digits; NULL: none */
	const char *env;
	const char *mounts;
	size_t masks;
	const char *cwd;               /* NULL: the caller's (cwd_optional) */
	const char *user;
	bool confined;
	bool terminal, init, userns;
	int rlimit_res;                /* -1: none */
	rlim_t soft, hard;
	/* expected, on failure */
	const char *error;
	bool usage;
};

static const struct row rows[] = {
	{ "defaults", { NULL },
	  .ns = SC_NS_DOCKER, .hostname = "*", .env = P " HOSTNAME=*", .mounts = "",
	  .masks = DOCKER_MASKS, .rlimit_res = -1 },
	{ "env order: Docker's first, a later -e wins in place", { "-h", "box", "-t", NULL, "-e", "A=1",
	  "-e", "PATH=/x", "-e", "A=2", NULL },
	  .ns = SC_NS_DOCKER, .hostname = "box", .env = "PATH=/x HOSTNAME=box TERM=xterm A=2", .mounts = "",
	  .masks = DOCKER_MASKS, .terminal = true, .rlimit_res = -1 },
	{ "host namespaces", { "--network", "host", "--pid", "host", "--ipc", "host", "--uts", "host",
	  "--cgroupns", "host", NULL },
	  .ns = SC_NS_MOUNT, .net = SC_NET_HOST, .hostname = NULL, .env = P, .mounts = "",
	  .masks = DOCKER_MASKS, .rlimit_res = -1 },
	{ "user namespace, Docker's default map", { "--userns", NULL, NULL },
	  .ns = SC_NS_DOCKER | SC_NS_USER, .hostname = "*", .env = P " HOSTNAME=*", .mounts = "",
	  .masks = DOCKER_MASKS, .userns = true, .rlimit_res = -1 },
	{ "privileged: no masks, no filter", { "--privileged", NULL, "--filter", NULL, NULL },
	  .ns = SC_NS_DOCKER, .hostname = "*", .env = P " HOSTNAME=*", .mounts = "", .masks = 0,
	  .rlimit_res = -1 },
	{ "volumes and tmpfs in order, masks after", { "-v", "/a:/b:ro", "--tmpfs", "/t:size=1m",
	  "-v", "/c:/d", NULL },
	  .ns = SC_NS_DOCKER, .hostname = "*", .env = P " HOSTNAME=*",
	  .mounts = "B:/a>/b:ro T:/t(size=1m) B:/c>/d", .masks = DOCKER_MASKS, .rlimit_res = -1 },
	{ "workdir, user, ulimit, init", { "-w", "/srv", "-u", "1000:1000", "--ulimit", "nofile=10:20",
	  "--init", NULL, NULL },
	  .ns = SC_NS_DOCKER, .hostname = "*", .env = P " HOSTNAME=*", .mounts = "", .masks = DOCKER_MASKS,
	  .cwd = "/srv", .user = "1000:1000", .init = true, .rlimit_res = RLIMIT_NOFILE, .soft = 10, .hard = 20 },
	{ "the profile compiled once, into the spec", { "--filter", NULL, NULL },
	  .ns = SC_NS_DOCKER, .hostname = "*", .env = P " HOSTNAME=*", .mounts = "", .masks = DOCKER_MASKS,
	  .confined = true, .rlimit_res = -1 },
	{ "--init with the host's pids", { "--init", NULL, "--pid", "host", NULL },
	  .error = "--init needs the sandbox's own pid namespace (not --pid host)", .usage = true },
	{ "a relative path inside with --rootfs", { "--rootfs", "/r", "--tmpfs", "scratch", NULL },
	  .error = "a relative path inside (-v, --tmpfs) names a place in the host's tree: give an absolute "
		   "one with --rootfs", .usage = true },
	{ "a volume without a path inside", { "-v", "/a", NULL },
	  .error = "--volume \"/a\": expected HOST:PATH[:ro|rw]", .usage = true },
	{ "a tmpfs on /", { "--tmpfs", "/", NULL },
	  .error = "--tmpfs \"/\": the path inside cannot be /", .usage = true },
	{ "a soft limit above the hard one", { "--ulimit", "nofile=30:20", NULL },
	  .error = "--ulimit \"nofile=30:20\": the soft limit is above the hard limit", .usage = true },
	{ "an unknown security option", { "--security-opt", "nope=1", NULL },
	  .error = "unknown --security-opt \"nope=1\"", .usage = true },
	{ "SELinux labels are refused, not dropped", { "--security-opt", "label=type:x", NULL },
	  .error = "--security-opt label=type:x: seclude does not apply SELinux labels; only label=disable "
		   "is accepted", .usage = false },
};

static void check_row(const struct row *w)
{
	char *argv[] = { "true", NULL };
	struct sc_docker_run d = { .argv = argv, .own_filter = true, .caps = sc_caps_docker_default() };
	struct sc_error err = {0};
	struct sc_spec s = {0};
	struct sc_diags diags = {0};
	int r = 0;
	for (size_t i = 0; r == 0 && w->opts[i]; i += 2)
		r = apply(&d, w->opts[i], w->opts[i + 1], &err);
	if (r == 0)
		r = sc_spec_from_docker(&d, &s, &diags, &err);
	sc_diags_free(&diags);
	if (w->error) {
		assert_true(r < 0);
		assert_string_equal(err.msg, w->error);
		assert_int_equal(d.usage, w->usage);
		assert_null(s.process.args);
		sc_docker_run_free(&d);
		return;
	}
	if (r < 0)
		fail_msg("%s: %s", w->name, err.msg);
	assert_string_equal(s.process.args[0], "true");
	assert_int_equal(s.namespaces, w->ns);
	assert_int_equal(s.net, w->net);
	if (!w->hostname)
		assert_null(s.hostname);
	else if (!strcmp(w->hostname, "*"))
		assert_int_equal(strspn(s.hostname, "0123456789abcdef"), 12);
	else
		assert_string_equal(s.hostname, w->hostname);
	char buf[1024];
	env_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, w->env);
	size_t masks;
	mounts_line(&s, buf, sizeof(buf), &masks);
	assert_string_equal(buf, w->mounts);
	assert_int_equal(masks, w->masks);
	if (w->cwd) {
		assert_string_equal(s.process.cwd, w->cwd);
		assert_false(s.process.cwd_optional);
	} else {
		_cleanup_free_ char *cwd = getcwd(NULL, 0);
		assert_string_equal(s.process.cwd, cwd);
		assert_true(s.process.cwd_optional);
	}
	if (w->user)
		assert_string_equal(s.process.user, w->user);
	else
		assert_null(s.process.user);
	assert_int_equal(s.seccomp.confined, w->confined);
	if (w->confined) {
		assert_string_equal(s.seccomp.profile, "default");
		assert_true(s.seccomp.filter.bpf.len > 0);
	}
	assert_int_equal(s.process.terminal, w->terminal);
	assert_int_equal(s.process.init, w->init);
	assert_int_equal(s.n_uid_map, w->userns);
	if (w->userns) {
		assert_int_equal(s.uid_map[0].inside, 0);
		assert_int_equal(s.uid_map[0].outside, 100000);
		assert_int_equal(s.gid_map[0].count, 65536);
	}
	if (w->rlimit_res < 0) {
		assert_int_equal(s.process.n_rlimits, 0);
	} else {
		assert_int_equal(s.process.n_rlimits, 1);
		assert_int_equal(s.process.rlimits[0].resource, w->rlimit_res);
		assert_int_equal(s.process.rlimits[0].soft, w->soft);
		assert_int_equal(s.process.rlimits[0].hard, w->hard);
	}
	/* the launcher reads the same fields */
	struct sc_sandbox_config c = {0};
	assert_int_equal(sc_sandbox_config_from_spec(&s, &c, &err), 0);
	assert_ptr_equal(c.argv, s.process.args);
	assert_ptr_equal(c.mounts, s.mounts);
	assert_int_equal(c.namespaces, s.namespaces);
	assert_true(w->confined ? c.bpf == &s.seccomp.filter.bpf : c.bpf == NULL);
	sc_spec_free(&s);
	sc_docker_run_free(&d);
}

static void test_docker_rows(void **state)
{
	(void)state;
	/* from /: a caller's directory under /tmp is bound into the sandbox (test_cwd_under_tmp), as in a clone there */
	_cleanup_free_ char *was = getcwd(NULL, 0);
	assert_non_null(was);
	assert_int_equal(chdir("/"), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("# %s\n", rows[i].name);
		check_row(&rows[i]);
	}
	assert_int_equal(chdir(was), 0);
}

/* Under the sandbox's private /tmp the caller's directory is bound in, read-only, first. */
static void test_cwd_under_tmp(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_spec.XXXXXX";
	assert_non_null(mkdtemp(dir));
	_cleanup_free_ char *old = getcwd(NULL, 0);
	assert_int_equal(chdir(dir), 0);
	char *argv[] = { "true", NULL };
	struct sc_docker_run d = { .argv = argv, .own_filter = true };
	struct sc_error err = {0};
	struct sc_spec s = {0};
	assert_int_equal(sc_docker_volume(&d, "/a:/b", &err), 0);
	assert_int_equal(sc_spec_from_docker(&d, &s, NULL, &err), 0);
	char want[128], got[1024];
	snprintf(want, sizeof(want), "B:%s>%s:ro B:/a>/b", dir, dir);
	size_t masks;
	mounts_line(&s, got, sizeof(got), &masks);
	assert_string_equal(got, want);
	sc_spec_free(&s);
	sc_docker_run_free(&d);
	assert_int_equal(chdir(old), 0);
	rmdir(dir);
}

/* Joining a namespace by path is in the model; the launcher takes the paths (it joins network, ipc and uts). */
static void test_join_refused(void **state)
{
	(void)state;
	struct sc_spec s = { .namespaces = SC_NS_NET };
	s.ns_path[sc_ns_index(SC_NS_NET)] = strdup("/proc/1/ns/net");
	assert_int_equal(sc_ns_index(SC_NS_PID), 0);
	assert_int_equal(sc_ns_index(SC_NS_USER), 6);
	struct sc_sandbox_config c = {0};
	struct sc_error err = {0};
	assert_int_equal(sc_sandbox_config_from_spec(&s, &c, &err), 0);
	assert_non_null(c.ns_join);
	assert_string_equal(c.ns_join[sc_ns_index(SC_NS_NET)], "/proc/1/ns/net");
	assert_null(c.ns_join[sc_ns_index(SC_NS_PID)]);
	sc_spec_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_rows),
		cmocka_unit_test(test_cwd_under_tmp),
		cmocka_unit_test(test_join_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
