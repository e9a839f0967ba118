/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/tcp.c - TCP (RFC 9293) over IPv4 and IPv6: listeners, connections in
 * every state, the retransmission timer of RFC 6298 with Karn's rule and
 * backoff, RST and SYN validation per RFC 5961, resets for ports nobody
 * listens on (3.10.7.1). The options (MSS, window scaling, timestamps and
 * PAWS, SACK) are tcpopt.c's, initial sequence numbers isn.c's.
 *
 * Congestion control is RFC 5681's (slow start, congestion avoidance, fast
 * retransmit) with RFC 6582's NewReno recovery, or RFC 6675's when the peer
 * sends SACK blocks: what to send again is chosen from the scoreboard
 * (tcpsack.c), several holes a round trip. Data past a gap is held in
 * the receive ring, in up to ZCS_TCP_OOO ranges, answered with a duplicate
 * ACK that carries SACK blocks when the peer takes them; the segment that
 * fills the gap releases it. ACKs are delayed (every second segment, or
 * ZCS_TCP_DELACK_US), small segments wait for the ACK of what is in flight
 * (Nagle), and an idle connection may be probed (keepalive). After a
 * timeout, go-back-N, the scoreboard forgotten (RFC 2018 8).
 */
#include "internal.h"

/* A connection's own state, besides the two rings the configuration sizes. */
_Static_assert(sizeof(zcs_tcp_sock) <= 512, "a TCP connection's state outgrew 512 bytes");

static const zcs_tcp_sock *sock_get_c(const zcs_stack *s, int sock)
{
	if (!s || sock < 0 || (unsigned)sock >= s->cfg.tcp_sockets || !s->tcp[sock].used)
		return NULL;
	return &s->tcp[sock];
}

static zcs_tcp_sock *sock_get(zcs_stack *s, int sock)
{
	return sock_get_c(s, sock) ? &s->tcp[sock] : NULL;
}

/* The chain of zcs_stack.tcp_hash a four-tuple belongs to. */
static int32_t *tuple_chain(const zcs_stack *s, const zcs_naddr *raddr, const zcs_naddr *laddr, uint16_t rport,
			    uint16_t lport)
{
	uint32_t h = s->tcp_hash_key ^ ((uint32_t)rport << 16 | lport);
	unsigned i;

	for (i = 0; i < 16; i += 4) {
		h = (h ^ zc_load_be32(raddr->a + i)) * 0x9e3779b1u;
		h ^= h >> 15;
		h = (h ^ zc_load_be32(laddr->a + i)) * 0x85ebca6bu;
		h ^= h >> 13;
	}
	return &s->tcp_hash[h & s->tcp_hash_mask];
}

/* Puts connection c, its four-tuple set, in its chain. */
static void sock_hash(zcs_stack *s, zcs_tcp_sock *c)
{
	int32_t *head = tuple_chain(s, &c->raddr, &c->laddr, c->rport, c->lport);

	c->hnext = *head;
	*head = (int32_t)(c - s->tcp);
	c->hashed = true;
}

/* Takes c out of its chain, before its slot is used again. */
static void sock_unhash(zcs_stack *s, zcs_tcp_sock *c)
{
	int32_t *at = tuple_chain(s, &c->raddr, &c->laddr, c->rport, c->lport), me = (int32_t)(c - s->tcp);

	while (*at >= 0 && *at != me)
		at = &s->tcp[*at].hnext;
	if (*at == me)
		*at = c->hnext;
	c->hashed = false;
}

/*
 * A free slot, cleared. A slot freed stays in its chain, unused, until it
 * is taken again here: lookups pass over it.
 */
static zcs_tcp_sock *sock_new(zcs_stack *s)
{
	unsigned i;

	for (i = 0; i < s->cfg.tcp_sockets; i++) {
		zcs_tcp_sock *c = &s->tcp[i];

		if (!c->used) {
			uint8_t *tx = c->tx, *rx = c->rx;
			size_t ring = c->ring;

			if (c->hashed)
				sock_unhash(s, c);

			memset(c, 0, sizeof *c);
			c->tx = tx;
			c->rx = rx;
			c->ring = ring;
			c->used = true;
			c->listener = -1;
			c->rto = ZCS_TCP_RTO_INIT_US;
			return c;
		}
	}
	return NULL;
}

static void sock_free(zcs_tcp_sock *c)
{
	c->used = false;
	c->state = ZCS_TCP_CLOSED;
}

/* ---------------------------------------------------------------- sending segments */

/*
 * Fills the checksum of the len-byte segment built at zcs_l4_out() and
 * sends it from src to dst. With gso_size (the MSS; 0: none) it is a large
 * segment for the device to cut: its checksum is left partial for the
 * device to complete per segment, and the link hands it to tx_gso.
 */
static zc_err tcp_out(zcs_stack *s, const zcs_naddr *src, const zcs_naddr *dst, size_t len, uint16_t gso_size,
		      uint64_t now)
{
	size_t iphl = dst->fam == 6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN;
	zc_tcp_rw seg;
	zc_err e;

	if (zc_tcp_parse_rw(zc_wbuf_make(zcs_l4_out(s, dst->fam), len), &seg) != ZC_OK)
		return ZC_E_INVALID;
	if (!gso_size) {
		zc_tcp_csum_fill(seg, zcs_pseudo(src, dst, ZC_IPPROTO_TCP, len));
		return zcs_ip_output(s, src, dst, ZC_IPPROTO_TCP, len, now);
	}
	zc_tcp_csum_partial_fill(seg, zcs_pseudo(src, dst, ZC_IPPROTO_TCP, len));
	s->tx_gso.type = dst->fam == 6 ? ZCS_GSO_TCPV6 : ZCS_GSO_TCPV4;
	s->tx_gso.size = gso_size;
	s->tx_gso.csum_start = (uint16_t)iphl;
	s->tx_gso.csum_offset = ZC_TCP_CSUM_OFF;
	s->tx_gso.hdr_len = (uint16_t)(iphl + zc_tcp_hdr_len(zc_tcp_ro(seg)));
	ZCS_INC(s, tcp_tso_segs_out);
	e = zcs_ip_output(s, src, dst, ZC_IPPROTO_TCP, len, now);
	s->tx_gso.size = 0;
	return e;
}

/*
 * The most data the next segment carries: the MSS less the SACK blocks it
 * will carry, so that the frame still fits the path (RFC 6691).
 */
static uint32_t seg_mss(const zcs_tcp_sock *c)
{
	return c->mss - (uint32_t)zcs_tcp_sack_room(c);
}

/*
 * Builds and sends one segment: flags, sequence seq, the n bytes of the
 * send ring from offset off (0 for none), and the MSS option on a SYN.
 */
static void seg_send(zcs_stack *s, zcs_tcp_sock *c, uint8_t flags, uint32_t seq, size_t off, size_t n, uint64_t now)
{
	uint8_t *t = zcs_l4_out(s, c->raddr.fam);
	size_t hl, free_rx = c->ring - c->rx_len;
	uint32_t mss = seg_mss(c);

	memset(t, 0, ZC_TCP_MIN_HDR_LEN);
	hl = ZC_TCP_MIN_HDR_LEN + zcs_tcp_opts_put(c, flags, t + ZC_TCP_MIN_HDR_LEN, now);
	/* A SYN's window is never scaled (RFC 7323 2.2); the others are, by our shift. */
	if (!(flags & ZC_TCP_SYN))
		free_rx >>= c->rcv_wscale;
	zc_store_be16(t + ZC_TCP_SPORT_OFF, c->lport);
	zc_store_be16(t + ZC_TCP_DPORT_OFF, c->rport);
	zc_store_be32(t + ZC_TCP_SEQ_OFF, seq);
	zc_store_be32(t + ZC_TCP_ACK_OFF, (flags & ZC_TCP_ACK) ? c->rcv_nxt : 0);
	t[ZC_TCP_DOFF_OFF] = (uint8_t)((hl / 4) << 4);
	t[ZC_TCP_FLAGS_OFF] = flags;
	zc_store_be16(t + ZC_TCP_WIN_OFF, (uint16_t)(free_rx > 65535 ? 65535 : free_rx));
	if (flags & ZC_TCP_SYN) {
		/* Our MSS: what fits the MTU after the two headers (RFC 9293 3.7.1). */
		t[20] = ZC_TCP_OPT_MSS;
		t[21] = 4;
		zc_store_be16(t + 22, zcs_ip_mss(s, c->raddr.fam));
	}
	if (n) {
		size_t at = (c->tx_head + off) % c->ring, first = c->ring - at < n ? c->ring - at : n;

		memcpy(t + hl, c->tx + at, first);
		memcpy(t + hl + first, c->tx, n - first);
	}
	/* Any segment with an ACK pays what was owed. */
	if (flags & ZC_TCP_ACK) {
		c->last_ack_sent = c->rcv_nxt;
		c->ack_owed = 0;
		c->ack_timer = 0;
	}
	ZCS_INC(s, tcp_segs_out);
	(void)tcp_out(s, &c->laddr, &c->raddr, hl + n, n > mss ? (uint16_t)mss : 0, now);
}

