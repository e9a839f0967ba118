/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_ipv6.c - IPv6 headers (RFC 8200): accessors, the extension
 * header walk and its limits, fragments, lax parsing of cut captures, and the
 * address setters checked against TCP, UDP and ICMPv6 checksums recomputed
 * from scratch.
 */
#include "testutil.h"

/* A fixed-seed xorshift32, so that a failure replays the same way. */
static uint32_t rng_state = 0x7f4a7c15u;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

/* An upper-layer checksum recomputed from scratch, its field taken as zero. */
static uint16_t ref_l4_csum(const uint8_t *ip, uint8_t proto, const uint8_t *l4, size_t len, size_t csum_off)
{
	return zc_test_ref_csum_zeroed(l4, len, csum_off, zc_test_ref_pseudo6(ip, proto, len));
}

/* The upper layer's checksum is what a full recomputation gives, and verifies. */
static void check_l4_csum(zc_ipv6 v)
{
	zc_buf pl = zc_ipv6_payload(v);
	uint32_t ph = zc_ipv6_pseudo(v, pl.len);
	uint16_t want;

	switch (zc_ipv6_proto(v)) {
	case ZC_IPPROTO_TCP: {
		zc_tcp t;

		ck_assert_int_eq(zc_tcp_parse(pl, &t), ZC_OK);
		ck_assert_uint_eq(zc_tcp_csum(t), ref_l4_csum(v.p, ZC_IPPROTO_TCP, pl.p, pl.len, ZC_TCP_CSUM_OFF));
		ck_assert(zc_tcp_csum_ok(t, ph));
		break;
	}
	case ZC_IPPROTO_UDP: {
		zc_udp u;

		ck_assert_int_eq(zc_udp_parse(pl, &u), ZC_OK);
		want = ref_l4_csum(v.p, ZC_IPPROTO_UDP, pl.p, pl.len, ZC_UDP_CSUM_OFF);
		ck_assert_uint_eq(zc_udp_csum(u), want ? want : 0xffff);
		ck_assert(zc_udp_csum_ok(u, ph, ZC_UDP_OVER_IPV6));
		break;
	}
	case ZC_IPPROTO_ICMPV6: {
		zc_icmp6 m;

		ck_assert_int_eq(zc_icmp6_parse(pl, &m), ZC_OK);
		ck_assert_uint_eq(zc_icmp6_csum(m), ref_l4_csum(v.p, ZC_IPPROTO_ICMPV6, pl.p, pl.len, ZC_ICMP_CSUM_OFF));
		ck_assert(zc_icmp6_csum_ok(m, ph));
		break;
	}
	default:
		ck_abort_msg("no checksum to check for protocol %u", zc_ipv6_proto(v));
	}
}

/* Every length below min gives ZC_E_TRUNCATED; below 40, lax parsing too. */
static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_TRUNCATED);
		if (n < ZC_IPV6_HDR_LEN)
			ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/* A random address, sometimes all zeros or all ones. */
static void rand_addr(uint8_t a[16])
{
	size_t i;
	uint32_t r = rng();

	for (i = 0; i < 16; i++)
		a[i] = (uint8_t)rng();
	if (r % 11 == 0)
		memset(a, 0, 16);
	else if (r % 11 == 1)
		memset(a, 0xff, 16);
}

/* IPv6 (traffic class: DSCP 46, ECN 1) carrying a TCP segment with 5 bytes of data. */
static const uint8_t ipv6_tcp[] = {
	0x6b, 0x91, 0x23, 0x45, /* version 6, traffic class 0xb9, flow label 0x12345 */
	0x00, 0x19, /* payload length 25 */
	0x06, 0x40, /* next header 6 (TCP), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0xc0, 0x00, 0x00, 0x50, /* source port 49152, destination port 80 */
	0x01, 0x02, 0x03, 0x04, /* sequence number 0x01020304 */
	0x0a, 0x0b, 0x0c, 0x0d, /* acknowledgment number 0x0a0b0c0d */
	0x50, 0x18, /* data offset 5 (20 bytes); flags 0x18 */
	0xfa, 0xf0, /* window 64240 */
	0x3b, 0x21, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x68, 0x65, 0x6c, 0x6c, 0x6f, /* payload */
};

/* IPv6 carrying a UDP datagram. */
static const uint8_t ipv6_udp[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x0c, /* payload length 12 */
	0x11, 0xff, /* next header 17 (UDP), hop limit 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0xb3, 0x27, /* checksum */
	0x70, 0x69, 0x6e, 0x67, /* payload */
};

/* IPv6 carrying UDP with a zero checksum (not allowed by RFC 8200, but kept as 0). */
static const uint8_t ipv6_udp_nocsum[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x0c, /* payload length 12 */
	0x11, 0xff, /* next header 17 (UDP), hop limit 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0x00, 0x00, /* checksum 0: none */
	0x70, 0x6f, 0x6e, 0x67, /* payload */
};

/* IPv6 carrying an ICMPv6 echo request. */
static const uint8_t ipv6_icmp6[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x0c, /* payload length 12 */
	0x3a, 0x40, /* next header 58 (ICMPv6), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x80, 0x00, /* ICMPv6 type 128 (echo request), code 0 */
	0x1d, 0x34, /* checksum */
	0x42, 0x42, 0x00, 0x07, /* identifier 0x4242, sequence 7 */
	0x61, 0x62, 0x63, 0x64, /* data */
};

/*
 * IPv6 with every extension header it walks: hop-by-hop, routing, fragment
 * (first, M set), destination options, AH; then UDP.
 */
