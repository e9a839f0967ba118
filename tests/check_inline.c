/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_inline.c - the constructors a program inlines from the
 * headers and their exported twins in the shared object, which other
 * languages and dlsym() reach, give the same result and the same view on
 * the same bytes.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdio.h>

#include "testutil.h"

#define ROUNDS 20000
#define MAX_LEN 96

/* The exported function of that name, as a program loading libzc by name finds it. */
static void *twin(const char *name)
{
	void *f = dlsym(RTLD_DEFAULT, name);

	ck_assert_msg(f != NULL, "%s is not exported", name);
	return f;
}

/*
 * Bytes a header is made of more often than chance would give: versions,
 * header lengths, protocol numbers, ethertype and TPID halves, and small
 * lengths, so that the random buffers reach every check of every
 * constructor and not only the first.
 */
static const uint8_t common_bytes[] = {
	0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x08, 0x10, 0x11, 0x14, 0x18, 0x1c, 0x1e, 0x20, 0x28, 0x2b,
	0x2c, 0x30, 0x33, 0x3a, 0x3b, 0x3c, 0x40, 0x45, 0x46, 0x4f, 0x50, 0x60, 0x65, 0x81, 0x86, 0x87,
	0x88, 0x91, 0xa8, 0xdd, 0xe0, 0xf0, 0xff,
};

static void fill(uint32_t *rng, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t r = zc_test_rng(rng);

		p[i] = (r & 3) ? common_bytes[(r >> 2) % sizeof common_bytes] : (uint8_t)(r >> 8);
	}
}

/*
 * The exported twin of fn, looked up once per call site. Checked by hand
 * rather than with ck_assert, which reports to the parent process at every
 * assertion: millions of comparisons would spend their time in write().
 */
