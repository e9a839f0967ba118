/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_setters.c - every setter, and the checksums it must keep right.
 *
 * Input: a SET_PREFIX-byte block of values, then a packet.
 *   [0]      control: bit 0 raw IP (else Ethernet), bit 1 fill every checksum
 *            first, bit 2 parse IP and UDP lax (captures cut short)
 *   [1]      IPv4 TTL          [2] IPv4 TOS        [3..4] IPv4 ID
 *   [5]      IPv6 hop limit    [6..7] source port  [8..9] destination port
 *   [10..13] TCP sequence      [14..17] TCP ack    [18..19] TCP window
 *   [20]     TCP flags         [21..26] Ethernet destination
 *   [27..32] Ethernet source   [33..48] source address (IPv4: first 4 bytes)
 *   [49..64] destination address (IPv4: first 4 bytes)
 *
 * The harness parses the packet, optionally fills every checksum (IPv4
 * header, TCP, UDP, ICMP, ICMPv6), applies every setter of every layer it
 * parsed, parses again and asserts:
 *  - the new parse succeeds with the same lengths and protocol;
 *  - every edited field reads back as written (TTL after zc_ipv4_dec_ttl());
 *  - after a fill every checksum verifies; after the edits every checksum
 *    that verified before still verifies (incremental updates, RFC 1624),
 *    the IPv4 addresses and IPv6 addresses moving the TCP, UDP and ICMPv6
 *    pseudo-header sums with them;
 *  - the UDP rule: a checksum of 0 verifies over IPv4 ("none") and not
 *    over IPv6 (RFC 8200 section 8.1), and stays 0 through the edits; a
 *    non-zero one never becomes 0, and a fill never writes 0.
 */
#include "driver.h"

#include <string.h>

#define SET_PREFIX 65

/* The packet's own allocation, which the setters edit through handles. */
static zc_wbuf pkt_mem;

/*
 * rw_<name>(v): the writable handle on view v, which lies in pkt_mem:
 * zc_<name>_rw_of() must accept it.
 */
#define RW_FN(name)                                                                      \
	static zc_##name##_rw rw_##name(zc_##name v)                                     \
	{                                                                                \
		zc_##name##_rw h;                                                        \
		ZC_FUZZ_CHECK(zc_##name##_rw_of(pkt_mem, v, &h) == ZC_OK,                \
			      "zc_" #name "_rw_of refused a view of writable bytes");    \
		return h;                                                                \
	}
RW_FN(eth)
RW_FN(ipv4)
RW_FN(ipv6)
RW_FN(tcp)
RW_FN(udp)
RW_FN(icmp4)
RW_FN(icmp6)

#define CTL_RAW 0x01
#define CTL_FILL 0x02
#define CTL_LAX 0x04

struct vals {
	uint8_t ctl, ttl, tos, hlim, tflags;
	uint16_t id, sport, dport, win;
	uint32_t seq, ack, src4, dst4;
	uint8_t mac_dst[6], mac_src[6], src6[16], dst6[16];
};

static void vals_read(struct vals *v, const uint8_t *d)
{
	v->ctl = d[0];
	v->ttl = d[1];
	v->tos = d[2];
	v->id = zc_load_be16(d + 3);
	v->hlim = d[5];
	v->sport = zc_load_be16(d + 6);
	v->dport = zc_load_be16(d + 8);
	v->seq = zc_load_be32(d + 10);
	v->ack = zc_load_be32(d + 14);
	v->win = zc_load_be16(d + 18);
	v->tflags = d[20];
	memcpy(v->mac_dst, d + 21, 6);
	memcpy(v->mac_src, d + 27, 6);
	memcpy(v->src6, d + 33, 16);
	memcpy(v->dst6, d + 49, 16);
	v->src4 = zc_load_be32(d + 33);
	v->dst4 = zc_load_be32(d + 49);
}

/* The upper layer of one packet: which parsed, and which checksums held. */
struct l4 {
	uint8_t proto;
	bool v6, parsed, ok;
	bool udp_zero;
	size_t tcp_hlen;
	uint16_t ns; /* TCP NS bit and reserved bits, which zc_tcp_set_flags keeps */
	/*
	 * IPv6 with a routing header that has segments left, or IPv4 with a
	 * source route that has addresses left: the pseudo-header holds the
	 * final destination (RFC 8200 section 8.1, RFC 9293 section 3.1), which
	 * is not the destination field, so zc_ipv6_set_dst() and
	 * zc_ipv4_set_dst() leave the upper layer alone. The harness then keeps
	 * summing with the destination it started with.
	 */
	bool rt;
	uint8_t dst0[16];
};

static uint32_t l4_pseudo(const struct l4 *s, zc_ipv4 ip4, zc_ipv6 ip6, size_t len)
{
	if (!s->v6)
		return zc_csum_pseudo4(zc_ipv4_src(ip4), s->rt ? zc_load_be32(s->dst0) : zc_ipv4_dst(ip4),
				       zc_ipv4_proto(ip4), (uint32_t)len);
	return zc_csum_pseudo6(zc_ipv6_src(ip6), s->rt ? s->dst0 : zc_ipv6_dst(ip6), zc_ipv6_proto(ip6), (uint32_t)len);
}

/* The UDP checksum rule of the packet's IP version. */
static zc_udp_over l4_udp_over(const struct l4 *s)
{
	return s->v6 ? ZC_UDP_OVER_IPV6 : ZC_UDP_OVER_IPV4;
}

static bool routing_in_flight(zc_ipv6 v)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(v);
	zc_ipv6_ext e;

	while (zc_ipv6_ext_next(&it, &e) == 1)
		if (e.type == ZC_IPPROTO_ROUTING && e.p[3] != 0)
			return true;
	return false;
}

