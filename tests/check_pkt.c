/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_pkt.c - the one-pass dissector: every link type, tunnels,
 * ICMP quotes, lax and strict truncation, error layer and offset, the depth
 * cap, and every fixture cut at every length.
 */
#include "testutil.h"

/* ---------------------------------------------------------------- frame builders */

/* A frame under construction: bytes appended at the end. */
typedef struct fb {
	uint8_t b[1600];
	size_t n;
} fb;

static uint8_t *fb_put(fb *f, const void *p, size_t n)
{
	uint8_t *at = f->b + f->n;

	ck_assert_uint_le(f->n + n, sizeof f->b);
	if (p)
		memcpy(at, p, n);
	else
		memset(at, 0, n);
	f->n += n;
	return at;
}

static void put16(uint8_t *p, uint16_t v) { zc_store_be16(p, v); }
static void put32(uint8_t *p, uint32_t v) { zc_store_be32(p, v); }

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static void eth(fb *f, uint16_t type)
{
	uint8_t *h = fb_put(f, NULL, 14);
	memcpy(h, mac_b, 6);
	memcpy(h + 6, mac_a, 6);
	put16(h + 12, type);
}

static void eth_vlan(fb *f, uint16_t tpid, uint16_t vid, uint16_t type)
{
	uint8_t *h = fb_put(f, NULL, 18);
	memcpy(h, mac_b, 6);
	memcpy(h + 6, mac_a, 6);
	put16(h + 12, tpid);
	put16(h + 14, vid);
	put16(h + 16, type);
}

/* IPv4 header for a payload of plen bytes; the checksum is filled. */
static uint8_t *ipv4(fb *f, uint8_t proto, size_t plen, uint16_t frag)
{
	uint8_t *h = fb_put(f, NULL, 20);
	zc_ipv4 v;

	h[0] = 0x45;
	put16(h + 2, (uint16_t)(20 + plen));
	put16(h + 4, 0x1234);
	put16(h + 6, frag);
	h[8] = 64;
	h[9] = proto;
	put32(h + 12, 0x0a000001);
	put32(h + 16, 0x0a000002);
	v.p = h;
	v.len = 20;
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	return h;
}

static uint8_t *ipv6(fb *f, uint8_t nxt, size_t plen)
{
	uint8_t *h = fb_put(f, NULL, 40);

	h[0] = 0x60;
	put16(h + 4, (uint16_t)plen);
	h[6] = nxt;
	h[7] = 64;
	h[23] = 1;
	h[39] = 2;
	return h;
}

static uint8_t *tcp(fb *f, size_t payload)
{
	uint8_t *h = fb_put(f, NULL, 20);

	put16(h, 1234);
	put16(h + 2, 80);
	put32(h + 4, 1000);
	h[12] = 5 << 4;
	h[13] = ZC_TCP_SYN;
	put16(h + 14, 65535);
	fb_put(f, NULL, payload);
	return h;
}

static uint8_t *udp(fb *f, uint16_t dport, size_t payload_len)
{
	uint8_t *h = fb_put(f, NULL, 8);

	put16(h, 5555);
	put16(h + 2, dport);
	put16(h + 4, (uint16_t)(8 + payload_len));
	return h;
}

static zc_err parse(const fb *f, int linktype, unsigned flags, zc_pkt *p)
{
	return zc_parse(zc_buf_make((void *)(uintptr_t)f->b, f->n), linktype, flags, p);
}

static void expect_kinds(const zc_pkt *p, const zc_layer_kind *k, unsigned n)
{
	unsigned i;

	ck_assert_uint_eq(zc_pkt_count(p), n);
	for (i = 0; i < n; i++)
		ck_assert_msg(zc_pkt_kind(p, i) == k[i], "layer %u is %s, not %s", i,
			      zc_layer_kind_name(zc_pkt_kind(p, i)), zc_layer_kind_name(k[i]));
	ck_assert_int_eq(zc_pkt_kind(p, n), ZC_L_NONE);
}

#define EXPECT_KINDS(p, ...)                                                  \
	do {                                                                  \
		static const zc_layer_kind k_[] = { __VA_ARGS__ };            \
		expect_kinds((p), k_, sizeof k_ / sizeof k_[0]);              \
	} while (0)

/* Ethernet, IPv4, TCP with 10 bytes of data: 74 bytes. */
static void build_tcp4(fb *f)
{
	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_TCP, 30, 0);
	tcp(f, 10);
}

/* ---------------------------------------------------------------- basic layers */

START_TEST(ethernet_ipv4_tcp)
{
	fb f;
	zc_pkt p;
	const zc_ipv4 *ip;
	const zc_tcp *t;

	build_tcp4(&f);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_TCP);
	ck_assert_int_eq(p.err, ZC_OK);
	ck_assert_int_eq(p.cut, 0);
	ck_assert_int_eq(p.stop_kind, ZC_L_NONE);
	ck_assert_uint_eq(zc_pkt_layer(&p, 1)->off, 14);
	ck_assert_uint_eq(zc_pkt_layer(&p, 2)->off, 34);
	ck_assert_ptr_null(zc_pkt_layer(&p, 3));
	ip = zc_pkt_ipv4(&p, 1);
	ck_assert_ptr_nonnull(ip);
	ck_assert_uint_eq(zc_ipv4_src(*ip), 0x0a000001);
	ck_assert_ptr_null(zc_pkt_ipv6(&p, 1));
	ck_assert_ptr_null(zc_pkt_ipv4(&p, 7));
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_TCP, 0), 2);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_UDP, 0), -1);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_ETH, 1), -1);
	ck_assert_int_eq(zc_pkt_find_any(&p, ZC_L_TCP, 0), 2);
	ck_assert_int_eq(zc_pkt_parent(&p, 2), 1);
	ck_assert_int_eq(zc_pkt_parent(&p, 1), 0);
	t = zc_pkt_tcp(&p, 2);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(zc_tcp_dst_port(*t), 80);
	ck_assert_uint_eq(zc_tcp_payload(*t).len, 10);
	ck_assert_str_eq(zc_layer_kind_name(ZC_L_IPV4), "ipv4");
	ck_assert_str_eq(zc_layer_kind_name(1000), "?");
}
END_TEST

START_TEST(vlan_tags_and_arp)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *a;

	eth_vlan(&f, ZC_ETH_P_VLAN, 42, ZC_ETH_P_ARP);
	a = fb_put(&f, NULL, 28);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_ARP);
	ck_assert_uint_eq(zc_eth_vlan_id(zc_pkt_eth(&p, 0)[0], 0), 42);
	ck_assert_uint_eq(zc_arp_op(*zc_pkt_arp(&p, 1)), 1);
	/* ARP for other hardware ends the walk without an error. */
	put16(a, 6);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH);
	ck_assert_int_eq(p.stop_kind, ZC_L_ARP);
}
END_TEST

START_TEST(unknown_upper_protocols_end_the_list)
{
	fb f = { .n = 0 };
	zc_pkt p;

	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, 132 /* SCTP */, 12, 0);
	fb_put(&f, NULL, 12);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
	ck_assert_int_eq(p.stop_kind, ZC_L_NONE);

	f.n = 0;
	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_UDP, 12, 0);
	udp(&f, 53, 4);
	fb_put(&f, NULL, 4);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_UDP);

	f.n = 0;
	eth(&f, 0x88cc); /* LLDP */
	fb_put(&f, NULL, 46);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH);
}
END_TEST

/* ---------------------------------------------------------------- link types */

