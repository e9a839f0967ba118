/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wgxform.c - zctun's WireGuard mode: the device of wg/ as the
 * transform stage, its set-up from wg(8)'s configuration file, its socket
 * and its timers.
 *
 * The data path stays zctun's: split.c builds each segment 16 bytes into
 * its slot of the send batch with 31 bytes to spare behind it, and wg_encap
 * writes the transport header in front, the padding and the tag behind,
 * encrypting in place; the batch sends each run to its peer's endpoint.
 * On receive, wg_decap decrypts each datagram in place in its pool buffer
 * and hands coalesce.c the inner packet; handshakes are answered on the
 * spot. Counters are this file's: the encap side runs on the TUN reader
 * (st_tx), the decap side on the UDP receiver (st_rx) or on a decryption
 * worker (its own), whichever decrypts.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "zctun.h"
#include "wg/conf.h"
#include "wg/messages.h"
#include "wg/peer.h"
#include "wg/receive.h"
#include "wg/send.h"
#include "wg/uapi.h"

/*
 * Handshakes off the data path: initiations and responses (two or three
 * X25519 operations each) are copied, with their sender, into a buffer of
 * a small bounded pool and queued for one handshake thread, whichever
 * thread found them (the receiver or a decryption worker); a full queue
 * drops them (drop_wg_handshake), as kernel WireGuard does past its queue.
 * The handshake thread alone then touches the load state and the rate
 * limiter, and answers with cookies under load. One device per process,
 * so one of these.
 */
#define HS_QUEUE 64u
#define HS_ROOM (sizeof(zctun_addr) + WG_INIT_LEN)

static struct {
	zc_pool *pool;          /* HS_QUEUE buffers: the sender, then the message */
	zc_mpsc q;
	zctun_event ev;
	pthread_t thread;
	bool running;
	atomic_bool stop;
} hs;

/* The userspace API's listener: one device per process, so one of these. */
static struct {
	int fd;
	char path[108];
	pthread_t thread;
	bool running;
} uapi = { .fd = -1 };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static ssize_t wg_xf_encap(void *ctx, uint8_t *pkt, size_t head, size_t len, size_t cap, zctun_addr *dst)
{
	zctun *t = ctx;
	wg_endpoint ep;
	ssize_t r = wg_encap(t->wg, pkt, head, len, cap, t->cfg.mtu, &ep, now_ns());

	if (r >= 0) {
		memcpy(&dst->ss, &ep.ss, ep.len);
		dst->len = ep.len;
		return r;
	}
	if (r == WG_TX_STAGED)
		ZCTUN_INC(&t->st_tx, wg_staged);
	else if (r == WG_TX_NOPEER)
		ZCTUN_INC(&t->st_tx, drop_wg_nopeer);
	else if (r == WG_TX_NOKEY || r == WG_TX_NOENDPOINT)
		ZCTUN_INC(&t->st_tx, drop_wg_nokey);
	else
		return -1;
	return ZCTUN_XF_DROPPED;
}

/* Counts what wg_decap said of a message that carried no data for the TUN. */
static void count_rx(zctun_stats *st, int r)
{
	switch (r) {
	case WG_RX_DONE:
	case WG_RX_COOKIE:
		ZCTUN_INC(st, wg_rx_control);
		break;
	case WG_RX_NOKEYPAIR:
		ZCTUN_INC(st, drop_wg_nokeypair);
		break;
	case WG_RX_RATELIMIT:
		ZCTUN_INC(st, drop_wg_ratelimit);
		break;
	case WG_RX_REPLAY:
		ZCTUN_INC(st, drop_wg_replay);
		break;
	case WG_RX_SPOOF:
		ZCTUN_INC(st, drop_wg_spoof);
		break;
	default:
		ZCTUN_INC(st, drop_wg_auth);
		break;
	}
}

/* Queues a handshake message for the handshake thread; false when the queue is full. */
static bool hs_enqueue(const uint8_t *msg, size_t len, const zctun_addr *from)
{
	zc_pbuf *b;
	uint8_t *p;

	if (zc_pool_claim(hs.pool, ZC_POOL_NOWAIT, &b) != ZC_OK)
		return false;
	if (zc_pbuf_push_tail(b, sizeof *from + len, &p) != ZC_OK) {
		zc_pbuf_release(b);
		return false;
	}
	memcpy(p, from, sizeof *from);
	memcpy(p + sizeof *from, msg, len);
	(void)zc_mpsc_push(&hs.q, &b->node); /* unbounded: the pool bounds it */
	zctun_event_notify(&hs.ev);
	return true;
}

