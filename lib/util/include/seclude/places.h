/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_PLACES_H
#define SECLUDE_PLACES_H

/*
 * Where a user who is not root keeps seclude's state and cache: their own
 * places, never root's nor another user's.
 *
 *   state  $XDG_RUNTIME_DIR/seclude, when XDG_RUNTIME_DIR is an absolute
 *          directory of this user's that no one else may write; else
 *          /run/user/UID/seclude when /run/user/UID is such a directory;
 *          else /tmp/seclude-UID, made 0700 and refused when it is not
 *          this user's own private directory (a name in /tmp anyone can
 *          take first).
 *   home   $HOME when it is a directory of this user's, else the home of
 *          the passwd entry (runuser and su keep root's HOME).
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "seclude/error.h"

/* path is a directory (not a symlink) owned by uid that no one else may write. */
bool sc_dir_private_to(const char *path, uid_t uid);

/*
 * The state directory for uid with the given XDG_RUNTIME_DIR (may be NULL)
 * and run_user ("/run/user" but for tests).  The /tmp fallback (tmp, "/tmp"
 * but for tests) is made here; -EPERM when that name is taken by someone else.
 */
int sc_user_state_dir_for(uid_t uid, const char *xdg_runtime, const char *run_user, const char *tmp,
			  char *buf, size_t len, struct sc_error *err);
/* The same for the calling user (its euid and environment). */
int sc_user_state_dir(char *buf, size_t len, struct sc_error *err);

/* The calling user's home, as above. */
int sc_user_home(char *buf, size_t len, struct sc_error *err);

/*
 * Whether the caller may create a user namespace: 0, or the negative
 * errno of unshare(CLONE_NEWUSER), tried in a child that ends at once.
 */
int sc_userns_probe(void);

#endif
