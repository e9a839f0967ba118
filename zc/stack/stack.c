/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/stack.c - making a stack, the frames in and out, the timers.
 */
#include <stdlib.h>

#include "internal.h"

static const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Carves n bytes, 16-aligned, from the single allocation. */
static void *carve(uint8_t **at, size_t n)
{
	void *p = *at;

	*at += (n + 15) & ~(size_t)15;
	return p;
}

static size_t carve_len(size_t n) { return (n + 15) & ~(size_t)15; }

static zc_err check_config(zcs_config *c)
{
	if (c->link != ZCS_LINK_ETH && c->link != ZCS_LINK_IP)
		return ZC_E_ARG;
	if (c->mtu == 0)
		c->mtu = 1500;
	if (c->mtu < 576 || c->mtu > 9000)
		return ZC_E_ARG;
	if (!c->tx)
		return ZC_E_ARG;
	/* With DHCP the address comes from a lease, and only over Ethernet, where a server can broadcast. */
	if (c->dhcp) {
		if (c->link != ZCS_LINK_ETH || c->addr || c->prefix_len || c->gateway)
			return ZC_E_ARG;
	} else if (c->prefix_len < 1 || c->prefix_len > 32 || c->addr == 0) {
		return ZC_E_ARG;
	}
	/* A unicast address of its own: not multicast, broadcast or loopback. */
	if (c->addr >> 28 == 0xe || c->addr == 0xffffffffu || c->addr >> 24 == 127)
		return ZC_E_ARG;
	if (c->link == ZCS_LINK_ETH && ((c->mac[0] & 1) || !memcmp(c->mac, "\0\0\0\0\0\0", 6)))
		return ZC_E_ARG;
	/* IPv6 when an address is set: a unicast one, with an on-link prefix. */
	if (memcmp(c->addr6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) != 0 &&
	    (c->addr6[0] == 0xff || c->prefix6_len < 1 || c->prefix6_len > 128))
		return ZC_E_ARG;
	if (c->arp_entries == 0)
		c->arp_entries = 16;
	if (c->arp_pending == 0)
		c->arp_pending = 8;
	if (c->udp_sockets == 0)
		c->udp_sockets = 8;
	if (c->tcp_sockets == 0)
		c->tcp_sockets = 8;
	if (c->tcp_ring_bytes == 0)
		c->tcp_ring_bytes = 16 << 10;
	if (c->tcp_retries == 0)
		c->tcp_retries = ZCS_TCP_RETRIES;
	if (c->tcp_retries > 15)
		return ZC_E_ARG;
	if (c->tcp_sockets > 65536 || c->tcp_ring_bytes > (64u << 20) || c->tcp_ring_bytes < 64)
		return ZC_E_ARG;
	if (c->reasm_slots == 0)
		c->reasm_slots = 4;
	if (c->max_datagram == 0)
		c->max_datagram = 16384;
	if (c->max_datagram < 576 || c->max_datagram > 65535 || c->reasm_slots > 1024)
		return ZC_E_ARG;
	if (c->tso_max && (c->tso_max > ZCS_TSO_MAX || !c->tx_gso))
		return ZC_E_ARG;
	if (c->udp_ring_bytes == 0)
		c->udp_ring_bytes = 16 << 10;
	if (c->arp_entries > 65536 || c->arp_pending > 65536 || c->udp_sockets > 65536 ||
	    c->udp_ring_bytes > (64u << 20) || c->udp_ring_bytes < sizeof(zcs_udp_rec) + 1)
		return ZC_E_ARG;
	return ZC_OK;
}

