/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_rxpath.c - a host stack's receive path two ways over the same
 * frames: with libzc's views, as libzcstack parses, and with each header
 * copied into a host-order struct first (bench/baseline.h), as a stack built
 * on header structs does. The claim tested is the one of the proposal libzc
 * grew from (background 004): that the copies cost enough to matter, here
 * taken as at least 1.3x.
 *
 *   bench_rxpath [-p PASSES] [-n FRAMES] [-O]
 *
 * -O leaves the TCP options out of both paths: the headers alone.
 *
 * The path, the same for both, per frame: Ethernet to IPv4 or IPv6 (the
 * destination must be ours), then TCP or UDP; a TCP segment is matched to
 * one of 64 connections by its four-tuple, its sequence and acknowledgment
 * numbers, flags and window are read and its options decoded (MSS, window
 * scale, SACK-permitted, timestamps, SACK blocks: what libzcstack acts on);
 * a UDP datagram is matched to one of 8 bound ports. Both fold what they
 * read into one value per frame, and the two totals must agree. Checksums
 * are left out of both (the same work either way, and offloaded on most
 * NICs), as is the copy of the payload into a socket's ring.
 *
 * The frames are built here: a stack's traffic, mostly TCP data and ACKs
 * with timestamps (some with SACK blocks), some UDP, half of it over IPv6.
 * Reports the median ns/frame over PASSES passes (the two take turns pass
 * by pass) and the ratio.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"

#ifndef NCONN
#define NCONN 64 /* connections a TCP segment is looked up among */
#endif
#define NPORT 8

static const uint8_t our6[16] = { 0xfd, 0x77, [15] = 2 };
static const uint32_t our4 = 0x0a4d0002u;

/* The connections and ports the frames go to: what a lookup has to search. */
static struct conn {
	uint32_t raddr4;
	uint8_t raddr6[16];
	uint16_t rport, lport;
} conns[NCONN];
static uint16_t udp_ports[NPORT];
static int decode_opts = 1;

/* What both paths decode of the TCP options. */
struct opts {
	uint16_t mss;
	uint8_t ws, sack_perm, nsack;
	uint32_t tsval, tsecr, sack_left;
};

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

static int conn_find4(uint32_t raddr, uint16_t rport, uint16_t lport)
{
	int i;

	for (i = 0; i < NCONN; i++)
		if (conns[i].rport == rport && conns[i].lport == lport && conns[i].raddr4 == raddr)
			return i;
	return -1;
}

static int conn_find6(const uint8_t *raddr, uint16_t rport, uint16_t lport)
{
	int i;

	for (i = 0; i < NCONN; i++)
		if (conns[i].rport == rport && conns[i].lport == lport && memcmp(conns[i].raddr6, raddr, 16) == 0)
			return i;
	return -1;
}

static int port_find(uint16_t p)
{
	int i;

	for (i = 0; i < NPORT; i++)
		if (udp_ports[i] == p)
			return i;
	return -1;
}

static uint64_t tcp_fold(int conn, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, size_t plen,
			 const struct opts *o)
{
	uint64_t h = mix(0xcbf29ce484222325ull, (uint64_t)conn);

	h = mix(h, seq);
	h = mix(h, ack);
	h = mix(h, (uint64_t)flags << 16 | win);
	h = mix(h, plen);
	h = mix(h, (uint64_t)o->mss << 24 | (uint64_t)o->ws << 16 | (uint64_t)o->sack_perm << 8 | o->nsack);
	h = mix(h, (uint64_t)o->tsval << 32 | o->tsecr);
	return mix(h, o->sack_left);
}

/* ---------------------------------------------------------------- the path with views */

static uint64_t views_tcp(zc_buf l4, int v6, uint32_t src4, const uint8_t *src6)
{
	zc_tcp_optset os;
	struct opts o;
	zc_tcp t;
	int c;

	if (zc_tcp_parse(l4, &t) != ZC_OK)
		return 1;
	c = v6 ? conn_find6(src6, zc_tcp_src_port(t), zc_tcp_dst_port(t))
	       : conn_find4(src4, zc_tcp_src_port(t), zc_tcp_dst_port(t));
	if (c < 0)
		return 2;
	memset(&os, 0, sizeof os);
	if (decode_opts)
		(void)zc_tcp_options(t, &os);
	memset(&o, 0, sizeof o);
	o.mss = os.has_mss ? os.mss : 0;
	o.ws = os.has_wscale ? os.wscale : 0;
	o.sack_perm = os.has_sack_perm;
	o.nsack = os.nsack;
	o.tsval = os.has_ts ? os.tsval : 0;
	o.tsecr = os.has_ts ? os.tsecr : 0;
	o.sack_left = os.nsack ? os.sack[0][0] : 0;
	return tcp_fold(c, zc_tcp_seq(t), zc_tcp_ack(t), zc_tcp_flags(t), zc_tcp_window(t), zc_tcp_payload(t).len,
			&o);
}

