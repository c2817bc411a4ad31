/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monitor: answers the calls P' sends to user space with the
 * verdict the original P gives them, and reports each one; reads the
 * kernel's records of the kills and traps that stayed in the kernel.
 *
 * One thread does it all, with every signal blocked (the main thread's
 * wait forwards them to the sandbox).  A notified call is answered after
 * its arguments are read -- the caller is blocked until then, so what is
 * read is what it passed -- and reported after the answer, so formatting
 * and writing never delay the program more than reading does.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "notify_internal.h"
#include "seclude/bpf.h"
#include "seclude/exit.h"
#include "seclude/notify.h"
#include "seclude/util.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* How long to wait for kauditd to print the record of a kill already seen as an exit. */
#define AUDIT_GRACE_MS 300

struct sc_monitor {
	struct sc_monitor_opts o;
	struct sc_bpf prog;            /* a copy of P */

	pthread_t thread;
	bool running;
	int stop_fd;                   /* eventfd: finish, or a new listener to poll */
	pthread_mutex_t lock;
	int new_listener;              /* handed over by listen(), taken by the thread */
	bool stopping;

	/* owned by the thread while it runs */
	int listener;
	int kmsg;                      /* the audit multicast socket, or /dev/kmsg */
	bool kmsg_is_dev;
	char audit_why[100];
	bool kmsg_lost;
	struct sc_proctrack track;
	bool tracking;
	pid_t root;                    /* host pid of the sandbox's first process */
	bool root_killed;              /* ended by SIGKILL in place of a kill's SIGSYS (opts.kills) */
	pid_t ended[64];               /* processes the monitor ended, their call named (opts.kills) */
	size_t n_ended;

	struct sc_denial_count *counts;
	size_t n_counts, cap_counts;

	struct attribution *attr;
	size_t n_attr, cap_attr;
};

/* ---- attribution, remembered --------------------------------------------- */

/*
 * Explaining a call walks every rule of the policy, resolving names on
 * the way: far more than answering it.  Where no rule for the name has
 * conditions, the answer depends on (arch, nr, verdict) alone and is
 * kept.  socketcall and ipc carry the conditions of the calls libseccomp
 * moved onto them, so they are always explained afresh.
 */
struct attribution {
	uint32_t arch;
	int nr;
	uint32_t ret;
	bool has_args;
	char rule[64];
	char where[256];
};

static bool args_matter(const struct sc_policy *pol, const char *name)
{
	if (!strcmp(name, "socketcall") || !strcmp(name, "ipc"))
		return true;
	for (size_t i = 0; i < pol->n_rules; i++)
		if (pol->rules[i].n_args && !strcmp(pol->rules[i].name, name))
			return true;
	return false;
}

static void attribute(struct sc_monitor *s, const struct seccomp_data *data, bool has_args,
		      uint32_t ret, struct sc_denial *d)
{
	if (!s->o.policy)
		return;
	for (size_t i = 0; i < s->n_attr; i++) {
		const struct attribution *a = &s->attr[i];
		if (a->arch == data->arch && a->nr == data->nr && a->ret == ret && a->has_args == has_args) {
			memcpy(d->rule, a->rule, sizeof(d->rule));
			memcpy(d->where, a->where, sizeof(d->where));
			return;
		}
	}
	sc_denial_attribute(s->o.policy, &s->prog, data, has_args, ret, d->rule, sizeof(d->rule),
			    d->where, sizeof(d->where));
	if (args_matter(s->o.policy, d->syscall))
		return;
	if (s->n_attr == s->cap_attr) {
		size_t cap = s->cap_attr ? s->cap_attr * 2 : 16;
		struct attribution *v = realloc(s->attr, cap * sizeof(*v));
		if (!v)
			return;
		s->attr = v;
		s->cap_attr = cap;
	}
	struct attribution *a = &s->attr[s->n_attr++];
	*a = (struct attribution){ .arch = data->arch, .nr = data->nr, .ret = ret, .has_args = has_args };
	memcpy(a->rule, d->rule, sizeof(a->rule));
	memcpy(a->where, d->where, sizeof(a->where));
}

