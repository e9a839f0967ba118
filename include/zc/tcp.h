/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/tcp.h - TCP segments (RFC 9293) with an options iterator.
 *
 * zc_tcp_parse() takes the segment as the IP layer hands it (its payload) and
 * checks that the data offset is at least 5 words and that the header it
 * declares lies inside the segment. Options are walked by the iterator, which
 * reports a malformed option instead of looping, so a segment with bad
 * options stays readable. The view keeps the segment length: TCP does not
 * carry it.
 */
#ifndef ZC_TCP_H
#define ZC_TCP_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/tcp.c defines ZC_TCP_EXTERN and compiles the exported twins. */
#ifdef ZC_TCP_EXTERN
#define ZC_TCP_API ZC_EXPORT
#else
#define ZC_TCP_API static inline
#endif

#define ZC_TCP_SPORT_OFF 0
#define ZC_TCP_DPORT_OFF 2
#define ZC_TCP_SEQ_OFF 4
#define ZC_TCP_ACK_OFF 8
#define ZC_TCP_DOFF_OFF 12   /* data offset 4 bits, reserved 3, NS (AE) 1 */
#define ZC_TCP_FLAGS_OFF 13
#define ZC_TCP_WIN_OFF 14
#define ZC_TCP_CSUM_OFF 16
#define ZC_TCP_URG_OFF 18
#define ZC_TCP_MIN_HDR_LEN 20
#define ZC_TCP_MAX_HDR_LEN 60

/* Flags (RFC 9293 section 3.1, RFC 3168). */
#define ZC_TCP_FIN 0x01
#define ZC_TCP_SYN 0x02
#define ZC_TCP_RST 0x04
#define ZC_TCP_PSH 0x08
#define ZC_TCP_ACK 0x10
#define ZC_TCP_URG 0x20
#define ZC_TCP_ECE 0x40
#define ZC_TCP_CWR 0x80
#define ZC_TCP_NS 0x100

/* Option kinds (IANA). */
#define ZC_TCP_OPT_EOL 0
#define ZC_TCP_OPT_NOP 1
#define ZC_TCP_OPT_MSS 2
#define ZC_TCP_OPT_WSCALE 3
#define ZC_TCP_OPT_SACK_PERM 4
#define ZC_TCP_OPT_SACK 5
#define ZC_TCP_OPT_TS 8

typedef struct zc_tcp {
	const uint8_t *p;   /* first byte of the header */
	uint32_t len; /* segment bytes: header and payload */
} zc_tcp;

/*
 * Validates the header. Errors: ZC_E_TRUNCATED (fewer than 20 bytes, or
 * fewer than the data offset declares), ZC_E_HDR_LEN (data offset below 5),
 * ZC_E_ARG.
 */
ZC_TCP_API zc_err zc_tcp_parse(zc_buf seg, zc_tcp *out);

/* zc_tcp_rw, zc_tcp_ro(), zc_tcp_rw_of(), zc_tcp_parse_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(tcp, ZC_VIEW_LEN)

static inline uint16_t zc_tcp_src_port(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_SPORT_OFF); }
static inline uint16_t zc_tcp_dst_port(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_DPORT_OFF); }
static inline uint32_t zc_tcp_seq(zc_tcp t) { return zc_load_be32(t.p + ZC_TCP_SEQ_OFF); }
static inline uint32_t zc_tcp_ack(zc_tcp t) { return zc_load_be32(t.p + ZC_TCP_ACK_OFF); }
/* Header length in bytes (data offset * 4): 20 to 60. */
static inline size_t zc_tcp_hdr_len(zc_tcp t) { return (size_t)(t.p[ZC_TCP_DOFF_OFF] >> 4) * 4; }
/* The header bytes, options included. */
static inline zc_buf zc_tcp_header(zc_tcp t) { return zc_buf_make(t.p, zc_tcp_hdr_len(t)); }
/* The eight classic flags, CWR..FIN (ZC_TCP_FIN .. ZC_TCP_CWR). */
static inline uint8_t zc_tcp_flags(zc_tcp t) { return t.p[ZC_TCP_FLAGS_OFF]; }
/* All 12 bits after the data offset: reserved, NS, then CWR..FIN. */
static inline uint16_t zc_tcp_flags_all(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_DOFF_OFF) & 0x0fff; }
/* The window field, unscaled. */
static inline uint16_t zc_tcp_window(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_WIN_OFF); }
static inline uint16_t zc_tcp_csum(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_CSUM_OFF); }
static inline uint16_t zc_tcp_urgent(zc_tcp t) { return zc_load_be16(t.p + ZC_TCP_URG_OFF); }

