/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/nd.c - IPv6 neighbour discovery (RFC 4861): solicitations and
 * advertisements, and duplicate address detection (RFC 4862 section 5.4)
 * for the stack's own addresses. What the messages teach goes to the
 * neighbour cache (neigh.c).
 */
#include "internal.h"

static const uint8_t all_nodes[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t unspecified[16];

/* ff02::1:ffXX:XXXX, the group a solicitation for target goes to (RFC 4291 2.7.1). */
static void solicited_node(uint8_t *g, const uint8_t *target)
{
	static const uint8_t prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };

	memcpy(g, prefix, 13);
	memcpy(g + 13, target + 13, 3);
}

/*
 * An ND message is built in a frame of its own: a solicitation may be sent
 * while s->out holds the packet that waits for its answer.
 */
#define ND_FRAME_LEN (ZCS_L2_ROOM + ZC_IPV6_HDR_LEN + ZC_ICMP6_ND_LEN + 8)

/* Writes an ND message (type, flags, target, a link-layer option when opt) at the transport offset of f. */
static size_t nd_build(const zcs_stack *s, uint8_t *f, uint8_t type, uint8_t flags, const uint8_t *target,
		       uint8_t opt)
{
	uint8_t *m = f + ZCS_L2_ROOM + ZC_IPV6_HDR_LEN;
	size_t len = ZC_ICMP6_ND_LEN;

	memset(m, 0, ZC_ICMP6_ND_LEN);
	m[0] = type;
	m[4] = flags;
	memcpy(m + ZC_ICMP6_ND_TARGET_OFF, target, 16);
	if (opt) {
		m[len] = opt;
		m[len + 1] = 1; /* in units of 8 bytes */
		memcpy(m + len + 2, s->cfg.mac, 6);
		len += 8;
	}
	return len;
}

/* Fills the ICMPv6 checksum of the message at the transport offset of f, then sends it. */
static void nd_send(zcs_stack *s, uint8_t *f, const uint8_t *src, const uint8_t *dst, size_t len, uint64_t now)
{
	uint8_t *m = f + ZCS_L2_ROOM + ZC_IPV6_HDR_LEN;
	zc_icmp6_rw v;

	zc_store_be16(m + ZC_ICMP_CSUM_OFF, 0);
	if (zc_icmp6_parse_rw(zc_wbuf_make(m, len), &v) != ZC_OK)
		return;
	zc_icmp6_csum_fill(v, zc_csum_pseudo6(src, dst, ZC_IPPROTO_ICMPV6, (uint32_t)len));
	/* ND is link-local: hop limit 255, so a receiver knows no router forwarded it (RFC 4861 7.1). */
	(void)zcs_ipv6_output(s, f, src, dst, ZC_IPPROTO_ICMPV6, 255, len, now);
}

void zcs_nd_solicit(zcs_stack *s, const uint8_t *target, bool dad)
{
	uint8_t group[16], f[ND_FRAME_LEN];
	size_t len = nd_build(s, f, ZC_ICMP6_NEIGH_SOLICIT, 0, target, dad ? 0 : ZC_ND_OPT_SRC_LLADDR);

	solicited_node(group, target);
	ZCS_INC(s, nd_solicits_sent);
	/* A probe comes from the unspecified address and carries no link-layer option (RFC 4862 5.4.2). */
	nd_send(s, f, dad ? unspecified : s->addr6[0], group, len, 0);
}

void zcs_nd_start(zcs_stack *s, uint64_t now)
{
	unsigned i;

	for (i = 0; i < ZCS_ADDR6_N; i++) {
		if (s->addr6_state[i] == ADDR6_NONE)
			continue;
		if (s->cfg.link != ZCS_LINK_ETH) {
			s->addr6_state[i] = ADDR6_PREFERRED; /* no neighbours to ask on a point-to-point link */
			continue;
		}
		s->addr6_state[i] = ADDR6_TENTATIVE;
		zcs_nd_solicit(s, s->addr6[i], true);
	}
	s->dad_deadline = now + ZCS_DAD_US;
}

