/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runtimes' measured sets (lib/learn/runtimes/<runtime>.json, built in),
 * chosen by case, the any-moment set, the "learned for:" line, and
 * check --for.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/learn_for.h"
#include "seclude/lint.h"
#include "seclude/util.h"

extern const char sc_runtime_docker_json[], sc_runtime_runc_json[], sc_runtime_crun_json[],
	sc_runtime_podman_json[], sc_runtime_containerd_json[], sc_runtime_seclude_json[];
extern const size_t sc_runtime_docker_json_len, sc_runtime_runc_json_len, sc_runtime_crun_json_len,
	sc_runtime_podman_json_len, sc_runtime_containerd_json_len, sc_runtime_seclude_json_len;

static const struct {
	const char *name;
	const char *data;
	const size_t *len;
} runtimes[] = {
	{ "docker", sc_runtime_docker_json, &sc_runtime_docker_json_len },
	{ "runc", sc_runtime_runc_json, &sc_runtime_runc_json_len },
	{ "crun", sc_runtime_crun_json, &sc_runtime_crun_json_len },
	{ "podman", sc_runtime_podman_json, &sc_runtime_podman_json_len },
	{ "containerd", sc_runtime_containerd_json, &sc_runtime_containerd_json_len },
	{ "seclude", sc_runtime_seclude_json, &sc_runtime_seclude_json_len },
};

const char *const sc_learn_for_runtimes[] = {
	"docker", "runc", "crun", "podman", "containerd", "seclude", NULL,
};

/*
 * What a short training run can miss: calls made only when a lock is
 * contended, a sleep backs off or is interrupted, malloc trims, a signal
 * arrives.  Measured: under the same runtime and case, runc's futex was
 * seen in 4 to 6 of 8 runs and rt_sigreturn in 0 to 2
 * (lib/learn/runtimes/runc.json); nginx, sort and tar learned five times
 * each were stable but for one chown (bench/runtimes/any-moment), so the
 * set stays small.
 */
const struct sc_learn_any_moment sc_learn_any_moment[] = {
	{ "futex", "can happen at any moment: a lock or condition another thread holds (contended futex)" },
	{ "sched_yield", "can happen at any moment: a spinning lock gives the CPU away" },
	{ "nanosleep", "can happen at any moment: a back-off sleep in a lock or a retry" },
	{ "clock_nanosleep", "can happen at any moment: a back-off sleep (glibc's nanosleep)" },
	{ "madvise", "can happen at any moment: malloc gives freed memory back to the kernel" },
	{ "rt_sigreturn", "can happen at any moment: the return from a signal handler" },
	{ "restart_syscall", "can happen at any moment: a sleep interrupted by a stop signal resumes" },
	{ NULL, NULL },
};

void sc_learn_extras_free(struct sc_learn_extras *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].name);
		free(x->v[i].why);
	}
	free(x->v);
	*x = (struct sc_learn_extras){0};
}

static int extras_add(struct sc_learn_extras *x, const char *name, const char *why)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i].name, name))
			return 0;
	struct sc_learn_extra *nv = realloc(x->v, (x->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	x->v = nv;
	nv[x->n].name = strdup(name);
	nv[x->n].why = strdup(why);
	if (!nv[x->n].name || !nv[x->n].why) {
		free(nv[x->n].name);
		free(nv[x->n].why);
		return -ENOMEM;
	}
	x->n++;
	return 0;
}

int sc_learn_for_parse_nnp(const char *s, enum sc_for_tri *out)
{
	if (!strcmp(s, "any"))
		*out = SC_FOR_ANY;
	else if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		*out = SC_FOR_YES;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		*out = SC_FOR_NO;
	else
		return -EINVAL;
	return 0;
}

int sc_learn_for_parse_user(const char *s, enum sc_for_user *out)
{
	if (!*s)
		return -EINVAL;
	if (!strcmp(s, "any"))
		*out = SC_FOR_USER_ANY;
	else if (!strcmp(s, "root") || !strcmp(s, "0") || !strncmp(s, "0:", 2) || !strncmp(s, "root:", 5))
		*out = SC_FOR_USER_ROOT;
	else
		*out = SC_FOR_USER_OTHER;   /* "other", a uid, a name: not root */
	return 0;
}

bool sc_learn_for_known(const char *runtime)
{
	if (!strcmp(runtime, "none"))
		return true;
	for (size_t i = 0; i < SC_ARRAY_SIZE(runtimes); i++)
		if (!strcmp(runtimes[i].name, runtime))
			return true;
	return false;
}

const char *sc_learn_for_data(const char *runtime, size_t *len)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(runtimes); i++)
		if (!strcmp(runtimes[i].name, runtime)) {
			*len = *runtimes[i].len;
			return runtimes[i].data;
		}
	return NULL;
}