/* The same for IPv4: an LSRR or SSRR option whose pointer leaves room for an address (RFC 791). */
static bool route_in_flight4(zc_ipv4 v)
{
	zc_opt_iter it = zc_ipv4_opts(v);
	zc_opt o;

	while (zc_opt_next(&it, &o) == 1)
		if ((o.kind == ZC_IPV4_OPT_LSRR || o.kind == ZC_IPV4_OPT_SSRR) && o.len >= 3 && o.data[0] >= 4 &&
		    o.data[0] + 3 <= o.len)
			return true;
	return false;
}

/* Parses the upper layer in pl; fills its checksum when asked; records whether it verifies. */
static void l4_before(struct l4 *s, zc_buf pl, bool v6, zc_ipv4 ip4, zc_ipv6 ip6, bool fill, bool lax)
{
	zc_tcp t;
	zc_udp u;
	zc_icmp4 m4;
	zc_icmp6 m6;

	s->v6 = v6;
	s->parsed = false;
	if (v6) {
		s->rt = routing_in_flight(ip6);
		memcpy(s->dst0, zc_ipv6_dst(ip6), 16);
	} else {
		s->rt = route_in_flight4(ip4);
		zc_store_be32(s->dst0, zc_ipv4_dst(ip4));
	}
	switch (s->proto) {
	case ZC_IPPROTO_TCP:
		if (zc_tcp_parse(pl, &t) != ZC_OK)
			return;
		if (fill) {
			zc_tcp_csum_fill(rw_tcp(t), l4_pseudo(s, ip4, ip6, t.len));
			ZC_FUZZ_CHECK(zc_tcp_csum(t) == zc_tcp_csum_compute(t, l4_pseudo(s, ip4, ip6, t.len)),
				      "TCP fill stored %#x, compute gives %#x", zc_tcp_csum(t),
				      zc_tcp_csum_compute(t, l4_pseudo(s, ip4, ip6, t.len)));
		}
		s->ok = zc_tcp_csum_ok(t, l4_pseudo(s, ip4, ip6, t.len));
		s->tcp_hlen = zc_tcp_hdr_len(t);
		s->ns = zc_tcp_flags_all(t) & 0xf00;
		break;
	case ZC_IPPROTO_UDP:
		if ((lax ? zc_udp_parse_lax(pl, &u) : zc_udp_parse(pl, &u)) != ZC_OK)
			return;
		if (fill) {
			zc_udp_csum_fill(rw_udp(u), l4_pseudo(s, ip4, ip6, zc_udp_length(u)));
			ZC_FUZZ_CHECK(zc_udp_csum(u) != 0, "zc_udp_csum_fill wrote a checksum of 0");
		}
		s->ok = zc_udp_csum_ok(u, l4_pseudo(s, ip4, ip6, zc_udp_length(u)), l4_udp_over(s));
		s->udp_zero = zc_udp_csum(u) == 0;
		/* RFC 768 and RFC 8200 section 8.1: 0 is "none" over IPv4, invalid over IPv6. */
		ZC_FUZZ_CHECK(!s->udp_zero || s->ok == !v6, "a UDP checksum of 0 over IPv%d %s", v6 ? 6 : 4,
			      s->ok ? "verifies" : "does not verify");
		ZC_FUZZ_CHECK(!s->udp_zero || zc_udp_csum_ok(u, 0, ZC_UDP_OVER_IPV6_ZERO_OK),
			      "a UDP checksum of 0 does not verify in an RFC 6935 tunnel");
		break;
	case ZC_IPPROTO_ICMP:
		if (v6 || zc_icmp4_parse(pl, &m4) != ZC_OK)
			return;
		if (fill)
			zc_icmp4_csum_fill(rw_icmp4(m4));
		s->ok = zc_icmp4_csum_ok(m4);
		break;
	case ZC_IPPROTO_ICMPV6:
		if (!v6 || zc_icmp6_parse(pl, &m6) != ZC_OK)
			return;
		if (fill)
			zc_icmp6_csum_fill(rw_icmp6(m6), l4_pseudo(s, ip4, ip6, m6.len));
		s->ok = zc_icmp6_csum_ok(m6, l4_pseudo(s, ip4, ip6, m6.len));
		break;
	default:
		return;
	}
	s->parsed = true;
	ZC_FUZZ_CHECK(!fill || s->ok, "protocol %u: checksum does not verify right after a fill", s->proto);
}

