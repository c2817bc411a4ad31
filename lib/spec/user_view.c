/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the calling user can do here: a user namespace, id ranges, a delegated cgroup, the state directory. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/places.h"
#include "seclude/spec.h"
#include "seclude/util.h"

static json_t *words(const char *s)
{
	json_t *a = json_array();
	_cleanup_free_ char *copy = strdup(s);
	char *save = NULL;
	for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(w));
	return a;
}

void sc_user_view_collect(struct sc_user_view *v)
{
	memset(v, 0, sizeof(*v));
	v->uid = geteuid();
	struct passwd *pw = getpwuid(v->uid);
	snprintf(v->name, sizeof(v->name), "%s", pw ? pw->pw_name : "?");
	if (v->uid == 0)
		return;
	v->userns = sc_userns_probe();
	char tool[4096];
	v->helpers = sc_idmap_helper("newuidmap", tool, sizeof(tool)) && sc_idmap_helper("newgidmap", tool, sizeof(tool));
	sc_rootless_idmaps(pw ? pw->pw_name : NULL, v->uid, getegid(), "/etc/subuid", "/etc/subgid", v->helpers,
			   v->uidm, &v->n_uidm, v->gidm, &v->n_gidm);
	struct sc_cgroup_root cr = {0};
	struct sc_error e = {0};
	if (sc_cgroup_root_detect(NULL, &cr, &e) == 0 && sc_cgroup_delegated(&cr, v->uid, &v->delegated, &e) == 0) {
		char dir[8192];
		snprintf(dir, sizeof(dir), "%s%s/cgroup.controllers", cr.path, v->delegated);
		size_t len;
		if (sc_read_file(dir, 4096, &v->controllers, &len, NULL) == 0)
			v->controllers[strcspn(v->controllers, "\n")] = '\0';
	}
	snprintf(v->no_cgroup, sizeof(v->no_cgroup), "%s", e.msg);
	sc_cgroup_root_free(&cr);
	if (sc_user_state_dir(v->state, sizeof(v->state), &e) < 0)
		snprintf(v->state, sizeof(v->state), "none: %s", e.msg);
}

void sc_user_view_free(struct sc_user_view *v)
{
	free(v->delegated);
	free(v->controllers);
}

json_t *sc_user_view_json(const struct sc_user_view *v)
{
	json_t *u = json_pack("{s:i, s:s, s:b}", "uid", (json_int_t)v->uid, "name", v->name, "root", v->uid == 0);
	if (v->uid == 0)
		return u;
	json_object_set_new(u, "user_namespace", json_boolean(v->userns == 0));
	json_object_set_new(u, "user_namespace_error", v->userns < 0 ? json_string(strerror(-v->userns)) : json_null());
	json_object_set_new(u, "id_ranges", json_boolean(v->n_uidm > 1));
	json_object_set_new(u, "delegated_cgroup", v->delegated ? json_string(v->delegated) : json_null());
	json_object_set_new(u, "controllers", v->controllers ? words(v->controllers) : json_null());
	json_object_set_new(u, "limits", json_boolean(v->delegated != NULL));
	json_object_set_new(u, "recorders", json_pack("[s]", "ptrace"));
	json_object_set_new(u, "state_dir", json_string(v->state));
	return u;
}
