/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/summary.c - tcpdump-like lines and the protocol hierarchy.
 */
#include "summary.h"
#include "line.h"
#include "hexdump.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- one line */

static void put_2d(zd_out *o, unsigned v)
{
	zd_putc(o, (char)('0' + v / 10 % 10));
	zd_putc(o, (char)('0' + v % 10));
}

/* How the line begins: tcpdump's -t options (ZD_TIME_*). */
static int time_mode = ZD_TIME_LOCAL;
static bool have_first;
static struct timeval first_tv, prev_tv;

void zd_summary_time_mode(int mode)
{
	time_mode = mode;
}

static void put_usec(zd_out *o, unsigned long us)
{
	int i;

	for (i = 5; i >= 0; i--) {
		o->buf[o->len + (size_t)i] = (char)('0' + us % 10);
		us /= 10;
	}
	o->len += 6;
}

/* HH:MM:SS.uuuuuu in local time, as tcpdump prints; localtime once a second. */
static void put_clock(zd_out *o, const struct timeval *ts, bool date)
{
	static time_t last = (time_t)-1;
	static char stamp[20]; /* YYYY-MM-DD HH:MM:SS */
	time_t t = ts->tv_sec;

	if (t != last) {
		struct tm tm;

		if (!localtime_r(&t, &tm))
			memset(&tm, 0, sizeof tm);
		snprintf(stamp, sizeof stamp, "%04u-%02u-%02u %02u:%02u:%02u",
			 (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100,
			 (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
		last = t;
	}
	zd_putn(o, date ? stamp : stamp + 11, date ? 19 : 8);
	zd_putc(o, '.');
	put_usec(o, (unsigned long)ts->tv_usec);
}

/* A time difference as " HH:MM:SS.uuuuuu" (a minus sign instead of the space when negative). */
static void put_delta(zd_out *o, const struct timeval *a, const struct timeval *b)
{
	int64_t us = ((int64_t)a->tv_sec - b->tv_sec) * 1000000 + (a->tv_usec - b->tv_usec);
	uint64_t u = us < 0 ? (uint64_t)-us : (uint64_t)us, sec = u / 1000000;

	zd_putc(o, us < 0 ? '-' : ' ');
	put_2d(o, (unsigned)(sec / 3600 % 100));
	zd_putc(o, ':');
	put_2d(o, (unsigned)(sec / 60 % 60));
	zd_putc(o, ':');
	put_2d(o, (unsigned)(sec % 60));
	zd_putc(o, '.');
	put_usec(o, (unsigned long)(u % 1000000));
}

static void put_time(zd_out *o, const struct timeval *ts)
{
	if (!have_first) {
		first_tv = prev_tv = *ts;
		have_first = true;
	}
	switch (time_mode) {
	case ZD_TIME_NONE:
		return;
	case ZD_TIME_EPOCH:
		zd_u64(o, (uint64_t)(int64_t)ts->tv_sec);
		zd_putc(o, '.');
		put_usec(o, (unsigned long)ts->tv_usec);
		break;
	case ZD_TIME_DELTA:
		put_delta(o, ts, &prev_tv);
		break;
	case ZD_TIME_DATE:
		put_clock(o, ts, true);
		break;
	case ZD_TIME_SINCE_FIRST:
		put_delta(o, ts, &first_tv);
		break;
	default:
		put_clock(o, ts, false);
		break;
	}
	prev_tv = *ts;
	zd_putc(o, ' ');
}

/* -e: the link-level header first, and then no "IP " or "ARP, " before the next layer. */
static bool link_mode;
/* Printing the packet of put_sub(), whose "IP " is already out. */
static bool sub_bare;

void zd_summary_link(bool on)
{
	link_mode = on;
}

void zd_summary_quiet(bool on)
{
	zd_line_quiet = on;
}

/* Where the packet that Ethernet layer i (inside a tunnel) is a frame of ends, as the headers around it declare. */
static size_t declared_end(const zc_pkt *pkt, unsigned i)
{
	while (i-- > 0) {
		const zc_layer *l = &pkt->l[i];
		if (l->kind == ZC_L_UDP)
			return l->off + zc_udp_length(l->v.udp);
		if (l->kind == ZC_L_IPV4)
			return l->off + zc_ipv4_total_len(l->v.ipv4);
		if (l->kind == ZC_L_IPV6)
			return l->off + ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(l->v.ipv6);
	}
	return 0;
}

/* The length tcpdump -e gives Ethernet layer i: the wire's for the outer frame, the declared one inside a tunnel. */
static size_t eth_len(const zc_pkt *pkt, unsigned i, uint32_t wire_len)
{
	size_t end;

	if (i == 0)
		return wire_len;
	end = declared_end(pkt, i);
	if (end > pkt->l[i].off)
		return end - pkt->l[i].off;
	return zc_eth_frame_len(pkt->l[i].v.eth);
}

/* The ethertypes tcpdump has a printer for: the others it dumps in hex. */
static bool tcpdump_prints(uint16_t t)
{
	switch (t) {
	case 0x0800: case 0x86dd: case 0x0806: case 0x8035: case 0x6003: case 0x809b: case 0x80f3:
	case 0x8137: case 0xfefe: case 0x8863: case 0x8864: case 0x3c12: case 0x3c13: case 0x888e:
	case 0x8899: case 0x880b: case 0x8808: case 0x8809: case 0x8902: case 0xabcd: case 0x88cc:
	case 0x894f: case 0x9000: case 0x8847: case 0x8848: case 0x88ca: case 0x886f: case 0x0707:
	case 0x8947: case 0x1111: case 0x88a2: case 0x88f7: case 0x88e5: case 0xd28b: case 0x8870:
		return true;
	default:
		return false;
	}
}

static void put_ethertype(zd_out *o, uint16_t t)
{
	zd_line_ethertype(o, t);
}

static const char *err_word(zc_err e)
{
	switch (e) {
	case ZC_E_TRUNCATED: return "truncated";
	case ZC_E_VERSION: return "bad version";
	case ZC_E_HDR_LEN: return "bad header length";
	case ZC_E_LENGTH: return "bad length";
	case ZC_E_OPTION: return "bad option";
	case ZC_E_TOO_DEEP: return "too deep";
	case ZC_E_INVALID: return "invalid";
	default: return zc_strerror(e);
	}
}

/* Bytes the IP layer ip says its upper layer has (reported, not captured); held when ip is not IP. */
static size_t ip_upper_len(const zc_layer *ip, size_t held)
{
	if (ip && ip->kind == ZC_L_IPV4)
		return zc_ipv4_upper_len(ip->v.ipv4);
	if (ip && ip->kind == ZC_L_IPV6)
		return zc_ipv6_upper_len(ip->v.ipv6);
	return held;
}

/* The same for the layer that encloses layer i. */
static size_t upper_len(const zc_pkt *pkt, unsigned i, size_t held)
{
	int up = zc_pkt_parent(pkt, i);

	return ip_upper_len(up < 0 ? NULL : zc_pkt_layer(pkt, (unsigned)up), held);
}

/*
 * SLL2's line begins, as tcpdump's does, with the interface (by the name
 * this machine gives its index, as tcpdump looks it up) and the direction.
 */
static void put_sll2_prefix(zd_out *o, zc_sll2 s)
{
	static const char *const dir[] = { "In", "B", "M", "P", "Out" };
	static uint32_t last_index = UINT32_MAX;
	static char name[IF_NAMESIZE + 1] = "?";
	uint32_t ix = zc_sll2_ifindex(s);
	uint8_t t = zc_sll2_pkttype(s);
	size_t n;

	if (ix != last_index) {
		if (!if_indextoname(ix, name))
			snprintf(name, sizeof name, "?");
		last_index = ix;
	}
	n = strnlen(name, IF_NAMESIZE);
	zd_putn(o, name, n);
	for (; n < 5; n++)
		zd_putc(o, ' ');
	zd_putc(o, ' ');
	zd_puts(o, t < 5 ? dir[t] : "?");
	for (n = t < 5 ? strlen(dir[t]) : 1; n < 3; n++)
		zd_putc(o, ' ');
	zd_putc(o, ' ');
}

/*
 * A frame that ends at its link layer (an ethertype or 802.3 frame libzc
 * does not dissect). An ethertype tcpdump has no printer for either it
 * shows as -e would, then the bytes after the header in hex.
 */
static void put_link_only(zd_out *o, const zc_layer *l, uint32_t wire_len)
{
	if (l->kind == ZC_L_ETH) {
		zc_eth e = l->v.eth;
		uint16_t t = zc_eth_type(e);
		/* ARP for other hardware or protocols, which libzc's view does not hold. */
		if ((t == ZC_ETH_P_ARP || t == 0x8035) &&
		    zd_line_arp(o, zc_eth_payload(e), wire_len - l->off - zc_eth_hdr_len(e), link_mode))
			return;
		if (t >= ZC_ETH_MIN_TYPE && !tcpdump_prints(t)) {
			if (!link_mode) {
				zd_mac(o, zc_eth_src(e));
				zd_puts(o, " > ");
				zd_mac(o, zc_eth_dst(e));
				zd_puts(o, ", ");
				put_ethertype(o, t);
				zd_puts(o, ", length ");
				zd_u64(o, wire_len);
				zd_puts(o, ": ");
			}
			if (!zd_line_quiet)
				zd_dump_default(o, zc_eth_payload(e).p, zc_eth_payload(e).len);
			return;
		}
		if (t < ZC_ETH_MIN_TYPE) {
			zd_puts(o, "802.3, length ");
			zd_u64(o, t);
		} else {
			zd_puts(o, "ethertype ");
			zd_hex(o, t, 4);
			zd_puts(o, ", length ");
			zd_u64(o, zc_eth_frame_len(l->v.eth));
		}
		return;
	}
	zd_puts(o, "link-layer payload, length ");
	zd_u64(o, wire_len);
}

/* The protocol a GRE or Geneve header names, under -e: tcpdump's ethertype names, "unknown" in lower case. */
static const char *tunnel_proto_name(uint16_t t)
{
	const char *nm = zd_line_ethertype_name(t);

	return nm ? nm : "unknown";
}

/* VXLAN (RFC 7348): tcpdump puts the frame it carries on a line of its own. */
static void put_vxlan(zd_out *o, zc_vxlan v, bool inner)
{
	zd_puts(o, "VXLAN, flags [");
	zd_puts(o, zc_vxlan_has_vni(v) ? "I" : "invalid");
	zd_puts(o, "] (");
	zd_hex(o, zc_vxlan_flags(v), 2);
	zd_puts(o, "), vni ");
	zd_u64(o, zc_vxlan_vni(v));
	if (inner)
		zd_putc(o, '\n');
}

static void put_geneve(zd_out *o, zc_geneve g)
{
	static const char *const fl[] = { "O", "C", "R1", "R2", "R3", "R4", "R5", "R6" };
	uint8_t f = g.p[ZC_GENEVE_FLAGS_OFF], rsvd = g.p[7];
	int i;

	zd_puts(o, "Geneve, Flags [");
	for (i = 0; i < 8; i++)
		if (f & (0x80u >> i))
			zd_puts(o, fl[i]);
	if (!f)
		zd_puts(o, "none");
	zd_puts(o, "], vni ");
	zd_line_hex(o, zc_geneve_vni(g));
	if (rsvd) {
		zd_puts(o, ", rsvd ");
		zd_line_hex(o, rsvd);
	}
	if (link_mode) {
		zd_puts(o, ", proto ");
		zd_puts(o, tunnel_proto_name(zc_geneve_proto(g)));
		zd_puts(o, " (");
		zd_hex(o, zc_geneve_proto(g), 4);
		zd_putc(o, ')');
	}
	if (zc_geneve_opt_len(g)) {
		zd_puts(o, ", options [");
		zd_u64(o, zc_geneve_opt_len(g));
		zd_puts(o, " bytes]");
	}
	zd_puts(o, ": ");
}

/* GRE version 0 (RFC 2784, RFC 2890), then what it carries or "gre-proto-0x..". */
static void put_gre(zd_out *o, zc_gre g, size_t len, const zc_layer *nx)
{
	zd_puts(o, "GREv0");
	if (zc_gre_has_csum(g)) {
		zd_puts(o, ", off ");
		zd_line_hex(o, zc_load_be16(g.p + 6));
	}
	if (zc_gre_has_key(g)) {
		zd_puts(o, ", key=");
		zd_line_hex(o, zc_gre_key(g));
	}
	if (zc_gre_has_seq(g)) {
		zd_puts(o, ", seq ");
		zd_u64(o, zc_gre_seq(g));
	}
	if (link_mode) {
		zd_puts(o, ", proto ");
		zd_puts(o, tunnel_proto_name(zc_gre_proto(g)));
		zd_puts(o, " (");
		zd_hex(o, zc_gre_proto(g), 4);
		zd_putc(o, ')');
	}
	zd_puts(o, ", length ");
	zd_u64(o, len);
	zd_puts(o, ": ");
	if (!nx || nx->kind == ZC_L_ERSPAN) {
		zd_puts(o, "gre-proto-");
		zd_line_hex(o, zc_gre_proto(g));
	}
}

/* "UDP, length N" (the ports are the IP layer's), or "udp N" under -q. */
static void put_udp(zd_out *o, zc_udp u, size_t iplen, bool fragment)
{
	size_t n = zc_udp_length(u) >= ZC_UDP_HDR_LEN ? zc_udp_length(u) - ZC_UDP_HDR_LEN : 0;
	size_t room = iplen >= ZC_UDP_HDR_LEN ? iplen - ZC_UDP_HDR_LEN : 0;

	if (n > room && !fragment) {
		/* The UDP length says more than the IP header leaves it. */
		zd_puts(o, "UDP, bad length ");
		zd_u64(o, n);
		zd_puts(o, " > ");
		zd_u64(o, room);
		return;
	}
	zd_puts(o, "UDP, length ");
	zd_u64(o, n);
}

/* A first fragment: tcpdump does not check UDP's length against a fragment's. */
static bool ip_fragment(const zc_layer *ip)
{
	if (ip && ip->kind == ZC_L_IPV4)
		return zc_ipv4_mf(ip->v.ipv4);
	if (ip && ip->kind == ZC_L_IPV6)
		return zc_ipv6_has_frag_hdr(ip->v.ipv6);
	return false;
}

/* The walk stopped at a header cut short (by the capture, or by what carries it). */
static bool stops_in_header(const zc_pkt *pkt)
{
	return pkt->stop_kind != ZC_L_NONE && (pkt->cut || pkt->err == ZC_E_LENGTH || pkt->err == ZC_E_TRUNCATED);
}

/* The bytes the wire length leaves an outer IP layer i; SIZE_MAX for an inner one. */
static size_t wire_avail(const zc_pkt *pkt, unsigned i, uint32_t wire_len)
{
	uint8_t k = i ? pkt->l[i - 1].kind : ZC_L_NONE;

	if (sub_bare || pkt->l[i].depth || wire_len < pkt->l[i].off ||
	    (i && k != ZC_L_ETH && k != ZC_L_SLL && k != ZC_L_SLL2 && k != ZC_L_LOOP))
		return SIZE_MAX;
	return wire_len - pkt->l[i].off;
}

/*
 * One layer of the line; false when the line ends with it. nx is the
 * next layer, NULL after the last (or before a quoted datagram, which
 * tcpdump does not print without -v).
 */
static bool put_layer(zd_out *o, const zc_pkt *pkt, unsigned i, const zc_layer *nx, uint32_t wire_len)
{
	const zc_layer *l = &pkt->l[i];
	int up = zc_pkt_parent(pkt, i);
	const zc_layer *ip = up < 0 ? NULL : &pkt->l[up];

	switch (l->kind) {
	case ZC_L_ETH:
		if (link_mode)
			zd_line_eth_link(o, l->v.eth, eth_len(pkt, i, wire_len));
		if (!nx && !stops_in_header(pkt))
			put_link_only(o, l, wire_len);
		return nx != NULL;
	case ZC_L_SLL2:
		put_sll2_prefix(o, l->v.sll2);
		if (link_mode)
			zd_line_sll2_link(o, l->v.sll2, wire_len);
		if (!nx && !stops_in_header(pkt))
			put_link_only(o, l, wire_len);
		return nx != NULL;
	case ZC_L_SLL:
		if (link_mode)
			zd_line_sll_link(o, l->v.sll, wire_len);
		if (!nx && !stops_in_header(pkt))
			put_link_only(o, l, wire_len);
		return nx != NULL;
	case ZC_L_LOOP:
		if (link_mode)
			zd_line_loop_link(o, l->v.loop, wire_len);
		if (!nx && !stops_in_header(pkt))
			put_link_only(o, l, wire_len);
		return nx != NULL;
	case ZC_L_ARP:
		zd_line_arp(o, zc_buf_tail(pkt->frame, l->off), wire_len - l->off, link_mode);
		return false;
	case ZC_L_IPV4:
		if (link_mode && i == 0 && !sub_bare)
			zd_puts(o, "ip: "); /* raw IP: tcpdump -e names the link type */
		return zd_line_ipv4(o, l, nx, link_mode || (sub_bare && i == 0), wire_avail(pkt, i, wire_len));
	case ZC_L_IPV6:
		if (link_mode && i == 0 && !sub_bare)
			zd_puts(o, "ip: ");
		return zd_line_ipv6(o, l, nx, link_mode || (sub_bare && i == 0), wire_avail(pkt, i, wire_len));
	case ZC_L_TCP:
		zd_line_tcp(o, l->v.tcp, upper_len(pkt, i, zc_tcp_seg_len(l->v.tcp)), ip);
		return false;
	case ZC_L_UDP:
		/* Under -q tcpdump does not look into what UDP carries. */
		if (nx && (nx->kind == ZC_L_VXLAN || nx->kind == ZC_L_GENEVE) && !zd_line_quiet)
			return true;
		put_udp(o, l->v.udp, upper_len(pkt, i, zc_udp_length(l->v.udp)), ip_fragment(ip));
		return false;
	case ZC_L_ICMP4:
		zd_line_icmp4(o, l->v.icmp4, upper_len(pkt, i, zc_icmp4_msg_len(l->v.icmp4)));
		return false;
	case ZC_L_ICMP6:
		zd_line_icmp6(o, l->v.icmp6, upper_len(pkt, i, zc_icmp6_msg_len(l->v.icmp6)));
		return false;
	case ZC_L_VXLAN:
		put_vxlan(o, l->v.vxlan, nx != NULL);
		return nx != NULL;
	case ZC_L_GENEVE:
		put_geneve(o, l->v.geneve);
		return nx != NULL;
	case ZC_L_GRE:
		put_gre(o, l->v.gre, upper_len(pkt, i, zc_gre_pkt_len(l->v.gre)), nx);
		return nx != NULL && nx->kind != ZC_L_ERSPAN;
	default:
		return false;
	}
}

/* tcpdump's name for a protocol in its "[|name]" of a header cut short. */
static const char *trunc_name(unsigned kind)
{
	switch (kind) {
	case ZC_L_ETH: return "ether";
	case ZC_L_IPV4: return "ip";
	case ZC_L_IPV6: return "ip6";
	case ZC_L_ICMP4: return "icmp";
	case ZC_L_LOOP: return "null";
	default: return zc_layer_kind_name(kind);
	}
}

/*
 * The header the walk stopped at, cut short (by the capture, or by the
 * length of what carries it), as tcpdump shows one: the ports when they
 * are there, then "[|tcp]". ip is the layer before it, NULL when none.
 */
static void put_stopped(zd_out *o, const zc_pkt *pkt, const zc_layer *ip, size_t mark, uint32_t wire_len)
{
	zc_layer st;
	size_t have = zc_pkt_stop_layer(pkt, &st);
	bool l4 = st.kind == ZC_L_TCP || st.kind == ZC_L_UDP;

	if (l4 && ip && (ip->kind == ZC_L_IPV4 || ip->kind == ZC_L_IPV6)) {
		o->len = mark;
		if (ip->kind == ZC_L_IPV4)
			zd_line_ipv4(o, ip, have >= 4 ? &st : NULL, link_mode, wire_avail(pkt, pkt->n - 1, wire_len));
		else
			zd_line_ipv6(o, ip, have >= 4 ? &st : NULL, link_mode, wire_avail(pkt, pkt->n - 1, wire_len));
		if (have < 4 && ip->kind == ZC_L_IPV4)
			o->len--; /* tcpdump's "a > b:" before the mark, without the space */
	} else if (st.kind == ZC_L_IPV4 && !link_mode) {
		zd_puts(o, "IP ");
	}
	zd_puts(o, " [|");
	zd_puts(o, trunc_name(st.kind));
	zd_putc(o, ']');
}

/* What zcdump adds where its walk stopped early: a header cut short, or an error. */
static void put_ending(zd_out *o, const zc_pkt *pkt, size_t mark, uint32_t wire_len)
{
	const zc_layer *last = pkt->n ? &pkt->l[pkt->n - 1] : NULL;

	if (stops_in_header(pkt)) {
		put_stopped(o, pkt, last, mark, wire_len);
		return;
	}
	if (pkt->err != ZC_OK) {
		zd_puts(o, " [malformed: ");
		zd_puts(o, err_word(pkt->err));
		zd_puts(o, " at ");
		zd_puts(o, zc_layer_kind_name(pkt->err_kind));
		zd_puts(o, " +");
		zd_u64(o, pkt->err_off);
		zd_putc(o, ']');
	}
}

/* An IPv4 header whose total length is shorter than itself: tcpdump's line ends at its "bad-len". */
static bool ipv4_bad_len(const zc_layer *l)
{
	return l->kind == ZC_L_IPV4 && zc_ipv4_total_len_field(l->v.ipv4) < zc_ipv4_hdr_len(l->v.ipv4);
}

/* How put_layers() ended. */
enum { LAYERS_CUT_SHORT, LAYERS_DONE, LAYERS_MORE };

/*
 * The layers of pkt in order; then, for the last one, stands for what
 * follows it (NULL: nothing). Returns LAYERS_CUT_SHORT when a layer
 * before the last ended the line (nothing is to be added to it),
 * LAYERS_MORE when the last one awaits what follows it; *mark is where
 * the last layer printed begins.
 */
static int put_layers(zd_out *o, const zc_pkt *pkt, uint32_t wire_len, const zc_layer *then, size_t *mark)
{
	unsigned i, n = pkt->n;

	*mark = o->len;
	for (i = 0; i < n; i++) {
		const zc_layer *nx = i + 1 < n ? &pkt->l[i + 1] : then;

		if (nx && (nx->flags & ZC_LF_QUOTED))
			nx = NULL;
		*mark = o->len;
		if (!put_layer(o, pkt, i, nx, wire_len))
			return (i + 1 < n && !(pkt->l[i + 1].flags & ZC_LF_QUOTED)) || ipv4_bad_len(&pkt->l[i])
				       ? LAYERS_CUT_SHORT
				       : LAYERS_DONE;
	}
	return LAYERS_MORE;
}

/* An IP packet longer than what carries it (see zd_line_sub_parse()), as tcpdump shows it. */
static void put_sub(zd_out *o, const zc_pkt *sub, size_t missing, uint32_t wire_len)
{
	size_t mark;

	if (sub->l[0].kind == ZC_L_IPV4) {
		zd_puts(o, link_mode ? "truncated-ip - " : "IP truncated-ip - ");
		zd_u64(o, missing);
		zd_puts(o, " bytes missing! ");
	} else {
		zd_puts(o, link_mode ? "truncated-ip6 - " : "IP6 truncated-ip6 - ");
		zd_u64(o, missing);
		zd_puts(o, " bytes missing!");
	}
	sub_bare = true;
	if (put_layers(o, sub, wire_len, NULL, &mark) != LAYERS_CUT_SHORT)
		put_ending(o, sub, mark, wire_len);
	sub_bare = false;
}

void zd_summary_print(zd_out *o, const zc_pkt *pkt, const struct timeval *ts, uint32_t wire_len,
		      const char *undissected)
{
	zc_pkt sub;
	zc_layer then;
	size_t mark, missing = 0;
	bool bad_opts = false, bad_arp = false;
	int how;

	put_time(o, ts);
	if (undissected) {
		zd_puts(o, "link type ");
		zd_putn(o, undissected, strnlen(undissected, 64));
		zd_puts(o, ", length ");
		zd_u64(o, wire_len);
		zd_putc(o, '\n');
		return;
	}
	if (ZC_UNLIKELY(pkt->err != ZC_OK)) {
		missing = zd_line_sub_parse(pkt, &sub);
		bad_opts = !missing && zd_line_bad_opts(pkt);
		bad_arp = pkt->err_kind == ZC_L_ARP && pkt->err_off < pkt->frame.len && pkt->n &&
			  pkt->l[pkt->n - 1].kind != ZC_L_ARP;
		/* What follows the last layer, for the printers of the layers before it: only its kind. */
		memset(&then, 0, sizeof then);
		then.kind = missing ? sub.l[0].kind : bad_opts ? ZC_L_IPV6 : ZC_L_ARP;
	}
	how = put_layers(o, pkt, wire_len, missing || bad_opts || bad_arp ? &then : NULL, &mark);
	if (how == LAYERS_CUT_SHORT) {
		zd_putc(o, '\n');
		return;
	}
	if (how == LAYERS_MORE) {
		if (missing) {
			put_sub(o, &sub, missing, wire_len);
			zd_putc(o, '\n');
			return;
		}
		if (bad_opts) {
			zd_line_bad_opts_print(o, pkt, link_mode);
			zd_putc(o, '\n');
			return;
		}
		if (bad_arp && zd_line_arp(o, zc_buf_tail(pkt->frame, pkt->err_off), wire_len - pkt->err_off, link_mode)) {
			zd_putc(o, '\n');
			return;
		}
	}
	if (pkt->n == 0 && pkt->err == ZC_OK && !pkt->cut) {
		zd_puts(o, "length ");
		zd_u64(o, wire_len);
	}
	put_ending(o, pkt, mark, wire_len);
	zd_putc(o, '\n');
}
