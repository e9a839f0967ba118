/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_icmp.c - ICMP and ICMPv6 on the default line, as
 * tcpdump -nn prints them: what an error says of the datagram it quotes
 * (its destination, port or MTU), and the message's length.
 */
#include "line.h"

/* The quote, or any bytes after the 8 of the header: every read is checked. */
static bool have(zc_buf b, size_t off, size_t n)
{
	return b.len >= off && b.len - off >= n;
}


/* What comes after "ICMP " for an unreachable message of code c (RFC 792, RFC 1812 section 5.2.7.1). */
static bool put_unreach(zd_out *o, zc_icmp4 m, zc_buf q)
{
	static const char *const net_host[] = {
		[0] = "net ", [1] = "host ", [6] = "net ", [7] = "host ", [9] = "net ", [10] = "host ",
		[11] = "net ", [12] = "host ", [13] = "host ", [14] = "host ", [15] = "host ",
	};
	static const char *const tail[] = {
		[0] = " unreachable", [1] = " unreachable", [5] = " unreachable - source route failed",
		[6] = " unreachable - unknown", [7] = " unreachable - unknown",
		[8] = " unreachable - source host isolated", [9] = " unreachable - admin prohibited",
		[10] = " unreachable - admin prohibited", [11] = " unreachable - tos prohibited",
		[12] = " unreachable - tos prohibited", [13] = " unreachable - admin prohibited filter",
		[14] = " unreachable - host precedence violation", [15] = " unreachable - precedence cutoff",
	};
	uint8_t c = zc_icmp4_code(m);

	if (!have(q, 16, 4))
		return false;
	if (c == 2) {
		zd_ipv4(o, q.p + 16);
		zd_puts(o, " protocol ");
		if (!have(q, 9, 1))
			return false;
		zd_u64(o, q.p[9]);
		zd_puts(o, " unreachable");
		return true;
	}
	if (c == 3) {
		size_t hl = (size_t)(q.p[0] & 0xf) * 4;
		uint8_t proto = q.p[9];
		if (!have(q, hl + 2, 2))
			return false;
		zd_ipv4(o, q.p + 16);
		zd_puts(o, proto == ZC_IPPROTO_TCP ? " tcp port " : proto == ZC_IPPROTO_UDP ? " udp port " : " protocol ");
		if (proto != ZC_IPPROTO_TCP && proto != ZC_IPPROTO_UDP) {
			zd_u64(o, proto);
			zd_puts(o, " port ");
		}
		zd_u64(o, zc_load_be16(q.p + hl + 2));
		zd_puts(o, " unreachable");
		return true;
	}
	if (c == 4) {
		zd_ipv4(o, q.p + 16);
		zd_puts(o, " unreachable - need to frag");
		if (zc_icmp4_mtu(m)) {
			zd_puts(o, " (mtu ");
			zd_u64(o, zc_icmp4_mtu(m));
			zd_putc(o, ')');
		}
		return true;
	}
	if (c < sizeof tail / sizeof tail[0] && tail[c]) {
		if (net_host[c])
			zd_puts(o, net_host[c]);
		zd_ipv4(o, q.p + 16);
		zd_puts(o, tail[c]);
		return true;
	}
	zd_ipv4(o, q.p + 16);
	zd_puts(o, " unreachable - #");
	zd_u64(o, c);
	return true;
}

static bool put_redirect(zd_out *o, zc_icmp4 m, zc_buf q)
{
	static const char *const how[] = { "redirect ", "redirect ", "redirect-tos ", "redirect-tos " };
	static const char *const to[] = { " to net ", " to host ", " to net ", " to host " };
	uint8_t c = zc_icmp4_code(m), gw[4];

	if (!have(q, 16, 4))
		return false;
	zc_store_be32(gw, zc_icmp4_rest(m));
	if (c < 4) {
		zd_puts(o, how[c]);
		zd_ipv4(o, q.p + 16);
		zd_puts(o, to[c]);
	} else {
		zd_puts(o, "redirect-#");
		zd_u64(o, c);
		zd_putc(o, ' ');
		zd_ipv4(o, q.p + 16);
		zd_puts(o, " to ");
	}
	zd_ipv4(o, gw);
	return true;
}

/* Milliseconds since midnight UT (RFC 792's timestamps) as HH:MM:SS.mmm. */
static void put_tstamp(zd_out *o, uint32_t t)
{
	uint32_t ms = t % 1000, s = t / 1000, mn = s / 60, h = mn / 60;

	if (h < 10)
		zd_putc(o, '0');
	zd_u64(o, h);
	zd_putc(o, ':');
	zd_putn(o, zd_dig2 + 2 * (mn % 60), 2);
	zd_putc(o, ':');
	zd_putn(o, zd_dig2 + 2 * (s % 60), 2);
	zd_putc(o, '.');
	zd_putc(o, (char)('0' + ms / 100));
	zd_putn(o, zd_dig2 + 2 * (ms % 100), 2);
}

