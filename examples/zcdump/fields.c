/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields.c - tshark -T fields.
 *
 * Every occurrence of a field is printed in packet order the way tshark 4.0
 * formats it, so that a tunnelled or ICMP-quoted header gives "outer,inner"
 * as tshark prints it. zcdump prints tens of fields for each of millions of
 * packets, so the work is arranged to be done once: zd_fields_print() walks
 * the layers zc_parse() made a single time and records where the layers of
 * each kind are (and the TCP options, on the first option field asked for),
 * and each field is then a case of one switch that prints from those views
 * without searching anything again.
 */
#include "fields.h"

#include <string.h>

/*
 * The fields: tshark's name, our id, the layer kind the field reads, and the
 * bytes of a header cut short that the field needs (see raw_limit() below).
 * A kind of ZC_L_NONE, or an end of 0, marks a field with its own rules.
 * tshark fetches the whole Ethernet header before it adds any of its
 * fields: with fewer than 14 bytes captured it shows none, not even the
 * addresses that are there.
 */
#define ZD_FIELD_LIST(X)                                                     \
	X("frame.len", FRAME_LEN, ZC_L_NONE, 0)                             \
	X("eth.src", ETH_SRC, ZC_L_ETH, 14)                                 \
	X("eth.dst", ETH_DST, ZC_L_ETH, 14)                                 \
	X("eth.type", ETH_TYPE, ZC_L_ETH, 0)                                \
	X("vlan.id", VLAN_ID, ZC_L_ETH, 0)                                  \
	X("arp.opcode", ARP_OPCODE, ZC_L_ARP, 0)                            \
	X("arp.src.proto_ipv4", ARP_SPA, ZC_L_ARP, 0)                       \
	X("arp.dst.proto_ipv4", ARP_TPA, ZC_L_ARP, 0)                       \
	X("ip.version", IP_VERSION, ZC_L_IPV4, 0)                           \
	X("ip.hdr_len", IP_HDR_LEN, ZC_L_IPV4, 1)                           \
	X("ip.dsfield", IP_DSFIELD, ZC_L_IPV4, 2)                           \
	X("ip.len", IP_LEN, ZC_L_IPV4, 4)                                   \
	X("ip.id", IP_ID, ZC_L_IPV4, 6)                                     \
	X("ip.flags", IP_FLAGS, ZC_L_IPV4, 8)                               \
	X("ip.frag_offset", IP_FRAG_OFFSET, ZC_L_IPV4, 8)                   \
	X("ip.ttl", IP_TTL, ZC_L_IPV4, 9)                                   \
	X("ip.proto", IP_PROTO, ZC_L_IPV4, 10)                              \
	X("ip.checksum", IP_CHECKSUM, ZC_L_IPV4, 12)                        \
	X("ip.src", IP_SRC, ZC_L_IPV4, 16)                                  \
	X("ip.dst", IP_DST, ZC_L_IPV4, 20)                                  \
	X("ipv6.plen", IPV6_PLEN, ZC_L_IPV6, 6)                             \
	X("ipv6.nxt", IPV6_NXT, ZC_L_IPV6, 7)                               \
	X("ipv6.hlim", IPV6_HLIM, ZC_L_IPV6, 8)                             \
	X("ipv6.flow", IPV6_FLOW, ZC_L_IPV6, 4)                             \
	X("ipv6.src", IPV6_SRC, ZC_L_IPV6, 24)                              \
	X("ipv6.dst", IPV6_DST, ZC_L_IPV6, 40)                              \
	X("tcp.srcport", TCP_SRCPORT, ZC_L_TCP, 2)                          \
	X("tcp.dstport", TCP_DSTPORT, ZC_L_TCP, 4)                          \
	X("tcp.seq_raw", TCP_SEQ_RAW, ZC_L_TCP, 8)                          \
	X("tcp.ack_raw", TCP_ACK_RAW, ZC_L_TCP, 12)                         \
	X("tcp.hdr_len", TCP_HDR_LEN, ZC_L_TCP, 13)                         \
	X("tcp.flags", TCP_FLAGS, ZC_L_TCP, 14)                             \
	X("tcp.window_size_value", TCP_WINDOW, ZC_L_TCP, 16)                \
	X("tcp.urgent_pointer", TCP_URGENT, ZC_L_TCP, 20)                   \
	X("tcp.checksum", TCP_CHECKSUM, ZC_L_TCP, 18)                       \
	X("tcp.len", TCP_LEN, ZC_L_TCP, 0)                                  \
	X("tcp.options.mss_val", TCP_MSS, ZC_L_TCP, 0)                      \
	X("tcp.options.wscale.shift", TCP_WSCALE, ZC_L_TCP, 0)              \
	X("tcp.options.timestamp.tsval", TCP_TSVAL, ZC_L_TCP, 0)            \
	X("tcp.options.timestamp.tsecr", TCP_TSECR, ZC_L_TCP, 0)            \
	X("udp.srcport", UDP_SRCPORT, ZC_L_UDP, 2)                          \
	X("udp.dstport", UDP_DSTPORT, ZC_L_UDP, 4)                          \
	X("udp.length", UDP_LENGTH, ZC_L_UDP, 6)                            \
	X("udp.checksum", UDP_CHECKSUM, ZC_L_UDP, 8)                        \
	X("icmp.type", ICMP_TYPE, ZC_L_ICMP4, 1)                            \
	X("icmp.code", ICMP_CODE, ZC_L_ICMP4, 2)                            \
	X("icmpv6.type", ICMPV6_TYPE, ZC_L_ICMP6, 1)                        \
	X("icmpv6.code", ICMPV6_CODE, ZC_L_ICMP6, 2)                        \
	X("vxlan.vni", VXLAN_VNI, ZC_L_VXLAN, 8)                            \
	X("gre.proto", GRE_PROTO, ZC_L_GRE, 4)

