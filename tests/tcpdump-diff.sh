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
# The bundled captures must agree on every packet. On the corpus, one more
# outcome is allowed: for -x, -X or -A, tcpdump's dump is the whole frame
# (what the doubled letter dumps) where zcdump's begins after the link-level
# header; tcpdump does that when one of its protocol printers stops on a
# header cut short, which zcdump does not model. Other corpus differences
# are listed and counted (an error with ZC_DIFF_STRICT=1), and corpus files
# whose packet times the two read otherwise are not compared.
#
# Then the TCP sequence and acknowledgment numbers of the default line,
# relative (tcpdump's default) and absolute (-S), on the bundled captures.
#
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA, ZC_CORPUS_DIR,
# ZC_DIFF_SCOPE (bundled, the default here; sample: also every 8th corpus
# file; all: every corpus file), ZC_DIFF_SHOW (differences listed, default
# 20), ZC_DIFF_LINES (lines of each shown), ZC_DIFF_STRICT.
# Exit: 0 agreement, 1 a difference, 77 tcpdump or zcdump missing (skipped).
NAME=tcpdump-diff
. "$(dirname "$0")/tcpdump-common.sh"

# packets OUT PLAIN OPTOUT: each packet's data lines of OPTOUT, as
# "NUMBER<tab>DLINE" lines (a packet with no data gives none; "NUMBER<tab>E"
# ends every packet), from the packet lines of PLAIN (the same run without
# the option; a packet begins at a line that starts with the -tt time).
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
			if (p) print p "\tE"
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
		if (p) print p "\tD" $0
		else print "0\tBEFORE-THE-FIRST-PACKET " $0
	}
	END { if (p) print p "\tE"; if (p != n) print "0\tPACKETS " p " of " n }' "$3"
}

# pkt_times FILE: the -tt time of each packet line of FILE (a plain run).
pkt_times() {
	awk '/^-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9] / { print $1 }' "$1"
}

# run TOOL OPT NAME: TOOL's data lines with OPT into $tmp/NAME (see packets);
# 1 when zcdump crashed or a sanitizer reported.
run() {
	if [ "$1" = t ]; then
		tcpdump -nn -tt $2 -r "$f" >"$tmp/opt" 2>/dev/null
	else
		"$ZCDUMP" -tt $2 -r "$f" >"$tmp/opt" 2>"$tmp/z.err"
		rc=$?
		# A crash, or a sanitizer's report in a sanitizer build.
		if [ $rc -ge 124 ] || grep -q 'Sanitizer\|runtime error:' "$tmp/z.err"; then
			echo "tcpdump-diff: zcdump $2 -r $f: exit status $rc: $(head -c 300 "$tmp/z.err")"
			return 1
		fi
	fi
	packets "$1" "$tmp/$1.plain" "$tmp/opt" >"$tmp/$3"
	return 0
}

# Per packet: "same", "whole" (tcpdump dumped the whole frame for the single
# letter: see above) or "diff"; the counts, then the first packet that differs.
judge() {
	awk -F '\t' -v z="$tmp/$2" -v zlink="${3:+$tmp/$3}" -v corpus="$4" '
	function load(f, arr,   l, a) { while ((getline l < f) > 0) { split(l, a, "\t"); arr[a[1]] = arr[a[1]] "\n" l } }
	{ t[$1] = t[$1] "\n" $0 }
	END {
		load(z, Z); if (zlink != "") load(zlink, L)
		for (k in Z) if (!(k in t)) t[k] = ""
		for (k in t) {
			if (t[k] == Z[k]) same++
			else if (corpus && zlink != "" && t[k] == L[k]) whole++
			else { diff++; if (first == "" || k + 0 < first + 0) first = k }
		}
		print same + 0, whole + 0, diff + 0, (first == "" ? "-" : first)
	}' "$tmp/$1"
}

