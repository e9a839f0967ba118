/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_ipv4.c - IPv4 headers (RFC 791): accessors, the options walk,
 * fragments, malformed headers, lax parsing of cut captures, and every setter
 * checked against a checksum recomputed from scratch.
 */
#include "testutil.h"

/* A fixed-seed xorshift32, so that a failure replays the same way. */
static uint32_t rng_state = 0x9e3779b9u;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

/* The header checksum recomputed over a copy of the header with the field zeroed. */
static uint16_t ref_ip_csum(const uint8_t *ip)
{
	return zc_test_ref_csum_zeroed(ip, (size_t)(ip[0] & 0x0f) * 4, ZC_IPV4_CSUM_OFF, 0);
}

/*
 * A TCP or UDP checksum recomputed from scratch: the pseudo-header laid out
 * from the IPv4 header (RFC 9293 section 3.1), then the len bytes at l4 with
 * the checksum field (at csum_off) taken as zero.
 */
static uint16_t ref_l4_csum(const uint8_t *ip, const uint8_t *l4, size_t len, size_t csum_off)
{
	uint32_t ph = zc_test_ref_pseudo4(ip + ZC_IPV4_SRC_OFF, ip + ZC_IPV4_DST_OFF, ip[ZC_IPV4_PROTO_OFF], len);

	return zc_test_ref_csum_zeroed(l4, len, csum_off, ph);
}

/* The header checksum field is what a full recomputation gives, and verifies. */
static void check_ip_csum(zc_ipv4 v)
{
	ck_assert_uint_eq(zc_ipv4_csum(v), ref_ip_csum(v.p));
	ck_assert(zc_ipv4_csum_ok(v));
}

/* The TCP checksum of a datagram's payload is what a recomputation gives. */
static void check_tcp_csum(zc_ipv4 v)
{
	zc_buf pl = zc_ipv4_payload(v);
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(pl, &t), ZC_OK);
	ck_assert_uint_eq(zc_tcp_csum(t), ref_l4_csum(v.p, pl.p, pl.len, ZC_TCP_CSUM_OFF));
	ck_assert(zc_tcp_csum_ok(t, zc_ipv4_pseudo(v, pl.len)));
}

/* The same for UDP, where a computed 0 is sent as ffff (RFC 768). */
static void check_udp_csum(zc_ipv4 v)
{
	zc_buf pl = zc_ipv4_payload(v);
	zc_udp u;
	uint16_t want;

	ck_assert_int_eq(zc_udp_parse(pl, &u), ZC_OK);
	want = ref_l4_csum(v.p, pl.p, pl.len, ZC_UDP_CSUM_OFF);
	ck_assert_uint_eq(zc_udp_csum(u), want ? want : 0xffff);
	ck_assert(zc_udp_csum_ok(u, zc_ipv4_pseudo(v, pl.len), ZC_UDP_OVER_IPV4));
}

