/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/common/netif.h - what the programs that make a TUN or TAP device
 * share about the interface behind it (Linux).
 */
#ifndef ZC_EXAMPLES_NETIF_H
#define ZC_EXAMPLES_NETIF_H

#include <stddef.h>

/*
 * Sets interface name's MTU and brings it up through an ordinary socket,
 * as ip(8) would. Returns 0, or -1 with a message that names the interface
 * and what failed in err.
 */
int zc_netif_up(const char *name, unsigned mtu, char *err, size_t errlen);

#endif /* ZC_EXAMPLES_NETIF_H */
