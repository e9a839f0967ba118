/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/dev.c - the TAP or TUN device zcstack answers on.
 *
 * The device is made without packet information (IFF_NO_PI). A TUN, or a
 * TAP with --no-offload, has no virtio header either: one read is one
 * Ethernet frame (TAP) or one IP packet (TUN), which is what zcs_input()
 * takes. A TAP is otherwise opened as zctun opens its TUN: IFF_VNET_HDR,
 * then TUNSETOFFLOAD with checksum offload and TSO for IPv4 and IPv6 (and
 * ECN-marked TSO), one step less each time the kernel refuses (without
 * ECN, without TSO6, without TSO, without offloads), and without the
 * header when the kernel does not know it. With TSO the kernel hands over
 * TCP segments of up to 64 KiB it did not cut, behind a header that says
 * their checksum is partial; main.c gives them to the stack as trusted
 * (ZCS_RX_CSUM_TRUSTED) and writes the stack's large segments with a
 * header that asks the kernel to cut them.
 */
#include "config.h"

#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>

#include "zcstack.h"

/* What a TAP asks for, the most first; --delay's fixed slots take one MTU, so it stops at checksums. */
static const unsigned tap_tries[] = {
	TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
	TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
	TUN_F_CSUM | TUN_F_TSO4,
	TUN_F_CSUM,
};

/* --tap-offloads' bound, and --delay's. */
static unsigned tap_max(const zcstack_config *cfg)
{
	return cfg->offload_max & (cfg->delay_ms ? TUN_F_CSUM : ~0u);
}

int zcstack_dev_open(const zcstack_config *cfg, zc_vnet_dev *d, char *err, size_t errlen)
{
	bool tap = cfg->link == ZCS_LINK_ETH;

	return zc_vnet_dev_open(d, cfg->dev, tap ? IFF_TAP : IFF_TUN, tap && cfg->offload, tap_tries,
				sizeof tap_tries / sizeof tap_tries[0], tap_max(cfg), cfg->mtu, err, errlen);
}

void zcstack_dev_report(const zcstack_config *cfg, const zc_vnet_dev *d, unsigned tso_max)
{
	char got[80], refused[80];
	unsigned asked = tap_tries[0] & tap_max(cfg);

	if (cfg->link != ZCS_LINK_ETH) {
		fprintf(stderr, "zcstack: TUN %s up, mtu %u, no virtio header\n", d->name, cfg->mtu);
		return;
	}
	if (!cfg->offload) {
		fprintf(stderr, "zcstack: TAP %s up, mtu %u, no virtio header (--no-offload)\n", d->name, cfg->mtu);
		return;
	}
	if (!d->vnet) {
		fprintf(stderr, "zcstack: TAP %s up, mtu %u, no virtio header (the kernel refused IFF_VNET_HDR)\n",
			d->name, cfg->mtu);
		return;
	}
	zc_vnet_offload_names(d->offloads, got, sizeof got);
	zc_vnet_offload_names(asked & ~d->offloads, refused, sizeof refused);
	fprintf(stderr, "zcstack: TAP %s up, mtu %u, virtio header, offloads %s", d->name, cfg->mtu, got);
	if (asked & ~d->offloads)
		fprintf(stderr, " (refused: %s)", refused);
	if (tso_max)
		fprintf(stderr, ", sending segments of up to %u bytes\n", tso_max);
	else
		fputs(", sending segments of one MSS\n", stderr);
	if (cfg->verbose) {
		if (cfg->delay_ms)
			fputs("zcstack: --delay holds frames of one MTU: TSO not asked for\n", stderr);
		if (cfg->p_corrupt > 0)
			fputs("zcstack: --corrupt: large segments not sent (the kernel would checksum the flipped bit)\n",
			      stderr);
	}
}