static const uint8_t ipv6_chain[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x54, /* payload length 84 */
	0x00, 0x40, /* next header 0 (hop-by-hop options), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x2b, 0x00, /* hop-by-hop: next header 43 (routing), length 0 (8 bytes) */
	0x05, 0x02, 0x00, 0x00, /* router alert option (RFC 2711), value 0 */
	0x01, 0x00, /* PadN option, 0 bytes of padding */
	0x2c, 0x02, /* routing: next header 44 (fragment), length 2 (24 bytes) */
	0xfd, 0x00, /* routing type 253 (RFC 4727 experiment), segments left 0: ignored */
	0x00, 0x00, 0x00, 0x00, /* type-specific data */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* an address, 2001:db8::99 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99,
	0x3c, 0x00, /* fragment: next header 60 (destination options), reserved */
	0x00, 0x01, /* offset 0, M set */
	0xde, 0xad, 0xbe, 0xef, /* identification 0xdeadbeef */
	0x33, 0x00, /* destination options: next header 51 (AH), length 0 (8 bytes) */
	0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* PadN option, 4 bytes of padding */
	0x11, 0x04, /* AH: next header 17 (UDP), payload length 4 ((4 + 2) * 4 = 24 bytes) */
	0x00, 0x00, /* reserved */
	0x00, 0x00, 0x10, 0x00, /* SPI 0x1000 */
	0x00, 0x00, 0x00, 0x01, /* sequence number 1 */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, /* ICV, 12 bytes */
	0xa8, 0xa9, 0xaa, 0xab,
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0xb3, 0x27, /* checksum */
	0x70, 0x69, 0x6e, 0x67, /* payload */
};

/* IPv6 with a hop-by-hop header before TCP. */
static const uint8_t ipv6_hbh_tcp[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x21, /* payload length 33 */
	0x00, 0x40, /* next header 0 (hop-by-hop options), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x06, 0x00, /* hop-by-hop: next header 6 (TCP), length 0 (8 bytes) */
	0x05, 0x02, 0x00, 0x00, /* router alert option, value 0 */
	0x01, 0x00, /* PadN option, 0 bytes of padding */
	0x9c, 0x40, 0x00, 0x16, /* source port 40000, destination port 22 */
	0xfe, 0xed, 0xfa, 0xce, /* sequence number 0xfeedface */
	0x00, 0xc0, 0xff, 0xee, /* acknowledgment number 0x00c0ffee */
	0x50, 0x10, /* data offset 5 (20 bytes); flags 0x10 */
	0x01, 0xf6, /* window 502 */
	0x77, 0xd0, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x68, 0x65, 0x6c, 0x6c, 0x6f, /* payload */
};

/*
 * A destination options header whose PadN option declares 40 bytes of
 * padding in a header of 8: the option runs past its header (RFC 8200
 * section 4.2), with a TCP segment behind it.
 */
static const uint8_t ipv6_dstopts_overrun[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x1c, /* payload length 28 */
	0x3c, 0x40, /* next header 60 (destination options), hop limit 64 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* source ::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* destination ::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x06, 0x00, /* destination options: next header 6 (TCP), length 0 (8 bytes) */
	0x01, 0x28, 0x00, 0x00, 0x00, 0x00, /* PadN option, 40 bytes of padding: 34 past the header */
	0x00, 0x01, 0x00, 0x02, /* source port 1, destination port 2 */
	0x00, 0x00, 0x00, 0x00, /* sequence number 0 */
	0x00, 0x00, 0x00, 0x00, /* acknowledgment number 0 */
	0x50, 0x02, /* data offset 5 (20 bytes); flags SYN */
	0x20, 0x00, /* window 8192 */
	0x8f, 0xdd, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
};

/* A later fragment (offset 1480): no TCP header in it. */
static const uint8_t ipv6_frag_later[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x18, /* payload length 24 */
	0x2c, 0x40, /* next header 44 (fragment), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x06, 0x00, /* fragment: next header 6 (TCP), reserved */
	0x05, 0xc8, /* offset 1480 bytes, M clear */
	0x01, 0x02, 0x03, 0x04, /* identification 0x01020304 */
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, /* the end of the TCP segment */
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
};

/*
 * A later fragment whose next header is an extension header: the walk
 * stops at the fragment header all the same.
 */
static const uint8_t ipv6_frag_later_ext[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x10, /* payload length 16 */
	0x2c, 0x40, /* next header 44 (fragment), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x3c, 0x00, /* fragment: next header 60 (destination options), reserved */
	0x00, 0x09, /* offset 8 bytes, M set */
	0x01, 0x02, 0x03, 0x05, /* identification 0x01020305 */
	0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* bytes that look like a destination options header */
};

/* An atomic fragment: a fragment header that fragments nothing. */
static const uint8_t ipv6_frag_atomic[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x1c, /* payload length 28 */
	0x2c, 0x40, /* next header 44 (fragment), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x06, 0x00, /* fragment: next header 6 (TCP), reserved */
	0x00, 0x00, /* offset 0, M clear: an atomic fragment (RFC 6946) */
	0x00, 0x00, 0x00, 0x07, /* identification 7 */
	0x04, 0x00, 0x00, 0x50, /* source port 1024, destination port 80 */
	0x00, 0x00, 0x00, 0x01, /* sequence number 0x00000001 */
	0x00, 0x00, 0x00, 0x00, /* acknowledgment number 0x00000000 */
	0x50, 0x02, /* data offset 5 (20 bytes); flags 0x02 */
	0xff, 0xff, /* window 65535 */
	0x50, 0x1d, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
};

