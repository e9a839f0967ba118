/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_zctun_order.c - zctun's ordered hand-over (examples/zctun/
 * order.c), the serial stage behind the decryption workers: items pushed
 * in order and finished in another order come out in the order pushed,
 * each only once finished; and under load, with three worker threads that
 * finish what they hold newest first, against one consumer thread.
 */
#include "testutil.h"
#include "stress.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "zctun.h"

typedef struct item {
	zctun_order_item it;
	zc_mpsc_node wnode; /* its worker's queue, as a receive buffer's zc_pbuf node */
	size_t seq;
} item;

static item *item_of(zctun_order_item *it) { return (item *)(void *)((char *)it - offsetof(item, it)); }

START_TEST(released_in_push_order_once_done)
{
	static item x[4];
	zctun_order o;
	bool idle = false;
	unsigned i;

	zctun_order_init(&o);
	ck_assert_ptr_null(zctun_order_next(&o, 0, &idle));
	ck_assert(idle);
	for (i = 0; i < 3; i++) {
		x[i].seq = i;
		zctun_order_push(&o, &x[i].it, false);
	}
	/* The newer ones finish first: nothing may come out before the oldest does. */
	zctun_order_done(&o, &x[2].it);
	zctun_order_done(&o, &x[1].it);
	ck_assert_ptr_null(zctun_order_next(&o, 0, &idle));
	ck_assert(!idle);
	ck_assert_ptr_null(zctun_order_next(&o, 1, &idle));
	zctun_order_done(&o, &x[0].it);
	for (i = 0; i < 3; i++)
		ck_assert_ptr_eq(zctun_order_next(&o, 0, &idle), &x[i].it);
	ck_assert_ptr_null(zctun_order_next(&o, 0, &idle));
	ck_assert(idle);
	/* One pushed finished already comes out at once; the items can be used again. */
	x[3].seq = 3;
	zctun_order_push(&o, &x[3].it, true);
	ck_assert_ptr_eq(zctun_order_next(&o, 0, &idle), &x[3].it);
	zctun_order_push(&o, &x[0].it, false);
	ck_assert_ptr_null(zctun_order_next(&o, 0, &idle));
	zctun_order_done(&o, &x[0].it);
	ck_assert_ptr_eq(zctun_order_next(&o, 0, &idle), &x[0].it);
}
END_TEST

#define NWORKERS 3
#define HOLD 8 /* items a worker takes before it finishes them, newest first */

typedef struct worker {
	zc_mpsc in;
	pthread_t th;
} worker;

static struct {
	zctun_order o;
	worker w[NWORKERS];
	item *items;
	size_t n;
	atomic_bool produced;
	_Atomic size_t top;        /* the highest seq finished so far */
	_Atomic size_t inversions; /* items finished after a newer one */
	size_t got, bad;           /* the consumer's */
} S;

static void *worker_main(void *arg)
{
	worker *w = arg;

	for (;;) {
		item *held[HOLD];
		zc_mpsc_node *n;
		unsigned k = 0;

		while (k < HOLD && zc_mpsc_pop_spin(&w->in, &n, 64) == ZC_MPSC_GOT)
			held[k++] = (item *)(void *)((char *)n - offsetof(item, wnode));
		if (k == 0) {
			if (atomic_load(&S.produced) && zc_mpsc_pop(&w->in, &n) == ZC_MPSC_EMPTY)
				break;
			sched_yield();
			continue;
		}
		/* Deliberately out of order: the newest of what it holds first. */
		while (k--) {
			size_t seq = held[k]->seq, top = atomic_load(&S.top);

			if (seq < top)
				atomic_fetch_add(&S.inversions, 1);
			while (seq > top && !atomic_compare_exchange_weak(&S.top, &top, seq))
				;
			zctun_order_done(&S.o, &held[k]->it);
		}
	}
	return NULL;
}

static void *consumer_main(void *arg)
{
	(void)arg;
	while (S.got < S.n) {
		bool idle;
		zctun_order_item *it = zctun_order_next(&S.o, 10, &idle);

		if (!it)
			continue;
		if (item_of(it)->seq != S.got)
			S.bad++;
		S.got++;
	}
	return NULL;
}

START_TEST(workers_finish_out_of_order_consumer_sees_order)
{
	pthread_t cons;
	size_t i;
	unsigned k;

	memset(&S, 0, sizeof S);
	S.n = stress_items() / 10;
	S.items = calloc(S.n, sizeof *S.items);
	ck_assert_ptr_nonnull(S.items);
	zctun_order_init(&S.o);
	for (k = 0; k < NWORKERS; k++) {
		zc_mpsc_init(&S.w[k].in, 0);
		ck_assert_int_eq(pthread_create(&S.w[k].th, NULL, worker_main, &S.w[k]), 0);
	}
	ck_assert_int_eq(pthread_create(&cons, NULL, consumer_main, NULL), 0);
	/* One producer, as the receiver: in order to the hand-over, then round robin to a worker. */
	for (i = 0; i < S.n; i++) {
		S.items[i].seq = i;
		zctun_order_push(&S.o, &S.items[i].it, false);
		ck_assert_int_eq(zc_mpsc_push(&S.w[i % NWORKERS].in, &S.items[i].wnode), ZC_OK);
	}
	atomic_store(&S.produced, true);
	for (k = 0; k < NWORKERS; k++)
		pthread_join(S.w[k].th, NULL);
	pthread_join(cons, NULL);
	ck_assert_uint_eq(S.got, S.n);
	ck_assert_uint_eq(S.bad, 0);
	/* The workers did finish items out of order (else this proved nothing). */
	ck_assert_uint_gt(atomic_load(&S.inversions), 0);
	free(S.items);
}
END_TEST

static Suite *order_suite(void)
{
	Suite *s = suite_create("zctun_order");
	TCase *tc = tcase_create("core");
	TCase *st = tcase_create("stress");

	tcase_add_test(tc, released_in_push_order_once_done);
	suite_add_tcase(s, tc);
	tcase_set_timeout(st, 120);
	tcase_add_test(st, workers_finish_out_of_order_consumer_sees_order);
	suite_add_tcase(s, st);
	return s;
}

int main(void)
{
	return zc_test_run(order_suite());
}
