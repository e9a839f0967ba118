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
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zc.h"
#include "dfilter.h"
#include "fields.h"
#include "hexdump.h"
#include "json.h"
#include "out.h"
#include "reader.h"
#include "stats.h"
#include "summary.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* getopt codes of the long options that have no letter. */
enum { OPT_STATS = 256, OPT_STRICT };

static const char usage_text[] =
"NAME\n"
"    zcdump - print packets from a capture file or an interface, dissected by libzc\n"
"\n"
"SYNOPSIS\n"
"    zcdump -r FILE [-c COUNT] [-l] [-U] [-S] [-t...] [-x...|-X...|-A...] [-Y DISPLAY] [-w FILE]\n"
"           [--strict] [--stats] [OUTPUT] [FILTER]\n"
"    zcdump -i IFACE [-s SNAPLEN] [-p] [-c COUNT] [-l] [-U] [-S] [-t...] [-x...|-X...|-A...]\n"
"           [-Y DISPLAY] [-w FILE] [--strict] [--stats] [OUTPUT] [FILTER]\n"
"    zcdump -D | --help | --version\n"
"\n"
"    OUTPUT is empty (one line per packet) or\n"
"    -T fields -e FIELD [-e FIELD ...] [-E header=y|n] [-E separator=/t|/s|TEXT]\n"
"              [-E occurrence=a|f|l] [-E aggregator=,|/s|CHAR] [-E quote=d|s|n]\n"
"    -T json|ek -e FIELD [-e FIELD ...] [-E occurrence=a|f|l]\n"
"\n"
"DESCRIPTION\n"
"    zcdump reads packets from a pcap or pcapng file (-r) or captures them live\n"
"    (-i), parses every frame in one pass with zc_parse() (Ethernet and VLAN tags,\n"
"    ARP, IPv4, IPv6 and its extension headers, ICMP, ICMPv6, TCP, UDP, and the\n"
"    packets inside VXLAN, Geneve, GRE, IP-in-IP and ICMP error quotes) and\n"
"    prints them. Link types: Ethernet, raw IP (DLT_RAW, LINKTYPE_IPV4/IPV6),\n"
"    Linux cooked (SLL, SLL2) and BSD loopback (NULL, LOOP). Frames of other\n"
"    link types (radiotap, PPP, ...) are not dissected: they give their frame.*\n"
"    fields, and a summary line with the link type's name and the length.\n"
"\n"
"    By default each packet is the line `tcpdump -nn` (4.99) prints for it,\n"
"    after the time, for what libzc dissects: Ethernet and VLAN tags, ARP,\n"
"    IPv4, IPv6 and its extension headers (HBH, DSTOPT, frag, RT6, AH), ICMP\n"
"    and ICMPv6 (with what an error says of the datagram it quotes), TCP with\n"
"    every option (MPTCP's too) and the first line of HTTP to ports 80 and\n"
"    8080, UDP, VXLAN (the packet inside on a line of its own), Geneve, GRE,\n"
"    IP-in-IP, SLL and SLL2, and frames of an ethertype tcpdump has no\n"
"    printer for (dumped in hex as it does); with -e, -q, -t... and -S as in\n"
"    tcpdump. Where tcpdump prints a protocol libzc does not dissect (DNS,\n"
"    NTP, OSPF, SCTP, LLC, ...) the line ends at the layer before it (\"UDP,\n"
"    length N\", \"ip-proto-89 44\"), and tcpdump's -v is not implemented. A\n"
"    header cut short by the snapshot length ends the line in [|PROTO] as in\n"
"    tcpdump; a frame libzc rejects otherwise ends in [malformed: WHAT at LAYER\n"
"    +OFFSET], and the run goes on.\n"
"\n"
"    With -T fields, each packet is one line of the named fields, printed\n"
"    exactly as `tshark -n -T fields` (4.0) prints them with IP defragmentation\n"
"    and TCP reassembly off: every occurrence of a field in packet order joined\n"
"    by the aggregator (outer and inner headers of a tunnel, ICMP quotes), an\n"
"    empty column when the field is absent, tshark's number formats.\n"
"\n"
"    With -T json or -T ek, the same values in the forms `tshark -T json -e ...`\n"
"    and `tshark -T ek -e ...` print: -T json one array with an object per\n"
"    packet, -T ek two lines per packet (an index line, then the packet's time\n"
"    in milliseconds and its fields, with '_' for '.' in their names). Each\n"
"    field the packet has is a list of its occurrences as strings, in the\n"
"    order of the -e options; a field it lacks is left out. The index is\n"
"    named after the packet's date in local time (packets-YYYY-MM-DD). Of\n"
"    the -E options only occurrence applies.\n"
"\n"
"    Output is written packet by packet (each line out before the next packet\n"
"    is read) with -l or -U, when capturing live, when the input is a pipe or\n"
"    a terminal and when the output is; otherwise in large blocks. SIGINT and\n"
"    SIGTERM end a run, reading a file as capturing, after the packet at hand:\n"
"    what was read is printed and the exit status is 0. When the reader of\n"
"    the output closes it early, zcdump stops at once without a message.\n"
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
"    -t             No time at the start of a line; -tt seconds since 1970;\n"
"                   -ttt the time since the packet before; -tttt the date and\n"
"                   time; -ttttt the time since the first packet (as tcpdump).\n"
"    -w FILE        Write the packets that pass the filters to FILE (pcap, \"-\":\n"
"                   standard output) instead of printing them.\n"
"    -x             After each line, the packet's bytes in hex, as tcpdump -x\n"
"                   prints them (16 a line, \"0x0000:\" offsets, groups of two\n"
"                   bytes): every byte captured after the link-level header,\n"
"                   Ethernet padding included. -xx: from the frame's first byte.\n"
"    -X             The same with the bytes as text beside them, as tcpdump -X\n"
"                   (a dot for what is not printable); -XX from the first byte.\n"
"    -A             After each line, the packet's bytes after the link-level\n"
"                   header as text, as tcpdump -A (a dot for what is not\n"
"                   printable, a space, a tab or a newline); -AA from the first\n"
"                   byte. -X rules over -x and -x over -A, as in tcpdump. The\n"
"                   link-level header is the Ethernet header with its VLAN\n"
"                   tags, the SLL or SLL2 header or the loopback one; a frame\n"
"                   of a link type libzc does not dissect is dumped whole.\n"
"    -S             TCP sequence and acknowledgment numbers as they are. Without\n"
"                   it, as tcpdump: a conversation's first segment with ACK set,\n"
"                   and any with SYN, show theirs and set the bases; the later\n"
"                   ones show theirs less the bases (so the first data byte\n"
"                   after a handshake is 1).\n"
"    -D             List the interfaces -i can capture on, and exit.\n"
"    -l             Write each packet's output at once (line buffering).\n"
"    -U             The same (tcpdump's packet buffering).\n"
"    -T fields      Print fields instead of summary lines; needs at least one -e.\n"
"    -T json        Print the -e fields as tshark -T json -e does.\n"
"    -T ek          Print the -e fields as tshark -T ek -e does.\n"
"    -e FIELD       With -T: add FIELD to the output (repeat; order is kept).\n"
"    -e             Without -T: begin each line with the link-level header, as\n"
"                   tcpdump -e (Ethernet addresses, type, VLAN tags).\n"
"    -Y DISPLAY     Print only the packets the display filter DISPLAY accepts\n"
"                   (see DISPLAY FILTERS); -c counts those.\n"
"    -E OPT=VALUE   Fields output options, as in tshark:\n"
"                     header=y       first line: the field names\n"
"                     separator=X    between columns (/t tab, the default; /s space)\n"
"                     occurrence=X   a all occurrences (default), f first, l last\n"
"                     aggregator=X   between occurrences (default ',')\n"
"                     quote=X        d: \"value\", s: 'value', n: bare (default);\n"
"                                    empty columns stay empty\n"
"    --strict       Parse without ZC_PARSE_LAX: a frame cut by the snapshot length\n"
"                   is reported as malformed instead of parsed as far as it goes.\n"
"    --stats        At the end, print the protocol hierarchy of every frame read\n"
"                   in the shape and with the names of `tshark -qz io,phs`\n"
"                   (frames and bytes per protocol path), and to standard error\n"
"                   the frames cut by the capture length and the malformed ones\n"
"                   by error and layer.\n"
"    -q             With --stats or -T: print no line per packet (with --stats:\n"
"                   the hierarchy only), as tshark -q. With the default line:\n"
"                   tcpdump's quiet line (\"tcp 37\", \"UDP, length 5\", no\n"
"                   printer for what UDP or TCP carries, shorter -e names).\n"
"    -h, --help     Print this help and exit.\n"
"    -V, --version  Print the versions of zcdump, libzc and libpcap and exit.\n"
"\n"
"DISPLAY FILTERS\n"
"    -Y takes a filter in the language of Wireshark 4.0 over the fields below\n"
"    and the protocol names of frame.protocols (eth, vlan, arp, ip, ipv6, icmp,\n"
"    icmpv6, tcp, udp, gre, vxlan, geneve, ...):\n"
"      FIELD                          the field is present (a protocol: it is in the packet)\n"
"      FIELD == VALUE                 also eq, any_eq: an occurrence is equal\n"
"      FIELD != VALUE                 also ne, all_ne: no occurrence is equal\n"
"      FIELD === VALUE, FIELD !== VALUE   all_eq, any_ne: all are equal, one is not\n"
"      FIELD < <= > >= VALUE          also lt, le, gt, ge: an occurrence compares so\n"
"      FIELD contains \"TEXT\"         an occurrence holds TEXT\n"
"      FIELD in {V1, V2, LO..HI}      an occurrence is one of the values or ranges\n"
"      A and B, A or B, not A         also &&, ||, !; and parentheses\n"
"    A VALUE is a number (decimal or 0x hex), True or False, an IPv4 or IPv6\n"
"    address or network (10.0.0.0/8, 2001:db8::/32), a MAC address or a\n"
"    \"string\"; it is compared with each of the field's values as -T fields\n"
"    prints them. An absent field passes no comparison. A bad filter is a\n"
"    usage error whose message gives the column of the fault.\n"
"\n"
"FIELDS\n";

