/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/receive.c - UDP -> TUN: the receiver thread (recvmmsg with
 * UDP GRO into pool buffers) and the TUN writer thread, linked by an MPSC
 * queue.
 *
 * Writing to a TUN is the slow half of a userspace tunnel (a write is a trip
 * through the whole receive path of the kernel's stack), so it has a thread
 * of its own: the receiver parses and chains the next batch while the writer
 * writes the last. Buffers are claimed from a bounded pool at this edge,
 * travel through the queue inside their zc_pbuf, and go back to the pool from
 * the writer; when all are in flight the receiver waits for one and the
 * socket's buffer takes up the slack. Memory is the pool's, whatever the
 * number of flows.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zctun.h"

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/* Most buffers one recvmmsg fills. */
#define RX_BATCH_MAX 64

void zctun_wake_writer(zctun *t)
{
	zctun_event_wake_all(&t->to_tun.ev);
}

/* ---------------------------------------------------------------- receiver */


/* One datagram (or one GRO train of them) received into b. */
static void rx_one(zctun *t, zc_pbuf *b, struct mmsghdr *mm)
{
	struct msghdr *m = &mm->msg_hdr;
	struct cmsghdr *c;
	size_t len = mm->msg_len, seg = len;
	zctun_rxmeta *meta = zctun_rx_meta(b);

	/* WireGuard authenticates each datagram and lets the endpoint roam. */
	if (!t->wg && !zctun_udp_is_peer(&t->udp, m->msg_name, m->msg_namelen)) {
		ZCTUN_INC(&t->st_rx, drop_foreign);
		goto release;
	}
	if (m->msg_namelen > sizeof meta->from.ss)
		goto release;
	memcpy(&meta->from.ss, m->msg_name, m->msg_namelen);
	meta->from.len = m->msg_namelen;
	if (m->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		ZCTUN_INC(&t->st_rx, drop_oversized);
		goto release;
	}
	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
			int gso;

			memcpy(&gso, CMSG_DATA(c), sizeof gso);
			if (gso > 0 && (size_t)gso < len)
				seg = (size_t)gso;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			uint32_t dropped;

			/* The kernel's count of datagrams it dropped on a full socket buffer. */
			memcpy(&dropped, CMSG_DATA(c), sizeof dropped);
			atomic_store_explicit(&t->st_rx.drop_socket_full, dropped, memory_order_relaxed);
		}
	}
	if (len == 0) {
		ZCTUN_INC(&t->st_rx, drop_short);
		goto release;
	}
	ZCTUN_INC(&t->st_rx, udp_rx_calls);
	meta->pbuf = b;
	meta->off = (uint32_t)zc_pbuf_headroom(b);
	meta->len = (uint32_t)len;
	meta->dgram = (uint32_t)seg;
	zctun_crypt_dispatch(t, b, t->wg && !zctun_wg_any_thread(b->base + meta->off, len, seg));
	return;

release:
	zc_pbuf_release(b);
}

void *zctun_udp_receiver(void *arg)
{
	zctun *t = arg;
	unsigned batch = t->cfg.batch, held = 0, i;
	zc_pbuf *bufs[RX_BATCH_MAX];
	struct mmsghdr mm[RX_BATCH_MAX];
	struct iovec iov[RX_BATCH_MAX];
	struct sockaddr_storage from[RX_BATCH_MAX];
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} cm[RX_BATCH_MAX];

	if (batch > RX_BATCH_MAX)
		batch = RX_BATCH_MAX;
	while (!atomic_load_explicit(&t->stopping, memory_order_relaxed)) {
		struct pollfd pfd[2] = {
			{ .fd = t->udp.fd, .events = POLLIN },
			{ .fd = t->stop_fd, .events = POLLIN },
		};
		int n;

		/* Wait for one buffer, take what else is free right now. */
		while (held < batch) {
			zc_err e = zc_pool_claim(t->rx_pool, held ? ZC_POOL_NOWAIT : 100, &bufs[held]);

			if (e != ZC_OK)
				break;
			held++;
		}
		if (held == 0)
			continue;
		for (i = 0; i < held; i++) {
			struct msghdr *m = &mm[i].msg_hdr;

			iov[i].iov_base = bufs[i]->data.p;
			iov[i].iov_len = zc_pbuf_tailroom(bufs[i]);
			memset(m, 0, sizeof *m);
			m->msg_name = &from[i];
			m->msg_namelen = sizeof from[i];
			m->msg_iov = &iov[i];
			m->msg_iovlen = 1;
			m->msg_control = cm[i].buf;
			m->msg_controllen = sizeof cm[i].buf;
		}
		n = recvmmsg(t->udp.fd, mm, held, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				ZCTUN_INC(&t->st_rx, udp_rx_errors);
			(void)poll(pfd, 2, -1);
			continue;
		}
		for (i = 0; i < (unsigned)n; i++)
			rx_one(t, bufs[i], &mm[i]);
		/* The buffers recvmmsg did not fill stay claimed for the next call. */
		memmove(bufs, bufs + n, sizeof bufs[0] * (held - (unsigned)n));
		held -= (unsigned)n;
	}
	for (i = 0; i < held; i++)
		zc_pbuf_release(bufs[i]);
	return NULL;
}

/* ---------------------------------------------------------------- TUN writer */

/* Writes every chain of one receive buffer, then gives the buffer back. */
static void write_buf(zctun *t, zc_pbuf *b)
{
	zctun_rxmeta *m = zctun_rx_meta(b);
	struct iovec iov[1 + ZCTUN_MAX_SEGS];
	unsigned c;

	for (c = 0; c < m->nchains; c++) {
		zctun_chain *ch = &m->chain[c];
		int n = 0, s;

		if (t->tun.vnet) {
			iov[n].iov_base = ch->vnet;
			iov[n++].iov_len = ZC_VNET_HDR_LEN;
		}
		for (s = ch->first; s >= 0 && n < (int)(sizeof iov / sizeof iov[0]); s = m->seg[s].next) {
			iov[n].iov_base = b->base + m->seg[s].off;
			iov[n++].iov_len = m->seg[s].len;
		}
		if (writev(t->tun.fd, iov, n) < 0) {
			ZCTUN_INC(&t->st_wr, drop_tun_write);
			continue;
		}
		ZCTUN_INC(&t->st_wr, tun_tx_packets);
		ZCTUN_ADD(&t->st_wr, tun_tx_bytes, ch->len);
		ZCTUN_ADD(&t->st_wr, tun_tx_coalesced, ch->nsegs - 1u);
		if (ch->vnet[ZC_VNET_GSO_TYPE_OFF] == ZC_VNET_GSO_UDP_L4) {
			ZCTUN_INC(&t->st_wr, tun_tx_uso);
			ZCTUN_ADD(&t->st_wr, tun_tx_uso_merged, ch->nsegs - 1u);
		}
	}
	zc_pbuf_release(b);
}

void *zctun_tun_writer(void *arg)
{
	zctun *t = arg;

	for (;;) {
		bool idle = false;
		zctun_order_item *it = zctun_order_next(&t->to_tun, 100, &idle);

		if (it) {
			write_buf(t, zctun_rx_meta_of(it)->pbuf);
			continue;
		}
		if (idle && atomic_load_explicit(&t->stopping, memory_order_acquire))
			break;
	}
	return NULL;
}
