/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_views.c - every per-protocol parser, accessor and iterator.
 *
 * Each zc_<proto>_parse() (strict and lax where there are both) runs on the
 * whole input; Ethernet frames are then followed layer by layer (IP, then
 * TCP, UDP or ICMP, then the packet an ICMP error quotes, IP-in-IP, VXLAN,
 * Geneve, GRE and ERSPAN) up to a fixed depth, so that seeds split out of captures reach
 * every parser. After every successful parse the harness reads every
 * accessor, walks every iterator and asserts:
 *  - the outcome (error code or success) is the one the header's documented
 *    checks give, for the parsers whose rules are a few comparisons;
 *  - every payload span, option, extension header and ND option lies inside
 *    the bytes the parser was given, and spans end where the lengths say;
 *  - every walk ends within its step cap and reports the end after an error;
 *  - the checksum primitives agree with a byte-at-a-time RFC 1071 sum.
 */
#include "driver.h"

#include <string.h>
#include <sys/mman.h>

#define VIEWS_MAX_DEPTH 4
#define VXLAN_PORT 4789
#define GENEVE_PORT 6081

static void views_eth(zc_buf b, unsigned depth);
static void views_tunnels(zc_buf b, unsigned depth);
static void views_ipv4(zc_buf b, unsigned depth, bool lax);
static void views_ipv6(zc_buf b, unsigned depth, bool lax);

#define INSIDE(b, q, n) zc_fuzz_inside((b).p, (b).len, (q), (n))

/* The outcome must be exactly the expected code. */
static void expect(const char *what, zc_err got, zc_err want)
{
	if (got != ZC_OK)
		zc_fuzz_check_err(got);
	ZC_FUZZ_CHECK(got == want, "%s returned %s, the documented checks give %s", what, zc_err_name(got),
		      zc_err_name(want));
}

/* ------------------------------------------------------------ checksums */

