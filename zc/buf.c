/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/buf.c - the type-length-value option walk shared by IPv4 and TCP.
 */
#include "internal.h"

int zc_opt_next(zc_opt_iter *it, zc_opt *o)
{
	size_t left;
	uint8_t kind;

	if (it->p >= it->end)
		return 0;
	if (unlikely(++it->steps > ZC_OPT_MAX_STEPS))
		goto too_many_steps;
	left = (size_t)(it->end - it->p);
	kind = it->p[0];
	o->kind = kind;
	if (kind == 0 || kind == 1) {
		/* EOL ends the list; the bytes after it are padding. */
		o->len = 1;
		o->data = NULL;
		it->p = kind == 0 ? it->end : it->p + 1;
		return 1;
	}
	if (unlikely(left < 2))
		goto malformed;
	o->len = it->p[1];
	if (unlikely(o->len < 2 || o->len > left))
		goto malformed;
	o->data = it->p + 2;
	it->p += o->len;
	return 1;

too_many_steps:
malformed:
	/* Stop for good: a second call reports the end, never the same item. */
	it->p = it->end;
	return ZC_E_OPTION;
}
