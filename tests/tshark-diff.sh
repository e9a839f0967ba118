#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Differential test: zcdump against tshark, field by field, over the bundled
# captures (tests/data/*.pcap, and the crafted frames of tests/data/crafted)
# and the tcpdump corpus ($ZC_CORPUS_DIR) files whose link type libzc
# supports.
#
# Rule.  tshark also prints frame.protocols; a packet is "fully supported" when
# every protocol tshark found in it is one libzc dissects ($ZC_SUPPORTED) and
# tshark found it neither malformed nor short nor raised an error-level expert
# item on it (bogus version, bogus header length, ...).  On those packets every
# field must be identical.  On the others (tshark went deeper than libzc, into
# an application protocol, or the packet is damaged) libzc may say less but
# never something else: for each field, zcdump's comma-separated occurrences
# must be a prefix of tshark's.  Cisco ISL frames are not compared (tshark puts
# the encapsulated frame's addresses in eth.*).  tshark runs without IP
# reassembly or TCP desegmentation, so every fragment is a packet of its own.
#
# One tshark run per file (its start-up, ~0.3 s, is most of the cost), two
# files at a time; then one awk pass compares all outputs and prints the
# figures: packets, fully supported ones, per-field agreement, disagreements
# grouped by field and frame.protocols with an example of each.
#
# Environment: ZC_BUILDDIR (zcdump is $ZC_BUILDDIR/examples/zcdump/zcdump, or
# set ZCDUMP), ZC_TEST_DATA, ZC_CORPUS_DIR, ZC_DIFF_JOBS (parallel files,
# default 2), ZC_DIFF_SHOW (disagreements listed, default 40),
# ZC_DIFF_KEEP=1 (keep the raw outputs, the folder is printed),
# ZC_DIFF_SCOPE (all: every corpus file; sample: every 8th, a fixed set;
# bundled: no corpus file), ZC_DIFF_FIELDS (the fields compared; default
# every field zcdump lists in --help), ZC_DIFF_MIN_AGREE (a percentage: the
# run passes when at least that share of the packets compared break no
# rule and zcdump neither crashed nor printed a packet more or fewer or a
# line of other columns than tshark; for inputs not yet in full agreement,
# tests/tshark-random.sh).
# Exit: 0 agreement, 1 a rule broken, 77 tshark or zcdump missing (skipped).

# Every field zcdump knows, from the FIELDS section of its --help.
fields_of() {
	"$1" --help | awk '/^FIELDS$/ { on = 1; next } on && /^[A-Z]/ { exit } on && NF == 1 { print $1 }'
}

# The protocols libzc dissects, as tshark names them in frame.protocols.
: "${ZC_SUPPORTED:=eth ethertype vlan ieee8021ad arp ip ipv6 ipv6.hopopts ipv6.routing
ipv6.fraghdr ipv6.dstopts icmp icmpv6 tcp udp vxlan geneve gre data raw sll null loop}"

# Link types libzc reads: Ethernet, raw IP (12, 14, 101, IPv4 228, IPv6 229),
# Linux cooked (SLL 113, SLL2 276), BSD loopback (NULL 0, LOOP 108).
LINKTYPES="1 12 14 101 228 229 113 276 0 108"

TSHARK_OPTS="-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE"

# One file, run by xargs: tshark and zcdump side by side into $ZC_DIFF_TMP
# ($FIELDS comes from the parent run).
if [ "${1:-}" = --one ]; then
	i=$2; f=$3; shift 3
	ts_e=; zc_e=
	for x in $FIELDS; do ts_e="$ts_e -e $x"; zc_e="$zc_e -e $x"; done
	# shellcheck disable=SC2086
	tshark $TSHARK_OPTS -r "$f" -T fields -E header=n -E occurrence=a -E aggregator=, \
		$ts_e -e _ws.malformed -e _ws.short -e _ws.expert.severity -e ipv6.opt.jumbo -e tcp.analysis.retransmission \
		>"$ZC_DIFF_TMP/$i.ts" 2>"$ZC_DIFF_TMP/$i.tserr"
	tsrc=$?
	# shellcheck disable=SC2086
	$ZC_DIFF_TIMEOUT "$ZCDUMP" -r "$f" -T fields -E header=n $zc_e \
		>"$ZC_DIFF_TMP/$i.zc" 2>"$ZC_DIFF_TMP/$i.zcerr"
	zcrc=$?
	echo "$tsrc $zcrc" >"$ZC_DIFF_TMP/$i.rc"
	exit 0
