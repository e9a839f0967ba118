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
	if (c->prefix_len < 1 || c->prefix_len > 32 || c->addr == 0 || !c->tx)
		return ZC_E_ARG;
	/* A unicast address of its own: not multicast, broadcast or loopback. */
	if (c->addr >> 28 == 0xe || c->addr == 0xffffffffu || c->addr >> 24 == 127)
		return ZC_E_ARG;
	if (c->link == ZCS_LINK_ETH && ((c->mac[0] & 1) || !memcmp(c->mac, "\0\0\0\0\0\0", 6)))
		return ZC_E_ARG;
	if (c->arp_entries == 0)
		c->arp_entries = 16;
	if (c->arp_pending == 0)
		c->arp_pending = 8;
	if (c->udp_sockets == 0)
		c->udp_sockets = 8;
	if (c->reasm_slots == 0)
		c->reasm_slots = 4;
	if (c->max_datagram == 0)
		c->max_datagram = 16384;
	if (c->max_datagram < 576 || c->max_datagram > 65535 || c->reasm_slots > 1024)
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
	size_t frame, big, slot, total;
	uint8_t *at;
	zcs_stack *s;
	unsigned i;
	zc_err e;

	(void)now_us;
	if (!cfg || !out)
		return ZC_E_ARG;
	*out = NULL;
	c = *cfg;
	if ((e = check_config(&c)) != ZC_OK)
		return e;
	frame = ZCS_L2_ROOM + c.mtu;
	big = ZCS_L2_ROOM + (c.max_datagram > c.mtu ? c.max_datagram : c.mtu);
	slot = ZCS_REASM_HDR_ROOM + c.max_datagram;
	total = carve_len(sizeof *s) + carve_len(c.arp_entries * sizeof(zcs_arp_entry)) +
		carve_len(c.arp_pending * sizeof(zcs_pending)) + c.arp_pending * carve_len(frame) +
		carve_len(c.udp_sockets * sizeof(zcs_udp_sock)) + c.udp_sockets * carve_len(c.udp_ring_bytes) +
		carve_len(c.reasm_slots * sizeof(zcs_reasm)) +
		c.reasm_slots * (carve_len(slot) + carve_len(ZCS_REASM_MAP_LEN(c.max_datagram))) + carve_len(big) +
		carve_len(frame);
	at = calloc(1, total);
	if (!at)
		return ZC_E_NOMEM;
	s = carve(&at, sizeof *s);
	s->cfg = c;
	s->mem = total;
	s->netmask = c.prefix_len == 32 ? 0xffffffffu : ~(0xffffffffu >> c.prefix_len);
	s->next_port = 49152;
	s->arp = carve(&at, c.arp_entries * sizeof(zcs_arp_entry));
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
	s->out = carve(&at, big);
	s->frag = carve(&at, frame);
	if (c.link == ZCS_LINK_ETH)
		zcs_arp_start(s);
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
	if (s->cfg.tx(s->cfg.tx_ctx, frame, len) == 0)
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

zc_err zcs_input(zcs_stack *s, zc_buf frame, uint64_t now_us)
{
	zc_eth eth;

	ZCS_INC(s, rx_frames);
	if (s->cfg.link == ZCS_LINK_IP) {
		if (frame.len == 0 || frame.p[0] >> 4 != 4) {
			ZCS_INC(s, drop_not_ours);
			return ZC_E_UNSUPPORTED;
		}
		return zcs_ipv4_input(s, frame, now_us);
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
	/* Unicast to us, or broadcast; multicast groups are not joined in this release. */
	if (memcmp(zc_eth_dst(eth), s->cfg.mac, 6) != 0 && memcmp(zc_eth_dst(eth), eth_broadcast, 6) != 0) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	switch (zc_eth_type(eth)) {
	case ZC_ETH_P_ARP:
		return zcs_arp_input(s, zc_eth_payload(eth), now_us);
	case ZC_ETH_P_IPV4:
		return zcs_ipv4_input(s, zc_eth_payload(eth), now_us);
	default:
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
}

uint64_t zcs_poll(zcs_stack *s, uint64_t now_us)
{
	uint64_t next = zcs_frag_poll(s, now_us), arp;

	if (s->cfg.link == ZCS_LINK_ETH && (arp = zcs_arp_poll(s, now_us)) < next)
		next = arp;
	return next;
}
