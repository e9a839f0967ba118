/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/ipv4.c - IPv4 in and out (RFC 791, RFC 1122) and ICMP (RFC 792):
 * echo, and the errors the stack sends.
 */
#include "internal.h"

/* The most of an offending datagram an ICMP error quotes: the error fits 576 bytes (RFC 1812 4.3.2.3). */
#define ZCS_ICMP_QUOTE_MAX (576 - ZC_IPV4_MIN_HDR_LEN - ZC_ICMP_HDR_LEN)

static bool is_broadcast(const zcs_stack *s, uint32_t dst)
{
	return dst == 0xffffffffu || (s->cfg.prefix_len < 31 && (dst & ~s->netmask) == ~s->netmask &&
				      (dst & s->netmask) == (s->cfg.addr & s->netmask));
}

zc_err zcs_ipv4_output(zcs_stack *s, uint32_t dst, uint8_t proto, size_t l4_len, uint64_t now)
{
	uint8_t *ip = s->out + ZCS_L2_ROOM;
	size_t len = ZC_IPV4_MIN_HDR_LEN + l4_len;
	uint32_t next_hop = dst;
	zc_ipv4_rw v;

	bool bcast = dst == 0xffffffffu || is_broadcast(s, dst);

	if (len > s->cfg.max_datagram && len > s->cfg.mtu && !s->tx_gso.size)
		return ZC_E_MSGSIZE;
	/* A TUN link is point to point: everything goes to the device, whatever the subnet. */
	if (s->cfg.link == ZCS_LINK_ETH && (dst & s->netmask) != (s->cfg.addr & s->netmask) && dst != 0xffffffffu) {
		if (!s->cfg.gateway)
			return ZC_E_NOROUTE;
		next_hop = s->cfg.gateway;
	}
	ip[ZC_IPV4_VER_IHL_OFF] = 0x45;
	ip[ZC_IPV4_TOS_OFF] = 0;
	zc_store_be16(ip + ZC_IPV4_TOTLEN_OFF, (uint16_t)len);
	zc_store_be16(ip + ZC_IPV4_ID_OFF, s->ip_id++);
	/*
	 * TCP goes with DF, so that a router that cannot forward a segment says
	 * so (RFC 1191); what the stack itself must fragment does not.
	 */
	zc_store_be16(ip + ZC_IPV4_FRAG_OFF,
		      proto == ZC_IPPROTO_TCP && (len <= s->cfg.mtu || s->tx_gso.size) ? ZC_IPV4_F_DF : 0);
	ip[ZC_IPV4_TTL_OFF] = 64;
	ip[ZC_IPV4_PROTO_OFF] = proto;
	zc_store_be16(ip + ZC_IPV4_CSUM_OFF, 0);
	zc_store_be32(ip + ZC_IPV4_SRC_OFF, s->cfg.addr);
	zc_store_be32(ip + ZC_IPV4_DST_OFF, dst);
	/* The header just written is valid: the view only serves to fill its sum. */
	if (zc_ipv4_parse_rw(zc_wbuf_make(ip, len), &v) != ZC_OK)
		return ZC_E_INVALID;
	zc_ipv4_csum_fill(v);
	/* A large TCP segment is the device's to cut (zcs_config.tso_max), never fragmented. */
	if (len > s->cfg.mtu && !s->tx_gso.size)
		return zcs_ipv4_fragment_out(s, ip, len, next_hop, bcast, now);
	if (s->cfg.link == ZCS_LINK_IP) {
		zcs_link_tx(s, ip, len);
		return ZC_OK;
	}
	if (bcast) {
		zcs_eth_send(s, s->out, ZCS_L2_ROOM + len, NULL, ZC_ETH_P_IPV4);
		return ZC_OK;
	}
	return zcs_neigh_output_v4(s, s->out, len, next_hop, now);
}

