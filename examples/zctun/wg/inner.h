/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/inner.h - what cryptokey routing needs of an inner IP
 * packet, read with libzc's views: its version, an address and its length.
 */
#ifndef ZCTUN_WG_INNER_H
#define ZCTUN_WG_INNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses the IPv4 or IPv6 packet at p (len bytes, maybe followed by
 * padding): *family 4 or 6, the source (src true) or destination address in
 * addr (IPv4 in its first 4 bytes), *iplen the packet's own length. Returns
 * 0, or -1 when it is not one whole IP packet.
 */
int wg_inner_parse(const uint8_t *p, size_t len, bool src, int *family, uint8_t addr[16], size_t *iplen);

#endif /* ZCTUN_WG_INNER_H */
