/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The user namespace of a caller who is not root: its maps, and the helpers that write ranges. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seclude/spec.h"
#include "seclude/util.h"

/* The first range of /etc/subuid or /etc/subgid for the user (by name or number). */
static bool find_subid(const char *path, const char *name, uint32_t id, uint32_t *start, uint32_t *count)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[1024], num[16];
	snprintf(num, sizeof(num), "%u", id);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fl[3];
		if (line[0] == '#' || sc_split_colons(line, fl, 3) != 3)
			continue;
		if ((!name || strcmp(fl[0], name)) && strcmp(fl[0], num))
			continue;
		if (sc_parse_id(fl[1], start) && sc_parse_id(fl[2], count) && *count > 0 &&
		    (uint64_t)*start + *count <= UINT32_MAX)
			return true;
	}
	return false;
}

int sc_rootless_idmaps(const char *name, uid_t uid, gid_t gid, const char *subuid, const char *subgid,
		       bool ranges, struct sc_idmap uidm[2], size_t *n_uid,
		       struct sc_idmap gidm[2], size_t *n_gid)
{
	uidm[0] = (struct sc_idmap){ 0, (uint32_t)uid, 1 };
	gidm[0] = (struct sc_idmap){ 0, (uint32_t)gid, 1 };
	*n_uid = *n_gid = 1;
	uint32_t us, uc, gs, gc;
	if (!ranges || !find_subid(subuid, name, (uint32_t)uid, &us, &uc) ||
	    !find_subid(subgid, name, (uint32_t)gid, &gs, &gc))
		return 0;
	/* both or neither: a uid range without a gid range would leave --user's group unmapped */
	uidm[1] = (struct sc_idmap){ 1, us, uc };
	gidm[1] = (struct sc_idmap){ 1, gs, gc };
	*n_uid = *n_gid = 2;
	return 0;
}

static bool is_root(const char *id, size_t len)
{
	return (len == 4 && !strncmp(id, "root", 4)) || (len > 0 && strspn(id, "0") == len);
}

bool sc_rootless_wants_range(const char *user)
{
	if (!user || !*user)
		return false;
	size_t n = strcspn(user, ":");
	if (!is_root(user, n))
		return true;
	return user[n] == ':' && !is_root(user + n + 1, strlen(user + n + 1));
}

bool sc_idmap_helper(const char *name, char *path, size_t len)
{
	const char *env = getenv("PATH");
	_cleanup_free_ char *dirs = strdup(env && *env ? env : "/usr/bin:/bin");
	char *save = NULL;
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
		if (d[0] == '/' && snprintf(path, len, "%s/%s", d, name) < (int)len && access(path, X_OK) == 0)
			return true;
	return snprintf(path, len, "/usr/bin/%s", name) < (int)len && access(path, X_OK) == 0;
}
