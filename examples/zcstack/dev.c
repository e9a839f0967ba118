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

/* Sets the MTU and brings the interface up through an ordinary socket, as ip(8) would. */
static int dev_link_up(const char *name, unsigned mtu, char *err, size_t errlen)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		snprintf(err, errlen, "cannot set the MTU of %s to %u: %s", name, mtu, strerror(errno));
		goto fail;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "cannot read the flags of %s: %s", name, strerror(errno));
		goto fail;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "cannot bring %s up: %s", name, strerror(errno));
		goto fail;
	}
	close(s);
	return 0;
fail:
	close(s);
	return -1;
}

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
	if (dev_link_up(ifr.ifr_name, cfg->mtu, err, errlen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
