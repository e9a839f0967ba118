/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/stack.h - libzcstack: an embeddable host stack on libzc's views.
 *
 * The stack is sans-I/O. The program around it reads frames from wherever
 * they come (a TAP or TUN device, a ring, a test) and gives each to
 * zcs_input() with the time; the stack answers through the transmit
 * callback the program set; zcs_poll() runs the timers and says when it
 * wants to be called again. The clock is the caller's: a test runs the stack
 * on a fake one. One thread at a time calls into a stack.
 *
 * Memory is fixed at zcs_create(), the one allocation: the caller sizes
 * every table (ARP entries, packets waiting for resolution, sockets, their
 * rings). Whatever arrives, nothing more is allocated; a full table is an
 * error for the call that needs the room (ZC_E_NOBUFS, ZC_E_AGAIN) or a
 * counted drop for a frame that does.
 *
 * The receive path parses each frame once with the views (zc_eth_parse(),
 * zc_ipv4_parse(), ...) and hands the views up; a UDP socket with a receive
 * callback gets the payload as a zc_buf over the frame's own bytes, without
 * a copy; without one, the socket's ring is the single copy.
 *
 * This release: Ethernet (TAP) or raw IP (TUN) links; ARP with a cache that
 * ages, a bounded queue of packets waiting for an answer, and a gratuitous
 * ARP at start; IPv4 with fragment reassembly in bounded slots and
 * fragmentation of what it sends beyond the MTU; ICMP echo; UDP and TCP
 * sockets, and ICMP port unreachable for a closed UDP port, a reset for a
 * closed TCP one. IPv6, when addr6 is set: a link-local address made from
 * the MAC, duplicate address detection for both, neighbour discovery
 * (RFC 4861) into the same cache as ARP, ICMPv6 echo and errors (RFC 4443),
 * fragment reassembly in the same bounded slots as IPv4's, and UDP and TCP
 * over it: a socket bound to a port takes both families (as a Linux socket
 * bound to [::] does); what it sends beyond the MTU goes in fragments.
 * On Ethernet, a DHCPv4 client may lease the IPv4 address (zcs_config.dhcp).
 */
#ifndef ZC_STACK_STACK_H
#define ZC_STACK_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zc/buf.h"
#include "zc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zcs_stack zcs_stack;

/* The link a stack sits on. */
#define ZCS_LINK_ETH 0 /* Ethernet frames (a TAP device): ARP resolves next hops */
#define ZCS_LINK_IP 1  /* IP packets without a link header (a TUN device) */

/* Times are microseconds on the caller's clock; ZCS_NEVER is "no deadline". */
#define ZCS_NEVER UINT64_MAX

/*
 * Sends one frame (Ethernet with its header, or an IP packet on a TUN
 * link); returns 0 when it was taken. The bytes are valid during the call
 * only. A nonzero return is counted (tx_fail) and the frame is lost, as a
 * full device queue would lose it.
 */
typedef int (*zcs_tx_fn)(void *ctx, const uint8_t *frame, size_t len);

/*
 * What a TCP segment larger than the MSS asks of the device that is to cut
 * it into segments of the MSS (TSO): the fields of a virtio_net_hdr. The
 * segment's checksum field holds the pseudo-header's partial sum, not
 * complemented (zc_tcp_csum_partial_fill()), for the device to complete
 * over csum_start to the end of each segment it makes. Offsets are bytes
 * from the frame's start (the Ethernet header on a TAP).
 */
#define ZCS_GSO_TCPV4 1 /* VIRTIO_NET_HDR_GSO_TCPV4 */
#define ZCS_GSO_TCPV6 4 /* VIRTIO_NET_HDR_GSO_TCPV6 */

