/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/selftest.c - zctun's data-path pieces without a kernel:
 * super-packets split into segments (split.c) and merged back (coalesce.c),
 * checked with views, and random bytes thrown at both. Runs in make check
 * as any user; tests/zctun.sh covers the rest in network namespaces.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zctun.h"

static int passes, fails;

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (cond) {                                                              \
			passes++;                                                        \
		} else {                                                                 \
			fails++;                                                         \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);                      \
			printf(__VA_ARGS__);                                             \
			printf("\n");                                                    \
		}                                                                        \
	} while (0)

static zctun T;
static uint8_t pkt[ZCTUN_MAX_PKT + 64];
/* Room for more than 64 KiB of datagrams, to see the super-packet's bound. */
static uint8_t rxbuf[sizeof(zctun_rxmeta) + 2 * ZCTUN_MAX_PKT];

static void reset(void)
{
	static uint8_t *batch;

	if (!batch)
		batch = malloc(ZCTUN_BATCH_BYTES);
	memset(&T, 0, sizeof T);
	T.batch.buf = batch;
	T.udp.fd = -1; /* a flush would fail and count: the tests never fill the batch */
	T.udp.gso = true;
	T.tun.vnet = true;
	T.coalesce = true;
	T.coalesce_udp = true;
	T.xf = zctun_xform_identity;
}

static const uint8_t src4[4] = { 10, 0, 0, 1 }, dst4[4] = { 10, 0, 0, 2 };
static const uint8_t src6[16] = { 0xfd, 0, [15] = 1 }, dst6[16] = { 0xfd, 0, [15] = 2 };

/*
 * A super-packet as a TUN with TSO hands it over: IP header, TCP header with
 * a timestamp option (or UDP header), pay bytes of pattern, the transport
 * checksum field holding the pseudo-header sum (NEEDS_CSUM).
 */
static size_t build(bool v6, bool tcp, uint8_t flags, size_t pay, zc_vnet *vh, unsigned mss)
{
	size_t ih = v6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN, th = tcp ? 32 : ZC_UDP_HDR_LEN;
	size_t len = ih + th + pay, i;
	uint8_t *l4 = pkt + ih;
	uint32_t pseudo;

	memset(pkt, 0, ih + th);
	if (!v6) {
		zc_ipv4_rw ip;

		pkt[0] = 0x45;
		zc_store_be16(pkt + ZC_IPV4_TOTLEN_OFF, (uint16_t)len);
		zc_store_be16(pkt + ZC_IPV4_ID_OFF, 0x1234);
		zc_store_be16(pkt + ZC_IPV4_FRAG_OFF, ZC_IPV4_F_DF);
		pkt[ZC_IPV4_TTL_OFF] = 64;
		pkt[ZC_IPV4_PROTO_OFF] = tcp ? ZC_IPPROTO_TCP : ZC_IPPROTO_UDP;
		memcpy(pkt + ZC_IPV4_SRC_OFF, src4, 4);
		memcpy(pkt + ZC_IPV4_DST_OFF, dst4, 4);
		if (zc_ipv4_parse_rw(zc_wbuf_make(pkt, len), &ip) != ZC_OK)
			abort();
		zc_ipv4_csum_fill(ip);
		pseudo = zc_ipv4_pseudo(zc_ipv4_ro(ip), len - ih);
	} else {
		pkt[0] = 0x60;
		zc_store_be16(pkt + ZC_IPV6_PLEN_OFF, (uint16_t)(len - ih));
		pkt[ZC_IPV6_NXT_OFF] = tcp ? ZC_IPPROTO_TCP : ZC_IPPROTO_UDP;
		pkt[ZC_IPV6_HLIM_OFF] = 64;
		memcpy(pkt + ZC_IPV6_SRC_OFF, src6, 16);
		memcpy(pkt + ZC_IPV6_DST_OFF, dst6, 16);
		pseudo = zc_csum_pseudo6(src6, dst6, pkt[ZC_IPV6_NXT_OFF], (uint32_t)(len - ih));
	}
	zc_store_be16(l4, 40000);
	zc_store_be16(l4 + 2, 5201);
	if (tcp) {
		zc_store_be32(l4 + ZC_TCP_SEQ_OFF, 0xfffff000u); /* wraps inside the packet */
		zc_store_be32(l4 + ZC_TCP_ACK_OFF, 777);
		l4[ZC_TCP_DOFF_OFF] = 8 << 4;
		l4[ZC_TCP_FLAGS_OFF] = flags;
		zc_store_be16(l4 + ZC_TCP_WIN_OFF, 512);
		l4[20] = 1, l4[21] = 1, l4[22] = 8, l4[23] = 10; /* NOP NOP TS */
		zc_store_be32(l4 + 24, 1000);
		zc_store_be32(l4 + 28, 2000);
		zc_store_be16(l4 + ZC_TCP_CSUM_OFF, (uint16_t)zc_csum_fold(pseudo));
	} else {
		zc_store_be16(l4 + ZC_UDP_LEN_OFF, (uint16_t)(len - ih));
		zc_store_be16(l4 + ZC_UDP_CSUM_OFF, (uint16_t)zc_csum_fold(pseudo));
	}
	for (i = 0; i < pay; i++)
		l4[th + i] = (uint8_t)(i * 31 + 7);
	memset(vh, 0, sizeof *vh);
	vh->flags = ZC_VNET_F_NEEDS_CSUM;
	vh->gso_type = tcp ? (v6 ? ZC_VNET_GSO_TCPV6 : ZC_VNET_GSO_TCPV4) : ZC_VNET_GSO_UDP_L4;
	vh->hdr_len = (uint16_t)(ih + th);
	vh->gso_size = (uint16_t)mss;
	vh->csum_start = (uint16_t)ih;
	vh->csum_offset = tcp ? ZC_TCP_CSUM_OFF : ZC_UDP_CSUM_OFF;
	return len;
}