static const char usage_tail[] =
"\n"
"EXIT STATUS\n"
"    0  success (malformed packets do not change it)\n"
"    1  runtime error: missing, unreadable or corrupt file,\n"
"       capture failure, write error, output closed by its reader\n"
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

/* Everything the command line asks for. */
typedef struct zd_opts {
	const char *file, *iface, *mode;
	const char *display;       /* -Y */
	const char *write_file;    /* -w */
	int tcount;                /* -t given so many times */
	int xcount, Xcount, Acount; /* -x, -X, -A given so many times */
	bool list_ifaces;          /* -D */
	bool link;                 /* -e without -T: the link-level header */
	bool abs_seq;              /* -S */
	bool e_is_flag;            /* no -T: -e takes no value */
	bool quiet;                /* -q with --stats or -T: no line per packet */
	bool quiet_line;           /* -q otherwise: tcpdump's quiet line */
	unsigned long long max_count;
	unsigned flags;
	int snaplen;
	bool stats, promisc, flush_each;
	char *filter;              /* the BPF words, joined; NULL when none */
} zd_opts;

static volatile sig_atomic_t stop_requested;

/* One of each for the whole run: no allocation per packet, nothing to free on early exits. */
static zd_fields fields_store;
static zc_pkt pkt_store;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * SIGINT and SIGTERM end the run after the packet at hand, reading a file
 * as capturing live; without SA_RESTART they also interrupt a read blocked
 * on a pipe. SIGPIPE is ignored: a reader that closed the pipe shows up as
 * EPIPE on the next write, and the run ends there.
 */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static bool fd_streams(int fd)
{
	struct stat st;

	return isatty(fd) || (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)));
}

