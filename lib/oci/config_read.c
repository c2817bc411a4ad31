/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json's JSON read as Go's encoding/json reads it, with the place of every refusal (config_read.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_read.h"
#include "seclude/util.h"

int cfg_fail(struct cfg_ctx *c, const struct sc_json *v, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sc_error_set(c->err, -EINVAL, "%s:%u:%u: %s: %s", c->origin, v->loc.line, v->loc.col,
			    c->path, msg);
}

int cfg_nomem(struct cfg_ctx *c)
{
	return sc_error_set(c->err, -ENOMEM, "out of memory");
}

/* Path bookkeeping: push ".key" or "[i]", pop back to a saved length. */
size_t cfg_push(struct cfg_ctx *c, const char *fmt, ...)
{
	size_t old = strlen(c->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->path + old, sizeof(c->path) - old, fmt, ap);
	va_end(ap);
	return old;
}

void cfg_pop(struct cfg_ctx *c, size_t old)
{
	c->path[old] = '\0';
}

static const char *kind(const struct sc_json *v)
{
	switch (v->type) {
	case SC_JSON_NULL: return "null";
	case SC_JSON_FALSE:
	case SC_JSON_TRUE: return "a boolean";
	case SC_JSON_NUMBER: return "a number";
	case SC_JSON_STRING: return "a string";
	case SC_JSON_ARRAY: return "an array";
	default: return "an object";
	}
}

int cfg_type_error(struct cfg_ctx *c, const struct sc_json *v, const char *want)
{
	return cfg_fail(c, v, "expected %s, got %s", want, kind(v));
}

/* The member named key (case-insensitive, last wins), or NULL; null counts as absent. */
const struct sc_json *cfg_get(const struct sc_json *obj, const char *key)
{
	const struct sc_json *found = NULL;
	for (size_t i = 0; obj && obj->type == SC_JSON_OBJECT && i < obj->n_members; i++)
		if (strcasecmp(obj->members[i].key, key) == 0)
			found = &obj->members[i].value;
	return found && found->type != SC_JSON_NULL ? found : NULL;
}

/*
 * Each reader below takes the parent object and a key, does nothing when
 * the key is absent, and keeps the path right in its messages.
 */
int cfg_want_object(struct cfg_ctx *c, const struct sc_json *v)
{
	return v->type == SC_JSON_OBJECT ? 0 : cfg_type_error(c, v, "an object");
}

int cfg_read_string(struct cfg_ctx *c, const struct sc_json *obj, const char *key, char **out)
{
	const struct sc_json *v = cfg_get(obj, key);
	if (!v)
		return 0;
	size_t old = cfg_push(c, ".%s", key);
	if (v->type != SC_JSON_STRING)
		return cfg_type_error(c, v, "a string");
	cfg_pop(c, old);
	free(*out);
	if (!(*out = strdup(v->str)))
		return cfg_nomem(c);
	return 0;
}

int cfg_read_bool(struct cfg_ctx *c, const struct sc_json *obj, const char *key, bool *out)
{
	const struct sc_json *v = cfg_get(obj, key);
	if (!v)
		return 0;
	size_t old = cfg_push(c, ".%s", key);
	if (v->type != SC_JSON_TRUE && v->type != SC_JSON_FALSE)
		return cfg_type_error(c, v, "a boolean");
	cfg_pop(c, old);
	*out = v->type == SC_JSON_TRUE;
	return 0;
}

/* An integer in [min, max]; *has (may be NULL) says it was there. */
int cfg_read_int_v(struct cfg_ctx *c, const struct sc_json *v, int64_t min, uint64_t max, int64_t *out)
{
	if (v->type != SC_JSON_NUMBER)
		return cfg_type_error(c, v, "an integer");
	bool neg = v->lit_len > 0 && v->lit[0] == '-';
	char buf[64];
	if (v->lit_len >= sizeof(buf) || memchr(v->lit, '.', v->lit_len) || memchr(v->lit, 'e', v->lit_len) ||
	    memchr(v->lit, 'E', v->lit_len))
		return cfg_fail(c, v, "expected an integer, got %.*s", (int)(v->lit_len < 40 ? v->lit_len : 40), v->lit);
	memcpy(buf, v->lit, v->lit_len);
	buf[v->lit_len] = '\0';
	errno = 0;
	if (neg) {
		long long x = strtoll(buf, NULL, 10);
		if (errno || x < min)
			return cfg_fail(c, v, "%s is out of range", buf);
		*out = x;
	} else {
		unsigned long long x = strtoull(buf, NULL, 10);
		if (errno || x > max || (min > 0 && x < (uint64_t)min))
			return cfg_fail(c, v, "%s is out of range", buf);
		*out = (int64_t)x;
	}
	return 0;
}

int cfg_read_int(struct cfg_ctx *c, const struct sc_json *obj, const char *key, int64_t min, uint64_t max,
		    int64_t *out, bool *has)
{
	const struct sc_json *v = cfg_get(obj, key);
	if (!v)
		return 0;
	size_t old = cfg_push(c, ".%s", key);
	int r = cfg_read_int_v(c, v, min, max, out);
	if (r < 0)
		return r;
	cfg_pop(c, old);
	if (has)
		*has = true;
	return 0;
}

int cfg_read_u32(struct cfg_ctx *c, const struct sc_json *obj, const char *key, uint32_t *out)
{
	int64_t x = *out;
	int r = cfg_read_int(c, obj, key, 0, UINT32_MAX, &x, NULL);
	*out = (uint32_t)x;
	return r;
}

int cfg_read_strv(struct cfg_ctx *c, const struct sc_json *obj, const char *key, char ***out, size_t *n)
{
	const struct sc_json *v = cfg_get(obj, key);
	if (!v)
		return 0;
	size_t old = cfg_push(c, ".%s", key);
	if (v->type != SC_JSON_ARRAY)
		return cfg_type_error(c, v, "an array of strings");
	char **s = calloc(v->n_items + 1, sizeof(*s));
	if (!s)
		return cfg_nomem(c);
	for (size_t i = 0; i < v->n_items; i++) {
		if (v->items[i].type != SC_JSON_STRING) {
			sc_strv_free(s, i);
			size_t o2 = cfg_push(c, "[%zu]", i);
			(void)o2;
			return cfg_type_error(c, &v->items[i], "a string");
		}
		if (!(s[i] = strdup(v->items[i].str))) {
			sc_strv_free(s, i);
			return cfg_nomem(c);
		}
	}
	cfg_pop(c, old);
	sc_strv_free(*out, *n);
	*out = s;
	*n = v->n_items;
	return 0;
}

/* An array member: NULL when absent, else checked to be an array. */
int cfg_array_of(struct cfg_ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out)
{
	*out = cfg_get(obj, key);
	if (*out && (*out)->type != SC_JSON_ARRAY) {
		cfg_push(c, ".%s", key);
		return cfg_type_error(c, *out, "an array");
	}
	return 0;
}

int cfg_object_of(struct cfg_ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out)
{
	*out = cfg_get(obj, key);
	if (*out && (*out)->type != SC_JSON_OBJECT) {
		cfg_push(c, ".%s", key);
		return cfg_type_error(c, *out, "an object");
	}
	return 0;
}

int cfg_each_object(struct cfg_ctx *c, const struct sc_json *parent, const char *key, void *array, size_t size,
		    size_t *n, cfg_object_fn *fn, void *ctx)
{
	const struct sc_json *a;
	int r = cfg_array_of(c, parent, key, &a);
	if (r < 0 || !a)
		return r;
	size_t old = cfg_push(c, "%s%s", c->path[0] ? "." : "", key);
	char *slots = calloc(a->n_items + 1, size);
	if (!slots)
		return cfg_nomem(c);
	memcpy(array, &slots, sizeof(slots));   /* the caller's T * from here, whatever happens next */
	for (size_t i = 0; i < a->n_items; i++) {
		const struct sc_json *o = &a->items[i];
		size_t o2 = cfg_push(c, "[%zu]", i);
		if ((r = cfg_want_object(c, o)) < 0 || (r = fn(c, o, slots + (*n)++ * size, ctx)) < 0)
			return r;
		if (r == 0)
			(*n)--;
		cfg_pop(c, o2);
	}
	cfg_pop(c, old);
	return 0;
}

/* Whether [a, a+n) and [b, b+m) meet. */
static bool ranges_meet(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return (uint64_t)a < (uint64_t)b + m && (uint64_t)b < (uint64_t)a + n;
}

struct idmaps {
	struct sc_idmap *const *all;   /* the array read so far */
	const char *key;
};

static int read_idmap(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	const struct idmaps *x = ctx;
	struct sc_idmap *m = slot;
	size_t i = (size_t)(m - *x->all);
	int r;
	if (i == SC_IDMAP_MAX)
		return cfg_fail(c, o, "more than %d mappings (the kernel's limit)", SC_IDMAP_MAX);
	if ((r = cfg_read_u32(c, o, "containerID", &m->inside)) < 0 ||
	    (r = cfg_read_u32(c, o, "hostID", &m->outside)) < 0 || (r = cfg_read_u32(c, o, "size", &m->count)) < 0)
		return r;
	if (m->count == 0)
		return cfg_fail(c, o, "size 0 maps no id");
	bool in = (uint64_t)m->inside + m->count > UINT32_MAX;
	if (in || (uint64_t)m->outside + m->count > UINT32_MAX)
		return cfg_fail(c, o, "the range of %u ids from %s %u passes the last id, %u", m->count,
				in ? "containerID" : "hostID", in ? m->inside : m->outside, UINT32_MAX - 1);
	for (size_t j = 0; j < i; j++) {
		const struct sc_idmap *p = &(*x->all)[j];
		in = ranges_meet(m->inside, m->count, p->inside, p->count);
		if (in || ranges_meet(m->outside, m->count, p->outside, p->count))
			return cfg_fail(c, o, "its %s range overlaps that of %s[%zu]", in ? "containerID" : "hostID",
					x->key, j);
	}
	return 1;
}

/*
 * An array of LinuxIDMapping (containerID, hostID, size) as the kernel
 * takes the lines of a uid_map: each range at least one id long, within
 * the 32-bit ids (the last, -1, is no id), none overlapping another on
 * either side, at most 340 of them.
 */
int cfg_read_idmaps(struct cfg_ctx *c, const struct sc_json *obj, const char *key, struct sc_idmap **out, size_t *n)
{
	struct idmaps x = { out, key };
	return cfg_each_object(c, obj, key, out, sizeof(**out), n, read_idmap, &x);
}

int cfg_parse_kv(struct cfg_ctx *c, const struct sc_json *obj, const char *key, struct sc_oci_kv **out,
		    size_t *n)
{
	const struct sc_json *o;
	int r = cfg_object_of(c, obj, key, &o);
	if (r < 0 || !o)
		return r;
	size_t old = cfg_push(c, "%s%s", c->path[0] ? "." : "", key);
	if (!(*out = calloc(o->n_members + 1, sizeof(**out))))
		return cfg_nomem(c);
	for (size_t i = 0; i < o->n_members; i++) {
		const struct sc_json *v = &o->members[i].value;
		if (v->type != SC_JSON_STRING) {
			cfg_push(c, ".%s", o->members[i].key);
			return cfg_type_error(c, v, "a string");
		}
		struct sc_oci_kv *kv = &(*out)[(*n)++];
		if (!(kv->key = strdup(o->members[i].key)) || !(kv->value = strdup(v->str)))
			return cfg_nomem(c);
	}
	cfg_pop(c, old);
	return 0;
}
