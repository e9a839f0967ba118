#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# zcdump speed against tshark and tcpdump, in the same run, on one capture of
# at least 500,000 packets built from the bundled Ethernet captures
# (tests/data) by repeating them with shifted timestamps.
#
#   bench/zcdump-speed.sh [CAPTURE]        (or `make bench`)
#
# Each tool reads the capture once and writes to /dev/null:
#   zcdump -T fields -e ... (the 50 fields of tests/tshark-diff.sh)
#   tshark -T fields -e ... (same fields; no reassembly, like the diff test)
#   tcpdump -nn -r          (its default line, which carries those fields)
#   zcdump -r               (its default line, tcpdump -nn's: "zcline")
# Goal: zcdump >= 50x tshark and >= 4x tcpdump -nn, and the default line
# >= 4x tcpdump -nn.
#
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA, ZC_BENCH_PACKETS (default
# 500000), ZC_BENCH_DIR (where the capture is built, default /tmp), TSHARK,
# TCPDUMP, ZC_BENCH_FIELDS (all: every field zcdump lists, not the 50).
set -eu

: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")/../tests/data" && pwd)}"
: "${ZC_BENCH_PACKETS:=500000}"
: "${ZC_BENCH_DIR:=${TMPDIR:-/tmp}}"
: "${TSHARK:=tshark}"
: "${TCPDUMP:=tcpdump}"

FIELDS="frame.len eth.src eth.dst eth.type vlan.id arp.opcode arp.src.proto_ipv4
arp.dst.proto_ipv4 ip.version ip.hdr_len ip.dsfield ip.len ip.id ip.flags
ip.frag_offset ip.ttl ip.proto ip.checksum ip.src ip.dst ipv6.plen ipv6.nxt
ipv6.hlim ipv6.flow ipv6.src ipv6.dst tcp.srcport tcp.dstport tcp.seq_raw
tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value tcp.urgent_pointer
tcp.checksum tcp.len tcp.options.mss_val tcp.options.wscale.shift
tcp.options.timestamp.tsval tcp.options.timestamp.tsecr udp.srcport udp.dstport
udp.length udp.checksum icmp.type icmp.code icmpv6.type icmpv6.code vxlan.vni
gre.proto"
[ -x "$ZCDUMP" ] || { echo "zcdump-speed: $ZCDUMP is not built (make first)" >&2; exit 1; }
# ZC_BENCH_FIELDS=all: every field zcdump knows (its --help lists them).
if [ "${ZC_BENCH_FIELDS:-50}" = all ]; then
	FIELDS=$("$ZCDUMP" --help | awk '/^FIELDS$/ { on = 1; next } on && /^[A-Z]/ { exit } on && NF == 1 { print $1 }')
fi
E=
for f in $FIELDS; do E="$E -e $f"; done
for t in "$TSHARK" "$TCPDUMP" capinfos editcap mergecap; do
	command -v "$t" >/dev/null 2>&1 || { echo "zcdump-speed: $t is missing" >&2; exit 1; }
done

count() { capinfos -M -c -T "$1" 2>/dev/null | awk -F '\t' 'NR == 2 { print $2 }'; }

