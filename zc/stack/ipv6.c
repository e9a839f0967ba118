/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/ipv6.c - IPv6 in and out (RFC 8200) and ICMPv6 (RFC 4443): the
 * stack's addresses, echo, the errors it sends, and the hand-off of UDP and
 * TCP to their files.
 */
#include "internal.h"

/* The most an ICMPv6 error may be: the minimum MTU (RFC 4443 2.4 (c)). */
#define ZCS_ICMP6_ERROR_MAX 1280

/* No next header (RFC 8200 4.7). */
#define ZCS_IPPROTO_NONE 59

static const uint8_t all_nodes[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static bool is_link_local(const uint8_t *a) { return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; }

int zcs_addr6_index(const zcs_stack *s, const uint8_t *a)
{
	int i;

	for (i = 0; i < ZCS_ADDR6_N; i++)
		if (s->addr6_state[i] != ADDR6_NONE && memcmp(s->addr6[i], a, 16) == 0)
			return i;
	return -1;
}

bool zcs_addr6_usable(const zcs_stack *s, const uint8_t *a)
{
	int i = zcs_addr6_index(s, a);

	return i >= 0 && s->addr6_state[i] == ADDR6_PREFERRED;
}

bool zcs_addr6_our_group(const zcs_stack *s, const uint8_t *a)
{
	static const uint8_t sn[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };
	int i;

	if (memcmp(a, all_nodes, 16) == 0)
		return true;
	if (memcmp(a, sn, 13) != 0)
		return false;
	for (i = 0; i < ZCS_ADDR6_N; i++)
		if (s->addr6_state[i] != ADDR6_NONE && memcmp(s->addr6[i] + 13, a + 13, 3) == 0)
			return true;
	return false;
}

const uint8_t *zcs_addr6_src_for(const zcs_stack *s, const uint8_t *dst)
{
	return !is_link_local(dst) && dst[0] != 0xff && s->addr6_state[1] == ADDR6_PREFERRED ? s->addr6[1]
											 : s->addr6[0];
}

/* True when dst is on the link: link-local, multicast, or inside the configured prefix. */
static bool on_link(const zcs_stack *s, const uint8_t *dst)
{
	unsigned bits = s->cfg.prefix6_len, i;

	if (is_link_local(dst) || dst[0] == 0xff)
		return true;
	if (s->addr6_state[1] == ADDR6_NONE)
		return false;
	for (i = 0; i < bits / 8; i++)
		if (dst[i] != s->addr6[1][i])
			return false;
	return bits % 8 == 0 || ((dst[i] ^ s->addr6[1][i]) & (0xff00 >> (bits % 8))) == 0;
}

/* Sends the IPv6 packet at frame + ZCS_L2_ROOM (len bytes, written whole) to dst over the link. */
static zc_err link_out6(zcs_stack *s, uint8_t *frame, size_t len, const uint8_t *dst, uint64_t now)
{
	if (s->cfg.link == ZCS_LINK_IP) {
		zcs_link_tx(s, frame + ZCS_L2_ROOM, len);
		return ZC_OK;
	}
	if (dst[0] == 0xff) {
		/* A group's frames go to 33:33 and the group's last four bytes (RFC 2464 section 7). */
		uint8_t mac[6] = { 0x33, 0x33, dst[12], dst[13], dst[14], dst[15] };

		zcs_eth_send(s, frame, ZCS_L2_ROOM + len, mac, ZC_ETH_P_IPV6);
		return ZC_OK;
	}
	{
		zcs_naddr key = zcs_naddr6(dst);

		return zcs_neigh_output(s, frame, len, &key, now);
	}
}

/*
 * A packet larger than the MTU leaves in fragments (RFC 8200 4.5): the
 * fixed header, a fragment header, and as many 8-byte blocks of the rest
 * as fit, each built in s->frag.
 */
static zc_err fragment_out6(zcs_stack *s, const uint8_t *ip, size_t len, const uint8_t *dst, uint64_t now)
{
	size_t per = (s->cfg.mtu - ZC_IPV6_HDR_LEN - ZC_IPV6_FRAG_HDR_LEN) & ~(size_t)7, data = len - ZC_IPV6_HDR_LEN;
	uint32_t id = ++s->ip6_id;
	size_t off;
	zc_err e;

	for (off = 0; off < data; off += per) {
		size_t n = data - off < per ? data - off : per;
		uint8_t *f = s->frag + ZCS_L2_ROOM;

		memcpy(f, ip, ZC_IPV6_HDR_LEN);
		zc_store_be16(f + ZC_IPV6_PLEN_OFF, (uint16_t)(ZC_IPV6_FRAG_HDR_LEN + n));
		f[ZC_IPV6_NXT_OFF] = ZC_IPPROTO_FRAGMENT;
		f[ZC_IPV6_HDR_LEN] = ip[ZC_IPV6_NXT_OFF];
		f[ZC_IPV6_HDR_LEN + 1] = 0;
		zc_store_be16(f + ZC_IPV6_HDR_LEN + 2, (uint16_t)(off | (off + n < data ? ZC_IPV6_FRAG_M : 0)));
		zc_store_be32(f + ZC_IPV6_HDR_LEN + 4, id);
		memcpy(f + ZC_IPV6_HDR_LEN + ZC_IPV6_FRAG_HDR_LEN, ip + ZC_IPV6_HDR_LEN + off, n);
		ZCS_INC(s, frag6_sent);
		if ((e = link_out6(s, s->frag, ZC_IPV6_HDR_LEN + ZC_IPV6_FRAG_HDR_LEN + n, dst, now)) != ZC_OK)
			return e;
	}
	return ZC_OK;
}

zc_err zcs_ipv6_output(zcs_stack *s, uint8_t *frame, const uint8_t *src, const uint8_t *dst, uint8_t nxt,
		       uint8_t hlim, size_t l4_len, uint64_t now)
{
	uint8_t *ip = frame + ZCS_L2_ROOM;
	size_t len = ZC_IPV6_HDR_LEN + l4_len;

	/* Beyond the MTU, fragments, up to max_datagram (the room of s->out); fragments are built from s->out. */
	if (len > s->cfg.mtu && (len > s->cfg.max_datagram || frame != s->out) && !s->tx_gso.size)
		return ZC_E_MSGSIZE;
	if (s->cfg.link == ZCS_LINK_ETH && !on_link(s, dst))
		return ZC_E_NOROUTE;
	if (!src)
		src = zcs_addr6_src_for(s, dst);
	zc_store_be32(ip, 6u << 28);
	zc_store_be16(ip + ZC_IPV6_PLEN_OFF, (uint16_t)l4_len);
	ip[ZC_IPV6_NXT_OFF] = nxt;
	ip[ZC_IPV6_HLIM_OFF] = hlim;
	memmove(ip + ZC_IPV6_SRC_OFF, src, 16);
	memmove(ip + ZC_IPV6_DST_OFF, dst, 16);
	/* A large TCP segment is the device's to cut (zcs_config.tso_max), never fragmented. */
	if (len > s->cfg.mtu && !s->tx_gso.size)
		return fragment_out6(s, ip, len, ip + ZC_IPV6_DST_OFF, now);
	return link_out6(s, frame, len, ip + ZC_IPV6_DST_OFF, now);
}

/* Sends the ICMPv6 message of len bytes built at the transport offset of s->out to dst; true when it went. */
static bool icmp6_send(zcs_stack *s, const uint8_t *src, const uint8_t *dst, size_t len, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV6_HDR_LEN;
	uint8_t to[16], from[16];
	zc_icmp6_rw v;

	/* dst and src may point into the frame being answered: keep them before anything is written. */
	memcpy(to, dst, 16);
	memcpy(from, src, 16);
	zc_store_be16(m + ZC_ICMP_CSUM_OFF, 0);
	if (zc_icmp6_parse_rw(zc_wbuf_make(m, len), &v) != ZC_OK)
		return false;
	zc_icmp6_csum_fill(v, zc_csum_pseudo6(from, to, ZC_IPPROTO_ICMPV6, (uint32_t)len));
	return zcs_ipv6_output(s, s->out, from, to, ZC_IPPROTO_ICMPV6, 64, len, now) == ZC_OK;
}

/* An ICMPv6 error about ip, quoting as much of it as fits 1280 bytes; pointer: a parameter problem's. */
void zcs_icmp6_error(zcs_stack *s, zc_ipv6 ip, uint8_t type, uint8_t code, uint32_t pointer, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV6_HDR_LEN;
	size_t q = zc_ipv6_hdr_len(ip) + zc_ipv6_payload(ip).len, max = ZCS_ICMP6_ERROR_MAX - ZC_IPV6_HDR_LEN - 8;

	if (!zcs_addr6_usable(s, zc_ipv6_dst(ip)) || zc_ipv6_src(ip)[0] == 0xff)
		return;
	if (q > max)
		q = max;
	if (q > s->cfg.mtu - ZC_IPV6_HDR_LEN - 8)
		q = s->cfg.mtu - ZC_IPV6_HDR_LEN - 8;
	m[0] = type;
	m[1] = code;
	zc_store_be32(m + 4, pointer);
	memcpy(m + 8, zc_ipv6_header(ip).p, q);
	if (icmp6_send(s, zc_ipv6_dst(ip), zc_ipv6_src(ip), 8 + q, now))
		ZCS_INC(s, icmp_unreach_sent);
}

/* A packet too big about a TCP segment of ours goes to its connection (RFC 8201 section 4). */
static void packet_too_big_input(zcs_stack *s, zc_icmp6 v, uint64_t now)
{
	zcs_naddr local, remote;
	zc_ipv6 q;

	/* The quote: as much of our packet as fits, a view of what is there. */
	if (zc_ipv6_parse_lax(zc_icmp6_payload(v), &q) != ZC_OK || zc_ipv6_proto(q) != ZC_IPPROTO_TCP ||
	    zc_ipv6_frag_offset(q) != 0 || !zcs_addr6_usable(s, zc_ipv6_src(q))) {
		ZCS_INC(s, drop_icmp_mtu);
		return;
	}
	local = zcs_naddr6(zc_ipv6_src(q));
	remote = zcs_naddr6(zc_ipv6_dst(q));
	zcs_tcp_mtu_input(s, &local, &remote, zc_ipv6_payload(q), zc_icmp6_mtu(v), now);
}

static zc_err icmp6_input(zcs_stack *s, zc_ipv6 ip, uint64_t now)
{
	uint8_t *m = s->out + ZCS_L2_ROOM + ZC_IPV6_HDR_LEN;
	zc_icmp6 v;
	size_t len;

	if (zc_icmp6_parse(zc_ipv6_payload(ip), &v) != ZC_OK ||
	    !zc_icmp6_csum_ok(v, zc_ipv6_pseudo(ip, zc_ipv6_upper_len(ip)))) {
		ZCS_INC(s, drop_icmp_bad);
		return ZC_E_INVALID;
	}
	switch (zc_icmp6_type(v)) {
	case ZC_ICMP6_NEIGH_SOLICIT:
	case ZC_ICMP6_NEIGH_ADVERT:
		return s->cfg.link == ZCS_LINK_ETH ? zcs_nd_input(s, ip, v, now) : ZC_OK;
	case ZC_ICMP6_ECHO_REQUEST:
		break;
	case ZC_ICMP6_PACKET_TOO_BIG:
		if (zcs_addr6_usable(s, zc_ipv6_dst(ip)))
			packet_too_big_input(s, v, now);
		return ZC_OK;
	default:
		return ZC_OK;
	}
	/* Echo to our unicast address only (RFC 4443 4.2 leaves group echo to the node). */
	if (!zcs_addr6_usable(s, zc_ipv6_dst(ip)))
		return ZC_OK;
	len = zc_icmp6_msg_len(v);
	if (ZC_IPV6_HDR_LEN + len > s->cfg.mtu && ZC_IPV6_HDR_LEN + len > s->cfg.max_datagram) {
		ZCS_INC(s, drop_icmp_bad);
		return ZC_E_MSGSIZE;
	}
	{
		uint8_t src[16], dst[16];

		memcpy(src, zc_ipv6_dst(ip), 16);
		memcpy(dst, zc_ipv6_src(ip), 16);
		memcpy(m, zc_ipv6_payload(ip).p, len);
		m[0] = ZC_ICMP6_ECHO_REPLY;
		m[1] = 0;
		if (icmp6_send(s, src, dst, len, now))
			ZCS_INC(s, icmp6_echo_replies);
	}
	return ZC_OK;
}

/* The offset of the next-header field that named ip's upper layer: a parameter problem's pointer. */
static uint32_t nxt_pointer(zc_ipv6 ip)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(ip);
	zc_ipv6_ext e;
	uint32_t at = ZC_IPV6_NXT_OFF;
	unsigned n;

	for (n = 0; n <= ZC_IPV6_MAX_EXT && zc_ipv6_ext_next(&it, &e); n++)
		at = e.off;
	return at;
}

