/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_noise.c - the IKpsk2 handshake and the cookie MACs: two
 * identities run the handshake through the wire bytes, derive matching
 * keys, and refuse replays, tampering, the wrong key and the wrong
 * preshared key; mac1, mac2 and the cookie reply round trip.
 */
#include "testutil.h"

#include "wg/cookie.h"
#include "wg/noise.h"

typedef struct side {
	wg_identity id;
	wg_handshake hs;
	wg_keypair kp;
	wg_cookie ck;          /* towards the other side */
	wg_cookie_checker chk; /* for what the other side sends */
} side;

static void sides_make(side *a, side *b, const uint8_t *psk_a, const uint8_t *psk_b)
{
	uint8_t k[32];

	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	wg_x25519_generate(k);
	ck_assert_int_eq(wg_identity_set(&a->id, k), 0);
	wg_x25519_generate(k);
	ck_assert_int_eq(wg_identity_set(&b->id, k), 0);
	wg_handshake_init(&a->hs, b->id.pub, psk_a);
	wg_handshake_init(&b->hs, a->id.pub, psk_b);
	wg_cookie_init(&a->ck, b->id.pub);
	wg_cookie_init(&b->ck, a->id.pub);
	wg_cookie_checker_init(&a->chk, a->id.pub);
	wg_cookie_checker_init(&b->chk, b->id.pub);
}

static void ts_at(uint8_t ts[12], long sec, long nsec)
{
	struct timespec t = { sec, nsec };

	wg_tai64n(ts, t);
}

/* a initiates, b responds; returns 0 when both derived keys. */
static int handshake(side *a, side *b, long sec, uint8_t init[148], uint8_t resp[92])
{
	uint8_t ts[12];
	wg_init_opened o;

	ts_at(ts, sec, 0);
	if (wg_noise_create_initiation(&a->hs, &a->id, init, 0x11223344, ts) < 0)
		return -1;
	wg_cookie_add_macs(&a->ck, init, 148, 1);
	if (!wg_cookie_mac1_ok(&b->chk, init, 148))
		return -2;
	if (wg_noise_open_initiation(&b->id, init, &o) < 0)
		return -3;
	if (wg_noise_accept_initiation(&b->hs, &o) < 0)
		return -4;
	if (wg_noise_create_response(&b->hs, &b->id, resp, 0x55667788) < 0)
		return -5;
	wg_cookie_add_macs(&b->ck, resp, 92, 1);
	if (!wg_cookie_mac1_ok(&a->chk, resp, 92))
		return -6;
	if (wg_noise_consume_response(&a->hs, &a->id, resp) < 0)
		return -7;
	if (wg_noise_derive(&a->hs, &a->kp, 100) < 0 || wg_noise_derive(&b->hs, &b->kp, 200) < 0)
		return -8;
	return 0;
}

START_TEST(handshake_derives_matching_keys)
{
	static side a, b;
	uint8_t init[148], resp[92], psk[32], pkt[64 + 16];

	wg_random(psk, sizeof psk);
	sides_make(&a, &b, psk, psk);
	ck_assert_int_eq(handshake(&a, &b, 1000, init, resp), 0);
	ck_assert_int_eq(init[0], 1);
	ck_assert_int_eq(resp[0], 2);
	ck_assert_uint_eq(wg_load_le32(resp + WG_RESP_RECEIVER), 0x11223344);
	ck_assert(a.kp.initiator);
	ck_assert(!b.kp.initiator);
	ck_assert_mem_eq(a.kp.send, b.kp.recv, 32);
	ck_assert_mem_eq(a.kp.recv, b.kp.send, 32);
	ck_assert_mem_ne(a.kp.send, a.kp.recv, 32);
	ck_assert_uint_eq(a.kp.remote_index, 0x55667788);
	ck_assert_uint_eq(b.kp.remote_index, 0x11223344);
	ck_assert_uint_eq(a.kp.local_index, 0x11223344);
	/* The handshakes are cleared: nothing of the ephemeral keys stays. */
	ck_assert_int_eq(a.hs.state, WG_HS_NONE);
	ck_assert(b.hs.e_priv[0] == 0 && b.hs.ck[0] == 0);
	/* A transport message from a opens at b. */
	memset(pkt, 0x42, 64);
	ck_assert_int_eq(wg_aead_seal(pkt, 64, 0, a.kp.send, NULL, 0), 0);
	ck_assert_int_eq(wg_aead_open(pkt, 64, 0, b.kp.recv, NULL, 0), 0);
	ck_assert_int_eq(pkt[63], 0x42);
}
END_TEST

