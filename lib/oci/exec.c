/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec: a new process in a running container, as the containerd shim
 * (detached, --pid-file) and CRI-O (attached) ask runc for one.
 *
 * This process becomes a subreaper and forks a helper, which joins the
 * container's cgroup and namespaces (setns through a pidfd of its init)
 * and forks the process itself, the pid namespace taking in only the
 * children of who joined it.  The helper sends the process's pid and
 * exits: the process is then this one's child (attached: it waits for
 * it) or, once this one exits, the caller's subreaper's (detached).
 * Failures before execve come back on a close-on-exec pipe, which reads
 * empty once execve succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux//seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"
#include "record.h"
#include "seclude/caps.h"
#include "seclude/names.h"
#include "seclude/exit.h"
#include "seclude/filter.h"
#include "seclude/guard.h"
#include "seclude/oci.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

struct failure {
	int code;
	int exit_code;
	char msg[512];
};

/* strerror in Go's words, as runc's messages give it: "no such file or directory" */
static const char *go_strerror(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static _Noreturn void fail_child(int fd, int code, int exit_code, const char *what)
{
	struct failure f = { .code = code, .exit_code = exit_code };
	char e[128];
	snprintf(f.msg, sizeof(f.msg), "%s%s%s", what, code ? ": " : "", code ? go_strerror(-code, e, sizeof(e)) : "");
	sc_write_all(fd, &f, sizeof(f));
	_exit(exit_code);
}

static int ns_flags(pid_t pid)
{
	/* every namespace the container has apart from this process's */
	static const struct { const char *name; int flag; } ns[] = {
		{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },
		{ "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET }, { "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS },
	};
	int flags = 0;
	for (size_t i = 0; i < SC_ARRAY_SIZE(ns); i++) {
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		snprintf(b, sizeof(b), "/proc/self/ns/%s", ns[i].name);
		if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino != sb.st_ino)
			flags |= ns[i].flag;
	}
	return flags;
}

struct plan {
	const struct sc_oci_exec_opts *o;
	struct sc_oci_config *proc;   /* the process fields, with the options applied */
	const char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t *gids;                  /* the additional gids */
	size_t n_gids;
	struct sc_bpf bpf;            /* the container's filter, guarded; len 0: none */
	unsigned seccomp_flags;
	struct sc_cgroup *cgroup;
	int pidfd;
	int tty_slave;
	char **env;
};

/* A user namespace whose gid map an unprivileged caller wrote (rootless) has setgroups denied. */
static bool setgroups_denied(void)
{
	char buf[16] = "";
	_cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	return n > 0 && strncmp(buf, "deny", 4) == 0;
}

/*
 * --apparmor: the profile the process changes to on execve, as runc asks
 * for it (written to the LSM's exec attribute); a host without AppArmor
 * refuses the write, and so the exec, as it refuses runc's.
 */
static void apparmor_on_exec(const char *profile, int fd)
{
	const char *path = "/proc/thread-self/attr/apparmor/exec";
	int a = open(path, O_WRONLY | O_CLOEXEC);
	if (a < 0 && errno == ENOENT)
		a = open(path = "/proc/self/attr/exec", O_WRONLY | O_CLOEXEC);
	char what[300];
	snprintf(what, sizeof(what), "apparmor failed to apply profile: write %s", path);
	if (a < 0)
		fail_child(fd, -errno, SC_EXIT_SECLUDE, what);
	char buf[300];
	int n = snprintf(buf, sizeof(buf), "exec %s", profile);
	if (n >= (int)sizeof(buf))
		fail_child(fd, -ENAMETOOLONG, SC_EXIT_SECLUDE, what);
	if (write(a, buf, (size_t)n) != n)
		fail_child(fd, -errno, SC_EXIT_SECLUDE, what);
	close(a);
}