typedef struct zcs_gso {
	uint8_t type;         /* ZCS_GSO_TCPV4 or ZCS_GSO_TCPV6 */
	uint16_t size;        /* TCP data per segment cut: the connection's MSS */
	uint16_t hdr_len;     /* the link, IP and TCP headers, options included */
	uint16_t csum_start;  /* where the TCP header starts */
	uint16_t csum_offset; /* the checksum field's offset in the TCP header (16) */
} zcs_gso;

/*
 * Sends one TCP segment larger than the MSS for the device to cut (see
 * zcs_config.tso_max); the frame (up to 65535 bytes of IP packet and the
 * link header) is valid during the call only. Returns as zcs_tx_fn.
 */
typedef int (*zcs_tx_gso_fn)(void *ctx, const uint8_t *frame, size_t len, const zcs_gso *gso);

/* The most TCP data zcs_config.tso_max allows in one segment: a 65535-byte IP packet with the largest headers. */
#define ZCS_TSO_MAX (65535u - ZCS_TSO_HDR_ROOM)
#define ZCS_TSO_HDR_ROOM 80u /* an IPv4 header and a TCP header with 40 bytes of options; IPv6's is counted apart */

/* A source of random 32-bit numbers (initial sequence numbers); the system's getrandom() when NULL. */
typedef uint32_t (*zcs_rand_fn)(void *ctx);

typedef struct zcs_config {
	int link;               /* ZCS_LINK_ETH or ZCS_LINK_IP */
	uint8_t mac[6];         /* Ethernet: the stack's own address (unicast) */
	uint32_t addr;          /* the IPv4 address, host order */
	uint8_t prefix_len;     /* of its subnet, 1 to 32 */
	uint32_t gateway;       /* next hop off the subnet, host order; 0: none */
	uint8_t addr6[16];      /* an IPv6 address (network order); all zero: no IPv6 */
	uint8_t prefix6_len;    /* of its on-link prefix, 1 to 128 */
	unsigned mtu;           /* IP MTU, 576 to 9000; 0: 1500 */
	unsigned arp_entries;   /* neighbour cache entries, ARP and IPv6 neighbour discovery together; 0: 16 */
	unsigned arp_pending;   /* packets held while their next hop is resolved; 0: 8 */
	unsigned reasm_slots;   /* IPv4 and IPv6 datagrams reassembled at once, together; 0: 4 */
	unsigned max_datagram;  /* largest datagram reassembled (IPv6: its payload), or sent in IPv4 fragments, 576 to 65535; 0: 16384 */
	unsigned tcp_sockets;   /* TCP socket slots, listeners and connections together; 0: 8 */
	size_t tcp_ring_bytes;  /* the send and the receive ring of each TCP socket, each; 0: 16 KiB */
	unsigned tcp_retries;   /* retransmission timeouts in a row before a connection fails, 1 to 15; 0: ZCS_TCP_RETRIES */
	unsigned udp_sockets;   /* UDP socket slots; 0: 8 */
	size_t udp_ring_bytes;  /* receive ring of each UDP socket; 0: 16 KiB */
	zcs_tx_fn tx;
	void *tx_ctx;
	zcs_rand_fn rand;       /* NULL: getrandom(); a fixed one makes a test or a fuzzer repeatable */
	void *rand_ctx;
	bool dhcp;              /* Ethernet only: lease addr, prefix_len and gateway by DHCP (they must be 0) */
	/*
	 * Segmentation offload: the most TCP data one segment may carry, MSS to
	 * ZCS_TSO_MAX, for a device that cuts large segments (a TAP or TUN with
	 * IFF_VNET_HDR and TSO). A connection then sends, where its windows
	 * allow, segments of whole multiples of its MSS up to tso_max (at least
	 * one MSS), each through tx_gso; segments of one MSS or less go through
	 * tx as ever. A timeout sends one MSS again; SACK recovery may send a
	 * lost range of several, in whole MSS. Slow start counts the bytes
	 * an ACK acknowledges, up to tso_max (RFC 3465), since the peer answers
	 * a large segment once. 0 (the default): off, every segment fits the
	 * MSS, and slow start adds an MSS an ACK.
	 */
	unsigned tso_max;
	zcs_tx_gso_fn tx_gso;   /* required with tso_max; called with tx_ctx */
	/*
	 * TCP neither offers nor takes SACK (RFC 2018): no SACK blocks go out,
	 * and fast recovery is NewReno's (RFC 6582), one hole a round trip,
	 * where by default it is RFC 6675's, every hole the blocks show. false
	 * (the default): SACK on, as on Linux (net.ipv4.tcp_sack).
	 */
	bool tcp_no_sack;
} zcs_config;

