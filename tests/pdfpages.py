#!/usr/bin/env python3
"""pdfpages.py - measure the pages of PDF leaflets made by medexport.

What a prepress operator looks at page by page, from the words' boxes that
`pdftotext -bbox-layout` gives and the page boxes of `pdfinfo -box`:

  safe      words drawn outside the safe area: the TrimBox less the style's
            safe margin (print: safe-margin, default 3 mm) on every side;
  overlap   words that overlap other words of the same page (a footer slot
            over another, a line over the next) by more than 1 pt both
            across and down;
  fold      (styles with fold marks) words that cross a fold;
  balance   multi-column styles: last pages whose columns end more than
            two lines of body text apart (the trifold: the inside, when the
            text ends there);
  short     leaflets of several pages whose last page holds six lines or
            fewer;
  pages     how many leaflets have 1, 2, ... pages;
  backpanel (trifold) two-page leaflets whose second page uses its first
            panel only;
  early     (reported, not a failure) pages before the last whose columns
            end more than a line of body text apart: a column ended early
            to keep a block whole or to give the last page text that
            balances it; the most, in lines.

Lines are told apart by their baselines; the running header and footer
(text in the top and bottom margins) are not counted as lines of a column.

Usage:
  pdfpages.py [options] OUT.pdf ...
  pdfpages.py [options] --dir OUTDIR       (every *.pdf below it)
Options:
  --style FILE   the style the PDFs were made with (default leaflet-a4)
  --check        exit 1 when any leaflet has a problem of the kinds above
                 (text outside the safe area, overlaps, text across a fold,
                 an unbalanced last page, a last page of six lines or fewer)
  --unbalanced NAME  a leaflet (file name without .pdf) whose last page's
                 columns may stay unbalanced: with --check, not a failure
  -v             name each leaflet with a problem, and what it is
  -j N           N files at a time (default: the number of CPUs)
Exit status: 0 (or, with --check, 0 only when nothing was found), 1 problems
with --check, 2 usage error.
"""

import os
import re
import subprocess
import sys
from collections import Counter
from multiprocessing import Pool

MM = 72.0 / 25.4
PAGE_SIZES = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210),
              "a6": (105, 148), "b5": (176, 250), "letter": (215.9, 279.4),
              "legal": (215.9, 355.6), "tabloid": (279.4, 431.8)}
PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">(.*?)</page>',
                  re.S)
WORD = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" '
                  r'xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>')
TRIM = re.compile(r"^Page\s+(\d+)\s+TrimBox:\s+([-0-9.]+)\s+([-0-9.]+)\s+"
                  r"([-0-9.]+)\s+([-0-9.]+)", re.M)
# DejaVu Sans: pdftotext's box of a word is its size times (ascent -
# descent) = 1.164 em, the baseline 0.236 em above its bottom.
EM_HEIGHT = 1.164
DESCENT = 0.236


class Style:
    """The style values the measures need, read without a YAML library (as
    tests/pdfcheck.py does): the shipped styles are simple enough."""

    def __init__(self, path=None):
        self.name = "leaflet-a4"
        self.w, self.h = 210.0, 297.0
        self.margins = {"top": 12.0, "bottom": 12.0, "inner": 12.0,
                        "outer": 12.0}
        self.columns, self.gutter = 2, 6.0
        self.safe = 3.0
        self.fold = False
        self.tuck_in = 0.0
        self.header_size = 7.0
        self.leading = 10.8
        if path:
            self.read(path)

    def read(self, path):
        self.name = os.path.basename(path).split(".")[0]
        text = re.sub(r"#.*", "", open(path, encoding="utf-8").read())
        m = re.search(r"^\s*size:\s*(\S+)", text, re.M)
        if m and m.group(1).lower() in PAGE_SIZES:
            self.w, self.h = PAGE_SIZES[m.group(1).lower()]
        if re.search(r"orientation:\s*landscape", text) and self.w < self.h:
            self.w, self.h = self.h, self.w
        m = re.search(r"margins:\s*\{([^}]*)\}", text)
        if m:
            for k, v in re.findall(r"(\w+):\s*([0-9.]+)", m.group(1)):
                self.margins[k] = float(v)
        for key, attr, kind in (("columns", "columns", int),
                                ("gutter", "gutter", float),
                                ("safe-margin", "safe", float),
                                ("tuck-in", "tuck_in", float)):
            m = re.search(r"^\s*%s:\s*([0-9.]+)" % key, text, re.M)
            if m:
                setattr(self, attr, kind(float(m.group(1))))
        self.fold = bool(re.search(r"fold-marks:\s*(true|yes|on)", text))
        m = re.search(r"^\s*header:\s*\{[^}]*size:\s*([0-9.]+)", text, re.M)
        if m:
            self.header_size = float(m.group(1))
        m = re.search(r"^\s*body:\s*\{[^}]*[{,\s]leading:\s*([0-9.]+)", text, re.M)
        if m:
            self.leading = float(m.group(1))

    def columns_of(self, page):
        """The x ranges (points from the trim's left edge) of the columns
        (or panels) of page `page` (0-based)."""
        w = self.w * MM
        if self.fold:
            d = self.tuck_in * MM
            p = (w + d) / self.columns
            if page % 2 == 0 and d > 0:  # outside: tuck-in, back, cover
                edges = [0, p - d] + [p - d + k * p
                                      for k in range(1, self.columns)]
            else:
                edges = [k * p for k in range(self.columns)]
            edges.append(w)
            return [(edges[k], edges[k + 1]) for k in range(self.columns)]
        left = self.margins["inner" if page % 2 == 0 else "outer"] * MM
        content = w - (self.margins["inner"] + self.margins["outer"]) * MM
        g = self.gutter * MM
        cw = (content - (self.columns - 1) * g) / self.columns
        out = []
        for k in range(self.columns):
            x0 = left + k * (cw + g)
            out.append((x0 - g / 2, x0 + cw + g / 2))
        out[0] = (-1e9, out[0][1])
        out[-1] = (out[-1][0], 1e9)
        return out

    def folds(self, page):
        return [c[0] for c in self.columns_of(page)[1:]] if self.fold else []


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def overlaps(words):
    """Pairs of words whose boxes overlap by more than 1 pt both ways.  A
    subscript or superscript (a box under 85% of the other's height) may
    reach 2 pt into the next or previous line's box: the boxes are the
    font's ascent and descent, and a script's digits have no ink there."""
    found = []
    ws = sorted(words, key=lambda w: w[1])
    active = []
    for w in ws:
        active = [a for a in active if a[3] > w[1] + 1]
        for a in active:
            ha, hw = a[3] - a[1], w[3] - w[1]
            script = min(ha, hw) < 0.85 * max(ha, hw)
            down = min(a[3], w[3]) - max(a[1], w[1])
            if min(a[2], w[2]) - max(a[0], w[0]) > 1 and \
               down > (2 if script else 1):
                found.append((a[4], w[4]))
        active.append(w)
    return found