START_TEST(raw_ip_link_types)
{
	static const int raw[] = { ZC_DLT_RAW, ZC_DLT_RAW_BSD, ZC_LINKTYPE_RAW };
	fb f4 = { .n = 0 }, f6 = { .n = 0 };
	zc_pkt p;
	unsigned i;

	ipv4(&f4, ZC_IPPROTO_UDP, 8, 0);
	udp(&f4, 9, 0);
	ipv6(&f6, ZC_IPPROTO_TCP, 20);
	tcp(&f6, 0);
	for (i = 0; i < sizeof raw / sizeof raw[0]; i++) {
		ck_assert_int_eq(parse(&f4, raw[i], 0, &p), ZC_OK);
		EXPECT_KINDS(&p, ZC_L_IPV4, ZC_L_UDP);
		ck_assert_int_eq(parse(&f6, raw[i], 0, &p), ZC_OK);
		EXPECT_KINDS(&p, ZC_L_IPV6, ZC_L_TCP);
	}
	ck_assert_int_eq(parse(&f4, ZC_LINKTYPE_IPV4, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_IPV4, ZC_L_UDP);
	ck_assert_int_eq(parse(&f6, ZC_LINKTYPE_IPV6, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_IPV6, ZC_L_TCP);
	/* The link type fixes the version: IPv6 bytes on LINKTYPE_IPV4 are wrong. */
	ck_assert_int_eq(parse(&f6, ZC_LINKTYPE_IPV4, 0, &p), ZC_E_VERSION);
	ck_assert_int_eq(p.err_kind, ZC_L_IPV4);
	ck_assert_uint_eq(p.err_layer, 0);
	ck_assert_uint_eq(p.err_off, 0);
	/* 28 bytes of IPv4 are too short for an IPv6 header before its version is read. */
	ck_assert_int_eq(parse(&f4, ZC_LINKTYPE_IPV6, 0, &p), ZC_E_TRUNCATED);
	ck_assert_int_eq(p.err_kind, ZC_L_IPV6);
	fb_put(&f4, NULL, 20);
	ck_assert_int_eq(parse(&f4, ZC_LINKTYPE_IPV6, 0, &p), ZC_E_VERSION);
}
END_TEST

START_TEST(linux_cooked_link_types)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *h;

	h = fb_put(&f, NULL, ZC_SLL_HDR_LEN);
	put16(h + ZC_SLL_HATYPE_OFF, 1);
	put16(h + ZC_SLL_HALEN_OFF, 6);
	put16(h + ZC_SLL_PROTO_OFF, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_TCP, 20, 0);
	tcp(&f, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_LINUX_SLL, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_SLL, ZC_L_IPV4, ZC_L_TCP);
	ck_assert_uint_eq(zc_sll_proto(*zc_pkt_sll(&p, 0)), ZC_ETH_P_IPV4);
	ck_assert_uint_eq(zc_pkt_layer(&p, 1)->off, 16);
	/* Netlink captures carry no ethertype. */
	put16(h + ZC_SLL_HATYPE_OFF, ZC_ARPHRD_NETLINK);
	ck_assert_int_eq(parse(&f, ZC_DLT_LINUX_SLL, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_SLL);

	f.n = 0;
	h = fb_put(&f, NULL, ZC_SLL2_HDR_LEN);
	put16(h + ZC_SLL2_PROTO_OFF, ZC_ETH_P_IPV6);
	put32(h + ZC_SLL2_IFINDEX_OFF, 3);
	put16(h + ZC_SLL2_HATYPE_OFF, 1);
	ipv6(&f, ZC_IPPROTO_UDP, 8);
	udp(&f, 9, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_LINUX_SLL2, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_SLL2, ZC_L_IPV6, ZC_L_UDP);
	ck_assert_uint_eq(zc_sll2_ifindex(*zc_pkt_sll2(&p, 0)), 3);
	ck_assert_uint_eq(zc_pkt_layer(&p, 1)->off, 20);

	/* Too short for the pseudo-header. */
	f.n = 10;
	ck_assert_int_eq(parse(&f, ZC_DLT_LINUX_SLL2, 0, &p), ZC_E_TRUNCATED);
	ck_assert_int_eq(p.err_kind, ZC_L_SLL2);
	ck_assert_int_eq(parse(&f, ZC_DLT_LINUX_SLL2, ZC_PARSE_LAX, &p), ZC_OK);
	ck_assert_int_eq(p.cut, 1);
	ck_assert_int_eq(p.cut_kind, ZC_L_SLL2);
}
END_TEST

START_TEST(bsd_loopback_both_byte_orders)
{
	static const uint32_t v6[] = { 24, 28, 30 };
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *h;
	unsigned i;

	h = fb_put(&f, NULL, 4);
	ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
	udp(&f, 9, 0);
	/* NULL: the capturing host's order, little-endian here... */
	h[0] = 2;
	ck_assert_int_eq(parse(&f, ZC_DLT_NULL, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_LOOP, ZC_L_IPV4, ZC_L_UDP);
	ck_assert_uint_eq(zc_loop_af(*zc_pkt_loop(&p, 0)), 2);
	/* ...or big-endian from another machine. */
	memset(h, 0, 4);
	h[3] = 2;
	ck_assert_int_eq(parse(&f, ZC_DLT_NULL, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_LOOP, ZC_L_IPV4, ZC_L_UDP);
	/* LOOP is network order. */
	ck_assert_int_eq(parse(&f, ZC_DLT_LOOP, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_LOOP, ZC_L_IPV4, ZC_L_UDP);

	f.n = 0;
	h = fb_put(&f, NULL, 4);
	ipv6(&f, ZC_IPPROTO_UDP, 8);
	udp(&f, 9, 0);
	for (i = 0; i < 3; i++) {
		memset(h, 0, 4);
		h[0] = (uint8_t)v6[i];
		ck_assert_int_eq(parse(&f, ZC_DLT_NULL, 0, &p), ZC_OK);
		EXPECT_KINDS(&p, ZC_L_LOOP, ZC_L_IPV6, ZC_L_UDP);
		memset(h, 0, 4);
		h[3] = (uint8_t)v6[i];
		ck_assert_int_eq(parse(&f, ZC_DLT_LOOP, 0, &p), ZC_OK);
		EXPECT_KINDS(&p, ZC_L_LOOP, ZC_L_IPV6, ZC_L_UDP);
	}
	/* An unknown family ends the walk. */
	memset(h, 0, 4);
	h[0] = 99;
	ck_assert_int_eq(parse(&f, ZC_DLT_NULL, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_LOOP);
}
END_TEST

START_TEST(unsupported_link_type)
{
	fb f;
	zc_pkt p;

	build_tcp4(&f);
	ck_assert_int_eq(parse(&f, 105 /* 802.11 */, 0, &p), ZC_E_LINKTYPE);
	ck_assert_uint_eq(zc_pkt_count(&p), 0);
	ck_assert_int_eq(p.err, ZC_E_LINKTYPE);
	ck_assert_int_eq(parse(&f, -1, ZC_PARSE_LAX, &p), ZC_E_LINKTYPE);
	ck_assert_int_eq(zc_parse(zc_buf_make(f.b, f.n), ZC_DLT_EN10MB, 0, NULL), ZC_E_ARG);
}
END_TEST

/* ---------------------------------------------------------------- tunnels */

/* Ethernet / IPv4 / UDP to 4789 / VXLAN 0x123456 / Ethernet / IPv4 / TCP. */
static void build_vxlan(fb *f)
{
	uint8_t *vx;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_UDP, 8 + 8 + 14 + 40, 0);
	udp(f, ZC_VXLAN_PORT, 8 + 14 + 40);
	vx = fb_put(f, NULL, 8);
	vx[0] = ZC_VXLAN_F_I;
	put32(vx + 4, 0x123456u << 8);
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_TCP, 20, 0);
	tcp(f, 0);
}

START_TEST(vxlan)
{
	fb f;
	zc_pkt p;
	unsigned i;

	build_vxlan(&f);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_UDP, ZC_L_VXLAN, ZC_L_ETH, ZC_L_IPV4, ZC_L_TCP);
	ck_assert_uint_eq(zc_vxlan_vni(*zc_pkt_vxlan(&p, 3)), 0x123456);
	ck_assert(zc_vxlan_has_vni(*zc_pkt_vxlan(&p, 3)));
	for (i = 0; i < 7; i++)
		ck_assert_uint_eq(zc_pkt_layer(&p, i)->depth, i < 4 ? 0 : 1);
	ck_assert_uint_eq(zc_pkt_layer(&p, 4)->off, 50);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_IPV4, 2), 5);
}
END_TEST

START_TEST(geneve)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *g;

	eth(&f, ZC_ETH_P_IPV6);
	ipv6(&f, ZC_IPPROTO_UDP, 8 + 16 + 20 + 8);
	udp(&f, ZC_GENEVE_PORT, 16 + 20 + 8);
	g = fb_put(&f, NULL, 16);
	g[0] = 2; /* 8 bytes of options */
	put16(g + 2, ZC_ETH_P_IPV4);
	put32(g + 4, 77u << 8);
	ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
	udp(&f, 9, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_UDP, ZC_L_GENEVE, ZC_L_IPV4, ZC_L_UDP);
	ck_assert_uint_eq(zc_geneve_vni(*zc_pkt_geneve(&p, 3)), 77);
	ck_assert_uint_eq(zc_geneve_hdr_len(*zc_pkt_geneve(&p, 3)), 16);
	ck_assert_uint_eq(zc_pkt_layer(&p, 4)->depth, 1);

	/* Protocol 0x6558 carries Ethernet. */
	f.n = 14 + 40 + 8 + 16;
	put16(g + 2, ZC_ETH_P_TEB);
	eth(&f, 0x88cc);
	put16(f.b + 14 + 4, 8 + 16 + 14);
	put16(f.b + 14 + 40 + 4, 8 + 16 + 14);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_UDP, ZC_L_GENEVE, ZC_L_ETH);

	/* Version 1 is not Geneve as we know it: the walk ends there. */
	g[0] |= 0x40;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_UDP);
	ck_assert_int_eq(p.stop_kind, ZC_L_GENEVE);

	/* Options longer than the datagram, which is whole: they contradict its length. */
	g[0] = 0x3f;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_LENGTH);
	ck_assert_int_eq(p.err_kind, ZC_L_GENEVE);
	ck_assert_uint_eq(p.err_layer, 3);
	ck_assert_uint_eq(p.err_off, 14 + 40 + 8);
}
END_TEST

