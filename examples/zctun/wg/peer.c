/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/peer.c - the device and its peers (peer.h).
 *
 * Slots are handed out in order (the high-water mark) and reused from a
 * free list, so a chunk's pages are touched only as its slots are first
 * used. The public-key table chains through the peers themselves (4 bytes
 * a peer plus 4 a bucket, doubled as peers come); the index table holds
 * 8 bytes per live index at a load of at most a half, sized as slots are
 * added for every handshake and every pooled keypair at once, so that it
 * never fills on the data path.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "wg/peer.h"

#define NCHUNKS (WG_MAX_PEERS / WG_PEER_CHUNK)

/* ---------------------------------------------------------------- the keypair pool */

static int pool_init(wg_keypool *kp, uint32_t cap)
{
	memset(kp, 0, sizeof *kp);
	/* calloc: the pages stay untouched until a session needs them. */
	kp->kp = calloc(cap, sizeof *kp->kp);
	if (!kp->kp || pthread_mutex_init(&kp->lock, NULL)) {
		free(kp->kp);
		kp->kp = NULL;
		return -1;
	}
	kp->cap = cap;
	return 0;
}

static wg_keypair *pool_take(wg_keypool *kp)
{
	wg_keypair *k = NULL;

	pthread_mutex_lock(&kp->lock);
	if (kp->free_head) {
		k = &kp->kp[kp->free_head - 1];
		kp->free_head = k->pool_next;
	} else if (kp->hw < kp->cap) {
		k = &kp->kp[kp->hw++];
	}
	if (k)
		kp->inuse++;
	pthread_mutex_unlock(&kp->lock);
	return k;
}

static void pool_put(wg_keypool *kp, wg_keypair *k)
{
	wg_keypair_clear(k);
	pthread_mutex_lock(&kp->lock);
	k->pool_next = kp->free_head;
	kp->free_head = (uint32_t)(k - kp->kp) + 1;
	kp->inuse--;
	pthread_mutex_unlock(&kp->lock);
}

/* ---------------------------------------------------------------- the staging pool */

static int stage_init(wg_stage_pool *sp, uint32_t cap)
{
	memset(sp, 0, sizeof *sp);
	sp->b = calloc(cap, sizeof *sp->b);
	if (!sp->b || pthread_mutex_init(&sp->lock, NULL)) {
		free(sp->b);
		sp->b = NULL;
		return -1;
	}
	sp->cap = cap;
	return 0;
}

static wg_staged_buf *stage_take(wg_stage_pool *sp)
{
	wg_staged_buf *b = NULL;

	pthread_mutex_lock(&sp->lock);
	if (sp->free_head) {
		b = &sp->b[sp->free_head - 1];
		sp->free_head = b->next;
	} else if (sp->hw < sp->cap) {
		b = &sp->b[sp->hw++];
	}
	if (b)
		sp->inuse++;
	pthread_mutex_unlock(&sp->lock);
	return b;
}

void wg_staged_free(wg_device *d, wg_staged_buf *b)
{
	wg_stage_pool *sp = &d->stage;

	pthread_mutex_lock(&sp->lock);
	b->next = sp->free_head;
	sp->free_head = (uint32_t)(b - sp->b) + 1;
	sp->inuse--;
	pthread_mutex_unlock(&sp->lock);
}

/* ---------------------------------------------------------------- the index table */

static uint32_t index_home(const wg_index_table *t, uint32_t index)
{
	/* Indices are random: a multiplicative spread is enough. */
	return (uint32_t)(index * 2654435761u) & t->mask;
}

static int index_init(wg_index_table *t, uint32_t size)
{
	memset(t, 0, sizeof *t);
	t->e = calloc(size, sizeof *t->e);
	if (!t->e || pthread_mutex_init(&t->lock, NULL)) {
		free(t->e);
		t->e = NULL;
		return -1;
	}
	t->mask = size - 1;
	return 0;
}

/* Where index is, or the empty entry that ends its run (lock held). */
static uint32_t index_probe(const wg_index_table *t, uint32_t index)
{
	uint32_t i = index_home(t, index);

	while (t->e[i].index && t->e[i].index != index)
		i = (i + 1) & t->mask;
	return i;
}

