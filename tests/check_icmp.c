/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_icmp.c - ICMP (RFC 792) and ICMPv6 (RFC 4443, RFC 4861): echo,
 * errors quoting a packet, neighbour discovery and its options.
 */
#include "testutil.h"

/* An ICMP checksum recomputed from scratch over a copy with the field zeroed. */
static uint16_t ref_icmp4_csum(const uint8_t *m, size_t len)
{
	return zc_test_ref_csum_zeroed(m, len, ZC_ICMP_CSUM_OFF, 0);
}

/* The same for ICMPv6, the pseudo-header (RFC 8200 section 8.1) laid out from the IPv6 header. */
static uint16_t ref_icmp6_csum(const uint8_t *ip, const uint8_t *m, size_t len)
{
	return zc_test_ref_csum_zeroed(m, len, ZC_ICMP_CSUM_OFF, zc_test_ref_pseudo6(ip, ZC_IPPROTO_ICMPV6, len));
}

/* Every length below min gives ZC_E_TRUNCATED. */
static void check_cuts4(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_icmp4 m;

		ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

static void check_cuts6(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_icmp6 m;

		ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/*
 * An ICMPv6 packet: a heap copy of the whole IPv6 packet, its view, and the
 * view of the message in its payload.
 */
typedef struct pkt6 {
	zc_buf b;
	zc_ipv6 ip;
	zc_icmp6 m;
} pkt6;

static pkt6 pkt6_make(const uint8_t *fx, size_t len)
{
	pkt6 k;

	k.b = zc_test_dup(fx, len);
	ck_assert_int_eq(zc_ipv6_parse(k.b, &k.ip), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(k.ip), ZC_IPPROTO_ICMPV6);
	ck_assert_int_eq(zc_icmp6_parse(zc_ipv6_payload(k.ip), &k.m), ZC_OK);
	return k;
}

/* ICMP echo request with 16 bytes of data. */
static const uint8_t icmp4_echo[] = {
	0x08, 0x00, /* type 8 (echo request), code 0 */
	0x2d, 0x0a, /* checksum */
	0x12, 0x34, 0x00, 0x01, /* identifier 0x1234, sequence 1 */
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, /* data */
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* ICMP echo reply. */
static const uint8_t icmp4_echo_reply[] = {
	0x00, 0x00, /* type 0 (echo reply), code 0 */
	0x29, 0x03, /* checksum */
	0x12, 0x34, 0x00, 0x02, /* identifier 0x1234, sequence 2 */
	0x61, 0x62, 0x63, 0x64, /* data */
};

/*
 * Destination unreachable, fragmentation needed: quotes the IPv4 header and
 * the first 8 bytes of the UDP datagram that was too big.
 */
static const uint8_t icmp4_frag_needed[] = {
	0x03, 0x04, /* type 3 (destination unreachable), code 4 (fragmentation needed) */
	0xb6, 0xbd, /* checksum */
	0x00, 0x00, 0x05, 0x78, /* unused, next-hop MTU 1400 (RFC 1191) */
	0x45, 0x00, /* quoted: version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x05, 0xdc, /* quoted: total length 1500 */
	0x43, 0x21, /* quoted: identification 0x4321 */
	0x40, 0x00, /* quoted: flags DF */
	0x3f, 0x11, /* quoted: TTL 63, protocol 17 (UDP) */
	0x8c, 0xb0, /* quoted: header checksum */
	0xc6, 0x33, 0x64, 0x02, /* quoted: source 198.51.100.2 */
	0xcb, 0x00, 0x71, 0x09, /* quoted: destination 203.0.113.9 */
	0xab, 0x12, 0x11, 0x94, /* quoted UDP: source port 43794, destination port 4500 */
	0x05, 0xc8, 0x7e, 0x57, /* quoted UDP: length 1480, checksum */
};

/* Time exceeded in transit, quoting an IPv4 header and 8 bytes of TCP. */
static const uint8_t icmp4_time_exceeded[] = {
	0x0b, 0x00, /* type 11 (time exceeded), code 0 (TTL) */
	0x30, 0xa9, /* checksum */
	0x00, 0x00, 0x00, 0x00, /* unused */
	0x45, 0x00, /* quoted: version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x3c, /* quoted: total length 60 */
	0x00, 0x42, /* quoted: identification 0x0042 */
	0x40, 0x00, /* quoted: flags DF */
	0x01, 0x06, /* quoted: TTL 1, protocol 6 (TCP) */
	0x8d, 0x43, /* quoted: header checksum */
	0xc0, 0x00, 0x02, 0x01, /* quoted: source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* quoted: destination 198.51.100.2 */
	0xc0, 0x00, 0x00, 0x50, /* quoted TCP: source port 49152, destination port 80 */
	0x01, 0x02, 0x03, 0x04, /* quoted TCP: sequence number */
};

/* IPv6 carrying an ICMPv6 echo request. */
static const uint8_t icmp6_echo[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x10, /* payload length 16 */
	0x3a, 0x40, /* next header 58 (ICMPv6), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x80, 0x00, /* ICMPv6 type 128 (echo request), code 0 */
	0x50, 0x61, /* checksum */
	0x42, 0x42, 0x00, 0x07, /* identifier 0x4242, sequence 7 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, /* data */
};

/*
 * Packet too big (MTU 1280) from a router, quoting the IPv6 header and the
 * first 8 bytes of the UDP datagram.
 */
static const uint8_t icmp6_too_big[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x38, /* payload length 56 */
	0x3a, 0x40, /* next header 58 (ICMPv6), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::fe */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x02, 0x00, /* ICMPv6 type 2 (packet too big), code 0 */
	0x07, 0xc7, /* checksum */
	0x00, 0x00, 0x05, 0x00, /* MTU 1280 */
	0x60, 0x00, 0x00, 0x00, /* quoted: version 6, traffic class 0x00, flow label 0x00000 */
	0x05, 0x78, /* quoted: payload length 1400 */
	0x11, 0x3f, /* quoted: next header 17 (UDP), hop limit 63 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* quoted: source 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, /* quoted: destination 2001:db8:1::9 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
	0xab, 0x12, 0x11, 0x94, /* quoted UDP: source port 43794, destination port 4500 */
	0x05, 0x78, 0x00, 0x00, /* quoted UDP: length 1400, checksum (elided) */
};

/*
 * Neighbour solicitation for 2001:db8::2, sent to its solicited-node
 * multicast address, with the sender's link-layer address.
 */
static const uint8_t icmp6_ns[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x20, /* payload length 32 */
	0x3a, 0xff, /* next header 58 (ICMPv6), hop limit 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* destination ff02::1:ff00:2 */
	0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02,
	0x87, 0x00, /* ICMPv6 type 135 (neighbour solicitation), code 0 */
	0xb7, 0x8e, /* checksum */
	0x00, 0x00, 0x00, 0x00, /* reserved */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* target address 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* option: source link-layer address (1), length 1 (8 bytes) */
};

/* Neighbour advertisement answering it. */
static const uint8_t icmp6_na[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x20, /* payload length 32 */
	0x3a, 0xff, /* next header 58 (ICMPv6), hop limit 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x88, 0x00, /* ICMPv6 type 136 (neighbour advertisement), code 0 */
	0xf2, 0xa6, /* checksum */
	0x60, 0x00, 0x00, 0x00, /* flags: solicited, override; reserved */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* target address 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x02, 0x01, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* option: target link-layer address (2), length 1 (8 bytes) */
};

/* 2001:db8::2, the address the NS asks about and the NA answers for. */
static const uint8_t target[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };

START_TEST(icmp4_echo_request_and_reply)
{
	zc_buf b = zc_test_dup(icmp4_echo, sizeof icmp4_echo);
	zc_icmp4 m;

	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_ECHO_REQUEST);
	ck_assert_uint_eq(zc_icmp4_code(m), 0);
	ck_assert_uint_eq(zc_icmp4_csum(m), 0x2d0a);
	ck_assert_uint_eq(zc_icmp4_id(m), 0x1234);
	ck_assert_uint_eq(zc_icmp4_seq(m), 1);
	ck_assert_uint_eq(zc_icmp4_rest(m), 0x12340001);
	ck_assert(!zc_icmp4_is_error(m));
	ck_assert_ptr_eq(zc_icmp4_payload(m).p, b.p + 8);
	ck_assert_uint_eq(zc_icmp4_payload(m).len, 16);
	ck_assert(zc_icmp4_csum_ok(m));
	ck_assert_uint_eq(zc_icmp4_csum(m), ref_icmp4_csum(b.p, b.len));
	zc_test_free(b);
	check_cuts4(icmp4_echo, ZC_ICMP_HDR_LEN);

	b = zc_test_dup(icmp4_echo_reply, sizeof icmp4_echo_reply);
	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_ECHO_REPLY);
	ck_assert_uint_eq(zc_icmp4_seq(m), 2);
	ck_assert(!zc_icmp4_is_error(m));
	ck_assert_uint_eq(zc_icmp4_payload(m).len, 4);
	ck_assert(zc_icmp4_csum_ok(m));
	zc_test_free(b);
	check_cuts4(icmp4_echo_reply, ZC_ICMP_HDR_LEN);
}
END_TEST

START_TEST(icmp4_header_alone_has_an_empty_payload)
{
	zc_buf b = zc_test_dup(icmp4_echo, ZC_ICMP_HDR_LEN);
	zc_icmp4 m;

	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_payload(m).len, 0);
	ck_assert_uint_eq(zc_icmp4_seq(m), 1);
	zc_test_free(b);
}
END_TEST

