/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_OCI_RECORD_H
#define SECLUDE_OCI_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/cgroup.h"
#include "seclude/compile.h"
#include "seclude/error.h"
#include "seclude/runtime.h"

/* ROOT/ID/state.json */
struct sc_rec {
	char *id;
	pid_t pid;
	uint64_t start_time;      /* of pid, in clock ticks since boot */
	char *bundle;
	char *rootfs;
	char *created;            /* RFC 3339, UTC */
	char *owner;
	char *config;             /* the config.json it was created from (hooks at start and delete) */
	json_t *annotations;
	struct sc_cgroup *cgroup; /* NULL: none */
	/*
	 * The filter exec loads, compiled (and guarded) at create from the
	 * config create used, so that exec never depends on the bundle as it
	 * is now: SC_REC_SECCOMP_*.
	 */
	int exec_seccomp;
	struct sc_bpf exec_bpf;
	unsigned exec_seccomp_flags;
	int lock_fd;              /* > 0: the record's lock, held until sc_rec_free or sc_rec_unlock */
};

enum {
	SC_REC_SECCOMP_BAD = -1,     /* recorded, but not readable: exec refuses */
	SC_REC_SECCOMP_UNKNOWN = 0,  /* a record from before seclude recorded it */
	SC_REC_SECCOMP_NONE = 1,     /* the container has no filter */
	SC_REC_SECCOMP_BPF = 2,      /* exec_bpf, loaded with exec_seccomp_flags */
};

/*
 * The filter exec loads into a container created from cfg: *out empty
 * when cfg has none.  create records it; exec loads what was recorded.
 */
struct sc_oci_config;
int sc_oci_exec_filter(const struct sc_oci_config *cfg, struct sc_bpf *out, unsigned *flags,
		       struct sc_error *err);

char *sc_rec_path(const char *root, const char *id, const char *file);
int sc_rec_save(const char *root, const struct sc_rec *r, struct sc_error *err);
/*
 * The record's lock (ROOT/ID/record.lock, a POSIX record lock: the
 * processes a verb forks do not hold it) taken, then the record read:
 * two verbs on one id (an engine's delete and kill at once) run one after
 * the other, and the second sees what the first left.  -ENOENT "container
 * does not exist", also when the record was removed while this waited.
 */
int sc_rec_load(const char *root, const char *id, struct sc_rec *r, struct sc_error *err);
/*
 * The record read without its lock, for what only reads it (state, ps,
 * list): a hook that asks for the state while create or delete holds the
 * lock must not wait for them.  state.json is replaced whole, never
 * written in place.
 */
int sc_rec_read(const char *root, const char *id, struct sc_rec *r, struct sc_error *err);
/* The lock alone given back (an attached exec waits for its process without it). */
void sc_rec_unlock(struct sc_rec *r);
void sc_rec_free(struct sc_rec *r);
/*
 * create's claim of ID: ROOT/ID/ made (-EEXIST when it is there) with its
 * lock, which the returned fd holds until closed; the record's other
 * verbs wait for it.
 */
int sc_rec_claim(const char *root, const char *id, struct sc_error *err);
int sc_rec_remove(const char *root, const char *id);

int sc_proc_start_time(pid_t pid, uint64_t *out, char *state);
bool sc_rec_alive(const struct sc_rec *r);
/* A pidfd of the record's process, or -ESRCH when it is gone (or the pid was reused). */
int sc_rec_pidfd(const struct sc_rec *r);
bool sc_rec_frozen(const struct sc_rec *r);
enum sc_oci_status sc_rec_status(const char *root, const struct sc_rec *r);

/* Send fd over SCM_RIGHTS to the unix socket at path (a console master, a pidfd). */
int sc_oci_send_fd(const char *path, int fd, const char *what, struct sc_error *err);
/* A connected stream socket to path, and sending an fd on one. */
int sc_oci_connect(const char *path, struct sc_error *err);
int sc_oci_send_fd_on(int sock, int fd, const char *what, struct sc_error *err);

#endif
