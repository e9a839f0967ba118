/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/ipv4.h - IPv4 headers (RFC 791) with an options iterator.
 *
 * zc_ipv4_parse() checks the version, that the header length (IHL) is at
 * least 20 bytes and lies inside the buffer, and that the total length covers
 * the header and lies inside the buffer. After it succeeds no accessor can
 * fail or read outside the datagram.
 *
 * The view keeps the number of bytes it may touch: the total length, or,
 * for a view made by zc_ipv4_parse_lax() from a capture cut short, the bytes
 * that are there.
 */
#ifndef ZC_IPV4_H
#define ZC_IPV4_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"
#include "zc/ipproto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/ipv4.c defines ZC_IPV4_EXTERN and compiles the exported twins. */
#ifdef ZC_IPV4_EXTERN
#define ZC_IPV4_API ZC_EXPORT
#else
#define ZC_IPV4_API static inline
#endif

#define ZC_IPV4_VER_IHL_OFF 0
#define ZC_IPV4_TOS_OFF 1
#define ZC_IPV4_TOTLEN_OFF 2
#define ZC_IPV4_ID_OFF 4
#define ZC_IPV4_FRAG_OFF 6
#define ZC_IPV4_TTL_OFF 8
#define ZC_IPV4_PROTO_OFF 9
#define ZC_IPV4_CSUM_OFF 10
#define ZC_IPV4_SRC_OFF 12
#define ZC_IPV4_DST_OFF 16
#define ZC_IPV4_MIN_HDR_LEN 20
#define ZC_IPV4_MAX_HDR_LEN 60

/* Flags and fragment offset (RFC 791 section 3.1). */
#define ZC_IPV4_F_RESERVED 0x8000
#define ZC_IPV4_F_DF 0x4000
#define ZC_IPV4_F_MF 0x2000
#define ZC_IPV4_FRAG_MASK 0x1fff

/* Option kinds (RFC 791 section 3.1, RFC 2113). */
#define ZC_IPV4_OPT_EOL 0
#define ZC_IPV4_OPT_NOP 1
#define ZC_IPV4_OPT_RR 7
#define ZC_IPV4_OPT_TS 68
#define ZC_IPV4_OPT_LSRR 131
#define ZC_IPV4_OPT_SSRR 137
#define ZC_IPV4_OPT_RA 148

typedef struct zc_ipv4 {
	const uint8_t *p;   /* first byte of the header */
	uint32_t len; /* bytes of the datagram present: the total length, or fewer when cut */
} zc_ipv4;

/*
 * Validates the header. Errors: ZC_E_TRUNCATED (fewer than 20 bytes, or the
 * header or total length runs past the buffer), ZC_E_VERSION (not 4),
 * ZC_E_HDR_LEN (IHL below 5), ZC_E_LENGTH (total length below the header
 * length), ZC_E_ARG. Options are checked by the iterator, not here, so that a
 * datagram with a malformed option is still readable. A total length of 0
 * is taken as "the whole buffer": segmentation offload (TSO, Linux BIG TCP)
 * hands super-packets over that way, and capture tools read it the same.
 */
ZC_IPV4_API zc_err zc_ipv4_parse(zc_buf b, zc_ipv4 *out);

/*
 * The same checks, except that a total length running past the buffer is
 * accepted when the whole header is there: the view then covers only the
 * bytes present (zc_ipv4_is_cut() is true). For captures cut by a snaplen.
 */
ZC_IPV4_API zc_err zc_ipv4_parse_lax(zc_buf b, zc_ipv4 *out);

/* zc_ipv4_parse_lax() when lax is true, else zc_ipv4_parse(): for a caller that decides at run time. */
ZC_IPV4_API zc_err zc_ipv4_parse_mode(zc_buf b, bool lax, zc_ipv4 *out);

