/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/send.c - transport data, initiations, keepalives and the
 * timers' actions (send.h).
 *
 * The data path holds the peer's lock only to take the next nonce, copy the
 * key and endpoint and tell the timers; it encrypts outside it, so the TUN
 * reader and the UDP receiver never wait on each other's crypto.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "gso.h"
#include "wg/inner.h"
#include "wg/messages.h"
#include "wg/send.h"

static uint64_t jitter(void)
{
	return wg_random_u32() % WG_JITTER_MAX;
}

static void send_to(wg_device *d, const uint8_t *msg, size_t len, const wg_endpoint *ep)
{
	if (d->fd >= 0 && ep->len)
		(void)sendto(d->fd, msg, len, MSG_DONTWAIT, (const struct sockaddr *)&ep->ss, ep->len);
}

void wg_send_initiation(wg_device *d, wg_peer *p, uint64_t now, bool retry)
{
	uint8_t msg[WG_INIT_LEN], ts[WG_TIMESTAMP_LEN];
	struct timespec wall;
	wg_endpoint ep;
	int r;

	clock_gettime(CLOCK_REALTIME, &wall);
	wg_tai64n(ts, wall);
	pthread_mutex_lock(&p->lock);
	if ((!retry && !wg_timers_may_initiate(&p->timers, now)) || !p->endpoint.len || !d->id.have) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	r = wg_noise_create_initiation(&p->hs, &d->id, msg, wg_peer_hs_index(d, p), ts);
	if (r == 0) {
		wg_cookie_add_macs(&p->cookie, msg, sizeof msg, now);
		wg_timers_initiation_sent(&p->timers, now, jitter(), retry);
		wg_timers_traversal(&p->timers, now);
		atomic_fetch_add_explicit(&p->tx_bytes, sizeof msg, memory_order_relaxed);
	}
	ep = p->endpoint;
	pthread_mutex_unlock(&p->lock);
	if (r == 0)
		send_to(d, msg, sizeof msg, &ep);
}

/*
 * Takes a nonce of the current keypair (peer locked): 0 with the key, the
 * remote index and the counter, or -1 when there is no usable session.
 */
static int take_nonce(wg_peer *p, uint64_t now, uint8_t key[WG_KEY_LEN], uint32_t *remote,
		      uint64_t *counter, bool *rekey)
{
	wg_keypair *kp = p->cur;

	if (!kp || !kp->valid || !wg_keypair_send_ok(kp->birth, kp->send_counter, now))
		return -1;
	*counter = kp->send_counter++;
	memcpy(key, kp->send, WG_KEY_LEN);
	*remote = kp->remote_index;
	*rekey = wg_rekey_after_send(kp->initiator, kp->birth, *counter, now);
	return 0;
}

/* The transport message around plen bytes of plaintext at msg + 16. */
static size_t seal(uint8_t *msg, size_t plen, uint32_t remote, uint64_t counter, const uint8_t *key)
{
	wg_msg_header(msg, WG_MSG_DATA);
	wg_store_le32(msg + WG_DATA_RECEIVER, remote);
	wg_store_le64(msg + WG_DATA_COUNTER, counter);
	(void)wg_aead_seal(msg + WG_DATA_HDR_LEN, plen, counter, key, NULL, 0);
	return WG_DATA_HDR_LEN + plen + WG_TAG_LEN;
}

void wg_send_keepalive(wg_device *d, wg_peer *p, uint64_t now)
{
	uint8_t msg[WG_DATA_MIN_LEN], key[WG_KEY_LEN];
	uint32_t remote;
	uint64_t counter;
	bool rekey = false;
	wg_endpoint ep;
	int r;

	pthread_mutex_lock(&p->lock);
	r = p->endpoint.len ? take_nonce(p, now, key, &remote, &counter, &rekey) : -2;
	if (r == 0) {
		wg_timers_authenticated_sent(&p->timers, now);
		wg_timers_traversal(&p->timers, now);
	}
	ep = p->endpoint;
	pthread_mutex_unlock(&p->lock);
	if (r == 0) {
		send_to(d, msg, seal(msg, 0, remote, counter, key), &ep);
		atomic_fetch_add_explicit(&p->tx_bytes, sizeof msg, memory_order_relaxed);
	}
	wg_memzero(key, sizeof key);
	if (r == -1 || rekey)
		wg_send_initiation(d, p, now, false);
}

/* Zero padding to a multiple of 16, but never past the MTU (section 5.4.6). */
static size_t padded(size_t len, unsigned mtu)
{
	size_t up = (len + WG_DATA_PAD - 1) / WG_DATA_PAD * WG_DATA_PAD;

	if (mtu && len <= mtu && up > mtu)
		up = mtu;
	return up < len ? len : up;
}

