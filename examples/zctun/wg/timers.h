/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/timers.h - WireGuard's timer rules (the paper, section
 * 6) as deadlines on a clock the caller passes in, in nanoseconds: nothing
 * here reads the time or sleeps, so the tests drive it on a fake clock. The
 * caller holds the peer's lock around every call, and polls
 * (wg_timers_poll) for what is due.
 */
#ifndef ZCTUN_WG_TIMERS_H
#define ZCTUN_WG_TIMERS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define WG_NS 1000000000ull
#define WG_REKEY_AFTER_MESSAGES (1ull << 60)
#define WG_REJECT_AFTER_MESSAGES (UINT64_MAX - (1ull << 13))
#define WG_REKEY_AFTER_TIME (120 * WG_NS)
#define WG_REJECT_AFTER_TIME (180 * WG_NS)
#define WG_REKEY_ATTEMPT_TIME (90 * WG_NS)
#define WG_REKEY_TIMEOUT (5 * WG_NS)
#define WG_KEEPALIVE_TIMEOUT (10 * WG_NS)
/* Initiations sent for one handshake before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
#define WG_MAX_HANDSHAKE_ATTEMPTS (WG_REKEY_ATTEMPT_TIME / WG_REKEY_TIMEOUT)
/* The jitter added to REKEY_TIMEOUT is drawn below this (a third of a second). */
#define WG_JITTER_MAX (WG_NS / 3)

/* What wg_timers_poll finds due: bits. */
#define WG_DUE_INITIATION 1u  /* send a handshake initiation, a new one */
#define WG_DUE_RETRY 16u      /* send a handshake initiation again: no response came */
#define WG_DUE_KEEPALIVE 2u   /* send an empty data packet */
#define WG_DUE_ZERO_KEYS 4u   /* erase every key and the handshake */
#define WG_DUE_GIVE_UP 8u     /* the handshake failed for REKEY_ATTEMPT_TIME */

typedef struct wg_timers {
	/* Deadlines, 0 when off. */
	uint64_t retransmit;      /* resend the initiation: no response came */
	uint64_t keepalive;       /* data came in, nothing went out: say so */
	uint64_t new_handshake;   /* data went out, nothing came back */
	uint64_t zero_keys;       /* keys derived long ago: erase them */
	uint64_t persistent;      /* the persistent keepalive */
	uint64_t last_initiation; /* when the last initiation was sent; 0 never */
	unsigned attempts;        /* initiations sent for the current handshake */
	bool another_keepalive;   /* data came in while a keepalive was due */
	uint32_t persistent_interval_s; /* 0: no persistent keepalive */
	/*
	 * A bit in the caller's bitmap (NULL: none), clear when no deadline is
	 * set, so that a walk over many idle peers skips them without their
	 * locks: set whenever a deadline is armed, brought up to date by
	 * wg_timers_poll.
	 */
	_Atomic uint64_t *armed_word;
	uint64_t armed_bit;
} wg_timers;

void wg_timers_init(wg_timers *t, uint32_t persistent_interval_s);
/* Where the timers say whether a deadline is set (after init): bit of *word. */
void wg_timers_attach(wg_timers *t, _Atomic uint64_t *word, uint64_t bit);

/* Events, as the data path and the handshake see them. jitter < WG_JITTER_MAX. */
void wg_timers_data_sent(wg_timers *t, uint64_t now, uint64_t jitter);
void wg_timers_data_received(wg_timers *t, uint64_t now);
void wg_timers_authenticated_sent(wg_timers *t, uint64_t now);
void wg_timers_authenticated_received(wg_timers *t, uint64_t now);
/* Any authenticated packet, either way: restarts the persistent keepalive. */
void wg_timers_traversal(wg_timers *t, uint64_t now);
/* retry: a retransmission, which keeps counting the attempts; else they start over. */
void wg_timers_initiation_sent(wg_timers *t, uint64_t now, uint64_t jitter, bool retry);
void wg_timers_handshake_complete(wg_timers *t);
void wg_timers_session_derived(wg_timers *t, uint64_t now);
/* An initiation may go now (one per REKEY_TIMEOUT at most). */
bool wg_timers_may_initiate(const wg_timers *t, uint64_t now);

/*
 * What is due at now (WG_DUE_* bits); the timers that fired are re-armed
 * or turned off as the rules say.
 */
unsigned wg_timers_poll(wg_timers *t, uint64_t now);

/* The earliest deadline, or 0 when none is set. */
uint64_t wg_timers_next(const wg_timers *t);

/* The keypair rules (section 6.2), for a keypair born at birth. */
bool wg_keypair_send_ok(uint64_t birth, uint64_t counter, uint64_t now);
bool wg_keypair_recv_ok(uint64_t birth, uint64_t now);
/* After a send: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES. */
bool wg_rekey_after_send(bool initiator, uint64_t birth, uint64_t counter, uint64_t now);
/* After a receive: the initiator rekeys before the responder would stop. */
bool wg_rekey_after_receive(bool initiator, uint64_t birth, uint64_t now);

#endif /* ZCTUN_WG_TIMERS_H */
