/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A seccomp agent for the listenerPath protocol (runtime-spec
 * config-linux.md, "The Container Process State"): unmodified runc and
 * crun connect to its socket, send one ContainerProcessState with the
 * container's seccomp listener in SCM_RIGHTS, and close.  The agent
 * answers every notification of that container with the verdict of the
 * original profile (named by listenerMetadata, else the agent's own), run
 * in the simulator: the exact errno, reported as --log-denials reports it.
 * One denial monitor (monitor.c) per container; a container is done when
 * its listener hangs up.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "seclude/agent.h"
#include "seclude/filter.h"
#include "seclude/names.h"
#include "seclude/util.h"

/* ---- the profile a runtime loads -------------------------------------- */

static json_t *rule_json(const struct sc_policy_rule *r, enum sc_action action)
{
	json_t *o = json_pack("{s:[s], s:s}", "names", r->name, "action", sc_action_name(action));
	if (action == SC_ACT_ERRNO || action == SC_ACT_TRACE)
		json_object_set_new(o, "errnoRet", json_integer(r->errno_ret));
	if (r->n_args) {
		json_t *args = json_array();
		for (size_t i = 0; i < r->n_args; i++)
			json_array_append_new(args, json_pack("{s:i, s:I, s:I, s:s}", "index", (int)r->args[i].index,
							      "value", (json_int_t)r->args[i].value, "valueTwo",
							      (json_int_t)r->args[i].value_two, "op",
							      sc_op_name(r->args[i].op)));
		json_object_set_new(o, "args", args);
	}
	return o;
}

/*
 * runc refuses SCMP_ACT_NOTIFY on write (its init writes the listener's
 * number to its parent under the filter) and as the default action.
 */
static bool notifiable(const char *name)
{
	return strcmp(name, "write") != 0;
}

int sc_agent_notify_profile(const char *profile, const char *socket_path, char **out, struct sc_diags *diags,
			    struct sc_error *err)
{
	struct sc_filter f = {0};
	const struct sc_filter_opts fo = { .caps = sc_caps_docker_default(), .keep_policy = true };
	int r = sc_filter_for(profile, &fo, &f, diags, err);
	if (r < 0)
		return r;
	const struct sc_policy *pol = f.policy;
	json_t *o = json_object();
	json_object_set_new(o, "defaultAction", json_string(sc_action_name(pol->default_action)));
	if (pol->default_action == SC_ACT_ERRNO || pol->default_action == SC_ACT_TRACE)
		json_object_set_new(o, "defaultErrnoRet", json_integer(pol->default_errno));
	json_t *arches = json_array();
	for (size_t i = 0; i < pol->n_arches; i++)
		if (sc_arch_scmp_name(pol->arches[i]))
			json_array_append_new(arches, json_string(sc_arch_scmp_name(pol->arches[i])));
	json_object_set_new(o, "architectures", arches);
	/* only when the profile names them: runc 1.1 refuses any */
	if (f.profile->has_flags) {
		json_t *flags = json_array();
		for (unsigned bit = 1; bit && bit <= SC_FLAG_WAIT_KILLABLE_RECV; bit <<= 1)
			if ((pol->flags & bit) && sc_flag_name(bit))
				json_array_append_new(flags, json_string(sc_flag_name(bit)));
		json_object_set_new(o, "flags", flags);
	}
	char abs[PATH_MAX];
	bool builtin = !strcmp(profile, "default");
	if (!builtin && !realpath(profile, abs)) {
		json_decref(o);
		sc_filter_free(&f);
		return sc_error_errno(err, -errno, "%s", profile);
	}
	json_object_set_new(o, "listenerPath", json_string(socket_path));
	json_object_set_new(o, "listenerMetadata", json_string(builtin ? "default" : abs));

	json_t *rules = json_array();
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		enum sc_action a = pr->action;
		if (a == SC_ACT_ERRNO && notifiable(pr->name))
			a = SC_ACT_NOTIFY;
		json_array_append_new(rules, rule_json(pr, a));
	}
	/*
	 * The default action's refusals: every call of this architecture that
	 * no rule names, notified by a rule of its own.  A call some rule names
	 * with arguments keeps the default for the other arguments, unreported.
	 */
	if (pol->default_action == SC_ACT_ERRNO) {
		json_t *names = json_array();
		for (int nr = 0; nr < 1024; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(seccomp_arch_native(), nr);
			if (!name)
				continue;
			bool named = false;
			for (size_t i = 0; i < pol->n_rules && !named; i++)
				named = !strcmp(pol->rules[i].name, name);
			if (!named && notifiable(name))
				json_array_append_new(names, json_string(name));
			free(name);
		}
		if (json_array_size(names))
			json_array_append_new(rules, json_pack("{s:o, s:s, s:s}", "names", names, "action",
							       "SCMP_ACT_NOTIFY", "comment",
							       "the default action's refusals, answered by the agent"));
		else
			json_decref(names);
	}
	json_object_set_new(o, "syscalls", rules);
	*out = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
	sc_filter_free(&f);
	return *out ? 0 : sc_error_set(err, -ENOMEM, "out of memory");
}

