/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/profile/bpf_asm.h"
#include "seclude/util.h"

static struct sc_asm_item *push(struct sc_asm *a)
{
	if (SC_GROW(a->v, a->cap, a->n, 32) < 0) {
		a->oom = 1;
		return NULL;
	}
	struct sc_asm_item *it = &a->v[a->n++];
	*it = (struct sc_asm_item){ .jt = SC_ASM_NEXT, .jf = SC_ASM_NEXT, .label = -1 };
	return it;
}

int sc_asm_label_new(struct sc_asm *a)
{
	return a->n_labels++;
}

void sc_asm_label_here(struct sc_asm *a, int label)
{
	struct sc_asm_item *it = push(a);
	if (it)
		it->label = label;
}

void sc_asm_stmt(struct sc_asm *a, uint16_t code, uint32_t k)
{
	struct sc_asm_item *it = push(a);
	if (it) {
		it->code = code;
		it->k = k;
	}
}

void sc_asm_jump(struct sc_asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	struct sc_asm_item *it = push(a);
	if (it) {
		it->code = code;
		it->k = k;
		it->jt = jt;
		it->jf = jf;
	}
}

void sc_asm_ja(struct sc_asm *a, int target)
{
	sc_asm_jump(a, BPF_JMP | BPF_JA, 0, target, SC_ASM_NEXT);
}

static bool is_cond(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static size_t item_size(const struct sc_asm_item *it, bool longform)
{
	if (it->label >= 0)
		return 0;
	return longform ? 3 : 1;
}

int sc_asm_finish(struct sc_asm *a, struct sc_bpf *out, struct sc_error *err)
{
	if (a->oom)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_free_ bool *lng = calloc(a->n + 1, sizeof(*lng));
	_cleanup_free_ size_t *pos = calloc(a->n + 1, sizeof(*pos));
	_cleanup_free_ size_t *lab = calloc((size_t)a->n_labels + 1, sizeof(*lab));
	_cleanup_free_ bool *defined = calloc((size_t)a->n_labels + 1, sizeof(*defined));
	if (!lng || !pos || !lab || !defined)
		return sc_error_set(err, -ENOMEM, "out of memory");

	size_t total = 0;
	for (bool changed = true; changed;) {
		changed = false;
		total = 0;
		for (size_t i = 0; i < a->n; i++) {
			pos[i] = total;
			if (a->v[i].label >= 0) {
				lab[a->v[i].label] = total;
				defined[a->v[i].label] = true;
			}
			total += item_size(&a->v[i], lng[i]);
		}
		for (size_t i = 0; i < a->n; i++) {
			const struct sc_asm_item *it = &a->v[i];
			if (it->label >= 0 || !is_cond(it->code) || lng[i])
				continue;
			int t[2] = { it->jt, it->jf };
			for (int j = 0; j < 2; j++) {
				if (t[j] == SC_ASM_NEXT)
					continue;
				if (t[j] < 0 || t[j] >= a->n_labels || !defined[t[j]] || lab[t[j]] <= pos[i])
					return sc_error_set(err, -EINVAL, "assembler: bad jump target");
				if (lab[t[j]] - pos[i] - 1 > 255) {
					lng[i] = true;
					changed = true;
				}
			}
		}
	}

	struct sock_filter *insns = calloc(total ? total : 1, sizeof(*insns));
	if (!insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < a->n; i++) {
		const struct sc_asm_item *it = &a->v[i];
		size_t p = pos[i];
		if (it->label >= 0)
			continue;
		if (BPF_CLASS(it->code) == BPF_JMP && BPF_OP(it->code) == BPF_JA) {
			size_t to = it->jt == SC_ASM_NEXT ? p + 1 : lab[it->jt];
			insns[p] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(to - p - 1));
		} else if (is_cond(it->code)) {
			size_t tt = it->jt == SC_ASM_NEXT ? p + (lng[i] ? 3 : 1) : lab[it->jt];
			size_t tf = it->jf == SC_ASM_NEXT ? p + (lng[i] ? 3 : 1) : lab[it->jf];
			if (lng[i]) {
				insns[p] = (struct sock_filter)BPF_JUMP(it->code, it->k, 0, 1);
				insns[p + 1] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(tt - p - 2));
				insns[p + 2] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(tf - p - 3));
			} else {
				insns[p] = (struct sock_filter)BPF_JUMP(it->code, it->k, (uint8_t)(tt - p - 1),
									(uint8_t)(tf - p - 1));
			}
		} else {
			insns[p] = (struct sock_filter)BPF_STMT(it->code, it->k);
		}
	}
	out->insns = insns;
	out->len = total;
	return 0;
}

void sc_asm_free(struct sc_asm *a)
{
	free(a->v);
	*a = (struct sc_asm){0};
}
