/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/pool.h - packet buffers owned by the I/O edge, and bounded pools of them.
 *
 * Ownership is inverted: the code that reads from a socket, a TUN device or a
 * ring takes a backing of the size it needs (from a pool, from malloc, or from
 * memory the device owns), reads into it, and hands upward a zc_pbuf: the
 * valid bytes as a zc_wbuf, the room in front of and behind them, the backing,
 * and how to give the backing back (a recycler function and its context).
 * Whoever finishes with the packet calls zc_pbuf_release(), on any thread,
 * and the backing goes home. The layers above never allocate or copy, and a
 * tunnel's memory is the pools it made, whatever the number of flows.
 *
 * A pool is bounded: the caller fixes its size in buffers (or in bytes) at
 * creation, all backing is allocated and touched then, and memory stays flat
 * whatever the load. When the pool is empty the caller chooses: fail at once
 * with ZC_E_NOBUFS, or wait for a release, with or without a timeout.
 *
 * Headroom lets a layer prepend a header (an encapsulation: VXLAN, GRE, a
 * tunnel's own header) without copying the payload: the edge reads at an
 * offset, and zc_pbuf_push_head() grows the data backwards into that room.
 * Tailroom does the same at the end (a trailer, a MAC).
 */
#ifndef ZC_POOL_H
#define ZC_POOL_H

#include "zc/buf.h"
#include "zc/err.h"
#include "zc/mpsc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zc_pbuf zc_pbuf;

/*
 * Gives a buffer back to whoever provided it; called by zc_pbuf_release(),
 * once per claim, on whatever thread releases. ctx is the recycle_ctx the
 * provider stored.
 */
typedef void (*zc_pbuf_recycle_fn)(zc_pbuf *b, void *ctx);

/*
 * A packet buffer: 64 bytes on LP64, one cache line. The provider fills in
 * base, cap, recycle and recycle_ctx; the holder moves data within
 * [base, base + cap) with the helpers below and may use node (to queue the
 * buffer) and user freely while it holds the buffer.
 */
struct zc_pbuf {
	zc_mpsc_node node;          /* links the buffer into a zc_mpsc queue */
	zc_wbuf data;               /* the valid bytes, writable */
	uint8_t *base;              /* the backing's first byte */
	size_t cap;                 /* the backing's size in bytes */
	zc_pbuf_recycle_fn recycle; /* how to give the backing back; NULL: nothing to do */
	void *recycle_ctx;          /* the recycler's argument (the pool, for pool buffers) */
	uintptr_t user;             /* free for the holder: a flow hash, a peer, a timestamp */
};

/* The buffer a queue node is embedded in. */
static inline zc_pbuf *zc_pbuf_from_node(zc_mpsc_node *n)
{
	return (zc_pbuf *)(void *)((char *)n - offsetof(zc_pbuf, node));
}

/* Bytes free in front of the data. */
static inline size_t zc_pbuf_headroom(const zc_pbuf *b) { return (size_t)(b->data.p - b->base); }

/* Bytes free behind the data. */
static inline size_t zc_pbuf_tailroom(const zc_pbuf *b)
{
	return b->cap - zc_pbuf_headroom(b) - b->data.len;
}

/*
 * Empties the data and places it headroom bytes into the backing, ready for
 * a read of up to zc_pbuf_tailroom() bytes at b->data.p. ZC_E_NOBUFS when
 * headroom exceeds the backing.
 */
static inline zc_err zc_pbuf_reset(zc_pbuf *b, size_t headroom)
{
	if (ZC_UNLIKELY(headroom > b->cap))
		return ZC_E_NOBUFS;
	b->data.p = b->base + headroom;
	b->data.len = 0;
	return ZC_OK;
}

/*
 * Grows the data by n bytes at the front (skb_push() in Linux terms) and
 * stores the new first byte in *hdr when hdr is not NULL: the caller writes
 * the new header there. ZC_E_NOBUFS, nothing changed, when the headroom is
 * smaller than n. Views made before still point at the old bytes, which have
 * not moved.
 */
static inline zc_err zc_pbuf_push_head(zc_pbuf *b, size_t n, uint8_t **hdr)
{
	if (ZC_UNLIKELY(zc_pbuf_headroom(b) < n))
		return ZC_E_NOBUFS;
	b->data.p -= n;
	b->data.len += n;
	if (hdr)
		*hdr = b->data.p;
	return ZC_OK;
}

/*
 * Drops n bytes from the front (skb_pull()): a decapsulation. ZC_E_TRUNCATED,
 * nothing changed, when the data is shorter than n. Views of the dropped
 * bytes stay readable (the bytes are still in the backing) but are no longer
 * part of the packet.
 */
static inline zc_err zc_pbuf_pull_head(zc_pbuf *b, size_t n)
{
	if (ZC_UNLIKELY(b->data.len < n))
		return ZC_E_TRUNCATED;
	b->data.p += n;
	b->data.len -= n;
	return ZC_OK;
}

/*
 * Grows the data by n bytes at the end (skb_put()) and stores the first new
 * byte in *tail when tail is not NULL. After a read of n bytes into
 * b->data.p + b->data.len this marks them valid. ZC_E_NOBUFS, nothing
 * changed, when the tailroom is smaller than n.
 */
static inline zc_err zc_pbuf_push_tail(zc_pbuf *b, size_t n, uint8_t **tail)
{
	if (ZC_UNLIKELY(zc_pbuf_tailroom(b) < n))
		return ZC_E_NOBUFS;
	if (tail)
		*tail = b->data.p + b->data.len;
	b->data.len += n;
	return ZC_OK;
}

/* Drops n bytes from the end (skb_trim() by n). ZC_E_TRUNCATED when shorter. */
static inline zc_err zc_pbuf_pull_tail(zc_pbuf *b, size_t n)
{
	if (ZC_UNLIKELY(b->data.len < n))
		return ZC_E_TRUNCATED;
	b->data.len -= n;
	return ZC_OK;
}

/*
 * Sets up b over backing the caller owns (a stack array, an AF_XDP frame, a
 * ring slot): cap bytes at base, data empty at headroom, and the recycler to
 * call on release (NULL for none). ZC_E_ARG for a NULL b, a NULL base with a
 * non-zero cap, or headroom > cap.
 */
ZC_EXPORT zc_err zc_pbuf_init(zc_pbuf *b, void *base, size_t cap, size_t headroom,
			      zc_pbuf_recycle_fn recycle, void *recycle_ctx);

/*
 * Allocates a buffer and cap bytes of backing in one malloc(), for edges
 * without a pool or for the odd packet larger than the pool's buffers;
 * zc_pbuf_release() frees it. ZC_E_ARG for headroom > cap or a NULL out,
 * ZC_E_NOMEM when malloc() fails.
 */
ZC_EXPORT zc_err zc_pbuf_alloc(size_t cap, size_t headroom, zc_pbuf **out);

/*
 * Gives b back to its provider through its recycler. Any thread; once per
 * claim; NULL is ignored. b and its bytes must not be touched afterwards.
 */
ZC_EXPORT void zc_pbuf_release(zc_pbuf *b);

/* A pool of equal buffers. Opaque. */
typedef struct zc_pool zc_pool;

/* How big a pool is; decided by the caller, fixed for the pool's life. */
typedef struct zc_pool_cfg {
	size_t count;     /* buffers; 0: as many as max_bytes allows */
	size_t buf_size;  /* backing bytes per buffer, headroom included */
	size_t headroom;  /* where a claimed buffer's data starts */
	size_t max_bytes; /* cap on all backing (count * buf_size); 0: no cap */
} zc_pool_cfg;

/*
 * Creates a pool, allocating and touching all backing now (nothing is
 * allocated later; page faults do not land on the packet path). Buffers are
 * aligned to 64 bytes. Errors: ZC_E_ARG (buf_size 0, headroom > buf_size,
 * count and max_bytes both 0, count * buf_size above max_bytes or beyond
 * 2^32 - 2 buffers, NULL cfg or out), ZC_E_NOMEM.
 */
ZC_EXPORT zc_err zc_pool_create(const zc_pool_cfg *cfg, zc_pool **out);

/*
 * Frees the pool and all its backing. Every buffer must be back (see
 * zc_pool_stats_get() in_use): a buffer still held would point into freed memory.
 * NULL is ignored.
 */
ZC_EXPORT void zc_pool_destroy(zc_pool *p);

/* timeout_ms values for zc_pool_claim(), as poll(2) takes them. */
#define ZC_POOL_NOWAIT 0
#define ZC_POOL_FOREVER (-1)

/*
 * Takes a buffer, its data empty at the pool's headroom, user 0, and its
 * recycler set to return it here. When the pool is empty: with timeout_ms 0
 * (ZC_POOL_NOWAIT) returns ZC_E_NOBUFS at once; with a positive timeout_ms
 * waits up to that many milliseconds for a release and returns ZC_E_NOBUFS
 * if none came; with ZC_POOL_FOREVER (any negative value) waits as long as it
 * takes. Any number of threads may claim and release at once.
 *
 * The free list is a lock-free LIFO stack (Treiber's) whose head carries a
 * counter next to the index, so a claimer delayed between reading the head
 * and swapping it cannot be fooled by the same buffer leaving and coming back
 * (the ABA problem). LIFO hands out the buffer released last, still warm in
 * cache. Waiting uses a mutex and condition variable that releases touch only
 * while some claimer waits: the fast paths take no lock.
 */
ZC_EXPORT zc_err zc_pool_claim(zc_pool *p, int timeout_ms, zc_pbuf **out);

/* A pool's sizes and load. */
typedef struct zc_pool_stats {
	size_t count;      /* buffers */
	size_t buf_size;   /* backing bytes per buffer */
	size_t headroom;   /* headroom at claim */
	size_t mem_bytes;  /* all memory the pool holds: backing, buffers, links */
	size_t in_use;     /* buffers claimed and not released (a snapshot) */
	size_t max_in_use; /* the most ever claimed at once */
	uint64_t empty;    /* claims that found the pool empty (failed or waited) */
} zc_pool_stats;

/* Fills *st. ZC_E_ARG for a NULL argument. */
ZC_EXPORT zc_err zc_pool_stats_get(const zc_pool *p, zc_pool_stats *st);

/* True when b came from p (and so returns to it). */
ZC_EXPORT bool zc_pool_owns(const zc_pool *p, const zc_pbuf *b);

#ifdef __cplusplus
}
#endif
#endif /* ZC_POOL_H */
