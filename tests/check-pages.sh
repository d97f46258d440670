#!/bin/sh
# tests/check-pages.sh - the pages of the PDF leaflets (issue 12), measured
# by tests/pdfpages.py in every style of styles/: nothing outside the safe
# area, no overlapping words, no text across a fold, last pages balanced,
# no last page of six lines or fewer.
#
# The golden inputs and content/ (the seed among them); a title of a page
# and a half, a footer slot too long for its page, and a monograph too long
# for one folded sheet (which must get a warning); a last page of
# questions whose balance needs text from the page before, two that need
# a paragraph set a line shorter or longer, one that needs two paragraphs
# set so, one that needs a whole question from the page before, and one
# that needs the whole leaflet set tighter (and, in a style that may not
# squeeze, the page before ending short); a first page whose columns end
# level only when its spaces grow.  With MX_CHECK_ALL=1 (make
# check-all) the whole $CORPUS in every style too, skipped with a message
# when it is absent.  Run from the project root:
#
#   CORPUS=../shared/corpus/rxhive MX_CHECK_ALL=1 tests/check-pages.sh
set -u
cd "$(dirname "$0")/.." || exit 2

MX=./medexport
PY=python3
OUT=tests/out/pages.$$
fail=0

note() { printf '%s\n' "$*"; }
bad() {
	printf 'FAIL: %s\n' "$*"
	fail=1
}

