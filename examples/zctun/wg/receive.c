/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/receive.c - handshakes and transport data from peers
 * (receive.h).
 *
 * Order of checks, cheapest and most telling first: the message's type and
 * exact length; for a handshake mac1 before any Diffie-Hellman; for data the
 * receiver index names the peer and keypair, the tag authenticates, and only
 * then the counter is checked against the replay window and the endpoint
 * follows the sender (roaming); last, the decrypted packet's source must be
 * in the peer's allowed IPs.
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "wg/inner.h"
#include "wg/messages.h"
#include "wg/receive.h"
#include "wg/send.h"

static void reply_to(wg_device *d, const uint8_t *msg, size_t len, const wg_endpoint *ep)
{
	if (d->fd >= 0)
		(void)sendto(d->fd, msg, len, MSG_DONTWAIT, (const struct sockaddr *)&ep->ss, ep->len);
}

/* A session just derived (peer locked): keys installed, timers told; -1 when the pool is empty. */
static int session_up(wg_device *d, wg_peer *p, const wg_keypair *kp, const wg_endpoint *from, uint64_t now)
{
	if (wg_peer_install(d, p, kp) < 0)
		return -1;
	p->endpoint = *from;
	clock_gettime(CLOCK_REALTIME, &p->last_handshake);
	wg_timers_session_derived(&p->timers, now);
	wg_timers_traversal(&p->timers, now);
	return 0;
}

/* The bytes a cookie is made of: the source address and port. */
static size_t src_bytes(const wg_endpoint *from, uint8_t out[18], int *family, const uint8_t **addr)
{
	const struct sockaddr_in6 *s6 = (const void *)&from->ss;
	const struct sockaddr_in *s4 = (const void *)&from->ss;

	if (from->ss.ss_family == AF_INET6) {
		memcpy(out, &s6->sin6_addr, 16);
		memcpy(out + 16, &s6->sin6_port, 2);
		*family = IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) ? 4 : 6;
		*addr = *family == 4 ? out + 12 : out;
		return 18;
	}
	memcpy(out, &s4->sin_addr, 4);
	memcpy(out + 4, &s4->sin_port, 2);
	*family = 4;
	*addr = out;
	return 6;
}

/*
 * The load gate for a handshake message whose mac1 checked: 0 to go on,
 * WG_RX_COOKIE when a cookie reply went out instead, WG_RX_RATELIMIT.
 */
static int load_gate(wg_device *d, const uint8_t *msg, size_t len, uint32_t sender, const wg_endpoint *from,
		     uint64_t now)
{
	uint8_t src[18], reply[WG_COOKIE_LEN];
	const uint8_t *addr;
	int family;
	size_t n;

	if (now - d->load_window >= 1000000000ull) {
		d->load_window = now;
		d->load_count = 0;
	}
	if (++d->load_count > d->load_threshold)
		d->under_load_until = now + 1000000000ull;
	if (now >= d->under_load_until)
		return 0;
	n = src_bytes(from, src, &family, &addr);
	if (!wg_cookie_mac2_ok(&d->checker, msg, len, src, n, now)) {
		wg_cookie_make_reply(&d->checker, reply, msg, len, sender, src, n, now);
		reply_to(d, reply, sizeof reply, from);
		return WG_RX_COOKIE;
	}
	return wg_rate_allow(&d->rate, family, addr, now) ? 0 : WG_RX_RATELIMIT;
}

