#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-throughput.sh - one TCP stream of MB megabytes (100 by
# default) each way, in one run, against three stacks:
#   - zcstack on its TAP device (--tcp-discard 9, --tcp-source 19);
#   - Linux's own stack in a second namespace over a veth pair (Python
#     services that read and drop, or send until the peer closes);
#   - lwIP (bench/lwip_tap, Debian's liblwip and its TAP port), where
#     liblwip-dev is installed, on a TAP of MTU 576: Debian's build
#     overruns a 616-byte buffer on every frame longer than 592 bytes
#     (valgrind: pbuf_take from its TAP reader), so 576 is the largest MTU
#     it survives. zcstack is measured at that MTU too, for the same
#     frames.
# "to" is Linux sending to the stack's discard service (a Python loop of
# 64 KiB sends, then a wait for the FIN); "from" is Linux reading MB
# megabytes from its source service, then closing. RUNS runs each (3),
# medians, the ratios, and for the user-space stacks the CPU seconds their
# process spent per gigabit moved (user + system, from /proc).
#
# Usage: sudo bench/zcstack-throughput.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). MB=megabytes, RUNS=n, RING=bytes (1 MiB),
#        LWIP=path of lwip_tap (default bench/lwip_tap beside zcstack's build; "none" skips it),
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
LWIP=${LWIP:-$(dirname "$ZCSTACK")/../../bench/lwip_tap}
if [ "$LWIP" != none ] && [ ! -x "$LWIP" ]; then
	echo "$BENCH: no lwip_tap at $LWIP (install liblwip-dev, configure, make bench): lwIP left out"
	LWIP=none
fi

NS=zkt-$$
NS2=zkt2-$$
NS3=zkt3-$$
NS4=zkt4-$$

bench_ns "$NS"
bench_ns "$NS2"
bench_ns "$NS4"
# zcstack on a TAP in the senders' namespace; a veth pair to the second one.
bench_zcstack "$NS" zkt0 --addr 10.82.0.2/24 --tcp-discard 9 --tcp-source 19 --tcp-ring "$RING"
ZCPID=$PID
ip netns exec "$NS" ip addr add 10.82.0.1/24 dev zkt0
ip -n "$NS" link add zkv0 type veth peer name zkv1 netns "$NS2"
ip -n "$NS" addr add 10.83.0.1/24 dev zkv0
ip -n "$NS2" addr add 10.83.0.2/24 dev zkv1
ip -n "$NS" link set zkv0 up
ip -n "$NS2" link set zkv1 up
# zcstack at lwIP's MTU, in a namespace of its own.
bench_zcstack "$NS4" zkt4 --addr 10.85.0.2/24 --mtu 576 --tcp-discard 9 --tcp-source 19 --tcp-ring "$RING"
ZC576PID=$PID
ip -n "$NS4" addr add 10.85.0.1/24 dev zkt4
ip -n "$NS4" link set zkt4 mtu 576

cat >"$TMP/serve.py" <<'EOF'
import socket, sys, threading
def serve(port, source):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("10.83.0.2", port))
    l.listen(4)
    buf = bytes(1 << 16)
    while True:
        c, _ = l.accept()
        try:
            if source:
                while True:
                    c.sendall(buf)
            else:
                while c.recv(1 << 16):
                    pass
        except OSError:
            pass
        c.close()
threading.Thread(target=serve, args=(19, True), daemon=True).start()
serve(9, False)
EOF
ip netns exec "$NS2" python3 "$TMP/serve.py" &
PIDS="$PIDS $!"
cat >"$TMP/move.py" <<'EOF'
import socket, sys, time
way, host, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(50):
    try:
        s = socket.create_connection((host, 9 if way == "to" else 19))
        break
    except OSError:
        time.sleep(0.1)
t0 = time.monotonic()
left = n
if way == "to":
    buf = bytes(1 << 16)
    while left:
        left -= s.send(buf[:min(left, len(buf))])
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
else:
    while left > 0:
        b = s.recv(min(left, 1 << 16))
        if not b:
            sys.exit("the source closed after %d bytes" % (n - left))
        left -= len(b)
print("%.1f" % (n / (time.monotonic() - t0) / 1e6))
s.close()
EOF

# CPU ticks (user + system) a process has used so far.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME WAY NS HOST PID: RUNS transfers; the medians in $TMP/med.NAME.WAY.
measure() {
	name=$1 way=$2 ns=$3 host=$4 pid=$5
	: >"$TMP/runs"
	t0=$(ticks "$pid")
	r=0
	while [ $r -lt "$RUNS" ]; do
		ip netns exec "$ns" timeout 120 python3 "$TMP/move.py" "$way" "$host" $((MB * 1000000)) >>"$TMP/runs" ||
			{ echo "$BENCH: the transfer $way $name failed" >&2; exit 1; }
		r=$((r + 1))
	done
	t1=$(ticks "$pid")
	med=$(median <"$TMP/runs")
	echo "$med" >"$TMP/med.$name.$way"
	cpu=
	[ "$pid" != - ] && cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v mb=$((MB * RUNS)) \
		'BEGIN { printf ", %.2f CPU s/Gbit", t / hz / (mb * 8 / 1000) }')
	printf '  %-4s %-16s %sMB/s, median %s MB/s%s\n' "$way" "$name" "$(tr '\n' ' ' <"$TMP/runs")" "$med" "$cpu"
}
ratio() { awk -v a="$(cat "$TMP/med.$1.$3")" -v b="$(cat "$TMP/med.$2.$3")" 'BEGIN { printf "%.2fx", a / b }'; }

echo "$BENCH: $MB MB over one TCP stream, to each stack's discard and from its source, $RUNS runs each"
for way in to from; do
	measure zcstack "$way" "$NS" 10.82.0.2 "$ZCPID"
	measure linux-veth "$way" "$NS" 10.83.0.2 -
	measure zcstack-mtu576 "$way" "$NS4" 10.85.0.2 "$ZC576PID"
done

if [ "$LWIP" != none ]; then
	bench_ns "$NS3"
	for way in to from; do
		svc=discard port=9
		[ "$way" = from ] && svc=source port=19
		ip netns exec "$NS3" "$LWIP" zkl0 10.84.0.2/24 "$svc" "$port" >"$TMP/lwip.log" 2>&1 &
		LPID=$!
		PIDS="$PIDS $LPID"
		i=0
		until ip -n "$NS3" link show zkl0 >/dev/null 2>&1; do
			i=$((i + 1))
			[ $i -gt 100 ] && { echo "$BENCH: lwIP's TAP never came up" >&2; cat "$TMP/lwip.log"; exit 1; }
			sleep 0.1
		done
		ip -n "$NS3" addr add 10.84.0.1/24 dev zkl0
		ip -n "$NS3" link set zkl0 mtu 576 up
		measure lwip-mtu576 "$way" "$NS3" 10.84.0.2 "$LPID"
		kill "$LPID"
		wait "$LPID" 2>/dev/null
		ip -n "$NS3" link del zkl0 2>/dev/null
	done
fi

echo "  ratios (medians):"
for way in to from; do
	line="    $way: zcstack / Linux over veth $(ratio zcstack linux-veth "$way")"
	[ "$LWIP" != none ] &&
		line="$line, zcstack / lwIP $(ratio zcstack lwip-mtu576 "$way"), at MTU 576 $(ratio zcstack-mtu576 lwip-mtu576 "$way")"
	echo "$line"
done
