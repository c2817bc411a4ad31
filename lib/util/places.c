/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A user's own places for state and cache; see places.h. */
#include <errno.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seclude/places.h"

bool sc_dir_private_to(const char *path, uid_t uid)
{
	struct stat st;
	return path && path[0] == '/' && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_uid == uid && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static int put(char *buf, size_t len, struct sc_error *err, const char *dir, const char *leaf)
{
	int n = snprintf(buf, len, "%s%s", dir, leaf);
	if (n < 0 || (size_t)n >= len)
		return sc_error_set(err, -ENAMETOOLONG, "the state directory's name is too long");
	return 0;
}

int sc_user_state_dir_for(uid_t uid, const char *xdg_runtime, const char *run_user, const char *tmp,
			  char *buf, size_t len, struct sc_error *err)
{
	if (xdg_runtime && sc_dir_private_to(xdg_runtime, uid))
		return put(buf, len, err, xdg_runtime, "/seclude");
	char mine[256];
	snprintf(mine, sizeof(mine), "%s/%lu", run_user, (unsigned long)uid);
	if (sc_dir_private_to(mine, uid))
		return put(buf, len, err, mine, "/seclude");
	char dir[256];
	snprintf(dir, sizeof(dir), "%s/seclude-%lu", tmp, (unsigned long)uid);
	/* mkdir makes it ours, 0700; one found there must already be exactly that */
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return sc_error_errno(err, -errno, "cannot create %s", dir);
	if (!sc_dir_private_to(dir, uid))
		return sc_error_set(err, -EPERM, "%s is not a private directory of yours (someone else made it): "
				    "set XDG_RUNTIME_DIR to one", dir);
	return put(buf, len, err, dir, "");
}

int sc_user_state_dir(char *buf, size_t len, struct sc_error *err)
{
	return sc_user_state_dir_for(geteuid(), getenv("XDG_RUNTIME_DIR"), "/run/user", "/tmp", buf, len, err);
}

int sc_user_home(char *buf, size_t len, struct sc_error *err)
{
	uid_t uid = geteuid();
	const char *home = getenv("HOME");
	struct stat st;
	if (!home || home[0] != '/' || stat(home, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != uid) {
		struct passwd *pw = getpwuid(uid);
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
	}
	if (!home)
		return sc_error_set(err, -ENOENT, "no home directory: HOME is not set and uid %lu has no passwd entry",
				    (unsigned long)uid);
	int n = snprintf(buf, len, "%s", home);
	if (n < 0 || (size_t)n >= len)
		return sc_error_set(err, -ENAMETOOLONG, "the home directory's name is too long");
	return 0;
}

int sc_userns_probe(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno & 0x7f) ? (errno & 0x7f) : 1);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(st))
		return -ECHILD;
	return -WEXITSTATUS(st);
}