static int rx_initiation(wg_device *d, const uint8_t *msg, const wg_endpoint *from, uint64_t now)
{
	uint8_t resp[WG_RESP_LEN];
	wg_init_opened o;
	wg_keypair kp;
	wg_peer *p;
	int r = WG_RX_AUTH;

	if (!wg_cookie_mac1_ok(&d->checker, msg, WG_INIT_LEN))
		return WG_RX_BAD;
	r = load_gate(d, msg, WG_INIT_LEN, wg_load_le32(msg + WG_INIT_SENDER), from, now);
	if (r != 0)
		return r;
	r = WG_RX_AUTH;
	if (wg_noise_open_initiation(&d->id, msg, &o) < 0)
		return WG_RX_AUTH;
	p = wg_peer_find(d, o.remote_static, false);
	if (!p)
		goto out;
	pthread_mutex_lock(&p->lock);
	if (p->last_initiation_taken && now - p->last_initiation_taken < WG_INITIATION_GAP) {
		/* Replays of a fresh initiation are caught by their timestamp; floods of new ones here. */
		r = WG_RX_RATELIMIT;
	} else if (wg_noise_accept_initiation(&p->hs, &o) < 0) {
		r = WG_RX_REPLAY;
	} else if (wg_noise_create_response(&p->hs, &d->id, resp, wg_peer_hs_index(d, p)) == 0 &&
		   wg_noise_derive(&p->hs, &kp, now) == 0)
		r = session_up(d, p, &kp, from, now) < 0 ? WG_RX_NOKEYPAIR : WG_RX_DONE;
	if (r == WG_RX_DONE) {
		wg_cookie_add_macs(&p->cookie, resp, sizeof resp, now);
		p->last_initiation_taken = now;
		wg_timers_authenticated_received(&p->timers, now);
		atomic_fetch_add_explicit(&p->rx_bytes, WG_INIT_LEN, memory_order_relaxed);
		atomic_fetch_add_explicit(&p->tx_bytes, WG_RESP_LEN, memory_order_relaxed);
	}
	pthread_mutex_unlock(&p->lock);
	if (r == WG_RX_DONE)
		reply_to(d, resp, sizeof resp, from);
out:
	wg_memzero(&o, sizeof o);
	wg_memzero(&kp, sizeof kp);
	return r;
}

static int rx_response(wg_device *d, const uint8_t *msg, const wg_endpoint *from, uint64_t now)
{
	wg_peer *p = wg_peer_by_index(d, wg_load_le32(msg + WG_RESP_RECEIVER));
	wg_keypair kp;
	int r = WG_RX_AUTH;

	if (!wg_cookie_mac1_ok(&d->checker, msg, WG_RESP_LEN))
		return WG_RX_BAD;
	r = load_gate(d, msg, WG_RESP_LEN, wg_load_le32(msg + WG_RESP_SENDER), from, now);
	if (r != 0)
		return r;
	r = WG_RX_AUTH;
	if (!p)
		return WG_RX_AUTH;
	pthread_mutex_lock(&p->lock);
	if (wg_noise_consume_response(&p->hs, &d->id, msg) == 0 && wg_noise_derive(&p->hs, &kp, now) == 0)
		r = session_up(d, p, &kp, from, now) < 0 ? WG_RX_NOKEYPAIR : WG_RX_DONE;
	if (r == WG_RX_DONE) {
		wg_timers_handshake_complete(&p->timers);
		wg_timers_authenticated_received(&p->timers, now);
		atomic_fetch_add_explicit(&p->rx_bytes, WG_RESP_LEN, memory_order_relaxed);
	}
	pthread_mutex_unlock(&p->lock);
	wg_memzero(&kp, sizeof kp);
	/* The initiator speaks first on a new session: the responder waits for it. */
	if (r == WG_RX_DONE && !wg_send_staged(d, p, now))
		wg_send_keepalive(d, p, now);
	return r;
}

static int rx_cookie(wg_device *d, const uint8_t *msg, uint64_t now)
{
	wg_peer *p = wg_peer_by_index(d, wg_load_le32(msg + WG_COOKIE_RECEIVER));
	int r;

	if (!p)
		return WG_RX_AUTH;
	pthread_mutex_lock(&p->lock);
	r = wg_cookie_consume_reply(&p->cookie, msg, now) == 0 ? WG_RX_DONE : WG_RX_AUTH;
	pthread_mutex_unlock(&p->lock);
	return r;
}

/*
 * After the tag checked (peer locked): the replay window, a next keypair
 * confirmed, roaming, the timers. Returns 0, or WG_RX_* to drop.
 */
