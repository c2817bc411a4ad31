/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "seclude/names.h"
#include "seclude/compile.h"
#include "seclude/lint.h"
#include "seclude/util.h"

/*
 * Argument types of the syscalls profiles most often put conditions on,
 * as the x86_64/arm64 kernels declare them (SYSCALL_DEFINE).  One letter
 * per argument:
 *   p  a pointer: seccomp sees the address, never what it points to
 *   i  a 32-bit int/unsigned int/uid_t/pid_t/umode_t: the kernel uses
 *      only the low 32 bits, the filter compares all 64
 *   l  a full 64-bit long, size or flags word
 *   -  depends on another argument (ioctl's arg, prctl's arg2...)
 * Syscalls whose argument order differs between arches (clone) are left
 * out rather than guessed.
 */
static const struct {
	const char *name;
	const char *kinds;
} arg_kinds[] = {
	{ "accept", "ipp" },
	{ "accept4", "ippi" },
	{ "access", "pi" },
	{ "bind", "ipi" },
	{ "bpf", "ipi" },
	{ "chdir", "p" },
	{ "chmod", "pi" },
	{ "chown", "pii" },
	{ "chroot", "p" },
	{ "clone3", "pl" },
	{ "close", "i" },
	{ "connect", "ipi" },
	{ "creat", "pi" },
	{ "dup", "i" },
	{ "dup2", "ii" },
	{ "dup3", "iii" },
	{ "execve", "ppp" },
	{ "execveat", "ipppi" },
	{ "faccessat", "ipi" },
	{ "faccessat2", "ipii" },
	{ "fchmod", "ii" },
	{ "fchmodat", "ipi" },
	{ "fchown", "iii" },
	{ "fchownat", "ipiii" },
	{ "fcntl", "ii-" },
	{ "flock", "ii" },
	{ "fstat", "ip" },
	{ "getrandom", "pli" },
	{ "getsockopt", "iiipp" },
	{ "ioctl", "ii-" },
	{ "kcmp", "iiill" },
	{ "kill", "ii" },
	{ "lchown", "pii" },
	{ "link", "pp" },
	{ "linkat", "ipipi" },
	{ "listen", "ii" },
	{ "lstat", "pp" },
	{ "madvise", "pli" },
	{ "memfd_create", "pi" },
	{ "mkdir", "pi" },
	{ "mkdirat", "ipi" },
	{ "mknod", "pii" },
	{ "mknodat", "ipii" },
	{ "mount", "pppl-" },
	{ "newfstatat", "ippi" },
	{ "open", "pii" },
	{ "openat", "ipii" },
	{ "openat2", "ippl" },
	{ "personality", "i" },
	{ "pidfd_open", "ii" },
	{ "pivot_root", "pp" },
	{ "prctl", "i----" },
	{ "read", "ipl" },
	{ "readlink", "ppi" },
	{ "readlinkat", "ippi" },
	{ "recvfrom", "iplipp" },
	{ "recvmsg", "ipi" },
	{ "rename", "pp" },
	{ "renameat", "ipip" },
	{ "renameat2", "ipipi" },
	{ "rmdir", "p" },
	{ "rt_sigaction", "ippl" },
	{ "rt_sigprocmask", "ippl" },
	{ "seccomp", "ii-" },
	{ "sendmsg", "ipi" },
	{ "sendto", "iplipi" },
	{ "setfsgid", "i" },
	{ "setfsuid", "i" },
	{ "setgid", "i" },
	{ "setns", "ii" },
	{ "setregid", "ii" },
	{ "setresgid", "iii" },
	{ "setresuid", "iii" },
	{ "setreuid", "ii" },
	{ "setsockopt", "iiipi" },
	{ "setuid", "i" },
	{ "shutdown", "ii" },
	{ "socket", "iii" },
	{ "socketpair", "iiip" },
	{ "stat", "pp" },
	{ "statx", "ipiip" },
	{ "symlink", "pp" },
	{ "symlinkat", "pip" },
	{ "tgkill", "iii" },
	{ "tkill", "ii" },
	{ "truncate", "pl" },
	{ "umask", "i" },
	{ "umount2", "pi" },
	{ "unlink", "p" },
	{ "unlinkat", "ipi" },
	{ "unshare", "l" },
	{ "write", "ipl" },
};

static char arg_kind(const char *name, unsigned index)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(arg_kinds); i++)
		if (strcmp(arg_kinds[i].name, name) == 0)
			return index < strlen(arg_kinds[i].kinds) ? arg_kinds[i].kinds[index] : '-';
	return '-';
}

