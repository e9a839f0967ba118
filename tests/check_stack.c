/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_stack.c - libzcstack's sans-I/O core on a fake clock: frames
 * in, the frames it sends captured, every answer checked with the views.
 * ARP (answers, learning, the waiting queue, retries, ageing), ICMP echo
 * and errors, UDP sockets (ring and zero-copy delivery), the TUN link, the
 * exhaustion of every table, the DHCP client, and random frames.
 */
#include "config.h"

#include <stdio.h>

#include "testutil.h"
#include "zc/stack/stack.h"

#define OUR_IP 0x0a4d0002u   /* 10.77.0.2 */
#define PEER_IP 0x0a4d0001u  /* 10.77.0.1 */
#define OTHER_IP 0x0a4d0009u /* 10.77.0.9 */
#define GW_IP 0x0a4d00feu    /* 10.77.0.254 */

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x0a, 0x4d, 0x00, 0x02 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x0a, 0x4d, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* What the stack sent. */
#define CAP_FRAMES 64
/* The header of a record in a UDP socket's ring: the sender (a family byte and 16 address bytes, padded to 18), port, length. */
#define UDP_REC 22
static struct {
	uint8_t f[CAP_FRAMES][9100];
	size_t len[CAP_FRAMES];
	unsigned n;
	int refuse; /* the callback's return value */
} cap;

static int capture(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	ck_assert_uint_le(len, sizeof cap.f[0]);
	if (cap.n < CAP_FRAMES) {
		memcpy(cap.f[cap.n], frame, len);
		cap.len[cap.n] = len;
	}
	cap.n++;
	return cap.refuse;
}

static zcs_config config(int link)
{
	zcs_config c;

	memset(&c, 0, sizeof c);
	c.link = link;
	memcpy(c.mac, our_mac, 6);
	c.addr = OUR_IP;
	c.prefix_len = 24;
	c.tx = capture;
	return c;
}

static zcs_stack *make(zcs_config c)
{
	zcs_stack *s;

	memset(&cap, 0, sizeof cap);
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_OK);
	return s;
}

static zcs_stats stats(zcs_stack *s)
{
	zcs_stats st;

	zcs_stats_get(s, &st);
	return st;
}

/* ---------------------------------------------------------------- frame builders */

typedef struct frame {
	uint8_t b[9100];
	size_t n;
} frame;

static void put_eth(frame *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	zc_store_be16(f->b + 12, type);
	f->n = 14;
}

static void arp_frame(frame *f, uint16_t op, const uint8_t *sha, uint32_t spa, uint32_t tpa, const uint8_t *eth_dst)
{
	uint8_t *a;

	put_eth(f, eth_dst, sha, ZC_ETH_P_ARP);
	a = f->b + 14;
	zc_store_be16(a + ZC_ARP_HTYPE_OFF, 1);
	zc_store_be16(a + ZC_ARP_PTYPE_OFF, ZC_ETH_P_IPV4);
	a[4] = 6;
	a[5] = 4;
	zc_store_be16(a + ZC_ARP_OP_OFF, op);
	memcpy(a + ZC_ARP_SHA_OFF, sha, 6);
	zc_store_be32(a + ZC_ARP_SPA_OFF, spa);
	memset(a + ZC_ARP_THA_OFF, 0, 6);
	zc_store_be32(a + ZC_ARP_TPA_OFF, tpa);
	f->n = 14 + ZC_ARP_LEN;
}

/* IPv4 at off (14 on Ethernet, 0 raw) with l4 bytes of proto, sums filled. */
static uint8_t *ipv4_at(frame *f, size_t off, uint32_t src, uint32_t dst, uint8_t proto, const void *l4, size_t l4len)
{
	uint8_t *ip = f->b + off;
	zc_ipv4 v;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	zc_store_be16(ip + 2, (uint16_t)(20 + l4len));
	zc_store_be16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = proto;
	zc_store_be32(ip + 12, src);
	zc_store_be32(ip + 16, dst);
	memcpy(ip + 20, l4, l4len);
	f->n = off + 20 + l4len;
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(ip, 20 + l4len), &v), ZC_OK);
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;
		ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(v), &u), ZC_OK);
		zc_udp_csum_fill(zc_test_rw_udp(u), zc_ipv4_pseudo(v, l4len));
	} else if (proto == ZC_IPPROTO_TCP) {
		zc_tcp t;
		ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(v), &t), ZC_OK);
		zc_tcp_csum_fill(zc_test_rw_tcp(t), zc_ipv4_pseudo(v, l4len));
	} else if (proto == ZC_IPPROTO_ICMP) {
		zc_icmp4 m;
		ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(v), &m), ZC_OK);
		zc_icmp4_csum_fill(zc_test_rw_icmp4(m));
	}
	return ip;
}

static void echo_request(frame *f, size_t off, uint32_t dst, size_t data_len)
{
	uint8_t m[9000];
	size_t i;

	ck_assert_uint_le(8 + data_len, sizeof m);
	memset(m, 0, sizeof m);
	m[0] = ZC_ICMP4_ECHO_REQUEST;
	zc_store_be16(m + 4, 0x4242); /* identifier */
	zc_store_be16(m + 6, 7);      /* sequence */
	for (i = 0; i < data_len; i++)
		m[8 + i] = (uint8_t)(i * 7 + 1);
	if (off)
		put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, off, PEER_IP, dst, ZC_IPPROTO_ICMP, m, 8 + data_len);
}

static void udp_frame(frame *f, uint16_t sport, uint16_t dport, const void *data, size_t len)
{
	uint8_t d[9000];

	ck_assert_uint_le(8 + len, sizeof d);
	zc_store_be16(d, sport);
	zc_store_be16(d + 2, dport);
	zc_store_be16(d + 4, (uint16_t)(8 + len));
	zc_store_be16(d + 6, 0);
	memcpy(d + 8, data, len);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, 14, PEER_IP, OUR_IP, ZC_IPPROTO_UDP, d, 8 + len);
}

static zc_err input(zcs_stack *s, frame *f, uint64_t now)
{
	/* A heap copy of exactly the frame: AddressSanitizer sees any over-read. */
	zc_buf b = zc_test_dup(f->b, f->n);
	zc_err e = zcs_input(s, b, now);

	zc_test_free(b);
	return e;
}

/* Teaches the stack the peer's address, as its ARP request would. */
static void learn_peer(zcs_stack *s)
{
	frame f;

	arp_frame(&f, ZC_ARP_OP_REQUEST, peer_mac, PEER_IP, OUR_IP, bcast);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	cap.n = 0;
}

/* Parses captured frame i as Ethernet, checking its type. */
static zc_eth sent_eth(unsigned i, uint16_t type)
{
	zc_eth eth;

	ck_assert_uint_lt(i, cap.n);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(cap.f[i], cap.len[i]), &eth), ZC_OK);
	ck_assert_uint_eq(zc_eth_type(eth), type);
	return eth;
}

/* Parses captured frame i as Ethernet + IPv4, checking the header sum. */
static zc_ipv4 sent_ipv4(unsigned i, zc_eth *eth_out)
{
	zc_eth eth = sent_eth(i, ZC_ETH_P_IPV4);
	zc_ipv4 ip;

	ck_assert_mem_eq(zc_eth_src(eth), our_mac, 6);
	ck_assert_int_eq(zc_ipv4_parse(zc_eth_payload(eth), &ip), ZC_OK);
	ck_assert(zc_ipv4_csum_ok(ip));
	ck_assert_uint_eq(zc_ipv4_src(ip), OUR_IP);
	if (eth_out)
		*eth_out = eth;
	return ip;
}

static zc_arp sent_arp(unsigned i, const uint8_t *dst)
{
	zc_eth eth = sent_eth(i, ZC_ETH_P_ARP);
	zc_arp a;

	ck_assert_mem_eq(zc_eth_dst(eth), dst, 6);
	ck_assert_int_eq(zc_arp_parse(zc_eth_payload(eth), &a), ZC_OK);
	ck_assert_mem_eq(zc_arp_sha(a), our_mac, 6);
	ck_assert_uint_eq(zc_arp_spa(a), OUR_IP);
	return a;
}

/* ---------------------------------------------------------------- tests */

START_TEST(bad_configurations_are_refused)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s = (zcs_stack *)&c;

	ck_assert_int_eq(zcs_create(NULL, 0, &s), ZC_E_ARG);
	c.mtu = 100;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	ck_assert_ptr_null(s);
	c = config(ZCS_LINK_ETH);
	c.prefix_len = 0;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c = config(ZCS_LINK_ETH);
	c.mac[0] = 0x01; /* multicast */
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c = config(ZCS_LINK_ETH);
	c.addr = 0xe0000001u;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c = config(ZCS_LINK_ETH);
	c.tx = NULL;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c = config(7);
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c = config(ZCS_LINK_ETH);
	c.tcp_retries = 16;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
}
END_TEST

START_TEST(memory_is_what_the_tables_need)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s;
	size_t small, big;

	s = make(c);
	small = zcs_memory(s);
	zcs_destroy(s);
	c.udp_sockets = 64;
	c.udp_ring_bytes = 65536;
	s = make(c);
	big = zcs_memory(s);
	zcs_destroy(s);
	/* 56 more rings of 64 KiB, and the 8 default ones grown from 16 KiB. */
	ck_assert_uint_ge(big - small, 56u * 65536 + 8u * (65536 - 16384));
	/*
	 * Defaults: 8 UDP rings and 8 pairs of TCP rings of 16 KiB, 8 waiting
	 * frames and a fragment being built, 4 reassembly slots and a datagram
	 * being built of 16 KiB each, and a little more.
	 */
	ck_assert_uint_ge(small, 24u * 16384 + 9u * (14 + 1500) + 5u * 16384);
	ck_assert_uint_lt(small, 24u * 16384 + 9u * 1536 + 5u * (16384 + 400) + 8192);
}
END_TEST

START_TEST(gratuitous_arp_at_start)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zc_arp a;

	ck_assert_uint_eq(cap.n, 1);
	a = sent_arp(0, bcast);
	ck_assert_uint_eq(zc_arp_op(a), ZC_ARP_OP_REQUEST);
	ck_assert_uint_eq(zc_arp_tpa(a), OUR_IP);
	ck_assert_uint_eq(stats(s).arp_requests_sent, 1);
	zcs_destroy(s);

	/* A TUN link has no ARP. */
	s = make(config(ZCS_LINK_IP));
	ck_assert_uint_eq(cap.n, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(arp_requests_for_us_are_answered_and_teach_the_sender)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;
	zc_arp a;

	cap.n = 0;
	arp_frame(&f, ZC_ARP_OP_REQUEST, peer_mac, PEER_IP, OUR_IP, bcast);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	a = sent_arp(0, peer_mac);
	ck_assert_uint_eq(zc_arp_op(a), ZC_ARP_OP_REPLY);
	ck_assert_mem_eq(zc_arp_tha(a), peer_mac, 6);
	ck_assert_uint_eq(zc_arp_tpa(a), PEER_IP);
	ck_assert_uint_eq(stats(s).arp_replies_sent, 1);

	/* The sender was learnt: a datagram to it goes out at once, no request. */
	cap.n = 0;
	{
		int u = zcs_udp_open(s);
		zcs_addr4 to = { PEER_IP, 9 };
		zc_eth eth;

		ck_assert_int_ge(u, 0);
		ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_OK);
		ck_assert_uint_eq(cap.n, 1);
		sent_ipv4(0, &eth);
		ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
	}

	/* A request for another host is not ours to answer. */
	cap.n = 0;
	arp_frame(&f, ZC_ARP_OP_REQUEST, peer_mac, PEER_IP, OTHER_IP, bcast);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK); /* it refreshed the peer's entry */
	ck_assert_uint_eq(cap.n, 0);
	/* One claiming our own address teaches nothing. */
	arp_frame(&f, ZC_ARP_OP_REQUEST, peer_mac, OUR_IP, OUR_IP, bcast);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(stats(s).drop_arp_bad, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(echo_requests_are_answered)
{
	static const size_t sizes[] = { 0, 1, 56, 1472 };
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	size_t k;

	learn_peer(s);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		frame f;
		zc_ipv4 ip;
		zc_icmp4 m;
		zc_eth eth;

		cap.n = 0;
		echo_request(&f, 14, OUR_IP, sizes[k]);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
		ck_assert_uint_eq(cap.n, 1);
		ip = sent_ipv4(0, &eth);
		ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
		ck_assert_uint_eq(zc_ipv4_dst(ip), PEER_IP);
		ck_assert_uint_eq(zc_ipv4_proto(ip), ZC_IPPROTO_ICMP);
		ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(ip), &m), ZC_OK);
		ck_assert(zc_icmp4_csum_ok(m));
		ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_ECHO_REPLY);
		/* Identifier, sequence and data come back as sent. */
		ck_assert_uint_eq(zc_icmp4_msg_len(m), 8 + sizes[k]);
		ck_assert_mem_eq(zc_ipv4_payload(ip).p + 4, f.b + 14 + 20 + 4, 4 + sizes[k]);
	}
	ck_assert_uint_eq(stats(s).icmp_echo_replies, 4);
	zcs_destroy(s);
}
END_TEST

START_TEST(bad_frames_are_dropped_and_counted)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;

	learn_peer(s);
	/* A bad IP header checksum. */
	echo_request(&f, 14, OUR_IP, 8);
	f.b[14 + 10] ^= 1;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_ip_bad, 1);
	/* A bad ICMP checksum. */
	echo_request(&f, 14, OUR_IP, 8);
	f.b[14 + 20 + 8] ^= 1;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_icmp_bad, 1);
	/* For another address, and for another MAC. */
	echo_request(&f, 14, OTHER_IP, 8);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(stats(s).drop_ip_not_ours, 1);
	echo_request(&f, 14, OUR_IP, 8);
	f.b[5] ^= 1;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(stats(s).drop_not_ours, 1);
	/* Cut short. */
	echo_request(&f, 14, OUR_IP, 8);
	f.n = 13;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_link, 1);
	echo_request(&f, 14, OUR_IP, 8);
	f.n = 30;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_ip_bad, 2);
	/* A first fragment is held, unanswered, until the rest comes. */
	echo_request(&f, 14, OUR_IP, 8);
	f.b[14 + 6] = 0x20; /* MF */
	{
		zc_ipv4 v;
		ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(f.b + 14, f.n - 14), &v), ZC_OK);
		zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	}
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(stats(s).frag_reassembled, 0);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(stats(s).rx_frames, 7 + 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(closed_ports_get_port_unreachable)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;
	zc_ipv4 ip, q;
	zc_icmp4 m;
	zc_udp u;

	learn_peer(s);
	udp_frame(&f, 40000, 5353, "hello", 5);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(stats(s).drop_udp_closed, 1);
	ck_assert_uint_eq(cap.n, 1);
	ip = sent_ipv4(0, NULL);
	ck_assert_uint_eq(zc_ipv4_dst(ip), PEER_IP);
	ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(ip), &m), ZC_OK);
	ck_assert(zc_icmp4_csum_ok(m));
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_DEST_UNREACH);
	ck_assert_uint_eq(zc_icmp4_code(m), 3);
	/* The quote is the datagram as it came, header first (RFC 792). */
	ck_assert_int_eq(zc_ipv4_parse(zc_icmp4_payload(m), &q), ZC_OK);
	ck_assert_uint_eq(zc_ipv4_src(q), PEER_IP);
	ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(q), &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_dst_port(u), 5353);
	ck_assert_mem_eq(zc_icmp4_payload(m).p, f.b + 14, f.n - 14);
	ck_assert_uint_eq(stats(s).icmp_unreach_sent, 1);

	/* A protocol the stack does not serve: protocol unreachable. */
	cap.n = 0;
	put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(&f, 14, PEER_IP, OUR_IP, 132 /* SCTP */, "12345678", 8);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 1);
	ip = sent_ipv4(0, NULL);
	ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(ip), &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_code(m), 2);

	/* No error about an error's datagram to a broadcast address. */
	cap.n = 0;
	put_eth(&f, bcast, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(&f, 14, PEER_IP, 0x0a4d00ffu, 132, "12345678", 8);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(udp_ring_delivers_in_order_and_counts_what_did_not_fit)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s;
	char buf[64];
	zcs_addr4 from;
	frame f;
	int u, i;

	/* Each record is a header (the sender of either family, its port, the length) and the payload. */
	c.udp_ring_bytes = 3 * (UDP_REC + 20) + 20;
	s = make(c);
	u = zcs_udp_open(s);
	ck_assert_int_ge(u, 0);
	ck_assert_int_eq(zcs_udp_bind(s, u, 7), ZC_OK);
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), ZC_E_AGAIN);
	/* Three of 20 fit, not four. */
	for (i = 0; i < 4; i++) {
		char d[20];
		memset(d, 'a' + i, sizeof d);
		udp_frame(&f, (uint16_t)(1000 + i), 7, d, sizeof d);
		ck_assert_int_eq(input(s, &f, 0), i < 3 ? ZC_OK : ZC_E_AGAIN);
	}
	ck_assert_uint_eq(zcs_udp_pending(s, u), 3);
	ck_assert_uint_eq(stats(s).drop_udp_ring_full, 1);
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), 20);
	ck_assert_uint_eq(from.addr, PEER_IP);
	ck_assert_uint_eq(from.port, 1000);
	ck_assert_int_eq(buf[0], 'a');
	/* A short buffer takes the front of the datagram; the rest is gone. */
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, 5, &from), 5);
	ck_assert_uint_eq(from.port, 1001);
	/* The ring wraps: room again for two. */
	for (i = 0; i < 2; i++) {
		char d[20];
		memset(d, 'x' + i, sizeof d);
		udp_frame(&f, (uint16_t)(2000 + i), 7, d, sizeof d);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	}
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), 20);
	ck_assert_int_eq(buf[19], 'c');
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), 20);
	ck_assert_int_eq(buf[0], 'x');
	ck_assert_int_eq(buf[19], 'x');
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), 20);
	ck_assert_int_eq(buf[7], 'y');
	ck_assert_uint_eq(from.port, 2001);
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).udp_rx, 5);

	/* A bad UDP checksum is dropped before any socket sees it. */
	udp_frame(&f, 1, 7, "zz", 2);
	f.b[f.n - 1] ^= 0x40;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_udp_bad, 1);
	ck_assert_uint_eq(zcs_udp_pending(s, u), 0);
	zcs_destroy(s);
}
END_TEST

static struct {
	const uint8_t *lo, *hi;
	int calls;
	int sock;
	zcs_addr4 from;
	char first;
} seen;

static void on_datagram(void *ctx, int sock, const zcs_addr4 *from, zc_buf payload)
{
	ck_assert_ptr_eq(ctx, &seen);
	/* The payload is a view over the frame given to zcs_input(): no copy. */
	ck_assert(payload.p >= seen.lo && payload.p + payload.len <= seen.hi);
	seen.calls++;
	seen.sock = sock;
	seen.from = *from;
	seen.first = (char)payload.p[0];
}

START_TEST(udp_callback_gets_a_view_over_the_frame)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;
	zc_buf b;
	int u;

	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_bind(s, u, 53), ZC_OK);
	ck_assert_int_eq(zcs_udp_set_recv(s, u, on_datagram, &seen), ZC_OK);
	udp_frame(&f, 33333, 53, "query", 5);
	b = zc_test_dup(f.b, f.n);
	seen.lo = b.p;
	seen.hi = b.p + b.len;
	ck_assert_int_eq(zcs_input(s, b, 0), ZC_OK);
	zc_test_free(b);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_int_eq(seen.sock, u);
	ck_assert_uint_eq(seen.from.port, 33333);
	ck_assert_int_eq(seen.first, 'q');
	ck_assert_uint_eq(zcs_udp_pending(s, u), 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(sending_waits_for_arp_then_flushes_in_order)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zcs_addr4 to = { PEER_IP, 9999 };
	frame f;
	zc_arp a;
	int u;

	cap.n = 0;
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "one", 3, 0), ZC_OK);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "two", 3, 10), ZC_OK);
	/* One request, nothing else yet. */
	ck_assert_uint_eq(cap.n, 1);
	a = sent_arp(0, bcast);
	ck_assert_uint_eq(zc_arp_op(a), ZC_ARP_OP_REQUEST);
	ck_assert_uint_eq(zc_arp_tpa(a), PEER_IP);
	/* The reply releases both datagrams, in order, to the replier's MAC. */
	arp_frame(&f, ZC_ARP_OP_REPLY, peer_mac, PEER_IP, OUR_IP, our_mac);
	ck_assert_int_eq(input(s, &f, 20), ZC_OK);
	ck_assert_uint_eq(cap.n, 3);
	{
		zc_eth eth;
		zc_ipv4 ip = sent_ipv4(1, &eth);
		zc_udp d;

		ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
		ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(ip), &d), ZC_OK);
		ck_assert(zc_udp_csum_ok(d, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)), ZC_UDP_OVER_IPV4));
		ck_assert_uint_ge(zc_udp_src_port(d), 49152);
		ck_assert_uint_eq(zc_udp_dst_port(d), 9999);
		ck_assert_mem_eq(zc_udp_payload(d).p, "one", 3);
		ip = sent_ipv4(2, NULL);
		ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(ip), &d), ZC_OK);
		ck_assert_mem_eq(zc_udp_payload(d).p, "two", 3);
	}
	ck_assert_uint_eq(stats(s).udp_tx, 2);
	zcs_destroy(s);
}
END_TEST

START_TEST(unanswered_arp_is_retried_then_dropped)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zcs_addr4 to = { OTHER_IP, 9 };
	uint64_t t;
	int u;

	cap.n = 0;
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	t = zcs_poll(s, 0);
	ck_assert_uint_eq(t, ZCS_ARP_RETRY_US);
	ck_assert_uint_eq(zcs_poll(s, t - 1), t); /* not yet */
	ck_assert_uint_eq(cap.n, 1);
	t = zcs_poll(s, t);
	ck_assert_uint_eq(cap.n, 2);
	t = zcs_poll(s, t);
	ck_assert_uint_eq(cap.n, 3);
	ck_assert_uint_eq(stats(s).arp_requests_sent, 1 + 3);
	/* The third request went unanswered too: the datagram is dropped, the entry freed. */
	ck_assert_uint_eq(zcs_poll(s, t), ZCS_NEVER);
	ck_assert_uint_eq(cap.n, 3);
	ck_assert_uint_eq(stats(s).drop_neigh_timeout, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(arp_entries_age)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zcs_addr4 to = { PEER_IP, 9 };
	int u = zcs_udp_open(s);

	learn_peer(s);
	ck_assert_uint_eq(zcs_poll(s, 0), ZCS_ARP_REACHABLE_US);
	ck_assert_uint_eq(zcs_poll(s, ZCS_ARP_REACHABLE_US), ZCS_NEVER);
	/* Forgotten: the next datagram asks again. */
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, ZCS_ARP_REACHABLE_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_arp_op(sent_arp(0, bcast)), ZC_ARP_OP_REQUEST);
	zcs_destroy(s);
}
END_TEST

