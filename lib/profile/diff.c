/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/bpf.h"
#include "seclude/diff.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u
/* Above this many argument vectors per syscall, each argument is varied alone. */
#define MAX_VECTORS 20000
/* Argument vectors spelled out in one condition before "N more". */
#define MAX_LISTED 4

struct atom {
	unsigned index;
	enum sc_op op;
	uint64_t value, value_two;
};

struct atoms {
	struct atom *v;
	size_t n, cap;
};

struct u64v {
	uint64_t *v;
	size_t n, cap;
};

static int u64v_push(struct u64v *s, uint64_t x)
{
	if (SC_GROW(s->v, s->cap, s->n, 16) < 0)
		return -ENOMEM;
	s->v[s->n++] = x;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void u64v_sort_uniq(struct u64v *s)
{
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	size_t w = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] != s->v[w - 1])
			s->v[w++] = s->v[i];
	s->n = w;
}

static int atoms_add(struct atoms *s, const struct sc_arg *a)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].index == a->index && s->v[i].op == a->op && s->v[i].value == a->value &&
		    (a->op != SC_OP_MASKED_EQ || s->v[i].value_two == a->value_two))
			return 0;
	if (SC_GROW(s->v, s->cap, s->n, 8) < 0)
		return -ENOMEM;
	s->v[s->n++] = (struct atom){ a->index, a->op, a->value, a->value_two };
	return 0;
}

