/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv6.h - IPv6 headers (RFC 8200) and their extension-header chain.
 *
 * zc_ipv6_parse() checks the version and the payload length, and walks the
 * extension headers it knows (hop-by-hop options, routing, fragment,
 * destination options, authentication header: RFC 8200 section 4, RFC 4302)
 * up to ZC_IPV6_MAX_EXT of them, checking that each lies inside the payload.
 * The walk ends at the first other next-header value (the upper layer, ESP,
 * or "no next header"), or after a fragment header whose offset is not 0:
 * such a fragment does not carry the start of the upper layer.
 *
 * The view records where the walk ended so that no accessor walks again.
 */
#ifndef ZC_IPV6_H
#define ZC_IPV6_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"
#include "zc/ipv4.h" /* the shared ZC_IPPROTO_* numbers */

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/ipv6.c defines ZC_IPV6_EXTERN and compiles the exported twins. */
#ifdef ZC_IPV6_EXTERN
#define ZC_IPV6_API ZC_EXPORT
#else
#define ZC_IPV6_API static inline
#endif

#define ZC_IPV6_VTF_OFF 0    /* version 4 bits, traffic class 8, flow label 20 */
#define ZC_IPV6_PLEN_OFF 4
#define ZC_IPV6_NXT_OFF 6
#define ZC_IPV6_HLIM_OFF 7
#define ZC_IPV6_SRC_OFF 8
#define ZC_IPV6_DST_OFF 24
#define ZC_IPV6_HDR_LEN 40
#define ZC_IPV6_ADDR_LEN 16
#define ZC_IPV6_FRAG_HDR_LEN 8
#define ZC_IPV6_MAX_EXT 8    /* more extension headers than this: ZC_E_TOO_DEEP */

/* Fragment header fields (RFC 8200 section 4.5). */
#define ZC_IPV6_FRAG_MASK 0xfff8
#define ZC_IPV6_FRAG_M 0x0001

/* View flags. */
#define ZC_IPV6_F_FRAG 0x01  /* a fragment header was walked */

typedef struct zc_ipv6 {
	uint8_t *p;        /* first byte of the fixed header */
	uint16_t plen;     /* payload bytes present: the payload length, or fewer when cut */
	uint16_t l4_off;   /* offset from p of the upper layer (after the extension headers) */
	uint16_t frag_off; /* offset from p of the fragment header; valid with ZC_IPV6_F_FRAG */
	uint8_t proto;     /* next-header value where the walk ended */
	uint8_t flags;     /* ZC_IPV6_F_* */
} zc_ipv6;

/*
 * Validates the header and walks the extension headers. Errors:
 * ZC_E_TRUNCATED (fewer than 40 bytes, or the payload length runs past the
 * buffer), ZC_E_VERSION (not 6), ZC_E_LENGTH (an extension header runs past
 * the payload length), ZC_E_TOO_DEEP, ZC_E_ARG.
 */
ZC_IPV6_API zc_err zc_ipv6_parse(zc_buf b, zc_ipv6 *out);

/*
 * The same, except that a payload length running past the buffer is accepted
 * when the fixed header is there: the view then covers the bytes present and
 * the walk stops at the first extension header that is cut
 * (zc_ipv6_is_cut() is true). For captures cut by a snaplen.
 */
ZC_IPV6_API zc_err zc_ipv6_parse_lax(zc_buf b, zc_ipv6 *out);

/* zc_ipv6_parse_lax() when lax is true, else zc_ipv6_parse(): for a caller that decides at run time. */
ZC_IPV6_API zc_err zc_ipv6_parse_mode(zc_buf b, bool lax, zc_ipv6 *out);

/*
 * The extension-header walk of the constructors above, kept out of line
 * because most packets have no extension header: b is the buffer the
 * constructor was given, out the view it has begun (p and plen set, flags
 * and frag_off 0). It sets the rest of the view or returns an error.
 * Programs call zc_ipv6_parse(), which calls this when it has to.
 */
ZC_EXPORT zc_err zc_ipv6_walk_ext(zc_buf b, zc_ipv6 *out);

