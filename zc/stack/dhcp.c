/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/dhcp.c - a DHCPv4 client (RFC 2131, options of RFC 2132): the
 * stack's IPv4 address, subnet and router, leased on an Ethernet link.
 *
 * The client is part of the stack's state, like its sockets: the messages
 * it sends are built in the stack's own output buffer, the replies are
 * taken from zcs_input() through UDP port 68, and the timers (the
 * retransmissions, the renewal at T1, the rebinding at T2, the end of the
 * lease) are deadlines zcs_poll() reports, on the caller's clock.
 *
 * A reply is parsed with bounds-checked loads over the datagram itself:
 * the fixed BOOTP fields, the magic cookie, then the options, an
 * iteration capped by the bytes there are. Nothing in a reply is trusted
 * beyond the option lengths it declares; a reply that is not for this
 * client (another xid or hardware address) or contradicts itself is
 * dropped and counted (drop_dhcp_bad).
 */
#include "internal.h"

/* RFC 2131 2: the fixed part of a message, then the magic cookie (RFC 2131 3). */
#define DHCP_OP_OFF 0
#define DHCP_HTYPE_OFF 1
#define DHCP_HLEN_OFF 2
#define DHCP_XID_OFF 4
#define DHCP_SECS_OFF 8
#define DHCP_FLAGS_OFF 10
#define DHCP_CIADDR_OFF 12
#define DHCP_YIADDR_OFF 16
#define DHCP_CHADDR_OFF 28
#define DHCP_COOKIE_OFF 236
#define DHCP_OPTS_OFF 240
#define DHCP_COOKIE 0x63825363u
#define DHCP_FLAG_BROADCAST 0x8000u
/* A message sent is padded to BOOTP's 300 bytes (RFC 1542 2.1), which some servers insist on. */
#define DHCP_MIN_LEN 300
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

/* Message types (RFC 2132 9.6). */
enum { DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK, DHCPRELEASE };
/* Options (RFC 2132). */
enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_REQ_IP = 50, OPT_LEASE = 51, OPT_TYPE = 53,
	OPT_SERVER = 54, OPT_PARAMS = 55, OPT_MAX_SIZE = 57, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255
};

#define SEC ((uint64_t)1000000)
/* RFC 2131 4.1: 4 s before the first retransmission, doubling to 64 s, each randomised by +-1 s. */
#define DHCP_RETX_FIRST (4 * SEC)
#define DHCP_RETX_MAX (64 * SEC)
/* REQUESTs sent for an offer before the client starts again from DISCOVER. */
#define DHCP_REQUEST_TRIES 4
/* RFC 2131 4.4.5: in RENEWING and REBINDING, at least 60 s between retransmissions. */
#define DHCP_RENEW_MIN (60 * SEC)

static uint32_t draw(const zcs_stack *s)
{
	return zcs_random32(s);
}

/* The next retransmission after one sent at now, with the interval doubled from the last. */
static uint64_t retx_after(zcs_stack *s, uint64_t now)
{
	zcs_dhcp *d = &s->dhcp;
	uint64_t base = d->retx_us ? d->retx_us * 2 : DHCP_RETX_FIRST;

	if (base > DHCP_RETX_MAX)
		base = DHCP_RETX_MAX;
	d->retx_us = base;
	/* -1 s to +1 s, in microseconds. */
	return now + base - SEC + draw(s) % (2 * SEC + 1);
}

static uint8_t *opt_put(uint8_t *p, uint8_t code, const void *v, uint8_t len)
{
	p[0] = code;
	p[1] = len;
	memcpy(p + 2, v, len);
	return p + 2 + len;
}

