/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which host processes are the sandbox's.  A kill's audit record names
 * only a host pid, and the process it names is usually reaped by the time
 * the record is read, so membership has to be known beforehand: the proc
 * connector reports every fork on the host, and a child of a member is a
 * member.  Its exit events also tell which members a SIGSYS ended.
 *
 * Without the connector (no CAP_NET_ADMIN), membership falls back to
 * comparing pid namespaces, which only works while the process exists.
 */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify_internal.h"
#include "seclude/util.h"

int sc_proc_ids(pid_t tid, pid_t *tgid, pid_t *ns_tid, pid_t *ns_tgid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	*tgid = *ns_tid = *ns_tgid = 0;
	while (fgets(line, sizeof(line), f)) {
		/* NStgid/NSpid list the ids from the outermost namespace in: the last is the innermost */
		if (!strncmp(line, "Tgid:", 5)) {
			*tgid = (pid_t)strtol(line + 5, NULL, 10);
		} else if (!strncmp(line, "NStgid:", 7) || !strncmp(line, "NSpid:", 6)) {
			char *last = NULL, *save = NULL;
			for (char *t = strtok_r(strchr(line, ':') + 1, " \t\n", &save); t;
			     t = strtok_r(NULL, " \t\n", &save))
				last = t;
			if (last)
				*(line[2] == 't' ? ns_tgid : ns_tid) = (pid_t)strtol(last, NULL, 10);
		}
	}
	return *tgid ? 0 : -ENOENT;
}

static unsigned long pidns_of(pid_t pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static struct sc_proc *add(struct sc_proctrack *t, pid_t tgid)
{
	struct sc_proc *p = sc_proctrack_find(t, tgid);
	if (p) {
		/* a recycled pid: forget the old process */
		*p = (struct sc_proc){ .tgid = tgid };
		return p;
	}
	if (SC_GROW(t->v, t->cap, t->n, 32) < 0)
		return NULL;
	p = &t->v[t->n++];
	*p = (struct sc_proc){ .tgid = tgid };
	return p;
}

static void learn_ids(struct sc_proc *p)
{
	pid_t tg, nt, ntg;
	if (sc_proc_ids(p->tgid, &tg, &nt, &ntg) == 0)
		p->nspid = ntg;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)p->tgid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (f && fgets(p->comm, sizeof(p->comm), f))
		p->comm[strcspn(p->comm, "\n")] = '\0';
}

int sc_proctrack_open(struct sc_proctrack *t, pid_t root, struct sc_error *err)
{
	*t = (struct sc_proctrack){ .nl = -1 };
	t->pidns = pidns_of(root);
	struct sc_proc *p = add(t, root);
	if (!p)
		return sc_error_set(err, -ENOMEM, "out of memory");
	learn_ids(p);

	int nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (nl < 0)
		return sc_error_errno(err, -errno, "cannot open the proc connector");
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	if (bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = -errno;
		close(nl);
		return sc_error_errno(err, e, "cannot listen to the proc connector");
	}
	/* every fork on the host comes through: room for bursts between reads */
	int rcv = 8 << 20;
	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));

	char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))] __attribute__((aligned(NLMSG_ALIGNTO)));
	memset(buf, 0, sizeof(buf));
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op));
	h->nlmsg_type = NLMSG_DONE;
	h->nlmsg_pid = 0;
	struct cn_msg *m = NLMSG_DATA(h);
	m->id.idx = CN_IDX_PROC;
	m->id.val = CN_VAL_PROC;
	m->len = sizeof(enum proc_cn_mcast_op);
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	memcpy(m->data, &op, sizeof(op));
	if (send(nl, buf, h->nlmsg_len, 0) < 0) {
		int e = -errno;
		close(nl);
		return sc_error_errno(err, e, "cannot subscribe to process events");
	}
	t->nl = nl;
	/* the root may have forked before the subscription: it has not run yet */
	return 0;
}

static void handle(struct sc_proctrack *t, const struct proc_event *ev)
{
	switch (ev->what) {
	case PROC_EVENT_FORK: {
		const struct fork_proc_event *f = &ev->event_data.fork;
		if (f->child_pid != f->child_tgid)
			return;   /* a thread: same process */
		if (!sc_proctrack_find(t, f->parent_tgid)) {
			/* a pid of an ended member, recycled outside the sandbox */
			struct sc_proc *old = sc_proctrack_find(t, f->child_tgid);
			if (old && old->exited)
				*old = t->v[--t->n];
			return;
		}
		struct sc_proc *p = add(t, f->child_tgid);
		if (p)
			learn_ids(p);
		break;
	}
	case PROC_EVENT_EXIT: {
		const struct exit_proc_event *x = &ev->event_data.exit;
		if (x->process_pid != x->process_tgid)
			return;
		struct sc_proc *p = sc_proctrack_find(t, x->process_tgid);
		if (!p || p->exited)
			return;
		p->exited = true;
		p->exit_signal = (int)(x->exit_code & 0x7f);
		break;
	}
	case PROC_EVENT_EXEC: {
		struct sc_proc *p = sc_proctrack_find(t, ev->event_data.exec.process_tgid);
		if (p)
			learn_ids(p);
		break;
	}
	default:
		break;
	}
}

void sc_proctrack_drain(struct sc_proctrack *t)
{
	if (t->nl < 0)
		return;
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (;;) {
		ssize_t n = recv(t->nl, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				t->lost = true;
				continue;
			}
			return;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP)
				continue;
			const struct cn_msg *m = NLMSG_DATA(h);
			if (m->id.idx != CN_IDX_PROC || m->len < sizeof(struct proc_event) - sizeof(((struct proc_event *)0)->event_data))
				continue;
			/* the event sits at offset 36 of the datagram: copy it to where it is aligned */
			struct proc_event ev;
			size_t len = m->len < sizeof(ev) ? m->len : sizeof(ev);
			memset(&ev, 0, sizeof(ev));
			memcpy(&ev, m->data, len);
			handle(t, &ev);
		}
	}
}

struct sc_proc *sc_proctrack_find(struct sc_proctrack *t, pid_t tgid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].tgid == tgid)
			return &t->v[i];
	return NULL;
}

bool sc_proctrack_member(struct sc_proctrack *t, pid_t tgid)
{
	if (sc_proctrack_find(t, tgid))
		return true;
	if (t->nl >= 0 && !t->lost)
		return false;
	unsigned long ns = pidns_of(tgid);
	if (!ns || ns != t->pidns)
		return false;
	/* without a pid namespace of its own, the host's would match everything */
	unsigned long mine = pidns_of(getpid());
	return ns != mine;
}

void sc_proctrack_close(struct sc_proctrack *t)
{
	if (t->nl >= 0)
		close(t->nl);
	free(t->v);
	*t = (struct sc_proctrack){ .nl = -1 };
}
