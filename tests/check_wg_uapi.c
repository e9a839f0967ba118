/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_uapi.c - the userspace API's get and set operations on a
 * device, through in-memory streams: what get prints, each set key applied
 * (keys, port, fwmark, peers with psk, endpoint, keepalive, allowed IPs,
 * replace_allowed_ips, remove, update_only, replace_peers), and errors;
 * 20,000 peers set in one request, found by key, index and address, half
 * removed and their slots reused; the lock free while a request waits
 * for its next line; the bounded keypair pool; the index table through
 * many handshakes.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "wg/conf.h"
#include "wg/uapi.h"

static wg_device D;
static char outbuf[65536];

/* Runs one request; returns what the device answered. */
static const char *ask(const char *req)
{
	FILE *in = fmemopen((void *)req, strlen(req), "r");
	FILE *out = fmemopen(outbuf, sizeof outbuf, "w");

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	memset(outbuf, 0, sizeof outbuf);
	wg_uapi_serve(&D, in, out);
	fclose(in);
	fclose(out);
	return outbuf;
}

static void hexkey(char out[65], const uint8_t k[32])
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", k[i]);
}

static void setup(void)
{
	wg_crypto_init();
	wg_noise_init();
	ck_assert_int_eq(wg_device_init(&D), 0);
	D.listen_port = 51820;
}

static void teardown(void)
{
	wg_device_free(&D);
}

START_TEST(set_then_get)
{
	uint8_t priv[32], pub[32], peer[32], psk[32];
	char hp[65], hpeer[65], hpsk[65], req[2048], line[256];
	const char *r;

	wg_x25519_generate(priv);
	wg_x25519_public(pub, priv);
	wg_random(peer, 32);
	wg_random(psk, 32);
	hexkey(hp, priv);
	hexkey(hpeer, peer);
	hexkey(hpsk, psk);
	snprintf(req, sizeof req,
		 "set=1\nprivate_key=%s\nlisten_port=51820\nfwmark=0\npublic_key=%s\npreshared_key=%s\n"
		 "endpoint=192.0.2.9:4444\npersistent_keepalive_interval=0\nreplace_allowed_ips=true\n"
		 "allowed_ip=10.7.0.0/16\nallowed_ip=fd07::/48\nprotocol_version=1\n\n",
		 hp, hpeer, hpsk);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert(D.id.have);
	ck_assert_mem_eq(D.id.pub, pub, 32);
	r = ask("get=1\n\n");
	snprintf(line, sizeof line, "private_key=%s\n", hp);
	ck_assert_ptr_nonnull(strstr(r, line));
	ck_assert_ptr_nonnull(strstr(r, "listen_port=51820\n"));
	snprintf(line, sizeof line, "public_key=%s\npreshared_key=%s\nprotocol_version=1\n", hpeer, hpsk);
	ck_assert_msg(strstr(r, line) != NULL, "%s", r);
	ck_assert_ptr_nonnull(strstr(r, "endpoint=192.0.2.9:4444\n"));
	ck_assert_ptr_nonnull(strstr(r, "last_handshake_time_sec=0\n"));
	ck_assert_ptr_nonnull(strstr(r, "allowed_ip=10.7.0.0/16\n"));
	ck_assert_ptr_nonnull(strstr(r, "allowed_ip=fd07::/48\n"));
	ck_assert_ptr_nonnull(strstr(r, "persistent_keepalive_interval=0\n"));
	ck_assert_str_eq(r + strlen(r) - 9, "errno=0\n\n");
	/* replace_allowed_ips drops the old prefixes; an update_only peer that does not exist is skipped. */
	snprintf(req, sizeof req,
		 "set=1\npublic_key=%s\nreplace_allowed_ips=true\nallowed_ip=10.8.0.1/32\n"
		 "public_key=%s\nupdate_only=true\nallowed_ip=10.9.0.0/24\n\n", hpeer, hp + 2);
	/* (hp + 2 is 62 hex digits: not a key.) */
	ck_assert_str_eq(ask(req), "errno=22\n\n");
	snprintf(req, sizeof req,
		 "set=1\npublic_key=%s\nreplace_allowed_ips=true\nallowed_ip=10.8.0.1/32\n\n", hpeer);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	r = ask("get=1\n\n");
	ck_assert_ptr_null(strstr(r, "10.7.0.0/16"));
	ck_assert_ptr_nonnull(strstr(r, "allowed_ip=10.8.0.1/32\n"));
}
END_TEST

