/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A static helper for tests/cli/escapes.bats, put into the busybox root
 * filesystem next to probe: each subcommand is one step of a known
 * container escape.  It prints "ok" when the step worked, else the
 * errno's name, and exits 0 only when it worked, so an attack script can
 * say `escape STEP && echo ESCAPED`.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int report(long r)
{
	if (r >= 0) {
		puts("ok");
		return 0;
	}
	const char *n = strerrorname_np(errno);
	printf("%s\n", n ? n : "E?");
	return 1;
}

/* Every descriptor above 2, "N:target" a line, or "none". */
static int list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return report(-1);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		char link[64], target[4096];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t k = readlink(link, target, sizeof(target) - 1);
		target[k > 0 ? k : 0] = '\0';
		printf("%d:%s\n", fd, target);
		n++;
	}
	closedir(d);
	if (!n)
		puts("none");
	return n ? 0 : 1;
}

/* Queue text (and a newline) as input of the terminal on fd: what the caller's shell reads next. */
static int inject(int fd, unsigned long cmd, const char *text)
{
	char nl = '\n';
	for (const char *p = text; *p; p++)
		if (syscall(SYS_ioctl, fd, cmd, p) < 0)
			return report(-1);
	return report(syscall(SYS_ioctl, fd, cmd, &nl));
}

static int ptrace_attach(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0)
		return report(-1);
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return report(0);
}

/* Any descriptor of pid taken with pidfd_getfd (what a helper holding host fds would give away). */
static int steal_fd(pid_t pid)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return report(-1);
	int first = 0;
	for (int fd = 0; fd < 64; fd++) {
		if (syscall(SYS_pidfd_getfd, pfd, fd, 0) >= 0)
			return report(0);
		if (!first && errno != EBADF)
			first = errno;
	}
	errno = first ? first : EBADF;
	return report(-1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: escape STEP [ARG...]\n");
		return 2;
	}
	const char *w = argv[1];
	const char *a = argc > 2 ? argv[2] : "";
	const char *b = argc > 3 ? argv[3] : "";
	if (!strcmp(w, "fds"))
		return list_fds();
	if (!strcmp(w, "tiocsti"))
		return inject(atoi(a), TIOCSTI, b);
	/* the kernel takes the request as an int: a filter comparing 64 bits misses it (CVE-2019-10063) */
	if (!strcmp(w, "tiocsti-high"))
		return inject(atoi(a), 0x100000000UL | TIOCSTI, b);
	if (!strcmp(w, "tioclinux")) {
		char sub = 6;   /* TIOCL_GETSHIFTSTATE: harmless, but the request is what is refused */
		return report(ioctl(atoi(a), TIOCLINUX, &sub));
	}
	if (!strcmp(w, "ctty"))
		return report(open("/dev/tty", O_RDWR | O_NOCTTY));
	if (!strcmp(w, "ptrace"))
		return ptrace_attach(atoi(a));
	if (!strcmp(w, "getfd"))
		return steal_fd(atoi(a));
	if (!strcmp(w, "open-write"))
		return report(open(a, O_WRONLY | O_NOCTTY));
	if (!strcmp(w, "readlink")) {
		char t[4096];
		ssize_t k = readlink(a, t, sizeof(t) - 1);
		if (k >= 0)
			printf("%.*s\n", (int)k, t);
		return report(k);
	}
	if (!strcmp(w, "mount-tmpfs"))
		return report(mount("none", a, "tmpfs", 0, NULL));
	if (!strcmp(w, "mount-cgroup"))
		return report(mount("cgroup", a, "cgroup", 0, "rdma"));
	if (!strcmp(w, "umount"))
		return report(umount2(a, MNT_DETACH));
	if (!strcmp(w, "pivot_root"))
		return report(syscall(SYS_pivot_root, ".", "."));
	if (!strcmp(w, "open_tree"))
		return report(syscall(SYS_open_tree, AT_FDCWD, a, OPEN_TREE_CLONE));
	if (!strcmp(w, "keyctl"))
		return report(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "escape"));
	if (!strcmp(w, "unshare-mount"))
		return report(unshare(CLONE_NEWNS));
	fprintf(stderr, "escape: unknown step %s\n", w);
	return 2;
}
