/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure name tables, below everything that makes a system call: the
 * spellings of an architecture (named by its SCMP_ARCH_* token, which is
 * the kernel's AUDIT_ARCH_* value), a filter's verdict in words, and
 * capability names with Docker's default set and --cap-add/--cap-drop.
 */
#ifndef SECLUDE_NAMES_H
#define SECLUDE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"

/* Go short arch name ("amd64") <-> SCMP_ARCH_* token; 0 when unknown. */
uint32_t sc_arch_from_go_name(const char *name);
const char *sc_arch_go_name(uint32_t arch);
/* "SCMP_ARCH_X86_64" -> token; 0 when unknown. */
uint32_t sc_arch_from_scmp_name(const char *name);
/* "x86_64", "i386"/"x86", "x32", "aarch64"... as users type them. */
uint32_t sc_arch_from_user_name(const char *name);
/*
 * "x86_64,x32" appended to *v as tokens.  -EINVAL at a name not known
 * (copied into bad), -ENOMEM.
 */
int sc_arch_list_parse(const char *arg, uint32_t **v, size_t *n, char *bad, size_t bad_len);
/* Token -> "SCMP_ARCH_X86_64" / "x86_64"; NULL when unknown. */
const char *sc_arch_scmp_name(uint32_t arch);
const char *sc_arch_user_name(uint32_t arch);
/* Token -> the name audit and strace print ("x86_64", "i386", "aarch64");
 * for messages, so "unknown" rather than NULL for a token not in the table. */
const char *sc_arch_audit_name(uint32_t arch);

/* How a verdict is spelled: "ERRNO 1 (EPERM)" or "errno 1 (EPERM)". */
enum sc_verdict_style {
	SC_VERDICT_UPPER,   /* KILL_PROCESS, ERRNO 1 (EPERM), TRACE 5, NOTIFY: explain, diff, disasm */
	SC_VERDICT_TEXT,    /* kill process (SIGSYS), errno 1 (EPERM), trap (SIGSYS): denial reports */
};
void sc_verdict_describe(uint32_t ret, enum sc_verdict_style style, char *buf, size_t len);
/* One word for JSON: "kill_process", "errno", "trap", "notify", "allow"... */
const char *sc_verdict_word(uint32_t ret);
/* "EPERM" for 1; NULL for 0 and for a number the C library cannot name. */
const char *sc_errno_name(int e);

/* ---- capabilities ---- */

#define SC_CAP_SET(n) (UINT64_C(1) << (n))

/* "chown", "CAP_CHOWN", "Cap_Chown" -> 0.  -EINVAL when unknown. */
int sc_cap_from_name(const char *name);
/* 0 -> "CAP_CHOWN"; NULL when out of range. */
const char *sc_cap_name(int cap);

/* Docker's default set of 14. */
uint64_t sc_caps_docker_default(void);

/*
 * Docker's --cap-add / --cap-drop / --privileged arithmetic: privileged
 * gives everything the host has; ALL in adds starts from everything and
 * removes drops; ALL in drops keeps only adds; otherwise base minus drops
 * plus adds.  Names are checked; one the host lacks is an error.
 */
struct sc_cap_opts {
	char **add;
	size_t n_add;
	char **drop;
	size_t n_drop;
	bool privileged;
};

int sc_caps_compute(uint64_t base, const struct sc_cap_opts *o, uint64_t host,
		    uint64_t *out, struct sc_error *err);

/* "CAP_CHOWN,CAP_KILL" into buf; "" for none. */
void sc_caps_format(uint64_t caps, char *buf, size_t len);

/* Signals: "KILL" for 9 (no "SIG"), NULL for a number without a name (realtime ones). */
const char *sc_signal_name(int sig);
/* "KILL", "SIGKILL", "kill", "9" -> 9; -1 when unknown or out of range. */
int sc_signal_parse(const char *s);

#endif
