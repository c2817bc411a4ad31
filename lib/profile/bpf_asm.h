/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_LIB_BPF_ASM_H
#define SECLUDE_LIB_BPF_ASM_H

/*
 * A small classic-BPF assembler with forward labels, for the code seclude
 * writes itself (the ENOSYS prologue).  Conditional jumps reach at most
 * 255 instructions; one whose target lies further is emitted as a
 * conditional jump over two unconditional ones ("ja" has 32 bits).
 */
#include <stdint.h>
#include <stddef.h>

#include "seclude/compile.h"

#define SC_ASM_NEXT (-1)   /* target: the following instruction */

struct sc_asm_item {
	uint16_t code;
	uint32_t k;
	int jt, jf;         /* label ids (conditional jumps; jt alone for ja) */
	int label;          /* >= 0: this item only defines label <label> here */
};

struct sc_asm {
	struct sc_asm_item *v;
	size_t n, cap;
	int n_labels;
	int oom;
};

int sc_asm_label_new(struct sc_asm *a);
void sc_asm_label_here(struct sc_asm *a, int label);
void sc_asm_stmt(struct sc_asm *a, uint16_t code, uint32_t k);
void sc_asm_jump(struct sc_asm *a, uint16_t code, uint32_t k, int jt, int jf);
void sc_asm_ja(struct sc_asm *a, int target);
/* Lay out and emit; out->insns is malloc'd. */
int sc_asm_finish(struct sc_asm *a, struct sc_bpf *out, struct sc_error *err);
void sc_asm_free(struct sc_asm *a);

#endif
