/* SPDX-License-Identifier: GPL-2.0-or-later */
/* docker run's options -> struct sc_spec, with what Docker adds (moby daemon/oci_linux.go). */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "seclude/docker.h"
#include "seclude/util.h"

/* A wrong value: the usage error the CLI shows with a pointer to --help. */
__attribute__((format(printf, 3, 4)))
static int usage(struct sc_docker_run *r, struct sc_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err) {
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		err->code = -EINVAL;
	}
	va_end(ap);
	r->usage = true;
	return -EINVAL;
}

static int oom(struct sc_error *err)
{
	return sc_error_set(err, -ENOMEM, "out of memory");
}

void sc_docker_run_free(struct sc_docker_run *r)
{
	for (size_t i = 0; i < r->n_mounts; i++) {
		free((char *)r->mounts[i].source);
		free((char *)r->mounts[i].target);
		free((char *)r->mounts[i].options);
	}
	free(r->mounts);
	sc_strv_free(r->env, r->n_env);
	free(r->rlimits);
	r->mounts = NULL;
	r->env = NULL;
	r->rlimits = NULL;
	r->n_mounts = r->n_env = r->n_rlimits = 0;
}

static int push_env(struct sc_docker_run *r, const char *kv, struct sc_error *err)
{
	char *copy = strdup(kv);
	char **nv = copy ? realloc(r->env, (r->n_env + 2) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(copy);
		return oom(err);
	}
	r->env = nv;
	r->env[r->n_env++] = copy;
	r->env[r->n_env] = NULL;
	return 0;
}

int sc_docker_env(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	if (!*arg || *arg == '=')
		return usage(r, err, "--env \"%s\": expected KEY[=VALUE]", arg);
	if (strchr(arg, '='))
		return push_env(r, arg, err);
	const char *v = getenv(arg);
	if (!v)
		return 0;
	_cleanup_free_ char *kv = NULL;
	if (asprintf(&kv, "%s=%s", arg, v) < 0)
		return oom(err);
	return push_env(r, kv, err);
}

