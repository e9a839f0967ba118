/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/frag.c - IPv4 and IPv6 fragment reassembly (RFC 791 section
 * 3.2, RFC 815, RFC 8200 section 4.5) in a fixed number of slots, each with
 * a fixed buffer and a deadline, shared by the two; IPv4 fragmentation.
 *
 * A slot holds one datagram being put together: the first fragment's
 * header, the data at its offset, and a bitmap of the 8-byte blocks
 * received. Overlaps are where reassemblers go wrong (RFC 1858, RFC 3128):
 * a fragment that repeats bytes already held is accepted only when it
 * repeats them exactly (a duplicate on the wire); one that would change
 * them drops the whole datagram, so no reading of overlapping data is ever
 * chosen.
 */
#include "internal.h"

/* How long a datagram may take to arrive whole (Linux's default, as RFC 791 leaves it open). */
#define ZCS_REASM_TIMEOUT_US (30ull * 1000000)

static bool bit_get(const uint8_t *map, size_t i) { return (map[i / 8] >> (i % 8)) & 1; }
static void bit_set(uint8_t *map, size_t i) { map[i / 8] |= (uint8_t)(1u << (i % 8)); }

/* IPv4 gives a datagram 30 s to arrive whole (Linux's default: RFC 791 leaves it open), IPv6 60 s (RFC 8200 4.5). */
#define ZCS_REASM_TIMEOUT6_US (60ull * 1000000)

static bool key_eq(const zcs_reasm_key *x, const zcs_reasm_key *y)
{
	return x->id == y->id && x->proto == y->proto && zcs_naddr_eq(&x->src, &y->src) &&
	       zcs_naddr_eq(&x->dst, &y->dst);
}

static zcs_reasm *slot_find(zcs_stack *s, const zcs_reasm_key *key, bool *fresh)
{
	zcs_reasm *free_slot = NULL;
	unsigned i;

	*fresh = false;
	for (i = 0; i < s->cfg.reasm_slots; i++) {
		zcs_reasm *r = &s->reasm[i];

		if (!r->used) {
			if (!free_slot)
				free_slot = r;
			continue;
		}
		if (key_eq(&r->key, key))
			return r;
	}
	if (free_slot) {
		*fresh = true;
		free_slot->used = true;
		free_slot->key = *key;
		free_slot->total = 0;
		free_slot->hlen = 0;
		free_slot->nxt = 0;
		memset(free_slot->map, 0, ZCS_REASM_MAP_LEN(s->cfg.max_datagram));
	}
	return free_slot;
}

/* True when every block of [0, r->total) is there. */
static bool slot_complete(const zcs_reasm *r)
{
	size_t i, blocks;

	if (r->total == 0 || r->hlen == 0)
		return false;
	blocks = (r->total + 7) / 8;
	for (i = 0; i < blocks; i++)
		if (!bit_get(r->map, i))
			return false;
	return true;
}

/*
 * Puts a fragment's data (at off, more to come or not) into the slot of
 * key, *out: ZC_E_AGAIN when it is held, or why it was dropped (counted).
 */
static zc_err reasm_add(zcs_stack *s, const zcs_reasm_key *key, size_t off, zc_buf data, bool more, uint64_t now,
			zcs_reasm **out)
{
	zcs_reasm *r;
	bool fresh;
	size_t i;

	/* Every fragment but the last carries a whole number of blocks (RFC 791, RFC 8200 4.5). */
	if ((more && (data.len == 0 || data.len % 8)) || off + data.len > s->cfg.max_datagram) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	if (!(r = slot_find(s, key, &fresh))) {
		ZCS_INC(s, drop_frag_slots_full);
		return ZC_E_NOBUFS;
	}
	*out = r;
	if (fresh)
		r->deadline = now + (key->src.fam == 6 ? ZCS_REASM_TIMEOUT6_US : ZCS_REASM_TIMEOUT_US);
	if (!more) {
		if (r->total && r->total != off + data.len)
			goto contradiction;
		r->total = off + data.len;
		/* Nothing held may lie past the end the last fragment sets. */
		for (i = (r->total + 7) / 8; i < s->cfg.max_datagram / 8 + 1; i++)
			if (bit_get(r->map, i))
				goto contradiction;
	} else if (r->total && off + data.len > r->total) {
		goto contradiction;
	}
	/* Blocks already held must be repeated to the byte, else the datagram is not trusted. */
	for (i = off / 8; i < (off + data.len + 7) / 8; i++) {
		size_t b = i * 8, n = data.len - (b - off) < 8 ? data.len - (b - off) : 8;

		if (bit_get(r->map, i) && memcmp(r->data + b, data.p + (b - off), n) != 0)
			goto contradiction;
	}
	memcpy(r->data + off, data.p, data.len);
	for (i = off / 8; i < (off + data.len + 7) / 8; i++)
		bit_set(r->map, i);
	return ZC_E_AGAIN;

contradiction:
	r->used = false;
	ZCS_INC(s, drop_frag_overlap);
	return ZC_E_INVALID;
}

