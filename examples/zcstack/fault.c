/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/fault.c - fault injection: frames dropped, duplicated or
 * with a bit flipped, in both directions, with the probabilities of --drop,
 * --duplicate and --corrupt.
 *
 * The generator is xorshift64* seeded from --seed through splitmix64, so
 * that the same seed and the same traffic give the same faults: a failure
 * seen once can be run again. It is not meant to be unpredictable.
 */
#include "config.h"

#include "zcstack.h"

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t next(zcstack_faults *f)
{
	f->state ^= f->state >> 12;
	f->state ^= f->state << 25;
	f->state ^= f->state >> 27;
	return f->state * 0x2545f4914f6cdd1dull;
}

void zcstack_faults_init(zcstack_faults *f, const zcstack_config *cfg)
{
	f->p_drop = cfg->p_drop;
	f->p_dup = cfg->p_dup;
	f->p_corrupt = cfg->p_corrupt;
	/* xorshift must not start from 0, which it would never leave. */
	f->state = splitmix64(cfg->seed);
	if (f->state == 0)
		f->state = 1;
}

bool zcstack_faults_hit(zcstack_faults *f, double p)
{
	if (p <= 0)
		return false;
	/* The top 53 bits as a double in [0, 1): every value equally likely. */
	return (double)(next(f) >> 11) * (1.0 / 9007199254740992.0) < p;
}

void zcstack_faults_corrupt(zcstack_faults *f, uint8_t *p, size_t len)
{
	uint64_t r = next(f);

	p[(r >> 3) % len] ^= (uint8_t)(1u << (r & 7));
}
