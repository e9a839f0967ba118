/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/noise.c - the IKpsk2 handshake of noise.h.
 *
 * The names follow the paper's section 5.4: C the chaining key, H the hash,
 * mix_hash(H, x) = HASH(H || x), mix_key(C, x) = KDF1(C, x). Each message is
 * built or opened on local copies of C and H; the handshake takes them only
 * when everything checked.
 */
#include "config.h"

#include <string.h>

#include "wg/noise.h"

static const char construction[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
static const char identifier[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";
static uint8_t initial_ck[WG_HASH_LEN], initial_hash[WG_HASH_LEN];

int wg_noise_init(void)
{
	wg_hash2(initial_ck, construction, strlen(construction), NULL, 0);
	wg_hash2(initial_hash, initial_ck, WG_HASH_LEN, identifier, strlen(identifier));
	return 0;
}

int wg_identity_set(wg_identity *id, const uint8_t priv[WG_KEY_LEN])
{
	memcpy(id->priv, priv, WG_KEY_LEN);
	wg_x25519_clamp(id->priv);
	id->have = wg_x25519_public(id->pub, id->priv) == 0;
	return id->have ? 0 : -1;
}

void wg_handshake_init(wg_handshake *hs, const uint8_t remote[WG_KEY_LEN], const uint8_t *psk)
{
	memset(hs, 0, sizeof *hs);
	memcpy(hs->remote_static, remote, WG_KEY_LEN);
	if (psk)
		memcpy(hs->psk, psk, WG_KEY_LEN);
}

void wg_handshake_clear(wg_handshake *hs)
{
	wg_memzero(hs->hash, sizeof hs->hash);
	wg_memzero(hs->ck, sizeof hs->ck);
	wg_memzero(hs->e_priv, sizeof hs->e_priv);
	wg_memzero(hs->remote_e, sizeof hs->remote_e);
	hs->state = WG_HS_NONE;
}

void wg_tai64n(uint8_t out[WG_TIMESTAMP_LEN], struct timespec wall)
{
	uint64_t s = 0x400000000000000aull + (uint64_t)wall.tv_sec;
	uint32_t ns = (uint32_t)wall.tv_nsec;
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (uint8_t)(s >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		out[8 + i] = (uint8_t)(ns >> (24 - 8 * i));
}

static void mix_hash(uint8_t h[WG_HASH_LEN], const void *p, size_t len)
{
	wg_hash2(h, h, WG_HASH_LEN, p, len);
}

/* C = KDF1(C, x). */
static int mix_key(uint8_t ck[WG_HASH_LEN], const uint8_t *x, size_t len)
{
	uint8_t *out[3] = { ck, NULL, NULL };

	return wg_kdf(out, 1, ck, WG_HASH_LEN, x, len);
}

/* (C, k) = KDF2(C, DH(priv, pub)). */
static int mix_dh(uint8_t ck[WG_HASH_LEN], uint8_t k[WG_KEY_LEN], const uint8_t *priv, const uint8_t *pub)
{
	uint8_t dh[WG_KEY_LEN], *out[3] = { ck, k, NULL };
	int r = -1;

	if (wg_x25519(dh, priv, pub) == 0)
		r = k ? wg_kdf(out, 2, ck, WG_HASH_LEN, dh, sizeof dh) : mix_key(ck, dh, sizeof dh);
	wg_memzero(dh, sizeof dh);
	return r;
}

int wg_noise_create_initiation(wg_handshake *hs, const wg_identity *id, uint8_t msg[WG_INIT_LEN],
			       uint32_t local_index, const uint8_t ts[WG_TIMESTAMP_LEN])
{
	uint8_t ck[WG_HASH_LEN], h[WG_HASH_LEN], k[WG_KEY_LEN], e[WG_KEY_LEN];
	int r = -1;

	memcpy(ck, initial_ck, sizeof ck);
	wg_hash2(h, initial_hash, WG_HASH_LEN, hs->remote_static, WG_KEY_LEN);
	wg_x25519_generate(e);
	wg_msg_header(msg, WG_MSG_INITIATION);
	wg_store_le32(msg + WG_INIT_SENDER, local_index);
	if (wg_x25519_public(msg + WG_INIT_EPHEMERAL, e) < 0)
		goto out;
	mix_hash(h, msg + WG_INIT_EPHEMERAL, WG_KEY_LEN);
	if (mix_key(ck, msg + WG_INIT_EPHEMERAL, WG_KEY_LEN) < 0 || mix_dh(ck, k, e, hs->remote_static) < 0)
		goto out;
	wg_aead_seal_to(msg + WG_INIT_STATIC, id->pub, WG_KEY_LEN, 0, k, h, sizeof h);
	mix_hash(h, msg + WG_INIT_STATIC, WG_KEY_LEN + WG_TAG_LEN);
	if (mix_dh(ck, k, id->priv, hs->remote_static) < 0)
		goto out;
	wg_aead_seal_to(msg + WG_INIT_TIMESTAMP, ts, WG_TIMESTAMP_LEN, 0, k, h, sizeof h);
	mix_hash(h, msg + WG_INIT_TIMESTAMP, WG_TIMESTAMP_LEN + WG_TAG_LEN);
	memcpy(hs->ck, ck, sizeof ck);
	memcpy(hs->hash, h, sizeof h);
	memcpy(hs->e_priv, e, sizeof e);
	hs->local_index = local_index;
	hs->state = WG_HS_INIT_SENT;
	r = 0;
out:
	wg_memzero(ck, sizeof ck);
	wg_memzero(k, sizeof k);
	wg_memzero(e, sizeof e);
	return r;
}

int wg_noise_open_initiation(const wg_identity *id, const uint8_t msg[WG_INIT_LEN], wg_init_opened *o)
{
	uint8_t k[WG_KEY_LEN];
	int r = -1;

	if (!id->have || msg[0] != WG_MSG_INITIATION)
		return -1;
	memcpy(o->ck, initial_ck, WG_HASH_LEN);
	wg_hash2(o->hash, initial_hash, WG_HASH_LEN, id->pub, WG_KEY_LEN);
	memcpy(o->remote_e, msg + WG_INIT_EPHEMERAL, WG_KEY_LEN);
	mix_hash(o->hash, o->remote_e, WG_KEY_LEN);
	if (mix_key(o->ck, o->remote_e, WG_KEY_LEN) < 0 || mix_dh(o->ck, k, id->priv, o->remote_e) < 0)
		goto out;
	if (wg_aead_open_to(o->remote_static, msg + WG_INIT_STATIC, WG_KEY_LEN + WG_TAG_LEN, 0, k,
			    o->hash, WG_HASH_LEN) < 0)
		goto out;
	mix_hash(o->hash, msg + WG_INIT_STATIC, WG_KEY_LEN + WG_TAG_LEN);
	if (mix_dh(o->ck, k, id->priv, o->remote_static) < 0)
		goto out;
	if (wg_aead_open_to(o->ts, msg + WG_INIT_TIMESTAMP, WG_TIMESTAMP_LEN + WG_TAG_LEN, 0, k,
			    o->hash, WG_HASH_LEN) < 0)
		goto out;
	mix_hash(o->hash, msg + WG_INIT_TIMESTAMP, WG_TIMESTAMP_LEN + WG_TAG_LEN);
	o->sender = wg_load_le32(msg + WG_INIT_SENDER);
	r = 0;
out:
	wg_memzero(k, sizeof k);
	if (r < 0)
		wg_memzero(o, sizeof *o);
	return r;
}

int wg_noise_accept_initiation(wg_handshake *hs, const wg_init_opened *in)
{
	/* TAI64N is big-endian: byte order is time order. */
	if (!wg_equal(in->remote_static, hs->remote_static, WG_KEY_LEN) ||
	    memcmp(in->ts, hs->latest_ts, WG_TIMESTAMP_LEN) <= 0)
		return -1;
	wg_handshake_clear(hs);
	memcpy(hs->latest_ts, in->ts, WG_TIMESTAMP_LEN);
	memcpy(hs->hash, in->hash, WG_HASH_LEN);
	memcpy(hs->ck, in->ck, WG_HASH_LEN);
	memcpy(hs->remote_e, in->remote_e, WG_KEY_LEN);
	hs->remote_index = in->sender;
	hs->state = WG_HS_INIT_CONSUMED;
	return 0;
}

/* (C, tau, k) = KDF3(C, Q); H = mix_hash(H, tau). */
static int mix_psk(uint8_t ck[WG_HASH_LEN], uint8_t h[WG_HASH_LEN], uint8_t k[WG_KEY_LEN], const uint8_t *psk)
{
	uint8_t tau[WG_HASH_LEN], *out[3] = { ck, tau, k };
	int r = wg_kdf(out, 3, ck, WG_HASH_LEN, psk, WG_KEY_LEN);

	if (r == 0)
		mix_hash(h, tau, sizeof tau);
	wg_memzero(tau, sizeof tau);
	return r;
}

int wg_noise_create_response(wg_handshake *hs, const wg_identity *id, uint8_t msg[WG_RESP_LEN],
			     uint32_t local_index)
{
	uint8_t ck[WG_HASH_LEN], h[WG_HASH_LEN], k[WG_KEY_LEN], e[WG_KEY_LEN];
	int r = -1;

	(void)id;
	if (hs->state != WG_HS_INIT_CONSUMED)
		return -1;
	memcpy(ck, hs->ck, sizeof ck);
	memcpy(h, hs->hash, sizeof h);
	wg_x25519_generate(e);
	wg_msg_header(msg, WG_MSG_RESPONSE);
	wg_store_le32(msg + WG_RESP_SENDER, local_index);
	wg_store_le32(msg + WG_RESP_RECEIVER, hs->remote_index);
	if (wg_x25519_public(msg + WG_RESP_EPHEMERAL, e) < 0)
		goto out;
	mix_hash(h, msg + WG_RESP_EPHEMERAL, WG_KEY_LEN);
	if (mix_key(ck, msg + WG_RESP_EPHEMERAL, WG_KEY_LEN) < 0 || mix_dh(ck, NULL, e, hs->remote_e) < 0 ||
	    mix_dh(ck, NULL, e, hs->remote_static) < 0 || mix_psk(ck, h, k, hs->psk) < 0)
		goto out;
	wg_aead_seal_to(msg + WG_RESP_EMPTY, NULL, 0, 0, k, h, sizeof h);
	mix_hash(h, msg + WG_RESP_EMPTY, WG_TAG_LEN);
	memcpy(hs->ck, ck, sizeof ck);
	memcpy(hs->hash, h, sizeof h);
	hs->local_index = local_index;
	hs->state = WG_HS_RESP_SENT;
	r = 0;
out:
	wg_memzero(ck, sizeof ck);
	wg_memzero(k, sizeof k);
	wg_memzero(e, sizeof e);
	return r;
}

int wg_noise_consume_response(wg_handshake *hs, const wg_identity *id, const uint8_t msg[WG_RESP_LEN])
{
	uint8_t ck[WG_HASH_LEN], h[WG_HASH_LEN], k[WG_KEY_LEN];
	const uint8_t *re = msg + WG_RESP_EPHEMERAL;
	uint8_t empty[1];
	int r = -1;

	if (hs->state != WG_HS_INIT_SENT || msg[0] != WG_MSG_RESPONSE ||
	    wg_load_le32(msg + WG_RESP_RECEIVER) != hs->local_index)
		return -1;
	memcpy(ck, hs->ck, sizeof ck);
	memcpy(h, hs->hash, sizeof h);
	mix_hash(h, re, WG_KEY_LEN);
	if (mix_key(ck, re, WG_KEY_LEN) < 0 || mix_dh(ck, NULL, hs->e_priv, re) < 0 ||
	    mix_dh(ck, NULL, id->priv, re) < 0 || mix_psk(ck, h, k, hs->psk) < 0)
		goto out;
	if (wg_aead_open_to(empty, msg + WG_RESP_EMPTY, WG_TAG_LEN, 0, k, h, sizeof h) < 0)
		goto out;
	mix_hash(h, msg + WG_RESP_EMPTY, WG_TAG_LEN);
	memcpy(hs->ck, ck, sizeof ck);
	memcpy(hs->hash, h, sizeof h);
	memcpy(hs->remote_e, re, WG_KEY_LEN);
	hs->remote_index = wg_load_le32(msg + WG_RESP_SENDER);
	hs->state = WG_HS_RESP_CONSUMED;
	r = 0;
out:
	wg_memzero(ck, sizeof ck);
	wg_memzero(k, sizeof k);
	return r;
}

int wg_noise_derive(wg_handshake *hs, wg_keypair *kp, uint64_t now)
{
	uint8_t t1[WG_KEY_LEN], t2[WG_KEY_LEN], *out[3] = { t1, t2, NULL };
	bool initiator = hs->state == WG_HS_RESP_CONSUMED;

	if (hs->state != WG_HS_RESP_CONSUMED && hs->state != WG_HS_RESP_SENT)
		return -1;
	if (wg_kdf(out, 2, hs->ck, WG_HASH_LEN, NULL, 0) < 0)
		return -1;
	wg_keypair_clear(kp);
	memcpy(kp->send, initiator ? t1 : t2, WG_KEY_LEN);
	memcpy(kp->recv, initiator ? t2 : t1, WG_KEY_LEN);
	kp->initiator = initiator;
	kp->birth = now;
	kp->local_index = hs->local_index;
	kp->remote_index = hs->remote_index;
	kp->valid = true;
	wg_memzero(t1, sizeof t1);
	wg_memzero(t2, sizeof t2);
	wg_handshake_clear(hs);
	return 0;
}

void wg_keypair_clear(wg_keypair *kp)
{
	wg_memzero(kp, sizeof *kp);
	wg_replay_init(&kp->replay);
}
