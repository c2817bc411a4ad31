/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude run: Docker's `docker run` options, turned into a sandbox config. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "run.h"
#include "run_denials.h"
#include "run_resources.h"
#include "seclude/caps.h"
#include "seclude/filter.h"
#include "seclude/sandbox.h"
#include "seclude/util.h"

static void usage(void)
{
	fputs("Usage: seclude run [OPTIONS] [--] COMMAND [ARG...]\n"
	      "\n"
	      "Run COMMAND confined as Docker would confine it: Docker's default seccomp\n"
	      "profile, its 14 capabilities, new pid, mount, uts, ipc, network and cgroup\n"
	      "namespaces.  Without --rootfs the command sees the host's tree read-only,\n"
	      "with a private /tmp and /run, a fresh /proc and a minimal /dev, and starts\n"
	      "in the current directory (shown even under /tmp; -v .:. makes it writable).\n"
	      "\n"
	      "Options:\n"
	      "      --security-opt seccomp=PROFILE|unconfined\n"
	      "                         the seccomp profile (default: Docker's, built in)\n"
	      "      --security-opt no-new-privileges[=true|false]\n"
	      "                         forbid gaining privileges through execve (setuid, file caps)\n"
	      "      --security-opt apparmor=unconfined, --security-opt label=disable\n"
	      "                         accepted as Docker accepts them; no AppArmor profile or\n"
	      "                         SELinux label is applied, so any other value is an error\n"
	      CLI_CAP_HELP
	      "      --rootfs DIR       pivot_root into DIR (/proc, /dev, /sys mounted as Docker does)\n"
	      "  -v, --volume HOST:PATH[:ro|rw]\n"
	      "                         bind mount a host file or directory; a path starting\n"
	      "                         with . is from the current directory (PATH too, without\n"
	      "                         --rootfs): -v .:. the current directory, writable\n"
	      "      --tmpfs PATH[:OPTIONS]\n"
	      "                         mount a tmpfs (nosuid,nodev,noexec)\n"
	      "      --read-only        mount the root filesystem read-only\n"
	      "  -h, --hostname NAME    the host name inside (default: 12 random hex digits)\n"
	      "      --network none|host\n"
	      "                         none (default): a network namespace with loopback up\n"
	      "      --pid host, --ipc host, --uts host, --cgroupns host|private\n"
	      "                         share that namespace with the host\n"
	      "      --userns[=INSIDE:OUTSIDE:COUNT]\n"
	      "                         a user namespace: root inside, unprivileged outside\n"
	      "                         (default map 0:100000:65536); --userns=host: none\n"
	      "  -u, --user USER[:GROUP] run as USER (name or uid, from the sandbox's /etc/passwd)\n"
	      "  -w, --workdir DIR      the working directory (created when missing); default:\n"
	      "                         the current one without --rootfs, / with it\n"
	      "  -e, --env KEY[=VALUE]  set a variable (KEY alone: the value seclude sees)\n"
	      "      --env-file FILE    read KEY=VALUE lines\n"
	      "      --ulimit NAME=SOFT[:HARD]\n"
	      "                         a resource limit (nofile, nproc, core, stack, ...)\n"
	      "  -i, --interactive      pass stdin through (otherwise /dev/null)\n"
	      "  -t, --tty              run on a new pseudo-terminal\n"
	      "      --init             run seclude's init as pid 1: reaps zombies, forwards signals\n"
	      "      --help             show this help\n"
	      "\n"
	      "Resources and named sandboxes (each sandbox has a cgroup of its own; see ps,\n"
	      "stop, exec):\n", stdout);
	cli_run_resources_help(stdout);
	fputs("\nDenials (what the profile refuses, named as it happens):\n" CLI_RUN_DENIALS_HELP, stdout);
	fputs(""
	      "\n"
	      "Exit status: the command's; 128+N when signal N ended it (159: killed by\n"
	      "seccomp); 125 when seclude failed; 126 when the command cannot be executed;\n"
	      "127 when it is not found.\n", stdout);
}