/* ---- the counts for the summary ---------------------------------------- */

static void count(struct sc_monitor *s, const struct sc_denial *d)
{
	for (size_t i = 0; i < s->n_counts; i++) {
		struct sc_denial_count *c = &s->counts[i];
		if (c->arch == d->arch && c->nr == d->nr && c->ret == d->ret && c->complain == d->complain &&
		    !strcmp(c->syscall, d->syscall)) {
			c->count++;
			return;
		}
	}
	if (s->n_counts == s->cap_counts) {
		size_t cap = s->cap_counts ? s->cap_counts * 2 : 16;
		struct sc_denial_count *v = realloc(s->counts, cap * sizeof(*v));
		if (!v)
			return;
		s->counts = v;
		s->cap_counts = cap;
	}
	struct sc_denial_count *c = &s->counts[s->n_counts++];
	*c = (struct sc_denial_count){ .arch = d->arch, .nr = d->nr, .ret = d->ret, .complain = d->complain,
				       .count = 1 };
	snprintf(c->syscall, sizeof(c->syscall), "%s", d->syscall);
}

static void emit(struct sc_monitor *s, const struct sc_denial *d)
{
	count(s, d);
	if (s->o.report)
		s->o.report(s->o.ud, d);
}

/* ---- notified calls ---------------------------------------------------- */

struct path_reader {
	pid_t tid;
};

static int read_path(void *ud, uint64_t addr, char *buf, size_t len)
{
	const struct path_reader *pr = ud;
	ssize_t n = sc_read_tracee(pr->tid, addr, buf, len - 1);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return strlen(buf) == (size_t)n && (size_t)n == len - 1 ? 1 : 0;
}

static void read_comm(pid_t tid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	buf[0] = '\0';
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
}

/* SIGSYS in the thread's mask or the process's caught or ignored set (/proc/TID/status); the thread count. */
static int sigsys_state(pid_t tid, bool *caught, bool *ignored, bool *blocked)
{
	int threads = 0;
	*caught = *ignored = *blocked = false;
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	const unsigned long long bit = 1ULL << (SIGSYS - 1);
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long v;
		if (sscanf(line, "SigBlk: %llx", &v) == 1)
			*blocked = v & bit;
		else if (sscanf(line, "SigIgn: %llx", &v) == 1)
			*ignored = v & bit;
		else if (sscanf(line, "SigCgt: %llx", &v) == 1)
			*caught = v & bit;
		else
			sscanf(line, "Threads: %d", &threads);
	}
	return threads;
}

/*
 * A kill or trap the monitor was told of (monitor opts.kills): what the
 * kernel would have done, from outside.  A kill ends the process with
 * SIGSYS whatever its handlers; a trap runs its SIGSYS handler, or ends
 * it with SIGSYS when there is none (or it is blocked or ignored: the
 * kernel forces it).
 */
