/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcstack/config.c - the command line into one zcstack_config.
 *
 * Every check the stack would make at zcs_create() (a unicast address, a
 * unicast MAC, the MTU's range) is made here first, so that a bad value is
 * a usage error that names the option, not a bare "invalid argument".
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zcstack.h"

static const struct option long_opts[] = {
	{ "tap", required_argument, NULL, 't' },
	{ "tun", required_argument, NULL, 'T' },
	{ "addr", required_argument, NULL, 'a' },
	{ "addr6", required_argument, NULL, '6' },
	{ "gw", required_argument, NULL, 'g' },
	{ "dhcp", no_argument, NULL, 'P' },
	{ "mac", required_argument, NULL, 'M' },
	{ "mtu", required_argument, NULL, 'm' },
	{ "udp-echo", required_argument, NULL, 'u' },
	{ "tcp-echo", required_argument, NULL, 'E' },
	{ "tcp-discard", required_argument, NULL, 'X' },
	{ "tcp-source", required_argument, NULL, 'S' },
	{ "http", required_argument, NULL, 'H' },
	{ "tcp-ring", required_argument, NULL, 'R' },
	{ "tcp-retries", required_argument, NULL, 'r' },
	{ "no-sack", no_argument, NULL, 'K' },
	{ "drop", required_argument, NULL, 'D' },
	{ "duplicate", required_argument, NULL, 'U' },
	{ "corrupt", required_argument, NULL, 'C' },
	{ "reorder", required_argument, NULL, 'O' },
	{ "delay", required_argument, NULL, 'Y' },
	{ "seed", required_argument, NULL, 's' },
	{ "no-offload", no_argument, NULL, 'N' },
	{ "tap-offloads", required_argument, NULL, 'F' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_ulong(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || s[0] == '+' || s[0] == ' ' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A dotted quad only: inet_pton(3) takes no shorthand such as "10.1" or hexadecimal. */
static int parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* An address the stack may take as its own (zcs_create() refuses the others). */
static bool is_unicast(uint32_t a)
{
	return a != 0 && a >> 28 != 0xe && a >> 28 != 0xf && a >> 24 != 127;
}

/*
 * Splits "ADDRESS/LEN" into the address text, copied into buf (size
 * bytes), and the length, 1 to max. -1 when s is not of that form.
 */
static int split_prefix(const char *s, char *buf, size_t size, unsigned max, unsigned long long *len)
{
	char *slash;

	if (strlen(s) >= size)
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return parse_ulong(slash + 1, 1, max, len);
}

static int parse_prefix(zcstack_config *c, const char *s, char *err, size_t errlen)
{
	char buf[32];
	unsigned long long len;

	if (split_prefix(s, buf, sizeof buf, 32, &len) < 0 || parse_ipv4(buf, &c->addr) < 0)
		goto bad;
	c->prefix_len = (uint8_t)len;
	if (!is_unicast(c->addr))
		return fail(err, errlen, "--addr: '%s' is not a unicast address", s);
	return 0;
bad:
	return fail(err, errlen, "--addr: '%s' is not an IPv4 address/prefix", s);
}

/* An IPv6 address/prefix the stack may take: not ::, ::1, or a group (ff00::/8). */
static int parse_prefix6(zcstack_config *c, const char *s, char *err, size_t errlen)
{
	static const uint8_t loop[16] = { [15] = 1 }, zero[16];
	char buf[64];
	unsigned long long len;

	if (split_prefix(s, buf, sizeof buf, 128, &len) < 0 || inet_pton(AF_INET6, buf, c->addr6) != 1)
		goto bad;
	c->prefix6_len = (uint8_t)len;
	if (!memcmp(c->addr6, zero, 16) || !memcmp(c->addr6, loop, 16) || c->addr6[0] == 0xff)
		return fail(err, errlen, "--addr6: '%s' is not a unicast address", s);
	return 0;
bad:
	return fail(err, errlen, "--addr6: '%s' is not an IPv6 address/prefix", s);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int parse_prob(const char *opt, const char *s, double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* NaN compares false both ways: written so that it is refused too. */
	if (errno || end == s || *end || !(v >= 0 && v <= 1))
		return fail(err, errlen, "--%s: '%s' is not a probability from 0 to 1", opt, s);
	*out = v;
	return 0;
}

static int set_dev(zcstack_config *c, int link, const char *s, char *err, size_t errlen)
{
	if (c->dev[0])
		return fail(err, errlen, "give one device: --tap NAME or --tun NAME");
	if (!s[0] || strlen(s) >= sizeof c->dev || strchr(s, '/') || strchr(s, ' '))
		return fail(err, errlen, "--%s: '%s' is not an interface name (1 to %zu characters)",
			    link == ZCS_LINK_ETH ? "tap" : "tun", s, sizeof c->dev - 1);
	memcpy(c->dev, s, strlen(s) + 1);
	c->link = link;
	return 0;
}

int zcstack_config_parse(zcstack_config *c, int argc, char **argv, int *action, char *err, size_t errlen)
{
	unsigned long long v;
	bool have_addr = false;
	int o;

	memset(c, 0, sizeof *c);
	c->mtu = ZCSTACK_DEFAULT_MTU;
	c->tcp_ring = ZCSTACK_DEFAULT_TCP_RING;
	c->offload = true;
	c->offload_max = ~0u;
	c->seed = 1;
	*action = ZCSTACK_RUN;
	optind = 1;
	/* getopt's own messages would not start with the program's name. */
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":a:6:g:M:m:u:s:hVv", long_opts, NULL)) != -1) {
		switch (o) {
		case 't':
		case 'T':
			if (set_dev(c, o == 't' ? ZCS_LINK_ETH : ZCS_LINK_IP, optarg, err, errlen) < 0)
				return -1;
			break;
		case 'a':
			if (parse_prefix(c, optarg, err, errlen) < 0)
				return -1;
			have_addr = true;
			break;
		case '6':
			if (parse_prefix6(c, optarg, err, errlen) < 0)
				return -1;
			break;
		case 'P':
			c->dhcp = true;
			break;
		case 'g':
			if (parse_ipv4(optarg, &c->gateway) < 0)
				return fail(err, errlen, "--gw: '%s' is not an IPv4 address", optarg);
			if (!is_unicast(c->gateway))
				return fail(err, errlen, "--gw: '%s' is not a unicast address", optarg);
			break;
		case 'M':
			if (parse_mac(optarg, c->mac) < 0)
				return fail(err, errlen, "--mac: '%s' is not a MAC address (XX:XX:XX:XX:XX:XX)", optarg);
			if (c->mac[0] & 1 || !memcmp(c->mac, "\0\0\0\0\0\0", 6))
				return fail(err, errlen, "--mac: '%s' is not a unicast address", optarg);
			c->have_mac = true;
			break;
		case 'm':
			if (parse_ulong(optarg, ZCSTACK_MIN_MTU, ZCSTACK_MAX_MTU, &v) < 0)
				return fail(err, errlen, "--mtu: '%s' is not a number from %u to %u", optarg,
					    ZCSTACK_MIN_MTU, ZCSTACK_MAX_MTU);
			c->mtu = (unsigned)v;
			break;
		case 'u':
			if (parse_ulong(optarg, 1, 65535, &v) < 0)
				return fail(err, errlen, "--udp-echo: '%s' is not a port from 1 to 65535", optarg);
			for (unsigned i = 0; i < c->n_echo; i++)
				if (c->echo[i] == v)
					return fail(err, errlen, "--udp-echo: port %llu given twice", v);
			if (c->n_echo == ZCSTACK_MAX_ECHO)
				return fail(err, errlen, "--udp-echo: at most %d ports", ZCSTACK_MAX_ECHO);
			c->echo[c->n_echo++] = (uint16_t)v;
			break;
		case 'E':
		case 'X':
		case 'S': {
			const char *name = o == 'E' ? "tcp-echo" : o == 'X' ? "tcp-discard" : "tcp-source";
			uint16_t *port = o == 'E' ? &c->tcp_echo : o == 'X' ? &c->tcp_discard : &c->tcp_source;

			if (parse_ulong(optarg, 1, 65535, &v) < 0)
				return fail(err, errlen, "--%s: '%s' is not a port from 1 to 65535", name, optarg);
			if (*port)
				return fail(err, errlen, "--%s: given twice", name);
			*port = (uint16_t)v;
			break;
		}
		case 'H': {
			/* PORT:DIR; DIR is opened when the service starts, so that its error names the cause. */
			const char *colon = strchr(optarg, ':');
			char num[8];

			if (!colon || (size_t)(colon - optarg) >= sizeof num || colon == optarg)
				return fail(err, errlen, "--http: '%s' is not PORT:DIR", optarg);
			memcpy(num, optarg, (size_t)(colon - optarg));
			num[colon - optarg] = '\0';
			if (parse_ulong(num, 1, 65535, &v) < 0)
				return fail(err, errlen, "--http: '%s' is not a port from 1 to 65535", num);
			if (!colon[1])
				return fail(err, errlen, "--http: '%s' names no directory", optarg);
			if (c->http)
				return fail(err, errlen, "--http: given twice");
			c->http = (uint16_t)v;
			c->http_dir = colon + 1;
			break;
		}
		case 'R':
			if (parse_ulong(optarg, ZCSTACK_MIN_TCP_RING, ZCSTACK_MAX_TCP_RING, &v) < 0)
				return fail(err, errlen, "--tcp-ring: '%s' is not a number of bytes from %u to %u", optarg,
					    ZCSTACK_MIN_TCP_RING, ZCSTACK_MAX_TCP_RING);
			c->tcp_ring = (size_t)v;
			break;
		case 'r':
			if (parse_ulong(optarg, 1, 15, &v) < 0)
				return fail(err, errlen, "--tcp-retries: '%s' is not a number from 1 to 15", optarg);
			c->tcp_retries = (unsigned)v;
			break;
		case 'D':
			if (parse_prob("drop", optarg, &c->p_drop, err, errlen) < 0)
				return -1;
			break;
		case 'U':
			if (parse_prob("duplicate", optarg, &c->p_dup, err, errlen) < 0)
				return -1;
			break;
		case 'C':
			if (parse_prob("corrupt", optarg, &c->p_corrupt, err, errlen) < 0)
				return -1;
			break;
		case 'O':
			if (parse_prob("reorder", optarg, &c->p_reorder, err, errlen) < 0)
				return -1;
			break;
		case 'Y':
			if (parse_ulong(optarg, 0, 10000, &v) < 0)
				return fail(err, errlen, "--delay: '%s' is not a number of milliseconds from 0 to 10000", optarg);
			c->delay_ms = (unsigned)v;
			break;
		case 's':
			if (parse_ulong(optarg, 0, UINT64_MAX, &v) < 0)
				return fail(err, errlen, "--seed: '%s' is not a number from 0 to %llu", optarg,
					    (unsigned long long)UINT64_MAX);
			c->seed = v;
			break;
		case 'N':
			c->offload = false;
			break;
		case 'K':
			c->no_sack = true;
			break;
		case 'F':
			if (zc_vnet_offload_level(optarg, &c->offload_max) < 0)
				return fail(err, errlen, "--tap-offloads: '%s' is not all, tso, tso4, csum or none", optarg);
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'h':
			*action = ZCSTACK_HELP;
			return 0;
		case 'V':
			*action = ZCSTACK_VERSION;
			return 0;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			/* A short option may sit in a cluster (-hx): optopt names it alone. */
			if (optopt)
				return fail(err, errlen, "unknown option '-%c'", optopt);
			return fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	{
		const uint16_t port[] = { c->tcp_echo, c->tcp_discard, c->tcp_source, c->http };
		static const char *const name[] = { "--tcp-echo", "--tcp-discard", "--tcp-source", "--http" };

		for (unsigned i = 0; i < 4; i++)
			for (unsigned j = i + 1; j < 4; j++)
				if (port[i] && port[i] == port[j])
					return fail(err, errlen, "%s and %s: port %u given to both", name[i], name[j],
						    port[i]);
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	if (!c->dev[0])
		return fail(err, errlen, "no device: give --tap NAME or --tun NAME");
	if (c->dhcp && have_addr)
		return fail(err, errlen, "--dhcp: the address comes from the lease; give --addr or --dhcp, not both");
	if (c->dhcp && c->link != ZCS_LINK_ETH)
		return fail(err, errlen, "--dhcp: a TUN device has no broadcast; --dhcp goes with --tap");
	if (c->dhcp && c->gateway)
		return fail(err, errlen, "--dhcp: the gateway comes from the lease; --gw goes with --addr");
	if (!have_addr && !c->dhcp)
		return fail(err, errlen, "no address: give --addr ADDR/PREFIX or --dhcp");
	if (c->have_mac && c->link != ZCS_LINK_ETH)
		return fail(err, errlen, "--mac: a TUN device has no link addresses; --mac goes with --tap");
	if (c->gateway) {
		uint32_t mask = c->prefix_len == 32 ? 0xffffffffu : ~(0xffffffffu >> c->prefix_len);
		struct in_addr g = { htonl(c->gateway) };
		char gs[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &g, gs, sizeof gs);
		if ((c->gateway & mask) != (c->addr & mask))
			return fail(err, errlen, "--gw: %s is not in the subnet of --addr", gs);
		if (c->gateway == c->addr)
			return fail(err, errlen, "--gw: %s is the address of --addr", gs);
	}
	/*
	 * A locally administered unicast address (RFC 7042 2.1: the second
	 * bit of the first byte set, the first clear) made from the IPv4
	 * address: two stacks with different addresses never share a MAC, and
	 * the same address always gets the same one.
	 */
	if (!c->have_mac) {
		uint32_t k = c->addr;

		/* With --dhcp there is no address yet: the device's name (FNV-1a) stands for it. */
		if (c->dhcp) {
			k = 2166136261u;
			for (const char *p = c->dev; *p; p++)
				k = (k ^ (uint8_t)*p) * 16777619u;
		}
		c->mac[0] = 0x02;
		c->mac[1] = 0x00;
		c->mac[2] = (uint8_t)(k >> 24);
		c->mac[3] = (uint8_t)(k >> 16);
		c->mac[4] = (uint8_t)(k >> 8);
		c->mac[5] = (uint8_t)k;
	}
	return 0;
}
