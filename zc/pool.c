/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/pool.c - packet buffers and bounded pools of them.
 *
 * A pool is four allocations made at creation and never again: the pool
 * itself, an array of zc_pbuf descriptors (one cache line each), a parallel
 * array of free-list links, and one slab of backing cut into equal strides.
 * The free list is a Treiber stack over buffer indices. Its head is one
 * 64-bit word, (tag << 32) | index, swapped with compare-and-swap; every swap
 * bumps the tag, so a claimer that read the head, was delayed while the same
 * buffer was claimed and released again, and then tries its swap fails
 * instead of installing a stale next (the ABA problem; R. K. Treiber,
 * "Systems Programming: Coping with Parallelism", IBM RJ 5118, 1986, and the
 * tagged-pointer fix from IBM System/370's compare-double-and-swap). The tag
 * wraps after 2^32 swaps; a claimer would have to stall across exactly a
 * multiple of that many for the check to be fooled.
 *
 * Descriptors and backing live as long as the pool, so a claimer reading the
 * link of a buffer another thread has just taken reads stale but valid
 * memory; the failed swap then discards what it read.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHELINE 64
#define NIL UINT32_MAX /* the index that ends the free list */

struct zc_pool {
	/* Swapped by every claim and release: a line of its own. */
	_Alignas(CACHELINE) _Atomic uint64_t head;
	atomic_size_t in_use;
	atomic_size_t max_in_use;

	/* The waiting path; releases read waiters, and lock only when it is set. */
	_Alignas(CACHELINE) atomic_uint waiters;
	_Atomic uint64_t empty;
	pthread_mutex_t lock;
	pthread_cond_t cond;

	/* Read-only after creation. */
	_Alignas(CACHELINE) zc_pbuf *bufs;
	_Atomic uint32_t *links; /* links[i]: the free buffer after buffer i */
	uint8_t *slab;
	size_t count;
	size_t buf_size;
	size_t stride;
	size_t headroom;
	size_t mem_bytes;
};

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "the tagged free-list head needs a lock-free 64-bit CAS");

static inline uint32_t head_index(uint64_t h) { return (uint32_t)h; }
static inline uint64_t head_make(uint64_t old, uint32_t index)
{
	return ((old >> 32) + 1) << 32 | index;
}

/*
 * Takes the first free buffer, or returns NIL. The head is first loaded
 * seq_cst (a plain load on x86) so that the waiting path cannot miss a
 * release; a failed swap reloads it, never older by coherence.
 */
static inline uint32_t freelist_pop(struct zc_pool *p)
{
	uint64_t old = atomic_load_explicit(&p->head, memory_order_seq_cst);
	uint32_t i;

	do {
		i = head_index(old);
		if (i == NIL)
			return NIL;
	} while (!atomic_compare_exchange_weak_explicit(
		&p->head, &old, head_make(old, atomic_load_explicit(&p->links[i], memory_order_relaxed)),
		memory_order_acquire, memory_order_acquire));
	return i;
}

/*
 * Puts buffer i back. The swap is a release, so the next claimer sees the
 * link and whatever the releaser wrote; it is seq_cst (the same locked
 * instruction on x86) so that the load of waiters after it is ordered after
 * it: see pool_wait().
 */
static inline void freelist_push(struct zc_pool *p, uint32_t i)
{
	uint64_t old = atomic_load_explicit(&p->head, memory_order_relaxed);

	do
		atomic_store_explicit(&p->links[i], head_index(old), memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&p->head, &old, head_make(old, i), memory_order_seq_cst,
						      memory_order_relaxed));
}

static void pool_recycle(zc_pbuf *b, void *ctx)
{
	struct zc_pool *p = ctx;
	uint32_t i = (uint32_t)(b - p->bufs);

	atomic_fetch_sub_explicit(&p->in_use, 1, memory_order_relaxed);
	freelist_push(p, i);
	if (unlikely(atomic_load_explicit(&p->waiters, memory_order_seq_cst) != 0)) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
}

static void deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * The pool was empty: wait for a release. A waiter counts itself in waiters
 * and retries under the mutex; a release pushes, then reads waiters and
 * signals under the same mutex. Both orders are seq_cst, so either the
 * release sees the waiter (and its signal cannot come before the waiter
 * sleeps, since the waiter holds the mutex until it does) or the waiter's
 * retry sees the released buffer. No wake-up is lost.
 */
