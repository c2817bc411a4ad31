/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A diff (diff.h) as seclude diff shows it: lines for people, or JSON for tools. */
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>

#include "seclude/bpf.h"
#include "seclude/diff.h"
#include "seclude/names.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u

static void describe(uint32_t ret, char *buf, size_t len)
{
	sc_ret_describe(ret, buf, len);
}

static const char *arch_label(uint32_t arch, char *buf, size_t len)
{
	const char *n = sc_arch_user_name(arch);
	if (n)
		return n;
	snprintf(buf, len, "0x%08x", arch);
	return buf;
}

static uint32_t shown_nr(const struct sc_diff_entry *x, uint32_t nr)
{
	return x->arch == SCMP_ARCH_X32 ? nr & ~X32_SYSCALL_BIT : nr;
}

void sc_diff_write_text(FILE *out, const struct sc_diff *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sc_diff_entry *x = &d->v[i];
		char ab[16], what[64];
		const char *arch = arch_label(x->arch, ab, sizeof(ab));
		if (x->name)
			snprintf(what, sizeof(what), "%s", x->name);
		else if (x->nr_first == x->nr_last)
			snprintf(what, sizeof(what), "[%u]", shown_nr(x, x->nr_first));
		else
			snprintf(what, sizeof(what), "[%u..%u]", shown_nr(x, x->nr_first),
				 shown_nr(x, x->nr_last));
		for (size_t c = 0; c < x->n_cases; c++) {
			const struct sc_diff_case *k = &x->cases[c];
			char va[64], vb[64];
			describe(k->ret_a, va, sizeof(va));
			describe(k->ret_b, vb, sizeof(vb));
			if (k->cond)
				fprintf(out, "%s %s when %s: A %s, B %s\n", arch, what, k->cond, va, vb);
			else
				fprintf(out, "%s %s: A %s, B %s\n", arch, what, va, vb);
		}
	}
}

static json_t *verdict_json(uint32_t ret)
{
	char v[64];
	describe(ret, v, sizeof(v));
	return json_pack("{s:s, s:I}", "verdict", v, "ret", (json_int_t)ret);
}

json_t *sc_diff_to_json(const struct sc_diff *d, const char *pa, const char *pb)
{
	json_t *root = json_object();
	json_object_set_new(root, "a", json_string(pa));
	json_object_set_new(root, "b", json_string(pb));
	json_t *arches = json_array();
	for (size_t i = 0; i < d->n_arches; i++) {
		char ab[16];
		json_array_append_new(arches, json_string(arch_label(d->arches[i], ab, sizeof(ab))));
	}
	json_object_set_new(root, "arches", arches);
	json_object_set_new(root, "scanned", json_pack("{s:i, s:i}", "first", 0, "last",
						       (json_int_t)d->scan_last));
	json_t *diffs = json_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct sc_diff_entry *x = &d->v[i];
		char ab[16];
		for (size_t c = 0; c < x->n_cases; c++) {
			const struct sc_diff_case *k = &x->cases[c];
			json_t *o = json_object();
			json_object_set_new(o, "arch", json_string(arch_label(x->arch, ab, sizeof(ab))));
			json_object_set_new(o, "syscall", x->name ? json_string(x->name) : json_null());
			json_object_set_new(o, "nr", json_integer(x->nr_first));
			json_object_set_new(o, "nr_last", json_integer(x->nr_last));
			json_object_set_new(o, "condition", k->cond ? json_string(k->cond) : json_null());
			json_object_set_new(o, "a", verdict_json(k->ret_a));
			json_object_set_new(o, "b", verdict_json(k->ret_b));
			json_array_append_new(diffs, o);
		}
	}
	json_object_set_new(root, "count", json_integer((json_int_t)json_array_size(diffs)));
	json_object_set_new(root, "differences", diffs);
	return root;
}

