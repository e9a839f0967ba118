/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_rw.c - read-only views and writable handles: a handle is made
 * only over writable bytes that hold the whole view, gives the same view
 * back, and the length setters change the field, the handle's extent and
 * the checksums as their headers say.
 */
#include "testutil.h"

/* IPv4 (20 bytes) + UDP (8) + 4 bytes of payload, checksums filled by the tests. */
static const uint8_t ipv4_udp[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x13, 0x88, 0x13, 0x89, 0x00, 0x0c, 0x00, 0x00,
	'd', 'a', 't', 'a',
};

/* IPv6 (40) + a hop-by-hop header (8) + TCP (20) + 2 bytes of payload. */
static const uint8_t ipv6_hbh_tcp[] = {
	0x60, 0, 0, 0, 0x00, 0x1e, 0x00, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x06, 0x00, 0x01, 0x04, 0, 0, 0, 0,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0x20, 0x00, 0, 0, 0, 0,
	'h', 'i',
};

START_TEST(wbuf_at_holds_the_bounds)
{
	uint8_t all[40];
	uint8_t *mem = all + 4; /* the span is all[4 .. 36) */
	zc_wbuf w = zc_wbuf_make(mem, 32);

	ck_assert_ptr_eq(zc_wbuf_at(w, mem, 32), mem);
	ck_assert_ptr_eq(zc_wbuf_at(w, mem + 8, 24), mem + 8);
	ck_assert_ptr_eq(zc_wbuf_at(w, mem + 32, 0), mem + 32);
	ck_assert_ptr_null(zc_wbuf_at(w, mem + 8, 25));
	ck_assert_ptr_null(zc_wbuf_at(w, mem + 33, 0));
	ck_assert_ptr_null(zc_wbuf_at(w, all + 3, 1));
	ck_assert_ptr_null(zc_wbuf_at(w, NULL, 0));
	ck_assert_ptr_null(zc_wbuf_at(zc_wbuf_make(NULL, 5), mem, 0));
	ck_assert_ptr_null(zc_wbuf_at(w, mem + 8, SIZE_MAX));
	/* A span of no memory is empty whatever the length said. */
	ck_assert_uint_eq(zc_wbuf_make(NULL, 9).len, 0);
	ck_assert_ptr_eq(zc_wbuf_ro(w).p, mem);
	ck_assert_uint_eq(zc_wbuf_ro(w).len, 32);
}
END_TEST

START_TEST(rw_of_takes_only_views_inside_the_span)
{
	uint8_t mem[sizeof ipv4_udp];
	zc_ipv4 v;
	zc_ipv4_rw h;
	zc_udp u;
	zc_udp_rw uh;

	memcpy(mem, ipv4_udp, sizeof mem);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(mem, sizeof mem), &v), ZC_OK);
	ck_assert_int_eq(zc_ipv4_rw_of(zc_wbuf_make(mem, sizeof mem), v, &h), ZC_OK);
	ck_assert_ptr_eq(zc_ipv4_ro(h).p, v.p);
	ck_assert_uint_eq(zc_ipv4_ro(h).len, v.len);
	/* One byte short of the datagram, or starting past its first byte: refused. */
	ck_assert_int_eq(zc_ipv4_rw_of(zc_wbuf_make(mem, sizeof mem - 1), v, &h), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_rw_of(zc_wbuf_make(mem + 1, sizeof mem - 1), v, &h), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_rw_of(zc_wbuf_make(mem, sizeof mem), v, NULL), ZC_E_ARG);
	/* A view inside the span, not at its start. */
	ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(v), &u), ZC_OK);
	ck_assert_int_eq(zc_udp_rw_of(zc_wbuf_make(mem, sizeof mem), u, &uh), ZC_OK);
	zc_udp_set_dst_port(uh, 53);
	ck_assert_uint_eq(zc_udp_dst_port(u), 53);
	ck_assert_uint_eq(mem[20 + ZC_UDP_DPORT_OFF + 1], 53);
	/* parse_rw is the constructor: the same errors. */
	ck_assert_int_eq(zc_ipv4_parse_rw(zc_wbuf_make(mem, 19), &h), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_ipv4_parse_rw(zc_wbuf_make(mem, sizeof mem), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_udp_parse_lax_rw(zc_wbuf_make(mem + 20, 9), &uh), ZC_OK);
	ck_assert_uint_eq(zc_udp_ro(uh).len, 9);
}
END_TEST

