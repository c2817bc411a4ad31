/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>
#include <sys/ioctl.h>

#include "seclude/caps.h"
#include "seclude/sandbox.h"

/* ---- --user resolution, against files shaped like a container's ---- */

static char tmpdir[] = "/tmp/test_sandbox.XXXXXX";
static char passwd_path[64], group_path[64];

static int files_setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(passwd_path, sizeof(passwd_path), "%s/passwd", tmpdir);
	snprintf(group_path, sizeof(group_path), "%s/group", tmpdir);
	FILE *f = fopen(passwd_path, "w");
	fputs("root:x:0:0:root:/root:/bin/sh\n"
	      "broken line\n"
	      "user:x:1000:1000:user:/home/user:/bin/sh\n", f);
	fclose(f);
	f = fopen(group_path, "w");
	fputs("root:x:0:\n"
	      "users:x:100:other,user\n"
	      "user:x:1000:\n"
	      "wheel:x:10:user\n", f);
	fclose(f);
	return 0;
}

static int files_teardown(void **state)
{
	(void)state;
	unlink(passwd_path);
	unlink(group_path);
	rmdir(tmpdir);
	return 0;
}

struct user_case {
	const char *spec;
	unsigned uid, gid;
	const char *groups;   /* "10,100,1000" */
	const char *home;
};

/* The expectations are what Docker 20.10 showed for the same files (Uid, Gid, Groups in /proc/self/status). */
static const struct user_case user_cases[] = {
	{ NULL, 0, 0, "0", "/root" },
	{ "1000", 1000, 1000, "10,100,1000", "/home/user" },
	{ "user", 1000, 1000, "10,100,1000", "/home/user" },
	{ "1000:100", 1000, 100, "100", "/home/user" },
	{ "user:root", 1000, 0, "0", "/home/user" },
	{ "0:100", 0, 100, "100", "/root" },
	{ "2000", 2000, 0, "0", "/" },
	{ "2000:2000", 2000, 2000, "2000", "/" },
};

static void test_user_resolve(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(user_cases) / sizeof(user_cases[0]); i++) {
		const struct user_case *c = &user_cases[i];
		struct sc_user u;
		struct sc_error err = {0};
		assert_int_equal(sc_user_resolve(c->spec, passwd_path, group_path, &u, &err), 0);
		assert_int_equal(u.uid, c->uid);
		assert_int_equal(u.gid, c->gid);
		char buf[128] = "";
		for (size_t k = 0; k < u.n_groups; k++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%u", k ? "," : "", (unsigned)u.groups[k]);
		if (strcmp(buf, c->groups) != 0)
			fail_msg("--user %s: groups %s, expected %s", c->spec ? c->spec : "(none)", buf, c->groups);
		assert_string_equal(u.home, c->home);
	}
}

static void test_user_errors(void **state)
{
	(void)state;
	struct sc_user u;
	struct sc_error err = {0};
	assert_int_equal(sc_user_resolve("nosuch", passwd_path, group_path, &u, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no user \"nosuch\""));
	assert_int_equal(sc_user_resolve("user:nogroup", passwd_path, group_path, &u, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no group \"nogroup\""));
	assert_int_equal(sc_user_resolve("1000:", passwd_path, group_path, &u, &err), -EINVAL);
	assert_int_equal(sc_user_resolve(":5", passwd_path, group_path, &u, &err), -EINVAL);
	/* without any files a numeric user still works, as in a scratch image */
	assert_int_equal(sc_user_resolve("5:6", "/nonexistent/p", "/nonexistent/g", &u, &err), 0);
	assert_int_equal(u.uid, 5);
	assert_int_equal(u.gid, 6);
	assert_string_equal(u.home, "/");
}


