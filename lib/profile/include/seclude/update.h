/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * complain --update: a profile's JSON text edited so that it allows what
 * a run refused (lib/profile/update.c).
 */
#ifndef SECLUDE_UPDATE_H
#define SECLUDE_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "seclude/error.h"

/* Distinct (arch, syscall, result) of a run's denials, with their counts. */
struct sc_denial_count {
	uint32_t arch;
	int nr;                       /* -1: unknown (a SIGSYS no record explains) */
	char syscall[48];
	uint32_t ret;
	bool complain;
	uint64_t count;
};

struct sc_update_opts {
	const char *command;          /* what was run, for the comment */
	time_t when;
};

/*
 * Let the profile allow every call of the denials: a refused name leaves
 * every rule that refuses it, and (unless the default action allows) joins
 * one new ALLOW rule whose comment says when and why.  *added counts the
 * names handled.
 */
int sc_profile_update(const char *text, size_t len, const char *origin,
		      const struct sc_denial_count *counts, size_t n,
		      const struct sc_update_opts *o, char **out, size_t *added,
		      struct sc_error *err);

#endif
