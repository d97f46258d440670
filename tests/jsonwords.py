#!/usr/bin/env python3
"""jsonwords.py - check medexport's JSON against its Markdown source.

The JSON is the XML's vocabulary written in JSON (docs/json.md): each node's
"type" is the XML element's name.  So each document is read back into the
element tree the XML backend would have written (to_xml() below), and the
checks of tests/xmlwords.py run on that tree unchanged:

1. No word of the source is lost (front matter keys and values, body text,
   link URLs; see xmlwords.py for what counts).
2. The structure the source's simple patterns promise is there: sections of
   the unmistakable headings, the generic name, every "**Q: ...**" question,
   every "**Label:**" of a list item.

Then what the schema cannot say:

3. Inline content never holds two strings in a row, nor an empty string
   (a run of text is one string).
4. The fields that point into the source point at the right place: every
   "line" is within the source; a section's line holds its heading's words
   (the heading as written, or the "Generic Name" the builder names when it
   finds a generic name in a paragraph); a meta entry's line starts with its
   key, unless that key belongs to a nested mapping; a section's level is
   its depth.

With --xml, each JSON document must also equal medexport's XML of the same
source, element for element, attribute for attribute and text for text
(white space between block elements aside, and the control characters the
XML drops): the two backends say the same thing.

Usage:
  jsonwords.py [options] SRC.md OUT.json [SRC.md OUT.json ...]
  jsonwords.py [options] --dirs SRCDIR OUTDIR    (SRCDIR/a/x.md -> OUTDIR/a/x.json)
Options:
  --xml DIR        compare with DIR/a/x.xml (with --dirs: DIR mirrors
                   SRCDIR; without: DIR/NAME.xml for each OUT NAME.json)
  --no-structure   check words only (1, 3 and 4 still run)
  --max-report N   print at most N problems per file (default 20)
  -q               print only the summary and failing files
Exit status: 0 all good, 1 some loss or problem, 2 usage error.
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import xmlwords
from wordcheck import pairs_from_args, pairs_from_dirs, report
from wordcheck import usage as wordcheck_usage

NS = xmlwords.NS
# Elements whose content is only elements: white space in them is the
# XML's indentation.
ELEMENT_ONLY = {NS + t for t in ("monograph", "section", "list", "item", "qa",
                                 "answer", "blockquote")}
# What the XML backend drops (XML 1.0 cannot carry it) and the JSON keeps.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def sub(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, NS + tag, {k: v for k, v in attrs.items()})
    if text is not None and text != "":
        el.text = text
    return el


def add_inlines(el, inlines):
    """Appends inline content (strings and inline nodes) to `el` as the XML's
    mixed content."""
    last = None
    for x in inlines:
        if isinstance(x, str):
            if last is None:
                el.text = (el.text or "") + x
            else:
                last.tail = (last.tail or "") + x
            continue
        t = x["type"]
        if t in ("b", "i", "sub", "sup"):
            last = sub(el, t)
            add_inlines(last, x["inlines"])
        elif t == "code":
            last = sub(el, "code", x["text"])
        elif t == "a":
            last = sub(el, "a", href=x["href"])
            add_inlines(last, x["inlines"])
        elif t == "br":
            last = sub(el, "br")
        else:
            raise ValueError("unknown inline type %r" % t)


def add_blocks(el, blocks):
    for b in blocks:
        t = b["type"]
        if t == "p":
            add_inlines(sub(el, "p"), b["inlines"])
        elif t == "list":
            if b["ordered"]:
                lst = sub(el, "list", type="ordered", start=str(b["start"]))
            else:
                lst = sub(el, "list", type="bullet")
            for item in b["items"]:
                it = sub(lst, "item")
                if "label" in item:
                    add_inlines(sub(it, "label"), item["label"])
                add_blocks(it, item["blocks"])
        elif t == "qa":
            qa = sub(el, "qa")
            add_inlines(sub(qa, "question"), b["question"])
            add_blocks(sub(qa, "answer"), b["answer"])
        elif t == "blockquote":
            add_blocks(sub(el, "blockquote"), b["blocks"])
        elif t == "pre":
            sub(el, "pre", b["text"])
        elif t == "hr":
            sub(el, "hr")
        else:
            raise ValueError("unknown block type %r" % t)


def add_section(el, s):
    attrs = {"kind": s["kind"]}
    for key in ("loinc", "population", "frequency", "ingredient"):
        if key in s:
            attrs[key] = s[key]
    if s.get("serious"):
        attrs["serious"] = "true"
    sec = sub(el, "section", **attrs)
    sub(sec, "heading", s["heading"])
    add_blocks(sec, s["blocks"])
    for child in s["sections"]:
        add_section(sec, child)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def add_meta_value(el, value):
    """A front matter value as the XML writes it: text, or type="list" with
    <item> children, or type="map" with <meta name="..."> children."""
    if isinstance(value, str):
        if value:
            el.text = value
    elif isinstance(value, list):
        el.set("type", "list")
        for v in value:
            add_meta_value(sub(el, "item"), v)
    else:
        el.set("type", "map")
        for k, v in value.items():
            add_meta_value(sub(el, "meta", name=k), v)


def to_xml(doc):
    """The XML backend's element tree of a JSON monograph."""
    root = ET.Element(NS + "monograph", {
        "version": doc["version"], "id": doc["id"], "source": doc["source"],
        "sha256": doc["sha256"], XML_LANG: doc["lang"]})
    if "status" in doc:
        root.set("status", doc["status"])
    sub(root, "title", doc["title"])
    if "generic_name" in doc:
        sub(root, "generic-name", doc["generic_name"])
    for m in doc["meta"]:
        add_meta_value(sub(root, "meta", name=m["key"]), m["value"])
    add_blocks(root, doc["blocks"])
    for s in doc["sections"]:
        add_section(root, s)
    return root


