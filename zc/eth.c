/*
 * zc/eth.c - Ethernet II with 802.1Q / 802.1ad tags.
 */
#include "internal.h"

zc_err zc_eth_parse(zc_buf frame, zc_eth *out)
{
	size_t hlen = ZC_ETH_HDR_LEN;
	unsigned ntags = 0;

	if (unlikely(!out || !frame.p))
		return ZC_E_ARG;
	if (unlikely(frame.len < ZC_ETH_HDR_LEN))
		goto truncated;
	/* A frame longer than 4 GiB cannot be described by the view. */
	if (unlikely(frame.len > UINT32_MAX))
		return ZC_E_ARG;
	while (zc_eth_is_tpid(zc_load_be16(frame.p + hlen - 2))) {
		if (unlikely(ntags == ZC_ETH_MAX_TAGS))
			return ZC_E_TOO_DEEP;
		if (unlikely(frame.len - hlen < ZC_ETH_TAG_LEN))
			goto truncated;
		hlen += ZC_ETH_TAG_LEN;
		ntags++;
	}
	out->p = frame.p;
	out->len = (uint32_t)frame.len;
	out->hlen = (uint8_t)hlen;
	out->ntags = (uint8_t)ntags;
	return ZC_OK;

truncated:
	return ZC_E_TRUNCATED;
}

void zc_eth_set_dst(zc_eth e, const uint8_t addr[6])
{
	__builtin_memcpy(e.p + ZC_ETH_DST_OFF, addr, ZC_ETH_ADDR_LEN);
}

void zc_eth_set_src(zc_eth e, const uint8_t addr[6])
{
	__builtin_memcpy(e.p + ZC_ETH_SRC_OFF, addr, ZC_ETH_ADDR_LEN);
}
