/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/peer.h - a WireGuard interface's state: our identity,
 * the peers (a fixed array, made once), cryptokey routing, and per peer its
 * handshake, up to three keypairs (current, previous, next), timers,
 * endpoint and counters.
 *
 * Locks: the device's rwlock guards what configuration changes (the peer
 * set, allowed IPs, our key); the data path takes it shared. Each peer's
 * mutex guards that peer's handshake, keypairs, timers and endpoint; the
 * data path holds it only to take a nonce and copy a key, never while it
 * encrypts.
 *
 * Local indices are random but for their low 8 bits, which name the peer's
 * slot: a message's receiver index finds its peer in O(1), and the peer
 * then checks the whole index against its handshake and keypairs.
 */
#ifndef ZCTUN_WG_PEER_H
#define ZCTUN_WG_PEER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "wg/allowedips.h"
#include "wg/cookie.h"
#include "wg/noise.h"
#include "wg/ratelimiter.h"
#include "wg/timers.h"

#define WG_MAX_PEERS 256
/* An initiation from a peer sooner than this after its last is dropped (a flood). */
#define WG_INITIATION_GAP (1000000000ull / 50)
#define WG_MAX_ALLOWEDIPS 4096

typedef struct wg_endpoint {
	struct sockaddr_storage ss;
	socklen_t len;          /* 0: none known */
} wg_endpoint;

typedef struct wg_peer {
	pthread_mutex_t lock;
	bool used;
	uint8_t pub[WG_KEY_LEN];
	wg_handshake hs;
	wg_cookie cookie;
	wg_keypair kp[3];
	int cur, prev, next;    /* indices into kp, -1 when empty */
	wg_timers timers;
	wg_endpoint endpoint;
	struct timespec last_handshake; /* wall clock; 0 never */
	uint64_t last_initiation_taken; /* caller clock: initiations come 50 a second at most */
	_Atomic uint64_t rx_bytes, tx_bytes;
} wg_peer;

typedef struct wg_device {
	pthread_rwlock_t lock;
	wg_identity id;
	wg_cookie_checker checker;
	wg_allowedips aip;
	wg_peer *peers;         /* WG_MAX_PEERS slots */
	uint16_t listen_port;
	uint32_t fwmark;
	int fd;                 /* the UDP socket, dual-stack IPv6; -1 until open */
	/* Load, as the receiver thread sees it (that thread alone touches these). */
	unsigned load_threshold; /* handshakes a second above which we are under load */
	uint64_t load_window, under_load_until;
	unsigned load_count;
	wg_ratelimiter rate;
} wg_device;

/* Handshake messages a second beyond which a device asks for cookies. */
#define WG_LOAD_THRESHOLD 128u

/* Storage and locks for a device with no key and no peers. Returns 0 or -1. */
int wg_device_init(wg_device *d);
void wg_device_free(wg_device *d);
/* Sets our private key: every peer's handshake starts over. */
int wg_device_set_key(wg_device *d, const uint8_t priv[WG_KEY_LEN]);

/*
 * The peer with public key pub, added (with no psk, endpoint or prefixes)
 * when add is true and it is new; NULL when absent, or full, or pub is ours.
 * The caller holds d->lock exclusively to add.
 */
wg_peer *wg_peer_find(wg_device *d, const uint8_t pub[WG_KEY_LEN], bool add);
int wg_peer_slot(const wg_device *d, const wg_peer *p);
/* Removes a peer: keys zeroed, prefixes gone. Caller holds d->lock exclusively. */
void wg_peer_remove(wg_device *d, wg_peer *p);
void wg_peer_set_psk(wg_peer *p, const uint8_t *psk);
void wg_peer_set_keepalive(wg_peer *p, uint32_t seconds);

/* A fresh local index for peer slot. */
uint32_t wg_index_make(int slot);
/* The peer a received index names, or NULL (caller holds d->lock shared). */
wg_peer *wg_peer_by_index(wg_device *d, uint32_t index);

/*
 * Installs a keypair just derived (peer locked): the initiator's becomes
 * current at once, the responder's waits as next for the first data packet.
 */
void wg_peer_install(wg_peer *p, const wg_keypair *kp);
/* The keypair with local index idx, or NULL (peer locked). */
wg_keypair *wg_peer_keypair(wg_peer *p, uint32_t idx);
/* A next keypair confirmed by data: it becomes current (peer locked). */
void wg_peer_confirm(wg_peer *p, wg_keypair *kp);
/* Erases every keypair and the handshake (peer locked). */
void wg_peer_zero_keys(wg_peer *p);

#endif /* ZCTUN_WG_PEER_H */
