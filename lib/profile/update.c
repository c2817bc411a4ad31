/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * complain --update: the profile learns what a run showed it refuses.
 *
 * A refused name leaves every rule that refuses it (with its conditions:
 * a conditional deny left behind would still deny), and, unless the
 * default action allows, joins one new ALLOW rule.  An unconditional
 * ALLOW beside a conditional one for the same name is what libseccomp
 * keeps, so the name is then allowed whatever its arguments.  The text is
 * written back in the file's own indentation.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seclude/edit.h"
#include "seclude/names.h"
#include "seclude/update.h"
#include "seclude/util.h"

static bool allowing(const char *action)
{
	return action && (!strcmp(action, "SCMP_ACT_ALLOW") || !strcmp(action, "SCMP_ACT_LOG"));
}

struct buf {
	char *s;
	size_t n, cap;
};

static int buf_add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *piece = NULL;
	int k = vasprintf(&piece, fmt, ap);
	va_end(ap);
	if (k < 0)
		return -ENOMEM;
	if (b->n + (size_t)k + 1 > b->cap) {
		size_t cap = (b->n + (size_t)k + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			free(piece);
			return -ENOMEM;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, piece, (size_t)k + 1);
	b->n += (size_t)k;
	free(piece);
	return 0;
}

/* Remove name from a rule; true when it was there. */
static bool drop_name(json_t *rule, const char *name)
{
	json_t *names = sc_json_get(rule, "names");
	bool dropped = false;
	if (json_is_array(names)) {
		for (size_t i = json_array_size(names); i-- > 0;) {
			const char *n = json_string_value(json_array_get(names, i));
			if (n && !strcmp(n, name)) {
				json_array_remove(names, i);
				dropped = true;
			}
		}
	}
	const char *nk = sc_json_key(rule, "name");
	json_t *one = nk ? json_object_get(rule, nk) : NULL;
	if (json_is_string(one) && !strcmp(json_string_value(one), name)) {
		json_object_del(rule, nk);
		dropped = true;
	}
	return dropped;
}

static bool rule_empty(json_t *rule)
{
	json_t *names = sc_json_get(rule, "names");
	json_t *one = sc_json_get(rule, "name");
	return (!json_is_array(names) || json_array_size(names) == 0) && !json_is_string(one);
}

/* The first indented line of the original says how it indents. */
static void indent_style(const char *text, size_t len, char *unit, size_t *width)
{
	*unit = ' ';
	*width = 4;
	for (size_t i = 0; i + 1 < len; i++) {
		if (text[i] != '\n')
			continue;
		if (text[i + 1] == '\t') {
			*unit = '\t';
			*width = 1;
			return;
		}
		size_t k = 0;
		while (i + 1 + k < len && text[i + 1 + k] == ' ')
			k++;
		if (k) {
			*width = k;
			return;
		}
	}
}

static char *reindent(const char *dumped, char unit, size_t width)
{
	struct buf b = {0};
	const char *p = dumped;
	while (*p) {
		size_t depth = 0;
		while (p[depth] == ' ')
			depth++;
		const char *eol = strchr(p + depth, '\n');
		size_t rest = eol ? (size_t)(eol - (p + depth)) + 1 : strlen(p + depth);
		for (size_t i = 0; i < depth * width; i++)
			if (buf_add(&b, "%c", unit) < 0)
				goto oom;
		if (buf_add(&b, "%.*s", (int)rest, p + depth) < 0)
			goto oom;
		p += depth + rest;
	}
	if (buf_add(&b, "\n") < 0)
		goto oom;
	return b.s;
oom:
	free(b.s);
	return NULL;
}

int sc_profile_update(const char *text, size_t len, const char *origin,
		      const struct sc_denial_count *counts, size_t n,
		      const struct sc_update_opts *o, char **out, size_t *added,
		      struct sc_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return sc_error_set(err, -EINVAL, "%s:%d:%d: %s", origin, jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return sc_error_set(err, -EINVAL, "%s: the profile is not a JSON object", origin);
	}
	json_t *syscalls = sc_json_get(root, "syscalls");
	if (!syscalls || json_is_null(syscalls)) {
		syscalls = json_array();
		sc_json_set(root, "syscalls", syscalls);
	} else if (!json_is_array(syscalls)) {
		json_decref(root);
		return sc_error_set(err, -EINVAL, "%s: syscalls: not an array", origin);
	}
	const char *def = json_string_value(sc_json_get(root, "defaultAction"));
	bool default_allows = allowing(def);

	json_t *names = json_array();
	struct buf why = {0};
	char when[32];
	struct tm tm;
	gmtime_r(&o->when, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	int r = buf_add(&why, "added by seclude run --complain on %s%s%s%s: ", when,
			o->command ? ", running \"" : "", o->command ? o->command : "",
			o->command ? "\"" : "");
	size_t n_added = 0;
	bool first = true;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *name = counts[i].syscall;
		/* only a name libseccomp knows can go into a profile */
		if (!name[0] || !strcmp(name, "?") || !strncmp(name, "syscall ", 8))
			continue;
		bool seen = false;
		for (size_t j = 0; j < json_array_size(names); j++)
			if (!strcmp(json_string_value(json_array_get(names, j)), name))
				seen = true;
		if (seen)
			continue;
		uint64_t total = 0;
		for (size_t j = i; j < n; j++)
			if (!strcmp(counts[j].syscall, name))
				total += counts[j].count;
		char res[64];
		sc_verdict_describe(counts[i].ret, SC_VERDICT_TEXT, res, sizeof(res));
		r = buf_add(&why, "%s%s (refused with %s, %" PRIu64 " call%s", first ? "" : "; ", name, res,
			    total, total == 1 ? "" : "s");
		first = false;
		for (size_t k = json_array_size(syscalls); r == 0 && k-- > 0;) {
			json_t *rule = json_array_get(syscalls, k);
			if (!json_is_object(rule) || allowing(json_string_value(sc_json_get(rule, "action"))))
				continue;
			if (drop_name(rule, name)) {
				r = buf_add(&why, ", taken out of syscalls[%zu]", k);
				if (rule_empty(rule))
					json_array_remove(syscalls, k);
			}
		}
		if (r == 0)
			r = buf_add(&why, ")");
		json_array_append_new(names, json_string(name));
		n_added++;
	}
	if (r < 0) {
		json_decref(names);
		json_decref(root);
		free(why.s);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	if (n_added && !default_allows) {
		json_t *rule = json_object();
		json_object_set_new(rule, "names", names);
		json_object_set_new(rule, "action", json_string("SCMP_ACT_ALLOW"));
		json_object_set_new(rule, "comment", json_string(why.s));
		json_array_append_new(syscalls, rule);
	} else {
		json_decref(names);
	}
	free(why.s);

	char unit;
	size_t width;
	indent_style(text, len, &unit, &width);
	char *dumped = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!dumped)
		return sc_error_set(err, -ENOMEM, "out of memory");
	*out = reindent(dumped, unit, width);
	free(dumped);
	if (!*out)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (added)
		*added = n_added;
	return 0;
}