START_TEST(gre)
{
	fb f = { .n = 0 };
	zc_pkt p;
	const zc_gre *g;
	uint8_t *h;

	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_GRE, 16 + 20 + 8, 0);
	h = fb_put(&f, NULL, 16);
	put16(h, ZC_GRE_F_CSUM | ZC_GRE_F_KEY | ZC_GRE_F_SEQ);
	put16(h + 2, ZC_ETH_P_IPV4);
	put32(h + 8, 0xabcdef01);
	put32(h + 12, 7);
	ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
	udp(&f, 9, 0);
	put16(h + 4, zc_csum(h, 16 + 28));
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_GRE, ZC_L_IPV4, ZC_L_UDP);
	g = zc_pkt_gre(&p, 2);
	ck_assert_uint_eq(zc_gre_hdr_len(*g), 16);
	ck_assert_uint_eq(zc_gre_key(*g), 0xabcdef01);
	ck_assert_uint_eq(zc_gre_seq(*g), 7);
	ck_assert(zc_gre_csum_ok(*g));
	ck_assert_uint_eq(zc_pkt_layer(&p, 3)->depth, 1);

	/* Version 1 (PPTP) is not handled: the walk ends before it, without error. */
	put16(h, 0x3001);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
	ck_assert_int_eq(p.stop_kind, ZC_L_GRE);
	ck_assert_uint_eq(p.stop_off, 34);

	/* Transparent Ethernet bridging, no optional fields. */
	f.n = 0;
	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_GRE, 4 + 14 + 20 + 8, 0);
	h = fb_put(&f, NULL, 4);
	put16(h + 2, ZC_ETH_P_TEB);
	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
	udp(&f, 9, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_GRE, ZC_L_ETH, ZC_L_IPV4, ZC_L_UDP);
}
END_TEST

START_TEST(erspan)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *h, *s;

	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_GRE, 8 + 8 + 14 + 28, 0);
	h = fb_put(&f, NULL, 8);
	put16(h, ZC_GRE_F_SEQ);
	put16(h + 2, ZC_GRE_P_ERSPAN);
	s = fb_put(&f, NULL, 8);
	put16(s, 0x1000 | 100);
	put16(s + 2, 5);
	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
	udp(&f, 9, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_GRE, ZC_L_ERSPAN, ZC_L_ETH, ZC_L_IPV4, ZC_L_UDP);
	ck_assert_uint_eq(zc_erspan_type(*zc_pkt_erspan(&p, 3)), 2);
	ck_assert_uint_eq(zc_erspan_vlan(*zc_pkt_erspan(&p, 3)), 100);
	ck_assert_uint_eq(zc_erspan_session(*zc_pkt_erspan(&p, 3)), 5);
	ck_assert_uint_eq(zc_pkt_layer(&p, 3)->depth, 0);
	ck_assert_uint_eq(zc_pkt_layer(&p, 4)->depth, 1);
}
END_TEST

START_TEST(ip_in_ip)
{
	static const struct {
		bool outer6, inner6;
	} cases[] = { { false, false }, { false, true }, { true, false }, { true, true } };
	unsigned i;

	for (i = 0; i < 4; i++) {
		fb f = { .n = 0 };
		zc_pkt p;
		size_t inner = (cases[i].inner6 ? 40 : 20) + 8;
		uint8_t proto = cases[i].inner6 ? ZC_IPPROTO_IPV6 : ZC_IPPROTO_IPIP;

		eth(&f, cases[i].outer6 ? ZC_ETH_P_IPV6 : ZC_ETH_P_IPV4);
		if (cases[i].outer6)
			ipv6(&f, proto, inner);
		else
			ipv4(&f, proto, inner, 0);
		if (cases[i].inner6)
			ipv6(&f, ZC_IPPROTO_UDP, 8);
		else
			ipv4(&f, ZC_IPPROTO_UDP, 8, 0);
		udp(&f, 9, 0);
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
		ck_assert_uint_eq(zc_pkt_count(&p), 4);
		ck_assert_int_eq(zc_pkt_kind(&p, 1), cases[i].outer6 ? ZC_L_IPV6 : ZC_L_IPV4);
		ck_assert_int_eq(zc_pkt_kind(&p, 2), cases[i].inner6 ? ZC_L_IPV6 : ZC_L_IPV4);
		ck_assert_int_eq(zc_pkt_kind(&p, 3), ZC_L_UDP);
		ck_assert_uint_eq(zc_pkt_layer(&p, 2)->depth, 1);
		ck_assert_uint_eq(zc_pkt_layer(&p, 3)->depth, 1);
	}
}
END_TEST

START_TEST(rarp)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *a;

	eth(&f, 0x8035); /* RARP has the ARP format (RFC 903) */
	a = fb_put(&f, NULL, 28);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 3);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_ARP);
	ck_assert_uint_eq(zc_arp_op(*zc_pkt_arp(&p, 1)), 3);
}
END_TEST

/* ---------------------------------------------------------------- ICMP quotes */

