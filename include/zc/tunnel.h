/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/tunnel.h - encapsulation headers: VXLAN (RFC 7348), Geneve (RFC 8926),
 * GRE (RFC 2784, RFC 2890) and ERSPAN over GRE.
 *
 * Each view keeps the length of the bytes it was made from, because none of
 * these headers tells where its payload ends: the enclosing UDP datagram or
 * IP packet does. After the parse succeeds no accessor can fail or read
 * outside those bytes.
 */
#ifndef ZC_TUNNEL_H
#define ZC_TUNNEL_H

#include "zc/buf.h"
#include "zc/csum.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/tunnel.c defines ZC_TUNNEL_EXTERN and compiles the exported twins. */
#ifdef ZC_TUNNEL_EXTERN
#define ZC_TUNNEL_API ZC_EXPORT
#else
#define ZC_TUNNEL_API static inline
#endif

/* ---------------------------------------------------------------- VXLAN */

/* Layout (RFC 7348 section 5): flags (1), reserved (3), VNI (3), reserved (1). */
#define ZC_VXLAN_FLAGS_OFF 0
#define ZC_VXLAN_VNI_OFF 4
#define ZC_VXLAN_HDR_LEN 8
#define ZC_VXLAN_PORT 4789
#define ZC_VXLAN_F_I 0x08   /* the VNI is valid */

typedef struct zc_vxlan {
	const uint8_t *p;   /* first byte of the header */
	uint32_t len; /* header and encapsulated frame */
} zc_vxlan;

/*
 * Validates the header: 8 bytes present. A clear I flag is accepted (the
 * VNI is then meaningless; see zc_vxlan_has_vni()). Errors: ZC_E_TRUNCATED,
 * ZC_E_ARG.
 */
ZC_TUNNEL_API zc_err zc_vxlan_parse(zc_buf b, zc_vxlan *out);

static inline uint8_t zc_vxlan_flags(zc_vxlan v) { return v.p[ZC_VXLAN_FLAGS_OFF]; }
/* True when the I flag says the VNI is valid. */
static inline bool zc_vxlan_has_vni(zc_vxlan v) { return (v.p[ZC_VXLAN_FLAGS_OFF] & ZC_VXLAN_F_I) != 0; }
/* The 24-bit VXLAN network identifier. */
static inline uint32_t zc_vxlan_vni(zc_vxlan v) { return zc_load_be32(v.p + ZC_VXLAN_VNI_OFF) >> 8; }
/* The encapsulated Ethernet frame. */
static inline zc_buf zc_vxlan_payload(zc_vxlan v)
{
	return zc_buf_make(v.p + ZC_VXLAN_HDR_LEN, v.len - ZC_VXLAN_HDR_LEN);
}

/* ---------------------------------------------------------------- Geneve */

/*
 * Layout (RFC 8926 section 3.4): version (2 bits) and options length in
 * 4-byte words (6 bits), O and C flags, protocol type (2), VNI (3),
 * reserved (1), then the options.
 */
#define ZC_GENEVE_VER_OPTLEN_OFF 0
#define ZC_GENEVE_FLAGS_OFF 1
#define ZC_GENEVE_PROTO_OFF 2
#define ZC_GENEVE_VNI_OFF 4
#define ZC_GENEVE_HDR_LEN 8   /* without options */
#define ZC_GENEVE_PORT 6081
#define ZC_GENEVE_F_OAM 0x80
#define ZC_GENEVE_F_CRITICAL 0x40

typedef struct zc_geneve {
	const uint8_t *p;   /* first byte of the header */
	uint32_t len; /* header, options and encapsulated packet */
} zc_geneve;

/*
 * Validates the header: version 0, the 8 fixed bytes and the options the
 * length declares present. Errors: ZC_E_TRUNCATED, ZC_E_UNSUPPORTED (another
 * version), ZC_E_ARG.
 */
ZC_TUNNEL_API zc_err zc_geneve_parse(zc_buf b, zc_geneve *out);

static inline uint8_t zc_geneve_version(zc_geneve g) { return g.p[0] >> 6; }
/* Bytes of options (0..252). */
static inline size_t zc_geneve_opt_len(zc_geneve g) { return (size_t)(g.p[0] & 0x3f) * 4; }
/* Header length in bytes, options included. */
static inline size_t zc_geneve_hdr_len(zc_geneve g) { return ZC_GENEVE_HDR_LEN + zc_geneve_opt_len(g); }
static inline bool zc_geneve_oam(zc_geneve g) { return (g.p[ZC_GENEVE_FLAGS_OFF] & ZC_GENEVE_F_OAM) != 0; }
static inline bool zc_geneve_critical(zc_geneve g) { return (g.p[ZC_GENEVE_FLAGS_OFF] & ZC_GENEVE_F_CRITICAL) != 0; }
/* The ethertype of the payload: 0x6558 for Ethernet, 0x0800, 0x86dd. */
static inline uint16_t zc_geneve_proto(zc_geneve g) { return zc_load_be16(g.p + ZC_GENEVE_PROTO_OFF); }
static inline uint32_t zc_geneve_vni(zc_geneve g) { return zc_load_be32(g.p + ZC_GENEVE_VNI_OFF) >> 8; }
static inline zc_buf zc_geneve_options(zc_geneve g)
{
	return zc_buf_make(g.p + ZC_GENEVE_HDR_LEN, zc_geneve_opt_len(g));
}
static inline zc_buf zc_geneve_payload(zc_geneve g)
{
	size_t h = zc_geneve_hdr_len(g);
	return zc_buf_make(g.p + h, g.len - h);
}

