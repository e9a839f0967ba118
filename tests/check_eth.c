/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_eth.c - Ethernet II frames and their 802.1Q / 802.1ad tags.
 */
#include "testutil.h"

static const uint8_t dst_mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t src_mac[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

/* Untagged IPv4 frame with the first 8 bytes of a datagram as payload. */
static const uint8_t untagged[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x08, 0x00,                         /* ethertype IPv4 */
	0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x40, 0x00, /* payload */
};

/* One 802.1Q tag: PCP 5, DEI 0, VID 100; then IPv6. */
static const uint8_t one_tag[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x81, 0x00, 0xa0, 0x64,             /* TPID 8100, TCI: PCP 5, VID 100 */
	0x86, 0xdd,                         /* ethertype IPv6 */
	0x60, 0x00, 0x00, 0x00,             /* payload */
};

/* 802.1ad: service tag (PCP 3, VID 200), then customer tag (DEI 1, VID 4095); then ARP. */
static const uint8_t qinq[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x88, 0xa8, 0x60, 0xc8,             /* TPID 88a8, TCI: PCP 3, VID 200 */
	0x81, 0x00, 0x1f, 0xff,             /* TPID 8100, TCI: PCP 0, DEI 1, VID 4095 */
	0x08, 0x06,                         /* ethertype ARP */
	0x00, 0x01, 0x08, 0x00,             /* payload */
};

/* The pre-standard 9100 outer tag (PCP 7, VID 1), then 8100 (VID 2); no payload. */
static const uint8_t qinq_old[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x91, 0x00, 0xe0, 0x01,             /* TPID 9100, TCI: PCP 7, VID 1 */
	0x81, 0x00, 0x00, 0x02,             /* TPID 8100, VID 2 */
	0x08, 0x00,                         /* ethertype IPv4 */
};

/* Four tags: the cap, still accepted. */
static const uint8_t four_tags[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x88, 0xa8, 0x00, 0x0a,             /* tag 0: 88a8, VID 10 */
	0x91, 0x00, 0x00, 0x0b,             /* tag 1: 9100, VID 11 */
	0x81, 0x00, 0x00, 0x0c,             /* tag 2: 8100, VID 12 */
	0x81, 0x00, 0x00, 0x0d,             /* tag 3: 8100, VID 13 */
	0x86, 0xdd,                         /* ethertype IPv6 */
	0xde, 0xad,                         /* payload */
};

/* Five tags: one past ZC_ETH_MAX_TAGS. */
static const uint8_t five_tags[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x81, 0x00, 0x00, 0x01,             /* tag 0 */
	0x81, 0x00, 0x00, 0x02,             /* tag 1 */
	0x81, 0x00, 0x00, 0x03,             /* tag 2 */
	0x81, 0x00, 0x00, 0x04,             /* tag 3 */
	0x81, 0x00, 0x00, 0x05,             /* tag 4: too deep */
	0x08, 0x00,                         /* ethertype IPv4 */
};

/* An 802.3 frame: the type field is a length (3 bytes of LLC). */
static const uint8_t ieee8023[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, /* destination: STP multicast */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* source */
	0x00, 0x03,                         /* length 3 */
	0x42, 0x42, 0x03,                   /* LLC: DSAP, SSAP, control */
};

/* Every length below min gives ZC_E_TRUNCATED, the buffer really ending there. */
static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_eth e;

		ck_assert_int_eq(zc_eth_parse(b, &e), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

START_TEST(untagged_frame)
{
	zc_buf b = zc_test_dup(untagged, sizeof untagged);
	zc_eth e;
	zc_buf pl;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_mem_eq(zc_eth_dst(e), dst_mac, 6);
	ck_assert_mem_eq(zc_eth_src(e), src_mac, 6);
	ck_assert_uint_eq(zc_eth_type(e), ZC_ETH_P_IPV4);
	ck_assert(!zc_eth_is_8023(e));
	ck_assert_uint_eq(zc_eth_hdr_len(e), ZC_ETH_HDR_LEN);
	ck_assert_uint_eq(zc_eth_ntags(e), 0);
	pl = zc_eth_payload(e);
	ck_assert_ptr_eq(pl.p, b.p + 14);
	ck_assert_uint_eq(pl.len, 8);
	ck_assert_uint_eq(pl.p[0], 0x45);
	zc_test_free(b);
	check_cuts(untagged, ZC_ETH_HDR_LEN);
}
END_TEST

START_TEST(header_alone_has_an_empty_payload)
{
	zc_buf b = zc_test_dup(untagged, ZC_ETH_HDR_LEN);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_uint_eq(zc_eth_payload(e).len, 0);
	ck_assert_ptr_eq(zc_eth_payload(e).p, b.p + ZC_ETH_HDR_LEN);
	zc_test_free(b);
}
END_TEST

START_TEST(single_8021q_tag)
{
	zc_buf b = zc_test_dup(one_tag, sizeof one_tag);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_uint_eq(zc_eth_ntags(e), 1);
	ck_assert_uint_eq(zc_eth_hdr_len(e), 18);
	ck_assert_uint_eq(zc_eth_type(e), ZC_ETH_P_IPV6);
	ck_assert_uint_eq(zc_eth_tag_tpid(e, 0), ZC_ETH_P_VLAN);
	ck_assert_uint_eq(zc_eth_tag_tci(e, 0), 0xa064);
	ck_assert_uint_eq(zc_eth_vlan_id(e, 0), 100);
	ck_assert_uint_eq(zc_eth_vlan_pcp(e, 0), 5);
	ck_assert_mem_eq(zc_eth_dst(e), dst_mac, 6);
	ck_assert_mem_eq(zc_eth_src(e), src_mac, 6);
	ck_assert_ptr_eq(zc_eth_payload(e).p, b.p + 18);
	ck_assert_uint_eq(zc_eth_payload(e).len, 4);
	zc_test_free(b);
	check_cuts(one_tag, 18);
}
END_TEST

START_TEST(double_8021ad_tags)
{
	zc_buf b = zc_test_dup(qinq, sizeof qinq);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_uint_eq(zc_eth_ntags(e), 2);
	ck_assert_uint_eq(zc_eth_hdr_len(e), 22);
	ck_assert_uint_eq(zc_eth_type(e), ZC_ETH_P_ARP);
	ck_assert_uint_eq(zc_eth_tag_tpid(e, 0), ZC_ETH_P_QINQ);
	ck_assert_uint_eq(zc_eth_vlan_id(e, 0), 200);
	ck_assert_uint_eq(zc_eth_vlan_pcp(e, 0), 3);
	ck_assert_uint_eq(zc_eth_tag_tpid(e, 1), ZC_ETH_P_VLAN);
	ck_assert_uint_eq(zc_eth_tag_tci(e, 1), 0x1fff);
	ck_assert_uint_eq(zc_eth_vlan_id(e, 1), 4095);
	ck_assert_uint_eq(zc_eth_vlan_pcp(e, 1), 0);
	ck_assert_uint_eq(zc_eth_payload(e).len, 4);
	zc_test_free(b);
	check_cuts(qinq, 22);
}
END_TEST

START_TEST(old_9100_outer_tag_and_no_payload)
{
	zc_buf b = zc_test_dup(qinq_old, sizeof qinq_old);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_uint_eq(zc_eth_ntags(e), 2);
	ck_assert_uint_eq(zc_eth_tag_tpid(e, 0), ZC_ETH_P_QINQ_OLD);
	ck_assert_uint_eq(zc_eth_vlan_pcp(e, 0), 7);
	ck_assert_uint_eq(zc_eth_vlan_id(e, 0), 1);
	ck_assert_uint_eq(zc_eth_vlan_id(e, 1), 2);
	ck_assert_uint_eq(zc_eth_type(e), ZC_ETH_P_IPV4);
	ck_assert_uint_eq(zc_eth_payload(e).len, 0);
	zc_test_free(b);
	check_cuts(qinq_old, sizeof qinq_old);
}
END_TEST

START_TEST(four_tags_is_the_cap)
{
	zc_buf b = zc_test_dup(four_tags, sizeof four_tags);
	zc_eth e;
	unsigned i;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert_uint_eq(zc_eth_ntags(e), ZC_ETH_MAX_TAGS);
	ck_assert_uint_eq(zc_eth_hdr_len(e), 30);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(zc_eth_vlan_id(e, i), 10 + i);
	ck_assert_uint_eq(zc_eth_tag_tpid(e, 1), ZC_ETH_P_QINQ_OLD);
	ck_assert_uint_eq(zc_eth_type(e), ZC_ETH_P_IPV6);
	ck_assert_uint_eq(zc_eth_payload(e).len, 2);
	zc_test_free(b);
	check_cuts(four_tags, 30);
}
END_TEST

START_TEST(fifth_tag_is_too_deep)
{
	size_t n;

	/* The fifth TPID is seen once the four tags before it are there. */
	for (n = 30; n <= sizeof five_tags; n++) {
		zc_buf b = zc_test_dup(five_tags, n);
		zc_eth e;

		ck_assert_int_eq(zc_eth_parse(b, &e), ZC_E_TOO_DEEP);
		zc_test_free(b);
	}
	check_cuts(five_tags, 30);
}
END_TEST

START_TEST(ieee8023_length_field)
{
	zc_buf b = zc_test_dup(ieee8023, sizeof ieee8023);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	ck_assert(zc_eth_is_8023(e));
	ck_assert_uint_eq(zc_eth_type(e), 3);
	ck_assert_uint_eq(zc_eth_ntags(e), 0);
	ck_assert_uint_eq(zc_eth_payload(e).len, 3);
	zc_test_free(b);
	check_cuts(ieee8023, ZC_ETH_HDR_LEN);
	/* 0x0600 is the first ethertype; 0x05ff is still a length. */
	ck_assert(zc_eth_is_tpid(0x8100) && zc_eth_is_tpid(0x88a8) && zc_eth_is_tpid(0x9100));
	ck_assert(!zc_eth_is_tpid(0x0800) && !zc_eth_is_tpid(0x8847));
}
END_TEST

START_TEST(type_boundary_0600)
{
	uint8_t f[ZC_ETH_HDR_LEN] = { 0 };
	zc_eth e;

	f[12] = 0x05;
	f[13] = 0xff;
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(f, sizeof f), &e), ZC_OK);
	ck_assert(zc_eth_is_8023(e));
	f[13] = 0x00;
	f[12] = 0x06;
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(f, sizeof f), &e), ZC_OK);
	ck_assert(!zc_eth_is_8023(e));
}
END_TEST

