/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/icmp.h - ICMP for IPv4 (RFC 792) and ICMPv6 (RFC 4443, RFC 4861).
 *
 * Both have type (1), code (1), checksum (2) and 4 bytes whose meaning the
 * type gives (identifier and sequence for echo, MTU for "too big" or
 * "fragmentation needed", unused for most errors); error messages then quote
 * the start of the offending packet. zc_icmp4_parse()/zc_icmp6_parse() need
 * those 8 bytes; neighbour solicitation and advertisement also need their
 * 16-byte target address. The views keep the message length: ICMP does not
 * carry it.
 */
#ifndef ZC_ICMP_H
#define ZC_ICMP_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/icmp.c defines ZC_ICMP_EXTERN and compiles the exported twins. */
#ifdef ZC_ICMP_EXTERN
#define ZC_ICMP_API ZC_EXPORT
#else
#define ZC_ICMP_API static inline
#endif

#define ZC_ICMP_TYPE_OFF 0
#define ZC_ICMP_CODE_OFF 1
#define ZC_ICMP_CSUM_OFF 2
#define ZC_ICMP_ID_OFF 4
#define ZC_ICMP_SEQ_OFF 6
#define ZC_ICMP_MTU4_OFF 6   /* ICMPv4 "fragmentation needed": next-hop MTU, 16 bits */
#define ZC_ICMP_MTU6_OFF 4   /* ICMPv6 "packet too big": MTU, 32 bits */
#define ZC_ICMP_HDR_LEN 8
#define ZC_ICMP6_ND_TARGET_OFF 8
#define ZC_ICMP6_ND_LEN 24   /* NS/NA with the target address */

/* ICMPv4 types. */
#define ZC_ICMP4_ECHO_REPLY 0
#define ZC_ICMP4_DEST_UNREACH 3
#define ZC_ICMP4_SOURCE_QUENCH 4
#define ZC_ICMP4_REDIRECT 5
#define ZC_ICMP4_ECHO_REQUEST 8
#define ZC_ICMP4_TIME_EXCEEDED 11
#define ZC_ICMP4_PARAM_PROBLEM 12

/* ICMPv6 types. */
#define ZC_ICMP6_DEST_UNREACH 1
#define ZC_ICMP6_PACKET_TOO_BIG 2
#define ZC_ICMP6_TIME_EXCEEDED 3
#define ZC_ICMP6_PARAM_PROBLEM 4
#define ZC_ICMP6_ECHO_REQUEST 128
#define ZC_ICMP6_ECHO_REPLY 129
#define ZC_ICMP6_ROUTER_SOLICIT 133
#define ZC_ICMP6_ROUTER_ADVERT 134
#define ZC_ICMP6_NEIGH_SOLICIT 135
#define ZC_ICMP6_NEIGH_ADVERT 136
#define ZC_ICMP6_REDIRECT 137

/* Neighbour discovery option types (RFC 4861 section 4.6). */
#define ZC_ND_OPT_SRC_LLADDR 1
#define ZC_ND_OPT_TGT_LLADDR 2
#define ZC_ND_OPT_PREFIX_INFO 3
#define ZC_ND_OPT_MTU 5
#define ZC_ND_MAX_OPTS 32     /* the option walk stops with ZC_E_TOO_DEEP past this */

/* Neighbour advertisement flags (the first byte after the checksum). */
#define ZC_ND_NA_ROUTER 0x80
#define ZC_ND_NA_SOLICITED 0x40
#define ZC_ND_NA_OVERRIDE 0x20

typedef struct zc_icmp4 {
	const uint8_t *p;
	uint32_t len; /* message bytes */
} zc_icmp4;

typedef struct zc_icmp6 {
	const uint8_t *p;
	uint32_t len; /* message bytes */
} zc_icmp6;

/* Errors: ZC_E_TRUNCATED (fewer than 8 bytes), ZC_E_ARG. */
ZC_ICMP_API zc_err zc_icmp4_parse(zc_buf b, zc_icmp4 *out);

