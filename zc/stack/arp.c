/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/arp.c - ARP (RFC 826): the questions the stack asks and the
 * answers it gives; what they teach goes to the neighbour cache (neigh.c).
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

void zcs_arp_request(zcs_stack *s, uint32_t ip)
{
	arp_send(s, ZC_ARP_OP_REQUEST, NULL, ip);
}

zc_err zcs_arp_input(zcs_stack *s, zc_buf b, uint64_t now)
{
	uint32_t spa, tpa;
	zc_arp a;

	if (zc_arp_parse(b, &a) != ZC_OK || zc_arp_htype(a) != ZC_ARP_HTYPE_ETHER ||
	    zc_arp_ptype(a) != ZC_ETH_P_IPV4) {
		ZCS_INC(s, drop_arp_bad);
		return ZC_E_INVALID;
	}
	spa = zc_arp_spa(a);
	tpa = zc_arp_tpa(a);
	/* Without an address (DHCP has not leased one) there is nothing to answer for. */
	if (!s->cfg.addr) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	/* A sender claiming our own address, or a multicast hardware address, teaches nothing. */
	if (spa == s->cfg.addr || (zc_arp_sha(a)[0] & 1)) {
		ZCS_INC(s, drop_arp_bad);
		return ZC_E_INVALID;
	}
	/*
	 * RFC 826's merge: refresh the sender's entry when there is one; add it
	 * when the packet is for us, since we are about to talk to it.
	 */
	if (spa) {
		zcs_naddr key = zcs_naddr4(spa);
		bool known = zcs_neigh_find(s, &key) != NULL;

		zcs_neigh_learn(s, &key, zc_arp_sha(a), tpa == s->cfg.addr, now);
		if (tpa != s->cfg.addr) {
			if (!known)
				ZCS_INC(s, drop_not_ours);
			return known ? ZC_OK : ZC_E_UNSUPPORTED;
		}
	} else if (tpa != s->cfg.addr) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	if (zc_arp_op(a) == ZC_ARP_OP_REQUEST)
		arp_send(s, ZC_ARP_OP_REPLY, zc_arp_sha(a), spa);
	return ZC_OK;
}
