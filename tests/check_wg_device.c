/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_device.c - two WireGuard devices in one process, talking
 * over UDP on 127.0.0.1 with the caller's clock: the first packet starts a
 * handshake, the response and the keepalive complete it, then data both
 * ways (padding, in place), a replayed and a tampered datagram, a spoofed
 * inner source, a destination no peer holds, rekeying after
 * REKEY_AFTER_TIME, a session dead after REJECT_AFTER_TIME, and under load
 * the cookie reply, mac2 and the per-address rate limit. Packets sent
 * before a session exists are held and go out, in order, once it does (as
 * the initiator's first data, or the responder's once confirmed); at most
 * 128 a peer, freed when the handshake fails or the peer goes. A responder
 * whose keypair pool is empty makes no session until a keypair is free.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wg/messages.h"
#include "wg/peer.h"
#include "wg/receive.h"
#include "wg/send.h"

#define S 1000000000ull
#define T0 (5000 * S)

typedef struct node {
	wg_device d;
	wg_endpoint self;
	uint8_t priv[32];
} node;

static node A, B;

static void node_make(node *n, uint32_t keypairs)
{
	struct sockaddr_in *sa = (void *)&n->self.ss;

	ck_assert_int_eq(wg_device_init_pool(&n->d, keypairs), 0);
	wg_x25519_generate(n->priv);
	ck_assert_int_eq(wg_device_set_key(&n->d, n->priv), 0);
	n->d.fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(n->d.fd, 0);
	memset(&n->self, 0, sizeof n->self);
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n->self.len = sizeof *sa;
	ck_assert_int_eq(bind(n->d.fd, (struct sockaddr *)sa, sizeof *sa), 0);
	ck_assert_int_eq(getsockname(n->d.fd, (struct sockaddr *)sa, &n->self.len), 0);
}

/* a knows b as a peer owning prefix/32, at its address when with_ep. */
static wg_peer *peer_add(node *a, node *b, const char *prefix, bool with_ep)
{
	wg_peer *p;
	uint8_t addr[16] = {0};

	pthread_rwlock_wrlock(&a->d.lock);
	p = wg_peer_find(&a->d, b->d.id.pub, true);
	ck_assert_ptr_nonnull(p);
	inet_pton(AF_INET, prefix, addr);
	ck_assert_int_eq(wg_aip_insert(&a->d.aip, 4, addr, 32, wg_peer_slot(&a->d, p)), 0);
	if (with_ep)
		p->endpoint = b->self;
	pthread_rwlock_unlock(&a->d.lock);
	return p;
}

/* The next datagram on n's socket (waits up to a second); its length, 0 if none. */
static size_t take(node *n, uint8_t *buf, size_t cap)
{
	struct pollfd pfd = { .fd = n->d.fd, .events = POLLIN };
	ssize_t r;

	if (poll(&pfd, 1, 1000) != 1)
		return 0;
	r = recv(n->d.fd, buf, cap, 0);
	ck_assert_int_gt(r, 0);
	return (size_t)r;
}

static bool nothing_waiting(node *n)
{
	struct pollfd pfd = { .fd = n->d.fd, .events = POLLIN };

	return poll(&pfd, 1, 50) == 0;
}

/* A 20-byte IPv4 header from src to dst and len - 20 bytes of payload, at p + 16. */
static size_t ip_packet(uint8_t *p, const char *src, const char *dst, size_t len)
{
	uint8_t *ip = p + WG_TX_HEADROOM;
	size_t i;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(len >> 8);
	ip[3] = (uint8_t)len;
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	for (i = 20; i < len; i++)
		ip[i] = (uint8_t)(i * 13);
	return len;
}

/* Delivers one datagram from `from` to `to`; returns what wg_decap said. */
static int deliver(node *to, node *from, uint8_t *msg, size_t len, uint64_t now, size_t *off, size_t *inner)
{
	return wg_decap(&to->d, msg, len, &from->self, now, off, inner);
}

