/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cgroup v2 leaf for one process tree, below the cgroup the process is
 * in now: what a recorder selects a tree by.  It lives in the cgroup2
 * mount, the unified one on a hybrid host too, and needs no controller.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_fs.h"
#include "seclude/util.h"

/* Where cgroup2 is mounted (the first one in our mount namespace). */
static int cgroup2_mount(char *buf, size_t len, struct sc_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return sc_error_errno(err, -errno, "/proc/self/mountinfo: cannot open");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		char root[4096], mnt[4096];
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 || strcmp(root, "/"))
			continue;
		if (strlen(mnt) >= len)
			continue;
		strcpy(buf, mnt);
		return 0;
	}
	return sc_error_set(err, -ENOENT, "no cgroup2 file system is mounted (the eBPF recorder selects the traced tree by its cgroup v2)");
}

/* The v2 path of pid ("0::/a/b" in /proc/PID/cgroup). */
static int cgroup2_path_of(pid_t pid, char *buf, size_t len, struct sc_error *err)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)pid);
	_cleanup_fclose_ FILE *f = fopen(p, "re");
	if (!f)
		return sc_error_errno(err, -errno, "%s: cannot open", p);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line + 3) >= len)
			return sc_error_set(err, -ENAMETOOLONG, "%s: path too long", p);
		strcpy(buf, line + 3);
		return 0;
	}
	return sc_error_set(err, -ENOENT, "%s: the process is in no cgroup v2", p);
}

/* Search the v2 tree for the cgroup with this id; the depth is the level. */
static int find_level(const char *dir, uint64_t cgid, unsigned depth, unsigned *level)
{
	struct stat st;
	if (stat(dir, &st) == 0 && (uint64_t)st.st_ino == cgid) {
		*level = depth;
		return 0;
	}
	if (depth > 32)
		return -ENOENT;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -ENOMEM;
	}
	int r = -ENOENT;
	struct dirent *de;
	while (r < 0 && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *sub = NULL;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			break;
		r = find_level(sub, cgid, depth + 1, level);
	}
	closedir(d);
	return r;
}

int sc_cgroup_v2_level(uint64_t cgid, unsigned *level, struct sc_error *err)
{
	char mnt[4096];
	int r = cgroup2_mount(mnt, sizeof(mnt), err);
	if (r < 0)
		return r;
	if (find_level(mnt, cgid, 0, level) < 0)
		return sc_error_set(err, -ENOENT, "no cgroup v2 with id %llu below %s",
				    (unsigned long long)cgid, mnt);
	return 0;
}

/* Leaves whose owner was killed before it could clean up: empty ones go. */
static void remove_stale_leaves(const char *parent, const char *prefix)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	size_t plen = strlen(prefix);
	struct dirent *de;
	while ((de = readdir(d))) {
		int owner;
		unsigned n;
		if (strncmp(de->d_name, prefix, plen) || de->d_name[plen] != '.' ||
		    sscanf(de->d_name + plen + 1, "%d.%u", &owner, &n) != 2)
			continue;
		if (owner <= 0 || (kill(owner, 0) < 0 && errno == ESRCH)) {
			_cleanup_free_ char *path = NULL;
			if (asprintf(&path, "%s/%s", parent, de->d_name) >= 0)
				rmdir(path);
		}
	}
	closedir(d);
}

int sc_cgroup_v2_leaf(pid_t pid, const char *prefix, struct sc_cgroup **out, uint64_t *id,
		      struct sc_error *err)
{
	char mnt[4096], rel[4096];
	int r = cgroup2_mount(mnt, sizeof(mnt), err);
	if (r < 0)
		return r;
	r = cgroup2_path_of(pid, rel, sizeof(rel), err);
	if (r < 0)
		return r;
	_cleanup_free_ char *parent = NULL, *path = NULL;
	if (asprintf(&parent, "%s%s", mnt, rel) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	remove_stale_leaves(parent, prefix);
	static unsigned counter;
	if (asprintf(&path, "%s%s%s%s.%d.%u", mnt, rel, rel[strlen(rel) - 1] == '/' ? "" : "/",
		     prefix, (int)getpid(), counter++) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (mkdir(path, 0755) < 0)
		return sc_error_errno(err, -errno, "%s: cannot create the recording cgroup", path);
	struct sc_cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg) {
		rmdir(path);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	cg->version = SC_CGROUP_V2;
	cg->dir = TAKE_PTR(path);
	/* A cgroup's id is its kernfs inode number on 64-bit kernels. */
	struct stat st;
	if (stat(cg->dir, &st) < 0)
		r = sc_error_errno(err, -errno, "%s: cannot stat", cg->dir);
	else
		r = sc_cgroup_attach(cg, pid, err);
	if (r < 0) {
		rmdir(cg->dir);
		sc_cgroup_free(cg);
		return r;
	}
	*id = (uint64_t)st.st_ino;
	*out = cg;
	return 0;
}

int sc_cgroup_wait_empty(const struct sc_cgroup *cg, int timeout_ms, struct sc_error *err)
{
	if (cg->version != SC_CGROUP_V2) {
		/* v1 has no event to wait on: look every 10 ms */
		for (long waited = 0; sc_cgroup_is_populated(cg); waited += 10) {
			if (timeout_ms >= 0 && waited >= timeout_ms)
				return sc_error_set(err, -ETIMEDOUT, "the cgroup still has processes");
			sc_cgfs_sleep_ms(10);
		}
		return 0;
	}
	_cleanup_free_ char *events = sc_cgfs_join(cg->dir, "cgroup.events", NULL);
	if (!events)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = open(events, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", events);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		uint64_t populated;
		if (sc_cgfs_read_key(cg->dir, "cgroup.events", "populated", &populated) < 0)
			return sc_error_set(err, -EIO, "%s: no \"populated\" line", events);
		if (!populated)
			return 0;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (timeout_ms >= 0 && waited >= timeout_ms)
			return sc_error_set(err, -ETIMEDOUT, "%s: still populated after %d ms", cg->dir, timeout_ms);
		/* kernfs wakes POLLPRI on a change of cgroup.events; the timeout is a safety net. */
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		char buf[128];
		if (lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof(buf)) < 0)
			return sc_error_errno(err, -errno, "%s: cannot read", events);
		poll(&pfd, 1, 100);
	}
}