/* RFC 1071 the slow way: big-endian words, one at a time. */
static uint32_t ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (n & 1) {
		sum += (uint32_t)p[n - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

static void views_csum(zc_buf b)
{
	uint32_t want = ref_sum(b.p, b.len, 0), got = zc_csum_partial(b.p, b.len, 0), split;
	size_t k;

	ZC_FUZZ_CHECK(got < 0x10000, "zc_csum_partial returned %#x, not below 0x10000", got);
	/* Both are sums mod 0xffff; 0 and 0xffff are the same value. */
	ZC_FUZZ_CHECK(zc_csum_fold(got) % 0xffff == want % 0xffff, "zc_csum_partial %#x, reference %#x", got, want);
	ZC_FUZZ_CHECK(zc_csum(b.p, b.len) == zc_csum_finish(got), "zc_csum disagrees with finish(partial)");
	/* Summed in two pieces, the first even, the result is the same. */
	k = b.len ? (size_t)(b.p[0] * 2u) % (b.len + 1) : 0;
	k &= ~(size_t)1;
	split = zc_csum_partial(b.p + k, b.len - k, zc_csum_partial(b.p, k, 0));
	ZC_FUZZ_CHECK(zc_csum_fold(split) % 0xffff == want % 0xffff, "split sum at %zu: %#x, whole %#x", k, split, want);
	/*
	 * Long sums take the vector paths (256 bytes and more): the input
	 * repeated over up to 2 KiB, from an unaligned start.
	 */
	if (b.len) {
		size_t n = 256 + (size_t)b.p[0] * 7, skew = b.len > 1 ? b.p[1] & 31 : 1, i;
		uint8_t *big = malloc(n + skew);

		if (!big)
			abort();
		for (i = 0; i < n + skew; i++)
			big[i] = b.p[i % b.len];
		got = zc_csum_partial(big + skew, n, 0);
		want = ref_sum(big + skew, n, 0);
		ZC_FUZZ_CHECK(zc_csum_fold(got) % 0xffff == want % 0xffff, "long sum of %zu bytes at +%zu: %#x, reference %#x",
			      n, skew, got, want);
		free(big);
	}
	/* The pseudo-header sums agree with the reference over the same bytes. */
	if (b.len >= 36) {
		uint8_t ph[40];
		uint32_t len = zc_load_be32(b.p + 32);

		memcpy(ph, b.p, 32);
		zc_store_be32(ph + 32, len);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = b.p[0];
		ZC_FUZZ_CHECK(zc_csum_fold(zc_csum_pseudo6(b.p, b.p + 16, b.p[0], len)) % 0xffff ==
				      ref_sum(ph, 40, 0) % 0xffff,
			      "zc_csum_pseudo6 disagrees with the reference");
		memcpy(ph, b.p, 8);
		ph[8] = 0;
		ph[9] = b.p[0];
		zc_store_be16(ph + 10, (uint16_t)len);
		ZC_FUZZ_CHECK(zc_csum_fold(zc_csum_pseudo4(zc_load_be32(b.p), zc_load_be32(b.p + 4), b.p[0],
							   len & 0xffff)) % 0xffff == ref_sum(ph, 12, 0) % 0xffff,
			      "zc_csum_pseudo4 disagrees with the reference");
	}
}

/* ------------------------------------------------------------ options */

/*
 * Walks IPv4 or TCP options over opts, checking each item lies inside it,
 * and returns the last zc_opt_next() result (0 at the end, < 0 on error).
 */
static int views_opts(zc_buf opts, zc_opt_iter it, zc_tcp_optset *ref)
{
	zc_opt o;
	unsigned steps = 0;
	int r;

	if (ref)
		memset(ref, 0, sizeof *ref);
	while ((r = zc_opt_next(&it, &o)) == 1) {
		ZC_FUZZ_CHECK(++steps <= ZC_OPT_MAX_STEPS, "option walk past %d steps", ZC_OPT_MAX_STEPS);
		if (o.kind <= 1) {
			ZC_FUZZ_CHECK(o.len == 1 && o.data == NULL, "EOL/NOP with length %u", o.len);
			continue;
		}
		ZC_FUZZ_CHECK(o.len >= 2, "option kind %u of length %u", o.kind, o.len);
		ZC_FUZZ_CHECK(INSIDE(opts, o.data - 2, o.len), "option kind %u length %u outside the options",
			      o.kind, o.len);
		zc_fuzz_sink += zc_fuzz_touch(zc_buf_make((void *)o.data, o.len - 2u));
		if (!ref)
			continue;
		/* The reference decode of the options zc_tcp_options() knows. */
		switch (o.kind) {
		case ZC_TCP_OPT_MSS:
			if (o.len != 4)
				return ZC_E_OPTION;
			ref->has_mss = 1;
			ref->mss = zc_load_be16(o.data);
			break;
		case ZC_TCP_OPT_WSCALE:
			if (o.len != 3)
				return ZC_E_OPTION;
			ref->has_wscale = 1;
			ref->wscale = o.data[0];
			break;
		case ZC_TCP_OPT_SACK_PERM:
			if (o.len != 2)
				return ZC_E_OPTION;
			ref->has_sack_perm = 1;
			break;
		case ZC_TCP_OPT_SACK: {
			unsigned i;

			if (o.len < 10 || (o.len - 2) % 8)
				return ZC_E_OPTION;
			for (i = 0; i < (o.len - 2u) / 8u && ref->nsack < ZC_TCP_MAX_SACK; i++, ref->nsack++) {
				ref->sack[ref->nsack][0] = zc_load_be32(o.data + 8 * i);
				ref->sack[ref->nsack][1] = zc_load_be32(o.data + 8 * i + 4);
			}
			break;
		}
		case ZC_TCP_OPT_TS:
			if (o.len != 10)
				return ZC_E_OPTION;
			ref->has_ts = 1;
			ref->tsval = zc_load_be32(o.data);
			ref->tsecr = zc_load_be32(o.data + 4);
			break;
		default:
			break;
		}
	}
	if (r < 0) {
		zc_fuzz_check_err((zc_err)r);
		/* A malformed option stops the walk for good. */
		ZC_FUZZ_CHECK(zc_opt_next(&it, &o) == 0, "option walk goes on after error %d", r);
	} else {
		ZC_FUZZ_CHECK(zc_opt_next(&it, &o) == 0, "option walk goes on after its end");
	}
	return r;
}

/* ------------------------------------------------------------ Ethernet, ARP */

static void views_arp(zc_buf b)
{
	zc_arp a;
	zc_err want = ZC_OK, e = zc_arp_parse(b, &a);

	if (b.len < ZC_ARP_FIXED_LEN)
		want = ZC_E_TRUNCATED;
	else if (zc_load_be16(b.p) != ZC_ARP_HTYPE_ETHER || zc_load_be16(b.p + 2) != ZC_ETH_P_IPV4)
		want = ZC_E_UNSUPPORTED;
	else if (b.p[4] != 6 || b.p[5] != 4)
		want = ZC_E_INVALID;
	else if (b.len < ZC_ARP_LEN)
		want = ZC_E_TRUNCATED;
	expect("zc_arp_parse", e, want);
	if (e != ZC_OK)
		return;
	ZC_FUZZ_CHECK(a.p == b.p, "ARP view does not start at the buffer");
	ZC_FUZZ_CHECK(zc_arp_htype(a) == ZC_ARP_HTYPE_ETHER && zc_arp_ptype(a) == ZC_ETH_P_IPV4, "ARP types");
	ZC_FUZZ_CHECK(INSIDE(b, zc_arp_sha(a), 6) && INSIDE(b, zc_arp_tha(a), 6), "ARP addresses outside");
	zc_fuzz_sink += zc_arp_op(a) + zc_arp_spa(a) + zc_arp_tpa(a) + zc_arp_sha(a)[5] + zc_arp_tha(a)[5];
}

static void views_eth(zc_buf b, unsigned depth)
{
	/*
	 * Zeroed because GCC, looking through the inlined constructor and its
	 * tag loop, cannot tell that e is set whenever r is ZC_OK.
	 */
	zc_eth e = { 0 };
	zc_buf pl;
	zc_err want = ZC_OK, r = zc_eth_parse(b, &e);
	size_t hlen = ZC_ETH_HDR_LEN;
	unsigned i, ntags = 0;

	/* The documented walk: tags while the type is a TPID, at most four. */
	if (b.len < ZC_ETH_HDR_LEN) {
		want = ZC_E_TRUNCATED;
	} else {
		while (zc_eth_is_tpid(zc_load_be16(b.p + hlen - 2))) {
			if (ntags == ZC_ETH_MAX_TAGS) {
				want = ZC_E_TOO_DEEP;
				break;
			}
			if (b.len - hlen < ZC_ETH_TAG_LEN) {
				want = ZC_E_TRUNCATED;
				break;
			}
			hlen += ZC_ETH_TAG_LEN;
			ntags++;
		}
	}
	expect("zc_eth_parse", r, want);
	if (r != ZC_OK)
		return;
	ZC_FUZZ_CHECK(e.p == b.p && e.len == b.len, "Ethernet view is not the frame");
	ZC_FUZZ_CHECK(zc_eth_ntags(e) == ntags && zc_eth_hdr_len(e) == hlen, "Ethernet: %u tags, %zu header bytes; want %u, %zu",
		      zc_eth_ntags(e), zc_eth_hdr_len(e), ntags, hlen);
	ZC_FUZZ_CHECK(!zc_eth_is_tpid(zc_eth_type(e)), "Ethernet type %#x is a TPID", zc_eth_type(e));
	for (i = 0; i < zc_eth_ntags(e); i++) {
		ZC_FUZZ_CHECK(zc_eth_is_tpid(zc_eth_tag_tpid(e, i)), "tag %u TPID %#x", i, zc_eth_tag_tpid(e, i));
		ZC_FUZZ_CHECK(zc_eth_vlan_id(e, i) == (zc_eth_tag_tci(e, i) & 0xfff), "VLAN ID of tag %u", i);
	}
	ZC_FUZZ_CHECK(INSIDE(b, zc_eth_dst(e), 6) && INSIDE(b, zc_eth_src(e), 6), "Ethernet addresses outside");
	pl = zc_eth_payload(e);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen && pl.len == b.len - hlen,
		      "Ethernet payload %p+%zu outside the frame %p+%zu", (void *)pl.p, pl.len, (void *)b.p, b.len);
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_eth_is_8023(e) + zc_eth_dst(e)[0] + zc_eth_src(e)[5];
	if (depth >= VIEWS_MAX_DEPTH)
		return;
	switch (zc_eth_type(e)) {
	case ZC_ETH_P_IPV4:
		views_ipv4(pl, depth + 1, false);
		views_ipv4(pl, depth + 1, true);
		break;
	case ZC_ETH_P_IPV6:
		views_ipv6(pl, depth + 1, false);
		views_ipv6(pl, depth + 1, true);
		break;
	case ZC_ETH_P_ARP:
	case 0x8035: /* RARP (RFC 903): the ARP format */
		views_arp(pl);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ transport */

static void views_tcp(zc_buf b)
{
	zc_tcp t;
	zc_tcp_optset set, ref;
	zc_buf pl;
	zc_err want = ZC_OK, r = zc_tcp_parse(b, &t), ro;
	size_t hlen = b.len >= 20 ? (size_t)(b.p[12] >> 4) * 4 : 0;
	int rw;

	if (b.len < ZC_TCP_MIN_HDR_LEN)
		want = ZC_E_TRUNCATED;
	else if (hlen < ZC_TCP_MIN_HDR_LEN)
		want = ZC_E_HDR_LEN;
	else if (hlen > b.len)
		want = ZC_E_TRUNCATED;
	expect("zc_tcp_parse", r, want);
	if (r != ZC_OK)
		return;
	ZC_FUZZ_CHECK(t.p == b.p && t.len == b.len, "TCP view is not the segment");
	ZC_FUZZ_CHECK(zc_tcp_hdr_len(t) == hlen && hlen <= t.len, "TCP header length %zu", zc_tcp_hdr_len(t));
	pl = zc_tcp_payload(t);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen && pl.p + pl.len == b.p + b.len,
		      "TCP payload outside the segment");
	ZC_FUZZ_CHECK((zc_tcp_flags_all(t) & 0xff) == zc_tcp_flags(t), "TCP flags disagree");
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_tcp_src_port(t) + zc_tcp_dst_port(t) + zc_tcp_seq(t) + zc_tcp_ack(t) +
			zc_tcp_window(t) + zc_tcp_csum(t) + zc_tcp_urgent(t) + zc_tcp_csum_ok(t, 0) +
			zc_tcp_csum_compute(t, 0x1234);

	rw = views_opts(zc_buf_make(b.p + 20, hlen - 20), zc_tcp_opts(t), &ref);
	ro = zc_tcp_options(t, &set);
	if (rw == 1)
		rw = 0;
	ZC_FUZZ_CHECK((int)ro == rw, "zc_tcp_options returned %d, the option walk %d", (int)ro, rw);
	ZC_FUZZ_CHECK(set.nsack <= ZC_TCP_MAX_SACK, "%u SACK blocks", set.nsack);
	if (ro == ZC_OK) {
		ZC_FUZZ_CHECK(set.has_mss == ref.has_mss && set.mss == ref.mss, "MSS decoded wrong");
		ZC_FUZZ_CHECK(set.has_wscale == ref.has_wscale && set.wscale == ref.wscale, "window scale decoded wrong");
		ZC_FUZZ_CHECK(set.has_sack_perm == ref.has_sack_perm, "SACK-permitted decoded wrong");
		ZC_FUZZ_CHECK(set.has_ts == ref.has_ts && set.tsval == ref.tsval && set.tsecr == ref.tsecr,
			      "timestamps decoded wrong");
		ZC_FUZZ_CHECK(set.nsack == ref.nsack && memcmp(set.sack, ref.sack, sizeof set.sack) == 0,
			      "SACK blocks decoded wrong");
	}
}

static void views_udp(zc_buf b, unsigned depth, bool lax)
{
	zc_udp u;
	zc_buf pl;
	zc_err want = ZC_OK, r = lax ? zc_udp_parse_lax(b, &u) : zc_udp_parse(b, &u);
	size_t ulen = b.len >= 8 ? zc_load_be16(b.p + 4) : 0;

	if (b.len < ZC_UDP_HDR_LEN)
		want = ZC_E_TRUNCATED;
	else if (ulen < ZC_UDP_HDR_LEN)
		want = ZC_E_LENGTH;
	else if (ulen > b.len && !lax)
		want = ZC_E_TRUNCATED;
	expect(lax ? "zc_udp_parse_lax" : "zc_udp_parse", r, want);
	if (r != ZC_OK)
		return;
	ZC_FUZZ_CHECK(u.p == b.p, "UDP view does not start at the datagram");
	ZC_FUZZ_CHECK(u.len == (ulen < b.len ? ulen : b.len), "UDP view of %u bytes; length %zu, buffer %zu", u.len,
		      ulen, b.len);
	ZC_FUZZ_CHECK(zc_udp_length(u) == ulen && zc_udp_is_cut(u) == (ulen > b.len), "UDP length or cut flag");
	pl = zc_udp_payload(u);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 8 && pl.len == u.len - 8u,
		      "UDP payload outside the datagram");
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_udp_src_port(u) + zc_udp_dst_port(u) + zc_udp_csum(u) +
			zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV4) + zc_udp_csum_compute(u, 0);
	/*
	 * The version decides only for a field of 0: "none" over IPv4 and an
	 * RFC 6935 tunnel, invalid over IPv6 (RFC 8200 section 8.1). Any
	 * value of over but those two is strict.
	 */
	if (zc_udp_csum(u) == 0)
		ZC_FUZZ_CHECK(zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV4) &&
				      zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV6_ZERO_OK) &&
				      !zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV6) &&
				      !zc_udp_csum_ok(u, 0x4321, (zc_udp_over)0),
			      "UDP checksum 0: the rule per IP version");
	else
		ZC_FUZZ_CHECK(zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV4) ==
					      zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV6) &&
				      zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV6) ==
					      zc_udp_csum_ok(u, 0x4321, ZC_UDP_OVER_IPV6_ZERO_OK),
			      "UDP checksum %#x verifies differently per IP version", zc_udp_csum(u));
	if (depth >= VIEWS_MAX_DEPTH || pl.len < 8)
		return;
	if (zc_udp_dst_port(u) == VXLAN_PORT) {
		views_tunnels(pl, depth + 1);
	} else if (zc_udp_dst_port(u) == GENEVE_PORT) {
		/* Geneve (RFC 8926): 8 bytes and options, then the protocol type's payload. */
		size_t off = 8 + (size_t)(pl.p[0] & 0x3f) * 4;
		zc_buf in = zc_buf_tail(pl, off);

		ZC_FUZZ_CHECK(zc_fuzz_buf_inside(pl.p, pl.len, in), "zc_buf_tail outside its buffer");
		switch (zc_load_be16(pl.p + 2)) {
		case ZC_ETH_P_TEB:
			views_eth(in, depth + 1);
			break;
		case ZC_ETH_P_IPV4:
			views_ipv4(in, depth + 1, true);
			break;
		case ZC_ETH_P_IPV6:
			views_ipv6(in, depth + 1, true);
			break;
		default:
			break;
		}
	}
}