/* After a fragment was added: ZC_OK when the slot's datagram is whole (the slot is freed), else ZC_E_AGAIN. */
static zc_err slot_done(zcs_reasm *r)
{
	if (!slot_complete(r))
		return ZC_E_AGAIN;
	r->used = false;
	return ZC_OK;
}

zc_err zcs_frag_input(zcs_stack *s, zc_ipv4 ip, uint64_t now, zc_ipv4 *whole)
{
	zcs_reasm_key key;
	zcs_reasm *r;
	zc_ipv4_rw rw;
	uint8_t *h;
	zc_err e;

	memset(&key, 0, sizeof key);
	key.src = zcs_naddr4(zc_ipv4_src(ip));
	key.dst = zcs_naddr4(zc_ipv4_dst(ip));
	key.id = zc_ipv4_id(ip);
	key.proto = zc_ipv4_proto(ip);
	e = reasm_add(s, &key, zc_ipv4_frag_offset(ip), zc_ipv4_payload(ip), zc_ipv4_mf(ip), now, &r);
	if (e != ZC_E_AGAIN)
		return e;
	if (zc_ipv4_frag_offset(ip) == 0) {
		r->hlen = (uint8_t)zc_ipv4_hdr_len(ip);
		memcpy(r->data - r->hlen, zc_ipv4_header(ip).p, r->hlen);
	}
	if (slot_done(r) != ZC_OK)
		return ZC_E_AGAIN;

	/* Whole: the first fragment's header, its length and fragment field made the datagram's. */
	h = r->data - r->hlen;
	zc_store_be16(h + ZC_IPV4_TOTLEN_OFF, (uint16_t)(r->hlen + r->total));
	zc_store_be16(h + ZC_IPV4_FRAG_OFF, 0);
	zc_store_be16(h + ZC_IPV4_CSUM_OFF, 0);
	if (r->hlen + r->total > UINT16_MAX || zc_ipv4_parse_rw(zc_wbuf_make(h, r->hlen + r->total), &rw) != ZC_OK) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	zc_ipv4_csum_fill(rw);
	*whole = zc_ipv4_ro(rw);
	ZCS_INC(s, frag_reassembled);
	return ZC_OK;
}