START_TEST(initiation_replay_refused)
{
	static side a, b;
	uint8_t init[148], resp[92], ts[12];
	wg_init_opened o;

	sides_make(&a, &b, NULL, NULL);
	ck_assert_int_eq(handshake(&a, &b, 1000, init, resp), 0);
	/* The same initiation again: it opens, but its timestamp is not newer. */
	ck_assert_int_eq(wg_noise_open_initiation(&b.id, init, &o), 0);
	ck_assert_int_eq(wg_noise_accept_initiation(&b.hs, &o), -1);
	/* An older one neither; a newer one is taken. */
	ts_at(ts, 999, 0);
	ck_assert_int_eq(wg_noise_create_initiation(&a.hs, &a.id, init, 1, ts), 0);
	ck_assert_int_eq(wg_noise_open_initiation(&b.id, init, &o), 0);
	ck_assert_int_eq(wg_noise_accept_initiation(&b.hs, &o), -1);
	ts_at(ts, 1000, 1);
	ck_assert_int_eq(wg_noise_create_initiation(&a.hs, &a.id, init, 2, ts), 0);
	ck_assert_int_eq(wg_noise_open_initiation(&b.id, init, &o), 0);
	ck_assert_int_eq(wg_noise_accept_initiation(&b.hs, &o), 0);
	ck_assert_uint_eq(b.hs.remote_index, 2);
}
END_TEST

START_TEST(tampering_refused)
{
	static side a, b, c;
	uint8_t init[148], resp[92], ts[12];
	wg_init_opened o;
	size_t i;

	sides_make(&a, &b, NULL, NULL);
	ts_at(ts, 5, 0);
	ck_assert_int_eq(wg_noise_create_initiation(&a.hs, &a.id, init, 7, ts), 0);
	wg_cookie_add_macs(&a.ck, init, 148, 1);
	/* Any flipped byte of the authenticated part fails open or mac1. */
	for (i = WG_INIT_EPHEMERAL; i < WG_INIT_MAC1; i++) {
		init[i] ^= 4;
		ck_assert(!wg_cookie_mac1_ok(&b.chk, init, 148));
		ck_assert_int_eq(wg_noise_open_initiation(&b.id, init, &o), -1);
		init[i] ^= 4;
	}
	init[WG_INIT_MAC1] ^= 1;
	ck_assert(!wg_cookie_mac1_ok(&b.chk, init, 148));
	init[WG_INIT_MAC1] ^= 1;
	ck_assert(wg_cookie_mac1_ok(&b.chk, init, 148));
	/* Sent to b, not to c: c can neither check mac1 nor open it. */
	sides_make(&c, &c, NULL, NULL);
	ck_assert(!wg_cookie_mac1_ok(&c.chk, init, 148));
	ck_assert_int_eq(wg_noise_open_initiation(&c.id, init, &o), -1);
	/* A response tampered with, or for another index, is refused, the state kept. */
	ck_assert_int_eq(wg_noise_open_initiation(&b.id, init, &o), 0);
	ck_assert_int_eq(wg_noise_accept_initiation(&b.hs, &o), 0);
	ck_assert_int_eq(wg_noise_create_response(&b.hs, &b.id, resp, 9), 0);
	resp[WG_RESP_EMPTY] ^= 1;
	ck_assert_int_eq(wg_noise_consume_response(&a.hs, &a.id, resp), -1);
	resp[WG_RESP_EMPTY] ^= 1;
	wg_store_le32(resp + WG_RESP_RECEIVER, 8);
	ck_assert_int_eq(wg_noise_consume_response(&a.hs, &a.id, resp), -1);
	wg_store_le32(resp + WG_RESP_RECEIVER, 7);
	ck_assert_int_eq(a.hs.state, WG_HS_INIT_SENT);
	ck_assert_int_eq(wg_noise_consume_response(&a.hs, &a.id, resp), 0);
	/* Consumed once: a second copy finds no handshake waiting. */
	ck_assert_int_eq(wg_noise_consume_response(&a.hs, &a.id, resp), -1);
}
END_TEST

