/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUNC_H
#define SECLUDE_CLI_RUNC_H

/* seclude-runc's words: the global flags (runc.c) and the verbs (runc_verbs.c). */

#include <stdbool.h>
#include <stddef.h>

#include "seclude/error.h"

struct runc_globals {
	const char *root;
	const char *log;
	bool log_json;
	bool debug;
	bool systemd_cgroup;
	const char *rootless;        /* "true", "false", "auto" (NULL: auto) */
	const char *log_denials;
	bool complain;
	const char *learn, *learn_for;
	char root_buf[4096];
};
extern struct runc_globals runc_g;

/* The error on stderr and as a line in --log; returns 1 (runc's status). */
int runc_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int runc_fail_err(const struct sc_error *err);
/* A warning, as runc logs one (level warning), on stderr and in --log. */
void runc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A verb's options, runc's way: "--name value", "--name=value", a boolean
 * "--name" (or "--name=true|false"), an alias ("-b") anywhere before or
 * after the positional words.
 */
enum runc_opt_kind {
	RUNC_STR,        /* const char ** */
	RUNC_BOOL,       /* bool * */
	RUNC_FDS,        /* unsigned *, at most 65536 */
	RUNC_LIST,       /* struct runc_list * (repeatable) */
	RUNC_TRI,        /* const char **: bare means "true"; a separate value only true|false|auto */
	RUNC_OPTBOOL,    /* int *: 1 bare or =true, 0 with =false (left as it is when not given) */
	RUNC_SKIP,       /* accepted with a value, not honoured */
	RUNC_SKIP_BOOL,  /* accepted, not honoured */
};

struct runc_opt {
	const char *name;
	const char *alias;
	enum runc_opt_kind kind;
	void *dst;
};

struct runc_list {
	char *v[256];
	size_t n;
};

/*
 * Parse argv[1..argc) (verb names the messages; NULL for the global flags).
 * The positional words go to pos (at most max; fewer than min is an
 * error with the words "requires " args).  With stop, parsing ends at the
 * first positional word: *rest is its index, the words after it are the
 * caller's.  Returns the number of positional words, or -1 after runc_fail.
 */
int runc_parse(const char *verb, int argc, char **argv, const struct runc_opt *opts, const char **pos,
	       int min, int max, const char *args, bool stop, int *rest);

int runc_verb(const char *verb, int argc, char **argv);   /* -2: no such verb */

#endif