/*
 * Output goes out packet by packet when someone may be watching it or
 * waiting on it: -l or -U, a live capture, input from a pipe or terminal,
 * output to one. Otherwise it is written a megabyte at a time.
 */
static bool flush_each_packet(const zd_opts *o)
{
	struct stat st;

	if (o->flush_each || o->iface || fd_streams(STDOUT_FILENO))
		return true;
	if (strcmp(o->file, "-") == 0)
		return fd_streams(STDIN_FILENO);
	return stat(o->file, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode));
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

static int parse_count(const char *arg, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 10);
	if (errno || *end || !*arg || arg[0] == '-' || *v == 0)
		return usage_error("invalid packet count '%s'", arg);
	return -1;
}

static int parse_snaplen(const char *arg, int *snaplen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return usage_error("invalid snapshot length '%s'", arg);
	*snaplen = (int)v;
	return -1;
}

static int add_field(zd_fields *fs, const char *name)
{
	int r = zd_fields_add(fs, name);

	if (r == -1) {
		fprintf(stderr, "zcdump: unknown field '%s'; the supported fields are:\n", name);
		zd_fields_list(stderr);
		return EXIT_USAGE;
	}
	if (r == -2)
		return usage_error("too many fields (the limit is %d)", ZD_MAX_FIELDS);
	return -1;
}

