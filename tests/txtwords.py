#!/usr/bin/env python3
"""txtwords.py - check that a text rendering lost no word of its Markdown source.

Every word of the source (a run of two or more Unicode letters, compared
case-insensitively after NFKC normalisation, counted with multiplicity) must
appear in the output at least as many times as in the source.  "Letters" are
[^\W\d_] without the other numeric characters that pattern lets in (² ₂ ½):
those separate words, so that Fe<sup>2+</sup> rendered as Fe²⁺ still holds
the word "fe".

What counts as source text:
  * front matter is skipped, except the value of `title:` (which is not
    counted again when it has the same words as the first H1, since a backend
    may print the title once);
  * HTML comments and tags are removed (autolinks <https://...> and
    <a@b.org> are kept), then entities are decoded with html.unescape;
    inline tags (<sub>, <sup>, <i>, ...) may either join or split words
    (GABA<sub>A</sub> may become GABAₐ or GABA_A): the file passes when
    either reading of the source passes;
  * link URLs count (the text backend prints links as `text <url>`), but the
    labels of reference links ([text][label], [label]: url) and link titles
    ([text](url "title")) do not, and a link whose text is its URL counts
    once;
  * format characters (zero-width space, soft hyphen, ...) are removed on
    both sides before splitting into words.

With --ascii (output transliterated to ASCII) only the source words that are
pure ASCII are checked; format characters vanish and any other non-ASCII
character separates words; normalisation is NFC only.  With --max-width N every output line must also fit
in N display columns (wide characters count 2, combining and format
characters 0) unless it is a single unbreakable word, optionally after a list
marker or Q:/A:; with --ascii-bytes no output byte may be above 0x7F.

Usage:
  txtwords.py [options] SRC.md OUT.txt [SRC.md OUT.txt ...]
  txtwords.py [options] --dirs SRCDIR OUTDIR   (SRCDIR/a/x.md -> OUTDIR/a/x.txt)
  txtwords.py [options] --pairs FILE           (lines "SRC<TAB>OUT"; - for stdin)
Options:
  --ascii          check only pure-ASCII source words
  --ascii-bytes    fail when an output holds a byte above 0x7F
  --max-width N    fail on lines wider than N columns (see above)
  --widths-only    skip the word check (with --max-width / --ascii-bytes)
  --ext EXT        output extension for --dirs (default .txt)
  --max-report N   print at most N problems per file (default 20)
  -q               print only the summary and failing files
Exit status: 0 all good, 1 some loss or problem, 2 usage error.
"""

import html
import os
import re
import sys
import unicodedata
from collections import Counter

from wordcheck import (WORD, clean_markdown, pairs_from_args, pairs_from_dirs,
                       pairs_from_file, report, split_front_matter)
from wordcheck import usage as wordcheck_usage

INLINE_TAGS = ("sub", "sup", "i", "b", "em", "strong", "span", "u", "s", "small",
               "big", "code", "a", "abbr", "mark", "del", "ins", "font", "tt", "q",
               "cite", "dfn", "kbd", "samp", "var", "bdi", "bdo", "wbr")
INLINE_TAG = re.compile(r"</?(?:%s)(?:\s[^<>]*)?/?>" % "|".join(INLINE_TAGS), re.I)
SELF_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*<?\1>?\s*\)")
H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
MARKER = re.compile(r"^(?:[-*+\u2022\u00b7\u2013\u2014>]|\d{1,9}[.)]|[A-Za-z][.)]|[QA]:|\[[ xX]?\])$")


NON_ASCII = re.compile(r"[^\x00-\x7f]")
HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_CLASS = {}


def _classify(m):
    """Format characters vanish, numeric non-digits (² ₂ ½) separate."""
    c = m.group()
    r = _CLASS.get(c)
    if r is None:
        cat = unicodedata.category(c)
        if cat == "Cf":
            r = ""
        elif cat in ("No", "Nl"):
            r = " "
        else:
            r = c
        _CLASS[c] = r
    return r


def words(text, ascii_mode=False):
    """The words of `text`, lower-cased, in order."""
    if not text.isascii():
        if ascii_mode:
            # Format characters vanish (a soft hyphen joins its word, as
            # the --ascii output drops it); any other non-ASCII character
            # separates; only ASCII words are kept.
            text = "".join(c for c in unicodedata.normalize("NFC", text)
                           if c.isascii() or unicodedata.category(c) != "Cf")
            return [w.lower() for w in WORD.findall(text) if w.isascii()]
        text = NON_ASCII.sub(_classify, unicodedata.normalize("NFKC", text))
    return [w.lower() for w in WORD.findall(text)]


def front_matter_title(fm):
    """The value of `title:` in front matter text, or None."""
    for line in fm.splitlines():
        t = re.match(r"^title[ \t]*:[ \t]*(.*?)[ \t]*$", line)
        if t:
            title = t.group(1)
            if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
                title = title[1:-1]
            return title
    return None