enum {
	OPT_SECURITY = CLI_OPT_FIRST_FREE,
	OPT_ROOTFS, OPT_TMPFS, OPT_READ_ONLY, OPT_NETWORK, OPT_PID, OPT_IPC, OPT_UTS,
	OPT_CGROUPNS, OPT_USERNS, OPT_ENV_FILE, OPT_ULIMIT, OPT_INIT, OPT_HELP,
};

const struct option cli_run_longopts[] = {
	CLI_CAP_LONGOPTS,
	{ "security-opt", required_argument, NULL, OPT_SECURITY },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "volume", required_argument, NULL, 'v' },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "hostname", required_argument, NULL, 'h' },
	{ "network", required_argument, NULL, OPT_NETWORK },
	{ "net", required_argument, NULL, OPT_NETWORK },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "ipc", required_argument, NULL, OPT_IPC },
	{ "uts", required_argument, NULL, OPT_UTS },
	{ "cgroupns", required_argument, NULL, OPT_CGROUPNS },
	{ "userns", optional_argument, NULL, OPT_USERNS },
	{ "user", required_argument, NULL, 'u' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "env", required_argument, NULL, 'e' },
	{ "env-file", required_argument, NULL, OPT_ENV_FILE },
	{ "ulimit", required_argument, NULL, OPT_ULIMIT },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "init", no_argument, NULL, OPT_INIT },
	CLI_RUN_RESOURCES_LONGOPTS,
	CLI_RUN_DENIALS_LONGOPTS,
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct run_opts {
	struct cli_caps caps;
	const char *seccomp;          /* NULL: default; "unconfined" */
	bool nnp;
	const char *rootfs;
	struct sc_mount *mounts;
	size_t n_mounts;
	bool read_only;
	const char *hostname;
	bool net_host, pid_host, ipc_host, uts_host, cgroupns_host;
	bool userns;
	bool userns_given;            /* --userns on the command line */
	struct sc_idmap idmap;
	const char *user, *workdir;
	bool relative_target;         /* a -v or --tmpfs path inside given from the current directory */
	char **env;
	size_t n_env;
	struct sc_rlimit *rlimits;
	size_t n_rlimits;
	bool interactive, tty, init;
	struct cli_run_resources res;
	struct cli_run_denials denials;
	bool resources_given;         /* limits, --name, -d or --cgroup-parent */
};

static void run_opts_free(struct run_opts *o)
{
	cli_caps_free(&o->caps);
	cli_run_resources_free(&o->res);
	cli_run_denials_free(&o->denials);
	for (size_t i = 0; i < o->n_mounts; i++) {
		free((char *)o->mounts[i].source);
		free((char *)o->mounts[i].target);
		free((char *)o->mounts[i].options);
	}
	free(o->mounts);
	sc_strv_free(o->env, o->n_env);
	free(o->rlimits);
}

static bool push_env(struct run_opts *o, const char *kv)
{
	/* a later value for the same key replaces the earlier one, as in Docker */
	size_t klen = strcspn(kv, "=");
	char *copy = strdup(kv);
	if (!copy)
		return false;
	for (size_t i = 0; i < o->n_env; i++)
		if (strncmp(o->env[i], kv, klen) == 0 && o->env[i][klen] == '=') {
			free(o->env[i]);
			o->env[i] = copy;
			return true;
		}
	char **nv = realloc(o->env, (o->n_env + 2) * sizeof(*nv));
	if (!nv) {
		free(copy);
		return false;
	}
	o->env = nv;
	o->env[o->n_env++] = copy;
	o->env[o->n_env] = NULL;
	return true;
}

