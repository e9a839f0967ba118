/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/zcstack.h - zcstack, libzcstack on a TAP or TUN device:
 * the configuration, the device, the fault injector and the counters the
 * program keeps beside the stack's own.
 */
#ifndef ZCSTACK_H
#define ZCSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zc/stack/stack.h"
#include "../common/vnet.h"

#define ZCSTACK_EXIT_OK 0
#define ZCSTACK_EXIT_RUNTIME 1 /* the device, the stack or the signals could not be set up */
#define ZCSTACK_EXIT_USAGE 2   /* bad command line */

/* As many echo ports as the stack is given socket slots for. */
#define ZCSTACK_DEFAULT_TCP_RING (64u << 10)
#define ZCSTACK_MIN_TCP_RING 4096u
#define ZCSTACK_MAX_TCP_RING (16u << 20)
#define ZCSTACK_MAX_ECHO 16
#define ZCSTACK_MIN_MTU 576
#define ZCSTACK_MAX_MTU 9000
#define ZCSTACK_DEFAULT_MTU 1500

enum { ZCSTACK_RUN, ZCSTACK_HELP, ZCSTACK_VERSION };

typedef struct zcstack_config {
	char dev[16];        /* the interface name, IFNAMSIZ with its NUL */
	int link;            /* ZCS_LINK_ETH (--tap) or ZCS_LINK_IP (--tun) */
	uint32_t addr;       /* host order */
	uint8_t prefix_len;
	uint32_t gateway;    /* host order; 0: none */
	bool dhcp;           /* --dhcp: addr, prefix_len and gateway leased (0 here) */
	uint8_t addr6[16];   /* --addr6, network order; all zero: no IPv6 */
	uint8_t prefix6_len;
	uint8_t mac[6];
	bool have_mac;       /* --mac given; else derived from addr */
	unsigned mtu;
	uint16_t echo[ZCSTACK_MAX_ECHO];
	unsigned n_echo;
	uint16_t tcp_echo, tcp_discard, tcp_source, http; /* 0: not served */
	const char *http_dir; /* --http's DIR (a string of argv) */
	size_t tcp_ring;     /* --tcp-ring: bytes of each TCP socket's send and receive ring */
	unsigned tcp_retries; /* --tcp-retries; 0: the stack's default */
	bool no_sack;        /* --no-sack: TCP without SACK, NewReno recovery */
	double p_drop, p_dup, p_corrupt, p_reorder;
	unsigned delay_ms;   /* --delay: received frames reach the stack this much later */
	uint64_t seed;
	bool offload;        /* a TAP with IFF_VNET_HDR and offloads; --no-offload clears it */
	unsigned offload_max; /* --tap-offloads: the most TUN_F_* to ask for (all by default) */
	bool verbose;        /* --verbose: the offloads asked for and refused, on stderr */
} zcstack_config;

/*
 * The largest frame a read may give: an IPv6 packet of 65535 bytes of
 * payload (a segment the kernel did not cut) and the Ethernet header.
 */
#define ZCSTACK_FRAME_MAX (14u + 40u + 65535u)

/*
 * Parses the command line into c. Returns 0 with *action set, or -1 with a
 * message in err (exit status ZCSTACK_EXIT_USAGE); the message names the
 * option and the value at fault.
 */
int zcstack_config_parse(zcstack_config *c, int argc, char **argv, int *action, char *err, size_t errlen);

/*
 * Creates the TAP (IFF_TAP) or TUN (IFF_TUN) device cfg->dev without packet
 * information, non-blocking, sets its MTU and brings it up; a TAP with
 * cfg->offload gets a virtio header and the offloads the kernel takes
 * (dev.c says which). Returns 0 with d filled, or -1 with a message in err.
 */
int zcstack_dev_open(const zcstack_config *cfg, zc_vnet_dev *d, char *err, size_t errlen);
/* Tells on stderr what zcstack_dev_open() got: the virtio header, the offloads, what was refused. */
void zcstack_dev_report(const zcstack_config *cfg, const zc_vnet_dev *d, unsigned tso_max);

