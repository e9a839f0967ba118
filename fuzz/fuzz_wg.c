/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_wg.c - zctun's WireGuard receive path (wg_decap) fed sequences
 * of datagrams, with its invariants checked after each.
 *
 * One device with a fixed key and one peer (AllowedIPs 10.0.0.2/32 and
 * fd00::2/128) that holds a session with fixed keys, so that the harness
 * can seal what the input says is plaintext and reach what lies behind the
 * tag: the replay window, the inner IP parse, cryptokey routing.
 *
 * The input is a list of records: one byte of operation, two of length n
 * (little endian, cut to what is left), then n bytes. Operations (the byte
 * modulo 4):
 *   0  the n bytes as a datagram, as they are;
 *   1  a transport message sealed by the harness with the session's key:
 *      the first 8 bytes the counter, the rest the plaintext;
 *   2  the clock moves on by the n bytes read as milliseconds;
 *   3  the timers' turn (wg_device_tick).
 * Invariants: no crash or sanitizer report; an inner packet handed up lies
 * inside the datagram, is one whole IPv4 or IPv6 packet from inside the
 * peer's AllowedIPs; the same sealed datagram twice is never taken twice.
 */
#include "driver.h"

#include <netinet/in.h>
#include <string.h>

#include "wg/messages.h"
#include "wg/peer.h"
#include "wg/receive.h"
#include "wg/send.h"

static wg_device dev;
static wg_peer *peer;
static wg_keypair kp;
static bool ready;

static void setup(void)
{
	uint8_t priv[32], pub[32], addr[16] = {0};

	if (wg_crypto_init() < 0 || wg_noise_init() < 0 || wg_device_init(&dev) < 0)
		abort();
	memset(priv, 0x11, sizeof priv);
	memset(pub, 0x22, sizeof pub);
	wg_device_set_key(&dev, priv);
	peer = wg_peer_find(&dev, pub, true);
	addr[0] = 10;
	addr[3] = 2;
	wg_aip_insert(&dev.aip, 4, addr, 32, wg_peer_slot(&dev, peer));
	memset(addr, 0, sizeof addr);
	addr[0] = 0xfd;
	addr[15] = 2;
	wg_aip_insert(&dev.aip, 6, addr, 128, wg_peer_slot(&dev, peer));
	ready = true;
}

/* A fresh session each input, so every input starts from the same state. */
static void session(uint64_t now)
{
	pthread_mutex_lock(&peer->lock);
	wg_peer_zero_keys(&dev, peer);
	wg_peer_reset_timers(&dev, peer);
	wg_keypair_clear(&kp);
	memset(kp.send, 0x33, sizeof kp.send);
	memset(kp.recv, 0x44, sizeof kp.recv);
	kp.local_index = 0xabcdef00u;
	kp.remote_index = 7;
	kp.birth = now;
	kp.initiator = true;
	kp.valid = true;
	if (wg_peer_install(&dev, peer, &kp) < 0)
		abort();
	memset(&peer->endpoint, 0, sizeof peer->endpoint);
	pthread_mutex_unlock(&peer->lock);
}

static void check_inner(const uint8_t *msg, size_t len, size_t off, size_t inner)
{
	const uint8_t *p = msg + off;

	ZC_FUZZ_CHECK(off <= len && inner <= len - off, "inner packet %zu+%zu outside %zu", off, inner, len);
	ZC_FUZZ_CHECK(inner >= 20 && (p[0] >> 4 == 4 || p[0] >> 4 == 6), "not an IP packet");
	if (p[0] >> 4 == 4)
		ZC_FUZZ_CHECK(p[12] == 10 && p[13] == 0 && p[14] == 0 && p[15] == 2, "IPv4 source not allowed");
	else
		ZC_FUZZ_CHECK(inner >= 40 && p[8] == 0xfd && p[23] == 2, "IPv6 source not allowed");
}

static void one(uint8_t *msg, size_t len, uint64_t now)
{
	wg_endpoint from = { .len = sizeof(struct sockaddr_in6) };
	size_t off = 0, inner = 0;
	int r;

	from.ss.ss_family = AF_INET6;
	r = wg_decap(&dev, msg, len, &from, now, &off, &inner);
	ZC_FUZZ_CHECK(r >= WG_RX_NOKEYPAIR && r <= WG_RX_COOKIE, "wg_decap returned %d", r);
	if (r == WG_RX_DATA)
		check_inner(msg, len, off, inner);
}

/* Seals plaintext p (counter first) as the peer would, into out. */
static size_t seal(uint8_t *out, const uint8_t *p, size_t n)
{
	uint64_t counter = 0;
	size_t plen;
	unsigned i;

	for (i = 0; i < 8 && i < n; i++)
		counter |= (uint64_t)p[i] << (8 * i);
	plen = n > 8 ? n - 8 : 0;
	wg_msg_header(out, WG_MSG_DATA);
	wg_store_le32(out + WG_DATA_RECEIVER, kp.local_index);
	wg_store_le64(out + WG_DATA_COUNTER, counter);
	if (plen)
		memcpy(out + WG_DATA_HDR_LEN, p + 8, plen);
	/* The peer's send key is our receive key. */
	wg_aead_seal(out + WG_DATA_HDR_LEN, plen, counter, kp.recv, NULL, 0);
	return WG_DATA_HDR_LEN + plen + WG_TAG_LEN;
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	static uint8_t msg[65536 + 64], again[65536 + 64];
	uint64_t now = 1000ull * 1000000000ull;
	size_t pos = 0;

	if (!ready)
		setup();
	session(now);
	while (size - pos >= 3) {
		unsigned op = data[pos] % 4;
		size_t n = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8, len;

		pos += 3;
		if (n > size - pos)
			n = size - pos;
		if (op == 0) {
			memcpy(msg, data + pos, n);
			one(msg, n, now);
		} else if (op == 1) {
			size_t off = 0, inner = 0;
			wg_endpoint from = { .len = sizeof(struct sockaddr_in6) };

			len = seal(msg, data + pos, n);
			memcpy(again, msg, len);
			one(msg, len, now);
			from.ss.ss_family = AF_INET6;
			/* Whatever it was the first time, the second time is no new data. */
			ZC_FUZZ_CHECK(wg_decap(&dev, again, len, &from, now, &off, &inner) != WG_RX_DATA,
				      "a sealed datagram was taken twice");
		} else if (op == 2) {
			uint64_t ms = 0;
			unsigned i;

			for (i = 0; i < n && i < 4; i++)
				ms |= (uint64_t)data[pos + i] << (8 * i);
			now += ms * 1000000ull;
		} else {
			wg_device_tick(&dev, now);
		}
		pos += n;
	}
}
