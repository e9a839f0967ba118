/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/uapi.c - the configuration protocol (uapi.h), as
 * https://www.wireguard.com/xplatform/ specifies it: "key=value" lines, an
 * empty line ends a request, every answer ends with "errno=N" and an empty
 * line. Keys are hex; endpoints ADDR:PORT or [ADDR]:PORT.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "wg/conf.h"
#include "wg/send.h"
#include "wg/uapi.h"

int wg_uapi_listen(const char *name, char *path, size_t pathlen, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s.sock", WG_UAPI_DIR, name) >=
	    sizeof sa.sun_path) {
		snprintf(err, errlen, "userspace API: socket path too long");
		return -1;
	}
	snprintf(path, pathlen, "%s", sa.sun_path);
	(void)mkdir(WG_UAPI_DIR, 0755);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "userspace API: socket: %s", strerror(errno));
		return -1;
	}
	(void)unlink(sa.sun_path);
	old = umask(077);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0) {
		snprintf(err, errlen, "userspace API: cannot listen on %s: %s", sa.sun_path, strerror(errno));
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

static void hex(FILE *out, const char *key, const uint8_t *k)
{
	int i;

	fprintf(out, "%s=", key);
	for (i = 0; i < WG_KEY_LEN; i++)
		fprintf(out, "%02x", k[i]);
	fputc('\n', out);
}

static void get_peer(wg_device *d, wg_peer *p, FILE *out)
{
	char ep[INET6_ADDRSTRLEN + 16], a[INET6_ADDRSTRLEN];
	const wg_aip_entry *e;

	pthread_mutex_lock(&p->lock);
	hex(out, "public_key", p->pub);
	hex(out, "preshared_key", p->hs.psk);
	fprintf(out, "protocol_version=1\n");
	if (p->endpoint.len)
		fprintf(out, "endpoint=%s\n", wg_endpoint_str(&p->endpoint, ep, sizeof ep));
	fprintf(out, "last_handshake_time_sec=%lld\nlast_handshake_time_nsec=%ld\n",
		(long long)p->last_handshake.tv_sec, p->last_handshake.tv_nsec);
	fprintf(out, "tx_bytes=%llu\nrx_bytes=%llu\n", (unsigned long long)atomic_load(&p->tx_bytes),
		(unsigned long long)atomic_load(&p->rx_bytes));
	fprintf(out, "persistent_keepalive_interval=%u\n", p->timers.persistent_interval_s);
	pthread_mutex_unlock(&p->lock);
	for (e = wg_aip_first(&d->aip, wg_peer_slot(d, p)); e; e = wg_aip_next(&d->aip, e)) {
		inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, a, sizeof a);
		fprintf(out, "allowed_ip=%s/%u\n", a, e->cidr);
	}
}

static void get(wg_device *d, FILE *out)
{
	uint32_t s = 0;
	wg_peer *p;

	pthread_rwlock_rdlock(&d->lock);
	if (d->id.have)
		hex(out, "private_key", d->id.priv);
	fprintf(out, "listen_port=%u\n", d->listen_port);
	if (d->fwmark)
		fprintf(out, "fwmark=%u\n", d->fwmark);
	while ((p = wg_peer_next(d, &s)))
		get_peer(d, p, out);
	pthread_rwlock_unlock(&d->lock);
	fprintf(out, "errno=0\n\n");
}

/* ---------------------------------------------------------------- set */

/*
 * A set request holds the device's lock one line at a time, never while it
 * waits for the next line from the client, so that however many peers a
 * request brings, the data path waits no longer than one line's work (or a
 * table's growth, or WG_UAPI_REMOVE_CHUNK removals for replace_peers).
 * Between two lines the data path may see the request half applied (a peer
 * without its allowed IPs yet), as it may with wireguard-go.
 */
#define WG_UAPI_REMOVE_CHUNK 1024u

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t conf_lock(wg_device *d)
{
	pthread_rwlock_wrlock(&d->lock);
	return mono_ns();
}

/* Drops the lock taken at since, keeping the longest hold in d->conf_lock_max_ns. */
static void conf_unlock(wg_device *d, uint64_t since)
{
	uint64_t held = mono_ns() - since;

	if (held > atomic_load_explicit(&d->conf_lock_max_ns, memory_order_relaxed))
		atomic_store_explicit(&d->conf_lock_max_ns, held, memory_order_relaxed);
	pthread_rwlock_unlock(&d->lock);
}

typedef struct set_state {
	wg_device *d;
	uint64_t locked;     /* when the lock held for this line was taken */
	wg_peer *peer;       /* the peer lines apply to; NULL before one or when skipped */
	bool skip;           /* update_only for a peer that does not exist, or our own key */
	bool created;        /* the peer is new with this public_key line */
	bool removed;
} set_state;

/* Removes every peer, letting the data path in every WG_UAPI_REMOVE_CHUNK of them. */
static void remove_all_peers(set_state *st)
{
	wg_device *d = st->d;
	uint32_t s = 0, n = 0;
	wg_peer *p;

	while ((p = wg_peer_next(d, &s))) {
		wg_peer_remove(d, p);
		if (++n % WG_UAPI_REMOVE_CHUNK == 0) {
			conf_unlock(d, st->locked);
			st->locked = conf_lock(d);
		}
	}
}