static int wg_xf_decap(void *ctx, zc_wbuf *pkt, const zctun_addr *from, zctun_stats *st)
{
	zctun *t = ctx;
	wg_endpoint ep;
	size_t off = 0, inner = 0;
	int r;

	if (hs.running && ((pkt->len == WG_INIT_LEN && pkt->p[0] == WG_MSG_INITIATION) ||
			   (pkt->len == WG_RESP_LEN && pkt->p[0] == WG_MSG_RESPONSE))) {
		if (hs_enqueue(pkt->p, pkt->len, from))
			ZCTUN_INC(st, wg_rx_handshake_queued);
		else
			ZCTUN_INC(st, drop_wg_handshake);
		return ZCTUN_XF_COUNTED;
	}
	memcpy(&ep.ss, &from->ss, from->len);
	ep.len = from->len;
	r = wg_decap(t->wg, pkt->p, pkt->len, &ep, now_ns(), &off, &inner);
	if (r == WG_RX_DATA) {
		pkt->p += off;
		pkt->len = inner;
		return 0;
	}
	count_rx(st, r);
	return ZCTUN_XF_COUNTED;
}

/* Answers the queued handshakes, with counters of its own (st_hs). */
static void *hs_thread(void *arg)
{
	zctun *t = arg;

	for (;;) {
		zc_mpsc_node *n;
		zc_mpsc_res r = zc_mpsc_pop_spin(&hs.q, &n, 128);

		if (r != ZC_MPSC_GOT) {
			uint32_t seq;

			if (r == ZC_MPSC_EMPTY && atomic_load_explicit(&hs.stop, memory_order_acquire))
				break;
			seq = zctun_event_prepare(&hs.ev);
			r = zc_mpsc_pop(&hs.q, &n);
			if (r != ZC_MPSC_GOT) {
				zctun_event_wait(&hs.ev, seq, 100);
				continue;
			}
			zctun_event_cancel(&hs.ev);
		}
		{
			zc_pbuf *b = zc_pbuf_from_node(n);
			zc_wbuf msg = zc_wbuf_make(b->data.p + sizeof(zctun_addr), b->data.len - sizeof(zctun_addr));
			zctun_addr from;
			wg_endpoint ep;
			size_t off, inner;

			memcpy(&from, b->data.p, sizeof from);
			memcpy(&ep.ss, &from.ss, from.len);
			ep.len = from.len;
			count_rx(&t->st_hs, wg_decap(t->wg, msg.p, msg.len, &ep, now_ns(), &off, &inner));
			zc_pbuf_release(b);
		}
	}
	return NULL;
}

/* The handshake thread and its queue; without them handshakes are answered where they are found. */
static void hs_start(zctun *t)
{
	zc_pool_cfg cfg = { .count = HS_QUEUE, .buf_size = HS_ROOM, .headroom = 0 };

	zc_mpsc_init(&hs.q, 0);
	atomic_store(&hs.stop, false);
	if (zc_pool_create(&cfg, &hs.pool) != ZC_OK) {
		fprintf(stderr, "zctun: no handshake queue: handshakes are answered on the data path\n");
		return;
	}
	if (pthread_create(&hs.thread, NULL, hs_thread, t) != 0) {
		fprintf(stderr, "zctun: no handshake thread: handshakes are answered on the data path\n");
		zc_pool_destroy(hs.pool);
		hs.pool = NULL;
		return;
	}
	hs.running = true;
}

void zctun_wg_stop(zctun *t)
{
	zc_mpsc_node *n;

	(void)t;
	if (!hs.running)
		return;
	atomic_store_explicit(&hs.stop, true, memory_order_release);
	zctun_event_wake_all(&hs.ev);
	pthread_join(hs.thread, NULL);
	hs.running = false;
	while (zc_mpsc_pop_spin(&hs.q, &n, 1000) == ZC_MPSC_GOT)
		zc_pbuf_release(zc_pbuf_from_node(n));
	zc_pool_destroy(hs.pool);
	hs.pool = NULL;
}

bool zctun_wg_any_thread(const uint8_t *p, size_t len, size_t seg)
{
	size_t pos;

	if (hs.running)
		return true;

	for (pos = 0; pos < len && seg; pos += seg)
		if (p[pos] != WG_MSG_DATA)
			return false;
	return true;
}

int zctun_wg_setup(zctun *t, char *err, size_t errlen)
{
	struct sockaddr_in6 *any = (void *)&t->cfg.listen.ss;

	if (wg_crypto_init() < 0 || wg_noise_init() < 0) {
		snprintf(err, errlen, "cannot initialise libsodium");
		return -1;
	}
	t->wg = calloc(1, sizeof *t->wg);
	if (!t->wg || wg_device_init(t->wg) < 0) {
		free(t->wg);
		t->wg = NULL;
		snprintf(err, errlen, "out of memory for the WireGuard device");
		return -1;
	}
	if (wg_conf_load(t->wg, t->cfg.wg_config, err, errlen) < 0)
		return -1;
	/* One dual-stack socket on the ListenPort: IPv4 peers as v4-mapped. */
	memset(&t->cfg.listen, 0, sizeof t->cfg.listen);
	any->sin6_family = AF_INET6;
	any->sin6_addr = in6addr_any;
	any->sin6_port = htons(t->wg->listen_port);
	t->cfg.listen.len = sizeof *any;
	t->cfg.have_listen = true;
	t->xf = (zctun_xform){
		.name = "wireguard",
		.headroom = WG_TX_HEADROOM,
		.tailroom = WG_TX_TAILROOM,
		.encap = wg_xf_encap,
		.decap = wg_xf_decap,
		.ctx = t,
	};
	return 0;
}

