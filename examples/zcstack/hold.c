/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/hold.c - received frames held back before the stack
 * sees them: --delay gives each frame to the stack that many milliseconds
 * after it came (a longer round trip, which netem would give, and network
 * namespaces here have no netem), --reorder holds a frame, with its
 * probability, until the next one has gone ahead of it.
 *
 * Frames wait in a FIFO of fixed slots made at start: the delay is the same
 * for all, so they leave in the order they came. A frame that finds the
 * FIFO full, or that is larger than a slot, goes at once (with --delay the
 * TAP is opened without TSO, so that every frame fits one). --reorder's
 * one frame may be of any size.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zcstack.h"

/* A frame held for --reorder that no other overtakes is let go after this long. */
#define ZCSTACK_REORDER_MAX_US 10000u

int zcstack_hold_init(zcstack_hold *h, const zcstack_config *cfg)
{
	memset(h, 0, sizeof *h);
	h->delay_us = (uint64_t)cfg->delay_ms * 1000u;
	h->p_reorder = cfg->p_reorder;
	if (!h->delay_us)
		return 0;
	h->cap = ZCSTACK_HOLD_FRAMES;
	h->buf = malloc((size_t)h->cap * ZCSTACK_HOLD_SLOT);
	h->len = malloc(h->cap * sizeof *h->len);
	h->due = malloc(h->cap * sizeof *h->due);
	h->flags = malloc(h->cap * sizeof *h->flags);
	return h->buf && h->len && h->due && h->flags ? 0 : -1;
}

void zcstack_hold_free(zcstack_hold *h)
{
	free(h->buf);
	free(h->len);
	free(h->due);
	free(h->flags);
}

/* The delay stage: the frame waits in the FIFO, or goes now. */
static void delay_in(zcstack_hold *h, const uint8_t *f, size_t len, unsigned flags, uint64_t now,
		     zcstack_deliver_fn fn, void *ctx)
{
	unsigned at;

	if (!h->delay_us || h->n == h->cap || len > ZCSTACK_HOLD_SLOT) {
		fn(ctx, f, len, flags);
		return;
	}
	at = (h->head + h->n) % h->cap;
	memcpy(h->buf + (size_t)at * ZCSTACK_HOLD_SLOT, f, len);
	h->len[at] = len;
	h->flags[at] = flags;
	h->due[at] = now + h->delay_us;
	h->n++;
	h->delayed++;
}

void zcstack_hold_in(zcstack_hold *h, zcstack_faults *faults, const uint8_t *f, size_t len, unsigned flags,
		     uint64_t now, zcstack_deliver_fn fn, void *ctx)
{
	if (!h->reo_full && len <= sizeof h->reo && zcstack_faults_hit(faults, h->p_reorder)) {
		memcpy(h->reo, f, len);
		h->reo_len = len;
		h->reo_flags = flags;
		h->reo_due = now + ZCSTACK_REORDER_MAX_US;
		h->reo_full = true;
		h->reordered++;
		return;
	}
	delay_in(h, f, len, flags, now, fn, ctx);
	/* The held frame follows the one that overtook it. */
	if (h->reo_full) {
		h->reo_full = false;
		delay_in(h, h->reo, h->reo_len, h->reo_flags, now, fn, ctx);
	}
}

uint64_t zcstack_hold_run(zcstack_hold *h, uint64_t now, zcstack_deliver_fn fn, void *ctx)
{
	uint64_t next = UINT64_MAX;

	if (h->reo_full && now >= h->reo_due) {
		h->reo_full = false;
		delay_in(h, h->reo, h->reo_len, h->reo_flags, now, fn, ctx);
	}
	while (h->n && h->due[h->head] <= now) {
		fn(ctx, h->buf + (size_t)h->head * ZCSTACK_HOLD_SLOT, h->len[h->head], h->flags[h->head]);
		h->head = (h->head + 1) % h->cap;
		h->n--;
	}
	if (h->reo_full)
		next = h->reo_due;
	if (h->n && h->due[h->head] < next)
		next = h->due[h->head];
	return next;
}