START_TEST(every_table_runs_out_cleanly)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_addr4 to = { OTHER_IP, 9 };
	zcs_stack *s;
	int u, v, i;

	c.arp_pending = 2;
	c.arp_entries = 2;
	c.udp_sockets = 2;
	s = make(c);
	u = zcs_udp_open(s);
	v = zcs_udp_open(s);
	ck_assert_int_ge(u, 0);
	ck_assert_int_ge(v, 0);
	ck_assert_int_eq(zcs_udp_open(s), ZC_E_NOBUFS);
	ck_assert_int_eq(zcs_udp_bind(s, u, 7), ZC_OK);
	ck_assert_int_eq(zcs_udp_bind(s, v, 7), ZC_E_ADDRINUSE);
	ck_assert_int_eq(zcs_udp_close(s, v), ZC_OK);
	ck_assert_int_eq(zcs_udp_close(s, v), ZC_E_ARG);
	ck_assert_int_ge(zcs_udp_open(s), 0);
	/* Two packets may wait; the third may not. */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), i < 2 ? ZC_OK : ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).drop_neigh_pending_full, 1);
	/* Two entries, both waiting: a third next hop cannot be asked for. */
	to.addr = OTHER_IP + 1;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_E_AGAIN);
	to.addr = OTHER_IP + 2;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).drop_neigh_table_full, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(sending_checks_size_and_route)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_addr4 off_net = { 0xc0000201u, 53 };
	static uint8_t big[16384];
	zcs_stack *s;
	zc_arp a;
	int u;

	s = make(c);
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &off_net, big, 1472, 0), ZC_E_NOROUTE);
	off_net.addr = PEER_IP;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &off_net, big, 16384 - 28 + 1, 0), ZC_E_MSGSIZE);
	ck_assert_int_eq(zcs_udp_sendto(s, 99, &off_net, big, 1, 0), ZC_E_ARG);
	zcs_destroy(s);

	/* With a gateway, off the subnet means ARP for the gateway. */
	c.gateway = GW_IP;
	s = make(c);
	cap.n = 0;
	u = zcs_udp_open(s);
	off_net.addr = 0xc0000201u;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &off_net, big, 100, 0), ZC_OK);
	a = sent_arp(0, bcast);
	ck_assert_uint_eq(zc_arp_tpa(a), GW_IP);
	zcs_destroy(s);
}
END_TEST

START_TEST(tun_link_speaks_ip)
{
	zcs_stack *s = make(config(ZCS_LINK_IP));
	zc_ipv4 ip;
	zc_icmp4 m;
	frame f;

	echo_request(&f, 0, OUR_IP, 32);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(cap.f[0], cap.len[0]), &ip), ZC_OK);
	ck_assert_uint_eq(cap.len[0], 20 + 8 + 32);
	ck_assert_uint_eq(zc_ipv4_dst(ip), PEER_IP);
	ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(ip), &m), ZC_OK);
	ck_assert_uint_eq(zc_icmp4_type(m), ZC_ICMP4_ECHO_REPLY);
	/* An IPv6 packet, with no IPv6 address configured, is not ours. */
	f.b[0] = 0x60;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	zcs_destroy(s);

	/* Point to point: a /32 still answers its peer, and the reply is counted only because it went. */
	{
		zcs_config c = config(ZCS_LINK_IP);

		c.prefix_len = 32;
		s = make(c);
		echo_request(&f, 0, OUR_IP, 8);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
		ck_assert_uint_eq(cap.n, 1);
		ck_assert_uint_eq(stats(s).icmp_echo_replies, 1);
		ck_assert_uint_eq(stats(s).tx_frames, 1);
		zcs_destroy(s);
	}
	/* On Ethernet, a reply with no route is not counted as sent. */
	{
		zcs_config c = config(ZCS_LINK_ETH);

		c.prefix_len = 32;
		s = make(c);
		cap.n = 0;
		echo_request(&f, 14, OUR_IP, 8);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
		ck_assert_uint_eq(cap.n, 0);
		ck_assert_uint_eq(stats(s).icmp_echo_replies, 0);
		zcs_destroy(s);
	}
}
END_TEST

START_TEST(a_refusing_device_is_counted)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;

	learn_peer(s);
	cap.refuse = -1;
	echo_request(&f, 14, OUR_IP, 8);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(stats(s).tx_fail, 1);
	zcs_destroy(s);
}
END_TEST

static void tcp_frame(frame *f, uint8_t flags, uint32_t seq, uint32_t ack, size_t data_len)
{
	uint8_t t[256];

	memset(t, 0, sizeof t);
	zc_store_be16(t, 40000);
	zc_store_be16(t + 2, 80);
	zc_store_be32(t + 4, seq);
	zc_store_be32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = flags;
	zc_store_be16(t + 14, 65535);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, 14, PEER_IP, OUR_IP, ZC_IPPROTO_TCP, t, 20 + data_len);
}

/* The reset the stack sent in frame i: its sequence, acknowledgement and flags. */
static void expect_rst(unsigned i, uint32_t seq, uint32_t ack, uint8_t flags)
{
	zc_ipv4 ip = sent_ipv4(i, NULL);
	zc_tcp t;

	ck_assert_uint_eq(zc_ipv4_proto(ip), ZC_IPPROTO_TCP);
	ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(ip), &t), ZC_OK);
	ck_assert(zc_tcp_csum_ok(t, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))));
	ck_assert_uint_eq(zc_tcp_src_port(t), 80);
	ck_assert_uint_eq(zc_tcp_dst_port(t), 40000);
	ck_assert_uint_eq(zc_tcp_seq(t), seq);
	ck_assert_uint_eq(zc_tcp_ack(t), ack);
	ck_assert_uint_eq(zc_tcp_flags(t), flags);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 0);
}

START_TEST(closed_tcp_ports_answer_with_a_reset)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;

	learn_peer(s);
	/* A SYN: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK> (RFC 9293 3.10.7.1). */
	tcp_frame(&f, ZC_TCP_SYN, 1000, 0, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 1);
	expect_rst(0, 0, 1001, ZC_TCP_RST | ZC_TCP_ACK);
	/* Data with an ACK: <SEQ=SEG.ACK><CTL=RST>. */
	cap.n = 0;
	tcp_frame(&f, ZC_TCP_ACK | ZC_TCP_PSH, 5000, 777, 10);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	expect_rst(0, 777, 0, ZC_TCP_RST);
	/* A FIN with data and no ACK: the FIN counts one. */
	cap.n = 0;
	tcp_frame(&f, ZC_TCP_FIN, 5000, 0, 10);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	expect_rst(0, 0, 5011, ZC_TCP_RST | ZC_TCP_ACK);
	/* A reset draws nothing; a bad checksum is dropped. */
	cap.n = 0;
	tcp_frame(&f, ZC_TCP_RST, 5000, 0, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	tcp_frame(&f, ZC_TCP_SYN, 5000, 0, 0);
	f.b[14 + 20 + 16] ^= 1;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(stats(s).drop_tcp_bad, 1);
	ck_assert_uint_eq(stats(s).drop_tcp_closed, 4);
	ck_assert_uint_eq(stats(s).tcp_rst_sent, 3);
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- TCP connections */

/* A segment from the peer (10.77.0.1:sport) to port dport; mss adds the option when not 0. */
static void tseg(frame *f, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		 const char *data, uint16_t mss)
{
	uint8_t t[2000];
	size_t hl = mss ? 24 : 20, n = data ? strlen(data) : 0;

	memset(t, 0, hl);
	zc_store_be16(t, sport);
	zc_store_be16(t + 2, dport);
	zc_store_be32(t + 4, seq);
	zc_store_be32(t + 8, ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	zc_store_be16(t + 14, win);
	if (mss) {
		t[20] = ZC_TCP_OPT_MSS;
		t[21] = 4;
		zc_store_be16(t + 22, mss);
	}
	if (n)
		memcpy(t + hl, data, n);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, 14, PEER_IP, OUR_IP, ZC_IPPROTO_TCP, t, hl + n);
}

/* Captured frame i as a TCP segment, its sums checked. */
static zc_tcp sent_tcp(unsigned i)
{
	zc_ipv4 ip = sent_ipv4(i, NULL);
	zc_tcp t;

	ck_assert_uint_eq(zc_ipv4_proto(ip), ZC_IPPROTO_TCP);
	ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(ip), &t), ZC_OK);
	ck_assert(zc_tcp_csum_ok(t, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))));
	return t;
}

/* How many of the captured segments from frame from on start at seq. */
static unsigned sent_at(unsigned from, uint32_t seq)
{
	unsigned i, n = 0;

	for (i = from; i < cap.n; i++)
		n += zc_tcp_seq(sent_tcp(i)) == seq;
	return n;
}

/* A connection from the peer's port 40000 to a listener on 80, established; *iss is the stack's ISN. */
static int tcp_established(zcs_stack *s, int *listener, uint32_t *iss)
{
	zc_tcp_optset o;
	zcs_addr4 peer;
	zc_tcp t;
	frame f;
	int c;

	learn_peer(s);
	*listener = zcs_tcp_listen(s, 80, 4);
	ck_assert_int_ge(*listener, 0);
	ck_assert_int_eq(zcs_tcp_get_state(s, *listener), ZCS_TCP_LISTEN);
	tseg(&f, 40000, 80, ZC_TCP_SYN, 1000, 0, 65535, NULL, 1460);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_SYN | ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(t), 1001);
	ck_assert_int_eq(zc_tcp_options(t, &o), ZC_OK);
	ck_assert(o.has_mss);
	ck_assert_uint_eq(o.mss, 1460);
	/* The peer offered no other option: none is sent back. */
	ck_assert(!o.has_wscale && !o.has_ts && !o.has_sack_perm);
	*iss = zc_tcp_seq(t);
	ck_assert_int_eq(zcs_tcp_accept(s, *listener, &peer), ZC_E_AGAIN); /* half open: not yet */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, *iss + 1, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	c = zcs_tcp_accept(s, *listener, &peer);
	ck_assert_int_ge(c, 0);
	ck_assert_uint_eq(peer.addr, PEER_IP);
	ck_assert_uint_eq(peer.port, 40000);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	cap.n = 0;
	return c;
}

START_TEST(tcp_passive_open_data_and_passive_close)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	char buf[64];
	zc_tcp t;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	/* Data in: acknowledged once the delayed-ACK timer runs out, and read in order. */
	tseg(&f, 40000, 80, ZC_TCP_ACK | ZC_TCP_PSH, 1001, iss + 1, 65535, "hello", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(zcs_poll(s, 0), ZCS_TCP_DELACK_US);
	(void)zcs_poll(s, ZCS_TCP_DELACK_US - 1);
	ck_assert_uint_eq(cap.n, 0);
	(void)zcs_poll(s, ZCS_TCP_DELACK_US);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_ack(t), 1006);
	ck_assert_uint_eq(zc_tcp_window(t), 16384 - 5);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 5);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), ZC_E_AGAIN);
	/* Data out: one segment, from ISN + 1, then acknowledged. */
	cap.n = 0;
	ck_assert_int_eq(zcs_tcp_send(s, c, "world!", 6, 0), 6);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_seq(t), iss + 1);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 6);
	ck_assert_mem_eq(zc_tcp_payload(t).p, "world!", 6);
	ck_assert_uint_eq(zcs_tcp_writable(s, c), 16384 - 6);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1006, iss + 7, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 10000), ZC_OK);
	ck_assert_uint_eq(zcs_tcp_writable(s, c), 16384);
	ck_assert_uint_eq(zcs_poll(s, 10000), ZCS_ARP_REACHABLE_US); /* nothing outstanding: no TCP timer */
	/* The peer closes: end of stream, CLOSE_WAIT; our close sends a FIN, LAST_ACK; its ACK frees the slot. */
	cap.n = 0;
	tseg(&f, 40000, 80, ZC_TCP_FIN | ZC_TCP_ACK, 1006, iss + 7, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 20000), ZC_OK);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(0)), 1007);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSE_WAIT);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), 0);
	ck_assert_int_eq(zcs_tcp_close(s, c, 20000), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	t = sent_tcp(1);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_FIN | ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_seq(t), iss + 7);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_LAST_ACK);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1007, iss + 8, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 30000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	ck_assert_int_eq(zcs_tcp_send(s, c, "x", 1, 0), ZC_E_ARG); /* the slot is free */
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_active_close_waits_in_time_wait)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	zc_tcp t;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	ck_assert_int_eq(zcs_tcp_close(s, c, 0), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_FIN_WAIT_1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_FIN | ZC_TCP_ACK);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 2, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 1000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_FIN_WAIT_2);
	cap.n = 0;
	tseg(&f, 40000, 80, ZC_TCP_FIN | ZC_TCP_ACK, 1001, iss + 2, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 2000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_TIME_WAIT);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(0)), 1002);
	/* Its FIN again (our ACK lost): acknowledged again, and 2 MSL from now. */
	ck_assert_int_eq(input(s, &f, 3000), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	(void)zcs_poll(s, 2000 + ZCS_TCP_TIME_WAIT_US);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_TIME_WAIT);
	(void)zcs_poll(s, 3000 + ZCS_TCP_TIME_WAIT_US);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_retransmits_with_backoff_then_gives_up)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint64_t t = 0, rto = ZCS_TCP_RTO_INIT_US;
	uint32_t iss;
	char buf[8];
	frame f;
	int l, c, k;

	c = tcp_established(s, &l, &iss);
	ck_assert_int_eq(zcs_tcp_send(s, c, "data", 4, 0), 4);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zcs_poll(s, 0), rto);
	for (k = 0; k < ZCS_TCP_RETRIES; k++) {
		/* Not a moment early. */
		(void)zcs_poll(s, t + rto - 1);
		ck_assert_uint_eq(cap.n, 1u + (unsigned)k);
		t += rto;
		/* The peer's unsolicited ARP reply keeps its entry fresh: the retransmissions are TCP, not ARP. */
		arp_frame(&f, ZC_ARP_OP_REPLY, peer_mac, PEER_IP, OUR_IP, our_mac);
		ck_assert_int_eq(input(s, &f, t), ZC_OK);
		(void)zcs_poll(s, t);
		/* The same bytes from the same sequence number, each time after twice as long. */
		ck_assert_uint_eq(cap.n, 2u + (unsigned)k);
		ck_assert_uint_eq(zc_tcp_seq(sent_tcp(cap.n - 1)), iss + 1);
		ck_assert_mem_eq(zc_tcp_payload(sent_tcp(cap.n - 1)).p, "data", 4);
		rto = rto * 2 > ZCS_TCP_RTO_MAX_US ? ZCS_TCP_RTO_MAX_US : rto * 2;
	}
	ck_assert_uint_eq(stats(s).tcp_retransmits, ZCS_TCP_RETRIES);
	/* One timeout more and the peer is given up. */
	(void)zcs_poll(s, t + rto);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), ZC_E_TIMEDOUT);
	ck_assert_int_eq(zcs_tcp_send(s, c, "x", 1, 0), ZC_E_TIMEDOUT);
	ck_assert_uint_eq(stats(s).tcp_timeouts, 1);
	ck_assert_int_eq(zcs_tcp_close(s, c, 0), ZC_OK);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_retries_are_the_callers_to_set)
{
	zcs_config cf = config(ZCS_LINK_ETH);
	uint64_t t = 0, rto = ZCS_TCP_RTO_INIT_US;
	zcs_stack *s;
	uint32_t iss;
	int l, c, k;

	cf.tcp_retries = 2;
	s = make(cf);
	c = tcp_established(s, &l, &iss);
	ck_assert_int_eq(zcs_tcp_send(s, c, "data", 4, 0), 4);
	for (k = 0; k < 2; k++) {
		t += rto;
		(void)zcs_poll(s, t);
		ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
		rto *= 2;
	}
	ck_assert_uint_eq(stats(s).tcp_retransmits, 2);
	(void)zcs_poll(s, t + rto);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	ck_assert_uint_eq(stats(s).tcp_timeouts, 1);
	/* Closed by its owner, the slot is free for the next connection. */
	ck_assert_int_eq(zcs_tcp_close(s, c, t + rto), ZC_OK);
	ck_assert_int_eq(zcs_tcp_writable(s, c), 0);
	ck_assert_int_eq(zcs_tcp_send(s, c, "x", 1, 0), ZC_E_ARG);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_acks_for_data_sent_before_a_timeout_still_count)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static char data[3000];
	uint32_t iss;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	/* Without Nagle the short third segment goes with the others. */
	ck_assert_int_eq(zcs_tcp_set_nodelay(s, c, true), ZC_OK);
	memset(data, 'd', sizeof data);
	ck_assert_int_eq(zcs_tcp_send(s, c, data, sizeof data, 0), 3000);
	ck_assert_uint_eq(cap.n, 3);
	/* The ACKs were lost: the timeout sends the first segment again. */
	(void)zcs_poll(s, ZCS_TCP_RTO_INIT_US);
	ck_assert_uint_eq(cap.n, 4);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(3)), iss + 1);
	/* The peer had it all: its ACK covers the three, past where the go-back left snd_nxt. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 3000, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, ZCS_TCP_RTO_INIT_US + 1000), ZC_OK);
	ck_assert_uint_eq(zcs_tcp_writable(s, c), 16384);
	/* Nothing is outstanding: no timer, nothing sent again. */
	cap.n = 0;
	(void)zcs_poll(s, 10 * ZCS_TCP_RTO_INIT_US);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 1);
	/* And the FIN after it, sent and acknowledged. */
	ck_assert_int_eq(zcs_tcp_close(s, c, 20 * ZCS_TCP_RTO_INIT_US), ZC_OK);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(0)), iss + 1 + 3000);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 3001, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 20 * ZCS_TCP_RTO_INIT_US), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_FIN_WAIT_2);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_rtt_sets_the_timeout_and_karn_skips_retransmits)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	ck_assert_int_eq(zcs_tcp_send(s, c, "a", 1, 0), 1);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 2, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 10000), ZC_OK); /* a 10 ms round trip */
	ck_assert_int_eq(zcs_tcp_send(s, c, "b", 1, 10000), 1);
	/* SRTT 10 ms, RTTVAR 5 ms: 30 ms, raised to the floor. */
	ck_assert_uint_eq(zcs_poll(s, 10000), 10000 + ZCS_TCP_RTO_MIN_US);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_resets_and_syns_are_checked_as_rfc_5961_says)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	char buf[8];
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	/* A reset inside the window but not at the next byte: a challenge ACK, nothing else. */
	tseg(&f, 40000, 80, ZC_TCP_RST, 1001 + 100, 0, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_flags(sent_tcp(0)), ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(0)), 1001);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	/* A SYN on the connection: a challenge ACK too. */
	tseg(&f, 40000, 80, ZC_TCP_SYN, 1001, 0, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	ck_assert_uint_eq(stats(s).tcp_challenge_acks, 2);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	/* A reset outside the window: dropped unanswered. */
	tseg(&f, 40000, 80, ZC_TCP_RST, 1001 + 100000, 0, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 2);
	/* At exactly the next byte: the connection is reset. */
	tseg(&f, 40000, 80, ZC_TCP_RST, 1001, 0, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), ZC_E_RESET);
	ck_assert_uint_eq(stats(s).tcp_resets_received, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_out_of_order_data_waits_for_the_gap)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	char buf[32];
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1004, iss + 1, 65535, "def", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	/* A duplicate ACK for the byte missing; nothing to read yet, the bytes held. */
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(0)), 1001);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 0);
	ck_assert_uint_eq(stats(s).tcp_out_of_order, 1);
	/* Two ranges past two gaps, and a FIN past them. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1010, iss + 1, 65535, "jkl", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	tseg(&f, 40000, 80, ZC_TCP_ACK | ZC_TCP_FIN, 1013, iss + 1, 65535, "mn", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	/* The first gap filled: what was held behind it is released at once, up to the next gap. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1, 65535, "abc", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(cap.n - 1)), 1007);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), 6);
	ck_assert_mem_eq(buf, "abcdef", 6);
	/* The second, overlapping what is held: the rest, and the FIN behind it. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1004, iss + 1, 65535, "defghijk", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(cap.n - 1)), 1016);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSE_WAIT);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), 8);
	ck_assert_mem_eq(buf, "ghijklmn", 8);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), 0);
	ck_assert_uint_eq(stats(s).drop_tcp_out_of_order, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_out_of_order_ranges_are_bounded)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	char buf[64];
	frame f;
	int l, c, k;

	c = tcp_established(s, &l, &iss);
	/* ZCS_TCP_OOO ranges are held; one more, apart from them all, is dropped. */
	for (k = 0; k <= 4; k++) {
		tseg(&f, 40000, 80, ZC_TCP_ACK, 1001 + 10 * (uint32_t)(k + 1), iss + 1, 65535, "xx", 0);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	}
	ck_assert_uint_eq(stats(s).tcp_out_of_order, 4);
	ck_assert_uint_eq(stats(s).drop_tcp_out_of_order, 1);
	/* Past the window: dropped too (the acceptability check answers it). */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001 + 20000, iss + 1, 65535, "yy", 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 0), ZC_E_AGAIN);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_backlog_bounds_half_open_connections)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	frame f;
	int l;

	learn_peer(s);
	l = zcs_tcp_listen(s, 80, 1);
	ck_assert_int_eq(zcs_tcp_listen(s, 80, 1), ZC_E_ADDRINUSE);
	tseg(&f, 40001, 80, ZC_TCP_SYN, 1, 0, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	tseg(&f, 40002, 80, ZC_TCP_SYN, 1, 0, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1); /* one SYN-ACK */
	ck_assert_uint_eq(stats(s).drop_tcp_backlog, 1);
	/* Closing the listener resets the half-open one and frees every slot. */
	ck_assert_int_eq(zcs_tcp_close(s, l, 0), ZC_OK);
	ck_assert_uint_eq(zc_tcp_flags(sent_tcp(1)) & ZC_TCP_RST, ZC_TCP_RST);
	ck_assert_int_ge(zcs_tcp_listen(s, 80, 1), 0);
	zcs_destroy(s);
}
END_TEST

