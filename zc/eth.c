/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/eth.c - Ethernet II with 802.1Q / 802.1ad tags.
 */
/* zc_eth_parse(), defined in zc/eth.h, is compiled here as the exported function. */
#define ZC_ETH_EXTERN
#include "internal.h"

void zc_eth_set_dst(zc_eth_rw h, const uint8_t addr[6])
{
	__builtin_memmove(zc_rw_bytes(h.v.p) + ZC_ETH_DST_OFF, addr, ZC_ETH_ADDR_LEN);
}

void zc_eth_set_src(zc_eth_rw h, const uint8_t addr[6])
{
	__builtin_memmove(zc_rw_bytes(h.v.p) + ZC_ETH_SRC_OFF, addr, ZC_ETH_ADDR_LEN);
}
