/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/stress.h - what the multi-threaded stress tests share: how many
 * items they move (ZC_STRESS_ITEMS, or a default that keeps each test within
 * seconds, smaller under the sanitizers).
 */
#ifndef ZC_TEST_STRESS_H
#define ZC_TEST_STRESS_H

#include <stdlib.h>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

static inline size_t stress_items(void)
{
	const char *s = getenv("ZC_STRESS_ITEMS");
	if (s && *s)
		return (size_t)strtoull(s, NULL, 10);
#ifdef SANITIZED
	return 1000000;
#else
	return 4000000;
#endif
}

#endif
