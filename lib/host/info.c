/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What seclude info shows: this machine's confinement facts and a process's, as text and as JSON. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "seclude/names.h"
#include "seclude/sysinfo.h"
#include "seclude/util.h"

static const char *yes_no_unknown(int v)
{
	return v > 0 ? "yes" : v == 0 ? "no" : "unknown";
}

/* "CAP_CHOWN,CAP_KILL", or "all 41 except CAP_SYS_RESOURCE" when that is shorter. */
static void format_caps(uint64_t caps, int last, char *buf, size_t len)
{
	uint64_t all = last >= 63 ? UINT64_MAX : (SC_CAP_SET(last + 1) - 1);
	int n_set = __builtin_popcountll(caps & all);
	if (caps == 0) {
		snprintf(buf, len, "none");
	} else if ((caps & ~all) == 0 && n_set > (last + 1) / 2) {
		uint64_t missing = all & ~caps;
		if (!missing) {
			snprintf(buf, len, "all %d", last + 1);
			return;
		}
		char names[1024];
		sc_caps_format(missing, names, sizeof(names));
		snprintf(buf, len, "all %d except %s", last + 1, names);
	} else {
		sc_caps_format(caps, buf, len);
	}
}

void sc_sysinfo_write_text(FILE *out, const struct sc_sysinfo *si, const struct sc_proc_status *st, int cap_last)
{
	fprintf(out, "Kernel:            Linux %s %s\n", si->kernel_release, si->machine);
	if (si->seccomp_mode == -EINVAL)
		fprintf(out, "Seccomp:           not supported (the kernel has no CONFIG_SECCOMP)\n");
	else if (!si->seccomp_filter)
		fprintf(out, "Seccomp:           strict mode only (no filter support)\n");
	else
		fprintf(out, "Seccomp:           filters supported\n");

	fprintf(out, "Actions:          ");
	for (size_t i = 0; i < SC_SYSINFO_N_ACTIONS; i++) {
		const struct sc_seccomp_action *a = &si->actions[i];
		int ok = a->avail >= 0 ? a->avail : a->listed;
		fprintf(out, " %s%s", a->name, ok > 0 ? "" : ok == 0 ? "(no)" : "(?)");
	}
	fprintf(out, "\n");
	fprintf(out, "  actions_avail:   %s\n", si->actions_avail ? si->actions_avail : "(unreadable)");
	fprintf(out, "  actions_logged:  %s\n", si->actions_logged ? si->actions_logged : "(unreadable)");
	fprintf(out, "Filter flags:     ");
	for (size_t i = 0; i < SC_SYSINFO_N_FLAGS; i++) {
		const struct sc_seccomp_flag *f = &si->flags[i];
		fprintf(out, " %s%s", f->name, f->avail > 0 ? "" : f->avail == 0 ? "(no)" : "(?)");
	}
	fprintf(out, "\n");

	if (si->kconfig_source) {
		fprintf(out, "Kernel config:     %s\n", si->kconfig_source);
		for (size_t i = 0; i < si->n_kconfig; i++) {
			const struct sc_kconfig_item *k = &si->kconfig[i];
			if (k->value[0])
				fprintf(out, "  %s=%s\n", k->name, k->value);
		}
	} else {
		fprintf(out, "Kernel config:     not readable (no /proc/config.gz or /boot/config-%s)\n",
		       si->kernel_release);
	}

	fprintf(out, "libseccomp:        %u.%u.%u (API level %u)\n", si->libseccomp_major,
	       si->libseccomp_minor, si->libseccomp_micro, si->libseccomp_api);
	const char *an = sc_arch_user_name(si->native_arch);
	if (an)
		fprintf(out, "Native arch:       %s\n", an);
	else
		fprintf(out, "Native arch:       0x%08x\n", si->native_arch);

	fprintf(out, "Cgroups:           %s", sc_cgroup_mode_name(si->cgroup));
	if (si->cgroup == SC_CGROUP_HYBRID)
		fprintf(out, " (v1 controllers, v2 at %s)", si->cgroup_v2_path);
	else if (si->cgroup == SC_CGROUP_V2)
		fprintf(out, " (at %s)", si->cgroup_v2_path);
	fprintf(out, "\n");

	fprintf(out, "User namespaces:   ");
	if (si->max_user_namespaces >= 0)
		fprintf(out, "max_user_namespaces %lld", si->max_user_namespaces);
	else
		fprintf(out, "max_user_namespaces unreadable");
	if (si->unprivileged_userns_clone >= 0)
		fprintf(out, ", unprivileged_userns_clone %d", si->unprivileged_userns_clone);
	if (si->apparmor_restrict_userns >= 0)
		fprintf(out, ", apparmor_restrict_unprivileged_userns %d", si->apparmor_restrict_userns);
	fprintf(out, "\n");

	fprintf(out, "\nProcess %d (%s):\n", (int)st->pid, st->name);
	fprintf(out, "  Seccomp:         %d (%s)\n", st->seccomp, sc_seccomp_mode_name(st->seccomp));
	if (st->seccomp_filters >= 0)
		fprintf(out, "  Seccomp_filters: %d\n", st->seccomp_filters);
	fprintf(out, "  NoNewPrivs:      %s\n", yes_no_unknown(st->no_new_privs));
	const struct { const char *label; uint64_t v; bool show; } sets[] = {
		{ "CapInh", st->cap_inh, true }, { "CapPrm", st->cap_prm, true },
		{ "CapEff", st->cap_eff, true }, { "CapBnd", st->cap_bnd, true },
		{ "CapAmb", st->cap_amb, st->has_cap_amb },
	};
	for (size_t i = 0; i < SC_ARRAY_SIZE(sets); i++) {
		if (!sets[i].show)
			continue;
		char names[2048];
		format_caps(sets[i].v, cap_last, names, sizeof(names));
		fprintf(out, "  %s:          %016llx %s\n", sets[i].label,
		       (unsigned long long)sets[i].v, names);
	}
}

