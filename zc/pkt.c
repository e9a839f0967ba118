/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/pkt.c - the one-pass dissector.
 *
 * One loop, one layer per turn: the view of the layer about to be parsed is
 * made in place in its record, and the layer tells which kind comes next and
 * over which bytes. Three facts travel with the walk:
 *   - depth: encapsulations entered (tunnels, IP-in-IP, ICMP quotes);
 *   - partial: the bytes are incomplete by design (an ICMP error's quote, the
 *     first fragment of a datagram), so lengths that run past them are
 *     expected: the lax parsers are used and a header cut short ends the walk
 *     quietly;
 *   - open: the bytes end where the capture ends rather than where a
 *     declared length says, so a truncation there is a short capture (which
 *     ZC_PARSE_LAX reports instead of failing). Where they end at a declared
 *     length instead, of a layer that was not cut, a header or length that
 *     runs past them contradicts that length: the bytes are all there, so
 *     it is ZC_E_LENGTH, at any depth.
 *
 * Before the loop, an Ethernet frame goes through a straight prefix for the
 * common case (Ethernet, IPv4 or IPv6, TCP or UDP) built from the same
 * inlined constructors; it hands over to the loop at the first layer it
 * does not make, so the loop alone decides every unusual case.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

/*
 * Every view is at most 16 bytes, two registers, so that it is passed and
 * returned by value in registers; the writable handles are the views in a
 * struct of their own, of the same size.
 */
#define ZC_VIEW_FITS(t) _Static_assert(sizeof(t) <= 16, #t " is more than 16 bytes")
ZC_VIEW_FITS(zc_buf);
ZC_VIEW_FITS(zc_wbuf);
ZC_VIEW_FITS(zc_eth);
ZC_VIEW_FITS(zc_arp);
ZC_VIEW_FITS(zc_ipv4);
ZC_VIEW_FITS(zc_ipv6);
ZC_VIEW_FITS(zc_icmp4);
ZC_VIEW_FITS(zc_icmp6);
ZC_VIEW_FITS(zc_tcp);
ZC_VIEW_FITS(zc_udp);
ZC_VIEW_FITS(zc_vxlan);
ZC_VIEW_FITS(zc_geneve);
ZC_VIEW_FITS(zc_gre);
ZC_VIEW_FITS(zc_erspan);
ZC_VIEW_FITS(zc_sll);
ZC_VIEW_FITS(zc_sll2);
ZC_VIEW_FITS(zc_loop);
ZC_VIEW_FITS(zc_eth_rw);
ZC_VIEW_FITS(zc_ipv4_rw);
ZC_VIEW_FITS(zc_ipv6_rw);
ZC_VIEW_FITS(zc_icmp4_rw);
ZC_VIEW_FITS(zc_icmp6_rw);
ZC_VIEW_FITS(zc_tcp_rw);
ZC_VIEW_FITS(zc_udp_rw);
#undef ZC_VIEW_FITS

static const char *const zc_layer_names[ZC_L_KIND_COUNT] = {
	[ZC_L_NONE] = "none",   [ZC_L_ETH] = "eth",     [ZC_L_SLL] = "sll",
	[ZC_L_SLL2] = "sll2",   [ZC_L_LOOP] = "loop",   [ZC_L_ARP] = "arp",
	[ZC_L_IPV4] = "ipv4",   [ZC_L_IPV6] = "ipv6",   [ZC_L_ICMP4] = "icmp",
	[ZC_L_ICMP6] = "icmpv6", [ZC_L_TCP] = "tcp",    [ZC_L_UDP] = "udp",
	[ZC_L_VXLAN] = "vxlan", [ZC_L_GENEVE] = "geneve", [ZC_L_GRE] = "gre",
	[ZC_L_ERSPAN] = "erspan",
};

const char *zc_layer_kind_name(unsigned kind)
{
	return kind < ZC_L_KIND_COUNT ? zc_layer_names[kind] : "?";
}

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

