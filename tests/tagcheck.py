#!/usr/bin/env python3
"""tagcheck.py - check the tagging, links and PDF/X declarations of medexport's
PDFs against their sources.

For each pair of a Markdown source and its PDF:
  * `pdfinfo` says "Tagged: yes";
  * reading order: the words of `pdfinfo -struct-text` (the text of the
    structure tree, which is what assistive technology reads) follow the
    source's words in order.  The score of a file is the number of source
    words found in order (difflib's matching blocks of the two word
    sequences, close to their longest common subsequence) over the number
    of source words; --min-order R fails a file under R;
  * running headers and footers are outside the structure: the words of
    "Page N of M" and of the title are not in the structure's text more
    often than in the source;
  * `qpdf --json`: the catalog has /MarkInfo /Marked true, a /Lang, a
    /StructTreeRoot with a /ParentTree, /ViewerPreferences /DisplayDocTitle
    true, /PageMode /UseOutlines when there are bookmarks; every page has
    /StructParents; every link annotation has a /StructParent that the
    parent tree maps to a Link element holding it (OBJR); each page's
    marked content is numbered 0, 1, ... (MCIDs), the parent tree has an
    element for each, and that element holds it;
  * with --links: every web and mail address the source links to (inline
    links, autolinks, reference definitions, http/https/ftp/mailto/tel) is
    the /URI of a link annotation;
  * with PDF/X (the style's `pdfx`, or --pdfx): the header's version (1.3
    for PDF/X-1a:2001, 1.4 for :2003), GTS_PDFXVersion and
    GTS_PDFXConformance, /Trapped /False, Title, CreationDate and ModDate
    in the info; one GTS_PDFX output intent naming the style's
    output-condition with /Info and a /RegistryName; a trailer /ID; no
    encryption; a TrimBox on every page; no annotation and no action
    anywhere; no RGB, calibrated, Lab or ICC colour space; no transparency
    (soft masks, constant alpha under 1, blend modes, transparency
    groups); every font embedded (/FontFile, /FontFile2 or /FontFile3).
    CMYK-only content streams, the boxes and type sizes are
    tests/pdfcheck.py's.

Usage:
  tagcheck.py [options] SRC.md OUT.pdf [SRC.md OUT.pdf ...]
  tagcheck.py [options] --dirs SRCDIR OUTDIR      (SRCDIR/a/x.md -> OUTDIR/a/x.pdf)
Options:
  --style FILE      the style the PDFs were made with (pdfx, output-condition)
  --pdfx VERSION    the --pdfx given on the command line (PDF/X-1a:2001,
                    PDF/X-1a:2003, none)
  --links           link annotations are expected (no PDF/X)
  --min-order R     fail a file whose reading-order score is under R (0..1)
  --every N         check every Nth pair only (a sample of a corpus)
  --log FILE        medexport's stderr: characters it reported missing,
                    sections it reported empty (not printed)
  -j N              check N files at a time (default: number of CPUs)
  -q                print only problems and the summary
Exit status: 0 all good, 1 some problem, 2 usage error.
"""

import base64
import difflib
import html
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402  (pairs, missing characters)
import txtwords  # noqa: E402  (the shared definition of a source's words)
from wordcheck import AUTOLINK, clean_markdown, split_front_matter  # noqa: E402

STRUCT_TEXT = re.compile(r'^\s*"(.*)"\s*$')
FOOTER = re.compile(r"\bPage \d+ of \d+\b")
# Link targets in Markdown: inline links, reference definitions.
INLINE_LINK = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*:[^\s)>]+)>?")
REF_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([A-Za-z][A-Za-z0-9+.-]*:[^\s>]+)",
                      re.M)
# The schemes the tree keeps as links (styles/monograph.xsd): others keep
# only their text.
LINKABLE = ("http://", "https://", "mailto:")
PDFX = {"pdf/x-1a:2001": ("1.3", "PDF/X-1:2001", "PDF/X-1a:2001"),
        "pdf/x-1a:2003": ("1.4", "PDF/X-1:2003", "PDF/X-1a:2003")}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