/* Every length below min gives ZC_E_TRUNCATED, strict and lax alike. */
static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_ipv4 v;

		ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_E_TRUNCATED);
		if (n < (size_t)(fx[0] & 0x0f) * 4)
			ck_assert_int_eq(zc_ipv4_parse_lax(b, &v), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/* Every length from min to len gives err, strict and lax alike. */
static void check_err_from(const uint8_t *fx, size_t min, size_t len, zc_err err)
{
	size_t n;

	for (n = min; n <= len; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_ipv4 v;

		ck_assert_int_eq(zc_ipv4_parse(b, &v), err);
		ck_assert_int_eq(zc_ipv4_parse_lax(b, &v), err);
		zc_test_free(b);
	}
}

/* IPv4 (TOS: DSCP 46, ECN 1; DF) carrying a TCP segment with 5 bytes of data. */
static const uint8_t ipv4_tcp[] = {
	0x45, 0xb9, /* version 4, IHL 5 (20 bytes); TOS 0xb9 */
	0x00, 0x2d, /* total length 45 */
	0x1c, 0x46, /* identification 0x1c46 */
	0x40, 0x00, /* flags: DF, fragment offset 0 */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0x31, 0x95, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0xc0, 0x00, 0x00, 0x50, /* source port 49152, destination port 80 */
	0x01, 0x02, 0x03, 0x04, /* sequence number 0x01020304 */
	0x0a, 0x0b, 0x0c, 0x0d, /* acknowledgment number 0x0a0b0c0d */
	0x50, 0x18, /* data offset 5 (20 bytes); flags 0x18 */
	0xfa, 0xf0, /* window 64240 */
	0xaa, 0x5e, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x68, 0x65, 0x6c, 0x6c, 0x6f, /* payload */
};

/* IPv4 carrying a UDP datagram with a checksum. */
static const uint8_t ipv4_udp[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x20, /* total length 32 */
	0x00, 0x01, /* identification 0x0001 */
	0x00, 0x00, /* no flags, fragment offset 0 */
	0x11, 0x11, /* TTL 17, protocol 17 (UDP) */
	0xbd, 0x95, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0x22, 0x65, /* checksum */
	0x70, 0x69, 0x6e, 0x67, /* payload */
};

/* IPv4 carrying a UDP datagram sent without a checksum. */
static const uint8_t ipv4_udp_nocsum[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x20, /* total length 32 */
	0x00, 0x02, /* identification 0x0002 */
	0x00, 0x00, /* no flags, fragment offset 0 */
	0x11, 0x11, /* TTL 17, protocol 17 (UDP) */
	0xbd, 0x94, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0x00, 0x00, /* checksum 0: none */
	0x70, 0x6f, 0x6e, 0x67, /* payload */
};

/* IPv4 carrying an ICMP echo request (no pseudo-header). */
static const uint8_t ipv4_icmp[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x20, /* total length 32 */
	0x00, 0x03, /* identification 0x0003 */
	0x40, 0x00, /* flags: DF */
	0x40, 0x01, /* TTL 64, protocol 1 (ICMP) */
	0x4e, 0xa3, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x08, 0x00, /* ICMP type 8 (echo request), code 0 */
	0xf0, 0xef, /* checksum */
	0x42, 0x42, 0x00, 0x07, /* identifier 0x4242, sequence 7 */
	0x61, 0x62, 0x63, 0x64, /* data */
};

/* IPv4 with 40 bytes of options, carrying IGMP. */
static const uint8_t ipv4_opts[] = {
	0x4f, 0xc0, /* version 4, IHL 15 (60 bytes); TOS 0xc0 */
	0x00, 0x44, /* total length 68 */
	0x01, 0x00, /* identification 0x0100 */
	0x00, 0x00, /* no flags, fragment offset 0 */
	0x01, 0x02, /* TTL 1, protocol 2 (IGMP) */
	0x5a, 0x17, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x01, /* NOP */
	0x07, 0x0b, 0x08, 0xc0, 0x00, 0x02, 0x01, 0x00, /* record route: length 11, pointer 8, 192.0.2.1, empty slot */
	0x00, 0x00, 0x00,
	0x44, 0x0c, 0x09, 0x00, 0x00, 0x36, 0xee, 0x80, /* timestamp: length 12, pointer 9, flags 0, 3600000 ms, empty slot */
	0x00, 0x00, 0x00, 0x00,
	0x94, 0x04, 0x00, 0x00, /* router alert (RFC 2113): length 4, value 0 */
	0x1e, 0x04, 0xab, 0xcd, /* kind 30 (RFC 4727 experiment, unknown here): length 4 */
	0x00, /* end of option list */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* padding after EOL */
	0x16, 0x00, /* payload: IGMPv2 membership report */
	0x09, 0x04, /* IGMP checksum */
	0xe0, 0x00, 0x00, 0xfb, /* group 224.0.0.251 */
};

/*
 * First fragment (MF, offset 0) of datagram 0xabcd: it starts with the TCP
 * header, whose checksum here covers these 24 bytes as if they were the
 * whole segment, so that a test can recompute it.
 */
static const uint8_t frag_first[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x2c, /* total length 44 */
	0xab, 0xcd, /* identification 0xabcd */
	0x20, 0x00, /* flags: MF, fragment offset 0 */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0xc2, 0xc7, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0xc0, 0x01, 0x01, 0xbb, /* source port 49153, destination port 443 */
	0x11, 0x22, 0x33, 0x44, /* sequence number 0x11223344 */
	0x00, 0x00, 0x00, 0x00, /* acknowledgment number 0x00000000 */
	0x50, 0x02, /* data offset 5 (20 bytes); flags 0x02 */
	0x04, 0x00, /* window 1024 */
	0xf4, 0xbd, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x61, 0x62, 0x63, 0x64, /* payload */
};

/* A middle fragment: MF, offset 1480 bytes; its payload is no TCP header. */
static const uint8_t frag_middle[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x2c, /* total length 44 */
	0xab, 0xcd, /* identification 0xabcd */
	0x20, 0xb9, /* flags: MF, fragment offset 185 (1480 bytes) */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0xc2, 0x0e, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, /* payload: the middle of the segment */
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
};

/* The last fragment: MF clear, offset 2960 bytes. */
static const uint8_t frag_last[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x1c, /* total length 28 */
	0xab, 0xcd, /* identification 0xabcd */
	0x01, 0x72, /* flags: none, fragment offset 370 (2960 bytes) */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0xe1, 0x65, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, /* payload: the end of the segment */
};

/* Not a fragment: DF and the reserved bit set, no payload. */
static const uint8_t flags_rdf[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x14, /* total length 20 */
	0x77, 0x77, /* identification 0x7777 */
	0xc0, 0x00, /* flags: reserved ("evil") bit and DF, offset 0 */
	0x40, 0x3b, /* TTL 64, protocol 59 (none) */
	0x57, 0x00, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
};

/* Version 6 in an IPv4 header. */
static const uint8_t bad_version[] = {
	0x65, 0x00, /* version 6, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x14, /* total length 20 */
	0x00, 0x00, /* identification 0x0000 */
	0x00, 0x00, /* flags and fragment offset */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0x6e, 0xad, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
};

/* IHL 4: a header shorter than the 20-byte minimum. */
static const uint8_t ihl_4[] = {
	0x44, 0x00, /* version 4, IHL 4 (16 bytes); TOS 0x00 */
	0x00, 0x14, /* total length 20 */
	0x00, 0x00, /* identification 0x0000 */
	0x00, 0x00, /* flags and fragment offset */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0x8f, 0xad, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
};

/* Total length 19, below the 20-byte header. */
static const uint8_t tot_19[] = {
	0x45, 0x00, /* version 4, IHL 5 (20 bytes); TOS 0x00 */
	0x00, 0x13, /* total length 19 */
	0x00, 0x00, /* identification 0x0000 */
	0x00, 0x00, /* flags and fragment offset */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0x8e, 0xae, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
};

/* IHL 6 (24 bytes) but total length 20. */
static const uint8_t tot_below_ihl[] = {
	0x46, 0x00, /* version 4, IHL 6 (24 bytes); TOS 0x00 */
	0x00, 0x14, /* total length 20 */
	0x00, 0x00, /* identification 0x0000 */
	0x00, 0x00, /* flags and fragment offset */
	0x40, 0x06, /* TTL 64, protocol 6 (TCP) */
	0x8b, 0xab, /* header checksum */
	0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* destination 198.51.100.2 */
	0x01, 0x01, 0x01, 0x01, /* four NOPs */
};

START_TEST(tcp_datagram_accessors)
{
	zc_buf b = zc_test_dup(ipv4_tcp, sizeof ipv4_tcp), pl;
	zc_opt_iter it;
	zc_opt o;
	zc_ipv4 v;
	static const uint8_t ph[] = {
		0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, /* addresses */
		0x00, 0x06, 0x00, 0x19,                         /* zero, TCP, length 25 */
	};

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_version(v), 4);
	ck_assert_uint_eq(zc_ipv4_hdr_len(v), 20);
	ck_assert_uint_eq(zc_ipv4_tos(v), 0xb9);
	ck_assert_uint_eq(zc_ipv4_dscp(v), 46);
	ck_assert_uint_eq(zc_ipv4_ecn(v), 1);
	ck_assert_uint_eq(zc_ipv4_total_len(v), 45);
	ck_assert_uint_eq(zc_ipv4_upper_len(v), 25);
	ck_assert_uint_eq(zc_ipv4_id(v), 0x1c46);
	ck_assert_uint_eq(zc_ipv4_frag_word(v), 0x4000);
	ck_assert_uint_eq(zc_ipv4_flags(v), 2);
	ck_assert(zc_ipv4_df(v));
	ck_assert(!zc_ipv4_mf(v));
	ck_assert_uint_eq(zc_ipv4_frag_offset(v), 0);
	ck_assert(!zc_ipv4_is_fragment(v));
	ck_assert(zc_ipv4_is_first_fragment(v));
	ck_assert_uint_eq(zc_ipv4_ttl(v), 64);
	ck_assert_uint_eq(zc_ipv4_proto(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv4_csum(v), 0x3195);
	ck_assert_uint_eq(zc_ipv4_src(v), 0xc0000201);
	ck_assert_uint_eq(zc_ipv4_dst(v), 0xc6336402);
	ck_assert_mem_eq(zc_ipv4_src_bytes(v), ipv4_tcp + 12, 4);
	ck_assert_mem_eq(zc_ipv4_dst_bytes(v), ipv4_tcp + 16, 4);
	ck_assert_ptr_eq(zc_ipv4_options(v).p, b.p + 20);
	ck_assert_uint_eq(zc_ipv4_options(v).len, 0);
	it = zc_ipv4_opts(v);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	pl = zc_ipv4_payload(v);
	ck_assert_ptr_eq(pl.p, b.p + 20);
	ck_assert_uint_eq(pl.len, 25);
	ck_assert(!zc_ipv4_is_cut(v));
	ck_assert(zc_ipv4_csum_ok(v));
	ck_assert_uint_eq(zc_test_ref_sum(b.p, 20, 0), 0xffff);
	ck_assert_uint_eq(zc_ipv4_pseudo(v, pl.len), zc_test_ref_sum(ph, sizeof ph, 0));
	check_tcp_csum(v);
	zc_test_free(b);
	check_cuts(ipv4_tcp, sizeof ipv4_tcp);
}
END_TEST

START_TEST(link_padding_is_not_payload)
{
	uint8_t f[sizeof ipv4_tcp + 6];
	zc_buf b;
	zc_ipv4 v;

	memcpy(f, ipv4_tcp, sizeof ipv4_tcp);
	memset(f + sizeof ipv4_tcp, 0xee, 6);
	b = zc_test_dup(f, sizeof f);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_payload(v).len, 25);
	ck_assert(!zc_ipv4_is_cut(v));
	zc_test_free(b);
}
END_TEST