/* "-e KEY=VALUE", or "-e KEY" taking seclude's own value (dropped when unset, as Docker does). */
static int add_env(struct run_opts *o, const char *arg)
{
	if (!*arg || *arg == '=')
		return cli_usage_error("run", "--env \"%s\": expected KEY[=VALUE]", arg);
	if (strchr(arg, '='))
		return push_env(o, arg) ? 0 : -ENOMEM;
	const char *v = getenv(arg);
	if (!v)
		return 0;
	_cleanup_free_ char *kv = NULL;
	if (asprintf(&kv, "%s=%s", arg, v) < 0)
		return -ENOMEM;
	return push_env(o, kv) ? 0 : -ENOMEM;
}

static int add_env_file(struct run_opts *o, const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct sc_error err = {0};
	if (sc_read_user_file(path, 1 << 20, &text, NULL, &err) < 0)
		return cli_fail(&err);
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
			return cli_failf("%s:%u: a variable without a name", path, line);
		int r = add_env(o, l);
		if (r != 0)
			return r < 0 ? cli_failf("out of memory") : r;
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

static int add_mount(struct run_opts *o, enum sc_mount_kind kind, const char *arg)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return cli_failf("out of memory");
	struct sc_mount m = { .kind = kind };
	char *a = copy, *b = strchr(a, ':'), *c = NULL;
	if (b)
		*b++ = '\0';
	if (kind == SC_MOUNT_BIND) {
		if (!b || !*a || !*b)
			return cli_usage_error("run", "--volume \"%s\": expected HOST:PATH[:ro|rw]", arg);
		if ((c = strchr(b, ':')))
			*c++ = '\0';
		if (a[0] != '/' && a[0] != '.')
			return cli_usage_error("run", "--volume \"%s\": the host path must be absolute "
					       "or start with . (named volumes need a daemon)", arg);
		if (c && strcmp(c, "ro") != 0 && strcmp(c, "rw") != 0)
			return cli_usage_error("run", "--volume \"%s\": unknown mode \"%s\" (ro or rw)", arg, c);
		m.readonly = c && strcmp(c, "ro") == 0;
		m.source = a[0] == '/' ? strdup(a) : from_cwd(a);
		m.target = b[0] == '/' ? strdup(b) : from_cwd(b);
		o->relative_target |= b[0] != '/';
	} else {
		m.target = a[0] == '/' ? strdup(a) : from_cwd(a);
		m.options = b && *b ? strdup(b) : NULL;
		o->relative_target |= a[0] != '/';
	}
	int r = 0;
	if ((kind == SC_MOUNT_BIND && !m.source) || !m.target)
		r = cli_failf("cannot make \"%s\" absolute: %s", arg, strerror(errno));
	else if (m.target[strspn(m.target, "/")] == '\0')   /* Docker: "'/' mount point is not permitted" */
		r = cli_usage_error("run", "%s \"%s\": the path inside cannot be /",
				    kind == SC_MOUNT_BIND ? "--volume" : "--tmpfs", arg);
	struct sc_mount *nv = r ? NULL : realloc(o->mounts, (o->n_mounts + 1) * sizeof(*nv));
	if (!nv) {
		free((char *)m.source);
		free((char *)m.target);
		free((char *)m.options);
		return r ? r : cli_failf("out of memory");
	}
	o->mounts = nv;
	o->mounts[o->n_mounts++] = m;
	return 0;
}

