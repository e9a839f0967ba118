# SPDX-License-Identifier: BSD-2-Clause
# tests/zcstack-common.sh - sourced by the zcstack tests that run one zcstack
# at a time: its pid in $ZPID, its output in $TMP/zcstack.log. Gives ok and
# bad (counted in PASSES and FAILS), stats (SIGUSR1, then a bounded wait
# until the new block of counters is complete), counter NAME (its last
# value printed) and dev_up NS DEV (a bounded wait, 30 s, until zcstack has
# made DEV in the namespace NS; false if it never did).
PASSES=0
FAILS=0
ZPID=

ok() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }
counter() { awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' "$TMP/zcstack.log"; }
stats() {
	before=$(grep -c '^fault_tx_corrupted ' "$TMP/zcstack.log")
	kill -USR1 "$ZPID"
	i=0
	while [ "$(grep -c '^fault_tx_corrupted ' "$TMP/zcstack.log")" -le "$before" ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
dev_up() {
	i=0
	until ip netns exec "$1" ip link show "$2" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}
