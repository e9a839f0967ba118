/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/allowedips.h - cryptokey routing: IPv4 and IPv6 prefixes,
 * each owned by one peer, with longest-prefix match. The send side asks
 * which peer a destination belongs to; the receive side asks whether a
 * decrypted packet's source belongs to the peer it came from.
 *
 * One hash table holds every prefix, keyed by family, length and address
 * with the host bits cleared; per family a list of the lengths in use,
 * longest first. A lookup masks the address to each length in use, in that
 * order, and probes the table: the first hit is the longest match. Its
 * cost grows with the number of distinct lengths (at most 33 or 129, a
 * handful in practice), not with the number of prefixes, so 100,000 peers
 * with a /32 and a /128 each cost two probes. Each peer's prefixes are
 * also chained, so removing a peer costs its own prefixes only.
 *
 * Storage grows as prefixes are inserted (configuration time), up to the
 * cap the caller sets; lookups never allocate.
 */
#ifndef ZCTUN_WG_ALLOWEDIPS_H
#define ZCTUN_WG_ALLOWEDIPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Prefixes a device may hold (every peer's together). */
#define WG_MAX_ALLOWEDIPS (1u << 22)

typedef struct wg_aip_entry {
	uint8_t addr[16];   /* the prefix, host bits zero; IPv4 in the first 4 */
	uint8_t cidr;
	uint8_t family;     /* 4 or 6 */
	int peer;           /* the owner's index; -1 while the entry is free */
	uint32_t hnext;     /* the next entry + 1 in its bucket (in the free list while free) */
	uint32_t pnext;     /* the owner's next entry + 1 */
} wg_aip_entry;

typedef struct wg_allowedips {
	wg_aip_entry *e;
	size_t n, cap;      /* entries in use, at most */
	uint32_t ne;        /* entries allocated */
	uint32_t hw;        /* entries ever used */
	uint32_t free_head; /* a free entry + 1, 0 none */
	uint32_t *bucket;   /* first entry + 1 of each chain */
	uint32_t nbuckets;  /* a power of two */
	uint32_t *phead;    /* per peer: its first entry + 1 */
	uint32_t nphead;
	uint32_t count[2][129]; /* prefixes of each length, per family (0: IPv4, 1: IPv6) */
	uint8_t lens[2][129];   /* the lengths in use, longest first */
	uint8_t nlens[2];
} wg_allowedips;

/* An empty table for at most cap entries (0: WG_MAX_ALLOWEDIPS). Returns 0, or -1 without memory. */
int wg_aip_init(wg_allowedips *t, size_t cap);
void wg_aip_free(wg_allowedips *t);

/*
 * Adds family (4 or 6) addr/cidr for peer (>= 0); an equal prefix owned
 * by another peer moves to this one (as wg(8) does). Host bits are
 * cleared. Returns 0, or -1 when cidr is too long, the table is full or
 * memory is short.
 */
int wg_aip_insert(wg_allowedips *t, int family, const uint8_t *addr, unsigned cidr, int peer);
/* Removes every prefix of peer. */
void wg_aip_remove_peer(wg_allowedips *t, int peer);
/* The peer owning the longest prefix that holds addr, or -1. */
int wg_aip_lookup(const wg_allowedips *t, int family, const uint8_t *addr);
/* A peer's prefixes, the newest first: the first, the one after e; NULL at the end. */
const wg_aip_entry *wg_aip_first(const wg_allowedips *t, int peer);
const wg_aip_entry *wg_aip_next(const wg_allowedips *t, const wg_aip_entry *e);

#endif /* ZCTUN_WG_ALLOWEDIPS_H */
