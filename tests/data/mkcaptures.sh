#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Record the captures bundled in tests/data from real traffic between Linux
# network namespaces joined by veth pairs.  Needs root, iproute2, tcpdump,
# ping, iperf3, socat, mergecap, a C compiler (CC, default cc) for the VLAN
# helper, and ethtool if it can (offloads off).  Traffic never leaves the
# namespaces this script creates; they are deleted on exit.  Takes ~25 s.
#
#   sudo tests/data/mkcaptures.sh [OUTDIR]      (default: the script's folder)
#
# Topology (all namespaces are named zc3-*):
#
#   zc3-a  a0 ===== r0  zc3-r  r1 ===== b0  zc3-b
#          10.3.1.1    10.3.1.2 10.3.2.1   10.3.2.2     (MTU 1280 on r1/b0)
#          fd03:1::1   fd03:1::2 fd03:2::1 fd03:2::2
#
# The router namespace forwards, so TTL/hop-limit 1 gives "time exceeded" and
# the 1280-byte link gives "fragmentation needed" / "packet too big".  VXLAN
# uses the kernel driver.  GRE, IP-in-IP and IPv6-in-IPv4 are built from a TUN
# device and a raw IP socket (socat), so they work on kernels without the
# ip_gre/ipip/sit modules: a TUN read with packet information starts with
# {flags 0, ethertype}, which is exactly a basic GRE header (RFC 2784).  VLAN
# tags (802.1Q, and 802.1ad over 802.1Q for QinQ) are pushed and popped by a
# small TAP <-> packet-socket helper compiled on the fly, so no 8021q module is
# needed either.
set -eu

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/zc3-caps.XXXXXX)
NSES="zc3-a zc3-r zc3-b zc3-v1 zc3-v2"
PIDS=
CAP_PID=

cleanup() {
	set +e
	for p in $PIDS $CAP_PID; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for n in $NSES; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

for tool in ip tcpdump ping iperf3 socat mergecap ${CC:-cc}; do
	command -v "$tool" >/dev/null 2>&1 || { echo "mkcaptures: $tool is missing" >&2; exit 1; }
done

in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }

# bg NS CMD...: run a command in a namespace in the background, remember it.
bg() {
	ns=$1; shift
	ip netns exec "$ns" "$@" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}

# Offloads off, so the captures hold wire-sized segments with real checksums.
no_offload() {
	in_ns "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
}

# cap_start NAME NS IFACE [tcpdump options] [filter]: record IFACE of NS into
# NAME.  Waits until tcpdump reports it is listening, so no packet is missed;
# --immediate-mode because with TPACKET_V3 packets still in an unfinished
# block (up to a second's worth) are lost when tcpdump is stopped.
CAP_NAME=
cap_start() {
	CAP_NAME=$1; ns=$2; ifc=$3; shift 3
	rm -f "$WORK/$CAP_NAME.err"
	ip netns exec "$ns" tcpdump --immediate-mode -i "$ifc" -s 0 -U -w "$WORK/$CAP_NAME" "$@" \
		2>"$WORK/$CAP_NAME.err" &
	CAP_PID=$!
	i=0
	while ! grep -q listening "$WORK/$CAP_NAME.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$WORK/$CAP_NAME.err" >&2; exit 1; }
		sleep 0.05
	done
	sleep 0.2
}
cap_stop() {
	sleep 0.3
	kill -INT "$CAP_PID"
	wait "$CAP_PID" || true
	CAP_PID=
	grep -h captured "$WORK/$CAP_NAME.err" | sed "s/^/$CAP_NAME: /"
}

# iperf NS ARGS...: an iperf3 client run, retried while the server is still
# finishing the previous test.
iperf() {
	ns=$1; shift
	i=0
	until ip netns exec "$ns" iperf3 "$@" >/dev/null 2>"$WORK/iperf.err"; do
		i=$((i + 1))
		[ $i -lt 20 ] || { cat "$WORK/iperf.err" >&2; exit 1; }
		sleep 0.3
	done
}

pinga() { in_ns zc3-a ping -q -n -i 0.05 -W 1 "$@" >/dev/null 2>&1 || true; }

## ------------------------------------------------------------ namespaces
for n in $NSES; do ip netns add "$n"; done
for n in $NSES; do
	in_ns "$n" ip link set lo up
	in_ns "$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done
