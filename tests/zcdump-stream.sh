#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# zcdump streams: a capture arriving through a pipe is printed packet by
# packet while the writer still holds the pipe open, in summary and fields
# output; SIGINT and SIGTERM end such a run with status 0 and every packet
# read so far printed; a reader that closes its end early ends zcdump at
# once, without a message, with status 1.
prog="${ZC_BUILDDIR:-.}/examples/zcdump/zcdump"
data="${ZC_TEST_DATA:-$(cd "$(dirname "$0")" && pwd)/data}"
cap="$data/mix.pcap"
[ -x "$prog" ] || { echo "zcdump-stream.sh: $prog not built" >&2; exit 99; }
[ -f "$cap" ] || { echo "zcdump-stream.sh: $cap missing" >&2; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zcdump-stream.XXXXXX") || exit 99
writer=
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "zcdump-stream.sh: $*" >&2; exit 1; }

want=$("$prog" -r "$cap" | wc -l)
[ "$want" -gt 10 ] || fail "mix.pcap gives $want lines"
# One line a packet in fields output (the default line puts a packet VXLAN
# carries on a line of its own, as tcpdump does).
want_fields=$("$prog" -r "$cap" -T fields -e frame.len | wc -l)

# wait_lines FILE N: true once FILE has N lines, false after 10 s.
wait_lines() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# stream SIGNAL ARGS...: feed the capture through a fifo that stays open,
# check every packet is out before the end of the input, then send SIGNAL.
stream() {
	sig=$1; shift
	want=$("$prog" -r "$cap" "$@" | wc -l)
	rm -f "$tmp/fifo" "$tmp/out" "$tmp/err"
	mkfifo "$tmp/fifo" || exit 99
	"$prog" -r "$tmp/fifo" "$@" >"$tmp/out" 2>"$tmp/err" &
	zc=$!
	{ cat "$cap"; sleep 30; } >"$tmp/fifo" &
	writer=$!
	wait_lines "$tmp/out" "$want" || { kill "$zc"; fail "$*: $(wc -l <"$tmp/out") of $want lines out while the pipe is open"; }
	kill -s "$sig" "$zc"
	wait "$zc"
	rc=$?
	kill "$writer" 2>/dev/null
	writer=
	[ "$rc" -eq 0 ] || fail "$*: exit status $rc after SIG$sig, not 0: $(cat "$tmp/err")"
	[ "$(wc -l <"$tmp/out")" -eq "$want" ] || fail "$*: $(wc -l <"$tmp/out") lines after SIG$sig, not $want"
	[ -s "$tmp/err" ] && fail "$*: messages after SIG$sig: $(cat "$tmp/err")"
	return 0
}
stream INT
stream TERM
stream INT -T fields -e frame.len -e ip.src
# Standard input as the pipe, output to a pipe.
rm -f "$tmp/fifo" "$tmp/out" "$tmp/pid"
mkfifo "$tmp/fifo" || exit 99
sh -c 'echo $$ >"$1"; exec "$2" -r - -T fields -e frame.len' sh "$tmp/pid" "$prog" <"$tmp/fifo" | cat >"$tmp/out" &
pipe=$!
{ cat "$cap"; sleep 30; } >"$tmp/fifo" &
writer=$!
wait_lines "$tmp/out" "$want_fields" || fail "-r -: $(wc -l <"$tmp/out") of $want_fields lines out while stdin is open"
kill -s INT "$(cat "$tmp/pid")"
kill "$writer" 2>/dev/null
wait "$pipe"
writer=

# A reader that stops after one line: zcdump ends quietly, status 1.
big="$data/tcp-iperf.pcap"
{ "$prog" -r "$big" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -n 1 >/dev/null
[ "$(cat "$tmp/rc")" = 1 ] || fail "closed pipe: exit status $(cat "$tmp/rc"), not 1"
[ -s "$tmp/err" ] && fail "closed pipe: messages: $(cat "$tmp/err")"
# -l and -U are accepted (tcpdump's line and packet buffering).
[ "$("$prog" -U -r "$cap" -c 3 | wc -l)" -eq 3 ] || fail "-U -c 3 does not give 3 lines"
[ "$("$prog" -l -r "$cap" | wc -l)" -eq "$("$prog" -r "$cap" | wc -l)" ] || fail "-l changes the output"
exit 0
