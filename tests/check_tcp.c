/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_tcp.c - TCP headers (RFC 9293): accessors, options through
 * zc_opt_next() and zc_tcp_options() (RFC 7323, RFC 2018), malformed headers
 * and options, and every setter checked against a checksum recomputed from
 * scratch over the IPv4 and the IPv6 pseudo-header.
 */
#include "testutil.h"

/* A fixed-seed xorshift32, so that a failure replays the same way. */
static uint32_t rng_state = 0x3c6ef372u;

static uint32_t rng(void)
{
	return zc_test_rng(&rng_state);
}

/* The pseudo-headers the fixtures' checksums are over (testutil.h). */
static uint32_t ref_pseudo4(size_t len)
{
	return zc_test_fx_pseudo4(ZC_IPPROTO_TCP, len);
}

static uint32_t ref_pseudo6(size_t len)
{
	return zc_test_fx_pseudo6(ZC_IPPROTO_TCP, len);
}

/* The checksum recomputed from scratch over a copy of the segment with the field zeroed. */
static uint16_t ref_tcp_csum(const uint8_t *seg, size_t len, uint32_t pseudo)
{
	return zc_test_ref_csum_zeroed(seg, len, ZC_TCP_CSUM_OFF, pseudo);
}

/* The checksum field is what a recomputation gives, and the library agrees. */
static void check_csum(zc_tcp t, uint32_t pseudo)
{
	uint16_t want = ref_tcp_csum(t.p, t.len, pseudo);

	ck_assert_uint_eq(zc_tcp_csum(t), want);
	ck_assert_uint_eq(zc_tcp_csum_compute(t, pseudo), want);
	ck_assert(zc_tcp_csum_ok(t, pseudo));
}

/* Every length below min gives ZC_E_TRUNCATED. */
static void check_cuts(const uint8_t *fx, size_t min)
{
	size_t n;

	for (n = 0; n < min; n++) {
		zc_buf b = zc_test_dup(fx, n);
		zc_tcp t;

		ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_E_TRUNCATED);
		zc_test_free(b);
	}
}

/*
 * A SYN with the options Linux sends: MSS, SACK permitted, timestamps, NOP,
 * window scale.
 */
static const uint8_t tcp_syn[] = {
	0xc0, 0x00, 0x00, 0x50, /* source port 49152, destination port 80 */
	0x11, 0x11, 0x11, 0x11, /* sequence number 0x11111111 */
	0x00, 0x00, 0x00, 0x00, /* acknowledgment number 0x00000000 */
	0xa0, 0x02, /* data offset 10 (40 bytes); flags 0x02 (SYN) */
	0xfa, 0xf0, /* window 64240 */
	0xcb, 0x00, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x02, 0x04, 0x05, 0xb4, /* MSS 1460 */
	0x04, 0x02, /* SACK permitted */
	0x08, 0x0a, 0x00, 0xa1, 0xb2, 0xc3, 0x00, 0x00, /* timestamps: TSval 0x00a1b2c3, TSecr 0 */
	0x00, 0x00,
	0x01, /* NOP */
	0x03, 0x03, 0x07, /* window scale 7 */
};

/*
 * An ACK with timestamps and two SACK blocks, and 7 bytes of data (an odd
 * length for the checksum).
 */
static const uint8_t tcp_sack[] = {
	0x00, 0x50, 0xc0, 0x00, /* source port 80, destination port 49152 */
	0x22, 0x22, 0x22, 0x22, /* sequence number 0x22222222 */
	0x11, 0x11, 0x11, 0x12, /* acknowledgment number 0x11111112 */
	0xd0, 0x18, /* data offset 13 (52 bytes); flags 0x18 (PSH, ACK) */
	0x01, 0xf5, /* window 501 */
	0xfa, 0x0d, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x01, /* NOP */
	0x01, /* NOP */
	0x08, 0x0a, 0x01, 0x00, 0x00, 0x00, 0x00, 0xa1, /* timestamps: TSval 0x01000000, TSecr 0x00a1b2c3 */
	0xb2, 0xc3,
	0x01, /* NOP */
	0x01, /* NOP */
	0x05, 0x12, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, /* SACK: length 18, blocks 0x1000-0x2000 and 0x3000-0x4000 */
	0x20, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00,
	0x40, 0x00,
	0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, /* payload */
};

