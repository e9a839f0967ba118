/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/icmp.c - ICMPv4 (RFC 792) and ICMPv6 (RFC 4443, RFC 4861).
 */
#include "internal.h"

static zc_err icmp_parse(zc_buf b, uint8_t **p, uint32_t *len)
{
	if (unlikely(!b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_ICMP_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	*p = b.p;
	*len = (uint32_t)b.len;
	return ZC_OK;
}

zc_err zc_icmp4_parse(zc_buf b, zc_icmp4 *out)
{
	if (unlikely(!out))
		return ZC_E_ARG;
	return icmp_parse(b, &out->p, &out->len);
}

zc_err zc_icmp6_parse(zc_buf b, zc_icmp6 *out)
{
	zc_err e;
	uint8_t t;

	if (unlikely(!out))
		return ZC_E_ARG;
	e = icmp_parse(b, &out->p, &out->len);
	if (e != ZC_OK)
		return e;
	t = b.p[ZC_ICMP_TYPE_OFF];
	if ((t == ZC_ICMP6_NEIGH_SOLICIT || t == ZC_ICMP6_NEIGH_ADVERT) && b.len < ZC_ICMP6_ND_LEN)
		return ZC_E_TRUNCATED;
	return ZC_OK;
}

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
