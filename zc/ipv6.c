/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv6.c - IPv6 headers and the extension-header walk (RFC 8200).
 */
#include "internal.h"

zc_err zc_ipv6_parse(zc_buf b, zc_ipv6 *out)
{
	return zc_ipv6_parse_impl(b, out, false);
}

zc_err zc_ipv6_parse_lax(zc_buf b, zc_ipv6 *out)
{
	return zc_ipv6_parse_impl(b, out, true);
}

int zc_ipv6_ext_next(zc_ipv6_ext_iter *it, zc_ipv6_ext *e)
{
	/* parse walked exactly these headers, so every one lies inside the view. */
	if (it->off >= it->v.l4_off || !zc_ipv6_is_ext(it->nh))
		return 0;
	e->type = it->nh;
	e->off = it->off;
	e->p = it->v.p + it->off;
	e->next = e->p[0];
	e->len = (uint16_t)zc_ipv6_ext_len(it->nh, e->p);
	it->nh = e->next;
	it->off = (uint16_t)(it->off + e->len);
	return 1;
}

void zc_ipv6_set_hlim(zc_ipv6 v, uint8_t hlim)
{
	v.p[ZC_IPV6_HLIM_OFF] = hlim;
}

/*
 * True while a routing header has segments left: the destination field then
 * holds the next hop, and the upper layer's pseudo-header the final
 * destination from the routing header (RFC 8200 section 8.1).
 */
static bool ipv6_routing_in_flight(zc_ipv6 v)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(v);
	zc_ipv6_ext e;

	while (zc_ipv6_ext_next(&it, &e))
		if (e.type == ZC_IPPROTO_ROUTING && e.p[3] != 0)
			return true;
	return false;
}

static void ipv6_set_addr(zc_ipv6 v, size_t off, const uint8_t *addr)
{
	uint8_t old[ZC_IPV6_ADDR_LEN];

	__builtin_memcpy(old, v.p + off, ZC_IPV6_ADDR_LEN);
	__builtin_memmove(v.p + off, addr, ZC_IPV6_ADDR_LEN);
	/* A later fragment does not carry the upper-layer header. */
	if (zc_ipv6_frag_offset(v) != 0)
		return;
	if (off == ZC_IPV6_DST_OFF && ipv6_routing_in_flight(v))
		return;
	zc_l4_pseudo_changed(v.proto, true, zc_ipv6_payload(v), old, addr, ZC_IPV6_ADDR_LEN);
}

void zc_ipv6_set_src(zc_ipv6 v, const uint8_t addr[16])
{
	ipv6_set_addr(v, ZC_IPV6_SRC_OFF, addr);
}

void zc_ipv6_set_dst(zc_ipv6 v, const uint8_t addr[16])
{
	ipv6_set_addr(v, ZC_IPV6_DST_OFF, addr);
}
