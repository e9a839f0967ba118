# SPDX-License-Identifier: BSD-2-Clause
# tests/zcdump-common.sh - the start of a test that compares zcdump with
# another program, sourced after it sets NAME (its name, for messages and
# its temporary folder) and PEER (the program, named as its Debian
# package is):
#   - ZC_BUILDDIR, ZCDUMP and ZC_TEST_DATA with their defaults;
#   - a skip (77) when PEER or zcdump is missing;
#   - tmp, a folder of its own, removed on exit.
: "${ZC_BUILDDIR:=.}"
: "${ZCDUMP:=$ZC_BUILDDIR/examples/zcdump/zcdump}"
: "${ZC_TEST_DATA:=$(cd "$(dirname "$0")" && pwd)/data}"
if ! command -v "$PEER" >/dev/null 2>&1; then
	echo "$NAME: $PEER is not installed; skipping (apt-get install $PEER)"
	exit 77
fi
if ! [ -x "$ZCDUMP" ]; then
	echo "$NAME: $ZCDUMP is not built; skipping"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