/* Ethernet / IPv4 / ICMP port unreachable quoting IPv4 (total 548) / 8 bytes of UDP or TCP. */
static void build_icmp_quote(fb *f, uint8_t quoted_proto)
{
	uint8_t *ic, *q;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_ICMP, 8 + 28, 0);
	ic = fb_put(f, NULL, 8);
	ic[0] = ZC_ICMP4_DEST_UNREACH;
	ic[1] = 3;
	q = ipv4(f, quoted_proto, 528, 0);
	(void)q;
	q = fb_put(f, NULL, 8);
	put16(q, 5555);
	put16(q + 2, 53);
	put16(q + 4, 528);
}

START_TEST(icmp_quotes_are_parsed_and_cut_is_not_an_error)
{
	fb f;
	zc_pkt p;
	const zc_udp *u;

	build_icmp_quote(&f, ZC_IPPROTO_UDP);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_ICMP4, ZC_L_IPV4, ZC_L_UDP);
	ck_assert_int_eq(p.cut, 0);
	ck_assert_uint_eq(zc_pkt_layer(&p, 2)->flags, 0);
	ck_assert_uint_eq(zc_pkt_layer(&p, 3)->flags, ZC_LF_QUOTED | ZC_LF_CUT);
	ck_assert_uint_eq(zc_pkt_layer(&p, 4)->flags, ZC_LF_QUOTED | ZC_LF_CUT);
	ck_assert_uint_eq(zc_pkt_layer(&p, 3)->depth, 1);
	u = zc_pkt_udp(&p, 4);
	ck_assert_uint_eq(zc_udp_dst_port(*u), 53);
	ck_assert_uint_eq(zc_udp_length(*u), 528);
	/* The quoted UDP header is not the packet's own: find skips it, find_any does not. */
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_UDP, 0), -1);
	ck_assert_int_eq(zc_pkt_find_any(&p, ZC_L_UDP, 0), 4);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_IPV4, 0), 1);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_IPV4, 2), -1);
	ck_assert_int_eq(zc_pkt_find_any(&p, ZC_L_IPV4, 2), 3);
	ck_assert_int_eq(zc_pkt_find(&p, ZC_L_ICMP4, 0), 2);
	/* Each layer is its parent's payload; the quoted IPv4 header's parent is the error. */
	ck_assert_int_eq(zc_pkt_parent(&p, 0), -1);
	ck_assert_int_eq(zc_pkt_parent(&p, 3), 2);
	ck_assert_int_eq(zc_pkt_parent(&p, 4), 3);
	ck_assert_int_eq(zc_pkt_parent(&p, 5), -1);
	ck_assert_ptr_eq(zc_icmp4_payload(*zc_pkt_icmp4(&p, 2)).p, p.frame.p + zc_pkt_layer(&p, 3)->off);
	ck_assert_uint_eq(zc_icmp4_msg_len(*zc_pkt_icmp4(&p, 2)), 8 + 28);
	/* The quoted header declares 548 bytes, 528 of them UDP; 8 were quoted. */
	ck_assert_uint_eq(zc_ipv4_total_len(*zc_pkt_ipv4(&p, 3)), 548);
	ck_assert_uint_eq(zc_ipv4_upper_len(*zc_pkt_ipv4(&p, 3)), 528);
	ck_assert_uint_eq(zc_ipv4_payload(*zc_pkt_ipv4(&p, 3)).len, 8);

	/* Eight bytes of TCP are no TCP header: the walk ends quietly. */
	build_icmp_quote(&f, ZC_IPPROTO_TCP);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_ICMP4, ZC_L_IPV4);
	ck_assert_int_eq(p.stop_kind, ZC_L_TCP);
	ck_assert_uint_eq(p.stop_off, 14 + 20 + 8 + 20);
	ck_assert_uint_eq(p.stop_len, 8);

	/* An echo request quotes nothing. */
	build_icmp_quote(&f, ZC_IPPROTO_UDP);
	f.b[34] = ZC_ICMP4_ECHO_REQUEST;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_ICMP4);

	/* A quote that is not IPv4 is still an error, found at its offset. */
	build_icmp_quote(&f, ZC_IPPROTO_UDP);
	f.b[42] = 0x35;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_VERSION);
	ck_assert_uint_eq(p.err_layer, 3);
	ck_assert_uint_eq(p.err_off, 42);
}
END_TEST

START_TEST(icmpv6_quotes)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *ic;

	eth(&f, ZC_ETH_P_IPV6);
	ipv6(&f, ZC_IPPROTO_ICMPV6, 8 + 40 + 8);
	ic = fb_put(&f, NULL, 8);
	ic[0] = ZC_ICMP6_PACKET_TOO_BIG;
	ipv6(&f, ZC_IPPROTO_UDP, 1400);
	udp(&f, 443, 1392);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_ICMP6, ZC_L_IPV6, ZC_L_UDP);
	ck_assert_uint_eq(zc_pkt_layer(&p, 3)->flags, ZC_LF_QUOTED | ZC_LF_CUT);
	ck_assert_int_eq(p.cut, 0);
	/* Informational messages quote nothing. */
	ic[0] = ZC_ICMP6_ECHO_REPLY;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_ICMP6);
}
END_TEST

/* ---------------------------------------------------------------- truncation and errors */

START_TEST(lax_and_strict_truncation)
{
	fb f;
	zc_pkt p;

	/* Cut inside the TCP payload: the IPv4 view is cut. */
	build_tcp4(&f);
	f.n -= 4;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_TRUNCATED);
	ck_assert_uint_eq(zc_pkt_count(&p), 1);
	ck_assert_uint_eq(p.err_layer, 1);
	ck_assert_int_eq(p.err_kind, ZC_L_IPV4);
	ck_assert_uint_eq(p.err_off, 14);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_TCP);
	ck_assert_int_eq(p.cut, 1);
	ck_assert_uint_eq(p.cut_layer, 1);
	ck_assert_int_eq(p.cut_kind, ZC_L_IPV4);
	ck_assert_uint_eq(p.cut_off, 14);
	ck_assert(zc_ipv4_is_cut(*zc_pkt_ipv4(&p, 1)));
	ck_assert_uint_eq(zc_pkt_layer(&p, 1)->flags, ZC_LF_CUT);
	ck_assert_uint_eq(zc_tcp_payload(*zc_pkt_tcp(&p, 2)).len, 6);

	/* Cut inside the TCP header: headers before it stay. */
	f.n = 14 + 20 + 10;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
	ck_assert_uint_eq(p.cut_layer, 1);
	ck_assert_int_eq(p.stop_kind, ZC_L_TCP);
	ck_assert_uint_eq(p.stop_off, 34);
	ck_assert_uint_eq(p.stop_len, 10);
	{
		/* The stop layer's record: the ports (bytes 0 to 3) are there to read. */
		zc_layer sl;

		memset(&sl, 0xa5, sizeof sl);
		ck_assert_uint_eq(zc_pkt_stop_layer(&p, &sl), 10);
		ck_assert_int_eq(sl.kind, ZC_L_TCP);
		ck_assert_uint_eq(sl.off, 34);
		ck_assert_uint_eq(sl.flags, ZC_LF_CUT);
		ck_assert_uint_eq(sl.depth, 0);
		ck_assert_ptr_eq(sl.v.tcp.p, p.frame.p + 34);
		ck_assert_uint_eq(sl.v.tcp.len, 0);
		ck_assert_uint_eq(zc_tcp_src_port(sl.v.tcp), zc_load_be16(p.frame.p + 34));
		ck_assert_uint_eq(zc_tcp_dst_port(sl.v.tcp), zc_load_be16(p.frame.p + 36));
		ck_assert_uint_eq(zc_pkt_stop_layer(NULL, &sl), 0);
		ck_assert_uint_eq(zc_pkt_stop_layer(&p, NULL), 0);
	}

	/* Cut inside the IPv4 header. */
	f.n = 14 + 12;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH);
	ck_assert_uint_eq(p.cut_layer, 1);
	ck_assert_int_eq(p.cut_kind, ZC_L_IPV4);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_TRUNCATED);

	/* Cut inside the Ethernet header. */
	f.n = 6;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	ck_assert_uint_eq(zc_pkt_count(&p), 0);
	{
		/* A stop layer of the frame's first bytes; none once the walk ends after its last layer. */
		zc_layer sl;

		ck_assert_int_eq(p.stop_kind, ZC_L_ETH);
		ck_assert_uint_eq(zc_pkt_stop_layer(&p, &sl), 6);
		ck_assert_int_eq(sl.kind, ZC_L_ETH);
		ck_assert_ptr_eq(sl.v.eth.p, p.frame.p);
		f.n = 14 + 40;
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
		ck_assert_int_eq(p.stop_kind, ZC_L_NONE);
		sl.kind = 99;
		ck_assert_uint_eq(zc_pkt_stop_layer(&p, &sl), 0);
		ck_assert_uint_eq(sl.kind, 99);
		f.n = 6;
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	}
	ck_assert_int_eq(p.cut_kind, ZC_L_ETH);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_TRUNCATED);
	ck_assert_uint_eq(p.err_layer, 0);
	f.n = 0;
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_TRUNCATED);
}
END_TEST