/* The payload after the header (and its options). */
/*
 * The segment's length in bytes, header and data, as the view holds it: the
 * enclosing IP header's upper-layer length (the TCP length of the
 * pseudo-header, RFC 9293 section 3.1), or less in a lax view of a capture
 * cut short.
 */
static inline size_t zc_tcp_seg_len(zc_tcp t) { return t.len; }

static inline zc_buf zc_tcp_payload(zc_tcp t)
{
	size_t h = zc_tcp_hdr_len(t);
	return zc_buf_make(t.p + h, t.len - h);
}

/* An iterator over the options; step it with zc_opt_next(). */
static inline zc_opt_iter zc_tcp_opts(zc_tcp t)
{
	return zc_opt_iter_make(t.p + ZC_TCP_MIN_HDR_LEN, zc_tcp_hdr_len(t) - ZC_TCP_MIN_HDR_LEN);
}

/* The options a stack acts on, decoded in one walk. */
#define ZC_TCP_MAX_SACK 4
typedef struct zc_tcp_optset {
	unsigned has_mss : 1, has_wscale : 1, has_sack_perm : 1, has_ts : 1;
	uint8_t wscale;   /* shift count as sent (RFC 7323 caps its use at 14) */
	uint8_t nsack;    /* SACK blocks in sack[] */
	uint16_t mss;
	uint32_t tsval, tsecr;
	uint32_t sack[ZC_TCP_MAX_SACK][2]; /* left and right edges */
} zc_tcp_optset;

/*
 * Walks the options once and fills *out (zeroed first). An option of a known
 * kind with the wrong length, or a malformed list, returns ZC_E_OPTION; what
 * was decoded before it stays in *out. Unknown kinds are skipped.
 */
ZC_EXPORT zc_err zc_tcp_options(zc_tcp t, zc_tcp_optset *out);

/*
 * Checksums. pseudo is the partial sum of the IP pseudo-header for a
 * segment of t.len bytes: zc_ipv4_pseudo(ip, t.len) or zc_ipv6_pseudo(ip, t.len).
 */
ZC_EXPORT uint16_t zc_tcp_csum_compute(zc_tcp t, uint32_t pseudo); /* with the field taken as 0 */
ZC_EXPORT bool zc_tcp_csum_ok(zc_tcp t, uint32_t pseudo);
ZC_EXPORT void zc_tcp_csum_fill(zc_tcp_rw h, uint32_t pseudo);
/*
 * For a checksum offload (CHECKSUM_PARTIAL, virtio's NEEDS_CSUM): writes the
 * folded pseudo-header sum, not complemented, for the device or the kernel
 * to complete over the whole segment (virtio 1.x section 5.1.6.2).
 */
ZC_EXPORT void zc_tcp_csum_partial_fill(zc_tcp_rw h, uint32_t pseudo);

/*
 * Setters, in place, each updating the checksum incrementally (RFC 1624).
 * No length changes: views made before stay valid.
 */
ZC_EXPORT void zc_tcp_set_src_port(zc_tcp_rw h, uint16_t port);
ZC_EXPORT void zc_tcp_set_dst_port(zc_tcp_rw h, uint16_t port);
ZC_EXPORT void zc_tcp_set_seq(zc_tcp_rw h, uint32_t seq);
ZC_EXPORT void zc_tcp_set_ack(zc_tcp_rw h, uint32_t ack);
ZC_EXPORT void zc_tcp_set_window(zc_tcp_rw h, uint16_t win);
/* Sets the eight flags CWR..FIN; the NS bit and the data offset are kept. */
ZC_EXPORT void zc_tcp_set_flags(zc_tcp_rw h, uint8_t flags);

/* ---------------------------------------------------------------- the constructor's body */

ZC_TCP_API zc_err zc_tcp_parse(zc_buf seg, zc_tcp *out)
{
	size_t hlen;

	if (ZC_UNLIKELY(!out || !seg.p))
		return ZC_E_ARG;
	/* Fewer than 20 bytes, or more than 4 GiB (which the view cannot describe), in one compare. */
	if (ZC_UNLIKELY(seg.len - ZC_TCP_MIN_HDR_LEN > (size_t)UINT32_MAX - ZC_TCP_MIN_HDR_LEN))
		return seg.len < ZC_TCP_MIN_HDR_LEN ? ZC_E_TRUNCATED : ZC_E_ARG;
	hlen = (size_t)(seg.p[ZC_TCP_DOFF_OFF] >> 4) * 4;
	if (ZC_UNLIKELY(hlen < ZC_TCP_MIN_HDR_LEN))
		return ZC_E_HDR_LEN;
	if (ZC_UNLIKELY(hlen > seg.len))
		return ZC_E_TRUNCATED;
	out->p = seg.p;
	out->len = (uint32_t)seg.len;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_TCP_H */
