/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_pool.c - packet buffers and bounded pools: sizes and bounds,
 * head and tail room, fail-fast and waiting claims, release from other
 * threads, and claimers racing on the lock-free free list.
 *
 * ZC_STRESS_ITEMS scales the stress tests as in check_mpsc.c.
 */
#include "testutil.h"
#include "stress.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>


/*
 * Waiting for another thread: spin briefly, then yield, then sleep. The test
 * machine may have fewer CPUs than the test has threads, and other jobs on
 * them; spinning or yielding forever there burns the time the awaited
 * thread needs.
 */
static void backoff(unsigned *n)
{
	if (*n < 64) {
		__asm__ __volatile__("" ::: "memory");
	} else if (*n < 80) {
		sched_yield();
	} else {
		struct timespec ts = {0, 20000};
		nanosleep(&ts, NULL);
	}
	++*n;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static zc_pool *make_pool(size_t count, size_t buf_size, size_t headroom)
{
	zc_pool_cfg cfg = {count, buf_size, headroom, 0};
	zc_pool *p = NULL;

	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_OK);
	ck_assert_ptr_nonnull(p);
	return p;
}

static zc_pool_stats stats(const zc_pool *p)
{
	zc_pool_stats st;
	ck_assert_int_eq(zc_pool_stats_get(p, &st), ZC_OK);
	return st;
}

START_TEST(create_checks_its_sizes)
{
	zc_pool_cfg cfg;
	zc_pool *p = (zc_pool *)&cfg;
	zc_pool_stats st;

	ck_assert_int_eq(zc_pool_create(NULL, &p), ZC_E_ARG);
	ck_assert_ptr_null(p);
	cfg = (zc_pool_cfg){4, 2048, 64, 0};
	ck_assert_int_eq(zc_pool_create(&cfg, NULL), ZC_E_ARG);
	cfg = (zc_pool_cfg){4, 0, 0, 0};
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){4, 100, 101, 0}; /* headroom beyond the buffer */
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){0, 100, 0, 0}; /* no size at all */
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){0, 2048, 0, 1000}; /* the byte cap holds no buffer */
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){5, 1000, 0, 4999}; /* count and byte cap disagree */
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){(size_t)UINT32_MAX, 64, 0, 0}; /* beyond the index space */
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);
	cfg = (zc_pool_cfg){SIZE_MAX / 64, 128, 0, 0};
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_E_ARG);

	/* The count can come from the byte cap alone. */
	cfg = (zc_pool_cfg){0, 1000, 100, 10500};
	ck_assert_int_eq(zc_pool_create(&cfg, &p), ZC_OK);
	st = stats(p);
	ck_assert_uint_eq(st.count, 10);
	ck_assert_uint_eq(st.buf_size, 1000);
	ck_assert_uint_eq(st.headroom, 100);
	ck_assert_uint_ge(st.mem_bytes, 10 * 1000 + 10 * sizeof(zc_pbuf));
	ck_assert_uint_eq(st.in_use, 0);
	zc_pool_destroy(p);
	zc_pool_destroy(NULL);
	ck_assert_int_eq(zc_pool_stats_get(NULL, &st), ZC_E_ARG);
}
END_TEST