START_TEST(truncation_inside_a_declared_length_is_an_error_even_lax)
{
	fb f = { .n = 0 };
	zc_pkt p;

	/*
	 * The datagram is all there and says 10 bytes of TCP: a contradiction,
	 * not a short capture, so invalid (ZC_E_LENGTH) rather than truncated.
	 */
	eth(&f, ZC_ETH_P_IPV4);
	ipv4(&f, ZC_IPPROTO_TCP, 10, 0);
	fb_put(&f, NULL, 10);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_LENGTH);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_E_LENGTH);
	ck_assert_uint_eq(p.err_layer, 2);
	ck_assert_int_eq(p.err_kind, ZC_L_TCP);
	ck_assert_uint_eq(p.err_off, 34);
	ck_assert_int_eq(p.cut, 0);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
}
END_TEST

START_TEST(ipv6_option_past_its_header_ends_the_walk)
{
	/*
	 * Ethernet, IPv6 ::1 -> ::2 with a destination options header whose
	 * PadN option declares 40 bytes of padding in a header of 8, then a
	 * TCP SYN. RFC 8200 section 4.2: the option runs past its header, so
	 * the packet is malformed and the TCP behind it is not dissected (nor
	 * does tshark dissect it: "Malformed Packet: IPv6 Destination").
	 */
	static const uint8_t frame[] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x3c, 0x40, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x06, 0x00, 0x01, 0x28, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x50, 0x02, 0x20, 0x00, 0x8f, 0xdd, 0x00, 0x00,
	};
	static const unsigned modes[] = { 0, ZC_PARSE_LAX, ZC_PARSE_GENERAL, ZC_PARSE_LAX | ZC_PARSE_GENERAL };
	fb f = { .n = 0 };
	zc_pkt p;
	unsigned m, pass;

	fb_put(&f, frame, sizeof frame);
	for (pass = 0; pass < 2; pass++) {
		/* The second pass makes it a hop-by-hop header: the same rule. */
		if (pass)
			f.b[14 + ZC_IPV6_NXT_OFF] = ZC_IPPROTO_HOPOPTS;
		for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, modes[m], &p), ZC_E_OPTION);
			EXPECT_KINDS(&p, ZC_L_ETH);
			ck_assert_uint_eq(p.err_layer, 1);
			ck_assert_int_eq(p.err_kind, ZC_L_IPV6);
			ck_assert_uint_eq(p.err_off, 14);
			ck_assert_int_eq(p.stop_kind, ZC_L_IPV6);
			ck_assert_int_eq(p.cut, 0);
			ck_assert_int_eq(zc_pkt_find(&p, ZC_L_TCP, 0), -1);
		}
		/* With the padding inside the header the TCP segment is dissected. */
		f.b[14 + 43] = 4;
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
		EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_TCP);
		f.b[14 + 43] = 0x28;
	}
}
END_TEST

/*
 * Carriers of an inner IP packet whose length fields claim extra bytes more
 * than the carrier holds; the outer headers match the bytes of the frame.
 * Each says where the inner IP layer is.
 */
typedef struct carrier {
	const char *name;
	void (*build)(fb *f, size_t extra);
	unsigned inner_layer;   /* index of the inner IP layer */
	zc_layer_kind inner_kind;
	uint32_t inner_off;     /* its offset in the frame */
	zc_layer_kind outer_kind;
} carrier;

static void carry_vxlan(fb *f, size_t extra)
{
	uint8_t *vx;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_UDP, 8 + 8 + 14 + 40, 0);
	udp(f, ZC_VXLAN_PORT, 8 + 14 + 40);
	vx = fb_put(f, NULL, 8);
	vx[0] = ZC_VXLAN_F_I;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_TCP, 20 + extra, 0);
	tcp(f, 0);
}

static void carry_gre(fb *f, size_t extra)
{
	uint8_t *h;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_GRE, 4 + 20 + 8, 0);
	h = fb_put(f, NULL, 4);
	put16(h + 2, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_UDP, 8 + extra, 0);
	udp(f, 9, 0);
}

static void carry_ipip(fb *f, size_t extra)
{
	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_IPIP, 20 + 8, 0);
	ipv4(f, ZC_IPPROTO_UDP, 8 + extra, 0);
	udp(f, 9, 0);
}

static void carry_6in4(fb *f, size_t extra)
{
	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_IPV6, 40 + 8, 0);
	ipv6(f, ZC_IPPROTO_UDP, 8 + extra);
	udp(f, 9, 0);
}

static void carry_4in6(fb *f, size_t extra)
{
	f->n = 0;
	eth(f, ZC_ETH_P_IPV6);
	ipv6(f, ZC_IPPROTO_IPIP, 20 + 8);
	ipv4(f, ZC_IPPROTO_UDP, 8 + extra, 0);
	udp(f, 9, 0);
}

static const carrier carriers[] = {
	{ "vxlan", carry_vxlan, 5, ZC_L_IPV4, 64, ZC_L_IPV4 },
	{ "gre", carry_gre, 3, ZC_L_IPV4, 38, ZC_L_IPV4 },
	{ "ipv4-in-ipv4", carry_ipip, 2, ZC_L_IPV4, 34, ZC_L_IPV4 },
	{ "ipv6-in-ipv4", carry_6in4, 2, ZC_L_IPV6, 34, ZC_L_IPV4 },
	{ "ipv4-in-ipv6", carry_4in6, 2, ZC_L_IPV4, 54, ZC_L_IPV6 },
};