/* Timers (microseconds). */
#define ZCS_ARP_REACHABLE_US (60ull * 1000000)  /* an answered entry is used this long */
#define ZCS_ARP_RETRY_US (1000000ull)           /* between requests for one address */
#define ZCS_ARP_TRIES 3                         /* requests before the waiting packets are dropped */
#define ZCS_ND_REACHABLE_US (30ull * 1000000)   /* RFC 4861 REACHABLE_TIME */
#define ZCS_DAD_US (1000000ull)                 /* RFC 4861 RETRANS_TIMER: one probe, then the address is ours */

/*
 * Makes a stack: checks the configuration (ZC_E_ARG, naming nothing: the
 * header says what each field accepts), allocates every table at once
 * (ZC_E_NOMEM), and on Ethernet sends a gratuitous ARP for its address.
 */
ZC_EXPORT zc_err zcs_create(const zcs_config *cfg, uint64_t now_us, zcs_stack **out);
ZC_EXPORT void zcs_destroy(zcs_stack *s);

/* The bytes zcs_create() allocated: all the memory the stack will ever hold. */
ZC_EXPORT size_t zcs_memory(const zcs_stack *s);

/*
 * One received frame. It is parsed once with the views and answered or
 * delivered before the call returns; the stack keeps no pointer into it.
 * Returns ZC_OK when the frame was taken, or the reason it was dropped
 * (also counted by reason in the statistics): a frame for another host,
 * truncated or invalid, with a bad checksum, or for a closed port.
 */
ZC_EXPORT zc_err zcs_input(zcs_stack *s, zc_buf frame, uint64_t now_us);

/*
 * What the device says of a frame it hands over, for zcs_input_flags().
 *
 * ZCS_RX_CSUM_TRUSTED: the frame's TCP or UDP checksum is not to be
 * checked. A device with checksum offload sets it for a frame whose
 * checksum the host's own kernel left partial (a virtio_net_hdr with
 * VIRTIO_NET_HDR_F_NEEDS_CSUM: the field holds the pseudo-header's sum
 * only, and the bytes never crossed a wire) or already checked
 * (VIRTIO_NET_HDR_F_DATA_VALID). It covers the TCP or UDP checksum of an
 * unfragmented datagram alone: IP header checksums, ICMP, and datagrams
 * reassembled from fragments are checked as ever.
 *
 * Such a frame may also be larger than the MTU: a TCP segment the host sent
 * with segmentation offload (TSO) and the device did not cut, up to the
 * 65535 bytes an IP header can say. The stack takes it as one in-order
 * segment, within the window it offered as any other.
 */
#define ZCS_RX_CSUM_TRUSTED 1u

/* zcs_input() with flags (ZCS_RX_* bits; 0 is zcs_input()). ZC_E_ARG for a bit it does not know. */
ZC_EXPORT zc_err zcs_input_flags(zcs_stack *s, zc_buf frame, unsigned flags, uint64_t now_us);

/* Runs what is due at now_us; returns the next deadline (ZCS_NEVER when none). */
ZC_EXPORT uint64_t zcs_poll(zcs_stack *s, uint64_t now_us);

/* ---------------------------------------------------------------- counters */

