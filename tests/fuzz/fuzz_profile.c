/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: any bytes through parse, resolve (for two capability
 * sets), compile (with and without the ENOSYS prologue), then the
 * simulator and explain on every architecture of the filter.  A program
 * that comes out must pass the kernel's checks; anything else must be a
 * clean error.
 */
#include <linux/audit.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/bpf.h"
#include "seclude/caps.h"
#include "seclude/compile.h"
#include "seclude/explain.h"
#include "seclude/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct sc_policy *pol, const struct sc_bpf *b)
{
	struct sc_error err = {0};
	if (sc_bpf_validate(b, &err) < 0)
		abort();
	static const int nrs[] = { 41, 56, 102, 359, 435, 1000 };
	uint64_t args[6] = { 38, 0x10000000, 0xffffffff, 1ull << 32, 0, (uint64_t)-1 };
	for (size_t a = 0; a < pol->n_arches; a++) {
		for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
			int nr = nrs[i];
			if (pol->arches[a] == SCMP_ARCH_X32)
				nr |= 0x40000000;
			struct sc_explain x;
			if (sc_explain_call(pol, b, pol->arches[a], nr, args, &x, &err) < 0)
				abort();
			char buf[64];
			sc_ret_describe(x.ret, buf, sizeof(buf));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_profile *p = NULL;
	struct sc_error err = {0};
	struct sc_diags diags = {0};
	if (sc_profile_parse((const char *)data, size, "fuzz.json", NULL, &p, &diags, &err) < 0) {
		sc_diags_free(&diags);
		return 0;
	}
	const uint64_t capsets[] = { sc_caps_docker_default(), sc_caps_docker_default() | SC_CAP_SET(21) };
	for (size_t c = 0; c < 2; c++) {
		struct sc_target t = { .caps = capsets[c], .arch = SCMP_ARCH_X86_64, .kernel_major = 6,
				       .kernel_minor = 1 };
		struct sc_policy *pol = NULL;
		if (sc_profile_resolve(p, &t, &pol, &diags, &err) < 0)
			continue;
		for (int stub = 0; stub < 2; stub++) {
			struct sc_compile_opts o = { .no_enosys_stub = stub };
			struct sc_bpf b = {0};
			if (sc_policy_compile(pol, &o, &b, &err) == 0)
				exercise(pol, &b);
			else if (b.insns)
				abort();   /* an error must leave nothing behind */
			sc_bpf_free(&b);
		}
		sc_policy_free(pol);
	}
	sc_profile_free(p);
	sc_diags_free(&diags);
	return 0;
}