/* The window a segment gives, in bytes: scaled by the peer's shift unless it is a SYN's. */
static uint32_t seg_wnd(const zcs_tcp_sock *c, zc_tcp t)
{
	return (uint32_t)zc_tcp_window(t) << ((zc_tcp_flags(t) & ZC_TCP_SYN) ? 0 : c->snd_wscale);
}

static void send_ack(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	seg_send(s, c, ZC_TCP_ACK, c->snd_nxt, 0, 0, now);
}

/* The ACK RFC 5961 sends instead of acting on a RST or SYN it cannot trust. */
static void challenge_ack(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	ZCS_INC(s, tcp_challenge_acks);
	send_ack(s, c, now);
}

static void timer_start(zcs_tcp_sock *c, uint64_t now)
{
	c->timer = now + c->rto;
}

/* snd_nxt moved on by n: snd_max follows it past what was ever sent. */
static void snd_advance(zcs_tcp_sock *c, uint32_t n)
{
	c->snd_nxt += n;
	if (zcs_seq_lt(c->snd_max, c->snd_nxt))
		c->snd_max = c->snd_nxt;
}

/* True once the peer has acknowledged our FIN. */
static bool fin_acked(const zcs_tcp_sock *c)
{
	return c->fin_ever && zcs_seq_lt(c->fin_seq, c->snd_una);
}

/* The initial window (RFC 5681 3.1, as RFC 3390 sets it), once the peer's MSS is known. */
static void cc_init(zcs_tcp_sock *c)
{
	uint32_t m = c->mss;

	c->cwnd = 4 * m < (2 * m > 4380 ? 2 * m : 4380) ? 4 * m : (2 * m > 4380 ? 2 * m : 4380);
	c->ssthresh = UINT32_MAX / 2;
	c->recover = c->iss; /* RFC 6582 3.2 step 1 */
	c->dupacks = 0;
	c->in_recovery = false;
}

/* Half of what is in flight, at least two segments (RFC 5681 equation 4). */
static uint32_t cc_half(const zcs_tcp_sock *c)
{
	uint32_t flight = c->snd_max - c->snd_una;

	return flight / 2 > 2u * c->mss ? flight / 2 : 2u * c->mss;
}

/* Sends again the oldest segment not acknowledged, or our FIN when only it is. */
static void retransmit_first(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	size_t n = c->tx_len < seg_mss(c) ? c->tx_len : seg_mss(c);

	if (n)
		seg_send(s, c, ZC_TCP_ACK, c->snd_una, 0, n, now);
	else if (c->fin_sent)
		seg_send(s, c, ZC_TCP_FIN | ZC_TCP_ACK, c->snd_una, 0, 0, now);
}

/*
 * Sends len bytes from seq again in SACK recovery: counted as what went in
 * it (RFC 6937's prr_out), and the latest resend (rxt_mark).
 */
static void recovery_resend(zcs_stack *s, zcs_tcp_sock *c, uint32_t seq, uint32_t len, uint64_t now)
{
	ZCS_INC(s, tcp_fast_retransmits);
	seg_send(s, c, ZC_TCP_ACK, seq, seq - c->snd_una, len, now);
	c->prr_out += len;
	c->rxt_mark = c->snd_max;
}

/*
 * Sends again the first range the scoreboard takes as lost and not sent
 * again yet, up to most bytes in whole segments; false when there is none.
 */
static bool sack_resend(zcs_stack *s, zcs_tcp_sock *c, size_t most, uint64_t now)
{
	uint32_t mss = seg_mss(c), sent = c->snd_nxt - c->snd_una - c->fin_sent, seq, len;

	if (!zcs_tcp_sack_next_lost(c, c->snd_una + sent, (uint32_t)most, &seq, &len))
		return false;
	if (len > mss)
		len -= len % mss;
	recovery_resend(s, c, seq, len, now);
	c->high_rxt = seq + len;
	if (c->rtt_timing && zcs_seq_lt(seq, c->rtt_seq))
		c->rtt_timing = false; /* Karn: the timed ACK may now answer a resend */
	return true;
}

/* The states in which data goes out. */
static bool sending_state(const zcs_tcp_sock *c)
{
	return c->state == ZCS_TCP_ESTABLISHED || c->state == ZCS_TCP_CLOSE_WAIT || c->state == ZCS_TCP_FIN_WAIT_1 ||
	       c->state == ZCS_TCP_LAST_ACK || c->state == ZCS_TCP_CLOSING;
}

/* A tail loss probe has a place: data in flight, outside recovery, and not after a timeout's go-back. */
static bool tlp_fits(const zcs_tcp_sock *c)
{
	return sending_state(c) && c->snd_una != c->snd_max && !c->in_recovery && c->snd_nxt == c->snd_max;
}

/*
 * The tail loss probe's timer (RFC 8985 7.2), after new data went or an ACK
 * came: two round trips (at least ZCS_TCP_TLP_MIN_US, and room for a
 * delayed ACK when one segment is in flight), when that is before the
 * retransmission timeout. None in recovery, after a timeout's go-back, while
 * a probe is in flight, or before a round trip was measured.
 */
static void tlp_arm(zcs_tcp_sock *c, uint64_t now)
{
	uint64_t pto;

	c->tlp_timer = 0;
	if (!tlp_fits(c) || c->tlp_out || !c->srtt)
		return;
	pto = 2ull * c->srtt > ZCS_TCP_TLP_MIN_US ? 2ull * c->srtt : ZCS_TCP_TLP_MIN_US;
	if (c->snd_max - c->snd_una <= c->mss)
		pto += ZCS_TCP_TLP_DELACK_US;
	if (c->timer && now + pto >= c->timer)
		return;
	c->tlp_timer = now + pto;
}

/*
 * The probe (RFC 8985 7.3): a segment of new data when the peer's window
 * has room, else the last segment sent, again. Its ACK, or the SACK blocks
 * it draws, start recovery for a loss at the tail, which no duplicate ACKs
 * would show, or just move on when only ACKs were lost.
 */
static void on_tail_probe(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	size_t inflight = (size_t)(c->snd_nxt - c->snd_una) - c->fin_sent, unsent = c->tx_len - inflight;
	size_t mss = seg_mss(c), n;

	c->tlp_timer = 0;
	if (!tlp_fits(c))
		return;
	ZCS_INC(s, tcp_tail_probes);
	if (unsent && !c->fin_sent && c->snd_wnd > inflight) {
		n = unsent < mss ? unsent : mss;
		if (n > c->snd_wnd - inflight)
			n = c->snd_wnd - inflight;
		seg_send(s, c, ZC_TCP_ACK | (n == unsent ? ZC_TCP_PSH : 0), c->snd_nxt, inflight, n, now);
		snd_advance(c, (uint32_t)n);
		c->tlp_rxt = false;
	} else if (inflight) {
		n = inflight < mss ? inflight : mss;
		seg_send(s, c, ZC_TCP_ACK, c->snd_una + (uint32_t)(inflight - n), inflight - n, n, now);
		c->tlp_rxt = true;
	} else {
		seg_send(s, c, ZC_TCP_FIN | ZC_TCP_ACK, c->fin_seq, 0, 0, now);
		c->tlp_rxt = true;
	}
	c->tlp_out = true;
	c->tlp_end = c->snd_nxt;
	c->timer = now + c->rto;
}

/*
 * The ACK of a probe (RFC 8985 7.4): one that sent data again, acknowledged
 * without a D-SACK (RFC 2883: the peer had not had it twice), repaired a
 * loss, and the window is cut as for one.
 */
static void tlp_acked(zcs_stack *s, zcs_tcp_sock *c, const zc_tcp_optset *o, uint32_t ack)
{
	uint32_t half;

	if (!c->tlp_out || zcs_seq_lt(ack, c->tlp_end))
		return;
	c->tlp_out = false;
	if (!c->tlp_rxt || (o->nsack && zcs_seq_le(o->sack[0][1], ack)))
		return;
	ZCS_INC(s, tcp_tail_probe_repairs);
	half = c->cwnd / 2 > 2u * c->mss ? c->cwnd / 2 : 2u * c->mss;
	c->ssthresh = half;
	c->cwnd = half;
}

/*
 * Sends what the peer's window allows of the data not sent yet, then the
 * FIN when it is queued and every byte before it has gone.
 */
