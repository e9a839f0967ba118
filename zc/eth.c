/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/eth.c - Ethernet II with 802.1Q / 802.1ad tags.
 */
#include "internal.h"

zc_err zc_eth_parse(zc_buf frame, zc_eth *out)
{
	return zc_eth_parse_impl(frame, out);
}

void zc_eth_set_dst(zc_eth e, const uint8_t addr[6])
{
	__builtin_memcpy(e.p + ZC_ETH_DST_OFF, addr, ZC_ETH_ADDR_LEN);
}

void zc_eth_set_src(zc_eth e, const uint8_t addr[6])
{
	__builtin_memcpy(e.p + ZC_ETH_SRC_OFF, addr, ZC_ETH_ADDR_LEN);
}