/* Applies the upper layer's setters. */
static void l4_edit(const struct l4 *s, zc_buf pl, const struct vals *v, bool lax)
{
	zc_tcp t;
	zc_udp u;

	if (!s->parsed)
		return;
	if (s->proto == ZC_IPPROTO_TCP && zc_tcp_parse(pl, &t) == ZC_OK) {
		zc_tcp_set_src_port(rw_tcp(t), v->sport);
		zc_tcp_set_dst_port(rw_tcp(t), v->dport);
		zc_tcp_set_seq(rw_tcp(t), v->seq);
		zc_tcp_set_ack(rw_tcp(t), v->ack);
		zc_tcp_set_window(rw_tcp(t), v->win);
		zc_tcp_set_flags(rw_tcp(t), v->tflags);
	} else if (s->proto == ZC_IPPROTO_UDP && (lax ? zc_udp_parse_lax(pl, &u) : zc_udp_parse(pl, &u)) == ZC_OK) {
		zc_udp_set_src_port(rw_udp(u), v->sport);
		zc_udp_set_dst_port(rw_udp(u), v->dport);
	}
}

/* Parses the upper layer again: the edits read back and the checksums still hold. */
static void l4_after(const struct l4 *s, zc_buf pl, const struct vals *v, zc_ipv4 ip4, zc_ipv6 ip6, bool lax)
{
	zc_tcp t;
	zc_udp u;
	zc_icmp4 m4;
	zc_icmp6 m6;
	bool ok = false;

	if (!s->parsed)
		return;
	switch (s->proto) {
	case ZC_IPPROTO_TCP:
		ZC_FUZZ_CHECK(zc_tcp_parse(pl, &t) == ZC_OK, "TCP no longer parses after the edits");
		ZC_FUZZ_CHECK(zc_tcp_hdr_len(t) == s->tcp_hlen, "zc_tcp_set_flags moved the data offset");
		ZC_FUZZ_CHECK((zc_tcp_flags_all(t) & 0xf00) == s->ns, "zc_tcp_set_flags changed the NS/reserved bits");
		ZC_FUZZ_CHECK(zc_tcp_src_port(t) == v->sport && zc_tcp_dst_port(t) == v->dport, "TCP ports read back %u %u",
			      zc_tcp_src_port(t), zc_tcp_dst_port(t));
		ZC_FUZZ_CHECK(zc_tcp_seq(t) == v->seq && zc_tcp_ack(t) == v->ack, "TCP seq/ack read back");
		ZC_FUZZ_CHECK(zc_tcp_window(t) == v->win && zc_tcp_flags(t) == v->tflags, "TCP window/flags read back");
		ok = zc_tcp_csum_ok(t, l4_pseudo(s, ip4, ip6, t.len));
		break;
	case ZC_IPPROTO_UDP:
		ZC_FUZZ_CHECK((lax ? zc_udp_parse_lax(pl, &u) : zc_udp_parse(pl, &u)) == ZC_OK,
			      "UDP no longer parses after the edits");
		ZC_FUZZ_CHECK(zc_udp_src_port(u) == v->sport && zc_udp_dst_port(u) == v->dport, "UDP ports read back");
		/* RFC 768: 0 means "no checksum" and must stay so; a real one is never 0. */
		ZC_FUZZ_CHECK((zc_udp_csum(u) == 0) == s->udp_zero, "UDP checksum %s 0 after the edits (was %s)",
			      zc_udp_csum(u) == 0 ? "became" : "is no longer", s->udp_zero ? "0" : "non-zero");
		ok = zc_udp_csum_ok(u, l4_pseudo(s, ip4, ip6, zc_udp_length(u)), l4_udp_over(s));
		break;
	case ZC_IPPROTO_ICMP:
		ZC_FUZZ_CHECK(zc_icmp4_parse(pl, &m4) == ZC_OK, "ICMP no longer parses");
		ok = zc_icmp4_csum_ok(m4);
		break;
	case ZC_IPPROTO_ICMPV6:
		ZC_FUZZ_CHECK(zc_icmp6_parse(pl, &m6) == ZC_OK, "ICMPv6 no longer parses");
		ok = zc_icmp6_csum_ok(m6, l4_pseudo(s, ip4, ip6, m6.len));
		break;
	default:
		return;
	}
	ZC_FUZZ_CHECK(!s->ok || ok, "protocol %u over IPv%d: checksum verified before the edits, not after", s->proto,
		      s->v6 ? 6 : 4);
}

