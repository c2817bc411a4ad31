/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Docker's device allow-list on a cgroup: the rules as text, the v1
 * controller's list after the writes, and the v2 device program enforced
 * by the kernel (on any cgroup2 mount, including the "unified" one of a
 * hybrid host).  The live cases are skipped when not root or when the
 * host lacks the hierarchy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* devices.list of a Docker 20.10 container on this kind of host. */
static const char *const docker_list[] = {
	"b *:* m", "c *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
	"c 10:200 rwm", "c 136:* rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_rules_as_text(void **state)
{
	(void)state;
	char *lines[32];
	size_t n = 0;
	for (const struct sc_device_rule *r = sc_docker_device_rules; r->type; r++) {
		char buf[64];
		sc_device_rule_format(r, buf, sizeof(buf));
		assert_true(n < SC_ARRAY_SIZE(lines));
		lines[n++] = strdup(buf);
	}
	assert_int_equal(n, SC_ARRAY_SIZE(docker_list));
	qsort(lines, n, sizeof(*lines), cmp_str);
	const char *want[SC_ARRAY_SIZE(docker_list)];
	memcpy(want, docker_list, sizeof(want));
	qsort(want, n, sizeof(*want), cmp_str);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(lines[i], want[i]);
		free(lines[i]);
	}
	char buf[16];
	sc_device_rule_format(&(struct sc_device_rule){ 'a', -1, -1, "rwm" }, buf, sizeof(buf));
	assert_string_equal(buf, "a");
}

static void test_program_shape(void **state)
{
	(void)state;
	struct bpf_insn *p = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	/* no rule: load the context, deny */
	assert_int_equal(sc_device_program(NULL, 0, &p, &len, &err), 0);
	assert_int_equal(len, 8);
	assert_int_equal(p[len - 2].imm, 0);
	assert_int_equal(p[len - 1].code, BPF_JMP | BPF_EXIT);
	free(p);
	/* every jump of every block lands on the next block or inside the program */
	size_t n = 0;
	while (sc_docker_device_rules[n].type)
		n++;
	assert_int_equal(sc_device_program(sc_docker_device_rules, n, &p, &len, &err), 0);
	size_t exits = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i].code == (BPF_JMP | BPF_EXIT)) {
			exits++;
			continue;
		}
		if (BPF_CLASS(p[i].code) == BPF_JMP) {
			size_t to = i + 1 + (size_t)p[i].off;
			assert_true(to < len);
			/* a mismatch goes to the first test of a block or to the final deny */
			assert_true(BPF_CLASS(p[to].code) == BPF_JMP || BPF_CLASS(p[to].code) == BPF_ALU64);
		}
	}
	assert_int_equal(exits, n + 1);
	free(p);
	/* a bad rule is refused, not compiled into something else */
	struct sc_device_rule bad[] = { { 'x', 1, 1, "r" } };
	assert_int_equal(sc_device_program(bad, 1, &p, &len, &err), -EINVAL);
	struct sc_device_rule bad_access[] = { { 'c', 1, 1, "rq" } };
	assert_int_equal(sc_device_program(bad_access, 1, &p, &len, &err), -EINVAL);
}

static char *read_all(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_v1_list(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct sc_cgroup_root root;
	struct sc_error err = {0};
	if (sc_cgroup_root_detect(NULL, &root, &err) < 0 || root.version != SC_CGROUP_V1 ||
	    !root.v1_mount[SC_CG_DEVICES]) {
		sc_cgroup_root_free(&root);
		skip();
	}
	char name[64];
	snprintf(name, sizeof(name), "test-devices-%d", (int)getpid());
	struct sc_cgroup *cg = NULL;
	struct sc_diags w = {0};
	assert_int_equal(sc_cgroup_create(&root, "seclude-test", name, &cg, &w, &err), 0);
	int r = sc_cgroup_restrict_devices(cg, sc_docker_device_rules, &err);
	char path[4096];
	snprintf(path, sizeof(path), "%s/devices.list", cg->v1[SC_CG_DEVICES]);
	char *text = read_all(path);
	char *lines[32];
	size_t n = 0;
	char *save = NULL;
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l && n < 32; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(*lines), cmp_str);
	assert_int_equal(sc_cgroup_destroy(cg, &err), 0);
	sc_cgroup_free(cg);
	sc_cgroup_root_free(&root);
	sc_diags_free(&w);
	assert_int_equal(r, 0);
	assert_int_equal(n, SC_ARRAY_SIZE(docker_list));
	const char *want[SC_ARRAY_SIZE(docker_list)];
	memcpy(want, docker_list, sizeof(want));
	qsort(want, n, sizeof(*want), cmp_str);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(lines[i], want[i]);
}

