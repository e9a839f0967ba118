/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/split.c - one TUN read cut into wire-sized segments, with
 * views, straight into the send batch.
 *
 * With TSO and USO on (tun.c), the kernel hands the TUN up to 64 KiB of one
 * TCP or UDP flow at once, behind a virtio_net_hdr that gives the segment
 * size (gso_size). Each segment is built once, in its final place in the
 * batch: the headers of the super-packet, then its share of the payload, the
 * only copy of the payload this side makes. Then the views fix up what
 * differs per segment, as the kernel's own TCP and UDP segmentation does
 * (tcp_gso_segment(), __udp_gso_segment()):
 * - IPv4: total length, identification (+1 per segment), header checksum;
 *   IPv6: payload length.
 * - TCP: sequence number; FIN and PSH on the last segment only, CWR on the
 *   first only (RFC 3168 section 6.1.2: CWR is set once per window
 *   reduction); the checksum, computed whole.
 * - UDP: length and checksum.
 * A packet that is not a super-packet but carries a partial checksum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM: the TUN took TUN_F_CSUM) gets it completed.
 */
#include "config.h"

#include <string.h>

#include "zctun.h"

/* Runs the transform on a datagram built in the batch and adds it. */
static void emit(zctun *t, uint8_t *slot, size_t len, size_t cap)
{
	zctun_addr dst;
	const zctun_addr *to = NULL;

	if (t->xf.encap) {
		ssize_t r;

		dst.len = 0;
		r = t->xf.encap(t->xf.ctx, slot, t->xf.headroom, len, cap, &dst);
		if (r < 0 || (size_t)r > cap) {
			if (r != ZCTUN_XF_DROPPED)
				ZCTUN_INC(&t->st_tx, drop_xform);
			return;
		}
		len = (size_t)r;
		if (dst.len)
			to = &dst;
	} else if (t->xf.headroom) {
		memmove(slot, slot + t->xf.headroom, len);
	}
	zctun_batch_commit(t, len, to);
}

/* The headers every segment repeats, from the super-packet's views. */
typedef struct split_hdrs {
	bool v6;
	bool tcp;
	size_t ip_hlen;     /* IP header, extension headers included */
	size_t hlen;        /* IP and TCP or UDP headers */
	size_t total;       /* bytes of the super-packet */
	uint16_t id;        /* IPv4 identification of the first segment */
	uint32_t seq;       /* TCP sequence number of the first segment */
	uint8_t flags;      /* TCP flags of the super-packet */
} split_hdrs;

/*
 * Parses the super-packet with views: an IP header (any extension headers
 * walked), then the TCP or UDP header the virtio header announces.
 */
static bool split_parse(const zc_vnet *vh, uint8_t *pkt, size_t len, split_hdrs *h)
{
	zc_buf b = zc_buf_make(pkt, len);
	zc_buf l4;
	uint8_t proto;
	unsigned type = vh->gso_type & (unsigned)~ZC_VNET_GSO_ECN;

	memset(h, 0, sizeof *h);
	if (len < 1)
		return false;
	if (pkt[0] >> 4 == 4) {
		zc_ipv4 ip;

		if (zc_ipv4_parse(b, &ip) != ZC_OK || zc_ipv4_is_fragment(ip))
			return false;
		if (type != ZC_VNET_GSO_TCPV4 && type != ZC_VNET_GSO_UDP_L4)
			return false;
		h->ip_hlen = zc_ipv4_hdr_len(ip);
		h->total = zc_ipv4_total_len(ip);
		h->id = zc_ipv4_id(ip);
		proto = zc_ipv4_proto(ip);
		l4 = zc_ipv4_payload(ip);
	} else if (pkt[0] >> 4 == 6) {
		zc_ipv6 ip;

		if (zc_ipv6_parse(b, &ip) != ZC_OK || zc_ipv6_is_fragment(ip))
			return false;
		if (type != ZC_VNET_GSO_TCPV6 && type != ZC_VNET_GSO_UDP_L4)
			return false;
		h->v6 = true;
		h->ip_hlen = zc_ipv6_hdr_len(ip);
		h->total = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip);
		proto = zc_ipv6_proto(ip);
		l4 = zc_ipv6_payload(ip);
	} else {
		return false;
	}
	if (type == ZC_VNET_GSO_UDP_L4) {
		/* The UDP length of a super-packet is not the segments': only the header must be there. */
		if (proto != ZC_IPPROTO_UDP || l4.len < ZC_UDP_HDR_LEN)
			return false;
		h->hlen = h->ip_hlen + ZC_UDP_HDR_LEN;
	} else {
		zc_tcp tcp;

		if (proto != ZC_IPPROTO_TCP || zc_tcp_parse(l4, &tcp) != ZC_OK)
			return false;
		h->tcp = true;
		h->hlen = h->ip_hlen + zc_tcp_hdr_len(tcp);
		h->seq = zc_tcp_seq(tcp);
		h->flags = zc_tcp_flags(tcp);
	}
	return h->total >= h->hlen;
}

/*
 * Fixes the headers of segment i (pay payload bytes, last or not) at d. The
 * headers were copied from the super-packet and still carry its lengths:
 * parsed lax, they cover the segment's bytes, and the setters put the
 * segment's lengths in. False when they do not parse.
 */