/* The payload one UDP GSO send may carry (an IPv4 datagram's 65535 less 20 + 8 of headers). */
#define WG_GSO_MAX_SEND 65507u

/*
 * Sends n sealed held packets to ep with one sendmmsg(): each run of
 * equal-sized datagrams (the last of a run may be shorter) is one message,
 * its buffers gathered by an iovec each, cut by the kernel at UDP_SEGMENT
 * bytes; one message per datagram when the socket refused GSO. Returns the
 * datagrams the kernel took.
 */
static unsigned send_staged_batch(wg_device *d, wg_staged_buf *const *b, const size_t *len, unsigned n,
				  const wg_endpoint *ep)
{
	struct mmsghdr mm[WG_STAGED_BATCH];
	struct iovec iov[WG_STAGED_BATCH];
	zctun_gso_cmsg cm[WG_STAGED_BATCH];
	unsigned first[WG_STAGED_BATCH], ndg[WG_STAGED_BATCH], nmsg = 0, i, done = 0, sent = 0;
	bool gso = !atomic_load_explicit(&d->no_gso, memory_order_relaxed), closed = false;
	size_t run = 0, seg = 0;

	memset(mm, 0, sizeof mm[0] * n);
	for (i = 0; i < n; i++) {
		struct msghdr *m;

		iov[i].iov_base = b[i]->data;
		iov[i].iov_len = len[i];
		/* A run takes datagrams of its first one's size; a shorter one ends it. */
		if (gso && nmsg && !closed && len[i] <= seg && run + len[i] <= WG_GSO_MAX_SEND) {
			mm[nmsg - 1].msg_hdr.msg_iovlen++;
			ndg[nmsg - 1]++;
			run += len[i];
			closed = len[i] < seg;
			continue;
		}
		m = &mm[nmsg].msg_hdr;
		m->msg_name = (void *)&ep->ss;
		m->msg_namelen = ep->len;
		m->msg_iov = &iov[i];
		m->msg_iovlen = 1;
		first[nmsg] = i;
		ndg[nmsg++] = 1;
		run = seg = len[i];
		closed = false;
	}
	for (i = 0; i < nmsg; i++)
		if (ndg[i] > 1)
			zctun_gso_set(&mm[i].msg_hdr, &cm[i], (uint16_t)mm[i].msg_hdr.msg_iov[0].iov_len);
	while (done < nmsg) {
		int r = sendmmsg(d->fd, mm + done, nmsg - done, MSG_DONTWAIT);

		atomic_fetch_add_explicit(&d->staged_calls, 1, memory_order_relaxed);
		if (r > 0) {
			for (i = done; i < done + (unsigned)r; i++)
				sent += ndg[i];
			done += (unsigned)r;
		} else if (r < 0 && gso && (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP)) {
			/* GSO refused: these go one datagram a message, and so does everything after. */
			atomic_store_explicit(&d->no_gso, true, memory_order_relaxed);
			i = first[done];
			return sent + send_staged_batch(d, b + i, len + i, n - i, ep);
		} else {
			break; /* a full socket buffer: the rest is lost, as any datagram would be */
		}
	}
	return sent;
}

unsigned wg_send_staged(wg_device *d, wg_peer *p, uint64_t now)
{
	wg_staged_buf *b[WG_STAGED_BATCH];
	size_t len[WG_STAGED_BATCH];
	uint8_t key[WG_STAGED_BATCH][WG_KEY_LEN];
	uint32_t remote[WG_STAGED_BATCH];
	uint64_t counter[WG_STAGED_BATCH];
	bool rekey = false, again = false;
	unsigned sent = 0, n, i;
	wg_endpoint ep;

	do {
		/* Up to a batch of them under one hold of the lock, a nonce each, in order. */
		pthread_mutex_lock(&p->lock);
		for (n = 0; n < WG_STAGED_BATCH && p->staged_head && p->endpoint.len &&
			    take_nonce(p, now, key[n], &remote[n], &counter[n], &again) == 0;
		     n++) {
			rekey |= again;
			b[n] = wg_peer_unstage(d, p);
		}
		if (n) {
			if (!p->timers.new_handshake)
				wg_timers_data_sent(&p->timers, now, jitter());
			wg_timers_authenticated_sent(&p->timers, now);
			wg_timers_traversal(&p->timers, now);
		}
		ep = p->endpoint;
		pthread_mutex_unlock(&p->lock);
		for (i = 0; i < n; i++) {
			len[i] = seal(b[i]->data, b[i]->len, remote[i], counter[i], key[i]);
			atomic_fetch_add_explicit(&p->tx_bytes, len[i], memory_order_relaxed);
		}
		if (n && d->fd >= 0)
			(void)send_staged_batch(d, b, len, n, &ep);
		for (i = 0; i < n; i++)
			wg_staged_free(d, b[i]);
		atomic_fetch_add_explicit(&d->staged_sent, n, memory_order_relaxed);
		sent += n;
	} while (n == WG_STAGED_BATCH);
	wg_memzero(key, sizeof key);
	if (rekey)
		wg_send_initiation(d, p, now, false);
	return sent;
}