BAD_SPACES = ("/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased", "/CalGray")


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


class Style:
    """The style's PDF/X settings, read as tests/pdfcheck.py reads styles."""

    def __init__(self, path=None):
        self.pdfx = None
        self.condition = None
        if path:
            text = re.sub(r"#.*", "", open(path, encoding="utf-8").read())
            m = re.search(r"^\s*pdfx:\s*(\S+)", text, re.M)
            if m:
                self.pdfx = normal_pdfx(m.group(1))
            m = re.search(r"^\s*output-condition:\s*(.+?)\s*$", text, re.M)
            if m:
                self.condition = m.group(1).strip("\"'")


def normal_pdfx(v):
    v = v.strip("\"'").lower()
    if v in ("none", "false"):
        return None
    return v if v.startswith("pdf/") else "pdf/" + v


# ---------------------------------------------------------------------
# Reading order

def drop_sequence(ws, seq):
    """ws without the first occurrence of the words `seq` in a row."""
    n = len(seq)
    for i in range(len(ws) - n + 1):
        if n and ws[i:i + n] == seq:
            return ws[:i] + ws[i + n:]
    return ws


def source_order(src, join_inline, missing_chars, empty=()):
    """The source's words in order, as txtwords.source_words counts them,
    without the headings of sections reported empty (not printed)."""
    fm, body = split_front_matter(src)
    title = txtwords.front_matter_title(fm)
    body = reference_links(body)
    body = clean_markdown(body, txtwords.INLINE_TAG, "" if join_inline else " ",
                          txtwords.SELF_LINK)
    ws = txtwords.words(body)
    if title is not None:
        tw = txtwords.words(html.unescape(title))
        h1 = txtwords.H1.search(body)
        if not (h1 and Counter(txtwords.words(h1.group(1))) == Counter(tw)):
            ws = tw + ws
    for heading in empty:
        ws = drop_sequence(ws, txtwords.words(heading))
    if missing_chars:
        ws = [w for w in ws if not any(c in missing_chars for c in w)]
    return ws, title


REF_DEF_LINE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*<?(\S+?)>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$", re.M)
REF_USE_FULL = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\[([^\]\n]*)\]")


def reference_links(body):
    """[text][label] becomes [text](url), where the text is read: the
    address follows the link's text in the outputs, not the definition's
    place at the end."""
    defs = {}
    for m in REF_DEF_LINE.finditer(body):
        defs.setdefault(" ".join(m.group(1).lower().split()), m.group(2))

    def use(m):
        label = " ".join((m.group(2) or m.group(1)).lower().split())
        if label in defs:
            return "[%s](%s)" % (m.group(1), defs[label])
        return m.group(0)
    body = REF_USE_FULL.sub(use, body)
    return REF_DEF_LINE.sub("", body) if defs else body


def struct_text(pdf):
    rc, out, err = run(["pdfinfo", "-struct-text", pdf])
    if rc != 0:
        return None, err.decode("utf-8", "replace").strip()[:200]
    parts = []
    for line in out.decode("utf-8", "replace").splitlines():
        m = STRUCT_TEXT.match(line)
        if m:
            parts.append(m.group(1))
    return " ".join(parts), None


def in_order(a, b):
    """How many words of `a` appear in `b` in order."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(blk.size for blk in sm.get_matching_blocks())


def first_difference(a, b):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            return "source %r, structure %r" % (" ".join(a[max(0, i1 - 3):i2 + 3]),
                                                 " ".join(b[max(0, j1 - 3):j2 + 3]))
    return ""


# ---------------------------------------------------------------------
# qpdf --json

class Objects:
    def __init__(self, data):
        self.objs = data["qpdf"][1]
        self.header = data["qpdf"][0]

    def get(self, v):
        """A value, with references followed."""
        if isinstance(v, str) and v.endswith(" R"):
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            return o.get("value", o.get("stream", {}).get("dict"))
        return v

    def dicts(self):
        for k, o in self.objs.items():
            v = o.get("value", o.get("stream", {}).get("dict")) if isinstance(o, dict) else None
            if isinstance(v, dict):
                yield k, v


def text_of(v):
    return v[2:] if isinstance(v, str) and v[:2] in ("u:", "b:") else v


def walk_values(v):
    """Every name and string in a value, nested."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from walk_values(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_values(x)
    else:
        yield v


