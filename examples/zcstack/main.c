/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/main.c - zcstack: libzcstack answering as a host on a
 * TAP or TUN device. One thread: poll(2) on the device and on a signalfd,
 * with the timeout the stack's next deadline gives.
 *
 * The signals zcstack handles are blocked and read from a signalfd inside
 * the loop, so that printing the counters on SIGUSR1 and stopping on
 * SIGTERM are ordinary code between two frames, never work in a handler.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "zc.h"
#include "zcstack.h"

static const char usage_head[] =
	"NAME\n"
	"    zcstack - an IPv4 and IPv6 host in user space on a TAP or TUN device\n"
	"    (libzcstack)\n"
	"\n"
	"SYNOPSIS\n"
	"    zcstack --tap NAME --addr ADDR/PREFIX [--addr6 ADDR6/PREFIX] [--gw ADDR]\n"
	"            [--mac MAC] [OPTIONS]\n"
	"    zcstack --tap NAME --dhcp [--addr6 ADDR6/PREFIX] [--mac MAC] [OPTIONS]\n"
	"    zcstack --tun NAME --addr ADDR/PREFIX [--addr6 ADDR6/PREFIX] [--gw ADDR]\n"
	"            [OPTIONS]\n"
	"    zcstack --help | --version\n"
	"\n"
	"DESCRIPTION\n"
	"    zcstack creates the TAP or TUN interface NAME in the network namespace\n"
	"    it runs in, sets its MTU, brings it up, and answers on the device's wire\n"
	"    side as the host ADDR: the kernel's side of the device is its peer on the\n"
	"    link. Give the kernel's side an address in the same subnet with ip(8)\n"
	"    and ping ADDR, or send it UDP datagrams.\n"
	"\n"
	"    The host is libzcstack, a sans-I/O stack on libzc's views. On a TAP it\n"
	"    speaks Ethernet and ARP with its own MAC address; on a TUN it takes and\n"
	"    sends bare IP packets. It answers ICMP echo requests, echoes UDP\n"
	"    datagrams on each --udp-echo port (the payload handed over as a view of\n"
	"    the received frame, without a copy), and answers a datagram to any other\n"
	"    port with an ICMP port unreachable. It serves TCP echo (RFC 862),\n"
	"    discard (RFC 863), source (after RFC 864) and HTTP/1.1 on the ports\n"
	"    given, and answers a segment to any other TCP port with a reset. IPv4\n"
	"    fragments are reassembled, and what it sends beyond the MTU goes in\n"
	"    fragments.\n"
	"\n"
	"    With --addr6 it is an IPv6 host too: on a TAP it makes a link-local\n"
	"    address from its MAC, probes both addresses for duplicates (one second)\n"
	"    and answers neighbour solicitations; it answers ICMPv6 echo requests,\n"
	"    reassembles IPv6 fragments, and serves the same UDP and TCP ports over\n"
	"    IPv6 as over IPv4.\n"
	"\n"
	"    One thread reads the device and runs the stack's timers (ARP retries\n"
	"    and ageing, reassembly, TCP retransmission) on CLOCK_MONOTONIC; memory\n"
	"    is fixed when the stack is made.\n"
	"\n"
	"OPTIONS\n"
	"        --tap NAME        Create the TAP (Ethernet) interface NAME, at most\n"
	"                          15 characters.\n"
	"        --tun NAME        Create the TUN (IP) interface NAME instead. Its\n"
	"                          kernel side is a point-to-point link:\n"
	"                          ip addr add PEER peer ADDR dev NAME.\n"
	"    -a, --addr ADDR/PREFIX\n"
	"                          The host's IPv4 address and the length of its\n"
	"                          subnet's prefix, 1 to 32, as 10.77.0.2/24.\n"
	"    -6, --addr6 ADDR6/PREFIX\n"
	"                          An IPv6 address of the host and the length of its\n"
	"                          on-link prefix, 1 to 128, as fd77::2/64.\n"
	"    -g, --gw ADDR         The next hop for destinations off the subnet (it\n"
	"                          must be on the subnet). Without it only the\n"
	"                          subnet is reachable.\n"
	"        --dhcp            Lease the IPv4 address, the subnet and the\n"
	"                          gateway from a DHCP server on the link (RFC\n"
	"                          2131) instead of --addr and --gw, TAP only; the\n"
	"                          lease is renewed at T1 and T2, and each address\n"
	"                          taken or given up is printed on stderr. Until\n"
	"                          then the host answers nothing on IPv4.\n"
	"    -M, --mac MAC         The host's Ethernet address on a TAP, as\n"
	"                          02:00:0a:4d:00:02 (unicast). The default is the\n"
	"                          locally administered 02:00 followed by the four\n"
	"                          bytes of ADDR (with --dhcp, of a hash of NAME).\n"
	"    -m, --mtu N           The IP MTU of the interface and the stack, %u to\n"
	"                          %u (default %u).\n"
	"    -u, --udp-echo PORT   Echo every UDP datagram to PORT back to its\n"
	"                          sender. May be given up to %u times.\n"
	"        --tcp-echo PORT   Serve TCP echo on PORT: every byte a connection\n"
	"                          sends comes back.\n"
	"        --tcp-discard PORT\n"
	"                          Serve TCP discard on PORT: every byte is read and\n"
	"                          dropped.\n"
	"        --tcp-source PORT\n"
	"                          Serve a TCP source on PORT: each connection is\n"
	"                          sent an endless stream until the peer closes\n"
	"                          (what it sends is read and dropped). The stream\n"
	"                          is that of RFC 864's character generator: lines\n"
	"                          of 72 printable characters and CR LF, line n\n"
	"                          (from 0) starting at the character 32 + n %% 95\n"
	"                          and counting up, wrapping from 126 to 32.\n"
	"        --http PORT:DIR   Serve HTTP/1.1 on PORT: GET and HEAD of the regular\n"
	"                          files in DIR and below it, with Content-Length, on\n"
	"                          persistent connections (pipelined requests are\n"
	"                          answered in order). A GET with one byte range\n"
	"                          (Range: bytes=A-B, A- or -N) gets 206 and that\n"
	"                          part, or 416 when it starts past the end; a list\n"
	"                          of ranges is ignored. A name that is not a regular\n"
	"                          file gives 404, a malformed request 400 (and the\n"
	"                          connection closes), a name with a '..' segment or\n"
	"                          one that leads out of DIR 403, another method\n"
	"                          405, a request line and headers beyond %u bytes\n"
	"                          431. A request with a body is answered, then the\n"
	"                          connection closes. At most %u connections are\n"
	"                          served at once (more are closed at once); one\n"
	"                          left %u s without a request is closed.\n"
	"        --tcp-ring BYTES  Bytes of each TCP connection's send ring and of\n"
	"                          its receive ring, %u to %u (default %u);\n"
	"                          the receive ring bounds the window it offers.\n"
	"        --tcp-retries N   Retransmission timeouts in a row, 1 to 15\n"
	"                          (default %u), before a connection whose peer\n"
	"                          stopped answering is given up and freed.\n"
	"        --no-sack         TCP without SACK (RFC 2018): no SACK-permitted\n"
	"                          offered or taken, and fast recovery sends one\n"
	"                          hole a round trip (NewReno) instead of every\n"
	"                          hole the peer's SACK blocks show (RFC 6675).\n"
	"        --drop P          Drop each frame, received or sent, with\n"
	"                          probability P (0 to 1, default 0).\n"
	"        --duplicate P     Give the stack each received frame twice, and\n"
	"                          write each sent frame twice, with probability P.\n"
	"        --corrupt P       Flip one bit at random in each frame, received or\n"
	"                          sent, with probability P.\n"
	"        --reorder P       Hold each received frame, with probability P,\n"
	"                          until the next one has reached the stack (at\n"
	"                          most 10 ms): the two arrive swapped.\n"
	"        --delay MS        Give each received frame to the stack MS\n"
	"                          milliseconds (0 to 10000) after it came: a longer\n"
	"                          round trip. At most %u frames wait; more go at\n"
	"                          once.\n"
	"    -s, --seed N          Seed of the fault injector's generator (default\n"
	"                          1): the same seed and the same traffic give the\n"
	"                          same faults.\n"
	"        --no-offload      Open a TAP without a virtio header: one frame of\n"
	"                          at most the MTU per read and write. By default a\n"
	"                          TAP has IFF_VNET_HDR and asks for checksum\n"
	"                          offload and TSO for IPv4 and IPv6 (and for\n"
	"                          ECN-marked TSO), with one step less each time\n"
	"                          the kernel refuses (without ECN, without TSO6,\n"
	"                          without TSO, without offloads; without the header\n"
	"                          when the kernel does not know it); the first\n"
	"                          line on stderr says what it took. The kernel then\n"
	"                          hands over TCP segments of up to 64 KiB, with a\n"
	"                          partial checksum the stack takes as checked, and\n"
	"                          with TSO for both families the stack sends\n"
	"                          segments of up to 64 KiB for the kernel to cut.\n"
	"                          Faults apply to each frame as read or written,\n"
	"                          large or not: --corrupt completes a partial\n"
	"                          checksum before it flips a bit, and sends no\n"
	"                          large segments; --delay asks for checksum\n"
	"                          offload only (its slots hold one MTU). A TUN\n"
	"                          never has the header.\n"
	"        --tap-offloads all|tso|tso4|csum|none\n"
	"                          The most TAP offloads to ask for (default all):\n"
	"                          tso leaves out nothing a TAP has, tso4 leaves\n"
	"                          out TSO for IPv6 (and so large segments sent),\n"
	"                          csum keeps checksum offload alone, none keeps\n"
	"                          the virtio header without offloads.\n"
	"    -v, --verbose         Also say on stderr why an offload was not used.\n"
	"    -h, --help            Show this text and exit.\n"
	"    -V, --version         Show the version and exit.\n"
	"\n"
	"SIGNALS\n"
	"    SIGUSR1          Print the counters on stderr, one 'name value' a line.\n"
	"    SIGINT, SIGTERM  Stop: print the counters, close the device (which\n"
	"                     removes it), exit 0.\n"
	"\n"
	"COUNTERS\n"
	"    The stack's counters:\n"
	"\n";

