/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/cookie.c - the MACs and cookies of cookie.h.
 */
#include "config.h"

#include <string.h>

#include "wg/cookie.h"
#include "wg/messages.h"

static void label_key(uint8_t out[WG_KEY_LEN], const char *label, const uint8_t pub[WG_KEY_LEN])
{
	wg_hash2(out, label, 8, pub, WG_KEY_LEN);
}

void wg_cookie_checker_init(wg_cookie_checker *c, const uint8_t our_pub[WG_KEY_LEN])
{
	memset(c, 0, sizeof *c);
	label_key(c->mac1_key, "mac1----", our_pub);
	label_key(c->cookie_key, "cookie--", our_pub);
}

void wg_cookie_init(wg_cookie *c, const uint8_t peer_pub[WG_KEY_LEN])
{
	memset(c, 0, sizeof *c);
	label_key(c->mac1_key, "mac1----", peer_pub);
	label_key(c->cookie_key, "cookie--", peer_pub);
}

void wg_cookie_add_macs(wg_cookie *c, uint8_t *msg, size_t len, uint64_t now)
{
	uint8_t *mac1 = msg + len - 2 * WG_MAC_LEN, *mac2 = msg + len - WG_MAC_LEN;

	wg_mac(mac1, c->mac1_key, WG_KEY_LEN, msg, len - 2 * WG_MAC_LEN);
	memcpy(c->last_mac1, mac1, WG_MAC_LEN);
	c->have_last_mac1 = true;
	if (c->cookie_birth && now - c->cookie_birth < WG_COOKIE_USE_LIFE)
		wg_mac(mac2, c->cookie, WG_MAC_LEN, msg, len - WG_MAC_LEN);
	else
		memset(mac2, 0, WG_MAC_LEN);
}

bool wg_cookie_mac1_ok(const wg_cookie_checker *c, const uint8_t *msg, size_t len)
{
	uint8_t m[WG_MAC_LEN];

	wg_mac(m, c->mac1_key, WG_KEY_LEN, msg, len - 2 * WG_MAC_LEN);
	return wg_equal(m, msg + len - 2 * WG_MAC_LEN, WG_MAC_LEN);
}

/* The cookie of a source address: MAC(secret, address), the secret renewed every two minutes. */
static void cookie_of(wg_cookie_checker *c, uint8_t out[WG_MAC_LEN], const uint8_t *src, size_t srclen,
		      uint64_t now)
{
	if (!c->secret_birth || now - c->secret_birth >= WG_COOKIE_SECRET_LIFE) {
		wg_random(c->secret, sizeof c->secret);
		c->secret_birth = now ? now : 1;
	}
	wg_mac(out, c->secret, sizeof c->secret, src, srclen);
}

bool wg_cookie_mac2_ok(wg_cookie_checker *c, const uint8_t *msg, size_t len,
		       const uint8_t *src, size_t srclen, uint64_t now)
{
	uint8_t cookie[WG_MAC_LEN], m[WG_MAC_LEN];

	cookie_of(c, cookie, src, srclen, now);
	wg_mac(m, cookie, sizeof cookie, msg, len - WG_MAC_LEN);
	return wg_equal(m, msg + len - WG_MAC_LEN, WG_MAC_LEN);
}

void wg_cookie_make_reply(wg_cookie_checker *c, uint8_t out[64], const uint8_t *msg, size_t len,
			  uint32_t receiver, const uint8_t *src, size_t srclen, uint64_t now)
{
	uint8_t cookie[WG_MAC_LEN];

	cookie_of(c, cookie, src, srclen, now);
	wg_msg_header(out, WG_MSG_COOKIE);
	wg_store_le32(out + WG_COOKIE_RECEIVER, receiver);
	wg_random(out + WG_COOKIE_NONCE, WG_XNONCE_LEN);
	/* The AD is the mac1 of the message answered: only its sender can use the reply. */
	wg_xaead_seal(out + WG_COOKIE_COOKIE, cookie, WG_MAC_LEN, out + WG_COOKIE_NONCE, c->cookie_key,
		      msg + len - 2 * WG_MAC_LEN, WG_MAC_LEN);
	wg_memzero(cookie, sizeof cookie);
}

int wg_cookie_consume_reply(wg_cookie *c, const uint8_t reply[64], uint64_t now)
{
	uint8_t cookie[WG_MAC_LEN];

	if (!c->have_last_mac1 || reply[0] != WG_MSG_COOKIE)
		return -1;
	if (wg_xaead_open(cookie, reply + WG_COOKIE_COOKIE, WG_MAC_LEN + WG_TAG_LEN, reply + WG_COOKIE_NONCE,
			  c->cookie_key, c->last_mac1, WG_MAC_LEN) < 0)
		return -1;
	memcpy(c->cookie, cookie, WG_MAC_LEN);
	c->cookie_birth = now ? now : 1;
	/* One reply per message: a second copy of it cannot replace the cookie. */
	c->have_last_mac1 = false;
	wg_memzero(cookie, sizeof cookie);
	return 0;
}
