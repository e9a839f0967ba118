/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/frag.c - IPv4 fragment reassembly (RFC 791 section 3.2, RFC 815)
 * in a fixed number of slots, each with a fixed buffer and a deadline.
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

static zcs_reasm *slot_find(zcs_stack *s, zc_ipv4 ip, bool *fresh)
{
	uint32_t src = zc_ipv4_src(ip), dst = zc_ipv4_dst(ip);
	uint16_t id = zc_ipv4_id(ip);
	uint8_t proto = zc_ipv4_proto(ip);
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
		if (r->src == src && r->dst == dst && r->id == id && r->proto == proto)
			return r;
	}
	if (free_slot) {
		*fresh = true;
		free_slot->used = true;
		free_slot->src = src;
		free_slot->dst = dst;
		free_slot->id = id;
		free_slot->proto = proto;
		free_slot->total = 0;
		free_slot->hlen = 0;
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

zc_err zcs_frag_input(zcs_stack *s, zc_ipv4 ip, uint64_t now, zc_ipv4 *whole)
{
	size_t off = zc_ipv4_frag_offset(ip), i;
	zc_buf data = zc_ipv4_payload(ip);
	bool more = zc_ipv4_mf(ip), fresh;
	zcs_reasm *r;
	uint8_t *h;
	zc_ipv4_rw rw;

	/* Every fragment but the last carries a whole number of blocks (RFC 791). */
	if ((more && (data.len == 0 || data.len % 8)) || off + data.len > s->cfg.max_datagram) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	if (!(r = slot_find(s, ip, &fresh))) {
		ZCS_INC(s, drop_frag_slots_full);
		return ZC_E_NOBUFS;
	}
	if (fresh)
		r->deadline = now + ZCS_REASM_TIMEOUT_US;
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
	if (off == 0) {
		r->hlen = (uint8_t)zc_ipv4_hdr_len(ip);
		memcpy(r->data - r->hlen, zc_ipv4_header(ip).p, r->hlen);
	}
	if (!slot_complete(r))
		return ZC_E_AGAIN;

	/* Whole: the first fragment's header, its length and fragment field made the datagram's. */
	h = r->data - r->hlen;
	zc_store_be16(h + ZC_IPV4_TOTLEN_OFF, (uint16_t)(r->hlen + r->total));
	zc_store_be16(h + ZC_IPV4_FRAG_OFF, 0);
	zc_store_be16(h + ZC_IPV4_CSUM_OFF, 0);
	r->used = false;
	if (r->hlen + r->total > UINT16_MAX || zc_ipv4_parse_rw(zc_wbuf_make(h, r->hlen + r->total), &rw) != ZC_OK) {
		ZCS_INC(s, drop_frag_bad);
		return ZC_E_INVALID;
	}
	zc_ipv4_csum_fill(rw);
	*whole = zc_ipv4_ro(rw);
	ZCS_INC(s, frag_reassembled);
	return ZC_OK;

contradiction:
	r->used = false;
	ZCS_INC(s, drop_frag_overlap);
	return ZC_E_INVALID;
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
