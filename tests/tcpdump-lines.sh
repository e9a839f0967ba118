#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Differential test of zcdump's packet lines against tcpdump: for every
# packet of the bundled captures (tests/data/*.pcap and tests/data/crafted),
# what zcdump -tt prints must be exactly what tcpdump -nn -tt prints, with
# no option and with each of $ZC_LINES_OPTS (-q, -e, ...). With
# ZC_DIFF_SCOPE=sample (every 8th file) or all, the tcpdump corpus files
# ($ZC_CORPUS_DIR) whose link type libzc dissects are compared too, and the
# packets and files that agree are counted.
#
# tcpdump prints some packets on more than one line (the packet inside a
# VXLAN header on a line of its own, for one): a packet is the line that
# starts with the -tt time and the lines after it up to the next such line,
# and it is compared as a whole. Both tools run with -tt, so the times are
# the same text. Corpus files whose packet times the two read otherwise
# (times out of range, records of length 0) are not compared.
#
# The bundled captures must agree on every packet. On the corpus, the
# differences are counted and the most common kinds listed (the words that
# differ first), an error only with ZC_DIFF_STRICT=1: tcpdump prints many
# protocols zcdump does not dissect.
#
# Environment: ZC_BUILDDIR or ZCDUMP, ZC_TEST_DATA, ZC_CORPUS_DIR,
# ZC_DIFF_SCOPE (bundled, the default here; sample; all), ZC_LINES_OPTS
# (the options tried besides none; default "-q -e -qe"), ZC_DIFF_SHOW
# (differing packets shown, default 20), ZC_DIFF_KINDS (kinds of corpus
# differences listed, default 25), ZC_DIFF_STRICT.
# Exit: 0 agreement, 1 a difference, 77 tcpdump or zcdump missing (skipped).
: "${ZC_LINES_OPTS=-q -e -qe}"
NAME=tcpdump-lines
. "$(dirname "$0")/tcpdump-common.sh"

# group FILE: one line per packet, its lines joined with " <NL> " (a tab
# shown as "<TAB>").
group() {
	awk '
	{ gsub(/\t/, "<TAB>") }
	/^-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9] / { if (n) print p; p = $0; n++; next }
	{ if (n) p = p " <NL> " $0; else { print "BEFORE-THE-FIRST-PACKET " $0 } }
	END { if (n) print p }' "$1"
}

bad=0; npk=0; nsame=0; nfiles=0; nfsame=0; nskip=0; shown=0
: >"$tmp/corpus.diff"
: >"$tmp/byopt"
for opt in "" $ZC_LINES_OPTS; do
	o_pk=$npk; o_same=$nsame; o_files=$nfiles; o_fsame=$nfsame
	for f in $files; do
		case $f in "$ZC_TEST_DATA"/*) corpus=0 ;; *) corpus=1 ;; esac
		# shellcheck disable=SC2086
		tcpdump -nn -tt $opt -r "$f" 2>/dev/null >"$tmp/t.out"
		# shellcheck disable=SC2086
		"$ZCDUMP" -tt $opt -r "$f" >"$tmp/z.out" 2>"$tmp/z.err"
		rc=$?
		if [ $rc -ge 124 ] || grep -q 'Sanitizer\|runtime error:' "$tmp/z.err"; then
			echo "tcpdump-lines: zcdump $opt -r $f: exit status $rc: $(head -c 300 "$tmp/z.err")"
			bad=$((bad + 1))
			continue
		fi
		group "$tmp/t.out" >"$tmp/t"
		group "$tmp/z.out" >"$tmp/z"
		awk '{ print $1 }' "$tmp/t" >"$tmp/t.times"
		awk '{ print $1 }' "$tmp/z" >"$tmp/z.times"
		if ! cmp -s "$tmp/t.times" "$tmp/z.times"; then
			if [ $corpus = 1 ]; then
				nskip=$((nskip + 1))
				continue
			fi
			echo "tcpdump-lines: $opt $f: the packets' times differ from tcpdump's: $(diff "$tmp/t.times" "$tmp/z.times" | head -n 4)"
			bad=$((bad + 1))
			continue
		fi
		nfiles=$((nfiles + 1))
		n=$(wc -l <"$tmp/t")
		# The packets that differ, as "NUMBER<tab>TCPDUMP<tab>ZCDUMP".
		paste "$tmp/t" "$tmp/z" | awk -F '\t' '$1 != $2 { print NR "\t" $0 }' >"$tmp/d"
		nd=$(wc -l <"$tmp/d")
		npk=$((npk + n)); nsame=$((nsame + n - nd))
		if [ "$nd" = 0 ]; then
			nfsame=$((nfsame + 1))
			continue
		fi
		if [ $corpus = 1 ] && [ "${ZC_DIFF_STRICT:-0}" != 1 ]; then
			sed "s|^|$opt\t|" "$tmp/d" >>"$tmp/corpus.diff"
			continue
		fi
		bad=$((bad + 1))
		echo "tcpdump-lines: DIFF ${opt:-(default)} $f: $nd of $n packets differ"
		awk -F '\t' -v max="${ZC_DIFF_SHOW:-20}" -v shown=$shown 'shown + NR <= max {
			print "  packet " $1 ":"; print "  < " $2; print "  > " $3 }' "$tmp/d"
		shown=$((shown + nd))
	done
	echo "tcpdump-lines: ${opt:-(no option)}: $((nfsame - o_fsame)) of $((nfiles - o_files)) files agree on every packet, $((nsame - o_same)) of $((npk - o_pk)) packets" >>"$tmp/byopt"
done
if [ -s "$tmp/corpus.diff" ]; then
	# The kinds: the option and tcpdump's first two words from where the two
	# lines part, counted over the corpus packets.
	echo "tcpdump-lines: corpus differences, by kind (option, where the lines part, count, an example):"
	awk -F '\t' '{
		t = $3; z = $4; i = 1
		while (i <= length(t) && substr(t, i, 1) == substr(z, i, 1)) i++
		while (i > 1 && substr(t, i - 1, 1) != " ") i--
		split(substr(t, i), w, " ")
		k = ($1 == "" ? "(default)" : $1) " \"" w[1] " " w[2] "\""
		c[k]++; if (!(k in ex)) ex[k] = "< " t "\t      > " z
	} END { for (k in c) printf "%d\t%s\t%s\n", c[k], k, ex[k] }' "$tmp/corpus.diff" |
		sort -t "$(printf '\t')" -k1,1nr | head -n "${ZC_DIFF_KINDS:-25}" |
		awk -F '\t' '{ print "  " $1 " " $2; print "      " $3; print $4 }'
fi
echo "tcpdump-lines: options: (none) $ZC_LINES_OPTS; scope: $scope"
cat "$tmp/byopt"
echo "tcpdump-lines: $nfiles file runs compared, $nfsame agree on every packet; $npk packets, $nsame the same"
echo "tcpdump-lines: corpus files whose packet times the two read otherwise (not compared): $nskip"
[ "$npk" -gt 0 ] || { echo "tcpdump-lines: nothing compared"; exit 1; }
if [ $bad = 0 ]; then
	echo "tcpdump-lines: PASS"
	exit 0
fi
echo "tcpdump-lines: FAIL ($bad files differ)"
exit 1
