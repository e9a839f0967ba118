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

#include "fields_int.h"

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
 * tshark loads both TCP ports before it shows either, then the 16 bytes
 * through the window before it shows any of them, and with a data offset
 * below 5 words the fields stop after it. (In an ICMPv4 error's quote it
 * shows tcp.seq from 8 bytes: see zd_conv_field().)
 */
static size_t tcp_raw_limit(const uint8_t *p, size_t n)
{
	if (n < 4)
		return 0;
	if (n < 16)
		return 4;
	if ((p[ZC_TCP_DOFF_OFF] >> 4) < 5)
		return ZC_TCP_DOFF_OFF + 1;
	return n;
}

unsigned zd_quote_family(const zc_pkt *pkt, unsigned i)
{
	while (i-- > 0) {
		if (pkt->l[i].kind == ZC_L_ICMP4)
			return 4;
		if (pkt->l[i].kind == ZC_L_ICMP6)
			return 6;
	}
	return 0;
}

unsigned zd_stop_quote(const zc_pkt *pkt)
{
	const zc_layer *last;

	if (pkt->n == 0 || pkt->stop_kind == ZC_L_NONE)
		return 0;
	last = &pkt->l[pkt->n - 1];
	/* After an ICMP layer the walk goes on only into the datagram it quotes. */
	if (!(last->flags & ZC_LF_QUOTED) && last->kind != ZC_L_ICMP4 && last->kind != ZC_L_ICMP6)
		return 0;
	return zd_quote_family(pkt, pkt->n);
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
		 * tshark loads both ports before it shows either, and stops
		 * at a length field below 8 ("bogus"): ports and length, but
		 * no checksum.
		 */
		if (n < 4)
			return 0;
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

/*
 * A handler of field(), kept out of it: inlined, it would make field() keep
 * a frame for every field printed, where field() is otherwise one jump.
 */
#define ZD_HANDLER __attribute__((noinline)) static
_Static_assert(ZC_L_KIND_COUNT <= 32, "a layer kind is a bit of zd_emit.kinds");

static void index_layers(zd_emit *e)
{
	const zc_pkt *pkt = e->pkt;
	unsigned i, k;

	memset(e->nk, 0, sizeof e->nk);
	e->nip = 0;
	e->kinds = 1u << pkt->stop_kind;
	for (i = 0; i < pkt->n; i++) {
		k = pkt->l[i].kind;
		if (k >= ZC_L_KIND_COUNT)
			continue;
		e->kinds |= 1u << k;
		e->at[k][e->nk[k]++] = (uint8_t)i;
		if (k == ZC_L_IPV4 || k == ZC_L_IPV6)
			e->ip[e->nip++] = (uint8_t)i;
	}
	e->raw_lim = 0;
	e->raw_len = zc_pkt_stop_layer(pkt, &e->raw);
	if (e->raw_len) {
		e->raw_p = pkt->frame.p + pkt->stop_off;
		e->raw_lim = raw_limit(pkt, e->raw.kind, e->raw_p, e->raw_len);
	}
	e->opts = false;
}

/* ---------------------------------------------------------------- values from a view */

/* A 0 or 1 for a bit. */
static inline char *put_bit(char *w, unsigned v)
{
	*w++ = v ? '1' : '0';
	return w;
}

/* The two addresses of a pair field (ip.addr ...): the second as an occurrence of its own. */
static char *put_pair_mac(zd_emit *e, char *w, const uint8_t *a, const uint8_t *b)
{
	w = zd_w_mac(w, a);
	w = occ(e, w);
	return zd_w_mac(w, b);
}

/*
 * IPv4 layer l's destination as tshark shows it: the final destination of
 * each loose or strict source route with an address left (RFC 791 section
 * 3.1: the last address of a route whose pointer is at an address), where
 * the header's destination is only the current hop; the header's
 * destination otherwise.
 */
static char *put_ipv4_dst(zd_emit *e, char *w, const zc_layer *l)
{
	unsigned n = 0;

	/* The stop layer's view holds no options; most headers have none. */
	if (l != &e->raw && zc_ipv4_hdr_len(l->v.ipv4) > ZC_IPV4_MIN_HDR_LEN) {
		zc_opt_iter it = zc_ipv4_opts(l->v.ipv4);
		zc_opt o;

		while (zc_opt_next(&it, &o) == 1) {
			if ((o.kind != ZC_IPV4_OPT_LSRR && o.kind != ZC_IPV4_OPT_SSRR) || o.len < 7 ||
			    o.data[0] < 4 || o.data[0] + 3u > o.len)
				continue;
			if (n++)
				w = occ(e, w);
			w = zd_w_ipv4(w, o.data + o.len - 6);
		}
	}
	return n ? w : zd_w_ipv4(w, zc_ipv4_dst_bytes(l->v.ipv4));
}

static char *put_pair_ipv6(zd_emit *e, char *w, const uint8_t *a, const uint8_t *b)
{
	w = zd_w_ipv6(w, a);
	w = occ(e, w);
	return zd_w_ipv6(w, b);
}

static char *put_pair_u16(zd_emit *e, char *w, uint16_t a, uint16_t b)
{
	w = zd_w_u64(w, a);
	w = occ(e, w);
	return zd_w_u64(w, b);
}

/* tshark's tcp.flags.str: the twelve flag bits from the top, a letter where set, a middle dot where not. */
static char *tcp_flags_str(char *w, uint16_t f)
{
	static const char letters[] = "RRRACEUAPRSF";
	int i;

	for (i = 11; i >= 0; i--) {
		if (f & (1u << i)) {
			*w++ = letters[11 - i];
		} else {
			memcpy(w, "\xc2\xb7", 2);
			w += 2;
		}
	}
	return w;
}

/* The Ethernet, IP and TCP fields added to tshark 4.0's most used ones; see put_value(). */
static char *put_value_l2l3(zd_emit *e, char *w, unsigned id, const zc_layer *l)
{
	switch (id) {
	case F_ETH_ADDR: return put_pair_mac(e, w, zc_eth_dst(l->v.eth), zc_eth_src(l->v.eth));
	case F_ETH_DST_LG: return put_bit(w, zc_eth_dst(l->v.eth)[0] & 2);
	case F_ETH_DST_IG: return put_bit(w, zc_eth_dst(l->v.eth)[0] & 1);
	case F_ETH_SRC_LG: return put_bit(w, zc_eth_src(l->v.eth)[0] & 2);
	case F_ETH_SRC_IG: return put_bit(w, zc_eth_src(l->v.eth)[0] & 1);
	case F_ETH_LG:
		w = put_bit(w, zc_eth_dst(l->v.eth)[0] & 2);
		w = occ(e, w);
		return put_bit(w, zc_eth_src(l->v.eth)[0] & 2);
	case F_ETH_IG:
		w = put_bit(w, zc_eth_dst(l->v.eth)[0] & 1);
		w = occ(e, w);
		return put_bit(w, zc_eth_src(l->v.eth)[0] & 1);
	case F_IP_ADDR:
	case F_IP_HOST:
		w = zd_w_ipv4(w, zc_ipv4_src_bytes(l->v.ipv4));
		w = occ(e, w);
		return put_ipv4_dst(e, w, l);
	case F_IP_SRC_HOST: return zd_w_ipv4(w, zc_ipv4_src_bytes(l->v.ipv4));
	case F_IP_DST_HOST: return put_ipv4_dst(e, w, l);
	case F_IP_DSCP: return zd_w_u64(w, zc_ipv4_tos(l->v.ipv4) >> 2);
	case F_IP_ECN: return zd_w_u64(w, zc_ipv4_tos(l->v.ipv4) & 3);
	case F_IP_FLAGS_RB: return put_bit(w, zc_ipv4_frag_word(l->v.ipv4) & 0x8000);
	case F_IP_FLAGS_DF: return put_bit(w, zc_ipv4_frag_word(l->v.ipv4) & 0x4000);
	case F_IP_FLAGS_MF: return put_bit(w, zc_ipv4_frag_word(l->v.ipv4) & 0x2000);
	/* tshark does not check IP, TCP and UDP checksums by default: "unverified". */
	case F_IP_CHECKSUM_STATUS:
	case F_TCP_CHECKSUM_STATUS: *w++ = '2'; return w;
	case F_IPV6_VERSION: return zd_w_u64(w, 6);
	case F_IPV6_TCLASS: return zd_w_hex(w, zc_ipv6_tclass(l->v.ipv6), 8);
	case F_IPV6_TCLASS_DSCP: return zd_w_u64(w, zc_ipv6_tclass(l->v.ipv6) >> 2);
	case F_IPV6_TCLASS_ECN: return zd_w_u64(w, zc_ipv6_tclass(l->v.ipv6) & 3);
	case F_IPV6_ADDR:
	case F_IPV6_HOST: return put_pair_ipv6(e, w, zc_ipv6_src(l->v.ipv6), zc_ipv6_dst(l->v.ipv6));
	case F_IPV6_SRC_HOST: return zd_w_ipv6(w, zc_ipv6_src(l->v.ipv6));
	case F_IPV6_DST_HOST: return zd_w_ipv6(w, zc_ipv6_dst(l->v.ipv6));
	default: return w;
	}
}

/*
 * A UDP checksum of 0 is "not present" (3) over IPv4 and "illegal" (4)
 * over IPv6 (RFC 8200 section 8.1); any other is not checked (2).
 */
static char *udp_csum_status(const zd_emit *e, char *w, const zc_layer *l)
{
	const zc_pkt *pkt = e->pkt;
	int up = l == &e->raw ? (int)pkt->n - 1 : zc_pkt_parent(pkt, (unsigned)(l - pkt->l));

	if (zc_udp_csum(l->v.udp) != 0)
		*w++ = '2';
	else if (up >= 0 && pkt->l[up].kind == ZC_L_IPV6)
		*w++ = '4';
	else
		*w++ = '3';
	return w;
}

static char *put_value2(zd_emit *e, char *w, unsigned id, const zc_layer *l)
{
	switch (id) {
	case F_UDP_CHECKSUM_STATUS: return udp_csum_status(e, w, l);
	case F_TCP_PORT: return put_pair_u16(e, w, zc_tcp_src_port(l->v.tcp), zc_tcp_dst_port(l->v.tcp));
	case F_UDP_PORT: return put_pair_u16(e, w, zc_udp_src_port(l->v.udp), zc_udp_dst_port(l->v.udp));
	case F_TCP_FLAGS_STR: return tcp_flags_str(w, zc_tcp_flags_all(l->v.tcp));
	case F_TCP_FLAGS_RES: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & 0xe00);
	case F_TCP_FLAGS_AE: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_NS);
	case F_TCP_FLAGS_CWR: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_CWR);
	case F_TCP_FLAGS_ECE: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_ECE);
	case F_TCP_FLAGS_URG: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_URG);
	case F_TCP_FLAGS_ACK: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_ACK);
	case F_TCP_FLAGS_PUSH: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_PSH);
	case F_TCP_FLAGS_RESET: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_RST);
	case F_TCP_FLAGS_SYN: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_SYN);
	case F_TCP_FLAGS_FIN: return put_bit(w, zc_tcp_flags_all(l->v.tcp) & ZC_TCP_FIN);
	case F_ICMP_CHECKSUM: return zd_w_hex(w, zc_icmp4_csum(l->v.icmp4), 4);
	case F_ICMPV6_CHECKSUM: return zd_w_hex(w, zc_icmp6_csum(l->v.icmp6), 4);
	case F_GRE_FLAGS_AND_VERSION: return zd_w_hex(w, zc_gre_flags(l->v.gre), 4);
	case F_GRE_FLAGS_CHECKSUM: return put_bit(w, zc_gre_flags(l->v.gre) & 0x8000);
	case F_GRE_FLAGS_ROUTING: return put_bit(w, zc_gre_flags(l->v.gre) & 0x4000);
	case F_GRE_FLAGS_KEY: return put_bit(w, zc_gre_flags(l->v.gre) & 0x2000);
	case F_GRE_FLAGS_SEQ: return put_bit(w, zc_gre_flags(l->v.gre) & 0x1000);
	case F_GRE_FLAGS_VERSION: return zd_w_u64(w, zc_gre_flags(l->v.gre) & 7);
	case F_VXLAN_FLAGS: return zd_w_hex(w, (uint16_t)(zc_vxlan_flags(l->v.vxlan) << 8), 4);
	case F_GENEVE_VERSION: return zd_w_u64(w, zc_geneve_version(l->v.geneve));
	case F_GENEVE_OAM: return put_bit(w, zc_geneve_oam(l->v.geneve));
	case F_GENEVE_CRITICAL: return put_bit(w, zc_geneve_critical(l->v.geneve));
	case F_GENEVE_PROTO: return zd_w_hex(w, zc_geneve_proto(l->v.geneve), 4);
	case F_GENEVE_VNI: return zd_w_hex(w, zc_geneve_vni(l->v.geneve), 6);
	default:
		return put_value_l2l3(e, w, id, l);
	}
}

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
	case F_IP_DST: w = put_ipv4_dst(e, w, l); break;

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
	default: w = put_value2(e, w, id, l); break;
	}
	return w;
}