/* zc_ipv4_rw, zc_ipv4_ro(), zc_ipv4_rw_of(), zc_ipv4_parse_rw(), zc_ipv4_parse_lax_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(ipv4, ZC_VIEW_LEN)
ZC_RW_HANDLE_LAX(ipv4)

static inline uint8_t zc_ipv4_version(zc_ipv4 v) { return v.p[0] >> 4; }
/* Header length in bytes (IHL * 4): 20 to 60. */
static inline size_t zc_ipv4_hdr_len(zc_ipv4 v) { return (size_t)(v.p[0] & 0x0f) * 4; }
/* Type of service / DS field and ECN, the whole byte. */
static inline uint8_t zc_ipv4_tos(zc_ipv4 v) { return v.p[ZC_IPV4_TOS_OFF]; }
static inline uint8_t zc_ipv4_dscp(zc_ipv4 v) { return v.p[ZC_IPV4_TOS_OFF] >> 2; }
static inline uint8_t zc_ipv4_ecn(zc_ipv4 v) { return v.p[ZC_IPV4_TOS_OFF] & 3; }
/*
 * Total length of the datagram in bytes, header included. A total length
 * field of 0 (a segmentation-offload super-packet, see zc_ipv4_parse()) reads
 * as the length of the buffer the view was made from.
 */
static inline size_t zc_ipv4_total_len(zc_ipv4 v)
{
	size_t t = zc_load_be16(v.p + ZC_IPV4_TOTLEN_OFF);
	return t ? t : v.len;
}

/* The total length field as on the wire (0 in an offload super-packet). */
static inline uint16_t zc_ipv4_total_len_field(zc_ipv4 v) { return zc_load_be16(v.p + ZC_IPV4_TOTLEN_OFF); }
static inline uint16_t zc_ipv4_id(zc_ipv4 v) { return zc_load_be16(v.p + ZC_IPV4_ID_OFF); }
/* The 16-bit flags and fragment offset word as on the wire. */
static inline uint16_t zc_ipv4_frag_word(zc_ipv4 v) { return zc_load_be16(v.p + ZC_IPV4_FRAG_OFF); }
/* The three flag bits (reserved, DF, MF) in the low bits: 0..7. */
static inline uint8_t zc_ipv4_flags(zc_ipv4 v) { return (uint8_t)(zc_ipv4_frag_word(v) >> 13); }
static inline bool zc_ipv4_df(zc_ipv4 v) { return (zc_ipv4_frag_word(v) & ZC_IPV4_F_DF) != 0; }
static inline bool zc_ipv4_mf(zc_ipv4 v) { return (zc_ipv4_frag_word(v) & ZC_IPV4_F_MF) != 0; }
/* Fragment offset in bytes (the field times 8). */
static inline size_t zc_ipv4_frag_offset(zc_ipv4 v) { return (size_t)(zc_ipv4_frag_word(v) & ZC_IPV4_FRAG_MASK) * 8; }
/* True for any fragment: MF set or a non-zero offset. */
static inline bool zc_ipv4_is_fragment(zc_ipv4 v) { return (zc_ipv4_frag_word(v) & (ZC_IPV4_F_MF | ZC_IPV4_FRAG_MASK)) != 0; }
/* True when the payload starts the upper-layer header (offset 0). */
static inline bool zc_ipv4_is_first_fragment(zc_ipv4 v) { return (zc_ipv4_frag_word(v) & ZC_IPV4_FRAG_MASK) == 0; }
static inline uint8_t zc_ipv4_ttl(zc_ipv4 v) { return v.p[ZC_IPV4_TTL_OFF]; }
static inline uint8_t zc_ipv4_proto(zc_ipv4 v) { return v.p[ZC_IPV4_PROTO_OFF]; }
/* The header checksum as on the wire, host order. */
static inline uint16_t zc_ipv4_csum(zc_ipv4 v) { return zc_load_be16(v.p + ZC_IPV4_CSUM_OFF); }
/* Addresses in host order. */
static inline uint32_t zc_ipv4_src(zc_ipv4 v) { return zc_load_be32(v.p + ZC_IPV4_SRC_OFF); }
static inline uint32_t zc_ipv4_dst(zc_ipv4 v) { return zc_load_be32(v.p + ZC_IPV4_DST_OFF); }
/* Addresses as 4 bytes in network order. */
static inline const uint8_t *zc_ipv4_src_bytes(zc_ipv4 v) { return v.p + ZC_IPV4_SRC_OFF; }
static inline const uint8_t *zc_ipv4_dst_bytes(zc_ipv4 v) { return v.p + ZC_IPV4_DST_OFF; }

