/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/summary.c - tcpdump-like lines and the protocol hierarchy.
 */
#include "summary.h"
#include "line.h"

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

static void put_addr(zd_out *o, const zc_layer *ip, bool src)
{
	if (ip->kind == ZC_L_IPV4)
		zd_ipv4(o, src ? zc_ipv4_src_bytes(ip->v.ipv4) : zc_ipv4_dst_bytes(ip->v.ipv4));
	else
		zd_ipv6(o, src ? zc_ipv6_src(ip->v.ipv6) : zc_ipv6_dst(ip->v.ipv6));
}

/* "IP a.p > b.q: " with the ports of the layer after the IP header when it has them. */
/* -e: the link-level header first, and then no "IP " or "ARP, " before the next layer. */
static bool link_mode, bare;

void zd_summary_link(bool on)
{
	link_mode = on;
}

static const char *ethertype_name(uint16_t t)
{
	switch (t) {
	case ZC_ETH_P_IPV4: return "IPv4";
	case ZC_ETH_P_IPV6: return "IPv6";
	case ZC_ETH_P_ARP: return "ARP";
	case ZC_ETH_P_VLAN: return "802.1Q";
	case ZC_ETH_P_QINQ: return "802.1Q-QinQ";
	case ZC_ETH_P_QINQ_OLD: return "802.1Q-9100";
	default: return "Unknown";
	}
}

static void put_ethertype(zd_out *o, uint16_t t)
{
	zd_puts(o, "ethertype ");
	zd_puts(o, ethertype_name(t));
	zd_puts(o, " (");
	zd_hex(o, t, 4);
	zd_putc(o, ')');
}

/* tcpdump -e on Ethernet: "SRC > DST, ethertype T (0x..), length N: " and each tag's "vlan V, p P, ethertype T, ". */
static void put_eth_link(zd_out *o, zc_eth v, uint32_t wire_len)
{
	unsigned t, nt = zc_eth_ntags(v);

	zd_mac(o, zc_eth_src(v));
	zd_puts(o, " > ");
	zd_mac(o, zc_eth_dst(v));
	zd_puts(o, ", ");
	put_ethertype(o, nt ? zc_eth_tag_tpid(v, 0) : zc_eth_type(v));
	zd_puts(o, ", length ");
	zd_u64(o, wire_len);
	zd_puts(o, ": ");
	for (t = 0; t < nt; t++) {
		zd_puts(o, "vlan ");
		zd_u64(o, zc_eth_vlan_id(v, t));
		zd_puts(o, ", p ");
		zd_u64(o, zc_eth_vlan_pcp(v, t));
		zd_puts(o, ", ");
		put_ethertype(o, t + 1 < nt ? zc_eth_tag_tpid(v, t + 1) : zc_eth_type(v));
		zd_puts(o, ", ");
	}
	bare = true;
}

static void put_ip_head(zd_out *o, const zc_layer *ip, const zc_layer *l4)
{
	bool ports = l4 && (l4->kind == ZC_L_TCP || l4->kind == ZC_L_UDP);
	uint16_t sp = 0, dp = 0;

	if (ports) {
		sp = l4->kind == ZC_L_TCP ? zc_tcp_src_port(l4->v.tcp) : zc_udp_src_port(l4->v.udp);
		dp = l4->kind == ZC_L_TCP ? zc_tcp_dst_port(l4->v.tcp) : zc_udp_dst_port(l4->v.udp);
	}
	if (!bare)
		zd_puts(o, ip->kind == ZC_L_IPV4 ? "IP " : "IP6 ");
	bare = false;
	put_addr(o, ip, true);
	if (ports) {
		zd_putc(o, '.');
		zd_u64(o, sp);
	}
	zd_puts(o, " > ");
	put_addr(o, ip, false);
	if (ports) {
		zd_putc(o, '.');
		zd_u64(o, dp);
	}
	zd_puts(o, ": ");
}

