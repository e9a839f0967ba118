/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/crypto.c - WireGuard's primitives on libsodium, libb2 and
 * OpenSSL 3 (see crypto.h).
 *
 * The data path's AEAD: libsodium's and OpenSSL's ChaCha20-Poly1305 are
 * timed by tests/check_wg_crypto ("bench:" lines in its log, seal and open in
 * place). On the 2-core x86-64 test machine, with an OpenSSL context kept per
 * thread, 1420-byte packets came out even (2.4-2.5 against 2.4-2.8 Gbit/s
 * over runs) and 64-byte packets favoured libsodium (0.23-0.27 against
 * 0.15-0.20 Gbit/s): WG_AEAD_BACKEND is libsodium. OpenSSL's path stays, is
 * tested against libsodium's, and is one define away.
 */
#include "config.h"

#include <blake2.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

#include "wg/crypto.h"

/* 1: OpenSSL 3's EVP ChaCha20-Poly1305; 0: libsodium's. */
#ifndef WG_AEAD_BACKEND
#define WG_AEAD_BACKEND 0
#endif

int wg_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void wg_random(void *p, size_t len)
{
	randombytes_buf(p, len);
}

uint32_t wg_random_u32(void)
{
	return randombytes_random();
}

uint64_t wg_shorthash(const void *in, size_t len, const uint8_t key[16])
{
	uint8_t h[crypto_shorthash_siphash24_BYTES];
	uint64_t v;

	crypto_shorthash_siphash24(h, in, len, key);
	memcpy(&v, h, sizeof v);
	return v;
}

void wg_memzero(void *p, size_t len)
{
	sodium_memzero(p, len);
}

bool wg_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

/* ---------------------------------------------------------------- X25519 */

void wg_x25519_clamp(uint8_t priv[WG_KEY_LEN])
{
	priv[0] &= 248;
	priv[31] = (uint8_t)((priv[31] & 127) | 64);
}

void wg_x25519_generate(uint8_t priv[WG_KEY_LEN])
{
	randombytes_buf(priv, WG_KEY_LEN);
	wg_x25519_clamp(priv);
}

int wg_x25519_public(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN])
{
	return crypto_scalarmult_curve25519_base(pub, priv) == 0 ? 0 : -1;
}

int wg_x25519(uint8_t out[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN], const uint8_t pub[WG_KEY_LEN])
{
	/* libsodium refuses an all-zero result, as WireGuard must. */
	return crypto_scalarmult_curve25519(out, priv, pub) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- BLAKE2s */

void wg_hash2(uint8_t out[WG_HASH_LEN], const void *a, size_t alen, const void *b, size_t blen)
{
	blake2s_state s;

	blake2s_init(&s, WG_HASH_LEN);
	blake2s_update(&s, a, alen);
	if (blen)
		blake2s_update(&s, b, blen);
	blake2s_final(&s, out, WG_HASH_LEN);
}

void wg_mac(uint8_t out[WG_MAC_LEN], const uint8_t *key, size_t keylen, const void *in, size_t inlen)
{
	(void)blake2s(out, in, key, WG_MAC_LEN, inlen, keylen);
}

int wg_hash_openssl(uint8_t out[WG_HASH_LEN], const void *in, size_t len)
{
	unsigned int n = 0;

	return EVP_Digest(in, len, out, &n, EVP_blake2s256(), NULL) == 1 && n == WG_HASH_LEN ? 0 : -1;
}

int wg_hmac(uint8_t out[WG_HASH_LEN], const uint8_t *key, size_t keylen, const void *in, size_t inlen)
{
	/*
	 * HMAC pads the key with zeros to the block: an empty key and one zero
	 * byte are the same key, and OpenSSL refuses an empty one.
	 */
	static const uint8_t zero;
	size_t n = 0;

	if (keylen == 0) {
		key = &zero;
		keylen = 1;
	}
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "BLAKE2S-256", NULL, key, keylen, in, inlen, out,
		       WG_HASH_LEN, &n))
		return -1;
	return n == WG_HASH_LEN ? 0 : -1;
}

int wg_kdf(uint8_t *out[3], unsigned n, const uint8_t *key, size_t keylen, const void *in, size_t inlen)
{
	uint8_t t0[WG_HASH_LEN], t[WG_HASH_LEN + 1];
	unsigned i;
	int r = -1;

	if (n < 1 || n > 3 || wg_hmac(t0, key, keylen, in, inlen) < 0)
		goto out;
	for (i = 1; i <= n; i++) {
		/* t(i) = HMAC(t0, t(i-1) || i); t(0) is empty. */
		size_t len = i == 1 ? 0 : WG_HASH_LEN;

		t[len] = (uint8_t)i;
		if (wg_hmac(t, t0, sizeof t0, i == 1 ? t + len : t, len + 1) < 0)
			goto out;
		if (out[i - 1])
			memcpy(out[i - 1], t, WG_HASH_LEN);
	}
	r = 0;
out:
	wg_memzero(t0, sizeof t0);
	wg_memzero(t, sizeof t);
	return r;
}

/* ---------------------------------------------------------------- ChaCha20-Poly1305 */