static json_t *json_tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static json_t *json_words(const char *s)
{
	json_t *a = json_array();
	if (!s)
		return json_null();
	_cleanup_free_ char *copy = strdup(s);
	if (!copy)
		abort();
	char *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		json_array_append_new(a, json_string(t));
	return a;
}

static json_t *json_capset(uint64_t v)
{
	char mask[17], list[64 * 28];
	snprintf(mask, sizeof(mask), "%016llx", (unsigned long long)v);
	sc_caps_format(v, list, sizeof(list));
	json_t *names = json_array();
	char *save = NULL;
	for (char *nm = strtok_r(list, ",", &save); nm; nm = strtok_r(NULL, ",", &save))
		json_array_append_new(names, json_string(nm));
	return json_pack("{s:s, s:o}", "mask", mask, "names", names);
}

json_t *sc_sysinfo_to_json(const struct sc_sysinfo *si, const struct sc_proc_status *st)
{
	json_t *root = json_object();

	json_object_set_new(root, "kernel", json_pack("{s:s, s:s}", "release", si->kernel_release,
						      "machine", si->machine));

	json_t *sec = json_object();
	json_object_set_new(sec, "supported", json_boolean(si->seccomp_mode != -EINVAL));
	json_object_set_new(sec, "filter", json_boolean(si->seccomp_filter));
	json_t *acts = json_object();
	for (size_t i = 0; i < SC_SYSINFO_N_ACTIONS; i++) {
		const struct sc_seccomp_action *a = &si->actions[i];
		json_object_set_new(acts, a->name,
				    json_pack("{s:o, s:o, s:o}", "available", json_tri(a->avail),
					      "listed", json_tri(a->listed), "logged", json_tri(a->logged)));
	}
	json_object_set_new(sec, "actions", acts);
	json_object_set_new(sec, "actions_avail", json_words(si->actions_avail));
	json_object_set_new(sec, "actions_logged", json_words(si->actions_logged));
	json_t *flags = json_object();
	for (size_t i = 0; i < SC_SYSINFO_N_FLAGS; i++)
		json_object_set_new(flags, si->flags[i].name, json_tri(si->flags[i].avail));
	json_object_set_new(sec, "filter_flags", flags);
	json_object_set_new(root, "seccomp", sec);

	if (si->kconfig_source) {
		json_t *opts = json_object();
		for (size_t i = 0; i < si->n_kconfig; i++) {
			const struct sc_kconfig_item *k = &si->kconfig[i];
			json_object_set_new(opts, k->name, k->value[0] ? json_string(k->value) : json_null());
		}
		json_object_set_new(root, "kernel_config",
				    json_pack("{s:s, s:o}", "source", si->kconfig_source, "options", opts));
	} else {
		json_object_set_new(root, "kernel_config", json_null());
	}

	char ver[64];
	snprintf(ver, sizeof(ver), "%u.%u.%u", si->libseccomp_major, si->libseccomp_minor,
		 si->libseccomp_micro);
	json_object_set_new(root, "libseccomp", json_pack("{s:s, s:i}", "version", ver,
							  "api_level", (json_int_t)si->libseccomp_api));
	const char *an = sc_arch_user_name(si->native_arch);
	json_object_set_new(root, "native_arch", an ? json_string(an) : json_null());

	json_object_set_new(root, "cgroup",
			    json_pack("{s:s, s:o}", "version", sc_cgroup_mode_name(si->cgroup),
				      "v2_path", si->cgroup_v2_path[0] ? json_string(si->cgroup_v2_path)
								    : json_null()));

	json_object_set_new(root, "user_namespaces",
			    json_pack("{s:o, s:o, s:o}",
				      "max_user_namespaces",
				      si->max_user_namespaces < 0 ? json_null()
								  : json_integer(si->max_user_namespaces),
				      "unprivileged_userns_clone", json_tri(si->unprivileged_userns_clone),
				      "apparmor_restrict_unprivileged_userns",
				      json_tri(si->apparmor_restrict_userns)));

	json_t *proc = json_object();
	json_object_set_new(proc, "pid", json_integer(st->pid));
	json_object_set_new(proc, "name", json_string(st->name));
	json_object_set_new(proc, "seccomp", json_string(sc_seccomp_mode_name(st->seccomp)));
	json_object_set_new(proc, "seccomp_mode", st->seccomp < 0 ? json_null() : json_integer(st->seccomp));
	json_object_set_new(proc, "seccomp_filters",
			    st->seccomp_filters < 0 ? json_null() : json_integer(st->seccomp_filters));
	json_object_set_new(proc, "no_new_privs", json_tri(st->no_new_privs));
	json_t *caps = json_object();
	json_object_set_new(caps, "inheritable", json_capset(st->cap_inh));
	json_object_set_new(caps, "permitted", json_capset(st->cap_prm));
	json_object_set_new(caps, "effective", json_capset(st->cap_eff));
	json_object_set_new(caps, "bounding", json_capset(st->cap_bnd));
	json_object_set_new(caps, "ambient", st->has_cap_amb ? json_capset(st->cap_amb) : json_null());
	json_object_set_new(proc, "capabilities", caps);
	json_object_set_new(root, "process", proc);
	return root;
}