static void handshake(uint64_t now)
{
	uint8_t pkt[2048], want[100], m[256];
	wg_endpoint dst;
	size_t n, off, in;

	/* No session: the packet is held and an initiation goes out. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 100);
	memcpy(want, pkt + WG_TX_HEADROOM, 100);
	ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 100, sizeof pkt, 1420, &dst, now), WG_TX_STAGED);
	n = take(&B, m, sizeof m);
	ck_assert_uint_eq(n, WG_INIT_LEN);
	ck_assert_int_eq(deliver(&B, &A, m, n, now, &off, &in), WG_RX_DONE);
	n = take(&A, m, sizeof m);
	ck_assert_uint_eq(n, WG_RESP_LEN);
	ck_assert_int_eq(deliver(&A, &B, m, n, now, &off, &in), WG_RX_DONE);
	/* The held packet, padded to 112, confirms the session to the responder (no keepalive needed). */
	n = take(&B, m, sizeof m);
	ck_assert_uint_eq(n, WG_DATA_MIN_LEN + 112);
	ck_assert_int_eq(deliver(&B, &A, m, n, now, &off, &in), WG_RX_DATA);
	ck_assert_uint_eq(in, 100);
	ck_assert_mem_eq(m + off, want, 100);
	ck_assert(nothing_waiting(&B));
}

static void setup(void)
{
	wg_crypto_init();
	wg_noise_init();
	/* B's pool is small, so that a test can empty it: the others never notice. */
	node_make(&A, WG_KEYPAIRS);
	node_make(&B, 8);
	peer_add(&A, &B, "10.0.0.2", true);
	peer_add(&B, &A, "10.0.0.1", false);
}

static void teardown(void)
{
	close(A.d.fd);
	close(B.d.fd);
	wg_device_free(&A.d);
	wg_device_free(&B.d);
}

START_TEST(data_both_ways)
{
	uint8_t pkt[2048], copy[2048], want[2048];
	wg_endpoint dst;
	size_t off, in, len;
	ssize_t n;
	struct sockaddr_in *sa = (void *)&dst.ss;

	handshake(T0);
	for (len = 20; len <= 1420; len += 93) {
		ip_packet(pkt, "10.0.0.1", "10.0.0.2", len);
		memcpy(want, pkt + WG_TX_HEADROOM, len);
		n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, len, sizeof pkt, 1420, &dst, T0 + S);
		/* Header, the packet padded to 16 (not past the MTU), the tag. */
		ck_assert_int_eq(n, (ssize_t)(16 + ((len + 15) / 16 * 16 > 1420 ? 1420 : (len + 15) / 16 * 16) + 16));
		ck_assert_int_eq(pkt[0], WG_MSG_DATA);
		ck_assert_uint_eq(ntohs(sa->sin_port), ntohs(((struct sockaddr_in *)(void *)&B.self.ss)->sin_port));
		ck_assert_mem_ne(pkt + 16, want, 20);
		memcpy(copy, pkt, (size_t)n);
		ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0 + S, &off, &in), WG_RX_DATA);
		ck_assert_uint_eq(off, 16);
		ck_assert_uint_eq(in, len);
		ck_assert_mem_eq(pkt + off, want, len);
		/* The same datagram again is a replay. */
		ck_assert_int_eq(deliver(&B, &A, copy, (size_t)n, T0 + S, &off, &in), WG_RX_REPLAY);
	}
	/* And back: B learnt A's endpoint from the handshake. */
	ip_packet(pkt, "10.0.0.2", "10.0.0.1", 60);
	n = wg_encap(&B.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, T0 + S);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(deliver(&A, &B, pkt, (size_t)n, T0 + S, &off, &in), WG_RX_DATA);
	ck_assert_uint_eq(in, 60);
}
END_TEST

START_TEST(forged_and_spoofed)
{
	uint8_t pkt[2048];
	wg_endpoint dst;
	size_t off, in;
	ssize_t n;

	handshake(T0);
	/* A flipped bit anywhere past the header: the tag fails. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 80);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 80, sizeof pkt, 1420, &dst, T0);
	pkt[40] ^= 1;
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0, &off, &in), WG_RX_AUTH);
	/* An unknown receiver index, a short datagram, an unknown type. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 80);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 80, sizeof pkt, 1420, &dst, T0);
	pkt[4] ^= 0x80;
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0, &off, &in), WG_RX_AUTH);
	ck_assert_int_eq(deliver(&B, &A, pkt, 20, T0, &off, &in), WG_RX_BAD);
	pkt[0] = 9;
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0, &off, &in), WG_RX_BAD);
	/* A's own packet from a source outside what B gave A: dropped after decryption. */
	ip_packet(pkt, "10.0.0.9", "10.0.0.2", 80);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 80, sizeof pkt, 1420, &dst, T0);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0, &off, &in), WG_RX_SPOOF);
	/* No peer for the destination. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.77", 80);
	ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 80, sizeof pkt, 1420, &dst, T0), WG_TX_NOPEER);
	/* Not an IP packet at all. */
	memset(pkt + 16, 0, 40);
	ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 40, sizeof pkt, 1420, &dst, T0), WG_TX_BAD);
}
END_TEST