/* X(name, help): every counter, drops by reason. */
#define ZCS_COUNTERS(X)                                                                   \
	X(rx_frames, "frames given to zcs_input()")                                       \
	X(tx_frames, "frames handed to the transmit callback")                            \
	X(tx_fail, "frames the transmit callback refused")                                \
	X(drop_link, "frames whose link header did not parse (truncated or invalid)")     \
	X(drop_not_ours, "frames for another host or an unknown ethertype")               \
	X(drop_arp_bad, "ARP packets that did not parse or were not Ethernet/IPv4")       \
	X(drop_ip_bad, "IP packets that did not parse, or with a bad header checksum")    \
	X(drop_ip_not_ours, "IP packets for another address")                             \
	X(drop_frag_bad, "IP fragments of a bad size, or past max_datagram (IPv4 and IPv6)")            \
	X(drop_frag_overlap, "IP datagrams dropped: fragments that contradict each other") \
	X(drop_frag_slots_full, "IP fragments dropped: every reassembly slot was in use") \
	X(drop_frag_timeout, "IP datagrams never completed within 30 s (IPv6: 60 s)")              \
	X(frag_reassembled, "IP datagrams reassembled, IPv4 and IPv6")                             \
	X(frag_sent, "IPv4 fragments sent")                                             \
	X(frag6_sent, "IPv6 fragments sent")                                            \
	X(drop_ip_proto, "IP packets of a protocol the stack does not serve")             \
	X(drop_icmp_bad, "ICMP messages that did not parse, or with a bad checksum")      \
	X(drop_udp_bad, "UDP datagrams that did not parse, or with a bad checksum")       \
	X(drop_udp_closed, "UDP datagrams to a closed port (answered: port unreachable)") \
	X(drop_udp_ring_full, "UDP datagrams for a socket whose ring had no room")        \
	X(drop_neigh_pending_full, "packets dropped: the queue of packets awaiting a next hop was full, or a segment for the device to cut (tso_max) was to wait") \
	X(tcp_tso_segs_out, "TCP segments larger than the MSS sent for the device to cut (tso_max); counted in tcp_segs_out too") \
	X(drop_neigh_table_full, "next hops not resolved: every neighbour entry was in use") \
	X(drop_neigh_timeout, "packets dropped: their next hop never answered ARP or NS")  \
	X(drop_nd_bad, "neighbour discovery messages that RFC 4861 7.1 says to ignore")  \
	X(frag6_reassembled, "IPv6 datagrams reassembled (counted in frag_reassembled too)")\
	X(dad_conflicts, "IPv6 addresses found in use by another node: not used")         \
	X(nd_solicits_sent, "neighbour solicitations sent, duplicate address probes included") \
	X(nd_adverts_sent, "neighbour advertisements sent")                               \
	X(icmp6_echo_replies, "ICMPv6 echo replies sent")                                 \
	X(arp_requests_sent, "ARP requests sent")                                         \
	X(arp_replies_sent, "ARP replies sent")                                           \
	X(icmp_echo_replies, "ICMP echo replies sent")                                    \
	X(icmp_unreach_sent, "ICMP destination unreachable messages sent")                \
	X(drop_tcp_bad, "TCP segments that did not parse, or with a bad checksum")        \
	X(drop_tcp_closed, "TCP segments to a closed port (answered with a reset)")       \
	X(tcp_rst_sent, "TCP resets sent")                                                \
	X(drop_tcp_backlog, "SYNs dropped: the listener's backlog or the socket table was full") \
	X(drop_tcp_out_of_window, "TCP segments outside the receive window (answered with an ACK)") \
	X(drop_tcp_out_of_order, "TCP segments past a gap that could not be held (no room or range left)") \
	X(tcp_out_of_order, "TCP segments past a gap, held until the gap is filled")        \
	X(drop_tcp_paws, "TCP segments with an old timestamp (RFC 7323 PAWS), acknowledged and dropped") \
	X(tcp_keepalives_sent, "TCP keepalive probes sent")                               \
	X(tcp_challenge_acks, "challenge ACKs sent for a suspicious RST or SYN (RFC 5961)") \
	X(tcp_retransmits, "TCP segments sent again after a retransmission timeout")      \
	X(tcp_fast_retransmits, "TCP segments sent again in fast recovery: after duplicate ACKs, a partial ACK, or as the SACK scoreboard chose") \
	X(tcp_timeouts, "TCP connections given up: the peer stopped answering")           \
	X(tcp_resets_received, "TCP connections reset by the peer")                       \
	X(tcp_segs_in, "TCP segments taken by a connection")                              \
	X(tcp_segs_out, "TCP segments sent")                                              \
	X(udp_rx, "UDP datagrams delivered to a socket")                                  \
	X(udp_tx, "UDP datagrams sent")                                                   \
	X(dhcp_sent, "DHCP messages sent (DISCOVER and REQUEST)")                         \
	X(dhcp_offers, "DHCP offers taken")                                               \
	X(dhcp_acks, "DHCP leases acknowledged, renewals included")                       \
	X(dhcp_naks, "DHCP NAKs taken: the client started again")                         \
	X(dhcp_leases_lost, "IPv4 addresses given up: a NAK, or the lease ended")         \
	X(drop_dhcp_bad, "DHCP replies dropped: malformed, not for this client, or not expected now") \
	X(drop_addr_lost, "IPv4 packets dropped: they waited for ARP when their address was given up") \
	X(tcp_pmtu_lowered, "times an ICMP fragmentation needed or ICMPv6 packet too big lowered a TCP connection's MSS") \
	X(drop_icmp_mtu, "fragmentation needed and packet too big messages ignored: no connection of ours, a sequence number not in flight, or no lower MTU") \
	X(tcp_sack_recoveries, "TCP fast recoveries that chose what to send again from the peer's SACK blocks (RFC 6675)") \
	X(tcp_tail_probes, "TCP tail loss probes sent (RFC 8985): a segment sent when ACKs stopped, two round trips on, before the timeout") \
	X(tcp_tail_probe_repairs, "TCP tail loss probes that resent a lost segment, so that the window was cut as for a loss") \
	X(tcp_lost_resends, "times SACK recovery found segments it had sent again lost again: data sent after them was SACKed")

