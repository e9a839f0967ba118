/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/peer.c - the device and its peers (peer.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "wg/peer.h"

int wg_device_init(wg_device *d)
{
	unsigned i;

	memset(d, 0, sizeof *d);
	d->fd = -1;
	d->load_threshold = WG_LOAD_THRESHOLD;
	wg_rate_init(&d->rate);
	d->peers = calloc(WG_MAX_PEERS, sizeof *d->peers);
	if (!d->peers || wg_aip_init(&d->aip, WG_MAX_ALLOWEDIPS) < 0 || pthread_rwlock_init(&d->lock, NULL)) {
		free(d->peers);
		wg_aip_free(&d->aip);
		return -1;
	}
	for (i = 0; i < WG_MAX_PEERS; i++)
		pthread_mutex_init(&d->peers[i].lock, NULL);
	return 0;
}

void wg_device_free(wg_device *d)
{
	unsigned i;

	if (!d->peers)
		return;
	for (i = 0; i < WG_MAX_PEERS; i++) {
		wg_peer_zero_keys(&d->peers[i]);
		pthread_mutex_destroy(&d->peers[i].lock);
	}
	wg_memzero(&d->id, sizeof d->id);
	free(d->peers);
	d->peers = NULL;
	wg_aip_free(&d->aip);
	pthread_rwlock_destroy(&d->lock);
}

int wg_device_set_key(wg_device *d, const uint8_t priv[WG_KEY_LEN])
{
	uint8_t k[WG_KEY_LEN];
	bool same;
	unsigned i;

	/* The same key again (wg setconf repeats it) keeps every session. */
	memcpy(k, priv, WG_KEY_LEN);
	wg_x25519_clamp(k);
	same = d->id.have && wg_equal(k, d->id.priv, WG_KEY_LEN);
	wg_memzero(k, sizeof k);
	if (same)
		return 0;
	if (wg_identity_set(&d->id, priv) < 0)
		return -1;
	wg_cookie_checker_init(&d->checker, d->id.pub);
	for (i = 0; i < WG_MAX_PEERS; i++) {
		wg_peer *p = &d->peers[i];

		pthread_mutex_lock(&p->lock);
		if (p->used)
			wg_peer_zero_keys(p);
		pthread_mutex_unlock(&p->lock);
	}
	return 0;
}

wg_peer *wg_peer_find(wg_device *d, const uint8_t pub[WG_KEY_LEN], bool add)
{
	wg_peer *free_slot = NULL;
	unsigned i;

	for (i = 0; i < WG_MAX_PEERS; i++) {
		wg_peer *p = &d->peers[i];

		if (p->used && wg_equal(p->pub, pub, WG_KEY_LEN))
			return p;
		if (!p->used && !free_slot)
			free_slot = p;
	}
	if (!add || !free_slot || (d->id.have && wg_equal(pub, d->id.pub, WG_KEY_LEN)))
		return NULL;
	pthread_mutex_lock(&free_slot->lock);
	memcpy(free_slot->pub, pub, WG_KEY_LEN);
	wg_handshake_init(&free_slot->hs, pub, NULL);
	wg_cookie_init(&free_slot->cookie, pub);
	for (i = 0; i < 3; i++)
		wg_keypair_clear(&free_slot->kp[i]);
	free_slot->cur = free_slot->prev = free_slot->next = -1;
	wg_timers_init(&free_slot->timers, 0);
	memset(&free_slot->endpoint, 0, sizeof free_slot->endpoint);
	memset(&free_slot->last_handshake, 0, sizeof free_slot->last_handshake);
	free_slot->last_initiation_taken = 0;
	atomic_store(&free_slot->rx_bytes, 0);
	atomic_store(&free_slot->tx_bytes, 0);
	free_slot->used = true;
	pthread_mutex_unlock(&free_slot->lock);
	return free_slot;
}

int wg_peer_slot(const wg_device *d, const wg_peer *p)
{
	return (int)(p - d->peers);
}

void wg_peer_remove(wg_device *d, wg_peer *p)
{
	wg_aip_remove_peer(&d->aip, wg_peer_slot(d, p));
	pthread_mutex_lock(&p->lock);
	wg_peer_zero_keys(p);
	wg_memzero(p->hs.psk, sizeof p->hs.psk);
	p->used = false;
	pthread_mutex_unlock(&p->lock);
}

void wg_peer_set_psk(wg_peer *p, const uint8_t *psk)
{
	pthread_mutex_lock(&p->lock);
	if (psk)
		memcpy(p->hs.psk, psk, WG_KEY_LEN);
	else
		wg_memzero(p->hs.psk, WG_KEY_LEN);
	pthread_mutex_unlock(&p->lock);
}

void wg_peer_set_keepalive(wg_peer *p, uint32_t seconds)
{
	pthread_mutex_lock(&p->lock);
	p->timers.persistent_interval_s = seconds;
	if (!seconds)
		p->timers.persistent = 0;
	pthread_mutex_unlock(&p->lock);
}

uint32_t wg_index_make(int slot)
{
	return (wg_random_u32() & ~0xffu) | (uint32_t)slot;
}

wg_peer *wg_peer_by_index(wg_device *d, uint32_t index)
{
	wg_peer *p = &d->peers[index & 0xff];

	return p->used ? p : NULL;
}

static void slot_free(wg_peer *p, int *role)
{
	if (*role >= 0)
		wg_keypair_clear(&p->kp[*role]);
	*role = -1;
}

static int slot_unused(const wg_peer *p)
{
	int i;

	for (i = 0; i < 3; i++)
		if (i != p->cur && i != p->prev && i != p->next)
			return i;
	return -1; /* cannot happen: the caller freed a role first */
}

void wg_peer_install(wg_peer *p, const wg_keypair *kp)
{
	int s;

	slot_free(p, &p->prev);
	if (kp->initiator) {
		/* A waiting next keypair is older than this one: it goes. */
		slot_free(p, &p->next);
		p->prev = p->cur;
		p->cur = -1;
		s = slot_unused(p);
		p->kp[s] = *kp;
		p->cur = s;
	} else {
		slot_free(p, &p->next);
		s = slot_unused(p);
		p->kp[s] = *kp;
		p->next = s;
	}
}

wg_keypair *wg_peer_keypair(wg_peer *p, uint32_t idx)
{
	int roles[3] = { p->cur, p->prev, p->next };
	int i;

	for (i = 0; i < 3; i++)
		if (roles[i] >= 0 && p->kp[roles[i]].valid && p->kp[roles[i]].local_index == idx)
			return &p->kp[roles[i]];
	return NULL;
}

void wg_peer_confirm(wg_peer *p, wg_keypair *kp)
{
	if (p->next < 0 || &p->kp[p->next] != kp)
		return;
	slot_free(p, &p->prev);
	p->prev = p->cur;
	p->cur = p->next;
	p->next = -1;
}

void wg_peer_zero_keys(wg_peer *p)
{
	int i;

	for (i = 0; i < 3; i++)
		wg_keypair_clear(&p->kp[i]);
	p->cur = p->prev = p->next = -1;
	wg_handshake_clear(&p->hs);
}
