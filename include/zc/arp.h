/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/arp.h - ARP for Ethernet and IPv4 (RFC 826).
 *
 * Layout: hardware type (2), protocol type (2), hardware address length (1),
 * protocol address length (1), operation (2), then sender hardware address,
 * sender protocol address, target hardware address, target protocol address.
 * Only hardware type 1 (Ethernet, 6-byte addresses) with protocol 0x0800
 * (IPv4, 4-byte addresses) is supported: 28 bytes in all.
 */
#ifndef ZC_ARP_H
#define ZC_ARP_H

#include "zc/buf.h"
#include "zc/err.h"
#include "zc/eth.h" /* the Ethernet address length and the IPv4 ethertype */

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/arp.c defines ZC_ARP_EXTERN and compiles the exported twins. */
#ifdef ZC_ARP_EXTERN
#define ZC_ARP_API ZC_EXPORT
#else
#define ZC_ARP_API static inline
#endif

#define ZC_ARP_HTYPE_OFF 0
#define ZC_ARP_PTYPE_OFF 2
#define ZC_ARP_HLEN_OFF 4
#define ZC_ARP_PLEN_OFF 5
#define ZC_ARP_OP_OFF 6
#define ZC_ARP_SHA_OFF 8
#define ZC_ARP_SPA_OFF 14
#define ZC_ARP_THA_OFF 18
#define ZC_ARP_TPA_OFF 24
#define ZC_ARP_FIXED_LEN 8  /* the part every ARP packet has */
#define ZC_ARP_LEN 28       /* Ethernet/IPv4 */

#define ZC_ARP_HTYPE_ETHER 1
#define ZC_ARP_OP_REQUEST 1
#define ZC_ARP_OP_REPLY 2

typedef struct zc_arp {
	const uint8_t *p;
} zc_arp;

/*
 * Validates an ARP packet. Errors: ZC_E_TRUNCATED (fewer than 8 bytes, or
 * fewer than 28 for Ethernet/IPv4), ZC_E_UNSUPPORTED (another hardware or
 * protocol type), ZC_E_INVALID (Ethernet/IPv4 types with other address
 * lengths), ZC_E_ARG.
 */
ZC_ARP_API zc_err zc_arp_parse(zc_buf b, zc_arp *out);

static inline uint16_t zc_arp_htype(zc_arp a) { return zc_load_be16(a.p + ZC_ARP_HTYPE_OFF); }
static inline uint16_t zc_arp_ptype(zc_arp a) { return zc_load_be16(a.p + ZC_ARP_PTYPE_OFF); }
/* Operation: 1 request, 2 reply (RFC 826); others as on the wire. */
static inline uint16_t zc_arp_op(zc_arp a) { return zc_load_be16(a.p + ZC_ARP_OP_OFF); }
/* Sender and target hardware addresses: 6 bytes each. */
static inline const uint8_t *zc_arp_sha(zc_arp a) { return a.p + ZC_ARP_SHA_OFF; }
static inline const uint8_t *zc_arp_tha(zc_arp a) { return a.p + ZC_ARP_THA_OFF; }
/* Sender and target IPv4 addresses, host order. */
static inline uint32_t zc_arp_spa(zc_arp a) { return zc_load_be32(a.p + ZC_ARP_SPA_OFF); }
static inline uint32_t zc_arp_tpa(zc_arp a) { return zc_load_be32(a.p + ZC_ARP_TPA_OFF); }
/* The same addresses as their 4 bytes, network order. */
static inline const uint8_t *zc_arp_spa_bytes(zc_arp a) { return a.p + ZC_ARP_SPA_OFF; }
static inline const uint8_t *zc_arp_tpa_bytes(zc_arp a) { return a.p + ZC_ARP_TPA_OFF; }

/* ---------------------------------------------------------------- the constructor's body */

ZC_ARP_API zc_err zc_arp_parse(zc_buf b, zc_arp *out)
{
	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_ARP_FIXED_LEN))
		return ZC_E_TRUNCATED;
	if (zc_load_be16(b.p + ZC_ARP_HTYPE_OFF) != ZC_ARP_HTYPE_ETHER ||
	    zc_load_be16(b.p + ZC_ARP_PTYPE_OFF) != ZC_ETH_P_IPV4)
		return ZC_E_UNSUPPORTED;
	/* The types fix the address lengths; anything else contradicts them. */
	if (ZC_UNLIKELY(b.p[ZC_ARP_HLEN_OFF] != ZC_ETH_ADDR_LEN || b.p[ZC_ARP_PLEN_OFF] != 4))
		return ZC_E_INVALID;
	if (ZC_UNLIKELY(b.len < ZC_ARP_LEN))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_ARP_H */
