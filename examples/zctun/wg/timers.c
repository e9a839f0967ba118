/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/timers.c - the timer rules of timers.h.
 *
 * The five timers and what arms them, as in the paper and both reference
 * implementations: an initiation arms the retransmission (REKEY_TIMEOUT plus
 * jitter), a response disarms it; data received arms the keepalive
 * (KEEPALIVE_TIMEOUT), anything sent disarms it; data sent arms the "new
 * handshake" timer (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT plus jitter), anything
 * authenticated received disarms it; a derived session arms the erasure of
 * keys (3 * REJECT_AFTER_TIME); every authenticated packet restarts the
 * persistent keepalive.
 */
#include "config.h"

#include <string.h>

#include "wg/timers.h"

void wg_timers_init(wg_timers *t, uint32_t persistent_interval_s)
{
	memset(t, 0, sizeof *t);
	t->persistent_interval_s = persistent_interval_s;
}

void wg_timers_attach(wg_timers *t, _Atomic uint64_t *word, uint64_t bit)
{
	t->armed_word = word;
	t->armed_bit = bit;
}

/* A load first: data arms the same timers packet after packet, the bit is mostly set already. */
static void arm(wg_timers *t)
{
	if (t->armed_word && !(atomic_load_explicit(t->armed_word, memory_order_relaxed) & t->armed_bit))
		atomic_fetch_or_explicit(t->armed_word, t->armed_bit, memory_order_relaxed);
}

void wg_timers_data_sent(wg_timers *t, uint64_t now, uint64_t jitter)
{
	if (!t->new_handshake)
		t->new_handshake = now + WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT + jitter;
	arm(t);
}

void wg_timers_data_received(wg_timers *t, uint64_t now)
{
	if (!t->keepalive)
		t->keepalive = now + WG_KEEPALIVE_TIMEOUT;
	else
		t->another_keepalive = true;
	arm(t);
}

void wg_timers_authenticated_sent(wg_timers *t, uint64_t now)
{
	(void)now;
	t->keepalive = 0;
}

void wg_timers_authenticated_received(wg_timers *t, uint64_t now)
{
	(void)now;
	t->new_handshake = 0;
}

void wg_timers_traversal(wg_timers *t, uint64_t now)
{
	if (t->persistent_interval_s) {
		t->persistent = now + (uint64_t)t->persistent_interval_s * WG_NS;
		arm(t);
	}
}

void wg_timers_initiation_sent(wg_timers *t, uint64_t now, uint64_t jitter, bool retry)
{
	if (!retry)
		t->attempts = 0;
	t->last_initiation = now;
	t->retransmit = now + WG_REKEY_TIMEOUT + jitter;
	arm(t);
}

void wg_timers_handshake_complete(wg_timers *t)
{
	t->retransmit = 0;
	t->attempts = 0;
}

void wg_timers_session_derived(wg_timers *t, uint64_t now)
{
	t->zero_keys = now + 3 * WG_REJECT_AFTER_TIME;
	arm(t);
}

bool wg_timers_may_initiate(const wg_timers *t, uint64_t now)
{
	return t->last_initiation == 0 || now - t->last_initiation >= WG_REKEY_TIMEOUT;
}

static bool due(uint64_t *deadline, uint64_t now)
{
	if (*deadline && now >= *deadline) {
		*deadline = 0;
		return true;
	}
	return false;
}

unsigned wg_timers_poll(wg_timers *t, uint64_t now)
{
	unsigned r = 0;

	if (due(&t->retransmit, now)) {
		if (t->attempts + 1 >= WG_MAX_HANDSHAKE_ATTEMPTS) {
			/* Gave up: no more tries until data asks again; keys go in time. */
			r |= WG_DUE_GIVE_UP;
			t->attempts = 0;
			t->new_handshake = 0;
			if (!t->zero_keys)
				t->zero_keys = now + 3 * WG_REJECT_AFTER_TIME;
		} else {
			t->attempts++;
			r |= WG_DUE_RETRY;
		}
	}
	if (due(&t->new_handshake, now))
		r |= WG_DUE_INITIATION;
	if (due(&t->keepalive, now)) {
		r |= WG_DUE_KEEPALIVE;
		if (t->another_keepalive) {
			t->another_keepalive = false;
			t->keepalive = now + WG_KEEPALIVE_TIMEOUT;
		}
	}
	if (due(&t->persistent, now))
		r |= WG_DUE_KEEPALIVE;
	if (due(&t->zero_keys, now))
		r |= WG_DUE_ZERO_KEYS;
	if (wg_timers_next(t))
		arm(t);
	else if (t->armed_word)
		atomic_fetch_and_explicit(t->armed_word, ~t->armed_bit, memory_order_relaxed);
	return r;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

uint64_t wg_timers_next(const wg_timers *t)
{
	uint64_t n = earliest(t->retransmit, t->new_handshake);

	n = earliest(n, t->keepalive);
	n = earliest(n, t->persistent);
	return earliest(n, t->zero_keys);
}

bool wg_keypair_send_ok(uint64_t birth, uint64_t counter, uint64_t now)
{
	return counter < WG_REJECT_AFTER_MESSAGES && now - birth < WG_REJECT_AFTER_TIME;
}

bool wg_keypair_recv_ok(uint64_t birth, uint64_t now)
{
	return now - birth < WG_REJECT_AFTER_TIME;
}

bool wg_rekey_after_send(bool initiator, uint64_t birth, uint64_t counter, uint64_t now)
{
	return counter > WG_REKEY_AFTER_MESSAGES || (initiator && now - birth >= WG_REKEY_AFTER_TIME);
}

bool wg_rekey_after_receive(bool initiator, uint64_t birth, uint64_t now)
{
	return initiator && now - birth >= WG_REJECT_AFTER_TIME - WG_KEEPALIVE_TIMEOUT - WG_REKEY_TIMEOUT;
}
