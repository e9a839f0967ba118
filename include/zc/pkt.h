/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/pkt.h - the one-pass dissector: a whole captured frame in, the kind,
 * offset and validated view of every layer out.
 *
 * zc_parse() walks a frame from its link layer (given as a libpcap
 * DLT/LINKTYPE number) through Ethernet and VLAN tags, ARP, IPv4, IPv6 (with
 * its extension headers), ICMPv4, ICMPv6, TCP and UDP, and into the packets
 * that tunnels and ICMP errors carry: VXLAN (UDP port 4789), Geneve (UDP
 * 6081), GRE (and ERSPAN over it), IPv4 and IPv6 in IPv4 or IPv6, Ethernet
 * in IP (protocol 143, as SRv6 carries it), and the datagram an ICMP or ICMPv6 error quotes. Every nested layer is validated
 * by the same parse function as an outer one. Each layer record holds the
 * view its parse made, so the getters below hand views back without
 * validating anything again.
 *
 * The walk ends without error at a protocol it does not dissect (an 802.3
 * frame, UDP to other ports, SCTP, ESP, a later fragment's payload, ...).
 *
 * Nothing is allocated; a zc_pkt is about 600 bytes and zc_parse() writes
 * only the records it fills, so one zc_pkt can be reused for every frame.
 */
#ifndef ZC_PKT_H
#define ZC_PKT_H

#include "zc/buf.h"
#include "zc/err.h"
#include "zc/eth.h"
#include "zc/arp.h"
#include "zc/ipv4.h"
#include "zc/ipv6.h"
#include "zc/icmp.h"
#include "zc/tcp.h"
#include "zc/udp.h"
#include "zc/tunnel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* See zc/buf.h: zc/pkt.c defines ZC_PKT_EXTERN and compiles the exported twins. */
#ifdef ZC_PKT_EXTERN
#define ZC_PKT_API ZC_EXPORT
#else
#define ZC_PKT_API static inline
#endif

/* ---------------------------------------------------------------- link types */

/*
 * libpcap link-layer header types (https://www.tcpdump.org/linktypes.html).
 * In a file, raw IP is LINKTYPE_RAW (101); libpcap reports it as DLT_RAW,
 * which is 12 on most systems and 14 on some BSDs.
 */
#define ZC_DLT_NULL 0          /* BSD loopback: 4-byte family, capturing host's order */
#define ZC_DLT_EN10MB 1        /* Ethernet */
#define ZC_DLT_RAW 12          /* raw IPv4 or IPv6 */
#define ZC_DLT_RAW_BSD 14
#define ZC_LINKTYPE_RAW 101
#define ZC_DLT_LOOP 108        /* OpenBSD loopback: 4-byte family, network order */
#define ZC_DLT_LINUX_SLL 113   /* Linux cooked capture v1 */
#define ZC_LINKTYPE_IPV4 228
#define ZC_LINKTYPE_IPV6 229
#define ZC_DLT_LINUX_SLL2 276  /* Linux cooked capture v2 */

/* ---------------------------------------------------------------- capture pseudo-headers */

/*
 * Linux cooked capture v1: packet type (2), ARPHRD type (2), link-layer
 * address length (2), address (8, zero padded), protocol (2).
 */
#define ZC_SLL_PKTTYPE_OFF 0
#define ZC_SLL_HATYPE_OFF 2
#define ZC_SLL_HALEN_OFF 4
#define ZC_SLL_ADDR_OFF 6
#define ZC_SLL_PROTO_OFF 14
#define ZC_SLL_HDR_LEN 16

/*
 * Linux cooked capture v2: protocol (2), reserved (2), interface index (4),
 * ARPHRD type (2), packet type (1), address length (1), address (8).
 */
#define ZC_SLL2_PROTO_OFF 0
#define ZC_SLL2_IFINDEX_OFF 4
#define ZC_SLL2_HATYPE_OFF 8
#define ZC_SLL2_PKTTYPE_OFF 10
#define ZC_SLL2_HALEN_OFF 11
#define ZC_SLL2_ADDR_OFF 12
#define ZC_SLL2_HDR_LEN 20

#define ZC_ARPHRD_NETLINK 824  /* the protocol field is a netlink family, not an ethertype */

typedef struct zc_sll {
	const uint8_t *p;   /* first byte of the pseudo-header */
	uint32_t len; /* whole frame */
} zc_sll;

typedef struct zc_sll2 {
	const uint8_t *p;
	uint32_t len;
} zc_sll2;

/* Validate the pseudo-headers: 16 and 20 bytes present. Errors: ZC_E_TRUNCATED, ZC_E_ARG. */
ZC_PKT_API zc_err zc_sll_parse(zc_buf b, zc_sll *out);
ZC_PKT_API zc_err zc_sll2_parse(zc_buf b, zc_sll2 *out);

static inline uint16_t zc_sll_pkttype(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_PKTTYPE_OFF); }
static inline uint16_t zc_sll_hatype(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_HATYPE_OFF); }
/* Link-layer address length as recorded (the address field holds at most 8). */
static inline uint16_t zc_sll_halen(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_HALEN_OFF); }
static inline const uint8_t *zc_sll_addr(zc_sll s) { return s.p + ZC_SLL_ADDR_OFF; }
/* The ethertype of the payload (small values are Linux ETH_P_* pseudo-types). */
static inline uint16_t zc_sll_proto(zc_sll s) { return zc_load_be16(s.p + ZC_SLL_PROTO_OFF); }
static inline zc_buf zc_sll_payload(zc_sll s) { return zc_buf_make(s.p + ZC_SLL_HDR_LEN, s.len - ZC_SLL_HDR_LEN); }

