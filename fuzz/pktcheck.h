/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/pktcheck.h - the invariants of one zc_parse() result, shared by
 * fuzz_parse.c and fuzz_pcap.c.
 *
 * pktcheck_frame() parses a frame without and with ZC_PARSE_LAX and asserts:
 *  - the layers chain: each layer starts where its parent's payload starts,
 *    is of the kind the parent's type field names, and its view is exactly
 *    what that protocol's own zc_<proto>_parse() (strict or lax) makes of the
 *    parent's payload; the first layer is the link type's;
 *  - a walk that ends without error ends where no known protocol follows, or
 *    where the next protocol's own parser reports it unsupported or cut;
 *  - an error names the layer that would have come next, its kind and
 *    offset, and is what that protocol's own parser returns there, except
 *    that a truncation inside bytes that end at the declared length of an
 *    enclosing layer that was not cut is ZC_E_LENGTH: those bytes are all
 *    there, and contradict each other (at any depth);
 *  - depth grows by one exactly at each tunnel, IP-in-IP or ICMP quote, the
 *    quoted flag marks everything after an ICMP error, the cut flag marks
 *    exactly the cut views;
 *  - every view and every payload lies inside the frame;
 *  - a strict success is a lax success with the same layers and no cut, and
 *    a lax success without a cut is a strict one.
 */
#ifndef ZC_FUZZ_PKTCHECK_H
#define ZC_FUZZ_PKTCHECK_H

#include <string.h>

#include "driver.h"
#include "zc/pkt.h"

static zc_buf pktcheck_frame_buf;
/* The ERSPAN type the last GRE header named: 0x22eb is III, else II with a sequence number, else I. */
static unsigned pktcheck_erspan_type = 1;
static int pktcheck_linktype;

#define PK_INSIDE(q, n) zc_fuzz_inside(pktcheck_frame_buf.p, pktcheck_frame_buf.len, (q), (n))

/* The bytes a layer hands to the next one; false for layers that hand none. */
static bool pktcheck_payload(const zc_layer *l, zc_buf *pl)
{
	switch (l->kind) {
	case ZC_L_ETH: *pl = zc_eth_payload(l->v.eth); return true;
	case ZC_L_SLL: *pl = zc_sll_payload(l->v.sll); return true;
	case ZC_L_SLL2: *pl = zc_sll2_payload(l->v.sll2); return true;
	case ZC_L_LOOP: *pl = zc_loop_payload(l->v.loop); return true;
	case ZC_L_IPV4: *pl = zc_ipv4_payload(l->v.ipv4); return true;
	case ZC_L_IPV6: *pl = zc_ipv6_payload(l->v.ipv6); return true;
	case ZC_L_ICMP4: *pl = zc_icmp4_payload(l->v.icmp4); return true;
	case ZC_L_ICMP6: *pl = zc_icmp6_payload(l->v.icmp6); return true;
	case ZC_L_UDP: *pl = zc_udp_payload(l->v.udp); return true;
	case ZC_L_VXLAN: *pl = zc_vxlan_payload(l->v.vxlan); return true;
	case ZC_L_GENEVE: *pl = zc_geneve_payload(l->v.geneve); return true;
	case ZC_L_GRE: *pl = zc_gre_payload(l->v.gre); return true;
	case ZC_L_ERSPAN: *pl = zc_erspan_payload(l->v.erspan); return true;
	default: return false;
	}
}

/* RARP (RFC 903) has the ARP format. */
#define PKTCHECK_ETH_P_RARP 0x8035

static unsigned pktcheck_ethertype_kind(uint16_t t)
{
	if (t == ZC_ETH_P_ARP || t == PKTCHECK_ETH_P_RARP)
		return ZC_L_ARP;
	return t == ZC_ETH_P_IPV4 ? ZC_L_IPV4 : t == ZC_ETH_P_IPV6 ? ZC_L_IPV6 : ZC_L_NONE;
}

static unsigned pktcheck_proto_kind(uint8_t p)
{
	switch (p) {
	case ZC_IPPROTO_TCP: return ZC_L_TCP;
	case ZC_IPPROTO_UDP: return ZC_L_UDP;
	case ZC_IPPROTO_ICMP: return ZC_L_ICMP4;
	case ZC_IPPROTO_ICMPV6: return ZC_L_ICMP6;
	case ZC_IPPROTO_IPIP: return ZC_L_IPV4;
	case ZC_IPPROTO_IPV6: return ZC_L_IPV6;
	case ZC_IPPROTO_GRE: return ZC_L_GRE;
	case ZC_IPPROTO_ETHERNET: return ZC_L_ETH;
	default: return ZC_L_NONE;
	}
}

