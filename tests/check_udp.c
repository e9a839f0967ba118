/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_udp.c - UDP (RFC 768): accessors, length checks, lax parsing
 * of cut captures, the checksum-0 rule per IP version (none over IPv4, invalid
 * over IPv6 unless a tunnel opts in), and the port setters checked against a
 * checksum recomputed from scratch.
 */
#include "testutil.h"

/* A fixed-seed xorshift32, so that a failure replays the same way. */
static uint32_t rng_state = 0xa54ff53au;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

/* The pseudo-headers the fixtures' checksums are over (testutil.h). */
static uint32_t ref_pseudo4(size_t len)
{
	return zc_test_fx_pseudo4(ZC_IPPROTO_UDP, len);
}

static uint32_t ref_pseudo6(size_t len)
{
	return zc_test_fx_pseudo6(ZC_IPPROTO_UDP, len);
}

/* The checksum computed from scratch over a copy with the field zeroed (0 not yet mapped). */
static uint16_t ref_udp_csum(const uint8_t *d, size_t len, uint32_t pseudo)
{
	return zc_test_ref_csum_zeroed(d, len, ZC_UDP_CSUM_OFF, pseudo);
}

/*
 * The checksum field is what a recomputation gives, a computed 0 sent as
 * ffff; a field that is not 0 verifies the same over either IP version.
 */
static void check_csum(zc_udp u, uint32_t pseudo)
{
	uint16_t want = ref_udp_csum(u.p, u.len, pseudo);

	ck_assert_uint_eq(zc_udp_csum_compute(u, pseudo), want);
	ck_assert_uint_eq(zc_udp_csum(u), want ? want : 0xffff);
	ck_assert(zc_udp_csum_ok(u, pseudo, ZC_UDP_OVER_IPV4));
	ck_assert(zc_udp_csum_ok(u, pseudo, ZC_UDP_OVER_IPV6));
	ck_assert(zc_udp_csum_ok(u, pseudo, ZC_UDP_OVER_IPV6_ZERO_OK));
}

/* Every length below min gives ZC_E_TRUNCATED; below 8, lax parsing too. */
static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_udp u;

		ck_assert_int_eq(zc_udp_parse(b, &u), ZC_E_TRUNCATED);
		if (n < ZC_UDP_HDR_LEN)
			ck_assert_int_eq(zc_udp_parse_lax(b, &u), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/*
 * A UDP datagram (the start of a DNS response) with a checksum over the
 * IPv4 pseudo-header of 192.0.2.1 -> 198.51.100.2.
 */
static const uint8_t udp_dns[] = {
	0x00, 0x35, 0xd4, 0x31, /* source port 53, destination port 54321 */
	0x00, 0x14, /* length 20 */
	0xab, 0x71, /* checksum */
	0x12, 0x34, 0x81, 0x80, /* payload: DNS ID 0x1234, flags: response, RD, RA */
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* payload: 1 question, 1 answer */
};

/* The same datagram sent without a checksum (allowed over IPv4). */
static const uint8_t udp_nocsum[] = {
	0x00, 0x35, 0xd4, 0x31, /* source port 53, destination port 54321 */
	0x00, 0x14, /* length 20 */
	0x00, 0x00, /* checksum 0: none sent */
	0x12, 0x34, 0x81, 0x80, /* payload */
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* payload */
};

/* A datagram whose checksum computes to 0, which is sent as ffff. */
static const uint8_t udp_csum_zero[] = {
	0x10, 0x00, 0x20, 0x00, /* source port 4096, destination port 8192 */
	0x00, 0x0c, /* length 12 */
	0xff, 0xff, /* checksum: computed 0, sent as ffff (RFC 768) */
	0x5a, 0x5a, 0x89, 0x44, /* payload, chosen so that the checksum comes out 0 */
};

/* Length field 7: shorter than the header itself. */
static const uint8_t udp_len7[] = {
	0x00, 0x35, 0xd4, 0x31, /* source port 53, destination port 54321 */
	0x00, 0x07, /* length 7 */
	0x00, 0x00, /* checksum */
	0x00, 0x00, 0x00, 0x00, /* bytes after the header */
};

/* Length field 0 (as in a jumbogram, RFC 2675, which libzc does not take). */
static const uint8_t udp_len0[] = {
	0x00, 0x35, 0xd4, 0x31, /* source port 53, destination port 54321 */
	0x00, 0x00, /* length 0 */
	0x00, 0x00, /* checksum */
};

START_TEST(datagram_accessors)
{
	zc_buf b = zc_test_dup(udp_dns, sizeof udp_dns);
	zc_udp u;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_src_port(u), 53);
	ck_assert_uint_eq(zc_udp_dst_port(u), 54321);
	ck_assert_uint_eq(zc_udp_length(u), 20);
	ck_assert_uint_eq(zc_udp_csum(u), 0xab71);
	ck_assert_ptr_eq(zc_udp_payload(u).p, b.p + 8);
	ck_assert_uint_eq(zc_udp_payload(u).len, 12);
	ck_assert_uint_eq(zc_load_be16(zc_udp_payload(u).p), 0x1234);
	ck_assert(!zc_udp_is_cut(u));
	check_csum(u, ref_pseudo4(20));
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV6));
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV4));
	zc_test_free(b);
	check_cuts(udp_dns, sizeof udp_dns);
}
END_TEST

