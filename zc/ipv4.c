/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv4.c - IPv4 headers (RFC 791).
 */
/* The constructors, defined in zc/ipv4.h, are compiled here as the exported functions. */
#define ZC_IPV4_EXTERN
#include "internal.h"

bool zc_ipv4_csum_ok(zc_ipv4 v)
{
	return zc_csum(v.p, zc_ipv4_hdr_len(v)) == 0;
}

void zc_ipv4_csum_fill(zc_ipv4_rw h)
{
	uint8_t *w = zc_rw_bytes(h.v.p);

	zc_store_be16(w + ZC_IPV4_CSUM_OFF, 0);
	zc_store_be16(w + ZC_IPV4_CSUM_OFF, zc_csum(w, zc_ipv4_hdr_len(h.v)));
}

/* Rewrites the 16-bit word at off (even) and updates the header checksum. */
static void ipv4_set_word(zc_ipv4_rw h, size_t off, uint16_t word)
{
	uint8_t *w = zc_rw_bytes(h.v.p);
	uint16_t old = zc_load_be16(w + off);
	uint16_t c = zc_load_be16(w + ZC_IPV4_CSUM_OFF);

	zc_store_be16(w + off, word);
	zc_store_be16(w + ZC_IPV4_CSUM_OFF, zc_csum_update16(c, old, word));
}

void zc_ipv4_set_ttl(zc_ipv4_rw h, uint8_t ttl)
{
	/* TTL shares its word with the protocol. */
	ipv4_set_word(h, ZC_IPV4_TTL_OFF, (uint16_t)(ttl << 8 | zc_ipv4_proto(h.v)));
}

bool zc_ipv4_dec_ttl(zc_ipv4_rw h)
{
	uint8_t ttl = zc_ipv4_ttl(h.v);

	if (ttl <= 1)
		return false;
	zc_ipv4_set_ttl(h, (uint8_t)(ttl - 1));
	return true;
}

void zc_ipv4_set_tos(zc_ipv4_rw h, uint8_t tos)
{
	/* TOS shares its word with version and IHL. */
	ipv4_set_word(h, 0, (uint16_t)(h.v.p[0] << 8 | tos));
}

void zc_ipv4_set_id(zc_ipv4_rw h, uint16_t id)
{
	ipv4_set_word(h, ZC_IPV4_ID_OFF, id);
}

/*
 * True while a loose or strict source route has addresses left (RFC 791:
 * its pointer, counted from the option's first byte, is at most the option's
 * length and leaves room for one address). The destination field then holds
 * the next hop, and the upper layer's pseudo-header the final destination,
 * the route's last address (RFC 9293 section 3.1, RFC 768). A malformed
 * option list or source route routes nothing and counts as none.
 */
static bool ipv4_route_in_flight(zc_ipv4 v)
{
	zc_opt_iter it;
	zc_opt o;

	if (zc_ipv4_hdr_len(v) == ZC_IPV4_MIN_HDR_LEN)
		return false;
	it = zc_ipv4_opts(v);
	while (zc_opt_next(&it, &o) == 1) {
		if (o.kind != ZC_IPV4_OPT_LSRR && o.kind != ZC_IPV4_OPT_SSRR)
			continue;
		/* kind, length, pointer, then 4-byte addresses; the pointer's minimum is 4. */
		if (o.len >= 3 && o.data[0] >= 4 && (unsigned)o.data[0] + 3 <= o.len)
			return true;
	}
	return false;
}

static void ipv4_set_addr(zc_ipv4_rw h, size_t off, uint32_t addr)
{
	zc_ipv4 v = h.v;
	uint8_t *w = zc_rw_bytes(v.p);
	uint8_t old[4], new_[4];
	uint16_t c = zc_load_be16(w + ZC_IPV4_CSUM_OFF);
	size_t hlen = zc_ipv4_hdr_len(v);

	__builtin_memcpy(old, w + off, 4);
	zc_store_be32(new_, addr);
	__builtin_memcpy(w + off, new_, 4);
	zc_store_be16(w + ZC_IPV4_CSUM_OFF, zc_csum_update_bytes(c, old, new_, 4));
	/* Only a first fragment carries the upper-layer header. */
	if (!zc_ipv4_is_first_fragment(v))
		return;
	if (off == ZC_IPV4_DST_OFF && ipv4_route_in_flight(v))
		return;
	zc_l4_pseudo_changed(zc_ipv4_proto(v), false, w + hlen, zc_ipv4_payload(v).len, old, new_, 4);
}

zc_err zc_ipv4_set_total_len(zc_ipv4_rw *h, size_t len)
{
	if (unlikely(!h))
		return ZC_E_ARG;
	if (unlikely(len < zc_ipv4_hdr_len(h->v) || len > UINT16_MAX))
		return ZC_E_LENGTH;
	ipv4_set_word(*h, ZC_IPV4_TOTLEN_OFF, (uint16_t)len);
	if (len < h->v.len)
		h->v.len = (uint32_t)len;
	return ZC_OK;
}

void zc_ipv4_set_src(zc_ipv4_rw h, uint32_t addr)
{
	ipv4_set_addr(h, ZC_IPV4_SRC_OFF, addr);
}

void zc_ipv4_set_dst(zc_ipv4_rw h, uint32_t addr)
{
	ipv4_set_addr(h, ZC_IPV4_DST_OFF, addr);
}
