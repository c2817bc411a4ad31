/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude-runc: the OCI runtime command line engines call, in runc's
 * syntax (global flags first, then the verb; --flag value and --flag=value
 * alike).  Errors are runc's: the message on stderr (and, with --log, a
 * line in the log in --log-format text or json), exit status 1.  Nothing
 * is written to stderr on success: go-runc decodes stdout and stderr
 * together.  The verbs are in runc_verbs.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "runc.h"
#include "seclude/oci_verbs.h"
#include "seclude/util.h"

struct runc_globals runc_g;

/* One message on stderr and as a line of LEVEL in the --log file. */
static void say(const char *level, const char *prefix, const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	sc_oci_log_line(runc_g.log, runc_g.log_json, level, msg);
	fprintf(stderr, "seclude-runc: %s%s\n", prefix, msg);
}

int runc_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("error", "", fmt, ap);
	va_end(ap);
	return 1;
}

void runc_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("warning", "warning: ", fmt, ap);
	va_end(ap);
}

int runc_fail_err(const struct sc_error *err)
{
	return runc_fail("%s", err->msg[0] ? err->msg : strerror(err->code ? -err->code : 22));
}

static bool is_flag(const char *a)
{
	return a[0] == '-' && a[1] && !isdigit((unsigned char)a[1]);
}

/* One option at argv[i]: the words it used, 0 when none matches, -1 after an error. */
static int one_opt(const char *verb, int argc, char **argv, int i, const struct runc_opt *o)
{
	const char *a = argv[i], *pre = verb ? verb : "", *sep = verb ? ": " : "";
	size_t n = strlen(o->name);
	bool lng = strncmp(a, o->name, n) == 0 && (a[n] == '\0' || a[n] == '=');
	if (!lng && !(o->alias && strcmp(a, o->alias) == 0))
		return 0;
	const char *val = lng && a[n] == '=' ? a + n + 1 : NULL;
	bool takes = o->kind == RUNC_STR || o->kind == RUNC_FDS || o->kind == RUNC_LIST || o->kind == RUNC_SKIP;
	int used = 1;
	if (takes && !val) {
		if (i + 1 >= argc)
			return runc_fail("%s%sflag needs an argument: %s", pre, sep, o->name), -1;
		val = argv[i + 1];
		used = 2;
	}
	uint64_t u;
	switch (o->kind) {
	case RUNC_STR:
		*(const char **)o->dst = val;
		break;
	case RUNC_BOOL:
		*(bool *)o->dst = !val || strcmp(val, "true") == 0;
		break;
	case RUNC_OPTBOOL:
		*(int *)o->dst = !val || strcmp(val, "true") == 0;
		break;
	case RUNC_FDS:
		if (sc_parse_u64(val, &u) < 0 || u > 65536)
			return runc_fail("%s%sinvalid %s %s", pre, sep, o->name, val), -1;
		*(unsigned *)o->dst = (unsigned)u;
		break;
	case RUNC_LIST: {
		struct runc_list *l = o->dst;
		if (l->n < SC_ARRAY_SIZE(l->v))
			l->v[l->n++] = (char *)val;
		break;
	}
	case RUNC_TRI:
		if (!val && i + 1 < argc && (!strcmp(argv[i + 1], "true") || !strcmp(argv[i + 1], "false") ||
					     !strcmp(argv[i + 1], "auto"))) {
			val = argv[i + 1];
			used = 2;
		}
		*(const char **)o->dst = val ? val : "true";
		break;
	case RUNC_SKIP:
	case RUNC_SKIP_BOOL:
		break;
	}
	return used;
}

