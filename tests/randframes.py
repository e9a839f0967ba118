#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Random Ethernet frames of the protocols libzc dissects, for a
differential test against tshark (tests/tshark-random.sh).

    randframes.py [-s SEED] [-n FRAMES] OUT.pcap

The same seed gives the same file. Frames are built as the protocols
define them, then some are spoilt on purpose: VLAN stacks, IPv4 options
(source routes, record route, timestamps, padding, options cut short),
IPv6 extension chains (hop-by-hop and destination options with every kind
of option, routing, fragment headers), TCP option lists (well-formed and
not), fragments, tunnels (VXLAN, Geneve, GRE, IP in IP, IPv6 in IPv4),
ICMP and ICMPv6 errors quoting cut datagrams, neighbour discovery, ARP;
then lengths that contradict each other, flipped bytes, and frames cut by
a snapshot length. Ports stay away from the ones tshark gives to an
application protocol, so what is compared is what libzc dissects.
Standard library only.
"""
import random
import struct
import sys

MAXDEPTH = 3


def csum(data, start=0):
    if len(data) % 2:
        data += b"\0"
    s = start + sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, *items):
        return self.r.choice(items)

    def rbytes(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def port(self):
        # Dynamic ports (RFC 6335) that tshark leaves as data: away from
        # the tunnels' and the well-known application ports.
        return self.r.randint(49152, 65000)

    # ------------------------------------------------------------ payloads
    def payload(self, maxlen=64):
        n = self.r.choice((0, 0, 1, 4, self.r.randint(0, maxlen)))
        return self.rbytes(n)

    # ----------------------------------------------------------------- L4
    def tcp_options(self):
        opts = b""
        for _ in range(self.r.randint(0, 6)):
            k = self.r.randint(0, 11)
            if k == 0:
                opts += b"\x01"  # NOP
            elif k == 1:
                opts += struct.pack("!BBH", 2, 4, self.r.choice((536, 1360, 1460, 8960, self.r.getrandbits(16))))
            elif k == 2:
                opts += struct.pack("!BBB", 3, 3, self.r.randint(0, 16))
            elif k == 3:
                opts += b"\x04\x02"  # SACK permitted
            elif k == 4:
                nb = self.r.randint(1, 4)
                opts += struct.pack("!BB", 5, 2 + 8 * nb) + self.rbytes(8 * nb)
            elif k == 5:
                opts += struct.pack("!BBII", 8, 10, self.r.getrandbits(32), self.r.getrandbits(32))
            elif k == 6:
                opts += b"\x00"  # EOL, then whatever follows
            elif k == 7:
                # Kinds tshark has no dissector of its own for, or one
                # that reads only what the option holds (not MPTCP's 30,
                # nor Riverbed's 76 and 78, which read on).
                ln = self.r.randint(2, 8)
                opts += struct.pack("!BB", self.r.choice((34, 253, 254, 99, 100)), ln) + self.rbytes(ln - 2)
            elif k == 8:
                # A length that runs past the options, or is too short.
                opts += struct.pack("!BB", self.r.choice((2, 3, 5, 8, 77)), self.r.choice((0, 1, 40)))
            elif k == 9:
                opts += struct.pack("!BBH", 2, 5, 1460)  # wrong length for MSS
            else:
                opts += b"\x01\x01"
        if self.chance(0.1):
            return opts[: self.r.randint(0, len(opts))]  # then padded: a cut option
        return opts

    def tcp(self, src, dst, pseudo):
        opts = self.tcp_options()
        opts += b"\0" * (-len(opts) % 4)
        opts = opts[:40]
        doff = 5 + len(opts) // 4
        if self.chance(0.03):
            doff = self.r.randint(0, 15)  # a data offset that lies
        flags = self.r.choice((0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x19, self.r.getrandbits(9)))
        hdr = struct.pack("!HHIIHHHH", self.port(), self.port(), self.r.getrandbits(32),
                          self.r.getrandbits(32), (doff << 12) | flags, self.r.getrandbits(16), 0,
                          self.r.choice((0, 0, self.r.getrandbits(16))))
        seg = hdr + opts + self.payload()
        return self.l4_csum(seg, 16, pseudo)

    def udp(self, pseudo, depth):
        sport, dport = self.port(), self.port()
        inner = self.payload()
        k = self.r.random()
        if depth < MAXDEPTH and k < 0.12:
            dport = 4789  # VXLAN: flags, reserved, VNI, reserved
            inner = struct.pack("!BBHI", self.pick(0x08, 0x08, 0x00, 0x0C), 0, 0, self.r.getrandbits(24) << 8) + \
                self.ether(depth + 1)
        elif depth < MAXDEPTH and k < 0.2:
            dport = 6081  # Geneve with options
            optlen = self.r.choice((0, 0, 1, 2))
            opts = b""
            for _ in range(optlen):
                opts += struct.pack("!HBB", self.r.getrandbits(16), self.r.getrandbits(8), 1) + self.rbytes(4)
            proto = self.pick(0x6558, 0x0800, 0x86DD)
            body = self.ether(depth + 1) if proto == 0x6558 else self.ip(depth + 1, proto == 0x86DD)
            inner = struct.pack("!BBHI", len(opts) // 4, self.pick(0, 0x80, 0x40), proto,
                                self.r.getrandbits(24) << 8) + opts + body
        ln = 8 + len(inner)
        if self.chance(0.04):
            ln = self.r.choice((0, 7, ln - 1, ln + 3, self.r.getrandbits(16)))
        seg = struct.pack("!HHHH", sport, dport, ln & 0xFFFF, 0) + inner
        if self.chance(0.1):
            return seg  # checksum 0
        return self.l4_csum(seg, 6, pseudo)

    def l4_csum(self, seg, off, pseudo):
        c = csum(pseudo(len(seg)) + seg)
        if self.chance(0.05):
            c ^= 1 + self.r.getrandbits(15)
        return seg[:off] + struct.pack("!H", c) + seg[off + 2:]

    def icmp4(self, depth):
        if depth < MAXDEPTH and self.chance(0.45):
            t, code = self.pick((3, self.r.randint(0, 15)), (11, self.r.randint(0, 1)), (12, 0), (5, self.r.randint(0, 3)),
                                (4, 0))
            rest = self.rbytes(4) if t != 3 else struct.pack("!HH", 0, self.pick(0, 1400, 576))
            quote = self.ip(depth + 1, self.chance(0.05), quoted=True)
            quote = quote[: self.r.choice((len(quote), 28, 20, 24, 8, self.r.randint(0, len(quote))))]
            body = struct.pack("!BBH", t, code, 0) + rest + quote
        else:
            t = self.pick(8, 0, 13, 14, 17, 9, 10, self.r.getrandbits(8))
            body = struct.pack("!BBHHH", t, 0, 0, self.r.getrandbits(16), self.r.getrandbits(16)) + self.payload()
        c = csum(body)
        if self.chance(0.05):
            c ^= 0x0101
        return body[:2] + struct.pack("!H", c) + body[4:]

    def nd_options(self):
        opts = b""
        for _ in range(self.r.randint(0, 3)):
            k = self.r.randint(0, 4)
            if k <= 1:
                opts += struct.pack("!BB", 1 + k, 1) + self.rbytes(6)  # link-layer addresses
            elif k == 2:
                opts += struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 3600, 1800, 0) + self.rbytes(16)  # prefix
            elif k == 3:
                opts += struct.pack("!BBHI", 5, 1, 0, 1500)  # MTU
            else:
                opts += struct.pack("!BB", self.r.randint(0, 40), self.r.choice((0, 1, 2))) + self.rbytes(6)
        return opts

    def icmp6(self, depth, pseudo):
        k = self.r.random()
        if depth < MAXDEPTH and k < 0.35:
            t = self.r.randint(1, 4)
            quote = self.ip(depth + 1, not self.chance(0.05), quoted=True)
            quote = quote[: self.r.choice((len(quote), 48, 40, 44, self.r.randint(0, len(quote))))]
            body = struct.pack("!BBHI", t, self.r.randint(0, 6), 0, self.r.getrandbits(32)) + quote
        elif k < 0.6:
            t = self.r.randint(133, 137)
            fixed = {133: 4, 134: 12, 135: 20, 136: 20, 137: 36}[t]
            body = struct.pack("!BBH", t, 0, 0) + self.rbytes(fixed) + self.nd_options()
        elif k < 0.7:
            t = self.pick(130, 131, 132, 143)
            if t == 143:
                recs = b""
                n = self.r.randint(0, 2)
                for _ in range(n):
                    ns = self.r.randint(0, 2)
                    recs += struct.pack("!BBH", self.r.randint(1, 6), 0, ns) + self.rbytes(16 + 16 * ns)
                body = struct.pack("!BBHHH", 143, 0, 0, 0, n) + recs
            else:
                body = struct.pack("!BBHHH", t, 0, 0, self.r.getrandbits(16), 0) + self.rbytes(16)
        else:
            t = self.pick(128, 129, self.r.getrandbits(8))
            body = struct.pack("!BBHHH", t, 0, 0, self.r.getrandbits(16), self.r.getrandbits(16)) + self.payload()
        c = csum(pseudo(len(body)) + body)
        if self.chance(0.05):
            c ^= 0x0101
        return body[:2] + struct.pack("!H", c) + body[4:]

    def gre(self, depth):
        c, k, s = self.chance(0.3), self.chance(0.4), self.chance(0.3)
        proto = self.pick(0x0800, 0x86DD, 0x6558)
        hdr = struct.pack("!HH", (c << 15) | (k << 13) | (s << 12) | (self.r.choice((0, 0, 0, 1)) & 7), proto)
        if c:
            hdr += b"\0\0\0\0"
        if k:
            hdr += struct.pack("!I", self.r.getrandbits(32))
        if s:
            hdr += struct.pack("!I", self.r.getrandbits(32))
        body = self.ether(depth + 1) if proto == 0x6558 else self.ip(depth + 1, proto == 0x86DD)
        return hdr + body

    # ----------------------------------------------------------------- L3
    def upper(self, depth, v6, src, dst, quoted):
        """(protocol number, bytes) of what an IP header carries."""
        def pseudo(n):
            if v6:
                return src + dst + struct.pack("!IxxxB", n, proto)
            return src + dst + struct.pack("!BBH", 0, proto, n & 0xFFFF)
        k = self.r.random()
        if k < 0.42:
            proto = 6
            return proto, self.tcp(src, dst, pseudo)
        if k < 0.68:
            proto = 17
            return proto, self.udp(pseudo, depth)
        if k < 0.82:
            proto = 58 if v6 else 1
            return proto, (self.icmp6(depth, pseudo) if v6 else self.icmp4(depth))
        if depth < MAXDEPTH and not quoted and k < 0.92:
            which = self.r.randint(0, 2)
            if which == 0:
                return 47, self.gre(depth)
            if which == 1:
                return 4, self.ip(depth + 1, False)
            return 41, self.ip(depth + 1, True)
        proto = self.pick(0, 2, 50, 132, 103, self.r.getrandbits(8))
        if proto in (4, 41, 47, 6, 17, 1, 58, 43, 44, 60):
            proto = 253
        return proto, self.payload()

    def ipv4_options(self):
        opts = b""
        for _ in range(self.r.randint(1, 3)):
            k = self.r.randint(0, 6)
            if k == 0:
                opts += b"\x01"
            elif k == 1:
                n = self.r.randint(1, 4)  # loose or strict source route, or record route
                ptr = self.r.choice((4, 4 + 4 * self.r.randint(0, n), 3, 40))
                opts += struct.pack("!BBB", self.pick(0x83, 0x89, 0x07), 3 + 4 * n, ptr) + self.rbytes(4 * n)
            elif k == 2:
                n = self.r.randint(1, 3)
                opts += struct.pack("!BBBB", 0x44, 4 + 4 * n, 5, self.pick(0, 1, 3)) + self.rbytes(4 * n)
            elif k == 3:
                opts += struct.pack("!BBH", 0x94, 4, 0)  # router alert
            elif k == 4:
                opts += b"\x00"
            elif k == 5:
                opts += struct.pack("!BB", self.pick(0x83, 0x44, 0x07, 0x88), self.r.choice((0, 1, 2, 39)))
            else:
                ln = self.r.randint(2, 6)
                opts += struct.pack("!BB", self.r.getrandbits(8), ln) + self.rbytes(ln - 2)
        opts += b"\0" * (-len(opts) % 4)
        return opts[:40]

    def ipv4(self, depth, quoted):
        src = bytes((10, self.r.randint(0, 3), self.r.randint(0, 255), self.r.randint(1, 254)))
        dst = bytes((10, self.r.randint(0, 3), self.r.randint(0, 255), self.r.randint(1, 254)))
        if self.chance(0.03):
            dst = bytes((self.pick(224, 239, 255), 0, 0, self.r.randint(1, 255)))
        opts = self.ipv4_options() if self.chance(0.15) else b""
        ihl = 5 + len(opts) // 4
        frag = 0
        if self.chance(0.12):
            frag = self.pick(0x2000, 0x2000 | self.r.randint(1, 200), self.r.randint(1, 200), 0x2000)
        elif self.chance(0.5):
            frag = 0x4000
        proto, body = self.upper(depth, False, src, dst, quoted)
        if frag & 0x1FFF:
            body = self.payload()  # a later fragment: bytes, no header
        tot = 4 * ihl + len(body)
        if self.chance(0.04):
            tot = self.r.choice((0, tot - 1, tot + 5, 4 * ihl - 1, self.r.getrandbits(16)))
        if self.chance(0.02):
            ihl = self.r.randint(0, 15)
        ver = 4 if not self.chance(0.01) else self.r.randint(0, 15)
        hdr = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, self.r.getrandbits(8), tot & 0xFFFF,
                          self.r.getrandbits(16), frag, self.r.randint(1, 255), proto, 0, src, dst) + opts
        c = csum(hdr)
        if self.chance(0.04):
            c ^= 0x0F0F
        return hdr[:10] + struct.pack("!H", c) + hdr[12:] + body

    def ipv6_ext_opts(self):
        opts = b""
        for _ in range(self.r.randint(0, 3)):
            k = self.r.randint(0, 6)
            if k == 0:
                opts += b"\x00"  # Pad1
            elif k == 1:
                n = self.r.randint(0, 5)
                opts += struct.pack("!BB", 1, n) + b"\0" * n  # PadN
            elif k == 2:
                opts += struct.pack("!BBH", 5, 2, 0)  # router alert
            elif k == 3:
                opts += struct.pack("!BB", self.r.choice((0x1E, 0x3E, 0x63, 0xC2, 0x07, 0x8B)), 4) + self.rbytes(4)
            elif k == 4:
                opts += struct.pack("!BB", self.r.getrandbits(8), self.r.choice((0, 1, 30)))  # may run past
            elif k == 5:
                opts += struct.pack("!BBI", 0xC2, 4, self.r.getrandbits(32))  # jumbo payload
            else:
                opts += struct.pack("!BBBB", 4, 1, 0, 1)[:3]  # tunnel encap limit
        pad = -(len(opts) + 2) % 8
        if pad == 1:
            opts += b"\x00"
        elif pad:
            opts += struct.pack("!BB", 1, pad - 2) + b"\0" * (pad - 2)
        return opts

    def ipv6(self, depth, quoted):
        src = bytes.fromhex("fd00000000000000") + self.rbytes(8)
        dst = bytes.fromhex("fd00000000000000") + self.rbytes(8)
        if self.chance(0.05):
            dst = bytes.fromhex("ff020000000000000000000000000001")
        proto, body = self.upper(depth, True, src, dst, quoted)
        # The extension chain, built from the inside out.
        chain = []
        for _ in range(self.r.choice((0, 0, 0, 1, 1, 2, 3))):
            chain.append(self.pick(0, 60, 43, 44, 60))
        if chain and chain[0] != 0 and self.chance(0.5):
            chain[0] = 0  # hop-by-hop first, as RFC 8200 wants it (not always)
        for ext in reversed(chain):
            if ext in (0, 60):
                opts = self.ipv6_ext_opts()
                if self.chance(0.05):
                    opts = opts[:-1]
                hlen = (2 + len(opts) + 7) // 8
                hdr = struct.pack("!BB", proto, max(hlen - 1, 0)) + opts
                hdr += b"\0" * (8 * hlen - len(hdr))
            elif ext == 43:
                n = self.r.randint(0, 2)
                hdr = struct.pack("!BBBBI", proto, 2 * n, self.pick(0, 2, 4), self.r.randint(0, n), 0) + \
                    self.rbytes(16 * n)
            else:
                off = self.pick(0, 0, self.r.randint(1, 100))
                hdr = struct.pack("!BBHI", proto, 0, (off << 3) | self.pick(0, 1), self.r.getrandbits(32))
                if off:
                    body = self.payload()
            proto, body = ext, hdr + body
        plen = len(body)
        if self.chance(0.04):
            plen = self.r.choice((0, plen - 1, plen + 7, self.r.getrandbits(16)))
        ver = 6 if not self.chance(0.01) else self.r.randint(0, 15)
        hdr = struct.pack("!IHBB16s16s", (ver << 28) | (self.r.getrandbits(8) << 20) | self.r.getrandbits(20),
                          plen & 0xFFFF, proto, self.r.randint(1, 255), src, dst)
        return hdr + body

    def ip(self, depth, v6, quoted=False):
        return self.ipv6(depth, quoted) if v6 else self.ipv4(depth, quoted)

    def arp(self):
        op = self.pick(1, 2, 1, 2, 3, 4, self.r.getrandbits(16))
        body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + self.rbytes(6) + bytes((10, 0, 0, 1)) + \
            self.rbytes(6) + bytes((10, 0, 0, 2))
        if self.chance(0.1):
            body = struct.pack("!HHBBH", self.pick(1, 6), self.pick(0x0800, 0x86DD), self.pick(6, 8),
                               self.pick(4, 16), op) + self.rbytes(self.r.randint(0, 40))
        return body

    # ----------------------------------------------------------------- L2
    def ether(self, depth=0):
        dst = self.pick(bytes.fromhex("020000000002"), bytes.fromhex("ffffffffffff"), bytes.fromhex("333300000001"),
                        bytes.fromhex("01005e000001"), bytes((2,)) + self.rbytes(5))
        src = bytes((2,)) + self.rbytes(5)
        tags = b""
        for _ in range(self.r.choice((0, 0, 0, 0, 1, 1, 2, 3))):
            tags += struct.pack("!HH", self.pick(0x8100, 0x88A8, 0x8100), self.r.getrandbits(16))
        k = self.r.random()
        if k < 0.5:
            et, body = 0x0800, self.ipv4(depth, False)
        elif k < 0.85:
            et, body = 0x86DD, self.ipv6(depth, False)
        elif k < 0.95:
            et, body = 0x0806, self.arp()
        else:
            et, body = self.pick(0x88CC, 0x9000, 0x88B5, 0x88B6), self.payload()
        frame = dst + src + tags + struct.pack("!H", et) + body
        if depth == 0 and len(frame) < 60 and self.chance(0.5):
            frame += b"\0" * (60 - len(frame))  # padded to Ethernet's minimum
        return frame

    def frame(self):
        f = bytearray(self.ether())
        if self.chance(0.08):
            for _ in range(self.r.randint(1, 3)):
                i = self.r.randrange(len(f))
                f[i] ^= 1 << self.r.randint(0, 7)
        f = bytes(f[:2048])
        cap = len(f)
        if self.chance(0.08):
            cap = self.r.randint(14, len(f))
        return f, cap


def main(argv):
    seed, count, out = 1, 2000, None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "-s" and args:
            seed = int(args.pop(0))
        elif a == "-n" and args:
            count = int(args.pop(0))
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif out is None and not a.startswith("-"):
            out = a
        else:
            sys.stderr.write("randframes.py: unknown argument '%s' (see --help)\n" % a)
            return 2
    if out is None:
        sys.stderr.write("randframes.py: no output file given (see --help)\n")
        return 2
    g = Gen(seed)
    with open(out, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 2048, 1))
        for i in range(count):
            f, cap = g.frame()
            fh.write(struct.pack("<IIII", 1700000000 + i, 0, cap, len(f)) + f[:cap])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