/* Names a 32-bit ABI offers beside the one a deny rule names. */
static const struct {
	const char *name, *twin;
} twins[] = {
	{ "chown", "chown32" }, { "lchown", "lchown32" }, { "fchown", "fchown32" },
	{ "setuid", "setuid32" }, { "setgid", "setgid32" }, { "setreuid", "setreuid32" },
	{ "setregid", "setregid32" }, { "setresuid", "setresuid32" }, { "setresgid", "setresgid32" },
	{ "setgroups", "setgroups32" }, { "setfsuid", "setfsuid32" }, { "setfsgid", "setfsgid32" },
	{ "mmap", "mmap2" }, { "stat", "stat64" }, { "lstat", "lstat64" }, { "fstat", "fstat64" },
	{ "newfstatat", "fstatat64" }, { "fcntl", "fcntl64" }, { "truncate", "truncate64" },
	{ "ftruncate", "ftruncate64" }, { "sendfile", "sendfile64" }, { "statfs", "statfs64" },
	{ "fstatfs", "fstatfs64" }, { "lseek", "_llseek" }, { "select", "_newselect" },
	{ "clock_settime", "clock_settime64" }, { "clock_adjtime", "clock_adjtime64" },
	{ "clock_gettime", "clock_gettime64" }, { "clock_nanosleep", "clock_nanosleep_time64" },
	{ "timer_settime", "timer_settime64" }, { "timerfd_settime", "timerfd_settime64" },
	{ "utimensat", "utimensat_time64" }, { "pselect6", "pselect6_time64" },
	{ "ppoll", "ppoll_time64" }, { "recvmmsg", "recvmmsg_time64" },
	{ "futex", "futex_time64" }, { "semtimedop", "semtimedop_time64" },
	{ "rt_sigtimedwait", "rt_sigtimedwait_time64" }, { "mq_timedsend", "mq_timedsend_time64" },
	{ "mq_timedreceive", "mq_timedreceive_time64" }, { "io_pgetevents", "io_pgetevents_time64" },
	{ "sched_rr_get_interval", "sched_rr_get_interval_time64" }, { "adjtimex", "clock_adjtime64" },
	{ "settimeofday", "clock_settime64" }, { "stime", "clock_settime64" },
};

struct lint {
	const struct sc_profile *p;
	const struct sc_policy *pol;
	struct sc_diags *out;
};

static void finding(struct lint *l, enum sc_diag_level lvl, const char *code, struct sc_loc loc,
		    const char *path, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void finding(struct lint *l, enum sc_diag_level lvl, const char *code, struct sc_loc loc,
		    const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc_diags_add(l->out, lvl, code, loc.line ? sc_profile_where(l->p, loc) : l->p->origin, path,
		     "%s", msg);
}

static bool permissive(enum sc_action a)
{
	return a == SC_ACT_ALLOW || a == SC_ACT_LOG;
}

static bool has_arch(const struct sc_policy *pol, uint32_t a)
{
	for (size_t i = 0; i < pol->n_arches; i++)
		if (pol->arches[i] == a)
			return true;
	return false;
}

/* Does any rule give name a verdict of this permissiveness? */
static const struct sc_policy_rule *rule_for(const struct sc_policy *pol, const char *name,
					     bool want_permissive, bool unconditional_only)
{
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *r = &pol->rules[i];
		if (strcmp(r->name, name) == 0 && permissive(r->action) == want_permissive &&
		    (!unconditional_only || r->n_args == 0))
			return r;
	}
	return NULL;
}

static bool allowed_somehow(const struct sc_policy *pol, const char *name)
{
	if (permissive(pol->default_action))
		return !rule_for(pol, name, false, true);
	return rule_for(pol, name, true, false) != NULL;
}

static void rule_path(char *buf, size_t len, const struct sc_rule *r)
{
	snprintf(buf, len, "syscalls[%zu]", r->index);
}

/* ---- profile-wide checks ---- */

static const struct {
	uint32_t native;
	uint32_t compat[2];
} compat_abis[] = {
	{ SCMP_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
	{ SCMP_ARCH_AARCH64, { SCMP_ARCH_ARM, 0 } },
	{ SCMP_ARCH_S390X, { SCMP_ARCH_S390, 0 } },
	{ SCMP_ARCH_PPC64, { SCMP_ARCH_PPC, 0 } },
	{ SCMP_ARCH_MIPS64, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32 } },
	{ SCMP_ARCH_MIPSEL64, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32 } },
};