static inline uint16_t zc_sll2_proto(zc_sll2 s) { return zc_load_be16(s.p + ZC_SLL2_PROTO_OFF); }
static inline uint32_t zc_sll2_ifindex(zc_sll2 s) { return zc_load_be32(s.p + ZC_SLL2_IFINDEX_OFF); }
static inline uint16_t zc_sll2_hatype(zc_sll2 s) { return zc_load_be16(s.p + ZC_SLL2_HATYPE_OFF); }
static inline uint8_t zc_sll2_pkttype(zc_sll2 s) { return s.p[ZC_SLL2_PKTTYPE_OFF]; }
static inline uint8_t zc_sll2_halen(zc_sll2 s) { return s.p[ZC_SLL2_HALEN_OFF]; }
static inline const uint8_t *zc_sll2_addr(zc_sll2 s) { return s.p + ZC_SLL2_ADDR_OFF; }
static inline zc_buf zc_sll2_payload(zc_sll2 s) { return zc_buf_make(s.p + ZC_SLL2_HDR_LEN, s.len - ZC_SLL2_HDR_LEN); }

/*
 * BSD loopback (NULL and LOOP): a 4-byte address family. NULL stores it in
 * the byte order of the machine that captured, LOOP in network order; the
 * dissector decodes it once and keeps the value in the view.
 */
#define ZC_LOOP_HDR_LEN 4
#define ZC_LOOP_AF_INET 2
#define ZC_LOOP_AF_INET6_OPENBSD 24
#define ZC_LOOP_AF_INET6_FREEBSD 28
#define ZC_LOOP_AF_INET6_DARWIN 30

typedef struct zc_loop {
	const uint8_t *p;
	uint32_t len; /* whole frame */
	uint32_t af;  /* the family, in host order */
} zc_loop;

/*
 * Validates the 4-byte header and decodes the family: in network order
 * first when net_order (LOOP), else in little-endian order first (NULL from
 * the usual hosts); the other order is tried when the first gives no known
 * family (2, 24, 28, 30). Errors: ZC_E_TRUNCATED, ZC_E_ARG.
 */
ZC_PKT_API zc_err zc_loop_parse(zc_buf b, bool net_order, zc_loop *out);

static inline uint32_t zc_loop_af(zc_loop l) { return l.af; }
/* The families that carry IPv4, and IPv6 (whose value differs from one BSD to the next). */
static inline bool zc_loop_af_is_ipv4(uint32_t af) { return af == ZC_LOOP_AF_INET; }
static inline bool zc_loop_af_is_ipv6(uint32_t af)
{
	return af == ZC_LOOP_AF_INET6_OPENBSD || af == ZC_LOOP_AF_INET6_FREEBSD || af == ZC_LOOP_AF_INET6_DARWIN;
}
static inline zc_buf zc_loop_payload(zc_loop l) { return zc_buf_make(l.p + ZC_LOOP_HDR_LEN, l.len - ZC_LOOP_HDR_LEN); }

/* ---------------------------------------------------------------- layers */