int sc_docker_env_file(struct sc_docker_run *r, const char *path, struct sc_error *err)
{
	_cleanup_free_ char *text = NULL;
	int ret = sc_read_user_file(path, 1 << 20, &text, NULL, err);
	if (ret < 0)
		return ret;
	char *save = NULL;
	unsigned line = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		l[strcspn(l, "\r")] = '\0';
		while (*l == ' ' || *l == '\t')
			l++;
		if (!*l || *l == '#')
			continue;
		if (*l == '=')
			return sc_error_set(err, -EINVAL, "%s:%u: a variable without a name", path, line);
		ret = sc_docker_env(r, l, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * A relative path on -v or --tmpfs: from the current directory, "." and
 * ".." taken away as the shell would (no link is followed).  NULL when
 * out of memory or without a current directory.
 */
static char *from_cwd(const char *rel)
{
	_cleanup_free_ char *cwd = getcwd(NULL, 0);
	char *out = cwd ? malloc(strlen(cwd) + strlen(rel) + 2) : NULL;
	if (!out)
		return NULL;
	strcpy(out, strcmp(cwd, "/") ? cwd : "");
	size_t n = strlen(out);
	for (const char *p = rel; *p;) {
		size_t k = strcspn(p, "/");
		if (k == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[--n] != '/')
				;
		} else if (k > 0 && !(k == 1 && p[0] == '.')) {
			out[n++] = '/';
			memcpy(out + n, p, k);
			n += k;
		}
		out[n] = '\0';
		p += k + (p[k] == '/');
	}
	if (n == 0)
		strcpy(out, "/");
	return out;
}

static char *absolute(const char *path)
{
	return path[0] == '/' ? strdup(path) : from_cwd(path);
}

/* Takes the strings of m (freed on failure). */
static int push_mount(struct sc_docker_run *r, struct sc_mount m, const char *arg, struct sc_error *err)
{
	int ret = 0;
	if ((m.kind == SC_MOUNT_BIND && !m.source) || !m.target)
		ret = sc_error_set(err, -errno ? -errno : -ENOMEM, "cannot make \"%s\" absolute: %s", arg,
				   strerror(errno));
	else if (m.target[strspn(m.target, "/")] == '\0')   /* Docker: "'/' mount point is not permitted" */
		ret = usage(r, err, "%s \"%s\": the path inside cannot be /",
			    m.kind == SC_MOUNT_BIND ? "--volume" : "--tmpfs", arg);
	struct sc_mount *nv = ret ? NULL : realloc(r->mounts, (r->n_mounts + 1) * sizeof(*nv));
	if (!nv) {
		free((char *)m.source);
		free((char *)m.target);
		free((char *)m.options);
		return ret ? ret : oom(err);
	}
	r->mounts = nv;
	r->mounts[r->n_mounts++] = m;
	return 0;
}

int sc_docker_volume(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return oom(err);
	char *a = copy, *b = strchr(a, ':'), *c = NULL;
	if (b)
		*b++ = '\0';
	if (!b || !*a || !*b)
		return usage(r, err, "--volume \"%s\": expected HOST:PATH[:ro|rw]", arg);
	if ((c = strchr(b, ':')))
		*c++ = '\0';
	if (a[0] != '/' && a[0] != '.')
		return usage(r, err, "--volume \"%s\": the host path must be absolute "
			     "or start with . (named volumes need a daemon)", arg);
	if (c && strcmp(c, "ro") != 0 && strcmp(c, "rw") != 0)
		return usage(r, err, "--volume \"%s\": unknown mode \"%s\" (ro or rw)", arg, c);
	r->relative_target |= b[0] != '/';
	errno = 0;
	struct sc_mount m = {
		.kind = SC_MOUNT_BIND,
		.readonly = c && strcmp(c, "ro") == 0,
		.source = absolute(a),
		.target = absolute(b),
	};
	return push_mount(r, m, arg, err);
}

int sc_docker_tmpfs(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return oom(err);
	char *a = copy, *b = strchr(a, ':');
	if (b)
		*b++ = '\0';
	r->relative_target |= a[0] != '/';
	errno = 0;
	struct sc_mount m = {
		.kind = SC_MOUNT_TMPFS,
		.target = absolute(a),
		.options = b && *b ? strdup(b) : NULL,
	};
	return push_mount(r, m, arg, err);
}

static const struct { const char *name; int res; } ulimits[] = {
	{ "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA },
	{ "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
	{ "as", RLIMIT_AS },
};

static bool parse_limit(const char *s, rlim_t *out)
{
	uint64_t v;
	if (!strcmp(s, "unlimited") || !strcmp(s, "-1")) {
		*out = RLIM_INFINITY;
		return true;
	}
	if (sc_parse_u64(s, &v) < 0)
		return false;
	*out = (rlim_t)v;
	return true;
}

int sc_docker_ulimit(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return oom(err);
	char *eq = strchr(copy, '=');
	if (!eq)
		return usage(r, err, "--ulimit \"%s\": expected NAME=SOFT[:HARD]", arg);
	*eq++ = '\0';
	int res = -1;
	for (size_t i = 0; i < SC_ARRAY_SIZE(ulimits); i++)
		if (!strcmp(copy, ulimits[i].name))
			res = ulimits[i].res;
	if (res < 0)
		return usage(r, err, "--ulimit \"%s\": unknown limit \"%s\"", arg, copy);
	char *colon = strchr(eq, ':');
	if (colon)
		*colon++ = '\0';
	struct sc_rlimit rl = { .resource = res };
	if (!parse_limit(eq, &rl.soft) || (colon && !parse_limit(colon, &rl.hard)))
		return usage(r, err, "--ulimit \"%s\": a limit is a number or \"unlimited\"", arg);
	if (!colon)
		rl.hard = rl.soft;
	if (rl.soft > rl.hard)
		return usage(r, err, "--ulimit \"%s\": the soft limit is above the hard limit", arg);
	struct sc_rlimit *nv = realloc(r->rlimits, (r->n_rlimits + 1) * sizeof(*nv));
	if (!nv)
		return oom(err);
	r->rlimits = nv;
	r->rlimits[r->n_rlimits++] = rl;
	return 0;
}

static bool parse_bool(const char *s, bool *out)
{
	if (!s || !strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return true;
	}
	return false;
}

/* Whether AppArmor has loaded profile name (securityfs lists "NAME (MODE)"). */
static bool apparmor_loaded(const char *name)
{
	_cleanup_fclose_ FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
	char line[4096];
	size_t n = strlen(name);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && !strncmp(line + n, " (", 2))
			return true;
	return false;
}

/*
 * seclude applies no AppArmor profile, so one the user asks for is refused,
 * never dropped: Docker refuses a profile that is not loaded, and one that
 * is loaded would be a confinement silently missing.  "unconfined" asks for
 * none, which is what the sandbox has: accepted, as Docker accepts it.
 */
static int apparmor_opt(struct sc_docker_run *r, const char *val, struct sc_error *err)
{
	if (!val || !*val)
		return usage(r, err, "--security-opt apparmor needs a profile or \"unconfined\"");
	if (!strcmp(val, "unconfined"))
		return 0;
	_cleanup_fclose_ FILE *f = fopen("/sys/module/apparmor/parameters/enabled", "re");
	if (!f || fgetc(f) != 'Y')
		return sc_error_set(err, -EOPNOTSUPP, "--security-opt apparmor=%s: AppArmor is not enabled "
				    "on this host", val);
	if (!apparmor_loaded(val))
		return sc_error_set(err, -ENOENT, "--security-opt apparmor=%s: no such AppArmor profile "
				    "is loaded", val);
	return sc_error_set(err, -EOPNOTSUPP, "--security-opt apparmor=%s: seclude does not apply "
			    "AppArmor profiles; leave the option out or use apparmor=unconfined", val);
}

/* SELinux likewise: no label is applied, so only "disable" (ask for none) passes. */
static int label_opt(const char *val, struct sc_error *err)
{
	if (val && !strcmp(val, "disable"))
		return 0;
	return sc_error_set(err, -EOPNOTSUPP, "--security-opt label=%s: seclude does not apply SELinux "
			    "labels; only label=disable is accepted", val ? val : "");
}

int sc_docker_security_opt(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	/* Docker accepts "key=value" and the older "key:value" */
	size_t k = strcspn(arg, "=:");
	const char *val = arg[k] ? arg + k + 1 : NULL;
	if (!strncmp(arg, "seccomp", k) && k == 7) {
		if (!val || !*val)
			return usage(r, err, "--security-opt seccomp needs a profile or \"unconfined\"");
		r->seccomp = val;
		return 0;
	}
	if (!strncmp(arg, "no-new-privileges", k) && k == 17) {
		if (!parse_bool(val, &r->nnp))
			return usage(r, err, "--security-opt \"%s\": expected true or false", arg);
		return 0;
	}
	if (!strncmp(arg, "apparmor", k) && k == 8)
		return apparmor_opt(r, val, err);
	if (!strncmp(arg, "label", k) && k == 5)
		return label_opt(val, err);
	return usage(r, err, "unknown --security-opt \"%s\"", arg);
}

int sc_docker_host_or(struct sc_docker_run *r, const char *opt, const char *arg, const char *other,
		      bool *host, struct sc_error *err)
{
	if (!strcmp(arg, "host")) {
		*host = true;
		return 0;
	}
	if (other && !strcmp(arg, other)) {
		*host = false;
		return 0;
	}
	return usage(r, err, "--%s \"%s\": expected host%s%s", opt, arg, other ? " or " : "",
		     other ? other : "");
}

int sc_docker_userns(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	if (arg && !strcmp(arg, "subuid")) {
		if (geteuid() == 0)
			return usage(r, err, "--userns=subuid is for a user who is not root (root names the map: "
				     "--userns=INSIDE:OUTSIDE:COUNT)");
		r->userns_subuid = true;
		return 0;
	}
	r->userns_given = true;
	r->idmap = (struct sc_idmap){ 0, 100000, 65536 };
	if (!arg) {
		r->userns = true;
		return 0;
	}
	if (!strcmp(arg, "host")) {
		r->userns = false;
		if (geteuid() != 0)
			return usage(r, err, "--userns host needs root: a user who is not root runs in a user "
				     "namespace of their own");
		return 0;
	}
	unsigned a, b, c;
	char end;
	if (sscanf(arg, "%u:%u:%u%c", &a, &b, &c, &end) != 3 || c == 0)
		return usage(r, err, "--userns \"%s\": expected INSIDE:OUTSIDE:COUNT, host or subuid", arg);
	r->idmap = (struct sc_idmap){ a, b, c };
	r->userns = true;
	return 0;
}

int sc_docker_hostname(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	if (!*arg || strlen(arg) > 64)
		return usage(r, err, "--hostname must have 1 to 64 characters");
	r->hostname = arg;
	return 0;
}

int sc_docker_workdir(struct sc_docker_run *r, const char *arg, struct sc_error *err)
{
	if (arg[0] != '/')
		return usage(r, err, "--workdir \"%s\" must be an absolute path", arg);
	r->workdir = arg;
	return 0;
}

/* Whether a -v or --tmpfs already shows dir (is on it or above it). */
static bool mounted_over(const struct sc_spec *s, const char *dir)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		const char *t = s->mounts[i].target;
		size_t n = strlen(t);
		while (n > 1 && t[n - 1] == '/')
			n--;
		if (strncmp(dir, t, n) == 0 && (dir[n] == '/' || dir[n] == '\0' || n == 1))
			return true;
	}
	return false;
}

