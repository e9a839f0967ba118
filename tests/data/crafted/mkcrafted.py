#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes crafted.pcap: hand-made Ethernet frames that break a rule of their
protocol, for the tshark differential test (tests/tshark-diff.sh) to compare
zcdump with tshark where no recorded traffic does. Not a capture of real
traffic, so the benchmarks leave it alone.

Usage: tests/data/crafted/mkcrafted.py [OUT]   (default: crafted.pcap beside it)
"""
import os
import struct
import sys

FRAMES = [
    # IPv6 ::1 -> ::2, destination options header whose PadN option declares
    # 40 bytes in a header of 8 (RFC 8200 section 4.2: malformed), then TCP.
    '02000000000202000000000186dd60000000001c3c400000000000000000000000000000'
    '0001000000000000000000000000000000020600012800000000000100020000000000'
    '000000500220008fdd0000',
    # The same options in a hop-by-hop header.
    '02000000000202000000000186dd60000000001c00400000000000000000000000000000'
    '0001000000000000000000000000000000020600012800000000000100020000000000'
    '000000500220008fdd0000',
    # The same with a PadN of 4 bytes, which ends the header exactly: well formed.
    '02000000000202000000000186dd60000000001c3c400000000000000000000000000000'
    '0001000000000000000000000000000000020600010400000000000100020000000000'
    '000000500220008fdd0000',
    # VXLAN whose inner IPv4 total length is 10 bytes more than the datagram holds.
    '02000000000202000000000108004500005a123440004011145d0a0000010a0000029c40'
    '12b500460000080000000000010002000000000202000000000108004500003212344000'
    '400614900a0000010a000002a8ca0050000003e8000007d05018ffff00000000',
    # GRE carrying an IPv4 packet 10 bytes longer than the GRE packet.
    '02000000000202000000000108004500003712344000402f14620a0000010a0000020000'
    '080045000029123440004011148e0a0000010a0000029c410009000b0000677265',
    # IPv4 in IPv4, the inner 10 bytes longer than the outer's payload.
    '02000000000202000000000108004500003412344000400414900a0000010a0000024500'
    '002a123440004011148d0a0000010a0000029c410009000c000069706970',
    # IPv6 in IPv4, the inner payload length 10 bytes more than is carried.
    '02000000000202000000000108004500004712344000402914580a0000010a0000026000'
    '00000015114020010db800000000000000000000000120010db800000000000000000000'
    '00029c410009000b0000736974',
    # IPv4 whose 10 bytes of payload cannot hold the TCP header its protocol names.
    '02000000000202000000000108004500001e12344000400614a40a0000010a0000020000'
    '0000000000000000',
    # UDP over IPv6 with a checksum of 0, which RFC 8200 section 8.1 forbids.
    '02000000000202000000000186dd60000000000c114020010db800000000000000000000'
    '000120010db80000000000000000000000029c410009000c00007a65726f',
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                              'crafted.pcap')
    data = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    for i, h in enumerate(FRAMES):
        fr = bytes.fromhex(h)
        data += struct.pack('<IIII', 1700000000 + i, 0, len(fr), len(fr)) + fr
    with open(out, 'wb') as f:
        f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