START_TEST(psk_mismatch_refused)
{
	static side a, b;
	uint8_t init[148], resp[92], p1[32], p2[32];

	wg_random(p1, 32);
	memcpy(p2, p1, 32);
	p2[31] ^= 1;
	sides_make(&a, &b, p1, p2);
	/* The initiation does not depend on the PSK; the response's tag does. */
	ck_assert_int_eq(handshake(&a, &b, 10, init, resp), -7);
	sides_make(&a, &b, p1, NULL);
	ck_assert_int_eq(handshake(&a, &b, 10, init, resp), -7);
}
END_TEST

START_TEST(wrong_state_refused)
{
	static side a, b;
	uint8_t resp[92];
	wg_keypair kp;

	sides_make(&a, &b, NULL, NULL);
	ck_assert_int_eq(wg_noise_create_response(&b.hs, &b.id, resp, 1), -1);
	ck_assert_int_eq(wg_noise_derive(&a.hs, &kp, 0), -1);
}
END_TEST

START_TEST(tai64n_layout)
{
	uint8_t ts[12];

	ts_at(ts, 1, 0x01020304);
	ck_assert_int_eq(ts[0], 0x40);
	ck_assert_int_eq(ts[7], 0x0b); /* 2^62 + 10 + 1 */
	ck_assert_int_eq(ts[8], 1);
	ck_assert_int_eq(ts[11], 4);
}
END_TEST

START_TEST(cookie_reply_roundtrip)
{
	static side a, b;
	uint8_t init[148], reply[64], ts[12], src[6] = { 192, 0, 2, 1, 0x13, 0x88 };

	sides_make(&a, &b, NULL, NULL);
	ts_at(ts, 50, 0);
	ck_assert_int_eq(wg_noise_create_initiation(&a.hs, &a.id, init, 3, ts), 0);
	wg_cookie_add_macs(&a.ck, init, 148, 10);
	ck_assert(wg_cookie_mac1_ok(&b.chk, init, 148));
	/* No cookie yet: mac2 is zero and does not check. */
	ck_assert(!wg_cookie_mac2_ok(&b.chk, init, 148, src, sizeof src, 10));
	wg_cookie_make_reply(&b.chk, reply, init, 148, 3, src, sizeof src, 10);
	ck_assert_int_eq(reply[0], 3);
	ck_assert_uint_eq(wg_load_le32(reply + WG_COOKIE_RECEIVER), 3);
	reply[40] ^= 1;
	ck_assert_int_eq(wg_cookie_consume_reply(&a.ck, reply, 11), -1);
	reply[40] ^= 1;
	ck_assert_int_eq(wg_cookie_consume_reply(&a.ck, reply, 11), 0);
	ck_assert_int_eq(wg_cookie_consume_reply(&a.ck, reply, 11), -1);
	/* The next message carries mac2 that b accepts from that address only. */
	wg_cookie_add_macs(&a.ck, init, 148, 12);
	ck_assert(wg_cookie_mac2_ok(&b.chk, init, 148, src, sizeof src, 12));
	src[5] ^= 1;
	ck_assert(!wg_cookie_mac2_ok(&b.chk, init, 148, src, sizeof src, 12));
	src[5] ^= 1;
	/* Once the cookie is old, none is sent. */
	wg_cookie_add_macs(&a.ck, init, 148, 12 + WG_COOKIE_USE_LIFE);
	ck_assert(!wg_cookie_mac2_ok(&b.chk, init, 148, src, sizeof src, 12));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_noise");
	TCase *tc = tcase_create("noise");

	tcase_set_timeout(tc, 60);

	if (wg_crypto_init() < 0 || wg_noise_init() < 0)
		return EXIT_FAILURE;
	tcase_add_test(tc, handshake_derives_matching_keys);
	tcase_add_test(tc, initiation_replay_refused);
	tcase_add_test(tc, tampering_refused);
	tcase_add_test(tc, psk_mismatch_refused);
	tcase_add_test(tc, wrong_state_refused);
	tcase_add_test(tc, tai64n_layout);
	tcase_add_test(tc, cookie_reply_roundtrip);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