ip link add a0 netns zc3-a type veth peer name r0 netns zc3-r
ip link add r1 netns zc3-r type veth peer name b0 netns zc3-b
in_ns zc3-a ip link set a0 address 02:00:00:03:01:01
in_ns zc3-r ip link set r0 address 02:00:00:03:01:02
in_ns zc3-r ip link set r1 address 02:00:00:03:02:01
in_ns zc3-b ip link set b0 address 02:00:00:03:02:02
in_ns zc3-r ip link set r1 mtu 1280
in_ns zc3-b ip link set b0 mtu 1280
for x in "zc3-a a0 1.1 1::1" "zc3-r r0 1.2 1::2" "zc3-r r1 2.1 2::1" "zc3-b b0 2.2 2::2"; do
	set -- $x
	in_ns "$1" ip addr add "10.3.$3/24" dev "$2"
	in_ns "$1" ip addr add "fd03:$4/64" dev "$2" nodad
	in_ns "$1" ip link set "$2" up
	no_offload "$1" "$2"
done
in_ns zc3-r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
in_ns zc3-a ip route add default via 10.3.1.2
in_ns zc3-a ip -6 route add default via fd03:1::2
in_ns zc3-b ip route add default via 10.3.2.1
in_ns zc3-b ip -6 route add default via fd03:2::1
sleep 1

flush_neigh() { for n in zc3-a zc3-r zc3-b; do in_ns "$n" ip neigh flush all; done; }

## ------------------------------------------------------------ ping4 / ping6 / ARP / ND
flush_neigh
cap_start ping4.pcap zc3-a a0
pinga -c 4 10.3.2.2
pinga -c 2 -s 1000 10.3.1.2
in_ns zc3-a arping -c 1 10.3.1.2 >/dev/null 2>&1 || true
cap_stop

flush_neigh
cap_start ping6.pcap zc3-a a0
pinga -6 -c 4 fd03:2::2
pinga -6 -c 2 -s 1000 fd03:1::2
pinga -6 -c 2 ff02::1%a0
cap_stop

## ------------------------------------------------------------ fragments
cap_start frag.pcap zc3-a a0
pinga -c 3 -s 3000 10.3.1.2
pinga -6 -c 3 -s 3000 fd03:1::2
pinga -c 2 -s 2000 10.3.2.2
pinga -6 -c 2 -s 2000 fd03:2::2
echo fragmented-udp | in_ns zc3-a socat -u - UDP4-SENDTO:10.3.1.2:9,ip-mtu-discover=0 || true
cap_stop

## ------------------------------------------------------------ ICMP errors
cap_start icmp-errors.pcap zc3-a a0
for p in 9 33434; do
	echo closed-port | in_ns zc3-a socat -u - UDP4-SENDTO:10.3.2.2:$p || true
	echo closed-port | in_ns zc3-a socat -u - UDP6-SENDTO:[fd03:2::2]:$p || true
done
# TTL / hop limit 1 dies in the router: time exceeded quoting ICMP and UDP.
pinga -c 2 -t 1 10.3.2.2
pinga -6 -c 2 -t 1 fd03:2::2
echo ttl1 | in_ns zc3-a socat -u - UDP4-SENDTO:10.3.2.2:33435,ip-ttl=1 || true
# Larger than the 1280-byte link with DF: fragmentation needed / packet too big.
pinga -c 2 -M do -s 1400 10.3.2.2
pinga -6 -c 2 -s 1400 fd03:2::2
# TCP to a closed port (RST) in both families.
in_ns zc3-a socat -u - TCP4:10.3.2.2:81 </dev/null 2>/dev/null || true
in_ns zc3-a socat -u - TCP6:[fd03:2::2]:81 </dev/null 2>/dev/null || true
cap_stop

## ------------------------------------------------------------ TCP and UDP (iperf3)
bg zc3-b iperf3 -s -p 5201
sleep 0.5
cap_start tcp-iperf.pcap zc3-a a0
iperf zc3-a -c 10.3.2.2 -p 5201 -n 150K -l 16K
iperf zc3-a -6 -c fd03:2::2 -p 5201 -n 100K -l 16K -R
cap_stop
cap_start udp-iperf.pcap zc3-a a0
iperf zc3-a -u -c 10.3.2.2 -p 5201 -n 60K -l 1000 -b 20M
iperf zc3-a -6 -u -c fd03:2::2 -p 5201 -n 40K -l 800 -b 20M
cap_stop

