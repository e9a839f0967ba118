/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/udp.h - UDP datagrams (RFC 768).
 *
 * zc_udp_parse() takes the IP payload and checks that the length field
 * covers the 8-byte header and lies inside it; bytes after the length are
 * padding and not part of the view.
 */
#ifndef ZC_UDP_H
#define ZC_UDP_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/udp.c defines ZC_UDP_EXTERN and compiles the exported twins. */
#ifdef ZC_UDP_EXTERN
#define ZC_UDP_API ZC_EXPORT
#else
#define ZC_UDP_API static inline
#endif

#define ZC_UDP_SPORT_OFF 0
#define ZC_UDP_DPORT_OFF 2
#define ZC_UDP_LEN_OFF 4
#define ZC_UDP_CSUM_OFF 6
#define ZC_UDP_HDR_LEN 8

typedef struct zc_udp {
	uint8_t *p;   /* first byte of the header */
	uint32_t len; /* datagram bytes present: the length field, or fewer when cut */
} zc_udp;

/*
 * Validates the header. Errors: ZC_E_TRUNCATED (fewer than 8 bytes, or a
 * length field past the buffer), ZC_E_LENGTH (length field below 8), ZC_E_ARG.
 */
ZC_UDP_API zc_err zc_udp_parse(zc_buf d, zc_udp *out);

/*
 * The same, except that a length field past the buffer is accepted: the view
 * covers the bytes present (zc_udp_is_cut() is true). For cut captures.
 */
ZC_UDP_API zc_err zc_udp_parse_lax(zc_buf d, zc_udp *out);

/* zc_udp_parse_lax() when lax is true, else zc_udp_parse(): for a caller that decides at run time. */
ZC_UDP_API zc_err zc_udp_parse_mode(zc_buf d, bool lax, zc_udp *out);

static inline uint16_t zc_udp_src_port(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_SPORT_OFF); }
static inline uint16_t zc_udp_dst_port(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_DPORT_OFF); }
/* The length field: header and payload, in bytes. */
static inline size_t zc_udp_length(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_LEN_OFF); }
/* The checksum field; 0 means the sender computed none (IPv4 only). */
static inline uint16_t zc_udp_csum(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_CSUM_OFF); }
static inline zc_buf zc_udp_payload(zc_udp u) { return zc_buf_make(u.p + ZC_UDP_HDR_LEN, u.len - ZC_UDP_HDR_LEN); }
static inline bool zc_udp_is_cut(zc_udp u) { return u.len < zc_udp_length(u); }

/*
 * Checksums; pseudo as for TCP, for zc_udp_length(u) bytes. zc_udp_csum_ok()
 * is true for a checksum of 0 ("none"). zc_udp_csum_fill() writes a computed
 * 0 as 0xffff (RFC 768).
 */
ZC_EXPORT uint16_t zc_udp_csum_compute(zc_udp u, uint32_t pseudo);
ZC_EXPORT bool zc_udp_csum_ok(zc_udp u, uint32_t pseudo);
ZC_EXPORT void zc_udp_csum_fill(zc_udp u, uint32_t pseudo);

/*
 * Setters, in place. A checksum of 0 ("none") stays 0; otherwise it is
 * updated incrementally and a result of 0 is written as 0xffff.
 */
ZC_EXPORT void zc_udp_set_src_port(zc_udp u, uint16_t port);
ZC_EXPORT void zc_udp_set_dst_port(zc_udp u, uint16_t port);

/* ---------------------------------------------------------------- the constructors' bodies */

ZC_UDP_API zc_err zc_udp_parse_mode(zc_buf d, bool lax, zc_udp *out)
{
	size_t ulen;

	if (ZC_UNLIKELY(!out || !d.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(d.len < ZC_UDP_HDR_LEN))
		return ZC_E_TRUNCATED;
	ulen = zc_load_be16(d.p + ZC_UDP_LEN_OFF);
	if (ZC_UNLIKELY(ulen < ZC_UDP_HDR_LEN))
		return ZC_E_LENGTH;
	if (ZC_UNLIKELY(ulen > d.len)) {
		if (!lax)
			return ZC_E_TRUNCATED;
		ulen = d.len;
	}
	out->p = d.p;
	out->len = (uint32_t)ulen;
	return ZC_OK;
}

ZC_UDP_API zc_err zc_udp_parse(zc_buf d, zc_udp *out)
{
	return zc_udp_parse_mode(d, false, out);
}

ZC_UDP_API zc_err zc_udp_parse_lax(zc_buf d, zc_udp *out)
{
	return zc_udp_parse_mode(d, true, out);
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_UDP_H */
