/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From a profile to the flat policy one target gets: what moby does when it
 * turns the profile into an OCI spec (archMap, includes/excludes), then
 * what runc does when it feeds the spec to libseccomp (native arch always
 * present, unknown names skipped, rules equal to the default skipped,
 * repeated argument indices split into ORed rules).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "seclude/names.h"
#include "seclude/profile.h"
#include "seclude/util.h"

int sc_target_host(struct sc_target *t, struct sc_error *err)
{
	struct utsname u;
	if (uname(&u) < 0)
		return sc_error_errno(err, -errno, "uname");
	unsigned major, minor;
	if (sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return sc_error_set(err, -EINVAL, "failed to parse kernel version \"%s\"", u.release);
	*t = (struct sc_target){
		.caps = sc_caps_docker_default(),
		.arch = seccomp_arch_native(),
		.kernel_major = major,
		.kernel_minor = minor,
	};
	return 0;
}

/* Docker looks the name up in the bounding set's list of names, so only
 * the exact "CAP_SYS_ADMIN" spelling can be present. */
static bool target_has_cap(const struct sc_target *t, const char *name)
{
	int cap = sc_cap_from_name(name);
	if (cap < 0 || cap >= 64 || strcmp(sc_cap_name(cap), name) != 0)
		return false;
	return t->caps & SC_CAP_SET(cap);
}

static bool arch_listed(char *const *arches, size_t n, const struct sc_target *t)
{
	const char *go = sc_arch_go_name(t->arch);
	for (size_t i = 0; go && i < n; i++)
		if (strcmp(arches[i], go) == 0)
			return true;
	return false;
}

static bool kernel_at_least(const struct sc_target *t, unsigned major, unsigned minor)
{
	return t->kernel_major > major || (t->kernel_major == major && t->kernel_minor >= minor);
}

bool sc_rule_applies(const struct sc_rule *r, const struct sc_target *t)
{
	if (r->has_excludes) {
		const struct sc_cond *x = &r->excludes;
		if (arch_listed(x->arches, x->n_arches, t))
			return false;
		for (size_t i = 0; i < x->n_caps; i++)
			if (target_has_cap(t, x->caps[i]))
				return false;
		if (x->has_min_kernel && kernel_at_least(t, x->min_major, x->min_minor))
			return false;
	}
	if (r->has_includes) {
		const struct sc_cond *in = &r->includes;
		if (in->n_arches && !arch_listed(in->arches, in->n_arches, t))
			return false;
		for (size_t i = 0; i < in->n_caps; i++)
			if (!target_has_cap(t, in->caps[i]))
				return false;
		if (in->has_min_kernel && !kernel_at_least(t, in->min_major, in->min_minor))
			return false;
	}
	return true;
}

static void add_arch(uint32_t *v, size_t *n, uint32_t a)
{
	if (!a)
		return;
	for (size_t i = 0; i < *n; i++)
		if (v[i] == a)
			return;
	v[(*n)++] = a;
}

static bool action_has_data(enum sc_action a)
{
	return a == SC_ACT_ERRNO || a == SC_ACT_TRACE;
}

static bool repeated_index(const struct sc_rule *r)
{
	unsigned seen = 0;
	for (size_t i = 0; i < r->n_args; i++) {
		if (seen & (1u << r->args[i].index))
			return true;
		seen |= 1u << r->args[i].index;
	}
	return false;
}

void sc_policy_free(struct sc_policy *pol)
{
	if (!pol)
		return;
	free(pol->arches);
	free(pol->rules);
	free(pol);
}

static int resolve_rule(const struct sc_profile *p, const struct sc_rule *r, struct sc_policy *pol,
			struct sc_diags *diags, struct sc_error *err)
{
	enum sc_action act = r->action;
	uint32_t eno = action_has_data(act) ? (r->has_errno_ret ? r->errno_ret : EPERM) : 0;
	/* libseccomp refuses a rule equal to the filter's default; runc drops it. */
	if (act == pol->default_action && (!action_has_data(act) || eno == pol->default_errno))
		return 0;

	bool split = repeated_index(r);
	char unknown[512] = "";
	size_t n_unknown = 0, first_unknown = 0;
	for (size_t j = 0; j < r->n_names; j++) {
		int nr = seccomp_syscall_resolve_name_arch(pol->target.arch, r->names[j]);
		if (nr == __NR_SCMP_ERROR) {
			if (p->unknown_syscall_is_error) {
				const struct scmp_version *v = seccomp_version();
				return sc_error_set(err, -EINVAL,
						    "%s: syscalls[%zu].names[%zu]: unknown syscall \"%s\" "
						    "(libseccomp %u.%u.%u does not know it)",
						    sc_profile_where(p, r->name_locs[j]), r->index, j,
						    r->names[j], v->major, v->minor, v->micro);
			}
			if (n_unknown++ == 0)
				first_unknown = j;
			size_t used = strlen(unknown);
			if (used < sizeof(unknown) - 1)
				snprintf(unknown + used, sizeof(unknown) - used, "%s%s",
					 used ? ", " : "", r->names[j]);
			continue;
		}
		size_t n_out = split ? r->n_args : 1;
		for (size_t k = 0; k < n_out; k++) {
			pol->rules[pol->n_rules++] = (struct sc_policy_rule){
				.rule = r,
				.name = r->names[j],
				.nr = nr,
				.action = act,
				.errno_ret = eno,
				.args = split ? &r->args[k] : r->args,
				.n_args = split ? 1 : r->n_args,
			};
		}
	}
	if (n_unknown && diags) {
		const struct scmp_version *v = seccomp_version();
		char path[64];
		snprintf(path, sizeof(path), "syscalls[%zu].names", r->index);
		sc_diags_add(diags, SC_DIAG_WARNING, "unknown-syscall",
			     sc_profile_where(p, r->name_locs[first_unknown]), path,
			     "skipped %zu name%s libseccomp %u.%u.%u does not know: %s", n_unknown,
			     n_unknown == 1 ? "" : "s", v->major, v->minor, v->micro, unknown);
	}
	return 0;
}

int sc_profile_resolve(const struct sc_profile *p, const struct sc_target *t,
		       struct sc_policy **out, struct sc_diags *diags,
		       struct sc_error *err)
{
	if (!p->has_default_action)
		return sc_error_set(err, -EINVAL, "%s: the profile has no defaultAction", p->origin);
	if (!sc_arch_scmp_name(t->arch))
		return sc_error_set(err, -EINVAL, "unknown native architecture 0x%08x", t->arch);

	struct sc_policy *pol = calloc(1, sizeof(*pol));
	if (!pol)
		return sc_error_set(err, -ENOMEM, "out of memory");
	pol->profile = p;
	pol->target = *t;
	pol->default_action = p->default_action;
	pol->default_errno = action_has_data(p->default_action)
		? (p->has_default_errno ? p->default_errno : EPERM) : 0;
	pol->flags = p->has_flags ? p->flags : SC_FLAG_SPEC_ALLOW;

	size_t cap = 1 + p->n_architectures;
	for (size_t i = 0; i < p->n_arch_map; i++)
		cap += 1 + p->arch_map[i].n_sub;
	pol->arches = calloc(cap, sizeof(*pol->arches));
	if (!pol->arches) {
		sc_policy_free(pol);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	/* runc always adds the native arch (Docker's map has no ppc64le entry). */
	add_arch(pol->arches, &pol->n_arches, t->arch);
	if (p->n_arch_map) {
		for (size_t i = 0; i < p->n_arch_map; i++) {
			const struct sc_arch_map *m = &p->arch_map[i];
			if (sc_arch_from_scmp_name(m->arch) != t->arch)
				continue;
			for (size_t k = 0; k < m->n_sub; k++)
				add_arch(pol->arches, &pol->n_arches, sc_arch_from_scmp_name(m->sub[k]));
			break;
		}
	} else {
		for (size_t i = 0; i < p->n_architectures; i++)
			add_arch(pol->arches, &pol->n_arches, sc_arch_from_scmp_name(p->architectures[i]));
	}

	size_t n = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		n += p->rules[i].n_names * (p->rules[i].n_args > 1 ? p->rules[i].n_args : 1);
	if (n && !(pol->rules = calloc(n, sizeof(*pol->rules)))) {
		sc_policy_free(pol);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		if (!sc_rule_applies(&p->rules[i], t))
			continue;
		int r = resolve_rule(p, &p->rules[i], pol, diags, err);
		if (r < 0) {
			sc_policy_free(pol);
			return r;
		}
	}
	*out = pol;
	return 0;
}