START_TEST(header_alone)
{
	uint8_t d[8];
	zc_buf b;
	zc_udp u;

	memcpy(d, udp_dns, 8);
	d[5] = 8; /* length 8: no payload */
	b = zc_test_dup(d, sizeof d);
	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_payload(u).len, 0);
	ck_assert_ptr_eq(zc_udp_payload(u).p, b.p + 8);
	zc_test_free(b);
}
END_TEST

START_TEST(padding_after_the_length_is_not_payload)
{
	uint8_t d[sizeof udp_dns + 6];
	zc_buf b;
	zc_udp u;

	memcpy(d, udp_dns, sizeof udp_dns);
	memset(d + sizeof udp_dns, 0xee, 6);
	b = zc_test_dup(d, sizeof d);
	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_payload(u).len, 12);
	ck_assert(!zc_udp_is_cut(u));
	/* The padding is outside the checksum too. */
	check_csum(u, ref_pseudo4(20));
	zc_test_free(b);
}
END_TEST

START_TEST(length_below_the_header)
{
	size_t n;

	for (n = ZC_UDP_HDR_LEN; n <= sizeof udp_len7; n++) {
		zc_buf b = zc_test_dup(udp_len7, n);
		zc_udp u;

		ck_assert_int_eq(zc_udp_parse(b, &u), ZC_E_LENGTH);
		ck_assert_int_eq(zc_udp_parse_lax(b, &u), ZC_E_LENGTH);
		zc_test_free(b);
	}
	check_cuts(udp_len7, ZC_UDP_HDR_LEN);
	{
		zc_buf b = zc_test_dup(udp_len0, sizeof udp_len0);
		zc_udp u;

		ck_assert_int_eq(zc_udp_parse(b, &u), ZC_E_LENGTH);
		ck_assert_int_eq(zc_udp_parse_lax(b, &u), ZC_E_LENGTH);
		zc_test_free(b);
	}
	check_cuts(udp_len0, ZC_UDP_HDR_LEN);
}
END_TEST

START_TEST(lax_parse_of_a_cut_datagram)
{
	uint8_t whole[sizeof udp_dns];
	size_t n;

	/* The whole datagram with destination port 4242, to recompute the checksum over. */
	memcpy(whole, udp_dns, sizeof whole);
	zc_store_be16(whole + ZC_UDP_DPORT_OFF, 4242);

	for (n = ZC_UDP_HDR_LEN; n <= sizeof udp_dns; n++) {
		zc_buf b = zc_test_dup(udp_dns, n);
		zc_udp u;

		ck_assert_int_eq(zc_udp_parse(b, &u), n < sizeof udp_dns ? ZC_E_TRUNCATED : ZC_OK);
		ck_assert_int_eq(zc_udp_parse_lax(b, &u), ZC_OK);
		ck_assert(zc_udp_is_cut(u) == (n < sizeof udp_dns));
		ck_assert_uint_eq(zc_udp_length(u), 20);
		ck_assert_ptr_eq(zc_udp_payload(u).p, b.p + 8);
		ck_assert_uint_eq(zc_udp_payload(u).len, n - 8);
		ck_assert_uint_eq(zc_udp_src_port(u), 53);
		/* A port edit in a cut view updates the checksum like in the whole datagram. */
		zc_udp_set_dst_port(zc_test_rw_udp(u), 4242);
		ck_assert_uint_eq(zc_udp_csum(u), ref_udp_csum(whole, sizeof whole, ref_pseudo4(20)));
		zc_test_free(b);
	}
}
END_TEST

