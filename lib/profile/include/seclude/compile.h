/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_COMPILE_H
#define SECLUDE_COMPILE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/profile.h"

/* The highest errno libseccomp takes for SCMP_ACT_ERRNO (it refuses MAX_ERRNO, 4095, and above). */
#define SC_ERRNO_MAX 4094

/* A classic-BPF seccomp program, in host byte order, ready for seccomp(2). */
struct sc_bpf {
	struct sock_filter *insns;
	size_t len;
};

struct sc_compile_opts {
	bool no_enosys_stub;  /* leave out the "newer than the profile -> ENOSYS" prologue */
	/* sc_compile_text: a syscall name libseccomp does not know is an error, not a warning */
	bool unknown_syscall_is_error;
};

/*
 * Compile a resolved policy with libseccomp (all arches added before any
 * rule, binary tree when it pays, raw error codes) and export the program
 * into memory.  Nothing is loaded into the calling process.
 */
int sc_policy_compile(const struct sc_policy *pol, const struct sc_compile_opts *opts,
		      struct sc_bpf *out, struct sc_error *err);

void sc_bpf_free(struct sc_bpf *b);
/*
 * The raw program to path (NULL or "-": standard output).  A regular
 * file is written beside itself and renamed over, so a failed write (a
 * full disk) leaves the old file or none, never half a filter; a device,
 * a pipe or a link is written in place.
 */
int sc_bpf_save(const char *path, const struct sc_bpf *b, struct sc_error *err);

/* The SECCOMP_RET_* value of an action (errno_ret for ERRNO and TRACE). */
uint32_t sc_action_ret(enum sc_action a, uint32_t errno_ret);

/*
 * The highest number, on arch (SCMP_ARCH_*), of any syscall a rule of the
 * policy names; -1 when none exists there.  The ENOSYS prologue answers
 * ENOSYS above it.
 */
int sc_policy_max_nr(const struct sc_policy *pol, uint32_t arch);

/* Whether the policy gets the ENOSYS prologue (not for ALLOW, LOG, TRACE defaults). */
bool sc_policy_wants_enosys(const struct sc_policy *pol);

/*
 * The prologue itself, runc's algorithm: per architecture of the filter,
 * a syscall number above the highest the profile names returns
 * ERRNO(ENOSYS), so libc falls back from syscalls the profile predates
 * (clone3 -> clone); x32 numbers (bit 30) are compared with x32's highest;
 * an unknown architecture falls through to the filter, which applies its
 * bad-arch action.  It ends by falling into the instruction that follows
 * it.  Empty when sc_policy_wants_enosys is false.
 */
int sc_enosys_prologue(const struct sc_policy *pol, struct sc_bpf *out, struct sc_error *err);

/*
 * The compile cache.  The key covers everything that changes the result:
 * profile bytes, capabilities, arch, kernel major.minor, libseccomp and
 * seclude versions, compile options.  dir NULL means the default
 * ($SECLUDE_CACHE_DIR, else /var/cache/seclude as root, else
 * $XDG_CACHE_HOME/seclude, else ~/.cache/seclude); "" means no cache.
 * Entries are checked on read (owned by the caller and not writable by
 * others, whole instructions, at most 4096, accepted by sc_bpf_validate,
 * and a SHA-256 over key and program that matches: another valid program
 * in the file is no hit); a bad entry is a miss, and the compile that
 * follows replaces it.
 */
struct sc_cache_key {
	uint8_t digest[32];
};

void sc_cache_key_compute(const char *profile_text, size_t len,
			  const struct sc_target *t, const struct sc_compile_opts *opts,
			  struct sc_cache_key *key);
/* 0 and *out filled on a hit, -ENOENT on a miss, other negative on error. */
int sc_cache_get(const char *dir, const struct sc_cache_key *key, struct sc_bpf *out,
		 struct sc_error *err);
int sc_cache_put(const char *dir, const struct sc_cache_key *key, const struct sc_bpf *b,
		 struct sc_error *err);
/* The directory dir NULL stands for, into buf. */
int sc_cache_default_dir(char *buf, size_t len, struct sc_error *err);

/*
 * The whole way from text to program, through the cache: what run,
 * compile and learn use.  *hit says whether the cache answered.  On a hit
 * the profile is still read for its warnings when diags is non-NULL
 * (about 0.5 ms for Docker's profile); pass NULL for the fastest path.
 */
int sc_compile_text(const char *text, size_t len, const char *origin,
		    const struct sc_target *t, const struct sc_compile_opts *opts,
		    const char *cache_dir, struct sc_bpf *out, bool *hit,
		    struct sc_diags *diags, struct sc_error *err);

/*
 * The program of a policy the caller has resolved itself (explain and diff
 * need the policy to name rules), through the same cache: text must be
 * the bytes pol's profile was parsed from, and pol resolved for
 * pol->target.
 */
int sc_policy_compile_cached(const struct sc_policy *pol, const char *text, size_t len,
			     const struct sc_compile_opts *opts, const char *cache_dir,
			     struct sc_bpf *out, bool *hit, struct sc_error *err);

/*
 * A profile file (or "default", "-") read, parsed, resolved for t and
 * compiled through the cache, everything kept: what explain and diff
 * start from (the policy names the rules, the program gives verdicts).
 * strict: unknown syscall names are errors; name: a compile error
 * names the profile (of two), unless it says already.
 */
struct sc_compiled_profile {
	char *text;
	size_t len;
	const char *origin;
	struct sc_profile *profile;
	struct sc_policy *policy;
	struct sc_bpf bpf;
};
int sc_compiled_profile_load(const char *path, bool strict, bool name, const struct sc_target *t,
			     struct sc_compiled_profile *out, struct sc_diags *diags, struct sc_error *err);
void sc_compiled_profile_free(struct sc_compiled_profile *c);

#endif