START_TEST(icmp4_error_quotes_a_cut_datagram)
{
	zc_buf b = zc_test_dup(icmp4_frag_needed, sizeof icmp4_frag_needed);
	zc_icmp4 m;
	zc_ipv4 q;
	zc_udp u;

	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_DEST_UNREACH);
	ck_assert_uint_eq(zc_icmp4_code(m), 4);
	ck_assert(zc_icmp4_is_error(m));
	ck_assert_uint_eq(zc_icmp4_mtu(m), 1400);
	ck_assert_uint_eq(zc_icmp4_rest(m), 1400);
	ck_assert(zc_icmp4_csum_ok(m));
	ck_assert_uint_eq(zc_icmp4_csum(m), ref_icmp4_csum(b.p, b.len));
	ck_assert_uint_eq(zc_icmp4_payload(m).len, 28);
	/* The quoted datagram declares 1500 bytes and has 28: only a lax view takes it. */
	ck_assert_int_eq(zc_ipv4_parse(zc_icmp4_payload(m), &q), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_ipv4_parse_lax(zc_icmp4_payload(m), &q), ZC_OK);
	ck_assert(zc_ipv4_is_cut(q));
	ck_assert_uint_eq(zc_ipv4_total_len(q), 1500);
	ck_assert_uint_eq(zc_ipv4_proto(q), ZC_IPPROTO_UDP);
	ck_assert_uint_eq(zc_ipv4_dst(q), 0xcb007109);
	ck_assert(zc_ipv4_csum_ok(q));
	ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(q), &u), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_udp_parse_lax(zc_ipv4_payload(q), &u), ZC_OK);
	ck_assert(zc_udp_is_cut(u));
	ck_assert_uint_eq(zc_udp_src_port(u), 43794);
	ck_assert_uint_eq(zc_udp_dst_port(u), 4500);
	ck_assert_uint_eq(zc_udp_length(u), 1480);
	zc_test_free(b);
	check_cuts4(icmp4_frag_needed, ZC_ICMP_HDR_LEN);

	b = zc_test_dup(icmp4_time_exceeded, sizeof icmp4_time_exceeded);
	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_TIME_EXCEEDED);
	ck_assert(zc_icmp4_is_error(m));
	ck_assert_uint_eq(zc_icmp4_rest(m), 0);
	ck_assert(zc_icmp4_csum_ok(m));
	ck_assert_int_eq(zc_ipv4_parse_lax(zc_icmp4_payload(m), &q), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_proto(q), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv4_ttl(q), 1);
	/* 8 bytes of TCP are not a TCP header. */
	ck_assert_uint_eq(zc_ipv4_payload(q).len, 8);
	{
		zc_tcp t;

		ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(q), &t), ZC_E_TRUNCATED);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(icmp4_error_types)
{
	static const struct {
		uint8_t type;
		bool error;
	} cases[] = {
		{ ZC_ICMP4_ECHO_REPLY, false }, { ZC_ICMP4_DEST_UNREACH, true }, { ZC_ICMP4_SOURCE_QUENCH, true },
		{ ZC_ICMP4_REDIRECT, true }, { ZC_ICMP4_ECHO_REQUEST, false }, { 9, false },
		{ ZC_ICMP4_TIME_EXCEEDED, true }, { ZC_ICMP4_PARAM_PROBLEM, true }, { 13, false },
	};
	uint8_t d[sizeof icmp4_time_exceeded];
	zc_icmp4 m;
	size_t i;

	memcpy(d, icmp4_time_exceeded, sizeof d);
	ck_assert_int_eq(zc_icmp4_parse(zc_buf_make(d, sizeof d), &m), ZC_OK);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d[0] = cases[i].type;
		ck_assert(zc_icmp4_is_error(m) == cases[i].error);
	}
}
END_TEST