/* X(name, help): the program's own counters, printed after the stack's. */
#define ZCSTACK_COUNTERS(X)                                                          \
	X(dev_rx_errors, "reads from the device that failed")                        \
	X(dev_tx_errors, "writes to the device that failed (the first of a frame is tx_fail too)") \
	X(dev_rx_vnet_bad, "frames read whose virtio header contradicts the frame (dropped)") \
	X(dev_rx_large, "frames read larger than the MTU: TCP segments the kernel did not cut (TSO)") \
	X(dev_rx_csum_partial, "frames read with a partial checksum, taken as checked (NEEDS_CSUM)") \
	X(echo_fail, "echoes zcs_udp_sendto() refused")                              \
	X(tcp_accepted, "TCP connections accepted")                                  \
	X(tcp_closed, "TCP connections closed")                                      \
	X(tcp_refused, "TCP connections reset at once: every connection slot in use") \
	X(tcp_echoed, "bytes the TCP echo service sent back")                        \
	X(tcp_discarded, "bytes the TCP discard and source services read and dropped")           \
	X(tcp_sourced, "bytes the TCP source service sent")                          \
	X(http_requests, "HTTP requests answered, errors included")                  \
	X(http_ok, "HTTP requests answered 200 or 206 (GET or HEAD of a file, or a range of it)") \
	X(http_not_found, "HTTP requests answered 404: no regular file of that name") \
	X(http_bad, "HTTP requests answered 400, 403, 405, 416 or 431 (malformed, leaving the directory, another method, a range past the end, too long)") \
	X(http_body_bytes, "bytes of files the HTTP service sent")                   \
	X(http_refused, "HTTP connections closed at once: every HTTP session in use") \
	X(http_aborted, "HTTP connections closed mid-response: the file could not be read") \
	X(http_idle_closed, "HTTP connections closed after ZCSTACK_HTTP_IDLE_S seconds without a request") \
	X(fault_rx_dropped, "received frames --drop discarded")                      \
	X(fault_rx_duplicated, "received frames --duplicate gave the stack twice")   \
	X(fault_rx_corrupted, "received frames --corrupt flipped a bit in")          \
	X(fault_rx_delayed, "received frames --delay held back")                     \
	X(fault_rx_reordered, "received frames --reorder let the next one overtake") \
	X(fault_tx_dropped, "sent frames --drop discarded")                          \
	X(fault_tx_duplicated, "sent frames --duplicate wrote twice")                \
	X(fault_tx_corrupted, "sent frames --corrupt flipped a bit in")

typedef struct zcstack_stats {
#define ZCSTACK_CNT_FIELD_(name, help) uint64_t name;
	ZCSTACK_COUNTERS(ZCSTACK_CNT_FIELD_)
#undef ZCSTACK_CNT_FIELD_
} zcstack_stats;

/* TCP connections the program serves at once. */
#define ZCSTACK_MAX_CONNS 1024

/* The TCP services, one per listener. */
enum { ZCSTACK_SVC_ECHO, ZCSTACK_SVC_DISCARD, ZCSTACK_SVC_SOURCE, ZCSTACK_SVC_HTTP, ZCSTACK_SVC_N };

/*
 * The source service's stream (after RFC 864's character generator): lines
 * of ZCSTACK_SOURCE_LINE printable ASCII characters and CR LF, line n
 * starting at character ' ' + n % 95 and counting up, wrapping at '~'. The
 * stream repeats every 95 lines; byte k of it is zcstack_source_byte(k).
 */
#define ZCSTACK_SOURCE_LINE 72u
#define ZCSTACK_SOURCE_PERIOD (95u * (ZCSTACK_SOURCE_LINE + 2u))
uint8_t zcstack_source_byte(uint64_t k);

/* HTTP sessions at once (each holds a request buffer and at most one open file). */
#define ZCSTACK_MAX_HTTP 64
#define ZCSTACK_HTTP_REQ_MAX 4096u /* bytes of a request's line and headers */
#define ZCSTACK_HTTP_IDLE_S 30     /* a session waiting this long for a request is closed */

typedef struct zcstack_http_sess {
	bool used;
	bool sending;       /* a response is under way; the next request waits in the receive ring */
	bool close_after;   /* Connection: close, HTTP/1.0, or an error that leaves the stream unframed */
	bool peer_done;     /* the peer's end of stream came */
	uint8_t req[ZCSTACK_HTTP_REQ_MAX];
	size_t req_len;
	char head[512];     /* the response's status line and headers, being sent */
	size_t head_len, head_off;
	int fd;             /* the file being sent; -1: none */
	uint64_t body_off, body_end;
	uint64_t last_us;   /* when the last request ended or the connection came */
} zcstack_http_sess;

typedef struct zcstack_http {
	int dirfd;          /* --http's DIR; -1: not served */
	zcstack_http_sess sess[ZCSTACK_MAX_HTTP];
} zcstack_http;

