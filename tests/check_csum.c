/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_csum.c - the Internet checksum (RFC 1071) and its incremental
 * update (RFC 1624) against a plain byte-by-byte reference: whole buffers at
 * every length and alignment, sums taken in pieces, random in-place edits,
 * and the pseudo-header sums against hand computation. Also the zc_buf
 * helpers of buf.h that every view goes through.
 */
#include "testutil.h"

/* A fixed-seed xorshift32 (Marsaglia), so that a failure replays the same way. */
static uint32_t rng_state = 0x2545f491u;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

static void rng_fill(uint8_t *p, size_t n)
{
	zc_test_rng_fill(&rng_state, p, n);
}

static uint16_t ref_csum(const uint8_t *p, size_t n)
{
	return (uint16_t)~zc_test_ref_sum(p, n, 0);
}

#define MAX_LEN 2000

START_TEST(partial_matches_reference_at_every_length_and_alignment)
{
	static uint8_t src[MAX_LEN];
	size_t len, align;

	for (len = 0; len <= MAX_LEN; len++) {
		uint32_t init = rng() & 0xffff;
		uint32_t want, want_init;

		rng_fill(src, len);
		want = zc_test_ref_sum(src, len, 0);
		want_init = zc_test_ref_sum(src, len, init);
		for (align = 0; align < 8; align++) {
			/* Exactly align + len bytes: ASan flags a read past the data. */
			uint8_t *q = malloc(align + len ? align + len : 1), *p;

			ck_assert_ptr_nonnull(q);
			p = q + align; /* malloc's alignment is 16: p sits at align mod 8 */
			memcpy(p, src, len);
			ck_assert_uint_eq(zc_csum_partial(p, len, 0), want);
			ck_assert_uint_eq(zc_csum_partial(p, len, init), want_init);
			ck_assert_uint_eq(zc_csum(p, len), (uint16_t)~want);
			free(q);
		}
	}
}
END_TEST

START_TEST(partial_handles_carries_of_all_ones_and_zeros)
{
	/* 0xff bytes make every word 0xffff: the most carries the sum can take. */
	size_t n = 65536 + 6, lens[] = { 0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 1500, 65536 + 5, 65536 + 6 };
	uint8_t *ones = malloc(n), *zeros = calloc(1, n);
	size_t i;

	ck_assert_ptr_nonnull(ones);
	ck_assert_ptr_nonnull(zeros);
	memset(ones, 0xff, n);
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		ck_assert_uint_eq(zc_csum_partial(ones, lens[i], 0), zc_test_ref_sum(ones, lens[i], 0));
		ck_assert_uint_eq(zc_csum_partial(ones, lens[i], 0xffff), zc_test_ref_sum(ones, lens[i], 0xffff));
		ck_assert_uint_eq(zc_csum_partial(zeros, lens[i], 0), 0);
		ck_assert_uint_eq(zc_csum_partial(zeros, lens[i], 0x1234), 0x1234);
		ck_assert_uint_eq(zc_csum(zeros, lens[i]), 0xffff);
	}
	free(ones);
	free(zeros);
}
END_TEST

START_TEST(partial_handles_megabyte_buffers)
{
	/* Past any per-block flush a vectorised sum might have (2^14 vectors of 16 or 32 bytes). */
	static const size_t lens[] = { 262143, 262144, 262161, 524321, 1048579 };
	size_t n = 1048579, i, off;
	uint8_t *ones = malloc(n), *rnd = malloc(n);

	ck_assert_ptr_nonnull(ones);
	ck_assert_ptr_nonnull(rnd);
	memset(ones, 0xff, n);
	rng_fill(rnd, n);
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		/* Both ending at the end of the allocation, at two alignments. */
		for (off = 0; off < 2; off++) {
			const uint8_t *o = ones + n - lens[i] + off, *r = rnd + n - lens[i] + off;
			size_t len = lens[i] - off;

			ck_assert_uint_eq(zc_csum_partial(o, len, 0), zc_test_ref_sum(o, len, 0));
			ck_assert_uint_eq(zc_csum_partial(r, len, 0x8000), zc_test_ref_sum(r, len, 0x8000));
		}
	}
	free(ones);
	free(rnd);
}
END_TEST

START_TEST(sums_in_even_pieces_equal_the_whole)
{
	static uint8_t data[MAX_LEN];
	int trial;

	for (trial = 0; trial < 2000; trial++) {
		size_t len = rng() % (MAX_LEN + 1), off = 0;
		uint32_t init = rng() & 0xffff, s = init;

		rng_fill(data, len);
		/* Every piece but the last has an even length (zc_csum_partial's rule). */
		while (off < len) {
			size_t piece = (rng() % 300) & ~(size_t)1;

			if (piece >= len - off || rng() % 8 == 0)
				piece = len - off;
			s = zc_csum_partial(data + off, piece, s);
			off += piece;
		}
		ck_assert_uint_eq(s, zc_test_ref_sum(data, len, init));
		ck_assert_uint_eq(s, zc_csum_partial(data, len, init));
	}
}
END_TEST

