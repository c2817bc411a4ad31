/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records of named sandboxes under the state root; see state.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "seclude/exit.h"
#include "seclude/places.h"
#include "seclude/state.h"
#include "seclude/spec_json.h"
#include "seclude/sha256.h"
#include "seclude/util.h"

static const char *const status_names[] = {
	[SC_STATUS_CREATED] = "created",
	[SC_STATUS_RUNNING] = "running",
	[SC_STATUS_EXITED] = "exited",
};

const char *sc_status_name(enum sc_status s)
{
	return (unsigned)s < SC_ARRAY_SIZE(status_names) ? status_names[s] : "unknown";
}

const char *sc_state_root(void)
{
	const char *e = getenv("SECLUDE_STATE_DIR");
	if (e && *e)
		return e;
	if (geteuid() == 0)
		return "/run/seclude";
	/* a user's own, never root's: a refused fallback is caught by root_check */
	static char mine[PATH_MAX];
	if (!mine[0] && sc_user_state_dir(mine, sizeof(mine), NULL) < 0)
		snprintf(mine, sizeof(mine), "/tmp/seclude-%lu", (unsigned long)geteuid());
	return mine;
}

/*
 * A user who is not root acts on what the records say (pids signalled,
 * filters loaded): the directory holding them must be theirs alone.
 */
static int root_check(const char *root, struct sc_error *err)
{
	uid_t uid = geteuid();
	struct stat st;
	if (uid == 0 || (lstat(root, &st) < 0 && errno == ENOENT) || sc_dir_private_to(root, uid))
		return 0;
	return sc_error_set(err, -EPERM, "the state directory %s is not a private directory of yours: "
			    "set XDG_RUNTIME_DIR (or SECLUDE_STATE_DIR) to one", root);
}

int64_t sc_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sc_format_time(int64_t ns, char *buf, size_t len)
{
	if (ns <= 0) {
		snprintf(buf, len, "0001-01-01T00:00:00Z");
		return;
	}
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	char date[32];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09lldZ", date, (long long)(ns % 1000000000));
}

bool sc_state_name_valid(const char *name)
{
	if (!name || !isalnum((unsigned char)name[0]))
		return false;
	size_t n = 0;
	for (const char *p = name; *p; p++, n++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return n <= 128;
}

void sc_state_new_id(char id[65])
{
	uint8_t b[32];
	size_t got = 0;
	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* No entropy source: time and pid still make the id unique here. */
			int64_t t = sc_now_ns() ^ ((int64_t)getpid() << 32);
			for (size_t i = got; i < sizeof(b); i++)
				b[i] = (uint8_t)(t >> ((i % 8) * 8));
			break;
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
}

char *sc_state_path(const char *root, const char *name, const char *file)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s%s%s", root, name, file ? "/" : "", file ? file : "") < 0)
		return NULL;
	return p;
}

void sc_state_free(struct sc_state *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->id);
	free(s->error);
	free(s->bpf);
	sc_spec_free(&s->spec);
	sc_cgroup_free(s->cgroup);
	*s = (struct sc_state){0};
}

/*
 * A directory whose claim never wrote its record (its owner died in
 * between): its lock is free and it has no state.json.  Every claim has
 * its lock from birth (see sc_state_claim), so the lock is opened, never
 * created: a directory without one is not taken.
 */
static bool take_abandoned(const char *root, const char *name, int *lock_fd)
{
	_cleanup_free_ char *lock = sc_state_path(root, name, "lock");
	_cleanup_free_ char *rec = sc_state_path(root, name, "state.json");
	if (!lock || !rec || access(rec, F_OK) == 0)
		return false;
	int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || access(rec, F_OK) == 0) {
		close(fd);
		return false;
	}
	*lock_fd = fd;
	return true;
}