static void views_icmp4(zc_buf b, unsigned depth)
{
	zc_icmp4 m;
	zc_buf pl;
	zc_err r = zc_icmp4_parse(b, &m);

	expect("zc_icmp4_parse", r, b.len < ZC_ICMP_HDR_LEN ? ZC_E_TRUNCATED : ZC_OK);
	if (r != ZC_OK)
		return;
	ZC_FUZZ_CHECK(m.p == b.p && m.len == b.len, "ICMP view is not the message");
	pl = zc_icmp4_payload(m);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 8 && pl.len == b.len - 8,
		      "ICMP payload outside the message");
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_icmp4_type(m) + zc_icmp4_code(m) + zc_icmp4_csum(m) + zc_icmp4_id(m) +
			zc_icmp4_seq(m) + zc_icmp4_mtu(m) + zc_icmp4_rest(m) + zc_icmp4_csum_ok(m);
	/* An error quotes the offending datagram, usually cut short. */
	if (zc_icmp4_is_error(m) && depth < VIEWS_MAX_DEPTH)
		views_ipv4(pl, depth + 1, true);
}

static void views_icmp6(zc_buf b, unsigned depth)
{
	zc_icmp6 m;
	zc_buf pl;
	zc_nd_opt_iter it;
	zc_nd_opt o;
	zc_err want = ZC_OK, r = zc_icmp6_parse(b, &m);
	unsigned steps = 0;
	int n;

	if (b.len < ZC_ICMP_HDR_LEN)
		want = ZC_E_TRUNCATED;
	else if ((b.p[0] == ZC_ICMP6_NEIGH_SOLICIT || b.p[0] == ZC_ICMP6_NEIGH_ADVERT) && b.len < ZC_ICMP6_ND_LEN)
		want = ZC_E_TRUNCATED;
	expect("zc_icmp6_parse", r, want);
	if (r != ZC_OK)
		return;
	ZC_FUZZ_CHECK(m.p == b.p && m.len == b.len, "ICMPv6 view is not the message");
	pl = zc_icmp6_payload(m);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 8 && pl.len == b.len - 8,
		      "ICMPv6 payload outside the message");
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_icmp6_type(m) + zc_icmp6_code(m) + zc_icmp6_csum(m) + zc_icmp6_id(m) +
			zc_icmp6_seq(m) + zc_icmp6_mtu(m) + zc_icmp6_rest(m) + zc_icmp6_csum_ok(m, 0x1111);
	if (zc_icmp6_is_nd(m)) {
		ZC_FUZZ_CHECK(INSIDE(b, zc_icmp6_nd_target(m), 16), "ND target outside the message");
		zc_fuzz_sink += zc_icmp6_nd_target(m)[15] + zc_icmp6_na_flags(m);
	}
	it = zc_icmp6_nd_opts(m);
	while ((n = zc_nd_opt_next(&it, &o)) == 1) {
		ZC_FUZZ_CHECK(zc_icmp6_is_nd(m), "ND options in ICMPv6 type %u", zc_icmp6_type(m));
		ZC_FUZZ_CHECK(++steps <= ZC_ND_MAX_OPTS, "ND option walk past %d steps", ZC_ND_MAX_OPTS);
		ZC_FUZZ_CHECK(o.len >= 8 && o.len % 8 == 0 && o.len == o.p[1] * 8u, "ND option of %u bytes", o.len);
		ZC_FUZZ_CHECK(INSIDE(b, o.p, o.len) && o.p >= b.p + ZC_ICMP6_ND_LEN, "ND option outside the options");
		ZC_FUZZ_CHECK(o.type == o.p[0], "ND option type");
		zc_fuzz_sink += zc_fuzz_touch(zc_buf_make((void *)o.p, o.len));
	}
	if (n < 0)
		zc_fuzz_check_err((zc_err)n);
	ZC_FUZZ_CHECK(zc_nd_opt_next(&it, &o) == 0, "ND option walk goes on after its end (%d)", n);
	if (zc_icmp6_is_error(m) && depth < VIEWS_MAX_DEPTH)
		views_ipv6(pl, depth + 1, true);
}

