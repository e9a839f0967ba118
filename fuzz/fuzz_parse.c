/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz/fuzz_parse.c - zc_parse(), the one-pass dissector, for every link type.
 *
 * Input: one selector byte, then the frame. The selector picks the link type
 * from the table below (the order fuzz/mkseeds.py writes); the last entry is
 * a link type zc_parse() does not support. Each frame is parsed without and
 * with ZC_PARSE_LAX and checked by fuzz/pktcheck.h: the layers agree with a
 * layer-by-layer parse by the per-protocol functions, every view lies inside
 * the frame, errors and cuts are reported where they happen.
 */
#include "driver.h"
#include "pktcheck.h"

#include <sys/mman.h>

static const int parse_linktypes[] = {
	ZC_DLT_EN10MB, ZC_DLT_RAW, ZC_DLT_RAW_BSD, ZC_LINKTYPE_RAW, ZC_LINKTYPE_IPV4, ZC_LINKTYPE_IPV6,
	ZC_DLT_NULL, ZC_DLT_LOOP, ZC_DLT_LINUX_SLL, ZC_DLT_LINUX_SLL2,
	147, /* LINKTYPE_USER0: unsupported */
};
#define N_LINKTYPES (sizeof parse_linktypes / sizeof parse_linktypes[0])

/* The argument checks, once per process (see views_args() in fuzz_views.c). */
static void parse_args(void)
{
	static bool done;
	static zc_pkt pk;
	uint8_t byte[64] = { 0 };
	zc_buf one = zc_buf_make(byte, sizeof byte);

	if (done)
		return;
	done = true;
	ZC_FUZZ_CHECK(zc_parse(one, ZC_DLT_EN10MB, 0, NULL) == ZC_E_ARG, "zc_parse with no zc_pkt");
	ZC_FUZZ_CHECK(zc_parse_burst(NULL, 1, ZC_DLT_EN10MB, 0, &pk) == ZC_E_ARG, "zc_parse_burst with no frames");
	ZC_FUZZ_CHECK(zc_parse_burst(&one, 1, ZC_DLT_EN10MB, 0, NULL) == ZC_E_ARG, "zc_parse_burst with no zc_pkt");
	ZC_FUZZ_CHECK(zc_parse_burst(NULL, 0, ZC_DLT_EN10MB, 0, NULL) == ZC_OK, "zc_parse_burst of nothing");
	{
		/* A burst longer than the prefetch distance: the same as one parse per frame. */
		static zc_pkt many[12];
		zc_buf frames[12];
		unsigned i;

		byte[12] = 0x08; /* IPv4 after the Ethernet header: a truncated one */
		for (i = 0; i < 12; i++)
			frames[i] = zc_buf_make(byte, 14 + i * 4);
		ZC_FUZZ_CHECK(zc_parse_burst(frames, 12, ZC_DLT_EN10MB, 0, many) == ZC_E_TRUNCATED,
			      "zc_parse_burst does not return the first error");
		for (i = 0; i < 12; i++)
			ZC_FUZZ_CHECK(zc_parse(frames[i], ZC_DLT_EN10MB, 0, &pk) == many[i].err && pk.n == many[i].n,
				      "zc_parse_burst frame %u differs from zc_parse", i);
	}
#if SIZE_MAX > UINT32_MAX
	{
		size_t huge = (size_t)UINT32_MAX + 4096;
		uint8_t *m = mmap(NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (m == MAP_FAILED)
			return;
		ZC_FUZZ_CHECK(zc_parse(zc_buf_make(m, huge), ZC_DLT_EN10MB, 0, &pk) == ZC_E_ARG && pk.n == 0 &&
				      pk.err == ZC_E_ARG,
			      "zc_parse of a frame over 4 GiB");
		munmap(m, huge);
	}
#endif
}

void zc_fuzz_one(const uint8_t *data, size_t size)
{
	int linktype;

	parse_args();
	if (size < 1)
		return;
	linktype = parse_linktypes[data[0] % N_LINKTYPES];
	/* The frame starts after the selector; the driver's copy is ours to view. */
	pktcheck_frame(zc_buf_make((void *)(data + 1), size - 1), linktype);
}