def measure(args):
    pdf, style = args
    r = {"pdf": pdf, "pages": 0, "safe": [], "overlap": [], "fold": [],
         "balance": None, "short": None, "backpanel": False, "lines": [],
         "early": []}
    rc, info = run(["pdfinfo", "-box", "-f", "1", "-l", "9999", pdf])
    trims = {int(m[0]) - 1: tuple(float(v) for v in m[1:])
             for m in TRIM.findall(info)}
    rc, xml = run(["pdftotext", "-bbox-layout", pdf, "-"])
    if rc != 0 or not trims:
        r["error"] = "pdftotext or pdfinfo failed"
        return r
    safe = style.safe * MM
    bottom_margin = style.margins["bottom"] * MM
    top_margin = style.margins["top"] * MM
    per_page_cols = []
    for p, m in enumerate(PAGE.finditer(xml)):
        page_h = float(m.group(2))
        tx0, ty0, tx1, ty1 = trims.get(p, trims[0])
        # pdftotext measures y down from the top of the MediaBox.
        top, bot = page_h - ty1, page_h - ty0
        words = []
        for x0, y0, x1, y1, text in WORD.findall(m.group(3)):
            x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
            words.append((x0, y0, x1, y1, text))
            if x0 < tx0 + safe - 0.05 or x1 > tx1 - safe + 0.05 or \
               y0 < top + safe - 0.05 or y1 > bot - safe + 0.05:
                r["safe"].append((p + 1, text, round(x0 - tx0, 1),
                                  round(x1 - tx0, 1)))
            for f in style.folds(p):
                if x0 < tx0 + f - 0.5 and x1 > tx0 + f + 0.5:
                    r["fold"].append((p + 1, text))
        r["overlap"] += [(p + 1, a, b) for a, b in overlaps(words)]
        cols = [set() for _ in range(style.columns)]
        ranges = style.columns_of(p)
        for x0, y0, x1, y1, text in words:
            size = (y1 - y0) / EM_HEIGHT
            base = y1 - DESCENT * size
            if base > bot - bottom_margin - 0.5 * style.header_size:
                continue  # the footer
            if base < top + top_margin + 1.5 * style.header_size and \
               size < style.header_size * 1.1:
                continue  # the header
            xc = (x0 + x1) / 2 - tx0
            for k, (a, b) in enumerate(ranges):
                if a <= xc < b:
                    cols[k].add(round(base))
                    break
        per_page_cols.append(cols)
    r["pages"] = len(per_page_cols)
    if not per_page_cols:
        return r
    counts = [[len(c) for c in p] for p in per_page_cols]
    if not style.fold and style.columns > 1:
        for p, cols in enumerate(per_page_cols[:-1]):
            ends = [max(c) for c in cols if c]
            if len(ends) == len(cols):
                apart = (max(ends) - min(ends)) / style.leading
                if apart > 1.05:
                    r["early"].append((p + 1, round(apart, 1)))
    last = per_page_cols[-1]
    if style.fold:
        # The text ends inside a sheet when its flap and back are empty.
        inside = per_page_cols[-1] if r["pages"] % 2 == 0 else None
        if inside and not any(per_page_cols[-2][:-1]):
            last = inside
        else:
            last = None
        if r["pages"] == 2:
            r["backpanel"] = counts[1][0] > 0 and sum(counts[1][1:]) == 0
    elif style.columns == 1:
        last = None
    if last and any(last):
        # Where each column's text ends, in lines of body text below the
        # highest first line: more than two lines apart is unbalanced.
        start = min(min(c) for c in last if c)
        ends = [(max(c) - start) / style.leading + 1 if c else 0
                for c in last]
        if max(ends) - min(ends) > 2.05:
            r["balance"] = [len(c) for c in last]
    per_sheet = 2 if style.fold else 1
    if r["pages"] > per_sheet:
        n = sum(sum(c) for c in counts[-per_sheet:])
        if n <= 6:
            r["short"] = n
    return r


