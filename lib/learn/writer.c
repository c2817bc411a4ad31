/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A recorded set -> a Docker-format profile: errno default, the native arch
 * through archMap with the secondary arches that were actually seen, one
 * unconditional ALLOW rule with the names sorted, argument rules where they
 * were asked for.  With merge_text, the same union is made inside an
 * existing profile, keeping its other rules as they are.
 *
 * The ALLOW rule's comment is a few lines the writer reads back on merge:
 *   learned by seclude learn, <UTC time>: <command>     (one per run)
 *   always needed, added without being seen: a, b
 *   counts: name=N name=N ...                             (with --counts)
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/edit.h"
#include "seclude/learn.h"
#include "seclude/names.h"
#include "seclude/util.h"

const char *const sc_learn_always_needed[] = {
	"exit", "exit_group", "restart_syscall", "rt_sigreturn", NULL,
};

#define LEARNED_PREFIX "learned by seclude learn"
#define ADDED_PREFIX "always needed, added without being seen: "
#define COUNTS_PREFIX "counts: "

/* A growing list of (name, count). */
struct name_count {
	char *name;
	uint64_t count;
};

struct name_counts {
	struct name_count *v;
	size_t n, cap;
};

static struct name_count *nc_find(struct name_counts *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static int nc_add(struct name_counts *l, const char *name, uint64_t count)
{
	struct name_count *e = nc_find(l, name);
	if (e) {
		e->count += count;
		return 0;
	}
	if (SC_GROW(l->v, l->cap, l->n, 64) < 0)
		return -ENOMEM;
	if (!(l->v[l->n].name = strdup(name)))
		return -ENOMEM;
	l->v[l->n++].count = count;
	return 0;
}

static void nc_free(struct name_counts *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	*l = (struct name_counts){0};
}

static int cmp_nc(const void *a, const void *b)
{
	return strcmp(((const struct name_count *)a)->name, ((const struct name_count *)b)->name);
}

/* A string that grows; on allocation failure it stays NULL and the caller reports. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
}

static bool rule_is_allow(json_t *rule)
{
	const char *a = json_string_value(sc_json_get(rule, "action"));
	return a && !strcmp(a, "SCMP_ACT_ALLOW");
}

static bool cond_empty(json_t *c)
{
	if (!c || json_is_null(c))
		return true;
	if (!json_is_object(c))
		return false;
	const char *key;
	json_t *val;
	json_object_foreach(c, key, val) {
		if (json_is_array(val) && json_array_size(val) == 0)
			continue;
		if (json_is_integer(val) && json_integer_value(val) == 0)
			continue;
		if (json_is_string(val) && !*json_string_value(val))
			continue;
		if (json_is_null(val))
			continue;
		return false;
	}
	return true;
}

/* No args, no includes or excludes that narrow it. */
static bool rule_is_unconditional(json_t *rule)
{
	json_t *args = sc_json_get(rule, "args");
	if (args && !json_is_null(args) && !(json_is_array(args) && json_array_size(args) == 0))
		return false;
	return cond_empty(sc_json_get(rule, "includes")) &&
	       cond_empty(sc_json_get(rule, "excludes"));
}

/* The names of a rule: "names" and the old single "name". */
static bool rule_has_name(json_t *rule, const char *name)
{
	const char *one = json_string_value(sc_json_get(rule, "name"));
	if (one && !strcmp(one, name))
		return true;
	json_t *names = sc_json_get(rule, "names");
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n) {
		const char *s = json_string_value(n);
		if (s && !strcmp(s, name))
			return true;
	}
	return false;
}

static bool json_array_has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