bad=0; known=0; npk=0; nsame=0; nwhole=0; nlines=0; nfiles=0; nskip=0; shown=0
for f in $files; do
	case $f in "$ZC_TEST_DATA"/*) corpus=0 ;; *) corpus=1 ;; esac
	tcpdump -nn -tt -r "$f" >"$tmp/t.plain" 2>/dev/null
	"$ZCDUMP" -tt -r "$f" >"$tmp/z.plain" 2>/dev/null
	# Packets are found by their times: a corpus file whose records the two
	# read otherwise (times out of range, records of length 0) is skipped.
	pkt_times "$tmp/t.plain" >"$tmp/t.times"
	pkt_times "$tmp/z.plain" >"$tmp/z.times"
	if ! cmp -s "$tmp/t.times" "$tmp/z.times"; then
		if [ $corpus = 1 ]; then
			nskip=$((nskip + 1))
			continue
		fi
		echo "tcpdump-diff: $f: the packets' times differ from tcpdump's: $(diff "$tmp/t.times" "$tmp/z.times" | head -n 4)"
		bad=$((bad + 1))
		continue
	fi
	nfiles=$((nfiles + 1))
	for letter in x X A; do
		opt=-$letter; opt2=-$letter$letter
		run t $opt t1 && run t $opt2 t2 && run z $opt z1 && run z $opt2 z2 || { bad=$((bad + 1)); continue; }
		for o in 1 2; do
			[ $o = 1 ] && { this=$opt; link=z2; } || { this=$opt2; link=; }
			np=$(grep -c "^[0-9]*	E\$" "$tmp/t$o")
			nd=$(grep -c "^[0-9]*	D" "$tmp/t$o")
			npk=$((npk + np)); nlines=$((nlines + nd))
			set -- $(judge t$o z$o "$link" $corpus)
			nsame=$((nsame + $1)); nwhole=$((nwhole + $2))
			[ "$3" = 0 ] && continue
			# On the corpus, tcpdump's own printers (MACsec, Arista, LLC
			# variants, ...) may count more into the link-level header:
			# listed, and an error only with ZC_DIFF_STRICT=1.
			if [ $corpus = 1 ] && [ "${ZC_DIFF_STRICT:-0}" != 1 ]; then
				known=$((known + $3))
				echo "tcpdump-diff: corpus: $this $f: $3 packets differ (the first: $4)"
				continue
			fi
			bad=$((bad + 1))
			shown=$((shown + 1))
			echo "tcpdump-diff: DIFF $this $f: $3 packets differ (the first: $4)"
			if [ $shown -le "${ZC_DIFF_SHOW:-20}" ]; then
				echo "(packet<tab>D data line, E its end; < tcpdump, > zcdump)"
				diff "$tmp/t$o" "$tmp/z$o" | head -n "${ZC_DIFF_LINES:-8}"
			fi
		done
	done
done
# TCP numbers: with and without -S, each packet's "seq" and "ack" numbers
# in the default line must be tcpdump's (the rest of the line is not
# compared here). Packets are grouped by their -tt time as above; a packet
# in which the two show a different number of TCP headers is not compared,
# and there must be none in the recorded captures.
tcpnums() {
	awk '
	/^-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9] / { n++ }
	n {
		l = $0
		while ((i = index(l, "Flags [")) > 0) {
			l = substr(l, i + 7); hdr[n]++
			s = l; sub(/, win .*/, "", s)
			v = ""
			if (match(s, /, seq [0-9]+(:[0-9]+)?/)) v = v substr(s, RSTART + 2, RLENGTH - 2)
			if (match(s, /, ack [0-9]+/)) v = v " " substr(s, RSTART + 2, RLENGTH - 2)
			val[n] = val[n] "|" v
		}
	}
	END { for (k = 1; k <= n; k++) printf "%d\t%d\t%s\n", k, hdr[k], val[k] }' "$1"
}
nseq=0; nseqskip=0
for f in $files; do
	case $f in "$ZC_TEST_DATA"/*/*) crafted=1 ;; *) crafted=0 ;; esac
	case $f in "$ZC_TEST_DATA"/*) ;; *) continue ;; esac
	for S in "" -S; do
		tcpdump -nn -tt $S -r "$f" 2>/dev/null | tcpnums /dev/stdin >"$tmp/t.seq"
		"$ZCDUMP" -tt $S -r "$f" 2>/dev/null | tcpnums /dev/stdin >"$tmp/z.seq"
		set -- $(awk -F '\t' -v z="$tmp/z.seq" '
			{ getline l < z; split(l, a, "\t")
			  if (a[1] != $1) { bad++; next }
			  if ($2 == 0 && a[2] == 0) next
			  if ($2 != a[2]) { skip++; next }
			  if ($3 == a[3]) same++; else { bad++; if (!first) first = $1 } }
			END { print same + 0, skip + 0, bad + 0, first + 0 }' "$tmp/t.seq")
		nseq=$((nseq + $1)); nseqskip=$((nseqskip + $2))
		if [ "$3" != 0 ] || { [ "$2" != 0 ] && [ $crafted = 0 ]; }; then
			echo "tcpdump-diff: TCP numbers ${S:-(relative)} $f: $3 packets differ (the first: $4), $2 not comparable"
			bad=$((bad + 1))
		fi
	done
done
echo "tcpdump-diff: TCP numbers, with and without -S, on the bundled captures: $nseq packets the same; $nseqskip (crafted frames) not comparable"
echo "tcpdump-diff: $nfiles files x 6 options: $npk packets, $nlines data lines of tcpdump's compared"
echo "tcpdump-diff: the same: $nsame packets; tcpdump dumped the whole frame (corpus): $nwhole; other corpus differences: $known packets"
echo "tcpdump-diff: corpus files whose records the two read otherwise (not compared): $nskip"
[ "$npk" -gt 0 ] || { echo "tcpdump-diff: nothing compared"; exit 1; }
if [ $bad = 0 ]; then
	echo "tcpdump-diff: PASS"
	exit 0
fi
echo "tcpdump-diff: FAIL ($bad differences)"
exit 1
