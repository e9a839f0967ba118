#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-wscale.sh - 20 MB from Linux to zcstack's TCP discard service
# over the TAP device zcstack makes, with the Linux side's window scaling on
# (RFC 7323) and then off (net.ipv4.tcp_window_scaling=0 in the namespace),
# in one run on the same zcstack (--tcp-ring sets its receive ring, hence
# the window it can offer; 1 MiB by default here). zcstack holds every
# frame it receives DELAY ms (--delay, 5 by default): over a bare TAP the
# round trip is tens of microseconds, and 64 KiB in flight is then more
# than zcstack can take, whatever the window. Each mode is run RUNS times
# (3); printed: each run's MB/s, the median, and the ratio on/off.
#
# Usage: sudo bench/zcstack-wscale.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). RING=bytes, MB=megabytes, RUNS=n.
# Needs root, iproute2, python3; traffic stays inside the namespace it makes.
set -u

RING=${RING:-1048576}
DELAY=${DELAY:-5}
MB=${MB:-20}
RUNS=${RUNS:-3}
BENCH=zcstack-wscale
TOOLS="python3"
PKGS="iproute2 python3"
. "$(dirname "$0")/zcstack-common.sh"

NS=zkb-$$
N() { ip netns exec "$NS" "$@"; }

bench_ns "$NS"
bench_zcstack "$NS" zkb0 --addr 10.80.0.2/24 --tcp-discard 9 --tcp-ring "$RING" --delay "$DELAY"
N ip addr add 10.80.0.1/24 dev zkb0

# The sender: connects, sends, shuts its side down and waits for zcstack's
# FIN, which the discard service sends once it has read everything: the
# time is the whole transfer's, not the time to fill Linux's send buffer.
cat >"$TMP/send.py" <<'PY'
import socket, sys, time
n = int(sys.argv[1])
buf = bytes(1 << 16)
s = socket.create_connection(("10.80.0.2", 9))
t0 = time.monotonic()
left = n
while left:
    left -= s.send(buf[:min(left, len(buf))])
s.shutdown(socket.SHUT_WR)
while s.recv(4096):
    pass
print("%.1f" % (n / (time.monotonic() - t0) / 1e6))
PY
# run: one transfer; prints MB/s.
run() {
	N timeout 120 python3 "$TMP/send.py" $((MB * 1000000)) || { echo "zcstack-wscale: transfer failed" >&2; exit 1; }
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "zcstack-wscale: $MB MB from Linux to zcstack (TCP discard, ring $RING bytes, --delay $DELAY ms), $RUNS runs each"
for mode in 1 0; do
	N sysctl -qw net.ipv4.tcp_window_scaling=$mode
	: >"$TMP/runs.$mode"
	r=0
	while [ $r -lt "$RUNS" ]; do run >>"$TMP/runs.$mode"; r=$((r + 1)); done
	echo "window scaling $( [ $mode = 1 ] && echo on || echo off): $(tr '\n' ' ' <"$TMP/runs.$mode")MB/s, median $(median <"$TMP/runs.$mode") MB/s"
done
on=$(median <"$TMP/runs.1"); off=$(median <"$TMP/runs.0")
awk -v a="$on" -v b="$off" 'BEGIN { printf "ratio on/off: %.2fx\n", a / b }'
kill -USR1 "$PID"; sleep 0.3
awk '$1 == "tcp_discarded" { v = $2 } END { print "zcstack read " v " bytes" }' "$TMP/zcstack.log"
