/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_csum.c - Internet checksum throughput in GB/s at 64, 576,
 * 1500, 9000 and 65535 bytes: libzc's zc_csum_partial(), a plain RFC 1071
 * reference (section 4.1's loop, 16-bit big-endian words), and DPDK's
 * rte_raw_cksum() when built with libdpdk. The buffer is in cache and every
 * result is checked against the reference.
 *
 *   bench_csum [-p PASSES]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "bench_dpdk.h"

/* RFC 1071 section 4.1, as written, with the carries folded at the end. */
__attribute__((noinline)) static uint32_t ref_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t sum = 0;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len > 0)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

__attribute__((noinline)) static uint32_t zc_sum(const void *p, size_t len)
{
	return zc_csum_partial(p, len, 0);
}

#ifdef ZC_BENCH_DPDK
__attribute__((noinline)) static uint32_t dpdk_sum(const void *p, size_t len)
{
	return bench_dpdk_raw_cksum(p, len);
}
#endif

struct contender {
	const char *name;
	uint32_t (*fn)(const void *, size_t);
};

static const struct contender contenders[] = {
	{ "libzc", zc_sum },
	{ "rfc1071", ref_csum },
#ifdef ZC_BENCH_DPDK
	{ "dpdk", dpdk_sum },
#endif
};
#define NCONT (sizeof contenders / sizeof contenders[0])

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 576, 1500, 9000, 65535 };
	const size_t nsizes = sizeof sizes / sizeof sizes[0];
	double gbs[sizeof sizes / sizeof sizes[0]][NCONT];
	int passes = 11, opt;
	uint8_t *buf;
	size_t s, c, i;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt == 'p')
			passes = atoi(optarg);
		else
			return 2;
	}
	if (passes < 1)
		passes = 1;
	/* 64-byte aligned plus 2: the data sits where a frame's IP header does. */
	buf = aligned_alloc(64, 65536 + 128);
	if (!buf)
		return 1;
	for (i = 0; i < 65536 + 128; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);

	for (s = 0; s < nsizes; s++) {
		size_t len = sizes[s];
		/* About 200 MB a pass, at least 1,000 calls. */
		size_t calls = 200000000 / len < 1000 ? 1000 : 200000000 / len;
		uint32_t want = ref_csum(buf + 2, len);
		double t[NCONT][64];
		int p;

		for (c = 0; c < NCONT; c++) {
			uint32_t got = contenders[c].fn(buf + 2, len);

			if (got != want) {
				fprintf(stderr, "bench_csum: %s gives %#x at %zu bytes, the reference %#x\n",
					contenders[c].name, got, len, want);
				return 1;
			}
		}
		for (p = 0; p < passes && p < 64; p++) {
			for (c = 0; c < NCONT; c++) {
				uint32_t (*fn)(const void *, size_t) = contenders[c].fn;
				/* The reference is slow: a tenth of the calls is plenty. */
				size_t n = c == 1 ? calls / 10 + 1 : calls;
				volatile uint32_t sink = 0;
				uint64_t t0 = bench_now_ns();

				for (i = 0; i < n; i++)
					sink += fn(buf + 2, len);
				t[c][p] = (double)(bench_now_ns() - t0) / (double)n;
				(void)sink;
			}
		}
		for (c = 0; c < NCONT; c++) {
			qsort(t[c], (size_t)(p), sizeof t[c][0], bench_cmp_double);
			gbs[s][c] = (double)len / t[c][p / 2];
		}
	}

	printf("checksum throughput, GB/s (median of %d passes; buffer in cache, 2 bytes past a cache line)\n",
	       passes);
	printf("  %8s", "bytes");
	for (c = 0; c < NCONT; c++)
		printf(" %10s", contenders[c].name);
	if (NCONT > 2)
		printf(" %14s", "libzc/dpdk");
	printf("\n");
	for (s = 0; s < nsizes; s++) {
		printf("  %8zu", sizes[s]);
		for (c = 0; c < NCONT; c++)
			printf(" %10.2f", gbs[s][c]);
		if (NCONT > 2)
			printf(" %14.2f", gbs[s][0] / gbs[s][NCONT - 1]);
		printf("\n");
	}
	return 0;
}
