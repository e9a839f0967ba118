# SPDX-License-Identifier: BSD-2-Clause
# tests/tcpdump-common.sh - what the tests against tcpdump share, sourced by
# each after it sets NAME (its name, for messages and its temporary folder):
#   - ZC_BUILDDIR, ZCDUMP and ZC_TEST_DATA with their defaults;
#   - a skip (77) when tcpdump or zcdump is missing;
#   - tmp, a folder of its own, removed on exit;
#   - files: the bundled captures (tests/data/*.pcap and tests/data/crafted),
#     and with ZC_DIFF_SCOPE=sample (every 8th) or all the corpus files
#     ($ZC_CORPUS_DIR) of a link type libzc dissects (Ethernet, raw IP,
#     Linux cooked, BSD loopback), whose link-level header zcdump reads.
: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")" && pwd)/data}"
if ! command -v tcpdump >/dev/null 2>&1; then
	echo "$NAME: tcpdump is not installed; skipping (apt-get install tcpdump)"
	exit 77
fi
if ! [ -x "$ZCDUMP" ]; then
	echo "$NAME: $ZCDUMP is not built; skipping"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

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
