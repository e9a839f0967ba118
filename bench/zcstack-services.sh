#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-services.sh - zcstack's HTTP and source services, through
# its TAP device in a namespace of its own: curl fetching a file of MB MB
# (100 by default) over HTTP, and socat reading MB MB out of the source;
# RUNS runs each (3), every run's MB/s and the median.
#
# Usage: sudo bench/zcstack-services.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RING=bytes (1 MiB),
#        ZCSTACK_ARGS=more options for zcstack (--no-offload: a TAP without offloads).
# Needs root, iproute2, curl, socat; traffic stays inside the namespace it makes.
set -u

MB=${MB:-100}
RUNS=${RUNS:-3}
RING=${RING:-1048576}
BENCH=zcstack-services
TOOLS="curl socat"
PKGS="iproute2 curl socat"
. "$(dirname "$0")/zcstack-common.sh"

NS=zks-$$

bench_ns "$NS"
mkdir "$TMP/www"
head -c $((MB * 1000000)) /dev/urandom >"$TMP/www/file"
bench_zcstack "$NS" zks0 --addr 10.84.0.2/24 --http "80:$TMP/www" --tcp-source 19 --tcp-ring "$RING"
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
