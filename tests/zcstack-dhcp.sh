#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/zcstack-dhcp.sh - zcstack --dhcp against dnsmasq, in a network
# namespace of its own: dnsmasq serves the kernel's side of the TAP device;
# zcstack must lease an address of its range with the router it names
# (printed, and in dnsmasq's lease file under zcstack's MAC), answer ping
# and UDP echo there, and renew the lease at the short T1 dnsmasq gives;
# then, with another server in its place whose range differs, take the NAK
# to the next renewal and lease an address of the new range.
# (The end of a lease, a NAK and the retransmissions are tested on a fake
# clock in tests/check_stack.c.)
# Skips (77) when not root, without /dev/net/tun, or when a tool it drives
# is missing: dnsmasq, ip (iproute2), ping, socat, timeout.
set -u

[ "$(id -u)" = 0 ] || { echo "zcstack-dhcp.sh: not root: skipped"; exit 77; }
[ -c /dev/net/tun ] || { echo "zcstack-dhcp.sh: no /dev/net/tun: skipped"; exit 77; }
for tool in dnsmasq:dnsmasq ip:iproute2 ping:iputils-ping socat:socat timeout:coreutils; do
	command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] ||
		{ echo "zcstack-dhcp.sh: ${tool%%:*} is missing: skipped (apt-get install ${tool#*:})"; exit 77; }
done
DNSMASQ=$(command -v dnsmasq 2>/dev/null || echo /usr/sbin/dnsmasq)

ZCSTACK=${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}
[ -x "$ZCSTACK" ] || { echo "zcstack-dhcp.sh: $ZCSTACK not built"; exit 1; }
. "$(dirname "$0")/zcstack-common.sh"

NS=zcsd-$$
TMP=$(mktemp -d /tmp/zcstack-dhcp.XXXXXX)
DPID=

cleanup() {
	[ -n "$ZPID" ] && kill "$ZPID" 2>/dev/null
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	sleep 0.2
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

N() { ip netns exec "$NS" "$@"; }

ip netns add "$NS" || { echo "zcstack-dhcp.sh: cannot create a network namespace"; exit 1; }
N ip link set lo up

ip netns exec "$NS" "$ZCSTACK" --tap zs0 --dhcp --mac 02:dd:00:00:00:01 --udp-echo 7 >"$TMP/zcstack.log" 2>&1 &
ZPID=$!
dev_up "$NS" zs0 || { echo "zcstack-dhcp.sh: zs0 never came up"; cat "$TMP/zcstack.log"; exit 1; }
N ip addr add 10.77.0.1/24 dev zs0
mac=02:dd:00:00:00:01

# A lease of 2 minutes (dnsmasq's shortest) with T1 at 3 s: a renewal comes soon.
ip netns exec "$NS" "$DNSMASQ" --no-daemon --conf-file=/dev/null --port=0 --interface=zs0 --bind-interfaces \
	-u root --dhcp-range=10.77.0.50,10.77.0.60,255.255.255.0,2m --dhcp-option=option:router,10.77.0.1 \
	--dhcp-option=option:T1,3 --dhcp-option=option:T2,100 --dhcp-leasefile="$TMP/leases" \
	--pid-file="$TMP/dnsmasq.pid" --log-dhcp >"$TMP/dnsmasq.log" 2>&1 &
DPID=$!

# The first DISCOVER may have gone before dnsmasq listened: its retransmission comes within 5 s.
i=0; while ! grep -q '^zcstack: leased ' "$TMP/zcstack.log"; do
	i=$((i + 1)); [ $i -gt 150 ] && break
	sleep 0.1
done
line=$(grep '^zcstack: leased ' "$TMP/zcstack.log" | head -1)
addr=$(echo "$line" | sed -n 's/^zcstack: leased \([0-9.]*\)\/24, gateway 10\.77\.0\.1$/\1/p')
case $addr in
10.77.0.5[0-9] | 10.77.0.60) ok "leased $addr/24 with gateway 10.77.0.1 from dnsmasq" ;;
*) bad "no lease: '$line'"; tail -20 "$TMP/dnsmasq.log"; cat "$TMP/zcstack.log" ;;
esac
if [ -n "$addr" ] && grep -q " $mac $addr " "$TMP/leases" 2>/dev/null; then
	ok "dnsmasq's lease file has $addr for zcstack's MAC $mac"