START_TEST(no_checksum_means_none_over_ipv4)
{
	zc_buf b = zc_test_dup(udp_nocsum, sizeof udp_nocsum);
	zc_udp u;
	int i;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_csum(u), 0);
	/* Over IPv4 there is nothing to verify, whatever the pseudo-header (RFC 768). */
	ck_assert(zc_udp_csum_ok(u, ref_pseudo4(20), ZC_UDP_OVER_IPV4));
	ck_assert(zc_udp_csum_ok(u, 0x1234, ZC_UDP_OVER_IPV4));
	/* Edits keep it at none. */
	for (i = 0; i < 1000; i++) {
		uint16_t p = (uint16_t)rng();

		if (i % 2)
			zc_udp_set_src_port(zc_test_rw_udp(u), p);
		else
			zc_udp_set_dst_port(zc_test_rw_udp(u), p);
		ck_assert_uint_eq(zc_udp_csum(u), 0);
	}
	ck_assert_mem_eq(b.p + 4, udp_nocsum + 4, sizeof udp_nocsum - 4);
	/* Filling computes one: the same as the datagram that had it. */
	zc_udp_csum_fill(zc_test_rw_udp(u), ref_pseudo4(20));
	check_csum(u, ref_pseudo4(20));
	zc_test_free(b);
}
END_TEST

/* A partial checksum, completed as an offload would, is the full one, over either version. */
START_TEST(csum_partial_fill_completes_to_the_checksum)
{
	zc_buf b = zc_test_dup(udp_nocsum, sizeof udp_nocsum);
	uint32_t ph[2] = { ref_pseudo4(20), ref_pseudo6(20) };
	zc_udp u;
	int i;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	for (i = 0; i < 2; i++) {
		zc_udp_csum_partial_fill(zc_test_rw_udp(u), ph[i]);
		ck_assert_uint_eq(zc_udp_csum(u), (uint16_t)zc_csum_fold(ph[i]));
		zc_store_be16(zc_test_w(b).p + ZC_UDP_CSUM_OFF, zc_csum(b.p, b.len));
		check_csum(u, ph[i]);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(computed_zero_is_sent_as_ffff)
{
	zc_buf b = zc_test_dup(udp_csum_zero, sizeof udp_csum_zero);
	uint32_t ph = ref_pseudo4(sizeof udp_csum_zero);
	zc_udp u;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(ref_udp_csum(b.p, b.len, ph), 0);
	ck_assert_uint_eq(zc_udp_csum(u), 0xffff);
	ck_assert_uint_eq(zc_udp_csum_compute(u, ph), 0);
	ck_assert(zc_udp_csum_ok(u, ph, ZC_UDP_OVER_IPV4));
	check_csum(u, ph);
	/* Refilling writes ffff, never the 0 that would mean "none". */
	zc_store_be16(zc_test_w(b).p + ZC_UDP_CSUM_OFF, 0x1111);
	ck_assert(!zc_udp_csum_ok(u, ph, ZC_UDP_OVER_IPV4));
	ck_assert(!zc_udp_csum_ok(u, ph, ZC_UDP_OVER_IPV6));
	zc_udp_csum_fill(zc_test_rw_udp(u), ph);
	ck_assert_uint_eq(zc_udp_csum(u), 0xffff);
	/* An edit away from 0 and back again. */
	zc_udp_set_src_port(zc_test_rw_udp(u), 4097);
	check_csum(u, ph);
	ck_assert_uint_ne(zc_udp_csum(u), 0xffff);
	zc_udp_set_src_port(zc_test_rw_udp(u), 4096);
	ck_assert_uint_eq(zc_udp_csum(u), 0xffff);
	check_csum(u, ph);
	zc_test_free(b);
}
END_TEST

START_TEST(zero_checksum_is_invalid_over_ipv6)
{
	zc_buf b = zc_test_dup(udp_nocsum, sizeof udp_nocsum);
	zc_udp u;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_csum(u), 0);
	/* RFC 8200 section 8.1: over IPv6 a 0 must be discarded, whatever the pseudo-header. */
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV6));
	ck_assert(!zc_udp_csum_ok(u, 0x1234, ZC_UDP_OVER_IPV6));
	/* RFC 6935 section 5: a tunnel end configured for it accepts the 0. */
	ck_assert(zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV6_ZERO_OK));
	/* Anything but the two versions that allow it is strict. */
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), (zc_udp_over)0));
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), (zc_udp_over)5));
	/* A fill makes a real checksum, which then verifies over IPv6. */
	zc_udp_csum_fill(zc_test_rw_udp(u), ref_pseudo6(20));
	ck_assert_uint_ne(zc_udp_csum(u), 0);
	check_csum(u, ref_pseudo6(20));
	zc_test_free(b);
}
END_TEST

