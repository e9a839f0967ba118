/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/udp.c - UDP (RFC 768) sockets: ports, the receive ring or the
 * zero-copy callback, sending.
 */
#include "internal.h"

static const zcs_udp_sock *sock_get_c(const zcs_stack *s, int sock)
{
	if (!s || sock < 0 || (unsigned)sock >= s->cfg.udp_sockets || !s->udp[sock].used)
		return NULL;
	return &s->udp[sock];
}

static zcs_udp_sock *sock_get(zcs_stack *s, int sock)
{
	return sock_get_c(s, sock) ? &s->udp[sock] : NULL;
}

static zcs_udp_sock *sock_by_port(zcs_stack *s, uint16_t port)
{
	unsigned i;

	for (i = 0; i < s->cfg.udp_sockets; i++)
		if (s->udp[i].used && s->udp[i].port == port)
			return &s->udp[i];
	return NULL;
}

/* Copies n bytes into the ring at offset off, wrapping; returns the offset after them. */
static size_t ring_put(zcs_udp_sock *u, size_t off, const void *src, size_t n)
{
	size_t first = u->cap - off < n ? u->cap - off : n;

	memcpy(u->ring + off, src, first);
	memcpy(u->ring, (const uint8_t *)src + first, n - first);
	return (off + n) % u->cap;
}

static size_t ring_get(const zcs_udp_sock *u, size_t off, void *dst, size_t n)
{
	size_t first = u->cap - off < n ? u->cap - off : n;

	memcpy(dst, u->ring + off, first);
	memcpy((uint8_t *)dst + first, u->ring, n - first);
	return (off + n) % u->cap;
}

int zcs_udp_open(zcs_stack *s)
{
	unsigned i;

	for (i = 0; i < s->cfg.udp_sockets; i++) {
		zcs_udp_sock *u = &s->udp[i];

		if (!u->used) {
			u->used = true;
			u->port = 0;
			u->fn = NULL;
			u->ctx = NULL;
			u->head = u->used_bytes = 0;
			u->count = 0;
			return (int)i;
		}
	}
	return ZC_E_NOBUFS;
}

zc_err zcs_udp_bind(zcs_stack *s, int sock, uint16_t port)
{
	zcs_udp_sock *u = sock_get(s, sock), *other;

	if (!u || port == 0 || u->port != 0)
		return ZC_E_ARG;
	other = sock_by_port(s, port);
	if (other)
		return ZC_E_ADDRINUSE;
	u->port = port;
	return ZC_OK;
}

zc_err zcs_udp_set_recv(zcs_stack *s, int sock, zcs_udp_recv_fn fn, void *ctx)
{
	zcs_udp_sock *u = sock_get(s, sock);

	if (!u)
		return ZC_E_ARG;
	u->fn = fn;
	u->ctx = ctx;
	return ZC_OK;
}

/* A free port from 49152 up for a socket that sends before it binds (RFC 6335 6). */
static uint16_t ephemeral_port(zcs_stack *s)
{
	unsigned n;

	for (n = 0; n < 16384; n++) {
		uint16_t p = s->next_port;

		s->next_port = p == 65535 ? 49152 : (uint16_t)(p + 1);
		if (!sock_by_port(s, p))
			return p;
	}
	return 0;
}