def walk(x, path, visit):
    """Calls visit(node, path) for every object below x."""
    if isinstance(x, dict):
        visit(x, path)
        for k, v in x.items():
            walk(v, path + "/" + k, visit)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, "%s/%d" % (path, i), visit)


def check_json_only(src_lines, doc):
    """What the schema cannot say: text runs, lines, levels (3 and 4)."""
    problems = []
    nlines = len(src_lines)

    def visit(node, path):
        for key in ("inlines", "label", "question"):
            inl = node.get(key)
            if not isinstance(inl, list):
                continue
            for i, x in enumerate(inl):
                if x == "":
                    problems.append("%s/%s/%d: an empty string" % (path, key, i))
                elif isinstance(x, str) and i > 0 and isinstance(inl[i - 1], str):
                    problems.append("%s/%s/%d: two strings in a row" % (path, key, i))
        line = node.get("line")
        if isinstance(line, int) and not 1 <= line <= nlines:
            problems.append("%s: line %d is outside the source (%d lines)" %
                            (path, line, nlines))
    walk(doc, "", visit)
    if problems:
        return problems

    def sections(secs, depth, path):
        for i, s in enumerate(secs):
            p = "%s/sections/%d" % (path, i)
            if s["level"] != depth:
                problems.append("%s: level %d at depth %d" % (p, s["level"], depth))
            # without inline HTML: "* **<em>C. difficile</em>-associated"
            text = re.sub(r"<[^>]*>", "", src_lines[s["line"] - 1])
            want = xmlwords.squash(s["heading"])
            if want and want not in xmlwords.squash(text) and not (
                    s["kind"] == "generic-name" and "generic name" in
                    xmlwords.squash(text)):
                problems.append("%s: heading %r is not on its line %d: %r" %
                                (p, s["heading"], s["line"], text[:80]))
            sections(s["sections"], depth + 1, p)
    sections(doc["sections"], 1, "")
    for i, m in enumerate(doc["meta"]):
        text = src_lines[m["line"] - 1]
        # A key of a nested mapping is "outer: inner" pairs in the value,
        # and sits on the outer key's line; any key may be quoted.
        if not text.lstrip("\"' ").startswith(m["key"]):
            problems.append("/meta/%d: key %r is not on its line %d: %r" %
                            (i, m["key"], m["line"], text[:80]))
    return problems


