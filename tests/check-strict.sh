#!/bin/sh
# tests/check-strict.sh - --strict: for a print run, silence means clean
# (issue 13).
#
# Any warning fails the conversion it is about: the input is written in no
# format, the run exits 1, and the warning is printed as an error.  The
# cases: a character no font has (named with its file and line), a pipe
# table kept as text, a style's unknown key (which fails every input: none
# is converted), a front matter language that is no tag, an option
# without effect; a feed with a monograph that warned is not written.  And
# for every golden input in every style, --strict fails exactly when the
# same run without it warns.  Run from the project root.
set -u
cd "$(dirname "$0")/.." || exit 2

MX=./medexport
OUT=tests/out/strict.$$
fail=0

note() { printf '%s\n' "$*"; }
bad() {
	printf 'FAIL: %s\n' "$*"
	fail=1
}

[ -x "$MX" ] || { note "check-strict: ./medexport is not built"; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$MX" "$OUT/medexport"
MX=$OUT/medexport

# expect NAME STATUS DIR [medexport args]: the exit status, and nothing
# written into DIR unless STATUS is 0.
expect() {
	name=$1 want=$2 dir=$3
	shift 3
	"$MX" "$@" -o "$dir" >"$OUT/$name.out" 2>"$OUT/$name.log"
	got=$?
	[ "$got" -eq "$want" ] ||
		bad "$name: exit $got, not $want: $(head -3 "$OUT/$name.log")"
	if [ "$want" -ne 0 ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		bad "$name: wrote $(ls "$dir" | head -3)"
	fi
}

# A character no font has: a warning with file and line, exit 0, without
# --strict; an error and nothing written with it.
printf '# Glyphs\n\n### Usage\n\nA line.\n\nJapanese \346\227\245\346\234\254 here.\n' \
	>"$OUT/glyph.md"
expect glyph 0 "$OUT/glyph" --pdf "$OUT/glyph.md"
grep -q "glyph.md:7: warning: no font has a glyph for U+65E5 U+672C" "$OUT/glyph.log" ||
	bad "glyph: no warning naming file and line: $(cat "$OUT/glyph.log")"
expect glyph-strict 1 "$OUT/glyph-strict" --pdf --strict "$OUT/glyph.md"
grep -q "glyph.md:7: error: no font has a glyph .*\[--strict\]" "$OUT/glyph-strict.log" ||
	bad "glyph --strict: not an error: $(cat "$OUT/glyph-strict.log")"

# Every format of a warned input is left out; the clean input is written.
"$MX" --txt --xml --pdf --strict -o "$OUT/formats" "$OUT/glyph.md" \
	tests/golden/labels.md 2>"$OUT/formats.log"
[ $? -eq 1 ] || bad "formats: not exit 1"
ls "$OUT/formats" | grep -q glyph && bad "formats: glyph.md was written"
[ -f "$OUT/formats/labels.txt" ] && [ -f "$OUT/formats/labels.pdf" ] ||
	bad "formats: the clean input was not written"
grep -q "1 converted, 1 failed" "$OUT/formats.log" || bad "formats: no summary"

# A table kept as text.
printf '# Table\n\n### Usage\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' >"$OUT/table.md"
expect table-strict 1 "$OUT/table" --txt --strict "$OUT/table.md"
grep -q "table.md:5: error: a pipe table" "$OUT/table-strict.log" ||
	bad "table: $(cat "$OUT/table-strict.log")"

# A style's unknown key fails every input; nothing is converted.
sed -e 's/^name: leaflet-a4$/&\nbogus-key: 1/' styles/leaflet-a4.yaml >"$OUT/bogus.yaml"
expect style 0 "$OUT/style" --pdf --style "$OUT/bogus.yaml" content/tolperisone.md
expect style-strict 1 "$OUT/style-strict" --pdf --strict --style "$OUT/bogus.yaml" \
	content/tolperisone.md tests/golden/links.md
grep -q "unknown key 'bogus-key'.*\[--strict\]" "$OUT/style-strict.log" ||
	bad "style: $(cat "$OUT/style-strict.log")"

# A front matter language that is no tag.
printf -- '---\ntitle: L\nlang: "x y"\n---\n\nText.\n' >"$OUT/lang.md"
expect lang-strict 1 "$OUT/lang" --pdf --strict "$OUT/lang.md"

# An option without effect (the command's own warning): nothing converted.
expect option-strict 1 "$OUT/option" --txt --bleed 2 --strict content/tolperisone.md

# A feed with a monograph that warned is not written.
expect feed-strict 1 "$OUT/feeddir" --xml --strict --feed "$OUT/feed.xml" \
	"$OUT/table.md" tests/golden/links.md
[ -f "$OUT/feed.xml" ] && bad "feed: written despite a warning"

# --strict still means what it meant for --lint.
"$MX" --lint --strict tests/golden/empty-sections.md >/dev/null 2>&1
[ $? -eq 1 ] || bad "--lint --strict: warnings do not fail"

# Every golden input in every style: --strict fails exactly when the run
# without it warns, and writes nothing then.
for style in styles/*.yaml; do
	s=$(basename "$style" .yaml)
	case $s in monograph | lint-profile) continue ;; esac
	for f in tests/golden/*.md; do
		n=$(basename "$f" .md)
		"$MX" --pdf --style "$s" -o "$OUT/g.$s" "$f" 2>"$OUT/g.log"
		if grep -q ': warning: ' "$OUT/g.log"; then want=1; else want=0; fi
		"$MX" --pdf --strict --style "$s" -o "$OUT/gs.$s" "$f" 2>"$OUT/gs.log"
		got=$?
		[ "$got" -eq "$want" ] || bad "$s $n: --strict exit $got, not $want"
		if [ "$want" -eq 1 ] && [ -f "$OUT/gs.$s/$n.pdf" ]; then
			bad "$s $n: --strict wrote the PDF"
		fi
	done
done

if [ "$fail" -eq 0 ]; then
	note "check-strict: all good"
	rm -rf "$OUT"
fi
exit "$fail"