/* An extension header longer than the payload length (the bytes are there). */
static const uint8_t ipv6_ext_past_plen[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x08, /* payload length 8 */
	0x00, 0x40, /* next header 0 (hop-by-hop options), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x3b, 0x01, /* hop-by-hop: next header 59, length 1 (16 bytes: past the payload length) */
	0x01, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* PadN, 12 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* An AH header longer than the payload length of 16. */
static const uint8_t ipv6_ah_past_plen[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x10, /* payload length 16 */
	0x33, 0x40, /* next header 51 (AH), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x3b, 0x04, /* AH: next header 59, payload length 4 (24 bytes: past the payload length) */
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, /* reserved, SPI, sequence number */
	0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICV, first 8 bytes */
};

/* Payload length 1: no room for an extension header's first two bytes. */
static const uint8_t ipv6_ext_1byte[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x01, /* payload length 1 */
	0x3c, 0x40, /* next header 60 (destination options), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x3b, /* one byte of a destination options header */
};

/* ESP ends the walk: what follows is encrypted. */
static const uint8_t ipv6_esp[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x08, /* payload length 8 */
	0x32, 0x40, /* next header 50 (ESP), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, /* ESP: SPI 0x1000, sequence number 1 */
};

/* Version 4 in an IPv6 header. */
static const uint8_t ipv6_bad_version[] = {
	0x40, 0x00, 0x00, 0x00, /* version 4 */
	0x00, 0x00, /* payload length 0 */
	0x3b, 0x40, /* next header 59, hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};

/*
 * A segment routing header with a segment left: the destination field holds
 * the active segment, and the UDP checksum covers the final destination
 * (RFC 8200 section 8.1), which is the last element of the list.
 */
static const uint8_t ipv6_srh_udp[] = {
	0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0x00, flow label 0x00000 */
	0x00, 0x34, /* payload length 52 */
	0x2b, 0x40, /* next header 43 (routing), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* source 2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* destination 2001:db8::10 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x11, 0x04, /* routing: next header 17 (UDP), length 4 (40 bytes) */
	0x04, 0x01, /* routing type 4 (segment routing, RFC 8754), segments left 1 */
	0x01, 0x00, 0x00, 0x00, /* last entry 1, flags 0, tag 0 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* segment list[0]: the final destination 2001:db8::2 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* segment list[1]: 2001:db8::10, the active segment */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x12, 0x34, 0x00, 0x35, /* source port 4660, destination port 53 */
	0x00, 0x0c, /* length 12 */
	0xb3, 0x27, /* checksum */
	0x70, 0x69, 0x6e, 0x67, /* payload */
};

/* Builds a packet with n destination options headers (8 bytes each) and no upper layer. */
static zc_buf build_dstopts(size_t n)
{
	size_t len = ZC_IPV6_HDR_LEN + 8 * n, i;
	uint8_t *p = malloc(len);

	ck_assert_ptr_nonnull(p);
	memcpy(p, ipv6_esp, ZC_IPV6_HDR_LEN);
	zc_store_be16(p + ZC_IPV6_PLEN_OFF, (uint16_t)(8 * n));
	p[ZC_IPV6_NXT_OFF] = ZC_IPPROTO_DSTOPTS;
	for (i = 0; i < n; i++) {
		uint8_t *h = p + ZC_IPV6_HDR_LEN + 8 * i;

		h[0] = i + 1 < n ? ZC_IPPROTO_DSTOPTS : ZC_IPPROTO_NONE; /* next header */
		h[1] = 0;                                               /* length: 8 bytes */
		h[2] = 1;                                               /* PadN */
		h[3] = 4;                                               /* of 4 bytes */
		memset(h + 4, 0, 4);
	}
	return zc_buf_make(p, len);
}

START_TEST(tcp_packet_accessors)
{
	zc_buf b = zc_test_dup(ipv6_tcp, sizeof ipv6_tcp), pl;
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_version(v), 6);
	ck_assert_uint_eq(zc_ipv6_tclass(v), 0xb9);
	ck_assert_uint_eq(zc_ipv6_flow(v), 0x12345);
	ck_assert_uint_eq(zc_ipv6_payload_len(v), 25);
	ck_assert_uint_eq(zc_ipv6_nxt(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv6_hlim(v), 64);
	ck_assert_ptr_eq(zc_ipv6_src(v), b.p + 8);
	ck_assert_ptr_eq(zc_ipv6_dst(v), b.p + 24);
	ck_assert_uint_eq(zc_ipv6_src(v)[15], 1);
	ck_assert_uint_eq(zc_ipv6_dst(v)[15], 2);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 40);
	pl = zc_ipv6_payload(v);
	ck_assert_ptr_eq(pl.p, b.p + 40);
	ck_assert_uint_eq(pl.len, 25);
	ck_assert(!zc_ipv6_is_cut(v));
	ck_assert(!zc_ipv6_has_frag_hdr(v));
	ck_assert_uint_eq(zc_ipv6_frag_offset(v), 0);
	ck_assert(!zc_ipv6_mf(v));
	ck_assert_uint_eq(zc_ipv6_frag_id(v), 0);
	ck_assert(!zc_ipv6_is_fragment(v));
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	ck_assert_uint_eq(zc_ipv6_pseudo(v, 25), zc_test_ref_pseudo6(b.p, ZC_IPPROTO_TCP, 25));
	check_l4_csum(v);
	zc_test_free(b);
	check_cuts(ipv6_tcp, sizeof ipv6_tcp);
}
END_TEST

START_TEST(link_padding_is_not_payload)
{
	uint8_t f[sizeof ipv6_udp + 4];
	zc_buf b;
	zc_ipv6 v;

	memcpy(f, ipv6_udp, sizeof ipv6_udp);
	memset(f + sizeof ipv6_udp, 0xee, 4);
	b = zc_test_dup(f, sizeof f);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 12);
	ck_assert_uint_eq(zc_ipv6_upper_len(v), 12);
	ck_assert(!zc_ipv6_is_cut(v));
	check_l4_csum(v);
	zc_test_free(b);
}
END_TEST

/* Where the chain's headers are: type, next header, offset, length. */
static const struct {
	uint8_t type, next;
	uint16_t off, len;
} chain[] = {
	{ ZC_IPPROTO_HOPOPTS, ZC_IPPROTO_ROUTING, 40, 8 },
	{ ZC_IPPROTO_ROUTING, ZC_IPPROTO_FRAGMENT, 48, 24 },
	{ ZC_IPPROTO_FRAGMENT, ZC_IPPROTO_DSTOPTS, 72, 8 },
	{ ZC_IPPROTO_DSTOPTS, ZC_IPPROTO_AH, 80, 8 },
	{ ZC_IPPROTO_AH, ZC_IPPROTO_UDP, 88, 24 },
};
#define CHAIN_N (sizeof chain / sizeof chain[0])
#define CHAIN_L4 112

