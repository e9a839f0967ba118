/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/dev.c - the TAP or TUN device zcstack answers on.
 *
 * The device is made without packet information (IFF_NO_PI) and without a
 * virtio header: one read is one Ethernet frame (TAP) or one IP packet
 * (TUN), which is what zcs_input() takes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zcstack.h"
#include "../common/netif.h"

int zcstack_dev_open(const zcstack_config *cfg, char *err, size_t errlen)
{
	const char *kind = cfg->link == ZCS_LINK_ETH ? "TAP" : "TUN";
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", cfg->dev);
	ifr.ifr_flags = (cfg->link == ZCS_LINK_ETH ? IFF_TAP : IFF_TUN) | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "cannot create %s device %s: %s", kind, cfg->dev, strerror(errno));
		close(fd);
		return -1;
	}
	if (zc_netif_up(ifr.ifr_name, cfg->mtu, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
