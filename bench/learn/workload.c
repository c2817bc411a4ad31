/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic workloads for the learn tests and benchmark: each mode makes
 * the same set of syscalls on every run, so two recorders (or a recorder
 * and strace) can be compared name for name.
 *
 *   threads N      N threads, each with a syscall no other thread makes
 *   chain          fork -> /bin/sh -c "exec SELF leaf" -> leaf: a grandchild exec
 *   leaf           a few syscalls of its own (getpgrp, getsid, sysinfo)
 *   loop N         N rounds of open/read/fstat/close/getppid: syscall-heavy
 *   bench N        the same, then the nanoseconds per round on stdout
 *   linger         make a few calls, then sleep until killed
 *   args           calls whose arguments --args records: socket, prctl, ioctl
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One distinctive call per thread, by index. */
static void *thread_main(void *arg)
{
	long i = (long)arg;
	switch (i % 8) {
	case 0: { char b[256]; syscall(SYS_getcwd, b, sizeof(b)); break; }
	case 1: { struct sysinfo si; syscall(SYS_sysinfo, &si); break; }
	case 2: { struct tms t; syscall(SYS_times, &t); break; }
	case 3: { struct rusage ru; syscall(SYS_getrusage, RUSAGE_THREAD, &ru); break; }
	case 4: syscall(SYS_sched_yield); break;
	case 5: { struct utsname u; syscall(SYS_uname, &u); break; }
	case 6: syscall(SYS_getppid); break;
	case 7: { cpu_set_t s; syscall(SYS_sched_getaffinity, 0, sizeof(s), &s); break; }
	}
	return NULL;
}

static int run_threads(int n)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, thread_main, (void *)i))
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	/* Whether join had to wait is a race; make futex part of every run. */
	int word = 0;
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	free(t);
	return 0;
}

static int run_chain(const char *self)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char cmd[4096];
		snprintf(cmd, sizeof(cmd), "exec '%s' leaf", self);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	/* and a vfork, for the other way to make a child */
	pid = vfork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int run_leaf(void)
{
	struct sysinfo si;
	syscall(SYS_getpgrp);
	syscall(SYS_getsid, 0);
	syscall(SYS_sysinfo, &si);
	return 0;
}

static int run_loop(long n)
{
	char buf[64];
	struct stat st;
	for (long i = 0; i < n; i++) {
		int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 1;
		if (read(fd, buf, sizeof(buf)) < 0 || fstat(fd, &st) < 0)
			return 1;
		close(fd);
		syscall(SYS_getppid);
	}
	return 0;
}

static int run_args(void)
{
	int a = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int b = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	prctl(PR_GET_DUMPABLE);
	int n;
	ioctl(a, FIONREAD, &n);
	close(a);
	close(b);
	close(c);
	return 0;
}

static int run_bench(long n)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int r = run_loop(n);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", ns / (double)n);
	return r;
}

static int run_linger(void)
{
	syscall(SYS_getppid);
	/* say we got here, then wait to be killed */
	if (write(1, "ready\n", 6) != 6)
		return 1;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s threads N | chain | leaf | loop N | bench N | args | linger\n", argv[0]);
		return 2;
	}
	const char *mode = argv[1];
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 8;
	if (!strcmp(mode, "threads"))
		return run_threads((int)n);
	if (!strcmp(mode, "chain"))
		return run_chain(argv[0][0] == '/' ? argv[0] : realpath(argv[0], NULL));
	if (!strcmp(mode, "leaf"))
		return run_leaf();
	if (!strcmp(mode, "loop"))
		return run_loop(n);
	if (!strcmp(mode, "bench"))
		return run_bench(n);
	if (!strcmp(mode, "args"))
		return run_args();
	if (!strcmp(mode, "linger"))
		return run_linger();
	fprintf(stderr, "unknown mode %s\n", mode);
	return 2;
}
