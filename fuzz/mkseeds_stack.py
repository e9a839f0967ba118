#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""fuzz/mkseeds_stack.py - writes fuzz/seeds/stack/: conversations with the
stack of fuzz/fuzz_stack.c (10.77.0.2, 02:00:0a:4d:00:02) in its record
format: ARP, ping, UDP to open and closed ports, sends that wait for ARP,
clock steps through retries and ageing."""
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


def rec(op, b):
    assert len(b) < 256
    return bytes([op, len(b)]) + b


def frame(f):
    return rec(0, f)


def step(us):
    return rec(1, us.to_bytes(5, "little"))


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
    seeds = {
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
