/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/coalesce.c - UDP -> TUN: the datagrams of one receive,
 * checked with views and chained into packets for the TUN, TCP segments or
 * UDP datagrams of one flow merged into a super-packet.
 *
 * A merged packet is never copied together: its chain lists the first
 * segment whole and then only the payload of each later one, where they lie
 * in the receive buffer, and the writer hands the chain to writev() behind a
 * virtio_net_hdr that tells the kernel the segment size (gso_size). Only the
 * first segment's headers are edited (lengths, IPv4 checksum, TCP or UDP
 * checksum turned into a partial one: VIRTIO_NET_HDR_F_NEEDS_CSUM).
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
 * UDP datagrams (only when the TUN took TUN_F_USO4 and TUN_F_USO6) are
 * merged by the rules of udp_gro_receive_segment(): the same IP fields as
 * above, the same ports, a UDP length that is exactly the datagram's (no
 * padding), over IPv6 a checksum that is not 0, a payload of at least one
 * byte, every payload the first one's size but the last, which may be
 * shorter and ends the chain, and at most ZCTUN_USO_MAX_SEGS datagrams. The merged packet goes to the TUN as
 * VIRTIO_NET_HDR_GSO_UDP_L4 with gso_size the payload size, which the kernel
 * cuts back into the same datagrams (__udp_gso_segment()) wherever it must.
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
	uint8_t proto;     /* ZC_IPPROTO_TCP or ZC_IPPROTO_UDP */
	uint16_t ip_hlen;
	uint16_t l4_hlen;  /* TCP header with options, or the UDP header */
	uint16_t mss;      /* payload of the first segment */
	uint32_t next_seq; /* TCP: sequence number the next segment must carry */
	bool closed;       /* a short segment or PSH ended it */
	uint8_t push;      /* TCP: PSH seen on the last segment merged */
} flow;

/* A datagram that parsed, as the merge sees it. */
typedef struct seg_info {
	bool v6;
	bool mergeable;    /* a segment the rules above let into a chain */
	bool l4_ok;        /* a TCP segment or UDP datagram that parsed */
	uint8_t proto;     /* ZC_IPPROTO_TCP or ZC_IPPROTO_UDP when l4_ok */
	uint16_t ip_hlen;
	uint16_t l4_hlen;
	const uint8_t *l4; /* the transport header */
	zc_buf pay;        /* the transport payload */
	zc_tcp tcp;        /* when proto is TCP */
} seg_info;

/* The datagram must be exactly one IP packet, a TCP or UDP one examined further. */
static bool seg_parse(const zctun *t, zctun_stats *st, zc_buf d, seg_info *si)
{
	zc_buf l4;
	uint8_t proto;

	memset(si, 0, sizeof *si);
	if (d.len < ZC_IPV4_MIN_HDR_LEN) {
		ZCTUN_INC(st, drop_short);
		return false;
	}
	if (d.p[0] >> 4 == 4) {
		zc_ipv4 ip;
		zc_err e = zc_ipv4_parse(d, &ip);

		if (e != ZC_OK) {
			if (e == ZC_E_TRUNCATED)
				ZCTUN_INC(st, drop_bad_len);
			else
				ZCTUN_INC(st, drop_bad_ip);
			return false;
		}
		if (zc_ipv4_total_len(ip) != d.len) {
			ZCTUN_INC(st, drop_bad_len);
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
				ZCTUN_INC(st, drop_bad_len);
			else
				ZCTUN_INC(st, drop_bad_ip);
			return false;
		}
		if (ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip) != d.len) {
			ZCTUN_INC(st, drop_bad_len);
			return false;
		}
		if (zc_ipv6_hdr_len(ip) != ZC_IPV6_HDR_LEN)
			return true;
		si->v6 = true;
		si->ip_hlen = ZC_IPV6_HDR_LEN;
		proto = zc_ipv6_proto(ip);
		l4 = zc_ipv6_payload(ip);
	} else {
		ZCTUN_INC(st, drop_bad_ip);
		return false;
	}
	/* Anything else is passed on as it is; the kernel judges it. */
	if (proto == ZC_IPPROTO_TCP) {
		uint8_t f;

		if (zc_tcp_parse(l4, &si->tcp) != ZC_OK)
			return true;
		f = zc_tcp_flags(si->tcp);
		si->l4_hlen = (uint16_t)zc_tcp_hdr_len(si->tcp);
		si->pay = zc_tcp_payload(si->tcp);
		si->mergeable = t->coalesce && si->pay.len > 0 && (f & ZC_TCP_ACK) &&
				!(f & (ZC_TCP_SYN | ZC_TCP_FIN | ZC_TCP_RST | ZC_TCP_URG | ZC_TCP_CWR));
	} else if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;

		if (zc_udp_parse(l4, &u) != ZC_OK)
			return true;
		si->l4_hlen = ZC_UDP_HDR_LEN;
		si->pay = zc_udp_payload(u);
		/*
		 * Bytes after the UDP length would land inside the merged payload.
		 * Over IPv6 a checksum of 0 is invalid (RFC 8200 section 8.1): such
		 * a datagram goes alone, for the kernel to drop, not into a
		 * super-packet whose checksum the kernel would compute.
		 */
		si->mergeable = t->coalesce_udp && si->pay.len > 0 && zc_udp_length(u) == l4.len &&
				(!si->v6 || zc_udp_csum(u) != 0);
	} else {
		return true;
	}
	si->l4_ok = true;
	si->proto = proto;
	si->l4 = l4.p;
	return true;
}

