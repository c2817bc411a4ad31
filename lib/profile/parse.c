/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Docker's seccomp JSON into struct sc_profile.
 *
 * Decoding follows Go's encoding/json as moby uses it: keys match their
 * field exactly or else case-insensitively, a key given twice counts the
 * last time, null leaves a string or number as it was and clears a list or
 * an optional value.  Unknown keys are dropped by Docker; here they are a
 * warning, since a typo such as "syscall" silently loses every rule.
 * Validation then follows moby (name/names, architectures/archMap,
 * minKernel) and the runtimes (actions, operators, arches, flags, index,
 * errnoRet), with every error located in the file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/names.h"
#include "seclude/edit.h"
#include "seclude/jsonloc.h"
#include "seclude/profile.h"
#include "seclude/util.h"

struct pctx {
	const char *origin;
	struct sc_diags *diags;
	struct sc_error *err;
	char path[512];
	size_t plen;
	bool docker_only;
	bool bundle;          /* a runtime's config.json: runc's decoder, without Docker's own fields */
};

static size_t path_push(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t path_push(struct pctx *c, const char *fmt, ...)
{
	size_t mark = c->plen;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(c->path + c->plen, sizeof(c->path) - c->plen, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->plen += (size_t)n < sizeof(c->path) - c->plen ? (size_t)n : sizeof(c->path) - c->plen - 1;
	return mark;
}

static void path_pop(struct pctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

static const char *path_str(const struct pctx *c)
{
	return c->path[0] == '.' ? c->path + 1 : c->path;
}

static int fail(struct pctx *c, struct sc_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct pctx *c, struct sc_loc loc, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen)
		return sc_error_set(c->err, -EINVAL, "%s:%u:%u: %s: %s", c->origin, loc.line, loc.col,
				    path_str(c), msg);
	return sc_error_set(c->err, -EINVAL, "%s:%u:%u: %s", c->origin, loc.line, loc.col, msg);
}

static void diag(struct pctx *c, enum sc_diag_level lvl, struct sc_loc loc, const char *code,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void diag(struct pctx *c, enum sc_diag_level lvl, struct sc_loc loc, const char *code,
		 const char *fmt, ...)
{
	if (!c->diags)
		return;
	char where[600], msg[768];
	snprintf(where, sizeof(where), "%s:%u:%u", c->origin, loc.line, loc.col);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc_diags_add(c->diags, lvl, code, where, c->plen ? path_str(c) : NULL, "%s", msg);
}

/* ---- field matching, as encoding/json does it ---- */

enum fkind {
	F_SCALAR,   /* string or number: null leaves it unchanged */
	F_NULLABLE, /* list, object or optional number: null clears it */
};

struct field {
	const char *name;
	enum fkind kind;
	bool docker_only;
};

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + ((a[i - 1] | 32) != (b[j - 1] | 32));
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

/*
 * Sort an object's members onto fields: got[i] is the member that counts
 * for field i (the last one; null ignored for scalars), NULL when absent.
 * Unknown keys and repeats become warnings.
 */
static void match_fields(struct pctx *c, const struct sc_json *obj, const struct field *fields,
			 size_t nf, const struct sc_json_member **got)
{
	for (size_t i = 0; i < nf; i++)
		got[i] = NULL;
	for (size_t m = 0; m < obj->n_members; m++) {
		const struct sc_json_member *mem = &obj->members[m];
		size_t f = nf;
		for (size_t i = 0; i < nf && f == nf; i++)
			if (strcmp(mem->key, fields[i].name) == 0)
				f = i;
		for (size_t i = 0; i < nf && f == nf; i++)
			if (sc_json_key_equal(mem->key, fields[i].name)) {
				f = i;
				size_t mark = path_push(c, ".%s", mem->key);
				diag(c, SC_DIAG_NOTE, mem->key_loc, "key-case",
				     "key \"%s\" is taken as \"%s\" (Docker matches keys case-insensitively)",
				     mem->key, fields[i].name);
				path_pop(c, mark);
			}
		size_t mark = path_push(c, ".%s", mem->key);
		if (f == nf) {
			const char *best = NULL;
			size_t bd = 3;
			for (size_t i = 0; i < nf; i++) {
				size_t d = edit_distance(mem->key, fields[i].name);
				if (d < bd) {
					bd = d;
					best = fields[i].name;
				}
			}
			if (best)
				diag(c, SC_DIAG_WARNING, mem->key_loc, "unknown-field",
				     "unknown field \"%s\", ignored as Docker ignores it; did you mean \"%s\"?",
				     mem->key, best);
			else
				diag(c, SC_DIAG_WARNING, mem->key_loc, "unknown-field",
				     "unknown field \"%s\", ignored as Docker ignores it", mem->key);
		} else {
			if (fields[f].docker_only && c->bundle) {
				/* runc's types do not have it: encoding/json drops it */
				diag(c, SC_DIAG_WARNING, mem->key_loc, "unknown-field",
				     "\"%s\" is Docker's, not the runtime spec's: a runtime reading this "
				     "config ignores it, and so does seclude", fields[f].name);
				path_pop(c, mark);
				continue;
			}
			if (got[f])
				diag(c, SC_DIAG_WARNING, mem->key_loc, "duplicate-key",
				     "\"%s\" is given more than once; the last one counts, as in Docker",
				     fields[f].name);
			if (fields[f].docker_only)
				c->docker_only = true;
			if (mem->value.type != SC_JSON_NULL || fields[f].kind == F_NULLABLE)
				got[f] = mem;
		}
		path_pop(c, mark);
	}
}

/* ---- typed values ---- */

static int type_error(struct pctx *c, const struct sc_json *v, const char *want)
{
	return fail(c, v->loc, "expected %s, got %s", want, sc_json_type_name(v->type));
}

/* NULL (absent) leaves *dst alone; a string replaces it. */
static int get_string(struct pctx *c, const struct sc_json *v, char **dst)
{
	if (!v)
		return 0;
	if (v->type != SC_JSON_STRING)
		return type_error(c, v, "a string");
	char *s = strdup(v->str);
	if (!s)
		return sc_error_set(c->err, -ENOMEM, "out of memory");
	free(*dst);
	*dst = s;
	return 0;
}

static int get_uint(struct pctx *c, const struct sc_json *v, uint64_t max, const char *what,
		    uint64_t *dst)
{
	if (v->type != SC_JSON_NUMBER)
		return type_error(c, v, "a number");
	int r = sc_json_uint(v, max, dst);
	if (r == -ERANGE)
		return fail(c, v->loc, "%.*s is out of range for %s (at most %llu)", (int)v->lit_len,
			    v->lit, what, (unsigned long long)max);
	if (r < 0) {
		if (v->lit[0] == '-')
			return fail(c, v->loc, "%.*s is negative; %s must be between 0 and %llu",
				    (int)v->lit_len, v->lit, what, (unsigned long long)max);
		return fail(c, v->loc, "%.*s is not an integer; %s must be a whole number",
			    (int)v->lit_len, v->lit, what);
	}
	return 0;
}

static int get_strv(struct pctx *c, const struct sc_json *v, char ***dst, size_t *n,
		    struct sc_loc **locs)
{
	sc_strv_free(*dst, *n);
	*dst = NULL;
	*n = 0;
	if (locs) {
		free(*locs);
		*locs = NULL;
	}
	if (!v || v->type == SC_JSON_NULL)
		return 0;
	if (v->type != SC_JSON_ARRAY)
		return type_error(c, v, "an array of strings");
	char **out = calloc(v->n_items + 1, sizeof(*out));
	struct sc_loc *l = locs ? calloc(v->n_items + 1, sizeof(*l)) : NULL;
	if (!out || (locs && !l)) {
		free(out);
		free(l);
		return sc_error_set(c->err, -ENOMEM, "out of memory");
	}
	*dst = out;
	if (locs)
		*locs = l;
	for (size_t i = 0; i < v->n_items; i++) {
		const struct sc_json *it = &v->items[i];
		size_t mark = path_push(c, "[%zu]", i);
		if (it->type != SC_JSON_STRING) {
			int r = type_error(c, it, "a string");
			path_pop(c, mark);
			return r;
		}
		path_pop(c, mark);
		if (!(out[i] = strdup(it->str)))
			return sc_error_set(c->err, -ENOMEM, "out of memory");
		*n = i + 1;
		if (l)
			l[i] = it->loc;
	}
	return 0;
}

/* ---- includes / excludes ---- */

static const struct field cond_fields[] = {
	{ "caps", F_NULLABLE, false },
	{ "arches", F_NULLABLE, false },
	{ "minKernel", F_NULLABLE, false },
};
enum { C_CAPS, C_ARCHES, C_MINKERNEL };

/* strconv.ParseUint(s, 10, 8): digits only, 0..255. */
static bool parse_u8(const char *s, size_t n, unsigned *out)
{
	if (n == 0)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > 255)
			return false;
	}
	*out = v;
	return true;
}

static int parse_min_kernel(struct pctx *c, const struct sc_json *v, struct sc_cond *cond)
{
	if (v->type == SC_JSON_NULL) {
		cond->has_min_kernel = false;
		return 0;
	}
	/* moby's KernelVersion.UnmarshalJSON, messages included; it quotes
	 * the JSON as written. */
	int lw = (int)(v->lit_len > 64 ? 64 : v->lit_len);
	if (v->type != SC_JSON_STRING)
		return fail(c, v->loc, "invalid kernel version: %.*s, expected \"<kernel>.<major>\": "
			    "not a string", lw, v->lit);
	const char *s = v->str;
	cond->has_min_kernel = true;
	cond->min_major = cond->min_minor = 0;
	if (!*s)
		return 0; /* "" is a version 0.0 that was never checked: always reached */
	const char *dot = strchr(s, '.');
	if (!dot || strchr(dot + 1, '.'))
		return fail(c, v->loc, "invalid kernel version: %.*s, expected \"<kernel>.<major>\"",
			    lw, v->lit);
	if (!parse_u8(s, (size_t)(dot - s), &cond->min_major) ||
	    !parse_u8(dot + 1, strlen(dot + 1), &cond->min_minor))
		return fail(c, v->loc, "invalid kernel version: %.*s, expected \"<kernel>.<major>\": "
			    "each part must be a number from 0 to 255", lw, v->lit);
	if (cond->min_major == 0 && cond->min_minor == 0)
		return fail(c, v->loc, "invalid kernel version: %.*s, expected \"<kernel>.<major>\": "
			    "version cannot be 0.0", lw, v->lit);
	return 0;
}

static void cond_clear(struct sc_cond *cond)
{
	sc_strv_free(cond->caps, cond->n_caps);
	sc_strv_free(cond->arches, cond->n_arches);
	*cond = (struct sc_cond){0};
}

static int parse_cond(struct pctx *c, const struct sc_json *v, bool *has, struct sc_cond *cond)
{
	if (v->type == SC_JSON_NULL) {
		cond_clear(cond);
		*has = false;
		return 0;
	}
	if (v->type != SC_JSON_OBJECT)
		return type_error(c, v, "an object with caps, arches or minKernel");
	/* A second includes object is decoded into the same struct, as Go does. */
	*has = true;
	cond->loc = v->loc;
	const struct sc_json_member *got[SC_ARRAY_SIZE(cond_fields)];
	match_fields(c, v, cond_fields, SC_ARRAY_SIZE(cond_fields), got);
	int r;
	size_t mark;
	if (got[C_CAPS]) {
		mark = path_push(c, ".caps");
		r = get_strv(c, &got[C_CAPS]->value, &cond->caps, &cond->n_caps, NULL);
		for (size_t i = 0; r == 0 && i < cond->n_caps; i++) {
			int cap = sc_cap_from_name(cond->caps[i]);
			size_t m2 = path_push(c, "[%zu]", i);
			struct sc_loc l = got[C_CAPS]->value.items[i].loc;
			if (cap < 0)
				diag(c, SC_DIAG_WARNING, l, "unknown-cap",
				     "unknown capability \"%s\": it is never in the set", cond->caps[i]);
			else if (strcmp(sc_cap_name(cap), cond->caps[i]) != 0)
				diag(c, SC_DIAG_WARNING, l, "cap-spelling",
				     "\"%s\" is never in the set: Docker compares capability names "
				     "exactly; write \"%s\"", cond->caps[i], sc_cap_name(cap));
			path_pop(c, m2);
		}
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (got[C_ARCHES]) {
		mark = path_push(c, ".arches");
		r = get_strv(c, &got[C_ARCHES]->value, &cond->arches, &cond->n_arches, NULL);
		for (size_t i = 0; r == 0 && i < cond->n_arches; i++) {
			const char *a = cond->arches[i];
			if (sc_arch_from_go_name(a))
				continue;
			size_t m2 = path_push(c, "[%zu]", i);
			struct sc_loc l = got[C_ARCHES]->value.items[i].loc;
			uint32_t t = sc_arch_from_user_name(a);
			if (t)
				diag(c, SC_DIAG_WARNING, l, "unknown-arch",
				     "\"%s\" never matches: arches are Go's short names; did you mean \"%s\"?",
				     a, sc_arch_go_name(t));
			else
				diag(c, SC_DIAG_WARNING, l, "unknown-arch",
				     "unknown architecture \"%s\" never matches", a);
			path_pop(c, m2);
		}
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (got[C_MINKERNEL]) {
		mark = path_push(c, ".minKernel");
		r = parse_min_kernel(c, &got[C_MINKERNEL]->value, cond);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- arguments ---- */

static const struct field arg_fields[] = {
	{ "index", F_SCALAR, false },
	{ "value", F_SCALAR, false },
	{ "valueTwo", F_SCALAR, false },
	{ "op", F_SCALAR, false },
};
enum { A_INDEX, A_VALUE, A_VALUE_TWO, A_OP };

static int parse_arg(struct pctx *c, const struct sc_json *v, struct sc_arg *arg)
{
	if (v->type != SC_JSON_OBJECT)
		return type_error(c, v, "an object with index, value and op");
	arg->loc = v->loc;
	const struct sc_json_member *got[SC_ARRAY_SIZE(arg_fields)];
	match_fields(c, v, arg_fields, SC_ARRAY_SIZE(arg_fields), got);
	uint64_t u;
	int r;
	size_t mark;
	if (got[A_INDEX]) {
		mark = path_push(c, ".index");
		r = get_uint(c, &got[A_INDEX]->value, UINT64_MAX, "index", &u);
		if (r == 0 && u > 5)
			r = fail(c, got[A_INDEX]->value.loc,
				 "index %llu is out of range: a syscall has at most 6 arguments (0..5)",
				 (unsigned long long)u);
		path_pop(c, mark);
		if (r < 0)
			return r;
		arg->index = (unsigned)u;
	}
	if (got[A_VALUE]) {
		mark = path_push(c, ".value");
		r = get_uint(c, &got[A_VALUE]->value, UINT64_MAX, "value", &arg->value);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (got[A_VALUE_TWO]) {
		mark = path_push(c, ".valueTwo");
		r = get_uint(c, &got[A_VALUE_TWO]->value, UINT64_MAX, "valueTwo", &arg->value_two);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	mark = path_push(c, ".op");
	if (!got[A_OP]) {
		r = fail(c, v->loc, "the operator is missing (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, ...)");
	} else if (got[A_OP]->value.type != SC_JSON_STRING) {
		r = type_error(c, &got[A_OP]->value, "a string");
	} else if (sc_op_from_name(got[A_OP]->value.str, &arg->op) < 0) {
		r = fail(c, got[A_OP]->value.loc,
			 "unknown operator \"%s\" (expected SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT "
			 "or _MASKED_EQ)", got[A_OP]->value.str);
	} else {
		r = 0;
	}
	path_pop(c, mark);
	return r;
}

/* ---- rules ---- */

static const struct field rule_fields[] = {
	{ "names", F_NULLABLE, false },
	{ "action", F_SCALAR, false },
	{ "errnoRet", F_NULLABLE, false },
	{ "args", F_NULLABLE, false },
	{ "name", F_SCALAR, true },
	{ "comment", F_SCALAR, true },
	{ "includes", F_NULLABLE, true },
	{ "excludes", F_NULLABLE, true },
};
enum { R_NAMES, R_ACTION, R_ERRNO, R_ARGS, R_NAME, R_COMMENT, R_INCLUDES, R_EXCLUDES };

static bool action_has_data(enum sc_action a)
{
	return a == SC_ACT_ERRNO || a == SC_ACT_TRACE;
}

static int parse_action(struct pctx *c, const struct sc_json_member *m, struct sc_loc obj_loc,
			enum sc_action *out)
{
	if (!m || (m->value.type == SC_JSON_STRING && !m->value.str[0]))
		return fail(c, m ? m->value.loc : obj_loc,
			    "the action is missing (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)");
	if (m->value.type != SC_JSON_STRING)
		return type_error(c, &m->value, "a string");
	if (sc_action_from_name(m->value.str, out) < 0)
		return fail(c, m->value.loc,
			    "unknown action \"%s\" (expected SCMP_ACT_KILL, _KILL_THREAD, "
			    "_KILL_PROCESS, _TRAP, _ERRNO, _TRACE, _LOG, _ALLOW or _NOTIFY)",
			    m->value.str);
	return 0;
}

static int parse_errno(struct pctx *c, const struct sc_json_member *m, enum sc_action a,
		       bool *has, uint32_t *out, struct sc_loc *loc)
{
	if (!m || m->value.type == SC_JSON_NULL) {
		*has = false;
		return 0;
	}
	uint64_t u;
	int r = get_uint(c, &m->value, UINT32_MAX, "an errno", &u);
	if (r < 0)
		return r;
	if (!action_has_data(a))
		return fail(c, m->value.loc,
			    "an errno only goes with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
			    sc_action_name(a));
	*has = true;
	*out = (uint32_t)u;
	*loc = m->value.loc;
	return 0;
}

static void rule_clear(struct sc_rule *r)
{
	sc_strv_free(r->names, r->n_names);
	free(r->name_locs);
	free(r->args);
	free(r->comment);
	cond_clear(&r->includes);
	cond_clear(&r->excludes);
}

static int parse_rule(struct pctx *c, const struct sc_json *v, struct sc_rule *rule)
{
	if (v->type != SC_JSON_OBJECT)
		return type_error(c, v, "an object (a rule)");
	rule->loc = v->loc;
	const struct sc_json_member *got[SC_ARRAY_SIZE(rule_fields)];
	match_fields(c, v, rule_fields, SC_ARRAY_SIZE(rule_fields), got);
	int r;
	size_t mark;

	if (got[R_NAMES]) {
		mark = path_push(c, ".names");
		r = get_strv(c, &got[R_NAMES]->value, &rule->names, &rule->n_names, &rule->name_locs);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	_cleanup_free_ char *name = NULL;
	if (got[R_NAME]) {
		mark = path_push(c, ".name");
		r = get_string(c, &got[R_NAME]->value, &name);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (name && *name) {
		if (rule->n_names > 0) {
			mark = path_push(c, ".name");
			r = fail(c, got[R_NAME]->key_loc,
				 "both 'name' and 'names' are specified in the seccomp profile, "
				 "use either 'name' or 'names'");
			path_pop(c, mark);
			return r;
		}
		/* "names": [] beside "name" is no conflict, as in moby */
		sc_strv_free(rule->names, rule->n_names);
		free(rule->name_locs);
		rule->names = calloc(2, sizeof(char *));
		rule->name_locs = calloc(1, sizeof(struct sc_loc));
		if (!rule->names || !rule->name_locs)
			return sc_error_set(c->err, -ENOMEM, "out of memory");
		rule->names[0] = TAKE_PTR(name);
		rule->name_locs[0] = got[R_NAME]->value.loc;
		rule->n_names = 1;
	}
	for (size_t i = 0; i < rule->n_names; i++)
		if (!rule->names[i][0]) {
			if (got[R_NAME] && !got[R_NAMES])
				mark = path_push(c, ".name");
			else
				mark = path_push(c, ".names[%zu]", i);
			r = fail(c, rule->name_locs[i], "empty string is not a valid syscall");
			path_pop(c, mark);
			return r;
		}
	if (rule->n_names == 0)
		diag(c, SC_DIAG_WARNING, v->loc, "no-names", "the rule names no syscall and does nothing");

	mark = path_push(c, ".action");
	r = parse_action(c, got[R_ACTION], v->loc, &rule->action);
	path_pop(c, mark);
	if (r < 0)
		return r;

	mark = path_push(c, ".errnoRet");
	r = parse_errno(c, got[R_ERRNO], rule->action, &rule->has_errno_ret, &rule->errno_ret,
			&rule->errno_loc);
	path_pop(c, mark);
	if (r < 0)
		return r;

	if (got[R_ARGS] && got[R_ARGS]->value.type != SC_JSON_NULL) {
		const struct sc_json *a = &got[R_ARGS]->value;
		mark = path_push(c, ".args");
		if (a->type != SC_JSON_ARRAY) {
			r = type_error(c, a, "an array of conditions");
			path_pop(c, mark);
			return r;
		}
		if (a->n_items > 0 && !(rule->args = calloc(a->n_items, sizeof(*rule->args)))) {
			path_pop(c, mark);
			return sc_error_set(c->err, -ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < a->n_items; i++) {
			size_t m2 = path_push(c, "[%zu]", i);
			r = parse_arg(c, &a->items[i], &rule->args[i]);
			path_pop(c, m2);
			if (r < 0) {
				path_pop(c, mark);
				return r;
			}
			rule->n_args = i + 1;
		}
		path_pop(c, mark);
	}

	if (got[R_COMMENT]) {
		mark = path_push(c, ".comment");
		r = get_string(c, &got[R_COMMENT]->value, &rule->comment);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}

	/* Every occurrence, in order: a repeated includes object merges. */
	for (size_t m = 0; m < v->n_members; m++) {
		const struct sc_json_member *mem = &v->members[m];
		bool inc = sc_json_key_equal(mem->key, "includes");
		bool exc = sc_json_key_equal(mem->key, "excludes");
		if ((!inc && !exc) || c->bundle)
			continue;
		mark = path_push(c, inc ? ".includes" : ".excludes");
		r = inc ? parse_cond(c, &mem->value, &rule->has_includes, &rule->includes)
			: parse_cond(c, &mem->value, &rule->has_excludes, &rule->excludes);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- the whole profile ---- */

static const struct field top_fields[] = {
	{ "defaultAction", F_SCALAR, false },
	{ "defaultErrnoRet", F_NULLABLE, false },
	{ "architectures", F_NULLABLE, false },
	{ "archMap", F_NULLABLE, true },
	{ "flags", F_NULLABLE, false },
	{ "listenerPath", F_SCALAR, false },
	{ "listenerMetadata", F_SCALAR, false },
	{ "syscalls", F_NULLABLE, false },
};
enum { T_DEFAULT_ACTION, T_DEFAULT_ERRNO, T_ARCHES, T_ARCHMAP, T_FLAGS, T_LPATH, T_LMETA, T_SYSCALLS };

static const struct field archmap_fields[] = {
	{ "architecture", F_SCALAR, false },
	{ "subArchitectures", F_NULLABLE, false },
};

static int check_scmp_arch(struct pctx *c, const char *name, struct sc_loc loc)
{
	if (sc_arch_from_scmp_name(name))
		return 0;
	uint32_t t = sc_arch_from_user_name(name);
	if (t)
		return fail(c, loc, "unknown architecture \"%s\"; did you mean \"%s\"?", name,
			    sc_arch_scmp_name(t));
	return fail(c, loc, "unknown architecture \"%s\" (expected SCMP_ARCH_X86_64, "
		    "SCMP_ARCH_AARCH64, ...)", name);
}

static int parse_arch_map(struct pctx *c, const struct sc_json *v, struct sc_profile *p)
{
	if (v->type == SC_JSON_NULL)
		return 0;
	if (v->type != SC_JSON_ARRAY)
		return type_error(c, v, "an array of {architecture, subArchitectures}");
	if (v->n_items && !(p->arch_map = calloc(v->n_items, sizeof(*p->arch_map))))
		return sc_error_set(c->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n_items; i++) {
		const struct sc_json *e = &v->items[i];
		struct sc_arch_map *am = &p->arch_map[i];
		p->n_arch_map = i + 1;
		size_t mark = path_push(c, "[%zu]", i);
		int r = 0;
		if (e->type != SC_JSON_OBJECT) {
			r = type_error(c, e, "an object with architecture and subArchitectures");
			path_pop(c, mark);
			return r;
		}
		am->loc = e->loc;
		const struct sc_json_member *got[2];
		match_fields(c, e, archmap_fields, 2, got);
		size_t m2 = path_push(c, ".architecture");
		if (got[0])
			r = get_string(c, &got[0]->value, &am->arch);
		if (r == 0)
			r = check_scmp_arch(c, am->arch ? am->arch : "", got[0] ? got[0]->value.loc : e->loc);
		path_pop(c, m2);
		if (r == 0 && got[1]) {
			m2 = path_push(c, ".subArchitectures");
			r = get_strv(c, &got[1]->value, &am->sub, &am->n_sub, NULL);
			for (size_t k = 0; r == 0 && k < am->n_sub; k++) {
				size_t m3 = path_push(c, "[%zu]", k);
				r = check_scmp_arch(c, am->sub[k], got[1]->value.items[k].loc);
				path_pop(c, m3);
			}
			path_pop(c, m2);
		}
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_profile(struct pctx *c, const struct sc_json *root, struct sc_profile *p)
{
	if (root->type != SC_JSON_OBJECT)
		return fail(c, root->loc, "a seccomp profile is a JSON object, not %s",
			    sc_json_type_name(root->type));
	const struct sc_json_member *got[SC_ARRAY_SIZE(top_fields)];
	match_fields(c, root, top_fields, SC_ARRAY_SIZE(top_fields), got);
	int r;
	size_t mark;

	mark = path_push(c, ".defaultAction");
	if (!got[T_DEFAULT_ACTION] || (got[T_DEFAULT_ACTION]->value.type == SC_JSON_STRING &&
				       !got[T_DEFAULT_ACTION]->value.str[0]))
		/* Docker would run the container unconfined when there are no
		 * rules either; a profile that means that says SCMP_ACT_ALLOW. */
		r = fail(c, got[T_DEFAULT_ACTION] ? got[T_DEFAULT_ACTION]->value.loc : root->loc,
			 "defaultAction is missing (SCMP_ACT_ERRNO for an allow-list, "
			 "SCMP_ACT_ALLOW for a deny-list)");
	else
		r = parse_action(c, got[T_DEFAULT_ACTION], root->loc, &p->default_action);
	path_pop(c, mark);
	if (r < 0)
		return r;
	p->has_default_action = true;
	p->default_action_loc = got[T_DEFAULT_ACTION]->value.loc;

	mark = path_push(c, ".defaultErrnoRet");
	r = parse_errno(c, got[T_DEFAULT_ERRNO], p->default_action, &p->has_default_errno,
			&p->default_errno, &p->default_errno_loc);
	path_pop(c, mark);
	if (r < 0)
		return r;

	if (got[T_ARCHES]) {
		mark = path_push(c, ".architectures");
		r = get_strv(c, &got[T_ARCHES]->value, &p->architectures, &p->n_architectures, NULL);
		for (size_t i = 0; r == 0 && i < p->n_architectures; i++) {
			size_t m2 = path_push(c, "[%zu]", i);
			r = check_scmp_arch(c, p->architectures[i], got[T_ARCHES]->value.items[i].loc);
			path_pop(c, m2);
		}
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (got[T_ARCHMAP]) {
		mark = path_push(c, ".archMap");
		r = parse_arch_map(c, &got[T_ARCHMAP]->value, p);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}
	if (p->n_architectures && p->n_arch_map) {
		mark = path_push(c, ".archMap");
		r = fail(c, got[T_ARCHMAP]->key_loc,
			 "both 'architectures' and 'archMap' are specified in the seccomp profile, "
			 "use either 'architectures' or 'archMap'");
		path_pop(c, mark);
		return r;
	}

	if (got[T_FLAGS]) {
		mark = path_push(c, ".flags");
		char **flags = NULL;
		size_t nflags = 0;
		r = get_strv(c, &got[T_FLAGS]->value, &flags, &nflags, NULL);
		p->has_flags = got[T_FLAGS]->value.type != SC_JSON_NULL;
		p->flags = 0;
		for (size_t i = 0; r == 0 && i < nflags; i++) {
			unsigned f;
			size_t m2 = path_push(c, "[%zu]", i);
			if (sc_flag_from_name(flags[i], &f) < 0)
				r = fail(c, got[T_FLAGS]->value.items[i].loc,
					 "unknown flag \"%s\" (expected SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
					 "_SPEC_ALLOW or _WAIT_KILLABLE_RECV)", flags[i]);
			else
				p->flags |= f;
			path_pop(c, m2);
		}
		sc_strv_free(flags, nflags);
		path_pop(c, mark);
		if (r < 0)
			return r;
	}

	mark = path_push(c, ".listenerPath");
	r = get_string(c, got[T_LPATH] ? &got[T_LPATH]->value : NULL, &p->listener_path);
	path_pop(c, mark);
	if (r < 0)
		return r;
	mark = path_push(c, ".listenerMetadata");
	r = get_string(c, got[T_LMETA] ? &got[T_LMETA]->value : NULL, &p->listener_metadata);
	if (r == 0 && p->listener_metadata && *p->listener_metadata &&
	    !(p->listener_path && *p->listener_path))
		r = fail(c, got[T_LMETA]->value.loc, "listenerMetadata needs a listenerPath to go to");
	path_pop(c, mark);
	if (r < 0)
		return r;

	if (got[T_SYSCALLS] && got[T_SYSCALLS]->value.type != SC_JSON_NULL) {
		const struct sc_json *s = &got[T_SYSCALLS]->value;
		mark = path_push(c, ".syscalls");
		if (s->type != SC_JSON_ARRAY) {
			r = type_error(c, s, "an array of rules");
			path_pop(c, mark);
			return r;
		}
		path_pop(c, mark);
		if (s->n_items && !(p->rules = calloc(s->n_items, sizeof(*p->rules))))
			return sc_error_set(c->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < s->n_items; i++) {
			p->rules[i].index = i;
			p->n_rules = i + 1;
			mark = path_push(c, ".syscalls[%zu]", i);
			r = parse_rule(c, &s->items[i], &p->rules[i]);
			path_pop(c, mark);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

void sc_profile_free(struct sc_profile *p)
{
	if (!p)
		return;
	free(p->origin);
	sc_strv_free(p->architectures, p->n_architectures);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		free(p->arch_map[i].arch);
		sc_strv_free(p->arch_map[i].sub, p->arch_map[i].n_sub);
	}
	free(p->arch_map);
	free(p->listener_path);
	free(p->listener_metadata);
	for (size_t i = 0; i < p->n_rules; i++)
		rule_clear(&p->rules[i]);
	free(p->rules);
	free(p);
}

static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
			return false;
	return true;
}

/* The member name of obj as encoding/json finds it: any case, the last one given. */
static const struct sc_json *member(const struct sc_json *obj, const char *name)
{
	const struct sc_json *v = NULL;
	for (size_t i = 0; obj->type == SC_JSON_OBJECT && i < obj->n_members; i++)
		if (sc_json_key_equal(obj->members[i].key, name))
			v = &obj->members[i].value;
	return v;
}

/*
 * A runtime bundle's config.json (it has ociVersion, and no defaultAction
 * of its own): the profile is its linux.seccomp, as runc reads it.
 */
static int bundle_profile(struct pctx *c, const struct sc_json *root, const struct sc_json **out)
{
	*out = root;
	if (root->type != SC_JSON_OBJECT || !member(root, "ociVersion") || member(root, "defaultAction"))
		return 0;
	const struct sc_json *lx = member(root, "linux");
	const struct sc_json *sec = lx ? member(lx, "seccomp") : NULL;
	if (!sec || sec->type == SC_JSON_NULL)
		return fail(c, lx ? lx->loc : root->loc,
			    "an OCI runtime config without linux.seccomp: it has no seccomp profile");
	path_push(c, "linux.seccomp");
	c->bundle = true;
	*out = sec;
	return 0;
}

int sc_profile_parse(const char *text, size_t len, const char *origin,
		     const struct sc_parse_opts *opts, struct sc_profile **out,
		     struct sc_diags *diags, struct sc_error *err)
{
	if (!origin)
		origin = "<profile>";
	if (!text || blank(text, len))
		return sc_error_set(err, -EINVAL, "%s:1:1: empty file, not a seccomp profile", origin);

	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;

	/* Warnings of a profile that turns out invalid are not worth showing. */
	struct sc_diags local = {0};
	struct pctx c = { .origin = origin, .diags = diags ? &local : NULL, .err = err };
	struct sc_profile *p = calloc(1, sizeof(*p));
	if (!p || !(p->origin = strdup(origin))) {
		free(p);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	const struct sc_json *prof;
	r = bundle_profile(&c, root, &prof);
	if (r == 0)
		r = parse_profile(&c, prof, p);
	sc_json_free(root);
	if (r < 0) {
		sc_profile_free(p);
		sc_diags_free(&local);
		return r;
	}
	p->oci = !c.docker_only || prof != root;
	p->unknown_syscall_is_error = opts && opts->unknown_syscall_is_error;
	for (size_t i = 0; diags && i < local.n; i++) {
		const struct sc_diag *d = &local.v[i];
		sc_diags_add(diags, d->level, d->code, d->where, d->path, "%s", d->msg);
	}
	sc_diags_free(&local);
	*out = p;
	return 0;
}

const char *sc_profile_where(const struct sc_profile *p, struct sc_loc loc)
{
	static __thread char buf[512];
	snprintf(buf, sizeof(buf), "%s:%u:%u", p && p->origin ? p->origin : "<profile>", loc.line,
		 loc.col);
	return buf;
}
