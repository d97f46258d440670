#!/bin/sh
# tests/check-tagged.sh - accessible, press-ready PDFs (issue 13): tagged
# structure, reading order, links, PDF/X-1a.
#
# For the golden inputs and content/ in every style in styles/:
# tests/tagcheck.py (Tagged: yes; the words of `pdfinfo -struct-text` in
# the source's order; no header or footer in the structure; /Lang,
# /MarkInfo, the parent tree, /DisplayDocTitle, /UseOutlines; the style's
# PDF/X-1a declarations and restrictions, read with `qpdf --json`), two
# runs byte-identical, `qpdf --check` (tests/pdfcheck.py's, with every
# other property it checks); then the same inputs with --pdfx none (every
# link of the sources an annotation in a Link element) and with
# PDF/X-1a:2003; the document's language, author and the styles that
# cannot be PDF/X.  Then, when $CORPUS is there, every $EVERY-th file of it
# (default 4; 1 for all) in every style: the reading order over the corpus
# (the figure is printed) and the same checks.  Run from the project root:
#
#   CORPUS=../shared/corpus/rxhive EVERY=1 tests/check-tagged.sh
set -u
cd "$(dirname "$0")/.." || exit 2

MX=./medexport
PY=python3
OUT=tests/out/tagged.$$
EVERY=${EVERY:-4}
# Every file's words in order, at least this share (a file that misses
# one word of twenty fails).
MIN_ORDER=0.95
fail=0

note() { printf '%s\n' "$*"; }
bad() {
	printf 'FAIL: %s\n' "$*"
	fail=1
}

[ -x "$MX" ] || { note "check-tagged: ./medexport is not built"; exit 2; }
for tool in pdfinfo qpdf; do
	command -v $tool >/dev/null || { note "check-tagged: $tool missing"; exit 2; }
