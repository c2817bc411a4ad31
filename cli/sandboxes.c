/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "sandboxes.h"
#include "seclude/container.h"
#include "seclude/names.h"
#include "seclude/util.h"

bool cli_resource_option(const char *cmd, struct sc_cgroup_limits *l, int opt, const char *arg,
			 int *status)
{
	size_t n = 0;
	while (sc_limit_options[n].name)
		n++;
	if (opt < CLI_OPT_RESOURCE || opt >= CLI_OPT_RESOURCE + (int)n)
		return false;
	struct sc_error err = {0};
	*status = 0;
	if (sc_limits_set(l, sc_limit_options[opt - CLI_OPT_RESOURCE].name, arg, &err) < 0)
		*status = cli_usage_error(cmd, "%s", err.msg);
	return true;
}

void cli_resource_help(FILE *out)
{
	for (const struct sc_limit_option *o = sc_limit_options; o->name; o++)
		fprintf(out, "      --%s %s\n", o->name, o->help);
}

void cli_print_warnings(struct sc_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level >= SC_DIAG_WARNING)
			cli_warnf("%s", d->v[i].msg);
	sc_diags_free(d);
}

void cli_sandbox_gc(void)
{
	struct sc_diags d = {0};
	struct sc_error err = {0};
	if (sc_state_gc(sc_state_root(), &d, &err) < 0)
		cli_warnf("%s", err.msg);
	cli_print_warnings(&d);
}

int cli_sandbox_load(const char *ref, struct sc_state *s)
{
	cli_sandbox_gc();
	struct sc_error err = {0};
	if (sc_state_load(sc_state_root(), ref, s, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int cli_parse_signal(const char *s)
{
	return sc_signal_parse(s);
}

bool cli_wait_exited(const char *name, int timeout_ms)
{
	struct sc_diags d = {0};
	bool done = sc_container_wait_exited(sc_state_root(), name, timeout_ms, &d);
	cli_print_warnings(&d);
	return done;
}

void cli_human_duration(int64_t ns, char *buf, size_t len)
{
	int64_t s = ns / 1000000000;
	if (s < 1)
		snprintf(buf, len, "Less than a second");
	else if (s == 1)
		snprintf(buf, len, "1 second");
	else if (s < 60)
		snprintf(buf, len, "%lld seconds", (long long)s);
	else if (s / 60 == 1)
		snprintf(buf, len, "About a minute");
	else if (s < 3600)
		snprintf(buf, len, "%lld minutes", (long long)(s / 60));
	else if (s / 3600 == 1)
		snprintf(buf, len, "About an hour");
	else if (s < 48 * 3600)
		snprintf(buf, len, "%lld hours", (long long)(s / 3600));
	else
		snprintf(buf, len, "%lld days", (long long)(s / 86400));
}