/*
 * A connection from port to 80, its handshake done with the bytes "<port>"
 * in the last ACK; its socket, the peer's next sequence number and the
 * acknowledgment number it sends.
 */
static int tcp_from(zcs_stack *s, int l, uint16_t port, uint32_t *next_seq, uint32_t *ack)
{
	char d[8];
	uint32_t iss;
	frame f;
	int c;

	cap.n = 0;
	tseg(&f, port, 80, ZC_TCP_SYN, 1000, 0, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	iss = zc_tcp_seq(sent_tcp(0));
	snprintf(d, sizeof d, "%u", port);
	tseg(&f, port, 80, ZC_TCP_ACK, 1001, iss + 1, 65535, d, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	c = zcs_tcp_accept(s, l, NULL);
	ck_assert_int_ge(c, 0);
	*next_seq = 1001 + (uint32_t)strlen(d);
	*ack = iss + 1;
	return c;
}

START_TEST(tcp_connections_are_found_among_many)
{
	zcs_config cf = config(ZCS_LINK_ETH);
	static int sock[250];
	static uint16_t port[250];
	static uint32_t seq[250], ack[250];
	char want[8], buf[16];
	unsigned i;
	zcs_stack *s;
	frame f;
	int l;

	cf.tcp_sockets = 260;
	cf.tcp_ring_bytes = 4096;
	s = make(cf);
	learn_peer(s);
	l = zcs_tcp_listen(s, 80, 128);
	ck_assert_int_ge(l, 0);
	/* 250 connections: more than the chains of the table share without collisions. */
	for (i = 0; i < 250; i++) {
		port[i] = (uint16_t)(20000 + i);
		sock[i] = tcp_from(s, l, port[i], &seq[i], &ack[i]);
	}
	/* Every other one is reset by its peer and closed; new ones from other ports take the slots again. */
	for (i = 0; i < 250; i += 2) {
		tseg(&f, port[i], 80, ZC_TCP_RST, seq[i], 0, 0, NULL, 0);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
		ck_assert_int_eq(zcs_tcp_get_state(s, sock[i]), ZCS_TCP_CLOSED);
		ck_assert_int_eq(zcs_tcp_close(s, sock[i], 0), ZC_OK);
	}
	for (i = 0; i < 250; i += 2) {
		port[i] = (uint16_t)(30000 + i);
		sock[i] = tcp_from(s, l, port[i], &seq[i], &ack[i]);
	}
	/* Each segment reaches its own connection, and only it. */
	for (i = 0; i < 250; i++) {
		tseg(&f, port[i], 80, ZC_TCP_ACK | ZC_TCP_PSH, seq[i], ack[i], 65535, "!", 0);
		ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	}
	for (i = 0; i < 250; i++) {
		long n;

		snprintf(want, sizeof want, "%u!", port[i]);
		n = zcs_tcp_recv(s, sock[i], buf, sizeof buf, 0);
		ck_assert_int_eq(n, (long)strlen(want));
		ck_assert_mem_eq(buf, want, strlen(want));
	}
	ck_assert_uint_eq(stats(s).drop_tcp_closed, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_zero_window_is_probed)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1, 0, NULL, 0); /* the peer's window closes */
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_int_eq(zcs_tcp_send(s, c, "xyz", 3, 0), 3);
	ck_assert_uint_eq(cap.n, 0);
	/* The timer sends one byte to learn when the window opens. */
	(void)zcs_poll(s, ZCS_TCP_RTO_INIT_US);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1);
	/* It opens: the rest follows. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 2, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, ZCS_TCP_RTO_INIT_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(1)), iss + 2);
	ck_assert_mem_eq(zc_tcp_payload(sent_tcp(1)).p, "yz", 2);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_active_open)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zcs_addr4 to = { PEER_IP, 7 };
	uint32_t iss;
	zc_tcp t;
	frame f;
	int c;

	learn_peer(s);
	c = zcs_tcp_connect(s, &to, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_SYN_SENT);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_SYN);
	iss = zc_tcp_seq(t);
	ck_assert_int_eq(zcs_tcp_send(s, c, "x", 1, 0), ZC_E_NOTCONN);
	tseg(&f, 7, zc_tcp_src_port(t), ZC_TCP_SYN | ZC_TCP_ACK, 5000, iss + 1, 65535, NULL, 1000);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(1)), 5001);
	/* The peer's MSS bounds our segments. */
	{
		static char big[3000];

		memset(big, 'q', sizeof big - 1);
		cap.n = 0;
		ck_assert_int_eq(zcs_tcp_send(s, c, big, 2500, 0), 2500);
		/* Nagle: the short 500 bytes wait while the first two are in flight... */
		ck_assert_uint_eq(cap.n, 2);
		ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1000);
		ck_assert_uint_eq(zc_tcp_payload(sent_tcp(1)).len, 1000);
		/* ...and go when they are acknowledged. */
		tseg(&f, 7, zc_tcp_src_port(t), ZC_TCP_ACK, 5001, iss + 1 + 2000, 65535, NULL, 0);
		ck_assert_int_eq(input(s, &f, 1000), ZC_OK);
		ck_assert_uint_eq(cap.n, 3);
		ck_assert_uint_eq(zc_tcp_payload(sent_tcp(2)).len, 500);
	}
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- segmentation offload */

/* What the stack gave tx_gso: the frames and their virtio fields. */
#define GCAP_FRAMES 8
static struct {
	uint8_t f[GCAP_FRAMES][ZC_ETH_HDR_LEN + 65535];
	size_t len[GCAP_FRAMES];
	zcs_gso g[GCAP_FRAMES];
	unsigned n;
} gcap;

static int capture_gso(void *ctx, const uint8_t *fr, size_t len, const zcs_gso *g)
{
	(void)ctx;
	ck_assert_uint_le(len, sizeof gcap.f[0]);
	if (gcap.n < GCAP_FRAMES) {
		memcpy(gcap.f[gcap.n], fr, len);
		gcap.len[gcap.n] = len;
		gcap.g[gcap.n] = *g;
	}
	gcap.n++;
	return 0;
}

/*
 * Large segment i as the device would take it: the virtio fields checked
 * against the headers, the partial checksum completed as the device does
 * (the sum from csum_start on, over the field's pseudo-header sum), and the
 * result a valid segment.
 */
static zc_tcp sent_gso(unsigned i, uint16_t mss)
{
	zc_eth eth;
	zc_ipv4 ip;
	zc_tcp t;
	uint16_t c;
	uint8_t *f = gcap.f[i];

	ck_assert_uint_lt(i, gcap.n);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(f, gcap.len[i]), &eth), ZC_OK);
	ck_assert_uint_eq(zc_eth_type(eth), ZC_ETH_P_IPV4);
	ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
	ck_assert_int_eq(zc_ipv4_parse(zc_eth_payload(eth), &ip), ZC_OK);
	ck_assert(zc_ipv4_csum_ok(ip));
	ck_assert_uint_eq(zc_ipv4_total_len(ip), gcap.len[i] - 14);
	ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(ip), &t), ZC_OK);
	ck_assert_uint_eq(gcap.g[i].type, ZCS_GSO_TCPV4);
	ck_assert_uint_eq(gcap.g[i].size, mss);
	ck_assert_uint_eq(gcap.g[i].csum_start, 14 + 20);
	ck_assert_uint_eq(gcap.g[i].csum_offset, 16);
	ck_assert_uint_eq(gcap.g[i].hdr_len, 14 + 20 + zc_tcp_hdr_len(t));
	/* Partial: the field holds the pseudo-header's sum, so the segment does not check as it is. */
	ck_assert(!zc_tcp_csum_ok(t, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))));
	c = zc_csum(f + 34, gcap.len[i] - 34);
	zc_store_be16(f + 34 + 16, c ? c : 0xffff);
	ck_assert(zc_tcp_csum_ok(t, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))));
	return t;
}

/* A stack of configuration cfg with segmentation offload up to tso_max, nothing captured yet. */
static zcs_stack *make_tso(zcs_config cfg, unsigned tso_max)
{
	zcs_stack *s;

	cfg.tso_max = tso_max;
	cfg.tx_gso = capture_gso;
	s = make(cfg);
	memset(&gcap, 0, sizeof gcap);
	return s;
}

START_TEST(tso_configurations_are_checked)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s;

	c.tso_max = 16384;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG); /* no tx_gso */
	c.tx_gso = capture_gso;
	c.tso_max = ZCS_TSO_MAX + 1;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG);
	c.tso_max = ZCS_TSO_MAX;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_OK);
	zcs_destroy(s);
}
END_TEST

/*
 * The same data sent with tso_max and without: with it, a segment of whole
 * MSS multiples where the windows allow, through tx_gso, at the sequence
 * numbers the MSS segments would have had, and slow start counting the
 * bytes an ACK acknowledges (the peer answers a large segment once);
 * without it, nothing through tx_gso, the MSS segments and the MSS an ACK
 * of old. A timeout sends one MSS again, in either case.
 */
static void tso_run(bool on)
{
	zcs_config cfg = config(ZCS_LINK_ETH);
	static char data[20000];
	zcs_stack *s;
	uint32_t iss, una;
	zc_tcp t;
	frame f;
	size_t i;
	int l, c;

	cfg.tcp_ring_bytes = 65536;
	s = on ? make_tso(cfg, 8 * 1460) : make(cfg);
	memset(&gcap, 0, sizeof gcap);
	c = tcp_established(s, &l, &iss);
	for (i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 23);
	/* The initial window, 4380 bytes (RFC 3390): one large segment of 3 MSS, or three. */
	ck_assert_int_eq(zcs_tcp_send(s, c, data, sizeof data, 0), (long)sizeof data);
	if (on) {
		ck_assert_uint_eq(cap.n, 0);
		ck_assert_uint_eq(gcap.n, 1);
		t = sent_gso(0, 1460);
		ck_assert_uint_eq(zc_tcp_seq(t), iss + 1);
		ck_assert_uint_eq(zc_tcp_payload(t).len, 3 * 1460);
		ck_assert_mem_eq(zc_tcp_payload(t).p, data, 3 * 1460);
		ck_assert_uint_eq(stats(s).tcp_tso_segs_out, 1);
	} else {
		ck_assert_uint_eq(cap.n, 3);
		for (i = 0; i < 3; i++) {
			t = sent_tcp((unsigned)i);
			ck_assert_uint_eq(zc_tcp_seq(t), iss + 1 + 1460 * i);
			ck_assert_uint_eq(zc_tcp_payload(t).len, 1460);
		}
		ck_assert_uint_eq(stats(s).tcp_tso_segs_out, 0);
	}
	/*
	 * All acknowledged at once: slow start adds the 4380 bytes with
	 * offload, six MSS go in one segment; one MSS without, four go.
	 */
	cap.n = 0;
	gcap.n = 0;
	una = iss + 1 + 3 * 1460;
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, una, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 1000), ZC_OK);
	if (on) {
		ck_assert_uint_eq(cap.n, 0);
		ck_assert_uint_eq(gcap.n, 1);
		t = sent_gso(0, 1460);
		ck_assert_uint_eq(zc_tcp_seq(t), una);
		ck_assert_uint_eq(zc_tcp_payload(t).len, 6 * 1460);
		ck_assert_mem_eq(zc_tcp_payload(t).p, data + 3 * 1460, 6 * 1460);
	} else {
		ck_assert_uint_eq(cap.n, 4);
		ck_assert_uint_eq(zc_tcp_seq(sent_tcp(3)), una + 3 * 1460);
	}
	/* Nothing acknowledged: the timeout sends the oldest MSS again, through tx, in either case. */
	cap.n = 0;
	gcap.n = 0;
	(void)zcs_poll(s, 1000 + ZCS_TCP_RTO_INIT_US);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 1);
	ck_assert_uint_eq(gcap.n, 0);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_seq(t), una);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 1460);
	ck_assert_mem_eq(zc_tcp_payload(t).p, data + 3 * 1460, 1460);
	/*
	 * Acknowledged up to 2 MSS past it: cwnd is one MSS after the timeout,
	 * under a slow start threshold of half the flight (three MSS with
	 * offload, two without); the ACK adds its two MSS with offload, one
	 * without. What goes is that much of the data after the acknowledged
	 * part: one segment of three with offload, two segments without.
	 */
	cap.n = 0;
	gcap.n = 0;
	una += 2 * 1460;
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, una, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 2000000), ZC_OK);
	if (on) {
		ck_assert_uint_eq(gcap.n, 1);
		t = sent_gso(0, 1460);
		ck_assert_uint_eq(zc_tcp_seq(t), una);
		ck_assert_uint_eq(zc_tcp_payload(t).len, 3 * 1460);
		ck_assert_mem_eq(zc_tcp_payload(t).p, data + (una - iss - 1), 3 * 1460);
	} else {
		ck_assert_uint_eq(gcap.n, 0);
		ck_assert_uint_eq(cap.n, 2);
		ck_assert_uint_eq(zc_tcp_seq(sent_tcp(0)), una);
		ck_assert_uint_eq(zc_tcp_seq(sent_tcp(1)), una + 1460);
	}
	zcs_destroy(s);
}

START_TEST(tso_sends_large_segments_of_whole_mss)
{
	tso_run(true);
}
END_TEST

START_TEST(tso_off_changes_nothing)
{
	tso_run(false);
}
END_TEST

/* A tail short of the MSS does not ride in a large segment: it waits under Nagle's rule as ever. */
START_TEST(tso_leaves_the_tail_to_nagle)
{
	zcs_config cfg = config(ZCS_LINK_ETH);
	static char data[5000];
	zcs_stack *s;
	uint32_t iss;
	zc_tcp t;
	frame f;
	int l, c;

	s = make_tso(cfg, ZCS_TSO_MAX);
	c = tcp_established(s, &l, &iss);
	memset(data, 'q', sizeof data);
	ck_assert_int_eq(zcs_tcp_send(s, c, data, sizeof data, 0), (long)sizeof data);
	ck_assert_uint_eq(gcap.n, 1);
	ck_assert_uint_eq(cap.n, 0);
	t = sent_gso(0, 1460);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 3 * 1460);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_ACK);
	/* Its ACK lets the 620-byte tail go, alone, with PSH. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 3 * 1460, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 1000), ZC_OK);
	ck_assert_uint_eq(gcap.n, 1);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_seq(t), iss + 1 + 3 * 1460);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 5000 - 3 * 1460);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_ACK | ZC_TCP_PSH);
	zcs_destroy(s);
}
END_TEST

/*
 * A segment of 20,000 bytes the peer's kernel sent with TSO and a partial
 * checksum, as a TAP with offloads hands it over: dropped for its checksum
 * without ZCS_RX_CSUM_TRUSTED, taken whole in order with it, and
 * acknowledged at once (it holds more than two full segments).
 */
START_TEST(trusted_large_segments_are_taken_whole)
{
	zcs_config cfg = config(ZCS_LINK_ETH);
	static uint8_t fr[14 + 20 + 20 + 20000];
	static char rd[20000];
	zcs_stack *s;
	uint32_t iss;
	zc_buf b;
	zc_ipv4 ip;
	zc_tcp t;
	size_t i;
	int l, c;

	cfg.tcp_ring_bytes = 65536;
	s = make(cfg);
	c = tcp_established(s, &l, &iss);
	memset(fr, 0, sizeof fr);
	memcpy(fr, our_mac, 6);
	memcpy(fr + 6, peer_mac, 6);
	zc_store_be16(fr + 12, ZC_ETH_P_IPV4);
	fr[14] = 0x45;
	zc_store_be16(fr + 16, (uint16_t)(sizeof fr - 14));
	fr[22] = 64;
	fr[23] = ZC_IPPROTO_TCP;
	zc_store_be32(fr + 26, PEER_IP);
	zc_store_be32(fr + 30, OUR_IP);
	zc_store_be16(fr + 34, 40000);
	zc_store_be16(fr + 36, 80);
	zc_store_be32(fr + 38, 1001);
	zc_store_be32(fr + 42, iss + 1);
	fr[46] = 5 << 4;
	fr[47] = ZC_TCP_ACK | ZC_TCP_PSH;
	zc_store_be16(fr + 48, 65535);
	for (i = 0; i < 20000; i++)
		fr[54 + i] = (uint8_t)(i * 13 + 5);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(fr + 14, sizeof fr - 14), &ip), ZC_OK);
	zc_ipv4_csum_fill(zc_test_rw_ipv4(ip));
	ck_assert_int_eq(zc_tcp_parse(zc_ipv4_payload(ip), &t), ZC_OK);
	zc_tcp_csum_partial_fill(zc_test_rw_tcp(t), zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)));
	b = zc_test_dup(fr, sizeof fr);
	ck_assert_int_eq(zcs_input_flags(s, b, 2, 0), ZC_E_ARG); /* a flag it does not know */
	ck_assert_int_eq(zcs_input(s, b, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_tcp_bad, 1);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 0);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_int_eq(zcs_input_flags(s, b, ZCS_RX_CSUM_TRUSTED, 0), ZC_OK);
	zc_test_free(b);
	ck_assert_uint_eq(stats(s).drop_tcp_bad, 1);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 20000);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_ack(t), 1001 + 20000);
	ck_assert_uint_eq(zc_tcp_window(t), 65536 - 20000);
	ck_assert_int_eq(zcs_tcp_recv(s, c, rd, sizeof rd, 0), 20000);
	ck_assert_mem_eq(rd, fr + 54, 20000);
	/* The flag holds for one call: the next frame's checksum is checked again. */
	cap.n = 0;
	zc_store_be32(fr + 38, 1001 + 20000);
	b = zc_test_dup(fr, sizeof fr);
	ck_assert_int_eq(zcs_input(s, b, 0), ZC_E_INVALID);
	zc_test_free(b);
	ck_assert_uint_eq(stats(s).drop_tcp_bad, 2);
	zcs_destroy(s);
}
END_TEST

static unsigned fragments(const frame *f, size_t per, frame *out, unsigned max);

/* input() with flags: the same heap copy of exactly the frame. */
static zc_err input_flags(zcs_stack *s, frame *f, unsigned flags, uint64_t now)
{
	zc_buf b = zc_test_dup(f->b, f->n);
	zc_err e = zcs_input_flags(s, b, flags, now);

	zc_test_free(b);
	return e;
}

/*
 * What ZCS_RX_CSUM_TRUSTED covers: a UDP datagram's sum (a bad one is
 * delivered), never the IP header's, nor the sum of a datagram reassembled
 * from fragments, nor ICMP's.
 */
START_TEST(trusted_covers_one_frames_transport_sum_alone)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static frame f, part[3];
	static char big[3000];
	char buf[3100];
	zcs_addr4 from;
	int u;

	learn_peer(s);
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_bind(s, u, 7), ZC_OK);
	udp_frame(&f, 4000, 7, "abc", 3);
	f.b[14 + 20 + 6] ^= 0x40; /* the UDP sum */
	ck_assert_int_eq(input(s, &f, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_udp_bad, 1);
	ck_assert_int_eq(input_flags(s, &f, ZCS_RX_CSUM_TRUSTED, 0), ZC_OK);
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), 3);
	ck_assert_mem_eq(buf, "abc", 3);
	/* The IP header's sum is checked all the same. */
	udp_frame(&f, 4000, 7, "abc", 3);
	f.b[14 + 10] ^= 1;
	ck_assert_int_eq(input_flags(s, &f, ZCS_RX_CSUM_TRUSTED, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_ip_bad, 1);
	/* Fragments, each given as trusted: the datagram they make is checked whole, and dropped. */
	memset(big, 'f', sizeof big);
	udp_frame(&f, 4000, 7, big, sizeof big);
	f.b[14 + 20 + 6] ^= 0x40;
	ck_assert_uint_eq(fragments(&f, 1480, part, 3), 3);
	ck_assert_int_eq(input_flags(s, &part[0], ZCS_RX_CSUM_TRUSTED, 0), ZC_OK);
	ck_assert_int_eq(input_flags(s, &part[1], ZCS_RX_CSUM_TRUSTED, 0), ZC_OK);
	ck_assert_int_eq(input_flags(s, &part[2], ZCS_RX_CSUM_TRUSTED, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).frag_reassembled, 1);
	ck_assert_uint_eq(stats(s).drop_udp_bad, 2);
	ck_assert_uint_eq(zcs_udp_pending(s, u), 0);
	/* ICMP's sum too: a bad echo request is not answered. */
	cap.n = 0;
	echo_request(&f, 14, OUR_IP, 8);
	f.b[14 + 20 + 2] ^= 1;
	ck_assert_int_eq(input_flags(s, &f, ZCS_RX_CSUM_TRUSTED, 0), ZC_E_INVALID);
	ck_assert_uint_eq(cap.n, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_slow_start_fast_retransmit_and_newreno)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static char big[20000];
	zcs_addr4 peer;
	uint32_t iss;
	frame f;
	int l, c, k;

	/* A connection whose peer takes segments of 1,000 bytes. */
	learn_peer(s);
	l = zcs_tcp_listen(s, 80, 4);
	tseg(&f, 40000, 80, ZC_TCP_SYN, 1000, 0, 65535, NULL, 1000);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	iss = zc_tcp_seq(sent_tcp(0));
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	c = zcs_tcp_accept(s, l, &peer);
	ck_assert_int_ge(c, 0);
	cap.n = 0;
	memset(big, 'z', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 16000, 0), 16000);
	/* The initial window: four segments (RFC 3390), though the peer's window is larger. */
	ck_assert_uint_eq(cap.n, 4);
	/* Two acknowledged in one ACK: slow start grows by one segment an ACK (RFC 5681 3.1), three go out. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 2000, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 1000), ZC_OK);
	ck_assert_uint_eq(cap.n, 7);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(6)), iss + 1 + 6000);
	/* The segment at 2000 is lost: three duplicate ACKs, and it goes again at once. */
	for (k = 0; k < 3; k++) {
		tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 2000, 65535, NULL, 0);
		ck_assert_int_eq(input(s, &f, 2000), ZC_OK);
	}
	ck_assert_uint_eq(stats(s).tcp_fast_retransmits, 1);
	/* The first two duplicates let one new segment go each (limited transmit, RFC 3042), the window full. */
	ck_assert_uint_ge(cap.n, 10);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(7)), iss + 1 + 7000);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(8)), iss + 1 + 8000);
	/* The one after the third is the lost one (new data may follow as the window allows). */
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(9)), iss + 1 + 2000);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(9)).len, 1000);
	/* A partial ACK (up to 5000: the segment at 5000 was lost too): that hole goes at once. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1 + 5000, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 3000), ZC_OK);
	ck_assert_uint_eq(stats(s).tcp_fast_retransmits, 2);
	ck_assert_uint_ge(sent_at(8, iss + 1 + 5000), 1);
	/* No timeout was needed. */
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	zcs_destroy(s);
}
END_TEST

