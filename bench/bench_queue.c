/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_queue.c - the MPSC queue against a mutex-protected queue, and
 * pool claim+release against malloc/free, measured in the same run.
 *
 * Usage: bench_queue [ITEMS]   (default 10000000; also ZC_BENCH_ITEMS)
 *
 * Queue: producers push ITEMS nodes in total (split between them), one
 * consumer pops them; ns/op is wall time over ITEMS, so one op is a push and
 * a pop. Each producer reuses a ring of 1024 nodes, taking a node back only
 * after the consumer has popped it, so memory stays small and both queues
 * see the same flow control.
 *
 * Pool: a claim and a release of a 2048-byte buffer against malloc(2048) and
 * free(), on one thread (one at a time, and in batches of 32 as a recvmmsg
 * edge would), and across threads (claimed on one, sent through the MPSC
 * queue, released on the other, with at most 1024 buffers out for every
 * contender). A mutex-protected free list stands for the locking design.
 *
 * Each figure is the best of RUNS runs: on a shared machine the best run is
 * the one least disturbed by others, and the median is printed beside it.
 */
#include "zc.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5
#define RING 1024
#define BUF_SIZE 2048
#define POOL_N 1024
#define BATCH 32

static uint64_t items = 10000000;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

typedef struct result {
	double best, median;
} result;

static result summarize(double *ns, int n)
{
	result r;
	qsort(ns, (size_t)n, sizeof *ns, cmp_double);
	r.best = ns[0];
	r.median = ns[n / 2];
	return r;
}

/* ---------------------------------------------------------------- queues */

typedef struct node {
	zc_mpsc_node mn;         /* for zc_mpsc */
	struct node *next;       /* for the mutex queue */
	unsigned producer;
	uint64_t seq;
} node;

/* The comparison: an intrusive list under one mutex, the textbook design. */
typedef struct mutex_queue {
	pthread_mutex_t lock;
	node *head, *tail;
} mutex_queue;

static void mq_push(mutex_queue *q, node *n)
{
	n->next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	pthread_mutex_unlock(&q->lock);
}

