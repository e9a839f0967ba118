/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/config.c - the command line and the configuration file,
 * both into one zctun_config.
 *
 * The file holds "key = value" lines, the same keys as the long options
 * (without the dashes); '#' starts a comment. Options on the command line
 * override the file, wherever --config stands among them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_tun.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zctun.h"

static const struct option long_opts[] = {
	{ "tun", required_argument, NULL, 't' },
	{ "listen", required_argument, NULL, 'l' },
	{ "peer", required_argument, NULL, 'p' },
	{ "mtu", required_argument, NULL, 'm' },
	{ "config", required_argument, NULL, 'c' },
	{ "no-offload", no_argument, NULL, 'O' },
	{ "no-udp-gso", no_argument, NULL, 'G' },
	{ "no-udp-gro", no_argument, NULL, 'R' },
	{ "buffers", required_argument, NULL, 'b' },
	{ "batch", required_argument, NULL, 'B' },
	{ "workers", required_argument, NULL, 'w' },
	{ "sockbuf", required_argument, NULL, 's' },
	{ "transform", required_argument, NULL, 'x' },
	{ "tun-offloads", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "wireguard", no_argument, NULL, 'W' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_uint(const char *key, const char *s, unsigned long lo, unsigned long hi, unsigned long *out,
		      char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
		return fail(err, errlen, "%s: '%s' is not a number from %lu to %lu", key, s, lo, hi);
	*out = v;
	return 0;
}

static int parse_bool(const char *key, const char *s, bool *out, char *err, size_t errlen)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "0"))
		*out = false;
	else
		return fail(err, errlen, "%s: '%s' is not yes or no", key, s);
	return 0;
}

/*
 * ADDR:PORT, [ADDR]:PORT for IPv6, ADDR a literal or a name. An empty ADDR
 * or '*' (listen only) means any address; family 0 then, settled later.
 */
static int parse_addr(const char *key, const char *s, zctun_addr *a, bool listen, char *err, size_t errlen)
{
	char host[256];
	const char *colon, *port;
	size_t hlen;
	struct addrinfo hints, *res = NULL;
	int r;

	memset(a, 0, sizeof *a);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return fail(err, errlen, "%s: '%s' is not [IPV6-ADDRESS]:PORT", key, s);
		hlen = (size_t)(close - s - 1);
		memcpy(host, s + 1, hlen < sizeof host ? hlen : 0);
		port = close + 2;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return fail(err, errlen, "%s: '%s' has no :PORT", key, s);
		if (strchr(s, ':') != colon)
			return fail(err, errlen, "%s: '%s': write an IPv6 address in brackets, [ADDR]:PORT", key, s);
		hlen = (size_t)(colon - s);
		memcpy(host, s, hlen < sizeof host ? hlen : 0);
		port = colon + 1;
	}
	if (hlen >= sizeof host)
		return fail(err, errlen, "%s: address too long", key);
	host[hlen] = '\0';
	{
		unsigned long p;

		if (parse_uint(key, port, 1, 65535, &p, err, errlen) < 0)
			return -1;
	}
	if (listen && (hlen == 0 || !strcmp(host, "*"))) {
		a->ss.ss_family = AF_UNSPEC;
		((struct sockaddr_in *)(void *)&a->ss)->sin_port = htons((uint16_t)atoi(port));
		return 0;
	}
	if (hlen == 0)
		return fail(err, errlen, "%s: '%s' has no address", key, s);
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV | (listen ? AI_PASSIVE : 0);
	/*
	 * What is in brackets, or made of digits and dots alone, is meant as an
	 * address literal: a typo in it is a bad address, not a name to look up.
	 */
	if (s[0] == '[' || host[strspn(host, "0123456789.")] == '\0') {
		hints.ai_family = s[0] == '[' ? AF_INET6 : AF_INET;
		hints.ai_flags |= AI_NUMERICHOST;
		r = getaddrinfo(host, port, &hints, &res);
		if (r != 0 || !res)
			return fail(err, errlen, "%s: '%s' is not a valid %s address", key, host,
				    s[0] == '[' ? "IPv6" : "IPv4");
	} else {
		r = getaddrinfo(host, port, &hints, &res);
		if (r != 0 || !res)
			return fail(err, errlen, "%s: cannot resolve '%s': %s", key, host, gai_strerror(r));
	}
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