static void test_rootless_idmaps(void **state)
{
	(void)state;
	char sub[128], subg[128];
	snprintf(sub, sizeof(sub), "%s/subuid", tmpdir);
	snprintf(subg, sizeof(subg), "%s/subgid", tmpdir);
	FILE *f = fopen(sub, "w");
	assert_non_null(f);
	fputs("# comment\nother:100000:65536\n1234:200000:1000\nbad:x:1\n", f);
	fclose(f);
	f = fopen(subg, "w");
	assert_non_null(f);
	fputs("me:300000:500\n", f);
	fclose(f);
	struct sc_idmap u[2], g[2];
	size_t nu, ng;
	/* by number in subuid, by name in subgid */
	assert_int_equal(sc_rootless_idmaps("me", 1234, 1234, sub, subg, true, u, &nu, g, &ng), 0);
	assert_int_equal(nu, 2);
	assert_int_equal(ng, 2);
	assert_true(u[0].inside == 0 && u[0].outside == 1234 && u[0].count == 1);
	assert_true(u[1].inside == 1 && u[1].outside == 200000 && u[1].count == 1000);
	assert_true(g[1].inside == 1 && g[1].outside == 300000 && g[1].count == 500);
	/* without the helpers, or without both ranges: the single mapping */
	assert_int_equal(sc_rootless_idmaps("me", 1234, 1234, sub, subg, false, u, &nu, g, &ng), 0);
	assert_int_equal(nu, 1);
	assert_int_equal(ng, 1);
	assert_int_equal(sc_rootless_idmaps("other", 99, 99, sub, subg, true, u, &nu, g, &ng), 0);
	assert_int_equal(nu, 1);
	assert_true(u[0].outside == 99 && g[0].outside == 99);
	assert_int_equal(sc_rootless_idmaps("bad", 5, 5, sub, "/nonexistent", true, u, &nu, g, &ng), 0);
	assert_int_equal(nu, 1);
}

/* the range only for a user or group other than root */
static void test_rootless_wants_range(void **state)
{
	(void)state;
	assert_false(sc_rootless_wants_range(NULL));
	assert_false(sc_rootless_wants_range(""));
	assert_false(sc_rootless_wants_range("0"));
	assert_false(sc_rootless_wants_range("root"));
	assert_false(sc_rootless_wants_range("0:0"));
	assert_false(sc_rootless_wants_range("root:root"));
	assert_false(sc_rootless_wants_range("00:root"));
	assert_true(sc_rootless_wants_range("1000"));
	assert_true(sc_rootless_wants_range("nobody"));
	assert_true(sc_rootless_wants_range("rootx"));
	assert_true(sc_rootless_wants_range("0:1000"));
	assert_true(sc_rootless_wants_range("root:wheel"));
	assert_true(sc_rootless_wants_range("1000:0"));
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(sc_exit_code_from_status(W_EXITCODE(3, 0)), 3);
	assert_int_equal(sc_exit_code_from_status(W_EXITCODE(0, 0)), 0);
	assert_int_equal(sc_exit_code_from_status(SIGKILL), 137);
	assert_int_equal(sc_exit_code_from_status(SIGSYS), 159);
}

static void test_random_hostname(void **state)
{
	(void)state;
	char a[13], b[13];
	sc_random_hostname(a);
	sc_random_hostname(b);
	assert_int_equal(strlen(a), 12);
	assert_int_equal(strspn(a, "0123456789abcdef"), 12);
	assert_string_not_equal(a, b);
}

/* ---- starting real sandboxes ---- */

