/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SPEC_JSON_H
#define SECLUDE_SPEC_JSON_H

/*
 * A spec as JSON: what a named sandbox's record keeps (state.json's
 * "spec"), so that exec, inspect, stats and update read back what the run
 * was given instead of copies of it.  The compiled program is not in it:
 * the record keeps the one exec loads beside it (seccomp.bpf); "seccomp"
 * says whether there is one, its profile and its kernel flags.
 */

#include <jansson.h>

#include "seclude/spec.h"

/* A new reference; NULL when out of memory. */
json_t *sc_spec_to_json(const struct sc_spec *s);
/* out is filled (every field the JSON has; the program left empty), or empty on failure. */
int sc_spec_from_json(json_t *o, struct sc_spec *out, struct sc_error *err);

/* The limits alone, as the record has kept them. */
json_t *sc_limits_to_json(const struct sc_cgroup_limits *l);
int sc_limits_from_json(json_t *o, struct sc_cgroup_limits *l);

#endif