static zc_err parse4(zc_buf b, zc_ipv4 *v, bool lax)
{
	return lax ? zc_ipv4_parse_lax(b, v) : zc_ipv4_parse(b, v);
}

static void setters_ipv4(zc_buf b, const struct vals *val)
{
	bool lax = val->ctl & CTL_LAX, fill = val->ctl & CTL_FILL, ok, first;
	zc_ipv4 v, w;
	zc_ipv6 none = { 0 };
	struct l4 s = { 0 };
	uint8_t ttl;
	size_t hlen, len;

	if (parse4(b, &v, lax) != ZC_OK)
		return;
	hlen = zc_ipv4_hdr_len(v);
	len = v.len;
	first = zc_ipv4_is_first_fragment(v);
	if (fill) {
		zc_ipv4_csum_fill(rw_ipv4(v));
		ZC_FUZZ_CHECK(zc_ipv4_csum_ok(v), "IPv4 header checksum does not verify after a fill");
	}
	ok = zc_ipv4_csum_ok(v);
	s.proto = zc_ipv4_proto(v);
	if (first)
		l4_before(&s, zc_ipv4_payload(v), false, v, none, fill, lax);

	zc_ipv4_set_ttl(rw_ipv4(v), val->ttl);
	zc_ipv4_set_tos(rw_ipv4(v), val->tos);
	zc_ipv4_set_id(rw_ipv4(v), val->id);
	zc_ipv4_set_src(rw_ipv4(v), val->src4);
	zc_ipv4_set_dst(rw_ipv4(v), val->dst4);
	ttl = val->ttl;
	ZC_FUZZ_CHECK(zc_ipv4_dec_ttl(rw_ipv4(v)) == (ttl > 1), "zc_ipv4_dec_ttl answer for TTL %u", ttl);
	if (ttl > 1)
		ttl--;

	ZC_FUZZ_CHECK(parse4(b, &w, lax) == ZC_OK, "IPv4 no longer parses after the edits");
	ZC_FUZZ_CHECK(w.p == v.p && w.len == len && zc_ipv4_hdr_len(w) == hlen && zc_ipv4_proto(w) == s.proto,
		      "IPv4 setters changed a length or the protocol");
	ZC_FUZZ_CHECK(zc_ipv4_ttl(w) == ttl, "IPv4 TTL reads back %u, want %u", zc_ipv4_ttl(w), ttl);
	ZC_FUZZ_CHECK(zc_ipv4_tos(w) == val->tos && zc_ipv4_id(w) == val->id, "IPv4 TOS/ID read back");
	ZC_FUZZ_CHECK(zc_ipv4_src(w) == val->src4 && zc_ipv4_dst(w) == val->dst4, "IPv4 addresses read back");
	ZC_FUZZ_CHECK(!ok || zc_ipv4_csum_ok(w), "IPv4 header checksum verified before the edits, not after");
	if (!first)
		return;
	l4_edit(&s, zc_ipv4_payload(w), val, lax);
	l4_after(&s, zc_ipv4_payload(w), val, w, none, lax);
}