static node *mq_pop(mutex_queue *q)
{
	node *n;

	pthread_mutex_lock(&q->lock);
	n = q->head;
	if (n) {
		q->head = n->next;
		if (!q->head)
			q->tail = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

typedef struct qbench {
	bool use_mutex;
	size_t max; /* zc_mpsc bound; 0 for none */
	zc_mpsc q;
	mutex_queue mq;
	unsigned nprod;
	uint64_t per;
	atomic_bool go;
} qbench;

typedef struct qprod {
	pthread_t th;
	qbench *b;
	unsigned id;
	node *ring;
	_Alignas(64) _Atomic uint64_t popped;
	char pad[64 - sizeof(uint64_t)];
} qprod;

static qprod prods[2];

static void *q_producer(void *arg)
{
	qprod *p = arg;
	qbench *b = p->b;
	uint64_t seq, done = 0;

	while (!atomic_load_explicit(&b->go, memory_order_acquire))
		;
	for (seq = 0; seq < b->per; seq++) {
		node *n;

		while (seq - done >= RING) {
			done = atomic_load_explicit(&p->popped, memory_order_acquire);
			if (seq - done >= RING)
				sched_yield();
		}
		n = &p->ring[seq % RING];
		n->producer = p->id;
		n->seq = seq;
		if (b->use_mutex)
			mq_push(&b->mq, n);
		else
			while (zc_mpsc_push(&b->q, &n->mn) == ZC_E_FULL)
				sched_yield();
	}
	return NULL;
}

static double run_queue(bool use_mutex, size_t max, unsigned nprod)
{
	static qbench b;
	uint64_t got = 0, total, expect[2] = {0, 0};
	unsigned i, idle = 0;
	double t0, t1;

	memset(&b, 0, sizeof b);
	b.use_mutex = use_mutex;
	b.max = max;
	b.nprod = nprod;
	b.per = items / nprod;
	total = b.per * nprod;
	zc_mpsc_init(&b.q, max);
	pthread_mutex_init(&b.mq.lock, NULL);
	for (i = 0; i < nprod; i++) {
		memset(&prods[i], 0, sizeof prods[i]);
		prods[i].b = &b;
		prods[i].id = i;
		prods[i].ring = aligned_alloc(64, RING * sizeof(node));
		pthread_create(&prods[i].th, NULL, q_producer, &prods[i]);
	}
	t0 = now_ns();
	atomic_store_explicit(&b.go, true, memory_order_release);
	while (got < total) {
		node *n = NULL;

		if (use_mutex) {
			n = mq_pop(&b.mq);
		} else {
			zc_mpsc_node *mn;
			if (zc_mpsc_pop_spin(&b.q, &mn, 64) == ZC_MPSC_GOT)
				n = (node *)(void *)((char *)mn - offsetof(node, mn));
		}
		if (!n) {
			/* More threads than CPUs is likely here: do not starve producers. */
			if (++idle > 64)
				sched_yield();
			continue;
		}
		idle = 0;
		if (n->seq != expect[n->producer]) {
			fprintf(stderr, "bench_queue: order broken\n");
			exit(1);
		}
		expect[n->producer]++;
		atomic_store_explicit(&prods[n->producer].popped, expect[n->producer], memory_order_release);
		got++;
	}
	t1 = now_ns();
	for (i = 0; i < nprod; i++) {
		pthread_join(prods[i].th, NULL);
		free(prods[i].ring);
	}
	pthread_mutex_destroy(&b.mq.lock);
	return (t1 - t0) / (double)total;
}

/*
 * One thread pushes BATCH nodes and pops them again: the cost of the
 * operations themselves, free of scheduling, which dominates the threaded
 * figures when the machine has more runnable threads than CPUs.
 */
static double run_queue_single(bool use_mutex, size_t max)
{
	static node ring[BATCH];
	static qbench b;
	uint64_t i, n = items / BATCH * BATCH;
	unsigned k;
	double t0;

	memset(&b, 0, sizeof b);
	zc_mpsc_init(&b.q, max);
	pthread_mutex_init(&b.mq.lock, NULL);
	t0 = now_ns();
	for (i = 0; i < n; i += BATCH) {
		for (k = 0; k < BATCH; k++) {
			if (use_mutex)
				mq_push(&b.mq, &ring[k]);
			else
				zc_mpsc_push(&b.q, &ring[k].mn);
		}
		for (k = 0; k < BATCH; k++) {
			zc_mpsc_node *mn;

			if (use_mutex ? !mq_pop(&b.mq) : zc_mpsc_pop(&b.q, &mn) != ZC_MPSC_GOT)
				abort();
		}
	}
	pthread_mutex_destroy(&b.mq.lock);
	return (now_ns() - t0) / (double)n;
}

/* ---------------------------------------------------------------- pools */

/* The comparison: a free list under a mutex. */
typedef struct mutex_pool {
	pthread_mutex_t lock;
	zc_pbuf *free;
	zc_pbuf *bufs;
	uint8_t *slab;
} mutex_pool;

static void mp_recycle(zc_pbuf *b, void *ctx)
{
	mutex_pool *p = ctx;

	pthread_mutex_lock(&p->lock);
	b->user = (uintptr_t)p->free;
	p->free = b;
	pthread_mutex_unlock(&p->lock);
}

static zc_pbuf *mp_claim(mutex_pool *p)
{
	zc_pbuf *b;

	pthread_mutex_lock(&p->lock);
	b = p->free;
	if (b)
		p->free = (zc_pbuf *)b->user;
	pthread_mutex_unlock(&p->lock);
	if (b)
		zc_pbuf_reset(b, 64);
	return b;
}

static void mp_init(mutex_pool *p)
{
	size_t i;

	pthread_mutex_init(&p->lock, NULL);
	p->bufs = aligned_alloc(64, POOL_N * sizeof(zc_pbuf));
	p->slab = aligned_alloc(64, (size_t)POOL_N * BUF_SIZE);
	memset(p->slab, 0, (size_t)POOL_N * BUF_SIZE);
	p->free = NULL;
	for (i = 0; i < POOL_N; i++) {
		zc_pbuf_init(&p->bufs[i], p->slab + i * BUF_SIZE, BUF_SIZE, 64, mp_recycle, p);
		mp_recycle(&p->bufs[i], p);
	}
}

static void mp_fini(mutex_pool *p)
{
	pthread_mutex_destroy(&p->lock);
	free(p->bufs);
	free(p->slab);
}

enum contender { ZC_POOL, MUTEX_POOL, MALLOC };
static const char *const contender_name[] = {"zc_pool", "mutex pool", "malloc/free"};

static zc_pool *the_pool;
static mutex_pool the_mpool;
static volatile uint8_t sink;

static inline void *get_buf(enum contender c, zc_pbuf **pb)
{
	switch (c) {
	case ZC_POOL:
		if (zc_pool_claim(the_pool, ZC_POOL_FOREVER, pb) != ZC_OK)
			abort();
		return (*pb)->data.p;
	case MUTEX_POOL:
		while (!(*pb = mp_claim(&the_mpool)))
			sched_yield();
		return (*pb)->data.p;
	default: {
		void *m = malloc(BUF_SIZE);
		if (!m)
			abort();
		*pb = NULL;
		return m;
	}
	}
}

static inline void put_buf(enum contender c, zc_pbuf *pb, void *m)
{
	if (c == MALLOC)
		free(m);
	else
		zc_pbuf_release(pb);
}

/* One thread, one buffer at a time: the cost of the pair at its lowest. */
static double run_pool_single(enum contender c, bool batched)
{
	zc_pbuf *pb[BATCH];
	void *m[BATCH];
	uint64_t i, n = items / BATCH * BATCH;
	unsigned k;
	double t0 = now_ns();

	if (!batched) {
		for (i = 0; i < n; i++) {
			m[0] = get_buf(c, &pb[0]);
			((uint8_t *)m[0])[0] = (uint8_t)i; /* touch it, as a read would */
			put_buf(c, pb[0], m[0]);
		}
	} else {
		for (i = 0; i < n; i += BATCH) {
			for (k = 0; k < BATCH; k++) {
				m[k] = get_buf(c, &pb[k]);
				((uint8_t *)m[k])[0] = (uint8_t)k;
			}
			for (k = 0; k < BATCH; k++)
				put_buf(c, pb[k], m[k]);
		}
	}
	sink = ((uint8_t *)m[0])[0];
	return (now_ns() - t0) / (double)n;
}

/* Across threads: claimed here, queued, released there. */

typedef struct msg {
	zc_mpsc_node mn;
	zc_pbuf *pb;
} msg;

typedef struct xbench {
	enum contender c;
	zc_mpsc q;
	uint64_t n;
	_Atomic uint64_t out; /* buffers claimed and not yet released */
	atomic_bool go;
} xbench;

/*
 * For malloc the queue node lives in the malloc()ed block itself, as it
 * lives in the zc_pbuf for the pools: no contender pays for a wrapper.
 */
static void *x_producer(void *arg)
{
	xbench *x = arg;
	uint64_t i;

	while (!atomic_load_explicit(&x->go, memory_order_acquire))
		;
	for (i = 0; i < x->n; i++) {
		zc_pbuf *pb;
		void *m;

		/* Every contender keeps at most POOL_N buffers out. */
		while (atomic_load_explicit(&x->out, memory_order_relaxed) >= POOL_N)
			sched_yield();
		atomic_fetch_add_explicit(&x->out, 1, memory_order_relaxed);
		m = get_buf(x->c, &pb);
		((uint8_t *)m)[0] = (uint8_t)i;
		if (x->c == MALLOC)
			zc_mpsc_push(&x->q, (zc_mpsc_node *)m);
		else
			zc_mpsc_push(&x->q, &pb->node);
	}
	return NULL;
}

static double run_pool_cross(enum contender c)
{
	static xbench x;
	pthread_t th;
	uint64_t got = 0;
	unsigned idle = 0;
	double t0, t1;

	memset(&x, 0, sizeof x);
	x.c = c;
	x.n = items / 2;
	zc_mpsc_init(&x.q, 0);
	pthread_create(&th, NULL, x_producer, &x);
	t0 = now_ns();
	atomic_store_explicit(&x.go, true, memory_order_release);
	while (got < x.n) {
		zc_mpsc_node *mn;

		if (zc_mpsc_pop_spin(&x.q, &mn, 64) != ZC_MPSC_GOT) {
			if (++idle > 64)
				sched_yield();
			continue;
		}
		idle = 0;
		if (c == MALLOC)
			free(mn);
		else
			zc_pbuf_release(zc_pbuf_from_node(mn));
		atomic_fetch_sub_explicit(&x.out, 1, memory_order_relaxed);
		got++;
	}
	t1 = now_ns();
	pthread_join(th, NULL);
	return (t1 - t0) / (double)x.n;
}

/* ---------------------------------------------------------------- main */

static result best_of(double (*fn)(const void *), const void *arg)
{
	double ns[RUNS];
	int i;

	for (i = 0; i < RUNS; i++)
		ns[i] = fn(arg);
	return summarize(ns, RUNS);
}

typedef struct qarg { bool mutex; size_t max; unsigned nprod; } qarg;
typedef struct parg { enum contender c; int mode; } parg; /* 0 single, 1 batched, 2 cross */

static double qrun(const void *a)
{
	const qarg *q = a;
	return q->nprod ? run_queue(q->mutex, q->max, q->nprod) : run_queue_single(q->mutex, q->max);
}

static double prun(const void *a)
{
	const parg *p = a;
	return p->mode == 2 ? run_pool_cross(p->c) : run_pool_single(p->c, p->mode == 1);
}

/* The machine's load average, since other work on it skews every figure. */
static const char *loadavg(void)
{
	static char buf[64] = "unknown\n";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fgets(buf, sizeof buf, f)) {
			char *sp = strchr(buf, ' ');
			/* The first three fields: 1, 5 and 15 minutes. */
			if (sp && (sp = strchr(sp + 1, ' ')) && (sp = strchr(sp + 1, ' ')))
				strcpy(sp, "\n");
		}
		fclose(f);
	}
	return buf;
}

