/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/tcpsack.c - the sending side of SACK: a scoreboard of what the
 * peer's SACK blocks (RFC 2018) say it holds past snd_una, and from it what
 * RFC 6675's loss recovery needs: whether snd_una is lost, the bytes still
 * in the network (pipe), and the next lost range to send again.
 *
 * The scoreboard holds at most ZCS_TCP_SACKED ranges, in sequence order and
 * apart. When a new range finds it full the highest range goes: what is
 * forgotten is only sent again, never taken as received. The cost: a range
 * taken later above a forgotten one leaves a hole between them that is not
 * all one, and what the peer holds there goes again (README has the count
 * under a tail-drop queue that loses hundreds of segments of a window). A
 * peer may drop what it SACKed (RFC 2018 8), so nothing here frees data:
 * only the cumulative ACK does, and a timeout forgets the scoreboard.
 */
#include "internal.h"

void zcs_tcp_sack_clear(zcs_tcp_sock *c)
{
	c->n_sacked = 0;
}

/* Drops the ranges the cumulative ACK covers, and cuts the one it reaches into. */
static void sack_trim(zcs_tcp_sock *c)
{
	unsigned i, n = 0;

	for (i = 0; i < c->n_sacked; i++) {
		if (zcs_seq_le(c->sacked[i][1], c->snd_una))
			continue;
		c->sacked[n][0] = zcs_seq_lt(c->sacked[i][0], c->snd_una) ? c->snd_una : c->sacked[i][0];
		c->sacked[n][1] = c->sacked[i][1];
		n++;
	}
	c->n_sacked = (uint8_t)n;
}

/* Adds [l, r) to the scoreboard, merged with every range it overlaps or touches. */
static void sack_add(zcs_tcp_sock *c, uint32_t l, uint32_t r)
{
	uint32_t keep[ZCS_TCP_SACKED + 1][2];
	unsigned i, n = 0, at;

	for (i = 0; i < c->n_sacked; i++) {
		if (zcs_seq_lt(c->sacked[i][1], l) || zcs_seq_lt(r, c->sacked[i][0])) {
			keep[n][0] = c->sacked[i][0];
			keep[n][1] = c->sacked[i][1];
			n++;
			continue;
		}
		if (zcs_seq_lt(c->sacked[i][0], l))
			l = c->sacked[i][0];
		if (zcs_seq_lt(r, c->sacked[i][1]))
			r = c->sacked[i][1];
	}
	for (at = 0; at < n && zcs_seq_lt(keep[at][0], l); at++)
		;
	memmove(keep[at + 1], keep[at], (n - at) * sizeof keep[0]);
	keep[at][0] = l;
	keep[at][1] = r;
	n++;
	if (n > ZCS_TCP_SACKED)
		n = ZCS_TCP_SACKED; /* the highest goes */
	memcpy(c->sacked, keep, n * sizeof keep[0]);
	c->n_sacked = (uint8_t)n;
}

/* The bytes SACKed in ranges k and above. */
static uint32_t sacked_from(const zcs_tcp_sock *c, unsigned k)
{
	uint32_t n = 0;

	for (; k < c->n_sacked; k++)
		n += c->sacked[k][1] - c->sacked[k][0];
	return n;
}

uint32_t zcs_tcp_sack_bytes(const zcs_tcp_sock *c)
{
	return sacked_from(c, 0);
}

int32_t zcs_tcp_sack_note(zcs_tcp_sock *c, const zc_tcp_optset *o)
{
	uint32_t before = sacked_from(c, 0);
	unsigned i;

	sack_trim(c);
	for (i = 0; c->sack_ok && i < o->nsack && i < ZC_TCP_MAX_SACK; i++) {
		uint32_t l = o->sack[i][0], r = o->sack[i][1];

		/*
		 * A block must lie in what was sent and end past snd_una: one at or
		 * below it reports a duplicate (RFC 2883) and says nothing of a loss.
		 */
		if (!zcs_seq_lt(l, r) || !zcs_seq_lt(c->snd_una, r) || zcs_seq_lt(c->snd_max, r))
			continue;
		sack_add(c, zcs_seq_lt(l, c->snd_una) ? c->snd_una : l, r);
	}
	return (int32_t)(sacked_from(c, 0) - before);
}