static void check_compat(struct lint *l)
{
	const struct sc_policy *pol = l->pol;
	if (!permissive(pol->default_action))
		return;
	char missing[128] = "";
	for (size_t i = 0; i < SC_ARRAY_SIZE(compat_abis); i++) {
		if (compat_abis[i].native != pol->target.arch)
			continue;
		for (size_t k = 0; k < 2; k++) {
			uint32_t a = compat_abis[i].compat[k];
			if (a && !has_arch(pol, a)) {
				size_t n = strlen(missing);
				snprintf(missing + n, sizeof(missing) - n, "%s%s", n ? " and " : "",
					 sc_arch_scmp_name(a));
			}
		}
	}
	if (missing[0] && pol->n_rules)
		finding(l, SC_DIAG_WARNING, "compat-arch-missing", l->p->default_action_loc,
			"defaultAction",
			"this deny-list leaves out %s: system calls made through those entry points "
			"never meet its rules. libseccomp answers them with its bad-architecture "
			"action (kill), so they do not get through, but such programs die instead of "
			"running under the deny-list; list the architectures to cover them",
			missing);

	/* With a 32-bit ABI covered, a deny of chown misses chown32. */
	uint32_t compat32 = 0;
	if (has_arch(pol, SCMP_ARCH_X86))
		compat32 = SCMP_ARCH_X86;
	else if (has_arch(pol, SCMP_ARCH_ARM))
		compat32 = SCMP_ARCH_ARM;
	if (!compat32)
		return;
	for (size_t i = 0; i < SC_ARRAY_SIZE(twins); i++) {
		const struct sc_policy_rule *deny = rule_for(pol, twins[i].name, false, false);
		if (!deny || rule_for(pol, twins[i].twin, false, false))
			continue;
		if (seccomp_syscall_resolve_name_arch(compat32, twins[i].twin) < 0)
			continue;
		char path[64];
		rule_path(path, sizeof(path), deny->rule);
		finding(l, SC_DIAG_WARNING, "compat-name-alias", deny->rule->loc, path,
			"denies %s but not %s: %s programs do the same through %s, which this "
			"deny-list allows", twins[i].name, twins[i].twin, sc_arch_user_name(compat32),
			twins[i].twin);
	}
}

static void check_allowlist(struct lint *l)
{
	const struct sc_policy *pol = l->pol;
	if (permissive(pol->default_action))
		return;
	static const char *const needed[][2] = {
		{ "execve", "the first process cannot even start: the filter is loaded before execve" },
		{ "exit", "threads cannot end" },
		{ "exit_group", "the process cannot exit" },
		{ "rt_sigreturn", "returning from any signal handler fails" },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(needed); i++)
		if (!allowed_somehow(pol, needed[i][0]))
			finding(l, SC_DIAG_WARNING, "allowlist-missing", l->p->default_action_loc,
				"defaultAction", "this allow-list does not allow %s: %s", needed[i][0],
				needed[i][1]);
}

static void check_ptrace(struct lint *l)
{
	const struct sc_policy *pol = l->pol;
	const struct sc_policy_rule *trace = NULL;
	for (size_t i = 0; i < pol->n_rules && !trace; i++)
		if (pol->rules[i].action == SC_ACT_TRACE)
			trace = &pol->rules[i];
	if (!trace && pol->default_action != SC_ACT_TRACE)
		return;
	if (!allowed_somehow(pol, "ptrace"))
		return;
	char path[64] = "defaultAction";
	struct sc_loc loc = l->p->default_action_loc;
	if (trace) {
		rule_path(path, sizeof(path), trace->rule);
		loc = trace->rule->loc;
	}
	finding(l, SC_DIAG_WARNING, "ptrace-with-trace", loc, path,
		"SCMP_ACT_TRACE hands the decision to the tracer, and ptrace is allowed: the "
		"confined process can trace its own child and let every TRACE call through");
}

static int max_nr(const struct sc_policy *pol)
{
	int m = -1;
	for (size_t i = 0; i < pol->n_rules; i++)
		if (pol->rules[i].nr > m)
			m = pol->rules[i].nr;
	return m;
}