/* Builds and sends one message of type (DISCOVER or REQUEST) for the state the client is in. */
static void dhcp_send(zcs_stack *s, uint8_t type, uint64_t now)
{
	static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_LEASE, OPT_SERVER, OPT_T1, OPT_T2 };
	zcs_dhcp *d = &s->dhcp;
	uint8_t *m = zcs_l4_out(s, 4) + ZC_UDP_HDR_LEN, *p, b4[4], b2[2];
	uint64_t secs = (now - d->start_us) / SEC;
	bool bound = d->state == ZCS_DHCP_RENEWING || d->state == ZCS_DHCP_REBINDING;
	zcs_naddr src, dst;
	size_t len, l4;
	uint8_t *u;
	zc_udp_rw v;

	memset(m, 0, DHCP_MIN_LEN);
	m[DHCP_OP_OFF] = 1; /* BOOTREQUEST */
	m[DHCP_HTYPE_OFF] = 1;
	m[DHCP_HLEN_OFF] = 6;
	zc_store_be32(m + DHCP_XID_OFF, d->xid);
	zc_store_be16(m + DHCP_SECS_OFF, (uint16_t)(secs > 0xffff ? 0xffff : secs));
	/* Without an address the client cannot take a unicast reply before it has one: broadcast it. */
	zc_store_be16(m + DHCP_FLAGS_OFF, bound ? 0 : DHCP_FLAG_BROADCAST);
	if (bound)
		zc_store_be32(m + DHCP_CIADDR_OFF, s->cfg.addr);
	memcpy(m + DHCP_CHADDR_OFF, s->cfg.mac, 6);
	zc_store_be32(m + DHCP_COOKIE_OFF, DHCP_COOKIE);
	p = m + DHCP_OPTS_OFF;
	p = opt_put(p, OPT_TYPE, &type, 1);
	zc_store_be16(b2, 576);
	p = opt_put(p, OPT_MAX_SIZE, b2, 2);
	/* RFC 2131 4.3.2: the requested address and the server only in SELECTING's REQUEST. */
	if (type == DHCPREQUEST && d->state == ZCS_DHCP_REQUESTING) {
		zc_store_be32(b4, d->offered);
		p = opt_put(p, OPT_REQ_IP, b4, 4);
		zc_store_be32(b4, d->server);
		p = opt_put(p, OPT_SERVER, b4, 4);
	}
	p = opt_put(p, OPT_PARAMS, params, sizeof params);
	*p++ = OPT_END;
	len = (size_t)(p - m) < DHCP_MIN_LEN ? DHCP_MIN_LEN : (size_t)(p - m);
	l4 = ZC_UDP_HDR_LEN + len;
	u = zcs_l4_out(s, 4);
	zc_store_be16(u + ZC_UDP_SPORT_OFF, DHCP_CLIENT_PORT);
	zc_store_be16(u + ZC_UDP_DPORT_OFF, DHCP_SERVER_PORT);
	zc_store_be16(u + ZC_UDP_LEN_OFF, (uint16_t)l4);
	zc_store_be16(u + ZC_UDP_CSUM_OFF, 0);
	/* RENEWING talks to the server that gave the lease; every other state broadcasts. */
	src = zcs_naddr4(bound ? s->cfg.addr : 0);
	dst = zcs_naddr4(d->state == ZCS_DHCP_RENEWING ? d->server : 0xffffffffu);
	if (zc_udp_parse_rw(zc_wbuf_make(u, l4), &v) != ZC_OK)
		return;
	zc_udp_csum_fill(v, zcs_pseudo(&src, &dst, ZC_IPPROTO_UDP, l4));
	if (zcs_ipv4_output(s, zc_load_be32(dst.a), ZC_IPPROTO_UDP, l4, now) == ZC_OK)
		ZCS_INC(s, dhcp_sent);
	if (type == DHCPREQUEST && d->state == ZCS_DHCP_REQUESTING && d->tries == 0)
		d->req_sent_us = now;
}

/* Gives the address up (a NAK, the end of the lease) and starts again from DISCOVER. */
static void dhcp_restart(zcs_stack *s, uint64_t now)
{
	zcs_dhcp *d = &s->dhcp;

	if (s->cfg.addr) {
		ZCS_INC(s, dhcp_leases_lost);
		zcs_neigh_forget_v4_pending(s);
	}
	s->cfg.addr = 0;
	s->cfg.prefix_len = 0;
	s->cfg.gateway = 0;
	s->netmask = 0;
	d->state = ZCS_DHCP_SELECTING;
	d->xid = draw(s);
	d->start_us = now;
	d->retx_us = 0;
	d->tries = 0;
	dhcp_send(s, DHCPDISCOVER, now);
	d->deadline = retx_after(s, now);
}

void zcs_dhcp_start(zcs_stack *s, uint64_t now)
{
	if (!s->cfg.dhcp)
		return;
	dhcp_restart(s, now);
}

/* What one reply says, its options walked once. */
typedef struct dhcp_reply {
	uint8_t type;
	uint32_t yiaddr, server, mask, router, lease, t1, t2;
	bool have_server, have_mask, have_router, have_lease, have_t1, have_t2;
} dhcp_reply;