static const char usage_tail[] =
	"\n"
	"EXIT STATUS\n"
	"    0  stopped by SIGINT or SIGTERM, or --help / --version.\n"
	"    1  the device, the stack or the signals could not be set up, or the\n"
	"       device failed (not root? no /dev/net/tun? the name in use?).\n"
	"    2  bad command line.\n"
	"\n"
	"EXAMPLES\n"
	"    A host on a TAP answering ping and echoing UDP port 7:\n"
	"        zcstack --tap zs0 --addr 10.77.0.2/24 --udp-echo 7 &\n"
	"        ip addr add 10.77.0.1/24 dev zs0\n"
	"        ping -c 3 10.77.0.2\n"
	"        echo hello | socat - UDP:10.77.0.2:7\n"
	"        kill -USR1 %1\n"
	"    The same on a TUN, losing three frames in ten:\n"
	"        zcstack --tun zs1 --addr 10.78.0.2/24 --drop 0.3 --seed 7 &\n"
	"        ip addr add 10.78.0.1 peer 10.78.0.2 dev zs1\n"
	"        ping -c 10 10.78.0.2\n"
	"    Files over HTTP, and 1 MB of the source stream:\n"
	"        zcstack --tap zs0 --addr 10.77.0.2/24 --http 80:/srv/www \\\n"
	"            --tcp-source 19 &\n"
	"        ip addr add 10.77.0.1/24 dev zs0\n"
	"        curl -o file http://10.77.0.2/file\n"
	"        socat -u TCP:10.77.0.2:19 - | head -c 1000000 >stream\n"
	"\n"
	"SEE ALSO\n"
	"    libzc(3), libzcstack(3), zctun(8), ip(8), ping(8), socat(1), curl(1)\n";