/* Options of kinds zc_tcp_options() does not decode, then EOL. */
static const uint8_t tcp_unknown[] = {
	0x04, 0xd2, 0x16, 0x2e, /* source port 1234, destination port 5678 */
	0x33, 0x33, 0x33, 0x33, /* sequence number 0x33333333 */
	0x44, 0x44, 0x44, 0x44, /* acknowledgment number 0x44444444 */
	0x90, 0x10, /* data offset 9 (36 bytes); flags 0x10 (ACK) */
	0x03, 0xe8, /* window 1000 */
	0x25, 0x13, /* checksum */
	0x00, 0x00, /* urgent pointer 0 */
	0x1e, 0x04, 0x00, 0x81, /* kind 30 (MPTCP), length 4: unknown here */
	0x22, 0x0a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, /* kind 34 (TFO cookie), length 10: unknown here */
	0x07, 0x08,
	0x00, /* end of option list */
	0x00, /* padding */
};

/* Every flag but SYN and RST, the NS bit (RFC 3540), and an urgent pointer. */
static const uint8_t tcp_urg_ns[] = {
	0x0f, 0xa0, 0x00, 0x17, /* source port 4000, destination port 23 */
	0x55, 0x55, 0x55, 0x55, /* sequence number 0x55555555 */
	0x66, 0x66, 0x66, 0x66, /* acknowledgment number 0x66666666 */
	0x51, 0xf9, /* data offset 5 (20 bytes), NS; flags 0xf9 (CWR, ECE, URG, ACK, PSH, FIN) */
	0x20, 0x00, /* window 8192 */
	0xae, 0x2f, /* checksum */
	0x00, 0x03, /* urgent pointer 3 */
	0x75, 0x72, 0x67, 0x65, 0x6e, 0x74, 0x21, /* payload */
};

START_TEST(syn_with_options)
{
	static const struct {
		uint8_t kind, len;
		size_t off; /* of the option in the segment */
	} want[] = {
		{ ZC_TCP_OPT_MSS, 4, 20 }, { ZC_TCP_OPT_SACK_PERM, 2, 24 }, { ZC_TCP_OPT_TS, 10, 26 },
		{ ZC_TCP_OPT_NOP, 1, 36 }, { ZC_TCP_OPT_WSCALE, 3, 37 },
	};
	zc_buf b = zc_test_dup(tcp_syn, sizeof tcp_syn);
	zc_tcp_optset os;
	zc_opt_iter it;
	zc_opt o;
	zc_tcp t;
	size_t i;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	ck_assert_uint_eq(zc_tcp_src_port(t), 49152);
	ck_assert_uint_eq(zc_tcp_dst_port(t), 80);
	ck_assert_uint_eq(zc_tcp_seq(t), 0x11111111);
	ck_assert_uint_eq(zc_tcp_ack(t), 0);
	ck_assert_uint_eq(zc_tcp_hdr_len(t), 40);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_SYN);
	ck_assert_uint_eq(zc_tcp_flags_all(t), ZC_TCP_SYN);
	ck_assert_uint_eq(zc_tcp_window(t), 64240);
	ck_assert_uint_eq(zc_tcp_csum(t), 0xcb00);
	ck_assert_uint_eq(zc_tcp_urgent(t), 0);
	ck_assert_ptr_eq(zc_tcp_payload(t).p, b.p + 40);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 0);
	ck_assert_uint_eq(zc_tcp_seg_len(t), 40);
	check_csum(t, ref_pseudo4(zc_tcp_seg_len(t)));

	it = zc_tcp_opts(t);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_int_eq(zc_opt_next(&it, &o), 1);
		ck_assert_uint_eq(o.kind, want[i].kind);
		ck_assert_uint_eq(o.len, want[i].len);
		if (o.kind == ZC_TCP_OPT_NOP)
			ck_assert_ptr_null(o.data);
		else
			ck_assert_ptr_eq(o.data, b.p + want[i].off + 2);
	}
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);

	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(os.has_mss);
	ck_assert_uint_eq(os.mss, 1460);
	ck_assert(os.has_sack_perm);
	ck_assert(os.has_ts);
	ck_assert_uint_eq(os.tsval, 0x00a1b2c3);
	ck_assert_uint_eq(os.tsecr, 0);
	ck_assert(os.has_wscale);
	ck_assert_uint_eq(os.wscale, 7);
	ck_assert_uint_eq(os.nsack, 0);
	zc_test_free(b);
	check_cuts(tcp_syn, sizeof tcp_syn);
}
END_TEST

