/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The compiler's figures for Docker's default profile on this machine:
 * time to parse, resolve and compile it cold, time for a cache hit, and
 * the BPF instructions the compiled filter executes for a few calls
 * (allowed, argument-checked, denied, newer than the profile), counted by
 * the simulator.
 *
 *   seclude-bench-compile [ROUNDS]
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seclude/bpf.h"
#include "seclude/caps.h"
#include "seclude/compile.h"
#include "seclude/explain.h"
#include "seclude/profile.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%-34s median %10.1f us   min %10.1f us   p90 %10.1f us   (%d rounds)\n", what, v[n / 2], v[0],
	       v[n * 9 / 10], n);
}

static void die(const char *what, const struct sc_error *err)
{
	fprintf(stderr, "bench: %s: %s\n", what, err->msg);
	exit(1);
}

struct call {
	const char *label;
	uint32_t arch;
	const char *name;
	int nr;
	uint64_t a0;
};

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 30;
	if (rounds < 3)
		rounds = 3;
	size_t len;
	const char *text = sc_default_profile_text(&len);
	struct sc_target t;
	struct sc_error err = {0};
	if (sc_target_host(&t, &err) < 0)
		die("target", &err);
	t.caps = sc_caps_docker_default();

	double *parse = calloc((size_t)rounds, sizeof(double));
	double *resolve = calloc((size_t)rounds, sizeof(double));
	double *compile = calloc((size_t)rounds, sizeof(double));
	double *cold = calloc((size_t)rounds, sizeof(double));
	double *hit = calloc((size_t)rounds * 10, sizeof(double));
	size_t insns = 0;

	for (int i = 0; i < rounds; i++) {
		struct sc_profile *p = NULL;
		struct sc_policy *pol = NULL;
		struct sc_bpf b = {0};
		double t0 = now_us();
		if (sc_profile_parse(text, len, "default", NULL, &p, NULL, &err) < 0)
			die("parse", &err);
		double t1 = now_us();
		if (sc_profile_resolve(p, &t, &pol, NULL, &err) < 0)
			die("resolve", &err);
		double t2 = now_us();
		if (sc_policy_compile(pol, NULL, &b, &err) < 0)
			die("compile", &err);
		double t3 = now_us();
		parse[i] = t1 - t0;
		resolve[i] = t2 - t1;
		compile[i] = t3 - t2;
		cold[i] = t3 - t0;
		insns = b.len;
		sc_bpf_free(&b);
		sc_policy_free(pol);
		sc_profile_free(p);
	}

	char dir[] = "/tmp/seclude-bench-cache.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	struct sc_bpf b = {0};
	bool was_hit;
	if (sc_compile_text(text, len, "default", &t, NULL, dir, &b, &was_hit, NULL, &err) < 0)
		die("compile_text", &err);
	sc_bpf_free(&b);
	for (int i = 0; i < rounds * 10; i++) {
		double t0 = now_us();
		if (sc_compile_text(text, len, "default", &t, NULL, dir, &b, &was_hit, NULL, &err) < 0)
			die("compile_text", &err);
		hit[i] = now_us() - t0;
		if (!was_hit) {
			fprintf(stderr, "bench: expected a cache hit\n");
			return 1;
		}
		sc_bpf_free(&b);
	}
	double *hit_diags = calloc((size_t)rounds * 10, sizeof(double));
	for (int i = 0; i < rounds * 10; i++) {
		struct sc_diags d = {0};
		double t0 = now_us();
		if (sc_compile_text(text, len, "default", &t, NULL, dir, &b, &was_hit, &d, &err) < 0)
			die("compile_text", &err);
		hit_diags[i] = now_us() - t0;
		sc_diags_free(&d);
		sc_bpf_free(&b);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", dir);

	printf("Docker's default profile (%zu bytes), caps: Docker's default set, kernel %u.%u, libseccomp %u.%u.%u\n",
	       len, t.kernel_major, t.kernel_minor, seccomp_version()->major, seccomp_version()->minor,
	       seccomp_version()->micro);
	printf("compiled program: %zu instructions\n\n", insns);
	report("parse", parse, rounds);
	report("resolve", resolve, rounds);
	report("compile (libseccomp + prologue)", compile, rounds);
	report("cold: parse+resolve+compile", cold, rounds);
	report("cache hit (sc_compile_text)", hit, rounds * 10);
	report("cache hit, warnings re-read", hit_diags, rounds * 10);
	qsort(cold, (size_t)rounds, sizeof(double), cmp_double);
	qsort(hit, (size_t)rounds * 10, sizeof(double), cmp_double);
	printf("cold / hit (medians): %.0fx\n\n", cold[rounds / 2] / hit[rounds * 5]);

	/* instructions executed, with and without the ENOSYS prologue */
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	struct sc_bpf with = {0}, without = {0};
	struct sc_compile_opts nostub = { .no_enosys_stub = true };
	if (sc_profile_parse(text, len, "default", NULL, &p, NULL, &err) < 0 ||
	    sc_profile_resolve(p, &t, &pol, NULL, &err) < 0 || sc_policy_compile(pol, NULL, &with, &err) < 0 ||
	    sc_policy_compile(pol, &nostub, &without, &err) < 0)
		die("compile", &err);
	const struct call calls[] = {
		{ "allowed", SCMP_ARCH_X86_64, "read", 0, 0 },
		{ "allowed", SCMP_ARCH_X86_64, "futex", 0, 0 },
		{ "allowed", SCMP_ARCH_X86_64, "chmod", 0, 0 },
		{ "argument-checked, allowed", SCMP_ARCH_X86_64, "socket", 0, 2 },
		{ "argument-checked, denied", SCMP_ARCH_X86_64, "socket", 0, 38 },
		{ "argument-checked, allowed", SCMP_ARCH_X86_64, "personality", 0, 0xffffffff },
		{ "argument-checked, denied", SCMP_ARCH_X86_64, "clone", 0, 0x10000000 },
		{ "denied (default)", SCMP_ARCH_X86_64, "mount", 0, 0 },
		{ "denied (rule: ENOSYS)", SCMP_ARCH_X86_64, "clone3", 0, 0 },
		{ "newer than the profile", SCMP_ARCH_X86_64, NULL, 460, 0 },
		{ "allowed", SCMP_ARCH_X86, "read", 0, 0 },
		{ "argument-checked, denied", SCMP_ARCH_X86, "socket", 0, 38 },
		{ "denied (default)", SCMP_ARCH_X86, "mount", 0, 0 },
		{ "allowed", SCMP_ARCH_X32, "read", 0, 0 },
		{ "denied (default)", SCMP_ARCH_X32, "mount", 0, 0 },
	};
	printf("%-6s %-12s %-10s %-28s %-18s %9s %9s\n", "arch", "syscall", "arg0", "kind", "verdict",
	       "executed", "no-stub");
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		int nr = c->name ? sc_syscall_nr(c->arch, c->name) : c->nr;
		uint64_t args[6] = { c->a0 };
		struct sc_explain x, y;
		if (sc_explain_call(pol, &with, c->arch, nr, args, &x, &err) < 0 ||
		    sc_explain_call(pol, &without, c->arch, nr, args, &y, &err) < 0)
			die("simulate", &err);
		char v[64], a0[24];
		sc_ret_describe(x.ret, v, sizeof(v));
		snprintf(a0, sizeof(a0), "%#llx", (unsigned long long)c->a0);
		printf("%-6s %-12s %-10s %-28s %-18s %9zu %9zu\n",
		       c->arch == SCMP_ARCH_X86 ? "i386" : c->arch == SCMP_ARCH_X32 ? "x32" : "x86_64",
		       c->name ? c->name : "(460)", a0, c->label, v, x.executed, y.executed);
	}
	sc_bpf_free(&with);
	sc_bpf_free(&without);
	sc_policy_free(pol);
	sc_profile_free(p);
	free(parse);
	free(resolve);
	free(compile);
	free(cold);
	free(hit);
	free(hit_diags);
	return 0;
}
