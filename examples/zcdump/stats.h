/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/stats.h - --stats: frames and bytes per protocol path, as
 * `tshark -qz io,phs` shows them, and the cut and malformed frames.
 */
#ifndef ZCDUMP_STATS_H
#define ZCDUMP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "zc.h"

typedef struct zd_stats zd_stats;

zd_stats *zd_stats_new(void);
/* One frame: its layers, length and frame.protocols text (len bytes). */
void zd_stats_add(zd_stats *st, const zc_pkt *pkt, uint32_t wire_len, const char *protos, size_t len);
/* The hierarchy, with the display filter's text (NULL: none) on its Filter line. */
void zd_stats_print(const zd_stats *st, FILE *f, const char *filter);
/* The frames cut by the capture length and the errors, by layer. */
void zd_stats_print_errors(const zd_stats *st, FILE *f);
void zd_stats_free(zd_stats *st);

#endif /* ZCDUMP_STATS_H */
