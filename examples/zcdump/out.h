/*
 * examples/zcdump/out.h - a large output buffer and hand-written formatting
 * of numbers and addresses: zcdump writes millions of fields and a printf
 * per field would cost more than the parsing.
 */
#ifndef ZCDUMP_OUT_H
#define ZCDUMP_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct zd_out {
	char *buf;
	size_t len;
	size_t cap;
	FILE *f;
	int failed; /* a write failed (EPIPE, full disk): stop */
} zd_out;

/* Allocates cap bytes; returns -1 when memory is short. */
int zd_out_init(zd_out *o, FILE *f, size_t cap);
/* Writes what is buffered; returns -1 after a write error. */
int zd_out_flush(zd_out *o);
void zd_out_free(zd_out *o);

/* Makes room for n more bytes (n must not exceed the capacity). */
static inline void zd_reserve(zd_out *o, size_t n)
{
	if (o->cap - o->len < n)
		zd_out_flush(o);
}

static inline void zd_putc(zd_out *o, char c)
{
	o->buf[o->len++] = c;
}

static inline void zd_putn(zd_out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void zd_puts(zd_out *o, const char *s)
{
	zd_putn(o, s, strlen(s));
}

/* Decimal. */
static inline void zd_u64(zd_out *o, uint64_t v)
{
	char t[20];
	int i = 20;

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	zd_putn(o, t + i, (size_t)(20 - i));
}

static const char zd_hexdig[] = "0123456789abcdef";

/* Lowercase hex with a 0x prefix, zero-padded to width digits (at most 16). */
static inline void zd_hex(zd_out *o, uint64_t v, int width)
{
	char *p;
	int i;

	zd_putc(o, '0');
	zd_putc(o, 'x');
	p = o->buf + o->len;
	for (i = width - 1; i >= 0; i--) {
		p[i] = zd_hexdig[v & 0xf];
		v >>= 4;
	}
	o->len += (size_t)width;
}

/* Dotted quad of four bytes in network order. */
static inline void zd_ipv4(zd_out *o, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			zd_putc(o, '.');
		zd_u64(o, a[i]);
	}
}

/* aa:bb:cc:dd:ee:ff */
static inline void zd_mac(zd_out *o, const uint8_t *a)
{
	char *p = o->buf + o->len;
	int i;

	for (i = 0; i < 6; i++) {
		p[3 * i] = zd_hexdig[a[i] >> 4];
		p[3 * i + 1] = zd_hexdig[a[i] & 0xf];
		p[3 * i + 2] = ':';
	}
	o->len += 17;
}

/* IPv6 text as inet_ntop() writes it (RFC 5952 compression, embedded IPv4 forms). */
void zd_ipv6(zd_out *o, const uint8_t *a);

#endif /* ZCDUMP_OUT_H */