/* A directory of its own under root, hidden from list and gc by its dot: root/.KIND.PID.XXXXXX. */
static char *hidden_dir(const char *root, const char *kind)
{
	char *p = NULL;
	if (asprintf(&p, "%s/.%s.%d.XXXXXX", root, kind, (int)getpid()) < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

/* The directory made whole under a hidden name, its lock taken: what a claim renames into place. */
static int build_claim(const char *root, char **tmp_out, int *lock_fd, struct sc_error *err)
{
	_cleanup_free_ char *tmp = hidden_dir(root, "claim");
	if (!tmp)
		return sc_error_errno(err, -errno, "cannot create a directory in %s", root);
	_cleanup_free_ char *lock = NULL;
	int fd = asprintf(&lock, "%s/lock", tmp) < 0 ? -1
		 : open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = -errno;
		if (fd >= 0)
			close(fd);
		sc_remove_flat_dir(tmp);
		return sc_error_errno(err, e, "cannot lock %s", lock ? lock : tmp);
	}
	*lock_fd = fd;
	*tmp_out = TAKE_PTR(tmp);
	return 0;
}

/*
 * NAME appears with its lock already held, never before: the directory is
 * built and locked under a hidden name, then renamed into place.  gc (here
 * or in another seclude) can then tell a claim being made from one whose
 * owner died: only the latter's lock is free.  Making NAME first and its
 * lock second left a window in which a concurrent gc took the directory
 * for abandoned and removed it (200 runs at once lost a dozen).  rename(2)
 * never replaces a directory holding something (EEXIST or ENOTEMPTY), and
 * a claim always holds its lock, so a taken name stays taken.
 */
int sc_state_claim(const char *root, const char *name, int *lock_fd, struct sc_error *err)
{
	if (!sc_state_name_valid(name))
		return sc_error_set(err, -EINVAL, "invalid sandbox name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
				    name);
	int r = root_check(root, err);
	if (r < 0)
		return r;
	r = sc_mkdir_p(root, 0755, 0700, NULL);
	if (r < 0)
		return sc_error_errno(err, r, "cannot create %s", root);
	_cleanup_free_ char *dir = sc_state_path(root, name, NULL);
	if (!dir)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_free_ char *tmp = NULL;
	int fd = -1;
	r = build_claim(root, &tmp, &fd, err);
	if (r < 0)
		return r;
	/* a dead claim of NAME being removed by someone else: a second try finds the name free */
	for (int attempt = 0; attempt < 3; attempt++) {
		if (rename(tmp, dir) == 0) {
			*lock_fd = fd;
			return 0;
		}
		int e = errno;
		if (e != EEXIST && e != ENOTEMPTY) {
			close(fd);
			sc_remove_flat_dir(tmp);
			return sc_error_errno(err, -e, "cannot create %s", dir);
		}
		int taken = -1;
		if (take_abandoned(root, name, &taken)) {
			close(fd);
			sc_remove_flat_dir(tmp);
			*lock_fd = taken;
			return 0;
		}
		if (access(dir, F_OK) == 0)
			break;
	}
	close(fd);
	sc_remove_flat_dir(tmp);
	return sc_error_set(err, -EEXIST, "the name \"%s\" is already in use; remove that sandbox "
			    "(seclude rm %s) to reuse the name", name, name);
}

/*
 * The record lock is an open file description lock (fcntl) on the same
 * file as the supervisor's flock: the two kinds never meet, so one file
 * serves both.
 */
int sc_state_lock_record(const char *root, const char *name, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_state_path(root, name, "lock");
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot open %s", path);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	while (fcntl(fd, F_OFD_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			int e = -errno;
			close(fd);
			return sc_error_errno(err, e, "cannot lock %s", path);
		}
	}
	return fd;
}