static zc_err parse6(zc_buf b, zc_ipv6 *v, bool lax)
{
	return lax ? zc_ipv6_parse_lax(b, v) : zc_ipv6_parse(b, v);
}

static void setters_ipv6(zc_buf b, const struct vals *val)
{
	bool lax = val->ctl & CTL_LAX, fill = val->ctl & CTL_FILL, first;
	zc_ipv6 v, w;
	zc_ipv4 none = { 0 };
	struct l4 s = { 0 };

	if (parse6(b, &v, lax) != ZC_OK)
		return;
	first = zc_ipv6_frag_offset(v) == 0;
	s.proto = zc_ipv6_proto(v);
	if (first)
		l4_before(&s, zc_ipv6_payload(v), true, none, v, fill, lax);

	zc_ipv6_set_hlim(rw_ipv6(v), val->hlim);
	zc_ipv6_set_src(rw_ipv6(v), val->src6);
	zc_ipv6_set_dst(rw_ipv6(v), val->dst6);

	ZC_FUZZ_CHECK(parse6(b, &w, lax) == ZC_OK, "IPv6 no longer parses after the edits");
	ZC_FUZZ_CHECK(w.p == v.p && w.plen == v.plen && w.l4_off == v.l4_off && w.proto == v.proto &&
			      w.flags == v.flags && w.frag_off == v.frag_off,
		      "IPv6 setters changed the view");
	ZC_FUZZ_CHECK(zc_ipv6_hlim(w) == val->hlim, "IPv6 hop limit read back");
	ZC_FUZZ_CHECK(memcmp(zc_ipv6_src(w), val->src6, 16) == 0 && memcmp(zc_ipv6_dst(w), val->dst6, 16) == 0,
		      "IPv6 addresses read back");
	if (!first)
		return;
	l4_edit(&s, zc_ipv6_payload(w), val, lax);
	l4_after(&s, zc_ipv6_payload(w), val, none, w, lax);
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	struct vals val;
	uint8_t *pkt;
	zc_buf b, ip;
	zc_eth e, f;
	uint16_t type = 0;

	if (size < SET_PREFIX)
		return;
	vals_read(&val, data);
	/* The packet alone in its own allocation: the setters write into it. */
	size -= SET_PREFIX;
	pkt = malloc(size ? size : 1);
	if (!pkt)
		abort();
	memcpy(pkt, data + SET_PREFIX, size);
	pkt_mem = zc_wbuf_make(pkt, size);
	b = zc_wbuf_ro(pkt_mem);

	if (val.ctl & CTL_RAW) {
		ip = b;
		if (ip.len)
			type = (ip.p[0] >> 4) == 6 ? ZC_ETH_P_IPV6 : ZC_ETH_P_IPV4;
	} else {
		if (zc_eth_parse(b, &e) != ZC_OK)
			goto out;
		zc_eth_set_dst(rw_eth(e), val.mac_dst);
		zc_eth_set_src(rw_eth(e), val.mac_src);
		ZC_FUZZ_CHECK(zc_eth_parse(b, &f) == ZC_OK && f.hlen == e.hlen && f.ntags == e.ntags,
			      "Ethernet address setters changed the header");
		ZC_FUZZ_CHECK(memcmp(zc_eth_dst(f), val.mac_dst, 6) == 0 && memcmp(zc_eth_src(f), val.mac_src, 6) == 0,
			      "Ethernet addresses read back");
		ip = zc_eth_payload(f);
		type = zc_eth_type(f);
	}
	if (type == ZC_ETH_P_IPV4)
		setters_ipv4(ip, &val);
	else if (type == ZC_ETH_P_IPV6)
		setters_ipv6(ip, &val);
out:
	free(pkt);
}
