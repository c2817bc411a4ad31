/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator against hand-written programs, each checked twice: against
 * the result worked out by hand, and against the running kernel (the
 * program loaded in a forked child, the call made there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_helpers.h"

#define LD_ABS(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off)
#define A0 16   /* args[0], low word */
#define A1 24
#define RET_A BPF_STMT(BPF_RET | BPF_A, 0)
#define RET(k) BPF_STMT(BPF_RET | BPF_K, k)
#define ALU_K(op, k) BPF_STMT(BPF_ALU | (op) | BPF_K, k)
#define ALU_X(op) BPF_STMT(BPF_ALU | (op) | BPF_X, 0)
/* turn A into an errno the kernel will report unchanged */
#define TO_ERRNO ALU_K(BPF_AND, 0xfff), ALU_K(BPF_OR, SECCOMP_RET_ERRNO), RET_A

struct prog_case {
	const char *what;
	struct sock_filter insns[16];
	size_t len;
	uint64_t a0, a1;
	uint32_t want;
};

#define P(...) { __VA_ARGS__ }, sizeof((struct sock_filter[]){ __VA_ARGS__ }) / sizeof(struct sock_filter)

static const struct prog_case prog_cases[] = {
	{ "add k", P(LD_ABS(A0), ALU_K(BPF_ADD, 5), TO_ERRNO), 10, 0, SECCOMP_RET_ERRNO | 15 },
	{ "sub k wraps", P(LD_ABS(A0), ALU_K(BPF_SUB, 3), TO_ERRNO), 1, 0, SECCOMP_RET_ERRNO | 0xffe },
	{ "mul k", P(LD_ABS(A0), ALU_K(BPF_MUL, 7), TO_ERRNO), 6, 0, SECCOMP_RET_ERRNO | 42 },
	{ "div k", P(LD_ABS(A0), ALU_K(BPF_DIV, 7), TO_ERRNO), 50, 0, SECCOMP_RET_ERRNO | 7 },
	{ "and k", P(LD_ABS(A0), ALU_K(BPF_AND, 0xf0), TO_ERRNO), 0xabc, 0, SECCOMP_RET_ERRNO | 0xb0 },
	{ "or k", P(LD_ABS(A0), ALU_K(BPF_OR, 0x101), TO_ERRNO), 0x010, 0, SECCOMP_RET_ERRNO | 0x111 },
	{ "xor k", P(LD_ABS(A0), ALU_K(BPF_XOR, 0xff), TO_ERRNO), 0x0f, 0, SECCOMP_RET_ERRNO | 0xf0 },
	{ "lsh k", P(LD_ABS(A0), ALU_K(BPF_LSH, 4), TO_ERRNO), 0x12, 0, SECCOMP_RET_ERRNO | 0x120 },
	{ "rsh k", P(LD_ABS(A0), ALU_K(BPF_RSH, 4), TO_ERRNO), 0x120, 0, SECCOMP_RET_ERRNO | 0x12 },
	{ "neg", P(LD_ABS(A0), BPF_STMT(BPF_ALU | BPF_NEG, 0), TO_ERRNO), 1, 0, SECCOMP_RET_ERRNO | 0xfff },
	{ "add x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0), ALU_X(BPF_ADD), TO_ERRNO),
	  3, 4, SECCOMP_RET_ERRNO | 7 },
	{ "sub x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0), ALU_X(BPF_SUB), TO_ERRNO),
	  9, 4, SECCOMP_RET_ERRNO | 5 },
	{ "mul x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0), ALU_X(BPF_MUL), TO_ERRNO),
	  9, 4, SECCOMP_RET_ERRNO | 36 },
	{ "div x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0), ALU_X(BPF_DIV), TO_ERRNO),
	  9, 4, SECCOMP_RET_ERRNO | 2 },
	{ "div x by zero returns 0", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0),
	  ALU_X(BPF_DIV), TO_ERRNO), 9, 0, SECCOMP_RET_KILL_THREAD },
	{ "and/or/xor x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0), ALU_X(BPF_AND),
	  ALU_X(BPF_OR), ALU_X(BPF_XOR), TO_ERRNO), 0x3c, 0x0f, SECCOMP_RET_ERRNO | 0x0 },
	{ "lsh x uses the low 5 bits", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0),
	  ALU_X(BPF_LSH), TO_ERRNO), 3, 33, SECCOMP_RET_ERRNO | 6 },
	{ "rsh x uses the low 5 bits", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0),
	  ALU_X(BPF_RSH), TO_ERRNO), 0x40, 34, SECCOMP_RET_ERRNO | 0x10 },
	{ "txa", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_LD | BPF_IMM, 0),
	  BPF_STMT(BPF_MISC | BPF_TXA, 0), TO_ERRNO), 0, 77, SECCOMP_RET_ERRNO | 77 },
	{ "ld/ldx imm", P(BPF_STMT(BPF_LDX | BPF_IMM, 40), BPF_STMT(BPF_LD | BPF_IMM, 2), ALU_X(BPF_ADD),
	  TO_ERRNO), 0, 0, SECCOMP_RET_ERRNO | 42 },
	{ "ld len is sizeof(seccomp_data)", P(BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), TO_ERRNO), 0, 0,
	  SECCOMP_RET_ERRNO | 64 },
	{ "ldx len", P(BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0), TO_ERRNO),
	  0, 0, SECCOMP_RET_ERRNO | 64 },
	{ "scratch st/ld", P(LD_ABS(A0), BPF_STMT(BPF_ST, 3), BPF_STMT(BPF_LD | BPF_IMM, 0),
	  BPF_STMT(BPF_LD | BPF_MEM, 3), TO_ERRNO), 21, 0, SECCOMP_RET_ERRNO | 21 },
	{ "scratch stx/ldx", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_STX, 15),
	  BPF_STMT(BPF_LDX | BPF_IMM, 0), BPF_STMT(BPF_LDX | BPF_MEM, 15), BPF_STMT(BPF_MISC | BPF_TXA, 0),
	  TO_ERRNO), 0, 99, SECCOMP_RET_ERRNO | 99 },
	{ "ja skips", P(BPF_STMT(BPF_JMP | BPF_JA, 1), RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ERRNO | 2)),
	  0, 0, SECCOMP_RET_ERRNO | 2 },
	{ "jeq k taken", P(LD_ABS(A0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1), RET(SECCOMP_RET_ERRNO | 1),
	  RET(SECCOMP_RET_ERRNO | 2)), 5, 0, SECCOMP_RET_ERRNO | 1 },
	{ "jeq k not taken", P(LD_ABS(A0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
	  RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ERRNO | 2)), 6, 0, SECCOMP_RET_ERRNO | 2 },
	{ "jgt k is unsigned", P(LD_ABS(A0), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1),
	  RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ERRNO | 2)), 0xffffffff, 0, SECCOMP_RET_ERRNO | 1 },
	{ "jge k equal", P(LD_ABS(A0), BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1), RET(SECCOMP_RET_ERRNO | 1),
	  RET(SECCOMP_RET_ERRNO | 2)), 5, 0, SECCOMP_RET_ERRNO | 1 },
	{ "jset k", P(LD_ABS(A0), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x10, 0, 1), RET(SECCOMP_RET_ERRNO | 1),
	  RET(SECCOMP_RET_ERRNO | 2)), 0x0f, 0, SECCOMP_RET_ERRNO | 2 },
	{ "jeq/jgt/jge/jset x", P(LD_ABS(A1), BPF_STMT(BPF_MISC | BPF_TAX, 0), LD_ABS(A0),
	  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 4, 0), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 4, 0),
	  BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 4, 0), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 2),
	  RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ERRNO | 2), RET(SECCOMP_RET_ERRNO | 3),
	  RET(SECCOMP_RET_ERRNO | 4)), 3, 6, SECCOMP_RET_ERRNO | 1 },
	{ "args high word", P(LD_ABS(A0 + 4), TO_ERRNO), 0x0000012300000000ull, 0, SECCOMP_RET_ERRNO | 0x123 },
	{ "errno above 4095 is capped", P(RET(SECCOMP_RET_ERRNO | 0xffff)), 0, 0, SECCOMP_RET_ERRNO | 0xffff },
	{ "ret allow", P(RET(SECCOMP_RET_ALLOW)), 0, 0, SECCOMP_RET_ALLOW },
	{ "ret log", P(RET(SECCOMP_RET_LOG)), 0, 0, SECCOMP_RET_LOG },
	{ "ret trap", P(RET(SECCOMP_RET_TRAP | 7)), 0, 0, SECCOMP_RET_TRAP | 7 },
	{ "ret kill thread", P(RET(SECCOMP_RET_KILL_THREAD)), 0, 0, SECCOMP_RET_KILL_THREAD },
	{ "ret kill process", P(RET(SECCOMP_RET_KILL_PROCESS)), 0, 0, SECCOMP_RET_KILL_PROCESS },
	{ "ret trace without a tracer", P(RET(SECCOMP_RET_TRACE | 5)), 0, 0, SECCOMP_RET_TRACE | 5 },
	{ "ret notify without a listener", P(RET(SECCOMP_RET_USER_NOTIF)), 0, 0, SECCOMP_RET_USER_NOTIF },
	{ "unknown action", P(RET(0x12340000)), 0, 0, 0x12340000 },
	{ "nr and arch", P(LD_ABS(0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 3), LD_ABS(4),
	  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1), RET(SECCOMP_RET_ERRNO | 9),
	  RET(SECCOMP_RET_ERRNO | 8)), 0, 0, SECCOMP_RET_ERRNO | 9 },
};

