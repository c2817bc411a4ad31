/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_JSONLOC_H
#define SECLUDE_JSONLOC_H

/*
 * A JSON document as a tree that remembers where every value and key
 * starts (line:col) and how every number was written.  jansson checks the
 * text first (its messages and positions are the ones users see for
 * malformed JSON) but keeps neither positions nor integers above INT64_MAX;
 * this scanner then reads the same, known-good text again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/profile.h"

enum sc_json_type {
	SC_JSON_NULL,
	SC_JSON_FALSE,
	SC_JSON_TRUE,
	SC_JSON_NUMBER,
	SC_JSON_STRING,
	SC_JSON_ARRAY,
	SC_JSON_OBJECT,
};

struct sc_json_member;

struct sc_json {
	enum sc_json_type type;
	struct sc_loc loc;
	const char *lit;       /* the value as written, pointing into the text */
	size_t lit_len;
	char *str;             /* STRING: decoded, NUL-terminated (no NUL inside) */
	struct sc_json *items; /* ARRAY */
	size_t n_items;
	struct sc_json_member *members; /* OBJECT, in file order, duplicates kept */
	size_t n_members;
};

struct sc_json_member {
	char *key;
	struct sc_loc key_loc;
	struct sc_json value;
};

/*
 * Parse text (len bytes; need not be NUL-terminated).  Malformed JSON is
 * "origin:line:col: malformed JSON: what".  The tree points into text,
 * which must outlive it.
 */
int sc_json_parse(const char *text, size_t len, const char *origin,
		  struct sc_json **out, struct sc_error *err);
void sc_json_free(struct sc_json *j);

/*
 * A number literal as an exact unsigned integer.  -EINVAL when it has a
 * sign, a fraction or an exponent, -ERANGE when it exceeds max.
 */
int sc_json_uint(const struct sc_json *j, uint64_t max, uint64_t *out);

const char *sc_json_type_name(enum sc_json_type t);

#endif
