/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The numbers a call multiplexes on, by name: ioctl requests, fcntl
 * commands, socket option levels and options.  The values are the
 * kernel's generic ones (asm-generic/ioctls.h, fcntl.h, socket.h,
 * linux/tcp.h, in.h, in6.h, udp.h), written out rather than taken from
 * this build's headers so that a report means the same on every host.
 * x86-64 (and its x32 half), i386, arm64, arm and riscv64 use them;
 * powerpc, mips, sparc, alpha and parisc have their own terminal and
 * socket numbers, so there every value stays a number.
 */
#include <inttypes.h>
#include <linux/audit.h>
#include <stddef.h>
#include <stdio.h>

#include "seclude/notify.h"
#include "seclude/util.h"

struct name {
	uint32_t v;
	const char *name;
};

#define LOOKUP(table, v) lookup(table, SC_ARRAY_SIZE(table), v)

static const char *lookup(const struct name *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

static bool generic_numbers(uint32_t arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
	case AUDIT_ARCH_I386:
	case AUDIT_ARCH_AARCH64:
	case AUDIT_ARCH_ARM:
	case AUDIT_ARCH_RISCV64:
		return true;
	default:
		return false;
	}
}

/* where a C long is 32 bits: some fcntl commands and ioctl sizes differ */
static bool long_is_32(uint32_t arch)
{
	return arch == AUDIT_ARCH_I386 || arch == AUDIT_ARCH_ARM;
}

