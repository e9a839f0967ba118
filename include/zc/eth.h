/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/eth.h - Ethernet II frames with 802.1Q / 802.1ad VLAN tags.
 *
 * Layout (IEEE 802.3 clause 3, 802.1Q clause 9): destination (6), source (6),
 * then zero or more 4-byte tags (TPID 0x8100, 0x88a8 or 0x9100, then a 16-bit
 * TCI whose low 12 bits are the VLAN ID), then the ethertype. A type/length
 * value below 0x0600 is an 802.3 length rather than an ethertype.
 *
 * After zc_eth_parse() succeeds no accessor can fail or read outside the
 * frame. The view keeps the frame length because the header cannot tell where
 * the frame ends.
 */
#ifndef ZC_ETH_H
#define ZC_ETH_H

#include "zc/buf.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/eth.c defines ZC_ETH_EXTERN and compiles the exported twins. */
#ifdef ZC_ETH_EXTERN
#define ZC_ETH_API ZC_EXPORT
#else
#define ZC_ETH_API static inline
#endif

/* Field offsets and sizes. */
#define ZC_ETH_DST_OFF 0
#define ZC_ETH_SRC_OFF 6
#define ZC_ETH_TYPE_OFF 12
#define ZC_ETH_HDR_LEN 14   /* without tags */
#define ZC_ETH_ADDR_LEN 6
#define ZC_ETH_TAG_LEN 4
#define ZC_ETH_MAX_TAGS 4   /* more tags than this: ZC_E_TOO_DEEP */

/* Ethertypes. */
#define ZC_ETH_P_IPV4 0x0800
#define ZC_ETH_P_ARP 0x0806
#define ZC_ETH_P_VLAN 0x8100  /* 802.1Q customer tag */
#define ZC_ETH_P_QINQ 0x88a8  /* 802.1ad service tag */
#define ZC_ETH_P_QINQ_OLD 0x9100
#define ZC_ETH_P_IPV6 0x86dd
#define ZC_ETH_P_TEB 0x6558   /* transparent Ethernet bridging (GRE) */
#define ZC_ETH_MIN_TYPE 0x0600  /* smaller values are 802.3 lengths */

typedef struct zc_eth {
	const uint8_t *p;    /* first byte of the destination address */
	uint32_t len;  /* whole frame, header included */
	uint8_t hlen;  /* header bytes: 14 + 4 per tag */
	uint8_t ntags; /* VLAN tags walked */
} zc_eth;

/* True for the TPIDs that introduce a VLAN tag. */
static inline bool zc_eth_is_tpid(uint16_t type)
{
	return type == ZC_ETH_P_VLAN || type == ZC_ETH_P_QINQ || type == ZC_ETH_P_QINQ_OLD;
}

/*
 * Validates a frame: 14 bytes at least, each tag present in full, no more
 * than ZC_ETH_MAX_TAGS tags. Errors: ZC_E_TRUNCATED, ZC_E_TOO_DEEP, ZC_E_ARG.
 */
ZC_ETH_API zc_err zc_eth_parse(zc_buf frame, zc_eth *out);

/* zc_eth_rw, zc_eth_ro(), zc_eth_rw_of(), zc_eth_parse_rw(): see <zc/buf.h>. */
ZC_RW_HANDLE(eth, ZC_VIEW_LEN)

/* Destination and source addresses: 6 bytes each, inside the frame. */
static inline const uint8_t *zc_eth_dst(zc_eth e) { return e.p + ZC_ETH_DST_OFF; }
static inline const uint8_t *zc_eth_src(zc_eth e) { return e.p + ZC_ETH_SRC_OFF; }

/* The ethertype (or 802.3 length) after the tags. */
static inline uint16_t zc_eth_type(zc_eth e) { return zc_load_be16(e.p + e.hlen - 2); }

/* True when the type field is an 802.3 length, not an ethertype. */
static inline bool zc_eth_is_8023(zc_eth e) { return zc_eth_type(e) < ZC_ETH_MIN_TYPE; }

