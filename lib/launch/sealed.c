/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Commands that start processes inside a sandbox run from a sealed copy of
 * seclude's binary.  A process seclude starts in a sandbox is seclude until
 * its execve, and a script whose interpreter is /proc/self/exe (or a link
 * to it) makes that execve run seclude's binary again, inside the sandbox
 * and dumpable: the sandbox could then open /proc/PID/exe, the host's
 * file, and write it once no seclude runs it (runc's CVE-2019-5736).  runc
 * and crun answer by running from a copy in memory; so does seclude: the
 * command re-executes itself once from a memfd sealed against writing,
 * growing, shrinking and further sealing, and everything it starts has that
 * copy as /proc/self/exe.  A user who is not root running root's binary
 * needs no copy: nothing of theirs can write it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seclude/sandbox.h"
#include "seclude/util.h"

extern char **environ;

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int copy_all(int from, int to, off_t size)
{
	off_t off = 0;
	while (off < size) {
		ssize_t n = sendfile(to, from, &off, (size_t)(size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
	}
	return 0;
}

int sc_run_from_sealed_copy(char **argv, struct sc_error *err)
{
	_cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return sc_error_errno(err, -errno, "cannot open seclude's own binary");
	int seals = fcntl(self, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS)
		return 0;   /* this is the copy */
	struct stat st;
	if (fstat(self, &st) < 0)
		return sc_error_errno(err, -errno, "cannot stat seclude's own binary");
	/*
	 * A user who is not root, running root's binary that neither group nor
	 * others may write: no process the user starts (their uid, their
	 * subordinate ids) can write it, through /proc/PID/exe or otherwise.
	 */
	if (geteuid() != 0 && st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	_cleanup_close_ int copy = memfd_create("seclude", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return sc_error_errno(err, -errno, "cannot make a sealed copy of seclude's binary");
	int r = copy_all(self, copy, st.st_size);
	if (r < 0)
		return sc_error_errno(err, r, "cannot copy seclude's binary");
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0)
		return sc_error_errno(err, -errno, "cannot seal the copy of seclude's binary");
	syscall(SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
	return sc_error_errno(err, -errno, "cannot run from the sealed copy of seclude's binary");
}
