/*
 * examples/zcdump/fields.c - tshark -T fields, one handler per field.
 *
 * Each handler walks the layers zc_parse() made, in packet order, and writes
 * every occurrence of its field the way tshark 4.0 formats it, so that a
 * tunnelled or ICMP-quoted header gives "outer,inner" as tshark prints it.
 */
#include "fields.h"

#include <string.h>

/* Starts one occurrence: the aggregator between values, and where it begins. */
static inline void occ(zd_emit *e)
{
	if (e->n)
		zd_putc(e->o, e->agg);
	if (e->n < ZD_MAX_OCC)
		e->pos[e->n] = e->o->len;
	e->n++;
}

#define EACH_LAYER(e, K, var)                                                        \
	for (unsigned i_ = 0; i_ < (e)->pkt->n; i_++)                                   \
		for (const zc_layer *var = &(e)->pkt->l[i_]; var && var->kind == (K); var = NULL)

/*
 * tshark shows the fields of a header that is cut short or malformed as far
 * as its bytes go, one field after the other until one does not fit or
 * contradicts the others. zc_parse() made no view of such a header; it
 * says where the bytes are (stop_kind, stop_off, stop_len), and the
 * handlers below read them directly, each field only when its bytes lie
 * below the limit the header's own *_raw_limit() computes. This is the
 * only place zcdump reads wire bytes that no parse validated.
 */
static inline size_t raw_stop(const zd_emit *e, unsigned kind, const uint8_t **p)
{
	if (e->pkt->stop_kind != kind)
		return 0;
	*p = e->pkt->frame.p + e->pkt->stop_off;
	return e->pkt->stop_len;
}

/* Declares fname printing every layer of kind K (view type T in v), then the stop layer. */
#define LAYER_FIELD(fname, K, T, member, limitfn, end, expr)                  \
	static void fname(zd_emit *e)                                          \
	{                                                                      \
		const uint8_t *rp_ = NULL;                                     \
		size_t rn_;                                                    \
		EACH_LAYER(e, K, l) {                                          \
			T v = l->v.member;                                     \
			occ(e);                                                \
			expr;                                                  \
		}                                                              \
		rn_ = raw_stop(e, K, &rp_);                                    \
		if (rn_ && limitfn(e->pkt, rp_, rn_) >= (end)) {                       \
			T v;                                                   \
			memset(&v, 0, sizeof v);                               \
			v.p = (uint8_t *)(uintptr_t)rp_;                       \
			occ(e);                                                \
			expr;                                                  \
		}                                                              \
	}

static size_t any_raw_limit(const zc_pkt *pkt, const uint8_t *p, size_t n)
{
	(void)pkt;
	(void)p;
	return n;
}

/* ---------------------------------------------------------------- frame, Ethernet, ARP */

static void f_frame_len(zd_emit *e)
{
	occ(e);
	zd_u64(e->o, e->wire_len);
}

LAYER_FIELD(f_eth_src, ZC_L_ETH, zc_eth, eth, any_raw_limit, 12, zd_mac(e->o, zc_eth_src(v)))
LAYER_FIELD(f_eth_dst, ZC_L_ETH, zc_eth, eth, any_raw_limit, 6, zd_mac(e->o, zc_eth_dst(v)))

/* The type field after the addresses: the first TPID when tagged; none for 802.3. */
static void f_eth_type(zd_emit *e)
{
	const uint8_t *rp = NULL;

	EACH_LAYER(e, ZC_L_ETH, l) {
		uint16_t t = zc_load_be16(l->v.eth.p + ZC_ETH_TYPE_OFF);
		if (t < ZC_ETH_MIN_TYPE)
			continue;
		occ(e);
		zd_hex(e->o, t, 4);
	}
	if (raw_stop(e, ZC_L_ETH, &rp) >= ZC_ETH_HDR_LEN && zc_load_be16(rp + ZC_ETH_TYPE_OFF) >= ZC_ETH_MIN_TYPE) {
		occ(e);
		zd_hex(e->o, zc_load_be16(rp + ZC_ETH_TYPE_OFF), 4);
	}
}