/* ------------------------------------------------------------ tunnels */

static void views_tunnels(zc_buf b, unsigned depth)
{
	zc_vxlan vx;
	zc_geneve g;
	zc_gre gr;
	zc_erspan es;
	zc_buf pl, opts;
	zc_err r, want;
	unsigned type;
	size_t hlen;

	r = zc_vxlan_parse(b, &vx);
	expect("zc_vxlan_parse", r, b.len < ZC_VXLAN_HDR_LEN ? ZC_E_TRUNCATED : ZC_OK);
	if (r == ZC_OK) {
		pl = zc_vxlan_payload(vx);
		ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 8 && pl.len == b.len - 8,
			      "VXLAN payload outside");
		zc_fuzz_sink += zc_vxlan_vni(vx) + zc_vxlan_has_vni(vx) + zc_vxlan_flags(vx);
		if (depth < VIEWS_MAX_DEPTH)
			views_eth(pl, depth + 1);
	}

	hlen = b.len ? 8 + (size_t)(b.p[0] & 0x3f) * 4 : 8;
	want = b.len < ZC_GENEVE_HDR_LEN ? ZC_E_TRUNCATED : b.p[0] >> 6 ? ZC_E_UNSUPPORTED
						      : hlen > b.len ? ZC_E_TRUNCATED : ZC_OK;
	r = zc_geneve_parse(b, &g);
	expect("zc_geneve_parse", r, want);
	if (r == ZC_OK) {
		opts = zc_geneve_options(g);
		pl = zc_geneve_payload(g);
		ZC_FUZZ_CHECK(zc_geneve_hdr_len(g) == hlen && opts.p == b.p + 8 && opts.len == hlen - 8 &&
				      zc_fuzz_buf_inside(b.p, b.len, opts),
			      "Geneve options outside the header");
		ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen && pl.len == b.len - hlen,
			      "Geneve payload outside");
		zc_fuzz_sink += zc_fuzz_touch(opts) + zc_geneve_vni(g) + zc_geneve_proto(g) + zc_geneve_oam(g) +
				zc_geneve_critical(g) + zc_geneve_version(g);
	}

	if (b.len >= 4) {
		uint16_t w = zc_load_be16(b.p);

		hlen = 4 + (w & ZC_GRE_F_CSUM ? 4 : 0) + (w & ZC_GRE_F_KEY ? 4 : 0) + (w & ZC_GRE_F_SEQ ? 4 : 0);
		want = (w & ZC_GRE_VER_MASK) || (w & ZC_GRE_F_ROUTING) ? ZC_E_UNSUPPORTED
			: hlen > b.len ? ZC_E_TRUNCATED : ZC_OK;
	} else {
		want = ZC_E_TRUNCATED;
	}
	r = zc_gre_parse(b, &gr);
	expect("zc_gre_parse", r, want);
	if (r == ZC_OK) {
		pl = zc_gre_payload(gr);
		ZC_FUZZ_CHECK(zc_gre_hdr_len(gr) == hlen && zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen &&
				      pl.len == b.len - hlen,
			      "GRE payload outside");
		zc_fuzz_sink += zc_gre_csum(gr) + zc_gre_key(gr) + zc_gre_seq(gr) + zc_gre_csum_ok(gr) + zc_gre_proto(gr) +
				zc_gre_has_csum(gr) + zc_gre_has_key(gr) + zc_gre_has_seq(gr);
	}

	/* ERSPAN: the type comes from GRE; 0 and 4 are out of range. */
	for (type = 0; type <= 4; type++) {
		hlen = type == 2 ? 8 : type == 3 ? 12 : 0;
		if (type < 1 || type > 3)
			want = ZC_E_ARG;
		else if (b.len < hlen)
			want = ZC_E_TRUNCATED;
		else if (type > 1 && (b.p[0] >> 4) != type - 1)
			want = ZC_E_UNSUPPORTED;
		else if (type == 3 && (b.p[11] & ZC_ERSPAN3_F_O) && b.len < (hlen += 8))
			want = ZC_E_TRUNCATED;
		else
			want = ZC_OK;
		r = zc_erspan_parse(b, type, &es);
		expect("zc_erspan_parse", r, want);
		if (r != ZC_OK)
			continue;
		pl = zc_erspan_payload(es);
		ZC_FUZZ_CHECK(zc_erspan_type(es) == type && zc_erspan_hdr_len(es) == hlen &&
				      zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen,
			      "ERSPAN type %u: header %zu, payload outside", type, zc_erspan_hdr_len(es));
		zc_fuzz_sink += zc_erspan_version(es) + zc_erspan_vlan(es) + zc_erspan_session(es) + zc_erspan_is_eth(es);
	}
}