START_TEST(icmp4_csum_fill_and_ok)
{
	zc_buf b = zc_test_dup(icmp4_frag_needed, sizeof icmp4_frag_needed);
	zc_icmp4 m;
	int i;

	ck_assert_int_eq(zc_icmp4_parse(b, &m), ZC_OK);
	zc_store_be16(zc_test_w(b).p + ZC_ICMP_CSUM_OFF, 0);
	ck_assert(!zc_icmp4_csum_ok(m));
	zc_icmp4_csum_fill(zc_test_rw_icmp4(m));
	ck_assert_uint_eq(zc_icmp4_csum(m), 0xb6bd);
	/* Any edit of the quoted bytes, then a refill, agrees with the reference. */
	for (i = 0; i < (int)b.len; i++) {
		if (i == ZC_ICMP_CSUM_OFF || i == ZC_ICMP_CSUM_OFF + 1)
			continue;
		zc_test_w(b).p[i] ^= (uint8_t)(0x5a + i);
		ck_assert(!zc_icmp4_csum_ok(m));
		zc_icmp4_csum_fill(zc_test_rw_icmp4(m));
		ck_assert(zc_icmp4_csum_ok(m));
		ck_assert_uint_eq(zc_icmp4_csum(m), ref_icmp4_csum(b.p, b.len));
	}
	zc_test_free(b);
}
END_TEST