/* Serves one wg(8) connection, with a time limit on a client that stalls. */
static void uapi_conn(zctun *t, int c)
{
	struct timeval tv = { 5, 0 };
	int c2 = dup(c);
	FILE *in = fdopen(c, "r"), *out = c2 >= 0 ? fdopen(c2, "w") : NULL;

	(void)setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	(void)setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (in && out)
		wg_uapi_serve(t->wg, in, out);
	if (in)
		fclose(in);
	else
		close(c);
	if (out)
		fclose(out);
	else if (c2 >= 0)
		close(c2);
}

static void *uapi_thread(void *arg)
{
	zctun *t = arg;

	while (!atomic_load_explicit(&t->stopping, memory_order_acquire)) {
		struct pollfd pfd[2] = { { .fd = uapi.fd, .events = POLLIN }, { .fd = t->stop_fd, .events = POLLIN } };
		int c;

		if (poll(pfd, 2, -1) <= 0 || !(pfd[0].revents & POLLIN))
			continue;
		c = accept4(uapi.fd, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0)
			uapi_conn(t, c);
	}
	return NULL;
}

/* The socket wg(8) talks to; without it zctun still runs, and says so. */
static void uapi_start(zctun *t)
{
	char err[256];

	uapi.fd = wg_uapi_listen(t->tun.name, uapi.path, sizeof uapi.path, err, sizeof err);
	if (uapi.fd < 0) {
		fprintf(stderr, "zctun: %s: wg(8) cannot reach this interface\n", err);
		return;
	}
	if (pthread_create(&uapi.thread, NULL, uapi_thread, t) != 0) {
		fprintf(stderr, "zctun: cannot start the userspace API thread\n");
		close(uapi.fd);
		unlink(uapi.path);
		uapi.fd = -1;
		return;
	}
	uapi.running = true;
}

void zctun_wg_start(zctun *t)
{
	wg_device *d = t->wg;
	struct sockaddr_in6 a;
	socklen_t alen = sizeof a;
	uint64_t now = now_ns();
	uint32_t s = 0;
	wg_peer *p;

	d->fd = t->udp.fd;
	atomic_store_explicit(&d->no_gso, !atomic_load(&t->udp.gso), memory_order_relaxed);
	if (getsockname(d->fd, (struct sockaddr *)&a, &alen) == 0 && a.sin6_family == AF_INET6)
		d->listen_port = ntohs(a.sin6_port);
	if (d->fwmark && setsockopt(d->fd, SOL_SOCKET, SO_MARK, &d->fwmark, sizeof d->fwmark) < 0)
		fprintf(stderr, "zctun: FwMark %u not set: %s\n", d->fwmark, strerror(errno));
	/* A peer with a persistent keepalive is greeted at once (which starts a handshake). */
	pthread_rwlock_rdlock(&d->lock);
	while ((p = wg_peer_next(d, &s)))
		if (p->timers.persistent_interval_s && p->endpoint.len)
			wg_send_keepalive(d, p, now);
	pthread_rwlock_unlock(&d->lock);
	hs_start(t);
	uapi_start(t);
}

int zctun_wg_tick(zctun *t)
{
	wg_device_tick(t->wg, now_ns());
	return 100;
}

void zctun_wg_stats_print(const zctun *t, int fd)
{
	const wg_device *d = t->wg;
	char line[256];
	int n;

	n = snprintf(line, sizeof line,
		     "  %-18s %20" PRIu64 "\n  %-18s %20" PRIu64 "\n  %-18s %20" PRIu64 "\n  %-18s %20" PRIu64 "\n",
		     "wg_staged_sent", atomic_load_explicit(&d->staged_sent, memory_order_relaxed),
		     "wg_staged_calls", atomic_load_explicit(&d->staged_calls, memory_order_relaxed),
		     "drop_wg_staged", atomic_load_explicit(&d->staged_dropped, memory_order_relaxed),
		     "wg_conf_lock_max_us", atomic_load_explicit(&d->conf_lock_max_ns, memory_order_relaxed) / 1000);
	if (n > 0)
		(void)!write(fd, line, (size_t)n);
}

void zctun_wg_free(zctun *t)
{
	if (!t->wg)
		return;
	zctun_wg_stop(t);
	if (uapi.running) {
		uint64_t one = 1;

		/* Set by main on a clean stop; here too when set-up failed half way. */
		atomic_store_explicit(&t->stopping, true, memory_order_release);
		(void)!write(t->stop_fd, &one, sizeof one);
		pthread_join(uapi.thread, NULL);
	}
	uapi.running = false;
	if (uapi.fd >= 0) {
		close(uapi.fd);
		unlink(uapi.path);
		uapi.fd = -1;
	}
	wg_device_free(t->wg);
	free(t->wg);
	t->wg = NULL;
}