const char *zctun_addr_str(const zctun_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	unsigned port = 0;

	host[0] = '\0';
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)&a->ss;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		port = ntohs(in->sin_port);
		snprintf(buf, len, "%s:%u", host, port);
	} else if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)&a->ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		port = ntohs(in6->sin6_port);
		snprintf(buf, len, "[%s]:%u", host, port);
	} else {
		snprintf(buf, len, "(no address)");
	}
	return buf;
}

/* One key = value; keys as the long options. */
static int set_key(zctun_config *c, const char *key, const char *val, char *err, size_t errlen)
{
	unsigned long v;

	if (!strcmp(key, "tun")) {
		if (!val[0] || strlen(val) >= sizeof c->tun || strchr(val, '/') || strchr(val, ' '))
			return fail(err, errlen, "tun: '%s' is not an interface name (1 to 15 characters)", val);
		snprintf(c->tun, sizeof c->tun, "%s", val);
	} else if (!strcmp(key, "listen")) {
		if (parse_addr(key, val, &c->listen, true, err, errlen) < 0)
			return -1;
		c->have_listen = true;
	} else if (!strcmp(key, "peer")) {
		if (parse_addr(key, val, &c->peer, false, err, errlen) < 0)
			return -1;
		c->have_peer = true;
	} else if (!strcmp(key, "mtu")) {
		if (parse_uint(key, val, ZCTUN_MIN_MTU, ZCTUN_MAX_MTU, &v, err, errlen) < 0)
			return -1;
		c->mtu = (unsigned)v;
	} else if (!strcmp(key, "offload")) {
		return parse_bool(key, val, &c->offload, err, errlen);
	} else if (!strcmp(key, "tun-offloads")) {
		if (zc_vnet_offload_level(val, &c->offload_max) < 0)
			return fail(err, errlen, "tun-offloads: '%s' is not all, tso, tso4, csum or none", val);
	} else if (!strcmp(key, "udp-gso")) {
		return parse_bool(key, val, &c->udp_gso, err, errlen);
	} else if (!strcmp(key, "udp-gro")) {
		return parse_bool(key, val, &c->udp_gro, err, errlen);
	} else if (!strcmp(key, "buffers")) {
		if (parse_uint(key, val, 4, 4096, &v, err, errlen) < 0)
			return -1;
		c->rx_buffers = (unsigned)v;
	} else if (!strcmp(key, "batch")) {
		if (parse_uint(key, val, 1, 64, &v, err, errlen) < 0)
			return -1;
		c->batch = (unsigned)v;
	} else if (!strcmp(key, "workers")) {
		if (parse_uint(key, val, 0, ZCTUN_MAX_WORKERS, &v, err, errlen) < 0)
			return -1;
		c->workers = (unsigned)v;
	} else if (!strcmp(key, "sockbuf")) {
		if (parse_uint(key, val, 0, 256u << 20, &v, err, errlen) < 0)
			return -1;
		c->sockbuf = (int)v;
	} else if (!strcmp(key, "verbose")) {
		return parse_bool(key, val, &c->verbose, err, errlen);
	} else if (!strcmp(key, "transform")) {
		if (!zctun_xform_find(val))
			return fail(err, errlen, "transform: '%s' is unknown (this build has identity and test-xor)", val);
		snprintf(c->transform, sizeof c->transform, "%s", val);
	} else {
		return fail(err, errlen, "unknown key '%s'", key);
	}
	return 0;
}

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

static int load_file(zctun_config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512], msg[384];
	unsigned lineno = 0;

	if (!f)
		return fail(err, errlen, "cannot read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		char *hash, *eq, *key, *val;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fclose(f);
			return fail(err, errlen, "%s:%u: line too long", path, lineno);
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		key = trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			fclose(f);
			return fail(err, errlen, "%s:%u: expected key = value", path, lineno);
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		if (set_key(c, key, val, msg, sizeof msg) < 0) {
			fclose(f);
			return fail(err, errlen, "%s:%u: %s", path, lineno, msg);
		}
	}
	fclose(f);
	return 0;
}

/* An any-address of the family, keeping the port. */
static void make_any(zctun_addr *a, int family)
{
	uint16_t port = ((struct sockaddr_in *)(void *)&a->ss)->sin_port;

	memset(&a->ss, 0, sizeof a->ss);
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (void *)&a->ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = port;
		s6->sin6_addr = in6addr_any;
		a->len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (void *)&a->ss;

		s4->sin_family = AF_INET;
		s4->sin_port = port;
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		a->len = sizeof *s4;
	}
}

