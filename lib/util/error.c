/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/error.h"
#include "seclude/util.h"

int sc_error_set(struct sc_error *err, int code, const char *fmt, ...)
{
	if (code >= 0)
		code = -EINVAL;
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int sc_error_errno(struct sc_error *err, int code, const char *fmt, ...)
{
	if (code >= 0)
		code = -EINVAL;
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof(err->msg))
			snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(-code));
		err->code = code;
	}
	return code;
}

void sc_error_prefix(struct sc_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char old[sizeof(err->msg)];
	memcpy(old, err->msg, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(err->msg) - 2)
		return;
	size_t off = (size_t)n;
	size_t room = sizeof(err->msg) - off - 3;
	size_t olen = strnlen(old, sizeof(old));
	if (olen > room)
		olen = room;
	err->msg[off++] = ':';
	err->msg[off++] = ' ';
	memcpy(err->msg + off, old, olen);
	err->msg[off + olen] = '\0';
}

void sc_error_clear(struct sc_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void sc_diags_add(struct sc_diags *d, enum sc_diag_level level, const char *code,
		  const char *where, const char *path, const char *fmt, ...)
{
	if (!d)
		return;
	if (SC_GROW(d->v, d->cap, d->n, 8) < 0)
		return;
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	d->v[d->n++] = (struct sc_diag){
		.level = level,
		.code = dup_or_null(code),
		.where = dup_or_null(where),
		.path = dup_or_null(path),
		.msg = msg,
	};
}

size_t sc_diags_count(const struct sc_diags *d, enum sc_diag_level level)
{
	size_t n = 0;
	for (size_t i = 0; d && i < d->n; i++)
		n += d->v[i].level == level;
	return n;
}

void sc_diags_free(struct sc_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].code);
		free(d->v[i].where);
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	*d = (struct sc_diags){0};
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_diag(const struct sc_diag *h, const struct sc_diag *g)
{
	return h->level == g->level && same_str(h->where, g->where) && same_str(h->path, g->path) &&
	       same_str(h->msg, g->msg);
}

void sc_diags_add_unseen(struct sc_diags *dst, const struct sc_diags *src, const struct sc_diags *seen)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct sc_diag *g = &src->v[i];
		bool dup = false;
		for (size_t j = 0; j < seen->n && !dup; j++)
			dup = same_diag(&seen->v[j], g);
		if (!dup)
			sc_diags_add(dst, g->level, g->code, g->where, g->path, "%s", g->msg);
	}
}
