/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/wg/conf.c - wg(8)'s file format (conf.h).
 *
 * As wg(8) reads it: sections [Interface] and [Peer]; "Key = Value" with the
 * keys in any case; '#' starts a comment; AllowedIPs a comma-separated list
 * and may repeat. Anything else (a key twice in a section, an unknown key, a
 * bad value, a peer given twice) is an error that names the file and line.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wg/conf.h"

int wg_parse_key_b64(uint8_t out[WG_KEY_LEN], const char *s)
{
	size_t n = 0;

	if (strlen(s) != 44 || s[43] != '=')
		return -1;
	if (sodium_base642bin(out, WG_KEY_LEN, s, 44, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	return n == WG_KEY_LEN ? 0 : -1;
}

int wg_parse_key_hex(uint8_t out[WG_KEY_LEN], const char *s)
{
	size_t n = 0;

	if (strlen(s) != 2 * WG_KEY_LEN)
		return -1;
	if (sodium_hex2bin(out, WG_KEY_LEN, s, 2 * WG_KEY_LEN, NULL, &n, NULL) != 0)
		return -1;
	return n == WG_KEY_LEN ? 0 : -1;
}

void wg_endpoint_to_v6(wg_endpoint *ep)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 *s6 = (void *)&ep->ss;

	if (ep->ss.ss_family != AF_INET)
		return;
	memcpy(&s4, &ep->ss, sizeof s4);
	memset(&ep->ss, 0, sizeof ep->ss);
	s6->sin6_family = AF_INET6;
	s6->sin6_port = s4.sin_port;
	s6->sin6_addr.s6_addr[10] = 0xff;
	s6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&s6->sin6_addr.s6_addr[12], &s4.sin_addr, 4);
	ep->len = sizeof *s6;
}

const char *wg_endpoint_str(const wg_endpoint *ep, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "";
	const struct sockaddr_in6 *s6 = (const void *)&ep->ss;
	const struct sockaddr_in *s4 = (const void *)&ep->ss;

	if (ep->len && ep->ss.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], host, sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(s6->sin6_port));
	} else if (ep->len && ep->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else if (ep->len && ep->ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(s4->sin_port));
	} else {
		snprintf(buf, len, "(none)");
	}
	return buf;
}

int wg_parse_endpoint(wg_endpoint *ep, const char *s)
{
	char host[256];
	const char *port;
	size_t hlen;
	struct addrinfo hints, *res = NULL;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		hlen = (size_t)(close - s - 1);
		port = close + 2;
		s++;
	} else {
		const char *colon = strrchr(s, ':');

		if (!colon || strchr(s, ':') != colon)
			return -1;
		hlen = (size_t)(colon - s);
		port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof host || !*port || strspn(port, "0123456789") != strlen(port) ||
	    atol(port) < 1 || atol(port) > 65535)
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &res) != 0 || !res)
		return -1;
	memset(ep, 0, sizeof *ep);
	memcpy(&ep->ss, res->ai_addr, res->ai_addrlen);
	ep->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int wg_parse_prefix(const char *s, int *family, uint8_t addr[16], unsigned *cidr)
{
	char a[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	if (alen == 0 || alen >= sizeof a)
		return -1;
	memcpy(a, s, alen);
	a[alen] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, a, addr) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, a, addr) == 1)
		*family = 6;
	else
		return -1;
	max = *family == 4 ? 32 : 128;
	*cidr = max;
	if (slash) {
		char *end;
		unsigned long c;

		errno = 0;
		c = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || !isdigit((unsigned char)slash[1]) || c > max)
			return -1;
		*cidr = (unsigned)c;
	}
	return 0;
}

/* ---------------------------------------------------------------- the file */

enum section { SEC_NONE, SEC_INTERFACE, SEC_PEER };

typedef struct conf_state {
	wg_device *d;
	enum section sec;
	wg_peer *peer;
	unsigned seen;          /* keys given in this section, a bit each */
	bool have_pub;
} conf_state;

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int interface_key(conf_state *st, const char *key, const char *val, char *msg, size_t mlen)
{
	uint8_t k[WG_KEY_LEN];

	if (!strcasecmp(key, "PrivateKey")) {
		if (wg_parse_key_b64(k, val) < 0) {
			snprintf(msg, mlen, "PrivateKey: not a base64 key of 32 bytes (wg genkey makes one)");
			return -1;
		}
		wg_device_set_key(st->d, k);
		wg_memzero(k, sizeof k);
	} else if (!strcasecmp(key, "ListenPort")) {
		char *end;
		unsigned long p = strtoul(val, &end, 10);

		if (!*val || *end || p > 65535 || val[0] == '-') {
			snprintf(msg, mlen, "ListenPort: '%s' is not a port from 0 to 65535", val);
			return -1;
		}
		st->d->listen_port = (uint16_t)p;
	} else if (!strcasecmp(key, "FwMark")) {
		char *end;
		unsigned long m;

		if (!strcasecmp(val, "off")) {
			st->d->fwmark = 0;
			return 0;
		}
		errno = 0;
		m = strtoul(val, &end, 0);
		if (!*val || *end || errno || m > UINT32_MAX || val[0] == '-') {
			snprintf(msg, mlen, "FwMark: '%s' is not a 32-bit number or off", val);
			return -1;
		}
		st->d->fwmark = (uint32_t)m;
	} else {
		snprintf(msg, mlen, "unknown key '%s' in [Interface]", key);
		return -1;
	}
	return 0;
}

