#!/bin/sh
# tests/check-xml.sh - the XML backend: golden files, schema validity,
# control characters, determinism, the whole corpus (every file converts,
# validates, keeps every word and has the right structure) and a feed of
# the whole corpus.
#
#   CORPUS=../shared/corpus/rxhive tests/check-xml.sh
#
# Run from anywhere; it works from the project root.  Without $CORPUS (or
# when it is not a directory) the corpus parts are skipped with a message.
# Prints each failure and exits 1 when anything failed.

cd "$(dirname "$0")/.." || exit 2
SCHEMA=styles/monograph.xsd
# A hung medexport must fail the test, not stall it (it ignores SIGTERM
# until the current file is done, hence KILL).
MX="timeout -s KILL 60 ./medexport"
MX_CORPUS="timeout -s KILL 900 ./medexport"
CORPUS=${CORPUS:-}

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

for tool in xmllint python3 cmp timeout; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "check-xml: $tool is needed (scripts/install-deps)"
		exit 1
	}
done
[ -x ./medexport ] || { echo "check-xml: ./medexport missing; run make"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-xml.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Validates files against the schema with xmllint; prints its complaints.
xsd_valid() {
	xmllint --noout --schema "$SCHEMA" "$@" 2>"$tmp/xmllint.err"
	rc=$?
	grep -v ' validates$' "$tmp/xmllint.err" | head -20
	return $rc
}

# --- The schema itself -------------------------------------------------
if xmllint --noout "$SCHEMA" 2>"$tmp/err" &&
	echo '<monograph xmlns="urn:medexport:monograph:2" version="2.0" id="x" source="x.md" sha256="'"$(printf '%064d' 0)"'" xml:lang="en"><title>T</title></monograph>' |
	xmllint --noout --schema "$SCHEMA" - 2>/dev/null; then
	ok "schema loads and accepts a minimal monograph"
else
	fail "schema $SCHEMA does not load"
	cat "$tmp/err"
fi

# What a partner must never receive, the schema refuses: an empty title,
# heading or meta name, a link that is not http, https or mailto, a feed
# time without its zone, two monographs of one id in a feed.
sha=$(printf '%064d' 0)
mono() { # mono ID TITLE BODY: a monograph document
	printf '<monograph xmlns="urn:medexport:monograph:2" version="2.0" id="%s" source="x.md" sha256="%s" xml:lang="en"><title>%s</title>%s</monograph>' \
		"$1" "$sha" "$2" "$3"
}
refused() { # refused DESCRIPTION: the document on stdin is not valid
	if xmllint --noout --schema "$SCHEMA" - >/dev/null 2>&1; then
		fail "the schema accepts $1"
	else
		ok "the schema refuses $1"
	fi
}
mono x T '' | xmllint --noout --schema "$SCHEMA" - 2>/dev/null ||
	fail "the schema refuses a minimal monograph"
mono x ' ' '' | refused "a blank title"
mono x T '<section kind="other"><heading>  </heading></section>' | refused "a blank heading"
mono x T '<meta name="">v</meta>' | refused "an empty meta name"
mono x T '<meta name="a" type="map"><meta name=" ">v</meta></meta>' | refused "a blank nested meta name"
for href in ftp://x.org/a dosage.html '#usage' 'javascript:alert(1)' 'HTTP://x.org' 'http:'; do
	mono x T "<p><a href=\"$href\">t</a></p>" | refused "the link $href"
done
mono x T '<p><a href="mailto:a@b.org">t</a> <a href="https://x.org/?a=1">u</a></p>' |
	xmllint --noout --schema "$SCHEMA" - 2>/dev/null || fail "the schema refuses mailto and https links"
feed() { # feed GENERATED MONOGRAPHS...
	g=$1; shift
	printf '<feed xmlns="urn:medexport:monograph:2" version="2.0" generated="%s">%s<summary count="0" failed="0"/></feed>' "$g" "$*"
}
feed 2024-05-01T12:00:00 | refused "a feed time without its zone"
feed 2024-05-01T12:00:00+02:00 | xmllint --noout --schema "$SCHEMA" - 2>/dev/null ||
	fail "the schema refuses a feed time with a zone"
feed 2024-05-01T12:00:00Z "$(mono a A '')" "$(mono a B '')" | refused "two monographs of one id in a feed"
feed 2024-05-01T12:00:00Z "$(mono a A '')" "$(mono b B '')" | xmllint --noout --schema "$SCHEMA" - 2>/dev/null ||
	fail "the schema refuses a feed of two ids"
mono x T '' | sed 's/ version="2.0"//' | refused "a monograph without its version"
mono x T '' | sed 's/ xml:lang="en"//' | refused "a monograph without its language"
mono x T '' | sed 's/xml:lang="en"/xml:lang="en GB"/' | refused "a language that is not a tag"

# --- Golden files ------------------------------------------------------
ngold=0 gold_failures=$failures
for md in tests/golden/*.md; do
	[ -f "$md" ] || continue
	xml=${md%.md}.xml
	if [ ! -f "$xml" ]; then
		echo "note: $md has no golden $xml (tests/regen-xml-goldens.sh)"
		continue
	fi
	ngold=$((ngold + 1))
	if ! $MX --xml -o - "$md" >"$tmp/golden.xml" 2>"$tmp/err"; then
		fail "$md: medexport --xml failed"
		cat "$tmp/err"
		continue
	fi
	if ! cmp -s "$tmp/golden.xml" "$xml"; then
		fail "$md: output differs from $xml"
		diff -u "$xml" "$tmp/golden.xml" | head -30
	fi
	xsd_valid "$tmp/golden.xml" || fail "$md: output is not valid"
	python3 tests/xmlwords.py -q "$md" "$tmp/golden.xml" >"$tmp/words" ||
		{ fail "$md: words or structure"; head -20 "$tmp/words"; }
done
[ "$ngold" -gt 0 ] && [ "$failures" -eq "$gold_failures" ] &&
	ok "$ngold golden XML files match, validate and keep their words"

# The example monographs of content/ are not goldens, but must convert,
# validate and keep every word too.
for md in content/*.md; do
	[ -f "$md" ] || continue
	if ! $MX --xml -o - "$md" >"$tmp/content.xml" 2>"$tmp/err"; then
		fail "$md: medexport --xml failed"
		cat "$tmp/err"
		continue
	fi
	xsd_valid "$tmp/content.xml" || fail "$md: output is not valid"
	python3 tests/xmlwords.py -q "$md" "$tmp/content.xml" >"$tmp/words" ||
		{ fail "$md: words or structure"; head -20 "$tmp/words"; }
done

# --- Standard input and output ------------------------------------------
printf -- '---\ntitle: Stdin\n---\n\n# Stdin\n\n### Usage\nFrom a pipe.\n' |
	$MX --xml -o - - >"$tmp/stdin.xml" 2>"$tmp/err" ||
	{ fail "stdin: medexport failed"; cat "$tmp/err"; }
if xsd_valid "$tmp/stdin.xml" && grep -q '<section kind="usage" loinc="34067-9">' "$tmp/stdin.xml"; then
	ok "stdin to stdout"
else
	fail "stdin to stdout: invalid or incomplete output"
fi

# --- Characters XML 1.0 cannot carry -------------------------------------
# Raw control bytes and U+FFFE pass the input check (valid UTF-8, no NUL),
# though not the YAML parser, so they sit in the Markdown body; &#1; reaches
# the tree as U+0001 through cmark's entity decoding.  U+FFFE, not a
# character, is U+FFFD in the tree already (and in every backend).
printf -- '---\ntitle: Control\n---\n\n# Control\001 characters\n\n### Usage\nA\002 vertical\013tab, form\014feed, escape\033 and U+FFFE \357\277\276 here.\n\n* **Label\003:** item\004 text `code\005`\n\nEntity &#1; and &#x1F; and a [link](http://x.org/\006y).\n\n```\nblock\010 code\n```\n' >"$tmp/ctrl.md"
if $MX --xml -o - "$tmp/ctrl.md" >"$tmp/ctrl.xml" 2>"$tmp/ctrl.err"; then
	if xsd_valid "$tmp/ctrl.xml"; then
		ok "control characters give a valid document"
	else
		fail "control characters: output is not valid XML"
	fi
	if grep -q "ctrl.md:[0-9][0-9]*: warning: .*XML 1.0" "$tmp/ctrl.err"; then
		ok "control characters are reported with file and line"
	else
		fail "control characters: no warning naming file and line"
		cat "$tmp/ctrl.err"
	fi
	if grep -q 'vertical' "$tmp/ctrl.xml" && grep -q 'escape and U+FFFE' "$tmp/ctrl.xml"; then
		ok "text around dropped characters is kept"
	else
		fail "control characters: text around them was lost"
		cat "$tmp/ctrl.xml"
	fi
else
	# The input checker may refuse such bytes; that is an error with a
	# message, never invalid XML.
	if [ -s "$tmp/ctrl.xml" ]; then
		fail "control characters: medexport failed but wrote output"
	else
		ok "control characters refused by the input check"
	fi
	cat "$tmp/ctrl.err"
fi

# A file name that is not UTF-8 (Latin-1 e-acute, a control character)
# goes into source="..."; the document must stay valid.
mkdir -p "$tmp/names"
odd="$tmp/names/caf$(printf '\351')-$(printf '\001').md"
printf '# Odd name\n\n### Usage\nText.\n' >"$odd"
if $MX --xml -o - "$odd" 2>/dev/null >"$tmp/odd.xml" && xsd_valid "$tmp/odd.xml" &&
	$MX --xml --feed "$tmp/odd-feed.xml" "$odd" 2>/dev/null &&
	xmllint --noout --schema "$SCHEMA" "$tmp/odd-feed.xml" 2>/dev/null; then
	ok "a file name that is not UTF-8 gives valid documents and feeds"
else
	fail "a file name that is not UTF-8 gives invalid XML"
fi

# --- Determinism ---------------------------------------------------------
$MX -q --xml -o "$tmp/det1" tests/golden content >/dev/null 2>&1
$MX -q --xml -o "$tmp/det2" tests/golden content >/dev/null 2>&1
if [ -d "$tmp/det1" ] && diff -r "$tmp/det1" "$tmp/det2" >/dev/null; then
	ok "two runs give identical documents"
else
	fail "two runs give different documents"
fi
SOURCE_DATE_EPOCH=1700000000 $MX -q --xml --feed "$tmp/feed1.xml" tests/golden content 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 $MX -q --xml --feed "$tmp/feed2.xml" tests/golden content 2>/dev/null
if cmp -s "$tmp/feed1.xml" "$tmp/feed2.xml" &&
	grep -q 'generated="2023-11-14T22:13:20Z"' "$tmp/feed1.xml"; then
	ok "SOURCE_DATE_EPOCH makes feeds identical"
else
	fail "feeds differ or ignore SOURCE_DATE_EPOCH"
fi
if xmllint --noout --stream --schema "$SCHEMA" "$tmp/feed1.xml" 2>"$tmp/err"; then
	ok "a small feed validates"
else
	fail "a small feed is not valid"
	head -5 "$tmp/err"
fi

# Warnings while a monograph is added to a feed (not -q, so they are
# printed) must not disturb the feed.
if [ -f "$tmp/ctrl.xml" ] && [ -s "$tmp/ctrl.xml" ]; then
	if $MX --xml --feed "$tmp/ctrl-feed.xml" "$tmp/ctrl.md" 2>/dev/null &&
		xmllint --noout --schema "$SCHEMA" "$tmp/ctrl-feed.xml" 2>/dev/null; then
		ok "a feed with control characters validates"
	else
		fail "a feed with control characters failed (or hung) or is invalid"
	fi
fi

# A feed with an input that fails is still valid, and counts the failure.
printf '' >"$tmp/empty.md"
SOURCE_DATE_EPOCH=0 $MX -q --xml --feed "$tmp/feed3.xml" content "$tmp/empty.md" 2>/dev/null
nin=$(ls content/*.md | wc -l)
if xmllint --noout --stream --schema "$SCHEMA" "$tmp/feed3.xml" 2>/dev/null &&
	grep -q "<summary count=\"$nin\" failed=\"1\" no-content=\"0\"/>" "$tmp/feed3.xml"; then
	ok "a failed input is left out of the feed and counted"
else
	fail "feed with a failed input: invalid or wrong summary"
	tail -2 "$tmp/feed3.xml"
fi

# --- In-process validation ----------------------------------------------
# A schema that allows titles of at most 12 characters (MEDEXPORT_DATADIR
# points medexport at it) makes one of two documents invalid: it must be an
# error naming the file, with no output, and be left out of a feed.
mkdir -p "$tmp/strict/styles" "$tmp/in"
cp styles/xml.xsd "$tmp/strict/styles/"
sed 's|<xs:element name="title" type="m:NonBlankString">|<xs:element name="title" type="m:ShortTitle">|' \
	"$SCHEMA" | sed 's|</xs:schema>|<xs:simpleType name="ShortTitle"><xs:restriction base="xs:string"><xs:maxLength value="12"/></xs:restriction></xs:simpleType></xs:schema>|' \
	>"$tmp/strict/styles/monograph.xsd"
printf -- '# Short\n\n### Usage\nFine.\n' >"$tmp/in/short.md"
printf -- '# A title much too long\n\n### Usage\nRejected.\n' >"$tmp/in/long.md"
MEDEXPORT_DATADIR="$tmp/strict" $MX --xml -o "$tmp/strict-out" "$tmp/in/long.md" "$tmp/in/short.md" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "long.md.*error" "$tmp/err" &&
	[ ! -e "$tmp/strict-out/long.xml" ] && [ -f "$tmp/strict-out/short.xml" ]; then
	ok "an invalid document is an error naming the file, and is not written"
else
	fail "invalid document: exit $rc, or output written, or no error naming the file"
	cat "$tmp/err"
fi
if MEDEXPORT_DATADIR="$tmp/strict" $MX -q --no-validate --xml -o "$tmp/strict-nv" "$tmp/in/long.md" 2>/dev/null &&
	[ -f "$tmp/strict-nv/long.xml" ]; then
	ok "--no-validate skips validation"
else
	fail "--no-validate did not skip validation"
fi
SOURCE_DATE_EPOCH=0 MEDEXPORT_DATADIR="$tmp/strict" $MX -q --xml --feed "$tmp/strict-feed.xml" \
	"$tmp/in/long.md" "$tmp/in/short.md" 2>/dev/null
if xmllint --noout --schema "$SCHEMA" "$tmp/strict-feed.xml" 2>/dev/null &&
	grep -q '<summary count="1" failed="1" no-content="[01]"/>' "$tmp/strict-feed.xml" &&
	grep -q 'id="short"' "$tmp/strict-feed.xml" && ! grep -q 'id="long"' "$tmp/strict-feed.xml"; then
	ok "an invalid monograph is left out of the feed and counted as failed"
else
	fail "feed with an invalid monograph: wrong content or summary"
	cat "$tmp/strict-feed.xml"
fi
mkdir -p "$tmp/nodata"
if MEDEXPORT_DATADIR="$tmp/nodata" $MX --xml -o - "$tmp/in/short.md" >"$tmp/out" 2>"$tmp/err"; then
	fail "a missing schema is not an error"
elif grep -q 'monograph.xsd' "$tmp/err" && [ ! -s "$tmp/out" ]; then
	ok "a missing schema is an error naming it"
else
	fail "a missing schema: no error naming it, or output written"
	cat "$tmp/err"
fi

# --- The corpus ----------------------------------------------------------
if [ -z "$CORPUS" ] || [ ! -d "$CORPUS" ]; then
	echo "skip: corpus checks (set CORPUS to ../shared/corpus/rxhive)"
else
	nsrc=$(find "$CORPUS" -name '*.md' | wc -l)
	if $MX_CORPUS -q --xml -o "$tmp/corpus" "$CORPUS" 2>"$tmp/err"; then
		ok "corpus: medexport converted $nsrc files"
	else
		fail "corpus: medexport reported failures"
		head -20 "$tmp/err"
	fi
	nout=$(find "$tmp/corpus" -name '*.xml' | wc -l)
	[ "$nout" -eq "$nsrc" ] || fail "corpus: $nsrc inputs but $nout XML files"

	find "$tmp/corpus" -name '*.xml' -print0 |
		xargs -0 xmllint --noout --schema "$SCHEMA" 2>"$tmp/xmllint.err"
	bad=$(grep -cv ' validates$' "$tmp/xmllint.err")
	if [ "$bad" -eq 0 ]; then
		ok "corpus: every document validates with xmllint"
	else
		fail "corpus: xmllint reports $bad problems"
		grep -v ' validates$' "$tmp/xmllint.err" | head -20
	fi

	if python3 tests/xmlwords.py -q --max-report 10 --dirs "$CORPUS" "$tmp/corpus" >"$tmp/words"; then
		ok "corpus: every word, section kind, generic name, question and label kept"
	else
		fail "corpus: $(tail -1 "$tmp/words")"
		head -60 "$tmp/words"
	fi

	# Monographs medexport has not seen: corpus files rewritten the ways
	# authors vary (CRLF, BOM, bold headings, other bullets, HTML, ...).
	python3 tests/xmlvariants.py "$CORPUS" "$tmp/variants" 300 >/dev/null
	if $MX_CORPUS -q --xml -o "$tmp/variants-xml" "$tmp/variants" 2>"$tmp/err" &&
		find "$tmp/variants-xml" -name '*.xml' -print0 |
		xargs -0 xmllint --noout --schema "$SCHEMA" 2>/dev/null &&
		python3 tests/xmlwords.py -q --dirs "$tmp/variants" "$tmp/variants-xml" >"$tmp/words"; then
		ok "variants of corpus files convert, validate and keep words and structure"
	else
		fail "variants of corpus files (tests/xmlvariants.py)"
		head -20 "$tmp/err" "$tmp/words"
	fi

	# A feed of the whole corpus; its peak memory is compared with that of
	# a feed of 50 files, to see that memory stays flat.  Under
	# AddressSanitizer freed memory sits in a quarantine (256 MB) that
	# grows with everything allocated, so it is turned off here; the
	# release binary ignores ASAN_OPTIONS.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
	export ASAN_OPTIONS
	small=$(find "$CORPUS" -name '*.md' | sort | head -50)
	# shellcheck disable=SC2086
	rss_small=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		$MX_CORPUS -q --xml --feed "$tmp/small-feed.xml" $small)
	rss_all=$(python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r == 0 else -1)' \
		$MX_CORPUS -q --xml --feed "$tmp/feed.xml" "$CORPUS")
	if [ "$rss_all" -lt 0 ]; then
		fail "corpus feed: medexport failed"
	elif xmllint --noout --stream --schema "$SCHEMA" "$tmp/feed.xml" 2>"$tmp/err"; then
		ok "corpus feed validates (xmllint --stream)"
	else
		fail "corpus feed is not valid"
		head -5 "$tmp/err"
	fi
	nfeed=$(grep -c '^  <monograph ' "$tmp/feed.xml")
	nnone=$(grep -c '^  <monograph .* status="no-content"' "$tmp/feed.xml")
	if [ "$nfeed" -eq "$nsrc" ] &&
		grep -q "<summary count=\"$nsrc\" failed=\"0\" no-content=\"$nnone\"/>" "$tmp/feed.xml"; then
		ok "corpus feed holds one monograph per input ($nfeed)"
	else
		fail "corpus feed holds $nfeed monographs for $nsrc inputs"
		tail -2 "$tmp/feed.xml"
	fi
	if [ "$rss_all" -gt 0 ] && [ "$rss_all" -le $((rss_small + 8192)) ]; then
		ok "corpus feed memory is flat (${rss_all} KiB peak; 50 files: ${rss_small} KiB)"
	else
		fail "corpus feed memory grows: ${rss_all} KiB for the corpus, ${rss_small} KiB for 50 files"
	fi
fi

if [ "$failures" -ne 0 ]; then
	echo "check-xml: $failures failure(s)"
	exit 1
fi
echo "check-xml: all passed"
exit 0