static void tcp_output(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	size_t inflight, unsent, room, seg_max;

	if (!sending_state(c))
		return;
	for (;;) {
		size_t n, wnd, mss = seg_mss(c), cc_room;

		seg_max = s->cfg.tso_max > mss ? s->cfg.tso_max : mss;
		inflight = (size_t)(c->snd_nxt - c->snd_una) - c->fin_sent;
		unsent = c->tx_len - inflight;
		if (c->sack_recovery) {
			/*
			 * RFC 6675 5 (C): while the window has a segment's room over
			 * pipe, the next lost range goes again, else new data.
			 */
			uint32_t pipe = zcs_tcp_sack_pipe(c);

			if (c->cwnd < pipe + mss)
				break;
			if (sack_resend(s, c, seg_max, now))
				continue;
			cc_room = c->cwnd - pipe;
		} else {
			/* Limited transmit (RFC 3042): the first two duplicate ACKs each let a new segment go. */
			size_t allow = c->cwnd + (!c->in_recovery && c->dupacks < 3 ? c->dupacks : 0u) * mss;

			cc_room = allow > inflight ? allow - inflight : 0;
		}
		wnd = c->snd_wnd > inflight ? c->snd_wnd - inflight : 0;
		room = wnd < cc_room ? wnd : cc_room;
		n = unsent < room ? unsent : room;
		/*
		 * One MSS, or with segmentation offload whole multiples of it up to
		 * tso_max: the device cuts the same segments as would have gone,
		 * and a tail short of the MSS goes alone, under Nagle's rule.
		 */
		if (n > seg_max)
			n = seg_max;
		if (n > mss)
			n -= n % mss;
		/*
		 * Nagle (RFC 9293 3.7.4): a segment short of the MSS waits while
		 * data is in flight, unless it is the last before a FIN.
		 */
		if (n && n < mss && inflight && !c->nodelay && !(c->fin_queued && n == unsent))
			break;
		if (n == 0 || c->fin_sent) {
			/* Data waits on a closed window: the timer probes it, else nothing would. */
			if (unsent && c->snd_wnd == 0 && !c->timer)
				timer_start(c, now);
			break;
		}
		seg_send(s, c, ZC_TCP_ACK | ((n == unsent) ? ZC_TCP_PSH : 0), c->snd_nxt, inflight, n, now);
		if (c->sack_recovery)
			c->prr_out += (uint32_t)n;
		if (!c->rtt_timing) {
			c->rtt_timing = true;
			c->rtt_seq = c->snd_nxt;
			c->rtt_start = now;
		}
		snd_advance(c, (uint32_t)n);
		if (!c->timer)
			timer_start(c, now);
		tlp_arm(c, now);
	}
	if (c->fin_queued && !c->fin_sent && unsent == 0) {
		seg_send(s, c, ZC_TCP_FIN | ZC_TCP_ACK, c->snd_nxt, 0, 0, now);
		c->fin_seq = c->snd_nxt;
		c->fin_ever = true;
		snd_advance(c, 1);
		c->fin_sent = true;
		/* FIN_WAIT_1, LAST_ACK and CLOSING stay as they are when the FIN goes again. */
		if (c->state == ZCS_TCP_ESTABLISHED)
			c->state = ZCS_TCP_FIN_WAIT_1;
		else if (c->state == ZCS_TCP_CLOSE_WAIT)
			c->state = ZCS_TCP_LAST_ACK;
		if (!c->timer)
			timer_start(c, now);
	}
}

/* The connection ends: failed (err) or closed; a slot nobody will close is freed. */
static void conn_end(zcs_tcp_sock *c, int err)
{
	c->state = ZCS_TCP_CLOSED;
	c->timer = 0;
	c->ack_timer = 0;
	c->ka_timer = 0;
	c->tlp_timer = 0;
	c->err = (int8_t)err;
	if (c->user_closed || (c->listener >= 0 && !c->accepted))
		sock_free(c);
}

/* ---------------------------------------------------------------- resets for closed ports */

/* Answers a segment that no connection or listener takes (RFC 9293 3.10.7.1). */
static zc_err reset_for(zcs_stack *s, const zcs_rx *rx, zc_tcp t, uint64_t now)
{
	uint8_t *r = zcs_l4_out(s, rx->src.fam);
	uint8_t flags = zc_tcp_flags(t);
	uint32_t seq, ack, seg_len;

	ZCS_INC(s, drop_tcp_closed);
	/* A reset is never answered; nor is anything sent to a broadcast address or a group. */
	if ((flags & ZC_TCP_RST) || !rx->unicast)
		return ZC_E_UNSUPPORTED;
	/* SYN and FIN each take a sequence number (RFC 9293 3.4). */
	seg_len = (uint32_t)zc_tcp_payload(t).len + !!(flags & ZC_TCP_SYN) + !!(flags & ZC_TCP_FIN);
	if (flags & ZC_TCP_ACK) {
		seq = zc_tcp_ack(t);
		ack = 0;
		flags = ZC_TCP_RST;
	} else {
		seq = 0;
		ack = zc_tcp_seq(t) + seg_len;
		flags = ZC_TCP_RST | ZC_TCP_ACK;
	}
	memset(r, 0, ZC_TCP_MIN_HDR_LEN);
	zc_store_be16(r + ZC_TCP_SPORT_OFF, zc_tcp_dst_port(t));
	zc_store_be16(r + ZC_TCP_DPORT_OFF, zc_tcp_src_port(t));
	zc_store_be32(r + ZC_TCP_SEQ_OFF, seq);
	zc_store_be32(r + ZC_TCP_ACK_OFF, ack);
	r[ZC_TCP_DOFF_OFF] = (ZC_TCP_MIN_HDR_LEN / 4) << 4;
	r[ZC_TCP_FLAGS_OFF] = flags;
	/* From the address it came to: the two ends' pair is the peer's pseudo-header. */
	ZCS_INC(s, tcp_rst_sent);
	(void)tcp_out(s, &rx->dst, &rx->src, ZC_TCP_MIN_HDR_LEN, 0, now);
	return ZC_E_UNSUPPORTED;
}

/* ---------------------------------------------------------------- receiving */

static zcs_tcp_sock *find_conn(zcs_stack *s, const zcs_naddr *raddr, const zcs_naddr *laddr, uint16_t rport,
			       uint16_t lport)
{
	int32_t i = *tuple_chain(s, raddr, laddr, rport, lport);

	for (; i >= 0; i = s->tcp[i].hnext) {
		zcs_tcp_sock *c = &s->tcp[i];

		if (c->used && c->state > ZCS_TCP_LISTEN && c->lport == lport && c->rport == rport &&
		    zcs_naddr_eq(&c->raddr, raddr) && zcs_naddr_eq(&c->laddr, laddr))
			return c;
	}
	return NULL;
}

static zcs_tcp_sock *find_listener(zcs_stack *s, uint16_t lport)
{
	unsigned i;

	for (i = 0; i < s->cfg.tcp_sockets; i++)
		if (s->tcp[i].used && s->tcp[i].state == ZCS_TCP_LISTEN && s->tcp[i].lport == lport)
			return &s->tcp[i];
	return NULL;
}

/* Connections of listener l not accepted yet, half-open ones included. */
static unsigned backlog_used(const zcs_stack *s, int l)
{
	unsigned i, n = 0;

	for (i = 0; i < s->cfg.tcp_sockets; i++)
		if (s->tcp[i].used && s->tcp[i].listener == l && !s->tcp[i].accepted)
			n++;
	return n;
}

/* The peer's MSS from a SYN's options (RFC 9293 3.7.1), capped by our MTU. */
static uint16_t peer_mss(const zcs_stack *s, uint8_t fam, zc_tcp t)
{
	zc_tcp_optset o;
	/* Without the option: 536 over IPv4, 1220 over IPv6 (RFC 8200 5: 1280 less the headers). */
	uint16_t m = fam == 6 ? 1220 : 536, ours = zcs_ip_mss(s, fam);

	if (zc_tcp_options(t, &o) == ZC_OK && o.has_mss && o.mss >= 64)
		m = o.mss;
	return m < ours ? m : ours;
}

/* What our SYN offers: every option, with the shift our ring needs. */
static void offer_options(const zcs_stack *s, zcs_tcp_sock *c)
{
	c->ws_ok = c->ts_ok = true;
	c->sack_ok = !s->cfg.tcp_no_sack;
	c->rcv_wscale = zcs_tcp_wscale_for(c->ring);
}

