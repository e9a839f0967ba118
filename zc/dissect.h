/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/dissect.h - the dissector's shared part, for zc/pkt.c and zc/burst.c;
 * not installed: what a layer leads to, the layer records, and the straight
 * prefix for the common Ethernet frame, inlined into zc_parse() and
 * zc_parse_burst(). The general loop, zc_parse_walk(), is in zc/pkt.c.
 */
#ifndef ZC_DISSECT_H
#define ZC_DISSECT_H

#include <stddef.h>
#include <string.h>

#include "internal.h"

#define ZC_ETH_P_RARP 0x8035

/* Where zc_layer's first four fields sit in its first 8 bytes, read as one word. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ZC_LAYER_KIND_SHIFT 0
#define ZC_LAYER_DEPTH_SHIFT 8
#define ZC_LAYER_FLAGS_SHIFT 16
#define ZC_LAYER_OFF_SHIFT 32
#else
#define ZC_LAYER_KIND_SHIFT 56
#define ZC_LAYER_DEPTH_SHIFT 48
#define ZC_LAYER_FLAGS_SHIFT 40
#define ZC_LAYER_OFF_SHIFT 0
#endif
_Static_assert(offsetof(zc_layer, kind) == 0 && offsetof(zc_layer, depth) == 1 && offsetof(zc_layer, flags) == 2 &&
		       offsetof(zc_layer, off) == 4 && sizeof(((zc_layer *)0)->off) == 4,
	       "set_layer() writes the first 8 bytes of a zc_layer as one word");
/* zc_parse() clears n, cut, stop_kind and err at once, with the bytes from n up to err_off. */
#define ZC_PKT_CLEAR_OFF offsetof(zc_pkt, n)
#define ZC_PKT_CLEAR_LEN (offsetof(zc_pkt, err_off) - offsetof(zc_pkt, n))
_Static_assert(offsetof(zc_pkt, cut) > ZC_PKT_CLEAR_OFF && offsetof(zc_pkt, stop_kind) > ZC_PKT_CLEAR_OFF &&
		       offsetof(zc_pkt, err) > ZC_PKT_CLEAR_OFF &&
		       offsetof(zc_pkt, err) + sizeof(zc_err) <= offsetof(zc_pkt, err_off),
	       "the fields zc_parse() clears lie between n and err_off");

/* What a link-layer ethertype carries. */
static inline unsigned kind_of_ethertype(uint16_t t)
{
	/* IPv4 and IPv6 first, by compare, as in kind_of_ipproto(). */
	if (likely(t == ZC_ETH_P_IPV4))
		return ZC_L_IPV4;
	if (t == ZC_ETH_P_IPV6)
		return ZC_L_IPV6;
	switch (t) {
	case ZC_ETH_P_ARP:
	case ZC_ETH_P_RARP: /* RFC 903: the ARP format */
		return ZC_L_ARP;
	default:
		return ZC_L_NONE;
	}
}

/* What a tunnel's protocol type carries: an ethertype, 0x6558 for Ethernet. */
static inline unsigned kind_of_tunnel_proto(uint16_t t)
{
	return t == ZC_ETH_P_TEB ? (unsigned)ZC_L_ETH : kind_of_ethertype(t);
}

/* What an IP protocol number (or IPv6 upper-layer next header) carries. */
static inline unsigned kind_of_ipproto(uint8_t proto)
{
	/*
	 * TCP and UDP first, by compare: the switch below becomes an indirect
	 * jump, which mixed traffic mispredicts.
	 */
	if (likely(proto == ZC_IPPROTO_TCP))
		return ZC_L_TCP;
	if (proto == ZC_IPPROTO_UDP)
		return ZC_L_UDP;
	switch (proto) {
	case ZC_IPPROTO_ICMP:
		return ZC_L_ICMP4;
	case ZC_IPPROTO_ICMPV6:
		return ZC_L_ICMP6;
	case ZC_IPPROTO_IPIP:
		return ZC_L_IPV4;
	case ZC_IPPROTO_IPV6:
		return ZC_L_IPV6;
	case ZC_IPPROTO_GRE:
		return ZC_L_GRE;
	case ZC_IPPROTO_ETHERNET:
		return ZC_L_ETH;
	default:
		return ZC_L_NONE;
	}
}

/* RFC 4443 section 3: the error types 1 to 4 quote as much of the packet as fits. */
static inline bool icmp6_quotes(zc_icmp6 m)
{
	uint8_t t = zc_icmp6_type(m);

	return t >= ZC_ICMP6_DEST_UNREACH && t <= ZC_ICMP6_PARAM_PROBLEM;
}

