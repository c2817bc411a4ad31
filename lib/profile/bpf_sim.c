/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Classic BPF as seccomp runs it.  Validation follows the kernel's two
 * passes (the generic classic-BPF checks, then seccomp's own whitelist), so
 * a program this accepts is one seccomp(2) accepts, and execution follows
 * the interpreter: A and X start at 0, ALU is 32-bit unsigned, division by
 * zero ends the program with 0, register shifts use the low 5 bits.
 */
#include <errno.h>
#include <linux/filter.h>
#include <string.h>

#include "seclude/bpf.h"
#include "seclude/names.h"
#include "seclude/util.h"

#define SC_BPF_MAXINSNS 4096

static bool is_cond_jump(uint16_t code)
{
	switch (code) {
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	}
	return false;
}

/* The opcodes seccomp lets through after the generic checks. */
static bool seccomp_allows(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
		return true;
	}
	return is_cond_jump(code);
}

/* Opcodes classic BPF knows at all (the generic pass rejects the rest). */
static bool classic_known(uint16_t code)
{
	switch (code) {
	case BPF_ALU | BPF_MOD | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LDX | BPF_B | BPF_MSH:
		return true;
	}
	return seccomp_allows(code);
}

/* Every scratch cell must be stored on every path before it is loaded. */
static int check_scratch(const struct sock_filter *f, size_t n, struct sc_error *err)
{
	_cleanup_free_ uint16_t *masks = malloc(n * sizeof(*masks));
	if (!masks)
		return sc_error_set(err, -ENOMEM, "out of memory");
	memset(masks, 0xff, n * sizeof(*masks));
	uint16_t valid = 0;
	for (size_t pc = 0; pc < n; pc++) {
		valid &= masks[pc];
		uint16_t code = f[pc].code;
		if (code == BPF_ST || code == BPF_STX) {
			valid |= (uint16_t)(1u << f[pc].k);
		} else if (code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << f[pc].k)))
				return sc_error_set(err, -EINVAL,
						    "instruction %zu: scratch cell %u may be read before it is written",
						    pc, f[pc].k);
		} else if (code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + f[pc].k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(code)) {
			masks[pc + 1 + f[pc].jt] &= valid;
			masks[pc + 1 + f[pc].jf] &= valid;
			valid = 0xffff;
		}
	}
	return 0;
}

