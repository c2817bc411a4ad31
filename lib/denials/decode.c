/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arguments as a person reads them: the path a call was given, its open
 * flags, the mode in octal, the socket family by name.  Flag values are
 * the x86-64 / generic ones, which every architecture seclude confines
 * (x86-64, its i386 and x32 halves, arm64) shares for these calls.
 * Integers of C type int travel in a 64-bit register whose upper half the
 * kernel ignores, so they are read from the low 32 bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/notify.h"
#include "seclude/names.h"
#include "seclude/util.h"

#define SC_X32_BIT 0x40000000u

void sc_syscall_name(uint32_t arch, int nr, char *buf, size_t len)
{
	uint32_t token = arch;
	if (arch == AUDIT_ARCH_X86_64 && ((uint32_t)nr & SC_X32_BIT))
		token = SCMP_ARCH_X32;
	char *name = nr >= 0 ? seccomp_syscall_resolve_num_arch(token, nr) : NULL;
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall %d", nr);
	free(name);
}

ssize_t sc_read_tracee(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)tid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = pread(fd, buf, len, (off_t)addr);
	if (n < 0 && errno == EIO && len > 1) {
		/* the string may end just before an unmapped page: read up to the boundary */
		size_t first = 4096 - (size_t)(addr & 4095);
		if (first < len)
			n = pread(fd, buf, first, (off_t)addr);
	}
	return n < 0 ? -errno : n;
}

enum kind {
	K_HEX,
	K_INT,
	K_FD,         /* a directory fd: AT_FDCWD by name */
	K_PATH,
	K_STR,
	K_OFLAGS,
	K_MODE,
	K_FMODE,      /* mknod: file type and permissions */
	K_AF,
	K_SOCKTYPE,
	K_CLONE,
	K_SIG,
	K_ATFLAGS,
	K_MOUNT,
	K_UMOUNT,
	K_UID,
	K_OCT,
	K_IOCTL,      /* an ioctl request */
	K_FCNTL,      /* an fcntl command */
	K_FCNTL_ARG,  /* its argument: flags, an fd number or a pointer, by the command */
	K_SOCKLEVEL,
	K_SOCKOPT,    /* named by the level before it */
};

struct call_shape {
	const char *name;
	unsigned char n;
	unsigned char kind[6];
};

#define S(nm, ...) { nm, sizeof((unsigned char[]){ __VA_ARGS__ }), { __VA_ARGS__ } }
#define S0(nm) { nm, 0, { 0 } }

