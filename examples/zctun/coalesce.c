/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/coalesce.c - UDP -> TUN: the datagrams of one receive,
 * checked with views and chained into packets for the TUN, TCP segments of
 * one flow merged into a super-packet.
 *
 * A merged packet is never copied together: its chain lists the first
 * segment whole and then only the payload of each later one, where they lie
 * in the receive buffer, and the writer hands the chain to writev() behind a
 * virtio_net_hdr that tells the kernel the segment size (gso_size). Only the
 * first segment's headers are edited (lengths, IPv4 checksum, TCP checksum
 * turned into a partial one: VIRTIO_NET_HDR_F_NEEDS_CSUM).
 *
 * The merge follows the kernel's GRO rules (tcp_gro_receive(),
 * inet_gro_receive(), ipv6_gro_receive()) so that what the TUN gets is what
 * a NIC with GRO would have handed up:
 * - same addresses, ports, IP version; IPv4 without options or fragmentation,
 *   with the same TOS, TTL and DF; IPv6 without extension headers, with the
 *   same traffic class, flow label and hop limit;
 * - the same TCP header length, options byte for byte, acknowledgment number
 *   and flags, PSH aside; no SYN, FIN, RST, URG or CWR;
 * - each segment's sequence number follows the last one's payload;
 * - every segment carries the first one's payload size but the last, which
 *   may be shorter and ends the chain, as does PSH;
 * - the whole stays within 64 KiB.
 * The payloads are not checksummed again here: the outer UDP checksum,
 * verified by the kernel, covers them, and the kernel completes the partial
 * checksum of the merged packet.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zctun.h"

/* Flows that may still grow during one receive: a few, as in the kernel's GRO lists. */
#define OPEN_FLOWS 8

typedef struct flow {
	int chain;         /* index in the metadata, -1 for a free slot */
	uint8_t *ip;       /* the first segment's IP header */
	uint16_t ip_len;   /* and its length, the whole datagram */
	bool v6;
	uint16_t ip_hlen;
	uint16_t tcp_hlen;
	uint16_t mss;      /* payload of the first segment */
	uint32_t next_seq; /* sequence number the next segment must carry */
	bool closed;       /* a short segment or PSH ended it */
	uint8_t push;      /* PSH seen on the last segment merged */
} flow;

/* A datagram that parsed, as the merge sees it. */
typedef struct seg_info {
	bool v6;
	bool mergeable;    /* a TCP segment the rules above let into a chain */
	bool tcp_ok;       /* tcp holds a TCP segment that parsed */
	uint16_t ip_hlen;
	zc_tcp tcp;
	size_t pay;        /* TCP payload bytes */
} seg_info;

/* The datagram must be exactly one IP packet, a TCP one examined further. */
static bool seg_parse(zctun *t, zc_buf d, seg_info *si)
{
	zc_buf l4;
	uint8_t proto;
	uint8_t f;

	memset(si, 0, sizeof *si);
	if (d.len < ZC_IPV4_MIN_HDR_LEN) {
		ZCTUN_INC(&t->st_rx, drop_short);
		return false;
	}
	if (d.p[0] >> 4 == 4) {
		zc_ipv4 ip;
		zc_err e = zc_ipv4_parse(d, &ip);

		if (e != ZC_OK) {
			if (e == ZC_E_TRUNCATED)
				ZCTUN_INC(&t->st_rx, drop_bad_len);
			else
				ZCTUN_INC(&t->st_rx, drop_bad_ip);
			return false;
		}
		if (zc_ipv4_total_len(ip) != d.len) {
			ZCTUN_INC(&t->st_rx, drop_bad_len);
			return false;
		}
		if (zc_ipv4_hdr_len(ip) != ZC_IPV4_MIN_HDR_LEN || zc_ipv4_is_fragment(ip))
			return true;
		si->ip_hlen = ZC_IPV4_MIN_HDR_LEN;
		proto = zc_ipv4_proto(ip);
		l4 = zc_ipv4_payload(ip);
	} else if (d.p[0] >> 4 == 6) {
		zc_ipv6 ip;
		zc_err e = zc_ipv6_parse(d, &ip);

		if (e != ZC_OK) {
			if (e == ZC_E_TRUNCATED)
				ZCTUN_INC(&t->st_rx, drop_bad_len);
			else
				ZCTUN_INC(&t->st_rx, drop_bad_ip);
			return false;
		}
		if (ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip) != d.len) {
			ZCTUN_INC(&t->st_rx, drop_bad_len);
			return false;
		}
		if (zc_ipv6_hdr_len(ip) != ZC_IPV6_HDR_LEN)
			return true;
		si->v6 = true;
		si->ip_hlen = ZC_IPV6_HDR_LEN;
		proto = zc_ipv6_proto(ip);
		l4 = zc_ipv6_payload(ip);
	} else {
		ZCTUN_INC(&t->st_rx, drop_bad_ip);
		return false;
	}
	if (proto != ZC_IPPROTO_TCP || zc_tcp_parse(l4, &si->tcp) != ZC_OK)
		return true; /* passed on as it is; the kernel judges it */
	si->tcp_ok = true;
	f = zc_tcp_flags(si->tcp);
	si->pay = zc_tcp_payload(si->tcp).len;
	si->mergeable = si->pay > 0 && (f & ZC_TCP_ACK) &&
			!(f & (ZC_TCP_SYN | ZC_TCP_FIN | ZC_TCP_RST | ZC_TCP_URG | ZC_TCP_CWR));
	return true;
}

