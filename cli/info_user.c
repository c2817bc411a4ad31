/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude info: what the calling user can do here, in words. */
#include <stdio.h>
#include <string.h>

#include "info_user.h"
#include "seclude/spec.h"

static void print_user(const struct sc_user_view *v)
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

void cli_info_user_print(void)
{
	struct sc_user_view v;
	sc_user_view_collect(&v);
	print_user(&v);
	sc_user_view_free(&v);
}

json_t *cli_info_user_json(void)
{
	struct sc_user_view v;
	sc_user_view_collect(&v);
	json_t *j = sc_user_view_json(&v);
	sc_user_view_free(&v);
	return j;
}