int runc_parse(const char *verb, int argc, char **argv, const struct runc_opt *opts, const char **pos,
	       int min, int max, const char *args, bool stop, int *rest)
{
	int np = 0;
	for (int i = 1; i < argc; i++) {
		if (!is_flag(argv[i])) {
			if (stop) {
				*rest = i;
				np = 1;
				break;
			}
			if (np >= max)
				return runc_fail("%s: requires %s", verb, args), -1;
			pos[np++] = argv[i];
			continue;
		}
		int k = 0;
		for (const struct runc_opt *o = opts; o && o->name && !k; o++)
			k = one_opt(verb, argc, argv, i, o);
		if (k < 0)
			return -1;
		if (k == 0)
			return runc_fail("%s%sflag provided but not defined: %s", verb ? verb : "", verb ? ": " : "",
					 argv[i]), -1;
		i += k - 1;
	}
	if (np < min)
		return runc_fail("%s: requires %s", verb, args), -1;
	return np;
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
	      "           --pid-file, --console-socket, --tty, --cwd, --env, --user,\n"
	      "           --cap, --additional-gids, --no-new-privs, --apparmor,\n"
	      "           --ignore-paused, --preserve-fds, --cgroup)\n"
	      "  update   --resources FILE|- (a LinuxResources JSON object, unified on\n"
	      "           cgroup v2) or runc's flags (--memory, --memory-swap,\n"
	      "           --memory-reservation, --cpu-period, --cpu-quota, --cpu-share,\n"
	      "           --cpuset-cpus, --cpuset-mems, --pids-limit, --blkio-weight) ID\n"
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
	      "                        (journal: the system's journal)\n"
	      "  --complain            report what the profile would refuse, refuse nothing\n"
	      "  --learn DIR           learn each container's profile into DIR/ID.json\n"
	      "  --learn-for RUNTIME   the runtime it is for (seclude learn --for; default docker)\n"
	      "  -v, --version         the version and the runtime-spec version\n", out);
}

int cli_runc_main(int argc, char **argv)
{
	const char *log_format = "text";
	bool version = false, help = false;
	const struct runc_opt globals[] = {
		{ "--root", NULL, RUNC_STR, &runc_g.root },
		{ "--log", NULL, RUNC_STR, &runc_g.log },
		{ "--log-format", NULL, RUNC_STR, &log_format },
		{ "--log-denials", NULL, RUNC_STR, &runc_g.log_denials },
		{ "--learn", NULL, RUNC_STR, &runc_g.learn },
		{ "--learn-for", NULL, RUNC_STR, &runc_g.learn_for },
		{ "--criu", NULL, RUNC_SKIP, NULL },
		{ "--rootless", NULL, RUNC_TRI, &runc_g.rootless },
		{ "--debug", NULL, RUNC_BOOL, &runc_g.debug },
		{ "--systemd-cgroup", NULL, RUNC_BOOL, &runc_g.systemd_cgroup },
		{ "--complain", NULL, RUNC_BOOL, &runc_g.complain },
		{ "--version", "-v", RUNC_BOOL, &version },
		{ "--help", "-h", RUNC_BOOL, &help },
		{ NULL, NULL, 0, NULL },
	};
	int i = argc;
	if (runc_parse(NULL, argc, argv, globals, NULL, 0, 0, "", true, &i) < 0)
		return 1;
	if (strcmp(log_format, "json") && strcmp(log_format, "text"))
		return runc_fail("invalid log-format: %s", log_format);
	runc_g.log_json = strcmp(log_format, "json") == 0;
	if (!runc_g.root)
		runc_g.root = sc_oci_default_root(runc_g.root_buf, sizeof(runc_g.root_buf));
	const char *verb = i < argc ? argv[i] : NULL;
	if (version || (verb && !strcmp(verb, "version"))) {
		sc_oci_print_version(stdout, SECLUDE_VERSION);
		return 0;
	}
	if (help || (verb && !strcmp(verb, "help"))) {
		print_help(stdout);
		return 0;
	}
	if (!verb) {
		print_help(stderr);
		return 1;
	}
	int r = runc_verb(verb, argc - i, argv + i);
	return r == -2 ? runc_fail("No help topic for '%s'", verb) : r;
}
