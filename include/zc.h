/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * zc.h - libzc, zero-copy packet parsing. Includes the whole public API.
 */
#ifndef ZC_H
#define ZC_H

#include "zc/buf.h"
#include "zc/err.h"
#include "zc/csum.h"
#include "zc/ipproto.h"
#include "zc/eth.h"
#include "zc/arp.h"
#include "zc/ipv4.h"
#include "zc/ipv6.h"
#include "zc/icmp.h"
#include "zc/tcp.h"
#include "zc/udp.h"
#include "zc/tunnel.h"
#include "zc/link.h"
#include "zc/pkt.h"
#include "zc/version.h"
#include "zc/pool.h"
#include "zc/mpsc.h"

#endif /* ZC_H */