ssize_t wg_encap(wg_device *d, uint8_t *pkt, size_t head, size_t len, size_t cap, unsigned mtu,
		 wg_endpoint *dst, uint64_t now)
{
	uint8_t addr[16], key[WG_KEY_LEN];
	size_t iplen, plen = padded(len, mtu);
	int family, slot, r;
	uint32_t remote;
	uint64_t counter;
	bool rekey = false, staged = false;
	wg_peer *p;

	if (head != WG_TX_HEADROOM || cap < head + plen + WG_TAG_LEN ||
	    wg_inner_parse(pkt + head, len, false, &family, addr, &iplen) < 0)
		return WG_TX_BAD;
	pthread_rwlock_rdlock(&d->lock);
	slot = wg_aip_lookup(&d->aip, family, addr);
	if (slot < 0) {
		pthread_rwlock_unlock(&d->lock);
		return WG_TX_NOPEER;
	}
	p = wg_peer_at(d, (uint32_t)slot);
	if (!p) {
		pthread_rwlock_unlock(&d->lock);
		return WG_TX_NOPEER;
	}
	pthread_mutex_lock(&p->lock);
	if (p->nstaged && p->cur) {
		/* Packets held for the handshake go first: their order is kept. */
		pthread_mutex_unlock(&p->lock);
		wg_send_staged(d, p, now);
		pthread_mutex_lock(&p->lock);
	}
	r = p->endpoint.len ? take_nonce(p, now, key, &remote, &counter, &rekey) : WG_TX_NOENDPOINT;
	if (r == -1 && d->id.have && wg_peer_stage(d, p, pkt + head, len, plen) == 0)
		staged = true;
	if (r == 0) {
		*dst = p->endpoint;
		/* Only the first packet after an answer arms it: no random draw per packet. */
		if (!p->timers.new_handshake)
			wg_timers_data_sent(&p->timers, now, jitter());
		wg_timers_authenticated_sent(&p->timers, now);
		wg_timers_traversal(&p->timers, now);
	}
	pthread_mutex_unlock(&p->lock);
	if (r == -1 || rekey)
		wg_send_initiation(d, p, now, false);
	pthread_rwlock_unlock(&d->lock);
	if (r < 0)
		return r == -1 ? (staged ? WG_TX_STAGED : WG_TX_NOKEY) : r;
	memset(pkt + head + len, 0, plen - len);
	len = seal(pkt, plen, remote, counter, key);
	wg_memzero(key, sizeof key);
	atomic_fetch_add_explicit(&p->tx_bytes, len, memory_order_relaxed);
	return (ssize_t)len;
}

/* One peer's due timers (d->lock held shared). */
static void peer_tick(wg_device *d, wg_peer *p, uint64_t now)
{
	unsigned due;

	pthread_mutex_lock(&p->lock);
	due = wg_timers_poll(&p->timers, now);
	if (due & WG_DUE_ZERO_KEYS)
		wg_peer_zero_keys(d, p);
	/* The handshake failed for REKEY_ATTEMPT_TIME: what waited for it goes. */
	if (due & WG_DUE_GIVE_UP)
		wg_peer_purge_staged(d, p);
	pthread_mutex_unlock(&p->lock);
	if (due & WG_DUE_RETRY)
		wg_send_initiation(d, p, now, true);
	else if (due & WG_DUE_INITIATION)
		wg_send_initiation(d, p, now, false);
	if (due & WG_DUE_KEEPALIVE)
		wg_send_keepalive(d, p, now);
}

void wg_device_tick(wg_device *d, uint64_t now)
{
	uint32_t w, s;
	uint64_t bits;
	wg_peer *p;

	/* Only the peers whose timers have a deadline: idle ones cost a bit each. */
	pthread_rwlock_rdlock(&d->lock);
	for (w = 0; w < (d->hw + 63) / 64; w++) {
		for (bits = atomic_load_explicit(&d->armed[w], memory_order_relaxed); bits; bits &= bits - 1) {
			s = w * 64 + (uint32_t)__builtin_ctzll(bits);
			if ((p = wg_peer_at(d, s)))
				peer_tick(d, p, now);
		}
	}
	pthread_rwlock_unlock(&d->lock);
}
