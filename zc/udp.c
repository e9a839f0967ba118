/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/udp.c - UDP (RFC 768).
 */
/* The constructors, defined in zc/udp.h, are compiled here as the exported functions. */
#define ZC_UDP_EXTERN
#include "internal.h"

uint16_t zc_udp_csum_compute(zc_udp u, uint32_t pseudo)
{
	uint32_t s = zc_csum_partial(u.p, ZC_UDP_CSUM_OFF, pseudo);
	s = zc_csum_partial(u.p + ZC_UDP_HDR_LEN, u.len - ZC_UDP_HDR_LEN, s);
	return zc_csum_finish(s);
}

bool zc_udp_csum_ok(zc_udp u, uint32_t pseudo, zc_udp_over over)
{
	/*
	 * A field of 0 is "none" over IPv4 (RFC 768) and over an IPv6 tunnel
	 * configured for it (RFC 6935 section 5); over IPv6 otherwise it is
	 * invalid (RFC 8200 section 8.1), even if the bytes happen to sum to it.
	 */
	if (zc_udp_csum(u) == 0)
		return over == ZC_UDP_OVER_IPV4 || over == ZC_UDP_OVER_IPV6_ZERO_OK;
	return zc_csum_finish(zc_csum_partial(u.p, u.len, pseudo)) == 0;
}

void zc_udp_csum_fill(zc_udp_rw h, uint32_t pseudo)
{
	zc_store_be16(zc_rw_bytes(h.v.p) + ZC_UDP_CSUM_OFF, zc_udp_csum_wire(zc_udp_csum_compute(h.v, pseudo)));
}

void zc_udp_csum_partial_fill(zc_udp_rw h, uint32_t pseudo)
{
	zc_store_be16(zc_rw_bytes(h.v.p) + ZC_UDP_CSUM_OFF, (uint16_t)zc_csum_fold(pseudo));
}

static void udp_set16(zc_udp_rw h, size_t off, uint16_t v)
{
	uint8_t *w = zc_rw_bytes(h.v.p);
	uint16_t old = zc_load_be16(w + off);
	uint16_t c = zc_udp_csum(h.v);

	zc_store_be16(w + off, v);
	if (c != 0)
		zc_store_be16(w + ZC_UDP_CSUM_OFF, zc_udp_csum_wire(zc_csum_update16(c, old, v)));
}

void zc_udp_set_src_port(zc_udp_rw h, uint16_t port) { udp_set16(h, ZC_UDP_SPORT_OFF, port); }
void zc_udp_set_dst_port(zc_udp_rw h, uint16_t port) { udp_set16(h, ZC_UDP_DPORT_OFF, port); }

zc_err zc_udp_set_len(zc_udp_rw *h, size_t len)
{
	if (unlikely(!h))
		return ZC_E_ARG;
	if (unlikely(len < ZC_UDP_HDR_LEN || len > UINT16_MAX))
		return ZC_E_LENGTH;
	zc_store_be16(zc_rw_bytes(h->v.p) + ZC_UDP_LEN_OFF, (uint16_t)len);
	if (len < h->v.len)
		h->v.len = (uint32_t)len;
	return ZC_OK;
}

void zc_udp_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n)
{
	uint8_t *f = l4 + ZC_UDP_CSUM_OFF;
	uint16_t c;

	if (len < ZC_UDP_CSUM_OFF + 2)
		return;
	c = zc_load_be16(f);
	if (c == 0)
		return; /* none was sent (or, over IPv6, an invalid 0): nothing to keep right */
	zc_store_be16(f, zc_udp_csum_wire(zc_csum_update_bytes(c, old, new_, n)));
}
