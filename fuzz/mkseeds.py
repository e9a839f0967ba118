#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""fuzz/mkseeds.py - writes the seed folders fuzz/seeds/<target>/.

Splits the frames out of the pcap and pcapng captures of the tcpdump corpus
(default: ../shared/corpus/tcpdump beside the source tree) and of the
captures bundled in tests/data, keeps one small
frame per distinct shape (link type, VLAN tags, ethertype, IP version and
options, extension headers, protocol, port class, ICMP type, TCP options),
adds hand-built fixtures in the style of the unit tests, and writes per target:

  views    the frames themselves (Ethernet), and some as raw IP packets
  setters  a 65-byte block of setter values (see fuzz_setters.c) + a frame
  parse    one link-type selector byte (see fuzz_parse.c) + a frame
  pcap     small capture files: the first few distinct packets of a capture

File names are the SHA-1 of the contents, so reruns are idempotent; files
named afl-* (inputs afl-fuzz found and that were kept as seeds) are left.

Usage: fuzz/mkseeds.py [--corpus DIR] [--out fuzz/seeds] [--max N]
"""
import argparse
import hashlib
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Link types, as fuzz_parse.c's selector table orders them.
PARSE_LINKTYPES = [1, 12, 14, 101, 228, 229, 0, 108, 113, 276]


# ---------------------------------------------------------------- reading captures

def read_pcap(data):
    """Yields (linktype, frame) from a classic pcap, or nothing."""
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return
    lt = struct.unpack(e + 'I', data[20:24])[0] & 0xffff
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        if incl > 262144 or off + incl > len(data):
            return
        yield lt, data[off:off + incl]
        off += incl


def read_pcapng(data):
    """Yields (linktype, frame) from the enhanced and simple packet blocks of a pcapng."""
    off, e, ifaces = 0, '<', []
    while off + 12 <= len(data):
        btype = struct.unpack(e + 'I', data[off:off + 4])[0]
        if btype == 0x0a0d0d0a:
            bom = data[off + 8:off + 12]
            e = '<' if bom == b'\x4d\x3c\x2b\x1a' else '>'
            ifaces = []
        blen = struct.unpack(e + 'I', data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 8:
            ifaces.append(struct.unpack(e + 'H', body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, cap, _ = struct.unpack(e + 'IIIII', body[:20])
            if iface < len(ifaces):
                yield ifaces[iface], body[20:20 + cap]
        elif btype == 3 and len(body) >= 4 and ifaces:
            yield ifaces[0], body[4:]
        off += blen


def read_capture(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        return list(read_pcapng(data))
    return list(read_pcap(data))


# ---------------------------------------------------------------- shapes

def port_class(p):
    if p in (53, 67, 68, 123, 161, 500, 4500, 4789, 6081, 5353, 443, 80, 22, 179, 646, 1701, 2152, 3784, 4784):
        return p
    return 'hi' if p >= 1024 else 'lo'


def shape_l4(proto, b):
    if proto == 6 and len(b) >= 20:
        doff = (b[12] >> 4) * 4
        kinds = []
        i = 20
        while i < min(doff, len(b)):
            k = b[i]
            kinds.append(k)
            if k in (0, 1):
                i += 1
                continue
            if i + 1 >= len(b) or b[i + 1] < 2:
                break
            i += b[i + 1]
        return ('tcp', doff, tuple(sorted(set(kinds))), b[13] & 0x17,
                port_class(min(struct.unpack('>HH', b[:4]))))
    if proto == 17 and len(b) >= 8:
        s, d = struct.unpack('>HH', b[:4])
        return ('udp', port_class(d), port_class(s), b[6:8] == b'\0\0')
    if proto in (1, 58) and len(b) >= 2:
        return ('icmp', proto, b[0], b[1] if b[0] < 20 else 0)
    return ('proto', proto)


def shape_ip(b):
    if not b:
        return ('empty',)
    v = b[0] >> 4
    if v == 4 and len(b) >= 20:
        ihl = (b[0] & 15) * 4
        frag = struct.unpack('>H', b[6:8])[0]
        return ('ip4', ihl > 20, bool(frag & 0x3fff), frag & 0x1fff == 0 and shape_l4(b[9], b[ihl:]))
    if v == 6 and len(b) >= 40:
        nh, off, chain = b[6], 40, []
        while nh in (0, 43, 44, 51, 60) and off + 2 <= len(b) and len(chain) < 8:
            chain.append(nh)
            n2 = b[off]
            off += 8 if nh == 44 else ((b[off + 1] + 2) * 4 if nh == 51 else (b[off + 1] + 1) * 8)
            nh = n2
        return ('ip6', tuple(chain), shape_l4(nh, b[off:]))
    return ('ipv?', v)


def shape_eth(f):
    if len(f) < 14:
        return ('short',)
    off, tags = 12, 0
    t = struct.unpack('>H', f[off:off + 2])[0]
    while t in (0x8100, 0x88a8, 0x9100) and off + 6 <= len(f):
        off += 4
        tags += 1
        t = struct.unpack('>H', f[off:off + 2])[0]
    pl = f[off + 2:]
    if t == 0x0800 or t == 0x86dd:
        return ('eth', tags, shape_ip(pl))
    if t < 0x600:
        return ('eth', tags, '802.3', pl[:2])
    return ('eth', tags, t)


def eth_payload(f):
    """The frame's IP packet, when it is Ethernet carrying IP, else None."""
    if len(f) < 14:
        return None
    off = 12
    t = struct.unpack('>H', f[off:off + 2])[0]
    while t in (0x8100, 0x88a8, 0x9100) and off + 6 <= len(f):
        off += 4
        t = struct.unpack('>H', f[off:off + 2])[0]
    return f[off + 2:] if t in (0x0800, 0x86dd) else None


