/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/allowedips.c - the prefix table of allowedips.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "wg/allowedips.h"

int wg_aip_init(wg_allowedips *t, size_t cap)
{
	t->e = calloc(cap ? cap : 1, sizeof *t->e);
	t->n = 0;
	t->cap = t->e ? cap : 0;
	return t->e ? 0 : -1;
}

void wg_aip_free(wg_allowedips *t)
{
	free(t->e);
	t->e = NULL;
	t->n = t->cap = 0;
}

/* True when the first cidr bits of a and b agree. */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned cidr)
{
	unsigned full = cidr / 8, rest = cidr % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static void mask(uint8_t out[16], const uint8_t *addr, unsigned alen, unsigned cidr)
{
	unsigned i;

	memset(out, 0, 16);
	memcpy(out, addr, alen);
	for (i = 0; i < alen; i++) {
		if (cidr >= 8 * (i + 1))
			continue;
		out[i] &= cidr > 8 * i ? (uint8_t)(0xff << (8 - (cidr - 8 * i))) : 0;
	}
}

int wg_aip_insert(wg_allowedips *t, int family, const uint8_t *addr, unsigned cidr, int peer)
{
	unsigned alen = family == 4 ? 4 : 16;
	uint8_t a[16];
	size_t i, at;

	if ((family != 4 && family != 6) || cidr > alen * 8)
		return -1;
	mask(a, addr, alen, cidr);
	for (i = 0; i < t->n; i++) {
		if (t->e[i].family == family && t->e[i].cidr == cidr && !memcmp(t->e[i].addr, a, 16)) {
			t->e[i].peer = peer;
			return 0;
		}
	}
	if (t->n == t->cap)
		return -1;
	for (at = 0; at < t->n && t->e[at].cidr >= cidr; at++)
		;
	memmove(&t->e[at + 1], &t->e[at], (t->n - at) * sizeof *t->e);
	memcpy(t->e[at].addr, a, 16);
	t->e[at].cidr = (uint8_t)cidr;
	t->e[at].family = (uint8_t)family;
	t->e[at].peer = peer;
	t->n++;
	return 0;
}

void wg_aip_remove_peer(wg_allowedips *t, int peer)
{
	size_t i, j = 0;

	for (i = 0; i < t->n; i++)
		if (t->e[i].peer != peer)
			t->e[j++] = t->e[i];
	t->n = j;
}

int wg_aip_lookup(const wg_allowedips *t, int family, const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].family == family && prefix_eq(t->e[i].addr, addr, t->e[i].cidr))
			return t->e[i].peer;
	return -1;
}