/* Every condition either policy puts on the syscall called name. */
static int collect_atoms(const struct sc_policy *pol, const char *name, struct atoms *out)
{
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *r = &pol->rules[i];
		if (!r->name || strcmp(r->name, name) != 0)
			continue;
		for (size_t j = 0; j < r->n_args; j++) {
			if (r->args[j].index > 5)
				continue;
			if (atoms_add(out, &r->args[j]) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Architectures whose filters see 32-bit arguments. */
static bool arch_args_32(uint32_t arch)
{
	switch (arch) {
	case SCMP_ARCH_X86: case SCMP_ARCH_ARM: case SCMP_ARCH_MIPS: case SCMP_ARCH_MIPSEL:
	case SCMP_ARCH_PPC: case SCMP_ARCH_S390: case SCMP_ARCH_PARISC:
	/*
	 * x32 registers are 64-bit, but libseccomp compiles x32 comparisons
	 * on the low word only, so the high word never changes a verdict.
	 */
	case SCMP_ARCH_X32:
		return true;
	}
	return false;
}

static uint32_t audit_arch(uint32_t arch)
{
	/* x32 calls reach seccomp as x86_64 ones with bit 30 in the number */
	return arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arch;
}

/* The values worth trying for one argument index. */
static int probe_values(const struct atoms *at, unsigned index, uint64_t vmax, struct u64v *out)
{
	int r = 0;
	r |= u64v_push(out, 0);
	r |= u64v_push(out, vmax);
	for (size_t i = 0; i < at->n; i++) {
		const struct atom *a = &at->v[i];
		if (a->index != index)
			continue;
		if (a->op == SC_OP_MASKED_EQ) {
			uint64_t m = a->value & vmax, w = a->value_two & vmax;
			r |= u64v_push(out, w);
			r |= u64v_push(out, (w | ~m) & vmax);
			r |= u64v_push(out, m);
			for (unsigned b = 0; b < 64; b++)
				if (m & (UINT64_C(1) << b))
					r |= u64v_push(out, w ^ (UINT64_C(1) << b));
		} else {
			uint64_t v = a->value & vmax;
			r |= u64v_push(out, v);
			if (v > 0)
				r |= u64v_push(out, v - 1);
			if (v < vmax)
				r |= u64v_push(out, v + 1);
		}
	}
	if (r)
		return -ENOMEM;
	u64v_sort_uniq(out);
	return 0;
}

static uint32_t normalize(uint32_t ret)
{
	/* the kernel caps an errno at MAX_ERRNO: 4095 and above mean the same */
	if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO && (ret & SECCOMP_RET_DATA) > 4095)
		return SECCOMP_RET_ERRNO | 4095;
	return ret;
}

/* Both programs, checked once: the scan runs each of them thousands of times. */
struct runners {
	struct sc_bpf_checked *a, *b;
};

static void run_both(const struct runners *run, const struct seccomp_data *d, uint32_t *ra,
		     uint32_t *rb)
{
	struct sc_sim_result res;
	sc_bpf_checked_run(run->a, d, &res);
	*ra = normalize(res.ret);
	sc_bpf_checked_run(run->b, d, &res);
	*rb = normalize(res.ret);
}

static const char *const af_names[] = {
	"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK", "AF_NETROM",
	"AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
	"AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC",
	"AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS",
	"AF_CAN", "AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET",
	"AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK", "AF_KCM", "AF_QIPCRTR",
	"AF_SMC", "AF_XDP", "AF_MCTP",
};

/* A name for a single argument value, where the syscall gives it one. */
static const char *value_name(const char *syscall, unsigned index, uint64_t v)
{
	if (index == 0 && (!strcmp(syscall, "socket") || !strcmp(syscall, "socketpair")) &&
	    v < SC_ARRAY_SIZE(af_names))
		return af_names[v];
	return NULL;
}

static void fmt_val(FILE *f, uint64_t v)
{
	if (v < 4096)
		fprintf(f, "%" PRIu64, v);
	else
		fprintf(f, "0x%" PRIx64, v);
}

static bool atom_holds(const struct atom *a, uint64_t x)
{
	switch (a->op) {
	case SC_OP_NE: return x != a->value;
	case SC_OP_LT: return x < a->value;
	case SC_OP_LE: return x <= a->value;
	case SC_OP_EQ: return x == a->value;
	case SC_OP_GE: return x >= a->value;
	case SC_OP_GT: return x > a->value;
	case SC_OP_MASKED_EQ: return (x & a->value) == a->value_two;
	}
	return false;
}

/* The probes of one syscall: vectors of argument values and both verdicts. */
struct probes {
	unsigned idx[6];          /* argument indices that vary */
	size_t n_idx;
	struct u64v vals[6];      /* per varying index, sorted */
	uint64_t (*vec)[6];       /* each vector's full argument array */
	uint32_t *ra, *rb;
	size_t n;
	bool one_at_a_time;       /* too many combinations: each index varied alone */
	uint64_t vmax;
};

static void probes_free(struct probes *p)
{
	for (size_t i = 0; i < 6; i++)
		free(p->vals[i].v);
	free(p->vec);
	free(p->ra);
	free(p->rb);
}

static int probes_build(struct probes *p, const struct atoms *at, uint64_t vmax)
{
	*p = (struct probes){ .vmax = vmax };
	for (unsigned i = 0; i < 6; i++) {
		bool used = false;
		for (size_t j = 0; j < at->n; j++)
			used |= at->v[j].index == i;
		if (!used)
			continue;
		if (probe_values(at, i, vmax, &p->vals[p->n_idx]) < 0)
			return -ENOMEM;
		p->idx[p->n_idx++] = i;
	}
	size_t total = 1;
	for (size_t k = 0; k < p->n_idx; k++) {
		total *= p->vals[k].n;
		if (total > MAX_VECTORS) {
			p->one_at_a_time = true;
			break;
		}
	}
	if (p->one_at_a_time) {
		total = 1;
		for (size_t k = 0; k < p->n_idx; k++)
			total += p->vals[k].n;
	}
	p->vec = calloc(total, sizeof(*p->vec));
	p->ra = calloc(total, sizeof(*p->ra));
	p->rb = calloc(total, sizeof(*p->rb));
	if (!p->vec || !p->ra || !p->rb)
		return -ENOMEM;

	if (p->one_at_a_time) {
		size_t n = 1;   /* vector 0: all zero */
		for (size_t k = 0; k < p->n_idx; k++)
			for (size_t j = 0; j < p->vals[k].n; j++) {
				if (p->vals[k].v[j] == 0)
					continue;
				p->vec[n][p->idx[k]] = p->vals[k].v[j];
				n++;
			}
		p->n = n;
		return 0;
	}
	size_t pos[6] = {0};
	for (size_t n = 0; n < total; n++) {
		for (size_t k = 0; k < p->n_idx; k++)
			p->vec[n][p->idx[k]] = p->vals[k].v[pos[k]];
		for (size_t k = 0; k < p->n_idx; k++) {
			if (++pos[k] < p->vals[k].n)
				break;
			pos[k] = 0;
		}
	}
	p->n = total;
	return 0;
}

/* Intervals of one comparison-only index: value j stands for [v[j], v[j+1]-1]. */
static void describe_intervals(FILE *f, const struct probes *p, const bool *member,
			       const char *syscall)
{
	const struct u64v *vals = &p->vals[0];
	unsigned idx = p->idx[0];
	bool first = true;
	for (size_t j = 0; j < vals->n; ) {
		if (!member[j]) {
			j++;
			continue;
		}
		size_t k = j;
		while (k + 1 < vals->n && member[k + 1])
			k++;
		uint64_t lo = vals->v[j];
		uint64_t hi = k + 1 < vals->n ? vals->v[k + 1] - 1 : p->vmax;
		fputs(first ? "" : " or ", f);
		first = false;
		if (lo == hi) {
			fprintf(f, "arg%u == ", idx);
			fmt_val(f, lo);
			const char *vn = value_name(syscall, idx, lo);
			if (vn)
				fprintf(f, " (%s)", vn);
		} else if (hi == p->vmax) {
			fprintf(f, "arg%u >= ", idx);
			fmt_val(f, lo);
		} else if (lo == 0) {
			fprintf(f, "arg%u <= ", idx);
			fmt_val(f, hi);
		} else {
			fprintf(f, "arg%u in ", idx);
			fmt_val(f, lo);
			fputs("..", f);
			fmt_val(f, hi);
		}
		j = k + 1;
	}
}

static void describe_vector(FILE *f, const struct probes *p, size_t n)
{
	bool first = true;
	for (size_t k = 0; k < p->n_idx; k++) {
		unsigned i = p->idx[k];
		if (p->one_at_a_time && p->vec[n][i] == 0)
			continue;
		fprintf(f, "%sarg%u == ", first ? "" : " and ", i);
		fmt_val(f, p->vec[n][i]);
		first = false;
	}
	if (first) {
		/* one at a time, the all-zero vector */
		for (size_t k = 0; k < p->n_idx; k++)
			fprintf(f, "%sarg%u == 0", k ? " and " : "", p->idx[k]);
	}
}

static void fmt_literal(FILE *f, const struct atom *a, bool truth, uint64_t vmax)
{
	static const char *const pos[] = {
		[SC_OP_NE] = "!=", [SC_OP_LT] = "<", [SC_OP_LE] = "<=", [SC_OP_EQ] = "==",
		[SC_OP_GE] = ">=", [SC_OP_GT] = ">", [SC_OP_MASKED_EQ] = "==",
	};
	static const char *const neg[] = {
		[SC_OP_NE] = "==", [SC_OP_LT] = ">=", [SC_OP_LE] = ">", [SC_OP_EQ] = "!=",
		[SC_OP_GE] = "<", [SC_OP_GT] = "<=", [SC_OP_MASKED_EQ] = "!=",
	};
	fprintf(f, "arg%u ", a->index);
	if (a->op == SC_OP_MASKED_EQ) {
		fputs("& ", f);
		fmt_val(f, a->value & vmax);
		fputc(' ', f);
	}
	fprintf(f, "%s ", truth ? pos[a->op] : neg[a->op]);
	fmt_val(f, (a->op == SC_OP_MASKED_EQ ? a->value_two : a->value) & vmax);
}

static bool atom_holds_in(const struct atom *a, uint64_t x, uint64_t vmax)
{
	struct atom t = *a;
	t.value &= vmax;
	t.value_two &= vmax;
	return atom_holds(&t, x);
}

/*
 * A conjunction of literals true for every vector in "in" and false for
 * every one in "out", pruned to the literals that are needed.  Literals
 * are bits of *mask (which atoms) and *val (their truth).
 */
static bool separating_conjunction(const uint64_t *sig, size_t n, const bool *in, bool in_value,
				   size_t n_atoms, uint64_t *mask, uint64_t *val)
{
	uint64_t all = n_atoms >= 64 ? UINT64_MAX : (UINT64_C(1) << n_atoms) - 1;
	uint64_t m = all, v = 0;
	bool any = false;
	for (size_t j = 0; j < n; j++) {
		if (in[j] != in_value)
			continue;
		if (!any) {
			v = sig[j];
			any = true;
		}
		m &= ~(sig[j] ^ v);
	}
	v &= m;
	if (!any)
		return false;
	/* no vector on the other side may satisfy it */
	for (size_t j = 0; j < n; j++)
		if (in[j] != in_value && (sig[j] & m) == v)
			return false;
	/* drop literals the separation does not need */
	for (size_t k = 0; k < n_atoms; k++) {
		uint64_t bit = UINT64_C(1) << k;
		if (!(m & bit))
			continue;
		uint64_t m2 = m & ~bit, v2 = v & ~bit;
		bool still = true;
		for (size_t j = 0; j < n && still; j++)
			if (in[j] != in_value && (sig[j] & m2) == v2)
				still = false;
		if (still) {
			m = m2;
			v = v2;
		}
	}
	*mask = m;
	*val = v;
	return true;
}

static void fmt_conjunction(FILE *f, const struct atoms *at, uint64_t m, uint64_t v, bool negate,
			    uint64_t vmax)
{
	int n_lits = __builtin_popcountll(m);
	bool first = true;
	if (negate && n_lits > 1)
		fputs("not (", f);
	for (size_t k = 0; k < at->n; k++) {
		uint64_t bit = UINT64_C(1) << k;
		if (!(m & bit))
			continue;
		fputs(first ? "" : " and ", f);
		first = false;
		bool truth = (v & bit) != 0;
		fmt_literal(f, &at->v[k], n_lits == 1 && negate ? !truth : truth, vmax);
	}
	if (negate && n_lits > 1)
		fputc(')', f);
}

/* Describe the members by the profiles' own conditions, when they separate them. */
static bool describe_by_atoms(FILE *f, const struct probes *p, const struct atoms *at,
			      const bool *member)
{
	if (at->n == 0 || at->n > 64)
		return false;
	uint64_t *sig = calloc(p->n, sizeof(*sig));
	if (!sig)
		return false;
	for (size_t j = 0; j < p->n; j++)
		for (size_t k = 0; k < at->n; k++)
			if (atom_holds_in(&at->v[k], p->vec[j][at->v[k].index], p->vmax))
				sig[j] |= UINT64_C(1) << k;

	bool ok = false;
	uint64_t m, v, m2, v2;
	bool have_pos = separating_conjunction(sig, p->n, member, true, at->n, &m, &v);
	bool have_neg = separating_conjunction(sig, p->n, member, false, at->n, &m2, &v2);
	if (have_pos && (!have_neg || __builtin_popcountll(m) <= __builtin_popcountll(m2))) {
		fmt_conjunction(f, at, m, v, false, p->vmax);
		ok = true;
	} else if (have_neg) {
		fmt_conjunction(f, at, m2, v2, true, p->vmax);
		ok = true;
	}
	free(sig);
	return ok;
}

/* A condition naming the vectors in member[], exact for what was probed. */
static char *describe(const struct probes *p, const struct atoms *at, const bool *member,
		      const char *syscall)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;

	bool done = false;
	if (p->n_idx == 1 && !p->one_at_a_time) {
		bool masked = false;
		for (size_t j = 0; j < at->n; j++)
			masked |= at->v[j].op == SC_OP_MASKED_EQ;
		if (!masked) {
			describe_intervals(f, p, member, syscall);
			done = true;
		}
	}
	if (!done)
		done = describe_by_atoms(f, p, at, member);
	if (!done) {
		size_t listed = 0, total = 0;
		for (size_t j = 0; j < p->n; j++) {
			if (!member[j])
				continue;
			total++;
			if (listed == MAX_LISTED)
				continue;
			fputs(listed ? " or " : "", f);
			if (p->n_idx > 1)
				fputc('(', f);
			describe_vector(f, p, j);
			if (p->n_idx > 1)
				fputc(')', f);
			listed++;
		}
		if (total > listed)
			fprintf(f, " or %zu more argument vectors", total - listed);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct entries {
	struct sc_diff_entry *v;
	size_t n, cap;
};

static struct sc_diff_entry *entries_new(struct entries *e)
{
	if (SC_GROW(e->v, e->cap, e->n, 32) < 0)
		return NULL;
	struct sc_diff_entry *x = &e->v[e->n++];
	*x = (struct sc_diff_entry){0};
	return x;
}

static void entry_clear(struct sc_diff_entry *x)
{
	for (size_t i = 0; i < x->n_cases; i++)
		free(x->cases[i].cond);
	free(x->cases);
	free(x->name);
}

/* Compare one named syscall; *x gets its cases, n_cases 0 when both agree. */
static int diff_named(const struct sc_diff_side *a, const struct sc_diff_side *b,
		      const struct runners *run, uint32_t arch, uint32_t nr, const char *name,
		      struct sc_diff_entry *x, struct sc_error *err)
{
	struct atoms at = {0};
	struct probes p = {0};
	bool *member = NULL;
	int r;

	if (collect_atoms(a->pol, name, &at) < 0 || collect_atoms(b->pol, name, &at) < 0) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (probes_build(&p, &at, arch_args_32(arch) ? UINT32_MAX : UINT64_MAX) < 0) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	size_t n_diff = 0;
	for (size_t j = 0; j < p.n; j++) {
		struct seccomp_data d = { .nr = (int)nr, .arch = audit_arch(arch) };
		memcpy(d.args, p.vec[j], sizeof(d.args));
		run_both(run, &d, &p.ra[j], &p.rb[j]);
		n_diff += p.ra[j] != p.rb[j];
	}
	r = 0;
	if (n_diff == 0)
		goto out;

	/* the same two verdicts whatever the arguments: no condition to state */
	bool uniform = n_diff == p.n;
	for (size_t j = 1; uniform && j < p.n; j++)
		uniform = p.ra[j] == p.ra[0] && p.rb[j] == p.rb[0];

	member = calloc(p.n, sizeof(*member));
	bool *taken = calloc(p.n, sizeof(*taken));
	if (!member || !taken) {
		free(taken);
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < p.n; j++) {
		if (p.ra[j] == p.rb[j] || taken[j])
			continue;
		/* one case per pair of verdicts, in the order they first appear */
		for (size_t k = 0; k < p.n; k++) {
			member[k] = !taken[k] && p.ra[k] == p.ra[j] && p.rb[k] == p.rb[j];
			taken[k] |= member[k];
		}
		struct sc_diff_case *nc = realloc(x->cases, (x->n_cases + 1) * sizeof(*nc));
		if (!nc) {
			free(taken);
			r = sc_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		x->cases = nc;
		struct sc_diff_case *c = &x->cases[x->n_cases++];
		*c = (struct sc_diff_case){ .ret_a = p.ra[j], .ret_b = p.rb[j] };
		if (!uniform && !(c->cond = describe(&p, &at, member, name))) {
			free(taken);
			r = sc_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
	}
	free(taken);
	x->arch = arch;
	x->nr_first = x->nr_last = nr;
	if (!(x->name = strdup(name)))
		r = sc_error_set(err, -ENOMEM, "out of memory");
out:
	free(member);
	free(at.v);
	probes_free(&p);
	return r;
}

static const char *arch_sort_name(uint32_t arch)
{
	const char *n = sc_arch_user_name(arch);
	return n ? n : "~";
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct sc_diff_entry *a = pa, *b = pb;
	int c = strcmp(arch_sort_name(a->arch), arch_sort_name(b->arch));
	if (c)
		return c;
	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (!a->name != !b->name)
		return a->name ? -1 : 1;
	if (a->name && (c = strcmp(a->name, b->name)))
		return c;
	return a->nr_first < b->nr_first ? -1 : a->nr_first > b->nr_first;
}

static int cmp_arch(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c = strcmp(arch_sort_name(a), arch_sort_name(b));
	return c ? c : (a < b ? -1 : a > b);
}

static int add_arch(uint32_t **v, size_t *n, uint32_t arch)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == arch)
			return 0;
	uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = arch;
	*v = nv;
	return 0;
}

int sc_diff_compute(const struct sc_diff_side *a, const struct sc_diff_side *b,
		    const uint32_t *only, size_t n_only, struct sc_diff *out,
		    struct sc_error *err)
{
	*out = (struct sc_diff){ .scan_last = SC_DIFF_SCAN_LAST };
	struct entries e = {0};
	struct runners run = {0};
	int r = sc_bpf_check(a->prog, &run.a, err);
	if (r == 0)
		r = sc_bpf_check(b->prog, &run.b, err);
	if (r < 0)
		goto fail;

	if (only && n_only) {
		for (size_t i = 0; i < n_only && r == 0; i++)
			r = add_arch(&out->arches, &out->n_arches, only[i]);
	} else {
		for (size_t i = 0; i < a->pol->n_arches && r == 0; i++)
			r = add_arch(&out->arches, &out->n_arches, a->pol->arches[i]);
		for (size_t i = 0; i < b->pol->n_arches && r == 0; i++)
			r = add_arch(&out->arches, &out->n_arches, b->pol->arches[i]);
	}
	if (r < 0) {
		r = sc_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	qsort(out->arches, out->n_arches, sizeof(*out->arches), cmp_arch);

	for (size_t ai = 0; ai < out->n_arches; ai++) {
		uint32_t arch = out->arches[ai];
		uint32_t base = arch == SCMP_ARCH_X32 ? X32_SYSCALL_BIT : 0;
		for (uint32_t n = 0; n <= SC_DIFF_SCAN_LAST; n++) {
			uint32_t nr = base + n;
			char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
			if (name) {
				struct sc_diff_entry x = {0};
				r = diff_named(a, b, &run, arch, nr, name, &x, err);
				free(name);
				if (r < 0) {
					entry_clear(&x);
					goto fail;
				}
				if (x.n_cases == 0) {
					entry_clear(&x);
					continue;
				}
				struct sc_diff_entry *slot = entries_new(&e);
				if (!slot) {
					entry_clear(&x);
					r = sc_error_set(err, -ENOMEM, "out of memory");
					goto fail;
				}
				*slot = x;
				continue;
			}
			/* a number without a name: no conditions can name it, so all-zero arguments */
			struct seccomp_data d = { .nr = (int)nr, .arch = audit_arch(arch) };
			uint32_t ra, rb;
			run_both(&run, &d, &ra, &rb);
			if (ra == rb)
				continue;
			struct sc_diff_entry *prev = e.n ? &e.v[e.n - 1] : NULL;
			if (prev && !prev->name && prev->arch == arch && prev->nr_last + 1 == nr &&
			    prev->cases[0].ret_a == ra && prev->cases[0].ret_b == rb) {
				prev->nr_last = nr;
				continue;
			}
			struct sc_diff_entry *x = entries_new(&e);
			struct sc_diff_case *c = x ? calloc(1, sizeof(*c)) : NULL;
			if (!c) {
				r = sc_error_set(err, -ENOMEM, "out of memory");
				goto fail;
			}
			*c = (struct sc_diff_case){ .ret_a = ra, .ret_b = rb };
			*x = (struct sc_diff_entry){ .arch = arch, .nr_first = nr, .nr_last = nr,
						     .cases = c, .n_cases = 1 };
		}
	}
	if (e.n)
		qsort(e.v, e.n, sizeof(*e.v), cmp_entry);
	out->v = e.v;
	out->n = e.n;
	sc_bpf_checked_free(run.a);
	sc_bpf_checked_free(run.b);
	return 0;
fail:
	sc_bpf_checked_free(run.a);
	sc_bpf_checked_free(run.b);
	for (size_t i = 0; i < e.n; i++)
		entry_clear(&e.v[i]);
	free(e.v);
	free(out->arches);
	*out = (struct sc_diff){0};
	return r;
}

static int compile_side(const struct sc_policy *pol, struct sc_bpf *out, struct sc_error *err)
{
	int r = sc_policy_compile(pol, NULL, out, err);
	const char *origin = pol->profile->origin;
	/* which of the two profiles, unless the message says already */
	if (r < 0 && origin && strncmp(err->msg, origin, strlen(origin)) != 0)
		sc_error_prefix(err, "%s", origin);
	return r;
}

int sc_diff_profiles(const struct sc_profile *a, const struct sc_profile *b,
		     const struct sc_target *t, const uint32_t *only, size_t n_only,
		     struct sc_diff *out, struct sc_diags *diags, struct sc_error *err)
{
	struct sc_policy *pa = NULL, *pb = NULL;
	struct sc_bpf ba = {0}, bb = {0};
	int r = sc_profile_resolve(a, t, &pa, diags, err);
	if (r < 0)
		goto out;
	r = sc_profile_resolve(b, t, &pb, diags, err);
	if (r < 0)
		goto out;
	r = compile_side(pa, &ba, err);
	if (r < 0)
		goto out;
	r = compile_side(pb, &bb, err);
	if (r < 0)
		goto out;
	const struct sc_diff_side sa = { pa, &ba }, sb = { pb, &bb };
	r = sc_diff_compute(&sa, &sb, only, n_only, out, err);
out:
	sc_bpf_free(&ba);
	sc_bpf_free(&bb);
	sc_policy_free(pa);
	sc_policy_free(pb);
	return r;
}

void sc_diff_free(struct sc_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		entry_clear(&d->v[i]);
	free(d->v);
	free(d->arches);
	*d = (struct sc_diff){0};
}

int sc_diff_files(const char *path_a, const char *path_b, const struct sc_parse_opts *popts,
		  const struct sc_target *t, const uint32_t *only, size_t n_only,
		  struct sc_diff *out, struct sc_diags *diags_a, struct sc_diags *diags_b,
		  struct sc_error *err)
{
	struct sc_compiled_profile a, b = {0};
	int r = sc_compiled_profile_load(path_a, popts->unknown_syscall_is_error, true, t, &a, diags_a, err);
	if (r == 0)
		r = sc_compiled_profile_load(path_b, popts->unknown_syscall_is_error, true, t, &b, diags_b, err);
	if (r == 0) {
		const struct sc_diff_side sa = { a.policy, &a.bpf }, sb = { b.policy, &b.bpf };
		r = sc_diff_compute(&sa, &sb, only, n_only, out, err);
	}
	sc_compiled_profile_free(&a);
	sc_compiled_profile_free(&b);
	return r;
}
