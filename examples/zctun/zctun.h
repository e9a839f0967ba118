/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/zctun.h - the reference TUN <-> UDP tunnel: types shared by
 * its files.
 *
 * One .c file per concern, as in kernel WireGuard:
 *   main.c    set-up, threads, signals, shutdown
 *   stats.c   counters, printed on SIGUSR1 and at exit
 *   tun.c     the TUN device: IFF_VNET_HDR, offloads, MTU, virtio header
 *   udp.c     the outer UDP socket: GSO sends, GRO receives, peer filter
 *   config.c  command line and configuration file into a zctun_config
 *   send.c    TUN -> UDP thread: TUN reads, the send batch, UDP GSO
 *   split.c   one super-packet cut into wire-sized segments with views
 *   receive.c UDP -> TUN threads: recvmmsg/GRO receiver, TUN writer
 *   crypt.c   the decryption workers (--workers)
 *   order.c   the event count threads sleep on, and the in-order hand-over
 *             to the TUN writer
 *   coalesce.c segments of one TCP or UDP flow chained into a super-packet
 *   xform.c   the transform stage (identity by default)
 *   wgxform.c the WireGuard mode: wg/ (protocol, one file per concern) as the
 *             transform, its set-up and its timers
 *   selftest.c split and coalesce checked without a kernel (make check)
 *
 * Data path, TUN to UDP (one thread): read a packet or a 64 KiB super-packet
 * from the TUN, parse it with views, cut it into segments (split.c) straight
 * into a send batch, run the transform on each segment, send the batch with
 * UDP GSO (or sendmmsg). UDP to TUN (two threads): recvmmsg with UDP GRO into
 * pool buffers, check the sender, run the inverse transform, parse with views,
 * chain TCP segments or UDP datagrams of one flow (coalesce.c), push the buffer on an MPSC
 * queue; the TUN writer thread pops it, writes each chain with one writev()
 * behind a virtio_net_hdr, and gives the buffer back to its pool.
 */
#ifndef ZCTUN_H
#define ZCTUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "zc.h"
#include "zc/mpsc.h"
#include "zc/pool.h"
#include "../common/vnet.h"

/* Exit statuses (documented in --help). */
#define ZCTUN_EXIT_OK 0
#define ZCTUN_EXIT_RUNTIME 1 /* a device, socket or thread could not be set up */
#define ZCTUN_EXIT_USAGE 2   /* bad command line or configuration file */

/* Largest datagram or TUN read: an IP packet's 16-bit length. */
#define ZCTUN_MAX_PKT 65535u
/* The UDP payload one send may carry (65535 - IPv4 20 - UDP 8). */
#define ZCTUN_MAX_SEND 65507u
/* Segments one UDP GSO send or one UDP GRO receive may hold (the kernel's UDP_GRO_CNT_MAX). */
#define ZCTUN_MAX_SEGS 64u
/*
 * Datagrams one USO super-packet written to the TUN may hold: the kernel's
 * UDP_MAX_SEGMENTS, 64 before Linux 6.12 (128 since), which its virtio
 * header check enforces.
 */
#define ZCTUN_USO_MAX_SEGS 64u
#define ZCTUN_DEFAULT_MTU 1420u
#define ZCTUN_MIN_MTU 576u
#define ZCTUN_MAX_MTU 9000u
/*
 * Decryption workers (--workers); fewer than 2 means the receiver decrypts.
 * Unless told, as many as there are online CPUs with --wireguard (where
 * they measured faster over TCP), none otherwise (nothing to decrypt).
 */
#define ZCTUN_MAX_WORKERS 64u
#define ZCTUN_WORKERS_AUTO (~0u)

/* ---------------------------------------------------------------- config */

typedef struct zctun_addr {
	struct sockaddr_storage ss;
	socklen_t len;
} zctun_addr;

