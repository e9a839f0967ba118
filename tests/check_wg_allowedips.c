/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_allowedips.c - cryptokey routing's prefix table: longest
 * match for IPv4 and IPv6, host bits ignored, a prefix moving between peers,
 * a peer's prefixes removed, the families apart, a full table; random
 * tables checked against a linear scan; and 100,000 peers with a /32 and a
 * /128 each under covering prefixes, half of them removed and put back.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* The longest of the prefixes in ref that holds addr, by a linear scan. */
typedef struct ref_entry {
	uint8_t addr[16];
	unsigned cidr;
	int family, peer;
} ref_entry;

static bool holds(const ref_entry *r, const uint8_t *addr)
{
	unsigned full = r->cidr / 8, rest = r->cidr % 8;

	if (memcmp(r->addr, addr, full))
		return false;
	return !rest || ((r->addr[full] ^ addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static int ref_lookup(const ref_entry *ref, size_t n, int family, const uint8_t *addr)
{
	int best = -1, peer = -1;
	size_t i;

	for (i = 0; i < n; i++)
		if (ref[i].family == family && ref[i].peer >= 0 && (int)ref[i].cidr > best && holds(&ref[i], addr)) {
			best = (int)ref[i].cidr;
			peer = ref[i].peer;
		}
	return peer;
}

/* Random prefixes of every length, some equal, some removed: every lookup as the scan says. */
START_TEST(random_against_scan)
{
	static ref_entry ref[600];
	wg_allowedips t;
	uint8_t a[16];
	size_t i, j, n = 0;

	srandom(7);
	ck_assert_int_eq(wg_aip_init(&t, 0), 0);
	for (i = 0; i < 600; i++) {
		ref_entry *r = &ref[n];
		unsigned alen;

		r->family = random() % 3 ? 4 : 6;
		alen = r->family == 4 ? 4 : 16;
		memset(r->addr, 0, 16);
		/* Few distinct high bits, so that prefixes nest and collide. */
		for (j = 0; j < alen; j++)
			r->addr[j] = (uint8_t)(j < 2 ? random() % 3 : random());
		r->cidr = (unsigned)(random() % (alen * 8 + 1));
		r->peer = (int)(random() % 50);
		ck_assert_int_eq(wg_aip_insert(&t, r->family, r->addr, r->cidr, r->peer), 0);
		/* What the table keeps: host bits cleared, an equal prefix moved to the newest owner. */
		for (j = r->cidr; j < alen * 8; j++)
			r->addr[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		for (j = 0; j < n; j++)
			if (ref[j].family == r->family && ref[j].cidr == r->cidr && !memcmp(ref[j].addr, r->addr, 16))
				ref[j].peer = -1;
		n++;
	}
	for (i = 0; i < 5; i++) {
		int gone = (int)(random() % 50);

		wg_aip_remove_peer(&t, gone);
		for (j = 0; j < n; j++)
			if (ref[j].peer == gone)
				ref[j].peer = -1;
	}
	for (i = 0; i < 20000; i++) {
		const ref_entry *r = &ref[random() % n];
		int family = r->family;
		unsigned alen = family == 4 ? 4 : 16;

		/* Near a prefix: its bits, then a random tail. */
		memcpy(a, r->addr, 16);
		for (j = random() % (alen * 8 + 1); j < alen * 8; j++)
			if (random() & 1)
				a[j / 8] ^= (uint8_t)(0x80 >> (j % 8));
		ck_assert_int_eq(wg_aip_lookup(&t, family, a), ref_lookup(ref, n, family, a));
	}
	for (i = 0, j = 0; i < n; i++)
		j += ref[i].peer >= 0;
	ck_assert_uint_eq(t.n, j);
	wg_aip_free(&t);
}
END_TEST

#define BIG 100000

static void big_v4(uint8_t a[4], unsigned i)
{
	uint32_t v = i * 7 + 1; /* distinct for every i < 2^24 / 7 */

	a[0] = 10;
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

static void big_v6(uint8_t a[16], unsigned i)
{
	memset(a, 0, 16);
	a[0] = 0xfd;
	a[12] = (uint8_t)(i >> 24);
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

/*
 * 100,000 peers, each with a /32 and a /128; 10.0.0.0/8 and ::/0 belong to
 * two more, and every thousandth peer owns a /24 as well.
 */
START_TEST(many_peers)
{
	wg_allowedips t;
	uint8_t a[16];
	unsigned i, k;
	uint32_t v;
	const wg_aip_entry *e;
	struct timespec t0, t1;
	double ns;

	ck_assert_int_eq(wg_aip_init(&t, 0), 0);
	memset(a, 0, sizeof a);
	a[0] = 10;
	ck_assert_int_eq(wg_aip_insert(&t, 4, a, 8, BIG), 0);
	ck_assert_int_eq(wg_aip_insert(&t, 6, a, 0, BIG + 1), 0);
	for (i = 0; i < BIG; i++) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_insert(&t, 4, a, 32, (int)i), 0);
		big_v6(a, i);
		ck_assert_int_eq(wg_aip_insert(&t, 6, a, 128, (int)i), 0);
		if (i % 1000 == 0) {
			a[0] = 172;
			a[1] = 16;
			a[2] = (uint8_t)(i / 1000);
			a[3] = 0;
			ck_assert_int_eq(wg_aip_insert(&t, 4, a, 24, (int)i), 0);
		}
	}
	ck_assert_uint_eq(t.n, 2 * BIG + BIG / 1000 + 2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < BIG; i++) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_lookup(&t, 4, a), (int)i);
		/* A neighbour: another peer's /32 if it is one, else the /8. */
		a[3] ^= 0x80;
		v = ((uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]) - 1;
		ck_assert_int_eq(wg_aip_lookup(&t, 4, a), v % 7 == 0 && v / 7 < BIG ? (int)(v / 7) : BIG);
		big_v6(a, i);
		ck_assert_int_eq(wg_aip_lookup(&t, 6, a), (int)i);
		a[8] = 1;
		ck_assert_int_eq(wg_aip_lookup(&t, 6, a), BIG + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (4.0 * BIG);
	fprintf(stderr, "many_peers: %.0f ns a lookup with %zu prefixes\n", ns, t.n);
	/* Generous, for sanitizer builds on a busy machine: a scan would take milliseconds. */
	ck_assert_msg(ns < 20000, "lookups take %.0f ns", ns);
	a[0] = 172;
	a[1] = 16;
	a[2] = 42;
	a[3] = 9;
	ck_assert_int_eq(wg_aip_lookup(&t, 4, a), 42000);
	a[2] = 200;
	ck_assert_int_eq(wg_aip_lookup(&t, 4, a), -1);
	/* Every even peer goes: its addresses fall to the covering prefixes; the odd ones stay. */
	for (i = 0; i < BIG; i += 2)
		wg_aip_remove_peer(&t, (int)i);
	ck_assert_uint_eq(t.n, BIG + 2);
	for (i = 0; i < BIG; i++) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_lookup(&t, 4, a), i % 2 ? (int)i : BIG);
		big_v6(a, i);
		ck_assert_int_eq(wg_aip_lookup(&t, 6, a), i % 2 ? (int)i : BIG + 1);
	}
	a[0] = 172;
	a[1] = 16;
	a[2] = 42;
	ck_assert_int_eq(wg_aip_lookup(&t, 4, a), -1);
	/* Put back under other owners: the freed entries are reused, nothing grows. */
	k = t.hw;
	for (i = 0; i < BIG; i += 2) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_insert(&t, 4, a, 32, (int)i + 1), 0);
		big_v6(a, i);
		ck_assert_int_eq(wg_aip_insert(&t, 6, a, 128, (int)i + 1), 0);
	}
	ck_assert_uint_eq(t.hw, k);
	for (i = 0; i < BIG; i++) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_lookup(&t, 4, a), (int)(i | 1));
	}
	wg_aip_free(&t);
	/* One peer with 100,000 prefixes (a routing table): inserts stay O(1), its list holds them all. */
	ck_assert_int_eq(wg_aip_init(&t, 0), 0);
	for (i = 0; i < BIG; i++) {
		big_v4(a, i);
		ck_assert_int_eq(wg_aip_insert(&t, 4, a, 32, 7), 0);
	}
	for (k = 0, e = wg_aip_first(&t, 7); e; e = wg_aip_next(&t, e))
		k++;
	ck_assert_uint_eq(k, BIG);
	ck_assert_ptr_null(wg_aip_first(&t, 8));
	wg_aip_remove_peer(&t, 7);
	ck_assert_uint_eq(t.n, 0);
	big_v4(a, 5);
	ck_assert_int_eq(wg_aip_lookup(&t, 4, a), -1);
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
	tcase_add_test(tc, random_against_scan);
	tcase_add_test(tc, many_peers);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