/* Header length in bytes (14 plus 4 per tag). */
static inline size_t zc_eth_hdr_len(zc_eth e) { return e.hlen; }
/* The frame's length in bytes, header included, as the view holds it. */
static inline size_t zc_eth_frame_len(zc_eth e) { return e.len; }

/* Number of VLAN tags. */
static inline unsigned zc_eth_ntags(zc_eth e) { return e.ntags; }

/* The TPID of tag i (outermost is 0); i must be below zc_eth_ntags(). */
static inline uint16_t zc_eth_tag_tpid(zc_eth e, unsigned i)
{
	return zc_load_be16(e.p + ZC_ETH_TYPE_OFF + ZC_ETH_TAG_LEN * i);
}

/* The tag control information (PCP 3 bits, DEI 1 bit, VID 12 bits) of tag i. */
static inline uint16_t zc_eth_tag_tci(zc_eth e, unsigned i)
{
	return zc_load_be16(e.p + ZC_ETH_TYPE_OFF + 2 + ZC_ETH_TAG_LEN * i);
}

/* The VLAN ID (0..4095) of tag i. */
static inline uint16_t zc_eth_vlan_id(zc_eth e, unsigned i) { return zc_eth_tag_tci(e, i) & 0x0fff; }

/* The priority code point (0..7) of tag i. */
static inline uint8_t zc_eth_vlan_pcp(zc_eth e, unsigned i) { return (uint8_t)(zc_eth_tag_tci(e, i) >> 13); }

/* Everything after the header, to the end of the frame (padding included). */
static inline zc_buf zc_eth_payload(zc_eth e)
{
	return zc_buf_make(e.p + e.hlen, e.len - e.hlen);
}

/* Rewrites the addresses in place (Ethernet has no checksum to keep). */
ZC_EXPORT void zc_eth_set_dst(zc_eth_rw h, const uint8_t addr[6]);
ZC_EXPORT void zc_eth_set_src(zc_eth_rw h, const uint8_t addr[6]);

/* ---------------------------------------------------------------- the constructor's body */

ZC_ETH_API zc_err zc_eth_parse(zc_buf frame, zc_eth *out)
{
	size_t hlen = ZC_ETH_HDR_LEN;
	unsigned ntags = 0;
	uint16_t type;

	if (ZC_UNLIKELY(!out || !frame.p))
		return ZC_E_ARG;
	/* Fewer than 14 bytes, or more than 4 GiB (which the view cannot describe), in one compare. */
	if (ZC_UNLIKELY(frame.len - ZC_ETH_HDR_LEN > (size_t)UINT32_MAX - ZC_ETH_HDR_LEN)) {
		if (frame.len < ZC_ETH_HDR_LEN)
			goto truncated;
		return ZC_E_ARG;
	}
	type = zc_load_be16(frame.p + ZC_ETH_TYPE_OFF);
	/* Untagged IPv4 or IPv6, nearly every frame: the compare a caller makes next decides it. */
	if (ZC_LIKELY(type == ZC_ETH_P_IPV4 || type == ZC_ETH_P_IPV6))
		goto done;
	while (zc_eth_is_tpid(zc_load_be16(frame.p + hlen - 2))) {
		if (ZC_UNLIKELY(ntags == ZC_ETH_MAX_TAGS))
			return ZC_E_TOO_DEEP;
		if (ZC_UNLIKELY(frame.len - hlen < ZC_ETH_TAG_LEN))
			goto truncated;
		hlen += ZC_ETH_TAG_LEN;
		ntags++;
	}
done:
	out->p = frame.p;
	out->len = (uint32_t)frame.len;
	out->hlen = (uint8_t)hlen;
	out->ntags = (uint8_t)ntags;
	return ZC_OK;

truncated:
	return ZC_E_TRUNCATED;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_ETH_H */