/* One option; -1 to go on, else the exit status. */
static int take_option(int c, zd_opts *o, zd_fields *fs, char **argv)
{
	switch (c) {
	case 'r': o->file = optarg; return -1;
	case 'i': o->iface = optarg; return -1;
	case 'c': return parse_count(optarg, &o->max_count);
	case 's': return parse_snaplen(optarg, &o->snaplen);
	case 'p': o->promisc = false; return -1;
	case 'n': return -1;
	case 'l':
	case 'U': o->flush_each = true; return -1;
	case 'T':
		o->mode = optarg;
		if (strcmp(o->mode, "fields") != 0 && strcmp(o->mode, "json") != 0 && strcmp(o->mode, "ek") != 0)
			return usage_error("unsupported output format '%s' (-T fields, json or ek)", o->mode);
		return -1;
	case 'e':
		if (o->e_is_flag) {
			o->link = true;
			return -1;
		}
		return add_field(fs, optarg);
	case 'Y': o->display = optarg; return -1;
	case 'w': o->write_file = optarg; return -1;
	case 't': o->tcount++; return -1;
	case 'q': o->quiet = true; return -1;
	case 'D': o->list_ifaces = true; return -1;
	case 'E':
		if (zd_fields_option(fs, optarg) != 0)
			return usage_error("invalid -E option '%s' (header=y|n, separator=X, occurrence=a|f|l, aggregator=X, quote=d|s|n)", optarg);
		return -1;
	case 'x': o->xcount++; return -1;
	case 'X': o->Xcount++; return -1;
	case 'A': o->Acount++; return -1;
	case 'S': o->abs_seq = true; return -1;
	case OPT_STATS: o->stats = true; return -1;
	case OPT_STRICT: o->flags &= ~(unsigned)ZC_PARSE_LAX; return -1;
	case 'h':
		print_usage(stdout);
		return EXIT_OK;
	case 'V':
		printf("zcdump (libzc) %s\nlibzc %s\n%s\n", PACKAGE_VERSION, zc_version(), pcap_lib_version());
		return EXIT_OK;
	case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
	default:
		if (optopt)
			return usage_error("unknown option '-%c'", optopt);
		return usage_error("unknown option '%s'", argv[optind - 1]);
	}
}

/* Whether the options (before any "--") hold a -T. */
static bool has_T(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "-T", 2) == 0)
			return true;
	return false;
}

/* The command line into o and fs; -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, zd_opts *o, zd_fields *fs)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	const char *optstring = ":r:i:c:s:pnlUtDqxXASw:T:e:E:Y:hV";

	memset(o, 0, sizeof *o);
	/* -e names a field after -T (tshark), and is a flag without it (tcpdump). */
	o->e_is_flag = !has_T(argc, argv);
	if (o->e_is_flag)
		optstring = ":r:i:c:s:pnlUtDqxXASw:T:eE:Y:hV";
	o->flags = ZC_PARSE_LAX;
	o->snaplen = 262144;
	o->promisc = true;
	/* getopt's own messages would start with the path zcdump was run by. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		if ((r = take_option(c, o, fs, argv)) >= 0)
			return r;
	if (o->tcount > 5)
		return usage_error("%s", "-t can be given at most five times (-ttttt)");
	if (o->list_ifaces)
		return -1;
	if (!o->file == !o->iface)
		return usage_error("%s", o->file ? "-r and -i cannot be combined" : "no input: give -r FILE or -i IFACE");
	if (o->mode && fs->n == 0)
		return usage_error("-T %s needs at least one -e FIELD", o->mode);
	if (!o->mode && fs->n)
		return usage_error("%s", "-e FIELD needs -T fields, json or ek");
	if (o->mode && (o->xcount || o->Xcount || o->Acount))
		return usage_error("%s", "-x, -X and -A follow the default line; they do not combine with -T");
	/* -q of tshark (no line) with --stats or -T; of tcpdump (the quiet line) with the default line. */
	if (o->quiet && !o->stats && !o->mode) {
		o->quiet = false;
		o->quiet_line = true;
	}
	o->filter = join_args(argc - optind, argv + optind);
	return -1;
}

