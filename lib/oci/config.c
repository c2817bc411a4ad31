/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json -> struct sc_oci_config: the document, its hooks and
 * annotations; its parts are read in config_process.c, config_mounts.c
 * and config_linux.c, with the JSON rules of config_read.c.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_read.h"
#include "seclude/util.h"

const char *const sc_oci_hook_names[SC_HOOK_NKINDS] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

static int read_hook(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	(void)ctx;
	struct sc_oci_hook *hk = slot;
	int64_t t = 0;
	bool has_t = false;
	int r;
	if ((r = cfg_read_string(c, o, "path", &hk->path)) < 0 ||
	    (r = cfg_read_strv(c, o, "args", &hk->args, &hk->n_args)) < 0 ||
	    (r = cfg_read_strv(c, o, "env", &hk->env, &hk->n_env)) < 0 ||
	    (r = cfg_read_int(c, o, "timeout", 1, INT_MAX, &t, &has_t)) < 0)
		return r;
	hk->timeout = (int)t;
	if (!hk->path || hk->path[0] != '/')
		return cfg_fail(c, o, "a hook needs an absolute path");
	return 1;
}

static int parse_hooks(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	const struct sc_json *h;
	int r = cfg_object_of(c, root, "hooks", &h);
	if (r < 0 || !h)
		return r;
	size_t old = cfg_push(c, "hooks");
	for (int k = 0; k < SC_HOOK_NKINDS; k++)
		if ((r = cfg_each_object(c, h, sc_oci_hook_names[k], &cfg->hooks[k], sizeof(struct sc_oci_hook),
					 &cfg->n_hooks[k], read_hook, NULL)) < 0)
			return r;
	cfg_pop(c, old);
	return 0;
}

/* ---- the document ----------------------------------------------------- */

static int parse_root(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	int r;
	if ((r = cfg_read_string(c, root, "ociVersion", &cfg->oci_version)) < 0 ||
	    (r = cfg_read_string(c, root, "hostname", &cfg->hostname)) < 0 ||
	    (r = cfg_read_string(c, root, "domainname", &cfg->domainname)) < 0)
		return r;
	const struct sc_json *rt;
	if ((r = cfg_object_of(c, root, "root", &rt)) < 0)
		return r;
	if (rt) {
		size_t old = cfg_push(c, "root");
		if ((r = cfg_read_string(c, rt, "path", &cfg->root_path)) < 0 ||
		    (r = cfg_read_bool(c, rt, "readonly", &cfg->root_readonly)) < 0)
			return r;
		cfg_pop(c, old);
	}
	if (!cfg->root_path || !cfg->root_path[0]) {
		snprintf(c->path, sizeof(c->path), "root.path");
		return cfg_fail(c, rt ? rt : root, "the root filesystem is not given");
	}
	if ((r = cfg_parse_process(c, root, cfg)) < 0 || (r = cfg_parse_mounts(c, root, cfg)) < 0 ||
	    (r = parse_hooks(c, root, cfg)) < 0 ||
	    (r = cfg_parse_kv(c, root, "annotations", &cfg->annotations, &cfg->n_annotations)) < 0 ||
	    (r = cfg_parse_linux(c, root, cfg)) < 0)
		return r;
	if (!cfg->has_process) {
		snprintf(c->path, sizeof(c->path), "process");
		return cfg_fail(c, root, "the config has no process to run");
	}
	return 0;
}

