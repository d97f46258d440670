#!/bin/sh
# tests/regen-xml-goldens.sh - (re)write tests/golden/NAME.xml from NAME.md.
#
#   tests/regen-xml-goldens.sh [NAME...]
#
# Without arguments every tests/golden/*.md gets its .xml.  Each new golden
# is checked against the schema.  Read the diff (git diff tests/golden) by
# eye before committing: a golden file is a promise about the output.

cd "$(dirname "$0")/.." || exit 2
[ -x ./medexport ] || { echo "regen-xml-goldens: ./medexport missing; run make" >&2; exit 2; }

if [ $# -eq 0 ]; then
	set -- tests/golden/*.md
else
	names=
	for n in "$@"; do
		n=${n%.md}
		names="$names tests/golden/${n##*/}.md"
	done
	# shellcheck disable=SC2086
	set -- $names
fi

status=0
for md in "$@"; do
	[ -f "$md" ] || { echo "no such input: $md" >&2; status=1; continue; }
	xml=${md%.md}.xml
	if ! ./medexport --xml -o - "$md" >"$xml.tmp"; then
		echo "medexport failed on $md" >&2
		rm -f "$xml.tmp"
		status=1
		continue
	fi
	if ! xmllint --noout --schema styles/monograph.xsd "$xml.tmp" 2>/dev/null; then
		echo "$xml: not valid against styles/monograph.xsd; not written" >&2
		rm -f "$xml.tmp"
		status=1
		continue
	fi
	mv "$xml.tmp" "$xml"
	echo "wrote $xml"
done
exit $status
