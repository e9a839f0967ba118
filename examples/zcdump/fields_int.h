/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/fields_int.h - what the files of the -T fields output
 * share: the field table, and the state of one packet being printed.
 */
#ifndef ZCDUMP_FIELDS_INT_H
#define ZCDUMP_FIELDS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "conv.h"
#include "fields.h"

/*
 * The fields: tshark's name, our id, the layer kind the field reads, and the
 * bytes of a header cut short that the field needs (see raw_limit() below).
 * A kind of ZC_L_NONE, or an end of 0, marks a field with its own rules.
 * tshark fetches the whole Ethernet header before it adds any of its
 * fields: with fewer than 14 bytes captured it shows none, not even the
 * addresses that are there.
 */
#define ZD_FIELD_LIST(X)                                                     \
	X("frame.len", FRAME_LEN, ZC_L_NONE, 0)                             \
	X("eth.src", ETH_SRC, ZC_L_ETH, 14)                                 \
	X("eth.dst", ETH_DST, ZC_L_ETH, 14)                                 \
	X("eth.type", ETH_TYPE, ZC_L_ETH, 0)                                \
	X("vlan.id", VLAN_ID, ZC_L_ETH, 0)                                  \
	X("arp.opcode", ARP_OPCODE, ZC_L_ARP, 0)                            \
	X("arp.src.proto_ipv4", ARP_SPA, ZC_L_ARP, 0)                       \
	X("arp.dst.proto_ipv4", ARP_TPA, ZC_L_ARP, 0)                       \
	X("ip.version", IP_VERSION, ZC_L_IPV4, 0)                           \
	X("ip.hdr_len", IP_HDR_LEN, ZC_L_IPV4, 1)                           \
	X("ip.dsfield", IP_DSFIELD, ZC_L_IPV4, 2)                           \
	X("ip.len", IP_LEN, ZC_L_IPV4, 4)                                   \
	X("ip.id", IP_ID, ZC_L_IPV4, 6)                                     \
	X("ip.flags", IP_FLAGS, ZC_L_IPV4, 8)                               \
	X("ip.frag_offset", IP_FRAG_OFFSET, ZC_L_IPV4, 8)                   \
	X("ip.ttl", IP_TTL, ZC_L_IPV4, 9)                                   \
	X("ip.proto", IP_PROTO, ZC_L_IPV4, 10)                              \
	X("ip.checksum", IP_CHECKSUM, ZC_L_IPV4, 12)                        \
	X("ip.src", IP_SRC, ZC_L_IPV4, 16)                                  \
	X("ip.dst", IP_DST, ZC_L_IPV4, 20)                                  \
	X("ipv6.plen", IPV6_PLEN, ZC_L_IPV6, 6)                             \
	X("ipv6.nxt", IPV6_NXT, ZC_L_IPV6, 7)                               \
	X("ipv6.hlim", IPV6_HLIM, ZC_L_IPV6, 8)                             \
	X("ipv6.flow", IPV6_FLOW, ZC_L_IPV6, 4)                             \
	X("ipv6.src", IPV6_SRC, ZC_L_IPV6, 24)                              \
	X("ipv6.dst", IPV6_DST, ZC_L_IPV6, 40)                              \
	X("tcp.srcport", TCP_SRCPORT, ZC_L_TCP, 2)                          \
	X("tcp.dstport", TCP_DSTPORT, ZC_L_TCP, 4)                          \
	X("tcp.seq_raw", TCP_SEQ_RAW, ZC_L_TCP, 8)                          \
	X("tcp.ack_raw", TCP_ACK_RAW, ZC_L_TCP, 12)                         \
	X("tcp.hdr_len", TCP_HDR_LEN, ZC_L_TCP, 13)                         \
	X("tcp.flags", TCP_FLAGS, ZC_L_TCP, 14)                             \
	X("tcp.window_size_value", TCP_WINDOW, ZC_L_TCP, 16)                \
	X("tcp.urgent_pointer", TCP_URGENT, ZC_L_TCP, 20)                   \
	X("tcp.checksum", TCP_CHECKSUM, ZC_L_TCP, 18)                       \
	X("tcp.len", TCP_LEN, ZC_L_TCP, 0)                                  \
	X("tcp.options.mss_val", TCP_MSS, ZC_L_TCP, 0)                      \
	X("tcp.options.wscale.shift", TCP_WSCALE, ZC_L_TCP, 0)              \
	X("tcp.options.timestamp.tsval", TCP_TSVAL, ZC_L_TCP, 0)            \
	X("tcp.options.timestamp.tsecr", TCP_TSECR, ZC_L_TCP, 0)            \
	X("udp.srcport", UDP_SRCPORT, ZC_L_UDP, 2)                          \
	X("udp.dstport", UDP_DSTPORT, ZC_L_UDP, 4)                          \
	X("udp.length", UDP_LENGTH, ZC_L_UDP, 6)                            \
	X("udp.checksum", UDP_CHECKSUM, ZC_L_UDP, 8)                        \
	X("icmp.type", ICMP_TYPE, ZC_L_ICMP4, 1)                            \
	X("icmp.code", ICMP_CODE, ZC_L_ICMP4, 2)                            \
	X("icmpv6.type", ICMPV6_TYPE, ZC_L_ICMP6, 1)                        \
	X("icmpv6.code", ICMPV6_CODE, ZC_L_ICMP6, 2)                        \
	X("vxlan.vni", VXLAN_VNI, ZC_L_VXLAN, 8)                            \
	X("gre.proto", GRE_PROTO, ZC_L_GRE, 4)                              \
	X("frame.number", FRAME_NUMBER, ZC_L_NONE, 0)                       \
	X("frame.time_epoch", FRAME_TIME_EPOCH, ZC_L_NONE, 0)               \
	X("frame.time_relative", FRAME_TIME_RELATIVE, ZC_L_NONE, 0)         \
	X("frame.time_delta", FRAME_TIME_DELTA, ZC_L_NONE, 0)               \
	X("frame.time_delta_displayed", FRAME_TIME_DELTA_DISPLAYED, ZC_L_NONE, 0) \
	X("frame.cap_len", FRAME_CAP_LEN, ZC_L_NONE, 0)                     \
	X("frame.marked", FRAME_MARKED, ZC_L_NONE, 0)                       \
	X("frame.ignored", FRAME_IGNORED, ZC_L_NONE, 0)                     \
	X("frame.protocols", FRAME_PROTOCOLS, ZC_L_NONE, 0)                 \
	X("eth.addr", ETH_ADDR, ZC_L_ETH, 14)                               \
	X("eth.dst.lg", ETH_DST_LG, ZC_L_ETH, 14)                           \
	X("eth.dst.ig", ETH_DST_IG, ZC_L_ETH, 14)                           \
	X("eth.src.lg", ETH_SRC_LG, ZC_L_ETH, 14)                           \
	X("eth.src.ig", ETH_SRC_IG, ZC_L_ETH, 14)                           \
	X("eth.lg", ETH_LG, ZC_L_ETH, 14)                                   \
	X("eth.ig", ETH_IG, ZC_L_ETH, 14)                                   \
	X("vlan.priority", VLAN_PRIORITY, ZC_L_ETH, 0)                      \
	X("vlan.dei", VLAN_DEI, ZC_L_ETH, 0)                                \
	X("vlan.etype", VLAN_ETYPE, ZC_L_ETH, 0)                            \
	X("arp.hw.type", ARP_HW_TYPE, ZC_L_ARP, 0)                          \
	X("arp.proto.type", ARP_PROTO_TYPE, ZC_L_ARP, 0)                    \
	X("arp.hw.size", ARP_HW_SIZE, ZC_L_ARP, 0)                          \
	X("arp.proto.size", ARP_PROTO_SIZE, ZC_L_ARP, 0)                    \
	X("arp.src.hw_mac", ARP_SHA, ZC_L_ARP, 0)                           \
	X("arp.dst.hw_mac", ARP_THA, ZC_L_ARP, 0)                           \
	X("ip.addr", IP_ADDR, ZC_L_IPV4, 20)                                \
	X("ip.host", IP_HOST, ZC_L_IPV4, 20)                                \
	X("ip.src_host", IP_SRC_HOST, ZC_L_IPV4, 16)                        \
	X("ip.dst_host", IP_DST_HOST, ZC_L_IPV4, 20)                        \
	X("ip.dsfield.dscp", IP_DSCP, ZC_L_IPV4, 2)                         \
	X("ip.dsfield.ecn", IP_ECN, ZC_L_IPV4, 2)                           \
	X("ip.flags.rb", IP_FLAGS_RB, ZC_L_IPV4, 8)                         \
	X("ip.flags.df", IP_FLAGS_DF, ZC_L_IPV4, 8)                         \
	X("ip.flags.mf", IP_FLAGS_MF, ZC_L_IPV4, 8)                         \
	X("ip.checksum.status", IP_CHECKSUM_STATUS, ZC_L_IPV4, 12)          \
	X("ipv6.version", IPV6_VERSION, ZC_L_IPV6, 1)                       \
	X("ipv6.tclass", IPV6_TCLASS, ZC_L_IPV6, 4)                         \
	X("ipv6.tclass.dscp", IPV6_TCLASS_DSCP, ZC_L_IPV6, 4)               \
	X("ipv6.tclass.ecn", IPV6_TCLASS_ECN, ZC_L_IPV6, 4)                 \
	X("ipv6.addr", IPV6_ADDR, ZC_L_IPV6, 40)                            \
	X("ipv6.host", IPV6_HOST, ZC_L_IPV6, 40)                            \
	X("ipv6.src_host", IPV6_SRC_HOST, ZC_L_IPV6, 24)                    \
	X("ipv6.dst_host", IPV6_DST_HOST, ZC_L_IPV6, 40)                    \
	X("tcp.port", TCP_PORT, ZC_L_TCP, 4)                                \
	X("tcp.flags.res", TCP_FLAGS_RES, ZC_L_TCP, 14)                     \
	X("tcp.flags.ae", TCP_FLAGS_AE, ZC_L_TCP, 14)                       \
	X("tcp.flags.cwr", TCP_FLAGS_CWR, ZC_L_TCP, 14)                     \
	X("tcp.flags.ece", TCP_FLAGS_ECE, ZC_L_TCP, 14)                     \
	X("tcp.flags.urg", TCP_FLAGS_URG, ZC_L_TCP, 14)                     \
	X("tcp.flags.ack", TCP_FLAGS_ACK, ZC_L_TCP, 14)                     \
	X("tcp.flags.push", TCP_FLAGS_PUSH, ZC_L_TCP, 14)                   \
	X("tcp.flags.reset", TCP_FLAGS_RESET, ZC_L_TCP, 14)                 \
	X("tcp.flags.syn", TCP_FLAGS_SYN, ZC_L_TCP, 14)                     \
	X("tcp.flags.fin", TCP_FLAGS_FIN, ZC_L_TCP, 14)                     \
	X("tcp.flags.str", TCP_FLAGS_STR, ZC_L_TCP, 14)                     \
	X("tcp.checksum.status", TCP_CHECKSUM_STATUS, ZC_L_TCP, 18)         \
	X("tcp.stream", TCP_STREAM, ZC_L_TCP, 0)                            \
	X("tcp.seq", TCP_SEQ, ZC_L_TCP, 0)                                  \
	X("tcp.ack", TCP_ACK, ZC_L_TCP, 0)                                  \
	X("tcp.nxtseq", TCP_NXTSEQ, ZC_L_TCP, 0)                            \
	X("tcp.window_size", TCP_WINDOW_SIZE, ZC_L_TCP, 0)                  \
	X("tcp.window_size_scalefactor", TCP_WINDOW_SCALEFACTOR, ZC_L_TCP, 0) \
	X("tcp.options.wscale.multiplier", TCP_WSCALE_MULT, ZC_L_TCP, 0)    \
	X("tcp.options.sack_le", TCP_SACK_LE, ZC_L_TCP, 0)                  \
	X("tcp.options.sack_re", TCP_SACK_RE, ZC_L_TCP, 0)                  \
	X("tcp.options.sack.count", TCP_SACK_COUNT, ZC_L_TCP, 0)            \
	X("tcp.option_kind", TCP_OPTION_KIND, ZC_L_TCP, 0)                  \
	X("tcp.option_len", TCP_OPTION_LEN, ZC_L_TCP, 0)                    \
	X("udp.port", UDP_PORT, ZC_L_UDP, 4)                                \
	X("udp.checksum.status", UDP_CHECKSUM_STATUS, ZC_L_UDP, 8)          \
	X("udp.stream", UDP_STREAM, ZC_L_UDP, 0)                            \
	X("icmp.checksum", ICMP_CHECKSUM, ZC_L_ICMP4, 4)                    \
	X("icmp.ident", ICMP_IDENT, ZC_L_ICMP4, 0)                          \
	X("icmp.seq", ICMP_SEQ, ZC_L_ICMP4, 0)                              \
	X("icmp.ident_le", ICMP_IDENT_LE, ZC_L_ICMP4, 0)                    \
	X("icmp.seq_le", ICMP_SEQ_LE, ZC_L_ICMP4, 0)                        \
	X("icmp.mtu", ICMP_MTU, ZC_L_ICMP4, 0)                              \
	X("icmpv6.checksum", ICMPV6_CHECKSUM, ZC_L_ICMP6, 4)                \
	X("icmpv6.echo.identifier", ICMPV6_ECHO_ID, ZC_L_ICMP6, 0)          \
	X("icmpv6.echo.sequence_number", ICMPV6_ECHO_SEQ, ZC_L_ICMP6, 0)    \
	X("icmpv6.mtu", ICMPV6_MTU, ZC_L_ICMP6, 0)                          \
	X("icmpv6.nd.ns.target_address", ICMPV6_NS_TARGET, ZC_L_ICMP6, 0)   \
	X("icmpv6.nd.na.target_address", ICMPV6_NA_TARGET, ZC_L_ICMP6, 0)   \
	X("icmpv6.nd.na.flag", ICMPV6_NA_FLAG, ZC_L_ICMP6, 0)               \
	X("icmpv6.nd.na.flag.r", ICMPV6_NA_FLAG_R, ZC_L_ICMP6, 0)           \
	X("icmpv6.nd.na.flag.s", ICMPV6_NA_FLAG_S, ZC_L_ICMP6, 0)           \
	X("icmpv6.nd.na.flag.o", ICMPV6_NA_FLAG_O, ZC_L_ICMP6, 0)           \
	X("icmpv6.opt.type", ICMPV6_OPT_TYPE, ZC_L_ICMP6, 0)                \
	X("icmpv6.opt.length", ICMPV6_OPT_LENGTH, ZC_L_ICMP6, 0)            \
	X("icmpv6.opt.linkaddr", ICMPV6_OPT_LINKADDR, ZC_L_ICMP6, 0)        \
	X("gre.flags_and_version", GRE_FLAGS_AND_VERSION, ZC_L_GRE, 2)      \
	X("gre.flags.checksum", GRE_FLAGS_CHECKSUM, ZC_L_GRE, 2)            \
	X("gre.flags.routing", GRE_FLAGS_ROUTING, ZC_L_GRE, 2)              \
	X("gre.flags.key", GRE_FLAGS_KEY, ZC_L_GRE, 2)                      \
	X("gre.flags.sequence_number", GRE_FLAGS_SEQ, ZC_L_GRE, 2)          \
	X("gre.flags.version", GRE_FLAGS_VERSION, ZC_L_GRE, 2)              \
	X("gre.key", GRE_KEY, ZC_L_GRE, 0)                                  \
	X("gre.sequence_number", GRE_SEQ, ZC_L_GRE, 0)                      \
	X("vxlan.flags", VXLAN_FLAGS, ZC_L_VXLAN, 2)                        \
	X("geneve.version", GENEVE_VERSION, ZC_L_GENEVE, 1)                 \
	X("geneve.flags.oam", GENEVE_OAM, ZC_L_GENEVE, 2)                   \
	X("geneve.flags.critical", GENEVE_CRITICAL, ZC_L_GENEVE, 2)         \
	X("geneve.proto_type", GENEVE_PROTO, ZC_L_GENEVE, 4)                \
	X("geneve.vni", GENEVE_VNI, ZC_L_GENEVE, 7)