/* UDP or TCP over IPv6: the datagram as the transports take it. */
static zc_err transport_input(zcs_stack *s, zc_ipv6 ip, bool trusted, uint64_t now)
{
	zcs_rx rx;

	/* Only a usable address takes them: a tentative one takes neighbour discovery alone (RFC 4862 5.4). */
	if (zcs_addr6_index(s, zc_ipv6_dst(ip)) >= 0 && !zcs_addr6_usable(s, zc_ipv6_dst(ip))) {
		ZCS_INC(s, drop_ip_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	memset(&rx, 0, sizeof rx);
	rx.src = zcs_naddr6(zc_ipv6_src(ip));
	rx.dst = zcs_naddr6(zc_ipv6_dst(ip));
	rx.l4 = zc_ipv6_payload(ip);
	rx.l4_len = zc_ipv6_upper_len(ip);
	rx.pseudo = zc_ipv6_pseudo(ip, rx.l4_len);
	rx.unicast = zc_ipv6_dst(ip)[0] != 0xff;
	rx.csum_trusted = trusted;
	rx.ip6 = ip;
	if (zc_ipv6_proto(ip) == ZC_IPPROTO_UDP)
		return zcs_udp_input(s, &rx, now);
	return zcs_tcp_input(s, &rx, now);
}

zc_err zcs_ipv6_input(zcs_stack *s, zc_buf b, uint64_t now)
{
	const uint8_t *dst;
	zc_ipv6 ip;
	bool trusted;

	if (s->addr6_state[0] == ADDR6_NONE && s->addr6_state[1] == ADDR6_NONE) {
		ZCS_INC(s, drop_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	if (zc_ipv6_parse(b, &ip) != ZC_OK) {
		ZCS_INC(s, drop_ip_bad);
		return ZC_E_INVALID;
	}
	dst = zc_ipv6_dst(ip);
	/* A tentative address takes only neighbour discovery (RFC 4862 5.4). */
	if (zcs_addr6_index(s, dst) < 0 && !zcs_addr6_our_group(s, dst)) {
		ZCS_INC(s, drop_ip_not_ours);
		return ZC_E_UNSUPPORTED;
	}
	/* The device vouched for one frame: a datagram made of several is checked whole. */
	trusted = (s->rx_flags & ZCS_RX_CSUM_TRUSTED) && !zc_ipv6_is_fragment(ip);
	if (zc_ipv6_is_fragment(ip)) {
		zc_ipv6 whole;
		zc_err e = zcs_frag6_input(s, ip, now, &whole);

		if (e != ZC_OK)
			return e == ZC_E_AGAIN ? ZC_OK : e;
		ip = whole;
	}
	switch (zc_ipv6_proto(ip)) {
	case ZC_IPPROTO_ICMPV6:
		return icmp6_input(s, ip, now);
	case ZC_IPPROTO_UDP:
	case ZC_IPPROTO_TCP:
		return transport_input(s, ip, trusted, now);
	case ZCS_IPPROTO_NONE:
		return ZC_OK; /* nothing follows (RFC 8200 4.7) */
	default:
		/* An unrecognized next header (RFC 8200 4, RFC 4443 3.4 code 1). */
		ZCS_INC(s, drop_ip_proto);
		zcs_icmp6_error(s, ip, ZC_ICMP6_PARAM_PROBLEM, 1, nxt_pointer(ip), now);
		return ZC_E_UNSUPPORTED;
	}
}