/* -D: the interfaces, as tcpdump lists them; the exit status. */
static int list_interfaces(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	int i = 1;

	if (pcap_findalldevs(&all, errbuf) != 0) {
		fprintf(stderr, "zcdump: %s\n", errbuf);
		return EXIT_RUNTIME;
	}
	for (d = all; d; d = d->next, i++) {
		unsigned st = d->flags & PCAP_IF_CONNECTION_STATUS;
		const char *sep = "";

		printf("%d.%s", i, d->name);
		if (d->description)
			printf(" (%s)", d->description);
		printf(" [");
		if (d->flags & PCAP_IF_UP)
			printf("%sUp", sep), sep = ", ";
		if (d->flags & PCAP_IF_RUNNING)
			printf("%sRunning", sep), sep = ", ";
		if (d->flags & PCAP_IF_WIRELESS)
			printf("%sWireless", sep), sep = ", ";
		if (d->flags & PCAP_IF_LOOPBACK)
			printf("%sLoopback", sep), sep = ", ";
		/* The link's state only for an interface that is up. */
		if ((d->flags & PCAP_IF_UP) && st == PCAP_IF_CONNECTION_STATUS_CONNECTED)
			printf("%sConnected", sep), sep = ", ";
		else if ((d->flags & PCAP_IF_UP) && st == PCAP_IF_CONNECTION_STATUS_DISCONNECTED)
			printf("%sDisconnected", sep), sep = ", ";
		printf("%s]\n", *sep ? "" : "none");
	}
	pcap_freealldevs(all);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

/* The input opened, its link type checked, the filter installed; -1 to go on, else the exit status. */
static int open_input(const zd_opts *o, zd_reader *rd, int *dlt)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *what = o->file ? o->file : o->iface;
	int r;

	if (zd_reader_open(rd, o->file, o->iface, o->snaplen, o->promisc, errbuf) != 0) {
		/* libpcap names the file when it cannot open it, not when it cannot read it. */
		size_t n = strlen(what);

		if (strncmp(errbuf, what, n) == 0 && errbuf[n] == ':')
			fprintf(stderr, "zcdump: %s\n", errbuf);
		else
			fprintf(stderr, "zcdump: %s: %s\n", what, errbuf);
		return EXIT_RUNTIME;
	}
	*dlt = pcap_datalink(rd->p);
	if (o->filter && (r = zd_reader_filter(rd, o->filter, errbuf)) != 0) {
		if (r == -1)
			fprintf(stderr, "zcdump: bad filter expression '%s': %s\n", o->filter, errbuf);
		else
			fprintf(stderr, "zcdump: cannot set the filter: %s\n", errbuf);
		return r == -1 ? EXIT_USAGE : EXIT_RUNTIME;
	}
	return -1;
}

/* What one run holds. */
typedef struct zd_run {
	const zd_opts *o;
	zd_reader *rd;
	zd_fields *fs;
	zd_dfilter *df;
	pcap_dumper_t *dump;       /* -w */
	zd_field protocols;        /* frame.protocols, for --stats */
	char *protos;              /* its text for the packet at hand */
	zd_stats *stats;
	zd_out out;
	zc_pkt *pkt;
	int dlt;
	zd_dump dump_data;         /* -x, -X, -A */
	zd_json json;              /* -T json, -T ek */
	bool is_json;
	size_t line_max;
	bool flush_each;
	bool dissect;              /* libzc reads the link type */
	bool engine;               /* the fields' packet state is kept (-T fields, -Y) */
	const char *dlt_name;
} zd_run;

/* tcpdump's line, with the time in microseconds as tcpdump prints it. */
static void summary(zd_run *run, const struct pcap_pkthdr *h)
{
	struct timeval tv = h->ts;

	if (run->rd->nano)
		tv.tv_usec /= 1000;
	zd_summary_print(&run->out, run->pkt, &tv, h->len, run->dissect ? NULL : run->dlt_name);
}

/* -x, -X, -A: the packet's bytes after its line, from the link-level header or after it. */
static void dump_data(zd_run *run, const struct pcap_pkthdr *h, const unsigned char *data)
{
	size_t skip = 0;

	if (!run->dump_data.link && run->dissect)
		skip = zd_link_hdr_len(run->pkt, run->dlt, h->caplen);
	/* Like tcpdump, nothing at all when the frame ends with its link-level header. */
	if (h->caplen > skip)
		zd_dump_print(&run->out, run->dump_data.style, data + skip, h->caplen - skip);
}