START_TEST(setters_rewrite_the_addresses_only)
{
	static const uint8_t a[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	static const uint8_t c[6] = { 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	zc_buf b = zc_test_dup(qinq, sizeof qinq);
	zc_eth e;

	ck_assert_int_eq(zc_eth_parse(b, &e), ZC_OK);
	zc_eth_set_dst(zc_test_rw_eth(e), a);
	ck_assert_mem_eq(zc_eth_dst(e), a, 6);
	ck_assert_mem_eq(zc_eth_src(e), src_mac, 6);
	zc_eth_set_src(zc_test_rw_eth(e), c);
	ck_assert_mem_eq(zc_eth_src(e), c, 6);
	ck_assert_mem_eq(zc_eth_dst(e), a, 6);
	/* Everything after the addresses is as it was. */
	ck_assert_mem_eq(b.p + 12, qinq + 12, sizeof qinq - 12);
	zc_test_free(b);
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t f[sizeof untagged];
	zc_eth e;

	memcpy(f, untagged, sizeof f);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(f, sizeof f), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(NULL, sizeof f), &e), ZC_E_ARG);
	ck_assert_int_eq(zc_eth_parse((zc_buf){ NULL, 64 }, &e), ZC_E_ARG);
#if SIZE_MAX > UINT32_MAX
	/* The view cannot describe a frame of 4 GiB or more; nothing past 14 bytes is read. */
	ck_assert_int_eq(zc_eth_parse((zc_buf){ f, (size_t)UINT32_MAX + 1 }, &e), ZC_E_ARG);
#endif
}
END_TEST

static Suite *eth_suite(void)
{
	Suite *s = suite_create("eth");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, untagged_frame);
	tcase_add_test(tc, header_alone_has_an_empty_payload);
	tcase_add_test(tc, single_8021q_tag);
	tcase_add_test(tc, double_8021ad_tags);
	tcase_add_test(tc, old_9100_outer_tag_and_no_payload);
	tcase_add_test(tc, four_tags_is_the_cap);
	tcase_add_test(tc, fifth_tag_is_too_deep);
	tcase_add_test(tc, ieee8023_length_field);
	tcase_add_test(tc, type_boundary_0600);
	tcase_add_test(tc, setters_rewrite_the_addresses_only);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(eth_suite());
}
