/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A sandbox with a record, a cgroup and a supervisor; see supervise.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/caps.h"
#include "seclude/exit.h"
#include "seclude/guard.h"

#include "seclude/state.h"
#include "seclude/supervise.h"
#include "seclude/util.h"

/* What a detached supervisor tells the command that started it. */
struct start_report {
	int code;        /* 0: running; else a negative errno */
	int exit_code;   /* 125/126/127 when it failed */
	char msg[1024];
	char warnings[2048];   /* one a line */
};

/* Load, change, save, under the record lock (update writes the same record). */
struct change {
	enum sc_status status;
	pid_t pid;
	int exit_code;
	bool oom_killed;
	const char *error;
	bool started, finished;
};

static int record_change(const char *root, const char *name, const struct change *ch,
			 struct sc_error *err)
{
	int lk = sc_state_lock_record(root, name, err);
	if (lk < 0)
		return lk;
	struct sc_state s;
	int r = sc_state_load(root, name, &s, err);
	if (r == 0) {
		s.status = ch->status;
		s.supervisor = getpid();
		if (ch->pid) {
			s.pid = ch->pid;
			s.pid_start = sc_pid_start_time(ch->pid);
		}
		s.exit_code = ch->exit_code;
		s.oom_killed = ch->oom_killed;
		if (ch->error) {
			free(s.error);
			s.error = strdup(ch->error);
		}
		if (ch->started)
			s.started = sc_now_ns();
		if (ch->finished)
			s.finished = sc_now_ns();
		r = sc_state_save(root, &s, err);
		sc_state_free(&s);
	}
	close(lk);
	return r;
}

struct run {
	const struct sc_sandbox_config *c;
	const struct sc_supervise_opts *o;
	const char *root;
	char name[160];
	char id[65];
	struct sc_cgroup_limits limits;
	struct sc_cgroup *cg;
	bool cg_removed; /* the cgroup is gone already (see supervise) */
	bool auto_remove;
	int report_fd;   /* detached: where the start is reported, -1 otherwise */
	struct sc_diags *warnings;  /* detached: what goes into the report */
	bool started;    /* the sandbox's process existed */
	int watch_fd;    /* to the watcher (see start_watcher), -1 without one */
	pid_t watcher;
	bool rootless;   /* the caller is not root */
	char *delegated; /* then its delegated cgroup v2 subtree, or NULL: no cgroup */
};

/*
 * A user who is not root has a cgroup only in a subtree cgroup v2
 * delegates to them.  Without one a sandbox runs without a cgroup, and
 * one that asks for a limit (or a cgroup parent) is refused rather than
 * started without it.
 */