START_TEST(inner_packet_longer_than_its_carrier_is_invalid)
{
	static const unsigned modes[] = { 0, ZC_PARSE_LAX, ZC_PARSE_GENERAL, ZC_PARSE_LAX | ZC_PARSE_GENERAL };
	unsigned c, m;

	/*
	 * The capture cut nothing: every outer length matches the bytes, so
	 * the inner length that runs past its carrier contradicts the
	 * carrier's length. The bytes are there: invalid, not truncated, in
	 * either mode, and no cut is reported.
	 */
	for (c = 0; c < sizeof carriers / sizeof carriers[0]; c++) {
		const carrier *k = &carriers[c];
		fb f;
		zc_pkt p;

		k->build(&f, 0);
		ck_assert_msg(parse(&f, ZC_DLT_EN10MB, 0, &p) == ZC_OK, "%s: the whole frame", k->name);
		ck_assert_int_eq(p.n, k->inner_layer + 2);
		k->build(&f, 10);
		for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			zc_err e = parse(&f, ZC_DLT_EN10MB, modes[m], &p);

			ck_assert_msg(e == ZC_E_LENGTH, "%s, flags %#x: %s", k->name, modes[m], zc_err_name(e));
			ck_assert_int_eq(zc_err_class(e), ZC_ERRCLASS_INVALID);
			ck_assert_uint_eq(p.n, k->inner_layer);
			ck_assert_uint_eq(p.err_layer, k->inner_layer);
			ck_assert_int_eq(p.err_kind, k->inner_kind);
			ck_assert_uint_eq(p.err_off, k->inner_off);
			ck_assert_int_eq(p.cut, 0);
		}
		/* Link-layer padding after the outer packet changes nothing: the outer length bounds it. */
		fb_put(&f, NULL, 16);
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_E_LENGTH);
		ck_assert_uint_eq(p.err_layer, k->inner_layer);
	}
}
END_TEST

START_TEST(inner_packet_of_a_cut_capture_is_truncated)
{
	unsigned c;

	/*
	 * The capture ends inside the inner packet, before the end the outer
	 * headers declare: a short capture. Strict parsing reports it at the
	 * outer layer the snaplen cut; lax parsing reports the cut there and
	 * parses the inner layers that are present.
	 */
	for (c = 0; c < sizeof carriers / sizeof carriers[0]; c++) {
		const carrier *k = &carriers[c];
		fb f;
		zc_pkt p;
		size_t extra;

		for (extra = 0; extra <= 10; extra += 10) {
			zc_buf b;
			zc_err e;

			k->build(&f, extra);
			b = zc_test_dup(f.b, f.n - 4);
			e = zc_parse(b, ZC_DLT_EN10MB, 0, &p);
			ck_assert_msg(e == ZC_E_TRUNCATED, "%s extra %zu: %s", k->name, extra, zc_err_name(e));
			ck_assert_uint_eq(p.err_layer, 1);
			ck_assert_int_eq(p.err_kind, k->outer_kind);
			ck_assert_uint_eq(p.err_off, 14);
			e = zc_parse(b, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p);
			ck_assert_msg(e == ZC_OK, "%s extra %zu lax: %s", k->name, extra, zc_err_name(e));
			ck_assert_int_eq(p.cut, 1);
			ck_assert_uint_eq(p.cut_layer, 1);
			ck_assert_int_eq(p.cut_kind, k->outer_kind);
			ck_assert_uint_eq(p.cut_off, 14);
			ck_assert_uint_gt(p.n, k->inner_layer);
			ck_assert_int_eq(zc_pkt_kind(&p, k->inner_layer), k->inner_kind);
			ck_assert(zc_pkt_layer(&p, k->inner_layer)->flags & ZC_LF_CUT);
			zc_test_free(b);
		}
	}
}
END_TEST

START_TEST(offload_super_packet_ends_at_the_capture)
{
	fb f = { .n = 0 };
	zc_pkt p;
	zc_buf b;
	uint8_t *h;

	/*
	 * An IPv4 total length of 0 (TSO, BIG TCP) declares no end: the
	 * datagram is the bytes captured, so a capture cut inside its TCP
	 * header is a short capture, which lax parsing reports as a cut.
	 */
	eth(&f, ZC_ETH_P_IPV4);
	h = ipv4(&f, ZC_IPPROTO_TCP, 20, 0);
	put16(h + 2, 0);
	tcp(&f, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4, ZC_L_TCP);
	b = zc_test_dup(f.b, f.n - 6);
	ck_assert_int_eq(zc_parse(b, ZC_DLT_EN10MB, 0, &p), ZC_E_TRUNCATED);
	ck_assert_uint_eq(p.err_layer, 2);
	ck_assert_int_eq(zc_parse(b, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
	ck_assert_int_eq(p.cut, 1);
	ck_assert_uint_eq(p.cut_layer, 2);
	ck_assert_int_eq(p.cut_kind, ZC_L_TCP);
	ck_assert_uint_eq(p.cut_off, 34);
	zc_test_free(b);
	/* Inside a whole VXLAN datagram, the same 0 leaves the end to the UDP length: invalid. */
	carry_vxlan(&f, 0);
	put16(f.b + 64 + 2, 0);
	f.n -= 6;
	put16(f.b + 14 + 2, (uint16_t)(f.n - 14));
	put16(f.b + 34 + 4, (uint16_t)(f.n - 34));
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_E_LENGTH);
	ck_assert_uint_eq(p.err_layer, 6);
	ck_assert_int_eq(p.err_kind, ZC_L_TCP);
	/*
	 * A super-packet's UDP datagram still ends at its own length: an inner
	 * packet past it is invalid, on the fast path as in the general loop.
	 */
	carry_vxlan(&f, 10);
	put16(f.b + 14 + 2, 0);
	{
		static const unsigned modes[] = { 0, ZC_PARSE_LAX, ZC_PARSE_GENERAL, ZC_PARSE_LAX | ZC_PARSE_GENERAL };
		unsigned m;

		for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			ck_assert_msg(parse(&f, ZC_DLT_EN10MB, modes[m], &p) == ZC_E_LENGTH, "flags %#x: %s", modes[m],
				      zc_err_name(p.err));
			ck_assert_uint_eq(p.err_layer, 5);
			ck_assert_int_eq(p.cut, 0);
		}
	}
}
END_TEST

START_TEST(errors_record_layer_and_offset)
{
	fb f;
	zc_pkt p;

	build_tcp4(&f);
	f.b[14] = 0x44; /* IHL 4 */
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_E_HDR_LEN);
	ck_assert_uint_eq(p.err_layer, 1);
	ck_assert_int_eq(p.err_kind, ZC_L_IPV4);
	ck_assert_uint_eq(p.err_off, 14);
	ck_assert_int_eq(p.stop_kind, ZC_L_IPV4);
	EXPECT_KINDS(&p, ZC_L_ETH);

	build_tcp4(&f);
	f.b[34 + 12] = 4 << 4; /* data offset 4 */
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_E_HDR_LEN);
	ck_assert_uint_eq(p.err_layer, 2);
	ck_assert_int_eq(p.err_kind, ZC_L_TCP);
	ck_assert_uint_eq(p.err_off, 34);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);
	ck_assert_uint_eq(zc_ipv4_ttl(*zc_pkt_ipv4(&p, 1)), 64);
}
END_TEST

START_TEST(fragments)
{
	fb f = { .n = 0 };
	zc_pkt p;
	uint8_t *ip, *fh;

	/* A first fragment: UDP's length covers the whole datagram, not this fragment. */
	eth(&f, ZC_ETH_P_IPV4);
	ip = ipv4(&f, ZC_IPPROTO_UDP, 8 + 32, ZC_IPV4_F_MF);
	udp(&f, ZC_VXLAN_PORT, 3000);
	fb_put(&f, NULL, 32);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	/* The VXLAN header and the frame after it are cut by fragmentation, quietly. */
	ck_assert_int_eq(zc_pkt_kind(&p, 2), ZC_L_UDP);
	ck_assert_int_eq(p.cut, 0);
	ck_assert(zc_udp_is_cut(*zc_pkt_udp(&p, 2)));

	/* A later fragment has no UDP header. */
	put16(ip + 6, 100);
	put16(ip + 10, 0);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV4);

	/* IPv6: a later fragment ends at the IPv6 layer. */
	f.n = 0;
	eth(&f, ZC_ETH_P_IPV6);
	ipv6(&f, ZC_IPPROTO_FRAGMENT, 8 + 16);
	fh = fb_put(&f, NULL, 8);
	fh[0] = ZC_IPPROTO_UDP;
	put16(fh + 2, 64);
	fb_put(&f, NULL, 16);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6);
	/* A first one carries UDP. */
	put16(fh + 2, ZC_IPV6_FRAG_M);
	put16(f.b + 14 + 48 + 4, 1000);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	EXPECT_KINDS(&p, ZC_L_ETH, ZC_L_IPV6, ZC_L_UDP);
}
END_TEST

