#!/usr/bin/env python3
"""Structural check of an ICC v2/v4 RGB matrix/TRC display profile.

A second, independent reading of the profile sohoa generates (icc.go):
the header fields, the tag table (every element inside the profile,
4-byte aligned, after the table), the tags a v2 display profile needs
with the right element types, and the colorant values (they must add up
to the D50 white). Prints a summary; exits 1 with a message on the first
problem. Standard library only.
"""
import struct
import sys


def fail(msg):
    print("icccheck: " + msg, file=sys.stderr)
    sys.exit(1)


def s15f16(b):
    return struct.unpack(">i", b)[0] / 65536.0


def main(path):
    p = open(path, "rb").read()
    if len(p) < 132:
        fail("shorter than a header and tag count")
    size, = struct.unpack(">I", p[0:4])
    if size != len(p):
        fail("header size %d, file %d bytes" % (size, len(p)))
    if p[36:40] != b"acsp":
        fail("no 'acsp' signature")
    major = p[8]
    if major not in (2, 4):
        fail("version %d.%d" % (p[8], p[9] >> 4))
    if p[12:16] != b"mntr" or p[16:20] != b"RGB " or p[20:24] != b"XYZ ":
        fail("class/colour space/PCS %r %r %r" % (p[12:16], p[16:20], p[20:24]))
    ill = [s15f16(p[68 + 4 * i:72 + 4 * i]) for i in range(3)]
    if p[68:80] != bytes.fromhex("0000f6d6 00010000 0000d32d".replace(" ", "")):
        fail("PCS illuminant %r is not D50" % ill)
    year, month, day = struct.unpack(">HHH", p[24:30])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        fail("bad date %d-%d-%d" % (year, month, day))

    n, = struct.unpack(">I", p[128:132])
    table_end = 132 + 12 * n
    if table_end > len(p):
        fail("tag table of %d entries overruns the profile" % n)
    tags = {}
    for i in range(n):
        sig, off, sz = struct.unpack(">4sII", p[132 + 12 * i:144 + 12 * i])
        sig = sig.decode("latin-1")
        if sig in tags:
            fail("tag %s twice" % sig)
        if off < table_end or off + sz > len(p) or off % 4 != 0 or sz < 8:
            fail("tag %s at %d+%d is outside the data area or misaligned" % (sig, off, sz))
        tags[sig] = p[off:off + sz]

    want = {"desc": b"desc", "cprt": b"text", "wtpt": b"XYZ ", "rXYZ": b"XYZ ", "gXYZ": b"XYZ ",
            "bXYZ": b"XYZ ", "rTRC": b"curv", "gTRC": b"curv", "bTRC": b"curv"}
    for sig, typ in want.items():
        if sig not in tags:
            fail("required tag %s missing" % sig)
        if tags[sig][:4] != typ:
            fail("tag %s has type %r, want %r" % (sig, tags[sig][:4], typ))

    d = tags["desc"]
    count, = struct.unpack(">I", d[8:12])
    if 12 + count + 8 + 3 + 67 > len(d) or d[12 + count - 1] != 0:
        fail("desc: ASCII count %d does not fit or is not NUL-terminated" % count)
    desc = d[12:12 + count - 1].decode("ascii")
    if tags["cprt"][-1] != 0:
        fail("cprt not NUL-terminated")

    xyz = {}
    for sig in ("wtpt", "rXYZ", "gXYZ", "bXYZ"):
        t = tags[sig]
        if len(t) != 20:
            fail("%s: %d bytes, want 20" % (sig, len(t)))
        xyz[sig] = [s15f16(t[8 + 4 * i:12 + 4 * i]) for i in range(3)]
    total = [xyz["rXYZ"][i] + xyz["gXYZ"][i] + xyz["bXYZ"][i] for i in range(3)]
    for i, (a, b) in enumerate(zip(total, [0.9642, 1.0, 0.8249])):
        if abs(a - b) > 0.001:
            fail("colorants add up to %r, not D50" % total)

    for sig in ("rTRC", "gTRC", "bTRC"):
        t = tags[sig]
        cnt, = struct.unpack(">I", t[8:12])
        if 12 + 2 * cnt > len(t) or cnt < 2:
            fail("%s: %d entries do not fit" % (sig, cnt))
        v = struct.unpack(">%dH" % cnt, t[12:12 + 2 * cnt])
        if v[0] != 0 or v[-1] != 65535 or any(b < a for a, b in zip(v, v[1:])):
            fail("%s: curve not monotonic from 0 to 65535" % sig)

    print("ok: %s, v%d.%d %s, %d bytes, %d tags, rXYZ %s, curve %d entries" % (
        desc, p[8], p[9] >> 4, p[12:16].decode(), len(p), n,
        " ".join("%.4f" % c for c in xyz["rXYZ"]), cnt))


if __name__ == "__main__":
    main(sys.argv[1])