START_TEST(icmp6_echo_request)
{
	pkt6 k = pkt6_make(icmp6_echo, sizeof icmp6_echo);
	zc_nd_opt_iter it;
	zc_nd_opt o;
	uint32_t ph = zc_ipv6_pseudo(k.ip, k.m.len);

	ck_assert_uint_eq(k.m.len, 16);
	ck_assert_uint_eq(zc_icmp6_type(k.m), ZC_ICMP6_ECHO_REQUEST);
	ck_assert_uint_eq(zc_icmp6_code(k.m), 0);
	ck_assert_uint_eq(zc_icmp6_csum(k.m), 0x5061);
	ck_assert_uint_eq(zc_icmp6_id(k.m), 0x4242);
	ck_assert_uint_eq(zc_icmp6_seq(k.m), 7);
	ck_assert_uint_eq(zc_icmp6_rest(k.m), 0x42420007);
	ck_assert(!zc_icmp6_is_error(k.m));
	ck_assert(!zc_icmp6_is_nd(k.m));
	ck_assert_ptr_eq(zc_icmp6_payload(k.m).p, k.b.p + 48);
	ck_assert_uint_eq(zc_icmp6_payload(k.m).len, 8);
	ck_assert(zc_icmp6_csum_ok(k.m, ph));
	ck_assert_uint_eq(zc_icmp6_csum(k.m), ref_icmp6_csum(k.b.p, k.m.p, k.m.len));
	/* Only neighbour solicitations and advertisements have options to walk. */
	it = zc_icmp6_nd_opts(k.m);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	/* The checksum depends on the addresses: a wrong pseudo-header fails it. */
	ck_assert(!zc_icmp6_csum_ok(k.m, zc_csum_add(ph, 1)));
	zc_store_be16(zc_test_w(k.b).p + 40 + ZC_ICMP_CSUM_OFF, 0);
	ck_assert(!zc_icmp6_csum_ok(k.m, ph));
	zc_icmp6_csum_fill(zc_test_rw_icmp6(k.m), ph);
	ck_assert_uint_eq(zc_icmp6_csum(k.m), 0x5061);
	zc_test_free(k.b);
	check_cuts6(icmp6_echo + 40, ZC_ICMP_HDR_LEN);
}
END_TEST