static inline uint8_t zc_ipv6_version(zc_ipv6 v) { return v.p[0] >> 4; }
/* Traffic class (DSCP and ECN), 8 bits. */
static inline uint8_t zc_ipv6_tclass(zc_ipv6 v) { return (uint8_t)(zc_load_be32(v.p) >> 20); }
/* Flow label, 20 bits. */
static inline uint32_t zc_ipv6_flow(zc_ipv6 v) { return zc_load_be32(v.p) & 0xfffff; }
/* Payload length field in bytes (extension headers included). */
static inline size_t zc_ipv6_payload_len(zc_ipv6 v) { return zc_load_be16(v.p + ZC_IPV6_PLEN_OFF); }
/* The next-header field of the fixed header. */
static inline uint8_t zc_ipv6_nxt(zc_ipv6 v) { return v.p[ZC_IPV6_NXT_OFF]; }
static inline uint8_t zc_ipv6_hlim(zc_ipv6 v) { return v.p[ZC_IPV6_HLIM_OFF]; }
/* Addresses: 16 bytes each, network order. */
static inline const uint8_t *zc_ipv6_src(zc_ipv6 v) { return v.p + ZC_IPV6_SRC_OFF; }
static inline const uint8_t *zc_ipv6_dst(zc_ipv6 v) { return v.p + ZC_IPV6_DST_OFF; }

/*
 * True unless nh is one of the upper layers that zc_ipv6_parse() takes
 * right after the fixed header without calling the extension-header walk:
 * TCP, UDP and ICMPv6.
 */
static inline bool zc_ipv6_needs_walk(uint8_t nh)
{
	return nh != ZC_IPPROTO_TCP && nh != ZC_IPPROTO_UDP && nh != ZC_IPPROTO_ICMPV6;
}

/* The upper-layer protocol: the next-header value after the extension headers. */
static inline uint8_t zc_ipv6_proto(zc_ipv6 v) { return v.proto; }

/* Bytes of header before the upper layer: 40 plus the extension headers. */
static inline size_t zc_ipv6_hdr_len(zc_ipv6 v) { return v.l4_off; }

/* The upper-layer payload, after the extension headers. */
static inline zc_buf zc_ipv6_payload(zc_ipv6 v)
{
	return zc_buf_make(v.p + v.l4_off, (size_t)ZC_IPV6_HDR_LEN + v.plen - v.l4_off);
}

/* True for a lax view whose packet runs past the bytes captured. */
static inline bool zc_ipv6_is_cut(zc_ipv6 v) { return v.plen < zc_ipv6_payload_len(v); }

/* True when a fragment header was walked (even an atomic one, offset 0 and M 0). */
static inline bool zc_ipv6_has_frag_hdr(zc_ipv6 v) { return (v.flags & ZC_IPV6_F_FRAG) != 0; }
/* Fragment offset in bytes; 0 without a fragment header. */
static inline size_t zc_ipv6_frag_offset(zc_ipv6 v)
{
	return zc_ipv6_has_frag_hdr(v) ? (size_t)(zc_load_be16(v.p + v.frag_off + 2) & ZC_IPV6_FRAG_MASK) : 0;
}
/* The M (more fragments) flag; false without a fragment header. */
static inline bool zc_ipv6_mf(zc_ipv6 v)
{
	return zc_ipv6_has_frag_hdr(v) && (zc_load_be16(v.p + v.frag_off + 2) & ZC_IPV6_FRAG_M);
}
/* Fragment identification; 0 without a fragment header. */
static inline uint32_t zc_ipv6_frag_id(zc_ipv6 v)
{
	return zc_ipv6_has_frag_hdr(v) ? zc_load_be32(v.p + v.frag_off + 4) : 0;
}
/* True for a real fragment: a fragment header with M set or a non-zero offset. */
static inline bool zc_ipv6_is_fragment(zc_ipv6 v) { return zc_ipv6_mf(v) || zc_ipv6_frag_offset(v) != 0; }

