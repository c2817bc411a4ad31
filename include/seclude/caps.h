/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CAPS_H
#define SECLUDE_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"

#define SC_CAP_SET(n) (UINT64_C(1) << (n))

/* "chown", "CAP_CHOWN", "Cap_Chown" -> 0.  -EINVAL when unknown. */
int sc_cap_from_name(const char *name);
/* 0 -> "CAP_CHOWN"; NULL when out of range. */
const char *sc_cap_name(int cap);
/* The highest capability number this kernel knows (cap_last_cap). */
int sc_cap_last(void);

/* Docker's default set of 14. */
uint64_t sc_caps_docker_default(void);
/* The calling process's bounding set. */
int sc_caps_host_bounding(uint64_t *out, struct sc_error *err);

/*
 * Docker's --cap-add / --cap-drop / --privileged arithmetic: privileged
 * gives everything the host has; ALL in adds starts from everything and
 * removes drops; ALL in drops keeps only adds; otherwise base minus drops
 * plus adds.  Names are checked; one the host lacks is an error.
 */
struct sc_cap_opts {
	char **add;
	size_t n_add;
	char **drop;
	size_t n_drop;
	bool privileged;
};

int sc_caps_compute(uint64_t base, const struct sc_cap_opts *o, uint64_t host,
		    uint64_t *out, struct sc_error *err);

/* "CAP_CHOWN,CAP_KILL" into buf; "" for none. */
void sc_caps_format(uint64_t caps, char *buf, size_t len);

/*
 * Applying a set, in the process that is about to execve.  The sets
 * Docker leaves come from the execve transition: for uid 0 the new
 * permitted and effective sets are the bounding set (inheritable being
 * empty), for any other uid they are empty.  So the child only narrows
 * the bounding set, clears inheritable and ambient, and keeps its own
 * permitted and effective sets until execve.
 */
/* Drop every capability not in keep from the bounding set. */
int sc_caps_bound(uint64_t keep, struct sc_error *err);
/* capset(2) on the calling thread. */
int sc_caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable,
		struct sc_error *err);
int sc_caps_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable,
		struct sc_error *err);
int sc_caps_clear_ambient(struct sc_error *err);

#endif