/* ---- the agent ---------------------------------------------------------- */

struct container {
	struct sc_agent *a;
	char id[256];
	pid_t pid;
	struct sc_filter filter;
	struct sc_monitor *mon;
	int watch;            /* a copy of the listener: it hangs up when the container is done */
};

struct sc_agent {
	struct sc_agent_opts o;
	int sock;
	struct container **v;
	size_t n;
	pthread_mutex_t lock;  /* reports come from every container's monitor thread */
};

static void report(void *ud, const struct sc_denial *d)
{
	struct container *c = ud;
	pthread_mutex_lock(&c->a->lock);
	c->a->o.report(c->a->o.ud, c->id, d);
	pthread_mutex_unlock(&c->a->lock);
}

static void event(struct sc_agent *a, const char *id, const char *what)
{
	if (!a->o.event)
		return;
	pthread_mutex_lock(&a->lock);
	a->o.event(a->o.ud, id, what);
	pthread_mutex_unlock(&a->lock);
}

static void container_free(struct container *c)
{
	if (!c)
		return;
	if (c->mon) {
		struct sc_error e = {0};
		sc_monitor_finish(c->mon, 0, &e);
		sc_monitor_free(c->mon);
	}
	if (c->watch >= 0)
		close(c->watch);
	sc_filter_free(&c->filter);
	free(c);
}

/* The caps the container's processes hold (Docker's includes/excludes match them); Docker's default when unknown. */
static uint64_t container_caps(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = pid > 0 ? fopen(path, "re") : NULL;
	uint64_t caps = sc_caps_docker_default();
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapBnd:", 7))
			caps = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return caps;
}

/* One ContainerProcessState and its fds: the message as text, the listener. */
static int receive(int conn, char **text, int *listener, struct sc_error *err)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	int fds[8], n_fds = 0;
	if (!buf)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (;;) {
		struct iovec iov = { .iov_base = buf + len, .iov_len = cap - len };
		union { char b[CMSG_SPACE(sizeof(fds))]; struct cmsghdr align; } u;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b) };
		ssize_t k = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = -errno;
			free(buf);
			return sc_error_errno(err, e, "cannot read the container's state");
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
				size_t m = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
				for (size_t i = 0; i < m && n_fds < 8; i++)
					memcpy(&fds[n_fds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			}
		len += (size_t)k;
		/* one message: the runtime closes after it; a complete JSON object is enough */
		buf[len] = '\0';
		json_error_t je;
		json_t *probe = k > 0 ? json_loads(buf, 0, &je) : NULL;
		bool done = k == 0 || probe || len == cap;
		json_decref(probe);
		if (done)
			break;
	}
	buf[len] = '\0';
	*text = buf;
	*listener = -1;
	json_t *msg = json_loads(buf, 0, NULL);
	json_t *names = json_object_get(msg, "fds");
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), "seccompFd") && (int)i < n_fds)
			*listener = fds[i];
	for (int k = 0; k < n_fds; k++)
		if (fds[k] != *listener)
			close(fds[k]);
	json_decref(msg);
	if (*listener < 0) {
		free(buf);
		*text = NULL;
		return sc_error_set(err, -EPROTO, "the container's state names no seccompFd with an fd");
	}
	return 0;
}