START_TEST(options_are_walked_in_order)
{
	static const struct {
		uint8_t kind, len;
	} want[] = {
		{ ZC_IPV4_OPT_NOP, 1 }, { ZC_IPV4_OPT_RR, 11 }, { ZC_IPV4_OPT_TS, 12 },
		{ ZC_IPV4_OPT_RA, 4 }, { 30, 4 }, { ZC_IPV4_OPT_EOL, 1 },
	};
	zc_buf b = zc_test_dup(ipv4_opts, sizeof ipv4_opts);
	zc_opt_iter it;
	zc_opt o;
	zc_ipv4 v;
	size_t i;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_hdr_len(v), 60);
	ck_assert_uint_eq(zc_ipv4_tos(v), 0xc0);
	ck_assert_uint_eq(zc_ipv4_dscp(v), 48);
	ck_assert_uint_eq(zc_ipv4_ecn(v), 0);
	ck_assert_uint_eq(zc_ipv4_proto(v), ZC_IPPROTO_IGMP);
	ck_assert_ptr_eq(zc_ipv4_options(v).p, b.p + 20);
	ck_assert_uint_eq(zc_ipv4_options(v).len, 40);
	ck_assert_ptr_eq(zc_ipv4_payload(v).p, b.p + 60);
	ck_assert_uint_eq(zc_ipv4_payload(v).len, 8);
	ck_assert(zc_ipv4_csum_ok(v));
	check_ip_csum(v);

	it = zc_ipv4_opts(v);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_int_eq(zc_opt_next(&it, &o), 1);
		ck_assert_uint_eq(o.kind, want[i].kind);
		ck_assert_uint_eq(o.len, want[i].len);
		switch (o.kind) {
		case ZC_IPV4_OPT_EOL:
		case ZC_IPV4_OPT_NOP:
			ck_assert_ptr_null(o.data);
			break;
		case ZC_IPV4_OPT_RR:
			/* Pointer 8, then the first recorded address. */
			ck_assert_ptr_eq(o.data, b.p + 23);
			ck_assert_uint_eq(o.data[0], 8);
			ck_assert_uint_eq(zc_load_be32(o.data + 1), 0xc0000201);
			break;
		case ZC_IPV4_OPT_TS:
			ck_assert_uint_eq(o.data[0], 9);
			ck_assert_uint_eq(zc_load_be32(o.data + 2), 3600000);
			break;
		case ZC_IPV4_OPT_RA:
			ck_assert_uint_eq(zc_load_be16(o.data), 0);
			break;
		default:
			ck_assert_uint_eq(zc_load_be16(o.data), 0xabcd);
			break;
		}
	}
	/* EOL ended the list: the padding after it is not walked. */
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	zc_test_free(b);
	check_cuts(ipv4_opts, sizeof ipv4_opts);
}
END_TEST

