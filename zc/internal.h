/*
 * zc/internal.h - helpers shared by the library's own files; not installed.
 */
#ifndef ZC_INTERNAL_H
#define ZC_INTERNAL_H

#include "zc.h"

#define likely(x) ZC_LIKELY(x)
#define unlikely(x) ZC_UNLIKELY(x)

/*
 * After an address covered by an upper layer's pseudo-header changed from
 * old to new (n bytes: 4 or 16), updates that layer's checksum in l4 when l4
 * holds the field: TCP and UDP for any IP version, ICMPv6 when v6 is true. A
 * UDP checksum of 0 ("none") stays 0 and a result of 0 is written as 0xffff.
 */
void zc_l4_pseudo_changed(uint8_t proto, bool v6, zc_buf l4, const uint8_t *old, const uint8_t *new_, size_t n);

/* The UDP rule for a checksum about to be stored: 0 is sent as 0xffff (RFC 768). */
static inline uint16_t zc_udp_csum_wire(uint16_t c)
{
	return c ? c : 0xffff;
}

#endif /* ZC_INTERNAL_H */