/* ------------------------------------------------------------ capture pseudo-headers */

static void views_link(zc_buf b, unsigned depth)
{
	zc_sll s1;
	zc_sll2 s2;
	zc_loop lo;
	zc_buf pl;
	zc_err r;
	int net;

	r = zc_sll_parse(b, &s1);
	expect("zc_sll_parse", r, b.len < ZC_SLL_HDR_LEN ? ZC_E_TRUNCATED : ZC_OK);
	if (r == ZC_OK) {
		pl = zc_sll_payload(s1);
		ZC_FUZZ_CHECK(s1.p == b.p && zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 16 && pl.len == b.len - 16,
			      "SLL payload outside");
		zc_fuzz_sink += zc_sll_pkttype(s1) + zc_sll_hatype(s1) + zc_sll_halen(s1) + zc_sll_addr(s1)[7] +
				zc_sll_proto(s1);
		if (depth < VIEWS_MAX_DEPTH && zc_sll_proto(s1) == ZC_ETH_P_IPV4)
			views_ipv4(pl, depth + 1, true);
		else if (depth < VIEWS_MAX_DEPTH && zc_sll_proto(s1) == ZC_ETH_P_IPV6)
			views_ipv6(pl, depth + 1, true);
	}
	r = zc_sll2_parse(b, &s2);
	expect("zc_sll2_parse", r, b.len < ZC_SLL2_HDR_LEN ? ZC_E_TRUNCATED : ZC_OK);
	if (r == ZC_OK) {
		pl = zc_sll2_payload(s2);
		ZC_FUZZ_CHECK(s2.p == b.p && zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 20 && pl.len == b.len - 20,
			      "SLL2 payload outside");
		zc_fuzz_sink += zc_sll2_proto(s2) + zc_sll2_ifindex(s2) + zc_sll2_hatype(s2) + zc_sll2_pkttype(s2) +
				zc_sll2_halen(s2) + zc_sll2_addr(s2)[7];
	}
	/* The family: the first byte order tried (network for LOOP, little-endian for NULL), else the other. */
	for (net = 0; net <= 1; net++) {
		r = zc_loop_parse(b, net, &lo);
		expect("zc_loop_parse", r, b.len < ZC_LOOP_HDR_LEN ? ZC_E_TRUNCATED : ZC_OK);
		if (r != ZC_OK)
			continue;
		{
			uint32_t first = net ? zc_load_be32(b.p) : zc_load_le32(b.p);
			uint32_t second = net ? zc_load_le32(b.p) : zc_load_be32(b.p);
			bool known = first == 2 || first == 24 || first == 28 || first == 30;

			ZC_FUZZ_CHECK(zc_loop_af(lo) == (known ? first : second), "loopback family %u", zc_loop_af(lo));
		}
		pl = zc_loop_payload(lo);
		ZC_FUZZ_CHECK(lo.p == b.p && zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + 4 && pl.len == b.len - 4,
			      "loopback payload outside");
	}
}

/* The upper layer of an IP packet, when it starts in this fragment. */
static void views_l4(uint8_t proto, zc_buf pl, unsigned depth, bool lax)
{
	if (depth >= VIEWS_MAX_DEPTH)
		return;
	switch (proto) {
	case ZC_IPPROTO_TCP:
		views_tcp(pl);
		break;
	case ZC_IPPROTO_UDP:
		views_udp(pl, depth + 1, lax);
		break;
	case ZC_IPPROTO_ICMP:
		views_icmp4(pl, depth + 1);
		break;
	case ZC_IPPROTO_ICMPV6:
		views_icmp6(pl, depth + 1);
		break;
	case ZC_IPPROTO_IPIP:
		views_ipv4(pl, depth + 1, lax);
		break;
	case ZC_IPPROTO_IPV6:
		views_ipv6(pl, depth + 1, lax);
		break;
	case ZC_IPPROTO_GRE:
		views_tunnels(pl, depth + 1);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ IP */

static void views_ipv4(zc_buf b, unsigned depth, bool lax)
{
	zc_ipv4 v;
	zc_buf pl, opts;
	zc_err want = ZC_OK, r = lax ? zc_ipv4_parse_lax(b, &v) : zc_ipv4_parse(b, &v);
	size_t hlen = 0, tot = 0, have;

	if (b.len < ZC_IPV4_MIN_HDR_LEN) {
		want = ZC_E_TRUNCATED;
	} else {
		hlen = (size_t)(b.p[0] & 0xf) * 4;
		tot = zc_load_be16(b.p + 2);
		if (tot == 0) /* an offload super-packet: the whole buffer */
			tot = b.len;
		if (b.p[0] >> 4 != 4)
			want = ZC_E_VERSION;
		else if (hlen < ZC_IPV4_MIN_HDR_LEN)
			want = ZC_E_HDR_LEN;
		else if (hlen > b.len)
			want = ZC_E_TRUNCATED;
		else if (tot < hlen)
			want = ZC_E_LENGTH;
		else if (tot > b.len && !lax)
			want = ZC_E_TRUNCATED;
	}
	expect(lax ? "zc_ipv4_parse_lax" : "zc_ipv4_parse", r, want);
	if (r != ZC_OK)
		return;
	have = tot < b.len ? tot : b.len;
	ZC_FUZZ_CHECK(v.p == b.p && v.len == have, "IPv4 view of %u bytes; total length %zu, buffer %zu", v.len, tot,
		      b.len);
	ZC_FUZZ_CHECK(zc_ipv4_version(v) == 4 && zc_ipv4_hdr_len(v) == hlen && zc_ipv4_total_len(v) == tot,
		      "IPv4 header fields");
	ZC_FUZZ_CHECK(zc_ipv4_is_cut(v) == (tot > b.len), "IPv4 cut flag");
	pl = zc_ipv4_payload(v);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + hlen && pl.len == have - hlen,
		      "IPv4 payload %p+%zu outside the datagram %p+%zu", (void *)pl.p, pl.len, (void *)b.p, b.len);
	opts = zc_ipv4_options(v);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, hlen, opts) && opts.p == b.p + 20, "IPv4 options outside the header");
	views_opts(opts, zc_ipv4_opts(v), NULL);
	ZC_FUZZ_CHECK(zc_ipv4_is_fragment(v) == (zc_ipv4_mf(v) || zc_ipv4_frag_offset(v) != 0), "IPv4 fragment flags");
	ZC_FUZZ_CHECK(zc_ipv4_is_first_fragment(v) == (zc_ipv4_frag_offset(v) == 0), "IPv4 first fragment");
	ZC_FUZZ_CHECK(zc_ipv4_flags(v) <= 7 && zc_ipv4_dscp(v) <= 63 && zc_ipv4_ecn(v) <= 3, "IPv4 bit fields");
	ZC_FUZZ_CHECK(zc_ipv4_src(v) == zc_load_be32(zc_ipv4_src_bytes(v)) &&
			      zc_ipv4_dst(v) == zc_load_be32(zc_ipv4_dst_bytes(v)),
		      "IPv4 addresses");
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_ipv4_tos(v) + zc_ipv4_id(v) + zc_ipv4_df(v) + zc_ipv4_ttl(v) +
			zc_ipv4_proto(v) + zc_ipv4_csum(v) + zc_ipv4_csum_ok(v) + zc_ipv4_pseudo(v, pl.len);
	if (zc_ipv4_is_first_fragment(v))
		views_l4(zc_ipv4_proto(v), pl, depth, lax);
}