/*
 * One counter of the COUNTERS section: its name, then its help cut at
 * spaces to fit 79 columns, the lines after the first under the first, so
 * that the text and the manual page made from it read on a terminal.
 */
static void help_line(FILE *f, const char *name, const char *help)
{
	enum { INDENT = 4 + 22 + 1, WIDTH = 79 - INDENT };
	size_t len = strlen(help);

	fprintf(f, "    %-22s ", name);
	while (len > WIDTH) {
		size_t cut = WIDTH;

		while (cut > 0 && help[cut] != ' ')
			cut--;
		if (cut == 0) /* a word longer than the column: left whole */
			break;
		fprintf(f, "%.*s\n%*s", (int)cut, help, INDENT, "");
		help += cut + 1;
		len -= cut + 1;
	}
	fprintf(f, "%s\n", help);
}

static void usage(FILE *f)
{
	/* The format strings are fixed: the counters' help is printed as data, never as a format. */
	fprintf(f, usage_head, ZCSTACK_MIN_MTU, ZCSTACK_MAX_MTU, ZCSTACK_DEFAULT_MTU, ZCSTACK_MAX_ECHO,
		ZCSTACK_HTTP_REQ_MAX, ZCSTACK_MAX_HTTP, ZCSTACK_HTTP_IDLE_S, ZCSTACK_MIN_TCP_RING, ZCSTACK_MAX_TCP_RING,
		ZCSTACK_DEFAULT_TCP_RING, ZCS_TCP_RETRIES, ZCSTACK_HOLD_FRAMES);
#define ZCSTACK_HELP_(name, help) help_line(f, #name, help);
	ZCS_COUNTERS(ZCSTACK_HELP_)
	fputs("\n    zcstack's own, after them:\n\n", f);
	ZCSTACK_COUNTERS(ZCSTACK_HELP_)
#undef ZCSTACK_HELP_
	fputs(usage_tail, f);
}

