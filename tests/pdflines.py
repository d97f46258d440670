#!/usr/bin/env python3
"""pdflines.py - measure the typesetting of PDF leaflets line by line.

Each page's content stream is read (with `qpdf --json`, streams decoded)
and interpreted: text state (Tf, Tc, Tw, Tz, Tm, Td, q/Q, cm), every glyph
shown by Tj/TJ with its Unicode text (the font's /ToUnicode map), its x
position and width (the CIDFont's /W widths), and the word gaps a TJ array
widens or narrows.  Glyph runs are joined into lines (the same baseline,
give or take a super- or subscript, each run starting where the last one
ended) in reading order.  Then, over the lines set in the body size (the
size most glyphs have: not the title, headings of other sizes, footers):

  justified   lines of a justified style whose word gaps were widened or
              narrowed, or whose letters were spaced (a line that fills
              the measure exactly, unadjusted, is not counted: rare);
  loose       justified lines with a word gap widened by 0.4 em or more
              (a line left short, when the gaps could not be widened
              further, is widened to its cap: loose too);
  tracked     lines (of any size) with letter-spacing (Tc != 0);
              `bold` counts those with tracked bold glyphs;
  splits      a line break between a number and its unit ("5 | mg",
              "1.5 | mL/min"), inside a unit after its slash ("mg/ | kg"),
              or between an operator and its number ("<= | 3");
  hyphenated  lines ending in a hyphen: the typesetter's (U+002D, or
              U+00AD in a tagged PDF) or the source's own (U+2010 at a
              line's end); the share of body
              lines, the longest run of consecutive ones (a line that is
              all one piece of a word longer than the line is counted
              apart, and neither makes nor ends a run), the runs of
              three or more, and the typesetter's hyphenations of a
              capitalised word ("Ampho-tericin") or of a word with digits;
  stranded    (tagged PDFs) headings and questions (text marked H, H1 to
              H6) whose next line of text (not an artifact) is higher on
              the page or on a later page, and is not a heading of the
              same rank or higher: left at a column's foot, their text in
              the next column.

Usage:
  pdflines.py [options] OUT.pdf ...
  pdflines.py [options] --dir OUTDIR        (every *.pdf below OUTDIR)
Options:
  --style FILE      the style the PDFs were made with (whether it justifies;
                    default: justified)
  --label NAME      the name printed in the summary (default: the style's)
  --every N         measure only every Nth PDF (sorted by path)
  --examples N      print up to N examples of each problem (default 5)
  --max-loose PCT   fail when more than PCT% of justified lines are loose
  --max-run N       fail when a run of hyphenated lines is longer than N
  --strict          fail on any letter-spacing, number/unit split,
                    hyphenated capitalised word or word with digits, or
                    stranded heading
  -j N              N files at a time (default: number of CPUs)
  --json            print the totals as one JSON object as well
Exit status: 0 within the limits given, 1 beyond them, 2 usage error.
"""

import base64
import json
import os
import re
import subprocess
import sys
from multiprocessing import Pool

# Units a number is tied to (case matters: "L" is litres, "mg" milligrams).
# The typesetter keeps the same list (src/backend/pdf/linebreak.c).
UNITS = {
    "mg", "g", "kg", "mcg", "µg", "μg", "ng", "pg", "mL", "ml", "L", "l",
    "dL", "dl", "µL", "μL", "cL", "IU", "U", "units", "unit", "mU", "kU",
    "mmol", "µmol", "μmol", "nmol", "mol", "mEq", "mOsm", "%", "‰", "°",
    "°C", "°F", "mm", "cm", "m", "km", "µm", "μm", "nm", "mmHg", "cmH2O",
    "kPa", "Pa", "h", "hr", "hrs", "min", "mins", "sec", "s", "ms", "Hz",
    "kHz", "kcal", "cal", "kJ", "J", "mSv", "Sv", "Gy", "cGy", "Bq", "MBq",
    "GBq", "mCi", "µCi", "μCi", "Ci", "gtt", "mV", "V", "W", "kW", "mA",
    "A", "dB", "ppm", "×",
}
OPERATORS = "≤≥<>±~×≈="
NUMBER_END = re.compile(r"[0-9½¼¾⅓⅔⅛⅜⅝⅞⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]$")
WORD_START = re.compile(r"^[^\s]+")
# A unit is followed by neither a letter nor a digit ("mg," "mg/kg", not
# "L858R"), as the typesetter reads it.
UNIT_TOKEN = re.compile(r"^([^\W\d_]+|%|‰|°[CF]?|×)(?![^\W_])", re.U)
# The typesetter's hyphen: U+002D, or U+00AD where a tagged PDF draws it
# as a soft hyphen (so that extraction joins the word again).
FRAGMENT = re.compile(r"([^\W_]+)[-\u00ad]$")
CONTINUATION = re.compile(r"^([^\W_]+)")


