/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * examples/zcdump/line.h - the pieces of the default line (tcpdump -nn's),
 * one file per concern: summary.c walks the layers, line_tcp.c prints TCP,
 * line_icmp.c ICMP and ICMPv6.
 */
#ifndef ZCDUMP_LINE_H
#define ZCDUMP_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "zc.h"
#include "out.h"

/* -q: tcpdump's quiet line ("tcp 0", "UDP, length 5", ...). */
extern bool zd_line_quiet;

/*
 * The TCP part of the line after "a.p > b.q: ": flags, numbers (relative
 * ones from the conversation of the IP layer ip unless -S), window, urgent
 * pointer, options, length. seglen is the segment's length as the IP
 * header gives it.
 */
void zd_line_tcp(zd_out *o, zc_tcp t, size_t seglen, const zc_layer *ip);

#endif /* ZCDUMP_LINE_H */