static int data_accept(wg_device *d, wg_peer *p, uint32_t idx, uint64_t counter, size_t plen,
		       const wg_endpoint *from, uint64_t now, bool *rekey, bool *flush)
{
	wg_keypair *kp = wg_peer_keypair(p, idx);

	if (!kp)
		return WG_RX_NOKEY;
	if (!wg_replay_check(&kp->replay, counter, WG_REJECT_AFTER_MESSAGES))
		return WG_RX_REPLAY;
	wg_peer_confirm(d, p, kp);
	p->endpoint = *from;
	wg_timers_authenticated_received(&p->timers, now);
	wg_timers_traversal(&p->timers, now);
	if (plen)
		wg_timers_data_received(&p->timers, now);
	*rekey = p->cur == kp && wg_rekey_after_receive(kp->initiator, kp->birth, now) &&
		 p->hs.state == WG_HS_NONE;
	/* A responder's first session is usable now: what waited for it goes. */
	*flush = p->nstaged && p->cur;
	return 0;
}

static int rx_data(wg_device *d, uint8_t *msg, size_t len, const wg_endpoint *from, uint64_t now,
		   size_t *off, size_t *inner)
{
	uint32_t idx = wg_load_le32(msg + WG_DATA_RECEIVER);
	uint64_t counter = wg_load_le64(msg + WG_DATA_COUNTER);
	size_t plen = len - WG_DATA_MIN_LEN, iplen;
	uint8_t key[WG_KEY_LEN], addr[16];
	wg_peer *p = wg_peer_by_index(d, idx);
	wg_keypair *kp;
	bool rekey = false, flush = false;
	int r, family;

	if (!p)
		return WG_RX_AUTH;
	pthread_mutex_lock(&p->lock);
	kp = wg_peer_keypair(p, idx);
	r = !kp ? WG_RX_AUTH : !wg_keypair_recv_ok(kp->birth, now) ? WG_RX_NOKEY : 0;
	if (r == 0)
		memcpy(key, kp->recv, WG_KEY_LEN);
	pthread_mutex_unlock(&p->lock);
	if (r < 0)
		return r;
	r = wg_aead_open(msg + WG_DATA_HDR_LEN, plen, counter, key, NULL, 0) == 0 ? 0 : WG_RX_AUTH;
	wg_memzero(key, sizeof key);
	if (r < 0)
		return r;
	pthread_mutex_lock(&p->lock);
	r = data_accept(d, p, idx, counter, plen, from, now, &rekey, &flush);
	pthread_mutex_unlock(&p->lock);
	if (r < 0)
		return r;
	if (flush)
		wg_send_staged(d, p, now);
	atomic_fetch_add_explicit(&p->rx_bytes, len, memory_order_relaxed);
	if (rekey)
		wg_send_initiation(d, p, now, false);
	if (plen == 0)
		return WG_RX_DONE; /* a keepalive */
	if (wg_inner_parse(msg + WG_DATA_HDR_LEN, plen, true, &family, addr, &iplen) < 0)
		return WG_RX_BAD;
	if (wg_aip_lookup(&d->aip, family, addr) != wg_peer_slot(d, p))
		return WG_RX_SPOOF;
	*off = WG_DATA_HDR_LEN;
	*inner = iplen;
	return WG_RX_DATA;
}

int wg_decap(wg_device *d, uint8_t *msg, size_t len, const wg_endpoint *from, uint64_t now,
	     size_t *off, size_t *inner)
{
	int r;

	if (len < 4 || msg[1] || msg[2] || msg[3])
		return WG_RX_BAD;
	pthread_rwlock_rdlock(&d->lock);
	if (msg[0] == WG_MSG_DATA && len >= WG_DATA_MIN_LEN)
		r = rx_data(d, msg, len, from, now, off, inner);
	else if (msg[0] == WG_MSG_INITIATION && len == WG_INIT_LEN)
		r = rx_initiation(d, msg, from, now);
	else if (msg[0] == WG_MSG_RESPONSE && len == WG_RESP_LEN)
		r = rx_response(d, msg, from, now);
	else if (msg[0] == WG_MSG_COOKIE && len == WG_COOKIE_LEN)
		r = rx_cookie(d, msg, now);
	else
		r = WG_RX_BAD;
	pthread_rwlock_unlock(&d->lock);
	return r;
}
