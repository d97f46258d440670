#!/usr/bin/env python3
"""pdfcheck.py - check PDF leaflets made by medexport against their sources.

For each pair of a Markdown source and its PDF:
  * `qpdf --check` passes without warnings;
  * `pdffonts` lists only embedded fonts (and at least one);
  * `pdftotext` prints nothing on stderr and its text holds every word of the
    source (words as tests/txtwords.py defines them: runs of two or more
    letters, case-insensitive, with multiplicity; front matter other than the
    title does not count).  A line that ends in a hyphen the typesetter
    inserted is joined to the next when the joined word is a source word;
  * `pdfinfo -box`: every page has the style's trim size exactly (within
    0.01 pt), a BleedBox exactly the bleed outside the TrimBox, and a
    MediaBox around both; with crop marks, at least 9 mm of paper outside the
    bleed for the marks;
  * the smallest type size (every `Tf` operator of every content stream,
    read with `qpdf --qdf`) is at least the style's minimum;
  * a print style (colour: cmyk) draws in CMYK only: no rg/RG/g/G/sc/cs
    operators in the content streams and no RGB or grey colour space;
  * optionally (--max-pages N) no more than N pages.
Source words with a character medexport reported as missing from every font
(its warning "no font has a glyph for U+XXXX U+YYYY ...", read from --log
files) are not required, nor the words of the headings of sections it
reported as empty and not printed ("section 'X' is empty and is not
printed").

Usage:
  pdfcheck.py [options] SRC.md OUT.pdf [SRC.md OUT.pdf ...]
  pdfcheck.py [options] --dirs SRCDIR OUTDIR      (SRCDIR/a/x.md -> OUTDIR/a/x.pdf)
Options:
  --style FILE      the style the PDFs were made with (sizes, bleed, minimum)
  --bleed MM        the bleed given on the command line (overrides the style)
  --crop-marks      crop marks were forced on
  --max-pages N     fail when a PDF has more than N pages
  --pages-report    print how many PDFs have 1, 2, ... pages
  --log FILE        medexport's stderr: characters it reported missing
  -j N              check N files at a time (default: number of CPUs)
  -q                print only problems and the summary
Exit status: 0 all good, 1 some problem, 2 usage error.
"""

import os
import re
import subprocess
import time
import sys
from collections import Counter
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import txtwords  # noqa: E402  (the shared definition of a source's words)

MM = 72.0 / 25.4
PAGE_SIZES = {"a3": (297, 420), "a4": (210, 297), "a5": (148, 210),
              "a6": (105, 148), "b5": (176, 250), "letter": (215.9, 279.4),
              "legal": (215.9, 355.6), "tabloid": (279.4, 431.8)}
# A word broken at lines' ends by hyphens the typesetter added: U+00AD in
# a tagged PDF (pdftotext joins lines that end in U+002D itself).
LINE_HYPHEN = re.compile("[^\\W\\d_]+(?:[-\u00ad]\n\\s*[^\\W\\d_]+)+")
LINE_BREAK = re.compile("[-\u00ad]\n\\s*")
# A word piece ending a line with such a hyphen, and a line's first word.
DANGLING = re.compile("([^\\W\\d_]+)[-\u00ad]$")
LINE_START = re.compile("\\s*([^\\W\\d_]+)")
BIDI_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
MISSING = re.compile(r"no font has a glyph for U\+[0-9A-F]{4,6}")
EMPTY = re.compile(r"^(.*?):\d+: warning: section '(.*)' is empty and is not "
                   r"printed$")
CODE_POINT = re.compile(r"U\+([0-9A-F]{4,6})(?![0-9A-F])")
CONTENTS = re.compile(rb"%% Contents for page \d+\n.*?\nstream\n(.*?)endstream",
                      re.S)
