/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/internal.h - helpers shared by the library's own files; not installed.
 */
#ifndef ZC_INTERNAL_H
#define ZC_INTERNAL_H

#include "zc.h"

#define likely(x) ZC_LIKELY(x)
#define unlikely(x) ZC_UNLIKELY(x)
/* For the constructors zc_parse() must inline, whatever their size. */
#define zc_always_inline inline __attribute__((always_inline))

/*
 * After an address covered by an upper layer's pseudo-header changed from
 * old to new (n bytes: 4 or 16), updates that layer's checksum in l4 when l4
 * holds the field: TCP and UDP for any IP version, ICMPv6 when v6 is true. A
 * UDP checksum of 0 ("none") stays 0 and a result of 0 is written as 0xffff.
 */
void zc_l4_pseudo_changed(uint8_t proto, bool v6, zc_buf l4, const uint8_t *old, const uint8_t *new_, size_t n);

/* The UDP rule for a checksum about to be stored: 0 is sent as 0xffff (RFC 768). */
static inline uint16_t zc_udp_csum_wire(uint16_t c)
{
	return c ? c : 0xffff;
}

/*
 * The views' checked constructors, inlined: the exported zc_<proto>_parse()
 * functions are these, and zc_parse() calls them directly so that the
 * dissector neither goes through the PLT nor repeats their logic.
 */
static zc_always_inline zc_err zc_eth_parse_impl(zc_buf frame, zc_eth *out)
{
	size_t hlen = ZC_ETH_HDR_LEN;
	unsigned ntags = 0;

	if (unlikely(!out || !frame.p))
		return ZC_E_ARG;
	if (unlikely(frame.len < ZC_ETH_HDR_LEN))
		goto truncated;
	/* A frame longer than 4 GiB cannot be described by the view. */
	if (unlikely(frame.len > UINT32_MAX))
		return ZC_E_ARG;
	while (zc_eth_is_tpid(zc_load_be16(frame.p + hlen - 2))) {
		if (unlikely(ntags == ZC_ETH_MAX_TAGS))
			return ZC_E_TOO_DEEP;
		if (unlikely(frame.len - hlen < ZC_ETH_TAG_LEN))
			goto truncated;
		hlen += ZC_ETH_TAG_LEN;
		ntags++;
	}
	out->p = frame.p;
	out->len = (uint32_t)frame.len;
	out->hlen = (uint8_t)hlen;
	out->ntags = (uint8_t)ntags;
	return ZC_OK;

truncated:
	return ZC_E_TRUNCATED;
}

