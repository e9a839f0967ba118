/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/hexdump.h - tcpdump's packet data options: -x and -xx
 * (hex), -X and -XX (hex and ASCII), -A and -AA (ASCII), printed after a
 * packet's summary line in tcpdump 4.99's layout.
 */
#ifndef ZCDUMP_HEXDUMP_H
#define ZCDUMP_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "zc.h"
#include "out.h"

/* What follows the line. */
typedef enum zd_dump_style {
	ZD_DUMP_NONE,
	ZD_DUMP_HEX,       /* -x */
	ZD_DUMP_HEX_ASCII, /* -X */
	ZD_DUMP_ASCII,     /* -A */
} zd_dump_style;

typedef struct zd_dump {
	zd_dump_style style;
	int link;          /* the link-level header too (-xx, -XX, -AA) */
} zd_dump;

/*
 * The style tcpdump takes from the counts of -x, -X and -A on its command
 * line: -X rules over -x, -x over -A; a letter given twice includes the
 * link-level header.
 */
zd_dump zd_dump_from_counts(int x, int X, int A);

/*
 * Where the link-level header ends in a frame of link type dlt that
 * zc_parse() made pkt of (caplen bytes captured): the bytes tcpdump's
 * printer for that link type consumes before it hands the rest on. A frame
 * shorter than the header gives caplen (nothing after it).
 */
size_t zd_link_hdr_len(const zc_pkt *pkt, int dlt, size_t caplen);

/*
 * The dump of data (len bytes) in style: lines that follow the summary
 * line, each ending in a newline. Room is reserved line by line, so a
 * frame of any size fits the output buffer.
 */
void zd_dump_print(zd_out *o, zd_dump_style style, const uint8_t *data, size_t len);

/*
 * The bytes tcpdump has no printer for, as it dumps them on the packet's
 * line: "\n\t0x0000:  4500 ...  E..." rows (as -X), the last without its newline (the
 * line's own ends it).
 */
void zd_dump_default(zd_out *o, const uint8_t *data, size_t len);

#endif /* ZCDUMP_HEXDUMP_H */