#define ZD_FIELD_ENUM(name, id, kind, end) F_##id,
enum { ZD_FIELD_LIST(ZD_FIELD_ENUM) F_COUNT_ };
#undef ZD_FIELD_ENUM

#define ZD_FIELD_ROW(name, id, kind, end) { name, F_##id, kind, end },
static const struct {
	const char *name;
	uint8_t id, kind, end;
} zd_table[] = { ZD_FIELD_LIST(ZD_FIELD_ROW) };
#undef ZD_FIELD_ROW

/*
 * TCP options in 40 bytes: at most 13 of one kind (window scale, 3 bytes
 * each), in every TCP header of a packet and in a cut one after them.
 */
#define ZD_OPT_MAX ((ZC_PKT_MAX_LAYERS + 1) * 14)

/* One packet being printed: the layers of each kind, found in one walk. */
typedef struct zd_emit {
	const zc_pkt *pkt;
	uint32_t wire_len;     /* frame.len: the length on the wire */
	int linktype;          /* the capture's DLT */
	char agg;              /* between occurrences */
	unsigned n;            /* occurrences written so far for this field */
	char *pos[ZD_MAX_OCC]; /* where each began */
	uint8_t nk[ZC_L_KIND_COUNT];                     /* layers of each kind */
	uint8_t at[ZC_L_KIND_COUNT][ZC_PKT_MAX_LAYERS];  /* their indexes, in order */
	uint8_t nip, ip[ZC_PKT_MAX_LAYERS];               /* IPv4 and IPv6 layers, in order */
	/* The stop layer (see raw_limit()): its bytes as a view zeroed but for p. */
	zc_layer raw;
	const uint8_t *raw_p;
	size_t raw_len;        /* stop_len; 0 when there is no stop layer */
	size_t raw_lim;        /* the bytes of it the fields may show */
	/* The TCP options the option fields print, in packet order; valid when opts. */
	bool opts;
	unsigned nmss, nwscale, nts;
	uint16_t mss[ZD_OPT_MAX];
	uint8_t wscale[ZD_OPT_MAX];
	const uint8_t *ts[ZD_OPT_MAX];
} zd_emit;

/* Starts one occurrence: the aggregator between values, and where it begins. */
static inline char *occ(zd_emit *e, char *w)
{
	if (e->n)
		*w++ = e->agg;
	if (e->n < ZD_MAX_OCC)
		e->pos[e->n] = w;
	e->n++;
	return w;
}

/* The layer of kind K's k-th occurrence. */
static inline const zc_layer *layer_at(const zd_emit *e, unsigned K, unsigned k)
{
	return &e->pkt->l[e->at[K][k]];
}

/* ---------------------------------------------------------------- headers cut short */

/*
 * tshark shows the fields of a header that is cut short or malformed as far
 * as its bytes go, one field after the other until one does not fit or
 * contradicts the others. zc_parse() made no view of such a header; it
 * says where the bytes are (stop_kind, stop_off, stop_len), and the fields
 * below read them directly, each only when its bytes lie below the limit
 * raw_limit() computes for the header. This is the only place zcdump reads
 * wire bytes that no parse validated.
 */

