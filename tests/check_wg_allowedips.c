/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_allowedips.c - cryptokey routing's prefix table: longest
 * match for IPv4 and IPv6, host bits ignored, a prefix moving between peers,
 * a peer's prefixes removed, the families apart, a full table.
 */
#include "testutil.h"

#include <arpa/inet.h>

#include "wg/allowedips.h"

static int ins(wg_allowedips *t, const char *a, unsigned cidr, int peer)
{
	uint8_t b[16];

	if (strchr(a, ':')) {
		ck_assert_int_eq(inet_pton(AF_INET6, a, b), 1);
		return wg_aip_insert(t, 6, b, cidr, peer);
	}
	ck_assert_int_eq(inet_pton(AF_INET, a, b), 1);
	return wg_aip_insert(t, 4, b, cidr, peer);
}

static int look(const wg_allowedips *t, const char *a)
{
	uint8_t b[16];

	if (strchr(a, ':')) {
		ck_assert_int_eq(inet_pton(AF_INET6, a, b), 1);
		return wg_aip_lookup(t, 6, b);
	}
	ck_assert_int_eq(inet_pton(AF_INET, a, b), 1);
	return wg_aip_lookup(t, 4, b);
}

START_TEST(longest_prefix_v4)
{
	wg_allowedips t;

	ck_assert_int_eq(wg_aip_init(&t, 16), 0);
	ck_assert_int_eq(ins(&t, "10.0.0.0", 8, 1), 0);
	ck_assert_int_eq(ins(&t, "10.1.0.0", 16, 2), 0);
	ck_assert_int_eq(ins(&t, "10.1.2.3", 32, 3), 0);
	ck_assert_int_eq(ins(&t, "0.0.0.0", 0, 4), 0);
	ck_assert_int_eq(look(&t, "10.1.2.3"), 3);
	ck_assert_int_eq(look(&t, "10.1.2.4"), 2);
	ck_assert_int_eq(look(&t, "10.2.0.1"), 1);
	ck_assert_int_eq(look(&t, "192.0.2.1"), 4);
	/* Host bits of an inserted prefix are cleared: 10.1.255.255/16 is 10.1.0.0/16. */
	ck_assert_int_eq(ins(&t, "10.1.255.255", 16, 5), 0);
	ck_assert_int_eq(look(&t, "10.1.9.9"), 5);
	ck_assert_int_eq(ins(&t, "10.0.0.0", 33, 1), -1);
	wg_aip_remove_peer(&t, 4);
	ck_assert_int_eq(look(&t, "192.0.2.1"), -1);
	ck_assert_int_eq(look(&t, "10.2.0.1"), 1);
	wg_aip_free(&t);
}
END_TEST

START_TEST(odd_lengths)
{
	wg_allowedips t;

	ck_assert_int_eq(wg_aip_init(&t, 16), 0);
	ck_assert_int_eq(ins(&t, "192.168.0.0", 23, 1), 0);
	ck_assert_int_eq(look(&t, "192.168.1.255"), 1);
	ck_assert_int_eq(look(&t, "192.168.2.0"), -1);
	ck_assert_int_eq(ins(&t, "fd00:1234:5678::", 47, 2), 0);
	ck_assert_int_eq(look(&t, "fd00:1234:5679::1"), 2);
	ck_assert_int_eq(look(&t, "fd00:1234:567a::1"), -1);
	wg_aip_free(&t);
}
END_TEST

START_TEST(longest_prefix_v6_and_families_apart)
{
	wg_allowedips t;

	ck_assert_int_eq(wg_aip_init(&t, 16), 0);
	ck_assert_int_eq(ins(&t, "::", 0, 1), 0);
	ck_assert_int_eq(ins(&t, "fd00::", 8, 2), 0);
	ck_assert_int_eq(ins(&t, "fd00:1::", 32, 3), 0);
	ck_assert_int_eq(ins(&t, "fd00:1::7", 128, 4), 0);
	ck_assert_int_eq(look(&t, "fd00:1::7"), 4);
	ck_assert_int_eq(look(&t, "fd00:1::8"), 3);
	ck_assert_int_eq(look(&t, "fd42::1"), 2);
	ck_assert_int_eq(look(&t, "2001:db8::1"), 1);
	/* ::/0 is not 0.0.0.0/0. */
	ck_assert_int_eq(look(&t, "10.0.0.1"), -1);
	ck_assert_int_eq(ins(&t, "fd00::", 129, 1), -1);
	wg_aip_free(&t);
}
END_TEST

START_TEST(prefix_moves_and_table_full)
{
	wg_allowedips t;

	ck_assert_int_eq(wg_aip_init(&t, 2), 0);
	ck_assert_int_eq(ins(&t, "10.9.0.0", 24, 1), 0);
	ck_assert_int_eq(ins(&t, "10.9.0.0", 24, 2), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(look(&t, "10.9.0.5"), 2);
	ck_assert_int_eq(ins(&t, "10.8.0.0", 24, 1), 0);
	ck_assert_int_eq(ins(&t, "10.7.0.0", 24, 1), -1);
	wg_aip_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_allowedips");
	TCase *tc = tcase_create("allowedips");

	tcase_add_test(tc, longest_prefix_v4);
	tcase_add_test(tc, odd_lengths);
	tcase_add_test(tc, longest_prefix_v6_and_families_apart);
	tcase_add_test(tc, prefix_moves_and_table_full);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