/* Every layer of the field's kind, then the stop layer when the field's bytes are there. */
ZD_HANDLER char *layer_field(zd_emit *e, char *w, const zd_field *f)
{
	unsigned k, K = f->kind;

	for (k = 0; k < e->nk[K]; k++) {
		/* tshark shows no tcp.seq_raw in an ICMPv4 error's quote (tcp.seq is the raw number there). */
		if (f->id == F_TCP_SEQ_RAW && (layer_at(e, K, k)->flags & ZC_LF_QUOTED) &&
		    zd_quote_family(e->pkt, e->at[K][k]) == 4)
			continue;
		w = occ(e, w);
		w = put_value(e, w, f->id, layer_at(e, K, k));
	}
	if (f->id == F_TCP_SEQ_RAW && zd_stop_quote(e->pkt) == 4)
		return w;
	/* Nor tcp.ack_raw for a data offset below 5 words: it stops before. */
	if (f->id == F_TCP_ACK_RAW && e->pkt->stop_kind == ZC_L_TCP && e->raw_lim == ZC_TCP_DOFF_OFF + 1)
		return w;
	if (e->pkt->stop_kind == K && e->raw_lim >= f->end) {
		w = occ(e, w);
		w = put_value(e, w, f->id, &e->raw);
	}
	return w;
}