static unsigned pktcheck_af_kind(uint32_t af)
{
	if (af == ZC_LOOP_AF_INET)
		return ZC_L_IPV4;
	if (af == ZC_LOOP_AF_INET6_OPENBSD || af == ZC_LOOP_AF_INET6_FREEBSD || af == ZC_LOOP_AF_INET6_DARWIN)
		return ZC_L_IPV6;
	return ZC_L_NONE;
}

/* The kind the documented type fields of l name for what follows it. */
static unsigned pktcheck_next_kind(const zc_layer *l)
{
	switch (l->kind) {
	case ZC_L_ETH:
		return pktcheck_ethertype_kind(zc_eth_type(l->v.eth));
	case ZC_L_SLL:
		return zc_sll_hatype(l->v.sll) == ZC_ARPHRD_NETLINK ? ZC_L_NONE
								 : pktcheck_ethertype_kind(zc_sll_proto(l->v.sll));
	case ZC_L_SLL2:
		return zc_sll2_hatype(l->v.sll2) == ZC_ARPHRD_NETLINK ? ZC_L_NONE
								   : pktcheck_ethertype_kind(zc_sll2_proto(l->v.sll2));
	case ZC_L_LOOP:
		return pktcheck_af_kind(zc_loop_af(l->v.loop));
	case ZC_L_IPV4:
		return zc_ipv4_is_first_fragment(l->v.ipv4) ? pktcheck_proto_kind(zc_ipv4_proto(l->v.ipv4)) : ZC_L_NONE;
	case ZC_L_IPV6:
		return zc_ipv6_frag_offset(l->v.ipv6) == 0 ? pktcheck_proto_kind(zc_ipv6_proto(l->v.ipv6)) : ZC_L_NONE;
	case ZC_L_ICMP4:
		return zc_icmp4_is_error(l->v.icmp4) ? ZC_L_IPV4 : ZC_L_NONE;
	case ZC_L_ICMP6: {
		uint8_t t = zc_icmp6_type(l->v.icmp6);
		return t >= 1 && t <= 4 ? ZC_L_IPV6 : ZC_L_NONE;
	}
	case ZC_L_UDP: {
		uint16_t d = zc_udp_dst_port(l->v.udp);
		return d == ZC_VXLAN_PORT ? ZC_L_VXLAN : d == ZC_GENEVE_PORT ? ZC_L_GENEVE : ZC_L_NONE;
	}
	case ZC_L_VXLAN:
		return ZC_L_ETH;
	case ZC_L_GENEVE:
		return zc_geneve_proto(l->v.geneve) == ZC_ETH_P_TEB ? ZC_L_ETH
								   : pktcheck_ethertype_kind(zc_geneve_proto(l->v.geneve));
	case ZC_L_GRE:
		if (zc_gre_proto(l->v.gre) == ZC_GRE_P_ERSPAN || zc_gre_proto(l->v.gre) == ZC_GRE_P_ERSPAN3)
			return ZC_L_ERSPAN;
		return zc_gre_proto(l->v.gre) == ZC_ETH_P_TEB ? ZC_L_ETH : pktcheck_ethertype_kind(zc_gre_proto(l->v.gre));
	case ZC_L_ERSPAN:
		return zc_erspan_is_eth(l->v.erspan) ? ZC_L_ETH : ZC_L_NONE;
	default:
		return ZC_L_NONE;
	}
}

/* The first layer's kind for a link type; ZC_L_NONE for an unsupported one. */
static unsigned pktcheck_link_kind(zc_buf f, int linktype)
{
	switch (linktype) {
	case ZC_DLT_EN10MB: return ZC_L_ETH;
	case ZC_DLT_LINUX_SLL: return ZC_L_SLL;
	case ZC_DLT_LINUX_SLL2: return ZC_L_SLL2;
	case ZC_DLT_NULL:
	case ZC_DLT_LOOP: return ZC_L_LOOP;
	case ZC_LINKTYPE_IPV4: return ZC_L_IPV4;
	case ZC_LINKTYPE_IPV6: return ZC_L_IPV6;
	case ZC_DLT_RAW:
	case ZC_DLT_RAW_BSD:
	case ZC_LINKTYPE_RAW: return f.len && f.p[0] >> 4 == 6 ? ZC_L_IPV6 : ZC_L_IPV4;
	default: return ZC_L_NONE;
	}
}

