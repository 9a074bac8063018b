#!/usr/bin/env python3
"""Validate a BagIt bag against RFC 8493 (The BagIt File Packaging Format, V1.0).

Usage: validate_bag.py [--strict] BAG

BAG is a bag directory or a zip serialization of one. Exit status 0: the bag
is valid (prints "valid: BAG"); 1: it is not (each problem on stderr);
2: usage error.

Written from the RFC alone, as a second, independent reading path for the
tests of export/bagit (which write bags in Go). Standard library only.

Checks (RFC 8493 sections in brackets):
- bagit.txt exists, is UTF-8 without a BOM, and holds exactly the lines
  "BagIt-Version: M.N" and "Tag-File-Character-Encoding: ENCODING", in that
  order [2.1.1]; M.N must be 1.0, the version this script knows.
- the payload directory data/ exists [2.1.2].
- at least one payload manifest manifest-ALG.txt exists [2.1.3]; every line
  is "checksum<whitespace>filepath", the filepath relative to the bag with
  "/" separators, CR, LF and % percent-encoded, inside data/, not a
  directory, listed once; every listed file exists with that checksum; every
  file under data/ is listed in every payload manifest [2.1.3, 3].
- fetch.txt is refused: this script checks complete bags only [2.2.3].
- bag-info.txt, if present, is "Label: value" lines with continuation lines
  starting with whitespace; labels have no colon and no surrounding
  whitespace; Payload-Oxum, Bagging-Date, Bag-Size and Bag-Count appear at
  most once; Payload-Oxum "octets.streams" matches the payload; Bagging-Date
  is YYYY-MM-DD [2.2.2, 3].
- every tag manifest tagmanifest-ALG.txt lists only tag files (nothing
  under data/), each existing with that checksum [2.2.1].
- a zip must hold a single top-level directory, the bag's base directory,
  with no absolute or ".." entries [4.2].

--strict adds what sohoa promises beyond the RFC's MUSTs: bag-info.txt
exists with a Payload-Oxum, and a tag manifest exists that lists bagit.txt,
bag-info.txt and every payload manifest.
"""

import hashlib
import os
import re
import sys
import tempfile
import zipfile

ALGORITHMS = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}
NON_REPEATABLE = {"payload-oxum", "bagging-date", "bag-size", "bag-count"}


class Problems:
    def __init__(self):
        self.items = []

    def add(self, msg):
        self.items.append(msg)


