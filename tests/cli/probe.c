/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A static helper the run tests put into their busybox root filesystem:
 * each subcommand tries one thing a confined process must (or must not)
 * be able to do and prints "ok" or the errno's name, so a test compares
 * one word with what Docker printed for the same attempt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EROFS: return "EROFS";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case ENXIO: return "ENXIO";
	case ENODEV: return "ENODEV";
	case EEXIST: return "EEXIST";
	case ENOEXEC: return "ENOEXEC";
	case EFAULT: return "EFAULT";
	case ENOTDIR: return "ENOTDIR";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	static char buf[32];
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int report(long r)
{
	if (r < 0) {
		puts(errname(errno));
		return 1;
	}
	puts("ok");
	return 0;
}

static int do_open_by_handle(void)
{
	struct {
		struct file_handle fh;
		unsigned char data[MAX_HANDLE_SZ];
	} h;
	int mount_id;
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	/* the handle of / is what the shocker exploit starts from */
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0)
		return report(-1);
	return report(open_by_handle_at(AT_FDCWD, &h.fh, O_RDONLY));
}

static int do_mknod_block(const char *path)
{
	unlink(path);
	if (mknod(path, S_IFBLK | 0600, makedev(7, 0)) < 0) {
		printf("mknod ");
		return report(-1);
	}
	printf("mknod ok open ");
	return report(open(path, O_RDONLY));
}

static int do_zombies(int n)
{
	/*
	 * Orphans: a middle process forks n children and leaves at once, so
	 * they are reparented to pid 1 and end there; only a pid 1 that reaps
	 * clears them.
	 */
	pid_t mid = fork();
	if (mid == 0) {
		for (int i = 0; i < n; i++)
			if (fork() == 0) {
				usleep(100000);
				_exit(0);
			}
		_exit(0);
	}
	waitpid(mid, NULL, 0);
	sleep(1);
	int zombies = 0;
	for (int pid = 2; pid < 4096; pid++) {
		char path[64], buf[512];
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t k = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (k <= 0)
			continue;
		buf[k] = '\0';
		char *rp = strrchr(buf, ')');
		if (rp && rp[1] == ' ' && rp[2] == 'Z')
			zombies++;
	}
	printf("%d\n", zombies);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: probe WHAT\n");
		return 2;
	}
	const char *w = argv[1];
	if (!strcmp(w, "open_by_handle_at"))
		return do_open_by_handle();
	if (!strcmp(w, "mount"))
		return report(mount("none", "/mnt", "tmpfs", 0, NULL));
	if (!strcmp(w, "keyctl"))
		return report(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "probe"));
	if (!strcmp(w, "unshare_user"))
		return report(unshare(CLONE_NEWUSER));
	if (!strcmp(w, "init_module"))
		return report(syscall(SYS_init_module, "", 0UL, ""));
	if (!strcmp(w, "finit_module")) {
		int fd = open("/bin/busybox", O_RDONLY);
		return report(syscall(SYS_finit_module, fd, "", 0));
	}
	if (!strcmp(w, "sysrq")) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY);
		return report(fd);
	}
	if (!strcmp(w, "mknod_block"))
		return do_mknod_block(argc > 2 ? argv[2] : "/tmp/blk");
	if (!strcmp(w, "raw_socket"))
		return report(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	if (!strcmp(w, "chmod"))
		return report(chmod(argc > 2 ? argv[2] : "/", 0777));
	if (!strcmp(w, "euid")) {
		printf("%d\n", (int)geteuid());
		return 0;
	}
	if (!strcmp(w, "zombies"))
		return do_zombies(argc > 2 ? atoi(argv[2]) : 3);
	fprintf(stderr, "probe: unknown test %s\n", w);
	return 2;
}
