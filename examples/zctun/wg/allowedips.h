/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/allowedips.h - cryptokey routing: IPv4 and IPv6 prefixes,
 * each owned by one peer, with longest-prefix match. The send side asks
 * which peer a destination belongs to; the receive side asks whether a
 * decrypted packet's source belongs to the peer it came from.
 *
 * A fixed table the caller sizes once (no allocation after init): per
 * family, entries kept sorted by prefix length, longest first, so the first
 * match is the longest. A lookup is a scan: fine for the tens of prefixes a
 * tunnel has, not for a full routing table.
 */
#ifndef ZCTUN_WG_ALLOWEDIPS_H
#define ZCTUN_WG_ALLOWEDIPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wg_aip_entry {
	uint8_t addr[16];   /* the prefix, host bits zero; IPv4 in the first 4 */
	uint8_t cidr;
	uint8_t family;     /* 4 or 6 */
	int peer;           /* the owner's index */
} wg_aip_entry;

typedef struct wg_allowedips {
	wg_aip_entry *e;
	size_t n, cap;
} wg_allowedips;

/* Storage for cap entries. Returns 0, or -1 without memory. */
int wg_aip_init(wg_allowedips *t, size_t cap);
void wg_aip_free(wg_allowedips *t);

/*
 * Adds family (4 or 6) addr/cidr for peer; an equal prefix owned by
 * another peer moves to this one (as wg(8) does). Host bits are cleared.
 * Returns 0, or -1 when cidr is too long or the table is full.
 */
int wg_aip_insert(wg_allowedips *t, int family, const uint8_t *addr, unsigned cidr, int peer);
/* Removes every prefix of peer. */
void wg_aip_remove_peer(wg_allowedips *t, int peer);
/* The peer owning the longest prefix that holds addr, or -1. */
int wg_aip_lookup(const wg_allowedips *t, int family, const uint8_t *addr);

#endif /* ZCTUN_WG_ALLOWEDIPS_H */