START_TEST(rfc1071_and_ipv4_header_examples)
{
	/* RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2. */
	static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	/* An IPv4 header whose checksum is b861 (the bytes at 10 and 11). */
	uint8_t ip[] = {
		0x45, 0x00, 0x00, 0x73, /* version, IHL, TOS, total length 115 */
		0x00, 0x00, 0x40, 0x00, /* ID 0, DF */
		0x40, 0x11, 0xb8, 0x61, /* TTL 64, UDP, checksum */
		0xc0, 0xa8, 0x00, 0x01, /* 192.168.0.1 */
		0xc0, 0xa8, 0x00, 0xc7, /* 192.168.0.199 */
	};
	zc_buf r = zc_test_dup(rfc, sizeof rfc);

	ck_assert_uint_eq(zc_csum_partial(r.p, r.len, 0), 0xddf2);
	ck_assert_uint_eq(zc_csum(r.p, r.len), 0x220d);
	ck_assert_uint_eq(zc_csum(ip, sizeof ip), 0);
	ip[10] = ip[11] = 0;
	ck_assert_uint_eq(zc_csum(ip, sizeof ip), 0xb861);
	ck_assert_uint_eq(ref_csum(ip, sizeof ip), 0xb861);
	zc_test_free(r);
}
END_TEST

START_TEST(fold_add_and_finish)
{
	ck_assert_uint_eq(zc_csum_fold(0), 0);
	ck_assert_uint_eq(zc_csum_fold(0xffff), 0xffff);
	ck_assert_uint_eq(zc_csum_fold(0x10000), 1);
	ck_assert_uint_eq(zc_csum_fold(0x1fffe), 0xffff);
	/* Two end-around carries: ffffffff -> ffff + ffff = 1fffe -> ffff. */
	ck_assert_uint_eq(zc_csum_fold(0xffffffffu), 0xffff);
	ck_assert_uint_eq(zc_csum_fold(0xfffeffffu), 0xfffe);
	ck_assert_uint_eq(zc_csum_add(0xffff, 0xffff), 0xffff);
	ck_assert_uint_eq(zc_csum_add(0x8000, 0x8001), 0x0002);
	ck_assert_uint_eq(zc_csum_finish(0x1234), 0xedcb);
	ck_assert_uint_eq(zc_csum_finish(0x10000), 0xfffe);
	ck_assert_uint_eq(zc_csum_finish(0xffff), 0);
}
END_TEST

