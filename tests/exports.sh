#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Each shared object exports its own namespace only: libzc zc_*, libzcstack
# zcs_*; everything else is hidden.
set -u
# check LIB PREFIX WANTED...: LIB's exports all start with PREFIX, and include WANTED.
check() {
	lib=$1 prefix=$2
	shift 2
	so=$(ls "${ZC_BUILDDIR:-.}"/.libs/"$lib" 2>/dev/null)
	if [ -z "$so" ]; then
		echo "exports: no shared $lib was built (static-only build?)" >&2
		exit 77
	fi
	syms=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }')
	[ -n "$syms" ] || { echo "exports: no symbols read from $so" >&2; exit 1; }
	# A coverage build adds gcov's runtime symbols, which are not the API.
	bad=$(printf '%s\n' "$syms" | grep -v "^$prefix" | grep -v '^__gcov_' || true)
	if [ -n "$bad" ]; then
		echo "exports: $lib: symbols outside the $prefix namespace:" >&2
		printf '  %s\n' $bad >&2
		exit 1
	fi
	echo "exports: $lib: $(printf '%s\n' "$syms" | wc -l) symbols, all $prefix*"
	for want in "$@"; do
		printf '%s\n' "$syms" | grep -qx "$want" || { echo "exports: $lib: $want missing" >&2; exit 1; }
	done
}
# The constructors are inline in the headers; their exported twins must stay.
check libzc.so zc_ zc_version zc_strerror zc_csum_partial zc_parse zc_parse_burst zc_pkt_stop_layer \
	zc_eth_parse zc_arp_parse zc_ipv4_parse zc_ipv4_parse_lax zc_ipv4_parse_mode \
	zc_ipv6_parse zc_ipv6_parse_lax zc_ipv6_parse_mode zc_ipv6_walk_ext \
	zc_icmp4_parse zc_icmp6_parse zc_tcp_parse zc_udp_parse zc_udp_parse_lax zc_udp_parse_mode \
	zc_vxlan_parse zc_geneve_parse zc_gre_parse zc_erspan_parse \
	zc_sll_parse zc_sll2_parse zc_loop_parse
check libzcstack.so zcs_ zcs_create zcs_input zcs_poll zcs_udp_open zcs_udp_sendto zcs_udp_recvfrom