START_TEST(every_extension_header_is_walked)
{
	zc_buf b = zc_test_dup(ipv6_chain, sizeof ipv6_chain);
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;
	size_t i;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_nxt(v), ZC_IPPROTO_HOPOPTS);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_UDP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), CHAIN_L4);
	ck_assert_ptr_eq(zc_ipv6_payload(v).p, b.p + CHAIN_L4);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 12);
	ck_assert(!zc_ipv6_is_cut(v));
	/* The first fragment of a datagram: offset 0, M set. */
	ck_assert(zc_ipv6_has_frag_hdr(v));
	ck_assert_uint_eq(zc_ipv6_frag_offset(v), 0);
	ck_assert(zc_ipv6_mf(v));
	ck_assert_uint_eq(zc_ipv6_frag_id(v), 0xdeadbeef);
	ck_assert(zc_ipv6_is_fragment(v));

	it = zc_ipv6_exts(v);
	for (i = 0; i < CHAIN_N; i++) {
		ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
		ck_assert_uint_eq(e.type, chain[i].type);
		ck_assert_uint_eq(e.next, chain[i].next);
		ck_assert_uint_eq(e.off, chain[i].off);
		ck_assert_uint_eq(e.len, chain[i].len);
		ck_assert_ptr_eq(e.p, b.p + chain[i].off);
	}
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	check_l4_csum(v);
	zc_test_free(b);
	check_cuts(ipv6_chain, sizeof ipv6_chain);
}
END_TEST

START_TEST(later_fragment_stops_the_walk)
{
	zc_buf b;
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;

	b = zc_test_dup(ipv6_frag_later, sizeof ipv6_frag_later);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 16);
	ck_assert(zc_ipv6_has_frag_hdr(v));
	ck_assert_uint_eq(zc_ipv6_frag_offset(v), 1480);
	ck_assert(!zc_ipv6_mf(v));
	ck_assert_uint_eq(zc_ipv6_frag_id(v), 0x01020304);
	ck_assert(zc_ipv6_is_fragment(v));
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_FRAGMENT);
	ck_assert_uint_eq(e.len, ZC_IPV6_FRAG_HDR_LEN);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	zc_test_free(b);
	check_cuts(ipv6_frag_later, sizeof ipv6_frag_later);

	/* Bytes after a later fragment header are never read as a header. */
	b = zc_test_dup(ipv6_frag_later_ext, sizeof ipv6_frag_later_ext);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_DSTOPTS);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 8);
	ck_assert_uint_eq(zc_ipv6_frag_offset(v), 8);
	ck_assert(zc_ipv6_mf(v));
	ck_assert(zc_ipv6_is_fragment(v));
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_FRAGMENT);
	ck_assert_uint_eq(e.next, ZC_IPPROTO_DSTOPTS);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	zc_test_free(b);
	check_cuts(ipv6_frag_later_ext, sizeof ipv6_frag_later_ext);
}
END_TEST

START_TEST(atomic_fragment_is_no_fragment)
{
	zc_buf b = zc_test_dup(ipv6_frag_atomic, sizeof ipv6_frag_atomic);
	zc_ipv6 v;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert(zc_ipv6_has_frag_hdr(v));
	ck_assert(!zc_ipv6_is_fragment(v));
	ck_assert_uint_eq(zc_ipv6_frag_offset(v), 0);
	ck_assert(!zc_ipv6_mf(v));
	ck_assert_uint_eq(zc_ipv6_frag_id(v), 7);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 20);
	check_l4_csum(v);
	zc_test_free(b);
	check_cuts(ipv6_frag_atomic, sizeof ipv6_frag_atomic);
}
END_TEST

START_TEST(extension_header_cap)
{
	zc_buf b;
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;
	int k;

	/* ZC_IPV6_MAX_EXT headers are walked... */
	b = build_dstopts(ZC_IPV6_MAX_EXT);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_NONE);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 40 + 8 * ZC_IPV6_MAX_EXT);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 0);
	it = zc_ipv6_exts(v);
	for (k = 0; k < ZC_IPV6_MAX_EXT; k++) {
		ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
		ck_assert_uint_eq(e.type, ZC_IPPROTO_DSTOPTS);
		ck_assert_uint_eq(e.off, 40 + 8 * k);
	}
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	zc_test_free(b);

	/* ...one more is too deep, strict or lax. */
	b = build_dstopts(ZC_IPV6_MAX_EXT + 1);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_TOO_DEEP);
	ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_TOO_DEEP);
	check_cuts(b.p, b.len);
	zc_test_free(b);
}
END_TEST

START_TEST(extension_header_past_the_payload_length)
{
	size_t n;

	/* The bytes are in the buffer, but the payload length says they are not part of the packet. */
	for (n = 48; n <= sizeof ipv6_ext_past_plen; n++) {
		zc_buf b = zc_test_dup(ipv6_ext_past_plen, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_LENGTH);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_LENGTH);
		zc_test_free(b);
	}
	check_cuts(ipv6_ext_past_plen, 48);
	for (n = 56; n <= sizeof ipv6_ah_past_plen; n++) {
		zc_buf b = zc_test_dup(ipv6_ah_past_plen, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_LENGTH);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_LENGTH);
		zc_test_free(b);
	}
	check_cuts(ipv6_ah_past_plen, 56);
	{
		zc_buf b = zc_test_dup(ipv6_ext_1byte, sizeof ipv6_ext_1byte);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_LENGTH);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_LENGTH);
		zc_test_free(b);
		check_cuts(ipv6_ext_1byte, sizeof ipv6_ext_1byte);
	}
}
END_TEST

START_TEST(esp_and_bad_version)
{
	zc_buf b = zc_test_dup(ipv6_esp, sizeof ipv6_esp);
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;
	size_t n;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_ESP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 40);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 8);
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	zc_test_free(b);
	check_cuts(ipv6_esp, sizeof ipv6_esp);

	for (n = 40; n <= sizeof ipv6_bad_version; n++) {
		b = zc_test_dup(ipv6_bad_version, n);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_VERSION);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_VERSION);
		zc_test_free(b);
	}
	check_cuts(ipv6_bad_version, 40);
}
END_TEST

