/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * docker exec: a new process in a running sandbox.  It joins the
 * sandbox's cgroup, then its namespaces through a pidfd (a fork for the
 * pid namespace), and is confined by the same steps as run's child
 * (confine.c): the bounding set, the sets execve turns into root's,
 * no_new_privs, the very filter the sandbox runs under behind the
 * terminal injection guard.  A failure reaches the caller through the
 * one failure channel (handoff.h).
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "seclude/caps.h"
#include "seclude/guard.h"
#include "seclude/handoff.h"
#include "seclude/util.h"

static _Noreturn void enter_fail(struct sc_handoff *h, int code, int exit_code, const char *what)
{
	struct sc_error e = {0};
	sc_error_set(&e, code, "%s: %s", what, strerror(-code));
	sc_handoff_fail(h, exit_code, &e);
	_exit(exit_code);
}

/* In the sandbox's namespaces: its limits on privilege, then the program. */
static _Noreturn void enter_inside(const struct sc_spec *spec, const struct sc_bpf *bpf,
				   char *const *argv, struct sc_handoff *h)
{
	if (chdir("/") < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot enter /");
	/* a session of its own, as runc starts exec'd processes: the caller's terminal is not its controlling one */
	if (setsid() < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot start a new session");
	struct sc_error e = {0};
	if (sc_caps_bound(spec->process.caps, &e) < 0 || sc_caps_for_execve(&e) < 0)
		enter_fail(h, e.code, SC_EXIT_SECLUDE, "cannot set the capabilities");
	if (spec->process.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot set no_new_privs");

	/* The sandbox's environment, as docker exec starts from the container's. */
	clearenv();
	for (size_t i = 0; i < spec->process.n_env; i++)
		putenv(spec->process.env[i]);
	if (!getenv("PATH"))
		setenv("PATH", SC_DEFAULT_PATH, 1);
	if (spec->hostname && !getenv("HOSTNAME"))
		setenv("HOSTNAME", spec->hostname, 1);
	if (!getenv("HOME"))
		setenv("HOME", "/root", 1);

	if (bpf) {
		/* behind the terminal injection guard, as the sandbox's own processes have it */
		struct sc_bpf guarded;
		if (sc_guard_prepend(bpf, &guarded, &e) < 0)
			enter_fail(h, e.code, SC_EXIT_SECLUDE, "cannot put the terminal injection guard in front of the filter");
		/* The sandbox's flags, less those that only make sense once (a listener). */
		unsigned flags = spec->seccomp.filter.flags & ~(unsigned)SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (sc_seccomp_load(&guarded, flags, &e) < 0)
			enter_fail(h, e.code, SC_EXIT_SECLUDE, "cannot load the sandbox's seccomp filter");
	}
	execvp(argv[0], argv);
	int err = errno;
	enter_fail(h, -err, err == ENOENT ? SC_EXIT_NOT_FOUND : SC_EXIT_CANNOT_EXEC, argv[0]);
}

/*
 * The exec'd command is a session of its own, so the terminal's ^C and ^\
 * reach seclude exec only.  Each side passes them on: seclude exec to its
 * helper, the helper to the command's group as the terminal sent them
 * before; SIGTERM and SIGHUP likewise, to the command itself.
 */
static volatile pid_t forward_to;
static volatile bool forward_to_group;

static void forward_signal(int sig)
{
	pid_t p = forward_to;
	if (p <= 0)
		return;   /* the command's side before its execve: nothing to pass on to */
	if (forward_to_group && (sig == SIGINT || sig == SIGQUIT) && kill(-p, sig) == 0)
		return;
	kill(p, sig);
}

static void forward_signals(pid_t to, bool group)
{
	forward_to = to;
	forward_to_group = group;
	struct sigaction sa = { .sa_handler = forward_signal };
	sigemptyset(&sa.sa_mask);
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < SC_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The helper: into the cgroup and the namespaces, then a fork for the pid namespace. */
static _Noreturn void helper(const struct sc_spec *spec, int pidfd, const struct sc_cgroup *cg,
			     const struct sc_bpf *bpf, char *const *argv, struct sc_handoff *h)
{
	/*
	 * docker exec never passes the caller's descriptors on: the command
	 * gets 0, 1 and 2 only (runc's CVE-2016-9962 was a host fd alive in
	 * a process the container could reach).  Until execve this is
	 * seclude's code inside the sandbox: not dumpable, so nothing there
	 * can ptrace it or open its /proc entries (execve resets the flag).
	 */
	int keep[] = { pidfd };
	sc_close_fds_except(keep, SC_ARRAY_SIZE(keep));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot make the exec helper undumpable");
	struct sc_error e = {0};
	/* The cgroup first: the cgroup namespace joined next is rooted there. */
	if (cg && sc_cgroup_attach(cg, getpid(), &e) < 0)
		enter_fail(h, e.code, SC_EXIT_SECLUDE, "cannot join the sandbox's cgroup");
	if (setns(pidfd, (int)sc_ns_clone_flags(spec->namespaces)) < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot join the sandbox's namespaces");
	/* A pid namespace takes in the children of who joined it. */
	forward_signals(0, true);
	pid_t inner = fork();
	if (inner < 0)
		enter_fail(h, -errno, SC_EXIT_SECLUDE, "cannot fork into the sandbox");
	if (inner == 0)
		enter_inside(spec, bpf, argv, h);
	forward_to = inner;
	int st;
	while (waitpid(inner, &st, 0) < 0)
		if (errno != EINTR)
			_exit(SC_EXIT_SECLUDE);
	_exit(sc_exit_code_from_status(st));
}

int sc_sandbox_enter(const struct sc_spec *spec, int pidfd, const struct sc_cgroup *cg,
		     const struct sc_bpf *bpf, char *const *argv, int *exit_code, struct sc_error *err)
{
	*exit_code = SC_EXIT_SECLUDE;
	if (!argv || !argv[0])
		return sc_error_set(err, -EINVAL, "no command to run");
	struct sc_handoff *h = sc_handoff_map(sizeof(*h), err);
	if (!h)
		return err ? err->code : -ENOMEM;
	fflush(NULL);
	pid_t helper_pid = fork();
	if (helper_pid < 0) {
		sc_handoff_unmap(h, sizeof(*h));
		return sc_error_errno(err, -errno, "cannot fork");
	}
	if (helper_pid == 0)
		helper(spec, pidfd, cg, bpf, argv, h);
	struct sigaction old[4];
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < SC_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], NULL, &old[i]);
	forward_signals(helper_pid, false);
	int st = 0;
	while (waitpid(helper_pid, &st, 0) < 0 && errno == EINTR)
		;
	forward_to = 0;
	for (size_t i = 0; i < SC_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	struct sc_error e = {0};
	int failed = sc_handoff_failed(h, NULL, &e);
	sc_handoff_unmap(h, sizeof(*h));
	if (failed) {
		*exit_code = failed;
		if (err)
			*err = e;
		return e.code;
	}
	*exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}
