#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/zctun-bench.sh - zctun against a bare veth, kernel VXLAN and fastd
# (method "null": no encryption, the cost of a userspace tunnel alone), and
# zctun --wireguard against wireguard-go (both ends the same program), in one
# run over the same veth pair between two network namespaces.
#
# For each tunnel: iperf3 TCP with 1, 8 and 32 streams and UDP with 1400-byte
# datagrams (unlimited rate). Reported: receiver Gbit/s; for the userspace
# tunnels the tunnel's CPU seconds per Gbit carried (utime + stime of both
# tunnel processes, from /proc/PID/stat) and their peak RSS (VmHWM, reset
# before each run through /proc/PID/clear_refs); for every row the whole
# machine's busy CPU seconds per Gbit (from /proc/stat, iperf3 included).
# Then everything again with TSO, GSO and GRO off on the veth (ethtool -K).
#
# Usage: sudo bench/zctun-bench.sh [ZCTUN]   (default: examples/zctun/zctun
#        under $ZC_BUILDDIR or the current folder). DURATION=s per run (5).
# TUNNELS="..." limits the rows (default: bare VXLAN fastd zctun wggo zctunwg).
# ZCTUN_WG_ARGS="..." adds options to both zctun --wireguard (--workers N).
# Needs root, iproute2, iperf3, ethtool, fastd, wireguard-go and wg
# (wireguard-tools); sends traffic only between
# the two namespaces it creates, and removes them on exit.
set -u

DURATION=${DURATION:-5}
ZCTUN_WG_ARGS=${ZCTUN_WG_ARGS:-}
ZCTUN=${1:-${ZCTUN:-${ZC_BUILDDIR:-.}/examples/zctun/zctun}}
[ "$(id -u)" = 0 ] || { echo "zctun-bench: run as root" >&2; exit 1; }
for tool in ip iperf3 ethtool awk; do
	command -v $tool >/dev/null 2>&1 || { echo "zctun-bench: $tool is missing (apt-get install iproute2 iperf3 ethtool)" >&2; exit 1; }
done
TUNNELS=${TUNNELS:-bare VXLAN fastd zctun wggo zctunwg}
# A tunnel whose program is missing is left out, and said so.
has() { case " $TUNNELS " in *" $1 "*) return 0 ;; esac; return 1; }
drop() { TUNNELS=$(echo " $TUNNELS " | sed "s/ $1 / /"); echo "zctun-bench: $2 is missing: no $1 rows (apt-get install $3)" >&2; }
command -v fastd >/dev/null 2>&1 || ! has fastd || drop fastd fastd fastd
{ command -v wireguard-go >/dev/null 2>&1 && command -v wg >/dev/null 2>&1; } || ! has wggo ||
	drop wggo wireguard-go "wireguard-go wireguard-tools"
command -v wg >/dev/null 2>&1 || ! has zctunwg || drop zctunwg wg wireguard-tools
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
[ -x "$ZCTUN" ] || { echo "zctun-bench: no zctun at $ZCTUN (give its path)" >&2; exit 1; }

N1=zcb1-$$
N2=zcb2-$$
# wireguard-go's sockets are named after its interfaces, in a folder all namespaces share.
WG1=zcbw1$(($$ % 100000))
WG2=zcbw2$(($$ % 100000))
TMP=$(mktemp -d /tmp/zctun-bench.XXXXXX)
HZ=$(getconf CLK_TCK)
PIDS=

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	ip netns del "$N1" 2>/dev/null
	ip netns del "$N2" 2>/dev/null
	rm -f "/var/run/wireguard/$WG1.sock" "/var/run/wireguard/$WG2.sock"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

X1() { ip netns exec "$N1" "$@"; }
X2() { ip netns exec "$N2" "$@"; }

ip netns add "$N1"; ip netns add "$N2"
ip link add vb1 netns "$N1" type veth peer name vb2 netns "$N2"
X1 ip link set lo up; X2 ip link set lo up
X1 ip addr add 10.88.0.1/24 dev vb1; X2 ip addr add 10.88.0.2/24 dev vb2
X1 ip link set vb1 up; X2 ip link set vb2 up

# Every tunnel gets an MTU that lets a 1400-byte UDP payload through unfragmented.
TMTU=1450

