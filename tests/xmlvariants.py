#!/usr/bin/env python3
"""xmlvariants.py - write monographs medexport has not seen: variants of
corpus files, for tests/check-xml.sh.

  xmlvariants.py CORPUS OUTDIR [N]

Takes every k-th Markdown file of CORPUS (about N files, default 300) and
writes OUTDIR/NAME.md, rewritten in one of the ways authors write the same
monograph differently (the choice depends on the file name, so runs are
reproducible):

  crlf        CRLF line endings
  bom         a UTF-8 byte order mark
  bold        "### Usage" headings written as "**Usage:**" paragraphs
  dash        "*" bullets written as "-" bullets, "1." lists as "1)"
  level       "###" headings written as "##"
  bare        no front matter
  html        HTML comments, <sup>, <br> and entities added to paragraphs
  breaks      hard line breaks (two trailing spaces) inside paragraphs

Every variant keeps the words and the structure that tests/xmlwords.py
checks, so the XML of each must validate and pass xmlwords.py like the
corpus itself.
"""

import os
import re
import sys
import zlib

STYLES = ["crlf", "bom", "bold", "dash", "level", "bare", "html", "breaks"]


def variant(style, text):
    if style == "crlf":
        return text.replace("\n", "\r\n")
    if style == "bom":
        return "\ufeff" + text
    if style == "bold":
        return re.sub(r"^###[ \t]+(.+?)[ \t]*:?[ \t]*$", r"**\1:**", text,
                      flags=re.M)
    if style == "dash":
        text = re.sub(r"^([ \t]*)\*([ \t]+)", r"\1-\2", text, flags=re.M)
        return re.sub(r"^([ \t]*\d{1,9})\.([ \t]+)", r"\1)\2", text, flags=re.M)
    if style == "level":
        return re.sub(r"^###([ \t])", r"##\1", text, flags=re.M)
    if style == "bare":
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end >= 0:
                return text[end + 5:]
        return text
    if style == "html":
        out = []
        for line in text.split("\n"):
            if re.match(r"^[A-Za-z]", line) and len(line) > 40:
                line = ("<!-- reviewed -->" + line + " Note&nbsp;1<sup>a</sup>"
                        "<br>&amp; more.")
            out.append(line)
        return "\n".join(out)
    if style == "breaks":
        return re.sub(r"([.,;]) (?=[A-Z])", r"\1  \n", text)
    raise ValueError(style)


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    src, out = argv[0], argv[1]
    want = int(argv[2]) if len(argv) == 3 else 300
    files = []
    for top, dirs, names in os.walk(src):
        dirs.sort()
        files += [os.path.join(top, n) for n in sorted(names) if n.endswith(".md")]
    step = max(1, len(files) // max(1, want))
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in files[::step]:
        name = os.path.basename(path)
        style = STYLES[zlib.crc32(name.encode()) % len(STYLES)]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(out, name), "w", encoding="utf-8",
                  newline="") as f:
            f.write(variant(style, text))
        n += 1
    print("xmlvariants: wrote %d variants to %s" % (n, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