START_TEST(lax_parse_stops_at_the_cut_header)
{
	size_t n, i;

	for (n = 40; n <= sizeof ipv6_chain; n++) {
		zc_buf b = zc_test_dup(ipv6_chain, n);
		zc_ipv6_ext_iter it;
		zc_ipv6_ext e;
		zc_ipv6 v;
		size_t l4 = CHAIN_L4, whole = 0;
		uint8_t proto = ZC_IPPROTO_UDP;

		/* The walk ends at the first header not all there. */
		for (i = 0; i < CHAIN_N; i++) {
			if (chain[i].off + chain[i].len > n) {
				l4 = chain[i].off;
				proto = chain[i].type;
				break;
			}
			whole++;
		}
		ck_assert_int_eq(zc_ipv6_parse(b, &v), n < sizeof ipv6_chain ? ZC_E_TRUNCATED : ZC_OK);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_OK);
		ck_assert(zc_ipv6_is_cut(v) == (n < sizeof ipv6_chain));
		ck_assert_uint_eq(zc_ipv6_payload_len(v), 84);
		ck_assert_uint_eq(zc_ipv6_hdr_len(v), l4);
		ck_assert_uint_eq(zc_ipv6_proto(v), proto);
		ck_assert_ptr_eq(zc_ipv6_payload(v).p, b.p + l4);
		ck_assert_uint_eq(zc_ipv6_payload(v).len, n - l4);
		/* Declared, not captured: what follows the headers walked. */
		ck_assert_uint_eq(zc_ipv6_upper_len(v), 40 + 84 - l4);
		ck_assert(zc_ipv6_has_frag_hdr(v) == (whole > 2));
		it = zc_ipv6_exts(v);
		for (i = 0; i < whole; i++) {
			ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
			ck_assert_uint_eq(e.off, chain[i].off);
		}
		ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(hop_limit_is_covered_by_no_checksum)
{
	zc_buf b = zc_test_dup(ipv6_tcp, sizeof ipv6_tcp);
	zc_ipv6 v;
	unsigned h;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	for (h = 0; h < 256; h++) {
		zc_ipv6_set_hlim(zc_test_rw_ipv6(v), (uint8_t)h);
		ck_assert_uint_eq(zc_ipv6_hlim(v), h);
		ck_assert_uint_eq(zc_ipv6_nxt(v), ZC_IPPROTO_TCP);
		check_l4_csum(v);
	}
	/* Nothing but byte 7 moved. */
	ck_assert_mem_eq(b.p, ipv6_tcp, 7);
	ck_assert_mem_eq(b.p + 8, ipv6_tcp + 8, sizeof ipv6_tcp - 8);
	zc_test_free(b);
}
END_TEST

START_TEST(address_change_fixes_tcp_udp_and_icmpv6)
{
	static const uint8_t *const fx[] = { ipv6_tcp, ipv6_udp, ipv6_icmp6, ipv6_chain, ipv6_hbh_tcp, ipv6_frag_atomic };
	static const size_t len[] = { sizeof ipv6_tcp, sizeof ipv6_udp, sizeof ipv6_icmp6,
				      sizeof ipv6_chain, sizeof ipv6_hbh_tcp, sizeof ipv6_frag_atomic };
	size_t f;

	for (f = 0; f < sizeof fx / sizeof fx[0]; f++) {
		zc_buf b = zc_test_dup(fx[f], len[f]);
		zc_ipv6 v;
		uint8_t a[16];
		int i;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
		check_l4_csum(v);
		for (i = 0; i < 1000; i++) {
			rand_addr(a);
			if (i % 2) {
				zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
				ck_assert_mem_eq(zc_ipv6_src(v), a, 16);
			} else {
				zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
				ck_assert_mem_eq(zc_ipv6_dst(v), a, 16);
			}
			check_l4_csum(v);
		}
		/* The address given may be the packet's own. */
		zc_ipv6_set_src(zc_test_rw_ipv6(v), zc_ipv6_dst(v));
		check_l4_csum(v);
		zc_ipv6_set_dst(zc_test_rw_ipv6(v), zc_ipv6_dst(v));
		check_l4_csum(v);
		ck_assert_mem_eq(zc_ipv6_src(v), zc_ipv6_dst(v), 16);
		/* The extension headers between are not touched. */
		ck_assert_mem_eq(b.p + 40, fx[f] + 40, zc_ipv6_hdr_len(v) - 40);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(udp_without_checksum_keeps_none)
{
	zc_buf b = zc_test_dup(ipv6_udp_nocsum, sizeof ipv6_udp_nocsum);
	zc_ipv6 v;
	uint8_t a[16];
	int i;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	for (i = 0; i < 500; i++) {
		rand_addr(a);
		if (i % 2)
			zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
		else
			zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
		ck_assert_mem_eq(b.p + 40, ipv6_udp_nocsum + 40, 12);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(udp_checksum_computed_as_zero_is_written_ffff)
{
	zc_buf b = zc_test_dup(ipv6_udp, sizeof ipv6_udp);
	uint8_t probe[sizeof ipv6_udp], a[16];
	zc_ipv6 v;
	uint32_t lo;
	bool found = false;
	int which;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	for (which = 0; which < 2; which++) {
		size_t off = which ? ZC_IPV6_DST_OFF : ZC_IPV6_SRC_OFF;

		/* Find the last 16 bits of an address for which the UDP checksum comes out 0. */
		memcpy(probe, b.p, sizeof probe);
		for (lo = 0, found = false; lo <= 0xffff && !found; lo++) {
			zc_store_be16(probe + off + 14, (uint16_t)lo);
			found = ref_l4_csum(probe, ZC_IPPROTO_UDP, probe + 40, 12, ZC_UDP_CSUM_OFF) == 0;
		}
		ck_assert(found);
		memcpy(a, probe + off, 16);
		if (which)
			zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
		else
			zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
		ck_assert_uint_eq(zc_load_be16(b.p + 40 + ZC_UDP_CSUM_OFF), 0xffff);
		check_l4_csum(v);
		/* And away from it again. */
		rand_addr(a);
		zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
		check_l4_csum(v);
	}
	zc_test_free(b);
}
END_TEST

START_TEST(address_change_leaves_later_fragments_alone)
{
	static const uint8_t a[16] = { 0xfd, 0x00, [15] = 0x42 };
	zc_buf b;
	zc_ipv6 v;

	b = zc_test_dup(ipv6_frag_later, sizeof ipv6_frag_later);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
	zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
	ck_assert_mem_eq(b.p + 40, ipv6_frag_later + 40, sizeof ipv6_frag_later - 40);
	zc_test_free(b);

	b = zc_test_dup(ipv6_frag_later_ext, sizeof ipv6_frag_later_ext);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
	ck_assert_mem_eq(b.p + 40, ipv6_frag_later_ext + 40, sizeof ipv6_frag_later_ext - 40);
	zc_test_free(b);
}
END_TEST

START_TEST(address_change_in_a_cut_view)
{
	static const uint8_t a[16] = { 0xfd, 0x00, [15] = 0x42 };
	size_t n;

	for (n = 40; n < sizeof ipv6_tcp; n++) {
		zc_buf b = zc_test_dup(ipv6_tcp, n), whole = zc_test_dup(ipv6_tcp, sizeof ipv6_tcp);
		zc_ipv6 v, w;

		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_OK);
		ck_assert_int_eq(zc_ipv6_parse(whole, &w), ZC_OK);
		zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
		zc_ipv6_set_src(zc_test_rw_ipv6(w), a);
		/* Updated like the whole packet when the checksum is there, never written past the end. */
		if (n >= 40 + ZC_TCP_CSUM_OFF + 2)
			ck_assert_mem_eq(b.p, whole.p, n);
		else
			ck_assert_mem_eq(b.p + 40, ipv6_tcp + 40, n - 40);
		zc_test_free(b);
		zc_test_free(whole);
	}
	/* A cut inside an extension header leaves it and what follows alone. */
	for (n = 40; n < CHAIN_L4 + ZC_UDP_HDR_LEN; n++) {
		zc_buf b = zc_test_dup(ipv6_chain, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_OK);
		zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
		ck_assert_mem_eq(b.p + 40, ipv6_chain + 40, n - 40);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(routing_header_in_flight_keeps_the_final_destination)
{
	zc_buf b = zc_test_dup(ipv6_srh_udp, sizeof ipv6_srh_udp);
	uint8_t fin[40], a[16];
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_buf pl;
	zc_ipv6 v;
	int i;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_UDP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 80);
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_ROUTING);
	ck_assert_uint_eq(e.len, 40);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	pl = zc_ipv6_payload(v);
	for (i = 0; i < 400; i++) {
		/* The reference pseudo-header takes the final destination, segment list[0]. */
		memcpy(fin, b.p, 40);
		memcpy(fin + ZC_IPV6_DST_OFF, b.p + 48, 16);
		ck_assert_uint_eq(zc_load_be16(pl.p + ZC_UDP_CSUM_OFF),
				  ref_l4_csum(fin, ZC_IPPROTO_UDP, pl.p, pl.len, ZC_UDP_CSUM_OFF));
		/* The next hop changes, the final destination and the checksum do not. */
		rand_addr(a);
		if (i % 2)
			zc_ipv6_set_src(zc_test_rw_ipv6(v), a);
		else
			zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
	}
	/* The last segment reached: the destination field is the final one again. */
	zc_ipv6_set_dst(zc_test_rw_ipv6(v), b.p + 48);
	zc_test_w(b).p[40 + 3] = 0; /* segments left 0 */
	check_l4_csum(v);
	for (i = 0; i < 100; i++) {
		rand_addr(a);
		zc_ipv6_set_dst(zc_test_rw_ipv6(v), a);
		check_l4_csum(v);
	}
	zc_test_free(b);
	check_cuts(ipv6_srh_udp, sizeof ipv6_srh_udp);
}
END_TEST

START_TEST(every_fixture_cut_short_is_truncated)
{
	/* Each fixture and the bytes a strict parse needs: 40 plus the payload length. */
	static const struct {
		const uint8_t *p;
		size_t len;
	} fx[] = {
		{ ipv6_tcp, sizeof ipv6_tcp },
		{ ipv6_udp, sizeof ipv6_udp },
		{ ipv6_udp_nocsum, sizeof ipv6_udp_nocsum },
		{ ipv6_icmp6, sizeof ipv6_icmp6 },
		{ ipv6_chain, sizeof ipv6_chain },
		{ ipv6_hbh_tcp, sizeof ipv6_hbh_tcp },
		{ ipv6_frag_later, sizeof ipv6_frag_later },
		{ ipv6_frag_later_ext, sizeof ipv6_frag_later_ext },
		{ ipv6_frag_atomic, sizeof ipv6_frag_atomic },
		{ ipv6_ext_past_plen, 48 },
		{ ipv6_ah_past_plen, 56 },
		{ ipv6_ext_1byte, sizeof ipv6_ext_1byte },
		{ ipv6_esp, sizeof ipv6_esp },
		{ ipv6_bad_version, 40 },
		{ ipv6_srh_udp, sizeof ipv6_srh_udp },
	};
	size_t i;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		zc_buf b = zc_test_dup(fx[i].p, fx[i].len);
		zc_ipv6 v;

		check_cuts(fx[i].p, fx[i].len);
		/* At the minimum the outcome is no longer "truncated". */
		ck_assert_int_ne(zc_ipv6_parse(b, &v), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(hop_by_hop_before_tcp)
{
	zc_buf b = zc_test_dup(ipv6_hbh_tcp, sizeof ipv6_hbh_tcp);
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_nxt(v), ZC_IPPROTO_HOPOPTS);
	ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
	ck_assert_uint_eq(zc_ipv6_payload(v).len, 25);
	it = zc_ipv6_exts(v);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_HOPOPTS);
	ck_assert_uint_eq(e.next, ZC_IPPROTO_TCP);
	ck_assert_uint_eq(e.len, 8);
	/* The router alert option inside it (RFC 2711). */
	ck_assert_uint_eq(e.p[2], 5);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 0);
	check_l4_csum(v);
	zc_test_free(b);
}
END_TEST

/* Walks the options of e to their end, into types[] and lens[]; returns the count or the error. */
static int walk_opts(zc_ipv6_ext e, uint8_t *types, uint8_t *lens, int max)
{
	zc_ipv6_opt_iter it = zc_ipv6_ext_opts(e);
	zc_ipv6_opt o;
	int n = 0, r;

	while ((r = zc_ipv6_opt_next(&it, &o)) == 1) {
		ck_assert_int_lt(n, max);
		types[n] = o.type;
		lens[n] = o.len;
		if (o.type == ZC_IPV6_OPT_PAD1) {
			ck_assert_ptr_null(o.data);
			ck_assert_uint_eq(o.len, 0);
		} else {
			/* The data lies inside the header. */
			ck_assert(o.data >= e.p + 4 && o.data + o.len <= e.p + e.len);
		}
		n++;
	}
	/* The walk stays at its end, error or not. */
	ck_assert_int_eq(zc_ipv6_opt_next(&it, &o), 0);
	return r < 0 ? r : n;
}

START_TEST(options_of_hop_by_hop_and_destination_headers)
{
	zc_buf b = zc_test_dup(ipv6_chain, sizeof ipv6_chain);
	zc_ipv6_ext_iter it;
	zc_ipv6_ext e;
	zc_ipv6 v;
	uint8_t t[8], l[8];

	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	it = zc_ipv6_exts(v);
	/* Hop-by-hop: router alert (RFC 2711) with value 0, then PadN of no bytes. */
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_HOPOPTS);
	ck_assert_int_eq(walk_opts(e, t, l, 8), 2);
	ck_assert_uint_eq(t[0], ZC_IPV6_OPT_ROUTER_ALERT);
	ck_assert_uint_eq(l[0], 2);
	ck_assert_uint_eq(ZC_IPV6_OPT_ACTION(t[0]), 0);
	ck_assert_uint_eq(t[1], ZC_IPV6_OPT_PADN);
	ck_assert_uint_eq(l[1], 0);
	/* Routing and fragment headers have no options. */
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_ROUTING);
	ck_assert_int_eq(walk_opts(e, t, l, 8), 0);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_FRAGMENT);
	ck_assert_int_eq(walk_opts(e, t, l, 8), 0);
	/* Destination options: PadN of 4 bytes, which ends the header exactly. */
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_DSTOPTS);
	ck_assert_int_eq(walk_opts(e, t, l, 8), 1);
	ck_assert_uint_eq(t[0], ZC_IPV6_OPT_PADN);
	ck_assert_uint_eq(l[0], 4);
	ck_assert_int_eq(zc_ipv6_ext_next(&it, &e), 1);
	ck_assert_uint_eq(e.type, ZC_IPPROTO_AH);
	ck_assert_int_eq(walk_opts(e, t, l, 8), 0);
	zc_test_free(b);
}
END_TEST