START_TEST(zero_that_sums_right_is_still_invalid_over_ipv6)
{
	uint8_t d[sizeof udp_nocsum];
	uint32_t port;
	bool found = false;
	zc_udp u;

	/*
	 * A destination port for which the checksum over the IPv6
	 * pseudo-header computes to 0: with the field 0 the bytes then sum
	 * right, and the datagram is still to be discarded, since a sender
	 * sends a computed 0 as ffff (RFC 768) and over IPv6 0 is no checksum
	 * at all (RFC 8200 section 8.1).
	 */
	memcpy(d, udp_nocsum, sizeof d);
	for (port = 0; port <= 0xffff && !found; port++) {
		zc_store_be16(d + ZC_UDP_DPORT_OFF, (uint16_t)port);
		found = ref_udp_csum(d, sizeof d, ref_pseudo6(sizeof d)) == 0;
	}
	ck_assert(found);
	ck_assert_int_eq(zc_udp_parse(zc_buf_make(d, sizeof d), &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_csum(u), 0);
	ck_assert_uint_eq(zc_udp_csum_compute(u, ref_pseudo6(sizeof d)), 0);
	ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(sizeof d), ZC_UDP_OVER_IPV6));
	ck_assert(zc_udp_csum_ok(u, ref_pseudo6(sizeof d), ZC_UDP_OVER_IPV6_ZERO_OK));
	/* Written as ffff, the same sum verifies. */
	zc_store_be16(d + ZC_UDP_CSUM_OFF, 0xffff);
	ck_assert(zc_udp_csum_ok(u, ref_pseudo6(sizeof d), ZC_UDP_OVER_IPV6));
}
END_TEST

START_TEST(setters_keep_a_zero_checksum_zero_over_ipv6)
{
	zc_buf b = zc_test_dup(udp_nocsum, sizeof udp_nocsum);
	zc_udp u;
	int i;

	/*
	 * The setters do not invent a checksum: over IPv6 the invalid 0
	 * stays invalid, and an RFC 6935 tunnel's "none" stays none.
	 */
	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	for (i = 0; i < 1000; i++) {
		uint16_t p = (uint16_t)rng();

		if (i % 2)
			zc_udp_set_src_port(zc_test_rw_udp(u), p);
		else
			zc_udp_set_dst_port(zc_test_rw_udp(u), p);
		ck_assert_uint_eq(zc_udp_csum(u), 0);
		ck_assert(!zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV6));
		ck_assert(zc_udp_csum_ok(u, ref_pseudo6(20), ZC_UDP_OVER_IPV6_ZERO_OK));
	}
	zc_test_free(b);
}
END_TEST

START_TEST(setter_reaching_zero_writes_ffff)
{
	zc_buf b = zc_test_dup(udp_dns, sizeof udp_dns);
	uint8_t probe[sizeof udp_dns];
	uint32_t ph = ref_pseudo4(sizeof udp_dns), port;
	bool found = false;
	zc_udp u;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	memcpy(probe, udp_dns, sizeof probe);
	for (port = 0; port <= 0xffff && !found; port++) {
		zc_store_be16(probe + ZC_UDP_DPORT_OFF, (uint16_t)port);
		found = ref_udp_csum(probe, sizeof probe, ph) == 0;
	}
	ck_assert(found);
	zc_udp_set_dst_port(zc_test_rw_udp(u), (uint16_t)(port - 1));
	ck_assert_uint_eq(zc_udp_csum(u), 0xffff);
	check_csum(u, ph);
	zc_test_free(b);
}
END_TEST

