/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zcrecv - the receive edge of a tunnel, in miniature.
 *
 * One thread owns the UDP socket. It claims buffers from a bounded pool,
 * reads a batch of datagrams straight into them with recvmmsg(2), marks the
 * bytes each received as valid, and pushes the buffers onto a lock-free MPSC
 * queue. A worker thread pops them, parses each datagram's payload in place
 * with libzc views (the payload is an IPv4 packet carrying UDP, as a tunnel
 * receives it), and releases the buffer, which goes back to the pool. Nothing
 * is copied and nothing is allocated after start-up: memory is the pool.
 *
 * The worker sleeps on a semaphore that the receiver posts once per batch,
 * after the pushes, as WireGuard queues its worker after every enqueue: so a
 * ZC_MPSC_BUSY result (a push half done) can simply end the drain, because
 * that push's own wake-up is still to come.
 *
 * --selftest sends datagrams to itself over 127.0.0.1 and checks that every
 * one arrives once, intact.
 */
/* recvmmsg(2) and sendmmsg(2) are Linux extensions. */
#define _GNU_SOURCE

#include "zc.h"

#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define MAX_BATCH 256
#define SELFTEST_SECONDS 60
/* The inner packet the self-test sends: IPv4 + UDP + an 8-byte sequence number. */
#define INNER_LEN (ZC_IPV4_MIN_HDR_LEN + ZC_UDP_HDR_LEN + 8)

static const char usage_text[] =
	"NAME\n"
	"    zcrecv - receive UDP datagrams into pool buffers and parse them with libzc views\n"
	"\n"
	"SYNOPSIS\n"
	"    zcrecv [-b ADDR] [-p PORT] [-n COUNT] [-B BUFFERS] [--batch N] [-q]\n"
	"    zcrecv --selftest[=N] [-B BUFFERS] [--batch N] [-q]\n"
	"    zcrecv --help | --version\n"
	"\n"
	"DESCRIPTION\n"
	"    zcrecv is the receive edge of a tunnel in miniature. One thread reads\n"
	"    batches of UDP datagrams with recvmmsg(2) straight into buffers claimed\n"
	"    from a bounded pool and pushes them onto a lock-free MPSC queue; a worker\n"
	"    thread pops them, parses each payload in place as an IPv4 packet with\n"
	"    libzc views, and releases the buffer to the pool. Nothing is copied and\n"
	"    nothing is allocated after start-up. At the end it prints what it\n"
	"    received and parsed on standard error.\n"
	"\n"
	"OPTIONS\n"
	"    -b, --bind ADDR     IPv4 address to listen on (default 127.0.0.1).\n"
	"    -p, --port PORT     UDP port to listen on (default 9999).\n"
	"    -n, --count N       Stop after N datagrams (default: until SIGINT or SIGTERM).\n"
	"    -B, --buffers N     Buffers in the pool, 1 to 1048576 (default 512).\n"
	"        --batch N       Datagrams per recvmmsg call, 1 to 256 (default 32).\n"
	"        --selftest[=N]  Send N datagrams (default 100000) to ourselves on\n"
	"                        127.0.0.1 and check that all arrive, once and intact.\n"
	"    -q, --quiet         Print nothing but errors.\n"
	"    -h, --help          Print this help and exit.\n"
	"    -V, --version       Print the version and exit.\n"
	"\n"
	"EXIT STATUS\n"
	"    0  success\n"
	"    1  runtime error (the socket cannot be bound, the pool cannot be made)\n"
	"       or a failed self-test\n"
	"    2  usage error: bad option or value\n"
	"\n"
	"EXAMPLES\n"
	"    zcrecv --selftest=1000000\n"
	"    zcrecv -b 127.0.0.1 -p 4000 -n 10000\n"
	"\n"
	"SEE ALSO\n"
	"    libzc(3), zctun(8), recvmmsg(2)\n";

typedef struct opts {
	struct in_addr addr;
	uint16_t port;
	uint64_t count;    /* 0: no limit */
	size_t buffers;
	unsigned batch;
	uint64_t selftest; /* 0: off */
	bool quiet;
} opts;

typedef struct stats {
	uint64_t datagrams, bytes, ipv4, udp, other, bad, truncated;
} stats;