START_TEST(malformed_options_are_reported_once)
{
	/* A 24-byte header whose 4 option bytes each case replaces. */
	static const struct {
		uint8_t opt[4];
		unsigned good; /* items walked before the bad one */
	} cases[] = {
		{ { 0x01, 0x07, 0x01, 0x00 }, 1 }, /* NOP; record route of length 1 (< 2) */
		{ { 0x07, 0x00, 0x00, 0x00 }, 0 }, /* record route of length 0 */
		{ { 0x01, 0x44, 0x28, 0x00 }, 1 }, /* NOP; timestamp of length 40, 3 bytes left */
		{ { 0x94, 0x05, 0x00, 0x00 }, 0 }, /* router alert of length 5, 4 bytes left */
		{ { 0x01, 0x01, 0x01, 0x83 }, 3 }, /* three NOPs; loose source route without its length byte */
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t h[24];
		zc_buf b;
		zc_ipv4 v;
		zc_opt_iter it;
		zc_opt o;
		unsigned k;

		memcpy(h, tot_below_ihl, sizeof h);
		h[3] = 24; /* total length 24: a valid header around bad options */
		memcpy(h + 20, cases[i].opt, 4);
		b = zc_test_dup(h, sizeof h);
		/* The header parses: options are checked by the walk, not by parse. */
		ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
		it = zc_ipv4_opts(v);
		for (k = 0; k < cases[i].good; k++)
			ck_assert_int_eq(zc_opt_next(&it, &o), 1);
		ck_assert_int_eq(zc_opt_next(&it, &o), ZC_E_OPTION);
		/* The walk is over for good: no item, no second error. */
		ck_assert_int_eq(zc_opt_next(&it, &o), 0);
		ck_assert_int_eq(zc_opt_next(&it, &o), 0);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(option_walk_has_a_step_cap)
{
	uint8_t nops[ZC_OPT_MAX_STEPS + 1], h[60];
	zc_opt_iter it;
	zc_opt o;
	zc_ipv4 v;
	unsigned k;

	/* 40 bytes of NOPs fill the largest header: exactly the cap. */
	memcpy(h, ipv4_opts, 20);
	h[3] = 60;
	memset(h + 20, ZC_IPV4_OPT_NOP, 40);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(h, sizeof h), &v), ZC_OK);
	it = zc_ipv4_opts(v);
	for (k = 0; k < 40; k++)
		ck_assert_int_eq(zc_opt_next(&it, &o), 1);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	/* A longer list made by hand stops at the cap instead of running on. */
	memset(nops, ZC_IPV4_OPT_NOP, sizeof nops);
	it = zc_opt_iter_make(nops, sizeof nops);
	for (k = 0; k < ZC_OPT_MAX_STEPS; k++)
		ck_assert_int_eq(zc_opt_next(&it, &o), 1);
	ck_assert_int_eq(zc_opt_next(&it, &o), ZC_E_OPTION);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
}
END_TEST

START_TEST(fragments)
{
	zc_buf b;
	zc_ipv4 v;

	b = zc_test_dup(frag_first, sizeof frag_first);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_id(v), 0xabcd);
	ck_assert_uint_eq(zc_ipv4_flags(v), 1);
	ck_assert(zc_ipv4_mf(v));
	ck_assert(!zc_ipv4_df(v));
	ck_assert_uint_eq(zc_ipv4_frag_offset(v), 0);
	ck_assert(zc_ipv4_is_fragment(v));
	ck_assert(zc_ipv4_is_first_fragment(v));
	zc_test_free(b);
	check_cuts(frag_first, sizeof frag_first);

	b = zc_test_dup(frag_middle, sizeof frag_middle);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_id(v), 0xabcd);
	ck_assert_uint_eq(zc_ipv4_frag_word(v), 0x20b9);
	ck_assert(zc_ipv4_mf(v));
	ck_assert_uint_eq(zc_ipv4_frag_offset(v), 1480);
	ck_assert(zc_ipv4_is_fragment(v));
	ck_assert(!zc_ipv4_is_first_fragment(v));
	ck_assert_uint_eq(zc_ipv4_payload(v).len, 24);
	zc_test_free(b);
	check_cuts(frag_middle, sizeof frag_middle);

	b = zc_test_dup(frag_last, sizeof frag_last);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_flags(v), 0);
	ck_assert(!zc_ipv4_mf(v));
	ck_assert_uint_eq(zc_ipv4_frag_offset(v), 2960);
	ck_assert(zc_ipv4_is_fragment(v));
	ck_assert(!zc_ipv4_is_first_fragment(v));
	zc_test_free(b);
	check_cuts(frag_last, sizeof frag_last);

	/* DF and the reserved bit do not make a fragment. */
	b = zc_test_dup(flags_rdf, sizeof flags_rdf);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_flags(v), 6);
	ck_assert(zc_ipv4_df(v));
	ck_assert(!zc_ipv4_mf(v));
	ck_assert(!zc_ipv4_is_fragment(v));
	ck_assert(zc_ipv4_is_first_fragment(v));
	ck_assert_uint_eq(zc_ipv4_payload(v).len, 0);
	ck_assert(zc_ipv4_csum_ok(v));
	zc_test_free(b);
	check_cuts(flags_rdf, sizeof flags_rdf);
}
END_TEST

