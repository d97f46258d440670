#!/usr/bin/env python3
"""Plants one defect of each lint check into monographs and checks that
`medexport --lint` finds it where it was planted.

usage: tests/lintplant.py MEDEXPORT OUTDIR FILE.md ...

For every input and every check below, the input gets one defect of that
kind (when the input has what the defect needs: a Dosage section to take
away, an FAQ to add a question to); the copies go to OUTDIR/CHECK/N/ under the input's own name, and
one `--lint --lint-format=json` run per check reads them.  A planted
defect is found when a finding of that check names the copy at the line
the defect was planted on (or anywhere in the file, for the checks that
report a file-wide absence).  Findings of the check beyond those of the
unchanged input and the planted one are counted as strays.  Prints a table; exits 1 if any planted defect was missed.
"""
import json
import os
import re
import subprocess
import sys

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def headings(lines):
    """(index, level, text) of the ATX headings outside code fences."""
    out, fence = [], None
    for i, line in enumerate(lines):
        m = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if m:
            mark = m.group(1)[0]
            if fence is None:
                fence = mark
            elif fence == mark:
                fence = None
            continue
        if fence is None:
            h = HEADING.match(line)
            if h:
                out.append((i, len(h.group(1)), h.group(2)))
    return out


def section(lines, pattern):
    """(start, end) of the first level-2/3 section whose heading matches:
    the heading's index and the index of the next heading of its level or
    higher (or the end)."""
    hs = headings(lines)
    for n, (i, level, text) in enumerate(hs):
        if level in (2, 3) and re.search(pattern, text, re.I):
            end = len(lines)
            for j, lv, _ in hs[n + 1:]:
                if lv <= level:
                    end = j
                    break
            return i, end
    return None


def level(lines, s):
    """The marks of the heading that opens section s."""
    return HEADING.match(lines[s[0]]).group(1)


def has_heading(lines, pattern):
    return any(re.search(pattern, t, re.I) for _, _, t in headings(lines))


def front_matter_end(lines):
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i
    return None


def insert(lines, at, new):
    """New lines at index `at`, set off by blank lines; returns the copy
    and the 1-based line of the first new line."""
    block = [""] + new + [""]
    return lines[:at] + block + lines[at:], at + 2


# Each planting returns (lines, line) with line 0 for "anywhere", or None
# when the input lacks what the defect needs.
def plant_missing_section(lines):
    s = section(lines, r"^dosage\b|^dosing\b|^dose\b")
    if s is None or has_heading(lines[s[1]:], r"dos(ag|ing)"):
        return None
    # With no other section left it is no-content's case, not this one.
    if len([h for h in headings(lines) if h[1] in (2, 3)]) < 3:
        return None
    return lines[:s[0]] + lines[s[1]:], 0


def plant_empty_section(lines):
    s = section(lines, r"^usage\b|^uses\b")
    if s is None or has_heading(lines, r"overdos"):
        return None
    return insert(lines, s[1], ["### Overdose"])


def plant_duplicate_section(lines):
    s = section(lines, r"^side effects?\b")
    if s is None:
        return None
    # The same heading again, as an editor's paste leaves it.
    return insert(lines, s[1], [lines[s[0]], "", "* Headache"])


def plant_unknown_heading(lines):
    s = section(lines, r"^usage\b|^uses\b")
    if s is None:
        return None
    return insert(lines, s[1], [level(lines, s) + " Zorblax Quuxification", "",
                                "Some text under it."])


def plant_heading_jump(lines):
    s = section(lines, r"^usage\b|^uses\b")
    if s is None or headings(lines[s[0]:s[0] + 1])[0][1] != 3:
        return None
    return insert(lines, s[1], ["##### Details", "", "Some text under it."])


def plant_unanswered_question(lines):
    s = section(lines, r"^faqs?\b|frequently asked")
    if s is None or not any(l.startswith("**Q") for l in lines[s[0]:s[1]]):
        return None
    return insert(lines, s[1], ["**Q: Can I drive after taking it?**"])


def plant_generic_name(lines):
    s = section(lines, r"^generic name\s*$")
    if s is None:
        return None
    text = ("This is not a single medicine but a combination sold under "
            "many brand names; ask your pharmacist which one you have.")
    return lines[:s[0] + 1] + [text, ""] + lines[s[1]:], s[0] + 2