/* ---------------------------------------------------------------- GRE */

/*
 * Layout (RFC 2784 section 2, RFC 2890 section 2): C, R, K, S bits and
 * version (2), protocol type (2), then checksum and reserved (4) when C is
 * set, key (4) when K is set, sequence number (4) when S is set, in that
 * order. Only version 0 is handled; version 1 is PPTP's enhanced GRE
 * (RFC 2637). The R bit and source routes of RFC 1701 are not supported.
 */
#define ZC_GRE_FLAGS_OFF 0
#define ZC_GRE_PROTO_OFF 2
#define ZC_GRE_MIN_HDR_LEN 4
#define ZC_GRE_MAX_HDR_LEN 16
#define ZC_GRE_F_CSUM 0x8000
#define ZC_GRE_F_ROUTING 0x4000
#define ZC_GRE_F_KEY 0x2000
#define ZC_GRE_F_SEQ 0x1000
#define ZC_GRE_VER_MASK 0x0007

typedef struct zc_gre {
	const uint8_t *p;   /* first byte of the header */
	uint32_t len; /* header and payload */
	uint8_t hlen; /* header bytes: 4 to 16 */
} zc_gre;

/*
 * Validates the header: version 0, no routing, and the optional fields its
 * bits announce present. Errors: ZC_E_TRUNCATED, ZC_E_UNSUPPORTED (another
 * version or the R bit), ZC_E_ARG.
 */
ZC_TUNNEL_API zc_err zc_gre_parse(zc_buf b, zc_gre *out);

/* The first 16-bit word: flag bits, reserved bits and version. */
static inline uint16_t zc_gre_flags(zc_gre g) { return zc_load_be16(g.p + ZC_GRE_FLAGS_OFF); }
static inline bool zc_gre_has_csum(zc_gre g) { return (zc_gre_flags(g) & ZC_GRE_F_CSUM) != 0; }
static inline bool zc_gre_has_key(zc_gre g) { return (zc_gre_flags(g) & ZC_GRE_F_KEY) != 0; }
static inline bool zc_gre_has_seq(zc_gre g) { return (zc_gre_flags(g) & ZC_GRE_F_SEQ) != 0; }
/* The ethertype of the payload (0x6558: transparent Ethernet bridging). */
static inline uint16_t zc_gre_proto(zc_gre g) { return zc_load_be16(g.p + ZC_GRE_PROTO_OFF); }
static inline size_t zc_gre_hdr_len(zc_gre g) { return g.hlen; }
/* The checksum field; 0 without the C bit. */
static inline uint16_t zc_gre_csum(zc_gre g) { return zc_gre_has_csum(g) ? zc_load_be16(g.p + 4) : 0; }
/* The key (RFC 2890 section 2.1); 0 without the K bit. */
static inline uint32_t zc_gre_key(zc_gre g)
{
	return zc_gre_has_key(g) ? zc_load_be32(g.p + 4 + (zc_gre_has_csum(g) ? 4 : 0)) : 0;
}
/* The sequence number (RFC 2890 section 2.2); 0 without the S bit. */
static inline uint32_t zc_gre_seq(zc_gre g)
{
	return zc_gre_has_seq(g) ? zc_load_be32(g.p + g.hlen - 4) : 0;
}
/* The GRE packet's length in bytes, header and payload, as the view holds it. */
static inline size_t zc_gre_pkt_len(zc_gre g) { return g.len; }
static inline zc_buf zc_gre_payload(zc_gre g) { return zc_buf_make(g.p + g.hlen, g.len - g.hlen); }

/*
 * True when the checksum (over header and payload, RFC 2784 section 2.5)
 * verifies, or when the C bit says there is none.
 */
ZC_EXPORT bool zc_gre_csum_ok(zc_gre g);

/* ---------------------------------------------------------------- ERSPAN */

/*
 * Cisco's Encapsulated Remote SPAN over GRE (draft-foschiano-erspan): GRE
 * protocol 0x88be without a sequence number is type I, which has no header
 * of its own; with one it is type II, an 8-byte header of version 1. GRE
 * protocol 0x22eb is type III: a 12-byte header of version 2, followed by
 * an 8-byte platform subheader when its O flag is set. The mirrored frame
 * follows; type III may say it is not Ethernet (zc_erspan_is_eth()).
 */
#define ZC_GRE_P_ERSPAN 0x88be
#define ZC_GRE_P_ERSPAN3 0x22eb
#define ZC_ERSPAN2_HDR_LEN 8
#define ZC_ERSPAN3_HDR_LEN 12
#define ZC_ERSPAN3_SUBHDR_LEN 8
#define ZC_ERSPAN3_F_O 0x01     /* in byte 11: the platform subheader follows */

