/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv6.c - IPv6 headers and the extension-header walk (RFC 8200).
 */
/* The constructors, defined in zc/ipv6.h, are compiled here as the exported functions. */
#define ZC_IPV6_EXTERN
#include "internal.h"

/*
 * The length a routing header's type fixes: a type 2 header (RFC 6275
 * section 6.4) holds one address, Hdr Ext Len 2; a segment routing header
 * (RFC 8754 section 2) at least one segment, Hdr Ext Len 2 or more. Other
 * types are left to their lengths.
 */
static bool routing_len_ok(const uint8_t *h)
{
	switch (h[2]) {
	case 2:
		return h[1] == 2;
	case 4:
		return h[1] >= 2;
	default:
		return true;
	}
}

zc_err zc_ipv6_walk_ext(zc_buf b, zc_ipv6 *out)
{
	size_t plen = zc_load_be16(b.p + ZC_IPV6_PLEN_OFF), off = ZC_IPV6_HDR_LEN, elen;
	size_t end = ZC_IPV6_HDR_LEN + out->plen; /* the bytes present */
	unsigned n;
	uint8_t nh = b.p[ZC_IPV6_NXT_OFF];

	for (n = 0; unlikely(zc_ipv6_is_ext(nh)); n++) {
		if (unlikely(n == ZC_IPV6_MAX_EXT))
			return ZC_E_TOO_DEEP;
		/* Declared bounds first: a header past the payload length is invalid. */
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < 2))
			return ZC_E_LENGTH;
		if (unlikely(end - off < 2))
			break; /* lax only: cut inside this header */
		elen = zc_ipv6_ext_len(nh, b.p + off);
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < elen))
			return ZC_E_LENGTH;
		if (unlikely(end - off < elen))
			break; /* lax only */
		/* RFC 8200 section 4.2: an option that runs past its header is malformed. */
		if (unlikely(nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_DSTOPTS) &&
		    unlikely(zc_ipv6_opts_check(b.p + off, elen) != ZC_OK))
			return ZC_E_OPTION;
		if (unlikely(nh == ZC_IPPROTO_ROUTING) && unlikely(!routing_len_ok(b.p + off)))
			return ZC_E_OPTION;
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

int zc_ipv6_opt_next(zc_ipv6_opt_iter *it, zc_ipv6_opt *o)
{
	size_t left;

	if (it->p >= it->end)
		return 0;
	if (unlikely(++it->steps > ZC_IPV6_OPT_MAX_STEPS))
		goto too_many_steps;
	left = (size_t)(it->end - it->p);
	o->type = it->p[0];
	if (o->type == ZC_IPV6_OPT_PAD1) {
		/* RFC 8200 section 4.2: Pad1 has neither length nor data. */
		o->len = 0;
		o->data = NULL;
		it->p++;
		return 1;
	}
	if (unlikely(left < 2))
		goto no_length;
	if (unlikely(it->p[1] > left - 2))
		goto past_the_header;
	o->len = it->p[1];
	o->data = it->p + 2;
	it->p += 2 + (size_t)o->len;
	return 1;

too_many_steps:
no_length:
past_the_header:
	/* Stop for good: a second call reports the end, never the same item. */
	it->p = it->end;
	return ZC_E_OPTION;
}

zc_err zc_ipv6_opts_check(const uint8_t *h, size_t len)
{
	zc_ipv6_opt_iter it;
	zc_ipv6_opt o;
	int r;

	if (unlikely(!h || len < 2))
		return ZC_E_ARG;
	it = zc_ipv6_opt_iter_make(h + 2, len - 2);
	while ((r = zc_ipv6_opt_next(&it, &o)) == 1)
		continue;
	return r == 0 ? ZC_OK : (zc_err)r;
}

void zc_ipv6_set_hlim(zc_ipv6_rw h, uint8_t hlim)
{
	zc_rw_bytes(h.v.p)[ZC_IPV6_HLIM_OFF] = hlim;
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

static void ipv6_set_addr(zc_ipv6_rw h, size_t off, const uint8_t *addr)
{
	zc_ipv6 v = h.v;
	uint8_t *w = zc_rw_bytes(v.p);
	uint8_t old[ZC_IPV6_ADDR_LEN];

	__builtin_memcpy(old, w + off, ZC_IPV6_ADDR_LEN);
	__builtin_memmove(w + off, addr, ZC_IPV6_ADDR_LEN);
	/* A later fragment does not carry the upper-layer header. */
	if (zc_ipv6_frag_offset(v) != 0)
		return;
	if (off == ZC_IPV6_DST_OFF && ipv6_routing_in_flight(v))
		return;
	zc_l4_pseudo_changed(v.proto, true, w + v.l4_off, zc_ipv6_payload(v).len, old, w + off, ZC_IPV6_ADDR_LEN);
}

zc_err zc_ipv6_set_payload_len(zc_ipv6_rw *h, size_t plen)
{
	if (unlikely(!h))
		return ZC_E_ARG;
	if (unlikely(plen > UINT16_MAX || ZC_IPV6_HDR_LEN + plen < h->v.l4_off))
		return ZC_E_LENGTH;
	zc_store_be16(zc_rw_bytes(h->v.p) + ZC_IPV6_PLEN_OFF, (uint16_t)plen);
	if (plen < h->v.plen)
		h->v.plen = (uint16_t)plen;
	return ZC_OK;
}

void zc_ipv6_set_src(zc_ipv6_rw h, const uint8_t addr[16])
{
	ipv6_set_addr(h, ZC_IPV6_SRC_OFF, addr);
}

void zc_ipv6_set_dst(zc_ipv6_rw h, const uint8_t addr[16])
{
	ipv6_set_addr(h, ZC_IPV6_DST_OFF, addr);
}
