/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `spec`: the config.json runc writes for a new bundle (sh on a terminal,
 * Docker's capabilities minus the network ones runc leaves out, the usual
 * file systems, masked and read-only paths), and its rootless variant
 * (one user namespace mapping the caller to root, the host's /sys bound
 * in, no network namespace), as runc's example spec describes them.
 */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "seclude/oci.h"

static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" };

static json_t *strv(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}
#define STRV(v) strv(v, sizeof(v) / sizeof((v)[0]))

static json_t *mount(const char *dest, const char *type, const char *src, const char *const *opts, size_t n)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src,
			 "options", strv(opts, n));
}
#define MOUNT(d, t, s, o) mount(d, t, s, o, sizeof(o) / sizeof((o)[0]))

char *sc_oci_default_spec(bool rootless)
{
	static const char *const args[] = { "sh" };
	static const char *const env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
					   "TERM=xterm" };
	static const char *const o_proc[] = { "nosuid", "noexec", "nodev" };
	static const char *const o_dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k" };
	static const char *const o_pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" };
	static const char *const o_pts_rl[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" };
	static const char *const o_shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" };
	static const char *const o_mq[] = { "nosuid", "noexec", "nodev" };
	static const char *const o_sys[] = { "nosuid", "noexec", "nodev", "ro" };
	static const char *const o_sys_rl[] = { "rbind", "nosuid", "noexec", "nodev", "ro" };
	static const char *const o_cg[] = { "nosuid", "noexec", "nodev", "relatime", "ro" };
	static const char *const masked[] = { "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
		"/sys/firmware", "/proc/scsi" };
	static const char *const ro[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" };

	json_t *capsobj = json_pack("{s:o, s:o, s:o}", "bounding", STRV(caps), "effective", STRV(caps),
				    "permitted", STRV(caps));
	json_t *process = json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
		"terminal", 1, "user", "uid", 0, "gid", 0, "args", STRV(args), "env", STRV(env), "cwd", "/",
		"capabilities", capsobj, "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
		"noNewPrivileges", 1);
	json_t *mounts = json_array();
	json_array_append_new(mounts, MOUNT("/proc", "proc", "proc", o_proc));
	json_array_append_new(mounts, MOUNT("/dev", "tmpfs", "tmpfs", o_dev));
	if (rootless)
		json_array_append_new(mounts, MOUNT("/dev/pts", "devpts", "devpts", o_pts_rl));
	else
		json_array_append_new(mounts, MOUNT("/dev/pts", "devpts", "devpts", o_pts));
	json_array_append_new(mounts, MOUNT("/dev/shm", "tmpfs", "shm", o_shm));
	json_array_append_new(mounts, MOUNT("/dev/mqueue", "mqueue", "mqueue", o_mq));
	if (rootless)
		json_array_append_new(mounts, MOUNT("/sys", "none", "/sys", o_sys_rl));
	else
		json_array_append_new(mounts, MOUNT("/sys", "sysfs", "sysfs", o_sys));
	json_array_append_new(mounts, MOUNT("/sys/fs/cgroup", "cgroup", "cgroup", o_cg));

	json_t *ns = json_array();
	static const char *const nss[] = { "pid", "network", "ipc", "uts", "mount", "cgroup" };
	for (size_t i = 0; i < sizeof(nss) / sizeof(nss[0]); i++) {
		if (rootless && i == 1)
			continue;
		json_array_append_new(ns, json_pack("{s:s}", "type", nss[i]));
	}
	json_t *lx = json_pack("{s:o, s:o, s:o}", "namespaces", ns, "maskedPaths", STRV(masked),
				  "readonlyPaths", STRV(ro));
	if (rootless) {
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
		json_object_set_new(lx, "uidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", (int)geteuid(), "size", 1));
		json_object_set_new(lx, "gidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", (int)getegid(), "size", 1));
	} else {
		json_object_set_new(lx, "resources",
				    json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
	}
	json_t *spec = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", SC_OCI_VERSION,
				 "process", process, "root", "path", "rootfs", "readonly", 1, "hostname", "seclude",
				 "mounts", mounts, "linux", lx);
	char *text = spec ? json_dumps(spec, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(spec);
	return text;
}