## ------------------------------------------------------------ VXLAN (kernel)
in_ns zc3-a ip link add vxlan0 type vxlan id 42 dstport 4789 local 10.3.1.1 remote 10.3.1.2 dev a0
in_ns zc3-r ip link add vxlan0 type vxlan id 42 dstport 4789 local 10.3.1.2 remote 10.3.1.1 dev r0
in_ns zc3-a ip link add vxlan6 type vxlan id 4242 dstport 4789 local fd03:1::1 remote fd03:1::2 dev a0
in_ns zc3-r ip link add vxlan6 type vxlan id 4242 dstport 4789 local fd03:1::2 remote fd03:1::1 dev r0
for x in "zc3-a vxlan0 10.42.0.1 02:00:00:42:00:01" "zc3-r vxlan0 10.42.0.2 02:00:00:42:00:02" \
         "zc3-a vxlan6 10.43.0.1 02:00:00:43:00:01" "zc3-r vxlan6 10.43.0.2 02:00:00:43:00:02"; do
	set -- $x
	in_ns "$1" ip link set "$2" address "$4"
	in_ns "$1" ip addr add "$3/24" dev "$2"
	in_ns "$1" ip link set "$2" up
	no_offload "$1" "$2"
done
in_ns zc3-a ip addr add fd42::1/64 dev vxlan0 nodad
in_ns zc3-r ip addr add fd42::2/64 dev vxlan0 nodad
bg zc3-r iperf3 -s -p 5202
sleep 0.5
cap_start vxlan.pcap zc3-a a0
pinga -c 3 10.42.0.2
pinga -6 -c 2 fd42::2
pinga -c 2 10.43.0.2
iperf zc3-a -c 10.42.0.2 -p 5202 -n 40K -l 8K
cap_stop

## ------------------------------------------------------------ GRE, IPIP, SIT (TUN + raw IP socket)
# tun_pair NAME PROTO PI: a point-to-point tunnel a0 <-> r0 carried in IP
# protocol PROTO; PI=1 keeps TUN packet information (the GRE header).
tun_pair() {
	name=$1; proto=$2; pi=$3
	opt=,iff-no-pi
	[ "$pi" = 1 ] && opt=
	bg zc3-a socat TUN,tun-name=$name,iff-up$opt IP4-DATAGRAM:10.3.1.2:$proto,bind=10.3.1.1,range=10.3.1.2/32
	bg zc3-r socat TUN,tun-name=$name,iff-up$opt IP4-DATAGRAM:10.3.1.1:$proto,bind=10.3.1.2,range=10.3.1.1/32
	i=0
	until in_ns zc3-a ip link show "$name" >/dev/null 2>&1 && in_ns zc3-r ip link show "$name" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "mkcaptures: $name did not come up" >&2; exit 1; }
		sleep 0.05
	done
	for n in zc3-a zc3-r; do in_ns "$n" ip link set "$name" mtu 1400; done
}
# tun_addr NAME LAST4 PEER4 LAST6 PEER6 (empty to skip a family)
tun_addr() {
	name=$1
	if [ -n "$2" ]; then
		in_ns zc3-a ip addr add "$2" peer "$3" dev "$name"
		in_ns zc3-r ip addr add "$3" peer "$2" dev "$name"
	fi
	if [ -n "$4" ]; then
		in_ns zc3-a ip addr add "$4/64" dev "$name" nodad
		in_ns zc3-r ip addr add "$5/64" dev "$name" nodad
	else
		for n in zc3-a zc3-r; do in_ns "$n" sysctl -qw "net.ipv6.conf.$name.disable_ipv6=1"; done
	fi
}

tun_pair gre0 47 1
tun_addr gre0 10.47.0.1 10.47.0.2 fd47::1 fd47::2
tun_pair ipip0 4 0
tun_addr ipip0 10.4.0.1 10.4.0.2 "" ""
# SIT carries IPv6 only: no IPv4 address on its TUN.
tun_pair sit0 41 0
for n in zc3-a zc3-r; do in_ns "$n" sysctl -qw net.ipv6.conf.sit0.addr_gen_mode=1 2>/dev/null || true; done
tun_addr sit0 "" "" fd41::1 fd41::2
sleep 0.5

