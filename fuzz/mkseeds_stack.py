#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""fuzz/mkseeds_stack.py - writes fuzz/seeds/stack/: conversations with the
stack of fuzz/fuzz_stack.c (10.77.0.2, 02:00:0a:4d:00:02) in its record
format: ARP, ping, UDP to open and closed ports, sends that wait for ARP,
clock steps through retries and ageing; DHCP replies (the harness's
record 6) that lease, renew, NAK and let a lease end."""
import os
import struct
import sys

OUR_MAC = bytes([2, 0, 0x0A, 0x4D, 0, 2])
PEER_MAC = bytes([2, 0, 0x0A, 0x4D, 0, 1])
BCAST = b"\xff" * 6
OUR_IP = bytes([10, 77, 0, 2])
PEER_IP = bytes([10, 77, 0, 1])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, typ, payload):
    return dst + src + struct.pack("!H", typ) + payload


def arp(op, sha, spa, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + b"\0" * 6 + tpa


def ipv4(src, dst, proto, l4, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0x1234, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4


def icmp_echo(data):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def udp(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def tcp(src, dst, sport, dport, seq, ack, flags, data=b"", mss=0):
    opts = struct.pack("!BBH", 2, 4, mss) if mss else b""
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (5 + len(opts) // 4) << 4, flags, 65535, 0, 0) + opts + data
    c = csum(src + dst + struct.pack("!BBH", 0, 6, len(t)) + t)
    return t[:16] + struct.pack("!H", c) + t[18:]


OUR6 = bytes([0xFD, 0x77] + [0] * 13 + [2])
PEER6 = bytes([0xFD, 0x77] + [0] * 13 + [1])
PEER_LL = bytes([0xFE, 0x80] + [0] * 13 + [1])
SN_OUR6 = bytes([0xFF, 2] + [0] * 9 + [1, 0xFF, 0, 0, 2])


def ipv6(src, dst, nxt, hlim, l4):
    return struct.pack("!IHBB", 6 << 28, len(l4), nxt, hlim) + src + dst + l4


def l4_6(src, dst, nxt, t, at):
    c = csum(src + dst + struct.pack("!IxxxB", len(t), nxt) + t) or 0xFFFF
    return t[:at] + struct.pack("!H", c) + t[at + 2:]


def udp6(src, dst, sport, dport, data):
    return l4_6(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data, 6)


def tcp6(src, dst, sport, dport, seq, ack, flags, data=b""):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    c = csum(src + dst + struct.pack("!IxxxB", len(t), 6) + t)
    return t[:16] + struct.pack("!H", c) + t[18:]


def frag6(src, dst, nxt, payload, off, more, ident):
    """One fragment: the fixed header, a fragment header, the payload's bytes from off."""
    return ipv6(src, dst, 44, 64, struct.pack("!BBHI", nxt, 0, off | more, ident) + payload)


