/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_stack.c - one libzcstack fed a sequence of frames, clock steps
 * and socket calls, with its invariants checked after each.
 *
 * Every input runs three times: on a stack with the address 10.77.0.2/24,
 * then on one that leases its IPv4 address by DHCP (zcs_config.dhcp), whose
 * xid the fixed random source makes 0x10000000, then on the first again
 * with the offloads of a device that has them: every frame given with
 * ZCS_RX_CSUM_TRUSTED, and segments of several MSS sent (zcs_config.tso_max)
 * through a tx_gso whose frame and virtio fields are checked as a device
 * would take them (the partial checksum completed, then the frame checked
 * as any other, without the MTU bound).
 *
 * The input is a list of records: one byte of operation, one of length n,
 * then n bytes. Operations (the byte modulo 7):
 *   0  a frame of n bytes to zcs_input();
 *   1  the clock moves on by the n bytes read as microseconds (little
 *      endian, so one record can step from a microsecond to hours), then
 *      zcs_poll();
 *   2  zcs_udp_sendto() from socket 0 to 10.77.0.(byte 0) port (bytes 1-2)
 *      of the remaining bytes; when byte 0 has its top bit, to fd77::(its
 *      low seven bits) with zcs_udp_sendto_addr();
 *   3  zcs_udp_recvfrom() on socket byte 0 % 3 with a buffer of byte 1 bytes
 *      (zcs_udp_recvfrom_addr() when byte 0 has its top bit);
 *   4  socket churn: close and open again socket byte 0 % 3, bound to port
 *      byte 1 when it is not 0;
 *   5  TCP, on connection byte 1 % 3 of the listener on port 80: byte 0 % 4
 *      is accept, send (the rest of the bytes), receive or close; an accept
 *      with byte 0's top bit is zcs_tcp_accept_addr();
 *   6  a DHCP reply from 10.77.0.1 to 255.255.255.255, built here, since a
 *      whole one is longer than a record: to the client's xid and MAC unless
 *      byte 0's bits 0 and 1 say otherwise, yiaddr bytes 1-4, then the
 *      magic cookie and bytes 5 on as the options, verbatim.
 * The stack's initial sequence number is fixed, so seeds complete handshakes.
 * Invariants: no crash or sanitizer report; the memory is what zcs_create()
 * took; every frame sent is ours (our MAC; a valid IPv4 header and sum, an
 * IPv6 header from one of our addresses or ::, UDP and TCP over either with
 * a right sum, or ARP from our address) and fits the MTU; the deadline zcs_poll() returns
 * is later than now; the counters count every frame given. With DHCP, "our
 * address" is any the stack has reported holding, or 0.0.0.0 for a client
 * message (UDP 68 to 67); the client's state and zcs_ipv4_get() agree.
 */
#include "driver.h"

#include <string.h>

#include "zc/stack/stack.h"

#define OUR_IP 0x0a4d0002u
static const uint8_t our_mac[6] = { 0x02, 0x00, 0x0a, 0x4d, 0x00, 0x02 };
static const uint8_t our6[16] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t our_ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x0a, 0xff, 0xfe, 0x4d, 0x00, 0x02 };
static const uint8_t unspecified[16];

static unsigned long sent;
static bool offload_mode;

/* The DHCP run: the stack, and the addresses it has held (a bounded list; past it, any). */
#define HELD_MAX 32
static zcs_stack *dhcp_stack;
static bool dhcp_mode;
static uint32_t held[HELD_MAX];
static unsigned n_held;

static bool held_addr(uint32_t a)
{
	uint32_t now_addr;
	unsigned k;

	if (dhcp_stack && zcs_ipv4_get(dhcp_stack, &now_addr, NULL, NULL) == ZC_OK) {
		for (k = 0; k < n_held && held[k] != now_addr; k++)
			;
		if (k == n_held && n_held < HELD_MAX)
			held[n_held++] = now_addr;
		else if (k == n_held)
			return true; /* too many to keep track of */
	}
	for (k = 0; k < n_held; k++)
		if (held[k] == a)
			return true;
	return false;
}