/*
 * The capture pseudo-headers: zc_sll_parse(), zc_sll2_parse() and
 * zc_loop_parse(), whose loopback family is checked against the documented
 * rule: network order first for LOOP, little-endian first for NULL, the
 * other order when the first gives no known family.
 */
static zc_err pktcheck_link_parse(unsigned kind, zc_buf b, zc_layer *x)
{
	bool net = pktcheck_linktype == ZC_DLT_LOOP;
	uint32_t first, second;
	zc_err e;

	if (kind == ZC_L_SLL)
		return zc_sll_parse(b, &x->v.sll);
	if (kind == ZC_L_SLL2)
		return zc_sll2_parse(b, &x->v.sll2);
	e = zc_loop_parse(b, net, &x->v.loop);
	ZC_FUZZ_CHECK((e == ZC_E_TRUNCATED) == (b.len < ZC_LOOP_HDR_LEN), "zc_loop_parse of %zu bytes: %s", b.len,
		      zc_err_name(e));
	if (e == ZC_OK) {
		first = net ? zc_load_be32(b.p) : zc_load_le32(b.p);
		second = net ? zc_load_le32(b.p) : zc_load_be32(b.p);
		ZC_FUZZ_CHECK(x->v.loop.af == (pktcheck_af_kind(first) != ZC_L_NONE ? first : second),
			      "loopback family %u from %02x%02x%02x%02x", x->v.loop.af, b.p[0], b.p[1], b.p[2], b.p[3]);
	}
	return e;
}

/*
 * Runs the protocol's own parser (lax or strict) on b into a fresh layer and
 * returns its result.
 */
static zc_err pktcheck_own_parse(unsigned kind, zc_buf b, bool lax, zc_layer *x)
{
	memset(x, 0, sizeof *x);
	x->kind = (uint8_t)kind;
	switch (kind) {
	case ZC_L_ETH: return zc_eth_parse(b, &x->v.eth);
	case ZC_L_ARP: return zc_arp_parse(b, &x->v.arp);
	case ZC_L_IPV4: return lax ? zc_ipv4_parse_lax(b, &x->v.ipv4) : zc_ipv4_parse(b, &x->v.ipv4);
	case ZC_L_IPV6: return lax ? zc_ipv6_parse_lax(b, &x->v.ipv6) : zc_ipv6_parse(b, &x->v.ipv6);
	case ZC_L_ICMP4: return zc_icmp4_parse(b, &x->v.icmp4);
	case ZC_L_ICMP6: return zc_icmp6_parse(b, &x->v.icmp6);
	case ZC_L_TCP: return zc_tcp_parse(b, &x->v.tcp);
	case ZC_L_UDP: return lax ? zc_udp_parse_lax(b, &x->v.udp) : zc_udp_parse(b, &x->v.udp);
	case ZC_L_VXLAN: return zc_vxlan_parse(b, &x->v.vxlan);
	case ZC_L_GENEVE: return zc_geneve_parse(b, &x->v.geneve);
	case ZC_L_GRE: return zc_gre_parse(b, &x->v.gre);
	case ZC_L_ERSPAN: return zc_erspan_parse(b, pktcheck_erspan_type, &x->v.erspan);
	case ZC_L_SLL:
	case ZC_L_SLL2:
	case ZC_L_LOOP: return pktcheck_link_parse(kind, b, x);
	default: return ZC_E_ARG;
	}
}

static bool pktcheck_has_lax(unsigned kind)
{
	return kind == ZC_L_IPV4 || kind == ZC_L_IPV6 || kind == ZC_L_UDP;
}