static void on_listen(zcs_stack *s, zcs_tcp_sock *l, const zcs_rx *rx, zc_tcp t, const zc_tcp_optset *o,
		      uint64_t now)
{
	uint8_t flags = zc_tcp_flags(t);
	zcs_tcp_sock *c;

	if (flags & ZC_TCP_RST)
		return;
	if ((flags & ZC_TCP_ACK) || !(flags & ZC_TCP_SYN)) {
		(void)reset_for(s, rx, t, now);
		return;
	}
	/* A SYN: a half-open connection, within the listener's backlog (the SYN queue is bounded). */
	if (!rx->unicast || backlog_used(s, (int)(l - s->tcp)) >= l->backlog ||
	    !(c = sock_new(s))) {
		ZCS_INC(s, drop_tcp_backlog);
		return;
	}
	c->listener = (int16_t)(l - s->tcp);
	c->state = ZCS_TCP_SYN_RCVD;
	c->lport = l->lport;
	c->rport = zc_tcp_src_port(t);
	c->raddr = rx->src;
	c->laddr = rx->dst;
	sock_hash(s, c);
	c->irs = zc_tcp_seq(t);
	c->rcv_nxt = c->irs + 1;
	c->iss = zcs_tcp_isn(s, c, now);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->snd_wnd = zc_tcp_window(t);
	c->snd_wl1 = c->irs;
	c->snd_wl2 = c->iss;
	c->mss = peer_mss(s, rx->src.fam, t);
	offer_options(s, c);
	zcs_tcp_opts_agree(c, o, now);
	cc_init(c);
	seg_send(s, c, ZC_TCP_SYN | ZC_TCP_ACK, c->iss, 0, 0, now);
	timer_start(c, now);
}

static void on_syn_sent(zcs_stack *s, zcs_tcp_sock *c, const zcs_rx *rx, zc_tcp t, const zc_tcp_optset *o,
			uint64_t now)
{
	uint8_t flags = zc_tcp_flags(t);
	uint32_t ack = zc_tcp_ack(t);
	bool ack_ok = (flags & ZC_TCP_ACK) && zcs_seq_lt(c->iss, ack) && zcs_seq_le(ack, c->snd_nxt);

	if ((flags & ZC_TCP_ACK) && !ack_ok) {
		if (!(flags & ZC_TCP_RST))
			(void)reset_for(s, rx, t, now);
		return;
	}
	if (flags & ZC_TCP_RST) {
		if (ack_ok) {
			ZCS_INC(s, tcp_resets_received);
			conn_end(c, ZC_E_RESET);
		}
		return;
	}
	if (!(flags & ZC_TCP_SYN))
		return;
	c->irs = zc_tcp_seq(t);
	c->rcv_nxt = c->irs + 1;
	c->mss = peer_mss(s, c->raddr.fam, t);
	zcs_tcp_opts_agree(c, o, now);
	cc_init(c);
	c->snd_wnd = zc_tcp_window(t);
	c->snd_wl1 = c->irs;
	c->snd_wl2 = ack;
	if (ack_ok) {
		c->snd_una = ack;
		c->state = ZCS_TCP_ESTABLISHED;
		c->timer = 0;
		c->retries = 0;
		send_ack(s, c, now);
		tcp_output(s, c, now);
	} else {
		/* Simultaneous open (RFC 9293 3.5): our SYN again, with an ACK. */
		c->state = ZCS_TCP_SYN_RCVD;
		seg_send(s, c, ZC_TCP_SYN | ZC_TCP_ACK, c->iss, 0, 0, now);
	}
}

/* An RTT sample, per RFC 6298 2.2 and 2.3. */
static void rtt_sample(zcs_tcp_sock *c, uint64_t r)
{
	if (r > ZCS_TCP_RTO_MAX_US)
		r = ZCS_TCP_RTO_MAX_US;
	if (c->srtt == 0) {
		c->srtt = (uint32_t)r;
		c->rttvar = (uint32_t)(r / 2);
	} else {
		uint64_t d = c->srtt > r ? c->srtt - r : r - c->srtt;

		c->rttvar = (uint32_t)((3 * (uint64_t)c->rttvar + d) / 4);
		c->srtt = (uint32_t)((7 * (uint64_t)c->srtt + r) / 8);
	}
	c->rto = c->srtt + (4 * c->rttvar > 1000 ? 4 * c->rttvar : 1000);
	if (c->rto < ZCS_TCP_RTO_MIN_US)
		c->rto = ZCS_TCP_RTO_MIN_US;
	if (c->rto > ZCS_TCP_RTO_MAX_US)
		c->rto = ZCS_TCP_RTO_MAX_US;
}

/*
 * A segment sent again in recovery is lost again when the peer SACKs more
 * than two segments' worth of data sent after the latest resend, and
 * snd_una, sent again, is still not acknowledged (RFC 6675 leaves it to the
 * timer; this is the rule RACK's time order gives, RFC 8985, in sequence
 * order). Only that resend is known lost: its first segment goes again now,
 * and the others wait for evidence of their own.
 */
static void lost_resends(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	uint32_t end = c->n_sacked ? c->sacked[0][0] : c->snd_max, len = seg_mss(c);

	if (!zcs_seq_lt(c->snd_una, c->high_rxt) || !zcs_seq_lt(c->rxt_mark + 2u * c->mss, zcs_tcp_sack_highest(c)))
		return;
	ZCS_INC(s, tcp_lost_resends);
	if (zcs_seq_lt(c->high_rxt, end))
		end = c->high_rxt;
	if (end - c->snd_una < len)
		len = end - c->snd_una;
	recovery_resend(s, c, c->snd_una, len, now);
}

/*
 * Proportional rate reduction (RFC 6937), on each ACK of a SACK recovery
 * that delivered bytes (acknowledged or SACKed): the window becomes pipe
 * and what may go now, so that sending slows in step with what arrives,
 * down to ssthresh by the end of recovery, rather than stopping until pipe
 * falls below it. Under ssthresh, the slow start reduction bound lets pipe
 * grow back towards it by at most what was delivered and a segment.
 */
static void prr_ack(zcs_tcp_sock *c, uint32_t delivered)
{
	uint32_t pipe = zcs_tcp_sack_pipe(c), sndcnt;

	c->prr_delivered += delivered;
	if (pipe > c->ssthresh) {
		uint64_t due = ((uint64_t)c->prr_delivered * c->ssthresh + c->recover_fs - 1) / c->recover_fs;

		sndcnt = due > c->prr_out ? (uint32_t)(due - c->prr_out) : 0;
	} else {
		uint32_t limit = c->prr_delivered > c->prr_out ? c->prr_delivered - c->prr_out : 0;

		limit = (limit > delivered ? limit : delivered) + c->mss;
		sndcnt = c->ssthresh - pipe < limit ? c->ssthresh - pipe : limit;
	}
	c->cwnd = pipe + sndcnt;
}

/*
 * A duplicate ACK, data outstanding: nothing new acknowledged and no data
 * with the same window (RFC 5681 2), or SACK blocks that report bytes not
 * SACKed before (RFC 6675 2). The first two let a new segment go each
 * (limited transmit, RFC 3042, in tcp_output()). The third, or one whose
 * SACK blocks show the first unacknowledged byte lost (RFC 6675 5) or a
 * tail loss probe delivered past it, starts fast retransmit and recovery,
 * unless it acknowledges only what an earlier recovery covered (RFC 6582
 * 3.2). With the peer's SACK blocks to go by, tcp_output() sends the holes
 * as pipe allows (RFC 6675); without, NewReno sends the first and each
 * duplicate more inflates the window.
 */
static void dup_ack(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	uint32_t ack = c->snd_una;
	/* A tail loss probe SACKed while snd_una is not: what was sent before it is lost (RFC 8985 7.4). */
	bool probe_past = c->tlp_out && c->n_sacked && zcs_seq_le(c->tlp_end, zcs_tcp_sack_highest(c));

	c->dupacks = (uint8_t)(c->dupacks < 255 ? c->dupacks + 1 : 255);

	if (!c->in_recovery && zcs_seq_lt(c->recover, ack + 1) &&
	    (c->dupacks == 3 || (c->dupacks < 3 && (zcs_tcp_sack_head_lost(c) || probe_past)))) {
		c->tlp_out = false; /* recovery answers the loss the probe found */
		c->ssthresh = cc_half(c);
		c->recover = c->snd_max;
		c->in_recovery = true;
		c->sack_recovery = c->sack_ok && c->n_sacked && c->snd_nxt == c->snd_max;
		if (c->sack_recovery) {
			ZCS_INC(s, tcp_sack_recoveries);
			c->high_rxt = ack;
			c->cwnd = c->ssthresh;
			c->prr_delivered = c->prr_out = 0;
			c->recover_fs = c->snd_max - c->snd_una;
			/* The first lost segment goes at once, whatever pipe says (RFC 6675 5 (4.3)). */
			(void)sack_resend(s, c, seg_mss(c), now);
		} else {
			ZCS_INC(s, tcp_fast_retransmits);
			retransmit_first(s, c, now);
			c->cwnd = c->ssthresh + 3u * c->mss;
		}
	} else if (c->in_recovery && !c->sack_recovery && c->dupacks > 3) {
		c->cwnd += c->mss;
	}
}