static uint64_t views_udp(zc_buf l4)
{
	zc_udp u;
	int p;

	if (zc_udp_parse(l4, &u) != ZC_OK)
		return 1;
	if ((p = port_find(zc_udp_dst_port(u))) < 0)
		return 2;
	return mix(mix(0x84222325ull, (uint64_t)p), (uint64_t)zc_udp_src_port(u) << 16 | zc_udp_payload(u).len);
}

static uint64_t views_path(zc_buf f)
{
	zc_eth eth;

	if (zc_eth_parse(f, &eth) != ZC_OK)
		return 0;
	if (zc_eth_type(eth) == ZC_ETH_P_IPV4) {
		zc_ipv4 ip;

		if (zc_ipv4_parse(zc_eth_payload(eth), &ip) != ZC_OK || zc_ipv4_dst(ip) != our4 ||
		    zc_ipv4_is_fragment(ip))
			return 3;
		if (zc_ipv4_proto(ip) == ZC_IPPROTO_TCP)
			return views_tcp(zc_ipv4_payload(ip), 0, zc_ipv4_src(ip), NULL);
		return zc_ipv4_proto(ip) == ZC_IPPROTO_UDP ? views_udp(zc_ipv4_payload(ip)) : 4;
	}
	if (zc_eth_type(eth) == ZC_ETH_P_IPV6) {
		zc_ipv6 ip;

		if (zc_ipv6_parse(zc_eth_payload(eth), &ip) != ZC_OK || memcmp(zc_ipv6_dst(ip), our6, 16) != 0 ||
		    zc_ipv6_is_fragment(ip))
			return 3;
		if (zc_ipv6_proto(ip) == ZC_IPPROTO_TCP)
			return views_tcp(zc_ipv6_payload(ip), 1, 0, zc_ipv6_src(ip));
		return zc_ipv6_proto(ip) == ZC_IPPROTO_UDP ? views_udp(zc_ipv6_payload(ip)) : 4;
	}
	return 5;
}

/* ---------------------------------------------------------------- the path with copies */

/* The option walk over the bytes copied into the struct, as a struct-based stack does it. */
static void copy_opts(const struct bl_tcp *h, struct opts *o)
{
	size_t n = decode_opts ? h->hlen - 20 : 0, i = 0;

	memset(o, 0, sizeof *o);
	while (i < n) {
		uint8_t kind = h->options[i], len;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (n - i < 2 || (len = h->options[i + 1]) < 2 || len > n - i)
			break;
		if (kind == 2 && len == 4)
			o->mss = (uint16_t)(h->options[i + 2] << 8 | h->options[i + 3]);
		else if (kind == 3 && len == 3)
			o->ws = h->options[i + 2];
		else if (kind == 4 && len == 2)
			o->sack_perm = 1;
		else if (kind == 8 && len == 10) {
			uint32_t v, e;

			memcpy(&v, h->options + i + 2, 4);
			memcpy(&e, h->options + i + 6, 4);
			o->tsval = ntohl(v);
			o->tsecr = ntohl(e);
		} else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
			uint32_t l;

			o->nsack = (uint8_t)((len - 2) / 8);
			memcpy(&l, h->options + i + 2, 4);
			o->sack_left = ntohl(l);
		}
		i += len;
	}
}

static uint64_t copy_tcp(const uint8_t *p, size_t len, int v6, uint32_t src4, const uint8_t *src6)
{
	struct bl_tcp h;
	struct opts o;
	int c;

	if (bl_parse_tcp(p, len, &h) < 0)
		return 1;
	c = v6 ? conn_find6(src6, h.sport, h.dport) : conn_find4(src4, h.sport, h.dport);
	if (c < 0)
		return 2;
	copy_opts(&h, &o);
	return tcp_fold(c, h.seq, h.ack, h.flags, h.win, len - h.hlen, &o);
}

static uint64_t copy_udp(const uint8_t *p, size_t len)
{
	struct bl_udp h;
	int port;

	if (bl_parse_udp(p, len, &h) < 0)
		return 1;
	if ((port = port_find(h.dport)) < 0)
		return 2;
	return mix(mix(0x84222325ull, (uint64_t)port), (uint64_t)h.sport << 16 | (h.len - 8u));
}