typedef struct zcs_stats {
#define ZCS_COUNTER_FIELD_(name, help) uint64_t name;
	ZCS_COUNTERS(ZCS_COUNTER_FIELD_)
#undef ZCS_COUNTER_FIELD_
} zcs_stats;

ZC_EXPORT void zcs_stats_get(const zcs_stack *s, zcs_stats *out);

/* ---------------------------------------------------------------- DHCPv4 */

/*
 * The DHCPv4 client (RFC 2131), when zcs_config.dhcp is set: from
 * zcs_create() on, the stack broadcasts a DISCOVER, takes the first offer,
 * requests it, and on the ACK applies the address, the subnet mask (a /32
 * without one) and the first router as its gateway. It renews the lease
 * with the server at T1, with any server at T2, and gives the address up
 * when the lease ends or a NAK comes, starting again. Retransmissions
 * follow RFC 2131 4.1 (4 s doubling to 64 s, +-1 s); every time is on the
 * caller's clock, through zcs_poll(). Until an address is leased, IPv4
 * sockets have no route (ZC_E_NOROUTE) and nothing is answered on IPv4.
 * Not done: the ARP check of an offered address (DECLINE), INIT-REBOOT,
 * RELEASE.
 */
typedef enum zcs_dhcp_state {
	ZCS_DHCP_OFF = 0,    /* not asked for */
	ZCS_DHCP_SELECTING,  /* DISCOVER sent, waiting for an offer */
	ZCS_DHCP_REQUESTING, /* REQUEST sent for an offer, waiting for its ACK */
	ZCS_DHCP_BOUND,
	ZCS_DHCP_RENEWING,   /* past T1: asking the lease's server */
	ZCS_DHCP_REBINDING,  /* past T2: asking any server */
} zcs_dhcp_state;

