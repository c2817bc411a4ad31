/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filter a run loads: a profile compiled for one command on this host,
 * with the kernel flags to load it with.  What run, learn and any other
 * front-end ask for; the launcher loads it as it is.
 */
#ifndef SECLUDE_FILTER_H
#define SECLUDE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/profile.h"

struct sc_filter {
	struct sc_bpf bpf;    /* compiled, or from the cache */
	unsigned flags;       /* SECCOMP_FILTER_FLAG_*: the profile's "flags", else SPEC_ALLOW as Docker */
	/* With keep_policy: the profile as read and its policy, the program's source (attribution). */
	struct sc_profile *profile;
	struct sc_policy *policy;
};

struct sc_filter_opts {
	uint64_t caps;        /* the command's capabilities: includes/excludes "caps" match them */
	bool init;            /* --init runs under the filter too: its calls must be allowed */
	bool complain;        /* the filter only reports: nothing it says is refused */
	bool keep_policy;     /* keep the profile and its policy in the filter (a denial session names rules) */
};

/*
 * Read PROFILE (a path, or "default" for the built-in one), compile it for
 * o->caps on this host through the cache, and check that the command can
 * start under it: execve (and with o->init, what the init calls) must be
 * allowed, unless o->complain.  A file's notes go to diags; the built-in
 * profile's (names newer than this libseccomp, which get ENOSYS) are not
 * asked for.  The text is read once: a profile that names its "flags",
 * or whose policy is kept, is parsed and resolved once and compiled from
 * that policy (through the cache); otherwise the cache answers without a
 * parse.  f is filled on success and empty on failure.
 */
int sc_filter_for(const char *profile, const struct sc_filter_opts *o, struct sc_filter *f,
		  struct sc_diags *diags, struct sc_error *err);
void sc_filter_free(struct sc_filter *f);

#endif
