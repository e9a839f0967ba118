/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/allowedips.c - the prefix table of allowedips.h.
 *
 * The hash need not be secret: what goes in is the administrator's
 * configuration, and a lookup of any address costs one probe per length in
 * use, whatever chains it meets are as long as the configuration made them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "wg/allowedips.h"

int wg_aip_init(wg_allowedips *t, size_t cap)
{
	memset(t, 0, sizeof *t);
	t->cap = cap ? cap : WG_MAX_ALLOWEDIPS;
	if (t->cap > WG_MAX_ALLOWEDIPS)
		t->cap = WG_MAX_ALLOWEDIPS;
	t->nbuckets = 16;
	t->bucket = calloc(t->nbuckets, sizeof *t->bucket);
	return t->bucket ? 0 : -1;
}

void wg_aip_free(wg_allowedips *t)
{
	free(t->e);
	free(t->bucket);
	free(t->phead);
	memset(t, 0, sizeof *t);
}

static void mask(uint8_t out[16], const uint8_t *addr, unsigned alen, unsigned cidr)
{
	unsigned full = cidr / 8, rest = cidr % 8;

	memset(out, 0, 16);
	memcpy(out, addr, full);
	if (rest && full < alen)
		out[full] = addr[full] & (uint8_t)(0xff << (8 - rest));
}