static void test_instructions_by_hand_and_kernel(void **state)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(prog_cases); i++) {
		const struct prog_case *c = &prog_cases[i];
		struct sc_bpf b = { (struct sock_filter *)c->insns, c->len };
		uint64_t args[6] = { c->a0, c->a1 };
		uint32_t got = sim_nr(&b, SCMP_ARCH_X86_64, __NR_getppid, args);
		if (got != c->want)
			fail_msg("%s: simulator 0x%08x, expected 0x%08x", c->what, got, c->want);
		struct kernel_result kr = kernel_run(&b, __NR_getppid, args);
		if (!kernel_agrees(&kr, got))
			fail_msg("%s: kernel loaded=%d killed=%d sig=%d ret=%ld errno=%d, simulator 0x%08x",
				 c->what, kr.loaded, kr.killed, kr.sig, kr.ret, kr.err, got);
	}
}

/* Random arithmetic: the simulator and the kernel must compute the same A. */
static void test_random_alu_against_kernel(void **state)
{
	static const uint16_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND, BPF_OR, BPF_XOR,
					BPF_LSH, BPF_RSH };
	srandom(12345);
	for (int round = 0; round < 60; round++) {
		struct sock_filter f[16];
		size_t n = 0;
		f[n++] = (struct sock_filter)LD_ABS(A1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
		f[n++] = (struct sock_filter)LD_ABS(A0);
		for (int j = 0; j < 8; j++) {
			uint16_t op = ops[random() % SC_ARRAY_SIZE(ops)];
			bool use_x = random() & 1;
			uint32_t k = (uint32_t)random();
			if (op == BPF_LSH || op == BPF_RSH)
				k &= 31;
			if (op == BPF_DIV && !k)
				k = 3;
			f[n++] = use_x ? (struct sock_filter)ALU_X(op) : (struct sock_filter)ALU_K(op, k);
		}
		f[n++] = (struct sock_filter)ALU_K(BPF_AND, 0xfff);
		f[n++] = (struct sock_filter)ALU_K(BPF_OR, SECCOMP_RET_ERRNO);
		f[n++] = (struct sock_filter)RET_A;
		struct sc_bpf b = { f, n };
		uint64_t args[6] = { (uint64_t)random() << 7 | (uint64_t)random(), (uint64_t)(random() % 40) };
		uint32_t got = sim_nr(&b, SCMP_ARCH_X86_64, __NR_getppid, args);
		struct kernel_result kr = kernel_run(&b, __NR_getppid, args);
		if (!kernel_agrees(&kr, got))
			fail_msg("round %d: kernel killed=%d ret=%ld errno=%d, simulator 0x%08x", round, kr.killed,
				 kr.ret, kr.err, got);
	}
}

