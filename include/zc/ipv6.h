/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv6.h - IPv6 headers (RFC 8200) and their extension-header chain.
 *
 * zc_ipv6_parse() checks the version and the payload length, and walks the
 * extension headers it knows (hop-by-hop options, routing, fragment,
 * destination options, authentication header: RFC 8200 section 4, RFC 4302)
 * up to ZC_IPV6_MAX_EXT of them, checking that each lies inside the payload
 * and that every option of a hop-by-hop or destination options header lies
 * inside its header.
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
#include "zc/ipproto.h"

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
	const uint8_t *p;        /* first byte of the fixed header */
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
 * the payload length), ZC_E_OPTION (an option of a hop-by-hop or destination
 * options header runs past its header: see zc_ipv6_opts_check(); or a
 * routing header is not of the length its type fixes: type 2 of one
 * address, RFC 6275 section 6.4, a segment routing header of at least one
 * segment, RFC 8754 section 2), ZC_E_TOO_DEEP, ZC_E_ARG.
 */
ZC_IPV6_API zc_err zc_ipv6_parse(zc_buf b, zc_ipv6 *out);

/*
 * The same, except that a payload length running past the buffer is accepted
 * when the fixed header is there: the view then covers the bytes present and
 * the walk stops at the first extension header that is cut
 * (zc_ipv6_is_cut() is true), whose options are thus not checked. For
 * captures cut by a snaplen.
 */
ZC_IPV6_API zc_err zc_ipv6_parse_lax(zc_buf b, zc_ipv6 *out);

/* zc_ipv6_parse_lax() when lax is true, else zc_ipv6_parse(): for a caller that decides at run time. */
ZC_IPV6_API zc_err zc_ipv6_parse_mode(zc_buf b, bool lax, zc_ipv6 *out);

/* Bytes the view covers: the fixed header and the payload present. */
static inline size_t zc_ipv6_extent_(zc_ipv6 v) { return ZC_IPV6_HDR_LEN + (size_t)v.plen; }

/* zc_ipv6_rw, zc_ipv6_ro(), zc_ipv6_rw_of(), zc_ipv6_parse_rw(), zc_ipv6_parse_lax_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(ipv6, zc_ipv6_extent_)
ZC_RW_HANDLE_LAX(ipv6)

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

/*
 * The upper layer's length in bytes as the header declares it: the payload
 * length less the extension headers walked (RFC 8200 section 8.1: the
 * upper-layer packet length of the pseudo-header). Unlike
 * zc_ipv6_payload(), not bounded by what was captured.
 */
static inline size_t zc_ipv6_upper_len(zc_ipv6 v)
{
	size_t all = (size_t)ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(v);
	return all > v.l4_off ? all - v.l4_off : 0;
}

/* The fixed header and the extension headers walked (what an ICMPv6 error quotes first). */
static inline zc_buf zc_ipv6_header(zc_ipv6 v) { return zc_buf_make(v.p, v.l4_off); }

/* The upper-layer payload, after the extension headers. */
static inline zc_buf zc_ipv6_payload(zc_ipv6 v)
{
	return zc_buf_make(v.p + v.l4_off, (size_t)ZC_IPV6_HDR_LEN + v.plen - v.l4_off);
}