/* Every datagram of the batch: a valid IP packet with valid checksums, of the expected shape. */
static void check_segments(bool v6, bool tcp, uint8_t flags, size_t pay, unsigned mss)
{
	unsigned r, n = 0, nsegs = (unsigned)((pay + mss - 1) / mss);
	size_t got = 0;

	for (r = 0; r < T.batch.nruns; r++) {
		zctun_run *run = &T.batch.runs[r];
		size_t off;

		for (off = run->off; off < run->off + run->len; off += run->seg, n++) {
			size_t dl = run->off + run->len - off < run->seg ? run->off + run->len - off : run->seg;
			zc_buf d = zc_buf_make(T.batch.buf + off, dl), l4;
			uint32_t pseudo;
			bool last = n == nsegs - 1;

			if (!v6) {
				zc_ipv4 ip;

				CHECK(zc_ipv4_parse(d, &ip) == ZC_OK && zc_ipv4_total_len(ip) == dl, "seg %u: IPv4", n);
				CHECK(zc_ipv4_csum_ok(ip), "seg %u: IPv4 checksum", n);
				CHECK(zc_ipv4_id(ip) == (uint16_t)(0x1234 + n), "seg %u: IPv4 ID", n);
				l4 = zc_ipv4_payload(ip);
				pseudo = zc_ipv4_pseudo(ip, l4.len);
			} else {
				zc_ipv6 ip;

				CHECK(zc_ipv6_parse(d, &ip) == ZC_OK && zc_ipv6_payload_len(ip) + 40 == dl, "seg %u: IPv6", n);
				l4 = zc_ipv6_payload(ip);
				pseudo = zc_ipv6_pseudo(ip, l4.len);
			}
			if (tcp) {
				zc_tcp t;
				uint8_t want = flags;

				CHECK(zc_tcp_parse(l4, &t) == ZC_OK, "seg %u: TCP", n);
				CHECK(zc_tcp_csum_ok(t, pseudo), "seg %u: TCP checksum", n);
				CHECK(zc_tcp_seq(t) == 0xfffff000u + (uint32_t)(n * mss), "seg %u: seq", n);
				if (!last)
					want &= (uint8_t)~(ZC_TCP_FIN | ZC_TCP_PSH);
				if (n > 0)
					want &= (uint8_t)~ZC_TCP_CWR;
				CHECK(zc_tcp_flags(t) == want, "seg %u: flags 0x%x, want 0x%x", n, zc_tcp_flags(t), want);
				got += zc_tcp_payload(t).len;
				CHECK(zc_tcp_payload(t).p[0] == (uint8_t)(n * mss * 31 + 7), "seg %u: payload", n);
			} else {
				zc_udp u;

				CHECK(zc_udp_parse(l4, &u) == ZC_OK && zc_udp_length(u) == l4.len, "seg %u: UDP", n);
				CHECK(zc_udp_csum(u) != 0 &&
					      zc_udp_csum_ok(u, pseudo, v6 ? ZC_UDP_OVER_IPV6 : ZC_UDP_OVER_IPV4),
				      "seg %u: UDP checksum", n);
				got += zc_udp_payload(u).len;
			}
		}
	}
	CHECK(n == nsegs && got == pay, "%u segments of %zu bytes, want %u of %zu", n, got, nsegs, pay);
}

