/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/conv.h - TCP and UDP conversations as tshark 4.0 numbers
 * and tracks them: tcp.stream and udp.stream (an index per address and port
 * pair, in order of first appearance), and for TCP each direction's base
 * sequence number (relative tcp.seq, tcp.ack) and window scale (tcp.window_size).
 */
#ifndef ZCDUMP_CONV_H
#define ZCDUMP_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The two endpoints of one packet, as its IP header and ports give them. */
typedef struct zd_endpoints {
	uint8_t family;          /* 4 or 6 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
} zd_endpoints;

/* What one TCP segment reads in its conversation. */
typedef struct zd_tcp_seen {
	uint32_t stream;
	uint32_t rel_seq, rel_ack;
	uint32_t ack_base;       /* the other direction's base (SACK edges are relative to it) */
	int32_t scale;           /* window multiplier; -1 unknown, -2 no scaling; 0: a SYN (none shown) */
	uint32_t window;         /* the window in bytes, scaled when the multiplier is known */
} zd_tcp_seen;

typedef struct zd_conv zd_conv;

/* An empty table; NULL when memory is short. */
zd_conv *zd_conv_new(void);
void zd_conv_free(zd_conv *c);

/* The UDP stream of a datagram; UINT32_MAX when memory is short. */
uint32_t zd_conv_udp(zd_conv *c, const zd_endpoints *ep);

/*
 * One TCP segment: flags (the low 8 bits), raw sequence and acknowledgment
 * numbers, the window field, and the window scale option's shift (-1 when
 * the segment has none). Fills *out; false when memory is short. Without
 * analyse (a segment of unknown length: in an IP fragment), the segment
 * only finds its stream, as tshark does: its numbers stay absolute and
 * the conversation learns nothing from it.
 */
bool zd_conv_tcp(zd_conv *c, const zd_endpoints *ep, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		 int wscale, bool analyse, zd_tcp_seen *out);

#endif /* ZCDUMP_CONV_H */