zc_err zcs_create(const zcs_config *cfg, uint64_t now_us, zcs_stack **out)
{
	zcs_config c;
	size_t frame, big, slot, total, tcp_chains = 1;
	uint8_t *at;
	zcs_stack *s;
	unsigned i;
	zc_err e;

	if (!cfg || !out)
		return ZC_E_ARG;
	*out = NULL;
	c = *cfg;
	if ((e = check_config(&c)) != ZC_OK)
		return e;
	while (tcp_chains < c.tcp_sockets)
		tcp_chains <<= 1;
	frame = ZCS_L2_ROOM + c.mtu;
	big = ZCS_L2_ROOM + (c.max_datagram > c.mtu ? c.max_datagram : c.mtu);
	/* A large TCP segment is built in s->out too: the largest headers (IPv6's) and tso_max bytes. */
	if (c.tso_max && big < ZCS_L2_ROOM + ZC_IPV6_HDR_LEN + 60 + c.tso_max)
		big = ZCS_L2_ROOM + ZC_IPV6_HDR_LEN + 60 + c.tso_max;
	slot = ZCS_REASM_HDR_ROOM + c.max_datagram;
	total = carve_len(sizeof *s) + carve_len(c.arp_entries * sizeof(zcs_neigh)) +
		carve_len(c.arp_pending * sizeof(zcs_pending)) + c.arp_pending * carve_len(frame) +
		carve_len(c.udp_sockets * sizeof(zcs_udp_sock)) + c.udp_sockets * carve_len(c.udp_ring_bytes) +
		carve_len(c.reasm_slots * sizeof(zcs_reasm)) + carve_len(c.tcp_sockets * sizeof(zcs_tcp_sock)) +
		carve_len(tcp_chains * sizeof(int32_t)) +
		c.tcp_sockets * 2 * carve_len(c.tcp_ring_bytes) +
		c.reasm_slots * (carve_len(slot) + carve_len(ZCS_REASM_MAP_LEN(c.max_datagram))) + carve_len(big) +
		carve_len(frame);
	at = calloc(1, total);
	if (!at)
		return ZC_E_NOMEM;
	s = carve(&at, sizeof *s);
	s->cfg = c;
	s->mem = total;
	s->netmask = c.prefix_len == 0 ? 0 : c.prefix_len == 32 ? 0xffffffffu : ~(0xffffffffu >> c.prefix_len);
	s->next_port = 49152;
	s->next_tcp_port = 49152;
	zcs_isn_key(s);
	s->neigh = carve(&at, c.arp_entries * sizeof(zcs_neigh));
	s->pend = carve(&at, c.arp_pending * sizeof(zcs_pending));
	for (i = 0; i < c.arp_pending; i++)
		s->pend[i].frame = carve(&at, frame);
	s->udp = carve(&at, c.udp_sockets * sizeof(zcs_udp_sock));
	for (i = 0; i < c.udp_sockets; i++) {
		s->udp[i].ring = carve(&at, c.udp_ring_bytes);
		s->udp[i].cap = c.udp_ring_bytes;
	}
	s->reasm = carve(&at, c.reasm_slots * sizeof(zcs_reasm));
	for (i = 0; i < c.reasm_slots; i++) {
		s->reasm[i].data = (uint8_t *)carve(&at, slot) + ZCS_REASM_HDR_ROOM;
		s->reasm[i].map = carve(&at, ZCS_REASM_MAP_LEN(c.max_datagram));
	}
	s->tcp = carve(&at, c.tcp_sockets * sizeof(zcs_tcp_sock));
	s->tcp_hash = carve(&at, tcp_chains * sizeof(int32_t));
	for (i = 0; i < tcp_chains; i++)
		s->tcp_hash[i] = -1;
	s->tcp_hash_mask = (uint32_t)tcp_chains - 1;
	s->tcp_hash_key = zcs_random32(s);
	for (i = 0; i < c.tcp_sockets; i++) {
		s->tcp[i].tx = carve(&at, c.tcp_ring_bytes);
		s->tcp[i].rx = carve(&at, c.tcp_ring_bytes);
		s->tcp[i].ring = c.tcp_ring_bytes;
		s->tcp[i].listener = -1;
	}
	s->out = carve(&at, big);
	s->frag = carve(&at, frame);
	if (memcmp(c.addr6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) != 0) {
		memcpy(s->addr6[1], c.addr6, 16);
		s->addr6_state[1] = ADDR6_TENTATIVE;
		if (c.link == ZCS_LINK_ETH) {
			/* The link-local address from the MAC, as a modified EUI-64 (RFC 4291 2.5.1, appendix A). */
			static const uint8_t fe80[8] = { 0xfe, 0x80 };

			memcpy(s->addr6[0], fe80, 8);
			s->addr6[0][8] = c.mac[0] ^ 2;
			s->addr6[0][9] = c.mac[1];
			s->addr6[0][10] = c.mac[2];
			s->addr6[0][11] = 0xff;
			s->addr6[0][12] = 0xfe;
			memcpy(s->addr6[0] + 13, c.mac + 3, 3);
			s->addr6_state[0] = ADDR6_TENTATIVE;
		}
	}
	if (c.link == ZCS_LINK_ETH && c.addr)
		zcs_arp_start(s);
	zcs_nd_start(s, now_us);
	zcs_dhcp_start(s, now_us);
	*out = s;
	return ZC_OK;
}

void zcs_destroy(zcs_stack *s)
{
	/* The stack struct is the first carve of the one allocation. */
	free(s);
}

size_t zcs_memory(const zcs_stack *s) { return s->mem; }

void zcs_stats_get(const zcs_stack *s, zcs_stats *out) { *out = s->st; }

