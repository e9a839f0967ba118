/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/common/vnet.h - what the programs that make a TUN or TAP device
 * share about its offloads (Linux): the virtio_net_hdr in front of every
 * read and write with IFF_VNET_HDR, opening the device with it, and asking
 * for offloads with TUNSETOFFLOAD, one step less each time the kernel
 * refuses.
 */
#ifndef ZC_EXAMPLES_VNET_H
#define ZC_EXAMPLES_VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * struct virtio_net_hdr (virtio 1.x, section 5.1.6), 10 bytes, fields
 * little-endian (the device's default on little-endian hosts). Read and
 * written through the zc load/store helpers, never cast.
 */
#define ZC_VNET_HDR_LEN 10
#define ZC_VNET_FLAGS_OFF 0
#define ZC_VNET_GSO_TYPE_OFF 1
#define ZC_VNET_HDR_LEN_OFF 2
#define ZC_VNET_GSO_SIZE_OFF 4
#define ZC_VNET_CSUM_START_OFF 6
#define ZC_VNET_CSUM_OFFSET_OFF 8

#define ZC_VNET_F_NEEDS_CSUM 1
#define ZC_VNET_F_DATA_VALID 2
#define ZC_VNET_GSO_NONE 0
#define ZC_VNET_GSO_TCPV4 1
#define ZC_VNET_GSO_UDP 3
#define ZC_VNET_GSO_TCPV6 4
#define ZC_VNET_GSO_UDP_L4 5
#define ZC_VNET_GSO_ECN 0x80

typedef struct zc_vnet {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
} zc_vnet;

void zc_vnet_load(zc_vnet *h, const uint8_t *p);
void zc_vnet_store(const zc_vnet *h, uint8_t *p);

/*
 * Completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM): the field at
 * csum_start + csum_offset holds the pseudo-header sum; the sum of
 * pkt[csum_start..len) is folded in and the complement stored, 0 sent as
 * 0xffff as the kernel does. Returns false when the offsets lie outside pkt.
 */
bool zc_vnet_csum_complete(uint8_t *pkt, size_t len, uint16_t start, uint16_t off);

/* Offload bits newer headers have (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

/* A TUN or TAP device as zc_vnet_dev_open() made it. */
typedef struct zc_vnet_dev {
	int fd;
	bool vnet;          /* every read and write carries a virtio_net_hdr */
	unsigned offloads;  /* TUN_F_* the kernel accepted; 0 without vnet */
	char name[16];      /* the interface's name, IFNAMSIZ with its NUL */
} zc_vnet_dev;

/*
 * Opens /dev/net/tun non-blocking as the device name (IFF_TUN or IFF_TAP in
 * kind, without packet information). With vnet it asks for IFF_VNET_HDR
 * (and runs without when the kernel does not know it), sets the header's
 * size, and tries the offload sets of tries (TUN_F_* masks, the most first)
 * in turn, skipping those with bits outside max, until the kernel takes
 * one; none taken: no offloads, the header stays. Sets the MTU and brings
 * the interface up. Returns 0, or -1 with a message naming what failed in
 * err.
 */
int zc_vnet_dev_open(zc_vnet_dev *d, const char *name, short kind, bool vnet, const unsigned *tries,
		     size_t ntries, unsigned max, unsigned mtu, char *err, size_t errlen);
void zc_vnet_dev_close(zc_vnet_dev *d);

/*
 * The most offloads a --tun-offloads or --tap-offloads LEVEL allows (the
 * max of zc_vnet_dev_open()): "all"; "tso" (TSO for both families, with
 * ECN, and checksums: no UDP segmentation); "tso4" (TSO for IPv4 alone and
 * checksums); "csum"; "none". Returns 0, or -1 for another name.
 */
int zc_vnet_offload_level(const char *name, unsigned *max);

/* The TUN_F_* names of mask, space-separated ("none" for 0), into buf. */
void zc_vnet_offload_names(unsigned mask, char *buf, size_t len);

#endif /* ZC_EXAMPLES_VNET_H */
