"""wordcheck.py - what tests/txtwords.py and tests/xmlwords.py share.

The Markdown patterns both strip from a source before counting its words,
the split of front matter from the body, the pairs of source and output
files they are given, and the report they print.
"""

import html
import os
import re
import sys

# A word: two or more letters ([^\W\d_] still lets in numeric characters
# such as ² ₂ ½; each checker decides what to do with those).
WORD = re.compile(r"[^\W\d_]{2,}")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# A CDATA section keeps its text.
CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
# The destination of a link that is not http, https or mailto: the tree
# keeps only the link's text.
DROPPED_DEST = re.compile(
    r"\]\(\s*(?!<?(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):)"
    r"(<[^>\n]*>|[^\s)]*)(\s+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")
AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<![A-Z][^>]*>|<\?.*?\?>", re.S)
REF_USE = re.compile(r"\]\[[^\]\n]*\]")
REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)
LINK_TITLE = re.compile(
    r"\]\(\s*(<[^>\n]*>|[^\s)]+)\s+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\))\s*\)")
FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(src):
    """Returns (front matter text, body), or ("", src) when there is none."""
    if not (src.startswith("---\n") or src.startswith("---\r\n")):
        return "", src
    nl = src.index("\n") + 1
    m = FRONT_END.search(src, nl)
    if not m:
        return "", src
    body = src[m.end():]
    if body.startswith("\r"):
        body = body[1:]
    if body.startswith("\n"):
        body = body[1:]
    return src[nl:m.start()], body


def clean_markdown(body, inline_tag, inline_repl="", self_link=None):
    """The text of a Markdown body without comments, tags (inline_tag's
    matches become inline_repl), reference labels and link titles, with
    entities decoded.  self_link, when given, matches a link whose text is
    its URL and keeps the text once."""
    body = COMMENT.sub(" ", body)
    body = CDATA.sub(lambda m: m.group(1), body)
    body = DROPPED_DEST.sub("] ", body)
    body = AUTOLINK.sub(lambda m: " " + m.group(1) + " ", body)
    body = inline_tag.sub(inline_repl, body)
    body = TAG.sub(" ", body)
    if self_link is not None:
        body = self_link.sub(lambda m: m.group(1), body)
    body = REF_USE.sub("]", body)
    body = REF_DEF.sub(" ", body)
    body = LINK_TITLE.sub(lambda m: "](" + m.group(1) + ")", body)
    body = NUM_REF.sub(bad_ref, body)
    return html.unescape(body)


# A numeric character reference, and those medexport makes U+FFFD (where
# html.unescape() drops the non-characters).
NUM_REF = re.compile(r"&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});")


def bad_ref(m):
    t = m.group(1)
    cp = int(t[1:], 16) if t[0] in "xX" else int(t)
    if (cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF or
            0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE):
        return "\ufffd"
    return m.group(0)


def usage(prog, msg):
    sys.stderr.write("%s: %s\n(see the top of %s for usage)\n" %
                     (prog, msg, sys.argv[0]))
    sys.exit(2)


def pairs_from_dirs(src_dir, out_dir, ext):
    """SRCDIR/a/x.md -> OUTDIR/a/x.EXT, for every .md below src_dir."""
    pairs = []
    for top, dirs, files in os.walk(src_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                src = os.path.join(top, name)
                rel = os.path.relpath(src, src_dir)
                pairs.append((src, os.path.join(out_dir, rel[:-3] + ext)))
    return pairs


def pairs_from_file(prog, path):
    """Lines "SRC<TAB>OUT" of a file, or of standard input for "-"."""
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    pairs = []
    for line in f:
        line = line.rstrip("\n")
        if line:
            s, _, o = line.partition("\t")
            if not o:
                usage(prog, "bad pair line: %s" % line)
            pairs.append((s, o))
    return pairs


def pairs_from_args(prog, rest):
    """SRC OUT SRC OUT ... given on the command line."""
    if not rest or len(rest) % 2:
        usage(prog, "give SRC OUT pairs")
    return list(zip(rest[0::2], rest[1::2]))


def report(prog, pairs, check, quiet, max_report, note=""):
    """Runs check(src, out) -> list of problems on every pair, prints at
    most max_report problems a file and a summary (with -q only when
    something failed), and returns the exit status: 1 if any file had a
    problem, else 0."""
    if not pairs:
        usage(prog, "no source files found")
    bad = 0
    for src, out in pairs:
        problems = check(src, out)
        if problems:
            bad += 1
            for p in problems[:max_report]:
                print("%s: %s" % (src, p))
            if len(problems) > max_report:
                print("%s: ... and %d more" % (src, len(problems) - max_report))
        elif not quiet and len(pairs) == 1:
            print("%s: ok" % src)
    if bad or not quiet:
        print("%s: %d of %d file(s) with problems%s" %
              (prog, bad, len(pairs), note))
    return 1 if bad else 0
