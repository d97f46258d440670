#!/bin/sh
# Golden tests: every tests/golden/NAME.md beside NAME.txt / NAME.tree must
# convert to exactly those bytes (text at the default width of 72), and
# NAME.txt must also come out identical through standard input.
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for md in tests/golden/*.md; do
	base=${md%.md}
	for ext in txt tree; do
		[ -f "$base.$ext" ] || continue
		n=$((n + 1))
		if ! ./medexport "--$ext" -q -o - "$md" >"$tmp/out" 2>"$tmp/err"; then
			echo "FAIL $md --$ext: exit status $?"; cat "$tmp/err"
			fail=1
			continue
		fi
		if ! cmp -s "$tmp/out" "$base.$ext"; then
			echo "FAIL $md --$ext differs from $base.$ext:"
			diff -u "$base.$ext" "$tmp/out" | head -20
			fail=1
		fi
	done
	if [ -f "$base.txt" ]; then
		./medexport --txt -q -o - - <"$md" >"$tmp/stdin.txt" 2>/dev/null
		cmp -s "$tmp/stdin.txt" "$base.txt" ||
			{ echo "FAIL $md: text from stdin differs"; fail=1; }
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL no goldens found"; exit 1; }
echo "$n golden outputs compared"
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
