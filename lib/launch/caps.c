/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capabilities on this host and in the calling process: the highest one
 * the kernel knows, the bounding set, capset(2) and the ambient set.  The
 * names and the set arithmetic are lib/names/caps.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "seclude/caps.h"
#include "seclude/util.h"

int sc_cap_last(void)
{
	static int last = -1;
	if (last >= 0)
		return last;
	/*
	 * PR_CAPBSET_READ refuses (EINVAL) a capability the kernel does not
	 * know: two calls find the highest where the kernel and the headers
	 * agree, a few more where they do not; a tenth of reading the file.
	 */
	int c = CAP_LAST_CAP, k;
	while ((k = prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0)) < 0 && errno == EINVAL && c > 0)
		c--;
	if (k >= 0) {
		while (c < 63 && prctl(PR_CAPBSET_READ, (unsigned long)c + 1, 0, 0, 0) >= 0)
			c++;
		return last = c;
	}
	char *buf = NULL;
	uint64_t v;
	if (sc_read_file("/proc/sys/kernel/cap_last_cap", 64, &buf, NULL, NULL) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		if (sc_parse_u64(buf, &v) == 0 && v < 64)
			last = (int)v;
		free(buf);
	}
	if (last < 0)
		last = CAP_LAST_CAP;
	return last;
}

int sc_caps_host_bounding(uint64_t *out, struct sc_error *err)
{
	uint64_t s = 0;
	int last = sc_cap_last();
	static const char *const key[] = { "CapBnd" };
	if (sc_proc_status_masks(key, &s, 1) == 0) {
		*out = s & (last >= 63 ? ~0ULL : (SC_CAP_SET(last + 1) - 1));
		return 0;
	}
	s = 0;
	for (int c = 0; c <= last; c++) {
		int r = prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0);
		if (r < 0)
			return sc_error_errno(err, -errno, "cannot read the capability bounding set");
		if (r == 1)
			s |= SC_CAP_SET(c);
	}
	*out = s;
	return 0;
}

int sc_caps_bound(uint64_t keep, struct sc_error *err)
{
	int last = sc_cap_last();
	for (int c = 0; c <= last; c++) {
		if (keep & SC_CAP_SET(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, (unsigned long)c, 0, 0, 0) < 0 && errno != EINVAL)
			return sc_error_errno(err, -errno, "cannot drop %s from the bounding set",
					      sc_cap_name(c) ? sc_cap_name(c) : "a capability");
	}
	return 0;
}

int sc_caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable,
		struct sc_error *err)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
	};
	if (syscall(SYS_capset, &h, d) < 0)
		return sc_error_errno(err, -errno, "cannot set the capabilities");
	return 0;
}

int sc_caps_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable,
		struct sc_error *err)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return sc_error_errno(err, -errno, "cannot read the capabilities");
	if (effective)
		*effective = d[0].effective | (uint64_t)d[1].effective << 32;
	if (permitted)
		*permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	if (inheritable)
		*inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

int sc_caps_clear_ambient(struct sc_error *err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return sc_error_errno(err, -errno, "cannot clear the ambient capabilities");
	return 0;
}

int sc_caps_oci(uint64_t effective, uint64_t permitted, uint64_t inheritable, uint64_t ambient,
		uint64_t keep, struct sc_error *err)
{
	uint64_t perm;
	int r = sc_caps_get(NULL, &perm, NULL, err);
	if (r < 0)
		return r;
	uint64_t p = (permitted | keep) & perm;
	if ((r = sc_caps_set((effective | keep) & p, p, inheritable, err)) < 0)
		return r;
	for (int cap = 0; cap <= sc_cap_last() && cap < 64; cap++) {
		if (!(ambient & SC_CAP_SET(cap)) || !(inheritable & permitted & p & SC_CAP_SET(cap)))
			continue;   /* not raisable: skipped, as runc warns and goes on */
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EINVAL && errno != EPERM)
			return sc_error_errno(err, -errno, "cannot raise the ambient capability %d", cap);
	}
	return 0;
}