/* An IPv4 peer for an IPv6 socket: the v4-mapped address it reports. */
static void map_v4(zctun_addr *a)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 *s6 = (void *)&a->ss;

	memcpy(&s4, &a->ss, sizeof s4);
	memset(&a->ss, 0, sizeof a->ss);
	s6->sin6_family = AF_INET6;
	s6->sin6_port = s4.sin_port;
	s6->sin6_addr.s6_addr[10] = 0xff;
	s6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&s6->sin6_addr.s6_addr[12], &s4.sin_addr, 4);
	a->len = sizeof *s6;
}

/* --wireguard takes its addresses and keys from its file: the plain mode's options clash. */
static int wireguard_check(const zctun_config *c, char *err, size_t errlen)
{
	if (!c->wg_config[0])
		return fail(err, errlen, "--wireguard needs --config FILE (wg(8)'s format)");
	if (c->have_listen || c->have_peer)
		return fail(err, errlen, "--listen and --peer do not go with --wireguard: "
			    "ListenPort and Endpoint in the file say where");
	if (strcmp(c->transform, "identity"))
		return fail(err, errlen, "--transform does not go with --wireguard");
	return 0;
}

int zctun_config_parse(zctun_config *c, int argc, char **argv, int *action, char *err, size_t errlen)
{
	int o, i;

	memset(c, 0, sizeof *c);
	c->mtu = ZCTUN_DEFAULT_MTU;
	c->offload = c->udp_gso = c->udp_gro = true;
	c->offload_max = ~0u;
	c->rx_buffers = 32;
	c->batch = 16;
	c->workers = ZCTUN_WORKERS_AUTO;
	snprintf(c->transform, sizeof c->transform, "identity");
	*action = ZCTUN_RUN;

	/* With --wireguard, --config names a file in wg(8)'s format, read later. */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--wireguard"))
			c->wireguard = true;
	/* The file first, so that every other option overrides it. */
	for (i = 1; i < argc && !c->wireguard; i++) {
		const char *path = NULL;

		if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		else if (!strcmp(argv[i], "--"))
			break;
		if (path && load_file(c, path, err, errlen) < 0)
			return -1;
	}
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":t:l:p:m:c:b:B:w:s:vhV", long_opts, NULL)) != -1) {
		const char *key = NULL;
		char msg[384];

		switch (o) {
		case 't': key = "tun"; break;
		case 'l': key = "listen"; break;
		case 'p': key = "peer"; break;
		case 'm': key = "mtu"; break;
		case 'b': key = "buffers"; break;
		case 'B': key = "batch"; break;
		case 'w': key = "workers"; break;
		case 's': key = "sockbuf"; break;
		case 'x': key = "transform"; break;
		case 'o': key = "tun-offloads"; break;
		case 'c':
			if (strlen(optarg) >= sizeof c->wg_config)
				return fail(err, errlen, "--config: path too long");
			snprintf(c->wg_config, sizeof c->wg_config, "%s", optarg);
			continue;
		case 'W': continue;
		case 'O': c->offload = false; continue;
		case 'G': c->udp_gso = false; continue;
		case 'R': c->udp_gro = false; continue;
		case 'v': c->verbose = true; continue;
		case 'h': *action = ZCTUN_HELP; return 0;
		case 'V': *action = ZCTUN_VERSION; return 0;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
		if (set_key(c, key, optarg, msg, sizeof msg) < 0)
			return fail(err, errlen, "--%s", msg);
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	if (!c->tun[0])
		return fail(err, errlen, "no TUN device: give --tun NAME");
	if (c->wireguard)
		return wireguard_check(c, err, errlen);
	if (!c->have_listen)
		return fail(err, errlen, "no local address: give --listen ADDR:PORT");
	if (!c->have_peer)
		return fail(err, errlen, "no peer: give --peer ADDR:PORT");
	if (c->listen.ss.ss_family == AF_UNSPEC)
		make_any(&c->listen, c->peer.ss.ss_family);
	if (c->listen.ss.ss_family == AF_INET6 && c->peer.ss.ss_family == AF_INET)
		map_v4(&c->peer);
	if (c->listen.ss.ss_family == AF_INET && c->peer.ss.ss_family == AF_INET6)
		return fail(err, errlen, "the peer is IPv6 but the listen address is IPv4");
	return 0;
}