START_TEST(every_handle_round_trips)
{
	uint8_t frame[14 + sizeof ipv6_hbh_tcp];
	zc_wbuf w = zc_wbuf_make(frame, sizeof frame);
	zc_eth_rw e;
	zc_ipv6_rw ip;
	zc_tcp_rw t;
	zc_ipv6 none;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };

	memset(frame, 0, 12);
	frame[12] = 0x86, frame[13] = 0xdd;
	memcpy(frame + 14, ipv6_hbh_tcp, sizeof ipv6_hbh_tcp);
	ck_assert_int_eq(zc_eth_parse_rw(w, &e), ZC_OK);
	zc_eth_set_src(e, mac);
	ck_assert_mem_eq(zc_eth_src(zc_eth_ro(e)), mac, 6);
	memset(&none, 0, sizeof none);
	ck_assert_int_eq(zc_ipv6_rw_of(w, none, &ip), ZC_E_ARG); /* a view of nothing */
	ck_assert_int_eq(zc_ipv6_parse_rw(zc_wbuf_make(frame + 14, sizeof ipv6_hbh_tcp), &ip), ZC_OK);
	ck_assert_int_eq(zc_tcp_parse_rw(zc_ipv6_payload_rw(ip), &t), ZC_OK);
	zc_tcp_set_seq(t, 77);
	zc_tcp_csum_fill(t, zc_ipv6_pseudo(zc_ipv6_ro(ip), zc_ipv6_upper_len(zc_ipv6_ro(ip))));
	ck_assert(zc_tcp_csum_ok(zc_tcp_ro(t), zc_ipv6_pseudo(zc_ipv6_ro(ip), zc_ipv6_upper_len(zc_ipv6_ro(ip)))));
	ck_assert_uint_eq(zc_tcp_seq(zc_tcp_ro(t)), 77);
	zc_ipv6_set_hlim(ip, 9);
	ck_assert_uint_eq(frame[14 + ZC_IPV6_HLIM_OFF], 9);
}
END_TEST

START_TEST(ipv4_total_len_setter)
{
	uint8_t mem[sizeof ipv4_udp];
	zc_ipv4_rw h;
	zc_ipv4 before;

	memcpy(mem, ipv4_udp, sizeof mem);
	ck_assert_int_eq(zc_ipv4_parse_rw(zc_wbuf_make(mem, sizeof mem), &h), ZC_OK);
	zc_ipv4_csum_fill(h);
	before = zc_ipv4_ro(h);
	/* Shorter: the field, the handle's extent, and a checksum that still verifies. */
	ck_assert_int_eq(zc_ipv4_set_total_len(&h, 24), ZC_OK);
	ck_assert_uint_eq(zc_load_be16(mem + ZC_IPV4_TOTLEN_OFF), 24);
	ck_assert_uint_eq(zc_ipv4_total_len(zc_ipv4_ro(h)), 24);
	ck_assert_uint_eq(zc_ipv4_payload(zc_ipv4_ro(h)).len, 4);
	ck_assert(zc_ipv4_csum_ok(zc_ipv4_ro(h)));
	ck_assert(!zc_ipv4_is_cut(zc_ipv4_ro(h)));
	/* A view made before keeps its extent, as the header says. */
	ck_assert_uint_eq(before.len, sizeof ipv4_udp);
	/* Longer than the bytes it covers: the field says so, the handle is cut. */
	ck_assert_int_eq(zc_ipv4_set_total_len(&h, 9000), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_total_len(zc_ipv4_ro(h)), 9000);
	ck_assert_uint_eq(zc_ipv4_ro(h).len, 24);
	ck_assert(zc_ipv4_is_cut(zc_ipv4_ro(h)));
	ck_assert(zc_ipv4_csum_ok(zc_ipv4_ro(h)));
	/* Below the header, above 16 bits, no handle: refused, nothing changed. */
	ck_assert_int_eq(zc_ipv4_set_total_len(&h, 19), ZC_E_LENGTH);
	ck_assert_int_eq(zc_ipv4_set_total_len(&h, 65536), ZC_E_LENGTH);
	ck_assert_int_eq(zc_ipv4_set_total_len(NULL, 30), ZC_E_ARG);
	ck_assert_uint_eq(zc_load_be16(mem + ZC_IPV4_TOTLEN_OFF), 9000);
	ck_assert(zc_ipv4_csum_ok(zc_ipv4_ro(h)));
}
END_TEST