/*
 * The packet's time in nanoseconds. A classic pcap file holds 32-bit
 * seconds, which libpcap reads signed; tshark reads them unsigned, past 2038.
 */
static int64_t packet_ns(const zd_run *run, const struct pcap_pkthdr *h)
{
	int64_t sec = (int64_t)h->ts.tv_sec;

	if (sec < 0 && !run->rd->live && sec >= INT32_MIN)
		sec += (int64_t)1 << 32;
	return sec * 1000000000 + (int64_t)h->ts.tv_usec * (run->rd->nano ? 1 : 1000);
}

/* One packet: 2 printed, 1 hidden by the display filter, 0 the output failed. */
static int print_packet(zd_run *run, const struct pcap_pkthdr *h, const unsigned char *data)
{
	zd_frame fr;
	bool shown = true;

	if (run->dissect) {
		zc_parse(zc_buf_make((void *)(uintptr_t)data, h->caplen), run->dlt, run->o->flags, run->pkt);
	} else {
		/* A link type libzc does not read: the frame's own fields only. */
		memset(run->pkt, 0, offsetof(zc_pkt, l));
		run->pkt->frame = zc_buf_make((void *)(uintptr_t)data, h->caplen);
	}
	if (run->engine) {
		fr.number = run->rd->records;
		fr.ns = packet_ns(run, h);
		fr.cap_len = h->caplen;
		fr.len = h->len;
		fr.linktype = run->dlt;
		zd_fields_begin(run->fs, run->pkt, &fr);
		/* Like tshark's taps, the hierarchy counts every frame read, displayed or not. */
		if (run->stats) {
			unsigned n;
			size_t len = zd_fields_render(run->fs, &run->protocols, run->protos, &n);
			zd_stats_add(run->stats, run->pkt, h->len, run->protos, len);
		}
		shown = !run->df || zd_dfilter_match(run->df, run->fs);
	}
	if (!shown) {
		zd_fields_done(run->fs, false);
		return 1;
	}
	if (run->dump) {
		pcap_dump((u_char *)run->dump, h, data);
		if (run->flush_each)
			pcap_dump_flush(run->dump);
		if (run->engine)
			zd_fields_done(run->fs, true);
		return 2;
	}
	if (run->o->quiet) {
		zd_fields_done(run->fs, true);
		return 2;
	}
	zd_reserve(&run->out, run->line_max);
	if (run->is_json)
		zd_json_packet(&run->json, &run->out, run->fs, packet_ns(run, h));
	else if (run->o->mode)
		zd_fields_print(&run->out, run->fs);
	else
		summary(run, h);
	if (run->dump_data.style != ZD_DUMP_NONE)
		dump_data(run, h, data);
	if (run->engine)
		zd_fields_done(run->fs, true);
	if (run->flush_each)
		zd_out_flush(&run->out);
	return run->out.failed ? 0 : 2;
}

/* Reads and prints until the end, the count, a signal or a failure; the exit status. */
static int run_loop(zd_run *run)
{
	unsigned long long count = 0;

	while (!stop_requested && (!run->o->max_count || count < run->o->max_count)) {
		struct pcap_pkthdr *h;
		const unsigned char *data;
		int r = zd_reader_next(run->rd, &h, &data);

		if (r == 0) { /* live timeout: show what is buffered */
			if (zd_out_flush(&run->out) != 0)
				break;
			continue;
		}
		if (r == PCAP_ERROR_BREAK || (r < 0 && stop_requested))
			break;
		if (r < 0) {
			zd_out_flush(&run->out);
			fprintf(stderr, "zcdump: %s: %s\n", run->o->file ? run->o->file : run->o->iface,
				zd_reader_error(run->rd));
			return EXIT_RUNTIME;
		}
		r = print_packet(run, h, data);
		if (r == 0)
			break;
		if (r == 2)
			count++;
	}
	return EXIT_OK;
}

