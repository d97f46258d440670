#!/usr/bin/env python3
"""xmlwords.py - check medexport's XML against its Markdown source.

For each pair (SRC.md, OUT.xml) it checks two things.

1. No word is lost.  Every word of the source (a run of two or more Unicode
   letters, compared case-insensitively after NFC normalisation, counted with
   multiplicity) must occur in the XML at least as often as in the source.
   Source text is:
     * the whole front matter, keys and values (the XML carries both, as
       <meta name="key">value</meta>);
     * the Markdown body, after removing HTML comments and tags (autolinks
       such as <https://...> and <a@b.org> are kept) and decoding entities;
     * link URLs count: the XML keeps them in <a href="...">, when they are
       http, https or mailto (any other link keeps only its text).  Reference
       labels ([text][label] and the "[label]: url" definitions) and link
       titles ([text](url "title")) do not count: the monograph tree keeps
       neither, only the resolved URL.
   XML text is the text of the document, where inline elements (b, i, sub,
   sup, code, a) join the text around them as inline HTML does in the
   source (GABA<sub>A</sub> is the word "gabaa" on both sides) and every
   other element separates words; plus the values of the attributes that
   carry source text: <meta name>, <a href>.  (id, source, kind, loinc, type and
   start are medexport's own and are not counted, so a word cannot hide in
   the file name.)

2. The structure is right, judged from the source with simple patterns:
     * every heading "### NAME" (or "### NAME:"), and every paragraph that
       begins with "**NAME:**" alone on its line, whose NAME is one of the
       common section names (Usage, Dosage, Side Effects, How it Works,
       Precautions, FAQs, ...) gives a <section> of the matching kind with
       <heading>NAME</heading>; a top-level "**Disclaimer:** ..." paragraph
       gives a section of kind disclaimer;
     * a source with a "Generic Name" heading or "**Generic Name:**" line has
       a non-empty <generic-name>, equal to the line under the heading when
       that line is plain text; a source that never says "generic name" has
       none;
     * every bold question "**Q: text**" is a <question> with that text (as a
       multiset), so N of them give at least N <qa>;
     * every list item that starts with a bold label "**Label:**" (other than
       Q: and A:) has <label>Label</label>.

Usage:
  xmlwords.py [options] SRC.md OUT.xml [SRC.md OUT.xml ...]
  xmlwords.py [options] --dirs SRCDIR OUTDIR   (SRCDIR/a/x.md -> OUTDIR/a/x.xml)
Options:
  --no-structure   check words only
  --max-report N   print at most N problems per file (default 20)
  -q               print only the summary and failing files
Exit status: 0 all good, 1 some loss or problem, 2 usage error.
"""

import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

from wordcheck import (WORD, clean_markdown, pairs_from_args, pairs_from_dirs,
                       report, split_front_matter)
from wordcheck import usage as wordcheck_usage

NS = "{urn:medexport:monograph:2}"
# Inline HTML elements join the text around them: GABA<sub>A</sub> is the
# word "GABAA", as the monograph tree has it.
INLINE_TAG = re.compile(
    r"</?(?:sub|sup|span|b|i|em|strong|u|small|mark|abbr|code|s|del|ins|"
    r"kbd|font|a)(?:\s[^<>]*)?>", re.S | re.I)

HEADING = re.compile(r"^ {0,3}#{2,6}[ \t]+(.*?)[ \t]*$", re.M)
# A paragraph that starts with a bold section name alone on its line.
BOLD_HEADING = re.compile(r"(?:\A|\n[ \t]*\n)\*\*([^*\n]+?):?\*\*:?[ \t]*(?=\n|\Z)")
DISCLAIMER = re.compile(r"^\*\*Disclaimer:?\*\*:?", re.M)
GENERIC_HEADING = re.compile(
    r"^ {0,3}#{2,6}[ \t]+Generic Names?[ \t]*:?[ \t]*\n+([^\n]*)", re.M | re.I)
GENERIC_BOLD = re.compile(
    r"^\*\*Generic Names?:\*\*:?[ \t]*([^\n]*)|^\*\*Generic Names?\*\*:[ \t]*([^\n]*)",
    re.M | re.I)
# The closing ** must be able to close (CommonMark: not followed by a letter
# or digit when it follows punctuation), else cmark keeps the asterisks.
QUESTION = re.compile(r"\*\*Q:[ \t]*(.+?)\*\*(?![^\W_])")
LABEL_ITEM = re.compile(r"^([ \t]*)(?:[*+-]|\d{1,9}[.)])[ \t]+\*\*([^*\n]+?):\*\*")
LIST_ITEM = re.compile(r"^[ \t]*(?:[*+-]|\d{1,9}[.)])[ \t]")
PLAIN_LINE = re.compile(r"^[^*_`\[\]<>#\\&|]+$")