/* The kinds that end a ZC_PARSE_OUTER walk: the transport protocols. */
static inline bool is_transport(unsigned kind)
{
	return kind == ZC_L_TCP || kind == ZC_L_UDP || kind == ZC_L_ICMP4 || kind == ZC_L_ICMP6;
}

/*
 * What an IP layer's upper-layer protocol proto carries. An outer walk
 * follows it only into a transport protocol: never into IP-in-IP, GRE or
 * Ethernet in IP.
 */
static inline unsigned kind_after_ip(uint8_t proto, bool outer)
{
	unsigned next = kind_of_ipproto(proto);

	return outer && !is_transport(next) ? (unsigned)ZC_L_NONE : next;
}

/* What a first fragment's IPv4 layer leads to; an MF fragment makes the rest partial. */
static inline unsigned kind_after_ipv4(zc_ipv4 v, bool outer, bool *partial)
{
	/* A later fragment does not start with the upper-layer header. */
	if (!zc_ipv4_is_first_fragment(v))
		return ZC_L_NONE;
	*partial = *partial || zc_ipv4_mf(v);
	return kind_after_ip(zc_ipv4_proto(v), outer);
}

static inline unsigned kind_after_ipv6(zc_ipv6 v, bool outer, bool *partial)
{
	/*
	 * A later fragment carries no upper-layer header, and a lax walk cut
	 * inside the extension headers ends on one of them, which
	 * kind_of_ipproto() does not know.
	 */
	if (zc_ipv6_frag_offset(v) != 0)
		return ZC_L_NONE;
	*partial = *partial || zc_ipv6_mf(v);
	return kind_after_ip(zc_ipv6_proto(v), outer);
}

/* UDP leads to a tunnel by its destination port, except in an outer walk. */
static inline unsigned kind_after_udp(zc_udp u, bool outer)
{
	uint16_t dport = zc_udp_dst_port(u);

	if (outer)
		return ZC_L_NONE;
	return dport == ZC_VXLAN_PORT ? (unsigned)ZC_L_VXLAN
	       : dport == ZC_GENEVE_PORT ? (unsigned)ZC_L_GENEVE
					 : (unsigned)ZC_L_NONE;
}

/* The family of a BSD loopback header; both byte orders are accepted for NULL. */
static inline unsigned kind_of_loop_af(uint32_t af)
{
	return zc_loop_af_is_ipv4(af) ? (unsigned)ZC_L_IPV4 : zc_loop_af_is_ipv6(af) ? (unsigned)ZC_L_IPV6 : (unsigned)ZC_L_NONE;
}

/* The raw-IP link types say the version with the first nibble, or fix it. */
static inline unsigned kind_of_raw(zc_buf b, int linktype)
{
	if (linktype == ZC_LINKTYPE_IPV4)
		return ZC_L_IPV4;
	if (linktype == ZC_LINKTYPE_IPV6)
		return ZC_L_IPV6;
	/* An empty or unknown-version packet fails in the IPv4 parser, which says why. */
	return b.len && (b.p[0] >> 4) == 6 ? (unsigned)ZC_L_IPV6 : (unsigned)ZC_L_IPV4;
}

static inline void set_layer(zc_layer *l, unsigned kind, unsigned depth, uint8_t flags, uint32_t off)
{
	/* The four fields in one 8-byte store. */
	uint64_t w = (uint64_t)(uint8_t)kind << ZC_LAYER_KIND_SHIFT | (uint64_t)(uint8_t)depth << ZC_LAYER_DEPTH_SHIFT |
		     (uint64_t)flags << ZC_LAYER_FLAGS_SHIFT | (uint64_t)off << ZC_LAYER_OFF_SHIFT;

	memcpy(l, &w, sizeof w);
}

/*
 * Whether the bytes an IPv4 layer hands on end where the capture ends,
 * given whether its own bytes did. They do when the view is cut. A total
 * length of 0 (an offload super-packet) makes the datagram all the bytes it
 * was given, so their end is what it was.
 */
static inline bool ipv4_open(zc_ipv4 v, bool open)
{
	return zc_ipv4_total_len_field(v) == 0 ? open : zc_ipv4_is_cut(v);
}

