/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/send.c - TUN -> UDP: the thread that reads the TUN, and the
 * send batch it fills.
 *
 * The TUN is read without blocking until it is empty (or the batch is full),
 * so that everything that arrived together leaves together: one sendmmsg()
 * for the batch, one mmsghdr per run of equal-sized datagrams, each run one
 * UDP GSO send (UDP_SEGMENT) that the kernel cuts into datagrams after the
 * whole stack has been crossed once. Without GSO, one mmsghdr per datagram.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gso.h"
#include "zctun.h"

static bool same_dst(const zctun_addr *a, const zctun_addr *b)
{
	return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

void zctun_batch_commit(zctun *t, size_t dlen, const zctun_addr *dst)
{
	zctun_batch *b = &t->batch;
	zctun_run *r = b->nruns ? &b->runs[b->nruns - 1] : NULL;

	if (!dst)
		dst = &t->udp.peer;

	/*
	 * A GSO run takes datagrams of its first one's size; one shorter
	 * datagram may end it (udp_send_skb() cuts at gso_size and lets the
	 * last segment be short).
	 */
	if (r && t->udp.gso && !r->closed && dlen <= r->seg && r->n < ZCTUN_MAX_SEGS &&
	    r->len + dlen <= ZCTUN_MAX_SEND && r->off + r->len == b->used && same_dst(&r->dst, dst)) {
		r->len += (uint32_t)dlen;
		r->n++;
		if (dlen < r->seg)
			r->closed = true;
	} else {
		r = &b->runs[b->nruns++];
		r->dst = *dst;
		r->off = (uint32_t)b->used;
		r->len = (uint32_t)dlen;
		r->seg = (uint16_t)dlen;
		r->n = 1;
		r->closed = false;
	}
	b->used += dlen;
	b->ndgrams++;
}

uint8_t *zctun_batch_reserve(zctun *t, size_t len)
{
	zctun_batch *b = &t->batch;

	if (ZCTUN_BATCH_BYTES - b->used < len || b->nruns >= ZCTUN_BATCH_RUNS ||
	    b->ndgrams >= ZCTUN_BATCH_DGRAMS)
		zctun_batch_flush(t);
	return b->buf + b->used;
}

/* Sends one run as separate datagrams: the fallback when GSO is refused. */
static void send_run_plain(zctun *t, const zctun_run *r)
{
	zctun_batch *b = &t->batch;
	uint32_t off = r->off, end = r->off + r->len;

	while (off < end) {
		uint32_t len = end - off < r->seg ? end - off : r->seg;
		ssize_t n = sendto(t->udp.fd, b->buf + off, len, 0,
				   (const struct sockaddr *)&r->dst.ss, r->dst.len);

		ZCTUN_INC(&t->st_tx, udp_tx_calls);
		if (n < 0) {
			ZCTUN_INC(&t->st_tx, drop_udp_send);
		} else {
			ZCTUN_INC(&t->st_tx, udp_tx_packets);
			ZCTUN_ADD(&t->st_tx, udp_tx_bytes, len);
		}
		off += len;
	}
}

void zctun_batch_flush(zctun *t)
{
	zctun_batch *b = &t->batch;
	struct mmsghdr mm[ZCTUN_BATCH_RUNS];
	struct iovec iov[ZCTUN_BATCH_RUNS];
	zctun_gso_cmsg cm[ZCTUN_BATCH_RUNS];
	unsigned i, done = 0;

	if (b->nruns == 0)
		return;
	memset(mm, 0, sizeof mm[0] * b->nruns);
	for (i = 0; i < b->nruns; i++) {
		const zctun_run *r = &b->runs[i];
		struct msghdr *m = &mm[i].msg_hdr;

		iov[i].iov_base = b->buf + r->off;
		iov[i].iov_len = r->len;
		m->msg_name = (void *)&r->dst.ss;
		m->msg_namelen = r->dst.len;
		m->msg_iov = &iov[i];
		m->msg_iovlen = 1;
		if (r->n > 1)
			zctun_gso_set(m, &cm[i], r->seg);
	}
	while (done < b->nruns) {
		int n = sendmmsg(t->udp.fd, mm + done, b->nruns - done, 0);

		ZCTUN_INC(&t->st_tx, udp_tx_calls);
		if (n > 0) {
			for (i = done; i < done + (unsigned)n; i++) {
				ZCTUN_ADD(&t->st_tx, udp_tx_packets, b->runs[i].n);
				ZCTUN_ADD(&t->st_tx, udp_tx_bytes, b->runs[i].len);
			}
			done += (unsigned)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/*
		 * The first message failed. A GSO run refused (EIO: the route's
		 * device cannot checksum; EOPNOTSUPP: no GSO here; EINVAL: a
		 * segment larger than the path MTU, the --mtu being too large)
		 * turns GSO off for good and goes out plain, which the kernel may
		 * still fragment.
		 */
		if (b->runs[done].n > 1 && (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP)) {
			if (t->udp.gso)
				fprintf(stderr, "zctun: UDP GSO refused (%s): sending datagrams one by one"
					" (is --mtu larger than the path allows?)\n", strerror(errno));
			t->udp.gso = false;
			send_run_plain(t, &b->runs[done]);
		} else {
			ZCTUN_ADD(&t->st_tx, drop_udp_send, b->runs[done].n);
		}
		done++;
	}
	b->used = 0;
	b->nruns = 0;
	b->ndgrams = 0;
}

void *zctun_tun_reader(void *arg)
{
	zctun *t = arg;
	zc_pbuf *rb = NULL;
	uint8_t *buf;
	size_t cap;

	if (zc_pool_claim(t->tx_pool, ZC_POOL_FOREVER, &rb) != ZC_OK)
		return NULL;
	buf = rb->data.p;
	cap = zc_pbuf_tailroom(rb);
	while (!atomic_load_explicit(&t->stopping, memory_order_relaxed)) {
		ssize_t n = read(t->tun.fd, buf, cap);
		zc_vnet vh;

		if (n < 0) {
			struct pollfd pfd[2] = {
				{ .fd = t->tun.fd, .events = POLLIN },
				{ .fd = t->stop_fd, .events = POLLIN },
			};

			if (errno == EINTR)
				continue;
			/* The TUN is empty: send what was gathered, then sleep. */
			zctun_batch_flush(t);
			if (errno != EAGAIN) {
				/* EBADFD while the interface goes away, for one: not worth a spin. */
				ZCTUN_INC(&t->st_tx, drop_tun_bad);
				(void)poll(pfd + 1, 1, 100);
				continue;
			}
			(void)poll(pfd, 2, -1);
			continue;
		}
		if ((size_t)n == cap) {
			/* A read that fills the buffer may have been cut. */
			ZCTUN_INC(&t->st_tx, drop_oversized);
			continue;
		}
		if (!t->tun.vnet) {
			zctun_split(t, NULL, buf, (size_t)n);
			continue;
		}
		if (n < ZC_VNET_HDR_LEN) {
			ZCTUN_INC(&t->st_tx, drop_tun_bad);
			continue;
		}
		zc_vnet_load(&vh, buf);
		zctun_split(t, &vh, buf + ZC_VNET_HDR_LEN, (size_t)n - ZC_VNET_HDR_LEN);
	}
	zctun_batch_flush(t);
	zc_pbuf_release(rb);
	return NULL;
}