START_TEST(icmp6_error_quotes_a_cut_packet)
{
	pkt6 k = pkt6_make(icmp6_too_big, sizeof icmp6_too_big);
	zc_ipv6 q;
	zc_udp u;

	ck_assert_uint_eq(zc_icmp6_type(k.m), ZC_ICMP6_PACKET_TOO_BIG);
	ck_assert(zc_icmp6_is_error(k.m));
	ck_assert(!zc_icmp6_is_nd(k.m));
	ck_assert_uint_eq(zc_icmp6_mtu(k.m), 1280);
	ck_assert_uint_eq(zc_icmp6_rest(k.m), 1280);
	ck_assert(zc_icmp6_csum_ok(k.m, zc_ipv6_pseudo(k.ip, k.m.len)));
	ck_assert_uint_eq(zc_icmp6_csum(k.m), ref_icmp6_csum(k.b.p, k.m.p, k.m.len));
	ck_assert_uint_eq(zc_icmp6_payload(k.m).len, 48);
	ck_assert_int_eq(zc_ipv6_parse(zc_icmp6_payload(k.m), &q), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_ipv6_parse_lax(zc_icmp6_payload(k.m), &q), ZC_OK);
	ck_assert(zc_ipv6_is_cut(q));
	ck_assert_uint_eq(zc_ipv6_payload_len(q), 1400);
	ck_assert_uint_eq(zc_ipv6_proto(q), ZC_IPPROTO_UDP);
	ck_assert_uint_eq(zc_ipv6_dst(q)[5], 1);
	ck_assert_int_eq(zc_udp_parse_lax(zc_ipv6_payload(q), &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_dst_port(u), 4500);
	zc_test_free(k.b);
	check_cuts6(icmp6_too_big + 40, ZC_ICMP_HDR_LEN);
}
END_TEST

START_TEST(icmp6_error_types)
{
	uint8_t d[8] = { 0 };
	zc_icmp6 m;
	unsigned t;

	ck_assert_int_eq(zc_icmp6_parse(zc_buf_make(d, sizeof d), &m), ZC_OK);
	/* RFC 4443 section 2.1: errors are 0..127, informational 128..255. */
	for (t = 0; t < 256; t++) {
		if (t == ZC_ICMP6_NEIGH_SOLICIT || t == ZC_ICMP6_NEIGH_ADVERT)
			continue; /* these need 24 bytes */
		d[0] = (uint8_t)t;
		ck_assert(zc_icmp6_is_error(m) == (t < 128));
		ck_assert(!zc_icmp6_is_nd(m));
	}
}
END_TEST

START_TEST(neighbour_solicitation)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	pkt6 k = pkt6_make(icmp6_ns, sizeof icmp6_ns);
	zc_nd_opt_iter it;
	zc_nd_opt o;

	ck_assert_uint_eq(zc_icmp6_type(k.m), ZC_ICMP6_NEIGH_SOLICIT);
	ck_assert(zc_icmp6_is_nd(k.m));
	ck_assert(!zc_icmp6_is_error(k.m));
	ck_assert_uint_eq(zc_icmp6_na_flags(k.m), 0);
	ck_assert_ptr_eq(zc_icmp6_nd_target(k.m), k.b.p + 48);
	ck_assert_mem_eq(zc_icmp6_nd_target(k.m), target, 16);
	ck_assert(zc_icmp6_csum_ok(k.m, zc_ipv6_pseudo(k.ip, k.m.len)));
	ck_assert_uint_eq(zc_icmp6_csum(k.m), ref_icmp6_csum(k.b.p, k.m.p, k.m.len));
	it = zc_icmp6_nd_opts(k.m);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.type, ZC_ND_OPT_SRC_LLADDR);
	ck_assert_uint_eq(o.len, 8);
	ck_assert_ptr_eq(o.p, k.b.p + 64);
	ck_assert_mem_eq(o.p + 2, mac, 6);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	zc_test_free(k.b);
	/* Every cut short of the target address is truncated. */
	check_cuts6(icmp6_ns + 40, ZC_ICMP6_ND_LEN);
}
END_TEST

