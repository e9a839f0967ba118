#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A view over read-only memory reaches no setter without a cast: each wrong
# use below must fail to compile, and the right one beside it must compile.
srcdir=${srcdir:-.}
build=${ZC_BUILDDIR:-.}
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zc-rw.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0

# try NAME EXPECT BODY: compiles BODY inside a function over const bytes ro[]
# and writable bytes rw[]; EXPECT is "ok" or "error".
try() {
	cat > "$tmp/$1.c" <<SRC
#include <zc.h>
void f(const uint8_t *ro, uint8_t *rw, size_t n);
void f(const uint8_t *ro, uint8_t *rw, size_t n)
{
	zc_ipv4 v;
	zc_ipv4_rw h;

	(void)ro, (void)rw, (void)n, (void)v, (void)h;
	$3
}
SRC
	if $cc -std=gnu11 -Wall -Wextra -Werror -I"$build/include" -I"$srcdir/include" -c "$tmp/$1.c" \
		-o "$tmp/$1.o" 2> "$tmp/$1.err"; then
		got=ok
	else
		got=error
	fi
	if [ "$got" != "$2" ]; then
		echo "rw-compile: $1: expected $2, got $got" >&2
		cat "$tmp/$1.err" >&2
		status=1
	else
		echo "rw-compile: $1: $got, as it must"
	fi
}

try parse-const ok 'if (zc_ipv4_parse(zc_buf_make(ro, n), &v) == ZC_OK) (void)zc_ipv4_ttl(v);'
try setter-on-view error 'if (zc_ipv4_parse(zc_buf_make(ro, n), &v) == ZC_OK) zc_ipv4_set_ttl(v, 1);'
try fill-on-view error 'if (zc_ipv4_parse(zc_buf_make(ro, n), &v) == ZC_OK) zc_ipv4_csum_fill(v);'
try write-through-view error 'if (zc_ipv4_parse(zc_buf_make(ro, n), &v) == ZC_OK) v.p[8] = 1;'
try handle-from-const error 'if (zc_ipv4_parse_rw(zc_wbuf_make(ro, n), &h) == ZC_OK) zc_ipv4_set_ttl(h, 1);'
try handle-from-writable ok 'if (zc_ipv4_parse_rw(zc_wbuf_make(rw, n), &h) == ZC_OK) zc_ipv4_set_ttl(h, 1);'
try handle-of-view ok 'if (zc_ipv4_parse(zc_buf_make(rw, n), &v) == ZC_OK && zc_ipv4_rw_of(zc_wbuf_make(rw, n), v, &h) == ZC_OK) zc_ipv4_set_ttl(h, 1);'
try user-cast ok 'if (zc_ipv4_parse_rw(zc_wbuf_make((void *)ro, n), &h) == ZC_OK) zc_ipv4_set_ttl(h, 1);'
exit $status
