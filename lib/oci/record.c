/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One container's record, ROOT/ID/state.json, and what it says about the
 * process now: the pid with its start time (field 22 of /proc/PID/stat),
 * so that a pid the kernel has given to another process reads as stopped,
 * as runc checks it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record.h"
#include "seclude/sha256.h"
#include "seclude/util.h"

char *sc_rec_path(const char *root, const char *id, const char *file)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s%s%s", root, id, file ? "/" : "", file ? file : "") < 0)
		return NULL;
	return p;
}

int sc_proc_start_time(pid_t pid, uint64_t *out, char *state)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (sc_read_file(path, 4096, &text, &len, NULL) < 0)
		return -ESRCH;
	/* the command name may hold spaces and parentheses: fields start after the last ')' */
	char *p = strrchr(text, ')');
	if (!p)
		return -EINVAL;
	p += 2;
	if (state)
		*state = *p;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -EINVAL;
	*out = strtoull(p, NULL, 10);
	return 0;
}

bool sc_rec_alive(const struct sc_rec *r)
{
	uint64_t st;
	char state = 0;
	if (r->pid <= 0 || sc_proc_start_time(r->pid, &st, &state) < 0)
		return false;
	return st == r->start_time && state != 'Z' && state != 'X';
}

int sc_rec_pidfd(const struct sc_rec *r)
{
	int fd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	if (fd < 0)
		return -errno;
	/* checked after the pidfd pins the process: it is ours, not a reused pid */
	if (!sc_rec_alive(r)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

static json_t *cgroup_json(const struct sc_cgroup *cg)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(cg->version));
	if (cg->dir)
		json_object_set_new(o, "dir", json_string(cg->dir));
	json_t *d = json_object();
	for (int c = 0; c < SC_CG_NCTRL; c++)
		if (cg->v1[c])
			json_object_set_new(d, sc_cgroup_ctrl_name(c), json_string(cg->v1[c]));
	json_object_set_new(o, "v1", d);
	return o;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? strdup(s) : NULL;
}

int sc_rec_save(const char *root, const struct sc_rec *r, struct sc_error *err)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "pid", json_integer(r->pid));
	json_object_set_new(o, "start_time", json_integer((json_int_t)r->start_time));
	json_object_set_new(o, "bundle", json_string(r->bundle));
	json_object_set_new(o, "rootfs", json_string(r->rootfs ? r->rootfs : ""));
	json_object_set_new(o, "created", json_string(r->created));
	json_object_set_new(o, "owner", json_string(r->owner ? r->owner : ""));
	json_object_set_new(o, "config", json_string(r->config ? r->config : ""));
	json_object_set(o, "annotations", r->annotations ? r->annotations : json_object());
	if (!r->annotations)
		json_decref(json_object_get(o, "annotations"));
	if (r->cgroup)
		json_object_set_new(o, "cgroup", cgroup_json(r->cgroup));
	if (r->exec_seccomp == SC_REC_SECCOMP_NONE) {
		json_object_set_new(o, "exec_seccomp", json_null());
	} else if (r->exec_seccomp == SC_REC_SECCOMP_BPF) {
		/* the program in hex, as seclude run's records hold theirs */
		size_t n = r->exec_bpf.len * sizeof(*r->exec_bpf.insns);
		char *hex = malloc(2 * n + 1);
		if (!hex) {
			json_decref(o);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
		sc_hex((const uint8_t *)r->exec_bpf.insns, n, hex);
		json_t *f = json_object();
		json_object_set_new(f, "bpf", json_string(hex));
		json_object_set_new(f, "flags", json_integer(r->exec_seccomp_flags));
		json_object_set_new(o, "exec_seccomp", f);
		free(hex);
	}
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_free_ char *path = sc_rec_path(root, r->id, "state.json");
	int rc = path ? sc_write_atomic(path, text, strlen(text), 0600, 0, err)
		      : sc_error_set(err, -ENOMEM, "out of memory");
	free(text);
	return rc;
}

