#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Differential test of the packet data options against tcpdump: -x, -xx,
# -X, -XX, -A and -AA must print, after each packet's line, exactly the
# bytes tcpdump -nn prints, on every packet of the bundled captures
# (tests/data/*.pcap and tests/data/crafted), and, with ZC_DIFF_SCOPE=all
# or sample, of the tcpdump corpus files ($ZC_CORPUS_DIR) whose link type
# libzc dissects.
#
# Only the data lines are compared, not the packet lines before them: on
# some packets zcdump's line still differs from tcpdump's, and tcpdump
# writes some packets on more than one line (the packet inside a VXLAN
# header on a line of its own). Each tool is therefore also run without the
# option: its packet lines there tell where each packet's output begins, and
# with the option a packet's data is everything between its packet lines and
# the next packet's. Both tools run with -tt, so the times are the same text.
# (Where tcpdump has no printer for a protocol it dumps the bytes in hex
# within its packet lines; with a data option it mostly leaves that out, so
# those lines may be missing.)
#
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA, ZC_CORPUS_DIR,
# ZC_DIFF_SCOPE (bundled, the default here; sample: also every 8th corpus
# file; all: every corpus file), ZC_DIFF_SHOW (differences listed, default 20).
# Exit: 0 agreement, 1 a difference, 77 tcpdump or zcdump missing (skipped).
: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")" && pwd)/data}"
if ! command -v tcpdump >/dev/null 2>&1; then
	echo "tcpdump-diff: tcpdump is not installed; skipping (apt-get install tcpdump)"
	exit 77
fi
if ! [ -x "$ZCDUMP" ]; then
	echo "tcpdump-diff: $ZCDUMP is not built; skipping"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpdump-diff.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# Link types libzc dissects (Ethernet, raw IP, Linux cooked, BSD loopback):
# the others' link-level header zcdump cannot skip, so -x and -X would differ.
LINKTYPES="EN10MB RAW IPV4 IPV6 LINUX_SLL LINUX_SLL2 NULL LOOP"

files=
for f in "$ZC_TEST_DATA"/*.pcap "$ZC_TEST_DATA"/crafted/*.pcap; do
	[ -f "$f" ] && files="$files $f"
done
scope=${ZC_DIFF_SCOPE:-bundled}
if [ "$scope" != bundled ] && [ -n "${ZC_CORPUS_DIR:-}" ] && [ -d "$ZC_CORPUS_DIR" ]; then
	k=0
	for f in "$ZC_CORPUS_DIR"/*.pcap "$ZC_CORPUS_DIR"/*.pcapng; do
		[ -f "$f" ] || continue
		k=$((k + 1))
		[ "$scope" = all ] || [ $((k % 8)) -eq 0 ] || continue
		# tcpdump names the link type on standard error when it opens the file.
		lt=$(tcpdump -nn -c 1 -r "$f" 2>&1 >/dev/null | sed -n 's/.*link-type \([A-Z0-9_]*\).*/\1/p' | head -n 1)
		case " $LINKTYPES " in *" $lt "*) files="$files $f" ;; esac
	done
fi

# packets OUT PLAIN OPTOUT: each packet's data lines of OPTOUT, as
# "NUMBER<tab>LINE" lines (a packet with no data gives none; "NUMBER<tab>" and
# nothing else ends every packet), from the packet lines of PLAIN (the same
# run without the option; a packet begins at a line that starts with the
# -tt time).
packets() {
	awk -v plain="$2" '
	BEGIN {
		n = 0
		while ((getline l < plain) > 0) {
			if (l ~ /^-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9] /) { n++; nl[n] = 0 }
			if (n) hl[n, ++nl[n]] = l
		}
		p = 0; k = 0; indata = 0
	}
	{
		# The next packet begins where its first packet line is.
		if (p < n && $0 == hl[p + 1, 1] && (indata || p == 0)) {
			if (p) print p "\t"
			p++; k = 1; indata = 0
			if (nl[p] == 1) indata = 1
			next
		}
		if (p && !indata) {
			# tcpdump dumps in hex and ASCII what it has no printer for;
			# with a data option, mostly not: those lines may be left out.
			while (k < nl[p] && hl[p, k + 1] != $0 && hl[p, k + 1] ~ /^\t0x[0-9a-f]+:  /) k++
			if (k < nl[p]) {
				k++
				if ($0 != hl[p, k]) { print p "\tLINE-MISMATCH " $0; indata = 1; next }
				if (k == nl[p]) indata = 1
				next
			}
			indata = 1
		}
		if (p) print p "\t" $0
		else print "0\tBEFORE-THE-FIRST-PACKET " $0
	}
	END { if (p) print p "\t"; if (p != n) print "0\tPACKETS " p " of " n }' "$3"
}

bad=0; npk=0; nlines=0; nfiles=0; shown=0
for f in $files; do
	nfiles=$((nfiles + 1))
	tcpdump -nn -tt -r "$f" >"$tmp/t.plain" 2>/dev/null
	"$ZCDUMP" -tt -r "$f" >"$tmp/z.plain" 2>/dev/null
	for opt in -x -xx -X -XX -A -AA; do
		tcpdump -nn -tt $opt -r "$f" >"$tmp/t.opt" 2>/dev/null
		"$ZCDUMP" -tt $opt -r "$f" >"$tmp/z.opt" 2>"$tmp/z.err"
		rc=$?
		if [ $rc -ge 124 ]; then
			echo "tcpdump-diff: zcdump $opt -r $f: exit status $rc: $(head -c 300 "$tmp/z.err")"
			bad=$((bad + 1))
			continue
		fi
		packets t "$tmp/t.plain" "$tmp/t.opt" >"$tmp/t.data"
		packets z "$tmp/z.plain" "$tmp/z.opt" >"$tmp/z.data"
		np=$(grep -c "	\$" "$tmp/t.data")
		nd=$(grep -vc "	\$" "$tmp/t.data")
		npk=$((npk + np)); nlines=$((nlines + nd))
		if ! cmp -s "$tmp/t.data" "$tmp/z.data"; then
			bad=$((bad + 1))
			shown=$((shown + 1))
			echo "tcpdump-diff: DIFF $opt $f"
			if [ $shown -le "${ZC_DIFF_SHOW:-20}" ]; then
				echo "(packet<tab>data line; < tcpdump, > zcdump)"
				diff "$tmp/t.data" "$tmp/z.data" | head -n "${ZC_DIFF_LINES:-8}"
			fi
		fi
	done
done
echo "tcpdump-diff: $nfiles files x 6 options: $npk packets, $nlines data lines compared; $bad file/option pairs differ"
[ "$npk" -gt 0 ] || { echo "tcpdump-diff: nothing compared"; exit 1; }
if [ $bad = 0 ]; then
	echo "tcpdump-diff: PASS"
	exit 0
fi
echo "tcpdump-diff: FAIL"
exit 1
