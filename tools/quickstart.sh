#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs what a fresh Debian machine is missing, builds libzc and its
# programs in this tree, and runs zcdump on the bundled capture.
set -eu
cd "$(dirname "$0")/.."

pkgs="build-essential autoconf automake libtool pkg-config check libpcap-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	as_root=""
	[ "$(id -u)" -eq 0 ] || as_root="sudo"
	echo "quickstart: installing$missing"
	$as_root apt-get update
	DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y $missing
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure
make -j"$(nproc)"

capture=tests/data/mix.pcap
echo "quickstart: ./examples/zcdump/zcdump -r $capture -c 20"
./examples/zcdump/zcdump -r "$capture" -c 20
echo "quickstart: ./examples/zcdump/zcdump -r $capture -T fields -e frame.len -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport -c 10"
./examples/zcdump/zcdump -r "$capture" -T fields -e frame.len -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport -c 10
echo "quickstart: built and ran; next: make check"
