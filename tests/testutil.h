/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/testutil.h - what the Check suites share: a runner and byte helpers.
 */
#ifndef ZC_TESTUTIL_H
#define ZC_TESTUTIL_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "zc.h"

/* Runs one suite and returns the process exit status. */
static inline int zc_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * A heap copy of n bytes with nothing after them, so that AddressSanitizer
 * flags any read past the end a parser or accessor might make.
 */
static inline zc_buf zc_test_dup(const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(q);
	if (n)
		memcpy(q, p, n);
	return zc_buf_make(q, n);
}

/* The same heap bytes, writable: they came from zc_test_dup(). */
static inline zc_wbuf zc_test_w(zc_buf b)
{
	return zc_wbuf_make((void *)(uintptr_t)b.p, b.len);
}

static inline void zc_test_free(zc_buf b)
{
	free((void *)(uintptr_t)b.p);
}

/*
 * zc_test_rw_<name>(v): the writable handle on view v, whose bytes a test
 * owns and may write (heap bytes from zc_test_dup(), or a writable array),
 * made with zc_<name>_rw_of(), which must accept it.
 */
#define ZC_TEST_RW(name, extent)                                                        \
	static inline zc_##name##_rw zc_test_rw_##name(zc_##name v)                      \
	{                                                                                \
		zc_##name##_rw h;                                                        \
		zc_wbuf w = zc_wbuf_make((void *)(uintptr_t)v.p, extent(v));             \
		ck_assert_int_eq(zc_##name##_rw_of(w, v, &h), ZC_OK);                    \
		return h;                                                                \
	}
ZC_TEST_RW(eth, ZC_VIEW_LEN)
ZC_TEST_RW(ipv4, ZC_VIEW_LEN)
ZC_TEST_RW(ipv6, zc_ipv6_extent_)
ZC_TEST_RW(tcp, ZC_VIEW_LEN)
ZC_TEST_RW(udp, ZC_VIEW_LEN)
ZC_TEST_RW(icmp4, ZC_VIEW_LEN)
ZC_TEST_RW(icmp6, ZC_VIEW_LEN)

/*
 * The Internet checksum as RFC 1071 defines it, one byte at a time: the
 * reference every fast or incremental checksum in the library is held to.
 * Returns the folded partial sum (add sum, a previous partial sum, first).
 */
static inline uint32_t zc_test_ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i < n; i++)
		acc += (i % 2 == 0) ? (uint64_t)p[i] << 8 : p[i];
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

/*
 * The reference checksum of len bytes at p with the 2-byte checksum field at
 * field taken as zero (summed over a copy), starting from the partial sum.
 */
static inline uint16_t zc_test_ref_csum_zeroed(const uint8_t *p, size_t len, size_t field, uint32_t sum)
{
	uint8_t *c = malloc(len ? len : 1);
	uint16_t r;

	ck_assert_ptr_nonnull(c);
	memcpy(c, p, len);
	c[field] = c[field + 1] = 0;
	r = (uint16_t)~zc_test_ref_sum(c, len, sum);
	free(c);
	return r;
}

/*
 * Reference partial sums of the pseudo-headers, laid out byte by byte: IPv4
 * (RFC 9293 section 3.1) from two 4-byte addresses, IPv6 (RFC 8200 section
 * 8.1) from two 16-byte addresses or from the IPv6 header at ip.
 */
static inline uint32_t zc_test_ref_pseudo4(const uint8_t *src, const uint8_t *dst, uint8_t proto, size_t len)
{
	uint8_t ph[12];

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return zc_test_ref_sum(ph, sizeof ph, 0);
}

static inline uint32_t zc_test_ref_pseudo6_addrs(const uint8_t *src, const uint8_t *dst, uint8_t proto, size_t len)
{
	uint8_t ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = proto;
	return zc_test_ref_sum(ph, sizeof ph, 0);
}

static inline uint32_t zc_test_ref_pseudo6(const uint8_t *ip, uint8_t proto, size_t len)
{
	return zc_test_ref_pseudo6_addrs(ip + 8, ip + 24, proto, len);
}

/*
 * The pseudo-header sums of the TCP and UDP suites' fixtures, whose
 * checksums are over 192.0.2.1 -> 198.51.100.2 and, for the same segment or
 * datagram carried by IPv6, 2001:db8::1 -> 2001:db8::2.
 */
static inline uint32_t zc_test_fx_pseudo4(uint8_t proto, size_t len)
{
	static const uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 198, 51, 100, 2 };

	return zc_test_ref_pseudo4(src, dst, proto, len);
}

static inline uint32_t zc_test_fx_pseudo6(uint8_t proto, size_t len)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };

	return zc_test_ref_pseudo6_addrs(src, dst, proto, len);
}

/* A fixed-seed xorshift32, so that a failure replays the same way. */
static inline uint32_t zc_test_rng(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* Fills p[0..n) with bytes from the generator at *state. */
static inline void zc_test_rng_fill(uint32_t *state, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)zc_test_rng(state);
}

#endif