/* True when two views of the same kind are the same view. */
static bool pktcheck_same_view(const zc_layer *a, const zc_layer *b)
{
	switch (a->kind) {
	case ZC_L_ETH:
		return a->v.eth.p == b->v.eth.p && a->v.eth.len == b->v.eth.len && a->v.eth.hlen == b->v.eth.hlen &&
		       a->v.eth.ntags == b->v.eth.ntags;
	case ZC_L_SLL: return a->v.sll.p == b->v.sll.p && a->v.sll.len == b->v.sll.len;
	case ZC_L_SLL2: return a->v.sll2.p == b->v.sll2.p && a->v.sll2.len == b->v.sll2.len;
	case ZC_L_LOOP:
		return a->v.loop.p == b->v.loop.p && a->v.loop.len == b->v.loop.len && a->v.loop.af == b->v.loop.af;
	case ZC_L_ARP: return a->v.arp.p == b->v.arp.p;
	case ZC_L_IPV4: return a->v.ipv4.p == b->v.ipv4.p && a->v.ipv4.len == b->v.ipv4.len;
	case ZC_L_IPV6:
		return a->v.ipv6.p == b->v.ipv6.p && a->v.ipv6.plen == b->v.ipv6.plen &&
		       a->v.ipv6.l4_off == b->v.ipv6.l4_off && a->v.ipv6.proto == b->v.ipv6.proto &&
		       a->v.ipv6.flags == b->v.ipv6.flags &&
		       (!(a->v.ipv6.flags & ZC_IPV6_F_FRAG) || a->v.ipv6.frag_off == b->v.ipv6.frag_off);
	case ZC_L_ICMP4: return a->v.icmp4.p == b->v.icmp4.p && a->v.icmp4.len == b->v.icmp4.len;
	case ZC_L_ICMP6: return a->v.icmp6.p == b->v.icmp6.p && a->v.icmp6.len == b->v.icmp6.len;
	case ZC_L_TCP: return a->v.tcp.p == b->v.tcp.p && a->v.tcp.len == b->v.tcp.len;
	case ZC_L_UDP: return a->v.udp.p == b->v.udp.p && a->v.udp.len == b->v.udp.len;
	case ZC_L_VXLAN: return a->v.vxlan.p == b->v.vxlan.p && a->v.vxlan.len == b->v.vxlan.len;
	case ZC_L_GENEVE: return a->v.geneve.p == b->v.geneve.p && a->v.geneve.len == b->v.geneve.len;
	case ZC_L_GRE:
		return a->v.gre.p == b->v.gre.p && a->v.gre.len == b->v.gre.len && a->v.gre.hlen == b->v.gre.hlen;
	case ZC_L_ERSPAN:
		return a->v.erspan.p == b->v.erspan.p && a->v.erspan.len == b->v.erspan.len &&
		       a->v.erspan.hlen == b->v.erspan.hlen && a->v.erspan.type == b->v.erspan.type;
	default: return false;
	}
}