/* A fixed initial sequence number, so that seeds can complete handshakes. */
static uint32_t fixed_isn(void *ctx)
{
	(void)ctx;
	return 0x10000000u;
}

/* A UDP datagram or TCP segment sent parses and has the right sum over its pseudo-header. */
static void check_l4(uint8_t proto, zc_buf l4, uint32_t pseudo, bool v6)
{
	if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;

		ZC_FUZZ_CHECK(zc_udp_parse(l4, &u) == ZC_OK &&
				      zc_udp_csum_ok(u, pseudo, v6 ? ZC_UDP_OVER_IPV6 : ZC_UDP_OVER_IPV4),
			      "a UDP datagram sent does not parse or has a bad sum");
	} else if (proto == ZC_IPPROTO_TCP) {
		zc_tcp t;

		ZC_FUZZ_CHECK(zc_tcp_parse(l4, &t) == ZC_OK && zc_tcp_csum_ok(t, pseudo),
			      "a TCP segment sent does not parse or has a bad sum");
	}
}

/* A frame sent, of at most max bytes. */
static void check_frame(const uint8_t *frame, size_t len, size_t max)
{
	zc_eth eth;

	ZC_FUZZ_CHECK(len <= max, "a frame of %zu bytes, %zu at most", len, max);
	ZC_FUZZ_CHECK(zc_eth_parse(zc_buf_make((void *)(uintptr_t)frame, len), &eth) == ZC_OK, "a frame sent does not parse");
	ZC_FUZZ_CHECK(memcmp(zc_eth_src(eth), our_mac, 6) == 0, "a frame sent is not from our MAC");
	if (zc_eth_type(eth) == ZC_ETH_P_IPV4) {
		zc_ipv4 ip;

		ZC_FUZZ_CHECK(zc_ipv4_parse(zc_eth_payload(eth), &ip) == ZC_OK && zc_ipv4_csum_ok(ip),
			      "an IPv4 packet sent does not parse or has a bad sum");
		if (!dhcp_mode) {
			ZC_FUZZ_CHECK(zc_ipv4_src(ip) == OUR_IP, "an IPv4 packet sent is not from our address");
		} else if (zc_ipv4_src(ip) == 0) {
			zc_udp u;

			ZC_FUZZ_CHECK(zc_ipv4_proto(ip) == ZC_IPPROTO_UDP && zc_udp_parse(zc_ipv4_payload(ip), &u) == ZC_OK &&
					      zc_udp_src_port(u) == 68 && zc_udp_dst_port(u) == 67,
				      "a packet from 0.0.0.0 that is not a DHCP client's");
		} else {
			ZC_FUZZ_CHECK(held_addr(zc_ipv4_src(ip)), "an IPv4 packet sent from an address never leased");
		}
		if (zc_ipv4_is_first_fragment(ip) && !zc_ipv4_mf(ip))
			check_l4(zc_ipv4_proto(ip), zc_ipv4_payload(ip), zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)), false);
	} else if (zc_eth_type(eth) == ZC_ETH_P_IPV6) {
		zc_ipv6 ip;
		const uint8_t *src;

		ZC_FUZZ_CHECK(zc_ipv6_parse(zc_eth_payload(eth), &ip) == ZC_OK, "an IPv6 packet sent does not parse");
		src = zc_ipv6_src(ip);
		ZC_FUZZ_CHECK(!memcmp(src, our6, 16) || !memcmp(src, our_ll, 16) || !memcmp(src, unspecified, 16),
			      "an IPv6 packet sent is not from one of our addresses");
		if (!zc_ipv6_is_fragment(ip))
			check_l4(zc_ipv6_proto(ip), zc_ipv6_payload(ip), zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip)), true);
	} else {
		zc_arp a;

		ZC_FUZZ_CHECK(zc_eth_type(eth) == ZC_ETH_P_ARP, "a frame sent of ethertype 0x%04x", zc_eth_type(eth));
		ZC_FUZZ_CHECK(zc_arp_parse(zc_eth_payload(eth), &a) == ZC_OK &&
				      (dhcp_mode ? held_addr(zc_arp_spa(a)) : zc_arp_spa(a) == OUR_IP),
			      "an ARP packet sent does not parse or is not from our address");
	}
}

