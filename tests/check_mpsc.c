/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_mpsc.c - the MPSC queue: FIFO, the busy/empty distinction, the
 * bound, and several producers against one consumer under load.
 *
 * ZC_STRESS_ITEMS sets how many items the stress tests move in total; the
 * default is a few million in a plain build and less under the sanitizers,
 * so that each test stays within seconds.
 */
#include "testutil.h"
#include "stress.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>


#define NPROD 4
/*
 * Items each producer has in flight at most: its ring of nodes. Large, so
 * that on a loaded machine, where every wait for another thread can cost a
 * scheduler tick, a wait moves many items.
 */
#define RING 4096

/*
 * Waiting for another thread: yield, then sleep. The test machine may have
 * fewer CPUs than the test has threads, and other jobs on them; spinning
 * there burns the time the awaited thread needs.
 */
static void backoff(unsigned *n)
{
	if (*n < 4) {
		sched_yield();
	} else {
		struct timespec ts = {0, 50000};
		nanosleep(&ts, NULL);
	}
	++*n;
}

typedef struct item {
	zc_mpsc_node node;
	unsigned producer;
	uint64_t seq;
} item;

static item *item_of(zc_mpsc_node *n) { return (item *)(void *)((char *)n - offsetof(item, node)); }

START_TEST(init_rejects_null_and_starts_empty)
{
	zc_mpsc q;
	zc_mpsc_node *n = (zc_mpsc_node *)&q; /* any non-NULL value: pop must clear it */
	size_t c = 99;

	ck_assert_int_eq(zc_mpsc_init(NULL, 0), ZC_E_ARG);
	ck_assert_int_eq(zc_mpsc_init(&q, 0), ZC_OK);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
	ck_assert_ptr_null(n);
	ck_assert_int_eq(zc_mpsc_pop_spin(&q, &n, 10), ZC_MPSC_EMPTY);
	ck_assert_int_eq(zc_mpsc_push(&q, NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_mpsc_push(NULL, n), ZC_E_ARG);
	/* An unbounded queue keeps no counter, and says so. */
	ck_assert_int_eq(zc_mpsc_count(&q, &c), ZC_E_ARG);
	ck_assert_uint_eq(zc_mpsc_max(&q), 0);
}
END_TEST

START_TEST(one_thread_fifo_and_reuse)
{
	enum { N = 1000 };
	static item it[N];
	zc_mpsc q;
	zc_mpsc_node *n;
	int round, i;

	zc_mpsc_init(&q, 0);
	/* Two rounds: the second pushes nodes that went through the queue once. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < N; i++) {
			it[i].seq = (uint64_t)i;
			ck_assert_int_eq(zc_mpsc_push(&q, &it[i].node), ZC_OK);
		}
		for (i = 0; i < N; i++) {
			ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
			ck_assert_ptr_eq(item_of(n), &it[i]);
		}
		ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
	}
	/* Interleaved: one in, one out, the queue never growing past one. */
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(zc_mpsc_push(&q, &it[i].node), ZC_OK);
		ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
		ck_assert_ptr_eq(n, &it[i].node);
		ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
	}
}
END_TEST

/*
 * White box: performs only the first half of a push (the exchange of head),
 * as a producer preempted between its two steps leaves the queue.
 */
static zc_mpsc_node *half_push(zc_mpsc *q, zc_mpsc_node *n)
{
	zc_mpsc_node *prev = q->head_;

	n->next_ = NULL;
	q->head_ = n;
	return prev;
}

START_TEST(half_done_push_is_busy_not_empty)
{
	item a, b, c;
	zc_mpsc q;
	zc_mpsc_node *n, *prev;

	/* Case 1: the queue was empty, so the stub waits for its link. */
	zc_mpsc_init(&q, 0);
	prev = half_push(&q, &a.node);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_BUSY);
	ck_assert_ptr_null(n);
	ck_assert_int_eq(zc_mpsc_pop_spin(&q, &n, 100), ZC_MPSC_BUSY);
	prev->next_ = &a.node; /* the producer resumes */
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
	ck_assert_ptr_eq(n, &a.node);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);

	/* Case 2: b is queued and linked; c is swapped in behind it, unlinked. */
	zc_mpsc_init(&q, 0);
	ck_assert_int_eq(zc_mpsc_push(&q, &b.node), ZC_OK);
	prev = half_push(&q, &c.node);
	ck_assert_ptr_eq(prev, &b.node);
	/* b cannot be handed out: its producer is about to write b's link. */
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_BUSY);
	prev->next_ = &c.node;
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
	ck_assert_ptr_eq(n, &b.node);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
	ck_assert_ptr_eq(n, &c.node);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
}
END_TEST

