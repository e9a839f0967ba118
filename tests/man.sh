#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The manual pages: each renders with man -l without a groff warning, names
# its program in NAME, and each page made from a program's --help
# (tools/mkman.awk) is what that program's --help gives now.
set -u
srcdir=${srcdir:-.}
build=${ZC_BUILDDIR:-.}
pages=${ZC_MAN_PAGES:-}
[ -n "$pages" ] || { echo "man.sh: ZC_MAN_PAGES is empty: run it from make check" >&2; exit 99; }
if ! command -v man >/dev/null 2>&1 || ! command -v groff >/dev/null 2>&1; then
	echo "man.sh: man or groff is missing: skipped (apt-get install man-db groff-base)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/man-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
for p in $pages; do
	f=$build/$p
	[ -f "$f" ] || f=$srcdir/$p
	[ -f "$f" ] || { echo "FAIL: $p: not built"; fails=$((fails + 1)); continue; }
	name=$(basename "$p"); prog=${name%.*}; sect=${name##*.}
	warn=$(groff -man -Tutf8 -ww -z "$f" 2>&1)
	[ -z "$warn" ] || { echo "FAIL: $p: groff warns: $warn"; fails=$((fails + 1)); }
	if ! MANWIDTH=80 man -P cat -l "$f" >"$tmp/out" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
		echo "FAIL: $p: man -l: $(cat "$tmp/err")"; fails=$((fails + 1)); continue
	fi
	grep -q "^NAME" "$tmp/out" && grep -q "^ *$prog  *- " "$tmp/out" ||
		{ echo "FAIL: $p: no NAME line for $prog"; fails=$((fails + 1)); }
	grep -q "^SEE ALSO" "$tmp/out" || { echo "FAIL: $p: no SEE ALSO"; fails=$((fails + 1)); }
	exe=$(find "$build/examples" -name "$prog" -type f -perm -u+x 2>/dev/null | grep -v '/\.libs/' | head -1)
	if [ -n "$exe" ]; then
		# A page made from --help: it must be what --help says now.
		title=$(sed -n 's/^\.TH [^ ]* [^ ]* "" "[^"]*" "\(.*\)"$/\1/p' "$f")
		"$exe" --help | ${AWK:-awk} -v prog="$prog" -v section="$sect" -v version="$(sed -n 's/^\.TH [^ ]* [^ ]* "" "libzc \([^"]*\)".*/\1/p' "$f")" \
			-v title="$title" -f "$srcdir/tools/mkman.awk" >"$tmp/made"
		cmp -s "$tmp/made" "$f" || { echo "FAIL: $p: differs from '$prog --help'"; fails=$((fails + 1)); }
		# Every option --help lists is in the page.
		for o in $("$exe" --help | sed -n 's/^ \{4,8\}\(-[a-zA-Z]\)[ ,].*/\1/p; s/^ \{4,8\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z-]*\).*/\2/p'); do
			grep -q -- "$o" "$tmp/out" || { echo "FAIL: $p: option $o missing"; fails=$((fails + 1)); }
		done
	fi
	echo "man: $p renders ($(wc -l <"$tmp/out") lines)"
done
[ "$fails" -eq 0 ] || { echo "man.sh: $fails failures"; exit 1; }
echo "man.sh: every page renders and is current"
