/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/tcpsvc.c - the TCP services zcstack offers: echo (RFC
 * 862), which sends every byte back, and discard (RFC 863), which reads and
 * drops them. Both run on libzcstack's non-blocking sockets, after every
 * batch of frames and every timer.
 */
#include <stdio.h>
#include <string.h>

#include "zc.h"
#include "zcstack.h"

int zcstack_tcp_start(zcstack_tcp *t, zcs_stack *s, const zcstack_config *cfg, char *err, size_t errlen)
{
	unsigned i;

	t->listen_echo = t->listen_discard = -1;
	for (i = 0; i < ZCSTACK_MAX_CONNS; i++)
		t->conn[i] = -1;
	if (cfg->tcp_echo && (t->listen_echo = zcs_tcp_listen(s, cfg->tcp_echo, 64)) < 0) {
		snprintf(err, errlen, "cannot listen on TCP port %u: %s", cfg->tcp_echo, zc_strerror(t->listen_echo));
		return -1;
	}
	if (cfg->tcp_discard && (t->listen_discard = zcs_tcp_listen(s, cfg->tcp_discard, 64)) < 0) {
		snprintf(err, errlen, "cannot listen on TCP port %u: %s", cfg->tcp_discard,
			 zc_strerror(t->listen_discard));
		return -1;
	}
	return 0;
}

static void accept_from(zcstack_tcp *t, zcs_stack *s, int listener, bool echo, zcstack_stats *st, uint64_t now)
{
	int c;

	while (listener >= 0 && (c = zcs_tcp_accept(s, listener, NULL)) >= 0) {
		unsigned i;

		for (i = 0; i < ZCSTACK_MAX_CONNS && t->conn[i] >= 0; i++)
			;
		if (i == ZCSTACK_MAX_CONNS) {
			st->tcp_refused++;
			(void)zcs_tcp_close(s, c, now);
			continue;
		}
		t->conn[i] = c;
		t->is_echo[i] = echo;
		st->tcp_accepted++;
	}
}

void zcstack_tcp_serve(zcstack_tcp *t, zcs_stack *s, zcstack_stats *st, uint64_t now)
{
	uint8_t buf[16384];
	unsigned i;

	accept_from(t, s, t->listen_echo, true, st, now);
	accept_from(t, s, t->listen_discard, false, st, now);
	for (i = 0; i < ZCSTACK_MAX_CONNS; i++) {
		int c = t->conn[i];
		long n;

		if (c < 0)
			continue;
		for (;;) {
			/* Echo takes no more than it can send back at once: nothing is held here, nothing dropped. */
			size_t cap = sizeof buf;

			if (zcs_tcp_readable(s, c) == 0)
				break;
			/* (A connection that can no longer send is read to its end, and closed.) */
			if (t->is_echo[i] && (zcs_tcp_get_state(s, c) == ZCS_TCP_ESTABLISHED ||
					      zcs_tcp_get_state(s, c) == ZCS_TCP_CLOSE_WAIT) &&
			    zcs_tcp_writable(s, c) < cap)
				cap = zcs_tcp_writable(s, c);
			if (cap == 0)
				break; /* the send ring is full: wait for the peer's ACKs */
			n = zcs_tcp_recv(s, c, buf, cap, now);
			if (n > 0) {
				if (t->is_echo[i]) {
					long w = zcs_tcp_send(s, c, buf, (size_t)n, now);

					if (w > 0)
						st->tcp_echoed += (uint64_t)w;
				} else {
					st->tcp_discarded += (uint64_t)n;
				}
				continue;
			}
			if (n == 0 || (n < 0 && n != ZC_E_AGAIN)) {
				/* The peer's end of stream (or a failure): our end follows, and the slot goes. */
				(void)zcs_tcp_close(s, c, now);
				t->conn[i] = -1;
				st->tcp_closed++;
			}
			break;
		}
	}
}
