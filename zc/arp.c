/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc/arp.c - ARP for Ethernet and IPv4 (RFC 826).
 */
/* zc_arp_parse(), defined in zc/arp.h, is compiled here as the exported function. */
#define ZC_ARP_EXTERN
#include "internal.h"