static const char *icmp4_name(uint8_t type)
{
	switch (type) {
	case ZC_ICMP4_ECHO_REPLY: return "echo reply";
	case ZC_ICMP4_DEST_UNREACH: return "unreachable";
	case ZC_ICMP4_SOURCE_QUENCH: return "source quench";
	case ZC_ICMP4_REDIRECT: return "redirect";
	case ZC_ICMP4_ECHO_REQUEST: return "echo request";
	case ZC_ICMP4_TIME_EXCEEDED: return "time exceeded in-transit";
	case ZC_ICMP4_PARAM_PROBLEM: return "parameter problem";
	case 13: return "time stamp request";
	case 14: return "time stamp reply";
	default: return NULL;
	}
}

static const char *icmp6_name(uint8_t type)
{
	switch (type) {
	case ZC_ICMP6_DEST_UNREACH: return "destination unreachable";
	case ZC_ICMP6_PACKET_TOO_BIG: return "packet too big";
	case ZC_ICMP6_TIME_EXCEEDED: return "time exceeded in-transit";
	case ZC_ICMP6_PARAM_PROBLEM: return "parameter problem";
	case ZC_ICMP6_ECHO_REQUEST: return "echo request";
	case ZC_ICMP6_ECHO_REPLY: return "echo reply";
	case ZC_ICMP6_ROUTER_SOLICIT: return "router solicitation";
	case ZC_ICMP6_ROUTER_ADVERT: return "router advertisement";
	case ZC_ICMP6_NEIGH_SOLICIT: return "neighbor solicitation";
	case ZC_ICMP6_NEIGH_ADVERT: return "neighbor advertisement";
	case ZC_ICMP6_REDIRECT: return "redirect";
	default: return NULL;
	}
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

void zd_summary_print(zd_out *o, const zc_pkt *pkt, const struct timeval *ts, uint32_t wire_len,
		      const char *undissected)
{
	unsigned i, n = pkt->n;
	bool said = false; /* something after the timestamp */

	put_time(o, ts);
	bare = false;
	if (undissected) {
		zd_puts(o, "link type ");
		zd_putn(o, undissected, strnlen(undissected, 64));
		zd_puts(o, ", length ");
		zd_u64(o, wire_len);
		zd_putc(o, '\n');
		return;
	}
	for (i = 0; i < n; i++) {
		const zc_layer *l = &pkt->l[i];
		const zc_layer *nx = i + 1 < n ? &pkt->l[i + 1] : NULL;

		if (l->flags & ZC_LF_QUOTED) {
			zd_puts(o, " [quoted: ");
			for (; i < n && (pkt->l[i].flags & ZC_LF_QUOTED); i++) {
				const zc_layer *q = &pkt->l[i];
				const zc_layer *qn = i + 1 < n ? &pkt->l[i + 1] : NULL;
				if (q->kind == ZC_L_IPV4 || q->kind == ZC_L_IPV6) {
					put_ip_head(o, q, qn);
					zd_puts(o, q->kind == ZC_L_IPV4 ? "proto " : "next-header ");
					zd_u64(o, q->kind == ZC_L_IPV4 ? zc_ipv4_proto(q->v.ipv4) : zc_ipv6_proto(q->v.ipv6));
					break;
				}
			}
			zd_putc(o, ']');
			break;
		}
		switch (l->kind) {
		case ZC_L_ETH:
			if (link_mode && i == 0)
				put_eth_link(o, l->v.eth, wire_len);
			if (!nx && !(link_mode && i == 0)) {
				uint16_t t = zc_eth_type(l->v.eth);
				if (t < ZC_ETH_MIN_TYPE) {
					zd_puts(o, "802.3, length ");
					zd_u64(o, t);
				} else {
					zd_puts(o, "ethertype ");
					zd_hex(o, t, 4);
					zd_puts(o, ", length ");
					zd_u64(o, zc_eth_frame_len(l->v.eth));
				}
				said = true;
			}
			break;
		case ZC_L_SLL:
		case ZC_L_SLL2:
		case ZC_L_LOOP:
			if (!nx) {
				zd_puts(o, "link-layer payload, length ");
				zd_u64(o, wire_len);
				said = true;
			}
			break;
		case ZC_L_ARP: {
			zc_arp a = l->v.arp;
			if (zc_arp_op(a) == ZC_ARP_OP_REQUEST) {
				zd_puts(o, bare ? "Request who-has " : "ARP, Request who-has ");
				zd_ipv4(o, zc_arp_tpa_bytes(a));
				zd_puts(o, " tell ");
				zd_ipv4(o, zc_arp_spa_bytes(a));
			} else if (zc_arp_op(a) == ZC_ARP_OP_REPLY) {
				zd_puts(o, bare ? "Reply " : "ARP, Reply ");
				zd_ipv4(o, zc_arp_spa_bytes(a));
				zd_puts(o, " is-at ");
				zd_mac(o, zc_arp_sha(a));
			} else {
				zd_puts(o, bare ? "opcode " : "ARP, opcode ");
				zd_u64(o, zc_arp_op(a));
			}
			zd_puts(o, ", length ");
			zd_u64(o, wire_len - l->off);
			said = true;
			break;
		}
		case ZC_L_IPV4:
		case ZC_L_IPV6:
			put_ip_head(o, l, nx);
			said = true;
			if (!nx) {
				if (l->kind == ZC_L_IPV4 && !zc_ipv4_is_first_fragment(l->v.ipv4)) {
					zd_puts(o, "ip-proto-");
					zd_u64(o, zc_ipv4_proto(l->v.ipv4));
					zd_puts(o, " (frag offset ");
					zd_u64(o, zc_ipv4_frag_offset(l->v.ipv4));
					zd_puts(o, ")");
				} else {
					zd_puts(o, l->kind == ZC_L_IPV4 ? "ip-proto-" : "next-header ");
					zd_u64(o, l->kind == ZC_L_IPV4 ? zc_ipv4_proto(l->v.ipv4) : zc_ipv6_proto(l->v.ipv6));
					zd_puts(o, ", length ");
					zd_u64(o, ip_upper_len(l, 0));
				}
			}
			break;
		case ZC_L_TCP:
			zd_line_tcp(o, l->v.tcp, upper_len(pkt, i, zc_tcp_seg_len(l->v.tcp)),
				zc_pkt_parent(pkt, i) < 0 ? NULL : zc_pkt_layer(pkt, (unsigned)zc_pkt_parent(pkt, i)));
			break;
		case ZC_L_UDP:
			if (nx && nx->kind == ZC_L_VXLAN)
				break;
			if (nx && nx->kind == ZC_L_GENEVE)
				break;
			zd_puts(o, "UDP, length ");
			zd_u64(o, zc_udp_length(l->v.udp) >= ZC_UDP_HDR_LEN ? zc_udp_length(l->v.udp) - ZC_UDP_HDR_LEN : 0);
			break;
		case ZC_L_ICMP4: {
			const char *nm = icmp4_name(zc_icmp4_type(l->v.icmp4));
			zd_puts(o, "ICMP ");
			if (nm) {
				zd_puts(o, nm);
			} else {
				zd_puts(o, "type ");
				zd_u64(o, zc_icmp4_type(l->v.icmp4));
			}
			if (zc_icmp4_type(l->v.icmp4) == ZC_ICMP4_ECHO_REQUEST ||
			    zc_icmp4_type(l->v.icmp4) == ZC_ICMP4_ECHO_REPLY) {
				zd_puts(o, ", id ");
				zd_u64(o, zc_icmp4_id(l->v.icmp4));
				zd_puts(o, ", seq ");
				zd_u64(o, zc_icmp4_seq(l->v.icmp4));
			} else if (zc_icmp4_is_error(l->v.icmp4)) {
				zd_puts(o, " code ");
				zd_u64(o, zc_icmp4_code(l->v.icmp4));
			}
			zd_puts(o, ", length ");
			zd_u64(o, upper_len(pkt, i, zc_icmp4_msg_len(l->v.icmp4)));
			break;
		}
		case ZC_L_ICMP6: {
			const char *nm = icmp6_name(zc_icmp6_type(l->v.icmp6));
			zd_puts(o, "ICMP6, ");
			if (nm) {
				zd_puts(o, nm);
			} else {
				zd_puts(o, "type ");
				zd_u64(o, zc_icmp6_type(l->v.icmp6));
			}
			if (zc_icmp6_is_nd(l->v.icmp6)) {
				zd_puts(o, zc_icmp6_type(l->v.icmp6) == ZC_ICMP6_NEIGH_SOLICIT ? ", who has " : ", tgt is ");
				zd_ipv6(o, zc_icmp6_nd_target(l->v.icmp6));
			} else if (zc_icmp6_type(l->v.icmp6) == ZC_ICMP6_ECHO_REQUEST ||
				   zc_icmp6_type(l->v.icmp6) == ZC_ICMP6_ECHO_REPLY) {
				zd_puts(o, ", id ");
				zd_u64(o, zc_icmp6_id(l->v.icmp6));
				zd_puts(o, ", seq ");
				zd_u64(o, zc_icmp6_seq(l->v.icmp6));
			}
			zd_puts(o, ", length ");
			zd_u64(o, upper_len(pkt, i, zc_icmp6_msg_len(l->v.icmp6)));
			break;
		}
		case ZC_L_VXLAN:
			zd_puts(o, "VXLAN, flags [");
			zd_puts(o, zc_vxlan_has_vni(l->v.vxlan) ? "I" : ".");
			zd_puts(o, "] (");
			zd_hex(o, zc_vxlan_flags(l->v.vxlan), 2);
			zd_puts(o, "), vni ");
			zd_u64(o, zc_vxlan_vni(l->v.vxlan));
			zd_puts(o, nx ? ": " : "");
			break;
		case ZC_L_GENEVE:
			zd_puts(o, "Geneve, vni ");
			zd_u64(o, zc_geneve_vni(l->v.geneve));
			zd_puts(o, ", proto ");
			zd_hex(o, zc_geneve_proto(l->v.geneve), 4);
			zd_puts(o, nx ? ": " : "");
			break;
		case ZC_L_ERSPAN: {
			zc_erspan s = l->v.erspan;
			static const char *const tn[] = { "I", "I", "II", "III" };
			zd_puts(o, "ERSPAN type ");
			zd_puts(o, tn[zc_erspan_type(s) & 3]);
			if (zc_erspan_type(s) != 1) {
				zd_puts(o, ", vlan ");
				zd_u64(o, zc_erspan_vlan(s));
				zd_puts(o, ", session ");
				zd_u64(o, zc_erspan_session(s));
			}
			zd_puts(o, nx ? ": " : "");
			break;
		}
		case ZC_L_GRE:
			zd_puts(o, "GREv0, proto ");
			zd_hex(o, zc_gre_proto(l->v.gre), 4);
			if (zc_gre_has_key(l->v.gre)) {
				zd_puts(o, ", key ");
				zd_hex(o, zc_gre_key(l->v.gre), 8);
			}
			zd_puts(o, ", length ");
			zd_u64(o, zc_gre_pkt_len(l->v.gre));
			zd_puts(o, nx ? ": " : "");
			break;
		default:
			break;
		}
	}
	if (!said && n == 0 && pkt->err == ZC_OK && !pkt->cut) {
		zd_puts(o, "length ");
		zd_u64(o, wire_len);
	}
	if (pkt->cut) {
		/* Like tcpdump's [|tcp]: the header the bytes ran out in. */
		zd_puts(o, " [|");
		zd_puts(o, zc_layer_kind_name(pkt->err == ZC_OK && pkt->stop_kind != ZC_L_NONE ? pkt->stop_kind
											: pkt->cut_kind));
		zd_puts(o, "]");
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
	zd_putc(o, '\n');
}