def main(argv):
    style = Style()
    jobs = os.cpu_count() or 1
    check = verbose = False
    pdfs = []
    allowed = set()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--style":
            style = Style(argv[i + 1])
            i += 2
        elif a == "--dir":
            for root, _, files in os.walk(argv[i + 1]):
                pdfs += [os.path.join(root, f) for f in files
                         if f.endswith(".pdf")]
            i += 2
        elif a == "--unbalanced":
            allowed.add(argv[i + 1])
            i += 2
        elif a == "--check":
            check = True
            i += 1
        elif a == "-v":
            verbose = True
            i += 1
        elif a == "-j":
            jobs = int(argv[i + 1])
            i += 2
        elif a.startswith("-"):
            print("pdfpages.py: unknown option " + a, file=sys.stderr)
            return 2
        else:
            pdfs.append(a)
            i += 1
    if not pdfs:
        print(__doc__, file=sys.stderr)
        return 2
    pdfs.sort()
    n = len(pdfs)
    pages = Counter()
    counts = Counter()
    words = Counter()
    multi = backs = 0
    early_max = 0.0
    with Pool(jobs) as pool:
        for r in pool.imap(measure, [(p, style) for p in pdfs], chunksize=4):
            pages[r["pages"]] += 1
            if r["pages"] > 1:
                multi += 1
            if style.fold and r["pages"] == 2:
                backs += 1
            what = []
            if r.get("error"):
                what.append(r["error"])
                counts["error"] += 1
            for k in ("safe", "overlap", "fold"):
                if r[k]:
                    counts[k] += 1
                    words[k] += len(r[k])
                    what.append("%s: %s" % (k, r[k][:3]))
            if r["balance"] is not None:
                name = os.path.basename(r["pdf"])[:-4]
                counts["balance" if name not in allowed else
                       "balance-allowed"] += 1
                what.append("last page's columns hold %s lines" %
                            r["balance"])
            if r["short"] is not None:
                counts["short"] += 1
                what.append("last page holds %d lines" % r["short"])
            if r["early"]:
                counts["early"] += 1
                early_max = max([early_max] + [a for _, a in r["early"]])
                what.append("page %d's columns end %.1f lines apart" %
                            r["early"][0])
            if r["backpanel"]:
                counts["backpanel"] += 1
                what.append("page 2 uses its first panel only")
            if verbose and what:
                print("%s (%d pages): %s" % (r["pdf"], r["pages"],
                                             "; ".join(what)))

    def pct(a, b):
        return "%d of %d (%.1f%%)" % (a, b, 100.0 * a / b if b else 0)
    print("pdfpages: %s: %d leaflets" % (style.name, n))
    print("  outside the safe area (%g mm): %s leaflets, %d words" %
          (style.safe, pct(counts["safe"], n), words["safe"]))
    print("  overlapping words: %s leaflets, %d pairs" %
          (pct(counts["overlap"], n), words["overlap"]))
    if style.fold:
        print("  across a fold: %s leaflets, %d words" %
              (pct(counts["fold"], n), words["fold"]))
        print("  two-page leaflets using only the first panel of page 2: "
              "%s" % pct(counts["backpanel"], backs))
    if style.columns > 1:
        print("  last pages whose columns differ by more than two lines: "
              "%s" % pct(counts["balance"], n))
    if style.columns > 1 and not style.fold:
        print("  pages before the last whose columns end more than a line "
              "apart: %s multi-page leaflets, at most %.1f lines" %
              (pct(counts["early"], multi), early_max))
    if style.fold:
        multi = sum(v for k, v in pages.items() if k > 2)
        print("  last sheets of six lines or fewer: %s leaflets of more "
              "than one sheet" % pct(counts["short"], multi))
    else:
        print("  last pages of six lines or fewer: %s multi-page leaflets"
              % pct(counts["short"], multi))
    print("  pages: " + ", ".join("%d: %d" % (k, v)
                                  for k, v in sorted(pages.items())))
    bad = sum(counts[k] for k in ("safe", "overlap", "fold", "balance",
                                  "short", "error"))
    return 1 if check and bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
