/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/cookie.h - mac1, mac2 and the cookie reply (the
 * WireGuard paper, section 5.4.4 and 5.4.7).
 *
 * mac1 proves the sender knows the receiver's public key, and is checked
 * before any Diffie-Hellman is spent on a message. mac2 is keyed with a
 * cookie: under load a responder answers a handshake whose mac2 is not
 * right with a cookie reply (the cookie, a MAC of the sender's address under
 * a secret that changes every two minutes, encrypted to the sender), and
 * takes the handshake only once its mac2 carries that cookie.
 */
#ifndef ZCTUN_WG_COOKIE_H
#define ZCTUN_WG_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg/crypto.h"

#define WG_COOKIE_SECRET_LIFE (120 * 1000000000ull) /* COOKIE_REFRESH_TIME */
/* A received cookie is used this long after it came (a little less than its life). */
#define WG_COOKIE_USE_LIFE (WG_COOKIE_SECRET_LIFE - 2 * 1000000000ull)

/* Our side: checks the MACs of what is sent to us, makes cookie replies. */
typedef struct wg_cookie_checker {
	uint8_t mac1_key[WG_KEY_LEN];   /* HASH("mac1----" || our public key) */
	uint8_t cookie_key[WG_KEY_LEN]; /* HASH("cookie--" || our public key) */
	uint8_t secret[WG_KEY_LEN];
	uint64_t secret_birth;          /* 0: never made */
} wg_cookie_checker;

/* A peer's side: what we need to send MACs to that peer. */
typedef struct wg_cookie {
	uint8_t mac1_key[WG_KEY_LEN];   /* HASH("mac1----" || the peer's public key) */
	uint8_t cookie_key[WG_KEY_LEN]; /* HASH("cookie--" || the peer's public key) */
	uint8_t cookie[WG_MAC_LEN];
	uint64_t cookie_birth;          /* 0: no cookie */
	uint8_t last_mac1[WG_MAC_LEN];  /* of our last handshake message: the reply's AD */
	bool have_last_mac1;
} wg_cookie;

void wg_cookie_checker_init(wg_cookie_checker *c, const uint8_t our_pub[WG_KEY_LEN]);
void wg_cookie_init(wg_cookie *c, const uint8_t peer_pub[WG_KEY_LEN]);

/*
 * Fills mac1 and mac2 of a handshake message of len bytes (148 or 92): mac1
 * at len - 32, mac2 at len - 16 (zero without a fresh cookie).
 */
void wg_cookie_add_macs(wg_cookie *c, uint8_t *msg, size_t len, uint64_t now);

/* Whether a message's mac1 is right for us. */
bool wg_cookie_mac1_ok(const wg_cookie_checker *c, const uint8_t *msg, size_t len);
/*
 * Whether its mac2 carries the cookie of the source address src (the
 * address bytes then the port, as the caller lays them out).
 */
bool wg_cookie_mac2_ok(wg_cookie_checker *c, const uint8_t *msg, size_t len,
		       const uint8_t *src, size_t srclen, uint64_t now);

/* A cookie reply (64 bytes) to msg, whose sender index is receiver. */
void wg_cookie_make_reply(wg_cookie_checker *c, uint8_t out[64], const uint8_t *msg, size_t len,
			  uint32_t receiver, const uint8_t *src, size_t srclen, uint64_t now);
/* Takes a cookie reply from the peer. Returns 0, or -1 if it does not open. */
int wg_cookie_consume_reply(wg_cookie *c, const uint8_t reply[64], uint64_t now);

#endif /* ZCTUN_WG_COOKIE_H */
