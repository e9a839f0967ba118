/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/ratelimiter.h - handshakes per source address under
 * load: a token bucket per address (IPv4, or an IPv6 /64), 20 a second with
 * a burst of 5, as both reference implementations allow. A fixed table
 * hashed with a secret key (SipHash): no allocation, and an attacker cannot
 * aim at a slot. Used by the receiver thread alone: no lock.
 */
#ifndef ZCTUN_WG_RATELIMITER_H
#define ZCTUN_WG_RATELIMITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_RATE_PER_SECOND 20u
#define WG_RATE_BURST 5u
#define WG_RATE_SLOTS 1024u

typedef struct wg_rate_slot {
	uint8_t addr[8];    /* the IPv4 address, or an IPv6 address's first 64 bits */
	uint8_t family;     /* 0: free */
	uint64_t tokens;    /* in nanoseconds of budget: one packet costs 1/rate s */
	uint64_t last;
} wg_rate_slot;

typedef struct wg_ratelimiter {
	uint8_t key[16];
	wg_rate_slot slot[WG_RATE_SLOTS];
} wg_ratelimiter;

void wg_rate_init(wg_ratelimiter *r);
/* Whether one more handshake from family (4 or 6) addr may be taken at now (ns). */
bool wg_rate_allow(wg_ratelimiter *r, int family, const uint8_t *addr, uint64_t now);

#endif /* ZCTUN_WG_RATELIMITER_H */
