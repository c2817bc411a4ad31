/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_LEARN_FOR_H
#define SECLUDE_LEARN_FOR_H

/*
 * Profiles that work where they are deployed.
 *
 * A container runtime loads the container's seccomp filter before it is
 * done: runc, crun and the others make calls of their own under it between
 * loading it and the command's execve.  What each makes was measured on the
 * real runtime (scripts/measure-runtime) and is kept in
 * lib/learn/runtimes/<runtime>.json, built into the binary: per case
 * (no-new-privileges or not, root or another user, with an init or not),
 * the calls and why each is made.
 *
 * learn --for RUNTIME adds that set to the learned profile, a rule per call
 * with its reason as the comment, and a "learned for:" line to the main
 * rule's comment; check --for RUNTIME says which of them a profile lacks.
 */

#include <stdbool.h>
#include <stddef.h>

#include "seclude/error.h"
#include "seclude/profile.h"

enum sc_for_tri { SC_FOR_ANY, SC_FOR_YES, SC_FOR_NO };
enum sc_for_user { SC_FOR_USER_ANY, SC_FOR_USER_ROOT, SC_FOR_USER_OTHER };

/* What a profile is made for: the runtime and the cases it must cover. */
struct sc_learn_for {
	const char *runtime;       /* "docker", "runc", ..., or "none" */
	enum sc_for_tri nnp;       /* any: both with and without no-new-privileges */
	enum sc_for_user user;     /* any: root and another user */
	bool init;                 /* also with an init process (docker run --init) */
};

/* The runtime a Docker user expects: docker, every nnp and user case, no init. */
#define SC_LEARN_FOR_DEFAULT "docker"

/* One call to add, and why. */
struct sc_learn_extra {
	char *name;
	char *why;
};

struct sc_learn_extras {
	struct sc_learn_extra *v;
	size_t n;
};

void sc_learn_extras_free(struct sc_learn_extras *x);

/* The runtimes with a measured set, NULL-terminated (not "none"). */
extern const char *const sc_learn_for_runtimes[];

/* "nnp" option values: yes, no, any. */
int sc_learn_for_parse_nnp(const char *s, enum sc_for_tri *out);
/* "user" option values: root, other (or a uid/name other than root), any. */
int sc_learn_for_parse_user(const char *s, enum sc_for_user *out);
bool sc_learn_for_known(const char *runtime);

/*
 * The calls runtime f->runtime makes after loading the filter, for the
 * cases f covers (the union when nnp or user is "any"), each with its
 * reason prefixed by the runtime and version ("runc 1.1.5: ...").
 * *version is the measured version (static).  "none" gives an empty set.
 */
int sc_learn_for_calls(const struct sc_learn_for *f, struct sc_learn_extras *out,
		       const char **version, struct sc_error *err);

/* The embedded JSON of a runtime's measurement (for tests and "info"). */
const char *sc_learn_for_data(const char *runtime, size_t *len);

/*
 * Calls any program may make at any moment that a short training run can
 * miss (decided from measurement: they came and went between runs of the
 * same workload).  Added to a learned profile unless --minimal.
 */
extern const struct sc_learn_any_moment {
	const char *name;
	const char *why;
} sc_learn_any_moment[];

/* The any-moment set as extras. */
int sc_learn_any_moment_calls(struct sc_learn_extras *out, struct sc_error *err);

/* "learned for: runtime=runc 1.1.5+ds1; nnp=any; user=any; init=no; arches=SCMP_ARCH_X86_64" */
#define SC_LEARN_FOR_PREFIX "learned for: "
char *sc_learn_for_header(const struct sc_learn_for *f, const char *version, const char *arches);

/*
 * Read a "learned for:" line back out of a profile: the first rule comment
 * that has one.  *runtime (malloc'd, or NULL when there is none), the rest
 * into f (f->runtime points into *runtime).
 */
int sc_learn_for_from_profile(const struct sc_profile *p, struct sc_learn_for *f, char **runtime,
			      struct sc_error *err);

/*
 * check --for: findings for whether a container can start under runtime
 * f->runtime with this policy:
 *   runtime-missing   (error) a call the runtime makes before execve is not allowed
 *   learned-for-other (warning) the profile says it was learned for another runtime
 *                     or another case
 *   runtime-ok        (note) every call it makes is allowed
 */
int sc_learn_for_check(const struct sc_profile *p, const struct sc_policy *pol,
		       const struct sc_learn_for *f, struct sc_diags *out, struct sc_error *err);

#endif
