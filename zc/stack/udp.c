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
			u->fn_addr = NULL;
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
	u->fn_addr = NULL;
	u->ctx = ctx;
	return ZC_OK;
}

zc_err zcs_udp_set_recv_addr(zcs_stack *s, int sock, zcs_udp_recv_addr_fn fn, void *ctx)
{
	zcs_udp_sock *u = sock_get(s, sock);

	if (!u)
		return ZC_E_ARG;
	u->fn = NULL;
	u->fn_addr = fn;
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

zc_err zcs_udp_sendto_addr(zcs_stack *s, int sock, const zcs_addr *to, const void *data, size_t len,
			   uint64_t now_us)
{
	zcs_udp_sock *u = sock_get(s, sock);
	size_t l4 = ZC_UDP_HDR_LEN + len, hdr;
	zcs_naddr src, dst;
	uint8_t *d;
	zc_udp_rw v;
	zc_err e;

	if (!u || !to || to->port == 0 || (len && !data) ||
	    (to->family != ZCS_AF_INET && to->family != ZCS_AF_INET6))
		return ZC_E_ARG;
	hdr = to->family == ZCS_AF_INET6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN;
	/* Beyond the MTU, fragments, up to max_datagram. */
	if (hdr + l4 > s->cfg.mtu && hdr + l4 > s->cfg.max_datagram)
		return ZC_E_MSGSIZE;
	zcs_addr_to_n(to, &dst);
	if ((e = zcs_ip_src_for(s, &dst, &src)) != ZC_OK)
		return e;
	if (!u->port && !(u->port = ephemeral_port(s)))
		return ZC_E_ADDRINUSE;
	d = zcs_l4_out(s, dst.fam);
	zc_store_be16(d + ZC_UDP_SPORT_OFF, u->port);
	zc_store_be16(d + ZC_UDP_DPORT_OFF, to->port);
	zc_store_be16(d + ZC_UDP_LEN_OFF, (uint16_t)l4);
	zc_store_be16(d + ZC_UDP_CSUM_OFF, 0);
	if (len)
		memcpy(d + ZC_UDP_HDR_LEN, data, len);
	if (zc_udp_parse_rw(zc_wbuf_make(d, l4), &v) != ZC_OK)
		return ZC_E_INVALID;
	zc_udp_csum_fill(v, zcs_pseudo(&src, &dst, ZC_IPPROTO_UDP, l4));
	e = zcs_ip_output(s, &src, &dst, ZC_IPPROTO_UDP, l4, now_us);
	if (e == ZC_OK)
		ZCS_INC(s, udp_tx);
	return e;
}

zc_err zcs_udp_sendto(zcs_stack *s, int sock, const zcs_addr4 *to, const void *data, size_t len, uint64_t now_us)
{
	zcs_addr a;

	if (!to)
		return ZC_E_ARG;
	a = zcs_addr_from4(to);
	return zcs_udp_sendto_addr(s, sock, &a, data, len, now_us);
}

long zcs_udp_recvfrom_addr(zcs_stack *s, int sock, void *buf, size_t cap, zcs_addr *from)
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
	if (from)
		zcs_addr_from_n(&r.from, r.port, from);
	return (long)n;
}

long zcs_udp_recvfrom(zcs_stack *s, int sock, void *buf, size_t cap, zcs_addr4 *from)
{
	zcs_addr a;
	long n = zcs_udp_recvfrom_addr(s, sock, buf, cap, &a);

	if (n >= 0 && from)
		zcs_addr_to4(&a, from);
	return n;
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

/* Hands the payload to the socket's callback, without a copy. */
static void deliver(zcs_stack *s, zcs_udp_sock *u, const zcs_rx *rx, uint16_t port, zc_buf pay)
{
	zcs_addr from;

	zcs_addr_from_n(&rx->src, port, &from);
	ZCS_INC(s, udp_rx);
	if (u->fn_addr) {
		u->fn_addr(u->ctx, (int)(u - s->udp), &from, pay);
	} else {
		zcs_addr4 f4;

		zcs_addr_to4(&from, &f4);
		u->fn(u->ctx, (int)(u - s->udp), &f4, pay);
	}
}

zc_err zcs_udp_input(zcs_stack *s, const zcs_rx *rx, uint64_t now)
{
	zcs_udp_sock *u;
	zc_buf pay;
	zc_udp v;

	/*
	 * Over IPv6 a checksum of 0 is not "none": the datagram is dropped (RFC
	 * 8200 8.1), trusted or not. A trusted one's field may hold a partial sum.
	 */
	if (zc_udp_parse(rx->l4, &v) != ZC_OK ||
	    (rx->csum_trusted ? rx->src.fam == 6 && zc_udp_csum(v) == 0
			      : !zc_udp_csum_ok(v, rx->pseudo, rx->src.fam == 6 ? ZC_UDP_OVER_IPV6 : ZC_UDP_OVER_IPV4))) {
		ZCS_INC(s, drop_udp_bad);
		return ZC_E_INVALID;
	}
	/* The DHCP client's replies (RFC 2131 4.1: to port 68) are its own, before any socket's. */
	if (s->cfg.dhcp && rx->src.fam == 4 && zc_udp_dst_port(v) == 68)
		return zcs_dhcp_input(s, zc_udp_payload(v), now);
	u = sock_by_port(s, zc_udp_dst_port(v));
	if (!u) {
		ZCS_INC(s, drop_udp_closed);
		zcs_ip_port_unreach(s, rx, now);
		return ZC_E_UNSUPPORTED;
	}
	pay = zc_udp_payload(v);
	if (u->fn || u->fn_addr) {
		deliver(s, u, rx, zc_udp_src_port(v), pay);
		return ZC_OK;
	}
	if (pay.len > UINT16_MAX || u->cap - u->used_bytes < sizeof(zcs_udp_rec) + pay.len) {
		ZCS_INC(s, drop_udp_ring_full);
		return ZC_E_AGAIN;
	}
	{
		zcs_udp_rec r;
		size_t off = (u->head + u->used_bytes) % u->cap;

		memset(&r, 0, sizeof r);
		r.from = rx->src;
		r.port = zc_udp_src_port(v);
		r.len = (uint16_t)pay.len;
		off = ring_put(u, off, &r, sizeof r);
		if (pay.len)
			ring_put(u, off, pay.p, pay.len);
	}
	u->used_bytes += sizeof(zcs_udp_rec) + pay.len;
	u->count++;
	ZCS_INC(s, udp_rx);
	return ZC_OK;
}