/* A router on the path, 10.77.0.254. */
#define ROUTER_IP 0x0a4d00feu

/*
 * The router sends a destination unreachable of code, with rest after the
 * checksum, about captured frame i: quoting its IPv4 header and 8 bytes,
 * the TCP sequence number there seq (0: as sent).
 */
static void unreach_about(zcs_stack *s, unsigned i, uint8_t code, uint32_t rest, uint32_t seq, uint64_t now)
{
	uint8_t m[8 + 28];
	frame f;

	memset(m, 0, 8);
	m[0] = ZC_ICMP4_DEST_UNREACH;
	m[1] = code;
	zc_store_be32(m + 4, rest);
	memcpy(m + 8, cap.f[i] + 14, 28);
	if (seq)
		zc_store_be32(m + 8 + 20 + ZC_TCP_SEQ_OFF, seq);
	put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(&f, 14, ROUTER_IP, OUR_IP, ZC_IPPROTO_ICMP, m, sizeof m);
	ck_assert_int_eq(input(s, &f, now), ZC_OK);
}

/* Frag needed (code 4) for next-hop MTU mtu about captured frame i. */
static void frag_needed(zcs_stack *s, unsigned i, uint16_t mtu, uint32_t seq, uint64_t now)
{
	unreach_about(s, i, 4, mtu, seq, now);
}

START_TEST(tcp_mss_follows_fragmentation_needed)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static char big[8000];
	uint32_t iss;
	unsigned n;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss); /* the peer takes 1,460 bytes a segment */
	memset(big, 'm', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 4000, 0), 4000);
	ck_assert_uint_ge(cap.n, 2);
	/* TCP goes with DF, so that a router tells when a segment does not fit. */
	ck_assert(zc_ipv4_df(sent_ipv4(0, NULL)));
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1460);
	n = cap.n;
	/* Not in flight (a forged or stale message), or no lower MTU: ignored, counted, nothing sent. */
	frag_needed(s, 0, 1000, iss + 1 + 100000, 10);
	frag_needed(s, 0, 1000, iss, 10); /* before snd_una: the SYN */
	frag_needed(s, 0, 1600, 0, 10);
	ck_assert_uint_eq(stats(s).drop_icmp_mtu, 3);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 0);
	ck_assert_uint_eq(cap.n, n);
	/* Another error, a port unreachable about the same segment: not about the MTU, ignored. */
	unreach_about(s, 0, 3, 0, 0, 10);
	ck_assert_uint_eq(stats(s).drop_icmp_mtu, 3);
	ck_assert_uint_eq(cap.n, n);
	/* A router too old to give its MTU: the plateau below the quoted 1,500 bytes, 1,492 (RFC 1191 7). */
	frag_needed(s, 0, 0, 0, 20);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 1);
	ck_assert_uint_gt(cap.n, n);
	/* What was in flight goes again at once, from the oldest byte, in segments that fit. */
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(n)), iss + 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(n)).len, 1492 - 40);
	/* Sent again at once: no timeout was needed, and none is counted. */
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	/* A next hop of 1,000: segments of 960. */
	n = cap.n;
	frag_needed(s, n - 1, 1000, 0, 30);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 2);
	ck_assert_uint_gt(cap.n, n);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(n)), iss + 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(n)).len, 960);
	ck_assert_uint_le(cap.len[n], 14 + 1000);
	/* An MTU below 576 is taken as 576: a forged message cannot shrink segments to nothing. */
	n = cap.n;
	frag_needed(s, n - 1, 68, 0, 40);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 3);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(n)).len, 536);
	/* The new MSS holds for what is sent next: the rest, once all that went is acknowledged, and new data. */
	{
		zc_tcp last = sent_tcp(cap.n - 1);
		uint32_t upto = zc_tcp_seq(last) + (uint32_t)zc_tcp_payload(last).len;
		unsigned i, full = 0;

		n = cap.n;
		tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, upto, 65535, NULL, 0);
		ck_assert_int_eq(input(s, &f, 50), ZC_OK);
		ck_assert_int_eq(zcs_tcp_send(s, c, big, 2000, 50), 2000);
		ck_assert_uint_gt(cap.n, n);
		ck_assert_uint_eq(zc_tcp_seq(sent_tcp(n)), upto);
		for (i = n; i < cap.n; i++) {
			ck_assert_uint_le(zc_tcp_payload(sent_tcp(i)).len, 536);
			full += zc_tcp_payload(sent_tcp(i)).len == 536;
		}
		ck_assert_uint_ge(full, 1);
	}
	zcs_destroy(s);
}
END_TEST

/* Cuts the IPv4 packet in f (at 14) into fragments of per data bytes, fragment i in out[i]. */
static unsigned fragments(const frame *f, size_t per, frame *out, unsigned max)
{
	size_t hl = 20, dlen = f->n - 14 - hl, off;
	unsigned n = 0;

	for (off = 0; off < dlen && n < max; off += per, n++) {
		size_t k = dlen - off < per ? dlen - off : per;
		uint8_t *ip;
		zc_ipv4 v;

		memcpy(out[n].b, f->b, 14 + hl);
		memcpy(out[n].b + 14 + hl, f->b + 14 + hl + off, k);
		ip = out[n].b + 14;
		zc_store_be16(ip + 2, (uint16_t)(hl + k));
		zc_store_be16(ip + 6, (uint16_t)((off + k < dlen ? 0x2000 : 0) | off / 8));
		out[n].n = 14 + hl + k;
		ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(ip, hl + k), &v), ZC_OK);
		zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	}
	return n;
}

/* Puts the fragments the stack sent (frames from..cap.n) back together into d; returns the data length. */
static size_t unfragment(unsigned from, uint8_t *d, size_t cap_len)
{
	size_t total = 0, got = 0;
	unsigned i;

	for (i = from; i < cap.n; i++) {
		zc_ipv4 ip = sent_ipv4(i, NULL);
		zc_buf p = zc_ipv4_payload(ip);

		ck_assert(zc_ipv4_is_fragment(ip));
		ck_assert(!zc_ipv4_df(ip));
		ck_assert_uint_le(cap.len[i], 14 + 1500);
		ck_assert_uint_le(zc_ipv4_frag_offset(ip) + p.len, cap_len);
		memcpy(d + zc_ipv4_frag_offset(ip), p.p, p.len);
		got += p.len;
		if (!zc_ipv4_mf(ip))
			total = zc_ipv4_frag_offset(ip) + p.len;
		else
			ck_assert_uint_eq(p.len % 8, 0);
	}
	ck_assert_uint_eq(got, total);
	return total;
}

START_TEST(fragments_are_reassembled_in_any_order_and_replies_fragmented)
{
	static const unsigned orders[][3] = { { 0, 1, 2 }, { 2, 0, 1 }, { 1, 2, 0 } };
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static frame f, part[3];
	static uint8_t d[8192];
	unsigned k, i;

	learn_peer(s);
	echo_request(&f, 14, OUR_IP, 4000 - 8);
	ck_assert_uint_eq(fragments(&f, 1480, part, 3), 3);
	for (k = 0; k < 3; k++) {
		cap.n = 0;
		for (i = 0; i < 3; i++)
			ck_assert_int_eq(input(s, &part[orders[k][i]], 0), ZC_OK);
		/* The 4,000-byte reply goes out in three fragments of at most the MTU. */
		ck_assert_uint_eq(cap.n, 3);
		ck_assert_uint_eq(unfragment(0, d, sizeof d), 4000);
		ck_assert_uint_eq(d[0], ZC_ICMP4_ECHO_REPLY);
		ck_assert_mem_eq(d + 4, f.b + 14 + 20 + 4, 4000 - 4);
	}
	ck_assert_uint_eq(stats(s).frag_reassembled, 3);
	ck_assert_uint_eq(stats(s).icmp_echo_replies, 3);
	ck_assert_uint_eq(stats(s).frag_sent, 9);

	/* A fragment repeated to the byte is a duplicate, and harmless. */
	cap.n = 0;
	ck_assert_int_eq(input(s, &part[0], 0), ZC_OK);
	ck_assert_int_eq(input(s, &part[0], 0), ZC_OK);
	ck_assert_int_eq(input(s, &part[1], 0), ZC_OK);
	ck_assert_int_eq(input(s, &part[2], 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 3);
	ck_assert_uint_eq(stats(s).drop_frag_overlap, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(fragments_that_contradict_each_other_drop_the_datagram)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	static frame f, part[4], bad;
	zc_ipv4 v;

	learn_peer(s);
	echo_request(&f, 14, OUR_IP, 3000);
	ck_assert_uint_eq(fragments(&f, 1480, part, 4), 3);
	/* The second fragment again, with other bytes: the datagram is dropped whole. */
	bad = part[1];
	bad.b[14 + 20 + 100] ^= 0xff;
	ck_assert_int_eq(input(s, &part[0], 0), ZC_OK);
	ck_assert_int_eq(input(s, &part[1], 0), ZC_OK);
	ck_assert_int_eq(input(s, &bad, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_overlap, 1);
	ck_assert_int_eq(input(s, &part[2], 0), ZC_OK); /* starts a new datagram, never whole */
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(stats(s).frag_reassembled, 0);

	/* A last fragment that ends before data already held. */
	s = (zcs_destroy(s), make(config(ZCS_LINK_ETH)));
	ck_assert_int_eq(input(s, &part[1], 0), ZC_OK);
	bad = part[0];
	zc_store_be16(bad.b + 14 + 6, 1); /* offset 8, no MF: it says the data ends at 24 */
	bad.n = 14 + 20 + 16;
	zc_store_be16(bad.b + 14 + 2, 20 + 16);
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(bad.b + 14, bad.n - 14), &v), ZC_OK);
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	ck_assert_int_eq(input(s, &bad, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_overlap, 1);

	/* A fragment with more to come must carry whole 8-byte blocks. */
	bad = part[0];
	bad.n -= 3;
	zc_store_be16(bad.b + 14 + 2, (uint16_t)(bad.n - 14));
	ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(bad.b + 14, bad.n - 14), &v), ZC_OK);
	zc_ipv4_csum_fill(zc_test_rw_ipv4(v));
	ck_assert_int_eq(input(s, &bad, 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_bad, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(reassembly_slots_are_bounded_and_time_out)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s;
	static frame f, part[4];
	unsigned i;

	c.reasm_slots = 2;
	c.max_datagram = 2000;
	s = make(c);
	learn_peer(s);
	/* Two datagrams held, a third has no slot. */
	for (i = 0; i < 3; i++) {
		echo_request(&f, 14, OUR_IP, 1600);
		zc_store_be16(f.b + 14 + 4, (uint16_t)(100 + i)); /* its own identification */
		fragments(&f, 1000, part, 4);
		ck_assert_int_eq(input(s, &part[0], 0), i < 2 ? ZC_OK : ZC_E_NOBUFS);
	}
	ck_assert_uint_eq(stats(s).drop_frag_slots_full, 1);
	/* Past max_datagram. */
	echo_request(&f, 14, OUR_IP, 2100);
	fragments(&f, 1480, part, 4);
	ck_assert_int_eq(input(s, &part[1], 0), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_bad, 1);
	/* After 30 s the two are given up and the slots free again. */
	ck_assert_uint_eq(zcs_poll(s, 1), 30000000);
	ck_assert_uint_eq(zcs_poll(s, 30000000), ZCS_ARP_REACHABLE_US);
	ck_assert_uint_eq(stats(s).drop_frag_timeout, 2);
	echo_request(&f, 14, OUR_IP, 1600);
	fragments(&f, 1000, part, 4);
	cap.n = 0;
	ck_assert_int_eq(input(s, &part[0], 30000000), ZC_OK);
	ck_assert_int_eq(input(s, &part[1], 30000000), ZC_OK);
	ck_assert_uint_eq(cap.n, 2); /* the reply, in two fragments */
	zcs_destroy(s);
}
END_TEST

START_TEST(large_datagrams_are_sent_in_fragments)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	zcs_addr4 to = { PEER_IP, 9 };
	static uint8_t data[5000], d[8192];
	zc_udp u;
	size_t i;
	int sock;

	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 31);
	learn_peer(s);
	sock = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, sock, &to, data, sizeof data, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 4); /* 5,008 bytes in blocks of 1,480 */
	ck_assert_uint_eq(unfragment(0, d, sizeof d), 8 + sizeof data);
	ck_assert_int_eq(zc_udp_parse(zc_buf_make(d, 8 + sizeof data), &u), ZC_OK);
	ck_assert_uint_eq(zc_udp_length(u), 8 + sizeof data);
	ck_assert_mem_eq(zc_udp_payload(u).p, data, sizeof data);
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- IPv6 */

static const uint8_t our6[16] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t peer6[16] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t peer_ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
/* fe80:: and the modified EUI-64 of 02:00:0a:4d:00:02 */
static const uint8_t our_ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x0a, 0xff, 0xfe, 0x4d, 0x00, 0x02 };
static const uint8_t sn_our6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2 };
static const uint8_t mac_sn_our6[6] = { 0x33, 0x33, 0xff, 0, 0, 2 };

static zcs_config config6(int link)
{
	zcs_config c = config(link);

	memcpy(c.addr6, our6, 16);
	c.prefix6_len = 64;
	return c;
}

/* An IPv6 packet at off from src to dst with hop limit hlim and an l4 of proto, the ICMPv6 sum filled. */
static void ipv6_at(frame *f, size_t off, const uint8_t *src, const uint8_t *dst, uint8_t hlim, uint8_t proto,
		    const void *l4, size_t l4len)
{
	uint8_t *ip = f->b + off;
	zc_ipv6 v;

	memset(ip, 0, 40);
	ip[0] = 0x60;
	zc_store_be16(ip + 4, (uint16_t)l4len);
	ip[6] = proto;
	ip[7] = hlim;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memcpy(ip + 40, l4, l4len);
	f->n = off + 40 + l4len;
	ck_assert_int_eq(zc_ipv6_parse(zc_buf_make(ip, 40 + l4len), &v), ZC_OK);
	if (proto == ZC_IPPROTO_ICMPV6) {
		zc_icmp6 m;
		ck_assert_int_eq(zc_icmp6_parse(zc_ipv6_payload(v), &m), ZC_OK);
		zc_icmp6_csum_fill(zc_test_rw_icmp6(m), zc_ipv6_pseudo(v, l4len));
	} else if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;
		ck_assert_int_eq(zc_udp_parse(zc_ipv6_payload(v), &u), ZC_OK);
		zc_udp_csum_fill(zc_test_rw_udp(u), zc_ipv6_pseudo(v, l4len));
	} else if (proto == ZC_IPPROTO_TCP) {
		zc_tcp t;
		ck_assert_int_eq(zc_tcp_parse(zc_ipv6_payload(v), &t), ZC_OK);
		zc_tcp_csum_fill(zc_test_rw_tcp(t), zc_ipv6_pseudo(v, l4len));
	}
}

static void echo6(frame *f, const uint8_t *dst, size_t data_len)
{
	uint8_t m[1500];
	size_t i;

	memset(m, 0, sizeof m);
	m[0] = ZC_ICMP6_ECHO_REQUEST;
	zc_store_be16(m + 4, 0x6666);
	zc_store_be16(m + 6, 3);
	for (i = 0; i < data_len; i++)
		m[8 + i] = (uint8_t)(i + 5);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(f, 14, dst[0] == 0xfe ? peer_ll : peer6, dst, 64, ZC_IPPROTO_ICMPV6, m, 8 + data_len);
}

/* A solicitation from peer_ll for target to its solicited-node group, with the peer's MAC. */
static void ns_frame(frame *f, const uint8_t *src, const uint8_t *target, uint8_t hlim, bool opt)
{
	uint8_t m[32], group[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };
	uint8_t mac[6] = { 0x33, 0x33, 0xff, target[13], target[14], target[15] };

	memcpy(group + 13, target + 13, 3);
	memset(m, 0, sizeof m);
	m[0] = ZC_ICMP6_NEIGH_SOLICIT;
	memcpy(m + 8, target, 16);
	m[24] = ZC_ND_OPT_SRC_LLADDR;
	m[25] = 1;
	memcpy(m + 26, peer_mac, 6);
	put_eth(f, mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(f, 14, src, group, hlim, ZC_IPPROTO_ICMPV6, m, opt ? 32 : 24);
}

static void na_frame(frame *f, const uint8_t *target, uint8_t flags)
{
	uint8_t m[32];
	static const uint8_t all[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	memset(m, 0, sizeof m);
	m[0] = ZC_ICMP6_NEIGH_ADVERT;
	m[4] = flags;
	memcpy(m + 8, target, 16);
	m[24] = ZC_ND_OPT_TGT_LLADDR;
	m[25] = 1;
	memcpy(m + 26, peer_mac, 6);
	put_eth(f, flags & ZC_ND_NA_SOLICITED ? our_mac : (const uint8_t *)"\x33\x33\x00\x00\x00\x01", peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(f, 14, peer_ll, flags & ZC_ND_NA_SOLICITED ? our_ll : all, 255, ZC_IPPROTO_ICMPV6, m, 32);
}

/* Captured frame i as Ethernet + IPv6 + ICMPv6, its sum checked. */
static zc_icmp6 sent_icmp6(unsigned i, zc_eth *eth_out, zc_ipv6 *ip_out)
{
	zc_eth eth = sent_eth(i, ZC_ETH_P_IPV6);
	zc_ipv6 ip;
	zc_icmp6 m;

	ck_assert_mem_eq(zc_eth_src(eth), our_mac, 6);
	ck_assert_int_eq(zc_ipv6_parse(zc_eth_payload(eth), &ip), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(ip), ZC_IPPROTO_ICMPV6);
	ck_assert_int_eq(zc_icmp6_parse(zc_ipv6_payload(ip), &m), ZC_OK);
	ck_assert(zc_icmp6_csum_ok(m, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip))));
	if (eth_out)
		*eth_out = eth;
	if (ip_out)
		*ip_out = ip;
	return m;
}

START_TEST(ipv6_addresses_are_probed_before_use)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	static const uint8_t unspec[16];
	zc_eth eth;
	zc_ipv6 ip;
	zc_icmp6 m;
	frame f;

	/* The gratuitous ARP, then a probe for the link-local address and one for fd77::2. */
	ck_assert_uint_eq(cap.n, 3);
	m = sent_icmp6(2, &eth, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_NEIGH_SOLICIT);
	ck_assert_mem_eq(zc_icmp6_nd_target(m), our6, 16);
	ck_assert_mem_eq(zc_ipv6_src(ip), unspec, 16);
	ck_assert_mem_eq(zc_ipv6_dst(ip), sn_our6, 16);
	ck_assert_mem_eq(zc_eth_dst(eth), mac_sn_our6, 6);
	ck_assert_uint_eq(zc_ipv6_hlim(ip), 255);
	ck_assert_uint_eq(zc_icmp6_msg_len(m), 24); /* no link-layer option in a probe */
	m = sent_icmp6(1, NULL, NULL);
	ck_assert_mem_eq(zc_icmp6_nd_target(m), our_ll, 16);

	/* Tentative: an echo is not answered yet. */
	cap.n = 0;
	echo6(&f, our6, 8);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(zcs_poll(s, 0), ZCS_DAD_US);
	ck_assert_uint_eq(zcs_poll(s, ZCS_DAD_US), ZCS_NEVER);
	/* Nobody objected: the address is ours. */
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1); /* a solicitation for the peer first */
	m = sent_icmp6(0, &eth, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_NEIGH_SOLICIT);
	ck_assert_mem_eq(zc_icmp6_nd_target(m), peer6, 16);
	ck_assert_mem_eq(zc_ipv6_src(ip), our_ll, 16);
	ck_assert_uint_eq(zc_icmp6_msg_len(m), 32); /* with our link-layer address */
	/* The peer answers; the reply that waited goes out. */
	cap.n = 0;
	{
		uint8_t a[32];

		memset(a, 0, sizeof a);
		a[0] = ZC_ICMP6_NEIGH_ADVERT;
		a[4] = ZC_ND_NA_SOLICITED | ZC_ND_NA_OVERRIDE;
		memcpy(a + 8, peer6, 16);
		a[24] = ZC_ND_OPT_TGT_LLADDR;
		a[25] = 1;
		memcpy(a + 26, peer_mac, 6);
		put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV6);
		ipv6_at(&f, 14, peer6, our_ll, 255, ZC_IPPROTO_ICMPV6, a, 32);
	}
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	m = sent_icmp6(0, &eth, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_ECHO_REPLY);
	ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
	ck_assert_mem_eq(zc_ipv6_src(ip), our6, 16);
	ck_assert_mem_eq(zc_ipv6_dst(ip), peer6, 16);
	ck_assert_uint_eq(stats(s).icmp6_echo_replies, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(ipv6_solicitations_are_answered)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	zc_eth eth;
	zc_ipv6 ip;
	zc_icmp6 m;
	frame f;

	(void)zcs_poll(s, ZCS_DAD_US);
	cap.n = 0;
	ns_frame(&f, peer_ll, our6, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	m = sent_icmp6(0, &eth, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_NEIGH_ADVERT);
	ck_assert_uint_eq(zc_icmp6_na_flags(m), ZC_ND_NA_SOLICITED | ZC_ND_NA_OVERRIDE);
	ck_assert_mem_eq(zc_icmp6_nd_target(m), our6, 16);
	ck_assert_mem_eq(zc_ipv6_src(ip), our6, 16);
	ck_assert_mem_eq(zc_ipv6_dst(ip), peer_ll, 16);
	ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
	ck_assert_uint_eq(zc_ipv6_hlim(ip), 255);
	ck_assert_mem_eq(zc_icmp6_payload(m).p + 16 + 2, our_mac, 6); /* the target link-layer option */

	/* The peer was learnt from its option: an echo from its link-local address is answered at once. */
	cap.n = 0;
	echo6(&f, our_ll, 100);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	m = sent_icmp6(0, &eth, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_ECHO_REPLY);
	ck_assert_mem_eq(zc_ipv6_src(ip), our_ll, 16);
	ck_assert_mem_eq(zc_icmp6_payload(m).p, f.b + 14 + 40 + 8, 100);

	/* RFC 4861 7.1.1: a hop limit below 255 means a router forwarded it: ignored. */
	cap.n = 0;
	ns_frame(&f, peer_ll, our6, 64, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_INVALID);
	/* A probe from :: must carry no link-layer option. */
	{
		static const uint8_t unspec[16];
		ns_frame(&f, unspec, our6, 255, true);
		ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_INVALID);
		/* Without it, it is another node's probe: told, to all nodes, that the address is taken. */
		ns_frame(&f, unspec, our6, 255, false);
		ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
		ck_assert_uint_eq(cap.n, 1);
		m = sent_icmp6(0, NULL, &ip);
		ck_assert_uint_eq(zc_icmp6_na_flags(m), ZC_ND_NA_OVERRIDE);
		ck_assert_uint_eq(zc_ipv6_dst(ip)[15], 1);
	}
	ck_assert_uint_eq(stats(s).drop_nd_bad, 2);
	/* A solicitation for another node's address is not ours. */
	cap.n = 0;
	ns_frame(&f, peer_ll, peer6, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(a_duplicate_ipv6_address_is_not_used)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	frame f;

	cap.n = 0;
	/* Another node already has fd77::2 and says so while ours is tentative. */
	na_frame(&f, our6, ZC_ND_NA_OVERRIDE);
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(stats(s).dad_conflicts, 1);
	(void)zcs_poll(s, ZCS_DAD_US);
	/* It stays unused: no answer to a solicitation or an echo for it. */
	ns_frame(&f, peer_ll, our6, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	echo6(&f, our6, 8);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 0);
	/* The link-local address passed its probe and works. */
	ns_frame(&f, peer_ll, our_ll, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(ipv6_udp_ports_are_closed)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	uint8_t d[16] = { 0x9c, 0x40, 0, 53, 0, 16 };
	zc_ipv6 ip, q;
	zc_icmp6 m;
	frame f;

	(void)zcs_poll(s, ZCS_DAD_US);
	ns_frame(&f, peer6, our6, 255, true); /* teaches the peer's MAC */
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	cap.n = 0;
	put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(&f, 14, peer6, our6, 64, ZC_IPPROTO_UDP, d, sizeof d);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 1);
	m = sent_icmp6(0, NULL, &ip);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_DEST_UNREACH);
	ck_assert_uint_eq(zc_icmp6_code(m), 4);
	ck_assert_int_eq(zc_ipv6_parse(zc_icmp6_payload(m), &q), ZC_OK);
	ck_assert_mem_eq(zc_ipv6_src(q), peer6, 16);
	ck_assert_mem_eq(zc_icmp6_payload(m).p, f.b + 14, f.n - 14);
	zcs_destroy(s);
}
END_TEST