# Kernel VXLAN.
X1 ip link add vx0 type vxlan id 42 local 10.88.0.1 remote 10.88.0.2 dstport 4789 dev vb1
X2 ip link add vx0 type vxlan id 42 local 10.88.0.2 remote 10.88.0.1 dstport 4789 dev vb2
X1 ip link set vx0 mtu $TMTU up; X2 ip link set vx0 mtu $TMTU up
X1 ip addr add 10.89.1.1/24 dev vx0; X2 ip addr add 10.89.1.2/24 dev vx0

if has fastd; then
# fastd, method null, TUN mode: one peer each way.
fastd_conf() { # fastd_conf SIDE LOCAL REMOTE SECRET PEERKEY
	cat >"$TMP/fastd$1.conf" <<EOF
log level error;
mode tun;
interface "fdt0";
method "null";
secure handshakes no;
bind $2:10000;
secret "$4";
mtu $TMTU;
peer "other" {
	key "$5";
	remote $3:10000;
}
EOF
}
S1=$(fastd --generate-key --machine-readable 2>/dev/null | head -1)
S2=$(fastd --generate-key --machine-readable 2>/dev/null | head -1)
printf 'secret "%s";\n' "$S1" >"$TMP/k1.conf"; P1=$(fastd -c "$TMP/k1.conf" --show-key --machine-readable 2>/dev/null)
printf 'secret "%s";\n' "$S2" >"$TMP/k2.conf"; P2=$(fastd -c "$TMP/k2.conf" --show-key --machine-readable 2>/dev/null)
fastd_conf 1 10.88.0.1 10.88.0.2 "$S1" "$P2"
fastd_conf 2 10.88.0.2 10.88.0.1 "$S2" "$P1"
# (ip netns exec execs the program: $! is the tunnel's own pid, as /proc needs.)
ip netns exec "$N1" fastd -c "$TMP/fastd1.conf" >"$TMP/fastd1.log" 2>&1 & F1=$!
ip netns exec "$N2" fastd -c "$TMP/fastd2.conf" >"$TMP/fastd2.log" 2>&1 & F2=$!
PIDS="$PIDS $F1 $F2"
fi

# zctun.
# (A libtool wrapper script execs the real program too.)
ip netns exec "$N1" "$ZCTUN" --tun zt0 --listen 10.88.0.1:5000 --peer 10.88.0.2:5000 --mtu $TMTU >"$TMP/zctun1.log" 2>&1 & Z1=$!
ip netns exec "$N2" "$ZCTUN" --tun zt0 --listen 10.88.0.2:5000 --peer 10.88.0.1:5000 --mtu $TMTU >"$TMP/zctun2.log" 2>&1 & Z2=$!
PIDS="$PIDS $Z1 $Z2"

# WireGuard: wireguard-go at both ends (port 51820), zctun --wireguard at both (51830).
if has wggo || has zctunwg; then
	K1=$(wg genkey); K2=$(wg genkey)
	Q1=$(echo "$K1" | wg pubkey); Q2=$(echo "$K2" | wg pubkey)
fi
if has wggo; then
	ip netns exec "$N1" wireguard-go -f $WG1 >"$TMP/wggo1.log" 2>&1 & G1=$!
	ip netns exec "$N2" wireguard-go -f $WG2 >"$TMP/wggo2.log" 2>&1 & G2=$!
	PIDS="$PIDS $G1 $G2"
fi
zwg_conf() { # zwg_conf SIDE KEY PEERKEY PEERADDR PEERINNER
	printf '[Interface]\nPrivateKey = %s\nListenPort = 51830\n[Peer]\nPublicKey = %s\nEndpoint = %s:51830\nAllowedIPs = %s/32\n' \
		"$2" "$3" "$4" "$5" >"$TMP/zwg$1.conf"
}
if has zctunwg; then
	zwg_conf 1 "$K1" "$Q2" 10.88.0.2 10.89.5.2
	zwg_conf 2 "$K2" "$Q1" 10.88.0.1 10.89.5.1
	# shellcheck disable=SC2086
	ip netns exec "$N1" "$ZCTUN" --wireguard --tun zw0 --config "$TMP/zwg1.conf" --mtu 1420 $ZCTUN_WG_ARGS \
		>"$TMP/zctunwg1.log" 2>&1 & W1=$!
	# shellcheck disable=SC2086
	ip netns exec "$N2" "$ZCTUN" --wireguard --tun zw0 --config "$TMP/zwg2.conf" --mtu 1420 $ZCTUN_WG_ARGS \
		>"$TMP/zctunwg2.log" 2>&1 & W2=$!
	PIDS="$PIDS $W1 $W2"
