/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/tcpseq.h - the relative TCP sequence and acknowledgment
 * numbers of the default line, as tcpdump prints them without -S.
 */
#ifndef ZCDUMP_TCPSEQ_H
#define ZCDUMP_TCPSEQ_H

#include <stdbool.h>
#include <stdint.h>

typedef struct zd_tcpseq zd_tcpseq;

/* An empty table; NULL when memory is short. */
zd_tcpseq *zd_tcpseq_new(void);
void zd_tcpseq_free(zd_tcpseq *t);

/*
 * One segment between the addresses src and dst (alen bytes each: 4 or
 * 16) and the ports sport, dport, with its flags and raw numbers: *seq and
 * *ack are made relative where tcpdump makes them so. Only a segment with
 * ACK set takes part: the first one of a conversation, and any with SYN,
 * records the bases (its own numbers stay absolute); the later ones are
 * shown from them. When memory is short the numbers stay absolute.
 * *peer is set to the base of dst's numbers, from which tcpdump shows the
 * edges of SACK blocks (0 when the segment takes no part).
 */
void zd_tcpseq_apply(zd_tcpseq *t, const uint8_t *src, const uint8_t *dst, unsigned alen, uint16_t sport,
		     uint16_t dport, uint8_t flags, uint32_t *seq, uint32_t *ack, uint32_t *peer);

#endif /* ZCDUMP_TCPSEQ_H */
