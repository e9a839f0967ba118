/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/summary.h - the default output (one line per packet, in
 * the manner of tcpdump -nn) and the --stats protocol hierarchy.
 */
#ifndef ZCDUMP_SUMMARY_H
#define ZCDUMP_SUMMARY_H

#include <stdio.h>
#include <sys/time.h>

#include "zc.h"
#include "out.h"

/* The most bytes one summary line can take. */
#define ZD_SUMMARY_LINE_MAX 8192

/* One line: timestamp, then what each layer says, then any error or cut. */
void zd_summary_print(zd_out *o, const zc_pkt *pkt, const struct timeval *ts, uint32_t wire_len);

/* Packets and bytes per layer path (eth > ipv4 > udp ...), and errors by kind. */
typedef struct zd_stats zd_stats;

zd_stats *zd_stats_new(void);
void zd_stats_add(zd_stats *st, const zc_pkt *pkt, uint32_t wire_len);
void zd_stats_print(const zd_stats *st, FILE *f);
void zd_stats_free(zd_stats *st);

#endif /* ZCDUMP_SUMMARY_H */
