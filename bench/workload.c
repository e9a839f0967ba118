/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/workload.c - reads real frames from pcap files and lays them out as
 * the hot and cold sets the parsing benchmarks run over.
 */
#define _DEFAULT_SOURCE /* madvise() */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "bench.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static int pool_add(bench_pool *pool, size_t *cap, const uint8_t *p, uint32_t len)
{
	if (pool->n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		uint8_t **d = realloc(pool->data, c * sizeof *d);
		uint32_t *l;

		if (!d)
			return -1;
		pool->data = d;
		l = realloc(pool->len, c * sizeof *l);
		if (!l)
			return -1;
		pool->len = l;
		*cap = c;
	}
	pool->data[pool->n] = malloc(len);
	if (!pool->data[pool->n])
		return -1;
	memcpy(pool->data[pool->n], p, len);
	pool->len[pool->n++] = len;
	return 0;
}

/* One classic pcap file (pcapng and others are skipped: the test captures are pcap). */
static int load_file(bench_pool *pool, size_t *cap, const char *path, size_t per_file)
{
	FILE *f = fopen(path, "rb");
	uint8_t gh[24], rh[16], *buf = NULL;
	size_t taken = 0;
	int swap, rc = 0;
	uint32_t magic;

	if (!f)
		return 0;
	if (fread(gh, 1, sizeof gh, f) != sizeof gh)
		goto out;
	memcpy(&magic, gh, 4);
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS)
		swap = 0;
	else if (__builtin_bswap32(magic) == PCAP_MAGIC_US || __builtin_bswap32(magic) == PCAP_MAGIC_NS)
		swap = 1;
	else
		goto out;
	if ((rd32(gh + 20, swap) & 0x0fffffff) != PCAP_LINKTYPE_ETHERNET) {
		pool->skipped_link++;
		goto out;
	}
	pool->files++;
	buf = malloc(1 << 18);
	if (!buf) {
		rc = -1;
		goto out;
	}
	while (taken < per_file && fread(rh, 1, sizeof rh, f) == sizeof rh) {
		uint32_t caplen = rd32(rh + 8, swap), len = rd32(rh + 12, swap);

		if (caplen > (1u << 18) || fread(buf, 1, caplen, f) != caplen)
			break;
		if (caplen < len) {
			pool->skipped_cut++;
			continue;
		}
		if (caplen > BENCH_MAX_FRAME || caplen < 14) {
			pool->skipped_big++;
			continue;
		}
		if (pool_add(pool, cap, buf, caplen) < 0) {
			rc = -1;
			break;
		}
		taken++;
	}
out:
	free(buf);
	fclose(f);
	return rc;
}

int bench_pool_load(bench_pool *pool, char *const *paths, int npaths, size_t per_file)
{
	size_t cap = 0;
	int i;

	memset(pool, 0, sizeof *pool);
	for (i = 0; i < npaths; i++)
		if (load_file(pool, &cap, paths[i], per_file) < 0)
			return -1;
	return pool->n ? 0 : -1;
}

void bench_pool_filter(bench_pool *pool, const unsigned char *keep)
{
	size_t i, j = 0;

	for (i = 0; i < pool->n; i++) {
		if (keep[i]) {
			pool->data[j] = pool->data[i];
			pool->len[j++] = pool->len[i];
		} else {
			free(pool->data[i]);
		}
	}
	pool->n = j;
}

int bench_hugepages = 0;

/* splitmix64: a seeded generator for the shuffles, so runs are repeatable. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * Which pool frame is set frame i: a set smaller than the pool samples it
 * evenly (every capture contributes), a larger one cycles through it.
 */
static size_t pick(const bench_pool *pool, size_t n, size_t i)
{
	return n >= pool->n ? i % pool->n : (size_t)((uint64_t)i * pool->n / n);
}

int bench_set_make(bench_set *set, const bench_pool *pool, size_t n, int shuffle)
{
	size_t i, off = 0;
	uint64_t seed = 42;

	memset(set, 0, sizeof *set);
	for (i = 0; i < n; i++)
		set->mem_len += BENCH_META + BENCH_HEADROOM + ((pool->len[pick(pool, n, i)] + 63) & ~(size_t)63);
	/* Whole 2 MiB pages, so that the slots can sit on transparent huge pages. */
	set->mem_len = (set->mem_len + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
	set->mem = aligned_alloc(2u << 20, set->mem_len);
	if (set->mem && bench_hugepages)
		(void)madvise(set->mem, set->mem_len, MADV_HUGEPAGE);
	set->frames = malloc(n * sizeof *set->frames);
	set->slots = malloc(n * sizeof *set->slots);
	if (!set->mem || !set->frames || !set->slots)
		return -1;
	/* Touch every page now so that no pass pays for first-touch faults. */
	memset(set->mem, 0, set->mem_len);
	for (i = 0; i < n; i++) {
		size_t k = pick(pool, n, i);
		uint8_t *slot = set->mem + off;
		uint8_t *data = slot + BENCH_META + BENCH_HEADROOM;

		memcpy(data, pool->data[k], pool->len[k]);
		set->slots[i] = slot;
		set->frames[i] = zc_buf_make(data, pool->len[k]);
		off += BENCH_META + BENCH_HEADROOM + ((pool->len[k] + 63) & ~(size_t)63);
	}
	set->n = n;
	if (shuffle) {
		/* Fisher-Yates over the visiting order: frames stay where they are. */
		for (i = n - 1; i > 0; i--) {
			size_t j = (size_t)(rnd(&seed) % (i + 1));
			zc_buf tf = set->frames[i];
			uint8_t *ts = set->slots[i];

			set->frames[i] = set->frames[j];
			set->frames[j] = tf;
			set->slots[i] = set->slots[j];
			set->slots[j] = ts;
		}
	}
	return 0;
}

void bench_set_free(bench_set *set)
{
	free(set->mem);
	free(set->frames);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

uint64_t bench_now_ns(void)
{
	struct timespec t;

	/*
	 * The thread's CPU time, not the wall clock: the machines this runs on
	 * are shared, and time spent descheduled is no contender's.
	 */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}