/*
 * Split a super-packet, then coalesce the one GSO run it became, as UDP GRO
 * would deliver it: one chain, byte for byte the original packet.
 */
static void round_trip(bool v6, size_t pay, unsigned mss)
{
	zc_vnet vh, out;
	size_t len = build(v6, true, ZC_TCP_ACK | ZC_TCP_PSH, pay, &vh, mss);
	static uint8_t orig[sizeof pkt];
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta), pos = 0;
	int s;

	memcpy(orig, pkt, len);
	reset();
	zctun_split(&T, &vh, pkt, len);
	check_segments(v6, true, ZC_TCP_ACK | ZC_TCP_PSH, pay, mss);
	CHECK(T.batch.nruns == 1, "one GSO run, got %u", T.batch.nruns);
	memcpy(rxbuf + off, T.batch.buf + T.batch.runs[0].off, T.batch.runs[0].len);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, T.batch.runs[0].len, T.batch.runs[0].seg);
	CHECK(m->nchains == 1 && m->chain[0].len == len, "one chain of %zu bytes: %u chains, first %u bytes",
	      len, m->nchains, m->chain[0].len);
	for (s = m->chain[0].first; s >= 0; s = m->seg[s].next) {
		CHECK(pos + m->seg[s].len <= len && memcmp(orig + pos, rxbuf + m->seg[s].off, m->seg[s].len) == 0,
		      "piece at %zu differs from the original", pos);
		pos += m->seg[s].len;
	}
	CHECK(pos == len, "chain holds %zu bytes, want %zu", pos, len);
	zc_vnet_load(&out, m->chain[0].vnet);
	CHECK(out.gso_type == vh.gso_type && out.gso_size == mss && out.hdr_len == vh.hdr_len &&
	      out.csum_start == vh.csum_start && out.csum_offset == vh.csum_offset &&
	      out.flags == ZC_VNET_F_NEEDS_CSUM, "virtio header");
}

/* Segments that must not merge: a gap, a SYN, another ACK number. */
static void no_merge(void)
{
	zc_vnet vh;
	size_t len = build(false, true, ZC_TCP_ACK, 4000, &vh, 1000);
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta), seg;
	uint8_t *d;

	reset();
	zctun_split(&T, &vh, pkt, len);
	seg = T.batch.runs[0].seg;
	memcpy(rxbuf + off, T.batch.buf, T.batch.runs[0].len);
	/* Drop segment 1 (a gap), give segment 3 another ACK number: 0 | 2 | 3 */
	memmove(rxbuf + off + seg, rxbuf + off + 2 * seg, 2 * seg);
	d = rxbuf + off + 2 * seg + 20;
	zc_store_be32(d + ZC_TCP_ACK_OFF, 778);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, 3 * seg, seg);
	CHECK(m->nchains == 3, "gap and new ACK: 3 chains, got %u", m->nchains);

	reset();
	zctun_split(&T, &vh, pkt, len);
	memcpy(rxbuf + off, T.batch.buf, T.batch.runs[0].len);
	d = rxbuf + off + seg + 20;
	d[ZC_TCP_FLAGS_OFF] |= ZC_TCP_SYN;
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, T.batch.runs[0].len, seg);
	CHECK(m->nchains == 3, "a SYN in the middle: 3 chains, got %u", m->nchains);

	reset();
	T.coalesce = false;
	zctun_split(&T, &vh, pkt, len);
	memcpy(rxbuf + off, T.batch.buf, T.batch.runs[0].len);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, T.batch.runs[0].len, seg);
	CHECK(m->nchains == 4, "coalescing off: 4 chains, got %u", m->nchains);
}