/* Processes the ACK field of a segment on a synchronized connection; false when the segment is done with. */
static bool on_ack(zcs_stack *s, zcs_tcp_sock *c, zc_tcp t, const zc_tcp_optset *o, uint64_t now)
{
	uint32_t ack = zc_tcp_ack(t), seq = zc_tcp_seq(t);

	if (c->state == ZCS_TCP_SYN_RCVD) {
		if (!(zcs_seq_lt(c->snd_una, ack) && zcs_seq_le(ack, c->snd_nxt)))
			return false;
		c->state = ZCS_TCP_ESTABLISHED;
		c->snd_wnd = seg_wnd(c, t);
		c->snd_wl1 = seq;
		c->snd_wl2 = ack;
	}
	/*
	 * An ACK of what was never sent is answered and dropped (RFC 9293
	 * 3.10.7.4, RFC 5961 5.2). "Sent" is snd_max: after a timeout snd_nxt
	 * went back, and ACKs for what had gone before still count.
	 */
	if (zcs_seq_lt(c->snd_max, ack)) {
		send_ack(s, c, now);
		return false;
	}
	if (zcs_seq_lt(c->snd_una, ack)) {
		uint32_t n = ack - c->snd_una;
		size_t data = n;
		int32_t sacked;

		/* Our FIN takes the last sequence number: it is not in the ring. */
		if (c->fin_ever && zcs_seq_lt(c->fin_seq, ack) && !zcs_seq_lt(c->fin_seq, c->snd_una))
			data--;
		/* So does our SYN, the first. */
		if (c->snd_una == c->iss && data)
			data--;
		if (data > c->tx_len)
			data = c->tx_len;
		c->tx_head = (c->tx_head + data) % c->ring;
		c->tx_len -= data;
		c->snd_una = ack;
		sacked = zcs_tcp_sack_note(c, o);
		/* What the peer had before a go-back need not go again. */
		if (zcs_seq_lt(c->snd_nxt, ack)) {
			c->snd_nxt = ack;
			c->fin_sent = fin_acked(c);
		}
		c->dupacks = 0;
		if (c->in_recovery) {
			if (zcs_seq_le(c->recover, ack)) {
				/* A full ACK ends recovery (RFC 6582 3.2 step 3). */
				uint32_t flight = c->snd_max - c->snd_una;

				/* After PRR the window is ssthresh (RFC 6937 3); after NewReno no more than the flight allows. */
				c->cwnd = c->sack_recovery || c->ssthresh < flight + c->mss ? c->ssthresh : flight + c->mss;
				c->in_recovery = false;
				c->sack_recovery = false;
			} else if (c->sack_recovery) {
				/* A partial ACK: what it covers need not go again; tcp_output() sends the next hole. */
				if (zcs_seq_lt(c->high_rxt, ack))
					c->high_rxt = ack;
				lost_resends(s, c, now);
				prr_ack(c, (uint32_t)((int64_t)n + sacked));
			} else {
				/* A partial ACK: the next hole goes again, the window deflates by what was acked. */
				ZCS_INC(s, tcp_fast_retransmits);
				retransmit_first(s, c, now);
				c->cwnd = (c->cwnd > data ? c->cwnd - (uint32_t)data : 0) + c->mss;
			}
		} else if (data == 0) {
			/* Only our SYN or FIN acknowledged: no data, no growth. */
		} else if (c->cwnd < c->ssthresh) {
			/*
			 * Slow start: an MSS an ACK (RFC 5681 3.1). With segmentation
			 * offload the peer answers a large segment, many MSS, with one
			 * ACK: the bytes it acknowledges count, as RFC 3465 counts
			 * them, up to one such segment, or the window would grow by
			 * an MSS a round trip.
			 */
			size_t most = s->cfg.tso_max > c->mss ? s->cfg.tso_max : c->mss;

			c->cwnd += (uint32_t)(data < most ? data : most);
		} else {
			/*
			 * Congestion avoidance: an MSS a window's worth of bytes
			 * acknowledged (RFC 5681 3.1), the bytes counted as RFC 3465
			 * 2.1 counts them, so that an ACK of many segments (a peer's
			 * stretch ACK) grows the window as their ACKs one by one would.
			 */
			c->ca_acked += (uint32_t)data;
			if (c->ca_acked >= c->cwnd) {
				c->ca_acked -= c->cwnd;
				c->cwnd += c->mss;
			}
			if (c->ca_acked > c->cwnd)
				c->ca_acked = c->cwnd;
		}
		if (c->rtt_timing && zcs_seq_le(c->rtt_seq, ack)) {
			rtt_sample(c, now - c->rtt_start);
			c->rtt_timing = false;
		}
		c->retries = 0;
		c->timer = c->snd_una == c->snd_max ? 0 : now + c->rto;
		tlp_acked(s, c, o, ack);
	} else {
		/* With SACK, an ACK that SACKs bytes not SACKed before is a duplicate (RFC 6675 2), whatever its window. */
		int32_t sacked = zcs_tcp_sack_note(c, o);

		if (ack == c->snd_una && c->snd_una != c->snd_max &&
		    (sacked > 0 || (zc_tcp_payload(t).len == 0 && !(zc_tcp_flags(t) & (ZC_TCP_SYN | ZC_TCP_FIN)) &&
				    seg_wnd(c, t) == c->snd_wnd)))
			dup_ack(s, c, now);
		if (c->sack_recovery && sacked > 0) {
			lost_resends(s, c, now);
			prr_ack(c, (uint32_t)sacked);
		}
	}
	tlp_arm(c, now);
	/* The window from the most recent segment (RFC 9293 3.10.7.4, SND.WL1 and SND.WL2). */
	if (zcs_seq_lt(c->snd_wl1, seq) || (c->snd_wl1 == seq && zcs_seq_le(c->snd_wl2, ack))) {
		c->snd_wnd = seg_wnd(c, t);
		c->snd_wl1 = seq;
		c->snd_wl2 = ack;
	}
	if (fin_acked(c)) {
		switch (c->state) {
		case ZCS_TCP_FIN_WAIT_1:
			c->state = ZCS_TCP_FIN_WAIT_2;
			break;
		case ZCS_TCP_CLOSING:
			c->state = ZCS_TCP_TIME_WAIT;
			c->timer = now + ZCS_TCP_TIME_WAIT_US;
			break;
		case ZCS_TCP_LAST_ACK:
			conn_end(c, 0);
			return false;
		default:
			break;
		}
	}
	return true;
}

/* Copies n bytes into the receive ring d bytes past its end (its free part), wrapping. */
static void rx_put(zcs_tcp_sock *c, size_t d, const uint8_t *p, size_t n)
{
	size_t at = (c->rx_head + c->rx_len + d) % c->ring, first = c->ring - at < n ? c->ring - at : n;

	memcpy(c->rx + at, p, first);
	memcpy(c->rx, p + first, n - first);
}

/*
 * Holds a segment that starts past the next expected byte: its bytes go to
 * their place in the ring's free part, its range joins the ones held. No
 * room, or no range left: dropped, for the peer to send again.
 */
static void ooo_hold(zcs_stack *s, zcs_tcp_sock *c, uint32_t seq, zc_buf data, bool fin)
{
	size_t d = (size_t)(seq - c->rcv_nxt), room = c->ring - c->rx_len, n = data.len;
	uint32_t a, b;
	unsigned i;

	if (n == 0 || d >= room) {
		if (!(n == 0 && fin))
			goto drop;
	}
	if (n > room - (d < room ? d : room))
		n = d < room ? room - d : 0;
	if (n)
		rx_put(c, d, data.p, n);
	a = seq;
	b = seq + (uint32_t)n;
	/* Merge with every range it touches; what is left is one range. */
	for (i = 0; i < c->n_ooo;) {
		if (zcs_seq_le(c->ooo[i][0], b) && zcs_seq_le(a, c->ooo[i][1])) {
			if (zcs_seq_lt(c->ooo[i][0], a))
				a = c->ooo[i][0];
			if (zcs_seq_lt(b, c->ooo[i][1]))
				b = c->ooo[i][1];
			c->ooo[i][0] = c->ooo[--c->n_ooo][0];
			c->ooo[i][1] = c->ooo[c->n_ooo][1];
			continue;
		}
		i++;
	}
	if (a != b) {
		if (c->n_ooo == ZCS_TCP_OOO)
			goto drop;
		c->ooo[c->n_ooo][0] = a;
		c->ooo[c->n_ooo][1] = b;
		c->n_ooo++;
	}
	c->ooo_recent = seq;
	if (fin && n == data.len) {
		c->ooo_fin = true;
		c->ooo_fin_seq = seq + (uint32_t)n;
	}
	ZCS_INC(s, tcp_out_of_order);
	return;
drop:
	ZCS_INC(s, drop_tcp_out_of_order);
}