/* 802.1Q tags only: tshark names an 802.1ad service tag's ID ieee8021ad.id. */
static void f_vlan_id(zd_emit *e)
{
	EACH_LAYER(e, ZC_L_ETH, l) {
		unsigned t;
		for (t = 0; t < zc_eth_ntags(l->v.eth); t++) {
			uint16_t tpid = zc_eth_tag_tpid(l->v.eth, t);
			if (tpid != ZC_ETH_P_VLAN && tpid != ZC_ETH_P_QINQ_OLD)
				continue;
			occ(e);
			zd_u64(e->o, zc_eth_vlan_id(l->v.eth, t));
		}
	}
}

/*
 * An ARP packet zc_arp_parse() does not support (other hardware, other
 * address sizes) still has its opcode and, for IPv4, its addresses where
 * the size bytes put them (RFC 826).
 */
static void arp_raw(zd_emit *e, int which)
{
	const uint8_t *p = NULL;
	size_t n = raw_stop(e, ZC_L_ARP, &p), hln, pln, off;

	if (n < ZC_ARP_FIXED_LEN)
		return;
	if (which == 0) {
		occ(e);
		zd_u64(e->o, zc_load_be16(p + ZC_ARP_OP_OFF));
		return;
	}
	hln = p[ZC_ARP_HLEN_OFF];
	pln = p[ZC_ARP_PLEN_OFF];
	/* tshark shows addresses only when all four are there, and none for ATM ARP (19). */
	if (zc_load_be16(p + ZC_ARP_PTYPE_OFF) != ZC_ETH_P_IPV4 || pln != 4 ||
	    zc_load_be16(p + ZC_ARP_HTYPE_OFF) == 19 || n < ZC_ARP_FIXED_LEN + 2 * hln + 2 * pln)
		return;
	off = ZC_ARP_FIXED_LEN + hln + (which == 2 ? hln + pln : 0);
	if (n < off + 4)
		return;
	occ(e);
	zd_ipv4(e->o, p + off);
}

static void f_arp_opcode(zd_emit *e)
{
	EACH_LAYER(e, ZC_L_ARP, l) {
		occ(e);
		zd_u64(e->o, zc_arp_op(l->v.arp));
	}
	arp_raw(e, 0);
}

static void f_arp_spa(zd_emit *e)
{
	EACH_LAYER(e, ZC_L_ARP, l) {
		occ(e);
		zd_ipv4(e->o, l->v.arp.p + ZC_ARP_SPA_OFF);
	}
	arp_raw(e, 1);
}

static void f_arp_tpa(zd_emit *e)
{
	EACH_LAYER(e, ZC_L_ARP, l) {
		occ(e);
		zd_ipv4(e->o, l->v.arp.p + ZC_ARP_TPA_OFF);
	}
	arp_raw(e, 2);
}

/* ---------------------------------------------------------------- IPv4 */

/* IPv4 fields stop after the header length when IHL < 5, after the length when it is below the header. */
static size_t ipv4_raw_limit(const zc_pkt *pkt, const uint8_t *p, size_t n)
{
	(void)pkt;
	size_t hlen;

	if ((p[0] >> 4) != 4)
		return 0;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < ZC_IPV4_MIN_HDR_LEN)
		return 1;
	/* A total length of 0 is TSO or BIG TCP to tshark (see f_ip_len), not an error. */
	if (n >= 4 && zc_load_be16(p + ZC_IPV4_TOTLEN_OFF) < hlen && zc_load_be16(p + ZC_IPV4_TOTLEN_OFF) != 0)
		return 4;
	return n;
}

#define IPV4_FIELD(fname, end, expr) LAYER_FIELD(fname, ZC_L_IPV4, zc_ipv4, ipv4, ipv4_raw_limit, end, expr)