def source_links(src):
    fm, body = split_front_matter(src)
    urls = set()
    for m in INLINE_LINK.finditer(body):
        urls.add(m.group(1))
    for m in REF_LINK.finditer(body):
        urls.add(m.group(1))
    for m in AUTOLINK.finditer(body):
        u = m.group(1)
        urls.add(u if ":" in u else "mailto:" + u)
    return sorted(tree_url(u) for u in urls if u.lower().startswith(LINKABLE))


def tree_url(u):
    """A source link's address as the tree keeps it: character references
    decoded, a non-character or surrogate as U+FFFD, the scheme in lower
    case, what is not ASCII percent-encoded."""
    def ref(m):
        n = int(m.group(1)[1:], 16) if m.group(1)[0] in "xX" else int(m.group(1))
        bad = (n == 0 or n > 0x10FFFF or 0xD800 <= n <= 0xDFFF or
               0xFDD0 <= n <= 0xFDEF or (n & 0xFFFE) == 0xFFFE)
        return "\ufffd" if bad else chr(n)
    # Numeric references first: html.unescape() drops non-characters.
    u = html.unescape(re.sub(r"&#([xX][0-9a-fA-F]+|[0-9]+);", ref, u))
    scheme, sep, rest = u.partition(":")
    # A PDF's /URI is ASCII: the rest in UTF-8, percent-encoded.
    rest = "".join(c if ord(c) < 128 else urllib.parse.quote(c) for c in rest)
    return scheme.lower() + sep + rest


def json_checks(pdf, src, pdfx, condition, links, problems):
    rc, out, err = run(["qpdf", "--json", "--json-stream-data=inline",
                        "--decode-level=generalized", pdf])
    if rc != 0:
        problems.append("qpdf --json: exit %d" % rc)
        return
    o = Objects(json.loads(out))
    trailer = o.objs["trailer"]["value"]
    cat = o.get(trailer["/Root"])
    info = o.get(trailer.get("/Info")) or {}
    mark = o.get(cat.get("/MarkInfo")) or {}
    if mark.get("/Marked") is not True:
        problems.append("catalog: no /MarkInfo /Marked true")
    if not text_of(cat.get("/Lang", "")):
        problems.append("catalog: no /Lang")
    prefs = o.get(cat.get("/ViewerPreferences")) or {}
    if prefs.get("/DisplayDocTitle") is not True:
        problems.append("catalog: no /ViewerPreferences /DisplayDocTitle true")
    outlines = o.get(cat.get("/Outlines")) or {}
    if outlines.get("/First") and cat.get("/PageMode") != "/UseOutlines":
        problems.append("catalog: bookmarks, but no /PageMode /UseOutlines")
    root = o.get(cat.get("/StructTreeRoot"))
    nums = {}
    if not root:
        problems.append("catalog: no /StructTreeRoot")
    else:
        tree = o.get(root.get("/ParentTree")) or {}
        flat = tree.get("/Nums") or []
        nums = dict(zip(flat[0::2], flat[1::2]))
        if not flat:
            problems.append("structure: no /ParentTree /Nums")
    pages = [o.get(r) for r in o.get(o.get(cat["/Pages"])["/Kids"]) or []]
    annots = []
    for i, page in enumerate(pages):
        if page is None:
            continue
        if "/StructParents" not in page:
            problems.append("page %d: no /StructParents" % (i + 1))
        elif page["/StructParents"] not in nums:
            problems.append("page %d: /StructParents not in the parent tree" % (i + 1))
        else:
            mcid_checks(o, i, page, kids_of_page(o, page, cat), nums, problems)
        for a in o.get(page.get("/Annots")) or []:
            annots.append((i, a, o.get(a)))
        if pdfx and "/TrimBox" not in page:
            problems.append("page %d: no TrimBox" % (i + 1))
    uris = set()
    for i, ref, a in annots:
        if a.get("/Subtype") != "/Link":
            continue
        action = o.get(a.get("/A")) or {}
        uris.add(text_of(action.get("/URI", "")))
        sp = a.get("/StructParent")
        elem = o.get(nums.get(sp)) if sp is not None else None
        kids = o.get(elem.get("/K")) if elem else None
        kids = kids if isinstance(kids, list) else [kids]
        held = any(isinstance(o.get(k), dict) and o.get(k).get("/Type") == "/OBJR"
                   and o.get(k).get("/Obj") == ref for k in kids)
        if not elem or elem.get("/S") != "/Link" or not held:
            problems.append("page %d: link annotation %s is not in a Link "
                            "element (OBJR)" % (i + 1, ref))
    if links:
        for u in source_links(src):
            if u not in uris:
                problems.append("link %s: no annotation" % u)
    if pdfx:
        pdfx_checks(o, trailer, cat, info, annots, pdfx, condition, problems)