/*
 * Without --rootfs and -w the command starts where the caller stands, as
 * under bubblewrap and firejail.  Below the sandbox's own /tmp or /run
 * that directory is bound in, read-only like the rest of the tree (the
 * private directory itself stays private: its sockets stay out of reach);
 * -v .:. binds it writable instead.  First in the list: the volumes given
 * may lie below it.
 */
static int keep_cwd(struct sc_spec *s, const char *cwd, struct sc_error *err)
{
	if (!(s->process.cwd = strdup(cwd)))
		return oom(err);
	s->process.cwd_optional = true;
	const char *priv = sc_host_tree_private(cwd);
	if (!priv || strcmp(priv, cwd) == 0 || mounted_over(s, cwd))
		return 0;
	struct sc_mount m = { .kind = SC_MOUNT_BIND, .source = cwd, .target = cwd, .readonly = true };
	return sc_spec_insert_mount(s, 0, &m, err);
}

static int fill_process(const struct sc_docker_run *r, struct sc_spec *s, struct sc_error *err)
{
	struct sc_spec_process *p = &s->process;
	int ret = sc_spec_set_args(s, r->argv, err);
	if (ret < 0)
		return ret;
	/* Docker's environment first, then --env-file and -e in their order */
	_cleanup_free_ char *hostvar = NULL;
	if ((ret = sc_spec_env_set(s, "PATH=" SC_DEFAULT_PATH, err)) < 0)
		return ret;
	if (s->hostname && (asprintf(&hostvar, "HOSTNAME=%s", s->hostname) < 0 ||
			    sc_spec_env_set(s, hostvar, err) < 0))
		return oom(err);
	if (r->tty && (ret = sc_spec_env_set(s, "TERM=xterm", err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_env; i++)
		if ((ret = sc_spec_env_set(s, r->env[i], err)) < 0)
			return ret;
	if ((r->user && !(p->user = strdup(r->user))) || (r->workdir && !(p->cwd = strdup(r->workdir))))
		return oom(err);
	p->caps = r->caps;
	p->no_new_privs = r->nnp;
	for (size_t i = 0; i < r->n_rlimits; i++)
		if ((ret = sc_spec_add_rlimit(s, &r->rlimits[i], err)) < 0)
			return ret;
	p->terminal = r->tty;
	p->stdin_open = r->interactive;
	p->init = r->init;
	return 0;
}

static int fill_namespaces(const struct sc_docker_run *r, struct sc_spec *s, struct sc_error *err)
{
	unsigned ns = SC_NS_DOCKER;
	if (r->pid_host)
		ns &= ~SC_NS_PID;
	if (r->ipc_host)
		ns &= ~SC_NS_IPC;
	if (r->uts_host)
		ns &= ~SC_NS_UTS;
	if (r->net_host)
		ns &= ~SC_NS_NET;
	if (r->cgroupns_host)
		ns &= ~SC_NS_CGROUP;
	if (r->userns)
		ns |= SC_NS_USER;
	s->net = r->net_host ? SC_NET_HOST : SC_NET_NONE;
	if (geteuid() != 0 && !r->userns_given) {
		/*
		 * A user who is not root runs in a user namespace of their own,
		 * where they are root.  Their /etc/subuid range follows only
		 * when the run needs it (another --user, or --userns=subuid):
		 * newuidmap and newgidmap are two setuid programs to start on
		 * every run, the most costly step of a rootless start (see
		 * sc_rootless_wants_range).
		 */
		char tool[PATH_MAX];
		bool range = r->userns_subuid || sc_rootless_wants_range(r->user);
		struct passwd *pw = range ? getpwuid(geteuid()) : NULL;
		bool helpers = range && sc_idmap_helper("newuidmap", tool, sizeof(tool)) &&
			       sc_idmap_helper("newgidmap", tool, sizeof(tool));
		struct sc_idmap um[2], gm[2];
		size_t nu, ng;
		sc_rootless_idmaps(pw ? pw->pw_name : NULL, geteuid(), getegid(), "/etc/subuid", "/etc/subgid",
				   helpers, um, &nu, gm, &ng);
		const char *why = !helpers ? "newuidmap and newgidmap are missing (install uidmap)" :
					     "no range of yours in both /etc/subuid and /etc/subgid";
		if (r->userns_subuid && nu < 2)
			return sc_error_set(err, -ENOENT, "--userns=subuid: %s", why);
		if (range && nu < 2)
			return sc_error_set(err, -ENOENT, "--user %s: only your own id can be mapped "
					    "(to root inside): %s", r->user, why);
		s->namespaces = ns | SC_NS_USER;
		return sc_spec_set_idmaps(s, um, nu, gm, ng, err);
	}
	s->namespaces = ns;
	if (r->userns)
		return sc_spec_set_idmaps(s, &r->idmap, 1, &r->idmap, 1, err);
	return 0;
}

static int fill_hostname(const struct sc_docker_run *r, struct sc_spec *s, struct sc_error *err)
{
	if (r->uts_host)
		return 0;   /* the host's name stays */
	char host[256];
	if (r->hostname) {
		snprintf(host, sizeof(host), "%s", r->hostname);
	} else {
		/* Docker names the sandbox after its id, or after the host on the host's network */
		if (!r->net_host || gethostname(host, sizeof(host)) < 0)
			sc_random_hostname(host);
		host[sizeof(host) - 1] = '\0';
	}
	return (s->hostname = strdup(host)) ? 0 : oom(err);
}

static int fill_seccomp(const struct sc_docker_run *r, struct sc_spec *s, struct sc_diags *diags,
			struct sc_error *err)
{
	/* --privileged turns seccomp off unless a profile is named, as in Docker */
	bool confined = r->seccomp ? strcmp(r->seccomp, "unconfined") != 0 : !r->privileged;
	if (!confined || r->own_filter)
		return 0;
	const char *profile = r->seccomp ? r->seccomp : "default";
	if (!(s->seccomp.profile = strdup(profile)))
		return oom(err);
	const struct sc_filter_opts fo = { .caps = r->caps, .init = r->init, .complain = r->complain,
					   .keep_policy = r->keep_policy };
	int ret = sc_filter_for(profile, &fo, &s->seccomp.filter, diags, err);
	if (ret < 0)
		return ret;
	s->seccomp.confined = true;
	return 0;
}

static int fill(struct sc_docker_run *r, struct sc_spec *s, struct sc_diags *diags, struct sc_error *err)
{
	if (r->init && r->pid_host)
		return usage(r, err, "--init needs the sandbox's own pid namespace (not --pid host)");
	if (r->relative_target && r->rootfs)
		return usage(r, err, "a relative path inside (-v, --tmpfs) names a place in the host's "
			     "tree: give an absolute one with --rootfs");
	int ret = fill_seccomp(r, s, diags, err);
	if (ret < 0)
		return ret;
	if (r->rootfs && !(s->root.path = strdup(r->rootfs)))
		return oom(err);
	s->root.readonly = r->read_only;
	s->privileged = r->privileged;
	for (size_t i = 0; i < r->n_mounts; i++)
		if ((ret = sc_spec_add_mount(s, &r->mounts[i], err)) < 0)
			return ret;
	_cleanup_free_ char *cwd = NULL;
	if (!r->rootfs && !r->workdir && (cwd = getcwd(NULL, 0)) && (ret = keep_cwd(s, cwd, err)) < 0)
		return ret;
	/* after every other mount: runc applies maskedPaths and readonlyPaths last */
	if (!r->privileged && (ret = sc_spec_add_docker_masks(s, err)) < 0)
		return ret;
	if ((ret = fill_namespaces(r, s, err)) < 0 || (ret = fill_hostname(r, s, err)) < 0)
		return ret;
	return fill_process(r, s, err);
}

int sc_spec_from_docker(struct sc_docker_run *r, struct sc_spec *out, struct sc_diags *diags,
			struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	int ret = fill(r, out, diags, err);
	if (ret < 0)
		sc_spec_free(out);
	return ret;
}
