/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The recorded set: (arch, nr) -> count, argument values, names. */
#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/learn.h"
#include "seclude/names.h"
#include "seclude/util.h"

struct sc_record *sc_record_new(void)
{
	return calloc(1, sizeof(struct sc_record));
}

void sc_record_free(struct sc_record *r)
{
	if (!r)
		return;
	free(r->argvals);
	free(r);
}

static struct sc_record_arch *arch_slot(struct sc_record *r, uint32_t arch)
{
	for (size_t i = 0; i < r->n_arches; i++)
		if (r->arches[i].arch == arch)
			return &r->arches[i];
	if (r->n_arches == SC_RECORD_MAX_ARCHES)
		return NULL;
	struct sc_record_arch *a = &r->arches[r->n_arches++];
	a->arch = arch;
	return a;
}

static const struct sc_record_arch *arch_find(const struct sc_record *r, uint32_t arch)
{
	for (size_t i = 0; i < r->n_arches; i++)
		if (r->arches[i].arch == arch)
			return &r->arches[i];
	return NULL;
}

/* x32 shares x86-64's audit arch and marks its calls with a bit in the number. */
static void split_x32(uint32_t *arch, uint64_t *nr)
{
	if (*arch == SCMP_ARCH_X86_64 && (*nr & SC_X32_SYSCALL_BIT)) {
		*arch = SCMP_ARCH_X32;
		*nr &= ~(uint64_t)SC_X32_SYSCALL_BIT;
	} else if (*arch == SCMP_ARCH_X32) {
		*nr &= ~(uint64_t)SC_X32_SYSCALL_BIT;
	}
}

void sc_record_add(struct sc_record *r, uint32_t arch, uint64_t nr, uint64_t n)
{
	split_x32(&arch, &nr);
	r->total += n;
	struct sc_record_arch *a = nr < SC_RECORD_MAX_NR ? arch_slot(r, arch) : NULL;
	if (!a) {
		r->dropped += n;
		return;
	}
	a->count[nr] += n;
}

int sc_record_add_arg(struct sc_record *r, uint32_t arch, int nr, unsigned index,
		      uint64_t value, uint64_t n)
{
	uint64_t unr = (uint64_t)(unsigned)nr;
	split_x32(&arch, &unr);
	nr = (int)unr;
	for (size_t i = 0; i < r->n_argvals; i++) {
		struct sc_record_argval *v = &r->argvals[i];
		if (v->arch == arch && v->nr == nr && v->index == index && v->value == value) {
			v->count += n;
			return 0;
		}
	}
	if (r->n_argvals == r->cap_argvals) {
		size_t cap = r->cap_argvals ? r->cap_argvals * 2 : 16;
		struct sc_record_argval *nv = realloc(r->argvals, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->argvals = nv;
		r->cap_argvals = cap;
	}
	r->argvals[r->n_argvals++] = (struct sc_record_argval){
		.arch = arch, .nr = nr, .index = index, .value = value, .count = n,
	};
	return 0;
}

int sc_record_merge(struct sc_record *dst, const struct sc_record *src)
{
	for (size_t i = 0; i < src->n_arches; i++) {
		const struct sc_record_arch *s = &src->arches[i];
		struct sc_record_arch *d = arch_slot(dst, s->arch);
		for (size_t nr = 0; nr < SC_RECORD_MAX_NR; nr++) {
			if (!s->count[nr])
				continue;
			if (d)
				d->count[nr] += s->count[nr];
			else
				dst->dropped += s->count[nr];
		}
	}
	dst->total += src->total;
	dst->dropped += src->dropped;
	for (size_t i = 0; i < src->n_argvals; i++) {
		const struct sc_record_argval *v = &src->argvals[i];
		int r = sc_record_add_arg(dst, v->arch, v->nr, v->index, v->value, v->count);
		if (r < 0)
			return r;
	}
	return 0;
}

uint64_t sc_record_count(const struct sc_record *r, uint32_t arch, int nr)
{
	uint64_t unr = (uint64_t)(unsigned)nr;
	split_x32(&arch, &unr);
	const struct sc_record_arch *a = arch_find(r, arch);
	return a && unr < SC_RECORD_MAX_NR ? a->count[unr] : 0;
}

size_t sc_record_distinct(const struct sc_record *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_arches; i++)
		for (size_t nr = 0; nr < SC_RECORD_MAX_NR; nr++)
			n += r->arches[i].count[nr] != 0;
	return n;
}

static int cmp_name(const void *a, const void *b)
{
	const struct sc_learned_name *x = a, *y = b;
	return strcmp(x->name, y->name);
}