static int add_seen_arches(json_t *list, uint32_t native, const struct sc_record *rec)
{
	for (size_t k = 0; k < rec->n_arches; k++) {
		const struct sc_record_arch *a = &rec->arches[k];
		if (a->arch == native)
			continue;
		bool any = false;
		for (size_t nr = 0; nr < SC_RECORD_MAX_NR && !any; nr++)
			any = a->count[nr] != 0;
		const char *name = sc_arch_scmp_name(a->arch);
		if (!any || !name || json_array_has_string(list, name))
			continue;
		if (json_array_append_new(list, json_string(name)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* archMap: the native arch's entry gets the secondary arches that were seen. */
static int set_arch_map(json_t *root, uint32_t native, const struct sc_record *rec)
{
	const char *native_name = sc_arch_scmp_name(native);
	if (!native_name)
		return -EINVAL;
	/* Docker refuses a profile with both "architectures" and "archMap". */
	json_t *arches = sc_json_get(root, "architectures");
	if (json_is_array(arches) && json_array_size(arches) > 0) {
		if (!json_array_has_string(arches, native_name) &&
		    json_array_append_new(arches, json_string(native_name)) < 0)
			return -ENOMEM;
		return add_seen_arches(arches, native, rec);
	}
	json_t *map = sc_json_get(root, "archMap");
	if (!json_is_array(map)) {
		map = json_array();
		if (!map || sc_json_set(root, "archMap", map) < 0)
			return -ENOMEM;
	}
	json_t *entry = NULL;
	size_t i;
	json_t *e;
	json_array_foreach(map, i, e) {
		const char *a = json_string_value(sc_json_get(e, "architecture"));
		if (a && !strcmp(a, native_name))
			entry = e;
	}
	if (!entry) {
		entry = json_pack("{s:s, s:[]}", "architecture", native_name, "subArchitectures");
		if (!entry || json_array_append_new(map, entry) < 0)
			return -ENOMEM;
	}
	json_t *subs = sc_json_get(entry, "subArchitectures");
	if (!json_is_array(subs)) {
		subs = json_array();
		if (!subs || sc_json_set(entry, "subArchitectures", subs) < 0)
			return -ENOMEM;
	}
	return add_seen_arches(subs, native, rec);
}

/* Pull "name=N" pairs out of a counts line. */
static int parse_counts_line(const char *line, struct name_counts *counts)
{
	_cleanup_free_ char *copy = strdup(line + strlen(COUNTS_PREFIX));
	if (!copy)
		return -ENOMEM;
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t v;
		if (!eq)
			continue;
		*eq = '\0';
		if (sc_parse_u64(eq + 1, &v) < 0)
			continue;
		int r = nc_add(counts, tok, v);
		if (r < 0)
			return r;
	}
	return 0;
}

static int nr_to_name_arch(uint32_t arch, int nr, char **out)
{
	int scmp_nr = arch == SCMP_ARCH_X32 ? nr | (int)SC_X32_SYSCALL_BIT : nr;
	*out = seccomp_syscall_resolve_num_arch(arch, scmp_nr);
	return *out ? 0 : -ENOENT;
}

static const char *arg_meaning(const char *name, unsigned index)
{
	if (!strcmp(name, "socket") && index == 0)
		return "family";
	if (!strcmp(name, "personality") && index == 0)
		return "persona";
	if (!strcmp(name, "clone") && index == 0)
		return "flags";
	if (!strcmp(name, "prctl") && index == 0)
		return "option";
	if (!strcmp(name, "ioctl") && index == 1)
		return "request";
	return NULL;
}

static json_t *arg_rule(const char *name, unsigned index, uint64_t value, uint64_t count)
{
	char comment[256];
	const char *what = arg_meaning(name, index);
	if (what)
		snprintf(comment, sizeof(comment), "%s %s 0x%" PRIx64 ", seen %" PRIu64 " times",
			 name, what, value, count);
	else
		snprintf(comment, sizeof(comment), "%s argument %u 0x%" PRIx64 ", seen %" PRIu64 " times",
			 name, index, value, count);
	return json_pack("{s:[s], s:s, s:[{s:i, s:I, s:i, s:s}], s:s}",
			 "names", name, "action", "SCMP_ACT_ALLOW",
			 "args", "index", (int)index, "value", (json_int_t)value, "valueTwo", 0,
			 "op", "SCMP_CMP_EQ", "comment", comment);
}

/* An existing rule that allows exactly (name, index == value) already? */
static bool has_arg_rule(json_t *rules, const char *name, unsigned index, uint64_t value)
{
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) {
		if (!rule_is_allow(rule) || !rule_has_name(rule, name))
			continue;
		json_t *args = sc_json_get(rule, "args");
		if (json_array_size(args) != 1)
			continue;
		json_t *a = json_array_get(args, 0);
		const char *op = json_string_value(sc_json_get(a, "op"));
		if (op && !strcmp(op, "SCMP_CMP_EQ") &&
		    json_integer_value(sc_json_get(a, "index")) == (json_int_t)index &&
		    (uint64_t)json_integer_value(sc_json_get(a, "value")) == value)
			return true;
	}
	return false;
}

static bool rule_allows_unconditionally(json_t *rules, const char *name)
{
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule)
		if (rule_is_allow(rule) && rule_is_unconditional(rule) && rule_has_name(rule, name))
			return true;
	return false;
}

static bool rule_denies(json_t *rules, const char *name)
{
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule)
		if (!rule_is_allow(rule) && rule_has_name(rule, name))
			return true;
	return false;
}