/*
 * Checks chain c as the TUN would take it: the virtio header of a USO
 * super-packet of segments of mss payload bytes (or none for a single
 * datagram), headers that parse with views and say the whole length, and a
 * partial checksum that, completed as the kernel does, verifies. Returns the
 * UDP payload bytes it carries.
 */
static size_t check_uso_chain(const zctun_rxmeta *m, const zctun_chain *c, bool v6, unsigned mss)
{
	static uint8_t lin[ZCTUN_MAX_PKT];
	size_t ih = v6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN, pos = 0;
	zc_vnet vh;
	zc_buf l4;
	zc_udp u;
	uint32_t pseudo;
	int s;

	for (s = c->first; s >= 0; s = m->seg[s].next) {
		if (pos + m->seg[s].len > sizeof lin) {
			CHECK(false, "chain longer than 64 KiB");
			return 0;
		}
		memcpy(lin + pos, rxbuf + m->seg[s].off, m->seg[s].len);
		pos += m->seg[s].len;
	}
	CHECK(pos == c->len, "chain of %zu bytes says %u", pos, c->len);
	zc_vnet_load(&vh, c->vnet);
	if (c->nsegs == 1) {
		CHECK(vh.gso_type == ZC_VNET_GSO_NONE && vh.flags == 0, "a single datagram has no virtio offload");
		return pos - ih - ZC_UDP_HDR_LEN;
	}
	CHECK(vh.gso_type == ZC_VNET_GSO_UDP_L4 && vh.flags == ZC_VNET_F_NEEDS_CSUM &&
	      vh.gso_size == mss && vh.hdr_len == ih + ZC_UDP_HDR_LEN && vh.csum_start == ih &&
	      vh.csum_offset == ZC_UDP_CSUM_OFF,
	      "USO virtio header: type %u flags %u size %u hdr %u start %u off %u", vh.gso_type, vh.flags,
	      vh.gso_size, vh.hdr_len, vh.csum_start, vh.csum_offset);
	CHECK(c->len - ih - ZC_UDP_HDR_LEN <= (size_t)mss * c->nsegs &&
	      c->len - ih - ZC_UDP_HDR_LEN > (size_t)mss * (c->nsegs - 1u), "%u segments of %u in %u bytes",
	      c->nsegs, mss, c->len);
	CHECK(c->nsegs <= ZCTUN_USO_MAX_SEGS && c->len <= ZCTUN_MAX_PKT, "within the kernel's bounds");
	if (!v6) {
		zc_ipv4 ip;

		if (zc_ipv4_parse(zc_buf_make(lin, pos), &ip) != ZC_OK || zc_ipv4_total_len(ip) != pos) {
			CHECK(false, "merged IPv4 header");
			return 0;
		}
		CHECK(zc_ipv4_csum_ok(ip), "merged IPv4 header checksum");
		l4 = zc_ipv4_payload(ip);
		pseudo = zc_ipv4_pseudo(ip, l4.len);
	} else {
		zc_ipv6 ip;

		if (zc_ipv6_parse(zc_buf_make(lin, pos), &ip) != ZC_OK || zc_ipv6_payload_len(ip) + ih != pos) {
			CHECK(false, "merged IPv6 header");
			return 0;
		}
		l4 = zc_ipv6_payload(ip);
		pseudo = zc_ipv6_pseudo(ip, l4.len);
	}
	if (zc_udp_parse(l4, &u) != ZC_OK || zc_udp_length(u) != l4.len) {
		CHECK(false, "merged UDP length");
		return 0;
	}
	CHECK(zc_udp_csum(u) == (uint16_t)zc_csum_fold(pseudo), "UDP checksum field holds the pseudo-header sum");
	CHECK(zc_vnet_csum_complete(lin, pos, vh.csum_start, vh.csum_offset) &&
	      zc_udp_csum_ok(u, pseudo, v6 ? ZC_UDP_OVER_IPV6 : ZC_UDP_OVER_IPV4), "completed UDP checksum");
	return zc_udp_payload(u).len;
}