# ---------------------------------------------------------------- fixtures

def csum(b):
    if len(b) & 1:
        b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(proto, payload, src=b'\x0a\0\0\x01', dst=b'\x0a\0\0\x02', opts=b'', frag=0x4000, ttl=64):
    ihl = (20 + len(opts)) // 4
    h = struct.pack('>BBHHHBBH4s4s', 0x40 | ihl, 0, 20 + len(opts) + len(payload), 0x1234, frag, ttl, proto, 0,
                    src, dst) + opts
    h = h[:10] + struct.pack('>H', csum(h)) + h[12:]
    return h + payload


def ipv6(nh, payload, exts=b'', src=b'\x20\x01\x0d\xb8' + b'\0' * 11 + b'\x01',
         dst=b'\x20\x01\x0d\xb8' + b'\0' * 11 + b'\x02'):
    return struct.pack('>IHBB16s16s', 0x60000000, len(exts) + len(payload), nh, 64, src, dst) + exts + payload


def pseudo4(src, dst, proto, n):
    return src + dst + struct.pack('>BBH', 0, proto, n)


def pseudo6(src, dst, proto, n):
    return src + dst + struct.pack('>IxxxB', n, proto)


def tcp(payload=b'', opts=b'', flags=0x18, sport=43210, dport=80):
    doff = (20 + len(opts)) // 4
    return struct.pack('>HHIIBBHHH', sport, dport, 1000, 2000, doff << 4, flags, 65535, 0, 0) + opts + payload


def udp(payload=b'', sport=5353, dport=53):
    return struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload


def with_l4_csum(seg, off, ph):
    c = csum(ph + seg)
    return seg[:off] + struct.pack('>H', c or 0xffff) + seg[off + 2:]


def eth(t, payload, tags=()):
    h = b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01'
    for tpid, vid in tags:
        h += struct.pack('>HH', tpid, vid)
    return h + struct.pack('>H', t) + payload