static const struct name ioctls[] = {
	/* terminals (asm-generic/ioctls.h) */
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
	{ 0x5405, "TCGETA" }, { 0x5406, "TCSETA" }, { 0x5407, "TCSETAW" }, { 0x5408, "TCSETAF" },
	{ 0x5409, "TCSBRK" }, { 0x540a, "TCXONC" }, { 0x540b, "TCFLSH" }, { 0x540c, "TIOCEXCL" },
	{ 0x540d, "TIOCNXCL" }, { 0x540e, "TIOCSCTTY" }, { 0x540f, "TIOCGPGRP" },
	{ 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" },
	{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" }, { 0x5415, "TIOCMGET" },
	{ 0x5416, "TIOCMBIS" }, { 0x5417, "TIOCMBIC" }, { 0x5418, "TIOCMSET" },
	{ 0x5419, "TIOCGSOFTCAR" }, { 0x541a, "TIOCSSOFTCAR" }, { 0x541b, "FIONREAD" },
	{ 0x541c, "TIOCLINUX" }, { 0x541d, "TIOCCONS" }, { 0x541e, "TIOCGSERIAL" },
	{ 0x541f, "TIOCSSERIAL" }, { 0x5420, "TIOCPKT" }, { 0x5421, "FIONBIO" },
	{ 0x5422, "TIOCNOTTY" }, { 0x5423, "TIOCSETD" }, { 0x5424, "TIOCGETD" },
	{ 0x5425, "TCSBRKP" }, { 0x5427, "TIOCSBRK" }, { 0x5428, "TIOCCBRK" },
	{ 0x5429, "TIOCGSID" }, { 0x802c542a, "TCGETS2" }, { 0x402c542b, "TCSETS2" },
	{ 0x402c542c, "TCSETSW2" }, { 0x402c542d, "TCSETSF2" }, { 0x542e, "TIOCGRS485" },
	{ 0x542f, "TIOCSRS485" }, { 0x80045430, "TIOCGPTN" }, { 0x40045431, "TIOCSPTLCK" },
	{ 0x80045432, "TIOCGDEV" }, { 0x5432, "TCGETX" }, { 0x5433, "TCSETX" },
	{ 0x5434, "TCSETXF" }, { 0x5435, "TCSETXW" }, { 0x40045436, "TIOCSIG" },
	{ 0x5437, "TIOCVHANGUP" }, { 0x80045438, "TIOCGPKT" }, { 0x80045439, "TIOCGPTLCK" },
	{ 0x80045440, "TIOCGEXCL" }, { 0x5441, "TIOCGPTPEER" },
	{ 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
	{ 0x5453, "TIOCSERCONFIG" }, { 0x5454, "TIOCSERGWILD" }, { 0x5455, "TIOCSERSWILD" },
	{ 0x5456, "TIOCGLCKTRMIOS" }, { 0x5457, "TIOCSLCKTRMIOS" }, { 0x5458, "TIOCSERGSTRUCT" },
	{ 0x5459, "TIOCSERGETLSR" }, { 0x545a, "TIOCSERGETMULTI" }, { 0x545b, "TIOCSERSETMULTI" },
	{ 0x545c, "TIOCMIWAIT" }, { 0x545d, "TIOCGICOUNT" }, { 0x5460, "FIOQSIZE" },
	/* sockets (linux/sockios.h) */
	{ 0x8901, "FIOSETOWN" }, { 0x8902, "SIOCSPGRP" }, { 0x8903, "FIOGETOWN" },
	{ 0x8904, "SIOCGPGRP" }, { 0x8905, "SIOCATMARK" }, { 0x8906, "SIOCGSTAMP" },
	{ 0x8907, "SIOCGSTAMPNS" }, { 0x8910, "SIOCGIFNAME" }, { 0x8912, "SIOCGIFCONF" },
	{ 0x8913, "SIOCGIFFLAGS" }, { 0x8914, "SIOCSIFFLAGS" }, { 0x8915, "SIOCGIFADDR" },
	{ 0x8916, "SIOCSIFADDR" }, { 0x8919, "SIOCGIFBRDADDR" }, { 0x891b, "SIOCGIFNETMASK" },
	{ 0x8921, "SIOCGIFMTU" }, { 0x8922, "SIOCSIFMTU" }, { 0x8927, "SIOCGIFHWADDR" },
	{ 0x8933, "SIOCGIFINDEX" }, { 0x8946, "SIOCETHTOOL" },
	/* files (linux/fs.h): the flag calls carry a long, 8 or 4 bytes */
	{ 0x1, "FIBMAP" }, { 0x2, "FIGETBSZ" }, { 0x80086601, "FS_IOC_GETFLAGS" },
	{ 0x40086602, "FS_IOC_SETFLAGS" }, { 0x80046601, "FS_IOC32_GETFLAGS" },
	{ 0x40046602, "FS_IOC32_SETFLAGS" }, { 0x40049409, "FICLONE" },
	{ 0x4020940d, "FICLONERANGE" }, { 0xc0189436, "FIDEDUPERANGE" },
	{ 0xc0045877, "FIFREEZE" }, { 0xc0045878, "FITHAW" }, { 0xc020660b, "FS_IOC_FIEMAP" },
	{ 0x80081272, "BLKGETSIZE64" }, { 0x80041272, "BLKGETSIZE64" }, { 0x1260, "BLKGETSIZE" },
	{ 0x1268, "BLKSSZGET" },
};

static const struct name fcntls[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
	{ 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
	{ 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
	{ 17, "F_GETOWNER_UIDS" }, { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" },
	{ 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" },
	{ 1026, "F_NOTIFY" }, { 1027, "F_DUPFD_QUERY" }, { 1028, "F_CREATED_QUERY" },
	{ 1029, "F_CANCELLK" }, { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" },
	{ 1032, "F_GETPIPE_SZ" }, { 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" },
	{ 1035, "F_GET_RW_HINT" }, { 1036, "F_SET_RW_HINT" }, { 1037, "F_GET_FILE_RW_HINT" },
	{ 1038, "F_SET_FILE_RW_HINT" },
};

/* the 64-bit locks of 32-bit processes (64-bit ones use F_GETLK for both) */
static const struct name fcntls32[] = {
	{ 12, "F_GETLK64" }, { 13, "F_SETLK64" }, { 14, "F_SETLKW64" },
};

static const struct name levels[] = {
	{ 0, "IPPROTO_IP" }, { 1, "SOL_SOCKET" }, { 6, "IPPROTO_TCP" }, { 17, "IPPROTO_UDP" },
	{ 41, "IPPROTO_IPV6" }, { 58, "IPPROTO_ICMPV6" }, { 132, "IPPROTO_SCTP" },
	{ 136, "IPPROTO_UDPLITE" }, { 255, "SOL_RAW" }, { 263, "SOL_PACKET" },
	{ 270, "SOL_NETLINK" }, { 274, "SOL_BLUETOOTH" }, { 279, "SOL_ALG" },
	{ 282, "SOL_TLS" }, { 283, "SOL_XDP" },
};

static const struct name so_opts[] = {
	{ 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" }, { 4, "SO_ERROR" },
	{ 5, "SO_DONTROUTE" }, { 6, "SO_BROADCAST" }, { 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" },
	{ 9, "SO_KEEPALIVE" }, { 10, "SO_OOBINLINE" }, { 11, "SO_NO_CHECK" },
	{ 12, "SO_PRIORITY" }, { 13, "SO_LINGER" }, { 14, "SO_BSDCOMPAT" },
	{ 15, "SO_REUSEPORT" }, { 16, "SO_PASSCRED" }, { 17, "SO_PEERCRED" },
	{ 18, "SO_RCVLOWAT" }, { 19, "SO_SNDLOWAT" }, { 20, "SO_RCVTIMEO_OLD" },
	{ 21, "SO_SNDTIMEO_OLD" }, { 22, "SO_SECURITY_AUTHENTICATION" },
	{ 23, "SO_SECURITY_ENCRYPTION_TRANSPORT" }, { 24, "SO_SECURITY_ENCRYPTION_NETWORK" },
	{ 25, "SO_BINDTODEVICE" }, { 26, "SO_ATTACH_FILTER" }, { 27, "SO_DETACH_FILTER" },
	{ 28, "SO_PEERNAME" }, { 29, "SO_TIMESTAMP_OLD" }, { 30, "SO_ACCEPTCONN" },
	{ 31, "SO_PEERSEC" }, { 32, "SO_SNDBUFFORCE" }, { 33, "SO_RCVBUFFORCE" },
	{ 34, "SO_PASSSEC" }, { 35, "SO_TIMESTAMPNS_OLD" }, { 36, "SO_MARK" },
	{ 37, "SO_TIMESTAMPING_OLD" }, { 38, "SO_PROTOCOL" }, { 39, "SO_DOMAIN" },
	{ 40, "SO_RXQ_OVFL" }, { 41, "SO_WIFI_STATUS" }, { 42, "SO_PEEK_OFF" },
	{ 43, "SO_NOFCS" }, { 44, "SO_LOCK_FILTER" }, { 45, "SO_SELECT_ERR_QUEUE" },
	{ 46, "SO_BUSY_POLL" }, { 47, "SO_MAX_PACING_RATE" }, { 48, "SO_BPF_EXTENSIONS" },
	{ 49, "SO_INCOMING_CPU" }, { 50, "SO_ATTACH_BPF" }, { 51, "SO_ATTACH_REUSEPORT_CBPF" },
	{ 52, "SO_ATTACH_REUSEPORT_EBPF" }, { 53, "SO_CNX_ADVICE" }, { 55, "SO_MEMINFO" },
	{ 56, "SO_INCOMING_NAPI_ID" }, { 57, "SO_COOKIE" }, { 59, "SO_PEERGROUPS" },
	{ 60, "SO_ZEROCOPY" }, { 61, "SO_TXTIME" }, { 62, "SO_BINDTOIFINDEX" },
	{ 63, "SO_TIMESTAMP_NEW" }, { 64, "SO_TIMESTAMPNS_NEW" }, { 65, "SO_TIMESTAMPING_NEW" },
	{ 66, "SO_RCVTIMEO_NEW" }, { 67, "SO_SNDTIMEO_NEW" }, { 68, "SO_DETACH_REUSEPORT_BPF" },
	{ 69, "SO_PREFER_BUSY_POLL" }, { 70, "SO_BUSY_POLL_BUDGET" }, { 71, "SO_NETNS_COOKIE" },
	{ 72, "SO_BUF_LOCK" }, { 73, "SO_RESERVE_MEM" }, { 74, "SO_TXREHASH" },
	{ 75, "SO_RCVMARK" }, { 76, "SO_PASSPIDFD" }, { 77, "SO_PEERPIDFD" },
};

static const struct name tcp_opts[] = {
	{ 1, "TCP_NODELAY" }, { 2, "TCP_MAXSEG" }, { 3, "TCP_CORK" }, { 4, "TCP_KEEPIDLE" },
	{ 5, "TCP_KEEPINTVL" }, { 6, "TCP_KEEPCNT" }, { 7, "TCP_SYNCNT" }, { 8, "TCP_LINGER2" },
	{ 9, "TCP_DEFER_ACCEPT" }, { 10, "TCP_WINDOW_CLAMP" }, { 11, "TCP_INFO" },
	{ 12, "TCP_QUICKACK" }, { 13, "TCP_CONGESTION" }, { 14, "TCP_MD5SIG" },
	{ 16, "TCP_THIN_LINEAR_TIMEOUTS" }, { 17, "TCP_THIN_DUPACK" }, { 18, "TCP_USER_TIMEOUT" },
	{ 19, "TCP_REPAIR" }, { 20, "TCP_REPAIR_QUEUE" }, { 21, "TCP_QUEUE_SEQ" },
	{ 22, "TCP_REPAIR_OPTIONS" }, { 23, "TCP_FASTOPEN" }, { 24, "TCP_TIMESTAMP" },
	{ 25, "TCP_NOTSENT_LOWAT" }, { 26, "TCP_CC_INFO" }, { 27, "TCP_SAVE_SYN" },
	{ 28, "TCP_SAVED_SYN" }, { 29, "TCP_REPAIR_WINDOW" }, { 30, "TCP_FASTOPEN_CONNECT" },
	{ 31, "TCP_ULP" }, { 32, "TCP_MD5SIG_EXT" }, { 33, "TCP_FASTOPEN_KEY" },
	{ 34, "TCP_FASTOPEN_NO_COOKIE" }, { 35, "TCP_ZEROCOPY_RECEIVE" }, { 36, "TCP_INQ" },
	{ 37, "TCP_TX_DELAY" },
};

static const struct name ip_opts[] = {
	{ 1, "IP_TOS" }, { 2, "IP_TTL" }, { 3, "IP_HDRINCL" }, { 4, "IP_OPTIONS" },
	{ 5, "IP_ROUTER_ALERT" }, { 6, "IP_RECVOPTS" }, { 7, "IP_RETOPTS" }, { 8, "IP_PKTINFO" },
	{ 9, "IP_PKTOPTIONS" }, { 10, "IP_MTU_DISCOVER" }, { 11, "IP_RECVERR" },
	{ 12, "IP_RECVTTL" }, { 13, "IP_RECVTOS" }, { 14, "IP_MTU" }, { 15, "IP_FREEBIND" },
	{ 16, "IP_IPSEC_POLICY" }, { 17, "IP_XFRM_POLICY" }, { 18, "IP_PASSSEC" },
	{ 19, "IP_TRANSPARENT" }, { 20, "IP_RECVORIGDSTADDR" }, { 21, "IP_MINTTL" },
	{ 22, "IP_NODEFRAG" }, { 23, "IP_CHECKSUM" }, { 24, "IP_BIND_ADDRESS_NO_PORT" },
	{ 25, "IP_RECVFRAGSIZE" }, { 26, "IP_RECVERR_RFC4884" }, { 32, "IP_MULTICAST_IF" },
	{ 33, "IP_MULTICAST_TTL" }, { 34, "IP_MULTICAST_LOOP" }, { 35, "IP_ADD_MEMBERSHIP" },
	{ 36, "IP_DROP_MEMBERSHIP" }, { 37, "IP_UNBLOCK_SOURCE" }, { 38, "IP_BLOCK_SOURCE" },
	{ 39, "IP_ADD_SOURCE_MEMBERSHIP" }, { 40, "IP_DROP_SOURCE_MEMBERSHIP" },
	{ 41, "IP_MSFILTER" }, { 42, "MCAST_JOIN_GROUP" }, { 43, "MCAST_BLOCK_SOURCE" },
	{ 44, "MCAST_UNBLOCK_SOURCE" }, { 45, "MCAST_LEAVE_GROUP" },
	{ 46, "MCAST_JOIN_SOURCE_GROUP" }, { 47, "MCAST_LEAVE_SOURCE_GROUP" },
	{ 48, "MCAST_MSFILTER" }, { 49, "IP_MULTICAST_ALL" }, { 50, "IP_UNICAST_IF" },
	{ 51, "IP_LOCAL_PORT_RANGE" }, { 52, "IP_PROTOCOL" },
};

static const struct name ipv6_opts[] = {
	{ 1, "IPV6_ADDRFORM" }, { 2, "IPV6_2292PKTINFO" }, { 3, "IPV6_2292HOPOPTS" },
	{ 4, "IPV6_2292DSTOPTS" }, { 5, "IPV6_2292RTHDR" }, { 6, "IPV6_2292PKTOPTIONS" },
	{ 7, "IPV6_CHECKSUM" }, { 8, "IPV6_2292HOPLIMIT" }, { 9, "IPV6_NEXTHOP" },
	{ 10, "IPV6_AUTHHDR" }, { 16, "IPV6_UNICAST_HOPS" }, { 17, "IPV6_MULTICAST_IF" },
	{ 18, "IPV6_MULTICAST_HOPS" }, { 19, "IPV6_MULTICAST_LOOP" }, { 20, "IPV6_ADD_MEMBERSHIP" },
	{ 21, "IPV6_DROP_MEMBERSHIP" }, { 22, "IPV6_ROUTER_ALERT" }, { 23, "IPV6_MTU_DISCOVER" },
	{ 24, "IPV6_MTU" }, { 25, "IPV6_RECVERR" }, { 26, "IPV6_V6ONLY" },
	{ 27, "IPV6_JOIN_ANYCAST" }, { 28, "IPV6_LEAVE_ANYCAST" }, { 29, "IPV6_MULTICAST_ALL" },
	{ 30, "IPV6_ROUTER_ALERT_ISOLATE" }, { 31, "IPV6_RECVERR_RFC4884" },
	{ 34, "IPV6_IPSEC_POLICY" }, { 35, "IPV6_XFRM_POLICY" }, { 36, "IPV6_HDRINCL" },
	{ 42, "MCAST_JOIN_GROUP" }, { 45, "MCAST_LEAVE_GROUP" },
	{ 49, "IPV6_RECVPKTINFO" }, { 50, "IPV6_PKTINFO" }, { 51, "IPV6_RECVHOPLIMIT" },
	{ 52, "IPV6_HOPLIMIT" }, { 53, "IPV6_RECVHOPOPTS" }, { 54, "IPV6_HOPOPTS" },
	{ 55, "IPV6_RTHDRDSTOPTS" }, { 56, "IPV6_RECVRTHDR" }, { 57, "IPV6_RTHDR" },
	{ 58, "IPV6_RECVDSTOPTS" }, { 59, "IPV6_DSTOPTS" }, { 60, "IPV6_RECVPATHMTU" },
	{ 61, "IPV6_PATHMTU" }, { 62, "IPV6_DONTFRAG" }, { 66, "IPV6_RECVTCLASS" },
	{ 67, "IPV6_TCLASS" }, { 70, "IPV6_AUTOFLOWLABEL" }, { 72, "IPV6_ADDR_PREFERENCES" },
	{ 73, "IPV6_MINHOPCOUNT" }, { 74, "IPV6_RECVORIGDSTADDR" }, { 75, "IPV6_TRANSPARENT" },
	{ 76, "IPV6_UNICAST_IF" }, { 77, "IPV6_RECVFRAGSIZE" }, { 78, "IPV6_FREEBIND" },
};

static const struct name udp_opts[] = {
	{ 1, "UDP_CORK" }, { 100, "UDP_ENCAP" }, { 101, "UDP_NO_CHECK6_TX" },
	{ 102, "UDP_NO_CHECK6_RX" }, { 103, "UDP_SEGMENT" }, { 104, "UDP_GRO" },
};

const char *sc_ioctl_name(uint32_t arch, uint32_t request)
{
	return generic_numbers(arch) ? LOOKUP(ioctls, request) : NULL;
}

void sc_ioctl_text(uint32_t arch, uint32_t request, char *buf, size_t len)
{
	static const char *const dir[] = { "_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE" };
	const char *name = sc_ioctl_name(arch, request);
	if (name)
		snprintf(buf, len, "%s", name);
	else if (generic_numbers(arch) && request >> 16)
		/* the generic _IOC layout, shown as direction, type, number, size */
		snprintf(buf, len, "_IOC(%s, %#" PRIx32 ", %#" PRIx32 ", %#" PRIx32 ")", dir[request >> 30],
			 (request >> 8) & 0xff, request & 0xff, (request >> 16) & 0x3fff);
	else
		snprintf(buf, len, "%#" PRIx32, request);
}

const char *sc_fcntl_name(uint32_t arch, uint32_t cmd)
{
	if (!generic_numbers(arch))
		return NULL;
	const char *n = LOOKUP(fcntls, cmd);
	return n || !long_is_32(arch) ? n : LOOKUP(fcntls32, cmd);
}

const char *sc_sockopt_level_name(uint32_t arch, uint32_t level)
{
	return generic_numbers(arch) ? LOOKUP(levels, level) : NULL;
}

const char *sc_sockopt_name(uint32_t arch, uint32_t level, uint32_t opt)
{
	if (!generic_numbers(arch))
		return NULL;
	switch (level) {
	case 1: return LOOKUP(so_opts, opt);
	case 0: return LOOKUP(ip_opts, opt);
	case 6: return LOOKUP(tcp_opts, opt);
	case 17: case 136: return LOOKUP(udp_opts, opt);
	case 41: return LOOKUP(ipv6_opts, opt);
	default: return NULL;
	}
}
