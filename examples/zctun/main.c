/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/main.c - zctun, a point-to-point IP tunnel over UDP built on
 * libzc's views: set-up, the three data-path threads, signals, shutdown.
 *
 * Every signal zctun handles is blocked in all threads and taken by the main
 * thread with sigwaitinfo(): no handler runs in the middle of the data path,
 * and printing the counters on SIGUSR1 is ordinary code.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_tun.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "zctun.h"

static const char usage_text[] =
	"NAME\n"
	"    zctun - IP tunnel over UDP (plain or WireGuard), built on libzc views\n"
	"\n"
	"SYNOPSIS\n"
	"    zctun --tun NAME --listen ADDR:PORT --peer ADDR:PORT [--mtu N] [OPTIONS]\n"
	"    zctun --config FILE [OPTIONS]\n"
	"    zctun --wireguard --tun NAME --config FILE [OPTIONS]\n"
	"    zctun --help | --version\n"
	"\n"
	"DESCRIPTION\n"
	"    zctun creates the TUN interface NAME (or attaches to an existing one),\n"
	"    sets its MTU, brings it up, and carries every IP packet routed into it\n"
	"    to the peer in one UDP datagram; datagrams from the peer are written back\n"
	"    to the TUN. IPv4 and IPv6 work both inside the tunnel and outside it.\n"
	"    Addresses and routes on the interface are set with ip(8), as for any\n"
	"    interface. Only datagrams from the configured peer address and port are\n"
	"    accepted; anything else is counted and dropped.\n"
	"\n"
	"    The TUN is opened with IFF_VNET_HDR and TSO/USO offloads where the kernel\n"
	"    has them, so one read returns up to 64 KiB of a TCP or UDP flow; zctun\n"
	"    cuts it into segments with libzc views and sends them with UDP GSO. It\n"
	"    receives with recvmmsg and UDP GRO, merges TCP segments of one flow back\n"
	"    into super-packets (and UDP datagrams of one flow into USO super-packets,\n"
	"    where the TUN took USO) and writes them to the TUN from a thread of its\n"
	"    own.\n"
	"    Memory is a fixed set of buffer pools, whatever the number of flows.\n"
	"\n"
	"    With --wireguard, zctun speaks WireGuard (Noise_IKpsk2 handshakes,\n"
	"    cookies, timers, roaming, cryptokey routing) to any number of peers and\n"
	"    interoperates with wireguard-go and the kernel's WireGuard. Each packet\n"
	"    is encrypted in place in the send batch (ChaCha20-Poly1305, padded to 16\n"
	"    bytes) and decrypted in place in its receive buffer; a packet whose\n"
	"    inner source lies outside its peer's AllowedIPs is dropped. Until a\n"
	"    peer has a session its packets are held (wg_staged: up to 128 a peer,\n"
	"    the oldest going first, 1024 in all) while the handshake is sent, and\n"
	"    go out once it completes (wg_staged_sent); they are freed\n"
	"    (drop_wg_staged) if it fails for 90 seconds or the peer is removed.\n"
	"    Peers cost under 1 KiB each when idle: a session's keys and replay\n"
	"    window come from a pool of 4096 keypairs (a handshake that finds it\n"
	"    empty makes no session: drop_wg_nokeypair). Decryption runs on\n"
	"    --workers threads; handshakes are answered by a thread of their own,\n"
	"    from a queue of 64 (drop_wg_handshake past it), with cookies under load.\n"
	"\n"
	"OPTIONS\n"
	"    -t, --tun NAME        TUN interface name (at most 15 characters).\n"
	"    -l, --listen ADDR:PORT\n"
	"                          Local UDP address to bind. IPv6 in brackets:\n"
	"                          [fd00::1]:5000. '*:PORT' or ':PORT' binds the\n"
	"                          any-address of the peer's family.\n"
	"    -p, --peer ADDR:PORT  The other end. ADDR may be a host name.\n"
	"    -m, --mtu N           MTU of the TUN, %u to %u (default %u: room for\n"
	"                          the outer IPv6 and UDP headers in a 1500-byte link).\n"
	"                          The outer link must carry N + 28 bytes (IPv4) or\n"
	"                          N + 48 (IPv6); IPv6 inside needs N >= 1280.\n"
	"    -c, --config FILE     Read settings from FILE (see CONFIGURATION FILE).\n"
	"                          Options on the command line take precedence.\n"
	"        --no-offload      Open the TUN without IFF_VNET_HDR: one packet per\n"
	"                          read and write, no TSO, no coalescing.\n"
	"        --tun-offloads all|tso|tso4|csum|none\n"
	"                          The most TUN offloads to ask for (default all:\n"
	"                          checksum, TSO and USO, as far as the kernel goes).\n"
	"                          Without TSO no TCP super-packets are read or\n"
	"                          written; without USO (tso) UDP from the peer is\n"
	"                          written packet by packet; with none, plain\n"
	"                          packets behind a virtio header.\n"
	"        --no-udp-gso      Send with sendmmsg, one datagram per message.\n"
	"        --no-udp-gro      Receive one datagram per buffer.\n"
	"    -b, --buffers N       Receive buffers of 64 KiB in the pool (4-4096,\n"
	"                          default 32). The memory zctun uses is about\n"
	"                          N * 64 KiB plus 400 KiB.\n"
	"    -B, --batch N         Buffers one recvmmsg fills at most (1-64, default 16).\n"
	"    -w, --workers N       Decryption worker threads (0-64; default: the\n"
	"                          online CPUs with --wireguard, else 0): the\n"
	"                          receiver hands each receive buffer to one of N\n"
	"                          workers, round robin, which run the transform's\n"
	"                          decap and the coalescing; the TUN writer takes\n"
	"                          the buffers in the order they were received, each\n"
	"                          once it is done, so every peer's order is kept.\n"
	"                          0 or 1: the receiver does it itself.\n"
	"    -s, --sockbuf BYTES   UDP socket send and receive buffers (default 16 MiB,\n"
	"                          kernel memory, not zctun's): the slack while the\n"
	"                          TUN writer catches up; too small, and bursts of\n"
	"                          many TCP streams overflow it (drop_socket_full).\n"
	"        --transform NAME  The transform stage between parse and send:\n"
	"                          identity (the default) or test-xor, which marks\n"
	"                          and scrambles packets to exercise the stage; it\n"
	"                          is NOT encryption. Both ends must agree.\n"
	"        --wireguard       WireGuard mode: --config FILE is in wg(8)'s format\n"
	"                          (see WIREGUARD); --listen, --peer and --transform\n"
	"                          do not apply.\n"
	"    -v, --verbose         Report the offloads in use and fallbacks on stderr.\n"
	"    -h, --help            Show this text and exit.\n"
	"    -V, --version         Show the version and exit.\n"
	"\n"
	"CONFIGURATION FILE\n"
	"    Lines of 'key = value'; '#' starts a comment. The keys are the long\n"
	"    options without dashes: tun, listen, peer, mtu, buffers, batch, workers,\n"
	"    sockbuf, transform, tun-offloads, and the switches offload, udp-gso,\n"
	"    udp-gro, verbose, which take yes or no.\n"
	"\n"
	"        # /etc/zctun/zt0.conf\n"
	"        tun    = zt0\n"
	"        listen = 192.0.2.1:5000\n"
	"        peer   = 192.0.2.2:5000\n"
	"        mtu    = 1420\n"
	"\n"
	"WIREGUARD\n"
	"    The file is what wg(8) reads: [Interface] with PrivateKey, ListenPort\n"
	"    and FwMark; any number of [Peer] sections with PublicKey, PresharedKey,\n"
	"    Endpoint (HOST:PORT or [IPV6]:PORT), AllowedIPs (a comma-separated list\n"
	"    of ADDRESS/CIDR, may repeat) and PersistentKeepalive (seconds or off).\n"
	"    Keys are base64 as wg genkey, wg pubkey and wg genpsk print them. A key\n"
	"    given twice in a section, a peer given twice, an unknown key or a bad\n"
	"    value is an error naming the file and line (exit status 2). One UDP\n"
	"    socket on ListenPort serves IPv4 and IPv6; a peer's endpoint follows\n"
	"    the source of its last authenticated datagram. While zctun runs, wg(8)\n"
	"    shows and changes it through /var/run/wireguard/NAME.sock (wg show,\n"
	"    wg set, wg setconf, wg showconf), as it does wireguard-go; only the\n"
	"    listening port cannot change.\n"
	"\n"
	"        # /etc/zctun/wg0.conf\n"
	"        [Interface]\n"
	"        PrivateKey = (wg genkey)\n"
	"        ListenPort = 51820\n"
	"        [Peer]\n"
	"        PublicKey = (the peer's wg pubkey)\n"
	"        Endpoint = 192.0.2.2:51820\n"
	"        AllowedIPs = 10.9.0.2/32, fd09::2/128\n"
	"        PersistentKeepalive = 25\n"
	"\n"
	"SIGNALS\n"
	"    SIGUSR1          Print the counters on stderr.\n"
	"    SIGINT, SIGTERM  Stop: flush, print the counters, remove nothing, exit 0.\n"
	"\n"
	"COUNTERS\n"
	"%s"
	"\n"
	"EXIT STATUS\n"
	"    0  stopped by SIGINT or SIGTERM, or --help / --version.\n"
	"    1  the TUN, the socket, the buffers or a thread could not be set up\n"
	"       (not root? no /dev/net/tun? address in use?).\n"
	"    2  bad command line or configuration file.\n"
	"\n"
	"EXAMPLE\n"
	"    host A (192.0.2.1):\n"
	"        zctun --tun zt0 --listen 192.0.2.1:5000 --peer 192.0.2.2:5000 &\n"
	"        ip addr add 10.9.0.1/24 dev zt0\n"
	"    host B (192.0.2.2):\n"
	"        zctun --tun zt0 --listen 192.0.2.2:5000 --peer 192.0.2.1:5000 &\n"
	"        ip addr add 10.9.0.2/24 dev zt0\n"
	"        ping 10.9.0.1\n"
	"\n"
	"SEE ALSO\n"
	"    libzc(3), zcrecv(1), ip(8), wg(8), wireguard-go(8)\n";