static int lock_wait(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	while (fcntl(fd, F_SETLKW, &fl) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* fd moved to 3 or above: a caller with stdin closed must not have its lock on 0 ("none"). */
static int above_stdio(int fd)
{
	if (fd < 0 || fd > 2)
		return fd;
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	int e = errno;
	close(fd);
	errno = e;
	return h;
}

static int rec_lock(const char *root, const char *id, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_rec_path(root, id, "record.lock");
	_cleanup_free_ char *st = sc_rec_path(root, id, "state.json");
	if (!path || !st)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (int attempt = 0; attempt < 100; attempt++) {
		/* never created here (but for a record older than locks): a removed record stays removed */
		int fd = above_stdio(open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW));
		if (fd < 0 && errno == ENOENT && access(st, F_OK) == 0)
			fd = above_stdio(open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
		if (fd < 0)
			return errno == ENOENT ? sc_error_set(err, -ENOENT, "container does not exist")
					       : sc_error_errno(err, -errno, "cannot open %s", path);
		int r = lock_wait(fd);
		if (r < 0) {
			close(fd);
			return sc_error_errno(err, r, "cannot lock %s", path);
		}
		/* removed, and perhaps made again, while this waited: that lock was another record's */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && a.st_nlink > 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return sc_error_set(err, -ENOENT, "container does not exist");
}

int sc_rec_claim(const char *root, const char *id, struct sc_error *err)
{
	_cleanup_free_ char *dir = sc_rec_path(root, id, NULL);
	_cleanup_free_ char *path = sc_rec_path(root, id, "record.lock");
	if (!dir || !path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (mkdir(dir, 0711) < 0)
		return errno == EEXIST ? sc_error_set(err, -EEXIST, "container with id exists: %s", id)
				       : sc_error_errno(err, -errno, "cannot create %s", dir);
	int fd = above_stdio(open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
	int r = fd < 0 ? -errno : lock_wait(fd);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		sc_remove_flat_dir(dir);
		return sc_error_errno(err, r, "cannot lock %s", path);
	}
	return fd;
}

void sc_rec_unlock(struct sc_rec *r)
{
	if (r->lock_fd > 0)
		close(r->lock_fd);
	r->lock_fd = 0;
}

static int load_exec_seccomp(json_t *o, struct sc_rec *r)
{
	json_t *f = json_object_get(o, "exec_seccomp");
	if (!f)
		return SC_REC_SECCOMP_UNKNOWN;
	if (json_is_null(f))
		return SC_REC_SECCOMP_NONE;
	const char *hex = json_string_value(json_object_get(f, "bpf"));
	json_t *flags = json_object_get(f, "flags");
	size_t hl = hex ? strlen(hex) : 0;
	size_t n = hl / 2;
	if (!hl || hl % 2 || n % sizeof(struct sock_filter) || n > 4096 * sizeof(struct sock_filter) ||
	    !json_is_integer(flags))
		return SC_REC_SECCOMP_BAD;
	uint8_t *b;
	if (sc_unhex(hex, &b, &n) < 0)
		return SC_REC_SECCOMP_BAD;
	r->exec_bpf.insns = (struct sock_filter *)b;
	r->exec_bpf.len = n / sizeof(struct sock_filter);
	r->exec_seccomp_flags = (unsigned)json_integer_value(flags);
	return SC_REC_SECCOMP_BPF;
}

static int load(const char *root, const char *id, bool lock, struct sc_rec *r, struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!sc_oci_id_valid(id))
		return sc_error_set(err, -ENOENT, "container does not exist");
	_cleanup_free_ char *path = sc_rec_path(root, id, "state.json");
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	int lk = lock ? rec_lock(root, id, err) : 0;
	if (lk < 0)
		return lk;
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	if (!o) {
		int e = errno;
		if (lk > 0)
			close(lk);
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return sc_error_set(err, -ENOENT, "container does not exist");
		errno = e;
		return sc_error_set(err, -EINVAL, "%s: %s", path, je.text);
	}
	r->lock_fd = lk;
	r->id = dup_str(o, "id");
	r->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
	r->start_time = (uint64_t)json_integer_value(json_object_get(o, "start_time"));
	r->bundle = dup_str(o, "bundle");
	r->rootfs = dup_str(o, "rootfs");
	r->created = dup_str(o, "created");
	r->owner = dup_str(o, "owner");
	r->config = dup_str(o, "config");
	r->annotations = json_incref(json_object_get(o, "annotations"));
	json_t *cg = json_object_get(o, "cgroup");
	if (cg && (r->cgroup = calloc(1, sizeof(*r->cgroup)))) {
		r->cgroup->version = (enum sc_cgroup_version)json_integer_value(json_object_get(cg, "version"));
		r->cgroup->dir = dup_str(cg, "dir");
		json_t *d = json_object_get(cg, "v1");
		for (int c = 0; d && c < SC_CG_NCTRL; c++)
			r->cgroup->v1[c] = dup_str(d, sc_cgroup_ctrl_name(c));
	}
	r->exec_seccomp = load_exec_seccomp(o, r);
	json_decref(o);
	if (!r->id || !r->bundle || !r->created) {
		sc_rec_free(r);   /* the lock too */
		return sc_error_set(err, -EINVAL, "%s: not a container record", path);
	}
	return 0;
}

int sc_rec_load(const char *root, const char *id, struct sc_rec *r, struct sc_error *err)
{
	return load(root, id, true, r, err);
}

int sc_rec_read(const char *root, const char *id, struct sc_rec *r, struct sc_error *err)
{
	return load(root, id, false, r, err);
}

void sc_rec_free(struct sc_rec *r)
{
	sc_rec_unlock(r);
	free(r->id);
	free(r->bundle);
	free(r->rootfs);
	free(r->created);
	free(r->owner);
	free(r->config);
	json_decref(r->annotations);
	sc_cgroup_free(r->cgroup);
	free(r->exec_bpf.insns);
	memset(r, 0, sizeof(*r));
}

/* The freezer says FROZEN (v1) or cgroup.freeze is 1 (v2). */
bool sc_rec_frozen(const struct sc_rec *r)
{
	if (!r->cgroup)
		return false;
	_cleanup_free_ char *path = NULL, *text = NULL;
	size_t len;
	if (r->cgroup->version == SC_CGROUP_V2) {
		if (!r->cgroup->dir || asprintf(&path, "%s/cgroup.freeze", r->cgroup->dir) < 0)
			return false;
		return sc_read_file(path, 64, &text, &len, NULL) == 0 && text[0] == '1';
	}
	const char *f = r->cgroup->v1[SC_CG_FREEZER];
	if (!f || asprintf(&path, "%s/freezer.state", f) < 0)
		return false;
	return sc_read_file(path, 64, &text, &len, NULL) == 0 && strncmp(text, "FROZEN", 6) == 0;
}

enum sc_oci_status sc_rec_status(const char *root, const struct sc_rec *r)
{
	if (!sc_rec_alive(r))
		return SC_OCI_STOPPED;
	_cleanup_free_ char *fifo = sc_rec_path(root, r->id, "exec.fifo");
	if (fifo && access(fifo, F_OK) == 0)
		return SC_OCI_CREATED;
	if (sc_rec_frozen(r))
		return SC_OCI_PAUSED;
	return SC_OCI_RUNNING;
}

const char *sc_oci_status_name(enum sc_oci_status s)
{
	static const char *const names[] = { "creating", "created", "running", "paused", "stopped" };
	return names[s];
}

bool sc_oci_id_valid(const char *id)
{
	if (!id || !id[0] || !strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '+' || *p == '-' || *p == '.'))
			return false;
	return true;
}

/* Remove dir and what it holds (a record is one level deep). */
int sc_rec_remove(const char *root, const char *id)
{
	_cleanup_free_ char *dir = sc_rec_path(root, id, NULL);
	if (!dir)
		return -ENOMEM;
	return sc_remove_flat_dir(dir);
}

int sc_oci_list(const char *root, char ***ids, size_t *n, struct sc_error *err)
{
	*ids = NULL;
	*n = 0;
	DIR *d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : sc_error_errno(err, -errno, "%s", root);
	struct dirent *e;
	size_t cap = 0;
	while ((e = readdir(d))) {
		if (!sc_oci_id_valid(e->d_name))
			continue;
		_cleanup_free_ char *st = sc_rec_path(root, e->d_name, "state.json");
		if (!st || access(st, F_OK) < 0)
			continue;
		if (*n + 1 >= cap) {
			cap = cap ? 2 * cap : 8;
			char **v = realloc(*ids, cap * sizeof(*v));
			if (!v)
				break;
			*ids = v;
		}
		(*ids)[(*n)++] = strdup(e->d_name);
		(*ids)[*n] = NULL;
	}
	closedir(d);
	return 0;
}