/* After rcv_nxt moved on: the ranges held that it reaches become data received. */
static void ooo_release(zcs_tcp_sock *c)
{
	unsigned i;

	for (i = 0; i < c->n_ooo;) {
		if (zcs_seq_le(c->ooo[i][0], c->rcv_nxt)) {
			if (zcs_seq_lt(c->rcv_nxt, c->ooo[i][1])) {
				c->rx_len += (size_t)(c->ooo[i][1] - c->rcv_nxt);
				c->rcv_nxt = c->ooo[i][1];
			}
			c->ooo[i][0] = c->ooo[--c->n_ooo][0];
			c->ooo[i][1] = c->ooo[c->n_ooo][1];
			i = 0;
			continue;
		}
		i++;
	}
}

/*
 * Data or a FIN came in order: the ACK goes at once when urgent says so (a
 * FIN, a gap filled, a segment not wholly taken), at the second segment
 * owed, or when the delayed-ACK timer runs out (RFC 9293 3.8.6.3: at least
 * every second full segment, within 500 ms; RFC 5681 4.2: 200 ms at most).
 */
static void ack_or_delay(zcs_stack *s, zcs_tcp_sock *c, bool urgent, uint64_t now)
{
	if (urgent || ++c->ack_owed >= 2) {
		send_ack(s, c, now);
		return;
	}
	if (!c->ack_timer)
		c->ack_timer = now + ZCS_TCP_DELACK_US;
}

/* The peer's FIN, in order: end of stream, and the state it leads to (RFC 9293 3.10.7.4, eighth). */
static void fin_in(zcs_tcp_sock *c, uint64_t now)
{
	c->rcv_nxt++;
	c->peer_fin = true;
	c->ooo_fin = false;
	switch (c->state) {
	case ZCS_TCP_SYN_RCVD:
	case ZCS_TCP_ESTABLISHED:
		c->state = ZCS_TCP_CLOSE_WAIT;
		break;
	case ZCS_TCP_FIN_WAIT_1:
		c->state = ZCS_TCP_CLOSING;
		break;
	case ZCS_TCP_FIN_WAIT_2:
		c->state = ZCS_TCP_TIME_WAIT;
		c->timer = now + ZCS_TCP_TIME_WAIT_US;
		break;
	default:
		break;
	}
}

static zc_err on_segment(zcs_stack *s, zcs_tcp_sock *c, zc_tcp t, const zc_tcp_optset *o, uint64_t now)
{
	uint8_t flags = zc_tcp_flags(t);
	uint32_t seq = zc_tcp_seq(t), wnd = (uint32_t)(c->ring - c->rx_len);
	zc_buf data = zc_tcp_payload(t);
	size_t seg_len = data.len + !!(flags & ZC_TCP_FIN);
	bool had_ooo = c->n_ooo != 0;

	ZCS_INC(s, tcp_segs_in);
	c->ka_sent = 0;
	if (c->ka_idle)
		c->ka_timer = now + c->ka_idle;
	/* PAWS (RFC 7323 5.3): an old timestamp marks an old duplicate; it is acknowledged and dropped. */
	if (!(flags & ZC_TCP_RST) && zcs_tcp_paws_reject(c, o, now)) {
		ZCS_INC(s, drop_tcp_paws);
		send_ack(s, c, now);
		return ZC_E_UNSUPPORTED;
	}
	/*
	 * Acceptability (RFC 9293 3.10.7.4): some of the segment lies in the
	 * receive window, or it is empty and at its edge. Else an ACK, unless it
	 * is a reset.
	 */
	if (!(zcs_seq_le(c->rcv_nxt, seq + (uint32_t)seg_len) && zcs_seq_lt(seq, c->rcv_nxt + (wnd ? wnd : 1))) &&
	    !(seg_len == 0 && seq == c->rcv_nxt)) {
		ZCS_INC(s, drop_tcp_out_of_window);
		if (!(flags & ZC_TCP_RST))
			send_ack(s, c, now);
		return ZC_E_UNSUPPORTED;
	}
	/* RFC 5961 3.2: a reset acts only at exactly the next expected byte; elsewhere in the window, a challenge. */
	if (flags & ZC_TCP_RST) {
		if (seq != c->rcv_nxt) {
			challenge_ack(s, c, now);
			return ZC_OK;
		}
		ZCS_INC(s, tcp_resets_received);
		conn_end(c, c->state == ZCS_TCP_SYN_RCVD && c->listener >= 0 ? 0 : ZC_E_RESET);
		return ZC_OK;
	}
	/* RFC 5961 4.2: a SYN on a synchronized connection draws a challenge ACK, never a reset. */
	if (flags & ZC_TCP_SYN) {
		challenge_ack(s, c, now);
		return ZC_OK;
	}
	if (!(flags & ZC_TCP_ACK))
		return ZC_OK;
	zcs_tcp_ts_note(c, o, seq, now);
	if (!on_ack(s, c, t, o, now))
		return ZC_OK;
	if (c->state == ZCS_TCP_TIME_WAIT) {
		/* The peer's FIN again: our ACK was lost. Acknowledge and wait 2 MSL anew. */
		if (flags & ZC_TCP_FIN) {
			send_ack(s, c, now);
			c->timer = now + ZCS_TCP_TIME_WAIT_US;
		}
		return ZC_OK;
	}
	/*
	 * What starts past the next expected byte is held, and answered with a
	 * duplicate ACK at once (RFC 5681 4.2). Its ACK counted all the same:
	 * what it let go out goes now (else, with everything sent acknowledged
	 * and no timer, it would wait for nothing).
	 */
	if (zcs_seq_lt(c->rcv_nxt, seq)) {
		if (c->state == ZCS_TCP_ESTABLISHED || c->state == ZCS_TCP_FIN_WAIT_1 || c->state == ZCS_TCP_FIN_WAIT_2)
			ooo_hold(s, c, seq, data, (flags & ZC_TCP_FIN) != 0);
		send_ack(s, c, now);
		tcp_output(s, c, now);
		return ZC_OK;
	}
	if (data.len && (c->state == ZCS_TCP_ESTABLISHED || c->state == ZCS_TCP_FIN_WAIT_1 ||
			 c->state == ZCS_TCP_FIN_WAIT_2)) {
		size_t skip = (size_t)(c->rcv_nxt - seq), n = data.len - skip;
		size_t room = c->ring - c->rx_len;

		if (n > room)
			n = room;
		rx_put(c, 0, data.p + skip, n);
		c->rx_len += n;
		c->rcv_nxt += (uint32_t)n;
		/* A FIN behind bytes that did not fit is not reached yet. */
		if (skip + n < data.len)
			flags &= (uint8_t)~ZC_TCP_FIN;
		ooo_release(c);
	}
	if ((flags & ZC_TCP_FIN) && seq + (uint32_t)data.len == c->rcv_nxt && !c->peer_fin)
		fin_in(c, now);
	else if (c->ooo_fin && c->rcv_nxt == c->ooo_fin_seq && !c->peer_fin)
		fin_in(c, now); /* a FIN held past the gap just filled */
	/*
	 * A segment the device did not cut (ZCS_RX_CSUM_TRUSTED) that holds two
	 * full-sized ones or more is acknowledged at once: RFC 9293 3.8.6.3 asks
	 * for an ACK at least every second full-sized segment.
	 */
	if (seg_len)
		ack_or_delay(s, c, had_ooo || (flags & ZC_TCP_FIN) || seq + (uint32_t)data.len != c->rcv_nxt ||
				       ((s->rx_flags & ZCS_RX_CSUM_TRUSTED) &&
					data.len >= 2u * zcs_ip_mss(s, c->raddr.fam)),
			     now);
	tcp_output(s, c, now);
	return ZC_OK;
}

zc_err zcs_tcp_input(zcs_stack *s, const zcs_rx *rx, uint64_t now)
{
	zc_tcp_optset o;
	zcs_tcp_sock *c;
	zc_tcp t;

	if (zc_tcp_parse(rx->l4, &t) != ZC_OK || (!rx->csum_trusted && !zc_tcp_csum_ok(t, rx->pseudo))) {
		ZCS_INC(s, drop_tcp_bad);
		return ZC_E_INVALID;
	}
	/* A malformed option list counts as none past the bad one (what was decoded before it stays). */
	(void)zc_tcp_options(t, &o);
	c = find_conn(s, &rx->src, &rx->dst, zc_tcp_src_port(t), zc_tcp_dst_port(t));
	if (c) {
		if (c->state == ZCS_TCP_SYN_SENT) {
			on_syn_sent(s, c, rx, t, &o, now);
			return ZC_OK;
		}
		return on_segment(s, c, t, &o, now);
	}
	if ((c = find_listener(s, zc_tcp_dst_port(t))) != NULL) {
		on_listen(s, c, rx, t, &o, now);
		return ZC_OK;
	}
	return reset_for(s, rx, t, now);
}

/* ---------------------------------------------------------------- path MTU */

/*
 * The smallest path MTU taken from an ICMP message: 576 over IPv4 (a
 * forged message must not shrink segments to a few bytes; RFC 5927 section
 * 7.1) and IPv6's minimum of 1280 (RFC 8201 section 4).
 */
