#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Differential test of -Y: for each display filter below, the frames zcdump
# displays of the bundled Ethernet captures (their frame.number) must be the
# ones tshark -Y displays. Then bad filters: each must be refused with exit
# status 2 and a message that gives the column of the fault.
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA.
# Exit: 0 agreement, 1 a difference, 77 tshark missing (skipped).
: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")" && pwd)/data}"
[ -x "$ZCDUMP" ] || { echo "dfilter-diff: $ZCDUMP is not built" >&2; exit 99; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dfilter-diff.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
bad=0

# Bad filters first: they need no tshark.
while IFS= read -r f; do
	[ -n "$f" ] || continue
	"$ZCDUMP" -r "$ZC_TEST_DATA/mix.pcap" -Y "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q 'column [0-9]' "$tmp/err" || [ -s "$tmp/out" ]; then
		echo "dfilter-diff: bad filter '$f': exit $rc, message: $(cat "$tmp/err")"
		bad=$((bad + 1))
	fi
done <<'EOF2'
tcp.port ==
tcp.port == 80 and
(ip.src == 10.0.0.1
no.such.field == 1
ip.addr == "10.0.0.1
tcp.port in {80 443
tcp.port in {}
tcp.port == 80 )
&& tcp
tcp.port in {80..}
tcp.port in {80 443}
EOF2

if ! command -v tshark >/dev/null 2>&1; then
	echo "dfilter-diff: tshark is not installed; skipping the comparison (apt-get install tshark)"
	[ $bad -eq 0 ] || exit 1
	exit 77
fi

TSHARK_OPTS="-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE"
nf=0; nfiles=0; same=0
# One capture: the bundled Ethernet ones end to end (one tshark start-up per
# filter, not per file), but not snaplen96.pcap: its frames are cut inside
# tunnels, where tshark shows fields of a header cut short that zcdump
# leaves out (tshark-diff.sh holds zcdump to a prefix of tshark there).
if ! command -v mergecap >/dev/null 2>&1; then
	echo "dfilter-diff: mergecap is not installed; skipping the comparison (apt-get install wireshark-common)"
	[ $bad -eq 0 ] || exit 1
	exit 77
fi
set --
for f in ping4 ping6 frag icmp-errors tcp-iperf udp-iperf vxlan gre ipip sit vlan qinq mix; do
	set -- "$@" "$ZC_TEST_DATA/$f.pcap"
done
mergecap -a -F pcap -w "$tmp/all.pcap" "$@" || exit 99
"$ZCDUMP" -r "$tmp/all.pcap" -T fields -e frame.number >"$tmp/ts0"
for cap in "$tmp/all.pcap"; do
	nfiles=$((nfiles + 1))
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		nf=$((nf + 1))
		# shellcheck disable=SC2086
		tshark $TSHARK_OPTS -r "$cap" -Y "$f" -T fields -e frame.number >"$tmp/ts" 2>"$tmp/tserr"
		"$ZCDUMP" -r "$cap" -Y "$f" -T fields -e frame.number >"$tmp/zc" 2>"$tmp/zcerr"
		if cmp -s "$tmp/ts" "$tmp/zc"; then
			same=$((same + 1))
		else
			bad=$((bad + 1))
			echo "DIFF ${cap##*/} -Y '$f': tshark $(wc -l <"$tmp/ts") frames, zcdump $(wc -l <"$tmp/zc") $(head -c 200 "$tmp/zcerr")"
		fi
	done <<'EOF2'
tcp
udp && !icmp
not ip
ip.addr == 10.3.1.1
ip.addr != 10.3.1.1
ip.src == 10.0.0.0/8
ip.dst eq 10.3.2.0/24 or ipv6
ipv6.addr == fd00::/8
tcp.port == 5201
tcp.port in {22, 80, 5201}
tcp.srcport in {1..1024, 5201}
udp.port >= 5000 and udp.port <= 6000
tcp.flags.syn == 1 and tcp.flags.ack == 0
tcp.flags.syn
tcp.flags.str contains "P"
tcp.len > 0
tcp.seq == 1
tcp.stream == 0
tcp.stream in {1,2}
tcp.window_size > 60000
ip.flags.df == 0
ip.ttl lt 64
ip.ttl === 64
ip.ttl !== 64
ip.proto == 1 || ip.proto == 58
icmp.type == 8
icmpv6.type == 135 or icmpv6.type == 136
icmp.seq > 2
arp.opcode == 1
eth.addr == ff:ff:ff:ff:ff:ff
eth.dst == 33:33:00:00:00:01
vlan.id == 10
vlan
frame.len > 1000
frame.number <= 5
frame.time_relative > 1.5
frame.protocols contains "icmp"
ip.version == 6
ipv6.nxt == 44
udp.stream == 1
(ip.ttl > 1 and ip.ttl < 100) and not tcp
gre or vxlan or geneve
ip.len >= 1500 && !(tcp.port == 5201)
ip.hdr_len > 20
EOF2
done
echo "dfilter-diff: $same of $nf filters agree with tshark ($(wc -l <"$tmp/ts0") frames)"
[ $bad -eq 0 ] || { echo "dfilter-diff: FAIL ($bad)"; exit 1; }
echo "dfilter-diff: PASS"
