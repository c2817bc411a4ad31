/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/sandbox.h"
#include "seclude/util.h"

struct pw { char name[256]; uint32_t uid, gid; char home[256]; };

/* Find a passwd entry by name or uid; false when none matches. */
static bool find_passwd(const char *path, const char *name, const uint32_t *uid, struct pw *pw)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fl[7];
		if (sc_split_colons(line, fl, 7) < 7)
			continue;
		uint32_t u, g;
		if (!sc_parse_id(fl[2], &u) || !sc_parse_id(fl[3], &g))
			continue;
		if ((name && strcmp(fl[0], name) == 0) || (uid && u == *uid)) {
			snprintf(pw->name, sizeof(pw->name), "%s", fl[0]);
			pw->uid = u;
			pw->gid = g;
			snprintf(pw->home, sizeof(pw->home), "%s", fl[5]);
			return true;
		}
	}
	return false;
}

static bool find_group(const char *path, const char *name, uint32_t *gid)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fl[4];
		uint32_t g;
		if (sc_split_colons(line, fl, 4) < 4 || !sc_parse_id(fl[2], &g))
			continue;
		if (strcmp(fl[0], name) == 0) {
			*gid = g;
			return true;
		}
	}
	return false;
}

static void add_group(struct sc_user *u, gid_t g)
{
	for (size_t i = 0; i < u->n_groups; i++)
		if (u->groups[i] == g)
			return;
	if (u->n_groups < SC_USER_MAX_GROUPS)
		u->groups[u->n_groups++] = g;
}

static void add_member_groups(const char *path, const char *user, struct sc_user *u)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fl[4];
		uint32_t g;
		if (sc_split_colons(line, fl, 4) < 4 || !sc_parse_id(fl[2], &g))
			continue;
		char *save = NULL;
		for (char *m = strtok_r(fl[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (strcmp(m, user) == 0)
				add_group(u, g);
	}
}

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;
	return x < y ? -1 : x > y;
}

int sc_user_resolve(const char *spec, const char *passwd_path, const char *group_path,
		    struct sc_user *out, struct sc_error *err)
{
	*out = (struct sc_user){ .uid = 0 };
	_cleanup_free_ char *copy = strdup(spec && *spec ? spec : "0");
	if (!copy)
		return sc_error_set(err, -ENOMEM, "out of memory");
	char *group = strchr(copy, ':');
	if (group)
		*group++ = '\0';
	if (!*copy || (group && !*group))
		return sc_error_set(err, -EINVAL, "--user \"%s\": expected UID[:GID] or NAME[:GROUP]", spec);

	struct pw pw;
	uint32_t id;
	bool found;
	if (sc_parse_id(copy, &id)) {
		found = find_passwd(passwd_path, NULL, &id, &pw);
		out->uid = id;
		out->gid = found ? pw.gid : 0;
	} else {
		found = find_passwd(passwd_path, copy, NULL, &pw);
		if (!found)
			return sc_error_set(err, -ENOENT, "--user \"%s\": no user \"%s\" in the sandbox's /etc/passwd",
					    spec, copy);
		out->uid = pw.uid;
		out->gid = pw.gid;
	}
	snprintf(out->home, sizeof(out->home), "%s", found && pw.home[0] ? pw.home : "/");

	if (group) {
		uint32_t g;
		if (!sc_parse_id(group, &g) && !find_group(group_path, group, &g))
			return sc_error_set(err, -ENOENT, "--user \"%s\": no group \"%s\" in the sandbox's /etc/group",
					    spec, group);
		out->gid = g;
	} else if (found) {
		add_member_groups(group_path, pw.name, out);
	}
	add_group(out, out->gid);
	qsort(out->groups, out->n_groups, sizeof(out->groups[0]), cmp_gid);
	return 0;
}