/* The buffered output and the statistics written; the exit status. */
static int finish(zd_run *run, int rc)
{
	if (run->is_json && !run->out.failed && !run->o->quiet && !run->dump)
		zd_json_end(&run->json, &run->out);
	if (zd_out_flush(&run->out) != 0) {
		/* A reader that closed the pipe wants no more; that needs no message. */
		if (run->out.err != EPIPE)
			fprintf(stderr, "zcdump: write error: %s\n", strerror(run->out.err));
		rc = EXIT_RUNTIME;
	}
	if (run->dump && (pcap_dump_flush(run->dump) != 0 || ferror(pcap_dump_file(run->dump)))) {
		fprintf(stderr, "zcdump: %s: write error\n", run->o->write_file);
		rc = EXIT_RUNTIME;
	}
	if (run->stats && !run->out.failed) {
		zd_stats_print(run->stats, stdout, NULL);
		if (fflush(stdout) != 0 && errno != EPIPE) {
			fprintf(stderr, "zcdump: write error: %s\n", strerror(errno));
			rc = EXIT_RUNTIME;
		}
		zd_stats_print_errors(run->stats, stderr);
	}
	return rc;
}

int main(int argc, char **argv)
{
	zd_opts o;
	zd_reader rd;
	zd_run run;
	int rc;

	memset(&rd, 0, sizeof rd);
	memset(&run, 0, sizeof run);
	zd_fields_init(&fields_store);
	rc = parse_args(argc, argv, &o, &fields_store);
	if (rc >= 0)
		return rc;
	if (o.list_ifaces) {
		free(o.filter);
		return list_interfaces();
	}
	zd_summary_time_mode((int[]){ ZD_TIME_LOCAL, ZD_TIME_NONE, ZD_TIME_EPOCH, ZD_TIME_DELTA, ZD_TIME_DATE,
				      ZD_TIME_SINCE_FIRST }[o.tcount]);
	zd_summary_link(o.link);
	zd_summary_quiet(o.quiet_line);
	if (!o.mode && zd_summary_relative(!o.abs_seq) != 0) {
		fprintf(stderr, "zcdump: out of memory\n");
		free(o.filter);
		return EXIT_RUNTIME;
	}
	install_signals();
	rc = open_input(&o, &rd, &run.dlt);
	if (rc >= 0)
		goto out;
	run.o = &o;
	run.rd = &rd;
	run.fs = &fields_store;
	run.pkt = &pkt_store;
	run.flush_each = flush_each_packet(&o);
	run.dissect = linktype_supported(run.dlt);
	run.dump_data = zd_dump_from_counts(o.xcount, o.Xcount, o.Acount);
	run.dlt_name = pcap_datalink_val_to_name(run.dlt);
	if (!run.dlt_name)
		run.dlt_name = "unknown";
	run.line_max = o.mode ? zd_fields_line_max(run.fs) : ZD_SUMMARY_LINE_MAX;
	run.is_json = o.mode && strcmp(o.mode, "fields") != 0;
	if ((o.stats && !(run.stats = zd_stats_new())) ||
	    (run.is_json && zd_json_init(&run.json, strcmp(o.mode, "ek") == 0) != 0) ||
	    zd_out_init(&run.out, stdout, (1u << 20) + 2 * run.line_max) != 0) {
		fprintf(stderr, "zcdump: out of memory\n");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o.display) {
		char err[256];
		run.df = zd_dfilter_compile(o.display, run.fs, err, sizeof err);
		if (!run.df) {
			fprintf(stderr, "zcdump: bad display filter '%s': %s\n", o.display, err);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	run.engine = o.mode || run.df || run.stats || o.quiet;
	zd_field_lookup("frame.protocols", &run.protocols);
	if (run.stats && !(run.protos = malloc(ZD_RENDER_MAX))) {
		fprintf(stderr, "zcdump: out of memory\n");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o.write_file && !(run.dump = pcap_dump_open(rd.p, o.write_file))) {
		fprintf(stderr, "zcdump: %s\n", pcap_geterr(rd.p));
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (zd_fields_start(run.fs) != 0) {
		fprintf(stderr, "zcdump: out of memory\n");
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (o.mode && !run.is_json && run.fs->header)
		zd_fields_header(&run.out, run.fs);
	rc = finish(&run, run_loop(&run));
out:
	zd_fields_end(&fields_store);
	zd_dfilter_free(run.df);
	free(run.protos);
	if (run.dump)
		pcap_dump_close(run.dump);
	zd_stats_free(run.stats);
	zd_json_free(&run.json);
	zd_out_free(&run.out);
	zd_reader_close(&rd);
	zd_summary_relative(false);
	free(o.filter);
	return rc;
}
