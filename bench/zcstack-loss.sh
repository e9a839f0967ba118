#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-loss.sh - what SACK-based recovery (RFC 6675, with RFC
# 6937's rate reduction) buys when zcstack sends over a path that loses
# several segments of one window: zcstack serves HTTP on its TAP device in
# one namespace, whose kernel routes to curl in a second one over a veth
# link with a bottleneck of RATE (200mbit) and a queue of QUEUE (256kb: a
# token bucket filter, tail drop), each received frame delayed DELAY ms
# (10) by zcstack (a round trip long enough for slow start to overshoot the
# queue), and each frame dropped with probability DROP (0) besides. A file
# of MB MB (20) is fetched RUNS times (3) from zcstack with SACK (the
# default) and with --no-sack (NewReno: one hole a round trip), in the same
# run: every run's MB/s, the medians, their ratio against the floor of 1x,
# and the recovery counters.
#
# Usage: sudo bench/zcstack-loss.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RATE=tc rate,
#        QUEUE=tc limit, DELAY=ms, DROP=p, RING=bytes (1 MiB), ZCSTACK_ARGS=more options.
# Needs root, iproute2 (tc with tbf), curl; traffic stays inside the namespaces it makes.
set -u

MB=${MB:-20}
RUNS=${RUNS:-3}
RATE=${RATE:-200mbit}
QUEUE=${QUEUE:-256kb}
DELAY=${DELAY:-10}
DROP=${DROP:-0}
RING=${RING:-1048576}
BENCH=zcstack-loss
TOOLS="curl tc"
PKGS="iproute2 curl"
. "$(dirname "$0")/zcstack-common.sh"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

mkdir "$TMP/www"
head -c $((MB * 1000000)) /dev/urandom >"$TMP/www/file"

# One variant: zcstack with "$@" behind the router, RUNS fetches into
# $TMP/$name, the counters into $TMP/$name.stats.
variant() {
	name=$1
	shift
	r=zklr-$name-$$
	c=zklc-$name-$$
	bench_ns "$r"
	bench_ns "$c"
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
	ip link add vr netns "$r" type veth peer name vc netns "$c" || exit 1
	ip netns exec "$r" ip addr add 10.86.0.1/24 dev vr
	ip netns exec "$r" ip link set vr up
	ip netns exec "$r" tc qdisc add dev vr root tbf rate "$RATE" burst 32kb limit "$QUEUE" ||
		{ echo "$BENCH: tc cannot add a tbf qdisc" >&2; exit 1; }
	ip netns exec "$c" ip addr add 10.86.0.2/24 dev vc
	ip netns exec "$c" ip link set vc up
	ip netns exec "$c" ip route add 10.85.0.0/24 via 10.86.0.1
	bench_zcstack "$r" zkl0 --addr 10.85.0.2/24 --gw 10.85.0.1 --http "80:$TMP/www" --tcp-ring "$RING" \
		--drop "$DROP" --delay "$DELAY" "$@"
	ip netns exec "$r" ip addr add 10.85.0.1/24 dev zkl0
	ip netns exec "$r" ip link set zkl0 up
	sleep 0.3
	for n in $(seq "$RUNS"); do
		ip netns exec "$c" curl -sS --max-time 300 -o /dev/null -w '%{size_download} %{time_total}\n' \
			http://10.85.0.2/file | awk -v mb="$MB" '$1 == mb * 1000000 { printf "%.1f\n", mb / $2 }' >>"$TMP/$name"
	done
	kill -USR1 "$PID"
	sleep 0.3
	kill "$PID"
	wait "$PID" 2>/dev/null
	qdrops=$(ip netns exec "$r" tc -s qdisc show dev vr | awk '/dropped/ { sub(",", "", $7); print $7; exit }')
	[ "$(wc -l <"$TMP/$name")" -eq "$RUNS" ] || { echo "$BENCH: a transfer failed ($name)" >&2; cat "$TMP/zcstack.log" >&2; exit 1; }
	awk '{ v[$1] = $2 }
	     END { printf "%d segments dropped at the bottleneck; %d recoveries by SACK, %d fast retransmits, %d tail probes, %d timeouts",
		   q, v["tcp_sack_recoveries"], v["tcp_fast_retransmits"], v["tcp_tail_probes"], v["tcp_retransmits"] }' \
		q="${qdrops:-0}" "$TMP/zcstack.log" >"$TMP/$name.stats"
}

echo "$BENCH: $MB MB over HTTP through $RATE with a queue of $QUEUE, $RUNS runs, --delay $DELAY --drop $DROP, rings of $RING bytes"
variant newreno --no-sack
variant sack
sack=$(median <"$TMP/sack")
newreno=$(median <"$TMP/newreno")
echo "  SACK (RFC 6675):     $(tr '\n' ' ' <"$TMP/sack")MB/s, median $sack MB/s; $(cat "$TMP/sack.stats")"
echo "  --no-sack (NewReno): $(tr '\n' ' ' <"$TMP/newreno")MB/s, median $newreno MB/s; $(cat "$TMP/newreno.stats")"
awk -v a="$sack" -v b="$newreno" 'BEGIN { printf "  SACK against NewReno: %.2fx (floor 1x: %s)\n", a / b, (a >= b ? "met" : "not met") }'
