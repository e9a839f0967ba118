/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line_ip.c - the IPv4 and IPv6 part of the default line,
 * as tcpdump -nn prints it: the addresses (with the ports, when TCP or UDP
 * follows the fixed header at once), IPv6's extension headers, fragments,
 * and the protocols libzc does not dissect.
 */
#include "line.h"

static bool has_ports(const zc_layer *l4)
{
	return l4 && (l4->kind == ZC_L_TCP || l4->kind == ZC_L_UDP);
}

static void put_ports_of(zd_out *o, const zc_layer *l4, bool src)
{
	if (l4->kind == ZC_L_TCP)
		zd_u64(o, src ? zc_tcp_src_port(l4->v.tcp) : zc_tcp_dst_port(l4->v.tcp));
	else
		zd_u64(o, src ? zc_udp_src_port(l4->v.udp) : zc_udp_dst_port(l4->v.udp));
}

void zd_line_ports(zd_out *o, const zc_layer *l4)
{
	put_ports_of(o, l4, true);
	zd_puts(o, " > ");
	put_ports_of(o, l4, false);
	zd_puts(o, ": ");
}

/* What tcpdump says of an upper protocol libzc does not dissect; pay is its bytes present. */
static void put_proto_tail(zd_out *o, unsigned proto, size_t len, zc_buf pay)
{
	if (proto == ZC_IPPROTO_ESP) {
		/* RFC 4303 section 2: the SPI and the sequence number; the rest is ciphertext. */
		if (pay.len <= 8) {
			zd_puts(o, " [|esp]");
			return;
		}
		zd_puts(o, "ESP(spi=");
		zd_hex(o, zc_load_be32(pay.p), 8);
		zd_puts(o, ",seq=");
		zd_line_hex(o, zc_load_be32(pay.p + 4));
		zd_puts(o, "), length ");
		zd_u64(o, len);
		return;
	}
	if (proto == ZC_IPPROTO_NONE) {
		zd_puts(o, "no next header");
		return;
	}
	zd_puts(o, " ip-proto-");
	zd_u64(o, proto);
	zd_putc(o, ' ');
	zd_u64(o, len);
}

void zd_line_hex(zd_out *o, uint64_t v)
{
	zd_puts(o, "0x");
	zd_line_xdigits(o, v);
}

void zd_line_xdigits(zd_out *o, uint64_t v)
{
	int w = 1;

	while (w < 16 && v >> (4 * w))
		w++;
	while (w--)
		zd_putc(o, zd_hexdig[v >> (4 * w) & 0xf]);
}

bool zd_line_ipv4(zd_out *o, const zc_layer *ip, const zc_layer *nx, bool bare, size_t avail)
{
	zc_ipv4 v = ip->v.ipv4;
	bool ports = has_ports(nx) && zc_ipv4_proto(v) == (nx->kind == ZC_L_TCP ? ZC_IPPROTO_TCP : ZC_IPPROTO_UDP);
	size_t tl = zc_ipv4_total_len_field(v);

	if (!bare)
		zd_puts(o, "IP ");
	if (tl < zc_ipv4_hdr_len(v)) {
		/* A total length shorter than the header (0 from segmentation offload): tcpdump goes no further. */
		zd_puts(o, "bad-len ");
		zd_u64(o, tl);
		return false;
	}
	if (tl > avail) {
		zd_puts(o, "truncated-ip - ");
		zd_u64(o, tl - avail);
		zd_puts(o, " bytes missing! ");
	}
	zd_ipv4(o, zc_ipv4_src_bytes(v));
	if (ports) {
		zd_putc(o, '.');
		put_ports_of(o, nx, true);
	}
	zd_puts(o, " > ");
	zd_ipv4(o, zc_ipv4_dst_bytes(v));
	if (ports) {
		zd_putc(o, '.');
		put_ports_of(o, nx, false);
	}
	if (!zc_ipv4_is_first_fragment(v)) {
		/* A later fragment: only its protocol's number. */
		zd_puts(o, ": ip-proto-");
		zd_u64(o, zc_ipv4_proto(v));
		return false;
	}
	zd_puts(o, ": ");
	if (!nx)
		put_proto_tail(o, zc_ipv4_proto(v), zc_ipv4_upper_len(v), zc_ipv4_payload(v));
	return nx != NULL;
}

/* "frag (OFFSET|LENGTH)": the bytes after the fragment header the payload length counts. */
static bool put_frag(zd_out *o, zc_ipv6 v, zc_ipv6_ext e)
{
	size_t all = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(v), after = (size_t)e.off + 8;
	uint16_t off;

	if (e.len < 4)
		return false;
	off = zc_load_be16(e.p + 2) & 0xfff8;
	zd_puts(o, "frag (");
	zd_u64(o, off);
	zd_putc(o, '|');
	zd_u64(o, all > after ? all - after : 0);
	zd_putc(o, ')');
	if (off)
		return false;
	zd_putc(o, ' ');
	return true;
}

