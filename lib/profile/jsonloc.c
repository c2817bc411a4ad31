/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/jsonloc.h"
#include "seclude/util.h"

/* Deeper than any profile; jansson's own limit is 2048. */
#define MAX_DEPTH 2048

struct scanner {
	const char *s;
	size_t len, pos;
	unsigned line, col;
	const char *origin;
	struct sc_error *err;
};

static int peek(const struct scanner *sc)
{
	return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void advance(struct scanner *sc)
{
	unsigned char c = (unsigned char)sc->s[sc->pos++];
	if (c == '\n') {
		sc->line++;
		sc->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* Columns count characters, not the bytes of a UTF-8 sequence. */
		sc->col++;
	}
}

static void skip_ws(struct scanner *sc)
{
	for (int c = peek(sc); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek(sc))
		advance(sc);
}

static int unexpected(struct scanner *sc)
{
	/* Only reachable if jansson and this scanner disagree about the text. */
	return sc_error_set(sc->err, -EINVAL, "%s:%u:%u: malformed JSON: unexpected %s",
			    sc->origin, sc->line, sc->col,
			    peek(sc) < 0 ? "end of text" : "character");
}

static int scan_string(struct scanner *sc, char **out)
{
	size_t start = sc->pos;
	bool escapes = false;
	advance(sc); /* the opening quote */
	for (;;) {
		int c = peek(sc);
		if (c < 0)
			return unexpected(sc);
		if (c == '"')
			break;
		if (c == '\\') {
			escapes = true;
			advance(sc);
			if (peek(sc) < 0)
				return unexpected(sc);
		}
		advance(sc);
	}
	advance(sc); /* the closing quote */
	size_t n = sc->pos - start;
	if (!escapes) {
		*out = strndup(sc->s + start + 1, n - 2);
	} else {
		/* Let jansson undo the escapes: it already accepted them once. */
		json_error_t je;
		json_t *j = json_loadb(sc->s + start, n, JSON_DECODE_ANY, &je);
		if (!j || !json_is_string(j)) {
			json_decref(j);
			return unexpected(sc);
		}
		*out = strdup(json_string_value(j));
		json_decref(j);
	}
	return *out ? 0 : sc_error_set(sc->err, -ENOMEM, "out of memory");
}

static bool is_number_char(int c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static int scan_value(struct scanner *sc, struct sc_json *v, unsigned depth);

/* One element of an array, or one "key": value member of an object. */
static int scan_item(struct scanner *sc, void *slot, unsigned depth)
{
	return scan_value(sc, slot, depth);
}

static int scan_member(struct scanner *sc, void *slot, unsigned depth)
{
	struct sc_json_member *m = slot;
	if (peek(sc) != '"')
		return unexpected(sc);
	m->key_loc = (struct sc_loc){ sc->line, sc->col };
	int r = scan_string(sc, &m->key);
	if (r < 0)
		return r;
	skip_ws(sc);
	if (peek(sc) != ':')
		return unexpected(sc);
	advance(sc);
	skip_ws(sc);
	return scan_value(sc, &m->value, depth);
}

/*
 * '[' or '{', then elements separated by ',' up to close: each one goes
 * into a zeroed slot of *slots (size bytes each, *n of them so far, grown
 * as needed) and is read by scan_one.
 */
static int scan_container(struct scanner *sc, char close, void **slots, size_t *n, size_t size,
			  int (*scan_one)(struct scanner *, void *, unsigned), unsigned depth)
{
	size_t cap = 0;
	advance(sc);
	skip_ws(sc);
	if (peek(sc) == close) {
		advance(sc);
		return 0;
	}
	for (;;) {
		if (sc_grow(slots, &cap, *n, size, 4) < 0)
			return sc_error_set(sc->err, -ENOMEM, "out of memory");
		void *slot = (char *)*slots + *n * size;
		memset(slot, 0, size);
		++*n;
		skip_ws(sc);
		int r = scan_one(sc, slot, depth + 1);
		if (r < 0)
			return r;
		skip_ws(sc);
		if (peek(sc) == ',') {
			advance(sc);
			continue;
		}
		if (peek(sc) == close) {
			advance(sc);
			return 0;
		}
		return unexpected(sc);
	}
}

static int scan_literal(struct scanner *sc, const char *word, struct sc_json *v,
			enum sc_json_type t)
{
	size_t n = strlen(word);
	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return unexpected(sc);
	for (size_t i = 0; i < n; i++)
		advance(sc);
	v->type = t;
	return 0;
}

static int scan_value(struct scanner *sc, struct sc_json *v, unsigned depth)
{
	if (depth > MAX_DEPTH)
		return sc_error_set(sc->err, -EINVAL, "%s:%u:%u: malformed JSON: nested too deeply",
				    sc->origin, sc->line, sc->col);
	v->loc = (struct sc_loc){ sc->line, sc->col };
	v->lit = sc->s + sc->pos;
	size_t start = sc->pos;
	void *slots = NULL;
	int r;
	switch (peek(sc)) {
	case '{':
		v->type = SC_JSON_OBJECT;
		r = scan_container(sc, '}', &slots, &v->n_members, sizeof(*v->members), scan_member, depth);
		/* also after an error: the members read so far are freed with v */
		v->members = slots;
		break;
	case '[':
		v->type = SC_JSON_ARRAY;
		r = scan_container(sc, ']', &slots, &v->n_items, sizeof(*v->items), scan_item, depth);
		v->items = slots;
		break;
	case '"':
		v->type = SC_JSON_STRING;
		r = scan_string(sc, &v->str);
		break;
	case 't':
		r = scan_literal(sc, "true", v, SC_JSON_TRUE);
		break;
	case 'f':
		r = scan_literal(sc, "false", v, SC_JSON_FALSE);
		break;
	case 'n':
		r = scan_literal(sc, "null", v, SC_JSON_NULL);
		break;
	default:
		if (!is_number_char(peek(sc)))
			return unexpected(sc);
		v->type = SC_JSON_NUMBER;
		while (is_number_char(peek(sc)))
			advance(sc);
		r = 0;
		break;
	}
	v->lit_len = sc->pos - start;
	return r;
}

static void json_clear(struct sc_json *j)
{
	free(j->str);
	for (size_t i = 0; i < j->n_items; i++)
		json_clear(&j->items[i]);
	free(j->items);
	for (size_t i = 0; i < j->n_members; i++) {
		free(j->members[i].key);
		json_clear(&j->members[i].value);
	}
	free(j->members);
}

void sc_json_free(struct sc_json *j)
{
	if (!j)
		return;
	json_clear(j);
	free(j);
}

int sc_json_parse(const char *text, size_t len, const char *origin,
		  struct sc_json **out, struct sc_error *err)
{
	json_error_t je;
	/* Integers as reals: jansson rejects those above INT64_MAX otherwise;
	 * the exact value is read from the text below. */
	json_t *check = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &je);
	if (!check) {
		if (je.line > 0)
			return sc_error_set(err, -EINVAL, "%s:%d:%d: malformed JSON: %s",
					    origin, je.line, je.column > 0 ? je.column : 1, je.text);
		return sc_error_set(err, -EINVAL, "%s: malformed JSON: %s", origin, je.text);
	}
	json_decref(check);

	struct scanner sc = { .s = text, .len = len, .line = 1, .col = 1, .origin = origin, .err = err };
	struct sc_json *j = calloc(1, sizeof(*j));
	if (!j)
		return sc_error_set(err, -ENOMEM, "out of memory");
	skip_ws(&sc);
	int r = scan_value(&sc, j, 0);
	if (r < 0) {
		sc_json_free(j);
		return r;
	}
	*out = j;
	return 0;
}

int sc_json_uint(const struct sc_json *j, uint64_t max, uint64_t *out)
{
	if (j->type != SC_JSON_NUMBER || j->lit_len == 0)
		return -EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < j->lit_len; i++) {
		char c = j->lit[i];
		if (c < '0' || c > '9')
			return -EINVAL;
		unsigned d = (unsigned)(c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *sc_json_type_name(enum sc_json_type t)
{
	switch (t) {
	case SC_JSON_NULL: return "null";
	case SC_JSON_FALSE:
	case SC_JSON_TRUE: return "a boolean";
	case SC_JSON_NUMBER: return "a number";
	case SC_JSON_STRING: return "a string";
	case SC_JSON_ARRAY: return "an array";
	case SC_JSON_OBJECT: return "an object";
	}
	return "?";
}