def source_words(src, ascii_mode=False, join_inline=True):
    fm, body = split_front_matter(src)
    title = front_matter_title(fm)
    body = clean_markdown(body, INLINE_TAG, "" if join_inline else " ",
                          SELF_LINK)
    count = Counter(words(body, ascii_mode))
    if title is not None:
        tw = Counter(words(html.unescape(title), ascii_mode))
        h1 = H1.search(body)
        if not (h1 and Counter(words(h1.group(1), ascii_mode)) == tw):
            count.update(tw)
    return count


def missing_words(src, have, ascii_mode, join_inline):
    need = source_words(src, ascii_mode, join_inline)
    return sorted((w, n, have[w]) for w, n in need.items() if have[w] < n)


def is_ascii(w):
    return all(ord(c) < 128 for c in w)


def char_width(c):
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(c) in ("W", "F"):
        return 2
    return 1


_WIDTH = {}


def display_width(s):
    if s.isascii():
        return len(s)
    n = len(s)
    for c in NON_ASCII.findall(s):
        w = _WIDTH.get(c)
        if w is None:
            w = _WIDTH[c] = char_width(c)
        n += w - 1
    return n


def overlong_ok(line):
    """An over-wide line is fine when it holds one unbreakable word."""
    toks = line.split()
    if len(toks) <= 1:
        return True
    return len(toks) == 2 and bool(MARKER.match(toks[0]))


def check_pair(src_path, out_path, opts):
    problems = []
    try:
        with open(src_path, "rb") as f:
            src = f.read().decode("utf-8", "replace")
    except OSError as e:
        return ["cannot read source: %s" % e.strerror]
    try:
        with open(out_path, "rb") as f:
            raw = f.read()
    except OSError as e:
        return ["cannot read output %s: %s" % (out_path, e.strerror)]
    if src.startswith("\ufeff"):
        src = src[1:]
    out = raw.decode("utf-8", "replace")

    if opts["ascii_bytes"]:
        m = HIGH_BYTE.search(raw)
        if m:
            i = m.start()
            line = raw.count(b"\n", 0, i) + 1
            problems.append("byte 0x%02X above 0x7F at offset %d (line %d)" % (raw[i], i, line))

    missing = []
    if not opts["widths_only"]:
        have = Counter(words(out, opts["ascii"]))
        # Inline tags joining words, or (when that loses some) splitting them.
        missing = missing_words(src, have, opts["ascii"], True)
        if missing and INLINE_TAG.search(src):
            split = missing_words(src, have, opts["ascii"], False)
            if not split:
                missing = split
    for w, n, h in missing:
        problems.append("missing word %r (source %d, output %d)" % (w, n, h))
    if opts["max_width"]:
        for n, line in enumerate(out.split("\n"), 1):
            line = line.rstrip("\r")
            w = display_width(line)
            if w > opts["max_width"] and not overlong_ok(line):
                problems.append("line %d is %d columns wide: %s" % (n, w, line[:80]))
    return problems


def usage(msg):
    wordcheck_usage("txtwords.py", msg)


def main(argv):
    opts = {"ascii": False, "ascii_bytes": False, "max_width": 0, "widths_only": False}
    ext = ".txt"
    max_report = 20
    quiet = False
    mode = None
    rest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--ascii":
            opts["ascii"] = True
        elif a == "--ascii-bytes":
            opts["ascii_bytes"] = True
        elif a == "--widths-only":
            opts["widths_only"] = True
        elif a in ("--max-width", "--ext", "--max-report"):
            if i + 1 >= len(argv):
                usage("%s needs a value" % a)
            i += 1
            if a == "--ext":
                ext = argv[i]
            else:
                try:
                    v = int(argv[i])
                except ValueError:
                    usage("%s needs a number" % a)
                if a == "--max-width":
                    opts["max_width"] = v
                else:
                    max_report = v
        elif a in ("--dirs", "--pairs"):
            mode = a
        elif a == "-q":
            quiet = True
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            usage("unknown option %s" % a)
        else:
            rest.append(a)
        i += 1

    if mode == "--dirs":
        if len(rest) != 2:
            usage("--dirs needs SRCDIR OUTDIR")
        if not os.path.isdir(rest[0]):
            usage("not a directory: %s" % rest[0])
        pairs = pairs_from_dirs(rest[0], rest[1], ext)
    elif mode == "--pairs":
        if len(rest) != 1:
            usage("--pairs needs one FILE")
        pairs = pairs_from_file("txtwords.py", rest[0])
    else:
        pairs = pairs_from_args("txtwords.py", rest)
    return report("txtwords.py", pairs,
                  lambda src, out: check_pair(src, out, opts), quiet,
                  max_report, " (ascii words only)" if opts["ascii"] else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