typedef struct zctun_config {
	char tun[16];           /* interface name (IFNAMSIZ) */
	zctun_addr listen;
	zctun_addr peer;
	bool have_listen, have_peer;
	unsigned mtu;
	bool offload;           /* IFF_VNET_HDR and TUNSETOFFLOAD */
	unsigned offload_max;   /* TUN_F_* bits zctun may ask for (--tun-offloads) */
	bool udp_gso;           /* send with UDP_SEGMENT */
	bool udp_gro;           /* receive with UDP_GRO */
	unsigned rx_buffers;    /* receive pool size, in 64 KiB buffers */
	unsigned batch;         /* datagrams (or GRO buffers) per recvmmsg */
	unsigned workers;       /* decryption worker threads; 0: the receiver decrypts; ZCTUN_WORKERS_AUTO */
	int sockbuf;            /* SO_SNDBUF/SO_RCVBUF bytes, 0 for the default */
	char transform[16];     /* the transform stage, by name */
	bool verbose;
	bool wireguard;         /* --wireguard: WireGuard, peers from wg_config */
	char wg_config[4096];   /* wg(8)'s file format */
} zctun_config;

/* "ADDR:PORT" or "[ADDR]:PORT" of a, in buf (INET6_ADDRSTRLEN + 16 bytes will do). */
const char *zctun_addr_str(const zctun_addr *a, char *buf, size_t len);

/* What the command line asks for. */
#define ZCTUN_RUN 0
#define ZCTUN_HELP 1
#define ZCTUN_VERSION 2

/*
 * Fills *c from the command line and the configuration file it names.
 * Returns 0, or -1 with a message in err (exit status ZCTUN_EXIT_USAGE).
 */
int zctun_config_parse(zctun_config *c, int argc, char **argv, int *action, char *err, size_t errlen);

/* ---------------------------------------------------------------- counters */

/*
 * X(name, help). Each counter is written by one thread only (relaxed
 * load-add-store) and read by any (relaxed load): no locked instruction on
 * the data path.
 */
#define ZCTUN_COUNTERS(X)                                                              \
	X(tun_rx_packets, "packets read from the TUN (super-packets count once)")     \
	X(tun_rx_bytes, "bytes read from the TUN, virtio header excluded")            \
	X(tun_rx_gso, "super-packets read from the TUN")                              \
	X(tun_rx_csum_done, "partial checksums completed")                            \
	X(udp_tx_packets, "datagrams sent to the peer")                               \
	X(udp_tx_bytes, "UDP payload bytes sent to the peer")                         \
	X(udp_tx_calls, "send system calls")                                          \
	X(udp_rx_packets, "datagrams received from the peer")                         \
	X(udp_rx_bytes, "UDP payload bytes received from the peer")                   \
	X(udp_rx_calls, "datagrams or GRO trains taken from the socket")              \
	X(udp_rx_errors, "receive errors the socket reported")                         \
	X(tun_tx_packets, "packets written to the TUN (super-packets count once)")    \
	X(tun_tx_bytes, "bytes written to the TUN, virtio header excluded")           \
	X(tun_tx_coalesced, "segments merged into a super-packet before writing")     \
	X(tun_tx_uso, "UDP super-packets (USO) written to the TUN")                   \
	X(tun_tx_uso_merged, "UDP datagrams merged into a USO super-packet")          \
	X(drop_foreign, "datagrams from an address other than the peer")             \
	X(drop_short, "datagrams too short to hold an IP header")                     \
	X(drop_oversized, "datagrams or packets larger than a buffer (truncated)")    \
	X(drop_bad_ip, "datagrams whose inner IP header does not parse")              \
	X(drop_bad_len, "datagrams whose IP length disagrees with the datagram")      \
	X(drop_xform, "packets the transform refused")                                \
	X(drop_socket_full, "datagrams the kernel dropped on a full socket buffer")   \
	X(drop_tun_bad, "TUN packets with a bad virtio header or IP header")          \
	X(drop_tun_write, "packets the TUN refused to take")                          \
	X(drop_udp_send, "datagrams the UDP socket refused to send")                  \
	X(wg_rx_control, "WireGuard handshake, cookie and keepalive messages taken")  \
	X(drop_wg_nopeer, "packets to an address no peer's AllowedIPs hold")         \
	X(wg_staged, "packets held until their peer's handshake completes")          \
	X(drop_wg_nokey, "packets with no session that could not be held")     \
	X(drop_wg_auth, "datagrams that did not authenticate (index, mac1, tag)")    \
	X(drop_wg_replay, "datagrams with a counter or timestamp seen before")       \
	X(drop_wg_spoof, "packets whose source is outside the peer's AllowedIPs")    \
	X(drop_wg_ratelimit, "handshakes over a source's rate limit under load")      \
	X(drop_wg_nokeypair, "handshakes that found the keypair pool empty")         \
	X(wg_rx_handshake_queued, "handshake messages queued for the handshake thread") \
	X(drop_wg_handshake, "handshake messages dropped on a full handshake queue")  \
	X(rx_crypt_worker, "receive buffers handed to a decryption worker")          \
	X(rx_crypt_full, "receive buffers decrypted by the receiver, a worker's queue full")

