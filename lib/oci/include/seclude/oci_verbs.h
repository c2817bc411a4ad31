/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_OCI_VERBS_H
#define SECLUDE_OCI_VERBS_H

/*
 * What seclude-runc's verbs do beyond the lifecycle of runtime.h, and what
 * they print, in runc's forms: the command line (cli/runc*.c) only reads
 * words, calls one of these and prints what it is given.
 */

#include <stdbool.h>
#include <stdio.h>

#include "seclude/error.h"
#include "seclude/runtime.h"

/* The records' default root: /run/seclude-runc, or $XDG_RUNTIME_DIR/seclude-runc for a user. */
const char *sc_oci_default_root(char *buf, size_t len);

/*
 * One line appended to the --log file: text (time="..." level=... msg="...")
 * or, with json, {"level":...,"msg":...,"time":...} as engines parse it.
 */
void sc_oci_log_line(const char *path, bool json, const char *level, const char *msg);

/*
 * --rootless true|false|auto (NULL: auto) as runc reads it: auto is
 * rootless when this process is not root, or is root in a user namespace
 * (Podman's rootless engine runs the runtime there).  -EINVAL for another
 * value.
 */
int sc_oci_rootless(const char *value, bool *rootless);

/* The fds create passes on: --preserve-fds, or LISTEN_FDS when that asks for more, as runc does. */
unsigned sc_oci_listen_fds(unsigned preserve_fds);

/*
 * run: create, start and (unless detach) wait; *exit_code is the
 * command's status (128+N for a signal) and the record is deleted.
 */
int sc_oci_run(const struct sc_oci_create_opts *o, bool detach, int *exit_code, struct sc_error *err);

/*
 * update --resources FILE|-: a LinuxResources object read and written to
 * the container's cgroup (sc_oci_update); _text: the object given, origin
 * naming it in messages.
 */
int sc_oci_update_from(const char *root, const char *id, const char *file, struct sc_error *err);
int sc_oci_update_text(const char *root, const char *id, const char *text, size_t len, const char *origin,
		       struct sc_error *err);

/* spec: runc's default config.json written to BUNDLE/config.json, never over one. */
int sc_oci_spec_write(const char *bundle, bool rootless, struct sc_error *err);

/* ---- output (render.c) ---- */

enum sc_oci_list_format { SC_OCI_LIST_TABLE, SC_OCI_LIST_JSON, SC_OCI_LIST_QUIET };
/* list: runc's table, a JSON array of states, or the ids alone. */
int sc_oci_print_list(FILE *out, const char *root, enum sc_oci_list_format fmt, struct sc_error *err);
/* ps: the pids as a JSON array, or a UID/PID/CMD table. */
int sc_oci_print_ps(FILE *out, const char *root, const char *id, bool json, struct sc_error *err);
/* features: what this runtime supports, as JSON. */
void sc_oci_print_features(FILE *out);
/* --version: "seclude-runc version X", the commit, the spec's and libseccomp's versions. */
void sc_oci_print_version(FILE *out, const char *version);

#endif
