/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/peer.h - a WireGuard interface's state: our identity,
 * the peers, cryptokey routing, and per peer its handshake, up to three
 * keypairs (current, previous, next), timers, endpoint and counters.
 *
 * Many peers in little memory. Peers live in chunks of WG_PEER_CHUNK
 * slots, allocated as peers are configured (never per packet), up to
 * WG_MAX_PEERS; a removed peer's slot is reused. An idle peer holds no
 * keypair: keypairs and their replay windows come from one bounded pool
 * (WG_KEYPAIRS for the device), taken when a session is derived and given
 * back when its keys are erased. Three tables find peers: by public key
 * (a hash with a secret key, since an initiation names a key of the
 * sender's choosing), by the local index a message is addressed to (a
 * hash of the live indices), and by address (allowedips.h).
 *
 * Packets sent before a session exists wait for it, as in kernel
 * WireGuard: up to WG_STAGED_PER_PEER a peer (the oldest goes first when
 * more come), in buffers from one device-wide pool of WG_STAGED, chained
 * through the buffers themselves. An idle peer pays two indices and a
 * count for it; the buffers are sent once the handshake completes, or
 * freed (and counted) when it fails or the peer goes.
 *
 * Locks: the device's rwlock guards what configuration changes (the peer
 * set, the tables' sizes, allowed IPs, our key); the data path takes it
 * shared. Each peer's mutex guards that peer's handshake, keypairs, timers
 * and endpoint; the data path holds it only to take a nonce and copy a
 * key, never while it encrypts. The index table and the keypair pool have
 * a mutex each, taken inside a peer's (they change under a shared device
 * lock, from either data-path thread).
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

/* Peers a device may have, and how many slots are allocated at a time. */
#define WG_MAX_PEERS (1u << 20)
#define WG_PEER_CHUNK 256u
/* Keypairs (sessions' keys and replay windows) of a whole device. */
#define WG_KEYPAIRS 4096u
/* Packets held for a handshake: per peer, for the whole device, and a buffer's bytes. */
#define WG_STAGED_PER_PEER 128u
#define WG_STAGED 1024u
#define WG_STAGED_ROOM 2048u
/* Held packets sealed under one hold of their peer's lock and sent by one sendmmsg() (UDP GSO runs). */
#define WG_STAGED_BATCH 64u
/* An initiation from a peer sooner than this after its last is dropped (a flood). */
#define WG_INITIATION_GAP (1000000000ull / 50)

typedef struct wg_endpoint {
	struct sockaddr_storage ss;
	socklen_t len;          /* 0: none known */
} wg_endpoint;

/* A packet held for a handshake: room before and after it for its encryption in place. */
typedef struct wg_staged_buf {
	uint32_t next;          /* the next buffer + 1 in its peer's queue or in the free list; 0 none */
	uint16_t len;           /* the inner packet, padded, is data[16 .. 16 + len) */
	uint8_t data[WG_STAGED_ROOM];
} wg_staged_buf;

typedef struct wg_stage_pool {
	pthread_mutex_t lock;
	wg_staged_buf *b;       /* cap buffers, touched as they are first used */
	uint32_t cap, hw, free_head, inuse;
} wg_stage_pool;

typedef struct wg_peer {
	pthread_mutex_t lock;
	bool used;
	uint32_t slot;          /* its place in the device: allowedips.h's peer number */
	uint32_t hnext;         /* used: the next slot + 1 in its public-key bucket; free: in the free list */
	uint8_t pub[WG_KEY_LEN];
	wg_handshake hs;
	uint32_t hs_index;      /* the running handshake's index in the device's table; 0 none */
	wg_cookie cookie;
	wg_keypair *cur, *prev, *next; /* from the device's pool; NULL when absent */
	wg_timers timers;
	wg_endpoint endpoint;
	struct timespec last_handshake; /* wall clock; 0 never */
	uint64_t last_initiation_taken; /* caller clock: initiations come 50 a second at most */
	_Atomic uint64_t rx_bytes, tx_bytes;
	uint32_t staged_head, staged_tail; /* buffer + 1 of the oldest and newest held packet; 0 none */
	uint16_t nstaged;
} wg_peer;

/* The keypairs of a device: a fixed array, whose slots are touched as they are first used. */
typedef struct wg_keypool {
	pthread_mutex_t lock;
	wg_keypair *kp;
	uint32_t cap;
	uint32_t hw;            /* slots ever handed out: [0, hw) have been touched */
	uint32_t free_head;     /* a free slot + 1, chained through pool_next; 0 none */
	uint32_t inuse;
} wg_keypool;

/* Live local indices -> peer slots: open addressing, linear probing, index 0 never used. */
typedef struct wg_index_ent {
	uint32_t index;
	uint32_t slot;
} wg_index_ent;

typedef struct wg_index_table {
	pthread_mutex_t lock;
	wg_index_ent *e;
	uint32_t mask;          /* size - 1; the size is a power of two */
	uint32_t n;
} wg_index_table;

