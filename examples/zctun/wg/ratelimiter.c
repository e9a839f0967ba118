/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/ratelimiter.c - the token buckets of ratelimiter.h.
 *
 * Tokens are kept in nanoseconds: a packet costs 10^9 / rate, the bucket
 * holds at most burst packets' worth, and refills with the time that passed.
 * A slot whose bucket would be full again is as good as free, so a new
 * address takes it over; when its hashed slot and the next few are busy,
 * the oldest of them is taken.
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "wg/ratelimiter.h"

#define COST (1000000000ull / WG_RATE_PER_SECOND)
#define FULL (COST * WG_RATE_BURST)
#define PROBES 4u

void wg_rate_init(wg_ratelimiter *r)
{
	memset(r, 0, sizeof *r);
	randombytes_buf(r->key, sizeof r->key);
}

static size_t slot_of(const wg_ratelimiter *r, int family, const uint8_t addr[8])
{
	uint8_t in[9], h[crypto_shorthash_BYTES];
	uint64_t v = 0;
	unsigned i;

	in[0] = (uint8_t)family;
	memcpy(in + 1, addr, 8);
	crypto_shorthash(h, in, sizeof in, r->key);
	for (i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (size_t)(v % WG_RATE_SLOTS);
}

static uint64_t refill(const wg_rate_slot *s, uint64_t now)
{
	uint64_t t = s->tokens + (now > s->last ? now - s->last : 0);

	return t > FULL ? FULL : t;
}

bool wg_rate_allow(wg_ratelimiter *r, int family, const uint8_t *addr, uint64_t now)
{
	uint8_t a[8] = {0};
	size_t base, i, pick = WG_RATE_SLOTS;
	wg_rate_slot *s;

	memcpy(a, addr, family == 4 ? 4 : 8);
	base = slot_of(r, family, a);
	for (i = 0; i < PROBES; i++) {
		s = &r->slot[(base + i) % WG_RATE_SLOTS];
		if (s->family == family && !memcmp(s->addr, a, 8)) {
			pick = (base + i) % WG_RATE_SLOTS;
			break;
		}
		if (pick == WG_RATE_SLOTS && (!s->family || refill(s, now) == FULL))
			pick = (base + i) % WG_RATE_SLOTS;
	}
	if (pick == WG_RATE_SLOTS) {
		/* All busy: the one touched longest ago goes. */
		pick = base;
		for (i = 1; i < PROBES; i++)
			if (r->slot[(base + i) % WG_RATE_SLOTS].last < r->slot[pick].last)
				pick = (base + i) % WG_RATE_SLOTS;
	}
	s = &r->slot[pick];
	if (s->family != family || memcmp(s->addr, a, 8)) {
		s->family = (uint8_t)family;
		memcpy(s->addr, a, 8);
		s->tokens = FULL;
		s->last = now;
	}
	s->tokens = refill(s, now);
	s->last = now;
	if (s->tokens < COST)
		return false;
	s->tokens -= COST;
	return true;
}
