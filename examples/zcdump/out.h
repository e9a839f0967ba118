/* SPDX-License-Identifier: BSD-2-Clause */
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
	int err;    /* its errno */
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

/*
 * Cursor forms: each writes at w and returns the end of what it wrote. A
 * caller that keeps the cursor in a local variable spares the compiler from
 * reloading o->buf and o->len after every byte (a char store may alias
 * them), which is most of the cost of a field line.
 */

/* "00" to "99", for writing decimal two digits at a time. */
static const char zd_dig2[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal of a 32-bit value. */
static inline char *zd_w_u32(char *w, uint32_t v)
{
	unsigned n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
		   : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
	char *p = w + n;

	while (v >= 100) {
		uint32_t d = v % 100;
		v /= 100;
		p -= 2;
		memcpy(p, zd_dig2 + 2 * d, 2);
	}
	if (v >= 10)
		memcpy(p - 2, zd_dig2 + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
	return w + n;
}

/* Decimal. */
static inline char *zd_w_u64(char *w, uint64_t v)
{
	char t[20];
	int i = 20;

	if (v <= UINT32_MAX)
		return zd_w_u32(w, (uint32_t)v);
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(w, t + i, (size_t)(20 - i));
	return w + (20 - i);
}

static const char zd_hexdig[] = "0123456789abcdef";

/* Lowercase hex with a 0x prefix, zero-padded to width digits (at most 16). */
static inline char *zd_w_hex(char *w, uint64_t v, int width)
{
	int i;

	w[0] = '0';
	w[1] = 'x';
	w += 2;
	for (i = width - 1; i >= 0; i--) {
		w[i] = zd_hexdig[v & 0xf];
		v >>= 4;
	}
	return w + width;
}

/* Dotted quad of four bytes in network order. */
static inline char *zd_w_ipv4(char *w, const uint8_t *a)
{
	w = zd_w_u32(w, a[0]);
	*w++ = '.';
	w = zd_w_u32(w, a[1]);
	*w++ = '.';
	w = zd_w_u32(w, a[2]);
	*w++ = '.';
	return zd_w_u32(w, a[3]);
}

/* aa:bb:cc:dd:ee:ff */
static inline char *zd_w_mac(char *w, const uint8_t *a)
{
	int i;

	for (i = 0; i < 6; i++) {
		w[3 * i] = zd_hexdig[a[i] >> 4];
		w[3 * i + 1] = zd_hexdig[a[i] & 0xf];
		w[3 * i + 2] = ':';
	}
	return w + 17;
}

/* IPv6 text as inet_ntop() writes it (RFC 5952 compression, embedded IPv4 forms). */
char *zd_w_ipv6(char *w, const uint8_t *a);

/* The same on the buffer's end. */
static inline void zd_u64(zd_out *o, uint64_t v)
{
	o->len = (size_t)(zd_w_u64(o->buf + o->len, v) - o->buf);
}

static inline void zd_hex(zd_out *o, uint64_t v, int width)
{
	o->len = (size_t)(zd_w_hex(o->buf + o->len, v, width) - o->buf);
}

static inline void zd_ipv4(zd_out *o, const uint8_t *a)
{
	o->len = (size_t)(zd_w_ipv4(o->buf + o->len, a) - o->buf);
}

static inline void zd_mac(zd_out *o, const uint8_t *a)
{
	o->len = (size_t)(zd_w_mac(o->buf + o->len, a) - o->buf);
}

static inline void zd_ipv6(zd_out *o, const uint8_t *a)
{
	o->len = (size_t)(zd_w_ipv6(o->buf + o->len, a) - o->buf);
}

#endif /* ZCDUMP_OUT_H */
