/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting the sandbox: the parent's part, then the child's, top to bottom
 * in the order runc and crun use (see sandbox.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/caps.h"
#include "seclude/exit.h"
#include "seclude/guard.h"
#include "seclude/handoff.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/*
 * Memory shared by the parent and the child (and the command under
 * --init) until execve: how the child reports a failure even after its
 * filter forbids write(2), and how it hands over the listener fd.
 */
struct shared {
	struct sc_handoff fail; /* the failure channel (handoff.h) */
	char missing[PATH_MAX]; /* with 127: the path not found, absolute inside the sandbox */
	bool missing_relative; /* it was the command, given relative to the working directory */
	bool missing_in_path;  /* the command was looked for in PATH */
	int listener_fd;       /* fd number + 1, stored once the filter is loaded */
	int listener_taken;    /* set by the parent after pidfd_getfd */
	/*
	 * The taker's robust futex word (sc_sandbox_claim_listener): its tid,
	 * and FUTEX_OWNER_DIED written by the kernel when it dies, so that the
	 * child, which may make no system call, sees the death and ends.
	 */
	int taker;
	int cmd_pidfd;         /* under --init: init's pidfd for the command (which loads the filter), + 1 */
	int cmd_pidfd_taken;   /* set by the parent once it holds that pidfd */
	int init_sealed;       /* set by init once it is not dumpable again (a parent that is not root) */
	int init_confined;     /* set by init once confined: the command goes on only then */
	int held;              /* set by the child when it waits at the hold point */
};

struct sc_sandbox {
	pid_t pid;
	int pidfd;
	struct shared *sh;
	int pty_master;
	bool tty;
	bool reaped;
	bool init;             /* pid is seclude's init; the command, its child, holds the listener */
	struct sc_sandbox_hooks hooks;
	char *rootfs;          /* to explain what the sandbox does not show */
	char *cwd;             /* the caller's directory */
	char *cmd;
	bool docker_path;      /* the command's PATH is Docker's, not the caller's */
	int exec_r;            /* end of file once the command is executed, or the child ended */
};

struct child_ctx {
	const struct sc_sandbox_config *c;
	struct shared *sh;
	int sync_r, sync_w;    /* the parent releases the child by writing one byte */
	int parent_pidfd;
	bool pdeathsig;        /* dies with its parent: seclude (unless outlive_parent), or init */
	bool after_init;       /* the command under --init: it goes on once init is confined */
	struct sc_bpf bpf;     /* c->bpf behind the terminal injection guard */
	int tty_slave;
	int devnull;
	int hold_fd;           /* the hold point's FIFO, or -1: go on to execve at once */
	int exec_w;            /* close-on-exec: its end tells the parent the command was executed */
	int etc[SC_ETC_FILES];
	int ns_fd[SC_NS_COUNT]; /* namespaces to join (c->ns_join), opened by the parent; -1: none */
	bool unprivileged_parent;  /* the caller is not root */
};

/* ---- the child ---------------------------------------------------------- */

/*
 * After the filter is loaded, even exit_group may be refused: a trap then
 * ends the child without a system call.
 */
static _Noreturn void child_exit(int code)
{
	syscall(SYS_exit_group, code);
	__builtin_trap();
}

static _Noreturn void child_fail(struct child_ctx *x, int exit_code, const struct sc_error *err)
{
	sc_handoff_fail(&x->sh->fail, exit_code, err);
	child_exit(exit_code);
}

static bool parent_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	return poll(&p, 1, 0) == 0;
}

static char *env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

/* The command's environment: the given one (or Docker's), with HOME added when missing. */
static char **build_env(const struct sc_sandbox_config *c, const struct sc_user *u)
{
	static char *dflt[4];
	char *const *src = c->env;
	if (!src) {
		static char path[] = "PATH=" SC_DEFAULT_PATH;
		static char host[300];
		size_t k = 0;
		dflt[k++] = path;
		if (c->hostname) {
			snprintf(host, sizeof(host), "HOSTNAME=%s", c->hostname);
			dflt[k++] = host;
		}
		dflt[k] = NULL;
		src = dflt;
	}
	size_t n = 0;
	while (src[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	memcpy(env, src, n * sizeof(*env));
	if (!env_get(src, "HOME")) {
		char *home = malloc(strlen(u->home) + 6);
		if (!home)
			return NULL;
		sprintf(home, "HOME=%s", u->home);
		env[n++] = home;
	}
	env[n] = NULL;
	return env;
}

static bool executable_file(const char *path, int *why)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		*why = errno;
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		*why = EACCES;
		return false;
	}
	return true;
}

/* What was not found, as an absolute path inside, for the parent to explain. */
static void note_missing(struct shared *sh, const char *path)
{
	char cwd[PATH_MAX];
	sh->missing_relative = path[0] != '/';
	if (path[0] == '/')
		snprintf(sh->missing, sizeof(sh->missing), "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) &&
		 snprintf(sh->missing, sizeof(sh->missing), "%s/%s", strcmp(cwd, "/") ? cwd : "",
			  path) >= (int)sizeof(sh->missing))
		sh->missing[0] = '\0';   /* too long to explain */
}

/*
 * A script whose "#!" interpreter is missing fails execve with ENOENT,
 * which would blame the script: name the interpreter instead.
 */
static int check_interpreter(const char *cmd, const char *exe, int *exit_code, struct shared *sh,
			     struct sc_error *err)
{
	char head[256];
	_cleanup_close_ int fd = open(exe, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof(head) - 1);
	if (n < 3 || head[0] != '#' || head[1] != '!')
		return 0;
	head[n] = '\0';
	char *interp = head + 2 + strspn(head + 2, " \t");
	interp[strcspn(interp, " \t\r\n")] = '\0';
	struct stat st;
	if (interp[0] != '/' || stat(interp, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
		return 0;
	int e = errno;
	note_missing(sh, interp);
	*exit_code = SC_EXIT_NOT_FOUND;
	return sc_error_errno(err, -e, "exec \"%s\": its interpreter %s", cmd, interp);
}

/*
 * Where argv[0] is, found in the sandbox's tree and the command's PATH
 * before the filter is loaded, so that execve is the only call after it.
 */
static int find_executable(const char *cmd, char *const *env, char **out, int *exit_code,
			   struct shared *sh, struct sc_error *err)
{
	int why = 0;
	if (strchr(cmd, '/')) {
		if (!executable_file(cmd, &why)) {
			*exit_code = why == ENOENT || why == ENOTDIR ? SC_EXIT_NOT_FOUND : SC_EXIT_CANNOT_EXEC;
			if (*exit_code == SC_EXIT_NOT_FOUND)
				note_missing(sh, cmd);
			return sc_error_errno(err, -why, "exec \"%s\"", cmd);
		}
		*out = strdup(cmd);
		if (!*out)
			return sc_error_set(err, -ENOMEM, "out of memory");
		return check_interpreter(cmd, cmd, exit_code, sh, err);
	}
	const char *path = env_get(env, "PATH");
	_cleanup_free_ char *copy = strdup(path ? path : SC_DEFAULT_PATH);
	if (!copy)
		return sc_error_set(err, -ENOMEM, "out of memory");
	bool denied = false;
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *cand;
		if (asprintf(&cand, "%s/%s", *dir ? dir : ".", cmd) < 0)
			return sc_error_set(err, -ENOMEM, "out of memory");
		if (executable_file(cand, &why)) {
			*out = cand;
			return check_interpreter(cmd, cand, exit_code, sh, err);
		}
		free(cand);
		if (why == EACCES)
			denied = true;
	}
	if (denied) {
		*exit_code = SC_EXIT_CANNOT_EXEC;
		return sc_error_set(err, -EACCES, "exec \"%s\": permission denied", cmd);
	}
	*exit_code = SC_EXIT_NOT_FOUND;
	sh->missing_in_path = true;
	return sc_error_set(err, -ENOENT, "exec \"%s\": executable file not found in $PATH", cmd);
}

/*
 * host_proc: /proc is still the host's (before the rootfs is entered);
 * after it, /proc is the container's, whose owner could fake the status
 * file or make it hang: then all of them, without reading it.
 */
static void reset_signals(bool host_proc)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	/*
	 * Only the signals ignored or caught need it (the others are at their
	 * default already): /proc/self/status names them in one read, where
	 * resetting all 64 costs 64 calls.  Without it, all of them.
	 */
	static const char *const keys[] = { "SigIgn", "SigCgt" };
	uint64_t m[2];
	uint64_t set = host_proc && sc_proc_status_masks(keys, m, 2) == 0 ? m[0] | m[1] : ~0ULL;
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP && (s > 64 || (set & (1ULL << (s - 1)))))
			sigaction(s, &dfl, NULL);
}