START_TEST(malformed_headers)
{
	/* Once the 20 bytes are there, each contradiction has its own code. */
	check_err_from(bad_version, 20, sizeof bad_version, ZC_E_VERSION);
	check_cuts(bad_version, 20);
	check_err_from(ihl_4, 20, sizeof ihl_4, ZC_E_HDR_LEN);
	check_cuts(ihl_4, 20);
	check_err_from(tot_19, 20, sizeof tot_19, ZC_E_LENGTH);
	check_cuts(tot_19, 20);
	/* Here the IHL needs 24 bytes before the total length can be read against it. */
	check_err_from(tot_below_ihl, 24, sizeof tot_below_ihl, ZC_E_LENGTH);
	check_cuts(tot_below_ihl, 24);
}
END_TEST

START_TEST(total_length_zero_is_an_offload_super_packet)
{
	/* TSO / BIG TCP: total length 0, the datagram is the whole buffer. */
	uint8_t *p = malloc(sizeof ipv4_tcp + 1000);
	zc_ipv4 v;
	zc_buf b;

	ck_assert_ptr_nonnull(p);
	memcpy(p, ipv4_tcp, sizeof ipv4_tcp);
	memset(p + sizeof ipv4_tcp, 0xab, 1000);
	p[2] = p[3] = 0;
	b = zc_buf_make(p, sizeof ipv4_tcp + 1000);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_total_len_field(v), 0);
	ck_assert_uint_eq(zc_ipv4_total_len(v), b.len);
	ck_assert_uint_eq(zc_ipv4_upper_len(v), b.len - 20);
	ck_assert(!zc_ipv4_is_cut(v));
	ck_assert_ptr_eq(zc_ipv4_payload(v).p, p + 20);
	ck_assert_uint_eq(zc_ipv4_payload(v).len, b.len - 20);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(p, 19), &v), ZC_E_TRUNCATED);
	free(p);
}
END_TEST

START_TEST(lax_parse_of_a_cut_datagram)
{
	size_t n;

	for (n = 20; n <= sizeof ipv4_tcp; n++) {
		zc_buf b = zc_test_dup(ipv4_tcp, n);
		zc_ipv4 v;

		ck_assert_int_eq(zc_ipv4_parse(b, &v), n < sizeof ipv4_tcp ? ZC_E_TRUNCATED : ZC_OK);
		ck_assert_int_eq(zc_ipv4_parse_lax(b, &v), ZC_OK);
		ck_assert(zc_ipv4_is_cut(v) == (n < sizeof ipv4_tcp));
		ck_assert_uint_eq(zc_ipv4_total_len(v), 45);
		/* Declared, not captured: the pseudo-header's length. */
		ck_assert_uint_eq(zc_ipv4_upper_len(v), 25);
		ck_assert_ptr_eq(zc_ipv4_payload(v).p, b.p + 20);
		ck_assert_uint_eq(zc_ipv4_payload(v).len, n - 20);
		ck_assert(zc_ipv4_csum_ok(v));
		ck_assert_uint_eq(zc_ipv4_src(v), 0xc0000201);
		zc_test_free(b);
	}
	/* The options must all be there, even in a lax view. */
	for (n = 60; n < sizeof ipv4_opts; n++) {
		zc_buf b = zc_test_dup(ipv4_opts, n);
		zc_ipv4 v;
		zc_opt_iter it;
		zc_opt o;
		int r, items = 0;

		ck_assert_int_eq(zc_ipv4_parse_lax(b, &v), ZC_OK);
		ck_assert(zc_ipv4_is_cut(v));
		ck_assert_uint_eq(zc_ipv4_payload(v).len, n - 60);
		it = zc_ipv4_opts(v);
		while ((r = zc_opt_next(&it, &o)) == 1)
			items++;
		ck_assert_int_eq(r, 0);
		ck_assert_int_eq(items, 6);
		zc_test_free(b);
	}
	check_cuts(ipv4_opts, 60);
}
END_TEST

START_TEST(address_change_in_a_cut_view)
{
	size_t n;

	/* The TCP checksum is updated when the cut leaves it, never written past the end. */
	for (n = 20; n < sizeof ipv4_tcp; n++) {
		zc_buf b = zc_test_dup(ipv4_tcp, n), whole = zc_test_dup(ipv4_tcp, sizeof ipv4_tcp);
		zc_ipv4 v, w;

		ck_assert_int_eq(zc_ipv4_parse_lax(b, &v), ZC_OK);
		ck_assert_int_eq(zc_ipv4_parse(whole, &w), ZC_OK);
		zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a000001);
		zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0x0a000002);
		zc_ipv4_set_src(zc_test_rw_ipv4(w), 0x0a000001);
		zc_ipv4_set_dst(zc_test_rw_ipv4(w), 0x0a000002);
		check_ip_csum(v);
		if (n >= 20 + ZC_TCP_CSUM_OFF + 2)
			ck_assert_mem_eq(b.p, whole.p, n);
		else
			ck_assert_mem_eq(b.p + 20, ipv4_tcp + 20, n - 20);
		zc_test_free(b);
		zc_test_free(whole);
	}
}
END_TEST