typedef struct zctun_stats {
#define ZCTUN_CNT_FIELD_(name, help) _Atomic uint64_t name;
	ZCTUN_COUNTERS(ZCTUN_CNT_FIELD_)
#undef ZCTUN_CNT_FIELD_
} zctun_stats;

/* Adds n to a counter only its own thread writes. */
#define ZCTUN_ADD(st, name, n)                                                         \
	atomic_store_explicit(&(st)->name,                                            \
			      atomic_load_explicit(&(st)->name, memory_order_relaxed) + (n), \
			      memory_order_relaxed)
#define ZCTUN_INC(st, name) ZCTUN_ADD(st, name, 1)

struct zctun;
/* Writes every counter, summed over the threads, to fd. */
void zctun_stats_print(const struct zctun *t, int fd);

/* ---------------------------------------------------------------- transform */

/*
 * The one stage between parse and send where a transform (WireGuard's
 * encryption, the test transform) plugs in. encap runs on each inner packet
 * on its way to the peer, decap on each datagram received, both in place.
 *
 * encap: the inner packet is at pkt[head .. head + len), where head is
 * the transform's headroom; pkt has cap bytes. It returns the datagram's
 * length, starting at pkt[0], or a negative value to drop the packet:
 * ZCTUN_XF_DROPPED when the transform counted the drop itself, any other
 * to have it counted as drop_xform.
 * It may set *dst to where the datagram goes; left alone, it goes to the
 * configured peer. A transform whose output length depends only on the
 * input length keeps UDP GSO possible (equal inputs give equal outputs).
 * decap: the datagram is *pkt, from `from`; on success *pkt is the inner IP
 * packet (a sub-span of it). Returns 0; ZCTUN_XF_COUNTED when the datagram
 * was taken (a handshake) or dropped and counted (in st, the calling
 * thread's counters); another negative value to drop it as drop_xform. It
 * runs on the UDP receiver or on a decryption worker, several at once.
 *
 * A NULL function means identity, and costs nothing.
 */
#define ZCTUN_XF_COUNTED 1
#define ZCTUN_XF_DROPPED (-2)

typedef struct zctun_xform {
	const char *name;
	size_t headroom; /* bytes encap writes before the inner packet */
	size_t tailroom; /* bytes encap may write after it */
	ssize_t (*encap)(void *ctx, uint8_t *pkt, size_t head, size_t len, size_t cap, zctun_addr *dst);
	int (*decap)(void *ctx, zc_wbuf *pkt, const zctun_addr *from, zctun_stats *st);
	void *ctx;
} zctun_xform;

extern const zctun_xform zctun_xform_identity;

/* The transform called name ("identity", "test-xor"), or NULL. */
const zctun_xform *zctun_xform_find(const char *name);

/* ---------------------------------------------------------------- TUN */

/* The TUN device, its virtio_net_hdr and offloads (examples/common/vnet.h). */
typedef zc_vnet_dev zctun_tun;

