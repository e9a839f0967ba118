/*
 * zc/ipv6.c - IPv6 headers and the extension-header walk (RFC 8200).
 */
#include "internal.h"

/* True for the next-header values this walk steps over. */
static inline bool ipv6_is_ext(uint8_t nh)
{
	return nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_ROUTING || nh == ZC_IPPROTO_FRAGMENT ||
	       nh == ZC_IPPROTO_DSTOPTS || nh == ZC_IPPROTO_AH;
}

/*
 * Length in bytes of the extension header of type nh whose first two bytes
 * are at h: the fragment header is fixed (RFC 8200 section 4.5), AH counts
 * 4-byte words minus 2 (RFC 4302 section 2.2), the others count 8-byte words
 * after the first 8.
 */
static inline size_t ipv6_ext_len(uint8_t nh, const uint8_t *h)
{
	if (nh == ZC_IPPROTO_FRAGMENT)
		return ZC_IPV6_FRAG_HDR_LEN;
	if (nh == ZC_IPPROTO_AH)
		return ((size_t)h[1] + 2) * 4;
	return ((size_t)h[1] + 1) * 8;
}

static zc_err ipv6_parse(zc_buf b, zc_ipv6 *out, bool lax)
{
	size_t plen, have, end, off = ZC_IPV6_HDR_LEN, elen;
	unsigned n;
	uint8_t nh;

	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_IPV6_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely((b.p[0] >> 4) != 6))
		return ZC_E_VERSION;
	plen = zc_load_be16(b.p + ZC_IPV6_PLEN_OFF);
	have = plen;
	if (unlikely(b.len - ZC_IPV6_HDR_LEN < plen)) {
		if (!lax)
			return ZC_E_TRUNCATED;
		have = b.len - ZC_IPV6_HDR_LEN;
	}
	end = ZC_IPV6_HDR_LEN + have; /* the bytes present */
	out->p = b.p;
	out->plen = (uint16_t)have;
	out->flags = 0;
	out->frag_off = 0;
	nh = b.p[ZC_IPV6_NXT_OFF];
	for (n = 0; ipv6_is_ext(nh); n++) {
		if (unlikely(n == ZC_IPV6_MAX_EXT))
			return ZC_E_TOO_DEEP;
		/* Declared bounds first: a header past the payload length is invalid. */
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < 2))
			return ZC_E_LENGTH;
		if (unlikely(end - off < 2))
			break; /* lax only: cut inside this header */
		elen = ipv6_ext_len(nh, b.p + off);
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < elen))
			return ZC_E_LENGTH;
		if (unlikely(end - off < elen))
			break; /* lax only */
		if (nh == ZC_IPPROTO_FRAGMENT) {
			out->flags |= ZC_IPV6_F_FRAG;
			out->frag_off = (uint16_t)off;
			nh = b.p[off];
			off += elen;
			/* A later fragment does not start with the next header. */
			if (zc_load_be16(b.p + off - elen + 2) & ZC_IPV6_FRAG_MASK)
				break;
			continue;
		}
		nh = b.p[off];
		off += elen;
	}
	out->l4_off = (uint16_t)off;
	out->proto = nh;
	return ZC_OK;
}

zc_err zc_ipv6_parse(zc_buf b, zc_ipv6 *out)
{
	return ipv6_parse(b, out, false);
}

zc_err zc_ipv6_parse_lax(zc_buf b, zc_ipv6 *out)
{
	return ipv6_parse(b, out, true);
}

int zc_ipv6_ext_next(zc_ipv6_ext_iter *it, zc_ipv6_ext *e)
{
	/* parse walked exactly these headers, so every one lies inside the view. */
	if (it->off >= it->v.l4_off || !ipv6_is_ext(it->nh))
		return 0;
	e->type = it->nh;
	e->off = it->off;
	e->p = it->v.p + it->off;
	e->next = e->p[0];
	e->len = (uint16_t)ipv6_ext_len(it->nh, e->p);
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
