#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-throughput.sh - MB MB (100 by default) sent by Linux over
# TCP to a discard service, in one run: to zcstack through its TAP device,
# and, as the baseline, to Linux's own stack in a second namespace over a
# veth pair (a Python receiver that reads and drops). The same sender (a
# Python loop of 64 KiB sends, then a wait for the receiver's FIN) and the
# same machine for both; RUNS runs each (3), medians, and the ratio.
#
# Usage: sudo bench/zcstack-throughput.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RING=bytes (1 MiB),
#        ZCSTACK_ARGS=more options for zcstack (--no-offload: a TAP without offloads).
# Needs root, iproute2, python3; traffic stays inside the namespaces it makes.
set -u

MB=${MB:-100}
RUNS=${RUNS:-3}
RING=${RING:-1048576}
BENCH=zcstack-throughput
TOOLS="python3"
PKGS="iproute2 python3"
. "$(dirname "$0")/zcstack-common.sh"

NS=zkt-$$
NS2=zkt2-$$

bench_ns "$NS"
bench_ns "$NS2"
# zcstack on a TAP in the sender's namespace; a veth pair to the second one.
bench_zcstack "$NS" zkt0 --addr 10.82.0.2/24 --tcp-discard 9 --tcp-ring "$RING"
ip netns exec "$NS" ip addr add 10.82.0.1/24 dev zkt0
ip -n "$NS" link add zkv0 type veth peer name zkv1 netns "$NS2"
ip -n "$NS" addr add 10.83.0.1/24 dev zkv0
ip -n "$NS2" addr add 10.83.0.2/24 dev zkv1
ip -n "$NS" link set zkv0 up
ip -n "$NS2" link set zkv1 up

cat >"$TMP/discard.py" <<'EOF'
import socket
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.83.0.2", 9))
l.listen(4)
while True:
    c, _ = l.accept()
    while c.recv(1 << 16):
        pass
    c.close()
EOF
ip netns exec "$NS2" python3 "$TMP/discard.py" &
PIDS="$PIDS $!"
cat >"$TMP/send.py" <<'EOF'
import socket, sys, time
host, n = sys.argv[1], int(sys.argv[2])
buf = bytes(1 << 16)
for _ in range(50):
    try:
        s = socket.create_connection((host, 9))
        break
    except OSError:
        time.sleep(0.1)
t0 = time.monotonic()
left = n
while left:
    left -= s.send(buf[:min(left, len(buf))])
s.shutdown(socket.SHUT_WR)
while s.recv(4096):
    pass
print("%.1f" % (n / (time.monotonic() - t0) / 1e6))
EOF
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "zcstack-throughput: $MB MB over TCP from Linux, $RUNS runs each"
for who in zcstack linux; do
	host=10.82.0.2; [ $who = linux ] && host=10.83.0.2
	: >"$TMP/runs.$who"
	r=0
	while [ $r -lt "$RUNS" ]; do
		ip netns exec "$NS" timeout 120 python3 "$TMP/send.py" $host $((MB * 1000000)) >>"$TMP/runs.$who" ||
			{ echo "zcstack-throughput: the transfer to $who failed" >&2; exit 1; }
		r=$((r + 1))
	done
	echo "  to $who: $(tr '\n' ' ' <"$TMP/runs.$who")MB/s, median $(median <"$TMP/runs.$who") MB/s"
done
awk -v a="$(median <"$TMP/runs.zcstack")" -v b="$(median <"$TMP/runs.linux")" 'BEGIN { printf "  zcstack / Linux: %.2fx\n", a / b }'
