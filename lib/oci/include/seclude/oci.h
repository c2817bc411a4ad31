/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_OCI_H
#define SECLUDE_OCI_H

/*
 * An OCI runtime bundle's config.json (runtime-spec 1.x), read the way
 * runc reads it for Docker, Podman and containerd: unknown properties are
 * ignored (the spec requires it), a value of the wrong type is refused
 * with its place in the file ("config.json:12:7: process.args[0]: ..."),
 * as seclude's profile parser locates its errors.  linux.seccomp is not
 * read here: the profile module reads the same text (it knows a bundle's
 * config.json) so the filter is the one `seclude run` would compile.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"
#include "seclude/profile.h"
#include "seclude/sandbox.h"
#include "seclude/spec.h"

#define SC_OCI_VERSION "1.0.2"

struct sc_oci_mount {
	char *destination;
	char *type;            /* NULL when absent (a bind, by its options) */
	char *source;
	char **options;
	size_t n_options;
	struct sc_loc loc;
	/*
	 * uidMappings, gidMappings (runtime-spec 1.1): a bind id-mapped, an
	 * id of the source's file system seen as the id it maps to; given
	 * both or neither (NULL).  The options idmap and ridmap ask for the
	 * same with the container's own maps when these are absent.
	 */
	struct sc_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;
	struct sc_loc uid_map_loc, gid_map_loc;
};

/* A namespace to join by path (type is one enum sc_ns bit). */
struct sc_oci_ns_path {
	unsigned type;
	char *path;
	struct sc_loc loc;
};

enum sc_oci_hook_kind {
	SC_HOOK_PRESTART,
	SC_HOOK_CREATE_RUNTIME,
	SC_HOOK_CREATE_CONTAINER,
	SC_HOOK_START_CONTAINER,
	SC_HOOK_POSTSTART,
	SC_HOOK_POSTSTOP,
	SC_HOOK_NKINDS,
};
extern const char *const sc_oci_hook_names[SC_HOOK_NKINDS];   /* "prestart", ... */

struct sc_oci_hook {
	char *path;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	int timeout;           /* seconds, 0: none */
};

enum sc_oci_capset { SC_CAPS_BOUNDING, SC_CAPS_EFFECTIVE, SC_CAPS_INHERITABLE, SC_CAPS_PERMITTED,
		     SC_CAPS_AMBIENT, SC_CAPS_NSETS };

struct sc_oci_kv {
	char *key, *value;
};

struct sc_oci_config {
	char *origin;          /* the file's name in messages */
	char *text;            /* the bytes read (the seccomp profile is compiled from them) */
	size_t len;
	char *oci_version;

	/* process */
	bool has_process;
	char **args;
	size_t n_args;
	char **env;
	size_t n_env;
	char *cwd;
	bool terminal;
	unsigned console_height, console_width;
	uint32_t uid, gid;
	gid_t *additional_gids;
	size_t n_additional_gids;
	bool has_umask;
	mode_t umask;
	uint64_t caps[SC_CAPS_NSETS];
	bool no_new_privileges;
	struct sc_rlimit *rlimits;
	size_t n_rlimits;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *apparmor_profile;
	char *selinux_label;

	char *root_path;       /* as written (relative to the bundle, or absolute) */
	bool root_readonly;
	char *hostname;
	char *domainname;
	struct sc_oci_mount *mounts;
	size_t n_mounts;
	struct sc_oci_hook *hooks[SC_HOOK_NKINDS];
	size_t n_hooks[SC_HOOK_NKINDS];
	struct sc_oci_kv *annotations;
	size_t n_annotations;