else
	bad "lease file: $(cat "$TMP/leases" 2>/dev/null), MAC $mac"
fi
if [ -n "$addr" ]; then
	r=$(N timeout 20 ping -q -c 3 -i 0.2 -W 2 "$addr" 2>&1 | sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p')
	if [ "${r:-0}" = 3 ]; then ok "ping $addr: 3 replies"; else bad "ping $addr: ${r:-0} replies"; fi
	out=$(echo "leased and answering" | N timeout 5 socat -t 1 - "UDP:$addr:7" 2>&1)
	if [ "$out" = "leased and answering" ]; then ok "UDP echo at $addr"; else bad "UDP echo at $addr: '$out'"; fi
fi

# T1 is 3 s: by 8 s two renewals at least, each ACKed by dnsmasq.
sleep 7
stats
a=$(counter dhcp_acks); o=$(counter dhcp_offers); b=$(counter drop_dhcp_bad)
if [ "$a" -ge 3 ] && [ "$o" -eq 1 ] && [ "$(counter dhcp_leases_lost)" -eq 0 ]; then
	ok "renewed at T1: dhcp_acks $a, dhcp_offers $o, drop_dhcp_bad $b"
else
	bad "renewals: dhcp_acks $a, dhcp_offers $o, dhcp_leases_lost $(counter dhcp_leases_lost)"
	grep -E 'DHCP(REQUEST|ACK|NAK)' "$TMP/dnsmasq.log" | tail -5
fi
n=$(grep -c 'DHCPACK' "$TMP/dnsmasq.log")
if [ "$n" -ge 3 ]; then ok "dnsmasq logged $n ACKs"; else bad "dnsmasq logged $n ACKs"; fi

# Another server with another range, authoritative: the next renewal gets a
# NAK, the address is given up, and one of the new range is leased.
kill "$DPID"; wait "$DPID" 2>/dev/null
ip netns exec "$NS" "$DNSMASQ" --no-daemon --conf-file=/dev/null --port=0 --interface=zs0 --bind-interfaces \
	-u root --dhcp-authoritative --dhcp-range=10.77.0.100,10.77.0.110,255.255.255.0,2m \
	--dhcp-option=option:router,10.77.0.1 --dhcp-leasefile="$TMP/leases2" \
	--pid-file="$TMP/dnsmasq2.pid" --log-dhcp >"$TMP/dnsmasq2.log" 2>&1 &
DPID=$!
i=0; while [ "$(grep -c '^zcstack: leased ' "$TMP/zcstack.log")" -lt 2 ]; do
	i=$((i + 1)); [ $i -gt 150 ] && break
	sleep 0.1
done
stats
addr2=$(grep '^zcstack: leased ' "$TMP/zcstack.log" | sed -n '2s/^zcstack: leased \([0-9.]*\)\/24, .*/\1/p')
case $addr2 in
10.77.0.10[0-9] | 10.77.0.110)
	if grep -q '^zcstack: lease given up' "$TMP/zcstack.log" && [ "$(counter dhcp_naks)" -ge 1 ]; then
		ok "a NAK from the new server: $addr given up, $addr2 leased (dhcp_naks $(counter dhcp_naks))"
	else
		bad "new lease $addr2 without a NAK counted (dhcp_naks $(counter dhcp_naks))"
	fi ;;
*) bad "no new lease after the server changed: '$addr2'"; grep -E 'DHCP(REQUEST|ACK|NAK|DISCOVER|OFFER)' "$TMP/dnsmasq2.log" | tail -5 ;;
esac
if [ -n "$addr2" ]; then
	r=$(N timeout 20 ping -q -c 2 -i 0.2 -W 2 "$addr2" 2>&1 | sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p')
	if [ "${r:-0}" = 2 ]; then ok "ping $addr2: 2 replies"; else bad "ping $addr2: ${r:-0} replies"; fi
fi

kill "$ZPID"
i=0; while kill -0 "$ZPID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if wait "$ZPID" && ! grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/zcstack.log"; then
	ok "SIGTERM: exit 0"
else
	bad "SIGTERM: $(tail -5 "$TMP/zcstack.log")"
fi
ZPID=

echo "zcstack-dhcp: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