static inline void note_cut(zc_pkt *out, unsigned idx, unsigned kind, uint32_t off)
{
	if (out->cut)
		return;
	out->cut = 1;
	out->cut_layer = (uint8_t)idx;
	out->cut_kind = (uint8_t)kind;
	out->cut_off = off;
}

/*
 * Where parse_walk() starts, packed in one word so that zc_parse() can hand
 * over in registers, as a tail call: the kind of the next layer, the layers
 * already made, the walk's partial, open and quoted facts and its depth.
 * WALK_FROM_LINK starts from the link type instead.
 */
#define WALK_N_SHIFT 8
#define WALK_PARTIAL 0x10000u
#define WALK_OPEN 0x20000u
#define WALK_FROM_LINK 0x40000u
#define WALK_QUOTED 0x80000u
#define WALK_DEPTH_SHIFT 20

/*
 * True when a layer of kind next, following one of kind kind, is one
 * encapsulation deeper: what IP carries when it is IP or Ethernet, what a
 * tunnel header carries, and the packet an ICMP error quotes.
 */
static inline bool is_encapsulation(unsigned kind, unsigned next)
{
	switch (kind) {
	case ZC_L_IPV4:
	case ZC_L_IPV6:
		return next == ZC_L_IPV4 || next == ZC_L_IPV6 || next == ZC_L_ETH;
	case ZC_L_GRE:
		/* ERSPAN's header is part of the GRE encapsulation; the frame after it is the inner one. */
		return next != ZC_L_ERSPAN;
	case ZC_L_ICMP4:
	case ZC_L_ICMP6:
	case ZC_L_VXLAN:
	case ZC_L_GENEVE:
	case ZC_L_ERSPAN:
		return true;
	default:
		return false;
	}
}

/*
 * The general loop (zc/pkt.c): one layer per turn, from b and what state
 * says. Kept out of line so that a frame the prefix makes whole pays
 * neither for its registers nor for its stack. The frame is out->frame.
 */
__attribute__((noinline)) zc_err zc_parse_walk(zc_pkt *out, int linktype, unsigned flags, zc_buf b, unsigned state);

/* Goes on with the general loop at a layer of kind k, after n layers, with the walk's facts. */
#define HAND_OVER(k, n, facts) zc_parse_walk(out, ZC_DLT_EN10MB, flags, b, (k) | (n) << WALK_N_SHIFT | (facts))

/*
 * The common start of an Ethernet frame, made without the general loop:
 * Ethernet (its tags included), then IPv4 or IPv6, then TCP or UDP. Each
 * layer is parsed by the same constructor as in the loop, in its strict
 * form: where a strict parse succeeds, the lax one the loop might choose
 * gives the same view, and a strict view is never cut. Whatever the prefix
 * does not make (an error, a cut capture, an encapsulation after IP, IPv6
 * extension headers, a protocol other than TCP or UDP) it hands over, as a
 * tail call, to the loop, which parses that layer in the general way with
 * the facts the loop would have had: the records, errors and cut reports
 * are thus those of the loop alone. frame is an Ethernet frame of 14 bytes
 * at least and out->frame is set.
 */
/*
 * The partial fact the loop would carry past the prefix's IP layer ip: a
 * first fragment with more to come. Worked out only on the way to the loop,
 * so that a frame the prefix makes whole does not pay for it.
 */
static inline __attribute__((always_inline)) unsigned prefix_facts(const zc_layer *ip)
{
	bool mf = ip->kind == ZC_L_IPV4 ? zc_ipv4_mf(ip->v.ipv4) : zc_ipv6_mf(ip->v.ipv6);

	return mf ? WALK_PARTIAL : 0;
}

/*
 * The open fact the loop would carry past the prefix's strict IP layer: the
 * bytes end at its declared length, except in an IPv4 offload super-packet
 * (a total length of 0), whose datagram is all the frame had.
 */
static inline __attribute__((always_inline)) unsigned prefix_open(const zc_layer *ip)
{
	return ip->kind == ZC_L_IPV4 && ipv4_open(ip->v.ipv4, true) ? WALK_OPEN : 0;
}

