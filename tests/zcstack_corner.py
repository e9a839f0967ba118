# SPDX-License-Identifier: BSD-2-Clause
# tests/zcstack_corner.py - run by tests/zcstack.sh in its namespace: IFACE is zcstack's TAP.
# Frame-level corner cases against zcstack (10.77.0.2, fd77::2, MAC
# 02:00:0a:4d:00:02) from a host the kernel does not know (10.77.0.50,
# fd77::50): each case prints "PASS: ..." or "FAIL: ...".
import sys, time
from scapy.all import (ARP, ICMP, IP, IPv6, Ether, ICMPv6EchoRequest, ICMPv6EchoReply, ICMPv6ND_NS,
                       ICMPv6NDOptSrcLLAddr,
                       IPv6ExtHdrFragment, TCP, Raw, AsyncSniffer, sendp, conf)
conf.verb = 0
IFACE = sys.argv[1]
ZMAC, ZIP, ZIP6 = "02:00:0a:4d:00:02", "10.77.0.2", "fd77::2"
ME, MYIP, MYIP6 = "02:00:00:00:00:50", "10.77.0.50", "fd77::50"
fails = 0

def exchange(frames, wait=0.6):
    """Sends the frames, returns what zcstack sent meanwhile."""
    s = AsyncSniffer(iface=IFACE, lfilter=lambda p: p.haslayer(Ether) and p[Ether].src == ZMAC)
    s.start()
    time.sleep(0.2)
    for f in frames:
        sendp(f, iface=IFACE)
    time.sleep(wait)
    return s.stop()

def check(ok, what):
    global fails
    print(("PASS: " if ok else "FAIL: ") + what)
    fails += not ok

eth = Ether(src=ME, dst=ZMAC)
# It learns us from an ARP request for its address.
got = exchange([Ether(src=ME, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=ME, psrc=MYIP, pdst=ZIP)])
check(any(p.haslayer(ARP) and p[ARP].op == 2 and p[ARP].pdst == MYIP for p in got), "scapy: ARP request answered")

# A SYN with every option, a window shift of 15 (beyond RFC 7323's 14).
syn = eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40000, dport=7, flags="S", seq=1000,
      options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)), ("NOP", None), ("WScale", 15)])
got = [p for p in exchange([syn]) if p.haslayer(TCP)]
sa = got[0][TCP] if got else None
opts = dict((k, v) for k, v in sa.options) if sa else {}
check(sa is not None and sa.flags == "SA" and "WScale" in opts and "SAckOK" in opts and
      opts.get("Timestamp", (0, 0))[1] == 1000, "scapy: SYN-ACK with window scale, SACK-permitted, timestamps echoing 1000")
if sa is not None:
    iss, tsv = sa.seq, opts.get("Timestamp", (0, 0))[0]
    ack = eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40000, dport=7, flags="A", seq=1001, ack=iss + 1,
          options=[("NOP", None), ("NOP", None), ("Timestamp", (1001, tsv))])
    data = eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40000, dport=7, flags="PA", seq=1001, ack=iss + 1,
           options=[("NOP", None), ("NOP", None), ("Timestamp", (1002, tsv))]) / Raw(b"abc")
    got = [p for p in exchange([ack, data]) if p.haslayer(Raw) and p.haslayer(TCP)]
    check(any(bytes(p[Raw].load) == b"abc" and p[TCP].ack == 1004 for p in got), "scapy: data echoed, acknowledged to 1004")
    # PAWS: the next bytes with a timestamp older than the last one taken.
    old = eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40000, dport=7, flags="PA", seq=1004, ack=iss + 4,
          options=[("NOP", None), ("NOP", None), ("Timestamp", (5, tsv))]) / Raw(b"old")
    got = [p for p in exchange([old]) if p.haslayer(TCP)]
    check(any(p[TCP].ack == 1004 for p in got) and not any(p.haslayer(Raw) and b"old" in bytes(p[Raw].load) for p in got),
          "scapy: PAWS: an old timestamp is acknowledged at 1004, its bytes not taken (not echoed)")
    exchange([eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40000, dport=7, flags="R", seq=1004)], 0.2)

# Overlapping IPv4 fragments that disagree: no answer; the same without the lie: an answer.
def frags(lie):
    p = IP(src=MYIP, dst=ZIP, id=77, proto=1) / ICMP(type=8, id=9, seq=1) / Raw(b"x" * 64)
    raw = bytes(p[ICMP])
    a = eth / IP(src=MYIP, dst=ZIP, id=77 + lie, proto=1, flags="MF", frag=0) / Raw(raw[:40])
    b = eth / IP(src=MYIP, dst=ZIP, id=77 + lie, proto=1, frag=4) / Raw((b"y" * 8 if lie else raw[32:40]) + raw[40:])
    return [a, b]
got = exchange(frags(1))
check(not any(p.haslayer(ICMP) for p in got), "scapy: IPv4 fragments that overlap and disagree: no answer")
got = exchange(frags(0))
check(any(p.haslayer(ICMP) and p[ICMP].type == 0 for p in got), "scapy: the same fragments overlapping exactly: echo reply")

# IPv6: an atomic fragment is an unfragmented packet (RFC 8200 4.5); a fragment inside a reassembled one is not taken.
e6 = Ether(src=ME, dst=ZMAC)
# A solicitation for its address teaches it our MAC (its probe of the address took a second already).
sn = "ff02::1:ff00:2"
exchange([Ether(src=ME, dst="33:33:ff:00:00:02") / IPv6(src=MYIP6, dst=sn, hlim=255) / ICMPv6ND_NS(tgt=ZIP6) /
          ICMPv6NDOptSrcLLAddr(lladdr=ME)], 0.3)
got = exchange([e6 / IPv6(src=MYIP6, dst=ZIP6) / IPv6ExtHdrFragment(offset=0, m=0, id=5) / ICMPv6EchoRequest(id=2, seq=2)])
check(any(p.haslayer(ICMPv6EchoReply) and p[ICMPv6EchoReply].id == 2 for p in got), "scapy: an atomic IPv6 fragment is answered")
inner = bytes(IPv6(src=MYIP6, dst=ZIP6) / IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=6) /
              ICMPv6EchoRequest(id=3, seq=3))[40:]
got = exchange([e6 / IPv6(src=MYIP6, dst=ZIP6) / IPv6ExtHdrFragment(nh=44, offset=0, m=0, id=7) / Raw(inner)])
check(not any(p.haslayer(ICMPv6EchoReply) for p in got), "scapy: an atomic fragment header followed by a first fragment's: no answer")

# A SYN to a closed port whose option list is malformed still draws a reset.
bad = eth / IP(src=MYIP, dst=ZIP) / TCP(sport=40001, dport=8, flags="S", seq=5, dataofs=6, options=[]) / Raw(b"\x02\x00\x00\x00")
got = [p for p in exchange([bad]) if p.haslayer(TCP)]
check(any(p[TCP].flags & 0x04 for p in got), "scapy: SYN with a malformed option list to a closed port: reset")
sys.exit(1 if fails else 0)
