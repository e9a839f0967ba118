/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/zcdump.c - pcap/pcapng in, tcpdump-like lines or tshark
 * fields out, every frame dissected by zc_parse().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "zc.h"
#include "fields.h"
#include "out.h"
#include "summary.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
"NAME\n"
"    zcdump - print packets from a capture file or an interface, dissected by libzc\n"
"\n"
"SYNOPSIS\n"
"    zcdump -r FILE [-c COUNT] [--strict] [--stats] [OUTPUT] [FILTER]\n"
"    zcdump -i IFACE [-s SNAPLEN] [-p] [-c COUNT] [--strict] [--stats] [OUTPUT] [FILTER]\n"
"    zcdump --help | --version\n"
"\n"
"    OUTPUT is empty (one line per packet) or\n"
"    -T fields -e FIELD [-e FIELD ...] [-E header=y|n] [-E separator=/t|/s|TEXT]\n"
"              [-E occurrence=a|f|l] [-E aggregator=,|/s|CHAR] [-E quote=d|s|n]\n"
"\n"
"DESCRIPTION\n"
"    zcdump reads packets from a pcap or pcapng file (-r) or captures them live\n"
"    (-i), parses every frame in one pass with zc_parse() (Ethernet and VLAN tags,\n"
"    ARP, IPv4, IPv6 and its extension headers, ICMP, ICMPv6, TCP, UDP, and the\n"
"    packets inside VXLAN, Geneve, GRE, IP-in-IP and ICMP error quotes) and\n"
"    prints them. Link types: Ethernet, raw IP (DLT_RAW, LINKTYPE_IPV4/IPV6),\n"
"    Linux cooked (SLL, SLL2) and BSD loopback (NULL, LOOP).\n"
"\n"
"    By default each packet is one line in the manner of `tcpdump -nn`: local\n"
"    time, then the addresses, ports and what each layer says. A frame cut by\n"
"    the capture's snapshot length ends in [|LAYER]; a malformed frame ends in\n"
"    [malformed: WHAT at LAYER +OFFSET], and the run goes on.\n"
"\n"
"    With -T fields, each packet is one line of the named fields, printed\n"
"    exactly as `tshark -n -T fields` (4.0) prints them with IP defragmentation\n"
"    and TCP reassembly off: every occurrence of a field in packet order joined\n"
"    by the aggregator (outer and inner headers of a tunnel, ICMP quotes), an\n"
"    empty column when the field is absent, tshark's number formats.\n"
"\n"
"    FILTER, the words after the options, is a BPF expression as in tcpdump\n"
"    (see pcap-filter(7)); only packets it accepts are printed and counted.\n"
"\n"
"OPTIONS\n"
"    -r FILE        Read packets from FILE (pcap or pcapng; \"-\" is standard input).\n"
"    -i IFACE       Capture live on interface IFACE (needs the privileges).\n"
"    -c COUNT       Stop after COUNT packets (after the filter).\n"
"    -s SNAPLEN     Live capture: bytes to keep of each packet (default 262144).\n"
"    -p             Live capture: do not put the interface in promiscuous mode.\n"
"    -n             Accepted for tcpdump habits; zcdump never resolves names.\n"
"    -T fields      Print fields instead of summary lines; needs at least one -e.\n"
"    -e FIELD       Add FIELD to the columns (repeat; order is kept).\n"
"    -E OPT=VALUE   Fields output options, as in tshark:\n"
"                     header=y       first line: the field names\n"
"                     separator=X    between columns (/t tab, the default; /s space)\n"
"                     occurrence=X   a all occurrences (default), f first, l last\n"
"                     aggregator=X   between occurrences (default ',')\n"
"                     quote=X        d: \"value\", s: 'value', n: bare (default);\n"
"                                    empty columns stay empty\n"
"    --strict       Parse without ZC_PARSE_LAX: a frame cut by the snapshot length\n"
"                   is reported as malformed instead of parsed as far as it goes.\n"
"    --stats        At the end, print to standard error the protocol hierarchy\n"
"                   (packets and bytes per layer path), cut frames and errors by\n"
"                   kind and layer.\n"
"    -h, --help     Print this help and exit.\n"
"    -V, --version  Print the versions of zcdump, libzc and libpcap and exit.\n"
"\n"
"FIELDS\n";

