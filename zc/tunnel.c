/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/tunnel.c - VXLAN (RFC 7348), Geneve (RFC 8926), GRE (RFC 2784, RFC 2890),
 * ERSPAN types I to III.
 */
/* The constructors, defined in zc/tunnel.h, are compiled here as the exported functions. */
#define ZC_TUNNEL_EXTERN
#include "internal.h"

bool zc_gre_csum_ok(zc_gre g)
{
	if (!zc_gre_has_csum(g))
		return true;
	return zc_csum(g.p, g.len) == 0;
}