static bool split_fix(const split_hdrs *h, uint8_t *d, size_t pay, unsigned i, uint32_t seq_off, bool last)
{
	size_t dlen = h->hlen + pay;
	size_t l4len = dlen - h->ip_hlen;
	zc_wbuf seg = zc_wbuf_make(d, dlen), l4;
	uint32_t pseudo;

	if (!h->v6) {
		zc_ipv4_rw ip;

		if (zc_ipv4_parse_lax_rw(seg, &ip) != ZC_OK || zc_ipv4_set_total_len(&ip, dlen) != ZC_OK)
			return false;
		zc_ipv4_set_id(ip, (uint16_t)(h->id + i));
		zc_ipv4_csum_fill(ip);
		pseudo = zc_ipv4_pseudo(zc_ipv4_ro(ip), l4len);
		l4 = zc_ipv4_payload_rw(ip);
	} else {
		zc_ipv6_rw ip;

		if (zc_ipv6_parse_lax_rw(seg, &ip) != ZC_OK ||
		    zc_ipv6_set_payload_len(&ip, dlen - ZC_IPV6_HDR_LEN) != ZC_OK)
			return false;
		pseudo = zc_ipv6_pseudo(zc_ipv6_ro(ip), l4len);
		l4 = zc_ipv6_payload_rw(ip);
	}
	if (h->tcp) {
		zc_tcp_rw tcp;
		uint8_t f = h->flags;

		if (zc_tcp_parse_rw(l4, &tcp) != ZC_OK)
			return false;
		if (!last)
			f &= (uint8_t)~(ZC_TCP_FIN | ZC_TCP_PSH);
		if (i > 0)
			f &= (uint8_t)~ZC_TCP_CWR;
		zc_tcp_set_seq(tcp, h->seq + seq_off);
		zc_tcp_set_flags(tcp, f);
		zc_tcp_csum_fill(tcp, pseudo);
	} else {
		zc_udp_rw udp;

		if (zc_udp_parse_lax_rw(l4, &udp) != ZC_OK || zc_udp_set_len(&udp, l4len) != ZC_OK)
			return false;
		zc_udp_csum_fill(udp, pseudo);
	}
	return true;
}

static void split_gso(zctun *t, const zc_vnet *vh, uint8_t *pkt, size_t len)
{
	split_hdrs h;
	size_t mss = vh->gso_size, off, room = t->xf.headroom + t->xf.tailroom;
	unsigned i;

	if (!split_parse(vh, pkt, len, &h) || mss == 0 || h.total == h.hlen) {
		ZCTUN_INC(&t->st_tx, drop_tun_bad);
		return;
	}
	ZCTUN_INC(&t->st_tx, tun_rx_gso);
	for (off = h.hlen, i = 0; off < h.total; off += mss, i++) {
		size_t pay = h.total - off < mss ? h.total - off : mss;
		size_t cap = room + h.hlen + pay;
		uint8_t *slot = zctun_batch_reserve(t, cap);
		uint8_t *d = slot + t->xf.headroom;

		memcpy(d, pkt, h.hlen);
		memcpy(d + h.hlen, pkt + off, pay);
		if (!split_fix(&h, d, pay, i, (uint32_t)(off - h.hlen), off + pay >= h.total)) {
			ZCTUN_INC(&t->st_tx, drop_tun_bad);
			return;
		}
		emit(t, slot, h.hlen + pay, cap);
	}
}

/* True when pkt holds one whole IPv4 or IPv6 packet of exactly len bytes. */
static bool ip_packet_ok(uint8_t *pkt, size_t len)
{
	zc_buf b = zc_buf_make(pkt, len);

	if (len >= 1 && pkt[0] >> 4 == 4) {
		zc_ipv4 ip;

		return zc_ipv4_parse(b, &ip) == ZC_OK && zc_ipv4_total_len(ip) == len;
	}
	if (len >= 1 && pkt[0] >> 4 == 6) {
		zc_ipv6 ip;

		return zc_ipv6_parse(b, &ip) == ZC_OK && ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip) == len;
	}
	return false;
}

void zctun_split(zctun *t, const zc_vnet *vh, uint8_t *pkt, size_t len)
{
	size_t cap;
	uint8_t *slot;

	ZCTUN_INC(&t->st_tx, tun_rx_packets);
	ZCTUN_ADD(&t->st_tx, tun_rx_bytes, len);
	if (vh && vh->gso_type != ZC_VNET_GSO_NONE) {
		split_gso(t, vh, pkt, len);
		return;
	}
	if (!ip_packet_ok(pkt, len))
		goto bad;
	if (vh && (vh->flags & ZC_VNET_F_NEEDS_CSUM)) {
		if (!zc_vnet_csum_complete(pkt, len, vh->csum_start, vh->csum_offset))
			goto bad;
		ZCTUN_INC(&t->st_tx, tun_rx_csum_done);
	}
	cap = t->xf.headroom + len + t->xf.tailroom;
	slot = zctun_batch_reserve(t, cap);
	memcpy(slot + t->xf.headroom, pkt, len);
	emit(t, slot, len, cap);
	return;

bad:
	ZCTUN_INC(&t->st_tx, drop_tun_bad);
}
