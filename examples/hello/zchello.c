/* SPDX-License-Identifier: BSD-2-Clause */
/* zchello: parse one frame with views, edit it in place, check the sums. */
#include <stdio.h>
#include <zc.h>

int main(void)
{
	/* Ethernet + IPv4 + TCP SYN from 192.0.2.1:40000 to 198.51.100.7:443. */
	uint8_t frame[] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		192, 0, 2, 1, 198, 51, 100, 7,
		0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	};
	zc_wbuf mem = zc_wbuf_make(frame, sizeof frame);
	zc_eth eth;
	zc_ipv4 ip;
	zc_tcp tcp;
	zc_ipv4_rw ip_rw;
	zc_tcp_rw tcp_rw;
	zc_err e;

	/* Views read; the frame is writable, so handles on them may edit it. */
	if ((e = zc_eth_parse(zc_wbuf_ro(mem), &eth)) != ZC_OK ||
	    zc_eth_type(eth) != ZC_ETH_P_IPV4 ||
	    (e = zc_ipv4_parse(zc_eth_payload(eth), &ip)) != ZC_OK ||
	    zc_ipv4_proto(ip) != ZC_IPPROTO_TCP ||
	    (e = zc_tcp_parse(zc_ipv4_payload(ip), &tcp)) != ZC_OK ||
	    (e = zc_ipv4_rw_of(mem, ip, &ip_rw)) != ZC_OK ||
	    (e = zc_tcp_rw_of(mem, tcp, &tcp_rw)) != ZC_OK) {
		fprintf(stderr, "zchello: %s\n", zc_strerror(e));
		return 1;
	}
	/* The sample leaves its checksums 0: fill them once. */
	zc_ipv4_csum_fill(ip_rw);
	zc_tcp_csum_fill(tcp_rw, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)));

	printf("%u.%u.%u.%u:%u -> port %u, ttl %u, flags 0x%02x\n",
	       zc_ipv4_src(ip) >> 24, zc_ipv4_src(ip) >> 16 & 255, zc_ipv4_src(ip) >> 8 & 255,
	       zc_ipv4_src(ip) & 255, zc_tcp_src_port(tcp), zc_tcp_dst_port(tcp), zc_ipv4_ttl(ip),
	       zc_tcp_flags(tcp));

	/* Route it: TTL down, new source address and port; sums stay right. */
	zc_ipv4_dec_ttl(ip_rw);
	zc_ipv4_set_src(ip_rw, 0xcb007101); /* 203.0.113.1 */
	zc_tcp_set_src_port(tcp_rw, 50000);
	printf("ip checksum %s, tcp checksum %s\n", zc_ipv4_csum_ok(ip) ? "ok" : "BAD",
	       zc_tcp_csum_ok(tcp, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))) ? "ok" : "BAD");
	return zc_ipv4_csum_ok(ip) && zc_tcp_csum_ok(tcp, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip))) ? 0 : 1;
}