void zcs_link_tx(zcs_stack *s, const uint8_t *frame, size_t len)
{
	int r;

	/*
	 * The large segment being sent is the one in s->out; a frame sent
	 * meanwhile from elsewhere (an ARP request for its next hop) is not.
	 */
	if (s->tx_gso.size && frame == s->out + (s->cfg.link == ZCS_LINK_ETH ? 0 : ZCS_L2_ROOM)) {
		zcs_gso g = s->tx_gso;
		uint16_t l2 = s->cfg.link == ZCS_LINK_ETH ? ZC_ETH_HDR_LEN : 0;

		g.csum_start = (uint16_t)(g.csum_start + l2);
		g.hdr_len = (uint16_t)(g.hdr_len + l2);
		r = s->cfg.tx_gso(s->cfg.tx_ctx, frame, len, &g);
	} else {
		r = s->cfg.tx(s->cfg.tx_ctx, frame, len);
	}
	if (r == 0)
		ZCS_INC(s, tx_frames);
	else
		ZCS_INC(s, tx_fail);
}

void zcs_eth_send(zcs_stack *s, uint8_t *frame, size_t len, const uint8_t *dst, uint16_t type)
{
	memcpy(frame + ZC_ETH_DST_OFF, dst ? dst : eth_broadcast, 6);
	memcpy(frame + ZC_ETH_SRC_OFF, s->cfg.mac, 6);
	zc_store_be16(frame + ZC_ETH_TYPE_OFF, type);
	zcs_link_tx(s, frame, len);
}

static zc_err link_input(zcs_stack *s, zc_buf frame, uint64_t now_us);

/* True for the MAC of all-nodes or of one of our solicited-node groups. */
static bool eth_group_ours(const zcs_stack *s, const uint8_t *mac)
{
	uint8_t g[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

	if (mac[0] != 0x33 || mac[1] != 0x33)
		return false;
	if (mac[2] == 0xff)
		g[11] = 1;
	memcpy(g + 12, mac + 2, 4);
	return zcs_addr6_our_group(s, g);
}

zc_err zcs_input(zcs_stack *s, zc_buf frame, uint64_t now_us)
{
	return zcs_input_flags(s, frame, 0, now_us);
}

zc_err zcs_input_flags(zcs_stack *s, zc_buf frame, unsigned flags, uint64_t now_us)
{
	unsigned outer = s->rx_flags;
	zc_err e;

	if (flags & ~ZCS_RX_CSUM_TRUSTED)
		return ZC_E_ARG;
	/* The flags hold for this frame alone, even when a receive callback inputs another. */
	s->rx_flags = flags;
	e = link_input(s, frame, now_us);
	s->rx_flags = outer;
	return e;
}

/* The frame being input, by its link header. */
static zc_err link_input(zcs_stack *s, zc_buf frame, uint64_t now_us)
{
	zc_eth eth;

	ZCS_INC(s, rx_frames);
	if (s->cfg.link == ZCS_LINK_IP) {
		if (frame.len && frame.p[0] >> 4 == 4)
			return zcs_ipv4_input(s, frame, now_us);
		if (frame.len && frame.p[0] >> 4 == 6)
			return zcs_ipv6_input(s, frame, now_us);
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	if (zc_eth_parse(frame, &eth) != ZC_OK) {
		ZCS_INC(s, drop_link);
		return ZC_E_INVALID;
	}
	/* The stack is on one untagged segment: a tagged frame is for another VLAN. */
	if (zc_eth_ntags(eth) != 0) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	/* Unicast to us, broadcast, or an IPv6 group of ours (33:33 and the group's last four bytes). */
	if (memcmp(zc_eth_dst(eth), s->cfg.mac, 6) != 0 && memcmp(zc_eth_dst(eth), eth_broadcast, 6) != 0 &&
	    !eth_group_ours(s, zc_eth_dst(eth))) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	switch (zc_eth_type(eth)) {
	case ZC_ETH_P_ARP:
		return zcs_arp_input(s, zc_eth_payload(eth), now_us);
	case ZC_ETH_P_IPV4:
		return zcs_ipv4_input(s, zc_eth_payload(eth), now_us);
	case ZC_ETH_P_IPV6:
		return zcs_ipv6_input(s, zc_eth_payload(eth), now_us);
	default:
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
}

uint64_t zcs_poll(zcs_stack *s, uint64_t now_us)
{
	uint64_t next = zcs_frag_poll(s, now_us), t;

	if ((t = zcs_nd_poll(s, now_us)) < next)
		next = t;
	if ((t = zcs_tcp_poll(s, now_us)) < next)
		next = t;
	if ((t = zcs_dhcp_poll(s, now_us)) < next)
		next = t;
	if (s->cfg.link == ZCS_LINK_ETH && (t = zcs_neigh_poll(s, now_us)) < next)
		next = t;
	return next;
}
