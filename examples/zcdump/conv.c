/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/conv.c - the conversation tables: open addressing on a
 * hash of the address and port pair, the pair stored with the lower
 * endpoint first so that both directions find one entry.
 */
#include "conv.h"

#include <stdlib.h>
#include <string.h>

#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_ACK 0x10u
#define WSCALE_MAX 14 /* RFC 7323 section 2.3: a larger shift is taken as 14 */

typedef struct conv_key {
	uint8_t family;
	uint8_t a[16], b[16];    /* a is the lower endpoint */
	uint16_t pa, pb;
} conv_key;

/* One direction of a TCP conversation. */
typedef struct conv_dir {
	uint32_t base_seq;
	bool base_set;
	int8_t scale;            /* -1 unknown, -2 none, else the shift */
} conv_dir;

typedef struct conv_entry {
	conv_key key;
	bool used;
	uint32_t stream;
	conv_dir dir[2];         /* 0: from a to b */
} conv_entry;

typedef struct conv_table {
	conv_entry *e;
	size_t cap, n;           /* cap a power of two */
	uint32_t next_stream;
} conv_table;

struct zd_conv {
	conv_table tcp, udp;
};

zd_conv *zd_conv_new(void)
{
	return calloc(1, sizeof(zd_conv));
}

void zd_conv_free(zd_conv *c)
{
	if (!c)
		return;
	free(c->tcp.e);
	free(c->udp.e);
	free(c);
}

/* The key of the pair and the direction of the packet in it (0: src is the lower endpoint). */
static int make_key(const zd_endpoints *ep, conv_key *k)
{
	size_t n = ep->family == 4 ? 4 : 16;
	int c = memcmp(ep->src, ep->dst, n);
	int rev = c > 0 || (c == 0 && ep->sport > ep->dport);

	memset(k, 0, sizeof *k);
	k->family = ep->family;
	memcpy(k->a, rev ? ep->dst : ep->src, n);
	memcpy(k->b, rev ? ep->src : ep->dst, n);
	k->pa = rev ? ep->dport : ep->sport;
	k->pb = rev ? ep->sport : ep->dport;
	return rev;
}

static uint64_t key_hash(const conv_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static bool table_grow(conv_table *t)
{
	size_t cap = t->cap ? 2 * t->cap : 1024, i;
	conv_entry *e = calloc(cap, sizeof *e);

	if (!e)
		return false;
	for (i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->e[i].used)
			continue;
		for (j = key_hash(&t->e[i].key) & (cap - 1); e[j].used; j = (j + 1) & (cap - 1))
			;
		e[j] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
	return true;
}

/* The entry of k, made (with the next stream index) when new; NULL when memory is short. */
static conv_entry *table_get(conv_table *t, const conv_key *k)
{
	size_t j;

	if (2 * (t->n + 1) > t->cap && !table_grow(t))
		return NULL;
	for (j = key_hash(k) & (t->cap - 1); t->e[j].used; j = (j + 1) & (t->cap - 1))
		if (memcmp(&t->e[j].key, k, sizeof *k) == 0)
			return &t->e[j];
	memset(&t->e[j], 0, sizeof t->e[j]);
	t->e[j].used = true;
	t->e[j].key = *k;
	t->e[j].stream = t->next_stream++;
	t->e[j].dir[0].scale = t->e[j].dir[1].scale = -1;
	t->n++;
	return &t->e[j];
}

uint32_t zd_conv_udp(zd_conv *c, const zd_endpoints *ep)
{
	conv_key k;
	conv_entry *e;

	make_key(ep, &k);
	e = table_get(&c->udp, &k);
	return e ? e->stream : UINT32_MAX;
}

/* A SYN with an initial sequence number other than the one seen: the ports are reused, a new stream. */
static void tcp_reuse(conv_table *t, conv_entry *e, int d, uint8_t flags, uint32_t seq)
{
	if ((flags & (TCP_SYN | TCP_ACK)) != TCP_SYN || !e->dir[d].base_set || e->dir[d].base_seq == seq)
		return;
	memset(e->dir, 0, sizeof e->dir);
	e->dir[0].scale = e->dir[1].scale = -1;
	e->stream = t->next_stream++;
}

/* The window scale each side offered in its SYN; none on either side means none at all. */
static void tcp_scale(conv_entry *e, int d, uint8_t flags, int wscale)
{
	if (!(flags & TCP_SYN))
		return;
	if (wscale >= 0)
		e->dir[d].scale = (int8_t)(wscale > WSCALE_MAX ? WSCALE_MAX : wscale);
	else if (flags & TCP_ACK)
		e->dir[0].scale = e->dir[1].scale = -2;
	else
		e->dir[d].scale = -2;
}

bool zd_conv_tcp(zd_conv *c, const zd_endpoints *ep, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
		 int wscale, bool analyse, zd_tcp_seen *out)
{
	conv_key k;
	int d = make_key(ep, &k);
	conv_entry *e = table_get(&c->tcp, &k);
	conv_dir *fwd, *rev;

	if (!e)
		return false;
	tcp_reuse(&c->tcp, e, d, flags, seq);
	fwd = &e->dir[d];
	rev = &e->dir[!d];
	out->stream = e->stream;
	if (analyse) {
		/* Without a SYN, the first segment seen is taken as the first after it. */
		if (!fwd->base_set) {
			fwd->base_seq = flags & TCP_SYN ? seq : seq - 1;
			fwd->base_set = true;
		}
		if (!rev->base_set && (flags & TCP_ACK)) {
			rev->base_seq = ack - 1;
			rev->base_set = true;
		}
		tcp_scale(e, d, flags, wscale);
		out->rel_seq = seq - fwd->base_seq;
		out->ack_base = rev->base_set ? rev->base_seq : 0;
		out->rel_ack = (flags & TCP_ACK) && rev->base_set ? ack - rev->base_seq : ack;
	} else {
		out->rel_seq = seq;
		out->rel_ack = ack;
		out->ack_base = 0;
	}
	if (flags & TCP_SYN) {
		out->scale = 0;
		out->window = win;
	} else if (fwd->scale >= 0) {
		out->scale = 1 << fwd->scale;
		out->window = (uint32_t)win << fwd->scale;
	} else {
		out->scale = fwd->scale;
		out->window = win;
	}
	return true;
}
