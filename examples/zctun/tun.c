/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/tun.c - the TUN device: IFF_VNET_HDR and the offloads
 * zctun asks for (examples/common/vnet.c opens it).
 */
#include "config.h"

#include <linux/if.h>
#include <linux/if_tun.h>

#include "zctun.h"

/*
 * Asks for the most offloads first and drops them one family at a time when
 * the kernel refuses: UDP segmentation (USO, Linux 6.2), then ECN-marked TSO,
 * then TSO, then checksum offload. Sets beyond cfg->offload_max
 * (--tun-offloads) are not asked for.
 */
int zctun_tun_open(zctun_tun *tun, const zctun_config *cfg, char *err, size_t errlen)
{
	static const unsigned tries[] = {
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN | TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
		TUN_F_CSUM,
	};

	return zc_vnet_dev_open(tun, cfg->tun, IFF_TUN, cfg->offload, tries, sizeof tries / sizeof tries[0],
				cfg->offload_max, cfg->mtu, err, errlen);
}

void zctun_tun_close(zctun_tun *tun)
{
	zc_vnet_dev_close(tun);
}
