/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/tcpsvc.c - the TCP services zcstack offers: echo (RFC
 * 862), which sends every byte back; discard (RFC 863), which reads and
 * drops them; source (after RFC 864), which sends a known stream until the
 * peer closes; and HTTP (http.c). All run on libzcstack's non-blocking
 * sockets, after every batch of frames and every timer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "zc.h"
#include "zcstack.h"

static const char *const svc_name[ZCSTACK_SVC_N] = { "echo", "discard", "source", "HTTP" };

uint8_t zcstack_source_byte(uint64_t k)
{
	unsigned pos = (unsigned)(k % ZCSTACK_SOURCE_PERIOD);
	unsigned line = pos / (ZCSTACK_SOURCE_LINE + 2u), col = pos % (ZCSTACK_SOURCE_LINE + 2u);

	if (col == ZCSTACK_SOURCE_LINE)
		return '\r';
	if (col == ZCSTACK_SOURCE_LINE + 1u)
		return '\n';
	return (uint8_t)(' ' + (line + col) % 95u);
}

/* One period of the stream, and as much again so that any window of a period is contiguous. */
static uint8_t source_period[2 * ZCSTACK_SOURCE_PERIOD];

int zcstack_tcp_start(zcstack_tcp *t, zcs_stack *s, const zcstack_config *cfg, char *err, size_t errlen)
{
	const uint16_t port[ZCSTACK_SVC_N] = { cfg->tcp_echo, cfg->tcp_discard, cfg->tcp_source, cfg->http };
	unsigned i;

	t->http_svc.dirfd = -1;
	for (i = 0; i < ZCSTACK_SVC_N; i++)
		t->listen[i] = -1;
	for (i = 0; i < ZCSTACK_MAX_CONNS; i++)
		t->conn[i] = -1;
	for (i = 0; i < sizeof source_period; i++)
		source_period[i] = zcstack_source_byte(i);
	if (cfg->http && zcstack_http_open(&t->http_svc, cfg->http_dir, err, errlen) < 0)
		return -1;
	for (i = 0; i < ZCSTACK_SVC_N; i++) {
		if (!port[i])
			continue;
		if ((t->listen[i] = zcs_tcp_listen(s, port[i], 64)) < 0) {
			snprintf(err, errlen, "cannot listen on TCP port %u (%s): %s", port[i], svc_name[i],
				 zc_strerror(t->listen[i]));
			return -1;
		}
	}
	return 0;
}

void zcstack_tcp_stop(zcstack_tcp *t)
{
	zcstack_http_close(&t->http_svc);
}

static void accept_from(zcstack_tcp *t, zcs_stack *s, unsigned svc, zcstack_stats *st, uint64_t now)
{
	int listener = t->listen[svc], c;

	while (listener >= 0 && (c = zcs_tcp_accept(s, listener, NULL)) >= 0) {
		unsigned i;
		int h = -1;

		for (i = 0; i < ZCSTACK_MAX_CONNS && t->conn[i] >= 0; i++)
			;
		if (i == ZCSTACK_MAX_CONNS) {
			st->tcp_refused++;
			(void)zcs_tcp_close(s, c, now);
			continue;
		}
		if (svc == ZCSTACK_SVC_HTTP && (h = zcstack_http_attach(&t->http_svc, now)) < 0) {
			st->http_refused++;
			(void)zcs_tcp_close(s, c, now);
			continue;
		}
		t->conn[i] = c;
		t->svc[i] = (uint8_t)svc;
		t->src_off[i] = 0;
		t->http[i] = (int16_t)h;
		st->tcp_accepted++;
	}
}

/*
 * Fills the send ring of a source connection from where its stream stands.
 * Returns false when the connection failed.
 */
static bool source_fill(zcstack_tcp *t, unsigned i, zcs_stack *s, zcstack_stats *st, uint64_t now)
{
	int c = t->conn[i];
	size_t room;

	while ((room = zcs_tcp_writable(s, c)) > 0) {
		long w;

		if (room > ZCSTACK_SOURCE_PERIOD)
			room = ZCSTACK_SOURCE_PERIOD;
		w = zcs_tcp_send(s, c, source_period + t->src_off[i], room, now);
		if (w < 0)
			return w == ZC_E_AGAIN;
		st->tcp_sourced += (uint64_t)w;
		t->src_off[i] = (uint32_t)((t->src_off[i] + (uint64_t)w) % ZCSTACK_SOURCE_PERIOD);
	}
	return true;
}

static void conn_free(zcstack_tcp *t, unsigned i, zcs_stack *s, zcstack_stats *st, uint64_t now)
{
	(void)zcs_tcp_close(s, t->conn[i], now);
	t->conn[i] = -1;
	st->tcp_closed++;
}

uint64_t zcstack_tcp_serve(zcstack_tcp *t, zcs_stack *s, zcstack_stats *st, uint64_t now)
{
	uint8_t buf[16384];
	uint64_t deadline = ZCS_NEVER;
	unsigned i;

	for (i = 0; i < ZCSTACK_SVC_N; i++)
		accept_from(t, s, i, st, now);
	for (i = 0; i < ZCSTACK_MAX_CONNS; i++) {
		int c = t->conn[i];
		bool echo = t->svc[i] == ZCSTACK_SVC_ECHO;
		long n;

		if (c < 0)
			continue;
		if (t->svc[i] == ZCSTACK_SVC_HTTP) {
			if (!zcstack_http_serve(&t->http_svc, t->http[i], s, c, st, now, &deadline)) {
				t->conn[i] = -1;
				st->tcp_closed++;
			}
			continue;
		}
		if (t->svc[i] == ZCSTACK_SVC_SOURCE && !source_fill(t, i, s, st, now)) {
			conn_free(t, i, s, st, now);
			continue;
		}
		for (;;) {
			/* Echo takes no more than it can send back at once: nothing is held here, nothing dropped. */
			size_t cap = sizeof buf;

			if (zcs_tcp_readable(s, c) == 0)
				break;
			/* (A connection that can no longer send is read to its end, and closed.) */
			if (echo && (zcs_tcp_get_state(s, c) == ZCS_TCP_ESTABLISHED ||
				     zcs_tcp_get_state(s, c) == ZCS_TCP_CLOSE_WAIT) &&
			    zcs_tcp_writable(s, c) < cap)
				cap = zcs_tcp_writable(s, c);
			if (cap == 0)
				break; /* the send ring is full: wait for the peer's ACKs */
			n = zcs_tcp_recv(s, c, buf, cap, now);
			if (n > 0) {
				if (echo) {
					long w = zcs_tcp_send(s, c, buf, (size_t)n, now);

					if (w > 0)
						st->tcp_echoed += (uint64_t)w;
				} else {
					/* Discard drops what it reads; so does source (RFC 864). */
					st->tcp_discarded += (uint64_t)n;
				}
				continue;
			}
			if (n == 0 || (n < 0 && n != ZC_E_AGAIN)) {
				/* The peer's end of stream (or a failure): our end follows, and the slot goes. */
				conn_free(t, i, s, st, now);
			}
			break;
		}
	}
	return deadline;
}
