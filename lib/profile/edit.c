/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile JSON keys folded as Go's encoding/json folds them (edit.h). */
#include <stdbool.h>

#include "seclude/edit.h"

/* Next character of s folded the way Go's EqualFold folds it onto ASCII;
 * -1 for anything that cannot equal an ASCII letter. */
static int fold_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	if (p[0] < 0x80) {
		*s += 1;
		return p[0] >= 'A' && p[0] <= 'Z' ? p[0] + 32 : p[0];
	}
	if (p[0] == 0xc5 && p[1] == 0xbf) { /* U+017F LATIN SMALL LETTER LONG S */
		*s += 2;
		return 's';
	}
	if (p[0] == 0xe2 && p[1] == 0x84 && p[2] == 0xaa) { /* U+212A KELVIN SIGN */
		*s += 3;
		return 'k';
	}
	return -1;
}

bool sc_json_key_equal(const char *key, const char *name)
{
	while (*key && *name) {
		int a = fold_next(&key), b = fold_next(&name);
		if (a < 0 || a != b)
			return false;
	}
	return !*key && !*name;
}

const char *sc_json_key(json_t *o, const char *key)
{
	const char *found = NULL, *k;
	json_t *v;
	json_object_foreach(o, k, v)
		if (sc_json_key_equal(k, key))
			found = k;
	return found;
}

json_t *sc_json_get(json_t *o, const char *key)
{
	const char *k = sc_json_key(o, key);
	return k ? json_object_get(o, k) : NULL;
}

int sc_json_set(json_t *o, const char *key, json_t *v)
{
	const char *k = sc_json_key(o, key);
	return json_object_set_new(o, k ? k : key, v);
}
