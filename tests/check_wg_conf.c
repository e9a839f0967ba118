/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_wg_conf.c - wg(8)'s configuration file into a device: a good
 * file with two peers (keys, psk, endpoints, prefixes, keepalive, fwmark),
 * and each kind of bad line refused with the file and line named.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <unistd.h>

#include "wg/conf.h"

/* Two keys as wg genkey / wg pubkey make them (any 32 bytes in base64). */
#define PRIV "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
#define PUB1 "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
#define PUB2 "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
#define PSK "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE="

static char path[64];

static void write_conf(const char *text)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/zcwg-conf-%d.conf", (int)getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Loads text; returns the error message ("" when it loaded). */
static const char *load(wg_device *d, const char *text)
{
	static char err[512];

	err[0] = '\0';
	write_conf(text);
	ck_assert_int_eq(wg_device_init(d), 0);
	if (wg_conf_load(d, path, err, sizeof err) == 0)
		err[0] = '\0';
	unlink(path);
	return err;
}

START_TEST(good_file)
{
	static wg_device d;
	uint8_t pub[32], a[16];
	const char *e = load(&d,
		"# a comment\n"
		"[Interface]\n"
		"PrivateKey = " PRIV "\n"
		"listenport = 51820  # keys in any case\n"
		"FwMark = 0x1234\n"
		"\n"
		"[Peer]\n"
		"PublicKey = " PUB1 "\n"
		"PresharedKey = " PSK "\n"
		"Endpoint = 192.0.2.7:51821\n"
		"AllowedIPs = 10.1.0.0/16, fd01::/64\n"
		"AllowedIPs = 10.9.9.9\n"
		"PersistentKeepalive = 25\n"
		"[Peer]\n"
		"PublicKey = " PUB2 "\n"
		"Endpoint = [2001:db8::1]:4000\n"
		"AllowedIPs = 0.0.0.0/0\n");
	wg_peer *p1, *p2;
	char buf[80];

	ck_assert_msg(e[0] == '\0', "%s", e);
	ck_assert(d.id.have);
	ck_assert_uint_eq(d.listen_port, 51820);
	ck_assert_uint_eq(d.fwmark, 0x1234);
	ck_assert_int_eq(wg_parse_key_b64(pub, PUB1), 0);
	p1 = wg_peer_find(&d, pub, false);
	ck_assert_ptr_nonnull(p1);
	ck_assert_int_eq(wg_parse_key_b64(pub, PUB2), 0);
	p2 = wg_peer_find(&d, pub, false);
	ck_assert_ptr_nonnull(p2);
	ck_assert_uint_eq(p1->timers.persistent_interval_s, 25);
	ck_assert_str_eq(wg_endpoint_str(&p1->endpoint, buf, sizeof buf), "192.0.2.7:51821");
	ck_assert_str_eq(wg_endpoint_str(&p2->endpoint, buf, sizeof buf), "[2001:db8::1]:4000");
	ck_assert_int_ne(p1->hs.psk[0] | p1->hs.psk[1] | p1->hs.psk[2], 0);
	inet_pton(AF_INET, "10.1.2.3", a);
	ck_assert_int_eq(wg_aip_lookup(&d.aip, 4, a), wg_peer_slot(&d, p1));
	inet_pton(AF_INET, "10.9.9.9", a);
	ck_assert_int_eq(wg_aip_lookup(&d.aip, 4, a), wg_peer_slot(&d, p1));
	inet_pton(AF_INET, "192.0.2.1", a);
	ck_assert_int_eq(wg_aip_lookup(&d.aip, 4, a), wg_peer_slot(&d, p2));
	inet_pton(AF_INET6, "fd01::5", a);
	ck_assert_int_eq(wg_aip_lookup(&d.aip, 6, a), wg_peer_slot(&d, p1));
	inet_pton(AF_INET6, "fd02::5", a);
	ck_assert_int_eq(wg_aip_lookup(&d.aip, 6, a), -1);
	wg_device_free(&d);
}
END_TEST

/* Each bad file fails with "file:line: ..." containing what. */
START_TEST(bad_files)
{
	static const struct { const char *text, *want; } v[] = {
		{ "[Interface]\nPrivateKey = " PRIV "\nPrivateKey = " PRIV "\n", ":3: PrivateKey given twice" },
		{ "[Interface]\nPrivateKey = abc\n", ":2: PrivateKey: not a base64 key" },
		{ "[Interface]\nPrivateKey = " PRIV "\nListenPort = 70000\n", ":3: ListenPort" },
		{ "[Interface]\nPrivateKey = " PRIV "\nAddress = 10.0.0.1/24\n", ":3: unknown key 'Address'" },
		{ "PrivateKey = " PRIV "\n", ":1: 'PrivateKey' outside a section" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nPublicKey = " PUB1 "\n[Peer]\nPublicKey = " PUB1 "\n",
		  ":6: PublicKey: this peer was given before" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nEndpoint = 192.0.2.1:1\n", ":4: Endpoint before PublicKey" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nPublicKey = " PUB1 "\nAllowedIPs = 10.0.0.0/33\n",
		  ":5: AllowedIPs: '10.0.0.0/33'" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nPublicKey = " PUB1 "\nEndpoint = 192.0.2.1\n",
		  ":5: Endpoint" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nPublicKey = " PUB1 "\nPersistentKeepalive = -1\n",
		  ":5: PersistentKeepalive" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\nAllowedIPs = 10.0.0.1\n", ":4: AllowedIPs before PublicKey" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peers]\n", ":3: unknown section" },
		{ "[Interface]\nPrivateKey = " PRIV "\nnonsense\n", ":3: expected Key = Value" },
		{ "[Interface]\nListenPort = 1\n", "no PrivateKey" },
		{ "[Interface]\nPrivateKey = " PRIV "\n[Peer]\n", "has no PublicKey" },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		static wg_device d;
		const char *e = load(&d, v[i].text);

		ck_assert_msg(strstr(e, v[i].want) != NULL, "case %zu: '%s' lacks '%s'", i, e, v[i].want);
		ck_assert_msg(strstr(e, "/tmp/zcwg-conf-") == e, "case %zu: '%s' does not name the file", i, e);
		wg_device_free(&d);
	}
}
END_TEST

START_TEST(key_forms)
{
	uint8_t k[32], h[32];
	char hex[65];
	size_t i;

	ck_assert_int_eq(wg_parse_key_b64(k, PUB1), 0);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", k[i]);
	ck_assert_int_eq(wg_parse_key_hex(h, hex), 0);
	ck_assert_mem_eq(k, h, 32);
	ck_assert_int_eq(wg_parse_key_hex(h, "00"), -1);
	hex[5] = 'g';
	ck_assert_int_eq(wg_parse_key_hex(h, hex), -1);
	ck_assert_int_eq(wg_parse_key_b64(k, "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8D=="), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wg_conf");
	TCase *tc = tcase_create("conf");

	if (wg_crypto_init() < 0 || wg_noise_init() < 0)
		return EXIT_FAILURE;
	tcase_add_test(tc, good_file);
	tcase_add_test(tc, bad_files);
	tcase_add_test(tc, key_forms);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