/* True when the segment at ip (described by si) may follow flow fl's chain. */
static bool flow_match(const flow *fl, const uint8_t *ip, const seg_info *si)
{
	const uint8_t *a = fl->ip, *b = ip;
	const uint8_t *ta = a + fl->ip_hlen, *tb = si->l4;

	if (fl->v6 != si->v6 || fl->proto != si->proto || fl->l4_hlen != si->l4_hlen)
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
	/* Ports, the same place in TCP and UDP. */
	if (memcmp(ta, tb, 4) != 0)
		return false;
	if (fl->proto == ZC_IPPROTO_UDP)
		return true;
	/* The acknowledgment number; data offset and flags but PSH; options. */
	return memcmp(ta + ZC_TCP_ACK_OFF, tb + ZC_TCP_ACK_OFF, 4) == 0 &&
	       ta[ZC_TCP_DOFF_OFF] == tb[ZC_TCP_DOFF_OFF] &&
	       (ta[ZC_TCP_FLAGS_OFF] & ~ZC_TCP_PSH) == (tb[ZC_TCP_FLAGS_OFF] & ~ZC_TCP_PSH) &&
	       memcmp(ta + ZC_TCP_MIN_HDR_LEN, tb + ZC_TCP_MIN_HDR_LEN, fl->l4_hlen - ZC_TCP_MIN_HDR_LEN) == 0;
}

/* Same flow (protocol, addresses and ports) at all, merge or not. */
static bool flow_same(const flow *fl, const uint8_t *ip, const seg_info *si)
{
	if (fl->v6 != si->v6 || fl->proto != si->proto)
		return false;
	if (!fl->v6 ? memcmp(fl->ip + ZC_IPV4_SRC_OFF, ip + ZC_IPV4_SRC_OFF, 8) != 0
		    : memcmp(fl->ip + ZC_IPV6_SRC_OFF, ip + ZC_IPV6_SRC_OFF, 32) != 0)
		return false;
	return memcmp(fl->ip + fl->ip_hlen, si->l4, 4) == 0;
}

