#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The example program shown in README.md is examples/hello/zchello.c, verbatim.
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
