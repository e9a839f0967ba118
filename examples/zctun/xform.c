/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/xform.c - the transform stage between parse and send.
 *
 * The identity transform has no functions: the data path tests the pointer
 * and skips the call, so the hook costs nothing until a transform (an AEAD
 * with its header and tag, later) is plugged in. Such a transform declares its
 * headroom and tailroom; split.c builds every segment that far into its slot
 * so that encap can write its header in front and its tag behind in place.
 *
 * "test-xor" exists to exercise the stage end to end (tests/zctun.sh): a
 * 4-byte marker in the headroom, every inner byte XORed with a constant. It
 * hides nothing from anyone and must never be mistaken for encryption.
 */
#include "config.h"

#include <string.h>

#include "zctun.h"

#define XOR_MAGIC "ZCX1"
#define XOR_MAGIC_LEN 4
#define XOR_BYTE 0x5a

static ssize_t xor_encap(void *ctx, uint8_t *pkt, size_t head, size_t len, size_t cap, zctun_addr *dst)
{
	size_t i;

	(void)ctx;
	(void)dst;
	if (head != XOR_MAGIC_LEN || cap < head + len)
		return -1;
	memcpy(pkt, XOR_MAGIC, XOR_MAGIC_LEN);
	for (i = 0; i < len; i++)
		pkt[head + i] ^= XOR_BYTE;
	return (ssize_t)(head + len);
}

static int xor_decap(void *ctx, zc_wbuf *pkt, const zctun_addr *from, zctun_stats *st)
{
	size_t i;

	(void)ctx;
	(void)from;
	(void)st;
	if (pkt->len < XOR_MAGIC_LEN || memcmp(pkt->p, XOR_MAGIC, XOR_MAGIC_LEN) != 0)
		return -1;
	pkt->p += XOR_MAGIC_LEN;
	pkt->len -= XOR_MAGIC_LEN;
	for (i = 0; i < pkt->len; i++)
		pkt->p[i] ^= XOR_BYTE;
	return 0;
}

const zctun_xform zctun_xform_identity = {
	.name = "identity",
};

static const zctun_xform xform_test_xor = {
	.name = "test-xor",
	.headroom = XOR_MAGIC_LEN,
	.encap = xor_encap,
	.decap = xor_decap,
};

const zctun_xform *zctun_xform_find(const char *name)
{
	static const zctun_xform *const all[] = { &zctun_xform_identity, &xform_test_xor };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