def kids_of_page(o, page, cat):
    """The page's reference (its /Pg in the structure)."""
    for ref in o.get(o.get(cat["/Pages"])["/Kids"]) or []:
        if o.get(ref) is page:
            return ref
    return None


MCID = re.compile(rb"<</MCID (\d+)>>\s*BDC")


def mcid_checks(o, i, page, ref, nums, problems):
    """The page's marked content, numbered 0, 1, ... in the order drawn,
    and the parent tree: MCID n's element holds n on this page."""
    refs = page.get("/Contents")
    refs = refs if isinstance(refs, list) else [refs]
    data = b""
    for r in refs:
        st = o.objs.get("obj:" + r, {}).get("stream", {})
        data += base64.b64decode(st.get("data", ""))
    mcids = [int(m) for m in MCID.findall(data)]
    elems = o.get(nums[page["/StructParents"]]) or []
    if mcids != list(range(len(mcids))) or len(mcids) != len(elems):
        problems.append("page %d: MCIDs %s... in the content, %d in the parent tree"
                        % (i + 1, mcids[:5], len(elems)))
        return
    for n, e in enumerate(elems):
        el = o.get(e) or {}
        kids = o.get(el.get("/K"))
        kids = kids if isinstance(kids, list) else [kids]
        held = False
        for k in kids:
            k = o.get(k) if isinstance(k, str) else k
            if isinstance(k, int) and k == n and el.get("/Pg") == ref:
                held = True
            elif isinstance(k, dict) and k.get("/MCID") == n and k.get("/Pg") == ref:
                held = True
        if not held:
            problems.append("page %d: MCID %d is not among its element's kids" % (i + 1, n))
            return


