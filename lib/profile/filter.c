/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filter a run loads: the profile compiled for the command's
 * capabilities on this host (through the cache), the kernel flags to load
 * it with (Docker's SPEC_ALLOW unless the profile names its flags), and
 * the checks that the command can start under it.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "seclude/bpf.h"
#include "seclude/filter.h"
#include "seclude/profile.h"
#include "seclude/util.h"

static unsigned kernel_flags(unsigned profile_flags)
{
	unsigned f = 0;
	if (profile_flags & SC_FLAG_TSYNC)
		f |= SECCOMP_FILTER_FLAG_TSYNC;
	if (profile_flags & SC_FLAG_LOG)
		f |= SECCOMP_FILTER_FLAG_LOG;
	if (profile_flags & SC_FLAG_SPEC_ALLOW)
		f |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
#ifdef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
	if (profile_flags & SC_FLAG_WAIT_KILLABLE_RECV)
		f |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
#endif
	return f;
}

/* Does the program let this call through on the native arch? */
static bool allows(const struct sc_bpf *b, uint32_t arch, int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	struct sc_sim_result res;
	if (sc_bpf_run(b, &d, &res, NULL) < 0)
		return false;
	uint32_t action = res.ret & SECCOMP_RET_ACTION_FULL;
	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

/* Parse and resolve once, compile that policy through the cache; the profile's flags too. */
static int compile_read(const char *text, size_t len, const char *origin, const struct sc_target *t,
			bool keep, struct sc_filter *f, struct sc_diags *diags, struct sc_error *err)
{
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	int r = sc_profile_parse(text, len, origin, NULL, &p, diags, err);
	if (r == 0)
		r = sc_profile_resolve(p, t, &pol, diags, err);
	if (r == 0)
		r = sc_policy_compile_cached(pol, text, len, NULL, NULL, &f->bpf, NULL, err);
	if (r == 0 && p->has_flags)
		f->flags = kernel_flags(p->flags);
	if (r == 0 && keep) {
		f->profile = p;
		f->policy = pol;
		return 0;
	}
	sc_policy_free(pol);
	sc_profile_free(p);
	return r;
}

int sc_filter_for(const char *profile, const struct sc_filter_opts *o, struct sc_filter *f,
		  struct sc_diags *diags, struct sc_error *err)
{
	_cleanup_free_ char *owned = NULL;
	const char *text;
	size_t len;
	int r;
	if (!strcmp(profile, "default")) {
		text = sc_default_profile_text(&len);
	} else {
		r = sc_read_user_file(profile, 16 << 20, &owned, &len, err);
		if (r < 0)
			return r;
		text = owned;
	}

	struct sc_target t;
	r = sc_target_host(&t, err);
	if (r < 0)
		return r;
	/* includes/excludes match the capabilities the command will have, as in Docker */
	t.caps = o->caps;

	/*
	 * The built-in profile names syscalls newer than this libseccomp; they
	 * get ENOSYS from the stub, which is what the notes would say: its
	 * notes are not asked for.
	 */
	bool builtin = !strcmp(profile, "default");
	struct sc_diags *notes = builtin ? NULL : diags;
	/* "flags" absent means SPEC_ALLOW, as Docker loads it (keys match in any case, as in Go) */
	f->flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (o->keep_policy || strcasestr(text, "\"flags\""))
		r = compile_read(text, len, profile, &t, o->keep_policy, f, notes, err);
	else
		r = sc_compile_text(text, len, profile, &t, NULL, NULL, &f->bpf, NULL, notes, err);
	if (r < 0) {
		sc_filter_free(f);
		return r;
	}

	if (o->complain)
		return 0;
	if (!allows(&f->bpf, t.arch, __NR_execve)) {
		sc_filter_free(f);
		return sc_error_set(err, -EPERM, "the seccomp profile denies execve: the command cannot start");
	}
	static const struct { int nr; const char *name; } init_calls[] = {
		{ __NR_capset, "capset" }, { __NR_rt_sigtimedwait, "rt_sigtimedwait" },
		{ __NR_wait4, "wait4" }, { __NR_kill, "kill" }, { __NR_exit_group, "exit_group" },
	};
	for (size_t i = 0; o->init && i < SC_ARRAY_SIZE(init_calls); i++)
		if (!allows(&f->bpf, t.arch, init_calls[i].nr)) {
			sc_filter_free(f);
			return sc_error_set(err, -EPERM, "the seccomp profile denies %s, which --init needs",
					    init_calls[i].name);
		}
	return 0;
}

void sc_filter_free(struct sc_filter *f)
{
	sc_bpf_free(&f->bpf);
	sc_policy_free(f->policy);
	sc_profile_free(f->profile);
	*f = (struct sc_filter){0};
}