static uint64_t copy_path(zc_buf f)
{
	const uint8_t *p = f.p;
	size_t len = f.len;
	struct bl_eth eth;

	if (bl_parse_eth(p, len, &eth) < 0)
		return 0;
	p += eth.hlen;
	len -= eth.hlen;
	if (eth.type == ETHERTYPE_IP) {
		struct bl_ipv4 ip;

		if (bl_parse_ipv4(p, len, &ip) < 0 || ip.daddr != our4 || (ip.frag_off & (IP_MF | IP_OFFMASK)))
			return 3;
		if (ip.proto == IPPROTO_TCP)
			return copy_tcp(p + ip.hlen, ip.tot_len - ip.hlen, 0, ip.saddr, NULL);
		return ip.proto == IPPROTO_UDP ? copy_udp(p + ip.hlen, ip.tot_len - ip.hlen) : 4;
	}
	if (eth.type == ETHERTYPE_IPV6) {
		struct bl_ipv6 ip;

		if (bl_parse_ipv6(p, len, &ip) < 0 || memcmp(ip.dst.s6_addr, our6, 16) != 0 || ip.frag)
			return 3;
		if (ip.proto == IPPROTO_TCP)
			return copy_tcp(p + ip.hlen, 40u + ip.plen - ip.hlen, 1, 0, ip.src.s6_addr);
		return ip.proto == IPPROTO_UDP ? copy_udp(p + ip.hlen, 40u + ip.plen - ip.hlen) : 4;
	}
	return 5;
}

/* ---------------------------------------------------------------- the frames */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* The TCP header with the options of a kind of segment: 0 data (timestamps), 1 an ACK with SACK, 2 a SYN. */
static size_t tcp_hdr(uint8_t *t, const struct conn *c, int kind)
{
	static const uint8_t ts[12] = { 1, 1, 8, 10 };
	static const uint8_t syn[20] = { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7 };
	size_t hl = kind == 1 ? 44 : 32;

	memset(t, 0, hl);
	zc_store_be16(t, c->rport);
	zc_store_be16(t + 2, c->lport);
	zc_store_be32(t + 4, rnd());
	zc_store_be32(t + 8, rnd());
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = kind == 2 ? 0x02 : 0x18;
	zc_store_be16(t + 14, (uint16_t)rnd());
	if (kind == 2) {
		t[12] = (40 / 4) << 4;
		memcpy(t + 20, syn, 20);
		zc_store_be32(t + 28, rnd());
		return 40;
	}
	memcpy(t + 20, ts, 12);
	zc_store_be32(t + 24, rnd());
	zc_store_be32(t + 28, rnd());
	if (kind == 1) {
		t[32] = 1;
		t[33] = 1;
		t[34] = 5;
		t[35] = 10;
		zc_store_be32(t + 36, rnd());
		zc_store_be32(t + 40, rnd());
	}
	return hl;
}

/* One frame into f (at least 1600 bytes): its length. */
static size_t make_frame(uint8_t *f, unsigned i)
{
	static const uint8_t mac[6] = { 2, 0, 0x0a, 0x4d, 0, 2 }, peer[6] = { 2, 0, 0x0a, 0x4d, 0, 1 };
	const struct conn *c = &conns[rnd() % NCONN];
	int v6 = (i / 2) % 2, udp = i % 5 == 4, kind = i % 7 == 3 ? 1 : i % 97 == 5 ? 2 : 0;
	size_t ip = 14, l4 = ip + (v6 ? 40 : 20), hl, pay = kind ? 0 : 64 + rnd() % 1300, n;

	memcpy(f, mac, 6);
	memcpy(f + 6, peer, 6);
	zc_store_be16(f + 12, v6 ? ZC_ETH_P_IPV6 : ZC_ETH_P_IPV4);
	if (udp) {
		hl = 8;
		pay = 16 + rnd() % 500;
		zc_store_be16(f + l4, 5353);
		zc_store_be16(f + l4 + 2, udp_ports[rnd() % NPORT]);
		zc_store_be16(f + l4 + 4, (uint16_t)(8 + pay));
		zc_store_be16(f + l4 + 6, 0);
	} else {
		hl = tcp_hdr(f + l4, c, kind);
	}
	memset(f + l4 + hl, 0x5a, pay);
	n = l4 + hl + pay;
	if (v6) {
		memset(f + ip, 0, 40);
		f[ip] = 0x60;
		zc_store_be16(f + ip + 4, (uint16_t)(n - l4));
		f[ip + 6] = udp ? ZC_IPPROTO_UDP : ZC_IPPROTO_TCP;
		f[ip + 7] = 64;
		memcpy(f + ip + 8, c->raddr6, 16);
		memcpy(f + ip + 24, our6, 16);
	} else {
		zc_ipv4_rw v;

		memset(f + ip, 0, 20);
		f[ip] = 0x45;
		zc_store_be16(f + ip + 2, (uint16_t)(n - ip));
		f[ip + 8] = 64;
		f[ip + 9] = udp ? ZC_IPPROTO_UDP : ZC_IPPROTO_TCP;
		zc_store_be32(f + ip + 12, c->raddr4);
		zc_store_be32(f + ip + 16, our4);
		if (zc_ipv4_parse_rw(zc_wbuf_make(f + ip, n - ip), &v) == ZC_OK)
			zc_ipv4_csum_fill(v);
	}
	return n;
}

