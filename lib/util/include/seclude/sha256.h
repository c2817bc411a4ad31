/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_SHA256_H
#define SECLUDE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), streaming.  Used for cache keys, not for secrets. */
struct sc_sha256 {
	uint32_t h[8];
	uint64_t total;       /* bytes hashed so far */
	uint8_t buf[64];
	size_t used;          /* bytes waiting in buf */
};

void sc_sha256_init(struct sc_sha256 *s);
void sc_sha256_update(struct sc_sha256 *s, const void *data, size_t len);
void sc_sha256_final(struct sc_sha256 *s, uint8_t out[32]);

/* One-shot digest. */
void sc_sha256(const void *data, size_t len, uint8_t out[32]);

/* Lowercase hex of n bytes into out, which holds 2n+1 chars. */
void sc_hex(const uint8_t *bytes, size_t n, char *out);
/*
 * Back from sc_hex's lowercase hex: *out malloc'd with *n bytes (NULL and
 * 0 for ""); -EINVAL for an odd length or another character, -ENOMEM.
 */
int sc_unhex(const char *hex, uint8_t **out, size_t *n);

#endif