/* ---------------------------------------------------------------- Ethernet, ARP */

/* The type field after the addresses: the first TPID when tagged; none for 802.3. */
ZD_HANDLER char *eth_type(zd_emit *e, char *w)
{
	const uint8_t *rp = NULL;
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_ETH]; k++) {
		zc_eth v = layer_at(e, ZC_L_ETH, k)->v.eth;
		uint16_t t = zc_eth_ntags(v) ? zc_eth_tag_tpid(v, 0) : zc_eth_type(v);
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
ZD_HANDLER char *vlan_id(zd_emit *e, char *w)
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

/* The priority, DEI and inner type of each 802.1Q tag (tshark's vlan.*). */
ZD_HANDLER char *vlan_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k, t;

	for (k = 0; k < e->nk[ZC_L_ETH]; k++) {
		zc_eth v = layer_at(e, ZC_L_ETH, k)->v.eth;
		unsigned nt = zc_eth_ntags(v);

		for (t = 0; t < nt; t++) {
			uint16_t tpid = zc_eth_tag_tpid(v, t);
			uint16_t inner = t + 1 < nt ? zc_eth_tag_tpid(v, t + 1) : zc_eth_type(v);

			if (tpid != ZC_ETH_P_VLAN && tpid != ZC_ETH_P_QINQ_OLD)
				continue;
			/* A length after the tag (802.3 inside it) is no type to show. */
			if (id == F_VLAN_ETYPE && inner < ZC_ETH_MIN_TYPE)
				continue;
			w = occ(e, w);
			if (id == F_VLAN_PRIORITY)
				w = zd_w_u64(w, zc_eth_tag_tci(v, t) >> 13);
			else if (id == F_VLAN_DEI)
				*w++ = (zc_eth_tag_tci(v, t) & 0x1000) ? '1' : '0';
			else
				w = zd_w_hex(w, inner, 4);
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

/* tshark shows hardware addresses as MACs for Ethernet (1) and IEEE 802 (6) only, 6 bytes each. */
static bool arp_hw_is_mac(uint16_t htype, size_t hln)
{
	return (htype == 1 || htype == 6) && hln == 6;
}

/* The fixed part's fields and the hardware addresses of an Ethernet and IPv4 ARP packet. */
static char *arp_more(zd_emit *e, char *w, unsigned id, zc_arp v)
{
	if ((id == F_ARP_SHA || id == F_ARP_THA) && !arp_hw_is_mac(zc_arp_htype(v), 6))
		return w;
	w = occ(e, w);
	switch (id) {
	case F_ARP_HW_TYPE: return zd_w_u64(w, zc_arp_htype(v));
	case F_ARP_PROTO_TYPE: return zd_w_hex(w, zc_arp_ptype(v), 4);
	case F_ARP_HW_SIZE: return zd_w_u64(w, 6);
	case F_ARP_PROTO_SIZE: return zd_w_u64(w, 4);
	case F_ARP_SHA: return zd_w_mac(w, zc_arp_sha(v));
	default: return zd_w_mac(w, zc_arp_tha(v));
	}
}

/* The same for an ARP packet zc_arp_parse() does not support, as far as its sizes and bytes go. */
static char *arp_more_raw(zd_emit *e, char *w, unsigned id)
{
	const uint8_t *p = NULL;
	size_t n = raw_stop(e, ZC_L_ARP, &p), hln;

	if (n < ZC_ARP_FIXED_LEN || (zc_load_be16(p + ZC_ARP_HTYPE_OFF) == 19 && !atmarp_whole(p, n)))
		return w;
	hln = p[ZC_ARP_HLEN_OFF];
	switch (id) {
	case F_ARP_HW_TYPE: return zd_w_u64(occ(e, w), zc_load_be16(p + ZC_ARP_HTYPE_OFF));
	case F_ARP_PROTO_TYPE: return zd_w_hex(occ(e, w), zc_load_be16(p + ZC_ARP_PTYPE_OFF), 4);
	case F_ARP_HW_SIZE: return zd_w_u64(occ(e, w), hln);
	case F_ARP_PROTO_SIZE: return zd_w_u64(occ(e, w), p[ZC_ARP_PLEN_OFF]);
	default:
		if (!arp_hw_is_mac(zc_load_be16(p + ZC_ARP_HTYPE_OFF), hln) ||
		    n < ZC_ARP_FIXED_LEN + 2 * hln + 2 * (size_t)p[ZC_ARP_PLEN_OFF])
			return w;
		return zd_w_mac(occ(e, w), p + ZC_ARP_FIXED_LEN + (id == F_ARP_SHA ? 0 : hln + p[ZC_ARP_PLEN_OFF]));
	}
}

ZD_HANDLER char *arp_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	if (id != F_ARP_OPCODE && id != F_ARP_SPA && id != F_ARP_TPA) {
		for (k = 0; k < e->nk[ZC_L_ARP]; k++)
			w = arp_more(e, w, id, layer_at(e, ZC_L_ARP, k)->v.arp);
		return arp_more_raw(e, w, id);
	}

	for (k = 0; k < e->nk[ZC_L_ARP]; k++) {
		zc_arp v = layer_at(e, ZC_L_ARP, k)->v.arp;
		w = occ(e, w);
		if (id == F_ARP_OPCODE)
			w = zd_w_u64(w, zc_arp_op(v));
		else
			w = zd_w_ipv4(w, id == F_ARP_SPA ? zc_arp_spa_bytes(v) : zc_arp_tpa_bytes(v));
	}
	w = arp_raw(e, w, id);
	return w;
}

/* ---------------------------------------------------------------- IP */

/* tshark's IPv6 dissector fills ip.version too: both versions, in order. */
ZD_HANDLER char *ip_version(zd_emit *e, char *w)
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
bool zd_ip_upper_len(const zd_emit *e, const zc_layer *ip, size_t *seg)
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

ZD_HANDLER char *tcp_len(zd_emit *e, char *w)
{
	const zc_pkt *pkt = e->pkt;
	const uint8_t *p = NULL;
	size_t n, seg, h;
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_TCP]; k++) {
		unsigned i = e->at[ZC_L_TCP][k];

		/* tshark gives no length to a segment in an IP fragment or in an ICMP error's quote. */
		if (i == 0 || zd_in_fragment(pkt, i) || (pkt->l[i].flags & ZC_LF_QUOTED) ||
		    !zd_ip_upper_len(e, &pkt->l[i - 1], &seg))
			continue;
		/* Nor to one shorter than its header ("short segment"). */
		h = zc_tcp_hdr_len(pkt->l[i].v.tcp);
		if (seg < h)
			continue;
		w = occ(e, w);
		w = zd_w_u64(w, seg - h);
	}
	/*
	 * A TCP header cut short or of a bogus data offset: tshark has its
	 * length once it has loaded the 16 bytes through the window.
	 */
	n = raw_stop(e, ZC_L_TCP, &p);
	if (n < 16 || pkt->n == 0 || zd_stop_quote(pkt) || !zd_ip_upper_len(e, &pkt->l[pkt->n - 1], &seg))
		return w;
	h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
	if (seg < h)
		return w;
	w = occ(e, w);
	w = zd_w_u64(w, seg - h);
	return w;
}