/* Whether a -v or --tmpfs already shows dir (is on it or above it). */
static bool mounted_over(const struct run_opts *o, const char *dir)
{
	for (size_t i = 0; i < o->n_mounts; i++) {
		const char *t = o->mounts[i].target;
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
 * -v .:. binds it writable instead.
 */
static int keep_cwd(struct run_opts *o, const char *cwd)
{
	o->workdir = cwd;
	const char *priv = sc_host_tree_private(cwd);
	if (!priv || strcmp(priv, cwd) == 0 || mounted_over(o, cwd))
		return 0;
	struct sc_mount m = { .kind = SC_MOUNT_BIND, .source = strdup(cwd), .target = strdup(cwd),
			      .readonly = true };
	struct sc_mount *nv = realloc(o->mounts, (o->n_mounts + 1) * sizeof(*nv));
	if (!nv || !m.source || !m.target) {
		free((char *)m.source);
		free((char *)m.target);
		if (nv)
			o->mounts = nv;
		return cli_failf("out of memory");
	}
	/* first: the volumes given may lie below it */
	memmove(nv + 1, nv, o->n_mounts * sizeof(*nv));
	nv[0] = m;
	o->mounts = nv;
	o->n_mounts++;
	return 0;
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

static int add_ulimit(struct run_opts *o, const char *arg)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return cli_failf("out of memory");
	char *eq = strchr(copy, '=');
	if (!eq)
		return cli_usage_error("run", "--ulimit \"%s\": expected NAME=SOFT[:HARD]", arg);
	*eq++ = '\0';
	int res = -1;
	for (size_t i = 0; i < SC_ARRAY_SIZE(ulimits); i++)
		if (!strcmp(copy, ulimits[i].name))
			res = ulimits[i].res;
	if (res < 0)
		return cli_usage_error("run", "--ulimit \"%s\": unknown limit \"%s\"", arg, copy);
	char *colon = strchr(eq, ':');
	if (colon)
		*colon++ = '\0';
	struct sc_rlimit rl = { .resource = res };
	if (!parse_limit(eq, &rl.soft) || (colon && !parse_limit(colon, &rl.hard)))
		return cli_usage_error("run", "--ulimit \"%s\": a limit is a number or \"unlimited\"", arg);
	if (!colon)
		rl.hard = rl.soft;
	if (rl.soft > rl.hard)
		return cli_usage_error("run", "--ulimit \"%s\": the soft limit is above the hard limit", arg);
	struct sc_rlimit *nv = realloc(o->rlimits, (o->n_rlimits + 1) * sizeof(*nv));
	if (!nv)
		return cli_failf("out of memory");
	o->rlimits = nv;
	o->rlimits[o->n_rlimits++] = rl;
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
static int apparmor_opt(const char *val)
{
	if (!val || !*val)
		return cli_usage_error("run", "--security-opt apparmor needs a profile or \"unconfined\"");
	if (!strcmp(val, "unconfined"))
		return 0;
	_cleanup_fclose_ FILE *f = fopen("/sys/module/apparmor/parameters/enabled", "re");
	if (!f || fgetc(f) != 'Y')
		return cli_failf("--security-opt apparmor=%s: AppArmor is not enabled on this host", val);
	if (!apparmor_loaded(val))
		return cli_failf("--security-opt apparmor=%s: no such AppArmor profile is loaded", val);
	return cli_failf("--security-opt apparmor=%s: seclude does not apply AppArmor profiles; "
			 "leave the option out or use apparmor=unconfined", val);
}

/* SELinux likewise: no label is applied, so only "disable" (ask for none) passes. */
static int label_opt(const char *val)
{
	if (val && !strcmp(val, "disable"))
		return 0;
	return cli_failf("--security-opt label=%s: seclude does not apply SELinux labels; "
			 "only label=disable is accepted", val ? val : "");
}

static int security_opt(struct run_opts *o, const char *arg)
{
	/* Docker accepts "key=value" and the older "key:value" */
	size_t k = strcspn(arg, "=:");
	const char *val = arg[k] ? arg + k + 1 : NULL;
	if (!strncmp(arg, "seccomp", k) && k == 7) {
		if (!val || !*val)
			return cli_usage_error("run", "--security-opt seccomp needs a profile or \"unconfined\"");
		o->seccomp = val;
		return 0;
	}
	if (!strncmp(arg, "no-new-privileges", k) && k == 17) {
		if (!parse_bool(val, &o->nnp))
			return cli_usage_error("run", "--security-opt \"%s\": expected true or false", arg);
		return 0;
	}
	if (!strncmp(arg, "apparmor", k) && k == 8)
		return apparmor_opt(val);
	if (!strncmp(arg, "label", k) && k == 5)
		return label_opt(val);
	return cli_usage_error("run", "unknown --security-opt \"%s\"", arg);
}

static int host_or(const char *opt, const char *arg, const char *other, bool *host)
{
	if (!strcmp(arg, "host")) {
		*host = true;
		return 0;
	}
	if (other && !strcmp(arg, other)) {
		*host = false;
		return 0;
	}
	return cli_usage_error("run", "--%s \"%s\": expected host%s%s", opt, arg,
			       other ? " or " : "", other ? other : "");
}

static int parse_userns(struct run_opts *o, const char *arg)
{
	o->userns_given = true;
	o->idmap = (struct sc_idmap){ 0, 100000, 65536 };
	if (!arg) {
		o->userns = true;
		return 0;
	}
	if (!strcmp(arg, "host")) {
		o->userns = false;
		return 0;
	}
	unsigned a, b, c;
	char end;
	if (sscanf(arg, "%u:%u:%u%c", &a, &b, &c, &end) != 3 || c == 0)
		return cli_usage_error("run", "--userns \"%s\": expected INSIDE:OUTSIDE:COUNT or host", arg);
	o->idmap = (struct sc_idmap){ a, b, c };
	o->userns = true;
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o, int *cmd_index)
{
	int opt, r;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, CLI_RUN_SHORTOPTS, cli_run_longopts, NULL)) != -1) {
		if (cli_caps_option(&o->caps, opt, optarg))
			continue;
		if (cli_run_resources_option(&o->res, opt, optarg, &r)) {
			if (r)
				return r;
			o->resources_given |= opt != CLI_OPT_RUN_RM;
			continue;
		}
		if (cli_run_denials_option(&o->denials, opt, optarg, &r)) {
			if (r)
				return r;
			continue;
		}
		r = 0;
		switch (opt) {
		case OPT_HELP: usage(); return -1;
		case OPT_SECURITY: r = security_opt(o, optarg); break;
		case OPT_ROOTFS: o->rootfs = optarg; break;
		case 'v': r = add_mount(o, SC_MOUNT_BIND, optarg); break;
		case OPT_TMPFS: r = add_mount(o, SC_MOUNT_TMPFS, optarg); break;
		case OPT_READ_ONLY: o->read_only = true; break;
		case 'h':
			if (!*optarg || strlen(optarg) > 64)
				return cli_usage_error("run", "--hostname must have 1 to 64 characters");
			o->hostname = optarg;
			break;
		case OPT_NETWORK: r = host_or("network", optarg, "none", &o->net_host); break;
		case OPT_PID: r = host_or("pid", optarg, NULL, &o->pid_host); break;
		case OPT_IPC: r = host_or("ipc", optarg, "private", &o->ipc_host); break;
		case OPT_UTS: r = host_or("uts", optarg, NULL, &o->uts_host); break;
		case OPT_CGROUPNS: r = host_or("cgroupns", optarg, "private", &o->cgroupns_host); break;
		case OPT_USERNS: r = parse_userns(o, optarg); break;
		case 'u': o->user = optarg; break;
		case 'w':
			if (optarg[0] != '/')
				return cli_usage_error("run", "--workdir \"%s\" must be an absolute path", optarg);
			o->workdir = optarg;
			break;
		case 'e':
			r = add_env(o, optarg);
			if (r == -ENOMEM)
				r = cli_failf("out of memory");
			break;
		case OPT_ENV_FILE: r = add_env_file(o, optarg); break;
		case OPT_ULIMIT: r = add_ulimit(o, optarg); break;
		case 'i': o->interactive = true; break;
		case 't': o->tty = true; break;
		case OPT_INIT: o->init = true; break;
		case ':':
			return cli_usage_error("run", "option \"%s\" needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("run", "unknown option \"%s\"", argv[optind - 1]);
		}
		if (r)
			return r;
	}
	if (optind >= argc)
		return cli_usage_error("run", "no command given");
	*cmd_index = optind;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	return cli_run_with(argc, argv, NULL);
}

