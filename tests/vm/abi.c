/* A probe built three times (gcc -static -m32, -mx32, -m64): it makes the
 * system calls named on its command line through its own ABI's entry point
 * and prints, one line each, "NAME RET ERRNO".  The arguments are chosen so
 * that an allowed call does nothing lasting (bad pointers give EFAULT, no
 * such process ESRCH), so the line says whether the filter let it through.
 *
 *   abi-32 info | getpid | keyctl | chown32 ...
 *
 * "info" prints the ABI the program was built for; the 64-bit build also
 * knows int80-getpid, int80-keyctl (int $0x80 from a 64-bit program) and
 * x32-getpid, x32-keyctl (the x32 bit on the syscall instruction). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__i386__)
#define ABI "i386"
#elif defined(__ILP32__)
#define ABI "x32"
#else
#define ABI "x86_64"
#endif

#ifndef SYS_clone3
#define SYS_clone3 (SYS_statx - 332 + 435)
#endif

struct call {
	const char *name;
	long nr;
	long long a[6];
};

/* One table for every ABI: the numbers come from the ABI's own headers. */
static const struct call calls[] = {
	{ "getpid", SYS_getpid, { 0 } },
	/* keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) */
	{ "keyctl", SYS_keyctl, { 0, -3, 0 } },
	/* socket(AF_UNIX, SOCK_STREAM, 0) and socket(AF_VSOCK, ...) */
	{ "socket-unix", SYS_socket, { 1, 1, 0 } },
	{ "socket-vsock", SYS_socket, { 40, 1, 0 } },
	{ "personality-query", SYS_personality, { 0xffffffff } },
	{ "personality-linux32", SYS_personality, { 0x8 } },
	/* PER_LINUX | ADDR_NO_RANDOMIZE: not in Docker's list */
	{ "personality-other", SYS_personality, { 0x0040000 } },
	{ "clone3", SYS_clone3, { 0, 0 } },
	{ "chmod", SYS_chmod, { 0, 0 } },
	{ "fchmodat", SYS_fchmodat, { -100, 0, 0 } },
	/* ptrace(PTRACE_CONT, pid 0): no such tracee */
	{ "ptrace", SYS_ptrace, { 7, 0, 0, 0 } },
	/* unshare(0) does nothing when allowed */
	{ "unshare", SYS_unshare, { 0 } },
	{ "statx", SYS_statx, { -100, 0, 0, 0, 0 } },
	{ "io_uring_setup", SYS_io_uring_setup, { 1, 0 } },
	{ "chown", SYS_chown, { 0, 0, 0 } },
#ifdef SYS_chown32
	{ "chown32", SYS_chown32, { 0, 0, 0 } },
#endif
	/* a number no kernel has yet */
	{ "999", 999, { 0 } },
};

/* The call with the table's values as the registers hold them: 64-bit
 * registers on x86_64 and x32 (whose syscall() would pass 32-bit longs with
 * the upper halves left to the compiler), 32-bit ones on i386. */
static long long raw(long nr, const long long *a)
{
#if defined(__x86_64__)
	long long ret;
	register long long r10 __asm__("r10") = a[3];
	register long long r8 __asm__("r8") = a[4];
	register long long r9 __asm__("r9") = a[5];
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long long)nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
#else
	return syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
#endif
}

#if defined(__x86_64__) && !defined(__ILP32__)
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static long x32(long nr, long a, long b, long c)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr | 0x40000000L), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static int special(const char *name)
{
	long r;
	if (!strcmp(name, "int80-getpid"))
		r = int80(20, 0, 0, 0);
	else if (!strcmp(name, "int80-keyctl"))
		r = int80(288, 0, -3, 0);
	else if (!strcmp(name, "x32-getpid"))
		r = x32(39, 0, 0, 0);
	else if (!strcmp(name, "x32-keyctl"))
		r = x32(250, 0, -3, 0);
	else
		return 0;
	if (r < 0 && r > -4096)
		printf("%s -1 %ld\n", name, -r);
	else
		printf("%s %ld 0\n", name, r);
	return 1;
}
#else
static int special(const char *name)
{
	(void)name;
	return 0;
}
#endif

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i];
		if (!strcmp(name, "info")) {
			printf("%s sizeof(long)=%zu pid=%ld\n", ABI, sizeof(long), (long)getpid());
			continue;
		}
		if (special(name))
			continue;
		size_t k;
		for (k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
			if (!strcmp(calls[k].name, name))
				break;
		if (k == sizeof(calls) / sizeof(calls[0])) {
			printf("%s unknown-on-%s\n", name, ABI);
			continue;
		}
		errno = 0;
		long long r = raw(calls[k].nr, calls[k].a);
		printf("%s %lld %d\n", name, r < 0 ? -1LL : r, r < 0 ? errno : 0);
	}
	return 0;
}
