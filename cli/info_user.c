/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude info: what the calling user can do here. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "info_user.h"
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

/* What the calling user can do here (root: everything above). */
struct user_view {
	uid_t uid;
	char name[64];
	int userns;                   /* 0, or the negative errno of unshare(CLONE_NEWUSER) */
	struct sc_idmap uidm[2], gidm[2];
	size_t n_uidm, n_gidm;
	bool helpers;                 /* newuidmap and newgidmap */
	char *delegated;              /* the delegated cgroup v2 subtree, or NULL */
	char *controllers;            /* its cgroup.controllers */
	char no_cgroup[1100];         /* why there is none */
	char state[4096];
};

static void user_view_collect(struct user_view *v)
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

static void user_view_free(struct user_view *v)
{
	free(v->delegated);
	free(v->controllers);
}

static void print_user(const struct user_view *v)
{
	printf("\nThis user:         uid %u (%s)", (unsigned)v->uid, v->name);
	if (v->uid == 0) {
		printf(", root: runs with the host's privileges, no user namespace needed\n");
		return;
	}
	printf(", not root\n");
	if (v->userns < 0) {
		printf("  run:             no: this user cannot create a user namespace (%s)\n", strerror(-v->userns));
		return;
	}
	printf("  run:             yes, in a user namespace of its own (root inside is uid %u outside)\n",
	       (unsigned)v->uid);
	if (v->n_uidm > 1)
		printf("  --user inside:   ids 0-%u (/etc/subuid and /etc/subgid ranges, written by newuidmap)\n",
		       v->uidm[1].count);
	else
		printf("  --user inside:   0 only (%s: a single mapping)\n",
		       v->helpers ? "no /etc/subuid and /etc/subgid range for this user" : "newuidmap or newgidmap missing");
	if (v->delegated)
		printf("  limits:          yes, in the delegated cgroup %s (controllers: %s)\n", v->delegated,
		       v->controllers && *v->controllers ? v->controllers : "none");
	else
		printf("  limits:          no: %s; a run asking for one is refused, others run without a cgroup\n",
		       v->no_cgroup);
	printf("  --log-denials:   yes (seccomp user notification; kills and traps named by seclude itself)\n");
	printf("  learn:           ptrace recorder (the eBPF one needs root's privileges)\n");
	printf("  state:           %s\n", v->state);
}

static json_t *json_user(const struct user_view *v)
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

void cli_info_user_print(void)
{
	struct user_view v;
	user_view_collect(&v);
	print_user(&v);
	user_view_free(&v);
}

json_t *cli_info_user_json(void)
{
	struct user_view v;
	user_view_collect(&v);
	json_t *j = json_user(&v);
	user_view_free(&v);
	return j;
}
