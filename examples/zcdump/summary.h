/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/summary.h - the default output (one line per packet, in
 * the manner of tcpdump -nn) and the --stats protocol hierarchy.
 */
#ifndef ZCDUMP_SUMMARY_H
#define ZCDUMP_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>

#include "zc.h"
#include "out.h"

/* The most bytes one summary line can take. */
#define ZD_SUMMARY_LINE_MAX 8192

/* The time at the start of a line: tcpdump's default and its -t, -tt, -ttt, -tttt, -ttttt. */
enum {
	ZD_TIME_LOCAL,       /* HH:MM:SS.uuuuuu, local time */
	ZD_TIME_NONE,        /* -t */
	ZD_TIME_EPOCH,       /* -tt: seconds since 1970 */
	ZD_TIME_DELTA,       /* -ttt: since the packet before */
	ZD_TIME_DATE,        /* -tttt: YYYY-MM-DD HH:MM:SS.uuuuuu */
	ZD_TIME_SINCE_FIRST, /* -ttttt: since the first packet */
};
void zd_summary_time_mode(int mode);
/*
 * TCP sequence and acknowledgment numbers relative to each conversation's
 * first, as tcpdump prints them without -S (on), or as they are (off, -S);
 * -1 when memory is short. Off until called.
 */
int zd_summary_relative(bool on);
/* tcpdump's -e: print the link-level header (Ethernet) first. */
void zd_summary_link(bool on);
/* -q: tcpdump's quiet line. */
void zd_summary_quiet(bool on);

/*
 * One line: timestamp, then what each layer says, then any error or cut.
 * undissected: the name of the link type when libzc does not read it (pkt
 * then has no layers), else NULL.
 */
void zd_summary_print(zd_out *o, const zc_pkt *pkt, const struct timeval *ts, uint32_t wire_len,
		      const char *undissected);

#endif /* ZCDUMP_SUMMARY_H */
