/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names of ioctl requests, fcntl commands and socket options, against
 * this build's own headers where they carry the generic values, and as
 * denial reports show them.
 */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/fs.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <cmocka.h>

#include "seclude/notify.h"

/* the architectures whose numbers are the generic ones */
static const uint32_t generic[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
				    AUDIT_ARCH_ARM, AUDIT_ARCH_RISCV64 };

#define N(x) { (uint32_t)(x), #x }
struct known {
	uint32_t v;
	const char *name;
};

#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv)
#define GENERIC_HEADERS 1
#endif

static void test_ioctl_names(void **state)
{
	(void)state;
#ifdef GENERIC_HEADERS
	static const struct known k[] = {
		N(TCGETS), N(TCSETS), N(TCSETSW), N(TCSETSF), N(TIOCGWINSZ), N(TIOCSWINSZ),
		N(FIONREAD), N(FIONBIO), N(FIOCLEX), N(FIONCLEX), N(FIOASYNC), N(TIOCSTI),
		N(TIOCGPGRP), N(TIOCSPGRP), N(TIOCSCTTY), N(TIOCNOTTY), N(TIOCGPTN),
		N(TIOCSPTLCK), N(TIOCGPTPEER), N(TIOCGSID), N(TIOCSIG),
		N(TIOCLINUX), N(TIOCGDEV), N(FIOQSIZE), N(SIOCGIFFLAGS), N(SIOCSIFFLAGS),
		N(SIOCGIFINDEX), N(SIOCGIFCONF), N(SIOCGIFHWADDR), N(SIOCATMARK), N(FIOSETOWN),
		N(FIOGETOWN), N(FS_IOC_GETFLAGS), N(FS_IOC_SETFLAGS), N(FS_IOC32_GETFLAGS),
		N(FICLONE), N(FICLONERANGE), N(FIDEDUPERANGE), N(FIFREEZE), N(FITHAW),
		N(FIBMAP), N(FIGETBSZ), N(BLKGETSIZE64), N(BLKSSZGET),
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		const char *got = sc_ioctl_name(AUDIT_ARCH_X86_64, k[i].v);
		assert_non_null(got);
		assert_string_equal(got, k[i].name);
	}
#endif
	/* every generic architecture, without the headers' help */
	for (size_t a = 0; a < sizeof(generic) / sizeof(generic[0]); a++) {
		assert_string_equal(sc_ioctl_name(generic[a], 0x5401), "TCGETS");
		assert_string_equal(sc_ioctl_name(generic[a], 0x5413), "TIOCGWINSZ");
		assert_string_equal(sc_ioctl_name(generic[a], 0x541b), "FIONREAD");
		assert_string_equal(sc_ioctl_name(generic[a], 0x5412), "TIOCSTI");
	}
	/* sized by struct termios2 (44 bytes), which the C library does not declare */
	assert_string_equal(sc_ioctl_name(AUDIT_ARCH_X86_64, 0x802c542a), "TCGETS2");
	assert_null(sc_ioctl_name(AUDIT_ARCH_X86_64, 0xdeadbeef));
	/* powerpc's TCGETS is 0x402c7413: its 0x5401 is nothing */
	assert_null(sc_ioctl_name(AUDIT_ARCH_PPC64LE, 0x5401));
	assert_null(sc_ioctl_name(AUDIT_ARCH_MIPS, 0x5401));
}

static void test_fcntl_names(void **state)
{
	(void)state;
#ifdef GENERIC_HEADERS
	static const struct known k[] = {
		N(F_DUPFD), N(F_GETFD), N(F_SETFD), N(F_GETFL), N(F_SETFL), N(F_GETLK), N(F_SETLK),
		N(F_SETLKW), N(F_SETOWN), N(F_GETOWN), N(F_SETSIG), N(F_GETSIG), N(F_SETOWN_EX),
		N(F_GETOWN_EX), N(F_OFD_GETLK), N(F_OFD_SETLK), N(F_OFD_SETLKW), N(F_SETLEASE),
		N(F_GETLEASE), N(F_NOTIFY), N(F_DUPFD_CLOEXEC), N(F_SETPIPE_SZ), N(F_GETPIPE_SZ),
		N(F_ADD_SEALS), N(F_GET_SEALS), N(F_GET_RW_HINT), N(F_SET_RW_HINT),
		N(F_GET_FILE_RW_HINT), N(F_SET_FILE_RW_HINT),
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		const char *got = sc_fcntl_name(AUDIT_ARCH_X86_64, k[i].v);
		assert_non_null(got);
		assert_string_equal(got, k[i].name);
	}
#endif
	/* the 64-bit locks of 32-bit processes have numbers of their own */
	assert_string_equal(sc_fcntl_name(AUDIT_ARCH_I386, 13), "F_SETLK64");
	assert_string_equal(sc_fcntl_name(AUDIT_ARCH_ARM, 14), "F_SETLKW64");
	assert_null(sc_fcntl_name(AUDIT_ARCH_X86_64, 13));
	assert_null(sc_fcntl_name(AUDIT_ARCH_AARCH64, 12));
	assert_string_equal(sc_fcntl_name(AUDIT_ARCH_AARCH64, 1030), "F_DUPFD_CLOEXEC");
	assert_null(sc_fcntl_name(AUDIT_ARCH_MIPS, 1));
}