typedef enum zc_layer_kind {
	ZC_L_NONE = 0,
	ZC_L_ETH,     /* Ethernet II, VLAN tags included in the view */
	ZC_L_SLL,     /* Linux cooked v1 */
	ZC_L_SLL2,    /* Linux cooked v2 */
	ZC_L_LOOP,    /* BSD NULL / LOOP */
	ZC_L_ARP,
	ZC_L_IPV4,
	ZC_L_IPV6,
	ZC_L_ICMP4,
	ZC_L_ICMP6,
	ZC_L_TCP,
	ZC_L_UDP,
	ZC_L_VXLAN,
	ZC_L_GENEVE,
	ZC_L_GRE,
	ZC_L_ERSPAN,  /* ERSPAN over GRE (type I has a header of 0 bytes) */
	ZC_L_KIND_COUNT
} zc_layer_kind;

/* Layer flags. */
#define ZC_LF_QUOTED 0x01  /* inside the datagram an ICMP or ICMPv6 error quotes */
#define ZC_LF_CUT 0x02     /* a lax view: the layer runs past the bytes present */

/* Caps: more layers, or more nested encapsulations, give ZC_E_TOO_DEEP. */
#define ZC_PKT_MAX_LAYERS 24
#define ZC_PKT_MAX_DEPTH 4

typedef struct zc_layer {
	uint8_t kind;   /* zc_layer_kind */
	uint8_t depth;  /* 0 outermost; +1 per tunnel, IP-in-IP or ICMP quote entered */
	uint8_t flags;  /* ZC_LF_* */
	uint8_t pad_;
	uint32_t off;   /* offset of the layer's first byte from the start of the frame */
	union {
		zc_eth eth;
		zc_sll sll;
		zc_sll2 sll2;
		zc_loop loop;
		zc_arp arp;
		zc_ipv4 ipv4;
		zc_ipv6 ipv6;
		zc_icmp4 icmp4;
		zc_icmp6 icmp6;
		zc_tcp tcp;
		zc_udp udp;
		zc_vxlan vxlan;
		zc_geneve geneve;
		zc_gre gre;
		zc_erspan erspan;
	} v;
} zc_layer;

/*
 * The result of one zc_parse(). Only n, err, cut and stop_kind are set on
 * every call; the other error and cut fields are meaningful when err is not
 * ZC_OK or cut is true, the other stop fields when stop_kind is not
 * ZC_L_NONE.
 *
 * stop_kind is ZC_L_NONE when the walk ended after its last layer (an
 * unknown or payload-only protocol follows). Otherwise it names the layer
 * the walk was about to make when it ended without making it: because of
 * an error, a cut capture, a quote or fragment cut short, or a variant the
 * view does not support (stop_off and stop_len then say where its bytes
 * are, for a caller that wants to show what little there is, as tshark does).
 */
typedef struct zc_pkt {
	zc_buf frame;       /* the frame as given */
	uint8_t n;          /* layers in l[] */
	uint8_t cut;        /* lax: the capture ends inside a layer (reported, not an error) */
	uint8_t err_layer;  /* index the failing layer would have had */
	uint8_t err_kind;   /* its zc_layer_kind */
	uint8_t cut_layer;  /* index of the first cut layer (== n when its header is missing) */
	uint8_t cut_kind;
	uint8_t stop_kind;  /* the layer the walk ended at without making it; ZC_L_NONE: see below */
	uint8_t pad_;
	zc_err err;         /* what zc_parse() returned */
	uint32_t err_off;   /* byte offset in the frame where parsing stopped */
	uint32_t cut_off;   /* byte offset of the cut layer */
	uint32_t stop_off;  /* where the stop layer starts in the frame */
	uint32_t stop_len;  /* the bytes it had: from stop_off to the end of what encloses it */
	zc_layer l[ZC_PKT_MAX_LAYERS];
} zc_pkt;

/* Flags for zc_parse(). */
#define ZC_PARSE_LAX 0x01u  /* a capture cut by its snaplen is not an error: see zc_parse() */
/*
 * Only the outer layers, L2 to L4: the walk ends after the first transport
 * layer (TCP, UDP, ICMP or ICMPv6) and enters no encapsulation. UDP to the
 * VXLAN or Geneve port is the last layer, an ICMP error's quote is not
 * parsed, and an IP layer whose protocol is IP, GRE or Ethernet is the last
 * layer. The layers made are exactly the first ones the full walk makes.
 */
#define ZC_PARSE_OUTER 0x02u
/*
 * Walk every layer with the general loop, without the fast path that
 * zc_parse() takes for Ethernet, IPv4 or IPv6 and TCP or UDP. The result is
 * the same: this is for tests and measurements.
 */