bool sc_state_supervised(const char *root, const char *name)
{
	_cleanup_free_ char *lock = sc_state_path(root, name, "lock");
	if (!lock)
		return false;
	_cleanup_close_ int fd = open(lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		return errno == EWOULDBLOCK;
	return false;
}

/* ------------------------------------------------------------------ */
/* JSON */

static json_t *cgroup_json(const struct sc_cgroup *cg)
{
	json_t *o = json_pack("{s:i}", "version", (int)cg->version);
	if (cg->version == SC_CGROUP_V2) {
		json_object_set_new(o, "dir", json_string(cg->dir));
	} else {
		json_t *d = json_object();
		for (int c = 0; c < SC_CG_NCTRL; c++)
			if (cg->v1[c])
				json_object_set_new(d, sc_cgroup_ctrl_name(c), json_string(cg->v1[c]));
		json_object_set_new(o, "dirs", d);
	}
	return o;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

int sc_state_save(const char *root, const struct sc_state *s, struct sc_error *err)
{
	json_t *o = json_object();
	set_str(o, "name", s->name);
	set_str(o, "id", s->id);
	set_str(o, "status", sc_status_name(s->status));
	json_object_set_new(o, "pid", json_integer(s->pid));
	if (s->pid_start)
		json_object_set_new(o, "pid_start", json_integer((json_int_t)s->pid_start));
	json_object_set_new(o, "supervisor", json_integer(s->supervisor));
	json_object_set_new(o, "exit_code", json_integer(s->exit_code));
	json_object_set_new(o, "oom_killed", json_boolean(s->oom_killed));
	set_str(o, "error", s->error);
	json_object_set_new(o, "created", json_integer(s->created));
	json_object_set_new(o, "started", json_integer(s->started));
	json_object_set_new(o, "finished", json_integer(s->finished));
	json_object_set_new(o, "detached", json_boolean(s->detached));
	json_object_set_new(o, "auto_remove", json_boolean(s->auto_remove));
	json_object_set_new(o, "cgroup", s->cgroup ? cgroup_json(s->cgroup) : json_null());
	if (!s->no_spec)
		json_object_set_new(o, "spec", sc_spec_to_json(&s->spec));

	_cleanup_free_ char *path = sc_state_path(root, s->name, "state.json");
	_cleanup_free_ char *text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	const char *close_brace = text ? strrchr(text, '}') : NULL;
	if (!path || !close_brace)
		return sc_error_set(err, -ENOMEM, "out of memory");
	/*
	 * The filter, in hex, added to the text as it is: as a JSON string
	 * jansson checks and escapes it byte by byte, which was most of the
	 * time a start spent on its record.  The object is never empty, so a
	 * comma follows its last member.
	 */
	size_t end = (size_t)(close_brace - text);
	while (end && (text[end - 1] == '\n' || text[end - 1] == ' '))
		end--;
	size_t hl = s->bpf && s->bpf_len ? 2 * s->bpf_len : 0;
	_cleanup_free_ char *line = malloc(end + hl + 32);
	if (!line)
		return sc_error_set(err, -ENOMEM, "out of memory");
	char *w = line;
	memcpy(w, text, end);
	w += end;
	if (hl) {
		w = stpcpy(w, ",\n  \"bpf\": \"");
		sc_hex(s->bpf, s->bpf_len, w);
		w += hl;
		*w++ = '"';
	}
	w = stpcpy(w, "\n}\n");
	return sc_write_atomic(path, line, (size_t)(w - line), 0600, 0, err);
}

static char *dup_str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? strdup(v) : NULL;
}

static int64_t get_int(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

static int from_json(json_t *o, struct sc_state *s)
{
	*s = (struct sc_state){0};
	s->name = dup_str(o, "name");
	s->id = dup_str(o, "id");
	if (!s->name || !s->id)
		return -EINVAL;
	/* a record written before the spec was kept has none: its sandbox is still listed */
	json_t *spec = json_object_get(o, "spec");
	s->no_spec = !json_is_object(spec);
	int r = s->no_spec ? 0 : sc_spec_from_json(spec, &s->spec, NULL);
	if (r < 0)
		return r;
	const char *st = json_string_value(json_object_get(o, "status"));
	for (size_t i = 0; st && i < SC_ARRAY_SIZE(status_names); i++)
		if (strcmp(st, status_names[i]) == 0)
			s->status = (enum sc_status)i;
	s->pid = (pid_t)get_int(o, "pid");
	s->pid_start = (uint64_t)get_int(o, "pid_start");
	s->supervisor = (pid_t)get_int(o, "supervisor");
	s->exit_code = (int)get_int(o, "exit_code");
	s->oom_killed = json_is_true(json_object_get(o, "oom_killed"));
	s->error = dup_str(o, "error");
	s->created = get_int(o, "created");
	s->started = get_int(o, "started");
	s->finished = get_int(o, "finished");
	s->detached = json_is_true(json_object_get(o, "detached"));
	s->auto_remove = json_is_true(json_object_get(o, "auto_remove"));

	const char *hex = json_string_value(json_object_get(o, "bpf"));
	if (hex && (r = sc_unhex(hex, (uint8_t **)&s->bpf, &s->bpf_len)) < 0)
		return r;

	json_t *cg = json_object_get(o, "cgroup");
	if (json_is_object(cg)) {
		s->cgroup = calloc(1, sizeof(*s->cgroup));
		if (!s->cgroup)
			return -ENOMEM;
		s->cgroup->version = (enum sc_cgroup_version)get_int(cg, "version");
		s->cgroup->dir = dup_str(cg, "dir");
		json_t *dirs = json_object_get(cg, "dirs");
		for (int c = 0; c < SC_CG_NCTRL; c++)
			s->cgroup->v1[c] = dup_str(dirs, sc_cgroup_ctrl_name(c));
	}
	return 0;
}

int sc_state_open(const char *root, const char *name, const char *file, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_state_path(root, name, file);
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = sc_open_regular(path, O_NOFOLLOW, err);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sc_error_errno(err, -errno, "%s: cannot stat", path);
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return sc_error_set(err, -EPERM, "%s: not written by this user, or writable by others; not trusted",
				    path);
	return TAKE_FD(fd);
}

int sc_state_check_spec(const struct sc_state *s, const char *verb, struct sc_error *err)
{
	if (!s->no_spec)
		return 0;
	return sc_error_set(err, -EPERM,
			    "cannot %s sandbox %s: its record was written by an older seclude and does not say "
			    "how it is confined; remove it (seclude rm -f %s) and run it again",
			    verb, s->name, s->name);
}

static bool is_id(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* An absolute path without "." or "..", whose last component is id. */
static bool is_cgroup_of(const char *dir, const char *id)
{
	if (!dir)
		return true;
	if (dir[0] != '/' || strstr(dir, "/./") || strstr(dir, "/../"))
		return false;
	const char *base = strrchr(dir, '/') + 1;
	return strcmp(base, id) == 0;
}

/*
 * What a record may name.  gc kills and removes the cgroup a record
 * names, and kill, stop, rm and exec act on its pid: a record that came
 * from anywhere but seclude must not point them at the host's cgroups.
 * seclude names every cgroup after the sandbox's id.
 */
static bool record_sane(const struct sc_state *s, const char *dir_name)
{
	if (strcmp(s->name, dir_name) != 0 || !is_id(s->id) || s->pid < 0 || s->supervisor < 0)
		return false;
	if (!s->cgroup)
		return true;
	bool ok = is_cgroup_of(s->cgroup->dir, s->id);
	for (int c = 0; c < SC_CG_NCTRL; c++)
		ok = ok && is_cgroup_of(s->cgroup->v1[c], s->id);
	return ok;
}

static int load_one(const char *root, const char *name, struct sc_state *out, struct sc_error *err)
{
	_cleanup_free_ char *path = sc_state_path(root, name, "state.json");
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = sc_state_open(root, name, "state.json", err);
	if (fd == -ENOENT)
		return sc_error_set(err, -ENOENT, "no such sandbox: %s", name);
	if (fd < 0)
		return fd;
	/* read whole: jansson reads a descriptor one byte a call */
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int rr = sc_read_fd(fd, path, 1 << 22, &text, &len, err);
	if (rr < 0)
		return rr;
	json_error_t je;
	json_t *o = json_loadb(text, len, 0, &je);
	if (!o)
		return sc_error_set(err, -EINVAL, "%s:%d: %s", path, je.line, je.text);
	int r = from_json(o, out);
	json_decref(o);
	if (r == 0 && !record_sane(out, name))
		r = -EINVAL;
	if (r < 0) {
		sc_state_free(out);
		return sc_error_set(err, r, "%s: not a sandbox record", path);
	}
	return 0;
}

static int cmp_newest_first(const void *a, const void *b)
{
	const struct sc_state *x = a, *y = b;
	return x->created < y->created ? 1 : x->created > y->created ? -1 : strcmp(x->name, y->name);
}

int sc_state_list(const char *root, struct sc_state **out, size_t *n, struct sc_error *err)
{
	*out = NULL;
	*n = 0;
	int rc = root_check(root, err);
	if (rc < 0)
		return rc;
	DIR *d = opendir(root);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return sc_error_errno(err, -errno, "cannot read %s", root);
	}
	struct sc_state *v = NULL;
	size_t cnt = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !sc_state_name_valid(e->d_name))
			continue;
		struct sc_state s;
		if (load_one(root, e->d_name, &s, NULL) < 0)
			continue;  /* a record being written, or not ours */
		struct sc_state *nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv) {
			sc_state_free(&s);
			closedir(d);
			sc_state_list_free(v, cnt);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
		v = nv;
		v[cnt++] = s;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_newest_first);
	*out = v;
	*n = cnt;
	return 0;
}