static uint32_t pool_wait(struct zc_pool *p, int timeout_ms)
{
	struct timespec deadline;
	uint32_t i;

	if (timeout_ms > 0)
		deadline_after(&deadline, timeout_ms);
	pthread_mutex_lock(&p->lock);
	atomic_fetch_add_explicit(&p->waiters, 1, memory_order_seq_cst);
	while ((i = freelist_pop(p)) == NIL) {
		if (timeout_ms < 0) {
			pthread_cond_wait(&p->cond, &p->lock);
		} else if (pthread_cond_timedwait(&p->cond, &p->lock, &deadline) == ETIMEDOUT) {
			i = freelist_pop(p);
			break;
		}
	}
	atomic_fetch_sub_explicit(&p->waiters, 1, memory_order_relaxed);
	pthread_mutex_unlock(&p->lock);
	return i;
}

zc_err zc_pool_claim(zc_pool *p, int timeout_ms, zc_pbuf **out)
{
	zc_pbuf *b;
	uint32_t i;
	size_t n, m;

	if (unlikely(!p || !out))
		return ZC_E_ARG;
	i = freelist_pop(p);
	if (unlikely(i == NIL)) {
		atomic_fetch_add_explicit(&p->empty, 1, memory_order_relaxed);
		if (timeout_ms == ZC_POOL_NOWAIT)
			goto pool_empty;
		i = pool_wait(p, timeout_ms);
		if (i == NIL)
			goto pool_empty;
	}

	/* A holder may have moved anything; hand out a buffer as created. */
	b = &p->bufs[i];
	b->node.next_ = NULL;
	b->base = p->slab + (size_t)i * p->stride;
	b->cap = p->buf_size;
	b->data = zc_wbuf_make(b->base + p->headroom, 0);
	b->recycle = pool_recycle;
	b->recycle_ctx = p;
	b->user = 0;

	n = atomic_fetch_add_explicit(&p->in_use, 1, memory_order_relaxed) + 1;
	m = atomic_load_explicit(&p->max_in_use, memory_order_relaxed);
	while (unlikely(n > m) &&
	       !atomic_compare_exchange_weak_explicit(&p->max_in_use, &m, n, memory_order_relaxed, memory_order_relaxed))
		;
	*out = b;
	return ZC_OK;

pool_empty:
	*out = NULL;
	return ZC_E_NOBUFS;
}

static size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

zc_err zc_pool_create(const zc_pool_cfg *cfg, zc_pool **out)
{
	struct zc_pool *p = NULL;
	pthread_condattr_t ca;
	size_t count, stride, i;

	if (unlikely(!out))
		return ZC_E_ARG;
	*out = NULL;
	if (unlikely(!cfg || cfg->buf_size == 0 || cfg->headroom > cfg->buf_size))
		return ZC_E_ARG;
	count = cfg->count;
	if (count == 0)
		count = cfg->max_bytes / cfg->buf_size;
	if (unlikely(count == 0 || count >= NIL))
		return ZC_E_ARG;
	if (unlikely(cfg->max_bytes && count > cfg->max_bytes / cfg->buf_size))
		goto too_big;
	stride = round_up(cfg->buf_size, CACHELINE);
	if (unlikely(stride < cfg->buf_size || count > SIZE_MAX / stride))
		goto too_big;

	p = aligned_alloc(CACHELINE, round_up(sizeof *p, CACHELINE));
	if (unlikely(!p))
		return ZC_E_NOMEM;
	memset(p, 0, sizeof *p);
	p->count = count;
	p->buf_size = cfg->buf_size;
	p->stride = stride;
	p->headroom = cfg->headroom;
	p->bufs = aligned_alloc(CACHELINE, round_up(count * sizeof *p->bufs, CACHELINE));
	p->links = malloc(count * sizeof *p->links);
	p->slab = aligned_alloc(CACHELINE, count * stride);
	if (unlikely(!p->bufs || !p->links || !p->slab))
		goto no_memory;
	/* Touch every page now so that the packet path never faults one in. */
	memset(p->slab, 0, count * stride);
	p->mem_bytes = round_up(sizeof *p, CACHELINE) + round_up(count * sizeof *p->bufs, CACHELINE) +
		       count * sizeof *p->links + count * stride;

	if (pthread_condattr_init(&ca) != 0)
		goto no_memory;
	/* Timeouts are durations: a wall-clock step must not stretch or cut them. */
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_cond_init(&p->cond, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		goto no_memory;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		pthread_cond_destroy(&p->cond);
		goto no_memory;
	}

	for (i = 0; i < count; i++) {
		zc_pbuf *b = &p->bufs[i];

		b->base = p->slab + i * stride;
		b->cap = p->buf_size;
		b->data = zc_wbuf_make(b->base + p->headroom, 0);
		b->recycle = pool_recycle;
		b->recycle_ctx = p;
		b->node.next_ = NULL;
		b->user = 0;
		/* Buffer 0 first: claims walk the slab upwards from a fresh pool. */
		atomic_init(&p->links[i], i + 1 < count ? (uint32_t)(i + 1) : NIL);
	}
	atomic_init(&p->head, 0);
	atomic_init(&p->in_use, 0);
	atomic_init(&p->max_in_use, 0);
	atomic_init(&p->waiters, 0);
	atomic_init(&p->empty, 0);
	*out = p;
	return ZC_OK;

too_big:
	/* A caller's cap is a limit, not a request: refuse rather than trim. */
	return ZC_E_ARG;
no_memory:
	free(p->slab);
	free(p->links);
	free(p->bufs);
	free(p);
	return ZC_E_NOMEM;
}

