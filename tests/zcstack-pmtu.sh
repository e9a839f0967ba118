#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/zcstack-pmtu.sh - zcstack's path MTU discovery against Linux as a
# router: zcstack serves HTTP on its TAP device in one network namespace,
# whose kernel routes to a client in a second namespace over a veth link of
# MTU 1300 (the client's own end keeps 1500, so it offers an MSS of 1460).
# zcstack's 1500-byte segments go with DF; the router answers each with an
# ICMP fragmentation needed, and zcstack must lower the connection's MSS
# and deliver a 2 MB file intact (sha256 equal), counting the lowering
# (tcp_pmtu_lowered), with the TAP's offloads and with --no-offload. A
# segment without DF would be fragmented by the router and the counter
# stay 0; one with DF whose message went unheeded would never arrive.
# Skips (77) when not root, without /dev/net/tun, or when a tool it drives
# is missing: ip (iproute2), curl, timeout, sha256sum.
set -u

[ "$(id -u)" = 0 ] || { echo "zcstack-pmtu.sh: not root: skipped"; exit 77; }
[ -c /dev/net/tun ] || { echo "zcstack-pmtu.sh: no /dev/net/tun: skipped"; exit 77; }
for tool in ip:iproute2 curl:curl timeout:coreutils sha256sum:coreutils; do
	command -v "${tool%%:*}" >/dev/null 2>&1 ||
		{ echo "zcstack-pmtu.sh: ${tool%%:*} is missing: skipped (apt-get install ${tool#*:})"; exit 77; }
done

ZCSTACK=${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}
[ -x "$ZCSTACK" ] || { echo "zcstack-pmtu.sh: $ZCSTACK not built"; exit 1; }
. "$(dirname "$0")/zcstack-common.sh"

R=zcsr-$$ # zcstack and the router
C=zcsc-$$ # the client, behind the narrow link
TMP=$(mktemp -d /tmp/zcstack-pmtu.XXXXXX)

cleanup() {
	[ -n "$ZPID" ] && kill "$ZPID" 2>/dev/null
	sleep 0.2
	ip netns del "$R" 2>/dev/null
	ip netns del "$C" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

NR() { ip netns exec "$R" "$@"; }
NC() { ip netns exec "$C" "$@"; }

ip netns add "$R" || { echo "zcstack-pmtu.sh: cannot create a network namespace"; exit 1; }
ip netns add "$C" || exit 1
NR ip link set lo up
NC ip link set lo up
NR sysctl -qw net.ipv4.ip_forward=1
ip link add vr netns "$R" type veth peer name vc netns "$C" || { echo "zcstack-pmtu.sh: cannot create a veth pair"; exit 1; }
NR ip addr add 10.78.0.1/24 dev vr
NR ip link set vr mtu 1300 up
NC ip addr add 10.78.0.2/24 dev vc
NC ip link set vc up
NC ip route add 10.77.0.0/24 via 10.78.0.1

mkdir "$TMP/www"
head -c 2000000 /dev/urandom >"$TMP/www/f"
want=$(sha256sum <"$TMP/www/f")

# run WHAT ARGS...: zcstack with ARGS serves the file; the client fetches it through the narrow link.
run() {
	what=$1; shift
	ip netns exec "$R" "$ZCSTACK" --tap zp0 --addr 10.77.0.2/24 --gw 10.77.0.1 --http "80:$TMP/www" "$@" \
		>"$TMP/zcstack.log" 2>&1 &
	ZPID=$!
	dev_up "$R" zp0 || { bad "$what: zcstack did not create zp0"; cat "$TMP/zcstack.log"; return; }
	NR ip addr add 10.77.0.1/24 dev zp0
	NR ip link set zp0 up
	rm -f "$TMP/out"
	if NC timeout 60 curl -s --retry 5 --retry-connrefused --retry-delay 1 -o "$TMP/out" http://10.77.0.2/f &&
		[ "$(sha256sum <"$TMP/out")" = "$want" ]; then
		ok "$what: 2,000,000 bytes through a link of MTU 1300, sha256 equal"
	else
		bad "$what: the file did not come through intact ($(wc -c <"$TMP/out" 2>/dev/null || echo 0) bytes)"
	fi
	stats
	n=$(counter tcp_pmtu_lowered)
	if [ "$n" -ge 1 ]; then
		ok "$what: the MSS was lowered on the router's fragmentation needed (tcp_pmtu_lowered $n)"
	else
		bad "$what: tcp_pmtu_lowered is $n"; tail -60 "$TMP/zcstack.log"
	fi
	kill "$ZPID"
	wait "$ZPID" 2>/dev/null
	ZPID=
	i=0
	while NR ip link show zp0 >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

run "TAP offloads"
run "--no-offload" --no-offload

echo "zcstack-pmtu.sh: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