/* IPv4 fields stop after the header length when IHL < 5, after the length when it is below the header. */
static size_t ipv4_raw_limit(const uint8_t *p, size_t n)
{
	size_t hlen;

	if ((p[0] >> 4) != 4)
		return 0;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < ZC_IPV4_MIN_HDR_LEN)
		return 1;
	/* A total length of 0 is TSO or BIG TCP to tshark (see F_IP_LEN), not an error. */
	if (n >= 4 && zc_load_be16(p + ZC_IPV4_TOTLEN_OFF) < hlen && zc_load_be16(p + ZC_IPV4_TOTLEN_OFF) != 0)
		return 4;
	return n;
}

/*
 * tshark reads the TCP data offset right after the ports: without it only
 * the ports show, and with one below 5 words the fields stop after it.
 */
static size_t tcp_raw_limit(const uint8_t *p, size_t n)
{
	if (n <= ZC_TCP_DOFF_OFF)
		return n < 4 ? n : 4;
	if ((p[ZC_TCP_DOFF_OFF] >> 4) < 5)
		return ZC_TCP_DOFF_OFF + 1;
	return n;
}

/* The bytes of the n-byte stop layer of kind at p that its fields may show. */
static size_t raw_limit(const zc_pkt *pkt, unsigned kind, const uint8_t *p, size_t n)
{
	switch (kind) {
	case ZC_L_IPV4:
		return ipv4_raw_limit(p, n);
	case ZC_L_IPV6:
		return (p[0] >> 4) == 6 ? n : 0;
	case ZC_L_TCP:
		return tcp_raw_limit(p, n);
	case ZC_L_UDP:
		/*
		 * tshark stops at a length field below 8 ("bogus"): ports and
		 * length, but no checksum.
		 */
		return n >= ZC_UDP_HDR_LEN && zc_load_be16(p + ZC_UDP_LEN_OFF) < ZC_UDP_HDR_LEN ? ZC_UDP_CSUM_OFF : n;
	case ZC_L_ICMP4:
	case ZC_L_ICMP6:
		/*
		 * tshark shows what a cut capture has of an ICMP header, but
		 * nothing of a message its IP header declares shorter than
		 * type, code and checksum.
		 */
		return pkt->err != ZC_OK && n < 4 ? 0 : n;
	default:
		return n;
	}
}

/* The stop layer's bytes when it is of kind K; 0 otherwise. */
static inline size_t raw_stop(const zd_emit *e, unsigned K, const uint8_t **p)
{
	if (e->pkt->stop_kind != K)
		return 0;
	*p = e->raw_p;
	return e->raw_len;
}

/* ---------------------------------------------------------------- the packet's index */

static void index_layers(zd_emit *e)
{
	const zc_pkt *pkt = e->pkt;
	unsigned i, k;

	memset(e->nk, 0, sizeof e->nk);
	e->nip = 0;
	for (i = 0; i < pkt->n; i++) {
		k = pkt->l[i].kind;
		if (k >= ZC_L_KIND_COUNT)
			continue;
		e->at[k][e->nk[k]++] = (uint8_t)i;
		if (k == ZC_L_IPV4 || k == ZC_L_IPV6)
			e->ip[e->nip++] = (uint8_t)i;
	}
	e->raw_len = e->raw_lim = 0;
	k = pkt->stop_kind;
	if (k != ZC_L_NONE && pkt->stop_len) {
		uint8_t *p = pkt->frame.p + pkt->stop_off;

		memset(&e->raw, 0, sizeof e->raw);
		e->raw.kind = (uint8_t)k;
		e->raw.off = pkt->stop_off;
		/* Every view begins with its p; set the one of the stop kind. */
		switch (k) {
		case ZC_L_ETH: e->raw.v.eth.p = p; break;
		case ZC_L_ARP: e->raw.v.arp.p = p; break;
		case ZC_L_IPV4: e->raw.v.ipv4.p = p; break;
		case ZC_L_IPV6: e->raw.v.ipv6.p = p; break;
		case ZC_L_ICMP4: e->raw.v.icmp4.p = p; break;
		case ZC_L_ICMP6: e->raw.v.icmp6.p = p; break;
		case ZC_L_TCP: e->raw.v.tcp.p = p; break;
		case ZC_L_UDP: e->raw.v.udp.p = p; break;
		case ZC_L_VXLAN: e->raw.v.vxlan.p = p; break;
		case ZC_L_GRE: e->raw.v.gre.p = p; break;
		default: break;
		}
		e->raw_p = p;
		e->raw_len = pkt->stop_len;
		e->raw_lim = raw_limit(pkt, k, p, pkt->stop_len);
	}
	e->opts = false;
}

