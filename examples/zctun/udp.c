/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/udp.c - the outer UDP socket: bound to the listen address,
 * not connected (so that datagrams from strangers reach us, are counted and
 * dropped, rather than vanish in the kernel), with UDP GSO and GRO when the
 * kernel has them.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gso.h"
#include "zctun.h"

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

static void set_bufsize(int fd, int bytes)
{
	/* The FORCE variants pass over net.core.*mem_max; they need CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

int zctun_udp_open(zctun_udp *u, const zctun_config *cfg, char *err, size_t errlen)
{
	int one = 1, zero = 0;

	memset(u, 0, sizeof *u);
	u->family = cfg->listen.ss.ss_family;
	u->peer = cfg->peer;
	u->fd = socket(u->family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (u->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (u->family == AF_INET6)
		(void)setsockopt(u->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (bind(u->fd, (const struct sockaddr *)&cfg->listen.ss, cfg->listen.len) < 0) {
		char a[INET6_ADDRSTRLEN + 16];

		snprintf(err, errlen, "cannot bind UDP %s: %s", zctun_addr_str(&cfg->listen, a, sizeof a),
			 strerror(errno));
		goto fail;
	}
	/*
	 * The receive buffer is the slack while the TUN writer (which runs the
	 * kernel's whole receive path for each write) catches up with a burst:
	 * with 8 iperf3 streams 4 and 8 MiB still overflowed here, 16 MiB did
	 * not. It is kernel memory, bounded, and outside the process's RSS.
	 */
	set_bufsize(u->fd, cfg->sockbuf > 0 ? cfg->sockbuf : 16 << 20);
	/*
	 * UDP_SEGMENT with size 0 turns nothing on (each send gives its own size
	 * in a control message) but fails on a kernel without UDP GSO (< 4.18).
	 */
	if (cfg->udp_gso && setsockopt(u->fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof zero) == 0)
		u->gso = true;
	/* The kernel's count of datagrams dropped on a full buffer, with every receive. */
	(void)setsockopt(u->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
	if (cfg->udp_gro && setsockopt(u->fd, SOL_UDP, UDP_GRO, &one, sizeof one) == 0)
		u->gro = true;
	return 0;
fail:
	close(u->fd);
	u->fd = -1;
	return -1;
}

void zctun_udp_close(zctun_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

bool zctun_udp_is_peer(const zctun_udp *u, const struct sockaddr_storage *sa, socklen_t len)
{
	const struct sockaddr_storage *p = &u->peer.ss;

	if (sa->ss_family != p->ss_family)
		return false;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)sa, *b = (const void *)p;

		return len >= sizeof *a && a->sin_port == b->sin_port &&
		       a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)sa, *b = (const void *)p;

		return len >= sizeof *a && a->sin6_port == b->sin6_port &&
		       memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
	}
	return false;
}