uint64_t zcs_nd_poll(zcs_stack *s, uint64_t now)
{
	bool waiting = false;
	unsigned i;

	for (i = 0; i < ZCS_ADDR6_N; i++)
		if (s->addr6_state[i] == ADDR6_TENTATIVE) {
			if (now >= s->dad_deadline)
				s->addr6_state[i] = ADDR6_PREFERRED; /* nobody answered the probe */
			else
				waiting = true;
		}
	return waiting ? s->dad_deadline : ZCS_NEVER;
}

/* Another node uses or probes our address idx: while it is tentative, it is not ours (RFC 4862 5.4.3). */
static void dad_conflict(zcs_stack *s, int idx)
{
	ZCS_INC(s, dad_conflicts);
	if (s->addr6_state[idx] == ADDR6_TENTATIVE)
		s->addr6_state[idx] = ADDR6_DUPLICATE;
}

/* The link-layer address option of type want, or NULL (the walk is bounded by the view's iterator). */
static const uint8_t *nd_lladdr(zc_icmp6 m, uint8_t want, bool *bad)
{
	zc_nd_opt_iter it = zc_icmp6_nd_opts(m);
	const uint8_t *found = NULL;
	zc_nd_opt o;
	int r;

	while ((r = zc_nd_opt_next(&it, &o)) == 1)
		if (o.type == want && o.len >= 8)
			found = o.p + 2;
	*bad = r < 0;
	return found;
}

zc_err zcs_nd_input(zcs_stack *s, zc_ipv6 ip, zc_icmp6 m, uint64_t now)
{
	const uint8_t *target = zc_icmp6_nd_target(m), *src = zc_ipv6_src(ip), *ll;
	bool from_unspecified = memcmp(src, unspecified, 16) == 0, bad;
	int idx = zcs_addr6_index(s, target);
	zcs_naddr key;

	/* RFC 4861 7.1.1 and 7.1.2: what a node must check before believing an ND message. */
	if (zc_ipv6_hlim(ip) != 255 || zc_icmp6_code(m) != 0 || zc_icmp6_msg_len(m) < ZC_ICMP6_ND_LEN ||
	    target[0] == 0xff) {
		ZCS_INC(s, drop_nd_bad);
		return ZC_E_INVALID;
	}
	if (zc_icmp6_type(m) == ZC_ICMP6_NEIGH_SOLICIT) {
		ll = nd_lladdr(m, ZC_ND_OPT_SRC_LLADDR, &bad);
		if (bad || (from_unspecified && (ll || zc_ipv6_dst(ip)[0] != 0xff))) {
			ZCS_INC(s, drop_nd_bad);
			return ZC_E_INVALID;
		}
		if (idx < 0) {
			ZCS_INC(s, drop_not_ours);
			return ZC_E_UNSUPPORTED;
		}
		if (from_unspecified && s->addr6_state[idx] == ADDR6_TENTATIVE) {
			dad_conflict(s, idx); /* another node probes the same address */
			return ZC_OK;
		}
		if (s->addr6_state[idx] != ADDR6_PREFERRED)
			return ZC_OK;
		if (ll) {
			key = zcs_naddr6(src);
			zcs_neigh_learn(s, &key, ll, true, now);
		}
		{
			uint8_t f[ND_FRAME_LEN];
			size_t len = nd_build(s, f, ZC_ICMP6_NEIGH_ADVERT,
					      from_unspecified ? ZC_ND_NA_OVERRIDE : ZC_ND_NA_SOLICITED | ZC_ND_NA_OVERRIDE,
					      target, ZC_ND_OPT_TGT_LLADDR);

			ZCS_INC(s, nd_adverts_sent);
			/* To a prober, to all nodes and unsolicited; else to the asker (RFC 4861 7.2.4). */
			nd_send(s, f, target, from_unspecified ? all_nodes : src, len, now);
		}
		return ZC_OK;
	}
	/* An advertisement. */
	ll = nd_lladdr(m, ZC_ND_OPT_TGT_LLADDR, &bad);
	if (bad || ((zc_icmp6_na_flags(m) & ZC_ND_NA_SOLICITED) && zc_ipv6_dst(ip)[0] == 0xff)) {
		ZCS_INC(s, drop_nd_bad);
		return ZC_E_INVALID;
	}
	if (idx >= 0) {
		dad_conflict(s, idx);
		return ZC_OK;
	}
	if (ll) {
		key = zcs_naddr6(target);
		zcs_neigh_learn(s, &key, ll, false, now);
	}
	return ZC_OK;
}