/* The header's bytes, options included (what an ICMP error quotes first). */
static inline zc_buf zc_ipv4_header(zc_ipv4 v) { return zc_buf_make(v.p, zc_ipv4_hdr_len(v)); }

/* The options: the header bytes after the first 20 (possibly none). */
static inline zc_buf zc_ipv4_options(zc_ipv4 v)
{
	return zc_buf_make(v.p + ZC_IPV4_MIN_HDR_LEN, zc_ipv4_hdr_len(v) - ZC_IPV4_MIN_HDR_LEN);
}

/* An iterator over the options; step it with zc_opt_next(). */
static inline zc_opt_iter zc_ipv4_opts(zc_ipv4 v)
{
	return zc_opt_iter_make(v.p + ZC_IPV4_MIN_HDR_LEN, zc_ipv4_hdr_len(v) - ZC_IPV4_MIN_HDR_LEN);
}

/*
 * The upper layer's length in bytes as the header declares it: the total
 * length less the header length (RFC 791), the length a TCP or UDP
 * pseudo-header takes (zc_ipv4_pseudo()). Unlike zc_ipv4_payload(), not
 * bounded by what was captured.
 */
static inline size_t zc_ipv4_upper_len(zc_ipv4 v) { return zc_ipv4_total_len(v) - zc_ipv4_hdr_len(v); }

/*
 * The payload: from the end of the header to the total length (link-layer
 * padding excluded), or to the end of the bytes present in a cut view. For a
 * fragment this is that fragment's share only.
 */
static inline zc_buf zc_ipv4_payload(zc_ipv4 v)
{
	/* A view's length is at least its header's: 32-bit arithmetic, as the view's. */
	uint32_t h = (uint32_t)zc_ipv4_hdr_len(v);
	return zc_buf_make(v.p + h, v.len - h);
}

/* The payload of a writable handle, writable: what an upper layer's handle is made from. */
static inline zc_wbuf zc_ipv4_payload_rw(zc_ipv4_rw h)
{
	zc_buf pay = zc_ipv4_payload(h.v);
	return zc_wbuf_make((void *)(uintptr_t)pay.p, pay.len);
}

/* True for a lax view whose datagram runs past the bytes captured. */
static inline bool zc_ipv4_is_cut(zc_ipv4 v) { return v.len < zc_ipv4_total_len(v); }

/* True when the header checksum verifies. */
ZC_EXPORT bool zc_ipv4_csum_ok(zc_ipv4 v);

/* Computes the header checksum from scratch and stores it. */
ZC_EXPORT void zc_ipv4_csum_fill(zc_ipv4_rw h);

/*
 * Partial sum of the pseudo-header for this datagram's upper layer of
 * l4_len bytes (normally zc_ipv4_total_len(v) - zc_ipv4_hdr_len(v)), for zc_tcp_csum_ok() and
 * friends. With a source route that has addresses left, the destination that
 * counts is the final one, the route's last address; this uses the header's
 * destination field as it stands.
 */
static inline uint32_t zc_ipv4_pseudo(zc_ipv4 v, size_t l4_len)
{
	return zc_csum_pseudo4(zc_ipv4_src(v), zc_ipv4_dst(v), zc_ipv4_proto(v), (uint32_t)l4_len);
}

/*
 * Setters. Each edits the header in place and updates the header checksum
 * incrementally (RFC 1624). Changing an address also updates the TCP or UDP
 * checksum in the payload (its pseudo-header covers the addresses) when the
 * datagram is a first fragment that holds that checksum field; a UDP checksum
 * of 0 ("none") stays 0. While a loose or strict source route option has
 * addresses left, the pseudo-header holds the final destination from that
 * option, not the destination field, so changing the destination then leaves
 * the upper layer alone. None changes a length: views made before stay valid.
 */
