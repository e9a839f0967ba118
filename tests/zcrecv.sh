#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# zcrecv's self-test: datagrams sent to itself over 127.0.0.1 all arrive,
# once and intact, through the pool and the MPSC queue. Also checks the
# usage text and the usage-error exit status. ZC_SELFTEST_DATAGRAMS sets the
# count (default 100000).
prog="${ZC_BUILDDIR:-.}/examples/zcrecv/zcrecv"
[ -x "$prog" ] || { echo "zcrecv.sh: $prog not built" >&2; exit 99; }
"$prog" --help | grep -q -- '--selftest' || { echo "zcrecv.sh: --help lacks --selftest" >&2; exit 1; }
"$prog" --no-such-option 2>/dev/null
[ $? -eq 2 ] || { echo "zcrecv.sh: a bad option must exit 2" >&2; exit 1; }
"$prog" --batch=0 2>/dev/null
[ $? -eq 2 ] || { echo "zcrecv.sh: a bad value must exit 2" >&2; exit 1; }
# A sandbox without a loopback interface cannot run this: skip (77), do not fail.
if ! err=$("$prog" --selftest=10 --quiet 2>&1); then
	case $err in
	*socket* | *"cannot listen"*) echo "zcrecv.sh: no UDP on 127.0.0.1: $err" >&2; exit 77 ;;
	esac
	echo "$err" >&2
	exit 1
fi
exec "$prog" --selftest="${ZC_SELFTEST_DATAGRAMS:-100000}"
