/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/uapi.h - WireGuard's cross-platform userspace API: the
 * get and set operations of its configuration protocol on a unix socket,
 * /var/run/wireguard/NAME.sock, so that wg(8) shows and configures zctun as
 * it does wireguard-go.
 */
#ifndef ZCTUN_WG_UAPI_H
#define ZCTUN_WG_UAPI_H

#include <stddef.h>
#include <stdio.h>

#include "wg/peer.h"

#define WG_UAPI_DIR "/var/run/wireguard"

/*
 * Listens on WG_UAPI_DIR/name.sock (the folder made, a stale socket
 * replaced, mode 0600). Returns the listening fd, or -1 with err.
 */
int wg_uapi_listen(const char *name, char *path, size_t pathlen, char *err, size_t errlen);

/*
 * Serves one connection: requests read from in until it closes, answers
 * written to out. "get=1" prints the device; "set=1" applies the lines up
 * to an empty one. A listen_port other than the bound one is refused
 * (zctun binds its socket once).
 */
void wg_uapi_serve(wg_device *d, FILE *in, FILE *out);

#endif /* ZCTUN_WG_UAPI_H */
