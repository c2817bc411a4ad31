/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude-runc: the OCI runtime command line engines call, in runc's
 * syntax (global flags first, then the verb; --flag value and --flag=value
 * alike).  Errors are runc's: the message on stderr (and, with --log, a
 * line in the log in --log-format text or json), exit status 1.  Nothing
 * is written to stderr on success: go-runc decodes stdout and stderr
 * together.
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "seclude/oci.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

struct globals {
	const char *root;
	const char *log;
	bool log_json;
	bool debug;
	bool systemd_cgroup;
	const char *log_denials;
	bool complain;
	const char *learn, *learn_for;
	char root_buf[4096];
};

static struct globals g;

static void log_line(const char *level, const char *msg)
{
	if (!g.log)
		return;
	FILE *f = fopen(g.log, "ae");
	if (!f)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[64];
	size_t k = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + k, sizeof(when) - k, ".%09ldZ", ts.tv_nsec);
	if (g.log_json) {
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

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line("error", msg);
	fprintf(stderr, "seclude-runc: %s\n", msg);
	return 1;
}

static int fail_err(const struct sc_error *err)
{
	return fail("%s", err->msg[0] ? err->msg : strerror(err->code ? -err->code : EINVAL));
}

/*
 * One option of a verb: "--name value", "--name=value", or a boolean
 * "--name" (also "--name=true|false").  Returns how many words it used
 * (0: not this option), or -1 when its value is missing.
 */