/* Sends the ICMP message of l4_len bytes built at the transport offset of s->out; true when it went (or waits for ARP). */
static bool icmp4_send(zcs_stack *s, uint32_t dst, size_t l4_len, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV4_MIN_HDR_LEN;
	zc_icmp4_rw v;

	zc_store_be16(m + ZC_ICMP_CSUM_OFF, 0);
	if (zc_icmp4_parse_rw(zc_wbuf_make(m, l4_len), &v) != ZC_OK)
		return false;
	zc_icmp4_csum_fill(v);
	return zcs_ipv4_output(s, dst, ZC_IPPROTO_ICMP, l4_len, now) == ZC_OK;
}

void zcs_icmp4_error(zcs_stack *s, zc_ipv4 ip, uint8_t type, uint8_t code, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV4_MIN_HDR_LEN;
	size_t q = zc_ipv4_hdr_len(ip) + zc_ipv4_payload(ip).len;

	/* Never about a broadcast, a fragment past the first, or from no one (RFC 1122 3.2.2). */
	if (!zcs_is_ours(s, zc_ipv4_dst(ip)) || !zc_ipv4_is_first_fragment(ip) || zc_ipv4_src(ip) == 0)
		return;
	if (q > ZCS_ICMP_QUOTE_MAX)
		q = ZCS_ICMP_QUOTE_MAX;
	if (q > s->cfg.mtu - ZC_IPV4_MIN_HDR_LEN - ZC_ICMP_HDR_LEN)
		q = s->cfg.mtu - ZC_IPV4_MIN_HDR_LEN - ZC_ICMP_HDR_LEN;
	m[0] = type;
	m[1] = code;
	memset(m + 4, 0, 4);
	memcpy(m + ZC_ICMP_HDR_LEN, zc_ipv4_header(ip).p, q);
	if (icmp4_send(s, zc_ipv4_src(ip), ZC_ICMP_HDR_LEN + q, now))
		ZCS_INC(s, icmp_unreach_sent);
}

/*
 * The next hop's MTU of a fragmentation needed: its field (RFC 1191 section
 * 4), or for a router too old to fill it, the plateau below the quoted
 * datagram's length (section 7).
 */
static uint32_t frag_needed_mtu(zc_icmp4 v, zc_ipv4 q)
{
	static const uint16_t plateau[] = { 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68 };
	uint16_t len = zc_ipv4_total_len_field(q);
	unsigned i;

	if (zc_icmp4_mtu(v))
		return zc_icmp4_mtu(v);
	for (i = 0; i < sizeof plateau / sizeof plateau[0]; i++)
		if (plateau[i] < len)
			return plateau[i];
	return 0;
}

/* A fragmentation needed about a TCP segment of ours goes to its connection; the rest of the errors are ignored. */
static void icmp4_error_input(zcs_stack *s, zc_icmp4 v, uint64_t now)
{
	zcs_naddr local, remote;
	zc_ipv4 q;

	if (zc_icmp4_type(v) != ZC_ICMP4_DEST_UNREACH || zc_icmp4_code(v) != 4)
		return;
	/* The quote: our datagram's header and at least 8 bytes of it, as a view of what is there. */
	if (zc_ipv4_parse_lax(zc_icmp4_payload(v), &q) != ZC_OK || zc_ipv4_proto(q) != ZC_IPPROTO_TCP ||
	    !zcs_is_ours(s, zc_ipv4_src(q)) || !zc_ipv4_is_first_fragment(q)) {
		ZCS_INC(s, drop_icmp_mtu);
		return;
	}
	local = zcs_naddr4(zc_ipv4_src(q));
	remote = zcs_naddr4(zc_ipv4_dst(q));
	zcs_tcp_mtu_input(s, &local, &remote, zc_ipv4_payload(q), frag_needed_mtu(v, q), now);
}