/* RFC 2131 2 and RFC 2132 2: true when the message is a well-formed reply for this client. */
static bool parse_reply(const zcs_stack *s, zc_buf b, dhcp_reply *r)
{
	size_t i, steps;

	memset(r, 0, sizeof *r);
	if (b.len < DHCP_OPTS_OFF || b.p[DHCP_OP_OFF] != 2 || b.p[DHCP_HTYPE_OFF] != 1 || b.p[DHCP_HLEN_OFF] != 6 ||
	    zc_load_be32(b.p + DHCP_XID_OFF) != s->dhcp.xid || memcmp(b.p + DHCP_CHADDR_OFF, s->cfg.mac, 6) != 0 ||
	    zc_load_be32(b.p + DHCP_COOKIE_OFF) != DHCP_COOKIE)
		return false;
	r->yiaddr = zc_load_be32(b.p + DHCP_YIADDR_OFF);
	/* Each step consumes at least one byte: the walk ends within the datagram. */
	for (i = DHCP_OPTS_OFF, steps = 0; i < b.len && steps < b.len; steps++) {
		uint8_t code = b.p[i], len;
		const uint8_t *v;

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			break;
		if (b.len - i < 2 || b.len - i - 2 < b.p[i + 1])
			return false; /* an option that runs past the datagram */
		len = b.p[i + 1];
		v = b.p + i + 2;
		i += 2u + len;
		switch (code) {
		case OPT_TYPE:
			if (len != 1)
				return false;
			r->type = v[0];
			break;
		case OPT_SERVER:
		case OPT_MASK:
		case OPT_LEASE:
		case OPT_T1:
		case OPT_T2:
			if (len != 4)
				return false;
			if (code == OPT_SERVER)
				r->server = zc_load_be32(v), r->have_server = true;
			else if (code == OPT_MASK)
				r->mask = zc_load_be32(v), r->have_mask = true;
			else if (code == OPT_LEASE)
				r->lease = zc_load_be32(v), r->have_lease = true;
			else if (code == OPT_T1)
				r->t1 = zc_load_be32(v), r->have_t1 = true;
			else
				r->t2 = zc_load_be32(v), r->have_t2 = true;
			break;
		case OPT_ROUTER:
			/* One or more addresses; the first is the router to use. */
			if (len < 4 || len % 4)
				return false;
			r->router = zc_load_be32(v);
			r->have_router = true;
			break;
		default:
			break;
		}
	}
	return r->type != 0;
}

static bool is_unicast4(uint32_t a)
{
	return a != 0 && a >> 28 != 0xe && a >> 28 != 0xf && a >> 24 != 127;
}

/* The prefix length of a contiguous mask; -1 for a mask with holes, or 0.0.0.0. */
static int mask_len(uint32_t mask)
{
	int n = 0;

	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	if (n == 0 || (n < 32 && (mask << n) != 0))
		return -1;
	return n;
}

/* Microseconds of a lease time in seconds; 0xffffffff is a lease without end (RFC 2131 3.3). */
static uint64_t lease_us(uint32_t secs)
{
	return secs == 0xffffffffu ? ZCS_NEVER : (uint64_t)secs * SEC;
}

static uint64_t at(uint64_t base, uint64_t d)
{
	return d == ZCS_NEVER || ZCS_NEVER - base <= d ? ZCS_NEVER : base + d;
}

/* An ACK: the lease is ours, its address and subnet applied, its timers set. */
static bool dhcp_bind(zcs_stack *s, const dhcp_reply *r, uint64_t now)
{
	zcs_dhcp *d = &s->dhcp;
	uint64_t lease, t1, t2, base;
	int plen = 32;
	bool changed;

	if (!is_unicast4(r->yiaddr) || !r->have_lease)
		return false;
	if (r->have_mask && (plen = mask_len(r->mask)) < 0)
		return false;
	if (r->have_router && !is_unicast4(r->router))
		return false;
	lease = lease_us(r->lease);
	/* RFC 2131 4.4.5: T1 defaults to half the lease, T2 to seven eighths; T1 <= T2 <= the lease. */
	t1 = r->have_t1 ? lease_us(r->t1) : lease == ZCS_NEVER ? ZCS_NEVER : lease / 2;
	t2 = r->have_t2 ? lease_us(r->t2) : lease == ZCS_NEVER ? ZCS_NEVER : lease / 8 * 7;
	if (t2 > lease)
		t2 = lease;
	if (t1 > t2)
		t1 = t2;
	/* The lease counts from when the REQUEST that earned it went (RFC 2131 4.4.1). */
	base = d->state == ZCS_DHCP_REQUESTING ? d->req_sent_us : d->renew_sent_us;
	if (base > now)
		base = now;
	changed = s->cfg.addr != r->yiaddr;
	s->cfg.addr = r->yiaddr;
	s->cfg.prefix_len = (uint8_t)plen;
	s->netmask = plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
	s->cfg.gateway = r->have_router ? r->router : 0;
	if (r->have_server)
		d->server = r->server;
	d->t1_at = at(base, t1);
	d->t2_at = at(base, t2);
	d->end_at = at(base, lease);
	d->state = ZCS_DHCP_BOUND;
	d->deadline = d->t1_at;
	d->retx_us = 0;
	ZCS_INC(s, dhcp_acks);
	/* A new address is announced, as at start (RFC 5227 3). */
	if (changed)
		zcs_arp_start(s);
	return true;
}