START_TEST(neighbour_advertisement)
{
	static const uint8_t mac[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
	pkt6 k = pkt6_make(icmp6_na, sizeof icmp6_na);
	zc_nd_opt_iter it;
	zc_nd_opt o;

	ck_assert_uint_eq(zc_icmp6_type(k.m), ZC_ICMP6_NEIGH_ADVERT);
	ck_assert(zc_icmp6_is_nd(k.m));
	ck_assert_uint_eq(zc_icmp6_na_flags(k.m), ZC_ND_NA_SOLICITED | ZC_ND_NA_OVERRIDE);
	ck_assert(!(zc_icmp6_na_flags(k.m) & ZC_ND_NA_ROUTER));
	ck_assert_mem_eq(zc_icmp6_nd_target(k.m), target, 16);
	ck_assert_mem_eq(zc_icmp6_nd_target(k.m), zc_ipv6_src(k.ip), 16); /* its own address */
	ck_assert(zc_icmp6_csum_ok(k.m, zc_ipv6_pseudo(k.ip, k.m.len)));
	it = zc_icmp6_nd_opts(k.m);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.type, ZC_ND_OPT_TGT_LLADDR);
	ck_assert_uint_eq(o.len, 8);
	ck_assert_mem_eq(o.p + 2, mac, 6);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	/* The reserved bits after the three flags are not flags. */
	zc_test_w(k.b).p[40 + 4] = 0xff;
	ck_assert_uint_eq(zc_icmp6_na_flags(k.m), 0xe0);
	zc_test_free(k.b);
	check_cuts6(icmp6_na + 40, ZC_ICMP6_ND_LEN);
}
END_TEST

START_TEST(nd_without_options)
{
	/* The 24 bytes alone: a solicitation without options. */
	zc_buf b = zc_test_dup(icmp6_ns + 40, ZC_ICMP6_ND_LEN);
	zc_nd_opt_iter it;
	zc_nd_opt o;
	zc_icmp6 m;

	ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_OK);
	it = zc_icmp6_nd_opts(m);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	zc_test_free(b);
}
END_TEST

