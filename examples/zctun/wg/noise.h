/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/noise.h - the handshake, Noise_IKpsk2_25519_ChaChaPoly_
 * BLAKE2s as the WireGuard paper (section 5.4) fixes it, and the keypairs it
 * derives. The message bodies up to mac1 are built and checked here; the two
 * MACs are cookie.c's. No I/O, no clock reads: times come from the caller.
 *
 * Every function that consumes a message works on copies and commits only a
 * message that authenticated: a forged or replayed one leaves the state as
 * it was. Ephemeral keys and chaining keys are zeroed once used.
 */
#ifndef ZCTUN_WG_NOISE_H
#define ZCTUN_WG_NOISE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "wg/crypto.h"
#include "wg/messages.h"
#include "wg/replay.h"

/* Our static key pair. */
typedef struct wg_identity {
	uint8_t priv[WG_KEY_LEN];
	uint8_t pub[WG_KEY_LEN];
	bool have;
} wg_identity;

enum wg_hs_state {
	WG_HS_NONE,
	WG_HS_INIT_SENT,     /* initiator: waiting for the response */
	WG_HS_INIT_CONSUMED, /* responder: the response may be made */
	WG_HS_RESP_SENT,     /* responder: keys may be derived */
	WG_HS_RESP_CONSUMED, /* initiator: keys may be derived */
};

/* One peer's handshake: what the two sides share while it runs. */
typedef struct wg_handshake {
	enum wg_hs_state state;
	uint8_t remote_static[WG_KEY_LEN];
	uint8_t psk[WG_KEY_LEN];          /* all zero without a preshared key */
	uint8_t hash[WG_HASH_LEN];
	uint8_t ck[WG_HASH_LEN];          /* the chaining key */
	uint8_t e_priv[WG_KEY_LEN];       /* our ephemeral key */
	uint8_t remote_e[WG_KEY_LEN];
	uint8_t latest_ts[WG_TIMESTAMP_LEN]; /* the greatest TAI64N accepted from the peer */
	uint32_t local_index, remote_index;
} wg_handshake;

/* A session's keys (section 5.4.5) and their receive window. */
typedef struct wg_keypair {
	uint8_t send[WG_KEY_LEN];
	uint8_t recv[WG_KEY_LEN];
	uint64_t send_counter;  /* the next nonce to send */
	uint64_t birth;         /* caller clock, ns */
	uint32_t local_index, remote_index;
	bool initiator;
	bool valid;
	uint32_t pool_next;     /* the device's pool: the next free slot + 1 while free */
	wg_replay replay;
} wg_keypair;

/* What an initiation carries once opened, before its peer is known. */
typedef struct wg_init_opened {
	uint8_t remote_static[WG_KEY_LEN];
	uint8_t remote_e[WG_KEY_LEN];
	uint8_t ts[WG_TIMESTAMP_LEN];
	uint8_t hash[WG_HASH_LEN];
	uint8_t ck[WG_HASH_LEN];
	uint32_t sender;
} wg_init_opened;

/* Once: the construction's initial chaining key and hash. Returns 0 or -1. */
int wg_noise_init(void);

/* Our key pair from a private key (clamped here). Returns 0 or -1. */
int wg_identity_set(wg_identity *id, const uint8_t priv[WG_KEY_LEN]);

/* A handshake with the peer whose public key is remote (psk may be NULL). */
void wg_handshake_init(wg_handshake *hs, const uint8_t remote[WG_KEY_LEN], const uint8_t *psk);
/* Forgets a running handshake (keys zeroed); the peer's identity stays. */
void wg_handshake_clear(wg_handshake *hs);

/* TAI64N of a wall-clock time: 2^62 + 10 + seconds, then nanoseconds, big-endian. */
void wg_tai64n(uint8_t out[WG_TIMESTAMP_LEN], struct timespec wall);

/*
 * The initiation's first 116 bytes (up to mac1) into msg, with sender
 * index local_index and timestamp ts. Returns 0, or -1 (a DH gave zero).
 */
int wg_noise_create_initiation(wg_handshake *hs, const wg_identity *id, uint8_t msg[WG_INIT_LEN],
			       uint32_t local_index, const uint8_t ts[WG_TIMESTAMP_LEN]);
/* Opens an initiation sent to id: 0 and *out, or -1 when it does not authenticate. */
int wg_noise_open_initiation(const wg_identity *id, const uint8_t msg[WG_INIT_LEN], wg_init_opened *out);
/*
 * Takes an opened initiation into the handshake of the peer it named: -1
 * when its timestamp is not greater than any accepted before (a replay).
 */
int wg_noise_accept_initiation(wg_handshake *hs, const wg_init_opened *in);
/* The response's first 60 bytes (up to mac1). Returns 0 or -1. */
int wg_noise_create_response(wg_handshake *hs, const wg_identity *id, uint8_t msg[WG_RESP_LEN],
			     uint32_t local_index);
/* Consumes a response to our initiation. Returns 0 or -1. */
int wg_noise_consume_response(wg_handshake *hs, const wg_identity *id, const uint8_t msg[WG_RESP_LEN]);
/*
 * Derives the session's keys from a finished handshake into *kp (born at
 * now) and clears the handshake. Returns 0, or -1 in the wrong state.
 */
int wg_noise_derive(wg_handshake *hs, wg_keypair *kp, uint64_t now);
/* Zeroes a keypair. */
void wg_keypair_clear(wg_keypair *kp);

#endif /* ZCTUN_WG_NOISE_H */