	/* linux */
	unsigned namespaces;   /* enum sc_ns bits: to create, or to join (those in ns_paths) */
	struct sc_oci_ns_path *ns_paths;
	size_t n_ns_paths;
	struct sc_loc ns_loc[SC_NS_COUNT];  /* each namespace's entry, by sc_ns_index */
	bool time_namespace;
	struct sc_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;
	struct sc_device *devices;  /* linux.devices (nodes to make) */
	size_t n_devices;
	struct sc_cgroup_limits limits;
	struct sc_oci_kv *unified;   /* linux.resources.unified: cgroup v2 file -> value */
	size_t n_unified;
	struct sc_loc unified_loc;
	struct sc_device_rule *device_rules;  /* the allow rules, ended by type 0; NULL when none given */
	char (*device_access)[4];
	bool devices_allow_all;
	char *cgroups_path;
	char **masked_paths;
	size_t n_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	bool has_seccomp;
	char *listener_path;   /* linux.seccomp.listenerPath: the seccomp agent's socket */
	char *listener_metadata;
	struct sc_oci_kv *sysctl;
	size_t n_sysctl;
	char *rootfs_propagation;
	char *mount_label;
};

/* Parse text (len bytes); origin names the file in messages. */
int sc_oci_config_parse(const char *text, size_t len, const char *origin,
			struct sc_oci_config **out, struct sc_error *err);
/* BUNDLE/config.json. */
int sc_oci_config_load(const char *bundle, struct sc_oci_config **out, struct sc_error *err);
void sc_oci_config_free(struct sc_oci_config *c);
/*
 * update --resources: a LinuxResources object (a config's linux.resources):
 * *out has its limits, unified and origin (free with sc_oci_config_free).
 */
int sc_oci_resources_parse(const char *text, size_t len, const char *origin, struct sc_oci_config **out,
			   struct sc_error *err);
/* An exec's process.json (a config's "process" object alone): the process fields of *out. */
int sc_oci_process_parse(const char *text, size_t len, const char *origin, struct sc_oci_config **out,
			 struct sc_error *err);

/*
 * The config as the one model (spec.h) the launcher executes, as `seclude
 * run`'s options become one: relative paths against bundle, the standard
 * /proc, /dev, /sys mounts left to the launcher (it makes them Docker's
 * way), bind and tmpfs mounts in order, maskedPaths and readonlyPaths
 * after them, linux.seccomp compiled once (for the bounding set, and with
 * complain only reporting; keep_policy for a denial session).  A mount type the launcher cannot make is
 * refused with its place in the file.
 */
int sc_oci_to_spec(const struct sc_oci_config *cfg, const char *bundle, bool complain, bool keep_policy,
		   struct sc_spec *s, struct sc_error *err);

/*
 * linux.resources.unified written into the container's cgroup v2
 * directory dir, as runc writes it (after the other limits); each key a
 * file name; a failure names the key and, when that is why, the
 * controller that is not available.
 */
int sc_oci_apply_unified(const struct sc_oci_config *cfg, const char *dir, struct sc_error *err);

/*
 * cgroupsPath in systemd's "slice:prefix:name" form (relative, with a
 * colon; always so with --systemd-cgroup): is_systemd says whether path
 * has that form; sc_oci_cgroup_systemd writes into dir the cgroup
 * directory systemd gives the unit, from the hierarchy's root
 * ("/kubepods.slice/kubepods-besteffort.slice/cri-containerd-ID.scope"),
 * an empty slice being system.slice (user.slice rootless) and an empty
 * name id.  -EINVAL with why for a path not of that form, or a slice name
 * systemd would refuse.
 */
bool sc_oci_cgroup_is_systemd(const char *path);
int sc_oci_cgroup_systemd(const char *path, const char *id, bool rootless, char *dir, size_t cap,
			  char *why, size_t len);

/* An annotation's value, or NULL. */
const char *sc_oci_annotation(const struct sc_oci_config *c, const char *key);

/* runc's default config.json (`spec`), malloc'd. */
char *sc_oci_default_spec(bool rootless);

/* "SIGTERM", "TERM", "15" -> 15; -EINVAL when unknown. */
int sc_oci_signal_from_name(const char *s);

#endif