def usage():
    print(__doc__, file=sys.stderr)
    return 2


class Style:
    def __init__(self, path=None):
        self.justify = True
        self.name = "?"
        if path:
            text = re.sub(r"#.*", "", open(path, encoding="utf-8").read())
            m = re.search(r"^\s*justify:\s*(\S+)", text, re.M)
            if m:
                self.justify = m.group(1) in ("true", "yes", "on")
            m = re.search(r"^name:\s*(\S+)", text, re.M)
            self.name = m.group(1) if m else os.path.basename(path)


# ------------------------------------------------------------------ PDF

def deref(objs, v):
    while isinstance(v, str) and v.endswith(" R") and ("obj:" + v) in objs:
        o = objs["obj:" + v]
        v = o["value"] if "value" in o else o["stream"]
    return v


def stream_data(objs, ref):
    o = objs.get("obj:" + ref, {})
    s = o.get("stream")
    if not s or "data" not in s:
        return b""
    return base64.b64decode(s["data"])


def pdf_string(s):
    """A JSON string of qpdf's: u:text or b:hex."""
    if s.startswith("u:"):
        return s[2:]
    if s.startswith("b:"):
        return bytes.fromhex(s[2:]).decode("latin-1")
    return s


HEXPAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
HEXTRIPLE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def utf16(hexs):
    b = bytes.fromhex(hexs.decode())
    return b.decode("utf-16-be", "replace")


class Font:
    def __init__(self, objs, ref):
        d = deref(objs, ref)
        self.name = d.get("/BaseFont", "")
        self.bold = "Bold" in self.name
        self.widths = {}
        self.dw = 1000
        self.two_byte = False
        self.uni = {}
        desc = d.get("/DescendantFonts")
        if desc:
            cid = deref(objs, deref(objs, desc)[0])
            self.dw = cid.get("/DW", 1000)
            w = deref(objs, cid.get("/W", []))
            i = 0
            while i < len(w):
                first = w[i]
                nxt = deref(objs, w[i + 1])
                if isinstance(nxt, list):
                    for k, v in enumerate(nxt):
                        self.widths[first + k] = v
                    i += 2
                else:
                    for c in range(first, nxt + 1):
                        self.widths[c] = w[i + 2]
                    i += 3
        else:
            first = d.get("/FirstChar", 0)
            for k, v in enumerate(deref(objs, d.get("/Widths", []))):
                self.widths[first + k] = v
        tu = d.get("/ToUnicode")
        if isinstance(tu, str) and tu.endswith(" R"):
            cmap = stream_data(objs, tu)
            m = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", cmap)
            self.two_byte = bool(m and len(m.group(1)) > 2)
            for blk in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
                for a, b in HEXPAIR.findall(blk):
                    self.uni[int(a, 16)] = utf16(b)
            for blk in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
                for a, b, c in HEXTRIPLE.findall(blk):
                    base = utf16(c)
                    for k in range(int(a, 16), int(b, 16) + 1):
                        self.uni[k] = base[:-1] + chr(ord(base[-1]) + k - int(a, 16))

    def codes(self, data):
        if self.two_byte:
            return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
        return list(data)