int zctun_tun_open(zctun_tun *tun, const zctun_config *cfg, char *err, size_t errlen);
void zctun_tun_close(zctun_tun *tun);

/* ---------------------------------------------------------------- UDP */

typedef struct zctun_udp {
	int fd;
	int family;
	atomic_bool gso;    /* UDP_SEGMENT works; cleared by the sender if refused */
	bool gro;           /* UDP_GRO is on */
	zctun_addr peer;
} zctun_udp;

int zctun_udp_open(zctun_udp *u, const zctun_config *cfg, char *err, size_t errlen);
void zctun_udp_close(zctun_udp *u);
/* True when sa is the configured peer (address and port). */
bool zctun_udp_is_peer(const zctun_udp *u, const struct sockaddr_storage *sa, socklen_t len);

/* ---------------------------------------------------------------- send batch (TUN -> UDP) */

/*
 * Datagrams waiting to go out, laid out back to back in one buffer and
 * grouped in runs: a run is datagrams of one size, the last maybe shorter,
 * which one sendmsg with UDP_SEGMENT sends (or, without GSO, one mmsghdr
 * each). One sendmmsg sends every run.
 */
#define ZCTUN_BATCH_BYTES (256u * 1024u)
#define ZCTUN_BATCH_RUNS 64u
#define ZCTUN_BATCH_DGRAMS 256u

typedef struct zctun_run {
	zctun_addr dst;     /* where its datagrams go */
	uint32_t off;       /* first byte in the batch */
	uint32_t len;       /* bytes of all its datagrams */
	uint16_t seg;       /* size of each datagram but the last */
	uint16_t n;         /* datagrams */
	bool closed;        /* the last datagram was shorter: nothing may follow */
} zctun_run;

typedef struct zctun_batch {
	uint8_t *buf;
	size_t used;
	unsigned nruns;
	unsigned ndgrams;
	zctun_run runs[ZCTUN_BATCH_RUNS];
} zctun_batch;

/*
 * Room for one more datagram of at most len bytes: returns where to write
 * it, flushing first when the batch is full. zctun_batch_commit() then adds
 * the datagram of dlen bytes written there, for dst (NULL: the peer).
 */
uint8_t *zctun_batch_reserve(struct zctun *t, size_t len);
void zctun_batch_commit(struct zctun *t, size_t dlen, const zctun_addr *dst);
void zctun_batch_flush(struct zctun *t);

/* ---------------------------------------------------------------- splitting (TUN -> UDP) */

/*
 * Takes one TUN read (virtio header already decoded into *vh; vh is NULL
 * without IFF_VNET_HDR) and adds its segments, transformed, to the batch.
 */
void zctun_split(struct zctun *t, const zc_vnet *vh, uint8_t *pkt, size_t len);

/* ---------------------------------------------------------------- receive buffers (UDP -> TUN) */

/*
 * What a receive buffer holds besides the bytes: the datagrams found in it
 * and how they chain into packets for the TUN. A chain is one packet to
 * write: its first datagram whole, then only the payload of each segment
 * merged after it.
 */
typedef struct zctun_seg {
	uint32_t off;       /* first byte written for this piece */
	uint16_t len;
	int16_t next;       /* next piece of the same chain, -1 at the end */
} zctun_seg;

typedef struct zctun_chain {
	int16_t first, last;   /* pieces */
	uint16_t nsegs;
	uint32_t len;          /* bytes of the whole packet */
	uint8_t vnet[ZC_VNET_HDR_LEN];
} zctun_chain;

/*
 * An item of an ordered hand-over (zctun_order): pushed in order by one
 * thread, finished by any, taken by the consumer only in that order.
 */
typedef struct zctun_order_item {
	zc_mpsc_node node;
	_Atomic uint32_t done;  /* 1 once its work is finished (release) */
} zctun_order_item;