typedef struct zcstack {
	zcstack_config cfg;
	zcs_stack *stack;
	int fd;
	bool vnet;              /* every read and write carries a virtio_net_hdr (dev.c) */
	unsigned offloads;      /* TUN_F_* the TAP took */
	unsigned tso_max;       /* the stack's zcs_config.tso_max: 0 when off */
	uint64_t now;           /* the time of the frame being handled, for the stack's calls */
	zcstack_faults faults;
	zcstack_hold hold;
	zcstack_stats st;
	zcstack_tcp tcp;
	uint32_t leased;        /* --dhcp: the address last reported; 0: none */
	uint8_t txbuf[ZC_ETH_HDR_LEN + ZCSTACK_MAX_MTU]; /* a sent frame --corrupt flips a bit in */
	/* One frame read, behind its virtio header: the largest a TAP or TUN hands over, whatever its MTU says. */
	uint8_t rxbuf[ZC_VNET_HDR_LEN + ZCSTACK_FRAME_MAX];
} zcstack;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void stats_print(const zcstack *z)
{
	zcs_stats st;

	zcs_stats_get(z->stack, &st);
	/* One stdio call per line, flushed at once: stderr is unbuffered. */
#define ZCSTACK_PRINT_STACK_(name, help) fprintf(stderr, "%-22s %" PRIu64 "\n", #name, st.name);
	ZCS_COUNTERS(ZCSTACK_PRINT_STACK_)
#undef ZCSTACK_PRINT_STACK_
#define ZCSTACK_PRINT_OWN_(name, help) fprintf(stderr, "%-22s %" PRIu64 "\n", #name, z->st.name);
	ZCSTACK_COUNTERS(ZCSTACK_PRINT_OWN_)
#undef ZCSTACK_PRINT_OWN_
}

/* The hold stage keeps its own counts: copied into the program's before they are printed. */
static void stats_sync(zcstack *z)
{
	z->st.fault_rx_delayed = z->hold.delayed;
	z->st.fault_rx_reordered = z->hold.reordered;
}