typedef struct zc_erspan {
	const uint8_t *p;   /* first byte of the header (of the frame for type I) */
	uint32_t len; /* header and mirrored frame */
	uint8_t hlen; /* 0, 8, 12 or 20 */
	uint8_t type; /* 1, 2 or 3 */
} zc_erspan;

/*
 * Validates the header of the given type (1, 2 or 3, as the GRE header
 * says: see above). Errors: ZC_E_TRUNCATED, ZC_E_UNSUPPORTED (a version
 * field that does not match the type), ZC_E_ARG (type out of range).
 */
ZC_TUNNEL_API zc_err zc_erspan_parse(zc_buf b, unsigned type, zc_erspan *out);

static inline unsigned zc_erspan_type(zc_erspan s) { return s.type; }
static inline size_t zc_erspan_hdr_len(zc_erspan s) { return s.hlen; }
/* The version field: 1 for type II, 2 for type III; 0 for type I, which has none. */
static inline uint8_t zc_erspan_version(zc_erspan s) { return s.type == 1 ? 0 : (uint8_t)(s.p[0] >> 4); }
/* The original VLAN (12 bits); 0 for type I. */
static inline uint16_t zc_erspan_vlan(zc_erspan s) { return s.type == 1 ? 0 : (uint16_t)(zc_load_be16(s.p) & 0x0fff); }
/* The session ID (10 bits); 0 for type I. */
static inline uint16_t zc_erspan_session(zc_erspan s) { return s.type == 1 ? 0 : (uint16_t)(zc_load_be16(s.p + 2) & 0x03ff); }
/* True when the mirrored frame is Ethernet (type III may carry others). */
static inline bool zc_erspan_is_eth(zc_erspan s) { return s.type != 3 || ((s.p[10] >> 2) & 0x1f) == 0; }
static inline zc_buf zc_erspan_payload(zc_erspan s) { return zc_buf_make(s.p + s.hlen, s.len - s.hlen); }

/* ---------------------------------------------------------------- the constructors' bodies */

ZC_TUNNEL_API zc_err zc_vxlan_parse(zc_buf b, zc_vxlan *out)
{
	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_VXLAN_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	return ZC_OK;
}

ZC_TUNNEL_API zc_err zc_geneve_parse(zc_buf b, zc_geneve *out)
{
	size_t hlen;

	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_GENEVE_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	/* RFC 8926 section 3.4: a packet of an unknown version must be dropped. */
	if (ZC_UNLIKELY((b.p[0] >> 6) != 0))
		return ZC_E_UNSUPPORTED;
	hlen = ZC_GENEVE_HDR_LEN + (size_t)(b.p[0] & 0x3f) * 4;
	if (ZC_UNLIKELY(hlen > b.len))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	return ZC_OK;
}

ZC_TUNNEL_API zc_err zc_gre_parse(zc_buf b, zc_gre *out)
{
	uint16_t w;
	size_t hlen = ZC_GRE_MIN_HDR_LEN;

	if (ZC_UNLIKELY(!out || !b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < ZC_GRE_MIN_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	w = zc_load_be16(b.p + ZC_GRE_FLAGS_OFF);
	if (ZC_UNLIKELY((w & ZC_GRE_VER_MASK) != 0 || (w & ZC_GRE_F_ROUTING)))
		return ZC_E_UNSUPPORTED;
	hlen += (w & ZC_GRE_F_CSUM) ? 4 : 0;
	hlen += (w & ZC_GRE_F_KEY) ? 4 : 0;
	hlen += (w & ZC_GRE_F_SEQ) ? 4 : 0;
	if (ZC_UNLIKELY(hlen > b.len))
		return ZC_E_TRUNCATED;
	out->p = b.p;
	out->len = (uint32_t)b.len;
	out->hlen = (uint8_t)hlen;
	return ZC_OK;
}

ZC_TUNNEL_API zc_err zc_erspan_parse(zc_buf b, unsigned type, zc_erspan *out)
{
	size_t hlen;

	if (ZC_UNLIKELY(!out || !b.p || type < 1 || type > 3))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	if (type == 1) {
		hlen = 0;
	} else {
		hlen = type == 2 ? ZC_ERSPAN2_HDR_LEN : ZC_ERSPAN3_HDR_LEN;
		if (ZC_UNLIKELY(b.len < hlen))
			return ZC_E_TRUNCATED;
		/* The version field says 1 for type II and 2 for type III. */
		if (ZC_UNLIKELY((b.p[0] >> 4) != type - 1))
			return ZC_E_UNSUPPORTED;
		if (type == 3 && (b.p[11] & ZC_ERSPAN3_F_O)) {
			hlen += ZC_ERSPAN3_SUBHDR_LEN;
			if (ZC_UNLIKELY(b.len < hlen))
				return ZC_E_TRUNCATED;
		}
	}
	out->p = b.p;
	out->len = (uint32_t)b.len;
	out->hlen = (uint8_t)hlen;
	out->type = (uint8_t)type;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_TUNNEL_H */