/* RFC 6675 IsLost() for a hole below range k: three ranges past it, or more than two segments' worth. */
static bool lost_below(const zcs_tcp_sock *c, unsigned k)
{
	return c->n_sacked - k >= 3 || sacked_from(c, k) > 2u * c->mss;
}

uint32_t zcs_tcp_sack_highest(const zcs_tcp_sock *c)
{
	return c->n_sacked ? c->sacked[c->n_sacked - 1][1] : c->snd_una;
}

bool zcs_tcp_sack_head_lost(const zcs_tcp_sock *c)
{
	return c->n_sacked && c->sacked[0][0] != c->snd_una && lost_below(c, 0);
}

/*
 * The holes of the sequence space between snd_una and snd_max: up to one
 * before each range and one after the last, with whether each is taken as
 * lost. In recovery the first hole is: the duplicate ACKs or the partial
 * ACK that got us here say so, as NewReno reads them (RFC 6582). With no
 * range at all only its first segment is, as NewReno would send it.
 */
typedef struct {
	uint32_t a, b;
	bool lost;
} sack_hole;

static unsigned sack_holes(const zcs_tcp_sock *c, sack_hole *h)
{
	uint32_t at = c->snd_una;
	unsigned k, n = 0;

	for (k = 0; k < c->n_sacked; k++) {
		if (zcs_seq_lt(at, c->sacked[k][0])) {
			h[n].a = at;
			h[n].b = c->sacked[k][0];
			h[n].lost = (c->sack_recovery && n == 0) || lost_below(c, k);
			n++;
		}
		at = c->sacked[k][1];
	}
	if (c->sack_recovery && n == 0 && zcs_seq_lt(at, c->snd_max)) {
		h[n].a = at;
		h[n].b = c->snd_max - at > c->mss ? at + c->mss : c->snd_max;
		h[n].lost = true;
		at = h[n++].b;
	}
	if (zcs_seq_lt(at, c->snd_max)) {
		h[n].a = at;
		h[n].b = c->snd_max;
		h[n].lost = false;
		n++;
	}
	return n;
}

/* The bytes of [a, b) sent again in this recovery: those below high_rxt. */
static uint32_t resent(const zcs_tcp_sock *c, uint32_t a, uint32_t b)
{
	if (!c->sack_recovery || zcs_seq_le(c->high_rxt, a))
		return 0;
	return (zcs_seq_lt(c->high_rxt, b) ? c->high_rxt : b) - a;
}

uint32_t zcs_tcp_sack_pipe(const zcs_tcp_sock *c)
{
	sack_hole h[ZCS_TCP_SACKED + 2];
	unsigned i, n = sack_holes(c, h);
	uint32_t pipe = 0;

	/* A lost byte is in the network only once sent again; any other twice if it was (RFC 6675 SetPipe). */
	for (i = 0; i < n; i++)
		pipe += (h[i].lost ? 0 : h[i].b - h[i].a) + resent(c, h[i].a, h[i].b);
	return pipe;
}

bool zcs_tcp_sack_next_lost(const zcs_tcp_sock *c, uint32_t data_end, uint32_t most, uint32_t *seq, uint32_t *len)
{
	sack_hole h[ZCS_TCP_SACKED + 2];
	unsigned i, n = sack_holes(c, h);

	for (i = 0; i < n; i++) {
		uint32_t a = h[i].a, b = h[i].b;

		if (!h[i].lost)
			continue;
		if (zcs_seq_lt(a, c->high_rxt))
			a = c->high_rxt;
		if (zcs_seq_lt(data_end, b))
			b = data_end; /* our FIN alone is left to the timer and retransmit_first() */
		if (!zcs_seq_lt(a, b))
			continue;
		*seq = a;
		*len = b - a < most ? b - a : most;
		return true;
	}
	return false;
}