/* A SACK option's blocks, relative to base (the other direction's base sequence number). */
static void tcp_sack(zd_emit *e, const zc_opt *o, uint32_t base)
{
	unsigned b, nb = (o->len - 2u) / 8;

	if (e->nsackopt < ZD_OPT_MAX)
		e->sackcount[e->nsackopt++] = (uint8_t)nb;
	for (b = 0; b < nb && e->nsack + 2 <= 2 * ZD_OPT_MAX; b++) {
		e->sack[e->nsack++] = zc_load_be32(o->data + 8 * b) - base;
		e->sack[e->nsack++] = zc_load_be32(o->data + 8 * b + 4) - base;
	}
}

/* The options the option fields print, from one walk of the list. */
static void tcp_opts_walk(zd_emit *e, zc_opt_iter it, uint32_t base)
{
	const uint8_t *at = it.p, *end = it.end;
	zc_opt o;

	while (zc_opt_next(&it, &o) == 1) {
		/*
		 * tshark goes on after an EOL while the bytes after it are 0,
		 * each one more EOL, and stops at the first that is not.
		 */
		if (o.kind == ZC_TCP_OPT_EOL && at + 1 < end && at[1] == ZC_TCP_OPT_EOL)
			it = zc_opt_iter_make(at + 1, (size_t)(end - at - 1));
		at = it.p;
		if (e->nall < ZD_OPT_MAX) {
			e->okind[e->nall] = o.kind;
			e->olen[e->nall++] = o.kind > ZC_TCP_OPT_NOP ? (uint8_t)o.len : 0;
		}
		if (o.kind == ZC_TCP_OPT_MSS && o.len == 4) {
			if (e->nmss < ZD_OPT_MAX)
				e->mss[e->nmss++] = zc_load_be16(o.data);
		} else if (o.kind == ZC_TCP_OPT_WSCALE && o.len == 3) {
			if (e->nwscale < ZD_OPT_MAX)
				e->wscale[e->nwscale++] = o.data[0];
		} else if (o.kind == ZC_TCP_OPT_TS && o.len == 10) {
			if (e->nts < ZD_OPT_MAX)
				e->ts[e->nts++] = o.data;
		} else if (o.kind == ZC_TCP_OPT_SACK && o.len >= 10 && (o.len - 2) % 8 == 0) {
			tcp_sack(e, &o, base);
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

	e->nmss = e->nwscale = e->nts = e->nall = e->nsack = e->nsackopt = 0;
	for (k = 0; k < e->nk[ZC_L_TCP]; k++)
		tcp_opts_walk(e, zc_tcp_opts(layer_at(e, ZC_L_TCP, k)->v.tcp), e->tcp_ok[k] ? e->tcp[k].ack_base : 0);
	n = raw_stop(e, ZC_L_TCP, &p);
	if (n > ZC_TCP_MIN_HDR_LEN && e->raw_lim > ZC_TCP_MIN_HDR_LEN) {
		size_t h = (size_t)(p[ZC_TCP_DOFF_OFF] >> 4) * 4;
		tcp_opts_walk(e, zc_opt_iter_make(p + ZC_TCP_MIN_HDR_LEN, (h < n ? h : n) - ZC_TCP_MIN_HDR_LEN), 0);
	}
	e->opts = true;
}

/* n values of the array a of the given element type, one occurrence each. */
#define ZD_PUT_ALL(e, w, a, n, expr)              \
	do {                                      \
		unsigned i_;                      \
		for (i_ = 0; i_ < (n); i_++) {    \
			(w) = occ((e), (w));      \
			(w) = zd_w_u64((w), expr); \
		}                                 \
	} while (0)

static char *tcp_opt_values(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	switch (id) {
	case F_TCP_MSS: ZD_PUT_ALL(e, w, e->mss, e->nmss, e->mss[i_]); break;
	case F_TCP_WSCALE: ZD_PUT_ALL(e, w, e->wscale, e->nwscale, e->wscale[i_]); break;
	case F_TCP_WSCALE_MULT:
		ZD_PUT_ALL(e, w, e->wscale, e->nwscale, 1u << (e->wscale[i_] > 14 ? 14 : e->wscale[i_]));
		break;
	case F_TCP_TSVAL: ZD_PUT_ALL(e, w, e->ts, e->nts, zc_load_be32(e->ts[i_])); break;
	case F_TCP_TSECR: ZD_PUT_ALL(e, w, e->ts, e->nts, zc_load_be32(e->ts[i_] + 4)); break;
	case F_TCP_OPTION_KIND: ZD_PUT_ALL(e, w, e->okind, e->nall, e->okind[i_]); break;
	case F_TCP_SACK_COUNT: ZD_PUT_ALL(e, w, e->sackcount, e->nsackopt, e->sackcount[i_]); break;
	case F_TCP_SACK_LE:
	case F_TCP_SACK_RE:
		for (k = id == F_TCP_SACK_LE ? 0 : 1; k < e->nsack; k += 2) {
			w = occ(e, w);
			w = zd_w_u64(w, e->sack[k]);
		}
		break;
	default: /* F_TCP_OPTION_LEN: the options with a length byte */
		for (k = 0; k < e->nall; k++) {
			if (e->okind[k] <= ZC_TCP_OPT_NOP)
				continue;
			w = occ(e, w);
			w = zd_w_u64(w, e->olen[k]);
		}
		break;
	}
	return w;
}

ZD_HANDLER char *tcp_opt_field(zd_emit *e, char *w, unsigned id)
{
	if (e->nk[ZC_L_TCP] == 0 && e->pkt->stop_kind != ZC_L_TCP)
		return w;
	if (!e->opts)
		tcp_opts_collect(e);
	return tcp_opt_values(e, w, id);
}

/* ---------------------------------------------------------------- one field */

/* GRE's key and sequence number, present when their flags say. */
ZD_HANDLER char *gre_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_GRE]; k++) {
		zc_gre g = layer_at(e, ZC_L_GRE, k)->v.gre;

		if (id == F_GRE_KEY && zc_gre_has_key(g))
			w = zd_w_hex(occ(e, w), zc_gre_key(g), 8);
		else if (id == F_GRE_SEQ && zc_gre_has_seq(g))
			w = zd_w_u64(occ(e, w), zc_gre_seq(g));
	}
	return w;
}

