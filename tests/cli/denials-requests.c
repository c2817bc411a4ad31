/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everyday ioctl, fcntl and setsockopt calls, for the denial reports to name. */
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	struct winsize ws;
	struct termios t;
	int one = 1;
	ioctl(0, TIOCGWINSZ, &ws);
	ioctl(0, TCGETS, &t);
	ioctl(0, FIONREAD, &one);
	fcntl(0, F_SETFL, O_NONBLOCK);
	fcntl(0, F_DUPFD_CLOEXEC, 10);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}
