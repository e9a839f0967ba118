/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/baseline.h - the approach libzc replaces: each header copied into a
 * host-order struct, with bounds checks, the way a typical hand-rolled parser
 * does it (the wire structs of <netinet/ip.h> and friends memcpy'd out of the buffer, then
 * every field converted with ntohs/ntohl into the program's own struct).
 * Written to be fair: no needless work, the compiler may inline everything.
 */
#ifndef ZC_BENCH_BASELINE_H
#define ZC_BENCH_BASELINE_H

#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

#include "bench.h"

#define BL_MAX_VLAN 4
#define BL_MAX_EXT 8

struct bl_eth {
	uint8_t dst[6], src[6];
	uint16_t vlan_tci[BL_MAX_VLAN];
	unsigned nvlan;
	uint16_t type; /* after the tags */
	size_t hlen;
};

struct bl_ipv4 {
	uint8_t version, ihl, tos, ttl, proto;
	uint16_t tot_len, id, frag_off, check;
	uint32_t saddr, daddr; /* host order */
	uint8_t options[40];
	size_t hlen;
};

struct bl_ipv6 {
	uint8_t tclass, next, hlim, proto; /* proto: after the extension headers */
	uint32_t flow;
	uint16_t plen;
	struct in6_addr src, dst;
	size_t hlen; /* 40 plus the extension headers */
	int frag;    /* a fragment header with an offset or M set was seen */
	uint16_t frag_off;
};

struct bl_tcp {
	uint16_t sport, dport, win, check, urg;
	uint32_t seq, ack;
	uint8_t doff, flags;
	uint8_t options[40];
	size_t hlen;
};

struct bl_udp {
	uint16_t sport, dport, len, check;
};

static inline int bl_parse_eth(const uint8_t *p, size_t len, struct bl_eth *h)
{
	struct ether_header eh;

	if (len < sizeof eh)
		return -1;
	memcpy(&eh, p, sizeof eh);
	memcpy(h->dst, eh.ether_dhost, 6);
	memcpy(h->src, eh.ether_shost, 6);
	h->type = ntohs(eh.ether_type);
	h->hlen = sizeof eh;
	h->nvlan = 0;
	while (h->type == 0x8100 || h->type == 0x88a8 || h->type == 0x9100) {
		uint16_t tag[2];

		if (h->nvlan == BL_MAX_VLAN || len - h->hlen < sizeof tag)
			return -1;
		memcpy(tag, p + h->hlen, sizeof tag);
		h->vlan_tci[h->nvlan++] = ntohs(tag[0]);
		h->type = ntohs(tag[1]);
		h->hlen += sizeof tag;
	}
	return 0;
}

static inline int bl_parse_ipv4(const uint8_t *p, size_t len, struct bl_ipv4 *h)
{
	struct iphdr ip;

	if (len < sizeof ip)
		return -1;
	memcpy(&ip, p, sizeof ip);
	h->version = ip.version;
	h->ihl = ip.ihl;
	h->tos = ip.tos;
	h->tot_len = ntohs(ip.tot_len);
	h->id = ntohs(ip.id);
	h->frag_off = ntohs(ip.frag_off);
	h->ttl = ip.ttl;
	h->proto = ip.protocol;
	h->check = ntohs(ip.check);
	h->saddr = ntohl(ip.saddr);
	h->daddr = ntohl(ip.daddr);
	h->hlen = (size_t)h->ihl * 4;
	if (h->version != 4 || h->ihl < 5 || h->hlen > len || h->tot_len < h->hlen || h->tot_len > len)
		return -1;
	if (h->hlen > sizeof ip)
		memcpy(h->options, p + sizeof ip, h->hlen - sizeof ip);
	return 0;
}

static inline int bl_parse_ipv6(const uint8_t *p, size_t len, struct bl_ipv6 *h)
{
	struct ip6_hdr ip6;
	uint32_t vtf;
	unsigned n;

	if (len < sizeof ip6)
		return -1;
	memcpy(&ip6, p, sizeof ip6);
	vtf = ntohl(ip6.ip6_flow);
	if (vtf >> 28 != 6)
		return -1;
	h->tclass = (uint8_t)(vtf >> 20);
	h->flow = vtf & 0xfffff;
	h->plen = ntohs(ip6.ip6_plen);
	h->next = ip6.ip6_nxt;
	h->hlim = ip6.ip6_hlim;
	h->src = ip6.ip6_src;
	h->dst = ip6.ip6_dst;
	if (len - sizeof ip6 < h->plen)
		return -1;
	len = sizeof ip6 + h->plen;
	h->hlen = sizeof ip6;
	h->proto = h->next;
	h->frag = 0;
	h->frag_off = 0;
	for (n = 0; n < BL_MAX_EXT; n++) {
		struct ip6_ext ext;
		size_t elen;

		if (h->proto == IPPROTO_FRAGMENT) {
			struct ip6_frag fh;

			if (len - h->hlen < sizeof fh)
				return -1;
			memcpy(&fh, p + h->hlen, sizeof fh);
			/* glibc's IP6F_* masks are in network order, like the field. */
			h->frag_off = ntohs(fh.ip6f_offlg);
			h->frag = (fh.ip6f_offlg & (IP6F_OFF_MASK | IP6F_MORE_FRAG)) != 0;
			h->proto = fh.ip6f_nxt;
			h->hlen += sizeof fh;
			if (fh.ip6f_offlg & IP6F_OFF_MASK)
				break; /* a later fragment: no upper-layer header follows */
			continue;
		}
		if (h->proto != IPPROTO_HOPOPTS && h->proto != IPPROTO_ROUTING && h->proto != IPPROTO_DSTOPTS &&
		    h->proto != IPPROTO_AH)
			break;
		if (len - h->hlen < sizeof ext)
			return -1;
		memcpy(&ext, p + h->hlen, sizeof ext);
		elen = h->proto == IPPROTO_AH ? ((size_t)ext.ip6e_len + 2) * 4 : ((size_t)ext.ip6e_len + 1) * 8;
		if (len - h->hlen < elen)
			return -1;
		h->proto = ext.ip6e_nxt;
		h->hlen += elen;
	}
	return 0;
}

static inline int bl_parse_tcp(const uint8_t *p, size_t len, struct bl_tcp *h)
{
	struct tcphdr th;

	if (len < sizeof th)
		return -1;
	memcpy(&th, p, sizeof th);
	h->sport = ntohs(th.th_sport);
	h->dport = ntohs(th.th_dport);
	h->seq = ntohl(th.th_seq);
	h->ack = ntohl(th.th_ack);
	h->doff = th.th_off;
	h->flags = th.th_flags;
	h->win = ntohs(th.th_win);
	h->check = ntohs(th.th_sum);
	h->urg = ntohs(th.th_urp);
	h->hlen = (size_t)h->doff * 4;
	if (h->doff < 5 || h->hlen > len)
		return -1;
	if (h->hlen > sizeof th)
		memcpy(h->options, p + sizeof th, h->hlen - sizeof th);
	return 0;
}

static inline int bl_parse_udp(const uint8_t *p, size_t len, struct bl_udp *h)
{
	struct udphdr uh;

	if (len < sizeof uh)
		return -1;
	memcpy(&uh, p, sizeof uh);
	h->sport = ntohs(uh.uh_sport);
	h->dport = ntohs(uh.uh_dport);
	h->len = ntohs(uh.uh_ulen);
	h->check = ntohs(uh.uh_sum);
	if (h->len < sizeof uh || h->len > len)
		return -1;
	return 0;
}

/* The job on one frame. */
static inline uint64_t bl_job(const uint8_t *p, size_t len)
{
	struct bl_eth eth;
	uint64_t src, dst;
	const uint8_t *l4;
	size_t l4len;
	uint8_t proto;

	if (bl_parse_eth(p, len, &eth) < 0)
		return 0;
	p += eth.hlen;
	len -= eth.hlen;
	if (eth.type == ETHERTYPE_IP) {
		struct bl_ipv4 ip;

		if (bl_parse_ipv4(p, len, &ip) < 0)
			return bench_mix(eth.type, 0, 0, 0, 0, 0, 0, 0);
		src = ip.saddr;
		dst = ip.daddr;
		proto = ip.proto;
		if (ip.frag_off & (IP_MF | IP_OFFMASK))
			return bench_mix(eth.type, src, dst, proto, 0, 0, 0, 0);
		l4 = p + ip.hlen;
		l4len = ip.tot_len - ip.hlen;
	} else if (eth.type == ETHERTYPE_IPV6) {
		struct bl_ipv6 ip6;

		if (bl_parse_ipv6(p, len, &ip6) < 0)
			return bench_mix(eth.type, 0, 0, 0, 0, 0, 0, 0);
		src = bench_v6(ip6.src.s6_addr);
		dst = bench_v6(ip6.dst.s6_addr);
		proto = ip6.proto;
		if (ip6.frag)
			return bench_mix(eth.type, src, dst, proto, 0, 0, 0, 0);
		l4 = p + ip6.hlen;
		l4len = sizeof(struct ip6_hdr) + ip6.plen - ip6.hlen;
	} else {
		return bench_mix(eth.type, 0, 0, 0, 0, 0, 0, 0);
	}
	if (proto == IPPROTO_TCP) {
		struct bl_tcp tcp;

		if (bl_parse_tcp(l4, l4len, &tcp) < 0)
			return bench_mix(eth.type, src, dst, proto, 0, 0, 0, 0);
		return bench_mix(eth.type, src, dst, proto, tcp.sport, tcp.dport, tcp.flags,
				 (uint32_t)(l4len - tcp.hlen));
	}
	if (proto == IPPROTO_UDP) {
		struct bl_udp udp;

		if (bl_parse_udp(l4, l4len, &udp) < 0)
			return bench_mix(eth.type, src, dst, proto, 0, 0, 0, 0);
		return bench_mix(eth.type, src, dst, proto, udp.sport, udp.dport, 0,
				 (uint32_t)(udp.len - sizeof(struct udphdr)));
	}
	return bench_mix(eth.type, src, dst, proto, 0, 0, 0, 0);
}

#endif /* ZC_BENCH_BASELINE_H */
