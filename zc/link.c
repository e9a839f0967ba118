/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/link.c - the capture pseudo-headers (Linux cooked v1 and v2, BSD
 * loopback).
 */
/* The constructors, defined in zc/link.h, are compiled here as the exported functions. */
#define ZC_LINK_EXTERN
#include "internal.h"