zc_err zcs_udp_sendto(zcs_stack *s, int sock, const zcs_addr4 *to, const void *data, size_t len, uint64_t now_us)
{
	zcs_udp_sock *u = sock_get(s, sock);
	uint8_t *d = s ? s->out + ZCS_L2_ROOM + ZC_IPV4_MIN_HDR_LEN : NULL;
	size_t l4 = ZC_UDP_HDR_LEN + len;
	zc_ipv4 ip;
	zc_udp_rw v;
	zc_err e;

	if (!u || !to || to->port == 0 || (len && !data))
		return ZC_E_ARG;
	if (ZC_IPV4_MIN_HDR_LEN + l4 > s->cfg.max_datagram && ZC_IPV4_MIN_HDR_LEN + l4 > s->cfg.mtu)
		return ZC_E_MSGSIZE;
	if (!u->port && !(u->port = ephemeral_port(s)))
		return ZC_E_ADDRINUSE;
	zc_store_be16(d + ZC_UDP_SPORT_OFF, u->port);
	zc_store_be16(d + ZC_UDP_DPORT_OFF, to->port);
	zc_store_be16(d + ZC_UDP_LEN_OFF, (uint16_t)l4);
	zc_store_be16(d + ZC_UDP_CSUM_OFF, 0);
	if (len)
		memcpy(d + ZC_UDP_HDR_LEN, data, len);
	/*
	 * The checksum covers a pseudo-header with the addresses, so the IP
	 * header is written first (by a view over the bytes it will occupy).
	 */
	zc_store_be32(d - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_SRC_OFF, s->cfg.addr);
	zc_store_be32(d - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_DST_OFF, to->addr);
	d[-ZC_IPV4_MIN_HDR_LEN] = 0x45;
	zc_store_be16(d - ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_TOTLEN_OFF, (uint16_t)(ZC_IPV4_MIN_HDR_LEN + l4));
	d[-ZC_IPV4_MIN_HDR_LEN + ZC_IPV4_PROTO_OFF] = ZC_IPPROTO_UDP;
	if (zc_ipv4_parse(zc_buf_make(d - ZC_IPV4_MIN_HDR_LEN, ZC_IPV4_MIN_HDR_LEN + l4), &ip) != ZC_OK ||
	    zc_udp_parse_rw(zc_wbuf_make(d, l4), &v) != ZC_OK)
		return ZC_E_INVALID;
	zc_udp_csum_fill(v, zc_ipv4_pseudo(ip, l4));
	e = zcs_ipv4_output(s, to->addr, ZC_IPPROTO_UDP, l4, now_us);
	if (e == ZC_OK)
		ZCS_INC(s, udp_tx);
	return e;
}

long zcs_udp_recvfrom(zcs_stack *s, int sock, void *buf, size_t cap, zcs_addr4 *from)
{
	zcs_udp_sock *u = sock_get(s, sock);
	zcs_udp_rec r;
	size_t off, n;

	if (!u || (cap && !buf))
		return ZC_E_ARG;
	if (u->count == 0)
		return ZC_E_AGAIN;
	off = ring_get(u, u->head, &r, sizeof r);
	n = r.len < cap ? r.len : cap;
	if (n)
		ring_get(u, off, buf, n);
	u->head = (u->head + sizeof r + r.len) % u->cap;
	u->used_bytes -= sizeof r + r.len;
	u->count--;
	if (from) {
		from->addr = r.addr;
		from->port = r.port;
	}
	return (long)n;
}

unsigned zcs_udp_pending(const zcs_stack *s, int sock)
{
	const zcs_udp_sock *u = sock_get_c(s, sock);

	return u ? u->count : 0;
}

zc_err zcs_udp_close(zcs_stack *s, int sock)
{
	zcs_udp_sock *u = sock_get(s, sock);

	if (!u)
		return ZC_E_ARG;
	u->used = false;
	u->port = 0;
	u->count = 0;
	u->head = u->used_bytes = 0;
	return ZC_OK;
}

zc_err zcs_udp_input(zcs_stack *s, zc_ipv4 ip, uint64_t now)
{
	zcs_udp_sock *u;
	zcs_addr4 from;
	zc_buf pay;
	zc_udp v;

	if (zc_udp_parse(zc_ipv4_payload(ip), &v) != ZC_OK ||
	    !zc_udp_csum_ok(v, zc_ipv4_pseudo(ip, zc_ipv4_upper_len(ip)), ZC_UDP_OVER_IPV4)) {
		ZCS_INC(s, drop_udp_bad);
		return ZC_E_INVALID;
	}
	u = sock_by_port(s, zc_udp_dst_port(v));
	if (!u) {
		ZCS_INC(s, drop_udp_closed);
		zcs_icmp4_error(s, ip, ZC_ICMP4_DEST_UNREACH, 3, now); /* port unreachable */
		return ZC_E_UNSUPPORTED;
	}
	from.addr = zc_ipv4_src(ip);
	from.port = zc_udp_src_port(v);
	pay = zc_udp_payload(v);
	if (u->fn) {
		ZCS_INC(s, udp_rx);
		u->fn(u->ctx, (int)(u - s->udp), &from, pay);
		return ZC_OK;
	}
	if (pay.len > UINT16_MAX || u->cap - u->used_bytes < sizeof(zcs_udp_rec) + pay.len) {
		ZCS_INC(s, drop_udp_ring_full);
		return ZC_E_AGAIN;
	}
	{
		zcs_udp_rec r = { from.addr, from.port, (uint16_t)pay.len };
		size_t off = (u->head + u->used_bytes) % u->cap;

		off = ring_put(u, off, &r, sizeof r);
		if (pay.len)
			ring_put(u, off, pay.p, pay.len);
	}
	u->used_bytes += sizeof(zcs_udp_rec) + pay.len;
	u->count++;
	ZCS_INC(s, udp_rx);
	return ZC_OK;
}
