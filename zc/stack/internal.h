/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/internal.h - the stack's tables and the calls between its files.
 * Not installed.
 */
#ifndef ZC_STACK_INTERNAL_H
#define ZC_STACK_INTERNAL_H

#include <stdbool.h>
#include <string.h>

#include "zc.h"
#include "zc/stack/stack.h"

#define ZCS_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZCS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ZCS_INC(s, name) ((s)->st.name++)

/* ---------------------------------------------------------------- neighbours (neigh.c, arp.c, nd.c) */

/* A next hop's address: IPv4 (4, its 4 bytes in network order) or IPv6 (6, 16 bytes). */
typedef struct zcs_naddr {
	uint8_t fam; /* 4 or 6; 0 in a free pending slot */
	uint8_t a[16];
} zcs_naddr;

static inline zcs_naddr zcs_naddr4(uint32_t ip)
{
	zcs_naddr n;

	memset(&n, 0, sizeof n);
	n.fam = 4;
	zc_store_be32(n.a, ip);
	return n;
}

static inline zcs_naddr zcs_naddr6(const uint8_t *ip)
{
	zcs_naddr n;

	n.fam = 6;
	memcpy(n.a, ip, 16);
	return n;
}

static inline bool zcs_naddr_eq(const zcs_naddr *x, const zcs_naddr *y)
{
	return x->fam == y->fam && memcmp(x->a, y->a, 16) == 0;
}

/* The IPv4-only calls' address as the family-neutral calls take it, and back (an IPv6 one as 0). */
static inline zcs_addr zcs_addr_from4(const zcs_addr4 *a4)
{
	zcs_addr a;

	memset(&a, 0, sizeof a);
	a.family = ZCS_AF_INET;
	zc_store_be32(a.ip, a4->addr);
	a.port = a4->port;
	return a;
}

static inline void zcs_addr_to4(const zcs_addr *a, zcs_addr4 *out)
{
	out->addr = a->family == ZCS_AF_INET ? zc_load_be32(a->ip) : 0;
	out->port = a->port;
}

enum { NEIGH_FREE = 0, NEIGH_INCOMPLETE, NEIGH_REACHABLE };

/* One neighbour, resolved by ARP (IPv4) or neighbour discovery (IPv6): the cache is shared. */
typedef struct zcs_neigh {
	zcs_naddr key;
	uint8_t mac[6];
	uint8_t state;    /* NEIGH_* */
	uint8_t tries;    /* solicitations sent while incomplete */
	uint64_t expires; /* reachable: until; incomplete: the next solicitation */
} zcs_neigh;

/* An IP packet waiting for its next hop's address: the frame, link header room included. */
typedef struct zcs_pending {
	zcs_naddr next_hop; /* fam 0: the slot is free */
	uint16_t len;       /* bytes of the IP packet, after the Ethernet header's room */
	uint8_t *frame;     /* ZC_ETH_HDR_LEN + mtu bytes */
} zcs_pending;

/* ---------------------------------------------------------------- UDP (udp.c) */

typedef struct zcs_udp_sock {
	bool used;
	uint16_t port;          /* 0: not bound */
	zcs_udp_recv_fn fn;     /* zero-copy delivery with an IPv4 address, or NULL */
	zcs_udp_recv_addr_fn fn_addr; /* or with an address of either family; both NULL: the ring */
	void *ctx;
	uint8_t *ring;          /* records: zcs_udp_rec then the payload, wrapping */
	size_t cap, head, used_bytes;
	unsigned count;
} zcs_udp_sock;

/* A ring record's header: the sender, the payload's length. */
typedef struct zcs_udp_rec {
	zcs_naddr from;
	uint16_t port;
	uint16_t len;
} zcs_udp_rec;

/* ---------------------------------------------------------------- reassembly (frag.c) */

/* Room in front of a slot's data for the first fragment's header (IPv4's largest; IPv6's fixed one). */
#define ZCS_REASM_HDR_ROOM 60
/* Bytes of a slot's bitmap of 8-byte blocks. */
#define ZCS_REASM_MAP_LEN(max) (((max) / 8 + 8) / 8)

/* What names the datagram a fragment belongs to: RFC 791's four fields, RFC 8200's three. */
typedef struct zcs_reasm_key {
	zcs_naddr src, dst;
	uint32_t id;
	uint8_t proto;         /* IPv4's protocol; 0 for IPv6, whose key it is not part of */
} zcs_reasm_key;