IPV4_FIELD(f_ip_hdr_len, 1, zd_u64(e->o, zc_ipv4_hdr_len(v)))
IPV4_FIELD(f_ip_dsfield, 2, zd_hex(e->o, zc_ipv4_tos(v), 2))
/*
 * A view never has a total length of 0; a header zc_ipv4_parse() refused
 * may (Linux TSO and BIG TCP captures), and tshark then shows the bytes the
 * frame has from the header on.
 */
IPV4_FIELD(f_ip_len, 4, zd_u64(e->o, zc_ipv4_total_len(v) ? zc_ipv4_total_len(v) : (size_t)e->pkt->stop_len))
IPV4_FIELD(f_ip_id, 6, zd_hex(e->o, zc_ipv4_id(v), 4))
IPV4_FIELD(f_ip_flags, 8, zd_hex(e->o, zc_ipv4_flags(v), 2))
IPV4_FIELD(f_ip_frag_offset, 8, zd_u64(e->o, zc_ipv4_frag_word(v) & ZC_IPV4_FRAG_MASK))
IPV4_FIELD(f_ip_ttl, 9, zd_u64(e->o, zc_ipv4_ttl(v)))
IPV4_FIELD(f_ip_proto, 10, zd_u64(e->o, zc_ipv4_proto(v)))
IPV4_FIELD(f_ip_checksum, 12, zd_hex(e->o, zc_ipv4_csum(v), 4))
IPV4_FIELD(f_ip_src, 16, zd_ipv4(e->o, zc_ipv4_src_bytes(v)))
IPV4_FIELD(f_ip_dst, 20, zd_ipv4(e->o, zc_ipv4_dst_bytes(v)))

/* ---------------------------------------------------------------- IPv6 */

/* tshark's IPv6 dissector fills ip.version too: both versions, in order. */
static void f_ip_version(zd_emit *e)
{
	unsigned i;

	for (i = 0; i < e->pkt->n; i++) {
		const zc_layer *l = &e->pkt->l[i];
		if (l->kind != ZC_L_IPV4 && l->kind != ZC_L_IPV6)
			continue;
		occ(e);
		zd_u64(e->o, l->kind == ZC_L_IPV4 ? 4 : 6);
	}
	if ((e->pkt->stop_kind == ZC_L_IPV4 || e->pkt->stop_kind == ZC_L_IPV6) && e->pkt->stop_len) {
		unsigned ver = e->pkt->frame.p[e->pkt->stop_off] >> 4;
		/*
		 * After a link layer that said IP, or on a link type that fixes
		 * the version, tshark shows any version; on DLT_RAW another
		 * version is no IP to it, just data.
		 */
		if (ver == 4 || ver == 6 || e->pkt->n > 0 || e->linktype == ZC_LINKTYPE_IPV4 ||
		    e->linktype == ZC_LINKTYPE_IPV6) {
			occ(e);
			zd_u64(e->o, ver);
		}
	}
}

static size_t ipv6_raw_limit(const zc_pkt *pkt, const uint8_t *p, size_t n)
{
	(void)pkt;
	return (p[0] >> 4) == 6 ? n : 0;
}

#define IPV6_FIELD(fname, end, expr) LAYER_FIELD(fname, ZC_L_IPV6, zc_ipv6, ipv6, ipv6_raw_limit, end, expr)

IPV6_FIELD(f_ipv6_plen, 6, zd_u64(e->o, zc_ipv6_payload_len(v)))
IPV6_FIELD(f_ipv6_nxt, 7, zd_u64(e->o, zc_ipv6_nxt(v)))
IPV6_FIELD(f_ipv6_hlim, 8, zd_u64(e->o, zc_ipv6_hlim(v)))
IPV6_FIELD(f_ipv6_flow, 4, zd_hex(e->o, zc_ipv6_flow(v), 6))
IPV6_FIELD(f_ipv6_src, 24, zd_ipv6(e->o, zc_ipv6_src(v)))
IPV6_FIELD(f_ipv6_dst, 40, zd_ipv6(e->o, zc_ipv6_dst(v)))