static int rootless_cgroup(const struct sc_supervise_opts *o, const struct sc_cgroup_limits *l,
			   char **delegated, struct sc_error *err)
{
	/*
	 * A run that asks for no cgroup only needs to know whether one is
	 * delegated, and a hierarchy with v1 controllers (no cgroup.controllers
	 * at its top, a controller's directory there) delegates none: two
	 * calls instead of the hierarchy's survey.
	 */
	struct stat st;
	if (!l->set && !o->cgroup_parent && !o->cgroup_root &&
	    access("/sys/fs/cgroup/cgroup.controllers", F_OK) < 0 && errno == ENOENT &&
	    stat("/sys/fs/cgroup/memory", &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	struct sc_cgroup_root cr = {0};
	struct sc_error why = {0};
	if (sc_cgroup_root_detect(o->cgroup_root, &cr, &why) == 0)
		sc_cgroup_delegated(&cr, geteuid(), delegated, &why);
	sc_cgroup_root_free(&cr);
	if (*delegated || (!l->set && !o->cgroup_parent))
		return 0;
	return sc_error_set(err, -EPERM, "%s a cgroup of your own, and you have none here: %s "
			    "(run as root, or where cgroup v2 delegates a subtree to your user)",
			    l->set ? "resource limits need" : "--cgroup-parent needs", why.msg);
}

/*
 * Without a pid namespace nothing takes the sandbox down with seclude:
 * the parent-death signal reaches only its first process, not what that
 * one started.  A watcher outside the sandbox waits on a pipe; seclude
 * writes one byte once it has cleaned up.  End of file without it means
 * seclude was killed: the watcher waits for the record's lock to be free
 * and settles the record as the next command would (sc_state_gc: the
 * cgroup killed frozen, then removed).
 */
static int start_watcher(struct run *x, struct sc_error *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return sc_error_errno(err, -errno, "cannot start the sandbox's watcher");
	_cleanup_free_ char *lock = sc_state_path(x->root, x->name, "lock");
	if (!lock) {
		close(p[0]);
		close(p[1]);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return sc_error_errno(err, e, "cannot start the sandbox's watcher");
	}
	if (pid == 0) {
		/* the terminal's signals are for seclude; its output and lock are not ours to hold */
		static const int ign[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE };
		for (size_t i = 0; i < SC_ARRAY_SIZE(ign); i++)
			signal(ign[i], SIG_IGN);
		int keep[] = { p[0] };
		sc_close_fds_except(keep, 1);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		for (int fd = 0; null >= 0 && fd < 3; fd++)
			dup2(null, fd);
		char b;
		ssize_t n;
		while ((n = read(p[0], &b, 1)) < 0 && errno == EINTR)
			;
		if (n == 1)
			_exit(0);
		int fd = open(lock, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
				;
			close(fd);
		}
		sc_state_gc(x->root, NULL, NULL);
		_exit(0);
	}
	close(p[0]);
	x->watch_fd = p[1];
	x->watcher = pid;
	return 0;
}

static void stop_watcher(struct run *x)
{
	if (x->watch_fd < 0)
		return;
	sc_write_all(x->watch_fd, "d", 1);
	close(x->watch_fd);
	x->watch_fd = -1;
	while (waitpid(x->watcher, NULL, 0) < 0 && errno == EINTR)
		;
}

static void report(struct run *x, int code, int exit_code, const struct sc_error *err)
{
	if (x->report_fd < 0)
		return;
	struct start_report rep = { .code = code, .exit_code = exit_code };
	if (err)
		snprintf(rep.msg, sizeof(rep.msg), "%s", err->msg);
	size_t n = 0;
	for (size_t i = 0; x->warnings && i < x->warnings->n && n < sizeof(rep.warnings); i++)
		if (x->warnings->v[i].level >= SC_DIAG_WARNING)
			n += (size_t)snprintf(rep.warnings + n, sizeof(rep.warnings) - n, "%s\n", x->warnings->v[i].msg);
	sc_write_all(x->report_fd, &rep, sizeof(rep));
	close(x->report_fd);
	x->report_fd = -1;
}

/* Everything from the cgroup to the end; the name is claimed, the record not yet written. */
static int supervise(struct run *x, int *exit_code, struct sc_diags *warnings, struct sc_error *err)
{
	const struct sc_sandbox_config *c = x->c;
	const struct sc_supervise_opts *o = x->o;
	int r;
	*exit_code = SC_EXIT_SECLUDE;

	struct sc_cgroup_root cr = {0};
	struct sc_error cerr = {0};
	if (x->rootless && !x->delegated) {
		/* no cgroup of the user's own here, and none asked for (see rootless_cgroup) */
	} else if (sc_cgroup_root_detect(o->cgroup_root, &cr, &cerr) < 0) {
		if (x->limits.set)
			return sc_error_set(err, cerr.code, "resource limits need a cgroup hierarchy: %s", cerr.msg);
		sc_diags_add(warnings, SC_DIAG_WARNING, "no-cgroup", NULL, NULL,
			     "the sandbox gets no cgroup of its own: %s", cerr.msg);
	} else {
		if (x->delegated && !(cr.delegated = strdup(x->delegated))) {
			sc_cgroup_root_free(&cr);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
		r = sc_cgroup_locate(&cr, o->cgroup_parent, x->id, &x->cg, err);
		if (r < 0) {
			sc_cgroup_root_free(&cr);
			return r;
		}
	}

	/*
	 * Recorded before the cgroup exists: a crash from here on leaves
	 * nothing the gc cannot find.  The record keeps the run's spec (not
	 * owned here) with what was loaded: the limits as checked, and the
	 * filter and flags the sandbox starts with (a denial session's may
	 * differ from the profile's).
	 */
	struct sc_state s = {
		.name = x->name,
		.id = x->id,
		.status = SC_STATUS_CREATED,
		.supervisor = getpid(),
		.exit_code = -1,
		.created = sc_now_ns(),
		.detached = o->detach,
		.auto_remove = x->auto_remove,
		.cgroup = x->cg,
	};
	if (o->spec)
		s.spec = *o->spec;
	s.spec.limits = x->limits;
	s.spec.seccomp.confined = c->bpf != NULL;
	s.spec.seccomp.filter.flags = c->seccomp_flags;
	s.spec.seccomp.notify = c->want_listener;
	if (!c->bpf)
		s.spec.seccomp.profile = NULL;
	/* what exec loads, kept in the record: no file of its own */
	const struct sc_bpf *eb = o->exec_bpf ? o->exec_bpf : c->bpf;
	if (eb) {
		s.bpf = eb->insns;
		s.bpf_len = eb->len * sizeof(*eb->insns);
	}
	/*
	 * Without a cgroup a crash leaves nothing for the gc to find but the
	 * claimed directory, which it finds without a record: the record is
	 * written once, when the sandbox runs.
	 */
	r = x->cg ? sc_state_save(x->root, &s, err) : 0;
	if (r == 0 && x->cg) {
		sc_cgroup_free(TAKE_PTR(x->cg));
		r = sc_cgroup_create(&cr, o->cgroup_parent, x->id, &x->cg, warnings, err);
		if (r == 0)
			r = sc_cgroup_apply(x->cg, &x->limits, warnings, err);
	}
	sc_cgroup_root_free(&cr);
	if (r < 0)
		return r;
	/* Docker's device list, or (where the cgroup cannot hold one) nodev mounts */
	bool devices = false;
	/* a user namespace makes no device node (mknod fails with EPERM) and may attach no device program */
	if (x->cg && !c->privileged && !x->rootless) {
		struct sc_error derr = {0};
		if (sc_cgroup_restrict_devices(x->cg, sc_docker_device_rules, &derr) == 0)
			devices = true;
		else
			sc_diags_add(warnings, SC_DIAG_WARNING, "devices", NULL, NULL,
				     "%s; device nodes are kept out by nodev mounts instead", derr.msg);
	}

	/* The parent joins the child to these before the child runs anything. */
	const char *dirs[SC_CG_NCTRL];
	size_t n = 0;
	if (x->cg && x->cg->version == SC_CGROUP_V2) {
		dirs[n++] = x->cg->dir;
	} else if (x->cg) {
		for (int i = 0; i < SC_CG_NCTRL; i++) {
			bool dup = false;
			for (size_t j = 0; x->cg->v1[i] && j < n; j++)
				dup |= strcmp(dirs[j], x->cg->v1[i]) == 0;
			if (x->cg->v1[i] && !dup)
				dirs[n++] = x->cg->v1[i];
		}
	}
	struct sc_sandbox_config cc = *c;
	cc.cgroup_dirs = dirs;
	cc.n_cgroup_dirs = n;
	cc.devices_cgroup = devices;

	/*
	 * Docker's hostname, hosts and resolv.conf: Docker keeps them with the
	 * record, but nothing here reads them from outside (exec sees them in
	 * the sandbox's mounts), so they are made in the sandbox's own tmpfs,
	 * never on the host's disk.
	 */
	char short_id[13];
	/* with the host's uts namespace Docker still writes the container's name */
	snprintf(short_id, sizeof(short_id), "%.12s", x->id);
	struct sc_etc_text etc;
	r = sc_etc_files_make(c->hostname ? c->hostname : short_id, c->net, &etc, err);
	if (r < 0)
		return r;
	cc.etc_text = &etc;

	if (x->cg && !(c->namespaces & SC_NS_PID) && (r = start_watcher(x, err)) < 0) {
		sc_etc_text_free(&etc);
		return r;
	}

	struct sc_sandbox *sb = NULL;
	r = sc_sandbox_start(&cc, &sb, err);
	sc_etc_text_free(&etc);
	if (r < 0) {
		if (x->cg)
			record_change(x->root, x->name, &(struct change){ .status = SC_STATUS_EXITED,
					.exit_code = SC_EXIT_SECLUDE, .error = err->msg, .finished = true }, NULL);
		return r;
	}
	x->started = true;
	struct sc_error rerr = {0};
	if (x->cg) {
		record_change(x->root, x->name, &(struct change){ .status = SC_STATUS_RUNNING, .exit_code = -1,
								   .pid = sc_sandbox_pid(sb), .started = true }, &rerr);
	} else {
		/* the first record: no one can have changed it (update needs one) */
		s.status = SC_STATUS_RUNNING;
		s.pid = sc_sandbox_pid(sb);
		s.pid_start = sc_pid_start_time(s.pid);
		s.started = sc_now_ns();
		sc_state_save(x->root, &s, &rerr);
	}
	/*
	 * Detached, the start is told once the command is executed, as docker
	 * run -d does: one that cannot be is the start's failure (its 125, 126
	 * or 127 and why, from the wait below, reported at the end).
	 */
	int ecode;
	if (x->report_fd < 0 || sc_sandbox_wait_exec(sb, &ecode, NULL) == 0)
		report(x, 0, 0, NULL);

	r = sc_sandbox_wait(sb, exit_code, err);
	sc_sandbox_free(sb);

	/* a record removed at the end has no one to tell how it ended */
	if (x->auto_remove)
		return r;
	struct sc_cgroup_stats st = {0};
	if (x->cg) {
		/* read, then removed before the record says exited: who waits for that finds it gone */
		sc_cgroup_read_stats(x->cg, &st, NULL);
		struct sc_error derr = {0};
		if (sc_cgroup_destroy(x->cg, &derr) < 0)
			sc_diags_add(warnings, SC_DIAG_WARNING, "cgroup", NULL, NULL, "%s", derr.msg);
		x->cg_removed = true;
	}
	record_change(x->root, x->name, &(struct change){
			.status = SC_STATUS_EXITED, .exit_code = *exit_code, .oom_killed = st.oom_kills > 0,
			.error = r < 0 ? err->msg : NULL, .finished = true }, NULL);
	return r;
}

static int run_claimed(struct run *x, int *exit_code, struct sc_diags *warnings, struct sc_error *err)
{
	int r = supervise(x, exit_code, warnings, err);
	if (x->cg && !x->cg_removed) {
		struct sc_error derr = {0};
		if (sc_cgroup_destroy(x->cg, &derr) < 0)
			sc_diags_add(warnings, SC_DIAG_WARNING, "cgroup", NULL, NULL, "%s", derr.msg);
	}
	/* A sandbox that never got a process leaves no record: its name is free again. */
	if (x->auto_remove || !x->started)
		sc_state_remove(x->root, x->name, NULL);
	stop_watcher(x);
	return r;
}

int sc_supervise_run(const struct sc_sandbox_config *c, const struct sc_supervise_opts *o,
		     int *exit_code, char id[65], struct sc_diags *warnings, struct sc_error *err)
{
	*exit_code = SC_EXIT_SECLUDE;
	_cleanup_free_ char *log = NULL;
	struct run x = { .c = c, .o = o, .root = sc_state_root(), .report_fd = -1, .watch_fd = -1 };
	sc_state_new_id(x.id);
	snprintf(id, 65, "%s", x.id);
	snprintf(x.name, sizeof(x.name), "%s", o->name ? o->name : x.id);
	x.auto_remove = o->auto_remove || !o->name;
	if (o->name && !sc_state_name_valid(o->name))
		return sc_error_set(err, -EINVAL, "invalid sandbox name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
				    o->name);

	if (o->spec && sc_limits_merge(&x.limits, &o->spec->limits) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int r = sc_limits_check(&x.limits, false, cpus > 0 ? (unsigned)cpus : 0, warnings, err);
	if (r < 0)
		goto out;
	x.rootless = geteuid() != 0;
	if (x.rootless && (r = rootless_cgroup(o, &x.limits, &x.delegated, err)) < 0)
		goto out;

	sc_state_gc(x.root, warnings, NULL);
	int lock = -1;
	if ((r = sc_state_claim(x.root, x.name, &lock, err)) < 0)
		goto out;

	if (!o->detach) {
		r = run_claimed(&x, exit_code, warnings, err);
		close(lock);
		goto out;
	}

	log = sc_state_path(x.root, x.name, "log");
	int p[2];
	if (!log || pipe2(p, O_CLOEXEC) < 0) {
		r = sc_error_errno(err, -errno, "cannot prepare the supervisor");
		close(lock);
		sc_state_remove(x.root, x.name, NULL);
		goto out;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		r = sc_error_errno(err, -errno, "cannot start the supervisor");
		close(p[0]);
		close(p[1]);
		close(lock);
		sc_state_remove(x.root, x.name, NULL);
		goto out;
	}
	if (pid == 0) {
		/* The supervisor: no terminal, no inherited descriptors, output into the log. */
		close(p[0]);
		setsid();
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			_exit(SC_EXIT_SECLUDE);
		close(in);
		close(out);
		int keep[] = { lock, p[1] };
		sc_close_fds_except(keep, SC_ARRAY_SIZE(keep));
		signal(SIGHUP, SIG_IGN);
		x.report_fd = p[1];
		struct sc_error serr = {0};
		struct sc_diags sw = {0};
		x.warnings = &sw;
		int code = SC_EXIT_SECLUDE;
		int sr = run_claimed(&x, &code, &sw, &serr);
		if (x.report_fd >= 0)
			report(&x, sr < 0 ? sr : -EIO, code, &serr);
		_exit(0);
	}
	close(p[1]);
	close(lock);
	struct start_report rep = { .code = -EIO, .exit_code = SC_EXIT_SECLUDE };
	ssize_t got = 0;
	while (got < (ssize_t)sizeof(rep)) {
		ssize_t n = read(p[0], (char *)&rep + got, sizeof(rep) - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(p[0]);
	if (got == (ssize_t)sizeof(rep)) {
		rep.warnings[sizeof(rep.warnings) - 1] = '\0';
		char *save = NULL;
		for (char *w = strtok_r(rep.warnings, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
			sc_diags_add(warnings, SC_DIAG_WARNING, "supervisor", NULL, NULL, "%s", w);
	}
	if (got != (ssize_t)sizeof(rep)) {
		r = sc_error_set(err, -EIO, "the supervisor ended before the sandbox started");
	} else if (rep.code < 0) {
		r = sc_error_set(err, rep.code, "%s", rep.msg);
		*exit_code = rep.exit_code;
	} else {
		r = 0;
		*exit_code = 0;
	}
out:
	sc_limits_free(&x.limits);
	sc_cgroup_free(x.cg);
	free(x.delegated);
	return r;
}

/* ------------------------------------------------------------------ */
/* exec */

static int read_bpf(const char *root, const struct sc_state *s, struct sc_bpf *out, struct sc_error *err)
{
	const char *name = s->name;
	if (s->bpf) {
		if (s->bpf_len == 0 || s->bpf_len % sizeof(struct sock_filter) ||
		    s->bpf_len > 4096 * sizeof(struct sock_filter))
			return sc_error_set(err, -EINVAL, "sandbox %s: its record holds no seccomp program", name);
		if (!(out->insns = malloc(s->bpf_len)))
			return sc_error_set(err, -ENOMEM, "out of memory");
		memcpy(out->insns, s->bpf, s->bpf_len);
		out->len = s->bpf_len / sizeof(struct sock_filter);
		return 0;
	}
	/* a record from an older seclude: its filter beside it */
	_cleanup_free_ char *path = sc_state_path(root, name, "seccomp.bpf");
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = sc_state_open(root, name, "seccomp.bpf", err);
	if (fd < 0)
		return fd;
	char *buf = NULL;
	size_t len = 0;
	int r = sc_read_fd(fd, path, 4096 * sizeof(struct sock_filter), &buf, &len, err);
	if (r < 0)
		return r;
	if (len == 0 || len % sizeof(struct sock_filter)) {
		free(buf);
		return sc_error_set(err, -EINVAL, "%s: not a seccomp program", path);
	}
	out->insns = (struct sock_filter *)buf;
	out->len = len / sizeof(struct sock_filter);
	return 0;
}

int sc_sandbox_exec(const char *root, const struct sc_state *s, char *const *argv,
		    int *exit_code, struct sc_error *err)
{
	*exit_code = SC_EXIT_SECLUDE;
	if (!argv || !argv[0])
		return sc_error_set(err, -EINVAL, "no command to run");
	int r = sc_state_check_spec(s, "exec into", err);
	if (r < 0)
		return r;
	if (s->status != SC_STATUS_RUNNING || s->pid <= 0)
		return sc_error_set(err, -ESRCH, "sandbox %s is not running", s->name);
	_cleanup_close_ int pidfd = sc_state_pidfd(s, err);
	if (pidfd < 0)
		return pidfd;
	struct sc_bpf bpf = {0};
	if (s->spec.seccomp.confined && (r = read_bpf(root, s, &bpf, err)) < 0)
		return r;

	/* the sandbox's spec says how it is confined: exec confines the same way */
	r = sc_sandbox_enter(&s->spec, pidfd, s->cgroup, s->spec.seccomp.confined ? &bpf : NULL, argv,
			     exit_code, err);
	free(bpf.insns);
	return r;
}
