/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hold point: a sandbox started with a hold does all of its setup
 * (namespaces, mounts, user, working directory, stdio) and then waits,
 * just before its seccomp filter and execve, until some process releases
 * it.  That is the split an OCI runtime's create and start need; run
 * releases at once by not holding.
 *
 * The hold is a FIFO on the host.  The parent opens it read-write before
 * the clone and hands the fd to the child only, so the child is its only
 * reader: the child blocks reading one byte from it, and a release is
 * opening the FIFO for writing (which fails with ENXIO when no child holds
 * it: nothing waits there) and writing that byte.  Any process that may
 * open the path may release, as runc's exec.fifo allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

int sc_hold_create(const char *path, struct sc_error *err)
{
	if (mkfifo(path, 0600) < 0)
		return sc_error_errno(err, -errno, "%s: cannot create the hold point", path);
	return 0;
}

int sc_hold_open(const char *path, struct sc_error *err)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open the hold point", path);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return sc_error_set(err, -EINVAL, "%s: the hold point is not a FIFO", path);
	}
	return fd;
}

int sc_hold_wait(int fd, int *held_flag)
{
	__atomic_store_n(held_flag, 1, __ATOMIC_RELEASE);
	char b;
	ssize_t n;
	while ((n = read(fd, &b, 1)) < 0 && errno == EINTR)
		;
	close(fd);
	return n == 1 ? 0 : -EPIPE;
}

int sc_sandbox_release(const char *hold, struct sc_error *err)
{
	_cleanup_close_ int fd = open(hold, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO)
		return sc_error_set(err, -ESRCH, "%s: no sandbox is held there", hold);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open the hold point", hold);
	if (write(fd, "g", 1) != 1)
		return sc_error_errno(err, -errno, "%s: cannot release the sandbox", hold);
	return 0;
}
