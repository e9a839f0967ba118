/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/inner.c - the inner packet's address and length (inner.h).
 */
#include "config.h"

#include <string.h>

#include "zc.h"
#include "wg/inner.h"

int wg_inner_parse(const uint8_t *p, size_t len, bool src, int *family, uint8_t addr[16], size_t *iplen)
{
	/* The views take a mutable buffer; nothing here writes through it. */
	zc_buf b = zc_buf_make((void *)(uintptr_t)p, len);

	if (len < 1)
		return -1;
	if (p[0] >> 4 == 4) {
		zc_ipv4 ip;

		/* A total length of 0 marks an offload super-packet: never one packet here. */
		if (zc_ipv4_parse(b, &ip) != ZC_OK || zc_ipv4_total_len_field(ip) == 0)
			return -1;
		*family = 4;
		memset(addr, 0, 16);
		memcpy(addr, src ? zc_ipv4_src_bytes(ip) : zc_ipv4_dst_bytes(ip), 4);
		*iplen = zc_ipv4_total_len(ip);
		return 0;
	}
	if (p[0] >> 4 == 6) {
		zc_ipv6 ip;

		if (zc_ipv6_parse(b, &ip) != ZC_OK)
			return -1;
		*family = 6;
		memcpy(addr, src ? zc_ipv6_src(ip) : zc_ipv6_dst(ip), 16);
		*iplen = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip);
		return *iplen <= len ? 0 : -1;
	}
	return -1;
}