static void usage(FILE *f)
{
	char counters[8192];
	size_t n = 0;

#define ZCTUN_CNT_HELP_(name, help)                                                      \
	if (n < sizeof counters)                                                         \
		n += (size_t)snprintf(counters + n, sizeof counters - n, "    %-18s %s\n", #name, help);
	ZCTUN_COUNTERS(ZCTUN_CNT_HELP_)
#undef ZCTUN_CNT_HELP_
	if (n < sizeof counters)
		n += (size_t)snprintf(counters + n, sizeof counters - n,
				      "    %-18s %s\n    %-18s %s\n    %-18s %s\n    %-18s %s\n",
				      "wg_staged_sent", "held packets sent once their handshake completed",
				      "wg_staged_calls", "sendmmsg calls that sent them (UDP GSO runs)",
				      "drop_wg_staged", "held packets freed unsent (no handshake, peer gone, full)",
				      "wg_conf_lock_max_us",
				      "longest hold of the device lock by a wg(8) request, microseconds");
	fprintf(f, usage_text, ZCTUN_MIN_MTU, ZCTUN_MAX_MTU, ZCTUN_DEFAULT_MTU, counters);
}

/* The pools: receive buffers carry their zctun_rxmeta in the headroom. */
static int pools_create(zctun *t, char *err, size_t errlen)
{
	size_t meta = (sizeof(zctun_rxmeta) + 63) & ~(size_t)63;
	zc_pool_cfg rx = { .count = t->cfg.rx_buffers, .buf_size = meta + ZCTUN_MAX_PKT + 1, .headroom = meta };
	/* The TUN read buffer: a byte more than the largest read, to tell a cut one. */
	zc_pool_cfg tx = { .count = 1, .buf_size = ZC_VNET_HDR_LEN + ZCTUN_MAX_PKT + 1, .headroom = 0 };
	zc_pool_cfg batch = { .count = 1, .buf_size = ZCTUN_BATCH_BYTES, .headroom = 0 };
	zc_pbuf *b = NULL;
	zc_err e;

	e = zc_pool_create(&rx, &t->rx_pool);
	if (e == ZC_OK)
		e = zc_pool_create(&tx, &t->tx_pool);
	if (e == ZC_OK)
		e = zc_pool_create(&batch, &t->batch_pool);
	if (e == ZC_OK && (e = zc_pool_claim(t->batch_pool, ZC_POOL_NOWAIT, &b)) == ZC_OK)
		t->batch.buf = b->data.p;
	if (e != ZC_OK) {
		snprintf(err, errlen, "cannot set up the buffer pools: %s", zc_strerror(e));
		return -1;
	}
	t->batch_pbuf = b;
	return 0;
}

/* Gives back what the TUN writer left (every thread has ended: all of it is finished). */
static void drain_queue(zctun *t)
{
	zctun_order_item *it;
	bool idle;

	while ((it = zctun_order_next(&t->to_tun, 0, &idle)))
		zc_pbuf_release(zctun_rx_meta_of(it)->pbuf);
}

int main(int argc, char **argv)
{
	static zctun tun_state;
	zctun *t = &tun_state;
	char err[512];
	int action, status = ZCTUN_EXIT_OK;
	sigset_t sigs;
	pthread_t th_reader, th_receiver, th_writer;
	bool started = false;

	if (zctun_config_parse(&t->cfg, argc, argv, &action, err, sizeof err) < 0) {
		fprintf(stderr, "zctun: %s\nTry 'zctun --help' for more information.\n", err);
		return ZCTUN_EXIT_USAGE;
	}
	if (action == ZCTUN_HELP) {
		usage(stdout);
		return ZCTUN_EXIT_OK;
	}
	if (action == ZCTUN_VERSION) {
		printf("zctun (%s) %s\nlibzc %s\n", PACKAGE_NAME, PACKAGE_VERSION, zc_version());
		return ZCTUN_EXIT_OK;
	}

	t->tun.fd = t->udp.fd = t->stop_fd = -1;
	if (t->cfg.wireguard) {
		if (zctun_wg_setup(t, err, sizeof err) < 0) {
			fprintf(stderr, "zctun: %s\n", err);
			zctun_wg_free(t);
			return ZCTUN_EXIT_USAGE;
		}
	} else {
		t->xf = *zctun_xform_find(t->cfg.transform);
	}
	zctun_order_init(&t->to_tun);
	if (pools_create(t, err, sizeof err) < 0)
		goto fail;
	t->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->stop_fd < 0) {
		snprintf(err, sizeof err, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if (zctun_tun_open(&t->tun, &t->cfg, err, sizeof err) < 0)
		goto fail;
	if (zctun_udp_open(&t->udp, &t->cfg, err, sizeof err) < 0)
		goto fail;
	if (t->wg)
		zctun_wg_start(t);
	/* Merged TCP super-packets need the TUN to take TSO for their IP version. */
	t->coalesce = (t->tun.offloads & (TUN_F_TSO4 | TUN_F_TSO6)) == (TUN_F_TSO4 | TUN_F_TSO6);
	/* Merged UDP datagrams, USO for both versions (Linux 6.2). */
	t->coalesce_udp = (t->tun.offloads & (TUN_F_USO4 | TUN_F_USO6)) == (TUN_F_USO4 | TUN_F_USO6);
	if (t->cfg.verbose)
		fprintf(stderr, "zctun: %s up, mtu %u, virtio header %s, offloads 0x%x, coalescing %s, "
			"UDP coalescing %s, UDP GSO %s, UDP GRO %s, transform %s\n", t->tun.name, t->cfg.mtu,
			t->tun.vnet ? "on" : "off", t->tun.offloads, t->coalesce ? "on" : "off",
			t->coalesce_udp ? "on" : "off", t->udp.gso ? "on" : "off", t->udp.gro ? "on" : "off", t->xf.name);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* A write to a TUN whose interface went away must not kill us. */
	signal(SIGPIPE, SIG_IGN);

	if (zctun_workers_start(t, err, sizeof err) < 0) {
		started = t->nworkers > 0;
		goto fail;
	}
	if (pthread_create(&th_writer, NULL, zctun_tun_writer, t) != 0 ||
	    pthread_create(&th_receiver, NULL, zctun_udp_receiver, t) != 0 ||
	    pthread_create(&th_reader, NULL, zctun_tun_reader, t) != 0) {
		snprintf(err, sizeof err, "cannot start the threads");
		goto fail; /* exit() below ends whatever did start */
	}
	started = true;

	for (;;) {
		siginfo_t si;
		int sig;

		if (t->wg) {
			/* WireGuard's timers run here, between signals. */
			int ms = zctun_wg_tick(t);
			struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

			sig = sigtimedwait(&sigs, &si, &ts);
		} else {
			sig = sigwaitinfo(&sigs, &si);
		}

		if (sig == SIGUSR1 || sig == SIGHUP) {
			zctun_stats_print(t, STDERR_FILENO);
		} else if (sig == SIGINT || sig == SIGTERM) {
			break;
		}
	}

	atomic_store_explicit(&t->stopping, true, memory_order_release);
	{
		uint64_t one = 1;

		(void)!write(t->stop_fd, &one, sizeof one);
	}
	pthread_join(th_reader, NULL);
	pthread_join(th_receiver, NULL);
	zctun_workers_stop(t);
	if (t->wg)
		zctun_wg_stop(t);
	zctun_wake_writer(t);
	pthread_join(th_writer, NULL);
	drain_queue(t);
	zctun_stats_print(t, STDERR_FILENO);
	goto out;

fail:
	fprintf(stderr, "zctun: %s\n", err);
	status = ZCTUN_EXIT_RUNTIME;
	if (started)
		exit(status);
out:
	zctun_udp_close(&t->udp);
	zctun_tun_close(&t->tun);
	if (t->stop_fd >= 0)
		close(t->stop_fd);
	if (t->batch_pbuf)
		zc_pbuf_release(t->batch_pbuf);
	zc_pool_destroy(t->batch_pool);
	zc_pool_destroy(t->tx_pool);
	zc_pool_destroy(t->rx_pool);
	free(t->workers);
	zctun_wg_free(t);
	return status;
}