static zc_always_inline zc_err zc_ipv4_parse_impl(zc_buf b, zc_ipv4 *out, bool lax)
{
	size_t hlen, tot;

	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_IPV4_MIN_HDR_LEN))
		goto truncated;
	if (unlikely(b.len > UINT32_MAX))
		return ZC_E_ARG;
	if (unlikely((b.p[0] >> 4) != 4))
		return ZC_E_VERSION;
	hlen = (size_t)(b.p[0] & 0x0f) * 4;
	if (unlikely(hlen < ZC_IPV4_MIN_HDR_LEN))
		return ZC_E_HDR_LEN;
	if (unlikely(hlen > b.len))
		goto truncated;
	tot = zc_load_be16(b.p + ZC_IPV4_TOTLEN_OFF);
	/*
	 * A total length of 0 is what segmentation offload (TSO, and Linux
	 * BIG TCP past 64 KiB) leaves in a super-packet: the datagram is the
	 * whole buffer. Captures taken on the sending host show it too.
	 */
	if (tot == 0)
		tot = b.len;
	if (unlikely(tot < hlen))
		return ZC_E_LENGTH;
	if (unlikely(tot > b.len)) {
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

/* True for the IPv6 next-header values the extension-header walk steps over. */
static inline bool zc_ipv6_is_ext(uint8_t nh)
{
	return nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_ROUTING || nh == ZC_IPPROTO_FRAGMENT ||
	       nh == ZC_IPPROTO_DSTOPTS || nh == ZC_IPPROTO_AH;
}

/*
 * Length in bytes of the extension header of type nh whose first two bytes
 * are at h: the fragment header is fixed (RFC 8200 section 4.5), AH counts
 * 4-byte words minus 2 (RFC 4302 section 2.2), the others count 8-byte words
 * after the first 8.
 */
static inline size_t zc_ipv6_ext_len(uint8_t nh, const uint8_t *h)
{
	if (nh == ZC_IPPROTO_FRAGMENT)
		return ZC_IPV6_FRAG_HDR_LEN;
	if (nh == ZC_IPPROTO_AH)
		return ((size_t)h[1] + 2) * 4;
	return ((size_t)h[1] + 1) * 8;
}

static zc_always_inline zc_err zc_ipv6_parse_impl(zc_buf b, zc_ipv6 *out, bool lax)
{
	size_t plen, have, end, off = ZC_IPV6_HDR_LEN, elen;
	unsigned n;
	uint8_t nh;

	if (unlikely(!out || !b.p))
		return ZC_E_ARG;
	if (unlikely(b.len < ZC_IPV6_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely((b.p[0] >> 4) != 6))
		return ZC_E_VERSION;
	plen = zc_load_be16(b.p + ZC_IPV6_PLEN_OFF);
	have = plen;
	if (unlikely(b.len - ZC_IPV6_HDR_LEN < plen)) {
		if (!lax)
			return ZC_E_TRUNCATED;
		have = b.len - ZC_IPV6_HDR_LEN;
	}
	end = ZC_IPV6_HDR_LEN + have; /* the bytes present */
	out->p = b.p;
	out->plen = (uint16_t)have;
	out->flags = 0;
	out->frag_off = 0;
	nh = b.p[ZC_IPV6_NXT_OFF];
	for (n = 0; unlikely(zc_ipv6_is_ext(nh)); n++) {
		if (unlikely(n == ZC_IPV6_MAX_EXT))
			return ZC_E_TOO_DEEP;
		/* Declared bounds first: a header past the payload length is invalid. */
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < 2))
			return ZC_E_LENGTH;
		if (unlikely(end - off < 2))
			break; /* lax only: cut inside this header */
		elen = zc_ipv6_ext_len(nh, b.p + off);
		if (unlikely(ZC_IPV6_HDR_LEN + plen - off < elen))
			return ZC_E_LENGTH;
		if (unlikely(end - off < elen))
			break; /* lax only */
		/* RFC 8200 section 4.2: an option that runs past its header is malformed. */
		if (unlikely(nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_DSTOPTS) &&
		    unlikely(zc_ipv6_opts_check(b.p + off, elen) != ZC_OK))
			return ZC_E_OPTION;
		if (nh == ZC_IPPROTO_FRAGMENT) {
			out->flags |= ZC_IPV6_F_FRAG;
			out->frag_off = (uint16_t)off;
			nh = b.p[off];
			off += elen;
			/* A later fragment does not start with the next header. */
			if (zc_load_be16(b.p + off - elen + 2) & ZC_IPV6_FRAG_MASK)
				break;
			continue;
		}
		nh = b.p[off];
		off += elen;
	}
	out->l4_off = (uint16_t)off;
	out->proto = nh;
	return ZC_OK;
}

static zc_always_inline zc_err zc_tcp_parse_impl(zc_buf seg, zc_tcp *out)
{
	size_t hlen;

	if (unlikely(!out || !seg.p))
		return ZC_E_ARG;
	if (unlikely(seg.len < ZC_TCP_MIN_HDR_LEN))
		return ZC_E_TRUNCATED;
	if (unlikely(seg.len > UINT32_MAX))
		return ZC_E_ARG;
	hlen = (size_t)(seg.p[ZC_TCP_DOFF_OFF] >> 4) * 4;
	if (unlikely(hlen < ZC_TCP_MIN_HDR_LEN))
		return ZC_E_HDR_LEN;
	if (unlikely(hlen > seg.len))
		return ZC_E_TRUNCATED;
	out->p = seg.p;
	out->len = (uint32_t)seg.len;
	return ZC_OK;
}

static zc_always_inline zc_err zc_udp_parse_impl(zc_buf d, zc_udp *out, bool lax)
{
	size_t ulen;

	if (unlikely(!out || !d.p))
		return ZC_E_ARG;
	if (unlikely(d.len < ZC_UDP_HDR_LEN))
		return ZC_E_TRUNCATED;
	ulen = zc_load_be16(d.p + ZC_UDP_LEN_OFF);
	if (unlikely(ulen < ZC_UDP_HDR_LEN))
		return ZC_E_LENGTH;
	if (unlikely(ulen > d.len)) {
		if (!lax)
			return ZC_E_TRUNCATED;
		ulen = d.len;
	}
	out->p = d.p;
	out->len = (uint32_t)ulen;
	return ZC_OK;
}

#endif /* ZC_INTERNAL_H */
