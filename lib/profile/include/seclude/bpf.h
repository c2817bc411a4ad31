/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_BPF_H
#define SECLUDE_BPF_H

#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"

/*
 * A simulator for seccomp classic BPF: runs a program on a seccomp_data
 * exactly as the kernel would, so tests and "explain" state what the
 * compiled filter does without loading it.
 */
struct sc_sim_result {
	uint32_t ret;         /* the SECCOMP_RET_* value the program returned */
	size_t executed;      /* instructions executed */
};

/* Check prog (sc_bpf_validate) and run it on data: safe for any program. */
int sc_bpf_run(const struct sc_bpf *prog, const struct seccomp_data *data,
	       struct sc_sim_result *res, struct sc_error *err);

/*
 * A program checked once, for callers that run the same program many
 * times (diff, the notification supervisor): sc_bpf_checked_run does not
 * check it again and cannot fail.  The handle holds its own copy of the
 * instructions, so nothing done to the caller's program afterwards can
 * make a run unsafe.
 */
struct sc_bpf_checked;
int sc_bpf_check(const struct sc_bpf *prog, struct sc_bpf_checked **out, struct sc_error *err);
void sc_bpf_checked_run(const struct sc_bpf_checked *c, const struct seccomp_data *data,
			struct sc_sim_result *res);
void sc_bpf_checked_free(struct sc_bpf_checked *c);

/* Check a program the way the kernel's seccomp_check_filter does. */
int sc_bpf_validate(const struct sc_bpf *prog, struct sc_error *err);

/* Decode a return value: "ALLOW", "ERRNO 1 (EPERM)", "KILL_PROCESS", "TRACE 5"... */
void sc_ret_describe(uint32_t ret, char *buf, size_t len);

/* A readable listing, one instruction a line. */
int sc_bpf_disasm(const struct sc_bpf *prog, FILE *out);

#endif