# Text strings (literal and hex), removed before looking for operators.
STRINGS = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.S)
# Colour operators other than CMYK ones (k, K), outside strings.
NON_CMYK = re.compile(rb"(?<![A-Za-z0-9/])(rg|RG|g|G|sc|SC|scn|SCN|cs|CS)(?=\s)")
TF = re.compile(rb"/[A-Za-z0-9_.+-]+\s+(-?[0-9.]+)\s+Tf\b")
BOX = re.compile(r"^(?:Page\s+\d+\s+)?(MediaBox|BleedBox|TrimBox):\s+([-0-9.]+)\s+([-0-9.]+)\s+"
                 r"([-0-9.]+)\s+([-0-9.]+)", re.M)


class Style:
    """The few style values the checks need, read without a YAML library
    (python3-yaml is not a dependency): the files are simple enough."""

    def __init__(self, path=None):
        self.w, self.h = 210.0, 297.0
        self.bleed = 3.0
        self.crop = True
        self.min_size = 7.0
        self.cmyk = True
        if path:
            self.read(path)

    def read(self, path):
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"#.*", "", text)
        m = re.search(r"^\s*size:\s*(\S+)", text, re.M)
        if m:
            v = m.group(1)
            if v.lower() in PAGE_SIZES:
                self.w, self.h = PAGE_SIZES[v.lower()]
            else:
                nums = re.findall(r"[0-9.]+", v + text[m.end():m.end() + 40])
                self.w, self.h = float(nums[0]), float(nums[1])
        if re.search(r"orientation:\s*landscape", text) and self.w < self.h:
            self.w, self.h = self.h, self.w
        m = re.search(r"^\s*bleed:\s*([0-9.]+)", text, re.M)
        if m:
            self.bleed = float(m.group(1))
        m = re.search(r"^\s*crop-marks:\s*(\S+)", text, re.M)
        if m:
            self.crop = m.group(1) in ("true", "yes", "on")
        m = re.search(r"^\s*colou?r:\s*(\w+)", text, re.M)
        if m:
            self.cmyk = m.group(1).lower() == "cmyk"
        sizes = [float(x) for x in re.findall(r"\bsize:\s*([0-9.]+)", text)]
        if sizes:
            self.min_size = min(sizes)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def join_column_feet(text, need):
    """A word the typesetter broke at the foot of a column ("doc-" at the
    end of the left column, "tor's" at the top of the right one): pdftotext
    may give the two columns' lines in another order, so the piece after
    the hyphen is looked for at the start of any line, the next ones
    first.  The pieces are joined only when that makes a source word the
    text still lacks, after LINE_HYPHEN has joined what it could."""
    lines = text.split("\n")
    have = Counter(txtwords.words(text))
    for i, line in enumerate(lines):
        m = DANGLING.search(line)
        if not m:
            continue
        head = m.group(1)
        # The next lines first: the piece is usually on the next one.
        for k in list(range(i + 1, len(lines))) + list(range(i)):
            other = lines[k]
            n = LINE_START.match(other)
            if not n:
                continue
            word = (head + n.group(1)).lower()
            if need[word] > have[word]:
                lines[i] = line[:m.start()] + head + n.group(1)
                lines[k] = other[:n.start(1)] + other[n.end(1):]
                have[word] += 1
                break
    return "\n".join(lines)


def pdf_words(text, need):
    """Words of pdftotext output; hyphens at line ends are dropped where the
    joined word is a source word (the typesetter put them there)."""
    def join(m):
        parts = LINE_BREAK.split(m.group(0))
        out, i = [], 0
        # The longest run of pieces from each piece on that makes a source
        # word is joined (a 300-letter word broken over six lines).
        while i < len(parts):
            for j in range(len(parts), i, -1):
                if j - i > 1 and need["".join(parts[i:j]).lower()] > 0:
                    out.append("".join(parts[i:j]))
                    i = j
                    break
            else:
                # not joined here: the hyphen stays, for join_column_feet
                out.append(parts[i] + ("\u00ad" if i + 1 < len(parts) else ""))
                i += 1
        return "\n".join(out) + "\n"
    text = LINE_HYPHEN.sub(join, text)
    text = join_column_feet(text, need)
    # pdftotext wraps right-to-left text in bidi embedding marks, which are
    # format characters: they separate words here, they do not vanish.
    text = BIDI_MARKS.sub(" ", text)
    return Counter(txtwords.words(text))


