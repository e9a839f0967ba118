/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line.h - the pieces of the default line (tcpdump -nn's),
 * one file per concern: summary.c walks the layers, line_tcp.c prints TCP,
 * line_icmp.c ICMP and ICMPv6.
 */
#ifndef ZCDUMP_LINE_H
#define ZCDUMP_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "zc.h"
#include "out.h"

/* -q: tcpdump's quiet line ("tcp 0", "UDP, length 5", ...). */
extern bool zd_line_quiet;

/* v in hex as printf's "0x%x" and "%x" write it. */
void zd_line_hex(zd_out *o, uint64_t v);
void zd_line_xdigits(zd_out *o, uint64_t v);

/*
 * "IP a.p > b.q: " or "IP6 a > b: HBH p > q: ": the addresses of the IP
 * layer ip, its extension headers, and the ports of nx when TCP or UDP
 * comes next ("IP " left out when bare, under -e); at the end of the
 * layers, what tcpdump says of the protocol after it. False when nothing
 * more is to be printed (a later fragment). avail is the bytes the link
 * layer says the packet has (SIZE_MAX when unknown): tcpdump tells how
 * many are missing when the header says more.
 */
bool zd_line_ipv4(zd_out *o, const zc_layer *ip, const zc_layer *nx, bool bare, size_t avail);
bool zd_line_ipv6(zd_out *o, const zc_layer *ip, const zc_layer *nx, bool bare, size_t avail);

/* "p > q: " for the TCP or UDP layer l4. */
void zd_line_ports(zd_out *o, const zc_layer *l4);

/* ICMP and ICMPv6 messages of len bytes (as the IP header gives it). */
void zd_line_icmp4(zd_out *o, zc_icmp4 m, size_t len);
void zd_line_icmp6(zd_out *o, zc_icmp6 m, size_t len);

/*
 * A packet libzc rejects because an IP packet inside it is longer than
 * what carries it: that packet parsed again on its own, laxly, into *sub;
 * returns the bytes missing (0: not such a packet, or it did not parse).
 */
size_t zd_line_sub_parse(const zc_pkt *pkt, zc_pkt *sub);

/* True when libzc rejected the packet for an IPv6 option running past its header. */
bool zd_line_bad_opts(const zc_pkt *pkt);
/* Then the IPv6 packet as tcpdump prints it: options headers not checked but the hop-by-hop one. */
void zd_line_bad_opts_print(zd_out *o, const zc_pkt *pkt, bool bare);

/* tcpdump's name for an ethertype; NULL for one it has none for. */
const char *zd_line_ethertype_name(uint16_t t);

/*
 * ARP in the bytes b (from its first byte to the end of the capture), len
 * bytes on the wire; "ARP, " left out when bare. False for ATM ARP, which
 * has a layout of its own.
 */
bool zd_line_arp(zd_out *o, zc_buf b, size_t len, bool bare);

/*
 * -e: the link-level header as tcpdump -e prints it before the packet
 * ("SRC > DST, ethertype IPv4 (0x0800), length N: " and the VLAN tags;
 * the cooked headers' direction, address and protocol; the loopback
 * family); len is the frame's length on the wire.
 */
void zd_line_ethertype(zd_out *o, uint16_t t);
void zd_line_eth_link(zd_out *o, zc_eth v, size_t len);
void zd_line_sll_link(zd_out *o, zc_sll s, size_t len);
void zd_line_sll2_link(zd_out *o, zc_sll2 s, size_t len);
void zd_line_loop_link(zd_out *o, zc_loop l, size_t len);

/*
 * The TCP part of the line after "a.p > b.q: ": flags, numbers (relative
 * ones from the conversation of the IP layer ip unless -S), window, urgent
 * pointer, options, length. seglen is the segment's length as the IP
 * header gives it.
 */
void zd_line_tcp(zd_out *o, zc_tcp t, size_t seglen, const zc_layer *ip);

#endif /* ZCDUMP_LINE_H */
