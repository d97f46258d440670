#!/usr/bin/env python3
"""outputcheck.py - every output medexport wrote parses with a real parser.

    python3 tests/outputcheck.py [-q] [--sniff] FILE|DIR...

Each file is checked by its extension (a directory: every file below it
with one of these extensions):

  .xml    expat (xml.etree.ElementTree): well-formed XML 1.0, which refuses
          bytes that are not UTF-8, control characters, U+FFFE and U+FFFF;
  .json   one JSON text in strict UTF-8 (json.loads);
  .jsonl  JSON Lines: every line one JSON text in strict UTF-8;
  .txt    strict UTF-8 (no surrogates), no non-character (U+FDD0..U+FDEF,
  .tree   U+xFFFE, U+xFFFF) and no control character but tab, newline and
          form feed: a terminal obeys those;
  .pdf    qpdf --check, when qpdf is installed.

--sniff: a file with none of these extensions (a captured standard output)
is checked as what its first bytes say: XML, JSON (JSON Lines when it has
several lines that each start with "{"), else text.  Files of other
extensions are skipped.  Prints each problem; exits 1 when there was one.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

NONCHAR = re.compile("[\ufdd0-\ufdef\ufffe\uffff"
                     "\U0001fffe\U0001ffff\U0002fffe\U0002ffff"
                     "\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                     "\U0005fffe\U0005ffff\U0006fffe\U0006ffff"
                     "\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                     "\U0009fffe\U0009ffff\U000afffe\U000affff"
                     "\U000bfffe\U000bffff\U000cfffe\U000cffff"
                     "\U000dfffe\U000dffff\U000efffe\U000effff"
                     "\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f]")
KINDS = (".xml", ".json", ".jsonl", ".txt", ".tree", ".pdf")


def check_text(raw):
    text = raw.decode("utf-8")  # strict: refuses surrogates too
    m = NONCHAR.search(text)
    if m:
        return "holds the non-character U+%04X" % ord(m.group())
    m = CONTROL.search(text)
    if m:
        return "holds the control character U+%04X" % ord(m.group())
    return None


def check_xml(raw):
    ET.fromstring(raw)
    return None


def check_json(raw):
    json.loads(raw.decode("utf-8"))
    return None


def check_jsonl(raw):
    if raw and not raw.endswith(b"\n"):
        return "does not end with a newline"
    for n, line in enumerate(raw.split(b"\n")[:-1], 1):
        try:
            json.loads(line.decode("utf-8"))
        except ValueError as e:
            return "line %d: %s" % (n, e)
    return None


def check_pdf(path):
    if shutil.which("qpdf") is None:
        return None
    r = subprocess.run(["qpdf", "--check", path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    # 3: warnings only (qpdf's own opinions); 2: errors.
    if r.returncode not in (0, 3):
        return "qpdf --check: " + r.stdout.decode("utf-8", "replace")[-300:]
    return None


def sniff(raw):
    head = raw.lstrip()[:5]
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return ".xml"
    if head.startswith(b"{"):
        lines = raw.split(b"\n")
        if len([l for l in lines if l.strip()]) > 1 and \
                all(l.startswith(b"{") for l in lines if l.strip()):
            return ".jsonl"
        return ".json"
    if raw.startswith(b"%PDF"):
        return ".pdf"
    return ".txt"


def check(path, do_sniff):
    ext = os.path.splitext(path)[1]
    if ext not in KINDS and not do_sniff:
        return None, False
    if ext == ".pdf":
        return check_pdf(path), True
    with open(path, "rb") as f:
        raw = f.read()
    if ext not in KINDS:
        if not raw:
            return None, False
        ext = sniff(raw)
        if ext == ".pdf":
            return check_pdf(path), True
    try:
        why = {".xml": check_xml, ".json": check_json,
               ".jsonl": check_jsonl}.get(ext, check_text)(raw)
    except (ValueError, ET.ParseError) as e:
        why = "%s: %s" % ("not well-formed XML" if ext == ".xml" else
                          "not " + ("JSON" if ext.startswith(".json")
                                    else "UTF-8"), e)
    return why, True


def main(argv):
    quiet = do_sniff = False
    paths = []
    for a in argv[1:]:
        if a == "-q":
            quiet = True
        elif a == "--sniff":
            do_sniff = True
        else:
            paths.append(a)
    files = []
    for p in paths:
        if os.path.isdir(p):
            for top, dirs, names in os.walk(p):
                dirs.sort()
                files += [os.path.join(top, n) for n in sorted(names)
                          if os.path.splitext(n)[1] in KINDS]
        else:
            files.append(p)
    bad = checked = 0
    for f in files:
        why, looked = check(f, do_sniff)
        checked += looked
        if why:
            bad += 1
            print("%s: %s" % (f, why))
    if not quiet:
        print("%d output(s) parsed, %d bad" % (checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