/* A routing header (RFC 8200 section 4.4; type 4, RFC 8754 section 2), as "RT6 (...) ". */
static bool put_routing(zd_out *o, zc_ipv6_ext e)
{
	unsigned len = e.p[1], type, i, n;

	if (e.len < 8)
		return false;
	type = e.p[2];
	zd_puts(o, "RT6 (len=");
	zd_u64(o, len);
	zd_puts(o, ", type=");
	zd_u64(o, type);
	if (type == 0)
		zd_puts(o, " [Deprecated]");
	zd_puts(o, ", segleft=");
	zd_u64(o, e.p[3]);
	if (type == 0 || type == 2) {
		if (zc_load_be32(e.p + 4)) {
			zd_puts(o, ", rsv=");
			zd_line_hex(o, zc_load_be32(e.p + 4));
		}
	} else if (type == 4) {
		zd_puts(o, ", last-entry=");
		zd_u64(o, e.p[4]);
		if (e.p[5]) {
			zd_puts(o, ", flags=");
			zd_line_hex(o, e.p[5]);
		}
		zd_puts(o, ", tag=");
		zd_line_xdigits(o, zc_load_be16(e.p + 6));
	} else {
		zd_puts(o, " (unknown type) (invalid)");
		return false;
	}
	if (len % 2) {
		zd_puts(o, " (invalid length ");
		zd_u64(o, len);
		zd_puts(o, ") (invalid)");
		return false;
	}
	n = len / 2;
	for (i = 0; i < n && (size_t)8 + 16 * (i + 1) <= e.len; i++) {
		zd_puts(o, ", [");
		zd_u64(o, i);
		zd_putc(o, ']');
		zd_ipv6(o, e.p + 8 + 16 * i);
	}
	zd_puts(o, ") ");
	return true;
}

/* AH (RFC 4302 section 2): the reserved field when set, the SPI, the sequence number, the ICV. */
static bool put_ah(zd_out *o, zc_ipv6_ext e)
{
	size_t i;

	if (e.len < 12)
		return false;
	zd_puts(o, "AH(");
	if (zc_load_be16(e.p + 2)) {
		zd_puts(o, "reserved=");
		zd_line_hex(o, zc_load_be16(e.p + 2));
		zd_puts(o, "[MustBeZero],");
	}
	zd_puts(o, "spi=");
	zd_hex(o, zc_load_be32(e.p + 4), 8);
	zd_puts(o, ",seq=");
	zd_line_hex(o, zc_load_be32(e.p + 8));
	zd_puts(o, ",icv=0x");
	for (i = 12; i < e.len; i++) {
		zd_putc(o, zd_hexdig[e.p[i] >> 4]);
		zd_putc(o, zd_hexdig[e.p[i] & 0xf]);
	}
	zd_puts(o, "): ");
	return true;
}

/* The extension headers in their order; false when nothing is to follow them. */
static bool put_exts(zd_out *o, zc_ipv6 v)
{
	zc_ipv6_ext_iter it = zc_ipv6_exts(v);
	zc_ipv6_ext e;

	while (zc_ipv6_ext_next(&it, &e) == 1) {
		switch (e.type) {
		case ZC_IPPROTO_HOPOPTS:
			zd_puts(o, "HBH ");
			break;
		case ZC_IPPROTO_DSTOPTS:
			zd_puts(o, "DSTOPT ");
			break;
		case ZC_IPPROTO_FRAGMENT:
			if (!put_frag(o, v, e))
				return false;
			break;
		case ZC_IPPROTO_ROUTING:
			if (!put_routing(o, e))
				return false;
			break;
		case ZC_IPPROTO_AH:
			if (!put_ah(o, e))
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

bool zd_line_ipv6(zd_out *o, const zc_layer *ip, const zc_layer *nx, bool bare, size_t avail)
{
	zc_ipv6 v = ip->v.ipv6;
	uint8_t first = zc_ipv6_nxt(v);
	bool ports = has_ports(nx) && first == zc_ipv6_proto(v);
	size_t tl = ZC_IPV6_HDR_LEN + zc_ipv6_payload_len(v);

	if (!bare)
		zd_puts(o, "IP6 ");
	if (zc_ipv6_payload_len(v) && tl > avail) {
		zd_puts(o, "truncated-ip6 - ");
		zd_u64(o, tl - avail);
		zd_puts(o, " bytes missing!");
	}
	zd_ipv6(o, zc_ipv6_src(v));
	if (ports) {
		zd_putc(o, '.');
		put_ports_of(o, nx, true);
	}
	zd_puts(o, " > ");
	zd_ipv6(o, zc_ipv6_dst(v));
	if (ports) {
		zd_putc(o, '.');
		put_ports_of(o, nx, false);
	}
	zd_puts(o, ": ");
	if (!put_exts(o, v))
		return false;
	if (has_ports(nx) && !ports)
		zd_line_ports(o, nx);
	if (!nx)
		put_proto_tail(o, zc_ipv6_proto(v), zc_ipv6_upper_len(v), zc_ipv6_payload(v));
	return nx != NULL;
}