void zc_pool_destroy(zc_pool *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->slab);
	free(p->links);
	free(p->bufs);
	free(p);
}

zc_err zc_pool_stats_get(const zc_pool *cp, zc_pool_stats *st)
{
	zc_pool *p = (zc_pool *)(uintptr_t)cp;

	if (unlikely(!p || !st))
		return ZC_E_ARG;
	st->count = p->count;
	st->buf_size = p->buf_size;
	st->headroom = p->headroom;
	st->mem_bytes = p->mem_bytes;
	st->in_use = atomic_load_explicit(&p->in_use, memory_order_relaxed);
	st->max_in_use = atomic_load_explicit(&p->max_in_use, memory_order_relaxed);
	st->empty = atomic_load_explicit(&p->empty, memory_order_relaxed);
	return ZC_OK;
}

bool zc_pool_owns(const zc_pool *p, const zc_pbuf *b)
{
	uintptr_t lo, x;

	if (!p || !b)
		return false;
	lo = (uintptr_t)p->bufs;
	x = (uintptr_t)b;
	return x >= lo && x - lo < p->count * sizeof *p->bufs && (x - lo) % sizeof *p->bufs == 0;
}

/* Packet buffers outside pools. */

zc_err zc_pbuf_init(zc_pbuf *b, void *base, size_t cap, size_t headroom, zc_pbuf_recycle_fn recycle,
		    void *recycle_ctx)
{
	if (unlikely(!b || (!base && cap) || headroom > cap))
		return ZC_E_ARG;
	b->node.next_ = NULL;
	b->base = base;
	b->cap = cap;
	b->data = zc_wbuf_make(base ? b->base + headroom : NULL, 0);
	b->recycle = recycle;
	b->recycle_ctx = recycle_ctx;
	b->user = 0;
	return ZC_OK;
}

static void pbuf_free(zc_pbuf *b, void *ctx)
{
	(void)ctx;
	free(b);
}

zc_err zc_pbuf_alloc(size_t cap, size_t headroom, zc_pbuf **out)
{
	zc_pbuf *b;

	if (unlikely(!out))
		return ZC_E_ARG;
	*out = NULL;
	if (unlikely(headroom > cap || cap > SIZE_MAX - sizeof *b))
		return ZC_E_ARG;
	/* One allocation: the descriptor, then the backing right behind it. */
	b = malloc(sizeof *b + cap);
	if (unlikely(!b))
		return ZC_E_NOMEM;
	zc_pbuf_init(b, (uint8_t *)(b + 1), cap, headroom, pbuf_free, NULL);
	*out = b;
	return ZC_OK;
}

void zc_pbuf_release(zc_pbuf *b)
{
	if (b && b->recycle)
		b->recycle(b, b->recycle_ctx);
}