fi

if ! command -v tshark >/dev/null 2>&1; then
	echo "tshark-diff: tshark is not installed; skipping (apt-get install tshark)"
	exit 77
fi
: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
if ! [ -x "$ZCDUMP" ]; then
	echo "tshark-diff: $ZCDUMP is not built; skipping"
	exit 77
fi
if [ -n "${ZC_DIFF_FIELDS:-}" ]; then
	# shellcheck disable=SC2086
	FIELDS=$(printf '%s\n' $ZC_DIFF_FIELDS)
else
	FIELDS=$(fields_of "$ZCDUMP")
	[ "$(echo "$FIELDS" | wc -l)" -ge 50 ] || { echo "tshark-diff: no field list in $ZCDUMP --help"; exit 1; }
fi
# frame.protocols classifies the packets; with ZC_DIFF_FIELDS it is taken to
# classify only, unless listed.
protonly=0
case " $(echo $FIELDS) " in
*" frame.protocols "*) ;;
*)
	[ -n "${ZC_DIFF_FIELDS:-}" ] || { echo "tshark-diff: zcdump has no frame.protocols"; exit 1; }
	FIELDS="$FIELDS frame.protocols"
	protonly=1
	;;
esac
export FIELDS
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")" && pwd)/data}"
ZC_DIFF_TIMEOUT=
command -v timeout >/dev/null 2>&1 && ZC_DIFF_TIMEOUT="timeout 120"
ZC_DIFF_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tshark-diff.XXXXXX") || exit 99
export ZC_DIFF_TMP ZCDUMP ZC_DIFF_TIMEOUT
if [ "${ZC_DIFF_KEEP:-0}" = 1 ]; then
	echo "tshark-diff: raw outputs kept in $ZC_DIFF_TMP"
else
	trap 'rm -rf "$ZC_DIFF_TMP"' EXIT
fi
trap 'exit 1' INT TERM HUP

# linktypes FILE...: "FILE LT[,LT...]" from the pcap or pcapng header bytes
# (every interface block of a pcapng found in its first 4 KiB), "?" if unknown.
linktypes() {
	for f in "$@"; do
		printf '%s ' "$f"
		od -An -v -tu1 -N 4096 "$f" | tr -s ' \n' '  '
		echo
	done | awk '
	function u32(o) { return le ? b[o] + 256 * b[o+1] + 65536 * b[o+2] + 16777216 * b[o+3] : \
		b[o+3] + 256 * b[o+2] + 65536 * b[o+1] + 16777216 * b[o] }
	function u16(o) { return le ? b[o] + 256 * b[o+1] : b[o+1] + 256 * b[o] }
	{
		f = $1; n = NF - 1; out = ""
		for (i = 0; i < n; i++) b[i] = $(i + 2) + 0
		m = b[0] " " b[1] " " b[2] " " b[3]
		if (n >= 24 && (m == "212 195 178 161" || m == "77 60 178 161")) { le = 1; out = u16(20) }
		else if (n >= 24 && (m == "161 178 195 212" || m == "161 178 60 77")) { le = 0; out = u16(22) }
		else if (n >= 12 && m == "10 13 13 10") {
			le = (b[8] == 77)
			for (off = 0; off + 12 <= n; off += len) {
				t = u32(off); len = u32(off + 4)
				if (t == 1) out = out (out == "" ? "" : ",") u16(off + 8)
				if (len < 12 || len % 4) break
			}
		}
		print f, (out == "" ? "?" : out)
	}'
}

