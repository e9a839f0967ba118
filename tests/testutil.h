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

#endif
