/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_EDIT_H
#define SECLUDE_EDIT_H

/*
 * Editing a profile's JSON the way Docker reads it.  moby decodes a
 * profile with Go's encoding/json, which matches an object's keys to the
 * fields without regard to case ("DefaultAction", "syscalls", "NAMES"),
 * as its EqualFold folds them, and a field given twice counts the last
 * time.  The profile parser (parse.c) matches keys so; every editor of profile text (learn
 * --merge, run --complain --update) reads and writes keys through these,
 * so that a key the user spelled another way is found, and replaced
 * under the user's spelling rather than added a second time.
 */

#include <jansson.h>
#include <stdbool.h>

/* Go's EqualFold, for a key against a field name (ASCII, and the two non-ASCII letters it folds). */
bool sc_json_key_equal(const char *key, const char *name);
/* The value of key in o: the last key that matches it as Go matches (NULL when o is no object). */
json_t *sc_json_get(json_t *o, const char *key);
/* That key as the object spells it, or NULL. */
const char *sc_json_key(json_t *o, const char *key);
/* Set key (under the object's own spelling when it has one) to v, taking v's reference. */
int sc_json_set(json_t *o, const char *key, json_t *v);

#endif