struct valid_case {
	const char *what;
	struct sock_filter insns[8];
	size_t len;
	bool valid;
};

static const struct valid_case valid_cases[] = {
	{ "ret allow", P(RET(SECCOMP_RET_ALLOW)), true },
	{ "last load of seccomp_data", P(LD_ABS(60), RET(SECCOMP_RET_ALLOW)), true },
	{ "load past seccomp_data", P(LD_ABS(64), RET(SECCOMP_RET_ALLOW)), false },
	{ "unaligned load", P(LD_ABS(2), RET(SECCOMP_RET_ALLOW)), false },
	{ "half-word load", P(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "byte load", P(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "indirect load", P(BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "ldx msh", P(BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "mod", P(LD_ABS(0), ALU_K(BPF_MOD, 3), RET(SECCOMP_RET_ALLOW)), false },
	{ "xor", P(LD_ABS(0), ALU_K(BPF_XOR, 3), RET(SECCOMP_RET_ALLOW)), true },
	{ "division by constant zero", P(LD_ABS(0), ALU_K(BPF_DIV, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "shift by 32", P(LD_ABS(0), ALU_K(BPF_LSH, 32), RET(SECCOMP_RET_ALLOW)), false },
	{ "shift by 31", P(LD_ABS(0), ALU_K(BPF_RSH, 31), RET(SECCOMP_RET_ALLOW)), true },
	{ "scratch cell 16", P(BPF_STMT(BPF_ST, 16), RET(SECCOMP_RET_ALLOW)), false },
	{ "scratch read before write", P(BPF_STMT(BPF_LD | BPF_MEM, 0), RET(SECCOMP_RET_ALLOW)), false },
	{ "scratch written on one path only", P(LD_ABS(0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
	  BPF_STMT(BPF_ST, 2), BPF_STMT(BPF_LD | BPF_MEM, 2), RET(SECCOMP_RET_ALLOW)), false },
	{ "scratch written on both paths", P(LD_ABS(0), BPF_STMT(BPF_ST, 2),
	  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), BPF_STMT(BPF_LD | BPF_MEM, 2), RET(SECCOMP_RET_ALLOW)), true },
	{ "jump past the end", P(LD_ABS(0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0), RET(SECCOMP_RET_ALLOW)),
	  false },
	{ "ja past the end", P(BPF_STMT(BPF_JMP | BPF_JA, 1), RET(SECCOMP_RET_ALLOW)), false },
	{ "last is not a return", P(RET(SECCOMP_RET_ALLOW), LD_ABS(0)), false },
	{ "ret a", P(BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW), RET_A), true },
	{ "unknown opcode", P({ 0xff, 0, 0, 0 }, RET(SECCOMP_RET_ALLOW)), false },
	{ "ret x is not an opcode", P({ BPF_RET | BPF_X, 0, 0, 0 }, RET(SECCOMP_RET_ALLOW)), false },
};

static void test_validation_matches_kernel(void **state)
{
	uint64_t args[6] = {0};
	for (size_t i = 0; i < SC_ARRAY_SIZE(valid_cases); i++) {
		const struct valid_case *c = &valid_cases[i];
		struct sc_bpf b = { (struct sock_filter *)c->insns, c->len };
		struct sc_error err = {0};
		int r = sc_bpf_validate(&b, &err);
		if ((r == 0) != c->valid)
			fail_msg("%s: validate %d (%s), expected %s", c->what, r, err.msg, c->valid ? "valid" : "invalid");
		if (!c->valid)
			assert_true(err.msg[0] != '\0');
		struct kernel_result kr = kernel_run(&b, __NR_getppid, args);
		if (kr.loaded != c->valid || (!c->valid && kr.load_errno != EINVAL))
			fail_msg("%s: the kernel %s it (errno %d)", c->what, kr.loaded ? "accepted" : "refused",
				 kr.load_errno);
	}
}

static void test_limits(void **state)
{
	struct sc_error err = {0};
	struct sc_bpf empty = { NULL, 0 };
	assert_int_equal(sc_bpf_validate(&empty, &err), -EINVAL);
	/* the kernel takes at most 4096 instructions in one program */
	struct sock_filter *f = calloc(4097, sizeof(*f));
	for (int i = 0; i < 4097; i++)
		f[i] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	struct sc_bpf big = { f, 4096 };
	assert_int_equal(sc_bpf_validate(&big, &err), 0);
	big.len = 4097;
	assert_int_equal(sc_bpf_validate(&big, &err), -EINVAL);
	free(f);
}

static void test_executed_counts_instructions(void **state)
{
	struct sock_filter f[] = {
		LD_ABS(0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), RET(SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_JMP | BPF_JA, 1), RET(SECCOMP_RET_KILL_THREAD), RET(SECCOMP_RET_ERRNO | 1),
	};
	struct sc_bpf b = { f, SC_ARRAY_SIZE(f) };
	struct seccomp_data d = { .nr = 1 };
	struct sc_sim_result res;
	struct sc_error err;
	assert_int_equal(sc_bpf_run(&b, &d, &res, &err), 0);
	assert_int_equal(res.ret, SECCOMP_RET_ALLOW);
	assert_int_equal(res.executed, 3);
	d.nr = 2;
	assert_int_equal(sc_bpf_run(&b, &d, &res, &err), 0);
	assert_int_equal(res.ret, SECCOMP_RET_ERRNO | 1);
	assert_int_equal(res.executed, 4);
}

/* A program checked once runs as sc_bpf_run runs it, and a bad one is refused up front. */
static void test_checked_handle(void **state)
{
	struct sc_error err = {0};
	for (size_t i = 0; i < SC_ARRAY_SIZE(prog_cases); i++) {
		const struct prog_case *c = &prog_cases[i];
		struct sock_filter copy[16];
		memcpy(copy, c->insns, c->len * sizeof(copy[0]));
		struct sc_bpf b = { copy, c->len };
		struct sc_bpf_checked *h = NULL;
		assert_int_equal(sc_bpf_check(&b, &h, &err), 0);
		struct seccomp_data d = { .nr = __NR_getppid, .arch = AUDIT_ARCH_X86_64,
					  .args = { c->a0, c->a1 } };
		struct sc_sim_result once = {0}, again = {0};
		assert_int_equal(sc_bpf_run(&b, &d, &once, &err), 0);
		/* the handle keeps its own instructions: what happens to b later cannot reach it */
		memset(copy, 0xff, sizeof(copy));
		sc_bpf_checked_run(h, &d, &again);
		if (again.ret != c->want || again.executed != once.executed)
			fail_msg("%s: checked 0x%08x after %zu, expected 0x%08x after %zu", c->what, again.ret,
				 again.executed, c->want, once.executed);
		sc_bpf_checked_free(h);
	}
	for (size_t i = 0; i < SC_ARRAY_SIZE(valid_cases); i++) {
		const struct valid_case *c = &valid_cases[i];
		struct sc_bpf b = { (struct sock_filter *)c->insns, c->len };
		struct sc_bpf_checked *h = (struct sc_bpf_checked *)&b;
		int r = sc_bpf_check(&b, &h, &err);
		if ((r == 0) != c->valid)
			fail_msg("%s: check %d, expected %s", c->what, r, c->valid ? "valid" : "invalid");
		if (!c->valid)
			assert_null(h);
		sc_bpf_checked_free(h);
	}
}

static void test_describe(void **state)
{
	static const struct { uint32_t ret; const char *s; } v[] = {
		{ SECCOMP_RET_ALLOW, "ALLOW" },
		{ SECCOMP_RET_ERRNO | 1, "ERRNO 1 (EPERM)" },
		{ SECCOMP_RET_ERRNO | 38, "ERRNO 38 (ENOSYS)" },
		{ SECCOMP_RET_ERRNO | 12345, "ERRNO 4095" },
		{ SECCOMP_RET_ERRNO | 0, "ERRNO 0" },
		{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, "KILL_THREAD" },
		{ SECCOMP_RET_TRAP | 3, "TRAP" },
		{ SECCOMP_RET_TRACE | 5, "TRACE 5" },
		{ SECCOMP_RET_LOG, "LOG" },
		{ SECCOMP_RET_USER_NOTIF, "NOTIFY" },
		{ 0x12340000, "KILL_PROCESS" },
	};
	char buf[64];
	for (size_t i = 0; i < SC_ARRAY_SIZE(v); i++) {
		sc_ret_describe(v[i].ret, buf, sizeof(buf));
		assert_string_equal(buf, v[i].s);
	}
}

static void test_disasm(void **state)
{
	struct sock_filter f[] = {
		LD_ABS(4), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 2), LD_ABS(0),
		RET(SECCOMP_RET_ERRNO | 1), RET(SECCOMP_RET_ALLOW),
	};
	struct sc_bpf b = { f, SC_ARRAY_SIZE(f) };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(sc_bpf_disasm(&b, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "   0: ld    [4]"));
	assert_non_null(strstr(text, "; arch"));
	assert_non_null(strstr(text, "jeq   #0xc000003e, 2, 4"));
	assert_non_null(strstr(text, "; x86_64 / x32"));
	assert_non_null(strstr(text, "; nr"));
	assert_non_null(strstr(text, "; ERRNO 1 (EPERM)"));
	assert_non_null(strstr(text, "   4: ret   #0x7fff0000"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instructions_by_hand_and_kernel),
		cmocka_unit_test(test_random_alu_against_kernel),
		cmocka_unit_test(test_validation_matches_kernel),
		cmocka_unit_test(test_checked_handle),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_executed_counts_instructions),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_disasm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