/* ---------------------------------------------------------------- values from a view */

/* One value of a field read from one header: the table's rows with an end (the others have their own functions). */
static char *put_value(zd_emit *e, char *w, unsigned id, const zc_layer *l)
{
	switch (id) {
	case F_ETH_SRC: w = zd_w_mac(w, zc_eth_src(l->v.eth)); break;
	case F_ETH_DST: w = zd_w_mac(w, zc_eth_dst(l->v.eth)); break;

	case F_IP_HDR_LEN: w = zd_w_u64(w, zc_ipv4_hdr_len(l->v.ipv4)); break;
	case F_IP_DSFIELD: w = zd_w_hex(w, zc_ipv4_tos(l->v.ipv4), 2); break;
	/*
	 * A view reads a total length of 0 as its whole buffer; a header
	 * zc_ipv4_parse() refused may still hold 0, and tshark then shows the
	 * bytes the frame has from the header on.
	 */
	case F_IP_LEN: {
		size_t t = zc_ipv4_total_len(l->v.ipv4);
		w = zd_w_u64(w, t ? t : (size_t)e->pkt->stop_len);
		break;
	}
	case F_IP_ID: w = zd_w_hex(w, zc_ipv4_id(l->v.ipv4), 4); break;
	case F_IP_FLAGS: w = zd_w_hex(w, zc_ipv4_flags(l->v.ipv4), 2); break;
	case F_IP_FRAG_OFFSET: w = zd_w_u64(w, zc_ipv4_frag_word(l->v.ipv4) & ZC_IPV4_FRAG_MASK); break;
	case F_IP_TTL: w = zd_w_u64(w, zc_ipv4_ttl(l->v.ipv4)); break;
	case F_IP_PROTO: w = zd_w_u64(w, zc_ipv4_proto(l->v.ipv4)); break;
	case F_IP_CHECKSUM: w = zd_w_hex(w, zc_ipv4_csum(l->v.ipv4), 4); break;
	case F_IP_SRC: w = zd_w_ipv4(w, zc_ipv4_src_bytes(l->v.ipv4)); break;
	case F_IP_DST: w = zd_w_ipv4(w, zc_ipv4_dst_bytes(l->v.ipv4)); break;

	case F_IPV6_PLEN: w = zd_w_u64(w, zc_ipv6_payload_len(l->v.ipv6)); break;
	case F_IPV6_NXT: w = zd_w_u64(w, zc_ipv6_nxt(l->v.ipv6)); break;
	case F_IPV6_HLIM: w = zd_w_u64(w, zc_ipv6_hlim(l->v.ipv6)); break;
	case F_IPV6_FLOW: w = zd_w_hex(w, zc_ipv6_flow(l->v.ipv6), 6); break;
	case F_IPV6_SRC: w = zd_w_ipv6(w, zc_ipv6_src(l->v.ipv6)); break;
	case F_IPV6_DST: w = zd_w_ipv6(w, zc_ipv6_dst(l->v.ipv6)); break;

	case F_TCP_SRCPORT: w = zd_w_u64(w, zc_tcp_src_port(l->v.tcp)); break;
	case F_TCP_DSTPORT: w = zd_w_u64(w, zc_tcp_dst_port(l->v.tcp)); break;
	case F_TCP_SEQ_RAW: w = zd_w_u64(w, zc_tcp_seq(l->v.tcp)); break;
	case F_TCP_ACK_RAW: w = zd_w_u64(w, zc_tcp_ack(l->v.tcp)); break;
	case F_TCP_HDR_LEN: w = zd_w_u64(w, zc_tcp_hdr_len(l->v.tcp)); break;
	case F_TCP_FLAGS: w = zd_w_hex(w, zc_tcp_flags_all(l->v.tcp), 4); break;
	case F_TCP_WINDOW: w = zd_w_u64(w, zc_tcp_window(l->v.tcp)); break;
	case F_TCP_URGENT: w = zd_w_u64(w, zc_tcp_urgent(l->v.tcp)); break;
	case F_TCP_CHECKSUM: w = zd_w_hex(w, zc_tcp_csum(l->v.tcp), 4); break;

	case F_UDP_SRCPORT: w = zd_w_u64(w, zc_udp_src_port(l->v.udp)); break;
	case F_UDP_DSTPORT: w = zd_w_u64(w, zc_udp_dst_port(l->v.udp)); break;
	case F_UDP_LENGTH: w = zd_w_u64(w, zc_udp_length(l->v.udp)); break;
	case F_UDP_CHECKSUM: w = zd_w_hex(w, zc_udp_csum(l->v.udp), 4); break;

	case F_ICMP_TYPE: w = zd_w_u64(w, zc_icmp4_type(l->v.icmp4)); break;
	case F_ICMP_CODE: w = zd_w_u64(w, zc_icmp4_code(l->v.icmp4)); break;
	case F_ICMPV6_TYPE: w = zd_w_u64(w, zc_icmp6_type(l->v.icmp6)); break;
	case F_ICMPV6_CODE: w = zd_w_u64(w, zc_icmp6_code(l->v.icmp6)); break;
	case F_VXLAN_VNI: w = zd_w_u64(w, zc_vxlan_vni(l->v.vxlan)); break;
	case F_GRE_PROTO: w = zd_w_hex(w, zc_gre_proto(l->v.gre), 4); break;
	}
	return w;
}