typedef struct zctun_rxmeta {
	/* The receive, for whichever thread decrypts and chains it. */
	zc_pbuf *pbuf;         /* the buffer this describes */
	zctun_order_item order; /* its place in the queue to the TUN writer */
	zctun_addr from;
	uint32_t off, len, dgram; /* its datagrams: len bytes at base + off, dgram bytes each */
	uint16_t nsegs;
	uint16_t nchains;
	zctun_seg seg[ZCTUN_MAX_SEGS];
	zctun_chain chain[ZCTUN_MAX_SEGS];
} zctun_rxmeta;

/* A receive buffer's description lives at the start of its backing (the pool's headroom). */
static inline zctun_rxmeta *zctun_rx_meta(zc_pbuf *b)
{
	return (zctun_rxmeta *)(void *)b->base;
}

/* The description an item of the TUN writer's queue is embedded in. */
static inline zctun_rxmeta *zctun_rx_meta_of(zctun_order_item *it)
{
	return (zctun_rxmeta *)(void *)((char *)it - offsetof(zctun_rxmeta, order));
}

/* ---------------------------------------------------------------- coalescing (UDP -> TUN) */

/*
 * Walks the datagrams of one receive from `from`: len bytes at base + off, in
 * datagrams of seg bytes (the last maybe shorter), as UDP GRO delivers them,
 * each through the transform's decap. Records in *m the chains to write;
 * bad datagrams are counted in *st (the calling thread's) and left out.
 */
void zctun_coalesce(struct zctun *t, zctun_stats *st, const zctun_addr *from, zctun_rxmeta *m, uint8_t *base,
		    size_t off, size_t len, size_t seg);

/* ---------------------------------------------------------------- event count, ordered hand-over */

/*
 * A futex-based event count: a consumer sleeps on it when it finds nothing
 * to do, and a producer that finds it asleep wakes it after a push.
 */
typedef struct zctun_event {
	_Atomic uint32_t seq;
	_Atomic uint32_t waiters;
} zctun_event;

/* The consumer: announce, look once more, then wait (or cancel if the look found work). */
uint32_t zctun_event_prepare(zctun_event *e);
void zctun_event_wait(zctun_event *e, uint32_t seq, int timeout_ms);
void zctun_event_cancel(zctun_event *e);
/* A producer, after its push: wakes the consumer if it sleeps. */
void zctun_event_notify(zctun_event *e);
/* Wakes every sleeper, whatever it waits for (shutdown). */
void zctun_event_wake_all(zctun_event *e);

/*
 * The serial stage of kernel WireGuard's design: items are pushed in order
 * by one thread (the UDP receiver), finished in any order by others (the
 * workers), and handed to one consumer (the TUN writer) strictly in the
 * order pushed, each once it is finished. The queue is zc_mpsc, intrusive:
 * nothing is allocated. All of a peer's packets pass through it, so each
 * peer's order is kept; so is everyone else's.
 */
typedef struct zctun_order {
	zc_mpsc q;
	zctun_event ev;          /* the consumer sleeps here: pushes and completions wake it */
	zctun_order_item *head;  /* popped but not yet finished (consumer only) */
} zctun_order;

void zctun_order_init(zctun_order *o);
/* Appends it (one producer thread), done already or to be finished later. */
void zctun_order_push(zctun_order *o, zctun_order_item *it, bool done);
/* Marks it finished (any thread) and wakes the consumer. */
void zctun_order_done(zctun_order *o, zctun_order_item *it);
/*
 * The oldest item once it is finished (consumer only), or NULL when none
 * was within about timeout_ms. *idle is set when nothing at all is queued.
 */
zctun_order_item *zctun_order_next(zctun_order *o, int timeout_ms, bool *idle);

/* ---------------------------------------------------------------- decryption workers (crypt.c) */

/*
 * A worker: a bounded MPSC queue of receive buffers (the receiver pushes,
 * round robin over the workers), the event it sleeps on, and its own
 * counters. It runs the transform's decap and the coalescing on each
 * buffer, then marks it finished in the queue to the TUN writer.
 */
