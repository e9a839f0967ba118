/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_link.c - the link-level header at the head of the
 * line under -e, as tcpdump -e prints it: Ethernet with its VLAN tags,
 * Linux cooked v1 and v2, BSD loopback, raw IP; under -q the shorter
 * names tcpdump -e -q gives.
 */
#include "line.h"

#include <string.h>

/* "ethertype IPv4 (0x0800)", or under -q only "IPv4" ("Unknown Ethertype (0x1234)"). */
void zd_line_ethertype(zd_out *o, uint16_t t)
{
	const char *nm = zd_line_ethertype_name(t);

	if (zd_line_quiet) {
		if (nm) {
			zd_puts(o, nm);
		} else {
			zd_puts(o, "Unknown Ethertype (");
			zd_hex(o, t, 4);
			zd_putc(o, ')');
		}
		return;
	}
	zd_puts(o, "ethertype ");
	zd_puts(o, nm ? nm : "Unknown");
	zd_puts(o, " (");
	zd_hex(o, t, 4);
	zd_putc(o, ')');
}

/* IEEE 802.1Q's tag control information: "vlan V, p P" and ", DEI" when the bit is set. */
static void put_tci(zd_out *o, uint16_t tci)
{
	zd_puts(o, "vlan ");
	zd_u64(o, tci & 0x0fff);
	zd_puts(o, ", p ");
	zd_u64(o, tci >> 13);
	if (tci & 0x1000)
		zd_puts(o, ", DEI");
}

void zd_line_eth_link(zd_out *o, zc_eth v, size_t len)
{
	unsigned t, nt = zc_eth_ntags(v);
	uint16_t type = zc_eth_type(v);

	zd_mac(o, zc_eth_src(v));
	zd_puts(o, " > ");
	zd_mac(o, zc_eth_dst(v));
	zd_puts(o, ", ");
	if (type < ZC_ETH_MIN_TYPE && !nt) {
		zd_puts(o, "802.3, length ");
		zd_u64(o, type);
		zd_puts(o, ": ");
		return;
	}
	zd_line_ethertype(o, nt ? zc_eth_tag_tpid(v, 0) : type);
	zd_puts(o, ", length ");
	zd_u64(o, len);
	zd_puts(o, ": ");
	for (t = 0; t < nt; t++) {
		put_tci(o, zc_eth_tag_tci(v, t));
		zd_puts(o, ", ");
		if (t + 1 < nt) {
			zd_line_ethertype(o, zc_eth_tag_tpid(v, t + 1));
			zd_puts(o, ", ");
		}
	}
	if (nt) {
		zd_line_ethertype(o, type);
		zd_puts(o, ", ");
	}
}

/* The protocol field of a cooked header, as tcpdump names it. */
static void put_cooked_proto(zd_out *o, uint16_t p)
{
	if (p <= 1500) {
		if (p == 1)
			zd_puts(o, "802.3");
		else if (p == 4)
			zd_puts(o, "802.2");
		else {
			zd_puts(o, "ethertype Unknown (");
			zd_hex(o, p, 4);
			zd_putc(o, ')');
		}
	} else {
		zd_puts(o, "ethertype ");
		zd_puts(o, zd_line_ethertype_name(p) ? zd_line_ethertype_name(p) : "Unknown");
		zd_puts(o, " (");
		zd_hex(o, p, 4);
		zd_putc(o, ')');
	}
}

static const char *pkttype_name(unsigned t)
{
	static const char *const dir[] = { "In", "B", "M", "P", "Out" };

	return t < 5 ? dir[t] : "?";
}

void zd_line_sll_link(zd_out *o, zc_sll s, size_t len)
{
	const char *d = pkttype_name(zc_sll_pkttype(s));
	size_t n;

	for (n = strlen(d); n < 3; n++)
		zd_putc(o, ' ');
	zd_puts(o, d);
	zd_putc(o, ' ');
	if (zc_sll_halen(s) == 6) {
		zd_mac(o, zc_sll_addr(s));
		zd_putc(o, ' ');
	}
	if (zd_line_quiet)
		return;
	put_cooked_proto(o, zc_sll_proto(s));
	zd_puts(o, ", length ");
	zd_u64(o, len);
	zd_puts(o, ": ");
}

void zd_line_sll2_link(zd_out *o, zc_sll2 s, size_t len)
{
	zd_puts(o, "ifindex ");
	zd_u64(o, zc_sll2_ifindex(s));
	zd_putc(o, ' ');
	if (zc_sll2_halen(s) == 6) {
		zd_mac(o, zc_sll2_addr(s));
		zd_putc(o, ' ');
	}
	if (zd_line_quiet)
		return;
	put_cooked_proto(o, zc_sll2_proto(s));
	zd_puts(o, ", length ");
	zd_u64(o, len);
	zd_puts(o, ": ");
}

/* BSD loopback: the address family (the BSDs' numbers: IPv6 is 24, 28 or 30). */
void zd_line_loop_link(zd_out *o, zc_loop l, size_t len)
{
	uint32_t af = zc_loop_af(l);
	const char *nm = af == 2 ? "IPv4" : af == 24 || af == 28 || af == 30 ? "IPv6" : af == 6 ? "NS" : af == 7 ? "ISO"
		       : af == 16 ? "Appletalk" : af == 23 ? "IPX" : NULL;

	if (zd_line_quiet) {
		if (nm) {
			zd_puts(o, nm);
		} else {
			zd_puts(o, "Unknown AF ");
			zd_u64(o, af);
		}
	} else {
		zd_puts(o, "AF ");
		zd_puts(o, nm ? nm : "Unknown");
		zd_puts(o, " (");
		zd_u64(o, af);
		zd_putc(o, ')');
	}
	zd_puts(o, ", length ");
	zd_u64(o, len);
	zd_puts(o, ": ");
}