/* Writes one frame, behind the virtio header vh when the device has one (NULL: a frame sent as it is). */
static int dev_write(zcstack *z, const uint8_t *frame, size_t len, const zc_vnet *vh)
{
	static const zc_vnet none;
	uint8_t hdr[ZC_VNET_HDR_LEN];
	struct iovec iov[2];
	ssize_t n;

	if (!z->vnet) {
		n = write(z->fd, frame, len);
	} else {
		zc_vnet_store(vh ? vh : &none, hdr);
		iov[0].iov_base = hdr;
		iov[0].iov_len = sizeof hdr;
		iov[1].iov_base = (void *)(uintptr_t)frame;
		iov[1].iov_len = len;
		n = writev(z->fd, iov, 2);
		len += sizeof hdr;
	}
	if (n == (ssize_t)len)
		return 0;
	z->st.dev_tx_errors++;
	return -1;
}

/* The stack's transmit callbacks: faults first, then the device. */
static int tx_frame(zcstack *z, const uint8_t *frame, size_t len, const zc_vnet *vh)
{
	bool dup;

	if (zcstack_faults_hit(&z->faults, z->faults.p_drop)) {
		z->st.fault_tx_dropped++;
		return 0; /* lost on the wire, not refused by the device */
	}
	if (len && len <= sizeof z->txbuf && zcstack_faults_hit(&z->faults, z->faults.p_corrupt)) {
		memcpy(z->txbuf, frame, len);
		zcstack_faults_corrupt(&z->faults, z->txbuf, len);
		frame = z->txbuf;
		z->st.fault_tx_corrupted++;
	}
	dup = zcstack_faults_hit(&z->faults, z->faults.p_dup);
	if (dev_write(z, frame, len, vh) < 0)
		return -1;
	if (dup) {
		z->st.fault_tx_duplicated++;
		(void)dev_write(z, frame, len, vh);
	}
	return 0;
}

static int tx(void *ctx, const uint8_t *frame, size_t len)
{
	return tx_frame(ctx, frame, len, NULL);
}

/*
 * A large TCP segment for the kernel to cut (zcs_config.tso_max): the
 * virtio header gives the segment size and asks for the checksum the stack
 * left partial. --corrupt turns large segments off (stack_start()): a bit
 * flipped before the kernel sums each segment would go out undetectable.
 */
static int tx_gso(void *ctx, const uint8_t *frame, size_t len, const zcs_gso *g)
{
	zc_vnet vh;

	vh.flags = ZC_VNET_F_NEEDS_CSUM;
	vh.gso_type = g->type == ZCS_GSO_TCPV6 ? ZC_VNET_GSO_TCPV6 : ZC_VNET_GSO_TCPV4;
	vh.hdr_len = g->hdr_len;
	vh.gso_size = g->size;
	vh.csum_start = g->csum_start;
	vh.csum_offset = g->csum_offset;
	return tx_frame(ctx, frame, len, &vh);
}

/* The zero-copy receive callback of every echo socket: the payload is a view of rxbuf. */
static void echo(void *ctx, int sock, const zcs_addr *from, zc_buf payload)
{
	zcstack *z = ctx;

	if (zcs_udp_sendto_addr(z->stack, sock, from, payload.p, payload.len, z->now) != ZC_OK)
		z->st.echo_fail++;
}

/* A frame let go by the hold stage (or never held): to the stack, at the time now. */
static void deliver(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	zcstack *z = ctx;

	/* A drop is counted by reason in the stack's counters: the code adds nothing here. */
	(void)zcs_input_flags(z->stack, zc_buf_make((void *)(uintptr_t)frame, len), flags, z->now);
}

/* Where TCP's and UDP's checksum fields lie in their headers: the partial checksums the stack may trust. */
#define ZCSTACK_TCP_CSUM_OFF 16
#define ZCSTACK_UDP_CSUM_OFF 6

