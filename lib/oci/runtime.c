/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * create / start / state / kill / delete / pause over the records (see
 * runtime.h).  config.json is translated once into the launcher's
 * configuration: the same launcher, profile compiler and cgroup code as
 * `seclude run`, so a container an engine starts is confined as a
 * `seclude run` one is.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/seccomp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "create.h"
#include "idmount.h"
#include "record.h"
#include "seclude/denials.h"
#include "seclude/oci.h"
#include "seclude/runtime.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

/* ---- hooks ------------------------------------------------------------ */

static char *state_text(const char *id, const char *status, pid_t pid, const char *bundle,
			json_t *annotations)
{
	json_t *o = json_object();
	json_object_set_new(o, "ociVersion", json_string(SC_OCI_VERSION));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "pid", json_integer(pid));
	json_object_set_new(o, "bundle", json_string(bundle));
	if (annotations && json_object_size(annotations))
		json_object_set(o, "annotations", annotations);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static json_t *annotations_json(const struct sc_oci_config *cfg)
{
	json_t *a = json_object();
	for (size_t i = 0; i < cfg->n_annotations; i++)
		json_object_set_new(a, cfg->annotations[i].key, json_string(cfg->annotations[i].value));
	return a;
}

/*
 * One hook as config.md says: the state on its stdin, its own args and
 * env, killed after timeout seconds.  Its stdout goes nowhere and its
 * stderr into the message when it fails: the container's stdio is not
 * the hook's.
 */
static int run_hook(const struct sc_oci_hook *h, const char *kind, const char *state,
		    char *const *default_env, struct sc_error *err)
{
	int in[2], errp[2];
	if (pipe2(in, O_CLOEXEC) < 0)
		return sc_error_errno(err, -errno, "%s hook %s", kind, h->path);
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return sc_error_errno(err, -errno, "%s hook %s", kind, h->path);
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in[0]); close(in[1]); close(errp[0]); close(errp[1]);
		return sc_error_errno(err, -e, "%s hook %s", kind, h->path);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(null >= 0 ? null : errp[1], 1);
		dup2(errp[1], 2);
		char *const noargs[] = { h->path, NULL };
		char *const noenv[] = { NULL };
		execve(h->path, h->n_args ? h->args : noargs, h->env ? h->env : default_env ? default_env : noenv);
		dprintf(2, "%s", strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(errp[1]);
	signal(SIGPIPE, SIG_IGN);
	sc_write_all(in[1], state, strlen(state));
	close(in[1]);
	char msg[512] = "";
	size_t off = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int status = 0;
	for (;;) {
		struct pollfd p = { .fd = errp[0], .events = POLLIN };
		int timeout_ms = 100;
		if (poll(&p, 1, timeout_ms) > 0) {
			ssize_t k = read(errp[0], msg + off, sizeof(msg) - 1 - off);
			if (k > 0)
				off += (size_t)k;
			else
				p.fd = -1;
		}
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (h->timeout > 0 && t.tv_sec - t0.tv_sec >= h->timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(errp[0]);
			return sc_error_set(err, -ETIMEDOUT, "%s hook %s: timed out after %d s", kind, h->path,
					    h->timeout);
		}
	}
	close(errp[0]);
	msg[off] = '\0';
	while (off && (msg[off - 1] == '\n' || msg[off - 1] == ' '))
		msg[--off] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return sc_error_set(err, -ECANCELED, "error running %s hook %s: exit status %d%s%s", kind, h->path,
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			    off ? ", stderr: " : "", msg);
}