TOKEN = re.compile(rb"""
    (?P<ws>\s+|%[^\n]*)
  | (?P<str>\()
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<dict><<|>>)
  | (?P<arr>[\[\]])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[^\s/\[\]()<>{}%]+)
""", re.X)
ESC = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def literal(data, i):
    """The literal string starting after the '(' at data[i-1]."""
    out = bytearray()
    depth = 1
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            c = data[i]
            if c in ESC:
                out.append(ESC[c])
            elif 0x30 <= c <= 0x37:
                j = i
                while j < i + 3 and j < len(data) and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 255)
                i = j
                continue
            elif c in (10, 13):
                pass
            else:
                out.append(c)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def tokens(data):
    i = 0
    n = len(data)
    while i < n:
        m = TOKEN.match(data, i)
        if not m:
            i += 1
            continue
        k = m.lastgroup
        if k == "ws":
            i = m.end()
        elif k == "str":
            s, i = literal(data, m.end())
            yield "s", s
        elif k == "hex":
            h = re.sub(rb"\s", b"", m.group()[1:-1])
            if len(h) % 2:
                h += b"0"
            yield "s", bytes.fromhex(h.decode())
            i = m.end()
        elif k == "num":
            yield "n", float(m.group())
            i = m.end()
        else:
            yield k, m.group()
            i = m.end()


class Run:
    __slots__ = ("page", "x0", "x1", "y", "size", "bold", "tc", "gaps",
                 "text", "xs", "tag")

    def __init__(self, page, x, y, size, bold, tc, tag):
        self.page, self.x0, self.x1, self.y = page, x, x, y
        self.size, self.bold, self.tc = size, bold, tc
        self.tag = tag  # the innermost marked content's tag ("H2"), or None
        self.gaps = []  # widening of each word gap, points
        self.text = []
        self.xs = []


