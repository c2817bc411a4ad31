/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_EXPLAIN_H
#define SECLUDE_EXPLAIN_H

/*
 * What a compiled filter does with one call, and why.  The verdict comes
 * from running the program in the simulator, so it is the filter's truth;
 * the reason is found afterwards in the policy: the rule for that syscall
 * whose conditions hold and whose action is the verdict, else the default
 * action, else the ENOSYS prologue.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/profile.h"

enum sc_explain_source {
	SC_EXPLAIN_RULE,         /* a rule of the profile */
	SC_EXPLAIN_REWRITE,      /* a rule for a socket/ipc call, rewritten by libseccomp onto socketcall/ipc */
	SC_EXPLAIN_DEFAULT,      /* defaultAction */
	SC_EXPLAIN_ENOSYS,       /* the prologue: newer than anything the profile names */
	SC_EXPLAIN_BAD_ARCH,     /* an architecture the filter does not cover */
	SC_EXPLAIN_UNKNOWN,      /* the program says so, nothing in the policy does */
};

struct sc_explain {
	uint32_t ret;            /* the verdict (SECCOMP_RET_*) */
	size_t executed;         /* instructions the filter ran */
	uint32_t arch;           /* SCMP_ARCH_* asked about */
	int nr;                  /* syscall number on that arch (x32: with bit 30) */
	char name[64];           /* its name there, "" when it has none */
	uint64_t args[6];        /* as the filter saw them (i386: low 32 bits) */
	enum sc_explain_source source;
	const struct sc_policy_rule *rule;   /* RULE and REWRITE */
	int max_nr;              /* ENOSYS: the highest number the profile names there */
};

/*
 * The number of a syscall name on arch, also for calls libseccomp marks
 * as multiplexed there but which have their own number too (socket() on
 * i386 is 359); negative when the arch has no such call.
 */
int sc_syscall_nr(uint32_t arch, const char *name);
/*
 * What explain takes as a syscall: a name, or a number (with x32's bit
 * added on x32).  *nr, or -EINVAL / -ERANGE with err saying why.
 */
int sc_explain_syscall(uint32_t arch, const char *sys, int *nr, struct sc_error *err);
/* An argument value: decimal, 0x hex, or -N (as the kernel sees -N: two's complement). */
int sc_explain_parse_arg(const char *s, uint64_t *out);

int sc_explain_call(const struct sc_policy *pol, const struct sc_bpf *prog, uint32_t arch, int nr,
		    const uint64_t args[6], struct sc_explain *out, struct sc_error *err);

/*
 * An explanation as seclude explain shows it: lines for people into out
 * (the verdict, the call, the rule and JSON place that made it, the
 * conditions, the filter's size), or one JSON object (a new reference).
 * The terminal injection guard's verdict comes first where it decides.
 */
void sc_explain_write_text(FILE *out, const struct sc_policy *pol, const struct sc_bpf *b,
			   const struct sc_explain *x);
json_t *sc_explain_to_json(const struct sc_policy *pol, const struct sc_bpf *b, const struct sc_explain *x);
/* "x86_64", "i386", "aarch64"...; "?" when unknown. */
const char *sc_explain_arch_label(uint32_t arch);

/* Whether condition a holds for the argument value v on arch (32-bit arches compare low words). */
bool sc_arg_matches(const struct sc_arg *a, uint64_t v, uint32_t arch);

#endif