int cli_run_with(int argc, char **argv, const struct cli_run_override *ov)
{
	struct run_opts o = {0};
	int cmd_index = 0;
	int r = parse_args(argc, argv, &o, &cmd_index);
	if (r != 0) {
		run_opts_free(&o);
		return r < 0 ? 0 : r;
	}

	/* --complain --update P: P is also what runs, unless seccomp= names another */
	if (!o.seccomp && o.denials.update && o.denials.complain)
		o.seccomp = o.denials.update;
	if (o.init && o.pid_host) {
		run_opts_free(&o);
		return cli_usage_error("run", "--init needs the sandbox's own pid namespace (not --pid host)");
	}
	if (o.relative_target && o.rootfs) {
		run_opts_free(&o);
		return cli_usage_error("run", "a relative path inside (-v, --tmpfs) names a place in the host's "
				       "tree: give an absolute one with --rootfs");
	}
	_cleanup_free_ char *cwd = NULL;
	if (!o.rootfs && !o.workdir && (cwd = getcwd(NULL, 0)) && (r = keep_cwd(&o, cwd)) != 0) {
		run_opts_free(&o);
		return r;
	}
	struct sc_error err = {0};
	uint64_t caps;
	if (cli_caps_resolve(&o.caps, &caps, &err) < 0) {
		run_opts_free(&o);
		return cli_fail(&err);
	}

	if (ov && o.resources_given) {
		run_opts_free(&o);
		return cli_usage_error(ov->command, "resource limits, --name, -d and --cgroup-parent are run's only");
	}
	struct sc_filter filter = {0};
	/* --privileged turns seccomp off unless a profile is named, as in Docker */
	bool confined = o.seccomp ? strcmp(o.seccomp, "unconfined") != 0 : !o.caps.opts.privileged;
	if (ov)
		confined = false;   /* the caller's filter replaces the profile */
	if (confined) {
		struct sc_diags diags = {0};
		const struct sc_filter_opts fo = { .caps = caps, .init = o.init, .complain = o.denials.complain };
		r = sc_filter_for(o.seccomp ? o.seccomp : "default", &fo, &filter, &diags, &err);
		cli_print_diags(&diags);
		sc_diags_free(&diags);
		if (r < 0) {
			run_opts_free(&o);
			return cli_fail(&err);
		}
	}

	char host[256];
	if (!o.hostname && !o.uts_host) {
		/* Docker names the sandbox after its id, or after the host on the host's network */
		if (!o.net_host || gethostname(host, sizeof(host)) < 0)
			sc_random_hostname(host);
		host[sizeof(host) - 1] = '\0';
		o.hostname = host;
	}
	/* Docker's environment first, then --env-file and -e in their order */
	struct run_opts envs = {0};
	_cleanup_free_ char *hostvar = NULL;
	if (!push_env(&envs, "PATH=" SC_DEFAULT_PATH) ||
	    (o.hostname && (asprintf(&hostvar, "HOSTNAME=%s", o.hostname) < 0 || !push_env(&envs, hostvar))) ||
	    (o.tty && !push_env(&envs, "TERM=xterm"))) {
		run_opts_free(&o);
		return cli_failf("out of memory");
	}
	for (size_t i = 0; i < o.n_env; i++)
		if (!push_env(&envs, o.env[i])) {
			run_opts_free(&o);
			return cli_failf("out of memory");
		}

	unsigned ns = SC_NS_DOCKER;
	if (o.pid_host)
		ns &= ~SC_NS_PID;
	if (o.ipc_host)
		ns &= ~SC_NS_IPC;
	if (o.uts_host)
		ns &= ~SC_NS_UTS;
	if (o.net_host)
		ns &= ~SC_NS_NET;
	if (o.cgroupns_host)
		ns &= ~SC_NS_CGROUP;
	if (o.userns)
		ns |= SC_NS_USER;
	/*
	 * A user who is not root runs in a user namespace of their own, where
	 * they are root, with the /etc/subuid range when newuidmap can map it.
	 */
	struct sc_idmap uidm[2] = { o.idmap }, gidm[2] = { o.idmap };
	size_t n_uidm = o.userns, n_gidm = o.userns;
	if (geteuid() != 0 && o.userns_given && !o.userns) {
		run_opts_free(&o);
		sc_strv_free(envs.env, envs.n_env);
		sc_filter_free(&filter);
		return cli_usage_error("run", "--userns host needs root: a user who is not root runs in a user "
				       "namespace of their own");
	}
	if (geteuid() != 0 && !o.userns_given) {
		char tool[PATH_MAX];
		struct passwd *pw = getpwuid(geteuid());
		bool ranges = sc_idmap_helper("newuidmap", tool, sizeof(tool)) &&
			      sc_idmap_helper("newgidmap", tool, sizeof(tool));
		sc_rootless_idmaps(pw ? pw->pw_name : NULL, geteuid(), getegid(), "/etc/subuid", "/etc/subgid",
				   ranges, uidm, &n_uidm, gidm, &n_gidm);
		ns |= SC_NS_USER;
	}

	struct sc_sandbox_config c = {
		.argv = argv + cmd_index,
		.env = envs.env,
		.bpf = confined ? &filter.bpf : NULL,
		.seccomp_flags = filter.flags,
		.caps = caps,
		.no_new_privs = o.nnp,
		.namespaces = ns,
		.net = o.net_host ? SC_NET_HOST : SC_NET_NONE,
		.hostname = o.uts_host ? NULL : o.hostname,
		.uid_map = uidm, .n_uid_map = n_uidm,
		.gid_map = gidm, .n_gid_map = n_gidm,
		.rootfs = o.rootfs,
		.mounts = o.mounts, .n_mounts = o.n_mounts,
		.read_only = o.read_only,
		.privileged = o.caps.opts.privileged,
		.user = o.user,
		.workdir = o.workdir,
		.workdir_optional = cwd != NULL,
		.rlimits = o.rlimits, .n_rlimits = o.n_rlimits,
		.init = o.init,
		.tty = o.tty,
		.stdin_open = o.interactive,
	};
	if (ov) {
		c.bpf = ov->bpf;
		c.seccomp_flags = ov->seccomp_flags;
		c.hooks = ov->hooks;
	}
	int code;
	bool failed = false;
	r = cli_run_denials_prepare(&o.denials, &c, o.seccomp ? o.seccomp : "default", caps, o.res.detach,
				    argv + cmd_index);
	if (r != 0) {
		sc_filter_free(&filter);
		sc_strv_free(envs.env, envs.n_env);
		run_opts_free(&o);
		return r;
	}
	if (ov) {
		/* the recorder brings its own cgroup and drives the child itself */
		if (sc_sandbox_run(&c, &code, &err) < 0) {
			cli_fail(&err);
			code = -code;   /* the command never ran */
			failed = true;
		}
	} else {
		/* every sandbox has a cgroup of its own, as every Docker container does */
		/* a process exec'd later has no monitor: it gets the profile's own program */
		o.res.exec_bpf = confined ? &filter.bpf : NULL;
		code = cli_run_resources_run(&o.res, &c, &failed,
					     confined ? (o.seccomp ? o.seccomp : "default") : NULL);
	}
	code = cli_run_denials_finish(&o.denials, code, failed);
	sc_filter_free(&filter);
	sc_strv_free(envs.env, envs.n_env);
	run_opts_free(&o);
	return code;
}
