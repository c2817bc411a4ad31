/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_ERROR_H
#define SECLUDE_ERROR_H

#include <stddef.h>

/*
 * Every fallible library function takes a struct sc_error * as its last
 * argument, returns 0 on success or a negative errno, and on failure fills
 * the error with that errno and one sentence.  Profile errors put the
 * location first: "profile.json:12:7: syscalls[3].args[0].op: unknown operator".
 * The library never prints and never exits; the CLI decides what to show.
 */
struct sc_error {
	int code;        /* negative errno, 0 when unset */
	char msg[1024];
};

/* Fill err (if non-NULL) and return code, which must be negative. */
int sc_error_set(struct sc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like sc_error_set, with ": strerror(-code)" appended. */
int sc_error_errno(struct sc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of an existing message (e.g. a file name). */
void sc_error_prefix(struct sc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void sc_error_clear(struct sc_error *err);

/*
 * Warnings and lint findings: non-fatal notes collected while a profile is
 * read, resolved or checked.  The CLI prints them as "seclude: warning: ...".
 */
enum sc_diag_level { SC_DIAG_NOTE, SC_DIAG_WARNING, SC_DIAG_ERROR };

struct sc_diag {
	enum sc_diag_level level;
	char *code;      /* short stable identifier, e.g. "unknown-syscall" */
	char *where;     /* "file:line:col" or NULL */
	char *path;      /* "syscalls[3].names[2]" or NULL */
	char *msg;
};

struct sc_diags {
	struct sc_diag *v;
	size_t n, cap;
};

/* Append a diagnostic; strings are copied.  Out-of-memory drops the note. */
void sc_diags_add(struct sc_diags *d, enum sc_diag_level level, const char *code,
		  const char *where, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
size_t sc_diags_count(const struct sc_diags *d, enum sc_diag_level level);
/* Append to dst each of src's diagnostics that seen has not said already (same level, place and words). */
void sc_diags_add_unseen(struct sc_diags *dst, const struct sc_diags *src, const struct sc_diags *seen);
void sc_diags_free(struct sc_diags *d);

#endif