/* The same private key again keeps the sessions; another one ends them. */
START_TEST(same_key_keeps_sessions)
{
	uint8_t priv[32], other[32], peer[32];
	char hp[65], ho[65], hpeer[65], req[512];
	wg_keypair kp;
	wg_peer *p;

	wg_x25519_generate(priv);
	wg_x25519_generate(other);
	wg_random(peer, 32);
	hexkey(hp, priv);
	hexkey(ho, other);
	hexkey(hpeer, peer);
	snprintf(req, sizeof req, "set=1\nprivate_key=%s\npublic_key=%s\n\n", hp, hpeer);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	p = wg_peer_find(&D, peer, false);
	ck_assert_ptr_nonnull(p);
	memset(&kp, 0, sizeof kp);
	kp.valid = kp.initiator = true;
	kp.local_index = 0x1234;
	ck_assert_int_eq(wg_peer_install(&D, p, &kp), 0);
	ck_assert_uint_eq(D.pool.inuse, 1);
	snprintf(req, sizeof req, "set=1\nprivate_key=%s\n\n", hp);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert_ptr_nonnull(p->cur);
	ck_assert_ptr_eq(wg_peer_by_index(&D, 0x1234), p);
	snprintf(req, sizeof req, "set=1\nprivate_key=%s\n\n", ho);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert_ptr_null(p->cur);
	/* The keypair went back to the pool, its index out of the table. */
	ck_assert_uint_eq(D.pool.inuse, 0);
	ck_assert_ptr_null(wg_peer_by_index(&D, 0x1234));
}
END_TEST

START_TEST(update_only_remove_replace)
{
	uint8_t k1[32], k2[32];
	char h1[65], h2[65], req[1024];

	wg_random(k1, 32);
	wg_random(k2, 32);
	hexkey(h1, k1);
	hexkey(h2, k2);
	snprintf(req, sizeof req, "set=1\npublic_key=%s\nupdate_only=true\nallowed_ip=10.1.0.0/16\n\n", h1);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert_ptr_null(wg_peer_find(&D, k1, false));
	ck_assert_uint_eq(D.aip.n, 0);
	snprintf(req, sizeof req, "set=1\npublic_key=%s\npublic_key=%s\n\n", h1, h2);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert_ptr_nonnull(wg_peer_find(&D, k1, false));
	ck_assert_ptr_nonnull(wg_peer_find(&D, k2, false));
	snprintf(req, sizeof req, "set=1\npublic_key=%s\nremove=true\n\n", h1);
	ck_assert_str_eq(ask(req), "errno=0\n\n");
	ck_assert_ptr_null(wg_peer_find(&D, k1, false));
	ck_assert_str_eq(ask("set=1\nreplace_peers=true\n\n"), "errno=0\n\n");
	ck_assert_ptr_null(wg_peer_find(&D, k2, false));
}
END_TEST

START_TEST(errors)
{
	ck_assert_str_eq(ask("set=1\nlisten_port=51821\n\n"), "errno=98\n\n");
	ck_assert_str_eq(ask("set=1\nlisten_port=51820\n\n"), "errno=0\n\n");
	ck_assert_str_eq(ask("set=1\nprivate_key=zz\n\n"), "errno=22\n\n");
	ck_assert_str_eq(ask("set=1\nno_such_key=1\n\n"), "errno=22\n\n");
	ck_assert_str_eq(ask("set=1\nnoequals\n\n"), "errno=22\n\n");
	ck_assert_str_eq(ask("set=1\nallowed_ip=10.0.0.0/8\n\n"), "errno=22\n\n");
	ck_assert_str_eq(ask("bogus=1\n\n"), "errno=22\n\n");
	/* Two requests on one connection. */
	ck_assert_ptr_nonnull(strstr(ask("get=1\n\nget=1\n\n"), "errno=0\n\nlisten_port=51820\n"));
}
END_TEST

