#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-rss.sh - zcstack's peak resident memory (VmHWM) with N TCP
# echo connections from Linux open at once (1,000 by default), against the
# same process before the first connection: libzcstack allocates every
# table at zcs_create(), so what grows is the pages the connections touch.
# Each connection echoes 1,000 bytes, then all stay open while the figure
# is read. RING sets --tcp-ring (the default 64 KiB, or e.g. 16384).
#
# Usage: sudo bench/zcstack-rss.sh [ZCSTACK]   (default: examples/zcstack/zcstack
#        under $ZC_BUILDDIR or the current folder). CONNS=n, RING=bytes.
# Needs root, iproute2, python3; traffic stays inside the namespace it makes.
set -u

CONNS=${CONNS:-1000}
RING=${RING:-65536}
BENCH=zcstack-rss
TOOLS="python3"
PKGS="iproute2 python3"
. "$(dirname "$0")/zcstack-common.sh"

NS=zkr-$$
N() { ip netns exec "$NS" "$@"; }

bench_ns "$NS"
bench_zcstack "$NS" zkr0 --addr 10.81.0.2/24 --tcp-echo 7 --tcp-ring "$RING"
N ip addr add 10.81.0.1/24 dev zkr0
N sysctl -qw net.ipv4.ip_local_port_range="20000 60999"
kb() { awk -v k="$1" '$1 == k ":" { print $2 }' "/proc/$PID/status"; }
sleep 0.5
base=$(kb VmHWM)

cat >"$TMP/hold.py" <<'EOF'
import os, socket, sys, time
n = int(sys.argv[1])
socks = []
for _ in range(n):
    s = socket.create_connection(("10.81.0.2", 7), timeout=30)
    socks.append(s)
good = 0
for s in socks:
    d = os.urandom(1000)
    s.sendall(d)
    got = b""
    while len(got) < len(d):
        b = s.recv(len(d) - len(got))
        if not b:
            break
        got += b
    good += got == d
print(good, flush=True)
time.sleep(120)
EOF
N python3 "$TMP/hold.py" "$CONNS" >"$TMP/hold.out" 2>"$TMP/hold.err" &
PIDS="$PIDS $!"
i=0
until [ -s "$TMP/hold.out" ]; do
	i=$((i + 1)); [ $i -gt 600 ] && { echo "zcstack-rss: the connections never all echoed: $(tail -c 300 "$TMP/hold.err")" >&2; exit 1; }
	sleep 0.1
done
peak=$(kb VmHWM); rss=$(kb VmRSS)
echo "zcstack-rss: $(cat "$TMP/hold.out") of $CONNS connections echoed 1,000 bytes and are open (--tcp-ring $RING)"
echo "  peak RSS before the first connection: $((base / 1024)) MiB ($base kB)"
echo "  peak RSS with $CONNS connections:     $((peak / 1024)) MiB ($peak kB); now $rss kB"
awk -v a="$peak" -v b="$base" -v n="$CONNS" 'BEGIN { printf "  per connection: %.1f kB, ratio %.2fx\n", (a - b) / n, a / b }'