START_TEST(setters_keep_the_header_checksum)
{
	static const uint8_t *const fx[] = { ipv4_tcp, ipv4_opts, frag_middle };
	static const size_t len[] = { sizeof ipv4_tcp, sizeof ipv4_opts, sizeof frag_middle };
	size_t f;

	for (f = 0; f < 3; f++) {
		zc_buf b = zc_test_dup(fx[f], len[f]);
		zc_ipv4 v;
		int i;

		ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
		check_ip_csum(v);
		for (i = 0; i < 3000; i++) {
			uint32_t r = rng();
			uint8_t proto = zc_ipv4_proto(v), ver_ihl = v.p[0];

			switch (i % 5) {
			case 0:
				zc_ipv4_set_ttl(zc_test_rw_ipv4(v), (uint8_t)r);
				ck_assert_uint_eq(zc_ipv4_ttl(v), (uint8_t)r);
				break;
			case 1:
				zc_ipv4_set_tos(zc_test_rw_ipv4(v), (uint8_t)r);
				ck_assert_uint_eq(zc_ipv4_tos(v), (uint8_t)r);
				break;
			case 2:
				zc_ipv4_set_id(zc_test_rw_ipv4(v), (uint16_t)r);
				ck_assert_uint_eq(zc_ipv4_id(v), (uint16_t)r);
				break;
			case 3:
				zc_ipv4_set_src(zc_test_rw_ipv4(v), r);
				ck_assert_uint_eq(zc_ipv4_src(v), r);
				break;
			default:
				zc_ipv4_set_dst(zc_test_rw_ipv4(v), r);
				ck_assert_uint_eq(zc_ipv4_dst(v), r);
				break;
			}
			/* The neighbours of the bytes a setter edits are left alone. */
			ck_assert_uint_eq(zc_ipv4_proto(v), proto);
			ck_assert_uint_eq(v.p[0], ver_ihl);
			check_ip_csum(v);
		}
		/* The options and the rest of the bytes have not moved. */
		ck_assert_mem_eq(b.p + 20, fx[f] + 20, zc_ipv4_hdr_len(v) - 20);
		if (f > 0)
			ck_assert_mem_eq(zc_ipv4_payload(v).p, fx[f] + zc_ipv4_hdr_len(v), zc_ipv4_payload(v).len);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(address_change_fixes_tcp_and_udp_checksums)
{
	zc_buf t = zc_test_dup(ipv4_tcp, sizeof ipv4_tcp), u = zc_test_dup(ipv4_udp, sizeof ipv4_udp);
	zc_ipv4 vt, vu;
	int i;

	ck_assert_int_eq(zc_ipv4_parse(t, &vt), ZC_OK);
	ck_assert_int_eq(zc_ipv4_parse(u, &vu), ZC_OK);
	check_tcp_csum(vt);
	check_udp_csum(vu);
	for (i = 0; i < 3000; i++) {
		uint32_t a = rng();

		if (i % 7 == 0)
			a = 0; /* and the all-zero and all-one corners */
		else if (i % 7 == 1)
			a = 0xffffffffu;
		if (i % 2) {
			zc_ipv4_set_src(zc_test_rw_ipv4(vt), a);
			zc_ipv4_set_src(zc_test_rw_ipv4(vu), a);
		} else {
			zc_ipv4_set_dst(zc_test_rw_ipv4(vt), a);
			zc_ipv4_set_dst(zc_test_rw_ipv4(vu), a);
		}
		check_ip_csum(vt);
		check_ip_csum(vu);
		check_tcp_csum(vt);
		check_udp_csum(vu);
		/* Header field edits do not touch the payload checksums. */
		zc_ipv4_set_ttl(zc_test_rw_ipv4(vt), (uint8_t)a);
		zc_ipv4_set_id(zc_test_rw_ipv4(vu), (uint16_t)a);
		check_tcp_csum(vt);
		check_udp_csum(vu);
	}
	zc_test_free(t);
	zc_test_free(u);
}
END_TEST

START_TEST(udp_without_checksum_keeps_none)
{
	zc_buf b = zc_test_dup(ipv4_udp_nocsum, sizeof ipv4_udp_nocsum);
	zc_ipv4 v;
	int i;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	for (i = 0; i < 1000; i++) {
		if (i % 2)
			zc_ipv4_set_src(zc_test_rw_ipv4(v), rng());
		else
			zc_ipv4_set_dst(zc_test_rw_ipv4(v), rng());
		check_ip_csum(v);
		/* The whole UDP datagram, checksum 0 included, is as it was. */
		ck_assert_mem_eq(b.p + 20, ipv4_udp_nocsum + 20, 12);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(udp_checksum_computed_as_zero_is_written_ffff)
{
	zc_buf b = zc_test_dup(ipv4_udp, sizeof ipv4_udp);
	uint8_t probe[sizeof ipv4_udp];
	zc_ipv4 v;
	uint32_t lo, want = 0;
	bool found = false;
	int which;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	for (which = 0; which < 2; which++) {
		size_t off = which ? ZC_IPV4_DST_OFF : ZC_IPV4_SRC_OFF;

		/* Find an address, 10.0.x.y, for which the UDP checksum comes out 0. */
		memcpy(probe, b.p, sizeof probe);
		for (lo = 0, found = false; lo <= 0xffff && !found; lo++) {
			want = 0x0a000000 | lo;
			zc_store_be32(probe + off, want);
			found = ref_l4_csum(probe, probe + 20, 12, ZC_UDP_CSUM_OFF) == 0;
		}
		ck_assert(found);
		if (which)
			zc_ipv4_set_dst(zc_test_rw_ipv4(v), want);
		else
			zc_ipv4_set_src(zc_test_rw_ipv4(v), want);
		ck_assert_uint_eq(zc_load_be16(b.p + 20 + ZC_UDP_CSUM_OFF), 0xffff);
		check_udp_csum(v);
		check_ip_csum(v);
		/* And away from it again. */
		zc_ipv4_set_src(zc_test_rw_ipv4(v), 0xc0000263);
		check_udp_csum(v);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(icmp_has_no_pseudo_header_to_fix)
{
	zc_buf b = zc_test_dup(ipv4_icmp, sizeof ipv4_icmp);
	zc_ipv4 v;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a0a0a0a);
	zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0x0b0b0b0b);
	check_ip_csum(v);
	ck_assert_mem_eq(b.p + 20, ipv4_icmp + 20, 12);
	ck_assert_uint_eq(zc_test_ref_sum(b.p + 20, 12, 0), 0xffff);
	zc_test_free(b);
}
END_TEST

/*
 * IPv4 with a NOP and a source route option (kind, length 11, pointer, two
 * addresses: 203.0.113.5 then the final destination 203.0.113.9) and a TCP
 * header whose checksum covers the pseudo-header with final_dst.
 */
static zc_buf source_routed(uint8_t kind, uint8_t ptr, const uint8_t final_dst[4])
{
	static const uint8_t hdr[] = {
		0x48, 0x00, 0x00, 0x34, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		0xc0, 0x00, 0x02, 0x01, /* source 192.0.2.1 */
		0xc6, 0x33, 0x64, 0x01, /* destination: the next hop, 198.51.100.1 */
		0x01, 0x00, 0x0b, 0x00, /* NOP; kind, length 11, pointer (set below) */
		0xcb, 0x00, 0x71, 0x05, 0xcb, 0x00, 0x71, 0x09,
		0x30, 0x39, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, /* TCP: 12345 -> 80, SYN */
	};
	zc_buf b = zc_test_dup(hdr, sizeof hdr);
	uint32_t ph;

	zc_test_w(b).p[21] = kind;
	zc_test_w(b).p[23] = ptr;
	zc_store_be16(zc_test_w(b).p + ZC_IPV4_CSUM_OFF, ref_ip_csum(b.p));
	ph = zc_test_ref_pseudo4(b.p + ZC_IPV4_SRC_OFF, final_dst, ZC_IPPROTO_TCP, 20);
	zc_store_be16(zc_test_w(b).p + 32 + ZC_TCP_CSUM_OFF, zc_test_ref_csum_zeroed(b.p + 32, 20, ZC_TCP_CSUM_OFF, ph));
	return b;
}

/* The TCP checksum in a source_routed() packet against the pseudo-header with dst. */
static void check_tcp_csum_to(zc_buf b, const uint8_t dst[4])
{
	uint32_t ph = zc_test_ref_pseudo4(b.p + ZC_IPV4_SRC_OFF, dst, ZC_IPPROTO_TCP, 20);

	ck_assert_uint_eq(zc_load_be16(b.p + 32 + ZC_TCP_CSUM_OFF),
			  zc_test_ref_csum_zeroed(b.p + 32, 20, ZC_TCP_CSUM_OFF, ph));
}

START_TEST(address_change_under_a_source_route)
{
	static const uint8_t final_dst[4] = { 0xcb, 0x00, 0x71, 0x09 };
	static const uint8_t next_hop[4] = { 0xc6, 0x33, 0x64, 0x01 }; /* the destination field */
	static const uint8_t kinds[] = { ZC_IPV4_OPT_LSRR, ZC_IPV4_OPT_SSRR };
	uint8_t want[4];
	size_t k;

	for (k = 0; k < 2; k++) {
		zc_buf b;
		zc_ipv4 v;
		uint8_t ptr;

		/*
		 * Pointers 4 and 8 leave an address to visit: the pseudo-header
		 * holds the final destination, so a new destination field leaves
		 * TCP alone while a new source still updates it.
		 */
		for (ptr = 4; ptr <= 8; ptr += 4) {
			zc_buf orig = source_routed(kinds[k], ptr, final_dst);

			b = source_routed(kinds[k], ptr, final_dst);
			ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
			zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0x0a000002);
			check_ip_csum(v);
			ck_assert_mem_eq(b.p + 32, orig.p + 32, 20);
			check_tcp_csum_to(b, final_dst);
			zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a000001);
			check_ip_csum(v);
			check_tcp_csum_to(b, final_dst);
			zc_test_free(b);
			zc_test_free(orig);
		}
		/*
		 * Pointer 12 (past the length): the route is done and the field is
		 * the final destination. Pointer 3 (below the minimum) and 9 (no
		 * room for an address) route nothing. The field counts in all three.
		 */
		for (ptr = 3; ptr <= 12; ptr += ptr == 3 ? 6 : 3) {
			b = source_routed(kinds[k], ptr, next_hop);
			ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
			zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0x0a000002);
			check_ip_csum(v);
			zc_store_be32(want, 0x0a000002);
			check_tcp_csum_to(b, want);
			zc_test_free(b);
		}
	}
}
END_TEST

START_TEST(address_change_and_fragments)
{
	zc_buf b;
	zc_ipv4 v;

	/* The first fragment holds the TCP header: its checksum follows. */
	b = zc_test_dup(frag_first, sizeof frag_first);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	check_tcp_csum(v);
	zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a000001);
	zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0xac100001);
	check_ip_csum(v);
	check_tcp_csum(v);
	zc_test_free(b);

	/* Later fragments hold no TCP header: their payload is not touched. */
	b = zc_test_dup(frag_middle, sizeof frag_middle);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a000001);
	zc_ipv4_set_dst(zc_test_rw_ipv4(v), 0xac100001);
	check_ip_csum(v);
	ck_assert_mem_eq(b.p + 20, frag_middle + 20, 24);
	zc_test_free(b);

	b = zc_test_dup(frag_last, sizeof frag_last);
	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	zc_ipv4_set_src(zc_test_rw_ipv4(v), 0x0a000001);
	check_ip_csum(v);
	ck_assert_mem_eq(b.p + 20, frag_last + 20, 8);
	zc_test_free(b);
}
END_TEST

