#!/bin/sh
# tests/check-pdf.sh - the PDF backend, checked by properties (issue 4).
#
# For the golden inputs, content/ (which holds the seed), with every style in styles/:
# tests/pdfcheck.py (qpdf --check, fonts embedded, every word extracted by
# pdftotext without warnings, page and box sizes, smallest type size), and
# two runs byte-identical.  Then --bleed/--crop-marks overrides, the seed on
# one page of leaflet-a4, and the whole $CORPUS with the default style: the
# same checks, byte-identical across runs and -j values, and at least 95%
# of it on at most two pages.  Run from the project root:
#
#   CORPUS=../shared/corpus/rxhive tests/check-pdf.sh
set -u
cd "$(dirname "$0")/.." || exit 2

MX=./medexport
PY=python3
# A folder per run: several runs (make check, by hand) may overlap.
OUT=tests/out/pdf.$$
fail=0

note() { printf '%s\n' "$*"; }
bad() {
	printf 'FAIL: %s\n' "$*"
	fail=1
}

[ -x "$MX" ] || { note "check-pdf: ./medexport is not built"; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT/in"
# A copy of the binary: a rebuild during the run (the working tree is
# shared) must not make two runs differ.
cp "$MX" "$OUT/medexport"
MX=$OUT/medexport

# The inputs: golden files and content/ (the seed is content/tolperisone.md),
# flattened into one folder (names are unique) so that one run converts
# them all.
for f in tests/golden/*.md content/*.md; do
	[ -f "$f" ] || continue
	cp "$f" "$OUT/in/"
done
n_in=$(ls "$OUT/in" | wc -l)
note "check-pdf: $n_in inputs"

export SOURCE_DATE_EPOCH=1700000000
for style in styles/*.yaml; do
	s=$(basename "$style" .yaml)
	case $s in monograph) continue ;; esac
	for run in 1 2; do
		if ! "$MX" --pdf --style "$s" -o "$OUT/$s.$run" "$OUT/in" \
			2>"$OUT/$s.$run.log"; then
			bad "$s: medexport failed: $(head -5 "$OUT/$s.$run.log")"
		fi
	done
	if ! diff -r "$OUT/$s.1" "$OUT/$s.2" >/dev/null; then
		bad "$s: two runs differ"
	fi
	if ! $PY tests/pdfcheck.py -q --style "$style" --log "$OUT/$s.1.log" \
		--dirs "$OUT/in" "$OUT/$s.1"; then
		bad "$s: pdfcheck"
	fi
done

# The same PDF wherever medexport's data is installed: a copy of the styles
# and fonts elsewhere (MEDEXPORT_DATADIR) gives the same bytes.
mkdir -p "$OUT/datadir/build"
cp -r styles "$OUT/datadir/styles" && cp -r build/fonts "$OUT/datadir/build/fonts" ||
	bad "cannot copy styles/ and build/fonts/"
if ! MEDEXPORT_DATADIR="$OUT/datadir" "$MX" --pdf -o "$OUT/moved" "$OUT/in" \
	2>"$OUT/moved.log"; then
	bad "data elsewhere: medexport failed: $(head -5 "$OUT/moved.log")"
elif ! diff -r "$OUT/leaflet-a4.1" "$OUT/moved" >/dev/null; then
	bad "data elsewhere: the PDFs differ from those of the installed data"
fi

# ... and wherever it is built: the build-time fonts are the same bytes
# when made again (no time stamp in them).
if PYTHON=$(command -v /usr/bin/python3 || command -v python3) &&
	"$PYTHON" scripts/pdf-subset-font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		"$OUT/again.ttf" 2>"$OUT/again.log"; then
	cmp -s "$OUT/again.ttf" build/fonts/DejaVuSans.ttf ||
		bad "scripts/pdf-subset-font made a different DejaVuSans.ttf the second time"
else
	bad "scripts/pdf-subset-font failed: $(head -3 "$OUT/again.log")"
fi

# Command-line overrides: no bleed, and a wider bleed with crop marks.
pairs() { # DIR FILE... -> SRC PDF pairs for pdfcheck
	d=$1
	shift
	for f; do printf '%s %s\n' "$f" "$d/$(basename "$f" .md).pdf"; done
}
set -- "$OUT"/in/*.md # unique names (the seed is also in content/)
"$MX" --pdf --bleed 0 -o "$OUT/bleed0" "$@" 2>"$OUT/bleed0.log" ||
	bad "--bleed 0: medexport failed"
# shellcheck disable=SC2046
$PY tests/pdfcheck.py -q --style styles/leaflet-a4.yaml --bleed 0 \
	--log "$OUT/bleed0.log" $(pairs "$OUT/bleed0" "$@") || bad "--bleed 0: pdfcheck"
"$MX" --pdf --style leaflet-a5 --bleed 5 --crop-marks -o "$OUT/bleed5" "$@" \
	2>"$OUT/bleed5.log" || bad "--bleed 5 --crop-marks: medexport failed"
# shellcheck disable=SC2046
$PY tests/pdfcheck.py -q --style styles/leaflet-a5.yaml --bleed 5 --crop-marks \
	--log "$OUT/bleed5.log" $(pairs "$OUT/bleed5" "$@") ||
	bad "--bleed 5 --crop-marks: pdfcheck"

# The seed fits on one page of the default style.
pages=$(pdfinfo "$OUT/leaflet-a4.1/tolperisone.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" = 1 ] || bad "the seed takes ${pages:-?} pages of leaflet-a4, not 1"

# A style under the readability minimum gets a warning.
sed -e 's/body: *{size: 9,/body: {size: 8,/' styles/leaflet-a4.yaml >"$OUT/small.yaml"
"$MX" --pdf --style "$OUT/small.yaml" -o "$OUT/small" content/tolperisone.md \
	2>"$OUT/small.log"
grep -q "under the 9 pt" "$OUT/small.log" || bad "no warning for 8 pt body text"

# A screen style (colour: rgb, so no PDF/X) is allowed RGB; the checks
# follow the style.
sed -e 's/colour: cmyk/colour: rgb/' -e '/pdfx:/d' styles/leaflet-a4.yaml >"$OUT/screen.yaml"
"$MX" --pdf -q --style "$OUT/screen.yaml" -o "$OUT/screen" content/tolperisone.md ||
	bad "rgb style: medexport failed"
$PY tests/pdfcheck.py -q --style "$OUT/screen.yaml" content/tolperisone.md \
	"$OUT/screen/tolperisone.pdf" || bad "rgb style: pdfcheck"

# The corpus.
CORPUS=${CORPUS:-../shared/corpus/rxhive}
if [ -d "$CORPUS" ]; then
	note "check-pdf: converting $CORPUS"
	start=$(date +%s)
	"$MX" --pdf -j 1 -o "$OUT/corpus1" "$CORPUS" 2>"$OUT/corpus1.log" ||
		bad "corpus: medexport failed: $(head -5 "$OUT/corpus1.log")"
	mid=$(date +%s)
	"$MX" --pdf -q -o "$OUT/corpus2" "$CORPUS" 2>"$OUT/corpus2.log" ||
		bad "corpus: second run failed"
	note "check-pdf: -j 1 took $((mid - start)) s, default -j $(( $(date +%s) - mid )) s"
	diff -r "$OUT/corpus1" "$OUT/corpus2" >/dev/null ||
		bad "corpus: -j 1 and -j N outputs differ"
	rm -rf "$OUT/corpus2"
	$PY tests/pdfcheck.py -q --pages-report --style styles/leaflet-a4.yaml \
		--log "$OUT/corpus1.log" --dirs "$CORPUS" "$OUT/corpus1" >"$OUT/corpus.txt" ||
		bad "corpus: pdfcheck (see $OUT/corpus.txt)"
	grep -v '^ok ' "$OUT/corpus.txt" | head -40
	two=$(awk -F'[:,(%]' '/^pages:/ {
		for (i = 2; i < NF; i++) if ($i ~ /^ *[12]$/) s += $(i + 1)
		print s }' "$OUT/corpus.txt")
	total=$(find "$CORPUS" -name '*.md' | wc -l)
	if [ -n "$two" ] && [ "$total" -gt 0 ]; then
		pct=$((100 * two / total))
		note "check-pdf: $two of $total ($pct%) on at most two pages"
		[ "$pct" -ge 95 ] || bad "corpus: only $pct% on at most two pages"
	else
		bad "corpus: no page report"
	fi
else
	note "check-pdf: corpus $CORPUS absent, skipping the corpus checks"
fi

if [ "$fail" -eq 0 ]; then
	note "check-pdf: all good"
	rm -rf "$OUT"
fi
exit "$fail"
