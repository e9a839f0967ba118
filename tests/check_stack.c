/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_stack.c - libzcstack's sans-I/O core on a fake clock: frames
 * in, the frames it sends captured, every answer checked with the views.
 * ARP (answers, learning, the waiting queue, retries, ageing), ICMP echo
 * and errors, UDP sockets (ring and zero-copy delivery), the TUN link, the
 * exhaustion of every table, and random frames.
 */
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
	zc_ipv4_csum_fill(v);
	if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;
		ck_assert_int_eq(zc_udp_parse(zc_ipv4_payload(v), &u), ZC_OK);
		zc_udp_csum_fill(u, zc_ipv4_pseudo(v, l4len));
	} else if (proto == ZC_IPPROTO_ICMP) {
		zc_icmp4 m;
		ck_assert_int_eq(zc_icmp4_parse(zc_ipv4_payload(v), &m), ZC_OK);
		zc_icmp4_csum_fill(m);
	}
	return ip;
}

static void echo_request(frame *f, size_t off, uint32_t dst, size_t data_len)
{
	uint8_t m[2000];
	size_t i;

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
	uint8_t d[2000];

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

	free(b.p);
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

/* Parses captured frame i as Ethernet + IPv4, checking the header sum. */
static zc_ipv4 sent_ipv4(unsigned i, zc_eth *eth_out)
{
	zc_eth eth;
	zc_ipv4 ip;

	ck_assert_uint_lt(i, cap.n);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(cap.f[i], cap.len[i]), &eth), ZC_OK);
	ck_assert_uint_eq(zc_eth_type(eth), ZC_ETH_P_IPV4);
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
	zc_eth eth;
	zc_arp a;

	ck_assert_uint_lt(i, cap.n);
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(cap.f[i], cap.len[i]), &eth), ZC_OK);
	ck_assert_uint_eq(zc_eth_type(eth), ZC_ETH_P_ARP);
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
	/* Defaults: 8 rings of 16 KiB, 8 waiting frames and one being built, and a little more. */
	ck_assert_uint_ge(small, 8u * 16384 + 9u * (14 + 1500));
	ck_assert_uint_lt(small, 8u * 16384 + 9u * 1536 + 4096);
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
	/* A fragment: no reassembly yet, counted. */
	echo_request(&f, 14, OUR_IP, 8);
	f.b[14 + 6] = 0x20; /* MF */
	{
		zc_ipv4 v;
		ck_assert_int_eq(zc_ipv4_parse(zc_buf_make(f.b + 14, f.n - 14), &v), ZC_OK);
		zc_ipv4_csum_fill(v);
	}
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	ck_assert_uint_eq(stats(s).drop_ip_frag, 1);
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

	c.udp_ring_bytes = 100;
	s = make(c);
	u = zcs_udp_open(s);
	ck_assert_int_ge(u, 0);
	ck_assert_int_eq(zcs_udp_bind(s, u, 7), ZC_OK);
	ck_assert_int_eq(zcs_udp_recvfrom(s, u, buf, sizeof buf, &from), ZC_E_AGAIN);
	/* Each record is 8 bytes of header and the payload: three of 20 fit in 100, not four. */
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
	free(b.p);
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
		ck_assert(zc_udp_csum_ok(d, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))));
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
	ck_assert_uint_eq(stats(s).drop_arp_timeout, 1);
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
	ck_assert_uint_eq(stats(s).drop_arp_pending_full, 1);
	/* Two entries, both waiting: a third next hop cannot be asked for. */
	to.addr = OTHER_IP + 1;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_E_AGAIN);
	to.addr = OTHER_IP + 2;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &to, "x", 1, 0), ZC_E_AGAIN);
	ck_assert_uint_eq(stats(s).drop_arp_table_full, 1);
	zcs_destroy(s);
}
END_TEST

START_TEST(sending_checks_size_and_route)
{
	zcs_config c = config(ZCS_LINK_ETH);
	zcs_addr4 off_net = { 0xc0000201u, 53 };
	static uint8_t big[1500];
	zcs_stack *s;
	zc_arp a;
	int u;

	s = make(c);
	u = zcs_udp_open(s);
	ck_assert_int_eq(zcs_udp_sendto(s, u, &off_net, big, 1472, 0), ZC_E_NOROUTE);
	off_net.addr = PEER_IP;
	ck_assert_int_eq(zcs_udp_sendto(s, u, &off_net, big, 1473, 0), ZC_E_MSGSIZE);
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
	/* An IPv6 packet is not this release's. */
	f.b[0] = 0x60;
	ck_assert_int_eq(input(s, &f, 0), ZC_E_UNSUPPORTED);
	zcs_destroy(s);
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
		free(b.p);
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
	tcase_add_test(tc, random_frames);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(stack_suite());
}
