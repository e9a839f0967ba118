/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_arp.c - ARP for Ethernet and IPv4 (RFC 826).
 */
#include "testutil.h"

/* Who has 192.0.2.2? Tell 192.0.2.1. */
static const uint8_t arp_request[] = {
	0x00, 0x01,                         /* hardware type: Ethernet */
	0x08, 0x00,                         /* protocol type: IPv4 */
	0x06, 0x04,                         /* address lengths 6 and 4 */
	0x00, 0x01,                         /* operation: request */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* sender hardware address */
	0xc0, 0x00, 0x02, 0x01,             /* sender protocol address 192.0.2.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* target hardware address: unknown */
	0xc0, 0x00, 0x02, 0x02,             /* target protocol address 192.0.2.2 */
};

/* 192.0.2.2 is at 66:77:88:99:aa:bb; with the Ethernet minimum-frame padding after it. */
static const uint8_t reply_padded[] = {
	0x00, 0x01,                         /* hardware type: Ethernet */
	0x08, 0x00,                         /* protocol type: IPv4 */
	0x06, 0x04,                         /* address lengths 6 and 4 */
	0x00, 0x02,                         /* operation: reply */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* sender hardware address */
	0xc0, 0x00, 0x02, 0x02,             /* sender protocol address 192.0.2.2 */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* target hardware address */
	0xc0, 0x00, 0x02, 0x01,             /* target protocol address 192.0.2.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* padding to 60 bytes of frame */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* IEEE 802 hardware type (6): well-formed, not handled. */
static const uint8_t htype_ieee802[] = {
	0x00, 0x06,                         /* hardware type: IEEE 802 */
	0x08, 0x00,                         /* protocol type: IPv4 */
	0x06, 0x04,                         /* address lengths 6 and 4 */
	0x00, 0x01,                         /* operation: request */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* sender hardware address */
	0xc0, 0x00, 0x02, 0x01,             /* sender protocol address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* target hardware address */
	0xc0, 0x00, 0x02, 0x02,             /* target protocol address */
};

/* Ethernet with protocol IPv6 (not something ARP carries in practice): unsupported. */
static const uint8_t ptype_ipv6[] = {
	0x00, 0x01,                         /* hardware type: Ethernet */
	0x86, 0xdd,                         /* protocol type: IPv6 */
	0x06, 0x10,                         /* address lengths 6 and 16 */
	0x00, 0x01,                         /* operation: request */
};

/* Ethernet/IPv4 types with an 8-byte hardware address: the bytes contradict the types. */
static const uint8_t bad_hlen[] = {
	0x00, 0x01,                         /* hardware type: Ethernet */
	0x08, 0x00,                         /* protocol type: IPv4 */
	0x08, 0x04,                         /* address lengths 8 (wrong) and 4 */
	0x00, 0x01,                         /* operation: request */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, /* sender hardware address */
	0xc0, 0x00, 0x02, 0x01,             /* sender protocol address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* target hardware address */
	0xc0, 0x00, 0x02, 0x02,             /* target protocol address */
};

/* Ethernet/IPv4 types with a 16-byte protocol address. */
static const uint8_t bad_plen[] = {
	0x00, 0x01,                         /* hardware type: Ethernet */
	0x08, 0x00,                         /* protocol type: IPv4 */
	0x06, 0x10,                         /* address lengths 6 and 16 (wrong) */
	0x00, 0x02,                         /* operation: reply */
};

static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_arp a;

		ck_assert_int_eq(zc_arp_parse(b, &a), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/* Every length from min to the whole fixture gives err. */
static void check_from(const uint8_t *fx, size_t min, size_t len, zc_err err)
{
	size_t n;

	for (n = min; n <= len; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_arp a;

		ck_assert_int_eq(zc_arp_parse(b, &a), err);
		zc_test_free(b);
	}
}

START_TEST(request_who_has)
{
	static const uint8_t sha[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t zero[6] = { 0 };
	zc_buf b = zc_test_dup(arp_request, sizeof arp_request);
	zc_arp a;

	ck_assert_int_eq(zc_arp_parse(b, &a), ZC_OK);
	ck_assert_uint_eq(zc_arp_htype(a), ZC_ARP_HTYPE_ETHER);
	ck_assert_uint_eq(zc_arp_ptype(a), ZC_ETH_P_IPV4);
	ck_assert_uint_eq(zc_arp_op(a), ZC_ARP_OP_REQUEST);
	ck_assert_mem_eq(zc_arp_sha(a), sha, 6);
	ck_assert_uint_eq(zc_arp_spa(a), 0xc0000201);
	ck_assert_mem_eq(zc_arp_tha(a), zero, 6);
	ck_assert_uint_eq(zc_arp_tpa(a), 0xc0000202);
	ck_assert_mem_eq(zc_arp_spa_bytes(a), "\xc0\x00\x02\x01", 4);
	ck_assert_mem_eq(zc_arp_tpa_bytes(a), "\xc0\x00\x02\x02", 4);
	zc_test_free(b);
	check_cuts(arp_request, ZC_ARP_LEN);
}
END_TEST

START_TEST(reply_with_padding)
{
	static const uint8_t sha[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
	static const uint8_t tha[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	zc_buf b = zc_test_dup(reply_padded, sizeof reply_padded);
	zc_arp a;

	ck_assert_int_eq(zc_arp_parse(b, &a), ZC_OK);
	ck_assert_uint_eq(zc_arp_op(a), ZC_ARP_OP_REPLY);
	ck_assert_mem_eq(zc_arp_sha(a), sha, 6);
	ck_assert_uint_eq(zc_arp_spa(a), 0xc0000202);
	ck_assert_mem_eq(zc_arp_tha(a), tha, 6);
	ck_assert_uint_eq(zc_arp_tpa(a), 0xc0000201);
	zc_test_free(b);
	/* Without the padding it is the same reply. */
	check_from(reply_padded, ZC_ARP_LEN, sizeof reply_padded, ZC_OK);
	check_cuts(reply_padded, ZC_ARP_LEN);
}
END_TEST

START_TEST(other_operations_are_read_as_on_the_wire)
{
	uint8_t p[sizeof arp_request];
	zc_arp a;

	memcpy(p, arp_request, sizeof p);
	p[7] = 3; /* RARP request (RFC 903) */
	ck_assert_int_eq(zc_arp_parse(zc_buf_make(p, sizeof p), &a), ZC_OK);
	ck_assert_uint_eq(zc_arp_op(a), 3);
}
END_TEST

START_TEST(unsupported_hardware_or_protocol_type)
{
	/* The fixed 8 bytes are enough to know it is not Ethernet/IPv4. */
	check_from(htype_ieee802, ZC_ARP_FIXED_LEN, sizeof htype_ieee802, ZC_E_UNSUPPORTED);
	check_cuts(htype_ieee802, ZC_ARP_FIXED_LEN);
	check_from(ptype_ipv6, ZC_ARP_FIXED_LEN, sizeof ptype_ipv6, ZC_E_UNSUPPORTED);
	check_cuts(ptype_ipv6, ZC_ARP_FIXED_LEN);
}
END_TEST

START_TEST(wrong_address_lengths_are_invalid)
{
	check_from(bad_hlen, ZC_ARP_FIXED_LEN, sizeof bad_hlen, ZC_E_INVALID);
	check_cuts(bad_hlen, ZC_ARP_FIXED_LEN);
	check_from(bad_plen, ZC_ARP_FIXED_LEN, sizeof bad_plen, ZC_E_INVALID);
	check_cuts(bad_plen, ZC_ARP_FIXED_LEN);
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t p[sizeof arp_request];
	zc_arp a;

	memcpy(p, arp_request, sizeof p);
	ck_assert_int_eq(zc_arp_parse(zc_buf_make(p, sizeof p), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_arp_parse(zc_buf_make(NULL, sizeof p), &a), ZC_E_ARG);
	ck_assert_int_eq(zc_arp_parse((zc_buf){ NULL, sizeof p }, &a), ZC_E_ARG);
}
END_TEST

static Suite *arp_suite(void)
{
	Suite *s = suite_create("arp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, request_who_has);
	tcase_add_test(tc, reply_with_padding);
	tcase_add_test(tc, other_operations_are_read_as_on_the_wire);
	tcase_add_test(tc, unsupported_hardware_or_protocol_type);
	tcase_add_test(tc, wrong_address_lengths_are_invalid);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(arp_suite());
}