[ -x "$MX" ] || { note "check-pages: ./medexport is not built"; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT/in"
for f in tests/golden/*.md content/*.md; do
	[ -f "$f" ] && cp "$f" "$OUT/in/"
done

# A title of some 300 words, which must flow rather than run off page 1,
# and a footer slot ({title}) far too long for the page, which must be
# shortened with an ellipsis.
words="Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa"
title=$(for i in $(seq 30); do printf '%s ' $words; done)
{
	printf -- '---\ntitle: %s\n---\n\n### Usage\n\n' "$title"
	printf 'A paragraph of text under it.\n'
} >"$OUT/in/long-title.md"
short="Amoxicillin Clavulanate Potassium Lactobacillus Sporogenes"
{
	printf '# %s Tablets for Oral Suspension\n\n' "$short $short"
	printf '### Usage\n\nTreats infections.\n'
} >"$OUT/in/long-footer.md"

# A last page of questions that cannot be split and a disclaimer, after
# a long paragraph: no split of leaflet-a4's last page alone balances
# it; the text that balances it comes from the page before.
{
	printf '# Testamol\n\n## Usage\n\n'
	for i in $(seq 1250); do printf 'word%d ' $((i % 7)); done
	printf '\n\n## FAQs\n\n'
	for q in 1 2 3 4 5 6; do
		printf '### Question %d about the medicine?\n\n' $q
		printf 'The answer to question %d, which runs over three lines ' $q
		printf 'of a column, so that the questions and answers are '
		printf 'blocks that cannot be split anywhere at all, not here.\n\n'
	done
	printf '## Disclaimer\n\nThis information is for general knowledge '
	printf 'and does not constitute medical advice. Always consult a '
	printf 'physician or healthcare provider before starting any new '
	printf 'medication; they can assess your health needs and determine '
	printf 'the appropriate dosage and plan for you, and answer your '
	printf 'questions about it.\n'
} >"$OUT/in/faq-tail.md"

# Two last pages that neither a split, a height nor the page before
# balances in leaflet-a4, but a paragraph set a line shorter (the
# disclaimer of loose-short.md) or longer (loose-long.md) does.
# tail_after N: a Usage paragraph of N words, then stdin.
tail_after() {
	printf '# Testamol\n\n## Usage\n\n'
	for i in $(seq 0 $(($1 - 1))); do printf 'word%d ' $((i % 7)); done
	printf '\n\n'
	cat
}
store="Do not share the medicine with others, even if their symptoms are"
store="$store the same as yours."
assess="They can assess your health needs and determine the appropriate"
assess="$assess dosage for you."
info="The information here may not cover every use, precaution or"
info="$info interaction."
advice="This information is for general knowledge and does not constitute"
advice="$advice medical advice."
consult="Always consult a physician or healthcare provider before starting"
consult="$consult any new medication."
keep="Keep this leaflet; you may need to read it again."
vary="Individual responses to the medicine can vary."
tail_after 1130 >"$OUT/in/loose-short.md" <<EOF
## FAQs

### How should I store it?

$store

### Can I drink alcohol with it?

$assess $vary

## Disclaimer

$vary $keep $store $info $advice
EOF
tail_after 1105 >"$OUT/in/loose-long.md" <<EOF
## FAQs

### Is it safe in pregnancy?

$info $consult

### Can I drive after taking it?

$keep $consult $assess

## Disclaimer

$consult $assess Ask your pharmacist if anything here is unclear to you. $info $store
EOF

# Two last pages that one paragraph set a line shorter or longer does not
# balance in leaflet-a4: two of them at once do (loose-pair.md), or the
# page before giving a question and its answer over (from-before.md).
stop="No. Stopping the medicine at once can bring the symptoms back."
stop="$stop Always ask your doctor before you stop or change the dose."
mild="Mild side effects often pass as the body gets used to the medicine."
mild="$mild If you have any serious or lasting side effects, call your"
mild="$mild doctor or another healthcare provider at once."
plan="They can assess your needs and determine the dosage and treatment"
plan="$plan plan that suit you."
for case in loose-pair:1090 from-before:1120; do
	tail_after "${case#*:}" >"$OUT/in/${case%:*}.md" <<EOF
## FAQs

### Can I stop taking it suddenly?

$stop

### What if I have side effects?

$mild

## Disclaimer

This information is for general knowledge only and does not constitute
medical advice. Always consult a physician or healthcare provider before
starting, stopping or changing any medicine. $plan
EOF
done

# A last page of short questions after a heading of two lines, which
# neither looseness nor the page before ending short balances in
# leaflet-a4 (the heading and its first question are eight lines): the
# whole leaflet set a little tighter does (tighter.md).
tail_after 1140 >"$OUT/in/tighter.md" <<EOF
## FAQs (general questions; ask a healthcare professional about your own)

### How should I keep this medicine?

Keep it in the pack it came in, at room temperature, in a dry place out of
the sight and reach of children, and away from direct sunlight.

### May I stop taking it once I feel better?

No. Finish the whole course your doctor gave you, so that the infection
clears completely and the germs do not learn to resist the medicine.

### What if I forget a dose?

Ask your healthcare provider what to do.

### Does food or drink change how it works?

Ask your doctor or pharmacist whether any food matters to you.

## Disclaimer

This information is for general knowledge only and does not take the place
of advice from a doctor. Always ask a qualified healthcare provider about
the diagnosis and treatment of any condition. The doses and uses of this
medicine should be set only by a healthcare professional.
EOF

# A first page whose second column would end two lines short, a heading
# and its text kept whole on the next page: its spaces take the
# difference, and the columns end level (level-pages.md).
{
	printf '# Testamol\n\n## Usage\n\n'
	for i in $(seq 0 669); do printf 'word%d ' $((i % 7)); done
	printf '\n\n'
	for i in 1 2 3 4 5 6 7 8; do
		printf '## Section %d\n\n### Part %d\n\n' $i $i
		printf 'A short paragraph of this section, which runs over two '
		printf 'lines of a column or so, and no more than that.\n\n'
		printf 'Another paragraph of it, as short.\n\n'
	done
	printf '## Disclaimer\n\nThis information is for general knowledge '
	printf 'only and does not constitute medical advice.\n'
} >"$OUT/in/level-pages.md"

# The styles: the YAML files of styles/ that set a page.
styles=$(grep -l '^page:' styles/*.yaml)
export SOURCE_DATE_EPOCH=1700000000
for style in $styles; do
	s=$(basename "$style" .yaml)
	"$MX" --pdf --style "$s" -o "$OUT/$s" "$OUT/in" 2>"$OUT/$s.log" ||
		bad "$s: medexport failed: $(head -5 "$OUT/$s.log")"
	# long-words.md is a paragraph of hyphenated lines that may not end
	# a column: its last page cannot be balanced; not-a-mapping.md is two
	# short sections whose headings stay with their text: one a column;
	# empty-sections.md, long-footer.md and the front-matter inputs print
	# one heading and a line of text, which stay together in one column.
	$PY tests/pdfpages.py --check -v --unbalanced long-words \
		--unbalanced not-a-mapping --unbalanced empty-sections \
		--unbalanced long-footer \
		--unbalanced front-matter-identity \
		--unbalanced front-matter-structure \
		--style "$style" --dir "$OUT/$s" >"$OUT/$s.txt" ||
		{ bad "$s: pdfpages"; cat "$OUT/$s.txt"; }
	if grep -q "level-pages.pdf.*page 1's columns end" "$OUT/$s.txt"; then
		bad "$s: page 1 of level-pages.pdf: $(grep level-pages "$OUT/$s.txt")"
	fi
	for f in "$OUT/$s"/*.pdf; do
		qpdf --check "$f" >/dev/null 2>&1 || bad "$s: qpdf --check $f"
	done
	$PY tests/pdfcheck.py -q --style "$style" --log "$OUT/$s.log" \
		"$OUT/in/long-title.md" "$OUT/$s/long-title.pdf" >/dev/null ||
		bad "$s: the long title lost words"
	if grep -q '{title}' "$style"; then
		pdftotext "$OUT/$s/long-footer.pdf" - | grep -q '…$' ||
			bad "$s: the long footer slot was not shortened"
	fi
done

# A heading hierarchy a reader can see: in every style, heading1, heading2,
# heading3, question and label differ from one another in size, face or
# colour, and none is under 9 pt.
for style in $styles; do
	$PY - "$style" <<'PYEOF' || bad "$(basename "$style"): headings alike"
import re, sys
text = re.sub(r"#.*", "", open(sys.argv[1], encoding="utf-8").read())
roles = {}
for role in ("heading1", "heading2", "heading3", "question", "label"):
    m = re.search(r"^\s*%s:\s*\{([^}]*)\}" % role, text, re.M)
    if not m:
        sys.exit("%s: no %s" % (sys.argv[1], role))
    v = m.group(1)
    size = float(re.search(r"(?:^|[,{\s])size:\s*([0-9.]+)", v).group(1))
    face = re.search(r"face:\s*(\w+)", v)
    colour = re.search(r"colou?r:\s*(\[[^]]*\])", v)
    roles[role] = (size, face.group(1) if face else "regular",
                   re.sub(r"\s", "", colour.group(1)) if colour else "black")
    if size < 9:
        sys.exit("%s: %s is %g pt" % (sys.argv[1], role, size))
names = sorted(roles)
for i, a in enumerate(names):
    for b in names[i + 1:]:
        if roles[a] == roles[b]:
            sys.exit("%s: %s and %s look the same" % (sys.argv[1], a, b))
PYEOF
done

# The page before ending short, the last resort when the leaflet may not
# be set tighter: from-before.md in leaflet-a4 with no squeeze (neither
# the spaces between blocks nor the leading) balances only so, its page 1
# ending early.
sed -e 's/^\(  squeeze-space:\).*/\1 0/' -e 's/min-leading: [0-9.]*, //' \
	styles/leaflet-a4.yaml >"$OUT/no-squeeze.yaml"
if grep -q '^  squeeze-space: 0$' "$OUT/no-squeeze.yaml" &&
	! grep -q 'min-leading' "$OUT/no-squeeze.yaml"; then
	"$MX" --pdf --style "$OUT/no-squeeze.yaml" -o "$OUT/no-squeeze" \
		"$OUT/in/from-before.md" 2>"$OUT/no-squeeze.log" ||
		bad "no-squeeze: medexport failed: $(cat "$OUT/no-squeeze.log")"
	$PY tests/pdfpages.py --check -v --style "$OUT/no-squeeze.yaml" \
		--dir "$OUT/no-squeeze" >"$OUT/no-squeeze.txt" ||
		{ bad "no-squeeze: pdfpages"; cat "$OUT/no-squeeze.txt"; }
	grep -q "from-before.pdf.*page 1's columns end" "$OUT/no-squeeze.txt" ||
		bad "no-squeeze: from-before.pdf's page 1 did not end early"
else
	bad "no-squeeze: styles/leaflet-a4.yaml no longer sets squeeze-space and min-leading so"
fi

# A folded sheet: a warning when the text needs more than one.
for f in "$OUT"/in/*.md; do cat "$f"; printf '\n'; done >"$OUT/all.md"
"$MX" --pdf --style trifold-letter -o "$OUT/fold" "$OUT/all.md" \
	content/tolperisone.md 2>"$OUT/fold.log"
grep -q "all.md: warning: too long for one folded sheet" "$OUT/fold.log" ||
	bad "no warning for a trifold of more than one sheet"
grep -q "tolperisone.md: warning" "$OUT/fold.log" &&
	bad "a warning for the seed in trifold-letter: $(cat "$OUT/fold.log")"

# The corpus, in every style (make check-all).
CORPUS=${CORPUS:-../shared/corpus/rxhive}
if [ "${MX_CHECK_ALL:-0}" != 1 ]; then
	note "check-pages: the corpus only with MX_CHECK_ALL=1 (make check-all)"
elif [ ! -d "$CORPUS" ]; then
	note "check-pages: corpus $CORPUS absent, skipping the corpus checks"
else
	for style in $styles; do
		s=$(basename "$style" .yaml)
		"$MX" --pdf -q --style "$s" -o "$OUT/corpus-$s" "$CORPUS" ||
			bad "corpus, $s: medexport failed"
		$PY tests/pdfpages.py -v --style "$style" \
			--dir "$OUT/corpus-$s" >"$OUT/corpus-$s.txt"
		sed -n '/^pdfpages:/,$p' "$OUT/corpus-$s.txt"
		# Nothing outside the safe area, nothing overlapping, nothing
		# across a fold, no last page of six lines or fewer.
		grep -E '^  (outside|overlapping|across|last pages of|last sheets)' \
			"$OUT/corpus-$s.txt" | grep -qv ': 0 of' &&
			bad "corpus, $s: see $OUT/corpus-$s.txt"
		rm -rf "$OUT/corpus-$s"
	done
fi

if [ "$fail" -eq 0 ]; then
	note "check-pages: all good"
	rm -rf "$OUT"
fi
exit "$fail"
