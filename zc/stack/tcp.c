/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/tcp.c - TCP (RFC 9293). This release has no TCP sockets: every
 * port is closed, and a closed port answers as RFC 9293 section 3.10.7.1
 * says, with a reset, so that a peer learns at once that nobody listens.
 */
#include "internal.h"

zc_err zcs_tcp_input(zcs_stack *s, zc_ipv4 ip, uint64_t now)
{
	uint8_t *r = s->out + ZCS_L2_ROOM + ZC_IPV4_MIN_HDR_LEN;
	uint32_t seq, ack, seg_len;
	uint8_t flags;
	zc_ipv4 rip;
	zc_tcp t, rt;

	if (zc_tcp_parse(zc_ipv4_payload(ip), &t) != ZC_OK ||
	    !zc_tcp_csum_ok(t, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)))) {
		ZCS_INC(s, drop_tcp_bad);
		return ZC_E_INVALID;
	}
	ZCS_INC(s, drop_tcp_closed);
	flags = zc_tcp_flags(t);
	/* A reset is never answered; nor is anything sent to a broadcast address. */
	if ((flags & ZC_TCP_RST) || !zcs_is_ours(s, zc_ipv4_dst(ip)))
		return ZC_E_UNSUPPORTED;
	/* SYN and FIN each take a sequence number (RFC 9293 3.4). */
	seg_len = (uint32_t)zc_tcp_payload(t).len + !!(flags & ZC_TCP_SYN) + !!(flags & ZC_TCP_FIN);
	if (flags & ZC_TCP_ACK) {
		seq = zc_tcp_ack(t);
		ack = 0;
		flags = ZC_TCP_RST;
	} else {
		seq = 0;
		ack = zc_tcp_seq(t) + seg_len;
		flags = ZC_TCP_RST | ZC_TCP_ACK;
	}
	memset(r, 0, ZC_TCP_MIN_HDR_LEN);
	zc_store_be16(r + ZC_TCP_SPORT_OFF, zc_tcp_dst_port(t));
	zc_store_be16(r + ZC_TCP_DPORT_OFF, zc_tcp_src_port(t));
	zc_store_be32(r + ZC_TCP_SEQ_OFF, seq);
	zc_store_be32(r + ZC_TCP_ACK_OFF, ack);
	r[ZC_TCP_DOFF_OFF] = (ZC_TCP_MIN_HDR_LEN / 4) << 4;
	r[ZC_TCP_FLAGS_OFF] = flags;
	/* The pseudo-header needs the addresses before the IP header is written whole. */
	zc_store_be32(r - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_SRC_OFF, s->cfg.addr);
	zc_store_be32(r - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_DST_OFF, zc_ipv4_src(ip));
	r[-ZC_IPV4_MIN_HDR_LEN] = 0x45;
	zc_store_be16(r - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_TOTLEN_OFF, ZC_IPV4_MIN_HDR_LEN + ZC_TCP_MIN_HDR_LEN);
	r[-ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_PROTO_OFF] = ZC_IPPROTO_TCP;
	if (zc_ipv4_parse(zc_buf_make(r - ZC_IPV4_MIN_HDR_LEN, ZC_IPV4_MIN_HDR_LEN + ZC_TCP_MIN_HDR_LEN), &rip) != ZC_OK ||
	    zc_tcp_parse(zc_ipv4_payload(rip), &rt) != ZC_OK)
		return ZC_E_INVALID;
	zc_tcp_csum_fill(rt, zc_ipv4_pseudo(rip, ZC_TCP_MIN_HDR_LEN));
	ZCS_INC(s, tcp_rst_sent);
	(void)zcs_ipv4_output(s, zc_ipv4_src(ip), ZC_IPPROTO_TCP, ZC_TCP_MIN_HDR_LEN, now);
	return ZC_E_UNSUPPORTED;
}