/* The prefix's TCP layer, over b, the payload of its IP layer l[1]; frame starts at start. */
static inline __attribute__((always_inline)) zc_err prefix_tcp(zc_pkt *out, unsigned flags, zc_buf b,
							       const uint8_t *start)
{
	zc_layer *l = out->l;

	/* An IP view's payload is within its 32-bit length: the parser need not check. */
	if (b.len > UINT32_MAX)
		__builtin_unreachable();
	if (unlikely(zc_tcp_parse(b, &l[2].v.tcp) != ZC_OK))
		return HAND_OVER(ZC_L_TCP, 2, prefix_facts(&l[1]) | prefix_open(&l[1]));
	set_layer(&l[2], ZC_L_TCP, 0, 0, (uint32_t)(b.p - start));
	out->n = 3;
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err parse_prefix(zc_pkt *out, unsigned flags, zc_buf b)
{
	const bool outer = (flags & ZC_PARSE_OUTER) != 0;
	zc_layer *l = out->l;
	const uint8_t *start = b.p;
	unsigned next;
	bool partial = false; /* prefix_facts() says it when it matters */
	zc_eth eth;
	zc_buf pl;

	/* zc_parse() has checked the frame's length: this decides untagged IPv4 or IPv6 by one compare each. */
	if (unlikely(zc_eth_parse(b, &eth) != ZC_OK))
		return HAND_OVER(ZC_L_ETH, 0, WALK_OPEN);
	next = kind_of_ethertype(zc_eth_type(eth));
	/* Member by member: a copy of the whole struct would carry a local's padding into the record. */
	l[0].v.eth.p = eth.p;
	l[0].v.eth.len = eth.len;
	l[0].v.eth.hlen = eth.hlen;
	l[0].v.eth.ntags = eth.ntags;
	set_layer(&l[0], ZC_L_ETH, 0, 0, 0);
	/*
	 * The payload from the view's values, not from the record: a store
	 * into out may alias the frame's bytes (both are bytes to the
	 * compiler), so what is read back from a record, or from the frame
	 * after a record was written, is loaded again.
	 */
	b.p = start + eth.hlen;
	b.len = eth.len - eth.hlen;
	if (likely(next == ZC_L_IPV4)) {
		zc_ipv4 v;
		zc_err e;
		bool tcp;

		/*
		 * Nearly every header is version 4 with no options: tested
		 * first, the byte lets the compiler drop the constructor's
		 * version and header-length checks from this copy.
		 */
		if (likely(b.len >= ZC_IPV4_MIN_HDR_LEN && b.p[0] == 0x45))
			e = zc_ipv4_parse(b, &v);
		else
			e = zc_ipv4_parse(b, &v);
		if (unlikely(e != ZC_OK))
			return HAND_OVER(ZC_L_IPV4, 1, WALK_OPEN);
		/* What the prefix needs of the header is read before its record is written. */
		pl = zc_ipv4_payload(v);
		/* TCP tested on the protocol byte itself: one compare decides the common case. */
		tcp = zc_ipv4_proto(v) == ZC_IPPROTO_TCP && zc_ipv4_is_first_fragment(v);
		l[1].v.ipv4.p = v.p;
		l[1].v.ipv4.len = v.len;
		set_layer(&l[1], ZC_L_IPV4, 0, 0, (uint32_t)(b.p - start));
		if (likely(tcp))
			return prefix_tcp(out, flags, pl, start);
		next = kind_after_ipv4(v, outer, &partial);
	} else if (next == ZC_L_IPV6) {
		zc_ipv6 *v = &l[1].v.ipv6;

		/*
		 * Extension headers are left to the loop: without the call
		 * to their walk the prefix is a leaf, and zc_parse() saves
		 * no register on the way in.
		 */
		if (unlikely(b.len < ZC_IPV6_HDR_LEN || zc_ipv6_needs_walk(b.p[ZC_IPV6_NXT_OFF])))
			return HAND_OVER(ZC_L_IPV6, 1, WALK_OPEN);
		if (unlikely(zc_ipv6_parse(b, v) != ZC_OK))
			return HAND_OVER(ZC_L_IPV6, 1, WALK_OPEN);
		set_layer(&l[1], ZC_L_IPV6, 0, 0, (uint32_t)(b.p - start));
		pl = zc_ipv6_payload(*v);
		if (likely(zc_ipv6_proto(*v) == ZC_IPPROTO_TCP && zc_ipv6_frag_offset(*v) == 0))
			return prefix_tcp(out, flags, pl, start);
		next = kind_after_ipv6(*v, outer, &partial);
	} else if (next == ZC_L_NONE) {
		out->n = 1;
		return ZC_OK;
	} else {
		return HAND_OVER(next, 1, WALK_OPEN);
	}
	/* After a strict IP view the bytes end where its length says (prefix_open() tells the exception). */
	b = pl;
	/* An IP view's payload is within its 32-bit length: the UDP parser need not check. */
	if (pl.len > UINT32_MAX)
		__builtin_unreachable();
	if (next == ZC_L_TCP)
		return prefix_tcp(out, flags, pl, start);
	if (next == ZC_L_UDP) {
		zc_udp *u = &l[2].v.udp;

		if (unlikely(zc_udp_parse(pl, u) != ZC_OK))
			return HAND_OVER(ZC_L_UDP, 2, prefix_facts(&l[1]) | prefix_open(&l[1]));
		set_layer(&l[2], ZC_L_UDP, 0, 0, (uint32_t)(pl.p - start));
		next = kind_after_udp(*u, outer);
		if (likely(next == ZC_L_NONE)) {
			out->n = 3;
			return ZC_OK;
		}
		/* A strict UDP view is whole: its payload ends at its length, even in a super-packet (not open). */
		b = zc_udp_payload(*u);
		return HAND_OVER(next, 3, prefix_facts(&l[1]));
	}
	if (next == ZC_L_NONE) {
		out->n = 2;
		return ZC_OK;
	}
	/* What an IP layer encapsulates is one level deeper: the loop takes it from there. */
	if (is_encapsulation(ZC_L_IPV4, next))
		return HAND_OVER(next, 2, 1u << WALK_DEPTH_SHIFT | prefix_facts(&l[1]) | prefix_open(&l[1]));
	/*
	 * ICMP and ICMPv6 end the walk, or, for an error outside an outer
	 * walk, lead the loop into the quoted packet (RFC 792, RFC 4443
	 * section 3), which is partial by design.
	 */
	if (next == ZC_L_ICMP4) {
		if (unlikely(zc_icmp4_parse(pl, &l[2].v.icmp4) != ZC_OK))
			return HAND_OVER(next, 2, prefix_facts(&l[1]) | prefix_open(&l[1]));
		set_layer(&l[2], ZC_L_ICMP4, 0, 0, (uint32_t)(pl.p - start));
		if (!outer && zc_icmp4_is_error(l[2].v.icmp4)) {
			b = zc_icmp4_payload(l[2].v.icmp4);
			return HAND_OVER(ZC_L_IPV4, 3, 1u << WALK_DEPTH_SHIFT | WALK_QUOTED | WALK_PARTIAL | prefix_open(&l[1]));
		}
		out->n = 3;
		return ZC_OK;
	}
	if (next == ZC_L_ICMP6) {
		if (unlikely(zc_icmp6_parse(pl, &l[2].v.icmp6) != ZC_OK))
			return HAND_OVER(next, 2, prefix_facts(&l[1]) | prefix_open(&l[1]));
		set_layer(&l[2], ZC_L_ICMP6, 0, 0, (uint32_t)(pl.p - start));
		if (!outer && icmp6_quotes(l[2].v.icmp6)) {
			b = zc_icmp6_payload(l[2].v.icmp6);
			return HAND_OVER(ZC_L_IPV6, 3, 1u << WALK_DEPTH_SHIFT | WALK_QUOTED | WALK_PARTIAL | prefix_open(&l[1]));
		}
		out->n = 3;
		return ZC_OK;
	}
	return HAND_OVER(next, 2, prefix_facts(&l[1]) | prefix_open(&l[1]));
}

/*
 * zc_parse() once out is known not to be NULL; zc_parse() and
 * zc_parse_burst() inline it.
 */
static inline __attribute__((always_inline)) zc_err zc_dissect_one(zc_buf frame, int linktype, unsigned flags,
								    zc_pkt *out)
{
	/* Two stores clear n, cut, stop_kind and err; n is stored again on every way out. */
	out->frame = frame;
	memset((char *)out + ZC_PKT_CLEAR_OFF, 0, ZC_PKT_CLEAR_LEN);
	/*
	 * The general loop takes other link types, the flag that asks for it,
	 * and a frame it fails (no bytes, fewer than an Ethernet header, more
	 * than a view can describe): one compare for the two lengths.
	 */
	if (unlikely(linktype != ZC_DLT_EN10MB || (flags & ZC_PARSE_GENERAL) || !frame.p ||
		     frame.len - ZC_ETH_HDR_LEN > (size_t)UINT32_MAX - ZC_ETH_HDR_LEN))
		return zc_parse_walk(out, linktype, flags, frame, WALK_OPEN | WALK_FROM_LINK);
	return parse_prefix(out, flags, frame);
}

#endif /* ZC_DISSECT_H */