ZC_EXPORT void zc_ipv4_set_ttl(zc_ipv4_rw h, uint8_t ttl);
ZC_EXPORT void zc_ipv4_set_tos(zc_ipv4_rw h, uint8_t tos);
ZC_EXPORT void zc_ipv4_set_id(zc_ipv4_rw h, uint16_t id);
ZC_EXPORT void zc_ipv4_set_src(zc_ipv4_rw h, uint32_t addr);
ZC_EXPORT void zc_ipv4_set_dst(zc_ipv4_rw h, uint32_t addr);

/*
 * Decrements the TTL as a router does, keeping the checksum right. Returns
 * false, leaving the header alone, when the TTL is already 0 or 1.
 */
ZC_EXPORT bool zc_ipv4_dec_ttl(zc_ipv4_rw h);

/*
 * Sets the total length field to len and updates the header checksum. The
 * handle then covers the first len bytes of those it covered, all of them
 * when len is more: a super-packet whose payload lies in other buffers is a
 * cut view (zc_ipv4_is_cut()). ZC_E_LENGTH, nothing changed, when len is
 * below the header length or above 65,535; ZC_E_ARG without a handle. The
 * upper layer's checksum, whose pseudo-header holds the length, is left
 * alone: fill it after. Views and handles made before, of this header or of the layers inside it,
 * keep their old extent: make them again.
 */
ZC_EXPORT zc_err zc_ipv4_set_total_len(zc_ipv4_rw *h, size_t len);

/* ---------------------------------------------------------------- the constructors' bodies */

ZC_IPV4_API zc_err zc_ipv4_parse_mode(zc_buf b, bool lax, zc_ipv4 *out)
{
	size_t hlen, tot;

	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	/* Fewer than 20 bytes, or more than 4 GiB (which the view cannot describe), in one compare. */
	if (ZC_UNLIKELY(b.len - ZC_IPV4_MIN_HDR_LEN > (size_t)UINT32_MAX - ZC_IPV4_MIN_HDR_LEN)) {
		if (b.len < ZC_IPV4_MIN_HDR_LEN)
			goto truncated;
		return ZC_E_ARG;
	}
	/* Nearly every header is version 4 with no options: one compare passes the next three checks. */
	if (ZC_LIKELY(b.p[0] == 0x45)) {
		hlen = ZC_IPV4_MIN_HDR_LEN;
	} else {
		if (ZC_UNLIKELY((b.p[0] >> 4) != 4))
			return ZC_E_VERSION;
		hlen = (size_t)(b.p[0] & 0x0f) * 4;
		if (ZC_UNLIKELY(hlen < ZC_IPV4_MIN_HDR_LEN))
			return ZC_E_HDR_LEN;
		if (ZC_UNLIKELY(hlen > b.len))
			goto truncated;
	}
	tot = zc_load_be16(b.p + ZC_IPV4_TOTLEN_OFF);
	/*
	 * A total length of 0 is what segmentation offload (TSO, and Linux
	 * BIG TCP past 64 KiB) leaves in a super-packet: the datagram is the
	 * whole buffer. Captures taken on the sending host show it too.
	 */
	if (tot == 0)
		tot = b.len;
	if (ZC_UNLIKELY(tot < hlen))
		return ZC_E_LENGTH;
	if (ZC_UNLIKELY(tot > b.len)) {
		if (!lax)
			goto truncated;
		tot = b.len;
	}
	out->p = b.p;
	out->len = (uint32_t)tot;
	return ZC_OK;

truncated:
	return ZC_E_TRUNCATED;
}

ZC_IPV4_API zc_err zc_ipv4_parse(zc_buf b, zc_ipv4 *out)
{
	return zc_ipv4_parse_mode(b, false, out);
}

ZC_IPV4_API zc_err zc_ipv4_parse_lax(zc_buf b, zc_ipv4 *out)
{
	return zc_ipv4_parse_mode(b, true, out);
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_IPV4_H */