static void end_process(struct sc_monitor *s, struct sc_denial *d, uint32_t act, int listener,
			struct seccomp_notif_resp *resp)
{
	bool caught, ignored, blocked;
	int threads = sigsys_state(d->host_tid, &caught, &ignored, &blocked);
	pid_t tgid = d->host_pid ? d->host_pid : d->host_tid;
	if (s->n_ended < SC_ARRAY_SIZE(s->ended))
		s->ended[s->n_ended++] = tgid;
	if (act == SECCOMP_RET_KILL_THREAD && threads != 1) {
		snprintf(d->note, sizeof(d->note), "the thread is held, not ended: no signal ends one thread alone");
		return;
	}
	if (act == SECCOMP_RET_TRAP && caught && !blocked) {
		/* the handler runs; the call fails as an unhandled trap returns */
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
		syscall(SYS_tgkill, tgid, d->host_tid, SIGSYS);
		snprintf(d->note, sizeof(d->note), "its SIGSYS handler got a user's siginfo, not SYS_SECCOMP");
		return;
	}
	/*
	 * The first process of a pid namespace takes from outside only the
	 * signals it handles, and SIGKILL: it gets SIGKILL, and the run's
	 * status is the SIGSYS the kernel would have given (sc_monitor_exit_code).
	 */
	if (d->pid == 1 && tgid == s->root) {
		s->root_killed = true;
		syscall(SYS_tgkill, tgid, d->host_tid, SIGKILL);
		return;
	}
	if (!caught && !ignored && !blocked) {
		syscall(SYS_tgkill, tgid, d->host_tid, SIGSYS);
		return;
	}
	/* SIGSYS would not end it from outside: the kill is a SIGKILL */
	syscall(SYS_tgkill, tgid, d->host_tid, SIGKILL);
	snprintf(d->note, sizeof(d->note), "ended by SIGKILL: it catches, ignores or blocks SIGSYS");
}

static void handle_notification(struct sc_monitor *s)
{
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;   /* ENOENT: the caller is gone already */

	struct sc_sim_result sim = {0};
	struct sc_error err = {0};
	struct seccomp_notif_resp resp = { .id = req.id };
	struct sc_denial d = { .source = SC_SOURCE_NOTIFY, .host_tid = (pid_t)req.pid,
			       .arch = req.data.arch, .nr = req.data.nr, .has_args = true };
	clock_gettime(CLOCK_REALTIME, &d.when);
	memcpy(d.args, req.data.args, sizeof(d.args));

	if (sc_bpf_run(&s->prog, &req.data, &sim, &err) < 0) {
		/* cannot happen for a program that loaded; refuse rather than allow */
		sim.ret = SECCOMP_RET_ERRNO | ENOSYS;
		snprintf(d.note, sizeof(d.note), "the simulator failed: %.90s", err.msg);
	}
	d.ret = sim.ret;
	uint32_t act = sim.ret & SECCOMP_RET_ACTION_FULL;
	if (act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG) {
		/* P' and P disagree: P decides */
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		d.complain = false;
	} else if (s->o.mode == SC_DENIAL_COMPLAIN) {
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		d.complain = true;
	} else if (act == SECCOMP_RET_ERRNO) {
		uint32_t e = sim.ret & SECCOMP_RET_DATA;
		resp.error = -(int32_t)(e > SC_MAX_ERRNO ? SC_MAX_ERRNO : e);
	} else {
		resp.error = -ENOSYS;
	}
	bool end_it = s->o.kills && s->o.mode == SC_DENIAL_ENFORCE &&
		      (act == SECCOMP_RET_KILL_PROCESS || act == SECCOMP_RET_KILL_THREAD || act == SECCOMP_RET_TRAP);

	/* everything about the caller is read while it waits for the answer */
	pid_t ns_tid = 0, ns_tgid = 0;
	if (sc_proc_ids(d.host_tid, &d.host_pid, &ns_tid, &ns_tgid) == 0) {
		d.pid = ns_tgid;
		d.tid = ns_tid;
	}
	read_comm(d.host_tid, d.comm, sizeof(d.comm));
	sc_syscall_name(d.arch, d.nr, d.syscall, sizeof(d.syscall));
	struct path_reader pr = { .tid = d.host_tid };
	sc_decode_args(d.arch, d.syscall, d.args, s->o.decode_args ? read_path : NULL, &pr,
		       d.args_text, sizeof(d.args_text));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) < 0) {
		/* the caller died while we read: the pid may already name another process */
		sc_decode_args(d.arch, d.syscall, d.args, NULL, NULL, d.args_text, sizeof(d.args_text));
		d.pid = d.tid = 0;
		d.host_pid = d.host_tid;
		snprintf(d.comm, sizeof(d.comm), "?");
	}
	if (end_it)
		end_process(s, &d, act, s->listener, &resp);
	else
		ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);

	if (s->tracking && d.host_pid && !sc_proctrack_find(&s->track, d.host_pid))
		sc_proctrack_drain(&s->track);
	attribute(s, &req.data, true, sim.ret, &d);
	emit(s, &d);
}