/* Every layer of the field's kind, then the stop layer when the field's bytes are there. */
static char *layer_field(zd_emit *e, char *w, const zd_field *f)
{
	unsigned k, K = f->kind;

	for (k = 0; k < e->nk[K]; k++) {
		w = occ(e, w);
		w = put_value(e, w, f->id, layer_at(e, K, k));
	}
	if (e->pkt->stop_kind == K && e->raw_lim >= f->end) {
		w = occ(e, w);
		w = put_value(e, w, f->id, &e->raw);
	}
	return w;
}

/* ---------------------------------------------------------------- Ethernet, ARP */

/* The type field after the addresses: the first TPID when tagged; none for 802.3. */
static char *eth_type(zd_emit *e, char *w)
{
	const uint8_t *rp = NULL;
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_ETH]; k++) {
		uint16_t t = zc_load_be16(layer_at(e, ZC_L_ETH, k)->v.eth.p + ZC_ETH_TYPE_OFF);
		if (t < ZC_ETH_MIN_TYPE)
			continue;
		w = occ(e, w);
		w = zd_w_hex(w, t, 4);
	}
	if (raw_stop(e, ZC_L_ETH, &rp) >= ZC_ETH_HDR_LEN && zc_load_be16(rp + ZC_ETH_TYPE_OFF) >= ZC_ETH_MIN_TYPE) {
		w = occ(e, w);
		w = zd_w_hex(w, zc_load_be16(rp + ZC_ETH_TYPE_OFF), 4);
	}
	return w;
}

/* 802.1Q tags only: tshark names an 802.1ad service tag's ID ieee8021ad.id. */
static char *vlan_id(zd_emit *e, char *w)
{
	unsigned k, t;

	for (k = 0; k < e->nk[ZC_L_ETH]; k++) {
		zc_eth v = layer_at(e, ZC_L_ETH, k)->v.eth;
		for (t = 0; t < zc_eth_ntags(v); t++) {
			uint16_t tpid = zc_eth_tag_tpid(v, t);
			if (tpid != ZC_ETH_P_VLAN && tpid != ZC_ETH_P_QINQ_OLD)
				continue;
			w = occ(e, w);
			w = zd_w_u64(w, zc_eth_vlan_id(v, t));
		}
	}
	return w;
}

/*
 * ATM ARP (RFC 2225, hardware type 19) has a 12-byte fixed part and six
 * addresses whose lengths it gives (the type-and-length bytes in their low
 * six bits); tshark cuts the packet to that length first, and when the
 * bytes are fewer shows none of its fields.
 */
static bool atmarp_whole(const uint8_t *p, size_t n)
{
	size_t tot;

	if (n < 12)
		return false;
	tot = 12 + (size_t)(p[4] & 0x3f) + (p[5] & 0x3f) + p[8] + (p[9] & 0x3f) + (p[10] & 0x3f) + p[11];
	return tot <= n;
}

/*
 * An ARP packet zc_arp_parse() does not support (other hardware, other
 * address sizes) still has its opcode and, for IPv4, its addresses where
 * the size bytes put them (RFC 826).
 */
static char *arp_raw(zd_emit *e, char *w, unsigned id)
{
	const uint8_t *p = NULL;
	size_t n = raw_stop(e, ZC_L_ARP, &p), hln, pln, off;

	if (n < ZC_ARP_FIXED_LEN || (zc_load_be16(p + ZC_ARP_HTYPE_OFF) == 19 && !atmarp_whole(p, n)))
		return w;
	if (id == F_ARP_OPCODE) {
		w = occ(e, w);
		w = zd_w_u64(w, zc_load_be16(p + ZC_ARP_OP_OFF));
		return w;
	}
	hln = p[ZC_ARP_HLEN_OFF];
	pln = p[ZC_ARP_PLEN_OFF];
	/* tshark shows addresses only when all four are there, and none for ATM ARP (19). */
	if (zc_load_be16(p + ZC_ARP_PTYPE_OFF) != ZC_ETH_P_IPV4 || pln != 4 ||
	    zc_load_be16(p + ZC_ARP_HTYPE_OFF) == 19 || n < ZC_ARP_FIXED_LEN + 2 * hln + 2 * pln)
		return w;
	off = ZC_ARP_FIXED_LEN + hln + (id == F_ARP_TPA ? hln + pln : 0);
	if (n < off + 4)
		return w;
	w = occ(e, w);
	w = zd_w_ipv4(w, p + off);
	return w;
}