static _Noreturn void inside(struct plan *p, int fd)
{
	const struct sc_oci_config *pc = p->proc;
	if (setsid() < 0)
		fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot start a new session");
	if (p->tty_slave >= 0) {
		if (ioctl(p->tty_slave, TIOCSCTTY, 0) < 0)
			fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot make the terminal the controlling one");
		for (int k = 0; k < 3; k++)
			dup2(p->tty_slave, k);
	}
	if (chdir(p->cwd) < 0) {
		char what[sizeof(((struct failure *)0)->msg) - 64];
		snprintf(what, sizeof(what), "chdir to cwd (\"%.300s\") set in config.json failed", p->cwd);
		fail_child(fd, -errno, SC_EXIT_SECLUDE, what);
	}
	for (size_t i = 0; i < pc->n_rlimits; i++) {
		struct rlimit rl = { pc->rlimits[i].soft, pc->rlimits[i].hard };
		if (setrlimit(pc->rlimits[i].resource, &rl) < 0)
			fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot set a resource limit");
	}
	uint64_t bounding = pc->caps[SC_CAPS_BOUNDING];
	for (int cap = 0; cap <= sc_cap_last(); cap++)
		if (!(bounding & SC_CAP_SET(cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot drop a capability");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* the capabilities survive the uid change until execve: the filter's load needs CAP_SYS_ADMIN */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    (setgroups(p->n_gids, p->gids) < 0 && !(errno == EPERM && !p->n_gids && setgroups_denied())) ||
	    setresgid(p->gid, p->gid, p->gid) < 0 || setresuid(p->uid, p->uid, p->uid) < 0)
		fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot become the process's user");
	uint64_t perm;
	struct sc_error ce = {0};
	if (sc_caps_get(NULL, &perm, NULL, &ce) < 0 || sc_caps_set(perm, perm, 0, &ce) < 0 ||
	    sc_caps_oci(pc->caps[SC_CAPS_EFFECTIVE], pc->caps[SC_CAPS_PERMITTED], pc->caps[SC_CAPS_INHERITABLE],
			pc->caps[SC_CAPS_AMBIENT], pc->no_new_privileges ? 0 : SC_CAP_SET(CAP_SYS_ADMIN), &ce) < 0)
		fail_child(fd, ce.code, SC_EXIT_SECLUDE, "cannot keep the capabilities until execve");
	if (pc->has_umask)
		umask(pc->umask);
	if (pc->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot set no_new_privs");
	/* the fds: 0-2, the preserved ones, and the failure pipe until execve */
	unsigned first = 3U + p->o->preserve_fds;
	if ((unsigned)fd >= first) {
		if ((unsigned)fd > first)
			syscall(SYS_close_range, first, (unsigned)fd - 1, 0U);
		syscall(SYS_close_range, (unsigned)fd + 1, ~0U, 0U);
	} else {
		syscall(SYS_close_range, first, ~0U, 0U);
	}
	char **args = pc->args;
	if (p->o->apparmor && p->o->apparmor[0])
		apparmor_on_exec(p->o->apparmor, fd);
	if (p->bpf.len) {
		struct sock_fprog prog = { .len = (unsigned short)p->bpf.len, .filter = p->bpf.insns };
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->seccomp_flags, &prog) < 0)
			fail_child(fd, -errno, SC_EXIT_SECLUDE, "cannot load the container's seccomp filter");
	}
	execvpe(args[0], args, p->env);
	int e = errno;
	char what[300];
	/*
	 * runc's words (Go's exec.LookPath), which Docker turns into exit
	 * status 127 ("executable file not found", "no such file or
	 * directory" with the command's name) or 126 ("permission denied")
	 */
	bool path = strchr(args[0], '/') != NULL;
	if (e == ENOENT && !path)
		snprintf(what, sizeof(what), "exec: \"%.200s\": executable file not found in $PATH", args[0]);
	else if ((e == ENOENT || e == ENOTDIR) && path)
		snprintf(what, sizeof(what), "exec: \"%.120s\": stat %.120s", args[0], args[0]);
	else
		snprintf(what, sizeof(what), "exec: \"%.200s\"", args[0]);
	fail_child(fd, e == ENOENT && !path ? 0 : -e, e == ENOENT ? SC_EXIT_NOT_FOUND : SC_EXIT_CANNOT_EXEC, what);
}

static int load_filter(const struct sc_rec *rec, const struct sc_oci_config *pc, struct plan *p,
		       struct sc_error *err)
{
	struct sc_oci_config *cfg = NULL;
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (!rec->config || !rec->config[0] || sc_read_file(rec->config, 64 << 20, &text, &len, NULL) < 0 ||
	    sc_oci_config_parse(text, len, rec->config, &cfg, NULL) < 0)
		return 0;   /* the bundle is gone: the container's filter cannot be known */
	bool has = cfg->has_seccomp;
	sc_oci_config_free(cfg);
	if (!has)
		return 0;
	struct sc_filter f = {0};
	struct sc_filter_opts fo = { .caps = pc->caps[SC_CAPS_BOUNDING] };
	int r = sc_filter_for(rec->config, &fo, &f, NULL, err);
	if (r < 0)
		return r;
	r = sc_guard_prepend(&f.bpf, &p->bpf, err);
	p->seccomp_flags = f.flags;
	sc_filter_free(&f);
	return r;
}

/* What runc's validateProcessSpec refuses, in its words. */
static int check_process(const struct sc_oci_config *pc, const char *cwd, struct sc_error *err)
{
	if (!cwd || !cwd[0])
		return sc_error_set(err, -EINVAL, "Cwd property must not be empty");
	if (cwd[0] != '/')
		return sc_error_set(err, -EINVAL, "Cwd must be an absolute path");
	if (!pc->args || !pc->args[0])
		return sc_error_set(err, -EINVAL, "args must not be empty");
	if (pc->selinux_label && pc->selinux_label[0])
		return sc_error_set(err, -EOPNOTSUPP,
				    "selinux label is specified in config, but selinux is disabled or not supported");
	return 0;
}

/* The options over the process's fields, as runc's exec puts its flags over them. */
static int apply_opts(const struct sc_oci_exec_opts *o, struct plan *p, struct sc_error *err)
{
	struct sc_oci_config *pc = p->proc;
	if (o->process_label && o->process_label[0]) {
		free(pc->selinux_label);
		if (!(pc->selinux_label = strdup(o->process_label)))
			return sc_error_set(err, -ENOMEM, "out of memory");
	}
	p->cwd = o->cwd && o->cwd[0] ? o->cwd : pc->cwd;
	p->uid = o->has_uid ? o->uid : pc->uid;
	p->gid = o->has_gid ? o->gid : pc->gid;
	if (!(p->gids = calloc(pc->n_additional_gids + o->n_additional_gids + 1, sizeof(gid_t))))
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < pc->n_additional_gids; i++)
		p->gids[p->n_gids++] = pc->additional_gids[i];
	for (size_t i = 0; i < o->n_additional_gids; i++)
		p->gids[p->n_gids++] = o->additional_gids[i];
	/* an ambient capability also needs to be inheritable: runc's --cap adds none that is not */
	pc->caps[SC_CAPS_BOUNDING] |= o->caps;
	pc->caps[SC_CAPS_EFFECTIVE] |= o->caps;
	pc->caps[SC_CAPS_PERMITTED] |= o->caps;
	pc->caps[SC_CAPS_AMBIENT] |= o->caps;
	if (o->no_new_privs >= 0)
		pc->no_new_privileges = o->no_new_privs > 0;
	return check_process(pc, p->cwd, err);
}