static const char usage_tail[] =
"\n"
"EXIT STATUS\n"
"    0  success (malformed packets do not change it)\n"
"    1  runtime error: missing, unreadable or corrupt file, unsupported link type,\n"
"       capture failure, write error\n"
"    2  usage error: bad option, unknown field, bad filter expression\n"
"\n"
"EXAMPLES\n"
"    zcdump -r trace.pcap tcp port 80\n"
"    zcdump -r trace.pcapng -T fields -e ip.src -e ip.dst -e tcp.len -E header=y\n"
"    zcdump -i eth0 -c 100 --stats udp\n"
"\n"
"SEE ALSO\n"
"    libzc(3), tcpdump(8), tshark(1), pcap-filter(7)\n";

static void print_usage(FILE *f)
{
	fputs(usage_text, f);
	zd_fields_list(f);
	fputs(usage_tail, f);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("zcdump: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'zcdump --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static volatile sig_atomic_t stop_requested;

/* One of each for the whole run: no allocation per packet, nothing to free on early exits. */
static zd_fields fields_store;
static zc_pkt pkt_store;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static bool linktype_supported(int dlt)
{
	switch (dlt) {
	case ZC_DLT_NULL:
	case ZC_DLT_EN10MB:
	case ZC_DLT_RAW:
	case ZC_DLT_RAW_BSD:
	case ZC_LINKTYPE_RAW:
	case ZC_DLT_LOOP:
	case ZC_DLT_LINUX_SLL:
	case ZC_LINKTYPE_IPV4:
	case ZC_LINKTYPE_IPV6:
	case ZC_DLT_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

/* The remaining words, joined by spaces, as tcpdump does; NULL when none. */
static char *join_args(int argc, char **argv)
{
	size_t len = 0;
	char *s;
	int i;

	if (argc <= 0)
		return NULL;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static pcap_t *open_live(const char *iface, int snaplen, bool promisc, char *errbuf)
{
	pcap_t *p = pcap_create(iface, errbuf);
	int r;

	if (!p)
		return NULL;
	pcap_set_snaplen(p, snaplen);
	pcap_set_promisc(p, promisc);
	pcap_set_timeout(p, 100);
	r = pcap_activate(p);
	if (r < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "no such interface");
		else if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "permission denied (capturing needs CAP_NET_RAW)");
		pcap_close(p);
		return NULL;
	}
	return p;
}

/*
 * Reading a classic pcap file through a mapping of it: libpcap reads a file
 * with fread(), which copies every byte twice (kernel to stdio buffer, stdio
 * buffer to its packet buffer) and costs zcdump more than the dissection.
 * libpcap still opens the file, checks its header and compiles the filter;
 * the mapping only serves records that are plainly whole (a 16-byte header,
 * a captured length within the snapshot length, that many bytes present).
 * At the first record that is not, the file's stream is moved to it and
 * libpcap reads from there on, so a truncated or corrupt file gets
 * libpcap's own error, as without the mapping.
 */
#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16

typedef struct zd_reader {
	pcap_t *p;
	const uint8_t *map;       /* the whole file; NULL: libpcap reads */
	size_t size, off;         /* file size, next record */
	bool swapped;             /* written on a host of the other byte order */
	uint32_t snapshot;
	const struct bpf_program *filter; /* applied to mapped records; NULL: all */
	struct pcap_pkthdr h;
} zd_reader;

static uint32_t rec_u32(const zd_reader *r, const uint8_t *q)
{
	uint32_t v;

	memcpy(&v, q, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

/* Maps the file when it is a regular file in the classic microsecond format, version 2.4. */
static void reader_map(zd_reader *r)
{
	FILE *f = pcap_file(r->p);
	struct stat st;
	uint32_t magic;
	void *m;

	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < PCAP_FILE_HDR_LEN ||
	    (uintmax_t)st.st_size > SIZE_MAX || pcap_major_version(r->p) != 2 || pcap_minor_version(r->p) != 4)
		return;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	if (m == MAP_FAILED)
		return;
	memcpy(&magic, m, 4);
	r->swapped = pcap_is_swapped(r->p) != 0;
	if ((r->swapped ? __builtin_bswap32(magic) : magic) != PCAP_MAGIC_USEC) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	r->map = m;
	r->size = (size_t)st.st_size;
	r->off = PCAP_FILE_HDR_LEN;
	r->snapshot = (uint32_t)pcap_snapshot(r->p);
}

static void reader_unmap(zd_reader *r)
{
	if (r->map)
		munmap((void *)(uintptr_t)r->map, r->size);
	r->map = NULL;
}

/* As pcap_next_ex(): 1 a packet, 0 a live timeout, PCAP_ERROR_BREAK the end, else an error. */
static int reader_next(zd_reader *r, struct pcap_pkthdr **h, const u_char **data)
{
	while (r->map) {
		const uint8_t *q = r->map + r->off;
		size_t left = r->size - r->off;
		uint32_t caplen;

		if (left == 0)
			return PCAP_ERROR_BREAK;
		if (left < PCAP_REC_HDR_LEN)
			goto hand_over;
		caplen = rec_u32(r, q + 8);
		if (caplen > r->snapshot || left - PCAP_REC_HDR_LEN < caplen)
			goto hand_over;
		/* The time fields are signed 32-bit on the file, as libpcap reads them. */
		r->h.ts.tv_sec = (int32_t)rec_u32(r, q);
		r->h.ts.tv_usec = (int32_t)rec_u32(r, q + 4);
		r->h.caplen = caplen;
		r->h.len = rec_u32(r, q + 12);
		r->off += PCAP_REC_HDR_LEN + (size_t)caplen;
		if (r->filter && !pcap_offline_filter(r->filter, &r->h, q + PCAP_REC_HDR_LEN))
			continue;
		*h = &r->h;
		*data = q + PCAP_REC_HDR_LEN;
		return 1;
	}
	return pcap_next_ex(r->p, h, data);

hand_over:
	/* libpcap reads (and judges) the rest of the file from this record on. */
	if (fseeko(pcap_file(r->p), (off_t)r->off, SEEK_SET) != 0) {
		snprintf(pcap_geterr(r->p), PCAP_ERRBUF_SIZE, "cannot seek: %s", strerror(errno));
		reader_unmap(r);
		return PCAP_ERROR;
	}
	reader_unmap(r);
	return pcap_next_ex(r->p, h, data);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "stats", no_argument, NULL, 'S' },
		{ "strict", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *iface = NULL, *mode = NULL;
	char errbuf[PCAP_ERRBUF_SIZE];
	zd_fields *fs;
	zd_stats *stats = NULL;
	zd_out out;
	zd_reader rd;
	struct bpf_program prog;
	bool have_prog = false;
	zc_pkt *pkt;
	pcap_t *p;
	char *filter;
	unsigned long long count = 0, max_count = 0;
	unsigned flags = ZC_PARSE_LAX;
	bool want_stats = false, promisc = true, fields_mode;
	int snaplen = 262144, c, dlt, rc = EXIT_OK;
	size_t line_max;

	fs = &fields_store;
	pkt = &pkt_store;
	zd_fields_init(fs);
	/* getopt's own messages would start with the path zcdump was run by. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:i:c:s:pnT:e:E:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			file = optarg;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'c': {
			char *end;
			errno = 0;
			max_count = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || max_count == 0)
				return usage_error("invalid packet count '%s'", optarg);
			break;
		}
		case 's': {
			char *end;
			long v;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v <= 0 || v > INT_MAX)
				return usage_error("invalid snapshot length '%s'", optarg);
			snaplen = (int)v;
			break;
		}
		case 'p':
			promisc = false;
			break;
		case 'n':
			break;
		case 'T':
			mode = optarg;
			if (strcmp(mode, "fields") != 0)
				return usage_error("unsupported output format '%s' (only -T fields)", mode);
			break;
		case 'e': {
			int r = zd_fields_add(fs, optarg);
			if (r == -1) {
				fprintf(stderr, "zcdump: unknown field '%s'; the supported fields are:\n", optarg);
				zd_fields_list(stderr);
				return EXIT_USAGE;
			}
			if (r == -2)
				return usage_error("too many fields (the limit is %s)", "256");
			break;
		}
		case 'E':
			if (zd_fields_option(fs, optarg) != 0)
				return usage_error("invalid -E option '%s' (header=y|n, separator=X, occurrence=a|f|l, aggregator=X, quote=d|s|n)", optarg);
			break;
		case 'S':
			want_stats = true;
			break;
		case 'X':
			flags &= ~ZC_PARSE_LAX;
			break;
		case 'h':
			print_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("zcdump (libzc) %s\nlibzc %s\n%s\n", PACKAGE_VERSION, zc_version(), pcap_lib_version());
			return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!file == !iface)
		return usage_error("%s", file ? "-r and -i cannot be combined" : "no input: give -r FILE or -i IFACE");
	fields_mode = mode != NULL;
	if (fields_mode && fs->n == 0)
		return usage_error("%s", "-T fields needs at least one -e FIELD");
	if (!fields_mode && fs->n)
		return usage_error("%s", "-e needs -T fields");

	if (file) {
		p = pcap_open_offline(file, errbuf);
	} else {
		p = open_live(iface, snaplen, promisc, errbuf);
	}
	if (!p) {
		/* libpcap names the file when it cannot open it, not when it cannot read it. */
		const char *what = file ? file : iface;
		size_t n = strlen(what);

		if (strncmp(errbuf, what, n) == 0 && errbuf[n] == ':')
			fprintf(stderr, "zcdump: %s\n", errbuf);
		else
			fprintf(stderr, "zcdump: %s: %s\n", what, errbuf);
		return EXIT_RUNTIME;
	}
	dlt = pcap_datalink(p);
	if (!linktype_supported(dlt)) {
		const char *name = pcap_datalink_val_to_name(dlt);
		fprintf(stderr,
			"zcdump: %s: unsupported link type %d (%s); zcdump reads Ethernet, raw IP, "
			"Linux cooked (SLL, SLL2) and BSD loopback (NULL, LOOP)\n",
			file ? file : iface, dlt, name ? name : "unknown");
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	filter = join_args(argc - optind, argv + optind);
	if (filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			fprintf(stderr, "zcdump: bad filter expression '%s': %s\n", filter, pcap_geterr(p));
			pcap_close(p);
			free(filter);
			return EXIT_USAGE;
		}
		if (pcap_setfilter(p, &prog) != 0) {
			fprintf(stderr, "zcdump: cannot set the filter: %s\n", pcap_geterr(p));
			pcap_freecode(&prog);
			pcap_close(p);
			free(filter);
			return EXIT_RUNTIME;
		}
		have_prog = true;
		free(filter);
	}
	if (want_stats && !(stats = zd_stats_new())) {
		fprintf(stderr, "zcdump: out of memory\n");
		if (have_prog)
			pcap_freecode(&prog);
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	line_max = fields_mode ? zd_fields_line_max(fs) : ZD_SUMMARY_LINE_MAX;
	if (zd_out_init(&out, stdout, (1u << 20) + 2 * line_max) != 0) {
		fprintf(stderr, "zcdump: out of memory\n");
		if (have_prog)
			pcap_freecode(&prog);
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	if (iface) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (fields_mode && fs->header)
		zd_fields_header(&out, fs);

	memset(&rd, 0, sizeof rd);
	rd.p = p;
	rd.filter = have_prog ? &prog : NULL;
	if (file)
		reader_map(&rd);

	while (!stop_requested && (!max_count || count < max_count)) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = reader_next(&rd, &h, &data);

		if (r == 0) { /* live timeout: show what is buffered */
			if (zd_out_flush(&out) != 0)
				break;
			continue;
		}
		if (r == PCAP_ERROR_BREAK)
			break;
		if (r < 0) {
			zd_out_flush(&out);
			fprintf(stderr, "zcdump: %s: %s\n", file ? file : iface, pcap_geterr(p));
			rc = EXIT_RUNTIME;
			break;
		}
		count++;
		zc_parse(zc_buf_make((void *)(uintptr_t)data, h->caplen), dlt, flags, pkt);
		zd_reserve(&out, line_max);
		if (fields_mode)
			zd_fields_print(&out, fs, pkt, dlt, h->len);
		else
			zd_summary_print(&out, pkt, &h->ts, h->len);
		if (stats)
			zd_stats_add(stats, pkt, h->len);
		if (iface && zd_out_flush(&out) != 0)
			break;
		if (out.failed)
			break;
	}
	if (zd_out_flush(&out) != 0) {
		fprintf(stderr, "zcdump: write error: %s\n", strerror(errno));
		rc = EXIT_RUNTIME;
	}
	if (stats) {
		zd_stats_print(stats, stderr);
		zd_stats_free(stats);
	}
	zd_out_free(&out);
	reader_unmap(&rd);
	if (have_prog)
		pcap_freecode(&prog);
	pcap_close(p);
	return rc;
}
