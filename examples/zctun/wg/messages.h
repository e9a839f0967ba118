/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/messages.h - WireGuard's four messages on the wire
 * (the WireGuard paper, section 5.4): types, lengths and field offsets. All
 * integers are little-endian; the fields are read and written through
 * zc_load_le32/zc_store_le32-style helpers, never through a cast struct.
 */
#ifndef ZCTUN_WG_MESSAGES_H
#define ZCTUN_WG_MESSAGES_H

#include <stdint.h>
#include <string.h>

#define WG_MSG_INITIATION 1
#define WG_MSG_RESPONSE 2
#define WG_MSG_COOKIE 3
#define WG_MSG_DATA 4

/* Handshake initiation: 148 bytes. */
#define WG_INIT_LEN 148
#define WG_INIT_SENDER 4
#define WG_INIT_EPHEMERAL 8
#define WG_INIT_STATIC 40     /* 32 + tag */
#define WG_INIT_TIMESTAMP 88  /* 12 + tag */
#define WG_INIT_MAC1 116
#define WG_INIT_MAC2 132

/* Handshake response: 92 bytes. */
#define WG_RESP_LEN 92
#define WG_RESP_SENDER 4
#define WG_RESP_RECEIVER 8
#define WG_RESP_EPHEMERAL 12
#define WG_RESP_EMPTY 44      /* the tag of nothing */
#define WG_RESP_MAC1 60
#define WG_RESP_MAC2 76

/* Cookie reply: 64 bytes. */
#define WG_COOKIE_LEN 64
#define WG_COOKIE_RECEIVER 4
#define WG_COOKIE_NONCE 8     /* 24 bytes */
#define WG_COOKIE_COOKIE 32   /* 16 + tag */

/* Transport data: a 16-byte header, then the padded packet and its tag. */
#define WG_DATA_HDR_LEN 16
#define WG_DATA_RECEIVER 4
#define WG_DATA_COUNTER 8
#define WG_DATA_MIN_LEN (WG_DATA_HDR_LEN + 16)
/* Plaintext is padded with zeros to a multiple of this (section 5.4.6). */
#define WG_DATA_PAD 16

#define WG_TIMESTAMP_LEN 12   /* TAI64N */

static inline uint32_t wg_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void wg_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t wg_load_le64(const uint8_t *p)
{
	return (uint64_t)wg_load_le32(p) | (uint64_t)wg_load_le32(p + 4) << 32;
}

static inline void wg_store_le64(uint8_t *p, uint64_t v)
{
	wg_store_le32(p, (uint32_t)v);
	wg_store_le32(p + 4, (uint32_t)(v >> 32));
}

/* The first four bytes: the type, then three reserved zero bytes. */
static inline void wg_msg_header(uint8_t *p, uint8_t type)
{
	p[0] = type;
	p[1] = p[2] = p[3] = 0;
}

#endif /* ZCTUN_WG_MESSAGES_H */
