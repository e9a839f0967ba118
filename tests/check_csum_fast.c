/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_csum_fast.c - the wide and SIMD paths of zc_csum_partial()
 * against a plain RFC 1071 reference: random lengths up to 70,000 bytes at
 * every alignment 0..63 relative to a cache line, every short length, the
 * extreme word values that push the SIMD lanes furthest (all 0x0000, all
 * 0xffff, alternating), buffers long enough to flush the SIMD lanes several
 * times, and sums taken in pieces.
 */
#include "testutil.h"

/* A fixed-seed xorshift32 (Marsaglia), so that a failure replays the same way. */
static uint32_t rng_state = 0x9e3779b9u;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

static void rng_fill(uint8_t *p, size_t n)
{
	zc_test_rng_fill(&rng_state, p, n);
}

/*
 * A copy of src[0..len) at byte offset align (0..63) from a 64-byte boundary,
 * in an allocation that ends right after it so AddressSanitizer sees any read
 * past the end. Free the returned base.
 */
static uint8_t *place(const uint8_t *src, size_t len, size_t align, uint8_t **p)
{
	void *base = NULL;

	ck_assert_int_eq(posix_memalign(&base, 64, align + len ? align + len : 1), 0);
	*p = (uint8_t *)base + align;
	if (len)
		memcpy(*p, src, len);
	return base;
}

static void check_at_all_alignments(const uint8_t *src, size_t len)
{
	uint32_t init = rng() & 0xffff;
	uint32_t want = zc_test_ref_sum(src, len, 0);
	uint32_t want_init = zc_test_ref_sum(src, len, init);
	size_t align;

	for (align = 0; align < 64; align++) {
		uint8_t *p, *base = place(src, len, align, &p);

		ck_assert_msg(zc_csum_partial(p, len, 0) == want, "len %zu align %zu: %#x, want %#x", len,
			      align, zc_csum_partial(p, len, 0), want);
		ck_assert_msg(zc_csum_partial(p, len, init) == want_init, "len %zu align %zu init %#x", len,
			      align, init);
		ck_assert_uint_eq(zc_csum(p, len), (uint16_t)~want);
		free(base);
	}
}

#define MAX_LEN 70000

START_TEST(every_short_length_at_every_alignment)
{
	static uint8_t src[300];
	size_t len;

	for (len = 0; len <= sizeof src; len++) {
		rng_fill(src, len);
		check_at_all_alignments(src, len);
	}
}
END_TEST

START_TEST(random_lengths_to_70000_at_every_alignment)
{
	uint8_t *src = malloc(MAX_LEN);
	unsigned i;

	ck_assert_ptr_nonnull(src);
	for (i = 0; i < 40; i++) {
		/* Half the draws below 2 KiB, where frames are; the rest anywhere. */
		size_t len = (i & 1) ? rng() % (MAX_LEN + 1) : rng() % 2048;

		rng_fill(src, len);
		check_at_all_alignments(src, len);
	}
	free(src);
}
END_TEST

START_TEST(extreme_words_keep_the_lanes_exact)
{
	static const uint8_t fills[][2] = { { 0x00, 0x00 }, { 0xff, 0xff }, { 0x80, 0x00 },
					    { 0x7f, 0xff }, { 0xff, 0x00 }, { 0x00, 0xff } };
	static const size_t lens[] = { 64, 65, 1500, 65535, MAX_LEN };
	uint8_t *src = malloc(MAX_LEN);
	size_t f, l, i;

	ck_assert_ptr_nonnull(src);
	for (f = 0; f < sizeof fills / sizeof fills[0]; f++) {
		for (i = 0; i < MAX_LEN; i++)
			src[i] = fills[f][i & 1];
		for (l = 0; l < sizeof lens / sizeof lens[0]; l++)
			check_at_all_alignments(src, lens[l]);
	}
	/* All zero sums to 0, never to the other zero 0xffff. */
	memset(src, 0, MAX_LEN);
	ck_assert_uint_eq(zc_csum_partial(src, MAX_LEN, 0), 0);
	free(src);
}
END_TEST

START_TEST(long_buffers_flush_the_lanes)
{
	/* Several times the SIMD flush interval (16,384 vectors of 32 bytes). */
	size_t len = (size_t)3 << 20 | 37;
	uint8_t *p = malloc(len);
	size_t i;

	ck_assert_ptr_nonnull(p);
	memset(p, 0xff, len);
	ck_assert_uint_eq(zc_csum_partial(p, len, 0), zc_test_ref_sum(p, len, 0));
	memset(p, 0x00, len);
	ck_assert_uint_eq(zc_csum_partial(p, len, 0), 0);
	for (i = 0; i < len; i++)
		p[i] = (i & 1) ? 0x00 : 0x80;
	ck_assert_uint_eq(zc_csum_partial(p, len, 0), zc_test_ref_sum(p, len, 0));
	rng_fill(p, len);
	ck_assert_uint_eq(zc_csum_partial(p + 1, len - 1, 0x1234), zc_test_ref_sum(p + 1, len - 1, 0x1234));
	free(p);
}
END_TEST

START_TEST(pieces_sum_like_the_whole)
{
	uint8_t *src = malloc(MAX_LEN);
	unsigned i;

	ck_assert_ptr_nonnull(src);
	for (i = 0; i < 200; i++) {
		size_t len = rng() % (MAX_LEN + 1), off = 0;
		uint32_t s = 0;

		rng_fill(src, len);
		/* Pieces of even length, the last of any length. */
		while (off < len) {
			size_t n = (rng() % 3000) & ~(size_t)1;

			if (n > len - off)
				n = len - off;
			if (n == 0)
				continue;
			s = zc_csum_partial(src + off, n, s);
			ck_assert_uint_lt(s, 0x10000);
			off += n;
		}
		ck_assert_uint_eq(s, zc_test_ref_sum(src, len, 0));
	}
	free(src);
}
END_TEST

static Suite *csum_fast_suite(void)
{
	Suite *s = suite_create("csum_fast");
	TCase *tc = tcase_create("core");

	/* Generous for sanitizer and valgrind runs of the 70,000-byte cases. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_short_length_at_every_alignment);
	tcase_add_test(tc, random_lengths_to_70000_at_every_alignment);
	tcase_add_test(tc, extreme_words_keep_the_lanes_exact);
	tcase_add_test(tc, long_buffers_flush_the_lanes);
	tcase_add_test(tc, pieces_sum_like_the_whole);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(csum_fast_suite());
}