/* ---------------------------------------------------------------- timing */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned passes = 31, nframes = 4096, i, k;
	uint64_t sum_v = 0, sum_c = 0;
	double *tv, *tc;
	zc_buf *frames;
	uint8_t *mem;
	int opt;

	while ((opt = getopt(argc, argv, "p:n:O")) != -1) {
		if (opt == 'O')
			decode_opts = 0;
		else if (opt == 'p')
			passes = (unsigned)strtoul(optarg, NULL, 10);
		else if (opt == 'n')
			nframes = (unsigned)strtoul(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: bench_rxpath [-p PASSES] [-n FRAMES] [-O]\n");
			return 2;
		}
	}
	if (passes == 0 || nframes == 0) {
		fprintf(stderr, "bench_rxpath: -p and -n take numbers above 0\n");
		return 2;
	}
	for (i = 0; i < NCONN; i++) {
		conns[i].raddr4 = 0x0a4d0100u + i;
		memcpy(conns[i].raddr6, our6, 16);
		conns[i].raddr6[14] = 1;
		conns[i].raddr6[15] = (uint8_t)i;
		conns[i].rport = (uint16_t)(40000 + i);
		conns[i].lport = i % 2 ? 80 : 443;
	}
	for (i = 0; i < NPORT; i++)
		udp_ports[i] = (uint16_t)(5000 + i);
	mem = malloc((size_t)nframes * 1600);
	frames = malloc(nframes * sizeof *frames);
	tv = malloc(passes * sizeof *tv);
	tc = malloc(passes * sizeof *tc);
	if (!mem || !frames || !tv || !tc) {
		fprintf(stderr, "bench_rxpath: out of memory\n");
		return 1;
	}
	for (i = 0; i < nframes; i++)
		frames[i] = zc_buf_make(mem + (size_t)i * 1600, make_frame(mem + (size_t)i * 1600, i));
	for (i = 0; i < nframes; i++) {
		uint64_t a = views_path(frames[i]), b = copy_path(frames[i]);

		if (a != b || a < 16) {
			fprintf(stderr, "bench_rxpath: the two paths disagree on frame %u (%llu, %llu)\n", i,
				(unsigned long long)a, (unsigned long long)b);
			return 1;
		}
	}
	for (k = 0; k < passes; k++) {
		double t0 = now_ns(), t1, t2;

		for (i = 0; i < nframes; i++)
			sum_v += views_path(frames[i]);
		t1 = now_ns();
		for (i = 0; i < nframes; i++)
			sum_c += copy_path(frames[i]);
		t2 = now_ns();
		tv[k] = (t1 - t0) / nframes;
		tc[k] = (t2 - t1) / nframes;
	}
	if (sum_v != sum_c) {
		fprintf(stderr, "bench_rxpath: the totals disagree\n");
		return 1;
	}
	qsort(tv, passes, sizeof *tv, cmp_double);
	qsort(tc, passes, sizeof *tc, cmp_double);
	printf("receive path, %u frames (TCP with timestamps and SACK, UDP; IPv4 and IPv6), %s, median of %u passes\n",
	       nframes, decode_opts ? "TCP options decoded" : "headers only (-O)", passes);
	printf("  views (libzc)            %6.2f ns/frame\n", tv[passes / 2]);
	printf("  headers copied (structs) %6.2f ns/frame\n", tc[passes / 2]);
	printf("  copies / views           %6.2fx\n", tc[passes / 2] / tv[passes / 2]);
	free(mem);
	free(frames);
	free(tv);
	free(tc);
	return 0;
}