#define ZC_PARSE_GENERAL 0x04u

/*
 * Parses frame, whose link layer is linktype (ZC_DLT_* / ZC_LINKTYPE_*),
 * into *out and returns out->err.
 *
 * Without ZC_PARSE_LAX, a header or a declared length that runs past the end
 * of the frame returns ZC_E_TRUNCATED. With it, when the capture itself is
 * short (the bytes end where the frame ends, not where an enclosing length
 * says), IPv4, IPv6 and UDP are made with their lax parsers, every header
 * that is present is parsed, the first truncation is reported in cut,
 * cut_layer, cut_kind and cut_off, and ZC_OK is returned.
 *
 * A header or declared length that runs past the end an enclosing layer's
 * declared length sets, where that layer is whole (not cut), is no short
 * capture: the bytes are all there and contradict each other, and it
 * returns ZC_E_LENGTH, with or without ZC_PARSE_LAX, at every depth. Such
 * are a TCP header longer than its IP datagram, and a packet inside VXLAN,
 * Geneve, GRE or IP-in-IP longer than the UDP datagram or IP packet that
 * carries it. When the enclosing layer is itself cut, the inner one is
 * truncated as above.
 *
 * An ICMP error's quote is always parsed laxly: quotes are cut by design, so
 * a cut quote is neither an error nor reported as cut (its layers carry
 * ZC_LF_QUOTED, and ZC_LF_CUT when cut).
 *
 * On an error, err_layer, err_kind and err_off say which layer failed and
 * where it starts; the n layers parsed before it stay valid. Errors:
 * ZC_E_LINKTYPE, ZC_E_TOO_DEEP (more than ZC_PKT_MAX_LAYERS layers or
 * ZC_PKT_MAX_DEPTH nested encapsulations), ZC_E_ARG (NULL out), and any
 * error of the views' parsers. A protocol a view reports as unsupported
 * (GRE version 1, ARP for other hardware, Geneve version 1) ends the layer
 * list without error, as an unknown protocol does.
 */
ZC_EXPORT zc_err zc_parse(zc_buf frame, int linktype, unsigned flags, zc_pkt *out);

/* A short lowercase name for a layer kind ("eth", "ipv4", ...; "?" when unknown). */
ZC_EXPORT const char *zc_layer_kind_name(unsigned kind);

/* Number of layers parsed. */
static inline unsigned zc_pkt_count(const zc_pkt *p) { return p->n; }

/* Layer idx, or NULL when idx is not below zc_pkt_count(). */
static inline const zc_layer *zc_pkt_layer(const zc_pkt *p, unsigned idx)
{
	return idx < p->n ? &p->l[idx] : (const zc_layer *)0;
}

/* The kind of layer idx; ZC_L_NONE past the last. */
static inline zc_layer_kind zc_pkt_kind(const zc_pkt *p, unsigned idx)
{
	return idx < p->n ? (zc_layer_kind)p->l[idx].kind : ZC_L_NONE;
}

/*
 * Index of the first layer of that kind at or after start, leaving out the
 * layers of a datagram quoted in an ICMP or ICMPv6 error (ZC_LF_QUOTED):
 * the TCP header an error quotes is not the packet's own. -1 when none.
 */
static inline int zc_pkt_find(const zc_pkt *p, zc_layer_kind kind, unsigned start)
{
	unsigned i;

	for (i = start; i < p->n; i++)
		if (p->l[i].kind == (uint8_t)kind && !(p->l[i].flags & ZC_LF_QUOTED))
			return (int)i;
	return -1;
}

/* The same, quoted layers included. */
static inline int zc_pkt_find_any(const zc_pkt *p, zc_layer_kind kind, unsigned start)
{
	unsigned i;

	for (i = start; i < p->n; i++)
		if (p->l[i].kind == (uint8_t)kind)
			return (int)i;
	return -1;
}

/*
 * Index of the layer that encloses layer idx (whose payload it is: the IP
 * layer of a TCP layer, the UDP layer of a VXLAN layer, the ICMP error of a
 * quoted IP header); -1 for the outermost layer or an idx past the last.
 */
static inline int zc_pkt_parent(const zc_pkt *p, unsigned idx)
{
	return idx > 0 && idx < p->n ? (int)idx - 1 : -1;
}

/*
 * Typed getters: the view of layer idx, or NULL when idx is past the last
 * layer or the layer is of another kind. No validation is repeated.
 */