START_TEST(sack_blocks_and_timestamps)
{
	zc_buf b = zc_test_dup(tcp_sack, sizeof tcp_sack);
	zc_tcp_optset os;
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	ck_assert_uint_eq(zc_tcp_hdr_len(t), 52);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_PSH | ZC_TCP_ACK);
	ck_assert_uint_eq(zc_tcp_ack(t), 0x11111112);
	ck_assert_ptr_eq(zc_tcp_payload(t).p, b.p + 52);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 7);
	ck_assert_mem_eq(zc_tcp_payload(t).p, "payload", 7);
	check_csum(t, ref_pseudo4(t.len));
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(!os.has_mss && !os.has_wscale && !os.has_sack_perm);
	ck_assert(os.has_ts);
	ck_assert_uint_eq(os.tsval, 0x01000000);
	ck_assert_uint_eq(os.tsecr, 0x00a1b2c3);
	ck_assert_uint_eq(os.nsack, 2);
	ck_assert_uint_eq(os.sack[0][0], 0x1000);
	ck_assert_uint_eq(os.sack[0][1], 0x2000);
	ck_assert_uint_eq(os.sack[1][0], 0x3000);
	ck_assert_uint_eq(os.sack[1][1], 0x4000);
	zc_test_free(b);
	check_cuts(tcp_sack, 52);
}
END_TEST

START_TEST(four_sack_blocks_in_two_options)
{
	/* 40 bytes of options hold at most four blocks, here split 3 + 1. */
	static const uint8_t opts[] = {
		0x05, 0x1a,             /* SACK, length 26: three blocks */
		0, 0, 0, 1, 0, 0, 0, 2, /* block 1 */
		0, 0, 0, 3, 0, 0, 0, 4, /* block 2 */
		0, 0, 0, 5, 0, 0, 0, 6, /* block 3 */
		0x05, 0x0a,             /* SACK, length 10: one block */
		0, 0, 0, 7, 0, 0, 0, 8, /* block 4 */
		0x01, 0x01, 0x01, 0x01, /* NOPs */
	};
	uint8_t seg[60];
	zc_tcp_optset os;
	zc_tcp t;
	unsigned i;

	memcpy(seg, tcp_syn, 20);
	seg[ZC_TCP_DOFF_OFF] = 0xf0;
	memcpy(seg + 20, opts, sizeof opts);
	ck_assert_int_eq(zc_tcp_parse(zc_buf_make(seg, sizeof seg), &t), ZC_OK);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert_uint_eq(os.nsack, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(os.sack[i][0], 2 * i + 1);
		ck_assert_uint_eq(os.sack[i][1], 2 * i + 2);
	}
}
END_TEST

START_TEST(unknown_kinds_are_skipped)
{
	zc_buf b = zc_test_dup(tcp_unknown, sizeof tcp_unknown);
	zc_tcp_optset os;
	zc_opt_iter it;
	zc_opt o;
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	check_csum(t, ref_pseudo4(t.len));
	it = zc_tcp_opts(t);
	ck_assert_int_eq(zc_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.kind, 30);
	ck_assert_uint_eq(o.len, 4);
	ck_assert_uint_eq(zc_load_be16(o.data), 0x0081);
	ck_assert_int_eq(zc_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.kind, 34);
	ck_assert_uint_eq(o.len, 10);
	ck_assert_uint_eq(o.data[7], 0x08);
	ck_assert_int_eq(zc_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.kind, ZC_TCP_OPT_EOL);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(!os.has_mss && !os.has_wscale && !os.has_sack_perm && !os.has_ts);
	ck_assert_uint_eq(os.nsack, 0);
	zc_test_free(b);
	check_cuts(tcp_unknown, sizeof tcp_unknown);
}
END_TEST