START_TEST(update16_rfc1624_example_gives_plus_zero)
{
	/*
	 * RFC 1624 section 4: HC = dd2f, m = 5555 -> m' = 3285. Equation 3
	 * gives 0000, where equation 2 of RFC 1141 gave the -0 ffff.
	 */
	ck_assert_uint_eq(zc_csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
	/* An unchanged word leaves any checksum alone but 0xffff (-0 becomes +0). */
	ck_assert_uint_eq(zc_csum_update16(0x1234, 0xabcd, 0xabcd), 0x1234);
	ck_assert_uint_eq(zc_csum_update32(0x1234, 0xabcdef01, 0xabcdef01), 0x1234);
}
END_TEST

#define BLK 64
#define CSUM_AT 10 /* where the checksum of the block lives */

/* Recomputes the block's checksum from scratch with the reference. */
static uint16_t block_csum(const uint8_t *blk)
{
	uint8_t tmp[BLK];

	memcpy(tmp, blk, BLK);
	tmp[CSUM_AT] = tmp[CSUM_AT + 1] = 0;
	return ref_csum(tmp, BLK);
}

/* An even offset at which a field of n bytes does not cover the checksum. */
static size_t field_offset(size_t n)
{
	for (;;) {
		size_t off = (rng() % (BLK - n + 1)) & ~(size_t)1;

		if (off + n <= CSUM_AT || off >= CSUM_AT + 2)
			return off;
	}
}

/* A random new value, often one of the corner words 0000 and ffff. */
static uint16_t edit_word(uint16_t old)
{
	switch (rng() % 8) {
	case 0: return 0;
	case 1: return 0xffff;
	case 2: return old;
	default: return (uint16_t)rng();
	}
}

START_TEST(update16_32_and_bytes_match_recomputation_on_random_edits)
{
	uint8_t blk[BLK];
	int i;

	rng_fill(blk, BLK);
	zc_store_be16(blk + CSUM_AT, block_csum(blk));
	/* The checksum is carried incrementally through every edit, never refreshed. */
	for (i = 0; i < 20000; i++) {
		uint16_t c = zc_load_be16(blk + CSUM_AT);

		switch (i % 3) {
		case 0: {
			size_t off = field_offset(2);
			uint16_t old = zc_load_be16(blk + off), nw = edit_word(old);

			zc_store_be16(blk + off, nw);
			c = zc_csum_update16(c, old, nw);
			break;
		}
		case 1: {
			size_t off = field_offset(4);
			uint32_t old = zc_load_be32(blk + off);
			uint32_t nw = (uint32_t)edit_word((uint16_t)(old >> 16)) << 16 | edit_word((uint16_t)old);

			zc_store_be32(blk + off, nw);
			c = zc_csum_update32(c, old, nw);
			break;
		}
		default: {
			static const size_t sizes[] = { 2, 4, 6, 16 };
			size_t n = sizes[rng() % 4], off = field_offset(n), k;
			uint8_t old[16], nw[16];

			memcpy(old, blk + off, n);
			for (k = 0; k < n; k += 2)
				zc_store_be16(nw + k, edit_word(zc_load_be16(old + k)));
			memcpy(blk + off, nw, n);
			c = zc_csum_update_bytes(c, old, nw, n);
			break;
		}
		}
		zc_store_be16(blk + CSUM_AT, c);
		ck_assert_uint_eq(c, block_csum(blk));
		ck_assert_uint_eq(zc_csum(blk, BLK), 0);
	}
}
END_TEST

START_TEST(update_to_a_checksum_of_zero_writes_plus_zero)
{
	uint8_t blk[BLK];
	uint32_t nw;
	int trial;

	for (trial = 0; trial < 8; trial++) {
		uint16_t old, c;
		bool found = false;

		rng_fill(blk, BLK);
		zc_store_be16(blk + CSUM_AT, block_csum(blk));
		old = zc_load_be16(blk + 20);
		/* Find the word at 20 that makes the checksum come out 0. */
		for (nw = 0; nw <= 0xffff && !found; nw++) {
			zc_store_be16(blk + 20, (uint16_t)nw);
			found = block_csum(blk) == 0;
		}
		ck_assert(found);
		nw--;
		zc_store_be16(blk + 20, old);
		c = zc_load_be16(blk + CSUM_AT);
		ck_assert_uint_eq(zc_csum_update16(c, old, (uint16_t)nw), 0x0000);
		ck_assert_uint_eq(zc_csum_update32(c, (uint32_t)zc_load_be16(blk + 22) | (uint32_t)old << 16,
						   (uint32_t)zc_load_be16(blk + 22) | nw << 16),
				  0x0000);
	}
}
END_TEST

START_TEST(pseudo4_matches_hand_computation)
{
	/*
	 * 192.0.2.1 -> 198.51.100.2, TCP, 20 bytes:
	 * c000 + 0201 + c633 + 6402 + 0006 + 0014 = 1ec50 -> ec51.
	 */
	uint32_t src = 0xc0000201, dst = 0xc6336402;
	static const uint8_t ph[] = {
		0xc0, 0x00, 0x02, 0x01, /* source */
		0xc6, 0x33, 0x64, 0x02, /* destination */
		0x00, 0x06, 0x00, 0x14, /* zero, protocol 6, TCP length 20 */
	};

	static const uint8_t ones[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* source and destination */
		0x00, 0xff, 0xff, 0xff,                         /* zero, protocol 255, length ffff */
	};

	ck_assert_uint_eq(zc_csum_pseudo4(src, dst, ZC_IPPROTO_TCP, 20), 0xec51);
	ck_assert_uint_eq(zc_test_ref_sum(ph, sizeof ph, 0), 0xec51);
	/*
	 * A length past 16 bits (the sum does not truncate it), UDP 0x12345:
	 * c000 + 0201 + c633 + 6402 + 0011 + 0001 + 2345 = 20f8d -> 0f8f.
	 */
	ck_assert_uint_eq(zc_csum_pseudo4(src, dst, ZC_IPPROTO_UDP, 0x12345), 0x0f8f);
	ck_assert_uint_eq(zc_csum_pseudo4(0, 0, 0, 0), 0);
	ck_assert_uint_eq(zc_csum_pseudo4(0xffffffffu, 0xffffffffu, 0xff, 0xffff), zc_test_ref_sum(ones, sizeof ones, 0));
}
END_TEST

START_TEST(pseudo6_matches_hand_computation)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 }; /* 2001:db8::1 */
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 }; /* 2001:db8::2 */
	/* RFC 8200 section 8.1: source, destination, 32-bit length, 3 zero bytes, next header. */
	uint8_t ph[40];
	uint32_t r;
	int i;

	/*
	 * ICMPv6, 32 bytes: 2001 + 0db8 + 0001 + 2001 + 0db8 + 0002 + 0020 + 003a
	 * = 5bcf.
	 */
	ck_assert_uint_eq(zc_csum_pseudo6(src, dst, ZC_IPPROTO_ICMPV6, 32), 0x5bcf);
	/* A jumbogram length (RFC 2675): 5b75 + 0001 + 2345 + 0006 = 7ec1. */
	ck_assert_uint_eq(zc_csum_pseudo6(src, dst, ZC_IPPROTO_TCP, 0x12345), 0x7ec1);
	/* And random ones against the laid-out pseudo-header. */
	for (i = 0; i < 1000; i++) {
		uint32_t len = rng();
		uint8_t nh = (uint8_t)rng();

		rng_fill(ph, 32);
		zc_store_be32(ph + 32, len);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = nh;
		r = zc_csum_pseudo6(ph, ph + 16, nh, len);
		ck_assert_uint_eq(r, zc_test_ref_sum(ph, sizeof ph, 0));
	}
}
END_TEST