static const struct call_shape shapes[] = {
	S("open", K_PATH, K_OFLAGS, K_MODE),
	S("openat", K_FD, K_PATH, K_OFLAGS, K_MODE),
	S("openat2", K_FD, K_PATH, K_HEX, K_INT),
	S("creat", K_PATH, K_MODE),
	S("chmod", K_PATH, K_MODE),
	S("fchmod", K_INT, K_MODE),
	S("fchmodat", K_FD, K_PATH, K_MODE),
	S("fchmodat2", K_FD, K_PATH, K_MODE, K_ATFLAGS),
	S("chown", K_PATH, K_UID, K_UID),
	S("lchown", K_PATH, K_UID, K_UID),
	S("chown32", K_PATH, K_UID, K_UID),
	S("lchown32", K_PATH, K_UID, K_UID),
	S("fchown", K_INT, K_UID, K_UID),
	S("fchownat", K_FD, K_PATH, K_UID, K_UID, K_ATFLAGS),
	S("mkdir", K_PATH, K_MODE),
	S("mkdirat", K_FD, K_PATH, K_MODE),
	S("mknod", K_PATH, K_FMODE, K_HEX),
	S("mknodat", K_FD, K_PATH, K_FMODE, K_HEX),
	S("unlink", K_PATH),
	S("unlinkat", K_FD, K_PATH, K_ATFLAGS),
	S("rmdir", K_PATH),
	S("rename", K_PATH, K_PATH),
	S("renameat", K_FD, K_PATH, K_FD, K_PATH),
	S("renameat2", K_FD, K_PATH, K_FD, K_PATH, K_HEX),
	S("link", K_PATH, K_PATH),
	S("linkat", K_FD, K_PATH, K_FD, K_PATH, K_ATFLAGS),
	S("symlink", K_PATH, K_PATH),
	S("symlinkat", K_PATH, K_FD, K_PATH),
	S("readlink", K_PATH, K_HEX, K_INT),
	S("readlinkat", K_FD, K_PATH, K_HEX, K_INT),
	S("access", K_PATH, K_OCT),
	S("faccessat", K_FD, K_PATH, K_OCT),
	S("faccessat2", K_FD, K_PATH, K_OCT, K_ATFLAGS),
	S("stat", K_PATH, K_HEX),
	S("lstat", K_PATH, K_HEX),
	S("newfstatat", K_FD, K_PATH, K_HEX, K_ATFLAGS),
	S("statx", K_FD, K_PATH, K_ATFLAGS, K_HEX, K_HEX),
	S("truncate", K_PATH, K_INT),
	S("chdir", K_PATH),
	S("chroot", K_PATH),
	S("acct", K_PATH),
	S("swapon", K_PATH, K_HEX),
	S("swapoff", K_PATH),
	S("execve", K_PATH, K_HEX, K_HEX),
	S("execveat", K_FD, K_PATH, K_HEX, K_HEX, K_ATFLAGS),
	S("mount", K_PATH, K_PATH, K_STR, K_MOUNT, K_HEX),
	S("umount2", K_PATH, K_UMOUNT),
	S("umount", K_PATH),
	S("pivot_root", K_PATH, K_PATH),
	S("utimensat", K_FD, K_PATH, K_HEX, K_ATFLAGS),
	S("utimes", K_PATH, K_HEX),
	S("utime", K_PATH, K_HEX),
	S("setxattr", K_PATH, K_STR, K_HEX, K_INT, K_HEX),
	S("lsetxattr", K_PATH, K_STR, K_HEX, K_INT, K_HEX),
	S("getxattr", K_PATH, K_STR, K_HEX, K_INT),
	S("lgetxattr", K_PATH, K_STR, K_HEX, K_INT),
	S("removexattr", K_PATH, K_STR),
	S("lremovexattr", K_PATH, K_STR),
	S("inotify_add_watch", K_INT, K_PATH, K_HEX),
	S("name_to_handle_at", K_FD, K_PATH, K_HEX, K_HEX, K_ATFLAGS),
	S("open_by_handle_at", K_INT, K_HEX, K_OFLAGS),
	S("socket", K_AF, K_SOCKTYPE, K_INT),
	S("socketpair", K_AF, K_SOCKTYPE, K_INT, K_HEX),
	S("unshare", K_CLONE),
	S("clone", K_CLONE, K_HEX, K_HEX, K_HEX, K_HEX),
	S("setns", K_INT, K_CLONE),
	S("kill", K_INT, K_SIG),
	S("tkill", K_INT, K_SIG),
	S("tgkill", K_INT, K_INT, K_SIG),
	S("ptrace", K_INT, K_INT, K_HEX, K_HEX),
	S("personality", K_HEX),
	S("setuid", K_UID),
	S("setgid", K_UID),
	S("sethostname", K_STR, K_INT),
	S("setdomainname", K_STR, K_INT),
	S("init_module", K_HEX, K_INT, K_STR),
	S("finit_module", K_INT, K_STR, K_HEX),
	S("delete_module", K_STR, K_OFLAGS),
	S("memfd_create", K_STR, K_HEX),
	S("mq_open", K_STR, K_OFLAGS, K_MODE, K_HEX),
	S("mq_unlink", K_STR),
	S("add_key", K_STR, K_STR, K_HEX, K_INT, K_INT),
	S("request_key", K_STR, K_STR, K_STR, K_INT),
	S("quotactl", K_HEX, K_PATH, K_INT, K_HEX),
	S("uselib", K_PATH),
	S("statfs", K_PATH, K_HEX),
	/* the everyday calls a deny-by-default profile meets first */
	S0("getpid"), S0("getppid"), S0("gettid"), S0("getuid"), S0("geteuid"), S0("getgid"),
	S0("getegid"), S0("getpgrp"), S0("setsid"), S0("sync"), S0("sched_yield"), S0("pause"),
	S0("fork"), S0("vfork"), S0("rt_sigreturn"), S0("vhangup"), S0("munlockall"),
	S("read", K_INT, K_HEX, K_INT),
	S("write", K_INT, K_HEX, K_INT),
	S("close", K_INT),
	S("fstat", K_INT, K_HEX),
	S("lseek", K_INT, K_INT, K_INT),
	S("ioctl", K_INT, K_IOCTL, K_HEX),
	S("fcntl", K_INT, K_FCNTL, K_FCNTL_ARG),
	S("fcntl64", K_INT, K_FCNTL, K_FCNTL_ARG),
	S("setsockopt", K_INT, K_SOCKLEVEL, K_SOCKOPT, K_HEX, K_INT),
	S("getsockopt", K_INT, K_SOCKLEVEL, K_SOCKOPT, K_HEX, K_HEX),
	S("dup", K_INT),
	S("dup2", K_INT, K_INT),
	S("dup3", K_INT, K_INT, K_OFLAGS),
	S("brk", K_HEX),
	S("mmap", K_HEX, K_HEX, K_HEX, K_HEX, K_INT, K_HEX),
	S("mprotect", K_HEX, K_HEX, K_HEX),
	S("munmap", K_HEX, K_HEX),
	S("umask", K_MODE),
	S("exit", K_INT),
	S("exit_group", K_INT),
	S("wait4", K_INT, K_HEX, K_HEX, K_HEX),
	S("rt_sigaction", K_SIG, K_HEX, K_HEX, K_INT),
	S("rt_sigprocmask", K_INT, K_HEX, K_HEX, K_INT),
	S("arch_prctl", K_HEX, K_HEX),
	S("prctl", K_INT, K_HEX, K_HEX, K_HEX, K_HEX),
	S("set_tid_address", K_HEX),
	S("set_robust_list", K_HEX, K_INT),
	S("rseq", K_HEX, K_INT, K_HEX, K_HEX),
	S("prlimit64", K_INT, K_INT, K_HEX, K_HEX),
	S("getrandom", K_HEX, K_INT, K_HEX),
	S("getcwd", K_HEX, K_INT),
	S("uname", K_HEX),
	S("acct", K_PATH),
	S("sysfs", K_INT, K_HEX, K_HEX),
	S("reboot", K_HEX, K_HEX, K_HEX, K_HEX),
	S("bpf", K_INT, K_HEX, K_INT),
	S("perf_event_open", K_HEX, K_INT, K_INT, K_INT, K_HEX),
	S("keyctl", K_INT, K_HEX, K_HEX, K_HEX, K_HEX),
	S("clone3", K_HEX, K_INT),
	S("io_uring_setup", K_INT, K_HEX),
	S("userfaultfd", K_HEX),
	S("kexec_load", K_HEX, K_HEX, K_HEX, K_HEX),
	S("syslog", K_INT, K_HEX, K_INT),
};