/* A solicitation message (no IPv6 header) with the given option bytes after the target. */
static zc_buf ns_with(const uint8_t *opts, size_t n)
{
	uint8_t *p = malloc(ZC_ICMP6_ND_LEN + n);

	ck_assert_ptr_nonnull(p);
	memcpy(p, icmp6_ns + 40, ZC_ICMP6_ND_LEN);
	memcpy(p + ZC_ICMP6_ND_LEN, opts, n);
	return zc_buf_make(p, ZC_ICMP6_ND_LEN + n);
}

START_TEST(nd_options_several_kinds)
{
	static const uint8_t opts[] = {
		0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* source link-layer address */
		0x0e, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, /* nonce (RFC 3971), 8 bytes */
		0xc8, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* type 200 (unknown here), 16 bytes */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t types[] = { 1, 14, 200 }, lens[] = { 8, 8, 16 }, offs[] = { 0, 8, 16 };
	zc_buf b = ns_with(opts, sizeof opts);
	zc_nd_opt_iter it;
	zc_nd_opt o;
	zc_icmp6 m;
	size_t i;

	ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_OK);
	it = zc_icmp6_nd_opts(m);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
		ck_assert_uint_eq(o.type, types[i]);
		ck_assert_uint_eq(o.len, lens[i]);
		ck_assert_ptr_eq(o.p, b.p + ZC_ICMP6_ND_LEN + offs[i]);
	}
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	zc_test_free(b);
}
END_TEST

START_TEST(malformed_nd_options_are_reported_once)
{
	static const struct {
		uint8_t opts[16];
		size_t n;
		unsigned good;
	} cases[] = {
		/* A length of 0 (RFC 4861 section 4.6: the node must discard the packet). */
		{ { 0x01, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, 8, 0 },
		/* A good option, then one of length 0. */
		{ { 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0x0e, 0x00, 0, 0, 0, 0, 0, 0 }, 16, 1 },
		/* Length 2 (16 bytes) with 8 bytes left. */
		{ { 0x01, 0x02, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, 8, 0 },
		/* A good option, then a single byte: no room for a length. */
		{ { 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0x01 }, 9, 1 },
		/* A good option, then 7 bytes of an 8-byte one. */
		{ { 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0x02, 0x01, 0, 0, 0, 0, 0 }, 15, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		zc_buf b = ns_with(cases[i].opts, cases[i].n);
		zc_nd_opt_iter it;
		zc_nd_opt o;
		zc_icmp6 m;
		unsigned k;

		ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_OK);
		it = zc_icmp6_nd_opts(m);
		for (k = 0; k < cases[i].good; k++)
			ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), ZC_E_OPTION);
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(nd_option_walk_has_a_step_cap)
{
	uint8_t opts[8 * (ZC_ND_MAX_OPTS + 1)];
	zc_nd_opt_iter it;
	zc_nd_opt o;
	zc_icmp6 m;
	zc_buf b;
	unsigned k;

	for (k = 0; k < ZC_ND_MAX_OPTS + 1; k++) {
		memset(opts + 8 * k, 0, 8);
		opts[8 * k] = ZC_ND_OPT_SRC_LLADDR;
		opts[8 * k + 1] = 1;
	}
	/* ZC_ND_MAX_OPTS options are walked... */
	b = ns_with(opts, 8 * ZC_ND_MAX_OPTS);
	ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_OK);
	it = zc_icmp6_nd_opts(m);
	for (k = 0; k < ZC_ND_MAX_OPTS; k++)
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	zc_test_free(b);
	/* ...one more is too deep, once. */
	b = ns_with(opts, sizeof opts);
	ck_assert_int_eq(zc_icmp6_parse(b, &m), ZC_OK);
	it = zc_icmp6_nd_opts(m);
	for (k = 0; k < ZC_ND_MAX_OPTS; k++)
		ck_assert_int_eq(zc_nd_opt_next(&it, &o), 1);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), ZC_E_TOO_DEEP);
	ck_assert_int_eq(zc_nd_opt_next(&it, &o), 0);
	zc_test_free(b);
}
END_TEST

