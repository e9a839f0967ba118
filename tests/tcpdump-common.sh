# SPDX-License-Identifier: BSD-2-Clause
# tests/tcpdump-common.sh - what the tests against tcpdump share, sourced by
# each after it sets NAME (its name, for messages and its temporary folder):
#   - what tests/zcdump-common.sh gives, with tcpdump as the peer;
#   - files: the bundled captures (tests/data/*.pcap and tests/data/crafted),
#     and with ZC_DIFF_SCOPE=sample (every 8th) or all the corpus files
#     ($ZC_CORPUS_DIR) of a link type libzc dissects (Ethernet, raw IP,
#     Linux cooked, BSD loopback), whose link-level header zcdump reads.
PEER=tcpdump
. "$(dirname "$0")/zcdump-common.sh"

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
