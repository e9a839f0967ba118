#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/zcstack.sh - zcstack end to end, in a network namespace of its own,
# with the kernel on the other side of the device as the peer:
#   1. TAP: ping, the ARP entry with zcstack's MAC, UDP echo of several sizes
#      up to 1472 bytes, ICMP port unreachable for a closed port, TCP echo
#      and discard, fragments reassembled and replies fragmented, SIGTERM;
#   1b. IPv6 on a TAP (--addr6): ping -6, UDP echo and 1 MB of TCP echo
#      over IPv6, a ping whose request comes in fragments (reassembled), one
#      whose request and reply both go in fragments,
#      ICMPv6 port unreachable for a closed UDP port, a reset for a closed
#      TCP one;
#   1c. HTTP and source over a TAP, IPv4 and IPv6: curl fetches a 1 MB and a
#      20 MB file (sha256 equal) on one connection, 404, 403, 405, byte
#      ranges (206, Content-Range, 416 past the end), HEAD, a
#      malformed request (400), a long one (431) and pipelined ones; 20 MB
#      out of source checked against its pattern; then files and source
#      again under --drop 0.02 --reorder 0.02 --duplicate 0.01;
#   1d. TAP with --no-offload (no virtio header): ping, TCP echo over
#      IPv4 and IPv6, discard, and no frame larger than the MTU either way
#      (sections 1 to 1c run with the default offloads and check that TSO
#      frames came and went when the kernel took TSO); --tap-offloads tso4
#      and none, the steps down the kernel may force: echo over both
#      families, large frames only where asked; --delay, which asks for
#      checksum offload alone: 500 KB through echo;
#   2. TAP with --drop 0.3: some pings lost, none of the frames of a flood of
#      random datagrams and random frames kills it, pings still answered;
#   2c. TCP under --reorder 0.05: 2 MB through echo identical, frames
#      reordered and data held out of order; 200 TCP echo connections from
#      Linux open at once, each echoing its own bytes; a peer that vanishes
#      mid-transfer (its address removed): the connection times out after
#      --tcp-retries 3 and its slot is freed;
#   2d. frame-level corner cases built with scapy (skipped without it);
#   3. TUN: ping; with --duplicate 1 every reply comes more than once; with
#      --corrupt 1 no request is answered (a flipped bit always breaks an
#      IPv4 header or ICMP checksum).
# Skips (77) when not root, without /dev/net/tun, or when one of the tools
# it drives is missing: ip (iproute2), ping, socat, curl, python3, timeout,
# sha256sum, cmp.
set -u

[ "$(id -u)" = 0 ] || { echo "zcstack.sh: not root: skipped"; exit 77; }
[ -c /dev/net/tun ] || { echo "zcstack.sh: no /dev/net/tun: skipped"; exit 77; }
for tool in ip:iproute2 ping:iputils-ping socat:socat curl:curl python3:python3 timeout:coreutils \
	sha256sum:coreutils cmp:diffutils; do
	command -v "${tool%%:*}" >/dev/null 2>&1 ||
		{ echo "zcstack.sh: ${tool%%:*} is missing: skipped (apt-get install ${tool#*:})"; exit 77; }
done

ZCSTACK=${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}
[ -x "$ZCSTACK" ] || { echo "zcstack.sh: $ZCSTACK not built"; exit 1; }
# (A libtool wrapper script execs the real program: the pid stays zcstack's.)

NS=zcs-$$
TMP=$(mktemp -d /tmp/zcstack-test.XXXXXX)
FAILS=0
PASSES=0

cleanup() {
	for p in $(cat "$TMP"/pids 2>/dev/null); do kill "$p" 2>/dev/null; done
	sleep 0.2
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

N() { ip netns exec "$NS" "$@"; }
ok() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }

ip netns add "$NS" || { echo "zcstack.sh: cannot create a network namespace"; exit 1; }
N ip link set lo up