/* Run argv in a sandbox with stdout captured; returns the exit code. */
static int run_capture(struct sc_sandbox_config *c, char *out, size_t len, struct sc_error *err)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	int saved = dup(1);
	dup2(p[1], 1);
	close(p[1]);
	int code = -1;
	int r = sc_sandbox_run(c, &code, err);
	dup2(saved, 1);
	close(saved);
	ssize_t n = read(p[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return r < 0 ? -code : code;
}

static void test_run_exit_status(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c", "exit 7", NULL };
	struct sc_sandbox_config c = { .argv = argv, .namespaces = SC_NS_DOCKER,
				       .caps = sc_caps_docker_default() };
	struct sc_error err = {0};
	int code;
	if (sc_sandbox_run(&c, &code, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 7);

	char *kill_argv[] = { "/bin/sh", "-c", "kill -KILL $$", NULL };
	c.argv = kill_argv;
	c.namespaces = SC_NS_MOUNT;   /* outside a pid namespace the shell is not pid 1 */
	c.net = SC_NET_HOST;
	if (sc_sandbox_run(&c, &code, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 137);
}

static void test_run_not_found(void **state)
{
	(void)state;
	char *argv[] = { "no-such-command-here", NULL };
	struct sc_sandbox_config c = { .argv = argv, .namespaces = SC_NS_DOCKER };
	struct sc_error err = {0};
	int code;
	assert_int_equal(sc_sandbox_run(&c, &code, &err), -ENOENT);
	assert_int_equal(code, 127);
	assert_non_null(strstr(err.msg, "executable file not found in $PATH"));

	char *argv2[] = { "/etc/passwd", NULL };
	c.argv = argv2;
	assert_true(sc_sandbox_run(&c, &code, &err) < 0);
	assert_int_equal(code, 126);
}

static void test_run_isolation(void **state)
{
	(void)state;
	char *argv[] = { "/bin/sh", "-c",
		"echo pid=$$; hostname; grep -E '^(CapBnd|CapEff|CapInh|CapAmb|NoNewPrivs)' /proc/self/status;"
		"ls /proc/self/fd | tr '\\n' ' '; touch /usr/x 2>/dev/null || echo ro", NULL };
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .hostname = "0123456789ab",
		.caps = sc_caps_docker_default(), .no_new_privs = true,
	};
	/* an fd seclude holds open must not be inherited */
	int leak = open("/dev/null", O_RDONLY);
	assert_true(leak >= 3);
	char out[4096];
	struct sc_error err = {0};
	int code = run_capture(&c, out, sizeof(out), &err);
	close(leak);
	if (code != 0)
		fail_msg("exit %d: %s / %s", code, err.msg, out);
	assert_non_null(strstr(out, "pid=1\n0123456789ab\n"));
	assert_non_null(strstr(out, "CapInh:\t0000000000000000"));
	assert_non_null(strstr(out, "CapEff:\t00000000a80425fb"));
	assert_non_null(strstr(out, "CapBnd:\t00000000a80425fb"));
	assert_non_null(strstr(out, "CapAmb:\t0000000000000000"));
	assert_non_null(strstr(out, "NoNewPrivs:\t1"));
	if (!strstr(out, "\n0 1 2 3 ro"))
		fail_msg("inherited descriptors: %s", out);
	assert_non_null(strstr(out, "ro"));
}

struct hook_state {
	pid_t created;
	int listener;
	int fail_with;
};

static int on_created(void *data, pid_t pid, struct sc_error *err)
{
	struct hook_state *h = data;
	h->created = pid;
	if (h->fail_with)
		return sc_error_set(err, h->fail_with, "refused by the hook");
	return 0;
}

static int on_listener(void *data, int fd, struct sc_error *err)
{
	(void)err;
	((struct hook_state *)data)->listener = fd;
	return 0;
}

static void test_hooks(void **state)
{
	(void)state;
	/* notify on getppid, allow everything else: the command never calls getppid */
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sc_bpf bpf = { insns, 4 };
	struct hook_state h = { .listener = -1 };
	char *argv[] = { "/bin/true", NULL };
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .caps = sc_caps_docker_default(),
		.bpf = &bpf, .want_listener = true,
		.hooks = { .data = &h, .child_created = on_created, .listener = on_listener },
	};
	struct sc_error err = {0};
	int code;
	assert_int_equal(sc_sandbox_run(&c, &code, &err), 0);
	assert_int_equal(code, 0);
	assert_true(h.created > 0);
	assert_true(h.listener >= 0);
	char link[64], target[64] = "";
	snprintf(link, sizeof(link), "/proc/self/fd/%d", h.listener);
	assert_true(readlink(link, target, sizeof(target) - 1) > 0);
	assert_string_equal(target, "anon_inode:seccomp notify");
	close(h.listener);

	/* a hook that refuses: nothing runs and the child is gone */
	h = (struct hook_state){ .listener = -1, .fail_with = -EPERM };
	c.want_listener = false;
	assert_int_equal(sc_sandbox_run(&c, &code, &err), -EPERM);
	assert_int_equal(code, 125);
	assert_string_equal(err.msg, "refused by the hook");
	assert_int_equal(kill(h.created, 0), -1);
	assert_int_equal(errno, ESRCH);
}

/* The child's cgroup2 path, read while it is still blocked before its own setup. */
static char born_in[512];

static int read_v2_cgroup(void *data, pid_t pid, struct sc_error *err)
{
	(void)data;
	(void)err;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	FILE *f = fopen(path, "r");
	char line[512];
	born_in[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(born_in, sizeof(born_in), "%s", line + 3);
		}
	if (f)
		fclose(f);
	return 0;
}

static void test_cgroup2_entered_at_birth(void **state)
{
	(void)state;
	/* any cgroup2 mount will do, the controller-less one of a hybrid host too */
	static const char *const mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	const char *mnt = NULL;
	for (size_t i = 0; i < 2 && !mnt; i++) {
		char f[64];
		snprintf(f, sizeof(f), "%s/cgroup.controllers", mounts[i]);
		if (access(f, F_OK) == 0)
			mnt = mounts[i];
	}
	if (geteuid() != 0 || !mnt)
		skip();
	char dir[256], rel[128];
	snprintf(rel, sizeof(rel), "/seclude-test-birth-%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s%s", mnt, rel);
	if (mkdir(dir, 0755) < 0)
		skip();
	const char *dirs[] = { dir };
	char *argv[] = { "/bin/true", NULL };
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .caps = sc_caps_docker_default(),
		.cgroup_dirs = dirs, .n_cgroup_dirs = 1,
		.hooks = { .child_created = read_v2_cgroup },
	};
	struct sc_error err = {0};
	int code = -1;
	int r = sc_sandbox_run(&c, &code, &err);
	rmdir(dir);
	if (r < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(code, 0);
	/* in it before it ran anything, whether clone3 put it there or the parent did */
	assert_string_equal(born_in, rel);
}

struct notif_state {
	int fd;
	int seen_nr;
};

/* Answer one notification: "let it through". */
static void *answer_one(void *arg)
{
	struct notif_state *n = arg;
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req));
	if (ioctl(n->fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return NULL;
	n->seen_nr = req.data.nr;
	struct seccomp_notif_resp resp = { .id = req.id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
	ioctl(n->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return NULL;
}

static pthread_t answer_thread;

static int on_listener_answer(void *data, int fd, struct sc_error *err)
{
	struct notif_state *n = data;
	n->fd = fd;
	if (pthread_create(&answer_thread, NULL, answer_one, n) != 0)
		return sc_error_set(err, -EAGAIN, "cannot start the answering thread");
	return 0;
}

static void test_listener_on_execve(void **state)
{
	(void)state;
	/*
	 * A filter that sends execve itself to the listener: the start must
	 * hand the fd over before the command's execve, or nobody answers.
	 */
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sc_bpf bpf = { insns, 4 };
	struct notif_state n = { .fd = -1, .seen_nr = -1 };
	char *argv[] = { "/bin/sh", "-c", "exit 4", NULL };
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .caps = sc_caps_docker_default(),
		.bpf = &bpf, .want_listener = true,
		.hooks = { .data = &n, .listener = on_listener_answer },
	};
	struct sc_error err = {0};
	int code;
	if (sc_sandbox_run(&c, &code, &err) < 0)
		fail_msg("%s", err.msg);
	pthread_join(answer_thread, NULL);
	assert_int_equal(code, 4);
	assert_int_equal(n.seen_nr, __NR_execve);
	close(n.fd);
}

/*
 * The hold point: a sandbox started held is set up but runs nothing of
 * its command; another process releases it, and then it runs.
 */
static void test_hold_release(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_hold.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof(fifo), "%s/hold", dir);
	struct sc_error err = {0};
	assert_int_equal(sc_hold_create(fifo, &err), 0);
	/* nothing waits there yet */
	assert_int_equal(sc_sandbox_release(fifo, &err), -ESRCH);

	int out[2];
	assert_int_equal(pipe2(out, O_NONBLOCK), 0);
	int saved = dup(1);
	dup2(out[1], 1);
	close(out[1]);
	char *argv[] = { "/bin/sh", "-c", "echo ran", NULL };
	struct sc_sandbox_config c = { .argv = argv, .namespaces = SC_NS_DOCKER,
				       .caps = sc_caps_docker_default(), .hold = fifo };
	struct sc_sandbox *sb = NULL;
	int r = sc_sandbox_start(&c, &sb, &err);
	dup2(saved, 1);
	close(saved);
	if (r < 0)
		fail_msg("%s", err.msg);

	/* held: alive, still this program (no execve yet), nothing written */
	usleep(200 * 1000);
	pid_t pid = sc_sandbox_pid(sb);
	assert_int_equal(kill(pid, 0), 0);
	char link[64], exe[PATH_MAX] = "", self[PATH_MAX] = "";
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	assert_true(readlink(link, exe, sizeof(exe) - 1) > 0);
	assert_true(readlink("/proc/self/exe", self, sizeof(self) - 1) > 0);
	assert_string_equal(exe, self);
	char buf[16];
	assert_int_equal(read(out[0], buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);

	/* released by another process */
	pid_t releaser = fork();
	assert_true(releaser >= 0);
	if (releaser == 0)
		_exit(sc_sandbox_release(fifo, NULL) == 0 ? 0 : 1);
	int st;
	assert_int_equal(waitpid(releaser, &st, 0), releaser);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	int code = -1;
	if (sc_sandbox_wait(sb, &code, &err) < 0)
		fail_msg("%s", err.msg);
	sc_sandbox_free(sb);
	assert_int_equal(code, 0);
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	assert_int_equal(n, 4);
	buf[n] = '\0';
	assert_string_equal(buf, "ran\n");
	close(out[0]);
	/* released once: nothing waits there any more */
	assert_int_equal(sc_sandbox_release(fifo, &err), -ESRCH);
	unlink(fifo);
	rmdir(dir);
}

/* OCI create: the process that started a held sandbox exits; the sandbox waits on, a release runs it. */
static void test_outlive_parent(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_outlive.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof(fifo), "%s/hold", dir);
	struct sc_error err = {0};
	assert_int_equal(sc_hold_create(fifo, &err), 0);
	int out[2], pidp[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(pidp), 0);
	pid_t creator = fork();
	assert_true(creator >= 0);
	if (creator == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		char *argv[] = { "/bin/sh", "-c", "echo ran", NULL };
		struct sc_sandbox_config c = { .argv = argv, .namespaces = SC_NS_DOCKER,
					       .caps = sc_caps_docker_default(), .hold = fifo,
					       .outlive_parent = true };
		struct sc_sandbox *sb = NULL;
		if (sc_sandbox_start(&c, &sb, &err) < 0)
			_exit(1);
		pid_t pid = sc_sandbox_pid(sb);
		if (write(pidp[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		sc_sandbox_forget(sb);
		_exit(0);
	}
	close(out[1]);
	close(pidp[1]);
	int st;
	assert_int_equal(waitpid(creator, &st, 0), creator);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pid_t pid = 0;
	assert_int_equal(read(pidp[0], &pid, sizeof(pid)), sizeof(pid));
	close(pidp[0]);
	/* its creator is gone; it still waits, and nothing of the command ran */
	usleep(200 * 1000);
	assert_int_equal(kill(pid, 0), 0);
	assert_int_equal(sc_sandbox_release(fifo, &err), 0);
	char buf[16];
	size_t got = 0;
	ssize_t n;
	while ((n = read(out[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	assert_string_equal(buf, "ran\n");
	close(out[0]);
	unlink(fifo);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_resolve),
		cmocka_unit_test(test_user_errors),
		cmocka_unit_test(test_rootless_idmaps),
		cmocka_unit_test(test_rootless_wants_range),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_random_hostname),
		cmocka_unit_test(test_run_exit_status),
		cmocka_unit_test(test_run_not_found),
		cmocka_unit_test(test_run_isolation),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_cgroup2_entered_at_birth),
		cmocka_unit_test(test_listener_on_execve),
		cmocka_unit_test(test_hold_release),
		cmocka_unit_test(test_outlive_parent),
	};
	return cmocka_run_group_tests(tests, files_setup, files_teardown);
}
