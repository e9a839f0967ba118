/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench/lwip_tap.c - lwIP (Debian's liblwip, its Unix TAP port) as a TCP
 * discard or source service on a TAP device: the embeddable stack zcstack
 * is measured against by bench/zcstack-throughput.sh.
 *
 * Usage: lwip_tap TAP ADDR/PREFIX discard|source PORT
 *
 * The TAP device is made by lwIP's port, under the name given (it reads
 * PRECONFIGURED_TAPIF, which this program sets; the kernel side is
 * configured by the caller). discard reads every byte and drops it;
 * source sends zero bytes until the peer closes. lwIP runs as its
 * threaded port runs it (tcpip_init, a thread reading the TAP); the
 * callbacks run in its core thread, the setup under its core lock.
 * SIGINT or SIGTERM ends the program, which then prints what it moved.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

static unsigned long long moved;
static char zeros[16384];

static void usage(FILE *to)
{
	fprintf(to, "usage: lwip_tap TAP ADDR/PREFIX discard|source PORT\n"
		    "  lwIP on the TAP device TAP (made under that name), answering as ADDR,\n"
		    "  serving TCP discard (reads and drops) or source (sends until the peer closes) on PORT.\n");
}

/* Queues as much of the endless stream as the send buffer takes. */
static void source_fill(struct tcp_pcb *pcb)
{
	for (;;) {
		u16_t room = tcp_sndbuf(pcb);
		u16_t n = room < sizeof zeros ? room : (u16_t)sizeof zeros;
		if (n == 0 || tcp_write(pcb, zeros, n, 0) != ERR_OK)
			break;
		moved += n;
	}
	tcp_output(pcb);
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)arg;
	(void)len;
	source_fill(pcb);
	return ERR_OK;
}

/* Discard counts and drops what arrives; both close when the peer does. */
static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)err;
	if (!p) {
		tcp_arg(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_recv(pcb, NULL);
		if (tcp_close(pcb) == ERR_OK)
			return ERR_OK;
		tcp_abort(pcb); /* out of memory for the FIN: the pcb is gone, as lwIP asks to be told */
		return ERR_ABRT;
	}
	if (arg == NULL)
		moved += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	/* arg is non-NULL for source */
	tcp_arg(pcb, arg);
	tcp_recv(pcb, on_recv);
	tcp_nagle_disable(pcb);
	if (arg) {
		tcp_sent(pcb, on_sent);
		source_fill(pcb);
	}
	return ERR_OK;
}

static void core_ready(void *arg)
{
	sys_sem_signal((sys_sem_t *)arg);
}

int main(int argc, char **argv)
{
	static struct netif nif;
	ip4_addr_t addr, mask, gw;
	struct tcp_pcb *pcb, *lpcb;
	sys_sem_t ready;
	sigset_t stop;
	char a[64], *slash;
	unsigned long port, prefix;
	int source, sig;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 5) {
		usage(stderr);
		return 2;
	}
	if (strlen(argv[2]) >= sizeof a || !(slash = strchr(strcpy(a, argv[2]), '/'))) {
		fprintf(stderr, "lwip_tap: '%s' is not ADDR/PREFIX\n", argv[2]);
		return 2;
	}
	*slash = '\0';
	prefix = strtoul(slash + 1, NULL, 10);
	if (!ip4addr_aton(a, &addr) || prefix < 1 || prefix > 30) {
		fprintf(stderr, "lwip_tap: '%s' is not an IPv4 ADDR/PREFIX (prefix 1 to 30)\n", argv[2]);
		return 2;
	}
	source = !strcmp(argv[3], "source");
	if (!source && strcmp(argv[3], "discard")) {
		fprintf(stderr, "lwip_tap: unknown service '%s' (discard or source)\n", argv[3]);
		return 2;
	}
	port = strtoul(argv[4], NULL, 10);
	if (port == 0 || port > 65535) {
		fprintf(stderr, "lwip_tap: bad port '%s'\n", argv[4]);
		return 2;
	}
	if (setenv("PRECONFIGURED_TAPIF", argv[1], 1) != 0) {
		perror("lwip_tap: setenv");
		return 1;
	}

	/* The signals that stop it are taken by sigwait() below, in no thread's handler. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	if (sys_sem_new(&ready, 0) != ERR_OK) {
		fprintf(stderr, "lwip_tap: no semaphore\n");
		return 1;
	}
	tcpip_init(core_ready, &ready);
	sys_sem_wait(&ready);

	ip4_addr_set_u32(&mask, lwip_htonl(~0u << (32 - prefix)));
	ip4_addr_set_zero(&gw);
	LOCK_TCPIP_CORE();
	if (!netif_add(&nif, &addr, &mask, &gw, NULL, tapif_init, tcpip_input)) {
		UNLOCK_TCPIP_CORE();
		fprintf(stderr, "lwip_tap: lwIP could not add the TAP device %s\n", argv[1]);
		return 1;
	}
	netif_set_default(&nif);
	netif_set_up(&nif);
	netif_set_link_up(&nif);
	pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb || tcp_bind(pcb, IP4_ADDR_ANY, (u16_t)port) != ERR_OK || !(lpcb = tcp_listen(pcb))) {
		UNLOCK_TCPIP_CORE();
		fprintf(stderr, "lwip_tap: lwIP could not listen on TCP port %lu\n", port);
		return 1;
	}
	tcp_arg(lpcb, source ? (void *)zeros : NULL);
	tcp_accept(lpcb, on_accept);
	UNLOCK_TCPIP_CORE();
	printf("lwip_tap: lwIP %s on %s as %s, TCP %s on port %lu\n", LWIP_VERSION_STRING, argv[1], argv[2],
	       argv[3], port);
	fflush(stdout);

	while (sigwait(&stop, &sig) != 0)
		;
	LOCK_TCPIP_CORE();
	printf("lwip_tap: %llu bytes %s\n", moved, source ? "queued" : "read");
	UNLOCK_TCPIP_CORE();
	return 0;
}
