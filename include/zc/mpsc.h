/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/mpsc.h - an intrusive, lock-free, multi-producer single-consumer queue.
 *
 * The queue links the threads of a stack or tunnel: any number of threads
 * push packet buffers, one thread pops them. It is a node-based intrusive
 * queue: producers swap a shared head pointer, the consumer follows next
 * links from a stub node. The node lives inside the element (a
 * zc_pbuf has one), so pushing allocates nothing and a queue costs a few
 * words whatever its length: a per-peer queue is small enough for many
 * thousands of peers.
 *
 * Properties:
 * - Push is wait-free: one atomic exchange and one store, O(1), no loop, no
 *   allocation. With a bound (zc_mpsc_init() max > 0) it adds one atomic
 *   add, still wait-free.
 * - Pop is for one consumer thread at a time (the caller serializes); it never
 *   blocks and never allocates.
 * - FIFO per producer: the items one thread pushes are popped in that order.
 *   Items from different producers are ordered by the moment each swapped the
 *   head pointer.
 *
 * Consistency: serializable, not linearizable. A push is two steps: swap the
 * head pointer to the new node, then link the previous head's next to it.
 * Between the two (a few instructions, unless the producer is preempted) the
 * new node and everything pushed after it are invisible to the consumer even
 * though those pushes have returned. zc_mpsc_pop() tells this case apart from
 * a truly empty queue: it returns ZC_MPSC_BUSY ("items are on their way, try
 * again") rather than ZC_MPSC_EMPTY. A consumer that is woken once per push
 * (a worker requeued after every enqueue) may simply stop on BUSY, since the
 * late producer's own wake-up follows; a consumer that polls
 * should retry, e.g. with zc_mpsc_pop_spin().
 *
 * Memory: the atomic fields are declared here with plain types so that the
 * header stays within <stdint.h>/<stddef.h>/<stdbool.h> and compiles as C99 and
 * C++ (neither has _Atomic). zc/mpsc.c accesses them through an _Atomic mirror
 * of the same layout, checked field by field with static assertions. Touch
 * no field whose name ends
 * in an underscore: only the zc_mpsc_* functions may.
 */
#ifndef ZC_MPSC_H
#define ZC_MPSC_H

#include "zc/buf.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The link embedded in every queued element; one pointer. */
typedef struct zc_mpsc_node {
	struct zc_mpsc_node *next_; /* atomic in zc/mpsc.c */
} zc_mpsc_node;

/*
 * Bytes between the producers' fields and the consumer's, so that they sit on
 * different cache lines (64 bytes on x86-64 and most arm64 parts): the
 * consumer's writes to tail_ then never invalidate the line producers swap
 * head_ on. This padding is most of sizeof(zc_mpsc) (80 bytes on LP64).
 */
#define ZC_MPSC_PAD_LEN (64 - 2 * sizeof(void *) - sizeof(size_t))

/*
 * A queue. Embed it anywhere (a peer, a flow, a worker) and set it up with
 * zc_mpsc_init(); it holds no resources, so there is nothing to destroy. It
 * must not be copied or moved once in use: nodes point at its stub.
 */
typedef struct zc_mpsc {
	zc_mpsc_node *head_; /* producers' end: the node pushed last (atomic) */
	size_t count_;       /* items queued, counted only with a bound (atomic) */
	size_t max_;         /* the bound; 0 for none */
	unsigned char pad_[ZC_MPSC_PAD_LEN];
	zc_mpsc_node *tail_; /* consumer's end: the next node to pop */
	zc_mpsc_node stub_;  /* stands in for "no node" so that head_ is never NULL */
} zc_mpsc;

/* What zc_mpsc_pop() found. Never overloaded: the node comes back separately. */
typedef enum zc_mpsc_res {
	ZC_MPSC_GOT = 0,   /* *out holds the oldest item */
	ZC_MPSC_EMPTY = 1, /* nothing queued */
	ZC_MPSC_BUSY = 2,  /* a push is half done: retry shortly (see above) */
} zc_mpsc_res;

/*
 * Makes q an empty queue. max bounds the items queued at once (push fails
 * past it); 0 means no bound and no counter: the counter's two atomic
 * operations per item are the costliest part of a bounded queue, so it is
 * only kept when asked for. Returns ZC_E_ARG for a NULL q.
 */
ZC_EXPORT zc_err zc_mpsc_init(zc_mpsc *q, size_t max);

/*
 * Appends n; any thread, any number at once. Wait-free. Returns ZC_E_FULL,
 * leaving n alone, when the queue is bounded and already holds max items. The
 * bound is never exceeded. Each push adds to the counter first and takes the
 * add back when it went past the bound, so while producers race at the bound
 * one may be refused although a pop has just made room (another's refused add
 * is not yet taken back): the price of a push without a compare-and-swap
 * loop. Whatever the caller wrote into the element before the push is
 * visible to the thread that pops it (release/acquire).
 */
ZC_EXPORT zc_err zc_mpsc_push(zc_mpsc *q, zc_mpsc_node *n);

/*
 * Removes the oldest item: ZC_MPSC_GOT with *out set, or ZC_MPSC_EMPTY, or
 * ZC_MPSC_BUSY (*out is NULL for both). One consumer thread at a time; q and
 * out must not be NULL (this is the hot path: nothing is checked).
 */
ZC_EXPORT zc_mpsc_res zc_mpsc_pop(zc_mpsc *q, zc_mpsc_node **out);

/*
 * zc_mpsc_pop(), retrying up to spins times (with a CPU pause between tries)
 * while it returns ZC_MPSC_BUSY. A half-done push completes within a few
 * instructions unless its thread was preempted; then BUSY comes back after the
 * spins and the caller should yield or wait for that producer's wake-up.
 */
ZC_EXPORT zc_mpsc_res zc_mpsc_pop_spin(zc_mpsc *q, zc_mpsc_node **out, unsigned spins);

/*
 * The items queued: a snapshot, exact only when no push or pop runs. Only a
 * bounded queue counts; for an unbounded one this returns ZC_E_ARG.
 */
ZC_EXPORT zc_err zc_mpsc_count(const zc_mpsc *q, size_t *out);

/* The bound given to zc_mpsc_init(); 0 for none. */
static inline size_t zc_mpsc_max(const zc_mpsc *q) { return q->max_; }

#ifdef __cplusplus
}
#endif
#endif /* ZC_MPSC_H */
