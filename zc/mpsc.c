/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/mpsc.c - Vyukov's intrusive MPSC queue with C11 atomics.
 *
 * The algorithm (1024cores.net, "Intrusive MPSC node-based queue"; Linux
 * WireGuard's wg_prev_queue_* in drivers/net/wireguard/queueing.c is the same
 * design): producers swap the head pointer to their node and then link the
 * old head to it; the consumer follows next pointers from the tail. A stub
 * node, owned by the queue, keeps head and tail non-NULL, so neither side
 * ever special-cases an empty list; the consumer pushes the stub back when it
 * is about to take the last node, so that the last node can be handed out
 * while producers may still link behind it.
 */
#include "internal.h"

#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#define cpu_relax() atomic_signal_fence(memory_order_seq_cst)
#endif

/*
 * The layout zc/mpsc.h declares with plain types, with the atomic types the
 * code needs. The assertions below hold it to the public one, field by field.
 */
struct mpsc_node {
	_Atomic(struct mpsc_node *) next;
};

struct mpsc {
	_Atomic(struct mpsc_node *) head;
	atomic_size_t count;
	size_t max;
	unsigned char pad[ZC_MPSC_PAD_LEN];
	struct mpsc_node *tail;
	struct mpsc_node stub;
};

#define SAME_FIELD(pub, priv, pf, f)                                                    \
	_Static_assert(offsetof(pub, pf) == offsetof(priv, f), "layout of " #pub "." #pf); \
	_Static_assert(sizeof(((pub *)0)->pf) == sizeof(((priv *)0)->f), "size of " #pub "." #pf)

SAME_FIELD(zc_mpsc_node, struct mpsc_node, next_, next);
SAME_FIELD(zc_mpsc, struct mpsc, head_, head);
SAME_FIELD(zc_mpsc, struct mpsc, count_, count);
SAME_FIELD(zc_mpsc, struct mpsc, max_, max);
SAME_FIELD(zc_mpsc, struct mpsc, tail_, tail);
SAME_FIELD(zc_mpsc, struct mpsc, stub_, stub);
_Static_assert(sizeof(zc_mpsc) == sizeof(struct mpsc), "size of zc_mpsc");
_Static_assert(_Alignof(zc_mpsc) == _Alignof(struct mpsc), "alignment of zc_mpsc");
/* A lock-based fallback would make push neither wait-free nor signal-safe. */
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "pointer atomics must be lock-free");

static inline struct mpsc *Q(zc_mpsc *q) { return (struct mpsc *)(void *)q; }
static inline struct mpsc_node *N(zc_mpsc_node *n) { return (struct mpsc_node *)(void *)n; }

zc_err zc_mpsc_init(zc_mpsc *pub, size_t max)
{
	struct mpsc *q = Q(pub);

	if (unlikely(!pub))
		return ZC_E_ARG;
	atomic_init(&q->stub.next, NULL);
	atomic_init(&q->head, &q->stub);
	atomic_init(&q->count, 0);
	q->max = max;
	q->tail = &q->stub;
	return ZC_OK;
}

/*
 * The exchange is acq_rel: release so that the consumer, and the producer
 * that links behind n, see n->next = NULL first; acquire so that our store to
 * prev->next is ordered after the one that set prev->next to NULL. The link
 * store is a release so that a consumer which reads it also sees everything
 * the pushing thread wrote into the element.
 */
static inline void mpsc_link(struct mpsc *q, struct mpsc_node *n)
{
	struct mpsc_node *prev;

	atomic_store_explicit(&n->next, NULL, memory_order_relaxed);
	prev = atomic_exchange_explicit(&q->head, n, memory_order_acq_rel);
	/* Here the queue is briefly cut in two: see ZC_MPSC_BUSY. */
	atomic_store_explicit(&prev->next, n, memory_order_release);
}

zc_err zc_mpsc_push(zc_mpsc *pub, zc_mpsc_node *node)
{
	struct mpsc *q = Q(pub);

	if (unlikely(!pub || !node))
		return ZC_E_ARG;
	/*
	 * The counter only guards the bound, and a single variable is totally
	 * ordered on its own, so relaxed suffices: at most max adds can have seen
	 * a value below max without a matching pop in between.
	 */
	if (q->max && unlikely(atomic_fetch_add_explicit(&q->count, 1, memory_order_relaxed) >= q->max))
		goto full;
	mpsc_link(q, N(node));
	return ZC_OK;

full:
	atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
	return ZC_E_FULL;
}

static inline zc_mpsc_res mpsc_got(struct mpsc *q, struct mpsc_node *tail, struct mpsc_node *next,
				   zc_mpsc_node **out)
{
	q->tail = next;
	if (q->max)
		atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
	*out = (zc_mpsc_node *)(void *)tail;
	return ZC_MPSC_GOT;
}

zc_mpsc_res zc_mpsc_pop(zc_mpsc *pub, zc_mpsc_node **out)
{
	struct mpsc *q = Q(pub);
	struct mpsc_node *tail = q->tail;
	struct mpsc_node *next = atomic_load_explicit(&tail->next, memory_order_acquire);
	struct mpsc_node *head;

	*out = NULL;
	if (tail == &q->stub) {
		if (!next) {
			/*
			 * Nothing linked behind the stub: empty if the stub is still
			 * the head, otherwise a producer has swapped the head but
			 * not yet linked the stub to its node.
			 */
			head = atomic_load_explicit(&q->head, memory_order_acquire);
			return head == &q->stub ? ZC_MPSC_EMPTY : ZC_MPSC_BUSY;
		}
		/* Skip the stub; it goes back in below when the queue runs dry. */
		q->tail = next;
		tail = next;
		next = atomic_load_explicit(&tail->next, memory_order_acquire);
	}
	if (next)
		return mpsc_got(q, tail, next, out);

	/*
	 * tail is the last linked node. If it is not the head, a producer is
	 * between its exchange and its link: tail cannot be handed out before
	 * that link lands, or the producer would write into a node we gave away.
	 */
	head = atomic_load_explicit(&q->head, memory_order_acquire);
	if (tail != head)
		return ZC_MPSC_BUSY;
	/*
	 * Put the stub behind tail so that tail gets a successor and can go.
	 * A producer may slip in between the load above and this push; then
	 * tail->next is that producer's node (or not yet linked: busy again).
	 */
	mpsc_link(q, &q->stub);
	next = atomic_load_explicit(&tail->next, memory_order_acquire);
	if (next)
		return mpsc_got(q, tail, next, out);
	return ZC_MPSC_BUSY;
}

zc_mpsc_res zc_mpsc_pop_spin(zc_mpsc *q, zc_mpsc_node **out, unsigned spins)
{
	zc_mpsc_res r;

	while ((r = zc_mpsc_pop(q, out)) == ZC_MPSC_BUSY && spins) {
		spins--;
		cpu_relax();
	}
	return r;
}

zc_err zc_mpsc_count(const zc_mpsc *pub, size_t *out)
{
	struct mpsc *q = Q((zc_mpsc *)(uintptr_t)pub);
	size_t c;

	if (unlikely(!pub || !out || !q->max))
		return ZC_E_ARG;
	/* Refused pushes add and take back: clamp the transient overshoot. */
	c = atomic_load_explicit(&q->count, memory_order_relaxed);
	*out = c < q->max ? c : q->max;
	return ZC_OK;
}