def pdfx_checks(o, trailer, cat, info, annots, pdfx, condition, problems):
    version, gts_version, gts_conf = PDFX[pdfx]
    if o.header.get("pdfversion") != version:
        problems.append("PDF/X: version %s, not %s" % (o.header.get("pdfversion"), version))
    if text_of(info.get("/GTS_PDFXVersion")) != gts_version:
        problems.append("PDF/X: GTS_PDFXVersion %r" % info.get("/GTS_PDFXVersion"))
    if text_of(info.get("/GTS_PDFXConformance")) != gts_conf:
        problems.append("PDF/X: GTS_PDFXConformance %r" % info.get("/GTS_PDFXConformance"))
    if info.get("/Trapped") != "/False":
        problems.append("PDF/X: /Trapped is %r, not /False" % info.get("/Trapped"))
    for k in ("/Title", "/CreationDate", "/ModDate"):
        if not text_of(info.get(k)):
            problems.append("PDF/X: no %s in the info" % k)
    if not trailer.get("/ID"):
        problems.append("PDF/X: no trailer /ID")
    if trailer.get("/Encrypt"):
        problems.append("PDF/X: encrypted")
    intents = [o.get(x) for x in o.get(cat.get("/OutputIntents")) or []]
    gts = [x for x in intents if x and x.get("/S") == "/GTS_PDFX"]
    if len(gts) != 1:
        problems.append("PDF/X: %d GTS_PDFX output intents, not 1" % len(gts))
    else:
        oi = gts[0]
        ident = text_of(oi.get("/OutputConditionIdentifier"))
        if condition and (ident or "").lower() != condition.lower():
            problems.append("PDF/X: output condition %r, not %r" % (ident, condition))
        if not text_of(oi.get("/Info")):
            problems.append("PDF/X: output intent without /Info")
        if not text_of(oi.get("/RegistryName")) and "/DestOutputProfile" not in oi:
            problems.append("PDF/X: output intent without /RegistryName or profile")
    if annots:
        problems.append("PDF/X: %d annotations inside the page" % len(annots))
    for key, d in o.dicts():
        vals = set(v for v in walk_values(d) if isinstance(v, str))
        if "/JavaScript" in vals or "/AA" in d or "/OpenAction" in d:
            problems.append("PDF/X: an action in %s" % key)
        bad = vals.intersection(BAD_SPACES)
        if bad:
            problems.append("PDF/X: colour space %s in %s" % (", ".join(sorted(bad)), key))
        if d.get("/Type") == "/ExtGState" or "/SMask" in d or "/CA" in d or "/ca" in d:
            if d.get("/SMask", "/None") != "/None" or d.get("/CA", 1) < 1 or \
                    d.get("/ca", 1) < 1 or d.get("/BM", "/Normal") not in ("/Normal", "/Compatible"):
                problems.append("PDF/X: transparency in %s" % key)
        group = o.get(d.get("/Group")) if "/Group" in d else None
        if group and group.get("/S") == "/Transparency":
            problems.append("PDF/X: a transparency group in %s" % key)
        if d.get("/Type") == "/FontDescriptor" and not any(f in d for f in FONT_FILES):
            problems.append("PDF/X: font %s not embedded" % d.get("/FontName"))


# ---------------------------------------------------------------------

def check(args):
    src, pdf, pdfx, condition, links, missing_chars, empty = args
    empty = empty.get(os.path.basename(src), [])
    problems = []
    if not os.path.exists(pdf):
        return src, pdf, ["no PDF was written"], 0, 0
    rc, out, err = run(["pdfinfo", pdf])
    if not re.search(r"^Tagged:\s+yes", out.decode("utf-8", "replace"), re.M):
        problems.append("pdfinfo: not tagged")
    with open(src, "rb") as f:
        source = f.read().decode("utf-8", "replace")
    if source.startswith("\ufeff"):
        source = source[1:]
    text, err = struct_text(pdf)
    matched = total = 0
    if text is None:
        problems.append("pdfinfo -struct-text: " + err)
    else:
        have = txtwords.words(pdfcheck.BIDI_MARKS.sub(" ", text))
        best = None
        for join_inline in (True, False):
            want, title = source_order(source, join_inline, missing_chars,
                                       empty)
            n = in_order(want, have)
            if best is None or n * max(1, len(best[1])) > best[0] * max(1, len(want)):
                best = (n, want)
        matched, want = best
        total = len(want)
        problems.extend(order_problems(want, have, title, source, text))
        args_min = check.min_order
        if total and matched / total < args_min:
            problems.append("reading order: %d of %d words in order (%.1f%%): %s" %
                            (matched, total, 100.0 * matched / total,
                             first_difference(want, have)))
    json_checks(pdf, source, pdfx, condition, links, problems)
    return src, pdf, problems, matched, total


check.min_order = 0.0


