/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields_conv.c - the fields that depend on the packets
 * before: tcp.stream, relative tcp.seq, tcp.ack and tcp.nxtseq, the scaled
 * window, relative SACK edges, udp.stream. Every TCP and UDP layer of every
 * packet goes through the conversation table once, before its fields are
 * printed, whether or not it is printed.
 */
#include <string.h>

#include "fields_int.h"

bool zd_field_needs_conv(unsigned id)
{
	switch (id) {
	case F_TCP_STREAM:
	case F_TCP_SEQ:
	case F_TCP_ACK:
	case F_TCP_NXTSEQ:
	case F_TCP_WINDOW_SIZE:
	case F_TCP_WINDOW_SCALEFACTOR:
	case F_TCP_SACK_LE:
	case F_TCP_SACK_RE:
	case F_UDP_STREAM:
		return true;
	default:
		return false;
	}
}

/* The addresses of the IP layer that encloses layer i and the given ports; false when there is none. */
static bool endpoints(const zc_pkt *pkt, unsigned i, uint16_t sp, uint16_t dp, zd_endpoints *ep)
{
	int up = zc_pkt_parent(pkt, i);
	const zc_layer *ip;

	if (up < 0)
		return false;
	ip = zc_pkt_layer(pkt, (unsigned)up);
	memset(ep, 0, sizeof *ep);
	if (ip->kind == ZC_L_IPV4) {
		ep->family = 4;
		memcpy(ep->src, zc_ipv4_src_bytes(ip->v.ipv4), 4);
		memcpy(ep->dst, zc_ipv4_dst_bytes(ip->v.ipv4), 4);
	} else if (ip->kind == ZC_L_IPV6) {
		ep->family = 6;
		memcpy(ep->src, zc_ipv6_src(ip->v.ipv6), 16);
		memcpy(ep->dst, zc_ipv6_dst(ip->v.ipv6), 16);
	} else {
		return false;
	}
	ep->sport = sp;
	ep->dport = dp;
	return true;
}

/* The window scale option's shift in a TCP header; -1 when it has none. */
static int wscale_of(zc_tcp t)
{
	zc_opt_iter it = zc_tcp_opts(t);
	zc_opt o;

	while (zc_opt_next(&it, &o) == 1)
		if (o.kind == ZC_TCP_OPT_WSCALE && o.len == 3)
			return o.data[0];
	return -1;
}

bool zd_in_fragment(const zc_pkt *pkt, unsigned i)
{
	int up;

	for (up = zc_pkt_parent(pkt, i); up >= 0; up = zc_pkt_parent(pkt, (unsigned)up)) {
		const zc_layer *l = zc_pkt_layer(pkt, (unsigned)up);
		if ((l->kind == ZC_L_IPV4 && zc_ipv4_is_fragment(l->v.ipv4)) ||
		    (l->kind == ZC_L_IPV6 && zc_ipv6_is_fragment(l->v.ipv6)))
			return true;
	}
	return false;
}

static void index_tcp(zd_emit *e, unsigned k)
{
	unsigned i = e->at[ZC_L_TCP][k];
	zc_tcp t = e->pkt->l[i].v.tcp;
	zd_endpoints ep;

	/* tshark analyses no segment of unknown length: in an IP fragment or an ICMP error's quote. */
	e->tcp_analysed[k] = !zd_in_fragment(e->pkt, i) && !(e->pkt->l[i].flags & ZC_LF_QUOTED);
	e->tcp_ok[k] = endpoints(e->pkt, i, zc_tcp_src_port(t), zc_tcp_dst_port(t), &ep) &&
		       zd_conv_tcp(e->fs->conv, &ep, zc_tcp_flags(t), zc_tcp_seq(t), zc_tcp_ack(t),
				   zc_tcp_window(t), wscale_of(t), e->tcp_analysed[k], &e->tcp[k]);
}