int main(int argc, char **argv)
{
	const char *env = getenv("ZC_BENCH_ITEMS");
	zc_pool_cfg cfg = {POOL_N, BUF_SIZE, 64, 0};
	zc_pool_stats st;
	unsigned nprod;
	int mode;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: bench_queue [ITEMS]   (default 10000000; also ZC_BENCH_ITEMS)\n");
		return 0;
	}
	if (argc > 1)
		items = strtoull(argv[1], NULL, 10);
	else if (env && *env)
		items = strtoull(env, NULL, 10);
	if (items < 1000) {
		fprintf(stderr, "bench_queue: ITEMS must be at least 1000\n");
		return 2;
	}
	if (zc_pool_create(&cfg, &the_pool) != ZC_OK) {
		fprintf(stderr, "bench_queue: cannot create the pool\n");
		return 1;
	}
	mp_init(&the_mpool);
	zc_pool_stats_get(the_pool, &st);

	printf("bench_queue: %llu items, best (median) of %d runs, %ld CPUs online, load average %s",
	       (unsigned long long)items, RUNS, sysconf(_SC_NPROCESSORS_ONLN), loadavg());
	printf("\nmemory\n");
	printf("  zc_mpsc (per queue)          %4zu bytes (%zu of them padding between producer and consumer lines)\n",
	       sizeof(zc_mpsc), (size_t)ZC_MPSC_PAD_LEN);
	printf("  zc_mpsc_node (per item)      %4zu bytes, inside the buffer\n", sizeof(zc_mpsc_node));
	printf("  mutex queue (per queue)      %4zu bytes\n", sizeof(mutex_queue));
	printf("  zc_pbuf (per buffer)         %4zu bytes\n", sizeof(zc_pbuf));
	printf("  zc_pool per buffer           %4zu bytes = %d backing + %zu descriptor, link and share of the pool\n",
	       st.mem_bytes / st.count, BUF_SIZE, st.mem_bytes / st.count - BUF_SIZE);
	printf("  zc_pool of %zu x %zu          %zu bytes, all allocated and touched at creation\n", st.count,
	       st.buf_size, st.mem_bytes);

	printf("\nqueue: push + pop, ns per item (bounded: zc_mpsc with max 4096, so with its counter)\n");
	for (nprod = 0; nprod <= 2; nprod++) {
		qarg qa = {false, 0, nprod}, qb = {false, 4096, nprod}, qm = {true, 0, nprod};
		result a = best_of(qrun, &qa), bd = best_of(qrun, &qb), m = best_of(qrun, &qm);
		static const char *const what[] = {"1 thread    ", "1 producer  ", "2 producers "};

		printf("  %s zc_mpsc %6.1f (%6.1f)   bounded %6.1f (%6.1f)   mutex queue %6.1f (%6.1f)"
		       "   mutex/zc_mpsc %.2fx\n",
		       what[nprod], a.best, a.median, bd.best, bd.median, m.best, m.median, m.best / a.best);
	}
	printf("  (1 thread: pushes %d, pops them, again; producers: plus a consumer thread)\n", BATCH);

	printf("\npool: claim + release of a %d-byte buffer, ns per pair\n", BUF_SIZE);
	for (mode = 0; mode < 3; mode++) {
		static const char *const mode_name[] = {"one thread, one at a time", "one thread, batches of 32",
							"claim on one thread, release on another"};
		result r[3];
		int c;

		for (c = 0; c < 3; c++) {
			parg pa = {(enum contender)c, mode};
			r[c] = best_of(prun, &pa);
		}
		printf("  %s\n", mode_name[mode]);
		for (c = 0; c < 3; c++)
			printf("    %-12s %6.1f (%6.1f)   %s/zc_pool %.2fx\n", contender_name[c], r[c].best, r[c].median,
			       contender_name[c], r[c].best / r[0].best);
	}
	zc_pool_stats_get(the_pool, &st);
	printf("\nzc_pool afterwards: %zu in use, at most %zu of %zu ever, %llu claims found it empty\n", st.in_use,
	       st.max_in_use, st.count, (unsigned long long)st.empty);
	mp_fini(&the_mpool);
	zc_pool_destroy(the_pool);
	return 0;
}