/* ---- audit records ----------------------------------------------------- */

static bool kernel_kept(uint32_t code)
{
	uint32_t act = code & SECCOMP_RET_ACTION_FULL;
	return act != SECCOMP_RET_ALLOW && act != SECCOMP_RET_LOG && act != SECCOMP_RET_ERRNO &&
	       act != SECCOMP_RET_USER_NOTIF && act != SECCOMP_RET_TRACE;
}

static void handle_audit(struct sc_monitor *s, const struct sc_audit_seccomp *a)
{
	if (!kernel_kept(a->code))
		return;
	/* the record's process forked before it died: its fork event is already queued */
	if (s->tracking)
		sc_proctrack_drain(&s->track);
	struct sc_proc *p = s->tracking ? sc_proctrack_find(&s->track, a->pid) : NULL;
	if (!p && !(s->tracking && sc_proctrack_member(&s->track, a->pid)))
		return;

	struct sc_denial d = { .source = SC_SOURCE_AUDIT, .host_pid = a->pid, .arch = a->arch,
			       .nr = a->nr, .ret = a->code };
	clock_gettime(CLOCK_REALTIME, &d.when);
	snprintf(d.comm, sizeof(d.comm), "%s", a->comm);
	if (p) {
		d.pid = p->nspid;
		/* a trap nobody handles ends the process with the same SIGSYS a kill does */
		p->explained = true;
	} else {
		pid_t tg, nt, ntg;
		if (sc_proc_ids(a->pid, &tg, &nt, &ntg) == 0)
			d.pid = ntg;
	}
	sc_syscall_name(a->arch, a->nr, d.syscall, sizeof(d.syscall));
	snprintf(d.note, sizeof(d.note), "arguments not known: from the kernel's audit record");
	struct seccomp_data sd = { .nr = a->nr, .arch = a->arch };
	attribute(s, &sd, false, a->code, &d);
	emit(s, &d);
}

static void drain_kmsg(struct sc_monitor *s)
{
	if (s->kmsg < 0)
		return;
	struct sc_audit_seccomp a;
	while ((s->kmsg_is_dev ? sc_kmsg_read(s->kmsg, &a, &s->kmsg_lost)
				: sc_audit_read(s->kmsg, &a, &s->kmsg_lost)) > 0)
		handle_audit(s, &a);
}

/* ---- the thread -------------------------------------------------------- */

static void take_new_listener(struct sc_monitor *s)
{
	pthread_mutex_lock(&s->lock);
	int fd = s->new_listener;
	s->new_listener = -1;
	pthread_mutex_unlock(&s->lock);
	if (fd >= 0) {
		if (s->listener >= 0)
			close(s->listener);
		s->listener = fd;
		/* a blocked caller is woken on the monitor's CPU: about 4x less latency (6.6+) */
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	}
}

static void *monitor_loop(void *arg)
{
	struct sc_monitor *s = arg;
	for (;;) {
		struct pollfd p[4] = {
			{ .fd = s->stop_fd, .events = POLLIN },
			{ .fd = s->listener, .events = POLLIN },
			{ .fd = s->kmsg, .events = POLLIN },
			{ .fd = s->tracking ? s->track.nl : -1, .events = POLLIN },
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[3].revents)
			sc_proctrack_drain(&s->track);
		if (p[1].revents & POLLIN)
			handle_notification(s);
		else if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* every process using the filter has ended */
			close(s->listener);
			s->listener = -1;
		}
		if (p[2].revents)
			drain_kmsg(s);
		if (p[0].revents) {
			uint64_t v;
			if (read(s->stop_fd, &v, sizeof(v)) < 0) {
				/* nothing to do: the flag below is what counts */
			}
			take_new_listener(s);
			pthread_mutex_lock(&s->lock);
			bool stop = s->stopping;
			pthread_mutex_unlock(&s->lock);
			if (stop)
				break;
		}
	}
	return NULL;
}