typedef struct zcstack_tcp {
	int listen[ZCSTACK_SVC_N];       /* -1: not served */
	int conn[ZCSTACK_MAX_CONNS];     /* -1: free */
	uint8_t svc[ZCSTACK_MAX_CONNS];
	uint32_t src_off[ZCSTACK_MAX_CONNS]; /* source: where in its period the next byte is */
	int16_t http[ZCSTACK_MAX_CONNS];     /* HTTP: the session's index */
	zcstack_http http_svc;
} zcstack_tcp;

/* Listens on the configured ports (and opens --http's DIR); -1 with a message in err. */
int zcstack_tcp_start(zcstack_tcp *t, zcs_stack *s, const zcstack_config *cfg, char *err, size_t errlen);
/*
 * Accepts what waits, moves the bytes of every connection, closes what
 * ended. Returns when it wants to be called again without a frame or a
 * timer of the stack's (an idle HTTP session's end; ZCS_NEVER: no need).
 */
uint64_t zcstack_tcp_serve(zcstack_tcp *t, zcs_stack *s, zcstack_stats *st, uint64_t now);
/* Closes what zcstack_tcp_start() opened outside the stack (the directory, the files). */
void zcstack_tcp_stop(zcstack_tcp *t);

/* The HTTP service (http.c). */
int zcstack_http_open(zcstack_http *h, const char *dir, char *err, size_t errlen);
void zcstack_http_close(zcstack_http *h);
/* A session for a new connection: its index, or -1 when every one is in use. */
int zcstack_http_attach(zcstack_http *h, uint64_t now);
/*
 * Serves connection c of session i: reads requests, queues responses.
 * Returns false when the connection is closed (zcs_tcp_close() called, the
 * session freed), else true with *deadline lowered to when it wants to be
 * called again.
 */
bool zcstack_http_serve(zcstack_http *h, int i, zcs_stack *s, int c, zcstack_stats *st, uint64_t now,
			uint64_t *deadline);

/* The fault injector: a seeded generator, so that a run can be repeated. */
typedef struct zcstack_faults {
	double p_drop, p_dup, p_corrupt;
	uint64_t state;
} zcstack_faults;

void zcstack_faults_init(zcstack_faults *f, const zcstack_config *cfg);
/* True with probability p; false without drawing when p is 0, so that a run without faults draws nothing. */
bool zcstack_faults_hit(zcstack_faults *f, double p);
/* Flips one bit, chosen at random, of the len bytes at p (len > 0). */
void zcstack_faults_corrupt(zcstack_faults *f, uint8_t *p, size_t len);

/* Frames held back (hold.c): --delay's FIFO and --reorder's one frame. */
#define ZCSTACK_HOLD_FRAMES 8192u
#define ZCSTACK_HOLD_SLOT (14u + ZCSTACK_MAX_MTU)
typedef struct zcstack_hold {
	uint64_t delay_us;
	double p_reorder;
	uint8_t *buf;            /* cap slots of ZCSTACK_HOLD_SLOT bytes */
	size_t *len;
	uint64_t *due;
	unsigned cap, head, n;
	unsigned *flags;         /* each slot's ZCS_RX_* */
	uint8_t reo[ZCSTACK_FRAME_MAX]; /* --reorder's frame, of any size */
	size_t reo_len;
	unsigned reo_flags;
	uint64_t reo_due;
	bool reo_full;
	uint64_t delayed, reordered;
} zcstack_hold;

/* Where a frame goes when it is let go, with its ZCS_RX_* flags: the stack. */
typedef void (*zcstack_deliver_fn)(void *ctx, const uint8_t *frame, size_t len, unsigned flags);

/* Makes the FIFO --delay needs; -1 when there is no memory for it. */
int zcstack_hold_init(zcstack_hold *h, const zcstack_config *cfg);
void zcstack_hold_free(zcstack_hold *h);
/* A received frame: held (copied) or given to fn now. */
void zcstack_hold_in(zcstack_hold *h, zcstack_faults *faults, const uint8_t *f, size_t len, unsigned flags,
		     uint64_t now, zcstack_deliver_fn fn, void *ctx);
/* Lets go what is due; returns when the next frame is (UINT64_MAX: none held). */
uint64_t zcstack_hold_run(zcstack_hold *h, uint64_t now, zcstack_deliver_fn fn, void *ctx);

#endif /* ZCSTACK_H */
