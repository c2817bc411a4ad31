/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>

#include "seclude/sha256.h"

static void hex_of(const void *data, size_t len, char out[65])
{
	uint8_t d[32];
	sc_sha256(data, len, d);
	sc_hex(d, 32, out);
}

/* FIPS 180-4 / NIST CAVP examples */
static void test_nist_vectors(void **state)
{
	char h[65];
	hex_of("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(m448, strlen(m448), h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	hex_of(m896, strlen(m896), h);
	assert_string_equal(h, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a_streamed(void **state)
{
	/* fed in odd-sized pieces to exercise the block buffer */
	struct sc_sha256 s;
	char chunk[997];
	memset(chunk, 'a', sizeof(chunk));
	sc_sha256_init(&s);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		sc_sha256_update(&s, chunk, n);
		left -= n;
	}
	uint8_t d[32];
	char h[65];
	sc_sha256_final(&s, d);
	sc_hex(d, 32, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* lengths around the padding boundary (55/56 bytes fit or spill a block) */
static void test_padding_boundaries(void **state)
{
	static const struct { size_t n; const char *hex; } v[] = {
		{ 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
		{ 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
		{ 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
		{ 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
		{ 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
	};
	char buf[65], h[65];
	memset(buf, 'x', sizeof(buf));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		hex_of(buf, v[i].n, h);
		assert_string_equal(h, v[i].hex);
	}
}

/* every split of the same bytes gives the one-shot digest */
static void test_split_equals_oneshot(void **state)
{
	uint8_t data[1000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	char want[65];
	hex_of(data, sizeof(data), want);
	assert_string_equal(want, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371");
	for (size_t cut = 0; cut <= 200; cut++) {
		struct sc_sha256 s;
		uint8_t d[32];
		char h[65];
		sc_sha256_init(&s);
		sc_sha256_update(&s, data, cut);
		sc_sha256_update(&s, data + cut, sizeof(data) - cut);
		sc_sha256_final(&s, d);
		sc_hex(d, 32, h);
		assert_string_equal(h, want);
	}
}

/* sc_unhex undoes sc_hex, and refuses what sc_hex never writes */
static void test_unhex(void **state)
{
	(void)state;
	uint8_t bytes[256], *back = NULL;
	char hex[2 * sizeof(bytes) + 1];
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)i;
	sc_hex(bytes, sizeof(bytes), hex);
	size_t n = 0;
	assert_int_equal(sc_unhex(hex, &back, &n), 0);
	assert_int_equal(n, sizeof(bytes));
	assert_memory_equal(back, bytes, n);
	free(back);
	assert_int_equal(sc_unhex("", &back, &n), 0);
	assert_null(back);
	assert_int_equal(n, 0);
	assert_int_equal(sc_unhex("abc", &back, &n), -EINVAL);
	assert_int_equal(sc_unhex("0g", &back, &n), -EINVAL);
	assert_int_equal(sc_unhex("0A", &back, &n), -EINVAL);
	assert_null(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nist_vectors),
		cmocka_unit_test(test_million_a_streamed),
		cmocka_unit_test(test_padding_boundaries),
		cmocka_unit_test(test_unhex),
		cmocka_unit_test(test_split_equals_oneshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
