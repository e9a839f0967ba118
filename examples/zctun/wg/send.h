/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/send.h - what leaves for a peer: transport data
 * encrypted in place (the tunnel's send batch), handshake initiations and
 * keepalives (sent at once on the device's socket), and the timers' turn.
 * Times are the caller's monotonic clock in nanoseconds.
 */
#ifndef ZCTUN_WG_SEND_H
#define ZCTUN_WG_SEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wg/peer.h"

/* Why wg_encap dropped a packet (negative returns). */
#define WG_TX_NOPEER (-1)  /* no peer's allowed IPs hold the destination */
#define WG_TX_NOKEY (-2)   /* no session yet: a handshake was started */
#define WG_TX_NOENDPOINT (-3)
#define WG_TX_BAD (-4)     /* not an IP packet, or no room */
/* Not a drop: no session yet, the packet is held until the handshake started completes. */
#define WG_TX_STAGED (-5)

/* Room encap needs before and after the packet. */
#define WG_TX_HEADROOM 16
#define WG_TX_TAILROOM (15 + 16)

/*
 * Encrypts the inner packet at pkt[head .. head + len) (head is
 * WG_TX_HEADROOM) in place into a transport message from pkt[0], padded as
 * section 5.4.6 says but never past mtu, and sets *dst to the peer's
 * endpoint. Returns the message's length or a WG_TX_* code.
 */
ssize_t wg_encap(wg_device *d, uint8_t *pkt, size_t head, size_t len, size_t cap, unsigned mtu,
		 wg_endpoint *dst, uint64_t now);

/*
 * Sends p a handshake initiation (peer not locked, d->lock held shared).
 * retry: a retransmission; otherwise at most one per REKEY_TIMEOUT.
 */
void wg_send_initiation(wg_device *d, wg_peer *p, uint64_t now, bool retry);
/*
 * Sends the packets p holds for its handshake, oldest first, while it has a
 * session and an endpoint (d->lock held shared, peer not locked): up to
 * WG_STAGED_BATCH at a time take their nonces under one hold of the peer's
 * lock, are sealed, and leave by one sendmmsg() whose runs of equal-sized
 * datagrams are UDP GSO sends, as the data path's batch does. Returns how
 * many went.
 */
unsigned wg_send_staged(wg_device *d, wg_peer *p, uint64_t now);
/* Sends p an empty transport message, or starts a handshake if there is no session. */
void wg_send_keepalive(wg_device *d, wg_peer *p, uint64_t now);
/* Runs every peer's due timers (the main thread, a few times a second). */
void wg_device_tick(wg_device *d, uint64_t now);

#endif /* ZCTUN_WG_SEND_H */
