/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/driver.h - what every libzc fuzz harness shares.
 *
 * A harness file defines one function, zc_fuzz_one(), and links with
 * fuzz/driver.c, which supplies the three ways of calling it:
 *
 *  - AFL++ persistent mode, when the compiler is afl-clang-fast (which
 *    defines __AFL_FUZZ_TESTCASE_LEN);
 *  - libFuzzer's LLVMFuzzerTestOneInput (always defined; build with
 *    -fsanitize=fuzzer -DZC_FUZZ_NO_MAIN so that libFuzzer supplies main);
 *  - otherwise a plain replay main that runs every file, and every file of
 *    every folder, named on the command line (stdin when none is named).
 *    That is what `make check` runs over the seeds and the crashes.
 *
 * Every engine hands zc_fuzz_one() a heap copy of exactly the input bytes,
 * so that AddressSanitizer flags a read one byte past the end.
 *
 * Broken invariants abort() with a message: a "finding" is a crash, a
 * sanitizer report, or a ZC_FUZZ_CHECK failure, never a silent wrong answer.
 */
#ifndef ZC_FUZZ_DRIVER_H
#define ZC_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "zc.h"

/* Defined by each harness: one input, any bytes, any length. */
void zc_fuzz_one(const uint8_t *data, size_t size);

/* The libFuzzer entry point, defined in driver.c. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant and aborts, so every engine records a crash. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
void zc_fuzz_fail(const char *file, int line, const char *fmt, ...);

#define ZC_FUZZ_CHECK(cond, ...)                                          \
	do {                                                              \
		if (!(cond))                                              \
			zc_fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);    \
	} while (0)

/*
 * True when the n bytes at p lie inside base[0..size): the check every
 * payload span, option and extension header must pass. Compares offsets,
 * never pointer sums, so it cannot overflow.
 */
static inline int zc_fuzz_inside(const uint8_t *base, size_t size, const void *p, size_t n)
{
	uintptr_t b = (uintptr_t)base, q = (uintptr_t)p;

	if (q < b || q - b > size)
		return 0;
	return n <= size - (size_t)(q - b);
}

/* The same for a zc_buf. */
static inline int zc_fuzz_buf_inside(const uint8_t *base, size_t size, zc_buf s)
{
	return zc_fuzz_inside(base, size, s.p, s.len);
}

/* Every error a parser returns must be a known code with a message and a class. */
static inline void zc_fuzz_check_err(zc_err e)
{
	ZC_FUZZ_CHECK(e < 0 && e >= ZC_ERR_MIN, "error code %d outside the enum", (int)e);
	ZC_FUZZ_CHECK(zc_strerror(e) != NULL && zc_err_name(e) != NULL, "error %d without a message", (int)e);
	ZC_FUZZ_CHECK(zc_err_class(e) != ZC_ERRCLASS_NONE, "error %d has no class", (int)e);
}

/*
 * Touches every byte of a span, so that AddressSanitizer checks it and the
 * compiler cannot drop the read.
 */
static inline uint32_t zc_fuzz_touch(zc_buf s)
{
	uint32_t h = 0;
	size_t i;

	for (i = 0; i < s.len; i++)
		h = h * 31 + s.p[i];
	return h;
}

/* A sink for values read only to run an accessor. */
extern volatile uint32_t zc_fuzz_sink;

#endif /* ZC_FUZZ_DRIVER_H */
