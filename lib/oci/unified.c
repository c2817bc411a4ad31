/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.resources.unified: cgroup v2 files written as runc writes them (see oci.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seclude/oci.h"
#include "seclude/util.h"

static bool controller_available(const char *dir, const char *ctrl)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	_cleanup_free_ char *text = NULL;
	if (sc_read_file(path, 1 << 16, &text, NULL, NULL) < 0)
		return false;
	for (char *save = NULL, *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		if (strcmp(w, ctrl) == 0)
			return true;
	return false;
}

int sc_oci_apply_unified(const struct sc_oci_config *cfg, const char *dir, struct sc_error *err)
{
	for (size_t i = 0; i < cfg->n_unified; i++) {
		const char *k = cfg->unified[i].key, *v = cfg->unified[i].value;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, k);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		int e = fd < 0 ? errno : 0;
		if (fd >= 0) {
			/* one write per line, as runc's WriteFileByLine */
			_cleanup_free_ char *copy = strdup(v);
			if (!copy) {
				close(fd);
				return sc_error_set(err, -ENOMEM, "out of memory");
			}
			char *save = NULL;
			for (char *l = strtok_r(copy, "\n", &save); l && !e; l = strtok_r(NULL, "\n", &save))
				if (write(fd, l, strlen(l)) < 0)
					e = errno;
			if (!v[0] && write(fd, "", 0) < 0)
				e = errno;
			close(fd);
		}
		if (!e)
			continue;
		const char *dot = strchr(k, '.');
		char ctrl[64] = "";
		if (dot && (size_t)(dot - k) < sizeof(ctrl))
			memcpy(ctrl, k, (size_t)(dot - k));
		if (e == EPERM || e == ENOENT || e == EACCES) {
			if (!dot)
				return sc_error_set(err, -EINVAL, "%s:%u:%u: linux.resources.unified: unified resource "
						    "\"%s\" must be in the form CONTROLLER.PARAMETER", cfg->origin,
						    cfg->unified_loc.line, cfg->unified_loc.col, k);
			if (strcmp(ctrl, "cgroup") != 0 && !controller_available(dir, ctrl))
				return sc_error_set(err, -EINVAL, "%s:%u:%u: linux.resources.unified: unified resource "
						    "\"%s\" can't be set: controller \"%s\" not available", cfg->origin,
						    cfg->unified_loc.line, cfg->unified_loc.col, k, ctrl);
		}
		return sc_error_set(err, -e, "%s:%u:%u: linux.resources.unified: unable to set unified resource "
				    "\"%s\": %s", cfg->origin, cfg->unified_loc.line, cfg->unified_loc.col, k,
				    strerror(e));
	}
	return 0;
}