int sc_record_names(const struct sc_record *r, struct sc_learned_name **out, size_t *n_out,
		    struct sc_diags *diags, struct sc_error *err)
{
	size_t n = 0, cap = sc_record_distinct(r);
	struct sc_learned_name *v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n_arches; i++) {
		const struct sc_record_arch *a = &r->arches[i];
		for (int nr = 0; nr < SC_RECORD_MAX_NR; nr++) {
			if (!a->count[nr])
				continue;
			int scmp_nr = a->arch == SCMP_ARCH_X32 ? nr | (int)SC_X32_SYSCALL_BIT : nr;
			char *name = seccomp_syscall_resolve_num_arch(a->arch, scmp_nr);
			if (!name) {
				sc_diags_add(diags, SC_DIAG_WARNING, "unknown-syscall-number", NULL, NULL,
					     "%s syscall %d (seen %llu times) has no name in libseccomp: left out",
					     sc_arch_audit_name(a->arch), nr,
					     (unsigned long long)a->count[nr]);
				continue;
			}
			size_t j;
			for (j = 0; j < n; j++)
				if (!strcmp(v[j].name, name))
					break;
			if (j < n) {
				free(name);
			} else {
				v[n++] = (struct sc_learned_name){ .name = name };
			}
			v[j].count += a->count[nr];
			v[j].arch_mask |= 1u << i;
		}
	}
	qsort(v, n, sizeof(*v), cmp_name);
	*out = v;
	*n_out = n;
	return 0;
}

void sc_learned_names_free(struct sc_learned_name *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* The arguments worth recording, and where they are: minijail's set. */
static const struct sc_arg_spec known_args[] = {
	{ "socket", 0 },        /* address family */
	{ "personality", 0 },   /* persona */
	{ "clone", 0 },         /* flags */
	{ "prctl", 0 },         /* option */
	{ "ioctl", 1 },         /* request */
};

int sc_arg_specs_parse(struct sc_arg_specs *specs, const char *list, struct sc_error *err)
{
	_cleanup_free_ char *copy = strdup(list);
	if (!copy)
		return sc_error_set(err, -ENOMEM, "out of memory");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int index = -1;
		char *colon = strchr(tok, ':');
		if (colon) {
			*colon = '\0';
			uint64_t v;
			if (sc_parse_u64(colon + 1, &v) < 0 || v > 5)
				return sc_error_set(err, -EINVAL,
						    "--args: \"%s:%s\": the argument index must be 0 to 5",
						    tok, colon + 1);
			index = (int)v;
		} else {
			for (size_t i = 0; i < SC_ARRAY_SIZE(known_args); i++)
				if (!strcmp(known_args[i].name, tok))
					index = (int)known_args[i].index;
			if (index < 0)
				return sc_error_set(err, -EINVAL,
						    "--args: no default argument for \"%s\" (known: socket, personality, clone, prctl, ioctl; others as NAME:INDEX)",
						    tok);
		}
		if (seccomp_syscall_resolve_name(tok) == __NR_SCMP_ERROR)
			return sc_error_set(err, -EINVAL, "--args: unknown syscall \"%s\"", tok);
		struct sc_arg_spec *nv = realloc(specs->v, (specs->n + 1) * sizeof(*nv));
		if (!nv)
			return sc_error_set(err, -ENOMEM, "out of memory");
		specs->v = nv;
		if (!(nv[specs->n].name = strdup(tok)))
			return sc_error_set(err, -ENOMEM, "out of memory");
		nv[specs->n++].index = (unsigned)index;
	}
	return 0;
}

void sc_arg_specs_free(struct sc_arg_specs *specs)
{
	for (size_t i = 0; i < specs->n; i++)
		free(specs->v[i].name);
	free(specs->v);
	specs->v = NULL;
	specs->n = 0;
}

int sc_arg_specs_index(const struct sc_arg_specs *specs, uint32_t arch, int nr)
{
	if (!specs)
		return -1;
	int scmp_nr = arch == SCMP_ARCH_X32 ? nr | (int)SC_X32_SYSCALL_BIT : nr;
	for (size_t i = 0; i < specs->n; i++)
		if (seccomp_syscall_resolve_name_arch(arch, specs->v[i].name) == scmp_nr)
			return (int)specs->v[i].index;
	return -1;
}

/* ---- learn --counts ---- */

static int cmp_count_desc(const void *a, const void *b)
{
	const struct sc_learned_name *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

void sc_record_write_counts(FILE *out, const struct sc_record *rec)
{
	struct sc_learned_name *v;
	size_t n;
	struct sc_error err = {0};
	if (sc_record_names(rec, &v, &n, NULL, &err) < 0)
		return;
	qsort(v, n, sizeof(*v), cmp_count_desc);
	fprintf(out, "%12s  %s\n", "calls", "syscall");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%12" PRIu64 "  %s", v[i].count, v[i].name);
		/* arches other than the native one, when the name was seen there */
		for (size_t k = 0; k < rec->n_arches; k++)
			if ((v[i].arch_mask & (1u << k)) && rec->arches[k].arch != seccomp_arch_native())
				fprintf(out, " (%s)", sc_arch_audit_name(rec->arches[k].arch));
		fputc('\n', out);
	}
	fprintf(out, "%12" PRIu64 "  total\n", rec->total);
	sc_learned_names_free(v, n);
}