START_TEST(rekey_and_expiry)
{
	uint8_t pkt[2048], m[256];
	wg_endpoint dst;
	size_t off, in, k;
	ssize_t n;

	handshake(T0);
	ck_assert(nothing_waiting(&B));
	/* Before REKEY_AFTER_TIME: data, no initiation. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 64);
	ck_assert_int_gt(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 64, sizeof pkt, 1420, &dst, T0 + 119 * S), 0);
	ck_assert(nothing_waiting(&B));
	/* After it: the packet still goes, and the initiator starts a new handshake. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 64);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 64, sizeof pkt, 1420, &dst, T0 + 121 * S);
	ck_assert_int_gt(n, 0);
	k = take(&B, m, sizeof m);
	ck_assert_uint_eq(k, WG_INIT_LEN);
	/* The old session still carries data while the new one forms. */
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0 + 121 * S, &off, &in), WG_RX_DATA);
	ck_assert_int_eq(deliver(&B, &A, m, k, T0 + 121 * S, &off, &in), WG_RX_DONE);
	k = take(&A, m, sizeof m);
	ck_assert_uint_eq(k, WG_RESP_LEN);
	ck_assert_int_eq(deliver(&A, &B, m, k, T0 + 121 * S, &off, &in), WG_RX_DONE);
	k = take(&B, m, sizeof m);
	ck_assert_int_eq(deliver(&B, &A, m, k, T0 + 121 * S, &off, &in), WG_RX_DONE);
	/* The new session outlives the old one's REJECT_AFTER_TIME. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 64);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 64, sizeof pkt, 1420, &dst, T0 + 200 * S);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0 + 200 * S, &off, &in), WG_RX_DATA);
	/* Past REJECT_AFTER_TIME of the new one, nothing is sent on it; a handshake starts. */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 64);
	ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 64, sizeof pkt, 1420, &dst, T0 + 302 * S),
			 WG_TX_STAGED);
	ck_assert_uint_eq(take(&B, m, sizeof m), WG_INIT_LEN);
}
END_TEST

START_TEST(timers_send_keepalive_and_retry)
{
	uint8_t pkt[2048], m[256];
	wg_endpoint dst;
	size_t off, in, k;
	ssize_t n;
	wg_peer *pb;

	handshake(T0);
	/*
	 * Data from A to B (the held packet at T0, one more at T0 + 1); B says
	 * nothing back: B's keepalive is due KEEPALIVE_TIMEOUT after the first,
	 * and one answers both.
	 */
	ip_packet(pkt, "10.0.0.1", "10.0.0.2", 64);
	n = wg_encap(&A.d, pkt, WG_TX_HEADROOM, 64, sizeof pkt, 1420, &dst, T0 + S);
	ck_assert_int_eq(deliver(&B, &A, pkt, (size_t)n, T0 + S, &off, &in), WG_RX_DATA);
	wg_device_tick(&B.d, T0 + 9 * S);
	ck_assert(nothing_waiting(&A));
	wg_device_tick(&B.d, T0 + 10 * S);
	k = take(&A, m, sizeof m);
	ck_assert_uint_eq(k, WG_DATA_MIN_LEN);
	ck_assert_int_eq(deliver(&A, &B, m, k, T0 + 10 * S, &off, &in), WG_RX_DONE);
	wg_device_tick(&B.d, T0 + 21 * S);
	ck_assert(nothing_waiting(&A));
	/* An initiation that goes unanswered is sent again after REKEY_TIMEOUT (and jitter). */
	pb = wg_peer_find(&A.d, B.d.id.pub, false);
	wg_send_initiation(&A.d, pb, T0 + 200 * S, false);
	ck_assert_uint_eq(take(&B, m, sizeof m), WG_INIT_LEN);
	wg_device_tick(&A.d, T0 + 204 * S);
	ck_assert(nothing_waiting(&B));
	wg_device_tick(&A.d, T0 + 206 * S);
	ck_assert_uint_eq(take(&B, m, sizeof m), WG_INIT_LEN);
	/* Its timestamp is newer: B takes it, a replay of it not. */
	ck_assert_int_eq(deliver(&B, &A, m, WG_INIT_LEN, T0 + 206 * S, &off, &in), WG_RX_DONE);
	ck_assert_int_eq(deliver(&B, &A, m, WG_INIT_LEN, T0 + 207 * S, &off, &in), WG_RX_REPLAY);
	take(&A, m, sizeof m);
	/* A new initiation within 20 ms of the last one taken is a flood: dropped. */
	wg_send_initiation(&A.d, pb, T0 + 208 * S, true);
	ck_assert_uint_eq(take(&B, m, sizeof m), WG_INIT_LEN);
	ck_assert_int_eq(deliver(&B, &A, m, WG_INIT_LEN, T0 + 206 * S + 10000000ull, &off, &in), WG_RX_RATELIMIT);
	ck_assert_int_eq(deliver(&B, &A, m, WG_INIT_LEN, T0 + 206 * S + 30000000ull, &off, &in), WG_RX_DONE);
}
END_TEST