/* A 64-bit mix over the two halves of the masked address, the length and the family. */
static uint32_t hash(const wg_allowedips *t, const uint8_t a[16], unsigned cidr, int family)
{
	uint64_t w[2], h = 0x9e3779b97f4a7c15ull * (uint64_t)(family * 256 + (int)cidr + 1);
	int i;

	memcpy(w, a, 16);
	for (i = 0; i < 2; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 33;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h & (t->nbuckets - 1);
}

static wg_aip_entry *find(const wg_allowedips *t, int family, const uint8_t a[16], unsigned cidr)
{
	uint32_t i;

	for (i = t->bucket[hash(t, a, cidr, family)]; i; i = t->e[i - 1].hnext) {
		const wg_aip_entry *e = &t->e[i - 1];

		if (e->cidr == cidr && e->family == family && !memcmp(e->addr, a, 16))
			return &t->e[i - 1];
	}
	return NULL;
}

/* Doubles the buckets once entries outnumber them; a failure only lengthens chains. */
static void buckets_grow(wg_allowedips *t)
{
	uint32_t n = t->nbuckets * 2, i, *b;

	if (t->n <= t->nbuckets || !(b = calloc(n, sizeof *b)))
		return;
	free(t->bucket);
	t->bucket = b;
	t->nbuckets = n;
	for (i = 0; i < t->hw; i++) {
		wg_aip_entry *e = &t->e[i];
		uint32_t h;

		if (e->peer < 0)
			continue;
		h = hash(t, e->addr, e->cidr, e->family);
		e->hnext = t->bucket[h];
		t->bucket[h] = i + 1;
	}
}

/* A free entry's number + 1, the array grown if need be; 0 when full or out of memory. */
static uint32_t entry_take(wg_allowedips *t)
{
	uint32_t i;

	if (t->n >= t->cap)
		return 0;
	if (t->free_head) {
		i = t->free_head;
		t->free_head = t->e[i - 1].hnext;
		return i;
	}
	if (t->hw == t->ne) {
		uint32_t ne = t->ne ? t->ne * 2 : 16;
		wg_aip_entry *e = realloc(t->e, (size_t)ne * sizeof *e);

		if (!e)
			return 0;
		t->e = e;
		t->ne = ne;
	}
	return ++t->hw;
}

/* The list of peer's entries, grown to hold peer; NULL without memory. */
static uint32_t *peer_head(wg_allowedips *t, int peer)
{
	if ((uint32_t)peer >= t->nphead) {
		uint32_t n = t->nphead ? t->nphead : 64, *p;

		while (n <= (uint32_t)peer)
			n *= 2;
		p = realloc(t->phead, (size_t)n * sizeof *p);
		if (!p)
			return NULL;
		memset(p + t->nphead, 0, (size_t)(n - t->nphead) * sizeof *p);
		t->phead = p;
		t->nphead = n;
	}
	return &t->phead[peer];
}

/* In front: a peer with a whole routing table's prefixes must not cost a walk per insert. */
static void peer_link(wg_allowedips *t, uint32_t *head, uint32_t i)
{
	t->e[i - 1].pnext = *head;
	*head = i;
}

static void peer_unlink(wg_allowedips *t, uint32_t i)
{
	uint32_t *link = &t->phead[t->e[i - 1].peer];

	while (*link && *link != i)
		link = &t->e[*link - 1].pnext;
	if (*link)
		*link = t->e[i - 1].pnext;
}

/* Counts a length in or out of use, keeping the family's list longest first. */
static void length_use(wg_allowedips *t, int f, unsigned cidr, bool add)
{
	unsigned k, j;

	if (add ? t->count[f][cidr]++ != 0 : --t->count[f][cidr] != 0)
		return;
	if (add) {
		for (k = 0; k < t->nlens[f] && t->lens[f][k] > cidr; k++)
			;
		memmove(&t->lens[f][k + 1], &t->lens[f][k], t->nlens[f] - k);
		t->lens[f][k] = (uint8_t)cidr;
		t->nlens[f]++;
		return;
	}
	for (k = 0; k < t->nlens[f] && t->lens[f][k] != cidr; k++)
		;
	for (j = k; j + 1 < t->nlens[f]; j++)
		t->lens[f][j] = t->lens[f][j + 1];
	if (k < t->nlens[f])
		t->nlens[f]--;
}

int wg_aip_insert(wg_allowedips *t, int family, const uint8_t *addr, unsigned cidr, int peer)
{
	unsigned alen = family == 4 ? 4 : 16;
	uint8_t a[16];
	wg_aip_entry *e;
	uint32_t i, h, *head;

	if ((family != 4 && family != 6) || cidr > alen * 8 || peer < 0)
		return -1;
	mask(a, addr, alen, cidr);
	if (!(head = peer_head(t, peer)))
		return -1;
	e = find(t, family, a, cidr);
	if (e) {
		if (e->peer != peer) {
			i = (uint32_t)(e - t->e) + 1;
			peer_unlink(t, i);
			e->peer = peer;
			peer_link(t, head, i);
		}
		return 0;
	}
	if (!(i = entry_take(t)))
		return -1;
	e = &t->e[i - 1];
	memcpy(e->addr, a, 16);
	e->cidr = (uint8_t)cidr;
	e->family = (uint8_t)family;
	e->peer = peer;
	h = hash(t, a, cidr, family);
	e->hnext = t->bucket[h];
	t->bucket[h] = i;
	peer_link(t, head, i);
	length_use(t, family == 4 ? 0 : 1, cidr, true);
	t->n++;
	buckets_grow(t);
	return 0;
}

void wg_aip_remove_peer(wg_allowedips *t, int peer)
{
	uint32_t i, next;

	if (peer < 0 || (uint32_t)peer >= t->nphead)
		return;
	for (i = t->phead[peer]; i; i = next) {
		wg_aip_entry *e = &t->e[i - 1];
		uint32_t *link = &t->bucket[hash(t, e->addr, e->cidr, e->family)];

		next = e->pnext;
		while (*link && *link != i)
			link = &t->e[*link - 1].hnext;
		if (*link)
			*link = e->hnext;
		length_use(t, e->family == 4 ? 0 : 1, e->cidr, false);
		e->peer = -1;
		e->hnext = t->free_head;
		t->free_head = i;
		t->n--;
	}
	t->phead[peer] = 0;
}

int wg_aip_lookup(const wg_allowedips *t, int family, const uint8_t *addr)
{
	unsigned alen = family == 4 ? 4 : 16, k;
	int f = family == 4 ? 0 : 1;
	uint8_t a[16];

	if (family != 4 && family != 6)
		return -1;
	for (k = 0; k < t->nlens[f]; k++) {
		const wg_aip_entry *e;

		mask(a, addr, alen, t->lens[f][k]);
		e = find(t, family, a, t->lens[f][k]);
		if (e)
			return e->peer;
	}
	return -1;
}

const wg_aip_entry *wg_aip_first(const wg_allowedips *t, int peer)
{
	if (peer < 0 || (uint32_t)peer >= t->nphead || !t->phead[peer])
		return NULL;
	return &t->e[t->phead[peer] - 1];
}

const wg_aip_entry *wg_aip_next(const wg_allowedips *t, const wg_aip_entry *e)
{
	return e->pnext ? &t->e[e->pnext - 1] : NULL;
}
