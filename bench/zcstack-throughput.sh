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
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RING=bytes (1 MiB).
# Needs root, iproute2, python3; traffic stays inside the namespaces it makes.
set -u

MB=${MB:-100}
RUNS=${RUNS:-3}
RING=${RING:-1048576}
ZCSTACK=${1:-${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}}
[ "$(id -u)" = 0 ] || { echo "zcstack-throughput: run as root" >&2; exit 1; }
for tool in ip python3 awk; do
	command -v $tool >/dev/null 2>&1 || { echo "zcstack-throughput: $tool is missing (apt-get install iproute2 python3)" >&2; exit 1; }
done
[ -x "$ZCSTACK" ] || { echo "zcstack-throughput: no zcstack at $ZCSTACK (give its path)" >&2; exit 1; }

NS=zkt-$$
NS2=zkt2-$$
TMP=$(mktemp -d /tmp/zcstack-throughput.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NS2" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS" || exit 1
ip netns add "$NS2" || exit 1
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS2" ip link set lo up
# zcstack on a TAP in the sender's namespace; a veth pair to the second one.
ip netns exec "$NS" "$ZCSTACK" --tap zkt0 --addr 10.82.0.2/24 --tcp-discard 9 --tcp-ring "$RING" >"$TMP/zcstack.log" 2>&1 &
PIDS="$PIDS $!"
i=0
until ip netns exec "$NS" ip link show zkt0 >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "zcstack-throughput: zkt0 never came up" >&2; cat "$TMP/zcstack.log"; exit 1; }
	sleep 0.1
done
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
