#!/bin/sh
# tests/regen-bad-goldens.sh - (re)writes the goldens of the inputs of
# tests/bad/ that convert with warnings: NAME.EXT in every text format of
# the backend table, and NAME.err, the warnings, for in/NAME.md (as
# tests/check-bad-input.sh runs them).
#
#   tests/regen-bad-goldens.sh [NAME...]
#
# Without arguments, every tests/bad/NAME.md that has a NAME.err.  Read the
# diff before committing: a golden is a promise about the output.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ $# -eq 0 ]; then
	for e in tests/bad/*.err; do
		set -- "$@" "$(basename "$e" .err)"
	done
fi
mkdir -p "$tmp/in"
for name in "$@"; do
	name=${name%.md}
	cp "tests/bad/$name.md" "$tmp/in/"
	./medexport --list-formats | grep -v ' binary' | while read -r fmt ext _; do
		(cd "$tmp" && "$top/medexport" "--$fmt" -o - "in/$name.md") \
			>"tests/bad/$name$ext" 2>"$tmp/err"
	done
	cp "$tmp/err" "tests/bad/$name.err"
	echo "wrote tests/bad/$name.* and $name.err"
done
