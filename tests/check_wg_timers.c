/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_timers.c - WireGuard's timer rules on a fake clock: the
 * retransmission with jitter and giving up after REKEY_ATTEMPT_TIME, the
 * passive keepalive, the new handshake when data goes unanswered, the
 * persistent keepalive, erasing keys, the initiation rate limit, and the
 * keypair rules (REKEY/REJECT_AFTER_TIME and _MESSAGES).
 */
#include "testutil.h"

#include "wg/timers.h"

#define S WG_NS
#define T0 (1000 * S)

START_TEST(retransmit_then_give_up)
{
	wg_timers t;
	uint64_t now = T0, jitter = S / 10;
	unsigned sent = 1, r, step;

	wg_timers_init(&t, 0);
	wg_timers_initiation_sent(&t, now, jitter, false);
	ck_assert_uint_eq(wg_timers_next(&t), now + WG_REKEY_TIMEOUT + jitter);
	ck_assert_uint_eq(wg_timers_poll(&t, now + WG_REKEY_TIMEOUT), 0);
	ck_assert(!wg_timers_may_initiate(&t, now + WG_REKEY_TIMEOUT - 1));
	ck_assert(wg_timers_may_initiate(&t, now + WG_REKEY_TIMEOUT));
	/* Every REKEY_TIMEOUT + jitter another, until REKEY_ATTEMPT_TIME has passed. */
	for (step = 0; step < 100; step++) {
		now = wg_timers_next(&t);
		r = wg_timers_poll(&t, now);
		if (r & WG_DUE_GIVE_UP)
			break;
		ck_assert_uint_eq(r, WG_DUE_RETRY);
		sent++;
		wg_timers_initiation_sent(&t, now, jitter, true);
	}
	ck_assert_uint_eq(sent, WG_MAX_HANDSHAKE_ATTEMPTS);
	ck_assert(now - T0 >= WG_REKEY_ATTEMPT_TIME);
	ck_assert(now - T0 < WG_REKEY_ATTEMPT_TIME + WG_MAX_HANDSHAKE_ATTEMPTS * jitter + WG_REKEY_TIMEOUT);
	ck_assert_uint_eq(t.retransmit, 0);
	/* The keys go 3 * REJECT_AFTER_TIME later. */
	ck_assert_uint_eq(wg_timers_next(&t), now + 3 * WG_REJECT_AFTER_TIME);
	ck_assert_uint_eq(wg_timers_poll(&t, now + 3 * WG_REJECT_AFTER_TIME), WG_DUE_ZERO_KEYS);
	ck_assert_uint_eq(wg_timers_next(&t), 0);
}
END_TEST

START_TEST(response_stops_retransmission)
{
	wg_timers t;

	wg_timers_init(&t, 0);
	wg_timers_initiation_sent(&t, T0, 0, false);
	wg_timers_handshake_complete(&t);
	wg_timers_session_derived(&t, T0 + S);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 10 * S), 0);
	ck_assert_uint_eq(t.attempts, 0);
	ck_assert_uint_eq(wg_timers_next(&t), T0 + S + 3 * WG_REJECT_AFTER_TIME);
}
END_TEST

START_TEST(passive_keepalive)
{
	wg_timers t;

	wg_timers_init(&t, 0);
	wg_timers_data_received(&t, T0);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + WG_KEEPALIVE_TIMEOUT - 1), 0);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + WG_KEEPALIVE_TIMEOUT), WG_DUE_KEEPALIVE);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 2 * WG_KEEPALIVE_TIMEOUT), 0);
	/* Something sent in between: no keepalive needed. */
	wg_timers_data_received(&t, T0 + 100 * S);
	wg_timers_authenticated_sent(&t, T0 + 101 * S);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 200 * S), 0);
	/* More data while one is due: another keepalive after the first. */
	wg_timers_data_received(&t, T0 + 300 * S);
	wg_timers_data_received(&t, T0 + 305 * S);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 310 * S), WG_DUE_KEEPALIVE);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 320 * S), WG_DUE_KEEPALIVE);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 330 * S), 0);
}
END_TEST

START_TEST(unanswered_data_starts_handshake)
{
	wg_timers t;
	uint64_t j = 7;

	wg_timers_init(&t, 0);
	wg_timers_data_sent(&t, T0, j);
	/* Later data does not push the deadline back. */
	wg_timers_data_sent(&t, T0 + 5 * S, j);
	ck_assert_uint_eq(wg_timers_next(&t), T0 + WG_KEEPALIVE_TIMEOUT + WG_REKEY_TIMEOUT + j);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 15 * S + j), WG_DUE_INITIATION);
	/* An answer in time disarms it. */
	wg_timers_data_sent(&t, T0 + 100 * S, j);
	wg_timers_authenticated_received(&t, T0 + 101 * S);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 200 * S), 0);
}
END_TEST

START_TEST(persistent_keepalive)
{
	wg_timers t;

	wg_timers_init(&t, 25);
	wg_timers_traversal(&t, T0);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 24 * S), 0);
	wg_timers_traversal(&t, T0 + 24 * S);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 48 * S), 0);
	ck_assert_uint_eq(wg_timers_poll(&t, T0 + 49 * S), WG_DUE_KEEPALIVE);
	wg_timers_init(&t, 0);
	wg_timers_traversal(&t, T0);
	ck_assert_uint_eq(wg_timers_next(&t), 0);
}
END_TEST

START_TEST(keypair_rules)
{
	ck_assert(wg_keypair_send_ok(T0, 0, T0 + WG_REJECT_AFTER_TIME - 1));
	ck_assert(!wg_keypair_send_ok(T0, 0, T0 + WG_REJECT_AFTER_TIME));
	ck_assert(!wg_keypair_send_ok(T0, WG_REJECT_AFTER_MESSAGES, T0));
	ck_assert(wg_keypair_send_ok(T0, WG_REJECT_AFTER_MESSAGES - 1, T0));
	ck_assert(wg_keypair_recv_ok(T0, T0 + WG_REJECT_AFTER_TIME - 1));
	ck_assert(!wg_keypair_recv_ok(T0, T0 + WG_REJECT_AFTER_TIME));
	/* Only the initiator rekeys by age; anyone by count. */
	ck_assert(!wg_rekey_after_send(true, T0, 5, T0 + WG_REKEY_AFTER_TIME - 1));
	ck_assert(wg_rekey_after_send(true, T0, 5, T0 + WG_REKEY_AFTER_TIME));
	ck_assert(!wg_rekey_after_send(false, T0, 5, T0 + WG_REKEY_AFTER_TIME));
	ck_assert(wg_rekey_after_send(false, T0, WG_REKEY_AFTER_MESSAGES + 1, T0));
	ck_assert(!wg_rekey_after_receive(true, T0, T0 + 164 * S));
	ck_assert(wg_rekey_after_receive(true, T0, T0 + 165 * S));
	ck_assert(!wg_rekey_after_receive(false, T0, T0 + 170 * S));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_timers");
	TCase *tc = tcase_create("timers");

	tcase_set_timeout(tc, 60);

	tcase_add_test(tc, retransmit_then_give_up);
	tcase_add_test(tc, response_stops_retransmission);
	tcase_add_test(tc, passive_keepalive);
	tcase_add_test(tc, unanswered_data_starts_handshake);
	tcase_add_test(tc, persistent_keepalive);
	tcase_add_test(tc, keypair_rules);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
