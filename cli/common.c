/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "seclude/util.h"

int cli_fail(const struct sc_error *err)
{
	fprintf(stderr, "seclude: error: %s\n", err && err->msg[0] ? err->msg : "unknown error");
	return SC_EXIT_SECLUDE;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;
	fputs("seclude: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SC_EXIT_SECLUDE;
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;
	fputs("seclude: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_print_diags(const struct sc_diags *d)
{
	static const char *const level[] = { "note", "warning", "error" };
	for (size_t i = 0; d && i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		fprintf(stderr, "seclude: %s: ", level[g->level]);
		if (g->where)
			fprintf(stderr, "%s: ", g->where);
		if (g->path)
			fprintf(stderr, "%s: ", g->path);
		fprintf(stderr, "%s\n", g->msg);
	}
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("seclude: error: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'seclude %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
	return SC_EXIT_SECLUDE;
}

bool cli_caps_option(struct cli_caps *c, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_CAP_ADD:
		if (sc_strv_push_split(&c->opts.add, &c->opts.n_add, arg, ",") < 0)
			abort();
		return true;
	case CLI_OPT_CAP_DROP:
		if (sc_strv_push_split(&c->opts.drop, &c->opts.n_drop, arg, ",") < 0)
			abort();
		return true;
	case CLI_OPT_PRIVILEGED:
		c->opts.privileged = true;
		return true;
	}
	return false;
}

int cli_caps_resolve(const struct cli_caps *c, uint64_t *out, struct sc_error *err)
{
	uint64_t host;
	int r = sc_caps_host_bounding(&host, err);
	if (r < 0)
		return r;
	return sc_caps_compute(sc_caps_docker_default(), &c->opts, host, out, err);
}

void cli_caps_free(struct cli_caps *c)
{
	sc_strv_free(c->opts.add, c->opts.n_add);
	sc_strv_free(c->opts.drop, c->opts.n_drop);
	*c = (struct cli_caps){0};
}

bool cli_profile_option(struct cli_profile_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_KERNEL:
		o->kernel = arg;
		return true;
	case CLI_OPT_STRICT:
		o->strict = true;
		return true;
	}
	return cli_caps_option(&o->caps, opt, arg);
}

void cli_profile_opts_free(struct cli_profile_opts *o)
{
	cli_caps_free(&o->caps);
	*o = (struct cli_profile_opts){0};
}

int cli_target(const char *cmd, const struct cli_profile_opts *o, const char *arch,
	       struct sc_target *t, struct sc_error *err)
{
	int r = sc_target_host(t, err);
	if (r == 0)
		r = cli_caps_resolve(&o->caps, &t->caps, err);
	if (r < 0)
		return r;
	if (arch && !(t->arch = sc_arch_from_user_name(arch)))
		return sc_error_set(err, -EINVAL, "%s: unknown architecture \"%s\"", cmd, arch);
	char tail;
	if (o->kernel && sscanf(o->kernel, "%u.%u%c", &t->kernel_major, &t->kernel_minor, &tail) != 2)
		return sc_error_set(err, -EINVAL, "%s: --kernel wants MAJOR.MINOR, not \"%s\"", cmd, o->kernel);
	return 0;
}

void cli_print_profile_warnings(const char *path, const struct sc_diags *d)
{
	bool builtin = path && strcmp(path, "default") == 0;
	for (size_t i = 0; d && i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		if (builtin && g->code && strcmp(g->code, "unknown-syscall") == 0)
			continue;
		struct sc_diags one = { .v = (struct sc_diag *)g, .n = 1, .cap = 1 };
		cli_print_diags(&one);
	}
}

int cli_bad_option(const char *cmd, char **argv)
{
	if (optopt)
		return cli_usage_error(cmd, "option \"%s\" needs a value or is unknown", argv[optind - 1]);
	return cli_usage_error(cmd, "unknown option \"%s\"", argv[optind - 1]);
}