static bool is_ext(uint8_t nh)
{
	return nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_ROUTING || nh == ZC_IPPROTO_FRAGMENT ||
	       nh == ZC_IPPROTO_DSTOPTS || nh == ZC_IPPROTO_AH;
}

/*
 * The reference for ZC_E_OPTION, written from RFC 8200 section 4: walks the
 * chain of an IPv6 packet whose fixed header zc_ipv6_parse() accepts, as far
 * as the headers lie wholly inside the payload, and says whether a
 * hop-by-hop or destination options header on the way holds an option
 * (Pad1 is one byte, any other type a type, a length and that many bytes)
 * that runs past the header's end (section 4.2), or a routing header of a
 * length its type does not allow: type 2 carries exactly one address
 * (RFC 6275 section 6.4, length 2), a segment routing header at least one
 * segment (RFC 8754 section 2, length 2 or more).
 */
static bool ref_ipv6_bad_option(zc_buf b)
{
	size_t plen = zc_load_be16(b.p + 4), end = 40 + (plen < b.len - 40 ? plen : b.len - 40), off = 40, elen, i;
	uint8_t nh = b.p[6];
	unsigned n;

	for (n = 0; n < ZC_IPV6_MAX_EXT && is_ext(nh); n++) {
		if (end - off < 2)
			return false;
		elen = nh == ZC_IPPROTO_FRAGMENT ? 8u : nh == ZC_IPPROTO_AH ? (b.p[off + 1] + 2u) * 4u : (b.p[off + 1] + 1u) * 8u;
		if (end - off < elen)
			return false;
		if (nh == ZC_IPPROTO_HOPOPTS || nh == ZC_IPPROTO_DSTOPTS) {
			for (i = off + 2; i < off + elen;) {
				if (b.p[i] == 0) {
					i++;
					continue;
				}
				if (off + elen - i < 2 || off + elen - i - 2 < b.p[i + 1])
					return true;
				i += 2u + b.p[i + 1];
			}
		}
		if (nh == ZC_IPPROTO_ROUTING && ((b.p[off + 2] == 2 && b.p[off + 1] != 2) ||
						 (b.p[off + 2] == 4 && b.p[off + 1] < 2)))
			return true;
		if (nh == ZC_IPPROTO_FRAGMENT && (zc_load_be16(b.p + off + 2) & 0xfff8u))
			return false;
		nh = b.p[off];
		off += elen;
	}
	return false;
}

/* Walks the options of one extension header: they tile it and end without error. */
static void views_ipv6_opts(zc_ipv6_ext x)
{
	zc_ipv6_opt_iter it = zc_ipv6_ext_opts(x);
	zc_ipv6_opt o;
	const uint8_t *at = x.p + 2;
	unsigned steps = 0;
	int r;

	if (x.type != ZC_IPPROTO_HOPOPTS && x.type != ZC_IPPROTO_DSTOPTS) {
		ZC_FUZZ_CHECK(zc_ipv6_opt_next(&it, &o) == 0, "options in extension header %u", x.type);
		return;
	}
	while ((r = zc_ipv6_opt_next(&it, &o)) == 1) {
		ZC_FUZZ_CHECK(++steps <= ZC_IPV6_OPT_MAX_STEPS, "IPv6 option walk past %d steps", ZC_IPV6_OPT_MAX_STEPS);
		ZC_FUZZ_CHECK(o.type == at[0], "IPv6 option type %u at %td, byte there %u", o.type, at - x.p, at[0]);
		if (o.type == ZC_IPV6_OPT_PAD1) {
			ZC_FUZZ_CHECK(o.len == 0 && o.data == NULL, "Pad1 with length %u", o.len);
			at++;
			continue;
		}
		ZC_FUZZ_CHECK(o.data == at + 2 && o.len == at[1] && zc_fuzz_inside(x.p, x.len, o.data, o.len),
			      "IPv6 option %u of %u bytes outside its header of %u", o.type, o.len, x.len);
		zc_fuzz_sink += zc_fuzz_touch(zc_buf_make((void *)o.data, o.len)) + ZC_IPV6_OPT_ACTION(o.type);
		at = o.data + o.len;
	}
	ZC_FUZZ_CHECK(r == 0 && at == x.p + x.len, "options of a header zc_ipv6_parse accepted: %d, end at %td of %u",
		      r, at - x.p, x.len);
	ZC_FUZZ_CHECK(zc_ipv6_opt_next(&it, &o) == 0, "IPv6 option walk goes on after its end");
	ZC_FUZZ_CHECK(zc_ipv6_opts_check(x.p, x.len) == ZC_OK, "zc_ipv6_opts_check refuses a header parse accepted");
}

