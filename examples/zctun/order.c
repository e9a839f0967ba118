/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/order.c - the event count a thread sleeps on when it has
 * nothing to do, and the ordered hand-over (zctun_order) that the TUN
 * writer takes receive buffers from: pushed in order by the receiver,
 * finished in any order by the decryption workers, taken in order.
 */
#include "config.h"

#include <limits.h>
#include <linux/futex.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "zctun.h"

/* ---------------------------------------------------------------- event count */

static long futex(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

/*
 * The consumer announces itself (waiters = 1), reads seq, looks at the queue
 * once more, and sleeps unless seq moved; a producer pushes, then swaps
 * waiters to 0 and, if it was 1, bumps seq and wakes. Both touch waiters
 * with read-modify-writes, which always read the latest value: either the
 * producer's swap sees the consumer's 1, or the consumer's swap comes after
 * the producer's and acquires its push, so the consumer's last look finds
 * the item. No wake-up is lost, and no fence is needed (which ThreadSanitizer
 * could not follow).
 */
uint32_t zctun_event_prepare(zctun_event *e)
{
	atomic_exchange_explicit(&e->waiters, 1, memory_order_acq_rel);
	return atomic_load_explicit(&e->seq, memory_order_acquire);
}

void zctun_event_wait(zctun_event *e, uint32_t seq, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };

	(void)futex(&e->seq, FUTEX_WAIT_PRIVATE, seq, &ts);
	atomic_store_explicit(&e->waiters, 0, memory_order_relaxed);
}

void zctun_event_cancel(zctun_event *e)
{
	atomic_store_explicit(&e->waiters, 0, memory_order_relaxed);
}

void zctun_event_notify(zctun_event *e)
{
	if (atomic_exchange_explicit(&e->waiters, 0, memory_order_acq_rel)) {
		atomic_fetch_add_explicit(&e->seq, 1, memory_order_release);
		(void)futex(&e->seq, FUTEX_WAKE_PRIVATE, 1, NULL);
	}
}

void zctun_event_wake_all(zctun_event *e)
{
	atomic_fetch_add_explicit(&e->seq, 1, memory_order_relaxed);
	(void)futex(&e->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

/* ---------------------------------------------------------------- ordered hand-over */

void zctun_order_init(zctun_order *o)
{
	zc_mpsc_init(&o->q, 0);
	atomic_store_explicit(&o->ev.seq, 0, memory_order_relaxed);
	atomic_store_explicit(&o->ev.waiters, 0, memory_order_relaxed);
	o->head = NULL;
}

void zctun_order_push(zctun_order *o, zctun_order_item *it, bool done)
{
	atomic_store_explicit(&it->done, done ? 1u : 0u, memory_order_relaxed);
	/* Unbounded (the items are a pool's buffers): the push cannot fail. */
	(void)zc_mpsc_push(&o->q, &it->node);
	zctun_event_notify(&o->ev);
}

void zctun_order_done(zctun_order *o, zctun_order_item *it)
{
	atomic_store_explicit(&it->done, 1, memory_order_release);
	zctun_event_notify(&o->ev);
}

/* The head once it is finished, popping a new one if there is none (consumer only). */
static zctun_order_item *order_ready(zctun_order *o, unsigned spins, bool *idle)
{
	zctun_order_item *it;

	if (!o->head) {
		zc_mpsc_node *n;
		zc_mpsc_res r = spins ? zc_mpsc_pop_spin(&o->q, &n, spins) : zc_mpsc_pop(&o->q, &n);

		if (r != ZC_MPSC_GOT) {
			*idle = r == ZC_MPSC_EMPTY;
			return NULL;
		}
		o->head = (zctun_order_item *)(void *)((char *)n - offsetof(zctun_order_item, node));
	}
	*idle = false;
	if (!atomic_load_explicit(&o->head->done, memory_order_acquire))
		return NULL;
	it = o->head;
	o->head = NULL;
	return it;
}

zctun_order_item *zctun_order_next(zctun_order *o, int timeout_ms, bool *idle)
{
	zctun_order_item *it = order_ready(o, 128, idle);
	uint32_t seq;

	if (it)
		return it;
	/* Announce, look once more (a push or a completion may have come), then sleep. */
	seq = zctun_event_prepare(&o->ev);
	if ((it = order_ready(o, 0, idle))) {
		zctun_event_cancel(&o->ev);
		return it;
	}
	zctun_event_wait(&o->ev, seq, timeout_ms);
	return order_ready(o, 0, idle);
}

