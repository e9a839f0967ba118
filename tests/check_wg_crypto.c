/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_crypto.c - zctun's WireGuard crypto shim against published
 * vectors (RFC 7748 X25519, RFC 8439 appendix A.5 ChaCha20-Poly1305, RFC 7693
 * BLAKE2s, the BLAKE2 reference's keyed test, wireguard-go's KDF vectors),
 * its two AEAD backends against each other, and a timing of both that the
 * log reports (the figures behind crypto.c's choice).
 */
#include "testutil.h"

#include <stdio.h>
#include <time.h>

#include "wg/crypto.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;

	while (hex[0] && hex[1]) {
		unsigned v;

		ck_assert_uint_lt(n, cap);
		ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static void assert_hex(const uint8_t *p, size_t len, const char *hex)
{
	uint8_t want[512];
	size_t n = unhex(want, sizeof want, hex);

	ck_assert_uint_eq(n, len);
	ck_assert_mem_eq(p, want, len);
}

START_TEST(x25519_rfc7748)
{
	uint8_t k[32], u[32], out[32], pa[32], pb[32], sa[32], sb[32];

	/* Section 5.2, the first vector. */
	unhex(k, 32, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	unhex(u, 32, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
	ck_assert_int_eq(wg_x25519(out, k, u), 0);
	assert_hex(out, 32, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	/* Section 6.1: both public keys and the shared secret. */
	unhex(k, 32, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	unhex(u, 32, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	ck_assert_int_eq(wg_x25519_public(pa, k), 0);
	ck_assert_int_eq(wg_x25519_public(pb, u), 0);
	assert_hex(pa, 32, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	assert_hex(pb, 32, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	ck_assert_int_eq(wg_x25519(sa, k, pb), 0);
	ck_assert_int_eq(wg_x25519(sb, u, pa), 0);
	assert_hex(sa, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	ck_assert_mem_eq(sa, sb, 32);
}
END_TEST

START_TEST(x25519_low_order_refused)
{
	uint8_t k[32], zero[32] = {0}, out[32];

	wg_x25519_generate(k);
	ck_assert_int_eq(k[0] & 7, 0);
	ck_assert_int_eq(k[31] & 0xc0, 0x40);
	/* The identity point: the shared secret would be all zero. */
	ck_assert_int_eq(wg_x25519(out, k, zero), -1);
}
END_TEST

/* RFC 8439 appendix A.5: its nonce has 32 zero bits and counter 0x0807060504030201. */
#define A5_KEY "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"
#define A5_AAD "f33388860000000000004e91"
#define A5_COUNTER 0x0807060504030201ull
#define A5_CT                                                                          \
	"64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"             \
	"4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"             \
	"332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"             \
	"9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"             \
	"b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"             \
	"af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"             \
	"0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"             \
	"49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"             \
	"a6ad5cb4022b02709b"
#define A5_TAG "eead9d67890cbb22392336fea1851f38"
#define A5_PT_START "Internet-Drafts are draft documents valid for a maximum of six months"
#define A5_PT_END "to cite them other than as /\xe2\x80\x9cwork in progress./\xe2\x80\x9d"

typedef int (*aead_fn)(uint8_t *, size_t, uint64_t, const uint8_t *, const uint8_t *, size_t);

static void a5_check(aead_fn open, aead_fn seal)
{
	uint8_t key[32], aad[12], buf[512], ct[512];
	size_t n = unhex(ct, sizeof ct, A5_CT A5_TAG) - 16;

	unhex(key, 32, A5_KEY);
	unhex(aad, 12, A5_AAD);
	memcpy(buf, ct, n + 16);
	ck_assert_int_eq(open(buf, n, A5_COUNTER, key, aad, 12), 0);
	ck_assert_mem_eq(buf, A5_PT_START, strlen(A5_PT_START));
	ck_assert_mem_eq(buf + n - strlen(A5_PT_END), A5_PT_END, strlen(A5_PT_END));
	ck_assert_int_eq(seal(buf, n, A5_COUNTER, key, aad, 12), 0);
	ck_assert_mem_eq(buf, ct, n + 16);
	/* One flipped bit anywhere (text, tag, data, counter) and it is refused. */
	buf[7] ^= 1;
	ck_assert_int_eq(open(buf, n, A5_COUNTER, key, aad, 12), -1);
	buf[7] ^= 1;
	buf[n + 3] ^= 0x80;
	ck_assert_int_eq(open(buf, n, A5_COUNTER, key, aad, 12), -1);
	buf[n + 3] ^= 0x80;
	aad[0] ^= 1;
	ck_assert_int_eq(open(buf, n, A5_COUNTER, key, aad, 12), -1);
	aad[0] ^= 1;
	ck_assert_int_eq(open(buf, n, A5_COUNTER + 1, key, aad, 12), -1);
}

START_TEST(aead_rfc8439_sodium)
{
	a5_check(wg_aead_open_sodium, wg_aead_seal_sodium);
}
END_TEST

START_TEST(aead_rfc8439_openssl)
{
	a5_check(wg_aead_open_openssl, wg_aead_seal_openssl);
}
END_TEST

START_TEST(aead_rfc8439_chosen)
{
	uint8_t key[32], aad[12], ct[512], out[512], again[512];
	size_t n = unhex(ct, sizeof ct, A5_CT A5_TAG) - 16;

	a5_check(wg_aead_open, wg_aead_seal);
	unhex(key, 32, A5_KEY);
	unhex(aad, 12, A5_AAD);
	/* The out-of-place form the handshake uses. */
	ck_assert_int_eq(wg_aead_open_to(out, ct, n + 16, A5_COUNTER, key, aad, 12), 0);
	ck_assert_mem_eq(out, A5_PT_START, strlen(A5_PT_START));
	wg_aead_seal_to(again, out, n, A5_COUNTER, key, aad, 12);
	ck_assert_mem_eq(again, ct, n + 16);
	ck_assert_int_eq(wg_aead_open_to(out, ct, 15, 0, key, NULL, 0), -1);
}
END_TEST

/* Every length 0..300 and some counters: both backends give the same bytes. */
START_TEST(aead_backends_agree)
{
	uint8_t key[32], ad[32], a[320], b[320];
	size_t len;

	wg_random(key, sizeof key);
	wg_random(ad, sizeof ad);
	for (len = 0; len <= 300; len++) {
		uint64_t ctr = len * 0x9e3779b97f4a7c15ull;

		wg_random(a, len);
		memcpy(b, a, len);
		ck_assert_int_eq(wg_aead_seal_sodium(a, len, ctr, key, ad, len % 33), 0);
		ck_assert_int_eq(wg_aead_seal_openssl(b, len, ctr, key, ad, len % 33), 0);
		ck_assert_mem_eq(a, b, len + 16);
		ck_assert_int_eq(wg_aead_open_openssl(a, len, ctr, key, ad, len % 33), 0);
		ck_assert_int_eq(wg_aead_open_sodium(b, len, ctr, key, ad, len % 33), 0);
		ck_assert_mem_eq(a, b, len);
	}
}
END_TEST

START_TEST(xaead_roundtrip)
{
	uint8_t key[32], nonce[24], in[16], ct[32], out[16], ad[16];

	wg_random(key, 32);
	wg_random(nonce, 24);
	wg_random(in, 16);
	wg_random(ad, 16);
	wg_xaead_seal(ct, in, 16, nonce, key, ad, 16);
	ck_assert_mem_ne(ct, in, 16);
	ck_assert_int_eq(wg_xaead_open(out, ct, 32, nonce, key, ad, 16), 0);
	ck_assert_mem_eq(out, in, 16);
	nonce[23] ^= 1;
	ck_assert_int_eq(wg_xaead_open(out, ct, 32, nonce, key, ad, 16), -1);
	ck_assert_int_eq(wg_xaead_open(out, ct, 15, nonce, key, ad, 16), -1);
}
END_TEST

START_TEST(blake2s_vectors)
{
	uint8_t h[32], o[32], key[32], in[200];
	size_t i;

	/* RFC 7693 appendix B. */
	wg_hash2(h, "abc", 3, NULL, 0);
	assert_hex(h, 32, "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
	wg_hash2(h, "ab", 2, "c", 1);
	assert_hex(h, 32, "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
	/* libb2 and OpenSSL agree on every length up to 200 (blocks of 64 crossed). */
	for (i = 0; i < sizeof in; i++) {
		in[i] = (uint8_t)(i * 7 + 1);
		wg_hash2(h, in, i, NULL, 0);
		ck_assert_int_eq(wg_hash_openssl(o, in, i), 0);
		ck_assert_mem_eq(h, o, 32);
	}
	/* Keyed BLAKE2s-128 is not a truncated BLAKE2s-256: the length is a parameter. */
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	wg_mac(h, key, 32, "", 0);
	ck_assert_mem_ne(h, o, 16);
	wg_mac(o, key, 32, "x", 1);
	ck_assert_mem_ne(h, o, 16);
}
END_TEST

START_TEST(kdf_wireguard_go)
{
	static const struct { const char *key, *in, *t0, *t1, *t2; } v[] = {
		{ "746573742d6b6579", "746573742d696e707574",
		  "6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633",
		  "df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a",
		  "fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24" },
		{ "776972656775617264", "776972656775617264",
		  "491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8",
		  "1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f",
		  "31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160" },
		{ "", "",
		  "8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0",
		  "58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e",
		  "0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e" },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t key[32], in[32], t[3][32], *out[3] = { t[0], t[1], t[2] };
		size_t kl = unhex(key, 32, v[i].key), il = unhex(in, 32, v[i].in);
		unsigned n;

		for (n = 1; n <= 3; n++) {
			memset(t, 0, sizeof t);
			ck_assert_int_eq(wg_kdf(out, n, key, kl, in, il), 0);
			assert_hex(t[0], 32, v[i].t0);
			if (n >= 2)
				assert_hex(t[1], 32, v[i].t1);
			if (n >= 3)
				assert_hex(t[2], 32, v[i].t2);
		}
	}
	ck_assert_int_eq(wg_kdf((uint8_t *[3]){ NULL, NULL, NULL }, 4, (const uint8_t *)"", 0, "", 0), -1);
}
END_TEST

static double bench_one(aead_fn seal, aead_fn open, size_t len, unsigned iters)
{
	static uint8_t buf[2048];
	uint8_t key[32];
	struct timespec a, b;
	unsigned i;

	wg_random(key, sizeof key);
	wg_random(buf, len);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < iters; i++) {
		ck_assert_int_eq(seal(buf, len, i, key, NULL, 0), 0);
		ck_assert_int_eq(open(buf, len, i, key, NULL, 0), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* Bytes sealed and opened per second, in Gbit/s. */
	return 2.0 * len * iters * 8 / ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec));
}

/* Not a pass/fail check of speed: it prints the figures for the record. */
START_TEST(aead_bench)
{
	const char *s = getenv("ZC_WG_BENCH_ITERS");
	unsigned iters = s ? (unsigned)strtoul(s, NULL, 10) : 20000;
	size_t lens[] = { 64, 1420 };
	size_t i;

	for (i = 0; i < 2; i++) {
		double so = bench_one(wg_aead_seal_sodium, wg_aead_open_sodium, lens[i], iters);
		double os = bench_one(wg_aead_seal_openssl, wg_aead_open_openssl, lens[i], iters);

		printf("bench: ChaCha20-Poly1305 %4zu-byte packets, seal+open: libsodium %.2f Gbit/s, "
		       "OpenSSL %.2f Gbit/s (chosen: %s)\n", lens[i], so, os, wg_aead_backend());
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_crypto");
	TCase *tc = tcase_create("crypto");

	if (wg_crypto_init() < 0)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, x25519_rfc7748);
	tcase_add_test(tc, x25519_low_order_refused);
	tcase_add_test(tc, aead_rfc8439_sodium);
	tcase_add_test(tc, aead_rfc8439_openssl);
	tcase_add_test(tc, aead_rfc8439_chosen);
	tcase_add_test(tc, aead_backends_agree);
	tcase_add_test(tc, xaead_roundtrip);
	tcase_add_test(tc, blake2s_vectors);
	tcase_add_test(tc, kdf_wireguard_go);
	tcase_add_test(tc, aead_bench);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
