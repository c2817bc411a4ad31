/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside lib/oci: one create as runtime.c drives it, and the detached
 * helpers it forks once the container is held (monitor.c): the denial
 * monitor and the listenerPath handoff.
 */
#ifndef SECLUDE_OCI_CREATE_H
#define SECLUDE_OCI_CREATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "seclude/denials.h"
#include "seclude/learn.h"
#include "seclude/learn_for.h"
#include "seclude/learn_session.h"
#include "seclude/oci.h"
#include "seclude/runtime.h"
#include "seclude/sandbox.h"

struct create {
	const struct sc_oci_create_opts *o;
	struct sc_oci_config *cfg;
	const char *bundle;
	json_t *annotations;
	pid_t pid;
	/* seclude's denial session, when asked for (global flags or annotations) */
	bool complain;
	char *report_path;
	struct sc_denials *denials;
	struct sc_sandbox_hooks denial_hooks;
	FILE *report;
	/* learning (io.seclude.learn, --learn): the profile to write, what for (learn's own request) */
	char *learn_path;
	struct sc_learn_request learn;
	struct sc_bpf learn_filter;
};

/* The denial session's report function: one JSON line in x->report. */
void sc_oci_report_denial(void *ud, const struct sc_denial *d);

/*
 * The detached helpers, forked by create once the container is held and
 * its record saved: 0 in create once the helper has claimed the listener
 * (its death from then on ends the container), -errno when it could not.
 */
int sc_oci_fork_monitor(struct create *x, struct sc_sandbox *s, struct sc_error *err);
int sc_oci_fork_agent_handoff(struct create *x, struct sc_sandbox *s, struct sc_error *err);
/*
 * The learner: records every call of the container's tree through the
 * listener (the notify recorder) and, when the last process has ended,
 * writes the smallest profile to x->learn_path, atomically.
 */
int sc_oci_fork_learner(struct create *x, struct sc_sandbox *s, struct sc_error *err);

#endif