# start NAME ARGS...: one zcstack in the namespace, its pid kept in $TMP/pid.NAME
start() {
	name=$1; shift
	# Not through N: a function run in the background is a subshell, whose pid is not zcstack's.
	ip netns exec "$NS" "$ZCSTACK" "$@" >"$TMP/$name.log" 2>&1 &
	echo $! >"$TMP/pid.$name"
	echo $! >>"$TMP/pids"
}
pid() { cat "$TMP/pid.$1"; }
# wait_link DEV up|gone: bounded, generous (make check runs tests side by side).
wait_link() {
	i=0
	while :; do
		if N ip link show "$1" >/dev/null 2>&1; then [ "$2" = up ] && return 0; else [ "$2" = gone ] && return 0; fi
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "zcstack.sh: $1 is not $2"; N ip link show; cat "$TMP"/*.log; exit 1
		fi
		sleep 0.1
	done
}
# stats NAME: SIGUSR1, then wait (bounded) until the new block of counters is complete.
stats() {
	before=$(grep -c '^fault_tx_corrupted ' "$TMP/$1.log")
	kill -USR1 "$(pid "$1")"
	i=0
	while [ "$(grep -c '^fault_tx_corrupted ' "$TMP/$1.log")" -le "$before" ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
counter() { # counter NAME COUNTER: its last value printed
	awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$TMP/$1.log"
}
# replies ARGS...: ping in the namespace, prints how many replies came (duplicates not counted)
replies() {
	# -c and -W bound ping already; the timeout bounds it whatever the kernel does.
	N timeout 30 ping -q "$@" >"$TMP/ping.out" 2>&1
	sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' "$TMP/ping.out" | head -1 | awk '{ print $1 + 0 } END { if (NR == 0) print 0 }'
}
# echo46 WHAT: the 2 MB of section 1 through TCP echo on 10.77.0.2:7 and the
# 1 MB of 1b on [fd77::2]:7, each checked byte for byte.
echo46() {
	if N timeout 60 socat -t 5 -T 20 - TCP:10.77.0.2:7,shut-down <"$TMP/tcp.in" >"$TMP/tcp.out" 2>"$TMP/tcp.err" &&
		cmp -s "$TMP/tcp.in" "$TMP/tcp.out" &&
		N timeout 60 socat -t 5 -T 20 - "TCP6:[fd77::2]:7,shut-down" <"$TMP/tcp6.in" >"$TMP/tcp6.out" 2>"$TMP/tcp6.err" &&
		cmp -s "$TMP/tcp6.in" "$TMP/tcp6.out"; then
		ok "$1: TCP echo: 2,000,000 bytes over IPv4 and 1,000,000 over IPv6 came back identical"
	else
		bad "$1: TCP echo: $(wc -c <"$TMP/tcp.out") and $(wc -c <"$TMP/tcp6.out") bytes back"
	fi
}
# stop NAME: SIGTERM; it must exit 0 within 5 s, having printed its counters, without a sanitizer report.
stop() {
	p=$(pid "$1")
	kill -TERM "$p"
	i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$p" 2>/dev/null; then bad "$1: still running 5 s after SIGTERM"; return; fi
	wait "$p"; rc=$?
	if [ $rc -eq 0 ] && grep -q '^rx_frames ' "$TMP/$1.log" && ! grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/$1.log"; then
		ok "$1: SIGTERM: exit 0, counters printed"
	else
		bad "$1: SIGTERM: exit $rc"; cat "$TMP/$1.log"
	fi
}

# ---------------------------------------------------------------- 1. TAP
start tap --tap zs0 --addr 10.77.0.2/24 --udp-echo 7 --udp-echo 5000 --tcp-echo 7 --tcp-discard 9
wait_link zs0 up
N ip addr add 10.77.0.1/24 dev zs0

r=$(replies -c 3 -s 56 -i 0.2 -W 2 10.77.0.2)
if [ "$r" = 3 ]; then ok "TAP: ping -c 3: 3 replies"; else bad "TAP: ping -c 3: $r replies"; cat "$TMP/ping.out"; fi

# The default MAC: 02:00 and the four bytes of 10.77.0.2.
if N ip neigh show 10.77.0.2 dev zs0 | grep -q 'lladdr 02:00:0a:4d:00:02'; then
	ok "TAP: ARP entry for 10.77.0.2 is 02:00:0a:4d:00:02"
else
	bad "TAP: ARP entry for 10.77.0.2: $(N ip neigh show 10.77.0.2 dev zs0)"
fi

echo_ok=0; echo_n=0
for spec in 7:1 7:18 7:100 7:1000 7:1400 7:1472 5000:512; do
	port=${spec%%:*}; size=${spec#*:}
	echo_n=$((echo_n + 1))
	head -c "$size" /dev/urandom >"$TMP/in"
	rm -f "$TMP/out"
	N timeout 5 socat -t 1 -b 2048 - "UDP:10.77.0.2:$port" <"$TMP/in" >"$TMP/out" 2>"$TMP/socat.err"
	if cmp -s "$TMP/in" "$TMP/out"; then
		echo_ok=$((echo_ok + 1))
	else
		bad "TAP: UDP echo of $size bytes on port $port: $(stat -c %s "$TMP/out" 2>/dev/null) bytes came back"
		cat "$TMP/socat.err"
	fi
done
[ $echo_ok -eq $echo_n ] && ok "TAP: UDP echo: $echo_n datagrams of 1 to 1472 bytes came back identical"
stats tap
if [ "$(counter tap udp_rx)" -eq "$echo_n" ] && [ "$(counter tap udp_tx)" -eq "$echo_n" ]; then
	ok "TAP: udp_rx and udp_tx are $echo_n"
else
	bad "TAP: udp_rx $(counter tap udp_rx), udp_tx $(counter tap udp_tx), not $echo_n"
fi

# A connected UDP socket gets the ICMP port unreachable as ECONNREFUSED.
echo hello | N timeout 5 socat -t 1 - UDP:10.77.0.2:9 >/dev/null 2>"$TMP/socat.err"
if grep -q 'Connection refused' "$TMP/socat.err"; then
	ok "TAP: closed port: socat reports Connection refused"
else
	bad "TAP: closed port: socat said: $(cat "$TMP/socat.err")"
fi
stats tap
u=$(counter tap icmp_unreach_sent); c=$(counter tap drop_udp_closed)
if [ "$u" -eq 1 ] && [ "$c" -eq 1 ]; then ok "TAP: icmp_unreach_sent 1, drop_udp_closed 1"; else bad "TAP: icmp_unreach_sent $u, drop_udp_closed $c"; fi

# TCP: 2 MB through echo come back the same; 5 MB into discard are all read;
# a port nobody listens on refuses the connection.
head -c 2000000 /dev/urandom >"$TMP/tcp.in"
if N timeout 60 socat -t 5 -T 20 - TCP:10.77.0.2:7,shut-down <"$TMP/tcp.in" >"$TMP/tcp.out" 2>"$TMP/tcp.err" &&
	cmp -s "$TMP/tcp.in" "$TMP/tcp.out"; then
	ok "TAP: TCP echo: 2,000,000 bytes came back identical"
else
	bad "TAP: TCP echo: $(wc -c <"$TMP/tcp.out") of 2000000 bytes back, socat: $(head -c 300 "$TMP/tcp.err")"
fi
head -c 5000000 /dev/zero >"$TMP/zero.in"
N timeout 60 socat -t 5 -u "OPEN:$TMP/zero.in" TCP:10.77.0.2:9 2>"$TMP/tcpd.err"
stats tap
d=$(counter tap tcp_discarded)
if [ "$d" -eq 5000000 ]; then ok "TAP: TCP discard: 5,000,000 bytes read"; else bad "TAP: TCP discard: $d bytes read, socat: $(head -c 300 "$TMP/tcpd.err")"; fi
# The TAP's offloads (the default): the first line says what the kernel
# took; with TSO, the 5 MB into discard came in frames larger than the MTU,
# with partial checksums, and the 2 MB of echo went back in segments the
# kernel cut.
if head -1 "$TMP/tap.log" | grep -q '^zcstack: TAP zs0 up, mtu 1500, no virtio header (the kernel refused IFF_VNET_HDR)$'; then
	ok "TAP: offloads: the kernel has no IFF_VNET_HDR: run without"
elif ! head -1 "$TMP/tap.log" | grep -q '^zcstack: TAP zs0 up, mtu 1500, virtio header, offloads '; then
	bad "TAP: offloads: the first line is: $(head -1 "$TMP/tap.log")"
elif head -1 "$TMP/tap.log" | grep -q 'offloads csum tso4 tso6.*sending segments of up to'; then
	lg=$(counter tap dev_rx_large); cp=$(counter tap dev_rx_csum_partial); ts=$(counter tap tcp_tso_segs_out)
	vb=$(counter tap dev_rx_vnet_bad)
	if [ "$lg" -gt 0 ] && [ "$cp" -ge "$lg" ] && [ "$ts" -gt 0 ] && [ "$vb" -eq 0 ]; then
		ok "TAP: offloads: dev_rx_large $lg, dev_rx_csum_partial $cp, tcp_tso_segs_out $ts"
	else
		bad "TAP: offloads: dev_rx_large $lg, dev_rx_csum_partial $cp, tcp_tso_segs_out $ts, dev_rx_vnet_bad $vb"
	fi
else
	ok "TAP: offloads: the kernel took fewer: $(head -1 "$TMP/tap.log")"
fi
if N timeout 5 socat -u /dev/null TCP:10.77.0.2:8 2>"$TMP/rst.err"; then
	bad "TAP: TCP to a closed port connected"
elif grep -q 'Connection refused' "$TMP/rst.err"; then
	ok "TAP: TCP to a closed port: Connection refused"
else
	bad "TAP: TCP to a closed port: $(cat "$TMP/rst.err")"
fi
a=$(counter tap tcp_accepted); cl=$(counter tap tcp_closed)
if [ "$a" -eq 2 ] && [ "$cl" -eq 2 ]; then ok "TAP: 2 TCP connections accepted and closed"; else bad "TAP: tcp_accepted $a, tcp_closed $cl"; fi

# 2028 and 4028 bytes of IP over an MTU of 1500: the requests come in
# fragments, are put together, and the replies go back in fragments.
f0=$(counter tap frag_reassembled)
r=$(replies -c 2 -s 2000 -i 0.3 -W 2 10.77.0.2)
r4=$(replies -c 2 -s 4000 -i 0.3 -W 2 10.77.0.2)
stats tap
f1=$(counter tap frag_reassembled); fs=$(counter tap frag_sent)
if [ "$r" -eq 2 ] && [ "$r4" -eq 2 ] && [ $((f1 - f0)) -eq 4 ] && [ "$fs" -ge 10 ]; then
	ok "TAP: 2000- and 4000-byte pings: $r and $r4 replies, frag_reassembled $f0 -> $f1, frag_sent $fs"
else
	bad "TAP: 2000- and 4000-byte pings: $r and $r4 replies, frag_reassembled $f0 -> $f1, frag_sent $fs"
fi
stop tap
wait_link zs0 gone

# ---------------------------------------------------------------- 1b. IPv6
start tap6 --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --udp-echo 7 --tcp-echo 7
wait_link zs0 up
# The kernel's side needs no probe of its own; zcstack's probe takes a second.
N sysctl -qw net.ipv6.conf.zs0.accept_dad=0
N ip -6 addr add fd77::1/64 dev zs0 nodad
sleep 1.5
r=$(replies -6 -c 3 -i 0.2 -W 2 fd77::2)
if [ "$r" = 3 ]; then ok "IPv6: ping -6 -c 3: 3 replies"; else bad "IPv6: ping -6 -c 3: $r replies"; cat "$TMP/ping.out"; fi
if N ip -6 neigh show fd77::2 dev zs0 | grep -q 'lladdr 02:00:0a:4d:00:02'; then
	ok "IPv6: neighbour entry for fd77::2 is 02:00:0a:4d:00:02"
else
	bad "IPv6: neighbour entry for fd77::2: $(N ip -6 neigh show fd77::2 dev zs0)"
fi
echo_ok=0; echo_n=0
for size in 1 100 1000 1452; do
	echo_n=$((echo_n + 1))
	head -c "$size" /dev/urandom >"$TMP/in"
	rm -f "$TMP/out"
	N timeout 5 socat -t 1 -b 2048 - "UDP6:[fd77::2]:7" <"$TMP/in" >"$TMP/out" 2>"$TMP/socat.err"
	if cmp -s "$TMP/in" "$TMP/out"; then
		echo_ok=$((echo_ok + 1))
	else
		bad "IPv6: UDP echo of $size bytes: $(stat -c %s "$TMP/out" 2>/dev/null) bytes came back"
		cat "$TMP/socat.err"
	fi
done
[ $echo_ok -eq $echo_n ] && ok "IPv6: UDP echo: $echo_n datagrams of 1 to 1452 bytes came back identical"
head -c 1000000 /dev/urandom >"$TMP/tcp6.in"
if N timeout 60 socat -t 5 -T 20 - "TCP6:[fd77::2]:7,shut-down" <"$TMP/tcp6.in" >"$TMP/tcp6.out" 2>"$TMP/tcp6.err" &&
	cmp -s "$TMP/tcp6.in" "$TMP/tcp6.out"; then
	ok "IPv6: TCP echo: 1,000,000 bytes came back identical"
else
	bad "IPv6: TCP echo: $(wc -c <"$TMP/tcp6.out") of 1000000 bytes back, socat: $(head -c 300 "$TMP/tcp6.err")"
fi
# With the kernel's MTU at 1280 a 1448-byte request leaves it in two
# fragments; zcstack puts them together and its reply fits its own MTU.
N ip link set zs0 mtu 1280
r=$(replies -6 -c 2 -s 1400 -i 0.3 -W 2 fd77::2)
N ip link set zs0 mtu 1500
stats tap6
f6=$(counter tap6 frag6_reassembled)
if [ "$r" = 2 ] && [ "$f6" -eq 2 ]; then
	ok "IPv6: 1448-byte pings in fragments: 2 replies, frag6_reassembled $f6"
else
	bad "IPv6: 1448-byte pings in fragments: $r replies, frag6_reassembled $f6"
fi
# 3048 bytes each way: the request in fragments, the reply too.
r=$(replies -6 -c 2 -s 3000 -i 0.3 -W 2 fd77::2)
stats tap6
f6b=$(counter tap6 frag6_reassembled); fs6=$(counter tap6 frag6_sent)
if [ "$r" = 2 ] && [ $((f6b - f6)) -eq 2 ] && [ "$fs6" -ge 6 ]; then
	ok "IPv6: 3048-byte pings: 2 replies, each way in fragments (frag6_reassembled $f6 -> $f6b, frag6_sent $fs6)"
else
	bad "IPv6: 3048-byte pings: $r replies, frag6_reassembled $f6 -> $f6b, frag6_sent $fs6"
fi
echo hello | N timeout 5 socat -t 1 - "UDP6:[fd77::2]:9" >/dev/null 2>"$TMP/socat.err"
if grep -q 'Connection refused' "$TMP/socat.err"; then
	ok "IPv6: closed UDP port: socat reports Connection refused (ICMPv6 port unreachable)"
else
	bad "IPv6: closed UDP port: socat said: $(cat "$TMP/socat.err")"
fi
if N timeout 5 socat -u /dev/null "TCP6:[fd77::2]:8" 2>"$TMP/rst.err"; then
	bad "IPv6: TCP to a closed port connected"
elif grep -q 'Connection refused' "$TMP/rst.err"; then
	ok "IPv6: TCP to a closed port: Connection refused"
else
	bad "IPv6: TCP to a closed port: $(cat "$TMP/rst.err")"
fi
stop tap6
wait_link zs0 gone

# ---------------------------------------------------------------- 1c. HTTP and source
mkdir "$TMP/www" "$TMP/www/sub"
head -c 1000000 /dev/urandom >"$TMP/www/one.bin"
head -c 20000000 /dev/urandom >"$TMP/www/twenty.bin"
echo "a file below" >"$TMP/www/sub/a.txt"
echo "outside the directory" >"$TMP/secret"
ln -s ../secret "$TMP/www/out"
# The source's stream as --help describes it, 20 MB of it.
python3 -c '
import sys
L = 72
period = bytes(13 if c == L else 10 if c == L + 1 else 32 + (n + c) % 95 for n in range(95) for c in range(L + 2))
n = int(sys.argv[1])
sys.stdout.buffer.write((period * (n // len(period) + 1))[:n])' 20000000 >"$TMP/pattern"
sha() { sha256sum <"$1" | cut -d' ' -f1; }

# fetch LABEL BASE FILE...: one curl for every FILE under BASE; each must
# come whole, sha256 equal; curl's status and new connections per file are
# left in $TMP/connects.
fetch() {
	label=$1; base=$2; shift 2
	args=; for f in "$@"; do args="$args -o $TMP/got.$(echo "$f" | tr / _) $base/$f"; done
	rm -f "$TMP"/got.*
	# shellcheck disable=SC2086
	if ! N timeout 90 curl -sS -g --max-time 80 -w '%{http_code} %{num_connects}\n' $args >"$TMP/connects" 2>"$TMP/curl.err"; then
		bad "$label: curl failed: $(head -c 300 "$TMP/curl.err")"; return 1
	fi
	for f in "$@"; do
		g=$TMP/got.$(echo "$f" | tr / _)
		if [ "$(sha "$TMP/www/$f")" != "$(sha "$g" 2>/dev/null)" ]; then
			bad "$label: $f: $(stat -c %s "$g" 2>/dev/null) of $(stat -c %s "$TMP/www/$f") bytes, sha256 differs"; return 1
		fi
	done
	ok "$label: curl fetched $*, sha256 equal"
}
# source_read LABEL HOST BYTES: that many bytes out of the source, compared with the pattern.
source_read() {
	rm -f "$TMP/src.out"
	N timeout 90 socat -u -T 60 "TCP:$2:19" - 2>"$TMP/src.err" | head -c "$3" >"$TMP/src.out"
	if head -c "$3" "$TMP/pattern" | cmp -s - "$TMP/src.out"; then
		ok "$1: $3 bytes out of source match the pattern"
	else
		bad "$1: source: $(stat -c %s "$TMP/src.out") of $3 bytes, $(head -c "$3" "$TMP/pattern" | cmp - "$TMP/src.out" 2>&1 | head -1)"
	fi
}
# status LABEL WANT CURL-ARGS...: the HTTP status curl gets must be WANT.
status() {
	label=$1; want=$2; shift 2
	got=$(N timeout 20 curl -sS -g --max-time 15 -o /dev/null -w '%{http_code}' "$@" 2>"$TMP/curl.err")
	if [ "$got" = "$want" ]; then ok "$label: $want"; else bad "$label: status $got, not $want $(head -c 200 "$TMP/curl.err")"; fi
}
# up6 NAME: the kernel's addresses on zs0, IPv4 and IPv6, and zcstack's probe waited out.
up6() {
	wait_link zs0 up
	N sysctl -qw net.ipv6.conf.zs0.accept_dad=0
	N ip addr add 10.77.0.1/24 dev zs0
	N ip -6 addr add fd77::1/64 dev zs0 nodad
	sleep 1.5
}

start http --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --http "80:$TMP/www" --tcp-source 19
up6
# Two URLs in one curl: the second comes on the first's connection (0 new).
if fetch "HTTP" http://10.77.0.2 one.bin twenty.bin; then
	if [ "$(cat "$TMP/connects")" = "$(printf '200 1\n200 0')" ]; then
		ok "HTTP: keep-alive: the second file came on the first's connection"
	else
		bad "HTTP: keep-alive: curl reports $(tr '\n' ' ' <"$TMP/connects")"
	fi
fi
fetch "HTTP over IPv6" "http://[fd77::2]" twenty.bin one.bin
status "HTTP: a missing file" 404 http://10.77.0.2/nope.bin
status "HTTP: a directory" 404 http://10.77.0.2/sub/
status "HTTP: a file below" 200 http://10.77.0.2/sub/a.txt
status "HTTP: '..' out of the directory" 403 --path-as-is http://10.77.0.2/../secret
status "HTTP: an escaped '..'" 403 --path-as-is http://10.77.0.2/sub/%2e%2e/one.bin
status "HTTP: an absolute name" 403 --path-as-is http://10.77.0.2//etc/passwd
status "HTTP: a link out of the directory" 403 http://10.77.0.2/out
status "HTTP: POST" 405 -d x http://10.77.0.2/one.bin
# range LABEL RANGE FIRST COUNT: curl -r RANGE gets 206 and COUNT bytes of one.bin from FIRST on.
range() {
	rm -f "$TMP/part"
	got=$(N timeout 20 curl -sS --max-time 15 -r "$2" -o "$TMP/part" -w '%{http_code}' http://10.77.0.2/one.bin 2>"$TMP/curl.err")
	if [ "$got" = 206 ] && tail -c +$(($3 + 1)) "$TMP/www/one.bin" | head -c "$4" | cmp -s - "$TMP/part"; then
		ok "HTTP: $1: 206 and bytes $3 to $(($3 + $4 - 1))"
	else
		bad "HTTP: $1: status $got, $(stat -c %s "$TMP/part" 2>/dev/null) bytes $(head -c 200 "$TMP/curl.err")"
	fi
}
range "range" 1000-1999 1000 1000
range "open range" 999000- 999000 1000
range "suffix range" -500 999500 500
range "range past the end, cut" 999990-2000000 999990 10
status "HTTP: a range past the file" 416 -r 1000000-1000010 http://10.77.0.2/one.bin
status "HTTP: two ranges (ignored: the whole file)" 200 -r 0-1,5-6 http://10.77.0.2/one.bin
cr=$(N timeout 20 curl -sS -r 10-19 -D - -o /dev/null http://10.77.0.2/one.bin 2>&1 | tr -d '\r' | sed -n 's/^Content-Range: //p')
if [ "$cr" = "bytes 10-19/1000000" ]; then ok "HTTP: Content-Range: $cr"; else bad "HTTP: Content-Range '$cr'"; fi
len=$(N timeout 20 curl -sS -I http://10.77.0.2/one.bin 2>&1 | tr -d '\r' | sed -n 's/^Content-Length: //p')
if [ "$len" = 1000000 ]; then ok "HTTP: HEAD: Content-Length 1000000"; else bad "HTTP: HEAD: Content-Length '$len'"; fi
cat >"$TMP/raw.py" <<'EOF'
# Raw requests: the status lines that come back before the server closes.
import re, socket, sys
def ask(data):
    s = socket.create_connection((sys.argv[1], 80), timeout=10)
    s.sendall(data)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
    return out
def first(r):
    return r.split(b"\r\n")[0].decode()
print("malformed", first(ask(b"NOT HTTP\r\n\r\n")))
print("nohost", first(ask(b"GET /sub/a.txt HTTP/1.1\r\n\r\n")))
print("long", first(ask(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: h\r\n\r\n")))
# HTTP/1.0 without keep-alive: the answer, then the server closes (ask returns).
r = ask(b"GET /sub/a.txt HTTP/1.0\r\n\r\n")
print("http10", first(r), r.endswith(b"\r\n\r\na file below\n"))
# Three pipelined requests, the last one closing: three answers in order.
r = ask(b"GET /sub/a.txt HTTP/1.1\r\nHost: h\r\n\r\nHEAD /sub/a.txt HTTP/1.1\r\nHost: h\r\n\r\n"
        b"GET /nope HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
print("pipelined", " ".join(m.decode() for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", r)), r.count(b"a file below\n"))
EOF
N timeout 60 python3 "$TMP/raw.py" 10.77.0.2 >"$TMP/raw.out" 2>&1
if grep -qx 'malformed HTTP/1.1 400 Bad Request' "$TMP/raw.out" && grep -qx 'nohost HTTP/1.1 400 Bad Request' "$TMP/raw.out" &&
	grep -qx 'long HTTP/1.1 431 Request Header Fields Too Large' "$TMP/raw.out" &&
	grep -qx 'http10 HTTP/1.1 200 OK True' "$TMP/raw.out" && grep -qx 'pipelined 200 200 404 1' "$TMP/raw.out"; then
	ok "HTTP: a malformed request and one without Host 400, a long one 431, HTTP/1.0 answered and closed, three pipelined answered in order"
else
	bad "HTTP: raw requests: $(tr '\n' ';' <"$TMP/raw.out")"
fi
stats http
c0=$(counter http tcp_closed)
source_read "source" 10.77.0.2 20000000
source_read "source over IPv6" "[fd77::2]" 1000000
# The readers went away: both connections end and free their slots.
i=0; while :; do
	stats http
	[ "$(counter http tcp_closed)" -ge $((c0 + 2)) ] && break
	i=$((i + 1)); [ $i -gt 20 ] && break
	sleep 0.2
done
a=$(counter http tcp_accepted); cl=$(counter http tcp_closed); so=$(counter http tcp_sourced)
if [ "$a" -eq "$cl" ] && [ "$so" -ge 21000000 ]; then
	ok "source: every connection closed once its reader left ($a accepted, $cl closed, $so bytes sent)"
else
	bad "source: $a accepted, $cl closed, tcp_sourced $so"
fi
o=$(counter http http_ok); nf=$(counter http http_not_found)
b=$(counter http http_bad)
if [ "$o" -eq 15 ] && [ "$nf" -eq 3 ] && [ "$b" -eq 9 ]; then ok "HTTP: http_ok $o, http_not_found $nf, http_bad $b"; else bad "HTTP: http_ok $o (not 15), http_not_found $nf (not 3), http_bad $b (not 9)"; fi
stop http
wait_link zs0 gone

# The same through faults both ways: every transfer completes, nothing changed.
start httplossy --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --http "80:$TMP/www" --tcp-source 19 \
	--drop 0.02 --reorder 0.02 --duplicate 0.01 --seed 5
up6
fetch "HTTP, --drop 0.02 --reorder 0.02 --duplicate 0.01" http://10.77.0.2 one.bin sub/a.txt twenty.bin
fetch "HTTP over IPv6, faults" "http://[fd77::2]" one.bin
source_read "source, faults" 10.77.0.2 5000000
stats httplossy
ok "faults: $(counter httplossy fault_rx_dropped) + $(counter httplossy fault_tx_dropped) frames dropped, $(counter httplossy fault_rx_reordered) reordered, $(counter httplossy fault_rx_duplicated) + $(counter httplossy fault_tx_duplicated) duplicated; $(counter httplossy tcp_retransmits) timeouts, $(counter httplossy tcp_fast_retransmits) fast retransmits"
stop httplossy
wait_link zs0 gone

# ---------------------------------------------------------------- 1d. TAP without offloads
# --no-offload: no virtio header, one frame of at most the MTU each way;
# ping, TCP echo over IPv4 and IPv6, and discard as in 1 and 1b.
start plain --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --tcp-echo 7 --tcp-discard 9 --no-offload
wait_link zs0 up
N sysctl -qw net.ipv6.conf.zs0.accept_dad=0
N ip addr add 10.77.0.1/24 dev zs0
N ip -6 addr add fd77::1/64 dev zs0 nodad
sleep 1.5
if head -1 "$TMP/plain.log" | grep -q '^zcstack: TAP zs0 up, mtu 1500, no virtio header (--no-offload)$'; then
	ok "no offload: the first line says so"
else
	bad "no offload: the first line is: $(head -1 "$TMP/plain.log")"
fi
r=$(replies -c 3 -s 56 -i 0.2 -W 2 10.77.0.2)
if [ "$r" = 3 ]; then ok "no offload: ping -c 3: 3 replies"; else bad "no offload: ping -c 3: $r replies"; fi
echo46 "no offload"
N timeout 60 socat -t 5 -u "OPEN:$TMP/zero.in" TCP:10.77.0.2:9 2>"$TMP/tcpd.err"
# socat may be gone before the kernel has sent the last bytes: wait for them (bounded).
i=0
while stats plain; [ "$(counter plain tcp_discarded)" -lt 5000000 ] && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
d=$(counter plain tcp_discarded); lg=$(counter plain dev_rx_large); cp=$(counter plain dev_rx_csum_partial)
ts=$(counter plain tcp_tso_segs_out)
if [ "$d" -eq 5000000 ] && [ "$lg" -eq 0 ] && [ "$cp" -eq 0 ] && [ "$ts" -eq 0 ]; then
	ok "no offload: TCP discard: 5,000,000 bytes read, no large frame either way"
else
	bad "no offload: tcp_discarded $d, dev_rx_large $lg, dev_rx_csum_partial $cp, tcp_tso_segs_out $ts"
fi
stop plain
wait_link zs0 gone

# The steps down, by --tap-offloads (the kernel here may take them all): with
# TSO for IPv4 alone, large frames come over IPv4 and none go (the stack's
# large segments need TSO for both families); with the header and no
# offload, nothing large or partial either way. Echo over both families.
for level in tso4 none; do
	start "lvl$level" --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --tcp-echo 7 --tap-offloads $level
	wait_link zs0 up
	N sysctl -qw net.ipv6.conf.zs0.accept_dad=0
	N ip addr add 10.77.0.1/24 dev zs0
	N ip -6 addr add fd77::1/64 dev zs0 nodad
	sleep 1.5
	want="offloads csum tso4, sending segments of one MSS"
	[ $level = none ] && want="offloads none, sending segments of one MSS"
	echo46 "--tap-offloads $level"
	stats "lvl$level"
	lg=$(counter "lvl$level" dev_rx_large); cp=$(counter "lvl$level" dev_rx_csum_partial)
	ts=$(counter "lvl$level" tcp_tso_segs_out)
	if [ $level = tso4 ]; then good=$([ "$lg" -gt 0 ] && [ "$ts" -eq 0 ] && echo y); else
		good=$([ "$lg" -eq 0 ] && [ "$cp" -eq 0 ] && [ "$ts" -eq 0 ] && echo y); fi
	if head -1 "$TMP/lvl$level.log" | grep -q "^zcstack: TAP zs0 up, mtu 1500, virtio header, $want\$" && [ "$good" = y ]; then
		ok "--tap-offloads $level: as the first line says; dev_rx_large $lg, dev_rx_csum_partial $cp, tcp_tso_segs_out $ts"
	else
		bad "--tap-offloads $level: dev_rx_large $lg, dev_rx_csum_partial $cp, tcp_tso_segs_out $ts; $(head -1 "$TMP/lvl$level.log")"
	fi
	stop "lvl$level"
	wait_link zs0 gone
done

# --delay holds frames in slots of one MTU: the TAP asks for checksum offload
# alone (--verbose says why), and the frames it holds keep their partial
# checksums' trust: 500 KB through echo come back identical.
start delayed --tap zs0 --addr 10.77.0.2/24 --tcp-echo 7 --delay 5 --verbose
wait_link zs0 up
N ip addr add 10.77.0.1/24 dev zs0
head -c 500000 "$TMP/tcp.in" >"$TMP/tcp5.in"
if N timeout 60 socat -t 5 -T 20 - TCP:10.77.0.2:7,shut-down <"$TMP/tcp5.in" >"$TMP/tcp5.out" 2>"$TMP/tcp5.err" &&
	cmp -s "$TMP/tcp5.in" "$TMP/tcp5.out"; then
	ok "--delay 5: TCP echo: 500,000 bytes came back identical"
else
	bad "--delay 5: TCP echo: $(wc -c <"$TMP/tcp5.out") of 500000 bytes back"
fi
stats delayed
dl=$(counter delayed fault_rx_delayed); lg=$(counter delayed dev_rx_large)
if head -1 "$TMP/delayed.log" | grep -q '^zcstack: TAP zs0 up, mtu 1500, virtio header, offloads csum, sending segments of one MSS$' &&
	grep -q '^zcstack: --delay holds frames of one MTU: TSO not asked for$' "$TMP/delayed.log" &&
	[ "$dl" -gt 0 ] && [ "$lg" -eq 0 ]; then
	ok "--delay 5: checksum offload only, as said on stderr; $dl frames delayed, none large"
else
	bad "--delay 5: fault_rx_delayed $dl, dev_rx_large $lg, the first lines: $(head -2 "$TMP/delayed.log")"
fi
stop delayed
wait_link zs0 gone

# ---------------------------------------------------------------- 2. TAP with losses
start lossy --tap zs0 --addr 10.77.0.2/24 --mac 02:aa:bb:cc:dd:01 --udp-echo 7 --drop 0.3 --seed 42
wait_link zs0 up
N ip addr add 10.77.0.1/24 dev zs0
r=$(replies -c 20 -i 0.1 -W 1 10.77.0.2)
# Each exchange survives two draws of 0.7: about half are answered.
if [ "$r" -gt 0 ] && [ "$r" -lt 20 ]; then ok "--drop 0.3: $r of 20 pings answered"; else bad "--drop 0.3: $r of 20 pings answered"; fi
if N ip neigh show 10.77.0.2 dev zs0 | grep -q 'lladdr 02:aa:bb:cc:dd:01'; then
	ok "--mac: ARP entry for 10.77.0.2 is 02:aa:bb:cc:dd:01"
else
	bad "--mac: ARP entry for 10.77.0.2: $(N ip neigh show 10.77.0.2 dev zs0)"
fi
stats lossy
rx0=$(counter lossy rx_frames)
cat >"$TMP/flood.py" <<'EOF'
# 200 UDP datagrams of random sizes to random ports (the echo port among
# them), then 200 random frames on the device itself: half addressed to
# zcstack's MAC as IPv4, so that they reach the IP parser, half anything.
import os, random, socket, sys
random.seed(int(sys.argv[1]))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):
    port = 7 if i % 4 == 0 else random.randint(1, 65535)
    u.sendto(os.urandom(random.randint(0, 1472)), ("10.77.0.2", port))
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind(("zs0", 0))
mac = bytes.fromhex("02aabbccdd01")
# At most 1514 bytes: the Ethernet header and an MTU of 1500.
for i in range(200):
    if i % 2 == 0:
        frame = mac + os.urandom(6) + b"\x08\x00" + bytes([0x45]) + os.urandom(random.randint(0, 1499))
    else:
        frame = os.urandom(14 + random.randint(0, 1500))
    p.send(frame)
EOF
if N timeout 20 python3 "$TMP/flood.py" $$ 2>"$TMP/flood.err"; then :; else bad "flood: the sender failed: $(cat "$TMP/flood.err")"; fi
sleep 0.5
if kill -0 "$(pid lossy)" 2>/dev/null; then
	stats lossy
	rx1=$(counter lossy rx_frames)
	# 400 frames and the kernel's own, each kept with probability 0.7.
	if [ $((rx1 - rx0)) -ge 200 ]; then ok "flood (seed $$): survived, rx_frames $rx0 -> $rx1"; else bad "flood (seed $$): rx_frames $rx0 -> $rx1"; fi
	d=$(($(counter lossy drop_not_ours) + $(counter lossy drop_ip_bad) + $(counter lossy drop_link)))
	if [ "$d" -gt 0 ]; then ok "flood: random frames counted as drops ($d)"; else bad "flood: no drops counted"; fi
	fr=$(counter lossy fault_rx_dropped); ft=$(counter lossy fault_tx_dropped)
	if [ "$fr" -gt 0 ] && [ "$ft" -gt 0 ]; then ok "--drop: fault_rx_dropped $fr, fault_tx_dropped $ft"; else bad "--drop: fault_rx_dropped $fr, fault_tx_dropped $ft"; fi
	r=$(replies -c 10 -i 0.1 -W 1 10.77.0.2)
	if [ "$r" -gt 0 ]; then ok "flood: still answers pings ($r of 10)"; else bad "flood: no ping answered after it"; fi
	stop lossy
else
	bad "flood: zcstack died"; cat "$TMP/lossy.log"
fi
wait_link zs0 gone

# ---------------------------------------------------------------- 2b. TCP through losses
# 2% of frames dropped and 1% duplicated each way: retransmissions carry the
# transfer, nothing is lost or changed.
start tcplossy --tap zs0 --addr 10.77.0.2/24 --tcp-echo 7 --drop 0.02 --duplicate 0.01 --seed 7
wait_link zs0 up
N ip addr add 10.77.0.1/24 dev zs0
head -c 500000 /dev/urandom >"$TMP/lossy.in"
if N timeout 100 socat -t 60 -T 60 - TCP:10.77.0.2:7,shut-down <"$TMP/lossy.in" >"$TMP/lossy.out" 2>"$TMP/lossy.err" &&
	cmp -s "$TMP/lossy.in" "$TMP/lossy.out"; then
	stats tcplossy
	ok "--drop 0.02 --duplicate 0.01: TCP echo of 500,000 bytes identical ($(counter tcplossy tcp_retransmits) timeouts, $(counter tcplossy tcp_fast_retransmits) fast retransmits, $(counter tcplossy fault_rx_dropped) + $(counter tcplossy fault_tx_dropped) frames dropped)"
else
	stats tcplossy
	bad "--drop 0.02: TCP echo: $(wc -c <"$TMP/lossy.out") of 500000 bytes back, socat: $(head -c 300 "$TMP/lossy.err")"
fi
stop tcplossy
wait_link zs0 gone

# ---------------------------------------------------------------- 2c. reordering, many connections, a vanishing peer
start reorder --tap zs0 --addr 10.77.0.2/24 --tcp-echo 7 --reorder 0.05 --seed 11 --tcp-retries 3
wait_link zs0 up
N ip addr add 10.77.0.1/24 dev zs0
head -c 2000000 /dev/urandom >"$TMP/reo.in"
if N timeout 60 socat -t 10 -T 30 - TCP:10.77.0.2:7,shut-down <"$TMP/reo.in" >"$TMP/reo.out" 2>"$TMP/reo.err" &&
	cmp -s "$TMP/reo.in" "$TMP/reo.out"; then
	stats reorder
	fo=$(counter reorder fault_rx_reordered); oo=$(counter reorder tcp_out_of_order)
	if [ "$fo" -gt 0 ] && [ "$oo" -gt 0 ]; then
		ok "--reorder 0.05: TCP echo of 2,000,000 bytes identical ($fo frames reordered, $oo segments held out of order)"
	else
		bad "--reorder 0.05: fault_rx_reordered $fo, tcp_out_of_order $oo"
	fi
else
	bad "--reorder 0.05: TCP echo: $(wc -c <"$TMP/reo.out") of 2000000 bytes back, socat: $(head -c 300 "$TMP/reo.err")"
fi
cat >"$TMP/many.py" <<'EOF'
# Opens n connections to the echo port at once, then sends each its own
# bytes and reads them back; prints how many came back right.
import os, socket, sys
n = int(sys.argv[1])
socks = [socket.create_connection(("10.77.0.2", 7), timeout=20) for _ in range(n)]
data = [os.urandom(1000) for _ in range(n)]
for s, d in zip(socks, data):
    s.sendall(d)
good = 0
for s, d in zip(socks, data):
    got = b""
    while len(got) < len(d):
        b = s.recv(len(d) - len(got))
        if not b:
            break
        got += b
    good += got == d
for s in socks:
    s.close()
print(good)
EOF
stats reorder
a0=$(counter reorder tcp_accepted)
g=$(N timeout 50 python3 "$TMP/many.py" 200 2>"$TMP/many.err")
stats reorder
a1=$(counter reorder tcp_accepted)
if [ "${g:-0}" = 200 ] && [ $((a1 - a0)) -eq 200 ]; then
	ok "200 concurrent TCP echo connections: all 200 echoed their bytes"
else
	bad "200 concurrent TCP echo connections: ${g:-0} right, $((a1 - a0)) accepted: $(tail -c 300 "$TMP/many.err")"
fi
# The peer vanishes mid-transfer: it sends, never reads, and its address goes.
cat >"$TMP/vanish.py" <<'EOF'
import socket, time
s = socket.create_connection(("10.77.0.2", 7), timeout=5)
s.setblocking(False)
sent = 0
end = time.monotonic() + 1
while time.monotonic() < end:
    try:
        sent += s.send(b"v" * 65536)
    except BlockingIOError:
        time.sleep(0.01)
print(sent, flush=True)
time.sleep(60)
EOF
sleep 1
stats reorder
t0=$(counter reorder tcp_timeouts); c0=$(counter reorder tcp_closed)
ip netns exec "$NS" timeout 60 python3 "$TMP/vanish.py" >"$TMP/vanish.out" 2>&1 &
vp=$!
echo $vp >>"$TMP/pids"
i=0; while [ ! -s "$TMP/vanish.out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
N ip addr del 10.77.0.1/24 dev zs0
# --tcp-retries 3: given up after 0.2 + 0.4 + 0.8 + 1.6 s of backoff at the least.
i=0; while :; do
	stats reorder
	[ "$(counter reorder tcp_timeouts)" -gt "$t0" ] && break
	i=$((i + 1)); [ $i -gt 40 ] && break
	sleep 0.5
done
t1=$(counter reorder tcp_timeouts); c1=$(counter reorder tcp_closed)
kill $vp 2>/dev/null
if [ "$t1" -eq $((t0 + 1)) ] && [ "$c1" -eq $((c0 + 1)) ]; then
	ok "vanished peer: the connection timed out (tcp_timeouts $t0 -> $t1) and was freed (tcp_closed $c0 -> $c1)"
else
	bad "vanished peer: tcp_timeouts $t0 -> $t1, tcp_closed $c0 -> $c1 (sent $(cat "$TMP/vanish.out"))"
fi
stop reorder
wait_link zs0 gone

# ---------------------------------------------------------------- 2d. frame-level corner cases (scapy)
# From a host the kernel does not know, through the TAP itself: the options
# of a SYN, PAWS, overlapping IPv4 fragments, atomic and nested IPv6
# fragment headers, a malformed TCP option list (tests/zcstack_corner.py).
SCAPY_PY=
for py in python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import scapy.all' >/dev/null 2>&1; then SCAPY_PY=$py; break; fi
done
if [ -n "$SCAPY_PY" ]; then
	start corner --tap zs0 --addr 10.77.0.2/24 --addr6 fd77::2/64 --tcp-echo 7
	wait_link zs0 up
	N ip addr add 10.77.0.1/24 dev zs0
	sleep 1.2 # zcstack's probe of fd77::2
	N timeout 60 "$SCAPY_PY" "$(dirname "$0")/zcstack_corner.py" zs0 >"$TMP/corner.out" 2>"$TMP/corner.err"
	while read -r line; do
		case $line in
		PASS:*) ok "${line#PASS: }" ;;
		FAIL:*) bad "${line#FAIL: }" ;;
		esac
	done <"$TMP/corner.out"
	grep -q . "$TMP/corner.out" || bad "scapy: no result: $(tail -c 300 "$TMP/corner.err")"
	stop corner
	wait_link zs0 gone
else
	echo "SKIP: frame-level corner cases: scapy is missing (apt-get install python3-scapy)"
fi

# ---------------------------------------------------------------- 3. TUN
start tun --tun zs1 --addr 10.78.0.2/24 --mtu 1400
wait_link zs1 up
N ip addr add 10.78.0.1 peer 10.78.0.2 dev zs1
r=$(replies -c 3 -s 56 -i 0.2 -W 2 10.78.0.2)
if [ "$r" = 3 ]; then ok "TUN: ping -c 3: 3 replies"; else bad "TUN: ping -c 3: $r replies"; cat "$TMP/ping.out"; fi
# --mtu sets the interface's, and a packet of exactly that size is answered whole.
if N ip link show zs1 | grep -q ' mtu 1400 '; then ok "TUN: --mtu 1400 set on zs1"; else bad "TUN: zs1: $(N ip link show zs1 | head -1)"; fi
r=$(replies -c 2 -s 1372 -M do -i 0.2 -W 2 10.78.0.2)
if [ "$r" = 2 ]; then ok "TUN: 1400-byte pings answered"; else bad "TUN: 1400-byte pings: $r replies"; cat "$TMP/ping.out"; fi
stop tun
wait_link zs1 gone

start dup --tun zs1 --addr 10.78.0.2/24 --duplicate 1
wait_link zs1 up
N ip addr add 10.78.0.1 peer 10.78.0.2 dev zs1
r=$(replies -c 3 -i 0.2 -W 2 10.78.0.2)
# Each request is given twice and each reply written twice: four replies to
# each. ping -c 3 stops at the first reply to the third, so the duplicates
# counted are those of the first two requests, and any of the third's that
# beat it out.
dups=$(sed -n 's/.* +\([0-9][0-9]*\) duplicates.*/\1/p' "$TMP/ping.out")
if [ "$r" = 3 ] && [ "${dups:-0}" -ge 6 ]; then
	ok "--duplicate 1: 3 replies and $dups duplicates"
else
	bad "--duplicate 1: $r replies: $(grep received "$TMP/ping.out")"
fi
stop dup
wait_link zs1 gone

start corrupt --tun zs1 --addr 10.78.0.2/24 --corrupt 1
wait_link zs1 up
N ip addr add 10.78.0.1 peer 10.78.0.2 dev zs1
r=$(replies -c 3 -i 0.2 -W 1 10.78.0.2)
stats corrupt
e=$(counter corrupt icmp_echo_replies); k=$(counter corrupt fault_rx_corrupted)
if [ "$r" = 0 ] && [ "$e" = 0 ] && [ "$k" -ge 3 ]; then
	ok "--corrupt 1: no request answered, fault_rx_corrupted $k, drop_ip_bad $(counter corrupt drop_ip_bad), drop_icmp_bad $(counter corrupt drop_icmp_bad)"
else
	bad "--corrupt 1: $r replies, icmp_echo_replies $e, fault_rx_corrupted $k"
fi
stop corrupt

# Usage errors: exit 2, the message starts with the program's name.
"$ZCSTACK" --tap zs9 --addr 10.0.0.300/24 2>"$TMP/usage.err"; rc=$?
if [ $rc -eq 2 ] && grep -q "^zcstack: --addr: '10.0.0.300/24' is not an IPv4 address/prefix" "$TMP/usage.err"; then
	ok "bad --addr: exit 2, named"
else
	bad "bad --addr: exit $rc: $(cat "$TMP/usage.err")"
fi
"$ZCSTACK" --tap zs9 --addr 10.0.0.2/24 --addr6 ff02::1/64 2>"$TMP/usage.err"; rc=$?
if [ $rc -eq 2 ] && grep -q "^zcstack: --addr6: 'ff02::1/64' is not a unicast address" "$TMP/usage.err"; then
	ok "bad --addr6: exit 2, named"
else
	bad "bad --addr6: exit $rc: $(cat "$TMP/usage.err")"
fi
"$ZCSTACK" --no-such-option 2>"$TMP/usage.err"; rc=$?
if [ $rc -eq 2 ] && grep -q "^zcstack: unknown option '--no-such-option'" "$TMP/usage.err"; then ok "unknown option: exit 2, named"; else bad "unknown option: exit $rc: $(cat "$TMP/usage.err")"; fi

# Without CAP_NET_ADMIN the device cannot be made: exit 1, the device named.
# It runs in the namespace all the same, so that nothing could land outside
# it, and only where nobody can read the build tree (a home may not let it).
if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups "$ZCSTACK" --version >/dev/null 2>&1; then
	N setpriv --reuid=65534 --regid=65534 --clear-groups "$ZCSTACK" --tap zs9 --addr 10.77.9.2/24 2>"$TMP/usage.err"; rc=$?
	if [ $rc -eq 1 ] && grep -q "^zcstack: cannot create TAP device zs9: Operation not permitted" "$TMP/usage.err"; then
		ok "without privileges: exit 1, the TAP device named"
	else
		bad "without privileges: exit $rc: $(cat "$TMP/usage.err")"
	fi
else
	echo "SKIP: without privileges (setpriv missing, or the build tree not readable by nobody)"
fi

echo "zcstack: $PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
