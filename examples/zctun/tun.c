/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/tun.c - the TUN device: IFF_VNET_HDR, offload negotiation,
 * MTU, and the virtio_net_hdr in front of every read and write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "zctun.h"
#include "../common/netif.h"

void zctun_vnet_load(zctun_vnet *h, const uint8_t *p)
{
	h->flags = p[ZCTUN_VNET_FLAGS_OFF];
	h->gso_type = p[ZCTUN_VNET_GSO_TYPE_OFF];
	h->hdr_len = zc_load_le16(p + ZCTUN_VNET_HDR_LEN_OFF);
	h->gso_size = zc_load_le16(p + ZCTUN_VNET_GSO_SIZE_OFF);
	h->csum_start = zc_load_le16(p + ZCTUN_VNET_CSUM_START_OFF);
	h->csum_offset = zc_load_le16(p + ZCTUN_VNET_CSUM_OFFSET_OFF);
}

static void store_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void zctun_vnet_store(const zctun_vnet *h, uint8_t *p)
{
	p[ZCTUN_VNET_FLAGS_OFF] = h->flags;
	p[ZCTUN_VNET_GSO_TYPE_OFF] = h->gso_type;
	store_le16(p + ZCTUN_VNET_HDR_LEN_OFF, h->hdr_len);
	store_le16(p + ZCTUN_VNET_GSO_SIZE_OFF, h->gso_size);
	store_le16(p + ZCTUN_VNET_CSUM_START_OFF, h->csum_start);
	store_le16(p + ZCTUN_VNET_CSUM_OFFSET_OFF, h->csum_offset);
}

bool zctun_csum_complete(uint8_t *pkt, size_t len, uint16_t start, uint16_t off)
{
	uint16_t c;

	/* Compare lengths, never pointer sums: start + off + 2 cannot overflow here. */
	if (start > len || len - start < (size_t)off + 2)
		return false;
	/*
	 * The field already holds the folded pseudo-header sum, so summing the
	 * whole range with it in place gives the full sum (virtio 1.x 5.1.6.2).
	 */
	c = zc_csum(pkt + start, len - start);
	zc_store_be16(pkt + start + off, c ? c : 0xffff);
	return true;
}

/*
 * Asks for the most offloads first and drops them one family at a time when
 * the kernel refuses: UDP segmentation (USO, Linux 6.2), then ECN-marked TSO,
 * then TSO, then checksum offload. Each refusal is EINVAL and changes nothing.
 * Sets beyond max (--tun-offloads) are not asked for.
 */
static unsigned tun_set_offloads(int fd, unsigned max)
{
	static const unsigned tries[] = {
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN | TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
		TUN_F_CSUM,
	};
	size_t i;

	for (i = 0; i < sizeof tries / sizeof tries[0]; i++)
		if ((tries[i] & ~max) == 0 && ioctl(fd, TUNSETOFFLOAD, (unsigned long)tries[i]) == 0)
			return tries[i];
	(void)ioctl(fd, TUNSETOFFLOAD, 0ul);
	return 0;
}

int zctun_tun_open(zctun_tun *tun, const zctun_config *cfg, char *err, size_t errlen)
{
	struct ifreq ifr;
	int hdrsz = ZCTUN_VNET_HDR_LEN;

	memset(tun, 0, sizeof *tun);
	tun->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (tun->fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", cfg->tun);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (cfg->offload ? IFF_VNET_HDR : 0);
	if (ioctl(tun->fd, TUNSETIFF, &ifr) < 0) {
		if (!cfg->offload || errno == EBUSY || errno == EPERM)
			goto setiff_failed;
		/* A kernel without IFF_VNET_HDR: run without offloads. */
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
		if (ioctl(tun->fd, TUNSETIFF, &ifr) < 0)
			goto setiff_failed;
	}
	snprintf(tun->name, sizeof tun->name, "%s", ifr.ifr_name);
	if (ifr.ifr_flags & IFF_VNET_HDR) {
		if (ioctl(tun->fd, TUNSETVNETHDRSZ, &hdrsz) < 0) {
			snprintf(err, errlen, "TUNSETVNETHDRSZ on %s: %s", tun->name, strerror(errno));
			goto fail;
		}
		tun->vnet = true;
		tun->offloads = tun_set_offloads(tun->fd, cfg->offload_max);
	}
	if (zc_netif_up(tun->name, cfg->mtu, err, errlen) < 0)
		goto fail;
	return 0;

setiff_failed:
	snprintf(err, errlen, "cannot create TUN device %s: %s", cfg->tun, strerror(errno));
fail:
	close(tun->fd);
	tun->fd = -1;
	return -1;
}

void zctun_tun_close(zctun_tun *tun)
{
	if (tun->fd >= 0)
		close(tun->fd);
	tun->fd = -1;
}