int sc_oci_config_parse(const char *text, size_t len, const char *origin,
			struct sc_oci_config **out, struct sc_error *err)
{
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config *cfg = calloc(1, sizeof(*cfg));
	struct cfg_ctx c = { .origin = origin, .err = err };
	if (!cfg || !(cfg->origin = strdup(origin)) || !(cfg->text = malloc(len + 1))) {
		sc_oci_config_free(cfg);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	memcpy(cfg->text, text, len);
	cfg->text[len] = '\0';
	cfg->len = len;
	if (root->type != SC_JSON_OBJECT) {
		snprintf(c.path, sizeof(c.path), "(top)");
		r = cfg_type_error(&c, root, "an object");
	} else {
		r = parse_root(&c, root, cfg);
	}
	sc_json_free(root);
	if (r < 0) {
		sc_oci_config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

int sc_oci_config_load(const char *bundle, struct sc_oci_config **out, struct sc_error *err)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	size_t len = 0;
	if (asprintf(&path, "%s/config.json", bundle) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	int r = sc_read_file(path, 64 << 20, &text, &len, err);
	if (r < 0)
		return r;
	return sc_oci_config_parse(text, len, path, out, err);
}

static void kv_free(struct sc_oci_kv *kv, size_t n)
{
	for (size_t i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void sc_oci_config_free(struct sc_oci_config *c)
{
	if (!c)
		return;
	free(c->origin);
	free(c->text);
	free(c->oci_version);
	sc_strv_free(c->args, c->n_args);
	sc_strv_free(c->env, c->n_env);
	free(c->cwd);
	free(c->additional_gids);
	free(c->rlimits);
	free(c->apparmor_profile);
	free(c->selinux_label);
	free(c->root_path);
	free(c->hostname);
	free(c->domainname);
	for (size_t i = 0; c->mounts && i < c->n_mounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		sc_strv_free(c->mounts[i].options, c->mounts[i].n_options);
		free(c->mounts[i].uid_map);
		free(c->mounts[i].gid_map);
	}
	free(c->mounts);
	for (int k = 0; k < SC_HOOK_NKINDS; k++) {
		for (size_t i = 0; c->hooks[k] && i < c->n_hooks[k]; i++) {
			free(c->hooks[k][i].path);
			sc_strv_free(c->hooks[k][i].args, c->hooks[k][i].n_args);
			sc_strv_free(c->hooks[k][i].env, c->hooks[k][i].n_env);
		}
		free(c->hooks[k]);
	}
	kv_free(c->annotations, c->n_annotations);
	for (size_t i = 0; c->ns_paths && i < c->n_ns_paths; i++)
		free(c->ns_paths[i].path);
	free(c->ns_paths);
	free(c->uid_map);
	free(c->gid_map);
	sc_limits_free(&c->limits);
	kv_free(c->unified, c->n_unified);
	for (size_t i = 0; c->devices && i < c->n_devices; i++)
		free(c->devices[i].path);
	free(c->devices);
	free(c->device_rules);
	free(c->device_access);
	free(c->cgroups_path);
	sc_strv_free(c->masked_paths, c->n_masked_paths);
	sc_strv_free(c->readonly_paths, c->n_readonly_paths);
	kv_free(c->sysctl, c->n_sysctl);
	free(c->rootfs_propagation);
	free(c->mount_label);
	free(c->listener_path);
	free(c->listener_metadata);
	free(c);
}

const char *sc_oci_annotation(const struct sc_oci_config *c, const char *key)
{
	for (size_t i = 0; i < c->n_annotations; i++)
		if (strcmp(c->annotations[i].key, key) == 0)
			return c->annotations[i].value;
	return NULL;
}

int sc_oci_signal_from_name(const char *s)
{
	uint64_t n;
	if (sc_parse_u64(s, &n) == 0)
		return n > 0 && n < (uint64_t)NSIG ? (int)n : -EINVAL;
	const char *bare = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(abbrev, bare) == 0)
			return i;
	}
	if (strncasecmp(bare, "RTMIN+", 6) == 0 && sc_parse_u64(bare + 6, &n) == 0 &&
	    SIGRTMIN + (int)n <= SIGRTMAX)
		return SIGRTMIN + (int)n;
	return -EINVAL;
}

int sc_oci_process_parse(const char *text, size_t len, const char *origin, struct sc_oci_config **out,
			 struct sc_error *err)
{
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config *cfg = calloc(1, sizeof(*cfg));
	struct cfg_ctx c = { .origin = origin, .err = err };
	if (!cfg || !(cfg->origin = strdup(origin))) {
		sc_oci_config_free(cfg);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	/* the file is a config's "process" object: read it as one */
	struct sc_json_member m = { .key = (char *)"process", .key_loc = root->loc, .value = *root };
	struct sc_json wrap = { .type = SC_JSON_OBJECT, .loc = root->loc, .members = &m, .n_members = 1 };
	r = root->type == SC_JSON_OBJECT ? cfg_parse_process(&c, &wrap, cfg) : cfg_type_error(&c, root, "an object");
	sc_json_free(root);
	if (r < 0) {
		sc_oci_config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

int sc_oci_resources_parse(const char *text, size_t len, const char *origin, struct sc_oci_config **out,
			   struct sc_error *err)
{
	*out = NULL;
	struct sc_json *root = NULL;
	int r = sc_json_parse(text, len, origin, &root, err);
	if (r < 0)
		return r;
	struct sc_oci_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg || !(cfg->origin = strdup(origin))) {
		free(cfg);
		sc_json_free(root);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	struct cfg_ctx c = { .origin = origin, .err = err, .path = "linux" };
	/* the file is a config's linux.resources object: read it as one */
	struct sc_json_member m = { .key = (char *)"resources", .key_loc = root->loc, .value = *root };
	struct sc_json wrap = { .type = SC_JSON_OBJECT, .loc = root->loc, .members = &m, .n_members = 1 };
	r = root->type == SC_JSON_OBJECT ? cfg_parse_resources(&c, &wrap, cfg) : cfg_type_error(&c, root, "an object");
	sc_json_free(root);
	if (r < 0) {
		sc_oci_config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}