#define ZD_FIELD_ENUM(name, id, kind, end) F_##id,
enum { ZD_FIELD_LIST(ZD_FIELD_ENUM) F_COUNT_ };
#undef ZD_FIELD_ENUM

/* The table, in fields_opts.c. */
typedef struct zd_field_row {
	const char *name;
	uint8_t id, kind, end;
} zd_field_row;
extern const zd_field_row zd_table[];
extern const size_t zd_ntable;

/*
 * TCP options in 40 bytes: at most 13 of one kind (window scale, 3 bytes
 * each), in every TCP header of a packet and in a cut one after them.
 */
#define ZD_OPT_MAX ((ZC_PKT_MAX_LAYERS + 1) * 14)

/* One packet being printed: the layers of each kind, found in one walk. */
typedef struct zd_emit {
	const zc_pkt *pkt;
	zc_pkt trim;             /* pkt cut where tshark stops in a quote (see zd_fields_begin()) */
	bool quote_data;         /* what follows the last layer shown is data to tshark */
	uint32_t wire_len;     /* frame.len: the length on the wire */
	int linktype;          /* the capture's DLT */
	char agg;              /* between occurrences */
	unsigned n;            /* occurrences written so far for this field */
	char *pos[ZD_MAX_OCC]; /* where each began */
	uint8_t nk[ZC_L_KIND_COUNT];                     /* layers of each kind */
	uint32_t kinds;                                  /* bit k: a layer or the stop layer of kind k */
	uint8_t at[ZC_L_KIND_COUNT][ZC_PKT_MAX_LAYERS];  /* their indexes, in order */
	uint8_t nip, ip[ZC_PKT_MAX_LAYERS];               /* IPv4 and IPv6 layers, in order */
	/* The stop layer (see raw_limit()), from zc_pkt_stop_layer(): a view of its start. */
	zc_layer raw;
	const uint8_t *raw_p;
	size_t raw_len;        /* stop_len; 0 when there is no stop layer */
	size_t raw_lim;        /* the bytes of it the fields may show */
	/* The TCP options the option fields print, in packet order; valid when opts. */
	bool opts;
	unsigned nmss, nwscale, nts;
	uint16_t mss[ZD_OPT_MAX];
	uint8_t wscale[ZD_OPT_MAX];
	const uint8_t *ts[ZD_OPT_MAX];
	/* Every option's kind and length, and the SACK blocks, for the option fields. */
	unsigned nall, nsack, nsackopt;
	uint8_t okind[ZD_OPT_MAX], olen[ZD_OPT_MAX];
	uint32_t sack[2 * ZD_OPT_MAX];  /* left and right edges, relative to the peer's base */
	uint8_t sackcount[ZD_OPT_MAX];
	/* The frame and the run's state. */
	const zd_frame *fr;
	zd_fields *fs;
	zd_tcp_seen tcp[ZC_PKT_MAX_LAYERS];  /* the k-th TCP layer's conversation */
	bool tcp_ok[ZC_PKT_MAX_LAYERS];
	bool tcp_analysed[ZC_PKT_MAX_LAYERS]; /* not in an IP fragment: tshark knows its length */
	uint32_t udp_stream[ZC_PKT_MAX_LAYERS];
} zd_emit;

