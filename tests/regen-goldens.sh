#!/bin/sh
# Regenerates the text and tree goldens beside tests/golden/*.md.  Read the
# diff before committing: a golden is a promise about the output.
set -eu
cd "$(dirname "$0")/.."
for md in tests/golden/*.md; do
	base=${md%.md}
	./medexport --txt -q -o - "$md" >"$base.txt"
	./medexport --tree -q -o - "$md" >"$base.tree"
done
