/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_PROFILE_H
#define SECLUDE_PROFILE_H

/*
 * The profile model: Docker's seccomp JSON (and the OCI runtime-spec
 * linux.seccomp object, which is the same shape without archMap,
 * includes and excludes), read into plain structs that remember where in
 * the file every node came from.
 *
 *   text --sc_profile_parse--> struct sc_profile
 *        --sc_profile_resolve(target)--> struct sc_policy   (flat, per name)
 *        --sc_policy_compile--> BPF (see compile.h)
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/names.h"

enum sc_action {
	SC_ACT_KILL_THREAD,   /* SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD */
	SC_ACT_KILL_PROCESS,
	SC_ACT_TRAP,
	SC_ACT_ERRNO,
	SC_ACT_TRACE,
	SC_ACT_LOG,
	SC_ACT_ALLOW,
	SC_ACT_NOTIFY,
};

/* Values equal libseccomp's enum scmp_compare. */
enum sc_op {
	SC_OP_NE = 1,
	SC_OP_LT,
	SC_OP_LE,
	SC_OP_EQ,
	SC_OP_GE,
	SC_OP_GT,
	SC_OP_MASKED_EQ,
};

struct sc_loc {
	unsigned line, col;   /* 1-based; 0 when unknown */
};

struct sc_arg {
	unsigned index;       /* 0..5 */
	uint64_t value;
	uint64_t value_two;   /* MASKED_EQ: (arg & value) == value_two */
	enum sc_op op;
	struct sc_loc loc;
};

/* includes / excludes of a Docker rule */
struct sc_cond {
	char **caps;          /* "CAP_SYS_ADMIN", as written */
	size_t n_caps;
	char **arches;        /* Go short names: amd64, x86, x32, arm64, ... */
	size_t n_arches;
	bool has_min_kernel;
	unsigned min_major, min_minor;
	struct sc_loc loc;
};

struct sc_rule {
	size_t index;         /* position in "syscalls" */
	struct sc_loc loc;
	char **names;         /* "name" is turned into a one-element names */
	struct sc_loc *name_locs;
	size_t n_names;
	enum sc_action action;
	bool has_errno_ret;
	uint32_t errno_ret;
	struct sc_loc errno_loc;
	struct sc_arg *args;
	size_t n_args;
	char *comment;
	bool has_includes, has_excludes;
	struct sc_cond includes, excludes;
};

struct sc_arch_map {
	char *arch;           /* SCMP_ARCH_X86_64 */
	char **sub;           /* SCMP_ARCH_X86, SCMP_ARCH_X32 */
	size_t n_sub;
	struct sc_loc loc;
};

enum sc_profile_flag {
	SC_FLAG_TSYNC = 1u << 0,
	SC_FLAG_LOG = 1u << 1,
	SC_FLAG_SPEC_ALLOW = 1u << 2,
	SC_FLAG_WAIT_KILLABLE_RECV = 1u << 3,
};

struct sc_profile {
	char *origin;         /* file name as given, or "default" for the embedded one */
	bool has_default_action;
	enum sc_action default_action;
	struct sc_loc default_action_loc;
	bool has_default_errno;
	uint32_t default_errno;
	struct sc_loc default_errno_loc;
	char **architectures; /* SCMP_ARCH_* as written */
	size_t n_architectures;
	struct sc_arch_map *arch_map;
	size_t n_arch_map;
	bool has_flags;       /* "flags" present (absent means SPEC_ALLOW by default) */
	unsigned flags;       /* enum sc_profile_flag bits */
	char *listener_path;
	char *listener_metadata;
	struct sc_rule *rules;
	size_t n_rules;
	bool oci;             /* had none of Docker's own fields */
	bool unknown_syscall_is_error;  /* from sc_parse_opts; resolve applies it */
};

struct sc_parse_opts {
	bool unknown_syscall_is_error;  /* default: warn and skip */
};