def plant_no_content(lines):
    end = front_matter_end(lines)
    hs = [h for h in headings(lines) if h[1] == 1]
    if end is None or not hs:
        return None
    title = hs[0][0]
    return lines[:title + 1] + [
        "", "We could not find a medicine of this name; check the "
        "spelling or ask a pharmacist."
    ], 0


def plant_population_order(lines):
    s = section(lines, r"^dosage\b")
    if s is None:
        return None
    # A labelled item: "**Children:** ..." as a paragraph would open a
    # sub-section of its own (the reader's populations).
    body = ["**Adults:**", "", "* 500 mg twice a day.",
            "* **Children:** 250 mg twice a day."]
    out = lines[:s[0] + 1] + [""] + body + [""] + lines[s[1]:]
    return out, s[0] + 6


def plant_unsupported_markup(lines):
    s = section(lines, r"^usage\b|^uses\b")
    if s is None:
        return None
    return insert(lines, s[1], ["| Age | Dose |", "|---|---|",
                                "| 12 and over | 5 mg |"])


def plant_title_mismatch(lines):
    # The first heading changes: the front matter's title and the file
    # name still agree, so only the heading differs.
    if front_matter_end(lines) is None:
        return None
    hs = [h for h in headings(lines) if h[1] == 1]
    if not hs:
        return None
    i = hs[0][0]
    return lines[:i] + ["# Zorblax Quuxification"] + lines[i + 1:], i + 1


def plant_front_matter(lines):
    end = front_matter_end(lines)
    if end is None:
        return None
    return lines[:end] + ["colour: blue"] + lines[end:], end + 1


def plant_missing_glyph(lines):
    # U+E000, private use: no font has it (run with a style).
    s = section(lines, r"^usage\b|^uses\b")
    if s is None:
        return None
    return insert(lines, s[1], ["Marked \ue000 on the old labels."])


PLANTS = {
    "missing-section": plant_missing_section,
    "empty-section": plant_empty_section,
    "duplicate-section": plant_duplicate_section,
    "unknown-heading": plant_unknown_heading,
    "heading-jump": plant_heading_jump,
    "unanswered-question": plant_unanswered_question,
    "generic-name": plant_generic_name,
    "no-content": plant_no_content,
    "population-order": plant_population_order,
    "unsupported-markup": plant_unsupported_markup,
    "title-mismatch": plant_title_mismatch,
    "front-matter": plant_front_matter,
    "missing-glyph": plant_missing_glyph,
}


def lint(medexport, paths):
    """Findings per file name, as (check, line) pairs (with a style, so
    that missing-glyph runs too)."""
    if not paths:
        return {}
    r = subprocess.run([medexport, "--lint", "--style", "leaflet-a4",
                        "--lint-format=json"] + paths,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       check=False)
    if r.returncode not in (0, 1):
        sys.exit("lintplant: medexport --lint exited %d" % r.returncode)
    found = {}
    for f in json.loads(r.stdout):
        found.setdefault(f["file"], []).append((f["check"], f["line"]))
    return found


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    medexport, outdir, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    before = lint(medexport, inputs)
    missed = 0
    print("%-20s %8s %8s %8s %8s" % ("check", "planted", "found", "missed",
                                      "stray"))
    for check, plant in PLANTS.items():
        d = os.path.join(outdir, check)
        os.makedirs(d, exist_ok=True)
        planted = {}
        for n, path in enumerate(inputs):
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            got = plant(lines)
            if got is None:
                continue
            # The copy keeps the input's name (title-mismatch reads it).
            copy = os.path.join(d, "%05d" % n, os.path.basename(path))
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            with open(copy, "w", encoding="utf-8") as f:
                f.write("\n".join(got[0]))
            planted[copy] = (path, got[1])
        found = lint(medexport, list(planted))
        hits = misses = strays = 0
        for copy, (path, line) in sorted(planted.items()):
            had = [l for c, l in before.get(path, []) if c == check]
            mine = [l for c, l in found.get(copy, []) if c == check]
            hit = any(line == 0 or l == line for l in mine)
            strays += max(0, len(mine) - len(had) - hit)
            if hit:
                hits += 1
            else:
                misses += 1
                if misses <= 3:
                    print("  missed %s in %s (planted at line %d; found %s)"
                          % (check, path, line, mine or "none"))
        missed += misses
        print("%-20s %8d %8d %8d %8d" % (check, len(planted), hits, misses,
                                          strays))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