static const char *cgroup2_mount(void)
{
	static const char *const where[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	for (size_t i = 0; i < SC_ARRAY_SIZE(where); i++) {
		struct statfs sf;
		if (statfs(where[i], &sf) == 0 && (unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC)
			return where[i];
	}
	return NULL;
}

/* In the cgroup: mknod and open each node, one errno (or 0) per node through the pipe. */
static void probe_in(const char *dir, const char *tmp, int out)
{
	char procs[4200], me[32];
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	int fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, me, strlen(me)) < 0)
		_exit(3);
	close(fd);
	static const struct { mode_t type; unsigned maj, min; int flags; } nodes[] = {
		{ S_IFCHR, 1, 3, O_RDWR },     /* null: allowed */
		{ S_IFBLK, 7, 0, O_RDONLY },   /* a loop device: mknod yes, open no */
		{ S_IFCHR, 10, 237, O_RDWR },  /* loop-control: not in the list */
		{ S_IFCHR, 1, 3, O_RDONLY },   /* null again, read only: a subset of rwm */
	};
	int res[2 * SC_ARRAY_SIZE(nodes)];
	for (size_t i = 0; i < SC_ARRAY_SIZE(nodes); i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/n%zu", tmp, i);
		res[2 * i] = mknod(p, nodes[i].type | 0600, makedev(nodes[i].maj, nodes[i].min)) < 0 ? errno : 0;
		int f = open(p, nodes[i].flags);
		res[2 * i + 1] = f < 0 ? errno : 0;
		if (f >= 0)
			close(f);
	}
	if (write(out, res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(4);
	_exit(0);
}

static void test_v2_program_enforced(void **state)
{
	(void)state;
	const char *mnt = cgroup2_mount();
	if (geteuid() != 0 || !mnt)
		skip();
	struct sc_cgroup cg = { .version = SC_CGROUP_V2 };
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/seclude-test-devices-%d", mnt, (int)getpid());
	if (mkdir(dir, 0755) < 0)
		skip();
	cg.dir = dir;
	char tmp[] = "/tmp/seclude-test-devices.XXXXXX";
	assert_non_null(mkdtemp(tmp));
	struct sc_error err = {0};
	int r = sc_cgroup_restrict_devices(&cg, sc_docker_device_rules, &err);
	if (r < 0) {
		rmdir(dir);
		rmdir(tmp);
		fail_msg("%s", err.msg);
	}
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		probe_in(dir, tmp, p[1]);
	}
	close(p[1]);
	int res[8] = {0};
	ssize_t got = read(p[0], res, sizeof(res));
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	for (int i = 0; i < 4; i++) {
		char n[4200];
		snprintf(n, sizeof(n), "%s/n%d", tmp, i);
		unlink(n);
	}
	rmdir(tmp);
	rmdir(dir);
	assert_int_equal(got, sizeof(res));
	assert_int_equal(res[0], 0);       /* mknod null */
	assert_int_equal(res[1], 0);       /* open null rw */
	assert_int_equal(res[2], 0);       /* mknod block */
	assert_int_equal(res[3], EPERM);   /* open block */
	assert_int_equal(res[4], 0);       /* mknod loop-control */
	assert_int_equal(res[5], EPERM);   /* open loop-control */
	assert_int_equal(res[7], 0);       /* open null ro */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_as_text),
		cmocka_unit_test(test_program_shape),
		cmocka_unit_test(test_v1_list),
		cmocka_unit_test(test_v2_program_enforced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
