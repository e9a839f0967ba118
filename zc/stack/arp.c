/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/arp.c - ARP (RFC 826): the cache, its ageing, the packets that
 * wait for an answer, and the answers the stack gives.
 */
#include "internal.h"

/* Sends an ARP packet of operation op about tpa (to tha, or broadcast when tha is NULL). */
static void arp_send(zcs_stack *s, uint16_t op, const uint8_t *tha, uint32_t tpa)
{
	uint8_t f[ZC_ETH_HDR_LEN + ZC_ARP_LEN];
	uint8_t *a = f + ZC_ETH_HDR_LEN;

	zc_store_be16(a + ZC_ARP_HTYPE_OFF, ZC_ARP_HTYPE_ETHER);
	zc_store_be16(a + ZC_ARP_PTYPE_OFF, ZC_ETH_P_IPV4);
	a[ZC_ARP_HLEN_OFF] = 6;
	a[ZC_ARP_PLEN_OFF] = 4;
	zc_store_be16(a + ZC_ARP_OP_OFF, op);
	memcpy(a + ZC_ARP_SHA_OFF, s->cfg.mac, 6);
	zc_store_be32(a + ZC_ARP_SPA_OFF, s->cfg.addr);
	if (tha)
		memcpy(a + ZC_ARP_THA_OFF, tha, 6);
	else
		memset(a + ZC_ARP_THA_OFF, 0, 6);
	zc_store_be32(a + ZC_ARP_TPA_OFF, tpa);
	zcs_eth_send(s, f, sizeof f, tha, ZC_ETH_P_ARP);
	if (op == ZC_ARP_OP_REQUEST)
		ZCS_INC(s, arp_requests_sent);
	else
		ZCS_INC(s, arp_replies_sent);
}

/* A gratuitous ARP (RFC 5227 section 3: an announcement) tells the link our address. */
void zcs_arp_start(zcs_stack *s)
{
	arp_send(s, ZC_ARP_OP_REQUEST, NULL, s->cfg.addr);
}

static zcs_arp_entry *arp_find(zcs_stack *s, uint32_t ip)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++)
		if (s->arp[i].state != ARP_FREE && s->arp[i].ip == ip)
			return &s->arp[i];
	return NULL;
}

/*
 * A slot for a new entry: a free one, else the answered entry that expires
 * first (it is asked again when next needed). NULL when every entry is
 * still waiting for its answer.
 */
static zcs_arp_entry *arp_slot(zcs_stack *s)
{
	zcs_arp_entry *oldest = NULL;
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++) {
		zcs_arp_entry *e = &s->arp[i];

		if (e->state == ARP_FREE)
			return e;
		if (e->state == ARP_REACHABLE && (!oldest || e->expires < oldest->expires))
			oldest = e;
	}
	return oldest;
}

/* Sends, in the order they came, the packets that waited for e's address. */
static void arp_flush(zcs_stack *s, const zcs_arp_entry *e)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_pending; i++) {
		zcs_pending *p = &s->pend[i];

		if (p->next_hop != e->ip)
			continue;
		zcs_eth_send(s, p->frame, ZCS_L2_ROOM + p->len, e->mac, ZC_ETH_P_IPV4);
		p->next_hop = 0;
	}
}

/* Drops the packets waiting for ip, counting each. */
static void arp_drop_pending(zcs_stack *s, uint32_t ip)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_pending; i++)
		if (s->pend[i].next_hop == ip) {
			s->pend[i].next_hop = 0;
			ZCS_INC(s, drop_arp_timeout);
		}
}

static void arp_learn(zcs_stack *s, zcs_arp_entry *e, uint32_t ip, const uint8_t *mac, uint64_t now)
{
	/* Only an incomplete entry has packets waiting; arp_slot() never evicts one. */
	bool was_waiting = e->state == ARP_INCOMPLETE && e->ip == ip;

	e->ip = ip;
	memcpy(e->mac, mac, 6);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->expires = now + ZCS_ARP_REACHABLE_US;
	if (was_waiting)
		arp_flush(s, e);
}

