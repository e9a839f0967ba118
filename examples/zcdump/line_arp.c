/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_arp.c - ARP on the default line as tcpdump -nn
 * prints it (RFC 826), for any hardware and protocol type: libzc's view
 * holds only Ethernet and IPv4 ARP, so the printer reads the header
 * itself, every read checked against the bytes present.
 */
#include "line.h"
#include "hexdump.h"

/* The fixed part: hardware type, protocol type, their lengths, the operation (RFC 826). */
#define ARP_FIXED 8

const char *zd_line_ethertype_name(uint16_t t)
{
	switch (t) {
	case 0x0800: return "IPv4";
	case 0x0806: return "ARP";
	case 0x86dd: return "IPv6";
	case 0x8100: return "802.1Q";
	case 0x9100: return "802.1Q-9100";
	case 0x88a8: return "802.1Q-QinQ";
	case 0x9200: return "802.1Q-9200";
	case 0x8847: return "MPLS unicast";
	case 0x8848: return "MPLS multicast";
	case 0x8035: return "Reverse ARP";
	case 0x1000: return "Trail";
	case 0x6558: return "TEB";
	case 0x8863: return "PPPoE D";
	case 0x8864: return "PPPoE S";
	case 0x888e: return "EAPOL";
	case 0x88cc: return "LLDP";
	case 0x88e5: return "802.1AE MACsec";
	case 0x8809: return "Slow Protocols";
	case 0x9000: return "Loopback";
	case 0x88f7: return "PTP";
	case 0x88a2: return "AoE";
	case 0x0200: return "PUP";
	case 0x0500: return "Sprite";
	case 0x0600: return "NS";
	case 0x6001: return "MOP DL";
	case 0x6002: return "MOP RC";
	case 0x6003: return "DN";
	case 0x6004: return "LAT";
	case 0x6007: return "SCA";
	case 0x8038: return "Lanbridge";
	case 0x803c: return "DEC DNS";
	case 0x803e: return "DEC DTS";
	case 0x805b: return "VEXP";
	case 0x805c: return "VPROD";
	case 0x809b: return "Appletalk";
	case 0x80f3: return "Appletalk ARP";
	case 0x8137: return "IPX";
	case 0x880b: return "PPP";
	case 0x8808: return "MPCP";
	case 0x8899: return "Realtek protocols";
	case 0x886f: return "MS NLB heartbeat";
	case 0x8870: return "Jumbo";
	case 0x894f: return "NSH";
	case 0xfefe: return "OSI";
	case 0x00fe: return "GRE-OSI";
	case 0xabcd: return "CFM (old)";
	case 0x8902: return "CFM";
	case 0x893a: return "IEEE1905.1";
	case 0x88ca: return "TIPC";
	case 0x0707: return "GeoNet (old)";
	case 0x8947: return "GeoNet";
	case 0x1111: return "CALM FAST";
	case 0xd28b: return "Arista Vendor Specific Protocol";
	default: return NULL;
	}
}

static const char *hrd_name(uint16_t h)
{
	switch (h) {
	case 1: return "Ethernet";
	case 6: return "TokenRing";
	case 7: return "ArcNet";
	case 15: return "FrameRelay";
	case 23: return "Strip";
	case 24: return "IEEE 1394";
	case 19: return "ATM";
	default: return NULL;
	}
}

static const char *op_name(uint16_t op)
{
	switch (op) {
	case 1: return "Request";
	case 2: return "Reply";
	case 3: return "Reverse Request";
	case 4: return "Reverse Reply";
	case 8: return "Inverse Request";
	case 9: return "Inverse Reply";
	case 10: return "NACK Reply";
	default: return NULL;
	}
}

