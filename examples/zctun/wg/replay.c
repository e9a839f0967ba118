/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/replay.c - RFC 6479's window, as replay.h describes.
 *
 * Counters are kept +1, so that "nothing received" (0) differs from "counter
 * 0 received". When a counter moves the window forward, the blocks it passes
 * over are cleared, at most the whole ring: a jump of any size costs at most
 * WG_REPLAY_BLOCKS stores.
 */
#include "config.h"

#include <string.h>

#include "wg/replay.h"

void wg_replay_init(wg_replay *r)
{
	memset(r, 0, sizeof *r);
}

bool wg_replay_check(wg_replay *r, uint64_t counter, uint64_t limit)
{
	uint64_t c, idx, cur, i, n;
	uint64_t bit;

	if (counter >= limit || counter == UINT64_MAX)
		return false;
	c = counter + 1;
	idx = c / 64;
	if (c > r->next) {
		cur = r->next / 64;
		n = idx - cur;
		if (n > WG_REPLAY_BLOCKS)
			n = WG_REPLAY_BLOCKS;
		for (i = 1; i <= n; i++)
			r->block[(cur + i) % WG_REPLAY_BLOCKS] = 0;
		r->next = c;
	} else if (r->next - c >= WG_REPLAY_WINDOW) {
		return false;
	}
	bit = (uint64_t)1 << (c % 64);
	idx %= WG_REPLAY_BLOCKS;
	if (r->block[idx] & bit)
		return false;
	r->block[idx] |= bit;
	return true;
}