def fixtures():
    s4, d4 = b'\x0a\0\0\x01', b'\x0a\0\0\x02'
    s6 = b'\x20\x01\x0d\xb8' + b'\0' * 11 + b'\x01'
    d6 = b'\x20\x01\x0d\xb8' + b'\0' * 11 + b'\x02'
    out = []
    # TCP SYN with every option zc_tcp_options() decodes.
    opts = (b'\x02\x04\x05\xb4' + b'\x01\x03\x03\x07' + b'\x04\x02' + b'\x08\x0a' + b'\0\0\0\1\0\0\0\2' +
            b'\x01\x01\x05\x0a' + b'\0\0\0\1\0\0\0\2' + b'\0\0')
    seg = tcp(b'', opts, 0x02)
    seg = with_l4_csum(seg, 16, pseudo4(s4, d4, 6, len(seg)))
    out.append(eth(0x0800, ipv4(6, seg)))
    # TCP with data, and with a malformed option.
    seg = tcp(b'GET / HTTP/1.0\r\n\r\n')
    out.append(eth(0x0800, ipv4(6, with_l4_csum(seg, 16, pseudo4(s4, d4, 6, len(seg))))))
    out.append(eth(0x0800, ipv4(6, tcp(b'x', b'\x02\x07\x05\xb4'))))
    # IPv4 options: record route, router alert, NOP, EOL.
    out.append(eth(0x0800, ipv4(17, udp(b'hello'), opts=b'\x07\x07\x04\0\0\0\0\x94\x04\0\0\x01\0\0\0')))
    # UDP with checksum 0 and a filled one; DNS and an odd length.
    out.append(eth(0x0800, ipv4(17, udp(b'\x12\x34\x01\x00\x00\x01'))))
    seg = udp(b'odd')
    out.append(eth(0x0800, ipv4(17, with_l4_csum(seg, 6, pseudo4(s4, d4, 17, len(seg))))))
    # Fragments: first (MF) and a later one.
    out.append(eth(0x0800, ipv4(17, udp(b'A' * 16), frag=0x2000)))
    out.append(eth(0x0800, ipv4(17, b'B' * 16, frag=0x0003)))
    # A first fragment whose UDP length (or TCP header) runs past it: cut by design, no error.
    out.append(eth(0x0800, ipv4(17, struct.pack('>HHHH', 5000, 53, 3000, 0) + b'F' * 32, frag=0x2000)))
    out.append(eth(0x0800, ipv4(6, tcp(b'')[:12], frag=0x2000)))
    out.append(eth(0x86dd, ipv6(44, struct.pack('>HHHH', 5000, 53, 3000, 0) + b'G' * 24,
                                bytes([17, 0, 0, 1, 0, 0, 0, 5]))))
    # ICMP echo and an error quoting a TCP segment.
    echo = b'\x08\0\0\0\x12\x34\0\x01' + b'ping'
    echo = echo[:2] + struct.pack('>H', csum(echo)) + echo[4:]
    out.append(eth(0x0800, ipv4(1, echo)))
    quote = ipv4(6, tcp(b'data'))[:28]
    out.append(eth(0x0800, ipv4(1, b'\x03\x04\0\0\0\0\x05\xdc' + quote)))
    # VLAN, QinQ, and too many tags.
    out.append(eth(0x0800, ipv4(17, udp(b'v')), tags=((0x8100, 100),)))
    out.append(eth(0x86dd, ipv6(17, udp(b'q')), tags=((0x88a8, 10), (0x8100, 20))))
    out.append(eth(0x0800, b'', tags=((0x8100, 1),) * 5))
    # ARP request.
    out.append(eth(0x0806, struct.pack('>HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, b'\x02\0\0\0\0\x01', s4, b'\0' * 6, d4)))
    # IPv6 with a chain of every extension header walked, then UDP.
    hop = bytes([43, 0, 5, 2, 0, 0, 1, 0])             # hop-by-hop: router alert + PadN
    rt = bytes([44, 2, 0, 1, 0, 0, 0, 0]) + d6          # routing type 0, one address
    frag = bytes([60, 0, 0, 0, 0, 0, 0, 7])             # atomic fragment
    dst = bytes([51, 0, 1, 4, 0, 0, 0, 0])              # destination options: PadN
    ah = bytes([17, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) + b'\0' * 12  # AH, 24 bytes
    u = udp(b'six')
    u = with_l4_csum(u, 6, pseudo6(s6, d6, 17, len(u)))
    out.append(eth(0x86dd, ipv6(0, u, hop + rt + frag + dst + ah)))
    # IPv6 later fragment, and a first fragment with TCP.
    out.append(eth(0x86dd, ipv6(44, b'C' * 16, bytes([6, 0, 0, 0x10, 0, 0, 0, 9]))))
    seg = tcp(b'frag')
    out.append(eth(0x86dd, ipv6(44, seg, bytes([6, 0, 0, 1, 0, 0, 0, 9]))))
    # ICMPv6: neighbour solicitation with a source link-layer option, echo, and an error quote.
    ns = b'\x87\0\0\0\0\0\0\0' + d6 + b'\x01\x01\x02\0\0\0\0\x01'
    ns = ns[:2] + struct.pack('>H', csum(pseudo6(s6, d6, 58, len(ns)) + ns)) + ns[4:]
    out.append(eth(0x86dd, ipv6(58, ns)))
    out.append(eth(0x86dd, ipv6(58, b'\x88\0\0\0\xe0\0\0\0' + d6 + b'\x02\x01\x02\0\0\0\0\x02\x05\x00')))
    out.append(eth(0x86dd, ipv6(58, b'\x80\0\0\0\0\x01\0\x01' + b'echo')))
    out.append(eth(0x86dd, ipv6(58, b'\x01\x04\0\0\0\0\0\0' + ipv6(17, udp(b'quoted'))[:48])))
    # Tunnels: VXLAN, Geneve, IPv4-in-IPv4, IPv6-in-IPv4, GRE.
    inner = eth(0x0800, ipv4(6, tcp(b'inner')))
    out.append(eth(0x0800, ipv4(17, udp(b'\x08\0\0\0\0\0\x01\0' + inner, 40000, 4789))))
    out.append(eth(0x0800, ipv4(17, udp(b'\x01\0\x65\x58\0\0\x01\0' + b'\x01\x02\x03\x01\0\0\0\0' + inner,
                                        40000, 6081))))
    out.append(eth(0x0800, ipv4(4, ipv4(17, udp(b'ipip')))))
    out.append(eth(0x0800, ipv4(41, ipv6(58, b'\x80\0\0\0\0\x01\0\x01'))))
    out.append(eth(0x0800, ipv4(47, b'\x20\0\x08\0\0\0\0\x2a' + ipv4(17, udp(b'gre')))))
    out.append(eth(0x0800, ipv4(47, b'\x30\0\x65\x58\0\0\0\x2a\0\0\0\x01' + inner)))
    # Cut and broken headers.
    out.append(eth(0x0800, ipv4(6, tcp(b'x' * 40))[:50]))
    out.append(eth(0x86dd, ipv6(6, tcp(b'y' * 40))[:70]))
    out.append(eth(0x0800, b'\x45\0\0\x10' + b'\0' * 16))
    out.append(eth(0x0800, b'\x46\0\0\x14' + b'\0' * 16))
    out.append(eth(0x86dd, ipv6(0, b'', bytes([0, 0]) * 2)))
    out.append(eth(0x86dd, ipv6(60, b'', bytes([60, 0, 1, 4, 0, 0, 0, 0]) * 9)))
    out.extend(source_routed())
    out.extend(bad_options())
    out.extend(inner_overruns())
    return out


def bad_options():
    """IPv6 hop-by-hop and destination options headers, well formed and not
    (RFC 8200 section 4.2): an option past the header, a type byte without
    its length, all Pad1, an unknown option whose action is "discard"."""
    out = []
    seg = tcp(b'', flags=0x02, sport=1, dport=2)
    for nh in (60, 0):
        out.append(eth(0x86dd, ipv6(nh, seg, bytes([6, 0, 1, 0x28, 0, 0, 0, 0]))))
        out.append(eth(0x86dd, ipv6(nh, seg, bytes([6, 0, 1, 5, 0, 0, 0, 0]))))
        out.append(eth(0x86dd, ipv6(nh, seg, bytes([6, 0, 1, 2, 0, 0, 0, 7]))))
    out.append(eth(0x86dd, ipv6(60, udp(b'pad1'), bytes([17, 0, 0, 0, 0, 0, 0, 0]))))
    out.append(eth(0x86dd, ipv6(0, udp(b'skip'), bytes([60, 0, 0x9e, 4, 1, 2, 3, 4]) +
                                bytes([17, 1]) + bytes([1, 12]) + b'\0' * 12)))
    # UDP over IPv6 with a checksum of 0, which RFC 8200 section 8.1 forbids.
    out.append(eth(0x86dd, ipv6(17, udp(b'zero'))))
    return out


def set_len(ip, n):
    """ip (an IPv4 or IPv6 packet) with its length field claiming n bytes."""
    h = bytearray(ip)
    if h[0] >> 4 == 6:
        h[4:6] = struct.pack('>H', n - 40)
        return bytes(h)
    h[2:4] = struct.pack('>H', n)
    h[10:12] = b'\0\0'
    h[10:12] = struct.pack('>H', csum(bytes(h[:20])))
    return bytes(h)


def inner_overruns():
    """Inner packets 10 bytes longer than the VXLAN datagram, GRE, IPv4 or
    IPv6 packet that carries them, whole (invalid) and cut by the capture
    (truncated); a TCP header longer than its datagram; an offload
    super-packet (total length 0) cut inside its TCP header."""
    out = []
    i4 = ipv4(6, tcp(b''))
    inner = eth(0x0800, set_len(i4, len(i4) + 10))
    out.append(eth(0x0800, ipv4(17, udp(b'\x08\0\0\0\0\0\x01\0' + inner, 40000, 4789))))
    u4 = ipv4(17, udp(b'in'))
    u6 = ipv6(17, udp(b'in'))
    out.append(eth(0x0800, ipv4(47, b'\0\0\x08\0' + set_len(u4, len(u4) + 10))))
    out.append(eth(0x0800, ipv4(4, set_len(u4, len(u4) + 10))))
    out.append(eth(0x0800, ipv4(41, set_len(u6, len(u6) + 10))))
    out.append(eth(0x86dd, ipv6(4, set_len(u4, len(u4) + 10))))
    out.extend([f[:-4] for f in out])
    out.append(eth(0x0800, ipv4(6, b'\0' * 10)))
    out.append(eth(0x0800, set_len(ipv4(6, tcp(b'')), 0))[:-6])
    return out


def source_routed():
    """IPv4 source routes (LSRR with an address left, SSRR done) over TCP whose
    pseudo-header holds the final destination."""
    s4, hop, final = b'\x0a\0\0\x01', b'\xc6\x33\x64\x01', b'\xcb\0\x71\x09'
    out = []
    for kind, ptr, ph_dst in ((0x83, 4, final), (0x89, 12, hop)):
        seg = tcp(b'routed', flags=0x18)
        seg = with_l4_csum(seg, 16, pseudo4(s4, ph_dst, 6, len(seg)))
        opts = b'\x01' + bytes([kind, 11, ptr]) + b'\xcb\0\x71\x05' + final
        out.append(eth(0x0800, ipv4(6, seg, src=s4, dst=hop, opts=opts)))
    return out


# ---------------------------------------------------------------- writing

def write_set(folder, items):
    """Replaces the folder's seeds with items; afl-* files (kept fuzzer finds) stay."""
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if not name.startswith('afl-') and not name.startswith('.'):
            os.remove(os.path.join(folder, name))
    for b in items:
        name = hashlib.sha1(b).hexdigest()[:16]
        with open(os.path.join(folder, name), 'wb') as f:
            f.write(b)


def pcap_file(linktype, frames, snaplen=65535):
    out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)
    for i, fr in enumerate(frames):
        out += struct.pack('<IIII', 1700000000 + i, i, len(fr), len(fr)) + fr
    return out


def pick(groups, limit, rng):
    """One frame per shape (the smallest), then round-robin extras, up to limit."""
    keys = sorted(groups, key=repr)
    rng.shuffle(keys)
    chosen = []
    for k in keys:
        chosen.append(min(groups[k], key=len))
    return sorted(chosen, key=len)[:limit] if len(chosen) > limit else chosen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus', default=os.path.join(HERE, '..', '..', 'shared', 'corpus', 'tcpdump'))
    ap.add_argument('--data', default=os.path.join(HERE, '..', 'tests', 'data'),
                    help='captures bundled with the tests, read as well')
    ap.add_argument('--out', default=os.path.join(HERE, 'seeds'))
    ap.add_argument('--max', type=int, default=240, help='seeds per target from captures')
    ap.add_argument('--max-frame', type=int, default=1600)
    a = ap.parse_args()
    rng = random.Random(4)

    eth_groups, other_groups, pcap_groups, seen = {}, {}, {}, set()
    paths = [os.path.join(a.corpus, n) for n in sorted(os.listdir(a.corpus))]
    if os.path.isdir(a.data):
        paths += [os.path.join(a.data, n) for n in sorted(os.listdir(a.data)) if n.endswith(('.pcap', '.pcapng'))]
    for path in paths:
        try:
            pkts = read_capture(path)
        except (OSError, struct.error):
            continue
        distinct = []
        for lt, fr in pkts:
            h = hashlib.sha1(bytes([lt & 0xff]) + fr).digest()
            if h in seen or len(fr) > a.max_frame or not fr:
                continue
            seen.add(h)
            distinct.append(fr)
            if lt == 1:
                eth_groups.setdefault(shape_eth(fr), []).append(fr)
            elif lt in PARSE_LINKTYPES:
                other_groups.setdefault((lt, len(fr) // 64), []).append((lt, fr))
        # A small capture of this file's first few distinct packets, per link type.
        if pkts and distinct:
            lt = pkts[0][0]
            pcap_groups.setdefault((lt, shape_eth(distinct[0]) if lt == 1 else len(distinct[0]) // 128),
                                   []).append(pcap_file(lt, distinct[:4]))

    frames = pick(eth_groups, a.max, rng)
    fx = fixtures()
    print('captures: %d distinct Ethernet shapes, %d other link-type groups, %d capture shapes' %
          (len(eth_groups), len(other_groups), len(pcap_groups)))

    # views: frames, fixtures, and raw IP packets cut out of some of them.
    raw = [p for p in (eth_payload(f) for f in frames + fx) if p]
    write_set(os.path.join(a.out, 'views'), frames + fx + raw[::3])

    # setters: value block + frame, control byte cycling through raw/fill/lax.
    items = []
    for i, f in enumerate(frames + fx):
        ctl = i % 8
        body = f
        if ctl & 1:
            body = eth_payload(f)
            if body is None:
                ctl &= ~1
                body = f
        vals = bytes([ctl]) + bytes(rng.randrange(256) for _ in range(64))
        items.append(vals + body)
    write_set(os.path.join(a.out, 'setters'), items)

    # parse: selector byte + frame, for every link type the corpus has.
    items = [bytes([PARSE_LINKTYPES.index(1)]) + f for f in frames + fx]
    others = pick(other_groups, 80, rng)
    for lt, fr in others:
        items.append(bytes([PARSE_LINKTYPES.index(lt)]) + fr)
    for f in fx:
        p = eth_payload(f)
        if p:
            items.append(bytes([PARSE_LINKTYPES.index(101)]) + p)
    write_set(os.path.join(a.out, 'parse'), items)

    # pcap: small captures, plus the fixtures as one Ethernet capture and one raw IP capture.
    caps = [min(g, key=len) for g in pcap_groups.values()]
    caps = sorted(caps, key=len)[:a.max]
    caps.append(pcap_file(1, fx))
    caps.append(pcap_file(101, [p for p in (eth_payload(f) for f in fx) if p]))
    caps.append(pcap_file(1, fx[:3], snaplen=60))
    write_set(os.path.join(a.out, 'pcap'), caps)

    total = 0
    for t in ('views', 'setters', 'parse', 'pcap'):
        d = os.path.join(a.out, t)
        n = len(os.listdir(d))
        sz = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))
        total += sz
        print('%-8s %4d seeds, %7d bytes' % (t, n, sz))
    print('total    %d bytes' % total)
    return 0


if __name__ == '__main__':
    sys.exit(main())