START_TEST(tun_link_speaks_ipv6)
{
	zcs_stack *s = make(config6(ZCS_LINK_IP));
	zc_ipv6 ip;
	zc_icmp6 m;
	frame f;

	/* No probes on a point-to-point link: the address works at once. */
	ck_assert_uint_eq(cap.n, 0);
	echo6(&f, our6, 16);
	memmove(f.b, f.b + 14, f.n - 14);
	f.n -= 14;
	ck_assert_int_eq(input(s, &f, 0), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_int_eq(zc_ipv6_parse(zc_buf_make(cap.f[0], cap.len[0]), &ip), ZC_OK);
	ck_assert_int_eq(zc_icmp6_parse(zc_ipv6_payload(ip), &m), ZC_OK);
	ck_assert(zc_icmp6_csum_ok(m, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip))));
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_ECHO_REPLY);
	ck_assert_mem_eq(zc_ipv6_dst(ip), peer6, 16);
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- UDP, TCP and fragments over IPv6 */

/* A stack whose IPv6 addresses passed their probes and that knows the peer fd77::1's MAC. */
static zcs_stack *make6(void)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	frame f;

	(void)zcs_poll(s, ZCS_DAD_US);
	ns_frame(&f, peer6, our6, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	cap.n = 0;
	return s;
}

/* Captured frame i as Ethernet + IPv6 from our6 to peer6 carrying proto. */
static zc_ipv6 sent_ipv6(unsigned i, uint8_t proto)
{
	zc_eth eth = sent_eth(i, ZC_ETH_P_IPV6);
	zc_ipv6 ip;

	ck_assert_mem_eq(zc_eth_dst(eth), peer_mac, 6);
	ck_assert_int_eq(zc_ipv6_parse(zc_eth_payload(eth), &ip), ZC_OK);
	ck_assert_mem_eq(zc_ipv6_src(ip), our6, 16);
	ck_assert_mem_eq(zc_ipv6_dst(ip), peer6, 16);
	ck_assert_uint_eq(zc_ipv6_proto(ip), proto);
	return ip;
}

static void udp6_frame(frame *f, uint16_t sport, uint16_t dport, const void *data, size_t len)
{
	uint8_t u[1500];

	zc_store_be16(u, sport);
	zc_store_be16(u + 2, dport);
	zc_store_be16(u + 4, (uint16_t)(8 + len));
	zc_store_be16(u + 6, 0);
	memcpy(u + 8, data, len);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(f, 14, peer6, our6, 64, ZC_IPPROTO_UDP, u, 8 + len);
}

static struct {
	zcs_addr from;
	char data[64];
	size_t len;
	unsigned n;
} got6;

static void on_datagram6(void *ctx, int sock, const zcs_addr *from, zc_buf payload)
{
	(void)ctx;
	(void)sock;
	got6.from = *from;
	got6.len = payload.len < sizeof got6.data ? payload.len : sizeof got6.data;
	memcpy(got6.data, payload.p, got6.len);
	got6.n++;
}

START_TEST(udp_over_ipv6)
{
	zcs_stack *s = make6();
	zcs_addr from, to;
	zcs_addr4 from4;
	char buf[64];
	zc_ipv6 ip;
	zc_udp u;
	frame f;
	int sock;

	sock = zcs_udp_open(s);
	ck_assert_int_ge(sock, 0);
	ck_assert_int_eq(zcs_udp_bind(s, sock, 7), ZC_OK);
	udp6_frame(&f, 5353, 7, "over six", 8);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_int_eq(zcs_udp_recvfrom_addr(s, sock, buf, sizeof buf, &from), 8);
	ck_assert_mem_eq(buf, "over six", 8);
	ck_assert_uint_eq(from.family, ZCS_AF_INET6);
	ck_assert_mem_eq(from.ip, peer6, 16);
	ck_assert_uint_eq(from.port, 5353);
	/* The IPv4-only call gives an IPv6 sender as address 0, with its port. */
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_int_eq(zcs_udp_recvfrom(s, sock, buf, sizeof buf, &from4), 8);
	ck_assert_uint_eq(from4.addr, 0);
	ck_assert_uint_eq(from4.port, 5353);

	/* The answer: from fd77::2, its sum over the IPv6 pseudo-header. */
	ck_assert_int_eq(zcs_udp_sendto_addr(s, sock, &from, "back", 4, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ip = sent_ipv6(0, ZC_IPPROTO_UDP);
	ck_assert_int_eq(zc_udp_parse(zc_ipv6_payload(ip), &u), ZC_OK);
	ck_assert(zc_udp_csum_ok(u, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip)), ZC_UDP_OVER_IPV6));
	ck_assert_uint_eq(zc_udp_src_port(u), 7);
	ck_assert_uint_eq(zc_udp_dst_port(u), 5353);
	ck_assert_mem_eq(zc_udp_payload(u).p, "back", 4);
	/* Past the MTU the datagram goes in fragments: every byte once, in order, each fragment within the MTU. */
	{
		static uint8_t big[16384], whole[3100];
		size_t k, at = 0;
		uint32_t id = 0;

		for (k = 0; k < 3000; k++)
			big[k] = (uint8_t)(k * 7);
		cap.n = 0;
		ck_assert_int_eq(zcs_udp_sendto_addr(s, sock, &from, big, 3000, ZCS_DAD_US), ZC_OK);
		ck_assert_uint_eq(cap.n, 3);
		for (k = 0; k < 3; k++) {
			zc_ipv6 fi = sent_ipv6((unsigned)k, ZC_IPPROTO_UDP);
			zc_buf d = zc_ipv6_payload(fi);

			ck_assert_uint_le(cap.len[k], 14 + 1500);
			ck_assert(zc_ipv6_has_frag_hdr(fi));
			ck_assert_uint_eq(zc_ipv6_frag_offset(fi), at);
			ck_assert(zc_ipv6_mf(fi) == (k < 2));
			if (k == 0)
				id = zc_ipv6_frag_id(fi);
			ck_assert_uint_eq(zc_ipv6_frag_id(fi), id);
			/* The first fragment's payload starts with the UDP header the walk stopped at. */
			memcpy(whole + at, d.p, d.len);
			at += d.len;
		}
		ck_assert_uint_eq(at, 8 + 3000);
		ck_assert_mem_eq(whole + 8, big, 3000);
		ck_assert_int_eq(zc_udp_parse(zc_buf_make(whole, at), &u), ZC_OK);
		ck_assert(zc_udp_csum_ok(u, zc_csum_pseudo6(our6, peer6, ZC_IPPROTO_UDP, (uint32_t)at), ZC_UDP_OVER_IPV6));
		ck_assert_uint_eq(stats(s).frag6_sent, 3);
		ck_assert_uint_eq(zcs_udp_sendto_addr(s, sock, &from, big, 16384, ZCS_DAD_US), ZC_E_MSGSIZE);
	}
	/* Off the link, without a router: no route. */
	to = from;
	to.ip[0] = 0x20;
	ck_assert_int_eq(zcs_udp_sendto_addr(s, sock, &to, "x", 1, ZCS_DAD_US), ZC_E_NOROUTE);
	to.family = 5;
	ck_assert_int_eq(zcs_udp_sendto_addr(s, sock, &to, "x", 1, ZCS_DAD_US), ZC_E_ARG);

	/* A checksum of 0 is no checksum over IPv4 but invalid over IPv6 (RFC 8200 8.1). */
	udp6_frame(&f, 5353, 7, "zero", 4);
	zc_store_be16(f.b + 14 + 40 + 6, 0);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_udp_bad, 1);
	/* A bad one too. */
	udp6_frame(&f, 5353, 7, "flip", 4);
	f.b[f.n - 1] ^= 1;
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_udp_bad, 2);

	/* Zero-copy delivery with the sender of either family. */
	memset(&got6, 0, sizeof got6);
	ck_assert_int_eq(zcs_udp_set_recv_addr(s, sock, on_datagram6, NULL), ZC_OK);
	udp6_frame(&f, 5354, 7, "view", 4);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(got6.n, 1);
	ck_assert_uint_eq(got6.from.family, ZCS_AF_INET6);
	ck_assert_mem_eq(got6.from.ip, peer6, 16);
	ck_assert_uint_eq(got6.from.port, 5354);
	ck_assert_mem_eq(got6.data, "view", 4);
	/* The same socket takes IPv4 too, and the callback says so. */
	learn_peer(s);
	udp_frame(&f, 1234, 7, "four", 4);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(got6.n, 2);
	ck_assert_uint_eq(got6.from.family, ZCS_AF_INET);
	ck_assert_uint_eq(zc_load_be32(got6.from.ip), PEER_IP);
	ck_assert_uint_eq(zcs_udp_pending(s, sock), 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(ipv6_transport_waits_for_its_address)
{
	zcs_stack *s = make(config6(ZCS_LINK_ETH));
	zcs_addr to;
	frame f;
	int sock = zcs_udp_open(s);

	ck_assert_int_eq(zcs_udp_bind(s, sock, 7), ZC_OK);
	cap.n = 0;
	/* While fd77::2 is tentative it takes neither datagrams nor sends (RFC 4862 5.4). */
	udp6_frame(&f, 5353, 7, "early", 5);
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(zcs_udp_pending(s, sock), 0);
	memset(&to, 0, sizeof to);
	to.family = ZCS_AF_INET6;
	memcpy(to.ip, peer6, 16);
	to.port = 7;
	ck_assert_int_eq(zcs_udp_sendto_addr(s, sock, &to, "x", 1, 0), ZC_E_NOROUTE);
	ck_assert_int_eq(zcs_tcp_connect_addr(s, &to, 0), ZC_E_NOROUTE);
	ck_assert_uint_eq(cap.n, 0);
	(void)zcs_poll(s, ZCS_DAD_US);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(zcs_udp_pending(s, sock), 1);
	zcs_destroy(s);
}
END_TEST

/* A TCP segment's bytes at t: ports, numbers, flags, window 65535, the MSS option when mss, data. */
static size_t tcp_bytes(uint8_t *t, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack,
			const char *data, uint16_t mss)
{
	size_t hl = mss ? 24 : 20, n = data ? strlen(data) : 0;

	memset(t, 0, hl);
	zc_store_be16(t, sport);
	zc_store_be16(t + 2, dport);
	zc_store_be32(t + 4, seq);
	zc_store_be32(t + 8, ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	zc_store_be16(t + 14, 65535);
	if (mss) {
		t[20] = ZC_TCP_OPT_MSS;
		t[21] = 4;
		zc_store_be16(t + 22, mss);
	}
	if (n)
		memcpy(t + hl, data, n);
	return hl + n;
}

static void tseg6(frame *f, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack, const char *data, uint16_t mss)
{
	uint8_t t[1500];
	size_t n = tcp_bytes(t, 40000, dport, flags, seq, ack, data, mss);

	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(f, 14, peer6, our6, 64, ZC_IPPROTO_TCP, t, n);
}

/* Captured frame i as a TCP segment over IPv6, its sum checked. */
static zc_tcp sent_tcp6(unsigned i)
{
	zc_ipv6 ip = sent_ipv6(i, ZC_IPPROTO_TCP);
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(zc_ipv6_payload(ip), &t), ZC_OK);
	ck_assert(zc_tcp_csum_ok(t, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip))));
	return t;
}

START_TEST(tcp_over_ipv6)
{
	zcs_stack *s = make6();
	zc_tcp_optset o;
	zcs_addr peer;
	uint32_t iss;
	char buf[32];
	zc_tcp t;
	frame f;
	int l, c;

	l = zcs_tcp_listen(s, 80, 4);
	ck_assert_int_ge(l, 0);
	tseg6(&f, 80, ZC_TCP_SYN, 5000, 0, NULL, 1440);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp6(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_SYN | ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(t), 5001);
	/* Our MSS over IPv6: the MTU less 40 and 20. */
	ck_assert_int_eq(zc_tcp_options(t, &o), ZC_OK);
	ck_assert(o.has_mss);
	ck_assert_uint_eq(o.mss, 1500 - 40 - 20);
	iss = zc_tcp_seq(t);
	tseg6(&f, 80, ZC_TCP_ACK | ZC_TCP_PSH, 5001, iss + 1, "hello six", 0);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	c = zcs_tcp_accept_addr(s, l, &peer);
	ck_assert_int_ge(c, 0);
	ck_assert_uint_eq(peer.family, ZCS_AF_INET6);
	ck_assert_mem_eq(peer.ip, peer6, 16);
	ck_assert_uint_eq(peer.port, 40000);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, ZCS_DAD_US), 9);
	ck_assert_mem_eq(buf, "hello six", 9);
	cap.n = 0;
	ck_assert_int_eq(zcs_tcp_send(s, c, "back", 4, ZCS_DAD_US), 4);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp6(0);
	ck_assert_uint_eq(zc_tcp_seq(t), iss + 1);
	ck_assert_uint_eq(zc_tcp_ack(t), 5010);
	ck_assert_mem_eq(zc_tcp_payload(t).p, "back", 4);
	/* The peer acknowledges: the send ring is empty again. */
	tseg6(&f, 80, ZC_TCP_ACK, 5010, iss + 5, NULL, 0);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(zcs_tcp_writable(s, c), 16384);
	/* A segment with a bad sum over the IPv6 pseudo-header is dropped. */
	tseg6(&f, 80, ZC_TCP_ACK, 5010, iss + 5, "x", 0);
	f.b[f.n - 1] ^= 1;
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_tcp_bad, 1);
	/* A closed port answers with a reset over IPv6. */
	cap.n = 0;
	tseg6(&f, 81, ZC_TCP_SYN, 7000, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp6(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_RST | ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(t), 7001);
	zcs_destroy(s);
}
END_TEST

/* Large segments over IPv6: the virtio fields of TCPV6, the checksum partial over the IPv6 pseudo-header. */
/* A connection from [fd77::1]:40000 to a listener on 80, its MSS 1440, accepted; *iss is the stack's ISN. */
static int tcp6_accepted(zcs_stack *s, uint32_t *iss)
{
	zcs_addr peer;
	frame f;
	int l = zcs_tcp_listen(s, 80, 4), c;

	ck_assert_int_ge(l, 0);
	cap.n = 0;
	tseg6(&f, 80, ZC_TCP_SYN, 5000, 0, NULL, 1440);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	*iss = zc_tcp_seq(sent_tcp6(0));
	tseg6(&f, 80, ZC_TCP_ACK, 5001, *iss + 1, NULL, 0);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	c = zcs_tcp_accept_addr(s, l, &peer);
	ck_assert_int_ge(c, 0);
	cap.n = 0;
	return c;
}

/* A packet too big from a router on the path, for next-hop MTU mtu, quoting 1,000 bytes of captured frame i. */
static void packet_too_big(zcs_stack *s, unsigned i, uint32_t mtu, uint64_t now)
{
	static const uint8_t router6[16] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe };
	uint8_t m[8 + 1000];
	frame f;

	ck_assert_uint_ge(cap.len[i], 14 + 1000);
	memset(m, 0, 8);
	m[0] = ZC_ICMP6_PACKET_TOO_BIG;
	zc_store_be32(m + 4, mtu);
	memcpy(m + 8, cap.f[i] + 14, 1000);
	put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(&f, 14, router6, our6, 64, ZC_IPPROTO_ICMPV6, m, sizeof m);
	ck_assert_int_eq(input(s, &f, now), ZC_OK);
}

START_TEST(tcp_mss_follows_packet_too_big)
{
	zcs_stack *s = make6();
	static char big[6000];
	uint32_t iss;
	unsigned n;
	int c;

	c = tcp6_accepted(s, &iss);
	memset(big, 's', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 4000, ZCS_DAD_US), 4000);
	ck_assert_uint_ge(cap.n, 2);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp6(0)).len, 1440);
	/* A tunnel of 1,400 on the path: segments of 1,400 less 60. */
	n = cap.n;
	packet_too_big(s, 0, 1400, ZCS_DAD_US + 10);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 1);
	ck_assert_uint_gt(cap.n, n);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp6(n)), iss + 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp6(n)).len, 1340);
	/* Below IPv6's minimum MTU: taken as 1,280 (RFC 8201 4). */
	n = cap.n;
	packet_too_big(s, n - 1, 600, ZCS_DAD_US + 20);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 2);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp6(n)).len, 1220);
	/* The same again: no lower MTU, nothing sent. */
	n = cap.n;
	packet_too_big(s, n - 1, 1280, ZCS_DAD_US + 30);
	ck_assert_uint_eq(stats(s).drop_icmp_mtu, 1);
	ck_assert_uint_eq(cap.n, n);
	zcs_destroy(s);
}
END_TEST

START_TEST(tso_over_ipv6)
{
	zcs_config cfg = config6(ZCS_LINK_ETH);
	static char data[10000];
	zc_ipv6 ip;
	zc_eth eth;
	zc_tcp t;
	zcs_stack *s;
	uint32_t iss;
	uint16_t sum;
	frame f;
	int c;

	s = make_tso(cfg, ZCS_TSO_MAX);
	(void)zcs_poll(s, ZCS_DAD_US);
	ns_frame(&f, peer6, our6, 255, true);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	c = tcp6_accepted(s, &iss);
	memset(data, 'v', sizeof data);
	ck_assert_int_eq(zcs_tcp_send(s, c, data, sizeof data, ZCS_DAD_US), (long)sizeof data);
	/* The initial window, 4380 bytes: three MSS of 1440 in one segment; the 60 left wait for an ACK. */
	ck_assert_uint_eq(cap.n, 0);
	ck_assert_uint_eq(gcap.n, 1);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(gcap.f[0], gcap.len[0]), &eth), ZC_OK);
	ck_assert_uint_eq(zc_eth_type(eth), ZC_ETH_P_IPV6);
	ck_assert_int_eq(zc_ipv6_parse(zc_eth_payload(eth), &ip), ZC_OK);
	ck_assert_uint_eq(zc_ipv6_proto(ip), ZC_IPPROTO_TCP);
	ck_assert_int_eq(zc_tcp_parse(zc_ipv6_payload(ip), &t), ZC_OK);
	ck_assert_uint_eq(gcap.g[0].type, ZCS_GSO_TCPV6);
	ck_assert_uint_eq(gcap.g[0].size, 1440);
	ck_assert_uint_eq(gcap.g[0].csum_start, 14 + 40);
	ck_assert_uint_eq(gcap.g[0].csum_offset, 16);
	ck_assert_uint_eq(gcap.g[0].hdr_len, 14 + 40 + zc_tcp_hdr_len(t));
	ck_assert_uint_eq(zc_tcp_seq(t), iss + 1);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 3 * 1440);
	sum = zc_csum(gcap.f[0] + 54, gcap.len[0] - 54);
	zc_store_be16(gcap.f[0] + 54 + 16, sum ? sum : 0xffff);
	ck_assert(zc_tcp_csum_ok(t, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip))));
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_connects_over_ipv6)
{
	zcs_stack *s = make6();
	zcs_addr to;
	uint32_t iss;
	zc_tcp t;
	frame f;
	int c;

	memset(&to, 0, sizeof to);
	to.family = ZCS_AF_INET6;
	memcpy(to.ip, peer6, 16);
	to.port = 40000; /* the peer's port, as tseg6 sends from */
	c = zcs_tcp_connect_addr(s, &to, ZCS_DAD_US);
	ck_assert_int_ge(c, 0);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp6(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_SYN);
	iss = zc_tcp_seq(t);
	cap.n = 0;
	tseg6(&f, zc_tcp_src_port(t), ZC_TCP_SYN | ZC_TCP_ACK, 9000, iss + 1, NULL, 1440);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	t = sent_tcp6(0);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(t), 9001);
	zcs_destroy(s);
}
END_TEST

/*
 * The IPv6 packet in f (Ethernet at 0) cut into fragments of per bytes of
 * its payload (a multiple of 8), each with a fragment header of id: how many.
 */