static void test_sockopt_names(void **state)
{
	(void)state;
#ifdef GENERIC_HEADERS
	static const struct known so[] = {
		N(SO_REUSEADDR), N(SO_TYPE), N(SO_ERROR), N(SO_BROADCAST), N(SO_SNDBUF), N(SO_RCVBUF),
		N(SO_KEEPALIVE), N(SO_LINGER), N(SO_REUSEPORT), N(SO_PASSCRED), N(SO_PEERCRED),
		N(SO_RCVLOWAT), N(SO_BINDTODEVICE), N(SO_ATTACH_FILTER), N(SO_ACCEPTCONN),
		N(SO_PEERSEC), N(SO_MARK), N(SO_PROTOCOL), N(SO_DOMAIN), N(SO_ATTACH_BPF),
		N(SO_COOKIE), N(SO_ZEROCOPY), N(SO_BINDTOIFINDEX),
	};
	static const struct known tcp[] = {
		N(TCP_NODELAY), N(TCP_MAXSEG), N(TCP_CORK), N(TCP_KEEPIDLE), N(TCP_KEEPINTVL),
		N(TCP_KEEPCNT), N(TCP_INFO), N(TCP_QUICKACK), N(TCP_CONGESTION), N(TCP_USER_TIMEOUT),
		N(TCP_FASTOPEN), N(TCP_NOTSENT_LOWAT), N(TCP_ULP), N(TCP_INQ),
	};
	static const struct known ip[] = {
		N(IP_TOS), N(IP_TTL), N(IP_HDRINCL), N(IP_PKTINFO), N(IP_MTU_DISCOVER), N(IP_RECVERR),
		N(IP_FREEBIND), N(IP_TRANSPARENT), N(IP_BIND_ADDRESS_NO_PORT), N(IP_MULTICAST_IF),
		N(IP_MULTICAST_TTL), N(IP_ADD_MEMBERSHIP), N(IP_MULTICAST_ALL),
	};
	static const struct known ip6[] = {
		N(IPV6_V6ONLY), N(IPV6_UNICAST_HOPS), N(IPV6_MULTICAST_IF), N(IPV6_MULTICAST_HOPS),
		N(IPV6_RECVPKTINFO), N(IPV6_PKTINFO), N(IPV6_TCLASS), N(IPV6_RECVERR),
		N(IPV6_MTU_DISCOVER), N(IPV6_DONTFRAG), N(IPV6_FREEBIND),
	};
	static const struct known udp[] = { N(UDP_CORK), N(UDP_SEGMENT), N(UDP_GRO) };
	static const struct { int level; const char *name; const struct known *k; size_t n; } by_level[] = {
		{ SOL_SOCKET, "SOL_SOCKET", so, sizeof(so) / sizeof(so[0]) },
		{ IPPROTO_TCP, "IPPROTO_TCP", tcp, sizeof(tcp) / sizeof(tcp[0]) },
		{ IPPROTO_IP, "IPPROTO_IP", ip, sizeof(ip) / sizeof(ip[0]) },
		{ IPPROTO_IPV6, "IPPROTO_IPV6", ip6, sizeof(ip6) / sizeof(ip6[0]) },
		{ IPPROTO_UDP, "IPPROTO_UDP", udp, sizeof(udp) / sizeof(udp[0]) },
	};
	for (size_t l = 0; l < sizeof(by_level) / sizeof(by_level[0]); l++) {
		assert_string_equal(sc_sockopt_level_name(AUDIT_ARCH_X86_64, (uint32_t)by_level[l].level),
				    by_level[l].name);
		for (size_t i = 0; i < by_level[l].n; i++) {
			const char *got = sc_sockopt_name(AUDIT_ARCH_X86_64, (uint32_t)by_level[l].level,
							  by_level[l].k[i].v);
			assert_non_null(got);
			assert_string_equal(got, by_level[l].k[i].name);
		}
	}
#endif
	/* the same number means another option at another level */
	assert_string_equal(sc_sockopt_name(AUDIT_ARCH_AARCH64, 1, 1), "SO_DEBUG");
	assert_string_equal(sc_sockopt_name(AUDIT_ARCH_AARCH64, 6, 1), "TCP_NODELAY");
	assert_string_equal(sc_sockopt_name(AUDIT_ARCH_I386, 0, 1), "IP_TOS");
	assert_string_equal(sc_sockopt_name(AUDIT_ARCH_I386, 41, 26), "IPV6_V6ONLY");
	assert_null(sc_sockopt_name(AUDIT_ARCH_X86_64, 9999, 1));
	/* mips and sparc have SOL_SOCKET 0xffff and SO_* of their own */
	assert_null(sc_sockopt_level_name(AUDIT_ARCH_MIPS, 1));
	assert_null(sc_sockopt_name(AUDIT_ARCH_PPC64LE, 1, 16));
}