START_TEST(bounded_queue_refuses_past_its_bound)
{
	item it[4];
	zc_mpsc q;
	zc_mpsc_node *n;
	size_t c;
	int i;

	zc_mpsc_init(&q, 3);
	ck_assert_uint_eq(zc_mpsc_max(&q), 3);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(zc_mpsc_push(&q, &it[i].node), ZC_OK);
	ck_assert_int_eq(zc_mpsc_push(&q, &it[3].node), ZC_E_FULL);
	ck_assert_int_eq(zc_mpsc_push(&q, &it[3].node), ZC_E_FULL);
	ck_assert_int_eq(zc_mpsc_count(&q, &c), ZC_OK);
	ck_assert_uint_eq(c, 3);
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
	ck_assert_ptr_eq(n, &it[0].node);
	ck_assert_int_eq(zc_mpsc_push(&q, &it[3].node), ZC_OK);
	for (i = 1; i < 4; i++) {
		ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
		ck_assert_ptr_eq(n, &it[i].node);
	}
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
	ck_assert_int_eq(zc_mpsc_count(&q, &c), ZC_OK);
	ck_assert_uint_eq(c, 0);
}
END_TEST

/*
 * Several producers, one consumer. The test machine may have fewer CPUs than
 * the test has threads, and other jobs on them, so a thread that must wait
 * for another yields and then sleeps rather than spins, and the rings are
 * large: each time slice then moves many items, and few waits are needed.
 */

typedef struct producer {
	pthread_t th;
	zc_mpsc *q;
	unsigned id;
	uint64_t n;              /* items to push */
	item *ring;              /* RING nodes, reused in turn */
	_Atomic uint64_t popped; /* written by the consumer: items of ours it is done with */
	_Atomic uint64_t full;   /* pushes refused with ZC_E_FULL */
	_Atomic uint64_t pushed; /* pushes accepted */
	bool stop_at_full;       /* push until the first refusal, then stop */
} producer;

static void *produce(void *arg)
{
	producer *p = arg;
	uint64_t seq = 0, done = 0;
	unsigned wait = 0;

	while (seq < p->n) {
		item *it;
		zc_err e;

		/* Reuse a node only once the consumer has handed it back. */
		while (seq - done >= RING) {
			done = atomic_load_explicit(&p->popped, memory_order_acquire);
			if (seq - done >= RING)
				backoff(&wait);
		}
		it = &p->ring[seq % RING];
		it->producer = p->id;
		it->seq = seq;
		while ((e = zc_mpsc_push(p->q, &it->node)) == ZC_E_FULL) {
			atomic_fetch_add_explicit(&p->full, 1, memory_order_relaxed);
			if (p->stop_at_full)
				return NULL;
			backoff(&wait);
		}
		wait = 0;
		if (e != ZC_OK)
			abort();
		atomic_fetch_add_explicit(&p->pushed, 1, memory_order_relaxed);
		seq++;
	}
	return NULL;
}

/*
 * Pops total items, checking that each producer's come in order with nothing
 * missing or repeated. Returns the BUSY results seen.
 */
static uint64_t consume(zc_mpsc *q, producer *prod, unsigned nprod, uint64_t total)
{
	uint64_t expect[NPROD] = {0}, got = 0, busy = 0;
	unsigned wait = 0;

	while (got < total) {
		zc_mpsc_node *n;
		zc_mpsc_res r = zc_mpsc_pop_spin(q, &n, 64);
		item *it;

		if (r != ZC_MPSC_GOT) {
			/* EMPTY: producers are behind. BUSY: one is between its two
			 * steps, and resumes when it gets a CPU. Either way, wait. */
			busy += r == ZC_MPSC_BUSY;
			backoff(&wait);
			continue;
		}
		wait = 0;
		it = item_of(n);
		/*
		 * Plain checks in the loop: every ck_assert writes its location to
		 * Check's pipe, a system call per item.
		 */
		if (it->producer >= nprod || it->seq != expect[it->producer])
			ck_abort_msg("item %llu of producer %u popped when %llu was due",
				     (unsigned long long)it->seq, it->producer,
				     it->producer < nprod ? (unsigned long long)expect[it->producer] : 0ULL);
		expect[it->producer]++;
		/* Hand nodes back in chunks: fewer stores to lines producers read. */
		if ((expect[it->producer] & 255) == 0)
			atomic_store_explicit(&prod[it->producer].popped, expect[it->producer],
					      memory_order_release);
		got++;
	}
	for (unsigned i = 0; i < nprod; i++)
		ck_assert_uint_eq(expect[i], prod[i].n);
	return busy;
}