/* IPv4 in IPv4 nested n times around UDP. */
static void build_nested(fb *f, unsigned n)
{
	unsigned i;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	for (i = 0; i <= n; i++)
		ipv4(f, i == n ? ZC_IPPROTO_UDP : ZC_IPPROTO_IPIP, 20 * (n - i) + 8, 0);
	udp(f, 9, 0);
}

START_TEST(depth_cap)
{
	fb f;
	zc_pkt p;

	build_nested(&f, ZC_PKT_MAX_DEPTH);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &p), ZC_OK);
	ck_assert_uint_eq(zc_pkt_count(&p), ZC_PKT_MAX_DEPTH + 3);
	ck_assert_uint_eq(zc_pkt_layer(&p, ZC_PKT_MAX_DEPTH + 1)->depth, ZC_PKT_MAX_DEPTH);

	build_nested(&f, ZC_PKT_MAX_DEPTH + 1);
	ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p), ZC_E_TOO_DEEP);
	ck_assert_uint_eq(zc_pkt_count(&p), ZC_PKT_MAX_DEPTH + 2);
	ck_assert_uint_eq(p.err_layer, ZC_PKT_MAX_DEPTH + 2);
	ck_assert_int_eq(p.err_kind, ZC_L_IPV4);
	ck_assert_uint_eq(p.err_off, 14 + 20 * (ZC_PKT_MAX_DEPTH + 1));
}
END_TEST

/* ---------------------------------------------------------------- every cut, random bytes */

typedef void (*builder)(fb *f);

static void build_quote_udp(fb *f) { build_icmp_quote(f, ZC_IPPROTO_UDP); }
static void build_nested_max(fb *f) { build_nested(f, ZC_PKT_MAX_DEPTH); }

/*
 * A valid frame cut at every length: never a crash or a read past the end
 * (the copy is exactly that long: ASan sees it), strict gives
 * ZC_E_TRUNCATED at the layer where the bytes end, lax gives ZC_OK with the
 * cut reported and never fewer layers than a shorter cut.
 */
START_TEST(every_cut_length)
{
	static const builder builders[] = { build_tcp4, build_vxlan, build_quote_udp, build_nested_max };
	unsigned bi;

	for (bi = 0; bi < sizeof builders / sizeof builders[0]; bi++) {
		fb f;
		zc_pkt full, p;
		size_t len;
		unsigned prev_n = 0;

		builders[bi](&f);
		ck_assert_int_eq(parse(&f, ZC_DLT_EN10MB, 0, &full), ZC_OK);
		for (len = 0; len <= f.n; len++) {
			zc_buf b = zc_test_dup(f.b, len);
			zc_err e = zc_parse(b, ZC_DLT_EN10MB, 0, &p);

			if (len == f.n) {
				ck_assert_int_eq(e, ZC_OK);
			} else {
				ck_assert_msg(e == ZC_E_TRUNCATED, "builder %u len %zu: %s", bi, len, zc_err_name(e));
				ck_assert_uint_eq(p.err_layer, p.n);
				ck_assert_uint_le(p.err_off, len);
			}
			e = zc_parse(b, ZC_DLT_EN10MB, ZC_PARSE_LAX, &p);
			ck_assert_msg(e == ZC_OK, "builder %u len %zu lax: %s", bi, len, zc_err_name(e));
			ck_assert_int_eq(p.cut, len < f.n);
			if (p.cut)
				ck_assert_uint_le(p.cut_off, len);
			ck_assert_uint_ge(p.n, prev_n);
			ck_assert_uint_le(p.n, full.n);
			prev_n = p.n;
			zc_test_free(b);
		}
		ck_assert_uint_eq(prev_n, full.n);
	}
}
END_TEST

START_TEST(random_bytes_never_crash)
{
	static const int lts[] = { ZC_DLT_EN10MB, ZC_DLT_RAW, ZC_LINKTYPE_IPV6, ZC_DLT_LINUX_SLL,
				   ZC_DLT_LINUX_SLL2, ZC_DLT_NULL, ZC_DLT_LOOP };
	uint32_t x = 2463534242u;
	unsigned i, j;

	for (i = 0; i < 20000; i++) {
		uint8_t tmp[200];
		size_t len;
		zc_buf b;
		zc_pkt p;
		zc_err e;
		fb f;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		len = x % sizeof tmp;
		/* Start from real frames half the time so that the walk gets deep. */
		if (i & 1) {
			build_vxlan(&f);
			memcpy(tmp, f.b, len < f.n ? len : f.n);
		}
		for (j = (i & 1) ? 14 : 0; j < len; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			if ((i & 1) && (x & 7))
				continue; /* keep most bytes of the real frame */
			tmp[j] = (uint8_t)(x >> 8);
		}
		b = zc_test_dup(tmp, len);
		e = zc_parse(b, lts[i % 7], (i >> 1) & 1 ? ZC_PARSE_LAX : 0, &p);
		ck_assert_uint_le(p.n, ZC_PKT_MAX_LAYERS);
		if (e != ZC_OK) {
			ck_assert_int_eq(p.err, e);
			ck_assert_uint_eq(p.err_layer, p.n);
			ck_assert_uint_le(p.err_off, len);
		}
		for (j = 0; j < p.n; j++) {
			ck_assert_uint_le(p.l[j].off, len);
			ck_assert_uint_le(p.l[j].depth, ZC_PKT_MAX_DEPTH);
		}
		zc_test_free(b);
	}
}
END_TEST

/* ---------------------------------------------------------------- outer walks, the fast path */

/* Ethernet with a VLAN tag, IPv6, UDP with 12 bytes of data. */
static void build_udp6_vlan(fb *f)
{
	f->n = 0;
	eth_vlan(f, ZC_ETH_P_VLAN, 7, ZC_ETH_P_IPV6);
	ipv6(f, ZC_IPPROTO_UDP, 8 + 12);
	udp(f, 53, 12);
	fb_put(f, NULL, 12);
}

/* Ethernet, IPv6 with a hop-by-hop header, TCP. */
static void build_tcp6_ext(fb *f)
{
	uint8_t *h;

	f->n = 0;
	eth(f, ZC_ETH_P_IPV6);
	ipv6(f, ZC_IPPROTO_HOPOPTS, 8 + 20);
	h = fb_put(f, NULL, 8);
	h[0] = ZC_IPPROTO_TCP;
	h[2] = 1; /* PadN over the rest */
	h[3] = 4;
	tcp(f, 0);
}

/* The first fragment of an IPv4 datagram: TCP in it, MF set. */
static void build_frag4(fb *f)
{
	f->n = 0;
	eth(f, ZC_ETH_P_IPV4);
	ipv4(f, ZC_IPPROTO_TCP, 24, ZC_IPV4_F_MF);
	tcp(f, 4);
}

static void build_ipip(fb *f) { build_nested(f, 1); }