static int allowed_ips(conf_state *st, const char *val, char *msg, size_t mlen)
{
	char buf[1024], *save = NULL, *tok;

	snprintf(buf, sizeof buf, "%s", val);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *t = trim(tok);
		uint8_t a[16];
		unsigned cidr;
		int fam;

		if (wg_parse_prefix(t, &fam, a, &cidr) < 0) {
			snprintf(msg, mlen, "AllowedIPs: '%s' is not ADDRESS/CIDR", t);
			return -1;
		}
		if (wg_aip_insert(&st->d->aip, fam, a, cidr, wg_peer_slot(st->d, st->peer)) < 0) {
			snprintf(msg, mlen, "AllowedIPs: the table is full (%u prefixes) or out of memory",
				 WG_MAX_ALLOWEDIPS);
			return -1;
		}
	}
	return 0;
}

static int peer_key(conf_state *st, const char *key, const char *val, char *msg, size_t mlen)
{
	uint8_t k[WG_KEY_LEN];

	if (!strcasecmp(key, "PublicKey")) {
		if (wg_parse_key_b64(k, val) < 0) {
			snprintf(msg, mlen, "PublicKey: not a base64 key of 32 bytes (wg pubkey makes one)");
			return -1;
		}
		if (wg_peer_find(st->d, k, false)) {
			snprintf(msg, mlen, "PublicKey: this peer was given before");
			return -1;
		}
		st->peer = wg_peer_find(st->d, k, true);
		if (!st->peer) {
			snprintf(msg, mlen, "PublicKey: our own key, or more than %u peers, or out of memory",
				 WG_MAX_PEERS);
			return -1;
		}
		return 0;
	}
	if (!st->peer) {
		snprintf(msg, mlen, "%s before PublicKey in [Peer]", key);
		return -1;
	}
	if (!strcasecmp(key, "PresharedKey")) {
		if (wg_parse_key_b64(k, val) < 0) {
			snprintf(msg, mlen, "PresharedKey: not a base64 key of 32 bytes (wg genpsk makes one)");
			return -1;
		}
		wg_peer_set_psk(st->peer, k);
		wg_memzero(k, sizeof k);
	} else if (!strcasecmp(key, "Endpoint")) {
		wg_endpoint ep;

		if (wg_parse_endpoint(&ep, val) < 0) {
			snprintf(msg, mlen, "Endpoint: '%s' is not HOST:PORT or [IPV6]:PORT", val);
			return -1;
		}
		wg_endpoint_to_v6(&ep);
		st->peer->endpoint = ep;
	} else if (!strcasecmp(key, "AllowedIPs")) {
		return allowed_ips(st, val, msg, mlen);
	} else if (!strcasecmp(key, "PersistentKeepalive")) {
		char *end;
		unsigned long s = strtoul(val, &end, 10);

		if (!strcasecmp(val, "off"))
			s = 0;
		else if (!*val || *end || s > 65535 || val[0] == '-') {
			snprintf(msg, mlen, "PersistentKeepalive: '%s' is not seconds from 0 to 65535 or off", val);
			return -1;
		}
		wg_peer_set_keepalive(st->peer, (uint32_t)s);
	} else {
		snprintf(msg, mlen, "unknown key '%s' in [Peer]", key);
		return -1;
	}
	return 0;
}

/* A bit per key, so that a key given twice in one section is caught. */
static unsigned key_bit(const char *key)
{
	static const char *const keys[] = { "PrivateKey", "ListenPort", "FwMark", "PublicKey",
					    "PresharedKey", "Endpoint", "PersistentKeepalive" };
	unsigned i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcasecmp(key, keys[i]))
			return 1u << i;
	return 0; /* AllowedIPs may repeat; unknown keys fail later */
}

static int conf_line(conf_state *st, char *line, char *msg, size_t mlen)
{
	char *eq, *key, *val;
	unsigned bit;

	if (line[0] == '[') {
		if (st->sec == SEC_PEER && !st->peer) {
			snprintf(msg, mlen, "the [Peer] before this line has no PublicKey");
			return -1;
		}
		if (!strcasecmp(line, "[Interface]")) {
			st->sec = SEC_INTERFACE;
		} else if (!strcasecmp(line, "[Peer]")) {
			st->sec = SEC_PEER;
			st->peer = NULL;
		} else {
			snprintf(msg, mlen, "unknown section '%s' ([Interface] or [Peer])", line);
			return -1;
		}
		st->seen = 0;
		return 0;
	}
	eq = strchr(line, '=');
	if (!eq) {
		snprintf(msg, mlen, "expected Key = Value");
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	bit = key_bit(key);
	if (bit & st->seen) {
		snprintf(msg, mlen, "%s given twice in this section", key);
		return -1;
	}
	st->seen |= bit;
	if (st->sec == SEC_INTERFACE)
		return interface_key(st, key, val, msg, mlen);
	if (st->sec == SEC_PEER)
		return peer_key(st, key, val, msg, mlen);
	snprintf(msg, mlen, "'%s' outside a section ([Interface] or [Peer] first)", key);
	return -1;
}

int wg_conf_load(wg_device *d, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	conf_state st = { .d = d };
	char line[1024], msg[256];
	unsigned lineno = 0;
	int r = 0;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	pthread_rwlock_wrlock(&d->lock);
	while (r == 0 && fgets(line, sizeof line, f)) {
		char *hash, *l;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			r = -1;
			break;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		l = trim(line);
		if (*l && conf_line(&st, l, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
			r = -1;
		}
	}
	if (r == 0 && st.sec == SEC_PEER && !st.peer) {
		snprintf(err, errlen, "%s:%u: the last [Peer] has no PublicKey", path, lineno);
		r = -1;
	}
	if (r == 0 && !d->id.have) {
		snprintf(err, errlen, "%s: no PrivateKey in [Interface]", path);
		r = -1;
	}
	pthread_rwlock_unlock(&d->lock);
	fclose(f);
	return r;
}