/* The fields with rules of their own, beside the per-layer ones of put_value(); NULL when f is not one. */
/* How a field is printed: zd_field.cls, from zd_field_class() when the field is looked up. */
enum {
	FC_LAYER,      /* from each layer of its kind: layer_field() */
	FC_FRAME,
	FC_VLAN,
	FC_ARP,
	FC_TCP_OPT,
	FC_ICMP4,
	FC_ICMP6,
	FC_GRE,
	FC_CONV,
	FC_ETH_TYPE,
	FC_VLAN_ID,
	FC_IP_VERSION,
	FC_TCP_LEN,
};

unsigned zd_field_class(unsigned id)
{
	switch (id) {
	case F_FRAME_LEN:
	case F_FRAME_NUMBER:
	case F_FRAME_TIME_EPOCH:
	case F_FRAME_TIME_RELATIVE:
	case F_FRAME_TIME_DELTA:
	case F_FRAME_TIME_DELTA_DISPLAYED:
	case F_FRAME_CAP_LEN:
	case F_FRAME_MARKED:
	case F_FRAME_IGNORED:
	case F_FRAME_PROTOCOLS:
		return FC_FRAME;
	case F_VLAN_PRIORITY:
	case F_VLAN_DEI:
	case F_VLAN_ETYPE:
		return FC_VLAN;
	case F_ARP_HW_TYPE:
	case F_ARP_PROTO_TYPE:
	case F_ARP_HW_SIZE:
	case F_ARP_PROTO_SIZE:
	case F_ARP_SHA:
	case F_ARP_THA:
	case F_ARP_OPCODE:
	case F_ARP_SPA:
	case F_ARP_TPA:
		return FC_ARP;
	case F_TCP_WSCALE_MULT:
	case F_TCP_SACK_LE:
	case F_TCP_SACK_RE:
	case F_TCP_SACK_COUNT:
	case F_TCP_OPTION_KIND:
	case F_TCP_OPTION_LEN:
	case F_TCP_MSS:
	case F_TCP_WSCALE:
	case F_TCP_TSVAL:
	case F_TCP_TSECR:
		return FC_TCP_OPT;
	case F_ICMP_IDENT:
	case F_ICMP_SEQ:
	case F_ICMP_IDENT_LE:
	case F_ICMP_SEQ_LE:
	case F_ICMP_MTU:
		return FC_ICMP4;
	case F_ICMPV6_ECHO_ID:
	case F_ICMPV6_ECHO_SEQ:
	case F_ICMPV6_MTU:
	case F_ICMPV6_NS_TARGET:
	case F_ICMPV6_NA_TARGET:
	case F_ICMPV6_NA_FLAG:
	case F_ICMPV6_NA_FLAG_R:
	case F_ICMPV6_NA_FLAG_S:
	case F_ICMPV6_NA_FLAG_O:
	case F_ICMPV6_OPT_TYPE:
	case F_ICMPV6_OPT_LENGTH:
	case F_ICMPV6_OPT_LINKADDR:
		return FC_ICMP6;
	case F_GRE_KEY:
	case F_GRE_SEQ:
		return FC_GRE;
	case F_ETH_TYPE:
		return FC_ETH_TYPE;
	case F_VLAN_ID:
		return FC_VLAN_ID;
	case F_IP_VERSION:
		return FC_IP_VERSION;
	case F_TCP_LEN:
		return FC_TCP_LEN;
	default:
		return zd_field_needs_conv(id) ? FC_CONV : FC_LAYER;
	}
}

