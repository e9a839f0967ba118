/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/crypt.c - UDP -> TUN with --workers N: the decryption
 * workers, and the ordered hand-over that gives the TUN writer every
 * receive buffer in the order it came off the socket.
 *
 * Kernel WireGuard's design: each packet is queued twice, once in order
 * (there on the peer's serial queue) and once for whichever CPU will
 * decrypt it; the serial stage releases packets only in order, each once
 * its decryption is done. Here the unit is a receive buffer (one datagram
 * or one UDP GRO train of a single sender), the ordered queue is the one to
 * the TUN writer, which is the serial stage, and a buffer's second link,
 * its zc_pbuf node, puts it on one worker's queue (round robin). One
 * order for all buffers keeps each peer's order, as it does each flow's;
 * a slow buffer holds back those behind it, which a per-peer queue would
 * not, but with two or four workers the head is seldom far behind.
 *
 * Nothing is allocated per packet: both links live in the buffer (the
 * order item in its zctun_rxmeta), the workers' queues are bounded by the
 * receive pool, and every buffer in flight is one of the pool's.
 * Handshakes are not the workers' either: whichever thread finds an
 * initiation or a response queues a copy for WireGuard's handshake thread
 * (wgxform.c), which alone keeps the load state and the rate limiter, and
 * so the cookies under load. Should that thread be missing, a train that
 * holds a handshake stays with the receiver.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zctun.h"

/* ---------------------------------------------------------------- workers */

/* Decrypts and chains one buffer with the counters st of the thread doing it. */
static void crypt_one(zctun *t, zctun_stats *st, zc_pbuf *b)
{
	zctun_rxmeta *m = zctun_rx_meta(b);

	zctun_coalesce(t, st, &m->from, m, b->base, m->off, m->len, m->dgram);
}

static void *worker_main(void *arg)
{
	zctun_worker *w = arg;
	zctun *t = w->t;

	for (;;) {
		zc_mpsc_node *n;
		zc_mpsc_res r = zc_mpsc_pop_spin(&w->in, &n, 128);
		uint32_t seq;

		if (r != ZC_MPSC_GOT) {
			/* stop is set only once the receiver has ended: empty then means done. */
			if (r == ZC_MPSC_EMPTY && atomic_load_explicit(&w->stop, memory_order_acquire))
				break;
			seq = zctun_event_prepare(&w->ev);
			r = zc_mpsc_pop(&w->in, &n);
			if (r != ZC_MPSC_GOT) {
				/* BUSY: the receiver is mid-push; its notify will come. */
				zctun_event_wait(&w->ev, seq, 100);
				continue;
			}
			zctun_event_cancel(&w->ev);
		}
		{
			zc_pbuf *b = zc_pbuf_from_node(n);

			crypt_one(t, &w->st, b);
			zctun_order_done(&t->to_tun, &zctun_rx_meta(b)->order);
		}
	}
	return NULL;
}

int zctun_workers_start(zctun *t, char *err, size_t errlen)
{
	unsigned i;

	if (t->cfg.workers == ZCTUN_WORKERS_AUTO) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		if (!t->wg || cpus < 1)
			t->cfg.workers = 0;
		else
			t->cfg.workers = cpus > (long)ZCTUN_MAX_WORKERS ? ZCTUN_MAX_WORKERS : (unsigned)cpus;
	}
	/* One worker would only add a hand-over: 0 and 1 both mean the receiver decrypts. */
	if (t->cfg.workers < 2)
		return 0;
	t->workers = calloc(t->cfg.workers, sizeof *t->workers);
	if (!t->workers) {
		snprintf(err, errlen, "out of memory for %u workers", t->cfg.workers);
		return -1;
	}
	for (i = 0; i < t->cfg.workers; i++) {
		zctun_worker *w = &t->workers[i];

		w->t = t;
		/* Bounded by the pool: a worker never holds more buffers than there are. */
		zc_mpsc_init(&w->in, t->cfg.rx_buffers);
		if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
			snprintf(err, errlen, "cannot start decryption worker %u", i);
			return -1; /* main exits: the threads already started end with it */
		}
		t->nworkers = i + 1;
	}
	return 0;
}

void zctun_workers_stop(zctun *t)
{
	unsigned i;

	for (i = 0; i < t->nworkers; i++) {
		atomic_store_explicit(&t->workers[i].stop, true, memory_order_release);
		zctun_event_wake_all(&t->workers[i].ev);
	}
	for (i = 0; i < t->nworkers; i++)
		pthread_join(t->workers[i].th, NULL);
}

void zctun_crypt_dispatch(zctun *t, zc_pbuf *b, bool keep_here)
{
	zctun_rxmeta *m = zctun_rx_meta(b);
	zctun_worker *w;

	if (t->nworkers && !keep_here) {
		w = &t->workers[t->next_worker];
		t->next_worker = (t->next_worker + 1) % t->nworkers;
		/* In order first, so that the writer waits for it; then to its worker. */
		zctun_order_push(&t->to_tun, &m->order, false);
		if (zc_mpsc_push(&w->in, &b->node) == ZC_OK) {
			ZCTUN_INC(&t->st_rx, rx_crypt_worker);
			zctun_event_notify(&w->ev);
			return;
		}
		/* The worker's queue is full (it cannot be: the pool bounds it): here, then. */
		ZCTUN_INC(&t->st_rx, rx_crypt_full);
		crypt_one(t, &t->st_rx, b);
		zctun_order_done(&t->to_tun, &m->order);
		return;
	}
	crypt_one(t, &t->st_rx, b);
	zctun_order_push(&t->to_tun, &m->order, true);
}