static int accept_container(struct sc_agent *a, int conn, struct sc_error *err)
{
	_cleanup_free_ char *text = NULL;
	int listener = -1;
	int r = receive(conn, &text, &listener, err);
	if (r < 0)
		return r;
	struct container *c = calloc(1, sizeof(*c));
	if (!c) {
		close(listener);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	c->a = a;
	c->watch = -1;
	json_t *msg = json_loads(text, 0, NULL);
	const char *id = json_string_value(json_object_get(json_object_get(msg, "state"), "id"));
	const char *meta = json_string_value(json_object_get(msg, "metadata"));
	c->pid = (pid_t)json_integer_value(json_object_get(msg, "pid"));
	snprintf(c->id, sizeof(c->id), "%s", id ? id : "?");
	/* the original profile: listenerMetadata names it (as --print-profile writes it), else the agent's */
	_cleanup_free_ char *profile = meta && (meta[0] == '/' || !strcmp(meta, "default")) ? strdup(meta)
				      : a->o.profile ? strdup(a->o.profile) : NULL;
	if (!profile) {
		json_decref(msg);
		close(listener);
		r = sc_error_set(err, -EINVAL, "container %s: no profile to answer with (its listenerMetadata names "
				 "none, and the agent was given no --profile): its notified calls fail with ENOSYS", c->id);
		free(c);
		return r;
	}
	const struct sc_filter_opts fo = { .caps = container_caps(c->pid), .keep_policy = true };
	struct sc_diags diags = {0};
	r = sc_filter_for(profile, &fo, &c->filter, &diags, err);
	sc_diags_free(&diags);
	json_decref(msg);
	if (r == 0) {
		const struct sc_monitor_opts mo = {
			.prog = &c->filter.bpf, .policy = c->filter.policy, .mode = a->o.mode, .decode_args = true,
			.report = report, .ud = c,
		};
		r = sc_monitor_new(&mo, &c->mon, err);
	}
	if (r == 0 && (c->watch = fcntl(listener, F_DUPFD_CLOEXEC, 3)) < 0)
		r = sc_error_errno(err, -errno, "cannot watch the listener");
	if (r == 0)
		r = sc_monitor_listen(c->mon, listener, err);
	else
		close(listener);
	struct container **nv = r == 0 ? realloc(a->v, (a->n + 1) * sizeof(*nv)) : NULL;
	if (r == 0 && !nv)
		r = sc_error_set(err, -ENOMEM, "out of memory");
	if (r < 0) {
		char msg2[sizeof(err->msg)];
		snprintf(msg2, sizeof(msg2), "%s", err->msg);
		sc_error_set(err, r, "container %s: %.900s", c->id, msg2);
		container_free(c);
		return r;
	}
	a->v = nv;
	a->v[a->n++] = c;
	char what[PATH_MAX + 32];
	snprintf(what, sizeof(what), "started, answering as %s", profile);
	event(a, c->id, what);
	return 0;
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

int sc_agent_serve(const struct sc_agent_opts *o, struct sc_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(o->socket) >= sizeof(sa.sun_path))
		return sc_error_set(err, -ENAMETOOLONG, "%s: socket path too long", o->socket);
	strcpy(sa.sun_path, o->socket);
	struct sc_agent a = { .o = *o, .sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) };
	if (a.sock < 0)
		return sc_error_errno(err, -errno, "cannot make a socket");
	unlink(o->socket);
	if (bind(a.sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(a.sock, 16) < 0) {
		int e = -errno;
		close(a.sock);
		return sc_error_errno(err, e, "cannot listen on %s", o->socket);
	}
	pthread_mutex_init(&a.lock, NULL);
	struct sigaction act = { .sa_handler = on_stop };
	sigemptyset(&act.sa_mask);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o->ready)
		o->ready(o->ud);
	int r = 0;
	while (!stopping) {
		struct pollfd *p = calloc(a.n + 1, sizeof(*p));
		if (!p) {
			r = sc_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		p[0] = (struct pollfd){ .fd = a.sock, .events = POLLIN };
		for (size_t i = 0; i < a.n; i++)
			p[i + 1] = (struct pollfd){ .fd = a.v[i]->watch, .events = 0 };
		int k = poll(p, a.n + 1, -1);
		if (k < 0) {
			free(p);
			if (errno == EINTR)
				continue;
			r = sc_error_errno(err, -errno, "poll");
			break;
		}
		/* the containers whose processes have all ended: their last reports, then gone */
		for (size_t i = a.n; i-- > 0;)
			if (p[i + 1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
				struct container *c = a.v[i];
				char id[sizeof(c->id)];
				snprintf(id, sizeof(id), "%s", c->id);
				a.v[i] = a.v[--a.n];
				container_free(c);
				event(&a, id, "ended");
			}
		bool incoming = p[0].revents & POLLIN;
		free(p);
		if (!incoming)
			continue;
		int conn = accept4(a.sock, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		struct sc_error e = {0};
		if (accept_container(&a, conn, &e) < 0)
			event(&a, NULL, e.msg);
		close(conn);
	}
	for (size_t i = 0; i < a.n; i++)
		container_free(a.v[i]);
	free(a.v);
	close(a.sock);
	unlink(o->socket);
	pthread_mutex_destroy(&a.lock);
	return r;
}
