/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "seclude/bpf.h"
#include "seclude/diff.h"
#include "seclude/profile.h"
#include "seclude/util.h"

static void print_help(void)
{
	fputs("Usage: seclude diff [OPTIONS] PROFILE_A PROFILE_B\n"
	      "\n"
	      "List, per architecture, each syscall whose verdict differs between two\n"
	      "profiles, with both verdicts.  Both profiles are compiled and their\n"
	      "programs run in seclude's simulator, so the comparison is of what the\n"
	      "filters do, ENOSYS stub included.  Where a verdict depends on the\n"
	      "arguments, the argument values tried come from both profiles' conditions\n"
	      "on that syscall, and the condition under which they differ is shown.\n"
	      "Numbers libseccomp has no name for are shown as ranges [FIRST..LAST].\n"
	      "PROFILE may be 'default' (Docker's default profile).\n"
	      "\n"
	      "Options:\n"
	      "      --arch ARCH        compare only this architecture (x86_64, x86, x32,\n"
	      "                         ...; repeatable; default: every one either profile\n"
	      "                         lists)\n"
	      "      --json             print one JSON object\n"
	      CLI_PROFILE_HELP
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: 0 when the filters agree, 1 when they differ, 125 on error.\n",
	      stdout);
}

enum { OPT_ARCH = CLI_OPT_FIRST_FREE };

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_diag(const struct sc_diag *h, const struct sc_diag *g)
{
	return h->level == g->level && same_str(h->where, g->where) && same_str(h->path, g->path) &&
	       same_str(h->msg, g->msg);
}

/* B's warnings, but not those A has said already (a close copy of A repeats them). */
static void print_unique_diags(const struct sc_diags *a, const struct sc_diags *b, const char *path_b)
{
	struct sc_diags u = {0};
	for (size_t i = 0; i < b->n; i++) {
		const struct sc_diag *g = &b->v[i];
		bool seen = false;
		for (size_t j = 0; j < a->n && !seen; j++)
			seen = same_diag(&a->v[j], g);
		if (!seen)
			sc_diags_add(&u, g->level, g->code, g->where, g->path, "%s", g->msg);
	}
	cli_print_profile_warnings(path_b, &u);
	sc_diags_free(&u);
}

/* One side: the profile read, resolved for t and compiled (through the cache). */
struct side {
	char *text;
	struct sc_profile *p;
	struct sc_policy *pol;
	struct sc_bpf bpf;
};

static int load_side(const char *path, const struct sc_parse_opts *popts, const struct sc_target *t,
		     struct side *s, struct sc_diags *diags, struct sc_error *err)
{
	size_t len;
	const char *origin;
	struct sc_compile_opts copts = { .unknown_syscall_is_error = popts->unknown_syscall_is_error };
	int r = sc_profile_read(path, &s->text, &len, &origin, err);
	if (r == 0)
		r = sc_profile_parse(s->text, len, origin, popts, &s->p, diags, err);
	if (r == 0)
		r = sc_profile_resolve(s->p, t, &s->pol, diags, err);
	if (r == 0 && (r = sc_policy_compile_cached(s->pol, s->text, len, &copts, NULL, &s->bpf, NULL, err)) < 0 &&
	    strncmp(err->msg, origin, strlen(origin)) != 0)
		/* which of the two profiles, unless the message says already */
		sc_error_prefix(err, "%s", origin);
	return r;
}

static void side_free(struct side *s)
{
	sc_bpf_free(&s->bpf);
	sc_policy_free(s->pol);
	sc_profile_free(s->p);
	free(s->text);
}

static int push_arches(uint32_t **v, size_t *n, const char *arg)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		abort();
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t a = sc_arch_from_user_name(tok);
		if (!a)
			return cli_usage_error("diff", "--arch: unknown architecture \"%s\"", tok);
		uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			abort();
		nv[(*n)++] = a;
		*v = nv;
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		CLI_PROFILE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	_cleanup_free_ uint32_t *arches = NULL;
	size_t n_arches = 0;
	bool json = false;
	int c, rc = SC_EXIT_SECLUDE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, c, optarg))
			continue;
		switch (c) {
		case OPT_ARCH:
			if (push_arches(&arches, &n_arches, optarg))
				goto out;
			break;
		case CLI_OPT_JSON:
			json = true;
			break;
		case 'h':
			print_help();
			rc = 0;
			goto out;
		default:
			cli_bad_option("diff", argv);
			goto out;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("diff", argc - optind < 2 ? "two profiles are needed"
							 : "unexpected argument \"%s\"",
				argv[argc - 1]);
		goto out;
	}
	const char *path_a = argv[optind], *path_b = argv[optind + 1];

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_parse_opts popts = { .unknown_syscall_is_error = po.strict };
	if (cli_target("diff", &po, NULL, &t, &err) < 0) {
		cli_fail(&err);
		goto out;
	}

	struct sc_diags da = {0}, db = {0};
	struct side a = {0}, b = {0};
	struct sc_diff d = {0};
	int r = load_side(path_a, &popts, &t, &a, &da, &err);
	if (r == 0)
		r = load_side(path_b, &popts, &t, &b, &db, &err);
	if (r == 0) {
		const struct sc_diff_side sa = { a.pol, &a.bpf }, sb = { b.pol, &b.bpf };
		r = sc_diff_compute(&sa, &sb, arches, n_arches, &d, &err);
	}
	cli_print_profile_warnings(path_a, &da);
	/* the same file twice, or a close copy, would say everything twice */
	if (strcmp(path_a, path_b) != 0)
		print_unique_diags(&da, &db, path_b);
	sc_diags_free(&da);
	sc_diags_free(&db);
	if (r < 0) {
		cli_fail(&err);
	} else if (json) {
		json_t *o = sc_diff_to_json(&d, path_a, path_b);
		if (!o || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
			rc = cli_failf("cannot write JSON");
		} else {
			fputc('\n', stdout);
			rc = d.n ? 1 : 0;
		}
		json_decref(o);
	} else {
		sc_diff_write_text(stdout, &d);
		rc = d.n ? 1 : 0;
	}
	sc_diff_free(&d);
	side_free(&a);
	side_free(&b);
out:
	cli_profile_opts_free(&po);
	return rc;
}