struct bits {
	uint64_t v;
	const char *name;
};

static const struct bits oflags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" }, { O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
	/* O_SYNC and O_TMPFILE contain O_DSYNC and O_DIRECTORY: test them first */
	{ O_SYNC, "O_SYNC" }, { O_TMPFILE, "O_TMPFILE" }, { O_DIRECTORY, "O_DIRECTORY" },
	{ 0, NULL },
};

static const struct bits cloneflags[] = {
	{ CLONE_VM, "CLONE_VM" }, { CLONE_FS, "CLONE_FS" }, { CLONE_FILES, "CLONE_FILES" },
	{ CLONE_SIGHAND, "CLONE_SIGHAND" }, { CLONE_PIDFD, "CLONE_PIDFD" },
	{ CLONE_PTRACE, "CLONE_PTRACE" }, { CLONE_VFORK, "CLONE_VFORK" },
	{ CLONE_PARENT, "CLONE_PARENT" }, { CLONE_THREAD, "CLONE_THREAD" },
	{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_SYSVSEM, "CLONE_SYSVSEM" },
	{ CLONE_SETTLS, "CLONE_SETTLS" }, { CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" }, { CLONE_DETACHED, "CLONE_DETACHED" },
	{ CLONE_UNTRACED, "CLONE_UNTRACED" }, { CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" }, { CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC" }, { CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ CLONE_NEWPID, "CLONE_NEWPID" }, { CLONE_NEWNET, "CLONE_NEWNET" },
	{ CLONE_IO, "CLONE_IO" },
	{ 0, NULL },
};

static const struct bits atflags[] = {
	{ AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW" }, { AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW" },
	{ AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT" }, { AT_EMPTY_PATH, "AT_EMPTY_PATH" },
	{ 0, NULL },
};

static const struct bits mountflags[] = {
	{ MS_RDONLY, "MS_RDONLY" }, { MS_NOSUID, "MS_NOSUID" }, { MS_NODEV, "MS_NODEV" },
	{ MS_NOEXEC, "MS_NOEXEC" }, { MS_SYNCHRONOUS, "MS_SYNCHRONOUS" },
	{ MS_REMOUNT, "MS_REMOUNT" }, { MS_MANDLOCK, "MS_MANDLOCK" }, { MS_DIRSYNC, "MS_DIRSYNC" },
	{ 256, "MS_NOSYMFOLLOW" }, { MS_NOATIME, "MS_NOATIME" }, { MS_NODIRATIME, "MS_NODIRATIME" },
	{ MS_BIND, "MS_BIND" }, { MS_MOVE, "MS_MOVE" }, { MS_REC, "MS_REC" },
	{ MS_SILENT, "MS_SILENT" }, { MS_POSIXACL, "MS_POSIXACL" },
	{ MS_UNBINDABLE, "MS_UNBINDABLE" }, { MS_PRIVATE, "MS_PRIVATE" },
	{ MS_SLAVE, "MS_SLAVE" }, { MS_SHARED, "MS_SHARED" }, { MS_RELATIME, "MS_RELATIME" },
	{ MS_KERNMOUNT, "MS_KERNMOUNT" }, { MS_I_VERSION, "MS_I_VERSION" },
	{ MS_STRICTATIME, "MS_STRICTATIME" }, { MS_LAZYTIME, "MS_LAZYTIME" },
	{ 0, NULL },
};

static const struct bits umountflags[] = {
	{ MNT_FORCE, "MNT_FORCE" }, { MNT_DETACH, "MNT_DETACH" }, { MNT_EXPIRE, "MNT_EXPIRE" },
	{ UMOUNT_NOFOLLOW, "UMOUNT_NOFOLLOW" },
	{ 0, NULL },
};

static const char *const families[] = {
	[AF_UNSPEC] = "AF_UNSPEC", [AF_UNIX] = "AF_UNIX", [AF_INET] = "AF_INET",
	[AF_AX25] = "AF_AX25", [AF_IPX] = "AF_IPX", [AF_APPLETALK] = "AF_APPLETALK",
	[AF_NETROM] = "AF_NETROM", [AF_BRIDGE] = "AF_BRIDGE", [AF_ATMPVC] = "AF_ATMPVC",
	[AF_X25] = "AF_X25", [AF_INET6] = "AF_INET6", [AF_ROSE] = "AF_ROSE",
	[AF_DECnet] = "AF_DECnet", [AF_NETBEUI] = "AF_NETBEUI", [AF_SECURITY] = "AF_SECURITY",
	[AF_KEY] = "AF_KEY", [AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
	[AF_ASH] = "AF_ASH", [AF_ECONET] = "AF_ECONET", [AF_ATMSVC] = "AF_ATMSVC",
	[AF_RDS] = "AF_RDS", [AF_SNA] = "AF_SNA", [AF_IRDA] = "AF_IRDA", [AF_PPPOX] = "AF_PPPOX",
	[AF_WANPIPE] = "AF_WANPIPE", [AF_LLC] = "AF_LLC", [AF_IB] = "AF_IB", [AF_MPLS] = "AF_MPLS",
	[AF_CAN] = "AF_CAN", [AF_TIPC] = "AF_TIPC", [AF_BLUETOOTH] = "AF_BLUETOOTH",
	[AF_IUCV] = "AF_IUCV", [AF_RXRPC] = "AF_RXRPC", [AF_ISDN] = "AF_ISDN",
	[AF_PHONET] = "AF_PHONET", [AF_IEEE802154] = "AF_IEEE802154", [AF_CAIF] = "AF_CAIF",
	[AF_ALG] = "AF_ALG", [AF_NFC] = "AF_NFC", [AF_VSOCK] = "AF_VSOCK", [AF_KCM] = "AF_KCM",
	[AF_QIPCRTR] = "AF_QIPCRTR", [AF_SMC] = "AF_SMC", [AF_XDP] = "AF_XDP",
	[45] = "AF_MCTP",
};

static const char *const socktypes[] = {
	[SOCK_STREAM] = "SOCK_STREAM", [SOCK_DGRAM] = "SOCK_DGRAM", [SOCK_RAW] = "SOCK_RAW",
	[SOCK_RDM] = "SOCK_RDM", [SOCK_SEQPACKET] = "SOCK_SEQPACKET", [SOCK_DCCP] = "SOCK_DCCP",
	[SOCK_PACKET] = "SOCK_PACKET",
};

/* Appending to a fixed buffer; output past the end is cut, never overflows. */
struct out {
	char *buf;
	size_t len, off;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->off >= o->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off = o->off + (size_t)n < o->len ? o->off + (size_t)n : o->len - 1;
}

static void put_bits(struct out *o, uint64_t v, const struct bits *t, bool any)
{
	for (size_t i = 0; t[i].name && v; i++) {
		if ((v & t[i].v) == t[i].v) {
			put(o, "%s%s", any ? "|" : "", t[i].name);
			v &= ~t[i].v;
			any = true;
		}
	}
	if (v || !any)
		put(o, "%s%#" PRIx64, any ? "|" : "", v);
}

static void put_quoted(struct out *o, const char *s, bool cut)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c == '\n')
			put(o, "\\n");
		else if (c < 0x20 || c >= 0x7f)
			put(o, "\\x%02x", c);
		else
			put(o, "%c", c);
	}
	put(o, cut ? "\"..." : "\"");
}