/* The payload of a writable handle, writable: what an upper layer's handle is made from. */
static inline zc_wbuf zc_ipv6_payload_rw(zc_ipv6_rw h)
{
	zc_buf pay = zc_ipv6_payload(h.v);
	return zc_wbuf_make((void *)(uintptr_t)pay.p, pay.len);
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
 * The options of the hop-by-hop and destination options headers (RFC 8200
 * section 4.2). Pad1 (type 0) is a single byte; every other option is a
 * type byte, a length byte that counts the data bytes after it, and the
 * data. This is not the shape zc_opt_next() walks for IPv4 and TCP, where
 * type 0 ends the list, type 1 is a single byte, and the length counts the
 * type and length bytes too; hence an iterator of its own.
 *
 * The two high bits of a type say what a node that does not recognise the
 * option must do (ZC_IPV6_OPT_ACTION: 0 skip it, 1 discard the packet, 2
 * discard and send an ICMPv6 parameter problem, 3 the same unless the
 * destination is multicast), the third that the data may change en route
 * (RFC 8200 section 4.2). Options libzc does not know are no error.
 */
#define ZC_IPV6_OPT_PAD1 0x00
#define ZC_IPV6_OPT_PADN 0x01
#define ZC_IPV6_OPT_ROUTER_ALERT 0x05 /* RFC 2711 */
#define ZC_IPV6_OPT_JUMBO 0xc2        /* RFC 2675 */
#define ZC_IPV6_OPT_ACTION(type) ((unsigned)(type) >> 6)
#define ZC_IPV6_OPT_F_CHANGE 0x20

typedef struct zc_ipv6_opt {
	uint8_t type;
	uint8_t len;         /* data bytes, after type and length (0 for Pad1) */
	const uint8_t *data; /* the len data bytes (NULL for Pad1) */
} zc_ipv6_opt;

typedef struct zc_ipv6_opt_iter {
	const uint8_t *p;
	const uint8_t *end;
	unsigned steps;
} zc_ipv6_opt_iter;

/*
 * No options area needs more steps: the longest header (2048 bytes) holds
 * 2046 bytes of options, at least one byte each.
 */
#define ZC_IPV6_OPT_MAX_STEPS 2046

/* An iterator over the options in p[0..len), the bytes after a header's first two. */
static inline zc_ipv6_opt_iter zc_ipv6_opt_iter_make(const uint8_t *p, size_t len)
{
	zc_ipv6_opt_iter it;
	it.p = p;
	it.end = p + len;
	it.steps = 0;
	return it;
}

/*
 * An iterator over the options of extension header e: those after its
 * next-header and length bytes when it is a hop-by-hop or destination
 * options header, none for any other type.
 */
static inline zc_ipv6_opt_iter zc_ipv6_ext_opts(zc_ipv6_ext e)
{
	if (e.type == ZC_IPPROTO_HOPOPTS || e.type == ZC_IPPROTO_DSTOPTS)
		return zc_ipv6_opt_iter_make(e.p + 2, (size_t)e.len - 2);
	return zc_ipv6_opt_iter_make(e.p, 0);
}

/*
 * Steps to the next option. Returns 1 with *o filled, 0 at the end of the
 * bytes, or ZC_E_OPTION when the option is malformed (its length byte is
 * missing, or its data runs past the end, RFC 8200 section 4.2): the walk
 * then stops for good. After zc_ipv6_parse() succeeded, the options of
 * every header zc_ipv6_exts() returns walk to their end without error.
 */
ZC_EXPORT int zc_ipv6_opt_next(zc_ipv6_opt_iter *it, zc_ipv6_opt *o);

/*
 * Checks the options of the hop-by-hop or destination options header of
 * len bytes (the length its length field gives, 8 or more) at h: ZC_OK when
 * every option lies inside the header, ZC_E_OPTION when one does not,
 * ZC_E_ARG for a NULL h or a len below 2. zc_ipv6_parse() checks every such
 * header it walks with this.
 */
ZC_EXPORT zc_err zc_ipv6_opts_check(const uint8_t *h, size_t len);

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
 * field; a UDP checksum of 0 stays 0, which keeps an invalid datagram
 * invalid (see the UDP setters in zc/udp.h). While a routing header has
 * segments left, the pseudo-header holds the final destination from that
 * header, not the destination field, so changing the destination then
 * leaves the upper layer alone. No length changes: views stay valid.
 */
ZC_EXPORT void zc_ipv6_set_hlim(zc_ipv6_rw h, uint8_t hlim);
ZC_EXPORT void zc_ipv6_set_src(zc_ipv6_rw h, const uint8_t addr[16]);
ZC_EXPORT void zc_ipv6_set_dst(zc_ipv6_rw h, const uint8_t addr[16]);

/*
 * Sets the payload length field to plen. The handle then covers the first
 * plen payload bytes of those it covered, all of them when plen is more (a
 * cut view, zc_ipv6_is_cut()). ZC_E_LENGTH, nothing changed, when plen is
 * above 65,535 or would end the payload inside the extension headers
 * walked; ZC_E_ARG without a handle. The upper layer's checksum, whose
 * pseudo-header holds the length, is left alone: fill it after.
 * Views and handles made before, of this header or of the layers inside it,
 * keep their old extent: make them again.
 */
ZC_EXPORT zc_err zc_ipv6_set_payload_len(zc_ipv6_rw *h, size_t plen);

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
