#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The example program shown in README.md is examples/hello/zchello.c, verbatim;
# the zc_parse snippet compiles as C and C++ over const input and runs.
srcdir=${srcdir:-.}
readme="$srcdir/README.md"
src="$srcdir/examples/hello/zchello.c"
[ -f "$readme" ] || { echo "readme: $readme missing" >&2; exit 1; }
got=$(awk '/^<!-- zchello.c begin -->$/ { on = 1; next } /^<!-- zchello.c end -->$/ { on = 0 } on' "$readme" | sed '1d;$d')
if [ "$got" != "$(cat "$src")" ]; then
	echo "readme: the example in README.md differs from $src" >&2
	exit 1
fi
echo "readme: example matches $src"

# The zc_parse snippet, compiled from README.md as C and as C++ over const
# input: a whole frame gives its TCP port, the same frame cut 4 bytes into
# the TCP header gives the cut in the IPv4 layer (layer 1, at byte 14).
want='443
cut in layer 1 at +14'
for prog in tests/readme_parse tests/readme_parse_cxx; do
	bin="${ZC_BUILDDIR:-.}/$prog"
	if [ ! -x "$bin" ] && [ "$prog" = tests/readme_parse_cxx ] && [ "${ZC_HAVE_CXX:-}" != yes ]; then
		echo "readme: no C++ compiler found by configure: the snippet is not compiled as C++"
		continue
	fi
	[ -x "$bin" ] || { echo "readme: $bin not built" >&2; exit 1; }
	out=$("$bin") || { echo "readme: $prog failed" >&2; exit 1; }
	if [ "$out" != "$want" ]; then
		printf 'readme: %s printed\n%s\ninstead of\n%s\n' "$prog" "$out" "$want" >&2
		exit 1
	fi
	echo "readme: the zc_parse snippet runs as $prog"
done