ZC_EXPORT zcs_dhcp_state zcs_dhcp_get_state(const zcs_stack *s);

/* The IPv4 address in use, its prefix length and gateway (0: none): ZC_E_AGAIN while there is none. */
ZC_EXPORT zc_err zcs_ipv4_get(const zcs_stack *s, uint32_t *addr, uint8_t *prefix_len, uint32_t *gateway);

/* ---------------------------------------------------------------- UDP sockets */

/* An IPv4 address and port, host order. */
typedef struct zcs_addr4 {
	uint32_t addr;
	uint16_t port;
} zcs_addr4;

/* Address families of zcs_addr. */
#define ZCS_AF_INET 4
#define ZCS_AF_INET6 6

/*
 * An address of either family and a port: what the *_addr calls take and
 * give. The calls with a zcs_addr4 serve IPv4 alone: they give an IPv6 peer
 * as address 0 (its port is right), and cannot reach one.
 */
typedef struct zcs_addr {
	uint8_t family;  /* ZCS_AF_INET or ZCS_AF_INET6 */
	uint8_t ip[16];  /* network order; IPv4's four bytes first, the rest 0 */
	uint16_t port;   /* host order */
} zcs_addr;

/*
 * Zero-copy delivery: called from zcs_input() with the datagram's payload
 * as a view over the received frame, valid during the call only.
 */
typedef void (*zcs_udp_recv_fn)(void *ctx, int sock, const zcs_addr4 *from, zc_buf payload);
/* The same, with the sender of either family. */
typedef void (*zcs_udp_recv_addr_fn)(void *ctx, int sock, const zcs_addr *from, zc_buf payload);

/* A free socket slot: its number (0 or more), or ZC_E_NOBUFS when every slot is in use. */
ZC_EXPORT int zcs_udp_open(zcs_stack *s);

/* Binds sock to a local port (1 to 65535): ZC_E_ADDRINUSE when another socket has it. */
ZC_EXPORT zc_err zcs_udp_bind(zcs_stack *s, int sock, uint16_t port);

/* Delivers the socket's datagrams to fn instead of its ring (NULL: back to the ring). */
ZC_EXPORT zc_err zcs_udp_set_recv(zcs_stack *s, int sock, zcs_udp_recv_fn fn, void *ctx);
/* The same with a callback that is given senders of either family (it replaces one set before). */
ZC_EXPORT zc_err zcs_udp_set_recv_addr(zcs_stack *s, int sock, zcs_udp_recv_addr_fn fn, void *ctx);

/*
 * Sends one datagram from the socket's port (a socket not bound yet is
 * given one from 49152 up), in fragments when it is larger than the MTU.
 * ZC_E_MSGSIZE when the datagram would exceed max_datagram, ZC_E_NOROUTE when the destination is off
 * the subnet without a gateway, ZC_E_AGAIN when its next hop is being
 * resolved and the waiting queue is full. A datagram waiting for ARP is
 * sent when the answer comes, or dropped (counted) when none does.
 */
ZC_EXPORT zc_err zcs_udp_sendto(zcs_stack *s, int sock, const zcs_addr4 *to, const void *data, size_t len,
				uint64_t now_us);
/*
 * The same to an address of either family. Over IPv6 the datagram goes from
 * the address of the destination's scope (link-local or the configured
 * one), in fragments beyond the MTU; ZC_E_NOROUTE when that address
 * is not usable yet (duplicate address detection) or the destination is off
 * the link.
 */
ZC_EXPORT zc_err zcs_udp_sendto_addr(zcs_stack *s, int sock, const zcs_addr *to, const void *data, size_t len,
				     uint64_t now_us);

/*
 * Takes the oldest datagram of the socket's ring into buf: its length (a
 * longer datagram is cut to cap, the rest discarded, as recvfrom(2) does),
 * or ZC_E_AGAIN when the ring is empty.
 */
