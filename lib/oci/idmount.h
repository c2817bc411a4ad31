/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Id-mapped mounts: a config.json bind with uidMappings and gidMappings
 * (or the option idmap or ridmap, with the container's own maps), made
 * in idmount.c before anything starts.
 */
#ifndef SC_OCI_IDMOUNT_H
#define SC_OCI_IDMOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "seclude/oci.h"

/* Whether the mount asks to be id-mapped (tospec.c). */
bool sc_oci_mount_idmapped(const struct sc_oci_mount *m);
/* Whether the launcher makes this mount itself, the config's then skipped (tospec.c). */
bool sc_oci_launcher_makes(const struct sc_oci_mount *m);

/*
 * The id-mapped mounts of cfg, made as runc makes them, s being cfg's
 * spec (sc_oci_to_spec): open_tree(OPEN_TREE_CLONE) of the source (with
 * the mounts under it for a recursive bind), then
 * mount_setattr(MOUNT_ATTR_IDMAP) with a user namespace carrying the maps
 * (to the mounts under it too with ridmap).  *trees: indexed like
 * s->mounts, -1 where none, for sc_sandbox_config.mount_trees; NULL when
 * no mount is id-mapped.  Refused, located: a container that is not
 * root's, a source that cannot be opened, a file system that cannot be
 * id-mapped.
 */
int sc_oci_mount_trees(const struct sc_oci_config *cfg, const struct sc_spec *s, int **trees,
		       struct sc_error *err);
/* Close and free what sc_oci_mount_trees made (n: the spec's mounts); trees may be NULL. */
void sc_oci_mount_trees_close(int *trees, size_t n);

#endif
