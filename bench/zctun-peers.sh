#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zctun-peers.sh - what a configured idle WireGuard peer costs zctun:
# zctun --wireguard runs in a network namespace of its own; PEERS peers
# (100,000 by default, each with an IPv4 /32 and an IPv6 /128 in AllowedIPs
# and a preshared key) are set through its userspace API with the real
# `wg setconf`; the resident memory (VmRSS) before and after gives the
# bytes per peer, against the goal of 1,024. It also times the setconf,
# and `wg show NAME dump` (which must list every peer), and checks that
# a second setconf of the same file (which replaces every peer) leaves
# the memory where it was, and the CPU zctun spends idle with them. The
# longest time a setconf held the device's lock (which the data path
# waits for) is zctun's own counter wg_conf_lock_max_us ("n/a" for a
# zctun without it).
#
# Usage: sudo bench/zctun-peers.sh [ZCTUN]   (default: examples/zctun/zctun
#        under $ZC_BUILDDIR or the current folder). PEERS=n.
# Needs root, iproute2, wireguard-tools (wg), python3. No traffic leaves
# the namespace; no peer has an endpoint, so no handshake is tried.
set -u

PEERS=${PEERS:-100000}
ZCTUN=${1:-${ZCTUN:-${ZC_BUILDDIR:-.}/examples/zctun/zctun}}
[ "$(id -u)" = 0 ] || { echo "zctun-peers: run as root" >&2; exit 1; }
for tool in ip wg python3 awk; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "zctun-peers: $tool is missing (apt-get install iproute2 wireguard-tools python3)" >&2; exit 1; }
done
[ -x "$ZCTUN" ] || { echo "zctun-peers: no zctun at $ZCTUN (give its path)" >&2; exit 1; }

NS=zcp-$$
IF=zcp$(($$ % 100000))
TMP=$(mktemp -d /tmp/zctun-peers.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -f "/var/run/wireguard/$IF.sock"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
N() { ip netns exec "$NS" "$@"; }

ip netns add "$NS" || exit 1
N ip link set lo up
printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\n' "$(wg genkey)" >"$TMP/zctun.conf"
# Not through N(): $! must be zctun itself.
ip netns exec "$NS" "$ZCTUN" --wireguard --tun "$IF" --config "$TMP/zctun.conf" >"$TMP/zctun.log" 2>&1 &
PID=$!
i=0
until [ -S "/var/run/wireguard/$IF.sock" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "zctun-peers: no userspace API socket" >&2; cat "$TMP/zctun.log"; exit 1; }
	sleep 0.1
done
N ip link set "$IF" up

# The peers: random keys (any 32 bytes make a public key for wg(8)), addresses from their number.
python3 - "$PEERS" "$TMP/zctun.conf" >"$TMP/peers.conf" <<'EOF'
import base64, os, sys
n = int(sys.argv[1])
out = [open(sys.argv[2]).read()]
for i in range(n):
    out.append("[Peer]\nPublicKey = %s\nPresharedKey = %s\nAllowedIPs = 10.%d.%d.%d/32, fd00::%x:%x/128\n" % (
        base64.b64encode(os.urandom(32)).decode(), base64.b64encode(os.urandom(32)).decode(),
        (i >> 16) & 255, (i >> 8) & 255, i & 255, i >> 16, i & 0xffff))
sys.stdout.write("\n".join(out))
EOF

kb() { awk -v k="$1" '$1 == k ":" { print $2 }' "/proc/$PID/status"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
sleep 0.5
before=$(kb VmRSS)
t0=$(ms)
N wg setconf "$IF" "$TMP/peers.conf" || { echo "zctun-peers: wg setconf failed" >&2; cat "$TMP/zctun.log"; exit 1; }
t1=$(ms)
after=$(kb VmRSS)
listed=$(N wg show "$IF" dump | tail -n +2 | wc -l)
t2=$(ms)
N wg setconf "$IF" "$TMP/peers.conf" || { echo "zctun-peers: the second wg setconf failed" >&2; exit 1; }
again=$(kb VmRSS)
hwm=$(kb VmHWM)
kill -USR1 "$PID"; sleep 0.3
lockmax=$(awk '$1 == "wg_conf_lock_max_us" { v = $2 } END { print v == "" ? "n/a" : v }' "$TMP/zctun.log")
# CPU while idle with every peer configured (the timers' turn walks them): 3 seconds.
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
c0=$(cpu); sleep 3; c1=$(cpu)
hz=$(getconf CLK_TCK)

[ "$listed" -eq "$PEERS" ] || { echo "zctun-peers: wg show lists $listed peers, not $PEERS" >&2; exit 1; }
awk -v n="$PEERS" -v b="$before" -v a="$after" -v g="$again" -v h="$hwm" \
	-v ts="$((t1 - t0))" -v tl="$((t2 - t1))" -v cpu="$((c1 - c0))" -v hz="$hz" -v lk="$lockmax" 'BEGIN {
	per = (a - b) * 1024 / n
	printf "zctun-peers: %d peers (a /32 and a /128 each, a preshared key) set with wg setconf\n", n
	printf "  VmRSS before      %8d KiB\n", b
	printf "  VmRSS after       %8d KiB  (+%d KiB)\n", a, a - b
	printf "  bytes per peer    %8.0f      goal <= 1024: %.2f of it\n", per, per / 1024
	printf "  wg setconf        %8d ms    (%.1f us a peer)\n", ts, ts * 1000 / n
	printf "  lock held at most %8s us    (by either setconf: wg_conf_lock_max_us)\n", lk
	printf "  wg show dump      %8d ms    (%d peers listed)\n", tl, n
	printf "  setconf again     %8d KiB  (VmRSS after every peer was replaced; peak %d KiB)\n", g, h
	printf "  idle CPU          %8.1f %%     (of one core, over 3 s)\n", cpu * 100 / hz / 3
}'