static int check_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	sent++;
	check_frame(frame, len, ZC_ETH_HDR_LEN + 1500);
	return 0;
}

/*
 * A large segment for the device to cut: the virtio fields inside the frame,
 * the data more than one segment and a whole number of them, and, once the
 * checksum is completed as the device would, a valid frame.
 */
static int check_tx_gso(void *ctx, const uint8_t *frame, size_t len, const zcs_gso *g)
{
	uint8_t *f;
	size_t data;
	uint16_t c;

	(void)ctx;
	sent++;
	ZC_FUZZ_CHECK(offload_mode, "tx_gso called without tso_max");
	ZC_FUZZ_CHECK(g->type == ZCS_GSO_TCPV4 || g->type == ZCS_GSO_TCPV6, "a GSO type %u", g->type);
	ZC_FUZZ_CHECK(g->size > 0 && g->hdr_len <= len && g->csum_start < g->hdr_len && g->csum_offset == 16,
		      "virtio fields outside the frame: size %u hdr_len %u start %u for %zu bytes", g->size,
		      g->hdr_len, g->csum_start, len);
	data = len - g->hdr_len;
	ZC_FUZZ_CHECK(data > g->size && data % g->size == 0, "%zu bytes of data in segments of %u", data, g->size);
	f = malloc(len);
	ZC_FUZZ_CHECK(f != NULL, "out of memory");
	memcpy(f, frame, len);
	c = zc_csum(f + g->csum_start, len - g->csum_start);
	zc_store_be16(f + g->csum_start + g->csum_offset, c ? c : 0xffff);
	check_frame(f, len, ZC_ETH_HDR_LEN + ZC_IPV6_HDR_LEN + 65535);
	free(f);
	return 0;
}

/* Op 6: a DHCP reply around the record's bytes (see the top of the file), given to zcs_input(). */
static void dhcp_reply(zcs_stack *s, const uint8_t *p, size_t n, uint64_t now)
{
	enum { L2 = 14, L3 = 20, L4 = 8, FIXED = 240 };
	uint8_t *f;
	size_t opts = n > 5 ? n - 5 : 0, len = L2 + L3 + L4 + FIXED + opts;
	uint8_t *ip, *m;
	zc_ipv4_rw v4;
	zc_udp_rw u;

	if (n < 5)
		return;
	f = calloc(1, len);
	ZC_FUZZ_CHECK(f != NULL, "out of memory");
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x0a\x4d\x00\x01", 6);
	zc_store_be16(f + 12, ZC_ETH_P_IPV4);
	ip = f + L2;
	ip[0] = 0x45;
	zc_store_be16(ip + 2, (uint16_t)(len - L2));
	ip[8] = 64;
	ip[9] = ZC_IPPROTO_UDP;
	zc_store_be32(ip + 12, 0x0a4d0001u);
	zc_store_be32(ip + 16, 0xffffffffu);
	zc_store_be16(ip + L3, 67);
	zc_store_be16(ip + L3 + 2, 68);
	zc_store_be16(ip + L3 + 4, (uint16_t)(len - L2 - L3));
	m = ip + L3 + L4;
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	zc_store_be32(m + 4, (p[0] & 1) ? 0x10000001u : 0x10000000u);
	memcpy(m + 16, p + 1, 4);
	memcpy(m + 28, our_mac, 6);
	if (p[0] & 2)
		m[33] ^= 1;
	zc_store_be32(m + 236, 0x63825363u);
	if (opts)
		memcpy(m + FIXED, p + 5, opts);
	if (zc_ipv4_parse_rw(zc_wbuf_make(ip, len - L2), &v4) == ZC_OK) {
		zc_ipv4_csum_fill(v4);
		if (zc_udp_parse_rw(zc_wbuf_make(ip + L3, len - L2 - L3), &u) == ZC_OK)
			zc_udp_csum_fill(u, zc_ipv4_pseudo(zc_ipv4_ro(v4), len - L2 - L3));
	}
	(void)zcs_input(s, zc_buf_make(f, len), now);
	free(f);
}

