/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sandbox's file system, set up in its own mount namespace before
 * pivot_root: the layout runc gives a Docker container.
 *
 * Device nodes are stopped as Docker stops them, by the sandbox's cgroup
 * (devices_cgroup): the rootfs and /dev are then mounted without nodev and
 * a block device made with mknod fails to open with EPERM.  Without such a
 * cgroup every writable mount is nodev (EACCES), so the sandbox is never
 * less confined.  The allowed devices are bind mounts of the host's nodes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/cgroup.h"
#include "seclude/util.h"

static int mount_err(struct sc_error *err, const char *what, const char *target)
{
	return sc_error_errno(err, -errno, "cannot mount %s on %s", what, target);
}

/* A bind remount keeps the flags the kernel locked (in a user namespace it must). */
static int remount_bind(const char *path, unsigned long add, struct sc_error *err)
{
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return sc_error_errno(err, -errno, "cannot stat %s", path);
	unsigned long fl = 0;
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(map); i++)
		if (sv.f_flag & map[i].st)
			fl |= map[i].ms;
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | fl | add, NULL) < 0)
		return sc_error_errno(err, -errno, "cannot remount %s", path);
	return 0;
}

/* The working directory becomes the new root: pivot_root(".", ".") stacks the old one under it. */
static int pivot_here(const char *what, struct sc_error *err)
{
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return sc_error_errno(err, -errno, "pivot_root into %s", what);
	if (umount2(".", MNT_DETACH) < 0)
		return sc_error_errno(err, -errno, "cannot detach the old root");
	if (chdir("/") < 0)
		return sc_error_errno(err, -errno, "cannot enter the new root");
	return 0;
}

/* Whether two fds name the same directory of the same mount. */
static bool same_place(int a, int b)
{
	struct statx sa, sb;
	if (statx(a, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sa) < 0 ||
	    statx(b, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sb) < 0)
		return false;
	return sa.stx_mnt_id == sb.stx_mnt_id && sa.stx_ino == sb.stx_ino &&
	       sa.stx_dev_major == sb.stx_dev_major && sa.stx_dev_minor == sb.stx_dev_minor;
}

/*
 * The tmpfs layers laid by lay_tmpfs: writable while mount points are
 * made in them, read-only once the volumes are in place (seal_layers).
 */
static int *layers;
static size_t n_layers;

