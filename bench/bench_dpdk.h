/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_dpdk.h - the DPDK contenders, built when configure finds
 * libdpdk (ZC_BENCH_DPDK). Kept in bench_dpdk.c, the only file that includes
 * DPDK's headers.
 */
#ifndef ZC_BENCH_DPDK_H
#define ZC_BENCH_DPDK_H

#include <stddef.h>
#include <stdint.h>

#include "zc/buf.h"

#ifdef ZC_BENCH_DPDK
/*
 * Writes a struct rte_mbuf at the start of each slot, describing the frame
 * that sits after the headroom, as a receive path would have.
 */
void bench_dpdk_prepare(uint8_t *const *slots, const zc_buf *frames, size_t n);

/* The job with rte_net_get_ptype() over n mbufs, reps times; the sum of the values. */
uint64_t bench_dpdk_pass(uint8_t *const *slots, size_t n, size_t reps);

/* rte_raw_cksum() folded to a partial sum below 0x10000, big-endian terms. */
uint32_t bench_dpdk_raw_cksum(const void *p, size_t len);
#endif

#endif /* ZC_BENCH_DPDK_H */