/* The IPv6 option iterator over any bytes: items inside them, a bounded walk, a stop for good. */
static void views_ipv6_raw_opts(zc_buf b)
{
	zc_ipv6_opt_iter it = zc_ipv6_opt_iter_make(b.p, b.len);
	zc_ipv6_opt o;
	unsigned steps = 0;
	int r;

	while ((r = zc_ipv6_opt_next(&it, &o)) == 1) {
		ZC_FUZZ_CHECK(++steps <= ZC_IPV6_OPT_MAX_STEPS, "IPv6 option walk past %d steps", ZC_IPV6_OPT_MAX_STEPS);
		if (o.type != ZC_IPV6_OPT_PAD1)
			ZC_FUZZ_CHECK(INSIDE(b, o.data - 2, 2u + o.len), "IPv6 option %u of %u bytes outside the bytes",
				      o.type, o.len);
	}
	ZC_FUZZ_CHECK(r == 0 || r == ZC_E_OPTION, "zc_ipv6_opt_next returned %d", r);
	ZC_FUZZ_CHECK(zc_ipv6_opt_next(&it, &o) == 0, "IPv6 option walk goes on after %d", r);
	if (b.len >= 2)
		ZC_FUZZ_CHECK(zc_ipv6_opts_check(b.p, b.len) == ZC_OK || zc_ipv6_opts_check(b.p, b.len) == ZC_E_OPTION,
			      "zc_ipv6_opts_check of %zu bytes", b.len);
}

static void views_ipv6(zc_buf b, unsigned depth, bool lax)
{
	zc_ipv6 v;
	zc_ipv6_ext_iter it;
	zc_ipv6_ext x;
	zc_buf pl;
	zc_err r = lax ? zc_ipv6_parse_lax(b, &v) : zc_ipv6_parse(b, &v);
	size_t plen = 0, have, off = ZC_IPV6_HDR_LEN, frag = 0;
	unsigned n = 0;
	uint8_t nh;
	int k;

	if (b.len < ZC_IPV6_HDR_LEN)
		expect("zc_ipv6_parse", r, ZC_E_TRUNCATED);
	else if (b.p[0] >> 4 != 6)
		expect("zc_ipv6_parse", r, ZC_E_VERSION);
	else if (!lax && zc_load_be16(b.p + 4) > b.len - 40)
		expect("zc_ipv6_parse", r, ZC_E_TRUNCATED);
	if (b.len >= ZC_IPV6_HDR_LEN && b.p[0] >> 4 == 6 && (lax || zc_load_be16(b.p + 4) <= b.len - 40))
		ZC_FUZZ_CHECK((r == ZC_E_OPTION) == ref_ipv6_bad_option(b),
			      "zc_ipv6_parse returned %s, the reference option walk %s a malformed option",
			      zc_err_name(r), ref_ipv6_bad_option(b) ? "finds" : "finds no");
	if (r != ZC_OK) {
		zc_fuzz_check_err(r);
		ZC_FUZZ_CHECK(r == ZC_E_TRUNCATED || r == ZC_E_VERSION || r == ZC_E_LENGTH || r == ZC_E_TOO_DEEP ||
				      r == ZC_E_OPTION,
			      "zc_ipv6_parse returned %s", zc_err_name(r));
		return;
	}
	plen = zc_load_be16(b.p + 4);
	have = plen < b.len - 40 ? plen : b.len - 40;
	ZC_FUZZ_CHECK(v.p == b.p && v.plen == have, "IPv6 view of %u payload bytes; length %zu, buffer %zu", v.plen,
		      plen, b.len);
	ZC_FUZZ_CHECK(zc_ipv6_version(v) == 6 && zc_ipv6_payload_len(v) == plen, "IPv6 header fields");
	ZC_FUZZ_CHECK(zc_ipv6_is_cut(v) == (plen > b.len - 40), "IPv6 cut flag");
	ZC_FUZZ_CHECK(zc_ipv6_hdr_len(v) >= 40 && zc_ipv6_hdr_len(v) <= 40 + have, "IPv6 upper layer at %zu of %zu",
		      zc_ipv6_hdr_len(v), 40 + have);
	pl = zc_ipv6_payload(v);
	ZC_FUZZ_CHECK(zc_fuzz_buf_inside(b.p, b.len, pl) && pl.p == b.p + zc_ipv6_hdr_len(v) &&
			      pl.p + pl.len == b.p + 40 + have,
		      "IPv6 payload %p+%zu outside the packet %p+%zu", (void *)pl.p, pl.len, (void *)b.p, b.len);
	ZC_FUZZ_CHECK(INSIDE(b, zc_ipv6_src(v), 16) && INSIDE(b, zc_ipv6_dst(v), 16), "IPv6 addresses outside");

	/* The extension headers tile the bytes from 40 to the upper layer. */
	it = zc_ipv6_exts(v);
	nh = zc_ipv6_nxt(v);
	while ((k = zc_ipv6_ext_next(&it, &x)) == 1) {
		ZC_FUZZ_CHECK(++n <= ZC_IPV6_MAX_EXT, "extension header walk past %d", ZC_IPV6_MAX_EXT);
		ZC_FUZZ_CHECK(x.type == nh && is_ext(x.type), "extension header type %u, expected %u", x.type, nh);
		ZC_FUZZ_CHECK(x.off == off && x.p == b.p + off, "extension header at %u, expected %zu", x.off, off);
		ZC_FUZZ_CHECK(x.len >= 8 && INSIDE(b, x.p, x.len) && off + x.len <= zc_ipv6_hdr_len(v),
			      "extension header %u at %u of %u bytes past the upper layer at %zu", x.type, x.off, x.len,
			      zc_ipv6_hdr_len(v));
		ZC_FUZZ_CHECK(x.next == x.p[0], "extension header next field");
		/* RFC 8200 section 4.5 (fragment: 8), RFC 4302 section 2.2 (AH: 4-byte units + 2), else 8-byte units + 1. */
		ZC_FUZZ_CHECK(x.len == (x.type == ZC_IPPROTO_FRAGMENT ? 8u
					: x.type == ZC_IPPROTO_AH ? (x.p[1] + 2u) * 4u
								  : (x.p[1] + 1u) * 8u),
			      "extension header %u of %u bytes, its length field %u", x.type, x.len, x.p[1]);
		if (x.type == ZC_IPPROTO_FRAGMENT)
			frag = off;
		views_ipv6_opts(x);
		zc_fuzz_sink += zc_fuzz_touch(zc_buf_make((void *)x.p, x.len));
		nh = x.next;
		off += x.len;
	}
	ZC_FUZZ_CHECK(k == 0 && zc_ipv6_ext_next(&it, &x) == 0, "extension header walk does not end");
	ZC_FUZZ_CHECK(off == zc_ipv6_hdr_len(v), "extension headers end at %zu, upper layer at %zu", off,
		      zc_ipv6_hdr_len(v));
	ZC_FUZZ_CHECK(nh == zc_ipv6_proto(v), "upper-layer protocol %u, walk ended at %u", zc_ipv6_proto(v), nh);
	ZC_FUZZ_CHECK(zc_ipv6_has_frag_hdr(v) == (frag != 0), "fragment header flag");
	if (frag) {
		ZC_FUZZ_CHECK(v.frag_off == frag, "fragment header at %u, walked at %zu", v.frag_off, frag);
		ZC_FUZZ_CHECK(zc_ipv6_frag_offset(v) == (zc_load_be16(b.p + frag + 2) & 0xfff8u) &&
				      zc_ipv6_mf(v) == (b.p[frag + 3] & 1) &&
				      zc_ipv6_frag_id(v) == zc_load_be32(b.p + frag + 4),
			      "fragment header fields");
	}
	ZC_FUZZ_CHECK(zc_ipv6_is_fragment(v) == (zc_ipv6_mf(v) || zc_ipv6_frag_offset(v) != 0), "IPv6 fragment flag");
	/* The walk stops early only when cut, too deep, or after a later fragment. */
	if (is_ext(zc_ipv6_proto(v)))
		ZC_FUZZ_CHECK(zc_ipv6_is_cut(v) || zc_ipv6_frag_offset(v) != 0,
			      "walk stopped at extension header %u in a whole packet", zc_ipv6_proto(v));
	zc_fuzz_sink += zc_fuzz_touch(pl) + zc_ipv6_tclass(v) + zc_ipv6_flow(v) + zc_ipv6_hlim(v) +
			zc_ipv6_pseudo(v, pl.len);
	if (zc_ipv6_frag_offset(v) == 0)
		views_l4(zc_ipv6_proto(v), pl, depth, lax);
}