/*
 * The virtio header of a frame of len bytes, checked against it (the
 * kernel's header is input as much as the frame): a GSO type of the TCP
 * offloads asked for, with a segment size and a partial checksum; a partial
 * checksum's field inside the frame. Returns the frame's ZCS_RX_* flags, or
 * -1 for a header that contradicts the frame. A partial checksum of another
 * kind than TCP's or UDP's is completed here, and the stack checks it.
 */
static int vnet_rx(zcstack *z, const zc_vnet *vh, uint8_t *f, size_t len)
{
	unsigned type = vh->gso_type & ~(unsigned)ZC_VNET_GSO_ECN;

	if (type != ZC_VNET_GSO_NONE) {
		if ((type != ZC_VNET_GSO_TCPV4 && type != ZC_VNET_GSO_TCPV6) || vh->gso_size == 0 ||
		    !(vh->flags & ZC_VNET_F_NEEDS_CSUM) || vh->hdr_len > len)
			return -1;
		z->st.dev_rx_large++;
	}
	if (vh->flags & ZC_VNET_F_NEEDS_CSUM) {
		/* Lengths compared, never pointer sums: no overflow. */
		if (vh->csum_start > len || len - vh->csum_start < (size_t)vh->csum_offset + 2)
			return -1;
		if (vh->csum_offset != ZCSTACK_TCP_CSUM_OFF && vh->csum_offset != ZCSTACK_UDP_CSUM_OFF) {
			(void)zc_vnet_csum_complete(f, len, vh->csum_start, vh->csum_offset);
			return 0;
		}
		z->st.dev_rx_csum_partial++;
		return ZCS_RX_CSUM_TRUSTED;
	}
	return vh->flags & ZC_VNET_F_DATA_VALID ? ZCS_RX_CSUM_TRUSTED : 0;
}

/*
 * One frame from the device (f, len bytes, in rxbuf), through the faults, to
 * the stack; vh is its virtio header, NULL without one.
 */
static void frame_in(zcstack *z, uint8_t *f, size_t len, const zc_vnet *vh)
{
	unsigned flags = 0;
	bool dup;
	int r;

	z->now = now_us();
	if (vh) {
		if ((r = vnet_rx(z, vh, f, len)) < 0) {
			z->st.dev_rx_vnet_bad++;
			return;
		}
		flags = (unsigned)r;
	}
	if (zcstack_faults_hit(&z->faults, z->faults.p_drop)) {
		z->st.fault_rx_dropped++;
		return;
	}
	if (len && zcstack_faults_hit(&z->faults, z->faults.p_corrupt)) {
		/*
		 * A flipped bit must show as a wire would show it: a partial
		 * checksum is completed first, and nothing is trusted after.
		 */
		if (vh && (vh->flags & ZC_VNET_F_NEEDS_CSUM))
			(void)zc_vnet_csum_complete(f, len, vh->csum_start, vh->csum_offset);
		flags = 0;
		zcstack_faults_corrupt(&z->faults, f, len);
		z->st.fault_rx_corrupted++;
	}
	dup = zcstack_faults_hit(&z->faults, z->faults.p_dup);
	zcstack_hold_in(&z->hold, &z->faults, f, len, flags, z->now, deliver, z);
	if (dup) {
		z->st.fault_rx_duplicated++;
		zcstack_hold_in(&z->hold, &z->faults, f, len, flags, z->now, deliver, z);
	}
}

