/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude explain PROFILE SYSCALL [ARG...]: what the compiled filter does
 * with that call, from the simulator, and which part of the JSON made it so.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/explain.h"
#include "seclude/guard.h"
#include "seclude/profile.h"
#include "seclude/util.h"

#define X32_SYSCALL_BIT 0x40000000u

enum {
	OPT_ARCH = CLI_OPT_FIRST_FREE,
};

static void usage(FILE *out)
{
	fputs("Usage: seclude explain [OPTIONS] PROFILE SYSCALL [ARG...]\n"
	      "\n"
	      "Say what a profile does with one system call: the profile is compiled as\n"
	      "Docker would load it and the program is run on the call in seclude's BPF\n"
	      "simulator, so the answer is the filter's own.  Then the rule of the JSON\n"
	      "that decided it is named (syscalls[N], the name, file:line:col), or the\n"
	      "default action, or the ENOSYS prologue for syscalls newer than the profile.\n"
	      "ioctl TIOCSTI and TIOCLINUX are refused in every sandbox by seclude's\n"
	      "terminal injection guard, whatever the profile: the verdict is then the\n"
	      "guard's, and what the profile alone gives follows it.\n"
	      "\n"
	      "The first line of output is the verdict alone: ALLOW, ERRNO 1 (EPERM),\n"
	      "KILL_PROCESS, KILL_THREAD, TRAP, TRACE N, LOG or NOTIFY.\n"
	      "\n"
	      "PROFILE is a file, '-' for standard input, or 'default' (built in).\n"
	      "SYSCALL is a name (chmod) or a number; ARG are up to six argument values,\n"
	      "decimal, 0x hex or negative (-1); missing ones are 0.\n"
	      "\n"
	      "Options:\n"
	      "      --arch ARCH        the ABI making the call: x86_64, i386 or x32 on an\n"
	      "                         x86_64 machine (default: the native one); an x32\n"
	      "                         number without bit 30 gets it\n"
	      CLI_PROFILE_HELP
	      "      --json             print the answer as JSON on stdout\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "The compiled program comes from the compile cache when it is there (see\n"
	      "'seclude compile --help'); SECLUDE_CACHE_DIR= (empty) turns it off.\n", out);
}

static const char *arch_label(uint32_t arch)
{
	if (arch == SCMP_ARCH_X86)
		return "i386";
	const char *n = sc_arch_user_name(arch);
	return n ? n : "?";
}

static int parse_arg(const char *s, uint64_t *out)
{
	if (s[0] == '-') {
		uint64_t v;
		int r = sc_parse_u64(s + 1, &v);
		if (r < 0)
			return r;
		if (v > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = (uint64_t)0 - v;
		return 0;
	}
	return sc_parse_u64(s, out);
}

static const char *op_symbol(enum sc_op op)
{
	switch (op) {
	case SC_OP_NE: return "!=";
	case SC_OP_LT: return "<";
	case SC_OP_LE: return "<=";
	case SC_OP_EQ: return "==";
	case SC_OP_GE: return ">=";
	case SC_OP_GT: return ">";
	case SC_OP_MASKED_EQ: return "&";
	}
	return "?";
}

static size_t name_index(const struct sc_rule *r, const char *name)
{
	for (size_t j = 0; j < r->n_names; j++)
		if (r->names[j] == name || strcmp(r->names[j], name) == 0)
			return j;
	return 0;
}

static void print_condition(const struct sc_arg *a, uint64_t v)
{
	if (a->op == SC_OP_MASKED_EQ)
		printf("          args[%u] & 0x%llx == 0x%llx (%s): 0x%llx & 0x%llx = 0x%llx\n", a->index,
		       (unsigned long long)a->value, (unsigned long long)a->value_two, sc_op_name(a->op),
		       (unsigned long long)v, (unsigned long long)a->value,
		       (unsigned long long)(v & a->value));
	else
		printf("          args[%u] %s %llu (%s): the call has %llu\n", a->index, op_symbol(a->op),
		       (unsigned long long)a->value, sc_op_name(a->op), (unsigned long long)v);
}

static void print_list(const char *what, char **v, size_t n)
{
	if (!n)
		return;
	printf(" %s", what);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : " ", v[i]);
}

static void print_cond(const char *kind, const struct sc_cond *c, const char *caps_note)
{
	printf("%-9s", kind);
	print_list("caps", c->caps, c->n_caps);
	if (c->n_caps)
		printf(" (%s)", caps_note);
	print_list("arches", c->arches, c->n_arches);
	if (c->has_min_kernel)
		printf(" minKernel %u.%u", c->min_major, c->min_minor);
	printf("\n");
}

/* The rules for this call whose conditions did not hold. */
static void print_unmatched(const struct sc_policy *pol, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct sc_policy_rule *pr = &pol->rules[i];
		if (!x->name[0] || strcmp(pr->name, x->name) != 0)
			continue;
		printf("unmatched syscalls[%zu] at %s: %s", pr->rule->index, sc_profile_where(p, pr->rule->loc),
		       sc_action_name(pr->action));
		if (pr->action == SC_ACT_ERRNO || pr->action == SC_ACT_TRACE)
			printf(" %u", pr->errno_ret);
		printf("\n");
		for (size_t k = 0; k < pr->n_args; k++)
			print_condition(&pr->args[k], x->args[pr->args[k].index]);
	}
}