/* Runs one request of any size; returns what the device answered (the caller frees it). */
static char *ask_big(const char *req)
{
	FILE *in = fmemopen((void *)req, strlen(req), "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	wg_uapi_serve(&D, in, out);
	fclose(in);
	fclose(out);
	return buf;
}

#define MANY 20000

static void many_key(uint8_t k[32], unsigned i, unsigned gen)
{
	memset(k, 0x5a, 32);
	k[0] = (uint8_t)gen;
	k[1] = (uint8_t)(i >> 16);
	k[2] = (uint8_t)(i >> 8);
	k[3] = (uint8_t)i;
}

/* A request that sets peers [from, to) of generation gen with a /32 and a /128 each, or removes them. */
static char *many_request(unsigned from, unsigned to, unsigned gen, bool remove)
{
	size_t cap = (size_t)(to - from) * 160 + 16, n = 0;
	char *req = malloc(cap), h[65];
	uint8_t k[32];
	unsigned i;

	ck_assert_ptr_nonnull(req);
	n += (size_t)snprintf(req + n, cap - n, "set=1\n");
	for (i = from; i < to; i++) {
		many_key(k, i, gen);
		hexkey(h, k);
		if (remove)
			n += (size_t)snprintf(req + n, cap - n, "public_key=%s\nremove=true\n", h);
		else
			n += (size_t)snprintf(req + n, cap - n,
					      "public_key=%s\nallowed_ip=10.%u.%u.%u/32\nallowed_ip=fd00::%x/128\n", h,
					      (i >> 16) & 255, (i >> 8) & 255, i & 255, i);
	}
	snprintf(req + n, cap - n, "\n");
	return req;
}

static int many_lookup4(unsigned i)
{
	uint8_t a[4] = { 10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };

	return wg_aip_lookup(&D.aip, 4, a);
}

START_TEST(many_peers)
{
	char *req, *r, *at;
	uint8_t k[32];
	unsigned i, n;
	wg_peer *p;

	req = many_request(0, MANY, 0, false);
	r = ask_big(req);
	ck_assert_str_eq(r, "errno=0\n\n");
	free(r);
	free(req);
	ck_assert_uint_eq(D.npeers, MANY);
	ck_assert_uint_eq(D.aip.n, 2 * MANY);
	for (i = 0; i < MANY; i++) {
		many_key(k, i, 0);
		p = wg_peer_find(&D, k, false);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(many_lookup4(i), wg_peer_slot(&D, p));
	}
	/* get lists every one of them. */
	r = ask_big("get=1\n\n");
	/* Line by line: strstr from each hit would rescan the rest (quadratic under ASan). */
	for (n = 0, at = r; at; at = strchr(at, '\n'), at = at ? at + 1 : NULL)
		n += !strncmp(at, "public_key=", 11);
	ck_assert_uint_eq(n, MANY);
	ck_assert_ptr_nonnull(strstr(r, "allowed_ip=fd00::4e1f/128\n"));
	free(r);
	/* The even ones go: gone by key and address; the odd ones stay. */
	for (i = 0; i < MANY; i += 2) {
		req = many_request(i, i + 1, 0, true);
		r = ask_big(req);
		ck_assert_str_eq(r, "errno=0\n\n");
		free(r);
		free(req);
	}
	ck_assert_uint_eq(D.npeers, MANY / 2);
	ck_assert_uint_eq(D.aip.n, MANY);
	for (i = 0; i < MANY; i++) {
		many_key(k, i, 0);
		p = wg_peer_find(&D, k, false);
		ck_assert(i % 2 ? p != NULL : p == NULL);
		ck_assert(i % 2 ? many_lookup4(i) == wg_peer_slot(&D, p) : many_lookup4(i) == -1);
	}
	/* New peers take the freed slots: the table does not grow. */
	n = D.hw;
	req = many_request(0, MANY / 2, 1, false);
	r = ask_big(req);
	ck_assert_str_eq(r, "errno=0\n\n");
	free(r);
	free(req);
	ck_assert_uint_eq(D.npeers, MANY);
	ck_assert_uint_eq(D.hw, n);
	ck_assert_str_eq(ask("set=1\nreplace_peers=true\n\n"), "errno=0\n\n");
	ck_assert_uint_eq(D.npeers, 0);
	ck_assert_uint_eq(D.aip.n, 0);
}
END_TEST

typedef struct serve_arg {
	FILE *in, *out;
} serve_arg;

static void *serve_thread(void *arg)
{
	serve_arg *a = arg;

	wg_uapi_serve(&D, a->in, a->out);
	return NULL;
}

/*
 * A request whose client has sent some lines and not yet the rest: the
 * lines sent are applied and the device's lock is free (the data path
 * runs) while the server waits for more.
 */
START_TEST(lock_free_between_lines)
{
	uint8_t k[32];
	char hk[65], line[256], *ans = NULL;
	size_t anslen = 0;
	struct timespec pause = { 0, 1000000 };
	serve_arg a;
	pthread_t th;
	wg_peer *p = NULL;
	int fds[2], i;

	ck_assert_int_eq(pipe(fds), 0);
	a.in = fdopen(fds[0], "r");
	a.out = open_memstream(&ans, &anslen);
	ck_assert_ptr_nonnull(a.in);
	ck_assert_ptr_nonnull(a.out);
	ck_assert_int_eq(pthread_create(&th, NULL, serve_thread, &a), 0);
	wg_random(k, 32);
	hexkey(hk, k);
	snprintf(line, sizeof line, "set=1\npublic_key=%s\nallowed_ip=10.9.0.0/24\n", hk);
	ck_assert_int_eq(write(fds[1], line, strlen(line)), (ssize_t)strlen(line));
	/* Within two seconds: the peer is there, and the lock can be had, the request still open. */
	for (i = 0; i < 2000 && !p; i++) {
		if (pthread_rwlock_tryrdlock(&D.lock) == 0) {
			p = wg_peer_find(&D, k, false);
			pthread_rwlock_unlock(&D.lock);
		}
		if (!p)
			nanosleep(&pause, NULL);
	}
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(write(fds[1], "\n", 1), 1);
	close(fds[1]);
	pthread_join(th, NULL);
	fclose(a.in);
	fclose(a.out);
	ck_assert_str_eq(ans, "errno=0\n\n");
	free(ans);
	ck_assert_uint_gt(atomic_load(&D.conf_lock_max_ns), 0);
}
END_TEST

static wg_keypair *install(wg_peer *p, uint32_t index, int want)
{
	wg_keypair kp;

	memset(&kp, 0, sizeof kp);
	kp.valid = kp.initiator = true;
	kp.local_index = index;
	ck_assert_int_eq(wg_peer_install(&D, p, &kp), want);
	return wg_peer_keypair(p, index);
}

/* Three keypairs for the whole device: a fourth session waits until one is given back. */
START_TEST(keypair_pool_bounded)
{
	uint8_t k1[32], k2[32];
	wg_peer *p1, *p2;

	wg_device_free(&D);
	ck_assert_int_eq(wg_device_init_pool(&D, 3), 0);
	wg_random(k1, 32);
	wg_random(k2, 32);
	p1 = wg_peer_find(&D, k1, true);
	p2 = wg_peer_find(&D, k2, true);
	ck_assert_ptr_nonnull(install(p1, 1, 0));
	ck_assert_ptr_nonnull(install(p1, 2, 0));
	ck_assert_ptr_nonnull(install(p2, 3, 0));
	ck_assert_uint_eq(D.pool.inuse, 3);
	ck_assert_ptr_null(install(p2, 4, -1));
	ck_assert_ptr_nonnull(p2->cur);
	ck_assert_uint_eq(p2->cur->local_index, 3);
	ck_assert_ptr_null(wg_peer_by_index(&D, 4));
	/* p1's previous goes to make room for its newest. */
	ck_assert_ptr_nonnull(install(p1, 5, 0));
	ck_assert_ptr_null(wg_peer_by_index(&D, 1));
	ck_assert_ptr_eq(wg_peer_by_index(&D, 2), p1);
	ck_assert_ptr_eq(wg_peer_by_index(&D, 5), p1);
	ck_assert_ptr_eq(wg_peer_by_index(&D, 3), p2);
	wg_peer_zero_keys(&D, p1);
	ck_assert_uint_eq(D.pool.inuse, 1);
	ck_assert_ptr_null(wg_peer_by_index(&D, 5));
	ck_assert_ptr_nonnull(install(p2, 4, 0));
	wg_peer_remove(&D, p2);
	ck_assert_uint_eq(D.pool.inuse, 0);
	ck_assert_uint_eq(D.index.n, 0);
}
END_TEST

/* Handshake indices: each new one replaces the last; every live one is found, no dead one is. */
START_TEST(index_table)
{
	static uint32_t first[3000], second[3000];
	uint8_t k[32];
	wg_peer *p[3000];
	unsigned i;

	for (i = 0; i < 3000; i++) {
		many_key(k, i, 2);
		p[i] = wg_peer_find(&D, k, true);
		ck_assert_ptr_nonnull(p[i]);
		first[i] = wg_peer_hs_index(&D, p[i]);
		ck_assert_uint_ne(first[i], 0);
	}
	ck_assert_uint_eq(D.index.n, 3000);
	for (i = 0; i < 3000; i += 3)
		second[i] = wg_peer_hs_index(&D, p[i]);
	ck_assert_uint_eq(D.index.n, 3000);
	for (i = 0; i < 3000; i++) {
		if (i % 3 == 0) {
			ck_assert_ptr_eq(wg_peer_by_index(&D, second[i]), p[i]);
			if (first[i] != second[i])
				ck_assert_ptr_null(wg_peer_by_index(&D, first[i]));
		} else {
			ck_assert_ptr_eq(wg_peer_by_index(&D, first[i]), p[i]);
		}
	}
	for (i = 0; i < 3000; i++)
		wg_peer_remove(&D, p[i]);
	ck_assert_uint_eq(D.index.n, 0);
	ck_assert_ptr_null(wg_peer_by_index(&D, first[1]));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_uapi");
	TCase *tc = tcase_create("uapi");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, set_then_get);
	tcase_add_test(tc, same_key_keeps_sessions);
	tcase_add_test(tc, update_only_remove_replace);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, many_peers);
	tcase_add_test(tc, lock_free_between_lines);
	tcase_add_test(tc, keypair_pool_bounded);
	tcase_add_test(tc, index_table);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