static const char *tri_name(enum sc_for_tri t)
{
	return t == SC_FOR_YES ? "yes" : t == SC_FOR_NO ? "no" : "any";
}

static const char *user_name(enum sc_for_user u)
{
	return u == SC_FOR_USER_ROOT ? "root" : u == SC_FOR_USER_OTHER ? "other" : "any";
}

static int cmp_extra(const void *a, const void *b)
{
	return strcmp(((const struct sc_learn_extra *)a)->name, ((const struct sc_learn_extra *)b)->name);
}

/* The version as measured: a static copy per runtime. */
static char versions[SC_ARRAY_SIZE(runtimes)][128];

int sc_learn_for_calls(const struct sc_learn_for *f, struct sc_learn_extras *out,
		       const char **version, struct sc_error *err)
{
	*out = (struct sc_learn_extras){0};
	*version = "";
	if (!strcmp(f->runtime, "none"))
		return 0;
	size_t idx = SC_ARRAY_SIZE(runtimes);
	for (size_t i = 0; i < SC_ARRAY_SIZE(runtimes); i++)
		if (!strcmp(runtimes[i].name, f->runtime))
			idx = i;
	if (idx == SC_ARRAY_SIZE(runtimes))
		return sc_error_set(err, -EINVAL,
				    "--for \"%s\": expected docker, runc, crun, podman, containerd, seclude or none",
				    f->runtime);
	json_error_t jerr;
	json_t *doc = json_loadb(runtimes[idx].data, *runtimes[idx].len, 0, &jerr);
	if (!doc)
		return sc_error_set(err, -EINVAL, "runtimes/%s.json:%d:%d: %s", f->runtime, jerr.line,
				    jerr.column, jerr.text);
	const char *v = json_string_value(json_object_get(doc, "version"));
	snprintf(versions[idx], sizeof(versions[idx]), "%s", v ? v : "?");
	*version = versions[idx];

	size_t matched = 0;
	json_t *c;
	size_t i;
	char measured[512] = "";
	json_array_foreach(json_object_get(doc, "cases"), i, c) {
		bool nnp = json_is_true(json_object_get(c, "nnp"));
		bool init = json_is_true(json_object_get(c, "init"));
		const char *user = json_string_value(json_object_get(c, "user"));
		bool other = user && strcmp(user, "root") != 0;
		size_t ml = strlen(measured);
		snprintf(measured + ml, sizeof(measured) - ml, "%snnp=%s user=%s init=%s", ml ? ", " : "",
			 nnp ? "yes" : "no", other ? "other" : "root", init ? "yes" : "no");
		if (f->nnp != SC_FOR_ANY && nnp != (f->nnp == SC_FOR_YES))
			continue;
		if (f->user != SC_FOR_USER_ANY && other != (f->user == SC_FOR_USER_OTHER))
			continue;
		if (init && !f->init)
			continue;
		matched++;
		json_t *s;
		size_t k;
		json_array_foreach(json_object_get(c, "syscalls"), k, s) {
			const char *name = json_string_value(json_object_get(s, "name"));
			const char *why = json_string_value(json_object_get(s, "why"));
			if (!name)
				continue;
			char buf[512];
			snprintf(buf, sizeof(buf), "%s %s: %s", f->runtime, *version, why ? why : "seen");
			if (extras_add(out, name, buf) < 0) {
				json_decref(doc);
				sc_learn_extras_free(out);
				return sc_error_set(err, -ENOMEM, "out of memory");
			}
		}
	}
	bool init_measured = strstr(measured, "init=yes") != NULL;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_extra);
	json_decref(doc);
	if (!matched || (f->init && !init_measured)) {
		sc_learn_extras_free(out);
		return sc_error_set(err, -ENOENT,
				    "%s %s was not measured with nnp=%s user=%s%s (measured: %s; "
				    "scripts/measure-runtime %s measures it anew)",
				    f->runtime, *version, tri_name(f->nnp), user_name(f->user),
				    f->init ? " init=yes" : "", measured, f->runtime);
	}
	return 0;
}