static void put_lifetime(zd_out *o, unsigned l)
{
	if (l >= 3600) {
		zd_u64(o, l / 3600);
		zd_putc(o, ':');
		zd_putn(o, zd_dig2 + 2 * (l % 3600 / 60), 2);
		zd_putc(o, ':');
		zd_putn(o, zd_dig2 + 2 * (l % 60), 2);
	} else if (l >= 60) {
		zd_u64(o, l / 60);
		zd_putc(o, ':');
		zd_putn(o, zd_dig2 + 2 * (l % 60), 2);
	} else {
		zd_u64(o, l);
	}
}

/* A router advertisement (RFC 1256 section 3): lifetime and the addresses with their preferences. */
static bool put_router_adv(zd_out *o, zc_icmp4 m, zc_buf q)
{
	uint32_t rest = zc_icmp4_rest(m);
	unsigned num = rest >> 24, size = rest >> 16 & 0xff, i;

	zd_puts(o, "router advertisement lifetime ");
	put_lifetime(o, rest & 0xffff);
	zd_putc(o, ' ');
	zd_u64(o, num);
	zd_putc(o, ':');
	if (size != 2) {
		zd_puts(o, " [size ");
		zd_u64(o, size);
		zd_putc(o, ']');
		return true;
	}
	for (i = 0; i < num; i++) {
		if (!have(q, (size_t)i * 8, 8))
			return false;
		zd_puts(o, " {");
		zd_ipv4(o, q.p + (size_t)i * 8);
		zd_putc(o, ' ');
		zd_u64(o, zc_load_be32(q.p + (size_t)i * 8 + 4));
		zd_putc(o, '}');
	}
	return true;
}

static const char *icmp4_plain(uint8_t type)
{
	switch (type) {
	case 0: return "echo reply";
	case 4: return "source quench";
	case 8: return "echo request";
	case 10: return "router solicitation";
	case 13: return "time stamp request";
	case 14: return "time stamp reply";
	case 15: return "information request";
	case 16: return "information reply";
	case 17: return "address mask request";
	default: return NULL;
	}
}

/*
 * The message's words; false when the bytes ran out, as tcpdump's
 * [|icmp]. The buffered line is built as tcpdump builds its own, so a
 * message cut short says nothing of what came before the cut.
 */
static bool put_icmp4_words(zd_out *o, zc_icmp4 m, zc_buf q)
{
	uint8_t type = zc_icmp4_type(m), c = zc_icmp4_code(m);
	const char *nm;

	switch (type) {
	case ZC_ICMP4_ECHO_REQUEST:
	case ZC_ICMP4_ECHO_REPLY:
		zd_puts(o, type == ZC_ICMP4_ECHO_REQUEST ? "echo request, id " : "echo reply, id ");
		zd_u64(o, zc_icmp4_id(m));
		zd_puts(o, ", seq ");
		zd_u64(o, zc_icmp4_seq(m));
		return true;
	case ZC_ICMP4_DEST_UNREACH:
		return put_unreach(o, m, q);
	case ZC_ICMP4_REDIRECT:
		return put_redirect(o, m, q);
	case 9:
		return put_router_adv(o, m, q);
	case ZC_ICMP4_TIME_EXCEEDED:
		if (!have(q, 16, 4))
			return false;
		if (c < 2) {
			zd_puts(o, c ? "ip reassembly time exceeded" : "time exceeded in-transit");
		} else {
			zd_puts(o, "time exceeded-#");
			zd_u64(o, c);
		}
		return true;
	case ZC_ICMP4_PARAM_PROBLEM:
		zd_puts(o, c ? "parameter problem - code " : "parameter problem - octet ");
		zd_u64(o, c ? c : zc_icmp4_rest(m) >> 24);
		return true;
	case 18:
		if (!have(q, 0, 4))
			return false;
		zd_puts(o, "address mask is ");
		zd_hex(o, zc_load_be32(q.p), 8);
		return true;
	case 13:
		zd_puts(o, "time stamp query id ");
		zd_u64(o, zc_icmp4_id(m));
		zd_puts(o, " seq ");
		zd_u64(o, zc_icmp4_seq(m));
		return true;
	case 14:
		if (!have(q, 0, 12))
			return false;
		zd_puts(o, "time stamp reply id ");
		zd_u64(o, zc_icmp4_id(m));
		zd_puts(o, " seq ");
		zd_u64(o, zc_icmp4_seq(m));
		zd_puts(o, ": org ");
		put_tstamp(o, zc_load_be32(q.p));
		zd_puts(o, ", recv ");
		put_tstamp(o, zc_load_be32(q.p + 4));
		zd_puts(o, ", xmit ");
		put_tstamp(o, zc_load_be32(q.p + 8));
		return true;
	default:
		if ((nm = icmp4_plain(type))) {
			zd_puts(o, nm);
		} else {
			zd_puts(o, "type-#");
			zd_u64(o, type);
		}
		return true;
	}
}

