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

/* ---------------------------------------------------------------- ARP (arp.c) */

enum { ARP_FREE = 0, ARP_INCOMPLETE, ARP_REACHABLE };

typedef struct zcs_arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t state;    /* ARP_* */
	uint8_t tries;    /* requests sent while incomplete */
	uint64_t expires; /* reachable: until; incomplete: the next request */
} zcs_arp_entry;

/* An IP packet waiting for its next hop's address: the frame, link header room included. */
typedef struct zcs_pending {
	uint32_t next_hop; /* 0: the slot is free */
	uint16_t len;      /* bytes of the IP packet, after the Ethernet header's room */
	uint8_t *frame;    /* ZC_ETH_HDR_LEN + mtu bytes */
} zcs_pending;

/* ---------------------------------------------------------------- UDP (udp.c) */

typedef struct zcs_udp_sock {
	bool used;
	uint16_t port;          /* 0: not bound */
	zcs_udp_recv_fn fn;     /* zero-copy delivery, or NULL: the ring */
	void *ctx;
	uint8_t *ring;          /* records: zcs_udp_rec then the payload, wrapping */
	size_t cap, head, used_bytes;
	unsigned count;
} zcs_udp_sock;

/* A ring record's header. */
typedef struct zcs_udp_rec {
	uint32_t addr;
	uint16_t port;
	uint16_t len;
} zcs_udp_rec;

/* ---------------------------------------------------------------- IPv4 reassembly (frag.c) */

/* Room in front of a slot's data for the first fragment's header. */
#define ZCS_REASM_HDR_ROOM 60
/* Bytes of a slot's bitmap of 8-byte blocks. */
#define ZCS_REASM_MAP_LEN(max) (((max) / 8 + 8) / 8)

typedef struct zcs_reasm {
	bool used;
	uint8_t proto, hlen;   /* hlen: the first fragment's header, once it came */
	uint16_t id;
	uint32_t src, dst;
	size_t total;          /* the data's length, once the last fragment came; else 0 */
	uint64_t deadline;
	uint8_t *data;         /* ZCS_REASM_HDR_ROOM bytes after the start of the slot's buffer */
	uint8_t *map;
} zcs_reasm;

/* ---------------------------------------------------------------- the stack */

struct zcs_stack {
	zcs_config cfg;
	zcs_stats st;
	size_t mem;
	uint32_t netmask;
	uint16_t ip_id;
	uint16_t next_port;     /* the next ephemeral port to try */
	zcs_arp_entry *arp;
	zcs_pending *pend;
	zcs_udp_sock *udp;
	zcs_reasm *reasm;
	uint8_t *out;           /* one datagram being built: ZCS_L2_ROOM + max_datagram bytes */
	uint8_t *frag;          /* one fragment of it: ZCS_L2_ROOM + mtu bytes */
};

/* Room for the link header in front of an IP packet being built. */
#define ZCS_L2_ROOM ZC_ETH_HDR_LEN

/* stack.c: sends an Ethernet frame whose header is filled here (ethertype, to dst). */
void zcs_eth_send(zcs_stack *s, uint8_t *frame, size_t len, const uint8_t *dst, uint16_t type);
/* stack.c: hands a whole frame to the transmit callback, counting. */
void zcs_link_tx(zcs_stack *s, const uint8_t *frame, size_t len);

/* arp.c */
void zcs_arp_start(zcs_stack *s);
/* The *_input() functions return ZC_OK for a packet taken, or why it was dropped (and counted). */
zc_err zcs_arp_input(zcs_stack *s, zc_buf b, uint64_t now);
/* Sends the IP packet at frame + ZCS_L2_ROOM (len bytes) to next_hop, resolving it first if need be. */
zc_err zcs_arp_output(zcs_stack *s, uint8_t *frame, size_t len, uint32_t next_hop, uint64_t now);
uint64_t zcs_arp_poll(zcs_stack *s, uint64_t now);

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
uint64_t zcs_frag_poll(zcs_stack *s, uint64_t now);
/* frag.c: sends the len-byte IPv4 packet pkt (a 20-byte header) in fragments that fit the MTU. */
zc_err zcs_ipv4_fragment_out(zcs_stack *s, const uint8_t *pkt, size_t len, uint32_t next_hop, bool bcast,
			     uint64_t now);

/* True when dst is the stack's address. */
static inline bool zcs_is_ours(const zcs_stack *s, uint32_t dst) { return dst == s->cfg.addr; }

/* tcp.c: segments to a port nobody listens on get a reset. */
zc_err zcs_tcp_input(zcs_stack *s, zc_ipv4 ip, uint64_t now);

/* udp.c */
zc_err zcs_udp_input(zcs_stack *s, zc_ipv4 ip, uint64_t now);

#endif /* ZC_STACK_INTERNAL_H */
