/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run that records: the recorder's choice, its hooks, the wait for the tree and the collection. */
#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/learn_session.h"
#include "seclude/util.h"

struct sc_learn_session {
	struct sc_learn_session_opts o;
	enum sc_learn_recorder recorder;      /* EBPF or PTRACE by now */
	struct sc_bpf filter;
	struct sc_learn_ebpf *ebpf;
	struct sc_cgroup *cg;                 /* eBPF: the leaf the tree is counted in */
	pthread_t poller;
	bool polling;
	int stop_poll;
	struct sc_record *seen;               /* eBPF: what progress has shown */
	/* notify: the thread that answers the listener */
	pthread_t notifier;
	bool notifying;
	int listener;
	int notify_r;
	struct sc_error notify_err;
};

static void *notify_thread(void *arg)
{
	struct sc_learn_session *s = arg;
	s->notify_r = sc_learn_notify_record(s->listener, s->o.rec, s->o.args, s->o.progress, &s->notify_err);
	return NULL;
}

static int hook_listener(void *data, int fd, struct sc_error *err)
{
	struct sc_learn_session *s = data;
	s->listener = fd;
	/* the recorder takes no signal: a ^C meant for the command must not end it */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int r = pthread_create(&s->notifier, NULL, notify_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return sc_error_errno(err, -r, "cannot start the notify recorder");
	s->notifying = true;
	return 0;
}

/* The tree has ended (or the run never took the listener): the last calls, then the thread is gone. */
static int stop_notifier(struct sc_learn_session *s, struct sc_error *err)
{
	if (!s->notifying)
		return 0;
	pthread_join(s->notifier, NULL);
	s->notifying = false;
	close(s->listener);
	s->listener = -1;
	if (s->notify_r < 0) {
		if (err)
			*err = s->notify_err;
		return s->notify_r;
	}
	return 0;
}

static void *poll_ebpf(void *arg)
{
	struct sc_learn_session *s = arg;
	struct sc_learn_progress p = { .new_syscall = s->o.progress->new_syscall, .ud = s->o.progress->ud };
	while (!__atomic_load_n(&s->stop_poll, __ATOMIC_ACQUIRE)) {
		sc_learn_ebpf_poll(s->ebpf, &p, s->seen);
		usleep(200 * 1000);
	}
	return NULL;
}

static void stop_poller(struct sc_learn_session *s)
{
	if (!s->polling)
		return;
	__atomic_store_n(&s->stop_poll, 1, __ATOMIC_RELEASE);
	pthread_join(s->poller, NULL);
	s->polling = false;
	/* what came in since the last look */
	struct sc_learn_progress p = { .new_syscall = s->o.progress->new_syscall, .ud = s->o.progress->ud };
	sc_learn_ebpf_poll(s->ebpf, &p, s->seen);
}

static int hook_child_created(void *data, pid_t pid, struct sc_error *err)
{
	struct sc_learn_session *s = data;
	if (s->recorder == SC_LEARN_NOTIFY)
		return 0;
	if (s->recorder == SC_LEARN_PTRACE)
		return sc_learn_ptrace_seize(pid, err);
	uint64_t id;
	int r = sc_cgroup_v2_leaf(pid, "seclude-learn", &s->cg, &id, err);
	if (r < 0)
		return r;
	r = sc_learn_ebpf_set_target(s->ebpf, id, err);
	if (r < 0)
		return r;
	/*
	 * The poller takes no signal: a ^C meant for the command would end
	 * learn from that thread, whose mask the wait's forwarding does not
	 * cover, and no profile would be written.
	 */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (s->o.progress && pthread_create(&s->poller, NULL, poll_ebpf, s) == 0)
		s->polling = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* The ptrace loop owns waiting; signals meant for the command go to it. */
static volatile pid_t forward_to;

/*
 * The command is a session of its own: ^C and ^\\ reach seclude only, and
 * go on to the command's whole group, as the terminal would have sent them
 * (its pid 1 alone ignores what it has no handler for).
 */
static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(sig == SIGINT || sig == SIGQUIT ? -forward_to : forward_to, sig);
}

static int hook_wait(void *data, pid_t pid, int *wstatus, struct sc_error *err)
{
	struct sc_learn_session *s = data;
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_handler = forward_signal }, old[SC_ARRAY_SIZE(fwd)];
	sigemptyset(&sa.sa_mask);
	forward_to = pid;
	for (size_t i = 0; i < SC_ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &sa, &old[i]);
	int r = sc_learn_ptrace_run(pid, s->o.rec, s->o.args, s->o.progress, wstatus, err);
	for (size_t i = 0; i < SC_ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &old[i], NULL);
	forward_to = 0;
	return r;
}

