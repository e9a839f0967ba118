/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench.h - what the parsing benchmarks share: the workload (real
 * Ethernet frames read from classic pcap files, laid out as a hot set and a
 * cold set), the job every contender does per frame, timing and reporting.
 *
 * The job, the same for every contender: from the Ethernet header (VLAN tags
 * walked) take the ethertype; from the outermost IPv4 or IPv6 header the two
 * addresses and the upper-layer protocol (after IPv6 extension headers); and,
 * unless the datagram is a fragment, from TCP or UDP the two ports, the TCP
 * flags and the L4 payload length (bounded by the IP and UDP lengths, so
 * link-layer padding never counts). bench_mix() folds those into one value
 * and the values of all frames are summed, so nothing is optimized away and
 * the contenders can be checked against each other.
 */
#ifndef ZC_BENCH_H
#define ZC_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "zc.h"
#include "zc/pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Each frame sits in a slot laid out like a DPDK mbuf: metadata, headroom, data. */
#define BENCH_META 128      /* room for a struct rte_mbuf (two cache lines) */
#define BENCH_HEADROOM 128  /* RTE_PKTMBUF_HEADROOM */
#define BENCH_MAX_FRAME 2048

typedef struct bench_set {
	size_t n;          /* frames, in the order a pass visits them */
	zc_buf *frames;    /* frames[i]: the bytes of frame i */
	uint8_t **slots;   /* slots[i]: its slot (metadata at the start) */
	uint8_t *mem;      /* the one allocation behind every slot */
	size_t mem_len;
} bench_set;

typedef struct bench_pool {
	size_t n;
	uint8_t **data;    /* unique frames, as read */
	uint32_t *len;
	size_t files, skipped_cut, skipped_big, skipped_link;
} bench_pool;

/*
 * Reads up to per_file frames from each classic pcap file with an Ethernet
 * link type (others are counted and skipped; so are frames cut by the
 * snaplen and frames longer than BENCH_MAX_FRAME). Returns 0 or -1.
 */
int bench_pool_load(bench_pool *pool, char *const *paths, int npaths, size_t per_file);

/* Keeps only the frames for which keep[i] is non-zero. */
void bench_pool_filter(bench_pool *pool, const unsigned char *keep);

/*
 * Lays n frames out in slots, one after the other: a set smaller than the
 * pool samples it evenly, a larger one cycles through it. With shuffle the
 * slots are visited in a random order: traffic from all captures is mixed,
 * and a pass over a set larger than the last-level cache misses on every
 * frame, as a receive ring does whose buffers come from a large pool.
 */
/*
 * When set, the slots of a set are put on transparent huge pages
 * (madvise), as DPDK puts its mempools on huge pages: fewer TLB misses.
 */
extern int bench_hugepages;

int bench_set_make(bench_set *set, const bench_pool *pool, size_t n, int shuffle);
void bench_set_free(bench_set *set);

/* CPU time of the calling thread in nanoseconds. */
uint64_t bench_now_ns(void);

int bench_cmp_double(const void *a, const void *b);

/* ---------------------------------------------------------------- the job */

static inline uint32_t bench_be32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}

/* An IPv6 address folded to 64 bits: the sum of its four 32-bit words. */
static inline uint64_t bench_v6(const uint8_t *a)
{
	return (uint64_t)bench_be32(a) + bench_be32(a + 4) + bench_be32(a + 8) + bench_be32(a + 12);
}

/* The value of one frame from the fields of the job (0 for what is absent). */
static inline uint64_t bench_mix(uint16_t ethertype, uint64_t src, uint64_t dst, uint8_t proto,
				 uint16_t sport, uint16_t dport, uint8_t tcp_flags, uint32_t paylen)
{
	return ethertype + (src * 3) + (dst * 5) + ((uint64_t)proto << 16) + ((uint64_t)sport << 20) +
	       ((uint64_t)dport << 36) + ((uint64_t)tcp_flags << 52) + (uint64_t)paylen * 7;
}

/* The job done on a zc_pkt that zc_parse() filled (layers after an error still count). */
static inline uint64_t bench_job_pkt(const zc_pkt *pk)
{
	const zc_layer *l = pk->l;
	uint64_t src, dst;
	uint16_t et;
	uint8_t proto;
	bool frag;

	if (ZC_UNLIKELY(pk->n == 0))
		return 0;
	et = zc_eth_type(l[0].v.eth);
	if (pk->n < 2)
		return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
	if (ZC_LIKELY(l[1].kind == ZC_L_IPV4)) {
		src = zc_ipv4_src(l[1].v.ipv4);
		dst = zc_ipv4_dst(l[1].v.ipv4);
		proto = zc_ipv4_proto(l[1].v.ipv4);
		frag = zc_ipv4_is_fragment(l[1].v.ipv4);
	} else if (l[1].kind == ZC_L_IPV6) {
		src = bench_v6(zc_ipv6_src(l[1].v.ipv6));
		dst = bench_v6(zc_ipv6_dst(l[1].v.ipv6));
		proto = zc_ipv6_proto(l[1].v.ipv6);
		frag = zc_ipv6_is_fragment(l[1].v.ipv6);
	} else {
		return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
	}
	if (pk->n < 3 || frag)
		return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
	if (l[2].kind == ZC_L_TCP) {
		zc_tcp t = l[2].v.tcp;
		return bench_mix(et, src, dst, proto, zc_tcp_src_port(t), zc_tcp_dst_port(t), zc_tcp_flags(t),
				 (uint32_t)zc_tcp_payload(t).len);
	}
	if (l[2].kind == ZC_L_UDP) {
		zc_udp u = l[2].v.udp;
		return bench_mix(et, src, dst, proto, zc_udp_src_port(u), zc_udp_dst_port(u), 0,
				 (uint32_t)zc_udp_payload(u).len);
	}
	return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
}

/* The job with zc_parse() on one frame, with the flags given. */
static inline uint64_t bench_job_zc_parse_flags(zc_buf f, unsigned flags, zc_pkt *pk)
{
	zc_parse(f, ZC_DLT_EN10MB, flags, pk);
	return bench_job_pkt(pk);
}

/* The job with zc_parse() on one frame, every layer dissected (tunnels, ICMP quotes). */
static inline uint64_t bench_job_zc_parse(zc_buf f, zc_pkt *pk)
{
	return bench_job_zc_parse_flags(f, 0, pk);
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_BENCH_H */
