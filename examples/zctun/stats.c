/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/stats.c - the counters, printed on SIGUSR1 and at exit.
 *
 * Three threads, WireGuard's handshake thread and each decryption worker
 * keep their own zctun_stats (no counter is shared, so none needs a locked
 * add); the report sums them.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zctun.h"

static uint64_t get(const _Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* One counter, at offset off in a zctun_stats, summed over the decryption workers. */
static uint64_t workers_sum(const zctun *t, size_t off)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < t->nworkers; i++)
		sum += get((const _Atomic uint64_t *)(const void *)((const char *)&t->workers[i].st + off));
	return sum;
}

void zctun_stats_print(const zctun *t, int fd)
{
	char line[160];
	int n;

	n = snprintf(line, sizeof line, "zctun %s: counters (tun offloads 0x%x%s, udp gso %s, gro %s, workers %u)\n",
		     t->tun.name, t->tun.offloads, t->tun.vnet ? "" : ", no virtio header",
		     t->udp.gso ? "on" : "off", t->udp.gro ? "on" : "off", t->nworkers);
	if (n > 0)
		(void)!write(fd, line, (size_t)n);
#define ZCTUN_CNT_PRINT_(name, help)                                                        \
	n = snprintf(line, sizeof line, "  %-18s %20" PRIu64 "\n", #name,                      \
		     get(&t->st_tx.name) + get(&t->st_rx.name) + get(&t->st_wr.name) +         \
			     get(&t->st_hs.name) +                                              \
			     workers_sum(t, offsetof(zctun_stats, name)));                      \
	if (n > 0)                                                                          \
		(void)!write(fd, line, (size_t)n);
	ZCTUN_COUNTERS(ZCTUN_CNT_PRINT_)
#undef ZCTUN_CNT_PRINT_
	if (t->wg)
		zctun_wg_stats_print(t, fd);
}