# The file list: every bundled capture (the recorded ones, then the crafted
# frames of data/crafted, which break protocol rules on purpose), then the
# corpus files libzc can read.
LIST=$ZC_DIFF_TMP/files
: >"$LIST"
nb=0; nc=0; nskip=0
for f in "$ZC_TEST_DATA"/*.pcap "$ZC_TEST_DATA"/*.pcapng "$ZC_TEST_DATA"/crafted/*.pcap; do
	[ -f "$f" ] || continue
	nb=$((nb + 1))
	case $f in
	*/crafted/*) printf '%s\tdata/crafted/%s\n' "$f" "${f##*/}" >>"$LIST" ;;
	*) printf '%s\tdata/%s\n' "$f" "${f##*/}" >>"$LIST" ;;
	esac
done
if [ "${ZC_DIFF_SCOPE:-all}" = bundled ]; then
	echo "tshark-diff: ZC_DIFF_SCOPE=bundled: the bundled captures only"
elif [ -n "${ZC_CORPUS_DIR:-}" ] && [ -d "$ZC_CORPUS_DIR" ]; then
	linktypes "$ZC_CORPUS_DIR"/*.pcap "$ZC_CORPUS_DIR"/*.pcapng >"$ZC_DIFF_TMP/lt" 2>/dev/null
	every=1
	if [ "${ZC_DIFF_SCOPE:-all}" = sample ]; then
		every=8
		echo "tshark-diff: ZC_DIFF_SCOPE=sample: the bundled captures and every 8th corpus file"
	fi
	k=0
	while read -r f lts; do
		k=$((k + 1))
		[ $((k % every)) -eq 0 ] || [ "$every" = 1 ] || continue
		ok=1
		for lt in $(echo "$lts" | tr , ' '); do
			case " $LINKTYPES " in *" $lt "*) ;; *) ok=0 ;; esac
		done
		# Other link types are compared too: zcdump gives their frame.* fields.
		[ $ok = 1 ] || nskip=$((nskip + 1))
		nc=$((nc + 1))
		printf '%s\tcorpus/%s\n' "$f" "${f##*/}" >>"$LIST"
	done <"$ZC_DIFF_TMP/lt"
else
	echo "tshark-diff: ZC_CORPUS_DIR not set or missing; bundled captures only"
fi
echo "tshark-diff: $nb bundled + $nc corpus files ($nskip of them of a link type libzc does not dissect: frame.* fields only)"

awk -F '\t' '{ printf "%d\t%s\n", NR, $1 }' "$LIST" |
	tr '\n' '\0' | xargs -0 -n 1 -P "${ZC_DIFF_JOBS:-2}" sh -c \
	'i=${1%%	*}; f=${1#*	}; exec sh "$0" --one "$i" "$f"' "$0"

# Compare.  One awk over all files, reading each pair of outputs in step.
awk -F '\t' -v tmp="$ZC_DIFF_TMP" -v fields="$FIELDS" -v sup="$ZC_SUPPORTED" -v protonly="$protonly" \
	-v show="${ZC_DIFF_SHOW:-40}" -v minagree="${ZC_DIFF_MIN_AGREE:-}" '