/* What the general loop carries from one layer to the next. */
typedef struct walk {
	zc_pkt *out;
	zc_buf b;             /* the bytes of the layer about to be parsed, then of the next */
	unsigned n;           /* records made */
	unsigned next;        /* the kind of the next layer, as the step found it */
	unsigned erspan_type; /* ERSPAN's type, which the GRE header before it gives */
	int linktype;
	uint8_t lflags;       /* the record's ZC_LF_* flags */
	uint8_t quoted;       /* ZC_LF_QUOTED inside an ICMP error's quote */
	bool partial, open, lax, outer;
} walk;

/* Whether a step parses lax: bytes partial by design, or a lax walk where the capture ends. */
static inline bool walk_lax(const walk *w)
{
	return w->partial || (w->lax && w->open);
}

/* After a view that may be cut: flags the record, notes the cut where the capture ends. */
static inline void walk_cut(walk *w, bool cut, unsigned kind, uint32_t off)
{
	if (likely(!cut))
		return;
	w->lflags |= ZC_LF_CUT;
	if (!w->partial)
		note_cut(w->out, w->n, kind, off);
}

/* Each step parses one layer into l from w->b and sets w->b and w->next; off is the layer's offset. */

static inline __attribute__((always_inline)) zc_err step_eth(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_eth_parse(w->b, &l->v.eth);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = kind_of_ethertype(zc_eth_type(l->v.eth));
		w->b = zc_eth_payload(l->v.eth);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_sll(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_sll_parse(w->b, &l->v.sll);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = zc_sll_hatype(l->v.sll) == ZC_ARPHRD_NETLINK ? (unsigned)ZC_L_NONE
									: kind_of_ethertype(zc_sll_proto(l->v.sll));
		w->b = zc_sll_payload(l->v.sll);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_sll2(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_sll2_parse(w->b, &l->v.sll2);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = zc_sll2_hatype(l->v.sll2) == ZC_ARPHRD_NETLINK ? (unsigned)ZC_L_NONE
									  : kind_of_ethertype(zc_sll2_proto(l->v.sll2));
		w->b = zc_sll2_payload(l->v.sll2);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_loop(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_loop_parse(w->b, w->linktype == ZC_DLT_LOOP, &l->v.loop);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = kind_of_loop_af(zc_loop_af(l->v.loop));
		w->b = zc_loop_payload(l->v.loop);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_arp(walk *w, zc_layer *l, uint32_t off)
{
	(void)off;
	w->next = ZC_L_NONE;
	return zc_arp_parse(w->b, &l->v.arp);
}

static inline __attribute__((always_inline)) zc_err step_ipv4(walk *w, zc_layer *l, uint32_t off)
{
	zc_ipv4 *v = &l->v.ipv4;
	zc_err e = zc_ipv4_parse_mode(w->b, walk_lax(w), v);

	if (unlikely(e != ZC_OK))
		return e;
	walk_cut(w, zc_ipv4_is_cut(*v), ZC_L_IPV4, off);
	w->open = ipv4_open(*v, w->open);
	w->b = zc_ipv4_payload(*v);
	w->next = kind_after_ipv4(*v, w->outer, &w->partial);
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_ipv6(walk *w, zc_layer *l, uint32_t off)
{
	zc_ipv6 *v = &l->v.ipv6;
	zc_err e = zc_ipv6_parse_mode(w->b, walk_lax(w), v);

	if (unlikely(e != ZC_OK))
		return e;
	walk_cut(w, zc_ipv6_is_cut(*v), ZC_L_IPV6, off);
	w->open = zc_ipv6_is_cut(*v);
	w->b = zc_ipv6_payload(*v);
	w->next = kind_after_ipv6(*v, w->outer, &w->partial);
	return ZC_OK;
}

/* The walk goes into the packet an ICMP error quotes, whose bytes are partial by design. */
static void walk_into_quote(walk *w, unsigned kind, zc_buf quote)
{
	w->next = kind;
	w->b = quote;
	w->quoted = ZC_LF_QUOTED;
	w->partial = true;
}

static inline __attribute__((always_inline)) zc_err step_icmp4(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_icmp4_parse(w->b, &l->v.icmp4);

	(void)off;
	if (unlikely(e != ZC_OK))
		return e;
	w->next = ZC_L_NONE;
	/* RFC 792: the error quotes the IP header and 8 bytes or more. */
	if (zc_icmp4_is_error(l->v.icmp4) && !w->outer)
		walk_into_quote(w, ZC_L_IPV4, zc_icmp4_payload(l->v.icmp4));
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_icmp6(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_icmp6_parse(w->b, &l->v.icmp6);

	(void)off;
	if (unlikely(e != ZC_OK))
		return e;
	w->next = ZC_L_NONE;
	if (icmp6_quotes(l->v.icmp6) && !w->outer)
		walk_into_quote(w, ZC_L_IPV6, zc_icmp6_payload(l->v.icmp6));
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_tcp(walk *w, zc_layer *l, uint32_t off)
{
	(void)off;
	w->next = ZC_L_NONE;
	return zc_tcp_parse(w->b, &l->v.tcp);
}

static inline __attribute__((always_inline)) zc_err step_udp(walk *w, zc_layer *l, uint32_t off)
{
	zc_udp *u = &l->v.udp;
	zc_err e = zc_udp_parse_mode(w->b, walk_lax(w), u);

	if (unlikely(e != ZC_OK))
		return e;
	walk_cut(w, zc_udp_is_cut(*u), ZC_L_UDP, off);
	w->open = zc_udp_is_cut(*u);
	w->b = zc_udp_payload(*u);
	w->next = kind_after_udp(*u, w->outer);
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_vxlan(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_vxlan_parse(w->b, &l->v.vxlan);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = ZC_L_ETH;
		w->b = zc_vxlan_payload(l->v.vxlan);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_geneve(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_geneve_parse(w->b, &l->v.geneve);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = kind_of_tunnel_proto(zc_geneve_proto(l->v.geneve));
		w->b = zc_geneve_payload(l->v.geneve);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_gre(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_gre_parse(w->b, &l->v.gre);
	uint16_t proto;

	(void)off;
	if (unlikely(e != ZC_OK))
		return e;
	proto = zc_gre_proto(l->v.gre);
	w->b = zc_gre_payload(l->v.gre);
	if (proto == ZC_GRE_P_ERSPAN || proto == ZC_GRE_P_ERSPAN3) {
		/* ERSPAN's type is in the GRE header. */
		w->erspan_type = proto == ZC_GRE_P_ERSPAN3 ? 3u : zc_gre_has_seq(l->v.gre) ? 2u : 1u;
		w->next = ZC_L_ERSPAN;
	} else {
		w->next = kind_of_tunnel_proto(proto);
	}
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_erspan(walk *w, zc_layer *l, uint32_t off)
{
	zc_err e = zc_erspan_parse(w->b, w->erspan_type, &l->v.erspan);

	(void)off;
	if (likely(e == ZC_OK)) {
		w->next = zc_erspan_is_eth(l->v.erspan) ? (unsigned)ZC_L_ETH : (unsigned)ZC_L_NONE;
		w->b = zc_erspan_payload(l->v.erspan);
	}
	return e;
}

/*
 * The step of a layer of kind kind; ZC_E_UNSUPPORTED, which ends the walk
 * quietly, for a kind the walk does not dissect. A switch rather than a
 * table of functions, so that the steps are inlined into the loop.
 */
static inline __attribute__((always_inline)) zc_err walk_step(walk *w, unsigned kind, zc_layer *l, uint32_t off)
{
	switch (kind) {
	case ZC_L_ETH: return step_eth(w, l, off);
	case ZC_L_SLL: return step_sll(w, l, off);
	case ZC_L_SLL2: return step_sll2(w, l, off);
	case ZC_L_LOOP: return step_loop(w, l, off);
	case ZC_L_ARP: return step_arp(w, l, off);
	case ZC_L_IPV4: return step_ipv4(w, l, off);
	case ZC_L_IPV6: return step_ipv6(w, l, off);
	case ZC_L_ICMP4: return step_icmp4(w, l, off);
	case ZC_L_ICMP6: return step_icmp6(w, l, off);
	case ZC_L_TCP: return step_tcp(w, l, off);
	case ZC_L_UDP: return step_udp(w, l, off);
	case ZC_L_VXLAN: return step_vxlan(w, l, off);
	case ZC_L_GENEVE: return step_geneve(w, l, off);
	case ZC_L_GRE: return step_gre(w, l, off);
	case ZC_L_ERSPAN: return step_erspan(w, l, off);
	default: return ZC_E_UNSUPPORTED;
	}
}

/* The kind of the first layer of a frame of link type linktype, ZC_L_NONE for one not dissected. */
static unsigned kind_of_linktype(int linktype, zc_buf frame)
{
	switch (linktype) {
	case ZC_DLT_EN10MB:
		return ZC_L_ETH;
	case ZC_DLT_RAW:
	case ZC_DLT_RAW_BSD:
	case ZC_LINKTYPE_RAW:
	case ZC_LINKTYPE_IPV4:
	case ZC_LINKTYPE_IPV6:
		return kind_of_raw(frame, linktype);
	case ZC_DLT_LINUX_SLL:
		return ZC_L_SLL;
	case ZC_DLT_LINUX_SLL2:
		return ZC_L_SLL2;
	case ZC_DLT_NULL:
	case ZC_DLT_LOOP:
		return ZC_L_LOOP;
	default:
		return ZC_L_NONE;
	}
}

/*
 * Records where and why the walk stopped, and turns the error into what the
 * walk's facts make of it: a protocol the views do not handle ends the walk
 * like an unknown one, and a truncation is a cut, the end of partial bytes,
 * or a contradiction of an enclosing layer's length. Takes the walk's state
 * by value, so that the walk itself can live in registers.
 */
static zc_err walk_failed(zc_pkt *out, walk w, unsigned kind, uint32_t off, zc_err e)
{
	out->n = (uint8_t)w.n;
	out->stop_kind = (uint8_t)kind;
	out->stop_off = off;
	out->stop_len = (uint32_t)w.b.len;
	if (e == ZC_E_UNSUPPORTED)
		return ZC_OK;
	if (e == ZC_E_TRUNCATED) {
		if (w.partial)
			return ZC_OK;
		if (w.lax && w.open) {
			note_cut(out, w.n, kind, off);
			return ZC_OK;
		}
		/*
		 * The bytes end at a declared length of an enclosing layer
		 * that was not cut: they are all there, and what runs past
		 * them contradicts that length.
		 */
		if (!w.open)
			e = ZC_E_LENGTH;
	}
	out->err = e;
	out->err_layer = (uint8_t)w.n;
	out->err_kind = (uint8_t)kind;
	out->err_off = off;
	return e;
}

/*
 * The general loop: one layer per turn, from b and what state says. Kept
 * out of zc_parse() so that a frame the prefix makes whole pays neither for
 * its registers nor for its stack. The frame is out->frame.
 */
__attribute__((noinline)) static zc_err parse_walk(zc_pkt *out, int linktype, unsigned flags, zc_buf b,
						   unsigned state)
{
	const zc_buf frame = out->frame;
	unsigned kind = state & 0xff, depth = state >> WALK_DEPTH_SHIFT;
	walk w;

	w.out = out;
	w.b = b;
	w.n = (state >> WALK_N_SHIFT) & 0xff;
	w.erspan_type = 1;
	w.linktype = linktype;
	w.quoted = (state & WALK_QUOTED) ? ZC_LF_QUOTED : 0;
	w.partial = (state & WALK_PARTIAL) != 0;
	w.open = (state & WALK_OPEN) != 0;
	w.lax = (flags & ZC_PARSE_LAX) != 0;
	w.outer = (flags & ZC_PARSE_OUTER) != 0;
	if (state & WALK_FROM_LINK) {
		if (unlikely(frame.len > UINT32_MAX))
			return walk_failed(out, w, ZC_L_NONE, 0, ZC_E_ARG);
		kind = kind_of_linktype(linktype, frame);
		if (kind == ZC_L_NONE)
			return walk_failed(out, w, ZC_L_NONE, 0, ZC_E_LINKTYPE);
	}
	while (kind != ZC_L_NONE) {
		uint32_t off = (uint32_t)(w.b.p - frame.p);
		zc_layer *l;
		zc_err e;

		if (unlikely(w.n == ZC_PKT_MAX_LAYERS))
			return walk_failed(out, w, kind, off, ZC_E_TOO_DEEP);
		l = &out->l[w.n];
		w.lflags = w.quoted;
		e = walk_step(&w, kind, l, off);
		if (unlikely(e != ZC_OK))
			return walk_failed(out, w, kind, off, e);
		set_layer(l, kind, depth, w.lflags, off);
		w.n++;
		if (w.next != ZC_L_NONE && is_encapsulation(kind, w.next) && unlikely(++depth > ZC_PKT_MAX_DEPTH))
			return walk_failed(out, w, w.next, (uint32_t)(w.b.p - frame.p), ZC_E_TOO_DEEP);
		kind = w.next;
	}
	out->n = (uint8_t)w.n;
	return ZC_OK;
}

/* Goes on with the general loop at a layer of kind k, after n layers, with the walk's facts. */
#define HAND_OVER(k, n, facts) parse_walk(out, ZC_DLT_EN10MB, flags, b, (k) | (n) << WALK_N_SHIFT | (facts))

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
	uint16_t et = zc_load_be16(start + ZC_ETH_TYPE_OFF);
	zc_buf pl;

	/*
	 * Untagged IPv4 or IPv6, decided by the one compare that names the
	 * next layer: neither type is a TPID, so this is the view
	 * zc_eth_parse() would make. Anything else goes through it.
	 */
	if (likely(et == ZC_ETH_P_IPV4 || et == ZC_ETH_P_IPV6)) {
		l[0].v.eth.p = b.p;
		l[0].v.eth.len = (uint32_t)b.len;
		l[0].v.eth.hlen = ZC_ETH_HDR_LEN;
		l[0].v.eth.ntags = 0;
		next = et == ZC_ETH_P_IPV4 ? ZC_L_IPV4 : ZC_L_IPV6;
	} else {
		if (unlikely(zc_eth_parse(b, &l[0].v.eth) != ZC_OK))
			return HAND_OVER(ZC_L_ETH, 0, WALK_OPEN);
		next = kind_of_ethertype(zc_eth_type(l[0].v.eth));
	}
	set_layer(&l[0], ZC_L_ETH, 0, 0, 0);
	b = zc_eth_payload(l[0].v.eth);
	if (likely(next == ZC_L_IPV4)) {
		zc_ipv4 *v = &l[1].v.ipv4;
		zc_err e;

		/*
		 * Nearly every header is version 4 with no options: tested
		 * first, the byte lets the compiler drop the constructor's
		 * version and header-length checks from this copy.
		 */
		if (likely(b.len >= ZC_IPV4_MIN_HDR_LEN && b.p[0] == 0x45))
			e = zc_ipv4_parse(b, v);
		else
			e = zc_ipv4_parse(b, v);
		if (unlikely(e != ZC_OK))
			return HAND_OVER(ZC_L_IPV4, 1, WALK_OPEN);
		set_layer(&l[1], ZC_L_IPV4, 0, 0, (uint32_t)(b.p - start));
		pl = zc_ipv4_payload(*v);
		/* TCP tested on the protocol byte itself: one compare decides the common case. */
		if (likely(zc_ipv4_proto(*v) == ZC_IPPROTO_TCP && zc_ipv4_is_first_fragment(*v)))
			return prefix_tcp(out, flags, pl, start);
		next = kind_after_ipv4(*v, outer, &partial);
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

zc_err zc_parse(zc_buf frame, int linktype, unsigned flags, zc_pkt *out)
{
	if (unlikely(!out))
		return ZC_E_ARG;
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
		return parse_walk(out, linktype, flags, frame, WALK_OPEN | WALK_FROM_LINK);
	return parse_prefix(out, flags, frame);
}
