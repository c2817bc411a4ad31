/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_UTIL_H
#define SECLUDE_UTIL_H

#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "seclude/error.h"

/* Cleanup helpers: a variable declared with one of these is released when it
 * leaves scope; TAKE_PTR hands ownership on. */
static inline void sc_freep(void *p) { free(*(void **)p); }
static inline void sc_closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void sc_fclosep(FILE **f) { if (*f) fclose(*f); }
#define _cleanup_free_ __attribute__((cleanup(sc_freep)))
#define _cleanup_close_ __attribute__((cleanup(sc_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(sc_fclosep)))
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })
#define TAKE_FD(fd) ({ int _fd = (fd); (fd) = -1; _fd; })
#define SC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Read a whole file (at most max_bytes) into a NUL-terminated buffer.
 * For the system's files (/proc, /sys, cgroups); a file the user names
 * goes through sc_read_user_file.
 */
int sc_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
		 struct sc_error *err);

/* The rest of fd, likewise; name is for the messages. */
int sc_read_fd(int fd, const char *name, size_t max_bytes, char **out, size_t *len,
	       struct sc_error *err);

/*
 * Open path for reading only if it is a regular file (flags adds e.g.
 * O_NOFOLLOW).  Everything seclude reads from the user (profiles, strace
 * logs, --env-file, --merge, --update) and from its state and cache
 * directories comes through here: a FIFO blocks open(2) until a writer
 * comes, and a device can be read forever, so neither is even waited on:
 * the open is non-blocking and anything but a regular file is refused.
 * Returns the fd (blocking again, close-on-exec) or a negative errno.
 */
int sc_open_regular(const char *path, int flags, struct sc_error *err);

/* sc_open_regular, then the whole file as sc_read_file reads it. */
int sc_read_user_file(const char *path, size_t max_bytes, char **out, size_t *len,
		      struct sc_error *err);

/* Write all of buf to fd, retrying on EINTR and short writes. */
int sc_write_all(int fd, const void *buf, size_t len);

/*
 * mkdir -p: every missing directory of path, the parents with mode
 * parents and the last one with leaf (less the umask, as mkdir(2) does);
 * directories that exist are left as they are.  Errors name the directory
 * that could not be made: "DIR: cannot create".
 */
int sc_mkdir_p(const char *path, mode_t parents, mode_t leaf, struct sc_error *err);

/* How sc_write_atomic sets the new file's mode. */
enum {
	SC_WRITE_UMASK = 1u << 0,      /* mode less the process's umask, as open(2) makes it */
	SC_WRITE_KEEP_MODE = 1u << 1,  /* a file already at path keeps its mode */
	SC_WRITE_SYNC = 1u << 2,       /* fsync before the rename */
};

/*
 * Replace path with data, written to a temporary file beside it and
 * renamed over it: path holds the old contents or the new ones, never
 * half of either, and a failed write leaves no temporary behind.  Errors:
 * "PATH: cannot create" when the temporary cannot be made (a missing
 * directory), else "PATH: cannot write".
 */
/*
 * A text and a newline to path as a user names an output: "-" or NULL is
 * standard output; what is not a regular file (a device, a pipe) is
 * written in place; a file is written atomically (beside, then renamed;
 * 0644 less the umask, synced), so it is never half there.
 */
int sc_write_output(const char *path, const char *text, struct sc_error *err);

int sc_write_atomic(const char *path, const void *data, size_t len, mode_t mode, unsigned flags,
		    struct sc_error *err);

/* Strict number parsing: the whole string, no sign, no overflow. */
int sc_parse_u64(const char *s, uint64_t *out);
/* A uid or gid: sc_parse_u64 below (uid_t)-1; false otherwise. */
bool sc_parse_id(const char *s, uint32_t *out);
/* Split "a:b:c..." (passwd, group, subuid lines) in place into at most n fields; returns how many. */
size_t sc_split_colons(char *line, char **f, size_t n);
/* Unlink what dir holds (no subdirectories), then dir; a missing dir is 0. 0 or -errno. */
int sc_remove_flat_dir(const char *dir);

/*
 * The hexadecimal masks /proc/self/status shows (SigIgn, SigCgt, CapBnd,
 * ...): out[i] gets keys[i]'s.  One read, where asking the kernel signal
 * by signal or capability by capability costs a call each.  No allocation
 * (a child between clone and execve may call it).  0, or -errno (-ENOENT
 * when a key is not there).
 */
int sc_proc_status_masks(const char *const *keys, uint64_t *out, size_t n);

/* Close every fd above 2 but those in keep (a process about to enter or leave a sandbox). */
void sc_close_fds_except(const int *keep, size_t n);

/*
 * The one growable array: room for one more element in *v (n used of
 * *cap, each size bytes), the capacity doubled (first when empty).
 * 0, or -ENOMEM with *v as it was.
 */
int sc_grow(void **v, size_t *cap, size_t n, size_t size, size_t first);
#define SC_GROW(v, cap, n, first) sc_grow((void **)&(v), &(cap), (n), sizeof(*(v)), (first))

/* A NULL-terminated vector of strings. */
char **sc_strv_copy(char *const *v, size_t n);
void sc_strv_free(char **v, size_t n);
/* Append "a,b,c" (split at sep) to the NULL-terminated *v of *n; -ENOMEM. */
int sc_strv_push_split(char ***v, size_t *n, const char *list, const char *sep);
/* v's strings with sep between them; NULL when out of memory. */
char *sc_strv_join(char *const *v, const char *sep);
/* argv as a shell would take it back ('...' around what is not plain); NULL when out of memory. */
char *sc_strv_shell_quote(char *const *argv);

#endif
