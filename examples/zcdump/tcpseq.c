/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/tcpseq.c - tcpdump's relative sequence numbers.
 *
 * tcpdump keeps one entry per conversation, both directions in one: the
 * endpoints are put in a fixed order (the lower address first, or on equal
 * addresses the lower port first), and the entry holds the base of the
 * first endpoint's sequence numbers and that of the second's. A segment
 * from the second endpoint reads the bases the other way round. The
 * acknowledgment base is the number acknowledged less one, so that the
 * peer's first byte after its SYN is 1.
 *
 * The entries are chained in a hash table of fixed size; one is allocated
 * per new conversation, none per packet.
 */
#include "tcpseq.h"

#include <stdlib.h>
#include <string.h>

#define TCPSEQ_BUCKETS 4096

typedef struct tcpseq_entry {
	struct tcpseq_entry *next;
	uint8_t lo[16], hi[16]; /* the endpoints' addresses in their fixed order */
	uint32_t ports;         /* the lower endpoint's port << 16 | the other's */
	uint8_t alen;
	uint32_t lo_base, hi_base;
} tcpseq_entry;

struct zd_tcpseq {
	tcpseq_entry *bucket[TCPSEQ_BUCKETS];
};

zd_tcpseq *zd_tcpseq_new(void)
{
	return calloc(1, sizeof(zd_tcpseq));
}

void zd_tcpseq_free(zd_tcpseq *t)
{
	unsigned i;

	if (!t)
		return;
	for (i = 0; i < TCPSEQ_BUCKETS; i++) {
		tcpseq_entry *e = t->bucket[i], *n;

		for (; e; e = n) {
			n = e->next;
			free(e);
		}
	}
	free(t);
}

static unsigned bucket_of(const uint8_t *lo, const uint8_t *hi, unsigned alen, uint32_t ports)
{
	uint32_t h = ports * 2654435761u;
	unsigned i;

	for (i = 0; i < alen; i++)
		h = (h ^ lo[i] ^ (uint32_t)hi[i] << 8) * 16777619u;
	return h % TCPSEQ_BUCKETS;
}

void zd_tcpseq_apply(zd_tcpseq *t, const uint8_t *src, const uint8_t *dst, unsigned alen, uint16_t sport,
		     uint16_t dport, uint8_t flags, uint32_t *seq, uint32_t *ack, uint32_t *peer)
{
	const uint8_t *lo = src, *hi = dst;
	int order = memcmp(src, dst, alen);
	bool rev = order > 0 || (order == 0 && sport >= dport);
	uint32_t ports = rev ? (uint32_t)dport << 16 | sport : (uint32_t)sport << 16 | dport;
	tcpseq_entry *e;
	unsigned b;

	*peer = 0;
	if (!t || !(flags & 0x10) || (alen != 4 && alen != 16))
		return;
	if (rev) {
		lo = dst;
		hi = src;
	}
	b = bucket_of(lo, hi, alen, ports);
	for (e = t->bucket[b]; e; e = e->next)
		if (e->ports == ports && e->alen == alen && memcmp(e->lo, lo, alen) == 0 && memcmp(e->hi, hi, alen) == 0)
			break;
	if (!e || (flags & 0x02)) {
		if (!e) {
			if (!(e = calloc(1, sizeof *e)))
				return;
			memcpy(e->lo, lo, alen);
			memcpy(e->hi, hi, alen);
			e->alen = (uint8_t)alen;
			e->ports = ports;
			e->next = t->bucket[b];
			t->bucket[b] = e;
		}
		e->lo_base = rev ? *ack - 1 : *seq;
		e->hi_base = rev ? *seq : *ack - 1;
		*peer = rev ? e->lo_base : e->hi_base;
		return;
	}
	*peer = rev ? e->lo_base : e->hi_base;
	*seq -= rev ? e->hi_base : e->lo_base;
	*ack -= rev ? e->lo_base : e->hi_base;
}
