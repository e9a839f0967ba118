/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_bad.c - what tcpdump -nn prints of two kinds of
 * packet libzc rejects, so that the default line still agrees with it: an
 * IP packet longer than what carries it ("truncated-ip - N bytes
 * missing!", and then the packet as far as it goes), and an IPv6 packet
 * whose options header has an option running past its end (tcpdump reads
 * destination options only with -v, and stops at a bad hop-by-hop option).
 */
#include "line.h"

/* Where layer l's bytes end in the frame, as it declares them; 0 when it declares nothing zcdump uses. */
static size_t layer_end(const zc_layer *l)
{
	switch (l->kind) {
	case ZC_L_IPV4:
		return l->off + zc_ipv4_total_len(l->v.ipv4);
	case ZC_L_IPV6:
		return l->off + ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(l->v.ipv6);
	case ZC_L_UDP:
		return l->off + zc_udp_length(l->v.udp);
	case ZC_L_GRE:
		return l->off + zc_gre_pkt_len(l->v.gre);
	case ZC_L_ETH:
		return l->off + zc_eth_frame_len(l->v.eth);
	default:
		return 0;
	}
}

/* The bytes of the layer that failed, up to the end of what encloses it; false when unknown. */
static bool failed_bytes(const zc_pkt *pkt, zc_buf *b)
{
	size_t end = pkt->frame.len, e;

	if (pkt->err_layer == 0 || pkt->err_layer > pkt->n || pkt->err_off >= pkt->frame.len)
		return false;
	e = layer_end(&pkt->l[pkt->err_layer - 1]);
	if (!e || e <= pkt->err_off)
		return false;
	if (e < end)
		end = e;
	*b = zc_buf_make(pkt->frame.p + pkt->err_off, end - pkt->err_off);
	return true;
}

size_t zd_line_sub_parse(const zc_pkt *pkt, zc_pkt *sub)
{
	zc_buf b;
	size_t want;

	if (pkt->err != ZC_E_LENGTH || (pkt->err_kind != ZC_L_IPV4 && pkt->err_kind != ZC_L_IPV6) ||
	    !failed_bytes(pkt, &b) || b.len < 6)
		return 0;
	if (pkt->err_kind == ZC_L_IPV4)
		want = zc_load_be16(b.p + 2);
	else
		want = ZC_IPV6_HDR_LEN + (size_t)zc_load_be16(b.p + 4);
	if (want <= b.len)
		return 0;
	if (zc_parse(b, pkt->err_kind == ZC_L_IPV4 ? ZC_LINKTYPE_IPV4 : ZC_LINKTYPE_IPV6, ZC_PARSE_LAX, sub) !=
		    ZC_OK ||
	    sub->n == 0 || sub->l[0].kind != pkt->err_kind)
		return 0;
	return want - b.len;
}

bool zd_line_bad_opts(const zc_pkt *pkt)
{
	zc_buf b;

	return pkt->err == ZC_E_OPTION && pkt->err_kind == ZC_L_IPV6 && failed_bytes(pkt, &b) &&
	       b.len >= ZC_IPV6_HDR_LEN && (b.p[0] >> 4) == 6;
}

/* The upper layer after the options headers: TCP or UDP, as tcpdump shows them after extension headers. */
static void put_upper(zd_out *o, uint8_t nh, zc_buf b)
{
	zc_tcp t;
	zc_udp u;

	if (nh == ZC_IPPROTO_TCP) {
		if (b.len < 4 || zc_tcp_parse(b, &t) != ZC_OK) {
			zd_puts(o, b.len < 4 ? "[|tcp]" : " [|tcp]");
			return;
		}
		zd_u64(o, zc_tcp_src_port(t));
		zd_puts(o, " > ");
		zd_u64(o, zc_tcp_dst_port(t));
		zd_puts(o, ": ");
		zd_line_tcp(o, t, b.len, NULL);
	} else if (nh == ZC_IPPROTO_UDP && zc_udp_parse_lax(b, &u) == ZC_OK) {
		zd_u64(o, zc_udp_src_port(u));
		zd_puts(o, " > ");
		zd_u64(o, zc_udp_dst_port(u));
		zd_puts(o, ": UDP, length ");
		zd_u64(o, zc_udp_length(u) >= ZC_UDP_HDR_LEN ? zc_udp_length(u) - ZC_UDP_HDR_LEN : 0);
	} else {
		zd_puts(o, " ip-proto-");
		zd_u64(o, nh);
		zd_putc(o, ' ');
		zd_u64(o, b.len);
	}
}

void zd_line_bad_opts_print(zd_out *o, const zc_pkt *pkt, bool bare)
{
	zc_buf b;
	size_t at = ZC_IPV6_HDR_LEN, end, hl;
	uint8_t nh;
	unsigned steps;

	if (!failed_bytes(pkt, &b) || b.len < ZC_IPV6_HDR_LEN)
		return;
	end = ZC_IPV6_HDR_LEN + (size_t)zc_load_be16(b.p + 4);
	if (end > b.len)
		end = b.len;
	if (!bare)
		zd_puts(o, "IP6 ");
	zd_ipv6(o, b.p + 8);
	zd_puts(o, " > ");
	zd_ipv6(o, b.p + 24);
	zd_puts(o, ": ");
	nh = b.p[6];
	for (steps = 0; steps < 8 && (nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_DSTOPTS); steps++) {
		if (end - at < 2)
			goto cut;
		hl = ((size_t)b.p[at + 1] + 1) * 8;
		if (end - at < hl)
			goto cut;
		if (nh == ZC_IPPROTO_HOPOPTS) {
			zd_puts(o, "HBH ");
			if (zc_ipv6_opts_check(b.p + at, hl) != ZC_OK) {
				zd_puts(o, " [|hbhopt]");
				return;
			}
		} else {
			zd_puts(o, "DSTOPT ");
		}
		nh = b.p[at];
		at += hl;
	}
	put_upper(o, nh, zc_buf_make(b.p + at, end - at));
	return;

cut:
	zd_puts(o, nh == ZC_IPPROTO_HOPOPTS ? " [|hbhopt]" : " [|dstopt]");
}