/* True when the segment at ip (described by si) may follow flow fl's chain. */
static bool flow_match(const flow *fl, const uint8_t *ip, const seg_info *si)
{
	const uint8_t *a = fl->ip, *b = ip;
	const uint8_t *ta = a + fl->ip_hlen, *tb = zc_tcp_header(si->tcp).p;

	if (fl->v6 != si->v6 || fl->tcp_hlen != zc_tcp_hdr_len(si->tcp))
		return false;
	if (!fl->v6) {
		/* TOS; the DF/MF/offset word; TTL and protocol; both addresses. */
		if (a[ZC_IPV4_TOS_OFF] != b[ZC_IPV4_TOS_OFF] ||
		    memcmp(a + ZC_IPV4_FRAG_OFF, b + ZC_IPV4_FRAG_OFF, 4) != 0 ||
		    memcmp(a + ZC_IPV4_SRC_OFF, b + ZC_IPV4_SRC_OFF, 8) != 0)
			return false;
	} else {
		/* Version, traffic class, flow label; next header and hop limit; addresses. */
		if (memcmp(a, b, 4) != 0 || memcmp(a + ZC_IPV6_NXT_OFF, b + ZC_IPV6_NXT_OFF, 34) != 0)
			return false;
	}
	/* Ports; the acknowledgment number; data offset and flags but PSH; options. */
	return memcmp(ta, tb, 4) == 0 && memcmp(ta + ZC_TCP_ACK_OFF, tb + ZC_TCP_ACK_OFF, 4) == 0 &&
	       ta[ZC_TCP_DOFF_OFF] == tb[ZC_TCP_DOFF_OFF] &&
	       (ta[ZC_TCP_FLAGS_OFF] & ~ZC_TCP_PSH) == (tb[ZC_TCP_FLAGS_OFF] & ~ZC_TCP_PSH) &&
	       memcmp(ta + ZC_TCP_MIN_HDR_LEN, tb + ZC_TCP_MIN_HDR_LEN, fl->tcp_hlen - ZC_TCP_MIN_HDR_LEN) == 0;
}

/* Same flow (addresses and ports) at all, merge or not. */
static bool flow_same(const flow *fl, const uint8_t *ip, const seg_info *si)
{
	const uint8_t *ta = fl->ip + fl->ip_hlen;

	if (fl->v6 != si->v6)
		return false;
	if (!fl->v6 ? memcmp(fl->ip + ZC_IPV4_SRC_OFF, ip + ZC_IPV4_SRC_OFF, 8) != 0
		    : memcmp(fl->ip + ZC_IPV6_SRC_OFF, ip + ZC_IPV6_SRC_OFF, 32) != 0)
		return false;
	return memcmp(ta, zc_tcp_header(si->tcp).p, 4) == 0;
}

/* Starts a chain of one piece: the datagram d. */
static int chain_new(zctun_rxmeta *m, const uint8_t *base, zc_buf d)
{
	zctun_seg *s = &m->seg[m->nsegs];
	zctun_chain *c = &m->chain[m->nchains];

	s->off = (uint32_t)(d.p - base);
	s->len = (uint16_t)d.len;
	s->next = -1;
	c->first = c->last = (int16_t)m->nsegs;
	c->nsegs = 1;
	c->len = (uint32_t)d.len;
	memset(c->vnet, 0, sizeof c->vnet);
	m->nsegs++;
	return m->nchains++;
}

/* Appends the payload of a segment to chain ci. */
static void chain_append(zctun_rxmeta *m, int ci, const uint8_t *base, zc_buf pay)
{
	zctun_seg *s = &m->seg[m->nsegs];
	zctun_chain *c = &m->chain[ci];

	s->off = (uint32_t)(pay.p - base);
	s->len = (uint16_t)pay.len;
	s->next = -1;
	m->seg[c->last].next = (int16_t)m->nsegs;
	c->last = (int16_t)m->nsegs;
	c->nsegs++;
	c->len += (uint32_t)pay.len;
	m->nsegs++;
}

/*
 * Turns a chain of several segments into one super-packet: lengths in the
 * first headers, the IPv4 header checksum, PSH when the last had it, the TCP
 * checksum field holding the pseudo-header sum, and the virtio header.
 */
