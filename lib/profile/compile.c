/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A resolved policy to seccomp BPF through libseccomp, as runc does it:
 * every architecture added before the first rule (libseccomp does not
 * carry existing rules to an architecture added later), raw error codes,
 * the binary tree above 32 rules (libseccomp 2.5.4 mishandles an empty
 * tree), no_new_privs left to the caller, and the program exported into a
 * memfd instead of being loaded.
 *
 * Rules go in with seccomp_rule_add_array, the variant that rewrites
 * multiplexed calls: on i386 a rule for socket(), accept() or shmget()
 * also covers socketcall()/ipc() with that sub-call, without the argument
 * conditions, which live behind a pointer there.  That is what Docker
 * (through runc) does, so a profile confines the same way here; the exact
 * variant cannot be used anyway once a filter has more than one
 * architecture (libseccomp 2.5.4 refuses with EOPNOTSUPP).
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/util.h"

#define SC_BPF_MAXINSNS 4096
#define OPTIMIZE_TREE_ABOVE 32

uint32_t sc_action_ret(enum sc_action a, uint32_t errno_ret)
{
	switch (a) {
	case SC_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SC_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SC_ACT_TRAP: return SCMP_ACT_TRAP;
	case SC_ACT_ERRNO: return SCMP_ACT_ERRNO(errno_ret);
	case SC_ACT_TRACE: return SCMP_ACT_TRACE(errno_ret);
	case SC_ACT_LOG: return SCMP_ACT_LOG;
	case SC_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SC_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static void ctx_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* The errno of the default action (pr NULL) or of a rule, as libseccomp will take it. */
static int check_data(const struct sc_policy *pol, const struct sc_policy_rule *pr, struct sc_error *err)
{
	enum sc_action a = pr ? pr->action : pol->default_action;
	uint32_t v = pr ? pr->errno_ret : pol->default_errno;
	if (!(a == SC_ACT_ERRNO && v > SC_ERRNO_MAX) && !(a == SC_ACT_TRACE && v > 0xffff))
		return 0;
	const struct sc_profile *p = pol->profile;
	const struct sc_rule *r = pr ? pr->rule : NULL;
	struct sc_loc loc = r ? r->errno_loc : p && !pr ? p->default_errno_loc : (struct sc_loc){0};
	char where[600], path[64];
	if (p && loc.line)
		snprintf(where, sizeof(where), "%s: ", sc_profile_where(p, loc));
	else
		snprintf(where, sizeof(where), "%s%s", p && p->origin ? p->origin : "", p && p->origin ? ": " : "");
	if (pr)
		snprintf(path, sizeof(path), "syscalls[%zu].errnoRet", r ? r->index : 0);
	else
		snprintf(path, sizeof(path), "defaultErrnoRet");
	if (a == SC_ACT_ERRNO)
		return sc_error_set(err, -ERANGE,
				    "%s%s: %u is out of range: libseccomp takes an errno up to %d, so no "
				    "runtime can load it", where, path, v, SC_ERRNO_MAX);
	return sc_error_set(err, -ERANGE, "%s%s: %u does not fit the 16 bits of a TRACE message", where,
			    path, v);
}

static int add_arches(scmp_filter_ctx ctx, const struct sc_policy *pol, struct sc_error *err)
{
	uint32_t native = seccomp_arch_native();
	bool keep_native = pol->n_arches == 0;
	for (size_t i = 0; i < pol->n_arches; i++) {
		uint32_t a = pol->arches[i];
		if (a == native) {
			keep_native = true;
			continue;
		}
		int r = seccomp_arch_add(ctx, a);
		if (r < 0 && r != -EEXIST)
			return sc_error_errno(err, r, "cannot add architecture 0x%x to the filter", a);
	}
	/* a filter for another machine: drop the one seccomp_init put in */
	if (!keep_native) {
		int r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (r < 0)
			return sc_error_errno(err, r, "cannot remove the native architecture from the filter");
	}
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct sc_policy_rule *pr, uint32_t act,
		    struct sc_error *err)
{
	/* libseccomp wants the host's number (or its pseudo number) and maps
	 * it to every architecture of the filter by name */
	int nr = seccomp_syscall_resolve_name(pr->name);
	if (nr == __NR_SCMP_ERROR)
		return 0;
	if (pr->n_args > 6)
		return sc_error_set(err, -EINVAL, "syscalls[%zu] (%s): more than 6 argument conditions",
				    pr->rule ? pr->rule->index : 0, pr->name);
	struct scmp_arg_cmp cmp[6];
	for (size_t i = 0; i < pr->n_args; i++) {
		const struct sc_arg *a = &pr->args[i];
		if (a->index > 5 || a->op < SC_OP_NE || a->op > SC_OP_MASKED_EQ)
			return sc_error_set(err, -EINVAL, "syscalls[%zu] (%s): bad argument condition",
					    pr->rule ? pr->rule->index : 0, pr->name);
		cmp[i] = (struct scmp_arg_cmp){
			.arg = a->index,
			.op = (enum scmp_compare)a->op,
			.datum_a = a->value,
			.datum_b = a->value_two,
		};
	}
	int r = seccomp_rule_add_array(ctx, act, nr, (unsigned)pr->n_args, pr->n_args ? cmp : NULL);
	if (r == -EEXIST)
		return sc_error_set(err, r,
				    "syscalls[%zu] (%s): libseccomp refused the rule: it contradicts an earlier "
				    "one for the same call (on i386 the socket and SysV IPC calls also go through "
				    "socketcall/ipc, where their argument conditions are dropped)",
				    pr->rule ? pr->rule->index : 0, pr->name);
	if (r < 0)
		return sc_error_errno(err, r, "syscalls[%zu] (%s): libseccomp refused the rule",
				      pr->rule ? pr->rule->index : 0, pr->name);
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct sc_bpf *out, struct sc_error *err)
{
	_cleanup_close_ int fd = memfd_create("seclude-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return sc_error_errno(err, r, "libseccomp cannot export the filter");
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sc_error_errno(err, -errno, "fstat");
	size_t size = (size_t)st.st_size;
	/* libseccomp does not check for a short write: a file size limit cuts the program silently */
	struct rlimit fsize;
	if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY &&
	    (uint64_t)size >= (uint64_t)fsize.rlim_cur)
		return sc_error_set(err, -EFBIG,
				    "the exported filter was cut at the file size limit (%zu bytes; see ulimit -f)",
				    size);
	if (size == 0 || size % sizeof(struct sock_filter) != 0)
		return sc_error_set(err, -EINVAL, "libseccomp exported %zu bytes, not whole instructions", size);
	_cleanup_free_ struct sock_filter *insns = malloc(size);
	if (!insns)
		return sc_error_set(err, -ENOMEM, "out of memory");
	for (size_t off = 0; off < size;) {
		ssize_t n = pread(fd, (char *)insns + off, size - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sc_error_errno(err, n < 0 ? -errno : -EIO, "cannot read the exported filter");
		off += (size_t)n;
	}
	out->insns = TAKE_PTR(insns);
	out->len = size / sizeof(struct sock_filter);
	return 0;
}

static int concat(const struct sc_bpf *a, const struct sc_bpf *b, struct sc_bpf *out,
		  struct sc_error *err)
{
	size_t n = a->len + b->len;
	if (n > SC_BPF_MAXINSNS)
		return sc_error_set(err, -E2BIG,
				    "the compiled filter has %zu instructions, more than the kernel's %d", n,
				    SC_BPF_MAXINSNS);
	struct sock_filter *v = malloc(n * sizeof(*v));
	if (!v)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (a->len)
		memcpy(v, a->insns, a->len * sizeof(*v));
	memcpy(v + a->len, b->insns, b->len * sizeof(*v));
	out->insns = v;
	out->len = n;
	return 0;
}

int sc_policy_compile(const struct sc_policy *pol, const struct sc_compile_opts *opts,
		      struct sc_bpf *out, struct sc_error *err)
{
	static const struct sc_compile_opts no_opts;
	if (!opts)
		opts = &no_opts;
	*out = (struct sc_bpf){0};

	int r = check_data(pol, NULL, err);
	if (r < 0)
		return r;
	uint32_t def = sc_action_ret(pol->default_action, pol->default_errno);

	__attribute__((cleanup(ctx_releasep))) scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return sc_error_set(err, -EINVAL, "libseccomp cannot start a filter with default action 0x%x", def);
	/* without this every failure would come back as ECANCELED */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (r < 0)
		return sc_error_errno(err, r, "cannot set SCMP_FLTATR_API_SYSRAWRC");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r < 0)
		return sc_error_errno(err, r, "cannot set SCMP_FLTATR_CTL_NNP");

	r = add_arches(ctx, pol, err);
	if (r < 0)
		return r;

	size_t n_effective = 0;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		r = check_data(pol, pr, err);
		if (r < 0)
			return r;
		if (sc_action_ret(pr->action, pr->errno_ret) != def)
			n_effective++;
	}
	if (n_effective > OPTIMIZE_TREE_ABOVE) {
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
		if (r < 0)
			return sc_error_errno(err, r, "cannot set SCMP_FLTATR_CTL_OPTIMIZE");
	}

	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		uint32_t act = sc_action_ret(pr->action, pr->errno_ret);
		/* libseccomp refuses a rule that repeats the default (EACCES) */
		if (act == def)
			continue;
		r = add_rule(ctx, pr, act, err);
		if (r < 0) {
			/* the rule's place in the file, as every profile error has it */
			if (pol->profile && pr->rule)
				sc_error_prefix(err, "%s", sc_profile_where(pol->profile, pr->rule->loc));
			return r;
		}
	}

	struct sc_bpf body = {0};
	r = export_bpf(ctx, &body, err);
	if (r < 0)
		return r;
	struct sc_bpf stub = {0};
	if (!opts->no_enosys_stub) {
		r = sc_enosys_prologue(pol, &stub, err);
		if (r < 0) {
			sc_bpf_free(&body);
			return r;
		}
	}
	r = concat(&stub, &body, out, err);
	sc_bpf_free(&stub);
	sc_bpf_free(&body);
	if (r < 0)
		return r;
	r = sc_bpf_validate(out, err);
	if (r < 0) {
		sc_error_prefix(err, "the compiled filter is invalid");
		sc_bpf_free(out);
		return r;
	}
	return 0;
}

