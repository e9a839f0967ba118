/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/internal.h - helpers shared by the library's own files; not installed.
 */
#ifndef ZC_INTERNAL_H
#define ZC_INTERNAL_H

#include "zc.h"

#define likely(x) ZC_LIKELY(x)
#define unlikely(x) ZC_UNLIKELY(x)

/*
 * The bytes behind a writable handle (zc_ipv4_rw, ...). A handle is made
 * only from a zc_wbuf, over writable memory, so they may be written.
 */
static inline uint8_t *zc_rw_bytes(const uint8_t *p)
{
	return (uint8_t *)(uintptr_t)p;
}

/*
 * After an address covered by an upper layer's pseudo-header changed from
 * old to new (n bytes: 4 or 16), each updates its checksum in the n bytes
 * at l4 when they hold the field. A UDP checksum of 0 ("none") stays 0 and
 * a result of 0 is written as 0xffff.
 */
void zc_tcp_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n);
void zc_udp_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n);
void zc_icmp6_pseudo_changed(uint8_t *l4, size_t len, const uint8_t *old, const uint8_t *new_, size_t n);

/* The same for whichever of them proto names: ICMPv6 only when v6 is true. */
static inline void zc_l4_pseudo_changed(uint8_t proto, bool v6, uint8_t *l4, size_t len, const uint8_t *old,
					const uint8_t *new_, size_t n)
{
	if (proto == ZC_IPPROTO_TCP)
		zc_tcp_pseudo_changed(l4, len, old, new_, n);
	else if (proto == ZC_IPPROTO_UDP)
		zc_udp_pseudo_changed(l4, len, old, new_, n);
	else if (proto == ZC_IPPROTO_ICMPV6 && v6)
		zc_icmp6_pseudo_changed(l4, len, old, new_, n);
}

/* The UDP rule for a checksum about to be stored: 0 is sent as 0xffff (RFC 768). */
static inline uint16_t zc_udp_csum_wire(uint16_t c)
{
	return c ? c : 0xffff;
}

/* True for the IPv6 next-header values the extension-header walk steps over. */
static inline bool zc_ipv6_is_ext(uint8_t nh)
{
	return nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_ROUTING || nh == ZC_IPPROTO_FRAGMENT ||
	       nh == ZC_IPPROTO_DSTOPTS || nh == ZC_IPPROTO_AH;
}

/*
 * Length in bytes of the extension header of type nh whose first two bytes
 * are at h: the fragment header is fixed (RFC 8200 section 4.5), AH counts
 * 4-byte words minus 2 (RFC 4302 section 2.2), the others count 8-byte words
 * after the first 8.
 */
static inline size_t zc_ipv6_ext_len(uint8_t nh, const uint8_t *h)
{
	if (nh == ZC_IPPROTO_FRAGMENT)
		return ZC_IPV6_FRAG_HDR_LEN;
	if (nh == ZC_IPPROTO_AH)
		return ((size_t)h[1] + 2) * 4;
	return ((size_t)h[1] + 1) * 8;
}

#endif /* ZC_INTERNAL_H */
