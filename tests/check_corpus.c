/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tests/check_corpus.c - real captures through the views, layer by layer.
 *
 * Every Ethernet file of the tcpdump test corpus (ZC_CORPUS_DIR, many files
 * deliberately malformed) and of tests/data is read with libpcap; each frame
 * is copied to a buffer of exactly its captured length (so AddressSanitizer
 * sees any over-read) and parsed Ethernet -> ARP / IPv4 / IPv6 -> ICMP /
 * TCP / UDP. Every view's spans must lie inside the frame, every frame must
 * be accounted for exactly once, and for files whose contents are known the
 * layer counts must match.
 */
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>

#include "testutil.h"

struct tally {
	unsigned long frames, eth, vlan, arp, ipv4, ipv6, frag, icmp4, icmp6, tcp, udp;
	unsigned long other;              /* frames whose walk ended at a protocol not walked here */
	unsigned long err[1 - ZC_ERR_MIN]; /* frames whose walk ended at an error, by code */
};

/* The span s lies inside [lo, lo + n). */
#define ASSERT_INSIDE(s, lo, n)                                                          \
	ck_assert_msg((s).p >= (lo) && (size_t)((s).p - (lo)) <= (n) &&                   \
			      (s).len <= (n) - (size_t)((s).p - (lo)),                    \
		      "span outside the frame")

static void count_err(struct tally *t, zc_err e)
{
	ck_assert_int_lt(e, 0);
	ck_assert_int_ge(e, ZC_ERR_MIN);
	t->err[-e]++;
}

static void walk_l4(struct tally *t, uint8_t proto, zc_buf l4, const uint8_t *f, size_t n)
{
	zc_err e;

	switch (proto) {
	case ZC_IPPROTO_TCP: {
		zc_tcp tcp;
		zc_tcp_optset os;
		zc_opt_iter it;
		zc_opt o;
		int r;

		if ((e = zc_tcp_parse(l4, &tcp)) != ZC_OK)
			return count_err(t, e);
		t->tcp++;
		ASSERT_INSIDE(zc_tcp_payload(tcp), f, n);
		ck_assert_uint_ge(zc_tcp_hdr_len(tcp), 20);
		it = zc_tcp_opts(tcp);
		while ((r = zc_opt_next(&it, &o)) == 1)
			if (o.data)
				ck_assert(o.data >= f && o.data + o.len - 2 <= f + n);
		ck_assert_int_le(r, 0);
		(void)zc_tcp_options(tcp, &os);
		ck_assert_uint_le(os.nsack, ZC_TCP_MAX_SACK);
		return;
	}
	case ZC_IPPROTO_UDP: {
		zc_udp udp;

		if ((e = zc_udp_parse(l4, &udp)) != ZC_OK)
			return count_err(t, e);
		t->udp++;
		ASSERT_INSIDE(zc_udp_payload(udp), f, n);
		return;
	}
	case ZC_IPPROTO_ICMP: {
		zc_icmp4 m;

		if ((e = zc_icmp4_parse(l4, &m)) != ZC_OK)
			return count_err(t, e);
		t->icmp4++;
		ASSERT_INSIDE(zc_icmp4_payload(m), f, n);
		return;
	}
	case ZC_IPPROTO_ICMPV6: {
		zc_icmp6 m;
		zc_nd_opt_iter it;
		zc_nd_opt o;
		int r;

		if ((e = zc_icmp6_parse(l4, &m)) != ZC_OK)
			return count_err(t, e);
		t->icmp6++;
		ASSERT_INSIDE(zc_icmp6_payload(m), f, n);
		it = zc_icmp6_nd_opts(m);
		while ((r = zc_nd_opt_next(&it, &o)) == 1)
			ck_assert(o.p >= f && o.p + o.len <= f + n);
		ck_assert_int_le(r, 0);
		return;
	}
	default:
		t->other++;
		return;
	}
}

