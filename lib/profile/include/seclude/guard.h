/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_GUARD_H
#define SECLUDE_GUARD_H

/*
 * The terminal injection guard: a small seccomp filter seclude loads next
 * to every profile it loads (run, --init, -d, exec, learn's recorder),
 * whatever the profile says.  ioctl TIOCSTI (queue input on a terminal,
 * which the caller's shell then runs: CVE-2017-5226, bubblewrap) and
 * TIOCLINUX (its subcommands paste the console selection; the subcommand
 * sits in memory a filter cannot read, so the whole request goes) fail
 * with EPERM, as bubblewrap refuses them.  The request is compared on its
 * low 32 bits only, as the kernel reads it: a filter comparing 64 bits is
 * passed by setting the high ones (CVE-2019-10063, flatpak).
 *
 * It is put in front of the program when the program is loaded, not
 * compiled into the profile: the program that compile writes, explain
 * reads and --log-denials rewrites is the profile's alone, and the guard's
 * RET ERRNO returns before the profile's first instruction runs, so
 * neither --complain (which turns the profile's refusals into
 * notifications), a recorder's RET TRACE nor a profile's ALLOW lets the
 * call through.  One program, one seccomp(2) call: learn's eBPF recorder
 * starts counting after the filter load.  explain names the guard where it
 * decides.  Covered: the host's architecture and its compat ones (x86-64:
 * i386 and x32; aarch64: arm).
 */
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_GUARD_NAME "seclude: terminal injection guard"
#define SC_GUARD_MAX 24

#include "seclude/compile.h"
#include "seclude/error.h"

/* The guard alone (RET ALLOW where it lets the call go) into insns; its length. */
size_t sc_guard_build(struct sock_filter insns[SC_GUARD_MAX]);

/*
 * The guard in front of in: its RET ALLOW become jumps to in's first
 * instruction (in's own jumps are relative and stay as they are).
 * -E2BIG when the whole would pass the kernel's 4096 instructions.
 */
int sc_guard_prepend(const struct sc_bpf *in, struct sc_bpf *out, struct sc_error *err);

/*
 * Whether the guard refuses this call (arch an AUDIT_ARCH_* value as
 * seccomp_data has it; request ioctl's second argument), and its verdict.
 */
bool sc_guard_refuses(uint32_t arch, int nr, uint64_t request, uint32_t *ret);

#endif