static int run_hooks(const struct sc_oci_config *cfg, enum sc_oci_hook_kind k, const char *state,
		     struct sc_error *err)
{
	for (size_t i = 0; i < cfg->n_hooks[k]; i++) {
		/* startContainer hooks without an env get the container's, as runc gives them */
		char *const *env = k == SC_HOOK_START_CONTAINER ? cfg->env : NULL;
		int r = run_hook(&cfg->hooks[k][i], sc_oci_hook_names[k], state, env, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- create ----------------------------------------------------------- */

static int write_proc(pid_t pid, const char *file, const char *text, struct sc_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || sc_write_all(fd, text, strlen(text)) < 0)
		return sc_error_errno(err, -errno, "cannot write %s", path);
	return 0;
}

/*
 * linux.sysctl: written from a helper that joins the container's network,
 * ipc and uts namespaces (net.* and kernel.* files under /proc/sys follow
 * the writer's namespaces).
 */
static int apply_sysctl(const struct create *x, pid_t pid, struct sc_error *err)
{
	if (!x->cfg->n_sysctl)
		return 0;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return sc_error_errno(err, -errno, "cannot open the container's namespaces");
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		close(pidfd);
		return sc_error_errno(err, -errno, "cannot set the sysctls");
	}
	pid_t h = fork();
	if (h == 0) {
		close(pfd[0]);
		struct sc_error e = {0};
		int ns = 0;
		if (x->cfg->namespaces & SC_NS_NET)
			ns |= CLONE_NEWNET;
		if (x->cfg->namespaces & SC_NS_IPC)
			ns |= CLONE_NEWIPC;
		if (x->cfg->namespaces & SC_NS_UTS)
			ns |= CLONE_NEWUTS;
		if (ns && setns(pidfd, ns) < 0)
			sc_error_errno(&e, -errno, "cannot join the container's namespaces");
		for (size_t i = 0; !e.code && i < x->cfg->n_sysctl; i++) {
			char path[PATH_MAX];
			int k = snprintf(path, sizeof(path), "/proc/sys/%s", x->cfg->sysctl[i].key);
			for (char *p = path + 10; k > 0 && *p; p++)
				if (*p == '.')
					*p = '/';
			_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || sc_write_all(fd, x->cfg->sysctl[i].value, strlen(x->cfg->sysctl[i].value)) < 0)
				sc_error_errno(&e, -errno, "cannot set sysctl %s=%s", x->cfg->sysctl[i].key,
					       x->cfg->sysctl[i].value);
		}
		sc_write_all(pfd[1], e.msg, strlen(e.msg));
		_exit(e.code ? 1 : 0);
	}
	close(pidfd);
	close(pfd[1]);
	char msg[1024] = "";
	ssize_t n = h > 0 ? read(pfd[0], msg, sizeof(msg) - 1) : -1;
	close(pfd[0]);
	int status = 1;
	if (h > 0)
		waitpid(h, &status, 0);
	if (h < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (n > 0)
			msg[n] = '\0';
		return sc_error_set(err, -EINVAL, "%s", n > 0 ? msg : "cannot set the sysctls");
	}
	return 0;
}

/* The launcher's parent-side hook: the child exists, blocked before its own setup. */
static int child_created(void *data, pid_t pid, struct sc_error *err)
{
	struct create *x = data;
	x->pid = pid;
	int r;
	if (x->cfg->has_oom_score_adj) {
		char v[16];
		snprintf(v, sizeof(v), "%d", x->cfg->oom_score_adj);
		if ((r = write_proc(pid, "oom_score_adj", v, err)) < 0)
			return r;
	}
	if ((r = apply_sysctl(x, pid, err)) < 0)
		return r;
	/* prestart and createRuntime: the runtime's namespaces, the container's exist */
	_cleanup_free_ char *st = state_text(x->o->id, "created", pid, x->bundle, x->annotations);
	if (!st)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if ((r = run_hooks(x->cfg, SC_HOOK_PRESTART, st, err)) < 0 ||
	    (r = run_hooks(x->cfg, SC_HOOK_CREATE_RUNTIME, st, err)) < 0 ||
	    (r = run_hooks(x->cfg, SC_HOOK_CREATE_CONTAINER, st, err)) < 0)
		return r;
	return 0;
}

/*
 * startContainer, in the container's process once start has released it:
 * its namespaces and root, the state with its own pid there and status
 * created, as runc runs them (runc: after the user and capabilities are
 * set; here before them, and before the filter).
 */
static int start_container_hooks(void *data, struct sc_error *err)
{
	struct create *x = data;
	if (!x->cfg->n_hooks[SC_HOOK_START_CONTAINER])
		return 0;
	_cleanup_free_ char *st = state_text(x->o->id, "created", getpid(), x->bundle, x->annotations);
	if (!st)
		return sc_error_set(err, -ENOMEM, "out of memory");
	int r = run_hooks(x->cfg, SC_HOOK_START_CONTAINER, st, err);
	/* start has returned: the container's stderr (the engine's log) is where this can be read */
	if (r < 0)
		dprintf(2, "seclude-runc: %s\n", err->msg);
	return r;
}

/*
 * The launcher's failure to start the command in runc's words (Go's
 * exec.LookPath and runc's "unable to start container process: "),
 * which engines match: Docker and Podman make "executable file not
 * found" and "no such file or directory" with the command's name status
 * 127, "permission denied" 126.
 */
