/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_DOCKER_H
#define SECLUDE_DOCKER_H

/*
 * `docker run`'s options, translated once into a spec.
 *
 * A front-end (seclude run, learn) parses its argv into a struct
 * sc_docker_run: plain fields it sets itself, and the values with a
 * syntax of their own through the sc_docker_* parsers below, which say
 * what is wrong in Docker's words.  sc_spec_from_docker then adds what
 * Docker adds (its environment first, the hostname, the namespaces, the
 * masked and read-only paths, the working directory) and compiles the
 * seccomp profile once.
 *
 * Errors: a negative errno and a sentence.  When the option's value
 * itself is wrong, r->usage is set too: the CLI shows a usage error.
 */

#include <stdbool.h>
#include <stdint.h>

#include "seclude/error.h"
#include "seclude/spec.h"

struct sc_docker_run {
	char *const *argv;            /* the command (borrowed) */

	const char *seccomp;          /* --security-opt seccomp=: a path, "unconfined"; NULL: Docker's */
	bool nnp;                     /* --security-opt no-new-privileges */
	uint64_t caps;                /* Docker's set with --cap-add/--cap-drop, checked against the host */
	bool privileged;
	bool complain;                /* --complain: the filter only reports */
	bool keep_policy;             /* a denial session names rules: the filter keeps its policy */
	bool own_filter;              /* the caller loads a filter of its own (learn's recorder): compile none */

	const char *rootfs;
	bool read_only;
	struct sc_mount *mounts;      /* -v and --tmpfs in their order (owned) */
	size_t n_mounts;
	bool relative_target;         /* a -v or --tmpfs path inside given from the current directory */

	const char *hostname;
	bool net_host, pid_host, ipc_host, uts_host, cgroupns_host;
	bool userns;
	bool userns_given;            /* --userns was on the command line (a map, or host) */
	bool userns_subuid;           /* --userns=subuid: the caller's /etc/subuid range, whatever --user says */
	struct sc_idmap idmap;

	const char *user, *workdir;
	char **env;                   /* -e and --env-file in their order (owned) */
	size_t n_env;
	struct sc_rlimit *rlimits;    /* --ulimit (owned) */
	size_t n_rlimits;
	bool interactive, tty, init;

	bool usage;                   /* set by a failing parser: the value given is wrong */
};

void sc_docker_run_free(struct sc_docker_run *r);

/* -e KEY=VALUE, or -e KEY taking this process's value (dropped when unset, as Docker does). */
int sc_docker_env(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/* --env-file: KEY=VALUE lines; blank lines and # comments skipped. */
int sc_docker_env_file(struct sc_docker_run *r, const char *path, struct sc_error *err);
/* -v HOST:PATH[:ro|rw] (a path starting with . is from the current directory) */
int sc_docker_volume(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/* --tmpfs PATH[:OPTIONS] */
int sc_docker_tmpfs(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/* --ulimit NAME=SOFT[:HARD] */
int sc_docker_ulimit(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/* --security-opt KEY=VALUE (or KEY:VALUE): seccomp, no-new-privileges, apparmor, label */
int sc_docker_security_opt(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/*
 * --userns[=INSIDE:OUTSIDE:COUNT|host|subuid]; arg NULL: the default map
 * 0:100000:65536; subuid (a user who is not root only): map the caller's
 * /etc/subuid and /etc/subgid ranges after their own ids.
 */
int sc_docker_userns(struct sc_docker_run *r, const char *arg, struct sc_error *err);
/* --network/--pid/--ipc/--uts/--cgroupns: "host", or other (NULL: none) for the sandbox's own */
int sc_docker_host_or(struct sc_docker_run *r, const char *opt, const char *arg, const char *other,
		      bool *host, struct sc_error *err);
/* -h NAME (1 to 64 characters) and -w DIR (absolute) */
int sc_docker_hostname(struct sc_docker_run *r, const char *arg, struct sc_error *err);
int sc_docker_workdir(struct sc_docker_run *r, const char *arg, struct sc_error *err);

/*
 * The spec Docker would run: out is filled on success, empty on failure.
 * Checks what the options cannot do together (--init with --pid host, a
 * relative path inside with --rootfs).  Without --rootfs and -w the
 * command starts where the caller stands (bound in read-only when that is
 * under the sandbox's private /tmp or /run).  Unless r->own_filter, the
 * profile (r->seccomp, Docker's by default; none with --privileged unless
 * one is named, as in Docker) is read and compiled here, its notes going
 * to diags.  Resource limits and the cgroup parent are the caller's to
 * put into out->limits.
 */
int sc_spec_from_docker(struct sc_docker_run *r, struct sc_spec *out, struct sc_diags *diags,
			struct sc_error *err);

#endif