def comparable(el):
    """`el` with the XML's indentation and the control characters it drops
    removed, so that two trees can be compared with ==."""
    def clean(s):
        return NOT_XML.sub("", s) if s else ""
    kids = [comparable(c) for c in el]
    text = clean(el.text)
    if el.tag in ELEMENT_ONLY and not text.strip():
        text = ""
    return (el.tag, {k: clean(v) for k, v in el.attrib.items()}, text, kids,
            clean(el.tail) if el.tail and el.tail.strip() else "")


def first_difference(a, b, path="monograph"):
    if a[0] != b[0]:
        return "%s: <%s> in the JSON, <%s> in the XML" % (path, a[0][len(NS):], b[0][len(NS):])
    if a[1] != b[1]:
        return "%s: attributes %r in the JSON, %r in the XML" % (path, a[1], b[1])
    if a[2] != b[2]:
        return "%s: text %r in the JSON, %r in the XML" % (path, a[2][:60], b[2][:60])
    if a[4] != b[4]:
        return "%s: text after it %r in the JSON, %r in the XML" % (path, a[4][:60], b[4][:60])
    for i, (x, y) in enumerate(zip(a[3], b[3])):
        d = first_difference(x, y, "%s/%s[%d]" % (path, x[0][len(NS):], i))
        if d:
            return d
    if len(a[3]) != len(b[3]):
        return "%s: %d children in the JSON, %d in the XML" % (path, len(a[3]), len(b[3]))
    return None


def check_pair(src_path, out_path, xml_path, structure):
    try:
        with open(src_path, "rb") as f:
            src = f.read().decode("utf-8", "replace")
    except OSError as e:
        return ["cannot read source: %s" % e.strerror]
    try:
        with open(out_path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        return ["cannot read output %s: %s" % (out_path, e.strerror)]
    except ValueError as e:  # bad UTF-8 or bad JSON
        return ["output %s is not JSON in UTF-8: %s" % (out_path, e)]
    if src.startswith("\ufeff"):
        src = src[1:]
    # Lines as the builder counts them: at line feeds only.
    src_lines = src.split("\n")
    src = src.replace("\r\n", "\n")
    try:
        root = to_xml(doc)
    except (KeyError, TypeError, ValueError) as e:
        return ["%s does not have the vocabulary's shape (%r); "
                "validate it against the schema" % (out_path, e)]

    problems = []
    need = xmlwords.source_words(src)
    have = xmlwords.xml_words(root)
    for w in sorted(need):
        if have[w] < need[w]:
            problems.append("missing word %r (source %d, JSON %d)" %
                            (w, need[w], have[w]))
    if structure:
        problems += xmlwords.check_structure(src, root)
    problems += check_json_only(src_lines, doc)
    if xml_path is not None:
        try:
            xml_root = ET.parse(xml_path).getroot()
        except (OSError, ET.ParseError) as e:
            return problems + ["cannot read the XML %s: %s" % (xml_path, e)]
        d = first_difference(comparable(root), comparable(xml_root))
        if d:
            problems.append("differs from %s: %s" % (xml_path, d))
    return problems


def usage(msg):
    wordcheck_usage("jsonwords.py", msg)


def main(argv):
    structure = True
    max_report = 20
    quiet = False
    dirs = False
    xml_dir = None
    rest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--no-structure":
            structure = False
        elif a in ("--max-report", "--xml"):
            i += 1
            if i >= len(argv):
                usage("%s needs a value" % a)
            if a == "--xml":
                xml_dir = argv[i]
            else:
                try:
                    max_report = int(argv[i])
                except ValueError:
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
        pairs = pairs_from_dirs(rest[0], rest[1], ".json")
        xml_of = {out: os.path.join(xml_dir, os.path.relpath(out, rest[1])[:-5] + ".xml")
                  for _, out in pairs} if xml_dir else {}
    else:
        pairs = pairs_from_args("jsonwords.py", rest)
        xml_of = {out: os.path.join(xml_dir, os.path.basename(out)[:-5] + ".xml")
                  for _, out in pairs} if xml_dir else {}
    return report("jsonwords.py", pairs,
                  lambda src, out: check_pair(src, out, xml_of.get(out), structure),
                  quiet, max_report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