static void exec_words(struct sc_error *err, int r, int code, const char *cmd)
{
	char msg[sizeof(err->msg)];
	snprintf(msg, sizeof(msg), "%s", err->msg);
	size_t n = cmd ? strlen(cmd) : 0;
	bool launcher = cmd && !strncmp(msg, "exec \"", 6) && !strncmp(msg + 6, cmd, n) && msg[6 + n] == '"';
	if (!launcher) {
		sc_error_set(err, r, "unable to start container process: %.900s", msg);
		return;
	}
	const char *why = msg + 6 + n + 1;   /* after exec "CMD" */
	why += strspn(why, ": ");
	char lower[512];
	snprintf(lower, sizeof(lower), "%s", why);
	for (char *c = lower; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (code == SC_EXIT_NOT_FOUND && strchr(cmd, '/') && !strstr(lower, "interpreter"))
		sc_error_set(err, r, "unable to start container process: exec: \"%.300s\": stat %.300s: %s", cmd, cmd,
			     "no such file or directory");
	else if (code == SC_EXIT_CANNOT_EXEC && strstr(lower, "permission denied"))
		sc_error_set(err, r, "unable to start container process: exec: \"%.300s\": permission denied", cmd);
	else if (strstr(lower, "executable file not found"))
		sc_error_set(err, r, "unable to start container process: exec: \"%.300s\": executable file not found "
			     "in $PATH", cmd);
	else
		sc_error_set(err, r, "unable to start container process: exec: \"%.300s\": %.400s", cmd, lower);
}

/* What this runtime cannot honour, refused before anything is made. */
static int check_supported(const struct sc_oci_config *cfg, struct sc_error *err)
{
	if (cfg->selinux_label && cfg->selinux_label[0])
		return sc_error_set(err, -EOPNOTSUPP, "%s: process.selinuxLabel: selinux label is specified in "
				    "config, but selinux is disabled or not supported", cfg->origin);
	if (!(cfg->namespaces & SC_NS_MOUNT))
		return sc_error_set(err, -EOPNOTSUPP, "%s: linux.namespaces: a container needs its own mount "
				    "namespace here", cfg->origin);
	return 0;
}

/*
 * cgroupsPath as runc reads it: absolute or relative cgroupfs, or systemd's
 * slice:prefix:name.  No systemd is asked for a scope: the directory is
 * the one systemd would give the unit, in the cgroupfs.
 */
static int cgroup_place(const struct sc_oci_create_opts *o, const struct sc_oci_config *cfg,
			const struct sc_cgroup_root *cr, char **parent, char **name, struct sc_error *err)
{
	const char *p = cfg->cgroups_path;
	if (o->systemd_cgroup || sc_oci_cgroup_is_systemd(p)) {
		char dir[4096], why[512];
		_cleanup_free_ char *dflt = NULL;
		if ((!p || !p[0]) && asprintf(&dflt, ":seclude:%s", o->id) < 0)
			return sc_error_set(err, -ENOMEM, "out of memory");
		if (sc_oci_cgroup_systemd(dflt ? dflt : p, o->id, o->rootless, dir, sizeof(dir), why, sizeof(why)) < 0)
			return sc_error_set(err, -EINVAL, "%s: linux.cgroupsPath: %s", cfg->origin, why);
		char *slash = strrchr(dir, '/');
		if (!slash)
			return sc_error_set(err, -EINVAL, "%s: linux.cgroupsPath: no cgroup for \"%s\"", cfg->origin, dflt ? dflt : p);
		*parent = slash == dir ? strdup("/") : strndup(dir, (size_t)(slash - dir));
		*name = strdup(slash + 1);
	} else if (!p || !p[0]) {
		*parent = strdup(sc_cgroup_default_parent(cr));
		*name = strdup(o->id);
	} else {
		const char *slash = strrchr(p, '/');
		if (!slash) {
			*parent = strdup(sc_cgroup_default_parent(cr));
			*name = strdup(p);
		} else {
			*parent = strndup(p, (size_t)(slash - p) + (slash == p));
			*name = strdup(slash + 1);
		}
	}
	return *parent && *name ? 0 : sc_error_set(err, -ENOMEM, "out of memory");
}

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t k = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + k, len - k, ".%09ldZ", ts.tv_nsec);
}

int sc_oci_connect(const char *socket_path, struct sc_error *err)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(socket_path) >= sizeof(a.sun_path)) {
		if (s >= 0)
			close(s);
		return sc_error_set(err, -ENAMETOOLONG, "%s: socket path too long", socket_path);
	}
	strcpy(a.sun_path, socket_path);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = -errno;
		if (s >= 0)
			close(s);
		return sc_error_errno(err, e, "cannot connect to the socket %s", socket_path);
	}
	return s;
}

int sc_oci_send_fd_on(int s, int fd, const char *what, struct sc_error *err)
{
	char name[] = "/dev/ptmx";
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(s, &msg, MSG_NOSIGNAL) < 0)
		return sc_error_errno(err, -errno, "cannot send the %s", what);
	return 0;
}

int sc_oci_send_fd(const char *socket_path, int fd, const char *what, struct sc_error *err)
{
	int s = sc_oci_connect(socket_path, err);
	if (s < 0)
		return s;
	int r = sc_oci_send_fd_on(s, fd, what, err);
	close(s);
	return r;
}

static int write_pid_file(const char *path, pid_t pid, struct sc_error *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	return sc_write_atomic(path, buf, (size_t)n, 0644, 0, err);
}

static char *absolute(const char *p)
{
	if (!p)
		p = ".";
	if (p[0] == '/')
		return strdup(p);
	char *cwd = getcwd(NULL, 0), *out = NULL;
	if (cwd && asprintf(&out, "%s/%s", cwd, p) < 0)
		out = NULL;
	free(cwd);
	return out;
}

/*
 * The bundle as runc names it (the working directory after its chdir to
 * the bundle, as Go's os.Getwd gives it): $PWD when that is the same
 * directory, else the path with its symbolic links resolved.
 */