cap_start gre.pcap zc3-a a0 ip proto 47
pinga -c 4 10.47.0.2
pinga -6 -c 3 fd47::2
pinga -c 2 -s 1200 10.47.0.2
cap_stop

bg zc3-r iperf3 -s -p 5203
sleep 0.5
cap_start ipip.pcap zc3-a a0 ip proto 4
pinga -c 4 10.4.0.2
iperf zc3-a -c 10.4.0.2 -p 5203 -n 20K -l 4K
cap_stop

# A TUN device hands over raw IP: the same tunnel seen from inside is a
# LINKTYPE_RAW capture.
cap_start raw-tun.pcap zc3-a ipip0
pinga -c 3 10.4.0.2
echo udp-over-tun | in_ns zc3-a socat -u - UDP4-SENDTO:10.4.0.2:9 || true
cap_stop

bg zc3-r iperf3 -s -p 5204
sleep 0.5
cap_start sit.pcap zc3-a a0 ip proto 41
pinga -6 -c 4 fd41::2
iperf zc3-a -6 -c fd41::2 -p 5204 -n 20K -l 4K
cap_stop

## ------------------------------------------------------------ Linux cooked captures (SLL, SLL2)
cap_start sll2.pcap zc3-r any -y LINUX_SLL2
pinga -c 3 10.3.2.2
pinga -6 -c 2 fd03:2::2
cap_stop
cap_start sll.pcap zc3-r any -y LINUX_SLL
pinga -c 3 10.3.2.2
pinga -6 -c 2 fd03:2::2
echo cooked | in_ns zc3-a socat -u - UDP4-SENDTO:10.3.2.2:9 || true
cap_stop

## ------------------------------------------------------------ VLAN: 802.1Q and QinQ (802.1ad)
# Neither the 8021q module nor VLAN-filtering bridges are needed: a small
# helper joins a TAP device (the host's interface, untagged) to a veth through
# a packet socket, pushing the given tags on the way out and popping them on
# the way in.  Both ends run it, so ARP, ping and TCP flow tagged on the veth.
cat >"$WORK/vlantag.c" <<'EOF'
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char tags[32], buf[9000 + 32];
	size_t ntag = 0;
	struct ifreq ifr;
	struct sockaddr_ll sll;
	struct pollfd pf[2];
	int tap, pkt, i;

	if (argc < 4 || argc > 3 + 8) {
		fprintf(stderr, "usage: vlantag TAP IFACE TPID:VID...\n");
		return 2;
	}
	for (i = 3; i < argc; i++) {
		unsigned tpid, vid;
		if (sscanf(argv[i], "%x:%u", &tpid, &vid) != 2)
			return 2;
		tags[ntag++] = tpid >> 8; tags[ntag++] = tpid & 0xff;
		tags[ntag++] = (vid >> 8) & 0x0f; tags[ntag++] = vid & 0xff;
	}
	tap = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", argv[1]);
	if (tap < 0 || ioctl(tap, TUNSETIFF, &ifr) < 0) {
		perror("tap");
		return 1;
	}
	pkt = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(argv[2]);
	if (pkt < 0 || bind(pkt, (struct sockaddr *)&sll, sizeof sll) < 0) {
		perror("packet");
		return 1;
	}
	pf[0].fd = tap; pf[0].events = POLLIN;
	pf[1].fd = pkt; pf[1].events = POLLIN;
	for (;;) {
		ssize_t n;
		if (poll(pf, 2, -1) < 0)
			return 1;
		if (pf[0].revents & POLLIN) {
			n = read(tap, buf + ntag, sizeof buf - ntag);
			if (n >= 14) {
				memmove(buf, buf + ntag, 12);
				memcpy(buf + 12, tags, ntag);
				send(pkt, buf, (size_t)n + ntag, 0);
			}
		}
		if (pf[1].revents & POLLIN) {
			socklen_t sl = sizeof sll;
			size_t off = 12;
			n = recvfrom(pkt, buf, sizeof buf, 0, (struct sockaddr *)&sll, &sl);
			if (n < 14 || sll.sll_pkttype == PACKET_OUTGOING)
				continue;
			/* The kernel may already have moved the outer tag to metadata. */
			while ((size_t)n - off >= 6 && (buf[off] == 0x81 || buf[off] == 0x88) &&
			       (buf[off + 1] == 0x00 || buf[off + 1] == 0xa8))
				off += 4;
			memmove(buf + off - 12, buf, 12);
			if (write(tap, buf + off - 12, (size_t)n - (off - 12)) < 0)
				continue;
		}
	}
}
EOF
${CC:-cc} -O2 -o "$WORK/vlantag" "$WORK/vlantag.c"