typedef struct ctx {
	opts o;
	int fd;
	zc_pool *pool;
	zc_mpsc q;
	sem_t wake;
	atomic_bool stop;          /* set to end both threads */
	atomic_bool recv_done;     /* the receiver has returned */
	_Atomic uint64_t received; /* datagrams the receiver queued */
	_Atomic uint64_t handled;  /* datagrams the worker finished */
	stats st;                  /* the worker's; read after it ends */
	uint8_t *seen;             /* self-test: how often each sequence number came */
	uint64_t dups, out_of_range;
	int err;                   /* a fatal errno from the receiver, or 0 */
} ctx;

static atomic_bool interrupted;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&interrupted, true);
}

/* The worker: parse, account, release. */

static void handle(ctx *c, zc_pbuf *b)
{
	zc_ipv4 ip;
	zc_udp u;
	zc_buf l4;

	c->st.datagrams++;
	c->st.bytes += b->data.len;
	if (zc_ipv4_parse(zc_wbuf_ro(b->data), &ip) != ZC_OK) {
		c->st.other++;
		return;
	}
	c->st.ipv4++;
	if (!zc_ipv4_csum_ok(ip) || zc_ipv4_is_fragment(ip)) {
		c->st.bad++;
		return;
	}
	if (zc_ipv4_proto(ip) != ZC_IPPROTO_UDP)
		return;
	l4 = zc_ipv4_payload(ip);
	if (zc_udp_parse(l4, &u) != ZC_OK ||
	    !zc_udp_csum_ok(u, zc_ipv4_pseudo(ip, zc_udp_length(u)), ZC_UDP_OVER_IPV4)) {
		c->st.bad++;
		return;
	}
	c->st.udp++;
	if (c->seen && zc_udp_payload(u).len >= 8) {
		const uint8_t *p = zc_udp_payload(u).p;
		uint64_t seq = (uint64_t)zc_load_be32(p) << 32 | zc_load_be32(p + 4);

		if (seq >= c->o.selftest)
			c->out_of_range++;
		else if (c->seen[seq]++)
			c->dups++;
	}
}

static void *worker(void *arg)
{
	ctx *c = arg;

	for (;;) {
		zc_mpsc_node *n;
		zc_mpsc_res r;

		sem_wait(&c->wake);
		while ((r = zc_mpsc_pop_spin(&c->q, &n, 32)) == ZC_MPSC_GOT) {
			zc_pbuf *b = zc_pbuf_from_node(n);

			handle(c, b);
			zc_pbuf_release(b);
			atomic_fetch_add_explicit(&c->handled, 1, memory_order_release);
		}
		/* EMPTY, or BUSY: the half-done push posts the semaphore when done. */
		if (r == ZC_MPSC_EMPTY && atomic_load(&c->stop))
			break;
	}
	return NULL;
}

/* The receiver: claim, recvmmsg, push. */

