/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_TESTLIB_H
#define SECLUDE_TESTLIB_H

#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "seclude/sandbox.h"

/*
 * A sandbox without a rootfs sees the host's tree with a private /tmp, so a
 * test binary that runs itself inside one must be bound in when the build
 * directory lives under /tmp (as in a fresh clone there).
 */
static inline struct sc_mount sc_test_self_dir_mount(void)
{
	static char dir[PATH_MAX];
	if (!dir[0]) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		strcpy(dir, dirname(exe));
	}
	return (struct sc_mount){ .kind = SC_MOUNT_BIND, .source = dir, .target = dir, .readonly = true };
}

#endif
