/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_replay.c - the RFC 6479 window: in order, out of order,
 * duplicates, the window's edge, jumps of every size, the reject limit,
 * against a naive model that remembers every counter.
 */
#include "testutil.h"

#include "wg/replay.h"

#define LIMIT UINT64_MAX

START_TEST(in_order_and_duplicates)
{
	wg_replay r;
	uint64_t i;

	wg_replay_init(&r);
	ck_assert(wg_replay_check(&r, 0, LIMIT));
	ck_assert(!wg_replay_check(&r, 0, LIMIT));
	for (i = 1; i < 10000; i++)
		ck_assert(wg_replay_check(&r, i, LIMIT));
	for (i = 10000 - WG_REPLAY_WINDOW; i < 10000; i++)
		ck_assert(!wg_replay_check(&r, i, LIMIT));
}
END_TEST

START_TEST(window_edge)
{
	wg_replay r;
	uint64_t top = 100000;

	wg_replay_init(&r);
	ck_assert(wg_replay_check(&r, top, LIMIT));
	/* The oldest counter still inside, and the first one out. */
	ck_assert(wg_replay_check(&r, top - (WG_REPLAY_WINDOW - 1), LIMIT));
	ck_assert(!wg_replay_check(&r, top - WG_REPLAY_WINDOW, LIMIT));
	ck_assert(!wg_replay_check(&r, 0, LIMIT));
	ck_assert(wg_replay_check(&r, top - 1, LIMIT));
	ck_assert(!wg_replay_check(&r, top - 1, LIMIT));
	/* A jump further than the whole ring forgets everything before it. */
	ck_assert(wg_replay_check(&r, top + 10 * WG_REPLAY_BITS, LIMIT));
	ck_assert(!wg_replay_check(&r, top, LIMIT));
	ck_assert(wg_replay_check(&r, top + 10 * WG_REPLAY_BITS - 1, LIMIT));
}
END_TEST

START_TEST(limit)
{
	wg_replay r;

	wg_replay_init(&r);
	ck_assert(!wg_replay_check(&r, 1000, 1000));
	ck_assert(wg_replay_check(&r, 999, 1000));
	ck_assert(!wg_replay_check(&r, UINT64_MAX, LIMIT));
	ck_assert(wg_replay_check(&r, UINT64_MAX - 1, LIMIT));
}
END_TEST

/* Random walks near the front, checked against a bitmap of everything seen. */
START_TEST(against_model)
{
	static uint8_t seen[1 << 16];
	wg_replay r;
	uint64_t top = 0, x = 88172645463325252ull;
	bool any = false;
	unsigned i;

	memset(seen, 0, sizeof seen);
	wg_replay_init(&r);
	for (i = 0; i < 400000; i++) {
		uint64_t c;
		bool want, got;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Mostly near the top, sometimes far behind, sometimes ahead. */
		c = top + 64 - (x % 4500);
		if ((int64_t)c < 0 || c >= sizeof seen * 8 - 8)
			continue;
		if (!any || c > top)
			want = !(seen[c / 8] >> (c % 8) & 1);
		else
			want = top - c < WG_REPLAY_WINDOW && !(seen[c / 8] >> (c % 8) & 1);
		got = wg_replay_check(&r, c, LIMIT);
		ck_assert_msg(got == want, "counter %llu (top %llu): got %d want %d",
			      (unsigned long long)c, (unsigned long long)top, got, want);
		if (got) {
			seen[c / 8] |= (uint8_t)(1 << (c % 8));
			if (!any || c > top)
				top = c;
			any = true;
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_replay");
	TCase *tc = tcase_create("replay");

	/* Under the sanitizers on a loaded machine, the random-model tests outlast the default 4 s. */
	tcase_set_timeout(tc, 60);

	tcase_add_test(tc, in_order_and_duplicates);
	tcase_add_test(tc, window_edge);
	tcase_add_test(tc, limit);
	tcase_add_test(tc, against_model);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