/* ---------------------------------------------------------------- TCP */

/*
 * tshark reads the data offset right after the ports: without it only the
 * ports show, and with one below 5 words the fields stop after it.
 */
static size_t tcp_raw_limit(const zc_pkt *pkt, const uint8_t *p, size_t n)
{
	(void)pkt;
	if (n <= ZC_TCP_DOFF_OFF)
		return n < 4 ? n : 4;
	if ((p[ZC_TCP_DOFF_OFF] >> 4) < 5)
		return ZC_TCP_DOFF_OFF + 1;
	return n;
}

#define TCP_FIELD(fname, end, expr) LAYER_FIELD(fname, ZC_L_TCP, zc_tcp, tcp, tcp_raw_limit, end, expr)

TCP_FIELD(f_tcp_srcport, 2, zd_u64(e->o, zc_tcp_src_port(v)))
TCP_FIELD(f_tcp_dstport, 4, zd_u64(e->o, zc_tcp_dst_port(v)))
TCP_FIELD(f_tcp_seq_raw, 8, zd_u64(e->o, zc_tcp_seq(v)))
TCP_FIELD(f_tcp_ack_raw, 12, zd_u64(e->o, zc_tcp_ack(v)))
TCP_FIELD(f_tcp_hdr_len, 13, zd_u64(e->o, zc_tcp_hdr_len(v)))
TCP_FIELD(f_tcp_flags, 14, zd_hex(e->o, zc_tcp_flags_all(v), 4))
TCP_FIELD(f_tcp_window, 16, zd_u64(e->o, zc_tcp_window(v)))
TCP_FIELD(f_tcp_urgent, 20, zd_u64(e->o, zc_tcp_urgent(v)))
TCP_FIELD(f_tcp_checksum, 18, zd_hex(e->o, zc_tcp_csum(v), 4))

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

/* tcp.len of a TCP header cut short, when its data offset is there and sane. */
static void tcp_len_raw(zd_emit *e)
{
	const uint8_t *p = NULL;
	size_t n = raw_stop(e, ZC_L_TCP, &p), seg, h;

	if (n < ZC_TCP_MIN_HDR_LEN || tcp_raw_limit(e->pkt, p, n) < ZC_TCP_MIN_HDR_LEN || e->pkt->n == 0 ||
	    !ip_upper_len(e, &e->pkt->l[e->pkt->n - 1], &seg))
		return;
	h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
	occ(e);
	zd_u64(e->o, seg > h ? seg - h : 0);
}

static void f_tcp_len(zd_emit *e)
{
	unsigned i;

	for (i = 1; i < e->pkt->n; i++) {
		const zc_layer *l = &e->pkt->l[i], *ip = &e->pkt->l[i - 1];
		size_t seg, h;

		if (l->kind != ZC_L_TCP || !ip_upper_len(e, ip, &seg))
			continue;
		h = zc_tcp_hdr_len(l->v.tcp);
		occ(e);
		zd_u64(e->o, seg > h ? seg - h : 0);
	}
	tcp_len_raw(e);
}

enum { OPT_MSS, OPT_WSCALE, OPT_TSVAL, OPT_TSECR };

/* The options of one kind in a walk, in order. */
static void tcp_opts_in(zd_emit *e, zc_opt_iter it, int which)
{
	zc_opt o;

	while (zc_opt_next(&it, &o) == 1) {
		switch (which) {
		case OPT_MSS:
			if (o.kind != ZC_TCP_OPT_MSS || o.len != 4)
				continue;
			occ(e);
			zd_u64(e->o, zc_load_be16(o.data));
			break;
		case OPT_WSCALE:
			if (o.kind != ZC_TCP_OPT_WSCALE || o.len != 3)
				continue;
			occ(e);
			zd_u64(e->o, o.data[0]);
			break;
		case OPT_TSVAL:
		case OPT_TSECR:
			if (o.kind != ZC_TCP_OPT_TS || o.len != 10)
				continue;
			occ(e);
			zd_u64(e->o, zc_load_be32(o.data + (which == OPT_TSVAL ? 0 : 4)));
			break;
		}
	}
}