#define ZCS_PMTU_MIN4 576u
#define ZCS_PMTU_MIN6 1280u

void zcs_tcp_mtu_input(zcs_stack *s, const zcs_naddr *local, const zcs_naddr *remote, zc_buf quote, uint32_t mtu,
		       uint64_t now)
{
	uint32_t least = remote->fam == 6 ? ZCS_PMTU_MIN6 : ZCS_PMTU_MIN4, hdrs, seq, mss;
	zcs_tcp_sock *c;

	/* Ports and sequence number: the 8 bytes every ICMP error quotes (RFC 792, RFC 4443 3.2). */
	if (quote.len < 8) {
		ZCS_INC(s, drop_icmp_mtu);
		return;
	}
	c = find_conn(s, remote, local, zc_load_be16(quote.p + ZC_TCP_DPORT_OFF), zc_load_be16(quote.p + ZC_TCP_SPORT_OFF));
	seq = zc_load_be32(quote.p + ZC_TCP_SEQ_OFF);
	/* Only a segment in flight, the check RFC 5927 section 4.1 asks for against forged messages. */
	if (!c || c->state < ZCS_TCP_ESTABLISHED || zcs_seq_lt(seq, c->snd_una) || !zcs_seq_lt(seq, c->snd_max)) {
		ZCS_INC(s, drop_icmp_mtu);
		return;
	}
	/* The MSS counts data alone: the timestamps every segment carries come off it too (RFC 6691). */
	hdrs = (remote->fam == 6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN) + ZC_TCP_MIN_HDR_LEN + (c->ts_ok ? 12u : 0u);
	mss = (mtu < least ? least : mtu) - hdrs;
	if (mss >= c->mss) {
		ZCS_INC(s, drop_icmp_mtu);
		return;
	}
	c->mss = (uint16_t)mss;
	ZCS_INC(s, tcp_pmtu_lowered);
	/*
	 * What was sent in larger segments is lost: send it again at the new
	 * size, now and not at the timeout. It is not congestion, so the window
	 * stays (RFC 1191 section 6.5); a resent segment is not timed (Karn).
	 */
	if (c->snd_wnd == 0 || !c->tx_len)
		return;
	c->snd_nxt = c->snd_una;
	c->fin_sent = false;
	c->rtt_timing = false;
	c->sack_recovery = false; /* everything goes again: the scoreboard has nothing to choose */
	tcp_output(s, c, now);
	c->timer = now + c->rto;
}

/* ---------------------------------------------------------------- timers */

static void on_timeout(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	if (c->state == ZCS_TCP_TIME_WAIT) {
		conn_end(c, 0);
		return;
	}
	if (++c->retries > s->cfg.tcp_retries) {
		ZCS_INC(s, tcp_timeouts);
		conn_end(c, ZC_E_TIMEDOUT);
		return;
	}
	/* RFC 6298 5.5 to 5.7: back off, send the oldest segment again, and do not time it (Karn). */
	c->rto = c->rto * 2ull > ZCS_TCP_RTO_MAX_US ? (uint32_t)ZCS_TCP_RTO_MAX_US : c->rto * 2;
	c->rtt_timing = false;
	/* A timeout is a loss: one segment in flight, and recovery starts over (RFC 5681 3.1, RFC 6582 3.2). */
	if (c->state >= ZCS_TCP_ESTABLISHED && c->snd_una != c->snd_max) {
		c->ssthresh = cc_half(c);
		c->cwnd = c->mss;
		c->recover = c->snd_max;
	}
	c->in_recovery = false;
	c->sack_recovery = false;
	c->tlp_out = false;
	c->tlp_timer = 0;
	zcs_tcp_sack_clear(c);
	c->dupacks = 0;
	ZCS_INC(s, tcp_retransmits);
	if (c->state == ZCS_TCP_SYN_SENT) {
		seg_send(s, c, ZC_TCP_SYN, c->iss, 0, 0, now);
	} else if (c->state == ZCS_TCP_SYN_RCVD) {
		seg_send(s, c, ZC_TCP_SYN | ZC_TCP_ACK, c->iss, 0, 0, now);
	} else {
		/* Go back to the oldest byte not acknowledged; a FIN sent goes again after the data. */
		c->snd_nxt = c->snd_una;
		c->fin_sent = false;
		c->timer = 0;
		/* A zero window is probed with one byte when there is data to send (RFC 9293 3.8.6.1). */
		if (c->snd_wnd == 0 && c->tx_len) {
			seg_send(s, c, ZC_TCP_ACK, c->snd_nxt, 0, 1, now);
			snd_advance(c, 1);
		} else {
			tcp_output(s, c, now);
		}
	}
	c->timer = now + c->rto;
}

/*
 * An idle connection's keepalive (RFC 9293 3.8.4): a segment one byte
 * before what the peer acknowledged, which it must answer with an ACK;
 * ka_probes unanswered in a row and the connection has failed.
 */
static void on_keepalive(zcs_stack *s, zcs_tcp_sock *c, uint64_t now)
{
	if (c->state != ZCS_TCP_ESTABLISHED && c->state != ZCS_TCP_CLOSE_WAIT) {
		c->ka_timer = 0;
		return;
	}
	/* Data in flight has the retransmission timer to find a dead peer. */
	if (c->snd_una != c->snd_max) {
		c->ka_timer = now + c->ka_idle;
		return;
	}
	if (c->ka_sent >= c->ka_probes) {
		ZCS_INC(s, tcp_timeouts);
		conn_end(c, ZC_E_TIMEDOUT);
		return;
	}
	c->ka_sent++;
	ZCS_INC(s, tcp_keepalives_sent);
	seg_send(s, c, ZC_TCP_ACK, c->snd_una - 1, 0, 0, now);
	c->ka_timer = now + c->ka_intvl;
}

uint64_t zcs_tcp_poll(zcs_stack *s, uint64_t now)
{
	uint64_t next = ZCS_NEVER;
	unsigned i;

	for (i = 0; i < s->cfg.tcp_sockets; i++) {
		zcs_tcp_sock *c = &s->tcp[i];

		if (!c->used)
			continue;
		if (c->ack_timer && now >= c->ack_timer)
			send_ack(s, c, now);
		if (c->ka_timer && now >= c->ka_timer)
			on_keepalive(s, c, now);
		if (c->used && c->timer && now >= c->timer)
			on_timeout(s, c, now);
		if (c->used && c->tlp_timer && now >= c->tlp_timer)
			on_tail_probe(s, c, now);
		if (!c->used)
			continue;
		if (c->timer && c->timer < next)
			next = c->timer;
		if (c->ack_timer && c->ack_timer < next)
			next = c->ack_timer;
		if (c->ka_timer && c->ka_timer < next)
			next = c->ka_timer;
		if (c->tlp_timer && c->tlp_timer < next)
			next = c->tlp_timer;
	}
	return next;
}

/* ---------------------------------------------------------------- the socket calls */

int zcs_tcp_listen(zcs_stack *s, uint16_t port, unsigned backlog)
{
	zcs_tcp_sock *l;

	if (!s || port == 0 || backlog == 0 || backlog > 128)
		return ZC_E_ARG;
	if (find_listener(s, port))
		return ZC_E_ADDRINUSE;
	if (!(l = sock_new(s)))
		return ZC_E_NOBUFS;
	l->state = ZCS_TCP_LISTEN;
	l->lport = port;
	l->backlog = (uint16_t)backlog;
	l->accepted = true;
	return (int)(l - s->tcp);
}

int zcs_tcp_accept_addr(zcs_stack *s, int listener, zcs_addr *peer)
{
	zcs_tcp_sock *l = sock_get(s, listener);
	unsigned i;

	if (!l || l->state != ZCS_TCP_LISTEN)
		return ZC_E_ARG;
	for (i = 0; i < s->cfg.tcp_sockets; i++) {
		zcs_tcp_sock *c = &s->tcp[i];

		if (c->used && c->listener == listener && !c->accepted && c->state >= ZCS_TCP_ESTABLISHED) {
			c->accepted = true;
			if (peer)
				zcs_addr_from_n(&c->raddr, c->rport, peer);
			return (int)i;
		}
	}
	return ZC_E_AGAIN;
}

int zcs_tcp_accept(zcs_stack *s, int listener, zcs_addr4 *peer)
{
	zcs_addr a;
	int c = zcs_tcp_accept_addr(s, listener, &a);

	if (c >= 0 && peer)
		zcs_addr_to4(&a, peer);
	return c;
}

/* A free local port from 49152 up (RFC 6335 6). */
static uint16_t ephemeral(zcs_stack *s)
{
	unsigned n, i;

	for (n = 0; n < 16384; n++) {
		uint16_t p = s->next_tcp_port;
		bool used = false;

		s->next_tcp_port = p == 65535 ? 49152 : (uint16_t)(p + 1);
		for (i = 0; i < s->cfg.tcp_sockets && !used; i++)
			used = s->tcp[i].used && s->tcp[i].lport == p;
		if (!used)
			return p;
	}
	return 0;
}

