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
#include "zc/link.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * The stop layer (see zc_pkt) as a record of its own, for a caller that shows
 * what a header cut short has, as tshark does: kind stop_kind, off
 * stop_off, flags ZC_LF_CUT, depth that of the last layer made, and a view
 * that says only where the header starts: every other member of the view
 * is 0. Returns the bytes of the header present (stop_len); on such a view
 * only the accessors of fixed-offset fields that lie wholly inside them
 * may be called (not its payload, options or lengths). Returns 0, and sets
 * nothing, when there is no stop layer or it has no bytes.
 */
ZC_EXPORT size_t zc_pkt_stop_layer(const zc_pkt *p, zc_layer *out);

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

#ifdef __cplusplus
}
#endif
#endif /* ZC_PKT_H */