START_TEST(option_past_its_header_is_malformed)
{
	uint8_t h[sizeof ipv6_dstopts_overrun];
	zc_buf b;
	zc_ipv6 v;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		/* The same options in a destination options header, then in a hop-by-hop one. */
		memcpy(h, ipv6_dstopts_overrun, sizeof h);
		if (pass)
			h[ZC_IPV6_NXT_OFF] = ZC_IPPROTO_HOPOPTS;
		b = zc_test_dup(h, sizeof h);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_OPTION);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_OPTION);
		ck_assert_int_eq(zc_ipv6_opts_check(b.p + 40, 8), ZC_E_OPTION);
		/* One byte past the header is as bad as 34. */
		zc_test_w(b).p[43] = 5;
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_OPTION);
		/* Exactly to the end of the header is right. */
		zc_test_w(b).p[43] = 4;
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
		ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
		ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
		/* A type in the last byte, with no room for its length byte. */
		memcpy(zc_test_w(b).p + 42, (const uint8_t[]){ 0x01, 0x02, 0x00, 0x00, 0x00, 0x07 }, 6);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_OPTION);
		/* The same byte as Pad1, which has no length byte, is right. */
		zc_test_w(b).p[47] = ZC_IPV6_OPT_PAD1;
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
		/* Six Pad1, and an option unknown to libzc whose action is "discard": well formed. */
		memset(zc_test_w(b).p + 42, ZC_IPV6_OPT_PAD1, 6);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
		memcpy(zc_test_w(b).p + 42, (const uint8_t[]){ 0x9e, 0x04, 0xaa, 0xbb, 0xcc, 0xdd }, 6);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
		ck_assert_uint_eq(ZC_IPV6_OPT_ACTION(b.p[42]), 2);
		zc_test_free(b);
	}
}
END_TEST

