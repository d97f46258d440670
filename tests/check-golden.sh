#!/bin/sh
# Golden tests: every tests/golden/NAME.md must convert, in every format of
# the backend table (./medexport --list-formats) that is not binary, to
# exactly the bytes of NAME.EXT (text at the default width of 72).  A
# format without a golden file for an input fails: a new backend brings its
# goldens (tests/regen-goldens.sh writes them; read them before committing).
# Binary formats (PDF) are checked by their properties (check-pdf.sh) and by
# samples/.  NAME.txt must also come out identical through standard input.
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
./medexport --list-formats >"$tmp/formats" || { echo "FAIL --list-formats"; exit 1; }
grep -v ' binary' "$tmp/formats" >"$tmp/text-formats"
[ -s "$tmp/text-formats" ] || { echo "FAIL no text formats in the table"; exit 1; }
for md in tests/golden/*.md; do
	base=${md%.md}
	while read -r name ext _; do
		n=$((n + 1))
		if [ ! -f "$base$ext" ]; then
			echo "FAIL $md: no golden $base$ext for --$name"
			fail=1
			continue
		fi
		if ! ./medexport "--$name" -q -o - "$md" >"$tmp/out" 2>"$tmp/err"; then
			echo "FAIL $md --$name: exit status $?"; cat "$tmp/err"
			fail=1
			continue
		fi
		if ! cmp -s "$tmp/out" "$base$ext"; then
			echo "FAIL $md --$name differs from $base$ext:"
			diff -u "$base$ext" "$tmp/out" | head -20
			fail=1
		fi
	done <"$tmp/text-formats"
	./medexport --txt -q -o - - <"$md" >"$tmp/stdin.txt" 2>/dev/null
	cmp -s "$tmp/stdin.txt" "$base.txt" ||
		{ echo "FAIL $md: text from stdin differs"; fail=1; }
done
[ "$n" -gt 0 ] || { echo "FAIL no goldens found"; exit 1; }
# --ascii turns typographic quotes, apostrophes and dashes back into ASCII:
# NAME.ascii.txt, where there is one, is NAME.md through --txt --ascii.
for a in tests/golden/*.ascii.txt; do
	[ -f "$a" ] || continue
	./medexport --txt --ascii -q -o - "${a%.ascii.txt}.md" >"$tmp/ascii.txt" 2>/dev/null
	cmp -s "$tmp/ascii.txt" "$a" ||
		{ echo "FAIL --ascii differs from $a:"; diff -u "$a" "$tmp/ascii.txt" | head -20; fail=1; }
	LC_ALL=C grep -q '[^ -~]' "$a" && { echo "FAIL $a is not ASCII"; fail=1; }
done
# Every golden output parses with a real parser (tests/outputcheck.py:
# expat, json, strict UTF-8).
python3 tests/outputcheck.py -q tests/golden || fail=1
echo "$n golden outputs compared ($(cut -d' ' -f1 "$tmp/text-formats" | tr '\n' ' ')over $(ls tests/golden/*.md | wc -l) inputs)"
# Writing beside the input and into -o DIR mirrors the names.
mkdir -p "$tmp/in/sub" && cp tests/golden/labels.md "$tmp/in/sub/x y é.md"
./medexport --txt --tree -q -o "$tmp/out-dir" "$tmp/in" || fail=1
cmp -s "$tmp/out-dir/sub/x y é.txt" tests/golden/labels.txt ||
	{ echo "FAIL -o DIR did not mirror sub/x y é.txt"; fail=1; }
[ -f "$tmp/out-dir/sub/x y é.tree" ] || { echo "FAIL no .tree in -o DIR"; fail=1; }
./medexport --txt -q "$tmp/in/sub/x y é.md" || fail=1
cmp -s "$tmp/in/sub/x y é.txt" tests/golden/labels.txt ||
	{ echo "FAIL the text was not written beside its input"; fail=1; }
exit $fail