def check(args):
    src, pdf, style, max_pages, missing_chars, empty = args
    problems = []
    if not os.path.exists(pdf):
        return src, pdf, ["no PDF was written"], 0

    rc, out, err = run(["qpdf", "--check", pdf])
    if rc != 0:
        problems.append("qpdf --check: exit %d: %s" %
                        (rc, (out + err).decode("utf-8", "replace")[-300:]))

    rc, out, err = run(["pdffonts", pdf])
    lines = out.decode("utf-8", "replace").splitlines()[2:]
    if rc != 0 or not lines:
        problems.append("pdffonts: no fonts listed")
    for line in lines:
        cols = line.split()
        # name type... encoding emb sub uni object ID: emb is 5th from the end
        if len(cols) >= 6 and cols[-5] != "yes":
            problems.append("font not embedded: " + line.strip())

    rc, out, err = run(["pdftotext", "-enc", "UTF-8", pdf, "-"])
    if rc != 0 or err.strip():
        problems.append("pdftotext: exit %d: %s" %
                        (rc, err.decode("utf-8", "replace").strip()[:300]))
    with open(src, "rb") as f:
        source = f.read().decode("utf-8", "replace")
    text = out.decode("utf-8", "replace")
    missing = None
    for join_inline in (True, False):
        need = txtwords.source_words(source, False, join_inline)
        for heading in empty.get(os.path.basename(src), []):
            need.subtract(txtwords.words(heading))
        if missing_chars:
            for w in [w for w in need if any(c in missing_chars for c in w)]:
                del need[w]
        have = pdf_words(text, need)
        lost = sorted((w, n, have[w]) for w, n in need.items() if have[w] < n)
        if missing is None or len(lost) < len(missing):
            missing = lost
        if not lost:
            break
    if missing:
        problems.append("words lost: " + ", ".join(
            "%s (%d of %d)" % (w, h, n) for w, n, h in missing[:12]))

    rc, out, err = run(["pdfinfo", "-box", "-f", "1", "-l", "999", pdf])
    info = out.decode("utf-8", "replace")
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    pages = int(m.group(1)) if m else 0
    if pages == 0:
        problems.append("pdfinfo: no pages")
    if max_pages and pages > max_pages:
        problems.append("%d pages, more than %d" % (pages, max_pages))
    boxes = BOX.findall(info)
    w, h, b = style.w * MM, style.h * MM, style.bleed * MM
    by_page = {}
    for name, x0, y0, x1, y1 in boxes:
        by_page.setdefault(name, []).append(
            tuple(float(v) for v in (x0, y0, x1, y1)))
    for i in range(pages):
        try:
            media = by_page["MediaBox"][i]
            bleed = by_page["BleedBox"][i]
            trim = by_page["TrimBox"][i]
        except (KeyError, IndexError):
            problems.append("page %d: boxes missing" % (i + 1))
            break
        tw, th = trim[2] - trim[0], trim[3] - trim[1]
        if abs(tw - w) > 0.015 or abs(th - h) > 0.015:
            problems.append("page %d: trim %.3f x %.3f pt, expected %.3f x %.3f"
                            % (i + 1, tw, th, w, h))
        want = (trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b)
        if any(abs(a - c) > 0.015 for a, c in zip(bleed, want)):
            problems.append("page %d: BleedBox %s, expected %s" %
                            (i + 1, bleed, tuple(round(v, 2) for v in want)))
        slack = min(bleed[0] - media[0], bleed[1] - media[1],
                    media[2] - bleed[2], media[3] - bleed[3])
        if slack < -0.015:
            problems.append("page %d: MediaBox inside the BleedBox" % (i + 1))
        if style.crop and slack < 9 * MM - 0.015:
            problems.append("page %d: only %.1f mm outside the bleed for "
                            "crop marks" % (i + 1, slack / MM))

    rc, qdf, err = run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"])
    contents = b"".join(m.group(1) for m in CONTENTS.finditer(qdf))
    sizes = [float(s) for s in TF.findall(contents)]
    if style.cmyk:
        ops = sorted(set(o.decode() for o in
                         NON_CMYK.findall(STRINGS.sub(b" ", contents))))
        if ops or b"DeviceRGB" in qdf or b"DeviceGray" in qdf:
            problems.append("print style, but colour operators %s or an "
                            "RGB/grey colour space" % ", ".join(ops))
    if not sizes:
        problems.append("no Tf operators found")
    elif min(sizes) < style.min_size - 1e-6:
        problems.append("type of %g pt, smaller than the style's %g pt" %
                        (min(sizes), style.min_size))
    return src, pdf, problems, pages