# The capture: the Ethernet ones concatenated, then doubled (each copy shifted
# in time past the end of the previous) until large enough, then cut.
CAP=${1:-}
if [ -z "$CAP" ]; then
	CAP=$ZC_BENCH_DIR/zcdump-bench-$ZC_BENCH_PACKETS.pcap
	if ! [ -s "$CAP" ] || [ "$(count "$CAP")" -lt "$ZC_BENCH_PACKETS" ]; then
		W=$(mktemp -d "$ZC_BENCH_DIR/zcdump-bench.XXXXXX")
		trap 'rm -rf "$W"' EXIT
		set --
		for f in "$ZC_TEST_DATA"/*.pcap; do
			case ${f##*/} in mix.pcap) continue ;; esac
			[ "$(capinfos -T -m -E "$f" 2>/dev/null | tail -n 1 | cut -d , -f 2)" = ether ] && set -- "$@" "$f"
		done
		[ $# -gt 0 ] || { echo "zcdump-speed: no Ethernet captures in $ZC_TEST_DATA" >&2; exit 1; }
		mergecap -F pcap -a -w "$W/cur.pcap" "$@"
		shift_s=1000
		while [ "$(count "$W/cur.pcap")" -lt "$ZC_BENCH_PACKETS" ]; do
			editcap -F pcap -t "$shift_s" "$W/cur.pcap" "$W/late.pcap"
			mergecap -F pcap -a -w "$W/next.pcap" "$W/cur.pcap" "$W/late.pcap"
			mv "$W/next.pcap" "$W/cur.pcap"
			shift_s=$((shift_s * 2))
		done
		editcap -F pcap -r "$W/cur.pcap" "$CAP" "1-$ZC_BENCH_PACKETS"
	fi
fi
N=$(count "$CAP")
echo "capture: $CAP, $N packets, $(($(wc -c <"$CAP") / 1048576)) MiB"
cat "$CAP" >/dev/null        # into the page cache for every tool alike

now() { date +%s.%N; }
# children_cpu: user + system seconds of this shell's finished children, from
# the second line of the POSIX `times`, which must run in this shell (not in a
# command substitution) and so writes to $W_T first.
children_cpu() {
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$W_T"
}
# run NAME REPS CMD...: the best of REPS runs, wall clock and CPU.  Wall time
# is the figure that counts; CPU time is printed too because it stays honest
# when the machine is busy with other work.
run() {
	name=$1; reps=$2; shift 2
	best=; bestcpu=
	r=0
	while [ $r -lt "$reps" ]; do
		times >"$W_T"; c0=$(children_cpu)
		t0=$(now)
		"$@" >/dev/null 2>"$W_ERR" || { echo "zcdump-speed: $name failed:" >&2; tail -n 5 "$W_ERR" >&2; exit 1; }
		t1=$(now)
		times >"$W_T"; c1=$(children_cpu)
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
		bestcpu=$(awk -v a="$c0" -v b="$c1" -v best="$bestcpu" 'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.3f", best }')
		r=$((r + 1))
	done
	eval "T_$name=$best; C_$name=$bestcpu"
	awk -v n="$name" -v s="$best" -v c="$bestcpu" -v p="$N" 'BEGIN {
		printf "%-8s %9.3f s wall %12.0f packets/s   %9.3f s cpu %12.0f packets/s\n", n, s, p / s, c, (c > 0 ? p / c : 0) }'
}
W_ERR=$(mktemp "${TMPDIR:-/tmp}/zcdump-speed.XXXXXX")
W_T=$(mktemp "${TMPDIR:-/tmp}/zcdump-speed.XXXXXX")
trap 'rm -f "$W_ERR" "$W_T"; [ -n "${W:-}" ] && rm -rf "$W"' EXIT

echo "load average: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null), $(getconf _NPROCESSORS_ONLN 2>/dev/null) CPUs"
echo "zcdump:  $ZCDUMP -r CAP -T fields -E header=n -e ... ($(echo $FIELDS | wc -w) fields)"
echo "tshark:  $TSHARK -n -r CAP -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE -T fields -e ... (same fields)"
echo "tcpdump: $TCPDUMP -nn -r CAP"
echo "zcline:  $ZCDUMP -r CAP (the default line)"
# shellcheck disable=SC2086
run zcdump 3 "$ZCDUMP" -r "$CAP" -T fields -E header=n $E
# shellcheck disable=SC2086
run tcpdump 3 "$TCPDUMP" -nn -r "$CAP"
run zcline 3 "$ZCDUMP" -r "$CAP"
# shellcheck disable=SC2086
run tshark 1 "$TSHARK" -n -r "$CAP" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	-o tcp.desegment_tcp_streams:FALSE -T fields -E header=n $E

awk -v z="$T_zcdump" -v s="$T_tshark" -v t="$T_tcpdump" -v l="$T_zcline" \
	-v cz="$C_zcdump" -v cs="$C_tshark" -v ct="$C_tcpdump" -v cl="$C_zcline" 'BEGIN {
	printf "zcdump vs tshark:  %6.1fx wall %6.1fx cpu   (goal >= 50x: %s)\n", s / z, (cz > 0 ? cs / cz : 0), (s / z >= 50 ? "met" : "MISSED")
	printf "zcdump vs tcpdump: %6.1fx wall %6.1fx cpu   (goal >= 4x:  %s)\n", t / z, (cz > 0 ? ct / cz : 0), (t / z >= 4 ? "met" : "MISSED")
	printf "zcline vs tcpdump: %6.1fx wall %6.1fx cpu   (goal >= 4x:  %s)\n", t / l, (cl > 0 ? ct / cl : 0), (t / l >= 4 ? "met" : "MISSED")
}'
