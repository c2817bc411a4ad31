/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What seclude check shows of a profile's findings: FILE:LINE:COL: LEVEL: PATH: MESSAGE [CODE], or JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/lint.h"

static const char *level_name(enum sc_diag_level l)
{
	return l == SC_DIAG_ERROR ? "error" : l == SC_DIAG_WARNING ? "warning" : "note";
}

/* "file:line:col" -> its parts; file names may contain ':'. */
static void split_where(const char *where, json_t *o)
{
	const char *c2 = where ? strrchr(where, ':') : NULL;
	const char *c1 = NULL;
	if (c2)
		for (const char *s = c2 - 1; s >= where; s--)
			if (*s == ':') {
				c1 = s;
				break;
			}
	if (!c1) {
		if (where)
			json_object_set_new(o, "file", json_string(where));
		return;
	}
	json_object_set_new(o, "file", json_stringn(where, (size_t)(c1 - where)));
	json_object_set_new(o, "line", json_integer(strtol(c1 + 1, NULL, 10)));
	json_object_set_new(o, "column", json_integer(strtol(c2 + 1, NULL, 10)));
}

json_t *sc_check_to_json(const char *profile, const struct sc_error *err, const struct sc_diags *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "profile", json_string(profile));
	/* valid: loadable, and nothing found that stops it where it was checked for */
	json_object_set_new(o, "valid", json_boolean(!err && !(d && sc_diags_count(d, SC_DIAG_ERROR))));
	if (err)
		json_object_set_new(o, "error", json_string(err->msg));
	json_t *list = json_array();
	for (size_t i = 0; d && i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		json_t *f = json_object();
		json_object_set_new(f, "level", json_string(level_name(g->level)));
		json_object_set_new(f, "code", json_string(g->code ? g->code : ""));
		split_where(g->where, f);
		if (g->path)
			json_object_set_new(f, "path", json_string(g->path));
		json_object_set_new(f, "message", json_string(g->msg));
		json_array_append_new(list, f);
	}
	json_object_set_new(o, "findings", list);
	json_object_set_new(o, "warnings", json_integer((json_int_t)sc_diags_count(d, SC_DIAG_WARNING)));
	json_object_set_new(o, "notes", json_integer((json_int_t)sc_diags_count(d, SC_DIAG_NOTE)));
	return o;
}

void sc_check_write_text(FILE *out, const char *profile, const struct sc_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		fprintf(out, "%s: %s: ", g->where ? g->where : profile, level_name(g->level));
		if (g->path)
			fprintf(out, "%s: ", g->path);
		fprintf(out, "%s [%s]\n", g->msg, g->code ? g->code : "");
	}
	size_t e = sc_diags_count(d, SC_DIAG_ERROR), w = sc_diags_count(d, SC_DIAG_WARNING),
	       n = sc_diags_count(d, SC_DIAG_NOTE);
	if (e)
		fprintf(out, "%s: not valid here; %zu error%s, ", profile, e, e == 1 ? "" : "s");
	else
		fprintf(out, "%s: valid; ", profile);
	fprintf(out, "%zu warning%s, %zu note%s\n", w, w == 1 ? "" : "s", n, n == 1 ? "" : "s");
}