typedef struct zctun_worker {
	struct zctun *t;
	pthread_t th;
	zc_mpsc in;
	zctun_event ev;
	atomic_bool stop;       /* set once the receiver has ended: finish the queue, then end */
	zctun_stats st;
} zctun_worker;

/* Creates and starts t->cfg.workers workers (none for 0). Returns 0, or -1 with a message. */
int zctun_workers_start(struct zctun *t, char *err, size_t errlen);
/* After the receiver ended: each worker finishes its queue and ends (main frees t->workers last). */
void zctun_workers_stop(struct zctun *t);
/*
 * Hands one filled receive buffer on (receiver only): to a worker, or
 * decrypted and chained on the spot when there are none, or the worker's
 * queue is full, or keep_here (a train holding a handshake, which only the
 * receiver answers). Either way it joins the TUN writer's queue in order.
 */
void zctun_crypt_dispatch(struct zctun *t, zc_pbuf *b, bool keep_here);

/* ---------------------------------------------------------------- threads */

void *zctun_tun_reader(void *arg);   /* send.c: TUN -> UDP */
void *zctun_udp_receiver(void *arg); /* receive.c: UDP -> queue */
void *zctun_tun_writer(void *arg);   /* receive.c: queue -> TUN */
/* Wakes the TUN writer whatever it waits for (shutdown). */
void zctun_wake_writer(struct zctun *t);

/* ---------------------------------------------------------------- the tunnel */

typedef struct zctun {
	zctun_config cfg;
	zctun_tun tun;
	zctun_udp udp;
	zctun_xform xf;
	struct wg_device *wg;  /* the WireGuard mode's device, or NULL */
	bool coalesce;         /* TUN takes TCP super-packets */
	bool coalesce_udp;     /* TUN takes UDP super-packets (USO) */

	int stop_fd;           /* eventfd, readable once shutdown begins */
	atomic_bool stopping;

	/* TUN -> UDP */
	zc_pool *tx_pool;      /* TUN read buffers */
	zc_pool *batch_pool;   /* the send batch's backing */
	zc_pbuf *batch_pbuf;
	zctun_batch batch;
	zctun_stats st_tx;     /* written by the TUN reader */

	/* UDP -> TUN */
	zc_pool *rx_pool;      /* receive buffers, with their zctun_rxmeta */
	zctun_order to_tun;    /* filled buffers for the TUN writer, in the order received */
	zctun_stats st_rx;     /* written by the UDP receiver */
	zctun_stats st_wr;     /* written by the TUN writer */
	zctun_stats st_hs;     /* written by WireGuard's handshake thread */
	zctun_worker *workers; /* cfg.workers of them, or NULL */
	unsigned nworkers, next_worker; /* next_worker: the receiver's round robin */
} zctun;

/* ---------------------------------------------------------------- WireGuard mode (wgxform.c) */

/*
 * Loads cfg.wg_config into a device and makes the transform that runs it;
 * sets the listen address to the ListenPort on every address. Returns 0, or
 * -1 with a message (exit status ZCTUN_EXIT_USAGE).
 */
int zctun_wg_setup(struct zctun *t, char *err, size_t errlen);
/* After the socket is open: the device sends on it; persistent keepalives start. */
void zctun_wg_start(struct zctun *t);
/* The timers' turn; returns the milliseconds until the next call. */
int zctun_wg_tick(struct zctun *t);
/*
 * True when a decryption worker may take a receive (len bytes at p, seg
 * each): the handshakes it may hold go to the handshake thread, or, if that
 * thread could not be started, it holds none (only the receiver may then
 * answer them, as it alone keeps the load and rate-limit state).
 */
bool zctun_wg_any_thread(const uint8_t *p, size_t len, size_t seg);
/* After the receiver and the workers ended: the handshake thread finishes and ends. */
void zctun_wg_stop(struct zctun *t);
/* The device's own counters (held packets sent, freed unsent), as zctun_stats_print writes them. */
void zctun_wg_stats_print(const struct zctun *t, int fd);
void zctun_wg_free(struct zctun *t);

#endif /* ZCTUN_H */
