/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading config.json's JSON (config_read.c), shared by the files that
 * read its parts: config.c (the document, hooks, annotations),
 * config_process.c, config_mounts.c, config_linux.c.  Keys match as Go's
 * encoding/json (which runc uses) matches them: case-insensitively, the
 * last of duplicates winning; null is the same as absent; unknown keys
 * are ignored.  Every refusal names the place: "origin:line:col: path: what".
 */
#ifndef SC_OCI_CONFIG_READ_H
#define SC_OCI_CONFIG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seclude/jsonloc.h"
#include "seclude/oci.h"

struct cfg_ctx {
	const char *origin;
	struct sc_error *err;
	char path[512];
};

int cfg_fail(struct cfg_ctx *c, const struct sc_json *v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cfg_nomem(struct cfg_ctx *c);
/* Path bookkeeping: push ".key" or "[i]", pop back to a saved length. */
size_t cfg_push(struct cfg_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_pop(struct cfg_ctx *c, size_t old);
int cfg_type_error(struct cfg_ctx *c, const struct sc_json *v, const char *want);
/* The member named key (case-insensitive, last wins), or NULL; null counts as absent. */
const struct sc_json *cfg_get(const struct sc_json *obj, const char *key);

/*
 * Each reader below takes the parent object and a key, does nothing when
 * the key is absent, and keeps the path right in its messages.
 */
int cfg_want_object(struct cfg_ctx *c, const struct sc_json *v);
int cfg_read_string(struct cfg_ctx *c, const struct sc_json *obj, const char *key, char **out);
int cfg_read_bool(struct cfg_ctx *c, const struct sc_json *obj, const char *key, bool *out);
/* An integer in [min, max]; *has (may be NULL) says it was there. */
int cfg_read_int_v(struct cfg_ctx *c, const struct sc_json *v, int64_t min, uint64_t max, int64_t *out);
int cfg_read_int(struct cfg_ctx *c, const struct sc_json *obj, const char *key, int64_t min, uint64_t max,
		 int64_t *out, bool *has);
int cfg_read_u32(struct cfg_ctx *c, const struct sc_json *obj, const char *key, uint32_t *out);
int cfg_read_strv(struct cfg_ctx *c, const struct sc_json *obj, const char *key, char ***out, size_t *n);
/* An array (object) member: NULL when absent, else checked to be one. */
int cfg_array_of(struct cfg_ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out);
int cfg_object_of(struct cfg_ctx *c, const struct sc_json *obj, const char *key, const struct sc_json **out);
/* The most lines a uid_map or gid_map takes. */
#define SC_IDMAP_MAX 340
/* An array of id mappings (linux.uidMappings, a mount's uidMappings ...), checked as the kernel checks them. */
int cfg_read_idmaps(struct cfg_ctx *c, const struct sc_json *obj, const char *key, struct sc_idmap **out, size_t *n);
/*
 * Each object of the array at parent's key, read by fn with the path at
 * "KEY[i]" (fn states its fields only); nothing when the key is absent.
 * array (a T **) gets a zeroed slot of size bytes an item and one more,
 * and fn the next free one: counted in *n while fn reads (what fn took
 * is then freed with the rest if it fails), given back when fn returns 0
 * (the item needs none), kept when it returns 1.
 */
typedef int cfg_object_fn(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx);
int cfg_each_object(struct cfg_ctx *c, const struct sc_json *parent, const char *key, void *array, size_t size,
		    size_t *n, cfg_object_fn *fn, void *ctx);
/* An object of strings (annotations, sysctl). */
int cfg_parse_kv(struct cfg_ctx *c, const struct sc_json *obj, const char *key, struct sc_oci_kv **out, size_t *n);

/* The parts of the document, each into cfg. */
int cfg_parse_process(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg);
int cfg_parse_mounts(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg);
int cfg_parse_linux(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg);
int cfg_parse_resources(struct cfg_ctx *c, const struct sc_json *lx, struct sc_oci_config *cfg);

#endif
