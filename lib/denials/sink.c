/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where denial reports go: a file, or the journal.  The journal is a FILE
 * whose every complete line becomes one datagram: systemd-journald's
 * native socket when it is there (MESSAGE plus a few fields of our own),
 * else the syslog socket /dev/log (which journald, rsyslog or busybox's
 * syslogd read), in the short form "<PRI>seclude[PID]: LINE".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "seclude/denials.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define SYSLOG_SOCKET "/dev/log"
/* facility user (1), severity warning (4): a refused call is worth a look, not an alarm */
#define SYSLOG_PRI "<12>"

struct journal {
	int fd;
	bool native;
	char line[16384];  /* longer lines are cut: a report stays one message */
	size_t len;
};

static int connect_dgram(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

static void send_line(struct journal *j)
{
	char head[64];
	struct iovec v[3];
	int n = 0;
	if (j->native) {
		/* one field a line; a report line never holds a newline */
		static const char tail[] = "\nSYSLOG_IDENTIFIER=seclude\nPRIORITY=4\n";
		v[n++] = (struct iovec){ .iov_base = "MESSAGE=", .iov_len = 8 };
		v[n++] = (struct iovec){ .iov_base = j->line, .iov_len = j->len };
		v[n++] = (struct iovec){ .iov_base = (void *)tail, .iov_len = sizeof(tail) - 1 };
	} else {
		int h = snprintf(head, sizeof(head), SYSLOG_PRI "seclude[%d]: ", (int)getpid());
		v[n++] = (struct iovec){ .iov_base = head, .iov_len = (size_t)h };
		v[n++] = (struct iovec){ .iov_base = j->line, .iov_len = j->len };
	}
	struct msghdr m = { .msg_iov = v, .msg_iovlen = (size_t)n };
	/* a full journal drops a report rather than stalling the calls that wait for answers */
	while (sendmsg(j->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
	j->len = 0;
}

static ssize_t journal_write(void *cookie, const char *buf, size_t size)
{
	struct journal *j = cookie;
	for (size_t i = 0; i < size; i++) {
		if (buf[i] == '\n') {
			send_line(j);
			continue;
		}
		if (j->len < sizeof(j->line))
			j->line[j->len++] = buf[i];
	}
	return (ssize_t)size;
}

static int journal_close(void *cookie)
{
	struct journal *j = cookie;
	if (j->len)
		send_line(j);
	close(j->fd);
	free(j);
	return 0;
}

static FILE *journal_open(struct sc_error *err)
{
	struct journal *j = calloc(1, sizeof(*j));
	if (!j) {
		sc_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	j->fd = connect_dgram(JOURNAL_SOCKET);
	j->native = j->fd >= 0;
	if (j->fd < 0)
		j->fd = connect_dgram(SYSLOG_SOCKET);
	if (j->fd < 0) {
		sc_error_set(err, j->fd, "no journal here: neither %s nor %s takes messages (%s)",
			     JOURNAL_SOCKET, SYSLOG_SOCKET, strerror(-j->fd));
		free(j);
		return NULL;
	}
	static const cookie_io_functions_t io = { .write = journal_write, .close = journal_close };
	FILE *f = fopencookie(j, "w", io);
	if (!f) {
		sc_error_set(err, -errno, "out of memory");
		close(j->fd);
		free(j);
		return NULL;
	}
	return f;
}

bool sc_denial_sink_is_journal(const char *where)
{
	return where && !strcmp(where, SC_DENIAL_SINK_JOURNAL);
}

FILE *sc_denial_sink_open(const char *where, bool append, struct sc_error *err)
{
	if (sc_denial_sink_is_journal(where))
		return journal_open(err);
	FILE *f = fopen(where, append ? "ae" : "we");
	if (!f)
		sc_error_set(err, -errno, "cannot open %s: %s", where, strerror(errno));
	return f;
}