static void index_put(wg_index_table *t, uint32_t index, uint32_t slot)
{
	uint32_t i = index_probe(t, index);

	if (!t->e[i].index)
		t->n++;
	t->e[i].index = index;
	t->e[i].slot = slot;
}

/* Grows the table to hold want live indices at a load of a half (config time). */
static int index_reserve(wg_index_table *t, uint64_t want)
{
	wg_index_ent *old = t->e, *e;
	uint32_t oldsize = t->mask + 1, size = oldsize, i;

	while ((uint64_t)size < 2 * want)
		size *= 2;
	if (size == oldsize)
		return 0;
	e = calloc(size, sizeof *e);
	if (!e)
		return -1;
	pthread_mutex_lock(&t->lock);
	t->e = e;
	t->mask = size - 1;
	t->n = 0;
	for (i = 0; i < oldsize; i++)
		if (old[i].index)
			index_put(t, old[i].index, old[i].slot);
	pthread_mutex_unlock(&t->lock);
	free(old);
	return 0;
}

/* Removes index; linear probing's deletion moves the run's later entries back. */
static void index_del(wg_index_table *t, uint32_t index)
{
	uint32_t i, j, h;

	if (!index)
		return;
	pthread_mutex_lock(&t->lock);
	i = index_probe(t, index);
	if (!t->e[i].index) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	t->e[i].index = 0;
	t->n--;
	for (j = (i + 1) & t->mask; t->e[j].index; j = (j + 1) & t->mask) {
		h = index_home(t, t->e[j].index);
		/* The entry at j may fill the hole at i unless its home lies in (i, j]. */
		if (((j - h) & t->mask) >= ((j - i) & t->mask)) {
			t->e[i] = t->e[j];
			t->e[j].index = 0;
			i = j;
		}
	}
	pthread_mutex_unlock(&t->lock);
}

/* A fresh random index for slot, registered; 0 if the table is (impossibly) full. */
static uint32_t index_new(wg_index_table *t, uint32_t slot)
{
	uint32_t index, i;

	pthread_mutex_lock(&t->lock);
	if ((uint64_t)t->n * 2 > t->mask) {
		pthread_mutex_unlock(&t->lock);
		return 0;
	}
	do {
		index = wg_random_u32();
		i = index_probe(t, index);
	} while (!index || t->e[i].index);
	t->e[i].index = index;
	t->e[i].slot = slot;
	t->n++;
	pthread_mutex_unlock(&t->lock);
	return index;
}

/* Registers a given index for slot, unless it is there already. Returns 0 or -1 (full). */
static int index_ensure(wg_index_table *t, uint32_t index, uint32_t slot)
{
	uint32_t i;
	int r = 0;

	pthread_mutex_lock(&t->lock);
	i = index_probe(t, index);
	if (t->e[i].index)
		t->e[i].slot = slot;
	else if (!index || (uint64_t)t->n * 2 > t->mask)
		r = -1;
	else
		index_put(t, index, slot);
	pthread_mutex_unlock(&t->lock);
	return r;
}