/* Each call not allowed yet: a rule of its own, its reason as the comment. */
static int add_extras(json_t *rules, struct name_counts *allow, const struct sc_learn_extras *x,
		      char ***list, size_t *n)
{
	for (size_t k = 0; x && k < x->n; k++) {
		const char *name = x->v[k].name;
		if (nc_find(allow, name) || rule_allows_unconditionally(rules, name) || rule_denies(rules, name))
			continue;
		if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
			continue;   /* not a call this libseccomp knows: Docker would refuse the name */
		json_t *r = json_pack("{s:[s], s:s, s:s}", "names", name, "action", "SCMP_ACT_ALLOW",
				      "comment", x->v[k].why);
		if (!r || json_array_append_new(rules, r) < 0)
			return -ENOMEM;
		char **nl = realloc(*list, (*n + 1) * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		*list = nl;
		if (!(nl[(*n)++] = strdup(name)))
			return -ENOMEM;
	}
	return 0;
}

/* "SCMP_ARCH_X86_64,SCMP_ARCH_X86": the arches the profile names. */
static void arches_of(json_t *root, struct sbuf *b)
{
	size_t i, j;
	json_t *e, *s;
	json_array_foreach(json_object_get(root, "architectures"), i, e)
		sb_printf(b, "%s%s", b->len ? "," : "", json_string_value(e) ? json_string_value(e) : "?");
	json_array_foreach(json_object_get(root, "archMap"), i, e) {
		const char *a = json_string_value(json_object_get(e, "architecture"));
		sb_printf(b, "%s%s", b->len ? "," : "", a ? a : "?");
		json_array_foreach(json_object_get(e, "subArchitectures"), j, s)
			sb_printf(b, ",%s", json_string_value(s) ? json_string_value(s) : "?");
	}
}

static void format_time(time_t when, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&when, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "@%lld", (long long)when);
}

int sc_learn_write(const struct sc_record *rec, const struct sc_learn_write_opts *opts,
		   char **json_out, struct sc_learn_summary *summary, struct sc_diags *diags,
		   struct sc_error *err)
{
	int r;
	*summary = (struct sc_learn_summary){0};
	uint32_t native = opts->native_arch ? opts->native_arch : seccomp_arch_native();

	struct sc_learned_name *names = NULL;
	size_t n_names = 0;
	r = sc_record_names(rec, &names, &n_names, diags, err);
	if (r < 0)
		return r;

