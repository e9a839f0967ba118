# SPDX-License-Identifier: BSD-2-Clause
# bench/zcstack-common.sh - what the zcstack benchmarks share, sourced by
# each after it sets BENCH (its name, for messages and its folder in /tmp),
# TOOLS (the commands it needs besides ip and awk) and PKGS (the packages
# they come in), with the script's arguments still in "$@":
#   - ZCSTACK, from the first argument, $ZCSTACK or $ZC_BUILDDIR;
#   - the checks for root, the tools and the program;
#   - TMP, a folder of its own, and a cleanup on exit that stops every
#     process in PIDS and deletes every namespace bench_ns made;
#   - bench_ns NAME: a namespace with its loopback up;
#   - bench_zcstack NS DEV ARGS...: zcstack on the TAP device DEV in NS,
#     with ARGS and then $ZCSTACK_ARGS (split at spaces: --no-offload, say),
#     its pid in PID (and PIDS), once DEV has appeared; its output in
#     $TMP/zcstack.log.

ZCSTACK=${1:-${ZCSTACK:-${ZC_BUILDDIR:-.}/examples/zcstack/zcstack}}
[ "$(id -u)" = 0 ] || { echo "$BENCH: run as root" >&2; exit 1; }
for tool in ip awk $TOOLS; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$BENCH: $tool is missing (apt-get install $PKGS)" >&2; exit 1; }
done
[ -x "$ZCSTACK" ] || { echo "$BENCH: no zcstack at $ZCSTACK (give its path)" >&2; exit 1; }

TMP=$(mktemp -d "/tmp/$BENCH.XXXXXX") || exit 1
PID=
PIDS=
NSES=
bench_cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for n in $NSES; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap bench_cleanup EXIT
trap 'exit 1' INT TERM HUP

bench_ns() {
	ip netns add "$1" || exit 1
	NSES="$NSES $1"
	ip netns exec "$1" ip link set lo up
}

bench_zcstack() {
	ns=$1
	dev=$2
	shift 2
	# shellcheck disable=SC2086 # ZCSTACK_ARGS is a list of words
	ip netns exec "$ns" "$ZCSTACK" --tap "$dev" "$@" ${ZCSTACK_ARGS:-} >"$TMP/zcstack.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
	i=0
	until ip netns exec "$ns" ip link show "$dev" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "$BENCH: $dev never came up" >&2; cat "$TMP/zcstack.log"; exit 1; }
		sleep 0.1
	done
}