static char *arp_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_ARP]; k++) {
		zc_arp v = layer_at(e, ZC_L_ARP, k)->v.arp;
		w = occ(e, w);
		if (id == F_ARP_OPCODE)
			w = zd_w_u64(w, zc_arp_op(v));
		else
			w = zd_w_ipv4(w, v.p + (id == F_ARP_SPA ? ZC_ARP_SPA_OFF : ZC_ARP_TPA_OFF));
	}
	w = arp_raw(e, w, id);
	return w;
}

/* ---------------------------------------------------------------- IP */

/* tshark's IPv6 dissector fills ip.version too: both versions, in order. */
static char *ip_version(zd_emit *e, char *w)
{
	const zc_pkt *pkt = e->pkt;
	unsigned k;

	for (k = 0; k < e->nip; k++) {
		w = occ(e, w);
		*w++ = pkt->l[e->ip[k]].kind == ZC_L_IPV4 ? '4' : '6';
	}
	if ((pkt->stop_kind == ZC_L_IPV4 || pkt->stop_kind == ZC_L_IPV6) && pkt->stop_len) {
		unsigned ver = pkt->frame.p[pkt->stop_off] >> 4;
		/*
		 * After a link layer that said IP, or on a link type that fixes
		 * the version, tshark shows any version; on DLT_RAW another
		 * version is no IP to it, just data.
		 */
		if (ver == 4 || ver == 6 || pkt->n > 0 || e->linktype == ZC_LINKTYPE_IPV4 ||
		    e->linktype == ZC_LINKTYPE_IPV6) {
			w = occ(e, w);
			w = zd_w_u64(w, ver);
		}
	}
	return w;
}

/* ---------------------------------------------------------------- TCP */

/*
 * tcp.len is what the IP header says is left after the TCP header, not what
 * was captured: tshark works from the reported length.
 */
/*
 * The reported bytes of the IP layer's upper layer; false when l is not IP,
 * or is a fragment that does not say how long the segment is (tshark then
 * shows no tcp.len).
 */
static bool ip_upper_len(const zd_emit *e, const zc_layer *ip, size_t *seg)
{
	size_t h, wire_end = e->wire_len;

	if (ip->kind == ZC_L_IPV4 && !zc_ipv4_mf(ip->v.ipv4)) {
		h = zc_ipv4_hdr_len(ip->v.ipv4);
		*seg = zc_ipv4_total_len(ip->v.ipv4) - h;
	} else if (ip->kind == ZC_L_IPV6 && !zc_ipv6_mf(ip->v.ipv6)) {
		h = zc_ipv6_hdr_len(ip->v.ipv6);
		*seg = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(ip->v.ipv6) - h;
	} else {
		return false;
	}
	/* Nor more than the frame had on the wire after the IP header. */
	h += ip->off;
	if (wire_end <= h)
		*seg = 0;
	else if (wire_end - h < *seg)
		*seg = wire_end - h;
	return true;
}

static char *tcp_len(zd_emit *e, char *w)
{
	const zc_pkt *pkt = e->pkt;
	const uint8_t *p = NULL;
	size_t n, seg, h;
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_TCP]; k++) {
		unsigned i = e->at[ZC_L_TCP][k];

		if (i == 0 || !ip_upper_len(e, &pkt->l[i - 1], &seg))
			continue;
		h = zc_tcp_hdr_len(pkt->l[i].v.tcp);
		w = occ(e, w);
		w = zd_w_u64(w, seg > h ? seg - h : 0);
	}
	/* A TCP header cut short, when its data offset is there and sane. */
	n = raw_stop(e, ZC_L_TCP, &p);
	if (n < ZC_TCP_MIN_HDR_LEN || e->raw_lim < ZC_TCP_MIN_HDR_LEN || pkt->n == 0 ||
	    !ip_upper_len(e, &pkt->l[pkt->n - 1], &seg))
		return w;
	h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
	w = occ(e, w);
	w = zd_w_u64(w, seg > h ? seg - h : 0);
	return w;
}

