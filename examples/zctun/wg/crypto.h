/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/crypto.h - the primitives WireGuard names, as thin calls
 * into Debian's libraries: X25519, ChaCha20-Poly1305 and XChaCha20-Poly1305
 * from libsodium; BLAKE2s and keyed BLAKE2s from libb2; HMAC-BLAKE2s from
 * OpenSSL 3; the data path's AEAD from whichever of libsodium and OpenSSL 3
 * was measured faster (wg_aead_backend). Nothing here is hand-written
 * cryptography: the HKDF of the Noise framework (wg_kdf) is the only
 * construction, and it is a sequence of HMAC calls.
 */
#ifndef ZCTUN_WG_CRYPTO_H
#define ZCTUN_WG_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_KEY_LEN 32    /* X25519 keys, symmetric keys, BLAKE2s-256 */
#define WG_HASH_LEN 32
#define WG_MAC_LEN 16    /* keyed BLAKE2s-128: mac1, mac2, cookies */
#define WG_TAG_LEN 16    /* Poly1305 */
#define WG_XNONCE_LEN 24 /* XChaCha20-Poly1305 */

/* Once, before any other call: libsodium's initialisation. Returns 0 or -1. */
int wg_crypto_init(void);

/* Random bytes from the kernel's generator (libsodium's randombytes). */
void wg_random(void *p, size_t len);
uint32_t wg_random_u32(void);
/* SipHash-2-4 of in under a 16-byte secret key (libsodium's shorthash): table hashing. */
uint64_t wg_shorthash(const void *in, size_t len, const uint8_t key[16]);

/* Zeroes key material in a way the compiler may not drop. */
void wg_memzero(void *p, size_t len);
/* Constant-time equality of two byte strings of len bytes. */
bool wg_equal(const void *a, const void *b, size_t len);

/* A private key clamped as RFC 7748 section 5 says, and its public key. */
void wg_x25519_generate(uint8_t priv[WG_KEY_LEN]);
void wg_x25519_clamp(uint8_t priv[WG_KEY_LEN]);
int wg_x25519_public(uint8_t pub[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN]);
/* The shared point; -1 when it is all zero (a low-order public key). */
int wg_x25519(uint8_t out[WG_KEY_LEN], const uint8_t priv[WG_KEY_LEN], const uint8_t pub[WG_KEY_LEN]);

/* BLAKE2s-256 of a || b (b may be NULL with blen 0). */
void wg_hash2(uint8_t out[WG_HASH_LEN], const void *a, size_t alen, const void *b, size_t blen);
/* Keyed BLAKE2s with a 16-byte output (RFC 7693): mac1, mac2, the cookie. */
void wg_mac(uint8_t out[WG_MAC_LEN], const uint8_t *key, size_t keylen, const void *in, size_t inlen);
/* HMAC-BLAKE2s (RFC 2104 over BLAKE2s-256). Returns 0, or -1 if OpenSSL failed. */
int wg_hmac(uint8_t out[WG_HASH_LEN], const uint8_t *key, size_t keylen, const void *in, size_t inlen);
/*
 * The HKDF of the Noise specification (section 4.3) with n outputs (1 to 3),
 * each WG_HASH_LEN bytes: t0 = HMAC(key, input), t1 = HMAC(t0, 0x1),
 * t(i) = HMAC(t0, t(i-1) || i). out[i] may be NULL for an output not wanted.
 * Returns 0 or -1.
 */
int wg_kdf(uint8_t *out[3], unsigned n, const uint8_t *key, size_t keylen, const void *in, size_t inlen);

/*
 * ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce: 32 zero bits, then the
 * 64-bit counter little-endian. Encrypts p[0..len) in place and writes the
 * tag at p + len; decrypt checks the tag at p + len and decrypts in place.
 * Returns 0, or -1 when the tag is wrong.
 */
int wg_aead_seal(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
		 const uint8_t *ad, size_t adlen);
int wg_aead_open(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
		 const uint8_t *ad, size_t adlen);
/* Out of place (the handshake's fields): out has len + WG_TAG_LEN bytes. */
void wg_aead_seal_to(uint8_t *out, const uint8_t *in, size_t len, uint64_t counter,
		     const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen);
/* in has len bytes, tag included; out gets len - WG_TAG_LEN. */
int wg_aead_open_to(uint8_t *out, const uint8_t *in, size_t len, uint64_t counter,
		    const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen);

/* XChaCha20-Poly1305 (the cookie reply): out has len + WG_TAG_LEN bytes. */
void wg_xaead_seal(uint8_t *out, const uint8_t *in, size_t len, const uint8_t nonce[WG_XNONCE_LEN],
		   const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen);
int wg_xaead_open(uint8_t *out, const uint8_t *in, size_t len, const uint8_t nonce[WG_XNONCE_LEN],
		  const uint8_t key[WG_KEY_LEN], const uint8_t *ad, size_t adlen);

/*
 * The two implementations of the data path's AEAD, exported so that the
 * tests check them against each other and the benchmark times them. The
 * wg_aead_seal/open above call the faster (WG_AEAD_BACKEND in crypto.c).
 */
int wg_aead_seal_sodium(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			const uint8_t *ad, size_t adlen);
int wg_aead_open_sodium(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			const uint8_t *ad, size_t adlen);
int wg_aead_seal_openssl(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			 const uint8_t *ad, size_t adlen);
int wg_aead_open_openssl(uint8_t *p, size_t len, uint64_t counter, const uint8_t key[WG_KEY_LEN],
			 const uint8_t *ad, size_t adlen);
/* "libsodium" or "openssl": the one wg_aead_seal/open use. */
const char *wg_aead_backend(void);

/* BLAKE2s-256 through OpenSSL, for the tests' cross-check of libb2. */
int wg_hash_openssl(uint8_t out[WG_HASH_LEN], const void *in, size_t len);

#endif /* ZCTUN_WG_CRYPTO_H */