static void nonce_make(uint8_t nonce[12], uint64_t counter)
{
	unsigned i;

	memset(nonce, 0, 4);
	for (i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(counter >> (8 * i));
}

int wg_aead_seal_sodium(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			const uint8_t *ad, size_t adlen)
{
	uint8_t nonce[12];

	nonce_make(nonce, counter);
	return crypto_aead_chacha20poly1305_ietf_encrypt_detached(p, p + len, NULL, p, len, ad, adlen,
								   NULL, nonce, key) == 0 ? 0 : -1;
}

int wg_aead_open_sodium(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			const uint8_t *ad, size_t adlen)
{
	uint8_t nonce[12];

	nonce_make(nonce, counter);
	return crypto_aead_chacha20poly1305_ietf_decrypt_detached(p, NULL, p, len, p + len, ad, adlen,
								   nonce, key) == 0 ? 0 : -1;
}

/*
 * One cipher context per thread and direction, made on first use with the
 * cipher and kept: later packets set only the key and nonce, which spares
 * OpenSSL the cipher's set-up on every packet.
 */
static EVP_CIPHER_CTX *ossl_ctx(int enc)
{
	static _Thread_local EVP_CIPHER_CTX *ctx[2];

	if (!ctx[enc]) {
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

		if (!c || EVP_CipherInit_ex(c, EVP_chacha20_poly1305(), NULL, NULL, NULL, enc) != 1) {
			EVP_CIPHER_CTX_free(c);
			return NULL;
		}
		ctx[enc] = c;
	}
	return ctx[enc];
}

static int ossl_crypt(uint8_t *p, size_t len, uint64_t counter, const uint8_t *key,
		      const uint8_t *ad, size_t adlen, int enc)
{
	EVP_CIPHER_CTX *c = ossl_ctx(enc);
	uint8_t nonce[12];
	int n;

	if (!c || len > (size_t)INT32_MAX || adlen > (size_t)INT32_MAX)
		return -1;
	nonce_make(nonce, counter);
	if (EVP_CipherInit_ex(c, NULL, NULL, key, nonce, enc) != 1)
		return -1;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, WG_TAG_LEN, p + len) != 1)
		return -1;
	if (adlen && EVP_CipherUpdate(c, NULL, &n, ad, (int)adlen) != 1)
		return -1;
	if (len && EVP_CipherUpdate(c, p, &n, p, (int)len) != 1)
		return -1;
	if (EVP_CipherFinal_ex(c, p + len, &n) != 1)
		return -1;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, WG_TAG_LEN, p + len) != 1)
		return -1;
	return 0;
}

int wg_aead_seal_openssl(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			 const uint8_t *ad, size_t adlen)
{
	return ossl_crypt(p, len, counter, key, ad, adlen, 1);
}

int wg_aead_open_openssl(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			 const uint8_t *ad, size_t adlen)
{
	return ossl_crypt(p, len, counter, key, ad, adlen, 0);
}

int wg_aead_seal(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
		 const uint8_t *ad, size_t adlen)
{
#if WG_AEAD_BACKEND
	return wg_aead_seal_openssl(p, len, counter, key, ad, adlen);
#else
	return wg_aead_seal_sodium(p, len, counter, key, ad, adlen);
#endif
}

int wg_aead_open(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
		 const uint8_t *ad, size_t adlen)
{
#if WG_AEAD_BACKEND
	return wg_aead_open_openssl(p, len, counter, key, ad, adlen);
#else
	return wg_aead_open_sodium(p, len, counter, key, ad, adlen);
#endif
}

const char *wg_aead_backend(void)
{
	return WG_AEAD_BACKEND ? "openssl" : "libsodium";
}

void wg_aead_seal_to(uint8_t *out, const uint8_t *in, size_t len, uint64_t counter,
		     const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen)
{
	uint8_t nonce[12];

	nonce_make(nonce, counter);
	(void)crypto_aead_chacha20poly1305_ietf_encrypt_detached(out, out + len, NULL, in, len, ad, adlen,
								  NULL, nonce, key);
}

int wg_aead_open_to(uint8_t *out, const uint8_t *in, size_t len, uint64_t counter,
		    const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen)
{
	uint8_t nonce[12];

	if (len < WG_TAG_LEN)
		return -1;
	nonce_make(nonce, counter);
	return crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL, in, len - WG_TAG_LEN,
								   in + len - WG_TAG_LEN, ad, adlen,
								   nonce, key) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- XChaCha20-Poly1305 */

void wg_xaead_seal(uint8_t *out, const uint8_t *in, size_t len, const uint8_t nonce[WG_XNONCE_LEN],
		   const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen)
{
	(void)crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, out + len, NULL, in, len, ad, adlen,
								   NULL, nonce, key);
}

int wg_xaead_open(uint8_t *out, const uint8_t *in, size_t len, const uint8_t nonce[WG_XNONCE_LEN],
		  const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen)
{
	if (len < WG_TAG_LEN)
		return -1;
	return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, NULL, in, len - WG_TAG_LEN,
								    in + len - WG_TAG_LEN, ad, adlen,
								    nonce, key) == 0 ? 0 : -1;
}
