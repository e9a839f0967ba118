/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/out.c - the output buffer and IPv6 text.
 */
#include "out.h"

#include <errno.h>
#include <stdlib.h>

int zd_out_init(zd_out *o, FILE *f, size_t cap)
{
	o->buf = malloc(cap);
	o->len = 0;
	o->cap = o->buf ? cap : 0;
	o->f = f;
	o->failed = 0;
	o->err = 0;
	return o->buf ? 0 : -1;
}

int zd_out_flush(zd_out *o)
{
	if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len) {
		o->failed = 1;
		o->err = errno;
	}
	o->len = 0;
	if (!o->failed && fflush(o->f) != 0) {
		o->failed = 1;
		o->err = errno;
	}
	return o->failed ? -1 : 0;
}

void zd_out_free(zd_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->cap = o->len = 0;
}

/* A 16-bit word in hex without leading zeros. */
static char *put_hex16(char *o, unsigned w)
{
	if (w >= 0x1000)
		*o++ = zd_hexdig[w >> 12];
	if (w >= 0x100)
		*o++ = zd_hexdig[(w >> 8) & 0xf];
	if (w >= 0x10)
		*o++ = zd_hexdig[(w >> 4) & 0xf];
	*o++ = zd_hexdig[w & 0xf];
	return o;
}

/*
 * The rules of inet_ntop() as the C library (and so tshark) applies them:
 * the longest run of two or more zero words becomes "::" (the first run on
 * a tie), and the IPv4-compatible (::a.b.c.d, but not ::1) and IPv4-mapped
 * (::ffff:a.b.c.d) forms end in a dotted quad.
 */
char *zd_w_ipv6(char *o, const uint8_t *a)
{
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] != 0) {
			cur = -1;
			continue;
		}
		if (cur < 0) {
			cur = i;
			curlen = 0;
		}
		if (++curlen > bestlen) {
			best = cur;
			bestlen = curlen;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i)
			*o++ = ':';
		if (i == 6 && best == 0 &&
		    (bestlen == 6 || (bestlen == 7 && w[7] != 1) || (bestlen == 5 && w[5] == 0xffff))) {
			return zd_w_ipv4(o, a + 12);
		}
		o = put_hex16(o, w[i]);
	}
	if (best >= 0 && best + bestlen == 8)
		*o++ = ':';
	return o;
}