/*
 * A UDP super-packet split and its GSO run merged again: one USO chain,
 * byte for byte the super-packet the TUN handed over.
 */
static void uso_round_trip(bool v6, size_t pay, unsigned mss)
{
	zc_vnet vh;
	size_t len = build(v6, false, 0, pay, &vh, mss);
	static uint8_t orig[sizeof pkt];
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta), pos = 0;
	int s;

	memcpy(orig, pkt, len);
	reset();
	zctun_split(&T, &vh, pkt, len);
	CHECK(T.batch.nruns == 1, "one GSO run, got %u", T.batch.nruns);
	memcpy(rxbuf + off, T.batch.buf + T.batch.runs[0].off, T.batch.runs[0].len);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, T.batch.runs[0].len, T.batch.runs[0].seg);
	CHECK(m->nchains == 1 && m->chain[0].len == len && m->chain[0].nsegs == (pay + mss - 1) / mss,
	      "UDP: one chain of %zu bytes: %u chains, first %u bytes", len, m->nchains, m->chain[0].len);
	for (s = m->chain[0].first; s >= 0; s = m->seg[s].next) {
		CHECK(pos + m->seg[s].len <= len && memcmp(orig + pos, rxbuf + m->seg[s].off, m->seg[s].len) == 0,
		      "UDP: piece at %zu differs from the original", pos);
		pos += m->seg[s].len;
	}
	CHECK(check_uso_chain(m, &m->chain[0], v6, mss) == pay, "UDP: payload carried whole");
}

/* Datagrams of pay payload bytes, one per slot of stride bytes, as a transform that trims leaves them. */
static size_t put_dgram(size_t at, bool v6, size_t pay)
{
	zc_vnet vh;
	size_t len = build(v6, false, 0, pay, &vh, 0);

	memcpy(rxbuf + sizeof(zctun_rxmeta) + at, pkt, len);
	return len;
}

/* The inverse transform of a test: the datagram is trimmed to its inner IPv4 packet. */
static int trim_decap(void *ctx, zc_wbuf *d, const zctun_addr *from, zctun_stats *st)
{
	(void)ctx;
	(void)from;
	(void)st;
	if (d->len >= ZC_IPV4_MIN_HDR_LEN && zc_load_be16(d->p + ZC_IPV4_TOTLEN_OFF) <= d->len)
		d->len = zc_load_be16(d->p + ZC_IPV4_TOTLEN_OFF);
	return 0;
}

