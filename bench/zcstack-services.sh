#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-services.sh - zcstack's HTTP and source services, through
# its TAP device in a namespace of its own: curl fetching a file of MB MB
# (100 by default) over HTTP, and socat reading MB MB out of the source;
# RUNS runs each (3), every run's MB/s and the median.
#
# Usage: sudo bench/zcstack-services.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RING=bytes (1 MiB).
# Needs root, iproute2, curl, socat; traffic stays inside the namespace it makes.
set -u

MB=${MB:-100}
RUNS=${RUNS:-3}
RING=${RING:-1048576}
ZCSTACK=${1:-${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}}
[ "$(id -u)" = 0 ] || { echo "zcstack-services: run as root" >&2; exit 1; }
for tool in ip curl socat awk; do
	command -v $tool >/dev/null 2>&1 || { echo "zcstack-services: $tool is missing (apt-get install iproute2 curl socat)" >&2; exit 1; }
done
[ -x "$ZCSTACK" ] || { echo "zcstack-services: no zcstack at $ZCSTACK (give its path)" >&2; exit 1; }

NS=zks-$$
TMP=$(mktemp -d /tmp/zcstack-services.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	sleep 0.3
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS" || exit 1
ip netns exec "$NS" ip link set lo up
mkdir "$TMP/www"
head -c $((MB * 1000000)) /dev/urandom >"$TMP/www/file"
ip netns exec "$NS" "$ZCSTACK" --tap zks0 --addr 10.84.0.2/24 --http "80:$TMP/www" --tcp-source 19 \
	--tcp-ring "$RING" >"$TMP/zcstack.log" 2>&1 &
PID=$!
i=0
until ip netns exec "$NS" ip link show zks0 >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "zcstack-services: zks0 never came up" >&2; cat "$TMP/zcstack.log"; exit 1; }
	sleep 0.1
done
ip netns exec "$NS" ip addr add 10.84.0.1/24 dev zks0
sleep 0.3

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "zcstack-services: $MB MB each, $RUNS runs, rings of $RING bytes"
for r in $(seq "$RUNS"); do
	ip netns exec "$NS" curl -sS -o /dev/null -w '%{size_download} %{time_total}\n' http://10.84.0.2/file |
		awk -v mb="$MB" '$1 == mb * 1000000 { printf "%.1f\n", mb / $2 }' >>"$TMP/http"
	s=$(date +%s.%N)
	ip netns exec "$NS" socat -u TCP:10.84.0.2:19 - 2>/dev/null | head -c $((MB * 1000000)) | wc -c >"$TMP/n"
	e=$(date +%s.%N)
	[ "$(cat "$TMP/n")" -eq $((MB * 1000000)) ] && echo "$s $e" | awk -v mb="$MB" '{ printf "%.1f\n", mb / ($2 - $1) }' >>"$TMP/source"
done
[ "$(wc -l <"$TMP/http")" -eq "$RUNS" ] || { echo "zcstack-services: an HTTP transfer failed" >&2; exit 1; }
[ "$(wc -l <"$TMP/source")" -eq "$RUNS" ] || { echo "zcstack-services: a source transfer failed" >&2; exit 1; }
echo "  HTTP GET (curl):     $(tr '\n' ' ' <"$TMP/http")MB/s, median $(median <"$TMP/http") MB/s"
echo "  source (socat):      $(tr '\n' ' ' <"$TMP/source")MB/s, median $(median <"$TMP/source") MB/s"