def order_problems(want, have, title, source, text):
    """Headers and footers must stay out of the structure."""
    problems = []
    if len(FOOTER.findall(text)) > len(FOOTER.findall(source)):
        problems.append("structure holds a footer: %s" % FOOTER.search(text).group(0))
    cw, ch = Counter(want), Counter(have)
    for w in set(txtwords.words(html.unescape(title or "")) + ["page", "of"]):
        if ch[w] > cw[w]:
            problems.append("structure holds %r %d times, the source %d "
                            "(a running header or footer?)" % (w, ch[w], cw[w]))
    return problems


def init(min_order):
    check.min_order = min_order


def main(argv):
    style = Style()
    pdfx_override = None
    links = False
    min_order = 0.0
    every = 1
    jobs = os.cpu_count() or 1
    quiet = False
    pairs = []
    missing_chars = set()
    empty = {}  # source file name -> headings of sections not printed
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--style":
            style = Style(argv[i + 1])
            i += 2
        elif a == "--pdfx":
            pdfx_override = argv[i + 1]
            i += 2
        elif a == "--links":
            links = True
            i += 1
        elif a == "--min-order":
            min_order = float(argv[i + 1])
            i += 2
        elif a == "--every":
            every = max(1, int(argv[i + 1]))
            i += 2
        elif a == "--log":
            with open(argv[i + 1], encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = pdfcheck.EMPTY.match(line.rstrip("\n"))
                    if m:
                        empty.setdefault(os.path.basename(m.group(1)),
                                         []).append(m.group(2))
                    if pdfcheck.MISSING.search(line):
                        for cp in pdfcheck.CODE_POINT.findall(line):
                            missing_chars.add(chr(int(cp, 16)).lower())
            i += 2
        elif a == "-j":
            jobs = int(argv[i + 1])
            i += 2
        elif a == "-q":
            quiet = True
            i += 1
        elif a == "--dirs":
            pairs += pdfcheck.pairs_from_dirs(argv[i + 1], argv[i + 2])
            i += 3
        elif a.startswith("-"):
            print("tagcheck.py: unknown option " + a, file=sys.stderr)
            return 2
        else:
            if i + 1 >= len(argv):
                print("tagcheck.py: SRC without PDF", file=sys.stderr)
                return 2
            pairs.append((a, argv[i + 1]))
            i += 2
    if not pairs:
        print(__doc__, file=sys.stderr)
        return 2
    pdfx = normal_pdfx(pdfx_override) if pdfx_override is not None else style.pdfx
    if pdfx is not None and pdfx not in PDFX:
        print("tagcheck.py: unknown PDF/X version " + pdfx, file=sys.stderr)
        return 2
    pairs = pairs[::every]
    work = [(s, p, pdfx, style.condition, links, missing_chars, empty)
            for s, p in pairs]
    bad = 0
    matched = total = 0
    worst = []
    done, last = 0, time.monotonic()
    with Pool(jobs, initializer=init, initargs=(min_order,)) as pool:
        for src, pdf, problems, m, t in pool.imap(check, work, chunksize=4):
            done += 1
            if len(work) >= 500 and (done % 500 == 0 or time.monotonic() - last > 30):
                last = time.monotonic()
                print("tagcheck: %d of %d checked" % (done, len(work)),
                      file=sys.stderr, flush=True)
            matched += m
            total += t
            if t:
                worst.append((m / t, src))
            if problems:
                bad += 1
                print("FAIL %s -> %s" % (src, pdf))
                for p in problems[:20]:
                    print("  " + p)
            elif not quiet:
                print("ok   %s (%d of %d words in order)" % (pdf, m, t))
    worst.sort()
    print("tagcheck: reading order %d of %d source words in order (%.2f%%); "
          "lowest %s" % (matched, total, 100.0 * matched / max(1, total),
                         ", ".join("%.1f%% %s" % (100 * s, os.path.basename(f))
                                   for s, f in worst[:3])))
    print("tagcheck: %d checked, %d failed" % (len(pairs), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