/* Datagrams that must not merge, and the bound of 64 KiB. */
static void uso_no_merge(void)
{
	zc_vnet vh;
	size_t len = build(false, false, 0, 4 * 1000, &vh, 1000);
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta), seg, run, got;
	uint8_t *d;
	unsigned c;

	reset();
	zctun_split(&T, &vh, pkt, len);
	seg = T.batch.runs[0].seg;
	run = T.batch.runs[0].len;

	/* Another destination port on datagram 1: another flow; 0, 2, 3 still merge. */
	memcpy(rxbuf + off, T.batch.buf, run);
	d = rxbuf + off + seg + ZC_IPV4_MIN_HDR_LEN;
	zc_store_be16(d + ZC_UDP_DPORT_OFF, 5202);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
	CHECK(m->nchains == 2 && m->chain[0].nsegs == 3 && m->chain[1].nsegs == 1,
	      "UDP, another port: chains of 3 and 1, got %u chains", m->nchains);
	if (m->nchains == 2)
		CHECK(check_uso_chain(m, &m->chain[0], false, 1000) == 3000 &&
		      check_uso_chain(m, &m->chain[1], false, 1000) == 1000, "UDP, another port: payloads");

	/* Another TTL on datagram 1: the same flow, but its chain ends there. */
	memcpy(rxbuf + off, T.batch.buf, run);
	rxbuf[off + seg + ZC_IPV4_TTL_OFF] = 63;
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
	CHECK(m->nchains == 3 && m->chain[2].nsegs == 2, "UDP, another TTL: 3 chains, got %u", m->nchains);

	/* Another source address, another TOS, IPv4 options-free but DF cleared: no merge. */
	memcpy(rxbuf + off, T.batch.buf, run);
	rxbuf[off + seg + ZC_IPV4_SRC_OFF + 3] = 9;
	rxbuf[off + 2 * seg + ZC_IPV4_TOS_OFF] = 0x10;
	rxbuf[off + 3 * seg + ZC_IPV4_FRAG_OFF] = 0;
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
	CHECK(m->nchains == 4, "UDP, other source, TOS, DF: 4 chains, got %u", m->nchains);

	/* A UDP length short of the IP payload (padding): passed on alone. */
	memcpy(rxbuf + off, T.batch.buf, run);
	d = rxbuf + off + 2 * seg + ZC_IPV4_MIN_HDR_LEN;
	zc_store_be16(d + ZC_UDP_LEN_OFF, 1000);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
	CHECK(m->nchains == 3 && m->chain[0].nsegs == 2 && m->chain[1].nsegs == 1 && m->chain[2].nsegs == 1,
	      "UDP, padded datagram: chains of 2, 1, 1, got %u", m->nchains);

	/* Over IPv6, a checksum of 0 (invalid) on datagram 1: it goes alone, the chain ends. */
	{
		size_t len6 = build(true, false, 0, 4 * 1000, &vh, 1000), seg6, run6;

		reset();
		zctun_split(&T, &vh, pkt, len6);
		seg6 = T.batch.runs[0].seg;
		run6 = T.batch.runs[0].len;
		memcpy(rxbuf + off, T.batch.buf, run6);
		zc_store_be16(rxbuf + off + seg6 + ZC_IPV6_HDR_LEN + ZC_UDP_CSUM_OFF, 0);
		zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run6, seg6);
		CHECK(m->nchains == 3 && m->chain[0].nsegs == 1 && m->chain[1].nsegs == 1 && m->chain[2].nsegs == 2,
		      "UDP over IPv6, a 0 checksum: chains of 1, 1, 2, got %u", m->nchains);
		if (m->nchains == 3)
			CHECK(check_uso_chain(m, &m->chain[2], true, 1000) == 2000, "UDP over IPv6: payloads");
		/* The IPv4 datagrams again, for the cases below. */
		len = build(false, false, 0, 4 * 1000, &vh, 1000);
		reset();
		zctun_split(&T, &vh, pkt, len);
	}

	/* Without USO on the TUN, every datagram alone. */
	memcpy(rxbuf + off, T.batch.buf, run);
	T.coalesce_udp = false;
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
	CHECK(m->nchains == 4, "UDP without USO: 4 chains, got %u", m->nchains);
	for (c = 0; c < m->nchains; c++)
		check_uso_chain(m, &m->chain[c], false, 1000);
	T.coalesce_udp = true;

	/*
	 * Payloads of 1000, 1000, 990, 1000, 1000 in equal slots (a transform
	 * that pads, such as WireGuard's, makes them so): the shorter one ends
	 * the first chain, the next starts another.
	 */
	T.xf.decap = trim_decap;
	seg = 1040;
	put_dgram(0, false, 1000);
	put_dgram(seg, false, 1000);
	put_dgram(2 * seg, false, 990);
	put_dgram(3 * seg, false, 1000);
	put_dgram(4 * seg, false, 1000);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, 5 * seg, seg);
	CHECK(m->nchains == 2 && m->chain[0].nsegs == 3 && m->chain[1].nsegs == 2,
	      "UDP, a shorter one in the middle: chains of 3 and 2, got %u", m->nchains);
	if (m->nchains == 2)
		CHECK(check_uso_chain(m, &m->chain[0], false, 1000) == 2990 &&
		      check_uso_chain(m, &m->chain[1], false, 1000) == 2000, "UDP, shorter one: payloads");
	/*
	 * 1000, 1000, 1001, 1000, 1000: the longer one starts a chain of its
	 * own size, which the next, shorter, ends.
	 */
	put_dgram(0, false, 1000);
	put_dgram(seg, false, 1000);
	put_dgram(2 * seg, false, 1001);
	put_dgram(3 * seg, false, 1000);
	put_dgram(4 * seg, false, 1000);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, 5 * seg, seg);
	CHECK(m->nchains == 3 && m->chain[0].nsegs == 2 && m->chain[1].nsegs == 2 && m->chain[2].nsegs == 1,
	      "UDP, a longer one: chains of 2, 2, 1, got %u", m->nchains);
	T.xf = zctun_xform_identity;

	/* 56 datagrams of 1400 bytes, 78,400 in all: two chains, each within 64 KiB. */
	len = build(false, false, 0, 28 * 1400, &vh, 1400);
	reset();
	zctun_split(&T, &vh, pkt, len);
	seg = T.batch.runs[0].seg;
	run = T.batch.runs[0].len;
	memcpy(rxbuf + off, T.batch.buf, run);
	memcpy(rxbuf + off + run, T.batch.buf, run);
	zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, 2 * run, seg);
	got = 0;
	for (c = 0; c < m->nchains; c++)
		got += check_uso_chain(m, &m->chain[c], false, 1400);
	CHECK(m->nchains == 2 && m->chain[0].nsegs == (ZCTUN_MAX_PKT - 28) / 1400 && got == 56 * 1400,
	      "UDP past 64 KiB: 2 chains, %zu bytes, got %u chains", (size_t)56 * 1400, m->nchains);
}

