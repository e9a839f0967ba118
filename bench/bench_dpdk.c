/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_dpdk.c - the DPDK contenders: rte_net_get_ptype() on mbufs and
 * rte_raw_cksum().
 *
 * No EAL: rte_net_get_ptype() and the header accessors need none, and an EAL
 * (even with --no-huge --no-pci --in-memory) would only add a mempool whose
 * buffers we would then copy the frames into. Instead each frame's slot
 * starts with a struct rte_mbuf filled in as a PMD's receive path fills it
 * (buf_addr, data_off = RTE_PKTMBUF_HEADROOM, data_len = pkt_len, one
 * segment), followed by the headroom and the frame: the layout of a mempool
 * object, and the very bytes the other contenders parse.
 *
 * DPDK builds itself and its applications with -O3 by default (meson's
 * release build type), so this file asks GCC for -O3: that lets it vectorize
 * the word loop of rte_raw_cksum(), DPDK's inline checksum.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
/* rte_ipv6_get_next_ext() is still marked experimental in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API 1
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "bench.h"
#include "bench_dpdk.h"

_Static_assert(sizeof(struct rte_mbuf) <= BENCH_META, "struct rte_mbuf does not fit its slot");
_Static_assert(RTE_PKTMBUF_HEADROOM == BENCH_HEADROOM, "headroom differs from DPDK's");

void bench_dpdk_prepare(uint8_t *const *slots, const zc_buf *frames, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = (struct rte_mbuf *)(void *)slots[i];

		memset(m, 0, sizeof *m);
		m->buf_addr = slots[i] + BENCH_META;
		m->buf_len = (uint16_t)(BENCH_HEADROOM + BENCH_MAX_FRAME);
		m->data_off = RTE_PKTMBUF_HEADROOM;
		m->data_len = (uint16_t)frames[i].len;
		m->pkt_len = (uint32_t)frames[i].len;
		m->nb_segs = 1;
		m->next = NULL;
		m->port = 0;
		rte_mbuf_refcnt_set(m, 1);
	}
}

/* The upper-layer protocol after IPv6 extension headers, with DPDK's helper. */
static inline uint8_t ipv6_upper_proto(const uint8_t *ip6, size_t l3_len)
{
	const struct rte_ipv6_hdr *h = (const struct rte_ipv6_hdr *)(const void *)ip6;
	size_t off = sizeof *h, elen;
	int proto = h->proto;

	while (off < l3_len) {
		int next = rte_ipv6_get_next_ext(ip6 + off, proto, &elen);

		if (next < 0)
			break;
		proto = next;
		off += elen;
	}
	return (uint8_t)proto;
}

static inline uint64_t job_dpdk(const struct rte_mbuf *m)
{
	struct rte_net_hdr_lens hl;
	uint32_t pt = rte_net_get_ptype(m, &hl, RTE_PTYPE_ALL_MASK);
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t et, ip_len;
	uint64_t src, dst;
	uint8_t proto;
	uint32_t l4;

	if ((pt & RTE_PTYPE_L2_MASK) == 0)
		return 0;
	et = rte_be_to_cpu_16(*(const rte_be16_t *)(const void *)(p + hl.l2_len - 2));
	if (RTE_ETH_IS_IPV4_HDR(pt)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(const void *)(p + hl.l2_len);

		src = rte_be_to_cpu_32(ip->src_addr);
		dst = rte_be_to_cpu_32(ip->dst_addr);
		proto = ip->next_proto_id;
		ip_len = rte_be_to_cpu_16(ip->total_length);
	} else if (RTE_ETH_IS_IPV6_HDR(pt)) {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(const void *)(p + hl.l2_len);

		src = bench_v6(ip6->src_addr);
		dst = bench_v6(ip6->dst_addr);
		proto = hl.l3_len == sizeof *ip6 ? ip6->proto : ipv6_upper_proto((const uint8_t *)ip6, hl.l3_len);
		ip_len = (uint16_t)(rte_be_to_cpu_16(ip6->payload_len) + sizeof *ip6);
	} else {
		return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
	}
	l4 = hl.l2_len + hl.l3_len;
	switch (pt & RTE_PTYPE_L4_MASK) {
	case RTE_PTYPE_L4_TCP: {
		const struct rte_tcp_hdr *t = (const struct rte_tcp_hdr *)(const void *)(p + l4);

		return bench_mix(et, src, dst, proto, rte_be_to_cpu_16(t->src_port), rte_be_to_cpu_16(t->dst_port),
				 t->tcp_flags, (uint32_t)(ip_len - hl.l3_len - hl.l4_len));
	}
	case RTE_PTYPE_L4_UDP: {
		const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(const void *)(p + l4);

		return bench_mix(et, src, dst, proto, rte_be_to_cpu_16(u->src_port), rte_be_to_cpu_16(u->dst_port), 0,
				 (uint32_t)(rte_be_to_cpu_16(u->dgram_len) - sizeof *u));
	}
	default:
		return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
	}
}

uint64_t bench_dpdk_pass(uint8_t *const *slots, size_t n, size_t reps)
{
	uint64_t acc = 0;
	size_t r, i;

	for (r = 0; r < reps; r++)
		for (i = 0; i < n; i++)
			acc += job_dpdk((const struct rte_mbuf *)(const void *)slots[i]);
	return acc;
}

uint32_t bench_dpdk_raw_cksum(const void *p, size_t len)
{
	uint16_t s = rte_raw_cksum(p, len);

	/* DPDK sums native-order words; libzc's partial sums are big-endian terms. */
	return rte_be_to_cpu_16(s);
}
