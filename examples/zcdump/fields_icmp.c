/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields_icmp.c - the ICMP and ICMPv6 fields that depend on
 * the message type: echo identifiers and sequence numbers, MTUs, neighbour
 * discovery targets, flags and options.
 */
#include "fields_int.h"

/* Types whose rest of header is an identifier and a sequence number (RFC 792, RFC 950). */
static bool icmp4_has_ident(uint8_t t)
{
	/* And the extended echo of RFC 8335 (42, 43). */
	return t == 0 || t == 8 || t == 13 || t == 14 || t == 15 || t == 16 || t == 17 || t == 18 || t == 42 ||
	       t == 43;
}

static char *icmp4_value(zd_emit *e, char *w, unsigned id, zc_icmp4 m)
{
	uint8_t t = zc_icmp4_type(m);
	uint16_t v;

	if (id == F_ICMP_MTU) {
		if (t != ZC_ICMP4_DEST_UNREACH || zc_icmp4_code(m) != 4)
			return w;
		w = occ(e, w);
		return zd_w_u64(w, zc_icmp4_mtu(m));
	}
	if (!icmp4_has_ident(t))
		return w;
	v = id == F_ICMP_IDENT || id == F_ICMP_IDENT_LE ? zc_icmp4_id(m) : zc_icmp4_seq(m);
	if (id == F_ICMP_IDENT_LE || id == F_ICMP_SEQ_LE)
		v = (uint16_t)(v << 8 | v >> 8);
	w = occ(e, w);
	return zd_w_u64(w, v);
}

char *zd_icmp4_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_ICMP4]; k++)
		w = icmp4_value(e, w, id, layer_at(e, ZC_L_ICMP4, k)->v.icmp4);
	return w;
}

/*
 * The options of any neighbour discovery message (RFC 4861 section 4):
 * after 8 bytes of a router solicitation, 16 of an advertisement, 24 of a
 * neighbour solicitation or advertisement, 40 of a redirect.
 */
static bool nd_iter(zc_icmp6 m, zc_nd_opt_iter *it)
{
	zc_buf pl = zc_icmp6_payload(m); /* from byte 8 on */
	size_t skip;

	switch (zc_icmp6_type(m)) {
	case ZC_ICMP6_ROUTER_SOLICIT: skip = 0; break;
	case ZC_ICMP6_ROUTER_ADVERT: skip = 8; break;
	case ZC_ICMP6_NEIGH_SOLICIT:
	case ZC_ICMP6_NEIGH_ADVERT: skip = 16; break;
	case ZC_ICMP6_REDIRECT: skip = 32; break;
	default: return false;
	}
	if (pl.len < skip)
		return false;
	it->p = pl.p + skip;
	it->end = pl.p + pl.len;
	it->steps = 0;
	return true;
}

/* The options of a neighbour discovery message: type, length, link-layer address. */
static char *nd_opts(zd_emit *e, char *w, unsigned id, zc_icmp6 m)
{
	zc_nd_opt_iter it;
	zc_nd_opt o;

	if (!nd_iter(m, &it))
		return w;
	while (zc_nd_opt_next(&it, &o) == 1) {
		if (id == F_ICMPV6_OPT_LINKADDR) {
			if ((o.type != 1 && o.type != 2) || o.len != 8)
				continue;
			w = occ(e, w);
			w = zd_w_mac(w, o.p + 2);
			continue;
		}
		w = occ(e, w);
		w = zd_w_u64(w, id == F_ICMPV6_OPT_TYPE ? o.type : o.len / 8);
	}
	return w;
}

static char *icmp6_value(zd_emit *e, char *w, unsigned id, zc_icmp6 m)
{
	uint8_t t = zc_icmp6_type(m), f = zc_icmp6_na_flags(m);
	/* And the extended echo of RFC 8335 (160, 161). */
	bool echo = t == ZC_ICMP6_ECHO_REQUEST || t == ZC_ICMP6_ECHO_REPLY || t == 160 || t == 161;

	switch (id) {
	case F_ICMPV6_ECHO_ID:
		if (!echo)
			return w;
		return zd_w_hex(occ(e, w), zc_icmp6_id(m), 4);
	case F_ICMPV6_ECHO_SEQ:
		if (!echo)
			return w;
		return zd_w_u64(occ(e, w), zc_icmp6_seq(m));
	case F_ICMPV6_MTU:
		if (t != ZC_ICMP6_PACKET_TOO_BIG)
			return w;
		return zd_w_u64(occ(e, w), zc_icmp6_mtu(m));
	case F_ICMPV6_NS_TARGET:
	case F_ICMPV6_NA_TARGET:
		if (t != (id == F_ICMPV6_NS_TARGET ? ZC_ICMP6_NEIGH_SOLICIT : ZC_ICMP6_NEIGH_ADVERT) || !zc_icmp6_is_nd(m))
			return w;
		return zd_w_ipv6(occ(e, w), zc_icmp6_nd_target(m));
	case F_ICMPV6_NA_FLAG:
	case F_ICMPV6_NA_FLAG_R:
	case F_ICMPV6_NA_FLAG_S:
	case F_ICMPV6_NA_FLAG_O:
		if (t != ZC_ICMP6_NEIGH_ADVERT || !zc_icmp6_is_nd(m))
			return w;
		w = occ(e, w);
		if (id == F_ICMPV6_NA_FLAG)
			return zd_w_hex(w, (uint32_t)zc_load_be32(zc_icmp6_nd_target(m) - 4), 8);
		*w++ = (f & (id == F_ICMPV6_NA_FLAG_R ? 0x80 : id == F_ICMPV6_NA_FLAG_S ? 0x40 : 0x20)) ? '1' : '0';
		return w;
	default:
		return nd_opts(e, w, id, m);
	}
}

char *zd_icmp6_field(zd_emit *e, char *w, unsigned id)
{
	unsigned k;

	for (k = 0; k < e->nk[ZC_L_ICMP6]; k++)
		w = icmp6_value(e, w, id, layer_at(e, ZC_L_ICMP6, k)->v.icmp6);
	return w;
}
