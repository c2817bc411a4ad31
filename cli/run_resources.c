/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "run_resources.h"
#include "seclude/supervise.h"

bool cli_run_resources_option(struct cli_run_resources *r, int opt, const char *arg, int *status)
{
	*status = 0;
	switch (opt) {
	case 'm':
		return cli_resource_option("run", &r->limits, CLI_OPT_RESOURCE, arg, status);
	case 'd':
		r->detach = true;
		return true;
	case CLI_OPT_RUN_RM:
		r->rm = true;
		return true;
	case CLI_OPT_RUN_NAME:
		if (!sc_state_name_valid(arg))
			*status = cli_usage_error("run", "invalid sandbox name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] "
						  "are allowed", arg);
		r->name = arg;
		return true;
	case CLI_OPT_RUN_CGROUP_PARENT:
		r->cgroup_parent = arg;
		return true;
	default:
		return cli_resource_option("run", &r->limits, opt, arg, status);
	}
}

void cli_run_resources_help(FILE *out)
{
	fputs("      --name NAME        name the sandbox: ps, inspect, stop, exec... find it\n"
	      "  -d, --detach           run in the background, print the sandbox id\n"
	      "      --rm               remove the sandbox's record when it ends\n"
	      "      --cgroup-parent P  the cgroup to create the sandbox's cgroup in\n"
	      "  -m, --memory SIZE      memory limit (512m, 1g; at least 6m)\n", out);
	for (const struct sc_limit_option *o = sc_limit_options; o->name; o++)
		if (strcmp(o->name, "memory") != 0)
			fprintf(out, "      --%s %s\n", o->name, o->help);
}

int cli_run_resources_run(struct cli_run_resources *r, const struct sc_spec *spec,
			  const struct sc_sandbox_config *c, bool *failed)
{
	*failed = false;
	struct sc_supervise_opts o = {
		.name = r->name,
		.detach = r->detach,
		.auto_remove = r->rm,
		.spec = spec,
		.cgroup_parent = spec->cgroup_parent,
		.exec_bpf = r->exec_bpf,
	};
	if (r->detach && r->rm)
		o.auto_remove = true;
	struct sc_error err = {0};
	struct sc_diags warnings = {0};
	char id[65];
	int code = SC_EXIT_SECLUDE;
	/* The sandbox's output is its own from here: warnings first. */
	int ret = sc_supervise_run(c, &o, &code, id, &warnings, &err);
	cli_print_diags(&warnings);
	sc_diags_free(&warnings);
	if (ret < 0) {
		*failed = true;
		cli_fail(&err);
		return code ? code : SC_EXIT_SECLUDE;
	}
	if (r->detach)
		printf("%s\n", id);
	return code;
}

void cli_run_resources_free(struct cli_run_resources *r)
{
	sc_limits_free(&r->limits);
}