# Section names that leave no doubt about their kind.
KIND_OF_HEADING = {
    "generic name": "generic-name",
    "generic names": "generic-name",
    "usage": "usage",
    "uses": "usage",
    "dosage": "dosage",
    "side effects": "side-effects",
    "how it works": "mechanism",
    "mechanism of action": "mechanism",
    "precautions": "precautions",
    "interactions": "interactions",
    "drug interactions": "interactions",
    "faq": "faq",
    "faqs": "faq",
    "frequently asked questions": "faq",
    "storage": "storage",
    "overdose": "overdose",
    "disclaimer": "disclaimer",
}


def norm(s):
    s = unicodedata.normalize("NFC", s)
    return "".join(c for c in s if unicodedata.category(c) != "Cf")


def words(text):
    """Runs of two or more letters (str.isalpha), so "Fe²⁺" gives "fe"."""
    out = []
    for run in WORD.findall(norm(text).lower()):
        if run.isalpha():
            out.append(run)
            continue
        piece = ""
        for c in run + " ":
            if c.isalpha():
                piece += c
            else:
                if len(piece) >= 2:
                    out.append(piece)
                piece = ""
    return out


def source_words(src):
    fm, body = split_front_matter(src)
    return Counter(words(fm)) + Counter(words(clean_markdown(body, INLINE_TAG)))


# Inline elements join the text around them, as inline HTML does in the
# source; every other element (and <br/>) separates words.
INLINE = {NS + t for t in ("b", "i", "sub", "sup", "code", "a")}


def xml_text(el, parts):
    parts.append(el.text or "")
    for child in el:
        if child.tag in INLINE:
            xml_text(child, parts)
        else:
            parts.append(" ")
            xml_text(child, parts)
            parts.append(" ")
        parts.append(child.tail or "")


def xml_words(root):
    parts = []
    xml_text(root, parts)
    count = Counter(words("".join(parts)))
    for el in root.iter(NS + "meta"):
        count.update(words(el.get("name", "")))
    for el in root.iter(NS + "a"):
        count.update(words(el.get("href", "")))
    return count


def text_of(el):
    return "".join(el.itertext())


def squash(s):
    """Text reduced to its words, for comparing strings loosely."""
    return " ".join(words(s))


def strip_inline_markdown(s):
    s = clean_markdown(s, INLINE_TAG)
    return re.sub(r"[*_`]", "", s).strip()


