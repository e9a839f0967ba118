#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Differential test of -T json and -T ek with -e against tshark: on every
# bundled capture (tests/data/*.pcap and tests/data/crafted), zcdump's
# output must be byte for byte tshark's for a set of fields. The set has
# fields that occur more than once (addresses and ports of tunnels, ICMP
# quotes and VLAN stacks, eth.addr's two values), fields absent from most
# frames (VXLAN, GRE, ARP, TCP options), and fields that are absent from
# some frames altogether (no "layers" entry for them). Both forms are also
# compared with -E occurrence=f and l (one value kept), and with the local
# time zone set far from UTC (the index name is the packet's local date).
#
# The values themselves are tshark-diff.sh's concern: on packets tshark
# finds damaged zcdump may print less (its prefix rule). So each capture is
# first read by both with -T fields, and only the fields whose columns are
# identical there over the whole capture are compared in JSON; the fields
# left out are named.
#
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA, ZC_JSON_FIELDS (the
# fields compared, instead of the set below).
# Exit: 0 agreement, 1 a difference, 77 tshark or zcdump missing (skipped).
NAME=tshark-json
PEER=tshark
. "$(dirname "$0")/zcdump-common.sh"

: "${ZC_JSON_FIELDS:=frame.number frame.time_epoch frame.time_relative frame.len frame.cap_len
frame.protocols eth.addr eth.src vlan.id arp.opcode arp.src.hw_mac ip.src ip.dst ip.addr ip.ttl
ip.flags.df ip.proto ipv6.src ipv6.addr icmp.type icmp.seq icmpv6.type tcp.srcport tcp.port
tcp.flags.str tcp.seq tcp.ack tcp.len tcp.stream tcp.window_size tcp.options.mss_val udp.port
udp.length udp.stream vxlan.vni geneve.vni gre.proto}"
# Reassembly off, as in tshark-diff.sh: each fragment and segment is a packet.
TSHARK_OPTS="-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE"

# agreeing FILE: the fields of $ZC_JSON_FIELDS whose -T fields columns are
# the same in both tools over all of FILE, as "-e NAME" options.
agreeing() {
	all=
	for x in $ZC_JSON_FIELDS; do all="$all -e $x"; done
	# shellcheck disable=SC2086
	tshark $TSHARK_OPTS -r "$1" -T fields $all >"$tmp/tf" 2>/dev/null
	# shellcheck disable=SC2086
	"$ZCDUMP" -r "$1" -T fields $all >"$tmp/zf" 2>/dev/null
	awk -F '\t' -v names="$ZC_JSON_FIELDS" -v zf="$tmp/zf" '
	BEGIN { n = split(names, N, /[ \n]+/) }
	{
		if ((getline z < zf) <= 0) z = "\001"
		split(z, Z, "\t")
		for (k = 1; k <= n; k++) if ($k != Z[k]) off[k] = 1
	}
	END {
		if ((getline z < zf) > 0) for (k = 1; k <= n; k++) off[k] = 1
		for (k = 1; k <= n; k++) if (N[k] != "") printf "%s %s\n", off[k] ? "off" : "-e", N[k]
	}' "$tmp/tf" >"$tmp/agree"
}

bad=0; runs=0; bytes=0
# compare NAME FILE OPTION...: one run of each tool, the outputs compared;
# both in the time zone $tz when it is set.
tz=
compare() {
	name=$1; f=$2; shift 2
	# shellcheck disable=SC2086
	env ${tz:+TZ=$tz} tshark $TSHARK_OPTS -r "$f" "$@" $e >"$tmp/t" 2>"$tmp/terr"
	# shellcheck disable=SC2086
	env ${tz:+TZ=$tz} "$ZCDUMP" -r "$f" "$@" $e >"$tmp/z" 2>"$tmp/zerr"
	rc=$?
	runs=$((runs + 1))
	bytes=$((bytes + $(wc -c <"$tmp/t")))
	if [ $rc -ne 0 ] || [ -s "$tmp/zerr" ]; then
		echo "tshark-json: $name $* ${tz:+(TZ=$tz)}: zcdump exit status $rc, messages: $(head -c 300 "$tmp/zerr")"
		bad=$((bad + 1))
	elif ! [ -s "$tmp/t" ]; then
		echo "tshark-json: $name $*: tshark printed nothing: $(head -c 300 "$tmp/terr")"
		bad=$((bad + 1))
	elif ! cmp -s "$tmp/t" "$tmp/z"; then
		echo "tshark-json: DIFF $name $* ${tz:+(TZ=$tz)} (< tshark, > zcdump):"
		diff "$tmp/t" "$tmp/z" | head -n 10
		bad=$((bad + 1))
	fi
}

nfiles=0; nfields=0
for f in "$ZC_TEST_DATA"/*.pcap "$ZC_TEST_DATA"/crafted/*.pcap; do
	[ -f "$f" ] || continue
	nfiles=$((nfiles + 1))
	name=${f#"$ZC_TEST_DATA"/}
	agreeing "$f"
	e=$(grep '^-e ' "$tmp/agree" | tr '\n' ' ')
	left=$(sed -n 's/^off //p' "$tmp/agree" | tr '\n' ' ')
	[ -z "$left" ] || echo "tshark-json: $name: not compared (the values differ in -T fields too): $left"
	compare "$name" "$f" -T json
	compare "$name" "$f" -T ek
	nfields=$((nfields + $(grep -c '^-e ' "$tmp/agree")))
done
[ $nfiles -gt 0 ] || { echo "tshark-json: no capture in $ZC_TEST_DATA"; exit 1; }
for f in "$ZC_TEST_DATA/vxlan.pcap" "$ZC_TEST_DATA/icmp-errors.pcap"; do
	name=${f#"$ZC_TEST_DATA"/}
	agreeing "$f"
	e=$(grep '^-e ' "$tmp/agree" | tr '\n' ' ')
	for occ in f l; do
		compare "$name" "$f" -T json -E occurrence=$occ
		compare "$name" "$f" -T ek -E occurrence=$occ
	done
	tz=Pacific/Kiritimati
	compare "$name" "$f" -T ek
	tz=America/Adak
	compare "$name" "$f" -T json
	tz=
done
# No packet at all: an empty array, and nothing for ek.
e="-e frame.number -e ip.src"
compare mix.pcap "$ZC_TEST_DATA/mix.pcap" -T json -Y "frame.len > 100000"

echo "tshark-json: $runs runs over $nfiles captures ($nfields capture x field pairs), $bytes bytes of tshark output; $bad differ"
if [ $bad = 0 ]; then
	echo "tshark-json: PASS"
	exit 0
fi
echo "tshark-json: FAIL"
exit 1
