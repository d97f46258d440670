#!/bin/sh
# tests/check-json.sh - the JSON backend: the schema itself, golden and
# content/ outputs (valid against styles/monograph.schema.json, every word
# kept, the same tree as the XML), standard input and output, file names
# and text JSON must escape or repair, determinism, JSON Lines feeds, and
# the whole corpus: every output valid, every word kept, the same as the
# XML, and a feed of it all.
#
#   CORPUS=../shared/corpus/rxhive tests/check-json.sh
#
# Run from anywhere; it works from the project root.  When the corpus is
# absent its part is skipped with a message and the rest still decides.
# Prints each failure and exits 1 when anything failed.

cd "$(dirname "$0")/.." || exit 2
SCHEMA=styles/monograph.schema.json
# A hung medexport must fail the test, not stall it (it ignores SIGTERM
# until the current file is done, hence KILL).
MX="timeout -s KILL 60 ./medexport"
MX_CORPUS="timeout -s KILL 900 ./medexport"
CORPUS=${CORPUS:-../shared/corpus/rxhive}

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

[ -x ./medexport ] || { echo "check-json: ./medexport missing; run make"; exit 1; }
# Debian's python3 has the jsonschema that scripts/install-deps installs
# (4.10, which knows Draft 2020-12; it is also three times as fast as
# recent releases); a python3 earlier in PATH may have none.
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || { echo "check-json: python3 with jsonschema is needed (scripts/install-deps)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-json.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The validator: one process for any number of files.
#   validate.py FILE...          each file is one monograph document
#   validate.py --list FILE      the documents named in FILE, one a line
#   validate.py --feed FEED N F [DIR SRC]
#                                FEED is JSON Lines: N monograph lines, each
#                                valid, with unique ids, then a summary of N
#                                and F failed; with DIR SRC, each line equals
#                                DIR/a/x.json for its source a/x.md (below
#                                the directory SRC the feed was made of: so
#                                it is valid too, the files were validated)
cat >"$tmp/validate.py" <<'EOF'
import json, os, sys
import jsonschema

schema = json.load(open("styles/monograph.schema.json", encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
doc_v = jsonschema.Draft202012Validator(schema)
line_v = jsonschema.Draft202012Validator(
    {"$ref": "#/$defs/monograph", "$defs": schema["$defs"]})
summary_v = jsonschema.Draft202012Validator(
    {"$ref": "#/$defs/summary", "$defs": schema["$defs"]})
bad = 0


def problem(where, msg):
    global bad
    bad += 1
    if bad <= 20:
        print("%s: %s" % (where, msg))


def invalid(v, doc):
    err = jsonschema.exceptions.best_match(v.iter_errors(doc))
    return None if err is None else "%s at /%s" % (
        err.message[:200], "/".join(str(p) for p in err.absolute_path))


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.endswith(b"\n"):
        raise ValueError("does not end with a newline")
    return json.loads(raw.decode("utf-8"))


def files(paths):
    for p in paths:
        try:
            doc = load(p)
        except (OSError, ValueError) as e:
            problem(p, "not a JSON document in UTF-8: %s" % e)
            continue
        why = invalid(doc_v, doc)
        if why:
            problem(p, "not valid against the schema: " + why)
    print("%d of %d document(s) not valid" % (bad, len(paths)))


def feed(path, count, failed, out_dir=None, src_dir=None):
    with open(path, "rb") as f:
        raw = f.read()
    # JSON Lines: lines end at line feeds only.  U+2028 and U+2029 may sit
    # in a JSON string as they are; a reader must not split at them.
    if not raw.endswith(b"\n"):
        problem(path, "does not end with a newline")
    lines = raw.split(b"\n")[:-1]
    ids = set()
    same = 0
    for n, line in enumerate(lines[:-1], 1):
        where = "%s:%d" % (path, n)
        try:
            doc = json.loads(line.decode("utf-8"))
        except ValueError as e:
            problem(where, "not JSON in UTF-8: %s" % e)
            continue
        if not isinstance(doc, dict) or doc.get("type") != "monograph":
            problem(where, "not a monograph line")
            continue
        if doc.get("id") in ids:
            problem(where, "id %r twice in the feed" % doc.get("id"))
        ids.add(doc.get("id"))
        mine = None
        if out_dir is not None:
            # "source" is the path below the directory given.
            rel = doc.get("source", "")
            try:
                mine = load(os.path.join(out_dir, rel[:-3] + ".json"))
            except (OSError, ValueError):
                pass
        if mine is not None and mine == doc:
            same += 1
            continue
        why = invalid(line_v, doc)
        if why:
            problem(where, "not a valid monograph: " + why)
        elif out_dir is not None:
            problem(where, "no document of %s, or a different one" %
                    doc.get("source"))
    try:
        summary = json.loads(lines[-1].decode("utf-8")) if lines else None
    except ValueError:
        summary = None
    want = {"type": "summary", "count": count, "failed": failed}
    if not isinstance(summary, dict) or \
            {k: summary.get(k) for k in want} != want:
        problem(path, "last line %r is not the summary %r" %
                (lines[-1][:200] if lines else b"", want))
    elif invalid(summary_v, summary):
        problem(path, "the summary is not valid against the schema")
    if len(lines) - 1 != count:
        problem(path, "%d monograph lines, want %d" % (len(lines) - 1, count))
    print("%d monograph lines, %d unique ids%s, summary %s; %d problem(s)" %
          (max(len(lines) - 1, 0), len(ids),
           ", %d the same as their documents" % same if out_dir else "",
           lines[-1].decode("utf-8", "replace") if lines else "none", bad))


args = sys.argv[1:]
if args and args[0] == "--list":
    with open(args[1], encoding="utf-8", errors="surrogateescape") as f:
        files([l.rstrip("\n") for l in f if l.strip()])
elif args and args[0] == "--feed":
    feed(args[1], int(args[2]), int(args[3]), *args[4:6])
else:
    files(args)
sys.exit(1 if bad else 0)
EOF

valid() {
	"$PY" "$tmp/validate.py" "$@" >"$tmp/valid.out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || head -20 "$tmp/valid.out"
	return $rc
}

# --- The schema ------------------------------------------------------------
# It must be a schema, and it must say no: a schema that accepts anything
# would let every test below pass.
cat >"$tmp/negative.py" <<'EOF'
import copy, json, sys
import jsonschema
schema = json.load(open("styles/monograph.schema.json", encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
doc = json.load(open(sys.argv[1], encoding="utf-8"))
if not v.is_valid(doc):
    sys.exit("the golden document is not valid")
s0 = lambda d: d["sections"][0]
cases = {
    "no id": lambda d: d.pop("id"),
    "an unknown key": lambda d: d.update(extra=1),
    "an unknown kind": lambda d: s0(d).update(kind="dose"),
    "no loinc on side-effects": lambda d: s0(d).pop("loinc"),
    "a loinc on other": lambda d: s0(d).update(kind="other"),
    "a string among blocks": lambda d: s0(d)["blocks"].append("text"),
    "an unknown block": lambda d: s0(d)["blocks"].append({"type": "table", "line": 1}),
    "an unknown inline": lambda d: s0(d)["blocks"][0]["items"][0]["label"].append({"type": "u", "inlines": []}),
    "a bullet list with a start": lambda d: s0(d)["blocks"][0].update(start=1),
    "a paragraph without its line": lambda d: s0(d)["blocks"][0]["items"][0]["blocks"][0].pop("line"),
    "a number as text": lambda d: s0(d)["blocks"][0]["items"][0]["label"].append(3),
    # What a partner must never receive (as the XML's schema says).
    "a blank title": lambda d: d.update(title="  "),
    "a blank heading": lambda d: s0(d).update(heading=" "),
    "a blank meta key": lambda d: d["meta"][0].update(key=""),
    "a blank nested meta key": lambda d: d["meta"][0].update(value={" ": "v"}),
    "a number as a meta value": lambda d: d["meta"][0].update(value=[1]),
    "an ftp link": lambda d: s0(d)["blocks"][0]["items"][0]["label"].append(
        {"type": "a", "href": "ftp://x.org/", "inlines": []}),
    "a relative link": lambda d: s0(d)["blocks"][0]["items"][0]["label"].append(
        {"type": "a", "href": "dosage.html", "inlines": []}),
    "vocabulary 1": lambda d: d.update(vocabulary="urn:medexport:monograph:1"),
    "no version": lambda d: d.pop("version"),
    "no sha256": lambda d: d.pop("sha256"),
    "an upper-case sha256": lambda d: d.update(sha256=d["sha256"].upper()),
    "no lang": lambda d: d.pop("lang"),
    "a lang that is not a tag": lambda d: d.update(lang="en GB"),
    "an id in upper case": lambda d: d.update(id="Labels"),
}
summary_v = jsonschema.Draft202012Validator(
    {"$ref": "#/$defs/summary", "$defs": schema["$defs"]})
for when in ("2024-05-01T12:00:00", "2024-05-01 12:00:00Z"):
    if summary_v.is_valid({"type": "summary", "count": 0, "failed": 0,
                           "generated": when}):
        sys.exit("the schema accepts the feed time " + when)
accepted = []
for name, mutate in cases.items():
    d = copy.deepcopy(doc)
    mutate(d)
    if v.is_valid(d):
        accepted.append(name)
if accepted:
    sys.exit("the schema accepts " + ", ".join(accepted))
print("%d wrong documents and 2 feed times rejected" % len(cases))
EOF
if "$PY" "$tmp/negative.py" tests/golden/labels.json >"$tmp/neg.out" 2>&1; then
	ok "the schema is a Draft 2020-12 schema and rejects wrong documents ($(cat "$tmp/neg.out"))"
else
	fail "schema: $(tail -1 "$tmp/neg.out")"
fi

# --- Golden files and content/ ---------------------------------------------
# check-golden.sh compares the bytes; here each golden and each example of
# content/ must be valid, keep its words, and be the same tree as the XML.
n=0
mkdir -p "$tmp/own/json" "$tmp/own/xml"
for md in tests/golden/*.md content/*.md; do
	[ -f "$md" ] || continue
	name=$(basename "$md" .md)
	n=$((n + 1))
	$MX --json -q -o - "$md" >"$tmp/own/json/$name.json" 2>"$tmp/err" ||
		{ fail "$md: medexport --json failed"; cat "$tmp/err"; }
	$MX --xml -q -o - "$md" >"$tmp/own/xml/$name.xml" 2>/dev/null ||
		fail "$md: medexport --xml failed"
	set -- "$@" "$md" "$tmp/own/json/$name.json"
done
if valid "$tmp"/own/json/*.json; then
	ok "$n golden and content/ documents are valid"
else
	fail "golden or content/ documents are not valid"
fi
if "$PY" tests/jsonwords.py -q --xml "$tmp/own/xml" "$@" >"$tmp/words"; then
	ok "$n golden and content/ documents keep every word and are the XML's tree"
else
	fail "golden or content/ documents: words, structure or XML"
	head -20 "$tmp/words"
fi
set --

# --- Standard input and output -----------------------------------------------
printf -- '---\ntitle: Stdin\n---\n\n# Stdin\n\n### Usage\nFrom a pipe.\n' |
	$MX --json -o - - >"$tmp/stdin.json" 2>"$tmp/err" ||
	{ fail "stdin: medexport failed"; cat "$tmp/err"; }
if valid "$tmp/stdin.json" &&
	grep -q '"source": "<stdin>"' "$tmp/stdin.json" &&
	grep -q '"loinc": "34067-9"' "$tmp/stdin.json"; then
	ok "stdin to stdout"
else
	fail "stdin to stdout: invalid or incomplete output"
fi
# Documents one after another are not one JSON text: one stream takes one.
if $MX --json -o - content/*.md >"$tmp/two.json" 2>"$tmp/err"; then
	fail "several JSON documents were written to one stream"
elif [ $? -eq 2 ] && grep -q -- '--feed' "$tmp/err" && [ ! -s "$tmp/two.json" ]; then
	ok "several documents on one stream are refused, pointing to --feed"
else
	fail "several documents on one stream: wrong status or message"
	cat "$tmp/err"
fi

# --- What JSON must escape, and what is not UTF-8 -----------------------------
# Control characters (raw, and &#1; through cmark's entities), quotes,
# backslashes, slashes and U+2028/U+2029 are text JSON can carry: escaped
# where JSON requires it, kept whatever the XML does.  U+FFFE is not a
# character: the reader makes it U+FFFD, with a warning, in every backend.
printf -- '---\ntitle: "Quote \\" and back\\\\slash"\n---\n\n# Control\001 characters\n\n### Usage\nA\002 and escape\033, U+FFFE \357\277\276, U+2028 [\342\200\250] and U+2029 [\342\200\251] here; a/slash.\n\n* **Label\003:** item `code\005`\n\nEntity &#1; and a [link](http://x.org/\006y).\n\n    a\ttab in code\n' >"$tmp/ctrl.md"
if $MX --json -o - "$tmp/ctrl.md" >"$tmp/ctrl.json" 2>"$tmp/ctrl.err" &&
	valid "$tmp/ctrl.json" &&
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
t = json.dumps(d, ensure_ascii=False)
need = ["Control\\u0001", "A\\u0002 and escape\\u001b", "U+FFFE \ufffd", "a\\ttab",
        "[\u2028]", "[\u2029]", "a/slash", "Entity \\u0001", "x.org/\\u0006y",
        "Quote \\\" and back\\\\slash"]
missing = [n for n in need if n not in t]
sys.exit("missing: " + ", ".join(missing) if missing else 0)' "$tmp/ctrl.json" &&
	! grep -q '\\/' "$tmp/ctrl.json"; then
	ok "control characters, quotes, U+2028 and slashes are kept and escaped as JSON needs"
else
	fail "text JSON must escape: lost, or invalid"
	cat "$tmp/ctrl.err"
fi
if $MX --json --feed "$tmp/ctrl.jsonl" "$tmp/ctrl.md" 2>/dev/null &&
	valid --feed "$tmp/ctrl.jsonl" 1 0; then
	ok "a feed line with U+2028 and control characters is still one line"
else
	fail "a feed with U+2028 or control characters"
fi
# A file name that is not UTF-8 (Latin-1 e-acute, a control character)
# goes into "source" (and the title, which then comes from the file name).
mkdir -p "$tmp/names"
odd="$tmp/names/caf$(printf '\351')-$(printf '\001').md"
printf 'Text without a title.\n' >"$odd"
if $MX --json -o - "$odd" >"$tmp/odd.json" 2>"$tmp/odd.err" &&
	valid "$tmp/odd.json" && grep -q "caf$(printf '\357\277\275')-\\\\u0001" "$tmp/odd.json" &&
	[ "$(grep -c 'warning: the file name is not UTF-8' "$tmp/odd.err")" -eq 1 ] &&
	$MX --json --feed "$tmp/odd.jsonl" "$odd" 2>/dev/null &&
	valid --feed "$tmp/odd.jsonl" 1 0; then
	ok "a file name that is not UTF-8 gives valid documents and feeds, with a warning"
else
	fail "a file name that is not UTF-8"
	cat "$tmp/odd.err"
fi

# --- Determinism ---------------------------------------------------------------
# The same bytes on every run, with any number of workers and in any
# locale (json-c prints doubles by the locale; the vocabulary has none).
$MX -q --json -j 1 -o "$tmp/det1" tests/golden content >/dev/null 2>&1
LC_ALL=C.UTF-8 $MX -q --json -j 2 -o "$tmp/det2" tests/golden content >/dev/null 2>&1
if [ -d "$tmp/det1" ] && diff -r "$tmp/det1" "$tmp/det2" >/dev/null; then
	ok "two runs give identical documents"
else
	fail "two runs give different documents"
fi
SOURCE_DATE_EPOCH=1700000000 $MX -q --json --feed "$tmp/feed1.jsonl" tests/golden content 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 LC_ALL=C $MX -q --feed "$tmp/feed2.jsonl" tests/golden content 2>/dev/null
nin=$(ls tests/golden/*.md content/*.md | wc -l)
if cmp -s "$tmp/feed1.jsonl" "$tmp/feed2.jsonl" &&
	tail -1 "$tmp/feed1.jsonl" | grep -q '"generated":"2023-11-14T22:13:20Z"}$'; then
	ok "SOURCE_DATE_EPOCH makes feeds identical (and FILE.jsonl picks --json)"
else
	fail "feeds differ or ignore SOURCE_DATE_EPOCH"
fi
if valid --feed "$tmp/feed1.jsonl" "$nin" 0; then
	ok "a small feed: $(tail -1 "$tmp/valid.out")"
else
	fail "a small feed is not right"
fi
# Each line of a feed is the document of its monograph.
$MX -q --json --feed "$tmp/golden.jsonl" tests/golden 2>/dev/null
if valid --feed "$tmp/golden.jsonl" "$(ls tests/golden/*.md | wc -l)" 0 tests/golden tests/golden; then
	ok "each line of a feed is its monograph's document"
else
	fail "feed lines differ from the documents"
fi
# Without SOURCE_DATE_EPOCH the feed is stamped with the time it was made.
$MX -q --json --feed "$tmp/now.jsonl" content 2>/dev/null
year=$(date -u +%Y)
tail -1 "$tmp/now.jsonl" | grep -q "\"generated\":\"$year-" ||
	fail "a feed without SOURCE_DATE_EPOCH is not stamped with the time"

# A failed input is left out of the feed and counted.
printf '' >"$tmp/empty.md"
SOURCE_DATE_EPOCH=0 $MX -q --json --feed "$tmp/feed3.jsonl" content/tolperisone.md \
	content/paracetamol.md "$tmp/empty.md" 2>/dev/null
if valid --feed "$tmp/feed3.jsonl" 2 1; then
	ok "a failed input is left out of the feed and counted"
else
	fail "feed with a failed input"
	cat "$tmp/feed3.jsonl"
fi
# Two files of one id (one file name in two folders) are never renumbered:
# the feed is refused, naming both, and nothing is written.
mkdir -p "$tmp/dup/a" "$tmp/dup/b"
cp content/tolperisone.md "$tmp/dup/a/"
cp content/tolperisone.md "$tmp/dup/b/"
$MX -q --json --feed "$tmp/feed4.jsonl" "$tmp/dup" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$tmp/feed4.jsonl" ] &&
	grep -q "dup/b/tolperisone.md: error: the id 'tolperisone' is also that of .*dup/a/tolperisone.md" "$tmp/err"; then
	ok "two files of one id: the feed is refused, naming both"
else
	fail "two files of one id: exit $rc, or a feed written, or the files not named"
	cat "$tmp/err"
fi

# --- The corpus ------------------------------------------------------------------
if [ ! -d "$CORPUS" ]; then
	echo "skip: no corpus at $CORPUS (set CORPUS); the corpus checks were not run"
else
	nsrc=$(find "$CORPUS" -name '*.md' | wc -l)
	if $MX_CORPUS -q --json -o "$tmp/corpus" "$CORPUS" 2>"$tmp/err"; then
		ok "corpus: medexport converted $nsrc files"
	else
		fail "corpus: medexport reported failures"
		head -20 "$tmp/err"
	fi
	find "$tmp/corpus" -name '*.json' >"$tmp/corpus.list"
	nout=$(wc -l <"$tmp/corpus.list")
	[ "$nout" -eq "$nsrc" ] || fail "corpus: $nsrc inputs but $nout JSON files"
	if valid --list "$tmp/corpus.list"; then
		ok "corpus: every document is valid against the schema ($nout)"
	else
		fail "corpus: $(tail -1 "$tmp/valid.out")"
	fi

	$MX_CORPUS -q --xml -o "$tmp/corpus-xml" "$CORPUS" 2>/dev/null ||
		fail "corpus: medexport --xml reported failures"
	if "$PY" tests/jsonwords.py -q --max-report 10 --xml "$tmp/corpus-xml" \
		--dirs "$CORPUS" "$tmp/corpus" >"$tmp/words"; then
		ok "corpus: every word, section, generic name, question, label and line kept; the same tree as the XML"
	else
		fail "corpus: $(tail -1 "$tmp/words")"
		head -40 "$tmp/words"
	fi

	# A feed of the whole corpus; its peak memory is compared with that of
	# a feed of 50 files, to see that memory stays flat.  Under
	# AddressSanitizer freed memory sits in a quarantine that grows with
	# everything allocated, so it is turned off here; the release binary
	# ignores ASAN_OPTIONS.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
	export ASAN_OPTIONS
	small=$(find "$CORPUS" -name '*.md' | sort | head -50)
	# shellcheck disable=SC2086
	rss_small=$("$PY" -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		$MX_CORPUS -q --json --feed "$tmp/small.jsonl" $small)
	rss_all=$("$PY" -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r == 0 else -1)' \
		$MX_CORPUS -q --json --feed "$tmp/feed.jsonl" "$CORPUS")
	if [ "$rss_all" -lt 0 ]; then
		fail "corpus feed: medexport failed"
	elif valid --feed "$tmp/feed.jsonl" "$nsrc" 0 "$tmp/corpus" "$CORPUS"; then
		ok "corpus feed: $(tail -1 "$tmp/valid.out")"
	else
		fail "corpus feed: $(tail -1 "$tmp/valid.out")"
	fi
	if [ "$rss_all" -gt 0 ] && [ "$rss_all" -le $((rss_small + 8192)) ]; then
		ok "corpus feed memory is flat (${rss_all} KiB peak; 50 files: ${rss_small} KiB)"
	else
		fail "corpus feed memory grows: ${rss_all} KiB for the corpus, ${rss_small} KiB for 50 files"
	fi
fi

if [ "$failures" -ne 0 ]; then
	echo "check-json: $failures failure(s)"
	exit 1
fi
echo "check-json: all passed"
exit 0
