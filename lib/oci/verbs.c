/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verbs of seclude-runc that are more than one lifecycle call: run,
 * update from a file, spec, the log file, the default root (see
 * oci_verbs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "seclude/oci.h"
#include "seclude/oci_verbs.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

const char *sc_oci_default_root(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (geteuid() != 0 && xdg && xdg[0]) {
		snprintf(buf, len, "%s/seclude-runc", xdg);
		return buf;
	}
	return "/run/seclude-runc";
}

void sc_oci_log_line(const char *path, bool json, const char *level, const char *msg)
{
	if (!path)
		return;
	FILE *f = fopen(path, "ae");
	if (!f)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[64];
	size_t k = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + k, sizeof(when) - k, ".%09ldZ", ts.tv_nsec);
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", when);
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		if (s)
			fprintf(f, "%s\n", s);
		free(s);
		json_decref(o);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	fclose(f);
}

/* The initial user namespace maps every id to itself: "0 0 4294967295". */
static bool in_user_namespace(void)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	unsigned a, b, n;
	if (sc_read_file("/proc/self/uid_map", 4096, &text, &len, NULL) < 0)
		return false;
	return sscanf(text, "%u %u %u", &a, &b, &n) != 3 || a != 0 || b != 0 || n != 4294967295U;
}

int sc_oci_rootless(const char *value, bool *rootless)
{
	if (!value || !strcmp(value, "auto"))
		*rootless = geteuid() != 0 || in_user_namespace();
	else if (!strcmp(value, "true") || !strcmp(value, "false"))
		*rootless = strcmp(value, "true") == 0;
	else
		return -EINVAL;
	return 0;
}

unsigned sc_oci_listen_fds(unsigned preserve_fds)
{
	const char *lf = getenv("LISTEN_FDS");
	uint64_t n;
	if (lf && sc_parse_u64(lf, &n) == 0 && n < 65536 && preserve_fds < n)
		return (unsigned)n;
	return preserve_fds;
}

int sc_oci_reserve_fds(unsigned n, struct sc_error *err)
{
	/* an fd at or above the soft limit is one no open() of ours can take */
	struct rlimit rl;
	unsigned end = 3U + n;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < end)
		end = rl.rlim_cur < 3 ? 3U : (unsigned)rl.rlim_cur;
	int null = -1;
	bool null_kept = false;   /* the /dev/null open landed in the range: a placeholder itself */
	int r = 0;
	/* 0-2 too: a caller that closed its stdin would otherwise give the container seclude's first file */
	for (unsigned fd = 0; fd < end; fd++) {
		if (fcntl((int)fd, F_GETFD) >= 0 || errno != EBADF)
			continue;   /* the caller's, as it is */
		if (null < 0) {
			/* the lowest free number: this one */
			if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
				r = sc_error_errno(err, -errno, "--preserve-fds: cannot open /dev/null");
				break;
			}
			if ((unsigned)null == fd) {
				null_kept = true;
				if (fcntl(null, F_SETFD, 0) < 0) {
					r = sc_error_errno(err, -errno, "--preserve-fds: fd %u", fd);
					break;
				}
				continue;
			}
		}
		/* dup2's copy has no FD_CLOEXEC: exec passes it on as the caller's would be */
		if (dup2(null, (int)fd) < 0) {
			r = sc_error_errno(err, -errno, "--preserve-fds: cannot hold fd %u open", fd);
			break;
		}
	}
	if (null >= 0 && !null_kept)
		close(null);
	return r;
}

int sc_oci_run(const struct sc_oci_create_opts *o, bool detach, int *exit_code, struct sc_error *err)
{
	*exit_code = 1;
	if (sc_oci_create(o, err) < 0)
		return -1;
	/* the container's pid: this process also has the denial monitor or agent helper as children */
	pid_t cpid = 0;
	char *st = NULL;
	if (sc_oci_state(o->root, o->id, &st, err) == 0) {
		json_t *j = json_loads(st, 0, NULL);
		cpid = (pid_t)json_integer_value(json_object_get(j, "pid"));
		json_decref(j);
	}
	free(st);
	int r = sc_oci_start(o->root, o->id, err);
	if (r < 0) {
		struct sc_error e2 = {0};
		sc_oci_delete(o->root, o->id, true, &e2);
		return r;
	}
	*exit_code = 0;
	if (detach)
		return 0;
	/* create ran in this process: the container's process is this one's child */
	int status = 0;
	pid_t pid;
	while ((pid = waitpid(cpid > 0 ? cpid : -1, &status, 0)) < 0 && errno == EINTR)
		;
	struct sc_error e2 = {0};
	sc_oci_delete(o->root, o->id, true, &e2);
	*exit_code = pid < 0 ? 1 : sc_exit_code_from_status(status);
	return 0;
}

int sc_oci_update_text(const char *root, const char *id, const char *text, size_t len, const char *origin,
		       struct sc_error *err)
{
	struct sc_oci_config *res = NULL;
	int r = sc_oci_resources_parse(text, len, origin, &res, err);
	if (r < 0)
		return r;
	r = sc_oci_update(root, id, res, err);
	sc_oci_config_free(res);
	return r;
}

int sc_oci_update_from(const char *root, const char *id, const char *file, struct sc_error *err)
{
	bool in = strcmp(file, "-") == 0;
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = in ? sc_read_fd(0, "<stdin>", 16 << 20, &text, &len, err)
		   : sc_read_file(file, 16 << 20, &text, &len, err);
	if (r < 0)
		return r;
	return sc_oci_update_text(root, id, text, len, in ? "<stdin>" : file, err);
}

int sc_oci_spec_write(const char *bundle, bool rootless, struct sc_error *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/config.json", bundle) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (access(path, F_OK) == 0)
		return sc_error_set(err, -EEXIST, "File %s exists. Remove it first", path);
	_cleanup_free_ char *text = sc_oci_default_spec(rootless);
	if (!text)
		return sc_error_set(err, -ENOMEM, "out of memory");
	FILE *f = fopen(path, "we");
	if (!f)
		return sc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	fprintf(f, "%s\n", text);
	if (fclose(f) != 0)
		return sc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	return 0;
}