zc_err zcs_dhcp_input(zcs_stack *s, zc_buf b, uint64_t now)
{
	zcs_dhcp *d = &s->dhcp;
	dhcp_reply r;

	if (d->state == ZCS_DHCP_OFF || d->state == ZCS_DHCP_BOUND || !parse_reply(s, b, &r))
		goto bad;
	switch (d->state) {
	case ZCS_DHCP_SELECTING:
		/* The first acceptable offer is taken (RFC 2131 4.4.1 lets the client choose). */
		if (r.type != DHCPOFFER || !is_unicast4(r.yiaddr) || !r.have_server)
			goto bad;
		d->offered = r.yiaddr;
		d->server = r.server;
		d->state = ZCS_DHCP_REQUESTING;
		d->retx_us = 0;
		d->tries = 0;
		ZCS_INC(s, dhcp_offers);
		dhcp_send(s, DHCPREQUEST, now);
		d->deadline = retx_after(s, now);
		return ZC_OK;
	case ZCS_DHCP_REQUESTING:
	case ZCS_DHCP_RENEWING:
	case ZCS_DHCP_REBINDING:
		/* In REQUESTING only the chosen server answers; later, the one that gave the lease or any. */
		if (r.have_server && d->state != ZCS_DHCP_REBINDING && r.server != d->server)
			goto bad;
		if (r.type == DHCPNAK) {
			ZCS_INC(s, dhcp_naks);
			dhcp_restart(s, now);
			return ZC_OK;
		}
		if (r.type != DHCPACK || (d->state == ZCS_DHCP_REQUESTING && r.yiaddr != d->offered) ||
		    !dhcp_bind(s, &r, now))
			goto bad;
		return ZC_OK;
	default:
		break;
	}
bad:
	ZCS_INC(s, drop_dhcp_bad);
	return ZC_E_INVALID;
}

uint64_t zcs_dhcp_poll(zcs_stack *s, uint64_t now)
{
	zcs_dhcp *d = &s->dhcp;
	uint64_t wait;

	if (d->state == ZCS_DHCP_OFF)
		return ZCS_NEVER;
	/* A bounded number of steps: a clock that jumped far runs each state once, not once per missed timer. */
	for (unsigned step = 0; step < 4 && d->deadline <= now; step++) {
		switch (d->state) {
		case ZCS_DHCP_SELECTING:
			dhcp_send(s, DHCPDISCOVER, now);
			d->deadline = retx_after(s, now);
			break;
		case ZCS_DHCP_REQUESTING:
			if (++d->tries >= DHCP_REQUEST_TRIES) {
				dhcp_restart(s, now);
				break;
			}
			dhcp_send(s, DHCPREQUEST, now);
			d->deadline = retx_after(s, now);
			break;
		case ZCS_DHCP_BOUND:
		case ZCS_DHCP_RENEWING:
		case ZCS_DHCP_REBINDING:
			if (now >= d->end_at) {
				dhcp_restart(s, now);
				break;
			}
			if (now >= d->t2_at)
				d->state = ZCS_DHCP_REBINDING;
			else if (d->state == ZCS_DHCP_BOUND)
				d->state = ZCS_DHCP_RENEWING;
			if (d->state == ZCS_DHCP_RENEWING && d->renew_sent_us < d->t1_at)
				d->renew_sent_us = now;
			if (d->state == ZCS_DHCP_REBINDING && d->renew_sent_us < d->t2_at)
				d->renew_sent_us = now;
			dhcp_send(s, DHCPREQUEST, now);
			/* Half the time left to T2 (RENEWING) or to the lease's end (REBINDING), 60 s at least. */
			wait = ((d->state == ZCS_DHCP_RENEWING ? d->t2_at : d->end_at) - now) / 2;
			if (wait < DHCP_RENEW_MIN)
				wait = DHCP_RENEW_MIN;
			d->deadline = now + wait;
			if (d->state == ZCS_DHCP_RENEWING && d->deadline > d->t2_at)
				d->deadline = d->t2_at;
			if (d->deadline > d->end_at)
				d->deadline = d->end_at;
			break;
		default:
			return ZCS_NEVER;
		}
	}
	return d->deadline;
}

zcs_dhcp_state zcs_dhcp_get_state(const zcs_stack *s)
{
	return s->dhcp.state;
}

zc_err zcs_ipv4_get(const zcs_stack *s, uint32_t *addr, uint8_t *prefix_len, uint32_t *gateway)
{
	if (!s->cfg.addr)
		return ZC_E_AGAIN;
	if (addr)
		*addr = s->cfg.addr;
	if (prefix_len)
		*prefix_len = s->cfg.prefix_len;
	if (gateway)
		*gateway = s->cfg.gateway;
	return ZC_OK;
}