static int stack_start(zcstack *z, char *err, size_t errlen)
{
	zcs_config sc;
	unsigned i;
	zc_err e;

	memset(&sc, 0, sizeof sc);
	sc.link = z->cfg.link;
	memcpy(sc.mac, z->cfg.mac, 6);
	sc.addr = z->cfg.addr;
	sc.dhcp = z->cfg.dhcp;
	sc.prefix_len = z->cfg.prefix_len;
	sc.gateway = z->cfg.gateway;
	memcpy(sc.addr6, z->cfg.addr6, 16);
	sc.prefix6_len = z->cfg.prefix6_len;
	sc.mtu = z->cfg.mtu;
	/* Every echo port has its socket; one more slot keeps the default's spare. */
	sc.udp_sockets = z->cfg.n_echo + 1;
	/* The listeners, the connections served, and room for those in the backlogs. */
	sc.tcp_sockets = ZCSTACK_SVC_N + ZCSTACK_MAX_CONNS + 64;
	sc.tcp_ring_bytes = z->cfg.tcp_ring;
	sc.tcp_retries = z->cfg.tcp_retries;
	sc.tcp_no_sack = z->cfg.no_sack;
	sc.tx = tx;
	sc.tx_ctx = z;
	/*
	 * Large segments where the TAP cuts them, for both families (the
	 * stack's tso_max is one for all connections); not under --corrupt.
	 */
	if (z->vnet && (z->offloads & (TUN_F_TSO4 | TUN_F_TSO6)) == (TUN_F_TSO4 | TUN_F_TSO6) &&
	    !(z->cfg.p_corrupt > 0)) {
		sc.tso_max = ZCS_TSO_MAX;
		sc.tx_gso = tx_gso;
	}
	z->tso_max = sc.tso_max;
	z->now = now_us();
	if ((e = zcs_create(&sc, z->now, &z->stack)) != ZC_OK) {
		snprintf(err, errlen, "cannot create the stack: %s", zc_strerror(e));
		return -1;
	}
	for (i = 0; i < z->cfg.n_echo; i++) {
		int sock = zcs_udp_open(z->stack);

		if (sock < 0 || (e = zcs_udp_bind(z->stack, sock, z->cfg.echo[i])) != ZC_OK ||
		    (e = zcs_udp_set_recv_addr(z->stack, sock, echo, z)) != ZC_OK) {
			snprintf(err, errlen, "cannot open the echo socket on UDP port %u: %s", z->cfg.echo[i],
				 zc_strerror(sock < 0 ? (zc_err)sock : e));
			return -1;
		}
	}
	return zcstack_tcp_start(&z->tcp, z->stack, &z->cfg, err, errlen);
}

/* --dhcp: an address taken or given up is told once, when it changes. */
static void lease_report(zcstack *z)
{
	uint32_t a = 0, gw = 0;
	uint8_t plen = 0;

	if (!z->cfg.dhcp)
		return;
	if (zcs_ipv4_get(z->stack, &a, &plen, &gw) != ZC_OK)
		a = 0;
	if (a == z->leased)
		return;
	z->leased = a;
	if (a)
		fprintf(stderr, "zcstack: leased %u.%u.%u.%u/%u, gateway %u.%u.%u.%u\n", a >> 24, (a >> 16) & 255,
			(a >> 8) & 255, a & 255, plen, gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255);
	else
		fputs("zcstack: lease given up\n", stderr);
}

