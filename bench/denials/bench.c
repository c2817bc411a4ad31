/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What reporting costs.  The same workload runs in a sandbox under
 * Docker's default profile, with reporting off (the compiled program P)
 * and on (P' with the monitor attached), alternating, and the medians
 * of the start-to-exit times are compared:
 *
 *   allowed N   N rounds of getppid/fstat/lseek: calls the profile allows
 *               (they must cost the same: P' walks the same instructions)
 *   denied N    N calls the profile refuses (the price of one report each)
 *
 * Usage: seclude-bench-denials [ROUNDS [REPEATS]]
 * Timing lives here and nowhere in the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "seclude/caps.h"
#include "seclude/compile.h"
#include "seclude/notify.h"
#include "seclude/profile.h"
#include "seclude/sandbox.h"

static int workload(const char *what, long n)
{
	if (!strcmp(what, "allowed")) {
		struct stat st;
		for (long i = 0; i < n; i++) {
			syscall(SYS_getppid);
			syscall(SYS_fstat, 0, &st);
			syscall(SYS_lseek, 0, 0, SEEK_CUR);
		}
		return 0;
	}
	if (!strcmp(what, "denied")) {
		/* the default profile refuses acct with EPERM without CAP_SYS_PACCT */
		for (long i = 0; i < n; i++)
			if (syscall(SYS_acct, NULL) != -1 || errno != EPERM)
				return 1;
		return 0;
	}
	return 2;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void discard(void *ud, const struct sc_denial *d)
{
	(void)d;
	++*(long *)ud;
}

struct setup {
	struct sc_profile *prof;
	struct sc_policy *pol;
	struct sc_bpf prog, rewritten;
};

static double run_once(const struct setup *s, char *self, const char *what, const char *n,
		       bool report, long *reports)
{
	char *argv[] = { self, (char *)what, (char *)n, NULL };
	struct sc_sandbox_config c = {
		.argv = argv, .namespaces = SC_NS_DOCKER, .caps = sc_caps_docker_default(),
		.bpf = report ? &s->rewritten : &s->prog, .want_listener = report,
		.seccomp_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	};
	struct sc_error err = {0};
	struct sc_monitor *sup = NULL;
	if (report) {
		struct sc_monitor_opts o = { .prog = &s->prog, .policy = s->pol, .mode = SC_DENIAL_ENFORCE,
						.decode_args = true, .report = discard, .ud = reports };
		if (sc_monitor_new(&o, &sup, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			exit(1);
		}
		sc_monitor_hooks(sup, &c.hooks);
	}
	int code;
	double t0 = now();
	int r = sc_sandbox_run(&c, &code, &err);
	if (report)
		sc_monitor_finish(sup, code, &err);
	double t = now() - t0;
	sc_monitor_free(sup);
	if (r < 0 || code != 0) {
		fprintf(stderr, "%s: exit %d %s\n", what, code, err.msg);
		exit(1);
	}
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && (!strcmp(argv[1], "allowed") || !strcmp(argv[1], "denied")))
		return workload(argv[1], atol(argv[2]));
	long rounds = argc > 1 ? atol(argv[1]) : 1000000;
	int repeats = argc > 2 ? atoi(argv[2]) : 7;
	if (rounds <= 0 || repeats <= 0 || repeats > 101) {
		fprintf(stderr, "usage: %s [ROUNDS [REPEATS]]\n", argv[0]);
		return 2;
	}
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';

	struct setup s = {0};
	struct sc_error err = {0};
	struct sc_target t;
	size_t tlen;
	const char *text = sc_default_profile_text(&tlen);
	if (sc_target_host(&t, &err) < 0 ||
	    sc_profile_parse(text, tlen, "default", NULL, &s.prof, NULL, &err) < 0 ||
	    sc_profile_resolve(s.prof, &t, &s.pol, NULL, &err) < 0 ||
	    sc_policy_compile(s.pol, NULL, &s.prog, &err) < 0 ||
	    sc_bpf_rewrite_notify(&s.prog, SC_DENIAL_ENFORCE, &s.rewritten, NULL, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}

	char n[32];
	snprintf(n, sizeof(n), "%ld", rounds);
	double off[101], on[101];
	long reports = 0;
	/* one warm-up each, then alternate so drift hits both sides alike */
	run_once(&s, self, "allowed", n, false, &reports);
	run_once(&s, self, "allowed", n, true, &reports);
	for (int i = 0; i < repeats; i++) {
		off[i] = run_once(&s, self, "allowed", n, false, &reports);
		on[i] = run_once(&s, self, "allowed", n, true, &reports);
	}
	if (reports) {
		fprintf(stderr, "the allowed workload was reported %ld times\n", reports);
		return 1;
	}
	double moff = median(off, repeats), mon = median(on, repeats);
	printf("allowed: %ld rounds x 3 calls, %d runs each, median start-to-exit\n", rounds, repeats);
	printf("  reporting off  %8.1f ms\n", moff * 1e3);
	printf("  reporting on   %8.1f ms\n", mon * 1e3);
	printf("  ratio on/off   %8.3f\n", mon / moff);

	long denied = rounds / 100 > 0 ? rounds / 100 : 1;
	snprintf(n, sizeof(n), "%ld", denied);
	for (int i = 0; i < repeats; i++) {
		off[i] = run_once(&s, self, "denied", n, false, &reports);
		reports = 0;
		on[i] = run_once(&s, self, "denied", n, true, &reports);
		if (reports != denied) {
			fprintf(stderr, "%ld refusals, %ld reports\n", denied, reports);
			return 1;
		}
	}
	moff = median(off, repeats);
	mon = median(on, repeats);
	printf("denied: %ld refused calls, %d runs each\n", denied, repeats);
	printf("  reporting off  %8.1f ms\n", moff * 1e3);
	printf("  reporting on   %8.1f ms  (%.1f us per reported call)\n", mon * 1e3,
	       (mon - moff) * 1e6 / (double)denied);

	sc_bpf_free(&s.rewritten);
	sc_bpf_free(&s.prog);
	sc_policy_free(s.pol);
	sc_profile_free(s.prof);
	return 0;
}