typedef struct zcs_reasm {
	bool used;
	uint8_t hlen;          /* the first fragment's header, once it came */
	uint8_t nxt;           /* IPv6: the next header after the first fragment's fragment header */
	zcs_reasm_key key;
	size_t total;          /* the data's length, once the last fragment came; else 0 */
	uint64_t deadline;
	uint8_t *data;         /* ZCS_REASM_HDR_ROOM bytes after the start of the slot's buffer */
	uint8_t *map;
} zcs_reasm;

/* ---------------------------------------------------------------- TCP (tcp.c) */

/* Ranges of data held past a gap in the receive sequence: a bounded out-of-order queue. */
#define ZCS_TCP_OOO 4
/* Ranges the peer's SACK blocks say it holds past snd_una: the sender's bounded scoreboard. */
#define ZCS_TCP_SACKED 8

/* Sequence numbers compared modulo 2^32 (RFC 9293 3.4). */
static inline bool zcs_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool zcs_seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

typedef struct zcs_tcp_sock {
	uint8_t state;          /* zcs_tcp_state; a free slot is CLOSED with used false */
	bool used;
	bool user_closed;       /* zcs_tcp_close() was called: free the slot when done */
	bool accepted;          /* handed out by zcs_tcp_accept() (or made by connect) */
	bool fin_queued;        /* a FIN follows the queued data */
	bool fin_sent;          /* snd_nxt counts our FIN */
	bool peer_fin;          /* the peer's FIN came: end of stream after rx */
	bool rtt_timing;        /* a segment is being timed (none retransmitted: Karn) */
	int8_t err;             /* ZC_E_RESET or ZC_E_TIMEDOUT once failed */
	uint8_t retries;        /* timeouts in a row */
	int16_t listener;       /* the listener a passive connection came through; -1 */
	uint16_t backlog;       /* a listener: connections it may hold unaccepted */
	uint16_t lport, rport;
	uint16_t mss;           /* the most data a segment to the peer carries */
	zcs_naddr raddr, laddr; /* the peer's address and ours, of one family */
	uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
	uint32_t snd_max;       /* the highest sequence number sent: after a timeout snd_nxt goes back, this does not */
	uint32_t ooo[ZCS_TCP_OOO][2]; /* data held past a gap: [start, end) sequence ranges, in the rx ring */
	uint8_t n_ooo;
	bool ooo_fin;           /* a FIN came past a gap, at ooo_fin_seq */
	uint32_t ooo_fin_seq;
	uint32_t fin_seq;       /* our FIN's sequence number, once it has gone (fin_ever) */
	bool fin_ever;
	uint32_t irs, rcv_nxt;
	uint32_t rtt_seq;       /* the sequence number whose ACK ends the timing */
	uint64_t rtt_start;
	uint32_t srtt, rttvar, rto; /* microseconds, RFC 6298; each below ZCS_TCP_RTO_MAX_US's 60 s */
	uint32_t cwnd, ssthresh;  /* RFC 5681 */
	uint32_t ca_acked;        /* bytes acknowledged in congestion avoidance towards the next MSS of cwnd (RFC 3465) */
	uint32_t recover;         /* RFC 6582: the highest sequence sent when recovery began */
	uint8_t dupacks;
	bool in_recovery;
	bool sack_recovery;     /* the recovery under way chooses what to resend by the scoreboard (RFC 6675) */
	uint8_t n_sacked;
	uint32_t sacked[ZCS_TCP_SACKED][2]; /* [start, end) ranges, in order, apart, inside (snd_una, snd_max] */
	uint32_t high_rxt;      /* RFC 6675 HighRxt: sent again up to here in this recovery */
	uint32_t rxt_mark;      /* snd_max when the latest of those went: SACKs past it show the others lost */
	uint32_t prr_delivered, prr_out, recover_fs; /* RFC 6937's proportional rate reduction in that recovery */
	uint64_t tlp_timer;     /* when a tail loss probe goes (RFC 8985 7); 0: none */
	uint32_t tlp_end;       /* snd_nxt after the probe in flight */
	bool tlp_out;           /* a probe is in flight: no other until its ACK or a timeout */
	bool tlp_rxt;           /* it sent data again, rather than new data */
	uint64_t timer;         /* retransmission, or the end of TIME_WAIT; 0: none */
	/* Options (RFC 7323, RFC 2018): offered in our SYN, then what both ends agreed. */
	bool ws_ok, ts_ok, sack_ok;
	uint8_t snd_wscale;     /* the peer's shift: its windows are scaled by it */
	uint8_t rcv_wscale;     /* ours, for the windows we send */
	uint32_t ts_recent;     /* the peer's timestamp to echo (RFC 7323 4.3) */
	uint64_t ts_recent_at;  /* when it was taken */
	uint32_t last_ack_sent; /* the acknowledgment number of our last segment */
	uint32_t ooo_recent;    /* the start of the range held most recently: the first SACK block */
	/* Delayed ACK (RFC 9293 3.8.6.3) and Nagle (3.7.4). */
	uint8_t ack_owed;       /* segments received and not acknowledged yet */
	bool nodelay;           /* Nagle off */
	uint64_t ack_timer;     /* when an owed ACK goes at the latest; 0: none */
	/* Keepalive (RFC 9293 3.8.4): off when ka_idle is 0. */
	uint64_t ka_idle, ka_intvl, ka_timer;
	uint8_t ka_probes, ka_sent;
	uint8_t *tx, *rx;       /* rings of ring bytes each */
	size_t ring;
	size_t tx_head, tx_len; /* tx: from snd_una on, sent or not */
	size_t rx_head, rx_len;
	int32_t hnext;          /* the next socket in its chain of zcs_stack.tcp_hash, when hashed */
	bool hashed;            /* in a chain: since its four-tuple was set, until the slot is reused */
} zcs_tcp_sock;