static void *receiver(void *arg)
{
	ctx *c = arg;
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	zc_pbuf *spare[MAX_BATCH];
	unsigned nspare = 0, i;

	while (!atomic_load(&c->stop) && !atomic_load(&interrupted)) {
		int n;

		/*
		 * Top up to a full batch. Wait (briefly, to notice a stop) for the
		 * first buffer only: with one in hand, read what fits.
		 */
		while (nspare < c->o.batch) {
			int timeout = nspare ? ZC_POOL_NOWAIT : 100;

			if (zc_pool_claim(c->pool, timeout, &spare[nspare]) != ZC_OK)
				break;
			nspare++;
		}
		if (nspare == 0)
			continue;
		memset(msgs, 0, nspare * sizeof msgs[0]);
		for (i = 0; i < nspare; i++) {
			iov[i].iov_base = spare[i]->data.p;
			iov[i].iov_len = zc_pbuf_tailroom(spare[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(c->fd, msgs, nspare, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				continue; /* SO_RCVTIMEO expired: look at the stop flags */
			c->err = errno;
			break;
		}
		/* Received buffers leave from the front; the rest stay spare. */
		for (i = 0; i < (unsigned)n; i++) {
			zc_pbuf *b = spare[i];

			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
				/* Larger than a pool buffer: the tail is lost. Count and drop. */
				c->st.truncated++;
				zc_pbuf_release(b);
				continue;
			}
			zc_pbuf_push_tail(b, msgs[i].msg_len, NULL);
			/* Unbounded queue: the pool already bounds what can be in flight. */
			zc_mpsc_push(&c->q, &b->node);
			atomic_fetch_add_explicit(&c->received, 1, memory_order_relaxed);
		}
		memmove(spare, spare + n, (nspare - (unsigned)n) * sizeof spare[0]);
		nspare -= (unsigned)n;
		sem_post(&c->wake);
		if (c->o.count && atomic_load(&c->received) >= c->o.count)
			break;
	}
	for (i = 0; i < nspare; i++)
		zc_pbuf_release(spare[i]);
	atomic_store(&c->recv_done, true);
	return NULL;
}

/* The self-test sender. */

typedef struct sender {
	ctx *c;
	struct sockaddr_in to;
	int err;
} sender;

static void build_inner(uint8_t *p, uint64_t seq)
{
	zc_ipv4_rw ip;
	zc_udp_rw u;

	memset(p, 0, INNER_LEN);
	p[0] = 0x45;
	zc_store_be16(p + ZC_IPV4_TOTLEN_OFF, INNER_LEN);
	zc_store_be16(p + ZC_IPV4_ID_OFF, (uint16_t)seq);
	p[ZC_IPV4_TTL_OFF] = 64;
	p[ZC_IPV4_PROTO_OFF] = ZC_IPPROTO_UDP;
	zc_store_be32(p + ZC_IPV4_SRC_OFF, 0x0a000001); /* 10.0.0.1 */
	zc_store_be32(p + ZC_IPV4_DST_OFF, 0x0a000002); /* 10.0.0.2 */
	zc_store_be16(p + 20 + ZC_UDP_SPORT_OFF, 4000);
	zc_store_be16(p + 20 + ZC_UDP_DPORT_OFF, 5000);
	zc_store_be16(p + 20 + ZC_UDP_LEN_OFF, ZC_UDP_HDR_LEN + 8);
	zc_store_be32(p + 28, (uint32_t)(seq >> 32));
	zc_store_be32(p + 32, (uint32_t)seq);
	if (zc_ipv4_parse_rw(zc_wbuf_make(p, INNER_LEN), &ip) != ZC_OK)
		abort();
	zc_ipv4_csum_fill(ip);
	if (zc_udp_parse_rw(zc_ipv4_payload_rw(ip), &u) != ZC_OK)
		abort();
	zc_udp_csum_fill(u, zc_ipv4_pseudo(zc_ipv4_ro(ip), zc_udp_length(zc_udp_ro(u))));
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *send_all(void *arg)
{
	enum { BATCH = 32, WINDOW = 128 };
	sender *s = arg;
	ctx *c = s->c;
	uint8_t pkt[BATCH][INNER_LEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t seq = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&s->to, sizeof s->to) < 0) {
		s->err = errno;
		goto out;
	}
	while (seq < c->o.selftest && !atomic_load(&c->stop)) {
		unsigned k = 0;
		int n;

		/*
		 * Loopback drops what the socket buffer cannot hold, and its size
		 * is capped by net.core.rmem_max: keep at most WINDOW datagrams
		 * unhandled so that nothing is dropped and every one must arrive.
		 */
		while (seq - atomic_load_explicit(&c->handled, memory_order_acquire) + BATCH > WINDOW)
			if (atomic_load(&c->stop))
				goto out;
			else
				sched_yield();
		memset(msgs, 0, sizeof msgs);
		while (k < BATCH && seq + k < c->o.selftest) {
			build_inner(pkt[k], seq + k);
			iov[k].iov_base = pkt[k];
			iov[k].iov_len = INNER_LEN;
			msgs[k].msg_hdr.msg_iov = &iov[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
			k++;
		}
		n = sendmmsg(fd, msgs, k, 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			s->err = errno;
			break;
		}
		seq += (unsigned)n;
	}
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Setup and reporting. */

static int open_socket(ctx *c)
{
	struct sockaddr_in sa;
	struct timeval tv = {0, 100000}; /* wake every 100 ms to look at the stop flags */
	int rcvbuf = 4 << 20;

	c->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (c->fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr = c->o.addr;
	sa.sin_port = htons(c->o.port);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf); /* best effort */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
		return -1;
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return -1;
	return 0;
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int parse_args(int argc, char **argv, opts *o)
{
	enum { OPT_BATCH = 256, OPT_SELFTEST };
	static const struct option longopts[] = {
		{"bind", required_argument, NULL, 'b'},
		{"port", required_argument, NULL, 'p'},
		{"count", required_argument, NULL, 'n'},
		{"buffers", required_argument, NULL, 'B'},
		{"batch", required_argument, NULL, OPT_BATCH},
		{"selftest", optional_argument, NULL, OPT_SELFTEST},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	uint64_t v;
	int ch;

	memset(o, 0, sizeof *o);
	o->addr.s_addr = htonl(INADDR_LOOPBACK);
	o->port = 9999;
	o->buffers = 512;
	o->batch = 32;
	/* getopt's own messages would start with the path zcrecv was run by. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":b:p:n:B:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (inet_pton(AF_INET, optarg, &o->addr) != 1) {
				fprintf(stderr, "zcrecv: '%s' is not an IPv4 address\n", optarg);
				goto usage;
			}
			break;
		case 'p':
			if (!parse_u64(optarg, 0, 65535, &v))
				goto bad_value;
			o->port = (uint16_t)v;
			break;
		case 'n':
			if (!parse_u64(optarg, 1, UINT64_MAX, &o->count))
				goto bad_value;
			break;
		case 'B':
			if (!parse_u64(optarg, 1, 1u << 20, &v))
				goto bad_value;
			o->buffers = (size_t)v;
			break;
		case OPT_BATCH:
			if (!parse_u64(optarg, 1, MAX_BATCH, &v))
				goto bad_value;
			o->batch = (unsigned)v;
			break;
		case OPT_SELFTEST:
			o->selftest = 100000;
			if (optarg && !parse_u64(optarg, 1, 100000000, &o->selftest))
				goto bad_value;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("zcrecv (libzc) %s\n", zc_version());
			return 1;
		case ':':
			fprintf(stderr, "zcrecv: option '%s' needs a value\n", argv[optind - 1]);
			goto usage;
		default:
			if (optopt)
				fprintf(stderr, "zcrecv: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "zcrecv: unknown option '%s'\n", argv[optind - 1]);
			goto usage;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "zcrecv: unexpected argument '%s'\n", argv[optind]);
		goto usage;
	}
	return 0;

bad_value:
	fprintf(stderr, "zcrecv: bad value '%s'\n", optarg);
usage:
	fputs("Try 'zcrecv --help' for more information.\n", stderr);
	return -1;
}

int main(int argc, char **argv)
{
	static ctx c;
	zc_pool_cfg cfg;
	zc_pool_stats ps;
	pthread_t rth, wth, sth;
	sender snd;
	struct sigaction sa;
	double t0, dt;
	int rc = EXIT_SUCCESS;
	zc_err e;

	switch (parse_args(argc, argv, &c.o)) {
	case 1:
		return EXIT_SUCCESS;
	case -1:
		return EXIT_USAGE;
	}
	if (c.o.selftest) {
		/* Ourselves on loopback, any free port, exactly N datagrams. */
		c.o.addr.s_addr = htonl(INADDR_LOOPBACK);
		c.o.port = 0;
		c.o.count = c.o.selftest;
		c.seen = calloc(c.o.selftest, 1);
		if (!c.seen) {
			perror("zcrecv: calloc");
			return EXIT_FAILURE;
		}
	}

	/* 2048-byte buffers with 64 bytes of headroom: an Ethernet MTU and an outer header. */
	cfg = (zc_pool_cfg){c.o.buffers, 2048, 64, 0};
	e = zc_pool_create(&cfg, &c.pool);
	if (e != ZC_OK) {
		fprintf(stderr, "zcrecv: pool: %s\n", zc_strerror(e));
		return EXIT_FAILURE;
	}
	zc_mpsc_init(&c.q, 0);
	if (sem_init(&c.wake, 0, 0) < 0) {
		perror("zcrecv: sem_init");
		return EXIT_FAILURE;
	}
	if (open_socket(&c) < 0) {
		fprintf(stderr, "zcrecv: cannot listen on UDP %s:%u: %s\n", inet_ntoa(c.o.addr), c.o.port,
			strerror(errno));
		return EXIT_FAILURE;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	t0 = now_s();
	if (pthread_create(&wth, NULL, worker, &c) != 0 || pthread_create(&rth, NULL, receiver, &c) != 0) {
		fputs("zcrecv: cannot start threads\n", stderr);
		return EXIT_FAILURE;
	}
	if (c.o.selftest) {
		socklen_t len = sizeof snd.to;

		memset(&snd, 0, sizeof snd);
		snd.c = &c;
		getsockname(c.fd, (struct sockaddr *)&snd.to, &len);
		if (pthread_create(&sth, NULL, send_all, &snd) != 0) {
			fputs("zcrecv: cannot start the sender\n", stderr);
			return EXIT_FAILURE;
		}
	} else if (!c.o.quiet) {
		fprintf(stderr, "zcrecv: listening on %s:%u\n", inet_ntoa(c.o.addr), c.o.port);
	}

	/*
	 * The receiver ends at the count, an interrupt, or an error; a self-test
	 * that has not seen every datagram after SELFTEST_SECONDS gives up.
	 */
	while (!atomic_load(&c.recv_done)) {
		struct timespec ts = {0, 10000000};

		if (c.o.selftest && now_s() - t0 > SELFTEST_SECONDS) {
			fprintf(stderr, "zcrecv: selftest timed out after %d s\n", SELFTEST_SECONDS);
			atomic_store(&c.stop, true);
		}
		nanosleep(&ts, NULL);
	}
	pthread_join(rth, NULL);
	if (c.o.selftest) {
		atomic_store(&c.stop, true);
		pthread_join(sth, NULL);
	}
	/* Let the worker drain what was queued, then stop it. */
	while (atomic_load(&c.handled) < atomic_load(&c.received))
		sched_yield();
	atomic_store(&c.stop, true);
	sem_post(&c.wake);
	pthread_join(wth, NULL);
	dt = now_s() - t0;

	zc_pool_stats_get(c.pool, &ps);
	if (!c.o.quiet)
		printf("zcrecv: %llu datagrams, %llu bytes in %.3f s (%.0f/s); ipv4 %llu, udp %llu, other %llu, "
		       "bad %llu, truncated %llu; pool %zu x %zu bytes, at most %zu in use\n",
		       (unsigned long long)c.st.datagrams, (unsigned long long)c.st.bytes, dt,
		       dt > 0 ? (double)c.st.datagrams / dt : 0.0, (unsigned long long)c.st.ipv4,
		       (unsigned long long)c.st.udp, (unsigned long long)c.st.other, (unsigned long long)c.st.bad,
		       (unsigned long long)c.st.truncated, ps.count, ps.buf_size, ps.max_in_use);
	if (c.err) {
		fprintf(stderr, "zcrecv: recvmmsg: %s\n", strerror(c.err));
		rc = EXIT_FAILURE;
	}
	if (ps.in_use != 0) {
		fprintf(stderr, "zcrecv: %zu buffers not returned to the pool\n", ps.in_use);
		rc = EXIT_FAILURE;
	}
	if (c.o.selftest) {
		uint64_t missing = 0, i;

		for (i = 0; i < c.o.selftest; i++)
			missing += c.seen[i] == 0;
		if (snd.err)
			fprintf(stderr, "zcrecv: selftest sender: %s\n", strerror(snd.err));
		if (snd.err || missing || c.dups || c.out_of_range || c.st.bad || c.st.truncated ||
		    c.st.udp != c.o.selftest) {
			fprintf(stderr, "zcrecv: selftest FAILED: %llu sent, %llu missing, %llu duplicated, %llu bad\n",
				(unsigned long long)c.o.selftest, (unsigned long long)missing,
				(unsigned long long)c.dups, (unsigned long long)(c.st.bad + c.out_of_range));
			rc = EXIT_FAILURE;
		} else if (!c.o.quiet) {
			printf("zcrecv: selftest passed: %llu datagrams, each once, checksums good\n",
			       (unsigned long long)c.o.selftest);
		}
		free(c.seen);
	}
	close(c.fd);
	sem_destroy(&c.wake);
	zc_pool_destroy(c.pool);
	return rc;
}