/*
 * The argument checks, once per process: a NULL view pointer or buffer is
 * ZC_E_ARG everywhere, and so is a length no view can describe (over
 * 4 GiB), which must be refused before a byte is read; the latter uses a
 * lazily mapped region, skipped where it cannot be mapped.
 */
static void views_args(void)
{
	static bool done;
	zc_buf none = zc_buf_make(NULL, 0);
	uint8_t byte[64] = { 0 };
	zc_buf one = zc_buf_make(byte, sizeof byte);
	union {
		zc_eth eth;
		zc_arp arp;
		zc_ipv4 ipv4;
		zc_ipv6 ipv6;
		zc_icmp4 icmp4;
		zc_icmp6 icmp6;
		zc_tcp tcp;
		zc_udp udp;
		zc_vxlan vxlan;
		zc_geneve geneve;
		zc_gre gre;
		zc_erspan erspan;
		zc_sll sll;
		zc_sll2 sll2;
		zc_loop loop;
	} v;

	if (done)
		return;
	done = true;
#define ARG_(call) ZC_FUZZ_CHECK((call) == ZC_E_ARG, "%s is not ZC_E_ARG", #call)
	ARG_(zc_eth_parse(none, &v.eth));
	ARG_(zc_eth_parse(one, NULL));
	ARG_(zc_arp_parse(none, &v.arp));
	ARG_(zc_arp_parse(one, NULL));
	ARG_(zc_ipv4_parse(none, &v.ipv4));
	ARG_(zc_ipv4_parse_lax(one, NULL));
	ARG_(zc_ipv6_parse(none, &v.ipv6));
	ARG_(zc_ipv6_parse_lax(one, NULL));
	ARG_(zc_icmp4_parse(none, &v.icmp4));
	ARG_(zc_icmp4_parse(one, NULL));
	ARG_(zc_icmp6_parse(none, &v.icmp6));
	ARG_(zc_icmp6_parse(one, NULL));
	ARG_(zc_tcp_parse(none, &v.tcp));
	ARG_(zc_tcp_parse(one, NULL));
	ARG_(zc_udp_parse(none, &v.udp));
	ARG_(zc_udp_parse_lax(one, NULL));
	ARG_(zc_vxlan_parse(none, &v.vxlan));
	ARG_(zc_vxlan_parse(one, NULL));
	ARG_(zc_geneve_parse(none, &v.geneve));
	ARG_(zc_geneve_parse(one, NULL));
	ARG_(zc_gre_parse(none, &v.gre));
	ARG_(zc_gre_parse(one, NULL));
	ARG_(zc_erspan_parse(none, 1, &v.erspan));
	ARG_(zc_erspan_parse(one, 2, NULL));
	ARG_(zc_sll_parse(none, &v.sll));
	ARG_(zc_sll_parse(one, NULL));
	ARG_(zc_sll2_parse(none, &v.sll2));
	ARG_(zc_sll2_parse(one, NULL));
	ARG_(zc_loop_parse(none, false, &v.loop));
	ARG_(zc_loop_parse(one, true, NULL));
#if SIZE_MAX > UINT32_MAX
	{
		size_t huge = (size_t)UINT32_MAX + 4096;
		uint8_t *m = mmap(NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		zc_buf h;

		if (m == MAP_FAILED)
			return;
		h = zc_buf_make(m, huge);
		ARG_(zc_eth_parse(h, &v.eth));
		ARG_(zc_icmp4_parse(h, &v.icmp4));
		ARG_(zc_tcp_parse(h, &v.tcp));
		ARG_(zc_vxlan_parse(h, &v.vxlan));
		ARG_(zc_geneve_parse(h, &v.geneve));
		ARG_(zc_gre_parse(h, &v.gre));
		ARG_(zc_erspan_parse(h, 1, &v.erspan));
		ARG_(zc_sll_parse(h, &v.sll));
		ARG_(zc_loop_parse(h, true, &v.loop));
		munmap(m, huge);
	}
#endif
#undef ARG_
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	/* Views never write; the driver's copy is ours for the call. */
	zc_buf b = zc_buf_make((void *)data, size);

	views_args();
	views_csum(b);
	views_eth(b, 0);
	views_arp(b);
	views_ipv4(b, 0, false);
	views_ipv4(b, 0, true);
	views_ipv6(b, 0, false);
	views_ipv6(b, 0, true);
	views_ipv6_raw_opts(b);
	views_icmp4(b, 0);
	views_icmp6(b, 0);
	views_tcp(b);
	views_udp(b, 0, false);
	views_udp(b, 0, true);
	views_tunnels(b, 0);
	views_link(b, 0);
}