/* A routing header of the type given with Hdr Ext Len hlen (8 bytes a unit), then TCP. */
static zc_buf routing_packet(uint8_t type, uint8_t hlen, uint8_t segleft)
{
	uint8_t h[40 + 8 + 8 * 4 + 20];
	size_t rlen = 8 + 8 * (size_t)hlen, len = 40 + rlen + 20;

	ck_assert_uint_le(len, sizeof h);
	memset(h, 0, sizeof h);
	h[0] = 0x60;
	zc_store_be16(h + ZC_IPV6_PLEN_OFF, (uint16_t)(rlen + 20));
	h[ZC_IPV6_NXT_OFF] = ZC_IPPROTO_ROUTING;
	h[ZC_IPV6_HLIM_OFF] = 64;
	h[40] = ZC_IPPROTO_TCP;
	h[41] = hlen;
	h[42] = type;
	h[43] = segleft;
	h[40 + rlen + 12] = 5 << 4;
	return zc_test_dup(h, len);
}

START_TEST(routing_header_length_of_its_type)
{
	zc_ipv6 v;
	zc_buf b;
	unsigned hlen;

	/* RFC 6275 section 6.4: a type 2 header holds exactly one address. */
	for (hlen = 0; hlen <= 4; hlen++) {
		b = routing_packet(2, (uint8_t)hlen, 1);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), hlen == 2 ? ZC_OK : ZC_E_OPTION);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), hlen == 2 ? ZC_OK : ZC_E_OPTION);
		if (hlen == 2)
			ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_TCP);
		zc_test_free(b);
	}
	/* RFC 8754 section 2: a segment routing header holds one segment or more. */
	for (hlen = 0; hlen <= 4; hlen++) {
		b = routing_packet(4, (uint8_t)hlen, 0);
		ck_assert_int_eq(zc_ipv6_parse(b, &v), hlen >= 2 ? ZC_OK : ZC_E_OPTION);
		zc_test_free(b);
	}
	/* Other types keep the length they give, even none. */
	b = routing_packet(0, 0, 0);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_hdr_len(v), 48);
	zc_test_free(b);
	b = routing_packet(3, 1, 0);
	ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_OK);
	zc_test_free(b);
}
END_TEST