	json_t *root = NULL;
	if (opts->merge_text) {
		json_error_t jerr;
		root = json_loadb(opts->merge_text, opts->merge_len, 0, &jerr);
		if (!root) {
			sc_learned_names_free(names, n_names);
			return sc_error_set(err, -EINVAL, "%s:%d:%d: %s", opts->merge_origin,
					    jerr.line, jerr.column, jerr.text);
		}
		if (!json_is_object(root) || !json_is_array(sc_json_get(root, "syscalls"))) {
			json_decref(root);
			sc_learned_names_free(names, n_names);
			return sc_error_set(err, -EINVAL,
					    "%s: not a seccomp profile (no \"syscalls\" list)",
					    opts->merge_origin);
		}
	} else {
		root = json_object();
		if (!root || sc_json_set(root, "defaultAction", json_string("SCMP_ACT_ERRNO")) < 0 ||
		    sc_json_set(root, "defaultErrnoRet", json_integer(opts->default_errno)) < 0 ||
		    sc_json_set(root, "archMap", json_array()) < 0 ||
		    sc_json_set(root, "syscalls", json_array()) < 0)
			goto oom;
	}
	if (opts->merge_text && opts->has_errno &&
	    sc_json_set(root, "defaultErrnoRet", json_integer(opts->default_errno)) < 0)
		goto oom;

	r = set_arch_map(root, native, rec);
	if (r == -EINVAL) {
		json_decref(root);
		sc_learned_names_free(names, n_names);
		return sc_error_set(err, -EINVAL, "no SCMP_ARCH_ name for the native arch 0x%x", native);
	}
	if (r < 0)
		goto oom;