static int index_slot(wg_index_table *t, uint32_t index, uint32_t *slot)
{
	uint32_t i;
	int r = -1;

	if (!index)
		return -1;
	pthread_mutex_lock(&t->lock);
	i = index_probe(t, index);
	if (t->e[i].index) {
		*slot = t->e[i].slot;
		r = 0;
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

/* ---------------------------------------------------------------- the device */

int wg_device_init_pool(wg_device *d, uint32_t keypairs)
{
	memset(d, 0, sizeof *d);
	d->fd = -1;
	d->load_threshold = WG_LOAD_THRESHOLD;
	wg_rate_init(&d->rate);
	wg_random(d->hash_key, sizeof d->hash_key);
	if (keypairs < 3)
		keypairs = 3;
	d->chunk = calloc(NCHUNKS, sizeof *d->chunk);
	d->armed = calloc(WG_MAX_PEERS / 64, sizeof *d->armed);
	d->nbuckets = 64;
	d->bucket = calloc(d->nbuckets, sizeof *d->bucket);
	if (!d->chunk || !d->armed || !d->bucket || wg_aip_init(&d->aip, 0) < 0 ||
	    pool_init(&d->pool, keypairs) < 0 || index_init(&d->index, 64) < 0 ||
	    index_reserve(&d->index, keypairs) < 0 ||
	    stage_init(&d->stage, WG_STAGED) < 0 || pthread_rwlock_init(&d->lock, NULL)) {
		free(d->chunk);
		free((void *)d->armed);
		free(d->bucket);
		wg_aip_free(&d->aip);
		free(d->pool.kp);
		free(d->index.e);
		free(d->stage.b);
		memset(d, 0, sizeof *d);
		return -1;
	}
	return 0;
}

int wg_device_init(wg_device *d)
{
	return wg_device_init_pool(d, WG_KEYPAIRS);
}

void wg_device_free(wg_device *d)
{
	uint32_t i;

	if (!d->chunk)
		return;
	for (i = 0; i < d->hw; i++) {
		wg_peer *p = &d->chunk[i / WG_PEER_CHUNK][i % WG_PEER_CHUNK];

		if (p->used) {
			wg_peer_zero_keys(d, p);
			wg_peer_purge_staged(d, p);
		}
		wg_memzero(p->hs.psk, sizeof p->hs.psk);
		pthread_mutex_destroy(&p->lock);
	}
	for (i = 0; i < NCHUNKS; i++)
		free(d->chunk[i]);
	free(d->chunk);
	d->chunk = NULL;
	free((void *)d->armed);
	free(d->bucket);
	wg_memzero(d->pool.kp, (size_t)d->pool.cap * sizeof *d->pool.kp);
	free(d->pool.kp);
	pthread_mutex_destroy(&d->pool.lock);
	free(d->index.e);
	pthread_mutex_destroy(&d->index.lock);
	free(d->stage.b);
	pthread_mutex_destroy(&d->stage.lock);
	wg_memzero(&d->id, sizeof d->id);
	wg_aip_free(&d->aip);
	pthread_rwlock_destroy(&d->lock);
}

int wg_device_set_key(wg_device *d, const uint8_t priv[WG_KEY_LEN])
{
	uint8_t k[WG_KEY_LEN];
	bool same;
	uint32_t s = 0;
	wg_peer *p;

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
	while ((p = wg_peer_next(d, &s))) {
		pthread_mutex_lock(&p->lock);
		wg_peer_zero_keys(d, p);
		pthread_mutex_unlock(&p->lock);
	}
	return 0;
}

/* ---------------------------------------------------------------- peers */

static wg_peer *slot_peer(const wg_device *d, uint32_t slot)
{
	return &d->chunk[slot / WG_PEER_CHUNK][slot % WG_PEER_CHUNK];
}

wg_peer *wg_peer_at(const wg_device *d, uint32_t slot)
{
	wg_peer *p;

	if (slot >= d->hw)
		return NULL;
	p = slot_peer(d, slot);
	return p->used ? p : NULL;
}

wg_peer *wg_peer_next(const wg_device *d, uint32_t *slot)
{
	for (; *slot < d->hw; (*slot)++) {
		wg_peer *p = slot_peer(d, *slot);

		if (p->used) {
			(*slot)++;
			return p;
		}
	}
	return NULL;
}

static uint32_t bucket_of(const wg_device *d, const uint8_t pub[WG_KEY_LEN])
{
	return (uint32_t)wg_shorthash(pub, WG_KEY_LEN, d->hash_key) & (d->nbuckets - 1);
}

/* Doubles the public-key buckets once there are more peers than buckets (config time). */
static void buckets_grow(wg_device *d)
{
	uint32_t n = d->nbuckets * 2, s = 0, *b;
	wg_peer *p;

	if (d->npeers < d->nbuckets || !(b = calloc(n, sizeof *b)))
		return; /* a failed growth leaves longer chains, nothing worse */
	free(d->bucket);
	d->bucket = b;
	d->nbuckets = n;
	while ((p = wg_peer_next(d, &s))) {
		uint32_t h = bucket_of(d, p->pub);

		p->hnext = d->bucket[h];
		d->bucket[h] = p->slot + 1;
	}
}

/* A free slot, initialised: reused, or the next one (its chunk allocated). NULL when full. */
static wg_peer *slot_take(wg_device *d)
{
	wg_peer *p;

	if (d->free_head) {
		p = slot_peer(d, d->free_head - 1);
		d->free_head = p->hnext;
		return p;
	}
	if (d->hw >= WG_MAX_PEERS)
		return NULL;
	if (!d->chunk[d->hw / WG_PEER_CHUNK] &&
	    !(d->chunk[d->hw / WG_PEER_CHUNK] = calloc(WG_PEER_CHUNK, sizeof(wg_peer))))
		return NULL;
	/* Every slot may hold a handshake's index at once: room for it first. */
	if (index_reserve(&d->index, (uint64_t)d->hw + 1 + d->pool.cap) < 0)
		return NULL;
	p = slot_peer(d, d->hw);
	if (pthread_mutex_init(&p->lock, NULL))
		return NULL;
	p->slot = d->hw++;
	return p;
}

wg_peer *wg_peer_find(wg_device *d, const uint8_t pub[WG_KEY_LEN], bool add)
{
	uint32_t h = bucket_of(d, pub), s;
	wg_peer *p;

	for (s = d->bucket[h]; s; s = p->hnext) {
		p = slot_peer(d, s - 1);
		if (wg_equal(p->pub, pub, WG_KEY_LEN))
			return p;
	}
	if (!add || (d->id.have && wg_equal(pub, d->id.pub, WG_KEY_LEN)) || !(p = slot_take(d)))
		return NULL;
	pthread_mutex_lock(&p->lock);
	memcpy(p->pub, pub, WG_KEY_LEN);
	wg_handshake_init(&p->hs, pub, NULL);
	p->hs_index = 0;
	wg_cookie_init(&p->cookie, pub);
	p->cur = p->prev = p->next = NULL;
	wg_peer_reset_timers(d, p);
	memset(&p->endpoint, 0, sizeof p->endpoint);
	memset(&p->last_handshake, 0, sizeof p->last_handshake);
	p->last_initiation_taken = 0;
	atomic_store(&p->rx_bytes, 0);
	atomic_store(&p->tx_bytes, 0);
	p->staged_head = p->staged_tail = 0;
	p->nstaged = 0;
	p->used = true;
	pthread_mutex_unlock(&p->lock);
	p->hnext = d->bucket[h];
	d->bucket[h] = p->slot + 1;
	d->npeers++;
	buckets_grow(d);
	return p;
}

int wg_peer_slot(const wg_device *d, const wg_peer *p)
{
	(void)d;
	return (int)p->slot;
}

void wg_peer_remove(wg_device *d, wg_peer *p)
{
	uint32_t *link = &d->bucket[bucket_of(d, p->pub)];

	while (*link && *link != p->slot + 1)
		link = &slot_peer(d, *link - 1)->hnext;
	if (*link)
		*link = p->hnext;
	wg_aip_remove_peer(&d->aip, (int)p->slot);
	pthread_mutex_lock(&p->lock);
	wg_peer_zero_keys(d, p);
	wg_peer_purge_staged(d, p);
	wg_memzero(p->hs.psk, sizeof p->hs.psk);
	p->used = false;
	pthread_mutex_unlock(&p->lock);
	p->hnext = d->free_head;
	d->free_head = p->slot + 1;
	d->npeers--;
}

void wg_peer_reset_timers(wg_device *d, wg_peer *p)
{
	uint64_t bit = 1ull << (p->slot % 64);

	wg_timers_init(&p->timers, 0);
	wg_timers_attach(&p->timers, &d->armed[p->slot / 64], bit);
	atomic_fetch_and_explicit(&d->armed[p->slot / 64], ~bit, memory_order_relaxed);
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

/* ---------------------------------------------------------------- indices and keypairs */

uint32_t wg_peer_hs_index(wg_device *d, wg_peer *p)
{
	index_del(&d->index, p->hs_index);
	p->hs_index = index_new(&d->index, p->slot);
	return p->hs_index;
}

wg_peer *wg_peer_by_index(wg_device *d, uint32_t index)
{
	uint32_t slot;

	if (index_slot(&d->index, index, &slot) < 0)
		return NULL;
	return wg_peer_at(d, slot);
}

/* Gives a keypair back: its index unregistered, its keys zeroed. */
static void keypair_drop(wg_device *d, wg_keypair **role)
{
	if (!*role)
		return;
	index_del(&d->index, (*role)->local_index);
	pool_put(&d->pool, *role);
	*role = NULL;
}

int wg_peer_install(wg_device *d, wg_peer *p, const wg_keypair *kp)
{
	wg_keypair *k;

	/* Both go whatever happens: the previous is one session older, a waiting next is older too. */
	keypair_drop(d, &p->prev);
	keypair_drop(d, &p->next);
	k = pool_take(&d->pool);
	if (!k)
		return -1;
	*k = *kp;
	k->pool_next = 0;
	if (index_ensure(&d->index, k->local_index, p->slot) < 0) {
		pool_put(&d->pool, k);
		return -1;
	}
	/* The handshake's index now names the keypair. */
	if (p->hs_index == k->local_index)
		p->hs_index = 0;
	if (kp->initiator) {
		p->prev = p->cur;
		p->cur = k;
	} else {
		p->next = k;
	}
	return 0;
}

wg_keypair *wg_peer_keypair(wg_peer *p, uint32_t idx)
{
	wg_keypair *roles[3] = { p->cur, p->prev, p->next };
	int i;

	for (i = 0; i < 3; i++)
		if (roles[i] && roles[i]->valid && roles[i]->local_index == idx)
			return roles[i];
	return NULL;
}

void wg_peer_confirm(wg_device *d, wg_peer *p, wg_keypair *kp)
{
	if (!p->next || p->next != kp)
		return;
	keypair_drop(d, &p->prev);
	p->prev = p->cur;
	p->cur = p->next;
	p->next = NULL;
}

void wg_peer_zero_keys(wg_device *d, wg_peer *p)
{
	keypair_drop(d, &p->cur);
	keypair_drop(d, &p->prev);
	keypair_drop(d, &p->next);
	index_del(&d->index, p->hs_index);
	p->hs_index = 0;
	wg_handshake_clear(&p->hs);
}

/* ---------------------------------------------------------------- packets held for a handshake */

int wg_peer_stage(wg_device *d, wg_peer *p, const uint8_t *pkt, size_t len, size_t padded)
{
	/* The transport header goes before the packet, the tag after its padding. */
	const size_t room = 16 + 16;
	wg_staged_buf *b, *old;

	if (padded < len || padded > WG_STAGED_ROOM - room)
		return -1;
	if (p->nstaged >= WG_STAGED_PER_PEER && (old = wg_peer_unstage(d, p))) {
		wg_staged_free(d, old);
		atomic_fetch_add_explicit(&d->staged_dropped, 1, memory_order_relaxed);
	}
	if (!(b = stage_take(&d->stage)))
		return -1;
	b->next = 0;
	b->len = (uint16_t)padded;
	memcpy(b->data + 16, pkt, len);
	memset(b->data + 16 + len, 0, padded - len);
	if (p->staged_tail)
		d->stage.b[p->staged_tail - 1].next = (uint32_t)(b - d->stage.b) + 1;
	else
		p->staged_head = (uint32_t)(b - d->stage.b) + 1;
	p->staged_tail = (uint32_t)(b - d->stage.b) + 1;
	p->nstaged++;
	return 0;
}

wg_staged_buf *wg_peer_unstage(wg_device *d, wg_peer *p)
{
	wg_staged_buf *b;

	if (!p->staged_head)
		return NULL;
	b = &d->stage.b[p->staged_head - 1];
	p->staged_head = b->next;
	if (!p->staged_head)
		p->staged_tail = 0;
	p->nstaged--;
	b->next = 0;
	return b;
}

void wg_peer_purge_staged(wg_device *d, wg_peer *p)
{
	wg_staged_buf *b;

	while ((b = wg_peer_unstage(d, p))) {
		wg_staged_free(d, b);
		atomic_fetch_add_explicit(&d->staged_dropped, 1, memory_order_relaxed);
	}
}
