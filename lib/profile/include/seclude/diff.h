/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_DIFF_H
#define SECLUDE_DIFF_H

/*
 * Compare what two compiled filters do, syscall by syscall and
 * architecture by architecture, by running both in the simulator.  Where
 * a verdict depends on arguments, the arguments probed are built from the
 * conditions both profiles put on that syscall (each value, its
 * neighbours, masked values, 0), so a difference that only some argument
 * vectors see is found and described by its condition.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/profile.h"

/* One part of a syscall's argument space where the two filters disagree. */
struct sc_diff_case {
	char *cond;           /* "arg0 == 38", "arg0 & 0x7e020000 != 0"; NULL: whatever the arguments */
	uint32_t ret_a, ret_b;
};

struct sc_diff_entry {
	uint32_t arch;        /* SCMP_ARCH_* */
	uint32_t nr_first;    /* the number as the filter sees it (x32 numbers carry bit 30) */
	uint32_t nr_last;     /* == nr_first except for a run of numbers libseccomp has no name for */
	char *name;           /* NULL for such a run */
	struct sc_diff_case *cases;
	size_t n_cases;
};

struct sc_diff {
	uint32_t *arches;     /* compared, in output order */
	size_t n_arches;
	struct sc_diff_entry *v;   /* sorted: arch name, then named syscalls by name, then runs by number */
	size_t n;
	uint32_t scan_last;   /* numbers 0..scan_last were compared on each arch (plus bit 30 on x32) */
};

/* One side of a comparison: the resolved policy (for its conditions) and its program. */
struct sc_diff_side {
	const struct sc_policy *pol;
	const struct sc_bpf *prog;
};

/*
 * Compare a and b.  only/n_only restrict the architectures; by default
 * they are those of either policy (the native one and its
 * sub-architectures), each once.
 */
int sc_diff_compute(const struct sc_diff_side *a, const struct sc_diff_side *b,
		    const uint32_t *only, size_t n_only, struct sc_diff *out,
		    struct sc_error *err);

/* Resolve both profiles for t, compile them, and compare. */
int sc_diff_profiles(const struct sc_profile *a, const struct sc_profile *b,
		     const struct sc_target *t, const uint32_t *only, size_t n_only,
		     struct sc_diff *out, struct sc_diags *diags, struct sc_error *err);

/*
 * The diff of two profile files (or "default"), each read, parsed with
 * popts, resolved for t and compiled (through the cache): what seclude
 * diff compares.  Each side's warnings in its diags; an error names the
 * file it is about.
 */
int sc_diff_files(const char *path_a, const char *path_b, const struct sc_parse_opts *popts,
		  const struct sc_target *t, const uint32_t *only, size_t n_only,
		  struct sc_diff *out, struct sc_diags *diags_a, struct sc_diags *diags_b,
		  struct sc_error *err);

void sc_diff_free(struct sc_diff *d);

/* Numbers scanned on each arch: every named syscall is below this. */
#define SC_DIFF_SCAN_LAST 1023u

/*
 * What seclude diff prints: one line per difference ("x86_64 ptrace: A
 * errno 1 (EPERM), B allow"), or one JSON object naming the two sides
 * pa and pb (a new reference).
 */
void sc_diff_write_text(FILE *out, const struct sc_diff *d);
json_t *sc_diff_to_json(const struct sc_diff *d, const char *pa, const char *pb);

#endif
