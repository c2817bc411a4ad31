/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_LINT_H
#define SECLUDE_LINT_H

#include <jansson.h>
#include <stdio.h>

#include "seclude/error.h"
#include "seclude/profile.h"

/*
 * Look for the ways a valid profile fails to do what it says: findings go
 * into out as warnings (a hole or breakage) or notes (worth knowing), each
 * with a stable code, the rule's "file:line:col" and its path:
 *
 *   compat-arch-missing  deny-list without the native arch's 32-bit ABIs
 *   compat-name-alias    deny-list missing a 32-bit twin (chown -> chown32)
 *   pointer-arg          condition on a pointer argument
 *   arg-truncation       64-bit comparison of a 32-bit argument that a
 *                        value with high bits set gets around
 *   arg-width            the same, where it fails closed (a note)
 *   ptrace-with-trace    TRACE actions while ptrace is allowed
 *   allowlist-missing    allow-list without execve, exit/exit_group or
 *                        rt_sigreturn
 *   clone3-eperm         clone3 answered with an errno other than ENOSYS
 *   conflict             rules for one syscall that libseccomp merges
 *                        into one verdict, whatever their order
 *   ored-args            repeated argument index: conditions are ORed
 *   never-matches        a condition or includes/excludes nothing meets
 *   default-equal        a rule that repeats the default action
 *   errno-range          an errno the kernel caps at 4095
 *   value-two-ignored    valueTwo with an operator other than MASKED_EQ
 *   notify-no-listener   NOTIFY with no listenerPath
 *
 * and, from check --for RUNTIME (sc_policy_lint_needs and lib/learn):
 *   runtime-missing      (error) a call the runtime makes under the filter
 *                        before the command's execve is not allowed
 *   learned-for-other    the profile was learned for another runtime or case
 *   runtime-ok           (note) every call the runtime makes is allowed
 *
 * pol is p resolved for the target being checked.
 */
int sc_profile_lint(const struct sc_profile *p, const struct sc_policy *pol,
		    struct sc_diags *out, struct sc_error *err);

/*
 * Calls something outside the profile's command needs the profile to let
 * through (a container runtime's own calls before execve): one
 * runtime-missing error per call not allowed, naming who and why, or one
 * runtime-ok note.  Returns how many are missing.
 */
struct sc_lint_need {
	const char *name;
	const char *why;
};

int sc_policy_lint_needs(const struct sc_profile *p, const struct sc_policy *pol,
			 const struct sc_lint_need *needs, size_t n, const char *who,
			 struct sc_diags *out, struct sc_error *err);

/*
 * What seclude check prints of d: one line per finding and a last
 * "PROFILE: valid; N warnings, M notes" line; or one JSON object (valid
 * unless err; a new reference).
 */
void sc_check_write_text(FILE *out, const char *profile, const struct sc_diags *d);
json_t *sc_check_to_json(const char *profile, const struct sc_error *err, const struct sc_diags *d);

#endif
