/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/common/vnet.c - the virtio_net_hdr, and a TUN or TAP device
 * opened with it and as many offloads as the kernel takes.
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

#include "zc.h"
#include "netif.h"
#include "vnet.h"

void zc_vnet_load(zc_vnet *h, const uint8_t *p)
{
	h->flags = p[ZC_VNET_FLAGS_OFF];
	h->gso_type = p[ZC_VNET_GSO_TYPE_OFF];
	h->hdr_len = zc_load_le16(p + ZC_VNET_HDR_LEN_OFF);
	h->gso_size = zc_load_le16(p + ZC_VNET_GSO_SIZE_OFF);
	h->csum_start = zc_load_le16(p + ZC_VNET_CSUM_START_OFF);
	h->csum_offset = zc_load_le16(p + ZC_VNET_CSUM_OFFSET_OFF);
}

static void store_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void zc_vnet_store(const zc_vnet *h, uint8_t *p)
{
	p[ZC_VNET_FLAGS_OFF] = h->flags;
	p[ZC_VNET_GSO_TYPE_OFF] = h->gso_type;
	store_le16(p + ZC_VNET_HDR_LEN_OFF, h->hdr_len);
	store_le16(p + ZC_VNET_GSO_SIZE_OFF, h->gso_size);
	store_le16(p + ZC_VNET_CSUM_START_OFF, h->csum_start);
	store_le16(p + ZC_VNET_CSUM_OFFSET_OFF, h->csum_offset);
}

bool zc_vnet_csum_complete(uint8_t *pkt, size_t len, uint16_t start, uint16_t off)
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

/* Each refusal is EINVAL and changes nothing: the next, smaller set is tried. */
static unsigned set_offloads(int fd, const unsigned *tries, size_t n, unsigned max)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((tries[i] & ~max) == 0 && ioctl(fd, TUNSETOFFLOAD, (unsigned long)tries[i]) == 0)
			return tries[i];
	(void)ioctl(fd, TUNSETOFFLOAD, 0ul);
	return 0;
}

int zc_vnet_dev_open(zc_vnet_dev *d, const char *name, short kind, bool vnet, const unsigned *tries,
		     size_t ntries, unsigned max, unsigned mtu, char *err, size_t errlen)
{
	const char *what = kind == IFF_TAP ? "TAP" : "TUN";
	struct ifreq ifr;
	int hdrsz = ZC_VNET_HDR_LEN;

	memset(d, 0, sizeof *d);
	d->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	ifr.ifr_flags = (short)(kind | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0));
	if (ioctl(d->fd, TUNSETIFF, &ifr) < 0) {
		if (!vnet || errno == EBUSY || errno == EPERM)
			goto setiff_failed;
		/* A kernel without IFF_VNET_HDR: run without offloads. */
		ifr.ifr_flags = (short)(kind | IFF_NO_PI);
		if (ioctl(d->fd, TUNSETIFF, &ifr) < 0)
			goto setiff_failed;
	}
	snprintf(d->name, sizeof d->name, "%s", ifr.ifr_name);
	if (ifr.ifr_flags & IFF_VNET_HDR) {
		if (ioctl(d->fd, TUNSETVNETHDRSZ, &hdrsz) < 0) {
			snprintf(err, errlen, "TUNSETVNETHDRSZ on %s: %s", d->name, strerror(errno));
			goto fail;
		}
		d->vnet = true;
		d->offloads = set_offloads(d->fd, tries, ntries, max);
	}
	if (zc_netif_up(d->name, mtu, err, errlen) < 0)
		goto fail;
	return 0;

setiff_failed:
	snprintf(err, errlen, "cannot create %s device %s: %s", what, name, strerror(errno));
fail:
	close(d->fd);
	d->fd = -1;
	return -1;
}

void zc_vnet_dev_close(zc_vnet_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int zc_vnet_offload_level(const char *name, unsigned *max)
{
	static const struct {
		const char *name;
		unsigned mask;
	} levels[] = {
		{ "all", ~0u },
		{ "tso", TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN },
		{ "tso4", TUN_F_CSUM | TUN_F_TSO4 },
		{ "csum", TUN_F_CSUM },
		{ "none", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (!strcmp(name, levels[i].name)) {
			*max = levels[i].mask;
			return 0;
		}
	return -1;
}

void zc_vnet_offload_names(unsigned mask, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ TUN_F_CSUM, "csum" }, { TUN_F_TSO4, "tso4" }, { TUN_F_TSO6, "tso6" },
		{ TUN_F_TSO_ECN, "tso-ecn" }, { TUN_F_USO4, "uso4" }, { TUN_F_USO6, "uso6" },
	};
	size_t i, at = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int n;

		if (!(mask & names[i].bit))
			continue;
		n = snprintf(buf + at, len - at, "%s%s", at ? " " : "", names[i].name);
		if (n < 0 || (size_t)n >= len - at)
			return;
		at += (size_t)n;
	}
	if (at == 0)
		snprintf(buf, len, "none");
}