static void walk_frame(struct tally *t, const uint8_t *data, size_t caplen)
{
	zc_buf b = zc_test_dup(data, caplen);
	const uint8_t *f = b.p;
	size_t n = b.len;
	zc_eth eth;
	zc_err e;

	t->frames++;
	if ((e = zc_eth_parse(b, &eth)) != ZC_OK) {
		count_err(t, e);
		goto out;
	}
	t->eth++;
	t->vlan += zc_eth_ntags(eth) > 0;
	ASSERT_INSIDE(zc_eth_payload(eth), f, n);
	switch (zc_eth_type(eth)) {
	case ZC_ETH_P_IPV4: {
		zc_ipv4 ip;
		zc_opt_iter it;
		zc_opt o;
		int r;

		if ((e = zc_ipv4_parse(zc_eth_payload(eth), &ip)) != ZC_OK) {
			count_err(t, e);
			break;
		}
		t->ipv4++;
		ASSERT_INSIDE(zc_ipv4_payload(ip), f, n);
		it = zc_ipv4_opts(ip);
		while ((r = zc_opt_next(&it, &o)) == 1)
			if (o.data)
				ck_assert(o.data >= f && o.data + o.len - 2 <= f + n);
		ck_assert_int_le(r, 0);
		if (zc_ipv4_is_fragment(ip))
			t->frag++;
		if (zc_ipv4_is_first_fragment(ip))
			walk_l4(t, zc_ipv4_proto(ip), zc_ipv4_payload(ip), f, n);
		else
			t->other++;
		break;
	}
	case ZC_ETH_P_IPV6: {
		zc_ipv6 ip;
		zc_ipv6_ext_iter it;
		zc_ipv6_ext x;
		unsigned steps = 0;

		if ((e = zc_ipv6_parse(zc_eth_payload(eth), &ip)) != ZC_OK) {
			count_err(t, e);
			break;
		}
		t->ipv6++;
		ASSERT_INSIDE(zc_ipv6_payload(ip), f, n);
		it = zc_ipv6_exts(ip);
		while (zc_ipv6_ext_next(&it, &x) == 1) {
			ck_assert(x.p >= f && x.p + x.len <= f + n);
			ck_assert_uint_le(++steps, ZC_IPV6_MAX_EXT);
		}
		if (zc_ipv6_is_fragment(ip))
			t->frag++;
		if (zc_ipv6_frag_offset(ip) == 0)
			walk_l4(t, zc_ipv6_proto(ip), zc_ipv6_payload(ip), f, n);
		else
			t->other++;
		break;
	}
	case ZC_ETH_P_ARP: {
		zc_arp arp;

		if ((e = zc_arp_parse(zc_eth_payload(eth), &arp)) != ZC_OK) {
			count_err(t, e);
			break;
		}
		t->arp++;
		break;
	}
	default:
		t->other++;
		break;
	}
out:
	zc_test_free(b);
}

/* Walks one file; returns false when it is not an Ethernet capture. */
static bool walk_file(const char *path, struct tally *t)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int r;

	memset(t, 0, sizeof *t);
	pc = pcap_open_offline(path, ebuf);
	if (!pc)
		return false; /* not a capture libpcap reads: not ours to judge */
	if (pcap_datalink(pc) != DLT_EN10MB) {
		pcap_close(pc);
		return false;
	}
	while ((r = pcap_next_ex(pc, &h, &data)) == 1)
		walk_frame(t, data, h->caplen);
	pcap_close(pc);
	return true;
}

static unsigned long tally_errors(const struct tally *t)
{
	unsigned long s = 0;
	size_t i;

	for (i = 1; i < sizeof t->err / sizeof t->err[0]; i++)
		s += t->err[i];
	return s;
}

/*
 * Every frame ends its walk exactly once: at an error, at a protocol not
 * walked here, at ARP, or at an upper layer.
 */
static void assert_accounted(const char *name, const struct tally *t)
{
	unsigned long ends = tally_errors(t) + t->other + t->arp + t->tcp + t->udp + t->icmp4 + t->icmp6;

	ck_assert_msg(ends == t->frames, "%s: %lu frames but %lu walk ends", name, t->frames, ends);
}

static const char *dir_or_skip(const char *var)
{
	const char *d = getenv(var);
	return d && *d ? d : NULL;
}