static int build_plan(const struct sc_oci_exec_opts *o, const struct sc_rec *rec, struct plan *p,
		      struct sc_error *err)
{
	int r;
	if (o->process) {
		_cleanup_free_ char *text = NULL;
		size_t len;
		if ((r = sc_read_file(o->process, 16 << 20, &text, &len, err)) < 0 ||
		    (r = sc_oci_process_parse(text, len, o->process, &p->proc, err)) < 0)
			return r;
	} else {
		/* runc's exec without a process file: the container's own process, with these args */
		if (!o->args || !o->args[0])
			return sc_error_set(err, -EINVAL, "process args cannot be empty");
		_cleanup_free_ char *text = NULL;
		size_t len;
		if (!rec->config || (r = sc_read_file(rec->config, 64 << 20, &text, &len, err)) < 0 ||
		    (r = sc_oci_config_parse(text, len, rec->config, &p->proc, err)) < 0)
			return rec->config ? r : sc_error_set(err, -ENOENT, "the container's config.json is gone");
		p->proc->terminal = false;
		size_t n = 0;
		while (o->args[n])
			n++;
		char **args = calloc(n + 1, sizeof(char *));
		if (!args)
			return sc_error_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++)
			if (!(args[i] = strdup(o->args[i]))) {
				sc_strv_free(args, i);
				return sc_error_set(err, -ENOMEM, "out of memory");
			}
		sc_strv_free(p->proc->args, p->proc->n_args);
		p->proc->args = args;
		p->proc->n_args = n;
	}
	if ((r = apply_opts(o, p, err)) < 0)
		return r;
	size_t n = p->proc->n_env + o->n_env;
	if (!(p->env = calloc(n + 2, sizeof(char *))))
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < p->proc->n_env; i++)
		p->env[k++] = p->proc->env[i];
	for (size_t i = 0; i < o->n_env; i++)
		p->env[k++] = o->env[i];
	if (!k)
		p->env[k++] = (char *)"PATH=" SC_DEFAULT_PATH;
	return load_filter(rec, p->proc, p, err);
}