START_TEST(pseudo4_random_against_laid_out_header)
{
	uint8_t ph[12];
	int i;

	for (i = 0; i < 1000; i++) {
		uint32_t src = rng(), dst = rng(), len = rng() & 0xffff;
		uint8_t proto = (uint8_t)rng();

		zc_store_be32(ph, src);
		zc_store_be32(ph + 4, dst);
		ph[8] = 0;
		ph[9] = proto;
		zc_store_be16(ph + 10, (uint16_t)len);
		ck_assert_uint_eq(zc_csum_pseudo4(src, dst, proto, len), zc_test_ref_sum(ph, sizeof ph, 0));
	}
}
END_TEST

START_TEST(buf_helpers_clamp_and_load)
{
	uint8_t d[6] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
	zc_buf b = zc_buf_make(d, sizeof d), t;

	/* A NULL pointer never comes with a length. */
	ck_assert_uint_eq(zc_buf_make(NULL, 10).len, 0);
	ck_assert_ptr_null(zc_buf_make(NULL, 10).p);
	t = zc_buf_tail(b, 2);
	ck_assert_ptr_eq(t.p, d + 2);
	ck_assert_uint_eq(t.len, 4);
	t = zc_buf_tail(b, 7);
	ck_assert_ptr_eq(t.p, d + 6);
	ck_assert_uint_eq(t.len, 0);
	t = zc_buf_head(b, 3);
	ck_assert_ptr_eq(t.p, d);
	ck_assert_uint_eq(t.len, 3);
	ck_assert_uint_eq(zc_buf_head(b, 100).len, 6);
	ck_assert_uint_eq(zc_load_be16(d + 1), 0x0203);
	ck_assert_uint_eq(zc_load_be32(d + 1), 0x02030405);
	ck_assert_uint_eq(zc_load_le16(d + 1), 0x0302);
	ck_assert_uint_eq(zc_load_le32(d + 1), 0x05040302);
	zc_store_be16(d + 1, 0xa1b2);
	zc_store_be32(d + 2, 0xc1d2e3f4);
	ck_assert_uint_eq(d[0], 0x01);
	ck_assert_uint_eq(d[1], 0xa1);
	ck_assert_uint_eq(d[2], 0xc1);
	ck_assert_uint_eq(d[3], 0xd2);
	ck_assert_uint_eq(d[4], 0xe3);
	ck_assert_uint_eq(d[5], 0xf4);
}
END_TEST

static Suite *csum_suite(void)
{
	Suite *s = suite_create("csum");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, partial_matches_reference_at_every_length_and_alignment);
	tcase_add_test(tc, partial_handles_carries_of_all_ones_and_zeros);
	tcase_add_test(tc, partial_handles_megabyte_buffers);
	tcase_add_test(tc, sums_in_even_pieces_equal_the_whole);
	tcase_add_test(tc, rfc1071_and_ipv4_header_examples);
	tcase_add_test(tc, fold_add_and_finish);
	tcase_add_test(tc, update16_rfc1624_example_gives_plus_zero);
	tcase_add_test(tc, update16_32_and_bytes_match_recomputation_on_random_edits);
	tcase_add_test(tc, update_to_a_checksum_of_zero_writes_plus_zero);
	tcase_add_test(tc, pseudo4_matches_hand_computation);
	tcase_add_test(tc, pseudo6_matches_hand_computation);
	tcase_add_test(tc, pseudo4_random_against_laid_out_header);
	tcase_add_test(tc, buf_helpers_clamp_and_load);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(csum_suite());
}