START_TEST(fail_fast_claims_the_whole_pool_then_refuses)
{
	enum { N = 16, SIZE = 1500, HEAD = 128 };
	zc_pool *p = make_pool(N, SIZE, HEAD);
	zc_pbuf *b[N], *extra = (zc_pbuf *)p;
	zc_pool_stats st;
	int i, j, round;

	ck_assert_int_eq(zc_pool_claim(NULL, 0, &extra), ZC_E_ARG);
	ck_assert_int_eq(zc_pool_claim(p, 0, NULL), ZC_E_ARG);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++) {
			ck_assert_int_eq(zc_pool_claim(p, ZC_POOL_NOWAIT, &b[i]), ZC_OK);
			ck_assert(zc_pool_owns(p, b[i]));
			ck_assert_uint_eq(b[i]->cap, SIZE);
			ck_assert_uint_eq(b[i]->data.len, 0);
			ck_assert_uint_eq(zc_pbuf_headroom(b[i]), HEAD);
			ck_assert_uint_eq(zc_pbuf_tailroom(b[i]), SIZE - HEAD);
			ck_assert_uint_eq((uintptr_t)b[i]->base % 64, 0);
			ck_assert_uint_eq(b[i]->user, 0);
			/* Write the whole backing: AddressSanitizer checks the extent. */
			memset(b[i]->base, 0xa0 + i, SIZE);
			b[i]->user = 7;
			for (j = 0; j < i; j++) {
				ck_assert_ptr_ne(b[i], b[j]);
				/* Backings never overlap. */
				ck_assert(b[i]->base + SIZE <= b[j]->base || b[j]->base + SIZE <= b[i]->base);
			}
		}
		ck_assert_int_eq(zc_pool_claim(p, ZC_POOL_NOWAIT, &extra), ZC_E_NOBUFS);
		ck_assert_ptr_null(extra);
		st = stats(p);
		ck_assert_uint_eq(st.in_use, N);
		ck_assert_uint_eq(st.max_in_use, N);
		ck_assert_uint_eq(st.empty, (uint64_t)round + 1);
		for (i = 0; i < N; i++) {
			ck_assert_uint_eq(b[i]->base[SIZE - 1], (uint8_t)(0xa0 + i));
			zc_pbuf_release(b[i]);
		}
		ck_assert_uint_eq(stats(p).in_use, 0);
	}
	zc_pbuf_release(NULL);
	ck_assert(!zc_pool_owns(p, NULL));
	zc_pool_destroy(p);
}
END_TEST

START_TEST(head_and_tail_room_bounds)
{
	zc_pool *p = make_pool(1, 256, 32);
	zc_pbuf *b;
	uint8_t *h, *t;

	ck_assert_int_eq(zc_pool_claim(p, 0, &b), ZC_OK);
	/* A read of 100 bytes lands at data.p, then is marked valid. */
	memset(b->data.p, 0x11, 100);
	ck_assert_int_eq(zc_pbuf_push_tail(b, 100, &t), ZC_OK);
	ck_assert_ptr_eq(t, b->base + 32);
	ck_assert_uint_eq(b->data.len, 100);
	ck_assert_uint_eq(zc_pbuf_tailroom(b), 256 - 32 - 100);

	/* Encapsulate: 8 then 24 bytes in front, exactly the headroom. */
	ck_assert_int_eq(zc_pbuf_push_head(b, 8, &h), ZC_OK);
	ck_assert_ptr_eq(h, b->base + 24);
	memset(h, 0x22, 8);
	ck_assert_int_eq(zc_pbuf_push_head(b, 24, NULL), ZC_OK);
	ck_assert_ptr_eq(b->data.p, b->base);
	ck_assert_uint_eq(zc_pbuf_headroom(b), 0);
	ck_assert_uint_eq(b->data.len, 132);
	/* One more byte does not fit, and nothing changes. */
	h = NULL;
	ck_assert_int_eq(zc_pbuf_push_head(b, 1, &h), ZC_E_NOBUFS);
	ck_assert_ptr_null(h);
	ck_assert_ptr_eq(b->data.p, b->base);
	ck_assert_uint_eq(b->data.len, 132);

	/* Decapsulate the outer 24, then the 8; the payload is untouched. */
	ck_assert_int_eq(zc_pbuf_pull_head(b, 24), ZC_OK);
	ck_assert_uint_eq(b->data.p[0], 0x22);
	ck_assert_int_eq(zc_pbuf_pull_head(b, 8), ZC_OK);
	ck_assert_uint_eq(b->data.p[0], 0x11);
	ck_assert_uint_eq(b->data.len, 100);
	ck_assert_int_eq(zc_pbuf_pull_head(b, 101), ZC_E_TRUNCATED);
	ck_assert_uint_eq(b->data.len, 100);

	/* The tail: fill to the last byte of the backing, then one past. */
	ck_assert_int_eq(zc_pbuf_push_tail(b, 124, &t), ZC_OK);
	ck_assert_ptr_eq(t + 124, b->base + 256);
	ck_assert_uint_eq(zc_pbuf_tailroom(b), 0);
	ck_assert_int_eq(zc_pbuf_push_tail(b, 1, NULL), ZC_E_NOBUFS);
	ck_assert_uint_eq(b->data.len, 224);
	ck_assert_int_eq(zc_pbuf_pull_tail(b, 225), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_pbuf_pull_tail(b, 224), ZC_OK);
	ck_assert_uint_eq(b->data.len, 0);
	ck_assert_int_eq(zc_pbuf_pull_tail(b, 1), ZC_E_TRUNCATED);
	ck_assert_int_eq(zc_pbuf_pull_head(b, 0), ZC_OK);

	/* Reset moves the empty data anywhere within the backing. */
	ck_assert_int_eq(zc_pbuf_reset(b, 256), ZC_OK);
	ck_assert_uint_eq(zc_pbuf_tailroom(b), 0);
	ck_assert_int_eq(zc_pbuf_reset(b, 257), ZC_E_NOBUFS);
	ck_assert_int_eq(zc_pbuf_reset(b, 0), ZC_OK);
	ck_assert_uint_eq(zc_pbuf_tailroom(b), 256);
	/* Whatever the holder did, the next claim starts at the headroom. */
	zc_pbuf_release(b);
	ck_assert_int_eq(zc_pool_claim(p, 0, &b), ZC_OK);
	ck_assert_uint_eq(zc_pbuf_headroom(b), 32);
	ck_assert_uint_eq(b->data.len, 0);
	zc_pbuf_release(b);
	zc_pool_destroy(p);
}
END_TEST