static unsigned fragments6(const frame *f, size_t per, uint32_t id, frame *out, unsigned max)
{
	const uint8_t *ip = f->b + 14;
	size_t plen = f->n - 14 - 40, off;
	unsigned k = 0;

	for (off = 0; off < plen && k < max; off += per, k++) {
		size_t n = plen - off < per ? plen - off : per;
		uint8_t *o = out[k].b + 14;

		memcpy(out[k].b, f->b, 14);
		memcpy(o, ip, 40);
		o[6] = ZC_IPPROTO_FRAGMENT;
		zc_store_be16(o + 4, (uint16_t)(8 + n));
		o[40] = ip[6];
		o[41] = 0;
		zc_store_be16(o + 42, (uint16_t)(off | (off + n < plen ? 1 : 0)));
		zc_store_be32(o + 44, id);
		memcpy(o + 48, ip + 40 + off, n);
		out[k].n = 14 + 48 + n;
	}
	return k;
}

START_TEST(ipv6_fragments_are_reassembled)
{
	static const unsigned orders[][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 2, 0 } };
	zcs_stack *s = make6();
	static frame f, part[4];
	zc_icmp6 m;
	unsigned k, i;

	/* A 1400-byte echo request in three fragments, in any order: one reply, whole (it fits the MTU). */
	echo6(&f, our6, 1400 - 8);
	ck_assert_uint_eq(fragments6(&f, 512, 77, part, 4), 3);
	for (k = 0; k < 3; k++) {
		cap.n = 0;
		for (i = 0; i < 3; i++)
			ck_assert_int_eq(input(s, &part[orders[k][i]], ZCS_DAD_US), ZC_OK);
		ck_assert_uint_eq(cap.n, 1);
		m = sent_icmp6(0, NULL, NULL);
		ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_ECHO_REPLY);
		ck_assert_uint_eq(zc_icmp6_payload(m).len, 1400 - 8);
		ck_assert_mem_eq(zc_icmp6_payload(m).p, f.b + 14 + 40 + 8, 1400 - 8);
	}
	ck_assert_uint_eq(stats(s).frag6_reassembled, 3);
	ck_assert_uint_eq(stats(s).frag_reassembled, 3);

	/* A fragment that changes bytes another gave drops the datagram. */
	cap.n = 0;
	ck_assert_int_eq(input(s, &part[0], ZCS_DAD_US), ZC_OK);
	part[1].b[14 + 48] ^= 1;
	ck_assert_int_eq(input(s, &part[1], ZCS_DAD_US), ZC_OK);
	memcpy(part[3].b, part[1].b, part[1].n);
	part[3].n = part[1].n;
	part[3].b[14 + 48] ^= 1;
	ck_assert_int_eq(input(s, &part[3], ZCS_DAD_US), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_overlap, 1);
	part[1].b[14 + 48] ^= 1;
	ck_assert_int_eq(input(s, &part[2], ZCS_DAD_US), ZC_OK);
	ck_assert_uint_eq(cap.n, 0);

	/* A fragment of a size that is not a multiple of 8, while more follow: dropped. */
	memcpy(&part[3], &part[0], sizeof part[0]);
	part[3].n -= 4;
	zc_store_be16(part[3].b + 14 + 4, (uint16_t)(8 + 508));
	ck_assert_int_eq(input(s, &part[3], ZCS_DAD_US), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_frag_bad, 1);

	/* A datagram never completed is given up after 60 s, not 30. */
	(void)zcs_poll(s, ZCS_DAD_US + 31000000ull);
	ck_assert_uint_eq(stats(s).drop_frag_timeout, 0);
	(void)zcs_poll(s, ZCS_DAD_US + 61000000ull);
	ck_assert_uint_eq(stats(s).drop_frag_timeout, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(ipv6_fragments_share_the_bounded_slots)
{
	zcs_config c = config6(ZCS_LINK_ETH);
	static frame f, part[3];
	zcs_stack *s;
	uint32_t id;
	frame g;

	c.reasm_slots = 2;
	s = make(c);
	(void)zcs_poll(s, ZCS_DAD_US);
	ns_frame(&g, peer6, our6, 255, true);
	ck_assert_int_eq(input(s, &g, ZCS_DAD_US), ZC_OK);
	/* Two first fragments hold both slots; a third datagram finds none. */
	echo6(&f, our6, 1000);
	for (id = 1; id <= 3; id++) {
		ck_assert_uint_eq(fragments6(&f, 512, id, part, 3), 2);
		ck_assert_int_eq(input(s, &part[0], ZCS_DAD_US), id <= 2 ? ZC_OK : ZC_E_NOBUFS);
	}
	ck_assert_uint_eq(stats(s).drop_frag_slots_full, 1);
	/* The IPv4 fragment of another datagram finds no slot either: the two families share them. */
	{
		static frame f4, p4[3];

		learn_peer(s);
		echo_request(&f4, 14, OUR_IP, 2000);
		ck_assert_uint_eq(fragments(&f4, 1480, p4, 3), 2);
		ck_assert_int_eq(input(s, &p4[0], ZCS_DAD_US), ZC_E_NOBUFS);
		ck_assert_uint_eq(stats(s).drop_frag_slots_full, 2);
	}
	zcs_destroy(s);
}
END_TEST

START_TEST(ipv6_unknown_next_header_is_a_parameter_problem)
{
	zcs_stack *s = make6();
	uint8_t d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	zc_icmp6 m;
	frame f;

	put_eth(&f, our_mac, peer_mac, ZC_ETH_P_IPV6);
	ipv6_at(&f, 14, peer6, our6, 64, 253, d, sizeof d);
	ck_assert_int_eq(input(s, &f, ZCS_DAD_US), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(cap.n, 1);
	m = sent_icmp6(0, NULL, NULL);
	ck_assert_uint_eq(zc_icmp6_type(m), ZC_ICMP6_PARAM_PROBLEM);
	ck_assert_uint_eq(zc_icmp6_code(m), 1);
	/* The pointer names the fixed header's next-header field (RFC 4443 3.4). */
	ck_assert_uint_eq(zc_load_be32(cap.f[0] + 14 + 40 + 4), 6);
	ck_assert_uint_eq(stats(s).drop_ip_proto, 1);
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- TCP options, delayed ACK, keepalive, ISNs */

/* A segment from the peer's port 40000 to 80 with the option bytes given (a multiple of 4). */
static void tseg_opts(frame *f, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const char *data,
		      const uint8_t *opts, size_t optlen)
{
	uint8_t t[9000];
	size_t hl = 20 + optlen, n = data ? strlen(data) : 0;

	ck_assert_uint_le(hl + n, sizeof t);
	memset(t, 0, 20);
	zc_store_be16(t, 40000);
	zc_store_be16(t + 2, 80);
	zc_store_be32(t + 4, seq);
	zc_store_be32(t + 8, ack);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	zc_store_be16(t + 14, win);
	if (optlen)
		memcpy(t + 20, opts, optlen);
	if (n)
		memcpy(t + hl, data, n);
	put_eth(f, our_mac, peer_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, 14, PEER_IP, OUR_IP, ZC_IPPROTO_TCP, t, hl + n);
}

/* NOP, NOP, timestamps val and ecr: the 12 bytes Linux puts in every segment. */
static size_t ts_opt(uint8_t *o, uint32_t val, uint32_t ecr)
{
	o[0] = ZC_TCP_OPT_NOP;
	o[1] = ZC_TCP_OPT_NOP;
	o[2] = ZC_TCP_OPT_TS;
	o[3] = 10;
	zc_store_be32(o + 4, val);
	zc_store_be32(o + 8, ecr);
	return 12;
}

/* A stack with the 256 KiB rings tcp_modern() expects. */
static zcs_stack *make_modern(void)
{
	zcs_config cf = config(ZCS_LINK_ETH);

	cf.tcp_ring_bytes = 256 << 10;
	return make(cf);
}

/*
 * A handshake with a modern peer (MSS 1460, window shift 7, SACK-permitted,
 * timestamps) to a listener on 80 of a stack with 256 KiB rings; *iss is
 * the stack's ISN, *tsval its timestamp in the SYN-ACK.
 */
static int tcp_modern(zcs_stack *s, uint32_t *iss, uint32_t *tsval)
{
	uint8_t syn[20] = { ZC_TCP_OPT_MSS, 4, 0x05, 0xb4, ZC_TCP_OPT_SACK_PERM, 2, ZC_TCP_OPT_TS, 10, 0, 0, 0, 100,
			    0, 0, 0, 0, ZC_TCP_OPT_NOP, ZC_TCP_OPT_WSCALE, 3, 7 };
	uint8_t o[12];
	zc_tcp_optset os;
	zc_tcp t;
	frame f;
	int l, c;

	learn_peer(s);
	l = zcs_tcp_listen(s, 80, 4);
	ck_assert_int_ge(l, 0);
	tseg_opts(&f, ZC_TCP_SYN, 1000, 0, 65535, NULL, syn, sizeof syn);
	ck_assert_int_eq(input(s, &f, 500000), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(os.has_mss && os.has_wscale && os.has_sack_perm && os.has_ts);
	/* 256 KiB needs a shift of 3 to fit 16 bits (65536 does not); the SYN-ACK's own window is not scaled. */
	ck_assert_uint_eq(os.wscale, 3);
	ck_assert_uint_eq(zc_tcp_window(t), 65535);
	ck_assert_uint_eq(os.tsecr, 100);
	ck_assert_uint_eq(os.tsval, 500); /* milliseconds */
	*iss = zc_tcp_seq(t);
	*tsval = os.tsval;
	tseg_opts(&f, ZC_TCP_ACK, 1001, *iss + 1, 1, NULL, o, ts_opt(o, 101, os.tsval));
	ck_assert_int_eq(input(s, &f, 500000), ZC_OK);
	c = zcs_tcp_accept(s, l, NULL);
	ck_assert_int_ge(c, 0);
	cap.n = 0;
	return c;
}

START_TEST(tcp_window_scaling_and_timestamps)
{
	static char big[4000];
	uint32_t iss, tsv;
	zc_tcp_optset os;
	uint8_t o[12];
	char buf[64];
	zc_tcp t;
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_modern(s, &iss, &tsv);
	/* The peer's window of 1 is 1 << 7 = 128 bytes: that much goes of 1000. */
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 1000, 600000), 1000);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 128);
	/* Every segment has our timestamp and echoes the peer's latest. */
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(os.has_ts);
	ck_assert_uint_eq(os.tsval, 600);
	ck_assert_uint_eq(os.tsecr, 101);
	/* Our window is scaled by 3: 256 KiB free reads 32768. */
	ck_assert_uint_eq(zc_tcp_window(t), (256u << 10) >> 3);

	/* A window of 100 << 7 lets the rest go, in segments of 1460 - 12 with the timestamps. */
	cap.n = 0;
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1 + 128, 100, NULL, o, ts_opt(o, 102, 600));
	ck_assert_int_eq(input(s, &f, 700000), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1000 - 128);
	cap.n = 0;
	ck_assert_int_eq(zcs_tcp_send(s, c, big, sizeof big, 700000), (long)sizeof big);
	ck_assert_uint_ge(cap.n, 2);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1448);

	/* Data in: our window, once 3000 bytes are held, is (256 KiB - 3000) >> 3. */
	cap.n = 0;
	{
		static char d[3001];

		memset(d, 'z', 3000);
		tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1 + 1000, 100, d, o, ts_opt(o, 103, 700));
		ck_assert_int_eq(input(s, &f, 800000), ZC_OK);
	}
	ck_assert_uint_eq(cap.n, 0); /* one segment owed: the ACK waits */
	(void)zcs_poll(s, 800000 + ZCS_TCP_DELACK_US);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_ack(t), 1001 + 3000);
	ck_assert_uint_eq(zc_tcp_window(t), ((256u << 10) - 3000) >> 3);

	/* PAWS: a segment with an older timestamp is an old duplicate: acknowledged, not taken. */
	cap.n = 0;
	tseg_opts(&f, ZC_TCP_ACK, 4001, iss + 1 + 1000, 100, "old", o, ts_opt(o, 50, 700));
	ck_assert_int_eq(input(s, &f, 900000), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(stats(s).drop_tcp_paws, 1);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_ack(sent_tcp(0)), 4001);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 3000);
	/* The same bytes with a newer one are taken; two segments owed: the ACK goes at once. */
	cap.n = 0;
	tseg_opts(&f, ZC_TCP_ACK, 4001, iss + 1 + 1000, 100, "new", o, ts_opt(o, 104, 700));
	ck_assert_int_eq(input(s, &f, 900000), ZC_OK);
	ck_assert_uint_eq(cap.n, 0);
	tseg_opts(&f, ZC_TCP_ACK, 4004, iss + 1 + 1000, 100, "more", o, ts_opt(o, 105, 700));
	ck_assert_int_eq(input(s, &f, 900000), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	ck_assert_uint_eq(zc_tcp_ack(t), 4008);
	/* A delayed ACK echoes the earliest of the segments it covers (RFC 7323 4.3). */
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert_uint_eq(os.tsecr, 104);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, 0, 900000), 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_sack_blocks_tell_what_is_held)
{
	uint32_t iss, tsv;
	zc_tcp_optset os;
	uint8_t o[12];
	zc_tcp t;
	zcs_stack *s;
	frame f;

	s = make_modern();
	(void)tcp_modern(s, &iss, &tsv);
	/* Two segments past a gap at 1001: each is answered at once with SACK blocks, the latest first. */
	tseg_opts(&f, ZC_TCP_ACK, 1101, iss + 1, 100, "0123456789", o, ts_opt(o, 110, tsv));
	ck_assert_int_eq(input(s, &f, 600000), ZC_OK);
	tseg_opts(&f, ZC_TCP_ACK, 1201, iss + 1, 100, "abcde", o, ts_opt(o, 111, tsv));
	ck_assert_int_eq(input(s, &f, 600000), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	t = sent_tcp(1);
	ck_assert_uint_eq(zc_tcp_ack(t), 1001);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(os.has_ts);
	ck_assert_uint_eq(os.nsack, 2);
	ck_assert_uint_eq(os.sack[0][0], 1201);
	ck_assert_uint_eq(os.sack[0][1], 1206);
	ck_assert_uint_eq(os.sack[1][0], 1101);
	ck_assert_uint_eq(os.sack[1][1], 1111);
	/* The gap fills up to the first range: one block is left. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 100, NULL, o, ts_opt(o, 112, tsv));
	{
		static char d[101];

		memset(d, 'g', 100);
		tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 100, d, o, ts_opt(o, 112, tsv));
	}
	ck_assert_int_eq(input(s, &f, 600000), ZC_OK);
	ck_assert_uint_eq(cap.n, 3);
	t = sent_tcp(2);
	ck_assert_uint_eq(zc_tcp_ack(t), 1111);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert_uint_eq(os.nsack, 1);
	ck_assert_uint_eq(os.sack[0][0], 1201);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_path_mtu_leaves_room_for_timestamps)
{
	zcs_stack *s;
	static char big[8000];
	uint32_t iss, tsval;
	uint8_t o[12];
	unsigned n, i;
	frame f;
	int c;

	s = make_modern();
	c = tcp_modern(s, &iss, &tsval);
	/* The peer opens its window (1000 << 7), its timestamp moving on. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 1000, NULL, o, ts_opt(o, 102, tsval));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	memset(big, 't', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 4000, 510000), 4000);
	ck_assert_uint_ge(cap.n, 2);
	/* Every segment carries 12 bytes of timestamp: 1,460 less 12 of data. */
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1448);
	n = cap.n;
	frag_needed(s, 0, 1000, 0, 520000);
	ck_assert_uint_eq(stats(s).tcp_pmtu_lowered, 1);
	ck_assert_uint_gt(cap.n, n);
	/* 1,000 less the two headers and the timestamps, and every frame within the next hop's MTU. */
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(n)).len, 1000 - 40 - 12);
	for (i = n; i < cap.n; i++)
		ck_assert_uint_le(cap.len[i], 14 + 1000);
	zcs_destroy(s);
}
END_TEST

/* Timestamps val and ecr, then n SACK blocks of segments of m bytes from base: [base + m*b[2i], base + m*b[2i+1]). */
static size_t ts_sack_opt(uint8_t *o, uint32_t val, uint32_t ecr, uint32_t base, uint32_t m, const unsigned *b,
			  unsigned n)
{
	size_t k = ts_opt(o, val, ecr);
	unsigned i;

	o[k] = ZC_TCP_OPT_NOP;
	o[k + 1] = ZC_TCP_OPT_NOP;
	o[k + 2] = ZC_TCP_OPT_SACK;
	o[k + 3] = (uint8_t)(2 + 8 * n);
	for (i = 0; i < n; i++) {
		zc_store_be32(o + k + 4 + 8 * i, base + m * b[2 * i]);
		zc_store_be32(o + k + 8 + 8 * i, base + m * b[2 * i + 1]);
	}
	return k + 4 + 8 * n;
}

START_TEST(tcp_data_segments_leave_room_for_sack_blocks)
{
	static char big[8000];
	uint32_t iss, tsval;
	zc_tcp_optset os;
	uint8_t o[12];
	unsigned i;
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_modern(s, &iss, &tsval);
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 1000, NULL, o, ts_opt(o, 102, tsval));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	/* Two ranges held past a gap at 1001: our segments carry two SACK blocks, 20 bytes. */
	tseg_opts(&f, ZC_TCP_ACK, 1101, iss + 1, 1000, "0123456789", o, ts_opt(o, 103, tsval));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	tseg_opts(&f, ZC_TCP_ACK, 1201, iss + 1, 1000, "abcde", o, ts_opt(o, 104, tsval));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	cap.n = 0;
	memset(big, 's', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 4000, 520000), 4000);
	ck_assert_uint_ge(cap.n, 2);
	ck_assert_int_eq(zc_tcp_options(sent_tcp(0), &os), ZC_OK);
	ck_assert_uint_eq(os.nsack, 2);
	/* 1,460 less the timestamps and the blocks, and no frame past the MTU. */
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1448 - 20);
	for (i = 0; i < cap.n; i++)
		ck_assert_uint_le(cap.len[i], 14 + 1500);
	/* The first gap filled, one range is left: one block, and segments 8 bytes longer. */
	{
		static char gap[101];

		memset(gap, 'g', 100);
		tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1 + 2 * 1428, 1000, gap, o, ts_opt(o, 105, tsval));
	}
	ck_assert_int_eq(input(s, &f, 530000), ZC_OK);
	ck_assert_uint_eq(zcs_tcp_readable(s, c), 110);
	cap.n = 0;
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 4000, 540000), 4000);
	ck_assert_uint_ge(cap.n, 2);
	ck_assert_int_eq(zc_tcp_options(sent_tcp(0), &os), ZC_OK);
	ck_assert_uint_eq(os.nsack, 1);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(0)).len, 1448 - 12);
	for (i = 0; i < cap.n; i++)
		ck_assert_uint_le(cap.len[i], 14 + 1500);
	zcs_destroy(s);
}
END_TEST

/* a before b in sequence space. */
static bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/*
 * A modern connection with *segs full segments in flight from sequence
 * number base (24): slow start from the initial window of 4,380 bytes,
 * each segment acknowledged by an ACK of its own, for three round trips. The peer's window is large and its timestamp
 * tsv; the next one it sends is *tsnext.
 */
static int tcp_in_flight(zcs_stack *s, uint32_t *base, uint32_t *tsv, unsigned *tsnext, unsigned *segs)
{
	static char big[60 * 1448];
	uint32_t iss, ts, ends[CAP_FRAMES];
	unsigned i, n, round, tsn = 103;
	uint8_t o[12];
	frame f;
	int c;

	c = tcp_modern(s, &iss, &ts);
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 2000, NULL, o, ts_opt(o, 102, ts));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	memset(big, 'q', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, sizeof big, 510000), (long)sizeof big);
	*base = iss + 1;
	for (round = 0; round < 3; round++) {
		for (i = n = 0; i < cap.n; i++)
			if (zc_tcp_payload(sent_tcp(i)).len)
				ends[n++] = zc_tcp_seq(sent_tcp(i)) + (uint32_t)zc_tcp_payload(sent_tcp(i)).len;
		cap.n = 0;
		for (i = 0; i < n; i++) {
			tseg_opts(&f, ZC_TCP_ACK, 1001, ends[i], 2000, NULL, o, ts_opt(o, tsn++, ts));
			ck_assert_int_eq(input(s, &f, 520000 + 10000 * round), ZC_OK);
			*base = ends[i];
		}
	}
	for (i = n = 0; i < cap.n; i++) {
		zc_tcp t = sent_tcp(i);

		if (zc_tcp_payload(t).len == 0)
			continue;
		ck_assert_uint_eq(zc_tcp_payload(t).len, 1448);
		ck_assert_uint_eq(zc_tcp_seq(t), *base + n * 1448);
		n++;
	}
	*segs = n;
	*tsv = ts;
	*tsnext = tsn;
	cap.n = 0;
	return c;
}

