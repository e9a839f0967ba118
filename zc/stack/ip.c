/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/ip.c - what UDP and TCP need of IP, whichever the version: the
 * pseudo-header, the source address, sending, the port unreachable error.
 */
#include "internal.h"

uint32_t zcs_pseudo(const zcs_naddr *src, const zcs_naddr *dst, uint8_t proto, size_t len)
{
	if (dst->fam == 6)
		return zc_csum_pseudo6(src->a, dst->a, proto, (uint32_t)len);
	return zc_csum_pseudo4(zc_load_be32(src->a), zc_load_be32(dst->a), proto, (uint32_t)len);
}

zc_err zcs_ip_src_for(const zcs_stack *s, const zcs_naddr *dst, zcs_naddr *src)
{
	const uint8_t *a;

	if (dst->fam == 4) {
		if (!s->cfg.addr)
			return ZC_E_NOROUTE; /* no lease yet */
		*src = zcs_naddr4(s->cfg.addr);
		return ZC_OK;
	}
	a = zcs_addr6_src_for(s, dst->a);
	if (!zcs_addr6_usable(s, a))
		return ZC_E_NOROUTE;
	*src = zcs_naddr6(a);
	return ZC_OK;
}

zc_err zcs_ip_output(zcs_stack *s, const zcs_naddr *src, const zcs_naddr *dst, uint8_t proto, size_t l4_len,
		     uint64_t now)
{
	if (dst->fam == 6)
		return zcs_ipv6_output(s, s->out, src->a, dst->a, proto, 64, l4_len, now);
	return zcs_ipv4_output(s, zc_load_be32(dst->a), proto, l4_len, now);
}

void zcs_ip_port_unreach(zcs_stack *s, const zcs_rx *rx, uint64_t now)
{
	if (rx->src.fam == 6)
		zcs_icmp6_error(s, rx->ip6, ZC_ICMP6_DEST_UNREACH, 4, 0, now);
	else
		zcs_icmp4_error(s, rx->ip4, ZC_ICMP4_DEST_UNREACH, 3, now);
}

uint16_t zcs_ip_mss(const zcs_stack *s, uint8_t fam)
{
	return (uint16_t)(s->cfg.mtu - (fam == 6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN) - ZC_TCP_MIN_HDR_LEN);
}

void zcs_addr_to_n(const zcs_addr *a, zcs_naddr *n)
{
	memset(n, 0, sizeof *n);
	n->fam = a->family;
	memcpy(n->a, a->ip, a->family == ZCS_AF_INET6 ? 16 : 4);
}

void zcs_addr_from_n(const zcs_naddr *n, uint16_t port, zcs_addr *a)
{
	memset(a, 0, sizeof *a);
	a->family = n->fam;
	memcpy(a->ip, n->a, n->fam == 6 ? 16 : 4);
	a->port = port;
}
