/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroupsPath in systemd's slice:prefix:name form, as the directory systemd gives the unit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "seclude/oci.h"

static void place(const char *path, const char *id, bool rootless, const char *want)
{
	char dir[4096], why[512] = "";
	int r = sc_oci_cgroup_systemd(path, id, rootless, dir, sizeof(dir), why, sizeof(why));
	if (r < 0)
		fail_msg("%s: %s", path, why);
	assert_string_equal(dir, want);
}

static void refused(const char *path, const char *words)
{
	char dir[4096], why[512] = "";
	assert_int_equal(sc_oci_cgroup_systemd(path, "id", false, dir, sizeof(dir), why, sizeof(why)), -EINVAL);
	if (!strstr(why, words))
		fail_msg("%s: \"%s\" does not say \"%s\"", path, why, words);
}

static void test_forms(void **state)
{
	(void)state;
	/* Docker with the systemd driver */
	place("system.slice:docker:abc", "x", false, "/system.slice/docker-abc.scope");
	/* Kubernetes: each dash of the slice is a slice inside the one before */
	place("kubepods-burstable-pod12.slice:cri-containerd:abc", "x", false,
	      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod12.slice/cri-containerd-abc.scope");
	/* an empty slice: system.slice, user.slice rootless; an empty name: the id */
	place(":runc:abc", "x", false, "/system.slice/runc-abc.scope");
	place(":runc:abc", "x", true, "/user.slice/runc-abc.scope");
	place("user-1000.slice:podman:", "c1", false, "/user.slice/user-1000.slice/podman-c1.scope");
	/* the root slice */
	place("-.slice:p:n", "x", false, "/p-n.scope");
	place("-:p:n", "x", false, "/p-n.scope");
	/* a name that is a slice is that slice, wherever the path says */
	place("system.slice:p:machine-a.slice", "x", false, "/machine.slice/machine-a.slice");
	/* no prefix: the name alone */
	place("system.slice::n", "x", false, "/system.slice/n.scope");
}

static void test_refused(void **state)
{
	(void)state;
	refused("system.slice:docker", "of format \"slice:prefix:name\"");
	refused("a:b:c:d", "of format \"slice:prefix:name\"");
	refused("/system.slice/docker-1.scope", "of format");
	refused("system:docker:1", "a slice's name ends in .slice");
	refused("a/b.slice:p:n", "invalid slice name");
	refused("a--b.slice:p:n", "empty component");
	refused("-a.slice:p:n", "empty component");
	refused("a-.slice:p:n", "empty component");
	refused(".slice:p:n", "invalid slice name");
	refused("system.slice:p/q:n", "no \"/\"");
	refused("system.slice:p:../n", "no \"/\"");
	refused("system.slice:p:-.slice", "the root slice cannot be a container's unit");
	assert_true(sc_oci_cgroup_is_systemd("system.slice:docker:1"));
	assert_false(sc_oci_cgroup_is_systemd("/docker/1"));
	assert_false(sc_oci_cgroup_is_systemd("docker/1"));
	assert_false(sc_oci_cgroup_is_systemd(""));
	assert_false(sc_oci_cgroup_is_systemd(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