static int recycled;

static void count_recycle(zc_pbuf *b, void *ctx)
{
	ck_assert_ptr_eq(ctx, &recycled);
	ck_assert_ptr_nonnull(b);
	recycled++;
}

START_TEST(buffers_outside_pools)
{
	uint8_t backing[512];
	zc_pbuf sb, *hb = NULL;

	ck_assert_int_eq(zc_pbuf_init(NULL, backing, 512, 0, NULL, NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_init(&sb, NULL, 512, 0, NULL, NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_init(&sb, backing, 512, 513, NULL, NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_init(&sb, NULL, 0, 0, NULL, NULL), ZC_OK);
	ck_assert_uint_eq(zc_pbuf_tailroom(&sb), 0);
	ck_assert_int_eq(zc_pbuf_push_tail(&sb, 1, NULL), ZC_E_NOBUFS);
	zc_pbuf_release(&sb); /* no recycler: nothing happens */

	/* Caller-owned backing with a recycler: called once per release. */
	recycled = 0;
	ck_assert_int_eq(zc_pbuf_init(&sb, backing, sizeof backing, 64, count_recycle, &recycled), ZC_OK);
	ck_assert_uint_eq(zc_pbuf_headroom(&sb), 64);
	ck_assert_uint_eq(zc_pbuf_tailroom(&sb), 448);
	zc_pbuf_release(&sb);
	ck_assert_int_eq(recycled, 1);

	/* malloc()ed: descriptor and backing in one block, freed on release. */
	ck_assert_int_eq(zc_pbuf_alloc(100, 101, &hb), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_alloc(100, 0, NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_alloc(SIZE_MAX - 8, 0, &hb), ZC_E_ARG);
	ck_assert_int_eq(zc_pbuf_alloc(9000, 64, &hb), ZC_OK);
	ck_assert_uint_eq(hb->cap, 9000);
	ck_assert_uint_eq(zc_pbuf_headroom(hb), 64);
	memset(hb->base, 0x5a, hb->cap);
	ck_assert_int_eq(zc_pbuf_push_tail(hb, 9000 - 64, NULL), ZC_OK);
	zc_pbuf_release(hb); /* LeakSanitizer reports it if this does not free */
}
END_TEST

/* Waiting. */

typedef struct releaser {
	pthread_t th;
	zc_pbuf *b;
	int delay_ms;
} releaser;

static void *release_later(void *arg)
{
	releaser *r = arg;
	sleep_ms(r->delay_ms);
	zc_pbuf_release(r->b);
	return NULL;
}

START_TEST(timed_wait_expires_on_an_empty_pool)
{
	zc_pool *p = make_pool(1, 64, 0);
	zc_pbuf *b, *c;
	double t0, dt;

	ck_assert_int_eq(zc_pool_claim(p, 0, &b), ZC_OK);
	t0 = now_ms();
	ck_assert_int_eq(zc_pool_claim(p, 100, &c), ZC_E_NOBUFS);
	dt = now_ms() - t0;
	ck_assert_ptr_null(c);
	ck_assert_msg(dt >= 95 && dt < 5000, "waited %.1f ms for a 100 ms timeout", dt);
	/* Fail-fast does not wait at all. */
	t0 = now_ms();
	ck_assert_int_eq(zc_pool_claim(p, ZC_POOL_NOWAIT, &c), ZC_E_NOBUFS);
	ck_assert_msg(now_ms() - t0 < 50, "a fail-fast claim took %.1f ms", now_ms() - t0);
	ck_assert_uint_eq(stats(p).empty, 2);
	zc_pbuf_release(b);
	zc_pool_destroy(p);
}
END_TEST

START_TEST(waiters_wake_on_a_release_from_another_thread)
{
	zc_pool *p = make_pool(1, 64, 0);
	releaser r;
	zc_pbuf *b, *c;
	double t0, dt;

	/* Forever: the claim returns when the other thread releases. */
	ck_assert_int_eq(zc_pool_claim(p, 0, &b), ZC_OK);
	r = (releaser){.b = b, .delay_ms = 50};
	ck_assert_int_eq(pthread_create(&r.th, NULL, release_later, &r), 0);
	t0 = now_ms();
	ck_assert_int_eq(zc_pool_claim(p, ZC_POOL_FOREVER, &c), ZC_OK);
	dt = now_ms() - t0;
	pthread_join(r.th, NULL);
	ck_assert_ptr_eq(c, b);
	ck_assert_msg(dt >= 40, "claim returned after %.1f ms, before the release", dt);

	/* A long timeout also ends at the release, not at the timeout. */
	r = (releaser){.b = c, .delay_ms = 20};
	ck_assert_int_eq(pthread_create(&r.th, NULL, release_later, &r), 0);
	t0 = now_ms();
	ck_assert_int_eq(zc_pool_claim(p, 10000, &b), ZC_OK);
	dt = now_ms() - t0;
	pthread_join(r.th, NULL);
	ck_assert_msg(dt < 5000, "claim took %.1f ms after a 20 ms release", dt);
	zc_pbuf_release(b);
	ck_assert_uint_eq(stats(p).in_use, 0);
	zc_pool_destroy(p);
}
END_TEST

/*
 * Stress 1: producers claim (waiting when the small pool runs dry), stamp the
 * buffer, and queue it; one consumer checks the stamps and releases, so every
 * buffer is claimed on one thread and released on another. The test keeps its
 * own count of buffers out and its maximum.
 */
#define NPROD 4
#define POOL_N 64
#define POOL_SIZE 256

typedef struct shared {
	zc_pool *pool;
	zc_mpsc q;
	uint64_t per;
	atomic_size_t out;
	atomic_size_t max_out;
	_Atomic uint64_t timeouts;
} shared;

typedef struct prod {
	pthread_t th;
	shared *sh;
	unsigned id;
} prod;

static void note_claim(shared *sh)
{
	size_t n = atomic_fetch_add(&sh->out, 1) + 1, m = atomic_load(&sh->max_out);
	while (n > m && !atomic_compare_exchange_weak(&sh->max_out, &m, n))
		;
}

static void *claim_stamp_push(void *arg)
{
	prod *pr = arg;
	shared *sh = pr->sh;
	uint64_t seq;

	for (seq = 0; seq < sh->per; seq++) {
		zc_pbuf *b;
		uint8_t *t;
		/* Alternate modes: forever, a short timeout (retried), fail-fast (retried). */
		int mode = (int)(seq % 3);
		int timeout = mode == 0 ? ZC_POOL_FOREVER : mode == 1 ? 1 : ZC_POOL_NOWAIT;

		unsigned wait = 0;

		while (zc_pool_claim(sh->pool, timeout, &b) != ZC_OK) {
			atomic_fetch_add_explicit(&sh->timeouts, 1, memory_order_relaxed);
			if (timeout == ZC_POOL_NOWAIT)
				backoff(&wait);
		}
		note_claim(sh);
		if (zc_pbuf_push_tail(b, 16, &t) != ZC_OK)
			abort();
		zc_store_be32(t, pr->id);
		memcpy(t + 4, &seq, sizeof seq);
		zc_store_be32(t + 12, 0xfeedface);
		b->user = pr->id;
		if (zc_mpsc_push(&sh->q, &b->node) != ZC_OK)
			abort();
	}
	return NULL;
}

START_TEST(stress_claim_here_release_there)
{
	shared sh;
	prod pr[NPROD];
	uint64_t expect[NPROD] = {0}, got = 0, total;
	zc_pool_stats st;
	zc_pbuf *all[POOL_N];
	unsigned i, wait = 0;

	memset(&sh, 0, sizeof sh);
	sh.pool = make_pool(POOL_N, POOL_SIZE, 64);
	sh.per = stress_items() / NPROD / 2; /* each item is a claim and a release */
	total = sh.per * NPROD;
	zc_mpsc_init(&sh.q, 0);
	for (i = 0; i < NPROD; i++) {
		pr[i] = (prod){.sh = &sh, .id = i};
		ck_assert_int_eq(pthread_create(&pr[i].th, NULL, claim_stamp_push, &pr[i]), 0);
	}
	while (got < total) {
		zc_mpsc_node *n;
		zc_pbuf *b;
		uint32_t id;
		uint64_t seq;

		if (zc_mpsc_pop_spin(&sh.q, &n, 64) != ZC_MPSC_GOT) {
			backoff(&wait);
			continue;
		}
		wait = 0;
		b = zc_pbuf_from_node(n);
		/* Plain checks: each ck_assert is a write to Check's pipe. */
		if (!zc_pool_owns(sh.pool, b) || b->data.len != 16)
			ck_abort_msg("a foreign or resized buffer came through the queue");
		id = zc_load_be32(b->data.p);
		memcpy(&seq, b->data.p + 4, sizeof seq);
		if (id >= NPROD || b->user != id || seq != expect[id] || zc_load_be32(b->data.p + 12) != 0xfeedface)
			ck_abort_msg("buffer stamped %u/%llu came when %llu was due", id, (unsigned long long)seq,
				     id < NPROD ? (unsigned long long)expect[id] : 0ULL);
		expect[id]++;
		got++;
		atomic_fetch_sub(&sh.out, 1);
		zc_pbuf_release(b);
	}
	for (i = 0; i < NPROD; i++) {
		pthread_join(pr[i].th, NULL);
		ck_assert_uint_eq(expect[i], sh.per);
	}
	st = stats(sh.pool);
	ck_assert_uint_le(atomic_load(&sh.max_out), POOL_N);
	ck_assert_uint_le(st.max_in_use, POOL_N);
	ck_assert_uint_eq(st.in_use, 0);
	/* No leak and no buffer twice on the free list: exactly POOL_N come back. */
	for (i = 0; i < POOL_N; i++)
		ck_assert_int_eq(zc_pool_claim(sh.pool, ZC_POOL_NOWAIT, &all[i]), ZC_OK);
	ck_assert_int_eq(zc_pool_claim(sh.pool, ZC_POOL_NOWAIT, &all[0]), ZC_E_NOBUFS);
	for (i = 0; i < POOL_N; i++)
		zc_pbuf_release(all[i]);
	fprintf(stderr, "pool stress: %llu items through %d buffers, max out %zu, %llu empty claims\n",
		(unsigned long long)total, POOL_N, atomic_load(&sh.max_out), (unsigned long long)st.empty);
	zc_pool_destroy(sh.pool);
}
END_TEST

/*
 * Stress 2: threads claim two buffers and release them, first claimed first,
 * as fast as they can on a pool of three, so that the same buffer keeps
 * leaving and coming back to the head of the free list: the ABA pattern. A
 * free list without its tag then hands one buffer to two threads or loses
 * buffers. Each buffer carries an ownership flag the test sets on claim;
 * finding it set is a double claim. The race needs a thread delayed inside a
 * window of a few instructions, so this is a probabilistic detector: with
 * the tag removed it failed about one run in six on a loaded 2-CPU machine.
 */
#ifndef ABA_THREADS
#define ABA_THREADS 4
#endif
#ifndef ABA_HOLD
#define ABA_HOLD 2
#endif
#ifndef ABA_POOL
#define ABA_POOL 3
#endif

typedef struct aba {
	zc_pool *pool;
	zc_pbuf *first; /* the pool's lowest descriptor: buffer i is first + i */
	atomic_int owner[ABA_POOL];
	uint64_t rounds;
	atomic_size_t out, max_out;
	_Atomic uint64_t double_claims;
} aba;

static void *claim_release_loop(void *arg)
{
	aba *a = arg;
	static atomic_uint next_id;
	int me = (int)atomic_fetch_add(&next_id, 1) + 1;
	uint64_t r;

	for (r = 0; r < a->rounds; r++) {
		zc_pbuf *held[ABA_HOLD];
		int n = 0, i;

		for (i = 0; i < ABA_HOLD; i++) {
			zc_pbuf *b;
			int free_ = 0;
			size_t o, m;

			if (zc_pool_claim(a->pool, ZC_POOL_NOWAIT, &b) != ZC_OK)
				continue;
			if (!atomic_compare_exchange_strong(&a->owner[b - a->first], &free_, me))
				atomic_fetch_add(&a->double_claims, 1);
			o = atomic_fetch_add(&a->out, 1) + 1;
			m = atomic_load(&a->max_out);
			while (o > m && !atomic_compare_exchange_weak(&a->max_out, &m, o))
				;
			b->data.p[0] = (uint8_t)me;
			held[n++] = b;
		}
		for (i = 0; i < n; i++) {
			if (held[i]->data.p[0] != (uint8_t)me)
				atomic_fetch_add(&a->double_claims, 1);
			atomic_store(&a->owner[held[i] - a->first], 0);
			atomic_fetch_sub(&a->out, 1);
			zc_pbuf_release(held[i]);
		}
	}
	return NULL;
}

START_TEST(stress_racing_claims_never_share_a_buffer)
{
	static aba a;
	pthread_t th[ABA_THREADS];
	zc_pbuf *all[ABA_POOL];
	unsigned i;

	memset(&a, 0, sizeof a);
	a.pool = make_pool(ABA_POOL, 64, 0);
	a.rounds = stress_items() / ABA_THREADS / ABA_HOLD / 2;
	/* Find the descriptor array's start: a fresh pool hands out buffer 0 first. */
	for (i = 0; i < ABA_POOL; i++)
		ck_assert_int_eq(zc_pool_claim(a.pool, 0, &all[i]), ZC_OK);
	a.first = all[0];
	for (i = 0; i < ABA_POOL; i++) {
		ck_assert_ptr_eq(all[i], a.first + i);
		zc_pbuf_release(all[ABA_POOL - 1 - i]);
	}
	for (i = 0; i < ABA_THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, claim_release_loop, &a), 0);
	for (i = 0; i < ABA_THREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(atomic_load(&a.double_claims), 0);
	ck_assert_uint_le(atomic_load(&a.max_out), ABA_POOL);
	ck_assert_uint_eq(stats(a.pool).in_use, 0);
	ck_assert_uint_le(stats(a.pool).max_in_use, ABA_POOL);
	for (i = 0; i < ABA_POOL; i++)
		ck_assert_int_eq(zc_pool_claim(a.pool, 0, &all[i]), ZC_OK);
	ck_assert_int_eq(zc_pool_claim(a.pool, 0, &all[0]), ZC_E_NOBUFS);
	for (i = 0; i < ABA_POOL; i++)
		zc_pbuf_release(all[i]);
	zc_pool_destroy(a.pool);
}
END_TEST

static Suite *pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("core");
	TCase *st = tcase_create("stress");

	tcase_add_test(tc, create_checks_its_sizes);
	tcase_add_test(tc, fail_fast_claims_the_whole_pool_then_refuses);
	tcase_add_test(tc, head_and_tail_room_bounds);
	tcase_add_test(tc, buffers_outside_pools);
	tcase_add_test(tc, timed_wait_expires_on_an_empty_pool);
	tcase_add_test(tc, waiters_wake_on_a_release_from_another_thread);
	suite_add_tcase(s, tc);

	tcase_set_timeout(st, 120);
	tcase_add_test(st, stress_claim_here_release_there);
	tcase_add_test(st, stress_racing_claims_never_share_a_buffer);
	suite_add_tcase(s, st);
	return s;
}

int main(void)
{
	return zc_test_run(pool_suite());
}