START_TEST(dec_ttl_stops_at_one)
{
	zc_buf b = zc_test_dup(ipv4_tcp, sizeof ipv4_tcp);
	uint8_t before[sizeof ipv4_tcp];
	zc_ipv4 v;
	unsigned ttl;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	for (ttl = 64; ttl > 1; ttl--) {
		ck_assert(zc_ipv4_dec_ttl(zc_test_rw_ipv4(v)));
		ck_assert_uint_eq(zc_ipv4_ttl(v), ttl - 1);
		ck_assert_uint_eq(zc_ipv4_proto(v), ZC_IPPROTO_TCP);
		check_ip_csum(v);
	}
	/* At 1 and at 0 the datagram must be dropped, not forwarded: no change. */
	ck_assert_uint_eq(zc_ipv4_ttl(v), 1);
	memcpy(before, b.p, sizeof before);
	ck_assert(!zc_ipv4_dec_ttl(zc_test_rw_ipv4(v)));
	ck_assert_mem_eq(b.p, before, sizeof before);
	zc_ipv4_set_ttl(zc_test_rw_ipv4(v), 0);
	check_ip_csum(v);
	memcpy(before, b.p, sizeof before);
	ck_assert(!zc_ipv4_dec_ttl(zc_test_rw_ipv4(v)));
	ck_assert_mem_eq(b.p, before, sizeof before);
	/* From 255 down. */
	zc_ipv4_set_ttl(zc_test_rw_ipv4(v), 255);
	ck_assert(zc_ipv4_dec_ttl(zc_test_rw_ipv4(v)));
	ck_assert_uint_eq(zc_ipv4_ttl(v), 254);
	check_ip_csum(v);
	check_tcp_csum(v);
	zc_test_free(b);
}
END_TEST