static int opt(char **argv, int argc, int i, const char *name, const char *alias, const char **value)
{
	const char *a = argv[i];
	size_t n = strlen(name);
	bool long_match = strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
	bool short_match = alias && strcmp(a, alias) == 0;
	if (!long_match && !short_match)
		return 0;
	if (!value)   /* a boolean */
		return 1;
	if (long_match && a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (i + 1 >= argc)
		return -1;
	*value = argv[i + 1];
	return 2;
}

static bool bool_opt(const char *a, const char *name, bool *out)
{
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return false;
	*out = a[n] == '\0' || strcmp(a + n + 1, "true") == 0;
	return true;
}

static const char *default_root(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (geteuid() != 0 && xdg && xdg[0]) {
		snprintf(g.root_buf, sizeof(g.root_buf), "%s/seclude-runc", xdg);
		return g.root_buf;
	}
	return "/run/seclude-runc";
}

/* ---- verbs ------------------------------------------------------------ */

struct verb_args {
	int argc;
	char **argv;
	const char *verb;
};

#define NEED_VALUE(vn, name) return fail("%s: flag needs an argument: %s", vn, name)

static int one_id(struct verb_args *v, const char **id, int first)
{
	if (first >= v->argc)
		return fail("%s: requires exactly 1 argument(s): the container id", v->verb);
	*id = v->argv[first];
	return 0;
}

static int parse_create(struct verb_args *v, struct sc_oci_create_opts *o, bool *detach)
{
	const char *id = NULL;
	for (int i = 1; i < v->argc; i++) {
		const char *a = v->argv[i];
		const char *val = NULL;
		int k;
		bool b;
		if ((k = opt(v->argv, v->argc, i, "--bundle", "-b", &val)) != 0) {
			if (k < 0)
				NEED_VALUE(v->verb, "--bundle");
			o->bundle = val;
		} else if ((k = opt(v->argv, v->argc, i, "--pid-file", NULL, &val)) != 0) {
			if (k < 0)
				NEED_VALUE(v->verb, "--pid-file");
			o->pid_file = val;
		} else if ((k = opt(v->argv, v->argc, i, "--console-socket", NULL, &val)) != 0) {
			if (k < 0)
				NEED_VALUE(v->verb, "--console-socket");
			o->console_socket = val;
		} else if ((k = opt(v->argv, v->argc, i, "--pidfd-socket", NULL, &val)) != 0) {
			if (k < 0)
				NEED_VALUE(v->verb, "--pidfd-socket");
			o->pidfd_socket = val;
		} else if ((k = opt(v->argv, v->argc, i, "--preserve-fds", NULL, &val)) != 0) {
			uint64_t n;
			if (k < 0)
				NEED_VALUE(v->verb, "--preserve-fds");
			if (sc_parse_u64(val, &n) < 0 || n > 65536)
				return fail("%s: invalid --preserve-fds %s", v->verb, val);
			o->preserve_fds = (unsigned)n;
		} else if (bool_opt(a, "--no-pivot", &b)) {
			o->no_pivot = b;
			k = 1;
		} else if (bool_opt(a, "--no-new-keyring", &b)) {
			o->no_new_keyring = b;
			k = 1;
		} else if (bool_opt(a, "--detach", &b) || !strcmp(a, "-d")) {
			*detach = !strcmp(a, "-d") || b;
			k = 1;
		} else if (bool_opt(a, "--keep", &b) || bool_opt(a, "--no-subreaper", &b)) {
			k = 1;
		} else if (a[0] == '-' && a[1]) {
			return fail("%s: flag provided but not defined: %s", v->verb, a);
		} else {
			if (id)
				return fail("%s: requires exactly 1 argument(s): the container id", v->verb);
			id = a;
			k = 1;
		}
		i += k - 1;
	}
	if (!id)
		return fail("%s: requires exactly 1 argument(s): the container id", v->verb);
	o->id = id;
	o->root = g.root;
	o->systemd_cgroup = g.systemd_cgroup;
	o->log_denials = g.log_denials;
	o->complain = g.complain;
	o->learn_dir = g.learn;
	o->learn_for = g.learn_for;
	/* LISTEN_FDS is passed on as runc passes it */
	const char *lf = getenv("LISTEN_FDS");
	uint64_t n;
	if (lf && sc_parse_u64(lf, &n) == 0 && n < 65536 && o->preserve_fds < n)
		o->preserve_fds = (unsigned)n;
	return 0;
}

static int verb_create(struct verb_args *v)
{
	struct sc_oci_create_opts o = {0};
	bool detach = false;
	if (parse_create(v, &o, &detach))
		return 1;
	struct sc_error err = {0};
	return sc_oci_create(&o, &err) < 0 ? fail_err(&err) : 0;
}

static int verb_run(struct verb_args *v)
{
	struct sc_oci_create_opts o = {0};
	bool detach = false;
	if (parse_create(v, &o, &detach))
		return 1;
	struct sc_error err = {0};
	if (sc_oci_create(&o, &err) < 0)
		return fail_err(&err);
	/* the container's pid: this process also has the denial monitor or agent helper as children */
	pid_t cpid = 0;
	char *st = NULL;
	if (sc_oci_state(g.root, o.id, &st, &err) == 0) {
		json_t *j = json_loads(st, 0, NULL);
		cpid = (pid_t)json_integer_value(json_object_get(j, "pid"));
		json_decref(j);
	}
	free(st);
	if (sc_oci_start(g.root, o.id, &err) < 0) {
		struct sc_error e2 = {0};
		sc_oci_delete(g.root, o.id, true, &e2);
		return fail_err(&err);
	}
	if (detach)
		return 0;
	/* create ran in this process: the container's process is this one's child */
	int status = 0;
	pid_t pid;
	while ((pid = waitpid(cpid > 0 ? cpid : -1, &status, 0)) < 0 && errno == EINTR)
		;
	sc_oci_delete(g.root, o.id, true, &err);
	return pid < 0 ? 1 : sc_exit_code_from_status(status);
}

static int verb_id_only(struct verb_args *v, int (*fn)(const char *, const char *, struct sc_error *))
{
	const char *id;
	if (v->argc != 2 || v->argv[1][0] == '-')
		return fail("%s: requires exactly 1 argument(s): the container id", v->verb);
	if (one_id(v, &id, 1))
		return 1;
	struct sc_error err = {0};
	return fn(g.root, id, &err) < 0 ? fail_err(&err) : 0;
}

static int verb_start(struct verb_args *v)
{
	return verb_id_only(v, sc_oci_start);
}

static int pause_fn(const char *root, const char *id, struct sc_error *err)
{
	return sc_oci_pause(root, id, true, err);
}

static int resume_fn(const char *root, const char *id, struct sc_error *err)
{
	return sc_oci_pause(root, id, false, err);
}

static int verb_pause(struct verb_args *v)
{
	return verb_id_only(v, pause_fn);
}

static int verb_resume(struct verb_args *v)
{
	return verb_id_only(v, resume_fn);
}

static int verb_state(struct verb_args *v)
{
	if (v->argc != 2)
		return fail("state: requires exactly 1 argument(s): the container id");
	struct sc_error err = {0};
	char *json = NULL;
	if (sc_oci_state(g.root, v->argv[1], &json, &err) < 0)
		return fail_err(&err);
	printf("%s\n", json);
	free(json);
	return 0;
}

static int verb_kill(struct verb_args *v)
{
	bool all = false;
	const char *pos[2] = { NULL, NULL };
	int np = 0;
	for (int i = 1; i < v->argc; i++) {
		const char *a = v->argv[i];
		bool b;
		if (bool_opt(a, "--all", &b))
			all = b;
		else if (!strcmp(a, "-a"))
			all = true;
		else if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9'))
			return fail("kill: flag provided but not defined: %s", a);
		else if (np < 2)
			pos[np++] = a;
		else
			return fail("kill: requires at most 2 argument(s): the container id and a signal");
	}
	if (!pos[0])
		return fail("kill: requires at least 1 argument(s): the container id");
	int sig = SIGTERM;
	if (pos[1] && (sig = sc_oci_signal_from_name(pos[1])) < 0)
		return fail("unknown signal \"%s\"", pos[1]);
	struct sc_error err = {0};
	return sc_oci_kill(g.root, pos[0], sig, all, &err) < 0 ? fail_err(&err) : 0;
}

static int verb_delete(struct verb_args *v)
{
	bool force = false;
	const char *id = NULL;
	for (int i = 1; i < v->argc; i++) {
		bool b;
		if (bool_opt(v->argv[i], "--force", &b))
			force = b;
		else if (!strcmp(v->argv[i], "-f"))
			force = true;
		else if (v->argv[i][0] == '-')
			return fail("delete: flag provided but not defined: %s", v->argv[i]);
		else
			id = v->argv[i];
	}
	if (!id)
		return fail("delete: requires exactly 1 argument(s): the container id");
	struct sc_error err = {0};
	return sc_oci_delete(g.root, id, force, &err) < 0 ? fail_err(&err) : 0;
}

static int verb_list(struct verb_args *v)
{
	bool json = false, quiet = false;
	for (int i = 1; i < v->argc; i++) {
		const char *val = NULL;
		int k = opt(v->argv, v->argc, i, "--format", "-f", &val);
		if (k < 0)
			NEED_VALUE("list", "--format");
		if (k > 0) {
			json = strcmp(val, "json") == 0;
			i += k - 1;
		} else if (!strcmp(v->argv[i], "-q") || !strcmp(v->argv[i], "--quiet")) {
			quiet = true;
		} else {
			return fail("list: flag provided but not defined: %s", v->argv[i]);
		}
	}
	struct sc_error err = {0};
	char **ids = NULL;
	size_t n = 0;
	if (sc_oci_list(g.root, &ids, &n, &err) < 0)
		return fail_err(&err);
	json_t *arr = json ? json_array() : NULL;
	if (!json && !quiet)
		printf("%-12s %-8s %-10s %-40s %-31s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		if (sc_oci_state(g.root, ids[i], &text, &err) < 0)
			continue;
		json_t *st = json_loads(text, 0, NULL);
		free(text);
		if (!st)
			continue;
		if (json) {
			json_array_append(arr, st);
		} else if (quiet) {
			printf("%s\n", ids[i]);
		} else {
			printf("%-12s %-8lld %-10s %-40s %-31s %s\n", ids[i],
			       (long long)json_integer_value(json_object_get(st, "pid")),
			       json_string_value(json_object_get(st, "status")),
			       json_string_value(json_object_get(st, "bundle")),
			       json_string_value(json_object_get(st, "created")),
			       json_string_value(json_object_get(st, "owner")));
		}
		json_decref(st);
	}
	if (json) {
		char *s = json_dumps(arr, JSON_COMPACT);
		printf("%s\n", s ? s : "[]");
		free(s);
		json_decref(arr);
	}
	sc_strv_free(ids, n);
	return 0;
}

static int verb_ps(struct verb_args *v)
{
	bool json = false;
	const char *id = NULL;
	for (int i = 1; i < v->argc; i++) {
		const char *val = NULL;
		int k = opt(v->argv, v->argc, i, "--format", "-f", &val);
		if (k < 0)
			NEED_VALUE("ps", "--format");
		if (k > 0) {
			json = strcmp(val, "json") == 0;
			i += k - 1;
		} else if (!id) {
			id = v->argv[i];
		} else {
			break;   /* ps(1) options after the id: the table is ours */
		}
	}
	if (!id)
		return fail("ps: requires at least 1 argument(s): the container id");
	struct sc_error err = {0};
	pid_t *pids = NULL;
	size_t n = 0;
	if (sc_oci_pids(g.root, id, &pids, &n, &err) < 0)
		return fail_err(&err);
	if (json) {
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		puts("]");
	} else {
		printf("UID        PID  CMD\n");
		for (size_t i = 0; i < n; i++) {
			char path[64], cmd[256] = "";
			snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
			FILE *f = fopen(path, "re");
			if (f) {
				if (fgets(cmd, sizeof(cmd), f))
					cmd[strcspn(cmd, "\n")] = '\0';
				fclose(f);
			}
			struct stat st;
			snprintf(path, sizeof(path), "/proc/%d", (int)pids[i]);
			unsigned uid = stat(path, &st) == 0 ? (unsigned)st.st_uid : 0;
			printf("%-8u %5d  %s\n", uid, (int)pids[i], cmd);
		}
	}
	free(pids);
	return 0;
}

static int verb_exec(struct verb_args *v)
{
	struct sc_oci_exec_opts o = { .root = g.root };
	char *envs[256];
	int i = 1;
	for (; i < v->argc && v->argv[i][0] == '-' && v->argv[i][1]; i++) {
		const char *a = v->argv[i], *val = NULL;
		int k;
		bool b;
		if ((k = opt(v->argv, v->argc, i, "--process", "-p", &val)) != 0) {
			o.process = val;
		} else if ((k = opt(v->argv, v->argc, i, "--pid-file", NULL, &val)) != 0) {
			o.pid_file = val;
		} else if ((k = opt(v->argv, v->argc, i, "--console-socket", NULL, &val)) != 0) {
			o.console_socket = val;
		} else if ((k = opt(v->argv, v->argc, i, "--cwd", NULL, &val)) != 0) {
			o.cwd = val;
		} else if ((k = opt(v->argv, v->argc, i, "--user", "-u", &val)) != 0) {
			o.user = val;
		} else if ((k = opt(v->argv, v->argc, i, "--env", "-e", &val)) != 0) {
			if (k > 0 && o.n_env < SC_ARRAY_SIZE(envs))
				envs[o.n_env++] = (char *)val;
		} else if ((k = opt(v->argv, v->argc, i, "--preserve-fds", NULL, &val)) != 0) {
			uint64_t n;
			if (k > 0 && (sc_parse_u64(val, &n) < 0 || n > 65536))
				return fail("exec: invalid --preserve-fds %s", val);
			if (k > 0)
				o.preserve_fds = (unsigned)n;
		} else if ((k = opt(v->argv, v->argc, i, "--pidfd-socket", NULL, &val)) != 0 ||
			   (k = opt(v->argv, v->argc, i, "--process-label", NULL, &val)) != 0 ||
			   (k = opt(v->argv, v->argc, i, "--apparmor", NULL, &val)) != 0 ||
			   (k = opt(v->argv, v->argc, i, "--cap", "-c", &val)) != 0 ||
			   (k = opt(v->argv, v->argc, i, "--additional-gids", "-g", &val)) != 0 ||
			   (k = opt(v->argv, v->argc, i, "--cgroup", NULL, &val)) != 0) {
			/* accepted; not honoured yet */
		} else if (bool_opt(a, "--detach", &b) || !strcmp(a, "-d")) {
			o.detach = !strcmp(a, "-d") || b;
			k = 1;
		} else if (bool_opt(a, "--tty", &b) || !strcmp(a, "-t")) {
			o.tty = !strcmp(a, "-t") || b;
			k = 1;
		} else if (bool_opt(a, "--no-new-privs", &b) || bool_opt(a, "--ignore-paused", &b)) {
			k = 1;
		} else {
			return fail("exec: flag provided but not defined: %s", a);
		}
		if (k < 0)
			return fail("exec: flag needs an argument: %s", a);
		i += k - 1;
	}
	if (i >= v->argc)
		return fail("exec: requires at least 1 argument(s): the container id");
	o.id = v->argv[i++];
	o.env = envs;
	if (!o.process)
		o.args = v->argv + i;
	struct sc_error err = {0};
	int code;
	if (sc_oci_exec(&o, &code, &err) < 0)
		return fail_err(&err);
	return code;
}

static int verb_update(struct verb_args *v)
{
	const char *file = NULL, *id = NULL;
	for (int i = 1; i < v->argc; i++) {
		const char *val = NULL;
		int k = opt(v->argv, v->argc, i, "--resources", "-r", &val);
		if (k < 0)
			NEED_VALUE("update", "--resources");
		if (k > 0) {
			file = val;
			i += k - 1;
		} else if (v->argv[i][0] == '-' && v->argv[i][1]) {
			return fail("update: only --resources FILE|- is supported, not %s", v->argv[i]);
		} else {
			id = v->argv[i];
		}
	}
	if (!id || !file)
		return fail("update: requires --resources FILE|- and the container id");
	struct sc_error err = {0};
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = strcmp(file, "-") == 0 ? sc_read_fd(0, "<stdin>", 16 << 20, &text, &len, &err)
				       : sc_read_file(file, 16 << 20, &text, &len, &err);
	if (r < 0)
		return fail_err(&err);
	struct sc_cgroup_limits l = {0};
	if (sc_oci_resources_parse(text, len, strcmp(file, "-") ? file : "<stdin>", &l, &err) < 0)
		return fail_err(&err);
	r = sc_oci_update(g.root, id, &l, &err);
	sc_limits_free(&l);
	return r < 0 ? fail_err(&err) : 0;
}

static int verb_spec(struct verb_args *v)
{
	bool rootless = false;
	const char *bundle = ".";
	for (int i = 1; i < v->argc; i++) {
		const char *val = NULL;
		int k = opt(v->argv, v->argc, i, "--bundle", "-b", &val);
		if (k < 0)
			NEED_VALUE("spec", "--bundle");
		if (k > 0) {
			bundle = val;
			i += k - 1;
		} else if (!bool_opt(v->argv[i], "--rootless", &rootless)) {
			return fail("spec: flag provided but not defined: %s", v->argv[i]);
		}
	}
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/config.json", bundle) < 0)
		return fail("out of memory");
	if (access(path, F_OK) == 0)
		return fail("File %s exists. Remove it first", path);
	_cleanup_free_ char *text = sc_oci_default_spec(rootless);
	if (!text)
		return fail("out of memory");
	FILE *f = fopen(path, "we");
	if (!f)
		return fail("%s: %s", path, strerror(errno));
	fprintf(f, "%s\n", text);
	if (fclose(f) != 0)
		return fail("%s: %s", path, strerror(errno));
	return 0;
}

static int verb_features(struct verb_args *v)
{
	(void)v;
	printf("{\n"
	       "  \"ociVersionMin\": \"1.0.0\",\n"
	       "  \"ociVersionMax\": \"%s\",\n"
	       "  \"hooks\": [\"prestart\", \"createRuntime\", \"createContainer\", \"poststart\", \"poststop\"],\n"
	       "  \"mountOptions\": [\"bind\", \"rbind\", \"ro\", \"rw\", \"nosuid\", \"nodev\", \"noexec\"],\n"
	       "  \"linux\": {\n"
	       "    \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"user\", \"uts\"],\n"
	       "    \"capabilities\": [],\n"
	       "    \"cgroup\": { \"v1\": true, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
	       "    \"seccomp\": {\n"
	       "      \"enabled\": true,\n"
	       "      \"actions\": [\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", "
	       "\"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_LOG\", \"SCMP_ACT_TRACE\", "
	       "\"SCMP_ACT_TRAP\", \"SCMP_ACT_NOTIFY\"],\n"
	       "      \"operators\": [\"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", \"SCMP_CMP_GT\", \"SCMP_CMP_LE\", "
	       "\"SCMP_CMP_LT\", \"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\"],\n"
	       "      \"knownFlags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
	       "\"SECCOMP_FILTER_FLAG_LOG\"],\n"
	       "      \"supportedFlags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
	       "\"SECCOMP_FILTER_FLAG_LOG\"]\n"
	       "    },\n"
	       "    \"apparmor\": { \"enabled\": false },\n"
	       "    \"selinux\": { \"enabled\": false }\n"
	       "  },\n"
	       "  \"annotations\": {\n"
	       "    \"io.github.seccomp.libseccomp.version\": \"%u.%u.%u\"\n"
	       "  }\n"
	       "}\n", SC_OCI_VERSION, seccomp_version()->major, seccomp_version()->minor,
	       seccomp_version()->micro);
	return 0;
}

static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();
	printf("seclude-runc version %s\n"
	       "commit: seclude-%s\n"
	       "spec: %s\n"
	       "libseccomp: %u.%u.%u\n", SECLUDE_VERSION, SECLUDE_VERSION, SC_OCI_VERSION,
	       v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
}

static void print_help(FILE *out)
{
	fputs("Usage: seclude-runc [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARG...]\n"
	      "\n"
	      "seclude as an OCI runtime, with runc's command line, for Docker, Podman\n"
	      "and containerd.\n"
	      "\n"
	      "Commands:\n"
	      "  create   create a container held before its command (--bundle, --pid-file,\n"
	      "           --console-socket, --pidfd-socket, --preserve-fds)\n"
	      "  start    run the command of a created container\n"
	      "  run      create, start and wait\n"
	      "  state    the container's state as JSON\n"
	      "  kill     send a signal (number or name) to the container [--all]\n"
	      "  delete   remove a container [--force]\n"
	      "  exec     run a process in a running container (--process F, --detach,\n"
	      "           --pid-file, --console-socket, --tty, --cwd, --env, --user)\n"
	      "  update   --resources FILE|- (a LinuxResources JSON object) ID\n"
	      "  pause, resume, ps [--format json|table], list [--format json|table]\n"
	      "  spec     write a default config.json [--rootless] [--bundle]\n"
	      "  features what this runtime supports, as JSON\n"
	      "\n"
	      "Global options:\n"
	      "  --root DIR            where container records live (default /run/seclude-runc)\n"
	      "  --log FILE            append errors to FILE\n"
	      "  --log-format FORMAT   text or json\n"
	      "  --debug, --systemd-cgroup, --rootless[=true|false|auto]\n"
	      "  --log-denials FILE    name every refused system call, with its errno, in FILE\n"
	      "  --complain            report what the profile would refuse, refuse nothing\n"
	      "  --learn DIR           learn each container's profile into DIR/ID.json\n"
	      "  --learn-for RUNTIME   the runtime it is for (seclude learn --for; default docker)\n"
	      "  -v, --version         the version and the runtime-spec version\n", out);
}

static const struct {
	const char *name;
	int (*fn)(struct verb_args *);
} verbs[] = {
	{ "create", verb_create }, { "start", verb_start }, { "run", verb_run }, { "state", verb_state },
	{ "kill", verb_kill }, { "delete", verb_delete }, { "list", verb_list }, { "ps", verb_ps },
	{ "pause", verb_pause }, { "resume", verb_resume }, { "spec", verb_spec },
	{ "features", verb_features }, { "exec", verb_exec }, { "update", verb_update },
};

int cli_runc_main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *val = NULL;
		int k;
		bool b;
		if ((k = opt(argv, argc, i, "--root", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: --root");
			g.root = val;
		} else if ((k = opt(argv, argc, i, "--log", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: --log");
			g.log = val;
		} else if ((k = opt(argv, argc, i, "--log-format", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: --log-format");
			if (strcmp(val, "json") && strcmp(val, "text"))
				return fail("invalid log-format: %s", val);
			g.log_json = strcmp(val, "json") == 0;
		} else if ((k = opt(argv, argc, i, "--log-denials", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: --log-denials");
			g.log_denials = val;
		} else if ((k = opt(argv, argc, i, "--learn", NULL, &val)) != 0 ||
			   (k = opt(argv, argc, i, "--learn-for", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: %s", a);
			*(strncmp(a, "--learn-for", 11) ? &g.learn : &g.learn_for) = val;
		} else if ((k = opt(argv, argc, i, "--criu", NULL, &val)) != 0) {
			if (k < 0)
				return fail("flag needs an argument: --criu");
		} else if (!strncmp(a, "--rootless", 10) && (a[10] == '\0' || a[10] == '=')) {
			/* "--rootless VALUE" takes the next word only when it is one of the values */
			k = 1;
			if (!a[10] && i + 1 < argc && (!strcmp(argv[i + 1], "true") || !strcmp(argv[i + 1], "false") ||
						       !strcmp(argv[i + 1], "auto")))
				k = 2;
		} else if (bool_opt(a, "--debug", &b)) {
			g.debug = b;
			k = 1;
		} else if (bool_opt(a, "--systemd-cgroup", &b)) {
			g.systemd_cgroup = b;
			k = 1;
		} else if (bool_opt(a, "--complain", &b)) {
			g.complain = b;
			k = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
			print_version();
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			return 0;
		} else {
			return fail("flag provided but not defined: %s", a);
		}
		i += k - 1;
	}
	if (!g.root)
		g.root = default_root();
	if (i >= argc) {
		print_help(stderr);
		return 1;
	}
	const char *verb = argv[i];
	if (!strcmp(verb, "help")) {
		print_help(stdout);
		return 0;
	}
	if (!strcmp(verb, "version")) {
		print_version();
		return 0;
	}
	for (size_t k = 0; k < SC_ARRAY_SIZE(verbs); k++)
		if (!strcmp(verbs[k].name, verb)) {
			struct verb_args v = { .argc = argc - i, .argv = argv + i, .verb = verb };
			return verbs[k].fn(&v);
		}
	return fail("No help topic for '%s'", verb);
}