static int set_device(set_state *st, const char *key, const char *val)
{
	wg_device *d = st->d;
	uint8_t k[WG_KEY_LEN];
	char *end;
	unsigned long v;

	if (!strcmp(key, "private_key")) {
		if (wg_parse_key_hex(k, val) < 0)
			return EINVAL;
		wg_device_set_key(d, k);
		wg_memzero(k, sizeof k);
	} else if (!strcmp(key, "listen_port")) {
		v = strtoul(val, &end, 10);
		if (*end || v > 65535)
			return EINVAL;
		if (v != d->listen_port)
			return EADDRINUSE; /* the socket is bound once */
	} else if (!strcmp(key, "fwmark")) {
		uint32_t m;

		v = strtoul(val, &end, 10);
		if (*end || v > UINT32_MAX)
			return EINVAL;
		m = (uint32_t)v;
		if (d->fd >= 0 && setsockopt(d->fd, SOL_SOCKET, SO_MARK, &m, sizeof m) < 0)
			return errno;
		d->fwmark = m;
	} else if (!strcmp(key, "replace_peers")) {
		if (strcmp(val, "true"))
			return EINVAL;
		remove_all_peers(st);
	} else {
		return EINVAL;
	}
	return 0;
}

static int set_peer_key(set_state *st, const char *val)
{
	uint8_t k[WG_KEY_LEN];

	if (wg_parse_key_hex(k, val) < 0)
		return EINVAL;
	st->removed = false;
	st->skip = false;
	st->peer = wg_peer_find(st->d, k, false);
	st->created = !st->peer;
	if (!st->peer)
		st->peer = wg_peer_find(st->d, k, true);
	if (!st->peer) {
		/* Our own public key names no peer, and is ignored as wireguard-go does. */
		st->skip = true;
		return st->d->id.have && wg_equal(k, st->d->id.pub, WG_KEY_LEN) ? 0 : ENOSPC;
	}
	return 0;
}

static int set_peer(set_state *st, const char *key, const char *val, uint64_t now)
{
	wg_peer *p = st->peer;

	if (st->skip || st->removed)
		return 0;
	if (!strcmp(key, "remove")) {
		wg_peer_remove(st->d, p);
		st->removed = true;
	} else if (!strcmp(key, "preshared_key")) {
		uint8_t k[WG_KEY_LEN];

		if (wg_parse_key_hex(k, val) < 0)
			return EINVAL;
		wg_peer_set_psk(p, k);
		wg_memzero(k, sizeof k);
	} else if (!strcmp(key, "endpoint")) {
		wg_endpoint ep;

		if (wg_parse_endpoint(&ep, val) < 0)
			return EINVAL;
		wg_endpoint_to_v6(&ep);
		pthread_mutex_lock(&p->lock);
		p->endpoint = ep;
		pthread_mutex_unlock(&p->lock);
	} else if (!strcmp(key, "persistent_keepalive_interval")) {
		char *end;
		unsigned long v = strtoul(val, &end, 10);

		if (*end || v > 65535)
			return EINVAL;
		wg_peer_set_keepalive(p, (uint32_t)v);
		if (v)
			wg_send_keepalive(st->d, p, now);
	} else if (!strcmp(key, "replace_allowed_ips")) {
		if (strcmp(val, "true"))
			return EINVAL;
		wg_aip_remove_peer(&st->d->aip, wg_peer_slot(st->d, p));
	} else if (!strcmp(key, "allowed_ip")) {
		uint8_t a[16];
		unsigned cidr;
		int fam;

		if (wg_parse_prefix(val, &fam, a, &cidr) < 0)
			return EINVAL;
		if (wg_aip_insert(&st->d->aip, fam, a, cidr, wg_peer_slot(st->d, p)) < 0)
			return ENOSPC;
	} else if (!strcmp(key, "protocol_version")) {
		if (strcmp(val, "1"))
			return EPROTONOSUPPORT;
	} else {
		return EINVAL;
	}
	return 0;
}

/* One set line; returns 0 or an errno. */
static int set_line(set_state *st, char *line, uint64_t now)
{
	char *eq = strchr(line, '=');
	const char *key = line, *val;

	if (!eq)
		return EINVAL;
	*eq = '\0';
	val = eq + 1;
	if (!strcmp(key, "public_key"))
		return set_peer_key(st, val);
	if (!strcmp(key, "update_only")) {
		/* It follows public_key: a peer that line created goes again, and is skipped. */
		if (strcmp(val, "true") || !(st->peer || st->skip))
			return EINVAL;
		if (st->peer && st->created && !st->removed) {
			wg_peer_remove(st->d, st->peer);
			st->skip = true;
		}
		return 0;
	}
	if (st->peer || st->skip)
		return set_peer(st, key, val, now);
	return set_device(st, key, val);
}

static void set(wg_device *d, FILE *in, FILE *out)
{
	set_state st = { .d = d };
	char line[512];
	int err = 0;
	uint64_t now = mono_ns();

	while (fgets(line, sizeof line, in)) {
		size_t n = strlen(line);

		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			break;
		if (!err) {
			st.locked = conf_lock(d);
			err = set_line(&st, line, now);
			conf_unlock(d, st.locked);
		}
	}
	wg_memzero(line, sizeof line);
	fprintf(out, "errno=%d\n\n", err);
}

void wg_uapi_serve(wg_device *d, FILE *in, FILE *out)
{
	char line[64];

	while (fgets(line, sizeof line, in)) {
		if (!strcmp(line, "get=1\n")) {
			/* The empty line that ends the request. */
			if (!fgets(line, sizeof line, in) || strcmp(line, "\n"))
				break;
			get(d, out);
		} else if (!strcmp(line, "set=1\n")) {
			set(d, in, out);
		} else {
			fprintf(out, "errno=%d\n\n", EINVAL);
			break;
		}
		fflush(out);
	}
	fflush(out);
}