START_TEST(cookie_under_load)
{
	uint8_t m[256];
	size_t off, in, k;
	wg_peer *pb = wg_peer_find(&A.d, B.d.id.pub, false);
	unsigned i, taken = 0, limited = 0;

	/* B is under load from the first handshake on. */
	B.d.load_threshold = 0;
	wg_send_initiation(&A.d, pb, T0, false);
	k = take(&B, m, sizeof m);
	ck_assert_uint_eq(k, WG_INIT_LEN);
	/* No mac2 yet: B answers with a cookie reply, and spends no DH on it. */
	ck_assert_int_eq(deliver(&B, &A, m, k, T0, &off, &in), WG_RX_COOKIE);
	k = take(&A, m, sizeof m);
	ck_assert_uint_eq(k, WG_COOKIE_LEN);
	ck_assert_int_eq(m[0], WG_MSG_COOKIE);
	ck_assert_int_eq(deliver(&A, &B, m, k, T0, &off, &in), WG_RX_DONE);
	/* The retransmission carries mac2: B takes it. */
	wg_send_initiation(&A.d, pb, T0 + 5 * S, true);
	k = take(&B, m, sizeof m);
	ck_assert_int_eq(deliver(&B, &A, m, k, T0 + 5 * S, &off, &in), WG_RX_DONE);
	ck_assert_uint_eq(take(&A, m, sizeof m), WG_RESP_LEN);
	/*
	 * From one address, a burst of 5 goes and then 20 a second: 12 in 231 ms
	 * (21 ms apart, past the per-peer flood guard) refill 4.6 tokens.
	 */
	for (i = 0; i < 12; i++) {
		uint64_t at = T0 + 20 * S + i * 21000000ull;

		wg_send_initiation(&A.d, pb, at, true);
		k = take(&B, m, sizeof m);
		ck_assert_uint_eq(k, WG_INIT_LEN);
		switch (deliver(&B, &A, m, k, at, &off, &in)) {
		case WG_RX_DONE:
			taken++;
			ck_assert_uint_eq(take(&A, m, sizeof m), WG_RESP_LEN);
			break;
		case WG_RX_RATELIMIT:
			limited++;
			break;
		default:
			ck_abort_msg("initiation %u neither taken nor limited", i);
		}
	}
	ck_assert_uint_ge(taken, 8);
	ck_assert_uint_le(taken, 10);
	ck_assert_uint_eq(taken + limited, 12);
	/* A second later the bucket has refilled. */
	wg_send_initiation(&A.d, pb, T0 + 22 * S, true);
	k = take(&B, m, sizeof m);
	ck_assert_int_eq(deliver(&B, &A, m, k, T0 + 22 * S, &off, &in), WG_RX_DONE);
}
END_TEST

/* The number i in a held packet's payload, and back. */
static size_t numbered(uint8_t *pkt, const char *src, const char *dst, unsigned i)
{
	ip_packet(pkt, src, dst, 60);
	pkt[WG_TX_HEADROOM + 40] = (uint8_t)(i >> 8);
	pkt[WG_TX_HEADROOM + 41] = (uint8_t)i;
	return 60;
}