static zc_err icmp4_input(zcs_stack *s, zc_ipv4 ip, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV4_MIN_HDR_LEN;
	zc_icmp4 v;
	size_t len;

	if (zc_icmp4_parse(zc_ipv4_payload(ip), &v) != ZC_OK || !zc_icmp4_csum_ok(v)) {
		ZCS_INC(s, drop_icmp_bad);
		return ZC_E_INVALID;
	}
	if (zc_icmp4_type(v) != ZC_ICMP4_ECHO_REQUEST) {
		/* Replies to others: nothing of ours to tell. */
		if (zc_icmp4_is_error(v) && zcs_is_ours(s, zc_ipv4_dst(ip)))
			icmp4_error_input(s, v, now);
		return ZC_OK;
	}
	/* An echo to a broadcast address is not answered (RFC 1122 3.2.2.6 allows silence). */
	if (!zcs_is_ours(s, zc_ipv4_dst(ip)))
		return ZC_OK;
	len = zc_icmp4_msg_len(v);
	if (ZC_IPV4_MIN_HDR_LEN + len > s->cfg.max_datagram && ZC_IPV4_MIN_HDR_LEN + len > s->cfg.mtu) {
		ZCS_INC(s, drop_icmp_bad);
		return ZC_E_MSGSIZE;
	}
	/* The reply carries the request's identifier, sequence number and data (RFC 792). */
	memcpy(m, zc_ipv4_payload(ip).p, len);
	m[0] = ZC_ICMP4_ECHO_REPLY;
	m[1] = 0;
	/* Counted when it went: a reply with no route to its asker is not one. */
	if (icmp4_send(s, zc_ipv4_src(ip), len, now))
		ZCS_INC(s, icmp_echo_replies);
	return ZC_OK;
}

/* UDP or TCP over IPv4: the datagram as the transports take it. */
static zc_err transport_input(zcs_stack *s, zc_ipv4 ip, bool trusted, uint64_t now)
{
	zcs_rx rx;

	memset(&rx, 0, sizeof rx);
	rx.src = zcs_naddr4(zc_ipv4_src(ip));
	rx.dst = zcs_naddr4(zc_ipv4_dst(ip));
	rx.l4 = zc_ipv4_payload(ip);
	rx.l4_len = zc_ipv4_upper_len(ip);
	rx.pseudo = zc_ipv4_pseudo(ip, rx.l4_len);
	rx.unicast = zcs_is_ours(s, zc_ipv4_dst(ip));
	rx.csum_trusted = trusted;
	rx.ip4 = ip;
	if (zc_ipv4_proto(ip) == ZC_IPPROTO_UDP)
		return zcs_udp_input(s, &rx, now);
	return zcs_tcp_input(s, &rx, now);
}

zc_err zcs_ipv4_input(zcs_stack *s, zc_buf b, uint64_t now)
{
	zc_ipv4 ip;
	uint32_t dst;
	bool trusted;

	if (zc_ipv4_parse(b, &ip) != ZC_OK || !zc_ipv4_csum_ok(ip)) {
		ZCS_INC(s, drop_ip_bad);
		return ZC_E_INVALID;
	}
	dst = zc_ipv4_dst(ip);
	if (!zcs_is_ours(s, dst) && !is_broadcast(s, dst)) {
		ZCS_INC(s, drop_ip_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	/* The device vouched for one frame: a datagram made of several is checked whole. */
	trusted = (s->rx_flags & ZCS_RX_CSUM_TRUSTED) && !zc_ipv4_is_fragment(ip);
	if (zc_ipv4_is_fragment(ip)) {
		zc_ipv4 whole;
		zc_err e = zcs_frag_input(s, ip, now, &whole);

		if (e != ZC_OK)
			return e == ZC_E_AGAIN ? ZC_OK : e;
		ip = whole;
	}
	switch (zc_ipv4_proto(ip)) {
	case ZC_IPPROTO_ICMP:
		return icmp4_input(s, ip, now);
	case ZC_IPPROTO_UDP:
	case ZC_IPPROTO_TCP:
		return transport_input(s, ip, trusted, now);
	default:
		ZCS_INC(s, drop_ip_proto);
		zcs_icmp4_error(s, ip, ZC_ICMP4_DEST_UNREACH, 2, now); /* protocol unreachable */
		return ZC_E_UNSUPPORTED;
	}
}