ZC_EXPORT long zcs_udp_recvfrom(zcs_stack *s, int sock, void *buf, size_t cap, zcs_addr4 *from);
/* The same, with the sender of either family. */
ZC_EXPORT long zcs_udp_recvfrom_addr(zcs_stack *s, int sock, void *buf, size_t cap, zcs_addr *from);

/* Datagrams waiting in the socket's ring. */
ZC_EXPORT unsigned zcs_udp_pending(const zcs_stack *s, int sock);

/* Frees the slot; what waited in its ring is dropped. */
ZC_EXPORT zc_err zcs_udp_close(zcs_stack *s, int sock);

/* ---------------------------------------------------------------- TCP sockets */

/* Connection states (RFC 9293 3.3.2). */
typedef enum zcs_tcp_state {
	ZCS_TCP_CLOSED = 0,
	ZCS_TCP_LISTEN,
	ZCS_TCP_SYN_SENT,
	ZCS_TCP_SYN_RCVD,
	ZCS_TCP_ESTABLISHED,
	ZCS_TCP_FIN_WAIT_1,
	ZCS_TCP_FIN_WAIT_2,
	ZCS_TCP_CLOSE_WAIT,
	ZCS_TCP_CLOSING,
	ZCS_TCP_LAST_ACK,
	ZCS_TCP_TIME_WAIT,
} zcs_tcp_state;

/* Timers (microseconds). */
#define ZCS_TCP_RTO_INIT_US (1000000ull)  /* RFC 6298 2.1 */
#define ZCS_TCP_RTO_MIN_US (200000ull)    /* below RFC 6298's 1 s, as Linux: a LAN answers in far less */
#define ZCS_TCP_RTO_MAX_US (60000000ull)
#define ZCS_TCP_RETRIES 8                  /* timeouts in a row before the connection is given up (tcp_retries' default) */
#define ZCS_TCP_TIME_WAIT_US (60000000ull) /* 2 MSL */
#define ZCS_TCP_DELACK_US (40000ull)       /* the longest an ACK waits for a second segment (RFC 5681 4.2: 200 ms at most) */
#define ZCS_TCP_TLP_MIN_US (10000ull)      /* the shortest wait before a tail loss probe (RFC 8985 7.2: two round trips) */
#define ZCS_TCP_TLP_DELACK_US (200000ull)  /* what a probe allows for a delayed ACK when one segment is in flight (WCDelAckT) */

/*
 * A listener on port (1 to 65535) with room for backlog connections that
 * are not accepted yet (1 to 128): its socket number, ZC_E_ADDRINUSE,
 * ZC_E_NOBUFS when every slot is in use.
 */
ZC_EXPORT int zcs_tcp_listen(zcs_stack *s, uint16_t port, unsigned backlog);

/* A connection the listener has established: its socket number, or ZC_E_AGAIN when none is waiting. */
ZC_EXPORT int zcs_tcp_accept(zcs_stack *s, int listener, zcs_addr4 *peer);
/* The same, with the peer of either family (a listener takes IPv4 and IPv6 connections alike). */
ZC_EXPORT int zcs_tcp_accept_addr(zcs_stack *s, int listener, zcs_addr *peer);

/* Opens a connection to `to` (SYN sent now): its socket number; it becomes writable when established. */
ZC_EXPORT int zcs_tcp_connect(zcs_stack *s, const zcs_addr4 *to, uint64_t now_us);
/* The same to an address of either family; ZC_E_NOROUTE as zcs_udp_sendto_addr() says. */
ZC_EXPORT int zcs_tcp_connect_addr(zcs_stack *s, const zcs_addr *to, uint64_t now_us);

/*
 * Queues up to len bytes for sending: the bytes taken (the room in the send
 * ring), ZC_E_AGAIN when the ring is full, ZC_E_NOTCONN before the
 * connection is established or after shutdown, ZC_E_RESET or ZC_E_TIMEDOUT
 * once the connection has failed.
 */