static int start_thread(struct sc_monitor *s, struct sc_error *err)
{
	if (s->running)
		return 0;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int r = pthread_create(&s->thread, NULL, monitor_loop, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return sc_error_errno(err, -r, "cannot start the denial monitor");
	s->running = true;
	return 0;
}

int sc_monitor_new(const struct sc_monitor_opts *o, struct sc_monitor **out,
		      struct sc_error *err)
{
	if (!o->prog || !o->prog->insns || !o->prog->len)
		return sc_error_set(err, -EINVAL, "the monitor needs the profile's program");
	struct sc_monitor *s = calloc(1, sizeof(*s));
	if (!s)
		return sc_error_set(err, -ENOMEM, "out of memory");
	s->o = *o;
	s->listener = s->kmsg = s->new_listener = -1;
	s->track.nl = -1;
	pthread_mutex_init(&s->lock, NULL);
	s->prog.insns = malloc(o->prog->len * sizeof(*s->prog.insns));
	s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!s->prog.insns || s->stop_fd < 0) {
		int e = s->stop_fd < 0 ? -errno : -ENOMEM;
		sc_monitor_free(s);
		return sc_error_errno(err, e, "cannot prepare the denial monitor");
	}
	memcpy(s->prog.insns, o->prog->insns, o->prog->len * sizeof(*s->prog.insns));
	s->prog.len = o->prog->len;
	*out = s;
	return 0;
}

int sc_monitor_follow(struct sc_monitor *s, pid_t pid, struct sc_error *err)
{
	struct sc_error e2 = {0};
	s->root = pid;
	int fd = sc_audit_open(&e2);
	if (fd < 0) {
		fd = sc_kmsg_open(&e2);
		s->kmsg_is_dev = fd >= 0;
	}
	if (fd < 0)
		snprintf(s->audit_why, sizeof(s->audit_why), "kernel audit records not readable");
	else
		s->kmsg = fd;
	if (sc_proctrack_open(&s->track, pid, &e2) == 0 || s->track.n > 0)
		s->tracking = true;
	if (s->tracking && s->track.nl < 0 && !s->audit_why[0])
		snprintf(s->audit_why, sizeof(s->audit_why),
			 "the sandbox's processes cannot be followed (no proc connector)");
	return start_thread(s, err);
}

int sc_monitor_listen(struct sc_monitor *s, int listener_fd, struct sc_error *err)
{
	pthread_mutex_lock(&s->lock);
	if (s->new_listener >= 0)
		close(s->new_listener);
	s->new_listener = listener_fd;
	pthread_mutex_unlock(&s->lock);
	int r = start_thread(s, err);
	if (r < 0)
		return r;
	uint64_t one = 1;
	if (write(s->stop_fd, &one, sizeof(one)) < 0)
		return sc_error_errno(err, -errno, "cannot wake the denial monitor");
	return 0;
}

static int hook_child_created(void *data, pid_t pid, struct sc_error *err)
{
	return sc_monitor_follow(data, pid, err);
}

static int hook_listener(void *data, int fd, struct sc_error *err)
{
	return sc_monitor_listen(data, fd, err);
}

void sc_monitor_hooks(struct sc_monitor *s, struct sc_sandbox_hooks *h)
{
	h->data = s;
	h->child_created = hook_child_created;
	h->listener = hook_listener;
}

static void stop_thread(struct sc_monitor *s)
{
	if (!s->running)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_mutex_unlock(&s->lock);
	uint64_t one = 1;
	if (write(s->stop_fd, &one, sizeof(one)) < 0) {
		/* an eventfd write fails only on overflow: the thread is awake anyway */
	}
	pthread_join(s->thread, NULL);
	s->running = false;
}

