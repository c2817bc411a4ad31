/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroupsPath in systemd's form, "slice:prefix:name" (what engines pass
 * with runc's --systemd-cgroup: Docker's "system.slice:docker:ID",
 * Kubernetes' "kubepods-burstable-podUID.slice:cri-containerd:ID"), turned
 * into the directory systemd gives that unit in the cgroupfs.  A slice's
 * name is its path: each "-" opens a slice inside the one before it, so
 * "a-b.slice" lives in "a.slice" (systemd.slice(5)); "-.slice" is the
 * root.  The unit is the scope "prefix-name.scope", or, when name is
 * itself a slice, that slice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/oci.h"

bool sc_oci_cgroup_is_systemd(const char *path)
{
	return path && path[0] && path[0] != '/' && strchr(path, ':');
}

__attribute__((format(printf, 3, 4)))
static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* "a-b-c.slice" (n bytes) -> "/a.slice/a-b.slice/a-b-c.slice" appended to out; "-.slice" adds nothing */
static int expand_slice(const char *s, size_t n, char *out, size_t cap, char *why, size_t len)
{
	char name[256];
	if (n >= sizeof(name))
		return fail(why, len, "slice name too long");
	memcpy(name, s, n);
	name[n] = '\0';
	if (!ends_with(name, n, ".slice"))
		return fail(why, len, "invalid slice name %s: a slice's name ends in .slice", name);
	if (!strcmp(name, "-.slice"))
		return 0;
	size_t base = n - strlen(".slice");
	if (memchr(name, '/', n) || base == 0)
		return fail(why, len, "invalid slice name %s", name);
	for (size_t i = 0; i <= base; i++) {
		if (i < base && name[i] != '-')
			continue;
		/* a component ends here: none may be empty ("a--b", "-a", "a-") */
		if (i == 0 || name[i - 1] == '-')
			return fail(why, len, "invalid slice name %s: an empty component between dashes", name);
		size_t used = strlen(out);
		if ((size_t)snprintf(out + used, cap - used, "/%.*s.slice", (int)i, name) >= cap - used)
			return fail(why, len, "slice name too long: %s", name);
	}
	return 0;
}

int sc_oci_cgroup_systemd(const char *path, const char *id, bool rootless, char *dir, size_t cap,
			  char *why, size_t len)
{
	const char *c1 = path ? strchr(path, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || strchr(c2 + 1, ':'))
		return fail(why, len, "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd "
			    "cgroups, got \"%s\" instead", path ? path : "");
	const char *slice = path, *prefix = c1 + 1, *name = c2 + 1;
	size_t ns = (size_t)(c1 - path), np = (size_t)(c2 - prefix), nn = strlen(name);
	if (!nn) {
		name = id ? id : "";
		nn = strlen(name);
	}
	if (memchr(prefix, '/', np) || memchr(name, '/', nn))
		return fail(why, len, "invalid cgroupsPath \"%s\": a unit's name has no \"/\"", path);
	dir[0] = '\0';
	int r;
	if (ends_with(name, nn, ".slice")) {
		/* the unit is a slice: its name alone says where it lives; never the root itself */
		if (nn == strlen("-.slice") && !memcmp(name, "-.slice", nn))
			return fail(why, len, "invalid cgroupsPath \"%s\": the root slice cannot be a container's unit", path);
		return expand_slice(name, nn, dir, cap, why, len);
	}
	if (ns == 1 && slice[0] == '-')
		r = 0;   /* "-": the root slice */
	else if (ns == 0)
		r = expand_slice(rootless ? "user.slice" : "system.slice", rootless ? 10 : 12, dir, cap, why, len);
	else
		r = expand_slice(slice, ns, dir, cap, why, len);
	if (r < 0)
		return r;
	size_t used = strlen(dir);
	int w = np ? snprintf(dir + used, cap - used, "/%.*s-%.*s.scope", (int)np, prefix, (int)nn, name)
		   : snprintf(dir + used, cap - used, "/%.*s.scope", (int)nn, name);
	if (w < 0 || (size_t)w >= cap - used)
		return fail(why, len, "cgroupsPath too long: %s", path);
	return 0;
}