START_TEST(every_fixture_cut_short_is_truncated)
{
	static const struct {
		const uint8_t *p;
		size_t len;
	} v4[] = {
		{ icmp4_echo, sizeof icmp4_echo },
		{ icmp4_echo_reply, sizeof icmp4_echo_reply },
		{ icmp4_frag_needed, sizeof icmp4_frag_needed },
		{ icmp4_time_exceeded, sizeof icmp4_time_exceeded },
	}, v6[] = {
		{ icmp6_echo, sizeof icmp6_echo },
		{ icmp6_too_big, sizeof icmp6_too_big },
		{ icmp6_ns, sizeof icmp6_ns },
		{ icmp6_na, sizeof icmp6_na },
	};
	size_t i, n;

	for (i = 0; i < sizeof v4 / sizeof v4[0]; i++)
		check_cuts4(v4[i].p, ZC_ICMP_HDR_LEN);
	for (i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
		const uint8_t *m = v6[i].p + 40;
		bool nd = m[0] == ZC_ICMP6_NEIGH_SOLICIT || m[0] == ZC_ICMP6_NEIGH_ADVERT;

		/* The message alone, then inside its IPv6 packet. */
		check_cuts6(m, nd ? ZC_ICMP6_ND_LEN : ZC_ICMP_HDR_LEN);
		for (n = 0; n < v6[i].len; n++) {
			zc_buf b = zc_test_dup(v6[i].p, n);
			zc_ipv6 ip;

			ck_assert_int_eq(zc_ipv6_parse(b, &ip), ZC_E_TRUNCATED);
			zc_test_free(b);
		}
	}
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t d[sizeof icmp4_echo];
	zc_icmp4 m4;
	zc_icmp6 m6;

	memcpy(d, icmp4_echo, sizeof d);
	ck_assert_int_eq(zc_icmp4_parse(zc_buf_make(d, sizeof d), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp6_parse(zc_buf_make(d, sizeof d), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp4_parse(zc_buf_make(NULL, sizeof d), &m4), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp6_parse(zc_buf_make(NULL, sizeof d), &m6), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp4_parse((zc_buf){ NULL, sizeof d }, &m4), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp6_parse((zc_buf){ NULL, sizeof d }, &m6), ZC_E_ARG);
#if SIZE_MAX > UINT32_MAX
	/* The views cannot describe a message of 4 GiB or more; nothing past 8 bytes is read. */
	ck_assert_int_eq(zc_icmp4_parse((zc_buf){ d, (size_t)UINT32_MAX + 1 }, &m4), ZC_E_ARG);
	ck_assert_int_eq(zc_icmp6_parse((zc_buf){ d, (size_t)UINT32_MAX + 1 }, &m6), ZC_E_ARG);
#endif
}
END_TEST

static Suite *icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, icmp4_echo_request_and_reply);
	tcase_add_test(tc, icmp4_header_alone_has_an_empty_payload);
	tcase_add_test(tc, icmp4_error_quotes_a_cut_datagram);
	tcase_add_test(tc, icmp4_error_types);
	tcase_add_test(tc, icmp4_csum_fill_and_ok);
	tcase_add_test(tc, icmp6_echo_request);
	tcase_add_test(tc, icmp6_error_quotes_a_cut_packet);
	tcase_add_test(tc, icmp6_error_types);
	tcase_add_test(tc, neighbour_solicitation);
	tcase_add_test(tc, neighbour_advertisement);
	tcase_add_test(tc, nd_without_options);
	tcase_add_test(tc, nd_options_several_kinds);
	tcase_add_test(tc, malformed_nd_options_are_reported_once);
	tcase_add_test(tc, nd_option_walk_has_a_step_cap);
	tcase_add_test(tc, every_fixture_cut_short_is_truncated);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(icmp_suite());
}
