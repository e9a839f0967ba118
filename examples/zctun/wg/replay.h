/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/replay.h - the receive counter's sliding window (RFC
 * 6479): a ring of 64-bit blocks, 4,096 bits, of which one block is always
 * being recycled, so the window a counter must fall in is 4,032 behind the
 * greatest seen. O(1) per packet, whatever the jump.
 */
#ifndef ZCTUN_WG_REPLAY_H
#define ZCTUN_WG_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define WG_REPLAY_BITS 4096u
#define WG_REPLAY_BLOCKS (WG_REPLAY_BITS / 64u)
#define WG_REPLAY_WINDOW (WG_REPLAY_BITS - 64u)

typedef struct wg_replay {
	uint64_t next;                    /* greatest counter accepted + 1; 0 = none yet */
	uint64_t block[WG_REPLAY_BLOCKS];
} wg_replay;

void wg_replay_init(wg_replay *r);

/*
 * Accepts counter once: true the first time it is seen within the window and
 * below limit, false for a replay, a counter too old, or one >= limit. Call
 * it after the packet authenticated, never before (a forged counter must not
 * move the window).
 */
bool wg_replay_check(wg_replay *r, uint64_t counter, uint64_t limit);

#endif /* ZCTUN_WG_REPLAY_H */
