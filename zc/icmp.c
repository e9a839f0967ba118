/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/icmp.c - ICMPv4 (RFC 792) and ICMPv6 (RFC 4443, RFC 4861).
 */
/* The constructors, defined in zc/icmp.h, are compiled here as the exported functions. */
#define ZC_ICMP_EXTERN
#include "internal.h"

bool zc_icmp4_csum_ok(zc_icmp4 m)
{
	return zc_csum(m.p, m.len) == 0;
}

void zc_icmp4_csum_fill(zc_icmp4_rw h)
{
	uint8_t *w = zc_rw_bytes(h.v.p);

	zc_store_be16(w + ZC_ICMP_CSUM_OFF, 0);
	zc_store_be16(w + ZC_ICMP_CSUM_OFF, zc_csum(w, h.v.len));
}

bool zc_icmp6_csum_ok(zc_icmp6 m, uint32_t pseudo)
{
	return zc_csum_finish(zc_csum_partial(m.p, m.len, pseudo)) == 0;
}

void zc_icmp6_csum_fill(zc_icmp6_rw h, uint32_t pseudo)
{
	uint8_t *w = zc_rw_bytes(h.v.p);

	zc_store_be16(w + ZC_ICMP_CSUM_OFF, 0);
	zc_store_be16(w + ZC_ICMP_CSUM_OFF, zc_csum_finish(zc_csum_partial(w, h.v.len, pseudo)));
}

void zc_icmp6_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n)
{
	uint8_t *f = l4 + ZC_ICMP_CSUM_OFF;

	if (len >= ZC_ICMP_CSUM_OFF + 2)
		zc_store_be16(f, zc_csum_update_bytes(zc_load_be16(f), old, new_, n));
}

int zc_nd_opt_next(zc_nd_opt_iter *it, zc_nd_opt *o)
{
	size_t left, len;

	if (it->p >= it->end)
		return 0;
	if (unlikely(++it->steps > ZC_ND_MAX_OPTS)) {
		it->p = it->end;
		return ZC_E_TOO_DEEP;
	}
	left = (size_t)(it->end - it->p);
	/* Length in units of 8 bytes; 0 is invalid (RFC 4861 section 4.6). */
	if (unlikely(left < 2))
		goto malformed;
	len = (size_t)it->p[1] * 8;
	if (unlikely(len == 0 || len > left))
		goto malformed;
	o->type = it->p[0];
	o->len = (uint16_t)len;
	o->p = it->p;
	it->p += len;
	return 1;

malformed:
	it->p = it->end;
	return ZC_E_OPTION;
}