START_TEST(flags_ns_and_urgent_pointer)
{
	zc_buf b = zc_test_dup(tcp_urg_ns, sizeof tcp_urg_ns);
	zc_tcp_optset os;
	zc_opt_iter it;
	zc_opt o;
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	ck_assert_uint_eq(zc_tcp_hdr_len(t), 20);
	ck_assert_uint_eq(zc_tcp_flags(t),
			  ZC_TCP_CWR | ZC_TCP_ECE | ZC_TCP_URG | ZC_TCP_ACK | ZC_TCP_PSH | ZC_TCP_FIN);
	ck_assert_uint_eq(zc_tcp_flags_all(t), ZC_TCP_NS | 0xf9);
	ck_assert_uint_eq(zc_tcp_urgent(t), 3);
	ck_assert_uint_eq(zc_tcp_payload(t).len, 7);
	check_csum(t, ref_pseudo4(t.len));
	/* No options: an empty walk, an empty set. */
	it = zc_tcp_opts(t);
	ck_assert_int_eq(zc_opt_next(&it, &o), 0);
	ck_assert_int_eq(zc_tcp_options(t, &os), ZC_OK);
	ck_assert(!os.has_mss && !os.has_ts);
	zc_test_free(b);
	check_cuts(tcp_urg_ns, 20);
}
END_TEST

/* A 32-byte header (doff 8) whose 12 option bytes each case supplies. */
static zc_buf with_options(const uint8_t opts[12])
{
	uint8_t seg[32];

	memcpy(seg, tcp_syn, 20);
	seg[ZC_TCP_DOFF_OFF] = 0x80;
	memcpy(seg + 20, opts, 12);
	return zc_test_dup(seg, sizeof seg);
}