START_TEST(tcp_sack_recovery_sends_every_hole_in_a_round_trip)
{
	/* What the peer holds as each duplicate ACK goes: segments 1, 2, 4, 5, 6, 8 .. 15 of 0 .. 15; 0, 3 and 7 lost. */
	static const unsigned held[][6] = {
		{ 1, 2 }, { 1, 3 }, { 4, 5, 1, 3 }, { 4, 6, 1, 3 }, { 4, 7, 1, 3 }, { 8, 9, 4, 7, 1, 3 }, { 8, 16, 4, 7, 1, 3 },
	};
	static const unsigned nheld[] = { 1, 1, 2, 2, 2, 3, 3 };
	uint32_t base, tsv, resent[64];
	unsigned i, k, nres = 0, ts, segs;
	uint8_t o[40];
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_in_flight(s, &base, &tsv, &ts, &segs);
	ck_assert_uint_eq(segs, 24);
	/* The peer's window moves as it holds data: each ACK still counts, for its new SACK blocks (RFC 6675 2). */
	for (k = 0; k < sizeof nheld / sizeof nheld[0]; k++) {
		tseg_opts(&f, ZC_TCP_ACK, 1001, base, (uint16_t)(2000 - k), NULL, o,
			  ts_sack_opt(o, ts++, tsv, base, 1448, held[k], nheld[k]));
		ck_assert_int_eq(input(s, &f, 540000), ZC_OK);
	}
	ck_assert_uint_eq(stats(s).tcp_sack_recoveries, 1);
	/* Within the one round trip, before any new ACK: the three holes went again, nothing SACKed did. */
	for (i = 0; i < cap.n; i++) {
		zc_tcp t = sent_tcp(i);
		uint32_t seq = zc_tcp_seq(t);

		if (zc_tcp_payload(t).len && seq_before(seq, base + segs * 1448)) {
			ck_assert_uint_eq((seq - base) % 1448, 0);
			resent[nres++] = (seq - base) / 1448;
		}
	}
	ck_assert_uint_eq(nres, 3);
	ck_assert_uint_eq(resent[0], 0);
	ck_assert_uint_eq(resent[1], 3);
	ck_assert_uint_eq(resent[2], 7);
	ck_assert_uint_eq(stats(s).tcp_fast_retransmits, 3);
	/* The ACK of all that was sent before recovery ends it without a timeout; the window is half the flight. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, base + segs * 1448, 2000, NULL, o, ts_opt(o, ts++, tsv));
	ck_assert_int_eq(input(s, &f, 550000), ZC_OK);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	(void)c;
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_sack_recovery_takes_partial_acks_and_bad_blocks)
{
	static const unsigned held[][4] = { { 2, 3 }, { 2, 4 }, { 2, 5 }, { 6, 7, 2, 5 } };
	static const unsigned bogus[] = { 0, 1, 5, 2, 20, 40 };
	static const unsigned rest[] = { 6, 24 };
	uint32_t base, tsv;
	unsigned i, k, ts, segs, n;
	uint8_t o[40];
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_in_flight(s, &base, &tsv, &ts, &segs);
	/* Blocks below snd_una (a D-SACK), reversed, or past what was sent are ignored: no recovery. */
	for (k = 0; k < 3; k++) {
		tseg_opts(&f, ZC_TCP_ACK, 1001, base, 2000, NULL, o, ts_sack_opt(o, ts++, tsv, base - 1448, 1448, bogus, 3));
		ck_assert_int_eq(input(s, &f, 540000), ZC_OK);
		if (k < 2)
			ck_assert_uint_eq(stats(s).tcp_sack_recoveries + stats(s).tcp_fast_retransmits, 0);
	}
	/* The third duplicate starts NewReno recovery all the same: the scoreboard is empty. */
	ck_assert_uint_eq(stats(s).tcp_sack_recoveries, 0);
	ck_assert_uint_eq(stats(s).tcp_fast_retransmits, 1);
	zcs_destroy(s);

	/* Segments 0, 1 and 5 lost: recovery by the scoreboard. */
	s = make_modern();
	c = tcp_in_flight(s, &base, &tsv, &ts, &segs);
	for (k = 0; k < 4; k++) {
		tseg_opts(&f, ZC_TCP_ACK, 1001, base, 2000, NULL, o, ts_sack_opt(o, ts++, tsv, base, 1448, held[k], k < 3 ? 1 : 2));
		ck_assert_int_eq(input(s, &f, 540000), ZC_OK);
	}
	ck_assert_uint_eq(stats(s).tcp_sack_recoveries, 1);
	n = cap.n;
	/* Limited transmit sent segments 24 and 25 on the first two; then 0 goes again, 0 and 1 being one hole. */
	ck_assert_uint_ge(n, 3);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(0)), base + 24 * 1448);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(1)), base + 25 * 1448);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(2)), base);
	/*
	 * A partial ACK up to 5 (the resend of 0 and 1 came, 2 to 4 were held),
	 * 6 to 23 held: 5 goes again, 0 and 1 never again.
	 */
	tseg_opts(&f, ZC_TCP_ACK, 1001, base + 5 * 1448, 2000, NULL, o,
		  ts_sack_opt(o, ts++, tsv, base, 1448, rest, 1));
	ck_assert_int_eq(input(s, &f, 550000), ZC_OK);
	{
		bool five = false;

		for (i = 0; i < cap.n; i++) {
			uint32_t seq = zc_tcp_seq(sent_tcp(i));

			if (i >= n)
				ck_assert(seq_before(base + 2 * 1448, seq + 1));
			five |= seq == base + 5 * 1448;
		}
		ck_assert(five);
	}
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	/* A timeout forgets the scoreboard: everything from snd_una goes, one segment. */
	cap.n = 0;
	(void)zcs_poll(s, 550000 + 4000000);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 1);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(0)), base + 5 * 1448);
	(void)c;
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_sack_recovery_finds_a_lost_resend)
{
	static const unsigned held[][2] = { { 1, 2 }, { 1, 3 }, { 1, 4 }, { 1, 24 } };
	uint32_t base, tsv, end;
	unsigned i, k, ts, segs, n;
	unsigned past[2];
	uint8_t o[40];
	zcs_stack *s;
	frame f;

	s = make_modern();
	(void)tcp_in_flight(s, &base, &tsv, &ts, &segs);
	/* Segment 0 is lost: recovery sends it again, and the rest SACKed lets new data go. */
	for (k = 0; k < 4; k++) {
		tseg_opts(&f, ZC_TCP_ACK, 1001, base, 2000, NULL, o, ts_sack_opt(o, ts++, tsv, base, 1448, held[k], 1));
		ck_assert_int_eq(input(s, &f, 540000), ZC_OK);
	}
	ck_assert_uint_eq(stats(s).tcp_sack_recoveries, 1);
	for (i = 0, end = base; i < cap.n; i++) {
		zc_tcp t = sent_tcp(i);
		uint32_t e = zc_tcp_seq(t) + (uint32_t)zc_tcp_payload(t).len;

		if (seq_before(end, e))
			end = e;
	}
	ck_assert_uint_eq(sent_at(0, base), 1);
	/* Segment 26 on went after the resend; four of them or more reached the peer, SACKed, and the resend did not. */
	ck_assert(seq_before(base + 29 * 1448, end));
	n = cap.n;
	past[0] = 1;
	past[1] = (end - base) / 1448;
	tseg_opts(&f, ZC_TCP_ACK, 1001, base, 2000, NULL, o, ts_sack_opt(o, ts++, tsv, base, 1448, past, 1));
	ck_assert_int_eq(input(s, &f, 560000), ZC_OK);
	ck_assert_uint_eq(stats(s).tcp_lost_resends, 1);
	ck_assert_uint_eq(sent_at(n, base), 1);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_no_sack_neither_offers_nor_takes_it)
{
	zcs_config cf = config(ZCS_LINK_ETH);
	uint8_t syn[20] = { ZC_TCP_OPT_MSS, 4, 0x05, 0xb4, ZC_TCP_OPT_SACK_PERM, 2, ZC_TCP_OPT_TS, 10, 0, 0, 0, 100,
			    0, 0, 0, 0, ZC_TCP_OPT_NOP, ZC_TCP_OPT_WSCALE, 3, 7 };
	zc_tcp_optset os;
	zcs_stack *s;
	frame f;

	cf.tcp_no_sack = true;
	s = make(cf);
	learn_peer(s);
	ck_assert_int_ge(zcs_tcp_listen(s, 80, 4), 0);
	tseg_opts(&f, ZC_TCP_SYN, 1000, 0, 65535, NULL, syn, sizeof syn);
	ck_assert_int_eq(input(s, &f, 500000), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	ck_assert_int_eq(zc_tcp_options(sent_tcp(0), &os), ZC_OK);
	ck_assert(os.has_mss && os.has_wscale && os.has_ts);
	ck_assert(!os.has_sack_perm);
	zcs_destroy(s);
}
END_TEST

/*
 * A modern connection whose round trip was measured at 5 ms (one segment
 * acknowledged after it), then given n segments of 1,448 bytes at 610 ms,
 * of which the window lets four go: *base is where they start.
 */
static int tcp_measured(zcs_stack *s, unsigned n, uint32_t *base, uint32_t *tsv)
{
	static char big[16 * 1448];
	zcs_tcp_info ti;
	uint32_t iss;
	uint8_t o[12];
	frame f;
	int c;

	c = tcp_modern(s, &iss, tsv);
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1, 1000, NULL, o, ts_opt(o, 102, *tsv));
	ck_assert_int_eq(input(s, &f, 510000), ZC_OK);
	memset(big, 'p', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, 1448, 600000), 1448);
	tseg_opts(&f, ZC_TCP_ACK, 1001, iss + 1 + 1448, 1000, NULL, o, ts_opt(o, 103, *tsv));
	ck_assert_int_eq(input(s, &f, 605000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert_uint_eq(ti.srtt_us, 5000);
	ck_assert_uint_eq(ti.cwnd, 4380 + 1448);
	cap.n = 0;
	ck_assert_int_eq(zcs_tcp_send(s, c, big, n * 1448, 610000), (long)(n * 1448));
	ck_assert_uint_eq(cap.n, 4);
	*base = iss + 1 + 1448;
	return c;
}

START_TEST(tcp_tail_loss_probe_resends_the_last_segment)
{
	uint32_t base, tsv;
	zcs_tcp_info ti;
	uint8_t o[12];
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_measured(s, 4, &base, &tsv);
	/* No ACK comes: two round trips (10 ms) on, well before the 200 ms timeout, the last segment goes again. */
	ck_assert_uint_le(zcs_poll(s, 610000), 620000);
	(void)zcs_poll(s, 619999);
	ck_assert_uint_eq(cap.n, 4);
	(void)zcs_poll(s, 620000);
	ck_assert_uint_eq(cap.n, 5);
	ck_assert_uint_eq(stats(s).tcp_tail_probes, 1);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(4)), base + 3 * 1448);
	ck_assert_uint_eq(zc_tcp_payload(sent_tcp(4)).len, 1448);
	/* One probe at a time: no other before its ACK. */
	(void)zcs_poll(s, 640000);
	ck_assert_uint_eq(cap.n, 5);
	/* Its ACK covers all, without a D-SACK: the probe repaired a loss, and the window (grown by the ACK) is halved. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, base + 4 * 1448, 1000, NULL, o, ts_opt(o, 104, tsv));
	ck_assert_int_eq(input(s, &f, 645000), ZC_OK);
	ck_assert_uint_eq(stats(s).tcp_tail_probe_repairs, 1);
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert_uint_eq(ti.cwnd, (4380 + 2 * 1448) / 2);
	ck_assert_uint_eq(ti.ssthresh, ti.cwnd);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_tail_loss_probe_sends_new_data_and_finds_a_loss)
{
	static const unsigned held[] = { 1, 5 };
	uint32_t base, tsv;
	zcs_tcp_info ti;
	uint8_t o[40];
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_measured(s, 6, &base, &tsv);
	/* Data waits behind the congestion window: the probe is the next new segment. */
	(void)zcs_poll(s, 620000);
	ck_assert_uint_eq(cap.n, 5);
	ck_assert_uint_eq(zc_tcp_seq(sent_tcp(4)), base + 4 * 1448);
	/* The peer lost the first segment: its ACK SACKs the rest and the probe, and recovery starts at once. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, base, 1000, NULL, o, ts_sack_opt(o, 104, tsv, base, 1448, held, 1));
	ck_assert_int_eq(input(s, &f, 625000), ZC_OK);
	ck_assert_uint_eq(stats(s).tcp_sack_recoveries, 1);
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert(ti.in_recovery && ti.sack_recovery);
	ck_assert_uint_eq(ti.sacked, 4 * 1448);
	ck_assert_uint_ge(sent_at(5, base), 1);
	/* Its ACK ends recovery at ssthresh, before any timeout; a new ACK needs no probe. */
	tseg_opts(&f, ZC_TCP_ACK, 1001, base + 6 * 1448, 1000, NULL, o, ts_opt(o, 105, tsv));
	ck_assert_int_eq(input(s, &f, 630000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert(!ti.in_recovery);
	ck_assert_uint_eq(ti.cwnd, ti.ssthresh);
	ck_assert_uint_eq(stats(s).tcp_retransmits, 0);
	ck_assert_uint_eq(stats(s).tcp_tail_probe_repairs, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_congestion_avoidance_counts_bytes)
{
	static char big[64 * 1448];
	uint32_t base, tsv, una, cwnd;
	zcs_tcp_info ti;
	uint8_t o[12];
	unsigned i;
	zcs_stack *s;
	frame f;
	int c;

	s = make_modern();
	c = tcp_measured(s, 4, &base, &tsv);
	/* The probe's ACK halves the window: from here on, congestion avoidance. */
	(void)zcs_poll(s, 620000);
	una = base + 4 * 1448;
	tseg_opts(&f, ZC_TCP_ACK, 1001, una, 1000, NULL, o, ts_opt(o, 104, tsv));
	ck_assert_int_eq(input(s, &f, 625000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert_uint_ge(ti.cwnd, ti.ssthresh);
	cwnd = ti.cwnd;
	memset(big, 'a', sizeof big);
	ck_assert_int_eq(zcs_tcp_send(s, c, big, sizeof big, 625000), (long)sizeof big);
	/*
	 * Two stretch ACKs, each of all in flight, acknowledge a window's worth
	 * and more: the window grows by one MSS, as the ACKs of each segment
	 * would have grown it (RFC 3465), and not by an MSS's share an ACK.
	 */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
		ck_assert_uint_eq(ti.cwnd, cwnd);
		ck_assert_uint_lt(ti.in_flight, cwnd);
		una += ti.in_flight;
		tseg_opts(&f, ZC_TCP_ACK, 1001, una, 1000, NULL, o, ts_opt(o, 105 + i, tsv));
		ck_assert_int_eq(input(s, &f, 630000 + 5000 * i), ZC_OK);
	}
	ck_assert_int_eq(zcs_tcp_get_info(s, c, &ti), ZC_OK);
	ck_assert_uint_eq(ti.cwnd, cwnd + 1448);
	zcs_destroy(s);
}
END_TEST

START_TEST(tcp_keepalive_probes_an_idle_peer)
{
	zcs_stack *s = make(config(ZCS_LINK_ETH));
	uint32_t iss;
	char buf[8];
	zc_tcp t;
	frame f;
	int l, c;

	c = tcp_established(s, &l, &iss);
	ck_assert_int_eq(zcs_tcp_set_keepalive(s, c, 1000000, 0, 3, 0), ZC_E_ARG);
	ck_assert_int_eq(zcs_tcp_set_keepalive(s, c, 1000000, 500000, 2, 0), ZC_OK);
	ck_assert_uint_eq(zcs_poll(s, 0), 1000000);
	(void)zcs_poll(s, 1000000);
	ck_assert_uint_eq(cap.n, 1);
	t = sent_tcp(0);
	/* One byte before what the peer acknowledged, no data: it must answer. */
	ck_assert_uint_eq(zc_tcp_seq(t), iss);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 0);
	/* It answers: the count starts over, the next probe is an idle time away. */
	tseg(&f, 40000, 80, ZC_TCP_ACK, 1001, iss + 1, 65535, NULL, 0);
	ck_assert_int_eq(input(s, &f, 1100000), ZC_OK);
	ck_assert_uint_eq(zcs_poll(s, 1100000), 2100000);
	/* Then it is gone: two probes half a second apart, and the connection times out. */
	(void)zcs_poll(s, 2100000);
	(void)zcs_poll(s, 2600000);
	ck_assert_uint_eq(stats(s).tcp_keepalives_sent, 3);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_ESTABLISHED);
	(void)zcs_poll(s, 3100000);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	ck_assert_int_eq(zcs_tcp_recv(s, c, buf, sizeof buf, 3100000), ZC_E_TIMEDOUT);
	ck_assert_uint_eq(stats(s).tcp_timeouts, 1);
	ck_assert_int_eq(zcs_tcp_close(s, c, 3100000), ZC_OK);
	ck_assert_int_eq(zcs_tcp_get_state(s, c), ZCS_TCP_CLOSED);
	zcs_destroy(s);
}
END_TEST

#ifdef HAVE_SODIUM
/* The SYN-ACK's sequence number for a SYN from the peer's port sport at now, the connection then reset. */
static uint32_t isn_for(zcs_stack *s, uint16_t sport, uint64_t now)
{
	uint32_t isn;
	frame f;

	cap.n = 0;
	tseg(&f, sport, 80, ZC_TCP_SYN, 1000, 0, 65535, NULL, 1460);
	ck_assert_int_eq(input(s, &f, now), ZC_OK);
	ck_assert_uint_eq(cap.n, 1);
	isn = zc_tcp_seq(sent_tcp(0));
	tseg(&f, sport, 80, ZC_TCP_RST, 1001, 0, 0, NULL, 0);
	ck_assert_int_eq(input(s, &f, now), ZC_OK);
	return isn;
}

START_TEST(tcp_initial_sequence_numbers_follow_rfc_6528)
{
	zcs_config cf = config(ZCS_LINK_ETH);
	uint32_t a, b, other;
	zcs_stack *s, *s2;

	/* No caller's source: the keyed hash of the four-tuple plus a 4-microsecond clock. */
	s = make(cf);
	learn_peer(s);
	ck_assert_int_ge(zcs_tcp_listen(s, 80, 4), 0);
	a = isn_for(s, 40000, 1000000);
	b = isn_for(s, 40000, 1000000 + 4000);
	/* The same four-tuple: the number moved on with the clock, by 4000 / 4. */
	ck_assert_uint_eq(b - a, 1000);
	/* Another port: another hash, nowhere near. */
	other = isn_for(s, 40001, 1000000);
	ck_assert_uint_gt((uint32_t)(other - a) + 1000000u, 2000000u);
	/* Another stack has another key. */
	s2 = NULL;
	ck_assert_int_eq(zcs_create(&cf, 0, &s2), ZC_OK);
	learn_peer(s2);
	ck_assert_int_ge(zcs_tcp_listen(s2, 80, 4), 0);
	ck_assert_uint_ne(isn_for(s2, 40000, 1000000), a);
	zcs_destroy(s2);
	zcs_destroy(s);
}
END_TEST
#endif

/* Frames made of real ones with random bytes changed, and pure noise: nothing breaks. */
START_TEST(random_frames)
{
	zcs_config c = config(ZCS_LINK_ETH);
	uint64_t x = 0x9e3779b97f4a7c15ull, now = 0;
	zcs_stack *s;
	int u, i;

	c.arp_entries = 4;
	c.arp_pending = 4;
	s = make(c);
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_bind(s, u, 7), ZC_OK);
	for (i = 0; i < 100000; i++) {
		frame f;
		unsigned k, flips;
		zc_buf b;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (x % 4) {
		case 0: echo_request(&f, 14, OUR_IP, (size_t)(x >> 8) % 64); break;
		case 1: udp_frame(&f, 1, (x >> 8) & 1 ? 7 : 8, "abcdef", 6); break;
		case 2: arp_frame(&f, (uint16_t)(1 + ((x >> 8) & 1)), peer_mac, PEER_IP + ((x >> 9) & 7), OUR_IP, bcast); break;
		default:
			f.n = (size_t)(x >> 8) % 120;
			for (k = 0; k < f.n; k++)
				f.b[k] = (uint8_t)(x >> (k % 56));
			break;
		}
		flips = (unsigned)(x >> 20) % 4;
		for (k = 0; k < flips && f.n; k++)
			f.b[(x >> (24 + k * 8)) % f.n] ^= (uint8_t)(1u << (k + 1));
		if (f.n && (x >> 40) % 3 == 0)
			f.n = (size_t)(x >> 44) % f.n;
		b = zc_test_dup(f.b, f.n);
		(void)zcs_input(s, b, now);
		zc_test_free(b);
		if (i % 97 == 0) {
			zcs_addr4 to = { PEER_IP + ((x >> 50) & 7), 9 };
			char d[8];
			(void)zcs_udp_sendto(s, u, &to, "y", 1, now);
			(void)zcs_udp_recvfrom(s, u, d, sizeof d, NULL);
		}
		now += 1000 + (x >> 54);
		(void)zcs_poll(s, now);
	}
	ck_assert_uint_eq(stats(s).rx_frames, 100000);
	ck_assert_uint_gt(stats(s).icmp_echo_replies, 0);
	ck_assert_uint_gt(stats(s).drop_ip_bad + stats(s).drop_link + stats(s).drop_icmp_bad, 0);
	zcs_destroy(s);
}
END_TEST

/* ---------------------------------------------------------------- DHCPv4 */

#define SRV_IP 0x0a4d0001u  /* 10.77.0.1, the DHCP server */
#define LEASED_IP 0x0a4d0032u /* 10.77.0.50 */
static const uint8_t srv_mac[6] = { 0x02, 0x00, 0x0a, 0x4d, 0x00, 0x01 };

static uint32_t counting_rand(void *ctx)
{
	uint32_t *n = ctx;

	return (*n += 0x9e3779b9u);
}

static zcs_stack *make_dhcp(uint32_t *rnd)
{
	zcs_config c = config(ZCS_LINK_ETH);

	c.addr = 0;
	c.prefix_len = 0;
	c.dhcp = true;
	c.rand = counting_rand;
	c.rand_ctx = rnd;
	return make(c);
}

/* The DHCP message of captured frame k (after Ethernet, IPv4 and UDP), checked to be a client's. */
static const uint8_t *dhcp_sent(unsigned k, uint32_t ip_src, uint32_t ip_dst, size_t *len)
{
	const uint8_t *f = cap.f[k];

	ck_assert_uint_lt(k, cap.n);
	ck_assert_uint_ge(cap.len[k], 14 + 20 + 8 + 300);
	ck_assert_uint_eq(zc_load_be16(f + 12), ZC_ETH_P_IPV4);
	ck_assert_uint_eq(zc_load_be32(f + 14 + 12), ip_src);
	ck_assert_uint_eq(zc_load_be32(f + 14 + 16), ip_dst);
	ck_assert_int_eq(f[14 + 9], ZC_IPPROTO_UDP);
	ck_assert_uint_eq(zc_load_be16(f + 34), 68);
	ck_assert_uint_eq(zc_load_be16(f + 36), 67);
	ck_assert_int_eq(f[42], 1); /* BOOTREQUEST */
	ck_assert_int_eq(memcmp(f + 42 + 28, our_mac, 6), 0);
	ck_assert_uint_eq(zc_load_be32(f + 42 + 236), 0x63825363u);
	*len = cap.len[k] - 42;
	return f + 42;
}

/* The last IPv4 frame captured (ARP requests for the server may follow it). */
static unsigned last_ipv4(void)
{
	unsigned k = cap.n < CAP_FRAMES ? cap.n : CAP_FRAMES;

	while (k > 0 && zc_load_be16(cap.f[k - 1] + 12) != ZC_ETH_P_IPV4)
		k--;
	ck_assert_uint_gt(k, 0);
	return k - 1;
}