#define TWIN_(fn, ptr)                                                              \
	static void *found_;                                                        \
	if (!found_)                                                                \
		found_ = twin(#fn);                                                 \
	if (found_ == (void *)(fn))                                                 \
		ck_abort_msg("%s: the inline copy is the exported function", #fn); \
	*(void **)&(ptr) = found_

/* Runs the inline constructor fn and its twin on b and compares result and view. */
#define SAME(fn, type, b)                                                                          \
	do {                                                                                       \
		zc_err (*twin_)(zc_buf, type *);                                                   \
		type a_, t_;                                                                       \
		zc_err ea_, et_;                                                                   \
		TWIN_(fn, twin_);                                                                  \
		memset(&a_, 0xa5, sizeof a_);                                                      \
		memset(&t_, 0xa5, sizeof t_);                                                      \
		ea_ = fn(b, &a_);                                                                  \
		et_ = twin_(b, &t_);                                                               \
		if (ea_ != et_)                                                                    \
			ck_abort_msg("%s on %zu bytes: inline %s, exported %s", #fn, (b).len,     \
				     zc_err_name(ea_), zc_err_name(et_));                          \
		if (memcmp(&a_, &t_, sizeof a_) != 0)                                              \
			ck_abort_msg("%s on %zu bytes: the views differ", #fn, (b).len);          \
	} while (0)

/* The same for a constructor with one more argument before the view. */
#define SAME_ARG(fn, type, argtype, arg, b)                                                        \
	do {                                                                                       \
		zc_err (*twin_)(zc_buf, argtype, type *);                                          \
		type a_, t_;                                                                       \
		zc_err ea_, et_;                                                                   \
		TWIN_(fn, twin_);                                                                  \
		memset(&a_, 0xa5, sizeof a_);                                                      \
		memset(&t_, 0xa5, sizeof t_);                                                      \
		ea_ = fn(b, arg, &a_);                                                             \
		et_ = twin_(b, arg, &t_);                                                          \
		if (ea_ != et_)                                                                    \
			ck_abort_msg("%s(%u) on %zu bytes: inline %s, exported %s", #fn,          \
				     (unsigned)(arg), (b).len, zc_err_name(ea_), zc_err_name(et_)); \
		if (memcmp(&a_, &t_, sizeof a_) != 0)                                              \
			ck_abort_msg("%s(%u) on %zu bytes: the views differ", #fn, (unsigned)(arg), \
				     (b).len);                                                     \
	} while (0)

static void same_all(zc_buf b)
{
	SAME(zc_eth_parse, zc_eth, b);
	SAME(zc_arp_parse, zc_arp, b);
	SAME(zc_ipv4_parse, zc_ipv4, b);
	SAME(zc_ipv4_parse_lax, zc_ipv4, b);
	SAME_ARG(zc_ipv4_parse_mode, zc_ipv4, bool, false, b);
	SAME_ARG(zc_ipv4_parse_mode, zc_ipv4, bool, true, b);
	SAME(zc_ipv6_parse, zc_ipv6, b);
	SAME(zc_ipv6_parse_lax, zc_ipv6, b);
	SAME_ARG(zc_ipv6_parse_mode, zc_ipv6, bool, false, b);
	SAME_ARG(zc_ipv6_parse_mode, zc_ipv6, bool, true, b);
	SAME(zc_icmp4_parse, zc_icmp4, b);
	SAME(zc_icmp6_parse, zc_icmp6, b);
	SAME(zc_tcp_parse, zc_tcp, b);
	SAME(zc_udp_parse, zc_udp, b);
	SAME(zc_udp_parse_lax, zc_udp, b);
	SAME_ARG(zc_udp_parse_mode, zc_udp, bool, true, b);
	SAME(zc_vxlan_parse, zc_vxlan, b);
	SAME(zc_geneve_parse, zc_geneve, b);
	SAME(zc_gre_parse, zc_gre, b);
	SAME_ARG(zc_erspan_parse, zc_erspan, unsigned, 1u, b);
	SAME_ARG(zc_erspan_parse, zc_erspan, unsigned, 2u, b);
	SAME_ARG(zc_erspan_parse, zc_erspan, unsigned, 3u, b);
	SAME_ARG(zc_erspan_parse, zc_erspan, unsigned, 4u, b);
	SAME(zc_sll_parse, zc_sll, b);
	SAME(zc_sll2_parse, zc_sll2, b);
	SAME_ARG(zc_loop_parse, zc_loop, bool, false, b);
	SAME_ARG(zc_loop_parse, zc_loop, bool, true, b);
}

START_TEST(test_random_buffers)
{
	uint8_t buf[MAX_LEN];
	uint32_t rng = 0x1b873593;
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		size_t len = zc_test_rng(&rng) % (MAX_LEN + 1);

		fill(&rng, buf, len);
		same_all(zc_buf_make(buf, len));
	}
}
END_TEST

/* The common cases a random walk reaches rarely: whole IPv4, IPv6 with extension headers. */
START_TEST(test_made_headers)
{
	static const uint8_t ip4[] = {
		0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
		192, 0, 2, 1, 198, 51, 100, 7, 0x9c, 0x40, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
	};
	/* IPv6, hop-by-hop options (8 bytes), a fragment header at offset 0, then UDP. */
	uint8_t ip6[40 + 8 + 8 + 8] = { 0x60, 0, 0, 0, 0, 24, ZC_IPPROTO_HOPOPTS, 64 };
	size_t len;

	ip6[40] = ZC_IPPROTO_FRAGMENT;
	ip6[48] = ZC_IPPROTO_UDP;
	ip6[56 + 5] = 8;
	for (len = 0; len <= sizeof ip4; len++)
		same_all(zc_buf_make((void *)ip4, len));
	for (len = 0; len <= sizeof ip6; len++)
		same_all(zc_buf_make(ip6, len));
}
END_TEST

/*
 * Every length field near its bounds against every buffer length around
 * it: IPv4 header and total lengths, the IPv6 payload length, the TCP data
 * offset, the UDP length, the Geneve options and GRE's optional fields.
 */
START_TEST(test_length_bounds)
{
	uint8_t b[MAX_LEN];
	unsigned hi, lo;
	size_t len;

	for (hi = 0; hi < 16; hi++)
		for (lo = 0; lo < 80; lo++)
			for (len = 0; len <= 80; len += 1 + (len > 24) * 3) {
				memset(b, 0, sizeof b);
				b[0] = (uint8_t)(0x40 | hi); /* IPv4: IHL; TCP (byte 12 below): data offset */
				b[3] = (uint8_t)lo;          /* IPv4 total length */
				b[5] = (uint8_t)lo;          /* IPv6 payload length, UDP length */
				b[6] = (uint8_t)(hi & 1 ? ZC_IPPROTO_TCP : ZC_IPPROTO_HOPOPTS);
				b[12] = (uint8_t)(hi << 4);
				same_all(zc_buf_make(b, len));
				b[0] = (uint8_t)(0x60 | (hi & 3)); /* IPv6; Geneve version 1; GRE flags */
				b[1] = (uint8_t)(hi << 4);
				b[41] = (uint8_t)(lo & 7);         /* the hop-by-hop header's length */
				same_all(zc_buf_make(b, len));
				b[0] = (uint8_t)(hi & 0x3f);        /* Geneve version 0, options */
				same_all(zc_buf_make(b, len));
			}
}
END_TEST

/* No buffer, or no view to fill: ZC_E_ARG from both. */
START_TEST(test_null)
{
	uint8_t b[64] = { 0x45 };

	same_all(zc_buf_make(NULL, 0));
	ck_assert_int_eq(zc_eth_parse(zc_buf_make(b, sizeof b), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_ipv6_parse(zc_buf_make(b, sizeof b), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_loop_parse(zc_buf_make(b, sizeof b), true, NULL), ZC_E_ARG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("inline");
	TCase *tc = tcase_create("twins");

	/* A static build has no shared object whose exports could be compared. */
	if (!dlsym(RTLD_DEFAULT, "zc_parse")) {
		fprintf(stderr, "check_inline: libzc's exports are not visible (static build?)\n");
		return 77;
	}
	tcase_add_test(tc, test_random_buffers);
	tcase_add_test(tc, test_made_headers);
	tcase_add_test(tc, test_length_bounds);
	tcase_add_test(tc, test_null);
	suite_add_tcase(s, tc);
	return zc_test_run(s);
}