/* ---------------------------------------------------------------- DHCPv4 (dhcp.c) */

typedef struct zcs_dhcp {
	zcs_dhcp_state state;
	uint32_t xid;           /* of the exchange under way (RFC 2131 4.4.1: one per DISCOVER) */
	uint32_t offered;       /* the address of the offer taken */
	uint32_t server;        /* its server identifier, then the lease's */
	uint8_t tries;          /* REQUESTs retransmitted in REQUESTING */
	uint64_t start_us;      /* when the exchange began: the secs field */
	uint64_t retx_us;       /* the last retransmission interval; 0: none yet */
	uint64_t req_sent_us;   /* when the first REQUEST for the offer went: the lease counts from it */
	uint64_t renew_sent_us; /* the same for a renewal or a rebinding */
	uint64_t t1_at, t2_at, end_at; /* the lease's times on the caller's clock; ZCS_NEVER: none */
	uint64_t deadline;      /* the next thing to do */
} zcs_dhcp;

/* ---------------------------------------------------------------- the stack */

/* The stack's own IPv6 addresses and where duplicate address detection stands. */
enum { ADDR6_NONE = 0, ADDR6_TENTATIVE, ADDR6_PREFERRED, ADDR6_DUPLICATE };
#define ZCS_ADDR6_N 2 /* the link-local address, the configured one */

struct zcs_stack {
	zcs_config cfg;
	uint8_t addr6[ZCS_ADDR6_N][16];
	uint8_t addr6_state[ZCS_ADDR6_N];
	uint64_t dad_deadline;
	zcs_stats st;
	size_t mem;
	uint32_t netmask;
	uint16_t ip_id;
	uint32_t ip6_id;        /* the identification of the last IPv6 datagram sent in fragments */
	uint16_t next_port;     /* the next ephemeral UDP port to try */
	uint16_t next_tcp_port; /* and TCP */
	uint8_t isn_key[16];    /* the secret of RFC 6528's hash, drawn at zcs_create() */
	zcs_dhcp dhcp;
	zcs_neigh *neigh;
	zcs_pending *pend;
	zcs_udp_sock *udp;
	zcs_reasm *reasm;
	zcs_tcp_sock *tcp;
	/*
	 * Connections by their four-tuple: chains of socket numbers (-1 ends
	 * one) through zcs_tcp_sock.hnext, tcp_hash_mask + 1 of them, the hash
	 * keyed by tcp_hash_key so that a peer cannot choose its collisions.
	 */
	int32_t *tcp_hash;
	uint32_t tcp_hash_mask, tcp_hash_key;
	uint8_t *out;           /* one datagram being built: ZCS_L2_ROOM + max_datagram bytes */
	uint8_t *frag;          /* one fragment of it: ZCS_L2_ROOM + mtu bytes */
	unsigned rx_flags;      /* ZCS_RX_* of the frame zcs_input_flags() is taking; 0 outside it */
	/*
	 * The large TCP segment in s->out being sent (size 0: none), csum_start
	 * and hdr_len from the IP header's start: zcs_link_tx() hands it to
	 * tx_gso, and IP neither fragments it nor refuses it for the MTU.
	 */
	zcs_gso tx_gso;
};