/* The value of option code in a sent message (NULL when absent), its length in *olen. */
static const uint8_t *dhcp_opt(const uint8_t *m, size_t len, uint8_t code, uint8_t *olen)
{
	size_t i = 240;

	while (i < len && m[i] != 255) {
		if (m[i] == 0) {
			i++;
			continue;
		}
		ck_assert_uint_le(i + 2 + m[i + 1], len);
		if (m[i] == code) {
			*olen = m[i + 1];
			return m + i + 2;
		}
		i += 2u + m[i + 1];
	}
	return NULL;
}

static uint8_t dhcp_type(const uint8_t *m, size_t len)
{
	uint8_t n = 0;
	const uint8_t *v = dhcp_opt(m, len, 53, &n);

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(n, 1);
	return v[0];
}

/* A server's reply: type, to xid, offering yiaddr; the options that follow as given (ending in 255). */
typedef struct dhcp_opts {
	uint8_t b[300];
	size_t n;
} dhcp_opts;

static void opt4(dhcp_opts *o, uint8_t code, uint32_t v)
{
	o->b[o->n++] = code;
	o->b[o->n++] = 4;
	zc_store_be32(o->b + o->n, v);
	o->n += 4;
}

static void dhcp_reply(frame *f, uint8_t type, uint32_t xid, uint32_t yiaddr, const dhcp_opts *extra)
{
	uint8_t d[8 + 240 + 320];
	uint8_t *m = d + 8;
	size_t n = 240;

	memset(d, 0, sizeof d);
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	zc_store_be32(m + 4, xid);
	zc_store_be32(m + 16, yiaddr);
	memcpy(m + 28, our_mac, 6);
	zc_store_be32(m + 236, 0x63825363u);
	m[n++] = 53;
	m[n++] = 1;
	m[n++] = type;
	if (extra) {
		memcpy(m + n, extra->b, extra->n);
		n += extra->n;
	}
	m[n++] = 255;
	zc_store_be16(d, 67);
	zc_store_be16(d + 2, 68);
	zc_store_be16(d + 4, (uint16_t)(8 + n));
	put_eth(f, bcast, srv_mac, ZC_ETH_P_IPV4);
	ipv4_at(f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, d, 8 + n);
}

static zc_err feed(zcs_stack *s, const frame *f, uint64_t now)
{
	zc_buf b = zc_test_dup(f->b, f->n);
	zc_err e = zcs_input(s, b, now);

	zc_test_free(b);
	return e;
}

/* The usual options of an offer or an ACK: server, /24, router, lease seconds. */
static dhcp_opts lease_opts(uint32_t lease)
{
	dhcp_opts o;

	memset(&o, 0, sizeof o);
	opt4(&o, 54, SRV_IP);
	opt4(&o, 1, 0xffffff00u);
	opt4(&o, 3, SRV_IP);
	opt4(&o, 51, lease);
	return o;
}

/* DISCOVER, OFFER, REQUEST, ACK at time 0: returns the stack bound, the xid in *xid. */
static zcs_stack *dhcp_bound(uint32_t *rnd, uint32_t lease, uint32_t *xid)
{
	zcs_stack *s = make_dhcp(rnd);
	dhcp_opts o = lease_opts(lease);
	const uint8_t *m;
	size_t len;
	frame f;

	m = dhcp_sent(0, 0, 0xffffffffu, &len);
	*xid = zc_load_be32(m + 4);
	dhcp_reply(&f, 2, *xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 1000), ZC_OK);
	dhcp_reply(&f, 5, *xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 2000), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_BOUND);
	return s;
}

START_TEST(dhcp_leases_renews_rebinds_and_loses_an_address)
{
	uint32_t rnd = 0, addr = 0, gw = 0, xid;
	zcs_stack *s = make_dhcp(&rnd);
	dhcp_opts o = lease_opts(100);
	const uint8_t *m, *v;
	uint8_t plen = 0, n = 0;
	zcs_addr4 to = { PEER_IP, 9 };
	size_t len;
	int u;
	frame f;

	/* At start: a DISCOVER broadcast from 0.0.0.0 with the broadcast flag; no address, no route. */
	ck_assert_uint_eq(cap.n, 1);
	m = dhcp_sent(0, 0, 0xffffffffu, &len);
	ck_assert_int_eq(memcmp(cap.f[0], bcast, 6), 0);
	ck_assert_int_eq(dhcp_type(m, len), 1);
	ck_assert_uint_eq(zc_load_be16(m + 10), 0x8000);
	xid = zc_load_be32(m + 4);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_SELECTING);
	ck_assert_int_eq(zcs_ipv4_get(s, &addr, &plen, &gw), ZC_E_AGAIN);
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_E_NOROUTE);
	/* Nothing is answered on IPv4 meanwhile: an echo request to the address to come is not ours. */
	echo_request(&f, 14, LEASED_IP, 8);
	(void)feed(s, &f, 500);
	ck_assert_uint_eq(cap.n, 1);

	/* The offer: a REQUEST for it, naming the address and the server. */
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 1000), ZC_OK);
	ck_assert_uint_eq(cap.n, 2);
	m = dhcp_sent(1, 0, 0xffffffffu, &len);
	ck_assert_int_eq(dhcp_type(m, len), 3);
	ck_assert_uint_eq(zc_load_be32(m + 4), xid);
	v = dhcp_opt(m, len, 50, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(zc_load_be32(v), LEASED_IP);
	v = dhcp_opt(m, len, 54, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(zc_load_be32(v), SRV_IP);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_REQUESTING);

	/* The ACK: the address, the /24 and the router are the stack's; a gratuitous ARP tells the link. */
	dhcp_reply(&f, 5, xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 2000), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_BOUND);
	ck_assert_int_eq(zcs_ipv4_get(s, &addr, &plen, &gw), ZC_OK);
	ck_assert_uint_eq(addr, LEASED_IP);
	ck_assert_uint_eq(plen, 24);
	ck_assert_uint_eq(gw, SRV_IP);
	ck_assert_uint_eq(cap.n, 3);
	ck_assert_uint_eq(zc_load_be16(cap.f[2] + 12), ZC_ETH_P_ARP);
	ck_assert_uint_eq(zc_load_be32(cap.f[2] + 14 + ZC_ARP_TPA_OFF), LEASED_IP);
	ck_assert_uint_eq(stats(s).dhcp_offers, 1);
	ck_assert_uint_eq(stats(s).dhcp_acks, 1);
	/* The lease counts from the REQUEST (1 ms): T1 at 50 s after it. */
	ck_assert_uint_eq(zcs_poll(s, 3000), 1000 + 50000000ull);
	echo_request(&f, 14, LEASED_IP, 8);
	ck_assert_int_eq(feed(s, &f, 4000), ZC_OK);
	ck_assert_uint_eq(stats(s).icmp_echo_replies, 1);
	/* The reply waits for the asker's MAC (the server's too). */
	arp_frame(&f, ZC_ARP_OP_REPLY, srv_mac, SRV_IP, LEASED_IP, our_mac);
	ck_assert_int_eq(feed(s, &f, 5000), ZC_OK);

	/* T1: RENEWING, a REQUEST to the server itself from the address, ciaddr set, no broadcast flag. */
	cap.n = 0;
	(void)zcs_poll(s, 1000 + 50000000ull);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_RENEWING);
	ck_assert_uint_eq(cap.n, 1);
	m = dhcp_sent(0, LEASED_IP, SRV_IP, &len);
	ck_assert_int_eq(memcmp(cap.f[0], srv_mac, 6), 0);
	ck_assert_int_eq(dhcp_type(m, len), 3);
	ck_assert_uint_eq(zc_load_be32(m + 12), LEASED_IP);
	ck_assert_uint_eq(zc_load_be16(m + 10), 0);
	ck_assert_ptr_null(dhcp_opt(m, len, 50, &n));
	/* Its ACK: bound again, the lease from the renewal's REQUEST. */
	dhcp_reply(&f, 5, xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 51000000), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_BOUND);
	ck_assert_uint_eq(stats(s).dhcp_acks, 2);
	/* T1 again 50 s after that REQUEST, not before. */
	(void)zcs_poll(s, 50000999ull + 50000000ull);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_BOUND);

	/* No answer to the next renewal: REBINDING at T2 (87.5 s), broadcast; then the lease ends at 100 s. */
	(void)zcs_poll(s, 1000 + 100000000ull);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_RENEWING);
	cap.n = 0;
	(void)zcs_poll(s, 1000 + 50000000ull + 87500000ull);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_REBINDING);
	ck_assert_uint_ge(cap.n, 1);
	m = dhcp_sent(last_ipv4(), LEASED_IP, 0xffffffffu, &len);
	ck_assert_int_eq(dhcp_type(m, len), 3);
	cap.n = 0;
	(void)zcs_poll(s, 1000 + 50000000ull + 100000000ull);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_SELECTING);
	ck_assert_int_eq(zcs_ipv4_get(s, &addr, &plen, &gw), ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).dhcp_leases_lost, 1);
	m = dhcp_sent(last_ipv4(), 0, 0xffffffffu, &len);
	ck_assert_int_eq(dhcp_type(m, len), 1);
	ck_assert_uint_ne(zc_load_be32(m + 4), xid);
	zcs_destroy(s);
}
END_TEST

START_TEST(dhcp_nak_starts_again)
{
	uint32_t rnd = 0, xid, addr;
	zcs_stack *s = dhcp_bound(&rnd, 3600, &xid);
	const uint8_t *m;
	size_t len;
	frame f;

	zcs_addr4 to = { 0x0a4d0063u, 9 }; /* 10.77.0.99, on the leased subnet, never answered */
	uint64_t t0 = 1800 * 1000000ull + 2000;
	unsigned i;
	int u;

	/* A NAK to the renewal: the address is given up at once, a new DISCOVER goes. */
	(void)zcs_poll(s, 1800 * 1000000ull + 1000);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_RENEWING);
	/* A datagram waits for ARP, from the leased address. */
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 1800 * 1000000ull + 1500), ZC_OK);
	cap.n = 0;
	dhcp_reply(&f, 6, xid, 0, NULL);
	ck_assert_int_eq(feed(s, &f, t0), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_SELECTING);
	ck_assert_int_eq(zcs_ipv4_get(s, &addr, NULL, NULL), ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).dhcp_naks, 1);
	ck_assert_uint_eq(stats(s).dhcp_leases_lost, 1);
	ck_assert_uint_eq(cap.n, 1);
	m = dhcp_sent(0, 0, 0xffffffffu, &len);
	ck_assert_int_eq(dhcp_type(m, len), 1);
	/*
	 * The datagram and the renewal's REQUEST (unicast to a server whose
	 * MAC was never asked for) carried the address given up: both are
	 * dropped, and their ARP questions are asked no more.
	 */
	ck_assert_uint_eq(stats(s).drop_addr_lost, 2);
	cap.n = 0;
	(void)zcs_poll(s, t0 + 3 * ZCS_ARP_RETRY_US);
	for (i = 0; i < cap.n; i++)
		ck_assert_uint_ne(zc_load_be16(cap.f[i] + 12), ZC_ETH_P_ARP);
	ck_assert_uint_eq(stats(s).drop_neigh_timeout, 0);
	zcs_destroy(s);
}
END_TEST

START_TEST(dhcp_retransmits_with_backoff)
{
	uint32_t rnd = 0;
	zcs_stack *s = make_dhcp(&rnd);
	uint64_t now = 0, next, want = 4000000;
	unsigned i;

	/* RFC 2131 4.1: 4 s, 8, 16, 32, then 64 s, each within a second either way. */
	for (i = 0; i < 7; i++) {
		next = zcs_poll(s, now);
		ck_assert_uint_ge(next, now + want - 1000000);
		ck_assert_uint_le(next, now + want + 1000000);
		now = next;
		cap.n = 0;
		(void)zcs_poll(s, now);
		ck_assert_uint_eq(cap.n, 1);
		if (want < 64000000)
			want *= 2;
	}
	ck_assert_uint_eq(stats(s).dhcp_sent, 8);
	zcs_destroy(s);
}
END_TEST

START_TEST(dhcp_bad_replies_are_dropped)
{
	uint32_t rnd = 0, xid, lcg = 1;
	zcs_stack *s = make_dhcp(&rnd);
	dhcp_opts o = lease_opts(100), holes = o, noserver, longopt;
	const uint8_t *m;
	uint64_t before;
	size_t len;
	frame f, good;
	int i;

	m = dhcp_sent(0, 0, 0xffffffffu, &len);
	xid = zc_load_be32(m + 4);
	/* Another exchange's xid; another client's MAC; BOOTREQUEST; a bad cookie; no message type. */
	dhcp_reply(&f, 2, xid + 1, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	f.b[42 + 28 + 5] ^= 1;
	ipv4_at(&f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, f.b + 34, f.n - 34);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	f.b[42] = 1;
	ipv4_at(&f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, f.b + 34, f.n - 34);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	f.b[42 + 236] = 0;
	ipv4_at(&f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, f.b + 34, f.n - 34);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	/* An offer without a server identifier; one whose option runs past the datagram. */
	memset(&noserver, 0, sizeof noserver);
	opt4(&noserver, 51, 100);
	dhcp_reply(&f, 2, xid, LEASED_IP, &noserver);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	memset(&longopt, 0, sizeof longopt);
	longopt.b[0] = 54;
	longopt.b[1] = 4;
	longopt.n = 4;
	dhcp_reply(&f, 2, xid, LEASED_IP, &longopt);
	f.n -= 1; /* the end option gone: 54 claims 4 bytes, 2 are there */
	zc_store_be16(f.b + 16, (uint16_t)(f.n - 14));
	zc_store_be16(f.b + 38, (uint16_t)(f.n - 34));
	ipv4_at(&f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, f.b + 34, f.n - 34);
	ck_assert_int_eq(feed(s, &f, 10), ZC_E_INVALID);
	ck_assert_uint_eq(stats(s).drop_dhcp_bad, 6);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_SELECTING);

	/* An ACK whose mask has holes is refused: still REQUESTING. */
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 20), ZC_OK);
	holes.n = 0;
	opt4(&holes, 54, SRV_IP);
	opt4(&holes, 1, 0xff00ff00u);
	opt4(&holes, 51, 100);
	dhcp_reply(&f, 5, xid, LEASED_IP, &holes);
	ck_assert_int_eq(feed(s, &f, 30), ZC_E_INVALID);
	/* An ACK for another address than the one offered; an OFFER while requesting. */
	dhcp_reply(&f, 5, xid, LEASED_IP + 1, &o);
	ck_assert_int_eq(feed(s, &f, 30), ZC_E_INVALID);
	dhcp_reply(&f, 2, xid, LEASED_IP, &o);
	ck_assert_int_eq(feed(s, &f, 30), ZC_E_INVALID);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_REQUESTING);
	ck_assert_uint_eq(stats(s).drop_dhcp_bad, 9);

	/* Mangled ACKs, cut anywhere and with bytes flipped: never a crash, every one taken or counted. */
	dhcp_reply(&good, 5, xid, LEASED_IP, &o);
	for (i = 0; i < 20000; i++) {
		zc_err e;

		f = good;
		lcg = lcg * 1103515245u + 12345u;
		f.b[42 + 236 + (lcg >> 8) % (good.n - 42 - 236)] ^= (uint8_t)(lcg >> 24);
		lcg = lcg * 1103515245u + 12345u;
		f.n = 42 + 236 + (lcg >> 8) % (good.n - 42 - 236 + 1);
		zc_store_be16(f.b + 16, (uint16_t)(f.n - 14));
		zc_store_be16(f.b + 38, (uint16_t)(f.n - 34));
		ipv4_at(&f, 14, SRV_IP, 0xffffffffu, ZC_IPPROTO_UDP, f.b + 34, f.n - 34);
		before = stats(s).drop_dhcp_bad;
		e = feed(s, &f, 40);
		ck_assert(e == ZC_OK || stats(s).drop_dhcp_bad == before + 1);
		if (zcs_dhcp_get_state(s) != ZCS_DHCP_REQUESTING)
			break; /* a mangled ACK that is still a good one */
	}
	zcs_destroy(s);
}
END_TEST

START_TEST(dhcp_configurations_are_checked)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_stack *s;

	c.dhcp = true;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG); /* an address as well */
	c.addr = 0;
	c.prefix_len = 0;
	c.link = ZCS_LINK_IP;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_E_ARG); /* no broadcast on a TUN */
	c.link = ZCS_LINK_ETH;
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_SELECTING);
	zcs_destroy(s);
	c = config(ZCS_LINK_ETH);
	ck_assert_int_eq(zcs_create(&c, 0, &s), ZC_OK);
	ck_assert_int_eq(zcs_dhcp_get_state(s), ZCS_DHCP_OFF);
	zcs_destroy(s);
}
END_TEST

static Suite *stack_suite(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, bad_configurations_are_refused);
	tcase_add_test(tc, memory_is_what_the_tables_need);
	tcase_add_test(tc, gratuitous_arp_at_start);
	tcase_add_test(tc, arp_requests_for_us_are_answered_and_teach_the_sender);
	tcase_add_test(tc, echo_requests_are_answered);
	tcase_add_test(tc, bad_frames_are_dropped_and_counted);
	tcase_add_test(tc, closed_ports_get_port_unreachable);
	tcase_add_test(tc, udp_ring_delivers_in_order_and_counts_what_did_not_fit);
	tcase_add_test(tc, udp_callback_gets_a_view_over_the_frame);
	tcase_add_test(tc, sending_waits_for_arp_then_flushes_in_order);
	tcase_add_test(tc, unanswered_arp_is_retried_then_dropped);
	tcase_add_test(tc, arp_entries_age);
	tcase_add_test(tc, every_table_runs_out_cleanly);
	tcase_add_test(tc, sending_checks_size_and_route);
	tcase_add_test(tc, tun_link_speaks_ip);
	tcase_add_test(tc, a_refusing_device_is_counted);
	tcase_add_test(tc, fragments_are_reassembled_in_any_order_and_replies_fragmented);
	tcase_add_test(tc, fragments_that_contradict_each_other_drop_the_datagram);
	tcase_add_test(tc, reassembly_slots_are_bounded_and_time_out);
	tcase_add_test(tc, large_datagrams_are_sent_in_fragments);
	tcase_add_test(tc, closed_tcp_ports_answer_with_a_reset);
	tcase_add_test(tc, ipv6_addresses_are_probed_before_use);
	tcase_add_test(tc, ipv6_solicitations_are_answered);
	tcase_add_test(tc, a_duplicate_ipv6_address_is_not_used);
	tcase_add_test(tc, ipv6_udp_ports_are_closed);
	tcase_add_test(tc, tun_link_speaks_ipv6);
	tcase_add_test(tc, udp_over_ipv6);
	tcase_add_test(tc, ipv6_transport_waits_for_its_address);
	tcase_add_test(tc, tcp_over_ipv6);
	tcase_add_test(tc, tcp_mss_follows_packet_too_big);
	tcase_add_test(tc, tso_over_ipv6);
	tcase_add_test(tc, tcp_connects_over_ipv6);
	tcase_add_test(tc, ipv6_fragments_are_reassembled);
	tcase_add_test(tc, ipv6_fragments_share_the_bounded_slots);
	tcase_add_test(tc, ipv6_unknown_next_header_is_a_parameter_problem);
	tcase_add_test(tc, tcp_passive_open_data_and_passive_close);
	tcase_add_test(tc, tcp_active_close_waits_in_time_wait);
	tcase_add_test(tc, tcp_retransmits_with_backoff_then_gives_up);
	tcase_add_test(tc, tcp_retries_are_the_callers_to_set);
	tcase_add_test(tc, tcp_rtt_sets_the_timeout_and_karn_skips_retransmits);
	tcase_add_test(tc, tcp_acks_for_data_sent_before_a_timeout_still_count);
	tcase_add_test(tc, tcp_resets_and_syns_are_checked_as_rfc_5961_says);
	tcase_add_test(tc, tcp_out_of_order_data_waits_for_the_gap);
	tcase_add_test(tc, tcp_out_of_order_ranges_are_bounded);
	tcase_add_test(tc, tcp_backlog_bounds_half_open_connections);
	tcase_add_test(tc, tcp_zero_window_is_probed);
	tcase_add_test(tc, tcp_active_open);
	tcase_add_test(tc, tcp_slow_start_fast_retransmit_and_newreno);
	tcase_add_test(tc, tcp_mss_follows_fragmentation_needed);
	tcase_add_test(tc, tcp_path_mtu_leaves_room_for_timestamps);
	tcase_add_test(tc, tcp_data_segments_leave_room_for_sack_blocks);
	tcase_add_test(tc, tcp_sack_recovery_sends_every_hole_in_a_round_trip);
	tcase_add_test(tc, tcp_sack_recovery_takes_partial_acks_and_bad_blocks);
	tcase_add_test(tc, tcp_sack_recovery_finds_a_lost_resend);
	tcase_add_test(tc, tcp_no_sack_neither_offers_nor_takes_it);
	tcase_add_test(tc, tcp_connections_are_found_among_many);
	tcase_add_test(tc, tcp_tail_loss_probe_resends_the_last_segment);
	tcase_add_test(tc, tcp_tail_loss_probe_sends_new_data_and_finds_a_loss);
	tcase_add_test(tc, tcp_congestion_avoidance_counts_bytes);
	tcase_add_test(tc, tso_configurations_are_checked);
	tcase_add_test(tc, tso_sends_large_segments_of_whole_mss);
	tcase_add_test(tc, tso_off_changes_nothing);
	tcase_add_test(tc, tso_leaves_the_tail_to_nagle);
	tcase_add_test(tc, trusted_large_segments_are_taken_whole);
	tcase_add_test(tc, trusted_covers_one_frames_transport_sum_alone);
	tcase_add_test(tc, tcp_window_scaling_and_timestamps);
	tcase_add_test(tc, tcp_sack_blocks_tell_what_is_held);
	tcase_add_test(tc, tcp_keepalive_probes_an_idle_peer);
#ifdef HAVE_SODIUM
	tcase_add_test(tc, tcp_initial_sequence_numbers_follow_rfc_6528);
#endif
	tcase_add_test(tc, dhcp_leases_renews_rebinds_and_loses_an_address);
	tcase_add_test(tc, dhcp_nak_starts_again);
	tcase_add_test(tc, dhcp_retransmits_with_backoff);
	tcase_add_test(tc, dhcp_bad_replies_are_dropped);
	tcase_add_test(tc, dhcp_configurations_are_checked);
	tcase_add_test(tc, random_frames);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(stack_suite());
}