static void chain_finish(const flow *fl, zctun_chain *c)
{
	zc_wbuf first = zc_wbuf_make(fl->ip, fl->ip_len);
	uint8_t *tcp = fl->ip + fl->ip_hlen;
	uint32_t l4len = c->len - fl->ip_hlen;
	uint32_t pseudo;
	zctun_vnet vh;

	/* The first segment parsed as one whole IP packet when it opened the chain. */
	if (!fl->v6) {
		zc_ipv4_rw v;

		if (zc_ipv4_parse_rw(first, &v) != ZC_OK || zc_ipv4_set_total_len(&v, c->len) != ZC_OK)
			abort();
		pseudo = zc_ipv4_pseudo(zc_ipv4_ro(v), l4len);
	} else {
		zc_ipv6_rw v;

		if (zc_ipv6_parse_rw(first, &v) != ZC_OK || zc_ipv6_set_payload_len(&v, l4len) != ZC_OK)
			abort();
		pseudo = zc_ipv6_pseudo(zc_ipv6_ro(v), l4len);
	}
	tcp[ZC_TCP_FLAGS_OFF] |= fl->push;
	/* A partial checksum is the folded pseudo-header sum, not complemented. */
	zc_store_be16(tcp + ZC_TCP_CSUM_OFF, (uint16_t)zc_csum_fold(pseudo));
	vh.flags = ZCTUN_VNET_F_NEEDS_CSUM;
	vh.gso_type = fl->v6 ? ZCTUN_VNET_GSO_TCPV6 : ZCTUN_VNET_GSO_TCPV4;
	vh.hdr_len = (uint16_t)(fl->ip_hlen + fl->tcp_hlen);
	vh.gso_size = fl->mss;
	vh.csum_start = fl->ip_hlen;
	vh.csum_offset = ZC_TCP_CSUM_OFF;
	zctun_vnet_store(&vh, c->vnet);
}

void zctun_coalesce(zctun *t, zctun_rxmeta *m, uint8_t *base, size_t off, size_t len, size_t seg)
{
	flow flows[OPEN_FLOWS];
	unsigned nflows = 0, victim = 0, i;
	size_t pos;

	m->nsegs = 0;
	m->nchains = 0;
	for (pos = 0; pos < len; pos += seg) {
		zc_wbuf d = zc_wbuf_make(base + off + pos, len - pos < seg ? len - pos : seg);
		seg_info si;
		flow *fl = NULL;

		ZCTUN_INC(&t->st_rx, udp_rx_packets);
		ZCTUN_ADD(&t->st_rx, udp_rx_bytes, d.len);
		if (m->nsegs >= ZCTUN_MAX_SEGS) {
			/* More datagrams in one receive than UDP GRO ever builds. */
			ZCTUN_INC(&t->st_rx, drop_oversized);
			continue;
		}
		if (t->xf.decap && t->xf.decap(t->xf.ctx, &d) < 0) {
			ZCTUN_INC(&t->st_rx, drop_xform);
			continue;
		}
		if (!seg_parse(t, zc_wbuf_ro(d), &si))
			continue;
		if (!t->coalesce || !si.mergeable) {
			/* Whatever else it is, a segment of an open flow ends that flow's chain. */
			if (si.tcp_ok)
				for (i = 0; i < nflows; i++)
					if (flows[i].chain >= 0 && flow_same(&flows[i], d.p, &si))
						flows[i].closed = true;
			chain_new(m, base, zc_wbuf_ro(d));
			continue;
		}
		for (i = 0; i < nflows; i++) {
			if (flows[i].chain >= 0 && flow_same(&flows[i], d.p, &si)) {
				fl = &flows[i];
				break;
			}
		}
		if (fl && !fl->closed && zc_tcp_seq(si.tcp) == fl->next_seq && si.pay <= fl->mss &&
		    m->chain[fl->chain].len + si.pay <= ZCTUN_MAX_PKT && flow_match(fl, d.p, &si)) {
			chain_append(m, fl->chain, base, zc_tcp_payload(si.tcp));
			fl->next_seq += (uint32_t)si.pay;
			fl->push = zc_tcp_flags(si.tcp) & ZC_TCP_PSH;
			fl->closed = si.pay < fl->mss || fl->push;
			continue;
		}
		/* A new chain; it takes over the flow's slot, or a free one, or the oldest. */
		if (!fl) {
			if (nflows < OPEN_FLOWS) {
				fl = &flows[nflows++];
				fl->chain = -1;
			} else {
				fl = &flows[victim];
				victim = (victim + 1) % OPEN_FLOWS;
			}
		}
		if (fl->chain >= 0 && m->chain[fl->chain].nsegs > 1)
			chain_finish(fl, &m->chain[fl->chain]);
		fl->chain = chain_new(m, base, zc_wbuf_ro(d));
		fl->ip = d.p;
		fl->ip_len = (uint16_t)d.len;
		fl->v6 = si.v6;
		fl->ip_hlen = si.ip_hlen;
		fl->tcp_hlen = (uint16_t)zc_tcp_hdr_len(si.tcp);
		fl->mss = (uint16_t)si.pay;
		fl->next_seq = zc_tcp_seq(si.tcp) + (uint32_t)si.pay;
		fl->push = zc_tcp_flags(si.tcp) & ZC_TCP_PSH;
		fl->closed = fl->push != 0;
	}
	for (i = 0; i < nflows; i++)
		if (flows[i].chain >= 0 && m->chain[flows[i].chain].nsegs > 1)
			chain_finish(&flows[i], &m->chain[flows[i].chain]);
}
