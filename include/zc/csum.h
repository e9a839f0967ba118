/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/csum.h - the Internet checksum (RFC 1071) and its incremental update
 * (RFC 1624).
 *
 * Sums are carried as 32-bit partial sums of big-endian 16-bit words, always
 * kept below 0x10000 by the functions here, so two of them can be added
 * without overflow before zc_csum_finish() folds and complements the result.
 * Checksum values are in host order: store them with zc_store_be16().
 */
#ifndef ZC_CSUM_H
#define ZC_CSUM_H

#include "zc/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Adds the bytes p[0..len) to the partial sum and returns the new partial
 * sum (below 0x10000). An odd length is padded with a zero byte, so when data
 * is summed in pieces every piece but the last must have an even length.
 */
ZC_EXPORT uint32_t zc_csum_partial(const void *p, size_t len, uint32_t sum);

/* Folds a 32-bit sum to 16 bits, end-around carries included. */
static inline uint32_t zc_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Adds two partial sums. */
static inline uint32_t zc_csum_add(uint32_t a, uint32_t b)
{
	return zc_csum_fold(a + b);
}

/* The checksum field value for a partial sum: the complement of its fold. */
static inline uint16_t zc_csum_finish(uint32_t sum)
{
	return (uint16_t)~zc_csum_fold(sum);
}

/* The checksum of p[0..len): zc_csum_finish(zc_csum_partial(p, len, 0)). */
ZC_EXPORT uint16_t zc_csum(const void *p, size_t len);

/*
 * Incremental update, RFC 1624 equation 3: HC' = ~(~HC + ~m + m'), for a
 * 16-bit word of the covered data changing from old to new. Equation 3 never
 * produces the -0 that equation 2 of RFC 1141 could.
 */
static inline uint16_t zc_csum_update16(uint16_t csum, uint16_t old, uint16_t new_)
{
	uint32_t s = (uint16_t)~csum + (uint32_t)(uint16_t)~old + new_;
	return (uint16_t)~zc_csum_fold(s);
}

/* The same for a 32-bit field (two adjacent aligned words). */
static inline uint16_t zc_csum_update32(uint16_t csum, uint32_t old, uint32_t new_)
{
	uint32_t s = (uint16_t)~csum;
	s += (uint16_t)~(old >> 16);
	s += (uint16_t)~(old & 0xffff);
	s += new_ >> 16;
	s += new_ & 0xffff;
	return (uint16_t)~zc_csum_fold(s);
}

/*
 * Updates a checksum for n bytes (n even, at an even offset of the covered
 * data) changing from old to new: used for 16-byte IPv6 addresses.
 */
ZC_EXPORT uint16_t zc_csum_update_bytes(uint16_t csum, const uint8_t *old, const uint8_t *new_, size_t n);

/*
 * Partial sums of the TCP/UDP/ICMPv6 pseudo-headers: RFC 9293 section 3.1
 * (IPv4) and RFC 8200 section 8.1 (IPv6). Addresses as in the views (IPv4 in
 * host order, IPv6 as 16 bytes); len is the upper-layer length in bytes.
 */
ZC_EXPORT uint32_t zc_csum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);
ZC_EXPORT uint32_t zc_csum_pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len);

#ifdef __cplusplus
}
#endif
#endif /* ZC_CSUM_H */