	json_t *rules = sc_json_get(root, "syscalls");
	/* The rule learned names go into: one this tool wrote before, else the first plain ALLOW. */
	json_t *main_rule = NULL;
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) {
		if (!rule_is_allow(rule) || !rule_is_unconditional(rule))
			continue;
		const char *c = json_string_value(sc_json_get(rule, "comment"));
		if (c && strstr(c, LEARNED_PREFIX)) {
			main_rule = rule;
			break;
		}
		if (!main_rule)
			main_rule = rule;
	}
	if (!main_rule) {
		main_rule = json_pack("{s:[], s:s}", "names", "action", "SCMP_ACT_ALLOW");
		if (!main_rule || json_array_insert_new(rules, 0, main_rule) < 0)
			goto oom;
	}

	/* Names already in the main rule, with counts read back from its comment. */
	struct name_counts allow = {0}, counts = {0}, old_added = {0};
	struct sbuf comment = {0};
	const char *old_single = json_string_value(sc_json_get(main_rule, "name"));
	if (old_single && nc_add(&allow, old_single, 0) < 0)
		goto oom_lists;
	json_array_foreach(sc_json_get(main_rule, "names"), i, rule) {
		const char *s = json_string_value(rule);
		if (s && nc_add(&allow, s, 0) < 0)
			goto oom_lists;
	}
	const char *old_comment = json_string_value(sc_json_get(main_rule, "comment"));
	if (old_comment && *old_comment) {
		_cleanup_free_ char *copy = strdup(old_comment);
		if (!copy)
			goto oom_lists;
		char *save = NULL;
		for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(line, COUNTS_PREFIX, strlen(COUNTS_PREFIX))) {
				if (parse_counts_line(line, &counts) < 0)
					goto oom_lists;
			} else if (!strncmp(line, ADDED_PREFIX, strlen(ADDED_PREFIX))) {
				char *save2 = NULL;
				for (char *a = strtok_r(line + strlen(ADDED_PREFIX), ", ", &save2); a;
				     a = strtok_r(NULL, ", ", &save2))
					if (nc_add(&old_added, a, 0) < 0)
						goto oom_lists;
			} else if (opts->learned_for && !strncmp(line, SC_LEARN_FOR_PREFIX, strlen(SC_LEARN_FOR_PREFIX))) {
				continue;   /* said anew below */
			} else {
				sb_printf(&comment, "%s\n", line);
			}
		}
	}
	char when[64];
	format_time(opts->when, when, sizeof(when));
	sb_printf(&comment, LEARNED_PREFIX ", %s: %s\n", when, opts->command ? opts->command : "?");

	for (size_t k = 0; k < n_names; k++) {
		const char *name = names[k].name;
		if (nc_add(&counts, name, names[k].count) < 0)
			goto oom_lists;
		/* A syscall the existing profile gives another action stays with that rule. */
		bool denied = false;
		json_array_foreach(rules, i, rule)
			if (!rule_is_allow(rule) && rule_has_name(rule, name))
				denied = true;
		if (denied) {
			summary->n_kept_denied++;
			sc_diags_add(diags, SC_DIAG_WARNING, "kept-denied", NULL, NULL,
				     "%s was seen %" PRIu64 " times, but %s gives it another action: kept as it was",
				     name, names[k].count, opts->merge_origin ? opts->merge_origin : "the profile");
			continue;
		}
		bool argrule = false;
		for (size_t s = 0; opts->args && s < opts->args->n; s++)
			if (!strcmp(opts->args->v[s].name, name))
				argrule = true;
		if (argrule) {
			/* Only when values were recorded: a log without them falls back to a plain allow. */
			bool have = false;
			for (size_t v = 0; v < rec->n_argvals; v++) {
				_cleanup_free_ char *vn = NULL;
				if (nr_to_name_arch(rec->argvals[v].arch, rec->argvals[v].nr, &vn) == 0 &&
				    !strcmp(vn, name))
					have = true;
			}
			if (have)
				continue;
			sc_diags_add(diags, SC_DIAG_WARNING, "no-arg-values", NULL, NULL,
				     "%s: no argument values were recorded, allowed without conditions",
				     name);
		}
		if (nc_add(&allow, name, 0) < 0)
			goto oom_lists;
	}

	/* The always-needed set, plus sigreturn when a 32-bit x86 tree uses old-style handlers. */
	const char *needed[8];
	size_t n_needed = 0;
	for (const char *const *p = sc_learn_always_needed; *p; p++)
		if (!opts->minimal || !strncmp(*p, "exit", 4))
			needed[n_needed++] = *p;
	for (size_t k = 0; k < rec->n_arches && !opts->minimal; k++)
		if (rec->arches[k].arch == SCMP_ARCH_X86)
			needed[n_needed++] = "sigreturn";
	struct sbuf added = {0};
	for (size_t k = 0; k < n_needed; k++) {
		/* Added by an earlier run and still not seen: still said. */
		bool seen_now = false;
		for (size_t j = 0; j < n_names; j++)
			seen_now |= !strcmp(names[j].name, needed[k]);
		if (nc_find(&allow, needed[k]) && (seen_now || !nc_find(&old_added, needed[k])))
			continue;
		if (nc_find(&allow, needed[k])) {
			sb_printf(&added, "%s%s", added.len ? ", " : "", needed[k]);
			continue;
		}
		bool denied = false;
		json_array_foreach(rules, i, rule)
			if (!rule_is_allow(rule) && rule_has_name(rule, needed[k]))
				denied = true;
		if (denied)
			continue;
		if (nc_add(&allow, needed[k], 0) < 0)
			goto oom_lists;
		char **na = realloc(summary->added, (summary->n_added + 1) * sizeof(*na));
		if (!na)
			goto oom_lists;
		summary->added = na;
		if (!(na[summary->n_added++] = strdup(needed[k])))
			goto oom_lists;
		sb_printf(&added, "%s%s", added.len ? ", " : "", needed[k]);
	}
	if (added.len)
		sb_printf(&comment, ADDED_PREFIX "%s\n", added.s);
	free(added.s);

	if (opts->learned_for) {
		struct sbuf arches = {0};
		arches_of(root, &arches);
		summary->for_line = sc_learn_for_header(opts->learned_for, opts->for_version,
							arches.s ? arches.s : "");
		free(arches.s);
		if (!summary->for_line || arches.oom)
			goto oom_lists;
		sb_printf(&comment, "%s\n", summary->for_line);
	}

	/* The names are rewritten sorted; "name" becomes part of "names". */
	if (allow.n)
		qsort(allow.v, allow.n, sizeof(*allow.v), cmp_nc);
	json_t *arr = json_array();
	if (!arr)
		goto oom_lists;
	for (size_t k = 0; k < allow.n; k++)
		json_array_append_new(arr, json_string(allow.v[k].name));
	json_object_del(main_rule, "name");
	if (sc_json_set(main_rule, "names", arr) < 0)
		goto oom_lists;
	summary->n_names = allow.n;

	if (opts->counts && counts.n) {
		qsort(counts.v, counts.n, sizeof(*counts.v), cmp_nc);
		sb_printf(&comment, COUNTS_PREFIX);
		for (size_t k = 0; k < counts.n; k++)
			sb_printf(&comment, "%s%s=%" PRIu64, k ? " " : "", counts.v[k].name, counts.v[k].count);
		sb_printf(&comment, "\n");
	}
	if (comment.oom)
		goto oom_lists;
	if (comment.len)
		comment.s[--comment.len] = '\0';   /* no trailing newline */
	if (sc_json_set(main_rule, "comment", json_string(comment.s ? comment.s : "")) < 0)
		goto oom_lists;

	/* The runtime's calls and the any-moment set, a rule each, after the main rule. */
	if (add_extras(rules, &allow, opts->runtime_calls, &summary->for_added, &summary->n_for_added) < 0 ||
	    add_extras(rules, &allow, opts->any_moment, &summary->any_added, &summary->n_any_added) < 0)
		goto oom_lists;
	summary->n_names += summary->n_for_added + summary->n_any_added;

	/* Argument rules, after the plain ones, one value each. */
	for (size_t v = 0; v < rec->n_argvals; v++) {
		const struct sc_record_argval *av = &rec->argvals[v];
		_cleanup_free_ char *vn = NULL;
		if (nr_to_name_arch(av->arch, av->nr, &vn) < 0)
			continue;
		bool wanted = false;
		for (size_t s = 0; opts->args && s < opts->args->n; s++)
			if (!strcmp(opts->args->v[s].name, vn) && opts->args->v[s].index == av->index)
				wanted = true;
		if (!wanted || nc_find(&allow, vn) || has_arg_rule(rules, vn, av->index, av->value))
			continue;
		bool denied = false;
		json_array_foreach(rules, i, rule)
			if (!rule_is_allow(rule) && rule_has_name(rule, vn))
				denied = true;
		if (denied)
			continue;
		/* Same value seen on two arches: one rule, counts added. */
		uint64_t total = 0;
		for (size_t w = v; w < rec->n_argvals; w++) {
			_cleanup_free_ char *wn = NULL;
			if (rec->argvals[w].index == av->index && rec->argvals[w].value == av->value &&
			    nr_to_name_arch(rec->argvals[w].arch, rec->argvals[w].nr, &wn) == 0 &&
			    !strcmp(wn, vn))
				total += rec->argvals[w].count;
		}
		json_t *ar = arg_rule(vn, av->index, av->value, total);
		if (!ar || json_array_append_new(rules, ar) < 0)
			goto oom_lists;
		summary->n_arg_rules++;
	}

	free(comment.s);
	nc_free(&old_added);
	nc_free(&allow);
	nc_free(&counts);
	sc_learned_names_free(names, n_names);
	*json_out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!*json_out) {
		sc_learn_summary_free(summary);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;

oom_lists:
	free(comment.s);
	nc_free(&old_added);
	nc_free(&allow);
	nc_free(&counts);
oom:
	json_decref(root);
	sc_learned_names_free(names, n_names);
	sc_learn_summary_free(summary);
	return sc_error_set(err, -ENOMEM, "out of memory");
}

void sc_learn_summary_free(struct sc_learn_summary *s)
{
	sc_strv_free(s->added, s->n_added);
	sc_strv_free(s->for_added, s->n_for_added);
	sc_strv_free(s->any_added, s->n_any_added);
	free(s->for_line);
	*s = (struct sc_learn_summary){0};
}