static char *field(zd_emit *e, char *w, const zd_field *f)
{
	switch (f->cls) {
	case FC_FRAME: return zd_frame_field(e, w, f->id);
	case FC_VLAN: return vlan_field(e, w, f->id);
	case FC_ARP: return arp_field(e, w, f->id);
	case FC_TCP_OPT: return tcp_opt_field(e, w, f->id);
	case FC_ICMP4: return zd_icmp4_field(e, w, f->id);
	case FC_ICMP6: return zd_icmp6_field(e, w, f->id);
	case FC_GRE: return gre_field(e, w, f->id);
	case FC_CONV: return zd_conv_field(e, w, f->id);
	case FC_ETH_TYPE: return eth_type(e, w);
	case FC_VLAN_ID: return vlan_id(e, w);
	case FC_IP_VERSION: return ip_version(e, w);
	case FC_TCP_LEN: return tcp_len(e, w);
	default: return layer_field(e, w, f);
	}
}

/*
 * The layers tshark shows where libzc goes further into a quote: an ICMPv6
 * error's quote whose version is not 6 is data to tshark (*data), and of a
 * redirect's quote it takes the IP header and 8 bytes (RFC 792), so an ICMP
 * or UDP header there is the last it shows. Returns the number of layers
 * to show, and whether the rest, stop layer included, goes (*stop).
 */
