#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs what a fresh Debian machine is missing, builds libzc and its
# programs in this tree, and runs zcdump on the bundled capture.
set -eu
cd "$(dirname "$0")/.."

# What the build needs, then what `make check` drives: tshark (the field by
# field comparison), ping, socat, curl, iperf3, iproute2 and python3 (zctun
# and zcstack in network namespaces), dnsmasq (zcstack's DHCP client),
# wireguard-go and wireguard-tools (zctun's WireGuard interop), man-db and
# groff (the manual page test),
# and tcpdump, which `make bench` times zcdump against. A test whose tool is
# missing skips; this installs them all.
build_pkgs="build-essential autoconf automake libtool pkg-config check libpcap-dev libsodium-dev libb2-dev libssl-dev"
test_pkgs="tshark tcpdump iputils-ping socat curl dnsmasq iperf3 iproute2 man-db groff-base python3 python3-scapy wireguard-go wireguard-tools"
missing=""
for p in $build_pkgs $test_pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	as_root=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			{ echo "quickstart: not root and no sudo: install these first:$missing" >&2; exit 1; }
		as_root="sudo"
	fi
	echo "quickstart: installing$missing"
	# tshark asks whether non-root users may capture: answer no, without a prompt.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | $as_root debconf-set-selections
	$as_root apt-get update
	# shellcheck disable=SC2086
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
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
