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
 * It is a filter of its own, not a rule of the profile: in the kernel
 * ERRNO outranks USER_NOTIF, TRACE and ALLOW, so neither --complain, a
 * recorder nor a profile's ALLOW can let the call through, and the
 * profile's program (what compile, explain and --log-denials read) stays
 * what the profile says.  explain names the guard where it decides.
 * Covered: the host's architecture and its compat ones (x86-64: i386 and
 * x32; aarch64: arm).
 */
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_GUARD_NAME "seclude: terminal injection guard"
#define SC_GUARD_MAX 24

/* The program into insns; its length.  No allocation: the child builds it after clone. */
size_t sc_guard_build(struct sock_filter insns[SC_GUARD_MAX]);

/*
 * Whether the guard refuses this call (arch an AUDIT_ARCH_* value as
 * seccomp_data has it; request ioctl's second argument), and its verdict.
 */
bool sc_guard_refuses(uint32_t arch, int nr, uint64_t request, uint32_t *ret);

#endif
