/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "seclude/profile.h"
#include "seclude/util.h"

/* Far above any real profile (Docker's is 20 KiB); keeps a wrong path such
 * as a disk image from being read into memory. */
#define PROFILE_MAX_BYTES (16u << 20)

extern const char sc_default_profile_json[];
extern const size_t sc_default_profile_json_len;

const char *sc_default_profile_text(size_t *len)
{
	if (len)
		*len = sc_default_profile_json_len;
	return sc_default_profile_json;
}

int sc_profile_load(const char *path, const struct sc_parse_opts *opts,
		    struct sc_profile **out, struct sc_diags *diags,
		    struct sc_error *err)
{
	if (!path || !*path)
		return sc_error_set(err, -EINVAL, "no profile given");
	if (strcmp(path, "default") == 0)
		return sc_profile_parse(sc_default_profile_json, sc_default_profile_json_len,
					"default", opts, out, diags, err);

	const char *origin = path;
	if (strcmp(path, "-") == 0) {
		path = "/dev/stdin";
		origin = "<stdin>";
	}
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = sc_read_file(path, PROFILE_MAX_BYTES, &text, &len, err);
	if (r < 0) {
		if (origin != path)
			sc_error_prefix(err, "%s", origin);
		return r;
	}
	return sc_profile_parse(text, len, origin, opts, out, diags, err);
}
