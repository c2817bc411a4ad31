/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capability names, Docker's default set and the --cap-add/--cap-drop
 * arithmetic: tables and set algebra, no system call.  Applying a set is
 * the launcher's caps.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>

#include "seclude/names.h"
#include "seclude/util.h"

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int sc_cap_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
	for (size_t i = 0; i < SC_ARRAY_SIZE(cap_names); i++)
		if (strcasecmp(bare, cap_names[i] + 4) == 0)
			return (int)i;
	return -EINVAL;
}

const char *sc_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= SC_ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

uint64_t sc_caps_docker_default(void)
{
	static const int def[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD,
		CAP_NET_RAW, CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP,
		CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
	};
	uint64_t s = 0;
	for (size_t i = 0; i < SC_ARRAY_SIZE(def); i++)
		s |= SC_CAP_SET(def[i]);
	return s;
}

static bool has_all(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], "ALL") == 0 || strcasecmp(v[i], "CAP_ALL") == 0)
			return true;
	return false;
}

static int names_to_set(char **v, size_t n, const char *what, uint64_t *out,
			struct sc_error *err)
{
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(v[i], "ALL") == 0 || strcasecmp(v[i], "CAP_ALL") == 0)
			continue;
		int c = sc_cap_from_name(v[i]);
		if (c < 0)
			return sc_error_set(err, -EINVAL, "%s: unknown capability \"%s\"", what, v[i]);
		s |= SC_CAP_SET(c);
	}
	*out = s;
	return 0;
}

int sc_caps_compute(uint64_t base, const struct sc_cap_opts *o, uint64_t host,
		    uint64_t *out, struct sc_error *err)
{
	uint64_t add = 0, drop = 0;
	int r;

	if (o->privileged) {
		*out = host;
		return 0;
	}
	r = names_to_set(o->add, o->n_add, "--cap-add", &add, err);
	if (r < 0)
		return r;
	r = names_to_set(o->drop, o->n_drop, "--cap-drop", &drop, err);
	if (r < 0)
		return r;

	uint64_t s;
	if (has_all(o->add, o->n_add))
		s = host & ~drop;
	else if (has_all(o->drop, o->n_drop))
		s = add;
	else
		s = (base & ~drop) | add;

	uint64_t missing = s & ~host;
	if (missing) {
		for (int c = 0; c < 64; c++)
			if (missing & SC_CAP_SET(c)) {
				const char *nm = sc_cap_name(c);
				return sc_error_set(err, -EPERM,
					"%s%s is not in this host's capability bounding set: it cannot be given",
					nm ? "" : "capability ", nm ? nm : "?");
			}
	}
	*out = s;
	return 0;
}

void sc_caps_format(uint64_t caps, char *buf, size_t len)
{
	size_t off = 0;
	if (len)
		buf[0] = '\0';
	for (int c = 0; c < 64; c++) {
		if (!(caps & SC_CAP_SET(c)))
			continue;
		const char *nm = sc_cap_name(c);
		char tmp[16];
		if (!nm) {
			snprintf(tmp, sizeof(tmp), "CAP_%d", c);
			nm = tmp;
		}
		int n = snprintf(buf + off, len > off ? len - off : 0, "%s%s", off ? "," : "", nm);
		if (n < 0 || off + (size_t)n >= len)
			return;
		off += (size_t)n;
	}
}