void sc_state_list_free(struct sc_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sc_state_free(&v[i]);
	free(v);
}

int sc_state_load(const char *root, const char *ref, struct sc_state *out, struct sc_error *err)
{
	if (!ref || !*ref)
		return sc_error_set(err, -EINVAL, "empty sandbox name");
	int rc = root_check(root, err);
	if (rc < 0)
		return rc;
	if (sc_state_name_valid(ref) && load_one(root, ref, out, NULL) == 0)
		return 0;
	/* Not a name: an id or a unique prefix of one. */
	struct sc_state *v;
	size_t n;
	int r = sc_state_list(root, &v, &n, err);
	if (r < 0)
		return r;
	size_t hits = 0, hit = 0, len = strlen(ref);
	for (size_t i = 0; i < n; i++)
		if (strncmp(v[i].id, ref, len) == 0)
			hits++, hit = i;
	if (hits == 1) {
		*out = v[hit];
		v[hit] = (struct sc_state){0};
	}
	sc_state_list_free(v, n);
	if (hits == 0)
		return sc_error_set(err, -ENOENT, "no such sandbox: %s", ref);
	if (hits > 1)
		return sc_error_set(err, -EINVAL, "multiple sandboxes found with id prefix %s", ref);
	return 0;
}

/*
 * Renamed out of the way first (onto an empty hidden directory, which
 * rename(2) replaces), then emptied: NAME is free at once, and no one
 * (gc, a claim of the same name) ever sees it half removed.
 */