void zd_conv_index(zd_emit *e)
{
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_TCP]; k++)
		index_tcp(e, k);
	for (k = 0; k < e->nk[ZC_L_UDP]; k++) {
		unsigned i = e->at[ZC_L_UDP][k];
		zc_udp u = e->pkt->l[i].v.udp;
		zd_endpoints ep;

		e->udp_stream[k] = endpoints(e->pkt, i, zc_udp_src_port(u), zc_udp_dst_port(u), &ep)
					   ? zd_conv_udp(e->fs->conv, &ep) : UINT32_MAX;
	}
}

/* The sequence space a segment takes: its data, and one for a SYN or a FIN. */
static uint32_t seg_space(const zd_emit *e, unsigned k)
{
	unsigned i = e->at[ZC_L_TCP][k];
	zc_tcp t = e->pkt->l[i].v.tcp;
	uint8_t f = zc_tcp_flags(t);
	size_t seg = zc_tcp_seg_len(t), h = zc_tcp_hdr_len(t);
	int up = zc_pkt_parent(e->pkt, i);

	/* The length tcp.len shows, which the frame's end may cut. */
	if (up >= 0 && !zd_ip_upper_len(e, zc_pkt_layer(e->pkt, (unsigned)up), &seg))
		seg = zc_tcp_seg_len(t);
	/* SYN and FIN together count once, as tshark counts them. */
	return (uint32_t)(seg > h ? seg - h : 0) + !!(f & (ZC_TCP_SYN | ZC_TCP_FIN));
}

static char *tcp_value(zd_emit *e, char *w, unsigned id, unsigned k)
{
	const zd_tcp_seen *s = &e->tcp[k];

	switch (id) {
	case F_TCP_STREAM: return zd_w_u64(w, s->stream);
	case F_TCP_SEQ: return zd_w_u64(w, s->rel_seq);
	case F_TCP_ACK: return zd_w_u64(w, s->rel_ack);
	case F_TCP_NXTSEQ: return zd_w_u64(w, (uint32_t)(s->rel_seq + seg_space(e, k)));
	case F_TCP_WINDOW_SIZE: return zd_w_u64(w, s->window);
	default:
		if (s->scale < 0) {
			*w++ = '-';
			return zd_w_u64(w, (uint64_t)-s->scale);
		}
		return zd_w_u64(w, (uint64_t)s->scale);
	}
}

/*
 * A TCP header cut short in an ICMP error's quote: tshark shows its raw
 * sequence number as tcp.seq once the quote holds 8 bytes of it (ICMPv4)
 * or 16 (ICMPv6), and from 16 bytes its raw tcp.ack too.
 */
static char *quoted_stop_seq(zd_emit *e, char *w, unsigned id)
{
	const zc_pkt *pkt = e->pkt;
	unsigned q = zd_stop_quote(pkt);
	size_t n = e->raw_len;
	const uint8_t *p = e->raw_p;

	if (pkt->stop_kind != ZC_L_TCP || n >= ZC_TCP_MIN_HDR_LEN || (id != F_TCP_SEQ && id != F_TCP_ACK))
		return w;
	if (q && (n >= 16 || (q == 4 && n >= 8 && id == F_TCP_SEQ))) {
		w = occ(e, w);
		w = zd_w_u64(w, zc_load_be32(p + (id == F_TCP_SEQ ? 4 : 8)));
	}
	return w;
}

char *zd_conv_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	if (id == F_UDP_STREAM) {
		for (k = 0; k < e->nk[ZC_L_UDP]; k++) {
			if (e->udp_stream[k] == UINT32_MAX)
				continue;
			w = occ(e, w);
			w = zd_w_u64(w, e->udp_stream[k]);
		}
		return w;
	}
	for (k = 0; k < e->nk[ZC_L_TCP]; k++) {
		if (!e->tcp_ok[k] || (id == F_TCP_WINDOW_SCALEFACTOR && e->tcp[k].scale == 0) ||
		    (id == F_TCP_NXTSEQ && !e->tcp_analysed[k]))
			continue;
		w = occ(e, w);
		w = tcp_value(e, w, id, k);
	}
	return quoted_stop_seq(e, w, id);
}