/* Which recorder: ebpf loads here already, so auto knows before anything starts. */
static int choose_recorder(struct sc_learn_session *s, struct sc_error *err)
{
	/*
	 * The eBPF recorder needs CAP_BPF and CAP_PERFMON in the host's
	 * namespace: for a user who is not root auto is ptrace, which traces
	 * one's own children.
	 */
	if (s->o.recorder == SC_LEARN_NOTIFY) {
		s->recorder = SC_LEARN_NOTIFY;
		return 0;
	}
	if (s->o.recorder == SC_LEARN_PTRACE || (s->o.recorder != SC_LEARN_EBPF && geteuid() != 0)) {
		s->recorder = SC_LEARN_PTRACE;
		return 0;
	}
	struct sc_error e = {0};
	if (sc_learn_ebpf_open(SC_LEARN_ARM_AT_SECCOMP, s->o.args, &s->ebpf, &e) == 0) {
		s->recorder = SC_LEARN_EBPF;
		return 0;
	}
	if (s->o.recorder == SC_LEARN_EBPF) {
		*err = e;
		return e.code < 0 ? e.code : -EINVAL;
	}
	if (s->o.fallback)
		s->o.fallback(s->o.ud, e.msg);
	s->recorder = SC_LEARN_PTRACE;
	return 0;
}

void sc_learn_session_free(struct sc_learn_session *s)
{
	if (!s)
		return;
	stop_notifier(s, NULL);
	stop_poller(s);
	sc_learn_ebpf_close(s->ebpf);
	if (s->cg)
		sc_cgroup_destroy(s->cg, NULL);
	sc_cgroup_free(s->cg);
	free(s->filter.insns);
	sc_record_free(s->seen);
	free(s);
}

int sc_learn_begin(const struct sc_learn_session_opts *o, struct sc_learn_session **out,
		   struct sc_learn_plug *plug, struct sc_error *err)
{
	struct sc_learn_session *s = calloc(1, sizeof(*s));
	if (!s)
		return sc_error_set(err, -ENOMEM, "out of memory");
	s->o = *o;
	s->listener = -1;
	int r = choose_recorder(s, err);
	if (r == 0 && !(s->seen = sc_record_new()))
		r = sc_error_set(err, -ENOMEM, "out of memory");
	if (r == 0)
		r = s->recorder == SC_LEARN_PTRACE ? sc_learn_ptrace_filter(&s->filter, err)
		    : s->recorder == SC_LEARN_NOTIFY ? sc_learn_notify_filter(&s->filter, err)
						     : sc_learn_allow_filter(&s->filter, err);
	if (r < 0) {
		sc_learn_session_free(s);
		return r;
	}
	*plug = (struct sc_learn_plug){
		.bpf = &s->filter,
		/* as run loads Docker's profiles: no forced speculation mitigation */
		.seccomp_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW,
		.want_listener = s->recorder == SC_LEARN_NOTIFY,
		.hooks = {
			.data = s,
			.child_created = hook_child_created,
			.wait = s->recorder == SC_LEARN_PTRACE ? hook_wait : NULL,
			.listener = s->recorder == SC_LEARN_NOTIFY ? hook_listener : NULL,
		},
	};
	*out = s;
	return 0;
}

enum sc_learn_recorder sc_learn_session_recorder(const struct sc_learn_session *s)
{
	return s->recorder;
}

int sc_learn_end(struct sc_learn_session *s, bool ran, struct sc_error *err)
{
	int r = 0;
	if (s->recorder == SC_LEARN_NOTIFY)
		return stop_notifier(s, err);
	if (s->recorder == SC_LEARN_EBPF && s->cg) {
		/* the tree, not only its first process: wait for the last one */
		if (ran)
			r = sc_cgroup_wait_empty(s->cg, -1, err);
		stop_poller(s);
		if (r == 0)
			r = sc_learn_ebpf_collect(s->ebpf, s->o.rec, err);
	}
	stop_poller(s);
	sc_learn_ebpf_close(TAKE_PTR(s->ebpf));
	if (s->cg) {
		int d = sc_cgroup_destroy(s->cg, r < 0 ? NULL : err);
		sc_cgroup_free(TAKE_PTR(s->cg));
		if (r == 0)
			r = d;
	}
	return r;
}