#define ZC_PKT_GETTER_(name, K, type)                                          \
	static inline const type *zc_pkt_##name(const zc_pkt *p, unsigned idx)      \
	{                                                                             \
		return idx < p->n && p->l[idx].kind == (uint8_t)(K) ? &p->l[idx].v.name \
								   : (const type *)0; \
	}
ZC_PKT_GETTER_(eth, ZC_L_ETH, zc_eth)
ZC_PKT_GETTER_(sll, ZC_L_SLL, zc_sll)
ZC_PKT_GETTER_(sll2, ZC_L_SLL2, zc_sll2)
ZC_PKT_GETTER_(loop, ZC_L_LOOP, zc_loop)
ZC_PKT_GETTER_(arp, ZC_L_ARP, zc_arp)
ZC_PKT_GETTER_(ipv4, ZC_L_IPV4, zc_ipv4)
ZC_PKT_GETTER_(ipv6, ZC_L_IPV6, zc_ipv6)
ZC_PKT_GETTER_(icmp4, ZC_L_ICMP4, zc_icmp4)
ZC_PKT_GETTER_(icmp6, ZC_L_ICMP6, zc_icmp6)
ZC_PKT_GETTER_(tcp, ZC_L_TCP, zc_tcp)
ZC_PKT_GETTER_(udp, ZC_L_UDP, zc_udp)
ZC_PKT_GETTER_(vxlan, ZC_L_VXLAN, zc_vxlan)
ZC_PKT_GETTER_(geneve, ZC_L_GENEVE, zc_geneve)
ZC_PKT_GETTER_(gre, ZC_L_GRE, zc_gre)
ZC_PKT_GETTER_(erspan, ZC_L_ERSPAN, zc_erspan)
#undef ZC_PKT_GETTER_

/*
 * Parses frames[0..n), all of link type linktype, into out[0..n) as
 * zc_parse() would one by one (same flags, same results), prefetching the
 * headers of the frames a few places ahead so that the memory latency of a
 * receive ring whose buffers are not in cache overlaps the dissection.
 *
 * Every frame is parsed, whatever an earlier one gave: out[i].err holds the
 * result of frame i. Returns ZC_OK when every frame parsed without error,
 * otherwise the error of the first frame that failed (look at out[i].err to
 * find which ones), or ZC_E_ARG, with nothing parsed, when n is not 0 and
 * frames or out is NULL.
 */
ZC_EXPORT zc_err zc_parse_burst(const zc_buf *frames, size_t n, int linktype, unsigned flags, zc_pkt *out);

/* ---------------------------------------------------------------- the constructors' bodies */

/* The checks the capture pseudo-headers share: a fixed size present. Not part of the API. */
static inline zc_err zc_link_hdr_parse_(zc_buf b, size_t hlen, const uint8_t **p, uint32_t *len)
{
	if (ZC_UNLIKELY(!b.p))
		return ZC_E_ARG;
	if (ZC_UNLIKELY(b.len < hlen))
		return ZC_E_TRUNCATED;
	if (ZC_UNLIKELY(b.len > UINT32_MAX))
		return ZC_E_ARG;
	*p = b.p;
	*len = (uint32_t)b.len;
	return ZC_OK;
}

ZC_PKT_API zc_err zc_sll_parse(zc_buf b, zc_sll *out)
{
	return out ? zc_link_hdr_parse_(b, ZC_SLL_HDR_LEN, &out->p, &out->len) : ZC_E_ARG;
}

ZC_PKT_API zc_err zc_sll2_parse(zc_buf b, zc_sll2 *out)
{
	return out ? zc_link_hdr_parse_(b, ZC_SLL2_HDR_LEN, &out->p, &out->len) : ZC_E_ARG;
}

ZC_PKT_API zc_err zc_loop_parse(zc_buf b, bool net_order, zc_loop *out)
{
	uint32_t first, second;
	zc_err e;

	if (ZC_UNLIKELY(!out))
		return ZC_E_ARG;
	e = zc_link_hdr_parse_(b, ZC_LOOP_HDR_LEN, &out->p, &out->len);
	if (e != ZC_OK)
		return e;
	first = net_order ? zc_load_be32(b.p) : zc_load_le32(b.p);
	second = net_order ? zc_load_le32(b.p) : zc_load_be32(b.p);
	out->af = zc_loop_af_is_ipv4(first) || zc_loop_af_is_ipv6(first) ? first : second;
	return ZC_OK;
}

#ifdef __cplusplus
}
#endif
#endif /* ZC_PKT_H */