/* 130 packets before the response: the 128 newest go out once it comes, in order. */
START_TEST(staged_bounded_and_in_order)
{
	uint8_t pkt[2048], m[2048];
	wg_endpoint dst;
	size_t n, off, in;
	wg_peer *pb = wg_peer_find(&A.d, B.d.id.pub, false);
	unsigned i;

	for (i = 0; i < 130; i++) {
		numbered(pkt, "10.0.0.1", "10.0.0.2", i);
		ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, T0), WG_TX_STAGED);
	}
	ck_assert_uint_eq(pb->nstaged, WG_STAGED_PER_PEER);
	ck_assert_uint_eq(A.d.stage.inuse, WG_STAGED_PER_PEER);
	ck_assert_uint_eq(atomic_load(&A.d.staged_dropped), 2);
	/* One initiation for all of them. */
	n = take(&B, m, sizeof m);
	ck_assert_uint_eq(n, WG_INIT_LEN);
	ck_assert(nothing_waiting(&B));
	ck_assert_int_eq(deliver(&B, &A, m, n, T0, &off, &in), WG_RX_DONE);
	n = take(&A, m, sizeof m);
	ck_assert_int_eq(deliver(&A, &B, m, n, T0, &off, &in), WG_RX_DONE);
	for (i = 2; i < 130; i++) {
		n = take(&B, m, sizeof m);
		ck_assert_uint_eq(n, WG_DATA_MIN_LEN + 64);
		ck_assert_int_eq(deliver(&B, &A, m, n, T0, &off, &in), WG_RX_DATA);
		ck_assert_uint_eq(in, 60);
		ck_assert_uint_eq((unsigned)m[off + 40] << 8 | m[off + 41], i);
	}
	ck_assert(nothing_waiting(&B));
	ck_assert_uint_eq(pb->nstaged, 0);
	ck_assert_uint_eq(A.d.stage.inuse, 0);
	ck_assert_uint_eq(atomic_load(&A.d.staged_sent), 128);
	/* Two batches of 64, each one sendmmsg() (one UDP GSO run of 96-byte datagrams). */
	ck_assert_uint_eq(atomic_load(&A.d.staged_calls), 2);
	/* With the session up, nothing more is held. */
	numbered(pkt, "10.0.0.1", "10.0.0.2", 999);
	ck_assert_int_gt(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, T0), 0);
}
END_TEST

/* The responder's packets wait until the initiator's first data confirms the session. */
START_TEST(staged_responder_after_confirmation)
{
	uint8_t pkt[2048], m[2048];
	wg_endpoint dst;
	size_t n, off, in;
	wg_peer *pb = wg_peer_find(&A.d, B.d.id.pub, false);
	wg_peer *pa = wg_peer_find(&B.d, A.d.id.pub, false);

	/* B knows A's endpoint only from a first handshake, which A starts. */
	wg_send_initiation(&A.d, pb, T0, false);
	n = take(&B, m, sizeof m);
	ck_assert_int_eq(deliver(&B, &A, m, n, T0, &off, &in), WG_RX_DONE);
	/* B has a next keypair, not yet a current one: its packet is held. */
	numbered(pkt, "10.0.0.2", "10.0.0.1", 7);
	ck_assert_int_eq(wg_encap(&B.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, T0), WG_TX_STAGED);
	ck_assert_uint_eq(pa->nstaged, 1);
	n = take(&A, m, sizeof m);
	ck_assert_uint_eq(n, WG_RESP_LEN);
	ck_assert_int_eq(deliver(&A, &B, m, n, T0, &off, &in), WG_RX_DONE);
	/* A's keepalive confirms; B's held packet follows at once. */
	n = take(&B, m, sizeof m);
	ck_assert_uint_eq(n, WG_DATA_MIN_LEN);
	ck_assert_int_eq(deliver(&B, &A, m, n, T0, &off, &in), WG_RX_DONE);
	ck_assert_uint_eq(pa->nstaged, 0);
	/* B's own initiation (sent when the packet was held) may come first: skip it. */
	do
		n = take(&A, m, sizeof m);
	while (n == WG_INIT_LEN);
	ck_assert_int_eq(deliver(&A, &B, m, n, T0, &off, &in), WG_RX_DATA);
	ck_assert_uint_eq((unsigned)m[off + 40] << 8 | m[off + 41], 7);
}
END_TEST

