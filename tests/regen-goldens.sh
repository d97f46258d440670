#!/bin/sh
# Regenerates the goldens beside tests/golden/*.md in every text format of
# the backend table (./medexport --list-formats; binary formats have none).
#
#   tests/regen-goldens.sh [FORMAT...]
#
# Read the diff before committing: a golden is a promise about the output.
# The XML goldens are also checked against the schema by
# tests/regen-xml-goldens.sh, which writes only valid ones.
set -eu
cd "$(dirname "$0")/.."
./medexport --list-formats | grep -v ' binary' | while read -r name ext _; do
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	for md in tests/golden/*.md; do
		./medexport "--$name" -q -o - "$md" >"${md%.md}$ext.tmp"
		mv "${md%.md}$ext.tmp" "${md%.md}$ext"
	done
	echo "wrote tests/golden/*$ext"
done
