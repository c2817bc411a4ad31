/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An attached exec's own terminal, relayed to the caller (see console.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "seclude/util.h"

int sc_oci_recv_fd(int sock, struct sc_error *err)
{
	char byte[64];
	struct iovec iov = { .iov_base = byte, .iov_len = sizeof(byte) };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n;
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return sc_error_errno(err, -errno, "cannot receive the terminal");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (n == 0 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return sc_error_set(err, -EPROTO, "no terminal came back from the container");
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* What from has, written to to; false once from is at its end (EOF, or EIO of a hung-up pty). */
static bool pump(int from, int to)
{
	char buf[8192];
	ssize_t n;
	while ((n = read(from, buf, sizeof(buf))) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return n < 0 && errno == EAGAIN;
	return sc_write_all(to, buf, (size_t)n) == 0;
}

static void pass_size(int master, unsigned rows, unsigned cols)
{
	struct winsize ws = {0};
	if (!isatty(STDIN_FILENO) || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_row) {
		if (!rows || !cols)
			return;
		ws = (struct winsize){ .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	}
	ioctl(master, TIOCSWINSZ, &ws);
}

int sc_oci_relay_pty(int master, pid_t pid, unsigned rows, unsigned cols, int *wstatus, struct sc_error *err)
{
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return sc_error_errno(err, -errno, "cannot follow the exec'd process");
	sigset_t set, old;
	sigemptyset(&set);
	for (size_t i = 0; i < SC_ARRAY_SIZE(fwd); i++)
		sigaddset(&set, fwd[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	struct termios saved;
	bool raw = false;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}
	pass_size(master, rows, cols);
	bool in_open = true, out_open = true;
	int r = 0;
	for (;;) {
		struct pollfd p[4] = {
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = out_open ? master : -1, .events = POLLIN },
			{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = sc_error_errno(err, -errno, "cannot relay the terminal");
			break;
		}
		if (p[2].revents)
			out_open = pump(master, STDOUT_FILENO);
		if (p[3].revents)
			in_open = pump(STDIN_FILENO, master);
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					pass_size(master, 0, 0);
				else
					syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo, NULL, 0);
			}
		}
		if (p[0].revents) {
			/* what the process wrote just before its end is still in the terminal */
			for (;;) {
				struct pollfd q = { .fd = master, .events = POLLIN };
				if (!out_open || poll(&q, 1, 0) <= 0 || !(q.revents & POLLIN))
					break;
				out_open = pump(master, STDOUT_FILENO);
			}
			int ws = 0;
			pid_t w;
			while ((w = waitpid(pid, &ws, 0)) < 0 && errno == EINTR)
				;
			if (w < 0)
				r = sc_error_errno(err, -errno, "cannot collect the exec'd process's status");
			*wstatus = ws;
			break;
		}
	}
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (sfd >= 0)
		close(sfd);
	close(pidfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}