# frame.protocols on a packet tshark went deeper into: the layers zcdump
# names, but for a last "data" (bytes tshark gave to an application
# protocol), begin the list of tshark.
function proto_prefix(z, t) {
	sub(/:data$/, "", z)
	return z == "" || z == t || index(t, z ":") == 1
}
# tcp.stream and udp.stream: tshark numbers a conversation also when it
# sees its TCP or UDP header in a packet libzc finds damaged, so the numbers
# may differ by an offset that grows through a file; the streams themselves
# must be the same. Each zcdump number of the file must stand for one
# tshark number and the other way round.
function same_streams(fld, z, t,   nz, nt, a, b, k, kz, kt) {
	nz = split(z, a, ","); nt = split(t, b, ",")
	if (nz != nt) return 0
	for (k = 1; k <= nz; k++) {
		kz = fld SUBSEP nfiles SUBSEP "z" a[k]; kt = fld SUBSEP nfiles SUBSEP "t" b[k]
		if ((kz in SMAP && SMAP[kz] != b[k]) || (kt in SMAP && SMAP[kt] != a[k])) return 0
		SMAP[kz] = b[k]; SMAP[kt] = a[k]
	}
	return 1
}
function prefix(z, t,   nz, nt, a, b, k) {
	if (z == t || z == "") return 1
	nz = split(z, a, ","); nt = split(t, b, ",")
	if (nz > nt) return 0
	for (k = 1; k <= nz; k++) if (a[k] != b[k]) return 0
	return 1
}
BEGIN {
	nf = split(fields, F, /[ \n]+/)
	while (nf > 0 && F[nf] == "") nf--
	for (k = 1; k <= nf; k++) {
		if (F[k] == "frame.protocols") pidx = k
		if (F[k] == "tcp.flags.str") sidx = k
	}
	ns = split(sup, S, /[ \n]+/)
	for (k = 1; k <= ns; k++) if (S[k] != "") SUP[S[k]] = 1
	while ((getline line < (tmp "/files")) > 0) {
		split(line, L, "\t"); nfiles++; name = L[2]
		ts = tmp "/" nfiles ".ts"; zc = tmp "/" nfiles ".zc"
		getline rc < (tmp "/" nfiles ".rc"); close(tmp "/" nfiles ".rc")
		split(rc, R, " ")
		if (R[2] >= 124) { crashes++; printf "CRASH/TIMEOUT zcdump exit %s on %s\n", R[2], name; bad++ }
		# A file tshark refuses (record types it does not read) has nothing to compare.
		tsfail = (R[1] != 0 && (getline tline < ts) <= 0); close(ts)
		if (tsfail) { unread++; close(zc); files++; continue }
		pk = 0
		for (;;) {
			tl = (getline tline < ts) > 0
			zl = (getline zline < zc) > 0
			if (!tl && !zl) break
			pk++
			if (!tl) {
				extra++; bad++
				if (++shown <= show) printf "EXTRA  %s#%d zcdump printed a packet tshark did not: %s\n", name, pk, substr(zline, 1, 120)
				continue
			}
			nt = split(tline, T, "\t")
			for (k = nt + 1; k <= nf + 5; k++) T[k] = ""
			if (zl) {
				nz = split(zline, Z, "\t")
				if (nz != nf) {
					cols++; bad++
					if (++shown <= show) printf "COLS   %s#%d zcdump printed %d columns, not %d\n", name, pk, nz, nf
				}
			} else {
				missing++; nz = 0
			}
			for (k = nz + 1; k <= nf; k++) Z[k] = ""
			protos = T[pidx]
			# Cisco ISL (802.3 to 01:00:0c:00:00:00 or 03:00:0c:00:00:00):
			# tshark reports the encapsulated frame in eth.* and not the ISL
			# header, so the two cannot be compared.
			if (protos ~ /^eth:eth(:|$)/ && Z[3] ~ /^0[13]:00:0c:00:00:00$/) { isl++; continue }
			# Damaged: tshark found it malformed, cut short, or raised an
			# error-level expert item (8388608 is PI_ERROR: bogus version,
			# bogus header length, ...).
			full = (T[nf + 1] == "" && T[nf + 2] == "" && T[nf + 3] !~ /(^|,)8388608(,|$)/)
			if (!full) damaged++
			# IPv6 jumbograms (RFC 2675, Linux BIG TCP): libzc does not
			# support them (an IPv6 view holds a 16-bit payload length), so
			# zcdump stops at the IPv6 header and the prefix rule applies.
			if (T[nf + 4] != "") { jumbo++; full = 0 }
			# A retransmission: tshark hands its payload to no dissector
			# (no "data"); libzc keeps no such state: the prefix rule applies.
			if (T[nf + 5] != "") { retrans++; full = 0 }
			# AccECN (RFC 9768 draft, a SYN with AE, CWR and ECE): tshark then
			# shows the three bits as one counter (tcp.flags.ace), which libzc
			# does not model; those flag fields are not compared.
			acc = (T[sidx] ~ /-/)
			if (acc) accecn++
			np = split(protos, P, ":")
			for (k = 1; k <= np; k++) if (!(P[k] in SUP)) { full = 0; break }
			packets++
			if (full) fullp++
			pbad = 0
			for (k = 1; k <= nf; k++) {
				z = Z[k]; t = T[k]
				if (z == "" && t == "") continue
				if (protonly && k == pidx) continue
				if (acc && F[k] ~ /^tcp\.flags\.(ae|cwr|ece|str)$/) continue
				present[k]++
				if ((F[k] == "tcp.stream" || F[k] == "udp.stream") && z != "" && same_streams(F[k], z, t)) {
					if (z == t) same[k]++; else renum[k]++
					continue
				}
				if (z == t) { same[k]++; continue }
				ok = full ? 0 : (F[k] == "frame.protocols" ? proto_prefix(z, t) : prefix(z, t))
				if (ok) { shorter[k]++; continue }
				# A damaged record (a captured length past the snapshot length,
				# a time out of range): libpcap and tshark read it differently.
				if (!full && F[k] ~ /^frame\.(len|cap_len|time)/) { recdiff[k]++; continue }
				viol[k]++; pbad = 1
				key = F[k] " [" (full ? "full" : "prefix") "] " protos
				if (!(key in grp)) { grp[key] = 0; ex[key] = name "#" pk " zc=\"" z "\" tshark=\"" t "\""; ngrp++; order[ngrp] = key }
				grp[key]++
				if (++shown <= show)
					printf "DIFF   %s#%d %s: zcdump=\"%s\" tshark=\"%s\" (%s; %s)\n", name, pk, F[k], z, t, (full ? "fully supported" : "prefix rule"), protos
			}
			if (pbad) { badpk++; if (full) badfull++; bad++ }
			if (!zl && full && !pbad) { bad++; badfull++; if (++shown <= show) printf "MISS   %s#%d zcdump printed no line for a fully supported packet\n", name, pk }
		}
		close(ts); close(zc)
		files++
	}
	if (shown > show) printf "... %d more disagreement lines not shown (ZC_DIFF_SHOW)\n", shown - show
	printf "\nfiles: %d   packets compared: %d   fully supported: %d (%.1f%%)   damaged (tshark: malformed, short or error): %d   not compared (Cisco ISL): %d\n", \
		files, packets, fullp, packets ? 100 * fullp / packets : 0, damaged, isl
	printf "IPv6 jumbograms (unsupported by libzc, prefix rule): %d\n", jumbo + 0
	printf "files tshark cannot read (not compared): %d   AccECN packets (flag bits not compared): %d   TCP retransmissions (prefix rule): %d\n", unread + 0, accecn + 0, retrans + 0
	printf "fully supported packets in full agreement: %d of %d (%.2f%%)\n", fullp - badfull, fullp, \
		fullp ? 100 * (fullp - badfull) / fullp : 100
	printf "packets breaking the rule: %d (fully supported: %d)   zcdump lines missing: %d   extra: %d   wrong column count: %d\n", \
		badpk + 0, badfull + 0, missing + 0, extra + 0, cols + 0
	printf "\n%-30s %9s %9s %8s %9s %9s\n", "field", "present", "equal", "equal%", "prefix", "broken"
	for (k = 1; k <= nf; k++) {
		printf "%-30s %9d %9d %7.2f%% %9d %9d", F[k], present[k], same[k], \
			present[k] ? 100 * same[k] / present[k] : 100, shorter[k], viol[k]
		if (renum[k]) printf "   (same streams, numbered otherwise: %d)", renum[k]
		if (recdiff[k]) printf "   (damaged records read otherwise by libpcap: %d)", recdiff[k]
		printf "\n"
	}
	if (ngrp) {
		printf "\ndisagreements by field and frame.protocols (count, first example):\n"
		for (g = 1; g <= ngrp; g++) printf "%6d  %s\n        e.g. %s\n", grp[order[g]], order[g], ex[order[g]]
	}
	if (minagree != "") {
		agree = packets ? 100 * (packets - badpk) / packets : 100
		printf "\npackets breaking no rule: %d of %d (%.2f%%), at least %s%% asked\n", packets - badpk, packets, agree, minagree
		exit (crashes || extra || missing || cols || agree < minagree + 0) ? 1 : 0
	}
	exit bad ? 1 : 0
}'
rc=$?
if [ $rc = 0 ]; then
	echo "tshark-diff: PASS"
else
	echo "tshark-diff: FAIL"
fi
exit $rc
