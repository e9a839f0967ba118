/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/arp.c - ARP for Ethernet and IPv4 (RFC 826).
 */
#include "internal.h"

zc_err zc_arp_parse(zc_buf b, zc_arp *out)
{
	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_ARP_FIXED_LEN))
		return ZC_E_TRUNCATED;
	if (zc_load_be16(b.p + ZC_ARP_HTYPE_OFF) != ZC_ARP_HTYPE_ETHER ||
	    zc_load_be16(b.p + ZC_ARP_PTYPE_OFF) != ZC_ETH_P_IPV4)
		return ZC_E_UNSUPPORTED;
	/* The types fix the address lengths; anything else contradicts them. */
	if (unlikely(b.p[ZC_ARP_HLEN_OFF] != ZC_ETH_ADDR_LEN || b.p[ZC_ARP_PLEN_OFF] != 4))
		return ZC_E_INVALID;
	if (unlikely(b.len < ZC_ARP_LEN))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	return ZC_OK;
}