static void decode(uint32_t arch, const char *call, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		   const char *want)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	char out[512];
	sc_decode_args(arch, call, args, NULL, NULL, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_decode_calls(void **state)
{
	(void)state;
	decode(AUDIT_ARCH_X86_64, "ioctl", 1, 0x5401, 0x7ffd0000, 0, "1, TCGETS, 0x7ffd0000");
	/* a request arrives sign-extended from an int: only the low 32 bits count */
	decode(AUDIT_ARCH_AARCH64, "ioctl", 3, 0xffffffff80045430ull, 0x1000, 0, "3, TIOCGPTN, 0x1000");
	decode(AUDIT_ARCH_X86_64, "ioctl", 0, 0x1234, 0, 0, "0, 0x1234, 0");
	/* an unknown request with _IOC fields shows them */
	decode(AUDIT_ARCH_X86_64, "ioctl", 0, 0xc0185879, 0, 0, "0, _IOC(_IOC_READ|_IOC_WRITE, 0x58, 0x79, 0x18), 0");
	decode(AUDIT_ARCH_X86_64, "ioctl", 0, 0x40046499, 0, 0, "0, _IOC(_IOC_WRITE, 0x64, 0x99, 0x4), 0");
	/* powerpc lays _IOC out otherwise */
	decode(AUDIT_ARCH_PPC64LE, "ioctl", 0, 0xc0185879, 0, 0, "0, 0xc0185879, 0");
	decode(AUDIT_ARCH_PPC64LE, "ioctl", 1, 0x5401, 0, 0, "1, 0x5401, 0");
	decode(AUDIT_ARCH_X86_64, "fcntl", 3, 4, 04000 | 02000, 0, "3, F_SETFL, O_APPEND|O_NONBLOCK");
	decode(AUDIT_ARCH_X86_64, "fcntl", 3, 2, 1, 0, "3, F_SETFD, FD_CLOEXEC");
	decode(AUDIT_ARCH_X86_64, "fcntl", 3, 1030, 10, 0, "3, F_DUPFD_CLOEXEC, 10");
	decode(AUDIT_ARCH_X86_64, "fcntl", 3, 37, 0x7ffd0000, 0, "3, F_OFD_SETLK, 0x7ffd0000");
	decode(AUDIT_ARCH_I386, "fcntl64", 3, 13, 0x1000, 0, "3, F_SETLK64, 0x1000");
	decode(AUDIT_ARCH_X86_64, "fcntl", 3, 3, 0, 0, "3, F_GETFL, 0");
	decode(AUDIT_ARCH_X86_64, "setsockopt", 4, 1, 2, 0x1000, "4, SOL_SOCKET, SO_REUSEADDR, 0x1000, 0");
	decode(AUDIT_ARCH_X86_64, "setsockopt", 4, 6, 1, 0x1000, "4, IPPROTO_TCP, TCP_NODELAY, 0x1000, 0");
	decode(AUDIT_ARCH_X86_64, "getsockopt", 4, 41, 26, 0x1000, "4, IPPROTO_IPV6, IPV6_V6ONLY, 0x1000, 0");
	decode(AUDIT_ARCH_X86_64, "setsockopt", 4, 999, 1, 0, "4, 0x3e7, 0x1, 0, 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ioctl_names),
		cmocka_unit_test(test_fcntl_names),
		cmocka_unit_test(test_sockopt_names),
		cmocka_unit_test(test_decode_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