static unsigned quote_end(const zc_pkt *pkt, bool *data, bool *stop)
{
	unsigned i;

	*data = *stop = false;
	for (i = 0; i < pkt->n; i++) {
		const zc_layer *l = &pkt->l[i];
		bool last = i + 1 == pkt->n;
		size_t at = last ? pkt->stop_off : pkt->l[i + 1].off;

		if ((l->flags & ZC_LF_QUOTED) || (last && (pkt->stop_kind == ZC_L_NONE || pkt->stop_len == 0)))
			continue;
		if (l->kind == ZC_L_ICMP6 && (pkt->frame.p[at] >> 4) != 6) {
			*data = *stop = true;
			return i + 1;
		}
		if (l->kind == ZC_L_ICMP4 && zc_icmp4_type(l->v.icmp4) == ZC_ICMP4_REDIRECT && i + 2 < pkt->n &&
		    (pkt->l[i + 2].kind == ZC_L_ICMP4 || pkt->l[i + 2].kind == ZC_L_UDP) &&
		    (i + 3 < pkt->n || pkt->stop_kind != ZC_L_NONE)) {
			*stop = true;
			return i + 3;
		}
	}
	return pkt->n;
}

void zd_fields_begin(zd_fields *fs, const zc_pkt *pkt, const zd_frame *fr)
{
	zd_emit *e = fs->emit;
	bool stop;
	unsigned n = quote_end(pkt, &e->quote_data, &stop);

	if (stop) {
		/* Rare: a copy of the record cut where tshark stops. */
		e->trim = *pkt;
		e->trim.n = (uint8_t)n;
		e->trim.stop_kind = ZC_L_NONE;
		e->trim.stop_len = 0;
		pkt = &e->trim;
	}
	e->pkt = pkt;
	e->wire_len = fr->len;
	e->linktype = fr->linktype;
	e->fr = fr;
	e->fs = fs;
	index_layers(e);
	memset(e->tcp_ok, 0, sizeof e->tcp_ok);
	if (fs->conv)
		zd_conv_index(e);
}