zc_err zcs_frag6_input(zcs_stack *s, zc_ipv6 ip, uint64_t now, zc_ipv6 *whole)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(ip);
	zcs_reasm_key key;
	zc_ipv6_ext e;
	zcs_reasm *r;
	size_t at = 0, end = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip);
	uint8_t nxt = 0;
	unsigned n;
	uint8_t *h;
	zc_err err;

	/* The fragment header, found by the walk parse made: the fragmentable part follows it. */
	for (n = 0; n <= ZC_IPV6_MAX_EXT && zc_ipv6_ext_next(&it, &e); n++)
		if (e.type == ZC_IPPROTO_FRAGMENT) {
			at = (size_t)e.off + e.len;
			nxt = e.next;
			break;
		}
	if (!at || end < at) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	memset(&key, 0, sizeof key);
	key.src = zcs_naddr6(zc_ipv6_src(ip));
	key.dst = zcs_naddr6(zc_ipv6_dst(ip));
	key.id = zc_ipv6_frag_id(ip);
	err = reasm_add(s, &key, zc_ipv6_frag_offset(ip), zc_buf_make(zc_ipv6_header(ip).p + at, end - at),
			zc_ipv6_mf(ip), now, &r);
	if (err != ZC_E_AGAIN)
		return err;
	/*
	 * The first fragment gives the fixed header and the next header after
	 * its fragment header; the headers before that one served each fragment
	 * on its way and are not kept (RFC 8200 4.5 keeps them for a node that
	 * acts on them: this one does not).
	 */
	if (zc_ipv6_frag_offset(ip) == 0) {
		r->hlen = ZC_IPV6_HDR_LEN;
		r->nxt = nxt;
		memcpy(r->data - ZC_IPV6_HDR_LEN, zc_ipv6_header(ip).p, ZC_IPV6_HDR_LEN);
	}
	if (slot_done(r) != ZC_OK)
		return ZC_E_AGAIN;
	h = r->data - ZC_IPV6_HDR_LEN;
	h[ZC_IPV6_NXT_OFF] = r->nxt;
	zc_store_be16(h + ZC_IPV6_PLEN_OFF, (uint16_t)r->total);
	/* A reassembled datagram that holds a fragment header again is not taken: no reassembly within one. */
	if (r->total > UINT16_MAX || zc_ipv6_parse(zc_buf_make(h, ZC_IPV6_HDR_LEN + r->total), whole) != ZC_OK ||
	    zc_ipv6_has_frag_hdr(*whole)) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	ZCS_INC(s, frag_reassembled);
	ZCS_INC(s, frag6_reassembled);
	return ZC_OK;
}

uint64_t zcs_frag_poll(zcs_stack *s, uint64_t now)
{
	uint64_t next = ZCS_NEVER;
	unsigned i;

	for (i = 0; i < s->cfg.reasm_slots; i++) {
		zcs_reasm *r = &s->reasm[i];

		if (!r->used)
			continue;
		if (now >= r->deadline) {
			r->used = false;
			ZCS_INC(s, drop_frag_timeout);
			continue;
		}
		if (r->deadline < next)
			next = r->deadline;
	}
	return next;
}

zc_err zcs_ipv4_fragment_out(zcs_stack *s, const uint8_t *pkt, size_t len, uint32_t next_hop, bool bcast,
			     uint64_t now)
{
	size_t hlen = ZC_IPV4_MIN_HDR_LEN, per = (s->cfg.mtu - hlen) & ~(size_t)7, off;
	zc_err e = ZC_OK;

	for (off = 0; off < len - hlen; off += per) {
		size_t n = len - hlen - off < per ? len - hlen - off : per;
		uint8_t *f = s->frag + ZCS_L2_ROOM;
		bool last = off + n == len - hlen;
		zc_ipv4_rw v;

		memcpy(f, pkt, hlen);
		memcpy(f + hlen, pkt + hlen + off, n);
		zc_store_be16(f + ZC_IPV4_TOTLEN_OFF, (uint16_t)(hlen + n));
		zc_store_be16(f + ZC_IPV4_FRAG_OFF, (uint16_t)((last ? 0 : ZC_IPV4_F_MF) | off / 8));
		zc_store_be16(f + ZC_IPV4_CSUM_OFF, 0);
		if (zc_ipv4_parse_rw(zc_wbuf_make(f, hlen + n), &v) != ZC_OK)
			return ZC_E_INVALID;
		zc_ipv4_csum_fill(v);
		ZCS_INC(s, frag_sent);
		if (s->cfg.link == ZCS_LINK_IP)
			zcs_link_tx(s, f, hlen + n);
		else if (bcast)
			zcs_eth_send(s, s->frag, ZCS_L2_ROOM + hlen + n, NULL, ZC_ETH_P_IPV4);
		else if ((e = zcs_neigh_output_v4(s, s->frag, hlen + n, next_hop, now)) != ZC_OK)
			return e;
	}
	return e;
}