/* True when the segment si may be appended to fl's chain c. */
static bool flow_takes(const flow *fl, const zctun_chain *c, const uint8_t *ip, const seg_info *si)
{
	if (fl->closed || si->pay.len > fl->mss || c->len + si->pay.len > ZCTUN_MAX_PKT)
		return false;
	if (si->proto == ZC_IPPROTO_TCP && zc_tcp_seq(si->tcp) != fl->next_seq)
		return false;
	if (si->proto == ZC_IPPROTO_UDP && c->nsegs >= ZCTUN_USO_MAX_SEGS)
		return false;
	return flow_match(fl, ip, si);
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
 * first headers, the IPv4 header checksum, PSH when the last TCP segment had
 * it, the TCP or UDP checksum field holding the pseudo-header sum, and the
 * virtio header.
 */
static void chain_finish(const flow *fl, zctun_chain *c)
{
	zc_wbuf first = zc_wbuf_make(fl->ip, fl->ip_len), l4;
	uint32_t l4len = c->len - fl->ip_hlen;
	uint32_t pseudo;
	zc_vnet vh;

	/* The first segment parsed as one whole IP packet when it opened the chain. */
	if (!fl->v6) {
		zc_ipv4_rw v;

		if (zc_ipv4_parse_rw(first, &v) != ZC_OK || zc_ipv4_set_total_len(&v, c->len) != ZC_OK)
			abort();
		zc_ipv4_csum_fill(v);
		pseudo = zc_ipv4_pseudo(zc_ipv4_ro(v), l4len);
		l4 = zc_ipv4_payload_rw(v);
	} else {
		zc_ipv6_rw v;

		if (zc_ipv6_parse_rw(first, &v) != ZC_OK || zc_ipv6_set_payload_len(&v, l4len) != ZC_OK)
			abort();
		pseudo = zc_ipv6_pseudo(zc_ipv6_ro(v), l4len);
		l4 = zc_ipv6_payload_rw(v);
	}
	memset(&vh, 0, sizeof vh);
	if (fl->proto == ZC_IPPROTO_TCP) {
		zc_tcp_rw h;

		if (zc_tcp_parse_rw(l4, &h) != ZC_OK)
			abort();
		if (fl->push)
			zc_tcp_set_flags(h, zc_tcp_flags(zc_tcp_ro(h)) | ZC_TCP_PSH);
		zc_tcp_csum_partial_fill(h, pseudo);
		vh.gso_type = fl->v6 ? ZC_VNET_GSO_TCPV6 : ZC_VNET_GSO_TCPV4;
		vh.csum_offset = ZC_TCP_CSUM_OFF;
	} else {
		zc_udp_rw h;

		if (zc_udp_parse_rw(l4, &h) != ZC_OK || zc_udp_set_len(&h, l4len) != ZC_OK)
			abort();
		zc_udp_csum_partial_fill(h, pseudo);
		vh.gso_type = ZC_VNET_GSO_UDP_L4;
		vh.csum_offset = ZC_UDP_CSUM_OFF;
	}
	vh.flags = ZC_VNET_F_NEEDS_CSUM;
	vh.hdr_len = (uint16_t)(fl->ip_hlen + fl->l4_hlen);
	vh.gso_size = fl->mss;
	vh.csum_start = fl->ip_hlen;
	zc_vnet_store(&vh, c->vnet);
}

void zctun_coalesce(zctun *t, zctun_stats *st, const zctun_addr *from, zctun_rxmeta *m, uint8_t *base,
		    size_t off, size_t len, size_t seg)
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

		ZCTUN_INC(st, udp_rx_packets);
		ZCTUN_ADD(st, udp_rx_bytes, d.len);
		if (m->nsegs >= ZCTUN_MAX_SEGS) {
			/* More datagrams in one receive than UDP GRO ever builds. */
			ZCTUN_INC(st, drop_oversized);
			continue;
		}
		if (t->xf.decap) {
			int r = t->xf.decap(t->xf.ctx, &d, from, st);

			if (r < 0)
				ZCTUN_INC(st, drop_xform);
			if (r != 0)
				continue;
		}
		if (!seg_parse(t, st, zc_wbuf_ro(d), &si))
			continue;
		if (!si.mergeable) {
			/* Whatever else it is, a segment of an open flow ends that flow's chain. */
			if (si.l4_ok)
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
		if (fl && flow_takes(fl, &m->chain[fl->chain], d.p, &si)) {
			chain_append(m, fl->chain, base, si.pay);
			if (si.proto == ZC_IPPROTO_TCP) {
				fl->next_seq += (uint32_t)si.pay.len;
				fl->push = zc_tcp_flags(si.tcp) & ZC_TCP_PSH;
			}
			fl->closed = si.pay.len < fl->mss || fl->push;
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
		fl->proto = si.proto;
		fl->ip_hlen = si.ip_hlen;
		fl->l4_hlen = si.l4_hlen;
		fl->mss = (uint16_t)si.pay.len;
		fl->next_seq = 0;
		fl->push = 0;
		if (si.proto == ZC_IPPROTO_TCP) {
			fl->next_seq = zc_tcp_seq(si.tcp) + (uint32_t)si.pay.len;
			fl->push = zc_tcp_flags(si.tcp) & ZC_TCP_PSH;
		}
		fl->closed = fl->push != 0;
	}
	for (i = 0; i < nflows; i++)
		if (flows[i].chain >= 0 && m->chain[flows[i].chain].nsegs > 1)
			chain_finish(&flows[i], &m->chain[flows[i].chain]);
}