/*
 * The guard (guard.h) is a filter of every sandbox, not of the profile:
 * where it refuses the call its verdict is what the call gets, and the
 * profile's own answer follows, named as such.
 */
static bool guarded(const struct sc_explain *x, uint32_t *ret)
{
	uint32_t arch = x->arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : x->arch;
	return sc_guard_refuses(arch, x->nr, x->args[1], ret);
}

static void print_text(const struct sc_policy *pol, const struct sc_bpf *b, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	char verdict[64];
	uint32_t gret;
	bool guard = guarded(x, &gret);
	sc_ret_describe(guard ? gret : x->ret, verdict, sizeof(verdict));
	printf("%s\n", verdict);
	printf("call      %s(", x->name[0] ? x->name : "(unnamed)");
	for (int i = 0; i < 6; i++)
		printf("%s0x%llx", i ? ", " : "", (unsigned long long)x->args[i]);
	printf(") = syscall %d", x->nr);
	if ((uint32_t)x->nr & X32_SYSCALL_BIT)
		printf(" (0x%x)", (unsigned)x->nr);
	printf(" on %s\n", arch_label(x->arch));
	if (guard) {
		sc_ret_describe(x->ret, verdict, sizeof(verdict));
		printf("guard     %s: ioctl TIOCSTI and TIOCLINUX fail with EPERM in every\n"
		       "          sandbox seclude starts, whatever the profile says\n"
		       "profile   on its own the profile gives %s:\n", SC_GUARD_NAME, verdict);
	}

	switch (x->source) {
	case SC_EXPLAIN_RULE:
	case SC_EXPLAIN_REWRITE: {
		const struct sc_rule *r = x->rule->rule;
		size_t j = name_index(r, x->rule->name);
		printf("rule      syscalls[%zu] at %s: %s", r->index, sc_profile_where(p, r->loc),
		       sc_action_name(r->action));
		if (r->action == SC_ACT_ERRNO || r->action == SC_ACT_TRACE)
			printf(" %u", x->rule->errno_ret);
		printf("\n");
		printf("name      names[%zu] \"%s\" at %s", j, x->rule->name, sc_profile_where(p, r->name_locs[j]));
		if (r->n_names > 1)
			printf(" (one of %zu names)", r->n_names);
		printf("\n");
		if (r->comment && r->comment[0])
			printf("comment   %s\n", r->comment);
		if (x->source == SC_EXPLAIN_REWRITE) {
			printf("note      libseccomp also puts a %s rule on %s here, the multiplexer %s\n"
			       "          goes through on %s, without the rule's argument conditions\n"
			       "          (they sit behind a pointer there); Docker's filters do the same\n",
			       x->rule->name, x->name, x->rule->name, arch_label(x->arch));
		} else if (x->rule->n_args) {
			printf("when      %s\n", x->rule->n_args > 1 ? "all of these hold" : "this holds");
			for (size_t i = 0; i < x->rule->n_args; i++)
				print_condition(&x->rule->args[i], x->args[x->rule->args[i].index]);
		}
		if (r->has_includes)
			print_cond("includes", &r->includes, "all held by the target");
		if (r->has_excludes)
			print_cond("excludes", &r->excludes, "none held by the target");
		break;
	}
	case SC_EXPLAIN_DEFAULT:
		printf("default   no rule matches: defaultAction %s", sc_action_name(pol->default_action));
		if (pol->default_action == SC_ACT_ERRNO || pol->default_action == SC_ACT_TRACE)
			printf(", errno %u", pol->default_errno);
		printf(" at %s\n", sc_profile_where(p, p->default_action_loc));
		print_unmatched(pol, x);
		break;
	case SC_EXPLAIN_ENOSYS: {
		char *top = seccomp_syscall_resolve_num_arch(x->arch, x->max_nr);
		printf("prologue  syscall %d is above %d (%s), the highest this profile names on %s:\n"
		       "          it is taken as newer than the profile and gets ENOSYS, so libc\n"
		       "          falls back to an older call (as runc does)\n",
		       x->nr, x->max_nr, top ? top : "?", arch_label(x->arch));
		free(top);
		break;
	}
	case SC_EXPLAIN_BAD_ARCH:
		printf("arch      the filter has no %s section: libseccomp's bad-architecture action\n",
		       arch_label(x->arch));
		break;
	case SC_EXPLAIN_UNKNOWN:
		printf("unknown   no rule of the profile gives this verdict\n");
		break;
	}
	printf("filter    %zu instructions, %zu executed for this call\n", b->len, x->executed);
}

