/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The processes create leaves behind, detached from it, that take the
 * container's seccomp listener once start has released it: seclude's
 * denial monitor, and the handoff to a listenerPath agent.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "create.h"
#include "record.h"
#include "seclude/util.h"

void sc_oci_report_denial(void *ud, const struct sc_denial *d)
{
	struct create *x = ud;
	if (!x->report)
		return;
	char *js = sc_denial_format_json(d);
	if (js)
		fprintf(x->report, "%s\n", js);
	free(js);
	fflush(x->report);
}

/*
 * Fork the process that will take the container's listener.  The child
 * claims it (sc_sandbox_claim_listener) before the parent goes on, so that
 * its death at any moment before it has taken the listener ends the
 * container instead of leaving it spinning.  0 in the child, 1 in the
 * parent, -errno when the child could not claim it.
 */
static int fork_taker(struct sc_sandbox *s, struct sc_error *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return sc_error_errno(err, -errno, "cannot start the listener's taker");
	fflush(NULL);
	pid_t m = fork();
	if (m < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return sc_error_errno(err, e, "cannot start the listener's taker");
	}
	if (m == 0) {
		close(p[0]);
		struct sc_error e = {0};
		if (sc_sandbox_claim_listener(s, &e) < 0)
			_exit(1);
		if (write(p[1], "k", 1) != 1)
			_exit(1);
		close(p[1]);
		return 0;
	}
	close(p[1]);
	char k;
	ssize_t n;
	while ((n = read(p[0], &k, 1)) < 0 && errno == EINTR)
		;
	close(p[0]);
	if (n != 1)
		return sc_error_set(err, -ESRCH, "the process to take the seccomp listener did not start");
	return 1;
}

/*
 * The taker, once forked, leaves the engine's world: a session of its
 * own, stdio on /dev/null (the engine waits for EOF on the container's
 * pipes), the caller's preserved fds (the container's) closed, what
 * seclude opened kept (the report, the monitor's eventfd, the pidfd);
 * SIGPIPE ignored.  create reserved the preserved range before opening
 * anything (sc_oci_reserve_fds): it holds the caller's fds and /dev/null,
 * none of seclude's; the report and the pidfd are checked all the same.
 */
static void detach(const struct create *x, struct sc_sandbox *s)
{
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	int pidfd = sc_sandbox_pidfd(s), report = x->report ? fileno(x->report) : -1;
	for (unsigned fd = 3; fd < 3 + x->o->preserve_fds; fd++)
		if ((int)fd != pidfd && (int)fd != report)
			close((int)fd);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * The denial monitor, forked by create once the container is held: a
 * session of its own with stdio on /dev/null (the engine waits for EOF on
 * the container's pipes), not the container's parent (the engine's
 * subreaper reaps it).  It follows the container, takes the listener when
 * the released process loads its filter, answers every notification with
 * the profile's errno (or lets it through, complaining), and writes one
 * JSON line per call to the report file; it ends with the container.
 * When it dies, notified calls fail with ENOSYS: closed, not open.
 */
int sc_oci_fork_monitor(struct create *x, struct sc_sandbox *s, struct sc_error *err)
{
	int m = fork_taker(s, err);
	if (m != 0)
		return m < 0 ? m : 0;
	detach(x, s);
	int pidfd = sc_sandbox_pidfd(s);
	struct sc_error e = {0};
	if (x->denial_hooks.child_created)
		x->denial_hooks.child_created(x->denial_hooks.data, x->pid, &e);
	int fd;
	if (sc_sandbox_take_listener(s, &fd, &e) == 0 && x->denial_hooks.listener)
		x->denial_hooks.listener(x->denial_hooks.data, fd, &e);
	if (e.code && x->report) {
		/* the report says why it stays empty */
		json_t *o = json_pack("{s:s}", "error", e.msg);
		char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (t)
			fprintf(x->report, "%s\n", t);
		free(t);
		json_decref(o);
		fflush(x->report);
	}
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	sc_denials_end(x->denials, 0, &e);
	if (x->report)
		fclose(x->report);
	_exit(0);
}

/*
 * linux.seccomp.listenerPath: the seccomp agent protocol (runtime-spec
 * config-linux.md).  A helper forked by create, detached like the denial
 * monitor, takes the listener once start has released the container and
 * its filter is loaded, connects to the agent's socket (SOCK_STREAM) and
 * sends one ContainerProcessState with the fd in SCM_RIGHTS.  If that
 * fails, the container is killed: the spec requires it to fail.
 */
int sc_oci_fork_agent_handoff(struct create *x, struct sc_sandbox *s, struct sc_error *err)
{
	int m = fork_taker(s, err);
	if (m != 0)
		return m < 0 ? m : 0;
	detach(x, s);
	struct sc_error e = {0};
	int fd;
	if (sc_sandbox_take_listener(s, &fd, &e) < 0)
		_exit(0);   /* deleted before it started */
	json_t *st = json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion", SC_OCI_VERSION, "id", x->o->id,
			       "status", "creating", "pid", (int)x->pid, "bundle", x->bundle);
	if (st && x->annotations && json_object_size(x->annotations))
		json_object_set(st, "annotations", x->annotations);
	json_t *msg = json_pack("{s:s, s:[s], s:i, s:s, s:o}", "ociVersion", SC_OCI_VERSION, "fds", "seccompFd",
				"pid", (int)x->pid, "metadata",
				x->cfg->listener_metadata ? x->cfg->listener_metadata : "", "state", st);
	char *text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	int sock = text ? sc_oci_connect(x->cfg->listener_path, &e) : -1;
	bool sent = false;
	if (sock >= 0) {
		struct iovec iov = { .iov_base = text, .iov_len = strlen(text) };
		union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
		memset(&u, 0, sizeof(u));
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
				     .msg_controllen = sizeof(u.buf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		sent = sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)strlen(text);
		close(sock);
	}
	if (!sent)
		syscall(SYS_pidfd_send_signal, sc_sandbox_pidfd(s), SIGKILL, NULL, 0);
	_exit(0);
}

/* "nginx -g daemon off;": the container's command, for the profile's comment. */
static char *command_text(const struct sc_oci_config *cfg)
{
	size_t len = 1;
	for (size_t i = 0; i < cfg->n_args; i++)
		len += strlen(cfg->args[i]) + 1;
	char *s = calloc(1, len);
	for (size_t i = 0; s && i < cfg->n_args; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, cfg->args[i]);
	}
	return s;
}

