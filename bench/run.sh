#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs the parsing and checksum benchmarks built by `make bench` and prints
# their tables, then counts instructions per frame with callgrind (hardware
# counters are often unavailable in VMs; callgrind counts exactly).
#
#   bench/run.sh [BUILDDIR]          (default: the current directory)
#
# Environment: PCAPS (the captures; default tests/data/*.pcap without the
# merged mix.pcap and the snaplen-cut capture, or, when those are missing,
# the Ethernet captures of the tcpdump corpus), PASSES (default 11), COLD
# (cold-set frames, default 1000000), CALLGRIND=0 to skip the instruction
# counts, TINS=0 to skip libtins.
set -eu

builddir=${1:-.}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/.." && pwd)
PASSES=${PASSES:-11}
COLD=${COLD:-1000000}

if [ -z "${PCAPS:-}" ]; then
	PCAPS=
	for f in "$srcdir"/tests/data/*.pcap; do
		case $f in
		*/mix.pcap | */snaplen*) ;;
		*) [ -f "$f" ] && PCAPS="$PCAPS $f" ;;
		esac
	done
	if [ -z "$PCAPS" ]; then
		corpus=${ZC_CORPUS_DIR:-$srcdir/../shared/corpus/tcpdump}
		for f in "$corpus"/*.pcap; do
			[ -f "$f" ] && PCAPS="$PCAPS $f"
		done
	fi
fi
[ -n "$PCAPS" ] || { echo "run.sh: no captures found (set PCAPS)" >&2; exit 1; }

# The programs themselves, not libtool's wrapper scripts, so that callgrind
# sees them; the library is found through LD_LIBRARY_PATH.
run() {
	prog=$1
	shift
	if [ -x "$builddir/bench/.libs/$prog" ]; then
		LD_LIBRARY_PATH="$builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$builddir/bench/.libs/$prog" "$@"
	else
		"$builddir/bench/$prog" "$@"
	fi
}

for p in bench_parse bench_csum; do
	[ -x "$builddir/bench/$p" ] || { echo "run.sh: $builddir/bench/$p is missing: run make bench" >&2; exit 1; }
done

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo
echo "== bench_parse -p $PASSES -c $COLD"
# shellcheck disable=SC2086
run bench_parse -p "$PASSES" -c "$COLD" $PCAPS
echo
echo "== bench_csum -p $PASSES"
run bench_csum -p "$PASSES"

if [ "${TINS:-1}" != 0 ] && [ -x "$builddir/bench/bench_tins" ]; then
	echo
	echo "== bench_tins -p 5"
	# shellcheck disable=SC2086
	run bench_tins -p 5 $PCAPS
fi

if [ "${CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
	echo
	echo "== instructions per frame (callgrind, one pass over the hot set of 1,024 frames)"
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	for c in zc_parse zc_parse_burst zc_parse_full zc_views baseline dpdk floor; do
		fn=pass_$c
		[ "$c" = dpdk ] && fn=bench_dpdk_pass
		# shellcheck disable=SC2086
		if run bench_parse -V -p 1 -s hot -o "$c" $PCAPS 2>/dev/null | grep -q "^  $c "; then
			# shellcheck disable=SC2086
			LD_LIBRARY_PATH="$builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
				valgrind --tool=callgrind --callgrind-out-file="$out/cg.$c" --toggle-collect="$fn" \
				"$builddir/bench/.libs/bench_parse" -V -p 1 -s hot -o "$c" $PCAPS >/dev/null 2>"$out/log.$c" || true
			ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/log.$c" | head -n 1)
			[ -n "$ir" ] && awk -v c="$c" -v ir="$ir" 'BEGIN { printf "  %-16s %8.1f instructions/frame\n", c, ir / 1024 }'
		fi
	done
fi
