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

#include "dissect.h"

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

/* zc_pkt_stop_layer() sets a view's p as the first member of the union. */
#define ZC_VIEW_P_FIRST(m) _Static_assert(offsetof(zc_layer, v.m.p) == offsetof(zc_layer, v), #m " does not start with p")
ZC_VIEW_P_FIRST(eth);
ZC_VIEW_P_FIRST(sll);
ZC_VIEW_P_FIRST(sll2);
ZC_VIEW_P_FIRST(loop);
ZC_VIEW_P_FIRST(arp);
ZC_VIEW_P_FIRST(ipv4);
ZC_VIEW_P_FIRST(ipv6);
ZC_VIEW_P_FIRST(icmp4);
ZC_VIEW_P_FIRST(icmp6);
ZC_VIEW_P_FIRST(tcp);
ZC_VIEW_P_FIRST(udp);
ZC_VIEW_P_FIRST(vxlan);
ZC_VIEW_P_FIRST(geneve);
ZC_VIEW_P_FIRST(gre);
ZC_VIEW_P_FIRST(erspan);
#undef ZC_VIEW_P_FIRST

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

/*
 * Each step parses one layer into l from w->b and sets w->b and w->next; the
 * steps whose view may be cut also take the layer's offset, for the cut report.
 */

static inline __attribute__((always_inline)) zc_err step_eth(walk *w, zc_layer *l)
{
	zc_err e = zc_eth_parse(w->b, &l->v.eth);

	if (likely(e == ZC_OK)) {
		w->next = kind_of_ethertype(zc_eth_type(l->v.eth));
		w->b = zc_eth_payload(l->v.eth);
	}
	return e;
}

/* What a Linux cooked header leads to: netlink carries no ethertype. */
static inline unsigned kind_of_cooked(uint16_t hatype, uint16_t proto)
{
	return hatype == ZC_ARPHRD_NETLINK ? (unsigned)ZC_L_NONE : kind_of_ethertype(proto);
}

static inline __attribute__((always_inline)) zc_err step_sll(walk *w, zc_layer *l)
{
	zc_err e = zc_sll_parse(w->b, &l->v.sll);

	if (likely(e == ZC_OK)) {
		w->next = kind_of_cooked(zc_sll_hatype(l->v.sll), zc_sll_proto(l->v.sll));
		w->b = zc_sll_payload(l->v.sll);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_sll2(walk *w, zc_layer *l)
{
	zc_err e = zc_sll2_parse(w->b, &l->v.sll2);

	if (likely(e == ZC_OK)) {
		w->next = kind_of_cooked(zc_sll2_hatype(l->v.sll2), zc_sll2_proto(l->v.sll2));
		w->b = zc_sll2_payload(l->v.sll2);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_loop(walk *w, zc_layer *l)
{
	zc_err e = zc_loop_parse(w->b, w->linktype == ZC_DLT_LOOP, &l->v.loop);

	if (likely(e == ZC_OK)) {
		w->next = kind_of_loop_af(zc_loop_af(l->v.loop));
		w->b = zc_loop_payload(l->v.loop);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_arp(walk *w, zc_layer *l)
{
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

static inline __attribute__((always_inline)) zc_err step_icmp4(walk *w, zc_layer *l)
{
	zc_err e = zc_icmp4_parse(w->b, &l->v.icmp4);

	if (unlikely(e != ZC_OK))
		return e;
	w->next = ZC_L_NONE;
	/* RFC 792: the error quotes the IP header and 8 bytes or more. */
	if (zc_icmp4_is_error(l->v.icmp4) && !w->outer)
		walk_into_quote(w, ZC_L_IPV4, zc_icmp4_payload(l->v.icmp4));
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_icmp6(walk *w, zc_layer *l)
{
	zc_err e = zc_icmp6_parse(w->b, &l->v.icmp6);

	if (unlikely(e != ZC_OK))
		return e;
	w->next = ZC_L_NONE;
	if (icmp6_quotes(l->v.icmp6) && !w->outer)
		walk_into_quote(w, ZC_L_IPV6, zc_icmp6_payload(l->v.icmp6));
	return ZC_OK;
}

static inline __attribute__((always_inline)) zc_err step_tcp(walk *w, zc_layer *l)
{
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

static inline __attribute__((always_inline)) zc_err step_vxlan(walk *w, zc_layer *l)
{
	zc_err e = zc_vxlan_parse(w->b, &l->v.vxlan);

	if (likely(e == ZC_OK)) {
		w->next = ZC_L_ETH;
		w->b = zc_vxlan_payload(l->v.vxlan);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_geneve(walk *w, zc_layer *l)
{
	zc_err e = zc_geneve_parse(w->b, &l->v.geneve);

	if (likely(e == ZC_OK)) {
		w->next = kind_of_tunnel_proto(zc_geneve_proto(l->v.geneve));
		w->b = zc_geneve_payload(l->v.geneve);
	}
	return e;
}

static inline __attribute__((always_inline)) zc_err step_gre(walk *w, zc_layer *l)
{
	zc_err e = zc_gre_parse(w->b, &l->v.gre);
	uint16_t proto;

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

static inline __attribute__((always_inline)) zc_err step_erspan(walk *w, zc_layer *l)
{
	zc_err e = zc_erspan_parse(w->b, w->erspan_type, &l->v.erspan);

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
	case ZC_L_ETH: return step_eth(w, l);
	case ZC_L_SLL: return step_sll(w, l);
	case ZC_L_SLL2: return step_sll2(w, l);
	case ZC_L_LOOP: return step_loop(w, l);
	case ZC_L_ARP: return step_arp(w, l);
	case ZC_L_IPV4: return step_ipv4(w, l, off);
	case ZC_L_IPV6: return step_ipv6(w, l, off);
	case ZC_L_ICMP4: return step_icmp4(w, l);
	case ZC_L_ICMP6: return step_icmp6(w, l);
	case ZC_L_TCP: return step_tcp(w, l);
	case ZC_L_UDP: return step_udp(w, l, off);
	case ZC_L_VXLAN: return step_vxlan(w, l);
	case ZC_L_GENEVE: return step_geneve(w, l);
	case ZC_L_GRE: return step_gre(w, l);
	case ZC_L_ERSPAN: return step_erspan(w, l);
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

/* The general loop; see zc/dissect.h. */
zc_err zc_parse_walk(zc_pkt *out, int linktype, unsigned flags, zc_buf b, unsigned state)
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

size_t zc_pkt_stop_layer(const zc_pkt *p, zc_layer *out)
{
	const uint8_t *at;

	if (!p || !out || p->stop_kind == ZC_L_NONE || p->stop_kind >= ZC_L_KIND_COUNT || !p->stop_len ||
	    !p->frame.p || p->stop_off > p->frame.len || p->stop_len > p->frame.len - p->stop_off)
		return 0;
	at = p->frame.p + p->stop_off;
	memset(out, 0, sizeof *out);
	set_layer(out, p->stop_kind, p->n ? p->l[p->n - 1].depth : 0, ZC_LF_CUT, p->stop_off);
	/* Every view starts with the pointer to its first byte. */
	memcpy(&out->v, &at, sizeof at);
	return p->stop_len;
}

zc_err zc_parse(zc_buf frame, int linktype, unsigned flags, zc_pkt *out)
{
	if (unlikely(!out))
		return ZC_E_ARG;
	return zc_dissect_one(frame, linktype, flags, out);
}
