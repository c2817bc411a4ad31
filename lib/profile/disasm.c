/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <stddef.h>

#include "seclude/bpf.h"
#include "seclude/names.h"

static const char *data_field(uint32_t off)
{
	static const char *const args[] = {
		"args[0] lo", "args[0] hi", "args[1] lo", "args[1] hi", "args[2] lo", "args[2] hi",
		"args[3] lo", "args[3] hi", "args[4] lo", "args[4] hi", "args[5] lo", "args[5] hi",
	};
	switch (off) {
	case offsetof(struct seccomp_data, nr): return "nr";
	case offsetof(struct seccomp_data, arch): return "arch";
	case offsetof(struct seccomp_data, instruction_pointer): return "ip lo";
	case offsetof(struct seccomp_data, instruction_pointer) + 4: return "ip hi";
	}
	if (off >= offsetof(struct seccomp_data, args) && off < sizeof(struct seccomp_data) && !(off & 3))
		return args[(off - offsetof(struct seccomp_data, args)) / 4];
	return NULL;
}

static const char *audit_arch_name(uint32_t k)
{
	/* x32 is an x86-64 number with bit 30 set: one arch word covers both. */
	if (k == AUDIT_ARCH_X86_64)
		return "x86_64 / x32";
	return sc_arch_scmp_name(k) ? sc_arch_audit_name(k) : NULL;
}

static const char *alu_name(uint16_t op)
{
	switch (op) {
	case BPF_ADD: return "add";
	case BPF_SUB: return "sub";
	case BPF_MUL: return "mul";
	case BPF_DIV: return "div";
	case BPF_MOD: return "mod";
	case BPF_AND: return "and";
	case BPF_OR: return "or";
	case BPF_XOR: return "xor";
	case BPF_LSH: return "lsh";
	case BPF_RSH: return "rsh";
	case BPF_NEG: return "neg";
	}
	return "alu?";
}

static const char *jmp_name(uint16_t op)
{
	switch (op) {
	case BPF_JEQ: return "jeq";
	case BPF_JGT: return "jgt";
	case BPF_JGE: return "jge";
	case BPF_JSET: return "jset";
	}
	return "j?";
}

/*
 * One line an instruction: index, mnemonic and operands, then a comment
 * naming the seccomp_data field loaded, the architecture compared, or
 * what a return means.  Jump targets are absolute indexes.
 */
int sc_bpf_disasm(const struct sc_bpf *prog, FILE *out)
{
	/* a comparison right after "ld arch" is about architectures */
	bool a_is_arch = false;
	for (size_t pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *in = &prog->insns[pc];
		uint16_t cls = BPF_CLASS(in->code);
		char ops[64] = "", note[64] = "";
		const char *mn = "?";
		switch (cls) {
		case BPF_LD:
		case BPF_LDX: {
			bool x = cls == BPF_LDX;
			switch (BPF_MODE(in->code)) {
			case BPF_ABS: {
				mn = x ? "ldx" : "ld";
				snprintf(ops, sizeof(ops), "[%u]", in->k);
				const char *f = data_field(in->k);
				if (f)
					snprintf(note, sizeof(note), "%s", f);
				if (!x)
					a_is_arch = in->k == offsetof(struct seccomp_data, arch);
				break;
			}
			case BPF_IMM:
				mn = x ? "ldx" : "ld";
				snprintf(ops, sizeof(ops), "#0x%x", in->k);
				break;
			case BPF_MEM:
				mn = x ? "ldx" : "ld";
				snprintf(ops, sizeof(ops), "M[%u]", in->k);
				break;
			case BPF_LEN:
				mn = x ? "ldx" : "ld";
				snprintf(ops, sizeof(ops), "len");
				break;
			default:
				mn = x ? "ldx?" : "ld?";
				snprintf(ops, sizeof(ops), "0x%x", in->k);
			}
			if (!x && BPF_MODE(in->code) != BPF_ABS)
				a_is_arch = false;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			mn = cls == BPF_ST ? "st" : "stx";
			snprintf(ops, sizeof(ops), "M[%u]", in->k);
			break;
		case BPF_ALU:
			mn = alu_name(BPF_OP(in->code));
			if (BPF_OP(in->code) != BPF_NEG)
				snprintf(ops, sizeof(ops), BPF_SRC(in->code) == BPF_X ? "x" : "#0x%x", in->k);
			a_is_arch = false;
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				mn = "ja";
				snprintf(ops, sizeof(ops), "%zu", pc + 1 + in->k);
			} else {
				mn = jmp_name(BPF_OP(in->code));
				if (BPF_SRC(in->code) == BPF_X)
					snprintf(ops, sizeof(ops), "x, %zu, %zu", pc + 1 + in->jt, pc + 1 + in->jf);
				else
					snprintf(ops, sizeof(ops), "#0x%x, %zu, %zu", in->k, pc + 1 + in->jt,
						 pc + 1 + in->jf);
				const char *an = a_is_arch && BPF_SRC(in->code) == BPF_K ? audit_arch_name(in->k) : NULL;
				if (an)
					snprintf(note, sizeof(note), "%s", an);
			}
			break;
		case BPF_RET:
			mn = "ret";
			if (BPF_RVAL(in->code) == BPF_A) {
				snprintf(ops, sizeof(ops), "a");
			} else {
				snprintf(ops, sizeof(ops), "#0x%08x", in->k);
				sc_ret_describe(in->k, note, sizeof(note));
			}
			break;
		case BPF_MISC:
			mn = BPF_MISCOP(in->code) == BPF_TAX ? "tax" : "txa";
			a_is_arch = false;
			break;
		}
		int w = fprintf(out, "%4zu: %-5s %s", pc, mn, ops);
		if (w < 0)
			return -EIO;
		if (note[0])
			fprintf(out, "%*s; %s", w < 40 ? 40 - w : 1, "", note);
		if (fputc('\n', out) == EOF)
			return -EIO;
	}
	return ferror(out) ? -EIO : 0;
}