/* One extension header of the chain. */
typedef struct zc_ipv6_ext {
	uint8_t type;       /* its protocol number: 0, 43, 44, 51 or 60 */
	uint8_t next;       /* its next-header field */
	uint16_t off;       /* offset from the start of the IPv6 header */
	uint16_t len;       /* length in bytes */
	const uint8_t *p;   /* first byte */
} zc_ipv6_ext;

typedef struct zc_ipv6_ext_iter {
	zc_ipv6 v;
	uint16_t off;
	uint8_t nh;
} zc_ipv6_ext_iter;

/* An iterator over the extension headers that parse walked. */
static inline zc_ipv6_ext_iter zc_ipv6_exts(zc_ipv6 v)
{
	zc_ipv6_ext_iter it;
	it.v = v;
	it.off = ZC_IPV6_HDR_LEN;
	it.nh = zc_ipv6_nxt(v);
	return it;
}

/* Returns 1 with *e filled, or 0 after the last extension header. Cannot fail. */
ZC_EXPORT int zc_ipv6_ext_next(zc_ipv6_ext_iter *it, zc_ipv6_ext *e);

/*
 * Partial sum of the pseudo-header for the upper layer of l4_len bytes
 * (RFC 8200 section 8.1). With a routing header the destination that counts
 * is the final one; this uses the header's destination field as it stands.
 */
static inline uint32_t zc_ipv6_pseudo(zc_ipv6 v, size_t l4_len)
{
	return zc_csum_pseudo6(zc_ipv6_src(v), zc_ipv6_dst(v), zc_ipv6_proto(v), (uint32_t)l4_len);
}

/*
 * Setters, in place. The hop limit is covered by no checksum. Changing an
 * address updates the TCP, UDP or ICMPv6 checksum of the upper layer (their
 * pseudo-header covers the addresses) when the packet holds that checksum
 * field; a UDP checksum of 0 stays 0. While a routing header has segments
 * left, the pseudo-header holds the final destination from that header, not
 * the destination field, so changing the destination then leaves the upper
 * layer alone. No length changes: views stay valid.
 */
ZC_EXPORT void zc_ipv6_set_hlim(zc_ipv6 v, uint8_t hlim);
ZC_EXPORT void zc_ipv6_set_src(zc_ipv6 v, const uint8_t addr[16]);
ZC_EXPORT void zc_ipv6_set_dst(zc_ipv6 v, const uint8_t addr[16]);

/* ---------------------------------------------------------------- the constructors' bodies */

ZC_IPV6_API zc_err zc_ipv6_parse_mode(zc_buf b, bool lax, zc_ipv6 *out)
{
	size_t plen, have;
	uint8_t nh;

	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_IPV6_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY((b.p[0] >> 4) != 6))
		return ZC_E_VERSION;
	plen = zc_load_be16(b.p + ZC_IPV6_PLEN_OFF);
	/* Read before the view is written, so that a caller's own test of it folds into this one. */
	nh = b.p[ZC_IPV6_NXT_OFF];
	have = plen;
	if (ZC_UNLIKELY(b.len - ZC_IPV6_HDR_LEN < plen)) {
		if (!lax)
			return ZC_E_TRUNCATED;
		have = b.len - ZC_IPV6_HDR_LEN;
	}
	out->p = b.p;
	out->plen = (uint16_t)have;
	out->flags = 0;
	out->frag_off = 0;
	if (ZC_LIKELY(!zc_ipv6_needs_walk(nh))) {
		out->l4_off = ZC_IPV6_HDR_LEN;
		out->proto = nh;
		return ZC_OK;
	}
	return zc_ipv6_walk_ext(b, out);
}

ZC_IPV6_API zc_err zc_ipv6_parse(zc_buf b, zc_ipv6 *out)
{
	return zc_ipv6_parse_mode(b, false, out);
}

ZC_IPV6_API zc_err zc_ipv6_parse_lax(zc_buf b, zc_ipv6 *out)
{
	return zc_ipv6_parse_mode(b, true, out);
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_IPV6_H */