zc_err zcs_arp_input(zcs_stack *s, zc_buf b, uint64_t now)
{
	zcs_arp_entry *e;
	uint32_t spa, tpa;
	zc_arp a;

	if (zc_arp_parse(b, &a) != ZC_OK || zc_arp_htype(a) != ZC_ARP_HTYPE_ETHER ||
	    zc_arp_ptype(a) != ZC_ETH_P_IPV4) {
		ZCS_INC(s, drop_arp_bad);
		return ZC_E_INVALID;
	}
	spa = zc_arp_spa(a);
	tpa = zc_arp_tpa(a);
	/* A sender claiming our own address, or a multicast hardware address, teaches nothing. */
	if (spa == s->cfg.addr || (zc_arp_sha(a)[0] & 1)) {
		ZCS_INC(s, drop_arp_bad);
		return ZC_E_INVALID;
	}
	/*
	 * RFC 826's merge: refresh the sender's entry when there is one; add it
	 * when the packet is for us, since we are about to talk to it.
	 */
	e = spa ? arp_find(s, spa) : NULL;
	if (e)
		arp_learn(s, e, spa, zc_arp_sha(a), now);
	if (tpa != s->cfg.addr) {
		if (!e)
			ZCS_INC(s, drop_not_ours);
		return e ? ZC_OK : ZC_E_UNSUPPORTED;
	}
	if (!e && spa && (e = arp_slot(s)) != NULL)
		arp_learn(s, e, spa, zc_arp_sha(a), now);
	if (zc_arp_op(a) == ZC_ARP_OP_REQUEST)
		arp_send(s, ZC_ARP_OP_REPLY, zc_arp_sha(a), spa);
	return ZC_OK;
}

zc_err zcs_arp_output(zcs_stack *s, uint8_t *frame, size_t len, uint32_t next_hop, uint64_t now)
{
	zcs_arp_entry *e = arp_find(s, next_hop);
	zcs_pending *slot = NULL;
	unsigned i;

	if (e && e->state == ARP_REACHABLE) {
		zcs_eth_send(s, frame, ZCS_L2_ROOM + len, e->mac, ZC_ETH_P_IPV4);
		return ZC_OK;
	}
	if (!e) {
		if (!(e = arp_slot(s))) {
			ZCS_INC(s, drop_arp_table_full);
			return ZC_E_AGAIN;
		}
		e->ip = next_hop;
		e->state = ARP_INCOMPLETE;
		e->tries = 1;
		e->expires = now + ZCS_ARP_RETRY_US;
		arp_send(s, ZC_ARP_OP_REQUEST, NULL, next_hop);
	}
	for (i = 0; i < s->cfg.arp_pending && !slot; i++)
		if (s->pend[i].next_hop == 0)
			slot = &s->pend[i];
	if (!slot) {
		ZCS_INC(s, drop_arp_pending_full);
		return ZC_E_AGAIN;
	}
	memcpy(slot->frame + ZCS_L2_ROOM, frame + ZCS_L2_ROOM, len);
	slot->len = (uint16_t)len;
	slot->next_hop = next_hop;
	return ZC_OK;
}

uint64_t zcs_arp_poll(zcs_stack *s, uint64_t now)
{
	uint64_t next = ZCS_NEVER;
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++) {
		zcs_arp_entry *e = &s->arp[i];

		if (e->state == ARP_FREE)
			continue;
		if (now >= e->expires) {
			if (e->state == ARP_INCOMPLETE && e->tries < ZCS_ARP_TRIES) {
				e->tries++;
				e->expires = now + ZCS_ARP_RETRY_US;
				arp_send(s, ZC_ARP_OP_REQUEST, NULL, e->ip);
			} else {
				/* Aged out, or never answered: forgotten, asked again when needed. */
				if (e->state == ARP_INCOMPLETE)
					arp_drop_pending(s, e->ip);
				e->state = ARP_FREE;
				continue;
			}
		}
		if (e->expires < next)
			next = e->expires;
	}
	return next;
}
