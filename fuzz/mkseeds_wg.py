#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# fuzz/mkseeds_wg.py - writes the seeds of fuzz/fuzz_wg.c (records: an
# operation byte, a 16-bit little-endian length, the bytes) into fuzz/seeds/wg.
import os
import struct
import sys

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "wg")
os.makedirs(out, exist_ok=True)


def rec(op, b):
    return bytes([op]) + struct.pack("<H", len(b)) + b


def csum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, payload=b"hello"):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src_last, payload=b"hi"):
    src = bytes([0xfd] + [0] * 14 + [src_last])
    dst = bytes([0xfd] + [0] * 14 + [1])
    return struct.pack("!IHBB", 0x60000000, len(payload), 59, 64) + src + dst + payload


def sealed(counter, plain):
    return rec(1, struct.pack("<Q", counter) + plain)


seeds = {
    "data-v4": sealed(0, ipv4([10, 0, 0, 2], [10, 0, 0, 1])),
    "data-v6": sealed(1, ipv6(2)),
    "data-padded": sealed(2, ipv4([10, 0, 0, 2], [10, 0, 0, 1]) + bytes(11)),
    "spoofed": sealed(3, ipv4([10, 0, 0, 9], [10, 0, 0, 1])),
    "keepalive": sealed(4, b""),
    "out-of-order": sealed(5000, ipv4([10, 0, 0, 2], [10, 0, 0, 1])) + sealed(10, ipv4([10, 0, 0, 2], [10, 0, 0, 1]))
    + sealed(1, ipv4([10, 0, 0, 2], [10, 0, 0, 1])),
    "expired": rec(2, struct.pack("<I", 181000)) + sealed(6, ipv4([10, 0, 0, 2], [10, 0, 0, 1])),
    "initiation": rec(0, bytes([1, 0, 0, 0]) + bytes(144)),
    "response": rec(0, bytes([2, 0, 0, 0]) + bytes(88)),
    "cookie": rec(0, bytes([3, 0, 0, 0]) + bytes(60)),
    "data-raw": rec(0, bytes([4, 0, 0, 0, 0, 0xef, 0xcd, 0xab]) + bytes(40)),
    "timers": rec(2, struct.pack("<I", 11000)) + rec(3, b"") + rec(2, struct.pack("<I", 600000)) + rec(3, b""),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print("mkseeds_wg: %d seeds in %s" % (len(seeds), out), file=sys.stderr)
