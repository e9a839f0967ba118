#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# zcdump's tcpdump options: -w writes exactly the packets that pass the BPF
# and display filters (read back, they print as those did); -t, -tt, -ttt,
# -tttt and -ttttt begin each line with the time as tcpdump writes it (the
# same text, compared with tcpdump when it is installed); -D lists the
# interfaces as tcpdump -D does; -x, -X and -A dump the right bytes.
prog="${ZC_BUILDDIR:-.}/examples/zcdump/zcdump"
data="${ZC_TEST_DATA:-$(cd "$(dirname "$0")" && pwd)/data}"
[ -x "$prog" ] || { echo "zcdump-opts.sh: $prog not built" >&2; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zcdump-opts.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "zcdump-opts.sh: $*" >&2; exit 1; }
cap="$data/mix.pcap"

# -w with a BPF filter, then with a display filter.
"$prog" -r "$cap" -w "$tmp/tcp.pcap" tcp >"$tmp/out" || fail "-w failed"
[ -s "$tmp/out" ] && fail "-w also printed lines"
"$prog" -r "$cap" tcp >"$tmp/want"
"$prog" -r "$tmp/tcp.pcap" >"$tmp/got" || fail "cannot read what -w wrote"
[ -s "$tmp/want" ] || fail "mix.pcap has no TCP"
cmp -s "$tmp/want" "$tmp/got" || fail "-w tcp: the file does not print as the filtered input"
"$prog" -r "$cap" -Y 'udp.port == 4789 || icmp' -w "$tmp/y.pcap" || fail "-Y -w failed"
"$prog" -r "$cap" -Y 'udp.port == 4789 || icmp' -T fields -e frame.len -e ip.src >"$tmp/want"
"$prog" -r "$tmp/y.pcap" -T fields -e frame.len -e ip.src >"$tmp/got"
[ -s "$tmp/want" ] || fail "the display filter keeps nothing"
cmp -s "$tmp/want" "$tmp/got" || fail "-Y -w: the file does not hold the displayed packets"
"$prog" -r "$cap" -w /nonexistent-dir/x.pcap 2>/dev/null && fail "-w to a missing folder succeeded"

# -x, -X, -A (compared byte for byte with tcpdump by tcpdump-diff.sh): the
# checks that need no tcpdump. Raw IP has no link-level header, so -x and -xx
# print the same; on Ethernet -xx prints 14 bytes more of each frame; a data
# option does not combine with -T.
"$prog" -r "$data/raw-tun.pcap" -x >"$tmp/x" || fail "-x failed"
"$prog" -r "$data/raw-tun.pcap" -xx >"$tmp/xx" || fail "-xx failed"
grep -q '^	0x0000:  4500 ' "$tmp/x" || fail "-x on raw IP does not begin at the IP header"
cmp -s "$tmp/x" "$tmp/xx" || fail "raw IP: -x and -xx differ"
"$prog" -r "$cap" -c 1 -XX >"$tmp/xx" || fail "-XX failed"
"$prog" -r "$cap" -c 1 -X >"$tmp/x" || fail "-X failed"
caplen=$("$prog" -r "$cap" -c 1 -T fields -e frame.cap_len)
[ "$(($(wc -l <"$tmp/xx") - 1))" -eq $(((caplen + 15) / 16)) ] || fail "-XX: not one line per 16 bytes of $caplen"
[ "$(($(wc -l <"$tmp/x") - 1))" -eq $(((caplen - 14 + 15) / 16)) ] || fail "-X: not the $caplen bytes less the Ethernet header"
"$prog" -r "$data/icmp-errors.pcap" -A | grep -q 'closed-port' || fail "-A does not show the UDP payload's text"
"$prog" -r "$cap" -x -T fields -e frame.len >/dev/null 2>&1
[ $? -eq 2 ] || fail "-x with -T fields is not a usage error"

# -t: no time; the others against tcpdump.
"$prog" -t -r "$cap" -c 3 | grep -q '^[0-9 ]' && fail "-t still prints a time"
"$prog" -tttttt -r "$cap" -c 1 >/dev/null 2>&1 && fail "-tttttt accepted"
if command -v tcpdump >/dev/null 2>&1; then
	for t in -tt -ttt -tttt -ttttt; do
		tcpdump -nn $t -r "$cap" -c 20 2>/dev/null | sed 's/ \(IP\|IP6\|ARP\|ethertype\).*//' >"$tmp/want"
		"$prog" $t -r "$cap" -c 20 | sed 's/ \(IP\|IP6\|ARP\|ethertype\).*//' >"$tmp/got"
		[ "$(wc -l <"$tmp/want")" -eq 20 ] || fail "tcpdump $t gave $(wc -l <"$tmp/want") lines"
		cmp -s "$tmp/want" "$tmp/got" || fail "$t: times differ from tcpdump's: $(diff "$tmp/want" "$tmp/got" | head -4)"
	done
	if tcpdump -D >"$tmp/want" 2>/dev/null; then
		"$prog" -D >"$tmp/got" || fail "-D failed"
		cmp -s "$tmp/want" "$tmp/got" || fail "-D differs from tcpdump -D: $(diff "$tmp/want" "$tmp/got" | head -4)"
	fi
else
	echo "zcdump-opts.sh: tcpdump is not installed; the times are not compared (apt-get install tcpdump)"
fi
exit 0