static char *bundle_dir(const char *b)
{
	char *real = realpath(b ? b : ".", NULL);
	if (!real)
		return absolute(b);   /* loading its config.json says what is wrong */
	const char *pwd = getenv("PWD");
	struct stat ps, rs;
	if (pwd && pwd[0] == '/' && stat(pwd, &ps) == 0 && stat(real, &rs) == 0 && ps.st_dev == rs.st_dev &&
	    ps.st_ino == rs.st_ino) {
		free(real);
		return strdup(pwd);
	}
	return real;
}

struct built {
	struct sc_spec spec;
	struct sc_cgroup *cg;
	const char *dirs[SC_CG_NCTRL];
	size_t n_dirs;
	bool devices;
	int *trees;   /* the id-mapped mounts' (idmount.h), indexed like spec.mounts */
};

static void built_free(struct built *b)
{
	sc_oci_mount_trees_close(b->trees, b->spec.n_mounts);
	b->trees = NULL;
	sc_spec_free(&b->spec);
	sc_cgroup_free(b->cg);
}

static int make_cgroup(const struct sc_oci_create_opts *o, const struct sc_oci_config *cfg,
		       struct built *b, struct sc_error *err)
{
	struct sc_cgroup_root cr = {0};
	struct sc_error cerr = {0};
	if (sc_cgroup_root_detect(NULL, &cr, &cerr) < 0) {
		if (cfg->limits.set)
			return sc_error_set(err, cerr.code, "resource limits need a cgroup hierarchy: %s", cerr.msg);
		return 0;
	}
	_cleanup_free_ char *parent = NULL, *name = NULL;
	int r = cgroup_place(o, cfg, &cr, &parent, &name, err);
	if (r < 0) {
		sc_cgroup_root_free(&cr);
		return r;
	}
	r = sc_cgroup_create(&cr, parent, name, &b->cg, NULL, err);
	sc_cgroup_root_free(&cr);
	if (r < 0 && o->rootless && (r == -EACCES || r == -EPERM || r == -EROFS) &&
	    !(cfg->cgroups_path && cfg->cgroups_path[0])) {
		if (cfg->limits.set)
			return sc_error_set(err, r, "cannot set the resource limits: the container could not "
					    "create a cgroup (rootless): %s", err->msg);
		sc_error_clear(err);
		return 0;   /* the caller's cgroup, as runc's rootless cgroup manager leaves it */
	}
	if (r < 0)
		return r;
	if ((r = sc_cgroup_apply(b->cg, &cfg->limits, NULL, err)) < 0)
		return r;
	if (cfg->n_unified && b->cg->version == SC_CGROUP_V2 && (r = sc_oci_apply_unified(cfg, b->cg->dir, err)) < 0)
		return r;
	if (!cfg->devices_allow_all) {
		/* the standard nodes the container's /dev holds are always allowed, as runc adds them */
		size_t nd = 0, nc = 0;
		while (sc_docker_device_rules[nd].type)
			nd++;
		while (cfg->device_rules && cfg->device_rules[nc].type)
			nc++;
		_cleanup_free_ struct sc_device_rule *rules = calloc(nd + nc + 1, sizeof(*rules));
		if (!rules)
			return sc_error_set(err, -ENOMEM, "out of memory");
		memcpy(rules, sc_docker_device_rules, nd * sizeof(*rules));
		if (nc)
			memcpy(rules + nd, cfg->device_rules, nc * sizeof(*rules));
		struct sc_error derr = {0};
		b->devices = sc_cgroup_restrict_devices(b->cg, rules, &derr) == 0;
	}
	if (b->cg->version == SC_CGROUP_V2) {
		b->dirs[b->n_dirs++] = b->cg->dir;
	} else {
		for (int i = 0; i < SC_CG_NCTRL; i++) {
			bool dup = false;
			for (size_t j = 0; b->cg->v1[i] && j < b->n_dirs; j++)
				dup |= strcmp(b->dirs[j], b->cg->v1[i]) == 0;
			if (b->cg->v1[i] && !dup)
				b->dirs[b->n_dirs++] = b->cg->v1[i];
		}
	}
	return 0;
}