int sc_learn_any_moment_calls(struct sc_learn_extras *out, struct sc_error *err)
{
	*out = (struct sc_learn_extras){0};
	for (size_t i = 0; sc_learn_any_moment[i].name; i++)
		if (extras_add(out, sc_learn_any_moment[i].name, sc_learn_any_moment[i].why) < 0) {
			sc_learn_extras_free(out);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
	return 0;
}

char *sc_learn_for_header(const struct sc_learn_for *f, const char *version, const char *arches)
{
	char *s = NULL;
	if (asprintf(&s, SC_LEARN_FOR_PREFIX "runtime=%s%s%s; nnp=%s; user=%s; init=%s; arches=%s",
		     f->runtime, version && *version ? " " : "", version ? version : "",
		     tri_name(f->nnp), user_name(f->user), f->init ? "yes" : "no",
		     arches ? arches : "") < 0)
		return NULL;
	return s;
}

/* "key=" value up to ';' in line, copied into buf. */
static bool field(const char *line, const char *key, char *buf, size_t len)
{
	const char *p = line;
	size_t kl = strlen(key);
	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ' || p[-1] == ';') && p[kl] == '=') {
			p += kl + 1;
			size_t n = strcspn(p, ";\n");
			snprintf(buf, len, "%.*s", (int)n, p);
			return true;
		}
		p += kl;
	}
	return false;
}

int sc_learn_for_from_profile(const struct sc_profile *p, struct sc_learn_for *f, char **runtime,
			      struct sc_error *err)
{
	(void)err;
	*runtime = NULL;
	for (size_t i = 0; i < p->n_rules; i++) {
		const char *c = p->rules[i].comment;
		const char *line = c ? strstr(c, SC_LEARN_FOR_PREFIX) : NULL;
		if (!line)
			continue;
		line += strlen(SC_LEARN_FOR_PREFIX);
		char rt[256] = "", buf[64];
		if (!field(line, "runtime", rt, sizeof(rt)))
			continue;
		rt[strcspn(rt, " ")] = '\0';
		if (!(*runtime = strdup(rt)))
			return -ENOMEM;
		*f = (struct sc_learn_for){ .runtime = *runtime };
		if (field(line, "nnp", buf, sizeof(buf)))
			(void)sc_learn_for_parse_nnp(buf, &f->nnp);
		if (field(line, "user", buf, sizeof(buf)))
			(void)sc_learn_for_parse_user(buf, &f->user);
		if (field(line, "init", buf, sizeof(buf)))
			f->init = !strcmp(buf, "yes");
		return 0;
	}
	return 0;
}

/* Does the case `have` (what the profile was learned for) cover `want`? */
static bool covers(const struct sc_learn_for *have, const struct sc_learn_for *want)
{
	if (strcmp(have->runtime, want->runtime))
		return false;
	if (have->nnp != SC_FOR_ANY && have->nnp != want->nnp)
		return false;
	if (have->user != SC_FOR_USER_ANY && have->user != want->user)
		return false;
	return have->init || !want->init;
}

int sc_learn_for_check(const struct sc_profile *p, const struct sc_policy *pol,
		       const struct sc_learn_for *f, struct sc_diags *out, struct sc_error *err)
{
	struct sc_learn_extras calls;
	const char *version;
	int r = sc_learn_for_calls(f, &calls, &version, err);
	if (r < 0)
		return r;

	struct sc_learn_for have;
	_cleanup_free_ char *have_rt = NULL;
	if (sc_learn_for_from_profile(p, &have, &have_rt, err) < 0) {
		sc_learn_extras_free(&calls);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	if (have_rt && !covers(&have, f))
		sc_diags_add(out, SC_DIAG_WARNING, "learned-for-other", p->origin, NULL,
			     "learned for %s (nnp=%s user=%s init=%s), checked for %s (nnp=%s user=%s init=%s)",
			     have.runtime, tri_name(have.nnp), user_name(have.user), have.init ? "yes" : "no",
			     f->runtime, tri_name(f->nnp), user_name(f->user), f->init ? "yes" : "no");

	struct sc_lint_need *needs = calloc(calls.n ? calls.n : 1, sizeof(*needs));
	if (!needs) {
		sc_learn_extras_free(&calls);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	/* the reason without the "runtime version: " prefix: the message names who */
	size_t skip = strlen(f->runtime) + 1 + strlen(version) + 2;
	for (size_t i = 0; i < calls.n; i++) {
		needs[i].name = calls.v[i].name;
		needs[i].why = strlen(calls.v[i].why) > skip ? calls.v[i].why + skip : calls.v[i].why;
	}
	char who[256];
	snprintf(who, sizeof(who), "%s%s%s", f->runtime, *version ? " " : "", version);
	r = sc_policy_lint_needs(p, pol, needs, calls.n, who, out, err);
	free(needs);
	sc_learn_extras_free(&calls);
	return r;
}
