/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/tcpopt.c - the TCP options a modern peer uses: window scaling
 * and timestamps with PAWS (RFC 7323), SACK-permitted and the SACK blocks
 * a receiver sends for the data it holds past a gap (RFC 2018), besides the
 * MSS.
 *
 * Every option goes in our SYN; a SYN-ACK carries those the peer's SYN
 * had, and each is used only when both ends sent it.
 */
#include "internal.h"

/* Timestamps tick in milliseconds (RFC 7323 5.4 wants 1 ms to 1 s). */
static uint32_t ts_clock(uint64_t now) { return (uint32_t)(now / 1000); }

/* PAWS forgets a timestamp older than 24 days (RFC 7323 5.5). */
#define ZCS_PAWS_IDLE_US (24ull * 24 * 3600 * 1000000)

uint8_t zcs_tcp_wscale_for(size_t ring)
{
	uint8_t shift = 0;

	while (shift < 14 && (ring >> shift) > 65535)
		shift++;
	return shift;
}

void zcs_tcp_opts_agree(zcs_tcp_sock *c, const zc_tcp_optset *o, uint64_t now)
{
	c->ws_ok = c->ws_ok && o->has_wscale;
	c->snd_wscale = c->ws_ok ? (o->wscale > 14 ? 14 : o->wscale) : 0; /* RFC 7323 2.3: at most 14 */
	if (!c->ws_ok)
		c->rcv_wscale = 0;
	c->sack_ok = c->sack_ok && o->has_sack_perm;
	c->ts_ok = c->ts_ok && o->has_ts;
	if (c->ts_ok) {
		c->ts_recent = o->tsval;
		c->ts_recent_at = now;
		/* Each segment carries 12 bytes of timestamp: that much less data (RFC 6691). */
		if (c->mss > 64 + 12)
			c->mss = (uint16_t)(c->mss - 12);
	}
}

/* How many SACK blocks the next segment carries: one a range held, as many as fit beside the timestamps. */
static unsigned sack_blocks(const zcs_tcp_sock *c)
{
	unsigned most = c->ts_ok ? 3 : 4;

	if (!c->sack_ok)
		return 0;
	return c->n_ooo < most ? c->n_ooo : most;
}

size_t zcs_tcp_sack_room(const zcs_tcp_sock *c)
{
	unsigned n = sack_blocks(c);

	return n ? 4 + 8 * n : 0;
}

/* The SACK blocks of the ranges held past a gap, the most recent first (RFC 2018 4); the bytes written. */
static size_t sack_put(const zcs_tcp_sock *c, uint8_t *p)
{
	unsigned i, n = sack_blocks(c), first = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < c->n_ooo; i++)
		if (zcs_seq_le(c->ooo[i][0], c->ooo_recent) && zcs_seq_lt(c->ooo_recent, c->ooo[i][1]))
			first = i;
	p[0] = ZC_TCP_OPT_NOP;
	p[1] = ZC_TCP_OPT_NOP;
	p[2] = ZC_TCP_OPT_SACK;
	p[3] = (uint8_t)(2 + 8 * n);
	for (i = 0; i < n; i++) {
		unsigned k = (first + i) % c->n_ooo;

		zc_store_be32(p + 4 + 8 * i, c->ooo[k][0]);
		zc_store_be32(p + 8 + 8 * i, c->ooo[k][1]);
	}
	return 4 + 8 * n;
}

size_t zcs_tcp_opts_put(const zcs_tcp_sock *c, uint8_t flags, uint8_t *p, uint64_t now)
{
	size_t n = 0;

	if (flags & ZC_TCP_RST)
		return 0;
	if (flags & ZC_TCP_SYN) {
		/* The MSS goes in by the caller's hand: p[0..3]. */
		n = 4;
		if (c->ws_ok) {
			p[n] = ZC_TCP_OPT_NOP;
			p[n + 1] = ZC_TCP_OPT_WSCALE;
			p[n + 2] = 3;
			p[n + 3] = c->rcv_wscale;
			n += 4;
		}
	}
	if (c->ts_ok) {
		bool sack_perm = (flags & ZC_TCP_SYN) && c->sack_ok;

		/* SACK-permitted takes the two bytes of padding in front of the timestamps. */
		p[n] = sack_perm ? ZC_TCP_OPT_SACK_PERM : ZC_TCP_OPT_NOP;
		p[n + 1] = sack_perm ? 2 : ZC_TCP_OPT_NOP;
		p[n + 2] = ZC_TCP_OPT_TS;
		p[n + 3] = 10;
		zc_store_be32(p + n + 4, ts_clock(now));
		/* The echo is the peer's latest timestamp; 0 in a SYN that has none yet (RFC 7323 3.2). */
		zc_store_be32(p + n + 8, (flags & ZC_TCP_SYN) && !(flags & ZC_TCP_ACK) ? 0 : c->ts_recent);
		n += 12;
	} else if ((flags & ZC_TCP_SYN) && c->sack_ok) {
		p[n] = ZC_TCP_OPT_NOP;
		p[n + 1] = ZC_TCP_OPT_NOP;
		p[n + 2] = ZC_TCP_OPT_SACK_PERM;
		p[n + 3] = 2;
		n += 4;
	}
	if (!(flags & ZC_TCP_SYN))
		n += sack_put(c, p + n);
	return n;
}

bool zcs_tcp_paws_reject(const zcs_tcp_sock *c, const zc_tcp_optset *o, uint64_t now)
{
	if (!c->ts_ok || !o->has_ts)
		return false;
	if (now - c->ts_recent_at > ZCS_PAWS_IDLE_US)
		return false;
	return zcs_seq_lt(o->tsval, c->ts_recent);
}

void zcs_tcp_ts_note(zcs_tcp_sock *c, const zc_tcp_optset *o, uint32_t seq, uint64_t now)
{
	/* Only a segment that starts at or before what we last acknowledged (RFC 7323 4.3 (2)). */
	if (c->ts_ok && o->has_ts && zcs_seq_le(seq, c->last_ack_sent) && !zcs_seq_lt(o->tsval, c->ts_recent)) {
		c->ts_recent = o->tsval;
		c->ts_recent_at = now;
	}
}