static int set_rlimits(const struct sc_sandbox_config *c, struct sc_error *err)
{
	for (size_t i = 0; i < c->n_rlimits; i++) {
		struct rlimit rl = { c->rlimits[i].soft, c->rlimits[i].hard };
		if (setrlimit(c->rlimits[i].resource, &rl) < 0)
			return sc_error_errno(err, -errno, "cannot set resource limit %d", c->rlimits[i].resource);
	}
	return 0;
}

/*
 * Always a session of its own, as runc starts every container process:
 * in the caller's session the sandbox could open /dev/tty and queue input
 * on the caller's terminal (CVE-2017-5226, bubblewrap's --new-session).
 * With -t the new pseudo-terminal becomes its controlling terminal.
 */
static int setup_stdio(struct child_ctx *x, struct sc_error *err)
{
	if (setsid() < 0)
		return sc_error_errno(err, -errno, "cannot start a new session");
	if (x->tty_slave >= 0) {
		if (ioctl(x->tty_slave, TIOCSCTTY, 0) < 0)
			return sc_error_errno(err, -errno, "cannot make the terminal the controlling one");
		for (int fd = 0; fd < 3; fd++)
			if (dup2(x->tty_slave, fd) < 0)
				return sc_error_errno(err, -errno, "cannot attach the terminal");
	} else if (!x->c->stdin_open) {
		if (dup2(x->devnull, 0) < 0)
			return sc_error_errno(err, -errno, "cannot redirect stdin");
	}
	return 0;
}