START_TEST(ipv6_payload_len_setter)
{
	uint8_t mem[sizeof ipv6_hbh_tcp];
	zc_ipv6_rw h;

	memcpy(mem, ipv6_hbh_tcp, sizeof mem);
	ck_assert_int_eq(zc_ipv6_parse_rw(zc_wbuf_make(mem, sizeof mem), &h), ZC_OK);
	ck_assert_int_eq(zc_ipv6_set_payload_len(&h, 28), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_payload_len(zc_ipv6_ro(h)), 28);
	ck_assert_uint_eq(zc_ipv6_payload(zc_ipv6_ro(h)).len, 20);
	ck_assert(!zc_ipv6_is_cut(zc_ipv6_ro(h)));
	ck_assert_int_eq(zc_ipv6_set_payload_len(&h, 1000), ZC_OK);
	ck_assert(zc_ipv6_is_cut(zc_ipv6_ro(h)));
	ck_assert_uint_eq(zc_ipv6_payload(zc_ipv6_ro(h)).len, 20);
	/* Ending inside the hop-by-hop header walked, or past 16 bits: refused. */
	ck_assert_int_eq(zc_ipv6_set_payload_len(&h, 7), ZC_E_LENGTH);
	ck_assert_int_eq(zc_ipv6_set_payload_len(&h, 65536), ZC_E_LENGTH);
	ck_assert_uint_eq(zc_ipv6_payload_len(zc_ipv6_ro(h)), 1000);
	ck_assert_int_eq(zc_ipv6_set_payload_len(&h, 8), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_payload(zc_ipv6_ro(h)).len, 0);
	ck_assert_int_eq(zc_ipv6_set_payload_len(NULL, 8), ZC_E_ARG);
}
END_TEST

START_TEST(udp_len_setter)
{
	uint8_t mem[sizeof ipv4_udp];
	zc_ipv4 ip;
	zc_udp_rw h;
	uint32_t pseudo;

	memcpy(mem, ipv4_udp, sizeof mem);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(mem, sizeof mem), &ip), ZC_OK);
	ck_assert_int_eq(zc_udp_parse_rw(zc_wbuf_make(mem + 20, 12), &h), ZC_OK);
	ck_assert_int_eq(zc_udp_set_len(&h, 10), ZC_OK);
	ck_assert_uint_eq(zc_udp_length(zc_udp_ro(h)), 10);
	ck_assert_uint_eq(zc_udp_payload(zc_udp_ro(h)).len, 2);
	/* The checksum is the caller's to fill; filled, it verifies. */
	pseudo = zc_ipv4_pseudo(ip, 10);
	zc_udp_csum_fill(h, pseudo);
	ck_assert(zc_udp_csum_ok(zc_udp_ro(h), pseudo, ZC_UDP_OVER_IPV4));
	ck_assert_int_eq(zc_udp_set_len(&h, 7), ZC_E_LENGTH);
	ck_assert_int_eq(zc_udp_set_len(&h, 70000), ZC_E_LENGTH);
	ck_assert_int_eq(zc_udp_set_len(NULL, 8), ZC_E_ARG);
	ck_assert_uint_eq(zc_udp_length(zc_udp_ro(h)), 10);
	ck_assert_int_eq(zc_udp_set_len(&h, 400), ZC_OK);
	ck_assert_uint_eq(zc_udp_ro(h).len, 10);
}
END_TEST

START_TEST(handles_are_views_in_size)
{
	ck_assert_uint_eq(sizeof(zc_ipv4_rw), sizeof(zc_ipv4));
	ck_assert_uint_eq(sizeof(zc_ipv6_rw), sizeof(zc_ipv6));
	ck_assert_uint_eq(sizeof(zc_tcp_rw), sizeof(zc_tcp));
	ck_assert_uint_eq(sizeof(zc_eth_rw), sizeof(zc_eth));
}
END_TEST

static Suite *rw_suite(void)
{
	Suite *s = suite_create("rw");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, wbuf_at_holds_the_bounds);
	tcase_add_test(tc, rw_of_takes_only_views_inside_the_span);
	tcase_add_test(tc, every_handle_round_trips);
	tcase_add_test(tc, ipv4_total_len_setter);
	tcase_add_test(tc, ipv6_payload_len_setter);
	tcase_add_test(tc, udp_len_setter);
	tcase_add_test(tc, handles_are_views_in_size);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(rw_suite());
}