def page_runs(objs, page, pageno):
    """The glyph runs of one page, in content-stream order."""
    pd = deref(objs, page["object"])
    res = deref(objs, pd.get("/Resources", {}))
    fonts = {}
    for name, ref in deref(objs, res.get("/Font", {})).items():
        fonts[name[1:].encode()] = Font(objs, ref)
    data = b"".join(stream_data(objs, c) for c in page.get("contents", []))
    runs = []
    st = dict(ctm=(1, 0, 0, 1, 0, 0), tc=0.0, tw=0.0, tz=100.0, font=None,
              size=0.0)
    stack = []
    tags = []
    tm = [1, 0, 0, 1, 0, 0]
    tlm = [1, 0, 0, 1, 0, 0]
    ops = []
    for kind, v in tokens(data):
        if kind in ("s", "n", "name"):
            ops.append(v)
            continue
        if kind == "arr":
            if v == b"[":
                ops.append("[")
            else:
                arr = []
                while ops and ops[-1] != "[":
                    arr.append(ops.pop())
                if ops:
                    ops.pop()
                ops.append(list(reversed(arr)))
            continue
        if kind == "dict":
            ops.append(v)
            continue
        op = v
        if op in (b"BDC", b"BMC"):
            name = ops[0] if ops and isinstance(ops[0], bytes) else b"/"
            tags.append(name[1:].decode("latin-1"))
        elif op == b"EMC":
            if tags:
                tags.pop()
        elif op == b"q":
            stack.append(dict(st))
        elif op == b"Q":
            if stack:
                st = stack.pop()
        elif op == b"cm" and len(ops) >= 6:
            a, b, c, d, e, f = ops[-6:]
            A, B, C, D, E, F = st["ctm"]
            st["ctm"] = (a * A + b * C, a * B + b * D, c * A + d * C,
                         c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif op == b"BT":
            tm = [1, 0, 0, 1, 0, 0]
            tlm = list(tm)
        elif op == b"Tf" and len(ops) >= 2:
            st["font"] = fonts.get(ops[-2][1:] if isinstance(ops[-2], bytes) else b"")
            st["size"] = ops[-1]
        elif op == b"Tc" and ops:
            st["tc"] = ops[-1]
        elif op == b"Tw" and ops:
            st["tw"] = ops[-1]
        elif op == b"Tz" and ops:
            st["tz"] = ops[-1]
        elif op == b"Tm" and len(ops) >= 6:
            tm = list(ops[-6:])
            tlm = list(tm)
        elif op in (b"Td", b"TD") and len(ops) >= 2:
            tx, ty = ops[-2], ops[-1]
            tlm = [tlm[0], tlm[1], tlm[2], tlm[3],
                   tx * tlm[0] + ty * tlm[2] + tlm[4],
                   tx * tlm[1] + ty * tlm[3] + tlm[5]]
            tm = list(tlm)
        elif op in (b"Tj", b"TJ") and ops and st["font"] is not None:
            items = ops[-1] if op == b"TJ" else [ops[-1]]
            if not isinstance(items, list):
                items = [items]
            font, size = st["font"], st["size"]
            scale = st["tz"] / 100.0
            ctm = st["ctm"]
            x = tm[4] * ctm[0] + ctm[4]
            y = tm[5] * ctm[3] + ctm[5]
            run = Run(pageno, x, y, size, font.bold, st["tc"],
                      tags[-1] if tags else None)
            last_space = False
            for it in items:
                if isinstance(it, float):
                    dx = -it / 1000.0 * size * scale
                    if last_space:
                        run.gaps[-1] += dx
                    tm[4] += dx
                    continue
                if not isinstance(it, bytes):
                    continue
                for code in font.codes(it):
                    ch = font.uni.get(code, "\ufffd")
                    w = font.widths.get(code, font.dw) / 1000.0 * size
                    gx = tm[4] * ctm[0] + ctm[4]
                    run.text.append(ch)
                    run.xs.append((gx, gx + w * scale))
                    adv = w + st["tc"]
                    if code == 32 and not font.two_byte:
                        adv += st["tw"]
                    tm[4] += adv * scale
                    last_space = ch == " "
                    if last_space:
                        run.gaps.append(st["tc"] + (st["tw"] if not font.two_byte else 0))
            if run.xs:
                run.x0 = run.xs[0][0]
                run.x1 = run.xs[-1][1]
                runs.append(run)
        ops = []
    return runs


class Line:
    __slots__ = ("page", "x0", "x1", "y", "size", "text", "gaps", "tc",
                 "bold_tc", "end", "tag")

    def __init__(self, run):
        self.page, self.x0, self.x1, self.y = run.page, run.x0, run.x1, run.y
        self.size = run.size
        self.text = "".join(run.text)
        self.gaps = list(run.gaps)
        self.tc = run.tc != 0
        self.bold_tc = run.tc != 0 and run.bold
        self.end = run.xs[-1][1] - (0 if run.text[-1] != " " else 0)
        self.tag = run.tag


def join_lines(runs):
    """Runs on one baseline (a super- or subscript within half the size),
    each starting where the last ended (or a list marker's gap after it),
    make a line; a run anywhere else starts the next line."""
    lines = []
    cur = None
    for r in runs:
        if (cur is not None and r.page == cur.page and
                abs(r.y - cur.y) < 0.5 * cur.size and
                cur.x1 - 0.5 <= r.x0 <= cur.x1 + 0.8 * cur.size):
            if r.x0 > cur.x1 + 0.2 * cur.size and not cur.text.endswith(" "):
                cur.text += " "
            cur.text += "".join(r.text)
            cur.gaps += r.gaps
            cur.x1 = r.x1
            cur.tc |= r.tc != 0
            cur.bold_tc |= r.tc != 0 and r.bold
            if r.size > cur.size and abs(r.y - cur.y) < 0.01:
                cur.size = r.size
            continue
        cur = Line(r)
        lines.append(cur)
    return lines


def pdf_lines(path):
    p = subprocess.run(["qpdf", "--json", "--json-stream-data=inline",
                        "--decode-level=generalized", "--json-key=qpdf",
                        "--json-key=pages", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 3):
        raise RuntimeError("qpdf --json: " + p.stderr.decode()[:200])
    j = json.loads(p.stdout)
    objs = j["qpdf"][1]
    runs = []
    for k, page in enumerate(j["pages"]):
        runs += page_runs(objs, page, k)
    return join_lines(runs)


# ------------------------------------------------------------ measuring

def split_kind(a, b):
    """The kind of a number/unit split between line a and line b, or None."""
    a = a.rstrip()
    b = b.lstrip()
    if not a or not b:
        return None
    last = a.split()[-1]
    m = WORD_START.match(b)
    first = m.group() if m else ""
    unit = UNIT_TOKEN.match(first)
    if a[-1] in OPERATORS and (len(last) == 1 or not last[-2].isdigit()) \
            and re.match(r"[0-9.½¼¾−-]", first):
        return "operator"
    if last.endswith("/") and len(last) > 1:
        before = re.split(r"[/\s(]", last[:-1])[-1]
        if before in UNITS or NUMBER_END.search(before) or \
                (unit and unit.group() in UNITS):
            return "slash"
    if NUMBER_END.search(last) and unit and unit.group() in UNITS:
        return "unit"
    return None


def heading_rank(tag):
    """1 to 6 for a heading's tag (H1 to H6; H alone is 6), else 0."""
    m = re.fullmatch(r"H([1-6]?)", tag or "")
    return (int(m.group(1)) if m.group(1) else 6) if m else 0


def measure(args):
    path, justify = args
    out = dict(files=1, lines=0, body=0, justified=0, loose=0, tracked=0,
               bold_tracked=0, splits=0, split_unit=0, split_slash=0,
               split_operator=0, hyphenated=0, run_max=0, runs3=0,
               hyph_caps=0, hyph_digits=0, cut=0, stranded=0, examples={},
               error=None)
    try:
        lines = pdf_lines(path)
    except (RuntimeError, ValueError, KeyError, IndexError) as e:
        out["error"] = "%s: %s" % (path, e)
        return out

    def example(kind, text):
        ex = out["examples"].setdefault(kind, [])
        if len(ex) < 3:
            ex.append("%s: %s" % (os.path.basename(path), text))

    out["lines"] = len(lines)
    if not lines:
        return out
    sizes = {}
    for ln in lines:
        sizes[ln.size] = sizes.get(ln.size, 0) + len(ln.text)
    body_size = max(sizes, key=lambda s: (sizes[s], -s))
    body = [ln for ln in lines if abs(ln.size - body_size) < 0.01]
    for ln in lines:
        if ln.tc:
            out["tracked"] += 1
            example("tracked", ln.text.strip()[:60])
        if ln.bold_tc:
            out["bold_tracked"] += 1
    run = 0
    prev = None
    for ln in body:
        out["body"] += 1
        text = ln.text.rstrip()
        stretch = max((g for g in ln.gaps), default=0.0)
        shrink = min((g for g in ln.gaps), default=0.0)
        if justify and " " in text.strip():
            if abs(stretch) > 0.01 or abs(shrink) > 0.01 or ln.tc:
                out["justified"] += 1
                if stretch >= 0.4 * ln.size - 1e-6:
                    out["loose"] += 1
                    example("loose", "%.2f em: %s" % (stretch / ln.size,
                                                      text[:60]))
        hyph = text.endswith(("-", "\u00ad", "\u2010"))
        if hyph and " " not in text.strip():
            # A piece of a word longer than the line: counted apart, and
            # neither part of a run nor the end of one.
            out["cut"] += 1
        elif hyph:
            out["hyphenated"] += 1
            run += 1
            out["run_max"] = max(out["run_max"], run)
            if run == 3:
                out["runs3"] += 1
                example("run3", text[-30:])
        else:
            run = 0
        if prev is not None:
            kind = split_kind(prev.text, ln.text)
            if kind:
                out["splits"] += 1
                out["split_" + kind] += 1
                example("split", "%s | %s" % (prev.text.rstrip()[-20:],
                                              ln.text.lstrip()[:20]))
            pt = prev.text.rstrip()
            if pt.endswith(("-", "\u00ad")):
                m = FRAGMENT.search(pt)
                c = CONTINUATION.match(ln.text.lstrip())
                if m:
                    frag = m.group(1)
                    word = frag + (c.group(1) if c else "")
                    if frag[0].isupper():
                        out["hyph_caps"] += 1
                        example("caps", "%s- | %s" % (frag, word[len(frag):]))
                    if any(ch.isdigit() for ch in word):
                        out["hyph_digits"] += 1
                        example("digits", "%s- | %s" % (frag, word[len(frag):]))
        prev = ln
    # A heading (or question) whose text goes on in the next column or
    # page: the next line of the text is higher than it or on a later page,
    # and is not a heading of the same rank or higher (then the heading
    # held its own text: "Usage: Take one daily").
    text = [ln for ln in lines if ln.tag != "Artifact"]
    for a, b in zip(text, text[1:]):
        ra, rb = heading_rank(a.tag), heading_rank(b.tag)
        if ra and (rb == 0 or rb > ra) and \
                (b.page != a.page or b.y > a.y + 0.5):
            out["stranded"] += 1
            example("stranded", "p. %d: %s" % (a.page + 1, a.text.strip()[:60]))
    return out


def pct(a, b):
    return "%.2f%%" % (100.0 * a / b) if b else "-"


def main(argv):
    style = Style()
    label = None
    every = 1
    nex = 5
    max_loose = None
    max_run = None
    strict = False
    jobs = os.cpu_count() or 1
    as_json = False
    pdfs = []
    i = 0
    try:
        while i < len(argv):
            a = argv[i]
            if a == "--style":
                style = Style(argv[i + 1])
                i += 2
            elif a == "--label":
                label = argv[i + 1]
                i += 2
            elif a == "--every":
                every = int(argv[i + 1])
                i += 2
            elif a == "--examples":
                nex = int(argv[i + 1])
                i += 2
            elif a == "--max-loose":
                max_loose = float(argv[i + 1])
                i += 2
            elif a == "--max-run":
                max_run = int(argv[i + 1])
                i += 2
            elif a == "--strict":
                strict = True
                i += 1
            elif a == "-j":
                jobs = int(argv[i + 1])
                i += 2
            elif a == "--json":
                as_json = True
                i += 1
            elif a == "--dir":
                for root, _, files in os.walk(argv[i + 1]):
                    pdfs += [os.path.join(root, f) for f in files
                             if f.endswith(".pdf")]
                i += 2
            elif a.startswith("-"):
                return usage()
            else:
                pdfs.append(a)
                i += 1
    except (IndexError, ValueError):
        return usage()
    if not pdfs:
        return usage()
    pdfs = sorted(pdfs)[::every]
    total = None
    examples = {}
    errors = []
    with Pool(jobs) as pool:
        for r in pool.imap(measure, [(p, style.justify) for p in pdfs],
                           chunksize=8):
            if r["error"]:
                errors.append(r["error"])
            for k, v in r.pop("examples").items():
                examples.setdefault(k, []).extend(v)
            r.pop("error")
            if total is None:
                total = r
            else:
                for k, v in r.items():
                    total[k] = max(total[k], v) if k == "run_max" else total[k] + v
    t = total
    name = label or style.name
    print("%s: %d PDFs, %d lines, %d in the body size" %
          (name, t["files"], t["lines"], t["body"]))
    if style.justify:
        print("  loose (a gap widened by >= 0.4 em): %d of %d justified lines (%s)"
              % (t["loose"], t["justified"], pct(t["loose"], t["justified"])))
    else:
        print("  loose: - (ragged right)")
    print("  letter-spaced (Tc != 0): %d of %d lines (%s), %d with bold"
          % (t["tracked"], t["lines"], pct(t["tracked"], t["lines"]),
             t["bold_tracked"]))
    print("  number/unit splits: %d (number | unit %d, unit/ | unit %d, "
          "operator | number %d)" % (t["splits"], t["split_unit"],
                                     t["split_slash"], t["split_operator"]))
    print("  hyphenated lines: %d of %d (%s); longest run %d; runs of 3+: %d"
          % (t["hyphenated"], t["body"], pct(t["hyphenated"], t["body"]),
             t["run_max"], t["runs3"]))
    print("  hyphenated capitalised words: %d; words with digits: %d; "
          "lines of words longer than a line: %d"
          % (t["hyph_caps"], t["hyph_digits"], t["cut"]))
    print("  headings at a column's foot, their text in the next: %d"
          % t["stranded"])
    for kind in ("loose", "tracked", "split", "run3", "caps", "digits",
                 "stranded"):
        for e in examples.get(kind, [])[:nex]:
            print("    %s: %s" % (kind, e))
    for e in errors[:10]:
        print("  error: " + e)
    if as_json:
        t["style"] = name
        print(json.dumps(t, sort_keys=True))
    bad = bool(errors)
    if max_loose is not None and t["justified"] and \
            100.0 * t["loose"] / t["justified"] > max_loose:
        print("FAIL: %s: %s loose lines, more than %g%%" %
              (name, pct(t["loose"], t["justified"]), max_loose))
        bad = True
    if max_run is not None and t["run_max"] > max_run:
        print("FAIL: %s: %d hyphenated lines in a row, more than %d" %
              (name, t["run_max"], max_run))
        bad = True
    if strict:
        for key, what in (("tracked", "letter-spaced lines"),
                          ("splits", "number/unit splits"),
                          ("hyph_caps", "hyphenated capitalised words"),
                          ("hyph_digits", "hyphenated words with digits"),
                          ("stranded", "headings at a column's foot")):
            if t[key]:
                print("FAIL: %s: %d %s" % (name, t[key], what))
                bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