/* Milliseconds poll(2) may sleep before the deadline, rounded up so as not to wake early. */
static int poll_timeout(uint64_t deadline, uint64_t now)
{
	uint64_t ms;

	if (deadline == ZCS_NEVER)
		return -1;
	if (deadline <= now)
		return 0;
	ms = (deadline - now + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * Reads what the device has, a bounded batch at a time so that the timers
 * and the signals are looked at between batches under a flood. Returns -1
 * when the device failed.
 */
static int dev_read(zcstack *z, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < 64; i++) {
		ssize_t n = read(z->fd, z->rxbuf, sizeof z->rxbuf);

		if (n >= 0 && !z->vnet) {
			frame_in(z, z->rxbuf, (size_t)n, NULL);
			continue;
		}
		if (n >= 0) {
			zc_vnet vh;

			if ((size_t)n < ZC_VNET_HDR_LEN) {
				z->st.dev_rx_vnet_bad++;
				continue;
			}
			zc_vnet_load(&vh, z->rxbuf);
			frame_in(z, z->rxbuf + ZC_VNET_HDR_LEN, (size_t)n - ZC_VNET_HDR_LEN, &vh);
			continue;
		}
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		z->st.dev_rx_errors++;
		snprintf(err, errlen, "cannot read from %s: %s", z->cfg.dev, strerror(errno));
		return -1;
	}
	return 0;
}

static int run(zcstack *z, int sfd, char *err, size_t errlen)
{
	for (;;) {
		struct pollfd pfd[2] = { { .fd = z->fd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		uint64_t now = now_us(), next, held, svc;
		int n;

		z->now = now;
		held = zcstack_hold_run(&z->hold, now, deliver, z);
		/*
		 * What the frames just let go brought, and what the timers did (a
		 * connection given up), is served before the wait; what that sent
		 * may want a timer: the deadline is asked for after it.
		 */
		(void)zcs_poll(z->stack, now);
		svc = zcstack_tcp_serve(&z->tcp, z->stack, &z->st, now);
		next = zcs_poll(z->stack, now);
		lease_report(z);
		if (svc < next)
			next = svc;
		n = poll(pfd, 2, poll_timeout(held < next ? held : next, now));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				if (si.ssi_signo == SIGUSR1) {
					stats_sync(z);
					stats_print(z);
				}
				else
					return 0;
			}
		}
		if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			snprintf(err, errlen, "%s failed (poll reports 0x%x)", z->cfg.dev, (unsigned)pfd[0].revents);
			return -1;
		}
		if ((pfd[0].revents & POLLIN) && dev_read(z, err, errlen) < 0)
			return -1;
		z->now = now_us();
		(void)zcstack_tcp_serve(&z->tcp, z->stack, &z->st, z->now);
	}
}

int main(int argc, char **argv)
{
	static zcstack state;
	zcstack *z = &state;
	char err[512];
	int action, sfd = -1, status = ZCSTACK_EXIT_RUNTIME;
	sigset_t sigs;

	if (zcstack_config_parse(&z->cfg, argc, argv, &action, err, sizeof err) < 0) {
		fprintf(stderr, "zcstack: %s\nTry 'zcstack --help' for more information.\n", err);
		return ZCSTACK_EXIT_USAGE;
	}
	if (action == ZCSTACK_HELP) {
		usage(stdout);
		return ZCSTACK_EXIT_OK;
	}
	if (action == ZCSTACK_VERSION) {
		printf("zcstack (%s) %s\nlibzc %s\n", PACKAGE_NAME, PACKAGE_VERSION, zc_version());
		return ZCSTACK_EXIT_OK;
	}
	z->fd = -1;
	z->tcp.http_svc.dirfd = -1;
	zcstack_faults_init(&z->faults, &z->cfg);
	if (zcstack_hold_init(&z->hold, &z->cfg) < 0) {
		fprintf(stderr, "zcstack: no memory for the frames --delay holds\n");
		return ZCSTACK_EXIT_RUNTIME;
	}

	/* Blocked before anything can be sent, so that none is lost between set-up and the loop. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0 || (sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		snprintf(err, sizeof err, "cannot take the signals: %s", strerror(errno));
		goto fail;
	}
	{
		zc_vnet_dev d;

		if (zcstack_dev_open(&z->cfg, &d, err, sizeof err) < 0)
			goto fail;
		z->fd = d.fd;
		z->vnet = d.vnet;
		z->offloads = d.offloads;
		/* The gratuitous ARP zcs_create() sends goes out on a device already up. */
		if (stack_start(z, err, sizeof err) < 0)
			goto fail;
		zcstack_dev_report(&z->cfg, &d, z->tso_max);
	}
	if (run(z, sfd, err, sizeof err) < 0) {
		stats_sync(z);
		stats_print(z);
		goto fail;
	}
	stats_sync(z);
	stats_print(z);
	status = ZCSTACK_EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "zcstack: %s\n", err);
out:
	zcstack_tcp_stop(&z->tcp);
	zcs_destroy(z->stack);
	zcstack_hold_free(&z->hold);
	if (z->fd >= 0)
		close(z->fd);
	if (sfd >= 0)
		close(sfd);
	return status;
}