/* Room for the link header in front of an IP packet being built. */
#define ZCS_L2_ROOM ZC_ETH_HDR_LEN

/* ---------------------------------------------------------------- a datagram for the transports */

/* A datagram received for UDP or TCP, over either IP: what the transports need of it. */
typedef struct zcs_rx {
	zcs_naddr src, dst;
	zc_buf l4;             /* the upper layer's bytes */
	size_t l4_len;         /* its length as the IP header declares it (the pseudo-header's) */
	uint32_t pseudo;       /* the pseudo-header's partial sum for l4_len */
	bool unicast;          /* dst is our own usable unicast address, not a broadcast or a group */
	bool csum_trusted;     /* the device vouched for the checksum (ZCS_RX_CSUM_TRUSTED, not reassembled) */
	zc_ipv4 ip4;           /* the datagram, for an ICMP error that quotes it (src.fam says which) */
	zc_ipv6 ip6;
} zcs_rx;

/* Where the upper layer of a datagram of family fam (4 or 6) is built in s->out. */
static inline uint8_t *zcs_l4_out(zcs_stack *s, uint8_t fam)
{
	return s->out + ZCS_L2_ROOM + (fam == 6 ? ZC_IPV6_HDR_LEN : ZC_IPV4_MIN_HDR_LEN);
}

/*
 * tcp.c: an ICMP fragmentation needed (RFC 1191) or ICMPv6 packet too big
 * (RFC 8201) about a segment from local to remote whose first bytes are
 * quote; mtu is the next hop's. Lowers the connection's MSS and sends what
 * is in flight again in segments that fit.
 */
void zcs_tcp_mtu_input(zcs_stack *s, const zcs_naddr *local, const zcs_naddr *remote, zc_buf quote, uint32_t mtu,
		       uint64_t now);
/* ip.c: the pseudo-header's partial sum (RFC 9293 3.1, RFC 8200 8.1). */
uint32_t zcs_pseudo(const zcs_naddr *src, const zcs_naddr *dst, uint8_t proto, size_t len);
/* ip.c: sends the l4_len bytes at zcs_l4_out(s, dst->fam) from src to dst, over dst's family. */
zc_err zcs_ip_output(zcs_stack *s, const zcs_naddr *src, const zcs_naddr *dst, uint8_t proto, size_t l4_len,
		     uint64_t now);
/* ip.c: our source address for a datagram to dst: ZC_E_NOROUTE when none is usable. */
zc_err zcs_ip_src_for(const zcs_stack *s, const zcs_naddr *dst, zcs_naddr *src);
/* ip.c: answers the datagram with an ICMP or ICMPv6 port unreachable. */
void zcs_ip_port_unreach(zcs_stack *s, const zcs_rx *rx, uint64_t now);
/* ip.c: the most data a TCP segment over family fam carries on our MTU. */
uint16_t zcs_ip_mss(const zcs_stack *s, uint8_t fam);
/* ip.c: a zcs_addr and a zcs_naddr with a port, each way. */
void zcs_addr_to_n(const zcs_addr *a, zcs_naddr *n);
void zcs_addr_from_n(const zcs_naddr *n, uint16_t port, zcs_addr *a);

/* stack.c: sends an Ethernet frame whose header is filled here (ethertype, to dst). */
void zcs_eth_send(zcs_stack *s, uint8_t *frame, size_t len, const uint8_t *dst, uint16_t type);
/* stack.c: hands a whole frame to the transmit callback, counting. */
void zcs_link_tx(zcs_stack *s, const uint8_t *frame, size_t len);

/* neigh.c */
zcs_neigh *zcs_neigh_find(zcs_stack *s, const zcs_naddr *key);
/*
 * What a neighbour's message taught: its address is at mac. Refreshes its
 * entry, or makes one when create is set (the message was for us), and
 * sends what waited for it.
 */
void zcs_neigh_learn(zcs_stack *s, const zcs_naddr *key, const uint8_t *mac, bool create, uint64_t now);
/*
 * The IPv4 address was given up: the packets waiting for ARP carry it as
 * their source, so they are dropped (drop_addr_lost), and the questions
 * asked for them are no longer repeated (an ARP request names its sender).
 */
