/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SANDBOX_INTERNAL_H
#define SECLUDE_SANDBOX_INTERNAL_H

/*
 * Pieces of the start that run in the child, between clone and execve.
 * They report failure through a struct sc_error like everything else;
 * spawn.c turns that into the message the parent prints.
 */
#include <stdbool.h>

#include "seclude/error.h"
#include "seclude/sandbox.h"

/*
 * c->etc_dir's resolv.conf, hostname and hosts as detached bind mounts
 * (open_tree clones; -1 each without etc_dir), made by the parent: the
 * child may be a user namespace's root that cannot reach them, and
 * without a rootfs its private /run hides them.  The child attaches each
 * once with move_mount.
 */
#define SC_ETC_FILES 3
int sc_open_etc_files(const struct sc_sandbox_config *c, int fds[SC_ETC_FILES], struct sc_error *err);

/* Mounts, /dev, /proc, /sys, user volumes, the etc files and pivot_root (or the host tree). */
int sc_setup_filesystem(const struct sc_sandbox_config *c, bool in_userns, int tty_slave,
			const int etc[SC_ETC_FILES], struct sc_error *err);

/*
 * Open path inside the tree rooted at rootfd without ever leaving it:
 * ".." stops at the root, symlinks resolve against it, magic links
 * (/proc/self/fd/N, /proc/PID/cwd) are refused with ELOOP, as runc's
 * securejoin resolves paths.  Unless how is MAKE_NOTHING, what is missing
 * is made: directories, and the last component as a directory (last_is_dir)
 * or an empty file; with MAKE_ROOM on a tmpfs layer where the tree is
 * read-only.  *out is an O_PATH fd.
 */
enum make {
	MAKE_NOTHING,
	MAKE_MISSING,         /* directories, and the last component */
	MAKE_ROOM,            /* the same, on a tmpfs layer where the tree is read-only */
};
int sc_open_in_root(int rootfd, const char *path, bool last_is_dir, enum make how,
		    int *out, struct sc_error *err);

/* confine.c: enum sc_ns bits as CLONE_NEW* flags (for clone3 and setns). */
unsigned long sc_ns_clone_flags(unsigned ns);
/*
 * Load b (already behind the guard) with flags; a kernel without
 * SPEC_ALLOW gets it without.  The listener fd with NEW_LISTENER, else 0.
 */
int sc_seccomp_load(const struct sc_bpf *b, unsigned flags, struct sc_error *err);

/* Bring "lo" up in the current network namespace. */
int sc_loopback_up(struct sc_error *err);

/*
 * The hold point (hold.c): the parent opens the FIFO for the child only;
 * the child, set up, raises *held_flag and blocks until a release writes
 * its byte.  0, or -EPIPE when the hold went away without a release.
 */
int sc_hold_open(const char *path, struct sc_error *err);
int sc_hold_wait(int fd, int *held_flag);

/* seclude's pid 1 with --init: reaps, forwards, returns the exit code. */
int sc_init_loop(pid_t child);

#endif