/* The options the option fields print, from one walk of the list. */
static void tcp_opts_walk(zd_emit *e, zc_opt_iter it)
{
	zc_opt o;

	while (zc_opt_next(&it, &o) == 1) {
		if (o.kind == ZC_TCP_OPT_MSS && o.len == 4) {
			if (e->nmss < ZD_OPT_MAX)
				e->mss[e->nmss++] = zc_load_be16(o.data);
		} else if (o.kind == ZC_TCP_OPT_WSCALE && o.len == 3) {
			if (e->nwscale < ZD_OPT_MAX)
				e->wscale[e->nwscale++] = o.data[0];
		} else if (o.kind == ZC_TCP_OPT_TS && o.len == 10) {
			if (e->nts < ZD_OPT_MAX)
				e->ts[e->nts++] = o.data;
		}
	}
}

/*
 * Every option of the kind, in order, as tshark lists them; for a header
 * cut short, those whose bytes are there.
 */
static void tcp_opts_collect(zd_emit *e)
{
	const uint8_t *p = NULL;
	size_t n;
	unsigned k;

	e->nmss = e->nwscale = e->nts = 0;
	for (k = 0; k < e->nk[ZC_L_TCP]; k++)
		tcp_opts_walk(e, zc_tcp_opts(layer_at(e, ZC_L_TCP, k)->v.tcp));
	n = raw_stop(e, ZC_L_TCP, &p);
	if (n > ZC_TCP_MIN_HDR_LEN && e->raw_lim > ZC_TCP_MIN_HDR_LEN) {
		size_t h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
		tcp_opts_walk(e, zc_opt_iter_make(p + ZC_TCP_MIN_HDR_LEN, (h < n ? h : n) - ZC_TCP_MIN_HDR_LEN));
	}
	e->opts = true;
}

static char *tcp_opt_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	if (e->nk[ZC_L_TCP] == 0 && e->pkt->stop_kind != ZC_L_TCP)
		return w;
	if (!e->opts)
		tcp_opts_collect(e);
	switch (id) {
	case F_TCP_MSS:
		for (k = 0; k < e->nmss; k++) {
			w = occ(e, w);
			w = zd_w_u64(w, e->mss[k]);
		}
		break;
	case F_TCP_WSCALE:
		for (k = 0; k < e->nwscale; k++) {
			w = occ(e, w);
			w = zd_w_u64(w, e->wscale[k]);
		}
		break;
	default:
		for (k = 0; k < e->nts; k++) {
			w = occ(e, w);
			w = zd_w_u64(w, zc_load_be32(e->ts[k] + (id == F_TCP_TSVAL ? 0 : 4)));
		}
		break;
	}
	return w;
}

/* ---------------------------------------------------------------- one field */

static char *field(zd_emit *e, char *w, const zd_field *f)
{
	switch (f->id) {
	case F_FRAME_LEN:
		w = occ(e, w);
		w = zd_w_u64(w, e->wire_len);
		break;
	case F_ETH_TYPE:
		w = eth_type(e, w);
		break;
	case F_VLAN_ID:
		w = vlan_id(e, w);
		break;
	case F_ARP_OPCODE:
	case F_ARP_SPA:
	case F_ARP_TPA:
		w = arp_field(e, w, f->id);
		break;
	case F_IP_VERSION:
		w = ip_version(e, w);
		break;
	case F_TCP_LEN:
		w = tcp_len(e, w);
		break;
	case F_TCP_MSS:
	case F_TCP_WSCALE:
	case F_TCP_TSVAL:
	case F_TCP_TSECR:
		w = tcp_opt_field(e, w, f->id);
		break;
	default:
		w = layer_field(e, w, f);
		break;
	}
	return w;
}

#define ZD_NTABLE (sizeof zd_table / sizeof zd_table[0])

/* The widest value any field writes, in bytes (an IPv6 address). */
#define ZD_VALUE_MAX 48

void zd_fields_init(zd_fields *fs)
{
	fs->n = 0;
	fs->sep[0] = '\t';
	fs->sep[1] = '\0';
	fs->seplen = 1;
	fs->agg = ',';
	fs->occ = 'a';
	fs->quote = '\0';
	fs->header = false;
}