START_TEST(every_ethernet_file_of_the_corpus)
{
	const char *dir = dir_or_skip("ZC_CORPUS_DIR");
	struct tally t, all;
	struct dirent *de;
	unsigned files = 0;
	DIR *d;

	if (!dir || !(d = opendir(dir))) {
		fprintf(stderr, "corpus: ZC_CORPUS_DIR (%s) not found: set it to the tcpdump capture corpus\n",
			dir ? dir : "unset");
		ck_abort_msg("capture corpus missing");
		return;
	}
	memset(&all, 0, sizeof all);
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (!walk_file(path, &t))
			continue;
		files++;
		assert_accounted(de->d_name, &t);
		if (getenv("ZC_CORPUS_VERBOSE"))
			printf("%s frames %lu ipv4 %lu ipv6 %lu tcp %lu udp %lu icmp %lu icmpv6 %lu arp %lu errors %lu\n",
			       de->d_name, t.frames, t.ipv4, t.ipv6, t.tcp, t.udp, t.icmp4, t.icmp6, t.arp, tally_errors(&t));
		all.frames += t.frames;
		all.eth += t.eth;
		all.ipv4 += t.ipv4;
		all.ipv6 += t.ipv6;
		all.tcp += t.tcp;
		all.udp += t.udp;
		all.icmp4 += t.icmp4;
		all.icmp6 += t.icmp6;
		all.arp += t.arp;
		all.other += t.other;
		for (i = 0; i < sizeof t.err / sizeof t.err[0]; i++)
			all.err[i] += t.err[i];
	}
	closedir(d);
	printf("corpus: %u Ethernet files, %lu frames: eth %lu ipv4 %lu ipv6 %lu tcp %lu udp %lu icmp %lu icmpv6 %lu arp %lu, "
	       "other %lu, truncated %lu, invalid %lu, unsupported %lu\n",
	       files, all.frames, all.eth, all.ipv4, all.ipv6, all.tcp, all.udp, all.icmp4, all.icmp6, all.arp, all.other,
	       all.err[-ZC_E_TRUNCATED],
	       all.err[-ZC_E_INVALID] + all.err[-ZC_E_VERSION] + all.err[-ZC_E_HDR_LEN] + all.err[-ZC_E_LENGTH] +
		       all.err[-ZC_E_OPTION],
	       all.err[-ZC_E_UNSUPPORTED] + all.err[-ZC_E_TOO_DEEP]);
	/* The corpus README counts 447 Ethernet files; libpcap must read them all. */
	ck_assert_uint_ge(files, 447);
	ck_assert_uint_gt(all.tcp, 0);
}
END_TEST

/*
 * Files whose layer counts are known. The expected numbers come from tshark
 * (4.0), counting the frames whose outermost protocols are, in order,
 * eth [vlan] ip|ipv6|arp [tcp|udp|icmp|icmpv6]:
 *   tshark -r FILE -T fields -e frame.protocols
 * and all these files parse without error.
 */
struct known {
	const char *file;
	unsigned long frames, ipv4, ipv6, tcp, udp, icmp4, icmp6, arp;
};

static const struct known known_files[] = {
#include "corpus_known.h"
};

START_TEST(known_files_have_known_counts)
{
	const char *dir = dir_or_skip("ZC_CORPUS_DIR");
	const struct known *k = &known_files[_i];
	char path[4096];
	struct tally t;

	ck_assert_msg(dir != NULL, "ZC_CORPUS_DIR unset");
	snprintf(path, sizeof path, "%s/%s", dir, k->file);
	ck_assert_msg(walk_file(path, &t), "%s: not read as Ethernet", k->file);
	ck_assert_msg(tally_errors(&t) == 0, "%s: %lu frames failed", k->file, tally_errors(&t));
	ck_assert_uint_eq(t.frames, k->frames);
	ck_assert_uint_eq(t.ipv4, k->ipv4);
	ck_assert_uint_eq(t.ipv6, k->ipv6);
	ck_assert_uint_eq(t.tcp, k->tcp);
	ck_assert_uint_eq(t.udp, k->udp);
	ck_assert_uint_eq(t.icmp4, k->icmp4);
	ck_assert_uint_eq(t.icmp6, k->icmp6);
	ck_assert_uint_eq(t.arp, k->arp);
	assert_accounted(k->file, &t);
}
END_TEST

static Suite *corpus_suite(void)
{
	Suite *s = suite_create("corpus");
	TCase *tc = tcase_create("tcpdump");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, every_ethernet_file_of_the_corpus);
	tcase_add_loop_test(tc, known_files_have_known_counts, 0,
			    (int)(sizeof known_files / sizeof known_files[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *dir = dir_or_skip("ZC_CORPUS_DIR");
	DIR *d = dir ? opendir(dir) : NULL;

	/* Automake's code for a skipped test: the corpus is optional. */
	if (!d) {
		printf("check_corpus: the tcpdump capture corpus is not at %s: skipped (set ZC_CORPUS_DIR)\n",
		       dir ? dir : "(ZC_CORPUS_DIR unset)");
		return 77;
	}
	closedir(d);
	return zc_test_run(corpus_suite());
}