/*
 * Every option of the kind, in order, as tshark lists them; for a header
 * cut short, those whose bytes are there.
 */
static void tcp_opt_field(zd_emit *e, int which)
{
	const uint8_t *p = NULL;
	size_t n;

	EACH_LAYER(e, ZC_L_TCP, l)
		tcp_opts_in(e, zc_tcp_opts(l->v.tcp), which);
	n = raw_stop(e, ZC_L_TCP, &p);
	if (n > ZC_TCP_MIN_HDR_LEN && tcp_raw_limit(e->pkt, p, n) > ZC_TCP_MIN_HDR_LEN) {
		size_t h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
		tcp_opts_in(e, zc_opt_iter_make(p + ZC_TCP_MIN_HDR_LEN, (h < n ? h : n) - ZC_TCP_MIN_HDR_LEN), which);
	}
}

static void f_tcp_mss(zd_emit *e) { tcp_opt_field(e, OPT_MSS); }
static void f_tcp_wscale(zd_emit *e) { tcp_opt_field(e, OPT_WSCALE); }
static void f_tcp_tsval(zd_emit *e) { tcp_opt_field(e, OPT_TSVAL); }
static void f_tcp_tsecr(zd_emit *e) { tcp_opt_field(e, OPT_TSECR); }

/* ---------------------------------------------------------------- UDP, ICMP, tunnels */

#define UDP_FIELD(fname, end, expr) LAYER_FIELD(fname, ZC_L_UDP, zc_udp, udp, any_raw_limit, end, expr)

UDP_FIELD(f_udp_srcport, 2, zd_u64(e->o, zc_udp_src_port(v)))
UDP_FIELD(f_udp_dstport, 4, zd_u64(e->o, zc_udp_dst_port(v)))
UDP_FIELD(f_udp_length, 6, zd_u64(e->o, zc_udp_length(v)))
UDP_FIELD(f_udp_checksum, 8, zd_hex(e->o, zc_udp_csum(v), 4))

/*
 * tshark shows what a cut capture has of an ICMP header, but nothing of a
 * message its IP header declares shorter than type, code and checksum.
 */
static size_t icmp_raw_limit(const zc_pkt *pkt, const uint8_t *p, size_t n)
{
	(void)p;
	return pkt->err != ZC_OK && n < 4 ? 0 : n;
}

LAYER_FIELD(f_icmp_type, ZC_L_ICMP4, zc_icmp4, icmp4, icmp_raw_limit, 1, zd_u64(e->o, zc_icmp4_type(v)))
LAYER_FIELD(f_icmp_code, ZC_L_ICMP4, zc_icmp4, icmp4, icmp_raw_limit, 2, zd_u64(e->o, zc_icmp4_code(v)))
LAYER_FIELD(f_icmpv6_type, ZC_L_ICMP6, zc_icmp6, icmp6, icmp_raw_limit, 1, zd_u64(e->o, zc_icmp6_type(v)))
LAYER_FIELD(f_icmpv6_code, ZC_L_ICMP6, zc_icmp6, icmp6, icmp_raw_limit, 2, zd_u64(e->o, zc_icmp6_code(v)))
LAYER_FIELD(f_vxlan_vni, ZC_L_VXLAN, zc_vxlan, vxlan, any_raw_limit, 8, zd_u64(e->o, zc_vxlan_vni(v)))
LAYER_FIELD(f_gre_proto, ZC_L_GRE, zc_gre, gre, any_raw_limit, 4, zd_hex(e->o, zc_gre_proto(v), 4))

/* ---------------------------------------------------------------- the table */