def split_lines(text):
    """Lines ended by LF, CR or CRLF; no trailing empty line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text(path, encoding, problems, name):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(f"{name}: starts with a byte order mark")
        raw = raw[3:]
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as e:
        problems.add(f"{name}: not readable as {encoding}: {e}")
        return None


def check_bagit_txt(base, problems):
    path = os.path.join(base, "bagit.txt")
    if not os.path.isfile(path):
        problems.add("bagit.txt: missing")
        return "utf-8"
    text = read_text(path, "utf-8", problems, "bagit.txt")
    if text is None:
        return "utf-8"
    lines = split_lines(text)
    if len(lines) != 2:
        problems.add(f"bagit.txt: {len(lines)} lines, want exactly 2")
        return "utf-8"
    m = re.fullmatch(r"BagIt-Version: (\d+)\.(\d+)", lines[0])
    if not m:
        problems.add(f"bagit.txt: first line {lines[0]!r} is not 'BagIt-Version: M.N'")
    elif (m.group(1), m.group(2)) != ("1", "0"):
        problems.add(f"bagit.txt: BagIt version {m.group(1)}.{m.group(2)}, this validator knows 1.0")
    m = re.fullmatch(r"Tag-File-Character-Encoding: (\S+)", lines[1])
    if not m:
        problems.add(f"bagit.txt: second line {lines[1]!r} is not 'Tag-File-Character-Encoding: ENCODING'")
        return "utf-8"
    return m.group(1)


def decode_filepath(p):
    # Only %0A, %0D and %25 are encoded [2.1.3]; decode them in one pass.
    return re.sub(r"%(0[aAdD]|25)", lambda m: {"0a": "\n", "0d": "\r", "25": "%"}[m.group(1).lower()], p)


def parse_manifest(base, name, encoding, problems):
    """Returns {filepath: checksum} of a (tag) manifest."""
    text = read_text(os.path.join(base, name), encoding, problems, name)
    entries = {}
    if text is None:
        return entries
    for no, line in enumerate(split_lines(text), 1):
        m = re.fullmatch(r"([0-9A-Fa-f]+)[ \t]+(.+)", line)
        if not m:
            problems.add(f"{name}:{no}: not 'checksum filepath': {line!r}")
            continue
        checksum, path = m.group(1).lower(), decode_filepath(m.group(2))
        if "\\" in path:
            problems.add(f"{name}:{no}: {path!r} uses a backslash, not '/'")
        segments = path.split("/")
        if path.startswith("/") or ".." in segments or "." in segments or "" in segments:
            problems.add(f"{name}:{no}: {path!r} is not a plain relative path")
            continue
        if path in entries:
            problems.add(f"{name}:{no}: {path!r} listed more than once")
        entries[path] = checksum
    return entries


def file_digest(path, algorithm):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def payload_files(base):
    """Every file under data/, as bag-relative '/' paths, with sizes."""
    files = {}
    root = os.path.join(base, "data")
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            files[rel] = os.path.getsize(full)
    return files


def check_manifest_entries(base, name, algorithm, entries, problems):
    for path, checksum in entries.items():
        full = os.path.join(base, *path.split("/"))
        if os.path.isdir(full):
            problems.add(f"{name}: {path!r} is a directory")
        elif not os.path.isfile(full):
            problems.add(f"{name}: {path!r} is listed but missing")
        elif file_digest(full, algorithm) != checksum:
            problems.add(f"{name}: {path!r} does not match its {algorithm} checksum")


def parse_bag_info(base, encoding, problems):
    """Returns [(label, value)] of bag-info.txt."""
    text = read_text(os.path.join(base, "bag-info.txt"), encoding, problems, "bag-info.txt")
    elements = []
    if text is None:
        return elements
    for no, line in enumerate(split_lines(text), 1):
        if line[:1] in (" ", "\t"):
            if not elements:
                problems.add(f"bag-info.txt:{no}: continuation line before any element")
                continue
            label, value = elements[-1]
            # Folded value: the line break stays (as a space here), the
            # indentation is padding [2.2.2].
            elements[-1] = (label, value + " " + line.lstrip(" \t"))
            continue
        m = re.fullmatch(r"([^:]+):[ \t](.*)", line)
        if not m:
            problems.add(f"bag-info.txt:{no}: not 'Label: value': {line!r}")
            continue
        label = m.group(1)
        if label != label.strip():
            problems.add(f"bag-info.txt:{no}: label {label!r} starts or ends with whitespace")
        elements.append((label, m.group(2)))
    return elements


def check_bag_info(base, encoding, payload, strict, problems):
    if not os.path.isfile(os.path.join(base, "bag-info.txt")):
        if strict:
            problems.add("bag-info.txt: missing")
        return
    elements = parse_bag_info(base, encoding, problems)
    seen = {}
    for label, value in elements:
        key = label.lower()
        seen.setdefault(key, []).append(value)
    for key in NON_REPEATABLE:
        if len(seen.get(key, [])) > 1:
            problems.add(f"bag-info.txt: {key} appears {len(seen[key])} times")
    oxum = seen.get("payload-oxum")
    if oxum:
        m = re.fullmatch(r"(\d+)\.(\d+)", oxum[0].strip())
        if not m:
            problems.add(f"bag-info.txt: Payload-Oxum {oxum[0]!r} is not 'octets.streams'")
        else:
            octets, streams = int(m.group(1)), int(m.group(2))
            want = (sum(payload.values()), len(payload))
            if (octets, streams) != want:
                problems.add(f"bag-info.txt: Payload-Oxum {octets}.{streams}, the payload is {want[0]}.{want[1]}")
    elif strict:
        problems.add("bag-info.txt: no Payload-Oxum")
    for date in seen.get("bagging-date", []):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
            problems.add(f"bag-info.txt: Bagging-Date {date!r} is not YYYY-MM-DD")


def validate_dir(base, strict):
    problems = Problems()
    encoding = check_bagit_txt(base, problems)
    if not os.path.isdir(os.path.join(base, "data")):
        problems.add("data/: missing")
        return problems.items
    if os.path.exists(os.path.join(base, "fetch.txt")):
        problems.add("fetch.txt: present; only complete bags are checked")

    top = sorted(os.listdir(base))
    manifests, tag_manifests = [], []
    for name in top:
        m = re.fullmatch(r"(tag)?manifest-([a-z0-9]+)\.txt", name)
        if not m:
            continue
        algorithm = ALGORITHMS.get(m.group(2))
        if algorithm is None:
            problems.add(f"{name}: unknown algorithm {m.group(2)!r}")
            continue
        (tag_manifests if m.group(1) else manifests).append((name, algorithm))
    if not manifests:
        problems.add("no payload manifest (manifest-ALGORITHM.txt)")

    payload = payload_files(base)
    for name, algorithm in manifests:
        entries = parse_manifest(base, name, encoding, problems)
        for path in entries:
            if not path.startswith("data/"):
                problems.add(f"{name}: {path!r} is outside the payload directory")
        check_manifest_entries(base, name, algorithm, {p: c for p, c in entries.items() if p.startswith("data/")}, problems)
        for path in sorted(set(payload) - set(entries)):
            problems.add(f"{name}: payload file {path!r} is not listed")

    check_bag_info(base, encoding, payload, strict, problems)

    listed_tags = set()
    for name, algorithm in tag_manifests:
        entries = parse_manifest(base, name, encoding, problems)
        for path in entries:
            if path.startswith("data/"):
                problems.add(f"{name}: lists payload file {path!r}")
        check_manifest_entries(base, name, algorithm, {p: c for p, c in entries.items() if not p.startswith("data/")}, problems)
        listed_tags |= set(entries)
    if strict:
        if not tag_manifests:
            problems.add("no tag manifest (tagmanifest-ALGORITHM.txt)")
        for name in ["bagit.txt", "bag-info.txt"] + [n for n, _ in manifests]:
            if tag_manifests and name not in listed_tags:
                problems.add(f"tag manifest: {name} is not listed")
    return problems.items


def validate_zip(path, strict):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        bad = z.testzip()
        if bad is not None:
            return [f"zip: entry {bad!r} is corrupt"]
        for n in names:
            segments = n.split("/")
            if n.startswith("/") or "\\" in n or ".." in segments:
                return [f"zip: unsafe entry name {n!r}"]
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1 or not all("/" in n for n in names):
            return [f"zip: {len(tops)} top-level entries, want a single base directory"]
        with tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)
            return validate_dir(os.path.join(tmp, tops.pop()), strict)


def main(argv):
    args = [a for a in argv[1:] if a != "--strict"]
    strict = "--strict" in argv[1:]
    if len(args) != 1:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    bag = args[0]
    if os.path.isdir(bag):
        problems = validate_dir(bag, strict)
    elif zipfile.is_zipfile(bag):
        problems = validate_zip(bag, strict)
    else:
        problems = [f"{bag}: neither a directory nor a zip file"]
    if problems:
        for p in problems:
            print(f"invalid: {p}", file=sys.stderr)
        return 1
    print(f"valid: {bag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