/* zc_icmp4_rw, zc_icmp4_ro(), zc_icmp4_rw_of(), zc_icmp4_parse_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(icmp4, ZC_VIEW_LEN)

static inline uint8_t zc_icmp4_type(zc_icmp4 m) { return m.p[ZC_ICMP_TYPE_OFF]; }
static inline uint8_t zc_icmp4_code(zc_icmp4 m) { return m.p[ZC_ICMP_CODE_OFF]; }
static inline uint16_t zc_icmp4_csum(zc_icmp4 m) { return zc_load_be16(m.p + ZC_ICMP_CSUM_OFF); }
/* Echo identifier and sequence number (meaningful for echo request and reply). */
static inline uint16_t zc_icmp4_id(zc_icmp4 m) { return zc_load_be16(m.p + ZC_ICMP_ID_OFF); }
static inline uint16_t zc_icmp4_seq(zc_icmp4 m) { return zc_load_be16(m.p + ZC_ICMP_SEQ_OFF); }
/* Next-hop MTU of "fragmentation needed" (RFC 1191); 0 from old routers. */
static inline uint16_t zc_icmp4_mtu(zc_icmp4 m) { return zc_load_be16(m.p + ZC_ICMP_MTU4_OFF); }
/* The 4 bytes after the checksum, as a host-order word. */
static inline uint32_t zc_icmp4_rest(zc_icmp4 m) { return zc_load_be32(m.p + ZC_ICMP_ID_OFF); }
/* True for the error types that quote the offending datagram. */
static inline bool zc_icmp4_is_error(zc_icmp4 m)
{
	uint8_t t = zc_icmp4_type(m);
	return t == ZC_ICMP4_DEST_UNREACH || t == ZC_ICMP4_SOURCE_QUENCH || t == ZC_ICMP4_REDIRECT ||
	       t == ZC_ICMP4_TIME_EXCEEDED || t == ZC_ICMP4_PARAM_PROBLEM;
}
/* Everything after the 8-byte header: echo data, or the quoted datagram of an error. */
/* The message's length in bytes, header included, as the view holds it. */
static inline size_t zc_icmp4_msg_len(zc_icmp4 m) { return m.len; }
static inline zc_buf zc_icmp4_payload(zc_icmp4 m) { return zc_buf_make(m.p + ZC_ICMP_HDR_LEN, m.len - ZC_ICMP_HDR_LEN); }

/* Checksum over the whole message (ICMPv4 has no pseudo-header). */
ZC_EXPORT bool zc_icmp4_csum_ok(zc_icmp4 m);
ZC_EXPORT void zc_icmp4_csum_fill(zc_icmp4_rw h);

/*
 * Errors: ZC_E_TRUNCATED (fewer than 8 bytes, or a neighbour solicitation or
 * advertisement without its whole target address), ZC_E_ARG.
 */
ZC_ICMP_API zc_err zc_icmp6_parse(zc_buf b, zc_icmp6 *out);

/* zc_icmp6_rw, zc_icmp6_ro(), zc_icmp6_rw_of(), zc_icmp6_parse_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(icmp6, ZC_VIEW_LEN)

static inline uint8_t zc_icmp6_type(zc_icmp6 m) { return m.p[ZC_ICMP_TYPE_OFF]; }
static inline uint8_t zc_icmp6_code(zc_icmp6 m) { return m.p[ZC_ICMP_CODE_OFF]; }
static inline uint16_t zc_icmp6_csum(zc_icmp6 m) { return zc_load_be16(m.p + ZC_ICMP_CSUM_OFF); }
static inline uint16_t zc_icmp6_id(zc_icmp6 m) { return zc_load_be16(m.p + ZC_ICMP_ID_OFF); }
static inline uint16_t zc_icmp6_seq(zc_icmp6 m) { return zc_load_be16(m.p + ZC_ICMP_SEQ_OFF); }
/* MTU of "packet too big". */
static inline uint32_t zc_icmp6_mtu(zc_icmp6 m) { return zc_load_be32(m.p + ZC_ICMP_MTU6_OFF); }
static inline uint32_t zc_icmp6_rest(zc_icmp6 m) { return zc_load_be32(m.p + ZC_ICMP_ID_OFF); }
/* Error messages are types 0..127 (RFC 4443 section 2.1). */
static inline bool zc_icmp6_is_error(zc_icmp6 m) { return zc_icmp6_type(m) < 128; }
static inline bool zc_icmp6_is_nd(zc_icmp6 m)
{
	return zc_icmp6_type(m) == ZC_ICMP6_NEIGH_SOLICIT || zc_icmp6_type(m) == ZC_ICMP6_NEIGH_ADVERT;
}
/* Target address of a neighbour solicitation or advertisement: 16 bytes. */
static inline const uint8_t *zc_icmp6_nd_target(zc_icmp6 m) { return m.p + ZC_ICMP6_ND_TARGET_OFF; }
/* Router, solicited and override flags of a neighbour advertisement. */
static inline uint8_t zc_icmp6_na_flags(zc_icmp6 m) { return m.p[ZC_ICMP_ID_OFF] & 0xe0; }
/* The message's length in bytes, header included, as the view holds it. */
static inline size_t zc_icmp6_msg_len(zc_icmp6 m) { return m.len; }
static inline zc_buf zc_icmp6_payload(zc_icmp6 m) { return zc_buf_make(m.p + ZC_ICMP_HDR_LEN, m.len - ZC_ICMP_HDR_LEN); }

