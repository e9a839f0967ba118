/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/link.h - what a capture puts before the network layer: the libpcap
 * link-layer type numbers, and views over the capture pseudo-headers that
 * are not Ethernet (Linux cooked captures v1 and v2, BSD loopback).
 */
#ifndef ZC_LINK_H
#define ZC_LINK_H

#include "zc/buf.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/link.c defines ZC_LINK_EXTERN and compiles the exported twins. */
#ifdef ZC_LINK_EXTERN
#define ZC_LINK_API ZC_EXPORT
#else
#define ZC_LINK_API static inline
#endif

/* ---------------------------------------------------------------- link types */

/*
 * libpcap link-layer header types (https://www.tcpdump.org/linktypes.html).
 * In a file, raw IP is LINKTYPE_RAW (101); libpcap reports it as DLT_RAW,
 * which is 12 on most systems and 14 on some BSDs.
 */
#define ZC_DLT_NULL 0          /* BSD loopback: 4-byte family, capturing host's order */
#define ZC_DLT_EN10MB 1        /* Ethernet */
#define ZC_DLT_RAW 12          /* raw IPv4 or IPv6 */
#define ZC_DLT_RAW_BSD 14
#define ZC_LINKTYPE_RAW 101
#define ZC_DLT_LOOP 108        /* OpenBSD loopback: 4-byte family, network order */
#define ZC_DLT_LINUX_SLL 113   /* Linux cooked capture v1 */
#define ZC_LINKTYPE_IPV4 228
#define ZC_LINKTYPE_IPV6 229
#define ZC_DLT_LINUX_SLL2 276  /* Linux cooked capture v2 */

/* ---------------------------------------------------------------- capture pseudo-headers */

/*
 * Linux cooked capture v1: packet type (2), ARPHRD type (2), link-layer
 * address length (2), address (8, zero padded), protocol (2).
 */
#define ZC_SLL_PKTTYPE_OFF 0
#define ZC_SLL_HATYPE_OFF 2
#define ZC_SLL_HALEN_OFF 4
#define ZC_SLL_ADDR_OFF 6
#define ZC_SLL_PROTO_OFF 14
#define ZC_SLL_HDR_LEN 16

/*
 * Linux cooked capture v2: protocol (2), reserved (2), interface index (4),
 * ARPHRD type (2), packet type (1), address length (1), address (8).
 */
#define ZC_SLL2_PROTO_OFF 0
#define ZC_SLL2_IFINDEX_OFF 4
#define ZC_SLL2_HATYPE_OFF 8
#define ZC_SLL2_PKTTYPE_OFF 10
#define ZC_SLL2_HALEN_OFF 11
#define ZC_SLL2_ADDR_OFF 12
#define ZC_SLL2_HDR_LEN 20

#define ZC_ARPHRD_NETLINK 824  /* the protocol field is a netlink family, not an ethertype */

typedef struct zc_sll {
	const uint8_t *p;   /* first byte of the pseudo-header */
	uint32_t len; /* whole frame */
} zc_sll;

typedef struct zc_sll2 {
	const uint8_t *p;
	uint32_t len;
} zc_sll2;

/* Validate the pseudo-headers: 16 and 20 bytes present. Errors: ZC_E_TRUNCATED, ZC_E_ARG. */
ZC_LINK_API zc_err zc_sll_parse(zc_buf b, zc_sll *out);
ZC_LINK_API zc_err zc_sll2_parse(zc_buf b, zc_sll2 *out);

static inline uint16_t zc_sll_pkttype(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_PKTTYPE_OFF); }
static inline uint16_t zc_sll_hatype(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_HATYPE_OFF); }
/* Link-layer address length as recorded (the address field holds at most 8). */
static inline uint16_t zc_sll_halen(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_HALEN_OFF); }
static inline const uint8_t *zc_sll_addr(zc_sll s) { return s.p + ZC_SLL_ADDR_OFF; }
/* The ethertype of the payload (small values are Linux ETH_P_* pseudo-types). */
static inline uint16_t zc_sll_proto(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_PROTO_OFF); }
static inline zc_buf zc_sll_payload(zc_sll s) { return zc_buf_make(s.p + ZC_SLL_HDR_LEN, s.len - ZC_SLL_HDR_LEN); }