void zd_line_icmp4(zd_out *o, zc_icmp4 m, size_t len)
{
	size_t at = o->len;

	zd_puts(o, "ICMP ");
	if (!put_icmp4_words(o, m, zc_icmp4_payload(m))) {
		o->len = at;
		zd_puts(o, " [|icmp]");
		return;
	}
	zd_puts(o, ", length ");
	zd_u64(o, len);
}

/* ---------------------------------------------------------------- ICMPv6 */

static const char *icmp6_name(uint8_t type)
{
	switch (type) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded in-transit";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 138: return "router renumbering";
	case 141: return "inverse neighbor solicitation";
	case 142: return "inverse neighbor advertisement";
	case 143: return "multicast listener report v2";
	case 144: return "ha discovery request";
	case 145: return "ha discovery reply";
	case 146: return "mobile router solicitation";
	case 147: return "mobile router advertisement";
	case 139: return "node information query";
	case 140: return "node information reply";
	case 200: return "mtrace response";
	case 201: return "mtrace message";
	case 155: return "RPL";
	default: return NULL;
	}
}

/*
 * The destination port of the TCP or UDP header the quoted IPv6 packet q
 * carries after its extension headers; false when there is none or the
 * bytes end first (*proto then says the last header met).
 */
static bool quoted_port(zc_buf q, unsigned *proto, uint16_t *port)
{
	size_t at = ZC_IPV6_HDR_LEN;
	unsigned nh, steps;

	if (!have(q, 6, 1))
		return false;
	nh = q.p[6];
	for (steps = 0; steps < 16; steps++) {
		*proto = nh;
		switch (nh) {
		case ZC_IPPROTO_TCP:
		case ZC_IPPROTO_UDP:
			if (!have(q, at + 2, 2))
				return false;
			*port = zc_load_be16(q.p + at + 2);
			return true;
		case ZC_IPPROTO_HOPOPTS:
		case ZC_IPPROTO_DSTOPTS:
		case ZC_IPPROTO_ROUTING:
			if (!have(q, at, 2))
				return false;
			nh = q.p[at];
			at += ((size_t)q.p[at + 1] + 1) * 8;
			break;
		case ZC_IPPROTO_FRAGMENT:
			if (!have(q, at, 4) || (zc_load_be16(q.p + at + 2) & 0xfff8))
				return false;
			nh = q.p[at];
			at += 8;
			break;
		case ZC_IPPROTO_AH: /* RFC 4302 section 2.2: the length counts 4-byte words, less 2 */
			if (!have(q, at, 2))
				return false;
			nh = q.p[at];
			at += ((size_t)q.p[at + 1] + 2) * 4;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool put_unreach6(zd_out *o, zc_icmp6 m, zc_buf q)
{
	static const char *const code[] = { "unreachable route", " unreachable prohibited", "beyond scope",
					    "unreachable address", "unreachable port" };
	uint8_t c = zc_icmp6_code(m);
	unsigned proto = 0;
	uint16_t port;

	zd_puts(o, ", ");
	if (c < 5) {
		zd_puts(o, code[c]);
	} else {
		zd_puts(o, "unknown unreach code (");
		zd_u64(o, c);
		zd_putc(o, ')');
	}
	switch (c) {
	case 0:
	case 1:
	case 3:
		if (!have(q, 24, 16))
			return false;
		zd_putc(o, ' ');
		zd_ipv6(o, q.p + 24);
		return true;
	case 2:
		if (!have(q, 8, 32))
			return false;
		zd_putc(o, ' ');
		zd_ipv6(o, q.p + 24);
		zd_puts(o, ", source address ");
		zd_ipv6(o, q.p + 8);
		return true;
	case 4:
		if (!quoted_port(q, &proto, &port) || !have(q, 24, 16))
			return false;
		zd_puts(o, ", ");
		zd_ipv6(o, q.p + 24);
		zd_puts(o, proto == ZC_IPPROTO_TCP ? " tcp port " : " udp port ");
		zd_u64(o, port);
		return true;
	default:
		return true;
	}
}

static bool put_param6(zd_out *o, zc_icmp6 m, zc_buf q)
{
	static const char *const code[] = { ", erroneous - octet ", ", next header - octet ", ", option - octet ",
					    ", incomplete header chain - octet " };
	uint8_t c = zc_icmp6_code(m);

	if (!have(q, 24, 16))
		return false;
	if (c < 4) {
		zd_puts(o, code[c]);
		zd_u64(o, zc_icmp6_rest(m));
	} else {
		zd_puts(o, ", code-#");
		zd_u64(o, c);
	}
	return true;
}

/* MLDv1 (RFC 2710 section 3): the delay and the address, glued to the type's name as tcpdump glues them. */
static void put_mld(zd_out *o, zc_icmp6 m, zc_buf q)
{
	if (!have(q, 0, 16))
		return;
	zd_puts(o, "max resp delay: ");
	zd_u64(o, zc_icmp6_rest(m) >> 16);
	zd_puts(o, " addr: ");
	zd_ipv6(o, q.p);
}

static bool put_icmp6_words(zd_out *o, zc_icmp6 m, zc_buf q, size_t len)
{
	uint8_t type = zc_icmp6_type(m), c = zc_icmp6_code(m);

	switch (type) {
	case 1:
		return put_unreach6(o, m, q);
	case 2:
		zd_puts(o, ", mtu ");
		zd_u64(o, zc_icmp6_mtu(m));
		return true;
	case 3:
		if (c == 0) {
			if (!have(q, 24, 16))
				return false;
			zd_puts(o, " for ");
			zd_ipv6(o, q.p + 24);
		} else if (c == 1) {
			zd_puts(o, " (reassembly)");
		} else {
			zd_puts(o, ", unknown code (");
			zd_u64(o, c);
			zd_putc(o, ')');
		}
		return true;
	case 4:
		return put_param6(o, m, q);
	case 128:
	case 129:
		zd_puts(o, ", id ");
		zd_u64(o, zc_icmp6_id(m));
		zd_puts(o, ", seq ");
		zd_u64(o, zc_icmp6_seq(m));
		return true;
	case 130:
		if (len == 24) {
			put_mld(o, m, q);
		} else if (len >= 28) {
			/* MLDv2 query (RFC 3810 section 5.1): nothing more without -v. */
			zd_puts(o, " v2");
		} else {
			zd_puts(o, " unknown-version (len ");
			zd_u64(o, len);
			zd_puts(o, ") ");
		}
		return true;
	case 131:
	case 132:
		put_mld(o, m, q);
		return true;
	case 135:
	case 136:
		if (!have(q, 0, 16))
			return false;
		zd_puts(o, type == 135 ? ", who has " : ", tgt is ");
		zd_ipv6(o, q.p);
		return true;
	case 137:
		if (!have(q, 0, 32))
			return false;
		zd_puts(o, ", ");
		zd_ipv6(o, q.p + 16);
		zd_puts(o, " to ");
		zd_ipv6(o, q.p);
		return true;
	case 143:
		/* MLDv2 report (RFC 3810 section 5.2): the number of group records. */
		if (len < 8) {
			zd_puts(o, " [invalid len ");
			zd_u64(o, len);
			zd_putc(o, ']');
			return true;
		}
		zd_puts(o, ", ");
		zd_u64(o, zc_icmp6_rest(m) & 0xffff);
		zd_puts(o, " group record(s)");
		return true;
	case 144:
	case 146:
		zd_puts(o, ", id ");
		zd_hex(o, zc_icmp6_id(m), 4);
		return true;
	default:
		return true;
	}
}

/* Types whose words tcpdump leaves to its -v printers or prints without a length. */
static bool icmp6_known(uint8_t type)
{
	return icmp6_name(type) && type != 138 && type != 139 && type != 140 && type != 155;
}

void zd_line_icmp6(zd_out *o, zc_icmp6 m, size_t len)
{
	uint8_t type = zc_icmp6_type(m);
	const char *nm = icmp6_name(type);

	zd_puts(o, "ICMP6, ");
	if (nm) {
		zd_puts(o, nm);
	} else {
		zd_puts(o, "unknown icmp6 type (");
		zd_u64(o, type);
		zd_putc(o, ')');
	}
	if (icmp6_known(type) && !put_icmp6_words(o, m, zc_icmp6_payload(m), len)) {
		zd_puts(o, " [|icmp6]");
		return;
	}
	zd_puts(o, ", length ");
	zd_u64(o, len);
}