int zd_fields_add(zd_fields *fs, const char *name)
{
	size_t i;

	for (i = 0; i < ZD_NTABLE; i++) {
		if (strcmp(zd_table[i].name, name) == 0) {
			if (fs->n == ZD_MAX_FIELDS)
				return -2;
			fs->f[fs->n].id = zd_table[i].id;
			fs->f[fs->n].kind = zd_table[i].kind;
			fs->f[fs->n].end = zd_table[i].end;
			fs->name[fs->n] = zd_table[i].name;
			fs->n++;
			return 0;
		}
	}
	return -1;
}

/* tshark's spelling of separator characters: /t tab, /s space, else the text. */
static int sep_value(const char *v, char *out, size_t cap, size_t *len)
{
	size_t n;

	if (strcmp(v, "/t") == 0)
		v = "\t";
	else if (strcmp(v, "/s") == 0)
		v = " ";
	n = strlen(v);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(out, v, n + 1);
	*len = n;
	return 0;
}

int zd_fields_option(zd_fields *fs, const char *opt)
{
	const char *v = strchr(opt, '=');
	size_t klen;

	if (!v)
		return -1;
	klen = (size_t)(v - opt);
	v++;
	if (klen == 6 && strncmp(opt, "header", 6) == 0) {
		if (strcmp(v, "y") != 0 && strcmp(v, "n") != 0)
			return -1;
		fs->header = v[0] == 'y';
		return 0;
	}
	if (klen == 9 && strncmp(opt, "separator", 9) == 0)
		return sep_value(v, fs->sep, sizeof fs->sep, &fs->seplen);
	if (klen == 10 && strncmp(opt, "occurrence", 10) == 0) {
		if (strcmp(v, "a") != 0 && strcmp(v, "f") != 0 && strcmp(v, "l") != 0)
			return -1;
		fs->occ = v[0];
		return 0;
	}
	if (klen == 5 && strncmp(opt, "quote", 5) == 0) {
		if (strcmp(v, "d") != 0 && strcmp(v, "s") != 0 && strcmp(v, "n") != 0)
			return -1;
		fs->quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : '\0';
		return 0;
	}
	if (klen == 10 && strncmp(opt, "aggregator", 10) == 0) {
		char c[4];
		size_t n;

		if (sep_value(v, c, sizeof c, &n) != 0 || n != 1)
			return -1;
		fs->agg = c[0];
		return 0;
	}
	return -1;
}

void zd_fields_list(FILE *f)
{
	size_t i;

	for (i = 0; i < ZD_NTABLE; i++)
		fprintf(f, "  %s\n", zd_table[i].name);
}

size_t zd_fields_line_max(const zd_fields *fs)
{
	/*
	 * Every occurrence of every field at its widest, plus separators: no
	 * field has more than ten occurrences a layer (MSS options in 40 bytes).
	 */
	return (size_t)fs->n * (ZC_PKT_MAX_LAYERS * 10 * (ZD_VALUE_MAX + 1) + fs->seplen + 2) + 2;
}

void zd_fields_header(zd_out *o, const zd_fields *fs)
{
	unsigned i;

	for (i = 0; i < fs->n; i++) {
		zd_reserve(o, strlen(fs->name[i]) + fs->seplen + 1);
		if (i)
			zd_putn(o, fs->sep, fs->seplen);
		zd_puts(o, fs->name[i]);
	}
	zd_reserve(o, 1);
	zd_putc(o, '\n');
}

void zd_fields_print(zd_out *o, zd_fields *fs, const zc_pkt *pkt, const zd_frame *fr)
{
	zd_emit e;
	char *w = o->buf + o->len; /* a local cursor: see out.h */
	unsigned i;

	e.pkt = pkt;
	e.wire_len = fr->len;
	e.linktype = fr->linktype;
	e.agg = fs->agg;
	index_layers(&e);
	for (i = 0; i < fs->n; i++) {
		if (i) {
			if (fs->seplen == 1)
				*w++ = fs->sep[0];
			else
				w = (char *)memcpy(w, fs->sep, fs->seplen) + fs->seplen;
		}
		if (fs->quote)
			*w++ = fs->quote;
		e.n = 0;
		w = field(&e, w, &fs->f[i]);
		if (e.n > 1 && fs->occ == 'f') {
			w = e.pos[1] - 1;
		} else if (e.n > 1 && fs->occ == 'l' && e.n <= ZD_MAX_OCC) {
			char *from = e.pos[e.n - 1], *to = e.pos[0];
			memmove(to, from, (size_t)(w - from));
			w = to + (w - from);
		}
		/* tshark quotes values, not empty columns. */
		if (fs->quote && e.n)
			*w++ = fs->quote;
		else if (fs->quote)
			w--;
	}
	*w++ = '\n';
	o->len = (size_t)(w - o->buf);
}