/* The view's own bytes, and every span its accessors hand out, lie inside the frame. */
static void pktcheck_view_inside(const zc_layer *l)
{
	const uint8_t *p = NULL;
	size_t len = 0;
	zc_buf pl;

	switch (l->kind) {
	case ZC_L_ETH: p = l->v.eth.p; len = l->v.eth.len; break;
	case ZC_L_SLL:
		p = l->v.sll.p; len = l->v.sll.len;
		ZC_FUZZ_CHECK(len >= ZC_SLL_HDR_LEN, "SLL view of %zu bytes", len);
		zc_fuzz_sink += zc_sll_pkttype(l->v.sll) + zc_sll_halen(l->v.sll) + zc_sll_addr(l->v.sll)[7];
		break;
	case ZC_L_SLL2:
		p = l->v.sll2.p; len = l->v.sll2.len;
		ZC_FUZZ_CHECK(len >= ZC_SLL2_HDR_LEN, "SLL2 view of %zu bytes", len);
		zc_fuzz_sink += zc_sll2_ifindex(l->v.sll2) + zc_sll2_pkttype(l->v.sll2) + zc_sll2_halen(l->v.sll2) +
				zc_sll2_addr(l->v.sll2)[7];
		break;
	case ZC_L_LOOP:
		p = l->v.loop.p; len = l->v.loop.len;
		ZC_FUZZ_CHECK(len >= ZC_LOOP_HDR_LEN, "loopback view of %zu bytes", len);
		ZC_FUZZ_CHECK(zc_loop_af(l->v.loop) == zc_load_be32(p) || zc_loop_af(l->v.loop) == zc_load_le32(p),
			      "loopback family %u is neither byte order of the header", zc_loop_af(l->v.loop));
		break;
	case ZC_L_ARP: p = l->v.arp.p; len = ZC_ARP_LEN; break;
	case ZC_L_IPV4:
		p = l->v.ipv4.p; len = l->v.ipv4.len;
		ZC_FUZZ_CHECK(PK_INSIDE(zc_ipv4_options(l->v.ipv4).p, zc_ipv4_options(l->v.ipv4).len),
			      "IPv4 options outside the frame");
		break;
	case ZC_L_IPV6: p = l->v.ipv6.p; len = (size_t)ZC_IPV6_HDR_LEN + l->v.ipv6.plen; break;
	case ZC_L_ICMP4: p = l->v.icmp4.p; len = l->v.icmp4.len; break;
	case ZC_L_ICMP6: p = l->v.icmp6.p; len = l->v.icmp6.len; break;
	case ZC_L_TCP:
		p = l->v.tcp.p; len = l->v.tcp.len;
		pl = zc_tcp_payload(l->v.tcp);
		ZC_FUZZ_CHECK(PK_INSIDE(pl.p, pl.len), "TCP payload outside the frame");
		break;
	case ZC_L_UDP: p = l->v.udp.p; len = l->v.udp.len; break;
	case ZC_L_VXLAN:
		p = l->v.vxlan.p; len = l->v.vxlan.len;
		zc_fuzz_sink += zc_vxlan_vni(l->v.vxlan) + zc_vxlan_has_vni(l->v.vxlan) + zc_vxlan_flags(l->v.vxlan);
		break;
	case ZC_L_GENEVE:
		p = l->v.geneve.p; len = l->v.geneve.len;
		pl = zc_geneve_options(l->v.geneve);
		ZC_FUZZ_CHECK(zc_fuzz_inside(p, len, pl.p, pl.len), "Geneve options outside the header");
		zc_fuzz_sink += zc_fuzz_touch(pl) + zc_geneve_vni(l->v.geneve) + zc_geneve_oam(l->v.geneve) +
				zc_geneve_critical(l->v.geneve) + zc_geneve_version(l->v.geneve);
		break;
	case ZC_L_GRE:
		p = l->v.gre.p; len = l->v.gre.len;
		ZC_FUZZ_CHECK(l->v.gre.hlen >= 4 && l->v.gre.hlen <= 16 && l->v.gre.hlen <= len, "GRE header of %u bytes",
			      l->v.gre.hlen);
		zc_fuzz_sink += zc_gre_csum(l->v.gre) + zc_gre_key(l->v.gre) + zc_gre_seq(l->v.gre) +
				zc_gre_csum_ok(l->v.gre);
		break;
	case ZC_L_ERSPAN:
		p = l->v.erspan.p; len = l->v.erspan.len;
		ZC_FUZZ_CHECK(l->v.erspan.hlen <= len && l->v.erspan.type >= 1 && l->v.erspan.type <= 3 &&
				      l->v.erspan.type == pktcheck_erspan_type,
			      "ERSPAN type %u header of %u bytes", l->v.erspan.type, l->v.erspan.hlen);
		zc_fuzz_sink += zc_erspan_version(l->v.erspan) + zc_erspan_vlan(l->v.erspan) +
				zc_erspan_session(l->v.erspan) + zc_erspan_hdr_len(l->v.erspan);
		break;
	default:
		zc_fuzz_fail(__FILE__, __LINE__, "layer of unknown kind %u", l->kind);
	}
	ZC_FUZZ_CHECK(p == pktcheck_frame_buf.p + l->off, "%s view at %td, layer offset %u", zc_layer_kind_name(l->kind),
		      p - pktcheck_frame_buf.p, l->off);
	ZC_FUZZ_CHECK(PK_INSIDE(p, len), "%s view of %zu bytes at offset %u outside the frame of %zu",
		      zc_layer_kind_name(l->kind), len, l->off, pktcheck_frame_buf.len);
	if (pktcheck_payload(l, &pl))
		ZC_FUZZ_CHECK(zc_fuzz_inside(p, len, pl.p, pl.len), "%s payload outside its view",
			      zc_layer_kind_name(l->kind));
}

static bool pktcheck_is_cut(const zc_layer *l)
{
	switch (l->kind) {
	case ZC_L_IPV4: return zc_ipv4_is_cut(l->v.ipv4);
	case ZC_L_IPV6: return zc_ipv6_is_cut(l->v.ipv6);
	case ZC_L_UDP: return zc_udp_is_cut(l->v.udp);
	default: return false;
	}
}

