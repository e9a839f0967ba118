/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/conf.h - wg(8)'s configuration file ([Interface]
 * PrivateKey, ListenPort, FwMark; [Peer] PublicKey, PresharedKey, Endpoint,
 * AllowedIPs, PersistentKeepalive) into a device, and the value parsers the
 * userspace API shares with it.
 */
#ifndef ZCTUN_WG_CONF_H
#define ZCTUN_WG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg/peer.h"

/*
 * Loads path into d (fresh from wg_device_init). Returns 0, or -1 with a
 * message naming the file and line in err.
 */
int wg_conf_load(wg_device *d, const char *path, char *err, size_t errlen);

/* A key in base64 (as wg genkey prints it, 44 characters): 0 or -1. */
int wg_parse_key_b64(uint8_t out[WG_KEY_LEN], const char *s);
/* A key in hex (the userspace API's form): 0 or -1. */
int wg_parse_key_hex(uint8_t out[WG_KEY_LEN], const char *s);
/* HOST:PORT or [IPV6]:PORT into *ep (a name is resolved): 0 or -1. */
int wg_parse_endpoint(wg_endpoint *ep, const char *s);
/* ADDR[/CIDR], IPv4 or IPv6: family 4 or 6, 0 or -1. */
int wg_parse_prefix(const char *s, int *family, uint8_t addr[16], unsigned *cidr);
/* An endpoint as IPv6 for the dual-stack socket (IPv4 becomes v4-mapped). */
void wg_endpoint_to_v6(wg_endpoint *ep);
/* The endpoint as "ADDR:PORT" / "[ADDR]:PORT", v4-mapped shown as IPv4. */
const char *wg_endpoint_str(const wg_endpoint *ep, char *buf, size_t len);

#endif /* ZCTUN_WG_CONF_H */
