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

/*
 * One line: timestamp, then what each layer says, then any error or cut.
 * undissected: the name of the link type when libzc does not read it (pkt
 * then has no layers), else NULL.
 */
void zd_summary_print(zd_out *o, const zc_pkt *pkt, const struct timeval *ts, uint32_t wire_len,
		      const char *undissected);

#endif /* ZCDUMP_SUMMARY_H */
