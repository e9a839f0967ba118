#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The shared object exports zc_* symbols only: everything else is hidden.
so=$(ls "${ZC_BUILDDIR:-.}"/.libs/libzc.so 2>/dev/null)
if [ -z "$so" ]; then
	echo "exports: no shared libzc.so was built (static-only build?)" >&2
	exit 77
fi
syms=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }')
[ -n "$syms" ] || { echo "exports: no symbols read from $so" >&2; exit 1; }
# A coverage build adds gcov's runtime symbols, which are not libzc's API.
bad=$(printf '%s\n' "$syms" | grep -v '^zc_' | grep -v '^__gcov_' || true)
if [ -n "$bad" ]; then
	echo "exports: symbols outside the zc_ namespace:" >&2
	printf '  %s\n' $bad >&2
	exit 1
fi
n=$(printf '%s\n' "$syms" | wc -l)
echo "exports: $n symbols, all zc_*"
# The constructors are inline in the headers; their exported twins must stay.
for want in zc_strerror zc_csum_partial zc_parse zc_parse_burst \
	zc_eth_parse zc_arp_parse zc_ipv4_parse zc_ipv4_parse_lax zc_ipv4_parse_mode \
	zc_ipv6_parse zc_ipv6_parse_lax zc_ipv6_parse_mode zc_ipv6_walk_ext \
	zc_icmp4_parse zc_icmp6_parse zc_tcp_parse zc_udp_parse zc_udp_parse_lax zc_udp_parse_mode \
	zc_vxlan_parse zc_geneve_parse zc_gre_parse zc_erspan_parse \
	zc_sll_parse zc_sll2_parse zc_loop_parse; do
	printf '%s\n' "$syms" | grep -qx "$want" || { echo "exports: $want missing" >&2; exit 1; }
done