/*
 * Parse a profile from text.  origin names it in messages.  Errors come
 * back as "origin:line:col: path: what"; warnings (unknown fields, unknown
 * syscall names, ...) are appended to diags when it is non-NULL.
 */
int sc_profile_parse(const char *text, size_t len, const char *origin,
		     const struct sc_parse_opts *opts, struct sc_profile **out,
		     struct sc_diags *diags, struct sc_error *err);

/*
 * A profile's bytes, NUL-terminated, as sc_profile_load reads them:
 * "default" is the embedded Docker profile, "-" standard input (origin
 * "<stdin>"), anything else a file of at most 16 MiB.  *origin is the name
 * for messages (path itself, or a static string).
 */
int sc_profile_read(const char *path, char **text, size_t *len, const char **origin,
		    struct sc_error *err);

/* Read and parse a file; "default" loads the embedded Docker profile. */
int sc_profile_load(const char *path, const struct sc_parse_opts *opts,
		    struct sc_profile **out, struct sc_diags *diags,
		    struct sc_error *err);

void sc_profile_free(struct sc_profile *p);

/* The embedded Docker default profile, as bytes. */
const char *sc_default_profile_text(size_t *len);

const char *sc_action_name(enum sc_action a);   /* "SCMP_ACT_ERRNO" */
int sc_action_from_name(const char *s, enum sc_action *out);
const char *sc_op_name(enum sc_op op);          /* "SCMP_CMP_EQ" */
int sc_op_from_name(const char *s, enum sc_op *out);

/* "SECCOMP_FILTER_FLAG_LOG" <-> SC_FLAG_LOG. */
int sc_flag_from_name(const char *s, unsigned *out);
const char *sc_flag_name(unsigned flag);

/* "file:line:col" for a location of p (static buffer per thread). */
const char *sc_profile_where(const struct sc_profile *p, struct sc_loc loc);

/*
 * What a profile is resolved against: the capabilities of the process it
 * will confine (Docker matches includes/excludes against the bounding set),
 * the native architecture, and the host kernel's major.minor.
 */
struct sc_target {
	uint64_t caps;        /* bit N = capability N */
	uint32_t arch;        /* SCMP_ARCH_* token of the native arch */
	unsigned kernel_major, kernel_minor;
};

/* The host's own target with Docker's default capability set. */
int sc_target_host(struct sc_target *t, struct sc_error *err);


/* One syscall name of one rule that survived resolution. */
struct sc_policy_rule {
	const struct sc_rule *rule;   /* where it came from */
	const char *name;
	int nr;                       /* native number, or libseccomp pseudo number (< 0) */
	enum sc_action action;
	uint32_t errno_ret;           /* ERRNO/TRACE data (EPERM when unset); 0 for other actions */
	const struct sc_arg *args;    /* ANDed conditions */
	size_t n_args;
};

/*
 * A profile resolved for one target: architectures settled, includes and
 * excludes applied, names resolved, rules whose action equals the default
 * dropped, and a rule with the same argument index more than once split
 * into one rule per condition (ORed, as runc does).
 */
struct sc_policy {
	const struct sc_profile *profile;
	struct sc_target target;
	enum sc_action default_action;
	uint32_t default_errno;       /* ERRNO/TRACE: EPERM when unset; 0 for other actions */
	uint32_t *arches;             /* SCMP_ARCH_* tokens; native first */
	size_t n_arches;
	unsigned flags;               /* enum sc_profile_flag bits to load with */
	struct sc_policy_rule *rules;
	size_t n_rules;
};

/* Whether a rule's excludes and includes let it apply to t, as moby decides. */
bool sc_rule_applies(const struct sc_rule *r, const struct sc_target *t);

int sc_profile_resolve(const struct sc_profile *p, const struct sc_target *t,
		       struct sc_policy **out, struct sc_diags *diags,
		       struct sc_error *err);
void sc_policy_free(struct sc_policy *pol);

#endif
