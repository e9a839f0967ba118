/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/cxx_headers.cc - the public headers compile as C++ (with -Wall
 * -Wextra, as errors) and their inline constructors work there: C++ has no
 * C99 inline, so the headers give it static inline copies, and this program
 * links against the library for everything else.
 */
#include <zc.h>

#include <cstdio>

static int failures;

static void expect(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "cxx_headers: %s\n", what);
		failures++;
	}
}

int main()
{
	/* Ethernet, IPv4 (20 bytes, total length 40), TCP (20 bytes, SYN). */
	uint8_t f[54] = {};
	zc_eth e;
	zc_ipv4 v;
	zc_tcp t;
	zc_pkt pk;

	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 40;
	f[23] = ZC_IPPROTO_TCP;
	f[46] = 0x50;
	f[47] = ZC_TCP_SYN;
	expect(zc_eth_parse(zc_buf_make(f, sizeof f), &e) == ZC_OK && zc_eth_type(e) == ZC_ETH_P_IPV4, "Ethernet");
	expect(zc_ipv4_parse(zc_eth_payload(e), &v) == ZC_OK && zc_ipv4_payload(v).len == 20, "IPv4");
	expect(zc_tcp_parse(zc_ipv4_payload(v), &t) == ZC_OK && zc_tcp_flags(t) == ZC_TCP_SYN, "TCP");
	expect(zc_ipv4_parse_lax(zc_buf_make(f + 14, 30), &v) == ZC_OK && zc_ipv4_is_cut(v), "IPv4, lax");
	expect(zc_parse(zc_buf_make(f, sizeof f), ZC_DLT_EN10MB, 0, &pk) == ZC_OK && pk.n == 3 &&
		       zc_pkt_tcp(&pk, 2) != nullptr,
	       "zc_parse");

	/* Every other constructor, on bytes each rejects or accepts for a known reason. */
	zc_ipv6 v6;
	zc_udp u;
	zc_icmp4 m4;
	zc_icmp6 m6;
	zc_arp a;
	zc_vxlan x;
	zc_geneve g;
	zc_gre gr;
	zc_erspan s;
	zc_sll sl;
	zc_sll2 sl2;
	zc_loop lo;
	uint8_t z[32] = {};

	expect(zc_ipv6_parse(zc_buf_make(f, sizeof f), &v6) == ZC_E_VERSION, "IPv6");
	expect(zc_udp_parse(zc_buf_make(z, sizeof z), &u) == ZC_E_LENGTH, "UDP");
	expect(zc_icmp4_parse(zc_buf_make(z, 8), &m4) == ZC_OK, "ICMP");
	expect(zc_icmp6_parse(zc_buf_make(z, 7), &m6) == ZC_E_TRUNCATED, "ICMPv6");
	expect(zc_arp_parse(zc_buf_make(z, sizeof z), &a) == ZC_E_UNSUPPORTED, "ARP");
	expect(zc_vxlan_parse(zc_buf_make(z, 8), &x) == ZC_OK, "VXLAN");
	expect(zc_geneve_parse(zc_buf_make(z, 8), &g) == ZC_OK, "Geneve");
	expect(zc_gre_parse(zc_buf_make(z, 4), &gr) == ZC_OK && zc_gre_hdr_len(gr) == 4, "GRE");
	expect(zc_erspan_parse(zc_buf_make(z, 8), 2, &s) == ZC_E_UNSUPPORTED, "ERSPAN");
	expect(zc_sll_parse(zc_buf_make(z, 16), &sl) == ZC_OK, "SLL");
	expect(zc_sll2_parse(zc_buf_make(z, 19), &sl2) == ZC_E_TRUNCATED, "SLL2");
	z[3] = ZC_LOOP_AF_INET;
	expect(zc_loop_parse(zc_buf_make(z, 4), true, &lo) == ZC_OK && zc_loop_af(lo) == ZC_LOOP_AF_INET, "loopback");
	return failures ? 1 : 0;
}
