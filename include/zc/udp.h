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
	const uint8_t *p;   /* first byte of the header */
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

/* zc_udp_rw, zc_udp_ro(), zc_udp_rw_of(), zc_udp_parse_rw(), zc_udp_parse_lax_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(udp, ZC_VIEW_LEN)
ZC_RW_HANDLE_LAX(udp)

static inline uint16_t zc_udp_src_port(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_SPORT_OFF); }
static inline uint16_t zc_udp_dst_port(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_DPORT_OFF); }
/* The length field: header and payload, in bytes. */
static inline size_t zc_udp_length(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_LEN_OFF); }
/* The checksum field; 0 means none was computed (see zc_udp_over for what that is worth). */
static inline uint16_t zc_udp_csum(zc_udp u) { return zc_load_be16(u.p + ZC_UDP_CSUM_OFF); }
static inline zc_buf zc_udp_payload(zc_udp u) { return zc_buf_make(u.p + ZC_UDP_HDR_LEN, u.len - ZC_UDP_HDR_LEN); }
static inline bool zc_udp_is_cut(zc_udp u) { return u.len < zc_udp_length(u); }

/*
 * Which IP version carries the datagram, for the rule on a checksum field
 * of 0. Over IPv4 it means the sender computed none (RFC 768). Over IPv6 a
 * checksum is mandatory and a datagram whose field is 0 must be discarded
 * (RFC 8200 section 8.1). RFC 6935 and RFC 6936 let a tunnel protocol over
 * IPv6 send 0 all the same, but only where both ends are configured for it:
 * ZC_UDP_OVER_IPV6_ZERO_OK says the caller is such an end.
 */
typedef enum zc_udp_over {
	ZC_UDP_OVER_IPV4 = 4,
	ZC_UDP_OVER_IPV6 = 6,
	ZC_UDP_OVER_IPV6_ZERO_OK = 7,
} zc_udp_over;

/*
 * Checksums; pseudo as for TCP, for zc_udp_length(u) bytes.
 *
 * zc_udp_csum_ok() verifies the checksum of a datagram carried over the IP
 * version over says. A field of 0 is true over ZC_UDP_OVER_IPV4 and
 * ZC_UDP_OVER_IPV6_ZERO_OK (no checksum to verify) and false over
 * ZC_UDP_OVER_IPV6, whatever the bytes sum to; any other value of over is
 * taken as ZC_UDP_OVER_IPV6, so a mistaken argument never lets a 0 through.
 *
 * zc_udp_csum_fill() writes a computed 0 as 0xffff (RFC 768), so what it
 * writes verifies over either version.
 */
ZC_EXPORT uint16_t zc_udp_csum_compute(zc_udp u, uint32_t pseudo);
ZC_EXPORT bool zc_udp_csum_ok(zc_udp u, uint32_t pseudo, zc_udp_over over);
ZC_EXPORT void zc_udp_csum_fill(zc_udp_rw h, uint32_t pseudo);
/*
 * For a checksum offload (the kernel's CHECKSUM_PARTIAL, virtio's
 * NEEDS_CSUM, virtio 1.x section 5.1.6.2): writes the folded pseudo-header
 * sum, not complemented, which whoever completes it sums over the whole
 * datagram and stores complemented. Also what a UDP segmentation offload
 * expects in the header it copies into every segment.
 */
ZC_EXPORT void zc_udp_csum_partial_fill(zc_udp_rw h, uint32_t pseudo);

/*
 * Setters, in place. A checksum of 0 stays 0, over either IP version;
 * otherwise it is updated incrementally and a result of 0 is written as
 * 0xffff. A 0 is no checksum that an update could keep right: over IPv4 or
 * an RFC 6935 tunnel it means none was sent, which the edit must not turn
 * into a wrong one; over IPv6 the datagram was invalid before the edit
 * (RFC 8200 section 8.1) and stays so, for a receiver to discard as it
 * would have. A caller who wants a real checksum after the edit calls
 * zc_udp_csum_fill().
 */
ZC_EXPORT void zc_udp_set_src_port(zc_udp_rw h, uint16_t port);
ZC_EXPORT void zc_udp_set_dst_port(zc_udp_rw h, uint16_t port);

/*
 * Sets the length field to len. The handle then covers the first len bytes
 * of those it covered, all of them when len is more (a cut view).
 * ZC_E_LENGTH, nothing changed, when len is below 8 or above 65,535;
 * ZC_E_ARG without a handle. The checksum covers the length twice, in the
 * header and in the pseudo-header, and is left alone: fill it after.
 * Views and handles made before, of this header or of the layers inside it,
 * keep their old extent: make them again.
 */
ZC_EXPORT zc_err zc_udp_set_len(zc_udp_rw *h, size_t len);

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