/* Everything zc_parse() reports, compared; the records are compared whole. */
static void expect_same_pkt(const zc_pkt *a, const zc_pkt *b, const char *what, size_t len, unsigned flags)
{
	unsigned i;

	ck_assert_msg(a->err == b->err && a->n == b->n && a->cut == b->cut && a->stop_kind == b->stop_kind,
		      "%s len %zu flags %#x: err %s/%s n %u/%u cut %u/%u stop %u/%u", what, len, flags,
		      zc_err_name(a->err), zc_err_name(b->err), a->n, b->n, a->cut, b->cut, a->stop_kind,
		      b->stop_kind);
	if (a->err != ZC_OK)
		ck_assert_msg(a->err_layer == b->err_layer && a->err_kind == b->err_kind && a->err_off == b->err_off,
			      "%s len %zu flags %#x: error fields differ", what, len, flags);
	if (a->cut)
		ck_assert_msg(a->cut_layer == b->cut_layer && a->cut_kind == b->cut_kind && a->cut_off == b->cut_off,
			      "%s len %zu flags %#x: cut fields differ", what, len, flags);
	if (a->stop_kind != ZC_L_NONE)
		ck_assert_msg(a->stop_off == b->stop_off && a->stop_len == b->stop_len,
			      "%s len %zu flags %#x: stop fields differ", what, len, flags);
	for (i = 0; i < a->n; i++)
		ck_assert_msg(memcmp(&a->l[i], &b->l[i], sizeof a->l[i]) == 0, "%s len %zu flags %#x: layer %u differs",
			      what, len, flags, i);
}

/* One frame through the fast path and through the general loop, under every flag. */
static void fast_vs_general(const uint8_t *bytes, size_t len, const char *what)
{
	static const unsigned flag_sets[] = { 0, ZC_PARSE_LAX, ZC_PARSE_OUTER, ZC_PARSE_LAX | ZC_PARSE_OUTER };
	static zc_pkt fast, gen;
	zc_buf b = zc_test_dup(bytes, len);
	unsigned i;

	for (i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
		zc_err ef, eg;

		/* The same starting bytes, so that a whole-record comparison is fair. */
		memset(&fast, 0, sizeof fast);
		memset(&gen, 0, sizeof gen);
		ef = zc_parse(b, ZC_DLT_EN10MB, flag_sets[i], &fast);
		eg = zc_parse(b, ZC_DLT_EN10MB, flag_sets[i] | ZC_PARSE_GENERAL, &gen);
		ck_assert_int_eq(ef, eg);
		expect_same_pkt(&fast, &gen, what, len, flag_sets[i]);
	}
	zc_test_free(b);
}

/*
 * The fast path gives what the general loop gives, to the byte: on frames
 * it handles, on frames it hands over part way (tunnels, quotes, IP in IP,
 * extension headers, fragments), cut at every length, and with every one of
 * their first 80 bytes changed in turn (lengths, versions, header lengths,
 * protocols, ports and tags all go through values that fail or divert).
 */
START_TEST(fast_path_agrees_with_general_loop)
{
	static const builder builders[] = { build_tcp4,     build_vxlan,    build_quote_udp, build_nested_max,
					    build_udp6_vlan, build_tcp6_ext, build_frag4,     build_ipip };
	static const uint8_t values[] = { 0x00, 0x01, 0x06, 0x11, 0x29, 0x2f, 0x3a, 0x40,
					  0x45, 0x4f, 0x60, 0x81, 0x86, 0x88, 0xdd, 0xff };
	uint32_t x = 88172645u;
	unsigned bi, j, k, r;

	for (bi = 0; bi < sizeof builders / sizeof builders[0]; bi++) {
		fb f;
		size_t len;

		builders[bi](&f);
		for (len = 0; len <= f.n; len++)
			fast_vs_general(f.b, len, "cut");
		for (j = 0; j < 80 && j < f.n; j++) {
			for (k = 0; k < sizeof values; k++) {
				uint8_t old = f.b[j];

				f.b[j] = values[k];
				fast_vs_general(f.b, f.n, "changed byte");
				f.b[j] = old;
			}
		}
		/* A few bytes at random, many times. */
		for (r = 0; r < 2000; r++) {
			fb g = f;

			for (k = 0; k < 3; k++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				g.b[x % f.n] = (uint8_t)(x >> 24);
			}
			fast_vs_general(g.b, g.n, "random bytes");
		}
	}
}
END_TEST

/* ZC_PARSE_OUTER makes the first layers of the full walk, up to the first transport layer. */
START_TEST(outer_stops_at_the_first_transport_layer)
{
	static const struct {
		builder build;
		unsigned n; /* layers of the outer walk */
	} cases[] = { { build_tcp4, 3 },      { build_vxlan, 3 },     { build_quote_udp, 3 }, { build_nested_max, 2 },
		      { build_udp6_vlan, 3 }, { build_tcp6_ext, 3 }, { build_frag4, 3 },     { build_ipip, 2 } };
	unsigned i, j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fb f;
		zc_pkt full, outer;

		cases[i].build(&f);
		/* Bytes of a record that no view covers stay as they were: the same in both. */
		memset(&full, 0, sizeof full);
		memset(&outer, 0, sizeof outer);
		ck_assert_msg(parse(&f, ZC_DLT_EN10MB, 0, &full) == ZC_OK, "case %u: %s", i, zc_err_name(full.err));
		ck_assert_msg(parse(&f, ZC_DLT_EN10MB, ZC_PARSE_OUTER, &outer) == ZC_OK, "case %u: %s", i,
			      zc_err_name(outer.err));
		ck_assert_msg(outer.n == cases[i].n, "case %u: %u layers", i, outer.n);
		ck_assert_uint_le(outer.n, full.n);
		ck_assert_int_eq(outer.stop_kind, ZC_L_NONE);
		for (j = 0; j < outer.n; j++) {
			ck_assert(memcmp(&outer.l[j], &full.l[j], sizeof outer.l[j]) == 0);
			ck_assert_uint_eq(outer.l[j].depth, 0);
		}
	}
}
END_TEST

static Suite *pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc = tcase_create("layers");
	TCase *tl = tcase_create("link types");
	TCase *tt = tcase_create("tunnels");
	TCase *te = tcase_create("truncation and errors");

	tcase_add_test(tc, ethernet_ipv4_tcp);
	tcase_add_test(tc, vlan_tags_and_arp);
	tcase_add_test(tc, unknown_upper_protocols_end_the_list);
	tcase_add_test(tl, raw_ip_link_types);
	tcase_add_test(tl, linux_cooked_link_types);
	tcase_add_test(tl, bsd_loopback_both_byte_orders);
	tcase_add_test(tl, unsupported_link_type);
	tcase_add_test(tt, vxlan);
	tcase_add_test(tt, geneve);
	tcase_add_test(tt, gre);
	tcase_add_test(tt, erspan);
	tcase_add_test(tt, ip_in_ip);
	tcase_add_test(tc, rarp);
	tcase_add_test(tt, icmp_quotes_are_parsed_and_cut_is_not_an_error);
	tcase_add_test(tt, icmpv6_quotes);
	tcase_add_test(te, lax_and_strict_truncation);
	tcase_add_test(te, truncation_inside_a_declared_length_is_an_error_even_lax);
	tcase_add_test(te, inner_packet_longer_than_its_carrier_is_invalid);
	tcase_add_test(te, inner_packet_of_a_cut_capture_is_truncated);
	tcase_add_test(te, offload_super_packet_ends_at_the_capture);
	tcase_add_test(te, errors_record_layer_and_offset);
	tcase_add_test(te, ipv6_option_past_its_header_ends_the_walk);
	tcase_add_test(te, fragments);
	tcase_add_test(te, depth_cap);
	tcase_add_test(te, every_cut_length);
	tcase_add_test(te, random_bytes_never_crash);
	tcase_add_test(te, fast_path_agrees_with_general_loop);
	tcase_add_test(tc, outer_stops_at_the_first_transport_layer);
	tcase_set_timeout(te, 60);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	suite_add_tcase(s, tt);
	suite_add_tcase(s, te);
	return s;
}

int main(void)
{
	return zc_test_run(pkt_suite());
}