int sc_bpf_validate(const struct sc_bpf *prog, struct sc_error *err)
{
	if (!prog || !prog->insns || prog->len == 0)
		return sc_error_set(err, -EINVAL, "the program is empty");
	if (prog->len > SC_BPF_MAXINSNS)
		return sc_error_set(err, -EINVAL, "the program has %zu instructions, more than the kernel's %d",
				    prog->len, SC_BPF_MAXINSNS);
	const struct sock_filter *f = prog->insns;
	size_t n = prog->len;
	for (size_t pc = 0; pc < n; pc++) {
		uint16_t code = f[pc].code;
		uint32_t k = f[pc].k;
		if (!classic_known(code))
			return sc_error_set(err, -EINVAL, "instruction %zu: unknown opcode 0x%02x", pc, code);
		switch (code) {
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_K:
			if (k == 0)
				return sc_error_set(err, -EINVAL, "instruction %zu: division by constant zero", pc);
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (k >= 32)
				return sc_error_set(err, -EINVAL, "instruction %zu: shift by %u", pc, k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return sc_error_set(err, -EINVAL, "instruction %zu: scratch cell %u out of range", pc, k);
			break;
		case BPF_JMP | BPF_JA:
			if (k >= n - pc - 1)
				return sc_error_set(err, -EINVAL, "instruction %zu: jump past the end", pc);
			break;
		default:
			if (is_cond_jump(code) && (pc + f[pc].jt + 1 >= n || pc + f[pc].jf + 1 >= n))
				return sc_error_set(err, -EINVAL, "instruction %zu: jump past the end", pc);
			break;
		}
	}
	uint16_t last = f[n - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return sc_error_set(err, -EINVAL, "the last instruction is not a return");
	int r = check_scratch(f, n, err);
	if (r < 0)
		return r;
	for (size_t pc = 0; pc < n; pc++) {
		uint16_t code = f[pc].code;
		if (!seccomp_allows(code))
			return sc_error_set(err, -EINVAL, "instruction %zu: opcode 0x%02x is not allowed in seccomp", pc, code);
		if (code == (BPF_LD | BPF_W | BPF_ABS) &&
		    (f[pc].k >= sizeof(struct seccomp_data) || (f[pc].k & 3)))
			return sc_error_set(err, -EINVAL, "instruction %zu: load at offset %u is outside seccomp_data or unaligned",
					    pc, f[pc].k);
	}
	return 0;
}

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;
	memcpy(&w, (const char *)d + off, sizeof(w));
	return w;
}

/* Run a program sc_bpf_validate accepted: forward jumps in range, a final return. */
static void execute(const struct sock_filter *f, size_t len, const struct seccomp_data *data,
		    struct sc_sim_result *res)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
	size_t executed = 0;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &f[pc];
		uint32_t k = in->k;
		executed++;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS: A = load_word(data, k); break;
		case BPF_LD | BPF_W | BPF_LEN: A = sizeof(struct seccomp_data); break;
		case BPF_LDX | BPF_W | BPF_LEN: X = sizeof(struct seccomp_data); break;
		case BPF_LD | BPF_IMM: A = k; break;
		case BPF_LDX | BPF_IMM: X = k; break;
		case BPF_LD | BPF_MEM: A = M[k]; break;
		case BPF_LDX | BPF_MEM: X = M[k]; break;
		case BPF_ST: M[k] = A; break;
		case BPF_STX: M[k] = X; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		case BPF_ALU | BPF_ADD | BPF_K: A += k; break;
		case BPF_ALU | BPF_ADD | BPF_X: A += X; break;
		case BPF_ALU | BPF_SUB | BPF_K: A -= k; break;
		case BPF_ALU | BPF_SUB | BPF_X: A -= X; break;
		case BPF_ALU | BPF_MUL | BPF_K: A *= k; break;
		case BPF_ALU | BPF_MUL | BPF_X: A *= X; break;
		case BPF_ALU | BPF_DIV | BPF_K: A /= k; break;
		case BPF_ALU | BPF_DIV | BPF_X:
			if (X == 0) {
				res->ret = 0;
				res->executed = executed;
				return;
			}
			A /= X;
			break;
		case BPF_ALU | BPF_AND | BPF_K: A &= k; break;
		case BPF_ALU | BPF_AND | BPF_X: A &= X; break;
		case BPF_ALU | BPF_OR | BPF_K: A |= k; break;
		case BPF_ALU | BPF_OR | BPF_X: A |= X; break;
		case BPF_ALU | BPF_XOR | BPF_K: A ^= k; break;
		case BPF_ALU | BPF_XOR | BPF_X: A ^= X; break;
		case BPF_ALU | BPF_LSH | BPF_K: A <<= k; break;
		case BPF_ALU | BPF_LSH | BPF_X: A <<= (X & 31); break;
		case BPF_ALU | BPF_RSH | BPF_K: A >>= k; break;
		case BPF_ALU | BPF_RSH | BPF_X: A >>= (X & 31); break;
		case BPF_ALU | BPF_NEG: A = 0u - A; break;
		case BPF_JMP | BPF_JA: pc += k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_X: pc += A == X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGT | BPF_X: pc += A > X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_X: pc += A >= X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & k) ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_X: pc += (A & X) ? in->jt : in->jf; break;
		case BPF_RET | BPF_K:
			res->ret = k;
			res->executed = executed;
			return;
		case BPF_RET | BPF_A:
			res->ret = A;
			res->executed = executed;
			return;
		default:
			/* validation lets no other opcode through */
			goto refuse;
		}
	}
refuse:
	/* what the kernel does with a return value it does not know */
	res->ret = SECCOMP_RET_KILL_PROCESS;
	res->executed = executed;
}

int sc_bpf_run(const struct sc_bpf *prog, const struct seccomp_data *data,
	       struct sc_sim_result *res, struct sc_error *err)
{
	int r = sc_bpf_validate(prog, err);
	if (r < 0)
		return r;
	execute(prog->insns, prog->len, data, res);
	return 0;
}

struct sc_bpf_checked {
	size_t len;
	struct sock_filter insns[];
};

int sc_bpf_check(const struct sc_bpf *prog, struct sc_bpf_checked **out, struct sc_error *err)
{
	*out = NULL;
	int r = sc_bpf_validate(prog, err);
	if (r < 0)
		return r;
	struct sc_bpf_checked *c = malloc(sizeof(*c) + prog->len * sizeof(c->insns[0]));
	if (!c)
		return sc_error_set(err, -ENOMEM, "out of memory");
	c->len = prog->len;
	memcpy(c->insns, prog->insns, prog->len * sizeof(c->insns[0]));
	*out = c;
	return 0;
}

void sc_bpf_checked_run(const struct sc_bpf_checked *c, const struct seccomp_data *data,
			struct sc_sim_result *res)
{
	execute(c->insns, c->len, data, res);
}

void sc_bpf_checked_free(struct sc_bpf_checked *c)
{
	free(c);
}

void sc_ret_describe(uint32_t ret, char *buf, size_t len)
{
	sc_verdict_describe(ret, SC_VERDICT_UPPER, buf, len);
}