/* One entry of the directory below the layer, shown in the layer as it was. */
static int show_entry(int lower, int top, const char *name, struct sc_error *err)
{
	struct stat st;
	if (fstatat(lower, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : sc_error_errno(err, -errno, "cannot stat %s", name);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(lower, name, target, sizeof(target) - 1);
		if (n < 0)
			return sc_error_errno(err, -errno, "cannot read the link %s", name);
		target[n] = '\0';
		if (symlinkat(target, top, name) < 0)
			return sc_error_errno(err, -errno, "cannot copy the link %s", name);
		fchownat(top, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);   /* cosmetic */
		return 0;
	}
	int r = S_ISDIR(st.st_mode) ? mkdirat(top, name, 0755) : mknodat(top, name, S_IFREG | 0644, 0);
	if (r < 0)
		return sc_error_errno(err, -errno, "cannot make a mount point for %s", name);
	/* recursive: what is mounted below the entry (and locked there) comes along */
	_cleanup_close_ int tree = open_tree(lower, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					     AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);
	if (tree < 0 || move_mount(tree, "", top, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return sc_error_errno(err, -errno, "cannot show %s on the new layer", name);
	return 0;
}

static int show_entries(int lower, int top, struct sc_error *err)
{
	int dfd = openat(lower, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return sc_error_errno(err, -errno, "cannot list the directory below the new layer");
	}
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			r = show_entry(lower, top, e->d_name, err);
	closedir(d);
	return r;
}

/*
 * A mount point the tree cannot hold (it is read-only: the host's tree,
 * or a rootfs on a read-only disk) is made on a tmpfs laid over its
 * nearest existing parent dir, as bubblewrap makes room on its tmpfs
 * root.  The layer first shows everything dir held, each entry bound from
 * below with its submounts and links copied, so nothing is hidden and
 * nothing is written below.  A layer over the sandbox's root stands in
 * for it from then on: rootfd names the layer (over the host's own root,
 * setup_host_tree then makes it the root).
 * Returns an O_PATH fd of the layer's root in *out.
 */
static int lay_tmpfs(int rootfd, int dir, int *out, struct sc_error *err)
{
	struct stat st;
	if (fstat(dir, &st) < 0)
		return sc_error_errno(err, -errno, "cannot stat a mount point's parent");
	char mode[16];
	snprintf(mode, sizeof(mode), "%o", (unsigned)(st.st_mode & 07777));
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "mode", mode, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return sc_error_errno(err, -errno, "cannot make a tmpfs for new mount points");
	_cleanup_close_ int top = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (top < 0)
		return sc_error_errno(err, -errno, "cannot make a tmpfs for new mount points");
	fchownat(top, "", st.st_uid, st.st_gid, AT_EMPTY_PATH);   /* fails for an unmapped owner: it stays nobody */
	_cleanup_close_ int lower = openat(dir, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lower < 0 || move_mount(top, "", dir, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return sc_error_errno(err, -errno, "cannot lay a tmpfs for new mount points");
	int r = show_entries(lower, top, err);
	if (r < 0)
		return r;
	if (same_place(dir, rootfd) && dup3(top, rootfd, O_CLOEXEC) < 0)
		return sc_error_errno(err, -errno, "cannot hold the new root");
	int *nv = realloc(layers, (n_layers + 1) * sizeof(*nv));
	int keep = nv ? fcntl(top, F_DUPFD_CLOEXEC, 3) : -1;
	if (keep < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	layers = nv;
	layers[n_layers++] = keep;
	*out = TAKE_FD(top);
	return 0;
}

/* The layers become read-only like the tree they lie on (their volumes keep their own flags). */
static int seal_layers(struct sc_error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int r = 0;
	for (size_t i = 0; i < n_layers; i++) {
		if (r == 0 && syscall(SYS_mount_setattr, layers[i], "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			r = sc_error_errno(err, -errno, "cannot make a layer of mount points read-only");
		close(layers[i]);
	}
	free(layers);
	layers = NULL;
	n_layers = 0;
	return r;
}

/* Make comp in dirfd (a directory, or an empty file for a file volume). */
static int make_one(int rootfd, int *dirfd, const char *comp, bool want_dir, enum make how,
		    struct sc_error *err)
{
	for (int tries = 0;; tries++) {
		int r;
		if (want_dir) {
			r = mkdirat(*dirfd, comp, 0755);
		} else {
			/* the mount point for a file volume: an empty file */
			r = openat(*dirfd, comp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
			if (r >= 0)
				close(r), r = 0;
		}
		if (r == 0 || errno == EEXIST)
			return 0;
		if (errno != EROFS || how != MAKE_ROOM || tries)
			return -errno;
		int top = -1;
		r = lay_tmpfs(rootfd, *dirfd, &top, err);
		if (r < 0)
			return r;
		close(*dirfd);
		*dirfd = top;
	}
}

/*
 * Open path inside root without ever leaving it (symlinks in the rootfs
 * resolve against the rootfs, as runc's securejoin does), creating what
 * is missing when asked: directories, and the last component as a
 * directory or an empty file.  Returns an O_PATH fd to mount on through
 * /proc/self/fd.
 */
int sc_open_in_root(int rootfd, const char *path, bool last_is_dir, enum make how,
		    int *out, struct sc_error *err)
{
	struct open_how oh = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &oh, sizeof(oh));
	if (fd >= 0 || errno != ENOENT || how == MAKE_NOTHING) {
		if (fd < 0)
			return sc_error_errno(err, -errno, "cannot open %s in the sandbox", path);
		*out = fd;
		return 0;
	}

	/*
	 * Each prefix resolves from the root, so that a link on the way
	 * (absolute or full of "..") means what it means inside, never more.
	 */
	_cleanup_free_ char *prefix = strdup(path);
	if (!prefix)
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t len = strlen(path), end = 0;
	for (;;) {
		while (end < len && path[end] == '/')
			end++;
		if (end == len)
			break;
		size_t start = end;
		while (end < len && path[end] != '/')
			end++;
		memcpy(prefix, path, end);
		prefix[end] = '\0';
		_cleanup_close_ int fd2 = (int)syscall(SYS_openat2, rootfd, prefix, &oh, sizeof(oh));
		if (fd2 >= 0 || errno != ENOENT)
			continue;
		prefix[start] = '\0';
		_cleanup_close_ int parent = (int)syscall(SYS_openat2, rootfd, start ? prefix : "/", &oh, sizeof(oh));
		if (parent < 0)
			return sc_error_errno(err, -errno, "cannot open %s in the sandbox", path);
		struct sc_error tmp = {0};
		bool more = path[strspn(path + end, "/") + end] != '\0';
		prefix[start] = path[start];
		int r = make_one(rootfd, &parent, prefix + start, more || last_is_dir, how, &tmp);
		if (r < 0) {
			if (tmp.msg[0])
				*err = tmp;
			else
				sc_error_errno(err, r, "cannot create %s in the sandbox", path);
			return r;
		}
	}
	fd = (int)syscall(SYS_openat2, rootfd, path, &oh, sizeof(oh));
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot open %s in the sandbox", path);
	*out = fd;
	return 0;
}

static int mount_at(int rootfd, const char *target, bool dir, const char *source,
		    const char *fstype, unsigned long flags, const char *data,
		    struct sc_error *err)
{
	_cleanup_close_ int fd = -1;
	int r = sc_open_in_root(rootfd, target, dir, MAKE_MISSING, &fd, err);
	if (r < 0)
		return r;
	char at[64];
	snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
	if (mount(source, at, fstype, flags, data) < 0)
		return mount_err(err, fstype ? fstype : source, target);
	return 0;
}

static const char *const docker_devices[] = { "null", "zero", "full", "random", "urandom", "tty", NULL };

/*
 * A device bound from the host's /dev carries that mount's flags, which
 * are read-only and nodev without a rootfs: the node itself must work.
 */
static int make_usable(int rootfd, const char *path, struct sc_error *err)
{
	_cleanup_close_ int fd = -1;
	int r = sc_open_in_root(rootfd, path, false, MAKE_NOTHING, &fd, err);
	if (r < 0)
		return r;
	struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV };
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return sc_error_errno(err, -errno, "cannot make %s usable", path);
	return 0;
}

static int setup_dev_mounts(int rootfd, const char *root, const struct sc_sandbox_config *c,
			    bool in_userns, struct sc_error *err);

/* null, zero, full, random, urandom and tty as character nodes, 0666, as runc makes them. */
static int make_device_nodes(int rootfd, struct sc_error *err)
{
	static const struct { unsigned maj, min; } num[] = { { 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 } };
	_Static_assert(SC_ARRAY_SIZE(num) + 1 == SC_ARRAY_SIZE(docker_devices), "one number per device");
	_cleanup_close_ int dev = -1;
	int r = sc_open_in_root(rootfd, "/dev", true, MAKE_NOTHING, &dev, err);
	if (r < 0)
		return r;
	_cleanup_close_ int dfd = openat(dev, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return sc_error_errno(err, -errno, "cannot open the sandbox's /dev");
	for (size_t i = 0; i < SC_ARRAY_SIZE(num); i++) {
		if (mknodat(dfd, docker_devices[i], S_IFCHR | 0666, makedev(num[i].maj, num[i].min)) < 0 ||
		    fchmodat(dfd, docker_devices[i], 0666, 0) < 0)
			return sc_error_errno(err, -errno, "cannot make /dev/%s", docker_devices[i]);
	}
	return 0;
}

static int setup_dev(int rootfd, const char *root, const struct sc_sandbox_config *c,
		     bool in_userns, int tty_slave, struct sc_error *err)
{
	int r;
	if (c->privileged) {
		/*
		 * every device of the host, as Docker gives: the nodes usable (not
		 * nodev), the host's /dev itself still read-only (no mknod or rm there)
		 */
		r = mount_at(rootfd, "/dev", true, "/dev", NULL, MS_BIND | MS_REC, NULL, err);
		if (r < 0 || c->rootfs)
			return r;
		_cleanup_close_ int fd = -1;
		r = sc_open_in_root(rootfd, "/dev", true, MAKE_NOTHING, &fd, err);
		if (r < 0)
			return r;
		struct mount_attr attr = { .attr_clr = MOUNT_ATTR_NODEV };
		if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
			return sc_error_errno(err, -errno, "cannot make the sandbox's /dev usable");
		return 0;
	}

	/*
	 * With the device list in the cgroup, the nodes are made with mknod
	 * as runc makes them (Docker's /dev holds nodes, not mounts).  A user
	 * namespace cannot make nodes, and without the list /dev is nodev:
	 * then the host's nodes are bound in, opened before the tmpfs hides
	 * them (without a rootfs the sandbox's /dev is the host's /dev).  The
	 * terminal is always bound, by its name, since a bind needs a source
	 * in this mount namespace.
	 */
	bool make_nodes = c->devices_cgroup && !in_userns;
	int src[SC_ARRAY_SIZE(docker_devices)];
	size_t n_src = 0;
	int console = -1;
	/*
	 * Each as a detached copy of the host's mount, made usable before it
	 * is placed: the same mount a bind makes, in a third of the calls.
	 */
	struct mount_attr usable = { .attr_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV };
	for (const char *const *d = docker_devices; !make_nodes && *d; d++) {
		char host[64];
		snprintf(host, sizeof(host), "/dev/%s", *d);
		if ((src[n_src] = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0) {
			r = sc_error_errno(err, -errno, "cannot open the host's %s", host);
			goto out;
		}
		n_src++;
		if (syscall(SYS_mount_setattr, src[n_src - 1], "", AT_EMPTY_PATH, &usable, sizeof(usable)) < 0) {
			r = sc_error_errno(err, -errno, "cannot make %s usable", host);
			goto out;
		}
	}
	if (tty_slave >= 0) {
		char link[64], name[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", tty_slave);
		ssize_t k = readlink(link, name, sizeof(name) - 1);
		if (k > 0)
			name[k] = '\0';
		if (k <= 0 || (console = open(name, O_PATH | O_CLOEXEC)) < 0) {
			r = sc_error_errno(err, -errno, "cannot open the sandbox's terminal");
			goto out;
		}
	}

	r = mount_at(rootfd, "/dev", true, "tmpfs", "tmpfs",
		     MS_NOSUID | (c->devices_cgroup ? 0 : MS_NODEV) | MS_STRICTATIME,
		     "mode=755,size=65536k", err);
	if (r < 0)
		goto out;
	if (make_nodes && (r = make_device_nodes(rootfd, err)) < 0)
		goto out;
	if (n_src) {
		/* the tmpfs just made: nothing but seclude has been in it */
		_cleanup_close_ int dev = -1;
		r = sc_open_in_root(rootfd, "/dev", true, MAKE_NOTHING, &dev, err);
		if (r < 0)
			goto out;
		for (size_t i = 0; i < n_src; i++) {
			int f = openat(dev, docker_devices[i], O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (f < 0) {
				r = sc_error_errno(err, -errno, "cannot create /dev/%s in the sandbox", docker_devices[i]);
				goto out;
			}
			close(f);
			if (move_mount(src[i], "", dev, docker_devices[i], MOVE_MOUNT_F_EMPTY_PATH) < 0) {
				r = sc_error_errno(err, -errno, "cannot mount /dev/%s in the sandbox", docker_devices[i]);
				goto out;
			}
		}
	}
	if (console >= 0) {
		char at[64];
		snprintf(at, sizeof(at), "/proc/self/fd/%d", console);
		r = mount_at(rootfd, "/dev/console", false, at, NULL, MS_BIND, NULL, err);
		if (r == 0)
			r = make_usable(rootfd, "/dev/console", err);
		if (r < 0)
			goto out;
	}
	r = setup_dev_mounts(rootfd, root, c, in_userns, err);
out:
	for (size_t i = 0; i < n_src; i++)
		close(src[i]);
	if (console >= 0)
		close(console);
	return r;
}

/* Whether gid g is mapped in the sandbox's user namespace; true when its maps are not known here. */
static bool gid_mapped(const struct sc_sandbox_config *c, uint32_t g)
{
	for (size_t i = 0; i < c->n_gid_map; i++)
		if (g >= c->gid_map[i].inside && g - c->gid_map[i].inside < c->gid_map[i].count)
			return true;
	return c->n_gid_map == 0;
}

static int setup_dev_mounts(int rootfd, const char *root, const struct sc_sandbox_config *c,
			    bool in_userns, struct sc_error *err)
{
	int r = -EINVAL;
	char devdir[PATH_MAX];
	snprintf(devdir, sizeof(devdir), "%s/dev", strcmp(root, "/") ? root : "");
	_cleanup_close_ int devfd = open(devdir, O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (devfd < 0)
		return sc_error_errno(err, -errno, "cannot open the sandbox's /dev");
	/* each mount point made in the tmpfs just mounted: mount_at then finds it at once */
	(void)mkdirat(devfd, "pts", 0755);
	/* a refused devpts mount costs a superblock made and torn down: skip what cannot work */
	if (!in_userns || gid_mapped(c, 5))
		r = mount_at(rootfd, "/dev/pts", true, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
			     "newinstance,ptmxmode=0666,mode=0620,gid=5", err);
	if (r < 0 && in_userns) /* gid 5 may not be mapped */
		r = mount_at(rootfd, "/dev/pts", true, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
			     "newinstance,ptmxmode=0666,mode=0620", err);
	if (r < 0)
		return r;
	/* a /dev/shm of the caller's (an engine's --shm-size tmpfs, --ipc host's bind) replaces this one */
	bool own_shm = true;
	for (size_t i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].target && strcmp(c->mounts[i].target, "/dev/shm") == 0)
			own_shm = false;
	if (own_shm) {
		(void)mkdirat(devfd, "shm", 0755);
		r = mount_at(rootfd, "/dev/shm", true, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			     "mode=1777,size=65536k", err);
		if (r < 0)
			return r;
	}
	/* the host's IPC namespace: its queues, as runc mounts them under --ipc host */
	if ((c->namespaces & SC_NS_IPC) || !in_userns) {
		(void)mkdirat(devfd, "mqueue", 0755);
		r = mount_at(rootfd, "/dev/mqueue", true, "mqueue", "mqueue",
			     MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err);
		if (r < 0)
			return r;
	}
	static const struct { const char *from, *to; } links[] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(links); i++)
		if (symlinkat(links[i].from, devfd, links[i].to) < 0 && errno != EEXIST)
			return sc_error_errno(err, -errno, "cannot create /dev/%s", links[i].to);
	return 0;
}

static int setup_sys(int rootfd, const struct sc_sandbox_config *c, struct sc_error *err)
{
	unsigned long fl = MS_NOSUID | MS_NODEV | MS_NOEXEC | (c->privileged ? 0 : MS_RDONLY);
	struct sc_error tmp = {0};
	int r = mount_at(rootfd, "/sys", true, "sysfs", "sysfs", fl, NULL, &tmp);
	if (r == 0 || (r != -EPERM && r != -EBUSY))
		return r < 0 ? (*err = tmp, r) : 0;
	/*
	 * A sysfs of the host's network namespace cannot be mounted again with
	 * other flags (EBUSY), nor from a user namespace (EPERM): bind the host's.
	 */
	_cleanup_close_ int fd = -1;
	r = sc_open_in_root(rootfd, "/sys", true, MAKE_MISSING, &fd, err);
	if (r < 0)
		return r;
	char at[64];
	snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
	if (mount("/sys", at, NULL, MS_BIND | MS_REC, NULL) < 0)
		return mount_err(err, "/sys", "/sys");
	if (c->privileged)
		return 0;
	/*
	 * The new mount, found again by path (fd names the directory below
	 * it), read-only with everything under it, as runc binds /sys rootless.
	 */
	_cleanup_close_ int mfd = -1;
	r = sc_open_in_root(rootfd, "/sys", true, MAKE_NOTHING, &mfd, err);
	if (r < 0)
		return r;
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					       MOUNT_ATTR_NOEXEC };
	if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return sc_error_errno(err, -errno, "cannot make /sys read-only");
	return 0;
}

/*
 * Volume sources, opened before anything is mounted: a source under /tmp or
 * /run of the host would be hidden by the sandbox's own scratch space.
 * Indexed like c->mounts; a negative errno where the open failed.
 */
static int *volume_fds;

static void open_volume_sources(const struct sc_sandbox_config *c)
{
	volume_fds = calloc(c->n_mounts ? c->n_mounts : 1, sizeof(*volume_fds));
	for (size_t i = 0; volume_fds && i < c->n_mounts; i++) {
		const struct sc_mount *m = &c->mounts[i];
		if (m->kind != SC_MOUNT_BIND && !(m->kind == SC_MOUNT_OCI && !m->fstype))
			volume_fds[i] = -EINVAL;
		else if (c->mount_trees && c->mount_trees[i] >= 0)
			volume_fds[i] = -EBADF;   /* its tree is moved instead */
		else if (!m->source)
			volume_fds[i] = -ENOENT;
		else if ((volume_fds[i] = open(m->source, O_PATH | O_CLOEXEC)) < 0)
			volume_fds[i] = -errno;
	}
}

/*
 * Each is a door to the host's tree (and to its writable mount, whatever
 * :ro says): none may be open once the volumes are mounted, least of all
 * at the chdir to the working directory (CVE-2024-21626, runc).
 */
static void close_volume_sources(const struct sc_sandbox_config *c)
{
	for (size_t i = 0; volume_fds && i < c->n_mounts; i++)
		if (volume_fds[i] >= 0)
			close(volume_fds[i]);
	free(volume_fds);
	volume_fds = NULL;
}

/* MS_* flags that mount_setattr can set on a mount, as its attributes. */
static uint64_t mount_attrs(unsigned long fl)
{
	uint64_t a = 0;
	if (fl & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (fl & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (fl & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (fl & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (fl & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	if (fl & MS_NOSYMFOLLOW)
		a |= MOUNT_ATTR_NOSYMFOLLOW;
	return a;
}

/*
 * A config.json mount (SC_MOUNT_OCI), as runc's mountToRootfs makes it:
 * the destination resolved inside the root (a link on the way means what
 * it means inside, never the host's); a bind of the source opened
 * before (or its detached tree moved there: tree, an id-mapped mount), or
 * fstype with its flags and data; a bind's own flags applied
 * to the new mount (runc remounts it); the propagation changes in order;
 * the recursive attributes (rro, rnosuid ...) last.
 */
static int mount_oci(int rootfd, const struct sc_mount *m, int srcfd, bool tree, struct sc_error *err)
{
	bool bind = !m->fstype;
	bool dir = true;
	if (bind) {
		struct stat st;
		if (srcfd < 0 || fstat(srcfd, &st) < 0)
			return sc_error_errno(err, srcfd < 0 ? srcfd : -errno, "mount source %s",
					      m->source ? m->source : "(none)");
		dir = S_ISDIR(st.st_mode);
	}
	_cleanup_close_ int fd = -1;
	int r = sc_open_in_root(rootfd, m->target, dir, MAKE_ROOM, &fd, err);
	if (r < 0)
		return r;
	char at[64], from[64];
	snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
	const unsigned long prop = MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE;
	if (tree) {
		if (move_mount(srcfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return mount_err(err, m->source, m->target);
	} else if (bind) {
		snprintf(from, sizeof(from), "/proc/self/fd/%d", srcfd);
		if (mount(from, at, NULL, MS_BIND | (m->flags & MS_REC), NULL) < 0)
			return mount_err(err, m->source, m->target);
	} else if (mount(m->source ? m->source : m->fstype, at, m->fstype, m->flags & ~(prop | MS_REC),
			 m->options) < 0) {
		return mount_err(err, m->fstype, m->target);
	}
	_cleanup_close_ int mfd = -1;
	if ((r = sc_open_in_root(rootfd, m->target, dir, MAKE_NOTHING, &mfd, err)) < 0)
		return r;
	if (bind) {
		/* a bind copies its source mount's flags: the ones asked for, and writable unless ro */
		struct statvfs sv;
		struct mount_attr attr = { .attr_set = mount_attrs(m->flags) };
		if (!(m->flags & MS_RDONLY) && fstatvfs(mfd, &sv) == 0 && (sv.f_flag & ST_RDONLY))
			attr.attr_clr |= MOUNT_ATTR_RDONLY;
		if ((m->flags & MS_NOATIME) || (m->flags & MS_STRICTATIME) || (m->flags & MS_RELATIME)) {
			attr.attr_clr |= MOUNT_ATTR__ATIME;
			attr.attr_set |= (m->flags & MS_NOATIME) ? MOUNT_ATTR_NOATIME :
					 (m->flags & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME;
		}
		if ((attr.attr_set || attr.attr_clr) &&
		    syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			return sc_error_errno(err, -errno, "cannot remount %s with its options", m->target);
	}
	snprintf(at, sizeof(at), "/proc/self/fd/%d", mfd);
	for (size_t k = 0; k < SC_MOUNT_MAX_PROPAGATION && m->propagation[k]; k++)
		if (mount(NULL, at, NULL, m->propagation[k], NULL) < 0)
			return sc_error_errno(err, -errno, "cannot change the propagation of %s", m->target);
	if (m->attr_set || m->attr_clr) {
		struct mount_attr attr = { .attr_set = m->attr_set, .attr_clr = m->attr_clr };
		if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
			return sc_error_errno(err, -errno, "cannot set the recursive attributes of %s", m->target);
	}
	return 0;
}

static int setup_user_mounts(int rootfd, const struct sc_sandbox_config *c, struct sc_error *err)
{
	if (!volume_fds)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct sc_mount *m = &c->mounts[i];
		int r;
		if (m->kind == SC_MOUNT_MASK || m->kind == SC_MOUNT_READONLY)
			continue;   /* after every mount: mask_paths */
		if (!m->target || m->target[0] != '/')
			return sc_error_set(err, -EINVAL, "mount target \"%s\" is not an absolute path",
					    m->target ? m->target : "");
		if (m->kind == SC_MOUNT_OCI) {
			int tree = c->mount_trees ? c->mount_trees[i] : -1;
			if ((r = mount_oci(rootfd, m, tree >= 0 ? tree : volume_fds[i], tree >= 0, err)) < 0)
				return r;
			continue;
		}
		if (m->kind == SC_MOUNT_TMPFS) {
			_cleanup_close_ int fd = -1;
			r = sc_open_in_root(rootfd, m->target, true, MAKE_ROOM, &fd, err);
			if (r < 0)
				return r;
			char at[64];
			snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
			if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC |
				  (m->readonly ? MS_RDONLY : 0), m->options) < 0)
				return mount_err(err, "tmpfs", m->target);
			continue;
		}
		struct stat st;
		if (volume_fds[i] < 0 || fstat(volume_fds[i], &st) < 0)
			return sc_error_errno(err, volume_fds[i] < 0 ? volume_fds[i] : -errno,
					      "volume source %s", m->source ? m->source : "(none)");
		_cleanup_close_ int fd = -1;
		r = sc_open_in_root(rootfd, m->target, S_ISDIR(st.st_mode), MAKE_ROOM, &fd, err);
		if (r < 0)
			return r;
		char at[64], from[64];
		snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
		snprintf(from, sizeof(from), "/proc/self/fd/%d", volume_fds[i]);
		if (mount(from, at, NULL, MS_BIND | MS_REC, NULL) < 0)
			return mount_err(err, m->source, m->target);
		/*
		 * reopen: the fd still names the directory under the new mount.
		 * A bind copies its source mount's flags, and the host's tree is
		 * read-only here by now: a read-write volume is made writable.
		 */
		_cleanup_close_ int mfd = -1;
		r = sc_open_in_root(rootfd, m->target, S_ISDIR(st.st_mode), MAKE_NOTHING, &mfd, err);
		if (r < 0)
			return r;
		struct mount_attr attr = m->readonly ? (struct mount_attr){ .attr_set = MOUNT_ATTR_RDONLY }
						     : (struct mount_attr){ .attr_clr = MOUNT_ATTR_RDONLY };
		if (syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | AT_RECURSIVE,
			    &attr, sizeof(attr)) < 0)
			return sc_error_errno(err, -errno, "cannot make %s %s", m->target,
					      m->readonly ? "read-only" : "writable");
	}
	/*
	 * Docker makes a missing working directory; the host's read-only
	 * tree gets it on a layer, after the volumes it may lie in.
	 */
	if (!c->rootfs && c->workdir && !c->workdir_optional) {
		_cleanup_close_ int fd = -1;
		struct sc_error tmp = {0};
		int r = sc_open_in_root(rootfd, c->workdir, true, MAKE_ROOM, &fd, &tmp);
		if (r == -ELOOP || r == -EXDEV)
			return sc_error_set(err, r, "the working directory %s leads out of the sandbox",
					    c->workdir);
		if (r < 0)
			return sc_error_set(err, r, "cannot make the working directory %s: %s",
					    c->workdir, tmp.msg);
	}
	return seal_layers(err);
}

/* The spec's masks and read-only paths, in their order, once every mount is in place. */
static int mask_paths(const struct sc_sandbox_config *c, struct sc_error *err)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct sc_mount *m = &c->mounts[i];
		const char *p = m->target;
		if (m->kind == SC_MOUNT_MASK) {
			struct stat st;
			if (stat(p, &st) < 0)
				continue;
			int r = S_ISDIR(st.st_mode)
				? mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL)
				: mount("/dev/null", p, NULL, MS_BIND, NULL);
			if (r < 0)
				return sc_error_errno(err, -errno, "cannot mask %s", p);
		} else if (m->kind == SC_MOUNT_READONLY) {
			if (access(p, F_OK) < 0)
				continue;
			if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
				return sc_error_errno(err, -errno, "cannot bind %s", p);
			int r = remount_bind(p, MS_RDONLY, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Docker's files over the tree's, in this order (etc_dir holds them by their base names). */
static const char *const etc_files[SC_ETC_FILES] = { "/etc/resolv.conf", "/etc/hostname", "/etc/hosts" };

static bool volume_on(const struct sc_sandbox_config *c, const char *path)
{
	for (size_t i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].kind <= SC_MOUNT_TMPFS && c->mounts[i].target &&
		    strcmp(c->mounts[i].target, path) == 0)
			return true;
	return false;
}

static int setup_etc_files(int rootfd, const struct sc_sandbox_config *c, const int *etc,
			   struct sc_error *err)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(etc_files); i++) {
		if (etc[i] < 0 || volume_on(c, etc_files[i]))
			continue;
		/*
		 * A rootfs gets the mount point as Docker's runtime makes it; the
		 * host's read-only tree (or a rootfs on a read-only disk) keeps
		 * what it has: the file is left out where it cannot be made.
		 */
		_cleanup_close_ int fd = -1;
		struct sc_error tmp = {0};
		int r = sc_open_in_root(rootfd, etc_files[i], false, c->rootfs ? MAKE_MISSING : MAKE_NOTHING, &fd, &tmp);
		if (r == -ENOENT || r == -EROFS || r == -EACCES)
			continue;
		if (r < 0) {
			*err = tmp;
			return r;
		}
		/* Docker makes them read-only with the rootfs: the detached mount, before it is placed */
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (c->read_only && syscall(SYS_mount_setattr, etc[i], "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			return sc_error_errno(err, -errno, "cannot make %s read-only", etc_files[i]);
		if (move_mount(etc[i], "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return mount_err(err, etc_files[i] + 5, etc_files[i]);
	}
	return 0;
}

/* Whether the sandbox's cgroup has a directory in every controller of this v1 hierarchy. */
static bool joined(const char *ctrls)
{
	_cleanup_free_ char *list = strdup(ctrls);
	if (!list)
		return false;
	char *save = NULL;
	for (char *one = strtok_r(list, ",", &save); one; one = strtok_r(NULL, ",", &save)) {
		bool known = false;
		for (int i = 0; i < SC_CG_NCTRL && !known; i++)
			known = strcmp(one, sc_cgroup_ctrl_name(i)) == 0;
		if (!known)
			return false;
	}
	return true;
}

/*
 * /sys/fs/cgroup as Docker's runtime mounts it: a read-only tmpfs with one
 * read-only mount per v1 hierarchy the sandbox is in, named by its controllers
 * ("cpu,cpuacct" with a link for each), or the cgroup2 tree itself on a
 * v2 host.  In the sandbox's cgroup namespace the kernel roots each at
 * the sandbox's cgroup; with the host's namespace only the sandbox's own
 * directory is bound, as runc does.  A hierarchy the sandbox has no
 * cgroup in (name=systemd, net_cls, ...) would show the tree above it and
 * is left out, as is the hybrid hierarchy's controller-less v2 part.
 */
static int setup_cgroup_fs(int rootfd, const struct sc_sandbox_config *c, bool in_userns,
			   struct sc_error *err)
{
	if (c->n_cgroup_dirs == 0)
		return 0;   /* no cgroup of its own: nothing of the host's to show */
	_cleanup_free_ char *self = NULL;
	if (sc_read_file("/proc/self/cgroup", 1 << 16, &self, NULL, NULL) < 0)
		return 0;   /* no cgroups on this kernel: nothing to show */
	_cleanup_close_ int at_fd = -1;
	struct sc_error tmp = {0};
	if (sc_open_in_root(rootfd, "/sys/fs/cgroup", true, MAKE_NOTHING, &at_fd, &tmp) < 0)
		return 0;   /* a sysfs without cgroup support */
	unsigned long fl = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME;
	unsigned long ro = c->privileged ? 0 : MS_RDONLY;
	char at[64];
	snprintf(at, sizeof(at), "/proc/self/fd/%d", at_fd);

	bool v1 = false;
	const char *v2_path = NULL;
	for (char *l = self; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (l[0] == '0' && l[1] == ':' && l[2] == ':')
			v2_path = l + 3;
		else
			v1 = true;
	}
	if (!v1) {
		if (!v2_path)
			return 0;
		if (mount("cgroup", at, "cgroup2", fl | ro, NULL) < 0) {
			if (in_userns)
				return 0;   /* not this user namespace's to mount: the directory stays empty */
			return mount_err(err, "cgroup2", "/sys/fs/cgroup");
		}
		size_t len = strcspn(v2_path, "\n");
		if (len <= 1)
			return 0;
		/*
		 * The host's cgroup namespace: only the sandbox's own directory,
		 * bound in place of the whole tree (one mount, as runc leaves it).
		 */
		_cleanup_close_ int top = -1;
		int r = sc_open_in_root(rootfd, "/sys/fs/cgroup", true, MAKE_NOTHING, &top, err);
		if (r < 0)
			return r;
		char sub[PATH_MAX];
		snprintf(sub, sizeof(sub), "%.*s", (int)len - 1, v2_path + 1);
		_cleanup_close_ int tree = open_tree(top, sub, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (tree < 0)
			return sc_error_errno(err, -errno, "cannot open the sandbox's cgroup %.*s", (int)len, v2_path);
		char top_at[64];
		snprintf(top_at, sizeof(top_at), "/proc/self/fd/%d", top);
		if (umount2(top_at, MNT_DETACH) < 0)
			return sc_error_errno(err, -errno, "cannot unmount the whole cgroup2 tree");
		close(at_fd);
		at_fd = -1;
		r = sc_open_in_root(rootfd, "/sys/fs/cgroup", true, MAKE_NOTHING, &at_fd, err);
		if (r < 0)
			return r;
		if (move_mount(tree, "", at_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return mount_err(err, "the sandbox's cgroup", "/sys/fs/cgroup");
		return 0;
	}

	if (mount("tmpfs", at, "tmpfs", fl, "mode=755") < 0)
		return mount_err(err, "tmpfs", "/sys/fs/cgroup");
	/* the tmpfs, through a new fd: at_fd names the directory below it */
	_cleanup_close_ int dir = -1;
	int r = sc_open_in_root(rootfd, "/sys/fs/cgroup", true, MAKE_NOTHING, &dir, err);
	if (r < 0)
		return r;
	_cleanup_close_ int dfd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return sc_error_errno(err, -errno, "cannot open the sandbox's /sys/fs/cgroup");
	char *save = NULL;
	for (char *l = strtok_r(self, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2 == c1 + 1)
			continue;
		*c2 = '\0';
		const char *ctrls = c1 + 1, *path = c2 + 1;
		const char *dname = ctrls;
		if (!joined(ctrls))
			continue;
		char opts[256];
		snprintf(opts, sizeof(opts), "%s", ctrls);
		if (mkdirat(dfd, dname, 0755) < 0 && errno != EEXIST)
			return sc_error_errno(err, -errno, "cannot create /sys/fs/cgroup/%s", dname);
		char tgt[PATH_MAX];
		snprintf(tgt, sizeof(tgt), "/proc/self/fd/%d/%s", dfd, dname);
		/*
		 * "/..": the sandbox's cgroup lies outside the root of the cgroup
		 * namespace it joined; the namespace's whole tree is what it sees,
		 * as a mount from inside it shows.
		 */
		bool whole = strcmp(path, "/") == 0 || strncmp(path, "/../", 4) == 0 || strcmp(path, "/..") == 0;
		if (!whole) {
			/* the whole tree on a scratch directory, only the sandbox's part kept */
			if (mkdirat(dfd, ".whole", 0700) < 0 && errno != EEXIST)
				return sc_error_errno(err, -errno, "cannot create a scratch directory in /sys/fs/cgroup");
			snprintf(tgt, sizeof(tgt), "/proc/self/fd/%d/.whole", dfd);
		}
		if (mount("cgroup", tgt, "cgroup", fl | ro, opts) < 0) {
			if (in_userns)
				continue;   /* a hierarchy this user namespace may not mount */
			return mount_err(err, ctrls, "/sys/fs/cgroup");
		}
		if (!whole) {
			char sub[PATH_MAX + 64], dst[PATH_MAX];
			snprintf(sub, sizeof(sub), "%s%s", tgt, path);
			snprintf(dst, sizeof(dst), "/proc/self/fd/%d/%s", dfd, dname);
			r = mount(sub, dst, NULL, MS_BIND, NULL) < 0 ? mount_err(err, "the sandbox's cgroup", dst) : 0;
			if (umount2(tgt, MNT_DETACH) < 0 && r == 0)
				r = sc_error_errno(err, -errno, "cannot detach the whole %s tree", ctrls);
			if (r == 0 && ro)
				r = remount_bind(dst, MS_RDONLY, err);
			if (r < 0)
				return r;
			snprintf(tgt, sizeof(tgt), "/proc/self/fd/%d/%s", dfd, dname);
		}
		/* "cpu,cpuacct": a link per controller, as runc makes them */
		if (strchr(dname, ',')) {
			_cleanup_free_ char *list = strdup(dname);
			if (!list)
				return sc_error_set(err, -ENOMEM, "out of memory");
			char *s2 = NULL;
			for (char *one = strtok_r(list, ",", &s2); one; one = strtok_r(NULL, ",", &s2))
				if (symlinkat(dname, dfd, one) < 0 && errno != EEXIST)
					return sc_error_errno(err, -errno, "cannot link /sys/fs/cgroup/%s", one);
		}
	}
	if (unlinkat(dfd, ".whole", AT_REMOVEDIR) < 0 && errno != ENOENT)
		return sc_error_errno(err, -errno, "cannot remove the scratch directory of /sys/fs/cgroup");
	/* the tmpfs itself last, as runc's mountCgroupV1 does: no mkdir in it from inside */
	snprintf(at, sizeof(at), "/proc/self/fd/%d", dfd);
	return ro ? remount_bind(at, MS_RDONLY, err) : 0;
}

/* The parent directory of path inside the root (made when missing) and the last name. */
static int open_parent_in_root(int rootfd, const char *path, int *dirfd, const char **name,
			       struct sc_error *err)
{
	const char *slash = strrchr(path, '/');
	if (!slash || !slash[1] || strcmp(slash + 1, ".") == 0 || strcmp(slash + 1, "..") == 0)
		return sc_error_set(err, -EINVAL, "%s: not a path to a file", path);
	_cleanup_free_ char *dir = strndup(path, (size_t)(slash - path) + (slash == path));
	if (!dir)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = -1;
	int r = sc_open_in_root(rootfd, dir, true, MAKE_MISSING, &fd, err);
	if (r < 0)
		return r;
	/* the O_PATH fd names the directory; *at calls need one opened */
	char at[64];
	snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
	if ((*dirfd = open(at, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return sc_error_errno(err, -errno, "cannot open %s in the sandbox", dir);
	*name = slash + 1;
	return 0;
}

/* The host's node at d->path bound on an empty file, as runc binds one in a user namespace. */
static int bind_device(int dirfd, const char *name, const struct sc_device *d, struct sc_error *err)
{
	_cleanup_close_ int src = open(d->path, O_PATH | O_CLOEXEC);
	if (src < 0)
		return sc_error_errno(err, -errno, "cannot open the host's %s to bind it", d->path);
	_cleanup_close_ int dst = openat(dirfd, name, O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_RDONLY, 0);
	if (dst < 0)
		return sc_error_errno(err, -errno, "create device inode %s", d->path);
	char from[64], to[64];
	snprintf(from, sizeof(from), "/proc/self/fd/%d", src);
	snprintf(to, sizeof(to), "/proc/self/fd/%d", dst);
	if (mount(from, to, NULL, MS_BIND, NULL) < 0)
		return mount_err(err, d->path, d->path);
	return 0;
}

/*
 * linux.devices, as runc makes them after the mounts: mknod with the type,
 * number, mode and owner given, checked to be what was asked; an existing
 * file is kept (but Docker's standard nodes, which the config's replace);
 * in a user namespace, or where mknod is refused, the host's node bound.
 */
static int make_oci_devices(int rootfd, const struct sc_sandbox_config *c, bool in_userns,
			    struct sc_error *err)
{
	if (c->privileged)
		return 0;   /* the host's /dev, every node of it */
	for (size_t i = 0; i < c->n_devices; i++) {
		const struct sc_device *d = &c->devices[i];
		if (strcmp(d->path, "/dev/ptmx") == 0)
			continue;   /* the link into /dev/pts, as runc leaves it */
		_cleanup_close_ int dirfd = -1;
		const char *name = NULL;
		int r = open_parent_in_root(rootfd, d->path, &dirfd, &name, err);
		if (r < 0)
			return r;
		bool standard = false;
		for (const char *const *std = docker_devices; *std; std++)
			standard |= strncmp(d->path, "/dev/", 5) == 0 && strcmp(d->path + 5, *std) == 0;
		if (in_userns) {
			/* a standard one is the host's node already */
			if (!standard && (r = bind_device(dirfd, name, d, err)) < 0)
				return r;
			continue;
		}
		if (standard)
			unlinkat(dirfd, name, 0);
		mode_t fmt = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
		dev_t dev = d->type == 'p' ? 0 : makedev(d->major, d->minor);
		if (mknodat(dirfd, name, fmt | (d->mode & 07777), dev) < 0) {
			if (errno == EEXIST)
				continue;
			if (errno == EPERM) {
				if ((r = bind_device(dirfd, name, d, err)) < 0)
					return r;
				continue;
			}
			return sc_error_errno(err, -errno, "mknodat %s", d->path);
		}
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return sc_error_errno(err, -errno, "open new device inode %s", d->path);
		if ((st.st_mode & S_IFMT) != fmt || st.st_rdev != dev)
			return sc_error_set(err, -EIO, "new device inode %s is not the node asked for", d->path);
		/* the mode without the umask, then the owner */
		if (fchmodat(dirfd, name, d->mode & 07777, 0) < 0 ||
		    fchownat(dirfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			return sc_error_errno(err, -errno, "update new device inode %s", d->path);
	}
	return 0;
}

static int setup_common(int rootfd, const char *root, const struct sc_sandbox_config *c,
			bool in_userns, int tty_slave, const int *etc, struct sc_error *err)
{
	int r;
	struct sc_error tmp = {0};
	r = mount_at(rootfd, "/proc", true, "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, &tmp);
	/* a user namespace may not mount the proc of a pid namespace it does not own */
	if (r == -EPERM && !(c->namespaces & SC_NS_PID))
		r = mount_at(rootfd, "/proc", true, "/proc", NULL, MS_BIND | MS_REC, NULL, err);
	else if (r < 0)
		*err = tmp;
	if (r < 0)
		return r;
	r = setup_dev(rootfd, root, c, in_userns, tty_slave, err);
	if (r < 0)
		return r;
	r = setup_sys(rootfd, c, err);
	if (r < 0)
		return r;
	r = setup_cgroup_fs(rootfd, c, in_userns, err);
	if (r < 0)
		return r;
	r = setup_user_mounts(rootfd, c, err);
	if (r < 0)
		return r;
	r = make_oci_devices(rootfd, c, in_userns, err);
	if (r < 0)
		return r;
	return setup_etc_files(rootfd, c, etc, err);
}

static int setup_rootfs(const struct sc_sandbox_config *c, bool in_userns, int tty_slave,
			const int *etc, struct sc_error *err)
{
	char root[PATH_MAX];
	if (!realpath(c->rootfs, root))
		return sc_error_errno(err, -errno, "rootfs %s", c->rootfs);
	struct stat st;
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return sc_error_set(err, -ENOTDIR, "rootfs %s is not a directory", c->rootfs);
	if (c->root_propagation) {
		/*
		 * pivot_root refuses a shared parent, and a bind in a shared
		 * mount would show on the host: the mount holding the rootfs is
		 * made private (slave when asked), as runc does.
		 */
		unsigned long pf = (c->root_propagation & MS_SLAVE) ? MS_SLAVE : MS_PRIVATE;
		char up[PATH_MAX];
		snprintf(up, sizeof(up), "%s", root);
		for (;;) {
			if (mount(NULL, up, NULL, pf, NULL) == 0)
				break;
			char *slash = strrchr(up, '/');
			if (errno != EINVAL || !slash || strcmp(up, "/") == 0)
				return sc_error_errno(err, -errno, "cannot change the propagation of %s", up);
			if (slash == up)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return mount_err(err, "the rootfs", root);
	if (!c->privileged && !c->devices_cgroup) {
		int r = remount_bind(root, MS_NODEV, err);
		if (r < 0)
			return r;
	}
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return sc_error_errno(err, -errno, "cannot open %s", root);
	int r = setup_common(rootfd, root, c, in_userns, tty_slave, etc, err);
	if (r < 0)
		return r;

	if (chdir(root) < 0)
		return sc_error_errno(err, -errno, "cannot enter %s", root);
	r = pivot_here(root, err);
	if (r < 0)
		return r;
	/* shared or unbindable: the new / itself (private and slave were made before) */
	if (c->root_propagation && !(c->root_propagation & (MS_PRIVATE | MS_SLAVE)) &&
	    mount(NULL, "/", NULL, c->root_propagation, NULL) < 0)
		return sc_error_errno(err, -errno, "unable to apply root propagation flags");

	r = mask_paths(c, err);
	if (r < 0)
		return r;
	if (c->read_only)
		return remount_bind("/", MS_RDONLY, err);
	return 0;
}

/* Without a rootfs: the host's tree, read-only and nodev, with private scratch space. */
static int setup_host_tree(const struct sc_sandbox_config *c, bool in_userns, int tty_slave,
			   const int *etc, struct sc_error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV };
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return sc_error_errno(err, -errno, "cannot make the host's tree read-only");
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return sc_error_errno(err, -errno, "cannot open /");
	/* sockets in /run and /tmp (container engines, X, D-Bus) stay out of reach */
	int r;
	for (const struct sc_host_private *p = sc_host_tree_private_dirs; p->path; p++) {
		r = mount_at(rootfd, p->path, true, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, p->data, err);
		if (r < 0)
			return r;
	}
	r = setup_common(rootfd, "/", c, in_userns, tty_slave, etc, err);
	if (r < 0)
		return r;
	/*
	 * A layer over / (a volume's mount point made there) becomes the root
	 * now that nothing more is bound from the host's tree: binding from a
	 * detached tree is refused.
	 */
	_cleanup_close_ int host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host_root < 0)
		return sc_error_errno(err, -errno, "cannot open /");
	if (!same_place(rootfd, host_root)) {
		if (fchdir(rootfd) < 0)
			return sc_error_errno(err, -errno, "cannot enter the new root");
		r = pivot_here("the new root", err);
		if (r < 0)
			return r;
	}
	if (chdir("/") < 0)
		return sc_error_errno(err, -errno, "cannot enter /");
	return mask_paths(c, err);
}

int sc_open_etc_files(const struct sc_sandbox_config *c, int fds[SC_ETC_FILES], struct sc_error *err)
{
	for (size_t i = 0; i < SC_ETC_FILES; i++)
		fds[i] = -1;
	for (size_t i = 0; c->etc_dir && !c->etc_text && i < SC_ETC_FILES; i++) {
		char src[PATH_MAX];
		snprintf(src, sizeof(src), "%s/%s", c->etc_dir, etc_files[i] + 5);
		if ((fds[i] = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0) {
			int r = sc_error_errno(err, -errno, "cannot open %s", src);
			for (size_t j = 0; j < i; j++)
				close(fds[j]);
			return r;
		}
	}
	return 0;
}

/*
 * c->etc_text's files in a tmpfs of their own, made here in the child (as
 * the sandbox's root: they are its own), each cloned as a detached bind
 * mount.  Cloning from a detached tree is refused by older kernels, so
 * the tmpfs is attached for the while over /proc of this private
 * namespace (the sandbox's own proc comes later), then let go.
 */
static int make_etc_text(const struct sc_sandbox_config *c, int fds[SC_ETC_FILES], struct sc_error *err)
{
	const struct sc_etc_text *t = c->etc_text;
	const char *text[SC_ETC_FILES] = { t->resolv_conf, t->hostname, t->hosts };
	size_t total = 0;
	for (size_t i = 0; i < SC_ETC_FILES; i++)
		total += strlen(text[i]);
	char size[32];
	snprintf(size, sizeof(size), "%zu", total + (1u << 20));
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "size", size, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "nr_inodes", "8", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return sc_error_errno(err, -errno, "cannot make a tmpfs for /etc/hostname, /etc/hosts and /etc/resolv.conf");
	_cleanup_close_ int top = fsmount(fs, FSMOUNT_CLOEXEC,
					  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (top < 0)
		return sc_error_errno(err, -errno, "cannot make a tmpfs for /etc/hostname, /etc/hosts and /etc/resolv.conf");
	for (size_t i = 0; i < SC_ETC_FILES; i++) {
		_cleanup_close_ int fd = openat(top, etc_files[i] + 5, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		int r = fd < 0 ? -errno : 0;
		if (r == 0 && fchmod(fd, 0644) < 0)
			r = -errno;
		if (r == 0)
			r = sc_write_all(fd, text[i], strlen(text[i]));
		if (r < 0)
			return sc_error_errno(err, r, "cannot write %s", etc_files[i]);
	}
	/* what is attached there must not propagate to the host, whatever rootfsPropagation says */
	if (c->root_propagation && !(c->root_propagation & MS_PRIVATE) &&
	    mount(NULL, "/proc", NULL, MS_PRIVATE, NULL) < 0)
		return sc_error_errno(err, -errno, "cannot make /proc private");
	if (move_mount(top, "", AT_FDCWD, "/proc", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return sc_error_errno(err, -errno, "cannot attach the tmpfs of /etc/hostname, /etc/hosts and /etc/resolv.conf");
	int r = 0;
	for (size_t i = 0; i < SC_ETC_FILES && r == 0; i++)
		if ((fds[i] = open_tree(top, etc_files[i] + 5, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
			r = sc_error_errno(err, -errno, "cannot open %s", etc_files[i]);
	if (umount2("/proc", MNT_DETACH) < 0 && r == 0)
		r = sc_error_errno(err, -errno, "cannot let go of the tmpfs of /etc/hostname, /etc/hosts and /etc/resolv.conf");
	if (r < 0)
		for (size_t i = 0; i < SC_ETC_FILES; i++)
			if (fds[i] >= 0)
				close(TAKE_FD(fds[i]));
	return r;
}

int sc_setup_filesystem(const struct sc_sandbox_config *c, bool in_userns, int tty_slave,
			const int etc_in[SC_ETC_FILES], struct sc_error *err)
{
	/* nothing mounted here may propagate back to the host (unless rootfsPropagation says so) */
	unsigned long prop = c->root_propagation ? c->root_propagation : MS_REC | MS_PRIVATE;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return sc_error_errno(err, -errno, "cannot make the mounts %s",
				      c->root_propagation ? "propagate as rootfsPropagation says" : "private");
	int own[SC_ETC_FILES] = { -1, -1, -1 };
	const int *etc = etc_in;
	if (c->etc_text) {
		int r = make_etc_text(c, own, err);
		if (r < 0)
			return r;
		etc = own;
	}
	open_volume_sources(c);
	int r = c->rootfs ? setup_rootfs(c, in_userns, tty_slave, etc, err)
			  : setup_host_tree(c, in_userns, tty_slave, etc, err);
	close_volume_sources(c);
	for (size_t i = 0; i < SC_ETC_FILES; i++)
		if (own[i] >= 0)
			close(own[i]);
	return r;
}

int sc_loopback_up(struct sc_error *err)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot open a socket to bring up lo");
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return sc_error_errno(err, -errno, "cannot read the flags of lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return sc_error_errno(err, -errno, "cannot bring lo up");
	return 0;
}