/* A single packet with a partial checksum gets it completed. */
static void csum_complete(void)
{
	zc_vnet vh;
	size_t len = build(true, false, 0, 333, &vh, 0);
	zc_ipv6 ip;
	zc_udp u;

	vh.gso_type = ZC_VNET_GSO_NONE;
	vh.gso_size = 0;
	reset();
	zctun_split(&T, &vh, pkt, len);
	CHECK(T.batch.ndgrams == 1, "one datagram");
	CHECK(zc_ipv6_parse(zc_buf_make(T.batch.buf, len), &ip) == ZC_OK &&
	      zc_udp_parse(zc_ipv6_payload(ip), &u) == ZC_OK &&
	      zc_udp_csum_ok(u, zc_ipv6_pseudo(ip, zc_udp_length(u)), ZC_UDP_OVER_IPV6), "completed UDP checksum");
}

/* Random bytes, random virtio headers: counted and dropped, never a crash. */
static void garbage(unsigned rounds)
{
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta);
	unsigned i, j;
	uint64_t dropped;

	srand(7);
	reset();
	for (i = 0; i < rounds; i++) {
		size_t len = (size_t)rand() % 2000, seg = 1 + (size_t)rand() % 1500;
		zc_vnet vh;

		for (j = 0; j < len; j++)
			pkt[j] = (uint8_t)rand();
		/* Half of them start like IP packets, to get past the first checks. */
		if (len && (i & 1))
			pkt[0] = (i & 2) ? 0x45 : 0x60;
		vh.flags = (uint8_t)rand();
		vh.gso_type = (uint8_t)(rand() % 7);
		vh.hdr_len = (uint16_t)rand();
		vh.gso_size = (uint16_t)(rand() % 3 ? rand() % 1500 : 0);
		vh.csum_start = (uint16_t)(rand() % 2100);
		vh.csum_offset = (uint16_t)(rand() % 40);
		zctun_split(&T, &vh, pkt, len);
		memcpy(rxbuf + off, pkt, len);
		if (len) {
			if (seg > len)
				seg = len;
			zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, len, seg);
			for (j = 0; j < m->nchains; j++)
				CHECK(m->chain[j].len <= len, "chain longer than the input");
		}
		if (T.batch.ndgrams > 100) {
			T.batch.used = 0;
			T.batch.nruns = T.batch.ndgrams = 0;
		}
	}
	dropped = T.st_rx.drop_short + T.st_rx.drop_bad_ip + T.st_rx.drop_bad_len;
	CHECK(dropped > rounds / 2, "random datagrams dropped: %llu of %u", (unsigned long long)dropped, rounds);
	CHECK(T.st_tx.drop_tun_bad > rounds / 2, "random TUN reads dropped: %llu of %u",
	      (unsigned long long)T.st_tx.drop_tun_bad, rounds);
}