# vlan_link NAME TAGS...: veth NAME1 (zc3-v1) <-> NAME2 (zc3-v2), each end
# joined to a TAP "tNAME" that holds the host address 10.100.x.1/.2.
vlan_link() {
	name=$1; net=$2; shift 2
	ip link add "${name}1" netns zc3-v1 type veth peer name "${name}2" netns zc3-v2
	for i in 1 2; do
		ns=zc3-v$i
		in_ns "$ns" sysctl -qw "net.ipv6.conf.${name}$i.disable_ipv6=1"
		in_ns "$ns" ip link set "${name}$i" up
		in_ns "$ns" ethtool -K "${name}$i" rxvlan off txvlan off rx-vlan-stag-hw-parse off >/dev/null 2>&1 || true
		bg "$ns" "$WORK/vlantag" "t$name" "${name}$i" "$@"
		j=0
		until in_ns "$ns" ip link show "t$name" >/dev/null 2>&1; do
			j=$((j + 1)); [ $j -lt 100 ] || { echo "mkcaptures: t$name did not come up" >&2; exit 1; }
			sleep 0.05
		done
		in_ns "$ns" ip link set "t$name" address "02:00:00:$net:00:0$i" mtu 1400 up
		in_ns "$ns" ip addr add "10.100.$net.$i/24" dev "t$name"
		in_ns "$ns" ip addr add "fd64:$net::$i/64" dev "t$name" nodad
		no_offload "$ns" "t$name"
	done
}
vlan_link vq 1 8100:100
vlan_link qq 2 88a8:200 8100:100
sleep 1
bg zc3-v2 iperf3 -s -p 5205
sleep 0.5

vlan_traffic() {
	net=$1
	in_ns zc3-v1 ip neigh flush all
	in_ns zc3-v1 ping -q -n -i 0.05 -c 4 "10.100.$net.2" >/dev/null 2>&1 || true
	in_ns zc3-v1 ping -6 -q -n -i 0.05 -c 3 "fd64:$net::2" >/dev/null 2>&1 || true
	iperf zc3-v1 -c "10.100.$net.2" -p 5205 -n 20K -l 4K
}
cap_start vlan.pcap zc3-v1 vq1
vlan_traffic 1
cap_stop
cap_start qinq.pcap zc3-v1 qq1
vlan_traffic 2
cap_stop

## ------------------------------------------------------------ snaplen 96: truncated frames of everything
cap_start snaplen96.pcap zc3-a a0 -s 96
pinga -c 2 10.3.2.2
pinga -6 -c 2 fd03:2::2
pinga -c 2 -s 3000 10.3.1.2
pinga -6 -c 2 -s 3000 fd03:1::2
pinga -c 2 -t 1 10.3.2.2
pinga -6 -c 2 -s 1400 fd03:2::2
pinga -c 2 10.42.0.2
pinga -6 -c 2 fd42::2
pinga -c 2 10.47.0.2
pinga -c 2 10.4.0.2
pinga -6 -c 2 fd41::2
iperf zc3-a -c 10.3.2.2 -p 5201 -n 40K -l 8K
cap_stop

## ------------------------------------------------------------ install
for f in "$WORK"/*.pcap; do
	cp "$f" "$OUT/"
done
# The mixed capture for the README: Ethernet, both IP versions, fragments,
# ICMP errors, TCP and UDP, and each tunnel, in time order.
mergecap -F pcap -w "$OUT/mix.pcap" "$WORK/ping4.pcap" "$WORK/ping6.pcap" \
	"$WORK/frag.pcap" "$WORK/icmp-errors.pcap" "$WORK/vxlan.pcap" \
	"$WORK/gre.pcap" "$WORK/ipip.pcap" "$WORK/sit.pcap" "$WORK/qinq.pcap"
ls -l "$OUT"/*.pcap
