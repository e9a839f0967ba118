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

void zc_icmp4_csum_fill(zc_icmp4 m)
{
	zc_store_be16(m.p + ZC_ICMP_CSUM_OFF, 0);
	zc_store_be16(m.p + ZC_ICMP_CSUM_OFF, zc_csum(m.p, m.len));
}

bool zc_icmp6_csum_ok(zc_icmp6 m, uint32_t pseudo)
{
	return zc_csum_finish(zc_csum_partial(m.p, m.len, pseudo)) == 0;
}

void zc_icmp6_csum_fill(zc_icmp6 m, uint32_t pseudo)
{
	zc_store_be16(m.p + ZC_ICMP_CSUM_OFF, 0);
	zc_store_be16(m.p + ZC_ICMP_CSUM_OFF, zc_csum_finish(zc_csum_partial(m.p, m.len, pseudo)));
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