/* Random port edits on a copy of fx whose checksum is over pseudo, each checked. */
static void fuzz_setters(const uint8_t *fx, size_t len, bool v6)
{
	zc_buf b = zc_test_dup(fx, len);
	uint32_t ph = v6 ? ref_pseudo6(len) : ref_pseudo4(len);
	zc_udp u;
	int i;

	ck_assert_int_eq(zc_udp_parse(b, &u), ZC_OK);
	if (v6) {
		uint16_t c = ref_udp_csum(b.p, b.len, ph);

		zc_store_be16(zc_test_w(b).p + ZC_UDP_CSUM_OFF, c ? c : 0xffff);
	}
	check_csum(u, ph);
	for (i = 0; i < 6000; i++) {
		uint16_t p = (uint16_t)rng();

		if (i % 11 == 0)
			p = 0;
		else if (i % 11 == 1)
			p = 0xffff;
		if (i % 2) {
			zc_udp_set_src_port(zc_test_rw_udp(u), p);
			ck_assert_uint_eq(zc_udp_src_port(u), p);
		} else {
			zc_udp_set_dst_port(zc_test_rw_udp(u), p);
			ck_assert_uint_eq(zc_udp_dst_port(u), p);
		}
		ck_assert_uint_eq(zc_udp_length(u), len);
		check_csum(u, ph);
	}
	ck_assert_mem_eq(b.p + 8, fx + 8, len - 8);
	zc_test_free(b);
}

START_TEST(setters_keep_the_checksum)
{
	fuzz_setters(udp_dns, sizeof udp_dns, false);
	fuzz_setters(udp_dns, sizeof udp_dns, true);
	fuzz_setters(udp_csum_zero, sizeof udp_csum_zero, false);
}
END_TEST

START_TEST(every_fixture_cut_short_is_truncated)
{
	/* Each fixture and the bytes a strict parse needs: the length field, or the header. */
	static const struct {
		const uint8_t *p;
		size_t len, min;
	} fx[] = {
		{ udp_dns, sizeof udp_dns, sizeof udp_dns },
		{ udp_nocsum, sizeof udp_nocsum, sizeof udp_nocsum },
		{ udp_csum_zero, sizeof udp_csum_zero, sizeof udp_csum_zero },
		{ udp_len7, sizeof udp_len7, ZC_UDP_HDR_LEN },
		{ udp_len0, sizeof udp_len0, ZC_UDP_HDR_LEN },
	};
	size_t i;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		zc_buf b = zc_test_dup(fx[i].p, fx[i].min);
		zc_udp u;

		check_cuts(fx[i].p, fx[i].min);
		ck_assert_int_ne(zc_udp_parse(b, &u), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t d[sizeof udp_dns];
	zc_udp u;

	memcpy(d, udp_dns, sizeof d);
	ck_assert_int_eq(zc_udp_parse(zc_buf_make(d, sizeof d), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_udp_parse_lax(zc_buf_make(d, sizeof d), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_udp_parse(zc_buf_make(NULL, sizeof d), &u), ZC_E_ARG);
	ck_assert_int_eq(zc_udp_parse((zc_buf){ NULL, sizeof d }, &u), ZC_E_ARG);
	ck_assert_int_eq(zc_udp_parse_lax((zc_buf){ NULL, sizeof d }, &u), ZC_E_ARG);
}
END_TEST

static Suite *udp_suite(void)
{
	Suite *s = suite_create("udp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, datagram_accessors);
	tcase_add_test(tc, header_alone);
	tcase_add_test(tc, padding_after_the_length_is_not_payload);
	tcase_add_test(tc, length_below_the_header);
	tcase_add_test(tc, lax_parse_of_a_cut_datagram);
	tcase_add_test(tc, no_checksum_means_none_over_ipv4);
	tcase_add_test(tc, zero_checksum_is_invalid_over_ipv6);
	tcase_add_test(tc, zero_that_sums_right_is_still_invalid_over_ipv6);
	tcase_add_test(tc, setters_keep_a_zero_checksum_zero_over_ipv6);
	tcase_add_test(tc, computed_zero_is_sent_as_ffff);
	tcase_add_test(tc, csum_partial_fill_completes_to_the_checksum);
	tcase_add_test(tc, setter_reaching_zero_writes_ffff);
	tcase_add_test(tc, setters_keep_the_checksum);
	tcase_add_test(tc, every_fixture_cut_short_is_truncated);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(udp_suite());
}
