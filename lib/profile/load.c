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

int sc_profile_read(const char *path, char **text, size_t *len, const char **origin,
		    struct sc_error *err)
{
	*text = NULL;
	*len = 0;
	if (!path || !*path)
		return sc_error_set(err, -EINVAL, "no profile given");
	if (strcmp(path, "default") == 0) {
		if (!(*text = malloc(sc_default_profile_json_len + 1)))
			return sc_error_set(err, -ENOMEM, "out of memory");
		memcpy(*text, sc_default_profile_json, sc_default_profile_json_len);
		(*text)[sc_default_profile_json_len] = '\0';
		*len = sc_default_profile_json_len;
		*origin = "default";
		return 0;
	}
	*origin = path;
	/* "-" is the one way to hand over a pipe: stdin, read as it comes */
	if (strcmp(path, "-") == 0) {
		*origin = "<stdin>";
		return sc_read_fd(STDIN_FILENO, *origin, PROFILE_MAX_BYTES, text, len, err);
	}
	return sc_read_user_file(path, PROFILE_MAX_BYTES, text, len, err);
}

int sc_profile_load(const char *path, const struct sc_parse_opts *opts,
		    struct sc_profile **out, struct sc_diags *diags,
		    struct sc_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	const char *origin;
	int r = sc_profile_read(path, &text, &len, &origin, err);
	if (r < 0)
		return r;
	return sc_profile_parse(text, len, origin, opts, out, diags, err);
}