static int build(const struct sc_oci_create_opts *o, struct create *x, struct built *b,
		 struct sc_sandbox_config *c, struct sc_error *err)
{
	const struct sc_oci_config *cfg = x->cfg;
	int r = check_supported(cfg, err);
	if (r < 0)
		return r;
	if ((r = sc_oci_to_spec(cfg, x->bundle, x->complain, x->report_path != NULL, &b->spec, err)) < 0)
		return r;
	*c = (struct sc_sandbox_config){0};
	if ((r = sc_sandbox_config_from_spec(&b->spec, c, err)) < 0)
		return r;
	if ((r = sc_oci_mount_trees(cfg, &b->spec, &b->trees, err)) < 0)
		return r;
	c->mount_trees = b->trees;
	if (x->report_path) {
		if (!b->spec.seccomp.confined) {
			/* nothing to report: no filter (seccomp=unconfined) */
			free(x->report_path);
			x->report_path = NULL;
		} else {
			/* opened before anything starts: the monitor create forks writes to it */
			struct sc_error e = {0};
			if (!(x->report = sc_denial_sink_open(x->report_path, true, &e)))
				return sc_error_set(err, e.code, "%s: %s", x->o->log_denials ? "--log-denials"
						    : "annotation io.seclude.log-denials", e.msg);
			const struct sc_denials_opts dopts = {
				.mode = x->complain ? SC_DENIAL_COMPLAIN : SC_DENIAL_ENFORCE,
				.policy = b->spec.seccomp.filter.policy,
				.report = sc_oci_report_denial, .ud = x,
			};
			if ((r = sc_denials_begin(&dopts, c, &x->denials, err)) < 0)
				return r;
			/* the monitor's hooks run in the monitor create forks, not in create */
			x->denial_hooks = c->hooks;
		}
	}
	if (x->learn_path) {
		/* the recorder takes the profile's place, as in seclude learn */
		if ((r = sc_learn_notify_filter(&x->learn_filter, err)) < 0)
			return r;
		c->bpf = &x->learn_filter;
		c->seccomp_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		c->want_listener = true;
	} else if (cfg->listener_path && b->spec.seccomp.confined) {
		if (x->denials)
			return sc_error_set(err, -EOPNOTSUPP, "%s: linux.seccomp.listenerPath: an agent and seclude's "
					    "denial report cannot both have the listener", cfg->origin);
		c->want_listener = true;
	}
	c->outlive_parent = true;
	c->oci_caps = true;
	c->domainname = cfg->domainname;
	c->cap_effective = cfg->caps[SC_CAPS_EFFECTIVE];
	c->cap_permitted = cfg->caps[SC_CAPS_PERMITTED];
	c->cap_inheritable = cfg->caps[SC_CAPS_INHERITABLE];
	c->cap_ambient = cfg->caps[SC_CAPS_AMBIENT];
	c->preserve_fds = o->preserve_fds;
	c->extra_groups = cfg->additional_gids;
	c->n_extra_groups = cfg->n_additional_gids;
	c->hooks = (struct sc_sandbox_hooks){ .data = x, .child_created = child_created,
					      .before_exec = start_container_hooks };
	return 0;
}

/*
 * io.seclude.learn=PATH (or --learn DIR: DIR/ID.json) and
 * io.seclude.learn-for=RUNTIME (or --learn-for): what to learn, checked
 * before anything starts.
 */