/* Checks one zc_parse() result; returns what it returned. */
static zc_err pktcheck_one(zc_buf f, int linktype, unsigned flags, zc_pkt *pk)
{
	zc_err r = zc_parse(f, linktype, flags, pk), own, own_lax;
	unsigned i, kind = pktcheck_link_kind(f, linktype);
	zc_buf b = f;
	uint8_t depth = 0, quoted = 0;
	bool partial = false; /* an ICMP quote or a first fragment: cut by design */
	bool open = true;     /* the bytes end where the capture ends, not where a length says */
	zc_layer x;
	const char *mode = flags & ZC_PARSE_LAX ? "lax" : "strict";

	pktcheck_erspan_type = 1;
	pktcheck_linktype = linktype;

	ZC_FUZZ_CHECK(r == pk->err, "zc_parse returned %d, recorded %d", (int)r, (int)pk->err);
	ZC_FUZZ_CHECK(pk->n <= ZC_PKT_MAX_LAYERS, "%u layers", pk->n);
	ZC_FUZZ_CHECK(pk->frame.p == f.p && pk->frame.len == f.len, "zc_pkt frame is not the frame given");
	ZC_FUZZ_CHECK(zc_pkt_count(pk) == pk->n && zc_pkt_layer(pk, pk->n) == NULL && zc_pkt_kind(pk, pk->n) == ZC_L_NONE,
		      "zc_pkt getters past the last layer");
	if (r != ZC_OK)
		zc_fuzz_check_err(r);
	if (kind == ZC_L_NONE) {
		ZC_FUZZ_CHECK(r == ZC_E_LINKTYPE && pk->n == 0 && pk->stop_kind == ZC_L_NONE, "link type %d: %s, want ZC_E_LINKTYPE", linktype,
			      zc_err_name(r));
		return r;
	}
	for (i = 0; i < pk->n; i++) {
		const zc_layer *l = &pk->l[i];
		unsigned next;

		ZC_FUZZ_CHECK(l->kind == kind, "%s: layer %u is %s, its parent names %s", mode, i,
			      zc_layer_kind_name(l->kind), zc_layer_kind_name(kind));
		ZC_FUZZ_CHECK(zc_pkt_layer(pk, i) == l && zc_pkt_kind(pk, i) == kind && zc_pkt_find_any(pk, (zc_layer_kind)kind, i) == (int)i &&
				      zc_pkt_find(pk, (zc_layer_kind)kind, i) == ((l->flags & ZC_LF_QUOTED) ? zc_pkt_find(pk, (zc_layer_kind)kind, i + 1) : (int)i) &&
				      zc_pkt_parent(pk, i) == (int)i - 1,
			      "zc_pkt getters for layer %u", i);
		ZC_FUZZ_CHECK(f.p + l->off == b.p, "%s: layer %u (%s) at %u, its parent's payload at %td", mode, i,
			      zc_layer_kind_name(kind), l->off, b.p - f.p);
		ZC_FUZZ_CHECK(l->depth == depth && depth <= ZC_PKT_MAX_DEPTH, "%s: layer %u at depth %u, want %u", mode, i,
			      l->depth, depth);
		ZC_FUZZ_CHECK((l->flags & ZC_LF_QUOTED) == quoted, "%s: layer %u quoted flag", mode, i);
		ZC_FUZZ_CHECK(!!(l->flags & ZC_LF_CUT) == pktcheck_is_cut(l), "%s: layer %u (%s) cut flag %d, view cut %d",
			      mode, i, zc_layer_kind_name(kind), !!(l->flags & ZC_LF_CUT), pktcheck_is_cut(l));
		ZC_FUZZ_CHECK(zc_layer_kind_name(kind) != NULL, "no name for kind %u", kind);
		pktcheck_view_inside(l);
		/* The same view as the protocol's own parser makes of the same bytes. */
		{
			own = pktcheck_own_parse(kind, b, false, &x);
			if (own != ZC_OK || !pktcheck_same_view(l, &x)) {
				ZC_FUZZ_CHECK(pktcheck_has_lax(kind), "%s: layer %u (%s): own parser gives %s or another view",
					      mode, i, zc_layer_kind_name(kind), zc_err_name(own));
				own = pktcheck_own_parse(kind, b, true, &x);
				ZC_FUZZ_CHECK(own == ZC_OK && pktcheck_same_view(l, &x),
					      "%s: layer %u (%s) differs from its own lax parse (%s)", mode, i,
					      zc_layer_kind_name(kind), zc_err_name(own));
			}
		}
		next = pktcheck_next_kind(l);
		if (next != ZC_L_NONE) {
			ZC_FUZZ_CHECK(pktcheck_payload(l, &b), "%s has a next layer but no payload", zc_layer_kind_name(kind));
			if ((kind == ZC_L_IPV4 || kind == ZC_L_IPV6) && (next == ZC_L_IPV4 || next == ZC_L_IPV6 || next == ZC_L_ETH))
				depth++;
			else if (kind == ZC_L_ICMP4 || kind == ZC_L_ICMP6 || kind == ZC_L_VXLAN || kind == ZC_L_GENEVE ||
				 kind == ZC_L_ERSPAN || (kind == ZC_L_GRE && next != ZC_L_ERSPAN))
				depth++;
			/* ERSPAN over GRE: the GRE header names the type (see zc/tunnel.h). */
			if (kind == ZC_L_GRE)
				pktcheck_erspan_type = zc_gre_proto(l->v.gre) == ZC_GRE_P_ERSPAN3 ? 3u
						       : zc_gre_has_seq(l->v.gre)                ? 2u
												 : 1u;
			if (kind == ZC_L_ICMP4 || kind == ZC_L_ICMP6)
				quoted = ZC_LF_QUOTED;
		}
		if ((kind == ZC_L_IPV4 && zc_ipv4_mf(l->v.ipv4)) || (kind == ZC_L_IPV6 && zc_ipv6_mf(l->v.ipv6)) || quoted)
			partial = true;
		/*
		 * The bytes after an IP or UDP layer end at its declared
		 * length unless it is cut; an IPv4 total length of 0 (an
		 * offload super-packet) declares none, so their end stays what
		 * it was.
		 */
		if ((kind == ZC_L_IPV4 && zc_ipv4_total_len_field(l->v.ipv4) != 0) || kind == ZC_L_IPV6 ||
		    kind == ZC_L_UDP)
			open = pktcheck_is_cut(l);
		kind = next;
	}
	/* Where the walk stopped: nowhere after its last layer, else the layer it did not make. */
	if (r == ZC_OK && kind == ZC_L_NONE) {
		ZC_FUZZ_CHECK(pk->stop_kind == ZC_L_NONE, "%s: walk ended, stop kind %s", mode,
			      zc_layer_kind_name(pk->stop_kind));
	} else {
		ZC_FUZZ_CHECK(pk->stop_kind == kind && f.p + pk->stop_off == b.p && pk->stop_len == b.len,
			      "%s: stopped at %s at %u+%u, expected %s at %td+%zu", mode, zc_layer_kind_name(pk->stop_kind),
			      pk->stop_off, pk->stop_len, zc_layer_kind_name(kind), b.p - f.p, b.len);
	}
	if (r == ZC_OK) {
		if (kind == ZC_L_NONE)
			return r;
		/* The walk stopped early: the next protocol is unsupported or cut there. */
		ZC_FUZZ_CHECK(pk->n < ZC_PKT_MAX_LAYERS && depth <= ZC_PKT_MAX_DEPTH,
			      "%s: OK at the layer or depth cap with %s to come", mode, zc_layer_kind_name(kind));
		own = pktcheck_own_parse(kind, b, false, &x);
		own_lax = pktcheck_own_parse(kind, b, true, &x);
		ZC_FUZZ_CHECK(own == ZC_E_UNSUPPORTED || own_lax == ZC_E_UNSUPPORTED || own == ZC_E_TRUNCATED ||
				      own_lax == ZC_E_TRUNCATED,
			      "%s: walk ended before %s at %td, whose own parser gives %s", mode, zc_layer_kind_name(kind),
			      b.p - f.p, zc_err_name(own));
		/* A cut header ends a walk quietly only where cuts are expected. */
		if (own != ZC_E_UNSUPPORTED && own_lax != ZC_E_UNSUPPORTED)
			ZC_FUZZ_CHECK(partial || ((flags & ZC_PARSE_LAX) && open && pk->cut),
				      "%s: a truncated %s ended the walk without error or cut", mode,
				      zc_layer_kind_name(kind));
		return r;
	}
	/* The error names the layer that would have come next. */
	ZC_FUZZ_CHECK(pk->err_layer == pk->n && pk->err_kind == kind, "%s: error at layer %u (%s), expected %u (%s)", mode,
		      pk->err_layer, zc_layer_kind_name(pk->err_kind), pk->n, zc_layer_kind_name(kind));
	ZC_FUZZ_CHECK(f.p + pk->err_off == b.p, "%s: error offset %u, layer would start at %td", mode, pk->err_off,
		      b.p - f.p);
	if (r == ZC_E_TOO_DEEP && (pk->n == ZC_PKT_MAX_LAYERS || depth > ZC_PKT_MAX_DEPTH))
		return r;
	/*
	 * Inside a quote or a first fragment, or at the end of a lax capture, a
	 * cut is no error; and only where the bytes end at the capture's end is
	 * it a cut at all.
	 */
	ZC_FUZZ_CHECK(r != ZC_E_TRUNCATED || (!partial && !((flags & ZC_PARSE_LAX) && open)),
		      "%s: truncated %s is an error where cuts are expected (partial %d, open %d)", mode,
		      zc_layer_kind_name(kind), partial, open);
	ZC_FUZZ_CHECK(r != ZC_E_TRUNCATED || open,
		      "%s: truncated %s inside bytes an uncut layer's declared length bounds", mode,
		      zc_layer_kind_name(kind));
	own = pktcheck_own_parse(kind, b, false, &x);
	own_lax = pktcheck_own_parse(kind, b, true, &x);
	/* There, what the layer's own parser calls truncated contradicts the enclosing length. */
	if (!open && !partial) {
		if (own == ZC_E_TRUNCATED)
			own = ZC_E_LENGTH;
		if (own_lax == ZC_E_TRUNCATED)
			own_lax = ZC_E_LENGTH;
	}
	ZC_FUZZ_CHECK(own == r || own_lax == r, "%s: zc_parse error %s at %s, its own parser gives %s / lax %s", mode,
		      zc_err_name(r), zc_layer_kind_name(kind), zc_err_name(own), zc_err_name(own_lax));
	return r;
}