void sc_bpf_free(struct sc_bpf *b)
{
	if (!b)
		return;
	free(b->insns);
	b->insns = NULL;
	b->len = 0;
}

static int write_fd(int fd, const char *name, const struct sc_bpf *b, struct sc_error *err)
{
	int r = sc_write_all(fd, b->insns, b->len * sizeof(*b->insns));
	return r < 0 ? sc_error_errno(err, r, "%s: cannot write", name) : 0;
}

int sc_bpf_save(const char *path, const struct sc_bpf *b, struct sc_error *err)
{
	if (!path || strcmp(path, "-") == 0)
		return write_fd(STDOUT_FILENO, "standard output", b, err);
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return sc_error_errno(err, -errno, "%s: cannot create", path);
		return write_fd(fd, path, b, err);
	}
	return sc_write_atomic(path, b->insns, b->len * sizeof(*b->insns), 0644, SC_WRITE_UMASK, err);
}

static int cache_lookup(const char *text, size_t len, const struct sc_target *t,
			const struct sc_compile_opts *opts, const char *cache_dir,
			struct sc_cache_key *key, struct sc_bpf *out)
{
	if (cache_dir && !cache_dir[0])
		return -ENOENT;
	sc_cache_key_compute(text, len, t, opts, key);
	struct sc_error miss = {0};
	return sc_cache_get(cache_dir, key, out, &miss);
}