static void check_clone3(struct lint *l)
{
	const struct sc_policy *pol = l->pol;
	bool named = false;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *r = &pol->rules[i];
		if (strcmp(r->name, "clone3") != 0)
			continue;
		named = true;
		if (r->action == SC_ACT_ERRNO && r->errno_ret != ENOSYS) {
			char path[64];
			rule_path(path, sizeof(path), r->rule);
			finding(l, SC_DIAG_WARNING, "clone3-eperm", r->rule->loc, path,
				"clone3 gets errno %u, not ENOSYS (38): glibc 2.34 and later create "
				"threads with clone3 and fall back to clone only on ENOSYS",
				r->errno_ret);
		}
	}
	int nr = seccomp_syscall_resolve_name_arch(pol->target.arch, "clone3");
	/* Unnamed, it gets the default errno unless it is newer than every
	 * name in the profile (then the ENOSYS prologue answers it). */
	if (!named && pol->default_action == SC_ACT_ERRNO && pol->default_errno != ENOSYS &&
	    nr >= 0 && nr <= max_nr(pol))
		finding(l, SC_DIAG_WARNING, "clone3-eperm", l->p->default_action_loc, "defaultAction",
			"clone3 is not in the profile and gets the default errno %u: glibc 2.34 and "
			"later create threads with clone3 and fall back to clone only on ENOSYS; add "
			"a rule giving clone3 SCMP_ACT_ERRNO with errnoRet 38", pol->default_errno);
}

static void check_conflicts(struct lint *l)
{
	const struct sc_policy *pol = l->pol;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *a = &pol->rules[i];
		for (size_t k = i + 1; k < pol->n_rules; k++) {
			const struct sc_policy_rule *b = &pol->rules[k];
			if (a->rule == b->rule || strcmp(a->name, b->name) != 0)
				continue;
			if (a->action == b->action && a->errno_ret == b->errno_ret)
				continue;
			if (a->n_args && b->n_args)
				continue; /* libseccomp orders the argument checks; both can hold */
			const struct sc_policy_rule *u = a->n_args ? b : a, *c = a->n_args ? a : b;
			char path[64];
			rule_path(path, sizeof(path), b->rule);
			if (!u->n_args && !c->n_args)
				finding(l, SC_DIAG_WARNING, "conflict", b->rule->loc, path,
					"%s: %s here and %s in syscalls[%zu] (%s), both unconditional: "
					"libseccomp keeps one of them whatever their order",
					a->name, sc_action_name(b->action), sc_action_name(a->action),
					a->rule->index, sc_profile_where(l->p, a->rule->loc));
			else
				finding(l, SC_DIAG_WARNING, "conflict", b->rule->loc, path,
					"%s: the conditional %s of syscalls[%zu] is swallowed by the "
					"unconditional %s of syscalls[%zu]: libseccomp keeps only the "
					"unconditional rule", a->name, sc_action_name(c->action),
					c->rule->index, sc_action_name(u->action), u->rule->index);
		}
	}
}

/* ---- per-rule checks ---- */

static bool arg_satisfiable(const struct sc_arg *a)
{
	switch (a->op) {
	case SC_OP_LT: return a->value != 0;
	case SC_OP_GT: return a->value != UINT64_MAX;
	case SC_OP_MASKED_EQ: return (a->value_two & ~a->value) == 0;
	default: return true;
	}
}

static bool go_arch_known_and_kept(const struct sc_rule *r, const char *go)
{
	if (!sc_arch_from_go_name(go))
		return false;
	for (size_t i = 0; r->has_excludes && i < r->excludes.n_arches; i++)
		if (strcmp(r->excludes.arches[i], go) == 0)
			return false;
	return true;
}

static bool canonical_cap(const char *name);

static void check_applicability(struct lint *l, const struct sc_rule *r, const char *path)
{
	const char *why = NULL;
	if (r->has_excludes && r->excludes.has_min_kernel &&
	    r->excludes.min_major == 0 && r->excludes.min_minor == 0)
		why = "excludes minKernel \"\" is kernel 0.0, which every kernel reaches";
	if (!why && r->has_includes && r->includes.n_arches) {
		bool any = false;
		for (size_t i = 0; i < r->includes.n_arches; i++)
			any |= go_arch_known_and_kept(r, r->includes.arches[i]);
		if (!any)
			why = "no architecture in includes survives excludes and the known names";
	}
	for (size_t i = 0; !why && r->has_includes && i < r->includes.n_caps; i++) {
		if (!canonical_cap(r->includes.caps[i]))
			why = "includes a capability name Docker never has in its set";
		for (size_t k = 0; !why && r->has_excludes && k < r->excludes.n_caps; k++)
			if (strcmp(r->includes.caps[i], r->excludes.caps[k]) == 0)
				why = "the same capability is both included and excluded";
	}
	if (!why && r->has_includes && r->has_excludes && r->includes.has_min_kernel &&
	    r->excludes.has_min_kernel &&
	    (r->excludes.min_major < r->includes.min_major ||
	     (r->excludes.min_major == r->includes.min_major &&
	      r->excludes.min_minor <= r->includes.min_minor)))
		why = "excludes minKernel is not above includes minKernel";
	if (why)
		finding(l, SC_DIAG_WARNING, "never-matches", r->loc, path, "%s never applies: %s",
			r->n_names ? r->names[0] : "the rule", why);
}