void zcs_neigh_forget_v4_pending(zcs_stack *s);
/* Sends the IP packet at frame + ZCS_L2_ROOM (len bytes) to next_hop, resolving it first if need be. */
zc_err zcs_neigh_output(zcs_stack *s, uint8_t *frame, size_t len, const zcs_naddr *next_hop, uint64_t now);
uint64_t zcs_neigh_poll(zcs_stack *s, uint64_t now);
static inline zc_err zcs_neigh_output_v4(zcs_stack *s, uint8_t *frame, size_t len, uint32_t ip, uint64_t now)
{
	zcs_naddr key = zcs_naddr4(ip);

	return zcs_neigh_output(s, frame, len, &key, now);
}

/* arp.c */
void zcs_arp_start(zcs_stack *s);
/* The *_input() functions return ZC_OK for a packet taken, or why it was dropped (and counted). */
zc_err zcs_arp_input(zcs_stack *s, zc_buf b, uint64_t now);
/* Asks the link for ip's address. */
void zcs_arp_request(zcs_stack *s, uint32_t ip);

/* ipv4.c */
zc_err zcs_ipv4_input(zcs_stack *s, zc_buf b, uint64_t now);
/*
 * Fills the IPv4 header in front of the l4_len bytes at s->out + ZCS_L2_ROOM
 * + 20 and sends the packet to dst, in fragments beyond the MTU: ZC_E_NOROUTE, ZC_E_AGAIN as
 * zcs_udp_sendto() says.
 */
zc_err zcs_ipv4_output(zcs_stack *s, uint32_t dst, uint8_t proto, size_t l4_len, uint64_t now);
/* Answers the datagram ip (whose upper layer starts at its payload) with an ICMP error. */
void zcs_icmp4_error(zcs_stack *s, zc_ipv4 ip, uint8_t type, uint8_t code, uint64_t now);
/* frag.c: takes one fragment; ZC_OK with the whole datagram in *whole, ZC_E_AGAIN while parts are missing. */
zc_err zcs_frag_input(zcs_stack *s, zc_ipv4 ip, uint64_t now, zc_ipv4 *whole);
/* frag.c: the same for IPv6 (RFC 8200 4.5). */
zc_err zcs_frag6_input(zcs_stack *s, zc_ipv6 ip, uint64_t now, zc_ipv6 *whole);
uint64_t zcs_frag_poll(zcs_stack *s, uint64_t now);
/* frag.c: sends the len-byte IPv4 packet pkt (a 20-byte header) in fragments that fit the MTU. */
zc_err zcs_ipv4_fragment_out(zcs_stack *s, const uint8_t *pkt, size_t len, uint32_t next_hop, bool bcast,
			     uint64_t now);

/* True when dst is the stack's address (none while DHCP has not given one). */
static inline bool zcs_is_ours(const zcs_stack *s, uint32_t dst) { return s->cfg.addr && dst == s->cfg.addr; }

/* dhcp.c: sends the first DISCOVER when the configuration asks for DHCP. */
void zcs_dhcp_start(zcs_stack *s, uint64_t now);
/* dhcp.c: a datagram to UDP port 68 (its payload), checksum already checked. */
zc_err zcs_dhcp_input(zcs_stack *s, zc_buf b, uint64_t now);
uint64_t zcs_dhcp_poll(zcs_stack *s, uint64_t now);

/* tcp.c */
zc_err zcs_tcp_input(zcs_stack *s, const zcs_rx *rx, uint64_t now);

/* tcpopt.c: the options of a segment about to be sent with flags, written at p; their length (a multiple of 4). */
size_t zcs_tcp_opts_put(const zcs_tcp_sock *c, uint8_t flags, uint8_t *p, uint64_t now);
/* tcpopt.c: what the peer's SYN (or SYN-ACK) agreed to of what was offered. */
void zcs_tcp_opts_agree(zcs_tcp_sock *c, const zc_tcp_optset *o, uint64_t now);
/* tcpopt.c: our window shift for a receive ring of ring bytes (RFC 7323 2.3). */
uint8_t zcs_tcp_wscale_for(size_t ring);
/* tcpopt.c: the bytes the SACK blocks take on the next segment: data segments carry that much less. */
size_t zcs_tcp_sack_room(const zcs_tcp_sock *c);
/*
 * tcpsack.c: takes the SACK blocks of an acceptable ACK into the
 * scoreboard, after snd_una moved; the change in the bytes SACKed: more
 * than 0 when the blocks report bytes not SACKed before (the ACK is then a
 * duplicate by RFC 6675's definition), less when snd_una passed some.
 */