static const struct {
	const char *name;
	zd_field_fn fn;
} zd_table[] = {
	{ "frame.len", f_frame_len },
	{ "eth.src", f_eth_src },
	{ "eth.dst", f_eth_dst },
	{ "eth.type", f_eth_type },
	{ "vlan.id", f_vlan_id },
	{ "arp.opcode", f_arp_opcode },
	{ "arp.src.proto_ipv4", f_arp_spa },
	{ "arp.dst.proto_ipv4", f_arp_tpa },
	{ "ip.version", f_ip_version },
	{ "ip.hdr_len", f_ip_hdr_len },
	{ "ip.dsfield", f_ip_dsfield },
	{ "ip.len", f_ip_len },
	{ "ip.id", f_ip_id },
	{ "ip.flags", f_ip_flags },
	{ "ip.frag_offset", f_ip_frag_offset },
	{ "ip.ttl", f_ip_ttl },
	{ "ip.proto", f_ip_proto },
	{ "ip.checksum", f_ip_checksum },
	{ "ip.src", f_ip_src },
	{ "ip.dst", f_ip_dst },
	{ "ipv6.plen", f_ipv6_plen },
	{ "ipv6.nxt", f_ipv6_nxt },
	{ "ipv6.hlim", f_ipv6_hlim },
	{ "ipv6.flow", f_ipv6_flow },
	{ "ipv6.src", f_ipv6_src },
	{ "ipv6.dst", f_ipv6_dst },
	{ "tcp.srcport", f_tcp_srcport },
	{ "tcp.dstport", f_tcp_dstport },
	{ "tcp.seq_raw", f_tcp_seq_raw },
	{ "tcp.ack_raw", f_tcp_ack_raw },
	{ "tcp.hdr_len", f_tcp_hdr_len },
	{ "tcp.flags", f_tcp_flags },
	{ "tcp.window_size_value", f_tcp_window },
	{ "tcp.urgent_pointer", f_tcp_urgent },
	{ "tcp.checksum", f_tcp_checksum },
	{ "tcp.len", f_tcp_len },
	{ "tcp.options.mss_val", f_tcp_mss },
	{ "tcp.options.wscale.shift", f_tcp_wscale },
	{ "tcp.options.timestamp.tsval", f_tcp_tsval },
	{ "tcp.options.timestamp.tsecr", f_tcp_tsecr },
	{ "udp.srcport", f_udp_srcport },
	{ "udp.dstport", f_udp_dstport },
	{ "udp.length", f_udp_length },
	{ "udp.checksum", f_udp_checksum },
	{ "icmp.type", f_icmp_type },
	{ "icmp.code", f_icmp_code },
	{ "icmpv6.type", f_icmpv6_type },
	{ "icmpv6.code", f_icmpv6_code },
	{ "vxlan.vni", f_vxlan_vni },
	{ "gre.proto", f_gre_proto },
};

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
			fs->fn[fs->n] = zd_table[i].fn;
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

void zd_fields_print(zd_out *o, const zd_fields *fs, const zc_pkt *pkt, int linktype, uint32_t wire_len)
{
	zd_emit e;
	unsigned i;

	e.o = o;
	e.pkt = pkt;
	e.wire_len = wire_len;
	e.linktype = linktype;
	e.agg = fs->agg;
	for (i = 0; i < fs->n; i++) {
		if (i)
			zd_putn(o, fs->sep, fs->seplen);
		if (fs->quote)
			zd_putc(o, fs->quote);
		e.n = 0;
		fs->fn[i](&e);
		if (e.n > 1 && fs->occ == 'f') {
			o->len = e.pos[1] - 1;
		} else if (e.n > 1 && fs->occ == 'l' && e.n <= ZD_MAX_OCC) {
			size_t from = e.pos[e.n - 1], to = e.pos[0];
			memmove(o->buf + to, o->buf + from, o->len - from);
			o->len = to + (o->len - from);
		}
		/* tshark quotes values, not empty columns. */
		if (fs->quote && e.n)
			zd_putc(o, fs->quote);
		else if (fs->quote)
			o->len--;
	}
	zd_putc(o, '\n');
}
