/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SYSINFO_H
#define SECLUDE_SYSINFO_H

/*
 * What this machine offers for confinement: seccomp support and its
 * actions and filter flags, the kernel configuration, libseccomp, the
 * native architecture, the cgroup layout and user namespaces; and the
 * confinement state of one process (seccomp mode, no_new_privs,
 * capability sets).
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/error.h"

enum sc_cgroup_mode {
	SC_CGROUP_NONE,     /* nothing mounted at /sys/fs/cgroup */
	SC_CGROUP_V1,       /* only v1 hierarchies */
	SC_CGROUP_V2,       /* the unified hierarchy at /sys/fs/cgroup */
	SC_CGROUP_HYBRID,   /* v1 controllers, v2 mounted beside them */
};

/* "none", "v1", "v2", "hybrid" */
const char *sc_cgroup_mode_name(enum sc_cgroup_mode m);

/*
 * Decide the layout from the text of a mountinfo file (/proc/self/mountinfo):
 * what is mounted at /sys/fs/cgroup and below it.  *v2_path receives the
 * mount point of the unified hierarchy when there is one (may be NULL).
 */
enum sc_cgroup_mode sc_cgroup_mode_from_mountinfo(const char *text, char *v2_path,
						  size_t v2_len);

/* One seccomp return action, as the kernel's actions_avail spells it. */
struct sc_seccomp_action {
	const char *name;     /* "kill_process", "user_notif", ... */
	uint32_t ret;         /* SECCOMP_RET_* */
	int avail;            /* SECCOMP_GET_ACTION_AVAIL: 1 yes, 0 no, -1 cannot tell */
	int listed;           /* in actions_avail: 1 yes, 0 no, -1 file unreadable */
	int logged;           /* in actions_logged: 1 yes, 0 no, -1 file unreadable */
};

/* One SECCOMP_FILTER_FLAG_*. */
struct sc_seccomp_flag {
	const char *name;     /* "tsync", "log", "spec_allow", ... */
	unsigned long flag;
	int avail;            /* 1 yes, 0 no, -1 cannot tell */
};

/* One kernel configuration option: value "y", "m", a string or number,
 * "n" for "is not set", "" when the config does not mention it. */
struct sc_kconfig_item {
	const char *name;     /* "CONFIG_SECCOMP_FILTER" */
	char value[64];
};

#define SC_SYSINFO_N_ACTIONS 8
#define SC_SYSINFO_N_FLAGS 6
#define SC_SYSINFO_N_KCONFIG 20

struct sc_sysinfo {
	char kernel_release[65];
	char machine[65];

	int seccomp_mode;              /* PR_GET_SECCOMP for the caller; negative errno when it fails */
	bool seccomp_syscall;          /* seccomp(2) exists */
	bool seccomp_filter;           /* filter mode is usable */
	struct sc_seccomp_action actions[SC_SYSINFO_N_ACTIONS];
	struct sc_seccomp_flag flags[SC_SYSINFO_N_FLAGS];
	char *actions_avail;           /* raw contents, newline stripped; NULL when unreadable */
	char *actions_logged;

	char *kconfig_source;          /* "/proc/config.gz" or "/boot/config-..."; NULL when none readable */
	struct sc_kconfig_item kconfig[SC_SYSINFO_N_KCONFIG];
	size_t n_kconfig;

	unsigned libseccomp_major, libseccomp_minor, libseccomp_micro;
	unsigned libseccomp_api;
	uint32_t native_arch;          /* SCMP_ARCH_* */

	enum sc_cgroup_mode cgroup;
	char cgroup_v2_path[256];      /* where the unified hierarchy is mounted, "" when not */

	long long max_user_namespaces;  /* -1 when the file is missing */
	int unprivileged_userns_clone;  /* Debian's knob: -1 when absent */
	int apparmor_restrict_userns;   /* Ubuntu's knob: -1 when absent */
};

/*
 * Look at the running system.  Parts that cannot be read are marked
 * unknown rather than failing; an error means memory ran out.
 */
int sc_sysinfo_collect(struct sc_sysinfo *si, struct sc_error *err);
void sc_sysinfo_free(struct sc_sysinfo *si);

/* Look an option up in kernel config text: 0 and value filled, -ENOENT when absent. */
int sc_kconfig_lookup(const char *text, const char *name, char *value, size_t len);

/* Read the kernel config: /proc/config.gz, else /boot/config-RELEASE. */
int sc_kconfig_read(const char *release, char **text, char **source, struct sc_error *err);

/* Read a gzip-compressed file (at most max_bytes once inflated). */
int sc_read_gzip_file(const char *path, size_t max_bytes, char **out, size_t *len,
		      struct sc_error *err);

/* The confinement state of one process, from /proc/PID/status. */
struct sc_proc_status {
	pid_t pid;
	char name[64];
	int seccomp;           /* 0 disabled, 1 strict, 2 filter; -1 when the kernel does not say */
	int seccomp_filters;   /* filters attached (Linux 5.9+); -1 when not reported */
	int no_new_privs;      /* -1 when not reported */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	bool has_cap_amb;
};

int sc_proc_status_parse(const char *text, struct sc_proc_status *st, struct sc_error *err);
/* pid 0 means the calling process. */
int sc_proc_status_read(pid_t pid, struct sc_proc_status *st, struct sc_error *err);

/* "disabled", "strict", "filter", "unknown" */
const char *sc_seccomp_mode_name(int mode);

/*
 * What seclude info prints: si and the process st as aligned lines for
 * people into out (cap_last: the highest capability this kernel knows,
 * to say "all 41 except ..."), or as one JSON object (a new reference).
 */
void sc_sysinfo_write_text(FILE *out, const struct sc_sysinfo *si, const struct sc_proc_status *st,
			   int cap_last);
json_t *sc_sysinfo_to_json(const struct sc_sysinfo *si, const struct sc_proc_status *st);

#endif