int32_t zcs_tcp_sack_note(zcs_tcp_sock *c, const zc_tcp_optset *o);
/* tcpsack.c: the bytes the scoreboard holds SACKed. */
uint32_t zcs_tcp_sack_bytes(const zcs_tcp_sock *c);
/* tcpsack.c: forgets the scoreboard, as after a timeout (RFC 2018 8). */
void zcs_tcp_sack_clear(zcs_tcp_sock *c);
/* tcpsack.c: RFC 6675's IsLost(snd_una): more than two segments' worth, or three ranges, SACKed past it. */
bool zcs_tcp_sack_head_lost(const zcs_tcp_sock *c);
/* tcpsack.c: the end of the highest byte SACKed (RFC 6675 HighSACK); snd_una when none is. */
uint32_t zcs_tcp_sack_highest(const zcs_tcp_sock *c);
/* tcpsack.c: RFC 6675's pipe, the bytes thought to be in the network. */
uint32_t zcs_tcp_sack_pipe(const zcs_tcp_sock *c);
/*
 * tcpsack.c: RFC 6675 NextSeg rule 1: the first range thought lost and not
 * sent again yet, at most most bytes, of the data before data_end; false
 * when there is none.
 */
bool zcs_tcp_sack_next_lost(const zcs_tcp_sock *c, uint32_t data_end, uint32_t most, uint32_t *seq, uint32_t *len);
/* tcpopt.c: true when PAWS (RFC 7323 5.3) rejects a segment with these options. */
bool zcs_tcp_paws_reject(const zcs_tcp_sock *c, const zc_tcp_optset *o, uint64_t now);
/* tcpopt.c: keeps the peer's timestamp of an acceptable segment at seq (RFC 7323 4.3). */
void zcs_tcp_ts_note(zcs_tcp_sock *c, const zc_tcp_optset *o, uint32_t seq, uint64_t now);
/* isn.c: draws the key of the hash below, and where IPv6 fragment identifications start. */
void zcs_isn_key(zcs_stack *s);
/* isn.c: the initial sequence number of a connection (RFC 6528), its addresses and ports set. */
uint32_t zcs_tcp_isn(const zcs_stack *s, const zcs_tcp_sock *c, uint64_t now);
uint64_t zcs_tcp_poll(zcs_stack *s, uint64_t now);
/* isn.c: 32 random bits, from zcs_config.rand when set. */
uint32_t zcs_random32(const zcs_stack *s);

/* ipv6.c */
zc_err zcs_ipv6_input(zcs_stack *s, zc_buf b, uint64_t now);
/*
 * Fills the IPv6 header in front of the l4_len bytes at frame + ZCS_L2_ROOM
 * + 40 and sends the packet to dst; src NULL picks the address of the right
 * scope. ZC_E_NOROUTE off-link, ZC_E_MSGSIZE beyond the MTU.
 */
zc_err zcs_ipv6_output(zcs_stack *s, uint8_t *frame, const uint8_t *src, const uint8_t *dst, uint8_t nxt,
		       uint8_t hlim, size_t l4_len, uint64_t now);
/* Which of our addresses a is (0 or more), in any state; -1 when none. */
int zcs_addr6_index(const zcs_stack *s, const uint8_t *a);
/* True when a is one of our addresses and usable (DAD done, no conflict). */
bool zcs_addr6_usable(const zcs_stack *s, const uint8_t *a);
/* Our address for a datagram to dst: the global one unless dst is link-local or a group. */
const uint8_t *zcs_addr6_src_for(const zcs_stack *s, const uint8_t *dst);
/* Answers the datagram ip with an ICMPv6 error (never about a group's packet, RFC 4443 2.4 (e)). */
void zcs_icmp6_error(zcs_stack *s, zc_ipv6 ip, uint8_t type, uint8_t code, uint32_t pointer, uint64_t now);
/* True for the all-nodes group or the solicited-node group of one of our addresses. */
bool zcs_addr6_our_group(const zcs_stack *s, const uint8_t *a);

/* nd.c */
void zcs_nd_start(zcs_stack *s, uint64_t now);
zc_err zcs_nd_input(zcs_stack *s, zc_ipv6 ip, zc_icmp6 m, uint64_t now);
/* Sends a neighbour solicitation for target (a duplicate address probe from :: when dad). */
void zcs_nd_solicit(zcs_stack *s, const uint8_t *target, bool dad);
uint64_t zcs_nd_poll(zcs_stack *s, uint64_t now);

/* udp.c */
zc_err zcs_udp_input(zcs_stack *s, const zcs_rx *rx, uint64_t now);

#endif /* ZC_STACK_INTERNAL_H */