done
rm -rf "$OUT"
mkdir -p "$OUT/in"
cp "$MX" "$OUT/medexport"
MX=$OUT/medexport
for f in tests/golden/*.md content/*.md; do
	[ -f "$f" ] || continue
	cp "$f" "$OUT/in/"
done
export SOURCE_DATE_EPOCH=1700000000

# check STYLE DIR LOG [tagcheck options]: tagcheck and pdfcheck of DIR.
check() {
	style=$1 dir=$2 log=$3
	shift 3
	$PY tests/tagcheck.py -q --style "$style" --log "$log" \
		--min-order $MIN_ORDER "$@" --dirs "$OUT/in" "$dir" >"$dir.tag" ||
		bad "$dir: tagcheck: $(grep -v '^tagcheck' "$dir.tag" | head -8)"
	grep '^tagcheck: reading' "$dir.tag"
}

# Every style, as shipped: tagged, in order, PDF/X as the style says.
for style in styles/*.yaml; do
	s=$(basename "$style" .yaml)
	case $s in monograph | lint-profile) continue ;; esac
	for run in 1 2; do
		"$MX" --pdf --style "$s" -o "$OUT/$s.$run" "$OUT/in" 2>"$OUT/$s.$run.log" ||
			bad "$s: medexport failed: $(head -3 "$OUT/$s.$run.log")"
	done
	diff -r "$OUT/$s.1" "$OUT/$s.2" >/dev/null || bad "$s: two runs differ"
	note "check-tagged: $s"
	check "$style" "$OUT/$s.1" "$OUT/$s.1.log"
	$PY tests/pdfcheck.py -q --style "$style" --log "$OUT/$s.1.log" \
		--dirs "$OUT/in" "$OUT/$s.1" >"$OUT/$s.pdfcheck" ||
		bad "$s: pdfcheck: $(head -5 "$OUT/$s.pdfcheck")"
	# For the screen: no PDF/X, and every link can be clicked.
	"$MX" --pdf --style "$s" --pdfx none -o "$OUT/$s.links" "$OUT/in" \
		2>"$OUT/$s.links.log" || bad "$s --pdfx none: medexport failed"
	note "check-tagged: $s --pdfx none"
	check "$style" "$OUT/$s.links" "$OUT/$s.links.log" --pdfx none --links
done

# links.md's addresses, one by one: each is a link annotation.
n=$(qpdf --json "$OUT/leaflet-a4.links/links.pdf" | grep -c '"/URI": "u:')
[ "$n" -ge 6 ] || bad "links.md: $n link annotations with a URI, expected 6 or more"
qpdf --json "$OUT/leaflet-a4.1/links.pdf" | grep -q '"/Annots"' &&
	bad "links.md in PDF/X: annotations inside the page"

# PDF/X-1a:2003: PDF 1.4, its version keys.
"$MX" --pdf --pdfx PDF/X-1a:2003 -o "$OUT/x2003" "$OUT/in" 2>"$OUT/x2003.log" ||
	bad "--pdfx PDF/X-1a:2003: medexport failed"
note "check-tagged: leaflet-a4 --pdfx PDF/X-1a:2003"
check styles/leaflet-a4.yaml "$OUT/x2003" "$OUT/x2003.log" --pdfx PDF/X-1a:2003

# The language and the author, from the front matter; the author also
# from the style; a language that is no tag gets a warning and "en".
printf -- '---\ntitle: Sprache\nlang: de-CH\nauthor: Redaktion\n---\n\n### Usage\n\nText.\n' \
	>"$OUT/lang.md"
"$MX" --pdf -o "$OUT/lang" "$OUT/lang.md" 2>"$OUT/lang.log" || bad "lang.md: failed"
qpdf --json "$OUT/lang/lang.pdf" >"$OUT/lang.json"
grep -q '"/Lang": "u:de-CH"' "$OUT/lang.json" || bad "lang: de-CH is not the /Lang"
grep -q '"/Author": "u:Redaktion"' "$OUT/lang.json" || bad "author: not in the info"
sed -e 's/^name: leaflet-a4$/&\nauthor: "Pharmacy Leaflets Ltd"/' styles/leaflet-a4.yaml \
	>"$OUT/author.yaml"
"$MX" --pdf --style "$OUT/author.yaml" -o "$OUT/author" content/tolperisone.md ||
	bad "a style's author: failed"
qpdf --json "$OUT/author/tolperisone.pdf" | grep -q '"/Author": "u:Pharmacy Leaflets Ltd"' ||
	bad "a style's author is not in the info"
printf -- '---\ntitle: Bad\nlang: "not a tag!"\n---\n\nText.\n' >"$OUT/badlang.md"
"$MX" --pdf -o "$OUT/badlang" "$OUT/badlang.md" 2>"$OUT/badlang.log"
grep -q "not a language tag" "$OUT/badlang.log" || bad "a bad lang: no warning"
qpdf --json "$OUT/badlang/badlang.pdf" | grep -q '"/Lang": "u:en"' ||
	bad "a bad lang: the /Lang is not en"

# PDF/X is for CMYK styles that name their printing condition.
sed -e 's/colour: cmyk/colour: rgb/' styles/leaflet-a4.yaml >"$OUT/rgb.yaml"
"$MX" --pdf --style "$OUT/rgb.yaml" -o "$OUT/rgb" content/tolperisone.md \
	2>"$OUT/rgb.log"
[ $? -eq 2 ] && grep -q "CMYK only" "$OUT/rgb.log" ||
	bad "an rgb style with pdfx is not refused: $(cat "$OUT/rgb.log")"
sed -e '/pdfx:/d' -e 's/colour: cmyk/colour: rgb/' styles/leaflet-a4.yaml >"$OUT/screen.yaml"
"$MX" --pdf --style "$OUT/screen.yaml" --pdfx PDF/X-1a:2001 -o "$OUT/rgb" \
	content/tolperisone.md 2>"$OUT/screen.log"
[ $? -eq 2 ] || bad "--pdfx on an rgb style is not refused"
sed -e '/output-condition:/d' styles/leaflet-a4.yaml >"$OUT/nocond.yaml"
"$MX" --pdf --style "$OUT/nocond.yaml" -o "$OUT/rgb" content/tolperisone.md \
	2>"$OUT/nocond.log"
[ $? -eq 2 ] && grep -q "output-condition" "$OUT/nocond.log" ||
	bad "pdfx without an output condition is not refused"
"$MX" --pdf --pdfx X-1b -o "$OUT/rgb" content/tolperisone.md 2>/dev/null
[ $? -eq 2 ] || bad "--pdfx X-1b is not a usage error"

# The seed stays small (the README's target: 40 KB with fonts embedded).
size=$(wc -c <"$OUT/leaflet-a4.1/tolperisone.pdf")
note "check-tagged: the seed in leaflet-a4 is $size bytes"
[ "$size" -le 40960 ] || bad "the seed is $size bytes, over 40 KB"

# The corpus: a sample of every $EVERY-th file, every style.
CORPUS=${CORPUS:-../shared/corpus/rxhive}
if [ -d "$CORPUS" ]; then
	for style in styles/*.yaml; do
		s=$(basename "$style" .yaml)
		case $s in monograph | lint-profile) continue ;; esac
		"$MX" --pdf --style "$s" -o "$OUT/corpus.$s" "$CORPUS" \
			2>"$OUT/corpus.$s.log" ||
			bad "corpus $s: medexport failed: $(head -3 "$OUT/corpus.$s.log")"
		note "check-tagged: corpus, every $EVERY-th file, $s"
		$PY tests/tagcheck.py -q --every "$EVERY" --style "$style" \
			--log "$OUT/corpus.$s.log" --min-order $MIN_ORDER \
			--dirs "$CORPUS" "$OUT/corpus.$s" >"$OUT/corpus.$s.tag" ||
			bad "corpus $s: tagcheck: $(grep -v '^tagcheck' "$OUT/corpus.$s.tag" | head -8)"
		grep '^tagcheck' "$OUT/corpus.$s.tag"
		rm -rf "$OUT/corpus.$s"
	done
else
	note "check-tagged: corpus $CORPUS absent, skipping the corpus checks"
fi

if [ "$fail" -eq 0 ]; then
	note "check-tagged: all good"
	rm -rf "$OUT"
fi
exit "$fail"