static bool canonical_cap(const char *name)
{
	/* Same rule as resolve: Docker compares "CAP_X" exactly. */
	int c = sc_cap_from_name(name);
	return c >= 0 && strcmp(sc_cap_name(c), name) == 0;
}

static void check_args(struct lint *l, const struct sc_rule *r, const char *rpath, bool ored)
{
	for (size_t k = 0; k < r->n_args; k++) {
		const struct sc_arg *a = &r->args[k];
		char path[96];
		snprintf(path, sizeof(path), "%s.args[%zu]", rpath, k);
		if (!arg_satisfiable(a)) {
			const char *why = a->op == SC_OP_LT ? "no unsigned value is below 0"
				: a->op == SC_OP_GT ? "no 64-bit value is above 18446744073709551615"
				: "valueTwo has bits outside the mask, which (arg & value) never has";
			finding(l, SC_DIAG_WARNING, "never-matches", a->loc, path,
				"arg%u %s %llu can never hold: %s%s", a->index, sc_op_name(a->op),
				(unsigned long long)a->value, why,
				ored ? " (the other ORed conditions still apply)" : "; the rule never matches");
		}
		if (a->value_two && a->op != SC_OP_MASKED_EQ)
			finding(l, SC_DIAG_NOTE, "value-two-ignored", a->loc, path,
				"valueTwo %llu is ignored: only SCMP_CMP_MASKED_EQ uses it",
				(unsigned long long)a->value_two);

		/* The names of one rule usually share their argument layout; report
		 * the first name the table knows. */
		for (size_t n = 0; n < r->n_names; n++) {
			char kind = arg_kind(r->names[n], a->index);
			if (kind == 'p') {
				if ((a->op == SC_OP_EQ || a->op == SC_OP_NE) && a->value == 0)
					break; /* a NULL test is meaningful */
				finding(l, SC_DIAG_WARNING, "pointer-arg", a->loc, path,
					"arg%u of %s is a pointer: the filter compares the address, "
					"never the data it points to, so this says nothing about what "
					"the call does", a->index, r->names[n]);
				break;
			}
			if (kind != 'i')
				continue;
			if (a->op == SC_OP_MASKED_EQ && (a->value >> 32) == 0)
				break;
			/* The kernel uses v, the filter sees v + k*2^32 for a caller's
			 * choice of k: which side that helps depends on op and action. */
			bool match_grows = a->op == SC_OP_GT || a->op == SC_OP_GE || a->op == SC_OP_NE;
			bool bypass = permissive(r->action) == match_grows &&
				      permissive(r->action) != permissive(l->p->default_action);
			if (bypass)
				finding(l, SC_DIAG_WARNING, "arg-truncation", a->loc, path,
					"arg%u of %s is a 32-bit int the kernel truncates, but %s compares "
					"all 64 bits: a caller who sets the upper half %s this rule while "
					"the kernel still sees the low 32 bits%s", a->index, r->names[n],
					sc_op_name(a->op), permissive(r->action) ? "passes" : "slips past",
					a->op == SC_OP_MASKED_EQ || a->op == SC_OP_EQ
						? "; compare with SCMP_CMP_MASKED_EQ and mask 0xffffffff"
						: "; a range on a 32-bit argument cannot be written in this "
						  "format, list the allowed values with MASKED_EQ 0xffffffff");
			else
				finding(l, SC_DIAG_NOTE, "arg-width", a->loc, path,
					"arg%u of %s is a 32-bit int compared as 64 bits with %s: callers "
					"that leave garbage or a sign extension in the upper half get the "
					"default action, though the kernel would see the value this rule "
					"means", a->index, r->names[n], sc_op_name(a->op));
			break;
		}
	}
}

