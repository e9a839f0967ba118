/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/neigh.c - the neighbour cache both IP versions share: entries
 * that age, the packets that wait while a next hop is asked for, retries.
 * ARP (arp.c) and neighbour discovery (nd.c) ask and answer; this file
 * remembers.
 */
#include "internal.h"

/* How long an answer is trusted, by family: ARP's customary minute, RFC 4861's REACHABLE_TIME. */
static uint64_t reachable_us(uint8_t fam)
{
	return fam == 4 ? ZCS_ARP_REACHABLE_US : ZCS_ND_REACHABLE_US;
}

static void solicit(zcs_stack *s, const zcs_naddr *key)
{
	if (key->fam == 4)
		zcs_arp_request(s, zc_load_be32(key->a));
	else
		zcs_nd_solicit(s, key->a, false);
}

zcs_neigh *zcs_neigh_find(zcs_stack *s, const zcs_naddr *key)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++)
		if (s->neigh[i].state != NEIGH_FREE && zcs_naddr_eq(&s->neigh[i].key, key))
			return &s->neigh[i];
	return NULL;
}

/*
 * A slot for a new entry: a free one, else the answered entry that expires
 * first (it is asked again when next needed). NULL when every entry is
 * still waiting for its answer.
 */
static zcs_neigh *neigh_slot(zcs_stack *s)
{
	zcs_neigh *oldest = NULL;
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++) {
		zcs_neigh *e = &s->neigh[i];

		if (e->state == NEIGH_FREE)
			return e;
		if (e->state == NEIGH_REACHABLE && (!oldest || e->expires < oldest->expires))
			oldest = e;
	}
	return oldest;
}

static uint16_t ethertype(const zcs_naddr *key)
{
	return key->fam == 4 ? ZC_ETH_P_IPV4 : ZC_ETH_P_IPV6;
}

/* Sends, in the order they came, the packets that waited for e's address. */
static void neigh_flush(zcs_stack *s, const zcs_neigh *e)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_pending; i++) {
		zcs_pending *p = &s->pend[i];

		if (p->next_hop.fam == 0 || !zcs_naddr_eq(&p->next_hop, &e->key))
			continue;
		zcs_eth_send(s, p->frame, ZCS_L2_ROOM + p->len, e->mac, ethertype(&e->key));
		p->next_hop.fam = 0;
	}
}

/* Drops the packets waiting for key, counting each. */
static void neigh_drop_pending(zcs_stack *s, const zcs_naddr *key)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_pending; i++)
		if (s->pend[i].next_hop.fam && zcs_naddr_eq(&s->pend[i].next_hop, key)) {
			s->pend[i].next_hop.fam = 0;
			ZCS_INC(s, drop_neigh_timeout);
		}
}

void zcs_neigh_forget_v4_pending(zcs_stack *s)
{
	unsigned i;

	for (i = 0; i < s->cfg.arp_pending; i++)
		if (s->pend[i].next_hop.fam == 4) {
			s->pend[i].next_hop.fam = 0;
			ZCS_INC(s, drop_addr_lost);
		}
	for (i = 0; i < s->cfg.arp_entries; i++)
		if (s->neigh[i].state == NEIGH_INCOMPLETE && s->neigh[i].key.fam == 4)
			s->neigh[i].state = NEIGH_FREE;
}

void zcs_neigh_learn(zcs_stack *s, const zcs_naddr *key, const uint8_t *mac, bool create, uint64_t now)
{
	zcs_neigh *e = zcs_neigh_find(s, key);
	bool was_waiting;

	if (!e && (!create || !(e = neigh_slot(s))))
		return;
	/* Only an incomplete entry has packets waiting; neigh_slot() never evicts one. */
	was_waiting = e->state == NEIGH_INCOMPLETE && zcs_naddr_eq(&e->key, key);
	e->key = *key;
	memcpy(e->mac, mac, 6);
	e->state = NEIGH_REACHABLE;
	e->tries = 0;
	e->expires = now + reachable_us(key->fam);
	if (was_waiting)
		neigh_flush(s, e);
}

zc_err zcs_neigh_output(zcs_stack *s, uint8_t *frame, size_t len, const zcs_naddr *next_hop, uint64_t now)
{
	zcs_neigh *e = zcs_neigh_find(s, next_hop);
	zcs_pending *slot = NULL;
	unsigned i;

	if (e && e->state == NEIGH_REACHABLE) {
		zcs_eth_send(s, frame, ZCS_L2_ROOM + len, e->mac, ethertype(next_hop));
		return ZC_OK;
	}
	if (!e) {
		if (!(e = neigh_slot(s))) {
			ZCS_INC(s, drop_neigh_table_full);
			return ZC_E_AGAIN;
		}
		e->key = *next_hop;
		e->state = NEIGH_INCOMPLETE;
		e->tries = 1;
		e->expires = now + ZCS_ARP_RETRY_US;
		solicit(s, next_hop);
	}
	/*
	 * A waiting slot holds one MTU and goes out as a plain frame: a segment
	 * for the device to cut (tso_max) is lost, for TCP to send again in MSS
	 * segments, even one within the MTU, whose checksum is partial and
	 * whose data is more than the peer's MSS.
	 */
	for (i = 0; i < s->cfg.arp_pending && !slot && len <= s->cfg.mtu && !s->tx_gso.size; i++)
		if (s->pend[i].next_hop.fam == 0)
			slot = &s->pend[i];
	if (!slot) {
		ZCS_INC(s, drop_neigh_pending_full);
		return ZC_E_AGAIN;
	}
	memcpy(slot->frame + ZCS_L2_ROOM, frame + ZCS_L2_ROOM, len);
	slot->len = (uint16_t)len;
	slot->next_hop = *next_hop;
	return ZC_OK;
}

uint64_t zcs_neigh_poll(zcs_stack *s, uint64_t now)
{
	uint64_t next = ZCS_NEVER;
	unsigned i;

	for (i = 0; i < s->cfg.arp_entries; i++) {
		zcs_neigh *e = &s->neigh[i];

		if (e->state == NEIGH_FREE)
			continue;
		if (now >= e->expires) {
			if (e->state == NEIGH_INCOMPLETE && e->tries < ZCS_ARP_TRIES) {
				e->tries++;
				e->expires = now + ZCS_ARP_RETRY_US;
				solicit(s, &e->key);
			} else {
				/* Aged out, or never answered: forgotten, asked again when needed. */
				if (e->state == NEIGH_INCOMPLETE)
					neigh_drop_pending(s, &e->key);
				e->state = NEIGH_FREE;
				continue;
			}
		}
		if (e->expires < next)
			next = e->expires;
	}
	return next;
}
