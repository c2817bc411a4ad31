/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capabilities of this host and of the calling process; the names and
 * the set arithmetic are in names.h. */
#ifndef SECLUDE_CAPS_H
#define SECLUDE_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/names.h"

/* The highest capability number this kernel knows (cap_last_cap). */
int sc_cap_last(void);
/* The calling process's bounding set. */
int sc_caps_host_bounding(uint64_t *out, struct sc_error *err);

/*
 * Applying a set, in the process that is about to execve.  The sets
 * Docker leaves come from the execve transition: for uid 0 the new
 * permitted and effective sets are the bounding set (inheritable being
 * empty), for any other uid they are empty.  So the child only narrows
 * the bounding set, clears inheritable and ambient, and keeps its own
 * permitted and effective sets until execve.
 */
/*
 * The sets before execve, for run's child (after its uid change) and
 * exec's alike: permitted and effective kept as they are, inheritable
 * and ambient cleared (execve then gives root the bounding set).
 */
int sc_caps_for_execve(struct sc_error *err);
/* Drop every capability not in keep from the bounding set. */
int sc_caps_bound(uint64_t keep, struct sc_error *err);
/* capset(2) on the calling thread. */
int sc_caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable,
		struct sc_error *err);
int sc_caps_get(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable,
		struct sc_error *err);
int sc_caps_clear_ambient(struct sc_error *err);
/*
 * An OCI process's five sets, as runc applies them, before execve (after
 * the uid change, the permitted set kept across it): effective, permitted
 * and inheritable set (plus keep, which the filter's load may still need:
 * CAP_SYS_ADMIN without no_new_privs, when execve gives root inheritable |
 * bounding whatever was permitted), then each ambient capability that is
 * also permitted and inheritable raised (the others skipped, as runc skips
 * them).  With no_new_privs execve gives root no more than permitted.
 */
int sc_caps_oci(uint64_t effective, uint64_t permitted, uint64_t inheritable, uint64_t ambient,
		uint64_t keep, struct sc_error *err);

#endif