int zcs_tcp_connect_addr(zcs_stack *s, const zcs_addr *to, uint64_t now_us)
{
	static const uint8_t zero[16];
	zcs_naddr dst, src;
	zcs_tcp_sock *c;
	zc_err e;

	if (!s || !to || to->port == 0 || (to->family != ZCS_AF_INET && to->family != ZCS_AF_INET6) ||
	    memcmp(to->ip, zero, to->family == ZCS_AF_INET6 ? 16 : 4) == 0)
		return ZC_E_ARG;
	zcs_addr_to_n(to, &dst);
	if ((e = zcs_ip_src_for(s, &dst, &src)) != ZC_OK)
		return e;
	if (!(c = sock_new(s)))
		return ZC_E_NOBUFS;
	if (!(c->lport = ephemeral(s))) {
		sock_free(c);
		return ZC_E_ADDRINUSE;
	}
	c->accepted = true;
	c->state = ZCS_TCP_SYN_SENT;
	c->raddr = dst;
	c->laddr = src;
	c->rport = to->port;
	sock_hash(s, c);
	c->iss = zcs_tcp_isn(s, c, now_us);
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->mss = dst.fam == 6 ? 1220 : 536;
	offer_options(s, c);
	seg_send(s, c, ZC_TCP_SYN, c->iss, 0, 0, now_us);
	timer_start(c, now_us);
	return (int)(c - s->tcp);
}

int zcs_tcp_connect(zcs_stack *s, const zcs_addr4 *to, uint64_t now_us)
{
	zcs_addr a;

	if (!to)
		return ZC_E_ARG;
	a = zcs_addr_from4(to);
	return zcs_tcp_connect_addr(s, &a, now_us);
}

long zcs_tcp_send(zcs_stack *s, int sock, const void *data, size_t len, uint64_t now_us)
{
	zcs_tcp_sock *c = sock_get(s, sock);
	size_t room, at, first;

	if (!c || (len && !data))
		return ZC_E_ARG;
	if (c->err)
		return c->err;
	if ((c->state != ZCS_TCP_ESTABLISHED && c->state != ZCS_TCP_CLOSE_WAIT) || c->fin_queued)
		return ZC_E_NOTCONN;
	room = c->ring - c->tx_len;
	if (len == 0)
		return 0;
	if (room == 0)
		return ZC_E_AGAIN;
	if (len > room)
		len = room;
	at = (c->tx_head + c->tx_len) % c->ring;
	first = c->ring - at < len ? c->ring - at : len;
	memcpy(c->tx + at, data, first);
	memcpy(c->tx, (const uint8_t *)data + first, len - first);
	c->tx_len += len;
	tcp_output(s, c, now_us);
	return (long)len;
}

long zcs_tcp_recv(zcs_stack *s, int sock, void *buf, size_t cap, uint64_t now_us)
{
	zcs_tcp_sock *c = sock_get(s, sock);
	size_t n, first;
	bool was_full;

	if (!c || (cap && !buf))
		return ZC_E_ARG;
	if (c->rx_len == 0) {
		if (c->err)
			return c->err;
		return c->peer_fin ? 0 : ZC_E_AGAIN;
	}
	if (cap == 0)
		return 0;
	was_full = c->ring - c->rx_len < c->mss;
	n = c->rx_len < cap ? c->rx_len : cap;
	first = c->ring - c->rx_head < n ? c->ring - c->rx_head : n;
	memcpy(buf, c->rx + c->rx_head, first);
	memcpy((uint8_t *)buf + first, c->rx, n - first);
	c->rx_head = (c->rx_head + n) % c->ring;
	c->rx_len -= n;
	/* A window that had closed to less than a segment opens again: tell the peer (RFC 9293 3.8.6.2.2). */
	if (was_full && c->ring - c->rx_len >= c->mss && c->state >= ZCS_TCP_ESTABLISHED &&
	    c->state != ZCS_TCP_TIME_WAIT)
		send_ack(s, c, now_us);
	return (long)n;
}

zc_err zcs_tcp_shutdown(zcs_stack *s, int sock, uint64_t now_us)
{
	zcs_tcp_sock *c = sock_get(s, sock);

	if (!c || c->state == ZCS_TCP_LISTEN)
		return ZC_E_ARG;
	if (c->state != ZCS_TCP_ESTABLISHED && c->state != ZCS_TCP_CLOSE_WAIT && c->state != ZCS_TCP_SYN_RCVD)
		return c->fin_queued ? ZC_OK : ZC_E_NOTCONN;
	c->fin_queued = true;
	tcp_output(s, c, now_us);
	return ZC_OK;
}

zc_err zcs_tcp_close(zcs_stack *s, int sock, uint64_t now_us)
{
	zcs_tcp_sock *c = sock_get(s, sock);
	unsigned i;

	if (!c)
		return ZC_E_ARG;
	c->user_closed = true;
	switch (c->state) {
	case ZCS_TCP_LISTEN:
		/* Connections nobody will accept now: reset, and freed. */
		for (i = 0; i < s->cfg.tcp_sockets; i++) {
			zcs_tcp_sock *k = &s->tcp[i];

			if (k->used && k->listener == sock && !k->accepted) {
				seg_send(s, k, ZC_TCP_RST | ZC_TCP_ACK, k->snd_nxt, 0, 0, now_us);
				sock_free(k);
			}
		}
		sock_free(c);
		return ZC_OK;
	case ZCS_TCP_CLOSED:
		sock_free(c);
		return ZC_OK;
	case ZCS_TCP_SYN_SENT:
		sock_free(c);
		return ZC_OK;
	case ZCS_TCP_ESTABLISHED:
	case ZCS_TCP_CLOSE_WAIT:
	case ZCS_TCP_SYN_RCVD:
		c->fin_queued = true;
		tcp_output(s, c, now_us);
		return ZC_OK;
	default:
		return ZC_OK; /* already closing: the slot is freed when that ends */
	}
}

zc_err zcs_tcp_get_info(const zcs_stack *s, int sock, zcs_tcp_info *out)
{
	const zcs_tcp_sock *c = sock_get_c(s, sock);

	if (!c || !out)
		return ZC_E_ARG;
	memset(out, 0, sizeof *out);
	out->state = (zcs_tcp_state)c->state;
	out->mss = c->mss;
	out->cwnd = c->cwnd;
	out->ssthresh = c->ssthresh;
	out->snd_wnd = c->snd_wnd;
	out->in_flight = c->snd_max - c->snd_una;
	out->sacked = zcs_tcp_sack_bytes(c);
	out->srtt_us = c->srtt;
	out->rttvar_us = c->rttvar;
	out->rto_us = c->rto;
	out->in_recovery = c->in_recovery;
	out->sack_recovery = c->sack_recovery;
	out->sack = c->sack_ok;
	out->timestamps = c->ts_ok;
	out->snd_wscale = c->snd_wscale;
	out->rcv_wscale = c->rcv_wscale;
	return ZC_OK;
}

zcs_tcp_state zcs_tcp_get_state(const zcs_stack *s, int sock)
{
	const zcs_tcp_sock *c = sock_get_c(s, sock);

	return c ? (zcs_tcp_state)c->state : ZCS_TCP_CLOSED;
}

size_t zcs_tcp_readable(const zcs_stack *s, int sock)
{
	const zcs_tcp_sock *c = sock_get_c(s, sock);

	return c ? c->rx_len + (c->peer_fin || c->err) : 0;
}

size_t zcs_tcp_writable(const zcs_stack *s, int sock)
{
	const zcs_tcp_sock *c = sock_get_c(s, sock);

	if (!c || (c->state != ZCS_TCP_ESTABLISHED && c->state != ZCS_TCP_CLOSE_WAIT) || c->fin_queued)
		return 0;
	return c->ring - c->tx_len;
}

zc_err zcs_tcp_set_nodelay(zcs_stack *s, int sock, bool on)
{
	zcs_tcp_sock *c = sock_get(s, sock);

	if (!c)
		return ZC_E_ARG;
	c->nodelay = on;
	return ZC_OK;
}

zc_err zcs_tcp_set_keepalive(zcs_stack *s, int sock, uint64_t idle_us, uint64_t interval_us, unsigned probes,
			     uint64_t now_us)
{
	zcs_tcp_sock *c = sock_get(s, sock);

	if (!c || (idle_us && (interval_us == 0 || probes == 0 || probes > 255)))
		return ZC_E_ARG;
	c->ka_idle = idle_us;
	c->ka_intvl = interval_us;
	c->ka_probes = (uint8_t)probes;
	c->ka_sent = 0;
	c->ka_timer = idle_us ? now_us + idle_us : 0;
	return ZC_OK;
}