static void put_string_arg(struct out *o, uint64_t addr, sc_read_path_fn read_path, void *ud)
{
	char s[512];
	if (addr == 0) {
		put(o, "NULL");
		return;
	}
	int r = read_path ? read_path(ud, addr, s, sizeof(s)) : -ENOSYS;
	if (r < 0) {
		put(o, "%#" PRIx64, addr);
		return;
	}
	put_quoted(o, s, r > 0);
}

static void put_name(struct out *o, const char *name, uint32_t u)
{
	if (name)
		put(o, "%s", name);
	else
		put(o, "%#" PRIx32, u);
}

/* fcntl's third argument, as the command reads it */
static void put_fcntl_arg(struct out *o, uint32_t arch, uint32_t cmd, uint64_t v)
{
	const char *name = sc_fcntl_name(arch, cmd);
	uint32_t u = (uint32_t)v;
	if (name && !strcmp(name, "F_SETFL"))
		put_bits(o, u, oflags, false);
	else if (name && !strcmp(name, "F_SETFD") && u == FD_CLOEXEC)
		put(o, "FD_CLOEXEC");
	else if (name && (!strcmp(name, "F_DUPFD") || !strcmp(name, "F_DUPFD_CLOEXEC") ||
			  !strcmp(name, "F_SETFD") || !strcmp(name, "F_SETOWN") ||
			  !strcmp(name, "F_SETSIG") || !strcmp(name, "F_SETPIPE_SZ")))
		put(o, "%" PRId32, (int32_t)u);
	else
		put(o, "%#" PRIx64, v);   /* a pointer, or what the command does not read */
}

