/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_tins.cc - libtins doing the job of bench_parse (see bench.h),
 * with zc_parse measured in the same run over the same frames for the ratio.
 *
 *   bench_tins [-p PASSES] [-f PER_FILE] PCAP...
 *
 * libtins builds a PDU object chain per frame (EthernetII, Dot1Q, IP/IPv6,
 * TCP/UDP, RawPDU), which is its documented way to read a frame. Frames on
 * which libtins and zc_parse disagree are dropped first, and counted.
 */
#include <tins/tins.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <unistd.h>

#include "bench.h"

using namespace Tins;

static uint64_t job_tins(const uint8_t *p, size_t len)
{
	try {
		EthernetII eth(p, (uint32_t)len);
		uint16_t et = eth.payload_type();
		const PDU *in = eth.inner_pdu();
		uint64_t src, dst;
		uint8_t proto;
		bool frag;

		while (in && in->pdu_type() == PDU::DOT1Q) {
			et = static_cast<const Dot1Q *>(in)->payload_type();
			in = in->inner_pdu();
		}
		if (!in)
			return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
		if (in->pdu_type() == PDU::IP) {
			const IP *ip = static_cast<const IP *>(in);

			src = __builtin_bswap32((uint32_t)ip->src_addr());
			dst = __builtin_bswap32((uint32_t)ip->dst_addr());
			proto = ip->protocol();
			frag = ip->is_fragmented();
		} else if (in->pdu_type() == PDU::IPv6) {
			const IPv6 *ip6 = static_cast<const IPv6 *>(in);
			const IPv6::ext_header *fh = ip6->search_header(IPv6::FRAGMENT);
			const PDU *up = ip6->inner_pdu();

			src = bench_v6(ip6->src_addr().begin());
			dst = bench_v6(ip6->dst_addr().begin());
			proto = ip6->next_header();
			if (up && up->pdu_type() == PDU::TCP)
				proto = 6;
			else if (up && up->pdu_type() == PDU::UDP)
				proto = 17;
			else if (up && up->pdu_type() == PDU::ICMPv6)
				proto = 58;
			frag = false;
			if (fh && fh->data_size() >= 6) {
				/* The offset and M flag sit before the 32-bit identification. */
				const uint8_t *d = fh->data_ptr() + fh->data_size() - 6;
				frag = ((d[0] << 8 | d[1]) & 0xfff9) != 0;
			}
		} else {
			return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
		}
		if (frag)
			return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
		in = in->inner_pdu();
		if (in && in->pdu_type() == PDU::TCP) {
			const TCP *t = static_cast<const TCP *>(in);
			uint32_t pl = t->inner_pdu() ? t->inner_pdu()->size() : 0;

			return bench_mix(et, src, dst, proto, t->sport(), t->dport(), (uint8_t)(t->flags() & 0xff), pl);
		}
		if (in && in->pdu_type() == PDU::UDP) {
			const UDP *u = static_cast<const UDP *>(in);

			return bench_mix(et, src, dst, proto, u->sport(), u->dport(), 0, (uint32_t)(u->length() - 8));
		}
		return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
	} catch (const std::exception &) {
		return 0;
	}
}

static uint64_t pass_tins(const bench_set *s, size_t reps)
{
	uint64_t acc = 0;

	for (size_t r = 0; r < reps; r++)
		for (size_t i = 0; i < s->n; i++)
			acc += job_tins(s->frames[i].p, s->frames[i].len);
	return acc;
}

static uint64_t pass_zc(const bench_set *s, size_t reps)
{
	static zc_pkt pk;
	uint64_t acc = 0;

	for (size_t r = 0; r < reps; r++)
		for (size_t i = 0; i < s->n; i++)
			acc += bench_job_zc_parse(s->frames[i], &pk);
	return acc;
}

int main(int argc, char **argv)
{
	size_t per_file = 1000;
	int passes = 5, opt;
	bench_pool pool;

	while ((opt = getopt(argc, argv, "p:f:")) != -1) {
		if (opt == 'p')
			passes = std::max(1, atoi(optarg));
		else if (opt == 'f')
			per_file = (size_t)atol(optarg);
		else
			return 2;
	}
	if (optind >= argc || bench_pool_load(&pool, argv + optind, argc - optind, per_file) < 0) {
		fprintf(stderr, "bench_tins: no Ethernet frames read\n");
		return 2;
	}
	std::vector<unsigned char> keep(pool.n);
	size_t dropped = 0;
	zc_pkt pk;
	for (size_t i = 0; i < pool.n; i++) {
		zc_buf f = zc_buf_make(pool.data[i], pool.len[i]);
		keep[i] = job_tins(pool.data[i], pool.len[i]) == bench_job_zc_parse(f, &pk);
		if (!keep[i] && dropped < 5)
			fprintf(stderr, "bench_tins: frame %zu (%u bytes, %u layers, layer 1 %s): libtins differs\n", i,
				pool.len[i], pk.n, pk.n > 1 ? zc_layer_kind_name(pk.l[1].kind) : "-");
		dropped += !keep[i];
	}
	bench_pool_filter(&pool, keep.data());
	printf("libtins: %zu frames, %zu dropped where libtins and zc_parse disagree\n", pool.n, dropped);

	bench_set hot;
	if (bench_set_make(&hot, &pool, 1024, 1) < 0)
		return 1;
	std::vector<double> tz, tt;
	uint64_t sz = 0, st = 0;
	bool agree = pass_zc(&hot, 1) == pass_tins(&hot, 1);
	for (int p = 0; p < passes; p++) {
		uint64_t t0 = bench_now_ns();
		sz = pass_zc(&hot, 1000);
		uint64_t t1 = bench_now_ns();
		st = pass_tins(&hot, 20);
		uint64_t t2 = bench_now_ns();
		tz.push_back((double)(t1 - t0) / (1000.0 * hot.n));
		tt.push_back((double)(t2 - t1) / (20.0 * hot.n));
	}
	std::sort(tz.begin(), tz.end());
	std::sort(tt.begin(), tt.end());
	printf("\nhot set: %zu frames (libtins)\n", hot.n);
	printf("  %-16s %10.2f ns/frame\n", "zc_parse", tz[tz.size() / 2]);
	printf("  %-16s %10.2f ns/frame   (zc_parse %.1fx faster); checksums %s\n", "libtins", tt[tt.size() / 2],
	       tt[tt.size() / 2] / tz[tz.size() / 2], agree ? "agree" : "DISAGREE");
	(void)sz;
	(void)st;
	bench_set_free(&hot);
	return 0;
}