fi

wait_link() {
	i=0
	while ! ip netns exec "$1" ip link show "$2" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "zctun-bench: $2 did not appear" >&2; cat "$TMP"/*.log >&2; exit 1; }
		sleep 0.1
	done
}
wait_link "$N1" zt0; wait_link "$N2" zt0
if has fastd; then
	wait_link "$N1" fdt0; wait_link "$N2" fdt0
	X1 ip link set fdt0 up; X2 ip link set fdt0 up
	X1 ip addr add 10.89.2.1/24 dev fdt0; X2 ip addr add 10.89.2.2/24 dev fdt0
fi
if has wggo; then
	wait_link "$N1" $WG1; wait_link "$N2" $WG2
	echo "$K1" >"$TMP/k1"; echo "$K2" >"$TMP/k2"
	X1 wg set $WG1 private-key "$TMP/k1" listen-port 51820 peer "$Q2" endpoint 10.88.0.2:51820 allowed-ips 10.89.4.2/32
	X2 wg set $WG2 private-key "$TMP/k2" listen-port 51820 peer "$Q1" endpoint 10.88.0.1:51820 allowed-ips 10.89.4.1/32
	# wireguard-go's MTU as zctun's: 1420, room for the outer IPv6 and UDP headers.
	X1 ip link set $WG1 mtu 1420 up; X2 ip link set $WG2 mtu 1420 up
	X1 ip addr add 10.89.4.1/24 dev $WG1; X2 ip addr add 10.89.4.2/24 dev $WG2
fi
if has zctunwg; then
	wait_link "$N1" zw0; wait_link "$N2" zw0
	X1 ip link set zw0 up; X2 ip link set zw0 up
	X1 ip addr add 10.89.5.1/24 dev zw0; X2 ip addr add 10.89.5.2/24 dev zw0
fi
X1 ip addr add 10.89.3.1/24 dev zt0; X2 ip addr add 10.89.3.2/24 dev zt0

X2 iperf3 -s -D -I "$TMP/iperf3.pid" >/dev/null 2>&1
sleep 0.5
PIDS="$PIDS $(cat "$TMP/iperf3.pid")"
dsts="10.88.0.2 10.89.1.2 10.89.3.2"
has fastd && dsts="$dsts 10.89.2.2"
has wggo && dsts="$dsts 10.89.4.2"
has zctunwg && dsts="$dsts 10.89.5.2"
for dst in $dsts; do
	X1 ping -c 3 -i 0.2 -W 3 -q $dst >/dev/null 2>&1 || echo "zctun-bench: warning: $dst does not answer ping" >&2
done

ticks() { # utime + stime of the given pids, in clock ticks
	t=0
	for p in "$@"; do
		t=$((t + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
	done
	echo $t
}
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # user nice system irq softirq
hwm_reset() { for p in "$@"; do echo 5 >"/proc/$p/clear_refs"; done; }
hwm() { # largest VmHWM of the pids, MB
	for p in "$@"; do awk '/^VmHWM/ { print $2 }' "/proc/$p/status"; done | sort -n | tail -1 |
		awk '{ printf "%.1f", $1 / 1024 }'
}

# run OFFLOADS NAME DST TEST PID...: one iperf3 run, one row
run() {
	off=$1; name=$2; dst=$3; test=$4; shift 4
	case $test in
	tcp1) args="-P 1" ;; tcp8) args="-P 8" ;; tcp32) args="-P 32" ;;
	udp) args="-u -b 0 -l 1400" ;;
	esac
	[ $# -gt 0 ] && hwm_reset "$@"
	t0=$( [ $# -gt 0 ] && ticks "$@" || echo 0 ); b0=$(busy)
	X1 timeout $((DURATION + 20)) iperf3 -c "$dst" -t "$DURATION" -f g $args >"$TMP/out" 2>&1
	t1=$( [ $# -gt 0 ] && ticks "$@" || echo 0 ); b1=$(busy)
	gbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Gbits/sec") v = $(i - 1) } END { print v + 0 }' "$TMP/out")
	loss=$(awk '/receiver/ && /%/ { for (i = 1; i <= NF; i++) if ($i ~ /^\(.*%\)$/) v = $i } END { print v }' "$TMP/out")
	gbit=$(awk -v r="$gbps" -v d="$DURATION" 'BEGIN { print r * d }')
	if [ $# -gt 0 ]; then
		cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v g="$gbit" 'BEGIN { if (g > 0) printf "%.3f", t / hz / g; else print "-" }')
		rss=$(hwm "$@")
	else
		cpu="kernel"; rss="-"
	fi
	mcpu=$(awk -v t=$((b1 - b0)) -v hz="$HZ" -v g="$gbit" 'BEGIN { if (g > 0) printf "%.3f", t / hz / g; else print "-" }')
	printf "| %-8s | %-10s | %-6s | %8.2f %-6s | %12s | %12s | %10s |\n" "$off" "$name" "$test" "$gbps" "$loss" "$cpu" "$mcpu" "$rss"
	echo "$off $name $test $gbps" >>"$TMP/results"
}

header() {
	echo "| veth     | tunnel     | test   | Gbit/s (loss)   | tun CPU s/Gbit | all CPU s/Gbit | peak RSS MB |"
	echo "|----------|------------|--------|-----------------|--------------|--------------|------------|"
}

echo "zctun-bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, kernel $(uname -r), ${DURATION} s per run"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine may be shared: numbers vary run to run)"
echo "zctun offloads: $(X1 ip -d link show zt0 | grep -o 'gso_max_size [0-9]*' | head -1); rows: $TUNNELS"
has fastd && echo "fastd $(fastd --version 2>&1 | head -1)"
has wggo && echo "wireguard-go $(wireguard-go --version 2>&1 | head -1)"
has zctunwg && echo "zctun --wireguard options: ${ZCTUN_WG_ARGS:-none}"
echo
for off in on off; do
	if [ $off = off ]; then
		X1 ethtool -K vb1 tso off gso off gro off >/dev/null 2>&1
		X2 ethtool -K vb2 tso off gso off gro off >/dev/null 2>&1
	fi
	header
	for test in tcp1 tcp8 tcp32 udp; do
		for tun in $TUNNELS; do
			case $tun in
			bare) run $off "bare veth" 10.88.0.2 $test ;;
			VXLAN) run $off "VXLAN" 10.89.1.2 $test ;;
			fastd) run $off "fastd null" 10.89.2.2 $test $F1 $F2 ;;
			zctun) run $off "zctun" 10.89.3.2 $test $Z1 $Z2 ;;
			wggo) run $off "wg-go" 10.89.4.2 $test $G1 $G2 ;;
			zctunwg) run $off "zctun wg" 10.89.5.2 $test $W1 $W2 ;;
			esac
		done
	done
	echo
done

ratio() { # ratio OFF TEST A B: A's Gbit/s over B's
	awk -v o="$1" -v t="$2" -v a="$3" -v b="$4" '
		$1 == o && $(NF-1) == t { name = $2; for (i = 3; i < NF - 1; i++) name = name " " $i; v[name] = $NF }
		END { if (v[b] > 0) printf "%.2f", v[a] / v[b]; else print "-" }' "$TMP/results"
}
for off in on off; do
	echo "veth offloads $off: zctun / VXLAN (TCP, 1 stream) = $(ratio $off tcp1 zctun VXLAN) (target >= 0.5);" \
	     "zctun / fastd null = $(ratio $off tcp1 zctun 'fastd null') (target >= 8);" \
	     "zctun wg / wg-go = $(ratio $off tcp1 'zctun wg' wg-go) (1 stream), $(ratio $off tcp8 'zctun wg' wg-go) (8)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -USR1 $Z1 2>/dev/null; sleep 0.3
echo "--- zctun counters (namespace 1)"
cat "$TMP/zctun1.log"
if has zctunwg; then
	kill -USR1 $W1 2>/dev/null; sleep 0.3
	echo "--- zctun --wireguard counters (namespace 1)"
	cat "$TMP/zctunwg1.log"
fi