static void check_rules(struct lint *l)
{
	const struct sc_profile *p = l->p;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		char path[64];
		rule_path(path, sizeof(path), r);
		unsigned seen = 0;
		bool ored = false;
		for (size_t k = 0; k < r->n_args; k++) {
			ored |= (seen >> r->args[k].index) & 1;
			seen |= 1u << r->args[k].index;
		}
		if (ored)
			finding(l, SC_DIAG_WARNING, "ored-args", r->loc, path,
				"the same argument is tested more than once, so (as in runc) each of "
				"the %zu conditions becomes a rule of its own and they are ORed, those "
				"on other arguments included; write one rule per alternative",
				r->n_args);
		check_args(l, r, path, ored);
		check_applicability(l, r, path);

		uint32_t eno = r->has_errno_ret ? r->errno_ret : EPERM;
		uint32_t deno = p->has_default_errno ? p->default_errno : EPERM;
		bool data = r->action == SC_ACT_ERRNO || r->action == SC_ACT_TRACE;
		if (r->action == p->default_action && (!data || eno == deno))
			finding(l, SC_DIAG_NOTE, "default-equal", r->loc, path,
				"%s is the default action already: the rule is dropped and does nothing",
				sc_action_name(r->action));
		if (r->has_errno_ret && r->errno_ret > SC_ERRNO_MAX && r->action == SC_ACT_ERRNO)
			finding(l, SC_DIAG_WARNING, "errno-range", r->errno_loc, path,
				"errnoRet %u is above %d: libseccomp refuses it, so no runtime can load "
				"this rule where it applies", r->errno_ret, SC_ERRNO_MAX);
		if (r->action == SC_ACT_NOTIFY && !(p->listener_path && *p->listener_path))
			finding(l, SC_DIAG_NOTE, "notify-no-listener", r->loc, path,
				"SCMP_ACT_NOTIFY without listenerPath: seclude answers the notifications "
				"itself; Docker's runtimes would have no one to hand them to");
	}
	if (p->has_default_errno && p->default_errno > SC_ERRNO_MAX && p->default_action == SC_ACT_ERRNO)
		finding(l, SC_DIAG_WARNING, "errno-range", p->default_errno_loc, "defaultErrnoRet",
			"defaultErrnoRet %u is above %d: libseccomp refuses it, so no runtime can "
			"load the profile", p->default_errno, SC_ERRNO_MAX);
	if (p->default_action == SC_ACT_NOTIFY && !(p->listener_path && *p->listener_path))
		finding(l, SC_DIAG_NOTE, "notify-no-listener", p->default_action_loc, "defaultAction",
			"SCMP_ACT_NOTIFY without listenerPath: seclude answers the notifications "
			"itself; Docker's runtimes would have no one to hand them to");
}

int sc_profile_lint(const struct sc_profile *p, const struct sc_policy *pol,
		    struct sc_diags *out, struct sc_error *err)
{
	if (!p || !pol || pol->profile != p)
		return sc_error_set(err, -EINVAL, "lint needs a profile and its own resolved policy");
	struct lint l = { .p = p, .pol = pol, .out = out };
	check_rules(&l);
	check_compat(&l);
	check_allowlist(&l);
	check_ptrace(&l);
	check_clone3(&l);
	check_conflicts(&l);
	return 0;
}

int sc_policy_lint_needs(const struct sc_profile *p, const struct sc_policy *pol,
			 const struct sc_lint_need *needs, size_t n, const char *who,
			 struct sc_diags *out, struct sc_error *err)
{
	if (!p || !pol || pol->profile != p)
		return sc_error_set(err, -EINVAL, "lint needs a profile and its own resolved policy");
	struct lint l = { .p = p, .pol = pol, .out = out };
	size_t missing = 0;
	for (size_t i = 0; i < n; i++) {
		if (allowed_somehow(pol, needs[i].name))
			continue;
		missing++;
		finding(&l, SC_DIAG_ERROR, "runtime-missing", p->default_action_loc, "defaultAction",
			"%s is not allowed, and %s calls it before the command starts (%s): the "
			"container will not start", needs[i].name, who, needs[i].why);
	}
	if (!missing)
		finding(&l, SC_DIAG_NOTE, "runtime-ok", p->default_action_loc, "defaultAction",
			"every call %s makes before the command starts is allowed (%zu)", who, n);
	return (int)missing;
}