static int compile_and_store(const struct sc_policy *pol, const struct sc_compile_opts *opts,
			     const char *cache_dir, const struct sc_cache_key *key,
			     struct sc_bpf *out, struct sc_error *err)
{
	int r = sc_policy_compile(pol, opts, out, err);
	if (r < 0)
		return r;
	/* a cache that cannot be written only costs the next compile */
	if (!cache_dir || cache_dir[0]) {
		struct sc_error ignored = {0};
		(void)sc_cache_put(cache_dir, key, out, &ignored);
	}
	return 0;
}

static void warn_again(const char *text, size_t len, const char *origin, const struct sc_target *t,
		       struct sc_diags *diags)
{
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	struct sc_error ignored = {0};
	if (sc_profile_parse(text, len, origin, NULL, &p, diags, &ignored) == 0)
		(void)sc_profile_resolve(p, t, &pol, diags, &ignored);
	sc_policy_free(pol);
	sc_profile_free(p);
}

int sc_compile_text(const char *text, size_t len, const char *origin,
		    const struct sc_target *t, const struct sc_compile_opts *opts,
		    const char *cache_dir, struct sc_bpf *out, bool *hit,
		    struct sc_diags *diags, struct sc_error *err)
{
	struct sc_cache_key key = {0};
	*out = (struct sc_bpf){0};
	if (hit)
		*hit = false;
	if (cache_lookup(text, len, t, opts, cache_dir, &key, out) == 0) {
		if (hit)
			*hit = true;
		/* the warnings are the profile's, not the compile's: read them
		 * again (a fraction of a millisecond) when the caller wants them */
		if (diags)
			warn_again(text, len, origin, t, diags);
		return 0;
	}

	struct sc_parse_opts popts = { .unknown_syscall_is_error = opts && opts->unknown_syscall_is_error };
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	int r = sc_profile_parse(text, len, origin, &popts, &p, diags, err);
	if (r == 0)
		r = sc_profile_resolve(p, t, &pol, diags, err);
	if (r == 0)
		r = compile_and_store(pol, opts, cache_dir, &key, out, err);
	sc_policy_free(pol);
	sc_profile_free(p);
	return r;
}

int sc_policy_compile_cached(const struct sc_policy *pol, const char *text, size_t len,
			     const struct sc_compile_opts *opts, const char *cache_dir,
			     struct sc_bpf *out, bool *hit, struct sc_error *err)
{
	struct sc_cache_key key = {0};
	*out = (struct sc_bpf){0};
	bool found = cache_lookup(text, len, &pol->target, opts, cache_dir, &key, out) == 0;
	if (hit)
		*hit = found;
	return found ? 0 : compile_and_store(pol, opts, cache_dir, &key, out, err);
}
