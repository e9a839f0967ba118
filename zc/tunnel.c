/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/tunnel.c - VXLAN (RFC 7348), Geneve (RFC 8926), GRE (RFC 2784, RFC 2890),
 * ERSPAN types I to III.
 */
#include "internal.h"

zc_err zc_vxlan_parse(zc_buf b, zc_vxlan *out)
{
	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_VXLAN_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	return ZC_OK;
}

zc_err zc_geneve_parse(zc_buf b, zc_geneve *out)
{
	size_t hlen;

	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_GENEVE_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	/* RFC 8926 section 3.4: a packet of an unknown version must be dropped. */
	if (unlikely((b.p[0] >> 6) != 0))
		return ZC_E_UNSUPPORTED;
	hlen = ZC_GENEVE_HDR_LEN + (size_t)(b.p[0] & 0x3f) * 4;
	if (unlikely(hlen > b.len))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	return ZC_OK;
}

zc_err zc_gre_parse(zc_buf b, zc_gre *out)
{
	uint16_t w;
	size_t hlen = ZC_GRE_MIN_HDR_LEN;

	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_GRE_MIN_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	w = zc_load_be16(b.p + ZC_GRE_FLAGS_OFF);
	if (unlikely((w & ZC_GRE_VER_MASK) != 0 || (w & ZC_GRE_F_ROUTING)))
		return ZC_E_UNSUPPORTED;
	hlen += (w & ZC_GRE_F_CSUM) ? 4 : 0;
	hlen += (w & ZC_GRE_F_KEY) ? 4 : 0;
	hlen += (w & ZC_GRE_F_SEQ) ? 4 : 0;
	if (unlikely(hlen > b.len))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	out->hlen = (uint8_t)hlen;
	return ZC_OK;
}

bool zc_gre_csum_ok(zc_gre g)
{
	if (!zc_gre_has_csum(g))
		return true;
	return zc_csum(g.p, g.len) == 0;
}

zc_err zc_erspan_parse(zc_buf b, unsigned type, zc_erspan *out)
{
	size_t hlen;

	if (unlikely(!out || !b.p || type < 1 || type > 3))
		return ZC_E_ARG;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	if (type == 1) {
		hlen = 0;
	} else {
		hlen = type == 2 ? ZC_ERSPAN2_HDR_LEN : ZC_ERSPAN3_HDR_LEN;
		if (unlikely(b.len < hlen))
			return ZC_E_TRUNCATED;
		/* The version field says 1 for type II and 2 for type III. */
		if (unlikely((b.p[0] >> 4) != type - 1))
			return ZC_E_UNSUPPORTED;
		if (type == 3 && (b.p[11] & ZC_ERSPAN3_F_O)) {
			hlen += ZC_ERSPAN3_SUBHDR_LEN;
			if (unlikely(b.len < hlen))
				return ZC_E_TRUNCATED;
		}
	}
	out->p = b.p;
	out->len = (uint32_t)b.len;
	out->hlen = (uint8_t)hlen;
	out->type = (uint8_t)type;
	return ZC_OK;
}