static void run_stress(size_t max, unsigned nprod, uint64_t total)
{
	producer prod[NPROD];
	zc_mpsc q;
	zc_mpsc_node *n;
	uint64_t per = total / nprod, busy, full = 0;
	struct timespec t0, t1;
	unsigned i;

	ck_assert_uint_gt(per, 0);
	zc_mpsc_init(&q, max);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nprod; i++) {
		memset(&prod[i], 0, sizeof prod[i]);
		prod[i].q = &q;
		prod[i].id = i;
		prod[i].n = per;
		prod[i].ring = calloc(RING, sizeof(item));
		ck_assert_ptr_nonnull(prod[i].ring);
		ck_assert_int_eq(pthread_create(&prod[i].th, NULL, produce, &prod[i]), 0);
	}
	busy = consume(&q, prod, nprod, per * nprod);
	for (i = 0; i < nprod; i++) {
		pthread_join(prod[i].th, NULL);
		full += atomic_load(&prod[i].full);
		free(prod[i].ring);
	}
	ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_EMPTY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "mpsc stress: %u producer(s), %llu items, bound %zu: %llu busy pops, %llu refused pushes, %.2f s\n",
		nprod, (unsigned long long)(per * nprod), max, (unsigned long long)busy, (unsigned long long)full,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

START_TEST(stress_four_producers_unbounded)
{
	run_stress(0, NPROD, stress_items());
}
END_TEST

START_TEST(stress_four_producers_bounded)
{
	/* Below RING, so the bound, not the rings, limits the producers. */
	run_stress(1024, NPROD, stress_items());
}
END_TEST

START_TEST(stress_one_producer)
{
	run_stress(0, 1, stress_items());
}
END_TEST

/*
 * With the consumer idle, producers racing to fill a bounded queue get
 * exactly max pushes accepted between them, many times over.
 */
START_TEST(racing_producers_fill_exactly_to_the_bound)
{
	enum { MAX = 2000, ROUNDS = 20 };
	producer prod[NPROD];
	zc_mpsc q;
	int round;

	for (round = 0; round < ROUNDS; round++) {
		zc_mpsc_node *n;
		uint64_t pushed = 0, popped = 0;
		size_t c;
		unsigned i;

		zc_mpsc_init(&q, MAX);
		for (i = 0; i < NPROD; i++) {
			memset(&prod[i], 0, sizeof prod[i]);
			prod[i].q = &q;
			prod[i].id = i;
			prod[i].n = RING; /* more than MAX: each stops at its first refusal */
			prod[i].stop_at_full = true;
			prod[i].ring = calloc(RING, sizeof(item));
			ck_assert_ptr_nonnull(prod[i].ring);
			ck_assert_int_eq(pthread_create(&prod[i].th, NULL, produce, &prod[i]), 0);
		}
		for (i = 0; i < NPROD; i++) {
			pthread_join(prod[i].th, NULL);
			pushed += atomic_load(&prod[i].pushed);
			ck_assert_uint_ge(atomic_load(&prod[i].full), 1);
		}
		ck_assert_uint_eq(pushed, MAX);
		ck_assert_int_eq(zc_mpsc_count(&q, &c), ZC_OK);
		ck_assert_uint_eq(c, MAX);
		while (zc_mpsc_pop(&q, &n) == ZC_MPSC_GOT)
			popped++;
		ck_assert_uint_eq(popped, MAX);
		for (i = 0; i < NPROD; i++)
			free(prod[i].ring);
	}
}
END_TEST

/* The queue's node is the buffer's node: pbufs travel without a wrapper. */
START_TEST(pbufs_travel_through_the_queue)
{
	zc_pbuf *b[3], *got;
	zc_mpsc q;
	zc_mpsc_node *n;
	int i;

	zc_mpsc_init(&q, 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(zc_pbuf_alloc(64, 16, &b[i]), ZC_OK);
		b[i]->user = (uintptr_t)i;
		ck_assert_int_eq(zc_mpsc_push(&q, &b[i]->node), ZC_OK);
	}
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(zc_mpsc_pop(&q, &n), ZC_MPSC_GOT);
		got = zc_pbuf_from_node(n);
		ck_assert_ptr_eq(got, b[i]);
		ck_assert_uint_eq(got->user, (uintptr_t)i);
		zc_pbuf_release(got);
	}
}
END_TEST

static Suite *mpsc_suite(void)
{
	Suite *s = suite_create("mpsc");
	TCase *tc = tcase_create("core");
	TCase *st = tcase_create("stress");

	tcase_add_test(tc, init_rejects_null_and_starts_empty);
	tcase_add_test(tc, one_thread_fifo_and_reuse);
	tcase_add_test(tc, half_done_push_is_busy_not_empty);
	tcase_add_test(tc, bounded_queue_refuses_past_its_bound);
	tcase_add_test(tc, pbufs_travel_through_the_queue);
	suite_add_tcase(s, tc);

	tcase_set_timeout(st, 120);
	tcase_add_test(st, stress_four_producers_unbounded);
	tcase_add_test(st, stress_four_producers_bounded);
	tcase_add_test(st, stress_one_producer);
	tcase_add_test(st, racing_producers_fill_exactly_to_the_bound);
	suite_add_tcase(s, st);
	return s;
}

int main(void)
{
	return zc_test_run(mpsc_suite());
}
