/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields_frame.c - the frame.* fields: numbers and times
 * from the capture, and frame.protocols, the layers under tshark's names.
 */
#include <stdint.h>
#include <string.h>

#include "fields_int.h"


/* Seconds with nine decimals, as tshark prints a time; a minus sign before a negative one. */
static char *put_ns(char *w, int64_t ns)
{
	uint64_t a;
	uint32_t frac;
	int i;

	if (ns < 0) {
		*w++ = '-';
		a = (uint64_t)-(ns + 1) + 1;
	} else {
		a = (uint64_t)ns;
	}
	w = zd_w_u64(w, a / 1000000000u);
	*w++ = '.';
	frac = (uint32_t)(a % 1000000000u);
	for (i = 8; i >= 0; i--) {
		w[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return w + 9;
}

static char *put_name(char *w, const char *s, bool *first)
{
	size_t n = strlen(s);

	if (!*first)
		*w++ = ':';
	*first = false;
	memcpy(w, s, n);
	return w + n;
}

/* The extension headers of an IPv6 layer, as tshark names them. */
static char *ipv6_exts(char *w, const zc_layer *l, bool *first)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(l->v.ipv6);
	zc_ipv6_ext x;
	unsigned cap = 0;

	while (cap++ < 16 && zc_ipv6_ext_next(&it, &x) == 1) {
		switch (x.type) {
		case 0: w = put_name(w, "ipv6.hopopts", first); break;
		case 43: w = put_name(w, "ipv6.routing", first); break;
		case 44: w = put_name(w, "ipv6.fraghdr", first); break;
		case 60: w = put_name(w, "ipv6.dstopts", first); break;
		default: break;
		}
	}
	return w;
}

/* The name of the link layer and of each VLAN tag, then "ethertype" before what follows. */
#define ZD_ETH_P_RARP 0x8035 /* RFC 903, which libzc reads as ARP */
#define ZD_ETH_P_LOOP 0x9000 /* Ethernet's configuration testing protocol, "loop" to tshark */

/* The Ethernet types libzc dissects, and "loop". */
static bool tshark_dissects(uint16_t type)
{
	return type == ZC_ETH_P_IPV4 || type == ZC_ETH_P_IPV6 || type == ZC_ETH_P_ARP || type == ZD_ETH_P_RARP ||
	       type == ZD_ETH_P_LOOP;
}

static char *link_names(char *w, const zd_emit *e, const zc_layer *l, bool *first)
{
	unsigned t, nt;
	bool last;

	switch (l->kind) {
	case ZC_L_ETH:
		w = put_name(w, "eth", first);
		if (zc_eth_is_8023(l->v.eth))
			return w;
		/*
		 * tshark names the type field "ethertype" when bytes follow it (a
		 * tag does), or when it has a dissector for the type: of those
		 * libzc reads, every one.
		 */
		nt = zc_eth_ntags(l->v.eth);
		last = zc_eth_payload(l->v.eth).len || tshark_dissects(zc_eth_type(l->v.eth));
		if (nt || last)
			w = put_name(w, "ethertype", first);
		for (t = 0; t < nt; t++) {
			bool ad = zc_eth_tag_tpid(l->v.eth, t) == ZC_ETH_P_QINQ;
			w = put_name(w, ad ? "ieee8021ad" : "vlan", first);
			/* tshark reads a second 802.1ad tag after one as its C-tag: one protocol for the two. */
			if (ad && t + 1 < nt && zc_eth_tag_tpid(l->v.eth, t + 1) == ZC_ETH_P_QINQ)
				t++;
			if (t + 1 < nt || last)
				w = put_name(w, "ethertype", first);
		}
		return w;
	case ZC_L_SLL:
	case ZC_L_SLL2:
		w = put_name(w, "sll", first);
		return put_name(w, "ethertype", first);
	case ZC_L_LOOP:
		return put_name(w, e->linktype == ZC_DLT_LOOP ? "loop" : "null", first);
	default:
		return w;
	}
}

static const char *layer_name(unsigned kind)
{
	switch (kind) {
	case ZC_L_ARP: return "arp";
	case ZC_L_IPV4: return "ip";
	case ZC_L_IPV6: return "ipv6";
	case ZC_L_ICMP4: return "icmp";
	case ZC_L_ICMP6: return "icmpv6";
	case ZC_L_TCP: return "tcp";
	case ZC_L_UDP: return "udp";
	case ZC_L_VXLAN: return "vxlan";
	case ZC_L_GENEVE: return "geneve";
	case ZC_L_GRE: return "gre";
	case ZC_L_ERSPAN: return "erspan";
	default: return NULL;
	}
}

/* The bytes the IP header around layer i says follow that layer's header h; SIZE_MAX when not known. */
static size_t reported_after(const zc_pkt *pkt, unsigned i, size_t h)
{
	int up = zc_pkt_parent(pkt, i);
	const zc_layer *ip = up >= 0 ? zc_pkt_layer(pkt, (unsigned)up) : NULL;
	size_t n;

	if (!ip || (ip->kind != ZC_L_IPV4 && ip->kind != ZC_L_IPV6))
		return SIZE_MAX;
	n = ip->kind == ZC_L_IPV4 ? zc_ipv4_upper_len(ip->v.ipv4) : zc_ipv6_upper_len(ip->v.ipv6);
	return n > h ? n - h : 0;
}

/* Whether the last layer carries captured bytes no layer was made of: tshark's "data". */
static bool has_data(const zc_pkt *pkt, unsigned i)
{
	const zc_layer *l = &pkt->l[i];
	uint8_t t;

	switch (l->kind) {
	case ZC_L_ETH:
		return !zc_eth_is_8023(l->v.eth) && zc_eth_payload(l->v.eth).len > 0;
	case ZC_L_TCP:
		/*
		 * Bytes past the length the IP header gives are a trailer, not
		 * data; tshark shows a RST's bytes as its reset cause (RFC 9293
		 * section 3.5.3 lets a RST carry them), not as data.
		 */
		return zc_tcp_payload(l->v.tcp).len > 0 && reported_after(pkt, i, zc_tcp_hdr_len(l->v.tcp)) > 0 &&
		       !(zc_tcp_flags(l->v.tcp) & ZC_TCP_RST);
	case ZC_L_UDP:
		return zc_udp_payload(l->v.udp).len > 0;
	case ZC_L_IPV4:
		return zc_ipv4_payload(l->v.ipv4).len > 0;
	case ZC_L_IPV6:
		return zc_ipv6_payload(l->v.ipv6).len > 0;
	case ZC_L_ICMP4:
		t = zc_icmp4_type(l->v.icmp4);
		if (zc_icmp4_payload(l->v.icmp4).len == 0)
			return false;
		/*
		 * A router advertisement (type 9, RFC 1256) of an address entry
		 * size other than 2 words: tshark shows what follows as data.
		 */
		if (t == 9)
			return (zc_icmp4_rest(l->v.icmp4) >> 16 & 0xff) != 2;
		return t == ZC_ICMP4_ECHO_REQUEST || t == ZC_ICMP4_ECHO_REPLY;
	case ZC_L_ICMP6:
		t = zc_icmp6_type(l->v.icmp6);
		return (t == ZC_ICMP6_ECHO_REQUEST || t == ZC_ICMP6_ECHO_REPLY) && zc_icmp6_payload(l->v.icmp6).len > 0;
	default:
		return false;
	}
}

/*
 * Whether tshark names the stop layer (a header cut short or malformed):
 * an IP header from its first byte (IPv6 of the right version), TCP and
 * UDP from their first byte, or, in an ICMP error's quote, from their
 * ports.
 */
static bool stop_named(const zd_emit *e)
{
	switch (e->pkt->stop_kind) {
	case ZC_L_IPV4:
		/* Of any version but 6, which tshark reads as IPv6. */
		return e->raw_len > 0 && (e->raw_p[0] >> 4) != 6;
	case ZC_L_IPV6:
		return e->raw_lim > 0;
	case ZC_L_TCP:
	case ZC_L_UDP:
		return e->raw_len >= (zd_stop_quote(e->pkt) ? 4u : 1u);
	default:
		return false;
	}
}

static char *protocols(zd_emit *e, char *w)
{
	const zc_pkt *pkt = e->pkt;
	bool first = true;
	unsigned i;

	if (pkt->n == 0)
		return w;
	w = occ(e, w);
	/* LINKTYPE_IPV4 and LINKTYPE_IPV6 start at the IP header, with no "raw" before it. */
	if (e->linktype == ZC_DLT_RAW || e->linktype == ZC_DLT_RAW_BSD || e->linktype == ZC_LINKTYPE_RAW)
		w = put_name(w, "raw", &first);
	for (i = 0; i < pkt->n; i++) {
		const zc_layer *l = &pkt->l[i];
		const char *nm = layer_name(l->kind);

		if (nm)
			w = put_name(w, nm, &first);
		else
			w = link_names(w, e, l, &first);
		if (l->kind == ZC_L_IPV6)
			w = ipv6_exts(w, l, &first);
	}
	if (pkt->l[pkt->n - 1].kind == ZC_L_ETH && zc_eth_type(pkt->l[pkt->n - 1].v.eth) == ZD_ETH_P_LOOP)
		w = put_name(w, "loop", &first);
	if (e->quote_data || (pkt->stop_kind == ZC_L_NONE && has_data(pkt, pkt->n - 1u)))
		w = put_name(w, "data", &first);
	else if (pkt->stop_kind == ZC_L_ARP && e->raw_lim >= ZC_ARP_FIXED_LEN)
		w = put_name(w, "arp", &first);
	else if (stop_named(e))
		w = put_name(w, layer_name(pkt->stop_kind), &first);
	return w;
}

char *zd_frame_field(zd_emit *e, char *w, unsigned id)
{
	const zd_frame *fr = e->fr;
	const zd_fields *fs = e->fs;
	int64_t now = fr->ns;

	if (id == F_FRAME_PROTOCOLS)
		return protocols(e, w);
	w = occ(e, w);
	switch (id) {
	case F_FRAME_LEN: return zd_w_u64(w, fr->len);
	case F_FRAME_CAP_LEN: return zd_w_u64(w, fr->cap_len);
	case F_FRAME_NUMBER: return zd_w_u64(w, fr->number);
	case F_FRAME_MARKED:
	case F_FRAME_IGNORED: *w++ = '0'; return w;
	case F_FRAME_TIME_EPOCH: return put_ns(w, now);
	case F_FRAME_TIME_RELATIVE: return put_ns(w, fs->have_prev ? now - fs->first_ns : 0);
	case F_FRAME_TIME_DELTA: return put_ns(w, fs->have_prev ? now - fs->prev_ns : 0);
	default: /* from the frame displayed before */
		return put_ns(w, fs->have_disp ? now - fs->prev_disp_ns : 0);
	}
}