/* Neighbour discovery options, after the target of an NS or NA. */
typedef struct zc_nd_opt {
	uint8_t type;
	uint16_t len;       /* bytes, the type and length bytes included */
	const uint8_t *p;   /* first byte (the type) */
} zc_nd_opt;

typedef struct zc_nd_opt_iter {
	const uint8_t *p;
	const uint8_t *end;
	unsigned steps;
} zc_nd_opt_iter;

/* An iterator over the options of an NS or NA (empty for other types). */
static inline zc_nd_opt_iter zc_icmp6_nd_opts(zc_icmp6 m)
{
	zc_nd_opt_iter it;
	size_t off = zc_icmp6_is_nd(m) ? ZC_ICMP6_ND_LEN : m.len;
	it.p = m.p + off;
	it.end = m.p + m.len;
	it.steps = 0;
	return it;
}

/*
 * Returns 1 with *o filled, 0 at the end, or a negative zc_err: ZC_E_OPTION
 * for a length of 0 or one past the end, ZC_E_TOO_DEEP past ZC_ND_MAX_OPTS.
 */
ZC_EXPORT int zc_nd_opt_next(zc_nd_opt_iter *it, zc_nd_opt *o);

/* Checksums; pseudo is zc_ipv6_pseudo(ip, m.len). */
ZC_EXPORT bool zc_icmp6_csum_ok(zc_icmp6 m, uint32_t pseudo);
ZC_EXPORT void zc_icmp6_csum_fill(zc_icmp6_rw h, uint32_t pseudo);

/* ---------------------------------------------------------------- the constructors' bodies */

/* The checks both versions share: the 8-byte header present. Not part of the API. */
static inline zc_err zc_icmp_parse_hdr_(zc_buf b, const uint8_t **p, uint32_t *len)
{
	if (ZC_UNLIKELY(!b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_ICMP_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	*p = b.p;
	*len = (uint32_t)b.len;
	return ZC_OK;
}

ZC_ICMP_API zc_err zc_icmp4_parse(zc_buf b, zc_icmp4 *out)
{
	if (ZC_UNLIKELY(!out))
		return ZC_E_ARG;
	return zc_icmp_parse_hdr_(b, &out->p, &out->len);
}

ZC_ICMP_API zc_err zc_icmp6_parse(zc_buf b, zc_icmp6 *out)
{
	zc_err e;
	uint8_t t;

	if (ZC_UNLIKELY(!out))
		return ZC_E_ARG;
	e = zc_icmp_parse_hdr_(b, &out->p, &out->len);
	if (e != ZC_OK)
		return e;
	t = b.p[ZC_ICMP_TYPE_OFF];
	if ((t == ZC_ICMP6_NEIGH_SOLICIT || t == ZC_ICMP6_NEIGH_ADVERT) && b.len < ZC_ICMP6_ND_LEN)
		return ZC_E_TRUNCATED;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_ICMP_H */