static bool pktcheck_same_layers(const zc_pkt *a, const zc_pkt *b)
{
	unsigned i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->l[i].kind != b->l[i].kind || a->l[i].off != b->l[i].off || a->l[i].depth != b->l[i].depth ||
		    a->l[i].flags != b->l[i].flags || !pktcheck_same_view(&a->l[i], &b->l[i]))
			return false;
	return true;
}

/* Both modes on one frame, and how they relate. */
static void pktcheck_frame(zc_buf f, int linktype)
{
	static zc_pkt strict, lax, burst;
	zc_err rs, rl;

	pktcheck_frame_buf = f;
	rs = pktcheck_one(f, linktype, 0, &strict);
	rl = pktcheck_one(f, linktype, ZC_PARSE_LAX, &lax);
	ZC_FUZZ_CHECK(!strict.cut, "strict parse reports a cut");
	/* A cut may come before a later error: both are then reported. */
	if (lax.cut)
		ZC_FUZZ_CHECK(lax.cut_layer <= lax.n && lax.cut_off <= f.len &&
				      lax.cut_kind < ZC_L_KIND_COUNT,
			      "lax cut at layer %u of %u, offset %u", lax.cut_layer, lax.n, lax.cut_off);
	if (rs == ZC_OK)
		ZC_FUZZ_CHECK(rl == ZC_OK && !lax.cut && pktcheck_same_layers(&strict, &lax),
			      "strict success, lax gives %s (cut %u) or other layers", zc_err_name(rl), lax.cut);
	if (rl == ZC_OK && !lax.cut)
		ZC_FUZZ_CHECK(rs == ZC_OK && pktcheck_same_layers(&strict, &lax),
			      "lax success without a cut, strict gives %s or other layers", zc_err_name(rs));
	/* A burst of one frame is that frame's parse. */
	ZC_FUZZ_CHECK(zc_parse_burst(&f, 1, linktype, 0, &burst) == rs && burst.err == strict.err &&
			      burst.cut == strict.cut && pktcheck_same_layers(&burst, &strict),
		      "zc_parse_burst of one frame differs from zc_parse");
	zc_fuzz_sink += zc_layer_kind_name(ZC_L_KIND_COUNT)[0] + zc_layer_kind_name(~0u)[0];
}

#endif /* ZC_FUZZ_PKTCHECK_H */
