/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/receive.h - what arrives from peers: handshake messages
 * (answered at once on the device's socket) and transport data, decrypted in
 * place in the receive buffer and checked against the sending peer's
 * allowed IPs.
 */
#ifndef ZCTUN_WG_RECEIVE_H
#define ZCTUN_WG_RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include "wg/peer.h"

#define WG_RX_DATA 0         /* an inner packet to deliver */
#define WG_RX_DONE 1         /* a handshake message or a keepalive, handled */
#define WG_RX_COOKIE 2       /* under load: a cookie reply went out instead */
#define WG_RX_BAD (-1)       /* not a WireGuard message, or a bad mac1 */
#define WG_RX_AUTH (-2)      /* did not authenticate: unknown index, key or tag */
#define WG_RX_REPLAY (-3)    /* a counter or timestamp seen before */
#define WG_RX_SPOOF (-4)     /* inner source outside the peer's allowed IPs */
#define WG_RX_NOKEY (-5)     /* the session it names has expired */
#define WG_RX_RATELIMIT (-6) /* under load: too many handshakes from its address */
#define WG_RX_NOKEYPAIR (-7) /* a handshake that authenticated, but the keypair pool is empty */

/*
 * Handles the datagram msg[0 .. len) from `from`. For WG_RX_DATA the inner
 * packet is msg[*off .. *off + *inner), padding cut. now is the monotonic
 * clock in ns. One thread calls it (the device's load state is its own).
 *
 * Under load (more than d->load_threshold handshake messages in a second,
 * and for a second after), a handshake message must carry a mac2 made
 * with a cookie for its source address: without it a cookie reply goes
 * back (section 5.3); with it, the source's rate limit still applies.
 */
int wg_decap(wg_device *d, uint8_t *msg, size_t len, const wg_endpoint *from, uint64_t now,
	     size_t *off, size_t *inner);

#endif /* ZCTUN_WG_RECEIVE_H */