/*
 * Renamed out of sight first (list and gc skip dot names), then emptied:
 * onto a fresh hidden name, never replacing anything (no directory is
 * made for it, which on a disk costs a block).  Where the file system
 * cannot rename without replacing, onto an empty directory made for it.
 */
static int hide(const char *root, const char *dir, char **gone_out)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		unsigned char rnd[4];
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			break;
		char *gone = NULL;
		if (asprintf(&gone, "%s/.gone.%d.%02x%02x%02x%02x", root, (int)getpid(), rnd[0], rnd[1], rnd[2],
			     rnd[3]) < 0)
			return -ENOMEM;
		if (renameat2(AT_FDCWD, dir, AT_FDCWD, gone, RENAME_NOREPLACE) == 0) {
			*gone_out = gone;
			return 0;
		}
		int e = errno;
		free(gone);
		if (e == EINVAL || e == ENOSYS)
			break;
		if (e != EEXIST)
			return -e;
	}
	char *gone = hidden_dir(root, "gone");
	if (!gone)
		return errno == ENOENT ? -ENOENT : -errno;
	if (rename(dir, gone) < 0) {
		int e = errno;
		rmdir(gone);
		free(gone);
		return -e;
	}
	*gone_out = gone;
	return 0;
}

int sc_state_remove(const char *root, const char *name, struct sc_error *err)
{
	_cleanup_free_ char *dir = sc_state_path(root, name, NULL);
	if (!dir)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_free_ char *gone = NULL;
	int r = hide(root, dir, &gone);
	if (r == -ENOENT)
		return 0;   /* no such record, or no state root: nothing to remove */
	if (r < 0)
		return sc_error_errno(err, r, "cannot remove %s", dir);
	r = sc_remove_flat_dir(gone);
	if (r < 0)
		return sc_error_errno(err, r, "cannot remove %s", gone);
	return 0;
}