/* Starts one occurrence: the aggregator between values, and where it begins. */
static inline char *occ(zd_emit *e, char *w)
{
	if (e->n)
		*w++ = e->agg;
	if (e->n < ZD_MAX_OCC)
		e->pos[e->n] = w;
	e->n++;
	return w;
}

/* The layer of kind K's k-th occurrence. */
static inline const zc_layer *layer_at(const zd_emit *e, unsigned K, unsigned k)
{
	return &e->pkt->l[e->at[K][k]];
}


/* frame.*: fields_frame.c. */
char *zd_frame_field(zd_emit *e, char *w, unsigned id);
/* Conversation fields (tcp.stream, relative numbers, udp.stream): fields_conv.c. */
void zd_conv_index(zd_emit *e);
/*
 * The family (4 or 6) of the ICMP error whose quote holds layer i, the last
 * ICMP layer before it; 0 when there is none. zd_stop_quote(): the same for
 * the stop layer, 0 when it lies in no quote.
 */
unsigned zd_quote_family(const zc_pkt *pkt, unsigned i);
unsigned zd_stop_quote(const zc_pkt *pkt);
/*
 * The bytes after the header of IP layer ip that tshark takes as the upper
 * layer's (its declared length, but no more than the frame had on the
 * wire); false when ip is not IP, or is a fragment that does not say how
 * long the upper layer is.
 */
bool zd_ip_upper_len(const zd_emit *e, const zc_layer *ip, size_t *seg);
/* Whether layer i lies inside an IP fragment, at any depth (tshark then does no TCP analysis). */
bool zd_in_fragment(const zc_pkt *pkt, unsigned i);
char *zd_conv_field(zd_emit *e, char *w, unsigned id);
bool zd_field_needs_conv(unsigned id);
/* How field id is printed, once for all packets: zd_field.cls. */
unsigned zd_field_class(unsigned id);
/* ICMP and ICMPv6 fields of their own rules: fields_icmp.c. */
char *zd_icmp4_field(zd_emit *e, char *w, unsigned id);
char *zd_icmp6_field(zd_emit *e, char *w, unsigned id);

#endif /* ZCDUMP_FIELDS_INT_H */
