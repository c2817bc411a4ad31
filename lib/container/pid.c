/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whether the pid a record names is still its sandbox's process: a pid
 * is reused once its process is reaped, and a record is only a file, so
 * nothing is signalled on a record's word alone.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seclude/state.h"
#include "seclude/util.h"

/* /proc/PID/stat's state (field 3) and starttime (field 22); false when unreadable. */
static bool read_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	if (sc_read_file(path, 4096, &buf, &len, NULL) < 0 || !buf)
		return false;
	char *p = strrchr(buf, ')');   /* the command name may hold anything */
	if (!p || p[1] != ' ' || !p[2])
		return false;
	*state = p[2];
	p += 2;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno || end == p)
		return false;
	*start = v;
	return true;
}

uint64_t sc_pid_start_time(pid_t pid)
{
	char state;
	uint64_t start;
	return pid > 0 && read_stat(pid, &state, &start) ? start : 0;
}

/* PID is in the cgroup named by ID (the last component of every sandbox's cgroup), or below it. */
static bool in_sandbox_cgroup(pid_t pid, const char *id)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	if (sc_read_file(path, 65536, &buf, &len, NULL) < 0 || !buf)
		return false;
	size_t idlen = strlen(id);
	for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *cg = strchr(line, ':');
		cg = cg ? strchr(cg + 1, ':') : NULL;
		if (!cg)
			continue;
		for (char *hit = strstr(cg, id); hit; hit = strstr(hit + 1, id))
			if (hit[-1] == '/' && (hit[idlen] == '\0' || hit[idlen] == '/'))
				return true;
	}
	return false;
}

int sc_state_pidfd(const struct sc_state *s, struct sc_error *err)
{
	if (s->pid <= 0)
		return sc_error_set(err, -ESRCH, "sandbox %s is not running", s->name);
	int fd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	if (fd < 0) {
		if (errno == ESRCH)
			return sc_error_set(err, -ESRCH, "sandbox %s is not running", s->name);
		return sc_error_errno(err, -errno, "sandbox %s: cannot reach its process %d", s->name,
				      (int)s->pid);
	}
	char state = 0;
	uint64_t start = 0;
	bool readable = read_stat(s->pid, &state, &start);
	bool known = false, ours = readable;
	if (ours && s->pid_start) {
		known = true;
		ours = start == s->pid_start;
	}
	if (ours && s->cgroup && state != 'Z') {
		known = true;
		ours = in_sandbox_cgroup(s->pid, s->id);
	}
	/*
	 * Still alive after the checks: the pidfd's process is the one /proc
	 * showed (a pid is not reused while its process lives), and every
	 * signal goes through the pidfd.  A zombie has ended.
	 */
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0 || !readable || state == 'Z') {
		close(fd);
		return sc_error_set(err, -ESRCH, "sandbox %s is not running", s->name);
	}
	if (!known || !ours) {
		close(fd);
		return sc_error_set(err, -EPERM,
				    "sandbox %s: process %d is not the sandbox's (its record is stale or was "
				    "altered); nothing signalled",
				    s->name, (int)s->pid);
	}
	return fd;
}

int sc_state_signal(const struct sc_state *s, int sig, struct sc_error *err)
{
	_cleanup_close_ int fd = sc_state_pidfd(s, err);
	if (fd < 0)
		return fd;
	if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0) {
		if (errno == ESRCH)
			return sc_error_set(err, -ESRCH, "sandbox %s is not running", s->name);
		return sc_error_errno(err, -errno, "cannot signal sandbox %s", s->name);
	}
	return 0;
}
