/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zctun/gso.h - the control message that makes one sendmsg() a
 * UDP GSO send (UDP_SEGMENT, udp(7)): the kernel cuts the payload into
 * datagrams of gso_size bytes, the last maybe shorter. The send batch
 * (send.c) and the packets WireGuard held for a handshake (wg/send.c) use it.
 */
#ifndef ZCTUN_GSO_H
#define ZCTUN_GSO_H

#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

/* Room for the control message, aligned as a cmsghdr must be. */
typedef union zctun_gso_cmsg {
	char buf[CMSG_SPACE(sizeof(uint16_t))];
	struct cmsghdr align;
} zctun_gso_cmsg;

/* Makes m a GSO send of gso_size-byte datagrams, its control message in *cm. */
static inline void zctun_gso_set(struct msghdr *m, zctun_gso_cmsg *cm, uint16_t gso_size)
{
	struct cmsghdr *c;

	memset(cm, 0, sizeof *cm);
	m->msg_control = cm->buf;
	m->msg_controllen = sizeof cm->buf;
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof gso_size);
	memcpy(CMSG_DATA(c), &gso_size, sizeof gso_size);
}

#endif /* ZCTUN_GSO_H */
