/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/stack/isn.c - initial sequence numbers as RFC 6528 makes them: a
 * clock that ticks every 4 microseconds plus a keyed hash of the
 * connection's four addresses and ports, so that a connection's numbers
 * cannot be guessed from another's, while those of one four-tuple still
 * move forward with time (RFC 9293 3.4.1). The hash is SipHash-2-4, libsodium's
 * crypto_shorthash(), keyed with 16 random bytes drawn when the stack is
 * made. A caller-supplied random source (zcs_config.rand) replaces the
 * whole, so that a test or a fuzzer is repeatable; without libsodium each
 * connection's number is drawn from getrandom().
 */
#include "config.h"

#include <sys/random.h>

#include "internal.h"

#ifdef HAVE_SODIUM
#include <sodium.h>
#endif

/* Random bytes from the system, or, should it fail, a mix of what differs between two stacks. */
static void fill_random(void *p, size_t n, uintptr_t salt)
{
	uint8_t *b = p;
	size_t i;

	if (getrandom(p, n, GRND_NONBLOCK) == (ssize_t)n)
		return;
	for (i = 0; i < n; i++)
		b[i] ^= (uint8_t)((salt * 2654435761u) >> (8 * (i % 4)));
}

void zcs_isn_key(zcs_stack *s)
{
	fill_random(s->isn_key, sizeof s->isn_key, (uintptr_t)s);
	/* IPv6 fragment identifications start anywhere (RFC 7739 5). */
	fill_random(&s->ip6_id, sizeof s->ip6_id, (uintptr_t)&s->ip6_id);
}

uint32_t zcs_tcp_isn(const zcs_stack *s, const zcs_tcp_sock *c, uint64_t now)
{
	if (s->cfg.rand)
		return s->cfg.rand(s->cfg.rand_ctx);
#ifdef HAVE_SODIUM
	{
		uint8_t in[2 * 17 + 4], h[crypto_shorthash_BYTES];

		in[0] = c->laddr.fam;
		memcpy(in + 1, c->laddr.a, 16);
		in[17] = c->raddr.fam;
		memcpy(in + 18, c->raddr.a, 16);
		zc_store_be16(in + 34, c->lport);
		zc_store_be16(in + 36, c->rport);
		crypto_shorthash(h, in, sizeof in, s->isn_key);
		return (uint32_t)(now / 4) + zc_load_be32(h);
	}
#else
	{
		uint32_t x = 0;

		(void)c;
		(void)now;
		fill_random(&x, sizeof x, (uintptr_t)&x);
		return x;
	}
#endif
}

uint32_t zcs_random32(const zcs_stack *s)
{
	uint32_t x = 0;

	if (s->cfg.rand)
		return s->cfg.rand(s->cfg.rand_ctx);
	fill_random(&x, sizeof x, (uintptr_t)&x);
	return x;
}