def pairs_from_dirs(src_dir, out_dir):
    pairs = []
    for root, _, files in os.walk(src_dir):
        for name in sorted(files):
            if name.endswith(".md"):
                src = os.path.join(root, name)
                rel = os.path.relpath(src, src_dir)
                pairs.append((src, os.path.join(out_dir, rel[:-3] + ".pdf")))
    pairs.sort()
    return pairs


def main(argv):
    style = Style()
    jobs = os.cpu_count() or 1
    quiet = False
    max_pages = 0
    pages_report = False
    pairs = []
    bleed = crop = None
    missing_chars = set()
    empty = {}  # source file name -> headings of sections not printed
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--style":
            style = Style(argv[i + 1])
            i += 2
        elif a == "--bleed":
            bleed = float(argv[i + 1])
            i += 2
        elif a == "--crop-marks":
            crop = True
            i += 1
        elif a == "--max-pages":
            max_pages = int(argv[i + 1])
            i += 2
        elif a == "--pages-report":
            pages_report = True
            i += 1
        elif a == "--log":
            with open(argv[i + 1], encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = EMPTY.match(line.rstrip("\n"))
                    if m:
                        empty.setdefault(os.path.basename(m.group(1)),
                                         []).append(m.group(2))
                    if MISSING.search(line):
                        for cp in CODE_POINT.findall(line):
                            missing_chars.add(chr(int(cp, 16)).lower())
            i += 2
        elif a == "-j":
            jobs = int(argv[i + 1])
            i += 2
        elif a == "-q":
            quiet = True
            i += 1
        elif a == "--dirs":
            pairs += pairs_from_dirs(argv[i + 1], argv[i + 2])
            i += 3
        elif a.startswith("-"):
            print("pdfcheck.py: unknown option " + a, file=sys.stderr)
            return 2
        else:
            if i + 1 >= len(argv):
                print("pdfcheck.py: SRC without PDF", file=sys.stderr)
                return 2
            pairs.append((a, argv[i + 1]))
            i += 2
    if bleed is not None:
        style.bleed = bleed
    if crop:
        style.crop = True
    if not pairs:
        print(__doc__, file=sys.stderr)
        return 2
    work = [(s, p, style, max_pages, missing_chars, empty)
            for s, p in pairs]
    bad = 0
    page_counts = Counter()
    # A line on stderr every 500 files (or each 30 s), so that a long
    # check of a whole corpus is seen to be working.
    done, last = 0, time.monotonic()
    with Pool(jobs) as pool:
        for src, pdf, problems, pages in pool.imap(check, work, chunksize=4):
            done += 1
            if len(work) >= 500 and (done % 500 == 0 or
                                     time.monotonic() - last > 30):
                last = time.monotonic()
                print("pdfcheck: %d of %d checked" % (done, len(work)),
                      file=sys.stderr, flush=True)
            page_counts[pages] += 1
            if problems:
                bad += 1
                print("FAIL %s -> %s" % (src, pdf))
                for p in problems[:20]:
                    print("  " + p)
            elif not quiet:
                print("ok   %s" % pdf)
    total = len(pairs)
    if pages_report:
        print("pages: " + ", ".join("%d: %d (%.1f%%)" %
                                    (n, c, 100.0 * c / total)
                                    for n, c in sorted(page_counts.items())))
    print("pdfcheck: %d checked, %d failed" % (total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