/* The profile of what was recorded, made as seclude learn makes it (its request, sc_learn_profile_make). */
static int write_learned(struct create *x, const struct sc_record *rec, struct sc_error *err)
{
	_cleanup_free_ char *command = command_text(x->cfg);
	_cleanup_free_ char *json = NULL;
	struct sc_learn_summary sum = {0};
	struct sc_diags diags = {0};
	int r = sc_learn_profile_make(&x->learn, rec, command, &json, &sum, &diags, err);
	sc_diags_free(&diags);
	sc_learn_summary_free(&sum);
	if (r < 0)
		return r;
	return sc_write_atomic(x->learn_path, json, strlen(json), 0644, SC_WRITE_SYNC, err);
}

/*
 * The learner, forked by create as the denial monitor is (detached, not
 * the container's parent): takes the listener once the released process
 * has loaded the recorder's filter, records every call of the tree until
 * its last process has ended (the listener hangs up), and writes the
 * profile.  A failure is written beside it, in PATH.error.  If the learner
 * dies, the container's calls fail with ENOSYS: nothing runs unrecorded.
 */
int sc_oci_fork_learner(struct create *x, struct sc_sandbox *s, struct sc_error *err)
{
	int m = fork_taker(s, err);
	if (m != 0)
		return m < 0 ? m : 0;
	detach(x, s);
	struct sc_error e = {0};
	int fd;
	if (sc_sandbox_take_listener(s, &fd, &e) < 0)
		_exit(0);   /* deleted before it started: nothing ran, nothing to write */
	struct sc_record *rec = sc_record_new();
	int r = rec ? sc_learn_notify_record(fd, rec, NULL, NULL, &e) : sc_error_set(&e, -ENOMEM, "out of memory");
	close(fd);
	if (r == 0)
		r = write_learned(x, rec, &e);
	if (r < 0) {
		_cleanup_free_ char *path = NULL;
		if (asprintf(&path, "%s.error", x->learn_path) >= 0) {
			char line[sizeof(e.msg) + 32];
			int n = snprintf(line, sizeof(line), "seclude: error: %s\n", e.msg);
			sc_write_atomic(path, line, (size_t)n, 0644, 0, NULL);
		}
	}
	sc_record_free(rec);
	_exit(r < 0 ? 1 : 0);
}
