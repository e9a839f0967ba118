#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every source, header, script and Makefile fragment of the tree carries the
# licence's SPDX line in its first lines, and LICENSE is there.
set -u
srcdir=${srcdir:-.}
cd "$srcdir" || exit 99
[ -s LICENSE ] || { echo "spdx: LICENSE is missing"; exit 1; }
grep -q "BSD 2-Clause License" LICENSE || { echo "spdx: LICENSE is not the BSD 2-Clause text"; exit 1; }
n=0; bad=0
for f in Makefile.am configure.ac libzc.pc.in .ci/run $(find zc include tests examples fuzz bench tools man \
	-type f \( -name '*.[ch]' -o -name '*.cc' -o -name '*.sh' -o -name '*.py' -o -name '*.awk' -o -name '*.in' \) \
	2>/dev/null | sort); do
	[ -f "$f" ] || continue
	n=$((n + 1))
	head -3 "$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause' || { echo "spdx: $f lacks its SPDX line"; bad=$((bad + 1)); }
done
[ "$n" -gt 50 ] || { echo "spdx: only $n files found under $srcdir"; exit 1; }
[ "$bad" -eq 0 ] || exit 1
echo "spdx: $n files, each with its SPDX line"