static void run(const uint8_t *data, size_t size, bool dhcp, bool offload)
{
	zcs_config c;
	zcs_stack *s;
	zcs_stats st;
	uint64_t now = 1;
	unsigned long frames = 0;
	int socks[3], conns[3], listener;
	size_t mem, i = 0;
	unsigned k;

	memset(&c, 0, sizeof c);
	c.link = ZCS_LINK_ETH;
	memcpy(c.mac, our_mac, 6);
	if (!dhcp) {
		c.addr = OUR_IP;
		c.prefix_len = 24;
		c.gateway = 0x0a4d00feu;
	}
	c.dhcp = dhcp;
	memcpy(c.addr6, our6, 16);
	c.prefix6_len = 64;
	c.arp_entries = 4;
	c.arp_pending = 3;
	c.udp_sockets = 3;
	c.udp_ring_bytes = 256;
	c.tx = check_tx;
	c.rand = fixed_isn;
	c.tcp_sockets = 4;
	c.tcp_ring_bytes = 512;
	if (offload) {
		c.tso_max = ZCS_TSO_MAX;
		c.tx_gso = check_tx_gso;
	}
	offload_mode = offload;
	sent = 0;
	dhcp_mode = dhcp;
	dhcp_stack = NULL;
	n_held = 0;
	ZC_FUZZ_CHECK(zcs_create(&c, now, &s) == ZC_OK, "zcs_create failed");
	if (dhcp)
		dhcp_stack = s;
	mem = zcs_memory(s);
	listener = zcs_tcp_listen(s, 80, 2);
	ZC_FUZZ_CHECK(listener >= 0, "no listener");
	for (k = 0; k < 3; k++)
		conns[k] = -1;
	for (k = 0; k < 3; k++) {
		socks[k] = zcs_udp_open(s);
		ZC_FUZZ_CHECK(socks[k] >= 0, "socket %u not opened", k);
		ZC_FUZZ_CHECK(zcs_udp_bind(s, socks[k], (uint16_t)(7 + k)) == ZC_OK, "socket %u not bound", k);
	}
	while (size - i >= 2) {
		unsigned op = data[i] % 7;
		size_t n = data[i + 1];
		const uint8_t *p = data + i + 2;

		if (n > size - i - 2)
			n = size - i - 2;
		i += 2 + n;
		switch (op) {
		case 0: {
			/* A heap copy of exactly n bytes: an over-read is reported. */
			uint8_t *f = malloc(n ? n : 1);

			ZC_FUZZ_CHECK(f != NULL, "out of memory");
			memcpy(f, p, n);
			(void)zcs_input_flags(s, zc_buf_make(f, n), offload ? ZCS_RX_CSUM_TRUSTED : 0, now);
			free(f);
			frames++;
			break;
		}
		case 1: {
			uint64_t step = 0, next;
			size_t b;

			for (b = 0; b < n && b < 5; b++)
				step |= (uint64_t)p[b] << (8 * b);
			now += step;
			next = zcs_poll(s, now);
			ZC_FUZZ_CHECK(next > now, "zcs_poll at %llu returned the past, %llu", (unsigned long long)now,
				      (unsigned long long)next);
			break;
		}
		case 2:
			if (n >= 3 && (p[0] & 0x80)) {
				zcs_addr to;
				zc_err e;

				memset(&to, 0, sizeof to);
				to.family = ZCS_AF_INET6;
				memcpy(to.ip, our6, 15);
				to.ip[15] = p[0] & 0x7f;
				to.port = (uint16_t)(p[1] << 8 | p[2]);
				e = zcs_udp_sendto_addr(s, socks[0], &to, p + 3, n - 3, now);
				ZC_FUZZ_CHECK(to.port != 0 || e == ZC_E_ARG, "a send to port 0 gave %s", zc_err_name(e));
			} else if (n >= 3) {
				zcs_addr4 to = { 0x0a4d0000u | p[0], (uint16_t)(p[1] << 8 | p[2]) };
				zc_err e = zcs_udp_sendto(s, socks[0], &to, p + 3, n - 3, now);

				ZC_FUZZ_CHECK(to.port != 0 || e == ZC_E_ARG, "a send to port 0 gave %s", zc_err_name(e));
			}
			break;
		case 3:
			if (n >= 2) {
				uint8_t buf[256];
				zcs_addr4 from;
				zcs_addr from6;
				long r = (p[0] & 0x80) ? zcs_udp_recvfrom_addr(s, socks[p[0] % 3], buf, p[1], &from6)
						       : zcs_udp_recvfrom(s, socks[p[0] % 3], buf, p[1], &from);

				ZC_FUZZ_CHECK(r == ZC_E_AGAIN || (r >= 0 && r <= p[1]), "recvfrom gave %ld for %u bytes", r,
					      p[1]);
			}
			break;
		case 5:
			/* TCP: accept, send, receive or close on connection byte 1 % 3. */
			if (n >= 2) {
				unsigned j = p[1] % 3;
				uint8_t buf[256];
				long r;

				switch (p[0] % 4) {
				case 0:
					if (conns[j] < 0) {
						zcs_addr peer;
						int a = (p[0] & 0x80) ? zcs_tcp_accept_addr(s, listener, &peer)
								      : zcs_tcp_accept(s, listener, NULL);

						conns[j] = a >= 0 ? a : -1;
					}
					break;
				case 1:
					if (conns[j] >= 0) {
						r = zcs_tcp_send(s, conns[j], p + 2, n - 2, now);
						ZC_FUZZ_CHECK(r < 0 || (size_t)r <= n - 2, "send took more than it was given");
					}
					break;
				case 2:
					if (conns[j] >= 0) {
						r = zcs_tcp_recv(s, conns[j], buf, sizeof buf, now);
						ZC_FUZZ_CHECK(r <= (long)sizeof buf, "recv gave more than asked");
					}
					break;
				default:
					if (conns[j] >= 0) {
						ZC_FUZZ_CHECK(zcs_tcp_close(s, conns[j], now) == ZC_OK, "close failed");
						conns[j] = -1;
					}
					break;
				}
			}
			break;
		case 6:
			dhcp_reply(s, p, n, now);
			frames += n >= 5;
			break;
		default:
			if (n >= 2) {
				unsigned j = p[0] % 3;

				ZC_FUZZ_CHECK(zcs_udp_close(s, socks[j]) == ZC_OK, "close failed");
				socks[j] = zcs_udp_open(s);
				ZC_FUZZ_CHECK(socks[j] >= 0, "a closed slot did not open again");
				if (p[1])
					(void)zcs_udp_bind(s, socks[j], p[1]);
			}
			break;
		}
		ZC_FUZZ_CHECK(zcs_memory(s) == mem, "the stack's memory changed");
		if (dhcp) {
			zcs_dhcp_state ds = zcs_dhcp_get_state(s);
			bool bound = ds == ZCS_DHCP_BOUND || ds == ZCS_DHCP_RENEWING || ds == ZCS_DHCP_REBINDING;

			ZC_FUZZ_CHECK(ds != ZCS_DHCP_OFF, "the DHCP client stopped");
			ZC_FUZZ_CHECK(bound == (zcs_ipv4_get(s, NULL, NULL, NULL) == ZC_OK),
				      "DHCP state %d and the address disagree", (int)ds);
		}
	}
	zcs_stats_get(s, &st);
	ZC_FUZZ_CHECK(st.rx_frames == frames, "%llu frames counted, %lu given", (unsigned long long)st.rx_frames, frames);
	ZC_FUZZ_CHECK(st.tx_frames == sent, "%llu frames counted as sent, %lu sent", (unsigned long long)st.tx_frames,
		      sent);
	dhcp_stack = NULL;
	zcs_destroy(s);
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	run(data, size, false, false);
	run(data, size, true, false);
	run(data, size, false, true);
}