static inline uint16_t zc_sll2_proto(zc_sll2 s) { return zc_load_be16(s.p + ZC_SLL2_PROTO_OFF); }
static inline uint32_t zc_sll2_ifindex(zc_sll2 s) { return zc_load_be32(s.p + ZC_SLL2_IFINDEX_OFF); }
static inline uint16_t zc_sll2_hatype(zc_sll2 s) { return zc_load_be16(s.p + ZC_SLL2_HATYPE_OFF); }
static inline uint8_t zc_sll2_pkttype(zc_sll2 s) { return s.p[ZC_SLL2_PKTTYPE_OFF]; }
static inline uint8_t zc_sll2_halen(zc_sll2 s) { return s.p[ZC_SLL2_HALEN_OFF]; }
static inline const uint8_t *zc_sll2_addr(zc_sll2 s) { return s.p + ZC_SLL2_ADDR_OFF; }
static inline zc_buf zc_sll2_payload(zc_sll2 s) { return zc_buf_make(s.p + ZC_SLL2_HDR_LEN, s.len - ZC_SLL2_HDR_LEN); }

/*
 * BSD loopback (NULL and LOOP): a 4-byte address family. NULL stores it in
 * the byte order of the machine that captured, LOOP in network order; the
 * dissector decodes it once and keeps the value in the view.
 */
#define ZC_LOOP_HDR_LEN 4
#define ZC_LOOP_AF_INET 2
#define ZC_LOOP_AF_INET6_OPENBSD 24
#define ZC_LOOP_AF_INET6_FREEBSD 28
#define ZC_LOOP_AF_INET6_DARWIN 30

typedef struct zc_loop {
	const uint8_t *p;
	uint32_t len; /* whole frame */
	uint32_t af;  /* the family, in host order */
} zc_loop;

/*
 * Validates the 4-byte header and decodes the family: in network order
 * first when net_order (LOOP), else in little-endian order first (NULL from
 * the usual hosts); the other order is tried when the first gives no known
 * family (2, 24, 28, 30). Errors: ZC_E_TRUNCATED, ZC_E_ARG.
 */
ZC_LINK_API zc_err zc_loop_parse(zc_buf b, bool net_order, zc_loop *out);

static inline uint32_t zc_loop_af(zc_loop l) { return l.af; }
/* The families that carry IPv4, and IPv6 (whose value differs from one BSD to the next). */
static inline bool zc_loop_af_is_ipv4(uint32_t af) { return af == ZC_LOOP_AF_INET; }
static inline bool zc_loop_af_is_ipv6(uint32_t af)
{
	return af == ZC_LOOP_AF_INET6_OPENBSD || af == ZC_LOOP_AF_INET6_FREEBSD || af == ZC_LOOP_AF_INET6_DARWIN;
}
static inline zc_buf zc_loop_payload(zc_loop l) { return zc_buf_make(l.p + ZC_LOOP_HDR_LEN, l.len - ZC_LOOP_HDR_LEN); }

/* ---------------------------------------------------------------- the constructors' bodies */

/* The checks the capture pseudo-headers share: a fixed size present. Not part of the API. */
static inline zc_err zc_link_hdr_parse_(zc_buf b, size_t hlen, const uint8_t **p, uint32_t *len)
{
	if (ZC_UNLIKELY(!b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < hlen))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	*p = b.p;
	*len = (uint32_t)b.len;
	return ZC_OK;
}

ZC_LINK_API zc_err zc_sll_parse(zc_buf b, zc_sll *out)
{
	return out ? zc_link_hdr_parse_(b, ZC_SLL_HDR_LEN, &out->p, &out->len) : ZC_E_ARG;
}

ZC_LINK_API zc_err zc_sll2_parse(zc_buf b, zc_sll2 *out)
{
	return out ? zc_link_hdr_parse_(b, ZC_SLL2_HDR_LEN, &out->p, &out->len) : ZC_E_ARG;
}

ZC_LINK_API zc_err zc_loop_parse(zc_buf b, bool net_order, zc_loop *out)
{
	uint32_t first, second;
	zc_err e;

	if (ZC_UNLIKELY(!out))
		return ZC_E_ARG;
	e = zc_link_hdr_parse_(b, ZC_LOOP_HDR_LEN, &out->p, &out->len);
	if (e != ZC_OK)
		return e;
	first = net_order ? zc_load_be32(b.p) : zc_load_le32(b.p);
	second = net_order ? zc_load_le32(b.p) : zc_load_be32(b.p);
	out->af = zc_loop_af_is_ipv4(first) || zc_loop_af_is_ipv6(first) ? first : second;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_LINK_H */