/*
 * Hidden directories whose maker died: a claim never renamed into place,
 * a removal never finished.  The pid in the name says whose it is; one
 * that is alive (or reused) keeps it, which errs on the side of leaving.
 */
static void remove_dead_hidden(const char *root, const char *entry)
{
	int pid = 0;
	if ((sscanf(entry, ".claim.%d.", &pid) != 1 && sscanf(entry, ".gone.%d.", &pid) != 1) || pid <= 0)
		return;
	if (kill(pid, 0) == 0 || errno != ESRCH)
		return;
	_cleanup_free_ char *p = sc_state_path(root, entry, NULL);
	if (p)
		sc_remove_flat_dir(p);
}

/* Directories of claims whose owner died before writing a record. */
static void remove_abandoned_claims(const char *root)
{
	DIR *d = opendir(root);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && e->d_name[1] != '.')
			remove_dead_hidden(root, e->d_name);
		if (e->d_name[0] == '.' || !sc_state_name_valid(e->d_name))
			continue;
		int fd = -1;
		if (take_abandoned(root, e->d_name, &fd)) {
			sc_state_remove(root, e->d_name, NULL);
			close(fd);
		}
	}
	closedir(d);
}

/*
 * One record whose supervisor is gone, settled under its record lock as
 * stop, kill, rm and update change it: whatever they did meanwhile (the
 * record removed, the name taken again by another sandbox, one that
 * has a live supervisor) is seen here, and nothing of another sandbox
 * is killed or overwritten.
 */
static void settle(const char *root, const struct sc_state *s, struct sc_diags *diags)
{
	_cleanup_close_ int lk = sc_state_lock_record(root, s->name, NULL);
	if (lk < 0)
		return;
	struct sc_state fresh;
	if (load_one(root, s->name, &fresh, NULL) < 0)
		return;
	if (!fresh.id || !s->id || strcmp(fresh.id, s->id) || fresh.status == SC_STATUS_EXITED ||
	    sc_state_supervised(root, s->name)) {
		sc_state_free(&fresh);
		return;
	}
	struct sc_error e = {0};
	bool had = fresh.cgroup && sc_cgroup_is_populated(fresh.cgroup);
	if (fresh.cgroup && sc_cgroup_destroy(fresh.cgroup, &e) < 0) {
		/* Left as it is, so that the next command tries again. */
		sc_diags_add(diags, SC_DIAG_WARNING, "stale-cgroup", NULL, NULL,
			     "sandbox %s: %s", fresh.name, e.msg);
		sc_state_free(&fresh);
		return;
	}
	if (fresh.cgroup)
		sc_diags_add(diags, SC_DIAG_NOTE, "stale-cgroup", NULL, NULL,
			     "sandbox %s: its supervisor is gone; cgroup removed", fresh.name);
	if (fresh.auto_remove) {
		sc_state_remove(root, fresh.name, NULL);
	} else {
		fresh.status = SC_STATUS_EXITED;
		if (fresh.exit_code < 0)
			fresh.exit_code = had ? SC_EXIT_SIGNAL_BASE + SIGKILL : 255;
		fresh.finished = sc_now_ns();
		free(fresh.error);
		fresh.error = strdup("its seclude supervisor ended before the sandbox did");
		sc_state_save(root, &fresh, NULL);
	}
	sc_state_free(&fresh);
}

int sc_state_gc(const char *root, struct sc_diags *diags, struct sc_error *err)
{
	remove_abandoned_claims(root);
	struct sc_state *v;
	size_t n;
	int r = sc_state_list(root, &v, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (v[i].status != SC_STATUS_EXITED && !sc_state_supervised(root, v[i].name))
			settle(root, &v[i], diags);
	sc_state_list_free(v, n);
	return 0;
}