START_TEST(csum_fill_and_ok)
{
	zc_buf b = zc_test_dup(ipv4_opts, sizeof ipv4_opts);
	zc_ipv4 v;

	ck_assert_int_eq(zc_ipv4_parse(b, &v), ZC_OK);
	zc_store_be16(zc_test_w(b).p + ZC_IPV4_CSUM_OFF, 0);
	ck_assert(!zc_ipv4_csum_ok(v));
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	ck_assert_uint_eq(zc_ipv4_csum(v), 0x5a17);
	ck_assert(zc_ipv4_csum_ok(v));
	/* A flipped bit in the options is caught: the checksum covers them. */
	zc_test_w(b).p[30] ^= 0x10;
	ck_assert(!zc_ipv4_csum_ok(v));
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	check_ip_csum(v);
	zc_test_free(b);
}
END_TEST

START_TEST(every_fixture_cut_short_is_truncated)
{
	/* Each fixture and the bytes a strict parse needs: the total length, or the header that fails. */
	static const struct {
		const uint8_t *p;
		size_t len, min;
	} fx[] = {
		{ ipv4_tcp, sizeof ipv4_tcp, sizeof ipv4_tcp },
		{ ipv4_udp, sizeof ipv4_udp, sizeof ipv4_udp },
		{ ipv4_udp_nocsum, sizeof ipv4_udp_nocsum, sizeof ipv4_udp_nocsum },
		{ ipv4_icmp, sizeof ipv4_icmp, sizeof ipv4_icmp },
		{ ipv4_opts, sizeof ipv4_opts, sizeof ipv4_opts },
		{ frag_first, sizeof frag_first, sizeof frag_first },
		{ frag_middle, sizeof frag_middle, sizeof frag_middle },
		{ frag_last, sizeof frag_last, sizeof frag_last },
		{ flags_rdf, sizeof flags_rdf, sizeof flags_rdf },
		{ bad_version, sizeof bad_version, 20 },
		{ ihl_4, sizeof ihl_4, 20 },
		{ tot_19, sizeof tot_19, 20 },
		{ tot_below_ihl, sizeof tot_below_ihl, 24 },
	};
	size_t i;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		zc_buf b = zc_test_dup(fx[i].p, fx[i].len);
		zc_ipv4 v;

		check_cuts(fx[i].p, fx[i].min);
		/* At the minimum the outcome is no longer "truncated". */
		ck_assert_int_ne(zc_ipv4_parse(zc_buf_head(b, fx[i].min), &v), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t h[sizeof ipv4_tcp];
	zc_ipv4 v;

	memcpy(h, ipv4_tcp, sizeof h);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(h, sizeof h), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_parse_lax(zc_buf_make(h, sizeof h), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(NULL, sizeof h), &v), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_parse((zc_buf){ NULL, sizeof h }, &v), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv4_parse_lax((zc_buf){ NULL, sizeof h }, &v), ZC_E_ARG);
}
END_TEST

static Suite *ipv4_suite(void)
{
	Suite *s = suite_create("ipv4");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tcp_datagram_accessors);
	tcase_add_test(tc, link_padding_is_not_payload);
	tcase_add_test(tc, options_are_walked_in_order);
	tcase_add_test(tc, malformed_options_are_reported_once);
	tcase_add_test(tc, option_walk_has_a_step_cap);
	tcase_add_test(tc, fragments);
	tcase_add_test(tc, malformed_headers);
	tcase_add_test(tc, total_length_zero_is_an_offload_super_packet);
	tcase_add_test(tc, lax_parse_of_a_cut_datagram);
	tcase_add_test(tc, address_change_in_a_cut_view);
	tcase_add_test(tc, setters_keep_the_header_checksum);
	tcase_add_test(tc, address_change_fixes_tcp_and_udp_checksums);
	tcase_add_test(tc, udp_without_checksum_keeps_none);
	tcase_add_test(tc, udp_checksum_computed_as_zero_is_written_ffff);
	tcase_add_test(tc, icmp_has_no_pseudo_header_to_fix);
	tcase_add_test(tc, address_change_under_a_source_route);
	tcase_add_test(tc, address_change_and_fragments);
	tcase_add_test(tc, dec_ttl_stops_at_one);
	tcase_add_test(tc, csum_fill_and_ok);
	tcase_add_test(tc, every_fixture_cut_short_is_truncated);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(ipv4_suite());
}