/* No response for REKEY_ATTEMPT_TIME: the held packets are freed; so are a removed peer's. */
START_TEST(staged_freed_on_timeout_and_removal)
{
	uint8_t pkt[2048], m[256];
	wg_endpoint dst;
	wg_peer *pb = wg_peer_find(&A.d, B.d.id.pub, false);
	uint64_t t;
	unsigned i;

	for (i = 0; i < 3; i++) {
		numbered(pkt, "10.0.0.1", "10.0.0.2", i);
		ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, T0), WG_TX_STAGED);
	}
	for (t = T0; t < T0 + 80 * S; t += S)
		wg_device_tick(&A.d, t);
	ck_assert_uint_eq(pb->nstaged, 3);
	/* 18 initiations REKEY_TIMEOUT (and jitter, and this loop's second) apart, then it gives up. */
	for (; t < T0 + 130 * S; t += S)
		wg_device_tick(&A.d, t);
	ck_assert_uint_eq(pb->nstaged, 0);
	ck_assert_uint_eq(atomic_load(&A.d.staged_dropped), 3);
	ck_assert_uint_eq(A.d.stage.inuse, 0);
	while (take(&B, m, sizeof m))
		;
	for (i = 0; i < 5; i++) {
		numbered(pkt, "10.0.0.1", "10.0.0.2", i);
		ck_assert_int_eq(wg_encap(&A.d, pkt, WG_TX_HEADROOM, 60, sizeof pkt, 1420, &dst, t), WG_TX_STAGED);
	}
	ck_assert_uint_eq(A.d.stage.inuse, 5);
	pthread_rwlock_wrlock(&A.d.lock);
	wg_peer_remove(&A.d, pb);
	pthread_rwlock_unlock(&A.d.lock);
	ck_assert_uint_eq(A.d.stage.inuse, 0);
	ck_assert_uint_eq(atomic_load(&A.d.staged_dropped), 8);
	ck_assert_uint_eq(atomic_load(&A.d.staged_sent), 0);
}
END_TEST

/* B's 8 keypairs all taken by other peers: A's initiation makes no session until one is free. */
START_TEST(keypair_pool_empty)
{
	uint8_t m[256], k[32];
	size_t n, off, in;
	wg_peer *pb = wg_peer_find(&A.d, B.d.id.pub, false), *other[4];
	wg_keypair kp;
	unsigned i, j;

	pthread_rwlock_wrlock(&B.d.lock);
	for (i = 0; i < 4; i++) {
		wg_random(k, sizeof k);
		other[i] = wg_peer_find(&B.d, k, true);
		ck_assert_ptr_nonnull(other[i]);
		for (j = 0; j < 2; j++) {
			memset(&kp, 0, sizeof kp);
			kp.valid = kp.initiator = true;
			kp.local_index = 0x1000 + 2 * i + j;
			ck_assert_int_eq(wg_peer_install(&B.d, other[i], &kp), 0);
		}
	}
	pthread_rwlock_unlock(&B.d.lock);
	ck_assert_uint_eq(B.d.pool.inuse, 8);
	wg_send_initiation(&A.d, pb, T0, false);
	n = take(&B, m, sizeof m);
	ck_assert_uint_eq(n, WG_INIT_LEN);
	ck_assert_int_eq(deliver(&B, &A, m, n, T0, &off, &in), WG_RX_NOKEYPAIR);
	ck_assert(nothing_waiting(&A));
	/* One peer's keys erased: the retry goes through. */
	pthread_mutex_lock(&other[0]->lock);
	wg_peer_zero_keys(&B.d, other[0]);
	pthread_mutex_unlock(&other[0]->lock);
	ck_assert_uint_eq(B.d.pool.inuse, 6);
	wg_send_initiation(&A.d, pb, T0 + 6 * S, true);
	n = take(&B, m, sizeof m);
	ck_assert_int_eq(deliver(&B, &A, m, n, T0 + 6 * S, &off, &in), WG_RX_DONE);
	ck_assert_uint_eq(take(&A, m, sizeof m), WG_RESP_LEN);
	ck_assert_uint_eq(B.d.pool.inuse, 7);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_device");
	TCase *tc = tcase_create("device");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, data_both_ways);
	tcase_add_test(tc, forged_and_spoofed);
	tcase_add_test(tc, rekey_and_expiry);
	tcase_add_test(tc, timers_send_keepalive_and_retry);
	tcase_add_test(tc, cookie_under_load);
	tcase_add_test(tc, staged_bounded_and_in_order);
	tcase_add_test(tc, staged_responder_after_confirmation);
	tcase_add_test(tc, staged_freed_on_timeout_and_removal);
	tcase_add_test(tc, keypair_pool_empty);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
