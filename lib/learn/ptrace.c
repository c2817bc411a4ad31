/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ptrace recorder: the tree runs under a seccomp filter that returns
 * SECCOMP_RET_TRACE for every call, so each call stops once (at entry, in
 * the seccomp stop) instead of twice as with PTRACE_SYSCALL; arch, number
 * and arguments come from PTRACE_GET_SYSCALL_INFO.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

#include "seclude/learn.h"
#include "seclude/util.h"

static int one_insn_filter(uint32_t ret, struct sc_bpf *out, struct sc_error *err)
{
	out->insns = calloc(1, sizeof(*out->insns));
	if (!out->insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	out->insns[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
	out->len = 1;
	return 0;
}

int sc_learn_ptrace_filter(struct sc_bpf *out, struct sc_error *err)
{
	/* Every arch too: a 32-bit call must stop like any other. */
	return one_insn_filter(SECCOMP_RET_TRACE, out, err);
}

int sc_learn_allow_filter(struct sc_bpf *out, struct sc_error *err)
{
	return one_insn_filter(SECCOMP_RET_ALLOW, out, err);
}

int sc_learn_ptrace_seize(pid_t pid, struct sc_error *err)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SEIZE, pid, 0L, opts) < 0)
		return sc_error_errno(err, -errno, "cannot trace process %d (PTRACE_SEIZE)", (int)pid);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool is_group_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static int record_stop(pid_t pid, struct sc_record *rec, const struct sc_arg_specs *args,
		       const struct sc_learn_progress *progress)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info);
	if (n < 0)
		return -errno;
	if (info.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return 0;
	uint32_t arch = info.arch;
	uint64_t nr = info.seccomp.nr;
	bool fresh = sc_record_count(rec, arch, (int)nr) == 0;
	sc_record_add(rec, arch, nr, 1);
	if (args && args->n) {
		uint32_t a = arch;
		int inr = (int)nr;
		if (a == SCMP_ARCH_X86_64 && (nr & SC_X32_SYSCALL_BIT)) {
			a = SCMP_ARCH_X32;
			inr = (int)(nr & ~(uint64_t)SC_X32_SYSCALL_BIT);
		}
		int idx = sc_arg_specs_index(args, a, inr);
		if (idx >= 0) {
			int r = sc_record_add_arg(rec, arch, (int)nr, (unsigned)idx,
						  info.seccomp.args[idx], 1);
			if (r < 0)
				return r;
		}
	}
	if (fresh && progress && progress->new_syscall && sc_record_count(rec, arch, (int)nr))
		progress->new_syscall(progress->ud, arch, (int)nr, rec);
	return 0;
}

/* The tasks being traced: the loop ends when none is left. */
struct tracees {
	pid_t *v;
	size_t n, cap;
};

static bool tracees_has(const struct tracees *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == pid)
			return true;
	return false;
}

static int tracees_add(struct tracees *t, pid_t pid)
{
	if (tracees_has(t, pid))
		return 0;
	if (SC_GROW(t->v, t->cap, t->n, 16) < 0)
		return -ENOMEM;
	t->v[t->n++] = pid;
	return 0;
}

static void tracees_del(struct tracees *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == pid) {
			t->v[i] = t->v[--t->n];
			return;
		}
}

int sc_learn_ptrace_run(pid_t root, struct sc_record *rec, const struct sc_arg_specs *args,
			const struct sc_learn_progress *progress, int *status,
			struct sc_error *err)
{
	bool root_done = false;
	uint64_t last_tick = now_ms();
	unsigned events = 0;
	struct tracees t = {0};
	int r = 0;
	*status = 0;
	if (tracees_add(&t, root) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	/*
	 * waitpid(-1): tracees that are not our children report here too.  A
	 * child of the caller that is not traced is reaped and ignored.
	 */
	while (t.n > 0) {
		int st;
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			r = sc_error_errno(err, -errno, "waiting for the traced processes");
			break;
		}
		if (progress && progress->tick && (++events & 255) == 0 && now_ms() - last_tick >= 200) {
			last_tick = now_ms();
			progress->tick(progress->ud, rec);
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (p == root) {
				*status = st;
				root_done = true;
			}
			tracees_del(&t, p);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		/* A new task can stop before its parent's fork event is seen. */
		if (tracees_add(&t, p) < 0) {
			r = sc_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
		unsigned long msg = 0;
		long rc = 0;
		switch (event) {
		case PTRACE_EVENT_SECCOMP: {
			int rr = record_stop(p, rec, args, progress);
			if (rr == -ENOMEM) {
				r = sc_error_set(err, rr, "out of memory");
				goto out;
			}
			rc = ptrace(PTRACE_CONT, p, 0L, 0L);
			break;
		}
		case PTRACE_EVENT_STOP:
			/* A group stop stays a stop (job control works); anything else is
			 * a new task's first stop. */
			if (is_group_stop_signal(sig))
				rc = ptrace(PTRACE_LISTEN, p, 0L, 0L);
			else
				rc = ptrace(PTRACE_CONT, p, 0L, 0L);
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			if (ptrace(PTRACE_GETEVENTMSG, p, 0L, &msg) == 0 && tracees_add(&t, (pid_t)msg) < 0) {
				r = sc_error_set(err, -ENOMEM, "out of memory");
				goto out;
			}
			rc = ptrace(PTRACE_CONT, p, 0L, 0L);
			break;
		case PTRACE_EVENT_EXEC:
			/* A thread that execs takes the leader's id; its own id ends unreported. */
			if (ptrace(PTRACE_GETEVENTMSG, p, 0L, &msg) == 0 && (pid_t)msg != p)
				tracees_del(&t, (pid_t)msg);
			rc = ptrace(PTRACE_CONT, p, 0L, 0L);
			break;
		case 0:
			/* A signal on its way in: deliver it. */
			rc = ptrace(PTRACE_CONT, p, 0L, (long)sig);
			break;
		default:
			rc = ptrace(PTRACE_CONT, p, 0L, 0L);
			break;
		}
		/* ESRCH: killed (SIGKILL) while stopped; its exit comes through wait. */
		if (rc < 0 && errno != ESRCH) {
			r = sc_error_errno(err, -errno, "cannot resume traced process %d", (int)p);
			break;
		}
	}
out:
	free(t.v);
	if (progress && progress->tick)
		progress->tick(progress->ud, rec);
	if (r < 0)
		return r;
	if (!root_done)
		return sc_error_set(err, -ECHILD, "process %d was not a child of the recorder", (int)root);
	return 0;
}