static int prepare_learning(struct create *x, struct sc_error *err)
{
	const struct sc_oci_create_opts *o = x->o;
	const char *ann = sc_oci_annotation(x->cfg, "io.seclude.learn");
	const char *ann_for = sc_oci_annotation(x->cfg, "io.seclude.learn-for");
	if (ann && ann[0]) {
		x->learn_path = absolute(ann);
	} else if (o->learn_dir && o->learn_dir[0]) {
		_cleanup_free_ char *dir = absolute(o->learn_dir);
		if (!dir || asprintf(&x->learn_path, "%s/%s.json", dir, o->id) < 0)
			x->learn_path = NULL;
	} else {
		return 0;
	}
	if (!x->learn_path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	const char *what = ann && ann[0] ? "annotation io.seclude.learn" : "--learn";
	if (x->report_path)
		return sc_error_set(err, -EINVAL, "%s: learning and the denial report cannot both have the "
				    "container's listener", what);
	if (x->cfg->listener_path)
		return sc_error_set(err, -EOPNOTSUPP, "%s: learning and linux.seccomp.listenerPath cannot both "
				    "have the container's listener", what);
	/* the profile is written when the container ends: its directory must take it then */
	_cleanup_free_ char *dir = strdup(x->learn_path);
	if (!dir)
		return sc_error_set(err, -ENOMEM, "out of memory");
	*strrchr(dir, '/') = '\0';
	if (access(dir[0] ? dir : "/", W_OK) < 0)
		return sc_error_errno(err, -errno, "%s: cannot write the profile into %s", what, dir[0] ? dir : "/");
	/* seclude learn's request, with its defaults: the runtime's set and the calls of any moment added */
	x->learn.target = (struct sc_learn_for){ .runtime = ann_for && ann_for[0] ? ann_for
							 : o->learn_for ? o->learn_for : SC_LEARN_FOR_DEFAULT };
	if (!sc_learn_for_known(x->learn.target.runtime))
		return sc_error_set(err, -EINVAL, "%s: \"%s\": expected docker, runc, crun, podman, containerd, "
				    "seclude or none", ann_for && ann_for[0] ? "annotation io.seclude.learn-for"
				    : "--learn-for", x->learn.target.runtime);
	return sc_learn_request_ready(&x->learn, err);
}

/* The container's process has gone at the hold point's place: why, from the launcher. */
static bool ended(struct sc_sandbox *s)
{
	struct pollfd p = { .fd = sc_sandbox_pidfd(s), .events = POLLIN };
	return !sc_sandbox_held(s) || poll(&p, 1, 0) > 0;
}

int sc_oci_create(const struct sc_oci_create_opts *o, struct sc_error *err)
{
	if (!sc_oci_id_valid(o->id))
		return sc_error_set(err, -EINVAL, "invalid container ID format: %s", o->id ? o->id : "");
	/* before anything is opened: no fd of ours takes a number of the container's (runtime.h) */
	int r = sc_oci_reserve_fds(o->preserve_fds, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *bundle = bundle_dir(o->bundle);
	if (!bundle)
		return sc_error_set(err, -ENOMEM, "out of memory");
	struct create x = { .o = o, .bundle = bundle };
	r = sc_oci_config_load(bundle, &x.cfg, err);
	if (r < 0)
		return r;
	x.annotations = annotations_json(x.cfg);
	const char *ann_log = sc_oci_annotation(x.cfg, "io.seclude.log-denials");
	const char *ann_complain = sc_oci_annotation(x.cfg, "io.seclude.complain");
	x.complain = o->complain || (ann_complain && !strcmp(ann_complain, "true"));
	const char *log = o->log_denials ? o->log_denials : ann_log;
	if (sc_denial_sink_is_journal(log))
		x.report_path = strdup(log);
	else if (log && log[0])
		x.report_path = absolute(log);
	else if (x.complain && asprintf(&x.report_path, "%s/seclude-denials.json", bundle) < 0)
		x.report_path = NULL;

	if ((r = prepare_learning(&x, err)) < 0) {
		free(x.learn_path);
		sc_learn_request_free(&x.learn);
		free(x.report_path);
		json_decref(x.annotations);
		sc_oci_config_free(x.cfg);
		return r;
	}

	struct built b = {0};
	struct sc_sandbox_config c;
	_cleanup_free_ char *dir = sc_rec_path(o->root, o->id, NULL);
	_cleanup_free_ char *fifo = sc_rec_path(o->root, o->id, "exec.fifo");
	bool made_dir = false;
	int claim = -1;
	struct sc_sandbox *s = NULL;
	if (!dir || !fifo) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if ((r = build(o, &x, &b, &c, err)) < 0)
		goto out;
	if ((r = sc_mkdir_p(o->root, 0711, 0711, err)) < 0)
		goto out;
	/* the record's lock is held until create returns: another verb on the id waits for it */
	if ((claim = sc_rec_claim(o->root, o->id, err)) < 0) {
		r = claim;
		goto out;
	}
	made_dir = true;
	if ((r = sc_hold_create(fifo, err)) < 0)
		goto out;
	c.hold = fifo;
	if ((r = make_cgroup(o, x.cfg, &b, err)) < 0)
		goto out;
	c.cgroup_dirs = b.dirs;
	c.n_cgroup_dirs = b.n_dirs;
	c.devices_cgroup = b.devices;

	r = sc_sandbox_start(&c, &s, err);
	/* the child has its own: none is kept open here (nor in a monitor forked later) */
	sc_oci_mount_trees_close(b.trees, b.spec.n_mounts);
	b.trees = NULL;
	c.mount_trees = NULL;
	if (r < 0)
		goto out;
	if (ended(s)) {
		int code;
		r = sc_sandbox_wait(s, &code, err);
		if (r < 0)
			exec_words(err, r, code, x.cfg->args ? x.cfg->args[0] : NULL);
		if (r == 0)
			r = sc_error_set(err, -ECHILD, "the container process ended before it was started");
		goto out;
	}

	char created[64];
	now_rfc3339(created, sizeof(created));
	/* the owner's name, as runc gives it */
	char owner[64];
	struct passwd *pw = getpwuid(geteuid());
	snprintf(owner, sizeof(owner), "%s", geteuid() == 0 ? "root" : pw ? pw->pw_name : "");
	struct sc_rec rec = {
		.id = (char *)o->id,
		.pid = sc_sandbox_pid(s),
		.bundle = bundle,
		.rootfs = b.spec.root.path,
		.created = created,
		.owner = owner,
		.config = x.cfg->origin,
		.annotations = x.annotations,
		.cgroup = b.cg,
	};
	if ((r = sc_proc_start_time(rec.pid, &rec.start_time, NULL)) < 0) {
		r = sc_error_set(err, r, "the container process ended before it was started");
		goto out;
	}
	if ((r = sc_rec_save(o->root, &rec, err)) < 0)
		goto out;
	if (x.denials)
		r = sc_oci_fork_monitor(&x, s, err);
	else if (x.learn_path)
		r = sc_oci_fork_learner(&x, s, err);
	else if (c.want_listener)
		r = sc_oci_fork_agent_handoff(&x, s, err);
	if (r < 0)
		goto kill_out;
	if (x.cfg->terminal && o->console_socket) {
		/* the launcher hands the master over at detach */
		_cleanup_close_ int master = sc_sandbox_detach(s);
		s = NULL;
		if (master < 0) {
			r = sc_error_set(err, -EINVAL, "no terminal to send");
			goto kill_out;
		}
		if ((r = sc_oci_send_fd(o->console_socket, master, "console", err)) < 0)
			goto kill_out;
	}
	if (o->pidfd_socket) {
		_cleanup_close_ int pfd = sc_rec_pidfd(&rec);
		if (pfd < 0 || (r = sc_oci_send_fd(o->pidfd_socket, pfd, "pidfd", err)) < 0) {
			if (pfd < 0)
				r = sc_error_set(err, pfd, "the container process ended before it was started");
			goto kill_out;
		}
	}
	if (o->pid_file && (r = write_pid_file(o->pid_file, rec.pid, err)) < 0)
		goto kill_out;
	if (s)
		close(sc_sandbox_detach(s));
	s = NULL;
	r = 0;
	goto done;

kill_out:
	if (!s)
		kill(rec.pid, SIGKILL);
out:
	if (s)
		sc_sandbox_free(s);
	if (b.cg) {
		struct sc_error e = {0};
		sc_cgroup_destroy(b.cg, &e);
	}
	if (made_dir)
		sc_rec_remove(o->root, o->id);
done:
	if (claim >= 0)
		close(claim);
	built_free(&b);
	sc_denials_free(x.denials);
	if (x.report)
		fclose(x.report);
	free(x.report_path);
	free(x.learn_path);
	free(x.learn_filter.insns);
	sc_learn_request_free(&x.learn);
	json_decref(x.annotations);
	sc_oci_config_free(x.cfg);
	return r;
}

/* ---- the other verbs -------------------------------------------------- */

static int load_config_for(const struct sc_rec *rec, struct sc_oci_config **cfg)
{
	struct sc_error e = {0};
	if (!rec->config || !rec->config[0])
		return -ENOENT;
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (sc_read_file(rec->config, 64 << 20, &text, &len, &e) < 0)
		return -ENOENT;
	return sc_oci_config_parse(text, len, rec->config, cfg, &e);
}

int sc_oci_start(const char *root, const char *id, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_load(root, id, &rec, err);
	if (r < 0)
		return r;
	enum sc_oci_status st = sc_rec_status(root, &rec);
	if (st != SC_OCI_CREATED) {
		r = st == SC_OCI_STOPPED ? sc_error_set(err, -EINVAL, "cannot start a container that has stopped")
					 : sc_error_set(err, -EINVAL, "cannot start an already running container");
		sc_rec_free(&rec);
		return r;
	}
	_cleanup_free_ char *fifo = sc_rec_path(root, id, "exec.fifo");
	r = fifo ? sc_sandbox_release(fifo, err) : -ENOMEM;
	if (r == -ESRCH)
		sc_error_set(err, -ESRCH, "container not running");
	if (r == 0) {
		unlink(fifo);
		struct sc_oci_config *cfg = NULL;
		if (load_config_for(&rec, &cfg) == 0) {
			_cleanup_free_ char *s = state_text(id, "running", rec.pid, rec.bundle, rec.annotations);
			struct sc_error he = {0};
			/* poststart failures are only warnings, as runc logs them */
			if (s)
				run_hooks(cfg, SC_HOOK_POSTSTART, s, &he);
			sc_oci_config_free(cfg);
		}
	}
	sc_rec_free(&rec);
	return r;
}

int sc_oci_state(const char *root, const char *id, char **json, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_read(root, id, &rec, err);
	if (r < 0)
		return r;
	enum sc_oci_status st = sc_rec_status(root, &rec);
	json_t *o = json_object();
	json_object_set_new(o, "ociVersion", json_string(SC_OCI_VERSION));
	json_object_set_new(o, "id", json_string(rec.id));
	json_object_set_new(o, "pid", json_integer(st == SC_OCI_STOPPED ? 0 : rec.pid));
	json_object_set_new(o, "status", json_string(sc_oci_status_name(st)));
	json_object_set_new(o, "bundle", json_string(rec.bundle));
	json_object_set_new(o, "rootfs", json_string(rec.rootfs ? rec.rootfs : ""));
	json_object_set_new(o, "created", json_string(rec.created));
	if (rec.annotations && json_object_size(rec.annotations))
		json_object_set(o, "annotations", rec.annotations);
	json_object_set_new(o, "owner", json_string(rec.owner ? rec.owner : ""));
	*json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	sc_rec_free(&rec);
	return *json ? 0 : sc_error_set(err, -ENOMEM, "out of memory");
}

int sc_oci_kill(const char *root, const char *id, int sig, bool all, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_load(root, id, &rec, err);
	if (r < 0)
		return r;
	if (all && rec.cgroup) {
		r = sc_cgroup_signal(rec.cgroup, sig, err);
		sc_rec_free(&rec);
		return r;
	}
	int fd = sc_rec_pidfd(&rec);
	sc_rec_free(&rec);
	if (fd < 0)
		return all ? 0 : sc_error_set(err, -ESRCH, "container not running");
	r = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	int e = errno;
	close(fd);
	if (r < 0)
		return e == ESRCH ? sc_error_set(err, -ESRCH, "container not running")
				  : sc_error_errno(err, -e, "cannot signal the container");
	return 0;
}

/* Until the process is gone: a pidfd turns readable when it exits (a zombie included). */
static void wait_gone(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	for (int i = 0; i < 100 && poll(&p, 1, 100) == 0; i++)
		;
}

int sc_oci_delete(const char *root, const char *id, bool force, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_load(root, id, &rec, err);
	if (r == -ENOENT && force) {
		sc_error_clear(err);
		return 0;
	}
	if (r < 0)
		return r;
	enum sc_oci_status st = sc_rec_status(root, &rec);
	if ((st == SC_OCI_RUNNING || st == SC_OCI_PAUSED) && !force) {
		r = sc_error_set(err, -EBUSY, "cannot delete container %s that is not stopped: %s", id,
				 sc_oci_status_name(st));
		sc_rec_free(&rec);
		return r;
	}
	if (st != SC_OCI_STOPPED) {
		int fd = sc_rec_pidfd(&rec);
		if (rec.cgroup) {
			struct sc_error e = {0};
			sc_cgroup_signal(rec.cgroup, SIGKILL, &e);
		}
		if (fd >= 0) {
			syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
			wait_gone(fd);
			close(fd);
		}
	}
	if (rec.cgroup) {
		struct sc_error e = {0};
		sc_cgroup_destroy(rec.cgroup, &e);
	}
	struct sc_oci_config *cfg = NULL;
	if (load_config_for(&rec, &cfg) == 0) {
		_cleanup_free_ char *s = state_text(id, "stopped", 0, rec.bundle, rec.annotations);
		struct sc_error he = {0};
		if (s)
			run_hooks(cfg, SC_HOOK_POSTSTOP, s, &he);   /* failures are warnings, as in runc */
		sc_oci_config_free(cfg);
	}
	r = sc_rec_remove(root, id);
	sc_rec_free(&rec);
	return r < 0 ? sc_error_errno(err, r, "cannot remove the record of %s", id) : 0;
}

int sc_oci_pause(const char *root, const char *id, bool pause, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_load(root, id, &rec, err);
	if (r < 0)
		return r;
	enum sc_oci_status st = sc_rec_status(root, &rec);
	if (st == SC_OCI_STOPPED || st == SC_OCI_CREATED) {
		sc_rec_free(&rec);
		return sc_error_set(err, -EINVAL, "container not running");
	}
	_cleanup_free_ char *path = NULL;
	const char *val;
	if (!rec.cgroup) {
		r = -EOPNOTSUPP;
	} else if (rec.cgroup->version == SC_CGROUP_V2) {
		r = asprintf(&path, "%s/cgroup.freeze", rec.cgroup->dir) < 0 ? -ENOMEM : 0;
	} else {
		r = rec.cgroup->v1[SC_CG_FREEZER] &&
		    asprintf(&path, "%s/freezer.state", rec.cgroup->v1[SC_CG_FREEZER]) >= 0 ? 0 : -EOPNOTSUPP;
	}
	if (r < 0) {
		sc_rec_free(&rec);
		return sc_error_set(err, r, "the container has no freezer cgroup");
	}
	if (rec.cgroup->version == SC_CGROUP_V2)
		val = pause ? "1" : "0";
	else
		val = pause ? "FROZEN" : "THAWED";
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || sc_write_all(fd, val, strlen(val)) < 0)
		r = sc_error_errno(err, -errno, "cannot write %s", path);
	/* v1 FREEZING settles to FROZEN */
	for (int i = 0; r == 0 && pause && i < 1000 && !sc_rec_frozen(&rec); i++) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	sc_rec_free(&rec);
	return r;
}

int sc_oci_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_read(root, id, &rec, err);
	if (r < 0)
		return r;
	*pids = NULL;
	*n = 0;
	if (rec.cgroup)
		r = sc_cgroup_pids(rec.cgroup, pids, n, err);
	else if (sc_rec_alive(&rec) && (*pids = malloc(sizeof(pid_t)))) {
		(*pids)[0] = rec.pid;
		*n = 1;
	}
	sc_rec_free(&rec);
	return r;
}

int sc_oci_update(const char *root, const char *id, const struct sc_oci_config *res, struct sc_error *err)
{
	struct sc_rec rec;
	int r = sc_rec_load(root, id, &rec, err);
	if (r < 0)
		return r;
	if (sc_rec_status(root, &rec) == SC_OCI_STOPPED)
		r = sc_error_set(err, -ESRCH, "container not running");
	else if (!rec.cgroup)
		r = sc_error_set(err, -EOPNOTSUPP, "the container has no cgroup to update");
	/* runc's words, and as runc nothing is written then */
	else if (res->n_unified && rec.cgroup->version != SC_CGROUP_V2)
		r = sc_error_set(err, -EOPNOTSUPP, "invalid configuration: cannot use unified on cgroup v1");
	else if ((r = sc_cgroup_apply(rec.cgroup, &res->limits, NULL, err)) == 0 && res->n_unified)
		r = sc_oci_apply_unified(res, rec.cgroup->dir, err);
	sc_rec_free(&rec);
	return r;
}