START_TEST(options_of_a_cut_header_are_not_checked)
{
	size_t n;

	/*
	 * A lax parse stops at a header cut by the capture: its options are
	 * not all there to check, so the walk ends quietly before it.
	 */
	for (n = 41; n < 48; n++) {
		zc_buf b = zc_test_dup(ipv6_dstopts_overrun, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse(b, &v), ZC_E_TRUNCATED);
		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_OK);
		ck_assert_uint_eq(zc_ipv6_proto(v), ZC_IPPROTO_DSTOPTS);
		ck_assert(zc_ipv6_is_cut(v));
		zc_test_free(b);
	}
	for (n = 48; n <= sizeof ipv6_dstopts_overrun; n++) {
		zc_buf b = zc_test_dup(ipv6_dstopts_overrun, n);
		zc_ipv6 v;

		ck_assert_int_eq(zc_ipv6_parse_lax(b, &v), ZC_E_OPTION);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(option_walk_is_bounded)
{
	static uint8_t pads[ZC_IPV6_OPT_MAX_STEPS + 1];
	zc_ipv6_opt_iter it;
	zc_ipv6_opt o;
	unsigned n = 0;
	int r;

	/* The longest options area, all Pad1, walks to its end. */
	memset(pads, ZC_IPV6_OPT_PAD1, sizeof pads);
	it = zc_ipv6_opt_iter_make(pads, ZC_IPV6_OPT_MAX_STEPS);
	while ((r = zc_ipv6_opt_next(&it, &o)) == 1)
		n++;
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(n, ZC_IPV6_OPT_MAX_STEPS);
	/* One byte more than any header holds: the cap ends the walk as malformed. */
	it = zc_ipv6_opt_iter_make(pads, sizeof pads);
	n = 0;
	while ((r = zc_ipv6_opt_next(&it, &o)) == 1)
		n++;
	ck_assert_int_eq(r, ZC_E_OPTION);
	ck_assert_uint_eq(n, ZC_IPV6_OPT_MAX_STEPS);
	ck_assert_int_eq(zc_ipv6_opt_next(&it, &o), 0);
	/* An empty area has no option. */
	it = zc_ipv6_opt_iter_make(pads, 0);
	ck_assert_int_eq(zc_ipv6_opt_next(&it, &o), 0);
	/* The check refuses what cannot be a header. */
	ck_assert_int_eq(zc_ipv6_opts_check(NULL, 8), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_opts_check(pads, 1), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_opts_check(pads, 2), ZC_OK);
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t h[sizeof ipv6_tcp];
	zc_ipv6 v;

	memcpy(h, ipv6_tcp, sizeof h);
	ck_assert_int_eq(zc_ipv6_parse(zc_buf_make(h, sizeof h), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_parse_lax(zc_buf_make(h, sizeof h), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_parse(zc_buf_make(NULL, sizeof h), &v), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_parse((zc_buf){ NULL, sizeof h }, &v), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_parse_lax((zc_buf){ NULL, sizeof h }, &v), ZC_E_ARG);
}
END_TEST

static Suite *ipv6_suite(void)
{
	Suite *s = suite_create("ipv6");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tcp_packet_accessors);
	tcase_add_test(tc, link_padding_is_not_payload);
	tcase_add_test(tc, every_extension_header_is_walked);
	tcase_add_test(tc, later_fragment_stops_the_walk);
	tcase_add_test(tc, atomic_fragment_is_no_fragment);
	tcase_add_test(tc, extension_header_cap);
	tcase_add_test(tc, extension_header_past_the_payload_length);
	tcase_add_test(tc, esp_and_bad_version);
	tcase_add_test(tc, lax_parse_stops_at_the_cut_header);
	tcase_add_test(tc, hop_limit_is_covered_by_no_checksum);
	tcase_add_test(tc, address_change_fixes_tcp_udp_and_icmpv6);
	tcase_add_test(tc, udp_without_checksum_keeps_none);
	tcase_add_test(tc, udp_checksum_computed_as_zero_is_written_ffff);
	tcase_add_test(tc, address_change_leaves_later_fragments_alone);
	tcase_add_test(tc, address_change_in_a_cut_view);
	tcase_add_test(tc, routing_header_in_flight_keeps_the_final_destination);
	tcase_add_test(tc, every_fixture_cut_short_is_truncated);
	tcase_add_test(tc, hop_by_hop_before_tcp);
	tcase_add_test(tc, options_of_hop_by_hop_and_destination_headers);
	tcase_add_test(tc, option_past_its_header_is_malformed);
	tcase_add_test(tc, routing_header_length_of_its_type);
	tcase_add_test(tc, options_of_a_cut_header_are_not_checked);
	tcase_add_test(tc, option_walk_is_bounded);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(ipv6_suite());
}