def icmp6(src, dst, m):
    c = csum(src + dst + struct.pack("!IxxxB", len(m), 58) + m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def rec(op, b):
    assert len(b) < 256
    return bytes([op, len(b)]) + b


def frame(f):
    return rec(0, f)


def step(us):
    return rec(1, us.to_bytes(5, "little"))


def dhcp(typ, yiaddr, opts, flags=0):
    """Record 6: a DHCP reply the harness builds around yiaddr and the options."""
    o = bytes([53, 1, typ]) + opts + b"\xff"
    return rec(6, bytes([flags]) + yiaddr + o)


def opt(code, v):
    return bytes([code, len(v)]) + v


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "seeds", "stack")
    os.makedirs(out, exist_ok=True)
    arp_req = frame(eth(BCAST, PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_IP, OUR_IP)))
    arp_rep = frame(eth(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_IP, OUR_IP)))
    ping = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 1, icmp_echo(bytes(range(56))))))
    udp_open = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 4000, 7, b"hello"))))
    udp_closed = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 4000, 99, b"x"))))
    frag = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 1, icmp_echo(b"f" * 16), frag=0x2000)))
    send = rec(2, bytes([1, 0x23, 0x28]) + b"payload")
    send_off = rec(2, bytes([9, 0, 53]) + b"q")
    syn = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1000, 0, 0x02))))
    ack = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1, 9, 0x18, b"GET /"))))
    ns = icmp6(PEER_LL, SN_OUR6, bytes([135, 0, 0, 0, 0, 0, 0, 0]) + OUR6 + bytes([1, 1]) + PEER_MAC)
    ns6 = frame(eth(bytes([0x33, 0x33, 0xFF, 0, 0, 2]), PEER_MAC, 0x86DD, ipv6(PEER_LL, SN_OUR6, 58, 255, ns)))
    e6 = icmp6(PEER6, OUR6, bytes([128, 0, 0, 0, 0x66, 0x66, 0, 1]) + b"ping6")
    echo6 = frame(eth(OUR_MAC, PEER_MAC, 0x86DD, ipv6(PEER6, OUR6, 58, 64, e6)))
    e6big = icmp6(PEER6, OUR6, bytes([128, 0, 0, 0, 0x66, 0x66, 0, 2]) + bytes(range(200)))
    six = lambda p: frame(eth(OUR_MAC, PEER_MAC, 0x86DD, p))
    leased = bytes([10, 77, 0, 50])
    lease = opt(54, PEER_IP) + opt(1, bytes([255, 255, 255, 0])) + opt(3, PEER_IP) + opt(51, struct.pack("!I", 100))
    short = opt(54, PEER_IP) + opt(51, struct.pack("!I", 10)) + opt(58, struct.pack("!I", 2)) + opt(59, struct.pack("!I", 5))
    to_leased = frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, leased, 1, icmp_echo(b"dhcp"))))
    seeds = {
        "dhcp-lease-renew": dhcp(2, leased, lease) + dhcp(5, leased, lease) + to_leased + step(50000000)
        + dhcp(5, leased, lease) + step(1000000) + rec(2, bytes([1, 0x23, 0x28]) + b"leased"),
        "dhcp-short-lease-ends": dhcp(2, leased, short) + dhcp(5, leased, short) + step(2000000) + step(3000000)
        + step(5000000) + step(4000000) + dhcp(2, leased, short),
        "dhcp-nak-and-bad": dhcp(2, leased, lease) + dhcp(6, bytes(4), b"") + dhcp(2, leased, lease, flags=1)
        + dhcp(2, leased, lease, flags=2) + dhcp(2, leased, opt(54, PEER_IP) + bytes([51, 9]))
        + dhcp(2, leased, lease) + dhcp(5, leased, opt(54, PEER_IP) + opt(1, bytes([255, 0, 255, 0])) + opt(51, bytes(4)))
        + step(4500000) + step(9000000),
        "ipv6-udp": step(1000000) + ns6 + six(ipv6(PEER6, OUR6, 17, 64, udp6(PEER6, OUR6, 4000, 7, b"six")))
        + six(ipv6(PEER6, OUR6, 17, 64, udp6(PEER6, OUR6, 4000, 99, b"closed")))
        + rec(3, bytes([0x80, 64])) + rec(2, bytes([0x81, 0x0F, 0xA0]) + b"back"),
        "ipv6-tcp-session": step(1000000) + ns6
        + six(ipv6(PEER6, OUR6, 6, 64, tcp6(PEER6, OUR6, 40000, 80, 1000, 0, 0x02)))
        + six(ipv6(PEER6, OUR6, 6, 64, tcp6(PEER6, OUR6, 40000, 80, 1001, 0x10000001, 0x10)))
        + six(ipv6(PEER6, OUR6, 6, 64, tcp6(PEER6, OUR6, 40000, 80, 1001, 0x10000001, 0x18, b"hello")))
        + rec(5, bytes([0x80, 0])) + rec(5, bytes([2, 0])) + rec(5, bytes([1, 0]) + b"reply") + step(300000)
        + six(ipv6(PEER6, OUR6, 6, 64, tcp6(PEER6, OUR6, 40000, 80, 1006, 0x10000006, 0x11)))
        + rec(5, bytes([3, 0])) + step(2000000),
        "ipv6-fragments": step(1000000) + ns6
        + six(frag6(PEER6, OUR6, 58, e6big[96:], 96, 0, 7))
        + six(frag6(PEER6, OUR6, 58, e6big[:96], 0, 1, 7))
        + six(frag6(PEER6, OUR6, 58, e6big[:96], 0, 1, 8)) + step(61000000),
        "ipv6-dad-ns-echo": step(1000000) + ns6 + echo6 + step(1000),
        "tcp-closed": arp_req + syn + ack,
        "tcp-session": arp_req
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1000, 0, 0x02))))
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1001, 0x10000001, 0x10))))
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800,
                    ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1001, 0x10000001, 0x18, b"hello"))))
        + rec(5, bytes([0, 0])) + rec(5, bytes([2, 0])) + rec(5, bytes([1, 0]) + b"reply") + step(300000)
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1006, 0x10000001, 0x11))))
        + rec(5, bytes([3, 0])) + step(2000000),
        # A peer whose MSS is 100: 250 bytes sent go as one segment of two MSS
        # (through tx_gso in the offload run) and a tail that waits for its ACK.
        "tcp-large-segments": arp_req
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800,
                    ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1000, 0, 0x02, mss=100))))
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1001, 0x10000001, 0x10))))
        + rec(5, bytes([0, 0])) + rec(5, bytes([1, 0]) + bytes(range(250)))
        + frame(eth(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, OUR_IP, 6, tcp(PEER_IP, OUR_IP, 40000, 80, 1001, 0x10000001 + 200, 0x10))))
        + step(2000000) + rec(5, bytes([3, 0])) + step(2000000),
        "arp-then-ping": arp_req + ping + step(1000),
        "udp-open-closed-recv": arp_req + udp_open + udp_closed + rec(3, bytes([0, 64])),
        "send-waits-for-arp": send + send + arp_rep + rec(3, bytes([0, 8])),
        "arp-retries-and-ageing": send_off + step(1000000) + step(1000000) + step(1000000)
        + arp_req + step(61000000) + send,
        "fragment-and-churn": arp_req + frag + rec(4, bytes([1, 7])) + udp_open + rec(3, bytes([1, 200])),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
