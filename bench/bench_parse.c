/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/bench_parse.c - L2 to L4 parsing speed, libzc against the approaches
 * it replaces, over real frames (see bench.h for the job and the sets).
 *
 *   bench_parse [-p PASSES] [-c COLD_FRAMES] [-n HOT_FRAMES] [-f PER_FILE] [-o ONLY] [-s hot|cold|both] [-V] [-H] PCAP...
 *
 * -H puts the sets on transparent huge pages (as DPDK's mempools are).
 * -o runs one contender alone and -V skips the agreement check: with -p 1
 * that is one pass over the hot set, for instruction counts under callgrind.
 *
 * Contenders, each doing the same job per frame:
 *   zc_parse        the one-pass dissector, one frame at a time, asked for
 *                   the outer layers only (ZC_PARSE_OUTER: L2 to L4, the job
 *                   the baseline and DPDK do)
 *   zc_parse_burst  the same over bursts of 32 frames, with prefetch
 *   zc_parse_full   zc_parse dissecting every layer (tunnels, ICMP quotes)
 *   zc_views        the per-layer views chained by hand (eth -> ip -> tcp/udp)
 *                   through the installed headers, as the README shows them:
 *                   the constructors are inlined from <zc.h>, nothing from
 *                   the library's internals
 *   baseline        headers copied into host-order structs (bench/baseline.h)
 *   dpdk            rte_net_get_ptype() then the fields read through DPDK's
 *                   header structs (when built with libdpdk)
 *   floor           not a parser: the job with every offset and kind worked
 *                   out before the pass, so a pass only loads the fields
 *                   and mixes them; what no parser can beat on this machine
 * Every contender's total over a pass must equal the others': frames on
 * which they disagree are dropped from the workload before timing, and
 * counted.
 *
 * The hot set is HOT_FRAMES (default 1,024) frames reused (in cache); the cold set is COLD_FRAMES
 * (default 1,000,000) distinct copies visited in random order (far larger
 * than the last-level cache). Reports the median ns/frame over PASSES passes;
 * contenders take turns pass by pass, so a noisy neighbour hurts all alike.
 */
#define _DEFAULT_SOURCE /* the BSD names of <netinet/tcp.h> the baseline uses */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "baseline.h"
#include "bench.h"
#include "bench_dpdk.h"

#define BURST 32

typedef uint64_t (*pass_fn)(const bench_set *s, size_t reps);
/* Work a contender does on a set before it is timed (none for most). */
typedef void (*prepare_fn)(const bench_set *s);

/* Passes are noinline so that each shows up alone in a profile. */
__attribute__((noinline)) static uint64_t pass_zc_parse(const bench_set *s, size_t reps)
{
	static zc_pkt pk;
	uint64_t acc = 0;
	size_t r, i;

	for (r = 0; r < reps; r++)
		for (i = 0; i < s->n; i++)
			acc += bench_job_zc_parse_flags(s->frames[i], ZC_PARSE_OUTER, &pk);
	return acc;
}

__attribute__((noinline)) static uint64_t pass_zc_parse_full(const bench_set *s, size_t reps)
{
	static zc_pkt pk;
	uint64_t acc = 0;
	size_t r, i;

	for (r = 0; r < reps; r++)
		for (i = 0; i < s->n; i++)
			acc += bench_job_zc_parse(s->frames[i], &pk);
	return acc;
}

__attribute__((noinline)) static uint64_t pass_zc_parse_burst(const bench_set *s, size_t reps)
{
	static zc_pkt pk[BURST];
	uint64_t acc = 0;
	size_t r, i, j;

	for (r = 0; r < reps; r++) {
		for (i = 0; i < s->n; i += BURST) {
			size_t n = s->n - i < BURST ? s->n - i : BURST;

			zc_parse_burst(s->frames + i, n, ZC_DLT_EN10MB, ZC_PARSE_OUTER, pk);
			for (j = 0; j < n; j++)
				acc += bench_job_pkt(&pk[j]);
		}
	}
	return acc;
}

/*
 * The views chained by hand, as a program that knows what it wants does,
 * with the public API alone (bench.h includes only <zc.h>): the
 * constructors are the headers' inline ones.
 */
static inline uint64_t job_zc_views(zc_buf f)
{
	zc_eth e;
	uint64_t src, dst;
	uint16_t et;
	uint8_t proto;
	zc_buf l4;

	if (ZC_UNLIKELY(zc_eth_parse(f, &e) != ZC_OK))
		return 0;
	et = zc_eth_type(e);
	if (ZC_LIKELY(et == ZC_ETH_P_IPV4)) {
		zc_ipv4 v;

		if (ZC_UNLIKELY(zc_ipv4_parse(zc_eth_payload(e), &v) != ZC_OK))
			return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
		src = zc_ipv4_src(v);
		dst = zc_ipv4_dst(v);
		proto = zc_ipv4_proto(v);
		if (ZC_UNLIKELY(zc_ipv4_is_fragment(v)))
			return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
		l4 = zc_ipv4_payload(v);
	} else if (et == ZC_ETH_P_IPV6) {
		zc_ipv6 v;

		if (ZC_UNLIKELY(zc_ipv6_parse(zc_eth_payload(e), &v) != ZC_OK))
			return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
		src = bench_v6(zc_ipv6_src(v));
		dst = bench_v6(zc_ipv6_dst(v));
		proto = zc_ipv6_proto(v);
		if (ZC_UNLIKELY(zc_ipv6_is_fragment(v)))
			return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
		l4 = zc_ipv6_payload(v);
	} else {
		return bench_mix(et, 0, 0, 0, 0, 0, 0, 0);
	}
	if (ZC_LIKELY(proto == ZC_IPPROTO_TCP)) {
		zc_tcp t;

		if (ZC_UNLIKELY(zc_tcp_parse(l4, &t) != ZC_OK))
			return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
		return bench_mix(et, src, dst, proto, zc_tcp_src_port(t), zc_tcp_dst_port(t), zc_tcp_flags(t),
				 (uint32_t)zc_tcp_payload(t).len);
	}
	if (proto == ZC_IPPROTO_UDP) {
		zc_udp u;

		if (ZC_UNLIKELY(zc_udp_parse(l4, &u) != ZC_OK))
			return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
		return bench_mix(et, src, dst, proto, zc_udp_src_port(u), zc_udp_dst_port(u), 0,
				 (uint32_t)zc_udp_payload(u).len);
	}
	return bench_mix(et, src, dst, proto, 0, 0, 0, 0);
}

__attribute__((noinline)) static uint64_t pass_zc_views(const bench_set *s, size_t reps)
{
	uint64_t acc = 0;
	size_t r, i;

	for (r = 0; r < reps; r++)
		for (i = 0; i < s->n; i++)
			acc += job_zc_views(s->frames[i]);
	return acc;
}

__attribute__((noinline)) static uint64_t pass_baseline(const bench_set *s, size_t reps)
{
	uint64_t acc = 0;
	size_t r, i;

	for (r = 0; r < reps; r++)
		for (i = 0; i < s->n; i++)
			acc += bl_job(s->frames[i].p, s->frames[i].len);
	return acc;
}

/*
 * The floor: the job with the answer of every check known in advance. Each
 * frame's offsets and kinds are worked out before the pass (by zc_parse),
 * so a pass only loads the fields the job extracts and mixes them: no
 * parser, however written, can do the job in less.
 */
struct floor_info {
	uint16_t et;
	uint8_t fam;   /* 0 none, 4, 6 */
	uint8_t l4;    /* 0 none, 1 tcp, 2 udp */
	uint8_t proto;
	uint16_t l3off, l4off;
	uint32_t paylen;
};
static struct floor_info *floor_tab;
static const zc_buf *floor_frames;

static void prepare_floor(const bench_set *s)
{
	zc_pkt pk;
	size_t i;

	free(floor_tab);
	floor_tab = calloc(s->n, sizeof *floor_tab);
	if (!floor_tab)
		exit(1);
	floor_frames = s->frames;
	for (i = 0; i < s->n; i++) {
		struct floor_info *fi = &floor_tab[i];
		const zc_layer *l = pk.l;

		zc_parse(s->frames[i], ZC_DLT_EN10MB, ZC_PARSE_OUTER, &pk);
		if (pk.n == 0)
			continue;
		fi->et = zc_eth_type(l[0].v.eth);
		if (pk.n < 2 || (l[1].kind != ZC_L_IPV4 && l[1].kind != ZC_L_IPV6))
			continue;
		fi->fam = l[1].kind == ZC_L_IPV4 ? 4 : 6;
		fi->l3off = (uint16_t)l[1].off;
		fi->proto = fi->fam == 4 ? zc_ipv4_proto(l[1].v.ipv4) : zc_ipv6_proto(l[1].v.ipv6);
		if (pk.n < 3 || (fi->fam == 4 ? zc_ipv4_is_fragment(l[1].v.ipv4) : zc_ipv6_is_fragment(l[1].v.ipv6)))
			continue;
		fi->l4off = (uint16_t)l[2].off;
		if (l[2].kind == ZC_L_TCP) {
			fi->l4 = 1;
			fi->paylen = (uint32_t)zc_tcp_payload(l[2].v.tcp).len;
		} else if (l[2].kind == ZC_L_UDP) {
			fi->l4 = 2;
			fi->paylen = (uint32_t)zc_udp_payload(l[2].v.udp).len;
		}
	}
}

__attribute__((noinline)) static uint64_t pass_floor(const bench_set *s, size_t reps)
{
	uint64_t acc = 0;
	size_t r, i;

	if (floor_frames != s->frames)
		abort(); /* prepare_floor() was not run on this set */
	for (r = 0; r < reps; r++)
		for (i = 0; i < s->n; i++) {
			const struct floor_info *fi = &floor_tab[i];
			const uint8_t *p = s->frames[i].p;
			uint64_t src = 0, dst = 0;
			uint16_t sp = 0, dp = 0;
			uint8_t fl = 0;

			if (fi->fam == 4) {
				src = bench_be32(p + fi->l3off + 12);
				dst = bench_be32(p + fi->l3off + 16);
			} else if (fi->fam == 6) {
				src = bench_v6(p + fi->l3off + 8);
				dst = bench_v6(p + fi->l3off + 24);
			}
			if (fi->l4) {
				sp = zc_load_be16(p + fi->l4off);
				dp = zc_load_be16(p + fi->l4off + 2);
				if (fi->l4 == 1)
					fl = p[fi->l4off + 13];
			}
			acc += bench_mix(fi->et, src, dst, fi->proto, sp, dp, fl, fi->paylen);
		}
	return acc;
}

#ifdef ZC_BENCH_DPDK
static uint64_t pass_dpdk(const bench_set *s, size_t reps)
{
	return bench_dpdk_pass(s->slots, s->n, reps);
}
#endif

struct contender {
	const char *name;
	pass_fn pass;
	prepare_fn prepare;
};

static const struct contender contenders[] = {
	{ "zc_parse", pass_zc_parse, NULL },
	{ "zc_parse_burst", pass_zc_parse_burst, NULL },
	{ "zc_parse_full", pass_zc_parse_full, NULL },
	{ "zc_views", pass_zc_views, NULL },
	{ "baseline", pass_baseline, NULL },
#ifdef ZC_BENCH_DPDK
	{ "dpdk", pass_dpdk, NULL },
#endif
	{ "floor", pass_floor, prepare_floor },
};
#define NCONT (sizeof contenders / sizeof contenders[0])

/*
 * Runs every contender on each frame alone and keeps the frames on which all
 * agree. Returns the number dropped.
 */
static size_t verify_pool(bench_pool *pool)
{
	bench_set one;
	unsigned char *keep = calloc(pool->n, 1);
	size_t i, c, dropped = 0;
	int shown = 0;

	if (!keep || bench_set_make(&one, pool, pool->n, 0) < 0) {
		fprintf(stderr, "bench_parse: out of memory\n");
		exit(1);
	}
#ifdef ZC_BENCH_DPDK
	bench_dpdk_prepare(one.slots, one.frames, one.n);
#endif
	for (i = 0; i < one.n; i++) {
		bench_set f = one;
		uint64_t want;

		f.n = 1;
		f.frames = one.frames + i;
		f.slots = one.slots + i;
		want = contenders[0].pass(&f, 1);
		keep[i] = 1;
		for (c = 1; c < NCONT; c++) {
			uint64_t got;

			if (contenders[c].prepare)
				contenders[c].prepare(&f);
			got = contenders[c].pass(&f, 1);

			if (got != want) {
				keep[i] = 0;
				if (shown++ < 5)
					fprintf(stderr, "bench_parse: frame %zu (%u bytes): %s gives %#llx, %s %#llx: dropped\n",
						i, pool->len[i], contenders[0].name, (unsigned long long)want,
						contenders[c].name, (unsigned long long)got);
			}
		}
		dropped += !keep[i];
	}
	bench_set_free(&one);
	bench_pool_filter(pool, keep);
	free(keep);
	return dropped;
}

/* What kinds of traffic the pool holds, by zc_parse's layers. */
static void describe_pool(const bench_pool *pool)
{
	size_t tcp4 = 0, tcp6 = 0, udp4 = 0, udp6 = 0, icmp = 0, frag = 0, vlan = 0, tun = 0, other = 0;
	size_t bytes = 0, layers = 0, i;
	zc_pkt pk;

	for (i = 0; i < pool->n; i++) {
		unsigned j;
		int v6;

		bytes += pool->len[i];
		zc_parse(zc_buf_make(pool->data[i], pool->len[i]), ZC_DLT_EN10MB, 0, &pk);
		layers += pk.n;
		if (pk.n && zc_eth_ntags(pk.l[0].v.eth))
			vlan++;
		for (j = 1; j < pk.n; j++)
			if (pk.l[j].depth > 0)
				break;
		if (j < pk.n)
			tun++;
		if (pk.n < 2 || (pk.l[1].kind != ZC_L_IPV4 && pk.l[1].kind != ZC_L_IPV6)) {
			other++;
			continue;
		}
		v6 = pk.l[1].kind == ZC_L_IPV6;
		if (v6 ? zc_ipv6_is_fragment(pk.l[1].v.ipv6) : zc_ipv4_is_fragment(pk.l[1].v.ipv4))
			frag++;
		else if (pk.n > 2 && pk.l[2].kind == ZC_L_TCP)
			v6 ? tcp6++ : tcp4++;
		else if (pk.n > 2 && pk.l[2].kind == ZC_L_UDP)
			v6 ? udp6++ : udp4++;
		else if (pk.n > 2 && (pk.l[2].kind == ZC_L_ICMP4 || pk.l[2].kind == ZC_L_ICMP6))
			icmp++;
		else
			other++;
	}
	printf("workload: %zu distinct frames, mean %zu bytes: tcp4 %zu, tcp6 %zu, udp4 %zu, udp6 %zu, "
	       "icmp %zu, fragments %zu, other %zu; with VLAN tags %zu, tunnelled %zu\n",
	       pool->n, pool->n ? bytes / pool->n : 0, tcp4, tcp6, udp4, udp6, icmp, frag, other, vlan, tun);
	/* The job stops at the outer L4; the full dissection goes into every nested layer too. */
	printf("zc_parse dissects %.2f layers a frame on average (the job needs at most 3); "
	       "zc_parse and zc_parse_burst run with ZC_PARSE_OUTER (L2 to L4, the job), "
	       "zc_parse_full without (every layer)\n",
	       pool->n ? (double)layers / (double)pool->n : 0.0);
}

struct result {
	double med_ns, min_ns;
	uint64_t sum;
	int agree;
};

static void run_set(const char *label, const bench_set *s, size_t reps, int passes, const char *only,
		    struct result *res)
{
	double *t = calloc(NCONT * (size_t)passes, sizeof *t);
	size_t c;
	int p;

	if (!t)
		exit(1);
	for (c = 0; c < NCONT; c++) {
		res[c].sum = 0;
		res[c].agree = 1;
		if (contenders[c].prepare && (!only || !strcmp(only, contenders[c].name)))
			contenders[c].prepare(s);
	}
	for (p = 0; p < passes; p++) {
		for (c = 0; c < NCONT; c++) {
			uint64_t t0, sum;

			if (only && strcmp(only, contenders[c].name) != 0)
				continue;
			t0 = bench_now_ns();
			sum = contenders[c].pass(s, reps);
			t[c * passes + p] = (double)(bench_now_ns() - t0) / ((double)s->n * reps);
			if (p == 0)
				res[c].sum = sum;
			else if (sum != res[c].sum)
				res[c].agree = 0;
		}
	}
	for (c = 0; c < NCONT; c++) {
		qsort(t + c * passes, passes, sizeof *t, bench_cmp_double);
		res[c].med_ns = t[c * passes + passes / 2];
		res[c].min_ns = t[c * passes];
	}
	free(t);
	(void)label;
}

static void print_results(const char *label, const bench_set *s, const struct result *res, const char *only)
{
	size_t c, base = 0, dpdk = NCONT, flr = NCONT;
	int agree = 1;

	for (c = 0; c < NCONT; c++) {
		if (!strcmp(contenders[c].name, "baseline"))
			base = c;
		if (!strcmp(contenders[c].name, "dpdk"))
			dpdk = c;
		if (!strcmp(contenders[c].name, "floor"))
			flr = c;
	}
	printf("\n%s set: %zu frames\n", label, s->n);
	printf("  %-16s %10s %10s %12s %8s  %s\n", "contender", "ns/frame", "(min)", "x baseline", "x dpdk",
	       "checksum");
	for (c = 0; c < NCONT; c++) {
		if (only && strcmp(only, contenders[c].name) != 0)
			continue;
		printf("  %-16s %10.2f %10.2f %12.2f", contenders[c].name, res[c].med_ns, res[c].min_ns,
		       only ? 0.0 : res[base].med_ns / res[c].med_ns);
		if (dpdk < NCONT && !only)
			printf(" %8.2f", res[dpdk].med_ns / res[c].med_ns);
		else
			printf(" %8s", "-");
		printf("  %016llx%s\n", (unsigned long long)res[c].sum, res[c].agree ? "" : " (varies between passes!)");
		if (!only && res[c].sum != res[0].sum)
			agree = 0;
	}
	if (!only)
		printf("  contenders %s on the checksum\n", agree ? "agree" : "DISAGREE");
	/* On the cold set the floor does not prefetch, so a parser that does may beat it there. */
	if (!only && flr < NCONT && !strcmp(label, "hot")) {
		printf("  floor: no parser can beat %.2fx baseline", res[base].med_ns / res[flr].med_ns);
		if (dpdk < NCONT)
			printf(" or %.2fx dpdk", res[dpdk].med_ns / res[flr].med_ns);
		printf(" in this run\n");
	}
}

int main(int argc, char **argv)
{
	size_t cold_n = 1000000, hot_n = 1024, per_file = 1000, dropped;
	const char *only = NULL, *sets = "both";
	int passes = 11, opt, verify = 1;
	struct result res[NCONT];
	bench_pool pool;

	while ((opt = getopt(argc, argv, "p:c:n:f:o:s:VH")) != -1) {
		switch (opt) {
		case 'n':
			hot_n = (size_t)atol(optarg);
			break;
		case 'p':
			passes = atoi(optarg);
			break;
		case 'c':
			cold_n = (size_t)atol(optarg);
			break;
		case 'f':
			per_file = (size_t)atol(optarg);
			break;
		case 'o':
			only = optarg;
			break;
		case 's':
			sets = optarg;
			break;
		case 'H':
			bench_hugepages = 1;
			break;
		case 'V':
			verify = 0; /* for profiling one contender alone */
			break;
		default:
			fprintf(stderr, "usage: %s [-p PASSES] [-c COLD_FRAMES] [-n HOT_FRAMES] [-f PER_FILE] [-o CONTENDER] "
					"[-s hot|cold|both] [-V] [-H] PCAP...\n", argv[0]);
			return 2;
		}
	}
	if (passes < 1)
		passes = 1;
	if (hot_n < 1 || cold_n < 1) {
		fprintf(stderr, "bench_parse: the sets need at least one frame\n");
		return 2;
	}
	if (optind >= argc || bench_pool_load(&pool, argv + optind, argc - optind, per_file) < 0) {
		fprintf(stderr, "bench_parse: no Ethernet frames read from the pcap files given\n");
		return 2;
	}
	printf("read %zu frames from %zu Ethernet pcap files (skipped: %zu cut by the snaplen, %zu over %d "
	       "bytes, %zu files of other link types)\n",
	       pool.n, pool.files, pool.skipped_cut, pool.skipped_big, BENCH_MAX_FRAME, pool.skipped_link);
	if (verify) {
		dropped = verify_pool(&pool);
		printf("verified: %zu frames on which the contenders disagree were dropped\n", dropped);
	}
	if (pool.n == 0)
		return 1;
	describe_pool(&pool);
	printf("contenders:");
	for (size_t c = 0; c < NCONT; c++)
		printf(" %s", contenders[c].name);
	printf("\n");

	if (strcmp(sets, "cold") != 0) {
		bench_set hot;
		/* About a million frames a pass, so the clock's resolution does not matter. */
		size_t reps = only && passes == 1 ? 1 : 1000;

		if (bench_set_make(&hot, &pool, hot_n, 1) < 0)
			return 1;
#ifdef ZC_BENCH_DPDK
		bench_dpdk_prepare(hot.slots, hot.frames, hot.n);
#endif
		run_set("hot", &hot, reps, passes, only, res);
		print_results("hot", &hot, res, only);
		bench_set_free(&hot);
	}
	if (strcmp(sets, "hot") != 0) {
		bench_set cold;

		if (bench_set_make(&cold, &pool, cold_n, 1) < 0)
			return 1;
		printf("\n(cold set: %zu MiB of slots)\n", cold.mem_len >> 20);
#ifdef ZC_BENCH_DPDK
		bench_dpdk_prepare(cold.slots, cold.frames, cold.n);
#endif
		run_set("cold", &cold, 1, passes, only, res);
		print_results("cold", &cold, res, only);
		bench_set_free(&cold);
	}
	return 0;
}