static const char *source_name(enum sc_explain_source s)
{
	switch (s) {
	case SC_EXPLAIN_RULE: return "rule";
	case SC_EXPLAIN_REWRITE: return "rewrite";
	case SC_EXPLAIN_DEFAULT: return "default";
	case SC_EXPLAIN_ENOSYS: return "enosys";
	case SC_EXPLAIN_BAD_ARCH: return "bad-arch";
	case SC_EXPLAIN_UNKNOWN: break;
	}
	return "unknown";
}

static json_t *where_json(const struct sc_profile *p, struct sc_loc loc)
{
	return json_pack("{s:s, s:i, s:i}", "file", p->origin ? p->origin : "", "line", (json_int_t)loc.line,
			 "column", (json_int_t)loc.col);
}

static int print_json(const struct sc_policy *pol, const struct sc_bpf *b, const struct sc_explain *x)
{
	const struct sc_profile *p = pol->profile;
	char verdict[64];
	uint32_t gret;
	bool guard = guarded(x, &gret);
	uint32_t ret = guard ? gret : x->ret;
	sc_ret_describe(ret, verdict, sizeof(verdict));
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(verdict));
	json_object_set_new(o, "ret", json_integer(ret));
	json_object_set_new(o, "guard", guard ? json_string(SC_GUARD_NAME) : json_null());
	sc_ret_describe(x->ret, verdict, sizeof(verdict));
	json_object_set_new(o, "profile_verdict", json_string(verdict));
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	if (action == SECCOMP_RET_ERRNO)
		json_object_set_new(o, "errno", json_integer(data > 4095 ? 4095 : data));
	else
		json_object_set_new(o, "errno", json_null());
	json_object_set_new(o, "profile", json_string(p->origin ? p->origin : ""));
	json_object_set_new(o, "arch", json_string(arch_label(x->arch)));
	json_object_set_new(o, "syscall", x->name[0] ? json_string(x->name) : json_null());
	json_object_set_new(o, "nr", json_integer(x->nr));
	json_t *args = json_array();
	for (int i = 0; i < 6; i++)
		json_array_append_new(args, json_integer((json_int_t)x->args[i]));
	json_object_set_new(o, "args", args);
	json_object_set_new(o, "source", json_string(source_name(x->source)));
	if (x->rule) {
		const struct sc_rule *r = x->rule->rule;
		size_t j = name_index(r, x->rule->name);
		json_t *rule = json_object();
		json_object_set_new(rule, "index", json_integer((json_int_t)r->index));
		json_object_set_new(rule, "path", json_sprintf("syscalls[%zu]", r->index));
		json_object_set_new(rule, "name", json_string(x->rule->name));
		json_object_set_new(rule, "name_index", json_integer((json_int_t)j));
		json_t *names = json_array();
		for (size_t k = 0; k < r->n_names; k++)
			json_array_append_new(names, json_string(r->names[k]));
		json_object_set_new(rule, "names", names);
		json_object_set_new(rule, "action", json_string(sc_action_name(r->action)));
		json_object_set_new(rule, "location", where_json(p, r->loc));
		json_object_set_new(rule, "name_location", where_json(p, r->name_locs[j]));
		json_t *conds = json_array();
		for (size_t k = 0; k < x->rule->n_args; k++) {
			const struct sc_arg *a = &x->rule->args[k];
			json_array_append_new(conds, json_pack("{s:i, s:s, s:I, s:I}", "index", (json_int_t)a->index,
							       "op", sc_op_name(a->op), "value", (json_int_t)a->value,
							       "valueTwo", (json_int_t)a->value_two));
		}
		json_object_set_new(rule, "args", conds);
		json_object_set_new(o, "rule", rule);
	}
	if (x->source == SC_EXPLAIN_DEFAULT)
		json_object_set_new(o, "default_location", where_json(p, p->default_action_loc));
	if (x->source == SC_EXPLAIN_ENOSYS)
		json_object_set_new(o, "max_nr", json_integer(x->max_nr));
	json_object_set_new(o, "instructions", json_integer((json_int_t)b->len));
	json_object_set_new(o, "executed", json_integer((json_int_t)x->executed));
	int r = json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
	return r;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	bool json = false;
	const char *arch_name = NULL;
	int opt;

	optind = 1;
	opterr = 0;
	/* no '+': options may follow the arguments; "--" ends them before a negative ARG */
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			cli_profile_opts_free(&po);
			return 0;
		case CLI_OPT_JSON: json = true; break;
		case OPT_ARCH: arch_name = optarg; break;
		default:
			cli_profile_opts_free(&po);
			return cli_bad_option("explain", argv);
		}
	}
	if (argc - optind < 2) {
		cli_profile_opts_free(&po);
		return cli_usage_error("explain", argc - optind < 1 ? "no profile given" : "no syscall given");
	}
	if (argc - optind > 8) {
		cli_profile_opts_free(&po);
		return cli_usage_error("explain", "a syscall has at most 6 arguments");
	}
	const char *path = argv[optind], *sys = argv[optind + 1];

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_diags diags = {0};
	struct sc_profile *p = NULL;
	struct sc_policy *pol = NULL;
	struct sc_bpf bpf = {0};
	_cleanup_free_ char *text = NULL;
	size_t len;
	const char *origin;
	uint64_t args[6] = {0};
	int ret = SC_EXIT_SECLUDE;

	for (int i = optind + 2; i < argc; i++)
		if (parse_arg(argv[i], &args[i - optind - 2]) < 0) {
			sc_error_set(&err, -EINVAL, "explain: argument %d \"%s\" is not a number (decimal, 0x hex, or -N)",
				     i - optind - 2, argv[i]);
			goto out;
		}
	if (cli_target("explain", &po, NULL, &t, &err) < 0)
		goto out;
	uint32_t arch = t.arch;
	if (arch_name && !(arch = sc_arch_from_user_name(arch_name))) {
		sc_error_set(&err, -EINVAL, "explain: unknown architecture \"%s\" (x86_64, i386, x32, ...)", arch_name);
		goto out;
	}

	int nr;
	uint64_t num;
	if (sc_parse_u64(sys, &num) == 0) {
		if (num > INT32_MAX) {
			sc_error_set(&err, -ERANGE, "explain: syscall number %s is out of range", sys);
			goto out;
		}
		nr = (int)num;
		if (arch == SCMP_ARCH_X32)
			nr |= (int)X32_SYSCALL_BIT;
	} else {
		nr = sc_syscall_nr(arch, sys);
		if (nr == __NR_SCMP_ERROR) {
			sc_error_set(&err, -EINVAL, "explain: unknown syscall \"%s\"", sys);
			goto out;
		}
		if (nr < 0) {
			sc_error_set(&err, -EINVAL, "explain: %s has no syscall \"%s\"", arch_label(arch), sys);
			goto out;
		}
	}

	/* the verdict is the cached program's; the policy beside it names the rule */
	struct sc_parse_opts popts = { .unknown_syscall_is_error = po.strict };
	struct sc_compile_opts copts = { .unknown_syscall_is_error = po.strict };
	if (sc_profile_read(path, &text, &len, &origin, &err) < 0 ||
	    sc_profile_parse(text, len, origin, &popts, &p, &diags, &err) < 0 ||
	    sc_profile_resolve(p, &t, &pol, &diags, &err) < 0 ||
	    sc_policy_compile_cached(pol, text, len, &copts, NULL, &bpf, NULL, &err) < 0)
		goto out;
	cli_print_profile_warnings(path, &diags);
	sc_diags_free(&diags);

	struct sc_explain x;
	if (sc_explain_call(pol, &bpf, arch, nr, args, &x, &err) < 0)
		goto out;
	if (json)
		print_json(pol, &bpf, &x);
	else
		print_text(pol, &bpf, &x);
	ret = fflush(stdout) == 0 ? 0 : SC_EXIT_SECLUDE;
out:
	if (ret != 0) {
		cli_print_profile_warnings(path, &diags);
		cli_fail(&err);
	}
	sc_bpf_free(&bpf);
	sc_policy_free(pol);
	sc_profile_free(p);
	sc_diags_free(&diags);
	cli_profile_opts_free(&po);
	return ret;
}