def check_structure(src, root):
    problems = []
    _, body = split_front_matter(src)
    sections = [(s.get("kind"), (s.findtext(NS + "heading") or "").strip())
                for s in root.iter(NS + "section")]
    have = Counter(sections)

    # Section kinds of unmistakable headings.
    want = Counter()
    for m in list(HEADING.finditer(body)) + list(BOLD_HEADING.finditer(body)):
        name = strip_inline_markdown(m.group(1)).rstrip(":").strip()
        kind = KIND_OF_HEADING.get(name.lower())
        if kind:
            want[(kind, name)] += 1
    if DISCLAIMER.search(body) and not any(k == "disclaimer"
                                           for k, _ in sections):
        problems.append("'**Disclaimer:**' paragraph but no section "
                        "kind=\"disclaimer\"")
    for (kind, name), n in sorted(want.items()):
        if have[(kind, name)] < n:
            problems.append("heading %r should give %d section(s) kind=%r "
                            "with that heading, found %d (sections: %s)" %
                            (name, n, kind, have[(kind, name)],
                             ", ".join("%s=%r" % s for s in sections)))

    # Generic name.
    gn = root.find(NS + "generic-name")
    gn_text = gn.text.strip() if gn is not None and gn.text else ""
    expected = None
    # A heading with nothing under it (the next line is a heading) names
    # no generic name.
    found = [m.group(1) for m in GENERIC_HEADING.finditer(body)
             if not m.group(1).lstrip().startswith("#")]
    found += [m.group(1) or m.group(2) or ""
              for m in GENERIC_BOLD.finditer(body)]
    mentions = bool(found)
    # Combinations name one generic name per component; then the builder
    # may combine them, and only a single statement is compared.
    if len(found) == 1:
        line = found[0].strip()
        if line and PLAIN_LINE.match(line):
            expected = line
    # A statement that is commentary alone ("This combination is not a
    # single generic medicine ...") is no name: the reader warns instead.
    if len(found) == 1 and re.match(r"\s*(This|There|Not|N/A|None)\b",
                                    found[0]):
        mentions = False
    if mentions and not gn_text:
        problems.append("source names a generic name but <generic-name> is "
                        "missing or empty")
    # "A + B (This combination is not ...)": the name is the ingredients,
    # the commentary stays in the section.
    if expected is not None and gn_text and \
            squash(expected).startswith(squash(gn_text)) and \
            expected[len(gn_text):].lstrip()[:1] in ("(", "."):
        expected = gn_text
    if expected is not None and gn_text and squash(gn_text) != squash(expected):
        problems.append("<generic-name> is %r, source says %r" %
                        (gn_text, expected))
    if gn is not None and "generic name" not in src.lower():
        problems.append("<generic-name> %r but the source never names one" %
                        gn_text)

    # Questions.
    want_q = Counter(squash(strip_inline_markdown(q))
                     for q in QUESTION.findall(body))
    qas = list(root.iter(NS + "qa"))
    have_q = Counter(squash(text_of(qa.find(NS + "question")))
                     for qa in qas if qa.find(NS + "question") is not None)
    if len(qas) < sum(want_q.values()):
        problems.append("%d bold Q: questions but %d <qa>" %
                        (sum(want_q.values()), len(qas)))
    for q, n in sorted(want_q.items()):
        if have_q[q] < n:
            problems.append("question %r is not a <question> (%d of %d)" %
                            (q, have_q[q], n))

    # Labels of list items.
    want_l = Counter()
    prev_blank, prev_item = True, False
    for line in body.split("\n"):
        item = LIST_ITEM.match(line)
        indent = len(line) - len(line.lstrip(" \t"))
        if not line.strip():
            prev_blank = True
            continue
        # A line indented 4 or more after a paragraph line is that
        # paragraph's lazy continuation in CommonMark, even when it looks
        # like a list item.
        real = bool(item) and (indent <= 3 or prev_blank or prev_item)
        if item:
            prev_item = real
        elif indent == 0:
            prev_item = False
        prev_blank = False
        m = LABEL_ITEM.match(line) if real else None
        if not m:
            continue
        lab = strip_inline_markdown(m.group(2))
        if re.match(r"^[QA]\b", lab) or not squash(lab):
            continue
        want_l[squash(lab)] += 1
    have_l = Counter(squash(text_of(el)) for el in root.iter(NS + "label"))
    # A labelled item of the precautions ("* **Contraindications:** ...")
    # and the labelled items after it are sub-sections, headed by the label.
    have_l.update(squash(h) for _, h in sections)
    for lab, n in sorted(want_l.items()):
        if have_l[lab] < n:
            problems.append("item label %r is not a <label> (%d of %d)" %
                            (lab, have_l[lab], n))
    return problems


def check_pair(src_path, out_path, structure):
    try:
        with open(src_path, "rb") as f:
            src = f.read().decode("utf-8", "replace")
    except OSError as e:
        return ["cannot read source: %s" % e.strerror]
    if src.startswith("\ufeff"):
        src = src[1:]
    src = src.replace("\r\n", "\n")
    try:
        root = ET.parse(out_path).getroot()
    except OSError as e:
        return ["cannot read output %s: %s" % (out_path, e.strerror)]
    except ET.ParseError as e:
        return ["output %s is not XML: %s" % (out_path, e)]
    if root.tag != NS + "monograph":
        return ["root element of %s is %s, not monograph" % (out_path, root.tag)]

    problems = []
    need = source_words(src)
    have = xml_words(root)
    for w in sorted(need):
        if have[w] < need[w]:
            problems.append("missing word %r (source %d, XML %d)" %
                            (w, need[w], have[w]))
    if structure:
        problems += check_structure(src, root)
    return problems


def usage(msg):
    wordcheck_usage("xmlwords.py", msg)


def main(argv):
    structure = True
    max_report = 20
    quiet = False
    dirs = False
    rest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--no-structure":
            structure = False
        elif a == "--max-report":
            i += 1
            try:
                max_report = int(argv[i])
            except (IndexError, ValueError):
                usage("--max-report needs a number")
        elif a == "--dirs":
            dirs = True
        elif a == "-q":
            quiet = True
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-"):
            usage("unknown option %s" % a)
        else:
            rest.append(a)
        i += 1
    if dirs:
        if len(rest) != 2 or not os.path.isdir(rest[0]):
            usage("--dirs needs SRCDIR OUTDIR")
        pairs = pairs_from_dirs(rest[0], rest[1], ".xml")
    else:
        pairs = pairs_from_args("xmlwords.py", rest)
    return report("xmlwords.py", pairs,
                  lambda src, out: check_pair(src, out, structure), quiet,
                  max_report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