size_t zd_fields_render(zd_fields *fs, const zd_field *f, char *buf, unsigned *count)
{
	zd_emit *e = fs->emit;
	char *w;

	e->agg = ZD_RENDER_AGG;
	e->n = 0;
	w = field(e, buf, f);
	*count = e->n;
	return (size_t)(w - buf);
}

/* -E occurrence=f|l: the first or the last of the column's occurrences. */
static char *pick_occurrence(const zd_fields *fs, const zd_emit *e, char *w)
{
	if (e->n > 1 && fs->occ == 'f')
		return e->pos[1] - 1;
	if (e->n > 1 && fs->occ == 'l' && e->n <= ZD_MAX_OCC) {
		char *from = e->pos[e->n - 1], *to = e->pos[0];
		memmove(to, from, (size_t)(w - from));
		return to + (w - from);
	}
	return w;
}

void zd_fields_print(zd_out *o, zd_fields *fs)
{
	zd_emit *e = fs->emit;
	char *w = o->buf + o->len; /* a local cursor: see out.h */
	unsigned i;

	e->agg = fs->agg;
	/* The usual form: one-character separator, no quotes, every occurrence. */
	if (fs->seplen == 1 && !fs->quote && fs->occ == 'a') {
		for (i = 0; i < fs->n; i++) {
			const zd_field *f = &fs->f[i];
			if (i)
				*w++ = fs->sep[0];
			e->n = 0;
			if (!f->gate || (f->gate & e->kinds))
				w = field(e, w, f);
		}
		*w++ = '\n';
		o->len = (size_t)(w - o->buf);
		return;
	}
	for (i = 0; i < fs->n; i++) {
		if (i) {
			if (fs->seplen == 1)
				*w++ = fs->sep[0];
			else
				w = (char *)memcpy(w, fs->sep, fs->seplen) + fs->seplen;
		}
		if (fs->quote)
			*w++ = fs->quote;
		e->n = 0;
		/* Most fields asked for are of a protocol the packet does not carry: one test each. */
		if (!fs->f[i].gate || (fs->f[i].gate & e->kinds))
			w = pick_occurrence(fs, e, field(e, w, &fs->f[i]));
		/* tshark quotes values, not empty columns. */
		if (fs->quote && e->n)
			*w++ = fs->quote;
		else if (fs->quote)
			w--;
	}
	*w++ = '\n';
	o->len = (size_t)(w - o->buf);
}

void zd_fields_done(zd_fields *fs, bool displayed)
{
	const zd_frame *fr = fs->emit->fr;

	if (!fs->have_prev)
		fs->first_ns = fr->ns;
	fs->prev_ns = fr->ns;
	if (displayed) {
		fs->prev_disp_ns = fr->ns;
		fs->have_disp = true;
	}
	fs->have_prev = true;
}