/*
 * Valid segments with a few bytes changed: the merge rules meet headers that
 * almost match. Chains must stay inside the input and never repeat a piece.
 */
static void mutants(unsigned rounds, bool tcp)
{
	zc_vnet vh;
	size_t len = build(false, tcp, ZC_TCP_ACK, 20 * 1000, &vh, 1000), run, seg;
	static uint8_t valid[ZCTUN_MAX_PKT];
	zctun_rxmeta *m = (zctun_rxmeta *)(void *)rxbuf;
	size_t off = sizeof(zctun_rxmeta);
	unsigned i, j, c;
	bool ok = true;

	reset();
	zctun_split(&T, &vh, pkt, len);
	run = T.batch.runs[0].len;
	seg = T.batch.runs[0].seg;
	memcpy(valid, T.batch.buf, run);
	for (i = 0; i < rounds && ok; i++) {
		size_t total = 0, n = 0;

		memcpy(rxbuf + off, valid, run);
		for (j = 0; j < 1 + i % 4; j++)
			rxbuf[off + (size_t)rand() % run] ^= (uint8_t)(1 + rand() % 255);
		zctun_coalesce(&T, &T.st_rx, NULL, m, rxbuf, off, run, seg);
		for (c = 0; c < m->nchains; c++) {
			int s;
			unsigned steps = 0;

			for (s = m->chain[c].first; s >= 0 && steps <= ZCTUN_MAX_SEGS; s = m->seg[s].next, steps++) {
				ok &= m->seg[s].off >= off && m->seg[s].off + m->seg[s].len <= off + run;
				total += m->seg[s].len;
				n++;
			}
			ok &= steps <= ZCTUN_MAX_SEGS;
		}
		ok &= n == m->nsegs && total <= run;
	}
	CHECK(ok, "mutated %s segments: chains stay inside the input (round %u)", tcp ? "TCP" : "UDP", i);
}

int main(void)
{
	unsigned mss;

	for (mss = 536; mss <= 1448; mss += 456) {
		zc_vnet vh;
		size_t len;

		reset();
		len = build(false, true, ZC_TCP_ACK | ZC_TCP_PSH | ZC_TCP_FIN | ZC_TCP_CWR, 20000 + mss, &vh, mss);
		vh.gso_type |= ZC_VNET_GSO_ECN;
		zctun_split(&T, &vh, pkt, len);
		check_segments(false, true, ZC_TCP_ACK | ZC_TCP_PSH | ZC_TCP_FIN | ZC_TCP_CWR, 20000 + mss, mss);

		reset();
		len = build(true, true, ZC_TCP_ACK | ZC_TCP_FIN, 30000, &vh, mss);
		zctun_split(&T, &vh, pkt, len);
		check_segments(true, true, ZC_TCP_ACK | ZC_TCP_FIN, 30000, mss);

		reset();
		len = build(false, false, 0, 9000 + 17, &vh, mss);
		zctun_split(&T, &vh, pkt, len);
		check_segments(false, false, 0, 9000 + 17, mss);

		reset();
		len = build(true, false, 0, 9000, &vh, mss);
		zctun_split(&T, &vh, pkt, len);
		check_segments(true, false, 0, 9000, mss);

		/* A super-packet of one segment. */
		reset();
		len = build(false, true, ZC_TCP_ACK | ZC_TCP_PSH, mss - 100, &vh, mss);
		zctun_split(&T, &vh, pkt, len);
		check_segments(false, true, ZC_TCP_ACK | ZC_TCP_PSH, mss - 100, mss);
	}
	round_trip(false, 40 * 1368 + 100, 1368);
	round_trip(true, 30 * 1348, 1348);
	no_merge();
	uso_round_trip(false, 40 * 1372 + 100, 1372);
	uso_round_trip(true, 30 * 1352, 1352);
	uso_round_trip(false, 63 * 1000 + 1, 1000);
	uso_round_trip(true, 64 * 536, 536);
	uso_no_merge();
	csum_complete();
	garbage(20000);
	mutants(20000, true);
	mutants(20000, false);
	printf("zctun-selftest: %d passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}
