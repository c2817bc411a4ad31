/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.json's "mounts", in order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_read.h"
#include "seclude/util.h"

/* A mount's uidMappings and gidMappings: both or neither, and neither empty (runc's rule). */
static int check_idmaps(struct cfg_ctx *c, const struct sc_json *o, struct sc_oci_mount *m)
{
	const struct sc_json *u = cfg_get(o, "uidMappings"), *g = cfg_get(o, "gidMappings");
	if (u)
		m->uid_map_loc = u->loc;
	if (g)
		m->gid_map_loc = g->loc;
	if (!u && !g)
		return 0;
	if (!u || !g) {
		cfg_push(c, ".%s", u ? "uidMappings" : "gidMappings");
		return cfg_fail(c, u ? u : g, "given without %s: an id-mapped mount needs both",
				u ? "gidMappings" : "uidMappings");
	}
	if (!m->n_uid_map || !m->n_gid_map) {
		cfg_push(c, ".%s", m->n_uid_map ? "gidMappings" : "uidMappings");
		return cfg_fail(c, m->n_uid_map ? g : u, "no mapping given: an id-mapped mount needs uid and gid "
				"mappings both");
	}
	return 0;
}

static int read_mount(struct cfg_ctx *c, const struct sc_json *o, void *slot, void *ctx)
{
	(void)ctx;
	struct sc_oci_mount *m = slot;
	int r;
	m->loc = o->loc;
	if ((r = cfg_read_string(c, o, "destination", &m->destination)) < 0 ||
	    (r = cfg_read_string(c, o, "type", &m->type)) < 0 ||
	    (r = cfg_read_string(c, o, "source", &m->source)) < 0 ||
	    (r = cfg_read_strv(c, o, "options", &m->options, &m->n_options)) < 0 ||
	    (r = cfg_read_idmaps(c, o, "uidMappings", &m->uid_map, &m->n_uid_map)) < 0 ||
	    (r = cfg_read_idmaps(c, o, "gidMappings", &m->gid_map, &m->n_gid_map)) < 0 ||
	    (r = check_idmaps(c, o, m)) < 0)
		return r;
	if (!m->destination || !m->destination[0])
		return cfg_fail(c, o, "a mount needs a destination");
	if (m->destination[0] != '/')
		return cfg_fail(c, cfg_get(o, "destination"), "mount destination %s is not an absolute path",
				m->destination);
	return 1;
}

int cfg_parse_mounts(struct cfg_ctx *c, const struct sc_json *root, struct sc_oci_config *cfg)
{
	return cfg_each_object(c, root, "mounts", &cfg->mounts, sizeof(*cfg->mounts), &cfg->n_mounts, read_mount, NULL);
}