/* Close every fd from `from` on but a and b (which may be -1). */
static void close_all_but(unsigned from, int a, int b, int c)
{
	int keep[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (keep[j] < keep[i]) {
				int t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
	for (int i = 0; i < 3; i++) {
		if (keep[i] < (int)from)
			continue;
		if (keep[i] > (int)from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0U);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0U);
}

/*
 * The working directory, resolved inside the sandbox's root: ".." stops
 * at it, symlinks resolve against it, a magic link (/proc/self/fd/N,
 * /proc/PID/cwd) is refused, and what is missing is created as Docker
 * creates it.  runc's CVE-2024-21626 was a workdir reached through a fd
 * to the host; seclude holds none by now (see close_all_but), and still
 * checks afterwards that the directory it is in has a path under the
 * root that leads back to it, as runc does since.
 */
static int enter_workdir(const char *wd, bool create, struct sc_error *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return sc_error_errno(err, -errno, "cannot open the sandbox's root");
	_cleanup_close_ int fd = -1;
	struct sc_error tmp = {0};
	int r = sc_open_in_root(root, wd, true, create ? MAKE_MISSING : MAKE_NOTHING, &fd, &tmp);
	if (r == -ELOOP || r == -EXDEV)
		return sc_error_set(err, r, "the working directory %s leads out of the sandbox", wd);
	if (r < 0 || fchdir(fd) < 0)
		return sc_error_errno(err, r < 0 ? r : -errno, "cannot change to the working directory %s", wd);
	char cwd[PATH_MAX];
	struct stat here, there;
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/' || stat(".", &here) < 0 ||
	    stat(cwd, &there) < 0 || here.st_dev != there.st_dev || here.st_ino != there.st_ino)
		return sc_error_set(err, -EXDEV, "the working directory %s leads out of the sandbox", wd);
	return 0;
}

static bool setgroups_denied(void)
{
	char buf[16] = "";
	_cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	return n > 0 && strncmp(buf, "deny", 4) == 0;
}

/* uid, gid and supplementary groups; capabilities survive into execve's transition. */
static int become_user(const struct sc_user *u, struct sc_error *err)
{
	if (u->uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "cannot keep capabilities across the uid change");
	/* a user namespace whose gid map an unprivileged caller wrote has setgroups denied */
	if (setgroups(u->n_groups, u->groups) < 0 && !(errno == EPERM && setgroups_denied()))
		return sc_error_errno(err, -errno, "cannot set the supplementary groups");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return sc_error_errno(err, -errno, "cannot set gid %u", (unsigned)u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return sc_error_errno(err, -errno, "cannot set uid %u", (unsigned)u->uid);
	return 0;
}

/* The profile's program behind the terminal injection guard (x->bpf, see guard.h). */
static int load_filter(const struct child_ctx *x, unsigned extra, struct sc_error *err)
{
	return sc_seccomp_load(&x->bpf, x->c->seccomp_flags | extra, err);
}

/*
 * The last steps, in the process that will execve (or be pid 1 under
 * --init): capabilities, no_new_privs, seccomp.  Loading a filter needs
 * CAP_SYS_ADMIN unless no_new_privs is set, so it comes while the
 * effective set is still full, as runc does without no-new-privileges.
 * init never execs: it takes the sets execve would give the command with
 * one capset after its filter (which must allow capset), so that it ends
 * with Docker's docker-init values, no_new_privs included.
 */
static int confine(struct child_ctx *x, const struct sc_user *u, bool is_init,
		   struct sc_error *err)
{
	const struct sc_sandbox_config *c = x->c;
	int r = sc_caps_bound(c->caps, err);
	if (r < 0)
		return r;
	r = become_user(u, err);
	if (r < 0)
		return r;
	/* a uid change clears the parent-death signal: set it again, then look */
	if (x->pdeathsig && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "cannot set the parent-death signal");
	if (!c->outlive_parent && !parent_alive(x->parent_pidfd))
		child_exit(SC_EXIT_SECLUDE);

	r = sc_caps_for_execve(err);
	if (r < 0)
		return r;
	if (c->oci_caps && !is_init &&
	    (r = sc_caps_oci(c->cap_effective, c->cap_permitted, c->cap_inheritable, c->cap_ambient,
			     c->no_new_privs || !c->bpf ? 0 : SC_CAP_SET(CAP_SYS_ADMIN), err)) < 0)
		return r;
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "cannot set no_new_privs");
	/*
	 * init is seclude's own code for the sandbox's whole life and never
	 * execs: not dumpable, the command cannot ptrace it nor open its
	 * /proc/1/exe (seclude's binary on the host: runc's CVE-2019-5736) or
	 * /proc/1/fd.  Set after the uid change, which resets the flag.
	 */
	if (is_init && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "cannot make init undumpable");
	/* what execve gives the command: the bounding set for root, nothing for another uid */
	uint64_t init_caps = u->uid == 0 ? c->caps : 0;
	if (!c->bpf)
		return is_init ? sc_caps_set(init_caps, init_caps, 0, err) : 0;

	unsigned extra = !is_init && c->want_listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	/*
	 * An unprivileged parent takes the listener with pidfd_getfd, which a
	 * process that is not dumpable refuses to all but CAP_SYS_PTRACE in
	 * the host's namespace.  Only the same user (who owns the sandbox
	 * anyway) could attach in the moment until execve, which resets it.
	 */
	if (extra && x->unprivileged_parent && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "cannot hand the seccomp listener over");
	r = load_filter(x, extra, err);
	if (r < 0)
		return r;
	if (is_init)
		return sc_caps_set(init_caps, init_caps, 0, err);
	if (extra) {
		/* no system call from here on: the filter may send them all to the listener */
		__atomic_store_n(&x->sh->listener_fd, r + 1, __ATOMIC_RELEASE);
		while (!__atomic_load_n(&x->sh->listener_taken, __ATOMIC_ACQUIRE)) {
			/* the taker died: end (the filter stays; nothing runs unconfined) */
			if (__atomic_load_n(&x->sh->taker, __ATOMIC_ACQUIRE) & FUTEX_OWNER_DIED)
				return sc_error_set(err, -ESRCH, "the process that was to take the seccomp "
						    "listener has died: the container does not run");
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#else
			__asm__ volatile("" ::: "memory");
#endif
		}
		/*
		 * Under --init, init confines itself only once the parent took its
		 * pidfd for this process, which the parent does once the listener
		 * is here: the wait for init (see child_main) comes now, still
		 * without a system call.
		 */
		while (x->after_init && !__atomic_load_n(&x->sh->init_confined, __ATOMIC_ACQUIRE)) {
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#else
			__asm__ volatile("" ::: "memory");
#endif
		}
	}
	return 0;
}

/* The namespaces joined by path (c->ns_join), as enum sc_ns bits. */
static unsigned joined(const struct sc_sandbox_config *c)
{
	unsigned bits = 0;
	for (unsigned i = 0; c->ns_join && i < SC_NS_COUNT; i++)
		if (c->ns_join[i])
			bits |= 1u << i;
	return bits;
}

/*
 * With a joined user namespace, the mount, uts, ipc and network
 * namespaces to create are unshared by the child once it is in it (so
 * that it owns them); the pid namespace is the clone's.
 */
static unsigned late_namespaces(const struct sc_sandbox_config *c)
{
	if (!(joined(c) & SC_NS_USER))
		return 0;
	return c->namespaces & ~joined(c) & (SC_NS_MOUNT | SC_NS_UTS | SC_NS_IPC | SC_NS_NET);
}

static const char *ns_name(unsigned i)
{
	static const char *const names[SC_NS_COUNT] = { "pid", "mount", "uts", "ipc", "network", "cgroup", "user" };
	return i < SC_NS_COUNT ? names[i] : "?";
}

static int become_ns_root(struct sc_error *err)
{
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return sc_error_errno(err, -errno, "failed to become root in user namespace");
	return 0;
}

/*
 * setns into each namespace the parent opened, in runc's order: all but
 * the user namespace (what may no longer be joinable from inside it;
 * EPERM is tried again later), then the user namespace (becoming its
 * root), then those left (what only its root may join).  The pid
 * namespace is the parent's to join (it takes effect for children: the
 * child is cloned into it).
 */
static int join_namespaces(struct child_ctx *x, struct sc_error *err)
{
	const unsigned user = sc_ns_index(SC_NS_USER);
	for (int pass = 0; pass < 3; pass++) {
		for (unsigned i = 0; i < SC_NS_COUNT; i++) {
			if (x->ns_fd[i] < 0 || (pass == 1) != (i == user))
				continue;
			if (i == sc_ns_index(SC_NS_PID)) {
				close(x->ns_fd[i]);
				x->ns_fd[i] = -1;
				continue;
			}
			if (setns(x->ns_fd[i], 0) < 0) {
				if (errno == EPERM && pass == 0)
					continue;
				return sc_error_errno(err, -errno, "failed to setns into %s namespace %s",
						      ns_name(i), x->c->ns_join[i]);
			}
			close(x->ns_fd[i]);
			x->ns_fd[i] = -1;
			if (i == user && become_ns_root(err) < 0)
				return -EPERM;
		}
	}
	return 0;
}

static _Noreturn void child_main(struct child_ctx *x)
{
	const struct sc_sandbox_config *c = x->c;
	struct sc_error err = {0};
	int r;

	/*
	 * seclude's code until execve: nothing may ptrace it or read its fds
	 * (execve resets this).  Under a parent that is not root, only once
	 * released: a ptrace recorder of that parent attaches while the child
	 * waits here (child_created), and a process that is not dumpable takes
	 * a tracer only with CAP_SYS_PTRACE in the host's namespace.
	 */
	if ((x->pdeathsig && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) ||
	    (!x->unprivileged_parent && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0))
		child_exit(SC_EXIT_SECLUDE);
	close(x->sync_w);
	char go;
	if (read(x->sync_r, &go, 1) != 1)
		child_exit(SC_EXIT_SECLUDE);   /* the parent gave up: nothing to report */
	close(x->sync_r);
	if (x->unprivileged_parent && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		child_exit(SC_EXIT_SECLUDE);
	reset_signals(true);

	unsigned join = joined(c);
	if ((c->namespaces & SC_NS_USER) && !(join & SC_NS_USER) && become_ns_root(&err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);   /* the maps are written: the mapped root */
	if (join_namespaces(x, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	/* in a joined user namespace, the new ones are made now: it owns them, as runc's */
	unsigned late = late_namespaces(c);
	if (late && unshare((int)sc_ns_clone_flags(late)) < 0) {
		sc_error_errno(&err, -errno, "cannot create the namespaces");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	/* after the parent put us in our cgroup, so that it is the namespace's root */
	if ((c->namespaces & SC_NS_CGROUP) && !(join & SC_NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
		sc_error_errno(&err, -errno, "cannot create the cgroup namespace");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	/* a joined mount namespace is set up already: its root is the container's tree */
	if ((c->namespaces & SC_NS_MOUNT) && !(join & SC_NS_MOUNT)) {
		if (x->etc[0] < 0 && sc_open_etc_files(c, x->etc, &err) < 0)
			child_fail(x, SC_EXIT_SECLUDE, &err);
		r = sc_setup_filesystem(c, c->namespaces & SC_NS_USER, x->tty_slave, x->etc, &err);
		if (r < 0)
			child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	for (size_t i = 0; i < SC_ETC_FILES; i++)
		if (x->etc[i] >= 0)
			close(x->etc[i]);
	for (size_t i = 0; c->mount_trees && i < c->n_mounts; i++)
		if (c->mount_trees[i] >= 0)
			close(c->mount_trees[i]);   /* moved into place: no door to the host's tree stays open */
	if ((c->namespaces & SC_NS_UTS) && c->hostname &&
	    sethostname(c->hostname, strlen(c->hostname)) < 0) {
		sc_error_errno(&err, -errno, "cannot set the hostname");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	if ((c->namespaces & SC_NS_UTS) && c->domainname &&
	    setdomainname(c->domainname, strlen(c->domainname)) < 0) {
		sc_error_errno(&err, -errno, "cannot set the domain name");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	if ((c->namespaces & SC_NS_NET) && sc_loopback_up(&err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	if (set_rlimits(c, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);

	struct sc_user u;
	if (sc_user_resolve(c->user, "/etc/passwd", "/etc/group", &u, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	for (size_t i = 0; i < c->n_extra_groups; i++) {
		bool have = false;
		for (size_t j = 0; j < u.n_groups; j++)
			have |= u.groups[j] == c->extra_groups[i];
		if (have)
			continue;
		if (u.n_groups == SC_USER_MAX_GROUPS) {
			sc_error_set(&err, -E2BIG, "more than %d supplementary groups", SC_USER_MAX_GROUPS);
			child_fail(x, SC_EXIT_SECLUDE, &err);
		}
		u.groups[u.n_groups++] = c->extra_groups[i];
	}
	if (setup_stdio(x, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	unsigned first_closed = 3U + c->preserve_fds;
	/* the hold FIFO and the exec pipe until execve */
	close_all_but(first_closed, x->parent_pidfd, x->hold_fd, x->exec_w);
	r = enter_workdir(c->workdir ? c->workdir : "/", !c->workdir_optional, &err);
	/* the caller's directory is not there inside: start in /, as bubblewrap does */
	if (r < 0 && r != -EXDEV && r != -ELOOP && c->workdir_optional)
		r = enter_workdir("/", false, &err);
	if (r < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	char **env = build_env(c, &u);
	if (!env) {
		sc_error_set(&err, -ENOMEM, "out of memory");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	char *exe = NULL;
	int exit_code = SC_EXIT_SECLUDE;
	if (find_executable(c->argv[0], env, &exe, &exit_code, x->sh, &err) < 0)
		child_fail(x, exit_code, &err);
	/* nothing seclude holds may reach the command */
	for (unsigned fd = 3; fd < first_closed; fd++) {
		/* the preserved ones go through execve (an fd the caller did not pass is simply absent) */
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && (int)fd != x->parent_pidfd && (int)fd != x->hold_fd && (int)fd != x->exec_w)
			fcntl((int)fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	if (syscall(SYS_close_range, first_closed, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		sc_error_errno(&err, -errno, "cannot close the inherited file descriptors");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}
	/* set up: wait here, before the filter and execve, until released */
	if (x->hold_fd >= 0 && sc_hold_wait(x->hold_fd, &x->sh->held) < 0) {
		sc_error_set(&err, -EPIPE, "the hold point went away before the sandbox was released");
		child_fail(x, SC_EXIT_SECLUDE, &err);
	}

	if (c->hooks.before_exec && c->hooks.before_exec(c->hooks.data, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);

	if (c->init) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		pid_t cmd = fork();
		if (cmd < 0) {
			sc_error_errno(&err, -errno, "cannot start the command under init");
			child_fail(x, SC_EXIT_SECLUDE, &err);
		}
		if (cmd > 0) {
			/* init keeps nothing open but what tells it seclude is alive */
			unsigned keep = (unsigned)x->parent_pidfd;
			if (keep > 3)
				syscall(SYS_close_range, 3U, keep - 1, 0U);
			syscall(SYS_close_range, keep + 1, ~0U, 0U);
			/*
			 * The command loads the filter and its listener: the parent
			 * reaches the command's fd table through this pidfd, which
			 * init keeps (it never execs, and nothing may read its fds).
			 */
			if (c->want_listener) {
				int cfd = (int)syscall(SYS_pidfd_open, cmd, 0);
				if (cfd < 0) {
					sc_error_errno(&err, -errno, "cannot open the command's pidfd under init");
					child_fail(x, SC_EXIT_SECLUDE, &err);
				}
				/*
				 * A parent that is not root takes it with pidfd_getfd only
				 * from a dumpable init.  The command cannot use the moment:
				 * it spins until the listener is taken, and that is only
				 * once init is not dumpable again.
				 */
				bool open_up = x->unprivileged_parent;
				if (open_up && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) {
					sc_error_errno(&err, -errno, "cannot hand the seccomp listener over");
					child_fail(x, SC_EXIT_SECLUDE, &err);
				}
				__atomic_store_n(&x->sh->cmd_pidfd, cfd + 1, __ATOMIC_RELEASE);
				while (open_up && !__atomic_load_n(&x->sh->cmd_pidfd_taken, __ATOMIC_ACQUIRE)) {
					siginfo_t si = {0};
					if (__atomic_load_n(&x->sh->fail.exit_code, __ATOMIC_ACQUIRE) ||
					    waitid(P_PID, (id_t)cmd, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid)
						break;   /* the command ended: the parent hears of it from init's end */
					struct timespec ts = { 0, 20000 };
					nanosleep(&ts, NULL);
				}
				if (open_up && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
					child_exit(SC_EXIT_SECLUDE);
				__atomic_store_n(&x->sh->init_sealed, 1, __ATOMIC_RELEASE);
			}
			if (confine(x, &u, true, &err) < 0)
				child_fail(x, SC_EXIT_SECLUDE, &err);
			__atomic_store_n(&x->sh->init_confined, 1, __ATOMIC_RELEASE);
			close(x->parent_pidfd);
			child_exit(sc_init_loop(cmd));
		}
		/* the command dies with init, whatever ties init to seclude */
		x->pdeathsig = true;
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
			child_exit(SC_EXIT_SECLUDE);
		reset_signals(false);
		/*
		 * docker-init is confined before it starts the command: pid 1 as
		 * the command finds it has init's capabilities and filter, never
		 * the sets init had before its confine (an init that fails ends,
		 * and this process with it).  With a listener, at the end of
		 * confine instead (init waits for the parent, which waits for the
		 * listener).
		 */
		x->after_init = true;
		while (!c->want_listener && !__atomic_load_n(&x->sh->init_confined, __ATOMIC_ACQUIRE)) {
			struct timespec ts = { 0, 20000 };
			nanosleep(&ts, NULL);
		}
	}

	if (confine(x, &u, false, &err) < 0)
		child_fail(x, SC_EXIT_SECLUDE, &err);
	execve(exe, c->argv, env);

	/* only the filter's verdicts and the file's own problems can land here */
	int e = errno;
	sc_error_errno(&err, -e, "exec \"%s\"", c->argv[0]);
	child_fail(x, e == ENOENT ? SC_EXIT_NOT_FOUND : SC_EXIT_CANNOT_EXEC, &err);
}

/* ---- the parent --------------------------------------------------------- */

static int write_file(const char *path, const char *text, struct sc_error *err)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot open %s", path);
	if (sc_write_all(fd, text, strlen(text)) < 0)
		return sc_error_errno(err, -errno, "cannot write %s", path);
	return 0;
}

/*
 * newuidmap PID INSIDE OUTSIDE COUNT...: the setuid helper checks the
 * ranges against /etc/subuid.  Started here (posix_spawn: no copy of this
 * process), reaped by end_idmap_helper, so that both helpers run at once.
 */
static int start_idmap_helper(pid_t pid, const char *which, const struct sc_idmap *m, size_t n,
			      pid_t *helper, struct sc_error *err)
{
	const char *tool = strcmp(which, "uid_map") == 0 ? "newuidmap" : "newgidmap";
	char exe[PATH_MAX];
	if (!sc_idmap_helper(tool, exe, sizeof(exe)))
		return sc_error_set(err, -ENOENT, "%s is missing: a user who is not root needs it for a %s with "
				    "more than their own id (install uidmap)", tool, which);
	char num[3 * 8][16];
	char *argv[3 + 3 * 8] = { (char *)tool, num[0] };
	if (n > 7)
		return sc_error_set(err, -E2BIG, "the %s is too long", which);
	snprintf(num[0], sizeof(num[0]), "%d", (int)pid);
	size_t k = 2;
	for (size_t i = 0; i < n; i++) {
		uint32_t v[3] = { m[i].inside, m[i].outside, m[i].count };
		for (size_t j = 0; j < 3; j++) {
			snprintf(num[k - 1], sizeof(num[0]), "%u", v[j]);
			argv[k] = num[k - 1];
			k++;
		}
	}
	argv[k] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	extern char **environ;
	int e = posix_spawn(helper, exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e)
		return sc_error_errno(err, -e, "cannot run %s", tool);
	return 0;
}

static int end_idmap_helper(pid_t helper, const char *which, struct sc_error *err)
{
	const char *tool = strcmp(which, "uid_map") == 0 ? "newuidmap" : "newgidmap";
	int st;
	while (waitpid(helper, &st, 0) < 0)
		if (errno != EINTR)
			return sc_error_errno(err, -errno, "cannot wait for %s", tool);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return sc_error_set(err, -EPERM, "%s refused the %s (the ranges of /etc/sub%cid are the user's to map)",
				    tool, which, which[0]);
	return 0;
}

/* *helper: a helper started to write it (see end_idmap_helper), or 0: written. */
static int write_idmap(pid_t pid, const char *which, const struct sc_idmap *m, size_t n,
		       pid_t *helper, struct sc_error *err)
{
	*helper = 0;
	char buf[4096], path[64];
	size_t off = 0;
	if (geteuid() != 0) {
		/*
		 * Not root: the kernel takes one line mapping the writer's own
		 * id, and for gids only with setgroups denied; anything else goes
		 * through the setuid helpers.
		 */
		bool gid = strcmp(which, "gid_map") == 0;
		uint32_t self = gid ? (uint32_t)getegid() : (uint32_t)geteuid();
		if (n != 1 || m[0].outside != self || m[0].count != 1)
			return start_idmap_helper(pid, which, m, n, helper, err);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		int r = gid ? write_file(path, "deny", err) : 0;
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(buf + off, sizeof(buf) - off, "%u %u %u\n", m[i].inside, m[i].outside, m[i].count);
		if (k < 0 || (size_t)k >= sizeof(buf) - off)
			return sc_error_set(err, -E2BIG, "the %s is too long", which);
		off += (size_t)k;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
	return write_file(path, buf, err);
}

/*
 * A single cgroup2 directory can be entered at birth: clone3 with
 * CLONE_INTO_CGROUP saves the write to cgroup.procs and leaves no moment
 * outside it.  v1 has one directory per controller and no such flag.
 */
static int cgroup2_dirfd(const struct sc_sandbox_config *c)
{
	if (c->n_cgroup_dirs != 1)
		return -1;
	int fd = open(c->cgroup_dirs[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statfs sf;
	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || (unsigned long)sf.f_type != CGROUP2_SUPER_MAGIC)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int join_cgroups(const struct sc_sandbox_config *c, pid_t pid, bool born_in,
			struct sc_error *err)
{
	if (born_in)
		return 0;
	char num[32];
	snprintf(num, sizeof(num), "%d\n", (int)pid);
	for (size_t i = 0; i < c->n_cgroup_dirs; i++) {
		_cleanup_free_ char *p = NULL;
		if (asprintf(&p, "%s/cgroup.procs", c->cgroup_dirs[i]) < 0)
			return sc_error_set(err, -ENOMEM, "out of memory");
		int r = write_file(p, num, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int open_pty(int *master, int *slave, struct sc_error *err)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return sc_error_errno(err, -errno, "cannot open a pseudo-terminal");
	char *name;
	if (grantpt(m) < 0 || unlockpt(m) < 0 || !(name = ptsname(m))) {
		int e = -errno;
		close(m);
		return sc_error_errno(err, e, "cannot set up the pseudo-terminal");
	}
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		int e = -errno;
		close(m);
		return sc_error_errno(err, e, "cannot open %s", name);
	}
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(s, TIOCSWINSZ, &ws);
	*master = m;
	*slave = s;
	return 0;
}

static unsigned long clone_flags(const struct sc_sandbox_config *c)
{
	/* the cgroup namespace is the child's own unshare, once it is in its cgroup; joined ones are setns */
	return sc_ns_clone_flags(c->namespaces & ~(unsigned)SC_NS_CGROUP & ~joined(c) & ~late_namespaces(c));
}

static void close_ns_fds(int fds[SC_NS_COUNT])
{
	for (size_t i = 0; i < SC_NS_COUNT; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

/* Open the namespaces to join, in the parent (the paths are the host's: /proc/PID/ns/net, nsfs binds). */
static int open_ns_fds(const struct sc_sandbox_config *c, int fds[SC_NS_COUNT], struct sc_error *err)
{
	for (size_t i = 0; i < SC_NS_COUNT; i++)
		fds[i] = -1;
	for (unsigned i = 0; c->ns_join && i < SC_NS_COUNT; i++) {
		if (!c->ns_join[i])
			continue;
		if (!(c->namespaces & (1u << i))) {
			close_ns_fds(fds);
			return sc_error_set(err, -EINVAL, "the %s namespace %s is joined but not in the "
					    "namespaces", ns_name(i), c->ns_join[i]);
		}
		if ((fds[i] = open(c->ns_join[i], O_RDONLY | O_CLOEXEC)) < 0) {
			int e = -errno;
			close_ns_fds(fds);
			return sc_error_errno(err, e, "cannot open the namespace %s", c->ns_join[i]);
		}
	}
	return 0;
}

static int check_config(const struct sc_sandbox_config *c, struct sc_error *err)
{
	if (!c->argv || !c->argv[0] || !c->argv[0][0])
		return sc_error_set(err, -EINVAL, "no command to run");
	if (c->want_listener && !c->bpf)
		return sc_error_set(err, -EINVAL, "a seccomp listener needs a filter");
	if (c->bpf && (c->bpf->len == 0 || c->bpf->len > 4096))
		return sc_error_set(err, -EINVAL, "the seccomp filter has %zu instructions (1..4096 allowed)",
				    c->bpf->len);
	if ((c->net == SC_NET_NONE) != !!(c->namespaces & SC_NS_NET))
		return sc_error_set(err, -EINVAL, "the network mode and the network namespace disagree");
	if ((c->rootfs || c->n_mounts || c->read_only) && !(c->namespaces & SC_NS_MOUNT))
		return sc_error_set(err, -EINVAL, "a root filesystem or volumes need a mount namespace");
	if (c->init && !(c->namespaces & SC_NS_PID))
		return sc_error_set(err, -EINVAL, "--init needs a pid namespace");
	if (c->hold && c->want_listener && (!c->outlive_parent || c->hooks.listener))
		return sc_error_set(err, -EINVAL, "a held sandbox cannot hand over a seccomp listener "
				    "(only to sc_sandbox_take_listener, when it outlives its start)");
	return 0;
}

/* Docker creates the missing host side of a bind volume as a directory (mkdir -p, 0755). */
static int create_volume_sources(const struct sc_sandbox_config *c, struct sc_error *err)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct sc_mount *m = &c->mounts[i];
		if (m->kind != SC_MOUNT_BIND || !m->source || m->source[0] != '/')
			continue;
		struct stat st;
		if (lstat(m->source, &st) == 0 || errno != ENOENT)
			continue;   /* a dangling symlink or a denied path: the mount says what is wrong */
		int r = sc_mkdir_p(m->source, 0755, 0755, NULL);
		if (r < 0)
			return sc_error_errno(err, r, "cannot create the volume source %s", m->source);
	}
	return 0;
}

/* Wait until the child waits at the hold point, or has ended (wait() then says why). */
static void wait_held(struct sc_sandbox *s)
{
	while (!__atomic_load_n(&s->sh->held, __ATOMIC_ACQUIRE)) {
		struct pollfd p = { .fd = s->pidfd, .events = POLLIN };
		if (poll(&p, 1, 1) > 0 || __atomic_load_n(&s->sh->fail.exit_code, __ATOMIC_ACQUIRE))
			return;
	}
}

/*
 * Wait (without any system call in the child) until the process that loads
 * the filter has stored its listener's number, and under --init until init
 * has stored its pidfd for that process (the command).  max_ns: the longest
 * pause between looks.  Returns 1 with the numbers, 0 if the sandbox ended
 * first (wait() then says why).
 */
static int wait_listener(struct sc_sandbox *s, long max_ns, int *num, int *cmd)
{
	long ns = 20000;
	for (;;) {
		*num = __atomic_load_n(&s->sh->listener_fd, __ATOMIC_ACQUIRE);
		*cmd = __atomic_load_n(&s->sh->cmd_pidfd, __ATOMIC_ACQUIRE);
		if (*num && (!s->init || *cmd))
			return 1;
		struct pollfd p = { .fd = s->pidfd, .events = POLLIN };
		if (poll(&p, 1, 0) > 0 || __atomic_load_n(&s->sh->fail.exit_code, __ATOMIC_ACQUIRE))
			return 0;
		struct timespec ts = { 0, ns };
		nanosleep(&ts, NULL);
		if (ns < max_ns)
			ns *= 2;
	}
}

/* A copy of the listener, from the process that loaded the filter (init's child under --init). */
static int getfd_listener(struct sc_sandbox *s, int num, int cmd, struct sc_error *err)
{
	int fd;
	if (s->init) {
		_cleanup_close_ int cmdfd = (int)syscall(SYS_pidfd_getfd, s->pidfd, cmd - 1, 0);
		if (cmdfd < 0)
			return sc_error_errno(err, -errno, "cannot take the command's pidfd from the sandbox's init");
		__atomic_store_n(&s->sh->cmd_pidfd_taken, 1, __ATOMIC_RELEASE);
		/* the command runs on once the listener is taken: only after init is sealed */
		while (!__atomic_load_n(&s->sh->init_sealed, __ATOMIC_ACQUIRE)) {
			struct pollfd p = { .fd = s->pidfd, .events = POLLIN };
			if (poll(&p, 1, 0) > 0)
				return sc_error_set(err, -ESRCH, "the sandbox's init ended before the listener was taken");
			struct timespec ts = { 0, 20000 };
			nanosleep(&ts, NULL);
		}
		fd = (int)syscall(SYS_pidfd_getfd, cmdfd, num - 1, 0);
	} else {
		fd = (int)syscall(SYS_pidfd_getfd, s->pidfd, num - 1, 0);
	}
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot take the seccomp listener from the sandbox");
	__atomic_store_n(&s->sh->listener_taken, 1, __ATOMIC_RELEASE);
	return fd;
}

static int take_listener(struct sc_sandbox *s, struct sc_error *err)
{
	int num, cmd;
	if (!wait_listener(s, 20000, &num, &cmd))
		return 0;   /* it ended before: wait() reports why */
	int fd = getfd_listener(s, num, cmd, err);
	if (fd < 0)
		return fd;
	return s->hooks.listener(s->hooks.data, fd, err);
}

void sc_sandbox_forget(struct sc_sandbox *s)
{
	if (s)
		s->reaped = true;   /* not ours to kill: it lives on */
	sc_sandbox_free(s);
}

void sc_sandbox_free(struct sc_sandbox *s)
{
	if (!s)
		return;
	if (!s->reaped && s->pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, s->pidfd, SIGKILL, NULL, 0);
		siginfo_t si;
		waitid(P_PIDFD, (id_t)s->pidfd, &si, WEXITED);
	}
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->pty_master >= 0)
		close(s->pty_master);
	if (s->exec_r >= 0)
		close(s->exec_r);
	if (s->sh)
		sc_handoff_unmap(s->sh, sizeof(*s->sh));
	free(s->rootfs);
	free(s->cwd);
	free(s->cmd);
	free(s);
}

int sc_sandbox_start(const struct sc_sandbox_config *c, struct sc_sandbox **out,
		     struct sc_error *err)
{
	int r = check_config(c, err);
	if (r < 0)
		return r;
	r = create_volume_sources(c, err);
	if (r < 0)
		return r;
	/* the child's copy is what it loads; the parent's goes at return */
	__attribute__((cleanup(sc_bpf_free))) struct sc_bpf guarded = {0};
	if (c->bpf && (r = sc_guard_prepend(c->bpf, &guarded, err)) < 0)
		return r;

	struct sc_sandbox *s = calloc(1, sizeof(*s));
	if (!s)
		return sc_error_set(err, -ENOMEM, "out of memory");
	s->pidfd = -1;
	s->pty_master = -1;
	s->exec_r = -1;
	s->hooks = c->hooks;
	s->init = c->init;
	s->tty = c->tty;
	s->rootfs = c->rootfs ? strdup(c->rootfs) : NULL;
	s->cwd = getcwd(NULL, 0);
	s->cmd = strdup(c->argv[0]);
	const char *path = env_get(c->env, "PATH");
	s->docker_path = !path || strcmp(path, SC_DEFAULT_PATH) == 0;
	struct sc_error merr = {0};
	s->sh = sc_handoff_map(sizeof(*s->sh), &merr);
	if (!s->sh) {
		sc_sandbox_free(s);
		if (err)
			*err = merr;
		return merr.code;
	}

	struct child_ctx x = { .c = c, .sh = s->sh, .bpf = guarded, .tty_slave = -1,
			       .sync_r = -1, .sync_w = -1, .hold_fd = -1, .exec_w = -1,
			       .etc = { -1, -1, -1 } };
	int pipefd[2];
	_cleanup_close_ int parent_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	_cleanup_close_ int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	_cleanup_close_ int tty_slave = -1;
	if (parent_pidfd < 0 || devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		r = sc_error_errno(err, -errno, "cannot prepare the start");
		sc_sandbox_free(s);
		return r;
	}
	_cleanup_close_ int sync_r = pipefd[0];
	_cleanup_close_ int sync_w = pipefd[1];
	_cleanup_close_ int exec_w = -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		r = sc_error_errno(err, -errno, "cannot prepare the start");
		sc_sandbox_free(s);
		return r;
	}
	s->exec_r = pipefd[0];
	exec_w = pipefd[1];
	if (c->tty && (r = open_pty(&s->pty_master, &tty_slave, err)) < 0) {
		sc_sandbox_free(s);
		return r;
	}
	/*
	 * Not root, the parent may not clone mounts (open_tree needs
	 * CAP_SYS_ADMIN over its mount namespace): the child, root of its own
	 * namespaces, clones them first thing (the files are the user's).
	 */
	if (geteuid() == 0 && (r = sc_open_etc_files(c, x.etc, err)) < 0) {
		sc_sandbox_free(s);
		return r;
	}
	/* the child's only: the parent's copy goes right after the clone */
	_cleanup_close_ int hold_fd = -1;
	if (c->hold && (hold_fd = sc_hold_open(c->hold, err)) < 0) {
		r = hold_fd;
		for (size_t i = 0; i < SC_ETC_FILES; i++)
			if (x.etc[i] >= 0)
				close(x.etc[i]);
		sc_sandbox_free(s);
		return r;
	}
	x.hold_fd = hold_fd;
	if ((r = open_ns_fds(c, x.ns_fd, err)) < 0) {
		for (size_t i = 0; i < SC_ETC_FILES; i++)
			if (x.etc[i] >= 0)
				close(x.etc[i]);
		sc_sandbox_free(s);
		return r;
	}
	x.unprivileged_parent = geteuid() != 0;
	x.sync_r = sync_r;
	x.sync_w = sync_w;
	x.exec_w = exec_w;
	x.parent_pidfd = parent_pidfd;
	x.pdeathsig = !c->outlive_parent;
	x.tty_slave = tty_slave;
	x.devnull = devnull;

	int pidfd = -1;
	struct clone_args ca = {
		.flags = clone_flags(c) | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&pidfd,
		.exit_signal = SIGCHLD,
	};
	_cleanup_close_ int cgfd = cgroup2_dirfd(c);
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	/*
	 * A pid namespace joined by path is the parent's to enter: it takes
	 * effect for children, so the child is cloned into it; the parent's
	 * own is back right after.
	 */
	_cleanup_close_ int own_pidns = -1;
	int pidns = x.ns_fd[sc_ns_index(SC_NS_PID)];
	if (pidns >= 0 && ((own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0 ||
			   setns(pidns, CLONE_NEWPID) < 0)) {
		r = sc_error_errno(err, -errno, "failed to setns into pid namespace %s",
				   c->ns_join[sc_ns_index(SC_NS_PID)]);
		close_ns_fds(x.ns_fd);
		for (size_t i = 0; i < SC_ETC_FILES; i++)
			if (x.etc[i] >= 0)
				close(x.etc[i]);
		sc_sandbox_free(s);
		return r;
	}
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && cgfd >= 0 && (errno == EINVAL || errno == EOPNOTSUPP || errno == E2BIG)) {
		/* an older kernel: the parent writes cgroup.procs instead */
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		ca.cgroup = 0;
		close(TAKE_FD(cgfd));
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
	}
	int clone_errno = errno;
	if (pid != 0 && own_pidns >= 0 && setns(own_pidns, CLONE_NEWPID) < 0)
		abort();   /* every later fork of this process would land in the container */
	errno = clone_errno;
	if (pid < 0) {
		r = sc_error_errno(err, -errno, "cannot create the sandbox's namespaces");
		close_ns_fds(x.ns_fd);
		for (size_t i = 0; i < SC_ETC_FILES; i++)
			if (x.etc[i] >= 0)
				close(x.etc[i]);
		sc_sandbox_free(s);
		return r;
	}
	if (pid == 0)
		child_main(&x);
	close_ns_fds(x.ns_fd);

	s->pid = (pid_t)pid;
	s->pidfd = pidfd;
	close(TAKE_FD(sync_r));
	close(TAKE_FD(exec_w));
	if (hold_fd >= 0)
		close(TAKE_FD(hold_fd));
	for (size_t i = 0; i < SC_ETC_FILES; i++)
		if (x.etc[i] >= 0)
			close(x.etc[i]);

	if ((c->namespaces & SC_NS_USER) && !(joined(c) & SC_NS_USER)) {
		pid_t hu = 0, hg = 0;
		r = write_idmap(s->pid, "uid_map", c->uid_map, c->n_uid_map, &hu, err);
		if (r == 0)
			r = write_idmap(s->pid, "gid_map", c->gid_map, c->n_gid_map, &hg, err);
		struct sc_error herr = {0};
		int ru = hu ? end_idmap_helper(hu, "uid_map", &herr) : 0;
		int rg = hg ? end_idmap_helper(hg, "gid_map", ru < 0 ? &(struct sc_error){0} : &herr) : 0;
		if (r == 0 && (ru < 0 || rg < 0)) {
			*err = herr;
			r = ru < 0 ? ru : rg;
		}
		if (r < 0)
			goto fail;
	}
	r = join_cgroups(c, s->pid, cgfd >= 0, err);
	if (r < 0)
		goto fail;
	if (c->hooks.child_created && (r = c->hooks.child_created(c->hooks.data, s->pid, err)) < 0)
		goto fail;
	if (write(sync_w, "g", 1) != 1) {
		r = sc_error_errno(err, -errno, "cannot release the sandbox");
		goto fail;
	}
	close(TAKE_FD(sync_w));
	if (c->hold)
		wait_held(s);
	if (c->want_listener && c->hooks.listener && (r = take_listener(s, err)) < 0)
		goto fail;
	*out = s;
	return 0;

fail:
	sc_sandbox_free(s);
	return r;
}

/*
 * One robust list per process (the taker is single-threaded and uses no
 * robust mutex of glibc's, whose list this one replaces).
 */
static struct robust_list claim_entry;
static struct robust_list_head claim_head;

int sc_sandbox_claim_listener(struct sc_sandbox *s, struct sc_error *err)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	claim_entry.next = &claim_head.list;
	claim_head.list.next = &claim_entry;
	claim_head.futex_offset = (long)((char *)&s->sh->taker - (char *)&claim_entry);
	claim_head.list_op_pending = NULL;
	__atomic_store_n(&s->sh->taker, (int)tid, __ATOMIC_RELEASE);
	if (syscall(SYS_set_robust_list, &claim_head, sizeof(claim_head)) < 0) {
		int e = -errno;
		__atomic_store_n(&s->sh->taker, FUTEX_OWNER_DIED, __ATOMIC_RELEASE);
		return sc_error_errno(err, e, "cannot watch over the seccomp listener's handover");
	}
	return 0;
}

int sc_sandbox_take_listener(struct sc_sandbox *s, int *fd, struct sc_error *err)
{
	/* held, the child may wait long: back off to 10 ms; once released it spins until taken */
	int num, cmd;
	if (!wait_listener(s, 10000000, &num, &cmd))
		return sc_error_set(err, -ESRCH, "the sandbox ended before it loaded its filter");
	*fd = getfd_listener(s, num, cmd, err);
	return *fd < 0 ? *fd : 0;
}

int sc_sandbox_detach(struct sc_sandbox *s)
{
	int master = s->pty_master;
	s->pty_master = -1;
	sc_sandbox_forget(s);
	return master;
}

bool sc_sandbox_held(const struct sc_sandbox *s)
{
	return __atomic_load_n(&s->sh->held, __ATOMIC_ACQUIRE) != 0;
}

pid_t sc_sandbox_pid(const struct sc_sandbox *s)
{
	return s->pid;
}

int sc_sandbox_pidfd(const struct sc_sandbox *s)
{
	return s->pidfd;
}

int sc_sandbox_kill(struct sc_sandbox *s, int sig, struct sc_error *err)
{
	if (syscall(SYS_pidfd_send_signal, s->pidfd, sig, NULL, 0) < 0)
		return sc_error_errno(err, -errno, "cannot signal the sandbox");
	return 0;
}

/* Copy what is readable from one fd to another; false at end of input. */
static bool pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return false;
	sc_write_all(to, buf, (size_t)n);
	return true;
}

/*
 * A signal for the sandbox.  It is a session of its own, so the caller's
 * terminal signals only seclude: what the terminal would have sent to the
 * foreground group (^C, ^\\) goes to the sandbox's group as it went when
 * the sandbox shared the caller's, not to pid 1 alone, which ignores what
 * it has no handler for (under --init, init passes it on to the command
 * as well, as before).  ^Z stops the sandbox with seclude (SIGSTOP, which
 * pid 1 cannot ignore) and fg continues both.
 */
static void forward(struct sc_sandbox *s, int sig)
{
	bool group = sig == SIGINT || sig == SIGQUIT;
	if (sig == SIGTSTP) {
		kill(-s->pid, SIGSTOP);
		syscall(SYS_pidfd_send_signal, s->pidfd, SIGSTOP, NULL, 0);
		kill(getpid(), SIGSTOP);
	} else if (sig == SIGCONT) {
		kill(-s->pid, SIGCONT);
		syscall(SYS_pidfd_send_signal, s->pidfd, SIGCONT, NULL, 0);
	} else if (group) {
		/* the child is not reaped yet: its pid, the group's id, is still ours */
		kill(-s->pid, sig);
	} else {
		syscall(SYS_pidfd_send_signal, s->pidfd, sig, NULL, 0);
	}
}

static int default_wait(struct sc_sandbox *s, int *wstatus, struct sc_error *err)
{
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
				   SIGTSTP, SIGCONT };
	sigset_t set, old;
	sigemptyset(&set);
	for (size_t i = 0; i < SC_ARRAY_SIZE(fwd); i++)
		sigaddset(&set, fwd[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC);

	struct termios saved;
	bool raw = false;
	if (s->tty && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}

	bool in_open = s->tty;
	bool out_open = s->tty;
	int r = 0;
	for (;;) {
		struct pollfd p[4] = {
			{ .fd = s->pidfd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = out_open ? s->pty_master : -1, .events = POLLIN },
			{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = sc_error_errno(err, -errno, "cannot wait for the sandbox");
			break;
		}
		if (p[2].revents)
			out_open = pump(s->pty_master, STDOUT_FILENO);
		if (p[3].revents)
			in_open = pump(STDIN_FILENO, s->pty_master);
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				struct winsize ws;
				if (si.ssi_signo == SIGWINCH) {
					if (s->tty && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
						ioctl(s->pty_master, TIOCSWINSZ, &ws);
				} else {
					forward(s, (int)si.ssi_signo);
				}
			}
		}
		if (p[0].revents) {
			/* the terminal may still hold output written just before the end */
			while (out_open && pump(s->pty_master, STDOUT_FILENO)) {
				struct pollfd q = { .fd = s->pty_master, .events = POLLIN };
				if (poll(&q, 1, 0) <= 0)
					break;
			}
			siginfo_t si = {0};
			if (waitid(P_PIDFD, (id_t)s->pidfd, &si, WEXITED) < 0) {
				r = sc_error_errno(err, -errno, "cannot collect the sandbox's status");
				break;
			}
			s->reaped = true;
			*wstatus = si.si_code == CLD_EXITED ? W_EXITCODE(si.si_status, 0)
				   : (si.si_status & 0x7f);
			break;
		}
	}
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* The first directory below dir on the way to path ("/tmp/proj" for /tmp/proj/x under /tmp). */
static void below(const char *dir, const char *path, char *out, size_t len)
{
	size_t n = strlen(dir);
	size_t k = strcspn(path + n + 1, "/");
	snprintf(out, len, "%.*s", (int)(n + 1 + k), path);
}

/* The first executable file named cmd in the directories of path. */
static bool find_in_path(const char *cmd, const char *path, char *out, size_t len)
{
	_cleanup_free_ char *copy = path ? strdup(path) : NULL;
	char *save = NULL;
	for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save)) {
		int why;
		if (dir[0] == '/' && snprintf(out, len, "%s/%s", dir, cmd) < (int)len && executable_file(out, &why))
			return true;
	}
	return false;
}

/*
 * A command or interpreter not found where the host has it is missing
 * because of the sandbox's view: say which part of it, and the volume
 * that would show it.
 */
static void explain_missing(const struct sc_sandbox *s, char *out, size_t len)
{
	const char *miss = s->sh->missing;
	char show[PATH_MAX];
	struct stat st;
	if (s->sh->missing_in_path && !s->rootfs && s->docker_path && s->cmd) {
		/* the caller's own PATH has it: the sandbox's is Docker's */
		if (find_in_path(s->cmd, getenv("PATH"), show, sizeof(show)))
			snprintf(out, len, " (the sandbox's PATH is Docker's; yours has %s: "
				 "give that path, or -e PATH)", show);
		return;
	}
	if (!miss[0])
		return;
	if (!s->rootfs) {
		const char *priv = sc_host_tree_private(miss);
		if (!priv || strcmp(priv, miss) == 0 || stat(miss, &st) < 0)
			return;
		below(priv, miss, show, sizeof(show));
		snprintf(out, len, " in the sandbox (%s is private there; -v %s:%s to show it)", priv, show, show);
		return;
	}
	if (s->sh->missing_relative) {
		/* the command given from here: the rootfs does not hold this directory */
		char host[PATH_MAX * 2];
		snprintf(host, sizeof(host), "%s/%s", s->cwd ? s->cwd : "", s->cmd);
		if (!s->cwd || stat(host, &st) < 0)
			return;
		snprintf(out, len, " in the sandbox (it starts in the rootfs, not in %s; -v %s:%s -w %s to run it there)",
			 s->cwd, s->cwd, s->cwd, s->cwd);
		return;
	}
	if (stat(miss, &st) < 0)
		return;
	snprintf(show, sizeof(show), "%s", miss);
	char *slash = strrchr(show, '/');
	if (slash && slash != show)
		*slash = '\0';
	snprintf(out, len, " in the sandbox (the rootfs has no %s; -v %s:%s to show it)", miss, show, show);
}

int sc_sandbox_wait(struct sc_sandbox *s, int *exit_code, struct sc_error *err)
{
	int wstatus = 0, r;
	if (s->hooks.wait) {
		r = s->hooks.wait(s->hooks.data, s->pid, &wstatus, err);
		if (r == 0)
			s->reaped = true;
	} else {
		r = default_wait(s, &wstatus, err);
	}
	if (r < 0) {
		*exit_code = SC_EXIT_SECLUDE;
		return r;
	}
	int failed = __atomic_load_n(&s->sh->fail.exit_code, __ATOMIC_ACQUIRE);
	if (failed) {
		*exit_code = failed;
		char why[PATH_MAX * 3 + 128] = "";
		if (failed == SC_EXIT_NOT_FOUND)
			explain_missing(s, why, sizeof(why));
		struct sc_error e = {0};
		sc_handoff_failed(&s->sh->fail, why, &e);
		if (err)
			*err = e;
		return e.code;
	}
	*exit_code = sc_exit_code_from_status(wstatus);
	return 0;
}

int sc_sandbox_wait_exec(struct sc_sandbox *s, int *exit_code, struct sc_error *err)
{
	*exit_code = 0;
	char b;
	while (s->exec_r >= 0 && read(s->exec_r, &b, 1) < 0 && errno == EINTR)
		;
	/* the child stores a failure before it ends, and the pipe closes with it */
	int failed = __atomic_load_n(&s->sh->fail.exit_code, __ATOMIC_ACQUIRE);
	if (!failed)
		return 0;
	*exit_code = failed;
	char why[PATH_MAX * 3 + 128] = "";
	if (failed == SC_EXIT_NOT_FOUND)
		explain_missing(s, why, sizeof(why));
	struct sc_error e = {0};
	sc_handoff_failed(&s->sh->fail, why, &e);
	if (err)
		*err = e;
	return e.code;
}

int sc_sandbox_run(const struct sc_sandbox_config *c, int *exit_code, struct sc_error *err)
{
	struct sc_sandbox *s = NULL;
	int r = sc_sandbox_start(c, &s, err);
	if (r < 0) {
		*exit_code = SC_EXIT_SECLUDE;
		return r;
	}
	r = sc_sandbox_wait(s, exit_code, err);
	sc_sandbox_free(s);
	return r;
}