/* A --cgroup path: relative, inside the container's cgroup (no ".."). */
static bool sub_path_ok(const char *p)
{
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return false;
		c += n;
		c += *c == '/';
	}
	return p[0] != '\0';
}

/*
 * --cgroup: the container's cgroup with each controller's sub-cgroup
 * joined to its path, as runc joins them; *out NULL when none is asked for.
 */
static int sub_cgroup(const struct sc_oci_exec_opts *o, const struct sc_cgroup *cg, struct sc_cgroup **out,
		      struct sc_error *err)
{
	*out = NULL;
	if (!o->n_cgroup)
		return 0;
	if (!cg)
		return sc_error_set(err, -EOPNOTSUPP, "--cgroup: the container has no cgroup");
	for (size_t i = 0; i < o->n_cgroup; i++)
		if (!sub_path_ok(o->cgroup_paths[i]))
			return sc_error_set(err, -EINVAL, "invalid --cgroup argument: %s (not a path inside the "
					    "container's cgroup)", o->cgroup_paths[i]);
	struct sc_cgroup *d = calloc(1, sizeof(*d));
	if (!d)
		return sc_error_set(err, -ENOMEM, "out of memory");
	d->version = cg->version;
	int r = 0;
	if (cg->version == SC_CGROUP_V2) {
		if (o->n_cgroup != 1 || o->cgroup_ctrls[0][0])
			r = sc_error_set(err, -EINVAL, "invalid --cgroup argument: %s:%s (cgroup v2 has no controller "
					 "of its own: give the path alone)", o->cgroup_ctrls[0], o->cgroup_paths[0]);
		else if (asprintf(&d->dir, "%s/%s", cg->dir, o->cgroup_paths[0]) < 0)
			d->dir = NULL, r = sc_error_set(err, -ENOMEM, "out of memory");
	} else {
		for (int c = 0; c < SC_CG_NCTRL && r == 0; c++) {
			if (!cg->v1[c])
				continue;
			const char *sub = NULL;
			for (size_t i = 0; i < o->n_cgroup; i++)
				if (!o->cgroup_ctrls[i][0] || !strcmp(o->cgroup_ctrls[i], sc_cgroup_ctrl_name(c)))
					sub = o->cgroup_paths[i];
			int n = sub ? asprintf(&d->v1[c], "%s/%s", cg->v1[c], sub) : -1;
			if (!sub)
				d->v1[c] = strdup(cg->v1[c]);
			if ((sub && n < 0) || !d->v1[c])
				d->v1[c] = NULL, r = sc_error_set(err, -ENOMEM, "out of memory");
		}
	}
	if (r < 0) {
		sc_cgroup_free(d);
		return r;
	}
	*out = d;
	return 0;
}