ZC_EXPORT long zcs_tcp_send(zcs_stack *s, int sock, const void *data, size_t len, uint64_t now_us);

/*
 * Takes up to cap received bytes: how many, 0 at the end of the stream (the
 * peer's FIN, once everything before it is read), ZC_E_AGAIN when nothing is
 * waiting, ZC_E_RESET or ZC_E_TIMEDOUT once the connection has failed.
 */
ZC_EXPORT long zcs_tcp_recv(zcs_stack *s, int sock, void *buf, size_t cap, uint64_t now_us);

/* Sends a FIN after what is queued (no more zcs_tcp_send()); receiving goes on. */
ZC_EXPORT zc_err zcs_tcp_shutdown(zcs_stack *s, int sock, uint64_t now_us);

/*
 * Closes the socket: a connection sends what is queued and a FIN, and its
 * slot is freed when the close completes (after TIME_WAIT when this side
 * closed first); a listener's unaccepted connections are reset.
 */
ZC_EXPORT zc_err zcs_tcp_close(zcs_stack *s, int sock, uint64_t now_us);

/*
 * Nagle's algorithm (RFC 9293 3.7.4), on by default: a segment shorter than
 * the MSS waits while data is unacknowledged. on true turns it off, as
 * TCP_NODELAY does.
 */
ZC_EXPORT zc_err zcs_tcp_set_nodelay(zcs_stack *s, int sock, bool on);

/*
 * Keepalive (RFC 9293 3.8.4), off by default: after idle_us without a
 * segment from the peer and nothing in flight, a probe every interval_us;
 * probes (1 to 255) unanswered in a row end the connection with
 * ZC_E_TIMEDOUT (counted in tcp_timeouts). idle_us 0 turns it off.
 */
ZC_EXPORT zc_err zcs_tcp_set_keepalive(zcs_stack *s, int sock, uint64_t idle_us, uint64_t interval_us,
				       unsigned probes, uint64_t now_us);

/* The socket's state; ZCS_TCP_CLOSED for a free slot, or a connection that failed. */
ZC_EXPORT zcs_tcp_state zcs_tcp_get_state(const zcs_stack *s, int sock);

/* Readiness: bytes waiting to be read (1 more at the end of the stream), room to send. */
ZC_EXPORT size_t zcs_tcp_readable(const zcs_stack *s, int sock);
ZC_EXPORT size_t zcs_tcp_writable(const zcs_stack *s, int sock);

/* What a connection's sender knows, as Linux's TCP_INFO tells it: for monitoring and tests. */
typedef struct zcs_tcp_info {
	zcs_tcp_state state;
	uint32_t mss;           /* the most data a segment to the peer carries */
	uint32_t cwnd;          /* congestion window, bytes */
	uint32_t ssthresh;      /* slow start threshold, bytes (about 2^31 before the first loss) */
	uint32_t snd_wnd;       /* the peer's window, scaled, bytes */
	uint32_t in_flight;     /* bytes sent and not acknowledged (SACKed ones among them) */
	uint32_t sacked;        /* of those, bytes the peer's SACK blocks report held */
	uint64_t srtt_us;       /* smoothed round trip (RFC 6298); 0: none measured yet */
	uint64_t rttvar_us;
	uint64_t rto_us;        /* the retransmission timeout now */
	bool in_recovery;       /* fast recovery under way */
	bool sack_recovery;     /* and choosing what to resend from SACK blocks (RFC 6675) */
	bool sack, timestamps;  /* options agreed with the peer */
	uint8_t snd_wscale, rcv_wscale;
} zcs_tcp_info;

/* Fills *out for socket sock: ZC_OK, or ZC_E_ARG for no such socket. */
ZC_EXPORT zc_err zcs_tcp_get_info(const zcs_stack *s, int sock, zcs_tcp_info *out);

#ifdef __cplusplus
}
#endif
#endif /* ZC_STACK_STACK_H */