/* A hardware address of n bytes: xx:xx:..., "<empty>" when n is 0. */
static void put_hw(zd_out *o, const uint8_t *a, size_t n)
{
	size_t i;

	if (n == 0) {
		zd_puts(o, "<empty>");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			zd_putc(o, ':');
		zd_putc(o, zd_hexdig[a[i] >> 4]);
		zd_putc(o, zd_hexdig[a[i] & 0xf]);
	}
}

static void put_pa(zd_out *o, uint16_t pro, size_t pln, const uint8_t *a)
{
	if (pro != 0x0800 && pro != 0x1000)
		zd_puts(o, "<wrong proto type>");
	else if (pln != 4)
		zd_puts(o, "<wrong len>");
	else
		zd_ipv4(o, a);
}

static void put_types(zd_out *o, uint16_t hrd, size_t hln, uint16_t pro, size_t pln)
{
	const char *h = hrd_name(hrd), *p = zd_line_ethertype_name(pro);

	if (h) {
		zd_puts(o, h);
	} else {
		zd_puts(o, "Unknown Hardware (");
		zd_u64(o, hrd);
		zd_putc(o, ')');
	}
	zd_puts(o, " (len ");
	zd_u64(o, hln);
	zd_puts(o, "), ");
	if (p) {
		zd_puts(o, p);
	} else {
		zd_puts(o, "Unknown Protocol (");
		zd_hex(o, pro, 4);
		zd_putc(o, ')');
	}
	zd_puts(o, " (len ");
	zd_u64(o, pln);
	zd_putc(o, ')');
}

bool zd_line_arp(zd_out *o, zc_buf b, size_t len, bool bare)
{
	uint16_t hrd, pro, op;
	size_t hln, pln;
	const uint8_t *sha, *spa, *tha, *tpa, *p = b.p;
	const char *nm;

	if (b.len < ARP_FIXED)
		goto cut;
	hrd = zc_load_be16(p);
	pro = zc_load_be16(p + 2);
	hln = p[4];
	pln = p[5];
	op = zc_load_be16(p + 6);
	if (hrd == 19) /* ATM ARP (RFC 2225) has a layout of its own */
		return false;
	if (b.len - ARP_FIXED < 2 * (hln + pln))
		goto cut;
	sha = p + ARP_FIXED;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	if (!bare)
		zd_puts(o, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0) {
		put_types(o, hrd, hln, pro, pln);
		goto length;
	}
	nm = op_name(op);
	if (nm) {
		zd_puts(o, nm);
	} else {
		zd_puts(o, "Unknown (");
		zd_u64(o, op);
		zd_putc(o, ')');
	}
	zd_putc(o, ' ');
	switch (op) {
	case 1: {
		size_t i;
		zd_puts(o, "who-has ");
		put_pa(o, pro, pln, tpa);
		for (i = 0; i < hln && !tha[i]; i++)
			;
		if (i < hln) {
			zd_puts(o, " (");
			put_hw(o, tha, hln);
			zd_putc(o, ')');
		}
		zd_puts(o, " tell ");
		put_pa(o, pro, pln, spa);
		break;
	}
	case 2:
		put_pa(o, pro, pln, spa);
		zd_puts(o, " is-at ");
		put_hw(o, sha, hln);
		break;
	case 3:
	case 8:
		zd_puts(o, "who-is ");
		put_hw(o, tha, hln);
		zd_puts(o, " tell ");
		put_hw(o, sha, hln);
		break;
	case 4:
		put_hw(o, tha, hln);
		zd_puts(o, " at ");
		put_pa(o, pro, pln, tpa);
		break;
	case 9:
		put_hw(o, sha, hln);
		zd_puts(o, " at ");
		put_pa(o, pro, pln, spa);
		break;
	default:
		/* No words for it: the bytes in hex (not under -q), and no length. */
		if (!zd_line_quiet)
			zd_dump_default(o, b.p, b.len);
		return true;
	}
length:
	zd_puts(o, ", length ");
	zd_u64(o, len);
	return true;

cut:
	zd_puts(o, " [|arp]");
	return true;
}