static void put_arg(struct out *o, enum kind k, const uint64_t *args, unsigned at, uint32_t arch,
		    const char *call, sc_read_path_fn read_path, void *ud)
{
	uint64_t v = args[at];
	int32_t i = (int32_t)(uint32_t)v;
	uint32_t u = (uint32_t)v;
	switch (k) {
	case K_IOCTL: {
		char text[96];
		sc_ioctl_text(arch, u, text, sizeof(text));
		put(o, "%s", text);
		break;
	}
	case K_FCNTL:
		put_name(o, sc_fcntl_name(arch, u), u);
		break;
	case K_FCNTL_ARG:
		put_fcntl_arg(o, arch, (uint32_t)args[at - 1], v);
		break;
	case K_SOCKLEVEL:
		put_name(o, sc_sockopt_level_name(arch, u), u);
		break;
	case K_SOCKOPT:
		put_name(o, sc_sockopt_name(arch, (uint32_t)args[at - 1], u), u);
		break;
	case K_INT:
		put(o, "%" PRId32, i);
		break;
	case K_UID:
		put(o, "%" PRId32, i);
		break;
	case K_FD:
		if (i == AT_FDCWD)
			put(o, "AT_FDCWD");
		else
			put(o, "%" PRId32, i);
		break;
	case K_PATH:
	case K_STR:
		put_string_arg(o, v, read_path, ud);
		break;
	case K_OFLAGS: {
		static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
		put(o, "%s", acc[u & O_ACCMODE]);
		if (u & ~(uint32_t)O_ACCMODE)
			put_bits(o, u & ~(uint32_t)O_ACCMODE, oflags, true);
		break;
	}
	case K_MODE:
	case K_OCT:
		put(o, u ? "0%" PRIo32 : "%" PRIo32, u);
		break;
	case K_FMODE: {
		static const struct { uint32_t v; const char *n; } types[] = {
			{ S_IFREG, "S_IFREG" }, { S_IFCHR, "S_IFCHR" }, { S_IFBLK, "S_IFBLK" },
			{ S_IFIFO, "S_IFIFO" }, { S_IFSOCK, "S_IFSOCK" },
		};
		bool named = false;
		for (size_t t = 0; t < SC_ARRAY_SIZE(types); t++)
			if ((u & S_IFMT) == types[t].v) {
				put(o, "%s|0%" PRIo32, types[t].n, u & ~(uint32_t)S_IFMT);
				named = true;
			}
		if (!named)
			put(o, "0%" PRIo32, u);
		break;
	}
	case K_AF:
		if (u < SC_ARRAY_SIZE(families) && families[u])
			put(o, "%s", families[u]);
		else
			put(o, "%" PRIu32, u);
		break;
	case K_SOCKTYPE: {
		uint32_t t = u & 0xf;
		if (t < SC_ARRAY_SIZE(socktypes) && socktypes[t])
			put(o, "%s", socktypes[t]);
		else
			put(o, "%" PRIu32, t);
		if (u & SOCK_NONBLOCK)
			put(o, "|SOCK_NONBLOCK");
		if (u & SOCK_CLOEXEC)
			put(o, "|SOCK_CLOEXEC");
		if (u & ~(0xfu | SOCK_NONBLOCK | SOCK_CLOEXEC))
			put(o, "|%#" PRIx32, u & ~(0xfu | SOCK_NONBLOCK | SOCK_CLOEXEC));
		break;
	}
	case K_CLONE: {
		/* clone carries the exit signal in its low byte; setns and unshare do not */
		uint64_t sig = strcmp(call, "clone") == 0 ? (v & 0xff) : 0;
		uint64_t rest = v & ~sig;
		bool any = false;
		if (rest) {
			put_bits(o, rest, cloneflags, false);
			any = true;
		}
		if (sig) {
			const char *n = sc_signal_name((int)sig);
			if (n)
				put(o, "%sSIG%s", any ? "|" : "", n);
			else
				put(o, "%s%" PRIu64, any ? "|" : "", sig);
			any = true;
		}
		if (!any)
			put(o, "0");
		break;
	}
	case K_SIG: {
		const char *n = sc_signal_name(i);
		if (n)
			put(o, "SIG%s", n);
		else
			put(o, "%" PRId32, i);
		break;
	}
	case K_ATFLAGS: {
		bool any = false;
		if (u & 0x200) {
			put(o, "%s", strcmp(call, "unlinkat") == 0 ? "AT_REMOVEDIR" : "AT_EACCESS");
			u &= ~0x200u;
			any = true;
		}
		if (u || !any)
			put_bits(o, u, atflags, any);
		break;
	}
	case K_MOUNT:
		put_bits(o, v & 0xffffffffu, mountflags, false);
		break;
	case K_UMOUNT:
		put_bits(o, u, umountflags, false);
		break;
	case K_HEX:
	default:
		put(o, "%#" PRIx64, v);
		break;
	}
}

void sc_decode_args(uint32_t arch, const char *syscall, const uint64_t args[6],
		    sc_read_path_fn read_path, void *ud, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	if (len)
		buf[0] = '\0';
	const struct call_shape *sh = NULL;
	for (size_t i = 0; i < SC_ARRAY_SIZE(shapes); i++)
		if (!strcmp(shapes[i].name, syscall)) {
			sh = &shapes[i];
			break;
		}
	if (!sh) {
		/* the kernel does not say how many arguments a call takes: show all six registers */
		for (unsigned i = 0; i < 6; i++)
			put(&o, "%s%#" PRIx64, i ? ", " : "", args[i]);
		return;
	}
	for (unsigned i = 0; i < sh->n; i++) {
		if (i)
			put(&o, ", ");
		put_arg(&o, (enum kind)sh->kind[i], args, i, arch, syscall, read_path, ud);
	}
}