/* A member a SIGSYS ended whose call no record named yet. */
static bool unexplained(struct sc_monitor *s)
{
	for (size_t i = 0; i < s->track.n; i++)
		if (s->track.v[i].exited && s->track.v[i].exit_signal == SIGSYS && !s->track.v[i].explained)
			return true;
	return false;
}

int sc_monitor_finish(struct sc_monitor *s, int exit_code, struct sc_error *err)
{
	(void)err;
	stop_thread(s);
	/* the thread is gone: what is left is read here */
	take_new_listener(s);
	while (s->listener >= 0) {
		struct pollfd p = { .fd = s->listener, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
			break;
		handle_notification(s);
	}
	if (s->tracking)
		sc_proctrack_drain(&s->track);
	if (s->tracking && exit_code == SC_EXIT_SIGNAL_BASE + SIGSYS) {
		struct sc_proc *root = sc_proctrack_find(&s->track, s->root);
		if (root && !root->exited) {
			root->exited = true;
			root->exit_signal = SIGSYS;
		}
	}
	/* kauditd prints a record after the task is gone: give it a moment */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		drain_kmsg(s);
		if (s->kmsg < 0 || !s->tracking || !unexplained(s))
			break;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms >= AUDIT_GRACE_MS)
			break;
		struct pollfd p = { .fd = s->kmsg, .events = POLLIN };
		poll(&p, 1, (int)(AUDIT_GRACE_MS - ms));
		if (s->tracking)
			sc_proctrack_drain(&s->track);
	}
	for (size_t i = 0; s->tracking && i < s->track.n; i++) {
		struct sc_proc *p = &s->track.v[i];
		for (size_t k = 0; k < s->n_ended && !p->explained; k++)
			p->explained = s->ended[k] == p->tgid;
		if (!p->exited || p->exit_signal != SIGSYS || p->explained)
			continue;
		p->explained = true;
		struct sc_denial d = { .source = SC_SOURCE_EXIT, .host_pid = p->tgid, .pid = p->nspid,
				       .nr = -1, .ret = SECCOMP_RET_KILL_PROCESS };
		clock_gettime(CLOCK_REALTIME, &d.when);
		snprintf(d.comm, sizeof(d.comm), "%s", p->comm[0] ? p->comm : "?");
		snprintf(d.syscall, sizeof(d.syscall), "?");
		snprintf(d.note, sizeof(d.note), "%s",
			 s->audit_why[0] ? s->audit_why
			 : s->kmsg_lost ? "audit records were lost"
			 : s->kmsg_is_dev ? "no audit record in the kernel log (rate-limited, or taken by an audit daemon)"
			 : "no audit record");
		emit(s, &d);
	}
	return 0;
}

int sc_monitor_exit_code(const struct sc_monitor *s, int exit_code)
{
	if (s->root_killed && exit_code == SC_EXIT_SIGNAL_BASE + SIGKILL)
		return SC_EXIT_SIGNAL_BASE + SIGSYS;
	return exit_code;
}

bool sc_monitor_audit_readable(const struct sc_monitor *s, char *why, size_t len)
{
	if (why && len)
		snprintf(why, len, "%s", s->audit_why);
	return s->audit_why[0] == '\0';
}

const struct sc_denial_count *sc_monitor_counts(const struct sc_monitor *s, size_t *n)
{
	*n = s->n_counts;
	return s->counts;
}

void sc_monitor_free(struct sc_monitor *s)
{
	if (!s)
		return;
	stop_thread(s);
	if (s->listener >= 0)
		close(s->listener);
	if (s->new_listener >= 0)
		close(s->new_listener);
	if (s->kmsg >= 0)
		close(s->kmsg);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	sc_proctrack_close(&s->track);
	pthread_mutex_destroy(&s->lock);
	free(s->prog.insns);
	free(s->counts);
	free(s->attr);
	free(s);
}
