/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_RUN_H
#define SECLUDE_CLI_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "seclude/compile.h"
#include "seclude/error.h"

/* The filter run loads: compiled (or cached) BPF and the flags to load it with. */
struct run_filter {
	struct sc_bpf bpf;
	unsigned flags;       /* SECCOMP_FILTER_FLAG_* */
};

/*
 * Read PROFILE ("default": the built-in one), compile it for caps on this
 * host through the cache, and check that the command can start under it:
 * execve (and with --init, what the init calls) must be allowed.
 */
int run_filter_load(const char *profile, uint64_t caps, bool init, struct run_filter *f,
		    struct sc_error *err);
void run_filter_free(struct run_filter *f);

#endif