typedef struct wg_device {
	pthread_rwlock_t lock;
	wg_identity id;
	wg_cookie_checker checker;
	wg_allowedips aip;
	wg_peer **chunk;        /* WG_MAX_PEERS / WG_PEER_CHUNK pointers, chunks allocated as needed */
	uint32_t hw;            /* slots ever used: [0, hw) are initialised */
	uint32_t npeers;
	uint32_t free_head;     /* a free slot + 1, chained through hnext; 0 none */
	_Atomic uint64_t *armed; /* WG_MAX_PEERS bits: the peers whose timers have a deadline */
	uint32_t *bucket;       /* public-key hash: slot + 1 of a chain's first, 0 empty */
	uint32_t nbuckets;      /* a power of two */
	uint8_t hash_key[16];
	wg_index_table index;
	wg_keypool pool;
	wg_stage_pool stage;
	_Atomic uint64_t staged_sent, staged_dropped; /* held packets sent; freed unsent */
	_Atomic uint64_t staged_calls; /* sendmmsg() calls that carried held packets */
	_Atomic uint64_t conf_lock_max_ns; /* the longest the userspace API held lock exclusively */
	atomic_bool no_gso;     /* held packets go one datagram a message (the socket refused UDP GSO) */
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
/* The same with a pool of keypairs keypairs (at least 3). */
int wg_device_init_pool(wg_device *d, uint32_t keypairs);
void wg_device_free(wg_device *d);
/* Sets our private key: every peer's handshake starts over. */
int wg_device_set_key(wg_device *d, const uint8_t priv[WG_KEY_LEN]);

/*
 * The peer with public key pub, added (with no psk, endpoint or prefixes)
 * when add is true and it is new; NULL when absent, or out of memory or
 * WG_MAX_PEERS, or pub is ours. The caller holds d->lock, exclusively to add.
 */
wg_peer *wg_peer_find(wg_device *d, const uint8_t pub[WG_KEY_LEN], bool add);
/* The peer in slot, or NULL when the slot is free (d->lock held). */
wg_peer *wg_peer_at(const wg_device *d, uint32_t slot);
/* The first peer in a slot >= *slot, which moves past it; NULL after the last. */
wg_peer *wg_peer_next(const wg_device *d, uint32_t *slot);
int wg_peer_slot(const wg_device *d, const wg_peer *p);
/* Removes a peer: keys zeroed, prefixes gone. Caller holds d->lock exclusively. */
void wg_peer_remove(wg_device *d, wg_peer *p);
/* Every timer off, no persistent keepalive (peer locked). */
void wg_peer_reset_timers(wg_device *d, wg_peer *p);
void wg_peer_set_psk(wg_peer *p, const uint8_t *psk);
void wg_peer_set_keepalive(wg_peer *p, uint32_t seconds);

/*
 * A fresh local index for p's handshake, registered in the index table
 * (the one the handshake had is dropped), or 0 when the table is full
 * (peer locked).
 */
uint32_t wg_peer_hs_index(wg_device *d, wg_peer *p);
/* The peer a received index names, or NULL (caller holds d->lock shared). */
wg_peer *wg_peer_by_index(wg_device *d, uint32_t index);

/*
 * Installs a keypair just derived into one from the pool (peer locked):
 * the initiator's becomes current at once, the responder's waits as next
 * for the first data packet. Its local index is registered for p. Returns
 * 0, or -1 when the pool is empty (the session is not made).
 */
int wg_peer_install(wg_device *d, wg_peer *p, const wg_keypair *kp);
/* The keypair with local index idx, or NULL (peer locked). */
wg_keypair *wg_peer_keypair(wg_peer *p, uint32_t idx);
/* A next keypair confirmed by data: it becomes current (peer locked). */
void wg_peer_confirm(wg_device *d, wg_peer *p, wg_keypair *kp);
/* Erases every keypair (back to the pool) and the handshake (peer locked). */
void wg_peer_zero_keys(wg_device *d, wg_peer *p);

/*
 * Holds a copy of the inner packet pkt[0 .. len), with zero padding up to
 * padded bytes, for p (peer locked): 0, or
 * -1 when it does not fit a buffer or the pool is empty. The oldest held
 * packet goes (counted) when p already holds WG_STAGED_PER_PEER.
 */
int wg_peer_stage(wg_device *d, wg_peer *p, const uint8_t *pkt, size_t len, size_t padded);
/* The oldest held packet, taken off p's queue (peer locked); NULL when none. */
wg_staged_buf *wg_peer_unstage(wg_device *d, wg_peer *p);
/* Gives a buffer back to the pool. */
void wg_staged_free(wg_device *d, wg_staged_buf *b);
/* Frees every packet p holds, counted as dropped (peer locked). */
void wg_peer_purge_staged(wg_device *d, wg_peer *p);

#endif /* ZCTUN_WG_PEER_H */
