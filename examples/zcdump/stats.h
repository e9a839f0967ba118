/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/stats.h - --stats: packets and bytes per layer path
 * (eth > ipv4 > udp ...), and errors by kind.
 */
#ifndef ZCDUMP_STATS_H
#define ZCDUMP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "zc.h"

typedef struct zd_stats zd_stats;

zd_stats *zd_stats_new(void);
void zd_stats_add(zd_stats *st, const zc_pkt *pkt, uint32_t wire_len);
void zd_stats_print(const zd_stats *st, FILE *f);
void zd_stats_free(zd_stats *st);

#endif /* ZCDUMP_STATS_H */