START_TEST(known_kinds_with_wrong_lengths)
{
	static const struct {
		uint8_t opts[12];
		bool wscale_before; /* a good window scale precedes the bad option */
	} cases[] = {
		{ { 0x03, 0x03, 0x07, 0x02, 0x03, 0x05, 0, 0, 0, 0, 0, 0 }, true }, /* WS; MSS of length 3 */
		{ { 0x02, 0x06, 0x05, 0xb4, 0x00, 0x00, 0, 0, 0, 0, 0, 0 }, false }, /* MSS of length 6 */
		{ { 0x03, 0x04, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 }, false },       /* WS of length 4 */
		{ { 0x03, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, false },             /* WS of length 2 */
		{ { 0x03, 0x03, 0x07, 0x04, 0x03, 0x00, 0, 0, 0, 0, 0, 0 }, true },  /* WS; SACK-perm of length 3 */
		{ { 0x05, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, false },             /* SACK with no block */
		{ { 0x05, 0x09, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1 }, false },             /* SACK of length 9; NOPs */
		{ { 0x05, 0x0b, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0 }, false },             /* SACK of length 11 */
		{ { 0x08, 0x08, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, false },             /* TS of length 8 */
		{ { 0x03, 0x03, 0x0e, 0x08, 0x09, 0, 0, 0, 1, 0, 0, 0 }, true },     /* WS; TS of length 9 */
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		zc_buf b = with_options(cases[i].opts);
		zc_tcp_optset os;
		zc_opt_iter it;
		zc_opt o;
		zc_tcp t;
		int r;

		ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
		ck_assert_int_eq(zc_tcp_options(t, &os), ZC_E_OPTION);
		/* What was decoded before the bad option stays. */
		ck_assert(os.has_wscale == cases[i].wscale_before);
		if (cases[i].wscale_before)
			ck_assert_uint_ne(os.wscale, 0);
		ck_assert(!os.has_mss && !os.has_ts && !os.has_sack_perm);
		ck_assert_uint_eq(os.nsack, 0);
		/* The plain walk does not judge lengths by kind: it steps over them. */
		it = zc_tcp_opts(t);
		while ((r = zc_opt_next(&it, &o)) == 1)
			;
		ck_assert_msg(r == 0, "case %zu: walk ended with %d", i, r);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(malformed_option_lists)
{
	static const struct {
		uint8_t opts[12];
		unsigned good; /* items before the bad one */
	} cases[] = {
		{ { 0x01, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1 },         /* NOP; MSS of length 1 */
		{ { 0x1e, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0 },            /* kind 30 of length 0 */
		{ { 0x01, 0x01, 0x08, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0 }, 2 },      /* NOP NOP; TS of length 12, 10 left */
		{ { 0x05, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0 },            /* SACK of length 18, 12 left */
		{ { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x02 }, 11 },               /* 11 NOPs; MSS without its length byte */
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		zc_buf b = with_options(cases[i].opts);
		zc_tcp_optset os;
		zc_opt_iter it;
		zc_opt o;
		zc_tcp t;
		unsigned k;

		ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
		it = zc_tcp_opts(t);
		for (k = 0; k < cases[i].good; k++)
			ck_assert_int_eq(zc_opt_next(&it, &o), 1);
		ck_assert_int_eq(zc_opt_next(&it, &o), ZC_E_OPTION);
		ck_assert_int_eq(zc_opt_next(&it, &o), 0);
		ck_assert_int_eq(zc_opt_next(&it, &o), 0);
		ck_assert_int_eq(zc_tcp_options(t, &os), ZC_E_OPTION);
		zc_test_free(b);
	}
}
END_TEST

START_TEST(data_offset_below_five)
{
	uint8_t seg[24];
	unsigned doff;

	memcpy(seg, tcp_urg_ns, sizeof seg);
	for (doff = 0; doff < 5; doff++) {
		size_t n;

		seg[ZC_TCP_DOFF_OFF] = (uint8_t)(doff << 4);
		for (n = 20; n <= sizeof seg; n++) {
			zc_buf b = zc_test_dup(seg, n);
			zc_tcp t;

			ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_E_HDR_LEN);
			zc_test_free(b);
		}
		check_cuts(seg, 20);
	}
}
END_TEST

START_TEST(data_offset_past_the_segment)
{
	uint8_t seg[59];

	/* Data offset 15 declares 60 bytes: a segment of 59 or fewer is cut. */
	memset(seg, ZC_TCP_OPT_NOP, sizeof seg);
	memcpy(seg, tcp_urg_ns, 20);
	seg[ZC_TCP_DOFF_OFF] = 0xf0;
	check_cuts(seg, sizeof seg + 1);
}
END_TEST

/* Applies random setters to a copy of fx whose checksum is over pseudo, checking each. */
static void fuzz_setters(const uint8_t *fx, size_t len, bool v6)
{
	zc_buf b = zc_test_dup(fx, len);
	uint32_t ph = v6 ? ref_pseudo6(len) : ref_pseudo4(len);
	zc_tcp t;
	int i;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	if (v6)
		zc_store_be16(zc_test_w(b).p + ZC_TCP_CSUM_OFF, ref_tcp_csum(b.p, b.len, ph));
	check_csum(t, ph);
	for (i = 0; i < 6000; i++) {
		uint32_t r = rng();
		uint8_t doff = b.p[ZC_TCP_DOFF_OFF];

		if (i % 13 == 0)
			r = 0;
		else if (i % 13 == 1)
			r = 0xffffffffu;
		switch (i % 6) {
		case 0:
			zc_tcp_set_src_port(zc_test_rw_tcp(t), (uint16_t)r);
			ck_assert_uint_eq(zc_tcp_src_port(t), (uint16_t)r);
			break;
		case 1:
			zc_tcp_set_dst_port(zc_test_rw_tcp(t), (uint16_t)r);
			ck_assert_uint_eq(zc_tcp_dst_port(t), (uint16_t)r);
			break;
		case 2:
			zc_tcp_set_seq(zc_test_rw_tcp(t), r);
			ck_assert_uint_eq(zc_tcp_seq(t), r);
			break;
		case 3:
			zc_tcp_set_ack(zc_test_rw_tcp(t), r);
			ck_assert_uint_eq(zc_tcp_ack(t), r);
			break;
		case 4:
			zc_tcp_set_window(zc_test_rw_tcp(t), (uint16_t)r);
			ck_assert_uint_eq(zc_tcp_window(t), (uint16_t)r);
			break;
		default:
			zc_tcp_set_flags(zc_test_rw_tcp(t), (uint8_t)r);
			ck_assert_uint_eq(zc_tcp_flags(t), (uint8_t)r);
			break;
		}
		/* The data offset and the NS bit share a byte with nothing a setter writes. */
		ck_assert_uint_eq(b.p[ZC_TCP_DOFF_OFF], doff);
		check_csum(t, ph);
	}
	/* Options and payload have not moved. */
	ck_assert_mem_eq(b.p + 20, fx + 20, len - 20);
	zc_test_free(b);
}

START_TEST(setters_keep_the_checksum_over_ipv4)
{
	fuzz_setters(tcp_sack, sizeof tcp_sack, false);
	fuzz_setters(tcp_urg_ns, sizeof tcp_urg_ns, false);
	fuzz_setters(tcp_syn, sizeof tcp_syn, false);
}
END_TEST

START_TEST(setters_keep_the_checksum_over_ipv6)
{
	fuzz_setters(tcp_sack, sizeof tcp_sack, true);
	fuzz_setters(tcp_urg_ns, sizeof tcp_urg_ns, true);
}
END_TEST

START_TEST(set_flags_keeps_ns_and_data_offset)
{
	zc_buf b = zc_test_dup(tcp_urg_ns, sizeof tcp_urg_ns);
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	zc_tcp_set_flags(zc_test_rw_tcp(t), ZC_TCP_RST);
	ck_assert_uint_eq(zc_tcp_flags(t), ZC_TCP_RST);
	ck_assert_uint_eq(zc_tcp_flags_all(t), ZC_TCP_NS | ZC_TCP_RST);
	ck_assert_uint_eq(zc_tcp_hdr_len(t), 20);
	check_csum(t, ref_pseudo4(t.len));
	zc_test_free(b);
}
END_TEST

START_TEST(setter_reaching_a_zero_checksum_writes_plus_zero)
{
	zc_buf b = zc_test_dup(tcp_sack, sizeof tcp_sack);
	uint32_t ph = ref_pseudo4(sizeof tcp_sack), port;
	uint8_t probe[sizeof tcp_sack];
	bool found = false;
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	/* Find the source port for which the checksum comes out 0. */
	memcpy(probe, tcp_sack, sizeof probe);
	for (port = 0; port <= 0xffff && !found; port++) {
		zc_store_be16(probe, (uint16_t)port);
		found = ref_tcp_csum(probe, sizeof probe, ph) == 0;
	}
	ck_assert(found);
	zc_tcp_set_src_port(zc_test_rw_tcp(t), (uint16_t)(port - 1));
	/* TCP has no "no checksum" value: 0000, not the ffff of RFC 1141's -0. */
	ck_assert_uint_eq(zc_tcp_csum(t), 0x0000);
	check_csum(t, ph);
	zc_tcp_set_window(zc_test_rw_tcp(t), 1);
	check_csum(t, ph);
	zc_test_free(b);
}
END_TEST

START_TEST(csum_compute_and_fill)
{
	zc_buf b = zc_test_dup(tcp_sack, sizeof tcp_sack);
	uint32_t ph = ref_pseudo4(sizeof tcp_sack);
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	/* compute ignores what the field holds. */
	zc_store_be16(zc_test_w(b).p + ZC_TCP_CSUM_OFF, 0x1234);
	ck_assert_uint_eq(zc_tcp_csum_compute(t, ph), 0xfa0d);
	ck_assert(!zc_tcp_csum_ok(t, ph));
	zc_tcp_csum_fill(zc_test_rw_tcp(t), ph);
	ck_assert_uint_eq(zc_tcp_csum(t), 0xfa0d);
	ck_assert(zc_tcp_csum_ok(t, ph));
	/* The pseudo-header counts: the same bytes over IPv6 do not verify. */
	ck_assert(!zc_tcp_csum_ok(t, ref_pseudo6(sizeof tcp_sack)));
	/* The last, odd byte of the payload counts. */
	zc_test_w(b).p[b.len - 1] ^= 1;
	ck_assert(!zc_tcp_csum_ok(t, ph));
	zc_tcp_csum_fill(zc_test_rw_tcp(t), ph);
	check_csum(t, ph);
	zc_test_free(b);
}
END_TEST

/* A partial checksum, completed as an offload would, is the full one. */
START_TEST(csum_partial_fill_completes_to_the_checksum)
{
	zc_buf b = zc_test_dup(tcp_sack, sizeof tcp_sack);
	uint32_t ph = ref_pseudo4(sizeof tcp_sack);
	zc_tcp t;

	ck_assert_int_eq(zc_tcp_parse(b, &t), ZC_OK);
	zc_tcp_csum_partial_fill(zc_test_rw_tcp(t), ph);
	ck_assert_uint_eq(zc_tcp_csum(t), (uint16_t)zc_csum_fold(ph));
	ck_assert(!zc_tcp_csum_ok(t, ph));
	zc_store_be16(zc_test_w(b).p + ZC_TCP_CSUM_OFF, zc_csum(b.p, b.len));
	ck_assert(zc_tcp_csum_ok(t, ph));
	ck_assert_uint_eq(zc_tcp_csum(t), 0xfa0d);
	zc_test_free(b);
}
END_TEST

START_TEST(misuse_is_an_argument_error)
{
	uint8_t seg[sizeof tcp_syn];
	zc_tcp t;

	memcpy(seg, tcp_syn, sizeof seg);
	ck_assert_int_eq(zc_tcp_parse(zc_buf_make(seg, sizeof seg), NULL), ZC_E_ARG);
	ck_assert_int_eq(zc_tcp_parse(zc_buf_make(NULL, sizeof seg), &t), ZC_E_ARG);
	ck_assert_int_eq(zc_tcp_parse((zc_buf){ NULL, sizeof seg }, &t), ZC_E_ARG);
#if SIZE_MAX > UINT32_MAX
	/* The view cannot describe a segment of 4 GiB or more; nothing past 20 bytes is read. */
	ck_assert_int_eq(zc_tcp_parse((zc_buf){ seg, (size_t)UINT32_MAX + 1 }, &t), ZC_E_ARG);
#endif
}
END_TEST

static Suite *tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, syn_with_options);
	tcase_add_test(tc, sack_blocks_and_timestamps);
	tcase_add_test(tc, four_sack_blocks_in_two_options);
	tcase_add_test(tc, unknown_kinds_are_skipped);
	tcase_add_test(tc, flags_ns_and_urgent_pointer);
	tcase_add_test(tc, known_kinds_with_wrong_lengths);
	tcase_add_test(tc, malformed_option_lists);
	tcase_add_test(tc, data_offset_below_five);
	tcase_add_test(tc, data_offset_past_the_segment);
	tcase_add_test(tc, setters_keep_the_checksum_over_ipv4);
	tcase_add_test(tc, setters_keep_the_checksum_over_ipv6);
	tcase_add_test(tc, set_flags_keeps_ns_and_data_offset);
	tcase_add_test(tc, setter_reaching_a_zero_checksum_writes_plus_zero);
	tcase_add_test(tc, csum_compute_and_fill);
	tcase_add_test(tc, csum_partial_fill_completes_to_the_checksum);
	tcase_add_test(tc, misuse_is_an_argument_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return zc_test_run(tcp_suite());
}