static int open_pty(int *master, int *slave, struct sc_error *err)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char *name;
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || !(name = ptsname(m))) {
		int e = -errno;
		if (m >= 0)
			close(m);
		return sc_error_errno(err, e, "cannot open a pseudo-terminal");
	}
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		int e = -errno;
		close(m);
		return sc_error_errno(err, e, "cannot open %s", name);
	}
	*master = m;
	*slave = s;
	return 0;
}

int sc_oci_exec(const struct sc_oci_exec_opts *o, int *exit_code, struct sc_error *err)
{
	*exit_code = SC_EXIT_SECLUDE;
	/* before anything is opened: no fd of ours takes a number of the process's (runtime.h) */
	int r = sc_oci_reserve_fds(o->preserve_fds, err);
	if (r < 0)
		return r;
	struct sc_rec rec;
	r = sc_rec_load(o->root, o->id, &rec, err);
	if (r < 0)
		return r;
	struct plan p = { .o = o, .pidfd = -1, .tty_slave = -1 };
	int fpipe[2] = { -1, -1 }, ppipe[2] = { -1, -1 };
	int console = -1, relay = -1, master = -1;   /* the terminal's: where it goes, where it comes back */
	struct sc_cgroup *sub = NULL;                /* --cgroup's */
	enum sc_oci_status st = sc_rec_status(o->root, &rec);
	/* runc execs in a created container too: its process waits, set up, at the hold point */
	if (st == SC_OCI_STOPPED) {
		r = sc_error_set(err, -ESRCH, "cannot exec in a stopped container");
		goto out;
	}
	if (st == SC_OCI_PAUSED && !o->ignore_paused) {
		r = sc_error_set(err, -EBUSY, "cannot exec in a paused container (use --ignore-paused to override)");
		goto out;
	}
	if ((r = build_plan(o, &rec, &p, err)) < 0)
		goto out;
	p.cgroup = rec.cgroup;
	if ((r = sub_cgroup(o, rec.cgroup, &sub, err)) < 0)
		goto out;
	if (sub)
		p.cgroup = sub;
	if ((p.pidfd = sc_rec_pidfd(&rec)) < 0) {
		r = sc_error_set(err, -ESRCH, "cannot exec in a stopped container");
		goto out;
	}
	/*
	 * A terminal goes to the console socket; without one (attached) it
	 * comes back here over a socket pair and is relayed to this process's
	 * stdio.  No terminal: the caller's stdio is the process's.
	 */
	bool tty = o->tty || p.proc->terminal;
	if (tty && !o->console_socket && o->detach) {
		r = sc_error_set(err, -EINVAL, "cannot allocate tty if runc will detach without setting console socket");
		goto out;
	}
	if (tty && o->console_socket && (console = sc_oci_connect(o->console_socket, err)) < 0) {
		r = console;
		goto out;
	}
	if (tty && !o->console_socket) {
		int sp[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
			r = sc_error_errno(err, -errno, "cannot prepare the terminal");
			goto out;
		}
		relay = sp[0];
		console = sp[1];
	}
	if (pipe2(fpipe, O_CLOEXEC) < 0 || pipe2(ppipe, O_CLOEXEC) < 0) {
		r = sc_error_errno(err, -errno, "cannot prepare exec");
		goto out;
	}
	int flags = ns_flags(rec.pid);
	/* paused, the process freezes as it joins the cgroup: resume, which takes the record, must not wait for this */
	if (st == SC_OCI_PAUSED)
		sc_rec_unlock(&rec);
	/* the process is this one's child once the helper is gone */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	fflush(NULL);
	pid_t h = fork();
	if (h < 0) {
		r = sc_error_errno(err, -errno, "cannot fork");
		goto out;
	}
	if (h == 0) {
		close(fpipe[0]);
		close(ppipe[0]);
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			fail_child(fpipe[1], -errno, SC_EXIT_SECLUDE, "cannot make the exec helper undumpable");
		struct sc_error e = {0};
		if (p.cgroup && sc_cgroup_attach(p.cgroup, getpid(), &e) < 0)
		{
			char what[sizeof(e.msg) + 64];
			snprintf(what, sizeof(what), "cannot join the container's cgroup: %s", e.msg);
			fail_child(fpipe[1], 0, SC_EXIT_SECLUDE, what);
		}
		if (flags && setns(p.pidfd, flags) < 0)
			fail_child(fpipe[1], -errno, SC_EXIT_SECLUDE, "cannot join the container's namespaces");
		if (console >= 0) {
			/* the container's own devpts, so that the process's ttyname is its own path */
			int m = -1;
			if (open_pty(&m, &p.tty_slave, &e) < 0)
				fail_child(fpipe[1], e.code, SC_EXIT_SECLUDE, e.msg);
			if (sc_oci_send_fd_on(console, m, "console", &e) < 0)
				fail_child(fpipe[1], e.code, SC_EXIT_SECLUDE, e.msg);
			close(m);
			close(console);
		}
		pid_t inner = fork();
		if (inner < 0)
			fail_child(fpipe[1], -errno, SC_EXIT_SECLUDE, "cannot fork into the container");
		if (inner == 0) {
			close(ppipe[1]);
			inside(&p, fpipe[1]);
		}
		sc_write_all(ppipe[1], &inner, sizeof(inner));
		_exit(0);
	}
	close(fpipe[1]);
	close(ppipe[1]);
	fpipe[1] = ppipe[1] = -1;
	int hs;
	while (waitpid(h, &hs, 0) < 0 && errno == EINTR)
		;
	pid_t pid = 0;
	ssize_t got = read(ppipe[0], &pid, sizeof(pid));
	struct failure f;
	ssize_t n = read(fpipe[0], &f, sizeof(f));
	if (n == (ssize_t)sizeof(f)) {
		*exit_code = f.exit_code;
		if (pid > 0)
			waitpid(pid, NULL, 0);
		r = sc_error_set(err, f.code ? f.code : -EINVAL, "unable to start container process: %s", f.msg);
		goto out;
	}
	if (got != (ssize_t)sizeof(pid) || pid <= 0) {
		r = sc_error_set(err, -ECHILD, "the exec'd process did not start");
		goto out;
	}
	if (console >= 0)
		close(console);
	console = -1;
	if (relay >= 0 && (master = sc_oci_recv_fd(relay, err)) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		r = master;
		goto out;
	}
	if (o->pid_file) {
		char buf[32];
		int len = snprintf(buf, sizeof(buf), "%d", (int)pid);
		if ((r = sc_write_atomic(o->pid_file, buf, (size_t)len, 0644, 0, err)) < 0) {
			kill(pid, SIGKILL);
			goto out;
		}
	}
	/* the process runs: the record is free for the verbs an engine sends meanwhile (kill, delete) */
	sc_rec_unlock(&rec);
	if (o->detach) {
		r = 0;
		*exit_code = 0;
		goto out;
	}
	int ws = 0;
	if (master >= 0) {
		if ((r = sc_oci_relay_pty(master, pid, p.proc->console_height, p.proc->console_width, &ws, err)) < 0)
			goto out;
	} else {
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	*exit_code = sc_exit_code_from_status(ws);
	r = 0;
out:
	if (p.tty_slave >= 0)
		close(p.tty_slave);
	for (int *fd = (int[]){ console, relay, master, -2 }, *e = fd; *e != -2; e++)
		if (*e >= 0)
			close(*e);
	for (int i = 0; i < 2; i++) {
		if (fpipe[i] >= 0)
			close(fpipe[i]);
		if (ppipe[i] >= 0)
			close(ppipe[i]);
	}
	if (p.pidfd >= 0)
		close(p.pidfd);
	free(p.env);
	free(p.gids);
	sc_bpf_free(&p.bpf);
	sc_oci_config_free(p.proc);
	p.cgroup = NULL;
	sc_cgroup_free(sub);
	sc_rec_free(&rec);
	return r;
}
