/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's seccomp audit records (type 1326, AUDIT_SECCOMP).  A kill
 * is always logged (when actions_logged lists it); a trap only under
 * SECCOMP_FILTER_FLAG_LOG.
 *
 * They are read from the audit netlink socket's read-only multicast group
 * (AUDIT_NLGRP_READLOG, CAP_AUDIT_READ), which kauditd feeds with every
 * record whether an audit daemon runs or not, and without the printk rate
 * limit.  /dev/kmsg is the fallback: there the records appear only when no
 * audit daemon takes them, and at most 10 per 5 s host-wide, so a record
 * can be missing -- the monitor then says so rather than guessing:
 *
 *   5,1234,722105297,-;audit: type=1326 audit(1795401824.191:11): auid=4294967295
 *     uid=0 gid=0 ses=4294967295 pid=18900 comm="k" exe="/tmp/k" sig=31
 *     arch=c000003e syscall=110 compat=0 ip=0x7f47c095c829 code=0x80000000
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notify_internal.h"
#include "seclude/notify.h"

/* The value of " key=" in msg (up to the next space), or NULL. */
static const char *field(const char *msg, const char *end, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	for (const char *p = msg; p + klen + 1 < end; p++) {
		if ((p == msg || p[-1] == ' ') && !memcmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			const char *e = v;
			if (*v == '"') {
				e = memchr(v + 1, '"', (size_t)(end - v - 1));
				if (!e)
					return NULL;
				e++;
			} else {
				while (e < end && *e != ' ' && *e != '\n')
					e++;
			}
			*vlen = (size_t)(e - v);
			return v;
		}
	}
	return NULL;
}

static bool num_field(const char *msg, const char *end, const char *key, int base, uint64_t *out)
{
	size_t n;
	const char *v = field(msg, end, key, &n);
	if (!v || n == 0 || n > 30)
		return false;
	char tmp[32];
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	char *e;
	errno = 0;
	unsigned long long x = strtoull(tmp, &e, base);
	if (errno || *e)
		return false;
	*out = x;
	return true;
}

/* comm and exe are quoted, or hex when they hold a space, a quote or a control byte. */
static void str_field(const char *msg, const char *end, const char *key, char *out, size_t len)
{
	size_t n;
	const char *v = field(msg, end, key, &n);
	out[0] = '\0';
	if (!v || len == 0)
		return;
	if (n >= 2 && v[0] == '"') {
		size_t k = n - 2 < len - 1 ? n - 2 : len - 1;
		memcpy(out, v + 1, k);
		out[k] = '\0';
		return;
	}
	if (n == 6 && !memcmp(v, "(null)", 6)) {
		snprintf(out, len, "?");
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i + 1 < n && o + 1 < len; i += 2) {
		if (!isxdigit((unsigned char)v[i]) || !isxdigit((unsigned char)v[i + 1]))
			break;
		char h[3] = { v[i], v[i + 1], 0 };
		out[o++] = (char)strtoul(h, NULL, 16);
	}
	out[o] = '\0';
}

/* The fields of a seccomp record's text, "audit(T:S): auid=... code=0x...". */
static int parse_fields(const char *msg, const char *end, uint64_t usec, struct sc_audit_seccomp *out)
{
	struct sc_audit_seccomp a = { .usec = usec };
	uint64_t pid, arch, nr, code, v;
	if (!num_field(msg, end, "pid", 10, &pid) || !num_field(msg, end, "arch", 16, &arch) ||
	    !num_field(msg, end, "syscall", 10, &nr) || !num_field(msg, end, "code", 16, &code))
		return -EINVAL;
	a.pid = (pid_t)pid;
	a.arch = (uint32_t)arch;
	a.nr = (int)nr;
	a.code = (uint32_t)code;
	if (num_field(msg, end, "uid", 10, &v))
		a.uid = (uid_t)v;
	if (num_field(msg, end, "sig", 10, &v))
		a.sig = (int)v;
	if (num_field(msg, end, "compat", 10, &v))
		a.compat = v != 0;
	if (num_field(msg, end, "ip", 16, &v))
		a.ip = v;
	str_field(msg, end, "comm", a.comm, sizeof(a.comm));
	str_field(msg, end, "exe", a.exe, sizeof(a.exe));
	*out = a;
	return 1;
}

int sc_kmsg_parse_seccomp(const char *rec, size_t len, struct sc_audit_seccomp *out)
{
	const char *end = rec + len;
	const char *semi = memchr(rec, ';', len);
	if (!semi)
		return 0;
	/* the prefix: priority,sequence,microseconds,flags */
	uint64_t usec = 0;
	const char *c1 = memchr(rec, ',', (size_t)(semi - rec));
	const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(semi - c1 - 1)) : NULL;
	if (c2) {
		char tmp[32];
		const char *c3 = memchr(c2 + 1, ',', (size_t)(semi - c2 - 1));
		size_t n = (size_t)((c3 ? c3 : semi) - (c2 + 1));
		if (n < sizeof(tmp)) {
			memcpy(tmp, c2 + 1, n);
			tmp[n] = '\0';
			usec = strtoull(tmp, NULL, 10);
		}
	}
	const char *msg = semi + 1;
	/* continuation lines (" KEY=VALUE" dictionary) are not part of the text */
	const char *nl = memchr(msg, '\n', (size_t)(end - msg));
	if (nl)
		end = nl;
	static const char tag[] = "audit: type=1326 ";
	if ((size_t)(end - msg) < sizeof(tag) - 1 || memcmp(msg, tag, sizeof(tag) - 1))
		return 0;

	return parse_fields(msg + sizeof(tag) - 1, end, usec, out);
}

int sc_audit_parse_seccomp(const char *text, size_t len, struct sc_audit_seccomp *out)
{
	return parse_fields(text, text + len, 0, out);
}

int sc_kmsg_open(struct sc_error *err)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot read the kernel's audit records (/dev/kmsg)");
	/* only what happens from now on */
	if (lseek(fd, 0, SEEK_END) < 0) {
		int e = -errno;
		close(fd);
		return sc_error_errno(err, e, "cannot seek /dev/kmsg");
	}
	return fd;
}

int sc_kmsg_read(int fd, struct sc_audit_seccomp *out, bool *lost)
{
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				/* the ring overwrote records before we read them */
				*lost = true;
				continue;
			}
			return errno == EAGAIN ? 0 : -errno;
		}
		if (n == 0)
			return 0;
		buf[n] = '\0';
		int r = sc_kmsg_parse_seccomp(buf, (size_t)n, out);
		if (r > 0)
			return 1;
	}
}

int sc_audit_open(struct sc_error *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot open the audit socket");
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = AUDIT_NLGRP_READLOG };
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = -errno;
		close(fd);
		return sc_error_errno(err, e, "cannot read the audit records");
	}
	/* every audit record of the host comes through */
	int rcv = 4 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return fd;
}

int sc_audit_read(int fd, struct sc_audit_seccomp *out, bool *lost)
{
	/* one record per datagram, at most 8970 bytes of text (MAX_AUDIT_MESSAGE_LENGTH) */
	char buf[8970 + NLMSG_HDRLEN] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				*lost = true;
				continue;
			}
			return errno == EAGAIN ? 0 : -errno;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type != AUDIT_SECCOMP)
				continue;
			size_t len = h->nlmsg_len - NLMSG_HDRLEN;
			if (parse_fields(NLMSG_DATA(h), (const char *)NLMSG_DATA(h) + len, 0, out) > 0)
				return 1;
		}
	}
}
