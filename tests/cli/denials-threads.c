/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * threads N: N threads each print "TID MODE" and chmod /tmp to MODE
 * (0701, 0702, ...), one after the other; exits 0 when every chmod
 * failed with EPERM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *one(void *arg)
{
	long i = (long)arg;
	mode_t mode = (mode_t)(0700 + i + 1);
	pthread_mutex_lock(&lock);
	printf("%ld 0%o\n", (long)syscall(SYS_gettid), (unsigned)mode);
	fflush(stdout);
	long bad = chmod("/tmp", mode) == 0 || errno != EPERM;
	pthread_mutex_unlock(&lock);
	return (void *)bad;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	if (n < 1 || n > 7)
		return 2;
	pthread_t t[7];
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, one, (void *)i))
			return 3;
	int bad = 0;
	for (int i = 0; i < n; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r != 0;
	}
	return bad;
}
